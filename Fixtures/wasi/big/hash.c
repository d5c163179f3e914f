/* hash.c: checksums and hashes, their self-test, and the `hash` subcommand. */
#include "ktool.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- CRC-32 (IEEE 802.3, reflected), slicing by 4 --------------------- */

static uint32_t crc_tab[4][256];
static int crc_ready;

static void crc32_init(void)
{
    for (uint32_t i = 0; i < 256; i++) {
        uint32_t c = i;
        for (int k = 0; k < 8; k++)
            c = (c & 1) ? (c >> 1) ^ 0xEDB88320u : c >> 1;
        crc_tab[0][i] = c;
    }
    for (uint32_t i = 0; i < 256; i++) {
        uint32_t c = crc_tab[0][i];
        for (int t = 1; t < 4; t++) {
            c = (c >> 8) ^ crc_tab[0][c & 0xff];
            crc_tab[t][i] = c;
        }
    }
    crc_ready = 1;
}

uint32_t crc32_update(uint32_t crc, const uint8_t *p, size_t n)
{
    if (!crc_ready)
        crc32_init();
    crc = ~crc;
    while (n && ((uintptr_t)p & 3)) {
        crc = (crc >> 8) ^ crc_tab[0][(crc ^ *p++) & 0xff];
        n--;
    }
    while (n >= 4) {
        crc ^= (uint32_t)p[0] | ((uint32_t)p[1] << 8) | ((uint32_t)p[2] << 16) |
               ((uint32_t)p[3] << 24);
        crc = crc_tab[3][crc & 0xff] ^ crc_tab[2][(crc >> 8) & 0xff] ^
              crc_tab[1][(crc >> 16) & 0xff] ^ crc_tab[0][crc >> 24];
        p += 4;
        n -= 4;
    }
    while (n--)
        crc = (crc >> 8) ^ crc_tab[0][(crc ^ *p++) & 0xff];
    return ~crc;
}

uint32_t crc32_buf(const uint8_t *p, size_t n)
{
    return crc32_update(0, p, n);
}

/* ---- CRC-32C (Castagnoli), one table ---------------------------------- */

static uint32_t crc32c_tab[256];
static int crc32c_ready;

uint32_t crc32c_buf(const uint8_t *p, size_t n)
{
    if (!crc32c_ready) {
        for (uint32_t i = 0; i < 256; i++) {
            uint32_t c = i;
            for (int k = 0; k < 8; k++)
                c = (c & 1) ? (c >> 1) ^ 0x82F63B78u : c >> 1;
            crc32c_tab[i] = c;
        }
        crc32c_ready = 1;
    }
    uint32_t crc = 0xFFFFFFFFu;
    for (size_t i = 0; i < n; i++)
        crc = (crc >> 8) ^ crc32c_tab[(crc ^ p[i]) & 0xff];
    return ~crc;
}

/* ---- Adler-32 ---------------------------------------------------------- */

uint32_t adler32_buf(const uint8_t *p, size_t n)
{
    const uint32_t MOD = 65521u;
    const size_t NMAX = 5552;
    uint32_t a = 1, b = 0;
    while (n > 0) {
        size_t k = n < NMAX ? n : NMAX;
        n -= k;
        while (k >= 8) {
            a += p[0]; b += a;
            a += p[1]; b += a;
            a += p[2]; b += a;
            a += p[3]; b += a;
            a += p[4]; b += a;
            a += p[5]; b += a;
            a += p[6]; b += a;
            a += p[7]; b += a;
            p += 8;
            k -= 8;
        }
        while (k--) {
            a += *p++;
            b += a;
        }
        a %= MOD;
        b %= MOD;
    }
    return (b << 16) | a;
}

/* ---- FNV-1a ------------------------------------------------------------ */

uint32_t fnv1a32(const uint8_t *p, size_t n)
{
    uint32_t h = 0x811C9DC5u;
    for (size_t i = 0; i < n; i++) {
        h ^= p[i];
        h *= 0x01000193u;
    }
    return h;
}

uint64_t fnv1a64(const uint8_t *p, size_t n)
{
    uint64_t h = 0xCBF29CE484222325ull;
    for (size_t i = 0; i < n; i++) {
        h ^= p[i];
        h *= 0x100000001B3ull;
    }
    return h;
}

/* ---- XXH32 ------------------------------------------------------------- */

#define XP1 0x9E3779B1u
#define XP2 0x85EBCA77u
#define XP3 0xC2B2AE3Du
#define XP4 0x27D4EB2Fu
#define XP5 0x165667B1u

static uint32_t rotl32(uint32_t x, int r)
{
    return (x << r) | (x >> (32 - r));
}

static uint32_t xxh_round(uint32_t acc, uint32_t input)
{
    acc += input * XP2;
    acc = rotl32(acc, 13);
    return acc * XP1;
}

uint32_t xxh32(const uint8_t *p, size_t n, uint32_t seed)
{
    const uint8_t *end = p + n;
    uint32_t h;
    if (n >= 16) {
        const uint8_t *limit = end - 16;
        uint32_t v1 = seed + XP1 + XP2;
        uint32_t v2 = seed + XP2;
        uint32_t v3 = seed;
        uint32_t v4 = seed - XP1;
        do {
            v1 = xxh_round(v1, get_u32le(p));
            v2 = xxh_round(v2, get_u32le(p + 4));
            v3 = xxh_round(v3, get_u32le(p + 8));
            v4 = xxh_round(v4, get_u32le(p + 12));
            p += 16;
        } while (p <= limit);
        h = rotl32(v1, 1) + rotl32(v2, 7) + rotl32(v3, 12) + rotl32(v4, 18);
    } else {
        h = seed + XP5;
    }
    h += (uint32_t)n;
    while (p + 4 <= end) {
        h += get_u32le(p) * XP3;
        h = rotl32(h, 17) * XP4;
        p += 4;
    }
    while (p < end) {
        h += (*p++) * XP5;
        h = rotl32(h, 11) * XP1;
    }
    h ^= h >> 15;
    h *= XP2;
    h ^= h >> 13;
    h *= XP3;
    h ^= h >> 16;
    return h;
}

/* ---- self-test against published check values ------------------------- */

int hash_selftest(void)
{
    static const uint8_t check[] = "123456789";
    static const uint8_t wiki[] = "Wikipedia";
    int bad = 0;
#define EXPECT(what, got, want)                                                   \
    do {                                                                          \
        if ((got) != (want)) {                                                    \
            printf("selftest: %s = %08llx, want %08llx\n", what,                 \
                   (unsigned long long)(got), (unsigned long long)(want));        \
            bad++;                                                                \
        }                                                                         \
    } while (0)
    EXPECT("crc32(123456789)", crc32_buf(check, 9), 0xCBF43926u);
    EXPECT("crc32c(123456789)", crc32c_buf(check, 9), 0xE3069283u);
    EXPECT("adler32(Wikipedia)", adler32_buf(wiki, 9), 0x11E60398u);
    EXPECT("fnv1a32()", fnv1a32(check, 0), 0x811C9DC5u);
    EXPECT("fnv1a32(a)", fnv1a32((const uint8_t *)"a", 1), 0xE40C292Cu);
    EXPECT("fnv1a64(a)", fnv1a64((const uint8_t *)"a", 1), 0xAF63DC4C8601EC8Cull);
    EXPECT("xxh32()", xxh32(check, 0, 0), 0x02CC5D05u);
    /* Incremental CRC must agree with one shot, at every split point. */
    uint32_t whole = crc32_buf(wiki, 9);
    for (size_t cut = 0; cut <= 9; cut++) {
        uint32_t part = crc32_update(crc32_update(0, wiki, cut), wiki + cut, 9 - cut);
        EXPECT("crc32 split", part, whole);
    }
#undef EXPECT
    return bad;
}

/* ---- the `hash` subcommand --------------------------------------------- */

#define HASH_BLOCK (64u * 1024u)

int cmd_hash(const char *dir, const kbuf *input)
{
    const uint8_t *p = input->data;
    uint32_t n = input->len;
    int bad = hash_selftest();
    printf("== hash\n");
    printf("selftest: %s\n", bad ? "FAILED" : "ok");
    printf("bytes: %u\n", n);
    printf("crc32:   %08x\n", crc32_buf(p, n));
    printf("crc32c:  %08x\n", crc32c_buf(p, n));
    printf("adler32: %08x\n", adler32_buf(p, n));
    printf("fnv1a32: %08x\n", fnv1a32(p, n));
    printf("fnv1a64: %016llx\n", (unsigned long long)fnv1a64(p, n));
    printf("xxh32:   %08x (seed 0), %08x (seed 2654435761)\n", xxh32(p, n, 0),
           xxh32(p, n, 2654435761u));

    /* Per-block CRCs into hashes.txt, plus a combined digest of the lines. */
    kbuf out;
    kbuf_init(&out, 4096);
    uint32_t blocks = 0;
    for (uint32_t off = 0; off < n; off += HASH_BLOCK) {
        uint32_t len = n - off < HASH_BLOCK ? n - off : HASH_BLOCK;
        char line[96];
        snprintf(line, sizeof line, "%08x %6u crc32=%08x xxh32=%08x\n", off, len,
                 crc32_buf(p + off, len), xxh32(p + off, len, blocks));
        kbuf_put_str(&out, line);
        blocks++;
    }

    /* Line hashes: how evenly FNV-1a spreads the lines over 16 buckets, and
       how many distinct 32-bit values the lines hash to. */
    uint32_t buckets[16] = {0};
    uint32_t lines = 0;
    uint32_t cap = 1024;
    uint32_t *hashes = kx_malloc(cap * sizeof *hashes);
    uint32_t start = 0;
    for (uint32_t i = 0; i <= n; i++) {
        if (i == n || p[i] == '\n') {
            if (i > start || i < n) {
                uint32_t h = fnv1a32(p + start, i - start);
                buckets[h & 15]++;
                if (lines == cap) {
                    cap *= 2;
                    hashes = kx_realloc(hashes, cap * sizeof *hashes);
                }
                hashes[lines++] = h;
            }
            start = i + 1;
        }
    }
    /* Radix sort the hashes to count the distinct ones. */
    uint32_t *tmp = kx_malloc((lines ? lines : 1) * sizeof *tmp);
    for (int shift = 0; shift < 32; shift += 8) {
        uint32_t cnt[257] = {0};
        for (uint32_t i = 0; i < lines; i++)
            cnt[((hashes[i] >> shift) & 0xff) + 1]++;
        for (int b = 0; b < 256; b++)
            cnt[b + 1] += cnt[b];
        for (uint32_t i = 0; i < lines; i++)
            tmp[cnt[(hashes[i] >> shift) & 0xff]++] = hashes[i];
        uint32_t *sw = hashes;
        hashes = tmp;
        tmp = sw;
    }
    uint32_t distinct = 0;
    for (uint32_t i = 0; i < lines; i++)
        if (i == 0 || hashes[i] != hashes[i - 1])
            distinct++;
    uint32_t min_b = buckets[0], max_b = buckets[0];
    for (int b = 1; b < 16; b++) {
        if (buckets[b] < min_b)
            min_b = buckets[b];
        if (buckets[b] > max_b)
            max_b = buckets[b];
    }
    printf("lines: %u, distinct fnv1a32 line hashes: %u\n", lines, distinct);
    printf("fnv1a32 low-nibble buckets: min %u, max %u\n", min_b, max_b);
    printf("blocks of %u: %u, hashes.txt crc32 %08x\n", HASH_BLOCK, blocks,
           crc32_buf(out.data, out.len));
    free(hashes);
    free(tmp);

    char *path = path_join(dir, "hashes.txt");
    int rc = write_file(path, out.data, out.len);
    free(path);
    kbuf_free(&out);
    return rc || bad ? 1 : 0;
}
