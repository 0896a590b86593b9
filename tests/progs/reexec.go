// reexec runs itself again as a child, as servers that re-execute
// themselves do, and prints what the child printed: with os/exec ("go",
// the default), or with C's system(3) ("c"), which passes the process's
// own environment rather than Go's copy. Under gosched-repl the child is
// not the program being debugged: it must run on its own.
//
//	go run reexec.go [go|c]      prints "parent: child says hello", exits 0
package main

/*
#include <stdlib.h>
*/
import "C"

import (
	"fmt"
	"os"
	"os/exec"
	"unsafe"
)

func main() {
	if len(os.Args) > 1 && os.Args[1] == "child" {
		fmt.Println("hello")
		return
	}
	if len(os.Args) > 1 && os.Args[1] == "c" {
		cmd := C.CString(os.Args[0] + " child")
		defer C.free(unsafe.Pointer(cmd))
		fmt.Print("parent: child says ")
		os.Stdout.Sync()
		if rc := C.system(cmd); rc != 0 {
			fmt.Println("parent: the child failed:", rc)
			os.Exit(1)
		}
		return
	}
	out, err := exec.Command(os.Args[0], "child").Output()
	if err != nil {
		fmt.Println("parent: the child failed:", err)
		os.Exit(1)
	}
	fmt.Printf("parent: child says %s", out)
}
