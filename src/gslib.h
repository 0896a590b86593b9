/*
 * gslib.h -- the `gs` Lua library: debugger commands callable from Lua.
 */
#ifndef GOSCHED_GSLIB_H
#define GOSCHED_GSLIB_H

#include <lua.h>

struct session;

/* Install the global table `gs` bound to session S. */
void gslib_open(lua_State *L, struct session *s);

#endif
