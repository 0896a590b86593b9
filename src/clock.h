/*
 * clock.h -- the clock page: a page shared with the program whose counter a
 * thread of the REPL advances every millisecond. The runtime's hooks read
 * the CPU clock only every few events; the counter tells them when time has
 * passed since the last reading, at the cost of one memory load.
 */
#ifndef GOSCHED_CLOCK_H
#define GOSCHED_CLOCK_H

typedef struct clockpage {
	char *path;             /* the file the program maps (GOSCHED_REPL_CLOCK) */
	volatile unsigned *tick; /* the mapped counter; NULL when not running */
	int running;            /* the ticking thread was started */
	unsigned long thread;   /* its pthread_t */
} clockpage;

/* Create DIR/clock and start ticking it (idempotent); -1 with error_set(). */
int clock_start(clockpage *c, const char *dir);

/* Stop the thread, unmap and remove the file. */
void clock_stop(clockpage *c);

#endif
