/*
 * check.c -- the model a light check's conditions see.
 *
 * A Lua-tier breakpoint whose condition reads only the event is evaluated
 * from a light check: the event with its own goroutine, P and M, as the
 * runtime sent it in a JSON "check" message or posted it in the shared
 * page's mailbox (page.h). ev, ev.g, ev.p and ev.m are tables filled on
 * first access (a condition reads a field or two of some 40), in the full
 * model's shapes (snapshot.c): a goroutine the check lacks is the stand-in
 * {id, status = "dead"}; parent is nil for none; references to other
 * entities are left out (condition.lua keeps event-tier conditions off them
 * and off the tables themselves). A table outliving its check reads
 * nothing: each holds the check's number, and its data is gone once that
 * changes.
 */
#include "check.h"
#include "snapshot.h"
#include "wire.h"

#include <stddef.h>
#include <string.h>

#include <lauxlib.h>

/* Push a JSON value as plain Lua data (null: nil). [-0, +1] */
static void push_plain(lua_State *L, const cJSON *v)
{
	if (!snapshot_push_json(L, v, SNAPSHOT_JSON_DEPTH, 0))
		luaL_error(L, "JSON nesting too deep");
}

enum lazy_kind { LAZY_EV, LAZY_G, LAZY_P, LAZY_M };

static const char LAZY_OBJ = 'o', LAZY_GEN = 'n'; /* keys of the hidden fields */
static const char *const lazy_mt[] = {"gosched.check.ev", "gosched.check.g", "gosched.check.p",
				      "gosched.check.m"};

/* The check being evaluated: its JSON or its mailbox record, alive as long
 * as check_gen is its number. */
static const cJSON *check_root;
static const struct mail_rec *check_mail;
static const char *check_kind; /* the mailbox event's kind name */
static lua_Integer check_gen;

/* The fields of each kind that name other entities: not in a check's model. */
static const char *const lazy_refs[][4] = {
	[LAZY_EV] = {NULL},
	[LAZY_G] = {"m", "p", "lockedm", NULL},
	[LAZY_P] = {"m", "runnext", NULL},
	[LAZY_M] = {"p", "curg", "lockedg", NULL},
};

static int lazy_index(lua_State *L);
static void push_mail_field(lua_State *L, enum lazy_kind kind, const char *key);

/* Push a lazy table of KIND over the JSON object OBJ. [-0, +1] */
static void push_lazy(lua_State *L, enum lazy_kind kind, const cJSON *obj)
{
	lua_createtable(L, 0, 4);
	lua_pushlightuserdata(L, (void *)obj);
	lua_rawsetp(L, -2, &LAZY_OBJ);
	lua_pushinteger(L, check_gen);
	lua_rawsetp(L, -2, &LAZY_GEN);
	if (luaL_newmetatable(L, lazy_mt[kind])) {
		lua_pushinteger(L, kind);
		lua_pushcclosure(L, lazy_index, 1);
		lua_setfield(L, -2, "__index");
	}
	lua_setmetatable(L, -2);
}

/* The entry of the check's array NAME whose id is ID, or NULL. */
static const cJSON *check_entity(const char *name, const cJSON *id)
{
	const cJSON *arr = wire_member(check_root, name);
	if (!cJSON_IsArray(arr) || !cJSON_IsNumber(id))
		return NULL;
	for (const cJSON *e = arr->child; e; e = e->next) {
		const cJSON *eid = wire_member(e, "id");
		if (cJSON_IsNumber(eid) && eid->valuedouble == id->valuedouble)
			return e;
	}
	return NULL;
}

/* Push {id = ID}, a reference's stand-in. [-0, +1] */
static void push_id_table(lua_State *L, const cJSON *id)
{
	lua_createtable(L, 0, 1);
	push_plain(L, id);
	lua_setfield(L, -2, "id");
}

/* Push the event's goroutine ID: lazy, or (if the message lacks it, as
 * the full stop would) the stand-in {id, status = "dead"}. [-0, +1] */
static void push_check_g(lua_State *L, const cJSON *id)
{
	const cJSON *g = check_entity("g", id);
	if (g) {
		push_lazy(L, LAZY_G, g);
		return;
	}
	push_id_table(L, id);
	lua_pushliteral(L, "dead");
	lua_setfield(L, -2, "status");
}

/* Push field KEY of OBJ, a check's object of KIND, as the full model has
 * it. [-0, +1] */
static void push_check_field(lua_State *L, enum lazy_kind kind, const cJSON *obj, const char *key)
{
	const cJSON *v = wire_member(obj, key);
	for (const char *const *r = lazy_refs[kind]; *r; r++)
		if (strcmp(*r, key) == 0)
			v = NULL;
	if (!v || cJSON_IsNull(v)) {
		lua_pushnil(L);
	} else if (kind == LAZY_EV && strcmp(key, "g") == 0) {
		push_check_g(L, v);
	} else if (kind == LAZY_EV && (strcmp(key, "p") == 0 || strcmp(key, "m") == 0)) {
		const cJSON *e = check_entity(key, v);
		if (e)
			push_lazy(L, key[0] == 'p' ? LAZY_P : LAZY_M, e);
		else
			lua_pushnil(L);
	} else if (kind == LAZY_EV && (strcmp(key, "from") == 0 || strcmp(key, "parent") == 0 ||
				       strcmp(key, "by") == 0)) {
		push_id_table(L, v);
	} else if (kind == LAZY_G && strcmp(key, "parent") == 0 && cJSON_IsNumber(v) &&
		   v->valuedouble == 0) {
		lua_pushnil(L);
	} else {
		push_plain(L, v); /* runq: a list of ids, for its length */
	}
}

/* __index of a lazy table (upvalue: its kind): fetch, keep, return. */
static int lazy_index(lua_State *L)
{
	const char *key = lua_tostring(L, 2);
	lua_rawgetp(L, 1, &LAZY_GEN);
	int live = (check_root || check_mail) && lua_tointeger(L, -1) == check_gen;
	lua_rawgetp(L, 1, &LAZY_OBJ);
	const cJSON *obj = lua_touserdata(L, -1);
	lua_pop(L, 2);
	if (!live || !key || lua_type(L, 2) != LUA_TSTRING) {
		lua_pushnil(L);
		return 1;
	}
	enum lazy_kind kind = (enum lazy_kind)lua_tointeger(L, lua_upvalueindex(1));
	if (check_mail)
		push_mail_field(L, kind, key);
	else
		push_check_field(L, kind, obj, key);
	lua_pushvalue(L, 2);
	lua_pushvalue(L, -2);
	lua_rawset(L, 1);
	return 1;
}

/* ------------------------------------------------------------ the JSON */

void check_push_json(lua_State *L, const cJSON *root)
{
	check_root = root;
	check_mail = NULL;
	check_gen++;
	push_lazy(L, LAZY_EV, wire_member(root, "event"));
}

void check_end(void)
{
	check_root = NULL;
	check_mail = NULL;
}

/* ----------------------------------------------------- the mailbox record */

/* How a record field becomes Lua. */
enum mtype {
	M_INT,    /* an integer */
	M_STR,    /* a string (off << 16 | len), nil for -1 */
	M_BOOL,   /* 0 or 1 */
	M_PARENT, /* a goroutine id, nil for 0 */
	M_RUNQ,   /* p_runq's first p_nrunq ids */
	M_LABELS, /* g_labels' g_nlabels key, value pairs */
};

struct mfield {
	const char *key;
	enum mtype type;
	size_t off;
};

#define F(key, type, field) {key, type, offsetof(struct mail_rec, field)}
static const struct mfield g_fields[] = {
	F("id", M_INT, g_id),           F("status", M_STR, g_status),
	F("waitreason", M_STR, g_waitreason), F("waitsince", M_INT, g_waitsince),
	F("since", M_INT, g_since),     F("parent", M_PARENT, g_parent),
	F("startfn", M_STR, g_startfn), F("createdby", M_STR, g_createdby),
	F("createdat", M_STR, g_createdat), F("system", M_BOOL, g_system),
	F("labels", M_LABELS, g_nlabels), {NULL, M_INT, 0},
};
static const struct mfield p_fields[] = {
	F("id", M_INT, p_id),           F("status", M_STR, p_status),
	F("runq", M_RUNQ, p_nrunq),     F("schedtick", M_INT, p_schedtick),
	F("syscalltick", M_INT, p_syscalltick), F("gfree", M_INT, p_gfree),
	F("timers", M_INT, p_timers),   {NULL, M_INT, 0},
};
static const struct mfield m_fields[] = {
	F("id", M_INT, m_id),           F("procid", M_INT, m_procid),
	F("spinning", M_BOOL, m_spinning), F("blocked", M_BOOL, m_blocked),
	F("incgo", M_BOOL, m_incgo),    {NULL, M_INT, 0},
};
#undef F

static int64_t rec_int(size_t off)
{
	int64_t v;
	memcpy(&v, (const char *)check_mail + off, sizeof v);
	return v;
}

/* Push a record string (nil for -1, or for one outside the record). [-0, +1] */
static void push_mail_str(lua_State *L, int64_t ref)
{
	int64_t off = ref >> 16, len = ref & 0xffff;
	if (ref < 0 || off + len > check_mail->nstr || check_mail->nstr > MAIL_STR)
		lua_pushnil(L);
	else
		lua_pushlstring(L, check_mail->str + off, (size_t)len);
}

/* Push field F of the record. [-0, +1] */
static void push_mail_value(lua_State *L, const struct mfield *f)
{
	int64_t v = rec_int(f->off);
	switch (f->type) {
	case M_INT:
		lua_pushinteger(L, v);
		break;
	case M_STR:
		push_mail_str(L, v);
		break;
	case M_BOOL:
		lua_pushboolean(L, v != 0);
		break;
	case M_PARENT:
		if (v == 0)
			lua_pushnil(L);
		else
			lua_pushinteger(L, v);
		break;
	case M_RUNQ:
		lua_createtable(L, (int)v, 0);
		for (int64_t i = 0; i < v && i < MAIL_RUNQ; i++) {
			lua_pushinteger(L, check_mail->p_runq[i]);
			lua_rawseti(L, -2, i + 1);
		}
		break;
	case M_LABELS:
		lua_createtable(L, 0, (int)v);
		for (int64_t i = 0; i < v && i < MAIL_LABELS; i++) {
			push_mail_str(L, check_mail->g_labels[2 * i + 1]);
			push_mail_str(L, check_mail->g_labels[2 * i]);
			if (lua_isnil(L, -1))
				lua_pop(L, 2);
			else {
				lua_insert(L, -2);
				lua_rawset(L, -3);
			}
		}
		break;
	}
}

/* Push {id = ID}. [-0, +1] */
static void push_mail_id(lua_State *L, int64_t id)
{
	lua_createtable(L, 0, 1);
	lua_pushinteger(L, id);
	lua_setfield(L, -2, "id");
}

/* Push field KEY of the mailbox event, as push_check_field does for the
 * JSON event. [-0, +1] */
static void push_mail_event_field(lua_State *L, const char *key)
{
	const struct mail_rec *r = check_mail;
	const char *kind = check_kind;
	if (strcmp(key, "kind") == 0) {
		lua_pushstring(L, kind);
	} else if (strcmp(key, "time") == 0) {
		lua_pushinteger(L, r->ev_time);
	} else if (strcmp(key, "g") == 0 && r->ev_g >= 0) {
		if (r->g_id == r->ev_g) {
			push_lazy(L, LAZY_G, NULL);
		} else {
			push_mail_id(L, r->ev_g);
			lua_pushliteral(L, "dead");
			lua_setfield(L, -2, "status");
		}
	} else if (strcmp(key, "p") == 0 && r->ev_p >= 0 && r->p_id == r->ev_p) {
		push_lazy(L, LAZY_P, NULL);
	} else if (strcmp(key, "m") == 0 && r->m_id == r->ev_m) {
		push_lazy(L, LAZY_M, NULL);
	} else if ((strcmp(key, "parent") == 0 && strcmp(kind, "create") == 0) ||
		   (strcmp(key, "from") == 0 && strcmp(kind, "steal") == 0) ||
		   (strcmp(key, "by") == 0 && strcmp(kind, "ready") == 0 && r->ev_aux > 0)) {
		push_mail_id(L, r->ev_aux);
	} else if (strcmp(key, "code") == 0 && strcmp(kind, "end") == 0) {
		lua_pushinteger(L, r->ev_aux);
	} else if ((strcmp(key, "waitreason") == 0 && strcmp(kind, "park") == 0) ||
		   (strcmp(key, "startfn") == 0 && strcmp(kind, "exit") == 0) ||
		   (strcmp(key, "reason") == 0 &&
		    (strncmp(kind, "gc", 2) == 0 || strcmp(kind, "deadlock") == 0))) {
		push_mail_str(L, r->ev_str);
	} else {
		lua_pushnil(L);
	}
}

static void push_mail_field(lua_State *L, enum lazy_kind kind, const char *key)
{
	static const struct mfield *const tables[] = {
		[LAZY_G] = g_fields, [LAZY_P] = p_fields, [LAZY_M] = m_fields};
	if (kind == LAZY_EV) {
		push_mail_event_field(L, key);
		return;
	}
	for (const struct mfield *f = tables[kind]; f->key; f++) {
		if (strcmp(f->key, key) == 0) {
			push_mail_value(L, f);
			return;
		}
	}
	lua_pushnil(L);
}

void check_push_mail(lua_State *L, const struct mail_rec *r, const char *kind)
{
	check_root = NULL;
	check_mail = r;
	check_kind = kind ? kind : "unknown";
	check_gen++;
	push_lazy(L, LAZY_EV, NULL);
}
