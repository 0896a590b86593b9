-- imbalance.lua -- run-queue imbalance across Ps: samples the run queues
-- every 20 scheduler events until the program ends, prints each P's
-- average and the worst moment, and fails if two Ps' queues ever differed
-- by more than 64 goroutines.
--
--   gosched-repl -batch examples/imbalance.lua examples/workload.go
local A = require "analysis"

gs.start()
local samples, sums, worst = 0, {}, nil
A.every(20, function()
	local r = A.imbalance()
	samples = samples + 1
	for id, n in pairs(r.lens) do
		sums[id] = (sums[id] or 0) + n
	end
	if not worst or r.spread > worst.spread then
		worst = r
		worst.seq = stop.seq
	end
end)

local rows = {}
for id, total in pairs(sums) do
	rows[#rows + 1] = { p = "P" .. id, average = total / samples, worst = worst.lens[id] }
end
table.sort(rows, function(a, b) return a.p < b.p end)
print(string.format("%d samples; the worst at event %d: P%d had %d queued, P%d %d", samples,
	worst.seq, worst.maxp, worst.max, worst.minp, worst.min))
A.print(rows, { "p", "average", { "worst", "at the worst" } })
gs.assert(worst.spread <= 64, "run queues differed by " .. worst.spread .. " goroutines")
