/*
 * build.c -- Go toolchain discovery and `go build -overlay`.
 *
 * Finds `go` ($GOSCHED_GO or PATH), asks it for GOROOT and GOVERSION, gates
 * the version, has overlay.c prepare the patched runtime and builds the
 * user's program (package directory or single file) against it. A program
 * that is already an overlay-built executable is recognised by the marker
 * string the overlay runtime embeds.
 */
#define _GNU_SOURCE /* pipe2, memmem */
#include "build.h"
#include "overlay.h"
#include "util.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

/* ---------------------------------------------------------------- helpers */

static int ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);
	return n >= m && strcmp(s + n - m, suffix) == 0;
}

static int is_executable_file(const char *path)
{
	struct stat st;
	return stat(path, &st) == 0 && S_ISREG(st.st_mode) && access(path, X_OK) == 0;
}

/* Is CMD runnable: an executable path, or a name found in $PATH? */
static int command_exists(const char *cmd)
{
	if (strchr(cmd, '/'))
		return is_executable_file(cmd);
	const char *path = getenv("PATH");
	if (!path)
		path = "/usr/local/bin:/usr/bin:/bin";
	for (const char *p = path;;) {
		size_t n = strcspn(p, ":");
		char *full = n ? xasprintf("%.*s/%s", (int)n, p, cmd) : xasprintf("./%s", cmd);
		int ok = is_executable_file(full);
		free(full);
		if (ok)
			return 1;
		if (!p[n])
			return 0;
		p += n + 1;
	}
}

/* PATH made absolute against the current directory (malloc'd). */
static char *absolute(const char *path)
{
	if (path[0] == '/')
		return xstrdup(path);
	char cwd[PATH_MAX];
	if (!getcwd(cwd, sizeof cwd)) {
		error_set("getcwd: %s", strerror(errno));
		return NULL;
	}
	return xasprintf("%s/%s", cwd, path);
}

/*
 * Run ARGV (PATH searched) in DIR (NULL: here) with environment ENVP (NULL:
 * ours). With OUT, its stdout is collected there (and its stderr too with
 * BOTH); otherwise it goes to our stderr, so that compiler chatter never
 * mixes with the debugger's stdout. Returns the exit status (128+signal if
 * killed), or -1 with error_set() if it never ran.
 */
static int run_cmd(const char *dir, char *const argv[], char *const envp[], strbuf *out,
		   int both)
{
	int fds[2] = {-1, -1};
	if (out && pipe2(fds, O_CLOEXEC) < 0) {
		error_set("pipe: %s", strerror(errno));
		return -1;
	}
	fflush(stdout);
	fflush(stderr);
	pid_t pid = fork();
	if (pid < 0) {
		error_set("fork: %s", strerror(errno));
		if (out) {
			close(fds[0]);
			close(fds[1]);
		}
		return -1;
	}
	if (pid == 0) {
		dup2(out ? fds[1] : 2, 1);
		if (out && both)
			dup2(fds[1], 2);
		if (dir && chdir(dir) < 0) {
			fprintf(stderr, "gosched-repl: %s: %s\n", dir, strerror(errno));
			_exit(127);
		}
		execvpe(argv[0], argv, envp ? envp : environ);
		fprintf(stderr, "gosched-repl: cannot run %s: %s\n", argv[0], strerror(errno));
		_exit(127);
	}
	if (out) {
		close(fds[1]);
		char chunk[4096];
		ssize_t n;
		while ((n = read(fds[0], chunk, sizeof chunk)) != 0) {
			if (n < 0 && errno == EINTR)
				continue;
			if (n < 0)
				break;
			sb_add(out, chunk, (size_t)n);
		}
		close(fds[0]);
	}
	int st;
	while (waitpid(pid, &st, 0) < 0) {
		if (errno != EINTR) {
			error_set("waitpid: %s", strerror(errno));
			return -1;
		}
	}
	return WIFSIGNALED(st) ? 128 + WTERMSIG(st) : WEXITSTATUS(st);
}

/* ------------------------------------------------------------- toolchain */

/* Take the next line of *P (malloc'd, without '\n'), advancing *P. */
static char *next_line(const char **p)
{
	size_t n = strcspn(*p, "\n");
	char *s = xmalloc(n + 1);
	memcpy(s, *p, n);
	s[n] = '\0';
	*p += n + ((*p)[n] == '\n');
	return s;
}

/*
 * `GO env GOROOT GOVERSION GOMODCACHE` run in DIR (a go.mod there may switch
 * the toolchain) into *T, which must be empty except for T->go. GOMODCACHE
 * goes to *MODCACHE if that is not NULL.
 */
static int go_env(gotool *t, const char *dir, char **modcache)
{
	char *argv[] = {t->go, "env", "GOROOT", "GOVERSION", "GOMODCACHE", NULL};
	strbuf out = {0};
	int st = run_cmd(dir, argv, NULL, &out, 0);
	if (st != 0) {
		if (st > 0)
			error_set("'%s env GOROOT GOVERSION' failed (exit status %d)", t->go, st);
		sb_free(&out);
		return -1;
	}
	const char *p = out.s ? out.s : "";
	t->goroot = next_line(&p);
	t->goversion = next_line(&p);
	char *mc = next_line(&p);
	if (modcache)
		*modcache = mc;
	else
		free(mc);
	sb_free(&out);
	if (!t->goroot[0] || !t->goversion[0]) {
		error_set("'%s env GOROOT GOVERSION' printed no GOROOT or GOVERSION", t->go);
		return -1;
	}
	return 0;
}

int gotool_find(gotool *t)
{
	memset(t, 0, sizeof *t);
	const char *go = getenv("GOSCHED_GO");
	int from_env = go && *go;
	if (!from_env)
		go = "go";
	if (!command_exists(go)) {
		if (from_env)
			error_set("GOSCHED_GO=%s is not an executable", go);
		else
			error_set("go: command not found in PATH; install Go 1.26 or newer "
				  "or set GOSCHED_GO");
		return -1;
	}
	t->go = xstrdup(go);
	if (go_env(t, NULL, NULL) < 0) {
		gotool_free(t);
		return -1;
	}
	return 0;
}

void gotool_free(gotool *t)
{
	free(t->go);
	free(t->goroot);
	free(t->goversion);
	memset(t, 0, sizeof *t);
}

/* ------------------------------------------------------------ programs */

/*
 * The marker string the overlay runtime embeds. Assembled at run time so
 * that this program's own binary does not carry it.
 */
static char *overlay_marker(void)
{
	return xasprintf("%s-%s", "gosched-repl-overlay", "v1");
}

/*
 * PROG is a regular file that is not Go source: accept it only if it is an
 * overlay-built executable (marker present).
 */
static int check_binary(const char *prog, int *is_binary)
{
	size_t len;
	char *data = read_file(prog, &len);
	if (!data)
		return -1;
	char *marker = overlay_marker();
	int marked = memmem(data, len, marker, strlen(marker)) != NULL;
	int elf = len >= 4 && memcmp(data, "\177ELF", 4) == 0;
	free(marker);
	free(data);
	if (marked) {
		*is_binary = 1;
		return 0;
	}
	if (elf || access(prog, X_OK) == 0)
		error_set("%s was not built with the gosched-repl overlay; pass its source "
			  "or use 'gosched-repl build'", prog);
	else
		error_set("%s is not a Go source file, a package directory or an executable", prog);
	return -1;
}

/* Is DIR, or one of its parents, the root of a Go module? */
static int in_module(const char *dir)
{
	char buf[PATH_MAX];
	if (!realpath(dir, buf))
		return 0;
	for (;;) {
		char *gomod = xasprintf("%s/go.mod", buf);
		int found = access(gomod, F_OK) == 0;
		free(gomod);
		if (found)
			return 1;
		char *slash = strrchr(buf, '/');
		if (!slash || slash == buf)
			break;
		*slash = '\0';
	}
	return access("/go.mod", F_OK) == 0;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/*
 * Append the non-test .go files of DIR, sorted, to the NULL-terminated
 * *ARGV of *ARGC entries. Returns 0, or -1 if there are none.
 */
static int add_go_files(const char *dir, char ***argv, int *argc)
{
	DIR *d = opendir(dir);
	if (!d) {
		error_set("%s: %s", dir, strerror(errno));
		return -1;
	}
	int first = *argc;
	struct dirent *e;
	while ((e = readdir(d)) != NULL) {
		const char *n = e->d_name;
		if (n[0] == '.' || n[0] == '_' || !ends_with(n, ".go") || ends_with(n, "_test.go"))
			continue;
		*argv = xrealloc(*argv, (size_t)(*argc + 2) * sizeof **argv);
		(*argv)[(*argc)++] = xstrdup(n);
	}
	closedir(d);
	if (*argc == first) {
		error_set("%s: no Go source files", dir);
		return -1;
	}
	qsort(*argv + first, (size_t)(*argc - first), sizeof **argv, cmp_str);
	(*argv)[*argc] = NULL;
	return 0;
}

/* Is PATH equal to DIR or beneath it? */
static int path_within(const char *path, const char *dir)
{
	size_t n = strlen(dir);
	return n > 0 && strncmp(path, dir, n) == 0 && (path[n] == '\0' || path[n] == '/');
}

/*
 * A GOROOT inside GOMODCACHE (a toolchain fetched through GOTOOLCHAIN) cannot
 * be overlaid: `go build` refuses replacements beneath GOMODCACHE. Give it a
 * second name outside, a symlink in our cache, and return that (malloc'd).
 */
static char *goroot_alias(const char *goroot, const char *goversion)
{
	char *name = xasprintf("goroot-%s", goversion);
	char *alias = overlay_cache_dir(name, overlay_fnv1a(goroot));
	free(name);
	if (!alias)
		return NULL;
	char cur[PATH_MAX];
	ssize_t n = readlink(alias, cur, sizeof cur - 1);
	if (n > 0) {
		cur[n] = '\0';
		if (strcmp(cur, goroot) == 0)
			return alias;
	}
	char *parent = xstrdup(alias);
	*strrchr(parent, '/') = '\0';
	char *tmp = xasprintf("%s.tmp.%d", alias, (int)getpid());
	unlink(tmp);
	int rc = mkdir_p(parent, 0755);
	if (rc == 0 && (symlink(goroot, tmp) < 0 || rename(tmp, alias) < 0)) {
		error_set("%s: %s", alias, strerror(errno));
		unlink(tmp);
		rc = -1;
	}
	free(tmp);
	free(parent);
	if (rc < 0) {
		free(alias);
		return NULL;
	}
	return alias;
}


/*
 * Show what `go build` said, run in DIR: its paths are relative to DIR
 * ("./main.go:3:15: ..."), so they are made relative to where the user is
 * ("cmd/app/main.go:3:15: ...").
 */
static void print_build_log(const strbuf *log, const char *dir)
{
	int here = strcmp(dir, ".") == 0;
	for (const char *p = log->s; p && *p;) {
		size_t n = strcspn(p, "\n");
		size_t path = strcspn(p, ":\n"); /* "../lib/lib.go:3:23: ..." */
		if (!here && (strncmp(p, "./", 2) == 0 || strncmp(p, "../", 3) == 0) && path < n) {
			char *joined = xasprintf("%s/%.*s", dir, (int)path, p);
			path_clean(joined);
			fprintf(stderr, "%s%.*s\n", joined, (int)(n - path), p + path);
			free(joined);
		} else {
			fprintf(stderr, "%.*s\n", (int)n, p);
		}
		p += n + (p[n] == '\n');
	}
	fflush(stderr);
}

/*
 * Patch the runtime of the toolchain that builds in DIR and run
 * `go build -overlay J -o OUT ARGS...` there. OUT is absolute.
 */
static int go_build(const gotool *t, const char *prog, const char *dir, const char *out,
		    char **args, int nargs)
{
	/* A go.mod in DIR may select another toolchain than the one in T. */
	gotool here = {.go = xstrdup(t->go)};
	char *modcache = NULL, *overlay_dir = NULL, *json = NULL, *alias = NULL;
	envv env = {0};
	int rc = go_env(&here, dir, &modcache);
	if (rc == 0)
		rc = overlay_version_check(here.goversion, here.goroot);
	if (rc == 0 && path_within(here.goroot, modcache)) {
		/* run that toolchain directly, under its second name */
		if (!(alias = goroot_alias(here.goroot, here.goversion)))
			rc = -1;
		else {
			free(here.goroot);
			here.goroot = xstrdup(alias);
			free(here.go);
			here.go = xasprintf("%s/bin/go", alias);
			char *add[] = {xasprintf("GOROOT=%s", alias), xstrdup("GOTOOLCHAIN=local")};
			env_with(&env, add, 2);
		}
	}
	if (rc == 0 && !(overlay_dir = overlay_find_dir()))
		rc = -1;
	if (rc == 0)
		rc = overlay_prepare(overlay_dir, here.goroot, here.goversion, &json);
	if (rc == 0) {
		char **argv = xcalloc((size_t)nargs + 7, sizeof *argv);
		int n = 0;
		argv[n++] = here.go;
		argv[n++] = "build";
		argv[n++] = "-overlay";
		argv[n++] = json;
		argv[n++] = "-o";
		argv[n++] = (char *)out;
		for (int i = 0; i < nargs; i++)
			argv[n++] = args[i];
		strbuf log = {0};
		int st = run_cmd(dir, argv, env.v, &log, 1);
		print_build_log(&log, dir);
		sb_free(&log);
		free(argv);
		if (st != 0) {
			error_set("build of %s failed", prog);
			rc = -1;
		}
	}
	env_free(&env);
	free(alias);
	free(json);
	free(overlay_dir);
	free(modcache);
	gotool_free(&here);
	return rc;
}

/*
 * Work out where and on what `go build` runs for PROG: a package directory
 * (".", or its files outside a module) or a single .go file.
 */
static int build_source(const gotool *t, const char *prog, int is_dir, const char *out)
{
	char *abs_out = absolute(out);
	if (!abs_out)
		return -1;
	char *dir;
	char **args = xcalloc(2, sizeof *args);
	int nargs = 0, rc = 0;
	if (is_dir) {
		dir = xstrdup(prog);
		if (in_module(dir))
			args[nargs++] = xstrdup(".");
		else
			rc = add_go_files(dir, &args, &nargs);
	} else {
		const char *slash = strrchr(prog, '/');
		dir = slash ? xasprintf("%.*s", (int)(slash - prog == 0 ? 1 : slash - prog), prog)
			    : xstrdup(".");
		args[nargs++] = xstrdup(slash ? slash + 1 : prog);
	}
	if (rc == 0)
		rc = go_build(t, prog, dir, abs_out, args, nargs);
	for (int i = 0; i < nargs; i++)
		free(args[i]);
	free(args);
	free(dir);
	free(abs_out);
	return rc;
}

int build_program(const gotool *t, const char *prog, const char *out, int *is_binary)
{
	*is_binary = 0;
	struct stat st;
	if (stat(prog, &st) < 0) {
		error_set("%s: %s", prog, strerror(errno));
		return -1;
	}
	if (S_ISREG(st.st_mode) && !ends_with(prog, ".go"))
		return check_binary(prog, is_binary);
	if (!S_ISREG(st.st_mode) && !S_ISDIR(st.st_mode)) {
		error_set("%s is not a Go source file, a package directory or an executable", prog);
		return -1;
	}
	if (!out || !*out) {
		error_set("no output path to build %s into", prog);
		return -1;
	}
	return build_source(t, prog, S_ISDIR(st.st_mode), out);
}
