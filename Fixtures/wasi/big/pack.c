/* pack.c: the KZ container (LZ77 tokens coded with per-block Huffman codes,
   DEFLATE-style length and distance classes) and the `pack` subcommand.

   File: "KZ01", u32 size, u32 crc32, u32 adler32 (little-endian), then
   blocks, LSB-first bits:
     1 bit  final block
     1 bit  0 = coded, 1 = stored
   stored: pad to a byte, u32 length, the bytes.
   coded:  5 bits (literal/length codes - 257), 5 bits (distance codes - 1),
           19 x 3 bits code-length-code lengths, then both code-length lists
           run-length coded with that code (16: repeat previous 3-6 times,
           17: 3-10 zeros, 18: 11-138 zeros), then the symbols to 256. */
#include "ktool.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define NLITLEN 286u
#define NDIST 30u
#define NCLEN 19u
#define END_OF_BLOCK 256u
#define BLOCK_TOKENS 32768u

static const uint16_t len_base[29] = {3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27,
                                      31, 35, 43, 51, 59, 67, 83, 99, 115, 131, 163, 195,
                                      227, 258};
static const uint8_t len_extra[29] = {0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2,
                                      2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0};
static const uint16_t dist_base[30] = {1, 2, 3, 4, 5, 7, 9, 13, 17, 25, 33, 49, 65, 97,
                                       129, 193, 257, 385, 513, 769, 1025, 1537, 2049,
                                       3073, 4097, 6145, 8193, 12289, 16385, 24577};
static const uint8_t dist_extra[30] = {0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6,
                                       6, 7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13, 13};

static uint8_t len_code[LZ_MAX_MATCH + 1];   /* length -> 0..28 */
static uint8_t dist_code[512];               /* zlib's two-level trick */
static int tables_ready;

static void init_tables(void)
{
    for (uint32_t c = 0; c < 29; c++) {
        uint32_t span = 1u << len_extra[c];
        for (uint32_t k = 0; k < span && len_base[c] + k <= LZ_MAX_MATCH; k++)
            len_code[len_base[c] + k] = (uint8_t)c;
    }
    len_code[258] = 28;
    for (uint32_t c = 0; c < 30; c++) {
        uint32_t span = 1u << dist_extra[c];
        for (uint32_t k = 0; k < span; k++) {
            uint32_t d = dist_base[c] + k - 1;
            if (d < 256)
                dist_code[d] = (uint8_t)c;
            else
                dist_code[256 + (d >> 7)] = (uint8_t)c;
        }
    }
    tables_ready = 1;
}

static uint32_t dist_to_code(uint32_t dist)
{
    uint32_t d = dist - 1;
    return d < 256 ? dist_code[d] : dist_code[256 + (d >> 7)];
}

/* ---- code-length lists -------------------------------------------------- */

typedef struct {
    uint8_t sym;
    uint8_t extra;
} clen_item;

/* Run-length codes lens[0..n) into items; returns how many. */
static uint32_t rle_lengths(const uint8_t *lens, uint32_t n, clen_item *items)
{
    uint32_t k = 0, i = 0;
    while (i < n) {
        uint8_t v = lens[i];
        uint32_t run = 1;
        while (i + run < n && lens[i + run] == v)
            run++;
        if (v == 0 && run >= 3) {
            uint32_t take = run > 138 ? 138 : run;
            if (take >= 11)
                items[k++] = (clen_item){18, (uint8_t)(take - 11)};
            else
                items[k++] = (clen_item){17, (uint8_t)(take - 3)};
            i += take;
            continue;
        }
        if (v != 0 && run >= 4) {
            items[k++] = (clen_item){v, 0};
            uint32_t rest = run - 1;
            while (rest >= 3) {
                uint32_t take = rest > 6 ? 6 : rest;
                items[k++] = (clen_item){16, (uint8_t)(take - 3)};
                rest -= take;
            }
            while (rest--)
                items[k++] = (clen_item){v, 0};
            i += run;
            continue;
        }
        items[k++] = (clen_item){v, 0};
        i++;
    }
    return k;
}

static const uint8_t clen_extra_bits[3] = {2, 3, 7};

static void write_header(bitwriter *w, const uint8_t *ll_lens, uint32_t nll,
                         const uint8_t *d_lens, uint32_t nd)
{
    uint8_t all[NLITLEN + NDIST];
    memcpy(all, ll_lens, nll);
    memcpy(all + nll, d_lens, nd);
    clen_item items[NLITLEN + NDIST];
    uint32_t ni = rle_lengths(all, nll + nd, items);
    uint32_t freq[NCLEN] = {0};
    for (uint32_t i = 0; i < ni; i++)
        freq[items[i].sym]++;
    uint8_t clens[NCLEN];
    uint16_t ccodes[NCLEN];
    huff_lengths(freq, NCLEN, 7, clens);
    huff_codes(clens, NCLEN, ccodes);
    bw_put(w, nll - 257, 5);
    bw_put(w, nd - 1, 5);
    for (uint32_t s = 0; s < NCLEN; s++)
        bw_put(w, clens[s], 3);
    for (uint32_t i = 0; i < ni; i++) {
        bw_put(w, ccodes[items[i].sym], clens[items[i].sym]);
        if (items[i].sym >= 16)
            bw_put(w, items[i].extra, clen_extra_bits[items[i].sym - 16]);
    }
}

static int read_header(bitreader *r, uint8_t *ll_lens, uint32_t *nll, uint8_t *d_lens,
                       uint32_t *nd)
{
    *nll = br_get(r, 5) + 257;
    *nd = br_get(r, 5) + 1;
    if (*nll > NLITLEN || *nd > NDIST)
        return -1;
    uint8_t clens[NCLEN];
    for (uint32_t s = 0; s < NCLEN; s++)
        clens[s] = (uint8_t)br_get(r, 3);
    huff_decoder cd;
    if (huff_decoder_init(&cd, clens, NCLEN) != 0) {
        huff_decoder_free(&cd);
        return -1;
    }
    uint8_t all[NLITLEN + NDIST];
    uint32_t total = *nll + *nd, i = 0;
    int rc = 0;
    while (i < total) {
        int sym = huff_decode(&cd, r);
        if (sym < 0) {
            rc = -1;
            break;
        }
        if (sym < 16) {
            all[i++] = (uint8_t)sym;
            continue;
        }
        uint32_t rep;
        uint8_t v = 0;
        if (sym == 16) {
            if (i == 0) {
                rc = -1;
                break;
            }
            v = all[i - 1];
            rep = 3 + br_get(r, 2);
        } else if (sym == 17) {
            rep = 3 + br_get(r, 3);
        } else {
            rep = 11 + br_get(r, 7);
        }
        if (i + rep > total) {
            rc = -1;
            break;
        }
        while (rep--)
            all[i++] = v;
    }
    huff_decoder_free(&cd);
    if (rc)
        return rc;
    memcpy(ll_lens, all, *nll);
    memcpy(d_lens, all + *nll, *nd);
    return 0;
}

/* ---- compression ------------------------------------------------------- */

typedef struct {
    uint32_t blocks_coded;
    uint32_t blocks_stored;
    uint64_t header_bits;
} kz_stats;

static kz_stats last_stats;

static void put_stored(bitwriter *w, const uint8_t *p, uint32_t len, int final)
{
    bw_put(w, (uint32_t)final, 1);
    bw_put(w, 1, 1);
    bw_flush(w);
    kbuf_put_u32le(w->out, len);
    kbuf_append(w->out, p, len);
}

int kz_compress(const uint8_t *in, uint32_t n, const lz_params *p, kbuf *out)
{
    if (!tables_ready)
        init_tables();
    memset(&last_stats, 0, sizeof last_stats);
    kbuf_append(out, "KZ01", 4);
    kbuf_put_u32le(out, n);
    kbuf_put_u32le(out, crc32_buf(in, n));
    kbuf_put_u32le(out, adler32_buf(in, n));

    lz_stream s;
    lz_parse(in, n, p, &s);
    bitwriter w;
    bw_init(&w, out);
    uint32_t raw_at = 0;
    if (s.n == 0) {
        put_stored(&w, in, 0, 1);
        bw_flush(&w);
    }
    for (uint32_t first = 0; first < s.n; first += BLOCK_TOKENS) {
        uint32_t last = first + BLOCK_TOKENS < s.n ? first + BLOCK_TOKENS : s.n;
        int final = last == s.n;
        uint32_t ll_freq[NLITLEN] = {0}, d_freq[NDIST] = {0};
        uint64_t extra_bits = 0, raw_len = 0;
        for (uint32_t t = first; t < last; t++) {
            const lz_token *k = &s.tok[t];
            if (k->len == 0) {
                ll_freq[k->dist]++;
                raw_len++;
            } else {
                uint32_t lc = len_code[k->len], dc = dist_to_code(k->dist);
                ll_freq[257 + lc]++;
                d_freq[dc]++;
                extra_bits += len_extra[lc] + dist_extra[dc];
                raw_len += k->len;
            }
        }
        ll_freq[END_OF_BLOCK]++;
        uint8_t ll_lens[NLITLEN], d_lens[NDIST];
        uint16_t ll_codes[NLITLEN], d_codes[NDIST];
        huff_lengths(ll_freq, NLITLEN, HUFF_MAX_BITS, ll_lens);
        huff_lengths(d_freq, NDIST, HUFF_MAX_BITS, d_lens);
        huff_codes(ll_lens, NLITLEN, ll_codes);
        huff_codes(d_lens, NDIST, d_codes);
        uint32_t nll = NLITLEN, nd = NDIST;
        while (nll > 257 && ll_lens[nll - 1] == 0)
            nll--;
        while (nd > 1 && d_lens[nd - 1] == 0)
            nd--;

        uint64_t body_bits = huff_cost(ll_freq, ll_lens, NLITLEN) +
                             huff_cost(d_freq, d_lens, NDIST) + extra_bits;
        /* Too dense to code: store the bytes instead. */
        if (body_bits / 8 + 64 >= raw_len + 5) {
            put_stored(&w, in + raw_at, (uint32_t)raw_len, final);
            raw_at += (uint32_t)raw_len;
            last_stats.blocks_stored++;
            continue;
        }
        uint32_t before = out->len * 8 + w.bitcount;
        bw_put(&w, (uint32_t)final, 1);
        bw_put(&w, 0, 1);
        write_header(&w, ll_lens, nll, d_lens, nd);
        last_stats.header_bits += out->len * 8 + w.bitcount - before;
        for (uint32_t t = first; t < last; t++) {
            const lz_token *k = &s.tok[t];
            if (k->len == 0) {
                bw_put(&w, ll_codes[k->dist], ll_lens[k->dist]);
                continue;
            }
            uint32_t lc = len_code[k->len], dc = dist_to_code(k->dist);
            bw_put(&w, ll_codes[257 + lc], ll_lens[257 + lc]);
            bw_put(&w, k->len - len_base[lc], len_extra[lc]);
            bw_put(&w, d_codes[dc], d_lens[dc]);
            bw_put(&w, k->dist - dist_base[dc], dist_extra[dc]);
        }
        bw_put(&w, ll_codes[END_OF_BLOCK], ll_lens[END_OF_BLOCK]);
        raw_at += (uint32_t)raw_len;
        last_stats.blocks_coded++;
    }
    bw_flush(&w);
    lz_free(&s);
    return raw_at == n ? 0 : -1;
}

/* ---- decompression ----------------------------------------------------- */

int kz_decompress(uint8_t *in, uint32_t n, kbuf *out)
{
    if (!tables_ready)
        init_tables();
    if (n < 16 || memcmp(in, "KZ01", 4) != 0)
        return -1;
    uint32_t size = get_u32le(in + 4), crc = get_u32le(in + 8), adler = get_u32le(in + 12);
    kbuf_reserve(out, size);
    uint32_t base = out->len;
    bitreader r;
    br_init(&r, in, n, 16);
    int final = 0;
    while (!final) {
        final = (int)br_get(&r, 1);
        uint32_t stored = br_get(&r, 1);
        if (r.overrun > 8)
            return -1;
        if (stored) {
            /* Drop the bits left of the current byte, then rewind the byte
               position over whatever whole bytes the reader buffered. */
            br_skip(&r, r.bitcount & 7);
            uint32_t at = r.pos - r.bitcount / 8;
            if (at + 4 > n)
                return -1;
            uint32_t len = get_u32le(in + at);
            if (len > n - at - 4 || out->len - base + len > size)
                return -1;
            kbuf_append(out, in + at + 4, len);
            br_init(&r, in, n, at + 4 + len);
            continue;
        }
        uint8_t ll_lens[NLITLEN] = {0}, d_lens[NDIST] = {0};
        uint32_t nll, nd;
        if (read_header(&r, ll_lens, &nll, d_lens, &nd) != 0)
            return -1;
        huff_decoder ll, dd;
        int bad = huff_decoder_init(&ll, ll_lens, NLITLEN) | huff_decoder_init(&dd, d_lens, NDIST);
        for (;;) {
            if (bad)
                break;
            int sym = huff_decode(&ll, &r);
            if (sym < 0 || r.overrun > 8) {
                bad = 1;
                break;
            }
            if (sym < 256) {
                if (out->len - base >= size) {
                    bad = 1;
                    break;
                }
                out->data[out->len++] = (uint8_t)sym;
                continue;
            }
            if (sym == END_OF_BLOCK)
                break;
            uint32_t lc = (uint32_t)sym - 257;
            if (lc >= 29) {
                bad = 1;
                break;
            }
            uint32_t len = len_base[lc] + br_get(&r, len_extra[lc]);
            int dsym = huff_decode(&dd, &r);
            if (dsym < 0 || dsym >= (int)NDIST) {
                bad = 1;
                break;
            }
            uint32_t dist = dist_base[dsym] + br_get(&r, dist_extra[dsym]);
            if (dist > out->len - base || out->len - base + len > size) {
                bad = 1;
                break;
            }
            uint8_t *dst = out->data + out->len;
            const uint8_t *src = dst - dist;
            if (dist >= len) {
                memcpy(dst, src, len);
            } else {
                for (uint32_t j = 0; j < len; j++)
                    dst[j] = src[j];
            }
            out->len += len;
        }
        huff_decoder_free(&ll);
        huff_decoder_free(&dd);
        if (bad)
            return -1;
    }
    uint32_t got = out->len - base;
    if (got != size)
        return -1;
    if (crc32_buf(out->data + base, got) != crc || adler32_buf(out->data + base, got) != adler)
        return -2;
    return 0;
}

/* ---- the `pack` subcommand --------------------------------------------- */

static void report_level(const char *name, const uint8_t *in, uint32_t n, const lz_params *p)
{
    kbuf z, back;
    kbuf_init(&z, n / 2 + 64);
    kbuf_init(&back, n + 16);
    int rc = kz_compress(in, n, p, &z);
    int rt = rc == 0 ? kz_decompress(z.data, z.len, &back) : -1;
    int same = rt == 0 && back.len == n && memcmp(back.data, in, n) == 0;
    char pct[24];
    fmt_ratio(pct, sizeof pct, z.len, n);
    printf("  %-6s chain %3u lazy %u: %8u -> %8u (%s), crc32 %08x, round trip %s\n", name,
           p->max_chain, p->lazy, n, z.len, pct, crc32_buf(z.data, z.len),
           same ? "ok" : "FAILED");
    kbuf_free(&z);
    kbuf_free(&back);
}

int cmd_pack(const char *dir, const kbuf *input)
{
    const uint8_t *in = input->data;
    uint32_t n = input->len;
    lz_params def = {48, 1, 128};
    printf("== pack\n");

    /* The parse alone, replayed, to check LZ77 apart from the coder. */
    lz_stream s;
    lz_parse(in, n, &def, &s);
    kbuf replay;
    kbuf_init(&replay, n + 16);
    int rp = lz_replay(&s, &replay);
    int replay_ok = rp == 0 && replay.len == n && memcmp(replay.data, in, n) == 0;
    printf("lz77: %u tokens, %u literals, %u matches covering %llu bytes, longest %u, replay %s\n",
           s.n, s.literals, s.matches, (unsigned long long)s.matched_bytes, s.longest,
           replay_ok ? "ok" : "FAILED");
    kbuf_free(&replay);
    lz_free(&s);

    kbuf z;
    kbuf_init(&z, n / 2 + 64);
    if (kz_compress(in, n, &def, &z) != 0) {
        printf("compress: FAILED\n");
        kbuf_free(&z);
        return 1;
    }
    char pct[24];
    fmt_ratio(pct, sizeof pct, z.len, n);
    printf("input.kz: %u -> %u bytes (%s), %u coded + %u stored blocks, header bits %llu\n", n,
           z.len, pct, last_stats.blocks_coded, last_stats.blocks_stored,
           (unsigned long long)last_stats.header_bits);
    printf("input.kz crc32 %08x, fnv1a64 %016llx\n", crc32_buf(z.data, z.len),
           (unsigned long long)fnv1a64(z.data, z.len));
    char *zpath = path_join(dir, "input.kz");
    int rc = write_file(zpath, z.data, z.len);
    kbuf_free(&z);

    /* Read the file back and decompress it. */
    kbuf zin, back;
    int ok = 0;
    if (rc == 0 && read_file(zpath, &zin) == 0) {
        kbuf_init(&back, n + 16);
        int dr = kz_decompress(zin.data, zin.len, &back);
        ok = dr == 0 && back.len == n && memcmp(back.data, in, n) == 0;
        printf("decompress: %s (%u bytes, crc32 %08x)\n", ok ? "ok" : "FAILED", back.len,
               crc32_buf(back.data, back.len));
        char *opath = path_join(dir, "input.out");
        rc |= write_file(opath, back.data, back.len);
        free(opath);

        /* A damaged copy must be refused, not crash. */
        if (zin.len > 64) {
            zin.data[zin.len / 2] ^= 0x5A;
            back.len = 0;
            int bad = kz_decompress(zin.data, zin.len, &back);
            printf("damaged copy: %s\n", bad != 0 ? "rejected" : "ACCEPTED");
            ok &= bad != 0;
        }
        kbuf_free(&back);
        kbuf_free(&zin);
    }
    free(zpath);

    /* Other levels over the first megabyte. */
    uint32_t head = n < (1u << 20) ? n : (1u << 20);
    lz_params fast = {4, 0, 32}, best = {256, 1, 258};
    printf("levels over the first %u bytes:\n", head);
    report_level("fast", in, head, &fast);
    report_level("normal", in, head, &def);
    report_level("best", in, head, &best);
    /* Edge cases: empty, one byte, a long run, bytes that do not compress. */
    uint8_t tiny[4096];
    uint32_t seed = 12345;
    for (uint32_t i = 0; i < sizeof tiny; i++) {
        seed = seed * 1103515245u + 12345u;
        tiny[i] = (uint8_t)(seed >> 16);
    }
    report_level("empty", tiny, 0, &def);
    report_level("one", tiny, 1, &def);
    memset(tiny + 2048, 'z', 2048);
    report_level("noise", tiny, 2048, &def);
    report_level("mixed", tiny, 4096, &def);
    return rc || !ok || !replay_ok ? 1 : 0;
}
