/*
 * cmd-break.c -- breakpoints: the commands (break, delete, disable, enable,
 * ignore, commands, info breakpoints), their installation in the runtime,
 * and the filter between resuming the program and reporting a stop.
 *
 * A breakpoint is a set of event kinds and an optional condition, a Lua
 * expression over the model. lua/condition.lua picks who evaluates it:
 *
 *   runtime  a filter program the hooks run without stopping anything;
 *   event    Lua, from the event alone: the runtime sends a light "check"
 *            (only the thread that saw the event waits) and we answer
 *            skip, or snap to get the full stop;
 *   stop     Lua, on the full snapshot.
 *
 * The REPL keeps the breakpoints (they outlive a run) and mirrors the
 * enabled ones into the runtime (sync_runtime): at each launch before the
 * first resume, and at stops after a change. Between a resume and the stop
 * the user sees, break_wait() answers checks and drops stops whose
 * conditions are false or whose hits are ignored, resuming with `skip`,
 * which keeps a pending step counting.
 */
#include "cmd-break.h"
#include "batch.h"
#include "check.h"
#include "util.h"
#include "wire.h"

#include <cJSON.h>
#include <lauxlib.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define MAX_ENABLED 32 /* the runtime's breakpoint slots (gosched_filter.go dbgMaxBP) */

/* Event kinds by the runtime's numbers (gosched_debug.go evCreate...). */
static const char *const kind_names[] = {
	NULL,     "create",  "start",   "park",    "ready",  "exit",   "preempt",
	"yield",  "syscall", "sysret",  "steal",   "handoff", "gcstop", "gcstart",
};
#define NKINDS ((int)(sizeof kind_names / sizeof kind_names[0]))

static const char *const tier_names[] = {"runtime", "lua/event", "lua/stop"};

struct breakpoint {
	int id;
	unsigned kinds;        /* bit k: kind k; 0: any */
	char *cond;            /* the condition's text; NULL: none; "<function>" */
	int fn;                /* registry: f(env), or the user's function(ev); LUA_NOREF */
	int direct;            /* fn is the user's function: call it with ev */
	enum break_tier tier;
	int force;             /* BREAK_FORCE_* asked for */
	char *program;         /* the runtime tier's filter program */
	char *why;             /* why not the runtime tier */
	char *stop_why;        /* why not the event tier (NULL: a check is enough) */
	int enabled;
	long long hits, ignore;
	long long evals;       /* times Lua evaluated the condition */
	char **cmds;           /* commands run when it stops */
	int ncmds, silent;
	int cmd_fn;            /* registry: a Lua function run when it stops; LUA_NOREF */
	int expect, failed;    /* an expect_never watch, and whether it was true */
	char *where, *msg;     /* expect: where it was set, its message */
	long long nerrs;       /* condition errors (counted as false) */
	char *lasterr;
	int warned;            /* a condition error was reported in this run */
	int inrt;              /* installed in the running program */
};

/* What a launch with breakpoints asked for (break_install). */
enum { LAUNCH_NONE, LAUNCH_START, LAUNCH_RUN };

/* What a light check decided, for the full stop it asks for. */
struct carried {
	int id, stops;
};

/* The conditions of a mailbox check that was not skipped there: their
 * truths wait for the same check on the socket (so each is evaluated once). */
struct mailed {
	long long check; /* the check's number; 0: none */
	int n;
	struct carried truth[MAX_ENABLED]; /* breakpoint id, truth */
};

struct breaks {
	struct breakpoint **v;
	int n, cap, next_id;
	int *gone, ngone;       /* deleted while installed: to remove from the runtime */
	int collecting;         /* `commands` reads lines for this breakpoint (0: no) */
	char **lines;           /* the lines collected so far */
	int nlines, silent_next;
	int in_cmds;            /* a stop's commands are running */
	int env;                /* registry: the globals of a check: {ev = ...} over _G */
	int filtering;          /* break_wait() is deciding: no runtime changes now */
	int launching;          /* LAUNCH_*: the breakpoints go in at the first event */
	int interrupted;        /* a Ctrl-C came while checks were answered: report the stop */
	struct carried carry[MAX_ENABLED];
	int ncarry;
	struct mailed mailed;   /* the truths of the last check taken from the mailbox */
	int *stopped, nstopped; /* breakpoints that stopped the program at this stop */
	char reason[16];        /* the reported stop's reason */
};

/* --------------------------------------------------------------- helpers */

static struct breaks *breaks_of(session *s)
{
	if (!s->breaks) {
		s->breaks = xcalloc(1, sizeof *s->breaks);
		s->breaks->next_id = 1;
		s->breaks->env = LUA_NOREF;
	}
	return s->breaks;
}

static struct breakpoint *find(session *s, int id)
{
	struct breaks *b = breaks_of(s);
	for (int i = 0; i < b->n; i++)
		if (b->v[i]->id == id)
			return b->v[i];
	return NULL;
}

/* Should the runtime have it? An expect_never watch that failed is done. */
static int wanted(const struct breakpoint *bp)
{
	return bp->enabled && !(bp->expect && bp->failed);
}

static int count_wanted(session *s)
{
	struct breaks *b = breaks_of(s);
	int n = 0;
	for (int i = 0; i < b->n; i++)
		n += wanted(b->v[i]);
	return n;
}

static int program_stopped(session *s)
{
	return s->t.pid > 0 && s->t.state == TARGET_STOPPED;
}

int break_kinds(const char *words, unsigned *kinds)
{
	*kinds = 0;
	for (const char *w = words; *w;) {
		w += strspn(w, " \t,");
		size_t n = strcspn(w, " \t,");
		if (n == 0)
			break;
		int k = 1;
		while (k < NKINDS && !(strlen(kind_names[k]) == n && strncmp(kind_names[k], w, n) == 0))
			k++;
		if (k == NKINDS && !(n == 3 && strncmp(w, "any", 3) == 0)) {
			error_set("unknown event kind \"%.*s\" (kinds: any, create, start, park, ready, "
				  "exit, preempt, yield, syscall, sysret, steal, handoff, gcstop, "
				  "gcstart)", (int)n, w);
			return -1;
		}
		if (k == NKINDS) { /* any: every kind */
			*kinds = 0;
			return 0;
		}
		*kinds |= 1u << k;
		w += n;
	}
	return 0;
}

void break_kinds_text(unsigned kinds, strbuf *out)
{
	if (kinds == 0) {
		sb_puts(out, "any");
		return;
	}
	int first = 1;
	for (int k = 1; k < NKINDS; k++) {
		if (kinds & (1u << k)) {
			sb_printf(out, "%s%s", first ? "" : " ", kind_names[k]);
			first = 0;
		}
	}
}

/* "on park if COND" / "if COND" / "on any": a breakpoint in one line. */
static void describe(const struct breakpoint *bp, strbuf *out)
{
	if (bp->kinds || !bp->cond) {
		sb_puts(out, "on ");
		break_kinds_text(bp->kinds, out);
	}
	if (bp->cond)
		sb_printf(out, "%sif %s", bp->kinds ? " " : "", bp->cond);
}

static void free_lines(char **lines, int n)
{
	for (int i = 0; i < n; i++)
		free(lines[i]);
	free(lines);
}

static void free_breakpoint(lua_State *L, struct breakpoint *bp)
{
	luaL_unref(L, LUA_REGISTRYINDEX, bp->fn);
	luaL_unref(L, LUA_REGISTRYINDEX, bp->cmd_fn);
	free(bp->cond);
	free(bp->program);
	free(bp->why);
	free(bp->stop_why);
	free_lines(bp->cmds, bp->ncmds);
	free(bp->where);
	free(bp->msg);
	free(bp->lasterr);
	free(bp);
}

/* ------------------------------------------------------------ conditions */

/* Push condition.lua's module (require "condition"). [-0, +1|0] */
static int push_condition_module(session *s)
{
	lua_State *L = s->L;
	lua_getglobal(L, "require");
	lua_pushliteral(L, "condition");
	if (lua_pcall(L, 1, 1, 0) == LUA_OK)
		return 0;
	const char *err = lua_tostring(L, -1);
	error_set("cannot load lua/condition.lua, which compiles conditions (set GOSCHED_LUA_DIR "
		  "to gosched-repl's lua directory): %.*s", (int)strcspn(err ? err : "", "\n"),
		  err ? err : "");
	lua_pop(L, 1);
	return -1;
}

/* Call condition.NAME(COND): its first result and, if that is nil, the
 * error as error_set(). [-0, +1|0] */
static int call_condition(session *s, const char *name, const char *cond)
{
	lua_State *L = s->L;
	if (push_condition_module(s) < 0)
		return -1;
	lua_getfield(L, -1, name);
	lua_remove(L, -2);
	lua_pushstring(L, cond);
	if (lua_pcall(L, 1, 2, 0) != LUA_OK) {
		error_set("condition.lua: %s", lua_tostring(L, -1));
		lua_pop(L, 1);
		return -1;
	}
	if (lua_isnil(L, -2)) {
		error_set("bad condition: %s", lua_tostring(L, -1) ? lua_tostring(L, -1) : "?");
		lua_pop(L, 2);
		return -1;
	}
	lua_pop(L, 1);
	return 0;
}

int break_analyze(session *s, const char *cond)
{
	return call_condition(s, "analyze", cond);
}

/* A string field of the table at IDX, copied, or NULL. */
static char *string_field(lua_State *L, int idx, const char *name)
{
	lua_getfield(L, idx, name);
	char *v = lua_isstring(L, -1) ? xstrdup(lua_tostring(L, -1)) : NULL;
	lua_pop(L, 1);
	return v;
}

/* Fill BP's tier, program and reasons from COND's analysis and FORCE. */
static int choose_tier(session *s, struct breakpoint *bp, const char *cond, int force)
{
	lua_State *L = s->L;
	if (break_analyze(s, cond) < 0)
		return -1;
	bp->program = string_field(L, -1, "program");
	bp->why = string_field(L, -1, "why");
	bp->stop_why = string_field(L, -1, "stop");
	lua_pop(L, 1);
	if (bp->program && force == BREAK_FORCE_NONE)
		bp->tier = BREAK_RUNTIME;
	else if (!bp->stop_why && force != BREAK_FORCE_STOP)
		bp->tier = BREAK_EVENT;
	else
		bp->tier = BREAK_STOP;
	if (!bp->why && bp->tier != BREAK_RUNTIME)
		bp->why = xstrdup(force == BREAK_FORCE_STOP ? "-full asked for" : "-lua asked for");
	return 0;
}

/* Keep the function at the top of the stack as BP's condition. [-1, +0] */
static void set_condition_fn(session *s, struct breakpoint *bp)
{
	luaL_unref(s->L, LUA_REGISTRYINDEX, bp->fn);
	bp->fn = luaL_ref(s->L, LUA_REGISTRYINDEX);
}

/* Report a condition error: counted, shown by info breakpoints, and
 * printed once per breakpoint and run. */
static void cond_error(session *s, struct breakpoint *bp, const char *err)
{
	bp->nerrs++;
	free(bp->lasterr);
	bp->lasterr = xstrdup(err ? err : "(error object is not a string)");
	if (bp->warned)
		return;
	bp->warned = 1;
	fflush(stdout);
	fprintf(stderr, "warning: breakpoint %d: condition error (counts as false): %s\n", bp->id,
		bp->lasterr);
}

/*
 * Evaluate BP's condition with ENV (a stack index) as its globals: 1 true,
 * 0 false (an error counts as false, as in the runtime). A condition whose
 * value is a function is that function called with ev.
 */
static int cond_true(session *s, struct breakpoint *bp, int env)
{
	lua_State *L = s->L;
	if (bp->fn == LUA_NOREF)
		return 1;
	bp->evals++;
	env = lua_absindex(L, env);
	lua_rawgeti(L, LUA_REGISTRYINDEX, bp->fn); /* f */
	if (bp->direct)
		lua_getfield(L, env, "ev");         /* f, ev */
	else
		lua_pushvalue(L, env);              /* f, env */
	int st = lua_pcall(L, 1, 1, 0);             /* v */
	if (st == LUA_OK && !bp->direct && lua_isfunction(L, -1)) {
		lua_getfield(L, env, "ev");         /* v, ev */
		st = lua_pcall(L, 1, 1, 0);
	}
	if (st != LUA_OK) {
		cond_error(s, bp, lua_tostring(L, -1));
		lua_pop(L, 1);
		return 0;
	}
	int v = lua_toboolean(L, -1);
	lua_pop(L, 1);
	return v;
}

/* The runtime's value of COND at this stop (its eval command). */
static int eval_runtime(session *s, const char *cond)
{
	lua_State *L = s->L;
	if (break_analyze(s, cond) < 0)
		return -1;
	char *prog = string_field(L, -1, "program");
	char *why = string_field(L, -1, "why");
	lua_pop(L, 1);
	if (!prog)
		error_set("the runtime cannot evaluate this condition: %s", why ? why : "?");
	free(why);
	if (!prog)
		return -1;
	char *cmd = xasprintf("eval %s", prog);
	free(prog);
	wire_msg m;
	int rc = target_request(&s->t, cmd, "eval", &m);
	free(cmd);
	if (rc < 0)
		return -1;
	int v = cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(m.root, "value"));
	wire_msg_free(&m);
	return v;
}

int break_eval(session *s, const char *cond, enum break_tier tier, char **err)
{
	lua_State *L = s->L;
	*err = NULL;
	if (!s->have_stop) {
		error_set("no stop to evaluate the condition at");
		return -1;
	}
	if (tier == BREAK_RUNTIME)
		return eval_runtime(s, cond);
	if (call_condition(s, "load", cond) < 0)
		return -1;
	struct breakpoint tmp = {.fn = LUA_NOREF, .warned = 1};
	set_condition_fn(s, &tmp);
	lua_pushglobaltable(L);
	int v = cond_true(s, &tmp, -1);
	lua_pop(L, 1);
	luaL_unref(L, LUA_REGISTRYINDEX, tmp.fn);
	*err = tmp.lasterr;
	return v;
}

/* forward: the stop's model */
static int load_model(session *s, const cJSON *root, int *loaded);
static void set_stop_bps(session *s);

int break_refresh(session *s)
{
	if (!s->have_stop) {
		error_set("no stop to read again");
		return -1;
	}
	wire_msg m;
	if (target_request(&s->t, "snap", "stop", &m) < 0)
		return -1;
	int loaded = 0, rc = load_model(s, m.root, &loaded);
	wire_msg_free(&m);
	if (rc < 0)
		return -1;
	set_stop_bps(s);
	return 0;
}

/* ------------------------------------------------------------ the runtime */

/* Send CMD to the stopped program and expect "ok". */
static int request_ok(session *s, const char *cmd)
{
	wire_msg m;
	if (target_request(&s->t, cmd, "ok", &m) < 0)
		return -1;
	wire_msg_free(&m);
	return 0;
}

/*
 * Install BP in the runtime. A compiled program the runtime refuses (it
 * should not happen) is not lost: the breakpoint moves to a Lua tier.
 */
static int install(session *s, struct breakpoint *bp)
{
	char *cmd = bp->tier == BREAK_RUNTIME
		? xasprintf("break %d %u c %s", bp->id, bp->kinds, bp->program)
		: xasprintf("break %d %u l", bp->id, bp->kinds);
	int rc = request_ok(s, cmd);
	free(cmd);
	if (rc == 0 || bp->tier != BREAK_RUNTIME || !program_stopped(s))
		return rc;
	fflush(stdout);
	fprintf(stderr, "warning: breakpoint %d: the runtime refused its program (%s); Lua "
		"evaluates the condition\n", bp->id, error_msg());
	bp->tier = bp->stop_why ? BREAK_STOP : BREAK_EVENT;
	free(bp->why);
	bp->why = xstrdup("the runtime refused the program");
	return install(s, bp);
}

/*
 * Make the runtime's breakpoints those the REPL wants: remove deleted and
 * disabled ones, install new and enabled ones. Only while the program is
 * stopped at a full stop.
 */
static int sync_runtime(session *s)
{
	struct breaks *b = breaks_of(s);
	if (!program_stopped(s) || b->filtering)
		return 0;
	while (b->ngone > 0) {
		char cmd[48];
		snprintf(cmd, sizeof cmd, "break %d off", b->gone[b->ngone - 1]);
		if (request_ok(s, cmd) < 0)
			return -1;
		b->ngone--;
	}
	for (int i = 0; i < b->n; i++) {
		struct breakpoint *bp = b->v[i];
		if (wanted(bp) && !bp->inrt) {
			if (install(s, bp) < 0)
				return -1;
			bp->inrt = 1;
		} else if (!wanted(bp) && bp->inrt) {
			char cmd[48];
			snprintf(cmd, sizeof cmd, "break %d off", bp->id);
			if (request_ok(s, cmd) < 0)
				return -1;
			bp->inrt = 0;
		}
	}
	return 0;
}

/* Does the runtime need telling something? */
static int runtime_dirty(session *s)
{
	struct breaks *b = breaks_of(s);
	if (b->ngone)
		return 1;
	for (int i = 0; i < b->n; i++)
		if (wanted(b->v[i]) != b->v[i]->inrt)
			return 1;
	return 0;
}

/*
 * A new process has no breakpoints. They are installed at its first event
 * rather than right after hello: the runtime reads the commands that come
 * before the first resume on the main goroutine, which can be preempted
 * there, and an installed breakpoint could then fire into that loop.
 */
int break_install(session *s, const char **first)
{
	struct breaks *b = breaks_of(s);
	b->ngone = 0;
	b->launching = LAUNCH_NONE;
	for (int i = 0; i < b->n; i++) {
		b->v[i]->inrt = 0;
		b->v[i]->warned = 0;
	}
	if (count_wanted(s) == 0)
		return 0;
	b->launching = strcmp(*first, "cont") == 0 ? LAUNCH_RUN : LAUNCH_START;
	*first = "step 1";
	return 0;
}

/* ------------------------------------------------- adding and deleting */

/* Append BP to the table. */
static void push_breakpoint(struct breaks *b, struct breakpoint *bp)
{
	if (b->n == b->cap) {
		b->cap = b->cap ? 2 * b->cap : 8;
		b->v = xrealloc(b->v, (size_t)b->cap * sizeof *b->v);
	}
	b->v[b->n++] = bp;
}

/* A new breakpoint from SPEC, not yet in the table. */
static struct breakpoint *make_breakpoint(session *s, const struct break_spec *spec)
{
	struct breakpoint *bp = xcalloc(1, sizeof *bp);
	bp->fn = bp->cmd_fn = LUA_NOREF;
	bp->kinds = spec->kinds;
	bp->force = spec->force;
	bp->enabled = 1;
	bp->expect = spec->expect;
	bp->where = spec->where ? xstrdup(spec->where) : NULL;
	bp->msg = spec->msg ? xstrdup(spec->msg) : NULL;
	if (spec->fn) {
		lua_pushvalue(s->L, spec->fn);
		set_condition_fn(s, bp);
		bp->direct = 1;
		bp->cond = xstrdup("<function>");
		bp->why = xstrdup("a Lua function");
		bp->tier = spec->force == BREAK_FORCE_EVENT ? BREAK_EVENT : BREAK_STOP;
		if (bp->tier == BREAK_STOP)
			bp->stop_why = xstrdup("a Lua function");
		return bp;
	}
	if (!spec->cond) {
		bp->tier = spec->force == BREAK_FORCE_NONE ? BREAK_RUNTIME
			 : spec->force == BREAK_FORCE_LUA ? BREAK_EVENT : BREAK_STOP;
		bp->program = xstrdup("t");
		return bp;
	}
	if (choose_tier(s, bp, spec->cond,
			spec->force == BREAK_FORCE_EVENT ? BREAK_FORCE_LUA : spec->force) < 0 ||
	    call_condition(s, "load", spec->cond) < 0) {
		free_breakpoint(s->L, bp);
		return NULL;
	}
	set_condition_fn(s, bp);
	bp->cond = xstrdup(spec->cond);
	return bp;
}

int break_add(session *s, const struct break_spec *spec)
{
	struct breaks *b = breaks_of(s);
	if (count_wanted(s) >= MAX_ENABLED) {
		error_set("%d breakpoints are enabled, as many as the runtime holds: delete or "
			  "disable one first", MAX_ENABLED);
		return -1;
	}
	struct breakpoint *bp = make_breakpoint(s, spec);
	if (!bp)
		return -1;
	bp->id = b->next_id++;
	push_breakpoint(b, bp);
	if (sync_runtime(s) < 0)
		return -1; /* kept: installed at the next launch */
	return bp->id;
}

/* Remove entry I from the table; remember to remove it from the runtime. */
static void remove_at(session *s, int i)
{
	struct breaks *b = breaks_of(s);
	struct breakpoint *bp = b->v[i];
	if (bp->inrt) {
		b->gone = xrealloc(b->gone, (size_t)(b->ngone + 1) * sizeof *b->gone);
		b->gone[b->ngone++] = bp->id;
	}
	if (b->collecting == bp->id)
		b->collecting = 0;
	free_breakpoint(s->L, bp);
	memmove(b->v + i, b->v + i + 1, (size_t)(b->n - i - 1) * sizeof *b->v);
	b->n--;
}

int break_delete(session *s, int id)
{
	struct breaks *b = breaks_of(s);
	for (int i = 0; i < b->n; i++) {
		if (b->v[i]->id == id) {
			remove_at(s, i);
			return sync_runtime(s);
		}
	}
	error_set("no breakpoint %d (\"info breakpoints\" lists them)", id);
	return -1;
}

int break_set_commands(session *s, int id, const char *const *lines, int n, int fn, int silent)
{
	struct breakpoint *bp = find(s, id);
	if (!bp) {
		error_set("no breakpoint %d", id);
		return -1;
	}
	free_lines(bp->cmds, bp->ncmds);
	bp->cmds = xcalloc((size_t)n + 1, sizeof *bp->cmds);
	for (int i = 0; i < n; i++)
		bp->cmds[i] = xstrdup(lines[i]);
	bp->ncmds = n;
	bp->silent = silent;
	luaL_unref(s->L, LUA_REGISTRYINDEX, bp->cmd_fn);
	bp->cmd_fn = LUA_NOREF;
	if (fn) {
		lua_pushvalue(s->L, fn);
		bp->cmd_fn = luaL_ref(s->L, LUA_REGISTRYINDEX);
	}
	return 0;
}

int break_set_ignore(session *s, int id, long long n)
{
	struct breakpoint *bp = find(s, id);
	if (!bp) {
		error_set("no breakpoint %d", id);
		return -1;
	}
	bp->ignore = n;
	return 0;
}

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

static int word_is(const char *w, size_t n, const char *s)
{
	return strlen(s) == n && strncmp(w, s, n) == 0;
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

static int cmd_break_exec(session *s, const char *args)
{
	struct break_spec spec = {0};
	strbuf kinds = {0};
	int id = parse_break(args, &spec, &kinds);
	if (id == 0)
		id = break_add(s, &spec);
	sb_free(&kinds);
	if (id < 0)
		return -1;
	struct breakpoint *bp = find(s, id);
	strbuf d = {0};
	describe(bp, &d);
	if (!s->json)
		printf("breakpoint %d: %s [%s]\n", id, d.s, tier_names[bp->tier]);
	fflush(stdout);
	sb_free(&d);
	return CMD_OK;
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
		"same answer; info breakpoints shows the tier and why.\n"
		"  -lua    evaluate in Lua even if the runtime could\n"
		"  -full   evaluate in Lua on a full stop\n"
		"KIND: create, start, park, ready, exit, preempt, yield, syscall, sysret,\n"
		"steal, handoff, gcstop, gcstart (several: \"on park ready\").\n"
		"At most 32 breakpoints are enabled at once; they stay from run to run.\n"
		"Examples:\n"
		"  break if #p[1].runq > 100\n"
		"  break on park if ev.g.waitreason == \"chan receive\"\n"
		"  break on create if sched.ngoroutines > 10000\n"
		"  break on start if ev.g.startfn == \"main.worker\" and ev.p.id == 0\n"
		"See also: delete, disable, enable, ignore, commands, info breakpoints.",
	.exec = cmd_break_exec,
	.class = CMD_CLASS_BREAKPOINTS,
};

/*
 * Run FN on each breakpoint number in ARGS, or on all of them if there are
 * none. Every number is checked before anything changes.
 */
static int each_id(session *s, const char *name, const char *args,
		   int (*fn)(session *, struct breakpoint *))
{
	struct breaks *b = breaks_of(s);
	const char *p = args, *w;
	size_t n;
	int ids[256], nids = 0;
	while ((n = next_word(&p, &w)) > 0) {
		char *end;
		long id = strtol(w, &end, 10);
		if (end != w + n || id <= 0) {
			error_set("%s: \"%.*s\" is not a breakpoint number", name, (int)n, w);
			return -1;
		}
		if (!find(s, (int)id)) {
			error_set("%s: no breakpoint %ld (\"info breakpoints\" lists them)", name, id);
			return -1;
		}
		if (nids == (int)(sizeof ids / sizeof ids[0])) {
			error_set("%s: too many numbers", name);
			return -1;
		}
		ids[nids++] = (int)id;
	}
	if (nids == 0)
		for (int i = 0; i < b->n && nids < (int)(sizeof ids / sizeof ids[0]); i++)
			ids[nids++] = b->v[i]->id;
	for (int i = 0; i < nids; i++) {
		struct breakpoint *bp = find(s, ids[i]);
		if (bp && fn(s, bp) < 0)
			return -1;
	}
	return sync_runtime(s) < 0 ? -1 : CMD_OK;
}

static int delete_one(session *s, struct breakpoint *bp)
{
	struct breaks *b = breaks_of(s);
	for (int i = 0; i < b->n; i++)
		if (b->v[i] == bp)
			remove_at(s, i);
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
	if (count_wanted(s) >= MAX_ENABLED) {
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
	.class = CMD_CLASS_BREAKPOINTS,
};

/* Parse a breakpoint number word; -1 with error_set() if it is not one. */
static int parse_id(session *s, const char *name, const char *w, size_t n)
{
	char *end;
	long id = strtol(w, &end, 10);
	if (n == 0 || end != w + n || id <= 0) {
		error_set("%s: \"%.*s\" is not a breakpoint number", name, (int)n, w);
		return -1;
	}
	if (!find(s, (int)id)) {
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
	long long count = strtoll(c, &end, 10);
	if (end != c + cn || count < 0) {
		error_set("ignore: the count must be a number >= 0, not \"%.*s\"", (int)cn, c);
		return -1;
	}
	break_set_ignore(s, id, count);
	if (!s->json)
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
	.class = CMD_CLASS_BREAKPOINTS,
};

/* The collected command list becomes breakpoint b->collecting's. */
static int end_collect(session *s)
{
	struct breaks *b = breaks_of(s);
	int rc = 0;
	if (b->collecting && find(s, b->collecting))
		rc = break_set_commands(s, b->collecting, (const char *const *)b->lines, b->nlines,
					0, b->silent_next);
	free_lines(b->lines, b->nlines);
	b->lines = NULL;
	b->nlines = b->silent_next = b->collecting = 0;
	return rc;
}

/*
 * The input that was feeding a `commands` list ended (a command file
 * without its `end`): the list is kept as collected, and -1 with
 * error_set() says so. 0 if no list was open.
 */
int break_input_ended(session *s)
{
	struct breaks *b = s->breaks;
	if (!b || !b->collecting)
		return 0;
	int id = b->collecting;
	if (end_collect(s) < 0)
		return -1;
	error_set("the file ended inside \"commands %d\" (no \"end\"): its list is kept as read", id);
	return -1;
}

int break_collect(session *s, const char *line)
{
	struct breaks *b = s->breaks;
	if (!b || !b->collecting)
		return 0;
	const char *p = line + strspn(line, " \t");
	size_t n = strlen(p);
	while (n > 0 && (p[n - 1] == ' ' || p[n - 1] == '\t' || p[n - 1] == '\r'))
		n--;
	if (word_is(p, n, "end")) {
		end_collect(s);
		return 1;
	}
	if (word_is(p, n, "silent") && b->nlines == 0) {
		b->silent_next = 1;
		return 1;
	}
	if (n == 0)
		return 1;
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
		id = parse_id(s, "commands", w, strcspn(w, " \t\n"));
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
	b->collecting = id;
	b->nlines = b->silent_next = 0;
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
		break_collect(s, line);
		free(line);
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
		"the list; the program then runs on until its next stop. An empty\n"
		"list removes the commands. (Lua in the list must fit on one line; a\n"
		"line saying end ends the list.)\n"
		"Example:\n"
		"  commands 1\n"
		"  silent\n"
		"  n = (n or 0) + 1\n"
		"  continue\n"
		"  end",
	.exec = cmd_commands_exec,
	.class = CMD_CLASS_BREAKPOINTS,
};

/* ---------------------------------------------------------- light checks */

/* The globals of a check's conditions: {ev = ...}, other names from _G. [-0, +1] */
static void push_check_env(session *s)
{
	lua_State *L = s->L;
	struct breaks *b = breaks_of(s);
	if (b->env == LUA_NOREF) {
		lua_createtable(L, 0, 1);        /* env */
		lua_createtable(L, 0, 1);        /* env, mt */
		lua_pushglobaltable(L);
		lua_setfield(L, -2, "__index");
		lua_setmetatable(L, -2);         /* env */
		b->env = luaL_ref(L, LUA_REGISTRYINDEX);
	}
	lua_rawgeti(L, LUA_REGISTRYINDEX, b->env);
}

/* ------------------------------------------------------------ decisions */

/* " at park: G5 P0 M2 (event 17)" for the event of a check or stop. */
static void event_text(const cJSON *root, strbuf *out)
{
	const cJSON *ev = wire_member(root, "event");
	const char *kind = cJSON_GetStringValue(wire_member(ev, "kind"));
	sb_printf(out, " at %s:", kind ? kind : "?");
	static const char *const ids[] = {"g", "p", "m"};
	static const char *const tags[] = {"G", "P", "M"};
	for (int i = 0; i < 3; i++) {
		const cJSON *v = wire_member(ev, ids[i]);
		if (cJSON_IsNumber(v))
			sb_printf(out, " %s%.0f", tags[i], v->valuedouble);
	}
	const cJSON *seq = wire_member(root, "seq");
	if (cJSON_IsNumber(seq))
		sb_printf(out, " (event %.0f)", seq->valuedouble);
}

/* An expect_never condition was true: a failure of the run, said once. */
static void expect_failed(session *s, struct breakpoint *bp, const cJSON *root)
{
	strbuf at = {0};
	event_text(root, &at);
	s->failed = 1;
	fflush(stdout);
	fprintf(stderr, "%s%sexpect_never failed: %s%s%s\n", bp->where ? bp->where : "",
		bp->where ? ": " : "", bp->msg ? bp->msg : "", bp->msg ? ": " : "", bp->cond);
	fprintf(stderr, "  (breakpoint %d,%s)\n", bp->id, at.s);
	if (s->json) {
		cJSON *o = cJSON_CreateObject();
		cJSON_AddStringToObject(o, "type", "fail");
		cJSON_AddStringToObject(o, "where", bp->where ? bp->where : "");
		cJSON_AddStringToObject(o, "msg", bp->msg ? bp->msg : "");
		cJSON_AddStringToObject(o, "cond", bp->cond);
		cJSON_AddStringToObject(o, "at", at.s + 4);
		batch_json_emit(o);
	}
	sb_free(&at);
}

/*
 * BP's condition was evaluated at an event: count the hit, fail an
 * expect_never watch, use up the ignore count. 1 if BP stops the program.
 */
static int decide(session *s, struct breakpoint *bp, int truth, const cJSON *root)
{
	if (!truth)
		return 0;
	bp->hits++;
	if (bp->expect) {
		if (!bp->failed)
			expect_failed(s, bp, root);
		bp->failed = 1;
		return 0;
	}
	if (bp->ignore > 0) {
		bp->ignore--;
		return 0;
	}
	return 1;
}

/* What the handlers of a message tell break_wait(). */
enum { AGAIN = 0, REPORT = 1 };

static int on_mail(session *s, const struct mail_rec *r);

/* The ids listed in a check or stop's "bps". */
static const cJSON *listed(const cJSON *root)
{
	const cJSON *ids = wire_member(root, "bps");
	return cJSON_IsArray(ids) ? ids->child : NULL;
}

/* What check_eval() and mail_eval() work on. */
struct check_ctx {
	session *s;
	const cJSON *root;
	const struct mail_rec *mail;
	int stops;
};

/* The truth of BP's condition at the check CHECK: as found at its mailbox
 * copy, or evaluated now. */
static int truth_at(session *s, struct breakpoint *bp, long long check)
{
	struct mailed *m = &breaks_of(s)->mailed;
	if (check && m->check == check) {
		for (int i = 0; i < m->n; i++)
			if (m->truth[i].id == bp->id)
				return m->truth[i].stops;
	}
	return cond_true(s, bp, -1);
}

/* Protected: the check's event as ev, each listed event-tier breakpoint
 * evaluated and decided, the decisions carried to the stop. */
static int check_eval(lua_State *L)
{
	struct check_ctx *c = lua_touserdata(L, 1);
	struct breaks *b = c->s->breaks;
	const cJSON *num = wire_member(c->root, "check");
	long long check = cJSON_IsNumber(num) ? (long long)num->valuedouble : 0; /* 0: none */
	push_check_env(c->s);              /* env */
	check_push_json(L, c->root);       /* env, ev */
	lua_setfield(L, -2, "ev");         /* env */
	for (const cJSON *id = listed(c->root); id; id = id->next) {
		struct breakpoint *bp = find(c->s, (int)id->valuedouble);
		if (!bp || !wanted(bp) || b->ncarry == MAX_ENABLED)
			continue;
		int st = decide(c->s, bp, truth_at(c->s, bp, check), c->root);
		b->carry[b->ncarry++] = (struct carried){bp->id, st};
		c->stops |= st;
	}
	lua_pushnil(L);
	lua_setfield(L, -2, "ev");
	check_end();
	b->mailed.check = 0;
	return 0;
}

/* Protected: the mailbox check's event as ev, each listed breakpoint's
 * condition evaluated into b->mailed; c->stops if any holds. */
static int mail_eval(lua_State *L)
{
	struct check_ctx *c = lua_touserdata(L, 1);
	struct mailed *m = &c->s->breaks->mailed;
	const struct mail_rec *r = c->mail;
	int k = (int)r->ev_kind;
	push_check_env(c->s);                                            /* env */
	check_push_mail(L, r, k > 0 && k < NKINDS ? kind_names[k] : NULL); /* env, ev */
	lua_setfield(L, -2, "ev");                                       /* env */
	m->check = r->check;
	m->n = 0;
	for (int64_t i = 0; i < r->nbps && i < MAIL_BPS; i++) {
		struct breakpoint *bp = find(c->s, (int)r->bps[i]);
		if (!bp || !wanted(bp))
			continue;
		int truth = cond_true(c->s, bp, -1);
		m->truth[m->n++] = (struct carried){bp->id, truth};
		c->stops |= truth;
	}
	lua_pushnil(L);
	lua_setfield(L, -2, "ev");
	check_end();
	return 0;
}

/* Run F (check_eval or mail_eval) on C, protected; -1 on a Lua error. */
static int eval_check(session *s, lua_CFunction f, struct check_ctx *c)
{
	struct breaks *b = breaks_of(s);
	b->filtering = 1;
	lua_pushcfunction(s->L, f);
	lua_pushlightuserdata(s->L, c);
	int st = lua_pcall(s->L, 1, 0, 0);
	b->filtering = 0;
	check_end(); /* also after an error */
	if (st == LUA_OK)
		return 0;
	error_set("evaluating breakpoint conditions: %s", lua_tostring(s->L, -1));
	lua_pop(s->L, 1);
	return -1;
}

/* Must this check go to the full stop whatever the conditions say? */
static int check_needs_stop(session *s)
{
	struct breaks *b = breaks_of(s);
	/* A Ctrl-C now, or while the program ran (the runtime cannot take
	 * its interrupt while it waits for us): the full stop is the user's. */
	if ((target_signals() & TARGET_SIGINT) || s->t.interrupting)
		b->interrupted = 1;
	return runtime_dirty(s) || b->interrupted;
}

/*
 * A light check: evaluate the event-tier conditions on its event. None
 * stops: skip. One does, or a condition needs the full snapshot, or the
 * runtime's breakpoints must change: snap (the full stop follows).
 */
static int on_check(session *s, wire_msg *m)
{
	if (m->mail)
		return on_mail(s, m->mail);
	struct breaks *b = breaks_of(s);
	int snap = check_needs_stop(s);
	for (const cJSON *id = listed(m->root); id; id = id->next) {
		struct breakpoint *bp = find(s, (int)id->valuedouble);
		snap |= bp && wanted(bp) && bp->tier != BREAK_EVENT;
	}
	if (!snap) {
		struct check_ctx c = {.s = s, .root = m->root};
		b->ncarry = 0;
		if (eval_check(s, check_eval, &c) < 0)
			return -1;
		if (!c.stops) {
			b->ncarry = 0; /* they were for a stop that does not come */
			return target_resume(&s->t, "skip") < 0 ? -1 : AGAIN;
		}
	}
	if (wire_send(&s->t.w, "snap") < 0)
		wire_hangup(&s->t.w); /* it is exiting (the other threads ran on): reap it */
	return AGAIN;
}

/*
 * A check posted in the shared page's mailbox: evaluate the event-tier
 * conditions on its record and answer there: skip if none holds, else snap
 * (the full stop follows at once, and decide_stop() decides them with the
 * truths found here). If the program stopped waiting, the same check comes
 * on the socket and on_check() uses those truths.
 */
static int on_mail(session *s, const struct mail_rec *r)
{
	struct breaks *b = breaks_of(s);
	b->mailed.check = 0;
	b->ncarry = 0; /* decisions of an earlier check are not this one's */
	int snap = check_needs_stop(s);
	for (int64_t i = 0; i < r->nbps && i < MAIL_BPS; i++) {
		struct breakpoint *bp = find(s, (int)r->bps[i]);
		snap |= bp && wanted(bp) && bp->tier != BREAK_EVENT;
	}
	if (!snap) {
		struct check_ctx c = {.s = s, .mail = r};
		if (eval_check(s, mail_eval, &c) < 0) {
			b->mailed.check = 0;
			page_answer(&s->t.page, MAIL_SOCKET);
			return -1;
		}
		snap = c.stops;
	}
	/* Its truths serve the stop a snap asks for, or the same check on the
	 * socket if the program stopped waiting; a skip taken needs neither,
	 * and they must not decide a later stop of another event. */
	if (page_answer(&s->t.page, snap ? MAIL_SNAP : MAIL_SKIP) && !snap)
		b->mailed.check = 0;
	return AGAIN;
}

/* The truth of BP's condition found at the mailbox check this stop
 * follows: 1 (with *truth) or 0 if there is none. */
static int mailed_truth(struct breaks *b, int id, int *truth)
{
	for (int i = 0; b->mailed.check && i < b->mailed.n; i++) {
		if (b->mailed.truth[i].id == id) {
			*truth = b->mailed.truth[i].stops;
			return 1;
		}
	}
	return 0;
}

/* Was BP decided at the check that asked for this stop? */
static int carried(struct breaks *b, int id, int *stops)
{
	for (int i = 0; i < b->ncarry; i++) {
		if (b->carry[i].id == id) {
			*stops = b->carry[i].stops;
			return 1;
		}
	}
	return 0;
}

/* Load the stop's model (once). */
static int load_model(session *s, const cJSON *root, int *loaded)
{
	if (*loaded)
		return 0;
	if (snapshot_load(s->L, root, &s->stop) < 0)
		return -1;
	*loaded = 1;
	return 0;
}

/* Decide each breakpoint the stop lists; those that stop go to b->stopped. */
static int decide_stop(session *s, const cJSON *root, int *loaded)
{
	struct breaks *b = breaks_of(s);
	b->nstopped = 0;
	for (const cJSON *id = listed(root); id; id = id->next) {
		struct breakpoint *bp = find(s, (int)id->valuedouble);
		int st = 0;
		if (!bp || (!wanted(bp) && !carried(b, bp->id, &st)))
			continue;
		int truth;
		if (carried(b, bp->id, &st)) {
			/* decided at the check */
		} else if (mailed_truth(b, bp->id, &truth)) {
			st = decide(s, bp, truth, root);
		} else if (bp->tier == BREAK_RUNTIME) {
			st = decide(s, bp, 1, root);
		} else {
			if (load_model(s, root, loaded) < 0)
				return -1;
			lua_pushglobaltable(s->L);
			st = decide(s, bp, cond_true(s, bp, -1), root);
			lua_pop(s->L, 1);
		}
		if (!st)
			continue;
		b->stopped = xrealloc(b->stopped, (size_t)(b->nstopped + 1) * sizeof *b->stopped);
		b->stopped[b->nstopped++] = bp->id;
	}
	b->ncarry = 0;
	b->mailed.check = 0;
	return 0;
}

/* stop.bps = the breakpoints that stopped the program, and stop.reason
 * the reported reason. [-0, +0] */
static void set_stop_bps(session *s)
{
	struct breaks *b = breaks_of(s);
	lua_State *L = s->L;
	if (lua_getglobal(L, "stop") == LUA_TTABLE) {
		if (b->reason[0]) {
			lua_pushstring(L, b->reason);
			lua_setfield(L, -2, "reason");
		}
		lua_createtable(L, b->nstopped, 0);
		for (int i = 0; i < b->nstopped; i++) {
			lua_pushinteger(L, b->stopped[i]);
			lua_rawseti(L, -2, i + 1);
		}
		lua_setfield(L, -2, "bps");
	}
	lua_pop(L, 1);
}

/* The runtime's number of the event kind NAME, or -1. */
static int kind_number(const char *name)
{
	for (int k = 1; k < NKINDS; k++)
		if (name && strcmp(kind_names[k], name) == 0)
			return k;
	return -1;
}

/* Is BP's condition true at this stop, as the tier it belongs to says? */
static int true_here(session *s, struct breakpoint *bp, const cJSON *root, int *loaded)
{
	if (bp->tier == BREAK_RUNTIME) {
		char *cmd = xasprintf("eval %s", bp->program);
		wire_msg m;
		int rc = target_request(&s->t, cmd, "eval", &m);
		free(cmd);
		if (rc < 0)
			return -1;
		int v = cJSON_IsTrue(wire_member(m.root, "value"));
		wire_msg_free(&m);
		return v;
	}
	if (load_model(s, root, loaded) < 0)
		return -1;
	lua_pushglobaltable(s->L);
	int v = cond_true(s, bp, -1);
	lua_pop(s->L, 1);
	return v;
}

/*
 * The first stop of a launch with breakpoints (break_install): install
 * them, and evaluate those of this event's kind, which the runtime could
 * not. Then report the stop (start, or a breakpoint that stops), or go on
 * running (run).
 */
static int on_first_stop(session *s, wire_msg *m)
{
	struct breaks *b = breaks_of(s);
	int run = b->launching == LAUNCH_RUN, loaded = 0;
	b->launching = LAUNCH_NONE;
	if (sync_runtime(s) < 0)
		return -1;
	int kind = kind_number(cJSON_GetStringValue(wire_member(wire_member(m->root, "event"), "kind")));
	b->nstopped = 0;
	for (int i = 0; i < b->n; i++) {
		struct breakpoint *bp = b->v[i];
		if (!wanted(bp) || (bp->kinds && (kind < 0 || !(bp->kinds & (1u << kind)))))
			continue;
		int v = true_here(s, bp, m->root, &loaded);
		if (v < 0)
			return -1;
		if (!decide(s, bp, v, m->root))
			continue;
		b->stopped = xrealloc(b->stopped, (size_t)(b->nstopped + 1) * sizeof *b->stopped);
		b->stopped[b->nstopped++] = bp->id;
	}
	if (run && b->nstopped == 0)
		return target_resume(&s->t, "cont") < 0 ? -1 : AGAIN;
	if (load_model(s, m->root, &loaded) < 0)
		return -1;
	snprintf(b->reason, sizeof b->reason, "%s", b->nstopped ? "break" : "step");
	s->have_stop = 1;
	set_stop_bps(s);
	return REPORT;
}

/*
 * A full stop: decide its breakpoints, bring the runtime's breakpoints up
 * to date, then either resume as before (a "break" stop none of whose
 * breakpoints stops) or report it with its model loaded.
 */
static int on_stop(session *s, wire_msg *m)
{
	struct breaks *b = breaks_of(s);
	int loaded = 0;
	if (b->launching)
		return on_first_stop(s, m);
	if (decide_stop(s, m->root, &loaded) < 0 || sync_runtime(s) < 0)
		return -1;
	const char *reason = cJSON_GetStringValue(wire_member(m->root, "reason"));
	if ((target_signals() & TARGET_SIGINT) || s->t.interrupting)
		b->interrupted = 1;
	if (reason && strcmp(reason, "break") == 0 && b->nstopped == 0 && !b->interrupted)
		return target_resume(&s->t, "skip") < 0 ? -1 : AGAIN;
	if (load_model(s, m->root, &loaded) < 0)
		return -1;
	if (b->interrupted && b->nstopped == 0 && reason && strcmp(reason, "break") == 0)
		reason = "interrupt"; /* the user's, though the event is a breakpoint's */
	snprintf(b->reason, sizeof b->reason, "%s", reason ? reason : "");
	snprintf(s->stop.reason, sizeof s->stop.reason, "%s", b->reason);
	s->have_stop = 1;
	set_stop_bps(s);
	return REPORT;
}

int break_wait(session *s, wire_msg *m)
{
	struct breaks *b = breaks_of(s);
	s->have_stop = 0;
	b->nstopped = b->ncarry = b->interrupted = 0;
	b->mailed.check = 0;
	for (;;) {
		int rc = target_wait(&s->t, m);
		if (rc != TARGET_MSG || (m->type != WIRE_CHECK && m->type != WIRE_STOP))
			return rc;
		rc = m->type == WIRE_CHECK ? on_check(s, m) : on_stop(s, m);
		if (rc == REPORT)
			return TARGET_MSG;
		wire_msg_free(m);
		if (rc < 0)
			return -1;
	}
}

/* ------------------------------------------------------------- reporting */

/* The stop as one JSON line (--json). */
static void json_stop(session *s)
{
	struct breaks *b = breaks_of(s);
	const snapshot_info *i = &s->stop;
	cJSON *o = cJSON_CreateObject();
	cJSON_AddStringToObject(o, "type", "stop");
	cJSON_AddStringToObject(o, "reason", b->reason);
	cJSON_AddItemToObject(o, "bps", cJSON_CreateIntArray(b->stopped, b->nstopped));
	cJSON_AddNumberToObject(o, "seq", (double)i->seq);
	cJSON_AddStringToObject(o, "kind", i->kind);
	if (i->detail[0])
		cJSON_AddStringToObject(o, "detail", i->detail);
	const char *names[] = {"g", "p", "m"};
	long long ids[] = {i->g, i->p, i->m};
	for (int k = 0; k < 3; k++) {
		if (ids[k] >= 0)
			cJSON_AddNumberToObject(o, names[k], (double)ids[k]);
		else
			cJSON_AddNullToObject(o, names[k]);
	}
	cJSON_AddNumberToObject(o, "goroutines", i->ngoroutines);
	cJSON_AddNumberToObject(o, "runnable", i->nrunnable);
	cJSON_AddNumberToObject(o, "running", i->nrunning);
	batch_json_emit(o);
}

int break_report(session *s)
{
	struct breaks *b = breaks_of(s);
	if (s->json) {
		json_stop(s);
		return 1;
	}
	int silent = b->nstopped > 0;
	for (int i = 0; i < b->nstopped; i++) {
		struct breakpoint *bp = find(s, b->stopped[i]);
		if (!bp || bp->silent)
			continue;
		silent = 0;
		strbuf d = {0};
		describe(bp, &d);
		printf("breakpoint %d (%s), hit %lld time%s\n", bp->id, d.s, bp->hits,
		       bp->hits == 1 ? "" : "s");
		sb_free(&d);
	}
	fflush(stdout);
	return silent;
}

int break_in_commands(session *s)
{
	if (!s->breaks || !s->breaks->in_cmds)
		return 0;
	s->have_stop = 0; /* resumed: this stop is over */
	return 1;
}

int break_evaluating(session *s)
{
	return s->breaks && s->breaks->filtering;
}

/* Run one line of breakpoint ID's commands; 0 to go on with the next. */
static int run_line(session *s, int id, const char *line)
{
	int rc = cmd_execute(s, line);
	if (rc == CMD_MORE)
		error_set("an unfinished Lua chunk (a breakpoint's Lua must fit on one line)");
	if (rc < 0 || rc == CMD_MORE) {
		fflush(stdout);
		fprintf(stderr, "error: breakpoint %d: %s\n", id, error_msg());
		s->failed = 1;
		return -1;
	}
	return s->have_stop ? 0 : -1; /* resumed, ended, or quit: the lists end */
}

/* Does LINE resume the program with continue or step? */
static int resumes(const char *line)
{
	const struct cmd_entry *ce;
	const char *args;
	return cmd_parse(line, &ce, &args) == CMD_LINE_CMD &&
	       (ce == &cmd_continue_entry || ce == &cmd_step_entry);
}

/* Run BP's Lua function commands(ev); true if it asks to continue. */
static int run_fn(session *s, struct breakpoint *bp)
{
	lua_State *L = s->L;
	lua_rawgeti(L, LUA_REGISTRYINDEX, bp->cmd_fn);
	lua_getglobal(L, "ev");
	if (lua_pcall(L, 1, 1, 0) != LUA_OK) {
		fflush(stdout);
		fprintf(stderr, "error: breakpoint %d: %s\n", bp->id, lua_tostring(L, -1));
		lua_pop(L, 1);
		s->failed = 1;
		return 0;
	}
	int cont = lua_toboolean(L, -1);
	lua_pop(L, 1);
	return cont;
}

/*
 * Run breakpoint ID's commands up to the first that resumes the program,
 * which is returned (the caller runs it once every list has run), or NULL.
 */
static char *run_commands(session *s, int id)
{
	struct breakpoint *bp = find(s, id);
	if (bp && bp->cmd_fn != LUA_NOREF && run_fn(s, bp))
		return xstrdup("continue");
	for (int k = 0; (bp = find(s, id)) && k < bp->ncmds && s->have_stop; k++) {
		char *line = xstrdup(bp->cmds[k]); /* the commands may change bp */
		if (resumes(line))
			return line;
		int rc = run_line(s, id, line);
		free(line);
		if (rc < 0)
			break;
	}
	return NULL;
}

int break_commands(session *s)
{
	struct breaks *b = breaks_of(s);
	if (b->in_cmds || b->nstopped == 0 || !s->have_stop)
		return 0;
	int n = b->nstopped, *ids = xcalloc((size_t)n, sizeof *ids), first = 0;
	memcpy(ids, b->stopped, (size_t)n * sizeof *ids);
	char *resume = NULL;
	b->in_cmds = 1;
	for (int i = 0; i < n && s->have_stop; i++) {
		char *r = run_commands(s, ids[i]);
		if (r && !resume) {
			resume = r;
			first = ids[i];
		} else {
			free(r);
		}
	}
	if (resume && s->have_stop)
		run_line(s, first, resume);
	b->in_cmds = 0;
	free(resume);
	free(ids);
	fflush(stdout);
	return s->t.pid > 0 && s->t.state == TARGET_RUNNING;
}

/* ------------------------------------------------------------------ info */

/* One breakpoint's lines under its row in info breakpoints. */
static void info_details(const struct breakpoint *bp)
{
	const char *ind = "        ";
	if (bp->tier != BREAK_RUNTIME && bp->evals > 0)
		printf("%sevaluated %lld time%s\n", ind, bp->evals, bp->evals == 1 ? "" : "s");
	if (bp->tier == BREAK_EVENT)
		printf("%sin Lua, from the event (%s)\n", ind, bp->why);
	else if (bp->tier == BREAK_STOP)
		printf("%sin Lua, on a full stop (%s%s%s)\n", ind, bp->why,
		       bp->stop_why && strcmp(bp->stop_why, bp->why) ? "; it reads " : "",
		       bp->stop_why && strcmp(bp->stop_why, bp->why) ? bp->stop_why : "");
	if (bp->expect)
		printf("%sexpect_never%s%s%s%s\n", ind, bp->where ? " at " : "",
		       bp->where ? bp->where : "", bp->msg ? ": " : "", bp->msg ? bp->msg : "");
	if (bp->expect && bp->failed)
		printf("%sFAILED: the condition was true\n", ind);
	if (bp->ignore > 0)
		printf("%sthe next %lld hit%s will not stop\n", ind, bp->ignore,
		       bp->ignore == 1 ? "" : "s");
	if (bp->nerrs > 0)
		printf("%s%lld condition error%s (false), the last: %s\n", ind, bp->nerrs,
		       bp->nerrs == 1 ? "" : "s", bp->lasterr);
	if (bp->silent)
		printf("%ssilent\n", ind);
	for (int i = 0; i < bp->ncmds; i++)
		printf("%s%s\n", ind, bp->cmds[i]);
	if (bp->cmd_fn != LUA_NOREF)
		printf("%s(a Lua function)\n", ind);
}

int break_info(session *s)
{
	struct breaks *b = breaks_of(s);
	if (b->n == 0) {
		printf("No breakpoints.\n");
		return CMD_OK;
	}
	printf("%-4s %-12s %-3s %6s  %-10s %-14s %s\n", "Num", "Type", "Enb", "Hits", "Tier", "On",
	       "Condition");
	for (int i = 0; i < b->n; i++) {
		struct breakpoint *bp = b->v[i];
		strbuf kinds = {0};
		break_kinds_text(bp->kinds, &kinds);
		printf("%-4d %-12s %-3s %6lld  %-10s %-14s %s\n", bp->id,
		       bp->expect ? "expect-never" : "breakpoint", bp->enabled ? "y" : "n", bp->hits,
		       tier_names[bp->tier], kinds.s, bp->cond ? bp->cond : "");
		sb_free(&kinds);
		info_details(bp);
	}
	fflush(stdout);
	return CMD_OK;
}

/* --------------------------------------------------------- for gslib.c */

/* t[name] = s (if not NULL). [-0, +0] */
static void set_string(lua_State *L, const char *name, const char *s)
{
	if (!s)
		return;
	lua_pushstring(L, s);
	lua_setfield(L, -2, name);
}

static void set_integer(lua_State *L, const char *name, long long v)
{
	lua_pushinteger(L, (lua_Integer)v);
	lua_setfield(L, -2, name);
}

void break_push_info(session *s, int id)
{
	lua_State *L = s->L;
	struct breakpoint *bp = find(s, id);
	if (!bp) {
		lua_pushnil(L);
		return;
	}
	strbuf kinds = {0};
	break_kinds_text(bp->kinds, &kinds);
	lua_createtable(L, 0, 12);
	set_integer(L, "id", bp->id);
	set_string(L, "on", kinds.s);
	set_string(L, "cond", bp->cond);
	set_string(L, "tier", tier_names[bp->tier]);
	set_string(L, "program", bp->tier == BREAK_RUNTIME ? bp->program : NULL);
	set_string(L, "why", bp->why);
	set_integer(L, "hits", bp->hits);
	set_integer(L, "ignore", bp->ignore);
	set_integer(L, "errors", bp->nerrs);
	set_integer(L, "evals", bp->evals);
	lua_pushboolean(L, bp->enabled);
	lua_setfield(L, -2, "enabled");
	if (bp->expect) {
		lua_pushboolean(L, bp->failed);
		lua_setfield(L, -2, "failed");
	}
	sb_free(&kinds);
}

void break_push_ids(session *s)
{
	struct breaks *b = breaks_of(s);
	lua_createtable(s->L, b->n, 0);
	for (int i = 0; i < b->n; i++) {
		lua_pushinteger(s->L, b->v[i]->id);
		lua_rawseti(s->L, -2, i + 1);
	}
}

void break_free(session *s)
{
	struct breaks *b = s->breaks;
	if (!b)
		return;
	for (int i = 0; i < b->n; i++)
		free_breakpoint(s->L, b->v[i]);
	free(b->v);
	free(b->gone);
	free_lines(b->lines, b->nlines);
	free(b->stopped);
	luaL_unref(s->L, LUA_REGISTRYINDEX, b->env);
	free(b);
	s->breaks = NULL;
}
