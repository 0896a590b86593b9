#!/usr/bin/env bash
# Tab completion at a real terminal (tmux): command names, the fields of the
# live model (p[0].r -> runnext, runq; g[1].), event kinds after step, help's
# argument; Ctrl-C at the prompt clears the line. (test_complete.c covers the
# cases one by one.)
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
. "$(dirname "${BASH_SOURCE[0]}")/tty.sh"

tty_start -- -q examples/pingpong
tty_prompt_is "(gosched)"

# A command name: one match, completed with a space.
tty_type "sta"
tty_keys Tab
tty_prompt_is "(gosched) start"
tty_keys Enter
tty_wait '^stopped at [a-z]+: '

# Fields of the live values: p[0].r has two, runnext and runq; Tab inserts
# what they share, two more list them (readline's way).
tty_type "p[0].r"
tty_keys Tab
tty_prompt_is "(gosched) p[0].run"
tty_keys Tab Tab
tty_wait '^runnext +runq$'
tty_prompt_is "(gosched) p[0].run"
tty_type "q"
tty_keys Enter
tty_wait '^\(gosched\) p\[0\]\.runq$'

# One field: completed in place; then the goroutine's fields after a dot.
tty_type "print g[1].star"
tty_keys Tab
tty_prompt_is "(gosched) print g[1].startfn"
tty_keys Enter
tty_wait '^"runtime\.main"$'
tty_type "g[1]."
tty_keys Tab Tab
tty_wait '^createdby +labels +.*startfn'
# Ctrl-C abandons the line: what was typed is not run.
tty_keys C-c
tty_prompt_is "(gosched)"
tty_line "1 + 1"
tty_wait '^2$'

# Event kinds after step, command names after help.
tty_type "step pa"
tty_keys Tab
tty_prompt_is "(gosched) step park"
tty_keys Enter
tty_wait '^stopped at park'
tty_type "help gor"
tty_keys Tab
tty_prompt_is "(gosched) help goroutines"
tty_keys Enter
tty_wait '^goroutines \[-group BY\]'
tty_type "gs -group wa"
tty_keys Tab
tty_prompt_is "(gosched) gs -group waitreason"
tty_keys Enter
tty_wait '^[0-9]+ groups?, [0-9]+ goroutines?$'

tty_line kill
tty_wait '^\[program killed\]$'
tty_line quit
tty_exited
[ "$TTY_STATUS" = 0 ] || fail "exit status $TTY_STATUS"
