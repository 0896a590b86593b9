#!/usr/bin/env bash
# Light checks through the shared page's mailbox: a Lua-tier condition that
# reads only the event sees the same model there as on the full stop that
# follows when it holds (every field: strings such as createdat and the
# pprof labels included); a condition is evaluated once per event even when
# the REPL is too slow for the program's wait in the mailbox (the check
# then comes on the socket, decided by the truth found in the mailbox).
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

cat >"$TEST_TMP/model.lua" <<'LUA'
-- Every field the event tier sees, as one line (times aside: a stop
-- converts CPU ticks to time with its own rate; labels aside: the other
-- threads run during a light check, and a goroutine that has exited by the
-- stop has none).
local keys = {
	{"ev", {"kind", "parent", "by", "from", "waitreason", "startfn", "reason"}},
	{"g", {"id", "status", "waitreason", "parent", "startfn", "createdby", "createdat",
	       "system"}},
	{"p", {"id", "status"}},
	{"m", {"id", "procid", "incgo"}},
}
function text(v) -- a reference by its id, labels as sorted pairs
	if type(v) ~= "table" then return tostring(v) end
	if v.id ~= nil then return "#" .. tostring(v.id) end
	local parts = {}
	for k, x in pairs(v) do parts[#parts + 1] = tostring(k) .. "=" .. text(x) end
	table.sort(parts)
	return "{" .. table.concat(parts, ",") .. "}"
end
function dump(ev)
	local out = {}
	local of = {ev = ev, g = ev.g, p = ev.p, m = ev.m}
	for _, group in ipairs(keys) do
		local t = of[group[1]]
		for _, k in ipairs(group[2]) do out[#out + 1] = group[1] .. "." .. k .. "=" .. text(t and t[k]) end
	end
	return table.concat(out, " ")
end

gs.start()
-- 1. The creation of the first labelled goroutine, then a park and a
-- ready of the selector: recorded at the check, then the stop it asks for.
local wants = {
	{"create", function(ev) return ev.g and ev.g.labels and ev.g.labels.role == "locker" end},
	{"park", function(ev) return ev.g and ev.g.startfn == "main.selector" end},
	{"ready", function(ev) return ev.g and ev.g.startfn == "main.selector" end},
}
for _, w in ipairs(wants) do
	local seen, labels, checks = nil, nil, 0
	local id = gs.breakpoint{on = w[1], tier = "event", cond = function(ev)
		checks = checks + 1
		if w[2](ev) then
			seen, labels = dump(ev), text(ev.g.labels)
			return true
		end
		return false
	end}
	gs.assert(gs.breaks(id).tier == "lua/event", "an event-tier breakpoint")
	local stop = gs.cont()
	gs.assert(stop and stop.kind == w[1], "stopped at " .. w[1])
	gs.assert(seen == dump(ev), "the check's model differs from the stop's:\n" .. tostring(seen) .. "\n" .. dump(ev))
	gs.assert(w[1] ~= "create" or labels == "{role=locker}", "labels " .. tostring(labels))
	gs.assert(ev.g.createdat:match("mixed%.go:%d+$"), "createdat")
	gs.assert(gs.breaks(id).evals == checks, "evaluated once at every " .. w[1])
	print("same model", w[1])
	gs.delete(id)
end

-- 2. Too slow for the program's wait in the mailbox: each event is still
-- evaluated once, and every fifth stops there. A second evaluation would
-- come right after the first, with the same event: a goroutine cannot park
-- (or be readied) twice without a ready (a park) in between, which this
-- breakpoint sees too. (Times alone do not tell events apart: two events a
-- few CPU ticks apart can have the same nanosecond.)
local last, dup, n = nil, 0, 0
id = gs.breakpoint{on = "park ready", tier = "event", cond = function(ev)
	local t0 = os.clock()
	while os.clock() - t0 < 0.0005 do end
	local key = ev.kind .. ev.time .. ":" .. (ev.g and ev.g.id or -1)
	if key == last then dup = dup + 1 end
	last = key
	n = n + 1
	return n % 5 == 0
end}
for i = 1, 3 do
	local s = gs.cont()
	gs.assert(s, "stopped")
	gs.assert(n == 5 * i, "stopped at every fifth: " .. n)
end
gs.assert(dup == 0, dup .. " events evaluated twice")
print("once each", n, gs.breaks(id).evals)
gs.delete(id)
gs.cont()
LUA
repl_run -batch "$TEST_TMP/model.lua" tests/progs/mixed.go </dev/null
expect_status 0
expect_contains "$REPL_OUT" "same model	create"
expect_contains "$REPL_OUT" "same model	park"
expect_contains "$REPL_OUT" "same model	ready"
expect_contains "$REPL_OUT" "once each	15	15"
expect_contains "$REPL_OUT" "mixed: counter 4000"
