// gosched_rel_amd64.go -- a release store that costs a plain store.
//
// atomic.StoreRel is an XCHG on amd64 (it is atomic.Store there), a locked
// instruction; x86 keeps stores in order, so a plain store releases what
// was written before it. The hooks use it on every create and ready.

//go:build linux && amd64

package runtime

//go:nosplit
func dbgStoreRel(p *uint32, v uint32) { *p = v }
