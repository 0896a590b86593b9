#!/usr/bin/env bash
# A Go whose runtime the overlay does not fit fails with a clear message, not
# a compiler dump; a hook site that does not match names site, file and version.
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

go119=/usr/lib/go-1.19/bin/go
[ -x "$go119" ] || fail "golang-1.19-go is not installed (scripts/install-deps.sh installs it)"
GOSCHED_GO=$go119 repl_run tests/progs/hello.go <<'CMDS'
start
print "still here"
CMDS
expect_contains "$REPL_ERR" "go1.19"
expect_contains "$REPL_ERR" "not supported"
expect_not_contains "$REPL_ALL" "undefined:"
expect_contains "$REPL_OUT" '"still here"'

# A hook site whose anchor is missing.
cp -r overlay "$TEST_TMP/overlay"
sed -i 's/^after casgstatus(gp, _Grunnable, _Grunning)$/after casgstatus(gp, _Grunnable, _Gnowhere)/' "$TEST_TMP/overlay/sites.conf"
set +e
GOSCHED_OVERLAY_DIR="$TEST_TMP/overlay" XDG_CACHE_HOME="$TEST_TMP/cache" ./gosched-repl build tests/progs/hello.go -o "$TEST_TMP/hello" 2>"$TEST_TMP/err"
status=$?
set -e
[ "$status" = 2 ] || fail "build with a missing anchor exited $status, want 2"
expect_contains "$TEST_TMP/err" "hook site 'start'"
expect_contains "$TEST_TMP/err" "proc.go"
expect_contains "$TEST_TMP/err" "$(go env GOVERSION)"

# --version and info target name the Go in use.
./gosched-repl --version >"$TEST_TMP/version"
expect_contains "$TEST_TMP/version" "go: $(go env GOVERSION)"
repl_run tests/progs/hello.go <<'CMDS'
start
info target
continue
CMDS
expect_status 0
expect_contains "$REPL_OUT" "$(go env GOVERSION)"
