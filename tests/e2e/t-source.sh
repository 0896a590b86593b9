#!/usr/bin/env bash
# source FILE runs a command file (errors as FILE:LINE:, the file goes on) or
# a .lua file (one chunk); files nest; quit in a file quits. The init file
# ($XDG_CONFIG_HOME/gosched-repl/init, else ~/.config/gosched-repl/init) runs
# at start-up unless -n is given. No program is started.
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

d=$TEST_TMP
cat >"$d/a.gsr" <<EOF
# a command file
x = 1
source $d/b.lua
print("b says", y, double(21))
nosuch)
help quit
source $d/c.lua
print("after c")
EOF
cat >"$d/b.lua" <<'EOF'
-- a Lua file: one chunk, locals stay inside
local two = 2
y = x + 1
function double(n)
  return n * two
end
EOF
cat >"$d/c.lua" <<'EOF'
z = 1
if z then
  error("boom")
end
EOF
echo "source $d/self.gsr" >"$d/self.gsr"
printf 'print("quitting")\nquit\nprint("not reached")\n' >"$d/quit.gsr"

repl_run examples/pingpong <<EOF
source $d/a.gsr
print("back", x, y)
source $d/nosuch.gsr
source
source $d
source $d/self.gsr
source $d/quit.gsr
print("not reached either")
EOF
expect_status 1
expect_contains "$REPL_OUT" "b says	2	42"
expect_contains "$REPL_OUT" "quit  (alias: q)"
expect_contains "$REPL_OUT" "after c"
expect_contains "$REPL_OUT" "back	1	2"
expect_contains "$REPL_ERR" "$d/a.gsr:5: syntax error near ')'" # (not "a.gsr:5: lua:1: ...")
expect_contains "$REPL_ERR" "$d/a.gsr:7: $d/c.lua:3: boom"
expect_contains "$REPL_ERR" "error: $d/nosuch.gsr: No such file or directory"
expect_contains "$REPL_ERR" "error: usage: source FILE"
expect_contains "$REPL_ERR" "error: $d: is a directory"
expect_contains "$REPL_ERR" "source: files nested more than 16 deep"
expect_contains "$REPL_OUT" "quitting"
expect_not_contains "$REPL_OUT" "not reached"

# -x takes a .lua file as Lua too.
printf 'print("lua via -x", 6 * 7)\n' >"$d/x.lua"
REPL_STATUS=0
GOSCHED_HISTFILE=/dev/null XDG_CACHE_HOME=$E2E_OUT/cache \
	"$REPL" -batch -n -x "$d/x.lua" examples/pingpong >"$d/x.out" 2>&1 || REPL_STATUS=$?
expect_status 0
expect_contains "$d/x.out" "lua via -x	42"

# The init file: read at start-up, before -x and -ex; -n skips it.
mkdir -p "$d/config/gosched-repl" "$d/home/.config/gosched-repl"
printf 'print("init ran")\ninitvar = 7\nnosuch)\n' >"$d/config/gosched-repl/init"
printf 'print("home init ran")\n' >"$d/home/.config/gosched-repl/init"
# run_init ARGS...: gosched-repl -batch ARGS without -n; stdout+stderr in $d/out.
run_init() {
	REPL_STATUS=0
	HOME=$d/home GOSCHED_HISTFILE=/dev/null XDG_CACHE_HOME=$E2E_OUT/cache \
		"$REPL" -batch "$@" >"$d/out" 2>&1 || REPL_STATUS=$?
	cat "$d/out" >&2
}
XDG_CONFIG_HOME=$d/config run_init -ex 'print("initvar", initvar)' examples/pingpong
expect_status 1 # its error counts
expect_contains "$d/out" "init ran"
expect_contains "$d/out" "initvar	7"
expect_contains "$d/out" "$d/config/gosched-repl/init:3: syntax error near ')'"
XDG_CONFIG_HOME=$d/config run_init -n -ex 'print("initvar", initvar)' examples/pingpong
expect_status 0
expect_not_contains "$d/out" "init ran"
expect_contains "$d/out" "initvar	nil"
XDG_CONFIG_HOME= run_init -ex 'print("ok")' examples/pingpong
expect_contains "$d/out" "home init ran"
XDG_CONFIG_HOME=$d/none run_init -ex 'print("ok")' examples/pingpong
expect_status 0 # a missing init file is no error
expect_not_contains "$d/out" "init ran"

# A watch set on a command file's line is placed there, as its errors are.
printf 'x = 1\ngs.expect_never("ev.g.id > 0", "m1")\nrun\n' >"$d/never.gsr"
repl_run -batch -x "$d/never.gsr" examples/pingpong 10 </dev/null
expect_status 1
expect_contains "$REPL_ERR" "$d/never.gsr:2: expect_never failed: m1: ev.g.id > 0"

# An error inside a Lua chunk of several lines is placed where the chunk
# begins (a line in it could be a function's that an earlier chunk
# defined); a line with a NUL byte is an error of its own, and the file
# goes on.
printf 'print "one"\nif true then\n  x = 1\n  error("boom")\nend\nprint "two -- \0x"\nprint "three"\n' >"$d/lines.gsr"
repl_run -batch -x "$d/lines.gsr" examples/pingpong 10 </dev/null
expect_status 1
expect_contains "$REPL_ERR" "$d/lines.gsr:2: boom"
expect_contains "$REPL_ERR" "$d/lines.gsr:6: a NUL byte in the line: it is not run"
expect_contains "$REPL_OUT" "three"

# A .lua file that sources itself through gs.cmd: the depth error says its
# place once, not once per level.
printf 'gs.cmd("source %s/self.lua")\n' "$d" >"$d/self.lua"
repl_run -batch -x "$d/self.lua" examples/pingpong 10 </dev/null
expect_status 1
expect_contains "$REPL_ERR" "$d/self.lua:1: source: files nested more than 16 deep"
expect_not_contains "$REPL_ERR" "$d/self.lua:1: $d/self.lua:1:"
# ... and an error in a function an earlier chunk defined is placed at the
# line that called it.
printf '%s\n' 'function f()' '  local a = 1' '  error("from f")' 'end' '-- 5' 'f()' >"$d/fn.gsr"
repl_run -batch -x "$d/fn.gsr" examples/pingpong 10 </dev/null
expect_status 1
expect_contains "$REPL_ERR" "$d/fn.gsr:6: from f"
