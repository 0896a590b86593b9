// convoy: a sync.Mutex held across a short sleep by 10 goroutines
// (main.worker), 100 times each, so the waiters pile up and the mutex goes
// into starvation mode: Unlock hands the lock straight to the first waiter
// and yields to it (the runtime's internal yield). Prints
//
//	convoy: 1000 locks
//
// and exits 0.
//
//	go run convoy.go
package main

import (
	"fmt"
	"sync"
	"time"
)

var (
	mu sync.Mutex
	n  int
)

func worker(wg *sync.WaitGroup) {
	defer wg.Done()
	for j := 0; j < 100; j++ {
		mu.Lock()
		n++
		time.Sleep(10 * time.Microsecond)
		mu.Unlock()
	}
}

func main() {
	var wg sync.WaitGroup
	for i := 0; i < 10; i++ {
		wg.Add(1)
		go worker(&wg)
	}
	wg.Wait()
	fmt.Printf("convoy: %d locks\n", n)
}
