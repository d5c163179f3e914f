/* lz4: compress and decompress INPUT_SIZE bytes with lz4's fast mode (the library's own
 * sources, from the PyPI lz4 source distribution; see build.sh), check the round trip, and
 * print a checksum of the decompressed bytes (lz4's compressed bytes differ between 32- and
 * 64-bit builds: it hashes differently). */
#include <stdio.h>

#include "input.h"
/* The codec's declarations come from its source, which build.sh puts first. */

int main(void) {
    uint8_t *input = make_input();
    int bound = LZ4_compressBound((int)INPUT_SIZE);
    uint8_t *compressed = malloc((size_t)bound), *output = malloc(INPUT_SIZE);
    if (!compressed || !output) return 1;
    uint64_t h = 0xCBF29CE484222325ull;
    for (int round = 0; round < 2; round++) {
        int size = LZ4_compress_default((const char *)input, (char *)compressed, (int)INPUT_SIZE, bound);
        if (size <= 0) return 2;
        int back = LZ4_decompress_safe((const char *)compressed, (char *)output, size, (int)INPUT_SIZE);
        if (back != (int)INPUT_SIZE || memcmp(input, output, INPUT_SIZE) != 0) return 3;
        h = fnv(h, output, INPUT_SIZE);
        input[round] ^= 1;
    }
    printf("checksum: %016llx\n", (unsigned long long)h);
    return 0;
}
