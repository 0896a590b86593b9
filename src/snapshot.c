/*
 * snapshot.c -- a stop message (docs/PROTOCOL.md) turned into the Lua model.
 *
 * Every goroutine, M and P becomes one table, stored by id in the globals g,
 * m and p. Ids that refer to other entities become references to their
 * tables, so the graph can be walked (p[0].m.curg.m == p[0].m); queues are
 * sequences in queue order. The field schema below is the model: it says
 * each field's JSON type and whether it is a reference. Fields the REPL does
 * not know are copied as plain values, so the runtime can add facts freely.
 *
 * The whole build runs inside lua_pcall: a bad message (wrong type, dangling
 * reference) raises a Lua error that becomes error_set(), and the globals
 * keep their previous value.
 */
#include "snapshot.h"
#include "cmd.h"
#include "util.h"
#include "wire.h"

#include <cJSON.h>
#include <lauxlib.h>
#include <stdio.h>
#include <string.h>

#define MT_G "gosched.G"
#define MT_P "gosched.P"
#define MT_M "gosched.M"
#define MT_SET "gosched.set"

/* ------------------------------------------------------------- the schema */

enum ftype {
	F_INT,     /* integer */
	F_STR,     /* string */
	F_BOOL,    /* boolean */
	F_G,       /* goroutine id -> its table (an unknown id is an error) */
	F_M,       /* M id -> its table */
	F_P,       /* P id -> its table */
	F_GANY,    /* goroutine id -> its table, or a stand-in {id, status = "dead"} */
	F_GLIST,   /* goroutine ids -> sequence of tables, in order */
	F_MLIST,   /* M ids -> sequence of tables */
	F_PLIST,   /* P ids -> sequence of tables */
	F_PARENT,  /* goroutine id (0: none) kept as a number; parentg = its table if alive */
};

#define REQ 1 /* must be present and not null */

struct field {
	const char *name;
	unsigned char type, flags;
};

static const struct field g_fields[] = {
	{"id", F_INT, REQ},   {"status", F_STR, REQ}, {"waitreason", F_STR, 0},
	{"waitsince", F_INT, 0}, {"m", F_M, 0},       {"p", F_P, 0},
	{"lockedm", F_M, 0},  {"parent", F_PARENT, 0}, {"startfn", F_STR, 0},
	{"createdby", F_STR, 0}, {"createdat", F_STR, 0}, {"system", F_BOOL, 0},
	{NULL, 0, 0},
};

static const struct field p_fields[] = {
	{"id", F_INT, REQ},   {"status", F_STR, REQ},  {"m", F_M, 0},
	{"runq", F_GLIST, 0}, {"runnext", F_G, 0},     {"schedtick", F_INT, 0},
	{"syscalltick", F_INT, 0}, {"gfree", F_INT, 0}, {"timers", F_INT, 0},
	{NULL, 0, 0},
};

static const struct field m_fields[] = {
	{"id", F_INT, REQ},   {"procid", F_INT, 0},    {"p", F_P, 0},
	{"curg", F_G, 0},     {"spinning", F_BOOL, 0}, {"blocked", F_BOOL, 0},
	{"lockedg", F_G, 0},  {"incgo", F_BOOL, 0},
	{NULL, 0, 0},
};

static const struct field sched_fields[] = {
	{"runq", F_GLIST, 0},   {"gomaxprocs", F_INT, 0}, {"npidle", F_INT, 0},
	{"nmspinning", F_INT, 0}, {"nmidle", F_INT, 0},   {"nmsys", F_INT, 0},
	{"ngoroutines", F_INT, 0}, {"goidgen", F_INT, 0}, {"gcwaiting", F_BOOL, 0},
	{"stopwait", F_INT, 0}, {"sysmonwait", F_BOOL, 0}, {"pidle", F_PLIST, 0},
	{"midle", F_MLIST, 0},
	{NULL, 0, 0},
};

static const struct field ev_fields[] = {
	{"kind", F_STR, REQ}, {"seq", F_INT, 0},      {"time", F_INT, 0},
	{"g", F_GANY, 0},     {"p", F_P, 0},          {"m", F_M, 0},
	{"parent", F_GANY, 0}, {"by", F_GANY, 0},     {"waitreason", F_STR, 0},
	{"from", F_P, 0},     {"reason", F_STR, 0},   {"next", F_BOOL, 0},
	{"code", F_INT, 0},
	{NULL, 0, 0},
};

/* The stop global: only these (the rest of the message is g, m, p, ...). */
static const struct field stop_fields[] = {
	{"reason", F_STR, 0}, {"seq", F_INT, REQ}, {"now", F_INT, 0}, {"gap", F_INT, 0},
	{"frozen", F_INT, 0}, {"unfrozen", F_INT, 0},
	{NULL, 0, 0},
};

static int is_ref(int type)
{
	return type >= F_G;
}

/* ------------------------------------------------------ the load context */

/* Stack slots of the load function: the three id -> table sets. */
enum { SLOT_CTX = 1, SLOT_G, SLOT_M, SLOT_P };

struct load {
	const cJSON *stop;
	snapshot_info *info;
	/* the entity being read, for error messages: "goroutine 17", "g[3]", "sched" */
	const char *entity;
	int index;      /* its index in the message's array, or -1 for a record */
	lua_Integer id; /* its id, once known */
	int has_id;
	int dead;       /* stack index of the stand-ins made so far, by id (0: none kept) */
};

/* The entity being read, in words (formatted only for an error message). */
static const char *entity(struct load *c)
{
	static char buf[64];
	if (c->index < 0)
		return c->entity;
	if (c->has_id)
		snprintf(buf, sizeof buf, "%s %lld", c->entity, (long long)c->id);
	else
		snprintf(buf, sizeof buf, "%s #%d", c->entity, c->index);
	return buf;
}

/* Raise a Lua error about field NAME of the current entity. */
static int bad(lua_State *L, struct load *c, const char *name, const char *msg)
{
	return luaL_error(L, "bad stop message: %s: \"%s\": %s", entity(c), name, msg);
}

/* An integral JSON number that fits a lua_Integer. */
static int json_int(const cJSON *v, lua_Integer *out)
{
	if (!cJSON_IsNumber(v))
		return 0;
	double d = v->valuedouble;
	if (!(d >= -9223372036854775808.0 && d < 9223372036854775808.0))
		return 0;
	lua_Integer i = (lua_Integer)d;
	if ((double)i != d)
		return 0;
	*out = i;
	return 1;
}

int snapshot_push_json(lua_State *L, const cJSON *v, int depth, int null_ud)
{
	lua_Integer i = 0;
	if (depth <= 0 || !lua_checkstack(L, 3))
		return 0;
	if (cJSON_IsBool(v)) {
		lua_pushboolean(L, cJSON_IsTrue(v));
	} else if (json_int(v, &i)) {
		lua_pushinteger(L, i);
	} else if (cJSON_IsNumber(v)) {
		lua_pushnumber(L, (lua_Number)v->valuedouble);
	} else if (cJSON_IsString(v)) {
		lua_pushstring(L, v->valuestring);
	} else if (cJSON_IsArray(v) || cJSON_IsObject(v)) {
		int array = cJSON_IsArray(v);
		lua_createtable(L, array ? cJSON_GetArraySize(v) : 0, 0);
		lua_Integer n = 0;
		for (const cJSON *e = v->child; e; e = e->next) {
			if (!snapshot_push_json(L, e, depth - 1, null_ud))
				return 0;
			if (array)
				lua_rawseti(L, -2, ++n);
			else
				lua_setfield(L, -2, e->string);
		}
	} else if (null_ud) {
		lua_pushlightuserdata(L, NULL);
	} else {
		lua_pushnil(L);
	}
	return 1;
}

/* Push V as plain Lua data (null: nil), or raise a Lua error. [-0, +1] */
static void push_json(lua_State *L, const cJSON *v)
{
	if (!snapshot_push_json(L, v, SNAPSHOT_JSON_DEPTH, 0))
		luaL_error(L, "JSON nesting too deep");
}

/* ---------------------------------------------------------------- fields */

/* Push the scalar field V of type TYPE (nil for null). [-0, +1] */
static void push_scalar(lua_State *L, struct load *c, const struct field *f, const cJSON *v)
{
	lua_Integer i = 0;
	if (cJSON_IsNull(v)) {
		lua_pushnil(L);
	} else if (f->type == F_INT) {
		if (!json_int(v, &i))
			bad(L, c, f->name, "expected an integer");
		lua_pushinteger(L, i);
	} else if (f->type == F_STR) {
		if (!cJSON_IsString(v))
			bad(L, c, f->name, "expected a string");
		lua_pushstring(L, v->valuestring);
	} else {
		if (!cJSON_IsBool(v))
			bad(L, c, f->name, "expected true or false");
		lua_pushboolean(L, cJSON_IsTrue(v));
	}
}

static const char *kind_name(int slot)
{
	return slot == SLOT_G ? "goroutine" : slot == SLOT_M ? "M" : "P";
}

/*
 * Push the table with the id V in the set at SLOT. A missing one is an error
 * unless STANDIN: then push a stand-in goroutine {id = V, status = "dead"}
 * (the event's goroutine may have exited), the same one for every event of
 * a history that names it (c->dead). [-0, +1]
 */
static void push_ref(lua_State *L, struct load *c, const char *name, int slot, const cJSON *v,
		     int standin)
{
	lua_Integer id = 0;
	if (!json_int(v, &id))
		bad(L, c, name, lua_pushfstring(L, "expected a %s id", kind_name(slot)));
	if (lua_rawgeti(L, slot, id) != LUA_TNIL || !standin) {
		if (lua_isnil(L, -1))
			bad(L, c, name, lua_pushfstring(L, "no %s %I in this stop", kind_name(slot),
							(lua_Integer)id));
		return;
	}
	lua_pop(L, 1);
	if (c->dead && lua_rawgeti(L, c->dead, id) == LUA_TTABLE)
		return;
	if (c->dead)
		lua_pop(L, 1);
	lua_createtable(L, 0, 2);
	lua_pushinteger(L, id);
	lua_setfield(L, -2, "id");
	lua_pushliteral(L, "dead");
	lua_setfield(L, -2, "status");
	luaL_setmetatable(L, MT_G);
	if (c->dead) {
		lua_pushvalue(L, -1);
		lua_rawseti(L, c->dead, id);
	}
}

/* Push a sequence of the tables whose ids are in the array V. [-0, +1] */
static void push_list(lua_State *L, struct load *c, const char *name, int slot, const cJSON *v)
{
	if (!cJSON_IsArray(v))
		bad(L, c, name, "expected an array of ids");
	lua_createtable(L, cJSON_GetArraySize(v), 0);
	lua_Integer n = 0;
	for (const cJSON *e = v->child; e; e = e->next) {
		push_ref(L, c, name, slot, e, 0);
		lua_rawseti(L, -2, ++n);
	}
}

/* Set t.parent = the id (nil for 0/null) and t.parentg = its table if alive. [-0, +0] */
static void set_parent(lua_State *L, struct load *c, int t, const cJSON *v)
{
	lua_Integer id = 0;
	if (cJSON_IsNull(v))
		return;
	if (!json_int(v, &id))
		bad(L, c, "parent", "expected a goroutine id");
	if (id == 0)
		return;
	lua_pushinteger(L, id);
	lua_setfield(L, t, "parent");
	lua_rawgeti(L, SLOT_G, id);
	lua_setfield(L, t, "parentg");
}

/* Set the reference field F of table T from V. [-0, +0] */
static void set_ref(lua_State *L, struct load *c, int t, const struct field *f, const cJSON *v)
{
	if (f->type == F_PARENT) {
		set_parent(L, c, t, v);
		return;
	}
	if (cJSON_IsNull(v))
		return;
	switch (f->type) {
	case F_G: push_ref(L, c, f->name, SLOT_G, v, 0); break;
	case F_M: push_ref(L, c, f->name, SLOT_M, v, 0); break;
	case F_P: push_ref(L, c, f->name, SLOT_P, v, 0); break;
	case F_GANY: push_ref(L, c, f->name, SLOT_G, v, 1); break;
	case F_GLIST: push_list(L, c, f->name, SLOT_G, v); break;
	case F_MLIST: push_list(L, c, f->name, SLOT_M, v); break;
	default: push_list(L, c, f->name, SLOT_P, v); break;
	}
	lua_setfield(L, t, f->name);
}

/*
 * The index in SCHEMA (N fields) of the field NAME, or -1. The search starts
 * at *hint, after the field found last: the runtime writes the fields in
 * schema order, so this is usually one comparison.
 */
static int find_field(const struct field *schema, int n, const char *name, int *hint)
{
	for (int i = 0; i < n; i++) {
		int k = (*hint + i) % n;
		if (strcmp(schema[k].name, name) == 0) {
			*hint = k + 1;
			return k;
		}
	}
	return -1;
}

/* Which fields set_fields() handles. */
enum { SET_SCALARS = 1, SET_REFS = 2, SET_UNKNOWN = 4 };

/*
 * Copy the members of OBJ into the table at T: the schema's scalars, its
 * references, and/or members the schema does not know, as WHICH says. A
 * required field that is missing or null is an error. [-0, +0]
 */
static void set_fields(lua_State *L, struct load *c, int t, const cJSON *obj,
		       const struct field *schema, int which)
{
	int n = 0, hint = 0;
	unsigned seen = 0;
	t = lua_absindex(L, t);
	while (schema[n].name)
		n++;
	for (const cJSON *v = obj->child; v; v = v->next) {
		int k = find_field(schema, n, v->string, &hint);
		if (k < 0 && (which & SET_UNKNOWN)) {
			push_json(L, v);
			lua_setfield(L, t, v->string);
		}
		if (k < 0)
			continue;
		const struct field *f = &schema[k];
		if (!cJSON_IsNull(v))
			seen |= 1u << k;
		if (!(which & (is_ref(f->type) ? SET_REFS : SET_SCALARS)))
			continue;
		if (is_ref(f->type)) {
			set_ref(L, c, t, f, v);
			continue;
		}
		push_scalar(L, c, f, v);
		lua_setfield(L, t, f->name);
	}
	for (int k = 0; k < n; k++)
		if ((schema[k].flags & REQ) && !(seen & 1u << k))
			bad(L, c, schema[k].name, "missing");
}

/* ------------------------------------------------------------- entities */

/* The id of the entity OBJ (checked); names it for error messages. */
static lua_Integer entity_id(lua_State *L, struct load *c, const cJSON *obj, int slot, int index)
{
	lua_Integer id = 0;
	c->entity = kind_name(slot);
	c->index = index;
	c->has_id = 0;
	if (!cJSON_IsObject(obj))
		luaL_error(L, "bad stop message: %s: not an object", entity(c));
	if (!json_int(cJSON_GetObjectItemCaseSensitive(obj, "id"), &id))
		bad(L, c, "id", "missing or not an integer");
	c->id = id;
	c->has_id = 1;
	return id;
}

/*
 * First pass over the array ARR of one kind: a table per entity with its
 * scalar fields and metatable, stored by id in the set at SLOT. An entity
 * the set has already is an error, unless KEEP: then it is kept as it is
 * (a goroutine a history answer brought before the rest of its stop's).
 */
static void add_entities(lua_State *L, struct load *c, const cJSON *arr, int slot,
			 const struct field *schema, const char *mt, int keep)
{
	int i = 0;
	for (const cJSON *obj = arr->child; obj; obj = obj->next, i++) {
		lua_Integer id = entity_id(L, c, obj, slot, i);
		int had = lua_rawgeti(L, slot, id) != LUA_TNIL;
		lua_pop(L, 1);
		if (had && keep)
			continue;
		if (had)
			luaL_error(L, "bad stop message: two entries for %s", entity(c));
		lua_createtable(L, 0, 16);
		luaL_setmetatable(L, mt);
		set_fields(L, c, -1, obj, schema, SET_SCALARS | SET_UNKNOWN);
		lua_rawseti(L, slot, id);
	}
}

/* Second pass: the references, now that every entity has its table. */
static void link_entities(lua_State *L, struct load *c, const cJSON *arr, int slot,
			  const struct field *schema)
{
	int i = 0;
	for (const cJSON *obj = arr->child; obj; obj = obj->next, i++) {
		lua_Integer id = entity_id(L, c, obj, slot, i);
		lua_rawgeti(L, slot, id);
		set_fields(L, c, -1, obj, schema, SET_REFS);
		lua_pop(L, 1);
	}
}

/* Set g.p = the P at PT unless the goroutine at G already has one. [-0, +0] */
static void claim(lua_State *L, int g, int pt)
{
	g = lua_absindex(L, g);
	if (lua_getfield(L, g, "p") == LUA_TNIL) {
		lua_pushvalue(L, pt);
		lua_setfield(L, g, "p");
	}
	lua_pop(L, 1);
}

/*
 * The runtime gives a goroutine's p only while it runs; one in a P's run
 * queue or runnext is on that P too. Set it for every P in the set at SLOT_P.
 */
static void derive_queued_p(lua_State *L)
{
	lua_pushnil(L);
	while (lua_next(L, SLOT_P)) {
		int pt = lua_gettop(L);
		if (lua_getfield(L, pt, "runq") == LUA_TTABLE) {
			for (lua_Integer i = 1; lua_rawgeti(L, -1, i) == LUA_TTABLE; i++) {
				claim(L, -1, pt);
				lua_pop(L, 1);
			}
			lua_pop(L, 1); /* the nil after the last */
		}
		lua_pop(L, 1); /* runq */
		if (lua_getfield(L, pt, "runnext") == LUA_TTABLE)
			claim(L, -1, pt);
		lua_pop(L, 2); /* runnext and the P (lua_next's value) */
	}
}

/*
 * m.idle: the M waits in sched.midle for work. Every M in the set at
 * SLOT_M gets false, then those in the list sched.midle of the sched table
 * at SCHED get true. [-0, +0]
 */
static void derive_m_idle(lua_State *L, int sched)
{
	lua_pushnil(L);
	while (lua_next(L, SLOT_M)) {
		lua_pushboolean(L, 0);
		lua_setfield(L, -2, "idle");
		lua_pop(L, 1);
	}
	if (lua_getfield(L, sched, "midle") == LUA_TTABLE) {
		for (lua_Integer i = 1; lua_rawgeti(L, -1, i) == LUA_TTABLE; i++) {
			lua_pushboolean(L, 1);
			lua_setfield(L, -2, "idle");
			lua_pop(L, 1);
		}
		lua_pop(L, 1); /* the nil after the last */
	}
	lua_pop(L, 1);
}

/* A table for a single object (sched, event, stop), all its fields. [-0, +1] */
static void push_record(lua_State *L, struct load *c, const char *what, const cJSON *obj,
			const struct field *schema, int which)
{
	c->entity = what;
	c->index = -1;
	lua_newtable(L);
	set_fields(L, c, -1, obj, schema, which);
}

/* A new id -> table set (its metatable makes # count the entries). [-0, +1] */
static void push_set(lua_State *L)
{
	lua_newtable(L);
	luaL_setmetatable(L, MT_SET);
}

/* ------------------------------------------------------------ the summary */

static void copy_str(char *dst, size_t n, const cJSON *v)
{
	snprintf(dst, n, "%s", cJSON_IsString(v) ? v->valuestring : "");
}

static long long num_or(const cJSON *obj, const char *name, long long dflt)
{
	lua_Integer i = 0;
	return json_int(cJSON_GetObjectItemCaseSensitive(obj, name), &i) ? (long long)i : dflt;
}

/* What to show in parentheses after the event kind. */
static void event_detail(const cJSON *ev, char *buf, size_t n)
{
	const cJSON *wr = cJSON_GetObjectItemCaseSensitive(ev, "waitreason");
	const cJSON *reason = cJSON_GetObjectItemCaseSensitive(ev, "reason");
	long long from = num_or(ev, "from", -1), code = num_or(ev, "code", -1);
	if (cJSON_IsString(wr) || cJSON_IsString(reason))
		copy_str(buf, n, cJSON_IsString(wr) ? wr : reason);
	else if (from >= 0)
		snprintf(buf, n, "from P%lld", from);
	else if (code >= 0)
		snprintf(buf, n, "status %lld", code);
	else
		buf[0] = '\0';
}

/* Fill the C summary (the status line) from a stop already checked by the load. */
static void summarize(const cJSON *stop, snapshot_info *info)
{
	const cJSON *ev = cJSON_GetObjectItemCaseSensitive(stop, "event");
	const cJSON *gs = cJSON_GetObjectItemCaseSensitive(stop, "g");
	memset(info, 0, sizeof *info);
	info->seq = num_or(stop, "seq", 0);
	info->gap = num_or(stop, "gap", 0);
	info->frozen = num_or(stop, "frozen", 0);
	info->unfrozen = num_or(stop, "unfrozen", 0);
	copy_str(info->reason, sizeof info->reason, cJSON_GetObjectItemCaseSensitive(stop, "reason"));
	copy_str(info->kind, sizeof info->kind, cJSON_GetObjectItemCaseSensitive(ev, "kind"));
	event_detail(ev, info->detail, sizeof info->detail);
	info->g = num_or(ev, "g", -1);
	info->p = num_or(ev, "p", -1);
	info->m = num_or(ev, "m", -1);
	const cJSON *count = cJSON_GetObjectItemCaseSensitive(stop, "gcount");
	if (cJSON_IsObject(count)) { /* the goroutines are not all in this message */
		info->ngoroutines = (int)num_or(count, "total", 0);
		info->nrunnable = (int)num_or(count, "runnable", 0);
		info->nrunning = (int)num_or(count, "running", 0);
		return;
	}
	for (const cJSON *g = gs->child; g; g = g->next) {
		const char *st = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(g, "status"));
		info->ngoroutines++;
		info->nrunnable += st && strcmp(st, "runnable") == 0;
		info->nrunning += st && strcmp(st, "running") == 0;
	}
}

/* ------------------------------------------------------------- the load */

/* ------------------------------------------------------ lazy goroutines */

/*
 * A stop's first message carries only the goroutines it refers to; the
 * others follow on a second line that is read when the global g is first
 * used (a stop with 100,000 goroutines reaches the prompt at once). Until
 * then g is absent from _G and its set waits in the registry; _G's __index
 * (snapshot_init) finds the loader for the name in LAZY_KEY.
 */
#define LAZY_KEY "gosched.lazy"       /* name -> loader function */
#define PARTIAL_KEY "gosched.partialg" /* the g set of the first message */
#define PARTIAL_STOP "gosched.partialstop" /* the stop (target.stops) it belongs to */

static int load_rest(lua_State *L);

/* Register the loader FN for the global NAME, or remove it (fn NULL). [-0, +0] */
static void set_lazy(lua_State *L, const char *name, lua_CFunction fn)
{
	lua_getfield(L, LUA_REGISTRYINDEX, LAZY_KEY);
	if (fn)
		lua_pushcfunction(L, fn);
	else
		lua_pushnil(L);
	lua_setfield(L, -2, name);
	lua_pop(L, 1);
}

/* Forget the partial g set (its rest is loaded, or it is of a stop gone). [-0, +0] */
static void forget_partial(lua_State *L)
{
	lua_pushnil(L);
	lua_setfield(L, LUA_REGISTRYINDEX, PARTIAL_KEY);
	set_lazy(L, "g", NULL);
}

/* Park the partial g set at IDX until load_rest is asked for it. [-0, +0] */
static void defer_goroutines(lua_State *L, int idx)
{
	lua_pushvalue(L, idx);
	lua_setfield(L, LUA_REGISTRYINDEX, PARTIAL_KEY);
	lua_pushinteger(L, (lua_Integer)session_of(L)->t.stops);
	lua_setfield(L, LUA_REGISTRYINDEX, PARTIAL_STOP);
	lua_pushnil(L);
	lua_setglobal(L, "g");
	set_lazy(L, "g", load_rest);
}

/* Goroutines loaded late get parentg where the first message could not. */
static void link_parents(lua_State *L, int set)
{
	lua_pushnil(L);
	while (lua_next(L, set)) { /* key, G */
		int gt = lua_gettop(L);
		lua_pushliteral(L, "parentg");
		if (lua_rawget(L, gt) == LUA_TNIL && /* (raw: g_index would load the rest) */
		    lua_getfield(L, gt, "parent") == LUA_TNUMBER &&
		    lua_rawgeti(L, set, lua_tointeger(L, -1)) == LUA_TTABLE)
			lua_setfield(L, gt, "parentg"); /* pops the parent's table */
		lua_settop(L, gt - 1);            /* keep the key for lua_next */
	}
}

/* The protected part of load_rest: arg 1 the struct load, 2 the partial set. */
static int merge_rest(lua_State *L)
{
	struct load *c = lua_touserdata(L, SLOT_CTX);
	lua_getglobal(L, "m"); /* SLOT_M */
	lua_getglobal(L, "p"); /* SLOT_P */
	const cJSON *arr = wire_member(c->stop, "g");
	add_entities(L, c, arr, SLOT_G, g_fields, MT_G, 1);
	link_entities(L, c, arr, SLOT_G, g_fields);
	link_parents(L, SLOT_G);
	return 0;
}

/*
 * The loader of g: read the stop's second line and add its goroutines to
 * the set of the first. Sets and returns the global g. [-0, +1]
 */
static int load_rest(lua_State *L)
{
	session *s = session_of(L);
	lua_getfield(L, LUA_REGISTRYINDEX, PARTIAL_KEY);
	if (!lua_istable(L, -1))
		return luaL_error(L, "no stop to load goroutines for");
	int set = lua_gettop(L);
	lua_getfield(L, LUA_REGISTRYINDEX, PARTIAL_STOP);
	unsigned long stop = (unsigned long)lua_tointeger(L, -1);
	lua_pop(L, 1);
	wire_msg m;
	if (target_goroutines(&s->t, stop, &m) < 0)
		return luaL_error(L, "%s", error_msg());
	struct load c = {.stop = m.root};
	lua_pushcfunction(L, merge_rest);
	lua_pushlightuserdata(L, &c);
	lua_pushvalue(L, set);
	int rc = lua_pcall(L, 2, 0, 0);
	wire_msg_free(&m);
	if (rc != LUA_OK)
		return lua_error(L);
	forget_partial(L);
	lua_pushvalue(L, set);
	lua_setglobal(L, "g");
	return 1;
}

/* __index of _G: a lazy global is loaded on first use. [-0, +1] */
static int lazy_index(lua_State *L)
{
	lua_getfield(L, LUA_REGISTRYINDEX, LAZY_KEY);
	if (lua_getfield(L, -1, luaL_checkstring(L, 2)) != LUA_TFUNCTION)
		return 1; /* nil: not a lazy global either */
	lua_call(L, 0, 1);
	return 1;
}


/*
 * The protected body of snapshot_load: arg 1 is the struct load. Builds
 * the three sets, links them, builds sched, ev and stop, and only then sets
 * the globals.
 */
static int load_stop(lua_State *L)
{
	struct load *c = lua_touserdata(L, SLOT_CTX);
	const cJSON *stop = c->stop;
	const cJSON *gs = wire_member(stop, "g"), *ms = wire_member(stop, "m"), *ps = wire_member(stop, "p");

	push_set(L); /* SLOT_G */
	push_set(L); /* SLOT_M */
	push_set(L); /* SLOT_P */
	add_entities(L, c, gs, SLOT_G, g_fields, MT_G, 0);
	add_entities(L, c, ms, SLOT_M, m_fields, MT_M, 0);
	add_entities(L, c, ps, SLOT_P, p_fields, MT_P, 0);
	link_entities(L, c, gs, SLOT_G, g_fields);
	link_entities(L, c, ms, SLOT_M, m_fields);
	link_entities(L, c, ps, SLOT_P, p_fields);
	derive_queued_p(L);

	push_record(L, c, "sched", wire_member(stop, "sched"), sched_fields,
		    SET_SCALARS | SET_REFS | SET_UNKNOWN);
	derive_m_idle(L, lua_gettop(L));
	push_record(L, c, "event", wire_member(stop, "event"), ev_fields,
		    SET_SCALARS | SET_REFS | SET_UNKNOWN);
	push_record(L, c, "stop", stop, stop_fields, SET_SCALARS);
	lua_pushinteger(L, (lua_Integer)monotonic_ns()); /* stop.ready: the model is ready (same clock as ev.time) */
	lua_setfield(L, -2, "ready");

	static const char *const names[] = {"stop", "ev", "sched", "p", "m"};
	for (int i = 0; i < 5; i++)
		lua_setglobal(L, names[i]); /* pops stop, ev, sched, p, m */
	forget_partial(L);
	if (cJSON_IsTrue(wire_member(stop, "more")))
		defer_goroutines(L, SLOT_G); /* the rest comes on the next line, when asked */
	else
		lua_setglobal(L, "g");
	lua_pushnil(L);
	lua_setglobal(L, "hist"); /* the last `history` was of another stop */
	summarize(stop, c->info);
	return 0;
}

/* Run load_stop protected; a Lua error (bad message, no memory) becomes error_set(). */
int snapshot_load(lua_State *L, const cJSON *stop, snapshot_info *info)
{
	struct load c = {.stop = stop, .info = info};
	if (!cJSON_IsObject(stop) || !cJSON_IsArray(wire_member(stop, "g")) ||
	    !cJSON_IsArray(wire_member(stop, "m")) || !cJSON_IsArray(wire_member(stop, "p")) ||
	    !cJSON_IsObject(wire_member(stop, "sched")) || !cJSON_IsObject(wire_member(stop, "event"))) {
		error_set("bad stop message: needs arrays g, m, p and objects sched, event");
		return -1;
	}
	lua_pushcfunction(L, load_stop);
	lua_pushlightuserdata(L, &c);
	if (lua_pcall(L, 1, 0, 0) != LUA_OK) {
		error_set("%s", lua_tostring(L, -1) ? lua_tostring(L, -1) : "error building the snapshot");
		lua_pop(L, 1);
		return -1;
	}
	return 0;
}

/* The program is gone: so is its model. Setting a global to nil cannot fail. */
void snapshot_clear(lua_State *L)
{
	forget_partial(L);
	static const char *const names[] = {"g", "m", "p", "sched", "ev", "stop", "hist"};
	for (int i = 0; i < 7; i++) {
		lua_pushnil(L);
		lua_setglobal(L, names[i]);
	}
}

/* ---------------------------------------------------------- metatables */

/*
 * Push t.a.b.c for the dotted PATH, by raw gets; nil as soon as a step is
 * not a table. [-0, +1]
 */
static void push_path(lua_State *L, int t, const char *path)
{
	lua_pushvalue(L, t);
	for (const char *s = path; s;) {
		const char *dot = strchr(s, '.');
		size_t n = dot ? (size_t)(dot - s) : strlen(s);
		if (!lua_istable(L, -1)) {
			lua_pop(L, 1);
			lua_pushnil(L);
			return;
		}
		lua_pushlstring(L, s, n);
		lua_rawget(L, -2);
		lua_remove(L, -2);
		s = dot ? dot + 1 : NULL;
	}
}

/*
 * Append FMT (one %s) formatted with the value at PATH of the table at T to
 * the string on top of the stack, if that value is a string, number or
 * boolean. Returns whether it appended. [-0, +0]
 */
static int add(lua_State *L, int t, const char *fmt, const char *path)
{
	push_path(L, t, path);
	int type = lua_type(L, -1);
	if (type == LUA_TBOOLEAN) {
		lua_pushstring(L, lua_toboolean(L, -1) ? "true" : "false");
		lua_remove(L, -2);
	} else if (type != LUA_TSTRING && type != LUA_TNUMBER) {
		lua_pop(L, 1);
		return 0;
	}
	lua_pushfstring(L, fmt, lua_tostring(L, -1));
	lua_remove(L, -2);
	lua_concat(L, 2);
	return 1;
}

/* Append FMT (one %d) with the length of the sequence at PATH, if a table. [-0, +0] */
static void add_len(lua_State *L, int t, const char *fmt, const char *path)
{
	push_path(L, t, path);
	if (lua_istable(L, -1)) {
		lua_pushfstring(L, fmt, (int)lua_rawlen(L, -1));
		lua_remove(L, -2);
		lua_concat(L, 2);
	} else {
		lua_pop(L, 1);
	}
}

/* __tostring: G42 waiting(chan receive) main.worker created by main.main at f.go:17 */
static int g_tostring(lua_State *L)
{
	luaL_checktype(L, 1, LUA_TTABLE);
	lua_pushliteral(L, "");
	add(L, 1, "G%s", "id");
	add(L, 1, " %s", "status");
	add(L, 1, "(%s)", "waitreason");
	add(L, 1, " %s", "startfn");
	if (add(L, 1, " created by %s", "createdby"))
		add(L, 1, " at %s", "createdat");
	return 1;
}

/* __tostring: P0 running M0 curg=G5 runq=3 runnext=G7 schedtick=123 */
static int p_tostring(lua_State *L)
{
	luaL_checktype(L, 1, LUA_TTABLE);
	lua_pushliteral(L, "");
	add(L, 1, "P%s", "id");
	add(L, 1, " %s", "status");
	add(L, 1, " M%s", "m.id");
	add(L, 1, " curg=G%s", "m.curg.id");
	add_len(L, 1, " runq=%d", "runq");
	add(L, 1, " runnext=G%s", "runnext.id");
	add(L, 1, " schedtick=%s", "schedtick");
	return 1;
}

/* __tostring: M0 procid=1234 P0 curg=G5 spinning=false */
static int m_tostring(lua_State *L)
{
	luaL_checktype(L, 1, LUA_TTABLE);
	lua_pushliteral(L, "");
	add(L, 1, "M%s", "id");
	add(L, 1, " procid=%s", "procid");
	add(L, 1, " P%s", "p.id");
	add(L, 1, " curg=G%s", "curg.id");
	add(L, 1, " spinning=%s", "spinning");
	return 1;
}

/* __len of g, m and p: the number of entries (p starts at 0, g is sparse). */
static int set_len(lua_State *L)
{
	lua_Integer n = 0;
	luaL_checktype(L, 1, LUA_TTABLE);
	lua_pushnil(L);
	while (lua_next(L, 1)) {
		lua_pop(L, 1);
		n++;
	}
	lua_pushinteger(L, n);
	return 1;
}

/*
 * __index of a goroutine (upvalue 1: G's methods, also its metatable's
 * __methods): a method, or parentg
 * when the load could not link it because the parent was not among the
 * goroutines loaded yet (a stop's first message, a history's): it is
 * looked up in g, which loads the rest, and kept.
 */
static int g_index(lua_State *L)
{
	const char *k = lua_tostring(L, 2);
	if (!k || strcmp(k, "parentg") != 0) {
		lua_pushvalue(L, 2);
		lua_rawget(L, lua_upvalueindex(1));
		return 1;
	}
	lua_getfield(L, 1, "parent");
	lua_Integer parent = lua_isinteger(L, -1) ? lua_tointeger(L, -1) : 0;
	if (parent == 0 || lua_getglobal(L, "g") != LUA_TTABLE) {
		lua_pushnil(L);
		return 1;
	}
	if (lua_rawgeti(L, -1, parent) == LUA_TTABLE) {
		lua_pushvalue(L, -1);
		lua_setfield(L, 1, "parentg"); /* (a raw set: the table has no __newindex) */
	}
	return 1;
}

void snapshot_g_method(lua_State *L, const char *name, lua_CFunction fn)
{
	luaL_getmetatable(L, MT_G);
	lua_getfield(L, -1, "__methods");
	lua_pushcfunction(L, fn);
	lua_setfield(L, -2, name);
	lua_pop(L, 2);
}

/* The metatables every snapshot shares: G, P, M (__tostring, __name), sets (__len). */
void snapshot_init(lua_State *L)
{
	static const struct {
		const char *name;
		lua_CFunction fn;
		const char *event;
	} mts[] = {
		{MT_G, g_tostring, "__tostring"},
		{MT_P, p_tostring, "__tostring"},
		{MT_M, m_tostring, "__tostring"},
		{MT_SET, set_len, "__len"},
	};
	for (size_t i = 0; i < sizeof mts / sizeof mts[0]; i++) {
		luaL_newmetatable(L, mts[i].name); /* sets __name */
		lua_pushcfunction(L, mts[i].fn);
		lua_setfield(L, -2, mts[i].event);
		lua_pop(L, 1);
	}
	luaL_getmetatable(L, MT_G);
	lua_newtable(L); /* the methods (snapshot_g_method), also for completion */
	lua_pushvalue(L, -1);
	lua_setfield(L, -3, "__methods");
	lua_pushcclosure(L, g_index, 1);
	lua_setfield(L, -2, "__index");
	lua_pop(L, 1);
	lua_newtable(L);
	lua_setfield(L, LUA_REGISTRYINDEX, LAZY_KEY);
	lua_pushglobaltable(L);
	lua_createtable(L, 0, 1);
	lua_pushcfunction(L, lazy_index);
	lua_setfield(L, -2, "__index");
	lua_setmetatable(L, -2);
	lua_pop(L, 1);
}

/* A model table is told by its metatable (by identity, not by __name). [-0, +0] */
int snapshot_kind(lua_State *L, int idx)
{
	static const char *const mt[] = {NULL, MT_G, MT_P, MT_M};
	if (!lua_istable(L, idx) || !lua_getmetatable(L, idx))
		return SNAP_NONE;
	for (int k = SNAP_G; k <= SNAP_M; k++) {
		luaL_getmetatable(L, mt[k]);
		int same = lua_rawequal(L, -1, -2);
		lua_pop(L, 1);
		if (same) {
			lua_pop(L, 1);
			return k;
		}
	}
	lua_pop(L, 1);
	return SNAP_NONE;
}

/* ------------------------------------------------------------- history */

/*
 * Ids in an event that the current model no longer has (an M whose thread
 * exited, a P removed by GOMAXPROCS) become null, so the history of a
 * stop can always be loaded. Goroutines need no help: a gone one becomes a
 * stand-in {id, status = "dead"}.
 */
static void drop_gone_ids(lua_State *L, cJSON *ev)
{
	static const struct { const char *field, *set; } refs[] = {
		{"p", "p"}, {"from", "p"}, {"m", "m"},
	};
	for (size_t i = 0; i < sizeof refs / sizeof refs[0]; i++) {
		cJSON *v = cJSON_GetObjectItemCaseSensitive(ev, refs[i].field);
		if (!cJSON_IsNumber(v))
			continue;
		int gone = 1;
		if (lua_getglobal(L, refs[i].set) == LUA_TTABLE) { /* +1 */
			gone = lua_rawgeti(L, -1, (lua_Integer)v->valuedouble) == LUA_TNIL; /* +1 */
			lua_pop(L, 1);
		}
		lua_pop(L, 1);
		if (gone)
			cJSON_ReplaceItemInObjectCaseSensitive(ev, refs[i].field, cJSON_CreateNull());
	}
}

/*
 * Push the goroutines of the stop for a history answer (SLOT_G): while the
 * rest of them is not loaded, the set of its first message plus the
 * goroutines the answer brings (GS), so that a history does not load all
 * 100,000; else (or if the answer brings none: too many) the global g.
 * [-0, +1]
 */
static void push_history_gs(lua_State *L, const cJSON *gs)
{
	lua_getfield(L, LUA_REGISTRYINDEX, PARTIAL_KEY);
	if (!cJSON_IsArray(gs) || !lua_istable(L, -1)) {
		lua_pop(L, 1);
		lua_getglobal(L, "g");
	}
}

/* The protected body of snapshot_events: arg 1 is the struct load, whose
 * stop is the answer. */
static int load_events(lua_State *L)
{
	struct load *c = lua_touserdata(L, SLOT_CTX);
	const cJSON *gs = wire_member(c->stop, "g");
	push_history_gs(L, gs); /* SLOT_G */
	lua_getglobal(L, "m"); /* SLOT_M */
	lua_getglobal(L, "p"); /* SLOT_P */
	for (int slot = SLOT_G; slot <= SLOT_P; slot++)
		if (!lua_istable(L, slot))
			return luaL_error(L, "no stop to relate the history to");
	if (cJSON_IsArray(gs)) {
		add_entities(L, c, gs, SLOT_G, g_fields, MT_G, 1);
		link_entities(L, c, gs, SLOT_G, g_fields);
		link_parents(L, SLOT_G); /* (both ways: old and new goroutines) */
	}
	c->entity = "event";
	c->index = -1;
	lua_newtable(L);
	c->dead = lua_gettop(L);
	int n = 0;
	lua_newtable(L); /* the sequence */
	for (const cJSON *e = wire_member(c->stop, "events")->child; e; e = e->next) {
		if (!cJSON_IsObject(e))
			return luaL_error(L, "bad history message: an event is not an object");
		push_record(L, c, "event", e, ev_fields, SET_SCALARS | SET_REFS | SET_UNKNOWN);
		lua_rawseti(L, -2, ++n);
	}
	return 1;
}

/*
 * Push the events of a "hist" answer HIST (its array "events", oldest
 * first) as a Lua sequence of event tables shaped like ev, their g/p/m
 * being the current model's tables (the goroutines it brings join them).
 * 0, or -1 with error_set() and nothing pushed.
 */
int snapshot_events(lua_State *L, cJSON *hist)
{
	cJSON *events = cJSON_GetObjectItemCaseSensitive(hist, "events");
	if (!cJSON_IsArray(events)) {
		error_set("bad history message: no \"events\" array");
		return -1;
	}
	for (cJSON *e = events->child; e; e = e->next)
		drop_gone_ids(L, e);
	struct load c = {.stop = hist, .entity = "event", .index = -1};
	lua_pushcfunction(L, load_events);
	lua_pushlightuserdata(L, &c);
	if (lua_pcall(L, 1, 1, 0) != LUA_OK) {
		error_set("%s", lua_tostring(L, -1) ? lua_tostring(L, -1) : "error loading the history");
		lua_pop(L, 1);
		return -1;
	}
	return 0;
}
