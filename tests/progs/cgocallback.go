// cgocallback: C calls back into Go 1,000 times from each of 4 goroutines.
// Each callback leaves a system call (sysret) and goes back into one
// (syscall): the events must pair up.
package main

/*
#include <stdint.h>
extern int64_t goAdd(int64_t, int64_t);
static int64_t callsum(int64_t n) {
	int64_t s = 0;
	for (int64_t i = 0; i < n; i++) s = goAdd(s, i);
	return s;
}
*/
import "C"

import (
	"fmt"
	"sync"
)

//export goAdd
func goAdd(a, b C.int64_t) C.int64_t { return a + b }

func main() {
	var wg sync.WaitGroup
	sum := make([]int64, 4)
	for i := range sum {
		wg.Add(1)
		go func() {
			defer wg.Done()
			sum[i] = int64(C.callsum(1000))
		}()
	}
	wg.Wait()
	fmt.Println("cgocallback:", sum)
}
