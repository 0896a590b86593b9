// panics: prints "panics: about to panic", then main.explode panics with
// "panic: gosched-repl test panic" on stderr (plus a goroutine trace); the Go
// runtime exits with status 2.
//
//	go run panics.go
package main

import "fmt"

func explode() {
	panic("gosched-repl test panic")
}

func main() {
	fmt.Println("panics: about to panic")
	explode()
}
