#!/usr/bin/env bash
# stops.sh -- how fast a stop reaches the prompt, and how far the rest of the
# program gets between the triggering event and the freeze (the gap).
#
# Stop-to-prompt: tests/progs/scale.go parks N goroutines; the debugger stops
# at the N-th create and the time from the event (ev.time, the runtime's
# nanotime at the hook) to the model being ready in the REPL (stop.ready,
# same clock) is taken, ROUNDS times for each N; the median is reported.
# Gap: tests/progs/many.go and tests/progs/churn.go stopped every 97 events
# (300 stops each); stop.gap counts the events other threads recorded after
# the trigger and before they were frozen.
#
# usage: bench/stops.sh [-n ROUNDS]      (default 5)
# Output: a table on stdout and in bench/out/stops.txt.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
cd "$(dirname "$here")"
rounds=5
if [ "${1:-}" = "-n" ]; then rounds=${2:?-n needs a number}; fi
[ -x ./gosched-repl ] || { echo "stops.sh: run 'make' first" >&2; exit 1; }
out=bench/out
mkdir -p "$out"

median() { sort -n | awk '{v[NR]=$1} END {print (NR%2 ? v[(NR+1)/2] : (v[NR/2]+v[NR/2+1])/2)}'; }

# repl PROG ARGS... < commands: stdout of a batch session (program output dropped).
repl() { ./gosched-repl -batch -n "$@" 2>/dev/null; }

{
	printf '%-34s %12s\n' "stop to prompt" "median ms"
	for n in 10000 100000; do
		for _ in $(seq "$rounds"); do
			printf 'start\nstep create %d\nprint(string.format("T %%.3f", (stop.ready - ev.time) / 1e6))\nkill\n' "$n" |
				repl tests/progs/scale.go "$n" | sed -n 's/^T //p'
		done | median | xargs printf '%-34s %12s\n' "$n goroutines"
	done
	printf '\n%-34s %8s %8s %8s\n' "trigger-to-freeze gap (events)" "mean" "p99" "max"
	for prog in many churn; do
		printf 'start\nfor i = 1, 300 do if not gs.step(97) then break end; print("G", stop.gap) end\nkill\n' |
			repl "tests/progs/$prog.go" | sed -n 's/^G\t//p' | sort -n |
			awk -v name="$prog.go (300 stops)" '{v[NR]=$1; s+=$1} END {
				i = int(NR * 0.99); if (i < 1) i = 1
				printf "%-34s %8.2f %8d %8d\n", name, s/NR, v[i], v[NR] }'
	done
} | tee "$out/stops.txt"
