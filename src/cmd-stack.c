/*
 * cmd-stack.c -- a goroutine's stack, on demand: `bt ID` prints its frames
 * (function, file:line), `g[ID]:stack()` returns them to Lua as a sequence
 * of {func =, file =, line =}. The runtime unwinds the stack while the
 * program is stopped: a goroutine that was running on a frozen thread from
 * the registers its freeze signal saw, any other from its saved state.
 * Under --json `bt` is one line: {"type":"backtrace","g":ID,"frames":[...]}.
 */
#include "batch.h"
#include "cmd.h"
#include "util.h"

#include <cJSON.h>
#include <errno.h>
#include <lauxlib.h>
#include <stdio.h>
#include <stdlib.h>

/*
 * Ask the stopped program for goroutine ID's frames and push them as a Lua
 * sequence (the innermost 1000; *more: how many deeper ones it left out).
 * 0, or -1 with error_set() and nothing pushed.
 */
static int push_stack(session *s, long long id, long long *more)
{
	if (cmd_need_stopped(s) < 0)
		return -1;
	char cmd[48];
	snprintf(cmd, sizeof cmd, "bt %lld", id);
	wire_msg m;
	if (target_request(&s->t, cmd, "stack", &m) < 0) {
		error_set("goroutine %lld: %s", id, error_msg());
		return -1;
	}
	const cJSON *frames = cJSON_GetObjectItemCaseSensitive(m.root, "frames");
	if (!cJSON_IsArray(frames)) {
		error_set("bad stack message: no \"frames\" array");
		wire_msg_free(&m);
		return -1;
	}
	lua_State *L = s->L;
	lua_createtable(L, cJSON_GetArraySize(frames), 0);
	int n = 0;
	for (const cJSON *f = frames->child; f; f = f->next) {
		const cJSON *fn = cJSON_GetObjectItemCaseSensitive(f, "func");
		const cJSON *file = cJSON_GetObjectItemCaseSensitive(f, "file");
		const cJSON *line = cJSON_GetObjectItemCaseSensitive(f, "line");
		lua_createtable(L, 0, 3);
		lua_pushstring(L, cJSON_IsString(fn) ? fn->valuestring : "?");
		lua_setfield(L, -2, "func");
		lua_pushstring(L, cJSON_IsString(file) ? file->valuestring : "?");
		lua_setfield(L, -2, "file");
		lua_pushinteger(L, cJSON_IsNumber(line) ? (lua_Integer)line->valuedouble : 0);
		lua_setfield(L, -2, "line");
		lua_rawseti(L, -2, ++n);
	}
	const cJSON *left = cJSON_GetObjectItemCaseSensitive(m.root, "more");
	*more = cJSON_IsNumber(left) ? (long long)left->valuedouble : 0;
	wire_msg_free(&m);
	return 0;
}

static int cmd_bt_exec(session *s, const char *args)
{
	char *end;
	errno = 0;
	long long id = strtoll(args, &end, 10);
	while (*end == ' ' || *end == '\t')
		end++;
	if (!*args || *end || id <= 0 || errno == ERANGE) {
		error_set("bt: want a goroutine id, as in \"bt 42\"");
		return -1;
	}
	long long more;
	if (push_stack(s, id, &more) < 0)
		return -1;
	lua_State *L = s->L;
	if (s->json) {
		cJSON *o = batch_json_new("backtrace", NULL);
		cJSON_AddNumberToObject(o, "g", (double)id);
		cJSON_AddItemToObject(o, "frames", batch_json_value(L, -1));
		cJSON_AddNumberToObject(o, "more", (double)more);
		batch_json_emit(o);
		lua_pop(L, 1);
		return CMD_OK;
	}
	lua_Integer n = luaL_len(L, -1);
	printf("goroutine %lld:\n", id);
	for (lua_Integer i = 1; i <= n; i++) {
		lua_rawgeti(L, -1, i);
		lua_getfield(L, -1, "func");
		lua_getfield(L, -2, "file");
		lua_getfield(L, -3, "line");
		printf("  #%-3lld %s\n        %s:%lld\n", (long long)i - 1, lua_tostring(L, -3),
		       lua_tostring(L, -2), (long long)lua_tointeger(L, -1));
		lua_pop(L, 4);
	}
	if (n == 0)
		printf("  (no frames: the stack could not be unwound)\n");
	if (more > 0)
		printf("  … and %lld deeper frames, not shown\n", more);
	fflush(stdout);
	lua_pop(L, 1);
	return CMD_OK;
}

/* g:stack() -> {{func=, file=, line=}, ...}, more: the innermost 1000
 * frames of the goroutine table g, and how many deeper ones are left out. */
static int g_stack(lua_State *L)
{
	luaL_checktype(L, 1, LUA_TTABLE);
	lua_getfield(L, 1, "id");
	if (!lua_isinteger(L, -1))
		return luaL_argerror(L, 1, "a goroutine table (with an integer id)");
	long long id = (long long)lua_tointeger(L, -1), more;
	if (push_stack(session_of(L), id, &more) < 0)
		return luaL_error(L, "%s", error_msg());
	lua_pushinteger(L, (lua_Integer)more);
	return 2;
}

/* Give goroutine tables their method g:stack(). [-0, +0] */
void stack_open(lua_State *L)
{
	snapshot_g_method(L, "stack", g_stack);
}

const struct cmd_entry cmd_bt_entry = {
	.name = "bt",
	.alias = "backtrace",
	.usage = "ID",
	.summary = "the stack of goroutine ID",
	.help = "Print the frames of goroutine ID, innermost first: function and\n"
		"file:line. A goroutine running when the program stopped is unwound\n"
		"from where its thread was frozen. The innermost 1000 frames are\n"
		"listed, and how many deeper ones were left out. In Lua, g[ID]:stack()\n"
		"returns the frames as a sequence of {func =, file =, line =}, and\n"
		"that count second.\n"
		"Examples:\n"
		"  bt 1\n"
		"  for _, f in ipairs(g[1]:stack()) do print(f.func, f.line) end",
	.exec = cmd_bt_exec,
	.class = CMD_CLASS_INSPECTING,
};
