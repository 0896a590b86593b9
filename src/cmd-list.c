/*
 * cmd-list.c -- `goroutines [-group BY] [-n N] [FILTER]` (alias gs): the
 * goroutines of this stop, one line each, those a Lua filter keeps, or
 * counted per group (status, waitreason, startfn, createdby, any field)
 * with a bounded number of members shown. The output is always bounded.
 *
 * The filter is a Lua expression evaluated once per goroutine with the
 * goroutine's fields as variables (status, waitreason, ...; a field the
 * goroutine lacks is nil, not the global of that name), the goroutine
 * itself as G, and the globals for every other name:
 *     gs status == "waiting" and waitreason:find("chan")
 *
 * Under --json the listing is one line: {"type":"goroutines","items":[...],
 * "more":N,"count":N,"total":N}, or with -group "groups":[{"key":KEY,
 * "count":N,"items":[...],"more":N}]; "more" says how many -n left out.
 */
#include "batch.h"
#include "cmd.h"
#include "util.h"

#include <cJSON.h>
#include <errno.h>
#include <lauxlib.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define FLAT_MAX 100 /* goroutines listed without -group (default of -n) */
#define GROUP_MAX 10 /* members listed per group (default of -n with -group) */

/* The group keys -group offers first (any field works). */
const char *const cmd_group_keys[] = {"status", "waitreason", "startfn", "createdby", NULL};

/* What the command line asked for, handed to the protected body. */
struct listing {
	const char *filter; /* a Lua expression, or NULL */
	char *group;        /* -group BY, or NULL */
	long max;           /* members shown (per group); 0: all, -1: the default */
	lua_Integer evg;    /* the event's goroutine (marked *), or -1 */
	strbuf out;
	cJSON *json;        /* --json: the line, instead of out */
	cJSON *items;       /* --json: the array goroutines go to */
	cJSON *groups;      /* --json: the array of groups */
};

/* Stack slots of the protected body. */
enum { SLOT_LISTING = 1, SLOT_G, SLOT_FILTER, SLOT_INDEX, SLOT_IDS };

/* ------------------------------------------------------------ arguments */

/* Does W start with an option: '-' and a letter? */
static int is_option(const char *w)
{
	return w[0] == '-' && ((w[1] >= 'a' && w[1] <= 'z') || (w[1] >= 'A' && w[1] <= 'Z'));
}

/* Is the word W (N bytes) the option NAME? */
static int option_is(const char *w, size_t n, const char *name)
{
	return strlen(name) == n && strncmp(w, name, n) == 0;
}

/*
 * Parse the -options at the start of ARGS into *L; the rest is the filter.
 * -1 with error_set() for an unknown option or a missing value.
 */
static int parse_options(const char *args, struct listing *l)
{
	const char *w = args;
	while (is_option(w)) {
		size_t n = strcspn(w, " \t");
		const char *val = w + n + strspn(w + n, " \t");
		size_t vn = strcspn(val, " \t");
		if (option_is(w, n, "-group")) {
			if (vn == 0) {
				error_set("goroutines: -group needs a field, as in -group status");
				return -1;
			}
			free(l->group);
			l->group = xasprintf("%.*s", (int)vn, val);
		} else if (option_is(w, n, "-n")) {
			errno = 0;
			long v = strtol(val, NULL, 10);
			if (vn == 0 || strspn(val, "0123456789") < vn || errno == ERANGE || v > INT_MAX) {
				error_set("goroutines: -n needs a count (0: all), not \"%.*s\"", (int)vn, val);
				return -1;
			}
			l->max = v;
		} else {
			error_set("goroutines: unknown option %.*s (usage: goroutines %s)", (int)n, w,
				  cmd_goroutines_entry.usage);
			return -1;
		}
		w = val + vn + strspn(val + vn, " \t");
	}
	l->filter = *w ? w : NULL;
	return 0;
}

/* --------------------------------------------------------------- filter */

static int is_g_field(const char *k)
{
	for (const char *const *f = cmd_g_fields; *f; f++)
		if (strcmp(*f, k) == 0)
			return 1;
	return 0;
}

/*
 * __index of the filter's environment (upvalue 1: the goroutine being
 * tested, 2: the globals): its field, itself as G, nil for a field it
 * lacks, else the global. Raw reads only.
 */
static int filter_index(lua_State *L)
{
	lua_pushvalue(L, 2);
	if (lua_rawget(L, lua_upvalueindex(1)) != LUA_TNIL)
		return 1;
	const char *k = lua_tostring(L, 2);
	if (lua_type(L, 2) == LUA_TSTRING && strcmp(k, "G") == 0) {
		lua_pushvalue(L, lua_upvalueindex(1));
		return 1;
	}
	if (lua_type(L, 2) == LUA_TSTRING && is_g_field(k))
		return 1; /* the nil */
	lua_pushvalue(L, 2);
	lua_rawget(L, lua_upvalueindex(2));
	return 1;
}

/*
 * Push the compiled filter (SLOT_FILTER), its _ENV being a table whose
 * __index is the filter_index closure pushed next (SLOT_INDEX); two nils
 * without a filter. [-0, +2]
 */
static void load_filter(lua_State *L, const char *filter)
{
	if (!filter) {
		lua_pushnil(L);
		lua_pushnil(L);
		return;
	}
	const char *code = lua_pushfstring(L, "return %s", filter);
	if (luaL_loadbuffer(L, code, strlen(code), "=filter") != LUA_OK)
		luaL_error(L, "goroutines: bad filter: %s", lua_tostring(L, -1));
	lua_remove(L, -2);                    /* chunk */
	lua_pushboolean(L, 0);                /* upvalue 1: the goroutine, set per call */
	lua_pushglobaltable(L);               /* upvalue 2 */
	lua_pushcclosure(L, filter_index, 2); /* chunk, index */
	lua_newtable(L);                      /* chunk, index, env */
	lua_createtable(L, 0, 1);             /* chunk, index, env, mt */
	lua_pushvalue(L, -3);
	lua_setfield(L, -2, "__index");
	lua_setmetatable(L, -2);              /* chunk, index, env */
	lua_setupvalue(L, -3, 1);             /* chunk._ENV = env; chunk, index */
}

/* Does the goroutine at IDX pass the filter? [-0, +0] */
static int keep(lua_State *L, int idx)
{
	if (lua_isnil(L, SLOT_FILTER))
		return 1;
	lua_pushvalue(L, idx);
	lua_setupvalue(L, SLOT_INDEX, 1);
	lua_pushvalue(L, SLOT_FILTER);
	lua_call(L, 0, 1);
	int ok = lua_toboolean(L, -1);
	lua_pop(L, 1);
	return ok;
}

/* ------------------------------------------------------------- listing */

static int cmp_int(const void *a, const void *b)
{
	lua_Integer x = *(const lua_Integer *)a, y = *(const lua_Integer *)b;
	return (x > y) - (x < y);
}

/*
 * Push a userdata holding the ids of the goroutines in g that pass the
 * filter, sorted (SLOT_IDS); *n gets their number, *total that of g. g is
 * walked with pairs() and read with g[id] (lua_geti), so a g that gets its
 * goroutines on demand through metamethods is seen whole.
 */
static lua_Integer *matching_ids(lua_State *L, size_t *n, size_t *total)
{
	lua_newtable(L); /* the matching ids, for now */
	int list = lua_gettop(L);
	*n = *total = 0;
	lua_getglobal(L, "pairs");
	lua_pushvalue(L, SLOT_G);
	lua_call(L, 1, 3); /* iter, state, control */
	for (;;) {
		lua_pushvalue(L, -3);
		lua_pushvalue(L, -3);
		lua_pushvalue(L, -3);
		lua_call(L, 2, 2); /* iter, state, control, key, value */
		if (lua_isnil(L, -2)) {
			lua_pop(L, 5);
			break;
		}
		lua_pushvalue(L, -2);
		lua_replace(L, -4); /* the key is the next control */
		(*total)++;
		if (lua_isinteger(L, -2) && keep(L, -1)) {
			lua_pushvalue(L, -2);
			lua_rawseti(L, list, (lua_Integer)++*n);
		}
		lua_pop(L, 2);
	}
	lua_Integer *ids = lua_newuserdatauv(L, (*n ? *n : 1) * sizeof *ids, 0);
	for (size_t i = 0; i < *n; i++) {
		lua_rawgeti(L, list, (lua_Integer)i + 1);
		ids[i] = lua_tointeger(L, -1);
		lua_pop(L, 1);
	}
	lua_remove(L, list); /* the userdata takes its slot */
	qsort(ids, *n, sizeof *ids, cmp_int);
	return ids;
}

/* Append one goroutine line: INDENT, the mark (* for the event's), its
 * form; under --json, its fields to l->items. */
static void add_goroutine(lua_State *L, struct listing *l, lua_Integer id, const char *indent)
{
	lua_geti(L, SLOT_G, id);
	if (l->json) {
		cJSON_AddItemToArray(l->items, batch_json_value(L, -1));
		lua_pop(L, 1);
		return;
	}
	sb_printf(&l->out, "%s%s%s\n", indent, id == l->evg ? "* " : "  ",
		  luaL_tolstring(L, -1, NULL));
	lua_pop(L, 2);
}

static const char *plural(size_t n)
{
	return n == 1 ? "" : "s";
}

/* "12 goroutines", or "5 of 12 goroutines" when a filter chose; under
 * --json "count" and "total". */
static void add_count(struct listing *l, size_t n, size_t total)
{
	if (l->json) {
		cJSON_AddNumberToObject(l->json, "count", (double)n);
		cJSON_AddNumberToObject(l->json, "total", (double)total);
	} else if (l->filter)
		sb_printf(&l->out, "%zu of %zu goroutine%s\n", n, total, plural(total));
	else
		sb_printf(&l->out, "%zu goroutine%s\n", n, plural(n));
}

/* Without -group: the goroutines one line each, at most l->max. */
static void add_flat(lua_State *L, struct listing *l, const lua_Integer *ids, size_t n,
		     size_t total)
{
	size_t max = l->max > 0 ? (size_t)l->max : n;
	if (l->json)
		l->items = cJSON_AddArrayToObject(l->json, "items");
	for (size_t i = 0; i < n && i < max; i++)
		add_goroutine(L, l, ids[i], "");
	if (l->json)
		cJSON_AddNumberToObject(l->json, "more", (double)(n > max ? n - max : 0));
	else if (n > max)
		sb_printf(&l->out, "… and %zu more (-n 0 lists them all)\n", n - max);
	add_count(l, n, total);
}

/* One group of the -group listing. */
struct group {
	const char *key; /* held by the groups table */
	size_t count;
	int ref;         /* its member sequence: index in the members table */
};

/* Groups sort by size, largest first, then by key. */
static int cmp_group(const void *a, const void *b)
{
	const struct group *x = a, *y = b;
	if (x->count != y->count)
		return x->count < y->count ? 1 : -1;
	return strcmp(x->key, y->key);
}

/* Push the group key of the goroutine ID: its field BY as text. [-0, +1] */
static void push_key(lua_State *L, lua_Integer id, const char *by)
{
	lua_geti(L, SLOT_G, id);
	lua_getfield(L, -1, by);
	strbuf b = {0};
	if (lua_isnil(L, -1))
		sb_puts(&b, "(none)");
	else if (lua_type(L, -1) == LUA_TSTRING)
		sb_puts(&b, lua_tostring(L, -1));
	else
		luaenv_add_inline(L, -1, &b);
	lua_pop(L, 2);
	lua_pushstring(L, b.s);
	sb_free(&b);
}

/* The groups being counted: a userdata array, and two Lua tables (on the
 * stack, so they are collected whatever happens). */
struct groups {
	struct group *v;
	size_t n;
	int byindex; /* stack index: key -> group number (from 1) */
	int members; /* stack index: group number -> sequence of member ids */
	size_t max;  /* members kept per group */
};

/* The group of the goroutine ID (made on first sight): its index in GS->v. */
static size_t group_of(lua_State *L, struct groups *gs, lua_Integer id, const char *by)
{
	push_key(L, id, by);
	lua_pushvalue(L, -1);
	lua_rawget(L, gs->byindex);
	size_t k = (size_t)lua_tointeger(L, -1); /* 0 for nil: a new group */
	lua_pop(L, 1);
	if (k == 0) {
		k = ++gs->n;
		lua_pushvalue(L, -1);
		lua_pushinteger(L, (lua_Integer)k);
		lua_rawset(L, gs->byindex); /* which keeps the key string alive */
		gs->v[k - 1] = (struct group){.key = lua_tostring(L, -1), .ref = (int)k};
		lua_newtable(L);
		lua_rawseti(L, gs->members, (lua_Integer)k);
	}
	lua_pop(L, 1);
	return k - 1;
}

/* Count the goroutine ID in its group, and keep it if the group has room. */
static void add_member(lua_State *L, struct groups *gs, lua_Integer id, const char *by)
{
	struct group *gr = &gs->v[group_of(L, gs, id, by)];
	if (gr->count++ >= gs->max)
		return;
	lua_rawgeti(L, gs->members, gr->ref);
	lua_pushinteger(L, id);
	lua_rawseti(L, -2, (lua_Integer)gr->count);
	lua_pop(L, 1);
}

/* Append one group: "KEY: N goroutines", its members, how many more; under
 * --json an object {key, count, items, more} to l->groups. */
static void add_group(lua_State *L, struct listing *l, struct groups *gs, const struct group *gr)
{
	cJSON *o = l->json ? cJSON_CreateObject() : NULL;
	if (o) {
		cJSON_AddItemToArray(l->groups, o);
		cJSON_AddStringToObject(o, "key", gr->key);
		cJSON_AddNumberToObject(o, "count", (double)gr->count);
		l->items = cJSON_AddArrayToObject(o, "items");
	} else {
		sb_printf(&l->out, "%s: %zu goroutine%s\n", gr->key, gr->count, plural(gr->count));
	}
	lua_rawgeti(L, gs->members, gr->ref);
	for (lua_Integer j = 1; lua_rawgeti(L, -1, j) != LUA_TNIL; j++) {
		add_goroutine(L, l, lua_tointeger(L, -1), "  ");
		lua_pop(L, 1);
	}
	lua_pop(L, 2);
	if (o)
		cJSON_AddNumberToObject(o, "more",
					(double)(gr->count > gs->max ? gr->count - gs->max : 0));
	else if (gr->count > gs->max)
		sb_printf(&l->out, "  … and %zu more\n", gr->count - gs->max);
}

/* With -group BY: the groups, largest first, each with its count and at
 * most l->max members; then the totals. */
static void add_groups(lua_State *L, struct listing *l, const lua_Integer *ids, size_t n,
		       size_t total)
{
	struct groups gs = {.max = l->max > 0 ? (size_t)l->max : n};
	gs.v = lua_newuserdatauv(L, (n ? n : 1) * sizeof *gs.v, 0);
	lua_newtable(L);
	gs.byindex = lua_gettop(L);
	lua_newtable(L);
	gs.members = lua_gettop(L);
	for (size_t i = 0; i < n; i++)
		add_member(L, &gs, ids[i], l->group);
	qsort(gs.v, gs.n, sizeof *gs.v, cmp_group);
	if (l->json)
		l->groups = cJSON_AddArrayToObject(l->json, "groups");
	for (size_t i = 0; i < gs.n; i++)
		add_group(L, l, &gs, &gs.v[i]);
	if (!l->json)
		sb_printf(&l->out, "%zu group%s, ", gs.n, plural(gs.n));
	add_count(l, n, total);
	lua_pop(L, 3);
}

/* The protected body (arg 1: struct listing). */
static int list_body(lua_State *L)
{
	struct listing *l = lua_touserdata(L, SLOT_LISTING);
	if (lua_getglobal(L, "g") != LUA_TTABLE) /* SLOT_G */
		return luaL_error(L, "no goroutines: the program is not stopped");
	load_filter(L, l->filter);              /* SLOT_FILTER, SLOT_INDEX */
	size_t n, total;
	lua_Integer *ids = matching_ids(L, &n, &total); /* SLOT_IDS */
	if (l->group)
		add_groups(L, l, ids, n, total);
	else
		add_flat(L, l, ids, n, total);
	return 0;
}

static int cmd_goroutines_exec(session *s, const char *args)
{
	struct listing l = {.evg = -1, .max = -1};
	if (parse_options(args, &l) < 0) {
		free(l.group);
		return -1;
	}
	if (l.max < 0)
		l.max = l.group ? GROUP_MAX : FLAT_MAX;
	if (!s->have_stop) {
		free(l.group);
		if (cmd_need_stopped(s) < 0)
			return -1;
		error_set("this stop has no snapshot (step or continue to get one)");
		return -1;
	}
	l.evg = s->stop.g;
	if (s->json)
		l.json = batch_json_new("goroutines", NULL);
	int rc = luaenv_call(s->L, list_body, &l);
	if (rc == 0 && l.json)
		batch_json_emit(l.json);
	else if (rc == 0)
		fputs(l.out.s ? l.out.s : "", stdout);
	else
		cJSON_Delete(l.json);
	fflush(stdout);
	sb_free(&l.out);
	free(l.group);
	return rc < 0 ? -1 : CMD_OK;
}

const struct cmd_entry cmd_goroutines_entry = {
	.name = "goroutines",
	.alias = "gs",
	.usage = "[-group BY] [-n N] [FILTER]",
	.summary = "list goroutines, filtered by Lua, or counted per group",
	.help = "List the goroutines of this stop in id order, one line each; the one\n"
		"of the stop's event is marked *. FILTER is a Lua expression evaluated\n"
		"for each goroutine, with its fields as variables (status, waitreason,\n"
		"startfn, createdby, createdat, m, p, ...; a field it lacks is nil), the\n"
		"goroutine itself as G and the globals for other names; goroutines for\n"
		"which it is false or nil are left out.\n"
		"  -group BY   count the goroutines per value of the field BY (status,\n"
		"              waitreason, startfn, createdby, or any other field),\n"
		"              largest group first, listing N members of each\n"
		"  -n N        list at most N goroutines (default 100), or N per group\n"
		"              (default 10); 0 lists all\n"
		"The last line counts them: \"12 goroutines\", \"5 of 12 goroutines\".\n"
		"Examples:\n"
		"  goroutines\n"
		"  gs status == \"waiting\"\n"
		"  gs -group waitreason\n"
		"  gs -group startfn -n 3 not system\n"
		"  gs p == ev.p               (on the event's P: running or queued)",
	.flags = CMD_PREFIX2,
	.exec = cmd_goroutines_exec,
	.class = CMD_CLASS_INSPECTING,
	.args = CMD_ARGS_FILTER,
};
