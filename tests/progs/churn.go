// churn: allocation-heavy channel traffic, for a long run of scheduler
// events (well over a million) under GOGC=1. Four producers send 100000
// freshly allocated messages each to four consumers; prints
//
//	churn: 400000 messages, checksum 19999800000
//
// and exits 0.
//
//	GOGC=1 go run churn.go
package main

import (
	"fmt"
	"sync"
)

const (
	pairs    = 4
	messages = 100000
)

var (
	wg    sync.WaitGroup
	mu    sync.Mutex
	total uint64
	count int
	chans [pairs]chan []byte
)

// producer sends messages numbered 0..messages-1, each in a new buffer.
func producer(c chan []byte) {
	for i := 0; i < messages; i++ {
		b := make([]byte, 64)
		b[0], b[1], b[2] = byte(i), byte(i>>8), byte(i>>16)
		c <- b
	}
	close(c)
}

// consumer adds up the numbers it receives.
func consumer(c chan []byte) {
	defer wg.Done()
	var s uint64
	n := 0
	for b := range c {
		s += uint64(b[0]) | uint64(b[1])<<8 | uint64(b[2])<<16
		n++
	}
	mu.Lock()
	total += s
	count += n
	mu.Unlock()
}

func main() {
	wg.Add(pairs)
	for i := range chans {
		chans[i] = make(chan []byte)
	}
	for i := 0; i < pairs; i++ {
		go producer(chans[i])
		go consumer(chans[i])
	}
	wg.Wait()
	fmt.Printf("churn: %d messages, checksum %d\n", count, total)
}
