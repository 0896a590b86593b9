#!/usr/bin/env bash
# history [N]: the last N events before the stop, oldest first, ending with the
# stop's own event, as a timeline and as the Lua sequence hist; bt ID and
# g[ID]:stack() give a goroutine's frames.
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

repl_run examples/pingpong <<'CMDS'
start
step park 20
history 50
-- the stop's own event is the last one, unless another thread recorded one in
-- the gap between the trigger and its freeze (stop.gap of them)
last = nil for i = #hist, math.max(1, #hist - stop.gap), -1 do if hist[i].time == ev.time then last = hist[i] end end
print("hist", #hist, last.kind == ev.kind, last.g == ev.g, last.p == ev.p, last.m == ev.m)
ordered = true
for i = 2, #hist do ordered = ordered and hist[i].time >= hist[i-1].time end
print("ordered", ordered)
kinds = {} for _, e in ipairs(hist) do kinds[e.kind] = true end
print("kinds", kinds.park, kinds.start, kinds.ready or kinds.create)
big = gs.history(5000)
print("big", #big >= 50, #big <= 5000)
history nonsense
bt 1
st = g[1]:stack()
found = false for _, f in ipairs(st) do found = found or f.func == "main.main" end
print("stack", #st > 0, found)
bt 999999
continue
CMDS
expect_status 1
expect_contains "$REPL_OUT" "hist	50	true	true	true	true"
expect_contains "$REPL_OUT" "ordered	true"
expect_contains "$REPL_OUT" "kinds	true	true	true"
expect_contains "$REPL_OUT" "big	true	true"
expect_match "$REPL_OUT" '^ +[-+][0-9]+\.[0-9]{3}ms  park +G[0-9]+ +P[0-9]+ +M[0-9]+ +[a-z]'
expect_contains "$REPL_OUT" "(50 events before the stop; Lua: hist)"
expect_contains "$REPL_ERR" 'history: want a count'
expect_contains "$REPL_OUT" "goroutine 1:"
expect_match "$REPL_OUT" '^  #[0-9]+ +main\.main$'
expect_contains "$REPL_OUT" "stack	true	true"
expect_contains "$REPL_ERR" "goroutine 999999: no such goroutine"
expect_contains "$REPL_OUT" "[program exited with status 0]"

# Without a stop there is nothing to ask.
repl_run tests/progs/hello.go <<'CMDS'
history
bt 1
CMDS
expect_contains "$REPL_ERR" "not running"

# A stack deeper than a backtrace lists: the innermost 1000 frames, and how
# many deeper ones were left out (bt, g:stack()'s second result, info g,
# and under --json).
repl_run --json tests/progs/deep.go <<'CMDS'
break on park if ev.g.startfn == "main.deep"
run
gs.cmd("info g " .. ev.g.id)
CMDS
expect_match "$REPL_OUT" '"stack_more":40[01][0-9]'
repl_run tests/progs/deep.go <<'CMDS'
break on park if ev.g.startfn == "main.deep"
run
st, more = ev.g:stack()
print("deep", #st, more, st[1].func, st[#st].func)
gs.cmd("bt " .. ev.g.id)
gs.cmd("info g " .. ev.g.id)
CMDS
expect_status 0
# (5001 calls of main.rec, and the frames above and below them)
expect_match "$REPL_OUT" '^deep	1000	40[01][0-9]	runtime\.gopark	main\.rec$'
more=$(sed -n 's/^deep	1000	\([0-9]*\)	.*/\1/p' "$REPL_OUT")
expect_contains "$REPL_OUT" "  … and $more deeper frames, not shown"
expect_match "$REPL_OUT" "^    … and $((more + 980)) more frames \(bt [0-9]+ shows the innermost 1000\)\$"

# Once a P's ring has wrapped, history stops at its oldest event: another
# P's older events would show a time in which the first P's were lost.
cat >"$TEST_TMP/cut.lua" <<'LUA'
gs.start()
gs.step(30000)
local h, cut = gs.history(100000)
local count, oldest = {}, nil
for _, e in ipairs(h) do
	local p = e.p and e.p.id or -1
	count[p] = (count[p] or 0) + 1
	if not oldest or e.time < oldest.time then oldest = e end
end
print("cut", cut, count[oldest.p and oldest.p.id or -1])
LUA
repl_run -batch "$TEST_TMP/cut.lua" examples/pingpong 100000 </dev/null
expect_status 0
expect_contains "$REPL_OUT" "cut	true	4096"
repl_run examples/pingpong 100000 <<'CMDS'
start
step 30000
history 100000
CMDS
expect_match "$REPL_OUT" "^\([0-9]+ events before the stop: the older ones are no longer in every P's history; Lua: hist\)$"

# A goroutine's parentg is its parent's table while the parent is alive,
# whether or not g is loaded yet: for those a history brings (linked both
# ways with the stop's), and for the stop's own (looked up on first use).
cat >"$TEST_TMP/parents.lua" <<'LUA'
gs.start()
gs.step(300)
local evlazy = rawget(_G, "g") == nil
local evg = ev.g and ev.g.parent and ev.g.parentg and ev.g.parentg.id == ev.g.parent
gs.step(300)
local h = gs.history(10)
local lazy = rawget(_G, "g") == nil
local checked, wrong = 0, 0
for _, e in ipairs(h) do
	local x = e.g
	if x and x.parent and x.status ~= "dead" then
		checked = checked + 1
		if not x.parentg or x.parentg.id ~= x.parent then wrong = wrong + 1 end
	end
end
print("parents", evlazy, evg, lazy, checked > 0, wrong)
gs.cmd("kill")
LUA
repl_run -batch "$TEST_TMP/parents.lua" tests/progs/mixed.go </dev/null
expect_status 0
expect_contains "$REPL_OUT" "parents	true	true	true	true	0"

# history off: events are counted (stops number them) but not recorded;
# breakpoints, steps and goroutines' since work as before. Given before the
# launch it applies from the first event; history on records afresh, from
# the next event, and the first stop after it has no older history.
cat >"$TEST_TMP/off.lua" <<'LUA'
gs.cmd("history off")
gs.start()
gs.step("park", 20)
local ok, err = pcall(gs.history, 5)
print("off", ok, err:match("history is off") ~= nil, ev.kind, stop.seq > 20, type(stop.gap))
local since = ev.g.since
print("since", since ~= nil and since <= ev.time, ev.g.since == ev.time)
local bp = gs.breakpoint{on = "park", cond = 'ev.g.waitreason == "chan send"'}
gs.cont()
print("break", ev.kind, ev.g.waitreason, gs.breaks(bp).hits)
gs.delete(bp)
local t_on = ev.time
gs.cmd("history on")
gs.step("park", 5)
local h, cut = gs.history(100000)
local after = true
for _, e in ipairs(h) do after = after and e.time >= t_on end -- (ticks to ns: the next can share its ns)
print("on", #h >= 5, after, cut, h[#h].kind)
gs.cmd("history off")
gs.step(3)
print("again", pcall(gs.history, 1))
gs.cmd("kill")
LUA
repl_run -batch "$TEST_TMP/off.lua" examples/pingpong 100000 </dev/null
expect_status 0
expect_contains "$REPL_OUT" "history: off (events are not recorded"
expect_contains "$REPL_OUT" "off	false	true	park	true	number"
expect_contains "$REPL_OUT" "since	true	true"
expect_contains "$REPL_OUT" "break	park	chan send	1"
expect_contains "$REPL_OUT" "history: on (recording from the next event)"
expect_contains "$REPL_OUT" "on	true	true	false	park"
expect_contains "$REPL_OUT" "again	false"

# At the prompt: the refusal says how to turn it on; a bad word is a count
# error; the setting outlives the program (off again for the next run).
repl_run examples/pingpong 1000 <<'CMDS'
history off
start
history
history of
info target
kill
start
history 3
history on
step 10
history 3
CMDS
expect_status 1
expect_contains "$REPL_ERR" 'history is off ("history on" records from the next event)'
expect_contains "$REPL_ERR" 'history: want a count from 1 to 1000000, or on or off, not "of"'
expect_contains "$REPL_OUT" "(3 events before the stop; Lua: hist)"
[ "$(grep -c 'history is off' "$REPL_ERR")" = 2 ] || fail "the second program recorded history"
expect_contains "$REPL_OUT" "history:    off (events are counted, not recorded)"
repl_run --json -ex 'history off' -ex 'info target' tests/progs/hello.go </dev/null
expect_status 0
expect_not_contains "$REPL_OUT" "history: off"
expect_contains "$REPL_OUT" '"history":false'

# A goroutine that has exited is a stand-in {id, status = "dead"} in a
# history, the same table for every event that names it.
cat >"$TEST_TMP/dead.lua" <<'LUA'
gs.start()
gs.step("exit", 3)
local seen, twice, shared = {}, 0, true
for _, e in ipairs(gs.history(300)) do
	local x = e.g
	if x and x.status == "dead" then
		if seen[x.id] then
			twice = twice + 1
			shared = shared and seen[x.id] == x
		end
		seen[x.id] = x
	end
end
print("dead", twice > 0, shared)
gs.cmd("kill")
LUA
repl_run -batch "$TEST_TMP/dead.lua" tests/progs/mixed.go </dev/null
expect_status 0
expect_contains "$REPL_OUT" "dead	true	true"

# After history on, a ring that wraps still cuts the history (QA: with one
# P, nothing older was left in any ring, and the walk ended without saying
# so); on when on says so and changes nothing.
GOMAXPROCS=1 repl_run examples/pingpong 100000 <<'CMDS'
start
step 10
history off
history on
history on
step 6000
print("cut", select(2, gs.history(100000)))
CMDS
expect_status 0
expect_contains "$REPL_OUT" "history: already on"
expect_contains "$REPL_OUT" "cut	true"
