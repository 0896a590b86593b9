#!/usr/bin/env bash
# --json makes the listings JSON lines too: info target/sched/p/m/g/
# breakpoints, goroutines (flat, -n, -group, a filter), history and bt, each
# one object with its fields, the goroutines, Ps and Ms they refer to as ids.
# A bad argument is still an error on stderr and prints nothing on stdout.
# gs.json and gs.fromjson convert between Lua values and JSON text.
#
# The lines are read by gs.fromjson in gosched-repl's own Lua (-batch
# SCRIPT.lua; the program is never started), so the test needs neither jq
# nor python.
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

# The reader: every line of $JSON_FILE but the program's own ("many: ...")
# must be one JSON object with a "type"; they are left in `recs`, in order,
# with null as gs.null. by(type, what) selects some of them.
cat >"$TEST_TMP/json.lua" <<'LUA'
recs = {}
for line in io.lines(os.getenv("JSON_FILE")) do
	if not line:match("^many: ") then
		local v, err = gs.fromjson(line)
		gs.assert(v ~= nil, ("not JSON (%s): %s"):format(err, line))
		gs.assert(type(v) == "table" and type(v.type) == "string", "no type: " .. line)
		recs[#recs + 1] = v
	end
end

function by(type, what)
	local r = {}
	for _, x in ipairs(recs) do
		if x.type == type and (what == nil or x.what == what) then r[#r + 1] = x end
	end
	return r
end
LUA

# check_json FILE <<'LUA' ... LUA: read FILE as above, then run the checks.
check_json() {
	cat "$TEST_TMP/json.lua" - >"$TEST_TMP/check.lua"
	JSON_FILE=$1 repl_run -batch "$TEST_TMP/check.lua" tests/progs/hello.go </dev/null
	expect_status 0
}

repl_run --json tests/progs/many.go <<'CMDS'
start
step create 300
info target
info sched
info p
info p 0
info m
info m 0
info g 1
info g
gs -n 5
gs -n 0
gs -group status -n 2
gs startfn == "main.member" and status == "waiting"
history 5
bt 1
break on park if ev.g.waitreason == "chan receive"
info breakpoints
info
continue
info breakpoints
delete 1
continue
info target
CMDS
expect_status 0
[ ! -s "$REPL_ERR" ] || fail "errors: $(cat "$REPL_ERR")"
cp "$REPL_OUT" "$TEST_TMP/listings.json"

check_json "$TEST_TMP/listings.json" <<'LUA'
local stop = by("stop")[2]
gs.assert(stop and stop.kind == "create", "the stop after step create 300")

-- info target, stopped then after the exit
local t = by("info", "target")
gs.assert(#t == 2, "two info target lines")
gs.assert(t[1].state == "stopped" and t[1].kind == "create" and t[1].seq == stop.seq, "state")
gs.assert(math.type(t[1].pid) == "integer" and t[1].gomaxprocs >= 1, "pid, GOMAXPROCS")
gs.assert(t[1].program == "tests/progs/many.go" and #t[1].args == 0, "program")
gs.assert(type(t[1].binary) == "string" and t[1].go:match("^go1%."), "binary, go")
gs.assert(t[2].state == "not running" and t[2].last_run == "exited with status 0", "last run")
gs.assert(t[2].pid == nil, "no pid after the exit")
local procs = t[1].gomaxprocs

-- info sched: the record's fields, the idle Ps as ids
local sc = by("info", "sched")[1]
gs.assert(sc.gomaxprocs == procs and type(sc.runq) == "table", "sched")
for _, id in ipairs(sc.pidle) do gs.assert(math.type(id) == "integer", "pidle as ids") end

-- info p: GOMAXPROCS Ps, ids 0..n-1; info p 0: one record
local ps = by("info", "p")
gs.assert(#ps == 2 and #ps[1].items == procs, "info p lists GOMAXPROCS Ps")
for i, x in ipairs(ps[1].items) do gs.assert(x.id == i - 1 and type(x.status) == "string") end
gs.assert(ps[2].id == 0 and ps[2].items == nil and type(ps[2].runq) == "table", "info p 0")
local ms = by("info", "m")
gs.assert(#ms[1].items >= procs and ms[2].id == 0, "info m, info m 0")
for _, x in ipairs(ms[1].items) do
	gs.assert(x.curg == nil or math.type(x.curg) == "integer", "curg as an id")
end

-- info g 1 and info g (the event's), with their stacks
local gg = by("info", "g")
gs.assert(gg[1].id == 1 and gg[1].status and #gg[1].stack > 0, "info g 1")
local f = gg[1].stack[1]
gs.assert(type(f.func) == "string" and type(f.file) == "string" and f.line > 0, "a frame")
gs.assert(gg[2].id == stop.g and type(gg[2].stack) == "table", "info g: the event's")

-- goroutines: -n 5, -n 0, -group status -n 2, a filter
local l = by("goroutines")
gs.assert(#l == 4, "four listings")
gs.assert(l[1].count == stop.goroutines and l[1].total == l[1].count, "count")
gs.assert(#l[1].items == 5 and l[1].more == l[1].count - 5, "-n 5: 5 and how many more")
gs.assert(#l[2].items == l[2].count and l[2].more == 0, "-n 0: all")
local waiting = 0
for i, x in ipairs(l[2].items) do
	gs.assert(i == 1 or x.id > l[2].items[i - 1].id, "in id order")
	gs.assert(x.p == nil or math.type(x.p) == "integer", "p as an id")
	if x.startfn == "main.member" and x.status == "waiting" then waiting = waiting + 1 end
end
local sum = 0
for i, gr in ipairs(l[3].groups) do
	sum = sum + gr.count
	gs.assert(#gr.items == math.min(2, gr.count) and gr.more == gr.count - #gr.items, gr.key)
	gs.assert(gr.items[1].status == gr.key, "members of the group " .. gr.key)
	gs.assert(i == 1 or gr.count <= l[3].groups[i - 1].count, "largest group first")
end
gs.assert(sum == l[3].count and l[3].items == nil, "-group: counts add up")
gs.assert(l[4].count == waiting and l[4].total == l[2].total, "filter: count of total")

-- history 5, bt 1
local h = by("history")[1]
gs.assert(#h.events == 5 and math.type(h.time) == "integer", "history 5")
for i, e in ipairs(h.events) do
	gs.assert(type(e.kind) == "string" and (e.g == nil or math.type(e.g) == "integer"), "event")
	gs.assert(i == 1 or e.time >= h.events[i - 1].time, "events in time order")
end
local bt = by("backtrace")[1]
gs.assert(bt.g == 1 and #bt.frames == #gg[1].stack and bt.frames[1].func == f.func, "bt 1")

-- info breakpoints, before and after a hit; info
local b = by("info", "breakpoints")
local b1 = b[1].items[1]
gs.assert(#b[1].items == 1 and b1.id == 1 and #b1.kinds == 1 and b1.kinds[1] == "park", "bp")
gs.assert(b1.cond == 'ev.g.waitreason == "chan receive"' and b1.tier == "runtime", "cond")
gs.assert(b1.hits == 0 and b1.enabled == true and b[2].items[1].hits == 1, "hits")
gs.assert(b1.silent == false and b1.commands == nil, "silent")
local parks = b[2].items[1].parks -- (the park's wait reason decides it)
gs.assert(parks and #parks == 1 and parks[1] == "chan receive", "parks")
gs.assert(by("stop")[3].reason == "break" and by("stop")[3].bps[1] == 1, "the hit")
local sub
for _, x in ipairs(by("info")) do sub = sub or x.subcommands end
gs.assert(sub and #sub == 6 and sub[6].name == "breakpoints" and sub[3].usage == "[N]", "info")
gs.assert(by("exit")[1].status == 0, "exit")
LUA

# A bad argument: the error on stderr as without --json, nothing on stdout
# for it, and every line still JSON.
repl_run --json tests/progs/many.go <<'CMDS'
info p
start
info p 99
info g x
bt 99999
gs -n x
gs nosuch(
history 0
info q
info p 0
CMDS
expect_status 1
expect_contains "$REPL_ERR" "error: the program is not running (use start or run)"
expect_contains "$REPL_ERR" "error: no P 99 in this stop"
expect_contains "$REPL_ERR" 'error: info g: want a goroutine id, as in "info g 1"'
expect_contains "$REPL_ERR" "error: goroutine 99999: "
expect_contains "$REPL_ERR" "error: goroutines: -n needs a count (0: all)"
expect_contains "$REPL_ERR" "error: goroutines: bad filter: "
expect_contains "$REPL_ERR" "error: history: want a count from 1 to "
expect_contains "$REPL_ERR" 'error: no info subcommand "q"'
cp "$REPL_OUT" "$TEST_TMP/errors.json"

check_json "$TEST_TMP/errors.json" <<'LUA'
gs.assert(#recs == 2 and recs[1].type == "stop", "the stop and one listing")
gs.assert(recs[2].what == "p" and recs[2].id == 0, "only info p 0 printed")
LUA

# gs.json and gs.fromjson themselves: round trips, integers and floats,
# null as gs.null, bad JSON as nil and a message (the script goes on), and
# a model value with the goroutines, Ps and Ms in it as ids.
cat >"$TEST_TMP/convert.lua" <<'LUA'
local v = {name = "x", list = {1, 2.5, "a\"b", {deep = {true, false, gs.null}}}, none = gs.null}
local text = gs.json(v)
gs.assert(not text:find("[ \n]"), "compact: " .. text)
local back = gs.fromjson(text)
gs.assert(back.name == "x" and #back.list == 4 and back.list[3] == 'a"b', "round trip: " .. text)
local deep = back.list[4].deep
gs.assert(#deep == 3 and deep[1] == true and deep[2] == false and deep[3] == gs.null, "deep")
gs.assert(back.none == gs.null, "a key with null is there")
local arr = '[1,2.5,"x",null,true,[[],{"k":[-3]}]]'
gs.assert(gs.json(gs.fromjson(arr)) == arr, "array round trip: " .. gs.json(gs.fromjson(arr)))

local n = gs.fromjson(" [1, -7, 2.5, 1e3, 0.1, 1e300] ")
gs.assert(math.type(n[1]) == "integer" and n[1] == 1 and math.type(n[2]) == "integer", "ints")
gs.assert(math.type(n[3]) == "float" and n[3] == 2.5, "2.5 is a float")
gs.assert(math.type(n[4]) == "integer" and n[4] == 1000, "1e3 is integral")
gs.assert(math.type(n[5]) == "float" and math.type(n[6]) == "float", "0.1, 1e300: floats")
gs.assert(gs.json(3) == "3" and gs.json(-2.5) == "-2.5" and gs.json("é\n") == '"é\\n"', "scalars")

gs.assert(gs.json(1 << 53 | 1) == "9007199254740993", "an integer past 2^53, exactly")
gs.assert(gs.json(math.mininteger) == "-9223372036854775808", "the least integer")
gs.assert(gs.json(2^53) == "9007199254740992" and gs.json(3.0e15 + 0.5) == "3000000000000000.5"
	and gs.json(1/3) == "0.3333333333333333" and gs.json(0.1) == "0.1", "floats: the digits that read back")
gs.assert(gs.json(1/0) == "null" and gs.json(0/0) == "null", "inf and nan: null")
gs.assert(gs.json("x\255y") == '"x\\ufffdy"' and gs.json("a\0b") == '"a\\u0000b"', "not UTF-8: U+FFFD; NUL")
gs.assert(gs.json({[true] = 1}) == '{"true":1}', "a boolean key")
gs.assert(gs.fromjson("null") == gs.null and type(gs.null) == "userdata", "gs.null")
gs.assert(gs.json(gs.null) == "null" and gs.json(nil) == "null", "null out")
gs.assert(gs.fromjson('"\\u00e9"') == "é" and gs.fromjson("true") == true, "scalars in")

for text, byte in pairs{["[1,,2]"] = 4, ["[1 2]"] = 4, ['{"a":1,}'] = 8, ["[1] x"] = 5, [""] = 1} do
	local v, err = gs.fromjson(text)
	gs.assert(v == nil and err == "bad JSON near byte " .. byte, ("%q: %s"):format(text, err))
end
gs.assert(gs.fromjson(("["):rep(200) .. ("]"):rep(200)), "200 levels")
local v, err = gs.fromjson(("["):rep(201) .. ("]"):rep(201))
gs.assert(v == nil and err == "JSON nested deeper than 200", "201 levels: " .. tostring(err))
local ok, err = pcall(gs.json)
gs.assert(not ok and err:find("value expected"), "gs.json(): " .. tostring(err))
print("bad JSON went on")

gs.start()
local gj = gs.fromjson(gs.json(g[1]))
gs.assert(gj.id == 1 and type(gj.status) == "string", "a goroutine: an object of its fields")
gs.assert(gs.json({g[1], ev.p}) == "[1," .. ev.p.id .. "]", "inside a table: ids")
gs.assert(gs.fromjson(gs.json(ev)).g == ev.g.id, "ev.g as an id")
gs.fromjson({})
print("not reached")
LUA
repl_run -batch "$TEST_TMP/convert.lua" tests/progs/hello.go </dev/null
expect_status 1
expect_contains "$REPL_OUT" "bad JSON went on"
expect_not_contains "$REPL_OUT" "not reached"
line=$(grep -n '^gs.fromjson({})$' "$TEST_TMP/convert.lua" | cut -d: -f1)
expect_match "$REPL_ERR" "convert\.lua:$line: bad argument #1 to 'fromjson' \(string expected, got table\)$"
[ "$(grep -c . "$REPL_ERR")" = 1 ] || fail "more than the error on stderr: $(cat "$REPL_ERR")"

# Under --json too: a mistyped command is an error (not a nil result), a
# killed program is an exit line, help is a help line, and a script that
# ends with an error says so on stdout as well as on stderr.
repl_run --json tests/progs/hello.go <<'CMDS'
contineu
help step
help
start
kill
CMDS
expect_status 1
expect_contains "$REPL_ERR" 'no command or variable "contineu" (did you mean continue?)'
expect_not_contains "$REPL_OUT" '"values":[null]'
expect_not_contains "$REPL_OUT" "[program killed]"
cp "$REPL_OUT" "$TEST_TMP/misc.jsonl"
check_json "$TEST_TMP/misc.jsonl" <<'LUA'
local h = by("help")
gs.assert(#h == 2 and h[1].command == "step" and h[1].text:match("^step %[KIND%] %[N%]"), "help step")
gs.assert(h[2].command == gs.null and h[2].text:find("Breakpoints:", 1, true), "help")
local x = by("exit")
gs.assert(#x == 1 and x[1].status == 137 and x[1].text:find("SIGKILL"), "kill: an exit line")
gs.assert(#by("stop") == 1, "the start's stop")
LUA

printf 'gs.start()\nlocal x = nil\nprint(x.y)\n' >"$TEST_TMP/err.lua"
repl_run --json -batch "$TEST_TMP/err.lua" tests/progs/hello.go </dev/null
expect_status 1
expect_contains "$REPL_ERR" "err.lua:3: attempt to index a nil value (local 'x')"
expect_contains "$REPL_OUT" '{"type":"error","msg":"'"$TEST_TMP"'/err.lua:3: attempt to index a nil value (local '"'x'"')"}'
printf 'gs.assert(false, "no")\n' >"$TEST_TMP/assert.lua"
repl_run --json -batch "$TEST_TMP/assert.lua" tests/progs/hello.go </dev/null
expect_status 1
expect_contains "$REPL_OUT" '"type":"fail"'
expect_not_contains "$REPL_OUT" '"type":"error"'

# --json-out FILE: the lines go to FILE, standard output keeps only the
# program's own output; a file that cannot be made is a usage error.
repl_run --json-out "$TEST_TMP/out.jsonl" -ex 'break on create' -ex run -ex 'print 1 + 1' -ex delete -ex continue tests/progs/hello.go </dev/null
expect_status 0
[ "$(cat "$REPL_OUT")" = hello ] || fail "stdout holds more than the program's output"
expect_contains "$TEST_TMP/out.jsonl" '{"type":"result","values":[2]}'
expect_contains "$TEST_TMP/out.jsonl" '{"type":"exit","status":0,"text":"exited with status 0"}'
check_json "$TEST_TMP/out.jsonl" <<'LUA'
gs.assert(#by("stop") == 1 and #by("result") == 1 and #by("exit") == 1, "the lines of the session")
LUA
repl_run --json-out /nonexistent/dir/out.jsonl -ex run tests/progs/hello.go </dev/null
expect_status 2
expect_contains "$REPL_ERR" "gosched-repl: /nonexistent/dir/out.jsonl: No such file or directory"

# A breakpoint's commands, silent, and an expectation's place and message,
# in info breakpoints' items.
repl_run --json -batch -ex 'break on park if ev.g.id > 1' -ex 'commands 1
silent
print ev.g.id
end' -ex 'gs.expect_never("ev.g.id < 0", "no negative ids")' -ex 'info breakpoints' examples/pingpong 10 </dev/null
expect_status 0
for item in '"silent":true' '"commands":["print ev.g.id"]' '"msg":"no negative ids"' '"where":"lua:1"'; do
	expect_contains "$REPL_OUT" "$item"
done
