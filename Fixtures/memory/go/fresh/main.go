// fresh: every iteration makes a new []uint32 as its temporary buffer and
// drops it; the garbage collector frees it later. Each iteration also appends
// a small record to a list that is kept, as in fresh.c.
//
// Why it grows: the GC runs only when the heap reaches its goal (twice the
// heap live after the last collection with GOGC=100, and at least 4 MiB),
// and almost nothing here stays live, so one or two dead buffers are still
// in the heap when the next one is made. With varying sizes the freed space
// does not always fit the new buffer, and the runtime takes more wasm memory
// (memory.grow) for its heap, which it never gives back: there is no
// memory.shrink. reuse/main.go does the same work in one buffer.
// Prints the same checksum as reuse and as the C programs.
// usage: fresh [ITERATIONS]   (default 200)
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

// nextSize is the size sequence shared by all four programs: an LCG mapped
// to 256 KiB .. 4 MiB in steps of 4 KiB.
func nextSize(state *uint32) int {
	*state = *state*1664525 + 1013904223
	steps := uint32((maxSize-minSize)/(4*kib) + 1)
	return minSize + int((*state>>8)%steps)*4*kib
}

// fillAndSum is the work: fill the buffer (as 32-bit words) with an
// iteration-dependent pattern, then checksum it.
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
		buf := make([]uint32, size/4) // a fresh buffer every time; garbage after this iteration
		sum := fillAndSum(buf, uint32(iter))
		log = &record{log, uint32(size), sum}
		checksum = checksum*31 + sum
	}
	records := 0
	for r := log; r != nil; r = r.next {
		records++
	}
	fmt.Printf("iterations: %d\nrecords: %d\nchecksum: %08x\n", iterations, records, checksum)
}
