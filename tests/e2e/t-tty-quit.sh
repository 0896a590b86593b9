#!/usr/bin/env bash
# Leaving at a real terminal (tmux): Ctrl-D or quit with the program alive
# asks first (n stays, y kills it and leaves); with no program it just
# leaves. The program is gone afterwards.
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
. "$(dirname "${BASH_SOURCE[0]}")/tty.sh"

ask='^The program is alive \(pid [0-9]+\)\. Kill it and quit\? \(y or n\)'

tty_start -- -q examples/pingpong
tty_line start
tty_wait '^stopped at '
tty_line 'info target'
tty_wait '^pid: +[0-9]+$'
pid=$(tty_screen | sed -n -E 's/^pid: +([0-9]+)$/\1/p' | tail -n 1)
kill -0 "$pid" || fail "the program ($pid) is not alive"

# Ctrl-D at an empty line: "quit", and the question; n stays.
tty_keys C-d
tty_wait "$ask"
tty_type n
tty_keys Enter
tty_line 'print(ev.kind ~= nil)'
tty_wait '^true$'
# (and readline forgot that Ctrl-D: no blank line after each command)
[ "$(tty_screen | grep -A1 '^(gosched) print(ev.kind ~= nil)$' | tail -n 1)" = true ] ||
	fail "a blank line follows the command after a Ctrl-D: $(tty_screen | tail -n 5)"
# quit: the question again; anything but y or n asks again; y leaves.
tty_line quit
tty_wait "$ask" 2
tty_line maybe
tty_wait '^Please answer y or n\.$'
tty_line y
tty_exited
[ "$TTY_STATUS" = 0 ] || fail "exit status $TTY_STATUS"
_tty_until eval '! kill -0 "$pid" 2>/dev/null' || fail "the program ($pid) is still alive"
[ "$(tty_count '^quit$')" = 1 ] || fail "Ctrl-D did not say quit"

# No program: quit and Ctrl-D leave at once.
tty_start -- -q examples/pingpong
tty_line quit
tty_exited
[ "$(tty_count 'y or n')" = 0 ] || fail "asked with no program"
tty_start -- -q examples/pingpong
tty_prompt_is "(gosched)"
tty_keys C-d
tty_exited
[ "$(tty_count 'y or n')" = 0 ] || fail "asked with no program"

# Ctrl-D at the ">>" of an unfinished Lua chunk drops the chunk, not the
# session; the next line is read afresh.
tty_start -- -q examples/pingpong
tty_prompt_is "(gosched)"
tty_line 'for i = 1, 2 do'
tty_prompt_is ">>"
tty_keys C-d
tty_wait '^\(the unfinished Lua chunk is dropped\)$'
tty_line '1 + 1'
tty_wait '^2$'
[ "$(tty_count 'y or n')" = 0 ] || fail "Ctrl-D at >> asked to quit"
tty_line quit
tty_exited

# Standard output kept in a file (or piped) while typing at a terminal:
# the prompt and the line editing go to the terminal, not into it.
tty_start -o "$TEST_TMP/kept.out" -- -q examples/pingpong
tty_prompt_is "(gosched)"
tty_line 'print("kept")'
tty_wait '^\(gosched\) print\("kept"\)$'
tty_line quit
tty_exited
expect_contains "$TEST_TMP/kept.out" "kept"
expect_not_contains "$TEST_TMP/kept.out" "(gosched)"
grep -q $'\e' "$TEST_TMP/kept.out" && fail "terminal control codes in the output: $(cat -v "$TEST_TMP/kept.out")"
true

# Ctrl-Z at the prompt, from a shell with job control: the terminal is put
# back before the REPL stops, and after fg the line being typed is drawn
# again and editing works (QA: editing was dead until Enter).
tty_shell
tty_prompt_is '$'
tty_line "$ROOT/gosched-repl -q -n examples/pingpong"
tty_prompt_is "(gosched)"
tty_type 'x = 1'
tty_keys C-z
tty_wait 'Stopped'
tty_prompt_is '$'
tty_line fg
tty_wait '^\(gosched\) x = 1$' 2
tty_type '23'
tty_keys Enter
tty_line 'print(x)'
tty_wait '^123$'
tty_line quit
tty_prompt_is '$'
