#!/usr/bin/env bash
# p[0].runq lists exactly the goroutines in P0's queue, in order, and reading
# it changes nothing. fillq creates 50 goroutines from main without yielding:
# at the 50th create P0 holds the first 49 in its run queue, the 50th in runnext.
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

plain_out=$(GOMAXPROCS=1 go run tests/progs/fillq.go)
GOMAXPROCS=1 repl_run tests/progs/fillq.go <<'CMDS'
start
nq = 0
while nq < 50 and gs.step("create") do if ev.g.startfn == "main.queued" then nq = nq + 1 end end
q = p[0].runq
ok = #q == 49 and nq == 50
for i, x in ipairs(q) do ok = ok and x.startfn == "main.queued" and x.status == "runnable" and x.p == p[0] and (i == 1 or x.id > q[i-1].id) end
nxt = p[0].runnext
ok = ok and nxt ~= nil and nxt.startfn == "main.queued" and nxt.id > q[49].id and nxt == ev.g
print("runq-ok", ok, #q)
a = {} for i, x in ipairs(p[0].runq) do a[i] = x.id end
b = {} for i, x in ipairs(p[0].runq) do b[i] = x.id end
print("same", table.concat(a, ",") == table.concat(b, ","), #a)
print p[0].runq
continue
CMDS
expect_status 0
expect_contains "$REPL_OUT" "runq-ok	true	49"
expect_contains "$REPL_OUT" "same	true	49"
expect_match "$REPL_OUT" '^G[0-9]+ runnable main.queued created by main.main at .*fillq.go:[0-9]+$'
expect_contains "$REPL_OUT" "$plain_out"

# Reading the queue at every stop changes nothing: the program's result is the same.
GOMAXPROCS=1 repl_run tests/progs/fillq.go <<'CMDS'
start
n = 0
while gs.step() do n = n + #p[0].runq + #sched.runq end
print("stops-read", n > 0)
CMDS
expect_status 0
expect_contains "$REPL_OUT" "stops-read	true"
expect_contains "$REPL_OUT" "$plain_out"
