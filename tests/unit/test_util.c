/* test_util.c -- the error path and string buffers. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>

#include "util.h"

/* Adding context to the current error may pass error_msg() itself. */
Test(util, error_set_may_wrap_the_current_message)
{
	error_set("no such goroutine");
	error_set("goroutine %d: %s", 42, error_msg());
	cr_assert_str_eq(error_msg(), "goroutine 42: no such goroutine");
}

Test(util, strbuf_grows)
{
	strbuf b = {0};
	for (int i = 0; i < 1000; i++)
		sb_printf(&b, "%d,", i % 10);
	cr_assert_eq(b.len, 2000);
	cr_assert_eq(strncmp(b.s, "0,1,2,", 6), 0);
	sb_free(&b);
	cr_assert_null(b.s);
}

static void cleans(const char *in, const char *want)
{
	char buf[256];
	snprintf(buf, sizeof buf, "%s", in);
	path_clean(buf);
	cr_assert_str_eq(buf, want, "path_clean(\"%s\") = \"%s\", want \"%s\"", in, buf, want);
}

Test(util, path_clean)
{
	cleans("mod/cmd/app/../../lib/lib.go", "mod/lib/lib.go");
	cleans("mod/cmd/./main.go", "mod/cmd/main.go");
	cleans("a//b/", "a/b");
	cleans("../../lib/x.go", "../../lib/x.go");
	cleans("a/../../x", "../x");
	cleans("a/..", ".");
	cleans("", ".");
	cleans("/x/../../y", "/y");
	cleans("/", "/");
	cleans("./a/b/..", "a");
}
