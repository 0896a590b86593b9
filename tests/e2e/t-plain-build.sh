#!/usr/bin/env bash
# The harness itself: a plain Go build of tests/progs/hello.go runs and prints
# "hello" (needs only Go, not gosched-repl).
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

gobuild_plain tests/progs/hello.go hello
"$BIN" >"$TEST_TMP/hello.out" 2>&1 || fail "hello exited with status $?"
expect_eq "$(cat "$TEST_TMP/hello.out")" "hello"
expect_contains "$TEST_TMP/hello.out" "hello"
expect_not_contains "$TEST_TMP/hello.out" "panic"
