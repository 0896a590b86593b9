/*
 * test_complete.c -- tab completion without a terminal: complete_line() on
 * a session whose Lua state holds a stop (no program is launched). Command
 * names, event kinds after step and "on", help and info arguments, the
 * goroutines options and filter names, Lua globals, the fields of live
 * values (p[0].r -> runnext, runq), ids in brackets, methods, file names;
 * and that completing never runs Lua code.
 */
#include <criterion/criterion.h>
#include <cJSON.h>
#include <lauxlib.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "complete.h"
#include "util.h"

/* G1 main, G2 running on P0/M0, G7 in P1's runnext, G5 in P0's runq. */
static const char stop[] =
	"{'type':'stop','reason':'step','seq':5,"
	" 'event':{'kind':'park','g':2,'p':0,'m':0,'waitreason':'chan receive'},"
	" 'sched':{'runq':[],'gomaxprocs':2,'midle':[1],'npidle':0},"
	" 'p':[{'id':0,'status':'running','m':0,'runq':[5],'runnext':null,'schedtick':3},"
	"      {'id':1,'status':'idle','m':null,'runq':[],'runnext':7,'schedtick':1}],"
	" 'm':[{'id':0,'procid':9,'p':0,'curg':2,'spinning':false},"
	"      {'id':1,'procid':10,'p':null,'curg':null,'spinning':false}],"
	" 'g':[{'id':1,'status':'waiting','waitreason':'chan receive','startfn':'runtime.main'},"
	"      {'id':2,'status':'running','m':0,'p':0,'startfn':'main.w'},"
	"      {'id':5,'status':'runnable','startfn':'main.w'},"
	"      {'id':7,'status':'runnable','startfn':'main.w'},"
	"      {'id':12,'status':'waiting','waitreason':'sleep','startfn':'main.s'}]}";

static session s;

static void setup(void)
{
	cr_assert_eq(session_init(&s, "examples/pingpong", NULL, 0), 0, "%s", error_msg());
	char *json = xstrdup(stop);
	for (char *c = json; *c; c++)
		if (*c == '\'')
			*c = '"';
	cJSON *root = cJSON_Parse(json);
	free(json);
	cr_assert(root);
	snapshot_info info;
	cr_assert_eq(snapshot_load(s.L, root, &info), 0, "%s", error_msg());
	cJSON_Delete(root);
}

static void teardown(void)
{
	session_free(&s);
}

TestSuite(complete, .init = setup, .fini = teardown);

/* The word to complete is LINE after its last break character. */
static int word_start(const char *line, int in_chunk)
{
	const char *breaks = complete_breaks(line, (int)strlen(line), in_chunk);
	int start = (int)strlen(line);
	while (start > 0 && !strchr(breaks, line[start - 1]))
		start--;
	return start;
}

/* Complete the end of LINE; the candidates joined by spaces. */
static char *candidates(const char *line, int in_chunk, struct completion *c)
{
	complete_line(s.L, line, word_start(line, in_chunk), (int)strlen(line), in_chunk, c);
	strbuf b = {0};
	for (size_t i = 0; i < c->n; i++)
		sb_printf(&b, "%s%s", i ? " " : "", c->v[i]);
	return b.s ? b.s : xstrdup("");
}

/* Completing the end of LINE gives exactly WANT (space-separated, sorted). */
static void gives(const char *line, const char *want)
{
	struct completion c;
	char *got = candidates(line, 0, &c);
	cr_assert_str_eq(got, want, "completing \"%s\": got \"%s\", want \"%s\"", line, got, want);
	free(got);
	complete_free(&c);
}

/* The candidates for LINE include each word of WANT. */
static void includes(const char *line, const char *want)
{
	struct completion c;
	char *got = candidates(line, 0, &c);
	char *words = xstrdup(want);
	for (char *w = strtok(words, " "); w; w = strtok(NULL, " ")) {
		int found = 0;
		for (size_t i = 0; i < c.n; i++)
			found |= strcmp(c.v[i], w) == 0;
		cr_assert(found, "completing \"%s\": no %s in \"%s\"", line, w, got);
	}
	free(words);
	free(got);
	complete_free(&c);
}

Test(complete, command_names_first)
{
	gives("pri", "print");
	gives("cont", "continue");
	includes("st", "start step string");
	includes("", "start step continue print goroutines help quit g p sched ev");
	includes("go", "goroutines goto");
	includes("  he", "help");
}

Test(complete, a_lone_command_gets_a_space)
{
	struct completion c;
	char *got = candidates("contin", 0, &c);
	cr_assert_str_eq(got, "continue");
	cr_assert_eq(c.append, ' ');
	free(got);
	complete_free(&c);
	got = candidates("p[0].runn", 0, &c);
	cr_assert_str_eq(got, "runnext");
	cr_assert_eq(c.append, '\0', "a Lua name is not followed by a space");
	free(got);
	complete_free(&c);
}

Test(complete, fields_of_live_values)
{
	gives("p[0].r", "runnext runq");    /* runnext is nil at P0: still a P field */
	gives("print p[1].ru", "runnext runq");
	gives("print g[1].star", "startfn");
	gives("p[1].runnext.st", "stack startfn status"); /* stack: a method */
	includes("g[12].", "id status waitreason startfn p m stack");
	gives("g[12].wait", "waitreason waitsince");
	gives("sched.mi", "midle");
	gives("ev.k", "kind");
	gives("x = m[0].cu", "curg");
	gives("p[0].m.curg.m.pro", "procid");
	gives("#p[0].ru", "runnext runq");
	gives("string.up", "upper");
	gives("gs.st", "start step");
	gives("p[0].nosuch.x", "");
	gives("g[99].", "");
}

Test(complete, methods_and_strings)
{
	gives("g[1]:st", "stack");
	cr_assert_eq(cmd_execute(&s, "str = 'abc'"), CMD_OK);
	gives("str:up", "upper");
	gives("print \"p[0].r", ""); /* inside a string literal */
}

Test(complete, keys_in_brackets)
{
	gives("g[", "1 2 5 7 12");
	gives("print g[1", "1 12");
	gives("p[", "0 1");
	struct completion c;
	char *got = candidates("g[12", 0, &c);
	cr_assert_str_eq(got, "12");
	cr_assert_eq(c.append, ']');
	free(got);
	complete_free(&c);
}

Test(complete, never_runs_code)
{
	cr_assert_eq(cmd_execute(&s, "called = 0"), CMD_OK);
	cr_assert_eq(cmd_execute(&s, "t = setmetatable({a = 1}, {__index = function() "
				     "called = called + 1 return {} end})"),
		     CMD_OK);
	gives("t.", "a");
	gives("t.zz.", "");
	gives("f().", "");
	gives("t[x].", "");
	gives("a..b", "");
	cr_assert_eq(cmd_execute(&s, "assert(called == 0)"), CMD_OK, "%s", error_msg());
}

Test(complete, globals_in_lua_lines)
{
	gives("x = sch", "sched");
	includes("for i = 0, #p - 1 do pr", "print");
	includes("if ev.g == nil th", "then");
	gives("1.5", "");
}

Test(complete, event_kinds)
{
	gives("step pa", "park");
	gives("step 3 s", "start steal syscall sysret");
	gives("s g", "gcstart gcstop");
	includes("step ", "create start park ready exit preempt yield syscall sysret steal "
			  "handoff gcstop gcstart deadlock end");
	gives("kill on pre", "preempt"); /* after "on", for any command: break on KIND */
	gives("kill on park st", "start steal"); /* kinds until "if" */
	gives("kill on park if ev.ki", "kind");
	gives("break on sys", "syscall sysret");
	gives("break on park steal if p[0].ru", "runnext runq");
}

Test(complete, command_arguments)
{
	gives("help st", "start step");
	gives("help gor", "goroutines");
	gives("help step pa", "");
	gives("info s", "sched");
	gives("info ", "breakpoints g m p sched target");
	gives("info g ", "1 2 5 7 12");
	gives("info p ", "0 1");
	gives("kill x", "");
}

Test(complete, goroutines_options_and_filter)
{
	gives("goroutines -g", "-group");
	gives("gs -", "-group -n");
	gives("gs -group ", "createdby startfn status waitreason");
	gives("gs -group st", "startfn status");
	gives("gs -n ", "");
	includes("gs sta", "status startfn");
	includes("gs -group status wait", "waitreason waitsince");
	gives("gs status == \"waiting\" and G.wa", "waitreason waitsince");
	gives("gs GG", "");
	includes("gs G", "G");
}

Test(complete, chunks_and_files)
{
	struct completion c;
	char *got = candidates("  ev.k", 1, &c); /* a line of a pending chunk */
	cr_assert_str_eq(got, "kind");
	free(got);
	complete_free(&c);
	got = candidates("print", 1, &c); /* in a chunk, print is Lua's */
	cr_assert_str_eq(got, "print");
	free(got);
	complete_free(&c);
	complete_line(s.L, "source tests/e2", 7, 15, 0, &c);
	cr_assert(c.files, "source completes file names");
	complete_free(&c);
	cr_assert_str_eq(complete_breaks("source tests/e2e/x.", 19, 0), " \t\n");
	cr_assert(strchr(complete_breaks("print p[0].", 11, 0), '.'));
	cr_assert(strchr(complete_breaks("source", 6, 0), '.'), "still the command word");
}

Test(complete, breakpoint_numbers)
{
	gives("delete ", "");
	cr_assert_eq(cmd_execute(&s, "break on park"), CMD_OK, "%s", error_msg());
	cr_assert_eq(cmd_execute(&s, "break on exit"), CMD_OK, "%s", error_msg());
	for (int i = 3; i <= 12; i++)
		cr_assert_eq(cmd_execute(&s, "break on start"), CMD_OK, "%s", error_msg());
	gives("delete ", "1 2 3 4 5 6 7 8 9 10 11 12");
	gives("delete 1", "1 10 11 12");
	gives("enable 2 ", "1 2 3 4 5 6 7 8 9 10 11 12");
	gives("ignore 1 ", "");
	gives("commands 1", "1 10 11 12");
	gives("condition 1", "1 10 11 12");
	includes("condition 1 ev.", "g kind");
}
