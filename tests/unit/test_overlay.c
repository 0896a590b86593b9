/*
 * test_overlay.c -- unit tests of the runtime patcher: sites.conf parsing,
 * anchor matching and insertion, the cache key and the cache itself.
 */
#define _GNU_SOURCE
#include <criterion/criterion.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "overlay.h"
#include "util.h"

/* ---------------------------------------------------------------- helpers */

static int rm_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	return remove(path);
}

static void rm_rf(const char *dir)
{
	nftw(dir, rm_one, 16, FTW_DEPTH | FTW_PHYS);
}

static char *tmpdir(void)
{
	char *d = xstrdup("/tmp/gsr-overlay-test-XXXXXX");
	cr_assert_not_null(mkdtemp(d));
	return d;
}

static void put(const char *dir, const char *name, const char *text)
{
	char *p = xasprintf("%s/%s", dir, name);
	cr_assert_eq(write_file(p, text, strlen(text)), 0, "%s", error_msg());
	free(p);
}

/* How often NEEDLE occurs in HAY. */
static int count(const char *hay, const char *needle)
{
	int n = 0;
	for (const char *p = hay; (p = strstr(p, needle)) != NULL; p++)
		n++;
	return n;
}

/* Parse TEXT, which must succeed. */
static overlay_sites parse_ok(const char *text)
{
	overlay_sites ss;
	int rc = overlay_parse(text, "sites.conf", &ss);
	cr_assert_eq(rc, 0, "parse failed: %s", error_msg());
	return ss;
}

/* Parse TEXT, which must fail with exactly MSG. */
static void parse_fails(const char *text, const char *msg)
{
	overlay_sites ss;
	cr_assert_eq(overlay_parse(text, "sites.conf", &ss), -1, "parse should fail");
	cr_assert_str_eq(error_msg(), msg);
}

/* Apply SITES to SRC for proc.go; returns the patched text or NULL. */
static char *apply(const char *sites, const char *src, const char *version)
{
	overlay_sites ss = parse_ok(sites);
	char *out = overlay_apply(&ss, "proc.go", src, version);
	overlay_sites_free(&ss);
	return out;
}

/* A miniature proc.go: tabs for indentation, like gofmt'd runtime code. */
static const char *proc_go =
	"package runtime\n"
	"\n"
	"func execute(gp *g, inheritTime bool) {\n"
	"\tmp := getg().m\n"
	"\tcasgstatus(gp, _Grunnable, _Grunning)\n"
	"\tif !inheritTime {\n"
	"\t\tmp.p.ptr().schedtick++\n"
	"\t}\n"
	"}\n"
	"\n"
	"func other() {\n"
	"\tcasgstatus(gp, _Grunnable, _Grunning)\n"
	"}\n";

/* ---------------------------------------------------------------- parsing */

Test(overlay_parse, good_file)
{
	overlay_sites ss = parse_ok(
		"# hook sites\n"
		"\n"
		"site start                      # the name used in error messages\n"
		"file proc.go                    # relative to $GOROOT/src/runtime\n"
		"func execute\n"
		"after casgstatus(gp, _Grunnable, _Grunning)\n"
		"code if dbgsched.on.Load() != 0 { dbgEvent(evStart, gp, 0) }\n"
		"\n"
		"   # an indented comment\n"
		"site preempt-yield\n"
		"file proc.go\n"
		"func park_m\n"
		"before   casgstatus(gp, _Grunning, _Gwaiting)  \n"
		"after dropg()\n"
		"code if x {\n"
		"code \tdbgEvent(evPark, gp, 0)\n"
		"code }\n");
	cr_assert_eq(ss.n, 2);

	overlay_site *s = &ss.v[0];
	cr_assert_str_eq(s->name, "start");
	cr_assert_str_eq(s->file, "proc.go");
	cr_assert_str_eq(s->func, "execute");
	cr_assert_eq(s->line, 3);
	cr_assert_eq(s->nanchors, 1);
	cr_assert_eq(s->anchors[0].before, 0);
	cr_assert_str_eq(s->anchors[0].text, "casgstatus(gp, _Grunnable, _Grunning)");
	cr_assert_eq(s->ncode, 1);
	cr_assert_str_eq(s->code[0], "if dbgsched.on.Load() != 0 { dbgEvent(evStart, gp, 0) }");

	s = &ss.v[1];
	cr_assert_str_eq(s->name, "preempt-yield");
	cr_assert_eq(s->line, 10);
	cr_assert_eq(s->nanchors, 2);
	cr_assert_eq(s->anchors[0].before, 1);
	cr_assert_str_eq(s->anchors[0].text, "casgstatus(gp, _Grunning, _Gwaiting)");
	cr_assert_eq(s->anchors[1].before, 0);
	cr_assert_str_eq(s->anchors[1].text, "dropg()");
	cr_assert_eq(s->ncode, 3);
	cr_assert_str_eq(s->code[1], "\tdbgEvent(evPark, gp, 0)", "relative indentation kept");
	overlay_sites_free(&ss);
}

Test(overlay_parse, empty_file)
{
	overlay_sites ss = parse_ok("# nothing yet\n\n");
	cr_assert_eq(ss.n, 0);
	overlay_sites_free(&ss);
}

Test(overlay_parse, unknown_key)
{
	parse_fails("site a\nfile proc.go\nfunc f\nafter x\ncode y\nwhere z\n",
		    "sites.conf:6: unknown key 'where' (want site, file, func, type, after, before, code)");
}

Test(overlay_parse, key_outside_site)
{
	parse_fails("# c\n\nfile proc.go\n", "sites.conf:3: 'file' before the first 'site' line");
}

Test(overlay_parse, missing_func_reported_at_site_line)
{
	parse_fails("\nsite a\nfile proc.go\nafter x\ncode y\nsite b\n",
		    "sites.conf:2: site 'a' has no 'func'");
}

Test(overlay_parse, missing_code_at_end_of_file)
{
	parse_fails("site a\nfile proc.go\nfunc f\nafter x\n", "sites.conf:1: site 'a' has no 'code'");
}

Test(overlay_parse, missing_anchor)
{
	parse_fails("site a\nfile proc.go\nfunc f\ncode y\n",
		    "sites.conf:1: site 'a' has no 'after' or 'before'");
}

Test(overlay_parse, duplicate_site)
{
	parse_fails("site a\nfile proc.go\nfunc f\nafter x\ncode y\n"
		    "site a\nfile proc.go\nfunc f\nafter x\ncode y\n",
		    "sites.conf:6: site 'a' already defined at line 1");
}

Test(overlay_parse, bad_values)
{
	parse_fails("site a\nfile ../proc.go\n",
		    "sites.conf:2: 'file' needs a runtime file name like proc.go");
	parse_fails("site a\nfunc two words\n", "sites.conf:2: 'func' needs a function name");
	parse_fails("site a\nfile proc.go\nfile proc.go\n",
		    "sites.conf:3: site 'a' has two 'file' lines");
	parse_fails("site a\nafter   \n", "sites.conf:2: 'after' needs the anchor text");
	parse_fails("site\n", "sites.conf:1: 'site' needs one name");
	parse_fails("site two names\n", "sites.conf:1: 'site' needs one name");
}

/* --------------------------------------------------------------- matching */

static const char *site_start =
	"site start\nfile proc.go\nfunc execute\n"
	"after casgstatus(gp, _Grunnable, _Grunning)\n"
	"code if dbgsched.on.Load() != 0 {\n"
	"code \tdbgEvent(evStart, gp, 0)\n"
	"code }\n";

Test(overlay_apply, exactly_once_after)
{
	char *out = apply(site_start, proc_go, "go1.26.8");
	cr_assert_not_null(out, "%s", error_msg());
	cr_assert_str_eq(out,
		"package runtime\n"
		"\n"
		"func execute(gp *g, inheritTime bool) {\n"
		"\tmp := getg().m\n"
		"\tcasgstatus(gp, _Grunnable, _Grunning)\n"
		"\tif dbgsched.on.Load() != 0 {\n"
		"\t\tdbgEvent(evStart, gp, 0)\n"
		"\t}\n"
		"\tif !inheritTime {\n"
		"\t\tmp.p.ptr().schedtick++\n"
		"\t}\n"
		"}\n"
		"\n"
		"func other() {\n"
		"\tcasgstatus(gp, _Grunnable, _Grunning)\n"
		"}\n");
	free(out);
}

Test(overlay_apply, before_and_indentation_of_anchor)
{
	char *out = apply("site tick\nfile proc.go\nfunc execute\n"
			  "before mp.p.ptr().schedtick++\ncode hook()\n",
			  proc_go, "go1.26.8");
	cr_assert_not_null(out, "%s", error_msg());
	cr_assert(strstr(out, "\tif !inheritTime {\n\t\thook()\n\t\tmp.p.ptr().schedtick++\n"),
		  "got:\n%s", out);
	free(out);
}

Test(overlay_apply, missing_anchor)
{
	char *out = apply("site start\nfile proc.go\nfunc execute\n"
			  "after casgstatus(gp, _Grunnable, _Grunning, x)\ncode hook()\n",
			  proc_go, "go1.19.13");
	cr_assert_null(out);
	cr_assert_str_eq(error_msg(),
			 "hook site 'start' (func execute in proc.go) matches 0 times in go1.19.13");
}

Test(overlay_apply, doubled_anchor)
{
	char *out = apply("site s\nfile proc.go\nfunc execute\nafter mp\ncode hook()\n",
			  proc_go, "go1.27.3");
	cr_assert_null(out);
	cr_assert_str_eq(error_msg(),
			 "hook site 's' (func execute in proc.go) matches 2 times in go1.27.3");
}

Test(overlay_apply, alternatives_first_fails_second_matches)
{
	char *out = apply("site s\nfile proc.go\nfunc execute\n"
			  "after casgstatus(gp, _Grunnable, _Grunning, true)\n"
			  "before if !inheritTime {\n"
			  "code hook()\n",
			  proc_go, "go1.27.3");
	cr_assert_not_null(out, "%s", error_msg());
	cr_assert(strstr(out, "_Grunning)\n\thook()\n\tif !inheritTime {\n"), "got:\n%s", out);
	free(out);
}

Test(overlay_apply, alternatives_first_match_wins)
{
	char *out = apply("site s\nfile proc.go\nfunc execute\n"
			  "after mp := getg().m\nafter if !inheritTime {\ncode hook()\n",
			  proc_go, "go1.26.8");
	cr_assert_not_null(out, "%s", error_msg());
	cr_assert(strstr(out, "\tmp := getg().m\n\thook()\n\tcasgstatus"), "got:\n%s", out);
	cr_assert_eq(count(out, "hook()"), 1, "inserted once");
	free(out);
}

Test(overlay_apply, all_alternatives_fail_reports_each)
{
	char *out = apply("site s\nfile proc.go\nfunc execute\n"
			  "after nothere()\nbefore mp\ncode hook()\n",
			  proc_go, "go1.28");
	cr_assert_null(out);
	cr_assert_str_eq(error_msg(), "hook site 's' (func execute in proc.go) matches 0 times in "
				      "go1.28 (alternatives matched 0, 2 times)");
}

Test(overlay_apply, function_not_found)
{
	char *out = apply("site s\nfile proc.go\nfunc schedule\nafter x\ncode hook()\n",
			  proc_go, "go1.19.13");
	cr_assert_null(out);
	cr_assert_str_eq(error_msg(),
			 "hook site 's': function schedule not found in proc.go (go1.19.13)");
}

Test(overlay_apply, whitespace_tolerant)
{
	/* tabs and runs of spaces in the source, different ones in the anchor */
	const char *src = "func execute() {\n"
			  "    x :=\t\tf(a,   b)   \n"
			  "}\n";
	char *out = apply("site s\nfile proc.go\nfunc execute\n"
			  "after x := f(a,\t b)\ncode hook()\n", src, "go1.26.8");
	cr_assert_not_null(out, "%s", error_msg());
	cr_assert_str_eq(out, "func execute() {\n"
			      "    x :=\t\tf(a,   b)   \n"
			      "    hook()\n"
			      "}\n");
	free(out);
}

Test(overlay_apply, anchor_only_in_function_body)
{
	/* other() also has the line; only execute's copy counts */
	char *out = apply("site s\nfile proc.go\nfunc other\n"
			  "after casgstatus(gp, _Grunnable, _Grunning)\ncode hook()\n",
			  proc_go, "go1.26.8");
	cr_assert_not_null(out, "%s", error_msg());
	cr_assert(strstr(out, "func other() {\n\tcasgstatus(gp, _Grunnable, _Grunning)\n"
			      "\thook()\n}\n"), "got:\n%s", out);
	free(out);
}

Test(overlay_apply, method_receiver_and_generic)
{
	const char *src = "func (pp *p) init(id int32) {\n"
			  "\tpp.id = id\n"
			  "}\n"
			  "func init() {\n"
			  "\tgo forcegchelper()\n"
			  "}\n"
			  "func load[T any](p *T) T {\n"
			  "\treturn *p\n"
			  "}\n";
	char *out = apply("site a\nfile proc.go\nfunc init\nafter pp.id = id\ncode hookA()\n"
			  "site b\nfile proc.go\nfunc load\nbefore return *p\ncode hookB()\n",
			  src, "go1.26.8");
	cr_assert_not_null(out, "%s", error_msg());
	cr_assert(strstr(out, "\tpp.id = id\n\thookA()\n}\n"), "got:\n%s", out);
	cr_assert(strstr(out, "\thookB()\n\treturn *p\n"), "got:\n%s", out);
	free(out);
}

Test(overlay_apply, bodyless_declaration_does_not_swallow_next_function)
{
	const char *src = "func procyield(cycles uint32)\n"
			  "\n"
			  "func f() {\n"
			  "\tx()\n"
			  "}\n";
	char *out = apply("site s\nfile proc.go\nfunc procyield\nafter x()\ncode hook()\n",
			  src, "go1.26.8");
	cr_assert_null(out);
	cr_assert_str_eq(error_msg(),
			 "hook site 's' (func procyield in proc.go) matches 0 times in go1.26.8");
}

Test(overlay_apply, several_sites_one_function_and_one_line)
{
	/* two sites on the same anchor line, and one whose anchor is the other's code */
	char *out = apply("site a\nfile proc.go\nfunc execute\nafter mp := getg().m\ncode one()\n"
			  "site b\nfile proc.go\nfunc execute\nbefore mp := getg().m\ncode zero()\n"
			  "site c\nfile proc.go\nfunc execute\nafter mp := getg().m\ncode two()\n"
			  "site d\nfile proc.go\nfunc execute\nafter schedtick++\ncode three()\n"
			  "site e\nfile other.go\nfunc nowhere\nafter x\ncode y\n",
			  proc_go, "go1.26.8");
	cr_assert_not_null(out, "%s", error_msg());
	cr_assert(strstr(out, "{\n\tzero()\n\tmp := getg().m\n\tone()\n\ttwo()\n\tcasgstatus("),
		  "got:\n%s", out);
	cr_assert(strstr(out, "\t\tmp.p.ptr().schedtick++\n\t\tthree()\n\t}\n"), "got:\n%s", out);
	free(out);
}

Test(overlay_apply, last_line_without_newline)
{
	char *out = apply("site s\nfile proc.go\nfunc f\nbefore x()\ncode a()\n",
			  "func f() {\n\tx()\n}", "go1.26.8");
	cr_assert_not_null(out, "%s", error_msg());
	cr_assert_str_eq(out, "func f() {\n\ta()\n\tx()\n}");
	free(out);
}

Test(overlay_apply, real_runtime_proc_go)
{
	const char *path = "/usr/local/go/src/runtime/proc.go";
	if (access(path, R_OK) != 0)
		cr_skip_test("%s not installed", path);
	char *src = read_file(path, NULL);
	cr_assert_not_null(src);
	char *out = apply(site_start, src, "go1.26.8");
	cr_assert_not_null(out, "%s", error_msg());
	cr_assert(strstr(out, "\tcasgstatus(gp, _Grunnable, _Grunning)\n"
			      "\tif dbgsched.on.Load() != 0 {\n"
			      "\t\tdbgEvent(evStart, gp, 0)\n"
			      "\t}\n"));
	cr_assert_eq(strlen(out), strlen(src) + strlen("\tif dbgsched.on.Load() != 0 {\n"
						       "\t\tdbgEvent(evStart, gp, 0)\n\t}\n"));
	free(out);
	free(src);
}

/* ------------------------------------------------------------ cache key */

static const char *tiny_sites = "site s\nfile proc.go\nfunc f\nafter x()\ncode hook()\n";

Test(overlay_hash, changes_with_content_goroot_and_version)
{
	char *d = tmpdir();
	char *rt = xasprintf("%s/runtime", d);
	cr_assert_eq(mkdir_p(rt, 0755), 0);
	put(d, "sites.conf", tiny_sites);
	put(rt, "gosched_debug.go", "package runtime\n");

	uint64_t h0, h1, h2;
	cr_assert_eq(overlay_hash(d, "/usr/local/go", "go1.26.8", &h0), 0, "%s", error_msg());
	cr_assert_eq(overlay_hash(d, "/usr/local/go", "go1.26.8", &h1), 0);
	cr_assert_eq(h0, h1, "deterministic");

	put(rt, "gosched_debug.go", "package runtime\n// changed\n");
	cr_assert_eq(overlay_hash(d, "/usr/local/go", "go1.26.8", &h1), 0);
	cr_assert_neq(h0, h1, "runtime file content");
	put(rt, "gosched_debug.go", "package runtime\n");
	cr_assert_eq(overlay_hash(d, "/usr/local/go", "go1.26.8", &h1), 0);
	cr_assert_eq(h0, h1, "restored");

	put(d, "sites.conf", "# new comment\n");
	cr_assert_eq(overlay_hash(d, "/usr/local/go", "go1.26.8", &h1), 0);
	cr_assert_neq(h0, h1, "sites.conf content");
	put(d, "sites.conf", tiny_sites);

	put(rt, "zz_extra.go", "package runtime\n");
	cr_assert_eq(overlay_hash(d, "/usr/local/go", "go1.26.8", &h1), 0);
	cr_assert_neq(h0, h1, "added file");

	cr_assert_eq(overlay_hash(d, "/opt/go", "go1.26.8", &h2), 0);
	cr_assert_neq(h1, h2, "goroot");
	cr_assert_eq(overlay_hash(d, "/usr/local/go", "go1.27.3", &h2), 0);
	cr_assert_neq(h1, h2, "goversion");

	cr_assert_eq(overlay_hash("/nonexistent-overlay", "/g", "go1.26.8", &h2), -1);
	rm_rf(d);
	free(rt);
	free(d);
}

Test(overlay_hash, cache_dir_layout)
{
	setenv("XDG_CACHE_HOME", "/x/cache", 1);
	char *c = overlay_cache_dir("go1.26.8", 0x0123456789abcdefULL);
	cr_assert_str_eq(c, "/x/cache/gosched-repl/go1.26.8-0123456789abcdef");
	free(c);
	unsetenv("XDG_CACHE_HOME");
	setenv("HOME", "/home/u", 1);
	c = overlay_cache_dir("devel go1.27-abc Tue", 1);
	cr_assert_str_eq(c, "/home/u/.cache/gosched-repl/devel_go1.27-abc_Tue-0000000000000001");
	free(c);
}

/* ---------------------------------------------------------- the cache */

Test(overlay_prepare, writes_then_reuses_cache)
{
	char *d = tmpdir();
	char *ov = xasprintf("%s/overlay", d), *rt = xasprintf("%s/overlay/runtime", d);
	char *goroot = xasprintf("%s/goroot", d), *grt = xasprintf("%s/goroot/src/runtime", d);
	char *cache = xasprintf("%s/cache", d);
	cr_assert_eq(mkdir_p(rt, 0755), 0);
	cr_assert_eq(mkdir_p(grt, 0755), 0);
	put(ov, "sites.conf", tiny_sites);
	put(rt, "gosched_debug.go", "package runtime\nconst m = \"marker\"\n");
	put(rt, "README", "not Go\n");
	put(grt, "proc.go", "package runtime\n\nfunc f() {\n\tx()\n}\n");
	setenv("XDG_CACHE_HOME", cache, 1);

	char *json;
	cr_assert_eq(overlay_prepare(ov, goroot, "go1.26.8", &json), 0, "%s", error_msg());
	cr_assert(strncmp(json, cache, strlen(cache)) == 0, "%s", json);
	char *dir = xstrdup(json);
	*strrchr(dir, '/') = '\0';

	char *text = read_file(json, NULL);
	cr_assert_not_null(text);
	char *want = xasprintf("\"%s/src/runtime/proc.go\":\t\"%s/proc.go\"", goroot, dir);
	cr_assert(strstr(text, want), "overlay.json:\n%s", text);
	free(want);
	want = xasprintf("\"%s/src/runtime/gosched_debug.go\":\t\"%s/gosched_debug.go\"",
			 goroot, dir);
	cr_assert(strstr(text, want), "overlay.json:\n%s", text);
	free(want);
	cr_assert_null(strstr(text, "README"));
	free(text);

	char *p = xasprintf("%s/proc.go", dir);
	text = read_file(p, NULL);
	cr_assert_str_eq(text, "package runtime\n\nfunc f() {\n\tx()\n\thook()\n}\n");
	free(text);

	/* second call: same key, the cache entry is reused, not rewritten */
	put(dir, "proc.go", "sentinel");
	char *json2;
	cr_assert_eq(overlay_prepare(ov, goroot, "go1.26.8", &json2), 0, "%s", error_msg());
	cr_assert_str_eq(json, json2);
	text = read_file(p, NULL);
	cr_assert_str_eq(text, "sentinel");
	free(text);

	/* an overlay change gives a new entry */
	put(rt, "gosched_debug.go", "package runtime\n// v2\n");
	char *json3;
	cr_assert_eq(overlay_prepare(ov, goroot, "go1.26.8", &json3), 0, "%s", error_msg());
	cr_assert_str_neq(json, json3);

	free(json3);
	free(json2);
	free(p);
	free(json);
	free(dir);
	rm_rf(d);
	free(ov), free(rt), free(goroot), free(grt), free(cache), free(d);
}

Test(overlay_prepare, anchor_failure_leaves_no_overlay_json)
{
	char *d = tmpdir();
	char *ov = xasprintf("%s/overlay", d), *goroot = xasprintf("%s/goroot", d);
	char *grt = xasprintf("%s/goroot/src/runtime", d), *cache = xasprintf("%s/cache", d);
	cr_assert_eq(mkdir_p(ov, 0755), 0);
	cr_assert_eq(mkdir_p(grt, 0755), 0);
	put(ov, "sites.conf", tiny_sites);
	put(grt, "proc.go", "package runtime\n\nfunc f() {\n}\n");
	setenv("XDG_CACHE_HOME", cache, 1);

	char *json = NULL;
	cr_assert_eq(overlay_prepare(ov, goroot, "go1.19.13", &json), -1);
	cr_assert_str_eq(error_msg(), "hook site 's' (func f in proc.go) matches 0 times in go1.19.13");
	uint64_t h;
	cr_assert_eq(overlay_hash(ov, goroot, "go1.19.13", &h), 0);
	char *cdir = overlay_cache_dir("go1.19.13", h);
	char *j = xasprintf("%s/overlay.json", cdir);
	cr_assert_neq(access(j, F_OK), 0);
	free(j);
	free(cdir);
	rm_rf(d);
	free(ov), free(goroot), free(grt), free(cache), free(d);
}

Test(overlay_prepare, parse_error_names_file_and_line)
{
	char *d = tmpdir();
	put(d, "sites.conf", "site s\nfile proc.go\nfunk f\n");
	char *json;
	cr_assert_eq(overlay_prepare(d, "/usr/local/go", "go1.26.8", &json), -1);
	char *want = xasprintf("%s/sites.conf:3: unknown key 'funk'", d);
	cr_assert(strncmp(error_msg(), want, strlen(want)) == 0, "%s", error_msg());
	free(want);
	rm_rf(d);
	free(d);
}

Test(overlay_find_dir, from_environment)
{
	char *d = tmpdir();
	setenv("GOSCHED_OVERLAY_DIR", d, 1);
	cr_assert_null(overlay_find_dir());
	cr_assert(strstr(error_msg(), "has no sites.conf"), "%s", error_msg());
	put(d, "sites.conf", "");
	char *found = overlay_find_dir();
	cr_assert_not_null(found, "%s", error_msg());
	cr_assert_str_eq(found, d);
	free(found);
	rm_rf(d);
	free(d);
}

/* A `type` site patches inside a struct body (e.g. adding a field to g). */
Test(overlay, type_site_adds_struct_field)
{
	const char *conf = "site gfield\nfile runtime2.go\ntype g\nafter waitsince int64\n"
			   "code dbgSince int64\n";
	const char *src = "package runtime\n\ntype g struct {\n\tgoid      uint64\n"
			  "\twaitsince int64 // approx\n}\n\nfunc f() {\n\twaitsince int64\n}\n";
	overlay_sites ss = {0};
	cr_assert_eq(overlay_parse(conf, "sites.conf", &ss), 0, "%s", error_msg());
	cr_assert(ss.v[0].is_type);
	char *out = overlay_apply(&ss, "runtime2.go", src, "go1.26.8");
	cr_assert_not_null(out, "%s", error_msg());
	cr_assert_str_eq(out, "package runtime\n\ntype g struct {\n\tgoid      uint64\n"
			      "\twaitsince int64 // approx\n\tdbgSince int64\n}\n\n"
			      "func f() {\n\twaitsince int64\n}\n");
	free(out);
	overlay_sites_free(&ss);
}

/* A missing type is named as a type in the error. */
Test(overlay, type_site_missing_type)
{
	overlay_sites ss = {0};
	cr_assert_eq(overlay_parse("site t\nfile x.go\ntype nosuch\nafter a\ncode b\n",
				   "sites.conf", &ss), 0, "%s", error_msg());
	cr_assert_null(overlay_apply(&ss, "x.go", "package runtime\n", "go1.26.8"));
	cr_assert(strstr(error_msg(), "type nosuch not found in x.go (go1.26.8)"), "%s", error_msg());
	overlay_sites_free(&ss);
}
