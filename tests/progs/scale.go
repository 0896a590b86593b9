// scale: N goroutines (default 100000, or argv[1]) park on one channel; main
// then releases them all and waits. Prints
//
//	scale: 100000 goroutines, sum 4999950000
//
// and exits 0. Used to stop with very many goroutines alive.
//
//	go run scale.go [N]
package main

import (
	"fmt"
	"os"
	"strconv"
	"sync"
	"sync/atomic"
)

var (
	release = make(chan struct{})
	wg      sync.WaitGroup
	next    atomic.Int64
	sum     atomic.Int64
)

// parked waits for the release, then adds its number to the sum.
func parked() {
	defer wg.Done()
	n := next.Add(1) - 1
	<-release
	sum.Add(n)
}

func main() {
	n := 100000
	if len(os.Args) > 1 {
		v, err := strconv.Atoi(os.Args[1])
		if err != nil || v < 1 {
			fmt.Fprintln(os.Stderr, "usage: scale [N]")
			os.Exit(2)
		}
		n = v
	}
	wg.Add(n)
	for i := 0; i < n; i++ {
		go parked()
	}
	close(release)
	wg.Wait()
	fmt.Printf("scale: %d goroutines, sum %d\n", n, sum.Load())
}
