/*
 * luaenv.h -- the REPL's one Lua state: evaluation of a line the way lua.c
 * does it (an expression is printed, a statement is run), errors with a
 * traceback that never escape, and the pretty printer for the model.
 */
#ifndef GOSCHED_LUAENV_H
#define GOSCHED_LUAENV_H

#include <lua.h>

#include "util.h"

/* luaenv_eval()/luaenv_format() results besides 0 and -1 (error_set()). */
enum { LUAENV_INCOMPLETE = 1 }; /* the chunk is unfinished: give it more lines */

/* A fresh state with the standard libraries and the model's metatables;
 * NULL and error_set() if it cannot be made. */
lua_State *luaenv_new(void);
void luaenv_close(lua_State *L);

/* Run CODE, one REPL line (or several, joined, once complete): the values
 * of an expression are pretty-printed on stdout, a statement is run. */
int luaenv_eval(lua_State *L, const char *code);

/* Evaluate the expression list EXPR and append its values, pretty-printed
 * and separated by tabs, to OUT (no newline at the end). */
int luaenv_format(lua_State *L, const char *expr, strbuf *out);

#endif
