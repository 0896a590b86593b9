// exit3: prints "exit3: exiting with status 3" and exits with status 3.
//
//	go run exit3.go
package main

import (
	"fmt"
	"os"
)

func main() {
	fmt.Println("exit3: exiting with status 3")
	os.Exit(3)
}
