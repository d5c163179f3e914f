/* hashsum: the 64-bit FNV-1a hash of each argument, computed by ../modules/hash.wasm
 * through the hasher library that wasmkiln_add_library builds. */
#include "hasher.h"
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

int main(int argc, char **argv) {
    wk_error error;
    hasher *h = hasher_new(NULL, NULL, &error);
    if (!h) {
        fprintf(stderr, "hashsum: %s\n", error.message);
        return 1;
    }
    int status = 0;
    for (int i = 1; i < argc; i++) {
        uint32_t length = (uint32_t)strlen(argv[i]);
        uint64_t hash;
        /* The module hashes its own buffer: copy the text in, bounds-checked. */
        if (!wk_memory_write(hasher_memory(h), hasher_hash_buffer(h), argv[i], length)) {
            fprintf(stderr, "hashsum: argument %d does not fit the buffer\n", i);
            status = 1;
            continue;
        }
        wk_result result = hasher_try_hash(h, length, &hash);
        if (result.trap != WK_TRAP_NONE) {
            fprintf(stderr, "hashsum: trapped: %s\n", result.message);
            status = 1;
            continue;
        }
        printf("%016" PRIx64 "  %s\n", hash, argv[i]);
    }
    hasher_free(h);
    return status;
}
