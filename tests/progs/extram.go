// extram imports net: built with cgo (the default where gcc is), the
// runtime keeps an extra M for callbacks from C, with a dead goroutine of
// its own, which is not one of the program's goroutines.
package main

import (
	"fmt"
	_ "net"
)

func main() { fmt.Println("extram: ok") }
