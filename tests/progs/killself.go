// killself: prints "killself: sending SIGKILL to myself", then kills its own
// process with SIGKILL (a wait status of "killed by signal 9"). Should the
// signal somehow not arrive within 10 s it prints an error and exits 1.
//
//	go run killself.go
package main

import (
	"fmt"
	"os"
	"syscall"
	"time"
)

func main() {
	fmt.Println("killself: sending SIGKILL to myself")
	if err := syscall.Kill(os.Getpid(), syscall.SIGKILL); err != nil {
		fmt.Fprintln(os.Stderr, "killself:", err)
		os.Exit(1)
	}
	time.Sleep(10 * time.Second)
	fmt.Fprintln(os.Stderr, "killself: still alive after SIGKILL")
	os.Exit(1)
}
