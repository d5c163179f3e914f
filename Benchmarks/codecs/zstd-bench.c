/* zstd: compress and decompress INPUT_SIZE bytes at level 3 (the library's single-file
 * sources, from the PyPI zstandard source distribution; see build.sh), check the round
 * trip, and print a checksum of the decompressed bytes (as lz4-bench.c does). */
#include <stdio.h>

#include "input.h"
/* The codec's declarations come from its source, which build.sh puts first. */

int main(void) {
    uint8_t *input = make_input();
    size_t bound = ZSTD_compressBound(INPUT_SIZE);
    uint8_t *compressed = malloc(bound), *output = malloc(INPUT_SIZE);
    if (!compressed || !output) return 1;
    size_t size = ZSTD_compress(compressed, bound, input, INPUT_SIZE, 3);
    if (ZSTD_isError(size)) return 2;
    size_t back = ZSTD_decompress(output, INPUT_SIZE, compressed, size);
    if (back != INPUT_SIZE || memcmp(input, output, INPUT_SIZE) != 0) return 3;
    printf("checksum: %016llx\n", (unsigned long long)fnv(0xCBF29CE484222325ull, output, INPUT_SIZE));
    return 0;
}
