#!/usr/bin/env bash
# step stops at a new event every time, even with many threads and more Ps
# than CPUs: an event counts only against the step armed when it happened
# (a thread the OS or a stop held up between the event and the count once
# stopped the next step at an event from before the last stop, with the
# same number). Three runs of 3,000 single steps with GOMAXPROCS=64.
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

cat >"$TEST_TMP/steps.lua" <<'LUA'
local ev = gs.start()
local n, last, bad = 0, stop.seq, 0
while ev and n < 3000 do
	ev = gs.step()
	n = n + 1
	if ev and stop.seq <= last then
		bad = bad + 1
		print("NOT NEW", n, last, stop.seq, ev.kind)
	end
	last = ev and stop.seq or last
end
print("steps", n, "not new", bad)
while gs.cont() do end
LUA
for run in 1 2 3; do
	GOMAXPROCS=64 repl_run -batch "$TEST_TMP/steps.lua" tests/progs/syschurn.go </dev/null
	expect_status 0
	expect_match "$REPL_OUT" '^steps	[0-9]+	not new	0$'
	expect_contains "$REPL_OUT" "syschurn: bytes"
done
