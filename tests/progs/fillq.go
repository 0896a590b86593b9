// fillq: fill one P's local run queue with goroutines in a known order.
//
// main keeps its P busy and, without yielding, creates 50 goroutines with
// `go queued()` (no arguments, so each goroutine's start function is
// main.queued). newproc puts each new goroutine in runnext and moves the
// previous runnext to the tail of the local run queue, so right after the
// 50th create main's P has runq = the first 49 in creation order and
// runnext = the 50th. With GOMAXPROCS=1 that P is P0 and nothing can steal.
//
// With GOMAXPROCS=N>1, N-1 goroutines (main.hog) first occupy the other Ps
// with a call-free busy loop, main busy-waits until they all run, so no P is
// idle and no spinning M steals from main's P while it creates. The hogs stop
// once the 50 creates are done.
//
// Then main calls runtime.Gosched, waits for the 50 and prints
//
//	fillq: 50 goroutines ran, sum of squares 42925
//
// and exits 0. With the argument -order it also prints the order in which
// the goroutines ran, as creation indexes (0..49; with GOMAXPROCS=1 normally
// 49 first, from runnext, then 0..48) and "early: K", how many ran before
// the creates were done (stolen by another P; normally 0). Diagnostic only.
//
//	GOMAXPROCS=1 go run fillq.go [-order]
package main

import (
	"bytes"
	"fmt"
	"os"
	"runtime"
	"strconv"
	"sync"
	"sync/atomic"
)

const nqueued = 50

var (
	wg       sync.WaitGroup
	ran      atomic.Int64 // how many queued goroutines have run
	sumsq    atomic.Int64
	hogsUp   atomic.Int32 // hogs that are running
	hogsStop atomic.Bool
	early    atomic.Int32 // queued goroutines that ran during the creates
	sink     atomic.Uint64

	orderMu sync.Mutex
	order   []int64 // goroutine ids in the order they ran (for -order)
)

// queued is the start function of the 50 goroutines.
func queued() {
	defer wg.Done()
	if !hogsStop.Load() {
		early.Add(1) // ran before main finished creating: it was stolen
	}
	i := ran.Add(1)
	sumsq.Add(i * i)
	if wantOrder {
		id := goid()
		orderMu.Lock()
		order = append(order, id)
		orderMu.Unlock()
	}
}

// hog keeps one P busy until main has created the 50 goroutines. The loop
// makes no calls (atomic loads are compiler intrinsics).
func hog() {
	hogsUp.Add(1)
	var x uint64 = 1
	for !hogsStop.Load() {
		x = x*6364136223846793005 + 1442695040888963407
	}
	sink.Add(x)
	wg.Done()
}

var wantOrder bool

// goid returns the current goroutine's id (diagnostic use only).
func goid() int64 {
	var buf [64]byte
	b := buf[:runtime.Stack(buf[:], false)]
	b = bytes.TrimPrefix(b, []byte("goroutine "))
	if i := bytes.IndexByte(b, ' '); i > 0 {
		b = b[:i]
	}
	id, _ := strconv.ParseInt(string(b), 10, 64)
	return id
}

func main() {
	for _, a := range os.Args[1:] {
		if a != "-order" {
			fmt.Fprintln(os.Stderr, "usage: fillq [-order]")
			os.Exit(2)
		}
		wantOrder = true
	}

	// Let the runtime's own start-up goroutines run and park first, so the
	// local run queue holds nothing else.
	for i := 0; i < 3; i++ {
		runtime.Gosched()
	}

	// Occupy every other P.
	nhogs := int32(runtime.GOMAXPROCS(0) - 1)
	wg.Add(int(nhogs))
	for i := int32(0); i < nhogs; i++ {
		go hog()
	}
	for spins := 0; hogsUp.Load() < nhogs; spins++ {
		if spins > 1<<24 {
			// Not stolen yet: let them run here, they move on.
			runtime.Gosched()
			spins = 0
		}
	}

	// The creates: no yielding in between.
	wg.Add(nqueued)
	for i := 0; i < nqueued; i++ {
		go queued()
	}
	hogsStop.Store(true)

	runtime.Gosched()
	wg.Wait()

	fmt.Printf("fillq: %d goroutines ran, sum of squares %d\n", ran.Load(), sumsq.Load())
	if wantOrder {
		lo := order[0]
		for _, id := range order {
			if id < lo {
				lo = id
			}
		}
		fmt.Print("order:")
		for _, id := range order {
			fmt.Printf(" %d", id-lo)
		}
		fmt.Println()
		fmt.Printf("early: %d\n", early.Load())
	}
	if ran.Load() != nqueued {
		os.Exit(1)
	}
}
