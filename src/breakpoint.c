/*
 * breakpoint.c -- the breakpoint table: adding, deleting and describing
 * breakpoints, their conditions and the tier that evaluates each, and
 * their installation in the runtime.
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
 * enabled ones into the runtime (break_sync): at each launch before the
 * first resume, and at stops after a change. What happens between a
 * resume and the stop the user sees is break-stop.c's.
 */
#include "breakpoint-int.h"
#include "util.h"
#include "wire.h"

#include <cJSON.h>
#include <lauxlib.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const tier_names[] = {"runtime", "lua/event", "lua/stop"};

const char *break_kind_name(int k)
{
	return k > 0 && k < WIRE_NKINDS ? wire_kinds[k] : NULL;
}

int break_kind_number(const char *name)
{
	return name ? wire_kind(name, strlen(name)) : -1;
}

const char *break_tier_name(enum break_tier tier)
{
	return tier_names[tier];
}

/* --------------------------------------------------------------- helpers */

struct breaks *breaks_of(session *s)
{
	if (!s->breaks) {
		s->breaks = xcalloc(1, sizeof *s->breaks);
		s->breaks->next_id = 1;
		s->breaks->env = LUA_NOREF;
	}
	return s->breaks;
}

struct breakpoint *break_find(session *s, int id)
{
	struct breaks *b = breaks_of(s);
	for (int i = 0; i < b->n; i++)
		if (b->v[i]->id == id)
			return b->v[i];
	return NULL;
}

/* Should the runtime have it? An expect_never watch that failed is done. */
int break_wanted(const struct breakpoint *bp)
{
	return bp->enabled && !(bp->expect && bp->failed);
}

int break_count_wanted(session *s)
{
	struct breaks *b = breaks_of(s);
	int n = 0;
	for (int i = 0; i < b->n; i++)
		n += break_wanted(b->v[i]);
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
		int k = wire_kind(w, n);
		if (k < 0 && !(n == 3 && strncmp(w, "any", 3) == 0)) {
			error_set("unknown event kind \"%.*s\" (kinds: any, " WIRE_KIND_LIST ")",
				  (int)n, w);
			return -1;
		}
		if (k < 0) { /* any: every kind */
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
	for (int k = 1; k < WIRE_NKINDS; k++) {
		if (kinds & (1u << k)) {
			sb_printf(out, "%s%s", first ? "" : " ", wire_kinds[k]);
			first = 0;
		}
	}
}

/* "on park if COND" / "if COND" / "on any": a breakpoint in one line. */
void break_describe(const struct breakpoint *bp, strbuf *out)
{
	if (bp->kinds || !bp->cond) {
		sb_puts(out, "on ");
		break_kinds_text(bp->kinds, out);
	}
	if (bp->cond)
		sb_printf(out, "%sif %s", bp->kinds ? " " : "", bp->cond);
}

void break_free_lines(char **lines, int n)
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
	free(bp->guardprog);
	free(bp->guard);
	free(bp->stop_why);
	free(bp->warn);
	break_free_lines(bp->parks, bp->nparks);
	break_free_lines(bp->skipped, bp->nskipped);
	break_free_lines(bp->at, bp->nat);
	break_free_lines(bp->cmds, bp->ncmds);
	free(bp->where);
	free(bp->msg);
	free(bp->lasterr);
	free(bp);
}

/* ------------------------------------------------------------ conditions */

/* t[NAME] = the set of FIELDS. [-0, +0] */
static void set_names(lua_State *L, const char *name, const char *const *fields)
{
	lua_newtable(L);
	for (; *fields; fields++) {
		lua_pushboolean(L, 1);
		lua_setfield(L, -2, *fields);
	}
	lua_setfield(L, -2, name);
}

/* Push condition.lua's module (require "condition"), which checks field
 * names against the model's records (cmd-info.c lists them). [-0, +1|0] */
static int push_condition_module(session *s)
{
	lua_State *L = s->L;
	lua_getglobal(L, "require");
	lua_pushliteral(L, "condition");
	if (lua_pcall(L, 1, 1, 0) == LUA_OK) {
		if (lua_getfield(L, -1, "model") == LUA_TNIL) {
			lua_createtable(L, 0, 6);
			set_names(L, "g", cmd_g_fields);
			set_names(L, "p", cmd_p_fields);
			set_names(L, "m", cmd_m_fields);
			set_names(L, "sched", cmd_sched_fields);
			set_names(L, "ev", cmd_ev_fields);
			set_names(L, "stop", cmd_stop_fields);
			lua_setfield(L, -3, "model");
		}
		lua_pop(L, 1);
		return 0;
	}
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
	bp->warn = string_field(L, -1, "warn");
	if (bp->warn) { /* (a typo: the condition would never hold, and stop everything) */
		fflush(stdout);
		fprintf(stderr, "warning: %s\n", bp->warn);
	}
	if (bp->program && force == BREAK_FORCE_NONE)
		bp->tier = BREAK_RUNTIME;
	else if (!bp->stop_why && force != BREAK_FORCE_STOP)
		bp->tier = BREAK_EVENT;
	else
		bp->tier = BREAK_STOP;
	if (!bp->why && bp->tier != BREAK_RUNTIME)
		bp->why = xstrdup(force == BREAK_FORCE_STOP ? "-full asked for" : "-lua asked for");
	if (bp->tier != BREAK_RUNTIME && force == BREAK_FORCE_NONE) { /* (forced: all in Lua) */
		bp->guardprog = string_field(L, -1, "guardprogram");
		bp->guard = string_field(L, -1, "guard");
	}
	lua_pop(L, 1);
	return 0;
}

/* Keep the function at the top of the stack as BP's condition. [-1, +0] */
static void set_condition_fn(session *s, struct breakpoint *bp)
{
	luaL_unref(s->L, LUA_REGISTRYINDEX, bp->fn);
	bp->fn = luaL_ref(s->L, LUA_REGISTRYINDEX);
}

/* Report N condition errors, ERR the last: counted, shown by info
 * breakpoints, and printed once per breakpoint and run. */
static void cond_error(session *s, struct breakpoint *bp, const char *err, long long n)
{
	bp->nerrs += n;
	if (err || !bp->lasterr) { /* (NULL: the runtime was rewriting its message) */
		free(bp->lasterr);
		bp->lasterr = xstrdup(err ? err : "(no message)");
	}
	if (bp->warned)
		return;
	bp->warned = 1;
	fflush(stdout);
	fprintf(stderr, "warning: breakpoint %d: condition error (counts as false): %s\n", bp->id,
		bp->lasterr);
}

/*
 * Did expectation BP never check anything: did its condition fail wherever
 * it was evaluated? The runtime notes an event where it found the condition
 * (a Lua-tier one's guard) false, which Lua does not count; it does not
 * count its evaluations, so a runtime-tier condition that skips some kinds
 * it takes (false there) is taken to have been checked.
 */
static int never_checked(session *s, struct breakpoint *bp)
{
	if (bp->nerrs == 0 || page_falsed(&s->t.page, bp->id))
		return 0;
	if (bp->tier == BREAK_RUNTIME)
		return bp->inrt && bp->nat == 0;
	return bp->nerrs >= bp->evals;
}

void break_exit_checks(session *s)
{
	struct breaks *b = breaks_of(s);
	break_runtime_counts(s);
	for (int i = 0; i < b->n; i++) {
		struct breakpoint *bp = b->v[i];
		if (!bp->expect || !never_checked(s, bp))
			continue;
		fflush(stdout);
		const char *where = bp->where ? bp->where : "";
		if (bp->tier == BREAK_RUNTIME)
			fprintf(stderr, "%s%sexpect_never: the condition failed at every event the "
				"runtime evaluated it at (%lld), so it was never checked: %s\n  "
				"(breakpoint %d)\n", where, *where ? ": " : "", bp->nerrs,
				bp->lasterr ? bp->lasterr : "", bp->id);
		else
			fprintf(stderr, "%s%sexpect_never: the condition failed at each of its %lld "
				"evaluations, so it was never checked: %s\n  (breakpoint %d)\n",
				where, *where ? ": " : "", bp->evals, bp->lasterr ? bp->lasterr : "",
				bp->id);
		s->failed = 1;
	}
}

/*
 * Evaluate BP's condition with ENV (a stack index) as its globals: 1 true,
 * 0 false (an error counts as false, as in the runtime). A condition whose
 * value is a function is that function called with ev. Ctrl-C stops a
 * condition that runs too long: false, and the stop is the user's.
 */
int break_cond_true(session *s, struct breakpoint *bp, int env)
{
	lua_State *L = s->L;
	if (bp->fn == LUA_NOREF)
		return 1;
	if (breaks_of(s)->interrupted)
		return 0; /* a Ctrl-C came: the stop is the user's, no condition runs now */
	bp->evals++;
	env = lua_absindex(L, env);
	lua_rawgeti(L, LUA_REGISTRYINDEX, bp->fn); /* f */
	if (bp->direct)
		lua_getfield(L, env, "ev");         /* f, ev */
	else
		lua_pushvalue(L, env);              /* f, env */
	int intr = 0, st = luaenv_pcall(L, 1, 1, &intr); /* v */
	if (st == LUA_OK && !bp->direct && lua_isfunction(L, -1)) {
		lua_getfield(L, env, "ev");         /* v, ev */
		st = luaenv_pcall(L, 1, 1, &intr);
	}
	if (st != LUA_OK && intr) {
		breaks_of(s)->interrupted = 1;
		lua_pop(L, 1);
		return 0;
	}
	if (st != LUA_OK) {
		const char *msg = lua_tostring(L, -1);
		cond_error(s, bp, msg ? msg : "(error object is not a string)", 1);
		lua_pop(L, 1);
		return 0;
	}
	int v = lua_toboolean(L, -1);
	lua_pop(L, 1);
	return v;
}

void break_runtime_counts(session *s)
{
	struct breaks *b = breaks_of(s);
	for (int i = 0; i < b->n; i++) {
		struct breakpoint *bp = b->v[i];
		if (bp->tier != BREAK_RUNTIME || !bp->inrt)
			continue;
		uint64_t ignored;
		long long left;
		if (!bp->expect && page_ignored(&s->t.page, bp->id, &ignored, &left) &&
		    ignored >= bp->rtignored) {
			bp->hits += (long long)(ignored - bp->rtignored);
			bp->rtignored = ignored;
			bp->ignore = left;
		}
		char msg[PAGE_ERR_LEN + 1];
		uint64_t n = page_errors(&s->t.page, bp->id, msg, sizeof msg);
		if (n <= bp->rterrs)
			continue;
		cond_error(s, bp, msg[0] ? msg : NULL, (long long)(n - bp->rterrs));
		bp->rterrs = n;
	}
}

void break_push_ignore(session *s, struct breakpoint *bp)
{
	/* (the others' slots keep the 0 they were installed with) */
	if (bp->inrt && bp->tier == BREAK_RUNTIME && !bp->expect)
		page_set_ignore(&s->t.page, bp->id, bp->ignore);
}

/* The runtime's value of PROGRAM at this stop (its eval command); an
 * error in it (false) is *err, to free. */
static int eval_program(session *s, const char *program, char **err)
{
	char *cmd = xasprintf("eval %s", program);
	wire_msg m;
	int rc = target_request(&s->t, cmd, "eval", &m);
	free(cmd);
	if (rc < 0)
		return -1;
	int v = cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(m.root, "value"));
	const char *e = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(m.root, "error"));
	*err = e ? xstrdup(e) : NULL;
	wire_msg_free(&m);
	return v;
}

int break_runtime_true(session *s, struct breakpoint *bp)
{
	char *err;
	int v = eval_program(s, bp->program, &err);
	if (err)
		cond_error(s, bp, err, 1);
	free(err);
	return v;
}

/* The runtime's value of COND at this stop; an error in it (false) is
 * *err, to free. */
static int eval_runtime(session *s, const char *cond, char **err)
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
	int v = eval_program(s, prog, err);
	free(prog);
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
		return eval_runtime(s, cond, err);
	if (call_condition(s, "load", cond) < 0)
		return -1;
	struct breakpoint tmp = {.fn = LUA_NOREF, .warned = 1};
	set_condition_fn(s, &tmp);
	lua_pushglobaltable(L);
	int v = break_cond_true(s, &tmp, -1);
	lua_pop(L, 1);
	luaL_unref(L, LUA_REGISTRYINDEX, tmp.fn);
	*err = tmp.lasterr;
	return v;
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

/* The strings of the JSON array A as a list in *V, *N (V NULL: A is not
 * an array). */
static void set_list(char ***v, int *n, const cJSON *a)
{
	break_free_lines(*v, *n);
	*v = NULL;
	*n = 0;
	if (!cJSON_IsArray(a))
		return;
	*v = xcalloc((size_t)cJSON_GetArraySize(a) + 1, sizeof **v);
	const cJSON *r;
	cJSON_ArrayForEach(r, a)
		if (cJSON_IsString(r))
			(*v)[(*n)++] = xstrdup(r->valuestring);
}

/*
 * Install BP in the runtime. A compiled program the runtime refuses (it
 * should not happen) is not lost: the breakpoint moves to a Lua tier, or,
 * for a guard, Lua evaluates all of the condition.
 */
static int install(session *s, struct breakpoint *bp)
{
	char *cmd = bp->tier == BREAK_RUNTIME
		? xasprintf("break %d %u c %s", bp->id, bp->kinds, bp->program)
		: xasprintf("break %d %u l %s", bp->id, bp->kinds, bp->guardprog ? bp->guardprog : "");
	wire_msg m;
	int rc = target_request(&s->t, cmd, "ok", &m);
	free(cmd);
	/* the wait reasons of the parks it is evaluated at, and skipped at, and
	 * the kinds it is evaluated at (none, or refused: all of them) */
	const cJSON *ok = rc == 0 ? m.root : NULL;
	set_list(&bp->parks, &bp->nparks, wire_member(ok, "parks"));
	set_list(&bp->skipped, &bp->nskipped, wire_member(ok, "skipped"));
	set_list(&bp->at, &bp->nat, wire_member(ok, "at"));
	if (rc == 0)
		wire_msg_free(&m);
	if (rc == 0 || (bp->tier != BREAK_RUNTIME && !bp->guardprog) || !program_stopped(s))
		return rc;
	fflush(stdout);
	fprintf(stderr, "warning: breakpoint %d: the runtime refused its program (%s); Lua "
		"evaluates %s\n", bp->id, error_msg(), bp->guardprog ? "all of the condition" : "the condition");
	if (bp->guardprog) {
		free(bp->guardprog);
		free(bp->guard);
		bp->guardprog = bp->guard = NULL;
		return install(s, bp);
	}
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
int break_sync(session *s)
{
	struct breaks *b = breaks_of(s);
	if (!program_stopped(s) || b->filtering)
		return 0;
	break_runtime_counts(s); /* (before a slot is taken back) */
	while (b->ngone > 0) {
		char cmd[48];
		snprintf(cmd, sizeof cmd, "break %d off", b->gone[b->ngone - 1]);
		if (request_ok(s, cmd) < 0)
			return -1;
		b->ngone--;
	}
	for (int i = 0; i < b->n; i++) {
		struct breakpoint *bp = b->v[i];
		if (break_wanted(bp) && !bp->inrt) {
			if (install(s, bp) < 0)
				return -1;
			bp->inrt = 1;
			bp->rterrs = bp->rtignored = 0;
			break_push_ignore(s, bp);
		} else if (!break_wanted(bp) && bp->inrt) {
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
int break_dirty(session *s)
{
	struct breaks *b = breaks_of(s);
	if (b->ngone)
		return 1;
	for (int i = 0; i < b->n; i++)
		if (break_wanted(b->v[i]) != b->v[i]->inrt)
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
	if (break_count_wanted(s) == 0)
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
	bp->temporary = spec->temporary;
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
		if (bp->tier != BREAK_RUNTIME)
			bp->why = xstrdup(bp->tier == BREAK_STOP ? "-full asked for" : "-lua asked for");
		return bp;
	}
	if (choose_tier(s, bp, spec->cond,
			spec->force == BREAK_FORCE_EVENT ? BREAK_FORCE_LUA : spec->force) < 0 ||
	    call_condition(s, "load", spec->cond) < 0) {
		free_breakpoint(s->L, bp);
		return NULL;
	}
	if (spec->force == BREAK_FORCE_EVENT && bp->tier == BREAK_STOP) {
		error_set("tier \"event\" is for conditions that read only ev; this one reads %s "
			  "(tier \"full\" evaluates it on a full stop)", bp->stop_why);
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
	if (break_count_wanted(s) >= MAX_ENABLED) {
		error_set("%d breakpoints are enabled, as many as the runtime holds: delete or "
			  "disable one first", MAX_ENABLED);
		return -1;
	}
	struct breakpoint *bp = make_breakpoint(s, spec);
	if (!bp)
		return -1;
	bp->id = b->next_id++;
	push_breakpoint(b, bp);
	if (break_sync(s) < 0)
		return -1; /* kept: installed at the next launch */
	return bp->id;
}

int break_parse_ids(session *s, const char *name, const char *args, int *ids, int max)
{
	int nids = 0;
	for (const char *w = args + strspn(args, " \t"); *w; w += strspn(w, " \t")) {
		size_t n = strcspn(w, " \t");
		char *end;
		long id = strtol(w, &end, 10);
		if (end != w + n || id <= 0 || id > INT_MAX) {
			error_set("%s: \"%.*s\" is not a breakpoint number", name, (int)n, w);
			return -1;
		}
		if (!break_find(s, (int)id)) {
			error_set("%s: no breakpoint %ld (\"info breakpoints\" lists them)", name, id);
			return -1;
		}
		if (nids == max) {
			error_set("%s: too many numbers", name);
			return -1;
		}
		ids[nids++] = (int)id;
		w += n;
	}
	return nids;
}

/* Remove entry I from the table; remember to remove it from the runtime. */
void break_remove_at(session *s, int i)
{
	struct breaks *b = breaks_of(s);
	struct breakpoint *bp = b->v[i];
	if (bp->inrt) {
		b->gone = xrealloc(b->gone, (size_t)(b->ngone + 1) * sizeof *b->gone);
		b->gone[b->ngone++] = bp->id;
	}
	if (b->collecting == bp->id)
		break_collect_cancel(s);
	free_breakpoint(s->L, bp);
	memmove(b->v + i, b->v + i + 1, (size_t)(b->n - i - 1) * sizeof *b->v);
	b->n--;
}

int break_delete(session *s, int id)
{
	struct breaks *b = breaks_of(s);
	for (int i = 0; i < b->n; i++) {
		if (b->v[i]->id == id) {
			break_remove_at(s, i);
			return break_sync(s);
		}
	}
	error_set("no breakpoint %d (\"info breakpoints\" lists them)", id);
	return -1;
}

int break_set_commands(session *s, int id, const char *const *lines, int n, int fn, int silent)
{
	struct breakpoint *bp = break_find(s, id);
	if (!bp) {
		error_set("no breakpoint %d", id);
		return -1;
	}
	break_free_lines(bp->cmds, bp->ncmds);
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

/* Exchange what A and B's conditions are made of. */
static void swap_condition(struct breakpoint *a, struct breakpoint *b)
{
	struct breakpoint t = *a;
	a->fn = b->fn, b->fn = t.fn;
	a->direct = b->direct, b->direct = t.direct;
	a->cond = b->cond, b->cond = t.cond;
	a->tier = b->tier, b->tier = t.tier;
	a->program = b->program, b->program = t.program;
	a->why = b->why, b->why = t.why;
	a->guardprog = b->guardprog, b->guardprog = t.guardprog;
	a->guard = b->guard, b->guard = t.guard;
	a->stop_why = b->stop_why, b->stop_why = t.stop_why;
	a->warn = b->warn, b->warn = t.warn;
	a->parks = b->parks, b->parks = t.parks;
	a->nparks = b->nparks, b->nparks = t.nparks;
	a->skipped = b->skipped, b->skipped = t.skipped;
	a->nskipped = b->nskipped, b->nskipped = t.nskipped;
	a->at = b->at, b->at = t.at;
	a->nat = b->nat, b->nat = t.nat;
}

int break_set_condition(session *s, int id, const char *cond)
{
	struct breakpoint *bp = break_find(s, id);
	if (!bp) {
		error_set("no breakpoint %d", id);
		return -1;
	}
	if (bp->expect) {
		error_set("breakpoint %d is an expect_never watch: its condition is what it checks "
			  "(set a new watch instead)", id);
		return -1;
	}
	struct break_spec spec = {.kinds = bp->kinds, .cond = cond, .force = bp->force};
	struct breakpoint *nb = make_breakpoint(s, &spec);
	if (!nb)
		return -1;
	break_runtime_counts(s); /* (the old condition's, before its slot is set again) */
	swap_condition(bp, nb);
	free_breakpoint(s->L, nb);
	bp->evals = bp->nerrs = 0;
	free(bp->lasterr);
	bp->lasterr = NULL;
	bp->warned = 0;
	bp->inrt = 0; /* (installed again: "break ID ..." takes the same slot) */
	return break_sync(s);
}

int break_line_ok(session *s, const char *line, size_t n)
{
	const struct cmd_entry *ce;
	const char *args;
	char *l = xasprintf("%.*s", (int)n, line);
	int kind = cmd_parse(l, &ce, &args), rc = 0;
	const char *code = kind == CMD_LINE_LUA ? l
			 : kind == CMD_LINE_CMD && ce->args == CMD_ARGS_LUA ? args : NULL;
	if (code) {
		lua_State *L = s->L;
		const char *ret = lua_pushfstring(L, "return %s", code);
		int st = luaL_loadbuffer(L, ret, strlen(ret), "=lua");
		if (st != LUA_OK && kind == CMD_LINE_LUA) {
			lua_pop(L, 1);
			st = luaL_loadbuffer(L, code, strlen(code), "=lua");
		}
		if (st != LUA_OK) {
			error_set("%s", lua_tostring(L, -1));
			rc = -1;
		}
		lua_pop(L, 2);
	}
	free(l);
	return rc;
}

int break_set_ignore(session *s, int id, long long n)
{
	struct breakpoint *bp = break_find(s, id);
	if (!bp) {
		error_set("no breakpoint %d", id);
		return -1;
	}
	bp->ignore = n;
	break_push_ignore(s, bp);
	return 0;
}

/* ------------------------------------------------------------------ info */

/* The kinds the runtime evaluates BP at, when fewer than it takes. */
static void info_at(const struct breakpoint *bp, const char *ind)
{
	if (bp->nat == 0) {
		printf("%sevaluated at no event: no kind it takes can make it true\n", ind);
		return;
	}
	printf("%sevaluated only at", ind);
	for (int i = 0; i < bp->nat; i++)
		printf("%s %s", i ? "," : "", bp->at[i]);
	printf(" (no other kind can make it true)\n");
}

/* Which parks the runtime skips BP at, by wait reason: the shorter list. */
static void info_parks(const struct breakpoint *bp, const char *ind)
{
	if (bp->nparks == 0) {
		printf("%sat parks: skipped for every wait reason the runtime names (none makes it true)\n", ind);
		return;
	}
	int but = bp->nparks <= bp->nskipped;
	char **v = but ? bp->parks : bp->skipped;
	int n = but ? bp->nparks : bp->nskipped;
	printf("%sat parks: skipped for %s", ind,
	       but ? "every wait reason but" : n == 1 ? "wait reason" : "wait reasons");
	for (int i = 0; i < n; i++)
		printf("%s \"%s\"", i ? "," : "", v[i]);
	printf("\n");
}

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
	if (bp->guard)
		printf("%sthe runtime tests first, at the event: %s\n", ind, bp->guard);
	if (bp->warn)
		printf("%swarning: %s\n", ind, bp->warn);
	if (bp->at)
		info_at(bp, ind);
	if (bp->parks)
		info_parks(bp, ind);
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

/* Is ID among the N of IDS (all are, if N is 0)? */
static int listed_id(int id, const int *ids, int n)
{
	for (int i = 0; i < n; i++)
		if (ids[i] == id)
			return 1;
	return n == 0;
}

int break_info(session *s, const int *ids, int nids)
{
	struct breaks *b = breaks_of(s);
	break_runtime_counts(s);
	if (b->n == 0) {
		printf("No breakpoints.\n");
		return CMD_OK;
	}
	printf("%-4s %-12s %-3s %6s  %-10s %-14s %s\n", "Num", "Type", "Enb", "Hits", "Tier", "On",
	       "Condition");
	for (int i = 0; i < b->n; i++) {
		struct breakpoint *bp = b->v[i];
		if (!listed_id(bp->id, ids, nids))
			continue;
		strbuf kinds = {0};
		break_kinds_text(bp->kinds, &kinds);
		strbuf row = {0};
		int on = kinds.len < 14 ? 14 : (int)kinds.len + 1; /* (a long list: still two blanks) */
		sb_printf(&row, "%-4d %-12s %-3s %6lld  %-10s %-*s %s", bp->id,
			  bp->expect ? "expect-never" : bp->temporary ? "tbreakpoint" : "breakpoint",
			  bp->enabled ? "y" : "n",
			  bp->hits, break_tier_name(bp->tier), on, kinds.s, bp->cond ? bp->cond : "");
		while (row.len > 0 && row.s[row.len - 1] == ' ') /* (no condition) */
			row.s[--row.len] = '\0';
		puts(row.s);
		sb_free(&row);
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

/* t[NAME] = the list of the N strings V, t on top. [-0, +0] */
static void set_strings(lua_State *L, const char *name, char **v, int n)
{
	lua_createtable(L, n, 0);
	for (int i = 0; i < n; i++) {
		lua_pushstring(L, v[i]);
		lua_rawseti(L, -2, i + 1);
	}
	lua_setfield(L, -2, name);
}

void break_push_info(session *s, int id)
{
	lua_State *L = s->L;
	break_runtime_counts(s);
	struct breakpoint *bp = break_find(s, id);
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
	set_string(L, "tier", break_tier_name(bp->tier));
	set_string(L, "program", bp->tier == BREAK_RUNTIME ? bp->program : NULL);
	set_string(L, "why", bp->why);
	set_string(L, "guard", bp->guard);
	set_integer(L, "hits", bp->hits);
	set_integer(L, "ignore", bp->ignore);
	set_integer(L, "errors", bp->nerrs);
	set_string(L, "lasterror", bp->lasterr);
	set_string(L, "warning", bp->warn);
	set_integer(L, "evals", bp->evals);
	if (bp->parks)
		set_strings(L, "parks", bp->parks, bp->nparks);
	if (bp->at)
		set_strings(L, "at", bp->at, bp->nat);
	lua_pushboolean(L, bp->enabled);
	lua_setfield(L, -2, "enabled");
	lua_pushboolean(L, bp->temporary);
	lua_setfield(L, -2, "temporary");
	if (bp->cmd_fn != LUA_NOREF) { /* (given as a function: that function) */
		lua_rawgeti(L, LUA_REGISTRYINDEX, bp->cmd_fn);
		lua_setfield(L, -2, "commands");
	} else if (bp->ncmds > 0) {
		set_strings(L, "commands", bp->cmds, bp->ncmds);
	}
	lua_pushboolean(L, bp->silent);
	lua_setfield(L, -2, "silent");
	if (bp->expect) {
		lua_pushboolean(L, bp->failed);
		lua_setfield(L, -2, "failed");
		set_string(L, "where", bp->where);
		set_string(L, "msg", bp->msg);
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
	break_free_lines(b->lines, b->nlines);
	free(b->stopped);
	luaL_unref(s->L, LUA_REGISTRYINDEX, b->env);
	free(b);
	s->breaks = NULL;
}
