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
	int history_off;    /* `history off`: the program records no events (cmd-history.c) */
	int json;           /* --json: stops and results as JSON lines (batch.c) */
	int fail_said;      /* --json: the script's error is a failure already on stdout */
	int quit_asked;     /* Lua ran quit (gs.cmd): the Lua unwinds, then the session ends */
	const char *src;    /* the command file the line being run comes from (NULL: typed) */
	int src_line;       /* and its line there */
	struct breaks *breaks; /* breakpoints and the stop filter (breakpoint.c) */
} session;

int session_init(session *s, const char *prog, char **args, int nargs);
/* The session a Lua function runs in (set by session_init). */
session *session_of(lua_State *L);
/* Lua functions of the history and stack commands (gs.history, g:stack()). */
void history_open(lua_State *L);
/* The program has ended: say so, check the expectations, forget the stop.
 * CMD_OK, or -1 with error_set() if the end lost something (cmd-run.c). */
int cmd_report_exit(session *s);
/* Apply `history off` to a program just launched: 0, or -1 with error_set(). */
int history_launch(session *s);
void stack_open(lua_State *L);
void session_free(session *s);

/* A handler returns CMD_OK, CMD_QUIT or -1 with error_set(). ARGS is the
 * rest of the line after the command word, leading blanks skipped. */
typedef int cmd_fn(session *s, const char *args);

#define CMD_REPEAT 1 /* an empty line at the prompt runs it again */
#define CMD_PREFIX2 2 /* a prefix needs two letters: a lone "g" or "t" stays Lua's */

/* The classes `help` groups commands by; an entry that sets none is "other". */
enum cmd_class {
	CMD_CLASS_OTHER = 0,
	CMD_CLASS_RUNNING,     /* start, run, continue, step, kill */
	CMD_CLASS_INSPECTING,  /* print, info, goroutines, history, bt */
	CMD_CLASS_BREAKPOINTS, /* break, delete, ... */
	CMD_CLASS_SCRIPTING,   /* source */
	CMD_CLASS_SUPPORT,     /* help, quit */
};

/* What the arguments of a command are, for completion (complete.c). Every
 * command, whatever it sets, gets event kinds after "on" and Lua after "if". */
enum cmd_args {
	CMD_ARGS_NONE = 0,
	CMD_ARGS_LUA,     /* a Lua expression (print) */
	CMD_ARGS_FILTER,  /* -options and a Lua filter over goroutine fields (goroutines) */
	CMD_ARGS_EVENT,   /* event kinds (step) */
	CMD_ARGS_COMMAND, /* a command name (help) */
	CMD_ARGS_INFO,    /* an info subcommand */
	CMD_ARGS_FILE,    /* a file name (source) */
	CMD_ARGS_BREAKS,  /* breakpoint numbers (delete, enable, disable) */
	CMD_ARGS_BREAK,   /* a breakpoint number (ignore, commands) */
	CMD_ARGS_BREAK_LUA, /* a breakpoint number, then Lua (condition) */
};

struct cmd_entry {
	const char *name;
	const char *alias;   /* an explicit short name, or NULL; wins over prefixes */
	const char *usage;   /* the arguments, "" if none */
	const char *summary; /* one line, for the list in `help` */
	const char *help;    /* the text of `help NAME`: what it does, then examples */
	int flags;
	cmd_fn *exec;
	enum cmd_class class; /* its section in `help` (default: other) */
	enum cmd_args args;   /* how its arguments complete (default: none) */
};

/* NULL-terminated, in the order `help` lists them. */
extern const struct cmd_entry *const cmd_table[];

/* The commands: cmd-run.c, cmd-info.c, cmd.c. */
extern const struct cmd_entry cmd_start_entry, cmd_run_entry, cmd_continue_entry,
	cmd_step_entry, cmd_kill_entry, cmd_info_entry, cmd_print_entry, cmd_help_entry,
	cmd_history_entry, cmd_bt_entry,
	cmd_quit_entry;
extern const struct cmd_entry cmd_goroutines_entry, cmd_source_entry; /* cmd-list.c, cmd-source.c */

/* The fields of a goroutine, P and M, NULL-terminated (cmd-info.c), and the
 * keys `goroutines -group` offers (cmd-list.c). */
extern const char *const cmd_g_fields[], *const cmd_p_fields[], *const cmd_m_fields[],
	*const cmd_sched_fields[], *const cmd_ev_fields[], *const cmd_stop_fields[];
extern const char *const cmd_group_keys[];

/* The name of info's subcommand I, or NULL past the last (cmd-info.c). */
const char *cmd_info_name(int i);

/* Append to OUT the names of the commands WORD (LEN bytes) may be a typo
 * or an abbreviation of, as "a, b or c"; their number (cmd-help.c). */
int cmd_suggest(const char *word, size_t len, strbuf *out);

/* Run LINE, which is not a command, as Lua; a failure whose first word
 * looks like a mistyped command says which commands it resembles
 * (cmd-help.c). Returns what luaenv_eval() does. */
int cmd_lua_line(session *s, const char *line);

/* Run the init file, if there is one: CMD_QUIT if it quit, else CMD_OK
 * (cmd-source.c). */
int cmd_source_init(session *s);

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
