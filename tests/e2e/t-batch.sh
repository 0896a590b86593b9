#!/usr/bin/env bash
# Batch mode for CI: -batch SCRIPT.lua runs a Lua script with no prompt;
# the exit status is 0 on success, 1 for a failed gs.assert, a script error
# or a failed gs.expect_never (with file:line on stderr), 2 for a usage or
# build error. -x and -ex run in order before it; --json makes stops,
# results, prints, exits and failures JSON lines.
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

# run_script NAME ARGS...: repl_run with "-batch $TEST_TMP/NAME.lua" first.
run_script() {
	local name=$1
	shift
	repl_run -batch "$TEST_TMP/$name.lua" "$@" </dev/null
}

# Success: the core functions drive the program to its end.
cat >"$TEST_TMP/ok.lua" <<'LUA'
local id = gs.breakpoint{on = "create", cond = 'ev.g.startfn == "main.worker"'}
gs.assert(gs.breaks(id).tier == "runtime", "compiled")
local ev = gs.run()
gs.assert(ev and ev.kind == "create" and stop.bps[1] == id, "stopped at the breakpoint")
local n = 1
while gs.cont() do n = n + 1 end
gs.assert(n == 4, "four workers, got " .. n)
gs.assert(gs.exitstatus == 0, "exit status")
gs.assert(gs.cont == gs.cont and gs.step == gs.step)
print("script done", n, gs.breaks(id).hits)
LUA
run_script ok examples/pingpong 20
expect_status 0
expect_contains "$REPL_OUT" "script done	4	4"
expect_contains "$REPL_OUT" "[program exited with status 0]"

# gs.step(kind, n) and gs.cmd; a failed assertion: status 1, file:line.
cat >"$TEST_TMP/assert.lua" <<'LUA'
gs.start()
gs.step("park", 2)
gs.assert(ev.kind == "park", "a park")
gs.cmd("step 3")
gs.assert(#sched.runq < 0, "the global run queue is never shorter than 0")
print("not reached")
LUA
run_script assert examples/pingpong 20
expect_status 1
expect_contains "$REPL_ERR" "assert.lua:5: the global run queue is never shorter than 0"
expect_not_contains "$REPL_OUT" "not reached"

# gs.step takes the kind and the count in either order and refuses what is
# neither; once the program has exited, gs.cont and gs.step return nil.
cat >"$TEST_TMP/step.lua" <<'LUA'
gs.start()
gs.assert(gs.step(2, "park").kind == "park", "count then kind")
gs.assert(gs.step("ready", 1).kind == "ready", "kind then count")
for _, args in ipairs{{0}, {"park", "ready"}, {1, 2}, {1.5}, {{}}, {"park", 1, 2}} do
	local ok, err = pcall(gs.step, table.unpack(args))
	gs.assert(not ok and err:find("bad argument"), "refused: " .. tostring(err))
end
gs.assert(ev.kind == "ready", "nothing moved")
gs.assert(gs.cont() == nil and gs.cont() == nil and gs.step() == nil and gs.step("park", 2) == nil,
	"nil after the exit, every time")
print("step ok", gs.exitstatus)
-- a commands list given to gs.breakpoint: "silent" first hides the stops
n = 0
gs.breakpoint{on = "create", commands = {" silent", "n = n + 1", "continue"}}
gs.run()
print("silent creates", n)
-- commands given as a function: run with ev at each stop; true continues;
-- gs.breaks(n).commands is that function
local parks = 0
local function fn(e) parks = parks + 1; return parks < 3 end
local fb = gs.breakpoint{on = "park", commands = fn, silent = true}
gs.run()
print("function commands", parks, ev.kind, gs.breaks(fb).commands == fn, gs.breaks(fb).hits)
gs.cmd("kill")
gs.delete(fb)
local ok, err = pcall(gs.breakpoint, {tier = "event", cond = "#p[0].runq > 0"})
gs.assert(not ok and err:find('tier "event" is for conditions that read only ev; this one reads the global p', 1, true), tostring(err))
ok, err = pcall(gs.breakpoint, {on = "park", commands = {"print 1", 5}})
gs.assert(not ok and err:find("commands%[2%]: a line %(string%), not a number"), tostring(err))
gs.assert(#gs.breaks() == 1, "nothing made")
LUA
run_script step examples/pingpong 20
expect_status 0
expect_contains "$REPL_OUT" "step ok	0"
expect_match "$REPL_OUT" "^silent creates	[1-9][0-9]*$"
expect_contains "$REPL_OUT" "function commands	3	park	true	3"
expect_not_contains "$REPL_OUT" "breakpoint 1 ("
[ "$(sed -n '/^step ok/,$p' "$REPL_OUT" | grep -c "stopped at")" = 0 ] || fail "a silent stop was announced"

# Commands given as a function that raises an error that is no string:
# its text (__tostring), or its type; the run fails.
cat >"$TEST_TMP/fnerr.lua" <<'LUA'
local fb = gs.breakpoint{on = "park", commands = function()
	error(setmetatable({}, {__tostring = function() return "mine" end}))
end}
gs.run()
gs.delete(fb)
gs.breakpoint{on = "park", commands = function() error({}) end}
gs.cont()
gs.cmd("kill")
LUA
repl_run -batch "$TEST_TMP/fnerr.lua" examples/pingpong </dev/null
expect_status 1
expect_match "$REPL_ERR" "^error: breakpoint 1: mine$"
expect_match "$REPL_ERR" "^error: breakpoint 2: \(error object is a table value\)$"

# A Lua script given where the program goes is a usage error.
repl_run -x /dev/null "$TEST_TMP/step.lua" examples/pingpong </dev/null
expect_status 2
expect_contains "$REPL_ERR" "step.lua is a Lua script, not a program: it goes right after -batch"

# So is a command file (which would have run nothing, and passed).
printf 'print 1\n' >"$TEST_TMP/cmds.gsr"
repl_run "$TEST_TMP/cmds.gsr" examples/pingpong </dev/null
expect_status 2
expect_contains "$REPL_ERR" "cmds.gsr is not a Go source file, a package directory or an executable (a command file goes after -x"

# A Lua error and a failed command: status 1 with the script's file:line.
printf 'gs.start()\nlocal x = nil\nprint(x.y)\n' >"$TEST_TMP/error.lua"
run_script error examples/pingpong 20
expect_status 1
expect_match "$REPL_ERR" "error.lua:3: attempt to index a nil value"
printf '\ngs.cmd("step parkk")\n' >"$TEST_TMP/cmd.lua"
run_script cmd examples/pingpong 20
expect_status 1
expect_contains "$REPL_ERR" 'cmd.lua:2: step: unexpected "parkk"'

# expect_never: true once -> status 1, said once with where it was set; a
# condition that never holds -> status 0.
cat >"$TEST_TMP/never.lua" <<'LUA'
gs.expect_never("#sched.runq < 0", "negative run queue")
gs.expect_never{on = "create", cond = 'ev.g.startfn == "main.pong"', msg = "no pong"}
gs.run()
print("after run", gs.exitstatus, gs.breaks(2).failed, gs.breaks(1).failed)
LUA
run_script never examples/pingpong 20
expect_status 1
expect_contains "$REPL_ERR" 'never.lua:2: expect_never failed: no pong: ev.g.startfn == "main.pong"'
expect_match "$REPL_ERR" '^  \(breakpoint 2, at create: G[0-9]+ P[0-9]+ M[0-9]+ \(event [0-9]+\)\)$'
[ "$(grep -c 'expect_never failed' "$REPL_ERR")" = 1 ] || fail "expect_never reported more than once"
expect_contains "$REPL_OUT" "after run	0	true	false"
printf 'gs.expect_never("sched.ngoroutines < 0")\ngs.run()\n' >"$TEST_TMP/never-ok.lua"
run_script never-ok examples/pingpong 20
expect_status 0

# A Lua-tier watch whose condition errs at every evaluation was never
# checked: status 1. One that errs only at some events (no ev.g) is a
# warning. A table without msg says the condition once.
cat >"$TEST_TMP/never-err.lua" <<'LUA'
gs.expect_never{on = "park", cond = 'ev.g.startfn == main.pong'}
gs.expect_never{cond = 'ev.g.id < 0 and g[1] == nil'}
gs.expect_never{on = "create", cond = 'ev.g.startfn == "main.pong"'}
gs.run()
LUA
run_script never-err examples/pingpong 20
expect_status 1
expect_match "$REPL_ERR" "never-err.lua:1: expect_never: the condition failed at each of its [0-9]+ evaluations, so it was never checked: condition:1: attempt to index a nil value \(global 'main'\)$"
expect_not_contains "$REPL_ERR" "never-err.lua:2: expect_never"
expect_contains "$REPL_ERR" 'never-err.lua:3: expect_never failed: ev.g.startfn == "main.pong"'
expect_not_contains "$REPL_ERR" 'expect_never failed: ev.g.startfn == "main.pong": ev.g'

# Usage and build errors: status 2.
repl_run -batch "$TEST_TMP/missing.lua" examples/pingpong </dev/null
expect_status 2
expect_contains "$REPL_ERR" "missing.lua: cannot read the script"
mkdir -p "$TEST_TMP/dir.lua"
repl_run -batch "$TEST_TMP/dir.lua" examples/pingpong </dev/null
expect_status 2
expect_contains "$REPL_ERR" "dir.lua: cannot read the script (a directory)"
printf 'print("one")\n' >"$TEST_TMP/one.lua"
repl_run -batch "$TEST_TMP/one.lua" -batch "$TEST_TMP/one.lua" examples/pingpong </dev/null
expect_status 2
expect_contains "$REPL_ERR" "-batch runs one"
repl_run --json-out "$TEST_TMP/a.json" --json-out "$TEST_TMP/b.json" examples/pingpong </dev/null
expect_status 2
expect_contains "$REPL_ERR" "--json-out given twice"
printf 'package main\n\nfunc main() { undefined() }\n' >"$TEST_TMP/bad.go"
printf 'gs.run()\n' >"$TEST_TMP/run.lua"
run_script run "$TEST_TMP/bad.go"
expect_status 2
expect_contains "$REPL_ERR" "undefined"

# The program's arguments after --; -x then -ex then the script, in order.
printf 'break on create\nprint "from -x"\n' >"$TEST_TMP/cmds.gsr"
printf 'print("from the script", #gs.breaks())\n' >"$TEST_TMP/last.lua"
repl_run -batch "$TEST_TMP/last.lua" -x "$TEST_TMP/cmds.gsr" -ex 'print "from -ex"' \
	examples/pingpong -- 7 </dev/null
expect_status 0
expect_contains "$REPL_OUT" '"from -x"
"from -ex"
from the script	1'
repl_run -batch -x "$TEST_TMP/cmds.gsr" -ex 'run' -ex 'print #g > 0' examples/pingpong -- 7 \
	</dev/null
expect_status 0
expect_contains "$REPL_OUT" 'breakpoint 1 (on create), hit 1 time'
expect_match "$REPL_OUT" '^true$'

# --json: every stop, result, print and exit is a JSON line.
cat >"$TEST_TMP/json.lua" <<'LUA'
gs.breakpoint{on = "create", cond = 'ev.g.startfn == "main.worker"'}
gs.expect_never('ev.g.startfn == "main.ping"')
gs.run()
gs.cmd("print ev.g.startfn, #p[0].runq >= 0")
print("hello", 1)
gs.cmd("delete 1")
gs.cont()
LUA
run_script json --json examples/pingpong 5
expect_status 1
expect_match "$REPL_OUT" '^\{"type":"stop","reason":"break","bps":\[1\],"seq":[0-9]+,"kind":"create","g":[0-9]+,"p":[0-9]+,"m":[0-9]+,"goroutines":[0-9]+,"runnable":[0-9]+,"running":[0-9]+\}$'
expect_contains "$REPL_OUT" '{"type":"result","values":["main.worker",true]}'
expect_contains "$REPL_OUT" '{"type":"print","text":"hello\t1"}'
expect_match "$REPL_OUT" '^\{"type":"fail","where":"[^"]*json.lua:2","msg":"","cond":"ev.g.startfn == \\"main.ping\\"","at":"create: G[0-9]+ P[0-9]+ M[0-9]+ \(event [0-9]+\)"\}$'
expect_contains "$REPL_OUT" '{"type":"exit","status":0,"text":"exited with status 0"}'
# Nothing else on stdout but the program's own lines.
if grep -v '^{"type":' "$REPL_OUT" | grep -v '^pingpong: \|^workers: ' | grep -q .; then
	fail "non-JSON lines on stdout: $(grep -v '^{"type":' "$REPL_OUT")"
fi

# quit from Lua (gs.cmd) ends the session, from a script, a Lua line or a
# sourced .lua file: nothing after it runs, and it is no failure.
printf 'gs.start()\nprint("before")\ngs.cmd("quit")\nprint("after quit")\n' >"$TEST_TMP/quit.lua"
run_script quit tests/progs/hello.go
expect_status 0
expect_contains "$REPL_OUT" "before"
expect_not_contains "$REPL_ALL" "after quit"
repl_run -ex start -ex 'gs.cmd("quit")' -ex 'print "not here"' tests/progs/hello.go </dev/null
expect_status 0
expect_not_contains "$REPL_ALL" "not here"
repl_run -ex "source $TEST_TMP/quit.lua" -ex 'print "not here"' tests/progs/hello.go </dev/null
expect_status 0
expect_contains "$REPL_OUT" "before"
expect_not_contains "$REPL_ALL" "not here"
expect_not_contains "$REPL_ALL" "after quit"

# What Lua writes with io.write comes before what the program writes next.
printf 'gs.start()\nio.write("S1;")\ngs.cont()\n' >"$TEST_TMP/order.lua"
run_script order tests/progs/hello.go
expect_status 0
expect_match "$REPL_OUT" '^S1;hello'

# A Lua line run by gs.cmd fails at the script's file:line, not at "lua:1".
printf '\ngs.cmd("print nil .. 1")\n' >"$TEST_TMP/cmdlua.lua"
run_script cmdlua tests/progs/hello.go
expect_status 1
expect_match "$REPL_ERR" '^.*cmdlua\.lua:2: attempt to concatenate a nil value'
expect_not_contains "$REPL_ERR" "lua:1:"

# An error inside a function of the script comes with a traceback; one in
# the script's own lines (a failed gs.assert) without.
printf 'local function f(x)\n\treturn x.y\nend\nf(nil)\n' >"$TEST_TMP/nested.lua"
run_script nested tests/progs/hello.go
expect_status 1
expect_contains "$REPL_ERR" "nested.lua:2: attempt to index a nil value (local 'x')"
expect_contains "$REPL_ERR" "stack traceback:"
expect_match "$REPL_ERR" "nested\.lua:4: in main chunk"
printf 'gs.assert(false, "nope")\n' >"$TEST_TMP/flat.lua"
run_script flat tests/progs/hello.go
expect_status 1
expect_contains "$REPL_ERR" "flat.lua:1: nope"
expect_not_contains "$REPL_ERR" "traceback"
