#!/usr/bin/env bash
# What you see is what was: a goroutine running on a P when the stop began is
# shown running on that P, never in a run queue, and the stop puts nothing
# into any queue -- with GOMAXPROCS=2 and GOMAXPROCS=1.
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

check='function check()
  local queued = {}
  for _, x in ipairs(sched.runq) do queued[x.id] = true end
  for i = 0, #p - 1 do
    for _, x in ipairs(p[i].runq) do queued[x.id] = true end
    if p[i].runnext then queued[p[i].runnext.id] = true end
  end
  local running, bad = 0, 0
  for id, x in pairs(g) do
    if x.status == "running" then
      running = running + 1
      if queued[id] or x.p == nil or x.p.m == nil or x.p.m.curg ~= x then bad = bad + 1 end
    end
  end
  spins = 0
  for id, x in pairs(g) do if x.startfn == "main.spin" and x.status == "running" then spins = spins + 1 end end
  return running, bad, spins
end'

for procs in 2 1; do
	{
		echo start
		echo "$check" | tr '\n' ' '; echo
		echo 'maxspins, totalbad, stops = 0, 0, 0'
		echo 'while gs.step(5) do stops = stops + 1; r, b, s = check(); totalbad = totalbad + b; maxspins = math.max(maxspins, s) end'
		echo 'print("fidelity", totalbad, maxspins, stops > 20)'
	} >"$TEST_TMP/cmds"
	GOMAXPROCS=$procs repl_run tests/progs/spinner.go <"$TEST_TMP/cmds"
	expect_status 0
	expect_match "$REPL_OUT" "^fidelity	0	$procs	true\$"
	expect_contains "$REPL_OUT" "spinner: 2 goroutines, result 939d77ccdb8c2a6c"
done
