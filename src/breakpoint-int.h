/*
 * breakpoint-int.h -- the breakpoint table as breakpoint.c, break-stop.c
 * and cmd-break.c share it. Nothing else includes this file: the rest of
 * gosched-repl goes through breakpoint.h.
 */
#ifndef GOSCHED_BREAKPOINT_INT_H
#define GOSCHED_BREAKPOINT_INT_H

#include "breakpoint.h"

#include <lua.h>

#define MAX_ENABLED 32 /* the runtime's breakpoint slots (gosched_filter.go dbgMaxBP) */

struct breakpoint {
	int id;
	unsigned kinds;        /* bit k: kind k; 0: any */
	char *cond;            /* the condition's text; NULL: none; "<function>" */
	int fn;                /* registry: f(env), or the user's function(ev); LUA_NOREF */
	int direct;            /* fn is the user's function: call it with ev */
	enum break_tier tier;
	int force;             /* BREAK_FORCE_* asked for */
	char *program;         /* the runtime tier's filter program */
	char *why;             /* why not the runtime tier */
	char *guard, *guardprog; /* a Lua tier's leading and-ed terms the runtime tests
	                         * first (text, program); NULL: none */
	char *warn;            /* what looks wrong in the condition (a field no record has) */
	char *stop_why;        /* why not the event tier (NULL: a check is enough) */
	char **parks, **skipped; /* installed, the wait reasons of the parks the runtime
	                        * evaluates it at, if not all (NULL: all, or unknown), and
	                        * of those it skips */
	int nparks, nskipped;
	char **at;             /* installed, the event kinds it is evaluated at, if fewer
	                        * than it takes (NULL: all of them, or unknown) */
	int nat;
	int enabled;
	long long hits, ignore;
	long long evals;       /* times Lua evaluated the condition */
	char **cmds;           /* commands run when it stops */
	int ncmds, silent;
	int cmd_fn;            /* registry: a Lua function run when it stops; LUA_NOREF */
	int expect, failed;    /* an expect_never watch, and whether it was true */
	int temporary;         /* deleted at the first stop it makes (tbreak) */
	char *where, *msg;     /* expect: where it was set, its message */
	long long nerrs;       /* condition errors (counted as false) */
	unsigned long long rterrs; /* of them, counted by the runtime since installed */
	unsigned long long rtignored; /* hits the runtime ignored since installed */
	char *lasterr;
	int warned;            /* a condition error was reported in this run */
	int inrt;              /* installed in the running program */
};

/* What a launch with breakpoints asked for (break_install). */
enum { LAUNCH_NONE, LAUNCH_START, LAUNCH_RUN };

/* What a light check decided, for the full stop it asks for. */
struct carried {
	int id, stops;
};

/* The conditions of a mailbox check that was not skipped there: their
 * truths wait for the same check on the socket (so each is evaluated once). */
struct mailed {
	long long check; /* the check's number; 0: none */
	int n;
	struct carried truth[MAX_ENABLED]; /* breakpoint id, truth */
};

struct breaks {
	struct breakpoint **v;
	int n, cap, next_id;
	int *gone, ngone;       /* deleted while installed: to remove from the runtime */
	int collecting;         /* `commands` reads lines for this breakpoint (0: no) */
	char **lines;           /* the lines collected so far */
	int nlines, silent_next;
	int depth;              /* `commands` lists inside the one collected, open */
	int in_cmds;            /* a stop's commands are running */
	int env;                /* registry: the globals of a check: {ev = ...} over _G */
	int filtering;          /* break_wait() is deciding: no runtime changes now */
	int launching;          /* LAUNCH_*: the breakpoints go in at the first event */
	int interrupted;        /* a Ctrl-C came while checks were answered: report the stop */
	struct carried carry[MAX_ENABLED];
	int ncarry;
	struct mailed mailed;   /* the truths of the last check taken from the mailbox */
	int *stopped, nstopped; /* breakpoints that stopped the program at this stop */
	char reason[16];        /* the reported stop's reason */
};

/* The session's table (made at first use), and breakpoint ID in it or NULL. */
struct breaks *breaks_of(session *s);
struct breakpoint *break_find(session *s, int id);
/* Should the runtime have BP? (An expect_never watch that failed is done.) */
int break_wanted(const struct breakpoint *bp);
int break_count_wanted(session *s);

/* The event kind K's name, or NULL; NAME's number, or -1. */
const char *break_kind_name(int k);
int break_kind_number(const char *name);
/* "runtime", "lua/event", "lua/stop". */
const char *break_tier_name(enum break_tier tier);
/* "on park if COND" / "if COND" / "on any": BP in one line, into OUT. */
void break_describe(const struct breakpoint *bp, strbuf *out);
void break_free_lines(char **lines, int n);

/* Evaluate BP's condition with the table at stack index ENV as its
 * globals: 1 true, 0 false (an error counts as false, and is reported). */
int break_cond_true(session *s, struct breakpoint *bp, int env);

/* Make the runtime's breakpoints those the REPL wants (only at a full
 * stop); is there something to tell it? */
int break_sync(session *s);
int break_dirty(session *s);
/* BP's compiled condition at this stop, by the runtime (an error counts
 * as false, and is reported); -1 with error_set() if it did not answer. */
int break_runtime_true(session *s, struct breakpoint *bp);

/* Take what the runtime counted for its breakpoints since the last look
 * (the shared page): the hits it ignored, which count as hits, and the
 * errors of the compiled conditions, reported as Lua's are. */
void break_runtime_counts(session *s);
/* Tell the runtime how many hits of BP to ignore (a runtime-tier
 * breakpoint's; the REPL counts the others' at their stops). */
void break_push_ignore(session *s, struct breakpoint *bp);

/* Remove entry I of the table (and later from the runtime). */
void break_remove_at(session *s, int i);

#endif
