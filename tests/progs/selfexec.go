// selfexec: replaces itself (syscall.Exec, the same pid) with a second run
// of its own binary, which exits with status 4. Both print how many
// GOSCHED_REPL_ variables they see: the debugger's are not the program's.
// Under gosched-repl the second image must run undebugged, not wait for a
// debugger that serves no one.
package main

import (
	"fmt"
	"os"
	"strings"
	"syscall"
	"time"
)

func seen() int {
	n := 0
	for _, kv := range os.Environ() {
		if strings.HasPrefix(kv, "GOSCHED_REPL_") {
			n++
		}
	}
	return n
}

func main() {
	go func() {}()
	time.Sleep(time.Millisecond)
	if len(os.Args) > 1 && os.Args[1] == "again" {
		fmt.Println("again: pid", os.Getpid(), "vars", seen())
		os.Exit(4)
	}
	fmt.Println("first: pid", os.Getpid(), "vars", seen())
	err := syscall.Exec(os.Args[0], []string{os.Args[0], "again"}, os.Environ())
	fmt.Println("exec failed:", err)
	os.Exit(1)
}
