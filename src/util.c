/*
 * util.c -- the one error path, allocation that cannot fail, growable strings
 * and whole-file helpers shared by every module.
 */
#define _GNU_SOURCE
#include "util.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/stat.h>
#include <unistd.h>

static char errbuf[4096];

/*
 * Record the current failure; the caller returns -1/NULL. The arguments may
 * include error_msg() itself (to add context), so format into a copy first.
 */
void error_set(const char *fmt, ...)
{
	char tmp[sizeof errbuf];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(tmp, sizeof tmp, fmt, ap);
	va_end(ap);
	memcpy(errbuf, tmp, sizeof errbuf);
}

const char *error_msg(void)
{
	return errbuf[0] ? errbuf : "unknown error";
}

static void *oom(void)
{
	fputs("gosched-repl: out of memory\n", stderr);
	exit(EXIT_FAIL);
}

void *xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);
	return p ? p : oom();
}

void *xcalloc(size_t n, size_t size)
{
	void *p = calloc(n ? n : 1, size ? size : 1);
	return p ? p : oom();
}

void *xrealloc(void *p, size_t n)
{
	p = realloc(p, n ? n : 1);
	return p ? p : oom();
}

char *xstrdup(const char *s)
{
	char *p = strdup(s);
	return p ? p : oom();
}

char *xasprintf(const char *fmt, ...)
{
	va_list ap;
	char *s;
	va_start(ap, fmt);
	int n = vasprintf(&s, fmt, ap);
	va_end(ap);
	return n < 0 ? oom() : s;
}

/* The length of the UTF-8 sequence at P (N bytes left), or 0 if it is not
 * one (RFC 3629: no overlong forms, surrogates or NUL). */
size_t utf8_len(const unsigned char *p, size_t n)
{
	unsigned c = p[0];
	size_t len = c < 0x80 ? 1 : c >= 0xC2 && c <= 0xDF ? 2 : c >= 0xE0 && c <= 0xEF ? 3
		   : c >= 0xF0 && c <= 0xF4 ? 4 : 0;
	if (c == 0 || len == 0 || len > n)
		return 0;
	unsigned lo = c == 0xE0 ? 0xA0 : c == 0xF0 ? 0x90 : 0x80; /* second byte's range */
	unsigned hi = c == 0xED ? 0x9F : c == 0xF4 ? 0x8F : 0xBF;
	for (size_t i = 1; i < len; i++, lo = 0x80, hi = 0xBF)
		if (p[i] < lo || p[i] > hi)
			return 0;
	return len;
}

int word_is(const char *w, size_t n, const char *s)
{
	return strlen(s) == n && strncmp(w, s, n) == 0;
}

void sb_add(strbuf *b, const char *s, size_t n)
{
	if (b->len + n + 1 > b->cap) {
		size_t cap = b->cap ? b->cap : 64;
		while (cap < b->len + n + 1)
			cap *= 2;
		b->s = xrealloc(b->s, cap);
		b->cap = cap;
	}
	memcpy(b->s + b->len, s, n);
	b->len += n;
	b->s[b->len] = '\0';
}

void sb_puts(strbuf *b, const char *s)
{
	sb_add(b, s, strlen(s));
}

void sb_printf(strbuf *b, const char *fmt, ...)
{
	va_list ap;
	char *s;
	va_start(ap, fmt);
	int n = vasprintf(&s, fmt, ap);
	va_end(ap);
	if (n < 0)
		oom();
	sb_add(b, s, (size_t)n);
	free(s);
}

void sb_free(strbuf *b)
{
	free(b->s);
	b->s = NULL;
	b->len = b->cap = 0;
}

/* Does environment entry ENTRY set the variable that ASSIGN ("NAME=...") sets? */
static int same_name(const char *entry, const char *assign)
{
	size_t n = strcspn(assign, "=");
	return strncmp(entry, assign, n) == 0 && entry[n] == '=';
}

void env_with(envv *e, char **add, int nadd)
{
	extern char **environ;
	size_t n = 0, k = 0;
	while (environ[n])
		n++;
	e->v = xcalloc(n + (size_t)nadd + 1, sizeof *e->v);
	e->add = xcalloc((size_t)nadd + 1, sizeof *e->add);
	e->nadd = nadd;
	for (size_t i = 0; i < n; i++) {
		int replaced = 0;
		for (int j = 0; j < nadd && !replaced; j++)
			replaced = same_name(environ[i], add[j]);
		if (!replaced)
			e->v[k++] = environ[i];
	}
	for (int j = 0; j < nadd; j++)
		e->v[k++] = e->add[j] = add[j];
}

void env_free(envv *e)
{
	for (int j = 0; j < e->nadd; j++)
		free(e->add[j]);
	free(e->add);
	free(e->v);
	memset(e, 0, sizeof *e);
}

char *read_file(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	if (!f) {
		error_set("%s: %s", path, strerror(errno));
		return NULL;
	}
	strbuf b = {0};
	char chunk[65536];
	size_t n;
	while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
		sb_add(&b, chunk, n);
	int bad = ferror(f);
	fclose(f);
	if (bad) {
		error_set("%s: read error", path);
		sb_free(&b);
		return NULL;
	}
	if (!b.s)
		b.s = xstrdup("");
	if (len)
		*len = b.len;
	return b.s;
}

int write_file(const char *path, const char *data, size_t len)
{
	char *tmp = xasprintf("%s.tmp.%d", path, (int)getpid());
	int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0) {
		error_set("%s: %s", tmp, strerror(errno));
		free(tmp);
		return -1;
	}
	size_t off = 0;
	while (off < len) {
		ssize_t w = write(fd, data + off, len - off);
		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0) {
			error_set("%s: %s", tmp, strerror(errno));
			close(fd);
			unlink(tmp);
			free(tmp);
			return -1;
		}
		off += (size_t)w;
	}
	close(fd);
	if (rename(tmp, path) < 0) {
		error_set("%s: %s", path, strerror(errno));
		unlink(tmp);
		free(tmp);
		return -1;
	}
	free(tmp);
	return 0;
}

int mkdir_p(const char *path, int mode)
{
	char *p = xstrdup(path);
	for (char *s = p + 1;; s++) {
		char c = *s;
		if (c != '/' && c != '\0')
			continue;
		*s = '\0';
		if (mkdir(p, (mode_t)mode) < 0 && errno != EEXIST) {
			error_set("mkdir %s: %s", p, strerror(errno));
			free(p);
			return -1;
		}
		*s = c;
		if (c == '\0')
			break;
	}
	free(p);
	return 0;
}

long long monotonic_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

void path_clean(char *path)
{
	int abs = path[0] == '/';
	char *out = path + abs, *r = path + abs;
	size_t keep = 0; /* leading ".." elements of a relative path in out */
	while (*r) {
		size_t n = strcspn(r, "/");
		if (n == 0 || (n == 1 && r[0] == '.')) {
			/* nothing */
		} else if (n == 2 && r[0] == '.' && r[1] == '.') {
			char *base = path + abs + keep * 3; /* after the kept "../"s */
			if (out > base) { /* drop the last element */
				out--;
				while (out > base && out[-1] != '/')
					out--;
			} else if (!abs) { /* nothing to drop: keep it */
				memcpy(out, "../", 3);
				out += 3;
				keep++;
			}
		} else {
			memmove(out, r, n);
			out += n;
			*out++ = '/';
		}
		r += n + (r[n] == '/');
	}
	if (out > path + abs && out[-1] == '/')
		out--;
	if (out == path)
		*out++ = '.';
	*out = '\0';
}
