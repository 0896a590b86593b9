// ignint ignores SIGINT (signal.Ignore) and sleeps in a loop for ever.
// Under gosched-repl a Ctrl-C must still stop it.
package main

import (
	"fmt"
	"os"
	"os/signal"
	"time"
)

func main() {
	signal.Ignore(os.Interrupt)
	fmt.Println("ignint: ignoring SIGINT")
	for {
		time.Sleep(10 * time.Millisecond)
	}
}
