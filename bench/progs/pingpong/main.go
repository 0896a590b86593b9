// Benchmark workload: channel ping-pong. Two goroutines pass a counter back
// and forth over two unbuffered channels N times (default 2,000,000, about
// 1 s; the first argument overrides). Every round trip is two blocking
// channel operations, i.e. scheduler park/ready/start events: the hooks'
// cost shows up here first. Prints "pingpong: N round trips, final value N".
package main

import (
	"fmt"
	"os"
	"strconv"
)

func main() {
	n := 2_000_000
	if len(os.Args) > 1 {
		v, err := strconv.Atoi(os.Args[1])
		if err != nil || v < 0 {
			fmt.Fprintln(os.Stderr, "usage: pingpong [N]")
			os.Exit(2)
		}
		n = v
	}
	ping, pong := make(chan int), make(chan int)
	go func() {
		for v := range ping {
			pong <- v + 1
		}
		close(pong)
	}()
	v := 0
	for i := 0; i < n; i++ {
		ping <- v
		v = <-pong
	}
	close(ping)
	fmt.Printf("pingpong: %d round trips, final value %d\n", n, v)
	if v != n {
		os.Exit(1)
	}
}
