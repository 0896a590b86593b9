#!/usr/bin/env bash
# startfn of goroutines started by go statements with arguments: the
# compiler starts them in a wrapper (main.main.gowrapN); startfn names the
# function the statement calls -- called directly (worker), inlined into
# the wrapper (leaf), a method -- in the model, the listings, compiled and
# Lua-tier conditions, and at exit. Through a func value the wrapper's name
# is all there is. tests/progs/gowrap.go starts one goroutine of each.
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

cat >"$TEST_TMP/starts.lua" <<'LUA'
gs.start()
local seen = {}
while gs.step("create") do
	if ev.g.createdby == "main.main" then seen[#seen + 1] = ev.g.startfn end
end
print("starts", table.concat(seen, " "))
LUA
repl_run -batch "$TEST_TMP/starts.lua" tests/progs/gowrap.go </dev/null
expect_status 0
expect_match "$REPL_OUT" '^starts	main\.worker main\.leaf main\.\(\*T\)\.run main\.main\.gowrap[0-9]+$'
expect_contains "$REPL_OUT" "gowrap: [funcvalue leaf method worker]"

# Conditions in each tier, the listing at a stop, and the exit event. (The
# Lua-tier hit at leaf's create races the compiled one at worker's start:
# a decision left from an earlier, skipped check once made the REPL skip
# the stop that followed; it must count exactly once.)
repl_run tests/progs/gowrap.go <<'CMDS'
break on start if ev.g.startfn == "main.worker"
break -lua on create if ev.g.startfn == "main.leaf"
break on exit if ev.g.startfn == "main.(*T).run"
info breaks
run
print "at", ev.kind, ev.g.startfn
goroutines
continue
print "at", ev.kind, ev.g.startfn
continue
print "at", ev.kind, ev.g.startfn
continue
print "hits", gs.breaks(1).hits, gs.breaks(2).hits, gs.breaks(3).hits
CMDS
expect_status 0
expect_match "$REPL_OUT" '^1 +breakpoint +y +0 +runtime +start +ev.g.startfn == "main.worker"$'
expect_match "$REPL_OUT" '^2 +breakpoint +y +0 +lua/event +create +ev.g.startfn == "main.leaf"$'
expect_contains "$REPL_OUT" '"at"	"create"	"main.leaf"'
expect_match "$REPL_OUT" '^[* ] G[0-9]+ [a-z]+ main\.worker created by main\.main at .*gowrap\.go:[0-9]+$'
expect_contains "$REPL_OUT" '"at"	"start"	"main.worker"'
expect_contains "$REPL_OUT" '"at"	"exit"	"main.(*T).run"'
expect_contains "$REPL_OUT" '"hits"	1	1	1'
expect_contains "$REPL_OUT" "gowrap: [funcvalue leaf method worker]"

# One event hit by a compiled and a Lua-tier breakpoint is a full stop that
# decides the Lua one on that stop, not with the truth of the light check
# of an earlier event (worker's create holds, gowrap4's create does not,
# worker's start holds for both). The two stops may come in either order:
# the worker can start on another P before its creator takes its stop.
repl_run tests/progs/gowrap.go <<'CMDS'
break on start if ev.g.startfn == "main.worker"
break -lua on create start if ev.g.startfn == "main.worker"
run
seen = {[ev.kind] = #stop.bps}
continue
seen[ev.kind] = #stop.bps
continue
print "stops", seen.create, seen.start
print "hits", gs.breaks(1).hits, gs.breaks(2).hits
CMDS
expect_status 0
expect_contains "$REPL_OUT" '"stops"	1	2'
expect_contains "$REPL_OUT" '"hits"	1	2'
