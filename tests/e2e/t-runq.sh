#!/usr/bin/env bash
# p[0].runq lists exactly the goroutines in P0's queue, in order, and reading
# it changes nothing. fillq creates 50 goroutines from main without yielding:
# at the 50th create P0 holds the first 49 in its run queue, the 50th in runnext.
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

plain_out=$(GOMAXPROCS=1 go run tests/progs/fillq.go)
{
	echo start
	echo 'nq = 0'
	for _ in $(seq 120); do
		echo 'step create'
		echo 'if ev.g.startfn == "main.queued" then nq = nq + 1 end'
		echo 'if nq == 50 and not seen then seen = true; q = p[0].runq; n1 = #q; ids = {} for i, x in ipairs(q) do ids[i] = x.id end; nxt = p[0].runnext end'
	done
	cat <<'LUA'
ok = n1 == 49
for i, x in ipairs(q) do ok = ok and x.startfn == "main.queued" and (i == 1 or x.id > q[i-1].id) end
ok = ok and nxt ~= nil and nxt.startfn == "main.queued" and nxt.id > q[49].id
print("runq-ok", ok, n1)
LUA
	echo continue
} >"$TEST_TMP/cmds"
GOMAXPROCS=1 repl_run tests/progs/fillq.go <"$TEST_TMP/cmds"
expect_status 0
expect_contains "$REPL_OUT" "runq-ok	true	49"
expect_contains "$REPL_OUT" "$plain_out"

# Reading the queue twice at one stop gives the same goroutines in the same order.
GOMAXPROCS=1 repl_run tests/progs/fillq.go <<'CMDS'
start
step create 20
a = {} for i, x in ipairs(p[0].runq) do a[i] = x.id end
b = {} for i, x in ipairs(p[0].runq) do b[i] = x.id end
print("same", table.concat(a, ",") == table.concat(b, ","), #a)
continue
CMDS
expect_status 0
expect_match "$REPL_OUT" '^same	true	[0-9]+$'
expect_contains "$REPL_OUT" "$plain_out"
