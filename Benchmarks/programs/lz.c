/* lz: an LZ77-style compressor round trip with CRC-32 and Adler-32.
 *
 * Input: ~8 MiB of generated data with mixed compressibility (text-like
 * words, runs, repeated earlier blocks, and some noise). It is compressed
 * with a hash-chain matcher into a byte-oriented format (a token with
 * literal and match lengths, extended lengths, 16-bit offsets), decompressed
 * again and checked byte for byte. CRC-32 (table driven) and Adler-32 are
 * computed over the input and the compressed stream. This is done at three
 * effort levels (chain lengths).
 *
 * Deterministic: integer arithmetic only.
 * Prints one line: checksum: <16 hex digits>
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void *xmalloc(size_t n) {
    void *p = malloc(n);
    if (!p) { fprintf(stderr, "out of memory\n"); exit(1); }
    return p;
}

static uint64_t rng = 0x6A09E667F3BCC908ull;
static uint32_t next_u32(void) {
    rng ^= rng >> 12;
    rng ^= rng << 25;
    rng ^= rng >> 27;
    return (uint32_t)((rng * 0x2545F4914F6CDD1Dull) >> 32);
}

/* ---- checksums -------------------------------------------------------------- */

static uint32_t crc_table[256];

static void crc_init(void) {
    for (uint32_t i = 0; i < 256; i++) {
        uint32_t c = i;
        for (int k = 0; k < 8; k++) c = (c & 1) ? 0xEDB88320u ^ (c >> 1) : c >> 1;
        crc_table[i] = c;
    }
}

static uint32_t crc32(const uint8_t *p, uint32_t n) {
    uint32_t c = 0xFFFFFFFFu;
    for (uint32_t i = 0; i < n; i++) c = crc_table[(c ^ p[i]) & 0xFF] ^ (c >> 8);
    return c ^ 0xFFFFFFFFu;
}

static uint32_t adler32(const uint8_t *p, uint32_t n) {
    uint32_t a = 1, b = 0;
    while (n) {
        uint32_t chunk = n < 5552 ? n : 5552; /* no overflow before the modulo */
        n -= chunk;
        while (chunk--) {
            a += *p++;
            b += a;
        }
        a %= 65521u;
        b %= 65521u;
    }
    return (b << 16) | a;
}

/* ---- input ------------------------------------------------------------------ */

static uint32_t generate(uint8_t *out, uint32_t size) {
    static const char *words[] = {"alpha", "beta", "gamma", "delta", "kiln", "wasm", "memory", "table",
                                  "function", "return", "export", "import", "value", "stack", "frame",
                                  "the", "a", "of", "block", "loop"};
    uint32_t n = 0;
    while (n + 4096 < size) {
        uint32_t kind = next_u32() % 10;
        if (kind < 5) { /* words */
            uint32_t count = 20 + next_u32() % 200;
            for (uint32_t i = 0; i < count; i++) {
                const char *w = words[next_u32() % 20];
                size_t l = strlen(w);
                memcpy(out + n, w, l);
                n += (uint32_t)l;
                out[n++] = (next_u32() % 12) ? ' ' : '\n';
            }
        } else if (kind < 6) { /* a run */
            uint32_t len = 16 + next_u32() % 500;
            memset(out + n, (int)(next_u32() & 0xFF), len);
            n += len;
        } else if (kind < 9 && n > 70000) { /* copy of an earlier block, sometimes far away */
            uint32_t len = 32 + next_u32() % 2000;
            uint32_t dist = 1 + next_u32() % ((kind == 8) ? 65000 : 4000);
            for (uint32_t i = 0; i < len; i++, n++) out[n] = out[n - dist];
        } else { /* noise */
            uint32_t len = 8 + next_u32() % 300;
            for (uint32_t i = 0; i < len; i++) out[n++] = (uint8_t)next_u32();
        }
    }
    return n;
}

/* ---- compressor --------------------------------------------------------------- */

#define HASH_BITS 16
#define WINDOW 65535u
#define MIN_MATCH 4

static inline uint32_t read32(const uint8_t *p) {
    uint32_t v;
    memcpy(&v, p, 4);
    return v;
}

static inline uint32_t hash4(const uint8_t *p) { return (read32(p) * 2654435761u) >> (32 - HASH_BITS); }

static uint8_t *put_len(uint8_t *o, uint32_t extra) {
    while (extra >= 255) {
        *o++ = 255;
        extra -= 255;
    }
    *o++ = (uint8_t)extra;
    return o;
}

static uint8_t *emit(uint8_t *o, const uint8_t *lit, uint32_t nlit, uint32_t mlen, uint32_t off) {
    uint32_t lt = nlit < 15 ? nlit : 15;
    uint32_t mt = 0;
    if (mlen) mt = (mlen - MIN_MATCH) < 15 ? (mlen - MIN_MATCH) : 15;
    *o++ = (uint8_t)((lt << 4) | mt);
    if (lt == 15) o = put_len(o, nlit - 15);
    memcpy(o, lit, nlit);
    o += nlit;
    if (mlen) {
        *o++ = (uint8_t)(off & 0xFF);
        *o++ = (uint8_t)(off >> 8);
        if (mt == 15) o = put_len(o, mlen - MIN_MATCH - 15);
    }
    return o;
}

/* returns the compressed size; out must hold n + n/128 + 64 bytes */
static uint32_t compress(const uint8_t *in, uint32_t n, uint8_t *out, uint32_t max_chain,
                         int32_t *head, int32_t *prev) {
    for (uint32_t i = 0; i < (1u << HASH_BITS); i++) head[i] = -1;
    uint8_t *o = out;
    uint32_t i = 0, lit_start = 0;
    const uint32_t limit = n >= 12 ? n - 12 : 0; /* keep reads in bounds */
    while (i < limit) {
        uint32_t h = hash4(in + i);
        int32_t cand = head[h];
        prev[i & WINDOW] = cand;
        head[h] = (int32_t)i;
        uint32_t best_len = 0, best_off = 0, chain = max_chain;
        while (cand >= 0 && chain--) {
            uint32_t off = i - (uint32_t)cand;
            if (off > WINDOW) break;
            if (read32(in + cand) == read32(in + i)) {
                uint32_t l = 4;
                uint32_t maxl = n - i - 8;
                while (l < maxl && in[cand + l] == in[i + l]) l++;
                if (l > best_len) {
                    best_len = l;
                    best_off = off;
                    if (l >= 258) break;
                }
            }
            int32_t next = prev[(uint32_t)cand & WINDOW];
            if (next >= cand) break; /* stale entry from an older window */
            cand = next;
        }
        if (best_len >= MIN_MATCH) {
            o = emit(o, in + lit_start, i - lit_start, best_len, best_off);
            /* insert the skipped positions into the chains */
            uint32_t end = i + best_len;
            for (uint32_t k = i + 1; k < end && k < limit; k++) {
                uint32_t hk = hash4(in + k);
                prev[k & WINDOW] = head[hk];
                head[hk] = (int32_t)k;
            }
            i = end;
            lit_start = i;
        } else {
            i++;
        }
    }
    o = emit(o, in + lit_start, n - lit_start, 0, 0);
    return (uint32_t)(o - out);
}

static uint32_t get_len(const uint8_t **pp) {
    const uint8_t *p = *pp;
    uint32_t v = 0, b;
    do {
        b = *p++;
        v += b;
    } while (b == 255);
    *pp = p;
    return v;
}

static uint32_t decompress(const uint8_t *in, uint32_t n, uint8_t *out, uint32_t cap) {
    const uint8_t *p = in, *end = in + n;
    uint8_t *o = out;
    while (p < end) {
        uint32_t tok = *p++;
        uint32_t nlit = tok >> 4;
        if (nlit == 15) nlit += get_len(&p);
        if ((uint32_t)(o - out) + nlit > cap) { fprintf(stderr, "corrupt\n"); exit(1); }
        memcpy(o, p, nlit);
        o += nlit;
        p += nlit;
        if (p >= end) break;
        uint32_t off = (uint32_t)p[0] | ((uint32_t)p[1] << 8);
        p += 2;
        uint32_t mlen = (tok & 15) + MIN_MATCH;
        if ((tok & 15) == 15) mlen += get_len(&p);
        if (off == 0 || off > (uint32_t)(o - out) || (uint32_t)(o - out) + mlen > cap) {
            fprintf(stderr, "corrupt\n");
            exit(1);
        }
        const uint8_t *src = o - off;
        if (off >= mlen) {
            memcpy(o, src, mlen);
            o += mlen;
        } else {
            for (uint32_t k = 0; k < mlen; k++) *o++ = src[k]; /* overlapping copy */
        }
    }
    return (uint32_t)(o - out);
}

int main(void) {
    crc_init();
    const uint32_t cap = 8u << 20;
    uint8_t *in = xmalloc(cap);
    uint32_t n = generate(in, cap);
    uint8_t *packed = xmalloc(n + n / 128 + 64);
    uint8_t *back = xmalloc(n);
    int32_t *head = xmalloc(sizeof(int32_t) << HASH_BITS);
    int32_t *prev = xmalloc(sizeof(int32_t) * (WINDOW + 1));

    uint64_t sum = ((uint64_t)crc32(in, n) << 32) | adler32(in, n);
    static const uint32_t chains[] = {4, 32, 256};
    for (int level = 0; level < 3; level++) {
        uint32_t psize = compress(in, n, packed, chains[level], head, prev);
        uint32_t usize = decompress(packed, psize, back, n);
        if (usize != n || memcmp(in, back, n) != 0) {
            fprintf(stderr, "round trip failed\n");
            return 1;
        }
        sum = sum * 1000003u + psize;
        sum = sum * 1000003u + crc32(packed, psize);
        sum = sum * 1000003u + adler32(packed, psize);
        sum = sum * 1000003u + crc32(back, usize);
    }
    /* extra CRC work over the input in slices */
    for (uint32_t round = 0; round < 6; round++)
        for (uint32_t off = round; off + 4096 <= n; off += 4096 + round)
            sum = (sum ^ crc32(in + off, 4096)) * 0x100000001B3ull;

    free(in);
    free(packed);
    free(back);
    free(head);
    free(prev);
    printf("checksum: %016llx\n", (unsigned long long)sum);
    return 0;
}
