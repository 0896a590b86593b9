// spinner: two CPU-bound goroutines (both main.spin) each run a fixed number
// of iterations of an arithmetic loop that makes no calls, so only
// asynchronous preemption (a signal) can stop them; about 1.5 s each on a
// current x86-64 machine. main waits for them on a channel and prints
//
//	spinner: 2 goroutines, result 939d77ccdb8c2a6c
//
// (the value depends only on the constants below), then exits 0. Used to
// show that a goroutine running at a stop is shown as running.
//
//	go run spinner.go
package main

import (
	"fmt"
	"sync/atomic"
)

const (
	nspinners = 2
	iters     = 1_000_000_000
)

var (
	nextSeed atomic.Uint64
	results  = make(chan uint64, nspinners)
)

// spin is the start function of both spinning goroutines.
func spin() {
	x := nextSeed.Add(1) // 1 or 2
	var acc uint64
	for i := uint64(0); i < iters; i++ {
		x = x*6364136223846793005 + 1442695040888963407
		acc += x >> 33
	}
	results <- acc ^ x
}

func main() {
	for i := 0; i < nspinners; i++ {
		go spin()
	}
	var r uint64
	for i := 0; i < nspinners; i++ {
		r ^= <-results // XOR: the order of arrival does not matter
	}
	fmt.Printf("spinner: %d goroutines, result %016x\n", nspinners, r)
}
