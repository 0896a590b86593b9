/*
 * check.h -- the model a light check's conditions see: ev and its own G, P
 * and M as lazy tables over the check's JSON message or mailbox record.
 */
#ifndef GOSCHED_CHECK_H
#define GOSCHED_CHECK_H

#include <cJSON.h>
#include <lua.h>

#include "page.h"

/* Push ev for the JSON check ROOT, which must live until check_end(). [-0, +1] */
void check_push_json(lua_State *L, const cJSON *root);

/* Push ev for the mailbox record R, whose event kind is named KIND; R must
 * stay as it is until check_end(). [-0, +1] */
void check_push_mail(lua_State *L, const struct mail_rec *r, const char *kind);

/* The check is over: its tables read nothing from now on. */
void check_end(void);

#endif
