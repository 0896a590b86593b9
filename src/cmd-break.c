/*
 * cmd-break.c -- the breakpoint commands: break, tbreak, delete, disable,
 * enable, ignore, condition and commands (with the collection of its lines
 * up to "end").
 * They parse their arguments and act through breakpoint.c.
 */
#include "cmd-break.h"
#include "breakpoint-int.h"
#include "util.h"

#include <errno.h>
#include <lauxlib.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* ------------------------------------------------------------- commands */

/* Split off the next blank-separated word of *p: its start and length. */
static size_t next_word(const char **p, const char **word)
{
	*p += strspn(*p, " \t");
	*word = *p;
	size_t n = strcspn(*p, " \t");
	*p += n;
	return n;
}

#define BREAK_USAGE "break [-lua|-full] [on KIND...] [if CONDITION]"

/* Parse break's arguments into SPEC; *kinds_buf holds the kinds' words. */
static int parse_break(const char *args, struct break_spec *spec, strbuf *kinds)
{
	const char *p = args, *w;
	size_t n;
	while ((n = next_word(&p, &w)) > 0 && w[0] == '-') {
		if (word_is(w, n, "-lua"))
			spec->force = BREAK_FORCE_LUA;
		else if (word_is(w, n, "-full"))
			spec->force = BREAK_FORCE_STOP;
		else {
			error_set("break: unknown option \"%.*s\" (usage: " BREAK_USAGE ")", (int)n, w);
			return -1;
		}
	}
	if (word_is(w, n, "on")) {
		while ((n = next_word(&p, &w)) > 0 && !word_is(w, n, "if"))
			sb_printf(kinds, "%.*s ", (int)n, w);
		if (!kinds->len) {
			error_set("break: \"on\" needs one or more event kinds (usage: " BREAK_USAGE ")");
			return -1;
		}
		if (break_kinds(kinds->s, &spec->kinds) < 0)
			return -1;
	}
	if (n == 0)
		return 0;
	if (!word_is(w, n, "if")) {
		error_set("break: unexpected \"%.*s\" (usage: " BREAK_USAGE ")", (int)n, w);
		return -1;
	}
	spec->cond = p + strspn(p, " \t");
	if (!*spec->cond) {
		error_set("break: the condition after \"if\" is empty");
		return -1;
	}
	return 0;
}

/* "breakpoint 2: on park if COND [runtime]": what BP is now (not with --json). */
static void say_breakpoint(session *s, const struct breakpoint *bp)
{
	strbuf d = {0};
	break_describe(bp, &d);
	if (!s->json)
		printf("%sbreakpoint %d: %s [%s]\n", bp->temporary ? "temporary " : "", bp->id, d.s,
		       break_tier_name(bp->tier));
	fflush(stdout);
	sb_free(&d);
}

/* break and tbreak (TEMPORARY). */
static int add_breakpoint(session *s, const char *args, int temporary)
{
	struct break_spec spec = {.temporary = temporary};
	strbuf kinds = {0};
	int id = parse_break(args, &spec, &kinds);
	if (id == 0)
		id = break_add(s, &spec);
	sb_free(&kinds);
	if (id < 0)
		return -1;
	say_breakpoint(s, break_find(s, id));
	return CMD_OK;
}

static int cmd_break_exec(session *s, const char *args)
{
	return add_breakpoint(s, args, 0);
}

const struct cmd_entry cmd_break_entry = {
	.name = "break",
	.alias = "b",
	.usage = "[-lua|-full] [on KIND...] [if CONDITION]",
	.summary = "stop at events (of KIND) where a Lua condition holds",
	.help = "Set a breakpoint: the program stops at the next event of one of the\n"
		"KINDs (any kind without \"on\") at which CONDITION is true. CONDITION is a\n"
		"Lua expression over the model (g, m, p, sched, ev) as it is at the event;\n"
		"if its value is a function, that function is called with ev. An error\n"
		"in it counts as false (the first one is reported).\n"
		"Conditions made of fields of the event's G, P and M (ev.g.status,\n"
		"ev.p.id, ev.m.spinning, ...), of p[i] and sched, run-queue lengths\n"
		"(#p[1].runq, #sched.runq), integer and string constants, comparisons\n"
		"and and/or/not are compiled: the runtime evaluates them at the event\n"
		"without stopping anything (tier \"runtime\"). Others are Lua: from the\n"
		"event alone when they only read ev (\"lua/event\": only the thread that\n"
		"saw the event waits), else on a full stop (\"lua/stop\"). Both give the\n"
		"same answer; info breakpoints shows the tier and why. The runtime skips\n"
		"a condition at the events whose kind (and, at a park, wait reason)\n"
		"cannot make it true;\n"
		"a Lua condition's leading and-ed terms that compile are tested by the\n"
		"runtime first, at the event (info breakpoints shows both).\n"
		"  -lua    evaluate in Lua even if the runtime could\n"
		"  -full   evaluate in Lua on a full stop\n"
		"KIND: create, start, park, ready, exit, preempt, yield, syscall, sysret,\n"
		"steal, handoff, gcstop, gcstart, deadlock, end (several: \"on park ready\").\n"
		"At most 32 breakpoints are enabled at once; they stay from run to run.\n"
		"Examples:\n"
		"  break if #p[1].runq > 100\n"
		"  break on park if ev.g.waitreason == \"chan receive\"\n"
		"  break on create if sched.ngoroutines > 10000\n"
		"  break on start if ev.g.startfn == \"main.worker\" and ev.p.id == 0\n"
		"See also: tbreak, condition, delete, disable, enable, ignore, commands,\n"
		"info breakpoints.",
	.exec = cmd_break_exec,
	.class = CMD_CLASS_BREAKPOINTS,
};

static int cmd_tbreak_exec(session *s, const char *args)
{
	return add_breakpoint(s, args, 1);
}

const struct cmd_entry cmd_tbreak_entry = {
	.name = "tbreak",
	.usage = "[-lua|-full] [on KIND...] [if CONDITION]",
	.summary = "a breakpoint deleted at the first stop it makes",
	.help = "Set a temporary breakpoint: as break, but it is deleted once it has\n"
		"stopped the program (after its commands have run). Hits it lets pass\n"
		"(ignore) do not count as stops.\n"
		"Examples:\n"
		"  tbreak on create if ev.g.startfn == \"main.worker\"\n"
		"  tbreak on park",
	.exec = cmd_tbreak_exec,
	.class = CMD_CLASS_BREAKPOINTS,
	.flags = CMD_PREFIX2, /* a lone "t" stays Lua's (a common name for a table) */
};


/*
 * Run FN on each breakpoint number in ARGS, or on all of them if there are
 * none. Every number is checked before anything changes.
 */
static int each_id(session *s, const char *name, const char *args,
		   int (*fn)(session *, struct breakpoint *))
{
	struct breaks *b = breaks_of(s);
	int ids[256], nids = break_parse_ids(s, name, args, ids, 256);
	if (nids < 0)
		return -1;
	if (nids == 0)
		for (int i = 0; i < b->n && nids < (int)(sizeof ids / sizeof ids[0]); i++)
			ids[nids++] = b->v[i]->id;
	for (int i = 0; i < nids; i++) {
		struct breakpoint *bp = break_find(s, ids[i]);
		if (bp && fn(s, bp) < 0)
			return -1;
	}
	return break_sync(s) < 0 ? -1 : CMD_OK;
}

static int delete_one(session *s, struct breakpoint *bp)
{
	struct breaks *b = breaks_of(s);
	for (int i = 0; i < b->n; i++)
		if (b->v[i] == bp)
			break_remove_at(s, i);
	return 0;
}

static int cmd_delete_exec(session *s, const char *args)
{
	return each_id(s, "delete", args, delete_one);
}

const struct cmd_entry cmd_delete_entry = {
	.name = "delete",
	.alias = "d",
	.usage = "[N...]",
	.summary = "delete breakpoints (all without N)",
	.help = "Delete the breakpoints numbered N (every breakpoint if none is given).\n"
		"Examples:\n"
		"  delete 2\n"
		"  d 1 3\n"
		"  delete",
	.exec = cmd_delete_exec,
	.args = CMD_ARGS_BREAKS,
	.class = CMD_CLASS_BREAKPOINTS,
};

static int disable_one(session *s, struct breakpoint *bp)
{
	bp->enabled = 0;
	return 0;
}

static int enable_one(session *s, struct breakpoint *bp)
{
	if (bp->enabled)
		return 0;
	if (break_count_wanted(s) >= MAX_ENABLED) {
		error_set("enable: %d breakpoints are enabled, as many as the runtime holds",
			  MAX_ENABLED);
		return -1;
	}
	bp->enabled = 1;
	return 0;
}

static int cmd_disable_exec(session *s, const char *args)
{
	return each_id(s, "disable", args, disable_one);
}

static int cmd_enable_exec(session *s, const char *args)
{
	return each_id(s, "enable", args, enable_one);
}

const struct cmd_entry cmd_disable_entry = {
	.name = "disable",
	.usage = "[N...]",
	.summary = "disable breakpoints (all without N)",
	.help = "Disable the breakpoints numbered N (every one if none is given): they\n"
		"are kept, but the runtime no longer evaluates them. enable turns them\n"
		"back on.\n"
		"Examples:\n"
		"  disable 2\n"
		"  disable",
	.exec = cmd_disable_exec,
	.args = CMD_ARGS_BREAKS,
	.class = CMD_CLASS_BREAKPOINTS,
};

const struct cmd_entry cmd_enable_entry = {
	.name = "enable",
	.usage = "[N...]",
	.summary = "enable breakpoints (all without N)",
	.help = "Enable the breakpoints numbered N (every one if none is given). At most\n"
		"32 breakpoints can be enabled at once (the runtime's slots).\n"
		"Examples:\n"
		"  enable 2\n"
		"  enable",
	.exec = cmd_enable_exec,
	.args = CMD_ARGS_BREAKS,
	.class = CMD_CLASS_BREAKPOINTS,
};

/* Parse a breakpoint number word; -1 with error_set() if it is not one. */
static int parse_id(session *s, const char *name, const char *w, size_t n)
{
	char *end;
	long id = strtol(w, &end, 10);
	if (n == 0 || end != w + n || id <= 0 || id > INT_MAX) {
		error_set("%s: \"%.*s\" is not a breakpoint number", name, (int)n, w);
		return -1;
	}
	if (!break_find(s, (int)id)) {
		error_set("%s: no breakpoint %ld (\"info breakpoints\" lists them)", name, id);
		return -1;
	}
	return (int)id;
}

static int cmd_ignore_exec(session *s, const char *args)
{
	const char *p = args, *w, *c;
	size_t n = next_word(&p, &w), cn = next_word(&p, &c);
	if (n == 0 || cn == 0 || p[strspn(p, " \t")]) {
		error_set("usage: ignore N COUNT");
		return -1;
	}
	int id = parse_id(s, "ignore", w, n);
	if (id < 0)
		return -1;
	char *end;
	errno = 0;
	long long count = strtoll(c, &end, 10);
	if (end != c + cn || count < 0 || errno == ERANGE) {
		error_set(errno == ERANGE ? "ignore: the count %.*s is too large"
			  : "ignore: the count must be a number >= 0, not \"%.*s\"", (int)cn, c);
		return -1;
	}
	break_set_ignore(s, id, count);
	if (!s->json && count == 0)
		printf("breakpoint %d: stops at its next hit\n", id);
	else if (!s->json)
		printf("breakpoint %d: the next %lld hit%s will not stop the program\n", id, count,
		       count == 1 ? "" : "s");
	fflush(stdout);
	return CMD_OK;
}

const struct cmd_entry cmd_ignore_entry = {
	.name = "ignore",
	.usage = "N COUNT",
	.summary = "let breakpoint N's next COUNT hits pass",
	.help = "The next COUNT times breakpoint N's condition is true, the program does\n"
		"not stop (the hits are counted). ignore N 0 stops at the next one again.\n"
		"Examples:\n"
		"  ignore 1 100   (stop at the 101st hit)\n"
		"  ignore 1 0",
	.exec = cmd_ignore_exec,
	.args = CMD_ARGS_BREAK,
	.class = CMD_CLASS_BREAKPOINTS,
};

/* condition N [CONDITION] */
static int cmd_condition_exec(session *s, const char *args)
{
	const char *p = args, *w;
	size_t n = next_word(&p, &w);
	if (n == 0) {
		error_set("usage: condition N [CONDITION]");
		return -1;
	}
	int id = parse_id(s, "condition", w, n);
	if (id < 0)
		return -1;
	p += strspn(p, " \t");
	if (break_set_condition(s, id, *p ? p : NULL) < 0) {
		error_set("condition: %s (breakpoint %d is unchanged)", error_msg(), id);
		return -1;
	}
	say_breakpoint(s, break_find(s, id));
	return CMD_OK;
}

const struct cmd_entry cmd_condition_entry = {
	.name = "condition",
	.usage = "N [CONDITION]",
	.summary = "change breakpoint N's condition (none: remove it)",
	.help = "Give breakpoint N a new condition, evaluated in the tier it belongs to\n"
		"(as break chooses it, and -lua or -full still hold), or none. Its hits,\n"
		"ignore count and commands stay. A bad condition changes nothing.\n"
		"Examples:\n"
		"  condition 1 #ev.p.runq > 50\n"
		"  condition 1",
	.exec = cmd_condition_exec,
	.args = CMD_ARGS_BREAK_LUA,
	.class = CMD_CLASS_BREAKPOINTS,
};

/* The collected command list becomes breakpoint b->collecting's. */
static int end_collect(session *s)
{
	struct breaks *b = breaks_of(s);
	int rc = 0;
	if (b->collecting && break_find(s, b->collecting))
		rc = break_set_commands(s, b->collecting, (const char *const *)b->lines, b->nlines,
					0, b->silent_next);
	break_collect_cancel(s);
	return rc;
}

void break_collect_cancel(session *s)
{
	struct breaks *b = breaks_of(s);
	break_free_lines(b->lines, b->nlines);
	b->lines = NULL;
	b->nlines = b->silent_next = b->collecting = b->depth = 0;
}

int break_collecting(session *s)
{
	return s->breaks && s->breaks->collecting;
}

/*
 * The input that was feeding a `commands` list ended (WHAT: "the file",
 * "the -ex commands", "the input") without its `end`: the list is kept as
 * collected, and -1 with error_set() says so. 0 if no list was open.
 */
int break_input_ended(session *s, const char *what)
{
	struct breaks *b = s->breaks;
	if (!b || !b->collecting)
		return 0;
	int id = b->collecting;
	if (end_collect(s) < 0)
		return -1;
	error_set("%s ended inside \"commands %d\" (no \"end\"): its list is kept as read",
		  what, id);
	return -1;
}

/* Does LINE (trimmed, N bytes) run the commands command? */
static int is_commands(const char *line, size_t n)
{
	const struct cmd_entry *ce;
	const char *args;
	char *l = xasprintf("%.*s", (int)n, line);
	int yes = cmd_parse(l, &ce, &args) == CMD_LINE_CMD && ce == &cmd_commands_entry;
	free(l);
	return yes;
}

/*
 * A list may hold a `commands` of its own, up to its own `end` (b->depth
 * counts them): it is a line like the others, run when the list runs.
 * A line that is Lua must compile (-1 with error_set(): not taken).
 */
int break_collect(session *s, const char *line)
{
	struct breaks *b = s->breaks;
	if (!b || !b->collecting)
		return 0;
	const char *p = line + strspn(line, " \t");
	size_t n = strlen(p);
	while (n > 0 && (p[n - 1] == ' ' || p[n - 1] == '\t' || p[n - 1] == '\r'))
		n--;
	if (word_is(p, n, "end") && b->depth == 0) {
		end_collect(s);
		return 1;
	}
	if (word_is(p, n, "silent") && b->nlines == 0) {
		b->silent_next = 1;
		return 1;
	}
	if (n == 0)
		return 1;
	if (word_is(p, n, "end"))
		b->depth--;
	else if (is_commands(p, n))
		b->depth++;
	else if (b->depth == 0 && break_line_ok(s, p, n) < 0) {
		char *why = xstrdup(error_msg());
		error_set("%s (the line is not added to the list)", why);
		free(why);
		return -1;
	}
	b->lines = xrealloc(b->lines, (size_t)(b->nlines + 1) * sizeof *b->lines);
	b->lines[b->nlines++] = xasprintf("%.*s", (int)n, p);
	return 1;
}

/*
 * commands [N]: the lines that follow, up to "end", are breakpoint N's
 * commands (the last breakpoint's without N). From gs.cmd the lines may
 * come in the same string, after newlines.
 */
static int cmd_commands_exec(session *s, const char *args)
{
	struct breaks *b = breaks_of(s);
	const char *p = args, *w;
	size_t n = next_word(&p, &w);
	int id = 0;
	if (n > 0 && w[0] != '\n') {
		size_t len = strcspn(w, " \t\n"), rest = strspn(w + len, " \t");
		if (w[len + rest] && w[len + rest] != '\n') {
			error_set("commands: one breakpoint number at most (usage: commands [N])");
			return -1;
		}
		id = parse_id(s, "commands", w, len);
		if (id < 0)
			return -1;
		p = w + strcspn(w, "\n");
	} else if (b->n > 0) {
		id = b->v[b->n - 1]->id;
		p = w;
	} else {
		error_set("commands: there is no breakpoint yet");
		return -1;
	}
	break_collect_cancel(s);
	b->collecting = id;
	if (*p != '\n') {
		if (!s->json && !s->quiet && isatty(STDIN_FILENO))
			printf("Type commands for breakpoint %d, one per line; \"silent\" first hides "
			       "the stop, \"end\" finishes.\n", id);
		return CMD_OK;
	}
	/* inline body: "commands 1\nsilent\nprint ev\nend" */
	while (*p == '\n' && b->collecting) {
		p++;
		size_t len = strcspn(p, "\n");
		char *line = xasprintf("%.*s", (int)len, p);
		int rc = break_collect(s, line);
		free(line);
		if (rc < 0) { /* the breakpoint keeps the list it had */
			break_collect_cancel(s);
			return -1;
		}
		p += len;
	}
	return b->collecting ? end_collect(s) : CMD_OK;
}

const struct cmd_entry cmd_commands_entry = {
	.name = "commands",
	.usage = "[N]",
	.summary = "commands to run when breakpoint N stops the program",
	.help = "Give breakpoint N (the last one set, without N) a list of commands,\n"
		"typed on the following lines and ended by a line saying \"end\". They\n"
		"run when the breakpoint stops the program, after the stop line: any\n"
		"command or Lua line. If the first line is \"silent\", the stop is not\n"
		"announced. A command that resumes the program (continue, step) ends\n"
		"the list; the program then runs on until its next stop. An error\n"
		"ends the list too, and the program stays stopped. An empty\n"
		"list removes the commands. Lua in the list must fit on one line, and\n"
		"a line that does not compile is refused when typed. A commands line\n"
		"inside the list reads up to its own end and is defined when the list\n"
		"runs. At a terminal the list's prompt is \">\"; Ctrl-D ends the list,\n"
		"Ctrl-C drops it.\n"
		"Example:\n"
		"  commands 1\n"
		"  silent\n"
		"  n = (n or 0) + 1\n"
		"  continue\n"
		"  end",
	.exec = cmd_commands_exec,
	.args = CMD_ARGS_BREAK,
	.class = CMD_CLASS_BREAKPOINTS,
};
