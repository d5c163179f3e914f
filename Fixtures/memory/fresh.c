// fresh: every iteration mallocs a new temporary buffer, and frees the
// previous one once the new one exists (the common "build the new block,
// then drop the old one" swap). Each iteration also appends a small record to
// a list that is never freed.
//
// Why it grows: wasm linear memory only grows (there is no memory.shrink);
// wasi-libc's malloc (dlmalloc) gets more with sbrk -> memory.grow. Two
// buffers of random sizes are alive at a time (the new one and the one it
// replaces), so the new one often fits no freed hole and is taken from fresh
// memory at the top. The first records, made while the heap had no holes
// yet, sit between early buffers and cut the heap into pieces that can never
// merge again, which makes it worse: the heap ends several times the size of
// the largest buffer. (With only one buffer alive at a time, dlmalloc fits
// each buffer into the freed space and the heap stays near the largest
// buffer, records or not: the swap is what hurts.)
//
// reuse.c does the same work in one buffer; both print the same checksum.
// usage: fresh [ITERATIONS]   (default 200)
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#define KIB 1024u
#define MIN_SIZE (256u * KIB)
#define MAX_SIZE (4096u * KIB)

// Deterministic size for each iteration (the same in reuse.c and the Go
// programs): an LCG mapped to 256 KiB .. 4 MiB in steps of 4 KiB.
static uint32_t next_size(uint32_t *state) {
    *state = *state * 1664525u + 1013904223u;
    uint32_t steps = (MAX_SIZE - MIN_SIZE) / (4 * KIB) + 1;
    return MIN_SIZE + (*state >> 8) % steps * (4 * KIB);
}

// The work: fill the buffer (as 32-bit words) with a pattern that depends on
// the iteration, then checksum it.
static uint32_t fill_and_sum(uint32_t *buf, uint32_t size, uint32_t iter) {
    uint32_t words = size / 4;
    for (uint32_t i = 0; i < words; i++)
        buf[i] = i * 2654435761u + iter * 40503u;
    uint32_t sum = 0;
    for (uint32_t i = 0; i < words; i++)
        sum += (buf[i] >> 16) * (i + 1);
    return sum;
}

// A small, long-lived allocation: one per iteration, never freed.
struct record {
    struct record *next;
    uint32_t size, sum;
};

int main(int argc, char **argv) {
    int iterations = argc > 1 ? atoi(argv[1]) : 200;
    uint32_t state = 1, checksum = 0;
    struct record *log = NULL;
    uint32_t *prev = NULL;
    for (int iter = 0; iter < iterations; iter++) {
        uint32_t size = next_size(&state);
        uint32_t *buf = malloc(size);         // a fresh buffer every time
        struct record *r = malloc(sizeof *r); // small, kept for good
        if (!buf || !r) {
            fprintf(stderr, "out of memory at iteration %d\n", iter);
            return 1;
        }
        uint32_t sum = fill_and_sum(buf, size, (uint32_t)iter);
        free(prev);                           // drop the old buffer now
        prev = buf;
        *r = (struct record){log, size, sum};
        log = r;
        checksum = checksum * 31u + sum;
    }
    free(prev);
    unsigned records = 0;
    for (struct record *r = log; r; r = r->next)
        records++;
    printf("iterations: %d\nrecords: %u\nchecksum: %08x\n", iterations,
           records, checksum);
    return 0;
}
