/*
 * page.h -- the page the REPL shares with the program: a clock a thread
 * advances every millisecond, the mailbox of light checks, and per
 * breakpoint slot the error counts of the compiled conditions and the
 * ignore counts the runtime uses up.
 *
 * The runtime's hooks read the CPU clock only every few events; the clock
 * tells them when time has passed, at the cost of one memory load. A light
 * check of a Lua-tier breakpoint is posted in the mailbox as a binary
 * record; the REPL, spinning while the program runs, answers skip there, or
 * asks for the check on the socket. The layout mirrors dbgPage in
 * overlay/runtime/gosched_mail.go; `accept` tells the runtime the REPL's
 * version of it, and the mailbox is used only if they agree.
 */
#ifndef GOSCHED_PAGE_H
#define GOSCHED_PAGE_H

#include <stddef.h>
#include <stdint.h>

#define MAIL_VERSION 4
#define MAIL_BPS 32
#define MAIL_RUNQ 256
#define MAIL_LABELS 16
#define MAIL_STR 4096
#define PAGE_BYTES 16384
#define PAGE_BPS 32     /* the runtime's breakpoint slots (dbgMaxBP) */
#define PAGE_ERR_LEN 112 /* dbgFailLen */

/* The handshake: the runtime posts; the REPL answers skip (resume), snap
 * (take the full stop now) or socket (send the check there); or the runtime
 * stops waiting (taken: the check comes on the socket). */
enum mail_state { MAIL_IDLE, MAIL_POSTED, MAIL_SKIP, MAIL_SOCKET, MAIL_TAKEN, MAIL_SNAP };

/* A check: every field an int64; a string is off << 16 | len into str, or
 * -1 for null; an id is -1 for none. */
struct mail_rec {
	int64_t check, seq, now; /* the check's number, events so far, nanotime */
	int64_t nbps, bps[MAIL_BPS];
	/* the event: aux is the parent (create), readier (ready, 0: none) or
	 * victim P (steal); str the wait reason (park), start function (exit)
	 * or STW reason (gcstop, gcstart) or what a deadlock will say */
	int64_t ev_kind, ev_time, ev_g, ev_p, ev_m, ev_aux, ev_str;
	/* its goroutine (g_id < 0: none, or gone) */
	int64_t g_id, g_status, g_waitreason, g_waitsince, g_since, g_parent;
	int64_t g_startfn, g_createdby, g_createdat, g_system, g_nlabels;
	int64_t g_labels[2 * MAIL_LABELS];
	/* its P (p_id < 0: none) */
	int64_t p_id, p_status, p_schedtick, p_syscalltick, p_gfree, p_timers, p_nrunq;
	int64_t p_runq[MAIL_RUNQ];
	/* the M that saw it */
	int64_t m_id, m_procid, m_spinning, m_blocked, m_incgo;
	int64_t nstr;
	char str[MAIL_STR];
};

/* One breakpoint slot of the runtime: the errors of its compiled condition
 * (the runtime counts them and keeps the message of the latest different
 * one, written under seq: odd while it is), and the hits of a runtime-tier
 * breakpoint still to ignore (the REPL writes it while the program is
 * stopped) and ignored since it was installed (the runtime uses them up). */
struct page_slot {
	int64_t id;  /* the breakpoint's number (the counts cleared when it is set) */
	uint64_t n;
	int64_t ignore;
	uint64_t ignored;
	uint32_t falsed, pad; /* its condition (a Lua-tier one's guard) was false at some event (1) */
	uint32_t seq, len;
	char text[PAGE_ERR_LEN];
};

struct page {
	uint32_t tick; /* the clock thread's */
	uint32_t pad0;
	int64_t accept; /* MAIL_VERSION << 32 | sizeof(struct mail_rec) */
	char pad1[48];
	uint32_t state; /* enum mail_state: the mailbox's handshake */
	char pad2[60];
	struct mail_rec rec;
	struct page_slot slots[PAGE_BPS]; /* by the runtime's breakpoint slot */
};

typedef struct sharedpage {
	char *path;        /* the file the program maps (GOSCHED_REPL_PAGE) */
	struct page *page; /* mapped; NULL when not started */
	int running;       /* the clock thread was started */
	unsigned long thread; /* its pthread_t */
} sharedpage;

/* Create DIR/page and start its clock (idempotent); -1 with error_set(). */
int page_start(sharedpage *p, const char *dir);

/* Stop the clock, unmap and remove the file. */
void page_stop(sharedpage *p);

/* Empty the mailbox (a new program is launched). */
void page_reset(sharedpage *p);

/* The check posted in the mailbox, or NULL. */
const struct mail_rec *page_posted(sharedpage *p);

/* The errors the runtime counted for breakpoint ID's compiled condition
 * since it was installed (0 if none, or no page), and, if MSG (SIZE bytes)
 * is given, the latest message (empty if it was being written). */
uint64_t page_errors(sharedpage *p, int id, char *msg, size_t size);

/* Breakpoint ID's slot, if the runtime installed it: set the hits left to
 * ignore to N (1), or 0 if there is no slot. */
int page_set_ignore(sharedpage *p, int id, long long n);

/* The hits the runtime ignored for breakpoint ID since it was installed,
 * and in *LEFT those it has still to ignore: 1, or 0 if there is no slot. */
int page_ignored(sharedpage *p, int id, uint64_t *ignored, long long *left);

/* Was the condition of breakpoint ID (of a Lua-tier one, its guard) false
 * at some event since it was set: was it checked there? */
int page_falsed(sharedpage *p, int id);

/* Answer the posted check (MAIL_SKIP, MAIL_SNAP or MAIL_SOCKET): 1 if the program
 * took the answer, 0 if it stopped waiting (the check then comes on the
 * socket). */
int page_answer(sharedpage *p, enum mail_state answer);

#endif
