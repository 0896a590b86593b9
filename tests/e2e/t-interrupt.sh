#!/usr/bin/env bash
# Ctrl-C without a terminal: the REPL, reading commands from a pipe, gets the
# SIGINT itself and asks the program to stop (SIGURG from its pid). The
# program stops where it is; the status line says "interrupted"; it can be
# inspected, continued and interrupted again. A Lua loop or a command file
# that drives the program is interrupted too. (t-tty-interrupt does this at
# a terminal.)
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

f=$TEST_TMP/ticks
in=$TEST_TMP/in out=$TEST_TMP/out err=$TEST_TMP/err
mkfifo "$in"
GOSCHED_HISTFILE=/dev/null XDG_CACHE_HOME=$E2E_OUT/cache \
	timeout -k 5 120 "$REPL" -batch -n tests/progs/ticker.go "$f" 1000000 <"$in" >"$out" 2>"$err" &
pid=$!
exec 3>"$in"
trap 'kill $pid 2>/dev/null || true' EXIT
repl=$(pgrep -P $pid -x gosched-repl || true) # the REPL under timeout
for _ in $(seq 100); do [ -n "$repl" ] && break; sleep 0.05; repl=$(pgrep -P $pid -x gosched-repl || true); done
[ -n "$repl" ] || fail "gosched-repl did not start"

# until TEXT: wait (at most 60 s) until the REPL's output has TEXT N times (default 1).
until_out() {
	local n=${2:-1}
	for _ in $(seq 1200); do
		[ "$(grep -c -- "$1" "$out" || true)" -ge "$n" ] && return 0
		sleep 0.05
	done
	_show "$out"; _show "$err"
	fail "no \"$1\" (x$n) in the output"
}

# ticks: how many lines the program has written.
ticks() {
	if [ -f "$f" ]; then wc -l <"$f"; else echo 0; fi
}

# running_more: wait until the program writes more ticks than now.
running_more() {
	local before
	before=$(ticks)
	for _ in $(seq 1200); do
		[ "$(ticks)" -gt "$before" ] && return 0
		sleep 0.05
	done
	fail "the program does not run"
}

echo start >&3
until_out "stopped at"
echo continue >&3
running_more
kill -INT "$repl"
until_out "interrupted: "
echo 'print("kind", ev.kind, stop.reason)' >&3
echo 'info target' >&3
until_out "state:      stopped at interrupt"
echo continue >&3
running_more
kill -INT "$repl"
until_out "interrupted: " 2
# A Lua loop resuming the program: Ctrl-C stops the program and the loop.
echo 'n = 0 while true do gs.cont() n = n + 1 end' >&3
running_more
kill -INT "$repl"
until_out "interrupted: " 3
echo 'print("loops", n)' >&3
# A command file that resumes the program: Ctrl-C stops the program and the file.
printf 'continue\nprint("not reached")\n' >"$TEST_TMP/cont.gsr"
echo "source $TEST_TMP/cont.gsr" >&3
running_more
kill -INT "$repl"
until_out "interrupted: " 4
echo kill >&3
echo quit >&3
exec 3>&-
rc=0
wait "$pid" || rc=$?
cat "$out" "$err" >&2
[ "$rc" = 1 ] || fail "exit status $rc, want 1 (the interrupted Lua loop failed)"
expect_match "$out" '^interrupted: (G[0-9]+ on )?(P[0-9]+ )?M[0-9]+ \(event [0-9]+\) \| goroutines [0-9]+, runnable [0-9]+, running [0-9]+$'
expect_contains "$out" "kind	interrupt	interrupt"
expect_contains "$out" "loops	0"
expect_contains "$err" "interrupted!"
expect_contains "$err" "$TEST_TMP/cont.gsr:1: interrupted: the rest of the file is not run"
expect_not_contains "$out" "not reached"
expect_contains "$out" "[program killed]"

# A breakpoint condition that never returns: Ctrl-C stops it (not counted
# as a condition error) and the program, the REPL goes on; SIGTERM ends a
# session stuck in one. A batch script stopped by Ctrl-C says file:line.
spin='break on park if (function() while true do end end)()'
printf '%s\nrun\nprint("alive", ev.kind, stop.reason, gs.eval("1 == 1"))\ninfo breaks\nkill\n' "$spin" >"$TEST_TMP/spin.gsr"
repl_signal INT spin "$TEST_TMP/spin.gsr" -batch -n tests/progs/hello.go
[ "$REPL_STATUS" = 0 ] || fail "exit status $REPL_STATUS after Ctrl-C in a condition, want 0"
expect_match "$TEST_TMP/spin.out" '^interrupted at park'
expect_match "$TEST_TMP/spin.out" '^alive	park	interrupt	true$'
expect_not_contains "$TEST_TMP/spin.out" "condition error"
expect_not_contains "$TEST_TMP/spin.err" "condition error"

repl_signal TERM term /dev/null -batch -n -ex "$spin" -ex run -ex 'print("not reached")' tests/progs/hello.go
[ "$REPL_STATUS" != 124 ] && [ "$REPL_STATUS" != 137 ] || fail "SIGTERM did not end a session stuck in a condition"
expect_not_contains "$TEST_TMP/term.out" "not reached"

printf 'gs.breakpoint{on = "park", cond = function() while true do end end}\ngs.run()\n' >"$TEST_TMP/spin.lua"
repl_signal INT lua /dev/null -batch "$TEST_TMP/spin.lua" -n tests/progs/hello.go
[ "$REPL_STATUS" = 1 ] || fail "exit status $REPL_STATUS for an interrupted script, want 1"
expect_match "$TEST_TMP/lua.err" "spin\.lua:[0-9]+: interrupted!$"

# A program that ignores SIGINT is still stopped by the Ctrl-C a terminal
# sends it (while a debugger is attached, the runtime keeps its handler).
printf 'run\nprint("stopped", stop.reason)\nkill\n' >"$TEST_TMP/ign.gsr"
REPL_SIGNAL_TO=program REPL_SIGNAL_DELAY=1 repl_signal INT ign "$TEST_TMP/ign.gsr" -batch -n tests/progs/ignint.go
[ "$REPL_STATUS" = 0 ] || fail "exit status $REPL_STATUS, want 0"
expect_contains "$TEST_TMP/ign.out" "ignint: ignoring SIGINT"
expect_contains "$TEST_TMP/ign.out" "stopped	interrupt"

# A Ctrl-C that reaches the program while it is stopped (a step's stop,
# before the debugger has the terminal back) is not lost: the program
# stops again, interrupted, as soon as it is resumed.
XDG_CACHE_HOME=$E2E_OUT/cache "$REPL" build examples/pingpong -o "$TEST_TMP/pendprog" ||
	fail "gosched-repl build failed"
cat >"$TEST_TMP/pending.lua" <<'LUA'
gs.start()
gs.step(5)
os.execute("pkill -INT -f '^" .. os.getenv("PENDPROG") .. "'")
os.execute("sleep 0.3")
gs.step() -- interrupted at once: it stops the program and this script
print("not reached")
LUA
PENDPROG=$TEST_TMP/pendprog repl_run -batch "$TEST_TMP/pending.lua" "$TEST_TMP/pendprog" 1000000 </dev/null
expect_status 1
expect_match "$REPL_OUT" '^interrupted: '
[ "$(grep -c '^stopped at ' "$REPL_OUT")" = 2 ] || fail "the step after the Ctrl-C was not interrupted"
expect_contains "$REPL_ERR" "pending.lua:6: interrupted!"
expect_not_contains "$REPL_OUT" "not reached"

# Ctrl-C on a Lua loop in a command file ends the file there, as when it
# stops the program (the -ex commands after it still run).
printf 'print "before"\nwhile true do end\nprint "after"\n' >"$TEST_TMP/loop.gsr"
REPL_SIGNAL_AFTER=start repl_signal INT loop /dev/null -batch -n -x "$TEST_TMP/loop.gsr" -ex 'print "ex"' -ex start tests/progs/hello.go
expect_contains "$TEST_TMP/loop.out" '"before"'
expect_not_contains "$TEST_TMP/loop.out" '"after"'
expect_contains "$TEST_TMP/loop.err" "loop.gsr:2: interrupted: the rest of the file is not run"

# The same at the program's first event (where a launch installs the
# breakpoints and evaluates them): one SIGTERM ends the session, one
# Ctrl-C stops the program there.
printf 'break on create if (function() while true do end end)()\nrun\nprint("at", stop.reason)\nkill\n' \
	>"$TEST_TMP/first.gsr"
repl_signal INT first "$TEST_TMP/first.gsr" -batch -n tests/progs/hello.go
expect_contains "$TEST_TMP/first.out" "at	interrupt"
repl_signal TERM firstterm /dev/null -batch -n -ex 'break on create if (function() while true do end end)()' \
	-ex run -ex 'print("not reached")' tests/progs/hello.go
[ "$REPL_STATUS" != 124 ] && [ "$REPL_STATUS" != 137 ] || fail "one SIGTERM did not end the session"
expect_not_contains "$TEST_TMP/firstterm.out" "not reached"
