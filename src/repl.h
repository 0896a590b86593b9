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
int repl_command(session *s, const char *line);
int repl_loop(session *s);

#endif
