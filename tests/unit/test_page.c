/* test_page.c -- the shared page: created, ticking, shared, removed; the mailbox. */
#include <criterion/criterion.h>
#include <fcntl.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#include "page.h"
#include "util.h"

static char *tmpdir(void)
{
	char *d = xstrdup("/tmp/gosched-clock-test.XXXXXX");
	cr_assert_not_null(mkdtemp(d));
	return d;
}

static void sleep_ms(long ms)
{
	struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
	nanosleep(&ts, NULL);
}

Test(page, ticks_about_every_millisecond_and_is_seen_by_another_mapping)
{
	char *dir = tmpdir();
	sharedpage c = {0};
	cr_assert_eq(page_start(&c, dir), 0, "%s", error_msg());
	cr_assert_eq(page_start(&c, dir), 0, "starting twice is harmless");
	/* the program's view: its own read-only mapping of the file */
	int fd = open(c.path, O_RDONLY);
	cr_assert_geq(fd, 0);
	volatile struct page *seen = mmap(NULL, PAGE_BYTES, PROT_READ, MAP_SHARED, fd, 0);
	close(fd);
	cr_assert_neq((void *)seen, MAP_FAILED);
	cr_assert_eq(seen->accept, (int64_t)MAIL_VERSION << 32 | (int64_t)sizeof(struct mail_rec));
	unsigned a = seen->tick;
	sleep_ms(50);
	unsigned b = seen->tick;
	cr_assert_geq(b - a, 10, "50 ms gave %u ticks", b - a);
	cr_assert_leq(b - a, 60, "50 ms gave %u ticks", b - a);
	char *path = xstrdup(c.path);
	page_stop(&c);
	cr_assert_null(c.path);
	cr_assert_eq(access(path, F_OK), -1, "the file is removed");
	unsigned d = seen->tick;
	sleep_ms(5);
	cr_assert_eq(seen->tick, d, "stopped");
	munmap((void *)seen, PAGE_BYTES);
	free(path);
	rmdir(dir);
	free(dir);
}

Test(page, an_unusable_directory_is_an_error)
{
	sharedpage c = {0};
	cr_assert_eq(page_start(&c, "/nonexistent/dir"), -1);
	cr_assert(strstr(error_msg(), "/nonexistent/dir/page") != NULL, "%s", error_msg());
	cr_assert_eq(c.running, 0);
	page_stop(&c); /* harmless */
}

/* The handshake: the REPL answers only a posted check, once. */
Test(page, the_mailbox_answers_a_posted_check_once)
{
	char *dir = tmpdir();
	sharedpage c = {0};
	cr_assert_eq(page_start(&c, dir), 0, "%s", error_msg());
	cr_assert_null(page_posted(&c), "empty at first");
	c.page->rec.check = 7;
	__atomic_store_n(&c.page->state, MAIL_POSTED, __ATOMIC_SEQ_CST); /* as the runtime does */
	const struct mail_rec *r = page_posted(&c);
	cr_assert_not_null(r);
	cr_assert_eq(r->check, 7);
	cr_assert_eq(page_answer(&c, MAIL_SKIP), 1);
	cr_assert_null(page_posted(&c), "answered");
	cr_assert_eq(page_answer(&c, MAIL_SOCKET), 0, "no second answer");
	__atomic_store_n(&c.page->state, MAIL_TAKEN, __ATOMIC_SEQ_CST); /* it stopped waiting */
	cr_assert_eq(page_answer(&c, MAIL_SKIP), 0, "too late");
	page_reset(&c);
	cr_assert_null(page_posted(&c));
	page_stop(&c);
	rmdir(dir);
	free(dir);
}

/* Ignore counts go to the slot the runtime gave a breakpoint, and what it
 * ignored comes back; a breakpoint with no slot has neither. */
Test(page, ignore_counts_go_to_the_breakpoints_slot)
{
	char *dir = tmpdir();
	sharedpage c = {0};
	cr_assert_eq(page_start(&c, dir), 0, "%s", error_msg());
	uint64_t ignored = 1;
	long long left = 1;
	cr_assert_eq(page_set_ignore(&c, 7, 5), 0, "not installed: no slot");
	cr_assert_eq(page_ignored(&c, 7, &ignored, &left), 0);
	c.page->slots[3].id = 7; /* the runtime installs breakpoint 7 in slot 3 */
	cr_assert_eq(page_set_ignore(&c, 7, 5), 1);
	cr_assert_eq(c.page->slots[3].ignore, 5);
	c.page->slots[3].ignore = 2; /* it ignores three hits */
	c.page->slots[3].ignored = 3;
	cr_assert_eq(page_ignored(&c, 7, &ignored, &left), 1);
	cr_assert_eq(ignored, 3);
	cr_assert_eq(left, 2);
	cr_assert_eq(page_set_ignore(&c, 8, 1), 0, "another breakpoint");
	page_reset(&c);
	cr_assert_eq(page_ignored(&c, 7, &ignored, &left), 0, "a new launch has no slots");
	page_stop(&c);
	rmdir(dir);
	free(dir);
}
