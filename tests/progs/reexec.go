// reexec runs itself again as a child (as servers that re-execute
// themselves do) and prints what the child printed. Under gosched-repl the
// child is not the program being debugged: it must run on its own.
//
//	go run reexec.go      prints "parent: child says hello" and exits 0
package main

import (
	"fmt"
	"os"
	"os/exec"
)

func main() {
	if len(os.Args) > 1 && os.Args[1] == "child" {
		fmt.Println("hello")
		return
	}
	out, err := exec.Command(os.Args[0], "child").Output()
	if err != nil {
		fmt.Println("parent: child failed:", err)
		os.Exit(1)
	}
	fmt.Printf("parent: child says %s", out)
}
