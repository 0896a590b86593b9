/*
 * test_cmd.c -- command lines: names, aliases, unique prefixes, ambiguity,
 * the Lua fallback, the errors of commands that need a program, and command
 * files (FILE:LINE: errors, multi-line Lua chunks). No program is launched.
 */
#include <criterion/criterion.h>
#include <criterion/redirect.h>
#include <cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cmd.h"
#include "repl.h"
#include "util.h"

/* --------------------------------------------------------------- lookup */

/* WORD names the command WANT (NULL: no command). */
static void names(const char *word, const char *want)
{
	const struct cmd_entry *ce = NULL;
	int r = cmd_lookup(word, strlen(word), &ce);
	if (!want) {
		cr_assert_eq(r, 0, "\"%s\" should not be a command", word);
		return;
	}
	cr_assert_eq(r, 1, "\"%s\": %s", word, r < 0 ? error_msg() : "no command");
	cr_assert_str_eq(ce->name, want, "\"%s\"", word);
}

Test(lookup, names_aliases_prefixes)
{
	names("start", "start");
	names("step", "step");
	names("s", "step"); /* the alias wins over the ambiguous prefix */
	names("c", "continue");
	names("cont", "continue");
	names("p", "print");
	names("q", "quit");
	names("sta", "start");
	names("ste", "step");
	names("r", "run");
	names("i", "info");
	names("k", "kill");
	names("h", "help");
	names("gs", "goroutines");
	names("go", "goroutines");
	names("g", NULL); /* a lone g is Lua's g, not an abbreviation */
	names("t", NULL); /* nor is a lone t tbreak */
	names("tb", "tbreak");
	names("cond", "condition");
	names("so", "source");
	names("stop", NULL);
	names("x", NULL);
	names("steps", NULL);
}

Test(lookup, ambiguous_prefix)
{
	const struct cmd_entry *ce;
	cr_assert_eq(cmd_lookup("st", 2, &ce), -1);
	cr_assert_str_eq(error_msg(), "ambiguous command \"st\": could be start, step");
}

/* -------------------------------------------------------------- parsing */

static int kind(const char *line, const char **name, const char **args)
{
	const struct cmd_entry *ce = NULL;
	int r = cmd_parse(line, &ce, args);
	*name = r == CMD_LINE_CMD ? ce->name : NULL;
	return r;
}

Test(parse, commands_lua_and_comments)
{
	const char *name, *args;
	cr_assert_eq(kind("print p[0].runq", &name, &args), CMD_LINE_CMD);
	cr_assert_str_eq(name, "print");
	cr_assert_str_eq(args, "p[0].runq");
	cr_assert_eq(kind("  step   park 3", &name, &args), CMD_LINE_CMD);
	cr_assert_str_eq(name, "step");
	cr_assert_str_eq(args, "park 3");
	cr_assert_eq(kind("cont", &name, &args), CMD_LINE_CMD);
	cr_assert_str_eq(name, "continue");

	cr_assert_eq(kind("p[0].m.curg", &name, &args), CMD_LINE_LUA);
	cr_assert_eq(kind("#sched.runq", &name, &args), CMD_LINE_LUA);
	cr_assert_eq(kind("print(g[1])", &name, &args), CMD_LINE_LUA);
	cr_assert_eq(kind("s = 1", &name, &args), CMD_LINE_LUA);
	cr_assert_eq(kind("g", &name, &args), CMD_LINE_LUA);
	cr_assert_eq(kind("sched.runq", &name, &args), CMD_LINE_LUA);
	cr_assert_eq(kind("for i = 0, #p - 1 do", &name, &args), CMD_LINE_LUA);
	cr_assert_eq(kind("x.y = 3", &name, &args), CMD_LINE_LUA);

	cr_assert_eq(kind("", &name, &args), CMD_LINE_EMPTY);
	cr_assert_eq(kind("   \t", &name, &args), CMD_LINE_EMPTY);
	cr_assert_eq(kind("# a comment", &name, &args), CMD_LINE_EMPTY);
	cr_assert_eq(kind("#", &name, &args), CMD_LINE_EMPTY);

	cr_assert_eq(kind("st 3", &name, &args), -1);
	cr_assert_str_eq(error_msg(), "ambiguous command \"st\": could be start, step");
}

/* ------------------------------------------------------------ execution */

static session s;

static void setup(void)
{
	cr_assert_eq(session_init(&s, "examples/pingpong", NULL, 0), 0, "%s", error_msg());
}

static void teardown(void)
{
	session_free(&s);
}

static void setup_redirect(void)
{
	cr_redirect_stdout();
	cr_redirect_stderr();
	setup();
}

/* Running LINE fails with exactly WANT. */
static void fails(const char *line, const char *want)
{
	cr_assert_eq(cmd_execute(&s, line), -1, "\"%s\" did not fail", line);
	cr_assert_str_eq(error_msg(), want, "\"%s\"", line);
}

TestSuite(exec, .init = setup, .fini = teardown);

Test(exec, program_commands_need_a_program)
{
	fails("step", "the program is not running (use start or run)");
	fails("s 5", "the program is not running (use start or run)");
	fails("step park", "the program is not running (use start or run)");
	fails("continue", "the program is not running (use start or run)");
	fails("c", "the program is not running (use start or run)");
	fails("kill", "the program is not running");
}

Test(exec, bad_arguments)
{
	fails("step 0", "step: the count must be positive, not 0");
	fails("step -1", "step: the count must be positive, not -1");
	fails("step 99999999999999999999", "step: the count 99999999999999999999 is too large");
	fails("step sleep", "step: unexpected \"sleep\" (usage: step [KIND] [N], KIND one of "
			    "any, create, start, park, ready, exit, preempt, yield, syscall, "
			    "sysret, steal, handoff, gcstop, gcstart, deadlock, end)");
	fails("step park 3 4", "step: unexpected \"4\" (usage: step [KIND] [N], KIND one of "
			       "any, create, start, park, ready, exit, preempt, yield, syscall, "
			       "sysret, steal, handoff, gcstop, gcstart, deadlock, end)");
	fails("step 3 gcstart", "the program is not running (use start or run)"); /* either order */
	fails("step any 2", "the program is not running (use start or run)");
	fails("continue now", "continue takes no arguments");
	fails("start x", "start takes no arguments");
	fails("quit please", "quit takes no arguments");
	fails("print", "usage: print EXPR");
	fails("help nosuch", "no command \"nosuch\" (\"help\" lists them)");
	fails("help st", "ambiguous command \"st\": could be start, step");
	fails("info bogus", "no info subcommand \"bogus\" (\"info\" lists them)");
	fails("info target now", "info target takes no arguments");
	fails("st", "ambiguous command \"st\": could be start, step");
}

Test(exec, quit)
{
	cr_assert_eq(cmd_execute(&s, "quit"), CMD_QUIT);
	cr_assert_eq(cmd_execute(&s, "q"), CMD_QUIT);
}

Test(exec, lua_errors)
{
	fails("nil + 1", "lua:1: attempt to perform arithmetic on a nil value");
	fails("p[0].runq", "lua:1: attempt to index a nil value (global 'p') (the model exists "
			   "at a stop; the program is not running: use start or run)");
	fails("q2.x", "lua:1: attempt to index a nil value (global 'q2')"); /* not the model's */
	fails("x = = 1", "lua:1: unexpected symbol near '='");
	cr_assert_eq(cmd_execute(&s, "function f() error('boom') end"), CMD_OK);
	cr_assert_eq(cmd_execute(&s, "f()"), -1);
	cr_assert(strstr(error_msg(), "lua:1: boom\nstack traceback:"), "%s", error_msg());
	cr_assert_eq(cmd_execute(&s, "for i = 1, 3 do"), CMD_MORE);
	/* an expression that wants more is no statement: more lines, not an error */
	cr_assert_eq(cmd_execute(&s, "{a = 1,"), CMD_MORE);
	cr_assert_eq(cmd_execute(&s, "{"), CMD_MORE);
}

Test(exec, lua_lines_print_values, .init = setup_redirect, .fini = teardown)
{
	cr_assert_eq(cmd_execute(&s, "x = 41"), CMD_OK);
	cr_assert_eq(cmd_execute(&s, "x + 1"), CMD_OK);
	cr_assert_eq(cmd_execute(&s, "print(x, 'plain')"), CMD_OK);
	cr_assert_eq(cmd_execute(&s, "print {a = 1, b = 'x'}"), CMD_OK);
	cr_assert_eq(cmd_execute(&s, "p 'str', nil"), CMD_OK);
	fflush(stdout);
	cr_assert_stdout_eq_str("42\n41\tplain\n{a = 1, b = \"x\"}\n\"str\"\tnil\n");
}

Test(exec, help_lists_commands, .init = setup_redirect, .fini = teardown)
{
	cr_assert_eq(cmd_execute(&s, "help"), CMD_OK);
	cr_assert_eq(cmd_execute(&s, "help s"), CMD_OK);
	fflush(stdout);
	FILE *f = cr_get_redirected_stdout();
	char buf[8192];
	size_t n = fread(buf, 1, sizeof buf - 1, f);
	buf[n] = '\0';
	for (const struct cmd_entry *const *e = cmd_table; *e; e++)
		cr_assert(strstr(buf, (*e)->name), "help does not list %s", (*e)->name);
	cr_assert(strstr(buf, "continue, c"), "%s", buf);
	cr_assert(strstr(buf, "step [KIND] [N]  (alias: s)"), "%s", buf);
}

Test(exec, print_with_a_stop, .init = setup_redirect, .fini = teardown)
{
	const char *stop =
		"{\"type\":\"stop\",\"seq\":5,\"event\":{\"kind\":\"start\",\"g\":7,\"p\":0,"
		"\"m\":0},\"sched\":{\"runq\":[]},\"p\":[{\"id\":0,\"status\":\"running\","
		"\"m\":0,\"runq\":[8],\"runnext\":null,\"schedtick\":3}],\"m\":[{\"id\":0,"
		"\"procid\":9,\"p\":0,\"curg\":7,\"spinning\":false}],\"g\":[{\"id\":7,"
		"\"status\":\"running\",\"m\":0,\"p\":0,\"startfn\":\"main.main\"},{\"id\":8,"
		"\"status\":\"runnable\",\"startfn\":\"main.w\",\"createdby\":\"main.main\","
		"\"createdat\":\"m.go:3\"}]}";
	cJSON *root = cJSON_Parse(stop);
	snapshot_info info;
	cr_assert_eq(snapshot_load(s.L, root, &info), 0, "%s", error_msg());
	cJSON_Delete(root);
	cr_assert_eq(cmd_execute(&s, "print p[0].runq"), CMD_OK);
	cr_assert_eq(cmd_execute(&s, "p[0].m.curg"), CMD_OK);
	cr_assert_eq(cmd_execute(&s, "#sched.runq"), CMD_OK);
	cr_assert_eq(cmd_execute(&s, "p[0]"), CMD_OK);
	cr_assert_eq(cmd_execute(&s, "m"), CMD_OK);
	fflush(stdout);
	cr_assert_stdout_eq_str("G8 runnable main.w created by main.main at m.go:3\n"
				"G7 running main.main\n"
				"0\n"
				"P0 running M0 curg=G7 runq=1 schedtick=3\n"
				"M0 procid=9 P0 curg=G7 spinning=false\n");
}

/* -------------------------------------------------------- command files */

/* Write TEXT to a temporary file; returns its path (malloc'd). */
static char *script(const char *text)
{
	char *path = xstrdup("/tmp/test_cmd.XXXXXX");
	int fd = mkstemp(path);
	cr_assert_geq(fd, 0);
	cr_assert_eq(write(fd, text, strlen(text)), (ssize_t)strlen(text));
	close(fd);
	return path;
}

/* Read all of the redirected stream F. */
static char *slurp(FILE *f)
{
	strbuf b = {0};
	char buf[4096];
	size_t n;
	while ((n = fread(buf, 1, sizeof buf, f)) > 0)
		sb_add(&b, buf, n);
	return b.s ? b.s : xstrdup("");
}

Test(files, errors_name_file_and_line, .init = setup_redirect, .fini = teardown)
{
	char *path = script("-- a command file\n"
			    "x = 1\n"
			    "\n"
			    "# a comment line\n"
			    "step\n"
			    "for i = 1, 3 do\n"
			    "  x = x * 2\n"
			    "end\n"
			    "nosuch()\n"
			    "x\n");
	cr_assert_eq(repl_source(&s, path), -1);
	cr_assert(s.failed);
	fflush(stdout);
	fflush(stderr);
	char *out = slurp(cr_get_redirected_stdout());
	char *err = slurp(cr_get_redirected_stderr());
	char *want = xasprintf("%s:5: the program is not running (use start or run)\n"
			       "%s:9: attempt to call a nil value (global 'nosuch')\n",
			       path, path);
	cr_assert_str_eq(err, want);
	cr_assert_str_eq(out, "8\n"); /* the file went on after each error */
	unlink(path);
	free(path);
	free(out);
	free(err);
	free(want);
}

Test(files, unfinished_chunk_and_quit, .init = setup_redirect, .fini = teardown)
{
	char *path = script("y = 2\nif y then\n  y = 3\n");
	cr_assert_eq(repl_source(&s, path), -1);
	char *quit = script("y = 5\nquit\ny = 6\n");
	cr_assert_eq(repl_source(&s, quit), CMD_QUIT);
	const char *y[] = {"y"}, *loop[] = {"while true do"};
	cr_assert_eq(repl_commands(&s, y, 1), CMD_OK);
	cr_assert_eq(repl_commands(&s, loop, 1), -1);
	cr_assert_eq(repl_source(&s, "/nonexistent/file"), -1);
	fflush(stdout);
	fflush(stderr);
	char *err = slurp(cr_get_redirected_stderr());
	char *want = xasprintf("%s:2: unfinished Lua chunk at the end of the input\n"
			       "error: unfinished Lua chunk at the end of the input\n"
			       "error: /nonexistent/file: No such file or directory\n",
			       path);
	cr_assert_str_eq(err, want);
	cr_assert_stdout_eq_str("5\n");
	unlink(path);
	unlink(quit);
	free(path);
	free(quit);
	free(err);
	free(want);
}
