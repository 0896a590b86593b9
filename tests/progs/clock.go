// clock: goroutines whose state changes are far apart in time, with no
// scheduler events in between, to check event times and "since".
//
// main.work runs a busy loop (no calls into the scheduler) for 60 ms by the
// wall clock, then blocks on a channel receive; main sleeps 100 ms, sends to
// it and waits for its answer, then prints
//
//	clock: done
//
// and exits 0.
package main

import (
	"fmt"
	"time"
)

func work(in, out chan int) {
	start := time.Now()
	x := 0
	for time.Since(start) < 60*time.Millisecond {
		x++
	}
	out <- <-in + x - x
}

func main() {
	in, out := make(chan int), make(chan int)
	go work(in, out)
	time.Sleep(100 * time.Millisecond)
	in <- 1
	<-out
	fmt.Println("clock: done")
}
