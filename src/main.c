/*
 * main.c -- the command line of gosched-repl:
 *
 *   gosched-repl [options] PROG [--] [ARGS...]  debug PROG
 *   gosched-repl build PROG -o OUT              build an overlay binary
 *
 * Exit status: 0 ok, 1 failure (in -batch mode: a command failed), 2 usage
 * or build error.
 */
#include "batch.h"
#include "build.h"
#include "cmd.h"
#include "repl.h"
#include "util.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#ifndef GOSCHED_VERSION
#define GOSCHED_VERSION "dev"
#endif

#define USAGE_LINES \
	"usage: gosched-repl [options] PROG [--] [ARGS...]\n" \
	"       gosched-repl build PROG -o OUT\n"

static const char usage_text[] =
	USAGE_LINES
	"\n"
	"Debug the Go scheduler of PROG: a package directory, a .go file or a\n"
	"binary built by 'gosched-repl build'. Options come before PROG; ARGS, all\n"
	"that follows PROG (and an optional --), are the program's arguments.\n"
	"\n"
	"options:\n"
	"  -h, --help     show this help and exit\n"
	"  --version      show the version and the Go toolchain in use, and exit\n"
	"  -batch         no prompt: run the -x files and -ex commands (or, if there\n"
	"                 are none, the commands on standard input), then exit;\n"
	"                 the exit status is 1 if a command failed, 2 if the\n"
	"                 program did not build\n"
	"  -batch SCRIPT.lua\n"
	"                 the same, then run the Lua script (gs.* drives the\n"
	"                 program); status 1 if it fails (file:line on stderr)\n"
	"  --json         every stop, result, listing, exit and failure as a JSON line\n"
	"  --json-out FILE  the same, the lines written to FILE: standard output keeps\n"
	"                 only the program's own output\n"
	"  -x FILE        run the commands in FILE (repeatable, in order)\n"
	"  -ex CMD        run CMD after the -x files (repeatable, in order)\n"
	"  -n             do not read the init file\n"
	"                 ($XDG_CONFIG_HOME/gosched-repl/init)\n"
	"  -q             quiet: no banner\n"
	"\n"
	"Type \"help\" at the (gosched) prompt for the commands; see gosched-repl(1).\n";

/* What the command line asked for. */
struct options {
	const char *prog;
	char **args; /* after -- */
	int nargs;
	const char **files, **cmds;
	int nfiles, ncmds;
	const char *script; /* -batch SCRIPT.lua */
	int batch, quiet, noinit, json;
	const char *json_out; /* --json-out FILE */
};

static int usage_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static int usage_error(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	fprintf(stderr, "gosched-repl: ");
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\n%s(\"gosched-repl --help\" tells more)\n", USAGE_LINES);
	return EXIT_USAGE;
}

/* --version: ours, and the Go toolchain gotool_find() picks. */
static int print_version(void)
{
	gotool t;
	printf("gosched-repl %s\n", GOSCHED_VERSION);
	if (gotool_find(&t) < 0) {
		printf("go: unavailable: %s\n", error_msg());
		return EXIT_OK;
	}
	printf("go: %s (GOROOT %s)\n", t.goversion, t.goroot);
	gotool_free(&t);
	return EXIT_OK;
}

/* Does ARG name a Lua script (-batch SCRIPT.lua)? */
static int is_lua_file(const char *arg)
{
	size_t n = strlen(arg);
	return n > 4 && strcmp(arg + n - 4, ".lua") == 0;
}

/* Could PROG be a program: a directory, a .go file, or an executable (an
 * ELF file; the build step checks that it is overlay-built)? A command
 * file put where the program goes would otherwise run nothing. */
static int looks_like_program(const char *prog)
{
	struct stat st;
	size_t n = strlen(prog);
	if (stat(prog, &st) < 0 || !S_ISREG(st.st_mode) || (n > 3 && !strcmp(prog + n - 3, ".go")))
		return 1;
	char magic[4] = {0};
	FILE *f = fopen(prog, "rb");
	size_t got = f ? fread(magic, 1, sizeof magic, f) : 0;
	if (f)
		fclose(f);
	return got == 4 && memcmp(magic, "\177ELF", 4) == 0;
}

/* An option name without its leading "-" or "--". */
static const char *option_name(const char *arg)
{
	return arg + (arg[1] == '-' ? 2 : 1);
}

/*
 * Parse argv: options, then PROG; everything after PROG (after an optional
 * "--") is the program's. "--" before PROG ends the options. Returns -1 to
 * go on, or an exit status.
 */
static int parse_args(int argc, char **argv, struct options *o)
{
	o->files = xcalloc((size_t)argc, sizeof *o->files);
	o->cmds = xcalloc((size_t)argc, sizeof *o->cmds);
	int i = 1;
	for (; i < argc && !o->prog; i++) {
		const char *a = argv[i];
		if (strcmp(a, "--") == 0) {
			o->prog = i + 1 < argc ? argv[++i] : NULL;
			break;
		}
		if (a[0] != '-' || a[1] == '\0') {
			o->prog = a;
			break;
		}
		const char *name = option_name(a);
		if (strcmp(name, "h") == 0 || strcmp(name, "help") == 0) {
			fputs(usage_text, stdout);
			return EXIT_OK;
		} else if (strcmp(name, "version") == 0) {
			return print_version();
		} else if (strcmp(name, "batch") == 0) {
			o->batch = 1;
			if (i + 1 < argc && is_lua_file(argv[i + 1])) {
				if (o->script)
					return usage_error("two scripts (%s, %s): -batch runs one",
							   o->script, argv[i + 1]);
				o->script = argv[++i];
			}
		} else if (strcmp(name, "json") == 0) {
			o->json = 1;
		} else if (strcmp(name, "json-out") == 0) {
			if (i + 1 >= argc)
				return usage_error("option %s needs an argument", a);
			if (o->json_out)
				return usage_error("%s given twice", a);
			o->json = 1;
			o->json_out = argv[++i];
		} else if (strcmp(name, "q") == 0 || strcmp(name, "quiet") == 0) {
			o->quiet = 1;
		} else if (strcmp(name, "n") == 0) {
			o->noinit = 1;
		} else if (strcmp(name, "x") == 0 || strcmp(name, "ex") == 0) {
			if (i + 1 >= argc)
				return usage_error("option %s needs an argument", a);
			if (name[0] == 'x')
				o->files[o->nfiles++] = argv[++i];
			else
				o->cmds[o->ncmds++] = argv[++i];
		} else {
			return usage_error("unknown option %s", a);
		}
	}
	if (!o->prog)
		return usage_error("%s", "no program given");
	if (is_lua_file(o->prog))
		return usage_error("%s is a Lua script, not a program: it goes right after -batch "
				   "(gosched-repl -batch SCRIPT.lua [options] PROG)", o->prog);
	struct stat st;
	int dir = o->script && stat(o->script, &st) == 0 && S_ISDIR(st.st_mode);
	if (o->script && (dir || access(o->script, R_OK) < 0))
		return usage_error("%s: cannot read the script%s", o->script, dir ? " (a directory)" : "");
	if (access(o->prog, F_OK) < 0)
		return usage_error("%s: no such file or directory", o->prog);
	if (!looks_like_program(o->prog))
		return usage_error("%s is not a Go source file, a package directory or an executable "
				   "(a command file goes after -x, a Lua script right after -batch)",
				   o->prog);
	i++;
	if (i < argc && strcmp(argv[i], "--") == 0)
		i++;
	o->args = argv + i;
	o->nargs = argc - i;
	return -1;
}

/* gosched-repl build PROG -o OUT */
static int build_main(int argc, char **argv)
{
	const char *prog = NULL, *out = NULL;
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "-o") == 0 && i + 1 < argc)
			out = argv[++i];
		else if (strcmp(argv[i], "-h") == 0 || strcmp(argv[i], "--help") == 0) {
			printf("usage: gosched-repl build PROG -o OUT\n");
			return EXIT_OK;
		} else if (argv[i][0] != '-' && !prog)
			prog = argv[i];
		else
			return usage_error("build: unexpected argument \"%s\"", argv[i]);
	}
	if (!prog || !out)
		return usage_error("%s", "build needs PROG and -o OUT");
	if (access(prog, F_OK) < 0)
		return usage_error("build: %s: no such file or directory", prog);
	gotool t;
	int is_binary = 0;
	if (gotool_find(&t) < 0) {
		fprintf(stderr, "gosched-repl: %s\n", error_msg());
		return EXIT_USAGE;
	}
	int rc = build_program(&t, prog, out, &is_binary);
	gotool_free(&t);
	if (rc == 0 && is_binary)
		error_set("%s is already an overlay-built binary; nothing to build", prog);
	if (rc < 0 || is_binary) {
		fprintf(stderr, "gosched-repl: %s\n", error_msg());
		return EXIT_USAGE;
	}
	return EXIT_OK;
}

/*
 * The init file (unless -n), -x files, then -ex commands, then the prompt.
 * With -batch there is no prompt: standard input is read for commands only
 * if no -x or -ex gave some (otherwise it stays the program's).
 */
static void run_session(session *s, const struct options *o)
{
	if (!o->batch && !o->quiet && isatty(STDIN_FILENO)) /* first, as gdb's */
		printf("gosched-repl %s: debugging %s. Type \"help\" for the commands, "
		       "\"start\" to begin.\n", GOSCHED_VERSION, o->prog);
	if (!o->noinit && cmd_source_init(s) == CMD_QUIT)
		return;
	for (int i = 0; i < o->nfiles; i++)
		if (repl_source(s, o->files[i]) == CMD_QUIT)
			return;
	if (repl_commands(s, o->cmds, o->ncmds) == CMD_QUIT)
		return;
	if (o->script) {
		batch_run_script(s, o->script);
		return;
	}
	if (o->batch) {
		if (o->nfiles + o->ncmds == 0 && !isatty(STDIN_FILENO))
			repl_loop(s);
		return;
	}
	repl_loop(s);
}

/*
 * build, or a debugging session. The session is always cleaned up (program
 * killed, socket and build removed) before the exit status is returned.
 */
int main(int argc, char **argv)
{
	if (argc >= 2 && strcmp(argv[1], "build") == 0)
		return build_main(argc - 1, argv + 1);

	struct options o = {0};
	int rc = parse_args(argc, argv, &o);
	if (rc < 0) {
		session s;
		luaenv_pending(target_signal_pending); /* (a condition run after a Ctrl-C stops at once) */
		if (target_signals_init() < 0 || session_init(&s, o.prog, o.args, o.nargs) < 0) {
			fprintf(stderr, "gosched-repl: %s\n", error_msg());
			rc = EXIT_FAIL;
		} else {
			s.quiet = o.quiet;
			FILE *out = o.json_out ? fopen(o.json_out, "w") : stdout;
			if (o.json && out)
				batch_json_init(&s, out);
			if (out)
				run_session(&s, &o);
			else
				fprintf(stderr, "gosched-repl: %s: %s\n", o.json_out, strerror(errno));
			rc = !out ? EXIT_USAGE : !o.batch || !s.failed ? EXIT_OK
			     : s.t.build_failed ? EXIT_USAGE : EXIT_FAIL;
			if (out && out != stdout)
				fclose(out);
			session_free(&s);
		}
	}
	free(o.files);
	free(o.cmds);
	return rc;
}
