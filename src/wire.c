/*
 * wire.c -- the control socket: a private listening socket, the peer check,
 * a line reader that copes with partial reads and huge lines, and the
 * decoding of the target's JSON messages (docs/PROTOCOL.md).
 */
#define _GNU_SOURCE /* struct ucred, accept4 */
#include "wire.h"
#include "util.h"

#include <cJSON.h>
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

/* ------------------------------------------------------------ event kinds */

const char *const wire_kinds[WIRE_NKINDS + 1] = {
	"",       "create",  "start",  "park",    "ready",  "exit",   "preempt",
	"yield",  "syscall", "sysret", "steal",   "handoff", "gcstop", "gcstart", "deadlock", "end", NULL,
};

int wire_kind(const char *w, size_t n)
{
	for (int k = 1; k < WIRE_NKINDS; k++)
		if (strlen(wire_kinds[k]) == n && strncmp(wire_kinds[k], w, n) == 0)
			return k;
	return -1;
}

/* ------------------------------------------------------------ line reader */

#define LINEBUF_MIN_READ ((size_t)64 << 10)

/*
 * Make room for at least LINEBUF_MIN_READ more bytes: first drop the lines
 * already returned (moving the partial line to the front), then grow.
 */
static void linebuf_reserve(linebuf *b)
{
	if (b->off > 0) {
		memmove(b->buf, b->buf + b->off, b->len - b->off);
		b->len -= b->off;
		b->off = 0;
	}
	if (b->cap - b->len >= LINEBUF_MIN_READ)
		return;
	size_t cap = b->cap ? b->cap : LINEBUF_MIN_READ;
	while (cap - b->len < LINEBUF_MIN_READ)
		cap *= 2;
	b->buf = xrealloc(b->buf, cap + 1); /* +1: room for the NUL of a last line */
	b->cap = cap;
}

/* Read what is there into at least 64 KiB of room; EMSGSIZE past WIRE_MAX_LINE. */
ssize_t linebuf_fill(linebuf *b, int fd)
{
	if (linebuf_pending(b) >= WIRE_MAX_LINE) {
		errno = EMSGSIZE;
		return -1;
	}
	linebuf_reserve(b);
	for (;;) {
		ssize_t n = read(fd, b->buf + b->len, b->cap - b->len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n > 0)
			b->len += (size_t)n;
		return n;
	}
}

/* Cut the next line at its '\n' (made a NUL); only new bytes are searched. */
char *linebuf_next(linebuf *b, size_t *len)
{
	if (!b->buf)
		return NULL;
	char *start = b->buf + b->off;
	char *nl = memchr(start + b->scan, '\n', b->len - b->off - b->scan);
	if (!nl) {
		b->scan = b->len - b->off;
		return NULL;
	}
	*nl = '\0';
	*len = (size_t)(nl - start);
	b->off += *len + 1;
	b->scan = 0;
	return start;
}

size_t linebuf_pending(const linebuf *b)
{
	return b->len - b->off;
}

void linebuf_free(linebuf *b)
{
	free(b->buf);
	memset(b, 0, sizeof *b);
}

/* --------------------------------------------------------------- decoding */

/* The member NAME of OBJ if it is a number; NULL otherwise. */
static const cJSON *get_number(const cJSON *obj, const char *name)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, name);
	return cJSON_IsNumber(v) ? v : NULL;
}

static const char *get_string(const cJSON *obj, const char *name)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, name);
	return cJSON_IsString(v) ? v->valuestring : NULL;
}

/* hello: proto, pid, goversion, gomaxprocs; a protocol we do not speak is an error. */
static int decode_hello(const cJSON *root, wire_msg *m)
{
	const cJSON *proto = get_number(root, "proto");
	const cJSON *pid = get_number(root, "pid");
	const cJSON *procs = get_number(root, "gomaxprocs");
	m->goversion = get_string(root, "goversion");
	if (!proto || !pid || !procs || !m->goversion) {
		error_set("bad hello message: needs numbers \"proto\", \"pid\", \"gomaxprocs\" "
			  "and a string \"goversion\"");
		return -1;
	}
	m->proto = proto->valueint;
	m->pid = (long)pid->valuedouble;
	m->gomaxprocs = procs->valueint;
	if (m->proto != WIRE_PROTO) {
		error_set("the program speaks protocol %d, this gosched-repl speaks %d "
			  "(rebuild it with this version)", m->proto, WIRE_PROTO);
		return -1;
	}
	return 0;
}

/*
 * stop: the top-level members must be there with the right JSON types;
 * what is inside event/sched/p/m/g is checked by snapshot.c as it builds
 * the Lua tables.
 */
static int decode_stop(const cJSON *root, wire_msg *m)
{
	static const struct {
		const char *name;
		cJSON_bool (*is)(const cJSON *);
		const char *what;
	} need[] = {
		{"seq", cJSON_IsNumber, "a number"},   {"event", cJSON_IsObject, "an object"},
		{"sched", cJSON_IsObject, "an object"}, {"p", cJSON_IsArray, "an array"},
		{"m", cJSON_IsArray, "an array"},       {"g", cJSON_IsArray, "an array"},
	};
	for (size_t i = 0; i < sizeof need / sizeof need[0]; i++) {
		const cJSON *v = cJSON_GetObjectItemCaseSensitive(root, need[i].name);
		if (!v) {
			error_set("bad stop message: no \"%s\"", need[i].name);
			return -1;
		}
		if (!need[i].is(v)) {
			error_set("bad stop message: \"%s\" is not %s", need[i].name, need[i].what);
			return -1;
		}
	}
	m->seq = (long long)get_number(root, "seq")->valuedouble;
	return 0;
}

/* check: the event and the arrays of its G, P and M (cmd-break.c reads them). */
static int decode_check(const cJSON *root)
{
	static const char *const arrays[] = {"p", "m", "g"};
	if (!cJSON_IsObject(cJSON_GetObjectItemCaseSensitive(root, "event"))) {
		error_set("bad check message: no object \"event\"");
		return -1;
	}
	for (size_t i = 0; i < sizeof arrays / sizeof arrays[0]; i++) {
		if (!cJSON_IsArray(cJSON_GetObjectItemCaseSensitive(root, arrays[i]))) {
			error_set("bad check message: no array \"%s\"", arrays[i]);
			return -1;
		}
	}
	return 0;
}

static int decode_error(const cJSON *root, wire_msg *m)
{
	m->error = get_string(root, "msg");
	if (!m->error) {
		error_set("bad error message: no string \"msg\"");
		return -1;
	}
	return 0;
}

/* A short, printable excerpt of LINE around byte AT, for parse errors. */
static void excerpt(strbuf *b, const char *line, size_t len, size_t at)
{
	size_t n = len - at < 24 ? len - at : 24;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)line[at + i];
		if (c >= 0x20 && c < 0x7f)
			sb_add(b, (const char *)&c, 1);
		else
			sb_printf(b, "\\x%02x", c);
	}
}

const cJSON *wire_member(const cJSON *obj, const char *name)
{
	return cJSON_GetObjectItemCaseSensitive(obj, name);
}

/*
 * Parse one line with cJSON and check it is a message we know, with the
 * fields its type needs. Every failure says what is wrong (and, for bad
 * JSON, where), never more.
 */
int wire_decode(const char *line, size_t len, wire_msg *m)
{
	memset(m, 0, sizeof *m);
	cJSON *root = cJSON_ParseWithLength(line, len);
	if (!root) {
		const char *at = cJSON_GetErrorPtr();
		size_t off = at && at >= line && at <= line + len ? (size_t)(at - line) : 0;
		strbuf b = {0};
		excerpt(&b, line, len, off);
		error_set("malformed message from the program (%zu bytes): bad JSON at byte %zu, "
			  "near: %s", len, off, b.s ? b.s : "(end)");
		sb_free(&b);
		return -1;
	}
	const char *type = cJSON_IsObject(root) ? get_string(root, "type") : NULL;
	int rc;
	if (!cJSON_IsObject(root)) {
		error_set("malformed message from the program: not a JSON object");
		rc = -1;
	} else if (!type) {
		error_set("malformed message from the program: no string \"type\"");
		rc = -1;
	} else if (strcmp(type, "hello") == 0) {
		m->type = WIRE_HELLO;
		rc = decode_hello(root, m);
	} else if (strcmp(type, "stop") == 0) {
		m->type = WIRE_STOP;
		rc = decode_stop(root, m);
	} else if (strcmp(type, "check") == 0) {
		m->type = WIRE_CHECK;
		rc = decode_check(root);
	} else if (strcmp(type, "error") == 0) {
		m->type = WIRE_ERROR;
		rc = decode_error(root, m);
	} else if (strcmp(type, "goroutines") == 0) {
		m->type = WIRE_GOROUTINES;
		rc = cJSON_IsArray(cJSON_GetObjectItemCaseSensitive(root, "g")) ? 0 : -1;
		if (rc < 0)
			error_set("malformed message from the program: goroutines without a \"g\" array");
	} else if (strcmp(type, "hist") == 0 || strcmp(type, "stack") == 0 ||
		   strcmp(type, "eval") == 0 || strcmp(type, "ok") == 0) {
		m->type = WIRE_REPLY;
		m->reply = type;
		rc = 0;
	} else {
		error_set("unknown message type \"%.40s\" from the program", type);
		rc = -1;
	}
	if (rc < 0) {
		cJSON_Delete(root);
		memset(m, 0, sizeof *m);
		return -1;
	}
	m->root = root;
	return 0;
}

void wire_msg_free(wire_msg *m)
{
	cJSON_Delete(m->root);
	memset(m, 0, sizeof *m);
}

/* ------------------------------------------------------------- the socket */

/*
 * Create DIR/gosched-repl.XXXXXX (0700) under BASE and fill in w->dir and
 * w->path; -1 if BASE is unusable or the socket path would be too long.
 */
static int make_private_dir(wire *w, const char *base)
{
	struct sockaddr_un sa;
	char *dir = xasprintf("%s/gosched-repl.XXXXXX", base);
	if (strlen(dir) + sizeof "/ctl.sock" > sizeof sa.sun_path) {
		error_set("socket directory %s: path too long", base);
		free(dir);
		return -1;
	}
	if (!mkdtemp(dir)) {
		error_set("mkdtemp %s: %s", dir, strerror(errno));
		free(dir);
		return -1;
	}
	w->dir = dir;
	w->path = xasprintf("%s/ctl.sock", dir);
	return 0;
}

/*
 * Create the private directory (under $XDG_RUNTIME_DIR, else /tmp) and the
 * listening socket ctl.sock in it, mode 0600.
 */
int wire_listen(wire *w)
{
	if (w->lfd >= 0)
		return 0;
	const char *xdg = getenv("XDG_RUNTIME_DIR");
	if (!(xdg && xdg[0] == '/' && make_private_dir(w, xdg) == 0) &&
	    make_private_dir(w, "/tmp") < 0)
		return -1;

	int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (fd < 0) {
		error_set("socket: %s", strerror(errno));
		wire_close(w);
		return -1;
	}
	struct sockaddr_un sa = {.sun_family = AF_UNIX};
	strcpy(sa.sun_path, w->path);
	mode_t old = umask(0177);
	int rc = bind(fd, (struct sockaddr *)&sa, sizeof sa);
	umask(old);
	if (rc < 0 || chmod(w->path, 0600) < 0 || listen(fd, 4) < 0) {
		error_set("%s: %s", w->path, strerror(errno));
		close(fd);
		wire_close(w);
		return -1;
	}
	w->lfd = fd;
	return 0;
}

/*
 * Accept one pending connection and keep it if the peer is our own user and
 * the process PID we launched. Returns 1 when connected, 0 when nothing was
 * pending, 2 when the peer was refused (error_set() says who), -1 on error.
 */
int wire_accept(wire *w, pid_t pid)
{
	int fd = accept4(w->lfd, NULL, NULL, SOCK_CLOEXEC | SOCK_NONBLOCK);
	if (fd < 0) {
		if (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR ||
		    errno == ECONNABORTED)
			return 0;
		error_set("accept: %s", strerror(errno));
		return -1;
	}
	struct ucred cred;
	socklen_t len = sizeof cred;
	if (getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cred, &len) < 0) {
		error_set("refused a connection: SO_PEERCRED: %s", strerror(errno));
		close(fd);
		return 2;
	}
	if (cred.uid != getuid() || cred.pid != pid) {
		error_set("refused a connection from pid %ld (uid %ld): not the launched program",
			  (long)cred.pid, (long)cred.uid);
		close(fd);
		return 2;
	}
	wire_hangup(w);
	w->fd = fd;
	return 1;
}

/* Send one command line (the '\n' is added). */
int wire_send(wire *w, const char *cmd)
{
	if (w->fd < 0) {
		error_set("the program is not connected");
		return -1;
	}
	strbuf b = {0};
	sb_printf(&b, "%s\n", cmd);
	size_t off = 0;
	while (off < b.len) {
		ssize_t n = send(w->fd, b.s + off, b.len - off, MSG_NOSIGNAL);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
			struct pollfd p = {.fd = w->fd, .events = POLLOUT};
			poll(&p, 1, -1);
			continue;
		}
		if (n < 0) {
			error_set("sending \"%s\" to the program: %s", cmd, strerror(errno));
			sb_free(&b);
			return -1;
		}
		off += (size_t)n;
	}
	sb_free(&b);
	return 0;
}

/*
 * Return the next message if a whole line has arrived: WIRE_MSG (decoded
 * into *m), WIRE_AGAIN (wait for the socket to be readable), WIRE_EOF (the
 * program closed the connection, which is then closed here too), or -1 with
 * error_set(): a bad message (the connection stays usable), or the
 * connection broke or closed in the middle of a message (then it is closed:
 * w->fd < 0).
 */
int wire_recv(wire *w, wire_msg *m)
{
	for (;;) {
		size_t len;
		char *line = w->fd >= 0 ? linebuf_next(&w->in, &len) : NULL;
		if (line && w->raw_next) {
			w->raw_next = 0;
			memset(m, 0, sizeof *m);
			m->type = WIRE_RAW;
			m->raw = line;
			m->rawlen = len;
			return WIRE_MSG;
		}
		if (line)
			return wire_decode(line, len, m) < 0 ? -1 : WIRE_MSG;
		if (w->fd < 0) {
			error_set("the program is not connected");
			return -1;
		}
		ssize_t n = linebuf_fill(&w->in, w->fd);
		if (n > 0)
			continue;
		if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
			return WIRE_AGAIN;
		size_t pending = linebuf_pending(&w->in);
		if (n < 0 && errno == ECONNRESET && pending == 0)
			n = 0; /* it exited without reading our last line (a light check's
				  answer: the other threads ran on): an end like any other */
		if (n < 0 && errno == EMSGSIZE)
			error_set("a message from the program is longer than %zu bytes", WIRE_MAX_LINE);
		else if (n < 0)
			error_set("reading from the program: %s", strerror(errno));
		else if (pending > 0)
			error_set("the connection closed in the middle of a message "
				  "(%zu bytes received)", pending);
		wire_hangup(w);
		return n == 0 && pending == 0 ? WIRE_EOF : -1;
	}
}

/* Close the connection (not the listening socket) and drop buffered input. */
void wire_hangup(wire *w)
{
	if (w->fd >= 0)
		close(w->fd);
	w->fd = -1;
	linebuf_free(&w->in);
}

/* Close everything and remove the socket and its directory. */
void wire_close(wire *w)
{
	wire_hangup(w);
	if (w->lfd >= 0)
		close(w->lfd);
	w->lfd = -1;
	if (w->path)
		unlink(w->path);
	if (w->dir)
		rmdir(w->dir);
	free(w->path);
	free(w->dir);
	w->path = w->dir = NULL;
}
