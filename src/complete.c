/*
 * complete.c -- tab completion at the prompt.
 *
 * What the word before the cursor can become depends on where it is:
 *   the first word            command names, Lua globals and keywords
 *   after "on"                event kinds (break on KIND..., step KIND)
 *   after "if"                Lua (break conditions)
 *   a command's arguments     as its cmd_entry's args says: Lua (print),
 *                             a goroutines filter, event kinds, command
 *                             names (help), info subcommands, file names,
 *                             breakpoint numbers (delete; condition N Lua)
 *   any other line            Lua
 * Lua completion walks the expression before the cursor in the live state:
 * for `p[0].r` it reads global p, its key 0 and lists the keys of that
 * table starting with r. Only raw reads and __index tables (or, beside a
 * function __index, a metatable's __methods: a goroutine's) are followed,
 * so completing never runs Lua code (only the debugger's loader of the
 * stop's goroutines, once per stop), and the walk runs under lua_pcall.
 */
#include "complete.h"
#include "breakpoint.h"
#include "cmd.h"
#include "snapshot.h"
#include "util.h"
#include "wire.h"

#include <ctype.h>
#include <lauxlib.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <readline/readline.h>

#define INDEX_DEPTH 8 /* __index tables followed, at most */

/* Word breaks: Lua's punctuation, but not '-' (goroutines -group). */
#define LUA_BREAKS " \t\n\"'`@$><=;|&{(,.[]:+*/%^#~)}"
#define FILE_BREAKS " \t\n"

static const char *const lua_keywords[] = {
	"and", "break", "do", "else", "elseif", "end", "false", "for", "function", "goto", "if",
	"in", "local", "nil", "not", "or", "repeat", "return", "then", "true", "until", "while",
	NULL,
};

static const char *const list_options[] = {"-group", "-n", NULL};

/* ------------------------------------------------------------ candidates */

/* Add PREFIX (PLEN bytes) followed by NAME (NLEN bytes). The first one added
 * decides what follows a lone candidate. */
static void add(struct completion *c, const char *prefix, size_t plen, const char *name,
		size_t nlen, char append)
{
	if (c->n == c->cap) {
		c->cap = c->cap ? 2 * c->cap : 32;
		c->v = xrealloc(c->v, c->cap * sizeof *c->v);
	}
	if (c->n == 0)
		c->append = append;
	c->v[c->n++] = xasprintf("%.*s%.*s", (int)plen, prefix, (int)nlen, name);
}

/* The word being completed: the candidates must start with all of it. */
struct word {
	const char *prefix; /* text before the part matched against names */
	size_t plen;
	const char *part;   /* the part names must start with */
	size_t len;
};

static int starts_with(const char *name, const struct word *w)
{
	return strncmp(name, w->part, w->len) == 0;
}

/* Add the NULL-terminated NAMES that start with W. */
static void add_names(struct completion *c, const char *const *names, const struct word *w,
		      char append)
{
	for (; *names; names++)
		if (starts_with(*names, w))
			add(c, w->prefix, w->plen, *names, strlen(*names), append);
}

/* Natural order: runs of digits compare as numbers (g[2] before g[17]). */
static int cmp_str(const void *a, const void *b)
{
	const char *x = *(char *const *)a, *y = *(char *const *)b;
	while (*x && *y) {
		if (isdigit((unsigned char)*x) && isdigit((unsigned char)*y)) {
			size_t nx = strspn(x, "0123456789"), ny = strspn(y, "0123456789");
			int c = nx != ny ? (nx < ny ? -1 : 1) : strncmp(x, y, nx);
			if (c)
				return c;
			x += nx;
			y += ny;
		} else if (*x != *y) {
			return (unsigned char)*x < (unsigned char)*y ? -1 : 1;
		} else {
			x++;
			y++;
		}
	}
	return *x ? 1 : *y ? -1 : 0;
}

/* Sort the candidates and drop repeats (print is a command and a Lua global). */
static void finish(struct completion *c)
{
	qsort(c->v, c->n, sizeof *c->v, cmp_str);
	size_t k = 0;
	for (size_t i = 0; i < c->n; i++) {
		if (k > 0 && strcmp(c->v[k - 1], c->v[i]) == 0)
			free(c->v[i]);
		else
			c->v[k++] = c->v[i];
	}
	c->n = k;
}

void complete_free(struct completion *c)
{
	for (size_t i = 0; i < c->n; i++)
		free(c->v[i]);
	free(c->v);
	memset(c, 0, sizeof *c);
}

/* ----------------------------------------------------------------- Lua */

static int is_name_char(char ch, int first)
{
	return ch == '_' || (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
	       (!first && ch >= '0' && ch <= '9');
}

/* Is S (N bytes) a Lua name? */
static int is_name(const char *s, size_t n)
{
	if (n == 0 || !is_name_char(s[0], 1))
		return 0;
	for (size_t i = 1; i < n; i++)
		if (!is_name_char(s[i], 0))
			return 0;
	return 1;
}

/*
 * Replace the metatable on top with the table its lookups go on to: its
 * __index if that is a table, else its __methods (a function __index with
 * a table of methods beside it: a goroutine's), else nil. [-1, +1]
 */
static void index_table(lua_State *L)
{
	lua_pushliteral(L, "__index");
	if (lua_rawget(L, -2) != LUA_TTABLE) {
		lua_pop(L, 1);
		lua_pushliteral(L, "__methods");
		lua_rawget(L, -2);
	}
	lua_remove(L, -2);
}

/*
 * obj key -> obj[key], by raw reads, following __index when it is a table
 * (a string's methods, a goroutine's stack); nil if not found. [-2, +1]
 */
static void index_raw(lua_State *L)
{
	for (int depth = 0; depth < INDEX_DEPTH; depth++) {
		if (lua_istable(L, -2)) {
			lua_pushvalue(L, -1);
			if (lua_rawget(L, -3) != LUA_TNIL) { /* obj key v */
				lua_replace(L, -3);
				lua_pop(L, 1);
				return;
			}
			lua_pop(L, 1);
		}
		if (!lua_getmetatable(L, -2))
			break;
		index_table(L);      /* obj key __index */
		if (!lua_istable(L, -1)) {
			lua_pop(L, 1);
			break;
		}
		lua_replace(L, -3);  /* __index key */
	}
	lua_pop(L, 2);
	lua_pushnil(L);
}

/* Push the key written inside [ ] (an integer or a plain string literal);
 * 0 if it is anything else. [-0, +(0|1)] */
static int push_key(lua_State *L, const char *s, size_t n)
{
	while (n > 0 && (*s == ' ' || *s == '\t'))
		s++, n--;
	while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t'))
		n--;
	if (n > 0 && strspn(s, "0123456789") >= n) {
		lua_pushinteger(L, (lua_Integer)strtoll(s, NULL, 10));
		return 1;
	}
	if (n >= 2 && (s[0] == '"' || s[0] == '\'') && s[n - 1] == s[0] &&
	    !memchr(s + 1, '\\', n - 2) && !memchr(s + 1, s[0], n - 2)) {
		lua_pushlstring(L, s + 1, n - 2);
		return 1;
	}
	return 0;
}

/*
 * Push the value of CHAIN (N bytes): a name followed by .name, [integer]
 * and ["string"] steps, read raw from the globals. 0 (nothing pushed) if
 * the chain is anything else or a step is nil. [-0, +(0|1)]
 */
static int push_chain(lua_State *L, const char *chain, size_t n)
{
	size_t i = 0;
	while (i < n && is_name_char(chain[i], i == 0))
		i++;
	if (i == 0)
		return 0;
	lua_pushglobaltable(L);
	lua_pushlstring(L, chain, i);
	index_raw(L);
	while (i < n && !lua_isnil(L, -1)) {
		size_t j = i + 1;
		if (chain[i] == '.') {
			while (j < n && is_name_char(chain[j], j == i + 1))
				j++;
			if (j == i + 1)
				break;
			lua_pushlstring(L, chain + i + 1, j - i - 1);
		} else if (chain[i] == '[') {
			const char *close = memchr(chain + j, ']', n - j);
			if (!close || !push_key(L, chain + j, (size_t)(close - chain) - j))
				break;
			j = (size_t)(close - chain) + 1;
		} else {
			break;
		}
		index_raw(L);
		i = j;
	}
	if (i == n && !lua_isnil(L, -1))
		return 1;
	lua_pop(L, 1);
	return 0;
}

/*
 * The start of the chain of names, .name and [key] steps that ends at
 * LINE[END] (exclusive).
 */
static size_t chain_start(const char *line, size_t end)
{
	size_t i = end;
	for (;;) {
		size_t k = i;
		if (k > 0 && line[k - 1] == ']') {
			while (k > 0 && line[k - 1] != '[')
				k--;
			if (k == 0)
				return end; /* unbalanced */
			k--;
		} else {
			while (k > 0 && is_name_char(line[k - 1], 0))
				k--;
		}
		if (k == i)
			return i;
		i = k;
		if (line[i] == '[')
			continue; /* a key follows a name or another key */
		if (i > 0 && line[i - 1] == '.' && !(i > 1 && line[i - 2] == '.'))
			i--;
		else
			return i;
	}
}

/* Add the fields a goroutine, P or M (the value on top) may have, nil or not. [-0, +0] */
static void add_model_fields(lua_State *L, const struct word *w, struct completion *c)
{
	switch (snapshot_kind(L, -1)) {
	case SNAP_G: add_names(c, cmd_g_fields, w, '\0'); break;
	case SNAP_P: add_names(c, cmd_p_fields, w, '\0'); break;
	case SNAP_M: add_names(c, cmd_m_fields, w, '\0'); break;
	default: break;
	}
}

/*
 * Add the keys of the value on top of the stack (and of its __index
 * tables) that are names starting with W; with METHODS only functions.
 * [-0, +0]
 */
static void add_keys(lua_State *L, const struct word *w, int methods, struct completion *c)
{
	if (!methods)
		add_model_fields(L, w, c);
	lua_pushvalue(L, -1);
	for (int depth = 0; depth < INDEX_DEPTH; depth++) {
		if (lua_istable(L, -1)) {
			lua_pushnil(L);
			while (lua_next(L, -2)) {
				size_t n;
				const char *k = lua_type(L, -2) == LUA_TSTRING ? lua_tolstring(L, -2, &n)
									       : NULL;
				if (k && is_name(k, n) && strncmp(k, w->part, w->len) == 0 &&
				    (!methods || lua_isfunction(L, -1)))
					add(c, w->prefix, w->plen, k, n, '\0');
				lua_pop(L, 1);
			}
		}
		if (!lua_getmetatable(L, -1))
			break;
		index_table(L);
		lua_remove(L, -2);
		if (!lua_istable(L, -1))
			break;
	}
	lua_pop(L, 1);
}

/* Add the integer keys of the table on top that start with W, closed by ']'. [-0, +0] */
static void add_int_keys(lua_State *L, const struct word *w, char append,
			 struct completion *c)
{
	if (!lua_istable(L, -1) || strspn(w->part, "0123456789") < w->len)
		return;
	lua_pushnil(L);
	while (lua_next(L, -2)) {
		lua_pop(L, 1);
		if (lua_isinteger(L, -1)) {
			char buf[32];
			int n = snprintf(buf, sizeof buf, "%lld", (long long)lua_tointeger(L, -1));
			if (strncmp(buf, w->part, w->len) == 0)
				add(c, w->prefix, w->plen, buf, (size_t)n, append);
		}
	}
}

/* What the protected Lua walk needs. */
struct lua_job {
	const char *line;
	size_t start, end;
	int filter;               /* a goroutines filter: G and its fields are names too */
	const char *set;          /* for a bare id: the global whose keys complete it */
	struct completion *c;
};

/* Add the globals and keywords (and for a filter G's fields) starting with W. [-0, +0] */
static void add_globals(lua_State *L, struct lua_job *x, const struct word *w)
{
	lua_pushglobaltable(L);
	add_keys(L, w, 0, x->c);
	lua_pop(L, 1);
	add_names(x->c, lua_keywords, w, '\0');
	if (x->filter) {
		static const char *const self[] = {"G", NULL};
		add_names(x->c, cmd_g_fields, w, '\0');
		add_names(x->c, self, w, '\0');
	}
}

/*
 * Add what may follow the value before LINE[ID0 - 1], which is '.', ':' or
 * '[': its fields, methods or integer keys. [-0, +0]
 */
static void add_members(lua_State *L, struct lua_job *x, const struct word *w, size_t id0)
{
	const char *line = x->line;
	char before = line[id0 - 1];
	size_t from = chain_start(line, id0 - 1), len = id0 - 1 - from;
	if (len == 0 || (before == '.' && id0 >= 2 && line[id0 - 2] == '.'))
		return; /* no chain, or the .. operator */
	if (x->filter && len == 1 && line[from] == 'G') {
		add_names(x->c, cmd_g_fields, w, '\0'); /* the filter's goroutine */
		return;
	}
	if (!push_chain(L, line + from, len))
		return;
	if (before == '[')
		add_int_keys(L, w, ']', x->c);
	else
		add_keys(L, w, before == ':', x->c);
	lua_pop(L, 1);
}

/*
 * The protected body of Lua completion (arg 1: struct lua_job): split the
 * word into what comes before its last name and that name, look at the
 * character before the name, and list what may follow.
 */
static int lua_body(lua_State *L)
{
	struct lua_job *x = lua_touserdata(L, 1);
	const char *line = x->line;
	size_t id0 = x->end;
	lua_getglobal(L, "g"); /* a stop's goroutines are loaded on first use (snapshot.c) */
	lua_pop(L, 1);
	while (id0 > x->start && is_name_char(line[id0 - 1], 0))
		id0--;
	struct word w = {line + x->start, id0 - x->start, line + id0, x->end - id0};
	char before = id0 > 0 ? line[id0 - 1] : '\0';
	if (x->set) { /* info g ID: the ids of a global set */
		lua_getglobal(L, x->set);
		add_int_keys(L, &w, ' ', x->c);
	} else if (before == '.' || before == ':' || before == '[') {
		add_members(L, x, &w, id0);
	} else if (!(w.len > 0 && line[id0] >= '0' && line[id0] <= '9')) { /* not a number */
		add_globals(L, x, &w);
	}
	return 0;
}

/* Run the Lua walk protected: a Lua error (no memory) just means no candidates. */
static void lua_complete(lua_State *L, struct lua_job *x)
{
	int top = lua_gettop(L);
	lua_pushcfunction(L, lua_body);
	lua_pushlightuserdata(L, x);
	lua_pcall(L, 1, 0, 0);
	lua_settop(L, top);
}

/* ------------------------------------------------------------- the line */

/* Is LINE[0, END) inside a string literal? */
static int in_string(const char *line, size_t end)
{
	char q = 0;
	for (size_t i = 0; i < end; i++) {
		if (q && line[i] == '\\')
			i++;
		else if (q && line[i] == q)
			q = 0;
		else if (!q && (line[i] == '"' || line[i] == '\''))
			q = line[i];
	}
	return q != 0;
}

/* The word before LINE[POS] (blanks skipped): its start, and *n its length. */
static const char *word_before(const char *line, size_t pos, size_t *n)
{
	size_t e = pos;
	while (e > 0 && (line[e - 1] == ' ' || line[e - 1] == '\t'))
		e--;
	size_t b = e;
	while (b > 0 && line[b - 1] != ' ' && line[b - 1] != '\t')
		b--;
	*n = e - b;
	return line + b;
}

/* Is WORD a blank-separated word of LINE[FROM, TO)? */
static int has_word(const char *line, size_t from, size_t to, const char *word)
{
	size_t n = strlen(word);
	for (size_t i = from; i + n <= to; i++)
		if (strncmp(line + i, word, n) == 0 &&
		    (i == from || line[i - 1] == ' ' || line[i - 1] == '\t') &&
		    (i + n == to || line[i + n] == ' ' || line[i + n] == '\t'))
			return 1;
	return 0;
}

/* Add the command names starting with W. */
static void add_commands(struct completion *c, const struct word *w)
{
	for (const struct cmd_entry *const *e = cmd_table; *e; e++)
		if (starts_with((*e)->name, w))
			add(c, w->prefix, w->plen, (*e)->name, strlen((*e)->name), ' ');
}

/* What add_breaks_body is asked for. */
struct breaks_job {
	struct completion *c;
	const struct word *w;
};

static int add_breaks_body(lua_State *L)
{
	struct breaks_job *j = lua_touserdata(L, 1);
	break_push_ids(session_of(L));
	for (lua_Integer i = 1; lua_rawgeti(L, -1, i) == LUA_TNUMBER; i++) {
		char id[24];
		int n = snprintf(id, sizeof id, "%lld", (long long)lua_tointeger(L, -1));
		if (starts_with(id, j->w))
			add(j->c, j->w->prefix, j->w->plen, id, (size_t)n, ' ');
		lua_pop(L, 1);
	}
	return 0;
}

/* Add the numbers of the breakpoints that start with W (protected: a Lua
 * state without a session has none). */
static void add_breaks(lua_State *L, struct completion *c, const struct word *w)
{
	struct breaks_job j = {c, w};
	int top = lua_gettop(L);
	lua_pushcfunction(L, add_breaks_body);
	lua_pushlightuserdata(L, &j);
	lua_pcall(L, 1, 0, 0);
	lua_settop(L, top);
}

/* Add the info subcommands starting with W. */
static void add_info(struct completion *c, const struct word *w)
{
	for (int i = 0; cmd_info_name(i); i++)
		if (starts_with(cmd_info_name(i), w))
			add(c, w->prefix, w->plen, cmd_info_name(i), strlen(cmd_info_name(i)), ' ');
}

/*
 * The arguments of the command CE: ARGS is where they start in LINE, the
 * word being completed is W (LINE[start, end)).
 */
static void complete_args(lua_State *L, const struct cmd_entry *ce, struct lua_job *x,
			  size_t args, const struct word *w)
{
	size_t pn;
	const char *prev = word_before(x->line, x->start, &pn);
	int first = x->start == args; /* the first argument */
	if (has_word(x->line, args, x->start, "if")) {
		lua_complete(L, x);
	} else if (has_word(x->line, args, x->start, "on")) { /* break on KIND... */
		add_names(x->c, wire_kinds + 1, w, ' ');
	} else if (ce->args == CMD_ARGS_LUA) {
		lua_complete(L, x);
	} else if (ce->args == CMD_ARGS_FILTER) {
		if (word_is(prev, pn, "-group"))
			add_names(x->c, cmd_group_keys, w, ' ');
		else if (w->len > 0 && w->part[0] == '-')
			add_names(x->c, list_options, w, ' ');
		else if (!word_is(prev, pn, "-n")) {
			x->filter = 1;
			lua_complete(L, x);
		}
	} else if (ce->args == CMD_ARGS_EVENT) {
		add_names(x->c, wire_kinds + 1, w, ' ');
	} else if (ce->args == CMD_ARGS_COMMAND && first) {
		add_commands(x->c, w);
	} else if (ce->args == CMD_ARGS_INFO && first) {
		add_info(x->c, w);
	} else if (ce->args == CMD_ARGS_INFO && (word_is(prev, pn, "g") || word_is(prev, pn, "p") ||
						 word_is(prev, pn, "m"))) {
		x->set = prev[0] == 'g' ? "g" : prev[0] == 'p' ? "p" : "m";
		lua_complete(L, x);
	} else if (ce->args == CMD_ARGS_FILE) {
		x->c->files = 1;
	} else if (ce->args == CMD_ARGS_BREAKS || (first && (ce->args == CMD_ARGS_BREAK ||
							     ce->args == CMD_ARGS_BREAK_LUA))) {
		add_breaks(L, x->c, w);
	} else if (ce->args == CMD_ARGS_BREAK_LUA) {
		lua_complete(L, x);
	}
}

void complete_line(lua_State *L, const char *line, int start, int end, int in_chunk,
		   struct completion *c)
{
	memset(c, 0, sizeof *c);
	if (start < 0 || end < start || in_string(line, (size_t)start))
		return;
	char *head = xasprintf("%.*s", end, line); /* the line up to the cursor */
	struct lua_job x = {.line = head, .start = (size_t)start, .end = (size_t)end, .c = c};
	struct word w = {head + start, 0, head + start, (size_t)(end - start)};
	const struct cmd_entry *ce;
	const char *args;
	int kind = cmd_parse(head, &ce, &args);
	if (in_chunk) {
		lua_complete(L, &x);
	} else if ((size_t)start <= strspn(head, " \t")) { /* the first word */
		add_commands(c, &w);
		lua_complete(L, &x);
	} else if (kind == CMD_LINE_CMD) {
		complete_args(L, ce, &x, (size_t)(args - head), &w);
	} else if (kind == CMD_LINE_LUA) {
		lua_complete(L, &x);
	}
	free(head);
	finish(c);
}

/* Where the word before the cursor starts: file names break only at blanks. */
const char *complete_breaks(const char *line, int end, int in_chunk)
{
	if (in_chunk || end < 0)
		return LUA_BREAKS;
	char *head = xasprintf("%.*s", end, line);
	const char *word = head + strspn(head, " \t");
	const struct cmd_entry *ce;
	const char *args;
	int file = cmd_parse(head, &ce, &args) == CMD_LINE_CMD && ce->args == CMD_ARGS_FILE &&
		   word[strcspn(word, " \t")] != '\0'; /* past the command word */
	free(head);
	return file ? FILE_BREAKS : LUA_BREAKS;
}

/* ------------------------------------------------------------- readline */

static lua_State *comp_L;
static int comp_chunk;
static struct completion comp;
static size_t comp_next;

/* Readline's generator: hand out the candidates computed for this word. */
static char *next_candidate(const char *text, int state)
{
	if (state == 0)
		comp_next = 0;
	return comp_next < comp.n ? xstrdup(comp.v[comp_next++]) : NULL;
}

/* Readline's attempted completion: our candidates, or its file names. */
static char **attempt(const char *text, int start, int end)
{
	complete_free(&comp);
	complete_line(comp_L, rl_line_buffer, start, end, comp_chunk, &comp);
	if (comp.files)
		return NULL; /* rl_attempted_completion_over stays 0: file names */
	rl_attempted_completion_over = 1;
	if (comp.n == 0)
		return NULL;
	rl_completion_append_character = comp.append;
	rl_completion_suppress_append = comp.append == '\0';
	return rl_completion_matches(text, next_candidate);
}

static char *word_breaks(void)
{
	return (char *)complete_breaks(rl_line_buffer, rl_point, comp_chunk);
}

void complete_install(lua_State *L)
{
	comp_L = L;
	rl_attempted_completion_function = attempt;
	rl_sort_completion_matches = 0; /* they come sorted, numbers as numbers */
	rl_completion_word_break_hook = word_breaks;
	rl_completer_word_break_characters = LUA_BREAKS;
}

void complete_set_chunk(int in_chunk)
{
	comp_chunk = in_chunk;
}
