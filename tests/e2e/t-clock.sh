#!/usr/bin/env bash
# Event times stay true where events are far apart: a P reads the CPU clock
# only every few events, and whenever the debugger's clock page has ticked
# (every millisecond) since its last reading.
# main.work runs 60 ms without a scheduler event (but preemptions), then parks; main sleeps
# 100 ms (its P idle) before it readies work. The times in history, ev.time
# and g.since must show those gaps.
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

repl_run tests/progs/clock.go <<'CMDS'
break on park if ev.g.createdby == "main.main" and ev.g.waitreason == "chan receive"
run
-- the times of the first and the last event KIND of goroutine ID in history
function times(kind, id) local a, b for _, e in ipairs(gs.history(4000)) do if e.kind == kind and e.g and e.g.id == id then a, b = a or e.time, e.time end end return a, b end
w = ev.g.id
print("ran", (ev.time - times("start", w)) / 1e6 >= 58, ev.g.since == ev.time, ev.g.waitreason)
delete 1
gs.breakpoint{on = "ready", cond = "ev.g.id == " .. w}
continue
print("waited", (ev.time - select(2, times("park", w))) / 1e6 >= 30, ev.g.since == ev.time)
delete
continue
CMDS
expect_status 0
expect_contains "$REPL_OUT" "ran	true	true	chan receive"
expect_contains "$REPL_OUT" "waited	true	true"
expect_contains "$REPL_OUT" "clock: done"
