/*
 * batch.h -- batch mode for CI: a Lua script run with no prompt
 * (gosched-repl --batch check.lua PROG), and --json, which makes every
 * stop, result, exit and failure a JSON line on standard output.
 */
#ifndef GOSCHED_BATCH_H
#define GOSCHED_BATCH_H

#include "cmd.h"

#include <stdio.h>

struct cJSON;

/* Run the Lua script PATH in session S. An error (a failed gs.assert, a
 * command that failed, a Lua error) ends it and is said on stderr with
 * file:line; it then sets s->failed (the exit status is 1, or 2 if the
 * program did not build) and returns -1. */
int batch_run_script(session *s, const char *path);

/* --json: from now on, Lua's print() writes {"type":"print"} lines. */
void batch_json_init(session *s, FILE *out);
/* Print O as one JSON line on stdout and free it. */
void batch_json_emit(struct cJSON *o);
/* A new object {"type":TYPE}, with "what":WHAT unless WHAT is NULL. */
struct cJSON *batch_json_new(const char *type, const char *what);
/* The Lua value at IDX as JSON, as in a result, but the goroutines, Ps and
 * Ms inside it are their ids (IDX itself, if one, is an object of its
 * fields): for the listings of info, goroutines, history and bt, and
 * gs.json. nil and gs.null (a NULL light userdata) are null. */
struct cJSON *batch_json_value(lua_State *L, int idx);
/* Move the members of the object FROM to the end of O and free FROM. */
void batch_json_merge(struct cJSON *o, struct cJSON *from);
/* --json: run LINE, which is not a command, as Lua; an expression's values
 * become a {"type":"result"} line. EXPR_ONLY: the print command. Returns
 * what luaenv_eval() does. */
int batch_json_lua(session *s, const char *line, int expr_only);
/* --json: the program ended ({"type":"exit"}). */
void batch_json_exit(session *s);

#endif
