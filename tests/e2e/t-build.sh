#!/usr/bin/env bash
# `gosched-repl build` writes an overlay-built binary that runs like the plain
# one; the patched runtime is cached per Go version and overlay content.
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

export XDG_CACHE_HOME="$TEST_TMP/cache"
./gosched-repl build tests/progs/hello.go -o "$TEST_TMP/hello"
[ "$("$TEST_TMP/hello")" = hello ] || fail "overlay-built hello does not print hello"
grep -q gosched-repl-overlay-v1 "$TEST_TMP/hello" || fail "no overlay marker in the binary"
json=$(ls "$XDG_CACHE_HOME"/gosched-repl/*/overlay.json)
[ "$(echo "$json" | wc -l)" = 1 ] || fail "expected one cache entry: $json"
before=$(stat -c %Y.%s "$json")
sleep 1
./gosched-repl build examples/pingpong -o "$TEST_TMP/pingpong"
[ "$(stat -c %Y.%s "$json")" = "$before" ] || fail "the second build rewrote the cache"
# (its whole output first: grep -q would leave early, and pingpong's next line get SIGPIPE)
out=$("$TEST_TMP/pingpong") || fail "pingpong failed"
echo "$out" | grep -q "pingpong: 1000 round trips" || fail "pingpong did not run"

# The overlay also compiles for arm64, the other architecture it decodes
# instructions for (startfn); the binary cannot run here.
GOARCH=arm64 ./gosched-repl build tests/progs/gowrap.go -o "$TEST_TMP/gowrap.arm64" ||
	fail "the overlay does not build for arm64"
grep -q gosched-repl-overlay-v1 "$TEST_TMP/gowrap.arm64" || fail "no overlay marker in the arm64 binary"

# An overlay-built binary can be debugged directly; a plain one is refused.
repl_run "$TEST_TMP/hello" <<'CMDS'
start
continue
CMDS
expect_status 0
expect_contains "$REPL_OUT" "[program exited with status 0]"
gobuild_plain tests/progs/hello.go plainhello
repl_run "$BIN" <<'CMDS'
start
CMDS
expect_contains "$REPL_ERR" "not built with the gosched-repl overlay"

# Usage errors exit 2.
set +e
./gosched-repl build tests/progs/hello.go 2>/dev/null; [ $? = 2 ] || fail "build without -o should exit 2"
./gosched-repl --no-such-flag 2>/dev/null; [ $? = 2 ] || fail "unknown flag should exit 2"
./gosched-repl build tests/progs/nosuch.go -o "$TEST_TMP/x" 2>"$TEST_TMP/err"; [ $? = 2 ] || fail "missing program should exit 2"
set -e
expect_contains "$TEST_TMP/err" "nosuch.go"

# A build error names the file as it is from here, not from the package's
# directory (where go build runs).
mkdir -p "$TEST_TMP/nested/bad"
printf 'package main\n\nfunc main() { x := 1 }\n' >"$TEST_TMP/nested/bad/main.go"
(cd "$TEST_TMP" && GOSCHED_HISTFILE=/dev/null XDG_CACHE_HOME=$E2E_OUT/cache \
	"$ROOT/gosched-repl" -batch -n -ex run nested/bad >nested.out 2>nested.err) && fail "a build error exited 0"
cat "$TEST_TMP/nested.err" >&2
expect_contains "$TEST_TMP/nested.err" "nested/bad/main.go:3:15: declared and not used: x"
# ... also in a package the program imports (go build prints ../lib/...).
mkdir -p "$TEST_TMP/m/lib" "$TEST_TMP/m/cmd/app"
printf 'module example.com/m\n\ngo 1.22\n' >"$TEST_TMP/m/go.mod"
printf 'package lib\n\nfunc F() int { return "x" }\n' >"$TEST_TMP/m/lib/lib.go"
printf 'package main\n\nimport "example.com/m/lib"\n\nfunc main() { println(lib.F()) }\n' >"$TEST_TMP/m/cmd/app/main.go"
(cd "$TEST_TMP" && GOSCHED_HISTFILE=/dev/null XDG_CACHE_HOME=$E2E_OUT/cache \
	"$ROOT/gosched-repl" -batch -n -ex run m/cmd/app >m.out 2>m.err) && fail "a build error exited 0"
cat "$TEST_TMP/m.err" >&2
expect_contains "$TEST_TMP/m.err" "m/lib/lib.go:3:23: cannot use"

# Ctrl-C (SIGINT to the process group, as a terminal sends it) during a
# build says the build was interrupted, not that it failed (a cold Go build
# cache makes the build last; status 1, not a build error's 2).
GOCACHE=$TEST_TMP/gocache XDG_CACHE_HOME=$TEST_TMP/xdgcache GOSCHED_HISTFILE=/dev/null \
	setsid "$ROOT/gosched-repl" -batch -n -ex start tests/progs/hello.go </dev/null \
	>"$TEST_TMP/intr.out" 2>"$TEST_TMP/intr.err" &
pid=$!
sleep 2
kill -INT -- -"$pid"
rc=0
wait "$pid" || rc=$?
[ "$rc" = 1 ] || fail "an interrupted build exited $rc, want 1: $(cat "$TEST_TMP/intr.err")"
expect_contains "$TEST_TMP/intr.err" "error: the build of tests/progs/hello.go was interrupted"
expect_not_contains "$TEST_TMP/intr.err" "failed"
chmod -R u+w "$TEST_TMP/gocache" 2>/dev/null || true
rm -rf "$TEST_TMP/gocache" "$TEST_TMP/xdgcache"
