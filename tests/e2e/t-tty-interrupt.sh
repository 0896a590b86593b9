#!/usr/bin/env bash
# Ctrl-C at a real terminal (tmux): while the program runs it owns the
# terminal, so the SIGINT goes to it and its runtime stops it where it is
# (the program never sees it); the status line says "interrupted", and it
# can be inspected, continued and interrupted again. While Lua runs, Ctrl-C
# interrupts the Lua, also a loop that drives the program. (t-interrupt does
# this without a terminal.)
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
. "$(dirname "${BASH_SOURCE[0]}")/tty.sh"

f=$TEST_TMP/ticks
# ticks: how many lines the program has written.
ticks() {
	if [ -f "$f" ]; then wc -l <"$f"; else echo 0; fi
}
# running: wait until the program writes more ticks than now.
running() {
	local before
	before=$(ticks)
	_tty_until eval '[ "$(ticks)" -gt "$before" ]' || fail "the program does not run"
}

tty_start -- -q tests/progs/ticker.go "$f" 1000000
tty_line start
tty_wait '^stopped at [a-z]+: '
tty_line continue
running
tty_keys C-c
tty_wait '^(\^C)?interrupted: (G[0-9]+ on )?(P[0-9]+ )?M[0-9]+ \(event [0-9]+\) \| goroutines [0-9]+, runnable [0-9]+, running [0-9]+$'
tty_line 'print(ev.kind, stop.reason)'
tty_wait '^interrupt +interrupt$'
tty_line 'info target'
tty_wait '^state: +stopped at interrupt'

# Again: continue, Ctrl-C.
tty_line continue
running
tty_keys C-c
tty_wait 'interrupted: ' 2

# Ctrl-C in long Lua: the Lua stops, the session goes on.
tty_line 'while true do end'
tty_keys C-c
tty_wait 'interrupted!$'
tty_line '6 * 7'
tty_wait '^42$'

# A Lua loop that resumes the program: Ctrl-C stops the program and the loop.
tty_line 'n = 0 while true do gs.cont() n = n + 1 end'
running
tty_keys C-c
tty_wait 'interrupted: ' 3
tty_wait 'interrupted!$' 2
tty_line 'print("loops", n)'
tty_wait '^loops +0$'

tty_line kill
tty_wait '^\[program killed\]$'
tty_line quit
tty_exited
[ "$TTY_STATUS" = 0 ] || fail "exit status $TTY_STATUS"
