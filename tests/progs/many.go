// many: hundreds of goroutines doing channel work.
//
// 400 goroutines (main.member) form a ring of unbuffered channels; a token
// travels round the ring 25 times, each member mixing its index into it. Each
// member then reports a value of its own on a shared results channel. The
// printed checksum depends on nothing but the constants below. Exit 0.
//
//	go run many.go
package main

import (
	"fmt"
	"sync"
)

const (
	nmembers = 400
	laps     = 25
)

var (
	ring    [nmembers + 1]chan uint64 // ring[i] feeds member i; ring[nmembers] returns to main
	results = make(chan uint64, 16)
	wg      sync.WaitGroup
	nextID  = make(chan int, nmembers)
)

// member is the body of every ring goroutine (no arguments, so the
// goroutine's start function is main.member).
func member() {
	defer wg.Done()
	id := <-nextID
	in, out := ring[id], ring[id+1]
	own := uint64(id)
	for lap := 0; lap < laps; lap++ {
		v := <-in
		v = v*1099511628211 + uint64(id) + 1
		own = own*31 + v
		out <- v
	}
	results <- own
}

func main() {
	for i := range ring {
		ring[i] = make(chan uint64)
	}
	for i := 0; i < nmembers; i++ {
		nextID <- i
	}
	wg.Add(nmembers)
	for i := 0; i < nmembers; i++ {
		go member()
	}

	// Collect the members' own values while the token travels.
	var sum, xor uint64
	collected := make(chan struct{})
	go func() {
		for i := 0; i < nmembers; i++ {
			r := <-results
			sum += r
			xor ^= r
		}
		close(collected)
	}()

	token := uint64(14695981039346656037)
	for lap := 0; lap < laps; lap++ {
		ring[0] <- token
		token = <-ring[nmembers]
	}
	wg.Wait()
	<-collected

	fmt.Printf("many: %d goroutines, %d laps, token %016x, checksum %016x\n",
		nmembers, laps, token, sum^(xor<<1))
}
