/*
 * cmd-info.c -- `info SUBCOMMAND`: facts about the debugger's own state
 * (info target) and the scheduler at this stop, one record per command:
 * info sched, info p [N], info m [N], info g [ID]. Subcommands are a small
 * table like the command table; add one by adding a row.
 *
 * The records are read from the Lua model inside luaenv_call() (protected,
 * interruptible) into a buffer that is printed only when all went well.
 * Under --json a record is one {"type":"info","what":SUBCOMMAND,...} line:
 * its fields (references as ids), or "items", one object per entry.
 */
#include "batch.h"
#include "cmd.h"
#include "breakpoint.h"
#include "util.h"

#include <cJSON.h>
#include <errno.h>
#include <lauxlib.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define NAME_WIDTH 12 /* the field names of a record are padded to this */
#define FRAMES_MAX 20 /* stack frames shown by info g */
#define EXTRA_MAX 64  /* fields of a record beyond the known ones */

struct info_entry {
	const char *name;
	const char *summary;
	int (*exec)(session *s);                        /* a subcommand without arguments */
	int (*exec_args)(session *s, const char *args); /* or one that takes some */
	const char *usage;                              /* its arguments, for errors */
};

/* ---------------------------------------------------------------- target */

/* The state of the program: not running, running or stopped. */
static const char *state_name(session *s)
{
	if (s->t.pid <= 0)
		return "not running";
	return s->t.state == TARGET_RUNNING ? "running" : "stopped";
}

/* The state of the program in words. */
static void print_state(session *s)
{
	printf("%s", state_name(s));
	if (s->t.pid > 0 && s->t.state != TARGET_RUNNING && s->have_stop)
		printf(" at %s (event %lld)", s->stop.kind, s->stop.seq);
	if (s->t.pid <= 0 && s->t.has_exited)
		printf(" (last run %s)", target_status_text(s->t.wstatus));
	printf("\n");
}

/* Is the Go toolchain known (looked up on first use)? */
static int have_go(target *t)
{
	if (!t->have_go && gotool_find(&t->go) == 0)
		t->have_go = 1;
	return t->have_go;
}

/* o[name] = S, or null. */
static void add_string(cJSON *o, const char *name, const char *s)
{
	cJSON_AddItemToObject(o, name, s ? cJSON_CreateString(s) : cJSON_CreateNull());
}

/* info target under --json: the same facts, null for those unknown. */
static int json_target(session *s)
{
	target *t = &s->t;
	cJSON *o = batch_json_new("info", "target");
	cJSON_AddStringToObject(o, "program", t->prog);
	cJSON *args = cJSON_AddArrayToObject(o, "args");
	for (int i = 1; i < t->argc; i++)
		cJSON_AddItemToArray(args, cJSON_CreateString(t->argv[i]));
	add_string(o, "binary", t->binary);
	int go = have_go(t);
	add_string(o, "go", go ? t->go.goversion : NULL);
	add_string(o, go ? "goroot" : "go_error", go ? t->go.goroot : error_msg());
	if (t->pid > 0) {
		cJSON_AddNumberToObject(o, "pid", (double)t->pid);
		add_string(o, "runtime", t->runtime_version);
		cJSON_AddNumberToObject(o, "gomaxprocs", t->gomaxprocs);
	}
	cJSON_AddStringToObject(o, "state", state_name(s));
	cJSON_AddBoolToObject(o, "history", !s->history_off);
	if (t->pid > 0 && t->state != TARGET_RUNNING && s->have_stop) {
		cJSON_AddStringToObject(o, "kind", s->stop.kind);
		cJSON_AddNumberToObject(o, "seq", (double)s->stop.seq);
	}
	if (t->pid <= 0 && t->has_exited)
		cJSON_AddStringToObject(o, "last_run", target_status_text(t->wstatus));
	batch_json_emit(o);
	return CMD_OK;
}

/* The bytes of the character at P (N bytes left): a UTF-8 sequence, or
 * one byte (also one that is not UTF-8). */
static size_t char_len(const unsigned char *p, size_t n)
{
	size_t k = *p >= 0x80 ? utf8_len(p, n) : 1;
	return k ? k : 1;
}

/* Must the character at P be written as an escape: a control character,
 * or a byte that is not UTF-8? */
static int needs_escape(const unsigned char *p, size_t n)
{
	return *p < 0x20 || *p == 0x7f || (*p >= 0x80 && !utf8_len(p, n));
}

/* ARG as a shell would need it: as it is if it is plain, else in single
 * quotes (a quote inside as '\''), so that "a b" reads as one argument;
 * with control characters or bytes that are not UTF-8, as $'...' with C
 * escapes. */
static void print_arg(const char *arg)
{
	if (*arg && !arg[strspn(arg, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
				  "0123456789-_=+./,:@%")]) {
		printf(" %s", arg);
		return;
	}
	const unsigned char *a = (const unsigned char *)arg;
	size_t n = strlen(arg), k;
	int esc = 0;
	for (size_t i = 0; i < n; i += char_len(a + i, n - i))
		esc |= needs_escape(a + i, n - i);
	printf(esc ? " $'" : " '");
	for (size_t i = 0; i < n; i += k) {
		k = char_len(a + i, n - i);
		if (esc && (needs_escape(a + i, n - i) || a[i] == '\\' || a[i] == '\''))
			printf("\\x%02x", a[i]);
		else if (a[i] == '\'')
			printf("'\\''");
		else
			fwrite(a + i, 1, k, stdout);
	}
	putchar('\'');
}

/* info target: program, arguments, binary, toolchain, pid, state, history. */
static int info_target(session *s)
{
	target *t = &s->t;
	if (s->json)
		return json_target(s);
	printf("program:    %s\n", t->prog);
	if (t->argc > 1) {
		printf("arguments: ");
		for (int i = 1; i < t->argc; i++)
			print_arg(t->argv[i]);
		printf("\n");
	}
	printf("binary:     %s\n", t->binary ? t->binary : "(not built yet)");
	if (have_go(t))
		printf("go:         %s (%s)\n", t->go.goversion, t->go.goroot);
	else
		printf("go:         unavailable: %s\n", error_msg());
	if (t->pid > 0) {
		printf("pid:        %ld\n", (long)t->pid);
		printf("runtime:    %s, GOMAXPROCS %d\n",
		       t->runtime_version ? t->runtime_version : "?", t->gomaxprocs);
	}
	printf("state:      ");
	print_state(s);
	printf("history:    %s\n", s->history_off ? "off (events are counted, not recorded)" : "on");
	return CMD_OK;
}

/* ------------------------------------------------------- model records */

/*
 * The fields of the model's records (docs/PROTOCOL.md), in the order info
 * shows them, the man page's (LUA MODEL); id is on the first line, and
 * fields not listed follow, sorted.
 * Completion offers them too, even those nil at this stop.
 */
const char *const cmd_g_fields[] = {
	"id",      "status", "waitreason", "waitsince", "since",     "m",         "p",
	"lockedm", "parent", "parentg",    "startfn",   "createdby", "createdat", "system",
	"labels",  NULL,
};
const char *const cmd_p_fields[] = {
	"id",    "status", "m", "runq", "runnext", "schedtick", "syscalltick", "gfree",
	"timers", NULL,
};
const char *const cmd_m_fields[] = {
	"id", "procid", "p", "curg", "spinning", "blocked", "lockedg", "incgo", "idle", NULL,
};
const char *const cmd_sched_fields[] = {
	"runq",         "gomaxprocs",  "npidle",  "nmspinning", "nmidle",    "nmsys",
	"mcount",       "needspinning", "ngoroutines", "goidgen", "gcwaiting", "stopwait",
	"sysmonwait",   "pidle",       "midle",   NULL,
};

/* The event's (ev; startfn at exit) and the stop's, which info does not show. */
const char *const cmd_ev_fields[] = {
	"kind", "seq", "time", "g", "p", "m", "parent", "by", "waitreason", "from", "reason",
	"next", "code", "startfn", NULL,
};
const char *const cmd_stop_fields[] = {
	"reason", "seq", "now", "gap", "frozen", "unfrozen", "bps", NULL,
};

/* What one info command shows, handed to the protected body. */
struct show {
	const char *set;            /* the global: "g", "p", "m", or "sched" */
	const char *const *order;   /* the record's fields */
	lua_Integer id;             /* the entry shown */
	int all;                    /* every entry, one line each */
	int stack;                  /* append the goroutine's frames */
	strbuf out;
	cJSON *json;                /* --json: the line, instead of out */
};

/* Append "  name        value\n" for the field at the top of the stack; a
 * string plainly, anything else as the pretty printer has it. [-1, +0] */
static void add_field(lua_State *L, const char *name, strbuf *out)
{
	sb_printf(out, "  %-*s ", NAME_WIDTH, name);
	if (lua_type(L, -1) == LUA_TSTRING)
		sb_puts(out, lua_tostring(L, -1));
	else
		luaenv_add_inline(L, -1, out);
	sb_puts(out, "\n");
	lua_pop(L, 1);
}

static int in_order(const char *const *order, const char *name)
{
	for (; *order; order++)
		if (strcmp(*order, name) == 0)
			return 1;
	return 0;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/*
 * Append the fields of the table at T: those of ORDER first, then the
 * other string keys (but id; at most EXTRA_MAX) sorted; nil fields are
 * left out. [-0, +0]
 */
static void add_record(lua_State *L, int t, const char *const *order, strbuf *out)
{
	t = lua_absindex(L, t);
	for (const char *const *f = order; *f; f++) {
		if (strcmp(*f, "id") == 0)
			continue;
		if (lua_getfield(L, t, *f) == LUA_TNIL)
			lua_pop(L, 1);
		else
			add_field(L, *f, out);
	}
	size_t n = 0, cap = EXTRA_MAX;
	const char **rest = lua_newuserdatauv(L, cap * sizeof *rest, 0); /* freed by the GC */
	lua_pushnil(L);
	while (lua_next(L, t)) {
		lua_pop(L, 1);
		const char *k = lua_type(L, -1) == LUA_TSTRING ? lua_tostring(L, -1) : NULL;
		if (!k || strcmp(k, "id") == 0 || in_order(order, k) || n == cap)
			continue;
		rest[n++] = k; /* the key stays alive: it is in the table */
	}
	qsort(rest, n, sizeof *rest, cmp_str);
	for (size_t i = 0; i < n; i++) {
		lua_getfield(L, t, rest[i]);
		add_field(L, rest[i], out);
	}
	lua_pop(L, 1);
}

/* Append tostring(value at IDX) and a newline. [-0, +0] */
static void add_line(lua_State *L, int idx, strbuf *out)
{
	sb_puts(out, luaL_tolstring(L, idx, NULL));
	sb_puts(out, "\n");
	lua_pop(L, 1);
}

/* Append every entry of the set at T, one line (or JSON item) each, in id
 * order. [-0, +0] */
static void add_all(lua_State *L, int t, struct show *w)
{
	t = lua_absindex(L, t);
	cJSON *items = w->json ? cJSON_AddArrayToObject(w->json, "items") : NULL;
	lua_Integer max = -1;
	lua_pushnil(L);
	while (lua_next(L, t)) {
		lua_pop(L, 1);
		if (lua_isinteger(L, -1) && lua_tointeger(L, -1) > max)
			max = lua_tointeger(L, -1);
	}
	for (lua_Integer i = 0; i <= max; i++) {
		int found = lua_rawgeti(L, t, i) != LUA_TNIL;
		if (found && items)
			cJSON_AddItemToArray(items, batch_json_value(L, -1));
		else if (found)
			add_line(L, -1, &w->out);
		lua_pop(L, 1);
	}
}

/*
 * Append goroutine G's frames (G at the top of the stack): g:stack(), at
 * most FRAMES_MAX. A program that cannot unwind it is reported in the
 * listing, not as an error of the command. [-0, +0]
 */
static void add_stack(lua_State *L, strbuf *out)
{
	lua_getfield(L, -1, "stack"); /* the method, through G's __index */
	lua_pushvalue(L, -2);
	if (lua_pcall(L, 1, 2, 0) != LUA_OK) { /* (only the message, then) */
		sb_printf(out, "  %-*s unavailable: %s\n", NAME_WIDTH, "stack",
			  lua_isstring(L, -1) ? lua_tostring(L, -1) : "no frames");
		lua_pop(L, 1);
		return;
	}
	long long deeper = (long long)lua_tointeger(L, -1); /* past those listed */
	lua_pop(L, 1);
	lua_Integer n = (lua_Integer)lua_rawlen(L, -1);
	sb_printf(out, "  stack:%s\n", n ? "" : " (no frames)");
	for (lua_Integer i = 1; i <= n && i <= FRAMES_MAX; i++) {
		lua_rawgeti(L, -1, i);
		lua_getfield(L, -1, "func");
		lua_getfield(L, -2, "file");
		lua_getfield(L, -3, "line");
		sb_printf(out, "    #%-3lld %s\n         %s:%lld\n", (long long)i - 1,
			  lua_tostring(L, -3), lua_tostring(L, -2), (long long)lua_tointeger(L, -1));
		lua_pop(L, 4);
	}
	lua_getfield(L, -2, "id");
	if (n > FRAMES_MAX)
		sb_printf(out, "    … and %lld more frames (bt %s shows %s)\n",
			  (long long)(n - FRAMES_MAX) + deeper, lua_tostring(L, -1),
			  deeper ? "the innermost 1000" : "them all");
	lua_pop(L, 2);
}

/* Under --json, o.stack: goroutine G's frames (G at the top of the stack),
 * or null and o.stack_error. [-0, +0] */
static void json_stack(lua_State *L, cJSON *o)
{
	lua_getfield(L, -1, "stack");
	lua_pushvalue(L, -2);
	if (lua_pcall(L, 1, 2, 0) != LUA_OK) { /* (only the message, then) */
		cJSON_AddNullToObject(o, "stack");
		add_string(o, "stack_error",
			   lua_isstring(L, -1) ? lua_tostring(L, -1) : "no frames");
		lua_pop(L, 1);
		return;
	}
	cJSON_AddItemToObject(o, "stack", batch_json_value(L, -2));
	cJSON_AddNumberToObject(o, "stack_more", (double)lua_tointeger(L, -1)); /* deeper, left out */
	lua_pop(L, 2);
}

/* The protected body of an info command on the model (arg 1: struct show). */
static int show_body(lua_State *L)
{
	struct show *w = lua_touserdata(L, 1);
	if (lua_getglobal(L, w->set) != LUA_TTABLE)
		return luaL_error(L, "no %s in this stop", w->set);
	if (!w->order && w->json) { /* sched: the record itself */
		batch_json_merge(w->json, batch_json_value(L, -1));
		return 0;
	}
	if (!w->order) {
		sb_puts(&w->out, "sched:\n");
		add_record(L, -1, cmd_sched_fields, &w->out);
		return 0;
	}
	if (w->all) {
		add_all(L, -1, w);
		return 0;
	}
	if (lua_geti(L, -1, w->id) == LUA_TNIL)
		return luaL_error(L, "no %s %I in this stop", strcmp(w->set, "g") == 0 ? "goroutine"
							      : strcmp(w->set, "p") == 0 ? "P" : "M",
				  w->id);
	if (w->json) {
		batch_json_merge(w->json, batch_json_value(L, -1));
		if (w->stack)
			json_stack(L, w->json);
		return 0;
	}
	add_line(L, -1, &w->out);
	add_record(L, -1, w->order, &w->out);
	if (w->stack)
		add_stack(L, &w->out);
	return 0;
}

/* Run W on the current stop and print what it made (a JSON line under --json). */
static int show(session *s, struct show *w)
{
	if (!s->have_stop) {
		if (cmd_need_stopped(s) < 0)
			return -1;
		error_set("this stop has no snapshot (step or continue to get one)");
		return -1;
	}
	if (s->json)
		w->json = batch_json_new("info", w->set);
	int rc = luaenv_call(s->L, show_body, w);
	if (rc == 0 && w->json)
		batch_json_emit(w->json);
	else if (rc == 0)
		fputs(w->out.s ? w->out.s : "", stdout);
	else
		cJSON_Delete(w->json);
	sb_free(&w->out);
	fflush(stdout);
	return rc < 0 ? -1 : CMD_OK;
}

/*
 * Parse ARGS: nothing (*id untouched, 0) or one non-negative integer (1).
 * -1 with an error naming the subcommand otherwise.
 */
static int parse_id(const char *sub, const char *what, const char *args, lua_Integer *id)
{
	if (*args == '\0')
		return 0;
	char *end;
	errno = 0;
	long long v = strtoll(args, &end, 10);
	end += strspn(end, " \t");
	if (end == args || *end || v < 0 || errno == ERANGE) {
		error_set("info %s: want %s, as in \"info %s 1\"", sub, what, sub);
		return -1;
	}
	*id = (lua_Integer)v;
	return 1;
}

/* info sched: the global scheduler. */
static int info_sched(session *s)
{
	struct show w = {.set = "sched"};
	return show(s, &w);
}

/* info p [N]: every P one line each, or P N field by field. */
static int info_p(session *s, const char *args)
{
	struct show w = {.set = "p", .order = cmd_p_fields};
	int r = parse_id("p", "a P id", args, &w.id);
	if (r < 0)
		return -1;
	w.all = r == 0;
	return show(s, &w);
}

/* info m [N]: every M one line each, or M N field by field. */
static int info_m(session *s, const char *args)
{
	struct show w = {.set = "m", .order = cmd_m_fields};
	int r = parse_id("m", "an M id", args, &w.id);
	if (r < 0)
		return -1;
	w.all = r == 0;
	return show(s, &w);
}

/* info g [ID]: goroutine ID (default: the event's) field by field, and its stack. */
static int info_g(session *s, const char *args)
{
	struct show w = {.set = "g", .order = cmd_g_fields, .stack = 1};
	int r = parse_id("g", "a goroutine id", args, &w.id);
	if (r < 0)
		return -1;
	if (r == 0 && s->have_stop && s->stop.g < 0) {
		error_set("info g: this stop's event has no goroutine; give an id, as in "
			  "\"info g 1\"");
		return -1;
	}
	if (r == 0)
		w.id = s->stop.g;
	return show(s, &w);
}

/* --------------------------------------------------------- breakpoints */

/* The words of the string S ("park ready") as a JSON array. */
static cJSON *words_json(const char *s)
{
	cJSON *a = cJSON_CreateArray();
	while (s && *(s += strspn(s, " "))) {
		size_t n = strcspn(s, " ");
		char *word = xasprintf("%.*s", (int)n, s);
		cJSON_AddItemToArray(a, cJSON_CreateString(word));
		free(word);
		s += n;
	}
	return a;
}

/* info breakpoints [N...]: the table (cmd-break.c), or under --json "items",
 * each as gs.breaks(ID) has it plus "kinds", the event kinds as a list. */
static int info_breakpoints(session *s, const char *args)
{
	int ids[256], n = break_parse_ids(s, "info breakpoints", args, ids, 256);
	if (n < 0)
		return -1;
	if (!s->json)
		return break_info(s, ids, n);
	lua_State *L = s->L;
	cJSON *o = batch_json_new("info", "breakpoints");
	cJSON *items = cJSON_AddArrayToObject(o, "items");
	break_push_ids(s);
	for (lua_Integer i = 1; lua_rawgeti(L, -1, i) != LUA_TNIL; i++) {
		int id = (int)lua_tointeger(L, -1), k = 0;
		while (k < n && ids[k] != id)
			k++;
		if (n > 0 && k == n) {
			lua_pop(L, 1);
			continue;
		}
		break_push_info(s, id);
		cJSON *bp = batch_json_value(L, -1);
		const char *on = cJSON_GetStringValue(cJSON_GetObjectItem(bp, "on"));
		cJSON_AddItemToObject(bp, "kinds", words_json(on));
		cJSON_AddItemToArray(items, bp);
		lua_pop(L, 2);
	}
	lua_pop(L, 2);
	batch_json_emit(o);
	return CMD_OK;
}

/* ----------------------------------------------------------- the table */

static const struct info_entry info_table[] = {
	{"target", "the program: binary, Go version, pid, state, history on or off", info_target, NULL, ""},
	{"sched", "the global scheduler: run queue, idle Ps and Ms, counts", info_sched, NULL, ""},
	{"p", "every P, one line each; with N, P N field by field", NULL, info_p, "[N]"},
	{"m", "every M, one line each; with N, M N field by field", NULL, info_m, "[N]"},
	{"g", "goroutine ID (default: the event's) field by field, and its stack", NULL, info_g,
	 "[ID]"},
	{"breakpoints", "breakpoints (or N...): kinds, condition, tier, hits, commands", NULL,
	 info_breakpoints, "[N...]"},
	{NULL, NULL, NULL, NULL, NULL},
};

const char *cmd_info_name(int i)
{
	int n = (int)(sizeof info_table / sizeof info_table[0]) - 1;
	return i >= 0 && i < n ? info_table[i].name : NULL;
}

/* --json: {"type":"info","subcommands":[{"name":...,"usage":...,"summary":...}]}. */
static void json_info_list(void)
{
	cJSON *o = batch_json_new("info", NULL);
	cJSON *items = cJSON_AddArrayToObject(o, "subcommands");
	for (const struct info_entry *e = info_table; e->name; e++) {
		cJSON *it = cJSON_CreateObject();
		cJSON_AddStringToObject(it, "name", e->name);
		cJSON_AddStringToObject(it, "usage", e->usage);
		cJSON_AddStringToObject(it, "summary", e->summary);
		cJSON_AddItemToArray(items, it);
	}
	batch_json_emit(o);
}

static void info_list(void)
{
	printf("info subcommands (a unique prefix is enough):\n");
	for (const struct info_entry *e = info_table; e->name; e++) {
		strbuf head = {0};
		sb_printf(&head, "%s%s%s", e->name, *e->usage ? " " : "", e->usage);
		printf("  info %-10s %s\n", head.s, e->summary);
		sb_free(&head);
	}
}

/* The subcommand ARGS names (N bytes) or abbreviates; NULL and error_set() if none. */
/* Other names of subcommands. */
static const struct {
	const char *alias, *name;
} info_aliases[] = {{"breaks", "breakpoints"}};

static const struct info_entry *info_lookup(const char *args, size_t n)
{
	for (size_t i = 0; i < sizeof info_aliases / sizeof info_aliases[0]; i++) {
		if (strlen(info_aliases[i].alias) == n && strncmp(info_aliases[i].alias, args, n) == 0) {
			args = info_aliases[i].name;
			n = strlen(args);
		}
	}
	const struct info_entry *found = NULL;
	strbuf names = {0};
	int matches = 0;
	for (const struct info_entry *e = info_table; e->name; e++) {
		if (strncmp(e->name, args, n) != 0)
			continue;
		if (strlen(e->name) == n) {
			sb_free(&names);
			return e;
		}
		sb_printf(&names, "%s%s", matches ? ", " : "", e->name);
		found = e;
		matches++;
	}
	if (matches > 1)
		error_set("ambiguous info subcommand \"%.*s\": could be %s", (int)n, args, names.s);
	else if (matches == 0)
		error_set("no info subcommand \"%.*s\" (\"info\" lists them)", (int)n, args);
	sb_free(&names);
	return matches == 1 ? found : NULL;
}

/* info SUBCOMMAND [ARGS]: run the subcommand ARGS names or abbreviates. */
static int cmd_info_exec(session *s, const char *args)
{
	size_t n = strcspn(args, " \t");
	if (n == 0 && s->json) {
		json_info_list();
		return CMD_OK;
	}
	if (n == 0) {
		info_list();
		return CMD_OK;
	}
	const struct info_entry *e = info_lookup(args, n);
	if (!e)
		return -1;
	const char *rest = args + n + strspn(args + n, " \t");
	if (!e->exec_args && *rest != '\0') {
		error_set("info %s takes no arguments", e->name);
		return -1;
	}
	int rc = e->exec_args ? e->exec_args(s, rest) : e->exec(s);
	fflush(stdout);
	return rc;
}

const struct cmd_entry cmd_info_entry = {
	.name = "info",
	.alias = "i",
	.usage = "SUBCOMMAND [ARGS]",
	.summary = "show facts: info target, sched, p, m, g",
	.help = "Show facts about the program and the scheduler at this stop.\n"
		"  info target    the program, its arguments, the built binary, the Go\n"
		"                 toolchain, the pid, the runtime version and the state\n"
		"  info sched     the global scheduler field by field: GOMAXPROCS, the\n"
		"                 global run queue, idle Ps and Ms, spinning Ms, GC state\n"
		"  info p [N]     every P, one line each; with N, P N field by field\n"
		"  info m [N]     every M, one line each; with N, M N field by field\n"
		"  info g [ID]    goroutine ID (default: the one of the stop's event)\n"
		"                 field by field, then its stack\n"
		"  info breakpoints [N...]  each breakpoint (or those numbered N):\n"
		"                 number, kinds, hits, condition and the tier that\n"
		"                 evaluates it (and why), ignore count, commands (also:\n"
		"                 info breaks, info b)\n"
		"Long queues are truncated with a count: {G5, G6, …, … (80 more)}.\n"
		"Examples:\n"
		"  info sched\n"
		"  info p 0\n"
		"  info g 1\n"
		"  i m",
	.exec = cmd_info_exec,
	.class = CMD_CLASS_INSPECTING,
	.args = CMD_ARGS_INFO,
};
