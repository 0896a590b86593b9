#!/usr/bin/env bash
# Scale and stress: a stop with 100,000 goroutines alive, and 1,000 stops
# (one every 1,000 events) under GOGC=1 -- no deadlock with the garbage
# collector, no goroutine lost, the program's result unchanged.
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

repl_run tests/progs/scale.go <<'CMDS'
start
step create 100000
print #g >= 100000
print(sched.ngoroutines >= 99990)
n = 0 for id, x in pairs(g) do if x.startfn == "main.parked" then n = n + 1 end end
print("parked", n >= 99990)
continue
CMDS
expect_status 0
[ "$(grep -c '^true$' "$REPL_OUT")" = 2 ] || fail "#g below 100000 or sched.ngoroutines below 99990 (user goroutines)"
expect_contains "$REPL_OUT" "parked	true"
expect_contains "$REPL_OUT" "scale: 100000 goroutines, sum 4999950000"

plain_out=$(GOGC=1 go run tests/progs/churn.go)
GOGC=1 repl_run tests/progs/churn.go <<'CMDS'
start
n, gcs = 0, 0
while n < 1000 and gs.step(1000) do n = n + 1 end
print("stops", n)
continue
CMDS
expect_status 0
expect_contains "$REPL_OUT" "stops	1000"
expect_contains "$REPL_OUT" "$plain_out"
expect_contains "$REPL_OUT" "[program exited with status 0]"
