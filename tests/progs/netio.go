// netio: goroutines that wait on the network. A TCP echo server on
// localhost and 4 clients (main.client) each make 200 round trips of one
// line; every wait for a reply is a park in "IO wait" that the network
// poller ends. Prints
//
//	netio: 800 round trips
//
// and exits 0.
//
//	go run netio.go
package main

import (
	"bufio"
	"fmt"
	"net"
	"os"
	"sync"
)

func serve(c net.Conn) {
	defer c.Close()
	r := bufio.NewReader(c)
	for {
		line, err := r.ReadString('\n')
		if err != nil {
			return
		}
		c.Write([]byte(line))
	}
}

func client(addr string, n int, wg *sync.WaitGroup) {
	defer wg.Done()
	c, err := net.Dial("tcp", addr)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	defer c.Close()
	r := bufio.NewReader(c)
	for i := 0; i < n; i++ {
		fmt.Fprintf(c, "%d\n", i)
		if _, err := r.ReadString('\n'); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
	}
}

func main() {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	go func() {
		for {
			c, err := l.Accept()
			if err != nil {
				return
			}
			go serve(c)
		}
	}()
	var wg sync.WaitGroup
	for i := 0; i < 4; i++ {
		wg.Add(1)
		go client(l.Addr().String(), 200, &wg)
	}
	wg.Wait()
	fmt.Println("netio: 800 round trips")
}
