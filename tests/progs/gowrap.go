// Test target for start functions of go statements with arguments: the
// compiler starts each in a wrapper (main.main.gowrapN) that calls the
// statement's function — directly (worker, a method), with the function
// inlined into it (leaf), or through a func value (f), the one case where
// the wrapper's name is all there is. Each goroutine sends its name once,
// and main waits for all of them to exit before it does (their exit events
// come before the program's).
package main

import (
	"fmt"
	"runtime"
	"sort"
)

type T struct{ name string }

func (t *T) run(c chan<- string) { c <- t.name }

//go:noinline
func worker(id int, c chan<- string) {
	for i := 0; i < id; i++ {
		c <- "worker"
	}
}

func leaf(c chan<- string) { c <- "leaf" }

func main() {
	c := make(chan string, 16)
	go worker(1, c)
	go leaf(c)
	go (&T{"method"}).run(c)
	f := func(s string) { c <- s }
	go f("funcvalue")
	got := []string{<-c, <-c, <-c, <-c}
	for runtime.NumGoroutine() > 1 { // (a goroutine leaves the count after its exit event)
		runtime.Gosched()
	}
	sort.Strings(got)
	fmt.Println("gowrap:", got)
}
