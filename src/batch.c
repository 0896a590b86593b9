/*
 * batch.c -- batch mode for CI: a Lua script run with no prompt
 * (gosched-repl --batch check.lua PROG), and --json, which makes every
 * stop, result, exit and failure a JSON line on standard output:
 *
 *   {"type":"stop","reason":"break","bps":[1],"seq":17,"kind":"park",...}
 *   {"type":"result","values":[...]}      a Lua expression or print
 *   {"type":"print","text":"..."}          Lua's print()
 *   {"type":"exit","status":0,"text":"exited with status 0"}
 *   {"type":"fail","where":"check.lua:7","msg":"...",...}
 *   {"type":"error","msg":"check.lua:9: ..."}   the script ended with an error
 *   {"type":"help","command":"step","text":"..."}
 *
 * and the listings (info, goroutines, history, bt) as records (their
 * shapes: man page, "JSON output"):
 *
 *   {"type":"info","what":"p","items":[{"id":0,"status":"running",...}]}
 *   {"type":"goroutines","count":12,"total":12,"items":[...],"more":0}
 *   {"type":"history","time":...,"cut":false,"events":[...]}
 *   {"type":"backtrace","g":1,"frames":[{"func":...,"file":...,"line":7}],"more":0}
 *
 * Model tables become objects whose references to other goroutines, Ms and
 * Ps are their ids.
 */
#include "batch.h"
#include "luaenv.h"
#include "util.h"

#include <cJSON.h>
#include <lauxlib.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

#define JSON_DEPTH 8 /* deeper tables become "..." (and cycles end) */

/* ------------------------------------------------------------- encoding */

static cJSON *to_json(lua_State *L, int idx, int depth, int in_entity);

/* Is the table at IDX one of the g/m/p sets (id -> entity)? */
static int is_set(lua_State *L, int idx)
{
	if (!lua_getmetatable(L, idx))
		return 0;
	luaL_getmetatable(L, "gosched.set"); /* snapshot.c's */
	int same = lua_rawequal(L, -1, -2);
	lua_pop(L, 2);
	return same;
}

/* Is the table at IDX empty? */
static int is_empty(lua_State *L, int idx)
{
	lua_pushnil(L);
	if (!lua_next(L, idx))
		return 1;
	lua_pop(L, 2);
	return 0;
}

/* The Lua string at IDX as a JSON string. Bytes that are not UTF-8 become
 * U+FFFD, so that every line is valid JSON, and NUL is \u0000 (cJSON's C
 * strings cannot hold it: such a string is written here, as raw JSON). */
static cJSON *string_json(lua_State *L, int idx)
{
	size_t n, i = 0;
	const unsigned char *s = (const unsigned char *)lua_tolstring(L, idx, &n);
	while (i < n && utf8_len(s + i, n - i))
		i += utf8_len(s + i, n - i);
	if (i == n)
		return cJSON_CreateString((const char *)s);
	strbuf b = {0};
	sb_puts(&b, "\"");
	for (i = 0; i < n;) {
		size_t k = utf8_len(s + i, n - i);
		if (k == 1 && (s[i] < 0x20 || s[i] == '"' || s[i] == '\\'))
			sb_printf(&b, "\\u%04x", s[i]);
		else if (k)
			sb_add(&b, (const char *)s + i, k);
		else
			sb_puts(&b, s[i] ? "\\ufffd" : "\\u0000");
		i += k ? k : 1;
	}
	sb_puts(&b, "\"");
	cJSON *v = cJSON_CreateRaw(b.s);
	sb_free(&b);
	return v;
}

/* The Lua string at IDX as a key: a C string, the bytes that are not UTF-8
 * (and NUL) as U+FFFD. Malloc'd. */
static char *key_string(lua_State *L, int idx)
{
	size_t n;
	const unsigned char *s = (const unsigned char *)lua_tolstring(L, idx, &n);
	strbuf b = {0};
	sb_puts(&b, "");
	for (size_t i = 0, k; i < n; i += k ? k : 1) {
		k = utf8_len(s + i, n - i);
		sb_add(&b, k ? (const char *)s + i : "\xEF\xBF\xBD", k ? k : 3);
	}
	return b.s;
}

/* A number, exactly: an integer's digits (cJSON's doubles lose digits past
 * 2^53), a float's shortest digits that read back as the same double
 * (cJSON's 15 digits pass for exact within a relative epsilon: 2^53 came
 * out as 9.00719925474099e+15); null for inf and nan, as cJSON writes them. */
static cJSON *number_json(lua_State *L, int idx)
{
	char digits[32];
	if (lua_isinteger(L, idx)) {
		snprintf(digits, sizeof digits, "%lld", (long long)lua_tointeger(L, idx));
		return cJSON_CreateRaw(digits);
	}
	double d = lua_tonumber(L, idx);
	if (!isfinite(d))
		return cJSON_CreateNull();
	for (int prec = 15; prec <= 17; prec++) {
		snprintf(digits, sizeof digits, "%.*g", prec, d);
		if (strtod(digits, NULL) == d)
			break;
	}
	return cJSON_CreateRaw(digits);
}

/* Is the table at IDX a sequence 1..n (and not empty)? */
static int is_sequence(lua_State *L, int idx)
{
	lua_Integer n = (lua_Integer)lua_rawlen(L, idx), count = 0;
	lua_pushnil(L);
	while (lua_next(L, idx)) {
		lua_pop(L, 1);
		count++;
	}
	return n > 0 && count == n;
}

/* A table as a JSON array or object. */
static cJSON *table_json(lua_State *L, int idx, int depth, int in_entity)
{
	int entity = snapshot_kind(L, idx) != SNAP_NONE;
	if (entity && in_entity) { /* a reference: the id */
		lua_getfield(L, idx, "id");
		cJSON *id = to_json(L, -1, depth + 1, 1);
		lua_pop(L, 1);
		return id;
	}
	if (depth > JSON_DEPTH)
		return cJSON_CreateString("...");
	luaL_checkstack(L, 4, "nesting too deep");
	if (!entity && !is_set(L, idx) && is_empty(L, idx))
		return cJSON_CreateArray(); /* most empty model tables are lists */
	if (is_sequence(L, idx)) {
		cJSON *a = cJSON_CreateArray();
		for (lua_Integer i = 1; lua_rawgeti(L, idx, i) != LUA_TNIL; i++) {
			cJSON_AddItemToArray(a, to_json(L, -1, depth + 1, in_entity || entity));
			lua_pop(L, 1);
		}
		lua_pop(L, 1);
		return a;
	}
	cJSON *o = cJSON_CreateObject();
	lua_pushnil(L);
	while (lua_next(L, idx)) {
		int kt = lua_type(L, -2);
		if (kt == LUA_TSTRING || kt == LUA_TNUMBER || kt == LUA_TBOOLEAN) {
			luaL_tolstring(L, -2, NULL); /* a copy: "1", "true" */
			char *key = key_string(L, -1);
			cJSON_AddItemToObject(o, key, to_json(L, -2, depth + 1, in_entity || entity));
			free(key);
			lua_pop(L, 1);
		}
		lua_pop(L, 1);
	}
	return o;
}

/* The value at IDX as JSON: nil and gs.null (a NULL light userdata) null,
 * numbers, strings, booleans, tables; other values as their tostring.
 * IN_ENTITY: inside a model entity. */
static cJSON *to_json(lua_State *L, int idx, int depth, int in_entity)
{
	idx = lua_absindex(L, idx);
	if (lua_islightuserdata(L, idx) && !lua_touserdata(L, idx))
		return cJSON_CreateNull();
	switch (lua_type(L, idx)) {
	case LUA_TNIL:
		return cJSON_CreateNull();
	case LUA_TBOOLEAN:
		return cJSON_CreateBool(lua_toboolean(L, idx));
	case LUA_TNUMBER:
		return number_json(L, idx);
	case LUA_TSTRING:
		return string_json(L, idx);
	case LUA_TTABLE:
		return table_json(L, idx, depth, in_entity);
	default: {
		cJSON *v = cJSON_CreateString(luaL_tolstring(L, idx, NULL));
		lua_pop(L, 1);
		return v;
	}
	}
}

cJSON *batch_json_value(lua_State *L, int idx)
{
	return to_json(L, idx, 0, snapshot_kind(L, idx) == SNAP_NONE);
}

cJSON *batch_json_new(const char *type, const char *what)
{
	cJSON *o = cJSON_CreateObject();
	cJSON_AddStringToObject(o, "type", type);
	if (what)
		cJSON_AddStringToObject(o, "what", what);
	return o;
}

void batch_json_merge(cJSON *o, cJSON *from)
{
	for (cJSON *c; (c = from->child);) {
		cJSON_DetachItemViaPointer(from, c);
		cJSON_AddItemToObject(o, c->string, c); /* copies the key first */
	}
	cJSON_Delete(from);
}

/* Where the JSON lines go: standard output, or --json-out's file. */
static FILE *json_out;

void batch_json_emit(cJSON *o)
{
	char *text = cJSON_PrintUnformatted(o);
	FILE *out = json_out ? json_out : stdout;
	if (text) {
		fflush(stdout); /* (what came before, first) */
		fputs(text, out);
		fputc('\n', out);
		fflush(out);
	}
	cJSON_free(text);
	cJSON_Delete(o);
}

/* ------------------------------------------------------------- --json */

/* print() under --json: {"type":"print","text":"a\tb"}. */
static int json_print(lua_State *L)
{
	int n = lua_gettop(L);
	luaL_Buffer b;
	luaL_buffinit(L, &b);
	for (int i = 1; i <= n; i++) {
		if (i > 1)
			luaL_addchar(&b, '\t');
		luaL_tolstring(L, i, NULL);
		luaL_addvalue(&b);
	}
	luaL_pushresult(&b);
	cJSON *o = cJSON_CreateObject();
	cJSON_AddStringToObject(o, "type", "print");
	cJSON_AddItemToObject(o, "text", string_json(L, -1));
	batch_json_emit(o);
	return 0;
}

void batch_json_init(session *s, FILE *out)
{
	json_out = out;
	s->json = 1;
	lua_pushcfunction(s->L, json_print);
	lua_setglobal(s->L, "print");
}

/* Protected: the values of the loaded chunk at 1, as a result line. */
static int run_result(lua_State *L)
{
	lua_call(L, 0, LUA_MULTRET);
	int n = lua_gettop(L);
	if (n == 0)
		return 0;
	cJSON *values = cJSON_CreateArray();
	for (int i = 1; i <= n; i++)
		cJSON_AddItemToArray(values, to_json(L, i, 0, 0));
	cJSON *o = cJSON_CreateObject();
	cJSON_AddStringToObject(o, "type", "result");
	cJSON_AddItemToObject(o, "values", values);
	batch_json_emit(o);
	return 0;
}

int batch_json_lua(session *s, const char *line, int expr_only)
{
	lua_State *L = s->L;
	const char *ret = lua_pushfstring(L, "return %s", line);           /* ret */
	int st = luaL_loadbuffer(L, ret, strlen(ret), "=lua");             /* ret, f|err */
	lua_remove(L, -2);                                                 /* f|err */
	if (st != LUA_OK) {
		lua_pop(L, 1);
		if (!expr_only)
			return luaenv_eval(L, line); /* a statement */
		strbuf out = {0};
		int rc = luaenv_format(L, line, &out); /* says what is wrong */
		sb_free(&out);
		return rc < 0 ? -1 : 0;
	}
	lua_pushcfunction(L, run_result);
	lua_insert(L, -2);                                                 /* run, f */
	if (lua_pcall(L, 1, 0, 0) != LUA_OK) {
		error_set("%s", lua_tostring(L, -1) ? lua_tostring(L, -1) : "error");
		lua_pop(L, 1);
		return -1;
	}
	return 0;
}

void batch_json_exit(session *s)
{
	int st = s->t.wstatus;
	cJSON *o = cJSON_CreateObject();
	cJSON_AddStringToObject(o, "type", "exit");
	if (st != TARGET_STATUS_UNKNOWN && WIFEXITED(st))
		cJSON_AddNumberToObject(o, "status", WEXITSTATUS(st));
	else if (st != TARGET_STATUS_UNKNOWN && WIFSIGNALED(st))
		cJSON_AddNumberToObject(o, "status", 128 + WTERMSIG(st));
	else
		cJSON_AddNullToObject(o, "status");
	cJSON_AddStringToObject(o, "text", target_status_text(st));
	batch_json_emit(o);
}

/* -------------------------------------------------------------- scripts */

/* --json: the script's error, {"type":"error","msg":"check.lua:7: ..."}. */
static void json_script_error(const char *msg)
{
	cJSON *o = cJSON_CreateObject();
	cJSON_AddStringToObject(o, "type", "error");
	cJSON_AddStringToObject(o, "msg", msg);
	batch_json_emit(o);
}

/* What script_body() runs and tells. */
struct script {
	const char *path;
	char *err; /* "file:line: message", or NULL */
};

/* Protected (luaenv_call: Ctrl-C stops the script with "interrupted!"):
 * load and run the script, its error as a string. */
static int script_body(lua_State *L)
{
	struct script *sc = lua_touserdata(L, 1);
	lua_pushcfunction(L, luaenv_msghandler); /* (file:line: and, from a function, a traceback) */
	int st = luaL_loadfile(L, sc->path);
	if (st == LUA_OK)
		st = lua_pcall(L, 0, 0, -2);
	if (st != LUA_OK)
		sc->err = xstrdup(lua_tostring(L, -1));
	return 0;
}

int batch_run_script(session *s, const char *path)
{
	lua_State *L = s->L;
	int base = lua_gettop(L);
	struct script sc = {.path = path};
	s->fail_said = 0;
	if (luaenv_call(L, script_body, &sc) < 0)
		sc.err = xstrdup(error_msg());
	if (s->quit_asked) { /* gs.cmd("quit"): the end, not an error */
		free(sc.err);
		sc.err = NULL;
	}
	if (sc.err) {
		if (s->json && !s->fail_said)
			json_script_error(sc.err);
		fflush(stdout);
		fprintf(stderr, "%s\n", sc.err);
		s->failed = 1;
	}
	s->fail_said = 0;
	lua_settop(L, base);
	int rc = sc.err ? -1 : 0;
	free(sc.err);
	return rc;
}
