// Benchmark workload: channel ping-pong. Two goroutines pass a counter back
// and forth over two unbuffered channels N times (default 2,000,000, about
// 1 s; the first argument overrides). Every round trip is two blocking
// channel operations, i.e. scheduler park/ready/start events: the hooks'
// cost shows up here first. Prints "pingpong: N round trips, final value N".
//
// With PINGPONG_BATCH=B in the environment it also times every B round
// trips and prints the fastest batch on stderr ("pingpong: best batch X ns
// per round trip"): the cost of a round trip with the least interference
// from the rest of the machine, which whole-run times include.
package main

import (
	"fmt"
	"os"
	"strconv"
	"time"
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
	batch, _ := strconv.Atoi(os.Getenv("PINGPONG_BATCH"))
	best, start, left := time.Duration(-1), time.Now(), batch
	v := 0
	for i := 0; i < n; i++ {
		ping <- v
		v = <-pong
		if left--; left == 0 { // (a count down: a division per round trip would cost ~10 ns)
			now := time.Now()
			if d := now.Sub(start); best < 0 || d < best {
				best = d
			}
			start, left = now, batch
		}
	}
	close(ping)
	fmt.Printf("pingpong: %d round trips, final value %d\n", n, v)
	if best >= 0 {
		fmt.Fprintf(os.Stderr, "pingpong: best batch %.1f ns per round trip\n", float64(best)/float64(batch))
	}
	if v != n {
		os.Exit(1)
	}
}
