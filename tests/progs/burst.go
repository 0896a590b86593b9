// burst: many short goroutines, made in bursts from one loop, so other Ps
// take some of them from the creator's run queue at once. 100 bursts of 50
// goroutines (main.work), each burst waited for; prints
//
//	burst: 5000 goroutines, sum 5000
//
// and exits 0.
//
//	go run burst.go
package main

import (
	"fmt"
	"sync"
	"sync/atomic"
)

var sum atomic.Int64

func work(wg *sync.WaitGroup) {
	sum.Add(1)
	wg.Done()
}

func main() {
	var wg sync.WaitGroup
	for r := 0; r < 100; r++ {
		for i := 0; i < 50; i++ {
			wg.Add(1)
			go work(&wg)
		}
		wg.Wait()
	}
	fmt.Printf("burst: %d goroutines, sum %d\n", 100*50, sum.Load())
}
