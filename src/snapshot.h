/*
 * snapshot.h -- a stop message turned into the Lua model: the globals g, m,
 * p (goroutines, Ms and Ps by id), sched, ev and stop, with cross references
 * as real table references (p[0].m.curg.m == p[0].m).
 */
#ifndef GOSCHED_SNAPSHOT_H
#define GOSCHED_SNAPSHOT_H

#include <lua.h>

struct cJSON;

/* What a table of the model is (snapshot_kind()). */
enum snapshot_kind { SNAP_NONE, SNAP_G, SNAP_P, SNAP_M };

/* The facts of a stop the REPL shows without asking Lua. */
typedef struct snapshot_info {
	long long seq, gap, frozen, unfrozen;
	char reason[16];      /* stop.reason: step, break or interrupt (Ctrl-C) */
	char kind[16];        /* ev.kind: create, start, park, ... */
	char detail[64];      /* ev.waitreason (park), ev.reason (gcstop, gcstart, deadlock),
	                         "from P1" (steal), or "" */
	long long g, p, m;    /* ev.g, ev.p, ev.m ids; -1 when null */
	int ngoroutines;      /* entries of g */
	int nrunnable, nrunning;
} snapshot_info;

/* Register the metatables (gosched.G/P/M/set); may raise a Lua error. */
void snapshot_init(lua_State *L);
/* Build the model from a decoded stop message and set the globals;
 * 0, or -1 with error_set() (the globals are then left unchanged). */
int snapshot_load(lua_State *L, const struct cJSON *stop, snapshot_info *info);
/* Give goroutine tables the method NAME (g:NAME()). */
void snapshot_g_method(lua_State *L, const char *name, lua_CFunction fn);
/* Set the model's globals to nil (the program is gone). */
void snapshot_clear(lua_State *L);
/* Push the events of a "hist" answer as a sequence of ev-shaped tables
 * linked to the current model; 0, or -1 with error_set(). */
int snapshot_events(lua_State *L, struct cJSON *hist);
/* Push the JSON V as plain Lua data: objects and arrays as tables (arrays
 * 1-based), integral numbers as integers, null as nil or, with NULL_UD, as
 * the NULL light userdata (gs.null). 0 if V is nested deeper than DEPTH or
 * Lua's stack cannot grow (part of it may be left pushed), else 1. */
int snapshot_push_json(lua_State *L, const struct cJSON *v, int depth, int null_ud);
#define SNAPSHOT_JSON_DEPTH 200

/* The kind of the value at idx: SNAP_G/P/M for model tables, else SNAP_NONE. */
int snapshot_kind(lua_State *L, int idx);

#endif
