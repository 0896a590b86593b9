/*
 * cmd-info.c -- `info SUBCOMMAND`: facts about the debugger's own state.
 * Subcommands are a small table like the command table; add one by adding
 * a row.
 */
#include "cmd.h"
#include "util.h"

#include <stdio.h>
#include <string.h>

struct info_entry {
	const char *name;
	const char *summary;
	int (*exec)(session *s);
};

/* The state of the program in words. */
static void print_state(session *s)
{
	if (s->t.pid <= 0)
		printf("not running");
	else if (s->t.state == TARGET_RUNNING)
		printf("running");
	else if (s->have_stop)
		printf("stopped at %s (event %lld)", s->stop.kind, s->stop.seq);
	else
		printf("stopped");
	if (s->t.pid <= 0 && s->t.has_exited)
		printf(" (last run %s)", target_status_text(s->t.wstatus));
	printf("\n");
}

/* info target: program, arguments, binary, toolchain, pid, state. */
static int info_target(session *s)
{
	target *t = &s->t;
	printf("program:    %s\n", t->prog);
	if (t->argc > 1) {
		printf("arguments: ");
		for (int i = 1; i < t->argc; i++)
			printf(" %s", t->argv[i]);
		printf("\n");
	}
	printf("binary:     %s\n", t->binary ? t->binary : "(not built yet)");
	if (!t->have_go && gotool_find(&t->go) == 0)
		t->have_go = 1;
	if (t->have_go)
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
	return CMD_OK;
}

static const struct info_entry info_table[] = {
	{"target", "the program: binary, Go version, pid, state", info_target},
	{NULL, NULL, NULL},
};

static void info_list(void)
{
	printf("info subcommands (a unique prefix is enough):\n");
	for (const struct info_entry *e = info_table; e->name; e++)
		printf("  info %-10s %s\n", e->name, e->summary);
}

/* info SUBCOMMAND: run the subcommand whose name ARGS names or abbreviates. */
static int cmd_info_exec(session *s, const char *args)
{
	size_t n = strcspn(args, " \t");
	if (n == 0) {
		info_list();
		return CMD_OK;
	}
	const struct info_entry *found = NULL;
	int matches = 0;
	for (const struct info_entry *e = info_table; e->name; e++) {
		if (strncmp(e->name, args, n) != 0)
			continue;
		if (strlen(e->name) == n) {
			found = e;
			matches = 1;
			break;
		}
		found = e;
		matches++;
	}
	if (matches != 1) {
		error_set("%s info subcommand \"%.*s\" (\"info\" lists them)",
			  matches ? "ambiguous" : "no", (int)n, args);
		return -1;
	}
	if (args[n + strspn(args + n, " \t")] != '\0') {
		error_set("info %s takes no arguments", found->name);
		return -1;
	}
	return found->exec(s);
}

const struct cmd_entry cmd_info_entry = {
	.name = "info",
	.usage = "SUBCOMMAND",
	.summary = "show facts: info target",
	.help = "Show facts about the debugger's state. Subcommands:\n"
		"  info target   the program, its arguments, the built binary, the Go\n"
		"                toolchain, the pid, the runtime version and the state",
	.exec = cmd_info_exec,
};
