/*
 * cmd-run.c -- the commands that drive the program: start, run, continue,
 * step and kill, and what is printed when it stops or ends.
 *
 * Each resumes the program and then waits for its next message: a stop
 * (the model is loaded and the status line printed) or the end of the
 * connection (the program is reaped and its exit line printed).
 */
#include "cmd.h"
#include "util.h"

#include <cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The event kinds a step can wait for (docs/PROTOCOL.md). */
static const char *const event_kinds[] = {
	"create", "start", "park",  "ready",   "exit",   "preempt", "yield",
	"syscall", "sysret", "steal", "handoff", "gcstop", "gcstart", NULL,
};

#define EVENT_KINDS "create, start, park, ready, exit, preempt, yield, syscall, sysret, " \
		    "steal, handoff, gcstop, gcstart"

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
 */
static void print_status(const snapshot_info *i)
{
	strbuf b = {0};
	const char *on = i->g >= 0 ? " on" : "";
	sb_printf(&b, "stopped at %s", i->kind);
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

/* [program exited with status 0] -- and the model is gone. */
static int report_exit(session *s)
{
	printf("[program %s]\n", target_status_text(s->t.wstatus));
	fflush(stdout);
	forget_stop(s);
	if (s->t.lost) {
		error_set("%s", s->t.lost);
		return -1;
	}
	return CMD_OK;
}

/* A stop message: load the model, print the status line. */
static int report_stop(session *s, const cJSON *root)
{
	if (snapshot_load(s->L, root, &s->stop) < 0) {
		forget_stop(s);
		return -1;
	}
	s->have_stop = 1;
	print_status(&s->stop);
	return CMD_OK;
}

/*
 * Wait for what the resumed program does next and report it. A bad message
 * leaves it stopped without a model: the next step or continue may work.
 */
static int wait_report(session *s)
{
	wire_msg m;
	int rc = target_wait(&s->t, &m);
	if (rc == TARGET_EXITED)
		return report_exit(s);
	if (rc < 0) {
		forget_stop(s);
		return -1;
	}
	switch (m.type) {
	case WIRE_STOP:
		rc = report_stop(s, m.root);
		break;
	case WIRE_ERROR:
		error_set("the program refused the command: %s", m.error);
		rc = -1;
		break;
	default:
		error_set("the program sent an unexpected hello");
		rc = -1;
		break;
	}
	wire_msg_free(&m);
	fflush(stdout);
	return rc;
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
	if (target_kill(&s->t)) {
		printf("[program killed]\n");
		fflush(stdout);
	}
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
		printf("[program %s]\n", target_status_text(s->t.wstatus));
		return -1;
	}
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
		"program's arguments are those given after -- on the command line.",
	.exec = cmd_start_exec,
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
	.help = "Like start, but the program is not stopped: it runs until it ends.",
	.exec = cmd_run_exec,
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
	.help = "Resume the stopped program; it runs until it ends.",
	.flags = CMD_REPEAT,
	.exec = cmd_continue_exec,
};

static int is_event_kind(const char *w, size_t n)
{
	for (const char *const *k = event_kinds; *k; k++)
		if (strlen(*k) == n && strncmp(*k, w, n) == 0)
			return 1;
	return 0;
}

static int all_digits(const char *w, size_t n)
{
	return n > 0 && strspn(w, "0123456789") >= n;
}

/*
 * Parse "[KIND] [N]" (either order) into the protocol command
 * "step N [KIND]".
 */
static int parse_step(const char *args, strbuf *cmd)
{
	long long count = 0;
	const char *kind = NULL;
	size_t kindlen = 0;
	for (const char *w = args + strspn(args, " \t"); *w; w += strspn(w, " \t")) {
		size_t n = strcspn(w, " \t");
		if (all_digits(w, n) && !count) {
			count = strtoll(w, NULL, 10);
			if (count <= 0) {
				error_set("step: the count must be positive");
				return -1;
			}
		} else if (is_event_kind(w, n) && !kind) {
			kind = w;
			kindlen = n;
		} else {
			error_set("step: unexpected \"%.*s\" (usage: step [KIND] [N], KIND one of "
				  EVENT_KINDS ")", (int)n, w);
			return -1;
		}
		w += n;
	}
	sb_printf(cmd, "step %lld", count ? count : 1);
	if (kind)
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
		"sysret, steal, handoff, gcstop or gcstart.\n"
		"  step          the next event\n"
		"  step 10       the tenth event from here\n"
		"  step park 3   the third goroutine to park\n"
		"At the prompt an empty line steps again.",
	.flags = CMD_REPEAT,
	.exec = cmd_step_exec,
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
	.help = "Kill the program (SIGKILL). start or run launches it again.",
	.exec = cmd_kill_exec,
};
