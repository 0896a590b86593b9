#!/usr/bin/env bash
# Scale and stress: a stop with 100,000 goroutines alive, and 1,000 stops
# (one every 1,000 events) under GOGC=1 -- no deadlock with the garbage
# collector, no goroutine lost, the program's result unchanged.
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

# The history of such a stop brings the goroutines it names: the other
# 100,000 are not loaded for it (rawget: g is not loaded yet), and they are
# the same tables once g is.
repl_run tests/progs/scale.go <<'CMDS'
start
step create 100000
h = gs.history(30)
print("lazy", rawget(_G, "g") == nil, #h == 30, h[#h].g ~= nil)
last = h[#h].g
print("same", last == g[last.id], last.status == g[last.id].status)
print #g >= 100000
print(sched.ngoroutines >= 99990)
n = 0 for id, x in pairs(g) do if x.startfn == "main.parked" then n = n + 1 end end
print("parked", n >= 99990)
continue
CMDS
expect_status 0
[ "$(grep -c '^true$' "$REPL_OUT")" = 2 ] || fail "#g below 100000 or sched.ngoroutines below 99990 (user goroutines)"
expect_contains "$REPL_OUT" "parked	true"
expect_contains "$REPL_OUT" "lazy	true	true	true"
expect_contains "$REPL_OUT" "same	true	true"
expect_contains "$REPL_OUT" "scale: 100000 goroutines, sum 4999950000"

# Past 1,024 distinct goroutines (here ~1,900 in the last 6,000 events) the
# history loads g instead; the events name the same tables.
repl_run tests/progs/scale.go <<'CMDS'
start
step create 100000
h = gs.history(6000)
ids, n = {}, 0
for _, e in ipairs(h) do for _, k in ipairs{"g", "by", "parent"} do if e[k] and not ids[e[k].id] then ids[e[k].id] = true n = n + 1 end end end
print("big", #h > 3000, n > 1024, rawget(_G, "g") ~= nil, h[1].g == g[h[1].g.id])
kill
CMDS
expect_status 0
expect_contains "$REPL_OUT" "big	true	true	true	true"

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
