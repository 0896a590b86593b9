/*
 * cmd-run.c -- the commands that drive the program: start, run, continue,
 * step and kill, and what is printed when it stops or ends.
 *
 * Each resumes the program and then waits for its next message: a stop
 * (the model is loaded and the status line printed) or the end of the
 * connection (the program is reaped and its exit line printed).
 */
#include "cmd.h"
#include "batch.h"
#include "breakpoint.h"
#include "util.h"
#include "wire.h"

#include <cJSON.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The event kinds a step can wait for (docs/PROTOCOL.md). */
/* ------------------------------------------------------------- reporting */

/* The model is gone (the program ended, or the stop could not be read). */
static void forget_stop(session *s)
{
	snapshot_clear(s->L);
	s->have_stop = 0;
}

/*
 * stopped at park (chan receive): G5 on P0 M2 (event 17) | goroutines 12,
 * runnable 3, running 2
 * interrupted: G5 on P0 M2 (event 17) | ...   (Ctrl-C; G is the goroutine
 * the interrupted thread was running, if any)
 * interrupted at park (chan send): G26 ...     (Ctrl-C while the REPL was
 * answering a breakpoint's check at that event)
 */
static void print_status(const snapshot_info *i)
{
	strbuf b = {0};
	const char *on = i->g >= 0 ? " on" : "";
	if (strcmp(i->reason, "interrupt") != 0)
		sb_printf(&b, "stopped at %s", i->kind);
	else if (strcmp(i->kind, "interrupt") == 0)
		sb_puts(&b, "interrupted");
	else /* Ctrl-C came while the REPL held a scheduler event */
		sb_printf(&b, "interrupted at %s", i->kind);
	if (i->detail[0])
		sb_printf(&b, " (%s)", i->detail);
	sb_puts(&b, ":");
	if (i->g >= 0)
		sb_printf(&b, " G%lld", i->g);
	if (i->p >= 0) {
		sb_printf(&b, "%s P%lld", on, i->p);
		on = "";
	}
	if (i->m >= 0)
		sb_printf(&b, "%s M%lld", on, i->m);
	sb_printf(&b, " (event %lld) | goroutines %d, runnable %d, running %d", i->seq,
		  i->ngoroutines, i->nrunnable, i->nrunning);
	printf("%s\n", b.s);
	fflush(stdout);
	sb_free(&b);
	if (i->unfrozen > 0)
		fprintf(stderr, "warning: %lld thread(s) did not freeze in time; the snapshot "
			"may be inconsistent\n", i->unfrozen);
}

/* "[program exited with status 0]" (WHAT: "killed", or NULL for how it
 * ended), or the exit's JSON line. */
static void say_exit(session *s, const char *what)
{
	if (s->json)
		batch_json_exit(s);
	else
		printf("[program %s]\n", what ? what : target_status_text(s->t.wstatus));
	fflush(stdout);
}

int cmd_report_exit(session *s)
{
	say_exit(s, NULL);
	break_exit_checks(s);
	forget_stop(s);
	if (s->t.lost) {
		error_set("%s", s->t.lost);
		return -1;
	}
	return CMD_OK;
}

/* A stop, its model loaded by break_wait(): the breakpoints that stopped
 * it, then the status line. */
static int report_stop(session *s)
{
	if (!break_report(s))
		print_status(&s->stop);
	if (strcmp(s->stop.reason, "interrupt") == 0)
		luaenv_interrupt(s->L); /* Ctrl-C stops a script that resumed the program too */
	return CMD_OK;
}

/* Report a message that ended a wait: a stop, or what should not come. */
static int report_message(session *s, wire_msg *m)
{
	int rc;
	switch (m->type) {
	case WIRE_STOP:
		rc = report_stop(s);
		break;
	case WIRE_ERROR:
		error_set("the program refused the command: %s", m->error);
		rc = -1;
		break;
	default:
		error_set("the program sent an unexpected hello");
		rc = -1;
		break;
	}
	return rc;
}

/*
 * Wait for what the resumed program does next and report it. break_wait()
 * answers light checks and passes over the stops of breakpoints whose
 * condition is false; the commands of the breakpoints that stop run after
 * the status line, and if they resume the program we wait again. A bad
 * message leaves it stopped without a model: the next step or continue may
 * work.
 */
static int wait_report(session *s)
{
	if (break_in_commands(s))
		return CMD_OK; /* resumed by a breakpoint's commands: break_commands() waits */
	for (;;) {
		wire_msg m;
		int rc = break_wait(s, &m);
		if (rc == TARGET_EXITED)
			return cmd_report_exit(s);
		if (rc < 0) {
			forget_stop(s);
			return -1;
		}
		int stopped = m.type == WIRE_STOP;
		rc = report_message(s, &m);
		wire_msg_free(&m);
		fflush(stdout);
		if (rc < 0 || !stopped || break_commands(s) == 0)
			return rc;
	}
}

/* Resume the stopped program with CMD and report what happens next. */
static int resume(session *s, const char *cmd)
{
	if (cmd_need_stopped(s) < 0 || target_resume(&s->t, cmd) < 0)
		return -1;
	return wait_report(s);
}

/* ------------------------------------------------------- start and run */

/* Kill a live program before starting again. */
static void kill_old(session *s)
{
	if (target_kill(&s->t))
		say_exit(s, "killed");
	forget_stop(s);
}

/*
 * Launch the program (building it the first time) and give it its first
 * command: "step 1" stops at the first scheduler event, "cont" runs it.
 */
static int launch(session *s, const char *first)
{
	kill_old(s);
	int rc = target_launch(&s->t);
	if (rc < 0)
		return -1;
	if (rc == TARGET_EXITED) { /* error_set() says why that is wrong */
		say_exit(s, NULL);
		return -1;
	}
	if (history_launch(s) < 0 || break_install(s, &first) < 0) /* may make the first resume a step */
		return -1;
	return resume(s, first);
}

static int cmd_start_exec(session *s, const char *args)
{
	if (cmd_no_args(&cmd_start_entry, args) < 0)
		return -1;
	return launch(s, "step 1");
}

const struct cmd_entry cmd_start_entry = {
	.name = "start",
	.usage = "",
	.summary = "build if needed, launch, stop at the first scheduler event",
	.help = "Build the program if it has not been built yet, launch it (killing a\n"
		"running one first) and stop it at its first scheduler event. The\n"
		"program's arguments are those given after -- on the command line.\n"
		"Examples:\n"
		"  start\n"
		"  start          (again: kill the program and start over)",
	.exec = cmd_start_exec,
	.class = CMD_CLASS_RUNNING,
};

static int cmd_run_exec(session *s, const char *args)
{
	if (cmd_no_args(&cmd_run_entry, args) < 0)
		return -1;
	return launch(s, "cont");
}

const struct cmd_entry cmd_run_entry = {
	.name = "run",
	.usage = "",
	.summary = "build if needed, launch and let the program run",
	.help = "Like start, but the program is not stopped: it runs until it ends, or\n"
		"until Ctrl-C stops it where it is (the status line says interrupted).\n"
		"Examples:\n"
		"  run\n"
		"  r",
	.exec = cmd_run_exec,
	.class = CMD_CLASS_RUNNING,
};

/* -------------------------------------------------------- continue, step */

static int cmd_continue_exec(session *s, const char *args)
{
	if (cmd_no_args(&cmd_continue_entry, args) < 0)
		return -1;
	return resume(s, "cont");
}

const struct cmd_entry cmd_continue_entry = {
	.name = "continue",
	.alias = "c",
	.usage = "",
	.summary = "resume the program and let it run",
	.help = "Resume the stopped program; it runs until it ends, until a\n"
		"breakpoint stops it (see break), or until Ctrl-C stops it where it is\n"
		"(the status line says interrupted). A step that a breakpoint cut short\n"
		"is over. At the prompt an empty line continues again.\n"
		"Examples:\n"
		"  continue\n"
		"  c",
	.flags = CMD_REPEAT,
	.exec = cmd_continue_exec,
	.class = CMD_CLASS_RUNNING,
};

#define STEP_MAX ((1LL << 40) - 1) /* the runtime's (dbgStepLimit) */

/* Is the word W (N bytes) a number, signed or not? */
static int is_number(const char *w, size_t n)
{
	size_t sign = n > 1 && (w[0] == '-' || w[0] == '+');
	return n > sign && strspn(w + sign, "0123456789") >= n - sign;
}

/*
 * Parse "[KIND] [N]" (either order; KIND "any" is every kind) into the
 * protocol command "step N [KIND]".
 */
static int parse_step(const char *args, strbuf *cmd)
{
	long long count = 0;
	const char *kind = NULL;
	size_t kindlen = 0;
	for (const char *w = args + strspn(args, " \t"); *w; w += strspn(w, " \t")) {
		size_t n = strcspn(w, " \t");
		if (is_number(w, n) && !count) {
			errno = 0;
			count = strtoll(w, NULL, 10);
			if (count <= 0 || errno == ERANGE || count > STEP_MAX) {
				error_set(count > 0 ? "step: the count %.*s is too large"
					  : "step: the count must be positive, not %.*s", (int)n, w);
				return -1;
			}
		} else if ((wire_kind(w, n) > 0 || (n == 3 && !strncmp(w, "any", 3))) && !kind) {
			kind = w;
			kindlen = n;
		} else {
			error_set("step: unexpected \"%.*s\" (usage: step [KIND] [N], KIND one of "
				  "any, " WIRE_KIND_LIST ")", (int)n, w);
			return -1;
		}
		w += n;
	}
	sb_printf(cmd, "step %lld", count ? count : 1);
	if (kind && strncmp(kind, "any", kindlen) != 0)
		sb_printf(cmd, " %.*s", (int)kindlen, kind);
	return 0;
}

static int cmd_step_exec(session *s, const char *args)
{
	strbuf cmd = {0};
	int rc = parse_step(args, &cmd);
	if (rc == 0)
		rc = resume(s, cmd.s);
	sb_free(&cmd);
	return rc;
}

const struct cmd_entry cmd_step_entry = {
	.name = "step",
	.alias = "s",
	.usage = "[KIND] [N]",
	.summary = "resume until the next (N-th) scheduler event (of KIND)",
	.help = "Resume the program until the next scheduler event and stop there. With\n"
		"N, stop at the N-th event from here; with KIND, count only events of\n"
		"that kind: create, start, park, ready, exit, preempt, yield, syscall,\n"
		"sysret, steal, handoff, gcstop, gcstart, deadlock or end (any: every kind). KIND\nand "
		"N may come in either order.\n"
		"  step          the next event\n"
		"  step 10       the tenth event from here\n"
		"  step park 3   the third goroutine to park\n"
		"At the prompt an empty line steps again; Ctrl-C stops the program\n"
		"where it is if the event takes long to come.",
	.flags = CMD_REPEAT,
	.exec = cmd_step_exec,
	.class = CMD_CLASS_RUNNING,
	.args = CMD_ARGS_EVENT,
};

/* ------------------------------------------------------------------ kill */

static int cmd_kill_exec(session *s, const char *args)
{
	if (cmd_no_args(&cmd_kill_entry, args) < 0)
		return -1;
	if (s->t.pid <= 0) {
		error_set("the program is not running");
		return -1;
	}
	kill_old(s);
	return CMD_OK;
}

const struct cmd_entry cmd_kill_entry = {
	.name = "kill",
	.usage = "",
	.summary = "kill the program",
	.help = "Kill the program (SIGKILL). start or run launches it again.\n"
		"Examples:\n"
		"  kill\n"
		"  k",
	.exec = cmd_kill_exec,
	.class = CMD_CLASS_RUNNING,
};
