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
// condition false (as the REPL treats a Lua error). Strings point at static
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
	op   uint8
	cmp  uint8 // opTest*: the comparison
	enum bool  // opTest*: field a's value is a name from a table; k.i is the index (dbgEnum)
	a    int32 // field id, jump offset
	pi   int64 // opTestP: the P index
	k    dbgVal
}

type dbgBreak struct {
	used    bool
	enabled bool
	lua     bool   // Lua tier: stop at every event of the kinds
	id      int64  // the REPL's breakpoint number
	kinds   uint32 // bit k set: event kind k (0: every kind)
	flat    bool // only tests, not, and jumps: every value is a boolean (dbgRunFlat)
	n       int32
	prog    [dbgMaxProg]dbgInstr
	npool   int
	pool    [dbgPoolLen]byte // string constants; a constant's k.s is an offset here
}

var dbgBreaks struct {
	active atomic.Uint32   // enabled breakpoints
	kinds  atomic.Uint32   // union of their kind masks (bit 0: some take every kind): the hooks test this first
	live   [dbgMaxBP]uint8 // slots of the enabled breakpoints, the first `active` of them
	bp     [dbgMaxBP]dbgBreak
	tmp    dbgBreak // where programs are compiled before they are installed, and eval's
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
	kind     uint32
	gp       *g
	pp       *p
	mp       *m
	aux      int64
	asHooked bool // (eval at a stop) the event's G status as its hook saw it, as the stop shows it
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

// dbgEvalBreaks returns the bitmask of the enabled breakpoints (by slot)
// that fire on this event.
func dbgEvalBreaks(kind uint32, gp *g, pp *p, mp *m, aux int64) uint64 {
	var c dbgCtx // (set field by field: a literal is built, then copied)
	c.kind, c.gp, c.pp, c.mp, c.aux = kind, gp, pp, mp, aux
	var hits uint64
	n := dbgBreaks.active.Load()
	for _, i := range dbgBreaks.live[:n] {
		b := &dbgBreaks.bp[i]
		if b.kinds != 0 && b.kinds&(1<<kind) == 0 {
			continue
		}
		if b.lua || dbgRun(b, &c) {
			hits |= 1 << uint(i)
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

// dbgRun evaluates a compiled program; errors make it false.
func dbgRun(b *dbgBreak, c *dbgCtx) bool {
	if b.flat {
		return dbgRunFlat(b, c)
	}
	return dbgRunStack(b, c)
}

// dbgRunFlat runs a program of tests joined by and/or/not (the usual
// condition) with one boolean for a stack: no stack to clear, no values
// to copy, at every event.
func dbgRunFlat(b *dbgBreak, c *dbgCtx) bool {
	r := false
	for pc := int32(0); pc < b.n; pc++ {
		in := &b.prog[pc]
		switch in.op {
		case opTest, opTestP:
			var ok bool
			if r, ok = dbgTest(b, in, c); !ok {
				return false
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
	return r
}

// dbgTest evaluates a fused test; ok is false on a Lua error.
func dbgTest(b *dbgBreak, in *dbgInstr, c *dbgCtx) (bool, bool) {
	if in.enum {
		e, ok := dbgLoadEnum(in.a, c)
		return (e == in.k.i) == (in.cmp == opEq), ok
	}
	v, ok := dbgLoad(in.a, c, in.pi)
	if !ok {
		return false, false
	}
	k := in.k
	if v.t == vInt && k.t == vInt {
		return dbgCmpInt(in.cmp, v.i, k.i), true
	}
	if k.t == vStr {
		k.s += uintptr(unsafe.Pointer(&b.pool[0]))
	}
	return dbgCompare(in.cmp, v, k)
}

func dbgCmpInt(op uint8, a, b int64) bool {
	switch op {
	case opEq:
		return a == b
	case opNe:
		return a != b
	case opLt:
		return a < b
	case opLe:
		return a <= b
	case opGt:
		return a > b
	}
	return a >= b
}

// dbgRunStack evaluates any program on a value stack.
func dbgRunStack(b *dbgBreak, c *dbgCtx) bool {
	var st [dbgMaxStack]dbgVal
	sp := 0
	for pc := int32(0); pc < b.n; pc++ {
		in := &b.prog[pc]
		switch in.op {
		case opTest, opTestP:
			if sp == dbgMaxStack {
				return false
			}
			r, ok := dbgTest(b, in, c)
			if !ok {
				return false
			}
			st[sp] = boolVal(r)
			sp++
		case opConst, opLoad:
			if sp == dbgMaxStack {
				return false
			}
			v := in.k
			if v.t == vStr {
				v.s += uintptr(unsafe.Pointer(&b.pool[0]))
			}
			if in.op == opLoad {
				var ok bool
				if v, ok = dbgLoad(in.a, c, 0); !ok {
					return false
				}
			}
			st[sp] = v
			sp++
		case opLoadP:
			if sp < 1 || st[sp-1].t != vInt {
				return false
			}
			v, ok := dbgLoad(in.a, c, st[sp-1].i)
			if !ok {
				return false
			}
			st[sp-1] = v
		case opNot:
			if sp < 1 {
				return false
			}
			st[sp-1] = boolVal(!st[sp-1].truthy())
		case opJumpFalse, opJumpTrue:
			if sp < 1 {
				return false
			}
			if st[sp-1].truthy() == (in.op == opJumpTrue) {
				pc += in.a // keep the operand as the result
			} else {
				sp--
			}
		default: // comparisons
			if sp < 2 {
				return false
			}
			r, ok := dbgCompare(in.op, st[sp-2], st[sp-1])
			if !ok {
				return false
			}
			sp--
			st[sp-1] = boolVal(r)
		}
	}
	return sp == 1 && st[0].truthy()
}

// dbgCompare applies a comparison with Lua's semantics.
func dbgCompare(op uint8, a, b dbgVal) (bool, bool) {
	switch op {
	case opEq, opNe:
		eq := a.t == b.t && (a.t == vNil || (a.t == vStr && a.str() == b.str()) || (a.t != vStr && a.i == b.i))
		return eq == (op == opEq), true
	}
	if a.t != b.t || (a.t != vInt && a.t != vStr) {
		return false, false // attempt to compare: a Lua error
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
		return c < 0, true
	case opLe:
		return c <= 0, true
	case opGt:
		return c > 0, true
	}
	return c >= 0, true // opGe
}

// dbgLoad reads field f of the event or of P number pi. ok is false where
// Lua would raise an error (indexing a nil G, P or M).
func dbgLoad(f int32, c *dbgCtx, pi int64) (dbgVal, bool) {
	gp, pp := c.gp, c.pp
	switch f { // the fields conditions test most, without a call
	case fEvGID:
		if gp == nil {
			return dbgVal{}, false
		}
		return intVal(int64(gp.goid)), true
	case fEvPID:
		if pp == nil {
			return dbgVal{}, false
		}
		return intVal(int64(pp.id)), true
	case fEvMID:
		return intVal(c.mp.id), true
	case fPRunqLen:
		if pi < 0 || pi >= int64(len(allp)) {
			return dbgVal{}, false
		}
		return dbgRunqLen(allp[pi]), true
	}
	return dbgLoadField(f, c, pi)
}

func dbgRunqLen(pp *p) dbgVal {
	n := int64(atomic.Load(&pp.runqtail) - atomic.Load(&pp.runqhead))
	return intVal(max(min(n, int64(len(pp.runq))), 0))
}

// Enumerated fields: a name from a table, compared by its index. A
// comparison of one with a string constant (== or ~=) is compiled to the
// constant's index (dbgEnumConst): no string is built or compared.
const (
	dbgEnumNil     = -2 // the field is nil (a waitreason when not waiting)
	dbgEnumUnknown = -3 // beyond the table: "unknown" ("unknown wait reason")
	dbgEnumNone    = -1 // a constant that is no name of the table: never equal
)

// dbgLoadEnum reads enumerated field f as its index; ok is false where
// Lua would raise an error (indexing a nil G or P).
func dbgLoadEnum(f int32, c *dbgCtx) (int64, bool) {
	gp, pp := c.gp, c.pp
	switch f {
	case fEvKind:
		return int64(c.kind), true
	case fEvWaitreason:
		if c.kind != evPark || gp == nil {
			return dbgEnumNil, true
		}
		return dbgWaitIndex(gp.waitreason), true
	case fEvPStatus:
		if pp == nil {
			return 0, false
		}
		if pp.status >= uint32(len(dbgPStatus)) {
			return dbgEnumUnknown, true
		}
		return int64(pp.status), true
	}
	if gp == nil { // fEvGStatus, fEvGWaitreason
		return 0, false
	}
	st, wr := readgstatus(gp)&^_Gscan, gp.waitreason
	if c.asHooked {
		st, wr = uint32(dbgsched.trig.status), waitReason(dbgsched.trig.reason)
	}
	if f == fEvGWaitreason {
		if (st == _Gwaiting || st == _Gleaked) && wr != waitReasonZero {
			return dbgWaitIndex(wr), true
		}
		return dbgEnumNil, true
	}
	if st >= uint32(len(dbgGStatus)) {
		return dbgEnumUnknown, true
	}
	return int64(st), true
}

func dbgWaitIndex(wr waitReason) int64 {
	if wr >= waitReason(len(waitReasonStrings)) {
		return dbgEnumUnknown
	}
	return int64(wr)
}

// dbgEnumConst is the index of name s in enumerated field f's table, and
// whether f is enumerated.
func dbgEnumConst(f int32, s string) (int64, bool) {
	var names []string
	unknown := "unknown"
	switch f {
	case fEvKind:
		names = dbgEvNames[:]
		unknown = ""
	case fEvGStatus:
		names = dbgGStatus[:]
	case fEvPStatus:
		names = dbgPStatus[:]
	case fEvGWaitreason, fEvWaitreason:
		names, unknown = waitReasonStrings[:], "unknown wait reason"
	default:
		return 0, false
	}
	for i := range names {
		if names[i] == s && (i > 0 || f == fEvGStatus || f == fEvPStatus) {
			return int64(i), true // (index 0: no event kind, no wait reason)
		}
	}
	if s == unknown {
		return dbgEnumUnknown, true
	}
	return dbgEnumNone, true
}

func dbgLoadField(f int32, c *dbgCtx, pi int64) (dbgVal, bool) {
	gp, pp := c.gp, c.pp
	switch f {
	case fEvKind:
		return strVal(dbgEvNames[c.kind]), true
	case fEvG:
		if gp == nil {
			return dbgVal{}, true
		}
		return intVal(int64(gp.goid)), true
	case fEvP:
		if pp == nil {
			return dbgVal{}, true
		}
		return intVal(int64(pp.id)), true
	case fEvWaitreason:
		if c.kind != evPark || gp == nil {
			return dbgVal{}, true
		}
		return strVal(gp.waitreason.String()), true
	case fEvFromID:
		if c.kind != evSteal {
			return dbgVal{}, false // ev.from is nil: indexing it errors
		}
		return intVal(c.aux), true
	}
	if f >= fEvGID && f <= fEvGSystem {
		if gp == nil {
			return dbgVal{}, false
		}
		return dbgLoadG(f, gp, c), true
	}
	if f >= fEvPID && f <= fEvPTimers {
		if pp == nil {
			return dbgVal{}, false
		}
		return dbgLoadP(dbgEvPField[f-fEvPID], pp), true
	}
	if f >= fPStatus {
		if pi < 0 || pi >= int64(len(allp)) {
			return dbgVal{}, false
		}
		return dbgLoadP(f, allp[pi]), true
	}
	switch f {
	case fEvMID:
		return intVal(c.mp.id), true
	case fEvMProcid:
		return intVal(int64(c.mp.procid)), true
	case fEvMSpinning:
		return boolVal(c.mp.spinning), true
	}
	return dbgLoadSched(f), true
}

func dbgLoadG(f int32, gp *g, c *dbgCtx) dbgVal {
	switch f {
	case fEvGID:
		return intVal(int64(gp.goid))
	case fEvGStatus, fEvGWaitreason:
		s, wr := readgstatus(gp)&^_Gscan, gp.waitreason
		if c.asHooked {
			s, wr = uint32(dbgsched.trig.status), waitReason(dbgsched.trig.reason)
		}
		if f == fEvGWaitreason {
			if (s == _Gwaiting || s == _Gleaked) && wr != waitReasonZero {
				return strVal(wr.String())
			}
			return dbgVal{}
		}
		if s < uint32(len(dbgGStatus)) {
			return strVal(dbgGStatus[s])
		}
		return strVal("unknown")
	case fEvGStartfn, fEvGCreatedby:
		pc := gp.startpc
		if f == fEvGCreatedby {
			pc = gp.gopc
		}
		if fn := findfunc(pc); fn.valid() { // (not dbgPCInfo: hooks run on many Ms at once)
			return strVal(funcname(fn))
		}
		return dbgVal{}
	case fEvGParent:
		return intVal(int64(gp.parentGoid))
	}
	return boolVal(isSystemGoroutine(gp, false)) // fEvGSystem
}

// dbgEvPField maps the ev.p.* fields to P fields (fPStatus-1: the id).
var dbgEvPField = [...]int32{fPStatus - 1, fPStatus, fPSchedtick, fPRunqLen, fPTimers}

// dbgLoadP reads a P field; f is one of the fP* ids (fPStatus-1: the id).
func dbgLoadP(f int32, pp *p) dbgVal {
	switch f {
	case fPStatus - 1:
		return intVal(int64(pp.id))
	case fPStatus:
		if pp.status < uint32(len(dbgPStatus)) {
			return strVal(dbgPStatus[pp.status])
		}
		return strVal("unknown")
	case fPRunqLen:
		return dbgRunqLen(pp)
	case fPSchedtick:
		return intVal(int64(pp.schedtick))
	case fPSyscalltick:
		return intVal(int64(pp.syscalltick))
	case fPTimers:
		return intVal(int64(pp.timers.len.Load()))
	}
	return intVal(int64(pp.gFree.size)) // fPGfree
}

func dbgLoadSched(f int32) dbgVal {
	switch f {
	case fSNgoroutines:
		return intVal(int64(gcount(false)))
	case fSNpidle:
		return intVal(int64(sched.npidle.Load()))
	case fSNmspinning:
		return intVal(int64(sched.nmspinning.Load()))
	case fSNmidle:
		return intVal(int64(sched.nmidle))
	case fSNmsys:
		return intVal(int64(sched.nmsys))
	case fSGomaxprocs:
		return intVal(int64(gomaxprocs))
	case fSGoidgen:
		return intVal(int64(sched.goidgen.Load()))
	case fSRunqLen:
		return intVal(int64(sched.runq.size))
	case fSGcwaiting:
		return boolVal(sched.gcwaiting.Load())
	}
	return intVal(int64(sched.stopwait)) // fSStopwait
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
		if slot >= 0 {
			dbgBreaks.bp[slot].used = false
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
	if !b.lua && !dbgCompile(b, rest) {
		return
	}
	b.used, b.enabled = true, true
	dbgBreaks.bp[slot] = *b
	dbgBreakCount()
	dbgOK()
}

func dbgBreakSlot(id int64) int {
	for i := range dbgBreaks.bp {
		if dbgBreaks.bp[i].used && dbgBreaks.bp[i].id == id {
			return i
		}
	}
	return -1
}

// dbgBreakCount recomputes what the hooks test: the live slots and the
// union of their kinds (changed only while the program is stopped).
func dbgBreakCount() {
	n, kinds := uint32(0), uint32(0)
	for i := range dbgBreaks.bp {
		b := &dbgBreaks.bp[i]
		if !b.used || !b.enabled {
			continue
		}
		dbgBreaks.live[n] = uint8(i)
		n++
		if b.kinds == 0 {
			kinds |= 1 // every kind
		}
		kinds |= b.kinds
	}
	dbgBreaks.active.Store(n)
	dbgBreaks.kinds.Store(kinds)
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
		c.asHooked = c.gp != nil && c.gp == dbgsched.trigGP.ptr()
	}
	if t.p >= 0 && int(t.p) < len(allp) {
		c.pp = allp[t.p]
	}
	w := &dbgOut
	w.reset()
	w.raw(`{"type":"eval","value":`)
	w.bool(dbgRun(b, &c))
	w.raw("}\n")
	w.flush()
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
	dbgFuse(b)
	return true
}

// dbgFuse rewrites each comparison of a field with a constant as one test
// (opTest, opTestP), unless a jump lands inside it, and marks the program
// flat when only tests, not and jumps are left: the common condition then
// runs without a value stack (dbgRunFlat). The answer is the same.
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
		in := &b.prog[pc]
		if in.op == opTest && in.k.t == vStr && (in.cmp == opEq || in.cmp == opNe) {
			k := in.k
			k.s += uintptr(unsafe.Pointer(&b.pool[0]))
			if e, ok := dbgEnumConst(in.a, k.str()); ok {
				in.enum, in.k = true, intVal(e)
			}
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
		return n >= 0
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
