/*
 * page.c -- the page shared with the program (see page.h).
 *
 * Reading the CPU clock costs a hook more than recording its event does
 * (20-30 ns on some virtual machines), so a P's events carry its last
 * reading until dbgsched.clockEvery events have passed or the clock has
 * moved: event times are then within about a millisecond of the truth, and
 * exact in order. The page is a small file in the REPL's private socket
 * directory, mapped shared by both processes; the clock thread writes only
 * the tick, the main thread only the mailbox's answers.
 */
#include "page.h"
#include "util.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#define PERIOD_NS 1000000L

static atomic_int stopping;

/* The layout the runtime's dbgPage has. */
_Static_assert(offsetof(struct page, accept) == 8, "page layout");
_Static_assert(offsetof(struct page, state) == 64, "page layout");
_Static_assert(offsetof(struct page, rec) == 128, "page layout");
_Static_assert(sizeof(struct page) <= PAGE_BYTES, "page size");

/* The ticking thread: one increment per period, until page_stop. */
static void *tick(void *arg)
{
	uint32_t *t = arg;
	struct timespec next;
	clock_gettime(CLOCK_MONOTONIC, &next);
	while (!atomic_load(&stopping)) {
		next.tv_nsec += PERIOD_NS;
		if (next.tv_nsec >= 1000000000L) {
			next.tv_nsec -= 1000000000L;
			next.tv_sec++;
		}
		clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &next, NULL);
		__atomic_fetch_add(t, 1, __ATOMIC_RELAXED);
	}
	return NULL;
}

/* Map the page of FD; NULL with error_set(). */
static void *map_page(int fd, const char *path)
{
	if (ftruncate(fd, PAGE_BYTES) < 0) {
		error_set("%s: %s", path, strerror(errno));
		return NULL;
	}
	void *p = mmap(NULL, PAGE_BYTES, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (p == MAP_FAILED) {
		error_set("mmap %s: %s", path, strerror(errno));
		return NULL;
	}
	return p;
}

/* Start the thread with every signal blocked: they are the main thread's. */
static int start_thread(sharedpage *c)
{
	sigset_t all, old;
	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, &old);
	pthread_t th;
	atomic_store(&stopping, 0);
	int err = pthread_create(&th, NULL, tick, &c->page->tick);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (err) {
		error_set("clock thread: %s", strerror(err));
		return -1;
	}
	c->thread = (unsigned long)th;
	c->running = 1;
	return 0;
}

int page_start(sharedpage *c, const char *dir)
{
	if (c->running)
		return 0;
	char *path = xasprintf("%s/page", dir);
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
	c->page = p;
	c->page->accept = (int64_t)MAIL_VERSION << 32 | (int64_t)sizeof(struct mail_rec);
	if (start_thread(c) < 0) {
		page_stop(c);
		return -1;
	}
	return 0;
}

void page_stop(sharedpage *c)
{
	if (c->running) {
		atomic_store(&stopping, 1);
		pthread_join((pthread_t)c->thread, NULL);
		c->running = 0;
	}
	if (c->page)
		munmap(c->page, PAGE_BYTES);
	c->page = NULL;
	if (c->path)
		unlink(c->path);
	free(c->path);
	c->path = NULL;
}

void page_reset(sharedpage *c)
{
	if (!c->page)
		return;
	__atomic_store_n(&c->page->state, MAIL_IDLE, __ATOMIC_SEQ_CST);
	memset(c->page->slots, 0, sizeof c->page->slots);
}

/* Breakpoint ID's slot, or NULL. */
static struct page_slot *slot_of(sharedpage *c, int id)
{
	for (int i = 0; c->page && i < PAGE_BPS; i++) {
		struct page_slot *e = &c->page->slots[i];
		if (__atomic_load_n(&e->id, __ATOMIC_ACQUIRE) == id)
			return e;
	}
	return NULL;
}

uint64_t page_errors(sharedpage *c, int id, char *msg, size_t size)
{
	if (msg && size)
		msg[0] = '\0';
	struct page_slot *e = slot_of(c, id);
	if (!e)
		return 0;
	uint64_t n = __atomic_load_n(&e->n, __ATOMIC_ACQUIRE);
	uint32_t seq = __atomic_load_n(&e->seq, __ATOMIC_ACQUIRE);
	if (msg && size && n && !(seq & 1)) {
		size_t len = e->len < PAGE_ERR_LEN ? e->len : PAGE_ERR_LEN;
		len = len < size - 1 ? len : size - 1;
		memcpy(msg, e->text, len);
		msg[len] = '\0';
		if (__atomic_load_n(&e->seq, __ATOMIC_ACQUIRE) != seq)
			msg[0] = '\0'; /* rewritten meanwhile */
	}
	return n;
}

int page_set_ignore(sharedpage *c, int id, long long n)
{
	struct page_slot *e = slot_of(c, id);
	if (!e)
		return 0;
	__atomic_store_n(&e->ignore, (int64_t)n, __ATOMIC_RELEASE);
	return 1;
}

int page_ignored(sharedpage *c, int id, uint64_t *ignored, long long *left)
{
	struct page_slot *e = slot_of(c, id);
	if (!e)
		return 0;
	*ignored = __atomic_load_n(&e->ignored, __ATOMIC_ACQUIRE);
	*left = __atomic_load_n(&e->ignore, __ATOMIC_ACQUIRE);
	return 1;
}

int page_falsed(sharedpage *c, int id)
{
	struct page_slot *e = slot_of(c, id);
	return e && __atomic_load_n(&e->falsed, __ATOMIC_ACQUIRE) != 0;
}

const struct mail_rec *page_posted(sharedpage *c)
{
	if (!c->page || __atomic_load_n(&c->page->state, __ATOMIC_ACQUIRE) != MAIL_POSTED)
		return NULL;
	return &c->page->rec;
}

int page_answer(sharedpage *c, enum mail_state answer)
{
	uint32_t posted = MAIL_POSTED;
	return __atomic_compare_exchange_n(&c->page->state, &posted, answer, 0, __ATOMIC_SEQ_CST,
					   __ATOMIC_SEQ_CST);
}
