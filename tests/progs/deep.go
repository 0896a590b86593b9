// deep: a goroutine (main.deep) recurses 5000 calls deep and blocks on a
// channel receive at the bottom; main releases it 100 ms later. For
// backtraces longer than a listing shows.
package main

import "time"

var ch = make(chan int)

func rec(n int) int {
	if n == 0 {
		return <-ch
	}
	return rec(n-1) + 1
}

func deep(done chan int) { done <- rec(5000) }

func main() {
	done := make(chan int)
	go deep(done)
	time.Sleep(100 * time.Millisecond) // (deep is parked by then)
	ch <- 1
	if <-done != 5001 {
		panic("deep: wrong depth")
	}
}
