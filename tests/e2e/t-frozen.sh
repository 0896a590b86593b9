#!/usr/bin/env bash
# While stopped the program makes no progress: a goroutine that writes a line
# every millisecond writes none while the REPL waits a second at the prompt.
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

f="$TEST_TMP/ticks"
repl_run tests/progs/ticker.go "$f" 200 <<CMDS
start
step syscall 20
function nlines() local n = 0 for _ in io.lines("$f") do n = n + 1 end return n end
before = nlines()
os.execute("sleep 1")
after = nlines()
print("ticks", before, after)
print(before >= 10 and before == after)
continue
CMDS
expect_status 0
expect_match "$REPL_OUT" '^ticks	[0-9]+	[0-9]+$'
expect_contains "$REPL_OUT" "true"
expect_not_contains "$REPL_OUT" "false"
expect_contains "$REPL_OUT" "ticker: 200 lines"
[ "$(wc -l <"$f")" = 200 ] || fail "ticker wrote $(wc -l <"$f") lines, want 200"
