/*
 * test_break.c -- breakpoints without a program: which tier
 * lua/condition.lua gives a corpus of conditions and the runtime programs
 * it compiles, event-kind parsing, the break/delete/disable/enable/ignore/
 * commands commands and their errors (each leaves the breakpoints as they
 * were), and the gs functions that need no program. The tiers' agreement
 * on a running program is tests/e2e/t-tiers.sh.
 */
#include <criterion/criterion.h>
#include <criterion/redirect.h>
#include <lauxlib.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "breakpoint.h"
#include "cmd.h"
#include "util.h"

static session s;

static void setup(void)
{
	cr_redirect_stdout();
	cr_redirect_stderr();
	setenv("GOSCHED_LUA_DIR", "lua", 1); /* the tests run from the repository root */
	cr_assert_eq(session_init(&s, "examples/pingpong", NULL, 0), 0, "%s", error_msg());
}

static void teardown(void)
{
	session_free(&s);
}

TestSuite(breaks, .init = setup, .fini = teardown);

/* ---------------------------------------------------------------- tiers */

/* COND's analysis: its tier and, for the runtime tier, its program. */
static void analyzed(const char *cond, const char *tier, const char *program)
{
	cr_assert_eq(break_analyze(&s, cond), 0, "%s: %s", cond, error_msg());
	lua_getfield(s.L, -1, "tier");
	lua_getfield(s.L, -2, "program");
	cr_assert_str_eq(lua_tostring(s.L, -2), tier, "tier of %s", cond);
	if (program)
		cr_assert_str_eq(lua_tostring(s.L, -1) ? lua_tostring(s.L, -1) : "(none)", program,
				 "program of %s", cond);
	lua_pop(s.L, 3);
}

Test(breaks, the_issue_examples_compile)
{
	analyzed("#p[1].runq > 100", "runtime", "k:1 ldp:#p.runq k:100 gt");
	analyzed("ev.g.waitreason == \"chan receive\"", "runtime",
		 "ld:ev.g.waitreason s:6368616e2072656365697665 eq");
	analyzed("sched.ngoroutines > 10000", "runtime", "ld:sched.ngoroutines k:10000 gt");
	analyzed("ev.g.startfn == \"main.worker\" and ev.p.id == 0", "runtime",
		 "ld:ev.g.startfn s:6d61696e2e776f726b6572 eq jf:3 ld:ev.p.id k:0 eq");
}

Test(breaks, runtime_tier_shapes)
{
	analyzed("not ev.p or #ev.p.runq >= 3", "runtime", "ld:ev.p not jt:3 ld:#ev.p.runq k:3 ge");
	analyzed("ev.g ~= nil and ev.g.id == 5", "runtime", "ld:ev.g nil ne jf:3 ld:ev.g.id k:5 eq");
	analyzed("ev.p and ev.p.id == 0", "runtime", "ld:ev.p jf:3 ld:ev.p.id k:0 eq");
	/* no parent: nil in Lua, 0 in the runtime */
	analyzed("ev.g.parent == nil", "runtime",
		 "ld:ev.g.parent k:0 ne jf:1 ld:ev.g.parent jt:1 nil nil eq");
	analyzed("-5 < ev.g.id", "runtime", "k:-5 ld:ev.g.id lt");
	analyzed("3.0 == #sched.runq", "runtime", "k:3 ld:#sched.runq eq");
	analyzed("p[ev.p.id].status ~= 'running'", "runtime",
		 "ld:ev.p.id ldp:p.status s:72756e6e696e67 ne");
	analyzed("(ev.kind == 'park') == not sched.gcwaiting", "runtime",
		 "ld:ev.kind s:7061726b eq ld:sched.gcwaiting not eq");
	analyzed("ev.m.spinning", "runtime", "ld:ev.m.spinning");
	analyzed("[[x]] <= ev.g.startfn -- a comment", "runtime", "s:78 ld:ev.g.startfn le");
}

Test(breaks, lua_tiers_and_why)
{
	/* the runtime would answer differently: a goroutine is an id there */
	analyzed("ev.g == 5", "stop", NULL);
	analyzed("(ev.g or 1) == 1", "stop", NULL);
	analyzed("ev.p > nil", "stop", NULL);
	analyzed("p[ev.p].status == 'idle'", "stop", NULL);
	/* Lua from the event alone */
	analyzed("ev.g.startfn:match('^main%.')", "event", NULL);
	analyzed("string.find(ev.g.startfn, 'worker') ~= nil", "event", NULL);
	analyzed("ev.g.labels.phase == 'load'", "event", NULL);
	analyzed("1.5 < ev.g.id", "event", NULL);
	analyzed("ev.g.id % 2 == 0", "event", NULL);
	analyzed("2^41 < ev.g.id", "event", NULL);
	/* the whole scheduler */
	analyzed("#g > 3", "stop", NULL);
	analyzed("#p[0].runq + #p[1].runq > 10", "stop", NULL);
	analyzed("ev.g.m.id == 1", "stop", NULL);
	analyzed("tostring(ev.g) ~= ''", "stop", NULL);
	analyzed("function(ev) return ev.g ~= nil end", "stop", NULL);
	analyzed("my_check", "stop", NULL);
}

/* COND's guard: the program and the text of its leading terms that the
 * runtime tests first (NULL: none). */
static void guarded(const char *cond, const char *program, const char *text)
{
	cr_assert_eq(break_analyze(&s, cond), 0, "%s: %s", cond, error_msg());
	lua_getfield(s.L, -1, "guardprogram");
	lua_getfield(s.L, -2, "guard");
	const char *g = lua_tostring(s.L, -2), *t = lua_tostring(s.L, -1);
	cr_assert_str_eq(g ? g : "(none)", program ? program : "(none)", "guard of %s", cond);
	cr_assert_str_eq(t ? t : "(none)", text ? text : "(none)", "guard text of %s", cond);
	lua_pop(s.L, 3);
}

Test(breaks, a_lua_condition_has_its_leading_compiled_terms_as_guard)
{
	guarded("ev.g.waitreason == 'select' and ev.g.startfn:match('^main')",
		"ld:ev.g.waitreason s:73656c656374 eq", "ev.g.waitreason == 'select'");
	/* through parentheses, a term keeping its own */
	guarded("(ev.g.id > 1 and (ev.kind == 'park' or ev.g.id < 0)) and #g > 3 and ev.g.id < 9",
		"ld:ev.g.id k:1 gt jf:7 ld:ev.kind s:7061726b eq jt:3 ld:ev.g.id k:0 lt",
		"ev.g.id > 1 and (ev.kind == 'park' or ev.g.id < 0)");
	/* only a prefix: Lua evaluates the first term first, and may raise an error there */
	guarded("ev.g.startfn:match('^main') and ev.g.waitreason == 'select'", NULL, NULL);
	guarded("ev.g.waitreason == 'select' or #g > 3", NULL, NULL);
	guarded("#g > 3", NULL, NULL);
	/* a condition that compiles needs none */
	guarded("ev.g.waitreason == 'select' and ev.g.id > 1", NULL, NULL);
}

Test(breaks, runtime_limits_send_to_lua)
{
	strbuf c = {0};
	for (int i = 0; i < 40; i++)
		sb_printf(&c, "%sev.g.id == %d", i ? " or " : "", i);
	analyzed(c.s, "event", NULL); /* more than 96 instructions */
	sb_free(&c);
	strbuf big = {0};
	sb_puts(&big, "ev.g.startfn == '");
	for (int i = 0; i < 1100; i++)
		sb_puts(&big, "x");
	sb_puts(&big, "'");
	analyzed(big.s, "event", NULL); /* more than the constant pool */
	sb_free(&big);
}

Test(breaks, syntax_errors)
{
	cr_assert_eq(break_analyze(&s, "a b"), -1);
	cr_assert(strstr(error_msg(), "bad condition: ") == error_msg(), "%s", error_msg());
	cr_assert_eq(break_analyze(&s, "x =="), -1);
	cr_assert_eq(break_analyze(&s, "   "), -1);
	cr_assert_str_eq(error_msg(), "bad condition: empty condition");
	cr_assert_eq(break_analyze(&s, "1) end; os.exit(3) --"), -1);
}

/* ---------------------------------------------------------------- kinds */

Test(breaks, kinds)
{
	unsigned k;
	cr_assert_eq(break_kinds("park", &k), 0);
	cr_assert_eq(k, 1u << 3);
	cr_assert_eq(break_kinds("park ready,start", &k), 0);
	cr_assert_eq(k, (1u << 2) | (1u << 3) | (1u << 4));
	cr_assert_eq(break_kinds("create gcstart", &k), 0);
	cr_assert_eq(k, (1u << 1) | (1u << 13));
	cr_assert_eq(break_kinds("any", &k), 0);
	cr_assert_eq(k, 0u);
	cr_assert_eq(break_kinds("park parkk", &k), -1);
	cr_assert(strstr(error_msg(), "unknown event kind \"parkk\" (kinds: any, create,"),
		  "%s", error_msg());
	strbuf t = {0};
	break_kinds_text((1u << 3) | (1u << 4), &t);
	cr_assert_str_eq(t.s, "park ready");
	sb_free(&t);
}

/* ------------------------------------------------------------- commands */

/* Running LINE fails with a message starting with WANT. */
static void fails(const char *line, const char *want)
{
	cr_assert_eq(cmd_execute(&s, line), -1, "\"%s\" did not fail", line);
	cr_assert(strncmp(error_msg(), want, strlen(want)) == 0, "\"%s\": %s", line, error_msg());
}

static void runs(const char *line)
{
	cr_assert_eq(cmd_execute(&s, line), CMD_OK, "\"%s\": %s", line, error_msg());
}

/* Evaluate the Lua expression EXPR; its value as a string. */
static const char *lua_value(const char *expr)
{
	static char buf[512];
	char *code = xasprintf("return tostring(%s)", expr);
	cr_assert_eq(luaL_dostring(s.L, code), LUA_OK, "%s: %s", expr, lua_tostring(s.L, -1));
	snprintf(buf, sizeof buf, "%s", lua_tostring(s.L, -1));
	lua_pop(s.L, 1);
	free(code);
	return buf;
}

/* The breakpoints, as "id:on:tier:enabled" words. */
static const char *listing(void)
{
	return lua_value("(function() local t = {} for _, b in ipairs(gs.breaks()) do "
			 "t[#t + 1] = b.id .. ':' .. b.on .. ':' .. b.tier .. ':' .. "
			 "tostring(b.enabled) end return table.concat(t, ' ') end)()");
}

Test(breaks, break_delete_disable_enable)
{
	runs("break if #p[1].runq > 100");
	runs("break on park if ev.g.waitreason == \"chan receive\"");
	runs("b -lua on start ready if ev.g.id == 1");
	runs("break -full on create");
	cr_assert_str_eq(listing(), "1:any:runtime:true 2:park:runtime:true "
		"3:start ready:lua/event:true 4:create:lua/stop:true");
	runs("disable 2 3");
	cr_assert_str_eq(listing(), "1:any:runtime:true 2:park:runtime:false "
		"3:start ready:lua/event:false 4:create:lua/stop:true");
	runs("enable");
	runs("delete 1");
	runs("d 3");
	cr_assert_str_eq(listing(), "2:park:runtime:true 4:create:lua/stop:true");
	runs("delete");
	cr_assert_str_eq(listing(), "");
	runs("break on exit");
	cr_assert_str_eq(listing(), "5:exit:runtime:true"); /* numbers are not reused */
	runs("info breakpoints");
}

Test(breaks, bad_input_is_refused_and_loses_nothing)
{
	runs("break on park if ev.g.id > 3");
	const char *before = "1:park:runtime:true";
	fails("break on parkk", "unknown event kind \"parkk\"");
	fails("break on", "break: \"on\" needs one or more event kinds");
	fails("break on park if", "break: the condition after \"if\" is empty");
	fails("break if ev.g.id ==", "bad condition: ");
	fails("break if ev.g.id = 1", "bad condition: ");
	fails("break -fast", "break: unknown option \"-fast\"");
	fails("break park", "break: unexpected \"park\"");
	fails("delete 9", "delete: no breakpoint 9");
	fails("delete 1 9", "delete: no breakpoint 9"); /* nothing deleted */
	fails("delete x", "delete: \"x\" is not a breakpoint number");
	fails("disable 0", "disable: \"0\" is not a breakpoint number");
	fails("enable 7", "enable: no breakpoint 7");
	fails("ignore 1", "usage: ignore N COUNT");
	fails("ignore 9 1", "ignore: no breakpoint 9");
	fails("ignore 1 -2", "ignore: the count must be a number >= 0");
	fails("ignore 1 2 3", "usage: ignore N COUNT");
	fails("commands 4", "commands: no breakpoint 4");
	cr_assert_str_eq(listing(), before);
	cr_assert_str_eq(lua_value("gs.breaks(1).ignore"), "0");
}

Test(breaks, no_breakpoint_for_commands)
{
	fails("commands", "commands: there is no breakpoint yet");
}

Test(breaks, at_most_32_enabled)
{
	for (int i = 0; i < 32; i++)
		runs("break on park");
	fails("break on ready", "32 breakpoints are enabled");
	runs("disable 1");
	runs("break on ready");
	fails("enable 1", "enable: 32 breakpoints are enabled");
	cr_assert_str_eq(lua_value("#gs.breaks()"), "33");
}

Test(breaks, ignore_and_commands)
{
	runs("break on park");
	runs("ignore 1 5");
	cr_assert_str_eq(lua_value("gs.breaks(1).ignore"), "5");
	/* lines up to "end" are the commands; they do not run now */
	runs("commands");
	runs("silent");
	runs("print 'at park'");
	runs("continue");
	runs("end");
	runs("info breakpoints");
	runs("break on ready");
	cr_assert_eq(luaL_dostring(s.L, "gs.cmd('commands 2\\nsilent\\nn = 1\\nend')"), LUA_OK,
		     "%s", lua_tostring(s.L, -1));
	cr_assert_str_eq(lua_value("n"), "nil");
	runs("commands 1"); /* an empty list removes them */
	runs("end");
}

Test(breaks, gs_functions)
{
	cr_assert_str_eq(lua_value("gs.breakpoint{on = {'park', 'ready'}, cond = 'ev.g.id == 1'}"),
			 "1");
	cr_assert_str_eq(lua_value("gs.breaks(1).on"), "park ready");
	cr_assert_str_eq(lua_value("gs.breakpoint('sched.npidle > 0')"), "2");
	cr_assert_str_eq(lua_value("gs.breakpoint{cond = function(ev) return true end}"), "3");
	cr_assert_str_eq(lua_value("gs.breaks(3).tier"), "lua/stop");
	cr_assert_str_eq(lua_value("gs.breakpoint{on = 'park', cond = 'ev.g.id > 1', tier = "
				   "'lua', ignore = 2}"), "4");
	cr_assert_str_eq(lua_value("gs.breaks(4).tier .. gs.breaks(4).ignore"), "lua/event2");
	cr_assert_str_eq(lua_value("gs.expect_never('sched.ngoroutines > 10000')"), "5");
	cr_assert_str_eq(lua_value("gs.analyze('#p[1].runq > 100').program"),
			 "k:1 ldp:#p.runq k:100 gt");
	cr_assert_eq(luaL_dostring(s.L, "gs.delete(2)"), LUA_OK);
	cr_assert_str_eq(lua_value("gs.breaks(2)"), "nil");
	cr_assert_str_eq(lua_value("#gs.breaks()"), "4");
	static const char *const bad[] = {
		"gs.breakpoint{on = 'parkk'}", "gs.breakpoint('x ==')", "gs.delete(42)",
		"gs.breakpoint{tier = 'fast'}", "gs.eval('ev.g.id > 1')",
		"gs.breakpoint{commands = 3}", "gs.expect_never{}", NULL,
	};
	for (int i = 0; bad[i]; i++)
		cr_assert_neq(luaL_dostring(s.L, bad[i]), LUA_OK, "%s did not fail", bad[i]);
	lua_settop(s.L, 0);
	cr_assert_str_eq(lua_value("#gs.breaks()"), "4");
}

Test(breaks, assert_fails_with_the_callers_line)
{
	const char *code = "\n\ngs.assert(1 == 2, 'one is not two')";
	cr_assert_eq(luaL_loadbuffer(s.L, code, strlen(code), "=check.lua"), LUA_OK);
	cr_assert_neq(lua_pcall(s.L, 0, 0, 0), LUA_OK);
	cr_assert_str_eq(lua_tostring(s.L, -1), "check.lua:3: one is not two");
	lua_pop(s.L, 1);
	cr_assert_eq(luaL_dostring(s.L, "gs.assert(true) gs.assert(function() return 1 end)"),
		     LUA_OK);
}
