# lib.sh -- helpers for the end-to-end tests (tests/e2e/t-*.sh).
#
# A test is a bash script that starts with
#
#	. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
#
# and passes when it exits 0. Sourcing this file turns on `set -euo pipefail`,
# changes to the repository root and sets:
#
#	ROOT       the repository root (the current directory)
#	TEST_NAME  the test's name, e.g. t-plain-build
#	E2E_OUT    tests/e2e/out (gitignored)
#	E2E_BIN    tests/e2e/out/bin, where gobuild_plain puts binaries
#	TEST_TMP   tests/e2e/out/TEST_NAME.d, emptied at the start of every test
#	REPL       ./gosched-repl
#
# Helpers:
#
#	repl_run PROG [ARGS...] <<EOF ... EOF
#	    Runs `./gosched-repl -batch -n PROG ARGS...` with the commands on stdin
#	    (GOSCHED_HISTFILE=/dev/null, XDG_CACHE_HOME=tests/e2e/out/cache shared by
#	    all tests so the runtime overlay build is reused, GOCACHE kept at the
#	    normal Go build cache, no more than REPL_TIMEOUT seconds, default 240).
#	    Never fails by itself; afterwards:
#	      REPL_STATUS  its exit status (124: timed out)
#	      REPL_OUT     file with its stdout
#	      REPL_ERR     file with its stderr
#	      REPL_ALL     file with stdout followed by stderr
#	    Every call gets new files (TEST_TMP/repl.N.*); all are copied into the log.
#	expect_contains FILE TEXT      FILE contains TEXT (a fixed string, may span lines)
#	expect_not_contains FILE TEXT  FILE does not contain TEXT
#	expect_match FILE REGEX        some line of FILE matches the extended regex
#	expect_eq A B                  the strings A and B are equal
#	expect_status N                REPL_STATUS is N
#	fail MSG                       fail the test with MSG
#	gobuild_plain SRC OUT          plain `go build -o` of SRC (a .go file or a
#	                               package directory) into E2E_BIN/OUT (or OUT
#	                               itself if it contains a '/'); sets BIN to the path
#
# Environment: GOSCHED_GO, the go command (default `go`, as for gosched-repl).

set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$ROOT"
TEST_NAME=$(basename "$0" .sh)
E2E_OUT=$ROOT/tests/e2e/out
E2E_BIN=$E2E_OUT/bin
TEST_TMP=$E2E_OUT/$TEST_NAME.d
REPL=./gosched-repl
GO=${GOSCHED_GO:-go}
REPL_TIMEOUT=${REPL_TIMEOUT:-240}
rm -rf "$TEST_TMP"
mkdir -p "$E2E_BIN" "$TEST_TMP" "$E2E_OUT/cache"

# A debugger socket inherited from outside must not reach the programs.
unset GOSCHED_REPL_SOCK
# XDG_CACHE_HOME is changed for gosched-repl only; keep Go's own build cache
# where it is (it would move with XDG_CACHE_HOME) so the standard library is
# not rebuilt from scratch.
if [ -z "${GOCACHE:-}" ]; then
	GOCACHE=$("$GO" env GOCACHE 2>/dev/null || true)
	[ -n "$GOCACHE" ] && export GOCACHE
fi
# The same for the module cache (which holds a GOTOOLCHAIN's download): a
# test that moves HOME (the terminal tests) must not fetch Go again.
if [ -z "${GOMODCACHE:-}" ]; then
	GOMODCACHE=$("$GO" env GOMODCACHE 2>/dev/null || true)
	[ -n "$GOMODCACHE" ] && export GOMODCACHE
fi

_repl_n=0

# fail MSG...: print MSG and end the test with status 1.
fail() {
	echo "FAIL: $*" >&2
	exit 1
}

# _show FILE: the content of FILE for a failure message (at most 60 lines).
_show() {
	echo "---- $1 ----" >&2
	if [ -f "$1" ]; then
		head -n 60 "$1" >&2
		[ "$(wc -l <"$1")" -le 60 ] || echo "... ($(wc -l <"$1") lines)" >&2
	else
		echo "(no such file)" >&2
	fi
	echo "----" >&2
}

# _has FILE TEXT: FILE contains the fixed string TEXT (which may hold newlines).
_has() {
	local content
	content=$(cat -- "$1"; echo .)
	[[ "$content" == *"$2"* ]]
}

expect_contains() {
	[ $# -eq 2 ] || fail "usage: expect_contains FILE TEXT"
	[ -f "$1" ] || { _show "$1"; fail "expect_contains: no file $1"; }
	if ! _has "$1" "$2"; then
		_show "$1"
		fail "expected $1 to contain: $2"
	fi
}

expect_not_contains() {
	[ $# -eq 2 ] || fail "usage: expect_not_contains FILE TEXT"
	[ -f "$1" ] || fail "expect_not_contains: no file $1"
	if _has "$1" "$2"; then
		_show "$1"
		fail "expected $1 not to contain: $2"
	fi
}

expect_match() {
	[ $# -eq 2 ] || fail "usage: expect_match FILE REGEX"
	if ! grep -qE -- "$2" "$1" 2>/dev/null; then
		_show "$1"
		fail "expected a line of $1 to match: $2"
	fi
}

expect_eq() {
	[ $# -eq 2 ] || fail "usage: expect_eq A B"
	if [ "$1" != "$2" ]; then
		printf 'expected equal:\n  A: %s\n  B: %s\n' "$1" "$2" >&2
		fail "values differ"
	fi
}

expect_status() {
	[ $# -eq 1 ] || fail "usage: expect_status N"
	if [ "${REPL_STATUS:-}" != "$1" ]; then
		[ -n "${REPL_ALL:-}" ] && _show "$REPL_ALL"
		fail "expected gosched-repl exit status $1, got ${REPL_STATUS:-none}"
	fi
}

# repl_run PROG [ARGS...] < commands
repl_run() {
	[ $# -ge 1 ] || fail "usage: repl_run PROG [ARGS...]"
	[ -x "$REPL" ] || fail "$ROOT/gosched-repl not built (run make)"
	_repl_n=$((_repl_n + 1))
	local base=$TEST_TMP/repl.$_repl_n
	REPL_OUT=$base.out REPL_ERR=$base.err REPL_ALL=$base.all
	if [ -t 0 ]; then
		: >"$base.in" # no here-document: no commands
	else
		cat >"$base.in"
	fi
	echo "== repl_run #$_repl_n: $REPL -batch -n $*" >&2
	REPL_STATUS=0
	GOSCHED_HISTFILE=/dev/null XDG_CACHE_HOME=$E2E_OUT/cache \
		timeout -k 5 "$REPL_TIMEOUT" "$REPL" -batch -n "$@" \
		<"$base.in" >"$REPL_OUT" 2>"$REPL_ERR" || REPL_STATUS=$?
	cat "$REPL_OUT" "$REPL_ERR" >"$REPL_ALL"
	{
		echo "-- commands:"; cat "$base.in"
		echo "-- stdout:"; cat "$REPL_OUT"
		echo "-- stderr:"; cat "$REPL_ERR"
		echo "-- exit status $REPL_STATUS"
	} >&2
	[ "$REPL_STATUS" -ne 124 ] || echo "repl_run: timed out after ${REPL_TIMEOUT}s" >&2
	return 0
}

# _repl_program PID: the program gosched-repl PID runs, or nothing: the
# child given the debugger's socket (not the go command building it).
_repl_program() {
	local c
	for c in $(pgrep -P "$1" || true); do
		grep -qa GOSCHED_REPL_SOCK "/proc/$c/environ" 2>/dev/null && echo "$c" && return
	done
}

# repl_signal SIG NAME IN ARGS...: run gosched-repl ARGS in the background,
# standard input from IN; once it has launched the program (or with
# REPL_SIGNAL_AFTER=start, once it runs), and REPL_SIGNAL_DELAY more
# seconds (default 0.5), send SIG to the REPL itself
# (not to timeout, which would pass it on to the whole group), or with
# REPL_SIGNAL_TO=program to the program (as a terminal's Ctrl-C would), and
# wait for the end. Its output: $TEST_TMP/NAME.out and NAME.err; its
# status: REPL_STATUS.
repl_signal() {
	local sig=$1 name=$2 in=$3 pid repl=
	shift 3
	GOSCHED_HISTFILE=/dev/null XDG_CACHE_HOME=$E2E_OUT/cache \
		timeout -k 5 120 "$REPL" "$@" <"$in" >"$TEST_TMP/$name.out" 2>"$TEST_TMP/$name.err" &
	pid=$!
	for _ in $(seq 400); do # until the program runs (the REPL's child, not go building it)
		repl=${repl:-$(pgrep -P "$pid" -x gosched-repl || true)}
		[ -n "$repl" ] && [ "${REPL_SIGNAL_AFTER:-}" = start ] && break
		[ -n "$repl" ] && [ -n "$(_repl_program "$repl")" ] && break
		sleep 0.05
	done
	[ -n "$repl" ] || fail "gosched-repl did not start the program"
	sleep "${REPL_SIGNAL_DELAY:-0.5}"
	if [ "${REPL_SIGNAL_TO:-}" = program ]; then
		kill "-$sig" "$(_repl_program "$repl")"
	else
		kill "-$sig" "$repl"
	fi
	REPL_STATUS=0
	wait "$pid" || REPL_STATUS=$?
	echo "== repl_signal $sig $name: $REPL $*: exit status $REPL_STATUS" >&2
	cat "$TEST_TMP/$name.out" "$TEST_TMP/$name.err" >&2
}

# gobuild_plain SRC OUT
gobuild_plain() {
	[ $# -eq 2 ] || fail "usage: gobuild_plain SRC OUT"
	case "$2" in
	*/*) BIN=$2 ;;
	*) BIN=$E2E_BIN/$2 ;;
	esac
	echo "== go build -o $BIN $1" >&2
	"$GO" build -o "$BIN" "$1" || fail "go build $1 failed"
}
