#!/usr/bin/env bash
# Listings on a program with hundreds of goroutines: goroutines (alias gs)
# with a Lua filter, -group BY and -n N; info sched, info p [N], info m [N],
# info g [ID]; the pretty printer. Every listing stays bounded.
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

# section NAME: the lines between the marker "== NAME" and the next marker.
section() {
	awk -v m="== $1" '$0 == m { f = 1; next } /^== / { f = 0 } f' "$REPL_OUT"
}

repl_run tests/progs/many.go <<'CMDS'
gs
start
step create 300
members, runnable, all = 0, 0, 0
for _, x in pairs(g) do all = all + 1 if x.startfn == "main.member" then members = members + 1 if x.status == "runnable" then runnable = runnable + 1 end end end
print("counts", members, runnable, all, ev.g.id)
print("== flat")
goroutines
print("== all")
gs -n 0
print("== bystartfn")
gs -group startfn
print("== bystatus")
gs -group status -n 2
print("== filter")
gs startfn == "main.member" and status == "runnable"
print("== self")
gs G == ev.g and p == ev.p
print("== sched")
info sched
print("== ps")
info p
print("== p0")
info p 0
print("== m0")
info m 0
print("== g1")
info g 1
print("== gev")
info g
print("== printg")
print g
print("== long")
t = {} for i = 1, 30 do t[i] = i end
t
print("== errors")
gs nosuch(
gs status > 1
gs -x
gs -group
info p 99
info g x
continue
CMDS
expect_status 1 # the commands under "errors" fail
read -r _ members runnable all evg < <(grep '^counts' "$REPL_OUT")
[ "$all" -ge 300 ] || fail "only $all goroutines after 300 creates"

# Before start there is nothing to list.
expect_contains "$REPL_ERR" "error: the program is not running (use start or run)"

# Without -group: 100 lines in id order, then how many more, then the count.
section flat >"$TEST_TMP/flat"
[ "$(grep -cE '^[ *] G[0-9]+ ' "$TEST_TMP/flat")" = 100 ] || fail "gs did not list 100 goroutines"
expect_contains "$TEST_TMP/flat" "… and $((all - 100)) more (-n 0 lists them all)"
expect_contains "$TEST_TMP/flat" "$all goroutines"
ids=$(grep -oE '^[ *] G[0-9]+' "$TEST_TMP/flat" | tr -dc '0-9\n')
[ "$ids" = "$(sort -n <<<"$ids")" ] || fail "gs is not in id order"

# -n 0: all of them, the event's goroutine marked.
section all >"$TEST_TMP/all"
[ "$(grep -cE '^[ *] G[0-9]+ ' "$TEST_TMP/all")" = "$all" ] || fail "gs -n 0 did not list all"
[ "$(grep -c '^\* ' "$TEST_TMP/all")" = 1 ] || fail "not exactly one goroutine marked"
expect_match "$TEST_TMP/all" "^\* G$evg "

# -group: counts per group, largest first, 10 members each, then how many more.
section bystartfn >"$TEST_TMP/byfn"
head -n 1 "$TEST_TMP/byfn" | grep -qx "main.member: $members goroutines" ||
	fail "the largest group is not main.member with $members"
[ "$(awk '/^main.member:/ { f = 1; next } /^[^ ]/ { f = 0 } f && /G[0-9]+ /' "$TEST_TMP/byfn" | wc -l)" = 10 ] ||
	fail "main.member's group does not list 10 members"
expect_contains "$TEST_TMP/byfn" "  … and $((members - 10)) more"
expect_match "$TEST_TMP/byfn" "^[0-9]+ groups, $all goroutines$"
section bystatus >"$TEST_TMP/bystatus"
expect_match "$TEST_TMP/bystatus" "^runnable: [0-9]+ goroutines?$"
nrunnable=$(sed -n 's/^runnable: \([0-9]*\) goroutines*$/\1/p' "$TEST_TMP/bystatus")
[ "$(grep -c 'G[0-9]* runnable' "$TEST_TMP/bystatus")" = "$((nrunnable < 2 ? nrunnable : 2))" ] ||
	fail "-n 2 did not list 2 per group (of $nrunnable runnable)"

# A Lua filter over the goroutine's fields.
section filter >"$TEST_TMP/filter"
[ "$(grep -cE '^[ *] G[0-9]+ runnable main\.member ' "$TEST_TMP/filter")" = "$(( runnable < 100 ? runnable : 100 ))" ] ||
	fail "the filter listed other goroutines"
expect_contains "$TEST_TMP/filter" "$runnable of $all goroutines"
section self >"$TEST_TMP/self"
expect_match "$TEST_TMP/self" "^\* G$evg "
expect_contains "$TEST_TMP/self" "1 of $all goroutines"

# info: the scheduler's records, field by field.
section sched >"$TEST_TMP/sched"
for f in gomaxprocs ngoroutines runq pidle midle gcwaiting; do
	expect_match "$TEST_TMP/sched" "^  $f +"
done
section ps >"$TEST_TMP/ps"
expect_match "$TEST_TMP/ps" '^P0 [a-z]+ .*schedtick='
expect_match "$TEST_TMP/ps" '^P1 '
section p0 >"$TEST_TMP/p0"
expect_match "$TEST_TMP/p0" '^P0 '
expect_match "$TEST_TMP/p0" '^  runq +\{'
section m0 >"$TEST_TMP/m0"
expect_match "$TEST_TMP/m0" '^M0 procid=[0-9]+'
expect_match "$TEST_TMP/m0" '^  procid +[0-9]+$'
section g1 >"$TEST_TMP/g1"
expect_match "$TEST_TMP/g1" '^G1 [a-z]+.* runtime\.main'
expect_match "$TEST_TMP/g1" '^  status +[a-z]+$'
expect_match "$TEST_TMP/g1" '^  startfn +runtime\.main$'
expect_contains "$TEST_TMP/g1" "  stack:"
expect_match "$TEST_TMP/g1" '^    #0 +[a-zA-Z]'
section gev >"$TEST_TMP/gev"
expect_match "$TEST_TMP/gev" "^G$evg "

# The pretty printer: a list of goroutines one per line, at most 100; long
# tables inline, at most 20 entries.
section printg >"$TEST_TMP/printg"
[ "$(grep -cE '^G[0-9]+ ' "$TEST_TMP/printg")" = 100 ] || fail "print g did not show 100 lines"
expect_contains "$TEST_TMP/printg" "… ($((all - 100)) more)"
section long >"$TEST_TMP/long"
expect_contains "$TEST_TMP/long" "{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, … (10 more)}"

# Errors say what is wrong.
expect_contains "$REPL_ERR" "error: goroutines: bad filter: filter:1: "
expect_contains "$REPL_ERR" "attempt to compare"
expect_contains "$REPL_ERR" "error: goroutines: unknown option -x (usage: goroutines [-group BY] [-n N] [FILTER])"
expect_contains "$REPL_ERR" "error: goroutines: -group needs a field, as in -group status"
expect_contains "$REPL_ERR" "error: no P 99 in this stop"
expect_contains "$REPL_ERR" 'error: info g: want a goroutine id, as in "info g 1"'
expect_contains "$REPL_OUT" "many: "

# With cgo, the extra M's dead goroutine is not in g (the stop line, #g and
# gs agree); goroutine 1 has no creator (the runtime's start-up made it).
repl_run tests/progs/extram.go <<'CMDS'
start
print("count", #g)
extra = false
for _, x in pairs(m) do if x.procid == 0 and x.curg == nil then extra = true end end
print("extra M", extra)
gs
print("g1", g[1].createdby, g[1].createdat)
CMDS
expect_status 0
expect_contains "$REPL_OUT" "extra M	true"
n=$(sed -n 's/^stopped at .* | goroutines \([0-9]*\),.*/\1/p' "$REPL_OUT")
expect_contains "$REPL_OUT" "count	$n"
expect_not_contains "$REPL_OUT" "deadextra"
expect_contains "$REPL_OUT" "g1	nil	nil"
expect_match "$REPL_OUT" '^[ *] G1 running runtime\.main$'

# info shows a record's fields in the order of the man page's LUA MODEL
# (id, on the first line, aside; nil fields are not shown): P, M and sched.
model_order() { # the .TP/.B field names of the man section titled $1
	awk -v title="$1" '/^\.S[SH] / { on = index($0, title) > 0; next }
		on && prev ~ /^\.TP/ && /^\.BR? / { print $2 } { prev = $0 }' man/gosched-repl.1 | grep -vx id
}
repl_run tests/progs/hello.go <<'CMDS'
start
gs.cmd("info p " .. ev.p.id)
gs.cmd("info m " .. ev.m.id)
info sched
kill
CMDS
expect_status 0
shown() { # the field names of the record after the line matching $1
	awk -v head="$1" '$0 ~ head { on = 1; next } on && /^  [a-z]/ { print $1; next } on { exit }' "$REPL_OUT"
}
for rec in "P (an entry of p)|^P[0-9]+ " "M (an entry of m)|^M[0-9]+ " "sched|^sched:"; do
	have=$(shown "${rec#*|}")
	[ "$(echo "$have" | wc -w)" -ge 6 ] || fail "info shows too few fields of ${rec%%|*}: $have"
	want=$(model_order "${rec%%|*}" | grep -Fx "$have") # (the man's order, of those shown)
	expect_eq "$(echo $have)" "$(echo $want)"
done

# A number too large for any id or count is refused as it was typed, not
# read as the largest one.
big=99999999999999999999999
repl_run tests/progs/hello.go <<CMDS
start
condition $big
info p $big
bt $big
goroutines -n $big
kill
CMDS
expect_status 1
expect_contains "$REPL_ERR" "error: condition: \"$big\" is not a breakpoint number"
expect_contains "$REPL_ERR" 'error: info p: want a P id, as in "info p 1"'
expect_contains "$REPL_ERR" 'error: bt: want a goroutine id, as in "bt 42"'
expect_contains "$REPL_ERR" "error: goroutines: -n needs a count (0: all), not \"$big\""
expect_not_contains "$REPL_ERR" "9223372036854775807"
