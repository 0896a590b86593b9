/*
 * batch.h -- batch mode for CI: a Lua script run with no prompt
 * (gosched-repl --batch check.lua PROG), and --json, which makes every
 * stop, result, exit and failure a JSON line on standard output.
 */
#ifndef GOSCHED_BATCH_H
#define GOSCHED_BATCH_H

#include "cmd.h"

struct cJSON;

/* Run the Lua script PATH in session S. An error (a failed gs.assert, a
 * command that failed, a Lua error) ends it and is said on stderr with
 * file:line; it then sets s->failed (the exit status is 1, or 2 if the
 * program did not build) and returns -1. */
int batch_run_script(session *s, const char *path);

/* --json: from now on, Lua's print() writes {"type":"print"} lines. */
void batch_json_init(session *s);
/* Print O as one JSON line on stdout and free it. */
void batch_json_emit(struct cJSON *o);
/* --json: run LINE, which is not a command, as Lua; an expression's values
 * become a {"type":"result"} line. EXPR_ONLY: the print command. Returns
 * what luaenv_eval() does. */
int batch_json_lua(session *s, const char *line, int expr_only);
/* --json: the program ended ({"type":"exit"}). */
void batch_json_exit(session *s);

#endif
