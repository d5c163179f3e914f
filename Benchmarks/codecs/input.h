/* The codec benchmarks' input: 50 MB of our own making, the same on every run and
 * platform. Text-like (words from a small vocabulary, numbers, punctuation) with runs of
 * noise, so that it compresses about as well as logs or source code. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define INPUT_SIZE (50u * 1024 * 1024)

static uint64_t bench_state = 0x9E3779B97F4A7C15ull;

static uint32_t bench_next(void) {
    bench_state = bench_state * 6364136223846793005ull + 1442695040888963407ull;
    return (uint32_t)(bench_state >> 33);
}

static uint8_t *make_input(void) {
    static const char *const words[] = {
        "the", "module", "memory", "function", "table", "value", "result", "error", "build", "trap",
        "export", "import", "global", "instance", "compile", "stack", "frame", "branch", "loop", "block",
        "load", "store", "vector", "lane", "shuffle", "checksum", "kiln", "native", "wasm", "runtime",
        "cache", "unit", "header", "signal", "guard", "page", "offset", "index", "count", "size",
    };
    uint8_t *buffer = malloc(INPUT_SIZE);
    if (!buffer) abort();
    size_t n = 0;
    while (n < INPUT_SIZE) {
        uint32_t choice = bench_next() % 100;
        char piece[64];
        size_t length;
        if (choice < 80) {
            const char *word = words[bench_next() % (sizeof words / sizeof *words)];
            length = strlen(word);
            memcpy(piece, word, length);
            piece[length++] = (bench_next() % 8 == 0) ? '\n' : ' ';
        } else if (choice < 95) {
            uint32_t number = bench_next() % 100000;
            length = 0;
            do {
                piece[length++] = (char)('0' + number % 10);
                number /= 10;
            } while (number);
            piece[length++] = ',';
        } else {
            length = 8 + bench_next() % 24;
            for (size_t k = 0; k < length; k++) piece[k] = (char)bench_next();
        }
        if (n + length > INPUT_SIZE) length = INPUT_SIZE - n;
        memcpy(buffer + n, piece, length);
        n += length;
    }
    return buffer;
}

static uint64_t fnv(uint64_t h, const uint8_t *p, size_t n) {
    for (size_t k = 0; k < n; k++) h = (h ^ p[k]) * 0x100000001B3ull;
    return h;
}
