/*
 * overlay.c -- the runtime patcher.
 *
 * Hook sites are data (overlay/sites.conf, see docs/ARCHITECTURE.md): each
 * names a runtime file, a function and one or more anchor alternatives. This
 * file parses them, finds each anchor exactly once in the function body (white
 * space collapsed), inserts the site's code with the anchor's indentation and
 * writes the patched files plus overlay.json into a cache directory keyed by
 * an FNV-1a hash of the toolchain and the overlay content.
 */
#include "overlay.h"
#include "util.h"

#include <cjson/cJSON.h>
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#ifndef GOSCHED_DATADIR
#define GOSCHED_DATADIR "/usr/local/share/gosched-repl"
#endif

/* Bumped when the patching rules change, so old cache entries are not reused. */
#define OVERLAY_FORMAT "gosched-repl overlay format 1"

/* The oldest runtime the hook sites are written for. */
enum { MIN_GO_MAJOR = 1, MIN_GO_MINOR = 26 };

/* ---------------------------------------------------------------- helpers */

static char *xstrndup(const char *s, size_t n)
{
	char *p = xmalloc(n + 1);
	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

static int is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\r';
}

/*
 * Collapse white space for anchor matching: runs of spaces/tabs become one
 * space, leading and trailing white space is dropped. Returns a new string.
 */
static char *collapse_ws(const char *s, size_t len)
{
	char *out = xmalloc(len + 1);
	size_t n = 0;
	int pending = 0;
	for (size_t i = 0; i < len; i++) {
		if (is_space(s[i])) {
			pending = n > 0;
			continue;
		}
		if (pending)
			out[n++] = ' ';
		pending = 0;
		out[n++] = s[i];
	}
	out[n] = '\0';
	return out;
}

static int is_ident(const char *s)
{
	if (!isalpha((unsigned char)*s) && *s != '_')
		return 0;
	for (s++; *s; s++)
		if (!isalnum((unsigned char)*s) && *s != '_')
			return 0;
	return 1;
}

/* ---------------------------------------------------------------- parsing */

static void site_free(overlay_site *s)
{
	free(s->name);
	free(s->file);
	free(s->func);
	for (int i = 0; i < s->nanchors; i++)
		free(s->anchors[i].text);
	free(s->anchors);
	for (int i = 0; i < s->ncode; i++)
		free(s->code[i]);
	free(s->code);
}

void overlay_sites_free(overlay_sites *s)
{
	for (int i = 0; i < s->n; i++)
		site_free(&s->v[i]);
	free(s->v);
	s->v = NULL;
	s->n = 0;
}

/*
 * The value of a one-word key (site, file, func): trailing "# comment"
 * allowed, anything else after the word is an error. NULL if malformed.
 */
static char *one_word(const char *val)
{
	size_t n = strcspn(val, " \t");
	const char *rest = val + n;
	while (is_space(*rest))
		rest++;
	if (n == 0 || (*rest && *rest != '#'))
		return NULL;
	return xstrndup(val, n);
}

/* Check that the finished site S has everything a site needs. */
static int site_check(const overlay_site *s, const char *name)
{
	const char *missing = !s->file ? "file" : !s->func ? "func"
		: !s->nanchors ? "after' or 'before" : !s->ncode ? "code" : NULL;
	if (!missing)
		return 0;
	error_set("%s:%d: site '%s' has no '%s'", name, s->line, s->name, missing);
	return -1;
}

/* Start a new `site NAME` block; rejects duplicate names. */
static int parse_site(overlay_sites *ss, const char *val, const char *name, int lineno)
{
	char *word = one_word(val);
	if (!word) {
		error_set("%s:%d: 'site' needs one name", name, lineno);
		return -1;
	}
	for (int i = 0; i < ss->n; i++) {
		if (strcmp(ss->v[i].name, word) == 0) {
			error_set("%s:%d: site '%s' already defined at line %d", name, lineno,
				  word, ss->v[i].line);
			free(word);
			return -1;
		}
	}
	ss->v = xrealloc(ss->v, (size_t)(ss->n + 1) * sizeof *ss->v);
	overlay_site *s = &ss->v[ss->n++];
	memset(s, 0, sizeof *s);
	s->name = word;
	s->line = lineno;
	return 0;
}

/* Set `file` or `func`/`type` of site S, validating the value. */
static int parse_word_key(overlay_site *s, const char *key, const char *val,
			  const char *name, int lineno)
{
	char **slot = strcmp(key, "file") == 0 ? &s->file : &s->func;
	if (slot == &s->func && s->func) {
		error_set("%s:%d: site '%s' has both 'func' and 'type' or two of them", name,
			  lineno, s->name);
		return -1;
	}
	s->is_type |= strcmp(key, "type") == 0;
	if (*slot) {
		error_set("%s:%d: site '%s' has two '%s' lines", name, lineno, s->name, key);
		return -1;
	}
	char *word = one_word(val);
	int ok = word != NULL;
	if (ok && slot == &s->func)
		ok = is_ident(word);
	if (ok && slot == &s->file) {
		size_t n = strlen(word);
		ok = !strchr(word, '/') && n > 3 && strcmp(word + n - 3, ".go") == 0;
	}
	if (!ok) {
		error_set("%s:%d: '%s' needs %s", name, lineno, key,
			  slot == &s->file ? "a runtime file name like proc.go"
					   : "a function name");
		free(word);
		return -1;
	}
	*slot = word;
	return 0;
}

/*
 * Parse one line of sites.conf (already stripped of trailing white space)
 * into SS. Comment and blank lines are skipped.
 */
static int parse_line(overlay_sites *ss, const char *line, const char *name, int lineno)
{
	while (is_space(*line))
		line++;
	if (*line == '\0' || *line == '#')
		return 0;

	size_t klen = strcspn(line, " \t");
	char *key = xstrndup(line, klen);
	const char *val = line + klen;
	if (*val)
		val++; /* one separator; further indentation of `code` is kept */
	overlay_site *cur = ss->n ? &ss->v[ss->n - 1] : NULL;
	int rc = 0;

	if (strcmp(key, "site") == 0) {
		while (is_space(*val))
			val++;
		rc = (cur && site_check(cur, name) < 0) ? -1 : parse_site(ss, val, name, lineno);
	} else if (strcmp(key, "file") && strcmp(key, "func") && strcmp(key, "type") &&
		   strcmp(key, "after") && strcmp(key, "before") && strcmp(key, "code")) {
		error_set("%s:%d: unknown key '%s' (want site, file, func, type, after, before, code)",
			  name, lineno, key);
		rc = -1;
	} else if (!cur) {
		error_set("%s:%d: '%s' before the first 'site' line", name, lineno, key);
		rc = -1;
	} else if (strcmp(key, "code") == 0) {
		cur->code = xrealloc(cur->code, (size_t)(cur->ncode + 1) * sizeof *cur->code);
		cur->code[cur->ncode++] = xstrdup(val);
	} else if (key[0] == 'a' || key[0] == 'b') {
		char *text = collapse_ws(val, strlen(val));
		if (!*text) {
			error_set("%s:%d: '%s' needs the anchor text", name, lineno, key);
			free(text);
			rc = -1;
		} else {
			free(text);
			while (is_space(*val))
				val++;
			cur->anchors = xrealloc(cur->anchors,
						(size_t)(cur->nanchors + 1) * sizeof *cur->anchors);
			cur->anchors[cur->nanchors].before = key[0] == 'b';
			cur->anchors[cur->nanchors++].text = xstrdup(val);
		}
	} else {
		while (is_space(*val))
			val++;
		rc = parse_word_key(cur, key, val, name, lineno);
	}
	free(key);
	return rc;
}

int overlay_parse(const char *text, const char *name, overlay_sites *out)
{
	overlay_sites ss = {0};
	int lineno = 0;
	for (const char *p = text; *p;) {
		const char *nl = strchr(p, '\n');
		size_t len = nl ? (size_t)(nl - p) : strlen(p);
		size_t end = len;
		while (end > 0 && is_space(p[end - 1]))
			end--;
		char *line = xstrndup(p, end);
		int rc = parse_line(&ss, line, name, ++lineno);
		free(line);
		if (rc < 0) {
			overlay_sites_free(&ss);
			return -1;
		}
		p += len + (nl != NULL);
	}
	if (ss.n && site_check(&ss.v[ss.n - 1], name) < 0) {
		overlay_sites_free(&ss);
		return -1;
	}
	*out = ss;
	return 0;
}

/* --------------------------------------------------------------- matching */

/* A line of the source: start, length without '\n', whether '\n' followed. */
typedef struct line_ref {
	const char *s;
	size_t len;
	int nl;
} line_ref;

/* Split SRC into lines; *n gets the count. */
static line_ref *split_lines(const char *src, int *n)
{
	int cap = 256, cnt = 0;
	line_ref *v = xmalloc((size_t)cap * sizeof *v);
	for (const char *p = src; *p;) {
		const char *nl = strchr(p, '\n');
		size_t len = nl ? (size_t)(nl - p) : strlen(p);
		if (cnt == cap) {
			cap *= 2;
			v = xrealloc(v, (size_t)cap * sizeof *v);
		}
		v[cnt++] = (line_ref){p, len, nl != NULL};
		p += len + (nl != NULL);
	}
	*n = cnt;
	return v;
}

/*
 * Does L declare function NAME? Accepts "func NAME(", "func NAME[" (generic)
 * and "func (recv) NAME(".
 */
static int is_func_header(line_ref l, const char *name)
{
	const char *p = l.s, *end = l.s + l.len;
	if (l.len < 5 || strncmp(p, "func ", 5) != 0)
		return 0;
	p += 5;
	if (p < end && *p == '(') {
		int depth = 0;
		for (; p < end; p++) {
			if (*p == '(')
				depth++;
			else if (*p == ')' && --depth == 0)
				break;
		}
		if (p == end)
			return 0;
		for (p++; p < end && is_space(*p); p++)
			;
	}
	size_t n = strlen(name);
	if ((size_t)(end - p) <= n || strncmp(p, name, n) != 0)
		return 0;
	return p[n] == '(' || p[n] == '[';
}

/* Does L open the declaration "type NAME struct {"? */
static int is_type_header(line_ref l, const char *name)
{
	char *c = collapse_ws(l.s, l.len);
	char *want = xasprintf("type %s struct {", name);
	int hit = strcmp(c, want) == 0;
	free(want);
	free(c);
	return hit;
}

/*
 * Does the header line open a body on the following lines? It does when it
 * ends in '{', or continues a multi-line signature ('(' or ','). Assembly
 * stubs and one-line functions have no body lines.
 */
static int header_opens_body(line_ref l)
{
	size_t n = l.len;
	while (n > 0 && is_space(l.s[n - 1]))
		n--;
	return n > 0 && (l.s[n - 1] == '{' || l.s[n - 1] == '(' || l.s[n - 1] == ',');
}

static int is_closing_brace(line_ref l)
{
	return l.len == 1 && l.s[0] == '}';
}

/* Does line L contain the (already collapsed) anchor text? */
static int line_matches(line_ref l, const char *anchor)
{
	char *c = collapse_ws(l.s, l.len);
	int hit = strstr(c, anchor) != NULL;
	free(c);
	return hit;
}

/*
 * Count the body lines of every function FUNC that contain ANCHOR; *where
 * gets the last matching line, *nfuncs the number of functions seen.
 */
static int count_matches(const line_ref *lines, int n, const overlay_site *s,
			 const char *anchor, int *where, int *nfuncs)
{
	char *a = collapse_ws(anchor, strlen(anchor));
	int count = 0;
	*nfuncs = 0;
	for (int i = 0; i < n; i++) {
		if (s->is_type ? !is_type_header(lines[i], s->func)
			       : !is_func_header(lines[i], s->func))
			continue;
		++*nfuncs;
		if (!header_opens_body(lines[i]))
			continue;
		int j = i + 1;
		for (; j < n && !is_closing_brace(lines[j]); j++) {
			if (line_matches(lines[j], a)) {
				count++;
				*where = j;
			}
		}
		i = j;
	}
	free(a);
	return count;
}

/* Where a site goes: the anchor line and the side. */
typedef struct placement {
	int line;
	int before;
} placement;

/*
 * Find the placement of site S in LINES: the first alternative matching
 * exactly once. Otherwise error_set() with every alternative's count.
 */
static int locate_site(const overlay_site *s, const line_ref *lines, int n,
		       const char *goversion, placement *pl)
{
	int *counts = xcalloc((size_t)s->nanchors, sizeof *counts);
	int nfuncs = 0;
	for (int k = 0; k < s->nanchors; k++) {
		int where = -1;
		counts[k] = count_matches(lines, n, s, s->anchors[k].text, &where, &nfuncs);
		if (nfuncs == 0) {
			error_set("hook site '%s': %s %s not found in %s (%s)", s->name,
				  s->is_type ? "type" : "function", s->func, s->file, goversion);
			free(counts);
			return -1;
		}
		if (counts[k] == 1) {
			pl->line = where;
			pl->before = s->anchors[k].before;
			free(counts);
			return 0;
		}
	}
	strbuf msg = {0};
	sb_printf(&msg, "hook site '%s' (%s %s in %s) matches %d times in %s", s->name,
		  s->is_type ? "type" : "func", s->func, s->file, counts[0], goversion);
	if (s->nanchors > 1) {
		sb_puts(&msg, " (alternatives matched");
		for (int k = 0; k < s->nanchors; k++)
			sb_printf(&msg, "%s %d", k ? "," : "", counts[k]);
		sb_puts(&msg, " times)");
	}
	error_set("%s", msg.s);
	sb_free(&msg);
	free(counts);
	return -1;
}

/* Append site S's code lines to OUT, each prefixed by the indentation of L. */
static void emit_code(strbuf *out, const overlay_site *s, line_ref l)
{
	size_t ind = 0;
	while (ind < l.len && (l.s[ind] == ' ' || l.s[ind] == '\t'))
		ind++;
	for (int i = 0; i < s->ncode; i++) {
		sb_add(out, l.s, ind);
		sb_puts(out, s->code[i]);
		sb_add(out, "\n", 1);
	}
}

char *overlay_apply(const overlay_sites *ss, const char *file, const char *src,
		    const char *goversion)
{
	int n;
	line_ref *lines = split_lines(src, &n);
	placement *pl = xcalloc((size_t)ss->n, sizeof *pl);
	for (int i = 0; i < ss->n; i++) {
		pl[i].line = -1;
		if (strcmp(ss->v[i].file, file) == 0 &&
		    locate_site(&ss->v[i], lines, n, goversion, &pl[i]) < 0) {
			free(pl);
			free(lines);
			return NULL;
		}
	}

	/* Rebuild: per line, the `before` sites, the line, the `after` sites. */
	strbuf out = {0};
	for (int j = 0; j < n; j++) {
		for (int i = 0; i < ss->n; i++)
			if (pl[i].line == j && pl[i].before)
				emit_code(&out, &ss->v[i], lines[j]);
		sb_add(&out, lines[j].s, lines[j].len);
		int after = 0;
		for (int i = 0; i < ss->n; i++)
			after |= pl[i].line == j && !pl[i].before;
		if (lines[j].nl || after)
			sb_add(&out, "\n", 1);
		for (int i = 0; i < ss->n; i++)
			if (pl[i].line == j && !pl[i].before)
				emit_code(&out, &ss->v[i], lines[j]);
	}
	free(pl);
	free(lines);
	return out.s ? out.s : xstrdup("");
}

/* ------------------------------------------------------------ cache key */

#define FNV_OFFSET 0xcbf29ce484222325ULL
#define FNV_PRIME 0x100000001b3ULL

static uint64_t fnv1a(uint64_t h, const void *p, size_t n)
{
	const unsigned char *b = p;
	for (size_t i = 0; i < n; i++) {
		h ^= b[i];
		h *= FNV_PRIME;
	}
	return h;
}

/* Hash one field, length first, so that field boundaries are unambiguous. */
static uint64_t fnv_field(uint64_t h, const void *p, size_t n)
{
	unsigned char len[8];
	for (int i = 0; i < 8; i++)
		len[i] = (unsigned char)((uint64_t)n >> (8 * i));
	return fnv1a(fnv1a(h, len, sizeof len), p, n);
}

uint64_t overlay_fnv1a(const char *s)
{
	return fnv1a(FNV_OFFSET, s, strlen(s));
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void free_names(char **names, int n)
{
	for (int i = 0; i < n; i++)
		free(names[i]);
	free(names);
}

/*
 * The regular files of DIR (dot files skipped) in sorted order. A missing
 * directory is empty. Returns the count, or -1 with error_set().
 */
static int list_files(const char *dir, char ***out)
{
	*out = NULL;
	DIR *d = opendir(dir);
	if (!d) {
		if (errno == ENOENT)
			return 0;
		error_set("%s: %s", dir, strerror(errno));
		return -1;
	}
	char **names = NULL;
	int n = 0;
	struct dirent *e;
	while ((e = readdir(d)) != NULL) {
		if (e->d_name[0] == '.')
			continue;
		char *path = xasprintf("%s/%s", dir, e->d_name);
		struct stat st;
		int reg = stat(path, &st) == 0 && S_ISREG(st.st_mode);
		free(path);
		if (!reg)
			continue;
		names = xrealloc(names, (size_t)(n + 1) * sizeof *names);
		names[n++] = xstrdup(e->d_name);
	}
	closedir(d);
	if (n)
		qsort(names, (size_t)n, sizeof *names, cmp_str);
	*out = names;
	return n;
}

/* Fold the contents of file PATH into *h as one field. */
static int hash_file(uint64_t *h, const char *path)
{
	size_t len;
	char *data = read_file(path, &len);
	if (!data)
		return -1;
	*h = fnv_field(*h, data, len);
	free(data);
	return 0;
}

int overlay_hash(const char *overlay_dir, const char *goroot, const char *goversion,
		 uint64_t *out)
{
	uint64_t h = FNV_OFFSET;
	h = fnv_field(h, OVERLAY_FORMAT, strlen(OVERLAY_FORMAT));
	h = fnv_field(h, goroot, strlen(goroot));
	h = fnv_field(h, goversion, strlen(goversion));

	char *conf = xasprintf("%s/sites.conf", overlay_dir);
	int rc = hash_file(&h, conf);
	free(conf);
	if (rc < 0)
		return -1;

	char *rtdir = xasprintf("%s/runtime", overlay_dir);
	char **names;
	int n = list_files(rtdir, &names);
	for (int i = 0; i < n && rc == 0; i++) {
		char *path = xasprintf("%s/%s", rtdir, names[i]);
		h = fnv_field(h, names[i], strlen(names[i]));
		rc = hash_file(&h, path);
		free(path);
	}
	free_names(names, n);
	free(rtdir);
	if (n < 0 || rc < 0)
		return -1;
	*out = h;
	return 0;
}

char *overlay_cache_dir(const char *goversion, uint64_t hash)
{
	const char *xdg = getenv("XDG_CACHE_HOME"), *home = getenv("HOME");
	char *base;
	if (xdg && xdg[0] == '/')
		base = xstrdup(xdg);
	else if (home && home[0] == '/')
		base = xasprintf("%s/.cache", home);
	else {
		error_set("cannot place the overlay cache: set XDG_CACHE_HOME or HOME");
		return NULL;
	}
	/* "devel go1.27-abc Tue ..." must not turn into several path parts */
	char *ver = xstrdup(goversion);
	for (char *p = ver; *p; p++)
		if (!isalnum((unsigned char)*p) && *p != '.' && *p != '-' && *p != '_')
			*p = '_';
	char *dir = xasprintf("%s/gosched-repl/%s-%016llx", base, ver, (unsigned long long)hash);
	free(ver);
	free(base);
	return dir;
}

/* ---------------------------------------------------------- the cache */

/* Add "<goroot>/src/runtime/NAME": "<cache>/NAME" to the Replace object. */
static void replace_entry(cJSON *repl, const char *goroot, const char *cache, const char *name)
{
	char *from = xasprintf("%s/src/runtime/%s", goroot, name);
	char *to = xasprintf("%s/%s", cache, name);
	cJSON_AddStringToObject(repl, from, to);
	free(from);
	free(to);
}

/* Patch every runtime file named by a site into CACHE. */
static int write_patched(const overlay_sites *ss, const char *goroot, const char *goversion,
			 const char *cache, cJSON *repl)
{
	for (int i = 0; i < ss->n; i++) {
		const char *file = ss->v[i].file;
		int seen = 0;
		for (int k = 0; k < i && !seen; k++)
			seen = strcmp(ss->v[k].file, file) == 0;
		if (seen)
			continue;
		char *path = xasprintf("%s/src/runtime/%s", goroot, file);
		char *src = read_file(path, NULL);
		free(path);
		if (!src)
			return -1;
		char *patched = overlay_apply(ss, file, src, goversion);
		free(src);
		if (!patched)
			return -1;
		char *dst = xasprintf("%s/%s", cache, file);
		int rc = write_file(dst, patched, strlen(patched));
		free(dst);
		free(patched);
		if (rc < 0)
			return -1;
		replace_entry(repl, goroot, cache, file);
	}
	return 0;
}

/* Copy the .go files of overlay/runtime into CACHE; they join package runtime as is. */
static int copy_added(const char *overlay_dir, const char *goroot, const char *cache,
		      cJSON *repl)
{
	char *rtdir = xasprintf("%s/runtime", overlay_dir);
	char **names;
	int n = list_files(rtdir, &names), rc = n < 0 ? -1 : 0;
	for (int i = 0; i < n && rc == 0; i++) {
		size_t len = strlen(names[i]);
		if (len < 4 || strcmp(names[i] + len - 3, ".go") != 0)
			continue;
		char *from = xasprintf("%s/src/runtime/%s", goroot, names[i]);
		int clash = cJSON_GetObjectItemCaseSensitive(repl, from) != NULL;
		free(from);
		if (clash) {
			error_set("%s/%s clashes with the patched runtime file of the same name",
				  rtdir, names[i]);
			rc = -1;
			break;
		}
		char *src = xasprintf("%s/%s", rtdir, names[i]);
		char *dst = xasprintf("%s/%s", cache, names[i]);
		size_t dlen;
		char *data = read_file(src, &dlen);
		rc = data ? write_file(dst, data, dlen) : -1;
		free(data);
		free(src);
		free(dst);
		if (rc == 0)
			replace_entry(repl, goroot, cache, names[i]);
	}
	free_names(names, n);
	free(rtdir);
	return rc;
}

/* Fill CACHE with the patched runtime and write JSON_PATH last. */
static int fill_cache(const char *overlay_dir, const char *goroot, const char *goversion,
		      const char *cache, const char *json_path)
{
	char *conf = xasprintf("%s/sites.conf", overlay_dir);
	char *text = read_file(conf, NULL);
	overlay_sites ss = {0};
	int rc = text ? overlay_parse(text, conf, &ss) : -1;
	free(text);
	free(conf);
	if (rc < 0)
		return -1;

	cJSON *root = cJSON_CreateObject();
	cJSON *repl = cJSON_AddObjectToObject(root, "Replace");
	rc = mkdir_p(cache, 0755);
	if (rc == 0)
		rc = write_patched(&ss, goroot, goversion, cache, repl);
	if (rc == 0)
		rc = copy_added(overlay_dir, goroot, cache, repl);
	if (rc == 0) {
		char *json = cJSON_Print(root);
		rc = write_file(json_path, json, strlen(json));
		cJSON_free(json);
	}
	cJSON_Delete(root);
	overlay_sites_free(&ss);
	return rc;
}

int overlay_prepare(const char *overlay_dir, const char *goroot, const char *goversion,
		    char **json_path)
{
	uint64_t h;
	if (overlay_hash(overlay_dir, goroot, goversion, &h) < 0)
		return -1;
	char *cache = overlay_cache_dir(goversion, h);
	if (!cache)
		return -1;
	char *json = xasprintf("%s/overlay.json", cache);
	if (access(json, F_OK) != 0 && fill_cache(overlay_dir, goroot, goversion, cache, json) < 0) {
		free(json);
		free(cache);
		return -1;
	}
	free(cache);
	*json_path = json;
	return 0;
}

/* ------------------------------------------------------ finding overlay/ */

static int has_sites_conf(const char *dir)
{
	char *p = xasprintf("%s/sites.conf", dir);
	int ok = access(p, R_OK) == 0;
	free(p);
	return ok;
}

/* DIR made absolute and canonical where possible (malloc'd). */
static char *canonical(const char *dir)
{
	char buf[PATH_MAX];
	return xstrdup(realpath(dir, buf) ? buf : dir);
}

char *overlay_find_dir(void)
{
	const char *env = getenv("GOSCHED_OVERLAY_DIR");
	if (env && *env) {
		if (has_sites_conf(env))
			return canonical(env);
		error_set("GOSCHED_OVERLAY_DIR=%s has no sites.conf", env);
		return NULL;
	}

	char exe[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
	char *cand[3];
	int ncand = 0;
	if (n > 0) {
		exe[n] = '\0';
		char *slash = strrchr(exe, '/');
		if (slash)
			*slash = '\0';
		cand[ncand++] = xasprintf("%s/overlay", exe);
		cand[ncand++] = xasprintf("%s/../share/gosched-repl/overlay", exe);
	}
	cand[ncand++] = xstrdup(GOSCHED_DATADIR "/overlay");

	char *found = NULL;
	strbuf tried = {0};
	for (int i = 0; i < ncand; i++) {
		if (!found && has_sites_conf(cand[i]))
			found = canonical(cand[i]);
		sb_printf(&tried, "%s%s", i ? ", " : "", cand[i]);
		free(cand[i]);
	}
	if (!found)
		error_set("cannot find the overlay directory (no sites.conf in %s); "
			  "set GOSCHED_OVERLAY_DIR", tried.s);
	sb_free(&tried);
	return found;
}

/* -------------------------------------------------------------- versions */

/* Read a decimal number at *p, advancing it; -1 if there is none. */
static int read_num(const char **p)
{
	if (!isdigit((unsigned char)**p))
		return -1;
	long v = 0;
	while (isdigit((unsigned char)**p)) {
		if (v < 100000)
			v = v * 10 + (**p - '0');
		(*p)++;
	}
	return (int)v;
}

int overlay_version_parse(const char *goversion, int *major, int *minor)
{
	int devel = strncmp(goversion, "devel", 5) == 0;
	const char *p = devel ? strstr(goversion, "go") : goversion;
	while (devel && p && !isdigit((unsigned char)p[2]))
		p = strstr(p + 2, "go");
	if (!p || strncmp(p, "go", 2) != 0)
		return devel ? 0 : -1;
	p += 2;
	int maj = read_num(&p), min = 0;
	if (maj < 0)
		return devel ? 0 : -1;
	if (*p == '.') {
		p++;
		min = read_num(&p);
		if (min < 0)
			return devel ? 0 : -1;
	}
	*major = maj;
	*minor = min;
	return 1;
}

int overlay_version_check(const char *goversion, const char *goroot)
{
	int major, minor;
	int r = overlay_version_parse(goversion, &major, &minor);
	if (r < 0) {
		error_set("cannot understand Go version '%s' (found at %s)", goversion, goroot);
		return -1;
	}
	if (r == 0)
		return 0; /* a development toolchain: the anchors decide */
	if (major < MIN_GO_MAJOR || (major == MIN_GO_MAJOR && minor < MIN_GO_MINOR)) {
		error_set("Go %s is not supported: gosched-repl needs go%d.%d or newer (found at %s)",
			  goversion, MIN_GO_MAJOR, MIN_GO_MINOR, goroot);
		return -1;
	}
	return 0;
}
