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
 * Functions follow lauxlib's conventions: bad arguments raise argument
 * errors, a failed command raises its message.
 */
#include "gslib.h"
#include "cmd.h"
#include "util.h"

#include <lauxlib.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>

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

/* Run LINE as a command; raises its error. */
static void run_command(lua_State *L, const char *line)
{
	session *s = get_session(L);
	if (cmd_execute(s, line) < 0)
		luaL_error(L, "%s", error_msg());
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

/* gs.cmd(line) -> true */
static int gs_cmd(lua_State *L)
{
	run_command(L, luaL_checkstring(L, 1));
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

static int gs_cont(lua_State *L)
{
	run_command(L, "continue");
	return push_event(L);
}

/* gs.step([kind], [n]): both optional, in that order; gs.step(5) too. */
static int gs_step(lua_State *L)
{
	strbuf line = {0};
	sb_puts(&line, "step");
	int arg = 1;
	if (lua_type(L, arg) == LUA_TSTRING)
		sb_printf(&line, " %s", lua_tostring(L, arg++));
	else if (lua_isnil(L, arg) && !lua_isnone(L, arg))
		arg++;
	if (!lua_isnoneornil(L, arg)) {
		lua_Integer n = luaL_checkinteger(L, arg);
		luaL_argcheck(L, n > 0, arg, "the count must be positive");
		sb_printf(&line, " %lld", (long long)n);
	}
	session *s = get_session(L);
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

static const luaL_Reg gs_funcs[] = {
	{"cmd", gs_cmd}, {"start", gs_start}, {"run", gs_run}, {"cont", gs_cont},
	{"step", gs_step}, {NULL, NULL},
};

/* Install the global `gs` for session S. [-0, +0] */
void gslib_open(lua_State *L, session *s)
{
	lua_pushlightuserdata(L, s);
	lua_rawsetp(L, LUA_REGISTRYINDEX, &SESSION_KEY);
	luaL_newlib(L, gs_funcs);          /* gs */
	lua_createtable(L, 0, 1);          /* gs, mt */
	lua_pushcfunction(L, gs_index);
	lua_setfield(L, -2, "__index");
	lua_setmetatable(L, -2);           /* gs */
	lua_setglobal(L, "gs");
}
