/*
 * util.h -- the one error path, allocation that cannot fail, growable strings.
 *
 * Every module reports a failure by calling error_set() with a printf-style
 * message and returning -1 (or NULL); the caller that owns the user decides
 * where error_msg() goes (stderr, a Lua error, a JSON line).
 */
#ifndef GOSCHED_UTIL_H
#define GOSCHED_UTIL_H

#include <stdarg.h>
#include <stddef.h>

/* Exit statuses, gdb-like: ok, failure, usage. */
enum { EXIT_OK = 0, EXIT_FAIL = 1, EXIT_USAGE = 2 };

void error_set(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
const char *error_msg(void);

/* CLOCK_MONOTONIC in ns: the runtime's nanotime() clock on Linux. */
long long monotonic_ns(void);

void *xmalloc(size_t n);
void *xcalloc(size_t n, size_t size);
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);
char *xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* The length of the UTF-8 sequence at P (N bytes left), or 0 if it is not
 * one (RFC 3629: no overlong forms, surrogates or NUL). */
size_t utf8_len(const unsigned char *p, size_t n);
/* Are the N bytes at W the string S? */
int word_is(const char *w, size_t n, const char *s);

/* A growable NUL-terminated byte string. */
typedef struct strbuf {
	char *s;
	size_t len, cap;
} strbuf;

void sb_add(strbuf *b, const char *s, size_t n);
void sb_puts(strbuf *b, const char *s);
void sb_printf(strbuf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void sb_free(strbuf *b);

/*
 * An environment for a child: ours, with the variables of ADD (NADD strings
 * "NAME=value", malloc'd, now owned by the env) replacing any of the same
 * name. env_free() frees the array and ADD's strings.
 */
typedef struct envv {
	char **v; /* NULL-terminated, for execve */
	char **add;
	int nadd;
} envv;

void env_with(envv *e, char **add, int nadd);
void env_free(envv *e);

/* Read a whole file; NULL (and error_set) on failure. *len may be NULL. */
/* Clean PATH in place, lexically: no "." elements, "x/.." removed, no
 * doubled or trailing slashes ("a/b/../../c/./d" -> "c/d"; a relative
 * path may keep leading ".."s; "" -> "."). */
void path_clean(char *path);

char *read_file(const char *path, size_t *len);
/* Write a whole file atomically (temp file + rename); -1 on failure. */
int write_file(const char *path, const char *data, size_t len);
/* mkdir -p with the given mode for created directories; -1 on failure. */
int mkdir_p(const char *path, int mode);

#endif
