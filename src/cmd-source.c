/*
 * cmd-source.c -- `source FILE`: run a command file, or a Lua file (a name
 * ending in .lua), as if typed; and the init file read at start-up,
 * $XDG_CONFIG_HOME/gosched-repl/init (-n skips it).
 */
#include "cmd.h"
#include "repl.h"
#include "util.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define SOURCE_DEPTH_MAX 16 /* files sourcing files, at most this deep */

static int depth; /* source commands in progress */

/* The path ARG names: "~/" is the home directory. Malloc'd. */
static char *expand_path(const char *arg)
{
	const char *home = getenv("HOME");
	if (arg[0] == '~' && arg[1] == '/' && home && *home)
		return xasprintf("%s%s", home, arg + 1);
	return xstrdup(arg);
}

/* 0 if PATH is a readable file, else -1 with error_set(). */
static int check_file(const char *path)
{
	struct stat st;
	FILE *f = fopen(path, "r");
	if (!f) {
		error_set("%s: %s", path, strerror(errno));
		return -1;
	}
	int dir = fstat(fileno(f), &st) == 0 && S_ISDIR(st.st_mode);
	fclose(f);
	if (dir) {
		error_set("%s: is a directory", path);
		return -1;
	}
	return 0;
}

/* Does PATH name a Lua file? */
static int is_lua(const char *path)
{
	size_t n = strlen(path);
	return n > 4 && strcmp(path + n - 4, ".lua") == 0;
}

/*
 * Run PATH: a command file line by line (each error is reported as
 * FILE:LINE: MSG and the file goes on, so the source command itself does
 * not fail for it; quit in the file quits), or a .lua file as one chunk
 * (its error is the source command's).
 */
static int run_file(session *s, const char *path)
{
	if (is_lua(path)) {
		int rc = luaenv_dofile(s->L, path);
		return s->quit_asked ? CMD_QUIT : rc < 0 ? -1 : CMD_OK; /* (gs.cmd("quit")) */
	}
	return repl_source(s, path) == CMD_QUIT ? CMD_QUIT : CMD_OK;
}

/* source FILE */
static int cmd_source_exec(session *s, const char *args)
{
	size_t n = strlen(args);
	while (n > 0 && (args[n - 1] == ' ' || args[n - 1] == '\t'))
		n--;
	if (n == 0) {
		error_set("usage: source %s", cmd_source_entry.usage);
		return -1;
	}
	char *arg = xasprintf("%.*s", (int)n, args);
	char *path = expand_path(arg);
	free(arg);
	int rc = check_file(path);
	if (rc == 0 && depth >= SOURCE_DEPTH_MAX) {
		error_set("source: files nested more than %d deep (does %s source itself?)",
			  SOURCE_DEPTH_MAX, path);
		rc = -1;
	}
	if (rc == 0) {
		depth++;
		rc = run_file(s, path);
		depth--;
	}
	free(path);
	return rc;
}

const struct cmd_entry cmd_source_entry = {
	.name = "source",
	.usage = "FILE",
	.summary = "run the commands (or, for .lua, the Lua) in FILE",
	.help = "Run FILE: its lines as if typed at the prompt, commands and Lua, a Lua\n"
		"chunk spanning lines as at the prompt. An error is reported as\n"
		"FILE:LINE: message and the file goes on; quit in the file quits, and\n"
		"a Ctrl-C that stops the program ends the file. A file whose name ends\n"
		"in .lua is run as one Lua chunk (errors read FILE:LINE: too). Files\n"
		"may source files, 16 deep. ~/ is the home directory. The init file is\n"
		"sourced the same way at start-up.\n"
		"Examples:\n"
		"  source checks.gsr\n"
		"  source ~/lib/sched.lua",
	.exec = cmd_source_exec,
	.class = CMD_CLASS_SCRIPTING,
	.args = CMD_ARGS_FILE,
};

/*
 * The init file: $XDG_CONFIG_HOME/gosched-repl/init, else
 * ~/.config/gosched-repl/init. Malloc'd, or NULL without a home.
 */
static char *init_path(void)
{
	const char *config = getenv("XDG_CONFIG_HOME"), *home = getenv("HOME");
	if (config && *config)
		return xasprintf("%s/gosched-repl/init", config);
	if (home && *home)
		return xasprintf("%s/.config/gosched-repl/init", home);
	return NULL;
}

/*
 * Source the init file if it exists (a missing one is no error). Returns
 * CMD_QUIT if it quit, else CMD_OK; its errors are reported as
 * FILE:LINE: MSG.
 */
int cmd_source_init(session *s)
{
	char *path = init_path();
	struct stat st;
	int rc = CMD_OK;
	if (path && stat(path, &st) == 0)
		rc = repl_source(s, path) == CMD_QUIT ? CMD_QUIT : CMD_OK;
	free(path);
	return rc;
}
