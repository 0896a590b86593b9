// mixed: one program that uses most of what the scheduler deals with, with a
// deterministic result: timers and sleep, select, sync.Mutex, sync.WaitGroup,
// a blocking system call (read(2) on a pipe), runtime.LockOSThread, runtime.Goexit,
// pprof labels, and runtime.GOMAXPROCS changed while it runs. It prints
//
//	mixed: counter 4000, selected 300, piped 64, goexit ok, procs 2->1->2
//
// and exits 0.
//
//	go run mixed.go
package main

import (
	"context"
	"fmt"
	"os"
	"runtime"
	"runtime/pprof"
	"sync"
	"syscall"
	"time"
)

// Package-level state, so that every goroutine starts at an argument-less
// function (its startfn is main.locker).
var (
	mu      sync.Mutex
	counter int
	wg      sync.WaitGroup
	a, b    = make(chan int), make(chan int)
	sel     = make(chan int)
	fds     [2]int
	piped   = make(chan int)
	locked  = make(chan bool)
	exited  = make(chan string, 1)
)

// locker increments the shared counter under the mutex.
func locker() {
	defer wg.Done()
	for i := 0; i < 1000; i++ {
		mu.Lock()
		counter++
		mu.Unlock()
		if i%100 == 0 {
			runtime.Gosched()
		}
	}
}

// selector receives from two channels and a timer with select.
func selector() {
	n := 0
	t := time.NewTimer(time.Hour)
	defer t.Stop()
	for n < 300 {
		select {
		case <-a:
			n++
		case <-b:
			n++
		case <-t.C:
		}
	}
	sel <- n
}

// feeder sends on the two channels, sleeping now and then (a timer).
func feeder() {
	for i := 0; i < 150; i++ {
		a <- i
		b <- i
		if i%50 == 0 {
			time.Sleep(time.Millisecond)
		}
	}
}

// piper blocks in read(2) on a blocking pipe (no netpoller: a real system
// call that blocks the thread) until the writer sends 64 bytes.
func piper() {
	buf := make([]byte, 64)
	total := 0
	for total < 64 {
		n, err := syscall.Read(fds[0], buf[total:])
		if err != nil {
			panic(err)
		}
		total += n
	}
	piped <- total
}

// lockedWorker runs on a locked OS thread and reports through the channel.
func lockedWorker() {
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	time.Sleep(2 * time.Millisecond)
	locked <- true
}

// exiter leaves through runtime.Goexit; its deferred call still runs.
func exiter() {
	defer func() { exited <- "goexit ok" }()
	runtime.Goexit()
}

func main() {
	runtime.GOMAXPROCS(2)
	ctx := pprof.WithLabels(context.Background(), pprof.Labels("role", "locker"))
	pprof.SetGoroutineLabels(ctx)
	for i := 0; i < 4; i++ {
		wg.Add(1)
		go locker()
	}
	pprof.SetGoroutineLabels(context.Background())

	go selector()
	go feeder()

	if err := syscall.Pipe(fds[:]); err != nil {
		panic(err)
	}
	go piper()
	go lockedWorker()
	go exiter()

	time.Sleep(3 * time.Millisecond)
	p1 := runtime.GOMAXPROCS(1)
	time.Sleep(2 * time.Millisecond)
	p2 := runtime.GOMAXPROCS(2)

	// The piper stays blocked in read(2) until the lockers and the selector
	// are done: everything they do happens while a goroutine is in a syscall.
	wg.Wait()
	nsel := <-sel
	if _, err := syscall.Write(fds[1], make([]byte, 64)); err != nil {
		panic(err)
	}
	npiped, lk, ex := <-piped, <-locked, <-exited
	if !lk {
		os.Exit(1)
	}
	fmt.Printf("mixed: counter %d, selected %d, piped %d, %s, procs %d->%d->%d\n",
		counter, nsel, npiped, ex, p1, p2, runtime.GOMAXPROCS(0))
}
