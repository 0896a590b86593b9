#!/usr/bin/env bash
# overhead.sh -- cost of the gosched-repl runtime overlay with no debugger attached.
#
# Builds each benchmark program twice, with plain `go build` and with
# `./gosched-repl build PROG -o OUT` (the patched runtime), then runs the two
# binaries alternately (plain, overlay, plain, overlay, ...) ROUNDS times and
# prints the median wall time of each and their ratio. See bench/README.md.
#
# usage: bench/overhead.sh [-n ROUNDS] [--plain-only] [PROGRAM...]
#   -n ROUNDS     rounds per program (default 10)
#   --plain-only  build and time only the plain binaries (to try the script
#                 without ./gosched-repl); the overlay columns show "-"
#   PROGRAM       names under bench/progs/ (default: all of them)
# Environment: GOSCHED_GO (the go command, default `go`; also used by
# gosched-repl), GOMAXPROCS (passed through to the programs).
# Output: the table on stdout and in bench/out/results.txt; every single time
# in bench/out/raw.tsv; binaries in bench/out/bin/.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(dirname "$here")
cd "$root"

rounds=10
plain_only=0
progs=()
while [ $# -gt 0 ]; do
	case "$1" in
	-n) [ $# -ge 2 ] || { echo "overhead.sh: -n needs a number" >&2; exit 2; }
	    rounds=$2; shift 2 ;;
	--plain-only) plain_only=1; shift ;;
	-h|--help) sed -n '2,17p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
	-*) echo "overhead.sh: unknown option $1" >&2; exit 2 ;;
	*) progs+=("$1"); shift ;;
	esac
done
case "$rounds" in ''|*[!0-9]*|0) echo "overhead.sh: bad round count '$rounds'" >&2; exit 2 ;; esac
if [ ${#progs[@]} -eq 0 ]; then
	for d in bench/progs/*/; do progs+=("$(basename "$d")"); done
fi

GO=${GOSCHED_GO:-go}
REPL=./gosched-repl
if [ "$plain_only" -eq 0 ] && [ ! -x "$REPL" ]; then
	echo "overhead.sh: $root/gosched-repl not found or not executable: run 'make' first" >&2
	echo "overhead.sh: (or use --plain-only to time only the plain builds)" >&2
	exit 1
fi
command -v "$GO" >/dev/null || { echo "overhead.sh: '$GO' not found" >&2; exit 1; }

out=bench/out
mkdir -p "$out/bin"
# No debugger: the overlay must stay inert.
unset GOSCHED_REPL_SOCK

# Build.
for p in "${progs[@]}"; do
	src=bench/progs/$p/main.go
	[ -f "$src" ] || { echo "overhead.sh: no program $src" >&2; exit 1; }
	echo "build $p (plain)" >&2
	rm -f "$out/bin/$p.plain"
	"$GO" build -o "$out/bin/$p.plain" "$src"
	if [ "$plain_only" -eq 0 ]; then
		echo "build $p (overlay)" >&2
		rm -f "$out/bin/$p.overlay"
		if ! "$REPL" build "$src" -o "$out/bin/$p.overlay"; then
			echo "overhead.sh: '$REPL build $src -o $out/bin/$p.overlay' failed" >&2
			exit 1
		fi
		[ -x "$out/bin/$p.overlay" ] || {
			echo "overhead.sh: $REPL build did not write $out/bin/$p.overlay" >&2; exit 1; }
	fi
done

# run BIN EXPECTED_OUTPUT_FILE -> prints elapsed seconds; fails on a bad run
run() {
	local bin=$1 expect=$2 t0 t1 rc=0
	t0=$EPOCHREALTIME
	"$bin" >"$out/run.stdout" 2>"$out/run.stderr" || rc=$?
	t1=$EPOCHREALTIME
	if [ "$rc" -ne 0 ]; then
		echo "overhead.sh: $bin exited with status $rc" >&2
		cat "$out/run.stderr" >&2
		return 1
	fi
	if [ -f "$expect" ]; then
		if ! cmp -s "$out/run.stdout" "$expect"; then
			echo "overhead.sh: $bin printed something else than the first plain run:" >&2
			diff "$expect" "$out/run.stdout" >&2 || true
			return 1
		fi
	else
		cp "$out/run.stdout" "$expect"
	fi
	awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.4f\n", b - a }'
}

median() { sort -g | awk '{ v[NR] = $1 } END { if (NR % 2) printf "%.4f", v[(NR + 1) / 2]; else printf "%.4f", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

printf 'program\tkind\tround\tseconds\n' >"$out/raw.tsv"
for p in "${progs[@]}"; do
	rm -f "$out/$p.expected"
	for ((r = 1; r <= rounds; r++)); do
		kinds=(plain)
		[ "$plain_only" -eq 1 ] || kinds+=(overlay)
		line="$p round $r/$rounds:"
		for k in "${kinds[@]}"; do
			t=$(run "$out/bin/$p.$k" "$out/$p.expected")
			printf '%s\t%s\t%d\t%s\n' "$p" "$k" "$r" "$t" >>"$out/raw.tsv"
			line="$line $k ${t}s"
		done
		echo "$line" >&2
	done
done

{
	printf '%-12s %15s %15s %8s\n' program "plain med (s)" "overlay med (s)" ratio
	for p in "${progs[@]}"; do
		pm=$(awk -F'\t' -v p="$p" '$1 == p && $2 == "plain" { print $4 }' "$out/raw.tsv" | median)
		if [ "$plain_only" -eq 1 ]; then
			om=- ratio=-
		else
			om=$(awk -F'\t' -v p="$p" '$1 == p && $2 == "overlay" { print $4 }' "$out/raw.tsv" | median)
			ratio=$(awk -v a="$pm" -v b="$om" 'BEGIN { printf "%.3f", b / a }')
		fi
		printf '%-12s %15s %15s %8s\n' "$p" "$pm" "$om" "$ratio"
	done
	printf '(%d rounds, alternating; GOMAXPROCS=%s; %s; %s)\n' "$rounds" "${GOMAXPROCS:-default}" \
		"$("$GO" version)" "$(nproc) CPUs"
} | tee "$out/results.txt"
rm -f "$out/run.stdout" "$out/run.stderr"
