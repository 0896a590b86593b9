#!/usr/bin/env bash
# run.sh -- run the end-to-end tests.
#
# usage: tests/e2e/run.sh [TEST...]
#   TEST: t-foo, t-foo.sh or tests/e2e/t-foo.sh (default: every tests/e2e/t-*.sh)
#
# Builds nothing (make e2e builds ./gosched-repl first). Each test runs from the
# repository root as `timeout 300 bash tests/e2e/t-NAME.sh`, its output in
# tests/e2e/out/t-NAME.log. Prints PASS/FAIL per test (and the tail of the log
# of a failed one), then "N passed, N failed". Exit status 1 if any failed,
# 2 on bad usage.
set -uo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../.." && pwd)
cd "$root"
TEST_TIMEOUT=${TEST_TIMEOUT:-300}
out=tests/e2e/out
mkdir -p "$out"

tests=()
if [ $# -eq 0 ]; then
	for t in tests/e2e/t-*.sh; do
		[ -e "$t" ] && tests+=("$t")
	done
else
	for a in "$@"; do
		n=$(basename "$a" .sh)
		t=tests/e2e/$n.sh
		if [ ! -f "$t" ]; then
			echo "run.sh: no test $t" >&2
			exit 2
		fi
		tests+=("$t")
	done
fi

passed=0 failed=0
for t in "${tests[@]}"; do
	name=$(basename "$t" .sh)
	log=$out/$name.log
	start=$SECONDS
	{
		echo "== $name $(date '+%Y-%m-%d %H:%M:%S')"
	} >"$log"
	rc=0
	timeout -k 10 "$TEST_TIMEOUT" bash "$t" </dev/null >>"$log" 2>&1 || rc=$?
	secs=$((SECONDS - start))
	if [ "$rc" -eq 0 ]; then
		echo "PASS $name (${secs}s)"
		passed=$((passed + 1))
	else
		why="exit status $rc"
		[ "$rc" -eq 124 ] && why="timed out after ${TEST_TIMEOUT}s"
		echo "== $why" >>"$log"
		echo "FAIL $name ($why, ${secs}s; log: $log)"
		tail -n 25 "$log" | sed 's/^/    /'
		failed=$((failed + 1))
	fi
done

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
