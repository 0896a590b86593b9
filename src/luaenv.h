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

/* Run the Lua file PATH (chunk name "@PATH", so errors read PATH:LINE:) the
 * way a line is run: protected, interruptible. 0, or -1 with error_set(). */
int luaenv_dofile(lua_State *L, const char *path);

/* Call FN with UD (light userdata) as its argument, the way a line is run:
 * protected, under the message handler, Ctrl-C interrupting the Lua it
 * calls. 0, or -1 with error_set(). */
int luaenv_call(lua_State *L, lua_CFunction fn, void *ud);

/* FN tells whether a Ctrl-C (SIGTERM, SIGHUP) came that its handler has
 * not yet acted on: luaenv_pcall then stops the Lua at once. */
void luaenv_pending(int (*fn)(void));

/* MSG without the place a REPL line's Lua gives its errors ("lua:1: "),
 * which says nothing where the line's own place is put in front. */
const char *luaenv_unplaced(const char *msg);

/* A message handler for lua_pcall: the error as a string, with a traceback
 * when it came from inside a Lua function. */
int luaenv_msghandler(lua_State *L);

/* lua_pcall, with Ctrl-C (and SIGTERM, SIGHUP) stopping the Lua it runs
 * with the error "interrupted!": *interrupted says whether that is why it
 * failed. The handlers it replaces still see the signals. */
int luaenv_pcall(lua_State *L, int nargs, int nresults, int *interrupted);

/* How many times a signal (Ctrl-C...) has stopped running Lua code: a
 * caller compares two readings to know whether the code it ran was. */
long luaenv_signals(void);

/* If Lua code is running (a script that resumed the program), make it stop
 * with "interrupted!" at its next instruction; otherwise nothing. */
void luaenv_interrupt(lua_State *L);

/* Append the value at IDX as a field of a record is shown: inline, tables
 * truncated with a count, goroutines, Ps and Ms as G5, P0, M2. [-0, +0] */
void luaenv_add_inline(lua_State *L, int idx, strbuf *out);

#endif
