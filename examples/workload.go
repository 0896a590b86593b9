// workload: a small program with the scheduler problems the analyses of
// lua/analysis.lua look for (examples/*.lua run them on it):
//
//   - leaks: 12 goroutines wait forever for a reply nobody sends
//     (main.fetch, gave up on by its caller) and 4 on a channel that is
//     never closed (main.listen);
//   - starvation and run-queue imbalance: with GOMAXPROCS=2, a CPU-bound
//     goroutine (main.hog) keeps one P busy while main creates 200 short
//     goroutines (main.task) on the other and keeps it busy for 20 ms, so
//     they wait in its run queue until preemption;
//   - creation sites: those come from four go statements.
//
// A script stops it as it ends (break on end), the goroutines it leaves
// behind still in place. It prints
//
//	workload: 200 tasks, sum 19900, 16 goroutines left waiting
//
//	go run examples/workload.go
package main

import (
	"fmt"
	"runtime"
	"sync"
	"sync/atomic"
	"time"
)

var (
	sum   atomic.Int64
	wg    sync.WaitGroup
	never = make(chan struct{})
)

// fetch sends its reply on an unbuffered channel that its caller stopped
// reading: it waits forever.
func fetch(id int, reply chan<- int) {
	reply <- id
}

// request starts a fetch and gives up at once.
func request(id int) {
	reply := make(chan int)
	go fetch(id, reply)
}

// listen waits for a close that never comes.
func listen() {
	<-never
}

// hog spins without calls until stop is set (only preemption stops it).
func hog(stop *atomic.Bool) {
	x := uint64(1)
	for !stop.Load() {
		for i := 0; i < 1_000_000; i++ {
			x = x*6364136223846793005 + 1442695040888963407
		}
	}
	sum.Add(int64(x & 0))
	wg.Done()
}

// task is a short piece of work.
func task(i int) {
	sum.Add(int64(i))
	wg.Done()
}

// busy keeps the current P for d without blocking.
func busy(d time.Duration) {
	for start := time.Now(); time.Since(start) < d; {
	}
}

func main() {
	runtime.GOMAXPROCS(2)
	for i := 0; i < 12; i++ {
		request(i)
	}
	for i := 0; i < 4; i++ {
		go listen()
	}
	var stop atomic.Bool
	wg.Add(1)
	go hog(&stop)
	time.Sleep(5 * time.Millisecond)
	wg.Add(200)
	for i := 0; i < 200; i++ {
		go task(i)
	}
	busy(20 * time.Millisecond)
	stop.Store(true)
	wg.Wait()
	fmt.Printf("workload: 200 tasks, sum %d, 16 goroutines left waiting\n", sum.Load())
}
