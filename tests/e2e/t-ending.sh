#!/usr/bin/env bash
# How a program ends, caught before it is gone. A program about to die of a
# deadlock the runtime found: `break on deadlock` stops it there with every
# goroutine still waiting where it was (listings, bt, history), in each tier
# and from Lua; continuing lets it die as it would (fatal error, status 2).
# A program that ends normally (main returns, os.Exit): `break on end`, with
# the exit status as ev.code. Without the breakpoints nothing changes.
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

repl_run tests/progs/deadlock.go <<'CMDS'
break on deadlock
run
print("ev", ev.kind, ev.reason, ev.g, ev.p, stop.reason, stop.bps[1])
goroutines -group startfn status == "waiting" and not system
bt 1
history 3
continue
CMDS
expect_status 0
expect_contains "$REPL_OUT" "breakpoint 1: on deadlock [runtime]"
expect_match "$REPL_OUT" '^stopped at deadlock \(all goroutines are asleep\): M[0-9]+ \(event [0-9]+\) \| goroutines [0-9]+, runnable 0, running 0$'
expect_contains "$REPL_OUT" 'ev	deadlock	all goroutines are asleep	nil	nil	break	1'
expect_contains "$REPL_OUT" "main.waiter: 3 goroutines"
expect_match "$REPL_OUT" '^ +/.*/tests/progs/deadlock\.go:38$'
expect_match "$REPL_OUT" '^ +[-+][0-9.]+ms +deadlock +- +- +M[0-9]+ +all goroutines are asleep$'
expect_contains "$REPL_ERR" "fatal error: all goroutines are asleep - deadlock!"
expect_contains "$REPL_OUT" "[program exited with status 2]"

# main called runtime.Goexit; the Lua tier sees the same event (a check).
repl_run tests/progs/deadlock.go goexit <<'CMDS'
break -lua on deadlock if ev.reason:match("Goexit")
run
print("goexit", ev.reason, gs.breaks(1).tier)
CMDS
expect_status 0
expect_contains "$REPL_OUT" 'goexit	no goroutines (main called runtime.Goexit)	lua/event'

# From a script: gs.cont() returns the deadlock, then nil at the exit.
cat >"$TEST_TMP/dl.lua" <<'LUA'
gs.breakpoint{on = "deadlock"}
local e = gs.run()
print("first", e and e.kind)
print("then", gs.cont(), gs.exitstatus)
LUA
repl_run -batch "$TEST_TMP/dl.lua" tests/progs/deadlock.go </dev/null
expect_status 0
expect_contains "$REPL_OUT" "first	deadlock"
expect_contains "$REPL_OUT" "then	nil	2"

# No breakpoint: the program dies as it would.
repl_run tests/progs/deadlock.go <<'CMDS'
run
CMDS
expect_status 0
expect_not_contains "$REPL_OUT" "stopped at deadlock"
expect_contains "$REPL_OUT" "[program exited with status 2]"

# end: main returned (status 0), or os.Exit(3); not for a panic or a deadlock.
repl_run tests/progs/hello.go <<'CMDS'
break on end
run
print("end", ev.kind, ev.code, ev.g.id, stop.bps[1])
history 5
continue
CMDS
expect_status 0
expect_match "$REPL_OUT" '^stopped at end \(status 0\): G1 on P[0-9]+ M[0-9]+ \(event [0-9]+\)'
expect_contains "$REPL_OUT" "end	end	0	1	1"
expect_match "$REPL_OUT" '^ +[-+][0-9.]+ms +end +G1 .* status 0$'
expect_contains "$REPL_OUT" "[program exited with status 0]"
repl_run tests/progs/exit3.go <<'CMDS'
break -lua on end if ev.code == 3
run
print("exit3", ev.code, gs.breaks(1).tier)
continue
CMDS
expect_status 0
expect_contains "$REPL_OUT" "stopped at end (status 3)"
expect_contains "$REPL_OUT" "exit3	3	lua/event"
expect_contains "$REPL_OUT" "[program exited with status 3]"
for prog in tests/progs/panics.go tests/progs/deadlock.go; do
	repl_run -ex 'break on end' -ex run "$prog" </dev/null
	expect_status 0
	expect_not_contains "$REPL_OUT" "stopped at end"
	expect_contains "$REPL_OUT" "[program exited with status 2]"
done

# A program killed while stopped: the end is said at the next command
# (here, the line that killed it), the stop is gone (the model with it),
# and what the session holds stays (history off applies to the next
# program). (A request sent as it dies says how it ended too.)
repl_run examples/pingpong 100 <<'CMDS'
start
os.execute("kill -9 " .. m[0].procid .. "; sleep 0.3") -- (M0's thread id is the pid)
history 3
print("model", ev)
history off
start
history
info target
kill
CMDS
expect_status 1
expect_contains "$REPL_OUT" "[program terminated by signal SIGKILL]"
expect_contains "$REPL_ERR" 'error: the program is not running (use start or run)'
expect_contains "$REPL_OUT" "model	nil"
expect_contains "$REPL_ERR" 'history is off ("history on" records from the next event)'
expect_contains "$REPL_OUT" "history:    off"

# The end is the last event: goroutines still running while the program
# exits record nothing and stop nothing (the yielders yield all along: a
# breakpoint on yield set at the end would otherwise stop it, or not, as
# the exit raced them).
repl_run tests/progs/yielders.go <<'CMDS'
break on end
run
break on yield
continue
CMDS
expect_status 0
expect_contains "$REPL_OUT" "stopped at end"
expect_not_contains "$REPL_OUT" "stopped at yield"
expect_contains "$REPL_OUT" "[program exited with status 0]"
