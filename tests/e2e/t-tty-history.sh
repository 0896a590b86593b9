#!/usr/bin/env bash
# The history at a real terminal (tmux): each line is appended to the file as
# it is entered, the next session loads it (Up recalls it); the default file
# is $XDG_STATE_HOME/gosched-repl/history, GOSCHED_HISTFILE overrides it and
# /dev/null disables it. An empty line repeats step (and continue).
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
. "$(dirname "${BASH_SOURCE[0]}")/tty.sh"

hist=$TEST_TMP/hist
# has_lines FILE N: FILE exists with at least N lines.
has_lines() {
	[ -f "$1" ] && [ "$(wc -l <"$1")" -ge "$2" ]
}

# Line by line: the file has each line while the session goes on.
tty_start GOSCHED_HISTFILE="$hist" -- -q examples/pingpong
tty_line 'x = 41'
_tty_until has_lines "$hist" 1 || fail "the first line did not reach the history file"
grep -qx 'x = 41' "$hist" || fail "history file: $(cat "$hist")"
tty_line 'x + 1'
tty_wait '^42$'
_tty_until has_lines "$hist" 2 || fail "the second line did not reach the history file"
tty_line 'x + 1'    # a repeat is not added again
tty_wait '^42$' 2
tty_line quit
tty_exited
[ "$(cat "$hist")" = "$(printf 'x = 41\nx + 1\nquit')" ] || fail "history file: $(cat "$hist")"

# The next session loads it: Up recalls the lines, newest first.
tty_start GOSCHED_HISTFILE="$hist" -- -q examples/pingpong
tty_prompt_is "(gosched)"
tty_keys Up
tty_prompt_is "(gosched) quit"
tty_keys Up Up
tty_prompt_is "(gosched) x = 41"
tty_keys Enter
tty_keys Down # back at an empty line
tty_line 'x * 2'
tty_wait '^82$'

# An empty line repeats step (with its count); after another command or a
# Lua line it does nothing.
stops='^stopped at [a-z]+.*: .*\(event [0-9]+\) \|'
tty_line start
tty_wait "$stops" 1
tty_line step
tty_wait "$stops" 2
tty_keys Enter
tty_wait "$stops" 3
tty_line 'y = 1'
tty_keys Enter
tty_line 'print("after y")'
tty_wait '^after y$'
[ "$(tty_count "$stops")" = 3 ] || fail "an empty line after a Lua line stepped"
tty_line 'step 2'
tty_wait "$stops" 4
tty_keys Enter
tty_wait "$stops" 5
events=$(tty_screen | grep -E "$stops" | sed -E 's/.*\(event ([0-9]+)\).*/\1/' | tr '\n' ' ')
read -r e1 e2 e3 e4 e5 <<<"$events"
[ "$e1" -lt "$e2" ] && [ "$e2" -lt "$e3" ] && [ "$e3" -lt "$e4" ] && [ "$e4" -lt "$e5" ] ||
	fail "the events did not advance: $events"
# continue repeats too: the program has ended, so the repeat says so.
tty_line continue
tty_wait '^\[program exited with status 0\]$'
tty_keys Enter
tty_wait '^error: the program is not running \(use start or run\)$'
tty_line quit
tty_exited
grep -qx 'step 2' "$hist" || fail "step 2 is not in the history"
[ "$(grep -c '^$' "$hist")" = 0 ] || fail "empty lines in the history"

# The default file, under XDG_STATE_HOME (the directory is made).
tty_start -u GOSCHED_HISTFILE -- -q examples/pingpong
tty_line 'z = 3'
_tty_until has_lines "$TEST_TMP/state/gosched-repl/history" 1 || fail "no history in XDG_STATE_HOME"
tty_line quit
tty_exited
grep -qx 'z = 3' "$TEST_TMP/state/gosched-repl/history" || fail "default history: wrong content"

# GOSCHED_HISTFILE=/dev/null: no history is written anywhere.
rm -rf "$TEST_TMP/state"
tty_start GOSCHED_HISTFILE=/dev/null -- -q examples/pingpong
tty_line 'w = 4'
tty_line 'w'
tty_wait '^4$'
tty_line quit
tty_exited
[ ! -e "$TEST_TMP/state/gosched-repl/history" ] || fail "a history file was written"
