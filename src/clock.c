/*
 * clock.c -- the clock page (see clock.h).
 *
 * Reading the CPU clock costs a hook more than recording its event does
 * (20-30 ns on some virtual machines), so a P's events carry its last
 * reading until dbgsched.clockEvery events have passed or this counter has
 * moved: event times are then within about a millisecond of the truth, and
 * exact in order. The page is a small file in the REPL's private socket
 * directory, mapped shared by both processes; only this thread writes it.
 */
#include "clock.h"
#include "util.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#define PAGE 4096
#define PERIOD_NS 1000000L

static atomic_int stopping;

/* The ticking thread: one increment per period, until clock_stop. */
static void *tick(void *arg)
{
	_Atomic unsigned *t = arg;
	struct timespec next;
	clock_gettime(CLOCK_MONOTONIC, &next);
	while (!atomic_load(&stopping)) {
		next.tv_nsec += PERIOD_NS;
		if (next.tv_nsec >= 1000000000L) {
			next.tv_nsec -= 1000000000L;
			next.tv_sec++;
		}
		clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &next, NULL);
		atomic_fetch_add_explicit(t, 1, memory_order_relaxed);
	}
	return NULL;
}

/* Map the page of FD; NULL with error_set(). */
static void *map_page(int fd, const char *path)
{
	if (ftruncate(fd, PAGE) < 0) {
		error_set("%s: %s", path, strerror(errno));
		return NULL;
	}
	void *p = mmap(NULL, PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (p == MAP_FAILED) {
		error_set("mmap %s: %s", path, strerror(errno));
		return NULL;
	}
	return p;
}

/* Start the thread with every signal blocked: they are the main thread's. */
static int start_thread(clockpage *c)
{
	sigset_t all, old;
	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, &old);
	pthread_t th;
	atomic_store(&stopping, 0);
	int err = pthread_create(&th, NULL, tick, (void *)c->tick);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (err) {
		error_set("clock thread: %s", strerror(err));
		return -1;
	}
	c->thread = (unsigned long)th;
	c->running = 1;
	return 0;
}

int clock_start(clockpage *c, const char *dir)
{
	if (c->running)
		return 0;
	char *path = xasprintf("%s/clock", dir);
	int fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
	if (fd < 0) {
		error_set("%s: %s", path, strerror(errno));
		free(path);
		return -1;
	}
	void *p = map_page(fd, path);
	close(fd);
	if (!p) {
		unlink(path);
		free(path);
		return -1;
	}
	c->path = path;
	c->tick = p;
	if (start_thread(c) < 0) {
		clock_stop(c);
		return -1;
	}
	return 0;
}

void clock_stop(clockpage *c)
{
	if (c->running) {
		atomic_store(&stopping, 1);
		pthread_join((pthread_t)c->thread, NULL);
		c->running = 0;
	}
	if (c->tick)
		munmap((void *)c->tick, PAGE);
	c->tick = NULL;
	if (c->path)
		unlink(c->path);
	free(c->path);
	c->path = NULL;
}
