// Command pingpong is the demo target of gosched-repl.
//
// Two goroutines (ping and pong) pass a counter back and forth over two
// unbuffered channels N times (default 1000; the first argument overrides).
// Alongside, a few worker goroutines compute small checksums, so there is
// something waiting in the run queues. The output depends only on N.
//
//	go run . [N]
package main

import (
	"fmt"
	"os"
	"strconv"
	"sync"
)

const nworkers = 4

// ping sends the counter to pong and waits for it to come back incremented.
func ping(n int, toPong chan<- int, fromPong <-chan int, done chan<- int) {
	v := 0
	for i := 0; i < n; i++ {
		toPong <- v
		v = <-fromPong
	}
	close(toPong)
	done <- v
}

// pong increments every value it receives and sends it back.
func pong(fromPing <-chan int, toPing chan<- int) {
	for v := range fromPing {
		toPing <- v + 1
	}
}

// worker computes a checksum over its share of the numbers, yielding to the
// scheduler through a channel now and then.
func worker(id int, wg *sync.WaitGroup, results []uint64) {
	defer wg.Done()
	tick := make(chan int, 1)
	var sum uint64
	for i := 0; i < 20000; i++ {
		sum = sum*31 + uint64(i*(id+1))
		if i%1000 == 0 {
			tick <- i
			<-tick
		}
	}
	results[id] = sum
}

func main() {
	n := 1000
	if len(os.Args) > 1 {
		v, err := strconv.Atoi(os.Args[1])
		if err != nil || v < 0 {
			fmt.Fprintf(os.Stderr, "usage: pingpong [N]  (N >= 0 round trips, got %q)\n", os.Args[1])
			os.Exit(2)
		}
		n = v
	}

	var wg sync.WaitGroup
	results := make([]uint64, nworkers)
	for i := 0; i < nworkers; i++ {
		wg.Add(1)
		go worker(i, &wg, results)
	}

	toPong := make(chan int)
	fromPong := make(chan int)
	done := make(chan int)
	go pong(toPong, fromPong)
	go ping(n, toPong, fromPong, done)
	last := <-done
	wg.Wait()

	var check uint64
	for _, r := range results {
		check ^= r
	}
	fmt.Printf("pingpong: %d round trips, final value %d\n", n, last)
	fmt.Printf("workers: %d done, checksum %016x\n", nworkers, check)
	if last != n {
		fmt.Fprintf(os.Stderr, "pingpong: final value %d, want %d\n", last, n)
		os.Exit(1)
	}
}
