/* compress.c: a small LZ77 byte compressor, built into compress.wasm by build.sh.
 *
 * The host writes bytes at input_buffer(), calls compress(n) or decompress(n)
 * and reads the result at output_buffer(). compress reports its sizes through
 * the one import, env.log.
 *
 * Compressed format: a sequence of tokens, each starting with a control byte c.
 *   c < 0x80   literal run: the next c + 1 bytes (1..128) are copied as they are.
 *   c >= 0x80  match: copy (c & 0x7F) + 4 bytes (4..131) starting `distance` bytes
 *              back in the output; distance is the next two bytes, little-endian,
 *              1..65535. Source and destination may overlap (that encodes runs).
 * At worst (no matches) the output is the input plus one byte per 128, so both
 * buffers are that much larger than the 1 MiB that compress takes: compressed
 * output always fits back into the input buffer for decompress.
 */
#include <stdint.h>

/* The same file builds natively for testing, where these attributes mean nothing. */
#ifdef __wasm__
#define WASM_EXPORT(name) __attribute__((export_name(name)))
#define WASM_IMPORT(module, name) __attribute__((import_module(module), import_name(name)))
#else
#define WASM_EXPORT(name)
#define WASM_IMPORT(module, name)
#endif

#define MIN_MATCH 4           /* a match token costs 3 bytes, so shorter ones don't pay */
#define MAX_MATCH (0x7F + MIN_MATCH)
#define MAX_LITERALS 128
#define MAX_PLAIN (1u << 20)  /* most bytes compress takes and decompress produces */
#define BUFFER_SIZE (MAX_PLAIN + MAX_PLAIN / MAX_LITERALS) /* the all-literal worst case */
#define MAX_DISTANCE 0xFFFFu
#define HASH_BITS 14
#define FAILED 0xFFFFFFFFu

/* env.log(message, length): named host_log here so it doesn't clash with libm's log. */
WASM_IMPORT("env", "log") void host_log(const char *message, uint32_t length);

static uint8_t input[BUFFER_SIZE];
static uint8_t output[BUFFER_SIZE];
/* Last position seen for each hash of 4 bytes. Entries are only hints: a
 * candidate is always checked against the input before it is used. */
static uint32_t table[1u << HASH_BITS];

WASM_EXPORT("input_buffer") uint32_t input_buffer(void) { return (uint32_t)(uintptr_t)input; }
WASM_EXPORT("output_buffer") uint32_t output_buffer(void) { return (uint32_t)(uintptr_t)output; }

/* Byte by byte, so it is defined for any alignment (clang makes it one load). */
static uint32_t read32(const uint8_t *p) {
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

/* Multiplicative hash: the top bits of the product mix all four bytes. */
static uint32_t hash4(const uint8_t *p) { return (read32(p) * 2654435761u) >> (32 - HASH_BITS); }

/* Writes input[start, end) as literal runs at output + at; returns the new end. */
static uint32_t put_literals(uint32_t at, uint32_t start, uint32_t end) {
    while (start < end) {
        uint32_t run = end - start < MAX_LITERALS ? end - start : MAX_LITERALS;
        output[at++] = (uint8_t)(run - 1);
        for (uint32_t i = 0; i < run; i++) output[at++] = input[start + i];
        start += run;
    }
    return at;
}

static uint32_t put_text(char *dst, uint32_t at, const char *text) {
    while (*text) dst[at++] = *text++;
    return at;
}

static uint32_t put_number(char *dst, uint32_t at, uint32_t n) {
    char digits[10];
    uint32_t count = 0;
    do {
        digits[count++] = (char)('0' + n % 10);
        n /= 10;
    } while (n != 0);
    while (count > 0) dst[at++] = digits[--count];
    return at;
}

/* Compresses input[0, length) into output; returns the compressed length,
 * or FAILED (without logging) if length is more than MAX_PLAIN. */
WASM_EXPORT("compress") uint32_t compress(uint32_t length) {
    if (length > MAX_PLAIN) return FAILED;
    /* Cleared every call so the result depends on this input only. */
    for (uint32_t i = 0; i < (1u << HASH_BITS); i++) table[i] = 0;

    uint32_t pos = 0, literals = 0, out = 0; /* literals: start of the pending literal run */
    while (pos + MIN_MATCH <= length) {
        uint32_t h = hash4(input + pos);
        uint32_t candidate = table[h];
        table[h] = pos;
        if (candidate < pos && pos - candidate <= MAX_DISTANCE &&
            read32(input + candidate) == read32(input + pos)) {
            uint32_t limit = length - pos < MAX_MATCH ? length - pos : MAX_MATCH;
            uint32_t len = MIN_MATCH;
            while (len < limit && input[candidate + len] == input[pos + len]) len++;
            out = put_literals(out, literals, pos);
            uint32_t distance = pos - candidate;
            output[out++] = (uint8_t)(0x80 | (len - MIN_MATCH));
            output[out++] = (uint8_t)(distance & 0xFF);
            output[out++] = (uint8_t)(distance >> 8);
            /* Index the positions inside the match too, so later repeats find them. */
            for (uint32_t p = pos + 1; p < pos + len && p + MIN_MATCH <= length; p++)
                table[hash4(input + p)] = p;
            pos += len;
            literals = pos;
        } else {
            pos++;
        }
    }
    out = put_literals(out, literals, length);

    char message[64];
    uint32_t n = put_text(message, 0, "compressed ");
    n = put_number(message, n, length);
    n = put_text(message, n, " -> ");
    n = put_number(message, n, out);
    n = put_text(message, n, " bytes");
    host_log(message, n);
    return out;
}

/* Decompresses input[0, length) into output; returns the decompressed length,
 * or FAILED if the data is malformed, longer than the input buffer, or would
 * decompress to more than MAX_PLAIN bytes (compress never makes such data).
 * Every read and write is checked before it happens. */
WASM_EXPORT("decompress") uint32_t decompress(uint32_t length) {
    if (length > BUFFER_SIZE) return FAILED;
    uint32_t in = 0, out = 0;
    while (in < length) {
        uint32_t control = input[in++];
        if (control < 0x80) {
            uint32_t run = control + 1;
            if (run > length - in || run > MAX_PLAIN - out) return FAILED;
            for (uint32_t i = 0; i < run; i++) output[out++] = input[in++];
        } else {
            uint32_t len = (control & 0x7F) + MIN_MATCH;
            if (length - in < 2) return FAILED;
            uint32_t distance = (uint32_t)input[in] | (uint32_t)input[in + 1] << 8;
            in += 2;
            if (distance == 0 || distance > out || len > MAX_PLAIN - out) return FAILED;
            /* Forward, one byte at a time: an overlapping copy repeats the pattern. */
            for (uint32_t i = 0; i < len; i++, out++) output[out] = output[out - distance];
        }
    }
    return out;
}
