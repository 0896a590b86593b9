/*
 * repl.c -- the read loop. Lines come from command files (a .lua file is
 * one Lua chunk), -ex options or stdin: through GNU Readline's callback
 * interface at a terminal (polling the terminal and the signal pipe, so
 * Ctrl-C clears the line), with getline() otherwise. At a terminal each
 * line is appended to the history file as it is entered, Tab completes
 * (complete.c), an empty line repeats step or continue, and leaving while
 * the program is alive asks first. A line that starts an unfinished Lua
 * chunk (`for i = 0, #p - 1 do`) collects the following lines until the
 * chunk is complete.
 * Every error is reported by report(): `error: MSG`, or `FILE:LINE: MSG`.
 */
#include "repl.h"
#include "breakpoint.h"
#include "complete.h"
#include "util.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <readline/history.h>
#include <readline/readline.h>

#define PROMPT "(gosched) "
#define PROMPT_MORE ">> "
#define PROMPT_LIST ">" /* the lines of a commands list, as gdb */
#define HISTORY_MAX 1000

/* One source of lines: its name for messages and the Lua chunk in progress. */
struct input {
	const char *name; /* file name, or NULL for stdin and -ex */
	int line;         /* number of the line being read */
	int first;        /* line where the pending chunk began */
	strbuf chunk;     /* an unfinished Lua chunk */
};

/*
 * The one place errors are printed, as FILE:LINE: MSG for a file (LINE is
 * where the failing command or chunk began: an error's line in a chunk
 * could be that of a function an earlier chunk defined), else error: MSG.
 * A failure is remembered for the exit status of -batch.
 */
static void report(session *s, const struct input *in)
{
	fflush(stdout); /* what came before the error comes first */
	if (in->name)
		fprintf(stderr, "%s:%d: %s\n", in->name, in->first, luaenv_unplaced(error_msg()));
	else
		fprintf(stderr, "error: %s\n", error_msg());
	fflush(stderr);
	s->failed = 1;
}

/*
 * Run one line from IN: a command, a Lua line, or the next line of a
 * pending chunk. Returns CMD_OK, CMD_QUIT (also after SIGTERM or SIGHUP),
 * CMD_MORE or -1 (reported).
 */
static int feed(session *s, struct input *in, const char *line)
{
	int rc;
	if (target_signals() & TARGET_SIGTERM)
		return CMD_QUIT; /* SIGTERM or SIGHUP: leave, whatever comes next */
	s->src = in->name; /* (gs.expect_never's place, from a command file) */
	if (in->chunk.len > 0) {
		sb_puts(&in->chunk, "\n");
		sb_puts(&in->chunk, line);
		rc = luaenv_eval(s->L, in->chunk.s);
		s->src = NULL;
		if (rc == LUAENV_INCOMPLETE)
			return CMD_MORE;
	} else {
		in->first = s->src_line = in->line;
		rc = cmd_execute(s, line);
		s->src = NULL;
		if (rc == CMD_MORE) {
			sb_puts(&in->chunk, line);
			return CMD_MORE;
		}
	}
	sb_free(&in->chunk);
	if (rc < 0)
		report(s, in);
	return rc;
}

/* At the end of IN: an unfinished chunk is an error. */
static int finish(session *s, struct input *in)
{
	if (in->chunk.len == 0)
		return CMD_OK;
	sb_free(&in->chunk);
	error_set("unfinished Lua chunk at the end of the input");
	report(s, in);
	return -1;
}

/* -ex CMD: one complete line. */
static int run_ex(session *s, const char *line)
{
	struct input in = {.line = 1};
	int rc = feed(s, &in, line);
	if (rc != CMD_MORE)
		return rc;
	return finish(s, &in);
}

/* The -ex commands, in order. A `commands` list may go on from one to the
 * next, but must end with them. */
int repl_commands(session *s, const char *const *lines, int n)
{
	int failed = 0;
	for (int i = 0; i < n; i++) {
		int rc = run_ex(s, lines[i]);
		if (rc == CMD_QUIT)
			return CMD_QUIT;
		failed |= rc < 0;
	}
	struct input none = {0};
	if (break_input_ended(s, "the -ex commands") < 0) {
		report(s, &none);
		failed = 1;
	}
	return failed ? -1 : CMD_OK;
}

/* Does PATH name a Lua file (.lua)? */
static int is_lua_file(const char *path)
{
	size_t n = strlen(path);
	return n > 4 && strcmp(path + n - 4, ".lua") == 0;
}

/* A .lua file: one chunk; its errors read FILE:LINE: MSG by themselves. */
static int run_lua_file(session *s, const char *path)
{
	if (luaenv_dofile(s->L, path) == 0)
		return CMD_OK;
	struct input whole = {0};
	report(s, &whole);
	return -1;
}

/* Did Ctrl-C interrupt the line just run: a new stop made by it (SEQ: the
 * stop before), or its Lua code stopped (SIGS: luaenv_signals() before)? */
static int interrupted(session *s, long long seq, long sigs)
{
	return (s->have_stop && s->stop.seq != seq && strcmp(s->stop.reason, "interrupt") == 0) ||
	       luaenv_signals() != sigs;
}

/*
 * -x FILE, source FILE: run its lines in order. An error is reported as
 * FILE:LINE: MSG and the file goes on, as the prompt does; quit ends it,
 * and so does a Ctrl-C that stopped the program (reported as an error).
 * A .lua file is run as one Lua chunk.
 */
int repl_source(session *s, const char *path)
{
	struct input in = {.name = path};
	if (is_lua_file(path))
		return run_lua_file(s, path);
	size_t len;
	char *text = read_file(path, &len);
	if (!text) {
		struct input whole = {0}; /* the file as a whole: no line number */
		report(s, &whole);
		return -1;
	}
	int rc = CMD_OK, failed = 0;
	for (char *line = text; line && rc != CMD_QUIT;) {
		char *end = memchr(line, '\n', len - (size_t)(line - text));
		if (!end && line == text + len)
			break; /* the text ended with a newline */
		size_t n = end ? (size_t)(end - line) : len - (size_t)(line - text);
		line[n] = '\0'; /* (the newline, or read_file's terminator) */
		if (n && line[n - 1] == '\r')
			line[--n] = '\0';
		in.line++;
		long long seq = s->have_stop ? s->stop.seq : -1;
		long sigs = luaenv_signals();
		if (strlen(line) != n) { /* (a binary file, say) */
			in.first = in.line;
			error_set("a NUL byte in the line: it is not run");
			report(s, &in);
			rc = -1;
		} else {
			rc = feed(s, &in, line);
		}
		failed |= rc < 0;
		line = end ? end + 1 : NULL;
		if (interrupted(s, seq, sigs) && line && *line) {
			error_set("interrupted: the rest of the file is not run");
			report(s, &in);
			failed = 1;
			break;
		}
	}
	free(text);
	if (rc == CMD_MORE)
		rc = finish(s, &in);
	if (rc != CMD_QUIT && break_input_ended(s, "the file") < 0) {
		report(s, &in);
		failed = 1;
	}
	sb_free(&in.chunk);
	return rc == CMD_QUIT ? CMD_QUIT : failed || rc < 0 ? -1 : CMD_OK;
}

/* ---------------------------------------------------------- the terminal */

static char *got_line;
static int line_done;

/* Readline's line handler: keep the line, leave callback mode. */
static void on_line(char *line)
{
	got_line = line;
	line_done = 1;
	rl_callback_handler_remove();
}

/* Ctrl-C at the prompt: abandon the line, move to a fresh one. */
static void abandon_line(void)
{
	rl_free_line_state();
	rl_callback_sigcleanup();
	rl_replace_line("", 0);
	rl_crlf();
	rl_callback_handler_remove();
}

/* Ctrl-Z at the prompt: put the terminal back as it was, stop, and once
 * the shell continues us, take the terminal again and redraw the line. */
static void suspend(void)
{
	rl_cleanup_after_signal();
	target_catch_tstp(0);
	raise(SIGTSTP); /* (returns once continued) */
	target_catch_tstp(1);
	rl_reset_after_signal();
	rl_forced_update_display();
}

/* Read results: a line, end of input, an interrupted line, terminate. */
enum { READ_LINE, READ_EOF, READ_INTR, READ_TERM };

/* read_tty's loop: feed readline what comes, until a line or a signal. */
static int read_tty_chars(void)
{
	while (!line_done) {
		struct pollfd p[2] = {
			{.fd = STDIN_FILENO, .events = POLLIN},
			{.fd = target_sigfd(), .events = POLLIN},
		};
		if (poll(p, 2, -1) < 0)
			continue;
		int sigs = p[1].revents ? target_signals() : 0;
		if (sigs & TARGET_SIGTERM) {
			rl_callback_handler_remove();
			return READ_TERM;
		}
		if (sigs & TARGET_SIGINT) {
			abandon_line();
			return READ_INTR;
		}
		if (sigs & TARGET_SIGTSTP)
			suspend();
		if (p[0].revents)
			rl_callback_read_char();
	}
	return got_line ? READ_LINE : READ_EOF;
}

/*
 * Read a line with readline's callback interface, polling the terminal and
 * the signal pipe. *line is malloc'd. A Ctrl-C that came before the prompt
 * (it interrupted a command) is forgotten.
 */
static int read_tty(const char *prompt, char **line)
{
	if (target_signals() & TARGET_SIGTERM)
		return READ_TERM;
	line_done = 0;
	got_line = NULL;
	/* A Ctrl-D read before (one that did not end the session) leaves
	 * readline's EOF state set, and every line after it an extra newline. */
	rl_eof_found = 0;
	RL_UNSETSTATE(RL_STATE_EOF);
	rl_callback_handler_install(prompt, on_line);
	target_catch_tstp(1); /* (Ctrl-Z while a line is read: suspend()) */
	int r = read_tty_chars();
	target_catch_tstp(0);
	if (r == READ_LINE)
		*line = got_line;
	return r;
}

/* Read a line from a pipe or file on stdin, without its newline. */
static int read_plain(char **line)
{
	char *buf = NULL;
	size_t cap = 0;
	ssize_t n = getline(&buf, &cap, stdin);
	if (n < 0) {
		free(buf);
		return (target_signals() & TARGET_SIGTERM) ? READ_TERM : READ_EOF;
	}
	while (n > 0 && (buf[n - 1] == '\n' || buf[n - 1] == '\r'))
		buf[--n] = '\0';
	*line = buf;
	return READ_LINE;
}

/* An answer: 1 for y, 0 for n, -1 for anything else. */
static int yes_or_no(const char *line)
{
	char c = line[strspn(line, " \t")];
	return c == 'y' || c == 'Y' ? 1 : c == 'n' || c == 'N' ? 0 : -1;
}

/*
 * Leaving at a terminal while the program is alive: ask first. 1 to leave
 * (y, or end of input as gdb takes it), 0 to stay (n, or Ctrl-C).
 */
static int confirm_quit(session *s)
{
	if (s->t.pid <= 0)
		return 1;
	char *prompt = xasprintf("The program is alive (pid %ld). Kill it and quit? (y or n) ",
				 (long)s->t.pid);
	int answer = -1;
	while (answer < 0) {
		char *line = NULL;
		int r = read_tty(prompt, &line);
		if (r == READ_LINE) {
			answer = yes_or_no(line);
			free(line);
			if (answer < 0)
				printf("Please answer y or n.\n");
		} else {
			if (r == READ_EOF)
				printf("\n");
			answer = r != READ_INTR;
		}
	}
	free(prompt);
	fflush(stdout);
	return answer;
}

/* ---------------------------------------------------------------- history */

/*
 * The history file: $GOSCHED_HISTFILE (empty or /dev/null: none), else
 * $XDG_STATE_HOME/gosched-repl/history, else ~/.local/state/gosched-repl/history.
 * NULL for none, or when the path is there but not a plain file.
 */
static char *history_path(void)
{
	const char *env = getenv("GOSCHED_HISTFILE");
	const char *state = getenv("XDG_STATE_HOME"), *home = getenv("HOME");
	char *path = NULL;
	struct stat st;
	if (env)
		path = *env && strcmp(env, "/dev/null") != 0 ? xstrdup(env) : NULL;
	else if (state && *state)
		path = xasprintf("%s/gosched-repl/history", state);
	else if (home && *home)
		path = xasprintf("%s/.local/state/gosched-repl/history", home);
	if (path && stat(path, &st) == 0 && !S_ISREG(st.st_mode)) {
		free(path);
		path = NULL;
	}
	return path;
}

/*
 * Load the history file, creating it (mode 0600, its directory 0700) so
 * that each line can be appended to it as it is entered.
 */
static void history_begin(const char *path)
{
	stifle_history(HISTORY_MAX);
	if (!path)
		return;
	char *dir = xstrdup(path);
	char *slash = strrchr(dir, '/');
	if (slash && slash != dir) {
		*slash = '\0';
		mkdir_p(dir, 0700);
	}
	free(dir);
	int fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
	if (fd >= 0)
		close(fd);
	read_history(path);
}

/* Add LINE to the history, and to its file at once, unless it is empty or
 * repeats the last entry. */
static void history_add(const char *path, const char *line)
{
	HIST_ENTRY *prev = history_length ? history_get(history_base + history_length - 1) : NULL;
	if (!*line || (prev && strcmp(prev->line, line) == 0))
		return;
	add_history(line);
	if (path)
		append_history(1, path);
}

/* At the end: keep the file to its last HISTORY_MAX lines. */
static void history_end(const char *path)
{
	if (path)
		history_truncate_file(path, HISTORY_MAX);
}

/* ------------------------------------------------------------- the loop */

/* Remember LINE for an empty line to repeat, if its command is repeatable. */
static void remember(char **last, const char *line)
{
	const struct cmd_entry *ce;
	const char *args;
	int kind = cmd_parse(line, &ce, &args);
	if (kind == CMD_LINE_EMPTY)
		return;
	free(*last);
	*last = kind == CMD_LINE_CMD && (ce->flags & CMD_REPEAT) ? xstrdup(line) : NULL;
}

/* What the terminal loop keeps between lines. */
struct term {
	char *histfile; /* NULL: no history file */
	char *last;     /* the line an empty line repeats, or NULL */
};

/*
 * A line typed at the terminal: into the history; an empty line outside a
 * chunk becomes the last step or continue. Returns the line to run
 * (malloc'd; LINE is consumed).
 */
static char *typed(session *s, struct term *t, struct input *in, char *line)
{
	history_add(t->histfile, line);
	if (in->chunk.len || break_collecting(s))
		return line;
	if (!*line && t->last) {
		free(line);
		line = xstrdup(t->last);
	}
	remember(&t->last, line);
	return line;
}

/* Read the next line: at the terminal with the prompt, else from the pipe. */
static int next_line(session *s, struct term *t, struct input *in, char **line)
{
	if (!t)
		return read_plain(line);
	complete_set_chunk(in->chunk.len > 0);
	return read_tty(in->chunk.len ? PROMPT_MORE : break_collecting(s) ? PROMPT_LIST : PROMPT,
			line);
}

/*
 * The end of the input, or a Ctrl-C, while `commands` collects a list. At
 * the terminal Ctrl-D ends the list as "end" would and Ctrl-C drops it; a
 * pipe that ends there is an error (the list is kept as read).
 */
static void list_interrupted(session *s, struct term *t, struct input *in, int r)
{
	if (r == READ_INTR) {
		break_collect_cancel(s);
		printf("(the list is dropped; the breakpoint's commands are unchanged)\n");
	} else if (t) {
		printf("end\n");
		break_collect(s, "end");
	} else if (break_input_ended(s, "the input") < 0) {
		report(s, in);
	}
	fflush(stdout);
}

/*
 * Read and run lines from stdin until quit, end of input or SIGTERM/SIGHUP.
 * At a terminal: readline with history and completion, an empty line
 * repeats the last step or continue, and quit or Ctrl-D asks first if the
 * program is alive.
 */
int repl_loop(session *s)
{
	struct term term = {0}, *t = isatty(STDIN_FILENO) ? &term : NULL;
	struct input in = {0};
	int rc = CMD_OK;
	if (t) {
		rl_catch_signals = 0;
		rl_readline_name = "gosched-repl";
		if (!isatty(STDOUT_FILENO) && isatty(STDERR_FILENO))
			rl_outstream = stderr; /* (the prompt and the editing to the terminal,
						* not into the output that is piped or kept) */
		complete_install(s->L);
		t->histfile = history_path();
		history_begin(t->histfile);
	}
	for (;;) {
		char *line = NULL;
		int r = next_line(s, t, &in, &line);
		if ((r == READ_INTR || r == READ_EOF) && break_collecting(s)) {
			list_interrupted(s, t, &in, r);
			if (t)
				continue;
		}
		if (r == READ_INTR) {
			sb_free(&in.chunk);
			continue;
		}
		if (r == READ_EOF && t && in.chunk.len) { /* Ctrl-D at ">>": drop the chunk */
			sb_free(&in.chunk);
			printf("\n(the unfinished Lua chunk is dropped)\n");
			continue;
		}
		if (r == READ_EOF && t)
			printf("quit\n");
		if (r == READ_EOF && t && !confirm_quit(s))
			continue;
		if (r != READ_LINE)
			break;
		in.line++;
		if (t)
			line = typed(s, t, &in, line);
		rc = feed(s, &in, line);
		free(line);
		if (rc == CMD_QUIT && t && !(target_signals() & TARGET_SIGTERM) && !confirm_quit(s)) {
			rc = CMD_OK;
			s->quit_asked = 0; /* (asked from a breakpoint's commands, say) */
		}
		else if (rc == CMD_QUIT)
			break;
	}
	if (t) {
		history_end(t->histfile);
		free(t->histfile);
		free(t->last);
	}
	if (rc != CMD_QUIT && in.chunk.len)
		finish(s, &in);
	sb_free(&in.chunk);
	return rc == CMD_QUIT ? CMD_QUIT : CMD_OK;
}
