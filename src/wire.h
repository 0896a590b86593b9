/*
 * wire.h -- the control socket between gosched-repl and the target runtime.
 *
 * The REPL listens on a unix socket in a private directory, accepts the one
 * connection of the process it launched, reads JSON lines (docs/PROTOCOL.md)
 * and writes text commands. Reading is non-blocking: the caller polls
 * wire_fd() and calls wire_recv() when it is readable.
 */
#ifndef GOSCHED_WIRE_H
#define GOSCHED_WIRE_H

#include <stddef.h>
#include <sys/types.h>

struct cJSON;

/* The protocol version this REPL speaks (hello.proto). */
#define WIRE_PROTO 1

/*
 * The scheduler's event kinds, by the runtime's numbers (gosched_debug.go
 * evCreate...): wire_kinds[k] for 1 <= k < WIRE_NKINDS, and the list from
 * wire_kinds + 1 ends with NULL. WIRE_KIND_LIST names them for messages.
 */
extern const char *const wire_kinds[];
#define WIRE_NKINDS 16
#define WIRE_KIND_LIST "create, start, park, ready, exit, preempt, yield, syscall, sysret, " \
		       "steal, handoff, gcstop, gcstart, deadlock, end"
/* The number of the kind named by the N bytes at W, or -1. */
int wire_kind(const char *w, size_t n);

/* A line longer than this is refused: no stop message comes near it. */
#define WIRE_MAX_LINE ((size_t)1 << 30)

/*
 * Buffered line reader over a file descriptor. Handles partial reads and
 * lines of any length up to WIRE_MAX_LINE; each byte is scanned for '\n'
 * once, so a line of tens of megabytes costs linear time.
 */
typedef struct linebuf {
	char *buf;
	size_t off;  /* start of the data not yet returned as lines */
	size_t len;  /* end of the data read so far */
	size_t cap;
	size_t scan; /* bytes after off already known to hold no '\n' */
} linebuf;

/* Read once from fd: bytes read (> 0), 0 at EOF, -1 with errno set. */
ssize_t linebuf_fill(linebuf *b, int fd);
/* The next complete line, NUL-terminated without its '\n', or NULL. The
 * pointer stays valid until the next linebuf_fill(). */
char *linebuf_next(linebuf *b, size_t *len);
/* Bytes of an incomplete line held in the buffer. */
size_t linebuf_pending(const linebuf *b);
void linebuf_free(linebuf *b);

/* What the target sent. WIRE_REPLY answers a request made while stopped
 * (hist, stack, eval, ok); WIRE_GOROUTINES is the second line of a stop
 * (the goroutines the first did not carry); their bodies stay in root.
 * WIRE_RAW is a line taken without decoding (wire.raw_next). */
enum wire_type { WIRE_HELLO, WIRE_STOP, WIRE_ERROR, WIRE_REPLY, WIRE_GOROUTINES, WIRE_RAW,
		 WIRE_CHECK /* the light stop of a Lua-tier breakpoint (cmd-break.c) */ };

/*
 * A decoded message. root owns the whole JSON object; the string fields
 * point into it. A stop's body is left in root for snapshot.c to read: only
 * its top-level shape is checked here.
 */
typedef struct wire_msg {
	enum wire_type type;
	struct cJSON *root;
	/* hello */
	int proto;
	long pid;
	int gomaxprocs;
	const char *goversion;
	/* error */
	const char *error;
	/* reply: "hist", "stack", "eval" or "ok" */
	const char *reply;
	/* raw: the undecoded line, valid until the next read */
	const char *raw;
	size_t rawlen;
	/* stop */
	long long seq;
	/* check: posted in the shared page's mailbox instead (root is NULL) */
	const struct mail_rec *mail;
} wire_msg;

/* The member NAME of a JSON object (exact case), or NULL. */
const struct cJSON *wire_member(const struct cJSON *obj, const char *name);

/* Decode one line; 0, or -1 with error_set() saying what is wrong. */
int wire_decode(const char *line, size_t len, wire_msg *m);
void wire_msg_free(wire_msg *m);

/* The listening socket and the one connection. */
typedef struct wire {
	char *dir;  /* private directory (0700) holding the socket */
	char *path; /* dir/ctl.sock (0600): GOSCHED_REPL_SOCK */
	int lfd;    /* listening socket, -1 before wire_listen() */
	int fd;     /* the target's connection, -1 when none */
	linebuf in;
	int raw_next; /* return the next line as WIRE_RAW, undecoded (to skip it cheaply) */
} wire;

#define WIRE_INIT { NULL, NULL, -1, -1, { NULL, 0, 0, 0, 0 }, 0 }

/* wire_recv() results besides -1 (error). */
enum { WIRE_AGAIN = 0, WIRE_MSG = 1, WIRE_EOF = 2 };

int wire_listen(wire *w);
int wire_accept(wire *w, pid_t pid);
int wire_send(wire *w, const char *cmd);
int wire_recv(wire *w, wire_msg *m);
void wire_hangup(wire *w);
void wire_close(wire *w);

#endif
