// cgoreexec runs itself again from C (system(3)), whose environment is the
// process's own, not Go's copy. Under gosched-repl the child inherits the
// debugger's variables but must run on its own.
package main

/*
#include <stdlib.h>
*/
import "C"

import (
	"fmt"
	"os"
	"unsafe"
)

func main() {
	if len(os.Args) > 1 && os.Args[1] == "child" {
		fmt.Println("child: hello")
		return
	}
	cmd := C.CString(os.Args[0] + " child")
	defer C.free(unsafe.Pointer(cmd))
	if rc := C.system(cmd); rc != 0 {
		fmt.Println("parent: the child failed:", rc)
		os.Exit(1)
	}
	fmt.Println("parent: done")
}
