/* hash.c: 64-bit FNV-1a over a buffer, built into hash.wasm by build.sh.
 *
 * The host writes bytes at hash_buffer() and calls hash(n). No imports.
 */
#include <stdint.h>

/* The same file builds natively for testing, where the attribute means nothing. */
#ifdef __wasm__
#define WASM_EXPORT(name) __attribute__((export_name(name)))
#else
#define WASM_EXPORT(name)
#endif

#define BUFFER_SIZE (1u << 20)
#define FNV_OFFSET_BASIS 0xCBF29CE484222325ull
#define FNV_PRIME 0x100000001B3ull

static uint8_t buffer[BUFFER_SIZE];

WASM_EXPORT("hash_buffer") uint32_t hash_buffer(void) { return (uint32_t)(uintptr_t)buffer; }

/* FNV-1a of buffer[0, length); a length past the buffer is cut to its size. */
WASM_EXPORT("hash") uint64_t hash(uint32_t length) {
    if (length > BUFFER_SIZE) length = BUFFER_SIZE;
    uint64_t h = FNV_OFFSET_BASIS;
    for (uint32_t i = 0; i < length; i++) {
        h ^= buffer[i];   /* xor first, then multiply: that order is the "1a" variant */
        h *= FNV_PRIME;
    }
    return h;
}
