/*
 * cmd.h -- the debugger session and its command table.
 *
 * Commands are cmd_entry records (tmux's pattern): one table drives
 * dispatch, abbreviations, `help` and completion. A line whose first word
 * is not a command is Lua.
 */
#ifndef GOSCHED_CMD_H
#define GOSCHED_CMD_H

#include <stddef.h>

#include "luaenv.h"
#include "snapshot.h"
#include "target.h"

/* Everything one debugger run holds. */
typedef struct session {
	lua_State *L;
	target t;
	snapshot_info stop; /* the current stop, when have_stop */
	int have_stop;
	int failed;         /* a command failed (the exit status of -batch) */
	int quiet;
} session;

int session_init(session *s, const char *prog, char **args, int nargs);
/* The session a Lua function runs in (set by session_init). */
session *session_of(lua_State *L);
/* Lua functions of the history and stack commands (gs.history, g:stack()). */
void history_open(lua_State *L);
void stack_open(lua_State *L);
void session_free(session *s);

/* A handler returns CMD_OK, CMD_QUIT or -1 with error_set(). ARGS is the
 * rest of the line after the command word, leading blanks skipped. */
typedef int cmd_fn(session *s, const char *args);

#define CMD_REPEAT 1 /* an empty line at the prompt runs it again */

struct cmd_entry {
	const char *name;
	const char *alias;   /* an explicit short name, or NULL; wins over prefixes */
	const char *usage;   /* the arguments, "" if none */
	const char *summary; /* one line, for the list in `help` */
	const char *help;    /* the text of `help NAME` */
	int flags;
	cmd_fn *exec;
};

/* NULL-terminated, in the order `help` lists them. */
extern const struct cmd_entry *const cmd_table[];

/* The commands: cmd-run.c, cmd-info.c, cmd.c. */
extern const struct cmd_entry cmd_start_entry, cmd_run_entry, cmd_continue_entry,
	cmd_step_entry, cmd_kill_entry, cmd_info_entry, cmd_print_entry, cmd_help_entry,
	cmd_history_entry, cmd_bt_entry,
	cmd_quit_entry;

/* Results of cmd_execute() besides -1 (error_set()). */
enum { CMD_OK = 0, CMD_QUIT = 1, CMD_MORE = 2 /* an unfinished Lua chunk */ };

/* What a line is (cmd_parse()). */
enum { CMD_LINE_EMPTY, CMD_LINE_CMD, CMD_LINE_LUA };

int cmd_lookup(const char *word, size_t len, const struct cmd_entry **ce);
int cmd_parse(const char *line, const struct cmd_entry **ce, const char **args);
int cmd_execute(session *s, const char *line);

/* Shared by the handlers. */
int cmd_need_stopped(session *s);
int cmd_no_args(const struct cmd_entry *ce, const char *args);

#endif
