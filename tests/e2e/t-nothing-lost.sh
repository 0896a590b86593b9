#!/usr/bin/env bash
# Output and exit status are the same with and without the debugger, after
# 200 stop/continue cycles on a program with hundreds of goroutines.
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

gobuild_plain tests/progs/many.go many
"$BIN" >"$TEST_TMP/plain.out"
{
	echo start
	for _ in $(seq 200); do echo "step 3"; done
	echo 'print stop.unfrozen'
	echo continue
} >"$TEST_TMP/cmds"
repl_run tests/progs/many.go <"$TEST_TMP/cmds"
expect_status 0
[ "$(grep -c '^stopped at ' "$REPL_OUT")" -ge 201 ] || fail "fewer than 201 stops"
grep '^many:' "$REPL_OUT" >"$TEST_TMP/debugged.out"
diff -u "$TEST_TMP/plain.out" "$TEST_TMP/debugged.out" || fail "program output differs under the debugger"
expect_contains "$REPL_OUT" "[program exited with status 0]"
