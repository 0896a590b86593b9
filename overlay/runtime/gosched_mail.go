// gosched_mail.go -- the page the debugger shares with the program: its clock,
// the light checks' mailbox, and per breakpoint slot the compiled conditions'
// error counts and the ignore counts the hooks use up.
//
// The REPL creates the page (src/page.h has the C side of this layout) and
// names it in $GOSCHED_REPL_PAGE. Its thread advances `tick` every
// millisecond (dbgStamp). A light check of a Lua-tier breakpoint is posted
// in the mailbox as a binary record of the event and its own G, P and M:
// the REPL, spinning while the program runs, evaluates the conditions on it
// and answers in the page: skip, or snap (the full stop at once). If it does
// not answer within dbgSpinNanos (or the check does not fit the record) the
// check goes the socket's way: the JSON check message and the command loop.
// Checks come by the hundred thousand per second; a JSON message and two
// thread wake-ups per check cost some 20 us, the mailbox a few.

//go:build linux

package runtime

import (
	"internal/runtime/atomic"
	"unsafe"
)

// The layout's version; the REPL writes its version and record size in
// `accept`, and the mailbox is used only if both match.
const dbgMailVersion = 4

const (
	dbgMailIdle   = iota
	dbgMailPosted // the runtime posted a check: the REPL may answer
	dbgMailSkip   // the REPL's answer: no condition holds, resume
	dbgMailSocket // the REPL's answer: send the check on the socket
	dbgMailTaken  // the runtime gave up waiting: the check goes on the socket
	dbgMailSnap   // the REPL's answer: a condition holds, take the full stop now
)

const (
	dbgMailBPs    = 32
	dbgMailRunq   = 256
	dbgMailLabels = 16
	dbgMailStr    = 4096
	dbgPageSize   = 16384
)

type dbgPage struct {
	tick   uint32 // written by the REPL's clock thread
	_      uint32
	accept int64 // written by the REPL: dbgMailVersion<<32 | its size of dbgMailRec
	_      [48]byte
	state  uint32 // dbgMail*: the mailbox's handshake
	_      [60]byte
	rec    dbgMailRec
	slots  [dbgMaxBP]dbgPageSlot // by breakpoint slot: errors and ignore counts
}

// The page must hold dbgPage (a negative length does not compile).
var _ [dbgPageSize - unsafe.Sizeof(dbgPage{})]byte

// dbgPageSlot is one breakpoint slot's counts. n counts the errors of its
// compiled condition (where Lua would raise one: the condition is false),
// and text holds the message of the latest different one. A breakpoint of
// the runtime tier with hits to ignore has them in ignore (the REPL writes
// it while the program is stopped): a hit then uses one up and counts in
// ignored instead of stopping the program, so `ignore 1 100000` costs no
// stops. The REPL reads the slot whenever it likes, also after the program
// has exited.
type dbgPageSlot struct {
	id      int64  // the breakpoint's number (set, with the counts cleared, at install)
	n       uint64 // errors since
	ignore  int64  // hits still to ignore
	ignored uint64 // hits ignored since
	falsed  uint32 // its condition (a Lua-tier one's guard) was false at some event since (1)
	_       uint32
	seq     uint32 // even: text is whole; odd: being written
	len     uint32
	text    [dbgFailLen]byte
}

// dbgMailRec is a check: every field an int64; a string is off<<16 | len
// into str, or -1 for null; an id is -1 for none.
type dbgMailRec struct {
	check, seq, now int64 // the check's number, events so far, nanotime
	nbps            int64
	bps             [dbgMailBPs]int64 // the Lua-tier breakpoints to evaluate

	// The event: aux is parent (create), readier (ready), victim P (steal);
	// str is the wait reason (park), start function (exit), STW reason (gc).
	evKind, evTime, evG, evP, evM, evAux, evStr int64

	// Its goroutine (gID < 0: it has none, or the goroutine is gone).
	gID, gStatus, gWaitreason, gWaitsince, gSince, gParent       int64
	gStartfn, gCreatedby, gCreatedat, gSystem, gNlabels          int64
	gLabels                                                      [2 * dbgMailLabels]int64
	pID, pStatus, pSchedtick, pSyscalltick, pGfree, pTimers, pNq int64
	pRunq                                                        [dbgMailRunq]int64
	mID, mProcid, mSpinning, mBlocked, mIncgo                    int64

	nstr int64
	str  [dbgMailStr]byte
}

// dbgMapPage maps the shared page. Without it every event reads the CPU
// clock and every check takes the socket.
func dbgMapPage(path string) {
	dbgsched.tick, dbgsched.clockEvery = &dbgNoTick, 1
	var name [256]byte
	if path == "" || len(path) >= len(name) {
		return
	}
	copy(name[:], path)
	fd := open(&name[0], 2|0x80000, 0) // O_RDWR|O_CLOEXEC
	if fd < 0 {
		return
	}
	p, err := mmap(nil, dbgPageSize, _PROT_READ|_PROT_WRITE, 0x01, fd, 0) // MAP_SHARED
	closefd(fd)
	if err != 0 {
		return
	}
	pg := (*dbgPage)(p)
	dbgsched.tick, dbgsched.clockEvery = &pg.tick, dbgClockEvery
	if atomic.Load64((*uint64)(unsafe.Pointer(&pg.accept))) == dbgMailVersion<<32|uint64(unsafe.Sizeof(pg.rec)) {
		dbgsched.page = pg
	}
}

var dbgNoTick uint32

// dbgPageSlotReset: slot holds breakpoint id now, with no counts.
func dbgPageSlotReset(slot int, id int64) {
	if pg := dbgsched.page; pg != nil {
		e := &pg.slots[slot]
		atomic.Store64(&e.n, 0)
		atomic.Store64((*uint64)(unsafe.Pointer(&e.ignore)), 0)
		atomic.Store64(&e.ignored, 0)
		atomic.Store(&e.falsed, 0)
		atomic.And64(&dbgBreaks.falsed, ^uint64(1<<slot))
		e.len = 0
		atomic.Store64((*uint64)(unsafe.Pointer(&e.id)), uint64(id))
	}
}

// dbgFalse notes that the condition of the breakpoint in slot (of a
// Lua-tier one, its guard) was false at an event: it was checked there,
// for expect_never, whose evaluations may otherwise all have failed. Once
// per install: the hooks test dbgBreaks.falsed first.
func dbgFalse(slot uint8) {
	if slot >= dbgMaxBP || atomic.Load64(&dbgBreaks.falsed)&(1<<slot) != 0 { // (eval's is not installed)
		return
	}
	atomic.Or64(&dbgBreaks.falsed, 1<<slot)
	if pg := dbgsched.page; pg != nil && int(slot) < len(pg.slots) {
		atomic.Store(&pg.slots[slot].falsed, 1)
	}
}

// dbgIgnore takes out of hits (breakpoint slots whose condition held) those
// of the runtime tier that have a hit to ignore, and uses it up.
func dbgIgnore(hits uint64) uint64 {
	pg := dbgsched.page
	if pg == nil {
		return hits
	}
	for slot := range pg.slots {
		if hits&(1<<slot) == 0 || dbgBreaks.bp[slot].lua {
			continue
		}
		e := &pg.slots[slot]
		p := (*uint64)(unsafe.Pointer(&e.ignore))
		for {
			left := int64(atomic.Load64(p))
			if left <= 0 {
				break
			}
			if atomic.Cas64(p, uint64(left), uint64(left-1)) {
				atomic.Xadd64(&e.ignored, 1)
				hits &^= 1 << slot
				break
			}
		}
	}
	return hits
}

// dbgFault counts an error of the compiled condition in breakpoint slot
// slot, and writes its message if it differs from the last one's. (Any M
// may get here: the message is written under seq, by one M at a time.)
func dbgFault(slot uint8, f dbgFail) {
	pg := dbgsched.page
	if pg == nil || int(slot) >= len(pg.slots) {
		return // eval's program (dbgTmpSlot): its answer carries the error
	}
	e := &pg.slots[slot]
	atomic.Xadd64(&e.n, 1)
	if dbgBreaks.last[slot] == f {
		return
	}
	s := atomic.Load(&e.seq)
	if s&1 != 0 || !atomic.Cas(&e.seq, s, s+1) {
		return // another M writes one
	}
	dbgBreaks.last[slot] = f
	n := 0
	dbgFailText(f, func(s string) { n += copy(e.text[n:], s) })
	e.len = uint32(n)
	atomic.Store(&e.seq, s+2)
}

// dbgMail offers the current check in the mailbox and returns the REPL's
// answer there: dbgMailSkip, dbgMailSnap, or dbgMailSocket when the check
// must go on the socket (asked for, not answered in time, or no mailbox).
func dbgMail() uint32 {
	pg := dbgsched.page
	if pg == nil {
		return dbgMailSocket
	}
	dbgRate(cputicks(), nanotime())
	if !dbgFillMail(&pg.rec) {
		return dbgMailSocket
	}
	atomic.Store(&pg.state, dbgMailPosted)
	deadline := int64(0)
	for {
		if st := atomic.Load(&pg.state); st != dbgMailPosted {
			return st
		}
		now := nanotime()
		if deadline == 0 {
			deadline = now + dbgSpinNanos
		}
		if now >= deadline && atomic.Cas(&pg.state, dbgMailPosted, dbgMailTaken) {
			return dbgMailSocket // the REPL may be asleep: the socket wakes it
		}
		procyield(20)
	}
}

// dbgFillMail writes the check into r; false if it does not fit.
func dbgFillMail(r *dbgMailRec) bool {
	t := &dbgsched.trig
	r.check, r.seq, r.now = dbgsched.checks, int64(dbgsched.trigSeq), nanotime()
	r.nbps, r.nstr = 0, 0
	for i := range dbgBreaks.bp {
		if dbgsched.trigHits&(1<<uint(i)) != 0 {
			r.bps[r.nbps] = dbgBreaks.bp[i].id
			r.nbps++
		}
	}
	ok := true
	str := func(s string) int64 {
		n := int64(len(s))
		if r.nstr+n > dbgMailStr {
			ok = false
			return -1
		}
		copy(r.str[r.nstr:], s)
		ref := r.nstr<<16 | n
		r.nstr += n
		return ref
	}
	r.evKind, r.evTime, r.evG, r.evP, r.evM = int64(t.kind), dbgNanos(t.ticks), t.g, int64(t.p), t.m
	r.evAux, r.evStr = t.aux, -1
	switch t.kind {
	case evPark:
		r.evStr = str(waitReason(t.reason).String())
	case evExit:
		if v := dbgStartFn(uintptr(t.aux)); v.t == vStr {
			r.evStr = str(v.str())
		}
	case evGCStop, evGCStart:
		r.evStr = str(stwReason(t.aux).String())
	case evDeadlock:
		r.evStr = str(dbgDeadlockReason(t.aux))
	}
	// (end: aux is the exit code)
	ok = ok && dbgFillMailG(r, t, str)
	r.pID = -1
	if t.p >= 0 && int(t.p) < len(allp) {
		ok = ok && dbgFillMailP(r, allp[t.p], str)
	}
	mp := getg().m
	r.mID, r.mProcid = mp.id, int64(mp.procid)
	r.mSpinning, r.mBlocked, r.mIncgo = dbgBool(mp.spinning), dbgBool(mp.blocked), dbgBool(mp.incgo)
	return ok
}

// dbgFillMailG writes the event's goroutine as dbgWriteG would.
func dbgFillMailG(r *dbgMailRec, t *dbgEv, str func(string) int64) bool {
	r.gID = -1
	gp := dbgsched.trigGP.ptr()
	if t.g < 0 || gp == nil || int64(gp.goid) != t.g {
		return true // (gone by now: the REPL shows the full stop's stand-in)
	}
	status, wr := uint32(t.status), waitReason(t.reason)
	r.gID, r.gWaitsince, r.gParent = int64(gp.goid), gp.waitsince, int64(gp.parentGoid)
	r.gStatus = str(dbgStatusName(dbgGStatus[:], status))
	r.gWaitreason = -1
	if dbgWaiting(status, wr) {
		r.gWaitreason = str(wr.String())
	}
	r.gSince = 0
	if gp.dbgSince != 0 {
		r.gSince = dbgNanos(gp.dbgSince)
	}
	r.gStartfn, r.gCreatedby, r.gCreatedat = -1, -1, -1
	if v := dbgStartFn(gp.startpc); v.t == vStr {
		r.gStartfn = str(v.str())
	}
	if c := dbgPCInfo(dbgCreator(gp)); c != nil {
		var ok bool
		r.gCreatedby = str(c.name.str())
		if r.gCreatedat, ok = dbgMailFileLine(str, c); !ok {
			return false
		}
	}
	r.gSystem = dbgBool(isSystemGoroutine(gp, false))
	r.gNlabels = 0
	if gp.labels != nil {
		for _, l := range (*dbgLabelSet)(gp.labels).list {
			if r.gNlabels == dbgMailLabels {
				return false
			}
			r.gLabels[2*r.gNlabels], r.gLabels[2*r.gNlabels+1] = str(l.key), str(l.value)
			r.gNlabels++
		}
	}
	return true
}

// dbgMailFileLine stores "file:line" of a creation site (false: too long).
func dbgMailFileLine(str func(string) int64, c *dbgPCEntry) (int64, bool) {
	var buf [512]byte
	if int(c.file.i) > len(buf)-12 {
		return -1, false
	}
	n := copy(buf[:], c.file.str())
	buf[n] = ':'
	n++
	var digits [10]byte
	i := len(digits)
	for v := c.line; ; v /= 10 {
		i--
		digits[i] = byte('0' + v%10)
		if v < 10 {
			break
		}
	}
	n += copy(buf[n:], digits[i:])
	return str(dbgVal{t: vStr, i: int64(n), s: uintptr(unsafe.Pointer(&buf[0]))}.str()), true
}

// dbgFillMailP writes the event's P as dbgWriteP would.
func dbgFillMailP(r *dbgMailRec, pp *p, str func(string) int64) bool {
	r.pID = int64(pp.id)
	r.pStatus = str(dbgStatusName(dbgPStatus[:], pp.status))
	r.pSchedtick, r.pSyscalltick = int64(pp.schedtick), int64(pp.syscalltick)
	r.pGfree, r.pTimers = int64(pp.gFree.size), int64(pp.timers.len.Load())
	head, tail := atomic.Load(&pp.runqhead), atomic.Load(&pp.runqtail)
	r.pNq = 0
	for i := head; i != tail && i-head <= uint32(len(pp.runq)); i++ {
		if r.pNq == dbgMailRunq {
			return false
		}
		r.pRunq[r.pNq] = gid(pp.runq[i%uint32(len(pp.runq))].ptr())
		r.pNq++
	}
	return true
}

func dbgBool(b bool) int64 {
	if b {
		return 1
	}
	return 0
}
