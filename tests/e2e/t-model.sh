#!/usr/bin/env bash
# The scheduler model, field by field, on a program that produces each state:
# every documented field of g, m, p and sched has its type at every stop, and
# over the run the states the program goes through are all seen (statuses,
# wait reasons, labels, a locked thread, a blocking syscall, Goexit, GOMAXPROCS
# changing) -- and the program's output is the same as without the debugger.
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

plain_out=$(go run tests/progs/mixed.go)
cat >"$TEST_TMP/model.lua" <<'LUA'
local types = {
  g = {id = "number", status = "string", waitsince = "number", since = "number",
       system = "boolean", labels = "table"},
  gopt = {waitreason = "string", m = "table", p = "table", lockedm = "table", startfn = "string",
          createdby = "string", createdat = "string", parentg = "table", parent = "number"},
  m = {id = "number", procid = "number", spinning = "boolean", blocked = "boolean", incgo = "boolean",
       idle = "boolean"},
  mopt = {p = "table", curg = "table", lockedg = "table"},
  p = {id = "number", status = "string", runq = "table", schedtick = "number", syscalltick = "number",
       gfree = "number", timers = "number"},
  popt = {m = "table", runnext = "table"},
  sched = {runq = "table", gomaxprocs = "number", npidle = "number", nmspinning = "number",
           needspinning = "number", nmidle = "number", nmsys = "number", ngoroutines = "number",
           goidgen = "number", gcwaiting = "boolean", stopwait = "number", sysmonwait = "boolean",
           pidle = "table", midle = "table"},
  ev = {kind = "string", time = "number", m = "table"},
}
local function check(what, t, req, opt)
  for k, ty in pairs(req) do
    if type(t[k]) ~= ty then error(what .. "." .. k .. " is " .. type(t[k]) .. ", want " .. ty) end
  end
  for k, ty in pairs(opt or {}) do
    if t[k] ~= nil and type(t[k]) ~= ty then error(what .. "." .. k .. " is " .. type(t[k])) end
  end
end
seen = {status = {}, wait = {}, kinds = {}, procs = {}}
local function observe()
  check("sched", sched, types.sched)
  check("ev", ev, types.ev)
  for _, e in ipairs(gs.history(32)) do -- overlapping windows: a stop's gap adds newer events
    seen.kinds[e.kind] = true
    if e.kind == "exit" and e.startfn == "main.exiter" then seen.goexit = true end
    if e.kind == "park" and e.waitreason then seen.wait[e.waitreason] = true end -- (a 1 ms sleep may fall between stops)
  end
  seen.procs[sched.gomaxprocs] = true
  for id, x in pairs(g) do
    check("g[" .. id .. "]", x, types.g, types.gopt)
    seen.status[x.status] = true
    if x.waitreason then seen.wait[x.waitreason] = true end
    if x.labels.role == "locker" and x.startfn == "main.locker" then seen.labels = true end
    if x.lockedm and x.lockedm.lockedg == x and x.startfn == "main.lockedWorker" then seen.locked = true end
    if x.status == "syscall" and x.startfn == "main.piper" then seen.syscall = true end
    if x.createdat and x.createdat:match("mixed%.go:%d+$") then seen.createdat = true end
    if x.status == "waiting" and x.since > 0 and x.since <= stop.now then seen.since = true end
  end
  for id, x in pairs(m) do check("m[" .. id .. "]", x, types.m, types.mopt) end
  for i = 0, #p - 1 do
    check("p[" .. i .. "]", p[i], types.p, types.popt)
    for _, q in ipairs(p[i].runq) do if q.status ~= "runnable" then error("queued G not runnable") end end
  end
end
gs.start()
local n = 0
repeat observe(); n = n + 1 until not gs.step(7)
local function keys(t) local r = {} for k in pairs(t) do r[#r + 1] = tostring(k) end table.sort(r) return table.concat(r, ",") end
print("stops", n > 50)
print("statuses", keys(seen.status))
print("waits", seen.wait["chan receive"], seen.wait["select"], seen.wait["sleep"])
print("kinds", seen.kinds.create, seen.kinds.start, seen.kinds.park, seen.kinds.ready, seen.kinds.exit, seen.kinds.syscall, seen.kinds.sysret)
for _, f in ipairs{"labels", "locked", "syscall", "goexit", "createdat", "since"} do print("fact", f, seen[f]) end
print("procs", seen.procs[1], seen.procs[2])
LUA
repl_run tests/progs/mixed.go <<CMDS
dofile("$TEST_TMP/model.lua")
CMDS
expect_status 0
expect_contains "$REPL_OUT" "stops	true"
expect_match "$REPL_OUT" '^statuses	.*runnable.*running.*syscall.*waiting'
expect_contains "$REPL_OUT" "waits	true	true	true"
expect_contains "$REPL_OUT" "kinds	true	true	true	true	true	true	true"
for fact in labels locked syscall goexit createdat since; do
	expect_contains "$REPL_OUT" "fact	$fact	true"
done
expect_contains "$REPL_OUT" "procs	true	true"
expect_contains "$REPL_OUT" "$plain_out"

# Callbacks from C: each leaves a system call and goes back into one, so
# syscall and sysret events pair up (the way back was not an event).
cat >"$TEST_TMP/cgo.lua" <<'LUA'
local c = {syscall = 0, sysret = 0}
gs.breakpoint{on = "syscall sysret", tier = "event",
	cond = function(ev) c[ev.kind] = c[ev.kind] + 1 return false end}
gs.run()
print("events", c.syscall >= 4000, c.syscall == c.sysret, c.syscall, c.sysret)
LUA
repl_run -batch "$TEST_TMP/cgo.lua" tests/progs/cgocallback.go </dev/null
expect_status 0
expect_match "$REPL_OUT" '^events	true	true	'
expect_contains "$REPL_OUT" "cgocallback: [499500 499500 499500 499500]"

# Lua that breaks the model (a metatable whose __index or __newindex
# fails) makes the commands that touch it fail, not the REPL abort; the
# session goes on.
repl_run examples/pingpong <<'CMDS'
start
ev = setmetatable({}, {__index = function() error("broken ev") end})
history 2
setmetatable(_G, {__newindex = function() error("broken _G") end})
step
setmetatable(_G, nil)
print("alive")
kill
CMDS
expect_status 1
expect_contains "$REPL_ERR" "error: history: lua:1: broken ev"
expect_contains "$REPL_ERR" "error: step: lua:1: broken _G"
expect_contains "$REPL_OUT" "alive"
expect_contains "$REPL_OUT" "[program killed]"
