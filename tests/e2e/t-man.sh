#!/usr/bin/env bash
# The manual page renders without warnings, `make install` installs it, and
# it documents every command and alias, info subcommand, option, event kind,
# field of the Lua model, environment variable the sources read, and file.
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

page=man/gosched-repl.1

# Renders cleanly, with man as with groff.
warnings=$(groff -man -Tutf8 -ww -z "$page" 2>&1)
[ -z "$warnings" ] || fail "groff warns: $warnings"
MANWIDTH=80 man -l "$page" >"$TEST_TMP/man.txt" 2>"$TEST_TMP/man.err" || fail "man failed"
[ ! -s "$TEST_TMP/man.err" ] || fail "man warns: $(cat "$TEST_TMP/man.err")"
for section in NAME SYNOPSIS DESCRIPTION "INTERACTIVE USE" OPTIONS COMMANDS "LUA MODEL" EVENTS \
	OUTPUT "EXIT STATUS" ENVIRONMENT FILES EXAMPLES; do
	grep -qx "$section" "$TEST_TMP/man.txt" || fail "no section $section"
done

# make install puts it in place (the binary is not rebuilt here).
make -s -o gosched-repl install DESTDIR="$TEST_TMP/dest" PREFIX=/usr >&2 || fail "make install failed"
cmp "$page" "$TEST_TMP/dest/usr/share/man/man1/gosched-repl.1" || fail "make install did not install the page"

# documented WORD: the page has WORD in bold (.B WORD, .BR WORD ..., \fBWORD\fP).
# Dashes are written \- in the source.
documented() {
	local w=${1//-/\\-}
	grep -qE -- "^\.(B|BR|BI|IR|I) +\"?$(sed 's/[][\.*^$]/\\&/g' <<<"$w")([ \",]|$)" "$page" ||
		grep -qF -- "\\fB$w\\fP" "$page"
}
missing=()
# check WORD...: every WORD is documented.
check() {
	for w in "$@"; do
		documented "$w" || missing+=("$w")
	done
}

# Commands and aliases, as help lists them.
repl_run examples/pingpong <<'CMDS'
help
info
step bogus
start
step 20
for _, t in ipairs({g[1], p[0], m[0], sched, ev, stop}) do local ks = {} for k in pairs(t) do ks[#ks + 1] = k end print("fields", table.concat(ks, " ")) end
for k in pairs(gs) do print("gs", k) end
kill
CMDS
check $(grep -E '^  [a-z]' "$REPL_OUT" | grep -v '^  info ' | sed -E 's/^  ([a-z]+)(, ([a-z]+))? .*/\1 \3/')
# info subcommands.
for sub in $(sed -n -E 's/^  info ([a-z]+).*/\1/p' "$REPL_OUT"); do
	grep -qE "^\.B(R)? \"?info $sub\b" "$page" || missing+=("info $sub")
done
# Event kinds, as step's error lists them.
check $(sed -n -E 's/.*KIND one of ([a-z, ]+)\).*/\1/p' "$REPL_ERR" | tr -d ,)
# The fields of the model, as a stop has them.
check $(sed -n -E 's/^fields\t//p' "$REPL_OUT")
# The gs library, as the table has it (.B gs.name, .BI gs.name( ...)).
for k in $(sed -n -E 's/^gs\t//p' "$REPL_OUT"); do
	grep -qE "^\.(B|BR|BI) .*\bgs\.$k\b" "$page" || missing+=("gs.$k")
done
# Options, as --help lists them (in the page's option list: .B \-x ...).
for opt in $("$REPL" --help | sed -n -E 's/^  (-[a-z-]+)(, (--[a-z]+))?.*/\1 \3/p'); do
	grep -qE "^\.(B|BR|BI) .*${opt//-/\\\\-}\b" "$page" || missing+=("$opt")
done
# Environment variables the sources read or set.
check $(grep -ohE 'getenv\("[A-Z_]+"\)' src/*.c | sed -E 's/getenv\("(.*)"\)/\1/' | sort -u)
check GOSCHED_REPL_SOCK GOSCHED_REPL_PID
[ ${#missing[@]} -eq 0 ] || fail "not in the manual page: ${missing[*]}"

# Files.
for f in gosched-repl/history gosched-repl/init ctl.sock; do
	grep -qF "$f" "$TEST_TMP/man.txt" || fail "file $f is not in the manual page"
done
