// yielders: two goroutines call runtime.Gosched in a loop, forever; main
// sleeps 20 ms and returns. When main ends the program, the yielders are
// still yielding: events that race the exit.
package main

import (
	"fmt"
	"runtime"
	"time"
)

func yielder() {
	for {
		runtime.Gosched()
	}
}

func main() {
	go yielder()
	go yielder()
	time.Sleep(20 * time.Millisecond)
	fmt.Println("yielders: main returns")
}
