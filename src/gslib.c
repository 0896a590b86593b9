/*
 * gslib.c -- the `gs` Lua library: the debugger's commands as functions, so
 * scripts (batch analyses in CI) drive the program the way a user does.
 *
 *   gs.cmd(line)        run any REPL command; error if it fails
 *   gs.start()          launch and stop at the first event   -> ev
 *   gs.run()            launch and run                       -> ev, or nil once it exited
 *   gs.cont()           resume                               -> ev, or nil once it exited
 *   gs.step([kind], [n])                                     -> ev, or nil once it exited
 *   gs.exitstatus       exit status of the program that ended (128+N: killed
 *                       by signal N), nil while it runs or before it ran
 *
 *   gs.breakpoint(cond | {on=, cond=, tier=, ignore=, commands=, silent=}) -> id
 *                       cond: a Lua expression, or a function(ev); tier: "lua"
 *                       or "full" to force a Lua tier, "event" for a function
 *                       that only reads ev (it then runs at light checks)
 *   gs.delete(id)
 *   gs.breaks([id])     the breakpoints (or one) as tables {id, on, cond, tier,
 *                       hits, ignore, enabled, errors, why, program}
 *   gs.analyze(cond)    how a condition would be evaluated {tier, program, why, stop}
 *   gs.eval(cond, [tier]) the condition at this stop, by the runtime ("runtime")
 *                       or by Lua ("lua", the default) -> boolean (false and
 *                       the message if the condition raised an error)
 *   gs.refresh()        read this stop's model again from the program -> ev
 *                       (the same unless a thread escaped the freeze)
 *   gs.assert(v, [msg]) fail the script (file:line on stderr) unless v holds
 *   gs.expect_never(cond | {on=, cond=, msg=}, [msg]) -> id: fail the run if
 *                       cond is ever true before the program exits
 *   gs.json(v)          v as compact JSON text, as --json writes it
 *   gs.fromjson(text)   the Lua value of a JSON text, or nil and why
 *   gs.null             JSON null in Lua (a NULL light userdata, as
 *                       lua-cjson's cjson.null)
 *
 * Functions follow lauxlib's conventions: bad arguments raise argument
 * errors, a failed command raises its message. gslib_open also puts
 * gosched-repl's Lua directory (condition.lua, analysis.lua) on
 * package.path.
 */
#include "gslib.h"
#include "batch.h"
#include "breakpoint.h"
#include "cmd.h"
#include "snapshot.h"
#include "util.h"
#include "wire.h"

#include <cJSON.h>
#include <lauxlib.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

static const char SESSION_KEY = 'S'; /* registry key: the session (light userdata) */

static session *get_session(lua_State *L)
{
	lua_rawgetp(L, LUA_REGISTRYINDEX, &SESSION_KEY); /* +1 */
	session *s = lua_touserdata(L, -1);
	lua_pop(L, 1);
	if (!s)
		luaL_error(L, "gs: no debugger session");
	return s;
}

/* The session, unless a breakpoint condition is being evaluated at a light
 * check: then nothing may drive the program or change breakpoints. */
static session *driving_session(lua_State *L)
{
	session *s = get_session(L);
	if (break_evaluating(s))
		luaL_error(L, "gs: a breakpoint condition cannot drive the program");
	return s;
}

/* Raise MSG with the calling script's file:line in front, unless it has
 * that already (a command file that sources itself would repeat it at
 * every level). */
static void raise_placed(lua_State *L, const char *msg)
{
	luaL_where(L, 1);
	const char *where = lua_tostring(L, -1);
	if (strncmp(msg, where, strlen(where)) == 0)
		lua_pushstring(L, msg);
	else
		lua_pushfstring(L, "%s%s", where, msg);
	lua_error(L);
}

/* Run LINE as a command; raises its error. */
static void run_command(lua_State *L, const char *line)
{
	session *s = driving_session(L);
	int rc = cmd_execute(s, line);
	if (rc == CMD_QUIT) {
		s->quit_asked = 1; /* unwind the Lua that asked; its caller ends the session */
		luaL_error(L, "quit");
	}
	if (rc < 0)
		raise_placed(L, luaenv_unplaced(error_msg()));
}

/* Push ev if the program is stopped, else nil. [-0, +1] */
static int push_event(lua_State *L)
{
	session *s = get_session(L);
	if (s->have_stop)
		lua_getglobal(L, "ev");
	else
		lua_pushnil(L);
	return 1;
}

/* gs.cmd(line) -> true. A `commands` list it opens must end in it: the
 * commands after it (gs.run's too) would go into the list. */
static int gs_cmd(lua_State *L)
{
	size_t n;
	const char *text = luaL_checklstring(L, 1, &n);
	while (n > 0 && strchr(" \t\r\n", text[n - 1])) /* ("start\n": the command) */
		n--;
	run_command(L, lua_pushlstring(L, text, n));
	if (break_input_ended(driving_session(L), "the text of gs.cmd") < 0)
		luaL_error(L, "%s", error_msg());
	lua_pushboolean(L, 1);
	return 1;
}

static int gs_start(lua_State *L)
{
	run_command(L, "start");
	return push_event(L);
}

static int gs_run(lua_State *L)
{
	run_command(L, "run");
	return push_event(L);
}

/* Has the program run and exited (not merely never been launched)? Then
 * gs.cont() and gs.step() return nil rather than raise "not running". */
static int exited(session *s)
{
	return s->t.pid <= 0 && s->t.has_exited;
}

static int gs_cont(lua_State *L)
{
	if (exited(driving_session(L)))
		return push_event(L);
	run_command(L, "continue");
	return push_event(L);
}

/* Argument I of gs.step: a kind (string) into LINE, or a count (integer >
 * 0); each at most once, in either order. Raises an error for others. */
static void step_arg(lua_State *L, int i, strbuf *line, int *kind, int *count)
{
	int type = lua_type(L, i);
	const char *bad = NULL;
	if (type == LUA_TNIL)
		return;
	size_t len;
	const char *k = type == LUA_TSTRING ? lua_tolstring(L, i, &len) : NULL;
	if (k && !*kind && (wire_kind(k, len) > 0 || strcmp(k, "any") == 0)) {
		*kind = 1;
		sb_printf(line, " %s", k);
		return;
	}
	if (k && *kind)
		bad = "one event kind at most";
	else if (k)
		bad = "not an event kind (any, " WIRE_KIND_LIST ")";
	else if (!lua_isinteger(L, i))
		bad = "an event kind (string) or a count (integer)";
	else if (*count)
		bad = "one count at most";
	else if (lua_tointeger(L, i) <= 0)
		bad = "the count must be positive";
	if (bad) {
		sb_free(line);
		luaL_argerror(L, i, bad);
	}
	*count = 1;
	sb_printf(line, " %lld", (long long)lua_tointeger(L, i));
}

/* gs.step([kind], [n]): both optional, in either order; gs.step(5) too. */
static int gs_step(lua_State *L)
{
	session *s = driving_session(L);
	if (lua_gettop(L) > 2)
		luaL_argerror(L, 3, "gs.step takes a kind and a count at most");
	strbuf line = {0};
	int kind = 0, count = 0;
	sb_puts(&line, "step");
	for (int i = 1; i <= lua_gettop(L); i++)
		step_arg(L, i, &line, &kind, &count);
	if (exited(s)) {
		sb_free(&line);
		return push_event(L);
	}
	int rc = cmd_execute(s, line.s);
	sb_free(&line);
	if (rc < 0)
		return luaL_error(L, "%s", error_msg());
	return push_event(L);
}

/* __index of gs: the fields computed on access (exitstatus). */
static int gs_index(lua_State *L)
{
	const char *key = luaL_checkstring(L, 2);
	session *s = get_session(L);
	if (strcmp(key, "exitstatus") == 0 && s->t.pid <= 0 && s->t.has_exited) {
		int st = s->t.wstatus;
		if (WIFEXITED(st))
			lua_pushinteger(L, WEXITSTATUS(st));
		else if (WIFSIGNALED(st))
			lua_pushinteger(L, 128 + WTERMSIG(st));
		else
			lua_pushnil(L);
		return 1;
	}
	lua_pushnil(L);
	return 1;
}

/* ----------------------------------------------------------- breakpoints */

/* Read the event kinds of field "on" of the table at 1 (a string, or a
 * list of strings) into *kinds. Raises an error for a bad one. */
static void get_kinds(lua_State *L, unsigned *kinds)
{
	luaL_Buffer b;
	int t = lua_getfield(L, 1, "on");
	luaL_buffinit(L, &b);
	if (t == LUA_TSTRING) {
		lua_pushvalue(L, -2);
		luaL_addvalue(&b);
	} else if (t == LUA_TTABLE) {
		for (lua_Integer i = 1; lua_rawgeti(L, -2, i) != LUA_TNIL; i++) {
			if (!lua_isstring(L, -1))
				luaL_error(L, "gs: on: event kinds are strings");
			luaL_addchar(&b, ' ');
			luaL_addvalue(&b);
		}
		lua_pop(L, 1);
	} else if (t != LUA_TNIL) {
		luaL_error(L, "gs: on: a kind or a list of kinds, not a %s", lua_typename(L, t));
	}
	luaL_pushresult(&b);
	const char *words = lua_tostring(L, -1);
	if (t != LUA_TNIL && words[strspn(words, " \t,")] == '\0')
		luaL_error(L, "gs: on: one or more event kinds (leave on out for every kind)");
	int rc = break_kinds(words, kinds);
	lua_pop(L, 2);
	if (rc < 0)
		luaL_error(L, "gs: %s", error_msg());
}

/* The condition argument (a string or a function) at IDX into SPEC. */
static void get_cond(lua_State *L, int idx, struct break_spec *spec)
{
	int t = lua_type(L, idx);
	if (t == LUA_TSTRING)
		spec->cond = lua_tostring(L, idx);
	else if (t == LUA_TFUNCTION)
		spec->fn = lua_absindex(L, idx);
	else if (t != LUA_TNIL && t != LUA_TNONE)
		luaL_error(L, "gs: cond: a Lua expression (string) or a function, not a %s",
			   lua_typename(L, t));
}

/* The spec of gs.breakpoint/gs.expect_never from argument 1. Values it
 * points to stay on the stack (as fields of the table or the argument). */
/* Raise an error for a key of the table at 1 that is not in KEYS (a
 * NULL-terminated list, named in the message as LIST): a typo such as
 * {onn = "park"} must not make a breakpoint on every event. */
static void check_keys(lua_State *L, const char *what, const char *const *keys, const char *list)
{
	lua_pushnil(L);
	while (lua_next(L, 1)) {
		lua_pop(L, 1); /* the value */
		const char *k = lua_type(L, -1) == LUA_TSTRING ? lua_tostring(L, -1) : NULL;
		const char *const *ok = keys;
		while (k && *ok && strcmp(*ok, k) != 0)
			ok++;
		if (!k || !*ok)
			luaL_error(L, "gs: %s: unknown field %s (fields: %s)", what,
				   luaL_tolstring(L, -1, NULL), list);
	}
}

static void get_spec(lua_State *L, struct break_spec *spec)
{
	if (!lua_istable(L, 1)) {
		get_cond(L, 1, spec);
		return;
	}
	get_kinds(L, &spec->kinds);
	lua_getfield(L, 1, "cond"); /* kept on the stack: spec points to it */
	get_cond(L, -1, spec);
	const char *tier = (lua_getfield(L, 1, "tier"), lua_tostring(L, -1));
	if (tier && strcmp(tier, "lua") == 0)
		spec->force = BREAK_FORCE_LUA;
	else if (tier && strcmp(tier, "full") == 0)
		spec->force = BREAK_FORCE_STOP;
	else if (tier && strcmp(tier, "event") == 0)
		spec->force = BREAK_FORCE_EVENT;
	else if (tier && strcmp(tier, "runtime") != 0)
		luaL_error(L, "gs: tier: \"runtime\" (the default: the runtime if the condition "
			   "compiles), \"lua\", \"event\" or \"full\", not \"%s\"", tier);
	lua_pop(L, 1);
}

/* Breakpoint ID's commands from the table at 1: commands (a list of lines
 * or a function: gs_breakpoint checked) and silent, which a first line
 * "silent" also says, as in the commands command. */
static int is_silent(const char *line)
{
	line += strspn(line, " \t");
	return strncmp(line, "silent", 6) == 0 && line[6 + strspn(line + 6, " \t\r")] == '\0';
}

static void set_commands(lua_State *L, session *s, int id)
{
	int t = lua_getfield(L, 1, "commands"); /* kept: the lines point into it */
	int cmds = lua_gettop(L);
	int silent = (lua_getfield(L, 1, "silent"), lua_toboolean(L, -1));
	lua_pop(L, 1);
	if (t == LUA_TNIL && !silent)
		return;
	int n = t == LUA_TTABLE ? (int)lua_rawlen(L, cmds) : 0;
	luaL_checkstack(L, n, "too many commands");
	const char **lines = xcalloc((size_t)n + 1, sizeof *lines);
	int k = 0;
	for (int i = 0; i < n; i++) {
		lua_rawgeti(L, cmds, i + 1); /* kept */
		const char *line = lua_tostring(L, -1);
		if (k == 0 && is_silent(line))
			silent = 1;
		else
			lines[k++] = line;
	}
	int rc = break_set_commands(s, id, lines, k, t == LUA_TFUNCTION ? cmds : 0, silent);
	free(lines);
	if (rc < 0)
		luaL_error(L, "gs: %s", error_msg());
}

/* gs.breakpoint(cond | spec) -> id */
static int gs_breakpoint(lua_State *L)
{
	session *s = driving_session(L);
	struct break_spec spec = {0};
	luaL_argexpected(L, lua_istable(L, 1) || lua_isstring(L, 1) || lua_isfunction(L, 1) ||
			 lua_isnoneornil(L, 1), 1, "condition or table");
	static const char *const keys[] = {"on", "cond", "tier", "ignore", "commands", "silent",
					   "temporary", NULL};
	if (lua_istable(L, 1)) {
		check_keys(L, "breakpoint", keys,
			   "on, cond, tier, ignore, commands, silent, temporary");
		lua_getfield(L, 1, "temporary");
		spec.temporary = lua_toboolean(L, -1);
		lua_pop(L, 1);
	}
	get_spec(L, &spec);
	int t = lua_istable(L, 1) ? lua_getfield(L, 1, "commands") : LUA_TNIL;
	if (t != LUA_TNIL && t != LUA_TTABLE && t != LUA_TFUNCTION) /* before anything is made */
		return luaL_error(L, "gs: commands: a list of lines or a function, not a %s",
				  lua_typename(L, t));
	for (lua_Integer i = 1; t == LUA_TTABLE && i <= (lua_Integer)lua_rawlen(L, -1); i++) {
		if (lua_rawgeti(L, -1, i) != LUA_TSTRING)
			return luaL_error(L, "gs: commands[%d]: a line (string), not a %s", (int)i,
					  luaL_typename(L, -1));
		size_t n;
		const char *line = lua_tolstring(L, -1, &n);
		if (break_line_ok(s, line, n) < 0)
			return luaL_error(L, "gs: commands[%d]: %s", (int)i, error_msg());
		lua_pop(L, 1);
	}
	int st = lua_istable(L, 1) ? lua_getfield(L, 1, "silent") : LUA_TNIL;
	if (st != LUA_TNIL && st != LUA_TBOOLEAN)
		return luaL_error(L, "gs: silent: true or false, not a %s", lua_typename(L, st));
	lua_Integer ignore = 0;
	int isint = 1;
	if (lua_istable(L, 1) && lua_getfield(L, 1, "ignore") != LUA_TNIL &&
	    ((ignore = lua_tointegerx(L, -1, &isint)), !isint || ignore < 0))
		return luaL_error(L, "gs: ignore: a whole number >= 0, not %s", luaL_tolstring(L, -1, NULL));
	int id = break_add(s, &spec);
	if (id < 0)
		return luaL_error(L, "gs: %s", error_msg());
	if (lua_istable(L, 1)) {
		set_commands(L, s, id);
		break_set_ignore(s, id, ignore);
	}
	lua_pushinteger(L, id);
	return 1;
}

/* gs.delete(id) */
static int gs_delete(lua_State *L)
{
	session *s = driving_session(L);
	if (break_delete(s, (int)luaL_checkinteger(L, 1)) < 0)
		return luaL_error(L, "gs: %s", error_msg());
	return 0;
}

/* gs.breaks() -> list of breakpoint tables; gs.breaks(id) -> one, or nil */
static int gs_breaks(lua_State *L)
{
	session *s = get_session(L);
	if (!lua_isnoneornil(L, 1)) {
		break_push_info(s, (int)luaL_checkinteger(L, 1));
		return 1;
	}
	break_push_ids(s);                        /* ids */
	lua_Integer n = (lua_Integer)lua_rawlen(L, -1);
	lua_createtable(L, (int)n, 0);            /* ids, list */
	for (lua_Integer i = 1; i <= n; i++) {
		lua_rawgeti(L, -2, i);
		break_push_info(s, (int)lua_tointeger(L, -1));
		lua_rawseti(L, -3, i);
		lua_pop(L, 1);
	}
	return 1;
}

/* gs.analyze(cond) -> {tier, program, why, stop} */
static int gs_analyze(lua_State *L)
{
	session *s = get_session(L);
	if (break_analyze(s, luaL_checkstring(L, 1)) < 0)
		return luaL_error(L, "gs: %s", error_msg());
	return 1;
}

/* gs.eval(cond, [tier]) -> boolean, at the current stop */
static int gs_eval(lua_State *L)
{
	static const char *const tiers[] = {"lua", "runtime", NULL};
	session *s = driving_session(L);
	const char *cond = luaL_checkstring(L, 1);
	int t = luaL_checkoption(L, 2, "lua", tiers);
	char *err;
	int v = break_eval(s, cond, t == 1 ? BREAK_RUNTIME : BREAK_STOP, &err);
	if (v < 0)
		return luaL_error(L, "gs: %s", error_msg());
	lua_pushboolean(L, v);
	if (!err)
		return 1;
	lua_pushstring(L, err);
	free(err);
	return 2;
}

/* gs.refresh() -> ev */
static int gs_refresh(lua_State *L)
{
	session *s = driving_session(L);
	if (break_refresh(s) < 0)
		return luaL_error(L, "gs: %s", error_msg());
	return push_event(L);
}

/* "file:line" of the Lua code that called the running C function: of a
 * command file's line, when that is a Lua line. [-0, +1] */
static void push_where(lua_State *L)
{
	session *s = session_of(L);
	luaL_where(L, 1);
	size_t n;
	const char *w = lua_tolstring(L, -1, &n);
	if (s->src && *luaenv_unplaced(w) == '\0')
		lua_pushfstring(L, "%s:%d", s->src, s->src_line);
	else
		lua_pushlstring(L, w, n >= 2 && w[n - 2] == ':' && w[n - 1] == ' ' ? n - 2 : n);
	lua_remove(L, -2);
}

/* gs.assert(v, [msg]): v may be a function, called with no arguments. */
static int gs_assert(lua_State *L)
{
	session *s = get_session(L);
	luaL_checkany(L, 1);
	const char *msg = luaL_optstring(L, 2, "assertion failed");
	if (lua_isfunction(L, 1)) {
		lua_pushvalue(L, 1);
		lua_call(L, 0, 1);
		lua_replace(L, 1);
	}
	if (lua_toboolean(L, 1))
		return 0;
	s->failed = 1;
	if (s->json) {
		push_where(L);
		cJSON *o = cJSON_CreateObject();
		cJSON_AddStringToObject(o, "type", "fail");
		cJSON_AddStringToObject(o, "where", lua_tostring(L, -1));
		cJSON_AddStringToObject(o, "msg", msg);
		batch_json_emit(o);
		lua_pop(L, 1);
		s->fail_said = 1; /* (the script ends with this error) */
	}
	return luaL_error(L, "%s", msg);
}

/* gs.expect_never(cond | {on=, cond=, msg=}, [msg]) -> id */
static int gs_expect_never(lua_State *L)
{
	session *s = driving_session(L);
	struct break_spec spec = {.expect = 1};
	luaL_argexpected(L, lua_istable(L, 1) || lua_isstring(L, 1) || lua_isfunction(L, 1), 1,
			 "condition or table");
	static const char *const keys[] = {"on", "cond", "tier", "msg", NULL};
	if (lua_istable(L, 1))
		check_keys(L, "expect_never", keys, "on, cond, tier, msg");
	get_spec(L, &spec);
	if (!spec.cond && !spec.fn)
		return luaL_error(L, "gs: expect_never needs a condition");
	if (lua_istable(L, 1)) {
		lua_getfield(L, 1, "msg"); /* kept */
		spec.msg = lua_tostring(L, -1);
	} else {
		spec.msg = luaL_optstring(L, 2, NULL);
	}
	push_where(L); /* kept */
	spec.where = lua_tostring(L, -1);
	int id = break_add(s, &spec);
	if (id < 0)
		return luaL_error(L, "gs: %s", error_msg());
	lua_pushinteger(L, id);
	return 1;
}

/* ------------------------------------------------------------------ JSON */

#define FROMJSON_DEPTH 200 /* gs.fromjson refuses JSON nested deeper */

/* gs.json(v) -> JSON text, compact; goroutines, Ps and Ms inside v as ids */
static int gs_json(lua_State *L)
{
	luaL_checkany(L, 1);
	cJSON *j = batch_json_value(L, 1);
	char *text = cJSON_PrintUnformatted(j);
	cJSON_Delete(j);
	if (!text)
		return luaL_error(L, "gs: json: out of memory");
	lua_pushstring(L, text);
	cJSON_free(text);
	return 1;
}

/* gs.fromjson(text) -> value, or nil and "bad JSON near byte N" (where
 * cJSON gave up: inside an object it can be a byte or two past the fault) */
static int gs_fromjson(lua_State *L)
{
	size_t len;
	const char *text = luaL_checklstring(L, 1, &len);
	const char *end = text; /* after the value, or the error (cJSON_GetErrorPtr) */
	cJSON *j = cJSON_ParseWithLengthOpts(text, len, &end, 0);
	if (j)
		end += strspn(end, " \t\r\n"); /* only blanks after the value */
	if (!j || end != text + len) {
		cJSON_Delete(j);
		luaL_pushfail(L);
		lua_pushfstring(L, "bad JSON near byte %I", (lua_Integer)(end - text) + 1);
		return 2;
	}
	int ok = snapshot_push_json(L, j, FROMJSON_DEPTH, 1);
	cJSON_Delete(j);
	if (ok)
		return 1;
	luaL_pushfail(L);
	lua_pushfstring(L, "JSON nested deeper than %d", FROMJSON_DEPTH);
	return 2;
}

static const luaL_Reg gs_funcs[] = {
	{"cmd", gs_cmd},           {"start", gs_start},   {"run", gs_run},
	{"cont", gs_cont},         {"step", gs_step},     {"breakpoint", gs_breakpoint},
	{"delete", gs_delete},     {"breaks", gs_breaks}, {"analyze", gs_analyze},
	{"eval", gs_eval},         {"assert", gs_assert}, {"expect_never", gs_expect_never},
	{"refresh", gs_refresh},   {"json", gs_json},     {"fromjson", gs_fromjson},
	{NULL, NULL},
};

/* -------------------------------------------------------------- lua dir */

static int has_condition_lua(const char *dir)
{
	char *f = xasprintf("%s/condition.lua", dir);
	struct stat st;
	int ok = stat(f, &st) == 0 && S_ISREG(st.st_mode);
	free(f);
	return ok;
}

/*
 * gosched-repl's Lua directory, looked up like the overlay's:
 * $GOSCHED_LUA_DIR, lua/ beside the executable, ../share/gosched-repl/lua
 * from it, then the installed data directory. NULL if none has
 * condition.lua.
 */
static char *lua_dir(void)
{
	const char *env = getenv("GOSCHED_LUA_DIR");
	if (env && *env)
		return has_condition_lua(env) ? xstrdup(env) : NULL;
	char exe[PATH_MAX];
	char *cand[3];
	int n = 0;
	ssize_t len = readlink("/proc/self/exe", exe, sizeof exe - 1);
	if (len > 0) {
		exe[len] = '\0';
		char *slash = strrchr(exe, '/');
		if (slash)
			*slash = '\0';
		cand[n++] = xasprintf("%s/lua", exe);
		cand[n++] = xasprintf("%s/../share/gosched-repl/lua", exe);
	}
	cand[n++] = xstrdup(GOSCHED_DATADIR "/lua");
	char *found = NULL;
	for (int i = 0; i < n; i++) {
		if (!found && has_condition_lua(cand[i]))
			found = cand[i];
		else
			free(cand[i]);
	}
	return found;
}

/* Put DIR/?.lua in front of package.path. [-0, +0] */
static void add_lua_path(lua_State *L)
{
	char *dir = lua_dir();
	if (!dir)
		return; /* break with a condition will say condition.lua is missing */
	lua_getglobal(L, "package");
	lua_getfield(L, -1, "path");
	lua_pushfstring(L, "%s/?.lua;%s", dir, lua_tostring(L, -1));
	lua_setfield(L, -3, "path");
	lua_pop(L, 2);
	free(dir);
}

/* Install the global `gs` for session S. [-0, +0] */
void gslib_open(lua_State *L, session *s)
{
	lua_pushlightuserdata(L, s);
	lua_rawsetp(L, LUA_REGISTRYINDEX, &SESSION_KEY);
	luaL_newlib(L, gs_funcs);          /* gs */
	lua_pushlightuserdata(L, NULL);
	lua_setfield(L, -2, "null");
	lua_createtable(L, 0, 1);          /* gs, mt */
	lua_pushcfunction(L, gs_index);
	lua_setfield(L, -2, "__index");
	lua_setmetatable(L, -2);           /* gs */
	/* also require "gs", and errors name "gs.step" rather than "?" */
	luaL_getsubtable(L, LUA_REGISTRYINDEX, LUA_LOADED_TABLE); /* gs, loaded */
	lua_pushvalue(L, -2);
	lua_setfield(L, -2, "gs");
	lua_pop(L, 1);                     /* gs */
	lua_setglobal(L, "gs");
	add_lua_path(L);
}
