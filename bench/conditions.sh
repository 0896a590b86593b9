#!/usr/bin/env bash
# conditions.sh -- what a break condition costs a running program, side by
# side with the plain build of the same program (bench/progs/pingpong).
#
# Each configuration runs the program N round trips under gosched-repl (or
# Delve) and the plain build with the same N, alternately, ROUNDS times;
# medians of the wall times, ratio = with / plain; ratio(min) is that of the
# fastest run of each side (interference on a shared machine only slows a
# run down, so the fastest runs are the least disturbed); batch ratio, for
# the attached, nohist, compiled and guarded rows, is that of the fastest 10,000 round trips
# of each side (PINGPONG_BATCH: the program times every batch), the cost of
# a round trip with the least interference:
#
#   attached     gosched-repl runs it, no breakpoint
#   compiled-park  `break on park if ev.g.waitreason == "select"`: the
#                runtime tests every park (2 per round trip) against the
#                wait reasons it may hold for (none of these parks is a
#                select), and evaluates it at none
#   nohist       attached with `history off`: events counted, not recorded
#   nohist-park  compiled-park with `history off`
#   compiled-gid `break on park if ev.g.id < 0`: no wait reason decides it,
#                so the runtime evaluates it at every park
#   compiled-any `break if #p[0].runq > 100`: at every event (6+ per round trip)
#   compiled-3   `break on park ready start if ev.g.id < 0`: at each of those
#                events (6 per round trip); all three never true
#   lua-event    a Lua-tier condition, never true, on park:
#                ev.g.startfn:match("^nomatch"), evaluated from the runtime's
#                light check at every park; also evaluated events per second
#   lua-stop     the same with -full: a full stop at every park
#   lua-guarded  `on park if ev.g.waitreason == "select" and
#                ev.g.startfn:match("^nomatch")`: a Lua-tier condition whose
#                first term the runtime tests (its guard), so no park of
#                this program reaches Lua
#   delve        the same test as a Delve conditional breakpoint
#                (break runtime.park_m, condition gp.goid < 0); Delve is
#                installed by this script only, into bench/out/gobin, with
#                `go install github.com/go-delve/delve/cmd/dlv@latest`; if
#                that fails the row says so and the rest goes on
#
# Events per second = the Lua tier's evaluations (gs.breaks(id).evals) over
# the run's wall time; Delve's hits are taken to be the parks the Lua tier
# counted with the same N.
#
# usage: bench/conditions.sh [-n ROUNDS] [--no-delve]
#   -n ROUNDS    rounds for the attached, nohist, compiled and guarded rows (default 10;
#                the slow rows use ROUNDS/3, at least 3)
#   --no-delve   skip the Delve row
# Environment: GOSCHED_GO (the go command, default `go`), GOMAXPROCS.
# Output: the table on stdout and in bench/out/conditions.txt; every time
# in bench/out/conditions.tsv. See bench/README.md.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(dirname "$here")
cd "$root"

rounds=10
delve=1
while [ $# -gt 0 ]; do
	case "$1" in
	-n) [ $# -ge 2 ] || { echo "conditions.sh: -n needs a number" >&2; exit 2; }
	    rounds=$2; shift 2 ;;
	--no-delve) delve=0; shift ;;
	-h|--help) sed -n '2,40p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
	*) echo "conditions.sh: unknown argument $1" >&2; exit 2 ;;
	esac
done
case "$rounds" in ''|*[!0-9]*|0) echo "conditions.sh: bad round count '$rounds'" >&2; exit 2 ;; esac
slow=$((rounds / 3))
[ "$slow" -ge 3 ] || slow=3

GO=${GOSCHED_GO:-go}
REPL=$root/gosched-repl
[ -x "$REPL" ] || { echo "conditions.sh: $REPL not found: run 'make' first" >&2; exit 1; }
command -v "$GO" >/dev/null || { echo "conditions.sh: '$GO' not found" >&2; exit 1; }

out=$root/bench/out
mkdir -p "$out/bin"
unset GOSCHED_REPL_SOCK
src=bench/progs/pingpong/main.go
plain=$out/bin/pingpong.plain
overlay=$out/bin/pingpong.overlay
echo "build pingpong (plain, overlay)" >&2
"$GO" build -o "$plain" "$src"
rm -f "$overlay"
"$REPL" build "$src" -o "$overlay"

# Delve, into a bench-local GOBIN: never a dependency of gosched-repl.
dlv=
delve_note=
if [ "$delve" -eq 1 ]; then
	echo "install Delve into $out/gobin (go install github.com/go-delve/delve/cmd/dlv@latest)" >&2
	if GOBIN=$out/gobin "$GO" install github.com/go-delve/delve/cmd/dlv@latest >"$out/delve-install.log" 2>&1 \
		&& [ -x "$out/gobin/dlv" ]; then
		dlv=$out/gobin/dlv
	else
		delve_note="Delve could not be installed (see bench/out/delve-install.log); skipped"
		echo "conditions.sh: $delve_note" >&2
	fi
else
	delve_note="skipped (--no-delve)"
fi

cat >"$out/lua-event.lua" <<'LUA'
local id = gs.breakpoint{ on = "park", cond = 'ev.g.startfn:match("^nomatch")' }
assert(gs.breaks(id).tier == "lua/event", gs.breaks(id).tier)
gs.run()
print("evals", gs.breaks(id).evals)
LUA
sed 's/^local id = gs.breakpoint{ on = "park",/local id = gs.breakpoint{ on = "park", tier = "full",/; s/lua\/event/lua\/stop/' \
	"$out/lua-event.lua" >"$out/lua-stop.lua"
cat >"$out/dlv.init" <<'EOF'
break runtime.park_m
condition 1 gp.goid < 0
continue
EOF

# timed CMD...: run it, output in $out/run.out; prints the wall seconds and
# the program's best batch (ns per round trip, - if none).
export PINGPONG_BATCH=10000
timed() {
	local t0 t1 rc=0 best
	t0=$EPOCHREALTIME
	"$@" >"$out/run.out" 2>"$out/run.err" </dev/null || rc=$?
	t1=$EPOCHREALTIME
	if ! grep -q "^pingpong: .* round trips" "$out/run.out"; then
		echo "conditions.sh: this run failed (status $rc): $*" >&2
		cat "$out/run.out" "$out/run.err" >&2
		return 1
	fi
	best=$(sed -n 's/^pingpong: best batch \([0-9.]*\) ns.*/\1/p' "$out/run.err")
	awk -v a="$t0" -v b="$t1" -v best="${best:--}" 'BEGIN { printf "%.4f %s\n", b - a, best }'
}

# with CONFIG N: set CMD to the command that runs pingpong N under CONFIG.
with() {
	local n=$2
	case "$1" in
	attached) CMD=("$REPL" -batch -n -ex run "$overlay" "$n") ;;
	compiled-park) CMD=("$REPL" -batch -n -ex 'break on park if ev.g.waitreason == "select"'
			    -ex run "$overlay" "$n") ;;
	nohist) CMD=("$REPL" -batch -n -ex 'history off' -ex run "$overlay" "$n") ;;
	nohist-park) CMD=("$REPL" -batch -n -ex 'history off' -ex 'break on park if ev.g.waitreason == "select"'
			  -ex run "$overlay" "$n") ;;
	compiled-gid) CMD=("$REPL" -batch -n -ex 'break on park if ev.g.id < 0' -ex run "$overlay" "$n") ;;
	compiled-any) CMD=("$REPL" -batch -n -ex "break if #p[0].runq > 100" -ex run "$overlay" "$n") ;;
	compiled-3) CMD=("$REPL" -batch -n -ex "break on park ready start if ev.g.id < 0" -ex run
			 "$overlay" "$n") ;;
	lua-guarded) CMD=("$REPL" -batch -n -ex 'break on park if ev.g.waitreason == "select" and ev.g.startfn:match("^nomatch")'
			  -ex run "$overlay" "$n") ;;
	lua-event|lua-stop) CMD=("$REPL" -batch "$out/$1.lua" -n "$overlay" "$n") ;;
	delve) CMD=("$dlv" exec "$plain" --init "$out/dlv.init" --allow-non-terminal-interactive=true
		    -- "$n") ;;
	esac
}

median() { sort -g | awk '{ v[NR] = $1 } END { if (NR % 2) printf "%.4f", v[(NR + 1) / 2]; else printf "%.4f", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
minimum() { sort -g | head -1; }

printf 'config\tn\tround\tplain\twith\tevals\tplain_batch_ns\twith_batch_ns\n' >"$out/conditions.tsv"
rows=()
# measure CONFIG N ROUNDS: alternate plain and CONFIG; one table row.
measure() {
	local config=$1 n=$2 r=$3 i tp tw bp bw evals=-
	for ((i = 1; i <= r; i++)); do
		read -r tp bp < <(timed "$plain" "$n") || true
		with "$config" "$n"
		read -r tw bw < <(timed "${CMD[@]}") || true
		[ -n "$tp" ] && [ -n "$tw" ] || exit 1 # (timed said why)
		evals=$(sed -n 's/^evals\t//p' "$out/run.out")
		[ -n "$evals" ] || evals=-
		printf '%s\t%s\t%d\t%s\t%s\t%s\t%s\t%s\n' "$config" "$n" "$i" "$tp" "$tw" "$evals" "$bp" "$bw" \
			>>"$out/conditions.tsv"
		echo "$config N=$n round $i/$r: plain ${tp}s, with ${tw}s, evals $evals, best batch ${bp}/${bw} ns" >&2
	done
	rows+=("$config $n")
}

measure attached 2000000 "$rounds"
measure compiled-park 2000000 "$rounds"
measure nohist 2000000 "$rounds"
measure nohist-park 2000000 "$rounds"
measure compiled-gid 2000000 "$rounds"
measure compiled-any 2000000 "$rounds"
measure compiled-3 2000000 "$rounds"
measure lua-guarded 2000000 "$rounds"
measure lua-event 200000 "$slow"
measure lua-stop 20000 "$slow"
[ -n "$dlv" ] && measure delve 20000 "$slow"

# The parks of N=20000 (for Delve's rate): what the Lua tier counted.
parks=$(awk -F'\t' '$1 == "lua-stop" && $6 != "-" { print $6 }' "$out/conditions.tsv" | median)

{
	printf '%-13s %9s %10s %10s %8s %10s %12s %14s\n' config N "plain (s)" "with (s)" ratio "ratio(min)" "batch ratio" "evals/s"
	for row in "${rows[@]}"; do
		set -- $row
		pm=$(awk -F'\t' -v c="$1" '$1 == c { print $4 }' "$out/conditions.tsv" | median)
		wm=$(awk -F'\t' -v c="$1" '$1 == c { print $5 }' "$out/conditions.tsv" | median)
		ratio=$(awk -v a="$pm" -v b="$wm" 'BEGIN { printf "%.3f", b / a }')
		pmin=$(awk -F'\t' -v c="$1" '$1 == c { print $4 }' "$out/conditions.tsv" | minimum)
		wmin=$(awk -F'\t' -v c="$1" '$1 == c { print $5 }' "$out/conditions.tsv" | minimum)
		rmin=$(awk -v a="$pmin" -v b="$wmin" 'BEGIN { printf "%.3f", b / a }')
		batch=-
		case "$1" in
		attached|compiled-*|nohist*|lua-guarded)
			bp=$(awk -F'\t' -v c="$1" '$1 == c && $7 != "-" { print $7 }' "$out/conditions.tsv" | minimum)
			bw=$(awk -F'\t' -v c="$1" '$1 == c && $8 != "-" { print $8 }' "$out/conditions.tsv" | minimum)
			[ -z "$bp" ] || [ -z "$bw" ] || batch=$(awk -v a="$bp" -v b="$bw" 'BEGIN { printf "%.3f", b / a }') ;;
		esac
		rate=-
		case "$1" in
		lua-event|lua-stop)
			ev=$(awk -F'\t' -v c="$1" '$1 == c { print $6 }' "$out/conditions.tsv" | median)
			rate=$(awk -v e="$ev" -v t="$wm" 'BEGIN { printf "%.0f", e / t }') ;;
		delve) rate=$(awk -v e="$parks" -v t="$wm" 'BEGIN { printf "%.0f", e / t }') ;;
		esac
		printf '%-13s %9s %10s %10s %8s %10s %12s %14s\n' "$1" "$2" "$pm" "$wm" "$ratio" "$rmin" "$batch" "$rate"
	done
	[ -z "$delve_note" ] || printf '%-13s %s\n' delve "$delve_note"
	printf '(medians, ratio of the fastest runs, and of the fastest 10,000 round trips; %d rounds for attached/compiled/guarded, %d for the others; GOMAXPROCS=%s; %s; %s CPUs)\n' \
		"$rounds" "$slow" "${GOMAXPROCS:-default}" "$("$GO" version)" "$(nproc)"
	[ -z "$dlv" ] || printf '(Delve: %s)\n' "$("$dlv" version 2>/dev/null | sed -n 's/^Version: //p')"
} | tee "$out/conditions.txt"
rm -f "$out/run.out" "$out/run.err"
