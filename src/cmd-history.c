/*
 * cmd-history.c -- what the scheduler did just before the stop.
 *
 * The runtime keeps the last 4096 events of every P (and of the Ms without
 * one) in rings; `history [N]` fetches the last N, merged in time order,
 * prints them as a timeline relative to the stop's event and leaves them in
 * the Lua sequence `hist` (each entry shaped like `ev`). gs.history(n)
 * returns the same sequence to scripts. Under --json it is one line:
 * {"type":"history","time":T0,"cut":false,"events":[{"kind":...,"time":...,"g":5,...}]}.
 *
 * `history off` stops the recording (most of what being attached costs a
 * program); `history on` starts it afresh. The setting outlives the
 * program: a launch applies it (history_launch).
 */
#include "batch.h"
#include "cmd.h"
#include "snapshot.h"
#include "util.h"

#include <cJSON.h>
#include <lauxlib.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define HISTORY_DEFAULT 20
#define HISTORY_MAX 1000000

/* Parse the optional count; -1 with error_set() if it is not a number. */
static long parse_count(const char *args)
{
	if (!*args)
		return HISTORY_DEFAULT;
	char *end;
	long n = strtol(args, &end, 10);
	while (*end == ' ' || *end == '\t')
		end++;
	if (*end || n <= 0 || n > HISTORY_MAX) {
		error_set("history: want a count from 1 to %d, or on or off, not \"%s\"", HISTORY_MAX,
			  args);
		return -1;
	}
	return n;
}

/* An event's place in the timeline: its time, then its place in the answer. */
struct stamp {
	long long time;
	lua_Integer index;
};

static int stamp_cmp(const void *a, const void *b)
{
	const struct stamp *x = a, *y = b;
	if (x->time != y->time)
		return x->time < y->time ? -1 : 1;
	return x->index < y->index ? -1 : x->index > y->index;
}

/*
 * Put the sequence at the top of the stack in time order, keeping the
 * runtime's order among equal times. The runtime merges its rings by
 * timestamp, but within one ring the order of writing can disagree with
 * the timestamps (several threads share the ring of events without a P,
 * and a P's ring passes between threads on CPUs whose clocks may differ
 * slightly). Replaces the sequence with the sorted one. [-1, +1]
 */
static void sort_by_time(lua_State *L)
{
	lua_Integer n = luaL_len(L, -1);
	struct stamp *v = xcalloc((size_t)n + 1, sizeof *v);
	for (lua_Integer i = 1; i <= n; i++) {
		lua_rawgeti(L, -1, i);
		lua_getfield(L, -1, "time");
		v[i - 1].time = (long long)lua_tointeger(L, -1);
		v[i - 1].index = i;
		lua_pop(L, 2);
	}
	qsort(v, (size_t)n, sizeof *v, stamp_cmp);
	lua_createtable(L, (int)n, 0);
	for (lua_Integer i = 0; i < n; i++) {
		lua_rawgeti(L, -2, v[i].index);
		lua_rawseti(L, -2, i + 1);
	}
	lua_remove(L, -2);
	free(v);
}

/* Send the session's history setting to the stopped program. */
static int send_record(session *s)
{
	wire_msg m;
	if (target_request(&s->t, s->history_off ? "record off" : "record on", "ok", &m) < 0)
		return -1;
	wire_msg_free(&m);
	return 0;
}

int history_launch(session *s)
{
	return s->history_off ? send_record(s) : 0;
}

/* history on|off: 0, or -1 with error_set(). */
static int set_history(session *s, int off)
{
	int was = s->history_off;
	if (off == was) {
		if (!s->json)
			printf("history: already %s\n", off ? "off" : "on");
		return 0;
	}
	if (s->t.pid > 0 && cmd_need_stopped(s) < 0)
		return -1;
	s->history_off = off;
	if (s->t.pid > 0 && send_record(s) < 0) {
		s->history_off = was;
		return -1;
	}
	if (!s->json)
		printf(off ? "history: off (events are not recorded; goroutines' since is to a millisecond)\n"
			   : "history: on (recording from the next event)\n");
	return 0;
}

/*
 * Ask the stopped program for its last N events and push them as a Lua
 * sequence in time order; *cut: fewer came because a P's ring no longer
 * holds older events (what came is all there is, complete). 0, or -1 with
 * error_set() and nothing pushed.
 */
static int push_history(session *s, long n, int *cut)
{
	if (cmd_need_stopped(s) < 0)
		return -1;
	if (s->history_off) {
		error_set("history is off (\"history on\" records from the next event)");
		return -1;
	}
	char cmd[32];
	snprintf(cmd, sizeof cmd, "hist %ld", n);
	wire_msg m;
	if (target_request(&s->t, cmd, "hist", &m) < 0)
		return -1;
	*cut = cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(m.root, "cut"));
	int rc = snapshot_events(s->L, m.root);
	wire_msg_free(&m);
	if (rc == 0)
		sort_by_time(s->L);
	return rc;
}

/* An integer field of the table at idx, or DEF. [-0, +0] */
static long long int_field(lua_State *L, int idx, const char *k, long long def)
{
	lua_getfield(L, idx, k);
	long long v = lua_isinteger(L, -1) ? (long long)lua_tointeger(L, -1) : def;
	lua_pop(L, 1);
	return v;
}

/* The id of the model table in field K of the table at idx, or -1. [-0, +0] */
static long long ref_id(lua_State *L, int idx, const char *k)
{
	lua_getfield(L, idx, k);
	long long id = lua_istable(L, -1) ? int_field(L, -1, "id", -1) : -1;
	lua_pop(L, 1);
	return id;
}

/* Append " (what)" for the event facts worth a column. [-0, +0] */
static void add_detail(lua_State *L, int idx, strbuf *b)
{
	static const char *const strs[] = {"waitreason", "reason"};
	for (size_t i = 0; i < 2; i++) {
		lua_getfield(L, idx, strs[i]);
		if (lua_type(L, -1) == LUA_TSTRING)
			sb_printf(b, "  %s", lua_tostring(L, -1));
		lua_pop(L, 1);
	}
	lua_getfield(L, idx, "code");
	if (lua_isinteger(L, -1))
		sb_printf(b, "  status %lld", (long long)lua_tointeger(L, -1));
	lua_pop(L, 1);
	long long from = ref_id(L, idx, "from"), by = ref_id(L, idx, "by");
	long long parent = ref_id(L, idx, "parent");
	if (from >= 0)
		sb_printf(b, "  from P%lld", from);
	if (by >= 0)
		sb_printf(b, "  by G%lld", by);
	if (parent >= 0)
		sb_printf(b, "  by G%lld", parent);
}

/* Append " G7" (padded to WIDTH), or " -" when there is none. */
static void add_id(strbuf *b, char prefix, long long id, int width)
{
	char buf[32];
	if (id >= 0)
		snprintf(buf, sizeof buf, "%c%lld", prefix, id);
	else
		snprintf(buf, sizeof buf, "-");
	sb_printf(b, " %-*s", width, buf);
}

/*
 * One timeline line: time relative to the stop's event, kind, G, P, M and
 * the facts. [-0, +0]
 */
static void print_event(lua_State *L, int idx, long long t0)
{
	strbuf b = {0};
	long long dt = int_field(L, idx, "time", t0) - t0;
	lua_getfield(L, idx, "kind");
	sb_printf(&b, "%+11.3fms  %-9s", (double)dt / 1e6, lua_tostring(L, -1));
	lua_pop(L, 1);
	add_id(&b, 'G', ref_id(L, idx, "g"), 7);
	add_id(&b, 'P', ref_id(L, idx, "p"), 4);
	add_id(&b, 'M', ref_id(L, idx, "m"), 4);
	add_detail(L, idx, &b);
	while (b.len > 0 && b.s[b.len - 1] == ' ')
		b.s[--b.len] = '\0';
	puts(b.s);
	sb_free(&b);
}

/* The timeline of the sequence at SEQ, then how many events it has. */
static void print_history(lua_State *L, int seq, long long t0, int cut)
{
	lua_Integer len = luaL_len(L, seq);
	for (lua_Integer i = 1; i <= len; i++) {
		lua_rawgeti(L, seq, i);
		print_event(L, lua_gettop(L), t0);
		lua_pop(L, 1);
	}
	printf("(%lld event%s before the stop%s; Lua: hist)\n", (long long)len, len == 1 ? "" : "s",
	       cut ? ": the older ones are no longer in every P's history" : "");
}

/* --json: the sequence at SEQ as one line, the stop's time T0 with it. */
static void json_history(lua_State *L, int seq, long long t0, int cut)
{
	cJSON *o = batch_json_new("history", NULL);
	cJSON_AddNumberToObject(o, "time", (double)t0);
	cJSON_AddBoolToObject(o, "cut", cut);
	cJSON_AddItemToObject(o, "events", batch_json_value(L, seq));
	batch_json_emit(o);
}

static int cmd_history_exec(session *s, const char *args)
{
	size_t n_arg = strcspn(args, " \t");
	if (!args[n_arg + strspn(args + n_arg, " \t")] && (word_is(args, n_arg, "on") || word_is(args, n_arg, "off")))
		return set_history(s, args[1] == 'f') < 0 ? -1 : CMD_OK;
	long n = parse_count(args);
	int cut;
	if (n < 0 || push_history(s, n, &cut) < 0)
		return -1;
	lua_State *L = s->L;
	int seq = lua_gettop(L);
	lua_getglobal(L, "ev");
	long long t0 = lua_istable(L, -1) ? int_field(L, -1, "time", 0) : 0;
	lua_pop(L, 1);
	if (s->json)
		json_history(L, seq, t0, cut);
	else
		print_history(L, seq, t0, cut);
	fflush(stdout);
	lua_setglobal(L, "hist"); /* pops the sequence */
	return CMD_OK;
}

/* gs.history([n]) -> the sequence of the last n events (default 20), and
 * whether older ones are cut off (no longer in every P's ring). */
static int gs_history(lua_State *L)
{
	session *s = session_of(L);
	lua_Integer n = luaL_optinteger(L, 1, HISTORY_DEFAULT);
	luaL_argcheck(L, n > 0 && n <= HISTORY_MAX, 1, "count out of range");
	int cut;
	if (push_history(s, (long)n, &cut) < 0)
		return luaL_error(L, "%s", error_msg());
	lua_pushboolean(L, cut);
	return 2;
}

/* Add gs.history to the gs table. [-0, +0] */
void history_open(lua_State *L)
{
	if (lua_getglobal(L, "gs") == LUA_TTABLE) {
		lua_pushcfunction(L, gs_history);
		lua_setfield(L, -2, "history");
	}
	lua_pop(L, 1);
}

const struct cmd_entry cmd_history_entry = {
	.name = "history",
	.alias = NULL,
	.usage = "[N | on | off]",
	.summary = "the last N scheduler events before this stop (default 20); on/off: record them",
	.help = "Show the last N scheduler events before this stop, oldest first, as a\n"
		"timeline: time relative to the stop's event, kind, goroutine, P, M and\n"
		"the event's facts (wait reason, steal victim, readying goroutine...).\n"
		"The runtime keeps the last 4096 events of each P: the timeline stops at\n"
		"the oldest event of a P whose older ones are gone, and says so. The\n"
		"events are also left in the Lua sequence `hist` (each shaped like\n"
		"`ev`); scripts can call gs.history(n).\n"
		"`history off` stops recording events, which is most of what being\n"
		"attached costs the program; breakpoints, steps and stops work as\n"
		"before, but history and gs.history fail, and goroutines' since is\n"
		"only to about a millisecond. `history on` records again, from the\n"
		"next event. The setting holds for every program the session starts\n"
		"(given before the program starts, from its first event); info target\n"
		"shows it.\n"
		"Examples:\n"
		"  history\n"
		"  history 200\n"
		"  history off\n"
		"  for _, e in ipairs(hist) do if e.kind == \"steal\" then print(e.g) end end",
	.exec = cmd_history_exec,
	.class = CMD_CLASS_INSPECTING,
};
