// hello: prints "hello" and exits 0.
//
//	go run hello.go
package main

import "fmt"

func main() {
	fmt.Println("hello")
}
