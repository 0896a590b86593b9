/*
 * cmd-break.h -- the breakpoint commands: break, delete, disable, enable,
 * ignore, commands (info breakpoints is in cmd-info.c). What they act on
 * is breakpoint.h's.
 */
#ifndef GOSCHED_CMD_BREAK_H
#define GOSCHED_CMD_BREAK_H

#include "cmd.h"

/* The breakpoint commands (cmd.c's table). */
extern const struct cmd_entry cmd_break_entry, cmd_tbreak_entry, cmd_delete_entry,
	cmd_disable_entry, cmd_enable_entry, cmd_ignore_entry, cmd_condition_entry,
	cmd_commands_entry;

#endif
