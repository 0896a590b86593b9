#!/usr/bin/env bash
# Breakpoints on a real program: conditions in each tier, hits, ignore
# counts, commands (silent, continue), disable/enable/delete at a stop, a
# pending step that Lua-tier stops do not disturb, and bad input refused
# with the breakpoints kept. examples/pingpong runs 6 goroutines of its own,
# main.worker (4), main.pong and main.ping, all started by go statements
# with arguments (the compiler's wrappers, main.main.gowrapN, are seen
# through), so some counts are exact.
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

# A stop at a breakpoint says which one and how often it was hit; ignore
# lets hits pass (counted); info breakpoints (or info breaks, info b) shows
# the tier.
repl_run examples/pingpong 50 <<'CMDS'
break on park if ev.g.waitreason == "chan send"
ignore 1 3
run
print "hits", gs.breaks(1).hits, stop.reason, stop.bps[1], ev.kind, ev.g.waitreason
info breakpoints
info breaks
info b
delete 1
continue
CMDS
expect_status 0
expect_contains "$REPL_OUT" 'breakpoint 1: on park if ev.g.waitreason == "chan send" [runtime]'
expect_contains "$REPL_OUT" 'breakpoint 1: the next 3 hits will not stop the program'
expect_contains "$REPL_OUT" 'breakpoint 1 (on park if ev.g.waitreason == "chan send"), hit 4 times'
expect_match "$REPL_OUT" '^stopped at park \(chan send\): G[0-9]+ '
expect_contains "$REPL_OUT" '"hits"	4	"break"	1	"park"	"chan send"'
expect_match "$REPL_OUT" '^1 +breakpoint +y +4 +runtime +park +ev.g.waitreason == "chan send"$'
[ "$(grep -c '^1 \+breakpoint \+y \+4 ' "$REPL_OUT")" = 3 ] || fail "info breaks and info b list them too"
expect_contains "$REPL_OUT" "pingpong: 50 round trips, final value 50"
expect_contains "$REPL_OUT" "[program exited with status 0]"

# Commands: silent, count, continue -- in each tier the same exact counts.
repl_run examples/pingpong 50 <<'CMDS'
break on create if ev.g.startfn == "main.worker"
commands
silent
n1 = (n1 or 0) + 1
continue
end
break -lua on create if ev.g.startfn == "main.worker"
commands
silent
n2 = (n2 or 0) + 1
continue
end
break on create if ev.g.startfn:match("^main%.")
commands
silent
n3 = (n3 or 0) + 1
continue
end
break -full on create start if ev.g.startfn == "main.ping" and ev.kind == "create"
commands
silent
n4 = (n4 or 0) + 1
continue
end
run
print "counts", n1, n2, n3, n4
print "hits", gs.breaks(1).hits, gs.breaks(2).hits, gs.breaks(3).hits, gs.breaks(4).hits
print "tiers", gs.breaks(1).tier, gs.breaks(2).tier, gs.breaks(3).tier, gs.breaks(4).tier
info breakpoints
CMDS
expect_status 0
expect_contains "$REPL_OUT" '"counts"	4	4	6	1'
expect_contains "$REPL_OUT" '"hits"	4	4	6	1'
expect_contains "$REPL_OUT" '"tiers"	"runtime"	"lua/event"	"lua/event"	"lua/stop"'
expect_contains "$REPL_OUT" "        in Lua, from the event (a function call)"
expect_contains "$REPL_OUT" "        in Lua, on a full stop (-full asked for)"
expect_not_contains "$REPL_OUT" "breakpoint 1 (on create"
expect_not_contains "$REPL_OUT" "stopped at"
expect_contains "$REPL_OUT" "[program exited with status 0]"
[ ! -s "$REPL_ERR" ] || fail "unexpected stderr: $(cat "$REPL_ERR")"

# A breakpoint's commands print after the stop line; changes made at a stop
# reach the runtime: disable stops the hits, enable brings them back.
repl_run examples/pingpong 50 <<'CMDS'
break on create if ev.g.startfn == "main.worker"
commands
print "at create", ev.g.id > 0
end
run
disable 1
break on start if ev.g.startfn == "main.ping"
continue
print "start", ev.g.startfn, gs.breaks(1).hits
enable 1
delete 2
continue
CMDS
expect_status 0
expect_contains "$REPL_OUT" 'breakpoint 1 (on create if ev.g.startfn == "main.worker"), hit 1 time
stopped at create: '
expect_contains "$REPL_OUT" '"at create"	true'
expect_contains "$REPL_OUT" '"start"	"main.ping"	1'
expect_contains "$REPL_OUT" 'breakpoint 2 (on start if ev.g.startfn == "main.ping"), hit 1 time'
# main.ping starts after the four workers were created: with 1
# disabled, the program ran past them; re-enabled, none is left to stop at.
expect_not_contains "$REPL_OUT" "hit 2 times"
expect_contains "$REPL_OUT" "[program exited with status 0]"

# A pending step counts on across Lua-tier stops whose condition is false,
# and a breakpoint at the first event is seen (it goes in at that event).
# (Counted by event numbers, on one P and past the start-up, when threads
# are created: a thread starting during a stop escapes the freeze and its
# events would count in neither.)
GOMAXPROCS=1 repl_run examples/pingpong 50 <<'CMDS'
break -lua on park ready start if ev.g.id < 0
break -full on park ready if ev.g.id < 0
start
step 60
d = {}
for i = 1, 5 do local s0 = stop.seq + stop.gap; gs.step(25); d[#d + 1] = stop.seq - s0 end
print("steps", table.concat(d, " "), stop.reason, gs.breaks(1).evals > 20, gs.breaks(2).evals > 20)
delete
break on create
run
print("first", ev.kind, gs.breaks(3).hits, stop.seq <= 10)
CMDS
expect_status 0
expect_contains "$REPL_OUT" "steps	25 25 25 25 25	step	true	true"
expect_contains "$REPL_OUT" "breakpoint 3 (on create), hit 1 time"
expect_contains "$REPL_OUT" "first	create	1	true"

# Bad input: a clear error each, and the breakpoints are as they were.
repl_run examples/pingpong 50 <<'CMDS'
break on park if ev.g.id > 2
break on parkk
break on park if ev.g.id >
break if
delete 7
ignore 1 x
commands 9
enable 0
break -quick
start
break if (
print "left", #gs.breaks(), gs.breaks(1).cond, gs.breaks(1).enabled
continue
CMDS
expect_status 1
expect_contains "$REPL_ERR" 'error: unknown event kind "parkk" (kinds: any, create, start, park, ready, exit, preempt, yield, syscall, sysret, steal, handoff, gcstop, gcstart, deadlock, end)'
expect_contains "$REPL_ERR" "error: bad condition: unexpected symbol near <eof>"
expect_contains "$REPL_ERR" 'error: break: the condition after "if" is empty'
expect_contains "$REPL_ERR" 'error: delete: no breakpoint 7 ("info breakpoints" lists them)'
expect_contains "$REPL_ERR" 'error: ignore: the count must be a number >= 0, not "x"'
expect_contains "$REPL_ERR" "error: commands: no breakpoint 9"
expect_contains "$REPL_ERR" 'error: enable: "0" is not a breakpoint number'
expect_contains "$REPL_ERR" 'error: break: unknown option "-quick"'
expect_contains "$REPL_OUT" '"left"	1	"ev.g.id > 2"	true'
expect_contains "$REPL_OUT" "breakpoint 1 (on park if ev.g.id > 2), hit 1 time"

# Ctrl-C while Lua-tier checks are being answered stops the program (the
# runtime cannot take its own interrupt while a check waits for us; the
# REPL makes the check the stop) instead of losing it.
printf 'break -lua on park ready if ev.g.id < 0\nrun\nprint "after", stop.reason, gs.breaks(1).evals > 0\nkill\n' \
	>"$TEST_TMP/int.gsr"
XDG_CACHE_HOME=$E2E_OUT/cache "$REPL" build examples/pingpong -o "$TEST_TMP/pingpong" ||
	fail "gosched-repl build failed"
# (The Ctrl-C goes to the REPL itself: two SIGINTs would kill the program.)
REPL_SIGNAL_DELAY=0.3 repl_signal INT int /dev/null -batch -n -x "$TEST_TMP/int.gsr" \
	"$TEST_TMP/pingpong" 100000000
rc=$REPL_STATUS
# The stop is the user's (interrupted), and, as in gdb, a Ctrl-C also ends
# the command file that was running: the rest of it is not run, and a batch
# run that did not finish its commands fails.
[ "$rc" = 1 ] || fail "gosched-repl exited with status $rc after Ctrl-C, want 1"
expect_match "$TEST_TMP/int.out" '^interrupted( at [a-z]+( \([^)]*\))?)?: '
expect_contains "$TEST_TMP/int.err" "int.gsr:2: interrupted: the rest of the file is not run"
expect_not_contains "$TEST_TMP/int.out" '"after"'

# A command file that ends inside `commands N` (no `end`): the list is kept
# as read, and the file is reported as failing at its last line.
printf 'break on park\ncommands 1\nsilent\nprint ev.kind\n' >"$TEST_TMP/open.gsr"
set +e
GOSCHED_HISTFILE=/dev/null XDG_CACHE_HOME=$E2E_OUT/cache \
	"$REPL" -batch -n -x "$TEST_TMP/open.gsr" -ex 'info breakpoints' tests/progs/hello.go \
	>"$TEST_TMP/open.out" 2>"$TEST_TMP/open.err"
rc=$?
set -e
[ "$rc" = 1 ] || fail "a command file ending inside commands exited $rc, want 1"
expect_contains "$TEST_TMP/open.err" 'open.gsr:4: the file ended inside "commands 1" (no "end"): its list is kept as read'
expect_contains "$TEST_TMP/open.out" "print ev.kind"

# The same for -ex commands and for standard input: an error, status 1.
repl_run -ex 'break on park' -ex 'commands 1' -ex 'print 1' tests/progs/hello.go </dev/null
expect_status 1
expect_contains "$REPL_ERR" 'the -ex commands ended inside "commands 1" (no "end")'
repl_run tests/progs/hello.go <<'CMDS'
break on park
commands 1
print 1
CMDS
expect_status 1
expect_contains "$REPL_ERR" 'the input ended inside "commands 1" (no "end")'
# The same for the text of gs.cmd: the commands after it (gs.run's too)
# would have gone into the list. Its lines may follow the command word on
# their own lines, with or without a number.
cat >"$TEST_TMP/gscmd.lua" <<'LUA'
gs.cmd("break on exit")
gs.cmd("commands\nsilent\nprint 'listed'\nend")
print("inline", #gs.breaks(1).commands, gs.breaks(1).silent)
local ok, err = pcall(gs.cmd, "commands 1")
print("open", ok, err)
gs.cmd("info breaks\n") -- (a trailing newline is no argument)
gs.run()
print("ran", gs.exitstatus)
LUA
repl_run -batch "$TEST_TMP/gscmd.lua" tests/progs/hello.go </dev/null
expect_status 0
expect_contains "$REPL_OUT" "inline	1	true"
expect_contains "$REPL_OUT" 'open	false	the text of gs.cmd ended inside "commands 1" (no "end"): its list is kept as read'
expect_contains "$REPL_OUT" "ran	0"
# ... but a list may go on from one -ex to the next, and a stray end says what it is.
repl_run -ex 'break on park' -ex 'commands 1' -ex silent -ex 'print 5' -ex end -ex 'info breaks' -ex end tests/progs/hello.go </dev/null
expect_status 1
expect_match "$REPL_OUT" '^ +silent$'
expect_match "$REPL_OUT" '^ +print 5$'
expect_contains "$REPL_ERR" '"end" with no commands list open'

# A list runs to its end even if it deletes its own breakpoint; a list may
# hold a `commands` of its own, up to its own end, which replaces the list
# when it runs; -lua/-full without a condition say why in info breaks.
repl_run examples/pingpong 20 <<'CMDS'
break on park if ev.g.startfn == "main.pong"
commands
print "A"
delete 1
print "B"
continue
end
break -lua on park
break -full on park
info breaks
delete 2 3
run
print "stopped after", ev and ev.kind
break on park
commands
commands
print "inner"
end
print "outer"
continue
end
run
print "second", ev and ev.kind
info breaks
CMDS
expect_status 0
expect_contains "$REPL_OUT" "in Lua, from the event (-lua asked for)"
expect_contains "$REPL_OUT" "in Lua, on a full stop (-full asked for)"
expect_not_contains "$REPL_OUT" "(null)"
expect_contains "$REPL_OUT" '"B"'
expect_contains "$REPL_OUT" '"stopped after"	nil'
expect_contains "$REPL_OUT" '"outer"'
expect_contains "$REPL_OUT" '"inner"'
expect_contains "$REPL_OUT" '"second"	"park"'
expect_match "$REPL_OUT" '^ +print "inner"$'

# Bad input, said at once and nothing lost: a count out of range, a list
# line that is not Lua (the rest of the list is kept), a misspelt field of
# gs.breakpoint; a Lua-tier error says condition:1 for a one-line condition.
repl_run examples/pingpong 3 <<'CMDS'
break on park
ignore 1 99999999999999999999
ignore 1 0
commands 1
print nil.x
print "kept"
end
info breaks
print(pcall(gs.breakpoint, {onn = "park"}))
print(#gs.breaks())
break -lua on park if ev.g.system.x
start
step any 2
print("any", ev.kind ~= nil)
continue
CMDS
expect_status 1
expect_contains "$REPL_ERR" "ignore: the count 99999999999999999999 is too large"
expect_contains "$REPL_OUT" "breakpoint 1: stops at its next hit"
expect_contains "$REPL_ERR" "lua:1: <eof> expected near '.' (the line is not added to the list)"
expect_match "$REPL_OUT" '^ +print "kept"$'
expect_not_contains "$REPL_OUT" "print nil.x"
expect_contains "$REPL_OUT" "gs: breakpoint: unknown field onn (fields: on, cond, tier, ignore, commands, silent, temporary)"
expect_match "$REPL_OUT" '^1$'
expect_contains "$REPL_ERR" "condition:1: attempt to index a boolean value (field 'system')"
expect_contains "$REPL_OUT" "any	true"

# commands takes one breakpoint number at most.
repl_run -ex 'break' -ex 'break' -ex 'commands 1 2' tests/progs/hello.go </dev/null
expect_status 1
expect_contains "$REPL_ERR" "commands: one breakpoint number at most (usage: commands [N])"

# The runtime uses up a runtime-tier breakpoint's ignore count itself (no
# stop per ignored hit); the counts come out as the REPL's own would: each
# tier stops at the 400th of tests/progs/many.go's 400 main.member creates,
# an ignore count set at a stop counts from there, and a count larger than
# the hits that come is left over at the exit.
repl_run tests/progs/many.go <<'CMDS'
break on create if ev.g.startfn == "main.member"
ignore 1 399
break -lua on create if ev.g.startfn == "main.member"
ignore 2 399
break on create if ev.g.startfn == "main.member"
ignore 3 100
break on create
ignore 4 1000000
run
print("first", stop.bps[1], gs.breaks(1).hits, gs.breaks(2).hits, gs.breaks(1).ignore, gs.breaks(2).ignore)
ignore 3 250
continue
print("second", stop.bps[1], gs.breaks(1).hits, gs.breaks(2).hits, gs.breaks(1).ignore)
delete 3
continue
print("third", stop.bps[1], stop.bps[2], gs.breaks(1).hits, gs.breaks(2).hits, gs.breaks(1).ignore)
continue
print("exit", gs.breaks(1).hits, gs.breaks(2).hits, gs.breaks(4).hits + gs.breaks(4).ignore)
CMDS
expect_status 0
expect_contains "$REPL_OUT" "first	3	101	101	298	298"
expect_contains "$REPL_OUT" "second	3	352	352	47"
expect_contains "$REPL_OUT" "third	1	2	400	400	0"
expect_contains "$REPL_OUT" "exit	400	400	1000000"
expect_not_contains "$REPL_OUT" "breakpoint 4 ("

# tbreak: deleted at the first stop it makes (after its commands, before the
# program resumes); condition: a new condition, or none, in the tier it
# belongs to, the hits kept; a bad one changes nothing.
repl_run examples/pingpong 20 <<'CMDS'
tbreak on create
break on park if ev.g.id < 0
run
print("after", #gs.breaks(), gs.breaks(1), stop.bps[1])
condition 2 ev.g.waitreason == "chan receive"
condition 2 ev.g.(
condition 9 true
condition
condition x
info breaks
continue
print("cond", gs.breaks(2).hits, ev.g.waitreason)
condition 2 ev.g.waitreason == "chan receive" and g[ev.g.id] ~= nil
print("tier", gs.breaks(2).tier, gs.breaks(2).hits)
condition 2
print("none", gs.breaks(2).cond, gs.breaks(2).tier)
delete
tbreak on start
commands
silent
print("tcmd", gs.breaks(3) ~= nil)
continue
end
break on exit
continue
print("gone", gs.breaks(3), stop.bps[1])
delete 4
print(gs.breakpoint{on = "park", temporary = true}, gs.breaks(5).temporary)
continue
print("t5", gs.breaks(5), stop.bps[1])
delete
continue
CMDS
expect_status 1
expect_contains "$REPL_OUT" "temporary breakpoint 1: on create [runtime]"
expect_contains "$REPL_OUT" "temporary breakpoint 1 (on create), hit 1 time (deleted)"
expect_contains "$REPL_OUT" "after	1	nil	1"
expect_contains "$REPL_OUT" 'breakpoint 2: on park if ev.g.waitreason == "chan receive" [runtime]'
expect_contains "$REPL_ERR" "error: condition: bad condition: <name> expected near '(' (breakpoint 2 is unchanged)"
expect_contains "$REPL_ERR" 'error: condition: no breakpoint 9 ("info breakpoints" lists them)'
expect_contains "$REPL_ERR" "error: usage: condition N [CONDITION]"
expect_contains "$REPL_ERR" 'error: condition: "x" is not a breakpoint number'
expect_match "$REPL_OUT" '^2 +breakpoint +y +0 +runtime +park +ev.g.waitreason == "chan receive"$'
expect_contains "$REPL_OUT" "cond	1	chan receive"
expect_contains "$REPL_OUT" "tier	lua/stop	1"
expect_contains "$REPL_OUT" "none	nil	runtime"
expect_contains "$REPL_OUT" "tcmd	true"
expect_contains "$REPL_OUT" "gone	nil	4"
expect_contains "$REPL_OUT" "5	true"
expect_contains "$REPL_OUT" "t5	nil	5"
expect_contains "$REPL_OUT" "[program exited with status 0]"

# gs.breakpoint refuses what it cannot honour, and makes nothing: a commands
# line that does not compile, an empty on, an unknown tier, a silent that is
# not a boolean.
cat >"$TEST_TMP/badspec.lua" <<'LUA'
print(pcall(gs.breakpoint, {on = "park", commands = {"print 1", "print(", "continue"}}))
print(pcall(gs.breakpoint, {on = ""}))
print(pcall(gs.breakpoint, {on = {}}))
print(pcall(gs.breakpoint, {tier = "turbo"}))
print(pcall(gs.breakpoint, {on = "park", silent = "yes"}))
print(pcall(gs.breakpoint, {on = "park", ignore = 1.5}))
print("made", #gs.breaks(), gs.breaks(gs.breakpoint{on = "park", tier = "runtime"}).tier,
	gs.breaks(gs.breakpoint{on = "park", ignore = 2^40}).ignore)
LUA
repl_run -batch "$TEST_TMP/badspec.lua" tests/progs/hello.go </dev/null
expect_status 0
expect_contains "$REPL_OUT" "gs: commands[2]: lua:1: unexpected symbol near <eof>"
[ "$(grep -c 'gs: on: one or more event kinds (leave on out for every kind)' "$REPL_OUT")" = 2 ] || fail "an empty on was taken"
expect_contains "$REPL_OUT" 'gs: tier: "runtime" (the default: the runtime if the condition compiles), "lua", "event" or "full", not "turbo"'
expect_contains "$REPL_OUT" "gs: silent: true or false, not a string"
expect_contains "$REPL_OUT" "gs: ignore: a whole number >= 0, not 1.5"
expect_contains "$REPL_OUT" "made	0	runtime	1099511627776"

# A field the model's record does not have (a typo) is said when the
# condition is set: it would never hold, and stop the program at every
# event. Known fields, labels and a function's own names are not.
repl_run tests/progs/hello.go <<'CMDS'
break on park if ev.g.waitreasn == "chan receive"
break if #p[0].runqq > 1 or sched.ngoroutine > 10
break on park if ev.p.runq[1].idd
break on park if ev.g.labels.foo == "x" and ev.m.curg.m.p.runnext.waitreason
break on park if function(ev) local p = {idd = 1} return p.idd end
break if g.status == "running" or stop.reson
break if ev.p.runq.id == 3
break on exit if ev.startfn == "main.ping" and ev.g.stack ~= nil and stop.reason and p[0].m.curg
print(#gs.breaks())
print("kept", gs.breaks(1).warning ~= nil, gs.breaks(5).warning)
info breaks
CMDS
expect_status 0
expect_contains "$REPL_OUT" "kept	true	nil"
expect_match "$REPL_OUT" '^ +warning: a goroutine has no field "waitreasn", so it is always nil here'
expect_contains "$REPL_ERR" 'warning: g is a list of goroutines (by id), so its field "status" is always nil (the event'"'"'s own are ev.g, ev.p, ev.m)'
expect_contains "$REPL_ERR" 'warning: this is a list of goroutines (by position), so its field "id" is always nil'
expect_contains "$REPL_ERR" 'warning: a goroutine has no field "waitreasn", so it is always nil here (fields: createdat, createdby, id, labels,'
expect_contains "$REPL_ERR" 'warning: a P has no field "runqq", so it is always nil here'
expect_contains "$REPL_ERR" 'warning: a goroutine has no field "idd"'
[ "$(grep -c '^warning: ' "$REPL_ERR")" = 5 ] || fail "a known field, a method or a function's own name was warned about"
expect_match "$REPL_OUT" '^8$'

# The tiers word a comparison error alike (Lua does a > b as b < a).
repl_run -ex 'break on park if ev.g.id > "x"' -ex 'break -lua on park if ev.g.id > "x"' -ex run tests/progs/hello.go </dev/null
expect_status 0
[ "$(grep -c 'attempt to compare string with number$' "$REPL_ERR")" = 2 ] || fail "the tiers word the error differently"

# info breakpoints N...: those only; a number that is no breakpoint is an error.
repl_run -ex 'break on park' -ex 'break on create' -ex 'break on start' -ex 'info breakpoints 3 1' -ex 'info b 9' tests/progs/hello.go </dev/null
expect_status 1
expect_match "$REPL_OUT" '^1 +breakpoint +y +0 +runtime +park$'
expect_match "$REPL_OUT" '^3 +breakpoint +y +0 +runtime +start$'
expect_not_contains "$REPL_OUT" "runtime    create"
expect_contains "$REPL_ERR" "error: info breakpoints: no breakpoint 9"

# A condition changed while stopped applies to what follows: a thread that
# had found the old condition true, and was waiting its turn to stop the
# program when it stopped, lets it go (before, it stopped the program at an
# event where the new condition is false, and counted a hit).
for i in 1 2 3 4; do
	repl_run -batch -q -ex 'break on park if ev.g.startfn:match("^main%.") and ev.g.waitreason == "sleep"' \
		-ex run -ex 'condition 1 ev.g.waitreason == "sleep"' -ex continue \
		-ex 'print("after", gs.eval([[ev.g.waitreason == "sleep"]]))' tests/progs/convoy.go </dev/null
	expect_status 0
	expect_not_contains "$REPL_OUT" "after	false"
	repl_run -batch -q -ex 'break on park ready start' -ex run -ex 'condition 1 ev.g.id < 0' \
		-ex continue tests/progs/convoy.go </dev/null
	expect_status 0
	n=$(grep -c '^breakpoint 1 ' "$REPL_OUT")
	expect_eq "$n" 1
done

# gs.breakpoint() with nothing is `break` alone: every event.
printf 'print("set", gs.breakpoint())\ngs.start()\nprint("first", gs.cont().kind ~= nil, gs.breaks(1).hits)\ngs.cmd("kill")\n' \
	>"$TEST_TMP/bare.lua"
repl_run -batch "$TEST_TMP/bare.lua" tests/progs/hello.go </dev/null
expect_status 0
expect_contains "$REPL_OUT" "set	1"
expect_contains "$REPL_OUT" "first	true	2" # (the first stop, at start, is a hit too)

# An error in a commands list ends it there, as in gdb: the lines after it
# (its continue too) do not run, the program stays stopped, status 1.
repl_run examples/pingpong 20 <<'CMDS'
tbreak on park
commands
print "A"
info nosuch
print "B"
continue
end
run
print("still stopped at", ev.kind)
kill
CMDS
expect_status 1
expect_contains "$REPL_OUT" "A"
expect_not_contains "$REPL_OUT" '"B"'
expect_contains "$REPL_ERR" 'error: breakpoint 1: no info subcommand "nosuch"'
expect_contains "$REPL_OUT" "still stopped at	park"

# quit in a commands list, or gs.cmd("quit") in a commands function, ends
# the session as typed (QA: the session went on); nothing after it runs.
repl_run examples/pingpong 20 <<'CMDS'
break on create
commands 1
print "in list"
quit
print "not reached"
end
run
print "after"
CMDS
expect_status 0
expect_contains "$REPL_OUT" '"in list"'
expect_not_contains "$REPL_OUT" "not reached"
expect_not_contains "$REPL_OUT" '"after"'
printf 'gs.breakpoint{on = "create", commands = function() gs.cmd("quit") end}\ngs.run()\nprint("after")\n' \
	>"$TEST_TMP/quitfn.lua"
repl_run -batch "$TEST_TMP/quitfn.lua" examples/pingpong 20 </dev/null
expect_status 0
expect_not_contains "$REPL_OUT" "after"
expect_not_contains "$REPL_ERR" "error"
