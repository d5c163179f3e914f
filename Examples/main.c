/* main.c: two WebAssembly modules, compiled to C by wasmkiln, in one program.
 *
 * Usage: demo [FILE]   (reads standard input without FILE)
 *
 * Compresses the input with one instance of compress.wasm, restores it with a
 * second instance, and hashes both ends with hash.wasm. Each instance is a
 * sandbox with its own linear memory; the host moves bytes in and out of it.
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "compressor.h" /* generated from modules/compress.wasm */
#include "hasher.h"     /* generated from modules/hash.wasm */

/* The modules export their buffers' addresses but not their sizes: these come
 * from their sources, modules/compress.c and modules/hash.c. */
#define MAX_PLAIN (1u << 20)        /* most bytes compress takes and decompress produces */
#define HASH_BUFFER_SIZE (1u << 20) /* hash.wasm's buffer */
#define FAILED 0xFFFFFFFFu          /* what compress and decompress return for bad input */

static uint8_t input[MAX_PLAIN + 1]; /* one byte spare, to notice a larger input */

/* The host side of the import env.log(message, length). `message` is an address
 * in the memory of the instance that called, which is why the runtime passes
 * that instance: with two compressors, each logs from its own memory. */
static void env_log(void *context, compressor *inst, uint32_t message, uint32_t length) {
    (void)context;
    const uint8_t *text = wk_memory_slice(compressor_memory(inst), message, length);
    /* Guest addresses are untrusted: a bad one traps the guest's call, not the host. */
    if (!text) wk_trap_host("env.log: message outside the instance's memory");
    printf("compressor says: %.*s\n", (int)length, (const char *)text);
}

/* True when the call returned; else reports the trap. */
static bool returned(wk_result result, const char *call) {
    if (result.trap == WK_TRAP_NONE) return true;
    fprintf(stderr, "demo: %s trapped: %s%s%s\n", call, result.message,
            result.function ? " in " : "", result.function ? result.function : "");
    return false;
}

/* Hashes host bytes with hash.wasm: copy them into its buffer, then call hash. */
static bool hash_bytes(hasher *h, const void *data, uint32_t length, uint64_t *hash) {
    if (length > HASH_BUFFER_SIZE ||
        !wk_memory_write(hasher_memory(h), hasher_hash_buffer(h), data, length)) {
        fprintf(stderr, "demo: %" PRIu32 " bytes do not fit the hasher's buffer\n", length);
        return false;
    }
    return returned(hasher_try_hash(h, length, hash), "hash");
}

/* Compresses input[0, size) in `packer`, decompresses in `unpacker`, checks and
 * hashes the result. */
static bool round_trip(compressor *packer, compressor *unpacker, hasher *h, uint32_t size) {
    wk_memory *packer_memory = compressor_memory(packer);
    wk_memory *unpacker_memory = compressor_memory(unpacker);

    /* wk_memory_write checks the bounds; size <= MAX_PLAIN keeps it in the buffer. */
    if (!wk_memory_write(packer_memory, compressor_input_buffer(packer), input, size)) {
        fprintf(stderr, "demo: input does not fit the compressor's memory\n");
        return false;
    }
    uint32_t packed;
    /* try_ returns the trap (a host trap from env_log, say) instead of a bare 0. */
    if (!returned(compressor_try_compress(packer, size, &packed), "compress")) return false;
    if (packed == FAILED) {
        fprintf(stderr, "demo: compress refused %" PRIu32 " bytes\n", size);
        return false;
    }

    /* Sandbox to sandbox: a host pointer into one memory, copied into the other. */
    const uint8_t *compressed = wk_memory_slice(packer_memory, compressor_output_buffer(packer), packed);
    if (!compressed ||
        !wk_memory_write(unpacker_memory, compressor_input_buffer(unpacker), compressed, packed)) {
        fprintf(stderr, "demo: compressed data out of bounds\n");
        return false;
    }
    uint32_t unpacked;
    if (!returned(compressor_try_decompress(unpacker, packed, &unpacked), "decompress")) return false;
    const uint8_t *restored = unpacked == FAILED ? NULL
        : wk_memory_slice(unpacker_memory, compressor_output_buffer(unpacker), unpacked);
    if (!restored) {
        fprintf(stderr, "demo: decompress failed\n");
        return false;
    }

    uint64_t before, after;
    if (!hash_bytes(h, input, size, &before) || !hash_bytes(h, restored, unpacked, &after)) return false;
    bool same = unpacked == size && memcmp(restored, input, size) == 0;

    printf("input:      %" PRIu32 " bytes, hash 0x%016" PRIx64 "\n", size, before);
    printf("compressed: %" PRIu32 " bytes", packed);
    if (size > 0) printf(" (%.1f%%)", 100.0 * packed / size);
    printf("\nround trip: %" PRIu32 " bytes, hash 0x%016" PRIx64 " (%s)\n", unpacked, after,
           same ? "identical" : "DIFFERENT");
    return same;
}

int main(int argc, char **argv) {
    if (argc > 2) {
        fprintf(stderr, "usage: %s [FILE]\n", argv[0]);
        return 1;
    }
    const char *name = argc == 2 ? argv[1] : "standard input";
    FILE *file = argc == 2 ? fopen(argv[1], "rb") : stdin;
    if (!file) {
        perror(name);
        return 1;
    }
    size_t size = fread(input, 1, sizeof input, file);
    bool failed = ferror(file);
    if (file != stdin) fclose(file);
    if (failed) {
        fprintf(stderr, "demo: cannot read %s\n", name);
        return 1;
    }
    if (size > MAX_PLAIN) {
        fprintf(stderr, "demo: %s is larger than %u bytes\n", name, MAX_PLAIN);
        return 1;
    }

    /* Every import must be set; `context` comes back to each host function. */
    const compressor_imports imports = {.context = NULL, .env_log = env_log};
    wk_error error;
    compressor *packer = NULL, *unpacker = NULL;
    hasher *h = NULL;
    int status = 1;
    /* Two instances of one module (one code, two memories), one of another module;
     * hash.wasm imports nothing, so it takes no imports struct. */
    if ((packer = compressor_new(&imports, NULL, &error)) &&
        (unpacker = compressor_new(&imports, NULL, &error)) &&
        (h = hasher_new(NULL, NULL, &error))) {
        status = round_trip(packer, unpacker, h, (uint32_t)size) ? 0 : 1;
    } else {
        fprintf(stderr, "demo: cannot instantiate: %s\n", error.message);
    }
    /* Like free(), these accept NULL. */
    hasher_free(h);
    compressor_free(unpacker);
    compressor_free(packer);
    return status;
}
