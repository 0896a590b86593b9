/*
 * breakpoint.h -- breakpoints: what the rest of gosched-repl asks of them.
 *
 * A breakpoint is a set of event kinds and an optional condition, a Lua
 * expression over the model, evaluated by one of three tiers (below).
 * breakpoint.c keeps them and mirrors the enabled ones into the runtime;
 * break-stop.c sits between resuming the program and the stop the user
 * sees; cmd-break.c holds their commands.
 */
#ifndef GOSCHED_BREAKPOINT_H
#define GOSCHED_BREAKPOINT_H

#include "cmd.h"

/* Who evaluates a condition (condition.lua explains the choice). */
enum break_tier {
	BREAK_RUNTIME, /* the runtime's filter program, at the hook, without stopping */
	BREAK_EVENT,   /* Lua, from the event of a light check */
	BREAK_STOP,    /* Lua, on the full snapshot */
};

/* Asking for a tier below the one the condition allows; or, for a Lua
 * function (which cannot be analysed), the word that it only reads ev. */
enum { BREAK_FORCE_NONE, BREAK_FORCE_LUA, BREAK_FORCE_STOP, BREAK_FORCE_EVENT };

/* What break_add() makes. */
struct break_spec {
	unsigned kinds;   /* bit k: event kind k (break_kinds()); 0: every kind */
	const char *cond; /* Lua expression, or NULL */
	int fn;           /* or: the stack index of a Lua function (called with ev) */
	int force;        /* BREAK_FORCE_* */
	int expect;       /* an expect_never watch: a failure when true, never a stop */
	int temporary;    /* deleted at the first stop it makes (tbreak) */
	const char *where, *msg; /* expect: "file:line" of the call, and its message */
};

/* Parse event kinds ("park", "park ready", "park,ready") into *kinds;
 * -1 with error_set() for an unknown one. */
int break_kinds(const char *words, unsigned *kinds);
/* The kinds as text ("park ready", "any"), into OUT. */
void break_kinds_text(unsigned kinds, strbuf *out);

/* A new breakpoint (installed at once if the program is stopped): its
 * number, or -1 with error_set(). */
int break_add(session *s, const struct break_spec *spec);
/* Delete breakpoint ID; -1 with error_set() if there is none. */
int break_delete(session *s, int id);
/* Set the commands run when breakpoint ID stops the program: LINES (N of
 * them), or the Lua function at stack index FN (0: none); silent hides
 * the stop line. -1 with error_set() if there is no such breakpoint. */
int break_set_commands(session *s, int id, const char *const *lines, int n, int fn,
		       int silent);

/* The program has exited: an expect_never watch of a Lua tier whose
 * condition raised an error at every evaluation was never checked, and
 * fails the run (said on stderr). */
void break_exit_checks(session *s);

/* Does the commands line LINE (N bytes) compile, if it is Lua or a command
 * whose argument is Lua (print)? Else -1 with error_set(): the error shows
 * when the line is given, not at every stop. */
int break_line_ok(session *s, const char *line, size_t n);

/* Make COND (NULL: none) breakpoint ID's condition, in the tier it
 * belongs to; -1 with error_set() (and nothing changed) if there is no
 * such breakpoint or COND is bad. */
int break_set_condition(session *s, int id, const char *cond);

/* Let breakpoint ID's next N hits pass (counted, not stopping); -1 with
 * error_set() if there is no such breakpoint. */
int break_set_ignore(session *s, int id, long long n);

/* Push a table describing breakpoint ID (gs.breaks()), or nil. [-0, +1] */
void break_push_info(session *s, int id);
/* Push the list of breakpoint ids, in order. [-0, +1] */
void break_push_ids(session *s);

/* Push condition.lua's analysis of COND ({tier, program, why, stop}), or
 * return -1 with error_set() (syntax error, no condition.lua). [-0, +1|0] */
int break_analyze(session *s, const char *cond);
/* Evaluate COND at the current stop in TIER (BREAK_RUNTIME: the runtime's
 * eval; otherwise Lua on the model) as a breakpoint would: 1 true, 0 false
 * (an error in the condition is false: *err is then its message, to free),
 * or -1 with error_set() (no stop, a syntax error, not compilable). */
int break_eval(session *s, const char *cond, enum break_tier tier, char **err);

/* Read the model of the current stop again from the program (its state
 * as it is now: the same unless a thread escaped the freeze). */
int break_refresh(session *s);

/* At launch, before the first resume, which *FIRST says ("step 1" for
 * start, "cont" for run). With breakpoints it becomes "step 1": they are
 * installed at the first event, and evaluated there (break_wait). */
int break_install(session *s, const char **first);
/*
 * Wait for the resumed program's next message the user must see (as
 * target_wait(): TARGET_MSG, TARGET_EXITED or -1). Light checks, and stops
 * of breakpoints whose condition is false or that are ignored, are handled
 * here: the program resumes as it was. A WIRE_STOP comes with its model
 * loaded (s->have_stop).
 */
int break_wait(session *s, struct wire_msg *m);
/* At a reported stop: print which breakpoints stopped it (or the JSON
 * line); 1 if the status line must not be printed (silent, JSON). */
int break_report(session *s);
/* After a reported stop: run the stopping breakpoints' commands. 1 if one
 * of them resumed the program (the caller waits again), else 0. */
int break_commands(session *s);
/* Is a breakpoint's command list running? A resuming command then returns
 * without waiting: break_commands' caller waits. */
int break_in_commands(session *s);
/* Are conditions being evaluated at a light check? Nothing may then drive
 * the program or change its breakpoints. */
int break_evaluating(session *s);
/* `commands` is collecting lines: LINE is one of them. 1 if it was taken
 * (CMD_OK to the caller), 0 if the line is not for the collector, -1 with
 * error_set() if it is Lua that does not compile (not taken). */
int break_collect(session *s, const char *line);
/* Is `commands` collecting lines (the prompt says so)? */
int break_collecting(session *s);
/* Drop the list being collected (Ctrl-C): the breakpoint keeps its own. */
void break_collect_cancel(session *s);
/* An input (WHAT: "the file", "the -ex commands", ...) ended: close an
 * open `commands` list (-1, error_set()). */
int break_input_ended(session *s, const char *what);
/* The breakpoint numbers in ARGS (blank-separated) into IDS, at most MAX:
 * their count, or -1 with error_set() ("NAME: no breakpoint 7 ...") for one
 * that is not a number or not a breakpoint's. */
int break_parse_ids(session *s, const char *name, const char *args, int *ids, int max);
/* info breakpoints: those numbered in IDS (N of them), or all if N is 0 */
int break_info(session *s, const int *ids, int n);
/* Free everything (session_free). */
void break_free(session *s);

#endif
