# tty.sh -- drive gosched-repl at a real terminal, for the t-tty-*.sh tests.
#
# A test sources lib.sh, then this file:
#
#	. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
#	. "$(dirname "${BASH_SOURCE[0]}")/tty.sh"
#
# Each tty_start gets its own tmux server (a new socket in TEST_TMP, so a
# server still shutting down never meets the next client), killed by the
# next tty_start or when the test exits. The pane stays after gosched-repl
# exits, so what it printed last can still be read. gosched-repl runs
# under `sh -c` that ignores SIGINT and writes its exit status to a file
# (tmux does not always reap a pane's process promptly). Nothing sleeps for
# a fixed time: every wait polls the screen (or a file) and gives up after
# TTY_TIMEOUT seconds (default 60).
#
#	tty_start [-u NAME] [-o FILE] [ENV=VAL...] -- ARGS...
#	    Run `env ENV=VAL... ./gosched-repl ARGS` in a 160x50 pane (with -o,
#	    its standard output to FILE rather than the terminal). The
#	    environment: HOME, XDG_CONFIG_HOME and XDG_STATE_HOME under
#	    TEST_TMP, INPUTRC=/dev/null, the shared XDG_CACHE_HOME of the e2e
#	    tests, GOSCHED_HISTFILE=/dev/null unless the arguments set or unset
#	    (-u) it; ENV=VAL pairs come after, so they win.
#	tty_shell
#	    Run an interactive bash (no rc files, prompt "$ ", job control) in
#	    a 160x50 pane, in the repository root, with the environment of
#	    tty_start: a test types gosched-repl's command line itself (for
#	    Ctrl-Z and fg).
#	tty_type TEXT        type TEXT literally (no Enter)
#	tty_keys KEY...      tmux key names: Enter, Tab, C-c, C-d, Up, ...
#	tty_line TEXT        type TEXT and Enter
#	tty_wait REGEX [N]   wait until N (default 1) lines of the screen and its
#	                     scrollback match the extended REGEX
#	tty_prompt_is TEXT   wait until the last non-empty line is exactly TEXT
#	                     (the line being edited at the prompt)
#	tty_exited           wait until gosched-repl has exited; TTY_STATUS is its status
#	tty_screen           print the screen and scrollback (no trailing blanks)
#	tty_count REGEX      how many lines of the screen match REGEX

TTY_TIMEOUT=${TTY_TIMEOUT:-60}
TTY_SOCK=   # the current server's socket
TTY_STATUS=
_tty_n=0

command -v tmux >/dev/null || fail "tmux is not installed (scripts/install-deps.sh installs it)"

_tmux() {
	tmux -S "$TTY_SOCK" "$@"
}

_tty_cleanup() {
	[ -n "$TTY_SOCK" ] && [ -S "$TTY_SOCK" ] && _tmux kill-server 2>/dev/null
	true
}
trap _tty_cleanup EXIT

tty_start() {
	local env=() unset=() hist=GOSCHED_HISTFILE=/dev/null out=/dev/tty
	while [ $# -gt 0 ] && [ "$1" != -- ]; do
		case "$1" in
		-u) unset+=(-u "$2"); shift ;;
		-o) out=$2; shift ;;
		*) env+=("$1") ;;
		esac
		case "$1" in GOSCHED_HISTFILE*) hist= ;; esac
		shift
	done
	[ "${1:-}" = -- ] && shift
	mkdir -p "$TEST_TMP/home" "$TEST_TMP/config" "$TEST_TMP/state"
	printf 'set -g remain-on-exit on\nset -g history-limit 5000\n' >"$TEST_TMP/tmux.conf"
	local cmd
	rm -f "$TEST_TMP/tty.status"
	# shellcheck disable=SC2016 # $0 and $@ are the inner shell's
	cmd=$(printf '%q ' sh -c 'o=$1; shift; trap "" INT; "$@" >"$o"; echo $? >"$0"' "$TEST_TMP/tty.status" "$out" \
		env ${unset[@]+"${unset[@]}"} $hist HOME="$TEST_TMP/home" \
		XDG_CONFIG_HOME="$TEST_TMP/config" XDG_STATE_HOME="$TEST_TMP/state" \
		INPUTRC=/dev/null XDG_CACHE_HOME="$E2E_OUT/cache" ${GOCACHE:+GOCACHE="$GOCACHE"} \
		${GOMODCACHE:+GOMODCACHE="$GOMODCACHE"} \
		${env[@]+"${env[@]}"} "$ROOT/gosched-repl" "$@")
	echo "== tty_start: $cmd" >&2
	_tty_cleanup
	_tty_n=$((_tty_n + 1))
	TTY_SOCK=$TEST_TMP/tmux.$_tty_n.sock
	_tmux -f "$TEST_TMP/tmux.conf" new-session -d -x 160 -y 50 -s repl -c "$ROOT" "$cmd"
}

tty_shell() {
	mkdir -p "$TEST_TMP/home" "$TEST_TMP/config" "$TEST_TMP/state"
	printf 'set -g remain-on-exit on\nset -g history-limit 5000\n' >"$TEST_TMP/tmux.conf"
	local cmd
	cmd=$(printf '%q ' env GOSCHED_HISTFILE=/dev/null HOME="$TEST_TMP/home" \
		XDG_CONFIG_HOME="$TEST_TMP/config" XDG_STATE_HOME="$TEST_TMP/state" \
		INPUTRC=/dev/null XDG_CACHE_HOME="$E2E_OUT/cache" ${GOCACHE:+GOCACHE="$GOCACHE"} \
		${GOMODCACHE:+GOMODCACHE="$GOMODCACHE"} PS1='$ ' bash --norc --noprofile -i)
	echo "== tty_shell: $cmd" >&2
	_tty_cleanup
	_tty_n=$((_tty_n + 1))
	TTY_SOCK=$TEST_TMP/tmux.$_tty_n.sock
	_tmux -f "$TEST_TMP/tmux.conf" new-session -d -x 160 -y 50 -s repl -c "$ROOT" "$cmd"
}

tty_type() {
	_tmux send-keys -t repl -l -- "$1"
}

tty_keys() {
	_tmux send-keys -t repl "$@"
}

tty_line() {
	tty_type "$1"
	tty_keys Enter
}

tty_screen() {
	_tmux capture-pane -p -J -S - -t repl | sed -e 's/[[:space:]]*$//'
}

tty_count() {
	tty_screen | grep -cE -- "$1" || true
}

# _tty_until CMD...: run CMD every 50 ms until it succeeds, for TTY_TIMEOUT seconds.
_tty_until() {
	local i
	for ((i = 0; i < TTY_TIMEOUT * 20; i++)); do
		"$@" && return 0
		sleep 0.05
	done
	return 1
}

_tty_has() {
	[ "$(tty_count "$1")" -ge "$2" ]
}

tty_wait() {
	if ! _tty_until _tty_has "$1" "${2:-1}"; then
		tty_screen | grep -v '^$' >&2
		fail "the screen never showed ${2:-1} line(s) matching: $1"
	fi
}

_tty_last_is() {
	[ "$(tty_screen | grep -v '^$' | tail -n 1)" = "$1" ]
}

tty_prompt_is() {
	if ! _tty_until _tty_last_is "$1"; then
		tty_screen | grep -v '^$' >&2
		fail "the last line never became: $1"
	fi
}

_tty_dead() {
	[ -s "$TEST_TMP/tty.status" ]
}

tty_exited() {
	if ! _tty_until _tty_dead; then
		tty_screen | grep -v '^$' >&2
		fail "gosched-repl did not exit"
	fi
	TTY_STATUS=$(cat "$TEST_TMP/tty.status")
}
