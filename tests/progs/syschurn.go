// syschurn: goroutines that read a file and pipe data through, so that
// many threads enter and leave system calls at once. Prints the bytes moved.
package main

import (
	"fmt"
	"io"
	"os"
	"sync"
)

func main() {
	f, err := os.CreateTemp("", "syschurn")
	if err != nil {
		panic(err)
	}
	defer os.Remove(f.Name())
	f.Write(make([]byte, 64*4096))
	f.Close()
	var wg sync.WaitGroup
	var mu sync.Mutex
	total := 0
	add := func(n int) { mu.Lock(); total += n; mu.Unlock() }
	for w := 0; w < 8; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for k := 0; k < 20; k++ {
				g, err := os.Open(f.Name())
				if err != nil {
					panic(err)
				}
				n, _ := io.Copy(io.Discard, g)
				g.Close()
				add(int(n))
			}
		}()
	}
	for w := 0; w < 4; w++ {
		r, wr, err := os.Pipe()
		if err != nil {
			panic(err)
		}
		wg.Add(2)
		go func() {
			defer wg.Done()
			for i := 0; i < 2000; i++ {
				wr.Write([]byte("abcdefgh"))
			}
			wr.Close()
		}()
		go func() {
			defer wg.Done()
			n, _ := io.Copy(io.Discard, r)
			add(int(n))
		}()
	}
	wg.Wait()
	fmt.Println("syschurn: bytes", total)
}
