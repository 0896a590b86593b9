// ticker: a goroutine (main.writer) appends "tick N" to a file every
// millisecond, one write(2) per line, so the file shows progress as it
// happens. Used to show that a stopped program makes no progress.
//
//	go run ticker.go FILE [COUNT]
//
// FILE is created (truncated). COUNT lines are written (default 3000, about
// 3 s); the count, not the clock, ends the run, so a stop only delays it.
// Then "ticker: COUNT lines" is printed on stdout and the exit status is 0.
// Exit status 2 on bad usage, 1 when the file cannot be written.
package main

import (
	"fmt"
	"os"
	"strconv"
	"time"
)

var (
	out   *os.File
	count = 3000
	done  = make(chan error)
)

// writer writes the lines; no arguments, so its start function is main.writer.
func writer() {
	t := time.NewTicker(time.Millisecond)
	defer t.Stop()
	for i := 1; i <= count; i++ {
		<-t.C
		// os.File is unbuffered: every line reaches the file at once.
		if _, err := fmt.Fprintf(out, "tick %d\n", i); err != nil {
			done <- err
			return
		}
	}
	done <- nil
}

func main() {
	if len(os.Args) < 2 || len(os.Args) > 3 {
		fmt.Fprintln(os.Stderr, "usage: ticker FILE [COUNT]")
		os.Exit(2)
	}
	if len(os.Args) == 3 {
		n, err := strconv.Atoi(os.Args[2])
		if err != nil || n < 0 {
			fmt.Fprintf(os.Stderr, "ticker: bad count %q\n", os.Args[2])
			os.Exit(2)
		}
		count = n
	}
	f, err := os.Create(os.Args[1])
	if err != nil {
		fmt.Fprintln(os.Stderr, "ticker:", err)
		os.Exit(1)
	}
	out = f
	go writer()
	if err := <-done; err != nil {
		fmt.Fprintln(os.Stderr, "ticker:", err)
		os.Exit(1)
	}
	if err := f.Close(); err != nil {
		fmt.Fprintln(os.Stderr, "ticker:", err)
		os.Exit(1)
	}
	fmt.Printf("ticker: %d lines\n", count)
}
