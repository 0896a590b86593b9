// gosched_debug.go -- the target half of gosched-repl, added to package runtime.
//
// The hook sites in overlay/sites.conf call dbgEvent when a debugger is
// attached (dbgsched.on != 0: the one branch a hook costs otherwise). Each
// event goes into its P's history ring; when it completes a `step`, fires a
// breakpoint (gosched_filter.go) or the debugger asks (SIGURG, Ctrl-C), the
// M that saw it stops the program in place:
//
//  1. it freezes every other M: a signal (sigPreempt) to each thread, whose
//     handler parks on a futex until the stop ends. Nothing is preempted or
//     requeued, so the scheduler stays exactly as it was at the event;
//  2. it encodes the snapshot (sched, allp, allm, allgs) as JSON lines into
//     a static buffer written to the control socket as it fills, reading
//     runtime state without taking any lock (frozen Ms may hold them);
//  3. it reads commands from the socket until one resumes the program.
//
// A Lua-tier breakpoint gets a light check instead: only this M waits, and
// the freeze happens if the debugger asks for the whole snapshot.
//
// Everything here runs on g0 or gsignal, allocates nothing and writes no
// pointers (no write barriers): the hooks are reached from nowritebarrierrec
// code. See docs/ARCHITECTURE.md and docs/PROTOCOL.md.

//go:build linux

package runtime

import (
	"internal/abi"
	"internal/goarch"
	"internal/runtime/atomic"
	"internal/runtime/sys"
	"unsafe"
)

// dbgMarker lets gosched-repl recognise an overlay-built binary.
const dbgMarker = "gosched-repl-overlay-v1"

// Event kinds; the names are user-facing (docs/PROTOCOL.md).
const (
	evAny = iota
	evCreate
	evStart
	evPark
	evReady
	evExit
	evPreempt
	evYield
	evSyscall
	evSysret
	evSteal
	evHandoff
	evGCStop
	evGCStart
	evDeadlock  // the runtime found every goroutine asleep: it dies next
	evEnd       // the program ends normally: main returned, or os.Exit
	evInterrupt // not a scheduler event: the user pressed Ctrl-C
	evCount
)

var dbgEvNames = [evCount]string{"any", "create", "start", "park", "ready", "exit", "preempt",
	"yield", "syscall", "sysret", "steal", "handoff", "gcstop", "gcstart", "deadlock", "end", "interrupt"}

var dbgGStatus = [...]string{
	_Gidle: "idle", _Grunnable: "runnable", _Grunning: "running", _Gsyscall: "syscall",
	_Gwaiting: "waiting", _Gmoribund_unused: "moribund", _Gdead: "dead", _Genqueue_unused: "enqueue",
	_Gcopystack: "copystack", _Gpreempted: "preempted", _Gleaked: "leaked", _Gdeadextra: "deadextra",
}

var dbgPStatus = [...]string{"idle", "running", "syscall", "gcstop", "dead"}

// dbgWaiting: a goroutine of status st has wait reason wr (else the
// model's waitreason is nil).
func dbgWaiting(st uint32, wr waitReason) bool {
	return (st == _Gwaiting || st == _Gleaked) && wr != waitReasonZero
}

// dbgStatusName is status st's name in names, or "unknown".
func dbgStatusName(names []string, st uint32) string {
	if st < uint32(len(names)) {
		return names[st]
	}
	return "unknown"
}

// dbgEv is one scheduler event as the hook saw it (scalars only: it is
// written from nowritebarrierrec code and lives in non-GC memory).
type dbgEv struct {
	ticks  int64 // cputicks() at the hook: cheap, ordered across Ps; dbgNanos converts
	g      int64 // goroutine id, -1 none
	m      int64 // M id
	aux    int64 // create: parent; ready: readier (0 none); steal: victim P; gc*: stw reason; exit: startpc
	p      int32 // P id, -1 none
	kind   uint8
	reason uint8 // the goroutine's waitReason at the hook
	status uint8 // the goroutine's status at the hook
}

// Event history: one ring per P (single writer: the M holding that P) and a
// shared ring for events seen without a P or on Ps beyond dbgPRings.
const (
	dbgRingLen    = 4096
	dbgPRings     = 64
	dbgClockEvery = 128 // default of dbgsched.clockEvery
)

type dbgRing struct {
	n     uint64 // events ever written (read with atomic.Load64: a stop reads other Ps' rings)
	from  uint64 // n when history was last turned on: older events are not history
	last  int64  // time of the last event (dbgStamp)
	next  uint64 // n at which the clock is read again (dbgStamp)
	epoch uint32 // *dbgsched.tick at the last read
	ev    [dbgRingLen]dbgEv
}

type dbgState struct {
	_ [64]byte // (lines of its own: no other variable's writes evict the hooks' reads)

	// Read by the hooks at every event; written at attach, or while the
	// program is stopped.
	on         atomic.Uint32           // a debugger is attached: the branch every hook tests
	quiet      uint32                  // history is off: events are counted, not recorded (dbgRecord)
	ended      uint32                  // the program is exiting: no event after the end (dbgEnd)
	hitting    uint32                  // Ms taking the stop or check of a hit (dbgEventHit)
	deadlocked uint32                  // a deadlock event was recorded (dbgDeadlockOnce)
	step       atomic.Uint64           // the pending step: generation, kind, events left (dbgStepWord)
	freeze     uint32                  // futex word: the stop's generation while Ms must stay frozen, else 0
	tick       *uint32                 // the shared page's clock: advances every millisecond (dbgMapPage)
	clockEvery int32                   // a P reads the CPU clock every this many events (dbgStamp)
	rings      *[dbgPRings + 1]dbgRing // sysAlloc'd at attach; never freed
	page       *dbgPage                // the page shared with the debugger (nil: none, or no mailbox)
	fd         int32                   // control socket
	replPid    int32                   // the debugger's pid: its SIGURG asks for a stop
	_          [64]byte

	// Written by the M that takes a stop or a check (at every light check).
	stopping    atomic.Uint32 // an M holds (or is taking) the stop
	intrPending atomic.Uint32 // a Ctrl-C came while a stop was under way (dbgInterrupt)
	stopper     atomic.Int64  // that M's id, so its own signals do not freeze it
	joined      atomic.Int32  // Ms that joined the current freeze
	lastGen     uint32        // generation of the last stop
	nextKind    uint32        // the step the last command asked for, armed by dbgArm
	nextLeft    int64         // (0: none)
	trig        dbgEv
	trigSeq     uint64   // events recorded up to and including the trigger
	lastSeq     uint64   // the last stop's trigSeq
	trigStep    bool     // the trigger completed the step
	trigHits    uint64   // breakpoint slots whose condition held at the trigger
	trigGP      guintptr // the trigger's goroutine while it is held (allgs keeps it alive)
	held        bool     // the other Ms are frozen (not just this one waiting)
	mark        uint32   // numbers stop messages, for g.dbgMark
	checks      int64    // light checks taken: numbers them in the mailbox and on the socket
	tick0       int64    // cputicks() and nanotime() at attach, for dbgNanos
	nano0       int64
	tick1       int64 // cputicks() when the rate was last measured (dbgRate)
	nsegs       int   // dbgNanos's pieces so far
	segs        [64]dbgSeg
	_           [64]byte
}

var dbgsched dbgState

// Where each frozen M was interrupted, for backtraces of running goroutines.
const dbgMaxM = 1024

var dbgFrozenAt [dbgMaxM]dbgFrozen

type dbgFrozen struct {
	gen        uint32 // the stop generation this M is parked in (0: not parked)
	g          int64  // goid the signal interrupted (-1: the M was not running curg)
	pc, sp, lr uintptr
}

// init connects to the debugger named by $GOSCHED_REPL_SOCK, if any, and
// waits for its first command (start = step 1, run = cont).
func init() {
	path := gogetenv("GOSCHED_REPL_SOCK")
	if path == "" {
		return
	}
	pid, page := gogetenv("GOSCHED_REPL_PID"), gogetenv("GOSCHED_REPL_PAGE")
	target := dbgNumber([]byte(gogetenv("GOSCHED_REPL_TARGET")))
	dbgDropEnv()
	if target != int64(getpid()) {
		return // a process the debugged program started: it inherited the variables
	}
	if !dbgConnect(path) {
		return
	}
	dbgsched.replPid = int32(dbgNumber([]byte(pid)))
	dbgsched.rings = (*[dbgPRings + 1]dbgRing)(sysAlloc(unsafe.Sizeof(*dbgsched.rings), &memstats.other_sys, "gosched-repl history"))
	if dbgsched.rings == nil {
		dbgDetach()
		return
	}
	dbgsched.tick0, dbgsched.nano0 = cputicks(), nanotime()
	dbgMapPage(page)
	// The first commands (breakpoints, then start or run) are served with
	// preemption off and the stop held: nothing may schedule or stop here.
	mp := acquirem()
	dbgsched.stopping.Store(1)
	dbgsched.stopper.Store(mp.id)
	dbgsched.on.Store(1)
	gp := getg()
	asked := gp.preempt
	dbgHello()
	dbgCommandLoop()
	// Waiting for the debugger's first command is not the program running:
	// undo what sysmon made of it (a time slice used up, a preemption
	// request), so the debugger starts the program as it would have run.
	if !asked && gp.preempt {
		gp.preempt = false
		gp.stackguard0 = gp.stack.lo + stackGuard
	}
	dbgHideStop(nanotime() - dbgsched.nano0)
	dbgsched.stopper.Store(-1)
	dbgsched.stopping.Store(0)
	dbgArm()
	releasem(mp)
}

// dbgDropEnv takes the debugger's variables out of the program's
// environment (before package syscall copies it): the program does not see
// them, nor does a program it starts, or the image it execs in its place
// (the same pid, which would wait for a debugger that serves no one).
func dbgDropEnv() {
	const prefix = "GOSCHED_REPL_"
	kept := envs[:0:0]
	for _, kv := range envs {
		if len(kv) < len(prefix) || kv[:len(prefix)] != prefix {
			kept = append(kept, kv)
		}
	}
	envs = kept
}

// dbgMStart is called by a new thread as soon as it can take signals: a
// thread born while a stop is being taken joins the freeze (it may have
// been too young to be signalled).
//
//go:nosplit
//go:nowritebarrierrec
func dbgMStart(mp *m) {
	if atomic.Load(&dbgsched.freeze) != 0 {
		dbgFreeze(mp, nil, nil)
	}
}

var dbgAddr struct {
	family uint16
	path   [108]byte
}

// dbgConnect opens the control socket; on any failure the program runs
// undebugged.
func dbgConnect(path string) bool {
	if len(path) >= len(dbgAddr.path) {
		return false
	}
	dbgAddr.family = 1 // AF_UNIX
	copy(dbgAddr.path[:], path)
	fd := socket(1, 1|0x80000|0x800, 0) // AF_UNIX, SOCK_STREAM|SOCK_CLOEXEC|SOCK_NONBLOCK
	if fd < 0 {
		return false
	}
	if connect(fd, unsafe.Pointer(&dbgAddr), int32(unsafe.Sizeof(dbgAddr))) < 0 {
		closefd(fd)
		return false
	}
	dbgsched.fd = fd
	return true
}

func dbgHello() {
	w := &dbgOut
	w.reset()
	w.raw(`{"type":"hello","proto":1,"marker":"`)
	w.raw(dbgMarker)
	w.raw(`","pid":`)
	w.int(int64(getpid()))
	w.raw(`,"goversion":`)
	w.str(buildVersion)
	w.raw(`,"gomaxprocs":`)
	w.int(int64(gomaxprocs))
	w.raw(`,"histlen":`)
	w.int(dbgRingLen)
	w.raw("}\n")
	w.flush()
}

// dbgEvent records one scheduler event of the current M's goroutine gp.
func dbgEvent(kind uint32, gp *g, aux int64) {
	pp := getg().m.p.ptr()
	dbgEventP(kind, gp, pp, pp, aux)
}

// dbgEventP records an event about P pp into the ring of hp, the P this M
// holds (nil: none; pp is hp but for handoff), and stops the program if a
// breakpoint fires or the event completes the pending step. Every hooked
// event runs it, so its usual path (record into this P's ring; nothing
// wants this kind) calls nothing. The rare paths (a stop's freeze to join,
// no ring yet, the clock to read) are dbgEventSlot; an event that a
// breakpoint (its kind, and for a park its wait reason: dbgParkMask) or a
// step wants goes on to dbgEventWatched. With history off (dbgRecord) the
// ring only counts events.
func dbgEventP(kind uint32, gp *g, hp, pp *p, aux int64) {
	if dbgsched.ended != 0 && kind != evEnd {
		return
	}
	st := dbgsched.step.Load() // (before the event is recorded: dbgStepCount)
	// Wanted: by the step, or by a breakpoint evaluated at this kind (at a
	// park, at its wait reason; a park none is evaluated at is noted). As
	// the step, the breakpoints as they were when it happened: a stop this
	// M joins below may change them, and apply to the events after it.
	wanted := st&dbgStepLeft != 0 || dbgBreaks.kinds.Load()&(1<<(kind&31)) != 0 && (kind != evPark ||
		dbgBreaks.parks&dbgParkBit(uint8(readgstatus(gp)&^_Gscan), uint8(gp.waitreason)) != 0 || !dbgBreaks.noted && dbgNoteSkip())
	var r *dbgRing
	if hp != nil {
		r = (*dbgRing)(unsafe.Pointer(hp.dbgRing))
	}
	var ev *dbgEv
	var t int64
	if dbgsched.quiet != 0 && r != nil && atomic.Load(&dbgsched.freeze) == 0 {
		// History off: the event is counted (stops number events) but
		// not written, which is most of what an event costs. A goroutine
		// whose state changes is dated with its P's clock as last read,
		// at most a millisecond ago (history on dates it exactly). An
		// event that is wanted is written, for dbgEventWatched, in its
		// slot, dated just after that reading. (dbgRecord keeps these
		// slots out of history.)
		ev = &r.ev[r.n%dbgRingLen]
		r.n++
		if tick := atomic.Load(dbgsched.tick); r.epoch != tick {
			r.epoch, r.last = tick, max(r.last, dbgClock())
		}
		if gp != nil && 1<<(kind&31)&dbgStateKinds != 0 {
			gp.dbgSince = max(gp.dbgSince, r.last)
		}
		if !wanted {
			return
		}
		t = r.last + 1
	} else if r != nil && r.n < r.next && r.epoch == atomic.Load(dbgsched.tick) && atomic.Load(&dbgsched.freeze) == 0 {
		// Only the M holding the P writes its ring: plain stores (an
		// atomic one would be a locked instruction on every event).
		ev = &r.ev[r.n%dbgRingLen]
		r.n++
		t = max(r.last, dbgLatest.t.Load()) + 1
		// The slots ahead are in lines this P wrote a ring ago, long
		// out of its L1: fetch them now, or the next atomic instruction
		// after the hook (a lock, a status CAS) waits for the miss. (~4 %
		// of a ping-pong round trip; past the ring's end it fetches a
		// neighbour's lines, which is harmless.)
		sys.Prefetch(uintptr(unsafe.Pointer(ev)) + 3*unsafe.Sizeof(dbgEv{}))
	} else {
		ev, t, r = dbgEventSlot(hp)
	}
	ev.kind, ev.m, ev.aux, ev.p = uint8(kind), getg().m.id, aux, -1
	if pp != nil {
		ev.p = pp.id
	}
	if gp == nil {
		ev.g, ev.reason, ev.status = -1, 0, 0
	} else {
		// Later than gp's last state change, so that a P's late clock
		// never puts an event before its cause.
		t = max(t, gp.dbgSince+1)
		ev.g, ev.reason, ev.status = int64(gp.goid), uint8(gp.waitreason), uint8(readgstatus(gp)&^_Gscan)
		if 1<<(kind&31)&dbgStateKinds != 0 {
			gp.dbgSince = t
		}
	}
	ev.ticks = t
	if r != nil {
		r.last = t
	}
	if wanted {
		dbgEventWatched(ev, gp, pp, st)
	}
}

// dbgRecord turns history on or off (while the program is stopped). On, it
// starts afresh: the events counted before it are not history (while it
// was off, their slots were not written).
func dbgRecord(args []byte) {
	word, _ := dbgWord(args)
	switch string(word) {
	case "off":
		if dbgsched.tick == &dbgNoTick { // (its refresh of since needs the page's clock)
			dbgError("record: history stays on without the shared page")
			return
		}
		dbgsched.quiet = 1
	case "on":
		if dbgsched.quiet != 0 {
			for i := range dbgsched.rings {
				dbgsched.rings[i].from = dbgsched.rings[i].n
			}
		}
		dbgsched.quiet = 0
	default:
		dbgError("record: want on or off")
		return
	}
	dbgOut.reset()
	dbgOut.raw(`{"type":"ok"}` + "\n")
	dbgOut.flush()
}

// The pending step is one word, read before the event is recorded, so
// that an event counts only against the step armed when it happened: a
// thread held up between there and counting (the OS ran something else; a
// stop froze it) finds the generation changed and counts nothing, where
// it would have counted its old event against the next step and stopped
// the program at an event from before the last stop.
const (
	dbgStepLeft  = 1<<40 - 1 // events still to count (0: no step)
	dbgStepKind  = 40        // shift: the kind the step counts (evAny: every kind)
	dbgStepGen   = 48        // shift: the arming's generation
	dbgStepLimit = dbgStepLeft
)

// dbgStepWord is a step of n events of the kind, in the generation after w's.
func dbgStepWord(w uint64, kind uint32, n int64) uint64 {
	return (w>>dbgStepGen+1)<<dbgStepGen | uint64(kind&0xff)<<dbgStepKind | uint64(n)&dbgStepLeft
}

// dbgStepCount counts an event of the kind against the step of word w, read
// when it happened: true if it is the step's last.
func dbgStepCount(w uint64, kind uint32) bool {
	for w&dbgStepLeft != 0 {
		if k := uint32(w>>dbgStepKind) & 0xff; k != evAny && k != kind {
			return false
		}
		if dbgsched.step.CompareAndSwap(w, w-1) {
			return w&dbgStepLeft == 1
		}
		now := dbgsched.step.Load()
		if now>>dbgStepGen != w>>dbgStepGen {
			return false // disarmed or armed again since: not this step's event
		}
		w = now
	}
	return false
}

// dbgStepDisarm ends the pending step (a new generation, no events left).
func dbgStepDisarm() {
	dbgsched.step.Store(dbgStepWord(dbgsched.step.Load(), 0, 0))
}

// dbgEventSlot is dbgEventP's rare path to a slot for the event and the
// least time it may have: it joins a stop being taken first (so the gap
// between trigger and stop stays small), gives P hp its ring, reads the
// clock, or takes a slot of the shared ring (r nil: the caller must not
// write r.last, which several Ms share).
func dbgEventSlot(hp *p) (ev *dbgEv, t int64, r *dbgRing) {
	if atomic.Load(&dbgsched.freeze) != 0 {
		dbgFreeze(getg().m, nil, nil)
	}
	if hp == nil || hp.dbgRing == 0 && !dbgRingOf(hp) {
		sr := &dbgsched.rings[dbgPRings]
		return &sr.ev[(atomic.Xadd64(&sr.n, 1)-1)%dbgRingLen], dbgClock(), nil
	}
	r = (*dbgRing)(unsafe.Pointer(hp.dbgRing))
	t = max(r.last, dbgLatest.t.Load()) + 1
	if r.n >= r.next || r.epoch != atomic.Load(dbgsched.tick) {
		t = dbgStamp(r, t)
	}
	ev = &r.ev[r.n%dbgRingLen]
	r.n++
	return ev, t, r
}

// dbgRingOf gives P hp its history ring, if its id has one (else its
// events go to the shared ring), at its first event.
func dbgRingOf(hp *p) bool {
	if uint32(hp.id) >= dbgPRings {
		return false
	}
	hp.dbgRing = uintptr(unsafe.Pointer(&dbgsched.rings[hp.id]))
	return true
}

// The kinds that change a goroutine's state (and so its dbgSince).
const dbgStateKinds = 1<<evCreate | 1<<evStart | 1<<evPark | 1<<evReady | 1<<evPreempt |
	1<<evYield | 1<<evSyscall | 1<<evSysret

// dbgEventHit counts the pending step; if it completes, or breakpoints
// fired (hits: their slots, decided with the plan of generation gen), it
// takes the stop (or the light check).
func dbgEventHit(ev *dbgEv, kind uint32, gp *g, mp *m, hits, st uint64, gen uint32) {
	step := dbgStepCount(st, kind)
	if hits == 0 && !step {
		return
	}
	atomic.Xadd(&dbgsched.hitting, 1) // (the end waits for it: dbgEnd)
	dbgTakeHit(ev, kind, gp, mp, hits, step, gen)
	atomic.Xadd(&dbgsched.hitting, -1)
}

// dbgTakeHit is dbgEventHit's stop (or light check) for a hit.
func dbgTakeHit(ev *dbgEv, kind uint32, gp *g, mp *m, hits uint64, step bool, gen uint32) {
	// The events so far, now: other threads may run on before this one
	// gets the stop (the OS can hold it off for milliseconds), and their
	// events are the stop's gap, not before its trigger.
	seq := dbgEventCount()
	// One M holds the program at a time. Wait for the one that does (it
	// may be in a light check, or freezing us): every hit gets its stop.
	for !dbgsched.stopping.CompareAndSwap(0, 1) {
		dbgWaitTurn(mp)
	}
	// While it waited, a stop may have changed the breakpoints: a hit of
	// one removed or installed anew since was decided by a condition that
	// is gone (a condition since replaced would stop the program where the
	// new one is false). A new one applies to the events after that stop.
	if gen != dbgBreaks.gen {
		if hits = dbgStillHits(hits, gen); hits == 0 && !step {
			dbgsched.stopping.Store(0)
			return
		}
	}
	dbgsched.stopper.Store(mp.id)
	if step {
		dbgStepDisarm()
	}
	// A fresh clock reading for the stop's event: its P may date events
	// from a reading up to a millisecond old, which would put the stop's
	// event before events other Ps recorded before it (history would not
	// end with it).
	if t := dbgClock(); t > ev.ticks {
		if gp != nil && gp.dbgSince == ev.ticks {
			gp.dbgSince = t
		}
		ev.ticks = t
	}
	dbgsched.trig = *ev
	dbgsched.trigGP.set(gp)
	dbgsched.trigStep = step
	dbgsched.trigHits = hits
	dbgsched.trigSeq = max(seq, dbgsched.lastSeq) // (not before a stop it waited for)
	dbgsched.lastSeq = dbgsched.trigSeq
	if !step && dbgLuaOnly(hits) {
		systemstack(dbgCheck)
	} else {
		systemstack(dbgStop)
	}
}

// dbgEventCount is the number of events recorded since attach.
func dbgEventCount() uint64 {
	n := uint64(0)
	for i := range dbgsched.rings {
		n += atomic.Load64(&dbgsched.rings[i].n)
	}
	return n
}

// dbgSeg is a piece of the conversion from cputicks to nanotime: from
// tick t on, nanotime n plus r per tick.
type dbgSeg struct {
	t, n int64
	r    float64
}

// dbgNanos converts cputicks to nanotime (ticks are invariant-TSC reads on
// amd64). The conversion is one fixed function, pieces of lines joined
// end to end, each with the rate measured from attach to where it starts
// (dbgRate): a tick count converts alike whenever it is asked, and later
// ticks never convert to earlier times, so events stay in order.
func dbgNanos(t int64) int64 {
	i := dbgsched.nsegs - 1
	for i > 0 && t < dbgsched.segs[i].t {
		i--
	}
	if i < 0 {
		return dbgsched.nano0
	}
	s := &dbgsched.segs[i]
	return s.n + int64(float64(t-s.t)*s.r)
}

// dbgRate measures the tick rate again at a stop or a check that comes at
// ticks (nanotime nano), if the time since attach has doubled since the
// last measure (so the rate is measured over at least half of it, and the
// pieces are few), and starts dbgNanos's next piece there, where the last
// one ends. Events are converted as their checks and stops come; a new rate
// for all ticks at every check swapped events converted at different
// checks (a probe saw a goroutine start before it was created).
func dbgRate(ticks, nano int64) {
	if ticks <= dbgsched.tick0 || ticks-dbgsched.tick0 < 2*(dbgsched.tick1-dbgsched.tick0) ||
		dbgsched.nsegs == len(dbgsched.segs) {
		return
	}
	r := float64(nano-dbgsched.nano0) / float64(ticks-dbgsched.tick0)
	if dbgsched.nsegs == 0 {
		dbgsched.segs[0] = dbgSeg{dbgsched.tick0, dbgsched.nano0, r}
	} else {
		dbgsched.segs[dbgsched.nsegs] = dbgSeg{ticks, dbgNanos(ticks), r}
	}
	dbgsched.nsegs++
	dbgsched.tick1 = ticks
}

// dbgStamp reads the clock for ring r's P; t is the least time the next
// event may have. Reading the CPU clock costs more than recording an event
// (20-30 ns on some VMs), so dbgEventP has a P read it only every
// dbgsched.clockEvery events (r.next), and sooner when the debugger's
// clock page has ticked since the last read (every millisecond); in
// between, events carry the last reading plus one tick per event, strictly
// increasing, and later than the newest reading of any other P or event
// (dbgLatest). So times are within about a millisecond, close where any P
// is busy, and an event is never placed before one whose clock reading it
// followed; events without a P always read the clock. The goroutine's last
// state change is a lower bound too (dbgEventP), so a P's late clock never
// puts an event before its cause.
func dbgStamp(r *dbgRing, t int64) int64 {
	r.next, r.epoch = r.n+uint64(dbgsched.clockEvery), atomic.Load(dbgsched.tick)
	return max(dbgClock(), t)
}

// dbgClock reads the CPU clock, and makes the reading every P's floor.
func dbgClock() int64 {
	t := cputicks()
	if t > dbgLatest.t.Load() {
		dbgLatest.t.Store(t) // (a lost race leaves an older floor: still a floor)
	}
	return t
}

// dbgLatest is the newest clock reading: a time that has passed. An event
// on a P whose own reading is older comes after it, so a P with few events
// is not placed behind another P's busy millisecond, nor before an event
// without a P that came first.
var dbgLatest struct {
	_ [64]byte
	t atomic.Int64
	_ [64]byte
}

// dbgDeadlock and dbgDeadlockGoexit are checkdead's hooks (on the system
// stack, sched.lock released): no goroutine can ever run again and the
// runtime is about to die of it (fatal); a breakpoint on deadlock stops it
// here, with every goroutine still in place. Goexit: main called
// runtime.Goexit and no goroutine is left.
//
// checkdead calls fatal with sched.lock released, so another M may find the
// deadlock too: the first one has the event (one deadlock, one stop).
func dbgDeadlock()       { dbgDeadlockOnce(0) }
func dbgDeadlockGoexit() { dbgDeadlockOnce(1) }

func dbgDeadlockOnce(goexit int64) {
	if atomic.Cas(&dbgsched.deadlocked, 0, 1) {
		dbgEventP(evDeadlock, nil, nil, nil, goexit)
	}
}

// dbgEnd is the hook of runExitHooks, where a program that ends normally
// passes (main returned: code 0; os.Exit(code)), on the goroutine that
// ends it, with everything else still in place: a breakpoint on end stops
// it there, for a last look (the goroutines left behind, the history).
//
// A check or stop another M is taking (say a Lua-tier condition on a
// worker's last exit) ends first, and so does the stop or check of a hit
// another M found before the end: the program does not end under them,
// and every tier sees the events before the end. The end is the last
// event: what other Ms do while the program exits is not recorded and
// stops nothing, where it would be lost to the exit some times and seen
// at others.
func dbgEnd(code int) {
	gp := getg()
	systemstack(func() {
		mp := getg().m
		atomic.Store(&dbgsched.ended, 1)
		for dbgsched.stopping.Load() != 0 && dbgsched.stopper.Load() != mp.id || atomic.Load(&dbgsched.hitting) != 0 {
			dbgWaitTurn(mp)
		}
		dbgEvent(evEnd, gp, int64(code))
	})
}

// dbgDeadlockReason is the event's reason: what the runtime will say.
func dbgDeadlockReason(aux int64) string {
	if aux == 1 {
		return "no goroutines (main called runtime.Goexit)"
	}
	return "all goroutines are asleep"
}

// dbgSchedEvent is the goschedImpl hook: preempted or voluntary yield.
func dbgSchedEvent(gp *g, preempted bool) {
	if preempted {
		dbgEvent(evPreempt, gp, 0)
	} else {
		dbgEvent(evYield, gp, 0)
	}
}

// dbgReadyBy is the goroutine that readied another: the M's user goroutine.
func dbgReadyBy() int64 {
	if gp := getg().m.curg; gp != nil {
		return int64(gp.goid)
	}
	return 0
}

// dbgSyscall and dbgSysret run on the system stack (systemstack from the
// nosplit entersyscall/exitsyscall: the user stack must not grow there).
func dbgSyscall() { dbgEvent(evSyscall, getg().m.curg, 0) }
func dbgSysret()  { dbgEvent(evSysret, getg().m.curg, 0) }

// dbgSteal: this M's P took gp from victim's run queue.
func dbgSteal(gp *g, victim *p) {
	dbgAwait(gp)
	dbgEvent(evSteal, gp, int64(victim.id))
}

// The create and ready hooks come after runqput, so a stop shows the
// goroutine queued; from before runqput until its event is recorded (and
// checked) it carries dbgPend, and another P that takes it from the run
// queue meanwhile waits to record its start or steal (dbgAwait): no one
// sees a goroutine start before its create or ready. (A debugger that
// detaches in between leaves a mark no hook reads again.)
//
// dbgAwait waits until gp's create or ready event is recorded by the M
// that queued it (a few hundred nanoseconds, unless that M is taking a
// stop; this one is then frozen too). Inlined into the hooks: a load (and
// so the slow path must not be inlined into it).
func dbgAwait(gp *g) {
	if atomic.Load(&gp.dbgPend) != 0 {
		dbgAwaitSlow(gp)
	}
}

//go:noinline
func dbgAwaitSlow(gp *g) {
	for mp := getg().m; atomic.Load(&gp.dbgPend) != 0; {
		dbgWaitTurn(mp)
	}
}

// dbgWaitTurn is one turn of a wait for another M: join the stop it is
// taking, if there is one (it may be waiting for this M to freeze), else
// give up the CPU.
func dbgWaitTurn(mp *m) {
	if atomic.Load(&dbgsched.freeze) != 0 {
		dbgFreeze(mp, nil, nil)
	} else {
		osyield()
	}
}

// dbgHandoff: pp, whose M blocked (syscall, locked thread), is handed on.
func dbgHandoff(pp *p) { dbgEventP(evHandoff, nil, getg().m.p.ptr(), pp, 0) }

// dbgWorld: the garbage collector (or another STW user) stopped or restarts the world.
func dbgWorld(kind uint32, reason stwReason) { dbgEvent(kind, getg().m.curg, int64(reason)) }

// dbgStop holds the whole program stopped until the debugger resumes it.
// Runs on g0 of the M that saw the triggering event.
func dbgStop() { dbgHold(false) }

// dbgCheck is the light stop of a Lua-tier breakpoint: only this M waits
// (its goroutine and P cannot move) while the debugger evaluates the
// condition on the event; `snap` freezes the rest if the condition needs
// the whole scheduler, `skip` resumes.
func dbgCheck() {
	dbgsched.checks++
	switch dbgMail() {
	case dbgMailSkip:
		dbgRelease()
	case dbgMailSnap:
		dbgHold(false)
	default:
		dbgHold(true)
	}
}

func dbgHold(light bool) {
	start := nanotime()
	dbgRate(cputicks(), start)
	dbgsched.held = false
	if light {
		dbgWriteCheck()
	} else {
		dbgSnap()
	}
	dbgCommandLoop()
	// A Ctrl-C that came during the stop (before the debugger had the
	// terminal back): the resume it answered is a new stop, interrupted,
	// where the program is.
	for dbgsched.on.Load() != 0 && dbgsched.intrPending.Swap(0) != 0 {
		dbgTrigInterrupt(getg().m)
		dbgSnap()
		dbgCommandLoop()
	}
	held := dbgsched.held
	if held {
		dbgHideStop(nanotime() - start)
	}
	// Release the stop before arming the next step and thawing: an event
	// that completes the step on another M must be able to take the stop.
	dbgRelease()
	if held {
		dbgThaw()
	}
}

// dbgRelease lets another M take the stop, and arms the pending step.
func dbgRelease() {
	dbgsched.trigGP = 0
	dbgsched.stopper.Store(-1)
	dbgsched.stopping.Store(0)
	dbgArm()
}

// dbgSnap freezes the other Ms (unless they are) and sends the full stop.
func dbgSnap() {
	if dbgsched.held {
		dbgWriteStop(0, 0, 0)
		return
	}
	signaled, acked := dbgFreezeWorld()
	dbgsched.held = true
	dbgWriteStop(dbgEventCount()-dbgsched.trigSeq, signaled, acked)
}

// dbgHideStop moves sysmon's view of every P forward by the time the program
// was stopped, so the stop does not count against a goroutine's time slice
// (sysmon would preempt it at the next tick) or a syscall's grace period.
func dbgHideStop(d int64) {
	for _, pp := range allp {
		pp.sysmontick.schedwhen += d
		pp.sysmontick.syscallwhen += d
	}
}

// dbgFreezeWorld signals every other M and waits (bounded) until each has
// joined the freeze. Returns how many were signalled and how many joined.
func dbgFreezeWorld() (int32, int32) {
	dbgsched.lastGen++
	if dbgsched.lastGen == 0 {
		dbgsched.lastGen = 1
	}
	dbgsched.joined.Store(0)
	atomic.Store(&dbgsched.freeze, dbgsched.lastGen)
	self := getg().m
	n := int32(0)
	for mp := (*m)(atomic.Loadp(unsafe.Pointer(&allm))); mp != nil; mp = mp.alllink {
		if mp == self || mp.procid == 0 || mp.isExtraInC {
			continue
		}
		signalM(mp, sigPreempt)
		n++
	}
	deadline := nanotime() + 200*1000*1000
	for dbgsched.joined.Load() < n && nanotime() < deadline {
		osyield()
	}
	return n, min(dbgsched.joined.Load(), n)
}

func dbgThaw() {
	atomic.Store(&dbgsched.freeze, 0)
	futexwakeup(&dbgsched.freeze, 1<<30)
}

// dbgSignal is called at the top of sighandler for sigPreempt and SIGINT
// while a debugger is attached; true means the signal is consumed. While a
// stop is in progress a thread parks here, wherever it was interrupted.
// A stop is asked for by the debugger's own SIGURG (kill(2): SI_USER from
// its pid) and by SIGINT (Ctrl-C at the terminal, which the program owns
// while it runs): like gdb, the debugger keeps SIGINT from the program.
//
//go:nowritebarrierrec
func dbgSignal(sig uint32, mp *m, gp *g, c *sigctxt) bool {
	if mp == nil {
		return false
	}
	if sig == _SIGINT {
		dbgInterrupt(mp, gp, c)
		return true
	}
	if c.sigcode() == 0 && dbgsched.replPid > 0 && int32(uint32(c.info.si_addr)) == dbgsched.replPid {
		dbgInterrupt(mp, gp, c)
		return true
	}
	if atomic.Load(&dbgsched.freeze) != 0 {
		dbgFreeze(mp, gp, c)
	}
	return false
}

// dbgInterrupt stops the program on the signal stack of the M the
// debugger's signal reached, whatever it was doing.
//
//go:nowritebarrierrec
func dbgInterrupt(mp *m, gp *g, c *sigctxt) {
	if !dbgsched.stopping.CompareAndSwap(0, 1) {
		// A stop is under way (a step's, say): this Ctrl-C is for the
		// program the user will resume next (dbgHold).
		dbgsched.intrPending.Store(1)
		return
	}
	dbgsched.intrPending.Store(0)
	dbgsched.stopper.Store(mp.id)
	dbgTrigInterrupt(mp)
	at := dbgAt(mp)
	if at != nil && gp != nil && gp == mp.curg {
		at.g = int64(gp.goid)
		at.pc, at.sp, at.lr = uintptr(c.sigpc()), uintptr(c.sigsp()), uintptr(c.siglr())
	}
	dbgStop()
	if at != nil {
		at.g = -1
	}
}

// dbgTrigInterrupt makes the stop's event an interrupt of M mp (what its
// goroutine and P were doing is the rest of the model).
func dbgTrigInterrupt(mp *m) {
	t := &dbgsched.trig
	*t = dbgEv{ticks: cputicks(), g: -1, p: -1, m: mp.id, kind: evInterrupt}
	if cg := mp.curg; cg != nil {
		t.g = int64(cg.goid)
	}
	if pp := mp.p.ptr(); pp != nil {
		t.p = pp.id
	}
	dbgsched.trigGP = 0
	dbgsched.trigStep, dbgsched.trigHits = false, 0
	dbgsched.trigSeq = max(dbgEventCount(), dbgsched.lastSeq)
	dbgsched.lastSeq = dbgsched.trigSeq
}

// dbgAt is where M mp's interrupted registers are kept, or nil.
//
//go:nosplit
func dbgAt(mp *m) *dbgFrozen {
	if mp.id < 0 || mp.id >= dbgMaxM {
		return nil
	}
	return &dbgFrozenAt[mp.id]
}

// dbgFreeze parks M mp until the stop ends. From a signal, c holds the
// interrupted registers (for backtraces of the goroutine gp it interrupted);
// from a hook, c is nil. An M joins each stop once: a signal that arrives
// while it is already parked returns at once. An M still parked when the
// next stop begins joins that one (the futex word is the generation).
//
//go:nosplit
//go:nowritebarrierrec
func dbgFreeze(mp *m, gp *g, c *sigctxt) {
	if mp.id == dbgsched.stopper.Load() {
		return
	}
	at := dbgAt(mp)
	if at != nil {
		if at.gen == atomic.Load(&dbgsched.freeze) {
			return // already parked in this stop, further down this stack
		}
		at.g = -1
		if c != nil && gp != nil && gp == mp.curg {
			at.g = int64(gp.goid)
			at.pc, at.sp, at.lr = uintptr(c.sigpc()), uintptr(c.sigsp()), uintptr(c.siglr())
		}
	}
	joined := uint32(0)
	for {
		gen := atomic.Load(&dbgsched.freeze)
		if gen == 0 {
			break
		}
		if gen != joined {
			joined = gen
			if at != nil {
				at.gen = gen
			}
			dbgsched.joined.Add(1)
		}
		futexsleep(&dbgsched.freeze, gen, -1)
	}
	if at != nil {
		at.gen, at.g = 0, -1
	}
}

// ---- the command loop -------------------------------------------------------

var dbgIn struct {
	buf [4096]byte
	n   int
}

// dbgReadLine reads one command line (without '\n') into a prefix of
// dbgIn.buf and returns its length, or -1 on EOF/error.
func dbgReadLine() int {
	spinUntil := int64(0)
	for {
		for i := 0; i < dbgIn.n; i++ {
			if dbgIn.buf[i] == '\n' {
				return i
			}
		}
		if dbgIn.n == len(dbgIn.buf) {
			dbgIn.n = 0 // an over-long line: drop it
		}
		r := read(dbgsched.fd, unsafe.Pointer(&dbgIn.buf[dbgIn.n]), int32(len(dbgIn.buf)-dbgIn.n))
		if r == -_EAGAIN {
			// The debugger answers a light check in microseconds: spin for
			// a while (a thread wake-up costs more), then sleep in read.
			now := nanotime()
			if spinUntil == 0 {
				spinUntil = now + dbgSpinNanos
			}
			if now < spinUntil {
				procyield(20)
			} else {
				dbgBlockingRead()
			}
			continue
		}
		if r == -_EINTR {
			continue
		}
		if r <= 0 {
			return -1
		}
		dbgIn.n += int(r)
	}
}

// How long dbgReadLine spins before it sleeps.
const dbgSpinNanos = 200_000

// dbgBlockingRead waits in a blocking read for the debugger's next bytes
// (the socket is non-blocking so that dbgReadLine can spin).
func dbgBlockingRead() {
	const fSETFL, oNONBLOCK = 4, 0x800
	fcntl(dbgsched.fd, fSETFL, 0)
	r := read(dbgsched.fd, unsafe.Pointer(&dbgIn.buf[dbgIn.n]), int32(len(dbgIn.buf)-dbgIn.n))
	fcntl(dbgsched.fd, fSETFL, oNONBLOCK)
	if r > 0 {
		dbgIn.n += int(r)
	}
}

// dbgConsume drops the first line (n bytes + '\n') from dbgIn.
func dbgConsume(n int) {
	copy(dbgIn.buf[:], dbgIn.buf[n+1:dbgIn.n])
	dbgIn.n -= n + 1
}

// dbgCommandLoop serves commands until one resumes the program.
func dbgCommandLoop() {
	for {
		n := dbgReadLine()
		if n < 0 {
			dbgDetach()
			return
		}
		done := dbgCommand(dbgIn.buf[:n])
		dbgConsume(n)
		if done {
			return
		}
	}
}

// dbgCommand runs one command; true if the program resumes.
func dbgCommand(line []byte) bool {
	word, rest := dbgWord(line)
	switch string(word) {
	case "cont":
		dbgsched.nextLeft = 0
		dbgStepDisarm() // a step cut short by a breakpoint is over
		return true
	case "skip": // a light check's condition was false: carry on as before
		dbgsched.nextLeft = 0
		return true
	case "snap":
		dbgSnap()
		return false
	case "step":
		return dbgStep(rest)
	case "detach":
		dbgDetach()
		return true
	case "hist":
		dbgHistory(rest)
		return false
	case "record":
		dbgRecord(rest)
		return false
	case "bt":
		dbgBacktrace(rest)
		return false
	case "break":
		dbgBreakCmd(rest)
		return false
	case "eval":
		dbgEvalCmd(rest)
		return false
	}
	dbgError("unknown command")
	return false
}

// dbgNumber parses a decimal word; -1 if it is not one.
func dbgNumber(word []byte) int64 {
	n := int64(0)
	for _, c := range word {
		if c < '0' || c > '9' || n > 1<<40 {
			return -1
		}
		n = n*10 + int64(c-'0')
	}
	if len(word) == 0 {
		return -1
	}
	return n
}

// dbgStep parses "N [KIND]" and records the step to arm.
func dbgStep(args []byte) bool {
	num, rest := dbgWord(args)
	kname, _ := dbgWord(rest)
	n := dbgNumber(num)
	if n <= 0 || n > dbgStepLimit {
		dbgError("step: bad count")
		return false
	}
	kind := uint32(evAny)
	if len(kname) > 0 {
		kind = evCount
		for i := range dbgEvNames {
			if dbgEvNames[i] == string(kname) {
				kind = uint32(i)
			}
		}
		if kind == evCount {
			dbgError("step: unknown event kind")
			return false
		}
	}
	dbgsched.nextKind = kind
	dbgsched.nextLeft = n
	return true
}

// dbgArm arms the step the last command asked for, if any.
func dbgArm() {
	if dbgsched.nextLeft <= 0 || dbgsched.on.Load() == 0 {
		return
	}
	dbgsched.step.Store(dbgStepWord(dbgsched.step.Load(), dbgsched.nextKind, dbgsched.nextLeft))
	dbgsched.nextLeft = 0
}

func dbgDetach() {
	dbgsched.nextLeft = 0
	dbgsched.on.Store(0)
	dbgStepDisarm()
	if dbgsched.fd > 0 {
		closefd(dbgsched.fd)
	}
	dbgsched.fd = -1
}

func dbgError(msg string) {
	w := &dbgOut
	w.reset()
	w.raw(`{"type":"error","msg":`)
	w.str(msg)
	w.raw("}\n")
	w.flush()
}

// dbgWord splits off the first space-separated word.
func dbgWord(s []byte) ([]byte, []byte) {
	for len(s) > 0 && s[0] == ' ' {
		s = s[1:]
	}
	i := 0
	for i < len(s) && s[i] != ' ' {
		i++
	}
	return s[:i], s[i:]
}

// ---- the snapshot encoder ---------------------------------------------------

// dbgWriter is a JSON writer over a static buffer, flushed to the socket
// whenever it fills: a stop line may be many megabytes.
type dbgWriter struct {
	buf [64 << 10]byte
	n   int
}

var dbgOut dbgWriter

func (w *dbgWriter) reset() { w.n = 0 }

func (w *dbgWriter) flush() {
	off := 0
	for off < w.n && dbgsched.fd >= 0 {
		r := write1(uintptr(dbgsched.fd), unsafe.Pointer(&w.buf[off]), int32(w.n-off))
		if r == -_EAGAIN {
			osyield() // the debugger is reading a long message
			continue
		}
		if r == -_EINTR {
			continue
		}
		if r <= 0 {
			break
		}
		off += int(r)
	}
	w.n = 0
}

func (w *dbgWriter) byte(c byte) {
	if w.n == len(w.buf) {
		w.flush()
	}
	w.buf[w.n] = c
	w.n++
}

func (w *dbgWriter) raw(s string) {
	for len(s) > 0 {
		if w.n == len(w.buf) {
			w.flush()
		}
		k := copy(w.buf[w.n:], s)
		w.n += k
		s = s[k:]
	}
}

func (w *dbgWriter) int(v int64) {
	if v < 0 {
		w.byte('-')
		v = -v
	}
	var tmp [20]byte
	i := len(tmp)
	for {
		i--
		tmp[i] = byte('0' + v%10)
		v /= 10
		if v == 0 {
			break
		}
	}
	for ; i < len(tmp); i++ {
		w.byte(tmp[i])
	}
}

// str writes s as a JSON string.
func (w *dbgWriter) str(s string) {
	w.byte('"')
	w.escaped(s)
	w.byte('"')
}

// escaped writes the body of a JSON string.
func (w *dbgWriter) escaped(s string) {
	const hex = "0123456789abcdef"
	start := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= 0x20 && c != '"' && c != '\\' {
			continue // copied with the rest of the run
		}
		w.raw(s[start:i])
		start = i + 1
		if c < 0x20 {
			w.raw(`\u00`)
			w.byte(hex[c>>4])
			w.byte(hex[c&15])
		} else {
			w.byte('\\')
			w.byte(c)
		}
	}
	w.raw(s[start:])
}

func (w *dbgWriter) bool(b bool) {
	if b {
		w.raw("true")
	} else {
		w.raw("false")
	}
}

// id writes an id, or null when the thing is absent (v < 0).
func (w *dbgWriter) id(v int64) {
	if v < 0 {
		w.raw("null")
		return
	}
	w.int(v)
}

// key writes `,"name":` (no comma before the first key of an object).
func (w *dbgWriter) key(name string, first bool) {
	if !first {
		w.byte(',')
	}
	w.byte('"')
	w.raw(name)
	w.raw(`":`)
}

func gid(gp *g) int64 {
	if gp == nil {
		return -1
	}
	return int64(gp.goid)
}

func mid(mp *m) int64 {
	if mp == nil {
		return -1
	}
	return mp.id
}

func pid(pp *p) int64 {
	if pp == nil {
		return -1
	}
	return int64(pp.id)
}

// dbgWriteHead writes the fields every stop and check starts with.
func dbgWriteHead() {
	w := &dbgOut
	w.raw(`"reason":`)
	switch {
	case dbgsched.trig.kind == evInterrupt:
		w.str("interrupt")
	case dbgsched.trigStep:
		w.str("step")
	default:
		w.str("break")
	}
	w.raw(`,"bps":[`)
	first := true
	for i := range dbgBreaks.bp {
		if dbgsched.trigHits&(1<<uint(i)) != 0 {
			if !first {
				w.byte(',')
			}
			first = false
			w.int(dbgBreaks.bp[i].id)
		}
	}
	w.raw(`],"seq":`)
	w.int(int64(dbgsched.trigSeq))
	w.key("now", false)
	w.int(nanotime())
}

// dbgWriteCheck encodes a light check: the event, its own P and M, and the
// goroutines those refer to, in the shape of a stop message without the
// rest of the scheduler.
func dbgWriteCheck() {
	w := &dbgOut
	t := &dbgsched.trig
	w.reset()
	w.raw(`{"type":"check","check":`)
	w.int(dbgsched.checks)
	w.byte(',')
	dbgWriteHead()
	w.key("event", false)
	dbgWriteEvent(t)
	w.raw(`,"p":[`)
	if t.p >= 0 && int(t.p) < len(allp) {
		dbgWriteP(allp[t.p])
	}
	w.raw(`],"m":[`)
	dbgWriteM(getg().m)
	w.raw(`],"g":[`)
	dbgNextMark()
	dbgFirst = true
	dbgWriteEventGs(t) // (event-tier conditions read no other goroutine)
	w.raw("]}\n")
	w.flush()
}

// dbgWriteStop encodes a stop as two lines. The first is the stop: the
// event, sched, every P and M, and the goroutines those refer to (the
// event's, the running, queued and locked ones) plus the counts of all.
// The second, {"type":"goroutines","g":[...]}, holds every other goroutine:
// the REPL shows the stop at once and reads it only when asked about them.
func dbgWriteStop(gap uint64, signaled, acked int32) {
	w := &dbgOut
	t := &dbgsched.trig
	dbgNextMark()
	w.reset()
	w.raw(`{"type":"stop",`)
	dbgWriteHead()
	w.key("gap", false)
	w.int(int64(gap))
	w.key("frozen", false)
	w.int(int64(acked))
	w.key("unfrozen", false)
	w.int(int64(signaled - acked))
	w.key("event", false)
	dbgWriteEvent(t)
	w.key("sched", false)
	dbgWriteSched()
	w.key("p", false)
	w.byte('[')
	for i, pp := range allp {
		if i > 0 {
			w.byte(',')
		}
		dbgWriteP(pp)
	}
	w.raw(`],"m":[`)
	first := true
	for mp := (*m)(atomic.Loadp(unsafe.Pointer(&allm))); mp != nil; mp = mp.alllink {
		if !first {
			w.byte(',')
		}
		first = false
		dbgWriteM(mp)
	}
	w.raw(`],"gcount":`)
	dbgWriteGCount()
	w.raw(`,"more":true,"g":[`)
	dbgFirst = true
	dbgWriteReferenced(t)
	w.raw("]}\n")
	w.raw(`{"type":"goroutines","g":[`)
	dbgFirst = true
	ptr, n := atomicAllG()
	for i := uintptr(0); i < n; i++ {
		dbgWriteG1(atomicAllGIndex(ptr, i), false)
	}
	w.raw("]}\n")
	w.flush()
}

// dbgNextMark starts a message: no goroutine is in it yet.
func dbgNextMark() {
	dbgsched.mark++
	if dbgsched.mark == 0 {
		dbgsched.mark = 1
	}
}

// dbgFirst: no goroutine written yet in the current array.
var dbgFirst bool

// dbgWriteGOnce writes gp unless this message has it already. Dead ones
// are written only when something refers to them (another M frozen in the
// middle of destroying its goroutine still has it as curg): every reference
// in a message resolves.
func dbgWriteGOnce(gp *g) {
	dbgWriteG1(gp, true)
}

func dbgWriteG1(gp *g, referenced bool) {
	if gp == nil || gp.dbgMark == dbgsched.mark {
		return
	}
	s := readgstatus(gp) &^ _Gscan
	if !referenced && (s == _Gdead || s == _Gdeadextra || s == _Gidle) {
		return
	}
	gp.dbgMark = dbgsched.mark
	if !dbgFirst {
		dbgOut.byte(',')
	}
	dbgFirst = false
	// Until the others are frozen (or, in a light check, at all) the
	// event's goroutine may be stolen, readied or parked by another M:
	// it is reported with the status and wait reason the hook saw, which
	// are also what a compiled condition read.
	wr := gp.waitreason
	if gp == dbgsched.trigGP.ptr() {
		s, wr = uint32(dbgsched.trig.status), waitReason(dbgsched.trig.reason)
	}
	dbgWriteG(gp, s, wr)
}

// dbgWriteReferenced writes the goroutines the stop message refers to.
func dbgWriteReferenced(t *dbgEv) {
	dbgWriteEventGs(t)
	for mp := (*m)(atomic.Loadp(unsafe.Pointer(&allm))); mp != nil; mp = mp.alllink {
		dbgWriteMGs(mp)
	}
	for _, pp := range allp {
		dbgWritePGs(pp)
	}
	for gp := sched.runq.head.ptr(); gp != nil; gp = gp.schedlink.ptr() {
		dbgWriteGOnce(gp)
	}
}

// dbgWriteEventGs writes the event's goroutine and the one its facts name.
func dbgWriteEventGs(t *dbgEv) {
	for _, id := range [...]int64{t.g, dbgEvGoroutineFact(t)} {
		if id <= 0 {
			continue
		}
		if gp := dbgsched.trigGP.ptr(); gp != nil && int64(gp.goid) == id {
			dbgWriteGOnce(gp)
		} else {
			dbgWriteGOnce(dbgFindG(id))
		}
	}
}

// dbgWriteMGs writes the goroutines M mp refers to.
func dbgWriteMGs(mp *m) {
	dbgWriteGOnce(dbgLive(mp.curg))
	dbgWriteGOnce(dbgLive(mp.lockedg.ptr()))
}

// dbgLive is gp, an M's current or locked goroutine, or nil for the dead
// one that an extra M (cgo callbacks) keeps while it waits for a callback.
func dbgLive(gp *g) *g {
	if gp != nil && readgstatus(gp)&^_Gscan == _Gdeadextra {
		return nil
	}
	return gp
}

// dbgWritePGs writes the goroutines P pp refers to: its queue and runnext.
func dbgWritePGs(pp *p) {
	head, tail := atomic.Load(&pp.runqhead), atomic.Load(&pp.runqtail)
	for i := head; i != tail && i-head <= uint32(len(pp.runq)); i++ {
		dbgWriteGOnce(pp.runq[i%uint32(len(pp.runq))].ptr())
	}
	dbgWriteGOnce(pp.runnext.ptr())
}

// dbgEvGoroutineFact is the other goroutine an event names (create: the
// parent, ready: the readier), or 0.
func dbgEvGoroutineFact(t *dbgEv) int64 {
	if t.kind == evCreate || t.kind == evReady {
		return t.aux
	}
	return 0
}

// dbgWriteGCount writes {"total":N,"runnable":R,"running":U} over all
// live goroutines, so the stop can be summed up before they are sent.
func dbgWriteGCount() {
	total, runnable, running := int64(0), int64(0), int64(0)
	ptr, n := atomicAllG()
	for i := uintptr(0); i < n; i++ {
		switch readgstatus(atomicAllGIndex(ptr, i)) &^ _Gscan {
		case _Gdead, _Gdeadextra, _Gidle:
			continue
		case _Grunnable:
			runnable++
		case _Grunning:
			running++
		}
		total++
	}
	w := &dbgOut
	w.raw(`{"total":`)
	w.int(total)
	w.raw(`,"runnable":`)
	w.int(runnable)
	w.raw(`,"running":`)
	w.int(running)
	w.byte('}')
}

func dbgWriteEvent(t *dbgEv) {
	w := &dbgOut
	w.raw(`{"kind":`)
	w.str(dbgEvNames[t.kind])
	w.key("time", false)
	w.int(dbgNanos(t.ticks))
	w.key("g", false)
	w.id(t.g)
	w.key("p", false)
	w.id(int64(t.p))
	w.key("m", false)
	w.int(t.m)
	switch t.kind {
	case evCreate:
		w.key("parent", false)
		w.int(t.aux)
	case evReady:
		w.key("by", false)
		if t.aux > 0 {
			w.int(t.aux)
		} else {
			w.raw("null")
		}
	case evPark:
		w.key("waitreason", false)
		w.str(waitReason(t.reason).String())
	case evExit: // the goroutine is gone by the time anyone asks: name it now
		w.key("startfn", false)
		dbgStrOrNull(dbgStartFn(uintptr(t.aux)))
	case evSteal:
		w.key("from", false)
		w.int(t.aux)
	case evGCStop, evGCStart:
		w.key("reason", false)
		w.str(stwReason(t.aux).String())
	case evDeadlock:
		w.key("reason", false)
		w.str(dbgDeadlockReason(t.aux))
	case evEnd:
		w.key("code", false)
		w.int(t.aux)
	}
	w.byte('}')
}

func dbgWriteSched() {
	w := &dbgOut
	w.raw(`{"runq":[`)
	first := true
	for gp := sched.runq.head.ptr(); gp != nil; gp = gp.schedlink.ptr() {
		if !first {
			w.byte(',')
		}
		first = false
		w.int(int64(gp.goid))
	}
	w.byte(']')
	w.key("gomaxprocs", false)
	w.int(int64(gomaxprocs))
	w.key("npidle", false)
	w.int(int64(sched.npidle.Load()))
	w.key("nmspinning", false)
	w.int(int64(sched.nmspinning.Load()))
	w.key("needspinning", false)
	w.int(int64(sched.needspinning.Load()))
	w.key("nmidle", false)
	w.int(int64(sched.nmidle))
	w.key("nmsys", false)
	w.int(int64(sched.nmsys))
	w.key("mcount", false)
	w.int(int64(sched.mnext - sched.nmfreed))
	w.key("ngoroutines", false)
	w.int(int64(gcount(false)))
	w.key("goidgen", false)
	w.int(int64(sched.goidgen.Load()))
	w.key("gcwaiting", false)
	w.bool(sched.gcwaiting.Load())
	w.key("stopwait", false)
	w.int(int64(sched.stopwait))
	w.key("sysmonwait", false)
	w.bool(sched.sysmonwait.Load())
	w.raw(`,"pidle":[`)
	first = true
	for pp := sched.pidle.ptr(); pp != nil; pp = pp.link.ptr() {
		if !first {
			w.byte(',')
		}
		first = false
		w.int(int64(pp.id))
	}
	w.raw(`],"midle":[`)
	first = true
	if sched.midle.initialized {
		for mp := (*m)(sched.midle.head()); mp != nil; mp = (*m)(unsafe.Pointer(sched.midle.getNode(unsafe.Pointer(mp)).next)) {
			if !first {
				w.byte(',')
			}
			first = false
			w.int(mp.id)
		}
	}
	w.raw("]}")
}

func dbgWriteP(pp *p) {
	w := &dbgOut
	w.raw(`{"id":`)
	w.int(int64(pp.id))
	w.key("status", false)
	w.str(dbgStatusName(dbgPStatus[:], pp.status))
	w.key("m", false)
	w.id(mid(pp.m.ptr()))
	w.key("runq", false)
	w.byte('[')
	head := atomic.Load(&pp.runqhead)
	tail := atomic.Load(&pp.runqtail)
	for i := head; i != tail && i-head <= uint32(len(pp.runq)); i++ {
		if i != head {
			w.byte(',')
		}
		w.id(gid(pp.runq[i%uint32(len(pp.runq))].ptr()))
	}
	w.byte(']')
	w.key("runnext", false)
	w.id(gid(pp.runnext.ptr()))
	w.key("schedtick", false)
	w.int(int64(pp.schedtick))
	w.key("syscalltick", false)
	w.int(int64(pp.syscalltick))
	w.key("gfree", false)
	w.int(int64(pp.gFree.size))
	w.key("timers", false)
	w.int(int64(pp.timers.len.Load()))
	w.byte('}')
}

func dbgWriteM(mp *m) {
	w := &dbgOut
	w.raw(`{"id":`)
	w.int(mp.id)
	w.key("procid", false)
	w.int(int64(mp.procid))
	w.key("p", false)
	w.id(pid(mp.p.ptr()))
	w.key("curg", false)
	w.id(gid(dbgLive(mp.curg)))
	w.key("spinning", false)
	w.bool(mp.spinning)
	w.key("blocked", false)
	w.bool(mp.blocked)
	w.key("lockedg", false)
	w.id(gid(dbgLive(mp.lockedg.ptr())))
	w.key("incgo", false)
	w.bool(mp.incgo)
	w.byte('}')
}

func dbgWriteG(gp *g, status uint32, wr waitReason) {
	w := &dbgOut
	w.raw(`{"id":`)
	w.int(int64(gp.goid))
	w.key("status", false)
	w.str(dbgStatusName(dbgGStatus[:], status))
	w.key("waitreason", false)
	if dbgWaiting(status, wr) {
		w.str(wr.String())
	} else {
		w.raw("null")
	}
	w.key("waitsince", false)
	w.int(gp.waitsince)
	w.key("since", false)
	if gp.dbgSince != 0 {
		w.int(dbgNanos(gp.dbgSince))
	} else {
		w.int(0)
	}
	mp := gp.m
	w.key("m", false)
	w.id(mid(mp))
	w.key("p", false)
	if mp != nil && status == _Grunning {
		w.id(pid(mp.p.ptr()))
	} else {
		w.raw("null")
	}
	w.key("lockedm", false)
	w.id(mid(gp.lockedm.ptr()))
	w.key("parent", false)
	w.int(int64(gp.parentGoid))
	w.key("startfn", false)
	dbgStrOrNull(dbgStartFn(gp.startpc))
	w.key("createdby", false)
	dbgFuncName(dbgCreator(gp))
	w.key("createdat", false)
	dbgFileLine(dbgCreator(gp))
	w.key("system", false)
	w.bool(isSystemGoroutine(gp, false))
	w.key("labels", false)
	dbgWriteLabels(gp)
	w.byte('}')
}

// dbgCreator is the pc of the go statement that created gp, or 0 for the
// main goroutine, which the runtime's start-up made (as Go's tracebacks,
// which show no "created by" for goroutine 1).
func dbgCreator(gp *g) uintptr {
	if gp.goid == 1 {
		return 0
	}
	return gp.gopc
}

func dbgFuncName(pc uintptr) {
	c := dbgPCInfo(pc)
	if c == nil {
		dbgOut.raw("null")
		return
	}
	dbgOut.str(c.name.str())
}

// dbgStrOrNull writes string v, or null.
func dbgStrOrNull(v dbgVal) {
	if v.t != vStr {
		dbgOut.raw("null")
		return
	}
	dbgOut.str(v.str())
}

// dbgFileLine writes "file:line" of the call at return address pc.
func dbgFileLine(pc uintptr) {
	w := &dbgOut
	c := dbgPCInfo(pc)
	if c == nil {
		w.raw("null")
		return
	}
	w.byte('"')
	w.escaped(c.file.str())
	w.byte(':')
	w.int(int64(c.line))
	w.byte('"')
}

// dbgPCCache remembers function name and file:line of recent pcs: the
// goroutines of a program mostly share a few start functions and creation
// sites, and funcline is the costly part of encoding a goroutine. Strings
// point into the binary's tables, held as uintptr (no pointer writes).
var dbgPCCache [1024]dbgPCEntry

type dbgPCEntry struct {
	pc         uintptr
	name, file dbgVal
	line       int32
}

// dbgPCInfo returns what is known of pc, or nil if it is in no function.
func dbgPCInfo(pc uintptr) *dbgPCEntry {
	c := &dbgPCCache[(pc>>2)%uintptr(len(dbgPCCache))]
	if c.pc == pc && pc != 0 {
		return c
	}
	f := findfunc(pc)
	if !f.valid() {
		return nil
	}
	lpc := pc
	if lpc > f.entry() {
		lpc-- // a return address: the call is the instruction before
	}
	file, line := funcline(f, lpc)
	c.pc, c.name, c.file, c.line = pc, strVal(funcname(f)), strVal(file), line
	return c
}

// dbgStartCache remembers dbgStartName by start pc: conditions on startfn
// ask at every event of their kinds, on many Ms at once, and reading a
// wrapper's tables costs more than the event. An entry is published by
// its pc: a writer owns it (busy), clears pc, writes the name, sets pc; a
// reader takes the name only if pc matches before and after reading it.
var dbgStartCache [256]struct {
	pc   atomic.Uintptr
	busy atomic.Uint32
	name dbgVal
}

// dbgStartFn is dbgStartName through dbgStartCache.
func dbgStartFn(pc uintptr) dbgVal {
	e := &dbgStartCache[(pc>>4)%uintptr(len(dbgStartCache))]
	if pc != 0 && e.pc.Load() == pc {
		if v := e.name; e.pc.Load() == pc {
			return v
		}
	}
	v := dbgStartName(pc)
	if e.busy.CompareAndSwap(0, 1) {
		e.pc.Store(0)
		e.name = v
		e.pc.Store(pc)
		e.busy.Store(0)
	}
	return v
}

// dbgStartName is the function that goroutines starting at pc run: pc's
// function, or, for the wrapper the compiler makes for a go statement with
// arguments (F.gowrapN, which calls the statement's function with them),
// that function (dbgWrapped), so `go worker(i)` starts main.worker as
// `go worker()` does. Nil if pc is in no function.
func dbgStartName(pc uintptr) dbgVal {
	f := findfunc(pc)
	if !f.valid() {
		return dbgVal{}
	}
	name := funcname(f)
	if dbgIsGoWrap(name) {
		if s := dbgWrapped(f); s != "" {
			return strVal(s)
		}
	}
	return strVal(name)
}

// dbgIsGoWrap: name is a go statement's wrapper, F.gowrapN.
func dbgIsGoWrap(name string) bool {
	i := len(name)
	for i > 0 && name[i-1] >= '0' && name[i-1] <= '9' {
		i--
	}
	const suffix = ".gowrap"
	return i < len(name) && i >= len(suffix) && name[i-len(suffix):i] == suffix
}

// dbgWrapped is the function wrapper f calls, from the binary's tables:
// the outermost function inlined into f, if any was, else the target of
// f's first direct call at a safe point (dbgCallAt) that is not its stack
// growth. "" if there is neither (a call through a func value).
func dbgWrapped(f funcInfo) string {
	if abi.PCDATA_InlTreeIndex < f.npcdata {
		off := pcdatastart(f, abi.PCDATA_InlTreeIndex)
		if pc, _ := dbgFirstPC(f, off); pc != 0 {
			return dbgOutermost(f, pc)
		}
	}
	_, end := dbgFirstPC(f, f.pcsp)
	for pc := f.entry(); pc < end; pc++ {
		t := dbgCallAt(pc, end)
		if !t.valid() || pcdatavalue1(f, abi.PCDATA_StackMapIndex, pc, false) < 0 {
			continue
		}
		const growth = "runtime.morestack" // (_noctxt and .abi0 too)
		if name := funcname(t); len(name) < len(growth) || name[:len(growth)] != growth {
			return name
		}
	}
	return ""
}

// dbgOutermost is the outermost function inlined into f at pc.
func dbgOutermost(f funcInfo, pc uintptr) string {
	u, uf := newInlineUnwinder(f, pc)
	for next := u.next(uf); u.isInlined(next); next = u.next(uf) {
		uf = next
	}
	return u.srcFunc(uf).name()
}

// dbgCallAt is the function that a direct call instruction at pc (before
// end) calls, if there is one: CALL rel32 on amd64, BL on arm64. The
// target must be a function's entry, so bytes that only look like a call
// inside another instruction are not taken for one (and the caller also
// wants a stack map at pc: a call site).
func dbgCallAt(pc, end uintptr) funcInfo {
	var target uintptr
	switch {
	case goarch.IsAmd64 == 1 && pc+5 <= end:
		b := (*[5]byte)(unsafe.Pointer(pc))
		if b[0] != 0xe8 {
			return funcInfo{}
		}
		rel := int32(uint32(b[1]) | uint32(b[2])<<8 | uint32(b[3])<<16 | uint32(b[4])<<24)
		target = pc + 5 + uintptr(int64(rel))
	case goarch.IsArm64 == 1 && pc%4 == 0 && pc+4 <= end:
		w := *(*uint32)(unsafe.Pointer(pc))
		if w&0xfc000000 != 0x94000000 {
			return funcInfo{}
		}
		target = pc + uintptr(int64(int32(w<<6)>>6)*4)
	default:
		return funcInfo{}
	}
	if t := findfunc(target); t.valid() && t.entry() == target {
		return t
	}
	return funcInfo{}
}

// dbgFirstPC walks f's pc-value table at off: the first pc where it holds
// a value >= 0 (0 if none), and the end of f's code, where it ends.
func dbgFirstPC(f funcInfo, off uint32) (first, end uintptr) {
	if off == 0 {
		return 0, 0
	}
	p := f.datap.pctab[off:]
	pc, val := f.entry(), int32(-1)
	for {
		start := pc
		var ok bool
		if p, ok = step(p, &pc, &val, pc == f.entry()); !ok {
			return first, pc
		}
		if val >= 0 && first == 0 {
			first = start // val holds from start to pc
		}
	}
}

// ---- history and backtraces (answers while stopped) ---------------------------

// dbgHistory writes the last N events, oldest first, merged across rings by
// time, and the live goroutines they refer to (unless there are more than
// dbgHistGs of them: then no "g"), so that the REPL need not load every
// goroutine of a stop to show them: {"type":"hist","cut":B,"events":[...],"g":[...]}.
func dbgHistory(args []byte) {
	word, _ := dbgWord(args)
	want := dbgNumber(word)
	if want < 0 {
		dbgError("hist: bad count")
		return
	}
	if dbgsched.quiet != 0 {
		dbgError("history is off")
		return
	}
	// Walk back from the newest event to find where each ring's part starts.
	var cur [dbgPRings + 1]uint64
	var low [dbgPRings + 1]uint64
	for i := range dbgsched.rings {
		n := atomic.Load64(&dbgsched.rings[i].n)
		cur[i] = n
		low[i] = dbgsched.rings[i].from
		if n > dbgRingLen {
			low[i] = max(low[i], n-dbgRingLen)
		}
	}
	// A ring that has wrapped and is used up ends the walk: the events it
	// lost may be newer than the next one of another ring (cut).
	cut := false
	for k := int64(0); k < want; k++ {
		best := dbgNewestRing(&cur, &low)
		if cut = dbgRingUsedUp(&cur, &low); cut || best < 0 {
			break
		}
		cur[best]--
	}
	w := &dbgOut
	w.reset()
	w.raw(`{"type":"hist","cut":`)
	w.bool(cut)
	w.raw(`,"events":[`)
	for i := range dbgsched.rings {
		low[i] = atomic.Load64(&dbgsched.rings[i].n)
	}
	first := true
	dbgHistIDs.n = 0
	for {
		best := dbgOldestRing(&cur, &low)
		if best < 0 {
			break
		}
		if !first {
			w.byte(',')
		}
		first = false
		t := &dbgsched.rings[best].ev[cur[best]%dbgRingLen]
		dbgWriteEvent(t)
		dbgHistIDs.add(t.g)
		dbgHistIDs.add(dbgEvGoroutineFact(t))
		cur[best]++
	}
	w.raw("]")
	if dbgHistIDs.n <= dbgHistGs {
		w.raw(`,"g":[`)
		dbgNextMark()
		dbgFirst = true
		ptr, n := atomicAllG()
		for i := uintptr(0); i < n; i++ {
			if gp := atomicAllGIndex(ptr, i); dbgHistIDs.has(int64(gp.goid)) {
				dbgWriteG1(gp, false)
			}
		}
		w.raw("]")
	}
	w.raw("}\n")
	w.flush()
}

// dbgHistIDs is the set of goroutine ids a history answer refers to, kept
// sorted; past dbgHistGs of them it only counts (n > dbgHistGs).
const dbgHistGs = 1024

var dbgHistIDs dbgIDSet

type dbgIDSet struct {
	n   int
	ids [dbgHistGs]int64
}

// add puts id (> 0) in the set.
func (s *dbgIDSet) add(id int64) {
	if id <= 0 || s.n > dbgHistGs {
		return
	}
	i := s.find(id)
	if i < s.n && s.ids[i] == id {
		return
	}
	if s.n == dbgHistGs {
		s.n++ // full: the REPL loads every goroutine instead
		return
	}
	copy(s.ids[i+1:s.n+1], s.ids[i:s.n])
	s.ids[i] = id
	s.n++
}

func (s *dbgIDSet) has(id int64) bool {
	i := s.find(id)
	return i < min(s.n, dbgHistGs) && s.ids[i] == id
}

// find is where id is, or would go, in the sorted ids.
func (s *dbgIDSet) find(id int64) int {
	lo, hi := 0, min(s.n, dbgHistGs)
	for lo < hi {
		if m := (lo + hi) / 2; s.ids[m] < id {
			lo = m + 1
		} else {
			hi = m
		}
	}
	return lo
}

// dbgRingUsedUp: a ring that has lost its oldest events has no more below
// cur: history older than its oldest event is incomplete. (One that starts
// where history was turned on has lost none.)
func dbgRingUsedUp(cur, low *[dbgPRings + 1]uint64) bool {
	for i := range cur {
		if low[i] > dbgsched.rings[i].from && cur[i] <= low[i] {
			return true
		}
	}
	return false
}

// dbgNewestRing: the ring whose event just below cur is the newest.
func dbgNewestRing(cur, low *[dbgPRings + 1]uint64) int {
	best, bestSeq := -1, int64(0)
	for i := range cur {
		if cur[i] <= low[i] {
			continue
		}
		if s := dbgsched.rings[i].ev[(cur[i]-1)%dbgRingLen].ticks; best < 0 || s > bestSeq {
			best, bestSeq = i, s
		}
	}
	return best
}

// dbgOldestRing: the ring whose event at cur (below end) is the oldest.
func dbgOldestRing(cur, end *[dbgPRings + 1]uint64) int {
	best, bestSeq := -1, int64(0)
	for i := range cur {
		if cur[i] >= end[i] {
			continue
		}
		if s := dbgsched.rings[i].ev[cur[i]%dbgRingLen].ticks; best < 0 || s < bestSeq {
			best, bestSeq = i, s
		}
	}
	return best
}

// dbgFindG returns the live goroutine with id goid, or nil.
func dbgFindG(goid int64) *g {
	ptr, n := atomicAllG()
	for i := uintptr(0); i < n; i++ {
		gp := atomicAllGIndex(ptr, i)
		if int64(gp.goid) == goid && readgstatus(gp)&^_Gscan != _Gdead {
			return gp
		}
	}
	return nil
}

// dbgBacktrace writes the stack of goroutine ID:
// {"type":"stack","g":ID,"frames":[{"func":…,"file":…,"line":…},…],"more":N},
// N the frames past the listed ones (dbgMaxFrames).
// A goroutine running on a frozen M is unwound from the registers its
// signal saw; any other from its saved scheduling state.
func dbgBacktrace(args []byte) {
	word, _ := dbgWord(args)
	goid := dbgNumber(word)
	gp := dbgFindG(goid)
	if gp == nil {
		dbgError("no such goroutine")
		return
	}
	var u unwinder
	flags := unwindFlags(unwindSilentErrors)
	switch {
	case readgstatus(gp)&^_Gscan != _Grunning || gp.m == nil:
		u.initAt(^uintptr(0), ^uintptr(0), ^uintptr(0), gp, flags)
	case gp.m.id < 0 || gp.m.id >= dbgMaxM || dbgFrozenAt[gp.m.id].g != goid:
		// Not interrupted in its own code (the stopping M's goroutine, or
		// an M that was in the runtime on g0): its saved state is current.
		u.initAt(^uintptr(0), ^uintptr(0), ^uintptr(0), gp, flags)
	default:
		at := &dbgFrozenAt[gp.m.id]
		u.initAt(at.pc, at.sp, at.lr, gp, flags|unwindTrap)
	}
	w := &dbgOut
	w.reset()
	w.raw(`{"type":"stack","g":`)
	w.int(goid)
	w.raw(`,"frames":[`)
	first, more := true, int64(0)
	for n := 0; u.valid() && more < dbgCountFrames; u.next() {
		f := u.frame.fn
		for iu, uf := newInlineUnwinder(f, u.symPC()); uf.valid(); uf = iu.next(uf) {
			if n >= dbgMaxFrames {
				more++ // counted, not written
				continue
			}
			file, line := iu.fileLine(uf)
			if !first {
				w.byte(',')
			}
			first = false
			w.raw(`{"func":`)
			w.str(iu.srcFunc(uf).name())
			w.raw(`,"file":`)
			w.str(file)
			w.raw(`,"line":`)
			w.int(int64(line))
			w.byte('}')
			n++
		}
	}
	w.raw(`],"more":`)
	w.int(more)
	w.raw("}\n")
	w.flush()
}

// A backtrace lists a stack's innermost dbgMaxFrames frames and counts
// the rest, up to dbgCountFrames of them.
const (
	dbgMaxFrames   = 1000
	dbgCountFrames = 1 << 20
)

// dbgLabelSet mirrors internal/runtime/pprof/label.Set, which gp.labels
// points at (runtime/pprof's labelMap embeds it first).
type dbgLabelSet struct {
	list []struct{ key, value string }
}

func dbgWriteLabels(gp *g) {
	w := &dbgOut
	w.byte('{')
	if gp.labels != nil {
		for i, l := range (*dbgLabelSet)(gp.labels).list {
			if i > 0 {
				w.byte(',')
			}
			w.str(l.key)
			w.byte(':')
			w.str(l.value)
		}
	}
	w.byte('}')
}
