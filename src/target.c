/*
 * target.c -- the debugged program as a process: lazy build, fork/exec with
 * GOSCHED_REPL_SOCK in its environment, the wait for its connection and its
 * messages (noticing death, Ctrl-C and hangups through a self-pipe), the
 * hand-over of the terminal while it runs, kill and reaping.
 */
#define _GNU_SOURCE /* pipe2 */
#include "target.h"
#include "util.h"

#include <cJSON.h>

#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

/* ---------------------------------------------------------------- signals */

static int sigpipe_fds[2] = {-1, -1};
static volatile sig_atomic_t got_sigint, got_sigterm, got_sigtstp;
static volatile sig_atomic_t got_any; /* the pipe may hold bytes: target_signals() drains it */
static volatile sig_atomic_t got_sigchld; /* a child changed state since reap() last looked */
static volatile sig_atomic_t sigint_from_tty; /* the last SIGINT came from the terminal */

/* Async-signal-safe: set a flag and wake whoever polls the self-pipe. */
static void on_signal(int sig, siginfo_t *si, void *ctx)
{
	int saved = errno;
	if (sig == SIGINT) {
		got_sigint = 1;
		sigint_from_tty = si && si->si_code == SI_KERNEL;
	} else if (sig == SIGTERM || sig == SIGHUP) {
		got_sigterm = 1;
	} else if (sig == SIGTSTP) {
		got_sigtstp = 1;
	}
	if (sig == SIGCHLD)
		got_sigchld = 1;
	got_any = 1;
	if (sigpipe_fds[1] >= 0 && write(sigpipe_fds[1], "", 1) < 0) {
		/* full: a wake-up is pending anyway */
	}
	errno = saved;
}

/*
 * SIGCHLD wakes a wait when the program dies (or stops: Ctrl-Z while it owns
 * the terminal); SIGINT, SIGTERM and SIGHUP are turned into flags. Every
 * wait is a poll() on the pipe, so SIGCHLD and SIGINT restart other system
 * calls; SIGTERM and SIGHUP do not, so a blocking read of commands from a
 * pipe returns and the REPL can leave.
 */
int target_signals_init(void)
{
	if (sigpipe_fds[0] >= 0)
		return 0;
	if (pipe2(sigpipe_fds, O_CLOEXEC | O_NONBLOCK) < 0) {
		error_set("pipe: %s", strerror(errno));
		return -1;
	}
	const struct {
		int sig, flags;
	} sigs[] = {{SIGCHLD, SA_RESTART}, {SIGINT, SA_RESTART}, {SIGTERM, 0}, {SIGHUP, 0}};
	for (size_t i = 0; i < sizeof sigs / sizeof sigs[0]; i++) {
		struct sigaction sa = {.sa_sigaction = on_signal, .sa_flags = sigs[i].flags | SA_SIGINFO};
		sigemptyset(&sa.sa_mask);
		sigaction(sigs[i].sig, &sa, NULL);
	}
	return 0;
}

void target_catch_tstp(int catch)
{
	struct sigaction sa = {.sa_sigaction = on_signal, .sa_flags = SA_RESTART | SA_SIGINFO};
	if (!catch)
		sa = (struct sigaction){.sa_handler = SIG_DFL};
	sigemptyset(&sa.sa_mask);
	sigaction(SIGTSTP, &sa, NULL);
	got_sigtstp = 0;
}

int target_sigfd(void)
{
	return sigpipe_fds[0];
}

/*
 * Drain the self-pipe and report SIGINT (once per arrival) and SIGTERM/SIGHUP
 * (sticky: once asked to terminate, the REPL keeps being told).
 */
int target_signal_pending(void)
{
	return got_sigint || got_sigterm;
}

int target_signals(void)
{
	char buf[64];
	if (got_any) { /* else the pipe is empty: no read (a light check resumes often) */
		got_any = 0;
		while (sigpipe_fds[0] >= 0 && read(sigpipe_fds[0], buf, sizeof buf) > 0)
			;
	}
	int sigs = 0;
	if (got_sigint) {
		got_sigint = 0;
		sigs |= TARGET_SIGINT;
	}
	if (got_sigterm)
		sigs |= TARGET_SIGTERM;
	if (got_sigtstp) {
		got_sigtstp = 0;
		sigs |= TARGET_SIGTSTP;
	}
	return sigs;
}

/* --------------------------------------------------------------- terminal */

/* Make PGRP the terminal's foreground process group (SIGTTOU held off). */
static void set_foreground(pid_t pgrp)
{
	sigset_t set, old;
	sigemptyset(&set);
	sigaddset(&set, SIGTTOU);
	sigprocmask(SIG_BLOCK, &set, &old);
	tcsetpgrp(STDIN_FILENO, pgrp);
	sigprocmask(SIG_SETMASK, &old, NULL);
}

/* Before resuming: the program gets the terminal, with its own modes. */
static void terminal_give(target *t)
{
	if (!t->own_pgrp || t->pid <= 0)
		return;
	if (t->have_modes)
		tcsetattr(STDIN_FILENO, TCSADRAIN, &t->its_modes);
	set_foreground(t->pid);
}

/* At a stop or exit: take the terminal back and restore our modes. */
static void terminal_take(target *t)
{
	if (!t->own_pgrp || tcgetpgrp(STDIN_FILENO) == getpgrp())
		return;
	if (t->pid > 0)
		tcgetattr(STDIN_FILENO, &t->its_modes);
	set_foreground(getpgrp());
	if (t->have_modes)
		tcsetattr(STDIN_FILENO, TCSADRAIN, &t->our_modes);
}

/* ----------------------------------------------------------- exit status */

const char *target_signame(int sig)
{
	static const char *names[] = {
		[SIGHUP] = "SIGHUP",   [SIGINT] = "SIGINT",       [SIGQUIT] = "SIGQUIT",
		[SIGILL] = "SIGILL",   [SIGTRAP] = "SIGTRAP",     [SIGABRT] = "SIGABRT",
		[SIGBUS] = "SIGBUS",   [SIGFPE] = "SIGFPE",       [SIGKILL] = "SIGKILL",
		[SIGUSR1] = "SIGUSR1", [SIGSEGV] = "SIGSEGV",     [SIGUSR2] = "SIGUSR2",
		[SIGPIPE] = "SIGPIPE", [SIGALRM] = "SIGALRM",     [SIGTERM] = "SIGTERM",
		[SIGCHLD] = "SIGCHLD", [SIGCONT] = "SIGCONT",     [SIGSTOP] = "SIGSTOP",
		[SIGTSTP] = "SIGTSTP", [SIGTTIN] = "SIGTTIN",     [SIGTTOU] = "SIGTTOU",
		[SIGURG] = "SIGURG",   [SIGXCPU] = "SIGXCPU",     [SIGXFSZ] = "SIGXFSZ",
		[SIGVTALRM] = "SIGVTALRM", [SIGPROF] = "SIGPROF", [SIGWINCH] = "SIGWINCH",
		[SIGIO] = "SIGIO",     [SIGPWR] = "SIGPWR",       [SIGSYS] = "SIGSYS",
	};
	static char buf[32];
	if (sig > 0 && (size_t)sig < sizeof names / sizeof names[0] && names[sig])
		return names[sig];
	snprintf(buf, sizeof buf, "signal %d", sig);
	return buf;
}

/* How the program ended, for "[program ...]" and info target. */
const char *target_status_text(int wstatus)
{
	static char buf[96];
	if (wstatus == TARGET_STATUS_UNKNOWN)
		snprintf(buf, sizeof buf, "ended (its status is unknown)");
	else if (WIFEXITED(wstatus))
		snprintf(buf, sizeof buf, "exited with status %d", WEXITSTATUS(wstatus));
	else if (WIFSIGNALED(wstatus))
		snprintf(buf, sizeof buf, "terminated by signal %s%s",
			 target_signame(WTERMSIG(wstatus)), WCOREDUMP(wstatus) ? " (core dumped)" : "");
	else
		snprintf(buf, sizeof buf, "ended (wait status %#x)", wstatus);
	return buf;
}

/* ------------------------------------------------------------------ build */

void target_init(target *t, const char *prog, char **args, int nargs)
{
	memset(t, 0, sizeof *t);
	t->w = (wire)WIRE_INIT;
	t->prog = xstrdup(prog);
	t->argc = nargs + 1;
	t->argv = xcalloc((size_t)nargs + 2, sizeof *t->argv);
	for (int i = 0; i < nargs; i++)
		t->argv[i + 1] = xstrdup(args[i]);
}

/* The file name for the built binary: PROG's last element without ".go". */
static char *binary_name(const char *prog)
{
	char *s = xstrdup(prog);
	size_t n = strlen(s);
	while (n > 1 && s[n - 1] == '/')
		s[--n] = '\0';
	char *slash = strrchr(s, '/');
	char *base = slash ? slash + 1 : s;
	size_t bn = strlen(base);
	if (bn > 3 && strcmp(base + bn - 3, ".go") == 0)
		base[bn - 3] = '\0';
	char *name = xstrdup(*base && strcmp(base, ".") && strcmp(base, "..") ? base : "prog");
	free(s);
	return name;
}

static int make_builddir(target *t)
{
	const char *tmp = getenv("TMPDIR");
	char *dir = xasprintf("%s/gosched-repl-bin.XXXXXX", tmp && *tmp ? tmp : "/tmp");
	if (!mkdtemp(dir)) {
		error_set("mkdtemp %s: %s", dir, strerror(errno));
		free(dir);
		return -1;
	}
	t->builddir = dir;
	return 0;
}

/* A regular file that is not Go source: possibly an overlay-built binary. */
static int is_plain_file(const char *path)
{
	struct stat st;
	size_t n = strlen(path);
	return stat(path, &st) == 0 && S_ISREG(st.st_mode) &&
	       !(n > 3 && strcmp(path + n - 3, ".go") == 0);
}

/*
 * Build the program once, into the private build directory; an overlay-built
 * binary is used as it is. A binary needs no toolchain, so a missing `go`
 * is only an error for sources.
 */
int target_build(target *t)
{
	if (t->binary)
		return 0;
	gotool none = {0};
	if (!t->have_go && gotool_find(&t->go) == 0)
		t->have_go = 1;
	if (!t->have_go && !is_plain_file(t->prog)) {
		t->build_failed = 1;
		return -1; /* gotool_find's error */
	}
	if (!t->builddir && make_builddir(t) < 0)
		return -1;
	char *name = binary_name(t->prog);
	char *out = xasprintf("%s/%s", t->builddir, name);
	free(name);
	int is_binary = 0;
	if (build_program(t->have_go ? &t->go : &none, t->prog, out, &is_binary) < 0) {
		if (got_sigint) /* (the terminal's Ctrl-C reached go build too) */
			error_set("the build of %s was interrupted", t->prog);
		else
			t->build_failed = 1;
		free(out);
		return -1;
	}
	if (is_binary) {
		free(out);
		out = xstrdup(t->prog);
	}
	t->binary = out;
	return 0;
}

/* --------------------------------------------------------------- process */

/* GOSCHED_REPL_TARGET's placeholder: the launched process writes its pid
 * there (put_pid) before exec. The runtime connects only if it is that
 * process: a child it starts (the program running itself again, from Go
 * or from C) inherits the variables but is not the program debugged. */
#define TARGET_VAR "GOSCHED_REPL_TARGET="
#define TARGET_PID_DIGITS 20

/* In ENV's GOSCHED_REPL_TARGET entry, PID in place of the placeholder
 * (after fork: no allocation, no stdio). */
static void put_pid(char **env, pid_t pid)
{
	for (; *env; env++) {
		if (strncmp(*env, TARGET_VAR, strlen(TARGET_VAR)) != 0)
			continue;
		char *d = *env + strlen(TARGET_VAR) + TARGET_PID_DIGITS;
		*d = '\0';
		do
			*--d = (char)('0' + pid % 10);
		while ((pid /= 10) > 0);
		memmove(*env + strlen(TARGET_VAR), d, strlen(d) + 1);
		return;
	}
}

/*
 * In the child: killed if the debugger (PARENT) dies, even by SIGKILL (a
 * program held at a stop, or running on, with no one to drive it, is
 * useless), own process group if we manage the terminal, a clean signal
 * mask, exec. A failure is reported to the parent as an errno through ERRFD.
 */
static void child_exec(target *t, char **env, int errfd, pid_t parent)
{
	prctl(PR_SET_PDEATHSIG, SIGKILL);
	if (getppid() != parent)
		_exit(127); /* it died before prctl */
	put_pid(env, getpid());
	if (t->own_pgrp)
		setpgid(0, 0);
	sigset_t none;
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	execve(t->binary, t->argv, env);
	int err = errno;
	if (write(errfd, &err, sizeof err) < 0) {
		/* nothing more to do */
	}
	_exit(127);
}

/* fork/exec the built binary; -1 (and no process) if it cannot be executed. */
static int spawn(target *t)
{
	int errpipe[2];
	if (pipe2(errpipe, O_CLOEXEC) < 0) {
		error_set("pipe: %s", strerror(errno));
		return -1;
	}
	/* the socket to connect to, whose SIGURG means "stop now", and the
	 * shared page */
	envv env;
	char *add[] = {xasprintf("GOSCHED_REPL_SOCK=%s", t->w.path),
		       xasprintf("GOSCHED_REPL_PID=%d", (int)getpid()),
		       xasprintf("GOSCHED_REPL_PAGE=%s", t->page.path),
		       xasprintf("%s%0*d", TARGET_VAR, TARGET_PID_DIGITS, 0)};
	env_with(&env, add, 4);
	fflush(stdout);
	fflush(stderr);
	pid_t parent = getpid(), pid = fork();
	if (pid == 0)
		child_exec(t, env.v, errpipe[1], parent);
	env_free(&env);
	close(errpipe[1]);
	if (pid < 0) {
		error_set("fork: %s", strerror(errno));
		close(errpipe[0]);
		return -1;
	}
	if (t->own_pgrp)
		setpgid(pid, pid);
	int err;
	ssize_t n;
	while ((n = read(errpipe[0], &err, sizeof err)) < 0 && errno == EINTR)
		;
	close(errpipe[0]);
	if (n == (ssize_t)sizeof err) {
		while (waitpid(pid, NULL, 0) < 0 && errno == EINTR)
			;
		error_set("cannot execute %s: %s", t->binary, strerror(err));
		return -1;
	}
	t->pid = pid;
	return 0;
}

/*
 * Collect the program's status if it has ended: 1 if it has (the target is
 * then back to TARGET_NONE), 0 if it is alive. A program stopped by job
 * control (Ctrl-Z while it owns the terminal) is continued: the debugger
 * decides when it runs.
 */
static int reap(target *t, int block)
{
	for (;;) {
		int st = 0;
		got_sigchld = 0; /* a SIGCHLD from now on makes target_wait() look again */
		pid_t r = waitpid(t->pid, &st, (block ? 0 : WNOHANG) | WUNTRACED);
		if (r < 0 && errno == EINTR)
			continue;
		if (r == 0)
			return 0;
		if (r > 0 && WIFSTOPPED(st)) {
			kill(t->pid, SIGCONT);
			if (block)
				continue;
			return 0;
		}
		t->wstatus = r > 0 ? st : TARGET_STATUS_UNKNOWN; /* ECHILD: reaped elsewhere */
		t->has_exited = 1;
		t->pid = 0;
		t->state = TARGET_NONE;
		wire_hangup(&t->w);
		terminal_take(t);
		return 1;
	}
}

/* Ctrl-C bookkeeping for one wait. */
struct waitctl {
	int nint;   /* SIGINTs seen */
	int hinted; /* "interrupt again" said */
};

/*
 * A signal while the program runs. SIGTERM/SIGHUP: kill it (the REPL then
 * quits). Ctrl-C: ask the program to stop where it is, with the SIGURG its
 * runtime takes from our pid as "stop now" -- unless the terminal sent the
 * SIGINT to a process group the program shares with us: then the program
 * got it too, and its runtime stops for it. (At a terminal the program has
 * its own group and the terminal, so we get no Ctrl-C while it runs.)
 * Either way the stop comes as a message. A second Ctrl-C kills it.
 */
static void wait_signals(target *t, struct waitctl *w)
{
	int sigs = target_signals();
	if (t->pid <= 0)
		return;
	if (sigs & TARGET_SIGINT) {
		w->nint++;
		t->interrupting = 1;
	}
	if ((sigs & TARGET_SIGINT) && w->nint == 1 && (t->own_pgrp || !sigint_from_tty))
		kill(t->pid, SIGURG);
	if ((sigs & TARGET_SIGTERM) || w->nint >= 2)
		kill(t->pid, SIGKILL);
}

/*
 * Block until FD (if >= 0) is readable, the program ends or a signal
 * arrives. If the program survives a Ctrl-C for a second, say how to kill
 * it.
 */
static void wait_for(target *t, int fd, struct waitctl *w)
{
	struct pollfd p[2] = {
		{.fd = target_sigfd(), .events = POLLIN},
		{.fd = fd, .events = POLLIN},
	};
	int timeout = w->nint == 1 && !w->hinted ? 1000 : -1;
	int n = poll(p, fd >= 0 ? 2 : 1, timeout);
	if (n == 0 && timeout > 0) {
		fprintf(stderr, "[the program is still running; interrupt again to kill it]\n");
		w->hinted = 1;
	}
	if (n > 0 && (p[0].revents & POLLIN))
		wait_signals(t, w);
}

/*
 * Wait for the launched program to connect. Returns 1 once it has, or
 * TARGET_EXITED if it ended first.
 */
static int wait_connect(target *t)
{
	struct waitctl w = {0};
	for (;;) {
		if (reap(t, 0))
			return TARGET_EXITED;
		int r = wire_accept(&t->w, t->pid);
		if (r == 1)
			return 1;
		if (r == 2)
			fprintf(stderr, "gosched-repl: warning: %s\n", error_msg());
		if (r < 0) {
			target_kill(t);
			return -1;
		}
		wait_for(t, t->w.lfd, &w);
	}
}

/*
 * Launch the program (building it first if needed) and wait for its hello.
 * Returns 1 when it is connected and waiting for its first command,
 * TARGET_EXITED if it ended before that (t->wstatus; error_set() says
 * when), or -1 (no process).
 */
static void drop_rest(target *t);
static int drain(target *t, int keep);

int target_launch(target *t)
{
	if (t->pid > 0) {
		error_set("the program is already running");
		return -1;
	}
	if (target_build(t) < 0 || wire_listen(&t->w) < 0 || page_start(&t->page, t->w.dir) < 0)
		return -1;
	t->argv[0] = t->binary;
	page_reset(&t->page);
	t->more_pending = 0;
	drop_rest(t);
	t->own_pgrp = isatty(STDIN_FILENO) && tcgetpgrp(STDIN_FILENO) == getpgrp();
	t->have_modes = t->own_pgrp && tcgetattr(STDIN_FILENO, &t->our_modes) == 0;
	t->its_modes = t->our_modes;
	t->has_exited = 0;
	free(t->lost);
	t->lost = NULL;
	target_signals(); /* forget a Ctrl-C that came before */
	if (spawn(t) < 0)
		return -1;
	t->state = TARGET_RUNNING;
	int rc = wait_connect(t);
	if (rc == TARGET_EXITED)
		error_set("the program ended without connecting to gosched-repl (was it built "
			  "with the gosched-repl overlay?)");
	if (rc != 1)
		return rc;

	wire_msg m;
	rc = target_wait(t, &m);
	if (rc == TARGET_EXITED) {
		error_set("the program ended before it said hello");
		return rc;
	}
	if (rc == TARGET_MSG && m.type != WIRE_HELLO) {
		error_set("the program sent a %s message before hello",
			  m.type == WIRE_STOP ? "stop" : "error");
		rc = -1;
	}
	if (rc < 0) {
		if (m.root)
			wire_msg_free(&m);
		target_kill(t);
		return -1;
	}
	free(t->runtime_version);
	t->runtime_version = xstrdup(m.goversion);
	t->gomaxprocs = m.gomaxprocs;
	wire_msg_free(&m);
	return 1;
}

/*
 * Send a resuming command (cont, step N [KIND]) to the stopped program and
 * hand it the terminal. If the connection is gone the program is exiting:
 * the following target_wait() reaps it.
 */
int target_resume(target *t, const char *cmd)
{
	fflush(stdout); /* (what Lua wrote with io.write comes before the program's output) */
	if (t->state != TARGET_STOPPED) {
		error_set(t->pid > 0 ? "the program is not stopped" : "the program is not running");
		return -1;
	}
	if (drain(t, 0) < 0)
		return -1;
	int sigs = target_signals();
	if (strcmp(cmd, "skip") != 0) {
		t->interrupting = 0; /* forget a Ctrl-C that came before */
	} else if (sigs & TARGET_SIGINT) {
		/* A skip resumes a program the user sees running: a Ctrl-C that
		 * came meanwhile still asks it to stop (cmd-break.c makes the
		 * next light check the stop if the runtime cannot). */
		t->interrupting = 1;
		if (t->own_pgrp || !sigint_from_tty)
			kill(t->pid, SIGURG);
	}
	terminal_give(t);
	if (wire_send(&t->w, cmd) < 0)
		wire_hangup(&t->w);
	t->state = TARGET_RUNNING;
	return 0;
}

/* A stop arrived: count it, and remember if its goroutines line follows. */
static void note_stop(target *t, const wire_msg *m)
{
	t->stops++;
	t->more_pending = cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(m->root, "more"))
				  ? t->stops : 0;
}

/* Forget the goroutines line set aside for an earlier stop. */
static void drop_rest(target *t)
{
	free(t->rest);
	t->rest = NULL;
	t->restlen = 0;
	t->rest_stop = 0;
}

/*
 * Before the stopped program is told anything, read past the goroutines
 * line of its stop if nobody asked for it yet. KEEP sets it aside,
 * undecoded, for target_goroutines (a request while the stop goes on);
 * otherwise (the program resumes) it is dropped: skipping even 100,000
 * goroutines costs only the copy.
 */
static int drain(target *t, int keep)
{
	if (!keep)
		drop_rest(t);
	if (!t->more_pending)
		return 0;
	unsigned long stop = t->more_pending;
	t->more_pending = 0;
	t->w.raw_next = 1;
	wire_msg m;
	int rc = target_wait(t, &m);
	t->w.raw_next = 0;
	if (rc != TARGET_MSG)
		return -1;
	if (keep && m.type == WIRE_RAW) {
		drop_rest(t);
		t->rest = xmalloc(m.rawlen + 1);
		memcpy(t->rest, m.raw, m.rawlen);
		t->rest[m.rawlen] = '\0';
		t->restlen = m.rawlen;
		t->rest_stop = stop;
	}
	wire_msg_free(&m);
	return 0;
}

/*
 * The goroutines line of stop number STOP (see note_stop): 0 with *m
 * filled (WIRE_GOROUTINES; the caller frees it), or -1 with error_set().
 */
int target_goroutines(target *t, unsigned long stop, wire_msg *m)
{
	if (stop && t->rest && t->rest_stop == stop) {
		int rc = wire_decode(t->rest, t->restlen, m);
		drop_rest(t);
		if (rc == 0 && m->type == WIRE_GOROUTINES)
			return 0;
		if (rc == 0)
			wire_msg_free(m);
		error_set("the program sent something else than the rest of the goroutines");
		return -1;
	}
	if (t->state != TARGET_STOPPED || !stop || t->more_pending != stop) {
		error_set("the rest of this stop's goroutines is gone: the program ran on");
		return -1;
	}
	t->more_pending = 0;
	if (target_wait(t, m) != TARGET_MSG)
		return -1;
	if (m->type == WIRE_GOROUTINES)
		return 0;
	error_set("the program sent something else than the rest of the goroutines");
	wire_msg_free(m);
	return -1;
}

/*
 * How long target_wait retries the socket before it sleeps in poll(): light
 * checks come microseconds apart, and waking a sleeping thread costs more
 * than answering one (the program spins on its side likewise).
 */
#define SPIN_NS 200000LL

/* Whether to retry the socket at once rather than sleep: within the spin
 * time and with no signal to look at. */
static int keep_spinning(long long *until)
{
	if (got_any)
		return 0;
	long long now = monotonic_ns();
	if (*until == 0)
		*until = now + SPIN_NS;
	return now < *until;
}

/*
 * Wait for the program's next message. Returns TARGET_MSG (*m filled, the
 * program is stopped), TARGET_EXITED (reaped: t->wstatus; t->lost set if
 * the connection broke mid-message), or -1 for a bad message (the program
 * is taken to be stopped, waiting for a command).
 */
int target_wait(target *t, wire_msg *m)
{
	memset(m, 0, sizeof *m);
	struct waitctl w = {0};
	long long spin = 0;
	for (;;) {
		if (t->state == TARGET_RUNNING && (m->mail = page_posted(&t->page)) != NULL) {
			m->type = WIRE_CHECK;
			return TARGET_MSG; /* (still running: the check is answered in the page) */
		}
		if (t->w.fd >= 0) {
			int r = wire_recv(&t->w, m);
			if (r == WIRE_AGAIN && keep_spinning(&spin))
				continue;
			if (r == WIRE_MSG || (r < 0 && t->w.fd >= 0)) {
				t->state = TARGET_STOPPED;
				terminal_take(t);
				if (r == WIRE_MSG && m->type == WIRE_STOP)
					note_stop(t, m);
				return r == WIRE_MSG ? TARGET_MSG : -1;
			}
			if (r < 0 && !t->lost)
				t->lost = xstrdup(error_msg());
		}
		/* The connection is gone, or a child changed state: is the program
		 * still alive? (While it is connected, its end shows as one of
		 * these; no waitpid per message, light checks come by the 100,000.) */
		if ((t->w.fd < 0 || got_sigchld) && reap(t, 0))
			return TARGET_EXITED;
		wait_for(t, t->w.fd, &w);
	}
}

/*
 * Ask the stopped program CMD and wait for its answer, a reply of type
 * REPLY ("hist", "stack", "eval", "ok"; "stop" for "snap", which sends the
 * stop again as the program is now): 0 with *m filled (the caller frees
 * it), or -1 with error_set() (the program refused, died, or answered
 * something else). The program stays stopped.
 */
int target_request(target *t, const char *cmd, const char *reply, wire_msg *m)
{
	if (t->state != TARGET_STOPPED) {
		error_set(t->pid > 0 ? "the program is not stopped" : "the program is not running");
		return -1;
	}
	if (drain(t, 1) < 0)
		return -1;
	if (wire_send(&t->w, cmd) < 0) {
		if (!reap(t, 0)) /* (else it died while stopped: say how it ended) */
			return -1;
		error_set("the program ended before \"%s\" (%s)", cmd, target_status_text(t->wstatus));
		return -1;
	}
	int rc = target_wait(t, m);
	if (rc == TARGET_EXITED) {
		error_set("the program ended while answering \"%s\" (%s)", cmd,
			  target_status_text(t->wstatus));
		return -1;
	}
	if (rc < 0)
		return -1;
	if (m->type == WIRE_ERROR)
		error_set("%s", m->error);
	else if (strcmp(reply, "stop") == 0 ? m->type != WIRE_STOP /* snap: the stop again */
		 : m->type != WIRE_REPLY || strcmp(m->reply, reply) != 0)
		error_set("the program answered \"%s\" with an unexpected message", cmd);
	else
		return 0;
	wire_msg_free(m);
	return -1;
}

int target_gone(target *t)
{
	return t->pid > 0 && got_sigchld && reap(t, 0);
}

/* Kill the program if there is one and reap it; 1 if one was killed. */
int target_kill(target *t)
{
	if (t->pid <= 0)
		return 0;
	kill(t->pid, SIGKILL);
	reap(t, 1);
	return 1;
}

/* nftw callback: remove whatever is in the private build directory. */
static int rm_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	remove(path);
	return 0;
}

/* At exit: kill the program, remove the socket, the build and its directory. */
void target_cleanup(target *t)
{
	target_kill(t);
	page_stop(&t->page);
	wire_close(&t->w);
	if (t->builddir)
		nftw(t->builddir, rm_entry, 8, FTW_DEPTH | FTW_PHYS);
	free(t->builddir);
	free(t->binary);
	free(t->prog);
	free(t->lost);
	free(t->rest);
	free(t->runtime_version);
	for (int i = 1; i < t->argc; i++)
		free(t->argv[i]);
	free(t->argv);
	if (t->have_go)
		gotool_free(&t->go);
	memset(t, 0, sizeof *t);
	t->w = (wire)WIRE_INIT;
}
