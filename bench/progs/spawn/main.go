// Benchmark workload: goroutine spawn storm. Creates N short goroutines
// (default 2,000,000, about 1 s; the first argument overrides), each adding
// its index to a shared atomic sum, and waits for them with a WaitGroup.
// Every goroutine is a create, a start and an exit event. Prints
// "spawn: N goroutines, sum S" (S = N*(N-1)/2).
package main

import (
	"fmt"
	"os"
	"strconv"
	"sync"
	"sync/atomic"
)

func main() {
	n := 2_000_000
	if len(os.Args) > 1 {
		v, err := strconv.Atoi(os.Args[1])
		if err != nil || v < 0 {
			fmt.Fprintln(os.Stderr, "usage: spawn [N]")
			os.Exit(2)
		}
		n = v
	}
	var (
		wg  sync.WaitGroup
		sum atomic.Int64
	)
	wg.Add(n)
	for i := 0; i < n; i++ {
		go func(i int) {
			sum.Add(int64(i))
			wg.Done()
		}(i)
	}
	wg.Wait()
	fmt.Printf("spawn: %d goroutines, sum %d\n", n, sum.Load())
	if want := int64(n) * int64(n-1) / 2; sum.Load() != want {
		os.Exit(1)
	}
}
