/*
 * repl.c -- the read loop. Lines come from command files, -ex options or
 * stdin: through GNU Readline's callback interface at a terminal (polling
 * the terminal and the signal pipe, so Ctrl-C clears the line), with
 * getline() otherwise; at a terminal the history is kept in a file. A line
 * that starts an unfinished Lua chunk (`for i = 0, #p - 1 do`) collects the
 * following lines until the chunk is complete.
 * Every error is reported by report(): `error: MSG`, or `FILE:LINE: MSG`.
 */
#include "repl.h"
#include "util.h"

#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <readline/history.h>
#include <readline/readline.h>

#define PROMPT "(gosched) "
#define PROMPT_MORE ">> "
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
 * where the failing command or chunk began), else error: MSG. A failure is
 * remembered for the exit status of -batch.
 */
static void report(session *s, const struct input *in)
{
	fflush(stdout); /* what came before the error comes first */
	if (in->name)
		fprintf(stderr, "%s:%d: %s\n", in->name, in->first, error_msg());
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
	if (in->chunk.len > 0) {
		sb_puts(&in->chunk, "\n");
		sb_puts(&in->chunk, line);
		rc = luaenv_eval(s->L, in->chunk.s);
		if (rc == LUAENV_INCOMPLETE)
			return CMD_MORE;
	} else {
		in->first = in->line;
		rc = cmd_execute(s, line);
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
int repl_command(session *s, const char *line)
{
	struct input in = {.line = 1};
	int rc = feed(s, &in, line);
	if (rc != CMD_MORE)
		return rc;
	return finish(s, &in);
}

/*
 * -x FILE: run its lines in order. An error is reported as FILE:LINE: MSG
 * and the file goes on, as the prompt does; quit ends it.
 */
int repl_source(session *s, const char *path)
{
	struct input in = {.name = path};
	char *text = read_file(path, NULL);
	if (!text) {
		struct input whole = {0}; /* the file as a whole: no line number */
		report(s, &whole);
		return -1;
	}
	int rc = CMD_OK, failed = 0;
	for (char *line = text; line && rc != CMD_QUIT;) {
		char *end = strchr(line, '\n');
		if (!end && !*line)
			break; /* the text ended with a newline */
		if (end)
			*end = '\0';
		size_t n = strlen(line);
		if (n && line[n - 1] == '\r')
			line[n - 1] = '\0';
		in.line++;
		rc = feed(s, &in, line);
		failed |= rc < 0;
		line = end ? end + 1 : NULL;
	}
	free(text);
	if (rc == CMD_MORE)
		rc = finish(s, &in);
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

/* Completion of the first word: the command names. */
static char *command_names(const char *text, int state)
{
	static size_t i, len;
	if (!state) {
		i = 0;
		len = strlen(text);
	}
	while (cmd_table[i]) {
		const char *name = cmd_table[i++]->name;
		if (strncmp(name, text, len) == 0)
			return xstrdup(name);
	}
	return NULL;
}

static char **complete(const char *text, int start, int end)
{
	rl_attempted_completion_over = 1; /* no file names */
	if ((size_t)start != strspn(rl_line_buffer, " \t"))
		return NULL;
	return rl_completion_matches(text, command_names);
}

/*
 * The history file: $GOSCHED_HISTFILE (empty: none), else
 * $XDG_STATE_HOME/gosched-repl/history, else ~/.local/state/gosched-repl/history.
 */
static char *history_path(void)
{
	const char *env = getenv("GOSCHED_HISTFILE");
	const char *state = getenv("XDG_STATE_HOME"), *home = getenv("HOME");
	if (env)
		return *env ? xstrdup(env) : NULL;
	if (state && *state)
		return xasprintf("%s/gosched-repl/history", state);
	if (home && *home)
		return xasprintf("%s/.local/state/gosched-repl/history", home);
	return NULL;
}

/* Save the history (the last HISTORY_MAX lines) unless PATH is not a plain file. */
static void save_history(const char *path)
{
	struct stat st;
	if (!path || (stat(path, &st) == 0 && !S_ISREG(st.st_mode)))
		return;
	char *dir = xstrdup(path);
	char *slash = strrchr(dir, '/');
	if (slash && slash != dir) {
		*slash = '\0';
		mkdir_p(dir, 0700);
	}
	free(dir);
	write_history(path);
}

/* Read results: a line, end of input, an interrupted line, terminate. */
enum { READ_LINE, READ_EOF, READ_INTR, READ_TERM };

/*
 * Read a line with readline's callback interface, polling the terminal and
 * the signal pipe. *line is malloc'd.
 */
static int read_tty(const char *prompt, char **line)
{
	line_done = 0;
	got_line = NULL;
	rl_callback_handler_install(prompt, on_line);
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
		if (p[0].revents)
			rl_callback_read_char();
	}
	if (!got_line)
		return READ_EOF;
	*line = got_line;
	return READ_LINE;
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

/* Add LINE to the history unless it is empty or repeats the last entry. */
static void add_to_history(const char *line)
{
	HIST_ENTRY *prev = history_length ? history_get(history_base + history_length - 1) : NULL;
	if (*line && !(prev && strcmp(prev->line, line) == 0))
		add_history(line);
}

/*
 * Read and run lines from stdin until quit, end of input or SIGTERM/SIGHUP.
 * At a terminal: readline with history and command completion, an empty
 * line repeats the last step or continue.
 */
int repl_loop(session *s)
{
	int tty = isatty(STDIN_FILENO);
	struct input in = {0};
	char *last = NULL;
	int rc = CMD_OK;
	char *histfile = tty ? history_path() : NULL;
	if (tty) {
		rl_catch_signals = 0;
		rl_readline_name = "gosched-repl";
		rl_attempted_completion_function = complete;
		stifle_history(HISTORY_MAX);
		if (histfile)
			read_history(histfile);
	}
	for (;;) {
		char *line = NULL;
		int r = tty ? read_tty(in.chunk.len ? PROMPT_MORE : PROMPT, &line) : read_plain(&line);
		if (r == READ_INTR) {
			sb_free(&in.chunk);
			continue;
		}
		if (r != READ_LINE)
			break;
		in.line++;
		if (tty)
			add_to_history(line);
		if (tty && !*line && !in.chunk.len && last) {
			free(line);
			line = xstrdup(last);
		}
		if (tty && !in.chunk.len)
			remember(&last, line);
		rc = feed(s, &in, line);
		free(line);
		if (rc == CMD_QUIT)
			break;
	}
	free(last);
	save_history(histfile);
	free(histfile);
	if (rc != CMD_QUIT && in.chunk.len)
		finish(s, &in);
	sb_free(&in.chunk);
	return rc == CMD_QUIT ? CMD_QUIT : CMD_OK;
}
