/*
 * repl.h -- where command lines come from: command files (-x), single
 * commands (-ex) and the interactive loop (readline at a terminal, plain
 * lines from a pipe). Errors are reported here, in one place.
 */
#ifndef GOSCHED_REPL_H
#define GOSCHED_REPL_H

#include "cmd.h"

/* Each returns CMD_OK, CMD_QUIT (leave now) or -1 (an error, reported). */
int repl_source(session *s, const char *path);
/* The -ex commands LINES (N of them), in order; a `commands` list left
 * open at their end is an error. */
int repl_commands(session *s, const char *const *lines, int n);
int repl_loop(session *s);

#endif
