// reuse: the same work as fresh.c, but with one buffer, malloc()ed once at
// the largest size any iteration needs and reused by every iteration. It
// keeps the same small never-freed records as fresh.c.
//
// Why it stays small: the heap is grown once, early, to about the largest
// buffer plus the records; nothing is freed, so there are no holes to
// fragment, and wasm memory (which never shrinks) never needs to grow again.
// Prints the same checksum as fresh.c.
// usage: reuse [ITERATIONS]   (default 200)
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#define KIB 1024u
#define MIN_SIZE (256u * KIB)
#define MAX_SIZE (4096u * KIB)

// Same size sequence as fresh.c: an LCG mapped to 256 KiB .. 4 MiB.
static uint32_t next_size(uint32_t *state) {
    *state = *state * 1664525u + 1013904223u;
    uint32_t steps = (MAX_SIZE - MIN_SIZE) / (4 * KIB) + 1;
    return MIN_SIZE + (*state >> 8) % steps * (4 * KIB);
}

// Same work as fresh.c: fill (as 32-bit words), then checksum.
static uint32_t fill_and_sum(uint32_t *buf, uint32_t size, uint32_t iter) {
    uint32_t words = size / 4;
    for (uint32_t i = 0; i < words; i++)
        buf[i] = i * 2654435761u + iter * 40503u;
    uint32_t sum = 0;
    for (uint32_t i = 0; i < words; i++)
        sum += (buf[i] >> 16) * (i + 1);
    return sum;
}

struct record {
    struct record *next;
    uint32_t size, sum;
};

int main(int argc, char **argv) {
    int iterations = argc > 1 ? atoi(argv[1]) : 200;
    uint32_t state = 1, checksum = 0;
    struct record *log = NULL;
    uint32_t *buf = malloc(MAX_SIZE);           // one buffer, the largest size
    if (!buf) {
        fprintf(stderr, "out of memory\n");
        return 1;
    }
    for (int iter = 0; iter < iterations; iter++) {
        uint32_t size = next_size(&state);
        struct record *r = malloc(sizeof *r); // same small records as fresh.c
        if (!r) {
            fprintf(stderr, "out of memory at iteration %d\n", iter);
            return 1;
        }
        uint32_t sum = fill_and_sum(buf, size, (uint32_t)iter);
        *r = (struct record){log, size, sum};
        log = r;
        checksum = checksum * 31u + sum;
    }
    free(buf);
    unsigned records = 0;
    for (struct record *r = log; r; r = r->next)
        records++;
    printf("iterations: %d\nrecords: %u\nchecksum: %08x\n", iterations,
           records, checksum);
    return 0;
}
