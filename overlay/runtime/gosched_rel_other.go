// gosched_rel_other.go -- dbgStoreRel where stores may be reordered: the
// runtime's release store (see gosched_rel_amd64.go).

//go:build linux && !amd64

package runtime

import "internal/runtime/atomic"

//go:nosplit
func dbgStoreRel(p *uint32, v uint32) { atomic.StoreRel(p, v) }
