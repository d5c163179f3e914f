/*
 * ktool: a small text-processing and compression tool, written for WasmKiln's
 * WASI benchmark (Scripts/bench-wasi-program). It runs the same under
 * wasm32-wasi and natively: every figure it prints is computed with fixed-width
 * integers, and nothing it prints depends on the platform, the clock or the
 * environment.
 *
 * Subcommands (see main.c):
 *   words  DIR   word frequencies with a hash table, top N words and bigrams
 *   pack   DIR   LZ77 + Huffman compression, round-trip checked
 *   sort   DIR   line sorting, unique lines, suffix array, BWT and LCP
 *   hash   DIR   CRC32, CRC32C, Adler-32, FNV-1a 32/64, XXH32
 *   all    DIR   every one of the above, in that order
 * DIR holds input.txt; the outputs are written next to it.
 */
#ifndef KTOOL_H
#define KTOOL_H

#include <stddef.h>
#include <stdint.h>

/* ---- util.c ---------------------------------------------------------- */

typedef struct {
    uint8_t *data;
    uint32_t len;
    uint32_t cap;
} kbuf;

void *kx_malloc(size_t n);
void *kx_calloc(size_t n, size_t size);
void *kx_realloc(void *p, size_t n);
void kx_die(const char *fmt, ...);

void kbuf_init(kbuf *b, uint32_t cap);
void kbuf_free(kbuf *b);
void kbuf_reserve(kbuf *b, uint32_t extra);
void kbuf_push(kbuf *b, uint8_t byte);
void kbuf_append(kbuf *b, const void *p, uint32_t n);
void kbuf_put_u32le(kbuf *b, uint32_t v);
void kbuf_put_str(kbuf *b, const char *s);
void kbuf_put_dec(kbuf *b, uint64_t v);

uint32_t get_u32le(const uint8_t *p);

int read_file(const char *path, kbuf *out);
int write_file(const char *path, const uint8_t *data, uint32_t len);
char *path_join(const char *dir, const char *name);

/* A bump allocator for many small strings. */
typedef struct karena_chunk karena_chunk;
typedef struct {
    karena_chunk *head;
    uint32_t used_total;
} karena;

void karena_init(karena *a);
void *karena_alloc(karena *a, uint32_t n);
void karena_free(karena *a);

/* Formatting for the summary: fixed-point percentages without floats. */
void fmt_ratio(char *out, size_t outsz, uint64_t num, uint64_t den);
void print_hex_bytes(const uint8_t *p, uint32_t n);
void print_escaped(const uint8_t *p, uint32_t n, uint32_t max);

/* ---- hash.c ---------------------------------------------------------- */

uint32_t crc32_update(uint32_t crc, const uint8_t *p, size_t n);
uint32_t crc32_buf(const uint8_t *p, size_t n);
uint32_t crc32c_buf(const uint8_t *p, size_t n);
uint32_t adler32_buf(const uint8_t *p, size_t n);
uint32_t fnv1a32(const uint8_t *p, size_t n);
uint64_t fnv1a64(const uint8_t *p, size_t n);
uint32_t xxh32(const uint8_t *p, size_t n, uint32_t seed);
int hash_selftest(void);
int cmd_hash(const char *dir, const kbuf *input);

/* ---- words.c --------------------------------------------------------- */

int cmd_words(const char *dir, const kbuf *input, uint32_t top_n);

/* ---- sort.c ---------------------------------------------------------- */

typedef struct {
    const uint8_t *p;
    uint32_t len;
} kslice;

int slice_cmp(const kslice *a, const kslice *b);
void merge_sort(void *base, uint32_t n, uint32_t size,
                int (*cmp)(const void *, const void *, void *), void *ctx);
int cmd_sort(const char *dir, const kbuf *input, uint32_t sa_limit);

/* ---- suffix.c -------------------------------------------------------- */

uint32_t *suffix_array(const uint8_t *s, uint32_t n);
uint32_t *lcp_array(const uint8_t *s, uint32_t n, const uint32_t *sa);
int suffix_report(const char *dir, const uint8_t *s, uint32_t n);

/* ---- huffman.c ------------------------------------------------------- */

#define HUFF_MAX_BITS 15
#define HUFF_FAST_BITS 10

typedef struct {
    uint8_t *data;
    uint32_t len;
    uint32_t pos;
    uint64_t bitbuf;
    uint32_t bitcount;
    int overrun;
} bitreader;

typedef struct {
    kbuf *out;
    uint64_t bitbuf;
    uint32_t bitcount;
} bitwriter;

typedef struct {
    uint32_t nsym;
    uint16_t count[HUFF_MAX_BITS + 1];
    uint16_t *symbol;             /* symbols in canonical order */
    uint16_t *fast;               /* (len << 12) | sym, 0 = slow path */
} huff_decoder;

void bw_init(bitwriter *w, kbuf *out);
void bw_put(bitwriter *w, uint32_t bits, uint32_t n);
void bw_flush(bitwriter *w);

void br_init(bitreader *r, uint8_t *data, uint32_t len, uint32_t pos);
uint32_t br_get(bitreader *r, uint32_t n);
uint32_t br_peek(bitreader *r, uint32_t n);
void br_skip(bitreader *r, uint32_t n);

void huff_lengths(const uint32_t *freq, uint32_t nsym, uint32_t max_bits, uint8_t *lens);
void huff_codes(const uint8_t *lens, uint32_t nsym, uint16_t *codes);
int huff_decoder_init(huff_decoder *d, const uint8_t *lens, uint32_t nsym);
void huff_decoder_free(huff_decoder *d);
int huff_decode(huff_decoder *d, bitreader *r);
uint64_t huff_cost(const uint32_t *freq, const uint8_t *lens, uint32_t nsym);

/* ---- lz77.c ---------------------------------------------------------- */

#define LZ_WINDOW 32768u
#define LZ_MIN_MATCH 3u
#define LZ_MAX_MATCH 258u

typedef struct {
    uint16_t len;   /* 0 = literal */
    uint16_t dist;  /* or the literal byte */
} lz_token;

typedef struct {
    lz_token *tok;
    uint32_t n;
    uint32_t cap;
    uint32_t literals;
    uint32_t matches;
    uint64_t matched_bytes;
    uint32_t longest;
} lz_stream;

typedef struct {
    uint32_t max_chain;
    uint32_t lazy;         /* try a match at the next byte before taking one */
    uint32_t nice_len;
} lz_params;

void lz_parse(const uint8_t *in, uint32_t n, const lz_params *p, lz_stream *out);
void lz_free(lz_stream *s);
int lz_replay(const lz_stream *s, kbuf *out);

/* ---- pack.c ---------------------------------------------------------- */

int kz_compress(const uint8_t *in, uint32_t n, const lz_params *p, kbuf *out);
int kz_decompress(uint8_t *in, uint32_t n, kbuf *out);
int cmd_pack(const char *dir, const kbuf *input);

#endif
