// gosched_filter.go -- breakpoints, and the filter programs the hooks run.
//
// A breakpoint is a set of event kinds plus, for the compiled tier, a small
// stack program that the hook evaluates in place, without stopping: the REPL
// compiles the common condition shapes (fields of the event's G/P/M, of a
// given P, of sched; run-queue lengths; comparisons; and/or/not) into it
// (lua/condition.lua). A breakpoint of the Lua tier has no program: every
// event of its kinds stops the program and the REPL evaluates the condition.
//
// Values follow Lua's rules so both tiers agree: nil, booleans, integers and
// strings; == between different types is false; ordering them is an error;
// `and`/`or` short-circuit and yield an operand; any error makes the
// condition false (as the REPL treats a Lua error), and is counted, with
// its message, in the shared page (dbgFault) for the REPL to report. Strings point at static
// data (function names, wait reason and status tables, the constant pool),
// held as uintptr: nothing here may write a pointer.

//go:build linux

package runtime

import (
	"internal/runtime/atomic"
	"unsafe"
)

const (
	dbgMaxBP    = 32
	dbgMaxProg  = 96
	dbgMaxStack = 32
	dbgPoolLen  = 1 << 10
)

// Value types.
const (
	vNil = iota
	vBool
	vInt
	vStr
)

type dbgVal struct {
	t uint8
	i int64   // bool (0/1), int, or string length
	s uintptr // string data (static memory only)
}

// dbgFail is why a program failed where Lua raises an error: indexing a
// nil value (field f, of P pi for p[pi].*), or ordering values Lua does
// not order (types ta, tb). The zero value: no error.
type dbgFail struct {
	code   uint8 // failNone...
	ta, tb uint8 // failCompare: the values' types
	f      int32 // failNil: the field read
	pi     int64
}

const (
	failNone = iota
	failNil
	failCompare
)

func dbgNilFail(f int32, pi int64) dbgFail { return dbgFail{code: failNil, f: f, pi: pi} }

// Opcodes.
const (
	opConst = iota // push prog constant
	opLoad         // push field a
	opLoadP        // pop P index, push P field a
	opEq
	opNe
	opLt
	opLe
	opGt
	opGe
	opNot
	opJumpFalse // if top is falsy jump by a (keep top), else pop
	opJumpTrue  // if top is truthy jump by a (keep top), else pop
	opTest      // push (field a CMP k): opLoad, opConst and a comparison fused
	opTestP     // push (P pi's field a CMP k): opConst, opLoadP, opConst and a comparison
)

type dbgInstr struct {
	op  uint8
	cmp uint8 // opTest*: the comparison
	int bool  // opTest*: an integer test, field a's integer view in [lo, hi] (dbgIntTest)
	a   int32 // field id, jump offset
	pi  int64 // opTestP: the P index
	k   dbgVal
	t   dbgRange // the integer test
}

// dbgRange is an integer test: v CMP k as "v is in [lo, hi]" (not, for
// ~=), one unsigned comparison and no branch on the operator.
type dbgRange struct {
	lo, hi int64
	not    bool
}

func (t *dbgRange) holds(v int64) bool { return (uint64(v-t.lo) <= uint64(t.hi-t.lo)) != t.not }

// dbgRangeOf is the range test of v CMP k.
func dbgRangeOf(cmp uint8, k int64) dbgRange {
	t := dbgRange{lo: -1 << 63, hi: 1<<63 - 1}
	switch cmp {
	case opEq, opNe:
		t.lo, t.hi, t.not = k, k, cmp == opNe
	case opLt, opLe:
		if cmp == opLt && k == t.lo {
			t.not = true // nothing is below the least integer
		} else if t.hi = k; cmp == opLt {
			t.hi = k - 1
		}
	case opGt, opGe:
		if cmp == opGt && k == t.hi {
			t.not = true
		} else if t.lo = k; cmp == opGt {
			t.lo = k + 1
		}
	}
	return t
}

type dbgBreak struct {
	used    bool
	enabled bool
	lua     bool   // Lua tier: check (or stop) at the events of the kinds where its guard (the program, if any) holds or fails
	id      int64  // the REPL's breakpoint number
	kinds   uint32 // bit k set: event kind k (0: every kind)
	at      uint32 // the kinds it is evaluated at (dbgKindMask)
	gen     uint32 // dbgBreaks.gen when it was installed
	parks   uint64 // the parks it is evaluated at (dbgParkBit bits; dbgParkMask)
	flat    bool   // only tests, not, and jumps: every value is a boolean (dbgEval)
	n       int32
	prog    [dbgMaxProg]dbgInstr
	npool   int
	pool    [dbgPoolLen]byte // string constants; a constant's k.s is an offset here
}

var dbgBreaks struct {
	kinds  atomic.Uint32 // union of the kinds the enabled ones are evaluated at: the hooks test this first
	parks  uint64        // union of the enabled ones' park masks (written while stopped): a park whose bit is clear holds for none
	noted  bool          // a park was skipped since the plan changed (dbgNoteSkip)
	falsed uint64        // (atomic) slots whose condition was false at an event since install (dbgFalse)
	nplan  uint32        // entries of plan (these change only while the program is stopped)
	gen    uint32        // a new generation at every install or removal (dbgBreakCmd)
	plan   [dbgMaxBP]dbgPlan
	bp     [dbgMaxBP]dbgBreak
	tmp    dbgBreak          // where programs are compiled before they are installed, and eval's
	last   [dbgMaxBP]dbgFail // the error whose message the page holds (dbgFault)
}

// dbgPlan is one enabled breakpoint as the hooks see it (dbgBreakCount):
// a dense list, so an event touches little memory to find its breakpoints.
type dbgPlan struct {
	kinds uint32 // the event kinds it is evaluated at, as bits (dbgKindMask)
	slot  uint8  // in dbgBreaks.bp, or dbgTmpSlot
	how   uint8  // how the hooks evaluate it (planRec...): one integer test, copied here (a, pi, t), or the program
	a     int32
	pi    int64
	t     dbgRange
}

// dbgPlanOf is breakpoint b's plan entry.
func dbgPlanOf(b *dbgBreak, slot uint8) dbgPlan {
	e := dbgPlan{kinds: b.at, slot: slot}
	in := &b.prog[0]
	if b.lua || b.n != 1 || !in.int {
		return e
	}
	e.how, e.a, e.pi, e.t = planRec, in.a, in.pi, in.t
	switch {
	case in.a >= fEvPID+1 && in.a <= fEvPTimers: // ev.p.* but the id: a field of the event's P
		e.how = planEvP
	case in.a >= fPStatus:
		e.how = planP
	case !dbgRecField(in.a):
		e.how = planOne
	}
	return e
}

// ---- events a condition cannot hold at --------------------------------------

// A park is the event most conditions are about, and the commonest one
// (two per channel round trip); most of its conditions test its wait
// reason. So each breakpoint has a mask of the parks at which it may hold,
// by wait reason (dbgParkMask), and a park that no breakpoint's mask takes
// skips the breakpoints (dbgEventP): one test instead of an evaluation.
// Likewise, by kind (dbgKindMask), for the other events.

// dbgParkAny is the bit of the parks the masks do not tell apart: a wait
// reason past 62 (or past the runtime's table), or a goroutine no longer
// waiting when its park was recorded (readied at once). A mask has it, and
// bit 0 (no wait reason: not a reason to name), when the condition may
// hold at such a park (its status and wait reason unknown).
const (
	dbgParkAny     = 63
	dbgParkReasons = min(dbgParkAny, len(waitReasonStrings)) // the reasons told apart
	dbgParkAll     = 1<<dbgParkReasons - 1 | 1<<dbgParkAny
)

// dbgParkBit is the masks' bit of a park whose goroutine has this status
// and wait reason.
func dbgParkBit(status, reason uint8) uint64 {
	if status != _Gwaiting || int(reason) >= dbgParkReasons {
		return 1 << dbgParkAny
	}
	return 1 << reason
}

// dbgParkMask is the parks at which breakpoint b may hold, or fail (an
// error is counted, so it must be evaluated): bit r for wait reason r, if
// b's program (of the Lua tier: its guard), run with what a park of
// reason r fixes known (dbgKnownInt) and every other field unknown, may end
// true or fail. None if b does not take parks; all if its condition is
// Lua's with no guard.
func dbgParkMask(b *dbgBreak) uint64 {
	if b.kinds != 0 && b.kinds&(1<<evPark) == 0 {
		return 0
	}
	m := uint64(0)
	if b.lua && b.n == 0 || dbgMayHold(b, dbgEvAt{kind: evPark, untold: true}) {
		m = 1<<dbgParkAny | 1
	}
	for wr := waitReason(1); wr < waitReason(dbgParkReasons); wr++ {
		if b.lua && b.n == 0 || dbgMayHold(b, dbgEvAt{kind: evPark, wr: wr}) {
			m |= 1 << wr
		}
	}
	return m
}

// dbgKindMask is the event kinds (bits) at which breakpoint b is
// evaluated: of those it takes, each at which its program, run with the
// kind known (dbgMayHold), may end true or fail; parks if some may
// (dbgParkMask). All it takes for the Lua tier (its guard's false events
// are checks that expect_never counts: dbgFalse).
func dbgKindMask(b *dbgBreak) uint32 {
	takes := dbgTakes(b)
	if b.lua {
		return takes
	}
	m := uint32(0)
	for k := uint32(1); k < evInterrupt; k++ {
		if takes&(1<<k) == 0 {
			continue
		}
		if k == evPark && b.parks != 0 || k != evPark && dbgMayHold(b, dbgEvAt{kind: k}) {
			m |= 1 << k
		}
	}
	return m
}

// dbgTakes is the kinds breakpoint b takes, as bits.
func dbgTakes(b *dbgBreak) uint32 {
	if b.kinds == 0 {
		return 1<<evInterrupt - 2 // every event's kind (bit 0: none; an interrupt is no event)
	}
	return b.kinds
}

// dbgEvAt is what dbgMayHold knows of an event: its kind, and for a park
// the wait reason it recorded (its goroutine waiting), unless untold (a
// park of no reason the masks tell apart: dbgParkAny).
type dbgEvAt struct {
	kind   uint32
	wr     waitReason
	untold bool
}

// dbgNoteSkip: a park was skipped, so the condition (a Lua-tier one's
// guard) of every breakpoint evaluated at parks was false there (dbgFalse).
// Once per plan. False: no breakpoint is evaluated at the park (for the
// hook's test).
func dbgNoteSkip() bool {
	for i := range dbgBreaks.bp {
		if b := &dbgBreaks.bp[i]; b.used && b.enabled && b.at&(1<<evPark) != 0 {
			dbgFalse(uint8(i))
		}
	}
	dbgBreaks.noted = true
	return false
}

// vUnknown is dbgMayHold's value of a field a park does not fix; its i is
// what it may be: mayTrue (truthy), mayFalse (nil or false), or both.
const (
	vUnknown = vStr + 1
	mayTrue  = 1
	mayFalse = 2
)

func unknownVal(may int64) dbgVal { return dbgVal{t: vUnknown, i: may} }

// dbgMayBe is what v may be: mayTrue, mayFalse or both.
func dbgMayBe(v dbgVal) int64 {
	switch {
	case v.t == vUnknown:
		return v.i
	case v.truthy():
		return mayTrue
	}
	return mayFalse
}

// dbgMayHold runs b's program on values that may be unknown, at an event
// as at says: true unless it surely ends false without an error. Jumps go
// forward only; where a jump's operand may go either way both ways are
// taken, and where ways meet their stacks merge (a value they do not agree
// on becomes unknown): one pass.
func dbgMayHold(b *dbgBreak, at dbgEvAt) bool {
	j := &dbgMay
	clear(j.in[:b.n+1])
	var st [dbgMaxStack]dbgVal
	sp, live := 0, true
	for pc := int32(0); pc <= b.n; pc++ {
		if j.in[pc] {
			if live && !dbgMayJoin(pc, st[:sp]) {
				return true
			}
			sp, live = j.sp[pc], true
			copy(st[:sp], j.st[pc][:sp])
		}
		if pc == b.n {
			break
		}
		if !live {
			continue
		}
		in := &b.prog[pc]
		switch in.op {
		case opJumpFalse, opJumpTrue:
			if sp < 1 || pc+in.a+1 > b.n {
				return true
			}
			jumps := int64(mayFalse) // what the top is where the jump is taken
			if in.op == opJumpTrue {
				jumps = mayTrue
			}
			top := st[sp-1]
			may := dbgMayBe(top)
			if may&jumps != 0 {
				if top.t == vUnknown {
					st[sp-1] = unknownVal(jumps)
				}
				if !dbgMayJoin(pc+in.a+1, st[:sp]) {
					return true
				}
				if may == jumps {
					live = false // taken for sure
					continue
				}
			}
			sp--
			continue
		case opNot:
			if sp < 1 {
				return true
			}
			if v := st[sp-1]; v.t == vUnknown {
				st[sp-1] = unknownVal(v.i>>1 | v.i&1<<1) // (swap the two)
			} else {
				st[sp-1] = boolVal(!v.truthy())
			}
			continue
		}
		v, pop, ok := dbgMayValue(b, in, st[:sp], at)
		if !ok || sp-pop == dbgMaxStack {
			return true
		}
		sp -= pop
		st[sp] = v
		sp++
	}
	return sp != 1 || dbgMayBe(st[0])&mayTrue != 0
}

// dbgMay is dbgMayHold's stacks where ways meet: at instruction pc (b.n:
// the end), if a way reached it yet (in), the merge of their stacks.
var dbgMay struct {
	in [dbgMaxProg + 1]bool
	sp [dbgMaxProg + 1]int
	st [dbgMaxProg + 1][dbgMaxStack]dbgVal
}

// dbgMayJoin merges stack st into the one at pc; false if their depths
// differ (no program the REPL makes does that).
func dbgMayJoin(pc int32, st []dbgVal) bool {
	j := &dbgMay
	if !j.in[pc] {
		j.in[pc], j.sp[pc] = true, len(st)
		copy(j.st[pc][:], st)
		return true
	}
	if j.sp[pc] != len(st) {
		return false
	}
	for i, v := range st {
		if w := &j.st[pc][i]; !dbgSame(*w, v) {
			*w = unknownVal(dbgMayBe(*w) | dbgMayBe(v))
		}
	}
	return true
}

// dbgMayValue is the value that instruction in (a test, a constant, a
// load or a comparison, or a P's field) leaves on top of stack st at an
// event as at says, and how many values it pops first; not ok if it may
// fail.
func dbgMayValue(b *dbgBreak, in *dbgInstr, st []dbgVal, at dbgEvAt) (v dbgVal, pop int, ok bool) {
	either := unknownVal(mayTrue | mayFalse)
	switch in.op {
	case opConst:
		v = in.k
		if v.t == vStr {
			v.s += uintptr(unsafe.Pointer(&b.pool[0]))
		}
		return v, 0, true
	case opLoad:
		if i, known := dbgKnownInt(in.a, at); known {
			return dbgEnumName(in.a, i), 0, true // (the fields known are enumerated)
		}
		return either, 0, dbgReadable(in.a, -1, at)
	case opLoadP: // p[i].f, i on the stack
		if len(st) < 1 {
			return v, 0, false
		}
		i := st[len(st)-1]
		return either, 1, i.t == vInt && dbgReadable(in.a, i.i, at)
	case opTestP:
		return either, 0, dbgReadable(in.a, in.pi, at) && (in.int || in.cmp == opEq || in.cmp == opNe)
	case opTest:
		i, known := dbgKnownInt(in.a, at)
		switch {
		case known && in.int:
			return boolVal(in.t.holds(i)), 0, true
		case known:
			k := in.k
			if k.t == vStr {
				k.s += uintptr(unsafe.Pointer(&b.pool[0]))
			}
			r, fail := dbgCompare(in.cmp, dbgEnumName(in.a, i), k)
			return boolVal(r), 0, fail.code == failNone
		}
		return either, 0, dbgReadable(in.a, -1, at) && (in.int || in.cmp == opEq || in.cmp == opNe)
	}
	if len(st) < 2 { // a comparison
		return v, 0, false
	}
	x, y := st[len(st)-2], st[len(st)-1]
	if x.t == vUnknown || y.t == vUnknown {
		return either, 2, in.op == opEq || in.op == opNe // (ordering may fail)
	}
	r, fail := dbgCompare(in.op, x, y)
	return boolVal(r), 2, fail.code == failNone
}

// dbgKnownInt is the integer view of field f at an event as at says, if
// that fixes it: the kind; ev.waitreason, nil but at a park; at a park of
// a reason told, its goroutine's status and wait reason as recorded
// (waiting, at.wr).
func dbgKnownInt(f int32, at dbgEvAt) (int64, bool) {
	park, told := at.kind == evPark, at.kind == evPark && !at.untold
	switch {
	case f == fEvKind:
		return int64(at.kind), true
	case f == fEvWaitreason && !park:
		return dbgEnumNil, true
	case f == fEvWaitreason && told:
		return dbgWaitIndex(at.wr), true
	case (f == fEvGStatus || f == fEvGWaitreason) && told:
		return dbgGState(f, _Gwaiting, at.wr), true
	}
	return 0, false
}

// dbgReadable: field f (of p[pi]) can be read at every event of at's kind
// (Lua raises no error): sched, the event's M, ev.g and ev.p themselves;
// at a park the goroutine's and P's fields too (it parks on its M, which
// holds the P); ev.from at a steal; of the Ps, P 0.
func dbgReadable(f int32, pi int64, at dbgEvAt) bool {
	switch {
	case f >= fPStatus:
		return pi == 0
	case f == fEvFromID:
		return at.kind == evSteal
	case f == fEvKind || f == fEvG || f == fEvP || f >= fEvMID:
		return true
	}
	return at.kind == evPark // ev.g.*, ev.p.*
}

// dbgSame: a and b are the same known value.
func dbgSame(a, b dbgVal) bool {
	if a.t == vUnknown || a.t != b.t {
		return false
	}
	if a.t == vStr {
		return a.str() == b.str()
	}
	return a.i == b.i
}

// How a plan entry is evaluated: one integer test of a field of the event's
// record, of the event's P or of P number pi (dbgPInt), or of
// another field (dbgIntField); or the breakpoint's program.
const (
	planProg = iota
	planRec
	planEvP
	planP
	planOne
)

const dbgTmpSlot = dbgMaxBP // dbgBreaks.tmp, for eval

func dbgProg(slot uint8) *dbgBreak {
	if slot == dbgTmpSlot {
		return &dbgBreaks.tmp
	}
	return &dbgBreaks.bp[slot]
}

// Fields a program can load. The names are the Lua model's paths.
const (
	fEvKind = iota
	fEvG
	fEvGID
	fEvGStatus
	fEvGWaitreason
	fEvGStartfn
	fEvGCreatedby
	fEvGParent
	fEvGSystem
	fEvP
	fEvPID
	fEvPStatus
	fEvPSchedtick
	fEvPRunqLen
	fEvPTimers
	fEvMID
	fEvMProcid
	fEvMSpinning
	fEvWaitreason
	fEvFromID
	fSNgoroutines
	fSNpidle
	fSNmspinning
	fSNmidle
	fSNmsys
	fSGomaxprocs
	fSGoidgen
	fSRunqLen
	fSGcwaiting
	fSStopwait
	fPStatus // P fields: the P index is on the stack
	fPRunqLen
	fPSchedtick
	fPSyscalltick
	fPTimers
	fPGfree
	fCount
)

var dbgFieldNames = [fCount]string{
	"ev.kind", "ev.g", "ev.g.id", "ev.g.status", "ev.g.waitreason", "ev.g.startfn",
	"ev.g.createdby", "ev.g.parent", "ev.g.system", "ev.p", "ev.p.id", "ev.p.status",
	"ev.p.schedtick", "#ev.p.runq", "ev.p.timers", "ev.m.id", "ev.m.procid", "ev.m.spinning",
	"ev.waitreason", "ev.from.id",
	"sched.ngoroutines", "sched.npidle", "sched.nmspinning", "sched.nmidle", "sched.nmsys",
	"sched.gomaxprocs", "sched.goidgen", "#sched.runq", "sched.gcwaiting", "sched.stopwait",
	"p.status", "#p.runq", "p.schedtick", "p.syscalltick", "p.timers", "p.gfree",
}

// dbgCtx is what a program evaluates against: the event at its hook.
type dbgCtx struct {
	kind uint32
	gp   *g
	pp   *p
	mp   *m
	aux  int64
	ev   *dbgEv // the event's record: its G's status and wait reason as the hook saw them (nil: as they are now)
}

func strVal(s string) dbgVal {
	return dbgVal{t: vStr, i: int64(len(s)), s: uintptr(unsafe.Pointer(unsafe.StringData(s)))}
}

// str rebuilds the string (unsafe.String could panic, which the hooks' callers forbid).
func (v dbgVal) str() string {
	var s string
	h := (*stringStruct)(unsafe.Pointer(&s))
	h.str, h.len = unsafe.Pointer(v.s), int(v.i)
	return s
}

func intVal(i int64) dbgVal { return dbgVal{t: vInt, i: i} }

func boolVal(b bool) dbgVal {
	if b {
		return dbgVal{t: vBool, i: 1}
	}
	return dbgVal{t: vBool}
}

func (v dbgVal) truthy() bool { return v.t != vNil && !(v.t == vBool && v.i == 0) }

// dbgEventWatched evaluates the breakpoints that take event ev, just
// recorded by its hook (gp, pp: its G and P), and takes the stop if one
// fires or the event completes the pending step. The hooks call it at every
// event of a watched kind (st: the pending step as it was at the event),
// so the usual program, one integer test of a
// field of the event or of a P, runs here from its plan entry and reads the
// event's record, not the context the other programs get.
func dbgEventWatched(ev *dbgEv, gp *g, pp *p, st uint64) {
	mp := getg().m
	gen := dbgBreaks.gen
	plan := dbgBreaks.plan[:dbgBreaks.nplan]
	bit := uint32(1) << (ev.kind & 31)
	var hits uint64
	for i := range plan {
		e := &plan[i] // (not a copy: copying the entry stalls the loads that follow)
		if e.kinds&bit == 0 {
			continue
		}
		var v int64
		ok := false
		switch e.how {
		case planRec: // the dbgRecField fields (here, not in a function: a call costs as much as the rest)
			ok = true
			switch e.a {
			case fEvKind:
				v = int64(ev.kind)
			case fEvGID:
				v, ok = ev.g, ev.g >= 0
			case fEvPID:
				v, ok = int64(ev.p), ev.p >= 0
			case fEvMID:
				v = ev.m
			case fEvFromID:
				v, ok = ev.aux, ev.kind == evSteal // ev.from is nil otherwise: indexing it errors
			case fEvWaitreason:
				v = dbgEnumNil
				if ev.kind == evPark && ev.g >= 0 {
					v = dbgWaitIndex(waitReason(ev.reason))
				}
			default: // ev.g.status, ev.g.waitreason
				v, ok = dbgGState(e.a, uint32(ev.status), waitReason(ev.reason)), ev.g >= 0
			}
		case planEvP:
			if pp != nil {
				v, ok = dbgPInt(dbgEvPField[e.a-fEvPID], pp), true
			}
		case planP:
			if uint64(e.pi) < uint64(len(allp)) {
				v, ok = dbgPInt(e.a, allp[e.pi]), true
			}
		default:
			var c dbgCtx // (field by field: a literal is built, then copied, and the copy stalls)
			c.kind, c.gp, c.pp, c.mp, c.aux, c.ev = uint32(ev.kind), gp, pp, mp, ev.aux, ev
			r, fail := dbgEval(e, &c)
			if r {
				hits |= 1 << e.slot
			} else if fail.code != failNone {
				dbgFault(e.slot, fail)
			}
			continue
		}
		if !ok { // where Lua errs: ev.g, ev.p, ev.from or p[pi] is nil
			dbgFault(e.slot, dbgNilFail(e.a, e.pi))
		} else if e.t.holds(v) {
			hits |= 1 << e.slot
		} else if atomic.Load64(&dbgBreaks.falsed)&(1<<e.slot) == 0 {
			dbgFalse(e.slot)
		}
	}
	if hits != 0 {
		hits = dbgIgnore(hits)
	}
	if hits != 0 || st&dbgStepLeft != 0 {
		dbgEventHit(ev, uint32(ev.kind), gp, mp, hits, st, gen)
	}
}

// dbgStillHits is what is left of hits (slots whose condition held, with
// the breakpoints of generation gen) now: those whose breakpoint is still
// the one installed then. (One installed since applies to later events.)
func dbgStillHits(hits uint64, gen uint32) uint64 {
	for i := range dbgBreaks.bp {
		if b := &dbgBreaks.bp[i]; hits&(1<<i) != 0 && (!b.used || !b.enabled || b.gen > gen) {
			hits &^= 1 << i
		}
	}
	return hits
}

// dbgLuaOnly: every breakpoint that fired is of the Lua tier (a light
// check will do).
func dbgLuaOnly(hits uint64) bool {
	for i := range dbgBreaks.bp {
		if hits&(1<<uint(i)) != 0 && !dbgBreaks.bp[i].lua {
			return false
		}
	}
	return hits != 0
}

// dbgEval evaluates plan entry e's program against event c; an error (a
// failure where Lua raises one) makes it false. A program of one integer
// test runs from its plan entry; tests joined by and/or/not (flat) run
// here with one boolean for a stack; any other program runs on a value
// stack. A breakpoint of the Lua tier is true (Lua is asked) unless its
// guard is false: where the guard fails, Lua raises the error itself.
func dbgEval(e *dbgPlan, c *dbgCtx) (bool, dbgFail) {
	if e.how != planProg {
		v, ok := dbgIntField(e.a, c, e.pi)
		if !ok {
			return false, dbgNilFail(e.a, e.pi)
		}
		return e.t.holds(v), dbgFail{}
	}
	b := dbgProg(e.slot)
	if b.n == 0 { // (a Lua-tier breakpoint without a guard)
		return true, dbgFail{}
	}
	var r bool
	var fail dbgFail
	if b.flat {
		r, fail = dbgRunFlat(b, c)
	} else {
		r, fail = dbgRunStack(b, c)
	}
	if b.lua && fail.code != failNone {
		return true, dbgFail{}
	}
	if !r && fail.code == failNone {
		dbgFalse(e.slot)
	}
	return r, fail
}

// dbgRunFlat evaluates a flat program: tests, not and jumps, with one
// boolean for a stack.
func dbgRunFlat(b *dbgBreak, c *dbgCtx) (bool, dbgFail) {
	r := false
	for pc := int32(0); pc < b.n; pc++ {
		in := &b.prog[pc]
		switch in.op {
		case opTest, opTestP:
			var fail dbgFail
			if r, fail = dbgTest(b, in, c); fail.code != failNone {
				return false, fail
			}
		case opNot:
			r = !r
		case opJumpFalse:
			if !r {
				pc += in.a
			}
		case opJumpTrue:
			if r {
				pc += in.a
			}
		}
	}
	return r, dbgFail{}
}

// dbgTest evaluates a fused test.
func dbgTest(b *dbgBreak, in *dbgInstr, c *dbgCtx) (bool, dbgFail) {
	if in.int {
		v, ok := dbgIntField(in.a, c, in.pi)
		if !ok {
			return false, dbgNilFail(in.a, in.pi)
		}
		return in.t.holds(v), dbgFail{}
	}
	v, ok := dbgLoad(in.a, c, in.pi)
	if !ok {
		return false, dbgNilFail(in.a, in.pi)
	}
	k := in.k
	if k.t == vStr {
		k.s += uintptr(unsafe.Pointer(&b.pool[0]))
	}
	return dbgCompare(in.cmp, v, k)
}

// dbgRunStack evaluates any program on a value stack. (A program the
// compiler made never overflows it, nor runs short.)
func dbgRunStack(b *dbgBreak, c *dbgCtx) (bool, dbgFail) {
	var st [dbgMaxStack]dbgVal
	sp := 0
	for pc := int32(0); pc < b.n; pc++ {
		in := &b.prog[pc]
		switch in.op {
		case opTest, opTestP:
			if sp == dbgMaxStack {
				return false, dbgFail{}
			}
			r, fail := dbgTest(b, in, c)
			if fail.code != failNone {
				return false, fail
			}
			st[sp] = boolVal(r)
			sp++
		case opConst, opLoad:
			if sp == dbgMaxStack {
				return false, dbgFail{}
			}
			v := in.k
			if v.t == vStr {
				v.s += uintptr(unsafe.Pointer(&b.pool[0]))
			}
			if in.op == opLoad {
				var ok bool
				if v, ok = dbgLoad(in.a, c, 0); !ok {
					return false, dbgNilFail(in.a, 0)
				}
			}
			st[sp] = v
			sp++
		case opLoadP:
			if sp < 1 {
				return false, dbgFail{}
			}
			if st[sp-1].t != vInt { // p[true], p["a"]: nil, indexed
				return false, dbgNilFail(in.a, -1)
			}
			v, ok := dbgLoad(in.a, c, st[sp-1].i)
			if !ok {
				return false, dbgNilFail(in.a, st[sp-1].i)
			}
			st[sp-1] = v
		case opNot:
			if sp < 1 {
				return false, dbgFail{}
			}
			st[sp-1] = boolVal(!st[sp-1].truthy())
		case opJumpFalse, opJumpTrue:
			if sp < 1 {
				return false, dbgFail{}
			}
			if st[sp-1].truthy() == (in.op == opJumpTrue) {
				pc += in.a // keep the operand as the result
			} else {
				sp--
			}
		default: // comparisons
			if sp < 2 {
				return false, dbgFail{}
			}
			r, fail := dbgCompare(in.op, st[sp-2], st[sp-1])
			if fail.code != failNone {
				return false, fail
			}
			sp--
			st[sp-1] = boolVal(r)
		}
	}
	return sp == 1 && st[0].truthy(), dbgFail{}
}

// dbgCompare applies a comparison with Lua's semantics.
func dbgCompare(op uint8, a, b dbgVal) (bool, dbgFail) {
	switch op {
	case opEq, opNe:
		eq := a.t == b.t && (a.t == vNil || (a.t == vStr && a.str() == b.str()) || (a.t != vStr && a.i == b.i))
		return eq == (op == opEq), dbgFail{}
	}
	if a.t != b.t || (a.t != vInt && a.t != vStr) {
		if op == opGt || op == opGe { // (Lua does a > b as b < a, and names them so)
			a, b = b, a
		}
		return false, dbgFail{code: failCompare, ta: a.t, tb: b.t} // attempt to compare: a Lua error
	}
	var c int
	if a.t == vInt {
		if a.i < b.i {
			c = -1
		} else if a.i > b.i {
			c = 1
		} else {
			c = 0
		}
	} else {
		as, bs := a.str(), b.str()
		switch {
		case as < bs:
			c = -1
		case as > bs:
			c = 1
		}
	}
	switch op {
	case opLt:
		return c < 0, dbgFail{}
	case opLe:
		return c <= 0, dbgFail{}
	case opGt:
		return c > 0, dbgFail{}
	}
	return c >= 0, dbgFail{} // opGe
}

// Fields have one of three shapes. Integers and enumerated fields (a name
// from a table) have an integer view, read without strings or calls
// (dbgIntField): an enumerated field's view is its index in its table, so
// a comparison with a name compiles to one of indexes (dbgEnumConst). The
// rest (ev.g, ev.p, function names, booleans) are read as values.
const (
	fieldValue = iota
	fieldInt
	fieldEnum
)

var dbgFieldShape = [fCount]uint8{
	fEvKind: fieldEnum, fEvGID: fieldInt, fEvGStatus: fieldEnum, fEvGWaitreason: fieldEnum,
	fEvGParent: fieldInt, fEvPID: fieldInt, fEvPStatus: fieldEnum, fEvPSchedtick: fieldInt,
	fEvPRunqLen: fieldInt, fEvPTimers: fieldInt, fEvMID: fieldInt, fEvMProcid: fieldInt,
	fEvWaitreason: fieldEnum, fEvFromID: fieldInt,
	fSNgoroutines: fieldInt, fSNpidle: fieldInt, fSNmspinning: fieldInt, fSNmidle: fieldInt,
	fSNmsys: fieldInt, fSGomaxprocs: fieldInt, fSGoidgen: fieldInt, fSRunqLen: fieldInt,
	fSStopwait: fieldInt,
	fPStatus:   fieldEnum, fPRunqLen: fieldInt, fPSchedtick: fieldInt, fPSyscalltick: fieldInt,
	fPTimers: fieldInt, fPGfree: fieldInt,
}

// Indexes an enumerated field's view takes besides those of its table.
const (
	dbgEnumNil     = -2 // the field is nil (a waitreason when not waiting)
	dbgEnumUnknown = -3 // beyond the table: "unknown" ("unknown wait reason")
	dbgEnumNone    = -1 // a constant that is no name of the table: never equal
)

// dbgEvPField maps the ev.p.* fields to P fields (fPID: the id, which only
// the event's P has as a field).
const fPID = fCount

var dbgEvPField = [...]int32{fPID, fPStatus, fPSchedtick, fPRunqLen, fPTimers}

// dbgLoad reads field f of the event, or of P number pi. ok is false
// where Lua would raise an error (indexing a nil G, P or M).
func dbgLoad(f int32, c *dbgCtx, pi int64) (dbgVal, bool) {
	switch dbgFieldShape[f] {
	case fieldInt:
		v, ok := dbgIntField(f, c, pi)
		return intVal(v), ok
	case fieldEnum:
		i, ok := dbgIntField(f, c, pi)
		return dbgEnumName(f, i), ok
	}
	return dbgLoadValue(f, c)
}

// dbgIntField is the integer view of field f (dbgFieldShape): what the
// hooks' tests compare, so it calls nothing (but gcount, for
// sched.ngoroutines). ok is false where Lua would raise an error.
func dbgIntField(f int32, c *dbgCtx, pi int64) (int64, bool) {
	gp := c.gp
	switch {
	case f >= fEvPID && f <= fEvPTimers: // ev.p.*: the event's P
		if c.pp == nil {
			return 0, false
		}
		return dbgPInt(dbgEvPField[f-fEvPID], c.pp), true
	case f >= fPStatus: // p[pi].*
		if uint64(pi) >= uint64(len(allp)) {
			return 0, false
		}
		return dbgPInt(f, allp[pi]), true
	case f >= fEvGID && f <= fEvGParent && gp == nil:
		return 0, false
	}
	switch f {
	case fEvKind:
		return int64(c.kind), true
	case fEvWaitreason:
		if c.kind != evPark || gp == nil {
			return dbgEnumNil, true
		}
		return dbgWaitIndex(gp.waitreason), true
	case fEvFromID:
		return c.aux, c.kind == evSteal // ev.from is nil otherwise: indexing it errors
	case fEvMID:
		return c.mp.id, true
	case fEvMProcid:
		return int64(c.mp.procid), true
	case fEvGID:
		return int64(gp.goid), true
	case fEvGParent:
		return int64(gp.parentGoid), true
	case fEvGStatus, fEvGWaitreason:
		if c.ev != nil {
			return dbgGState(f, uint32(c.ev.status), waitReason(c.ev.reason)), true
		}
		return dbgGState(f, readgstatus(gp)&^_Gscan, gp.waitreason), true
	case fSNgoroutines:
		return int64(gcount(false)), true
	case fSNpidle:
		return int64(sched.npidle.Load()), true
	case fSNmspinning:
		return int64(sched.nmspinning.Load()), true
	case fSNmidle:
		return int64(sched.nmidle), true
	case fSNmsys:
		return int64(sched.nmsys), true
	case fSGomaxprocs:
		return int64(gomaxprocs), true
	case fSGoidgen:
		return int64(sched.goidgen.Load()), true
	case fSRunqLen:
		return int64(sched.runq.size), true
	case fSStopwait:
		return int64(sched.stopwait), true
	}
	return 0, false // not a field with an integer view (dbgFuse never asks)
}

// dbgPInt is the integer view of field f (fPID or a P field) of P pp.
func dbgPInt(f int32, pp *p) int64 {
	switch f {
	case fPID:
		return int64(pp.id)
	case fPStatus:
		return dbgIndex(pp.status, len(dbgPStatus))
	case fPRunqLen:
		return dbgRunqLen(pp)
	case fPSchedtick:
		return int64(pp.schedtick)
	case fPSyscalltick:
		return int64(pp.syscalltick)
	case fPTimers:
		return int64(pp.timers.len.Load())
	}
	return int64(pp.gFree.size) // fPGfree
}

// dbgRecField: field f has an integer view in the event's record, which
// the hooks read for it (dbgEventWatched).
func dbgRecField(f int32) bool {
	switch f {
	case fEvKind, fEvGID, fEvGStatus, fEvGWaitreason, fEvPID, fEvMID, fEvWaitreason, fEvFromID:
		return true
	}
	return false
}

// dbgGState is the integer view of ev.g.status or ev.g.waitreason (f) of a
// goroutine of status st and wait reason wr.
func dbgGState(f int32, st uint32, wr waitReason) int64 {
	if f == fEvGStatus {
		return dbgIndex(st, len(dbgGStatus))
	}
	if dbgWaiting(st, wr) {
		return dbgWaitIndex(wr)
	}
	return dbgEnumNil
}

func dbgRunqLen(pp *p) int64 {
	n := int64(atomic.Load(&pp.runqtail) - atomic.Load(&pp.runqhead))
	return max(min(n, int64(len(pp.runq))), 0)
}

// dbgIndex is a status's index in a table of n names, or dbgEnumUnknown.
func dbgIndex(st uint32, n int) int64 {
	if st >= uint32(n) {
		return dbgEnumUnknown
	}
	return int64(st)
}

func dbgWaitIndex(wr waitReason) int64 {
	if wr >= waitReason(len(waitReasonStrings)) {
		return dbgEnumUnknown
	}
	return int64(wr)
}

// dbgEnumTable is enumerated field f's table of names and its name for
// dbgEnumUnknown; index 0 is a name only for statuses (no event kind, no
// wait reason).
func dbgEnumTable(f int32) (names []string, unknown string) {
	switch f {
	case fEvKind:
		return dbgEvNames[:], ""
	case fEvGStatus:
		return dbgGStatus[:], "unknown"
	case fPStatus, fEvPStatus:
		return dbgPStatus[:], "unknown"
	}
	return waitReasonStrings[:], "unknown wait reason" // fEvGWaitreason, fEvWaitreason
}

// dbgEnumName is the value of enumerated field f whose index is i.
func dbgEnumName(f int32, i int64) dbgVal {
	names, unknown := dbgEnumTable(f)
	switch {
	case i == dbgEnumNil:
		return dbgVal{}
	case i == dbgEnumUnknown:
		return strVal(unknown)
	case i >= 0 && i < int64(len(names)):
		return strVal(names[i])
	}
	return dbgVal{}
}

// dbgEnumConst is the index of name s in enumerated field f's table, and
// whether f is enumerated.
func dbgEnumConst(f int32, s string) (int64, bool) {
	if dbgFieldShape[f] != fieldEnum {
		return 0, false
	}
	names, unknown := dbgEnumTable(f)
	for i := range names {
		if names[i] == s && (i > 0 || f == fEvGStatus || f == fEvPStatus || f == fPStatus) {
			return int64(i), true
		}
	}
	if s == unknown && s != "" {
		return dbgEnumUnknown, true
	}
	return dbgEnumNone, true
}

// dbgLoadValue reads the fields without an integer view.
func dbgLoadValue(f int32, c *dbgCtx) (dbgVal, bool) {
	gp := c.gp
	switch f {
	case fEvG:
		if gp == nil {
			return dbgVal{}, true
		}
		return intVal(int64(gp.goid)), true
	case fEvP:
		if c.pp == nil {
			return dbgVal{}, true
		}
		return intVal(int64(c.pp.id)), true
	case fEvMSpinning:
		return boolVal(c.mp.spinning), true
	case fSGcwaiting:
		return boolVal(sched.gcwaiting.Load()), true
	}
	if gp == nil { // fEvGStartfn, fEvGCreatedby, fEvGSystem
		return dbgVal{}, false
	}
	switch f {
	case fEvGStartfn:
		return dbgStartFn(gp.startpc), true
	case fEvGCreatedby:
		if fn := findfunc(dbgCreator(gp)); fn.valid() { // (not dbgPCInfo: hooks run on many Ms at once)
			return strVal(funcname(fn)), true
		}
		return dbgVal{}, true
	}
	return boolVal(isSystemGoroutine(gp, false)), true // fEvGSystem
}

// ---- commands: installing programs --------------------------------------------

// dbgBreakCmd: "break ID KINDS TIER [TOKENS...]" installs (or replaces)
// breakpoint ID; KINDS is a bit mask of event kinds (0: all), TIER is c
// (compiled: TOKENS is the program) or l (Lua tier). "break ID off" removes
// it; an error keeps the previous state.
func dbgBreakCmd(args []byte) {
	word, rest := dbgWord(args)
	id := dbgNumber(word)
	if id < 0 {
		dbgError("break: bad id")
		return
	}
	slot := dbgBreakSlot(id)
	word, rest = dbgWord(rest)
	if string(word) == "off" {
		dbgBreaks.gen++
		if slot >= 0 {
			dbgBreaks.bp[slot].used = false
			dbgPageSlotReset(slot, 0) // (the REPL has read its counts)
		}
		dbgBreakCount()
		dbgOK()
		return
	}
	kinds := dbgNumber(word)
	tier, rest := dbgWord(rest)
	if kinds < 0 || kinds >= 1<<evCount || (string(tier) != "c" && string(tier) != "l") {
		dbgError("break: want ID KINDS c|l [PROGRAM]")
		return
	}
	if slot < 0 {
		for i := range dbgBreaks.bp {
			if !dbgBreaks.bp[i].used {
				slot = i
				break
			}
		}
	}
	if slot < 0 {
		dbgError("break: too many breakpoints")
		return
	}
	b := &dbgBreaks.tmp
	*b = dbgBreak{}
	b.id, b.kinds, b.lua = id, uint32(kinds), string(tier) == "l"
	if guard, _ := dbgWord(rest); (!b.lua || len(guard) > 0) && !dbgCompile(b, rest) {
		return
	}
	b.parks = dbgParkMask(b)
	b.at = dbgKindMask(b)
	dbgBreaks.gen++
	b.gen = dbgBreaks.gen
	b.used, b.enabled = true, true
	dbgBreaks.bp[slot] = *b
	dbgBreaks.last[slot] = dbgFail{}
	dbgPageSlotReset(slot, id)
	dbgBreakCount()
	dbgBreakOK(b)
}

// dbgBreakOK answers a breakpoint installed: ok, and if it is evaluated
// at the parks of some wait reasons only (dbgParkMask), which, and which
// are skipped; if at some of the kinds it takes only (dbgKindMask), which.
func dbgBreakOK(b *dbgBreak) {
	w := &dbgOut
	w.reset()
	w.raw(`{"type":"ok"`)
	if b.at&(1<<evPark) != 0 && b.parks != dbgParkAll {
		w.raw(`,"parks":`)
		dbgWriteNames(b.parks, waitReasonStrings[:dbgParkReasons])
		w.raw(`,"skipped":`)
		dbgWriteNames(^b.parks, waitReasonStrings[:dbgParkReasons])
	}
	if b.at != dbgTakes(b) {
		w.raw(`,"at":`)
		dbgWriteNames(uint64(b.at), dbgEvNames[:evInterrupt])
	}
	w.raw("}\n")
	w.flush()
}

// dbgWriteNames writes, as a list, names[i] for each bit i of m from 1 on
// (index 0 is no name: no event kind, no wait reason).
func dbgWriteNames(m uint64, names []string) {
	w := &dbgOut
	w.byte('[')
	sep := ""
	for i := 1; i < len(names); i++ {
		if m&(1<<i) != 0 {
			w.raw(sep)
			w.str(names[i])
			sep = ","
		}
	}
	w.byte(']')
}

func dbgBreakSlot(id int64) int {
	for i := range dbgBreaks.bp {
		if dbgBreaks.bp[i].used && dbgBreaks.bp[i].id == id {
			return i
		}
	}
	return -1
}

// dbgBreakCount recomputes what the hooks test: the plan of the enabled
// breakpoints and the union of their kinds (changed only while the program
// is stopped).
func dbgBreakCount() {
	n, kinds, parks := uint32(0), uint32(0), uint64(0)
	for i := range dbgBreaks.bp {
		b := &dbgBreaks.bp[i]
		if !b.used || !b.enabled {
			continue
		}
		dbgBreaks.plan[n] = dbgPlanOf(b, uint8(i))
		n++
		kinds |= b.at
		parks |= b.parks
	}
	dbgBreaks.nplan = n
	dbgBreaks.noted = false
	dbgBreaks.kinds.Store(kinds)
	dbgBreaks.parks = parks
}

// dbgEvalCmd: "eval TOKENS..." evaluates a program against the event of the
// current stop: {"type":"eval","value":true|false}.
func dbgEvalCmd(args []byte) {
	b := &dbgBreaks.tmp
	*b = dbgBreak{}
	if !dbgCompile(b, args) {
		return
	}
	t := &dbgsched.trig
	c := dbgCtx{kind: uint32(t.kind), mp: getg().m, aux: t.aux}
	if t.g >= 0 {
		c.gp = dbgFindG(t.g)
		if c.gp != nil && c.gp == dbgsched.trigGP.ptr() {
			c.ev = t // as its hook saw it, as the stop shows it
		}
	}
	if t.p >= 0 && int(t.p) < len(allp) {
		c.pp = allp[t.p]
	}
	e := dbgPlanOf(b, dbgTmpSlot)
	r, fail := dbgEval(&e, &c)
	w := &dbgOut
	w.reset()
	w.raw(`{"type":"eval","value":`)
	w.bool(r)
	if fail.code != failNone {
		w.raw(`,"error":"`)
		dbgFailText(fail, w.escaped)
		w.byte('"')
	}
	w.raw("}\n")
	w.flush()
}

// dbgFailLen bounds an error's message in the page.
const dbgFailLen = 112

// dbgFailText gives Lua's message for failure f to put, in pieces:
// "attempt to index a nil value (ev.g)", "attempt to compare number with
// string". (Pieces of static strings: no concatenation, which could
// allocate where the hooks run.)
func dbgFailText(f dbgFail, put func(string)) {
	if f.code == failCompare {
		types := [...]string{vNil: "nil", vBool: "boolean", vInt: "number", vStr: "string"}
		put("attempt to compare ")
		if f.ta == f.tb {
			put("two ")
			put(types[f.ta&3])
			put(" values")
		} else {
			put(types[f.ta&3])
			put(" with ")
			put(types[f.tb&3])
		}
		return
	}
	put("attempt to index a nil value (")
	name := ""
	if f.f >= 0 && f.f < fCount {
		name = dbgFieldNames[f.f]
	}
	if len(name) > 0 && name[0] == '#' {
		name = name[1:]
	}
	for i := len(name) - 1; i >= 0; i-- { // the object: "ev.g" of "ev.g.startfn"
		if name[i] == '.' {
			name = name[:i]
			break
		}
	}
	if name == "p" && f.pi < 0 { // p[-1], p[true], p["a"]: Lua's field '?'
		name = "p[?]"
	} else if name == "p" { // p[pi]
		const digits = "0123456789"
		put("p[")
		v, d := uint64(f.pi), uint64(1)
		for ; v/d >= 10; d *= 10 {
		}
		for ; d > 0; d /= 10 {
			put(digits[v/d%10:][:1])
		}
		name = "]"
	}
	put(name)
	put(")")
}

func dbgOK() {
	w := &dbgOut
	w.reset()
	w.raw(`{"type":"ok"}` + "\n")
	w.flush()
}

// dbgCompile parses program tokens into b; on error it answers the REPL.
func dbgCompile(b *dbgBreak, toks []byte) bool {
	for {
		var tok []byte
		tok, toks = dbgWord(toks)
		if len(tok) == 0 {
			break
		}
		if b.n == dbgMaxProg {
			dbgError("break: program too long")
			return false
		}
		in := &b.prog[b.n]
		if !dbgToken(b, in, tok) {
			dbgError("break: bad program token")
			return false
		}
		b.n++
	}
	if b.n == 0 {
		dbgError("break: empty program")
		return false
	}
	if !dbgWellFormed(b) {
		dbgError("break: malformed program")
		return false
	}
	dbgFuse(b)
	return true
}

// dbgWellFormed: the program is an expression as the REPL's compiler makes
// them: every jump lands ahead within it, every instruction has its
// operands on the stack, every way to an instruction comes with the same
// depth, and one value is left. (Else a jump could loop in the hook, or an
// instruction read below the stack.)
func dbgWellFormed(b *dbgBreak) bool {
	var at [dbgMaxProg + 1]int32 // the depth a jump brings to pc, plus one (0: none)
	d := int32(0)
	for pc := int32(0); pc <= b.n; pc++ {
		if at[pc] != 0 && at[pc]-1 != d {
			return false
		}
		if pc == b.n {
			break
		}
		need, net := int32(0), int32(1) // operands it needs; what it adds
		switch in := &b.prog[pc]; in.op {
		case opConst, opLoad:
		case opLoadP, opNot:
			need, net = 1, 0
		case opJumpFalse, opJumpTrue:
			to := pc + in.a + 1
			if in.a < 0 || to > b.n || at[to] != 0 && at[to]-1 != d {
				return false
			}
			at[to] = d + 1 // (the jump keeps its operand)
			need, net = 1, -1
		default: // a comparison
			need, net = 2, -1
		}
		if d < need || d+net > dbgMaxStack {
			return false
		}
		d += net
	}
	return d == 1
}

// dbgFuse rewrites each comparison of a field with a constant as one test
// (opTest, opTestP), unless a jump lands inside it, and marks the program
// flat when only tests, not and jumps are left: the common condition then
// runs without a value stack (dbgEval). The answer is the same.
func dbgFuse(b *dbgBreak) {
	var landing [dbgMaxProg + 1]bool
	for pc := int32(0); pc < b.n; pc++ {
		if in := &b.prog[pc]; in.op == opJumpFalse || in.op == opJumpTrue {
			t := pc + in.a + 1
			if t > b.n {
				return // a jump past the end: keep the program as it is
			}
			landing[t] = true
		}
	}
	var newpc [dbgMaxProg + 1]int32
	var jumpTo [dbgMaxProg]int32 // a jump's target, in old numbering
	out := int32(0)
	for pc := int32(0); pc < b.n; out++ {
		newpc[pc] = out
		in, n := dbgFused(b, pc, &landing)
		if n == 0 {
			in, n = b.prog[pc], 1
			jumpTo[out] = pc + in.a + 1
		}
		for i := int32(1); i < n; i++ {
			newpc[pc+i] = out
		}
		b.prog[out] = in // out <= pc: what is still to be read is not overwritten
		pc += n
	}
	newpc[b.n] = out
	b.n = out
	for pc := int32(0); pc < b.n; pc++ {
		if in := &b.prog[pc]; in.op == opTest || in.op == opTestP {
			dbgIntTest(b, in)
		}
	}
	b.flat = true
	for pc := int32(0); pc < b.n; pc++ {
		in := &b.prog[pc]
		switch in.op {
		case opJumpFalse, opJumpTrue:
			in.a = newpc[jumpTo[pc]] - pc - 1
		case opTest, opTestP, opNot:
		default:
			b.flat = false
		}
	}
}

// dbgIntTest makes test in compare integer views (dbgIntField) where the
// answer is the same: an integer field with an integer constant, or an
// enumerated field tested for (in)equality with a name, whose index the
// constant becomes. Nothing is loaded as a value, no string compared.
func dbgIntTest(b *dbgBreak, in *dbgInstr) {
	switch dbgFieldShape[in.a] {
	case fieldInt:
		in.int = in.k.t == vInt
	case fieldEnum:
		if in.k.t != vStr || (in.cmp != opEq && in.cmp != opNe) {
			return
		}
		k := in.k
		k.s += uintptr(unsafe.Pointer(&b.pool[0]))
		e, _ := dbgEnumConst(in.a, k.str())
		in.int, in.k = true, intVal(e)
	}
	if in.int {
		in.t = dbgRangeOf(in.cmp, in.k.i)
	}
}

// dbgFused is the test that the instructions at pc make, and how many they
// are (0: none). The shapes: F k cmp, k F cmp, I ldp k cmp, k I ldp cmp
// (F a field load, k a constant, I a constant P index).
func dbgFused(b *dbgBreak, pc int32, landing *[dbgMaxProg + 1]bool) (dbgInstr, int32) {
	p := b.prog[pc:b.n]
	op := func(i int) uint8 {
		if i < len(p) && (i == 0 || !landing[pc+int32(i)]) {
			return p[i].op
		}
		return 255
	}
	cmp := func(i int) bool { o := op(i); return o >= opEq && o <= opGe }
	pindex := func(k dbgVal) int64 {
		if k.t != vInt {
			return -1 // not a P number: the load fails, as in Lua
		}
		return k.i
	}
	switch {
	case op(0) == opLoad && op(1) == opConst && cmp(2):
		return dbgInstr{op: opTest, cmp: p[2].op, a: p[0].a, k: p[1].k}, 3
	case op(0) == opConst && op(1) == opLoad && cmp(2):
		return dbgInstr{op: opTest, cmp: dbgSwapped(p[2].op), a: p[1].a, k: p[0].k}, 3
	case op(0) == opConst && op(1) == opLoadP && op(2) == opConst && cmp(3):
		return dbgInstr{op: opTestP, cmp: p[3].op, a: p[1].a, pi: pindex(p[0].k), k: p[2].k}, 4
	case op(0) == opConst && op(1) == opConst && op(2) == opLoadP && cmp(3):
		return dbgInstr{op: opTestP, cmp: dbgSwapped(p[3].op), a: p[2].a, pi: pindex(p[1].k), k: p[0].k}, 4
	}
	return dbgInstr{}, 0
}

// dbgSwapped is the comparison with its operands swapped (a < b == b > a).
func dbgSwapped(op uint8) uint8 {
	switch op {
	case opLt:
		return opGt
	case opLe:
		return opGe
	case opGt:
		return opLt
	case opGe:
		return opLe
	}
	return op
}

var dbgOpNames = [...]string{opEq: "eq", opNe: "ne", opLt: "lt", opLe: "le", opGt: "gt", opGe: "ge", opNot: "not"}

// dbgToken decodes one token: k:INT s:HEX t f nil ld:FIELD ldp:FIELD
// jf:N jt:N or an operator name.
func dbgToken(b *dbgBreak, in *dbgInstr, tok []byte) bool {
	name, arg := tok, []byte(nil)
	for i, c := range tok {
		if c == ':' {
			name, arg = tok[:i], tok[i+1:]
			break
		}
	}
	switch string(name) {
	case "t", "f":
		in.op, in.k = opConst, boolVal(name[0] == 't')
		return true
	case "nil":
		in.op = opConst
		return true
	case "k":
		neg := len(arg) > 0 && arg[0] == '-'
		if neg {
			arg = arg[1:]
		}
		n := dbgNumber(arg)
		if neg {
			n = -n
		}
		in.op, in.k = opConst, intVal(n)
		return len(arg) > 0 && dbgNumber(arg) >= 0
	case "s":
		return dbgStrConst(b, in, arg)
	case "ld", "ldp":
		in.op = opLoad
		if name[1] == 'd' && len(name) == 3 {
			in.op = opLoadP
		}
		for i := range dbgFieldNames {
			if dbgFieldNames[i] == string(arg) && (i >= fPStatus) == (in.op == opLoadP) {
				in.a = int32(i)
				return true
			}
		}
		return false
	case "jf", "jt":
		in.op = opJumpFalse
		if name[1] == 't' {
			in.op = opJumpTrue
		}
		n := dbgNumber(arg)
		in.a = int32(n)
		return n >= 0 && n < dbgMaxProg
	}
	for i, s := range dbgOpNames {
		if s != "" && s == string(name) {
			in.op = uint8(i)
			return true
		}
	}
	return false
}

// dbgStrConst copies a hex-encoded string into b's constant pool.
func dbgStrConst(b *dbgBreak, in *dbgInstr, hex []byte) bool {
	n := len(hex) / 2
	if len(hex)%2 != 0 || b.npool+n > dbgPoolLen {
		return false
	}
	for i := 0; i < n; i++ {
		hi, lo := dbgHexDigit(hex[2*i]), dbgHexDigit(hex[2*i+1])
		if hi < 0 || lo < 0 {
			return false
		}
		b.pool[b.npool+i] = byte(hi<<4 | lo)
	}
	in.op = opConst
	in.k = dbgVal{t: vStr, i: int64(n), s: uintptr(b.npool)}
	b.npool += n
	return true
}

func dbgHexDigit(c byte) int {
	switch {
	case c >= '0' && c <= '9':
		return int(c - '0')
	case c >= 'a' && c <= 'f':
		return int(c-'a') + 10
	}
	return -1
}
