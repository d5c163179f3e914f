/* huffman.c: bit I/O, length-limited Huffman code construction, canonical
   codes and a table-driven decoder. Bits are LSB first, codes are stored
   bit-reversed so they can be written LSB first (as in DEFLATE). */
#include "ktool.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- bit writer -------------------------------------------------------- */

void bw_init(bitwriter *w, kbuf *out)
{
    w->out = out;
    w->bitbuf = 0;
    w->bitcount = 0;
}

void bw_put(bitwriter *w, uint32_t bits, uint32_t n)
{
    if (n == 0)
        return;
    w->bitbuf |= (uint64_t)(bits & (n == 32 ? 0xFFFFFFFFu : ((1u << n) - 1))) << w->bitcount;
    w->bitcount += n;
    if (w->bitcount >= 32) {
        kbuf_put_u32le(w->out, (uint32_t)w->bitbuf);
        w->bitbuf >>= 32;
        w->bitcount -= 32;
    }
}

void bw_flush(bitwriter *w)
{
    while (w->bitcount > 0) {
        kbuf_push(w->out, (uint8_t)w->bitbuf);
        w->bitbuf >>= 8;
        w->bitcount = w->bitcount > 8 ? w->bitcount - 8 : 0;
    }
    w->bitbuf = 0;
}

/* ---- bit reader -------------------------------------------------------- */

void br_init(bitreader *r, uint8_t *data, uint32_t len, uint32_t pos)
{
    r->data = data;
    r->len = len;
    r->pos = pos;
    r->bitbuf = 0;
    r->bitcount = 0;
    r->overrun = 0;
}

static void br_refill(bitreader *r)
{
    while (r->bitcount <= 56) {
        uint64_t byte = 0;
        if (r->pos < r->len)
            byte = r->data[r->pos];
        else
            r->overrun++;
        r->pos++;
        r->bitbuf |= byte << r->bitcount;
        r->bitcount += 8;
    }
}

uint32_t br_peek(bitreader *r, uint32_t n)
{
    if (r->bitcount < n)
        br_refill(r);
    return (uint32_t)(r->bitbuf & ((1ull << n) - 1));
}

void br_skip(bitreader *r, uint32_t n)
{
    if (r->bitcount < n)
        br_refill(r);
    r->bitbuf >>= n;
    r->bitcount -= n;
}

uint32_t br_get(bitreader *r, uint32_t n)
{
    uint32_t v = br_peek(r, n);
    br_skip(r, n);
    return v;
}

/* ---- code construction ------------------------------------------------- */

typedef struct {
    uint64_t weight;
    uint32_t order;    /* tie-break: leaves by symbol, then internal nodes */
    uint32_t node;
} heap_item;

static int item_less(const heap_item *a, const heap_item *b)
{
    if (a->weight != b->weight)
        return a->weight < b->weight;
    return a->order < b->order;
}

static void hpush(heap_item *h, uint32_t *n, heap_item it)
{
    uint32_t i = (*n)++;
    h[i] = it;
    while (i > 0) {
        uint32_t p = (i - 1) / 2;
        if (!item_less(&h[i], &h[p]))
            break;
        heap_item t = h[i];
        h[i] = h[p];
        h[p] = t;
        i = p;
    }
}

static heap_item hpop(heap_item *h, uint32_t *n)
{
    heap_item top = h[0];
    h[0] = h[--(*n)];
    uint32_t i = 0;
    for (;;) {
        uint32_t l = 2 * i + 1, r = l + 1, m = i;
        if (l < *n && item_less(&h[l], &h[m]))
            m = l;
        if (r < *n && item_less(&h[r], &h[m]))
            m = r;
        if (m == i)
            break;
        heap_item t = h[i];
        h[i] = h[m];
        h[m] = t;
        i = m;
    }
    return top;
}

typedef struct {
    const uint32_t *freq;
} freq_ctx;

static int sym_by_freq_desc(const void *a, const void *b, void *ctx)
{
    const freq_ctx *c = ctx;
    uint16_t x = *(const uint16_t *)a, y = *(const uint16_t *)b;
    if (c->freq[x] != c->freq[y])
        return c->freq[x] > c->freq[y] ? -1 : 1;
    return x < y ? -1 : (x > y);
}

/* Code lengths for freq[0..nsym), none longer than max_bits: a Huffman tree,
   then, if it is too deep, lengths clamped and repaired through the Kraft
   sum (lengthening the rarest symbols, then shortening the commonest while
   the code stays prefix-free). */
void huff_lengths(const uint32_t *freq, uint32_t nsym, uint32_t max_bits, uint8_t *lens)
{
    memset(lens, 0, nsym);
    uint16_t *used = kx_malloc(nsym * sizeof *used);
    uint32_t m = 0;
    for (uint32_t s = 0; s < nsym; s++)
        if (freq[s])
            used[m++] = (uint16_t)s;
    if (m == 0) {
        free(used);
        return;
    }
    if (m == 1) {
        /* One symbol: give it a one-bit code, and a partner so the code is
           complete. */
        lens[used[0]] = 1;
        lens[used[0] == 0 ? 1 : 0] = 1;
        free(used);
        return;
    }

    uint32_t nodes = 2 * m - 1;
    uint32_t *parent = kx_malloc(nodes * sizeof *parent);
    heap_item *heap = kx_malloc(m * sizeof *heap);
    uint32_t hn = 0;
    for (uint32_t i = 0; i < m; i++) {
        heap_item it = {freq[used[i]], i, i};
        hpush(heap, &hn, it);
    }
    uint32_t next = m;
    while (hn > 1) {
        heap_item a = hpop(heap, &hn);
        heap_item b = hpop(heap, &hn);
        parent[a.node] = next;
        parent[b.node] = next;
        heap_item it = {a.weight + b.weight, next, next};
        hpush(heap, &hn, it);
        next++;
    }
    /* Depths: internal nodes are numbered after their children, so walk
       from the root (the last node) down. */
    uint32_t *depth = kx_malloc(nodes * sizeof *depth);
    depth[nodes - 1] = 0;
    for (uint32_t i = nodes - 1; i-- > 0;)
        depth[i] = depth[parent[i]] + 1;

    int too_deep = 0;
    for (uint32_t i = 0; i < m; i++) {
        uint32_t d = depth[i];
        if (d > max_bits) {
            d = max_bits;
            too_deep = 1;
        }
        lens[used[i]] = (uint8_t)d;
    }
    if (too_deep) {
        freq_ctx fc = {freq};
        merge_sort(used, m, sizeof *used, sym_by_freq_desc, &fc);
        uint64_t cap = 1ull << max_bits, kraft = 0;
        for (uint32_t i = 0; i < m; i++)
            kraft += 1ull << (max_bits - lens[used[i]]);
        while (kraft > cap) {
            for (uint32_t i = m; i-- > 0 && kraft > cap;) {
                uint16_t s = used[i];
                if (lens[s] < max_bits) {
                    kraft -= 1ull << (max_bits - lens[s] - 1);
                    lens[s]++;
                }
            }
        }
        for (uint32_t i = 0; i < m; i++) {
            uint16_t s = used[i];
            while (lens[s] > 1 && kraft + (1ull << (max_bits - lens[s])) <= cap) {
                kraft += 1ull << (max_bits - lens[s]);
                lens[s]--;
            }
        }
    }
    free(depth);
    free(heap);
    free(parent);
    free(used);
}

static uint32_t reverse_bits(uint32_t v, uint32_t n)
{
    uint32_t r = 0;
    for (uint32_t i = 0; i < n; i++) {
        r = (r << 1) | (v & 1);
        v >>= 1;
    }
    return r;
}

/* Canonical codes, bit-reversed for LSB-first output. */
void huff_codes(const uint8_t *lens, uint32_t nsym, uint16_t *codes)
{
    uint32_t count[HUFF_MAX_BITS + 1] = {0};
    uint32_t next[HUFF_MAX_BITS + 2];
    for (uint32_t s = 0; s < nsym; s++)
        count[lens[s]]++;
    count[0] = 0;
    uint32_t code = 0;
    for (uint32_t b = 1; b <= HUFF_MAX_BITS; b++) {
        code = (code + count[b - 1]) << 1;
        next[b] = code;
    }
    for (uint32_t s = 0; s < nsym; s++) {
        uint32_t l = lens[s];
        codes[s] = l ? (uint16_t)reverse_bits(next[l]++, l) : 0;
    }
}

uint64_t huff_cost(const uint32_t *freq, const uint8_t *lens, uint32_t nsym)
{
    uint64_t bits = 0;
    for (uint32_t s = 0; s < nsym; s++)
        bits += (uint64_t)freq[s] * lens[s];
    return bits;
}

/* ---- decoding ---------------------------------------------------------- */

/* Returns 0 for a usable code (complete, or a single code), -1 for an
   over-subscribed one. */
int huff_decoder_init(huff_decoder *d, const uint8_t *lens, uint32_t nsym)
{
    memset(d->count, 0, sizeof d->count);
    d->nsym = nsym;
    d->symbol = kx_malloc(nsym * sizeof *d->symbol);
    d->fast = kx_calloc(1u << HUFF_FAST_BITS, sizeof *d->fast);
    for (uint32_t s = 0; s < nsym; s++) {
        if (lens[s] > HUFF_MAX_BITS)
            return -1;
        d->count[lens[s]]++;
    }
    d->count[0] = 0;
    int32_t left = 1;
    for (uint32_t b = 1; b <= HUFF_MAX_BITS; b++) {
        left <<= 1;
        left -= d->count[b];
        if (left < 0)
            return -1;
    }
    uint32_t offs[HUFF_MAX_BITS + 2];
    offs[1] = 0;
    for (uint32_t b = 1; b < HUFF_MAX_BITS; b++)
        offs[b + 1] = offs[b] + d->count[b];
    for (uint32_t s = 0; s < nsym; s++)
        if (lens[s])
            d->symbol[offs[lens[s]]++] = (uint16_t)s;

    /* Fast table for codes up to HUFF_FAST_BITS long. */
    uint16_t *codes = kx_malloc(nsym * sizeof *codes);
    huff_codes(lens, nsym, codes);
    for (uint32_t s = 0; s < nsym; s++) {
        uint32_t l = lens[s];
        if (l == 0 || l > HUFF_FAST_BITS)
            continue;
        for (uint32_t fill = codes[s]; fill < (1u << HUFF_FAST_BITS); fill += 1u << l)
            d->fast[fill] = (uint16_t)((l << 12) | s);
    }
    free(codes);
    return 0;
}

void huff_decoder_free(huff_decoder *d)
{
    free(d->symbol);
    free(d->fast);
    d->symbol = NULL;
    d->fast = NULL;
}

/* Next symbol, or -1 for a bit pattern that is no code. */
int huff_decode(huff_decoder *d, bitreader *r)
{
    uint32_t peek = br_peek(r, HUFF_FAST_BITS);
    uint16_t e = d->fast[peek];
    if (e) {
        br_skip(r, e >> 12);
        return e & 0x0FFF;
    }
    /* Slow path: canonical decoding one bit at a time. */
    int32_t code = 0, first = 0, index = 0;
    for (uint32_t len = 1; len <= HUFF_MAX_BITS; len++) {
        code |= (int32_t)br_get(r, 1);
        int32_t count = d->count[len];
        if (code - count < first)
            return d->symbol[index + (code - first)];
        index += count;
        first += count;
        first <<= 1;
        code <<= 1;
    }
    return -1;
}
