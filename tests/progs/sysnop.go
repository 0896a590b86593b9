// sysnop: with one P, a goroutine sleeps 50 ms in a system call
// (nanosleep) while main spins for some 300 ms with no call in its loop, so
// nothing takes the P from it (run with GODEBUG=asyncpreemptoff=1): the
// system call returns to find no P, and the goroutine waits on the global
// run queue until main is done.
package main

import (
	"fmt"
	"runtime"
	"syscall"
	"time"
)

var sink uint64

func sleeper(done chan<- bool) {
	ts := syscall.NsecToTimespec(int64(50 * time.Millisecond))
	syscall.Nanosleep(&ts, nil)
	done <- true
}

func main() {
	runtime.GOMAXPROCS(1)
	done := make(chan bool)
	go sleeper(done)
	runtime.Gosched() // (the sleeper enters its system call)
	x := uint64(1)
	for i := 0; i < 300_000_000; i++ {
		x = x*6364136223846793005 + 1442695040888963407
	}
	sink = x
	<-done
	fmt.Println("sysnop: done")
}
