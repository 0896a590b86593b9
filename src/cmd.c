/*
 * cmd.c -- the command table, the parsing of a line (command, abbreviation
 * or Lua), dispatch, and the commands that do not drive the program: print
 * and quit. The program's commands are in cmd-run.c, info in cmd-info.c,
 * help in cmd-help.c.
 */
#include "cmd.h"
#include "batch.h"
#include "cmd-break.h"
#include "breakpoint.h"
#include "gslib.h"
#include "util.h"

#include <lauxlib.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const struct cmd_entry *const cmd_table[] = {
	&cmd_start_entry, &cmd_run_entry,  &cmd_continue_entry, &cmd_step_entry,
	&cmd_print_entry, &cmd_info_entry, &cmd_kill_entry,     &cmd_help_entry,
	&cmd_history_entry, &cmd_bt_entry, &cmd_goroutines_entry, &cmd_source_entry,
	&cmd_break_entry, &cmd_tbreak_entry, &cmd_delete_entry, &cmd_disable_entry,
	&cmd_enable_entry, &cmd_ignore_entry, &cmd_condition_entry, &cmd_commands_entry,
	&cmd_quit_entry,  NULL,
};

/* ---------------------------------------------------------------- session */

#define SESSION_KEY "gosched.session" /* registry: the session, as light userdata */

int session_init(session *s, const char *prog, char **args, int nargs)
{
	memset(s, 0, sizeof *s);
	s->L = luaenv_new();
	if (!s->L)
		return -1;
	target_init(&s->t, prog, args, nargs);
	lua_pushlightuserdata(s->L, s);
	lua_setfield(s->L, LUA_REGISTRYINDEX, SESSION_KEY);
	gslib_open(s->L, s);
	history_open(s->L);
	stack_open(s->L);
	return 0;
}

session *session_of(lua_State *L)
{
	lua_getfield(L, LUA_REGISTRYINDEX, SESSION_KEY); /* +1 */
	session *s = lua_touserdata(L, -1);
	lua_pop(L, 1);
	if (!s)
		luaL_error(L, "no debugger session");
	return s;
}

void session_free(session *s)
{
	target_cleanup(&s->t);
	break_free(s);
	luaenv_close(s->L);
	s->L = NULL;
}

/* ---------------------------------------------------------------- parsing */

/*
 * Find the command WORD (LEN bytes) names: its name, its alias, or a prefix
 * of exactly one name. Returns 1 (*ce set), 0 if WORD is no command, or -1
 * with error_set() when the prefix is ambiguous.
 */
int cmd_lookup(const char *word, size_t len, const struct cmd_entry **ce)
{
	const struct cmd_entry *const *e;
	for (e = cmd_table; *e; e++) {
		const char *alias = (*e)->alias;
		if ((strlen((*e)->name) == len && strncmp((*e)->name, word, len) == 0) ||
		    (alias && strlen(alias) == len && strncmp(alias, word, len) == 0)) {
			*ce = *e;
			return 1;
		}
	}
	const struct cmd_entry *found = NULL;
	strbuf names = {0};
	int n = 0;
	for (e = cmd_table; *e; e++) {
		if (strncmp((*e)->name, word, len) != 0 || (len < 2 && ((*e)->flags & CMD_PREFIX2)))
			continue;
		sb_printf(&names, "%s%s", n++ ? ", " : "", (*e)->name);
		found = *e;
	}
	if (n > 1)
		error_set("ambiguous command \"%.*s\": could be %s", (int)len, word, names.s);
	sb_free(&names);
	if (n != 1)
		return n > 1 ? -1 : 0;
	*ce = found;
	return 1;
}

/* A comment line: '#' alone or followed by a blank ("#x" is Lua's length). */
static int is_comment(const char *p)
{
	return p[0] == '#' && (p[1] == '\0' || p[1] == ' ' || p[1] == '\t' || p[1] == '!');
}

/*
 * Classify LINE: empty (or a comment), a command (*ce, *args set), or Lua.
 * The first word is a command only if it is a run of letters followed by a
 * blank or the end, and not the target of an assignment (`s = 1` is Lua).
 * Returns CMD_LINE_*, or -1 for an ambiguous abbreviation.
 */
int cmd_parse(const char *line, const struct cmd_entry **ce, const char **args)
{
	const char *p = line + strspn(line, " \t");
	if (*p == '\0' || is_comment(p))
		return CMD_LINE_EMPTY;
	size_t n = 0;
	while ((p[n] >= 'a' && p[n] <= 'z') || (p[n] >= 'A' && p[n] <= 'Z'))
		n++;
	const char *rest = p + n;
	if (n == 0 || (*rest != '\0' && *rest != ' ' && *rest != '\t' && *rest != '\n'))
		return CMD_LINE_LUA; /* ('\n': gs.cmd's "commands\n...\nend") */
	rest += strspn(rest, " \t");
	if (rest[0] == '=' && rest[1] != '=')
		return CMD_LINE_LUA;
	int r = cmd_lookup(p, n, ce);
	if (r <= 0)
		return r < 0 ? -1 : CMD_LINE_LUA;
	*args = rest;
	return CMD_LINE_CMD;
}

/*
 * Run one line: a command, or Lua. Returns CMD_OK, CMD_QUIT, CMD_MORE (the
 * line starts a Lua chunk that needs more lines) or -1 with error_set().
 */
/*
 * A Lua error about a nil model global (g, p, m, sched, ev) while there is
 * no stop: say why they are nil.
 */
static void explain_model_error(session *s)
{
	static const char *const names[] = {"'g'", "'p'", "'m'", "'sched'", "'ev'"};
	if (s->have_stop || !strstr(error_msg(), "nil value (global "))
		return;
	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
		if (strstr(error_msg(), names[i])) {
			error_set("%s (the model exists at a stop; the program is %s)", error_msg(),
				  s->t.pid > 0 ? "running" : "not running: use start or run");
			return;
		}
	}
}

/* A command's handler and what it returned, for exec_body. */
struct exec_call {
	session *s;
	const struct cmd_entry *ce;
	const char *args;
	int rc;
};

static int exec_body(lua_State *L)
{
	struct exec_call *c = lua_touserdata(L, 1);
	c->rc = c->ce->exec(c->s, c->args);
	return 0;
}

/*
 * Run a command's handler protected: the Lua API it uses can raise an
 * error when Lua has changed the model (a metatable on ev or _G whose
 * __index fails), which would otherwise abort the REPL. Such an error is
 * the command's: -1 with error_set().
 */
static int exec_protected(session *s, const struct cmd_entry *ce, const char *args)
{
	struct exec_call c = {s, ce, args, -1};
	lua_pushcfunction(s->L, exec_body);
	lua_pushlightuserdata(s->L, &c);
	if (lua_pcall(s->L, 1, 0, 0) == LUA_OK)
		return c.rc;
	const char *msg = lua_tostring(s->L, -1);
	error_set("%s: %s", ce->name, msg ? msg : "error (not a string)");
	lua_pop(s->L, 1);
	return -1;
}

/* The program ended under the REPL: killed while stopped, or under a
 * command that only asked it something. Say so, and forget its stop. */
static void notice_end(session *s)
{
	if (!s->have_stop || (s->t.pid > 0 && !target_gone(&s->t)))
		return;
	fflush(stderr);
	cmd_report_exit(s);
}

int cmd_execute(session *s, const char *line)
{
	const struct cmd_entry *ce;
	const char *args;
	int collected = break_collect(s, line); /* a line of `commands`, up to "end" */
	if (collected)
		return collected < 0 ? -1 : CMD_OK;
	notice_end(s);
	int rc;
	switch (cmd_parse(line, &ce, &args)) {
	case CMD_LINE_EMPTY:
		return CMD_OK;
	case CMD_LINE_CMD:
		rc = exec_protected(s, ce, args);
		break;
	case CMD_LINE_LUA:
		rc = cmd_lua_line(s, line);
		if (rc == LUAENV_INCOMPLETE)
			return CMD_MORE;
		if (s->quit_asked)
			return CMD_QUIT; /* (its error only unwound the Lua) */
		break;
	default:
		return -1;
	}
	if (rc < 0)
		explain_model_error(s);
	notice_end(s);
	return s->quit_asked ? CMD_QUIT : rc; /* (quit in a breakpoint's commands) */
}

/* -------------------------------------------------------------- helpers */

/* 0 if the program is stopped, else -1 saying why it cannot be resumed. */
int cmd_need_stopped(session *s)
{
	if (s->t.pid <= 0) {
		error_set("the program is not running (use start or run)");
		return -1;
	}
	if (s->t.state != TARGET_STOPPED) {
		error_set("the program is not stopped");
		return -1;
	}
	return 0;
}

/* -1 if a command that takes no arguments got some. */
int cmd_no_args(const struct cmd_entry *ce, const char *args)
{
	if (args[strspn(args, " \t")] == '\0')
		return 0;
	error_set("%s takes no arguments", ce->name);
	return -1;
}

/* ---------------------------------------------------------------- print */

/* print EXPR: evaluate a Lua expression list, print it with the pretty printer. */
static int cmd_print_exec(session *s, const char *args)
{
	if (args[strspn(args, " \t")] == '\0') {
		error_set("usage: print %s", cmd_print_entry.usage);
		return -1;
	}
	if (s->json)
		return batch_json_lua(s, args, 1) < 0 ? -1 : CMD_OK;
	strbuf out = {0};
	int rc = luaenv_format(s->L, args, &out);
	if (rc == 0 && out.len > 0)
		printf("%s\n", out.s);
	sb_free(&out);
	fflush(stdout);
	return rc < 0 ? -1 : CMD_OK;
}

const struct cmd_entry cmd_print_entry = {
	.name = "print",
	.alias = "p",
	.usage = "EXPR",
	.summary = "print a Lua expression (p[0].runq, g[1], sched)",
	.help = "Evaluate the Lua expression list EXPR and print its values with the\n"
		"pretty printer: a goroutine, P or M as its one-line form, a list of them\n"
		"one per line (at most 100), other tables inline (at most 20 entries),\n"
		"longer ones truncated with a count. A line that is not a command is\n"
		"Lua too: an expression typed alone is printed the same way.\n"
		"Examples:\n"
		"  print p[0].runq          P0's run queue, one goroutine per line\n"
		"  p ev.g, ev.kind          the event's goroutine and kind\n"
		"  p sched                  the global scheduler, inline\n"
		"  #g                       the number of goroutines (a bare expression)",
	.exec = cmd_print_exec,
	.class = CMD_CLASS_INSPECTING,
	.args = CMD_ARGS_LUA,
};

/* ----------------------------------------------------------------- quit */

static int cmd_quit_exec(session *s, const char *args)
{
	if (cmd_no_args(&cmd_quit_entry, args) < 0)
		return -1;
	return CMD_QUIT;
}

const struct cmd_entry cmd_quit_entry = {
	.name = "quit",
	.alias = "q",
	.usage = "",
	.summary = "kill the program (if any) and leave",
	.help = "Kill the program if it is running and leave gosched-repl. End of input\n"
		"(Ctrl-D) does the same. At a terminal, if the program is alive, you are\n"
		"asked first: answer y to kill it and leave, n to stay.\n"
		"Examples:\n"
		"  quit\n"
		"  q",
	.exec = cmd_quit_exec,
	.class = CMD_CLASS_SUPPORT,
};
