/*
 * cmd-help.c -- `help`: the commands listed by class, one line each, and
 * one command's usage, text and examples; and the names of commands for
 * people who mistype them (an unknown word that resembles commands names
 * them, at the prompt and in `help`).
 */
#include "cmd.h"
#include "batch.h"
#include "util.h"

#include <cJSON.h>
#include <lauxlib.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* help's sections, in the order listed; the class is the index. */
static const char *const class_titles[] = {
	[CMD_CLASS_OTHER] = "Other commands",
	[CMD_CLASS_RUNNING] = "Running the program",
	[CMD_CLASS_INSPECTING] = "Inspecting a stop",
	[CMD_CLASS_BREAKPOINTS] = "Breakpoints",
	[CMD_CLASS_SCRIPTING] = "Scripting",
	[CMD_CLASS_SUPPORT] = "Support",
};

static const enum cmd_class class_order[] = {
	CMD_CLASS_RUNNING,   CMD_CLASS_INSPECTING, CMD_CLASS_BREAKPOINTS,
	CMD_CLASS_SCRIPTING, CMD_CLASS_SUPPORT,    CMD_CLASS_OTHER,
};

/* -------------------------------------------------------- suggestions */

/* Optimal string alignment distance of A and B (short words), capped at 9. */
static int distance(const char *a, size_t na, const char *b, size_t nb)
{
	enum { MAX = 24 };
	int d[MAX + 1][MAX + 1];
	if (na > MAX || nb > MAX)
		return 9;
	for (size_t i = 0; i <= na; i++)
		d[i][0] = (int)i;
	for (size_t j = 0; j <= nb; j++)
		d[0][j] = (int)j;
	for (size_t i = 1; i <= na; i++) {
		for (size_t j = 1; j <= nb; j++) {
			int cost = a[i - 1] != b[j - 1];
			int v = d[i - 1][j - 1] + cost;
			if (d[i - 1][j] + 1 < v)
				v = d[i - 1][j] + 1;
			if (d[i][j - 1] + 1 < v)
				v = d[i][j - 1] + 1;
			if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] &&
			    d[i - 2][j - 2] + 1 < v)
				v = d[i - 2][j - 2] + 1;
			d[i][j] = v;
		}
	}
	return d[na][nb];
}

/* Does WORD (LEN bytes, at least 3) look like NAME: a prefix of it, or a typo? */
static int resembles(const char *word, size_t len, const char *name)
{
	if (len < 3)
		return 0;
	if (strncmp(name, word, len) == 0)
		return 1;
	return distance(word, len, name, strlen(name)) <= (len < 5 ? 1 : 2);
}

/*
 * Append the commands WORD (LEN bytes) resembles to OUT as "a, b or c";
 * returns how many. Words shorter than three letters resemble nothing.
 */
int cmd_suggest(const char *word, size_t len, strbuf *out)
{
	const struct cmd_entry *found[16];
	int n = 0;
	for (const struct cmd_entry *const *e = cmd_table; *e && n < 16; e++)
		if (resembles(word, len, (*e)->name))
			found[n++] = *e;
	for (int i = 0; i < n; i++)
		sb_printf(out, "%s%s", i == 0 ? "" : i == n - 1 ? " or " : ", ", found[i]->name);
	return n;
}

/* The length of the leading run of letters of P. */
static size_t word_len(const char *p)
{
	size_t n = 0;
	while ((p[n] >= 'a' && p[n] <= 'z') || (p[n] >= 'A' && p[n] <= 'Z'))
		n++;
	return n;
}

/* Is global WORD (LEN bytes) nil? Read raw: no metamethod runs. */
static int global_is_nil(lua_State *L, const char *word, size_t len)
{
	lua_pushglobaltable(L);
	lua_pushlstring(L, word, len);
	int nil = lua_rawget(L, -2) == LUA_TNIL;
	lua_pop(L, 2);
	return nil;
}

/*
 * A line that is not a command runs as Lua. When its first word names no
 * variable but resembles commands, a line of that word alone is refused
 * (it would print nil) and a failing line gets the names appended:
 *   stpe      -> no command or variable "stpe" (did you mean step?)
 *   stpe 3    -> lua:1: syntax error near '3' ("stpe" is not a command; did you mean step?)
 *   end       -> "end" with no commands list open (...)
 * With --json, a value is a result line (batch_json_lua).
 */
int cmd_lua_line(session *s, const char *line)
{
	const char *w = line + strspn(line, " \t");
	size_t n = word_len(w);
	strbuf names = {0};
	if (n == 3 && strncmp(w, "end", 3) == 0 && w[n + strspn(w + n, " \t\r")] == '\0') {
		error_set("\"end\" with no commands list open (it ends the lines typed after "
			  "\"commands\")");
		return -1;
	}
	int similar = n > 0 && global_is_nil(s->L, w, n) && cmd_suggest(w, n, &names) > 0;
	if (similar && w[n + strspn(w + n, " \t")] == '\0') {
		error_set("no command or variable \"%.*s\" (did you mean %s?)", (int)n, w, names.s);
		sb_free(&names);
		return -1;
	}
	int rc = s->json ? batch_json_lua(s, line, 0) : luaenv_eval(s->L, line);
	if (rc < 0 && similar) {
		char *msg = xstrdup(error_msg());
		error_set("%s (\"%.*s\" is not a command; did you mean %s?)", msg, (int)n, w,
			  names.s);
		free(msg);
	}
	sb_free(&names);
	return rc;
}

/* --------------------------------------------------------------- help */

/* The commands of class CLASS, one line each: "  name, alias   summary". */
static void list_class(enum cmd_class class, strbuf *out)
{
	int shown = 0;
	for (const struct cmd_entry *const *e = cmd_table; *e; e++) {
		if ((*e)->class != class)
			continue;
		if (!shown++)
			sb_printf(out, "%s:\n", class_titles[class]);
		strbuf head = {0};
		sb_printf(&head, "%s%s%s", (*e)->name, (*e)->alias ? ", " : "",
			  (*e)->alias ? (*e)->alias : "");
		sb_printf(out, "  %-18s %s\n", head.s, (*e)->summary);
		sb_free(&head);
	}
}

static void help_list(strbuf *out)
{
	for (size_t i = 0; i < sizeof class_order / sizeof class_order[0]; i++)
		list_class(class_order[i], out);
	sb_puts(out, "Any other line is Lua: an expression is printed, a statement is run. At\n"
		"a stop the globals g, m, p, sched, ev and stop hold the scheduler (see\n"
		"\"man gosched-repl\"). A unique prefix of a command is enough; \"help\n"
		"COMMAND\" shows its usage and examples.\n");
}

/* The error for a word that names no command, with the ones it resembles. */
static int no_such_command(const char *word, size_t len)
{
	strbuf names = {0};
	if (cmd_suggest(word, len, &names) > 0)
		error_set("no command \"%.*s\" (did you mean %s?)", (int)len, word, names.s);
	else
		error_set("no command \"%.*s\" (\"help\" lists them)", (int)len, word);
	sb_free(&names);
	return -1;
}

/* Print help's TEXT (freed), or with --json its line {"type":"help",
 * "command":NAME or null, "text":TEXT}. */
static int show_help(session *s, const char *name, strbuf *text)
{
	if (s->json) {
		cJSON *o = cJSON_CreateObject();
		cJSON_AddStringToObject(o, "type", "help");
		if (name)
			cJSON_AddStringToObject(o, "command", name);
		else
			cJSON_AddNullToObject(o, "command");
		cJSON_AddStringToObject(o, "text", text->s);
		batch_json_emit(o);
	} else {
		fputs(text->s, stdout);
		fflush(stdout);
	}
	sb_free(text);
	return CMD_OK;
}

/* help [COMMAND]: the list, or one command's usage, text and examples. */
static int cmd_help_exec(session *s, const char *args)
{
	strbuf text = {0};
	size_t n = strcspn(args, " \t");
	if (n == 0) {
		help_list(&text);
		return show_help(s, NULL, &text);
	}
	if (args[n + strspn(args + n, " \t")] != '\0') {
		error_set("usage: help %s", cmd_help_entry.usage);
		return -1;
	}
	const struct cmd_entry *ce;
	int r = cmd_lookup(args, n, &ce);
	if (r < 0)
		return -1;
	if (r == 0)
		return no_such_command(args, n);
	sb_printf(&text, "%s%s%s", ce->name, *ce->usage ? " " : "", ce->usage);
	if (ce->alias)
		sb_printf(&text, "  (alias: %s)", ce->alias);
	sb_printf(&text, "\n%s\n", ce->help);
	return show_help(s, ce->name, &text);
}

const struct cmd_entry cmd_help_entry = {
	.name = "help",
	.alias = "h",
	.usage = "[COMMAND]",
	.summary = "list the commands, or explain one",
	.help = "Without an argument, list the commands by class, one line each. With\n"
		"one, show its usage, what it does and examples. A command may be\n"
		"abbreviated here as at the prompt; a name that is no command gets the\n"
		"commands it resembles.\n"
		"Examples:\n"
		"  help\n"
		"  help step\n"
		"  help gs          (an alias works too)",
	.exec = cmd_help_exec,
	.class = CMD_CLASS_SUPPORT,
	.args = CMD_ARGS_COMMAND,
};
