// deadlock: dies of a deadlock the runtime detects.
//
// main.waiter goroutines (3) wait on a channel nobody sends on; main then
// waits for them. With the argument "goexit", main calls runtime.Goexit
// after its goroutines have ended instead ("no goroutines ... deadlock!").
// Either way the runtime ends it: fatal error, exit status 2.
//
//	go run deadlock.go [goexit]
package main

import (
	"fmt"
	"os"
	"runtime"
	"sync"
)

func waiter(c chan int, wg *sync.WaitGroup) {
	defer wg.Done()
	<-c
}

func main() {
	if len(os.Args) > 1 && os.Args[1] == "goexit" {
		done := make(chan bool)
		go func() { done <- true }()
		<-done
		fmt.Println("deadlock: main calls Goexit")
		runtime.Goexit()
	}
	var wg sync.WaitGroup
	c := make(chan int)
	for i := 0; i < 3; i++ {
		wg.Add(1)
		go waiter(c, &wg)
	}
	fmt.Println("deadlock: main waits for 3 waiters")
	wg.Wait()
}
