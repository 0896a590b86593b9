#!/usr/bin/env bash
# The acceptance scenario: start, inspect, step, continue to the end, run again.
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

repl_run examples/pingpong <<'CMDS'
start
print p[0].runq
ev.p.m.curg
#sched.runq
print ev.kind
step
print ev.g == nil or ev.g.id > 0
continue
run
quit
CMDS
expect_status 0
expect_match "$REPL_OUT" '^stopped at [a-z]+: G[0-9]+ '
expect_contains "$REPL_OUT" "pingpong: 1000 round trips, final value 1000"
expect_contains "$REPL_OUT" "[program exited with status 0]"
expect_contains "$REPL_OUT" "true"
# The bare expression ev.p.m.curg printed the goroutine running on the event's P.
expect_match "$REPL_OUT" '^G[0-9]+ running '
# `run` started it again: the program's output appears twice.
[ "$(grep -c '^pingpong: 1000 round trips' "$REPL_OUT")" = 2 ] || fail "run did not start the program again"
[ ! -s "$REPL_ERR" ] || fail "unexpected stderr: $(cat "$REPL_ERR")"

# The demo script works too.
repl_run examples/pingpong <examples/demo.gsr
expect_status 0
expect_contains "$REPL_OUT" "[program exited with status 0]"

# Before a stop and after the exit the model globals are nil, and an error
# about one says why.
repl_run tests/progs/hello.go <<'CMDS'
print #g
run
print ev.kind
x = 1
CMDS
expect_status 1
expect_contains "$REPL_ERR" "attempt to get length of a nil value (global 'g') (the model exists at a stop; the program is not running: use start or run)"
expect_contains "$REPL_ERR" "(global 'ev') (the model exists at a stop; the program is not running: use start or run)"

# A program that runs itself again: the child does not inherit the
# debugger (its runtime would wait for a first command that never comes).
repl_run tests/progs/reexec.go <<'CMDS'
run
CMDS
expect_status 0
expect_contains "$REPL_OUT" "parent: child says hello"
expect_contains "$REPL_OUT" "[program exited with status 0]"
# Nor an image the program execs in its own place (the same pid), which
# used to wait forever; neither sees the debugger's variables.
repl_run tests/progs/selfexec.go <<'CMDS'
run
CMDS
expect_status 0
expect_match "$REPL_OUT" '^first: pid [0-9]+ vars 0$'
expect_match "$REPL_OUT" '^again: pid [0-9]+ vars 0$'
expect_contains "$REPL_OUT" "[program exited with status 4]"

# info target quotes the arguments a shell would need quoted.
repl_run tests/progs/hello.go -- a "b c" "" "it's" <<'CMDS'
info target
CMDS
expect_contains "$REPL_OUT" "arguments:  a 'b c' '' 'it'\\''s'"
# ... and escapes what a terminal would not show as typed: control
# characters, bytes that are not UTF-8 (UTF-8 text stays as it is).
repl_run tests/progs/hello.go -- $'\xff\xfe' 'héllo wörld' $'a\tb' <<'CMDS'
info target
CMDS
expect_contains "$REPL_OUT" "arguments:  \$'\\xff\\xfe' 'héllo wörld' \$'a\\x09b'"

# The program dies with the debugger, even when the debugger is killed by
# SIGKILL (nothing would be left to drive it).
GOSCHED_HISTFILE=/dev/null XDG_CACHE_HOME=$E2E_OUT/cache \
	"$REPL" -batch -n -ex run examples/pingpong 100000000 </dev/null >/dev/null 2>&1 &
repl=$!
prog=
for _ in $(seq 400); do
	prog=$(pgrep -P "$repl" || true)
	[ -n "$prog" ] && break
	sleep 0.05
done
[ -n "$prog" ] || fail "the program did not start"
kill -KILL "$repl"
wait "$repl" 2>/dev/null || true
for _ in $(seq 100); do # gone, or a zombie waiting for init
	state=$(ps -o stat= -p "$prog" 2>/dev/null || true)
	case "$state" in ''|Z*) break ;; esac
	sleep 0.05
done
case "$state" in ''|Z*) ;; *) kill -KILL "$prog"; fail "the program ($prog) outlived its debugger" ;; esac

# The same from C (system(3) passes the process's own environment): the
# child sees the variables but is not the process launched, and runs alone.
repl_run tests/progs/reexec.go c <<'CMDS'
run
CMDS
expect_status 0
expect_contains "$REPL_OUT" "parent: child says hello"
