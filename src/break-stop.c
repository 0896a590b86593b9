/*
 * break-stop.c -- between resuming the program and the stop the user
 * sees: light checks (on the socket or in the shared page's mailbox) and
 * full stops are decided here, by the breakpoints' conditions, ignore
 * counts and expect_never watches; a stop none of whose breakpoints holds
 * resumes the program with `skip`, which keeps a pending step counting.
 * Then the stop is reported and its breakpoints' commands run.
 */
#include "breakpoint-int.h"
#include "luaenv.h"
#include "batch.h"
#include "check.h"
#include "util.h"
#include "wire.h"

#include <cJSON.h>
#include <lauxlib.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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
		break_push_ignore(s, bp);
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
	return break_cond_true(s, bp, -1);
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
		struct breakpoint *bp = break_find(c->s, (int)id->valuedouble);
		if (!bp || !break_wanted(bp) || b->ncarry == MAX_ENABLED)
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
 * condition evaluated into b->mailed; c->stops if any holds. A hit the
 * breakpoint's ignore count lets pass is counted here, and held false: it
 * needs no stop (nor, on the socket or at the stop, counting again). */
static int mail_eval(lua_State *L)
{
	struct check_ctx *c = lua_touserdata(L, 1);
	struct mailed *m = &c->s->breaks->mailed;
	const struct mail_rec *r = c->mail;
	int k = (int)r->ev_kind;
	push_check_env(c->s);                                            /* env */
	check_push_mail(L, r, break_kind_name(k)); /* env, ev */
	lua_setfield(L, -2, "ev");                                       /* env */
	m->check = r->check;
	m->n = 0;
	for (int64_t i = 0; i < r->nbps && i < MAIL_BPS; i++) {
		struct breakpoint *bp = break_find(c->s, (int)r->bps[i]);
		if (!bp || !break_wanted(bp))
			continue;
		int truth = break_cond_true(c->s, bp, -1);
		if (truth && !bp->expect && bp->ignore > 0)
			truth = decide(c->s, bp, truth, NULL); /* (0: used up) */
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

/* Has a Ctrl-C come (now, or while the program ran: the runtime cannot take
 * its interrupt while it waits for us)? Then the stop is the user's, and no
 * condition runs (break_cond_true). 1 if so. */
static int note_interrupt(session *s)
{
	struct breaks *b = breaks_of(s);
	if ((target_signals() & TARGET_SIGINT) || s->t.interrupting)
		b->interrupted = 1;
	return b->interrupted;
}

/* Must this check go to the full stop whatever the conditions say? */
static int check_needs_stop(session *s)
{
	return note_interrupt(s) | break_dirty(s);
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
		struct breakpoint *bp = break_find(s, (int)id->valuedouble);
		snap |= bp && break_wanted(bp) && bp->tier != BREAK_EVENT;
	}
	if (!snap) {
		struct check_ctx c = {.s = s, .root = m->root};
		b->ncarry = 0;
		if (eval_check(s, check_eval, &c) < 0)
			return -1;
		if (!c.stops && !b->interrupted) {
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
		struct breakpoint *bp = break_find(s, (int)r->bps[i]);
		snap |= bp && break_wanted(bp) && bp->tier != BREAK_EVENT;
	}
	if (!snap) {
		struct check_ctx c = {.s = s, .mail = r};
		if (eval_check(s, mail_eval, &c) < 0) {
			b->mailed.check = 0;
			page_answer(&s->t.page, MAIL_SOCKET);
			return -1;
		}
		snap = c.stops || b->interrupted; /* (a Ctrl-C stopped a condition) */
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
		struct breakpoint *bp = break_find(s, (int)id->valuedouble);
		int st = 0;
		if (!bp || (!break_wanted(bp) && !carried(b, bp->id, &st)))
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
			st = decide(s, bp, break_cond_true(s, bp, -1), root);
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

/* Is BP's condition true at this stop, as the tier it belongs to says? */
static int true_here(session *s, struct breakpoint *bp, const cJSON *root, int *loaded)
{
	if (bp->tier == BREAK_RUNTIME)
		return break_runtime_true(s, bp);
	if (load_model(s, root, loaded) < 0)
		return -1;
	lua_pushglobaltable(s->L);
	int v = break_cond_true(s, bp, -1);
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
	if (break_sync(s) < 0)
		return -1;
	int kind = break_kind_number(cJSON_GetStringValue(wire_member(wire_member(m->root, "event"), "kind")));
	b->nstopped = 0;
	note_interrupt(s); /* (a Ctrl-C while launching: no condition runs) */
	for (int i = 0; i < b->n; i++) {
		struct breakpoint *bp = b->v[i];
		if (!break_wanted(bp) || (bp->kinds && (kind < 0 || !(bp->kinds & (1u << kind)))))
			continue;
		int v = true_here(s, bp, m->root, &loaded);
		if (v < 0)
			return -1;
		if (!decide(s, bp, v, m->root))
			continue;
		b->stopped = xrealloc(b->stopped, (size_t)(b->nstopped + 1) * sizeof *b->stopped);
		b->stopped[b->nstopped++] = bp->id;
	}
	note_interrupt(s);
	if (run && b->nstopped == 0 && !b->interrupted)
		return target_resume(&s->t, "cont") < 0 ? -1 : AGAIN;
	if (load_model(s, m->root, &loaded) < 0)
		return -1;
	snprintf(b->reason, sizeof b->reason, "%s",
		 b->nstopped ? "break" : b->interrupted ? "interrupt" : "step");
	snprintf(s->stop.reason, sizeof s->stop.reason, "%s", b->reason);
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
	note_interrupt(s); /* (before the conditions: none runs then) */
	if (decide_stop(s, m->root, &loaded) < 0 || break_sync(s) < 0)
		return -1;
	const char *reason = cJSON_GetStringValue(wire_member(m->root, "reason"));
	note_interrupt(s);
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

/* break_wait's loop. */
static int wait_stop(session *s, wire_msg *m)
{
	for (;;) {
		int rc = target_wait(&s->t, m);
		if (rc != TARGET_MSG || m->type == WIRE_STOP)
			break_runtime_counts(s); /* (the page outlives the program) */
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

int break_wait(session *s, wire_msg *m)
{
	struct breaks *b = breaks_of(s);
	s->have_stop = 0;
	b->nstopped = b->ncarry = b->interrupted = 0;
	b->mailed.check = 0;
	int rc = wait_stop(s, m);
	b->interrupted = 0; /* (conditions run again at the stop: gs.eval) */
	return rc;
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
		struct breakpoint *bp = break_find(s, b->stopped[i]);
		if (!bp || bp->silent)
			continue;
		silent = 0;
		strbuf d = {0};
		break_describe(bp, &d);
		printf("%sbreakpoint %d (%s), hit %lld time%s%s\n", bp->temporary ? "temporary " : "",
		       bp->id, d.s, bp->hits, bp->hits == 1 ? "" : "s",
		       bp->temporary ? " (deleted)" : "");
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
	if (rc == CMD_QUIT) { /* the session ends: so do the lists */
		s->quit_asked = 1;
		return -1;
	}
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
	lua_pushcfunction(L, luaenv_msghandler); /* (an error that is no string has a text) */
	lua_rawgeti(L, LUA_REGISTRYINDEX, bp->cmd_fn);
	lua_getglobal(L, "ev");
	if (lua_pcall(L, 1, 1, -3) != LUA_OK) {
		if (!s->quit_asked) { /* (gs.cmd("quit"): the error only unwound it) */
			fflush(stdout);
			fprintf(stderr, "error: breakpoint %d: %s\n", bp->id, lua_tostring(L, -1));
			s->failed = 1;
		}
		lua_pop(L, 2);
		return 0;
	}
	int cont = lua_toboolean(L, -1);
	lua_pop(L, 2);
	return cont;
}

/*
 * Run breakpoint ID's commands up to the first that resumes the program,
 * which is returned (the caller runs it once every list has run), or NULL.
 */
static char *run_commands(session *s, int id)
{
	struct breakpoint *bp = break_find(s, id);
	if (!bp || (bp->cmd_fn != LUA_NOREF && run_fn(s, bp)))
		return bp ? xstrdup("continue") : NULL;
	/* A copy: the list runs to its end even if it changes or deletes bp. */
	int n = bp->ncmds;
	char **lines = xcalloc((size_t)n + 1, sizeof *lines), *resume = NULL;
	for (int k = 0; k < n; k++)
		lines[k] = xstrdup(bp->cmds[k]);
	for (int k = 0; k < n && s->have_stop; k++) {
		if (!break_collecting(s) && resumes(lines[k])) { /* (else a line of an inner list) */
			resume = lines[k];
			lines[k] = NULL;
			break;
		}
		if (run_line(s, id, lines[k]) < 0)
			break;
	}
	break_free_lines(lines, n);
	return resume;
}

/* Delete the temporary breakpoints among the N that stopped the program
 * (their commands have run), before it resumes. */
static void delete_temporary(session *s, const int *ids, int n)
{
	struct breaks *b = breaks_of(s);
	int gone = 0;
	for (int i = 0; i < n; i++)
		for (int k = 0; k < b->n; k++)
			if (b->v[k]->id == ids[i] && b->v[k]->temporary) {
				break_remove_at(s, k);
				gone = 1;
				break;
			}
	if (gone && break_sync(s) < 0) {
		fflush(stdout);
		fprintf(stderr, "warning: %s\n", error_msg());
	}
}

int break_commands(session *s)
{
	struct breaks *b = breaks_of(s);
	if (b->nstopped == 0 || !s->have_stop)
		return 0;
	if (b->in_cmds) { /* a stop made by another's commands: they go on */
		delete_temporary(s, b->stopped, b->nstopped);
		return 0;
	}
	int n = b->nstopped, *ids = xcalloc((size_t)n, sizeof *ids), first = 0;
	memcpy(ids, b->stopped, (size_t)n * sizeof *ids);
	char *resume = NULL;
	b->in_cmds = 1;
	for (int i = 0; i < n && s->have_stop && !s->quit_asked; i++) {
		char *r = run_commands(s, ids[i]);
		if (r && !resume) {
			resume = r;
			first = ids[i];
		} else {
			free(r);
		}
	}
	if (s->have_stop)
		delete_temporary(s, ids, n);
	if (resume && s->have_stop && !s->quit_asked)
		run_line(s, first, resume);
	b->in_cmds = 0;
	free(resume);
	free(ids);
	fflush(stdout);
	return s->t.pid > 0 && s->t.state == TARGET_RUNNING;
}
