/*
 * test_build.c -- unit tests of toolchain handling: the Go version gate,
 * finding `go`, and how build_program classifies PROG. No network and no
 * compilation: real toolchains are only asked `go env`.
 */
#define _GNU_SOURCE
#include <criterion/criterion.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "build.h"
#include "overlay.h"
#include "util.h"

static const char *go126 = "/usr/local/go/bin/go";
static const char *go119 = "/usr/lib/go-1.19/bin/go";

static int rm_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	return remove(path);
}

static char *scratch(void)
{
	char *d = xstrdup("/tmp/gsr-build-test-XXXXXX");
	cr_assert_not_null(mkdtemp(d));
	return d;
}

/* Write TEXT to DIR/NAME with MODE; returns the path. */
static char *make_file(const char *dir, const char *name, const char *text, int mode)
{
	char *p = xasprintf("%s/%s", dir, name);
	cr_assert_eq(write_file(p, text, strlen(text)), 0, "%s", error_msg());
	chmod(p, (mode_t)mode);
	return p;
}

/* ------------------------------------------------------------- versions */

Test(build_version, parse)
{
	int maj = -1, min = -1;
	cr_assert_eq(overlay_version_parse("go1.26.8", &maj, &min), 1);
	cr_assert_eq(maj, 1);
	cr_assert_eq(min, 26);
	cr_assert_eq(overlay_version_parse("go1.27.3", &maj, &min), 1);
	cr_assert_eq(min, 27);
	cr_assert_eq(overlay_version_parse("go1.27rc1", &maj, &min), 1);
	cr_assert_eq(min, 27);
	cr_assert_eq(overlay_version_parse("go1.26.8 X:nodwarf5", &maj, &min), 1);
	cr_assert_eq(min, 26);
	cr_assert_eq(overlay_version_parse("go1.19.13", &maj, &min), 1);
	cr_assert_eq(min, 19);
	cr_assert_eq(overlay_version_parse("devel go1.28-1a2b3c4d Tue Jan 6 2026", &maj, &min), 1);
	cr_assert_eq(min, 28);
	cr_assert_eq(overlay_version_parse("devel +1a2b3c4d Tue Jan 6 2026", &maj, &min), 0);
	cr_assert_eq(overlay_version_parse("1.26.8", &maj, &min), -1);
	cr_assert_eq(overlay_version_parse("", &maj, &min), -1);
	cr_assert_eq(overlay_version_parse("gox", &maj, &min), -1);
}

Test(build_version, gate)
{
	cr_assert_eq(overlay_version_check("go1.19.13", "/usr/lib/go-1.19"), -1);
	cr_assert_str_eq(error_msg(), "Go go1.19.13 is not supported: gosched-repl needs go1.26 "
				      "or newer (found at /usr/lib/go-1.19)");
	cr_assert_eq(overlay_version_check("go1.25.5", "/g"), -1);
	cr_assert_eq(overlay_version_check("go1.26.8", "/usr/local/go"), 0);
	cr_assert_eq(overlay_version_check("go1.26rc2", "/g"), 0);
	cr_assert_eq(overlay_version_check("go1.27.3", "/g"), 0);
	cr_assert_eq(overlay_version_check("go1.30.1", "/g"), 0, "newer: the anchors decide");
	cr_assert_eq(overlay_version_check("go2.0", "/g"), 0);
	cr_assert_eq(overlay_version_check("devel +abcdef", "/g"), 0, "devel: the anchors decide");
	cr_assert_eq(overlay_version_check("devel go1.24-abc", "/g"), -1);
	cr_assert_eq(overlay_version_check("banana", "/g"), -1);
	cr_assert_str_eq(error_msg(), "cannot understand Go version 'banana' (found at /g)");
}

/* ------------------------------------------------------------ toolchain */

Test(build_gotool, missing_go_in_path)
{
	unsetenv("GOSCHED_GO");
	setenv("PATH", "/nonexistent-bin", 1);
	gotool t;
	cr_assert_eq(gotool_find(&t), -1);
	cr_assert_str_eq(error_msg(), "go: command not found in PATH; install Go 1.26 or newer "
				      "or set GOSCHED_GO");
}

Test(build_gotool, bad_gosched_go)
{
	setenv("GOSCHED_GO", "/nonexistent/go", 1);
	gotool t;
	cr_assert_eq(gotool_find(&t), -1);
	cr_assert_str_eq(error_msg(), "GOSCHED_GO=/nonexistent/go is not an executable");
}

Test(build_gotool, failing_go)
{
	setenv("GOSCHED_GO", "/bin/false", 1);
	gotool t;
	cr_assert_eq(gotool_find(&t), -1);
	cr_assert_str_eq(error_msg(), "'/bin/false env GOROOT GOVERSION' failed (exit status 1)");
}

Test(build_gotool, real_go126)
{
	if (access(go126, X_OK) != 0)
		cr_skip_test("%s not installed", go126);
	setenv("GOSCHED_GO", go126, 1);
	setenv("GOTOOLCHAIN", "local", 1);
	gotool t;
	cr_assert_eq(gotool_find(&t), 0, "%s", error_msg());
	cr_assert_str_eq(t.go, go126);
	cr_assert_str_eq(t.goroot, "/usr/local/go");
	cr_assert(strncmp(t.goversion, "go1.26", 6) == 0, "%s", t.goversion);
	cr_assert_eq(overlay_version_check(t.goversion, t.goroot), 0);
	gotool_free(&t);
	cr_assert_null(t.go);
}

Test(build_gotool, old_go_rejected_before_building)
{
	if (access(go119, X_OK) != 0)
		cr_skip_test("%s not installed", go119);
	setenv("GOSCHED_GO", go119, 1);
	setenv("GOTOOLCHAIN", "local", 1);
	gotool t;
	cr_assert_eq(gotool_find(&t), 0, "%s", error_msg());
	cr_assert(strncmp(t.goversion, "go1.19", 6) == 0, "%s", t.goversion);

	char *d = scratch();
	char *src = make_file(d, "main.go", "package main\nfunc main() {}\n", 0644);
	char *out = xasprintf("%s/prog", d);
	int is_binary = -1;
	cr_assert_eq(build_program(&t, src, out, &is_binary), -1);
	char *want = xasprintf("Go %s is not supported: gosched-repl needs go1.26 or newer "
			       "(found at %s)", t.goversion, t.goroot);
	cr_assert_str_eq(error_msg(), want);
	cr_assert_eq(is_binary, 0);
	cr_assert_neq(access(out, F_OK), 0, "nothing built");
	free(want);
	free(out);
	free(src);
	nftw(d, rm_entry, 8, FTW_DEPTH | FTW_PHYS);
	free(d);
	gotool_free(&t);
}

/* ------------------------------------------------------------- programs */

static gotool fake = {.go = "/nonexistent/go", .goroot = "/g", .goversion = "go1.26.8"};

Test(build_program, missing_prog)
{
	int is_binary = -1;
	cr_assert_eq(build_program(&fake, "/nonexistent/prog.go", "/tmp/x", &is_binary), -1);
	cr_assert_str_eq(error_msg(), "/nonexistent/prog.go: No such file or directory");
	cr_assert_eq(is_binary, 0);
}

Test(build_program, overlay_built_binary_runs_directly)
{
	char *d = scratch();
	/* what an overlay-built binary looks like to the marker search */
	static const char blob[] = "\177ELF....runtime.text..gosched-repl-overlay-v1..end";
	char *p = xasprintf("%s/prog", d);
	cr_assert_eq(write_file(p, blob, sizeof blob), 0);
	chmod(p, 0755);
	int is_binary = 0;
	cr_assert_eq(build_program(&fake, p, NULL, &is_binary), 0, "%s", error_msg());
	cr_assert_eq(is_binary, 1);
	free(p);
	nftw(d, rm_entry, 8, FTW_DEPTH | FTW_PHYS);
	free(d);
}

Test(build_program, plain_binary_rejected)
{
	int is_binary = -1;
	cr_assert_eq(build_program(&fake, "/bin/true", "/tmp/x", &is_binary), -1);
	cr_assert_str_eq(error_msg(), "/bin/true was not built with the gosched-repl overlay; "
				      "pass its source or use 'gosched-repl build'");
	cr_assert_eq(is_binary, 0);
}

Test(build_program, other_file_rejected)
{
	char *d = scratch();
	char *p = make_file(d, "notes.txt", "hello\n", 0644);
	int is_binary = -1;
	cr_assert_eq(build_program(&fake, p, "/tmp/x", &is_binary), -1);
	char *want = xasprintf("%s is not a Go source file, a package directory or an executable", p);
	cr_assert_str_eq(error_msg(), want);
	free(want);
	free(p);
	nftw(d, rm_entry, 8, FTW_DEPTH | FTW_PHYS);
	free(d);
}

Test(build_program, directory_without_go_files)
{
	char *d = scratch();
	char *p = make_file(d, "x_test.go", "package x\n", 0644);
	int is_binary = -1;
	cr_assert_eq(build_program(&fake, d, "out", &is_binary), -1);
	char *want = xasprintf("%s: no Go source files", d);
	cr_assert_str_eq(error_msg(), want);
	free(want);
	free(p);
	nftw(d, rm_entry, 8, FTW_DEPTH | FTW_PHYS);
	free(d);
}
