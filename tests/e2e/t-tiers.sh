#!/usr/bin/env bash
# Both tiers give the same answer on the same state, on a corpus of
# conditions of the compiled shape:
#  1. at hundreds of real stops, each condition evaluated by the runtime
#     (its eval command, the program the hooks would run) and by Lua on
#     the model agree -- with GOMAXPROCS 2 and 1, on the demo program and on
#     one that uses timers, syscalls, a locked thread and GOMAXPROCS changes;
#  2. in one run, each condition as a compiled breakpoint and as a forced
#     Lua-tier breakpoint (-lua: from the event's light check; -full: on the
#     full stop) counts the same hits.
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

# The corpus: every one of them must compile (checked below).
cat >"$TEST_TMP/corpus.lua" <<'LUA'
return {
	-- the event, its G, P and M
	'ev.kind == "park"', 'ev.kind ~= "start" and ev.g ~= nil', '"a" < ev.kind',
	'ev.g == nil', 'ev.g ~= nil and ev.g.id > 10', 'ev.g.status == "running"',
	'ev.g.status ~= "waiting" and ev.g.status ~= "runnable"',
	'ev.g.waitreason == "chan send"', 'ev.g.waitreason ~= nil', 'ev.g.waitreason == nil',
	'ev.g.waitreason ~= "no such reason"', 'ev.g.status == "nosuch"', 'ev.kind ~= "nosuch"',
	'ev.p.status ~= "idle" and ev.waitreason ~= "select"',
	'ev.g.startfn == "main.worker"', 'ev.g.startfn == "main.main.gowrap1"', 'ev.g.startfn < "main"', 'ev.g.startfn >= "runtime."',
	'ev.g.createdby == "main.main"', 'ev.g.createdby == nil',
	'ev.g.parent == nil', 'ev.g.parent ~= nil and ev.g.parent > 1', 'ev.g.parent == 1',
	'ev.g.system', 'not ev.g.system', 'ev.p == nil', 'ev.p ~= nil and ev.p.id == 0',
	'ev.p.id == 1', 'ev.p.status == "running"', 'ev.p.schedtick > 5', '#ev.p.runq > 0',
	'#ev.p.runq >= 2', 'ev.p.timers >= 1', 'ev.m.id == 0', 'ev.m.id > 2', 'ev.m.procid > 0',
	'ev.m.spinning', 'ev.waitreason == "chan send"', 'ev.waitreason ~= nil',
	'ev.from.id == 0', 'ev.from.id ~= 0',
	-- sched and p[i]
	'sched.ngoroutines > 5', 'sched.npidle > 0', 'sched.nmspinning == 0', 'sched.nmidle >= 1',
	'sched.nmsys >= 1', 'sched.gomaxprocs == 2', 'sched.goidgen > 20', '#sched.runq > 0',
	'sched.gcwaiting', 'not sched.gcwaiting', 'sched.stopwait == 0',
	'#p[0].runq >= 1', '#p[1].runq >= 1', 'p[1].status == "idle"', 'p[0].status ~= p[1].status',
	'p[0].schedtick > p[1].schedtick', 'p[0].syscalltick > 0', 'p[0].timers > 0',
	'p[1].gfree > 0', 'p[0].gfree >= p[1].gfree', 'p[ev.p.id].status == "running"',
	'p[5].status == "idle"', 'p[-1].status == nil', 'p[ev.m.id].schedtick > 0',
	-- values, and/or/not, mixed types
	'(ev.g and ev.g.id or 0) > 3', 'ev.g and ev.p', 'ev.g or ev.p',
	'ev.kind == "park" or ev.kind == "ready" or #sched.runq > 2',
	'not (ev.p and #ev.p.runq > 1)', '(ev.g ~= nil) == (ev.p ~= nil)', 'ev.g.id < 5 == true',
	'ev.g.id == "5"', 'ev.kind == 3', 'ev.g.system == false', 'nil == false', '1 == 1.0',
	'ev.g.status < 1', 'ev.m.spinning < true', 'not nil', '-3 < -2',
	-- integer tests at the ends of the constants' range (2^40), every operator
	'ev.g.id <= 1099511627775', 'ev.g.id > 1099511627775',
	'ev.g.id >= -1099511627775', 'ev.g.id < -1099511627775',
	'ev.m.id ~= 0', 'ev.p.schedtick <= 5', 'ev.g.id >= 1 and ev.g.id < 4',
	'p[1].status ~= "running"', '1099511627775 > ev.g.id',
	-- keys of p that are not numbers: nil, indexed (an error in both tiers)
	'p[ev.g.system].status == "idle"', 'p["a"].status == nil',
}
LUA

# 1. eval agreement at stops. (When they differ, the model is read again:
# a thread the freeze missed -- one being started -- may have changed the
# state after it was read. The answer then must agree with the new model.)
cat >"$TEST_TMP/eval.lua" <<'LUA'
local corpus = dofile(arg_corpus)
for _, c in ipairs(corpus) do
	local a = gs.analyze(c)
	gs.assert(a.tier == "runtime", c .. " does not compile: " .. tostring(a.why))
end
local stops, mismatches, moved, truths, errs = 0, 0, 0, {}, 0
gs.start()
repeat
	for i, c in ipairs(corpus) do
		local lua, lerr = gs.eval(c, "lua")
		local rt, rerr = gs.eval(c, "runtime")
		if (lerr == nil) ~= (rerr == nil) then -- an error in one tier is one in the other
			mismatches = mismatches + 1
			print("ERROR MISMATCH", c, "runtime", rerr, "lua", lerr, "at", ev.kind, stop.seq)
		end
		if rerr then errs = errs + 1 end
		if rt ~= lua then
			-- A thread that escaped the freeze (one being born) may have
			-- changed the state since the model was read: read it again.
			gs.refresh()
			local now = gs.eval(c, "lua")
			if now == rt and now ~= lua then
				moved = moved + 1
				print("MOVED", c, "was", lua, "now", now, "at", ev.kind, stop.seq)
			else
				mismatches = mismatches + 1
				print("MISMATCH", c, "runtime", rt, "lua", now, "at", ev.kind, stop.seq)
			end
		end
		truths[i] = (truths[i] or 0) + (lua and 1 or 0)
	end
	stops = stops + 1
until stops == limit or not gs.step(step)
local both = 0 -- conditions seen true at some stops and false at others
for i = 1, #corpus do
	if truths[i] > 0 and truths[i] < stops then both = both + 1 end
end
print("tiers-eval", "stops", stops, "mismatches", mismatches, "both-ways", both)
print("tiers-eval-errors", errs > 0)
gs.assert(mismatches == 0, "the tiers disagree")
LUA
for procs in 2 1; do
	printf 'arg_corpus = "%s"\nlimit = 300\nstep = 3\n' "$TEST_TMP/corpus.lua" >"$TEST_TMP/pre.lua"
	cat "$TEST_TMP/pre.lua" "$TEST_TMP/eval.lua" >"$TEST_TMP/eval-run.lua"
	GOMAXPROCS=$procs repl_run -batch "$TEST_TMP/eval-run.lua" examples/pingpong 200 </dev/null
	expect_status 0
	expect_match "$REPL_OUT" '^tiers-eval	stops	300	mismatches	0	both-ways	[0-9]+$'
	expect_contains "$REPL_OUT" "tiers-eval-errors	true"
	both=$(sed -n 's/^tiers-eval.*both-ways	//p' "$REPL_OUT")
	[ "$both" -ge 25 ] || fail "only $both conditions were seen both true and false"
done
printf 'arg_corpus = "%s"\nlimit = 250\nstep = 1\n' "$TEST_TMP/corpus.lua" >"$TEST_TMP/pre.lua"
cat "$TEST_TMP/pre.lua" "$TEST_TMP/eval.lua" >"$TEST_TMP/eval-run.lua"
repl_run -batch "$TEST_TMP/eval-run.lua" tests/progs/mixed.go </dev/null
expect_status 0
expect_match "$REPL_OUT" '^tiers-eval	stops	[0-9]+	mismatches	0	both-ways	[0-9]+$'

# compare(pairs_): of the pairs {cond, a, b, ...} of breakpoints set on
# the same condition in two ways, how many counted different hits or errors
# (each printed), and how many hit and erred at all.
cat >"$TEST_TMP/compare.lua" <<'LUA'
function compare(pairs_)
	local differ, hit, erred = 0, 0, 0
	for _, t in ipairs(pairs_) do
		local a, b = gs.breaks(t[2]), gs.breaks(t[3])
		if a.hits ~= b.hits or a.errors ~= b.errors then
			differ = differ + 1
			print("DIFFER", t[1], "hits", a.hits, b.hits, "errors", a.errors, b.errors)
		end
		if a.hits > 0 then hit = hit + 1 end
		if a.errors > 0 then erred = erred + 1 end
	end
	return differ, hit, erred
end
LUA

# 2. The same breakpoints in two tiers count the same hits (and errors) in one run:
# compiled vs -lua (a light check) and vs -full (the full stop), for
# conditions on what no other thread changes between the event and the
# freeze: the event's own G, P and M, and with one P, p[0]. (sched's counts
# can move in between: the runtime tier reads them at the event, a full
# stop after the other threads froze; part 1 compares those on one state.)
cat >"$TEST_TMP/hits.lua" <<'LUA'
local corpus = dofile(arg_corpus)
-- (-full: p[0]'s first, so that the hooks' tests of a P's fields are among them)
-- (first two that err at every event: their errors must be counted alike)
local picks = {'ev.g.status < 1', 'ev.from.id == 1'}
for _, c in ipairs(corpus) do
	if mode == "full" and c:find("p%[0%]") then picks[#picks + 1] = c end
end
for _, c in ipairs(corpus) do
	if gs.analyze(c).stop == nil then picks[#picks + 1] = c end
end
local pairs_ = {}
for i = 1, 16 do
	local c = picks[i]
	local a = gs.breakpoint{on = "create start park ready exit", cond = c, commands = {"continue"}, silent = true}
	local b = gs.breakpoint{on = "create start park ready exit", cond = c, tier = mode, commands = {"continue"}, silent = true}
	gs.assert(gs.breaks(a).tier == "runtime", c)
	pairs_[#pairs_ + 1] = {c, a, b}
end
gs.run()
local differ, hit, erred = compare(pairs_)
print("tiers-hits", mode, "pairs", #pairs_, "differ", differ, "hit", hit)
print("tiers-errors", mode, erred > 0)
gs.assert(differ == 0, "the tiers counted different hits")
LUA
# (-full reads sched and p[i] after the other threads froze: one P, so that
# nothing runs between the event and the freeze.)
for mode in lua full; do
	printf 'arg_corpus = "%s"\nmode = "%s"\n' "$TEST_TMP/corpus.lua" "$mode" >"$TEST_TMP/pre.lua"
	cat "$TEST_TMP/pre.lua" "$TEST_TMP/compare.lua" "$TEST_TMP/hits.lua" >"$TEST_TMP/hits-run.lua"
	procs=2
	[ "$mode" = full ] && procs=1
	GOMAXPROCS=$procs repl_run -batch "$TEST_TMP/hits-run.lua" examples/pingpong 100 </dev/null
	expect_status 0
	expect_match "$REPL_OUT" "^tiers-hits	$mode	pairs	16	differ	0	hit	([5-9]|1[0-6])\$"
	expect_contains "$REPL_OUT" "tiers-errors	$mode	true"
done

# 3. Parks skipped by wait reason: the runtime evaluates a compiled condition
# at a park only for the wait reasons that may make it true or fail
# (gs.breaks(id).parks); every other park must be one where it is false
# without an error. On a program that parks for many reasons, each condition
# compiled counts the same hits and errors as in Lua at every park (-lua),
# and the reasons it is left to are exactly the expected ones.
cat >"$TEST_TMP/parks.lua" <<'LUA'
local corpus = {
	-- condition, the parks it is evaluated at ("*": all of them)
	{'ev.g.waitreason == "select"', 'select'},
	{'ev.waitreason == "sleep" or ev.g.waitreason == "sync.Mutex.Lock"', 'sleep|sync.Mutex.Lock'},
	{'not (ev.g.waitreason ~= "chan receive")', 'chan receive'},
	{'ev.g.waitreason ~= "chan receive"', '*but chan receive'},
	{'ev.g.id > 1 and ev.g.waitreason == "sync.WaitGroup.Wait"', 'sync.WaitGroup.Wait'},
	{'ev.g.waitreason == "select" and ev.g.id > 1', 'select'},
	{'(ev.g.waitreason == "sleep" or ev.g.waitreason == "select") and not ev.m.spinning', 'sleep|select'},
	{'ev.g.waitreason == "chan recieve"', ''},
	{'ev.g.waitreason == nil', ''},
	{'ev.kind == "park" and ev.g.status == "waiting"', '*'},
	{'ev.kind ~= "park" and ev.g.waitreason == "sleep"', 'none'}, -- (at no park: gs.breaks(id).at is empty)
	{'ev.g.waitreason >= "sync.W" and ev.g.waitreason < "sync.X"', 'sync.WaitGroup.Wait|sync.WaitGroup.Wait (durable)'},
	{'ev.g.waitreason ~= nil', '*'}, -- (every reason: none is skipped)
	{'#p[0].runq >= 0 and ev.g.waitreason == "sleep"', 'sleep'}, -- (P 0 is always there; a value no thread changes between the event and a stop)
	{'#ev.p.runq >= 0 and ev.g.waitreason == "sleep"', 'sleep'}, -- (and the park's own P)
	{'ev.g.startfn == "main.locker" and ev.g.waitreason == "sync.Mutex.Lock"', 'sync.Mutex.Lock'},
	-- errors: where Lua raises one, the parks are not skipped
	{'ev.g.waitreason == "sleep" and p[7].status == "idle"', 'sleep'},
	{'p[7].status == "idle" and ev.g.waitreason == "sleep"', '*'},
	{'ev.g.waitreason == "select" and ev.from.id == 1', 'select'},
	{'ev.g.waitreason == "select" and ev.g.startfn < "m"', 'select'},
	{'ev.g.startfn < "m" and ev.g.waitreason == "select"', '*'},
	{'ev.g.waitreason > 3 or ev.g.waitreason == "sleep"', '*'},
	{'(ev.g.waitreason == "sleep") == (ev.g.id > 3)', '*'},
}
local pairs_ = {}
for i = first, math.min(last, #corpus) do
	local t = corpus[i]
	local a = gs.breakpoint{on = "park", cond = t[1], commands = {"continue"}, silent = true}
	local b = gs.breakpoint{on = "park", cond = t[1], tier = "lua", commands = {"continue"}, silent = true}
	gs.assert(gs.breaks(a).tier == "runtime", t[1])
	pairs_[#pairs_ + 1] = {t[1], a, b, t[2]}
end
if first == 1 then -- the same on every kind: parks are skipped alike
	local a = gs.breakpoint{cond = corpus[1][1], commands = {"continue"}, silent = true}
	local b = gs.breakpoint{cond = corpus[1][1], tier = "lua", commands = {"continue"}, silent = true}
	pairs_[#pairs_ + 1] = {"any: " .. corpus[1][1], a, b, corpus[1][2]}
end
gs.run()
local differ, hit, erred = compare(pairs_)
local wrong = 0
for _, t in ipairs(pairs_) do
	local a, b = gs.breaks(t[2]), gs.breaks(t[3])
	local got = a.parks and table.concat(a.parks, "|") or "*"
	local ok = got == t[4]
	if t[4] == "none" then
		ok = a.parks == nil and a.at and #a.at == 0
	elseif t[4] == "*but chan receive" then -- every reason the runtime names but one
		ok = #a.parks > 40 and not ("|" .. got .. "|"):find("|chan receive|", 1, true)
			and got:find("select", 1, true) and got:find("sync.Mutex.Lock", 1, true)
	end
	if not ok or b.parks ~= nil then
		wrong = wrong + 1
		print("PARKS", t[1], "got", got, "want", t[4], "lua", b.parks)
	end
end
print("tiers-parks", "pairs", #pairs_, "differ", differ, "wrong", wrong, "hit", hit, "erred", erred)
gs.assert(differ == 0 and wrong == 0, "parks skipped wrongly")
LUA
hits=0 erred=0
for range in "1 14" "15 99"; do
	set -- $range
	printf 'first, last = %s, %s\n' "$1" "$2" | cat - "$TEST_TMP/compare.lua" "$TEST_TMP/parks.lua" \
		>"$TEST_TMP/parks-run.lua"
	repl_run -batch "$TEST_TMP/parks-run.lua" tests/progs/mixed.go </dev/null
	expect_status 0
	expect_match "$REPL_OUT" '^tiers-parks	pairs	(15|9)	differ	0	wrong	0	hit	[0-9]+	erred	[0-9]+$'
	hits=$((hits + $(sed -n 's/^tiers-parks.*	hit	\([0-9]*\).*/\1/p' "$REPL_OUT")))
	erred=$((erred + $(sed -n 's/^tiers-parks.*	erred	//p' "$REPL_OUT")))
done
# (a test that could not fail if no condition held or erred)
[ "$hits" -ge 8 ] || fail "only $hits park conditions held"
[ "$erred" -ge 4 ] || fail "only $erred park conditions erred"

# info breakpoints says which parks a breakpoint is evaluated at, once the
# program has it.
repl_run -batch -ex 'break on park if ev.g.waitreason == "select" or ev.g.waitreason == ""' \
	-ex 'break on park if ev.g.waitreason == "chan recieve"' -ex 'break on park if ev.g.id > 1' \
	-ex 'break on park if ev.g.waitreason ~= "select" and ev.g.waitreason ~= "sleep"' \
	-ex 'info breakpoints' -ex 'tbreak on start' -ex run -ex 'info breakpoints' \
	examples/pingpong 10 </dev/null
expect_status 0
expect_contains "$REPL_OUT" 'at parks: skipped for every wait reason but "select"'
expect_contains "$REPL_OUT" 'at parks: skipped for every wait reason the runtime names (none makes it true)'
expect_match "$REPL_OUT" 'at parks: skipped for wait reasons "(sleep", "select|select", "sleep)"$'
n=$(grep -c 'at parks:' "$REPL_OUT")
expect_eq "$n" 3

# 5. Kinds skipped: a compiled breakpoint is evaluated only at the kinds it
# takes at which its condition may be true or fail (gs.breaks(id).at, nil
# when all); the same hits and errors as in Lua at every event.
cat >"$TEST_TMP/kinds.lua" <<'LUA'
local corpus = {
	{'ev.kind == "park" and ev.g.waitreason == "select"', 'park'},
	{'ev.waitreason == "sleep"', 'park'},
	{'ev.kind == "start" or ev.kind == "exit"', 'start|exit'},
	{'not (ev.kind ~= "steal") and ev.from.id == 0', 'steal'},
	{'ev.kind ~= "park" and ev.m.id >= 0', '*but park'},
	{'ev.from.id == 0', '*'}, -- (fails at every kind but steal: those errors are counted)
	{'ev.kind == "park" and ev.kind == "start"', ''},
}
local pairs_ = {}
for _, t in ipairs(corpus) do
	local a = gs.breakpoint{cond = t[1], commands = {"continue"}, silent = true}
	local b = gs.breakpoint{cond = t[1], tier = "lua", commands = {"continue"}, silent = true}
	pairs_[#pairs_ + 1] = {t[1], a, b, t[2]}
end
gs.run()
local differ, hit, erred = compare(pairs_)
local wrong = 0
for _, t in ipairs(pairs_) do
	local a = gs.breaks(t[2])
	local got = a.at and table.concat(a.at, "|") or "*"
	local ok = got == t[4]
	if t[4] == "*but park" then
		ok = #a.at > 10 and not ("|" .. got .. "|"):find("|park|", 1, true)
	end
	if not ok or gs.breaks(t[3]).at ~= nil then
		wrong = wrong + 1
		print("AT", t[1], "got", got, "want", t[4])
	end
end
print("tiers-kinds", "pairs", #pairs_, "differ", differ, "wrong", wrong, "hit", hit, "erred", erred)
gs.assert(differ == 0 and wrong == 0, "kinds skipped wrongly")
LUA
cat "$TEST_TMP/compare.lua" "$TEST_TMP/kinds.lua" >"$TEST_TMP/kinds-run.lua"
GOMAXPROCS=1 repl_run -batch "$TEST_TMP/kinds-run.lua" tests/progs/mixed.go </dev/null
expect_status 0
expect_match "$REPL_OUT" '^tiers-kinds	pairs	7	differ	0	wrong	0	hit	[4-6]	erred	[1-2]$'
repl_run -batch -ex 'break if ev.kind == "start" or ev.kind == "exit"' -ex 'break on create start if ev.kind == "park"' \
	-ex 'tbreak on exit' -ex run -ex 'info breakpoints 1 2' examples/pingpong 10 </dev/null
expect_status 0
expect_contains "$REPL_OUT" "evaluated only at start, exit (no other kind can make it true)"
expect_contains "$REPL_OUT" "evaluated at no event: no kind it takes can make it true"

# 4. Guards: a Lua-tier condition whose leading and-ed terms compile has
# them tested by the runtime at the event (gs.breaks(id).guard), and Lua asks
# only where they hold or fail. It counts the same hits and errors as the
# same condition all in Lua (-lua), with fewer evaluations where the guard
# is selective; at parks, the guard's wait reasons are the parks left.
cat >"$TEST_TMP/guards.lua" <<'LUA'
local corpus = {
	-- condition, its guard, the parks it is evaluated at ("*": all), kinds
	{'ev.g.waitreason == "select" and ev.g.startfn:match("^main%.")', 'ev.g.waitreason == "select"', 'select'},
	{'ev.g.waitreason == "sleep" and #tostring(ev.g.id) > 0', 'ev.g.waitreason == "sleep"', 'sleep'},
	{'(ev.g.id > 1 and ev.g.waitreason ~= "select") and ev.g.startfn:match("^main%.")',
		'ev.g.id > 1 and ev.g.waitreason ~= "select"', '*but select'},
	{'ev.from.id == 1 and ev.g.startfn:match("x")', 'ev.from.id == 1', '*'}, -- errs at every park
	{'ev.g.startfn:match("^main%.") and ev.g.waitreason == "select"', nil, '*'},
	{'ev.kind == "start" and ev.g.startfn:match("^main%.")', 'ev.kind == "start"', '', 'park start'},
	{'ev.g.waitreason == "chan receive" and #g > 3', 'ev.g.waitreason == "chan receive"', 'chan receive'},
}
local pairs_ = {}
for _, t in ipairs(corpus) do
	local on = t[4] or "park"
	local a = gs.breakpoint{on = on, cond = t[1], commands = {"continue"}, silent = true}
	local b = gs.breakpoint{on = on, cond = t[1], tier = t[1]:find("#g") and "full" or "lua",
		commands = {"continue"}, silent = true}
	gs.assert(gs.breaks(a).tier ~= "runtime" and gs.breaks(b).guard == nil, t[1])
	pairs_[#pairs_ + 1] = {t, a, b}
end
gs.run()
local bad, fewer, hit = 0, 0, 0
for _, p in ipairs(pairs_) do
	local t, a, b = p[1], gs.breaks(p[2]), gs.breaks(p[3])
	local parks = a.parks and table.concat(a.parks, "|") or "*"
	local parks_ok = parks == t[3]
	if t[3] == "*but select" then
		parks_ok = #a.parks > 40 and not ("|" .. parks .. "|"):find("|select|", 1, true)
	end
	if a.hits ~= b.hits or a.errors ~= b.errors or a.guard ~= t[2] or not parks_ok
		or a.evals > b.evals then
		bad = bad + 1
		print("BAD", t[1], "hits", a.hits, b.hits, "errors", a.errors, b.errors, "evals",
			a.evals, b.evals, "guard", a.guard, "parks", parks)
	end
	if a.evals < b.evals then fewer = fewer + 1 end
	if a.hits > 0 then hit = hit + 1 end
end
print("tiers-guards", "pairs", #pairs_, "bad", bad, "fewer", fewer, "hit", hit)
gs.assert(bad == 0, "guards changed an answer")
LUA
GOMAXPROCS=1 repl_run -batch "$TEST_TMP/guards.lua" tests/progs/mixed.go </dev/null
expect_status 0
# (fewer: all but the guard that errs at every park, and the one without)
expect_match "$REPL_OUT" '^tiers-guards	pairs	7	bad	0	fewer	5	hit	[3-7]$'
repl_run -batch -ex 'break on park if ev.g.waitreason == "select" and ev.g.startfn:match("^main")' \
	-ex 'tbreak on start' -ex run -ex 'info breakpoints 1' examples/pingpong 10 </dev/null
expect_status 0
expect_contains "$REPL_OUT" 'the runtime tests first, at the event: ev.g.waitreason == "select"'
expect_contains "$REPL_OUT" 'at parks: skipped for every wait reason but "select"'

# An expect_never whose guard is false at most events and whose Lua part
# fails wherever it is asked was still checked (false) at those events:
# it passes, as all in Lua (-lua) it does, and as with history off (whose
# hook skips parks on a path of its own).
for tier in '' ', tier = "lua"' 'history off'; do
	pre=
	[ "$tier" = 'history off' ] && pre='gs.cmd("history off")' tier=
	cat >"$TEST_TMP/guard-expect.lua" <<LUA
$pre
gs.expect_never{on = "park", cond = 'ev.g.waitreason == "select" and ev.from.id == 1 and ev.g.startfn:match("x")'$tier}
gs.run()
print("guarded", gs.breaks(1).guard, gs.breaks(1).errors > 0)
LUA
	repl_run -batch "$TEST_TMP/guard-expect.lua" tests/progs/mixed.go </dev/null
	expect_status 0
	expect_match "$REPL_OUT" '^guarded	.*	true$'
done

# A program the runtime cannot run safely -- a jump backwards or past the
# end, an operator without its operands, more than one value left -- is
# refused at install (it could loop in the hook, or read below its stack),
# and Lua evaluates the condition instead. (A condition module whose
# analysis hands the runtime RAW_PROG stands in for a broken compiler.)
cp -r lua "$TEST_TMP/rawlua"
sed -i 's/^\(\tlocal prog, why = compile(tree)\)$/\1\n\tprog = os.getenv("RAW_PROG") or prog/' "$TEST_TMP/rawlua/condition.lua"
grep -q RAW_PROG "$TEST_TMP/rawlua/condition.lua" || fail "could not patch condition.lua"
for raw in "k:1 ldp:#p.runq k:0 ge jt:4294967295" "k:1 ldp:#p.runq k:0 ge jt:40" "not" "eq" "k:1 k:2"; do
	RAW_PROG=$raw GOSCHED_LUA_DIR=$TEST_TMP/rawlua repl_run -batch -ex 'break on park if ev.g.id > 0' \
		-ex run -ex 'info breakpoints' examples/pingpong 10 </dev/null
	expect_status 0
	expect_match "$REPL_ALL" 'the runtime refused its program \(break: (bad program token|malformed program)\)'
	expect_contains "$REPL_OUT" 'breakpoint 1 (on park if ev.g.id > 0), hit 1 time'
done
RAW_PROG="ld:ev.g.id k:1 gt jf:3 k:1 k:2 eq" GOSCHED_LUA_DIR=$TEST_TMP/rawlua repl_run -batch \
	-ex 'break on park if ev.g.id > 0' -ex run examples/pingpong 10 </dev/null
expect_status 0
expect_not_contains "$REPL_ALL" "refused"

# ...but one whose guard was never false and whose Lua part failed at every
# evaluation never checked anything, whichever comes first: it fails the run.
for c in 'ev.g.labels.x.y and ev.g.id >= 0' 'ev.g.id >= 0 and ev.g.labels.x.y'; do
	printf 'gs.expect_never{on = "park", cond = [[%s]]}\ngs.run()\n' "$c" >"$TEST_TMP/never.lua"
	repl_run -batch "$TEST_TMP/never.lua" tests/progs/convoy.go </dev/null
	expect_status 1
	expect_contains "$REPL_ERR" "so it was never checked"
done

# The same verdict whichever tier evaluates it: a compiled condition that
# fails wherever the runtime evaluates it fails the run too (QA: it passed);
# one false where its kind rules it out (start) was checked there, as in Lua.
for c in 'ev.g.id < "a"' 'ev.g.id < "a"@lua' 'ev.kind == "exit" and ev.g.id < "a"' \
	'ev.kind == "exit" and ev.g.id < "a"@lua'; do
	tier=
	case "$c" in *@lua) tier=', tier = "lua"' c=${c%@lua} ;; esac
	printf 'gs.expect_never{on = "exit start", cond = [[%s]]%s}\ngs.run()\n' "$c" "$tier" >"$TEST_TMP/never.lua"
	repl_run -batch "$TEST_TMP/never.lua" examples/pingpong 10 </dev/null
	case "$c" in
	ev.kind*) expect_status 0; expect_not_contains "$REPL_ERR" "never checked" ;;
	*) expect_status 1; expect_match "$REPL_ERR" 'never\.lua:1: expect_never: the condition failed at (every event the runtime evaluated it at \([0-9]+\)|each of its [0-9]+ evaluations), so it was never checked: .*attempt to compare number with string' ;;
	esac
done
