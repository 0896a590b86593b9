#!/usr/bin/env bash
# A breakpoint's commands list typed at a real terminal (tmux): its lines
# have their own prompt (">", as gdb's), an empty line there is not a
# repeated step, Ctrl-D ends the list as "end" would (no quit question),
# and Ctrl-C drops the list being typed, keeping the breakpoint's own.
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
. "$(dirname "${BASH_SOURCE[0]}")/tty.sh"

tty_start -- -q examples/pingpong
tty_line start
tty_wait '^stopped at '
tty_line 'break on park'
tty_wait '^breakpoint 1: on park'
tty_line 'commands 1'
tty_prompt_is ">"
tty_line 'print "from the list"'
tty_keys Enter
tty_prompt_is ">"
tty_keys C-d
tty_prompt_is "(gosched)"
[ "$(tty_count 'y or n')" = 0 ] || fail "Ctrl-D in a list asked to quit"
tty_line 'info breaks'
tty_wait '^ +print "from the list"$'

# Ctrl-C while typing a new list: dropped, the old list stays.
tty_line 'commands 1'
tty_prompt_is ">"
tty_line 'print "never"'
tty_keys C-c
tty_wait '^\(the list is dropped; the breakpoint.s commands are unchanged\)$'
tty_prompt_is "(gosched)"
tty_line 'continue'
tty_wait '^"from the list"$'
[ "$(tty_count 'never')" = 1 ] || fail "the dropped list ran, or was not echoed once"
tty_line 'kill'
tty_line quit
tty_exited
