/*
 * test_snapshot.c -- a stop message becomes the Lua model: real references,
 * queue order, nulls, counts, the one-line forms; bad messages are errors
 * that leave the previous model in place; and the pretty printer.
 *
 * Fixtures are JSON written with ' for " (json() swaps them back).
 */
#include <criterion/criterion.h>
#include <cJSON.h>
#include <lauxlib.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "luaenv.h"
#include "snapshot.h"
#include "util.h"

/* G1 main; G2, G3 run on P0/M0 and P1/M1; P0 runq 5,4; P1 runnext 7;
 * global runq 8,9; G6 just parked (the event); G4's parent is gone. */
static const char fixture[] =
	"{'type':'stop','reason':'step','seq':17,'gap':2,'frozen':2,'unfrozen':0,"
	" 'event':{'kind':'park','seq':17,'time':123456789,'g':6,'p':0,'m':0,"
	"          'waitreason':'chan receive'},"
	" 'sched':{'runq':[8,9],'gomaxprocs':2,'npidle':0,'nmspinning':0,'nmidle':1,"
	"          'nmsys':1,'ngoroutines':10,'goidgen':10,'gcwaiting':false,'stopwait':0,"
	"          'sysmonwait':false,'pidle':[],'midle':[2],'needspinning':0},"
	" 'p':[{'id':0,'status':'running','m':0,'runq':[5,4],'runnext':null,'schedtick':123,"
	"       'syscalltick':4,'gfree':0,'timers':1},"
	"      {'id':1,'status':'running','m':1,'runq':[],'runnext':7,'schedtick':50,"
	"       'syscalltick':0,'gfree':2,'timers':0}],"
	" 'm':[{'id':0,'procid':1000,'p':0,'curg':2,'spinning':false,'blocked':false,"
	"       'lockedg':null,'incgo':false},"
	"      {'id':1,'procid':1001,'p':1,'curg':3,'spinning':false,'blocked':false,"
	"       'lockedg':null,'incgo':false},"
	"      {'id':2,'procid':1002,'p':null,'curg':null,'spinning':false,'blocked':true,"
	"       'lockedg':null,'incgo':false}],"
	" 'g':[{'id':1,'status':'waiting','waitreason':'chan receive','waitsince':500,'m':null,"
	"       'p':null,'lockedm':null,'parent':0,'startfn':'runtime.main','createdby':null,"
	"       'createdat':null,'system':false},"
	"      {'id':2,'status':'running','waitreason':null,'waitsince':0,'m':0,'p':0,"
	"       'lockedm':null,'parent':1,'startfn':'main.worker','createdby':'main.main',"
	"       'createdat':'/src/main.go:17','system':false},"
	"      {'id':3,'status':'running','waitreason':null,'waitsince':0,'m':1,'p':1,"
	"       'lockedm':null,'parent':1,'startfn':'main.worker','createdby':'main.main',"
	"       'createdat':'/src/main.go:17','system':false},"
	"      {'id':4,'status':'runnable','waitreason':null,'waitsince':0,'m':null,'p':null,"
	"       'lockedm':null,'parent':99,'startfn':'main.leaf','createdby':'main.spawn',"
	"       'createdat':'/src/main.go:40','system':false},"
	"      {'id':5,'status':'runnable','waitreason':null,'waitsince':0,'m':null,'p':null,"
	"       'lockedm':null,'parent':1,'startfn':'main.worker','createdby':'main.main',"
	"       'createdat':'/src/main.go:17','system':false},"
	"      {'id':6,'status':'waiting','waitreason':'chan receive','waitsince':1000,"
	"       'm':null,'p':null,'lockedm':null,'parent':2,'startfn':'main.worker',"
	"       'createdby':'main.main','createdat':'/src/main.go:17','system':false},"
	"      {'id':7,'status':'runnable','waitreason':null,'waitsince':0,'m':null,'p':null,"
	"       'lockedm':null,'parent':1,'startfn':'main.worker','createdby':'main.main',"
	"       'createdat':'/src/main.go:17','system':false},"
	"      {'id':8,'status':'runnable','waitreason':null,'waitsince':0,'m':null,'p':null,"
	"       'lockedm':null,'parent':1,'startfn':'main.worker','createdby':'main.main',"
	"       'createdat':'/src/main.go:17','system':false},"
	"      {'id':9,'status':'runnable','waitreason':null,'waitsince':0,'m':null,'p':null,"
	"       'lockedm':null,'parent':1,'startfn':'main.worker','createdby':'main.main',"
	"       'createdat':'/src/main.go:17','system':false},"
	"      {'id':10,'status':'waiting','waitreason':'force gc (idle)','waitsince':7,"
	"       'm':null,'p':null,'lockedm':null,'parent':0,'startfn':'runtime.forcegchelper',"
	"       'createdby':'runtime.init.7','createdat':'proc.go:310','system':true}]}";

/* S with every ' turned into " (malloc'd). */
static char *json(const char *s)
{
	char *j = xstrdup(s);
	for (char *p = j; *p; p++)
		if (*p == '\'')
			*p = '"';
	return j;
}

static cJSON *parse(const char *s)
{
	char *j = json(s);
	cJSON *root = cJSON_Parse(j);
	cr_assert_not_null(root, "fixture is not JSON: %s", j);
	free(j);
	return root;
}

static lua_State *L;
static snapshot_info info;

/* Load the fixture into a fresh state. */
static void setup(void)
{
	L = luaenv_new();
	cr_assert_not_null(L);
	cJSON *root = parse(fixture);
	cr_assert_eq(snapshot_load(L, root, &info), 0, "%s", error_msg());
	cJSON_Delete(root);
}

static void teardown(void)
{
	luaenv_close(L);
}

/* The Lua expression EXPR is true in the loaded model. */
static void check(const char *expr)
{
	char *code = xasprintf("return %s", expr);
	cr_assert_eq(luaL_dostring(L, code), LUA_OK, "%s: %s", expr, lua_tostring(L, -1));
	cr_assert(lua_toboolean(L, -1), "false: %s", expr);
	lua_pop(L, 1);
	free(code);
}

/* The pretty-printed value of EXPR is WANT. */
static void printed(const char *expr, const char *want)
{
	strbuf out = {0};
	cr_assert_eq(luaenv_format(L, expr, &out), 0, "%s: %s", expr, error_msg());
	cr_assert_str_eq(out.s ? out.s : "", want, "print %s", expr);
	sb_free(&out);
}

TestSuite(snapshot, .init = setup, .fini = teardown);

Test(snapshot, references_are_the_same_tables)
{
	check("p[0].m == m[0] and m[0].p == p[0]");
	check("p[0].m.curg == g[2] and p[0].m.curg.m == p[0].m");
	check("g[2].m == m[0] and g[2].p == p[0]");
	check("m[1].curg == g[3] and g[3].m.p == p[1]");
	check("ev.g == g[6] and ev.p == p[0] and ev.m == m[0]");
	check("p[1].runnext == g[7]");
	check("sched.midle[1] == m[2] and #sched.pidle == 0");
}

Test(snapshot, queues_keep_their_order)
{
	check("#p[0].runq == 2 and p[0].runq[1] == g[5] and p[0].runq[2] == g[4]");
	check("#p[1].runq == 0");
	check("#sched.runq == 2 and sched.runq[1].id == 8 and sched.runq[2].id == 9");
}

Test(snapshot, nulls_are_nil_and_counts)
{
	check("p[0].runnext == nil and m[2].p == nil and m[2].curg == nil");
	check("g[2].waitreason == nil and g[1].m == nil and g[1].createdby == nil");
	check("#g == 10 and #p == 2 and #m == 3");
	check("g[6].waitreason == 'chan receive' and g[6].waitsince == 1000");
	check("math.type(g[6].waitsince) == 'integer' and math.type(p[0].schedtick) == 'integer'");
	check("g[10].system == true and m[2].blocked == true and sched.gcwaiting == false");
}

Test(snapshot, parents)
{
	check("g[2].parent == 1 and g[2].parentg == g[1]");
	check("g[4].parent == 99 and g[4].parentg == nil");
	check("g[1].parent == nil and g[1].parentg == nil");
}

Test(snapshot, event_stop_and_unknown_fields)
{
	check("ev.kind == 'park' and ev.seq == 17 and ev.waitreason == 'chan receive'");
	check("ev.time == 123456789");
	check("stop.reason == 'step' and stop.seq == 17 and stop.gap == 2");
	check("stop.frozen == 2 and stop.unfrozen == 0 and stop.g == nil");
	check("sched.needspinning == 0 and sched.gomaxprocs == 2");
}

Test(snapshot, summary)
{
	cr_assert_eq(info.seq, 17);
	cr_assert_eq(info.gap, 2);
	cr_assert_str_eq(info.kind, "park");
	cr_assert_str_eq(info.detail, "chan receive");
	cr_assert_eq(info.g, 6);
	cr_assert_eq(info.p, 0);
	cr_assert_eq(info.m, 0);
	cr_assert_eq(info.ngoroutines, 10);
	cr_assert_eq(info.nrunnable, 5);
	cr_assert_eq(info.nrunning, 2);
}

Test(snapshot, one_line_forms)
{
	check("tostring(g[6]) == 'G6 waiting(chan receive) main.worker created by main.main at "
	      "/src/main.go:17'");
	check("tostring(g[2]) == 'G2 running main.worker created by main.main at /src/main.go:17'");
	check("tostring(g[1]) == 'G1 waiting(chan receive) runtime.main'");
	check("tostring(p[0]) == 'P0 running M0 curg=G2 runq=2 schedtick=123'");
	check("tostring(p[1]) == 'P1 running M1 curg=G3 runq=0 runnext=G7 schedtick=50'");
	check("tostring(m[0]) == 'M0 procid=1000 P0 curg=G2 spinning=false'");
	check("tostring(m[2]) == 'M2 procid=1002 spinning=false'");
	check("getmetatable(g[1]).__name == 'gosched.G' and getmetatable(p[0]).__name == 'gosched.P'");
}

Test(snapshot, exited_event_goroutine_is_a_stand_in)
{
	cJSON *root = parse("{'type':'stop','seq':3,'event':{'kind':'exit','g':42,'p':null,'m':0},"
			    "'sched':{},'p':[],'m':[{'id':0}],'g':[]}");
	cr_assert_eq(snapshot_load(L, root, &info), 0, "%s", error_msg());
	cJSON_Delete(root);
	check("ev.g.id == 42 and ev.g.status == 'dead' and g[42] == nil and ev.p == nil");
	check("tostring(ev.g) == 'G42 dead'");
	cr_assert_eq(info.p, -1);
}

Test(snapshot, events_without_goroutine_and_details)
{
	cJSON *root = parse("{'type':'stop','seq':4,'event':{'kind':'gcstop','g':null,'p':0,'m':0,"
			    "'reason':'GC sweep termination'},'sched':{},"
			    "'p':[{'id':0,'status':'running'},{'id':1,'status':'idle'}],"
			    "'m':[{'id':0}],'g':[]}");
	cr_assert_eq(snapshot_load(L, root, &info), 0, "%s", error_msg());
	cJSON_Delete(root);
	check("ev.g == nil and ev.reason == 'GC sweep termination'");
	cr_assert_eq(info.g, -1);
	cr_assert_str_eq(info.detail, "GC sweep termination");
	root = parse("{'type':'stop','seq':5,'event':{'kind':'steal','g':1,'p':0,'m':0,'from':1},"
		     "'sched':{},'p':[{'id':0,'status':'running'},{'id':1,'status':'idle'}],"
		     "'m':[{'id':0}],'g':[{'id':1,'status':'runnable'}]}");
	cr_assert_eq(snapshot_load(L, root, &info), 0, "%s", error_msg());
	cJSON_Delete(root);
	check("ev.from == p[1] and ev.p == p[0]");
	cr_assert_str_eq(info.detail, "from P1");
}

Test(snapshot, queued_goroutines_are_on_their_p)
{
	check("g[5].p == p[0] and g[4].p == p[0] and g[7].p == p[1]");
	check("g[8].p == nil and g[6].p == nil and g[2].p == p[0]");
}

/* Loading S fails with a message containing WANT; the old model stays. */
static void load_fails(const char *s, const char *want)
{
	cJSON *root = parse(s);
	snapshot_info other;
	cr_assert_eq(snapshot_load(L, root, &other), -1, "loaded: %s", s);
	cJSON_Delete(root);
	cr_assert(strstr(error_msg(), want), "got \"%s\", want \"%s\"", error_msg(), want);
	check("#g == 10 and p[0].m == m[0]");
}

#define STOP(ev, p, m, g) \
	"{'type':'stop','seq':1,'event':" ev ",'sched':{},'p':" p ",'m':" m ",'g':" g "}"
#define EV "{'kind':'start','g':1,'p':0,'m':0}"

Test(snapshot, bad_messages_are_errors)
{
	load_fails(STOP(EV, "[{'id':0,'status':'idle'}]", "[{'id':0}]",
			"[{'id':1,'status':7}]"),
		   "goroutine 1: \"status\": expected a string");
	load_fails(STOP(EV, "[{'id':0,'status':'idle'}]", "[{'id':0}]", "[{'status':'running'}]"),
		   "goroutine #0: \"id\": missing or not an integer");
	load_fails(STOP(EV, "[{'id':0,'status':'idle','runq':[1,99]}]", "[{'id':0}]",
			"[{'id':1,'status':'runnable'}]"),
		   "P 0: \"runq\": no goroutine 99 in this stop");
	load_fails(STOP(EV, "[{'id':0,'status':'idle','m':5}]", "[{'id':0}]",
			"[{'id':1,'status':'runnable'}]"),
		   "P 0: \"m\": no M 5 in this stop");
	load_fails(STOP(EV, "[{'id':0,'status':'idle'}]", "[{'id':0,'curg':'x'}]",
			"[{'id':1,'status':'runnable'}]"),
		   "M 0: \"curg\": expected a goroutine id");
	load_fails(STOP(EV, "[{'id':0,'status':'idle','runq':3}]", "[{'id':0}]",
			"[{'id':1,'status':'runnable'}]"),
		   "P 0: \"runq\": expected an array of ids");
	load_fails(STOP(EV, "[{'id':0,'status':'idle'}]", "[{'id':0}]",
			"[{'id':1,'status':'runnable'},{'id':1,'status':'runnable'}]"),
		   "two entries for goroutine 1");
	load_fails(STOP(EV, "[{'id':0,'status':'idle'}]", "[{'id':0,'spinning':1}]", "[]"),
		   "M 0: \"spinning\": expected true or false");
	load_fails(STOP(EV, "[{'id':0,'status':'idle'}]", "[{'id':0}]", "[3]"),
		   "goroutine #0: not an object");
	load_fails(STOP("{'g':1}", "[]", "[]", "[{'id':1,'status':'running'}]"),
		   "event: \"kind\": missing");
	load_fails(STOP("{'kind':'start','g':1,'p':4}", "[]", "[]",
			"[{'id':1,'status':'running'}]"),
		   "event: \"p\": no P 4 in this stop");
	load_fails(STOP(EV, "[{'id':0,'status':'idle','schedtick':1.5}]", "[]", "[]"),
		   "P 0: \"schedtick\": expected an integer");
	load_fails("{'type':'stop','seq':1,'event':{},'sched':{},'p':[],'m':[]}",
		   "needs arrays g, m, p");
}

Test(snapshot, clear)
{
	snapshot_clear(L);
	check("g == nil and m == nil and p == nil and sched == nil and ev == nil and stop == nil");
}

/* --------------------------------------------------------- the printer */

Test(snapshot, print_model_objects)
{
	printed("g[6]", "G6 waiting(chan receive) main.worker created by main.main at "
			"/src/main.go:17");
	printed("p[0].runq", "G5 runnable main.worker created by main.main at /src/main.go:17\n"
			     "G4 runnable main.leaf created by main.spawn at /src/main.go:40");
	printed("p[1].runq", "{}");
	printed("p", "P0 running M0 curg=G2 runq=2 schedtick=123\n"
		     "P1 running M1 curg=G3 runq=0 runnext=G7 schedtick=50");
	printed("m[2], #g", "M2 procid=1002 spinning=false\t10");
	printed("sched.midle", "M2 procid=1002 spinning=false");
	printed("p[0].runnext", "nil");
}

Test(snapshot, print_plain_values)
{
	printed("1, 2.5, 'x\"y', true, nil", "1\t2.5\t\"x\\\"y\"\ttrue\tnil");
	printed("{a = 1, b = 'x'}", "{a = 1, b = \"x\"}");
	printed("{}", "{}");
	printed("{1, 2, 3}", "{1, 2, 3}");
	printed("{[10] = 'ten', ['a b'] = 1, z = {1, {2, {3, {4}}}}}",
		"{[10] = \"ten\", [\"a b\"] = 1, z = {1, {2, {…}}}}");
	printed("{g = g[6], list = sched.runq}", "{g = G6, list = {G8, G9}}");
}

Test(snapshot, print_truncates_long_tables)
{
	printed("(function() local t = {} for i = 1, 25 do t[i] = i end return t end)()",
		"{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, … (5 more)}");
}

Test(snapshot, print_wide_record_one_field_per_line)
{
	/* stop.ready is when the model was ready: a clock reading, so not printed here */
	check("stop.frozen == 2 and stop.gap == 2 and stop.reason == 'step' and stop.seq == 17 "
	      "and stop.unfrozen == 0 and math.type(stop.ready) == 'integer'");
	printed("ev", "{\n  g = G6,\n  kind = \"park\",\n  m = M0,\n  p = P0,\n  seq = 17,\n"
		      "  time = 123456789,\n  waitreason = \"chan receive\"\n}");
}

Test(snapshot, print_errors_do_not_escape)
{
	strbuf out = {0};
	cr_assert_eq(luaenv_format(L, "setmetatable({}, {__tostring = function() error('boom') end})",
				   &out), -1);
	cr_assert(strstr(error_msg(), "boom"), "%s", error_msg());
	cr_assert_eq(luaenv_format(L, "x = 1", &out), -1); /* print takes expressions only */
	cr_assert_eq(luaenv_format(L, "nosuch.field", &out), -1);
	cr_assert(strstr(error_msg(), "attempt to index a nil value (global 'nosuch')"), "%s",
		  error_msg());
	sb_free(&out);
}

/* A stop with N goroutines, in queue order over two Ps and the global queue. */
static char *big_stop(int n)
{
	strbuf b = {0};
	sb_puts(&b, "{\"type\":\"stop\",\"seq\":1,\"event\":{\"kind\":\"create\",\"g\":1,\"p\":0,"
		    "\"m\":0},\"sched\":{\"runq\":[");
	for (int i = 2; i <= n; i += 2)
		sb_printf(&b, "%s%d", i > 2 ? "," : "", i);
	sb_puts(&b, "]},\"p\":[{\"id\":0,\"status\":\"running\",\"m\":0,\"runq\":[");
	for (int i = 3; i <= n; i += 2)
		sb_printf(&b, "%s%d", i > 3 ? "," : "", i);
	sb_puts(&b, "]}],\"m\":[{\"id\":0,\"p\":0,\"curg\":1}],\"g\":[");
	for (int i = 1; i <= n; i++)
		sb_printf(&b, "%s{\"id\":%d,\"status\":\"%s\",\"waitreason\":null,\"m\":%s,"
			      "\"parent\":%d,\"startfn\":\"main.worker\",\"createdby\":\"main.main\","
			      "\"createdat\":\"/src/main.go:17\"}", i > 1 ? "," : "", i,
			  i == 1 ? "running" : "runnable", i == 1 ? "0" : "null", i - 1);
	sb_puts(&b, "]}");
	return b.s;
}

Test(snapshot, hundred_thousand_goroutines)
{
	char *s = big_stop(100000);
	cJSON *root = cJSON_Parse(s);
	cr_assert_not_null(root);
	cr_assert_eq(snapshot_load(L, root, &info), 0, "%s", error_msg());
	cJSON_Delete(root);
	free(s);
	cr_assert_eq(info.ngoroutines, 100000);
	cr_assert_eq(info.nrunnable, 99999);
	check("#g == 100000 and #sched.runq == 50000 and #p[0].runq == 49999");
	check("sched.runq[50000] == g[100000] and p[0].runq[1] == g[3]");
	check("g[100000].parentg.parentg == g[99998] and p[0].m.curg == g[1]");
}
