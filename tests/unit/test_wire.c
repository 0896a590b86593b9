/*
 * test_wire.c -- the control socket: line reading over partial and huge
 * writes, message decoding (good and malformed), EOF in the middle of a
 * message, the private socket's permissions and the peer check.
 */
#include <criterion/criterion.h>
#include <cJSON.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include "util.h"
#include "wire.h"

/* Write BUF to FD in pieces of CHUNK bytes, as a slow sender would. */
static void write_in_pieces(int fd, const char *buf, size_t len, size_t chunk)
{
	for (size_t off = 0; off < len;) {
		size_t n = len - off < chunk ? len - off : chunk;
		ssize_t w = write(fd, buf + off, n);
		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0)
			_exit(1);
		off += (size_t)w;
	}
}

/* Fork a writer that sends BUF through the returned read end, then exits. */
static int feed_from_child(const char *buf, size_t len, size_t chunk)
{
	int fds[2];
	cr_assert_eq(socketpair(AF_UNIX, SOCK_STREAM, 0, fds), 0);
	pid_t pid = fork();
	cr_assert_neq(pid, -1);
	if (pid == 0) {
		close(fds[0]);
		write_in_pieces(fds[1], buf, len, chunk);
		_exit(0);
	}
	close(fds[1]);
	return fds[0];
}

/* Read every line of FD with a linebuf; returns the count, lines joined by '|' in *all. */
static int read_all_lines(int fd, strbuf *all)
{
	linebuf lb = {0};
	int n = 0;
	for (;;) {
		size_t len;
		char *line;
		while ((line = linebuf_next(&lb, &len))) {
			cr_assert_eq(strlen(line), len);
			sb_printf(all, "%s|", line);
			n++;
		}
		ssize_t r = linebuf_fill(&lb, fd);
		cr_assert_geq(r, 0);
		if (r == 0)
			break;
	}
	cr_assert_eq(linebuf_pending(&lb), 0);
	linebuf_free(&lb);
	return n;
}

Test(linebuf, lines_split_across_reads)
{
	const char *text = "{\"a\":1}\n{\"b\":2}\n\nlast\n";
	for (size_t chunk = 1; chunk <= 7; chunk++) {
		strbuf all = {0};
		int fd = feed_from_child(text, strlen(text), chunk);
		cr_assert_eq(read_all_lines(fd, &all), 4);
		cr_assert_str_eq(all.s, "{\"a\":1}|{\"b\":2}||last|");
		sb_free(&all);
		close(fd);
		wait(NULL);
	}
}

Test(linebuf, huge_line_in_odd_pieces)
{
	size_t big = 24u << 20; /* 24 MB: a stop with ~100k goroutines */
	char *buf = xmalloc(big + 8);
	for (size_t i = 0; i < big; i++)
		buf[i] = (char)('a' + i % 26);
	memcpy(buf + big, "\nok\n", 4);
	int fd = feed_from_child(buf, big + 4, 100003);
	linebuf lb = {0};
	size_t len = 0;
	char *line;
	while (!(line = linebuf_next(&lb, &len)))
		cr_assert_gt(linebuf_fill(&lb, fd), 0);
	cr_assert_eq(len, big);
	cr_assert_eq(memcmp(line, buf, big), 0);
	while (!(line = linebuf_next(&lb, &len)))
		cr_assert_gt(linebuf_fill(&lb, fd), 0);
	cr_assert_str_eq(line, "ok");
	linebuf_free(&lb);
	free(buf);
	close(fd);
	wait(NULL);
}

/* ------------------------------------------------------------- decoding */

static int decode(const char *s, wire_msg *m)
{
	return wire_decode(s, strlen(s), m);
}

/* Decoding S fails with a message containing WANT. */
static void decode_fails(const char *s, const char *want)
{
	wire_msg m;
	cr_assert_eq(decode(s, &m), -1, "decoded: %s", s);
	cr_assert_null(m.root);
	cr_assert(strstr(error_msg(), want), "for %s: got \"%s\", want \"%s\"", s, error_msg(), want);
}

Test(decode, hello)
{
	wire_msg m;
	cr_assert_eq(decode("{\"type\":\"hello\",\"proto\":1,\"pid\":1234,\"goversion\":"
			    "\"go1.26.8\",\"gomaxprocs\":4,\"marker\":\"x\"}", &m), 0, "%s", error_msg());
	cr_assert_eq(m.type, WIRE_HELLO);
	cr_assert_eq(m.pid, 1234);
	cr_assert_eq(m.gomaxprocs, 4);
	cr_assert_str_eq(m.goversion, "go1.26.8");
	wire_msg_free(&m);
}

Test(decode, stop_and_error)
{
	wire_msg m;
	cr_assert_eq(decode("{\"type\":\"stop\",\"seq\":17,\"event\":{},\"sched\":{},\"p\":[],"
			    "\"m\":[],\"g\":[]}", &m), 0, "%s", error_msg());
	cr_assert_eq(m.type, WIRE_STOP);
	cr_assert_eq(m.seq, 17);
	cr_assert_not_null(m.root);
	wire_msg_free(&m);
	cr_assert_eq(decode("{\"type\":\"error\",\"msg\":\"unknown command\"}", &m), 0);
	cr_assert_eq(m.type, WIRE_ERROR);
	cr_assert_str_eq(m.error, "unknown command");
	wire_msg_free(&m);
}

Test(decode, malformed)
{
	decode_fails("", "bad JSON at byte 0");
	decode_fails("{\"type\":\"hello\",", "bad JSON");
	decode_fails("{\"type\":\"stop\" \"seq\":1}", "bad JSON at byte 15, near: \"seq\":1}");
	decode_fails("\x01\x02garbage", "bad JSON");
	decode_fails("[1,2,3]", "not a JSON object");
	decode_fails("42", "not a JSON object");
	decode_fails("{\"seq\":1}", "no string \"type\"");
	decode_fails("{\"type\":7}", "no string \"type\"");
	decode_fails("{\"type\":\"launch\"}", "unknown message type \"launch\"");
}

Test(decode, missing_or_wrong_fields)
{
	decode_fails("{\"type\":\"hello\",\"proto\":1}", "bad hello message");
	decode_fails("{\"type\":\"hello\",\"proto\":1,\"pid\":\"x\",\"goversion\":\"go\","
		     "\"gomaxprocs\":1}", "bad hello message");
	decode_fails("{\"type\":\"hello\",\"proto\":2,\"pid\":1,\"goversion\":\"go\","
		     "\"gomaxprocs\":1}", "protocol 2");
	decode_fails("{\"type\":\"stop\",\"seq\":1,\"event\":{},\"sched\":{},\"p\":[],\"m\":[]}",
		     "bad stop message: no \"g\"");
	decode_fails("{\"type\":\"stop\",\"seq\":1,\"event\":{},\"sched\":{},\"p\":{},\"m\":[],"
		     "\"g\":[]}", "\"p\" is not an array");
	decode_fails("{\"type\":\"stop\",\"seq\":\"1\",\"event\":{},\"sched\":{},\"p\":[],"
		     "\"m\":[],\"g\":[]}", "\"seq\" is not a number");
	decode_fails("{\"type\":\"error\"}", "no string \"msg\"");
}

/* ---------------------------------------------------------- the socket */

/* A wire whose connection is one end of a socketpair; *peer is the other. */
static void wire_pair(wire *w, int *peer)
{
	int fds[2];
	cr_assert_eq(socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0, fds), 0);
	*w = (wire)WIRE_INIT;
	w->fd = fds[0];
	*peer = fds[1];
}

Test(wire, recv_messages_then_eof)
{
	wire w;
	int peer;
	wire_msg m;
	wire_pair(&w, &peer);
	cr_assert_eq(wire_recv(&w, &m), WIRE_AGAIN);
	const char *a = "{\"type\":\"error\",\"msg\":\"one\"}\n{\"type\":\"err";
	cr_assert_eq(write(peer, a, strlen(a)), (ssize_t)strlen(a));
	cr_assert_eq(wire_recv(&w, &m), WIRE_MSG);
	cr_assert_str_eq(m.error, "one");
	wire_msg_free(&m);
	cr_assert_eq(wire_recv(&w, &m), WIRE_AGAIN);
	const char *b = "or\",\"msg\":\"two\"}\nnot json\n";
	cr_assert_eq(write(peer, b, strlen(b)), (ssize_t)strlen(b));
	cr_assert_eq(wire_recv(&w, &m), WIRE_MSG);
	cr_assert_str_eq(m.error, "two");
	wire_msg_free(&m);
	cr_assert_eq(wire_recv(&w, &m), -1); /* a bad line: reported, connection kept */
	cr_assert_geq(w.fd, 0);
	close(peer);
	cr_assert_eq(wire_recv(&w, &m), WIRE_EOF);
	cr_assert_eq(w.fd, -1);
	wire_close(&w);
}

Test(wire, closed_in_the_middle_of_a_message)
{
	wire w;
	int peer;
	wire_msg m;
	wire_pair(&w, &peer);
	const char *a = "{\"type\":\"stop\",\"seq\":1,\"g\":[{\"id\":";
	cr_assert_eq(write(peer, a, strlen(a)), (ssize_t)strlen(a));
	close(peer);
	cr_assert_eq(wire_recv(&w, &m), -1);
	cr_assert(strstr(error_msg(), "closed in the middle of a message"), "%s", error_msg());
	cr_assert_eq(w.fd, -1);
	wire_close(&w);
}

Test(wire, send_appends_newline)
{
	wire w;
	int peer;
	char buf[64];
	wire_pair(&w, &peer);
	cr_assert_eq(wire_send(&w, "step 3 park"), 0);
	ssize_t n = read(peer, buf, sizeof buf);
	cr_assert_eq(n, 12);
	cr_assert_eq(memcmp(buf, "step 3 park\n", 12), 0);
	close(peer);
	wire_close(&w);
	cr_assert_eq(wire_send(&w, "cont"), -1);
}

/* Connect to PATH as a client (this process). */
static int dial(const char *path)
{
	int fd = socket(AF_UNIX, SOCK_STREAM, 0);
	struct sockaddr_un sa = {.sun_family = AF_UNIX};
	strcpy(sa.sun_path, path);
	cr_assert_eq(connect(fd, (struct sockaddr *)&sa, sizeof sa), 0, "%s", strerror(errno));
	return fd;
}

Test(wire, private_socket_and_peer_check)
{
	char tmpl[] = "/tmp/test_wire.XXXXXX";
	cr_assert_not_null(mkdtemp(tmpl));
	setenv("XDG_RUNTIME_DIR", tmpl, 1);
	wire w = WIRE_INIT;
	cr_assert_eq(wire_listen(&w), 0, "%s", error_msg());
	cr_assert_eq(strncmp(w.path, tmpl, strlen(tmpl)), 0);
	struct stat st;
	cr_assert_eq(stat(w.dir, &st), 0);
	cr_assert_eq(st.st_mode & 0777, 0700);
	cr_assert_eq(stat(w.path, &st), 0);
	cr_assert(S_ISSOCK(st.st_mode));
	cr_assert_eq(st.st_mode & 0777, 0600);

	cr_assert_eq(wire_accept(&w, getpid()), 0); /* nothing pending */
	int c1 = dial(w.path);
	cr_assert_eq(wire_accept(&w, getpid() + 1), 2); /* not the launched pid */
	cr_assert(strstr(error_msg(), "refused a connection from pid"), "%s", error_msg());
	cr_assert_eq(w.fd, -1);
	int c2 = dial(w.path);
	cr_assert_eq(wire_accept(&w, getpid()), 1);
	cr_assert_geq(w.fd, 0);

	char *dir = xstrdup(w.dir), *path = xstrdup(w.path);
	wire_close(&w);
	cr_assert_neq(access(path, F_OK), 0);
	cr_assert_neq(access(dir, F_OK), 0);
	close(c1);
	close(c2);
	free(dir);
	free(path);
	rmdir(tmpl);
}

Test(wire, socket_dir_falls_back_to_tmp)
{
	setenv("XDG_RUNTIME_DIR", "relative/dir", 1);
	wire w = WIRE_INIT;
	cr_assert_eq(wire_listen(&w), 0, "%s", error_msg());
	cr_assert_eq(strncmp(w.dir, "/tmp/gosched-repl.", 18), 0, "%s", w.dir);
	wire_close(&w);
}
