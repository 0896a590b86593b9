#!/usr/bin/env bash
# A target that panics, calls os.Exit(3) or is killed by a signal is reported
# with its status, and the REPL stays usable: `run` again works.
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

repl_run tests/progs/panics.go <<'CMDS'
run
run
print 1 + 1
CMDS
expect_status 0
[ "$(grep -c '^\[program exited with status 2\]' "$REPL_OUT")" = 2 ] || fail "panic not reported twice"
expect_contains "$REPL_ALL" "panic: gosched-repl test panic"
expect_match "$REPL_OUT" '^2$'

repl_run tests/progs/exit3.go <<'CMDS'
start
continue
run
CMDS
expect_status 0
[ "$(grep -c '^\[program exited with status 3\]' "$REPL_OUT")" = 2 ] || fail "exit 3 not reported twice"

repl_run tests/progs/killself.go <<'CMDS'
run
start
continue
CMDS
expect_status 0
[ "$(grep -c '^\[program terminated by signal SIGKILL\]' "$REPL_OUT")" = 2 ] || fail "SIGKILL not reported twice"

# Commands that need a stopped program say so, and nothing breaks.
repl_run tests/progs/hello.go <<'CMDS'
step
continue
print p[0]
run
CMDS
expect_contains "$REPL_ERR" "not running"
expect_contains "$REPL_OUT" "hello"
