// reuse: the same work as fresh/main.go, but every iteration reslices one
// package-level buffer, made once at the largest size any iteration needs.
// It keeps the same small records.
//
// Why it stays small: after the first make the loop allocates only the small
// records, so the GC has almost nothing to collect and the heap, and with it
// wasm linear memory (which never shrinks), stays near the largest buffer.
// Prints the same checksum as fresh and as the C programs.
// usage: reuse [ITERATIONS]   (default 200)
package main

import (
	"fmt"
	"os"
	"strconv"
)

const (
	kib     = 1024
	minSize = 256 * kib
	maxSize = 4096 * kib
)

// buf is the one buffer every iteration reuses.
var buf = make([]uint32, maxSize/4)

// nextSize: same size sequence as the other three programs.
func nextSize(state *uint32) int {
	*state = *state*1664525 + 1013904223
	steps := uint32((maxSize-minSize)/(4*kib) + 1)
	return minSize + int((*state>>8)%steps)*4*kib
}

// fillAndSum: same work as fresh.
func fillAndSum(buf []uint32, iter uint32) uint32 {
	for i := range buf {
		buf[i] = uint32(i)*2654435761 + iter*40503
	}
	var sum uint32
	for i, w := range buf {
		sum += (w >> 16) * (uint32(i) + 1)
	}
	return sum
}

type record struct {
	next      *record
	size, sum uint32
}

func main() {
	iterations := 200
	if len(os.Args) > 1 {
		iterations, _ = strconv.Atoi(os.Args[1])
	}
	var state, checksum uint32 = 1, 0
	var log *record
	for iter := 0; iter < iterations; iter++ {
		size := nextSize(&state)
		sum := fillAndSum(buf[:size/4], uint32(iter)) // reuse: no new buffer
		log = &record{log, uint32(size), sum}
		checksum = checksum*31 + sum
	}
	records := 0
	for r := log; r != nil; r = r.next {
		records++
	}
	fmt.Printf("iterations: %d\nrecords: %d\nchecksum: %08x\n", iterations, records, checksum)
}
