/* memcopy: memory bandwidth.
 *
 * Two 32 MiB buffers (plus a small one) are pushed through the usual bulk
 * operations many times: memset, a generated fill, memcpy, overlapping
 * memmove both ways, word-wise streaming sums, memcmp, a blocked copy of
 * small chunks (many short memcpy calls) and a strided gather.
 *
 * Deterministic: integer arithmetic only.
 * Prints one line: checksum: <16 hex digits>
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MB (1u << 20)
#define SIZE (32u * MB)
#define PASSES 24

static uint64_t sum_words(const uint8_t *p, uint32_t n) {
    /* n is a multiple of 16; loads go through memcpy (no aliasing games) */
    uint64_t s0 = 0, s1 = 0;
    for (uint32_t i = 0; i < n; i += 16) {
        uint64_t w0, w1;
        memcpy(&w0, p + i, 8);
        memcpy(&w1, p + i + 8, 8);
        s0 += w0;
        s1 ^= w1;
    }
    return s0 + (s1 << 1);
}

static uint64_t mix(uint64_t h, uint64_t v) {
    h ^= v;
    h *= 0x100000001B3ull;
    return h ^ (h >> 32);
}

int main(void) {
    uint8_t *a = malloc(SIZE);
    uint8_t *b = malloc(SIZE);
    uint8_t *small = malloc(64 * 1024);
    if (!a || !b || !small) { fprintf(stderr, "out of memory\n"); return 1; }
    uint64_t h = 0xCBF29CE484222325ull;

    for (uint32_t pass = 0; pass < PASSES; pass++) {
        /* memset, then a generated fill as 32-bit words */
        memset(a, (int)(pass * 37 + 1), SIZE);
        h = mix(h, sum_words(a, SIZE));
        for (uint32_t i = 0; i < SIZE / 4; i++) {
            uint32_t w = i * 2654435761u + pass;
            memcpy(a + 4 * i, &w, 4);
        }

        /* copy and compare */
        memcpy(b, a, SIZE);
        h = mix(h, (uint64_t)(memcmp(a, b, SIZE) == 0));
        b[SIZE / 2 + pass] ^= 0x5A;
        int c = memcmp(a, b, SIZE);
        h = mix(h, (uint64_t)(c < 0 ? 1 : c > 0 ? 2 : 3));

        /* overlapping moves, forward and backward */
        uint32_t off = 4096 * (pass + 1) + pass * 3;
        memmove(a + off, a, SIZE - off);
        h = mix(h, sum_words(a, SIZE));
        memmove(a, a + off + 5, SIZE - off - 5);
        h = mix(h, sum_words(a + 8 * pass, SIZE / 2));

        /* many short copies through a small staging buffer */
        for (uint32_t base = 0; base < SIZE; base += 64 * 1024) {
            for (uint32_t k = 0; k < 64 * 1024; k += 256) memcpy(small + k, b + base + (k ^ 0x1000), 256);
            memcpy(a + (SIZE - 64 * 1024 - base), small, 64 * 1024);
        }
        h = mix(h, sum_words(a, SIZE));

        /* strided gather: one byte from every 64 (one per cache line) */
        uint32_t g = 0;
        for (uint32_t i = pass; i < SIZE; i += 64) g = g * 31 + a[i];
        h = mix(h, g);

        /* zero half and check */
        memset(b, 0, SIZE / 2);
        h = mix(h, sum_words(b, SIZE));
    }

    free(a);
    free(b);
    free(small);
    printf("checksum: %016llx\n", (unsigned long long)h);
    return 0;
}
