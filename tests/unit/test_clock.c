/* test_clock.c -- the clock page: created, ticking, shared, removed. */
#include <criterion/criterion.h>
#include <fcntl.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#include "clock.h"
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

Test(clock, ticks_about_every_millisecond_and_is_seen_by_another_mapping)
{
	char *dir = tmpdir();
	clockpage c = {0};
	cr_assert_eq(clock_start(&c, dir), 0, "%s", error_msg());
	cr_assert_eq(clock_start(&c, dir), 0, "starting twice is harmless");
	/* the program's view: its own read-only mapping of the file */
	int fd = open(c.path, O_RDONLY);
	cr_assert_geq(fd, 0);
	volatile unsigned *seen = mmap(NULL, 4096, PROT_READ, MAP_SHARED, fd, 0);
	close(fd);
	cr_assert_neq((void *)seen, MAP_FAILED);
	unsigned a = *seen;
	sleep_ms(50);
	unsigned b = *seen;
	cr_assert_geq(b - a, 10, "50 ms gave %u ticks", b - a);
	cr_assert_leq(b - a, 60, "50 ms gave %u ticks", b - a);
	char *path = xstrdup(c.path);
	clock_stop(&c);
	cr_assert_null(c.path);
	cr_assert_eq(access(path, F_OK), -1, "the file is removed");
	unsigned d = *seen;
	sleep_ms(5);
	cr_assert_eq(*seen, d, "stopped");
	munmap((void *)seen, 4096);
	free(path);
	rmdir(dir);
	free(dir);
}

Test(clock, an_unusable_directory_is_an_error)
{
	clockpage c = {0};
	cr_assert_eq(clock_start(&c, "/nonexistent/dir"), -1);
	cr_assert(strstr(error_msg(), "/nonexistent/dir/clock") != NULL, "%s", error_msg());
	cr_assert_eq(c.running, 0);
	clock_stop(&c); /* harmless */
}
