/*
 * target.h -- the debugged program as a process: lazy build into a private
 * directory, launch with GOSCHED_REPL_SOCK, the wait for its connection and
 * its messages, kill, reaping and the exit status as text.
 *
 * The REPL is single-threaded and blocks while the program runs; every wait
 * polls the socket together with a self-pipe fed by the SIGCHLD, SIGINT,
 * SIGTERM and SIGHUP handlers, so a dying child, a Ctrl-C or a hangup is
 * noticed at once.
 */
#ifndef GOSCHED_TARGET_H
#define GOSCHED_TARGET_H

#include <sys/types.h>
#include <termios.h>

#include "build.h"
#include "page.h"
#include "wire.h"

enum target_state {
	TARGET_NONE,    /* no process */
	TARGET_RUNNING, /* resumed (or launched): a message or its exit is awaited */
	TARGET_STOPPED, /* frozen, reading commands from the socket */
};

typedef struct target {
	/* what to run */
	char *prog;  /* as given: package directory, .go file or binary */
	char **argv; /* argv[0] is set at launch; the rest are the program's arguments */
	int argc;

	/* the build (lazy, once) */
	gotool go;
	int have_go;
	char *builddir; /* private temporary directory (0700), or NULL */
	char *binary;   /* what is executed; NULL until built */
	int build_failed; /* a build failed: -batch exits 2 */

	/* the process */
	pid_t pid; /* 0 when there is none */
	sharedpage page; /* shared with it: the clock, the mailbox of checks */
	enum target_state state;
	int own_pgrp;   /* the program gets its own process group and the terminal */
	int wstatus;    /* waitpid status of the last program that ended */
	int has_exited; /* wstatus is valid */
	char *lost;     /* why the connection ended abnormally, or NULL */
	wire w;

	/* terminal modes while we own it, and the program's (own_pgrp only) */
	struct termios our_modes, its_modes;
	int have_modes;

	/* a Ctrl-C asked the running program to stop (cleared when it resumes):
	 * a light check that comes first is made a stop (cmd-break.c) */
	int interrupting;

	/* stops so far; the one whose goroutines line is still unread, or 0 */
	unsigned long stops, more_pending;
	/* that line, set aside undecoded when a request had to be sent first */
	char *rest;
	size_t restlen;
	unsigned long rest_stop;

	/* from the hello message */
	char *runtime_version;
	int gomaxprocs;
} target;

/* Signals noticed through the self-pipe (target_signals()). */
enum { TARGET_SIGINT = 1, TARGET_SIGTERM = 2, TARGET_SIGTSTP = 4 };

/* t->wstatus when the program was reaped by someone else. */
#define TARGET_STATUS_UNKNOWN (-1)

/* What target_launch() and target_wait() report besides -1 (error). */
enum { TARGET_EXITED = 0, TARGET_MSG = 1 };

/* Install the signal handlers and the self-pipe; once, at startup. */
int target_signals_init(void);
/* The self-pipe's read end: readable when a signal arrived. */
int target_sigfd(void);
/* Catch Ctrl-Z (SIGTSTP) as a flag (TARGET_SIGTSTP), or not (its default:
 * the REPL stops at once). The prompt catches it, to put the terminal back
 * first and redraw the line after. */
void target_catch_tstp(int catch);
/* Drain the self-pipe; the TARGET_SIG* bits that arrived since last time. */
int target_signals(void);
/* Is a SIGINT, SIGTERM or SIGHUP waiting for target_signals() (which this
 * does not consume)? Async-signal-safe. */
int target_signal_pending(void);

void target_init(target *t, const char *prog, char **args, int nargs);
int target_build(target *t);
int target_launch(target *t);
int target_resume(target *t, const char *cmd);
int target_wait(target *t, struct wire_msg *m);
int target_request(target *t, const char *cmd, const char *reply, struct wire_msg *m);
int target_goroutines(target *t, unsigned long stop, struct wire_msg *m);
int target_kill(target *t);
/* Did the program end while no one waited for it (killed while stopped)?
 * Then it is reaped: 1. */
int target_gone(target *t);
void target_cleanup(target *t);

/* "exited with status 0", "terminated by signal SIGKILL" (static buffer). */
const char *target_status_text(int wstatus);
/* "SIGKILL" for 9; "signal 99" for what has no name (static buffer). */
const char *target_signame(int sig);

#endif
