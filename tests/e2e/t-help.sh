#!/usr/bin/env bash
# help lists the commands by class, one line each; help CMD gives its usage
# and examples; an unknown or ambiguous command names the candidates, in
# help and at the prompt. No program is started.
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

repl_run examples/pingpong <<'CMDS'
help
print("== step")
help step
print("== gs")
help gs
print("== info")
help info
print("== errors")
help stpe
help st
help nosuchthing
help step extra
stpe 3
contineu
st
CMDS
expect_status 1

# The list: one section per class, one line per command.
for title in "Running the program:" "Inspecting a stop:" "Scripting:" "Support:"; do
	expect_contains "$REPL_OUT" "$title"
done
awk '/^Running the program:/ { f = 1; next } /^[A-Z]/ { f = 0 } f' "$REPL_OUT" >"$TEST_TMP/running"
for c in start run "continue, c" "step, s" kill; do
	expect_match "$TEST_TMP/running" "^  $c +[a-z]"
done
awk '/^Inspecting a stop:/ { f = 1; next } /^[A-Z]/ { f = 0 } f' "$REPL_OUT" >"$TEST_TMP/inspecting"
for c in "print, p" "info, i" "goroutines, gs"; do
	expect_match "$TEST_TMP/inspecting" "^  $c +[a-z]"
done
expect_match "$REPL_OUT" '^  source +run the commands'
expect_match "$REPL_OUT" '^  help, h +list the commands'
# Every command the table has appears once.
n=$(awk '/^[A-Z][a-z ]*:$/ { f = 1; next } /^[A-Z]/ { f = 0 } f && /^  [a-z]/' "$REPL_OUT" | wc -l)
[ "$n" -ge 13 ] || fail "help lists only $n commands"

# help CMD: usage line, text, examples.
awk '/^== step$/ { f = 1; next } /^== / { f = 0 } f' "$REPL_OUT" >"$TEST_TMP/step"
head -n 1 "$TEST_TMP/step" | grep -qx 'step \[KIND\] \[N\]  (alias: s)' || fail "help step: bad usage line"
expect_contains "$TEST_TMP/step" "step park 3"
awk '/^== gs$/ { f = 1; next } /^== / { f = 0 } f' "$REPL_OUT" >"$TEST_TMP/gs"
head -n 1 "$TEST_TMP/gs" | grep -qx 'goroutines \[-group BY\] \[-n N\] \[FILTER\]  (alias: gs)' ||
	fail "help gs: bad usage line"
expect_contains "$TEST_TMP/gs" "Examples:"
expect_contains "$TEST_TMP/gs" "gs -group waitreason"
awk '/^== info$/ { f = 1; next } /^== / { f = 0 } f' "$REPL_OUT" >"$TEST_TMP/info"
for sub in target sched "p \[N\]" "m \[N\]" "g \[ID\]"; do
	expect_match "$TEST_TMP/info" "^  info $sub "
done

# Unknown and ambiguous names get the candidates.
expect_contains "$REPL_ERR" 'error: no command "stpe" (did you mean step?)'
expect_contains "$REPL_ERR" 'error: ambiguous command "st": could be start, step'
expect_contains "$REPL_ERR" 'error: no command "nosuchthing" ("help" lists them)'
expect_contains "$REPL_ERR" 'error: usage: help [COMMAND]'
expect_contains "$REPL_ERR" "error: lua:1: syntax error near '3' (\"stpe\" is not a command; did you mean step?)"
expect_contains "$REPL_ERR" 'error: no command or variable "contineu" (did you mean continue?)'
[ "$(grep -c 'ambiguous command "st": could be start, step' "$REPL_ERR")" = 2 ] ||
	fail "st at the prompt did not name the candidates"
