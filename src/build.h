/*
 * build.h -- turn a Go program into an overlay-built binary.
 *
 * Finds the Go toolchain, checks its version, patches the runtime through
 * overlay.c into a per-version cache and runs `go build -overlay`.
 */
#ifndef GOSCHED_BUILD_H
#define GOSCHED_BUILD_H

/* The toolchain in use: `go` from $GOSCHED_GO or PATH (GOTOOLCHAIN honoured). */
typedef struct gotool {
	char *go;        /* the go command */
	char *goroot;    /* go env GOROOT */
	char *goversion; /* go env GOVERSION, e.g. "go1.26.8" */
} gotool;

/* Query the toolchain; -1 and error_set() if `go` is missing or fails. */
int gotool_find(gotool *t);
void gotool_free(gotool *t);

/*
 * Build PROG (a package directory, a single .go file) into OUT with the
 * patched runtime. If PROG is already an overlay-built executable, OUT is not
 * written and *is_binary is set: run PROG directly. Compiler output goes to
 * stderr. Returns 0, or -1 with error_set() naming what failed.
 */
int build_program(const gotool *t, const char *prog, const char *out, int *is_binary);

#endif
