/*
 * luaenv.c -- the Lua state of the REPL.
 *
 * A line is compiled as `return <line>` first and, if that is not valid, as
 * a statement (lua.c's rule), then run under a message handler that adds a
 * traceback when the error came from inside a function. Everything,
 * including the printing of the results, runs inside lua_pcall, so no Lua
 * error (or memory error) can reach the REPL. Ctrl-C interrupts running Lua
 * through a hook, as in lua.c. Commands that run Lua of their own (a .lua
 * file, a goroutines filter) go through luaenv_call() the same way.
 *
 * The pretty printer: model objects as their one-line form, a list of them
 * one per line, other tables inline (`{a = 1, b = "x"}`, at most INLINE_MAX
 * entries, nested tables at most INLINE_DEPTH deep), a record too wide for
 * one line one field per line; lists of model objects at most LIST_MAX
 * lines.
 */
#include "luaenv.h"
#include "snapshot.h"

#include <lauxlib.h>
#include <lualib.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CHUNKNAME "=lua"
#define EOFMARK "<eof>"
#define INLINE_MAX 20   /* entries shown in an inline table */
#define INLINE_DEPTH 2  /* nesting shown inline; deeper tables are {…} */
#define LINES_MAX 100   /* fields shown in a one-per-line record */
#define LIST_MAX 100    /* objects shown in a list of goroutines, Ps or Ms */
#define WIDE 80         /* a record whose inline form is longer goes one per line */

/* ------------------------------------------------------------- printing */

/* Append S (N bytes) as a Lua string literal. */
static void add_quoted(strbuf *out, const char *s, size_t n)
{
	sb_add(out, "\"", 1);
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c == '"' || c == '\\')
			sb_printf(out, "\\%c", c);
		else if (c == '\n')
			sb_puts(out, "\\n");
		else if (c == '\t')
			sb_puts(out, "\\t");
		else if (c < 0x20 || c == 0x7f)
			sb_printf(out, "\\%03d", c);
		else
			sb_add(out, (const char *)&c, 1);
	}
	sb_add(out, "\"", 1);
}

/* Append tostring(value at IDX), __tostring honoured. [-0, +0] */
static void add_tostring(lua_State *L, int idx, strbuf *out)
{
	size_t n;
	const char *s = luaL_tolstring(L, idx, &n);
	sb_add(out, s, n);
	lua_pop(L, 1);
}

/* Keys sort numbers first (ascending), then strings, then the rest. */
static int key_rank(lua_State *L, int i)
{
	int t = lua_type(L, i);
	return t == LUA_TNUMBER ? 0 : t == LUA_TSTRING ? 1 : 2;
}

static int key_less(lua_State *L, int a, int b)
{
	int ra = key_rank(L, a), rb = key_rank(L, b);
	if (ra != rb)
		return ra < rb;
	if (ra == 0)
		return lua_compare(L, a, b, LUA_OPLT);
	if (ra == 2)
		return 0;
	size_t la, lb;
	const char *sa = lua_tolstring(L, a, &la), *sb = lua_tolstring(L, b, &lb);
	int c = memcmp(sa, sb, la < lb ? la : lb);
	return c < 0 || (c == 0 && la < lb);
}

/*
 * Push a sequence of the K first keys of the table at IDX in display order
 * (a bounded insertion sort: one pass, however big the table); *total gets
 * the number of keys. [-0, +1]
 */
static void push_sorted_keys(lua_State *L, int idx, int k, long *total)
{
	idx = lua_absindex(L, idx);
	lua_createtable(L, k + 1, 0);
	int best = lua_gettop(L), n = 0;
	*total = 0;
	lua_pushnil(L);
	while (lua_next(L, idx)) {
		lua_pop(L, 1); /* the key stays, for lua_next */
		(*total)++;
		int pos = n + 1;
		for (; pos > 1; pos--) {
			lua_rawgeti(L, best, pos - 1);
			int less = key_less(L, -2, -1);
			lua_pop(L, 1);
			if (!less)
				break;
		}
		if (pos > k)
			continue;
		for (int j = n < k ? n : k - 1; j >= pos; j--) {
			lua_rawgeti(L, best, j);
			lua_rawseti(L, best, j + 1);
		}
		lua_pushvalue(L, -1);
		lua_rawseti(L, best, pos);
		if (n < k)
			n++;
	}
}

static int is_name_char(char c, int first)
{
	return c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       (!first && c >= '0' && c <= '9');
}

/* Is the string at IDX usable as a bare key (`name = v`)? */
static int is_name(lua_State *L, int idx)
{
	size_t n;
	const char *s = lua_tolstring(L, idx, &n);
	if (n == 0)
		return 0;
	for (size_t i = 0; i < n; i++)
		if (!is_name_char(s[i], i == 0))
			return 0;
	return 1;
}

static void add_value(lua_State *L, int idx, strbuf *out, int depth);

/* Does the value at IDX have a __tostring metamethod? [-0, +0] */
static int has_tostring(lua_State *L, int idx)
{
	if (luaL_getmetafield(L, idx, "__tostring") == LUA_TNIL)
		return 0;
	lua_pop(L, 1);
	return 1;
}

/* Append `key = ` for the key at IDX (bare name, or [key]). [-0, +0] */
static void add_key(lua_State *L, int idx, strbuf *out, int depth)
{
	if (lua_type(L, idx) == LUA_TSTRING && is_name(L, idx)) {
		sb_puts(out, lua_tostring(L, idx));
	} else {
		sb_puts(out, "[");
		add_value(L, idx, out, depth);
		sb_puts(out, "]");
	}
	sb_puts(out, " = ");
}

/*
 * Append the table at IDX inline: `{1, 2}` for a sequence, else
 * `{k = v, ...}` in key order; at most MAX entries, then `… (N more)`.
 * With SEP ",\n  " and braces on their own lines it is the one-per-line
 * form. [-0, +0]
 */
static void add_table(lua_State *L, int idx, strbuf *out, int depth, int max, const char *sep)
{
	long total;
	idx = lua_absindex(L, idx);
	push_sorted_keys(L, idx, max, &total);
	int keys = lua_gettop(L);
	int multi = strchr(sep, '\n') != NULL;
	if (total == 0) {
		sb_puts(out, "{}");
		lua_pop(L, 1);
		return;
	}
	int seq = total == (long)lua_rawlen(L, idx);
	sb_puts(out, multi ? "{\n  " : "{");
	long shown = (long)lua_rawlen(L, keys);
	for (long i = 1; i <= shown; i++) {
		if (i > 1)
			sb_puts(out, sep);
		lua_rawgeti(L, keys, i);
		if (!seq)
			add_key(L, -1, out, depth + 1);
		lua_rawget(L, idx);
		add_value(L, -1, out, depth + 1);
		lua_pop(L, 1);
	}
	if (total > shown)
		sb_printf(out, "%s… (%ld more)", sep, total - shown);
	sb_puts(out, multi ? "\n}" : "}");
	lua_pop(L, 1);
}

/* Append the short name of a model object: G5, P0, M2. [-0, +0] */
static void add_short(lua_State *L, int idx, int kind, strbuf *out)
{
	lua_getfield(L, idx, "id");
	sb_printf(out, "%c%s", "?GPM"[kind], lua_tostring(L, -1) ? lua_tostring(L, -1) : "?");
	lua_pop(L, 1);
}

/*
 * Append the value at IDX in its inline form. Model objects are their
 * one-line form at the top (depth 0) and their short name inside a table.
 * [-0, +0]
 */
static void add_value(lua_State *L, int idx, strbuf *out, int depth)
{
	luaL_checkstack(L, 8, "printing");
	idx = lua_absindex(L, idx);
	if (lua_type(L, idx) == LUA_TSTRING) {
		size_t n;
		const char *s = lua_tolstring(L, idx, &n);
		add_quoted(out, s, n);
		return;
	}
	if (!lua_istable(L, idx)) {
		add_tostring(L, idx, out);
		return;
	}
	int kind = snapshot_kind(L, idx);
	if (kind != SNAP_NONE && depth > 0)
		add_short(L, idx, kind, out);
	else if (kind != SNAP_NONE || has_tostring(L, idx))
		add_tostring(L, idx, out);
	else if (depth > INLINE_DEPTH)
		sb_puts(out, "{…}");
	else
		add_table(L, idx, out, depth, INLINE_MAX, ", ");
}

/* Integer keys of a model list, sorted. */
static int cmp_key(const void *a, const void *b)
{
	lua_Integer x = *(const lua_Integer *)a, y = *(const lua_Integer *)b;
	return (x > y) - (x < y);
}

/*
 * If the table at IDX is a non-empty list of model objects (integer keys,
 * every value a G, P or M), append one object per line in key order (at
 * most LIST_MAX, then `… (N more)`) and return 1. [-0, +0]
 */
static int add_model_list(lua_State *L, int idx, strbuf *out)
{
	size_t n = 0;
	lua_pushnil(L);
	while (lua_next(L, idx)) {
		int ok = lua_isinteger(L, -2) && snapshot_kind(L, -1) != SNAP_NONE;
		lua_pop(L, 1);
		if (!ok) {
			lua_pop(L, 1);
			return 0;
		}
		n++;
	}
	if (n == 0)
		return 0;
	/* the key array lives in a userdata: collected even if a __tostring fails */
	lua_Integer *keys = lua_newuserdatauv(L, n * sizeof *keys, 0);
	size_t k = 0;
	lua_pushnil(L);
	while (lua_next(L, idx)) {
		keys[k++] = lua_tointeger(L, -2);
		lua_pop(L, 1);
	}
	qsort(keys, k, sizeof *keys, cmp_key);
	for (size_t i = 0; i < k && i < LIST_MAX; i++) {
		if (i > 0)
			sb_puts(out, "\n");
		lua_rawgeti(L, idx, keys[i]);
		add_tostring(L, -1, out);
		lua_pop(L, 1);
	}
	if (k > LIST_MAX)
		sb_printf(out, "\n… (%zu more)", k - LIST_MAX);
	lua_pop(L, 1);
	return 1;
}

/*
 * Append the value at IDX as the REPL prints a result: lists of model
 * objects one per line, a wide record one field per line, the rest inline.
 * [-0, +0]
 */
static void add_result(lua_State *L, int idx, strbuf *out)
{
	idx = lua_absindex(L, idx);
	if (!lua_istable(L, idx) || snapshot_kind(L, idx) != SNAP_NONE || has_tostring(L, idx)) {
		add_value(L, idx, out, 0);
		return;
	}
	if (add_model_list(L, idx, out))
		return;
	size_t mark = out->len;
	add_table(L, idx, out, 0, INLINE_MAX, ", ");
	if (out->len - mark > WIDE && lua_rawlen(L, idx) == 0) {
		out->len = mark;
		out->s[mark] = '\0';
		add_table(L, idx, out, 0, LINES_MAX, ",\n  ");
	}
}

/* A field of a record (info): inline, model objects as short names. [-0, +0] */
void luaenv_add_inline(lua_State *L, int idx, strbuf *out)
{
	add_value(L, idx, out, 1);
}

/* ------------------------------------------------------------ evaluation */

static lua_State *globalL;          /* for the signal handler */
static int running;                 /* protected runs in progress (they nest) */
static volatile sig_atomic_t nsignals; /* times a signal stopped Lua code, ever */

/* The signals that stop running Lua code, and the handlers laction()
 * replaced (the REPL's: they still see the signal). */
static const int stop_sigs[] = {SIGINT, SIGTERM, SIGHUP};
static struct sigaction prev_action[3];

/*
 * lua.c's lstop: the hook set by laction raises the interrupt error -- in
 * Lua code only: a call of a C function (the debugger's own, e.g. loading
 * the stop that a Ctrl-C produced) runs on, and the hook fires when control
 * is back in Lua.
 */
static void lstop(lua_State *L, lua_Debug *ar)
{
	if (lua_getinfo(L, "S", ar) && ar->what[0] == 'C')
		return; /* the call or return of a C function */
	lua_sethook(L, NULL, 0, 0);
	nsignals++; /* (here, not in laction: the code stopped is the code running now) */
	luaL_where(L, 0); /* where the Lua code was: "file:line:" */
	lua_pushliteral(L, "interrupted!");
	lua_concat(L, 2);
	lua_error(L);
}

/* Make the running Lua code stop at its next instruction (or call). */
static void set_stop_hook(void)
{
	lua_sethook(globalL, lstop, LUA_MASKCALL | LUA_MASKRET | LUA_MASKLINE | LUA_MASKCOUNT, 1);
}

/*
 * Ctrl-C (or SIGTERM, SIGHUP) while Lua runs: stop the Lua, and let the
 * handler it replaced see the signal too (the REPL's, so that a program
 * the Lua resumed is interrupted as well, and SIGTERM ends the session).
 */
static void laction(int sig, siginfo_t *si, void *ctx)
{
	set_stop_hook();
	for (size_t i = 0; i < sizeof stop_sigs / sizeof stop_sigs[0]; i++) {
		const struct sigaction *prev = &prev_action[i];
		if (stop_sigs[i] != sig)
			continue;
		if (prev->sa_flags & SA_SIGINFO)
			prev->sa_sigaction(sig, si, ctx);
		else if (prev->sa_handler != SIG_DFL && prev->sa_handler != SIG_IGN)
			prev->sa_handler(sig);
	}
}

long luaenv_signals(void)
{
	return (long)nsignals;
}

void luaenv_interrupt(lua_State *L)
{
	if (running > 0 && L == globalL)
		set_stop_hook();
}

/* A protected run begins: the outermost one takes the signals. */
static void enter(lua_State *L)
{
	if (running++ > 0)
		return;
	struct sigaction sa = {.sa_sigaction = laction, .sa_flags = SA_RESTART | SA_SIGINFO};
	sigemptyset(&sa.sa_mask);
	globalL = L;
	for (size_t i = 0; i < sizeof stop_sigs / sizeof stop_sigs[0]; i++)
		sigaction(stop_sigs[i], &sa, &prev_action[i]);
}

/* ... and ends: the outermost one gives them back. */
static void leave(lua_State *L)
{
	if (--running > 0)
		return;
	for (size_t i = 0; i < sizeof stop_sigs / sizeof stop_sigs[0]; i++)
		sigaction(stop_sigs[i], &prev_action[i], NULL);
	lua_sethook(L, NULL, 0, 0);
}

static int (*pending)(void); /* luaenv_pending() */

void luaenv_pending(int (*fn)(void))
{
	pending = fn;
}

int luaenv_pcall(lua_State *L, int nargs, int nresults, int *interrupted)
{
	sig_atomic_t before = nsignals;
	enter(L);
	if (pending && pending())
		set_stop_hook(); /* it came before our handler was in place */
	int st = lua_pcall(L, nargs, nresults, 0);
	leave(L);
	*interrupted = st != LUA_OK && nsignals != before;
	return st;
}

/* Is a Lua function, not just the line's own chunk, on the stack? */
static int in_function(lua_State *L)
{
	lua_Debug ar;
	for (int level = 1; lua_getstack(L, level, &ar); level++) {
		lua_getinfo(L, "S", &ar);
		if (strcmp(ar.what, "Lua") == 0)
			return 1;
	}
	return 0;
}

/*
 * The message handler: the error as a string, with a traceback when it
 * came from inside a function (for an error in the line itself the
 * traceback only says "main chunk").
 */
int luaenv_msghandler(lua_State *L)
{
	const char *msg = lua_tostring(L, 1);
	if (msg == NULL) {
		if (luaL_callmeta(L, 1, "__tostring") && lua_type(L, -1) == LUA_TSTRING)
			return 1;
		msg = lua_pushfstring(L, "(error object is a %s value)", luaL_typename(L, 1));
	}
	if (in_function(L))
		luaL_traceback(L, L, msg, 1);
	else
		lua_pushstring(L, msg);
	return 1;
}

const char *luaenv_unplaced(const char *msg)
{
	const char *p = msg + 4;
	if (strncmp(msg, CHUNKNAME + 1, 3) != 0 || msg[3] != ':' || *p < '0' || *p > '9')
		return msg;
	p += strspn(p, "0123456789");
	return p[0] == ':' && p[1] == ' ' ? p + 2 : msg;
}

/* What eval_line() is asked to do and reports back. */
struct eval {
	const char *code;
	int expr_only;  /* the print command: an expression list or nothing */
	int incomplete; /* out: the chunk needs more lines */
	strbuf *out;    /* the formatted results */
};

/*
 * Compile the line as `return <line>;` and, unless only an expression is
 * wanted, as a statement if that fails. [-0, +1]: the function, or the
 * error message.
 */
/* Is the syntax error on top of the stack "more input needed"? */
static int incomplete(lua_State *L, int status)
{
	size_t n;
	const char *msg = lua_tolstring(L, -1, &n);
	size_t m = sizeof EOFMARK - 1;
	return status == LUA_ERRSYNTAX && msg && n >= m && strcmp(msg + n - m, EOFMARK) == 0;
}

static int load_line(lua_State *L, struct eval *e)
{
	const char *ret = lua_pushfstring(L, "return %s", e->code);
	int status = luaL_loadbuffer(L, ret, strlen(ret), CHUNKNAME);
	lua_remove(L, -2);
	if (status == LUA_OK || e->expr_only)
		return status;
	/* An expression that wants more ("{a = 1,") is no statement at all:
	 * keep its error, which asks for more lines. */
	int more = incomplete(L, status);
	int st = luaL_loadbuffer(L, e->code, strlen(e->code), CHUNKNAME);
	if (st != LUA_OK && more && !incomplete(L, st)) {
		lua_pop(L, 1);
		return status;
	}
	lua_remove(L, -2);
	return st;
}

/*
 * The protected body of an evaluation (arg 1: struct eval): compile, run
 * under the message handler, format the results into e->out. Errors are
 * raised as Lua errors, to the caller's pcall.
 */
static int eval_line(lua_State *L)
{
	struct eval *e = lua_touserdata(L, 1);
	lua_settop(L, 0);
	lua_pushcfunction(L, luaenv_msghandler); /* 1 */
	int status = load_line(L, e);     /* 2: the chunk */
	if (status != LUA_OK && !e->expr_only && incomplete(L, status)) {
		e->incomplete = 1;
		return 0;
	}
	if (status == LUA_OK)
		status = lua_pcall(L, 0, LUA_MULTRET, 1);
	if (status != LUA_OK)
		return lua_error(L);
	int n = lua_gettop(L);
	for (int i = 2; i <= n; i++) {
		if (i > 2)
			sb_puts(e->out, "\t");
		add_result(L, i, e->out);
	}
	return 0;
}

/*
 * Run FN(UD) protected, with Ctrl-C interrupting the Lua code: 0, or -1 and
 * error_set(). Runs nest (a script runs a command that runs Lua); the
 * outermost one owns the SIGINT handler and the hook.
 */
static int protect(lua_State *L, lua_CFunction fn, void *ud)
{
	enter(L);
	lua_pushcfunction(L, fn);
	lua_pushlightuserdata(L, ud);
	int status = lua_pcall(L, 1, 0, 0);
	leave(L);
	if (status != LUA_OK) {
		const char *msg = lua_tostring(L, -1);
		error_set("%s", msg ? msg : "(error object is not a string)");
		lua_pop(L, 1);
		return -1;
	}
	return 0;
}

/* Run eval_line protected. */
static int run(lua_State *L, struct eval *e)
{
	if (protect(L, eval_line, e) < 0)
		return -1;
	return e->incomplete ? LUAENV_INCOMPLETE : 0;
}

/* What luaenv_call() runs. */
struct call {
	lua_CFunction fn;
	void *ud;
	const char *path; /* luaenv_dofile(): the file, else NULL */
};

/* The protected body of luaenv_call(): FN(UD) under the message handler. */
static int call_body(lua_State *L)
{
	struct call *c = lua_touserdata(L, 1);
	lua_settop(L, 0);
	lua_pushcfunction(L, luaenv_msghandler); /* 1 */
	if (c->path && luaL_loadfile(L, c->path) != LUA_OK)
		return lua_error(L);
	if (!c->path) {
		lua_pushcfunction(L, c->fn);
		lua_pushlightuserdata(L, c->ud);
	}
	if (lua_pcall(L, c->path ? 0 : 1, 0, 1) != LUA_OK)
		return lua_error(L);
	return 0;
}

int luaenv_call(lua_State *L, lua_CFunction fn, void *ud)
{
	struct call c = {.fn = fn, .ud = ud};
	return protect(L, call_body, &c);
}

int luaenv_dofile(lua_State *L, const char *path)
{
	struct call c = {.path = path};
	return protect(L, call_body, &c);
}

/* A REPL line: run it and print the values it returns, if any, on stdout. */
int luaenv_eval(lua_State *L, const char *code)
{
	strbuf out = {0};
	struct eval e = {.code = code, .out = &out};
	int rc = run(L, &e);
	if (rc == 0 && out.len > 0) {
		fwrite(out.s, 1, out.len, stdout);
		fputc('\n', stdout);
	}
	sb_free(&out);
	fflush(stdout);
	return rc;
}

/* The print command: an expression list only, formatted into OUT. */
int luaenv_format(lua_State *L, const char *expr, strbuf *out)
{
	struct eval e = {.code = expr, .expr_only = 1, .out = out};
	return run(L, &e);
}

/* ------------------------------------------------------------- the state */

/* Protected setup: the standard libraries and the model's metatables. */
static int setup(lua_State *L)
{
	luaL_openlibs(L);
	snapshot_init(L);
	return 0;
}

/* A new state, set up in protected mode (a memory error is an error, not a panic). */
lua_State *luaenv_new(void)
{
	lua_State *L = luaL_newstate();
	if (!L) {
		error_set("cannot create the Lua state: out of memory");
		return NULL;
	}
	lua_pushcfunction(L, setup);
	if (lua_pcall(L, 0, 0, 0) != LUA_OK) {
		error_set("cannot set up Lua: %s", lua_tostring(L, -1));
		lua_close(L);
		return NULL;
	}
	return L;
}

void luaenv_close(lua_State *L)
{
	if (L)
		lua_close(L);
}
