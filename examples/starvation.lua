-- starvation.lua -- goroutines that stayed runnable for longer than 5 ms
-- before they ran, by start function. A probe (a Lua function the REPL
-- runs at each event's light check) times every wait; the program never
-- stops for it. Fails if any goroutine waited that long.
--
--   gosched-repl -batch examples/starvation.lua examples/workload.go
local A = require "analysis"

local waits = A.runnable_waits{ longer = 0.005 }
gs.run()

local by = {}
for _, w in ipairs(waits) do
	local r = by[w.startfn]
	if not r then
		r = { startfn = w.startfn, count = 0, longest = 0 }
		by[w.startfn] = r
	end
	r.count = r.count + 1
	r.longest = math.max(r.longest, w.waited)
end
local rows = {}
for _, r in pairs(by) do
	rows[#rows + 1] = r
end
table.sort(rows, function(a, b) return a.count > b.count end)
A.print(rows, { "count", "startfn", { "longest", "longest wait (s)" } })
gs.assert(#waits == 0, #waits .. " wait(s) longer than 5 ms")
