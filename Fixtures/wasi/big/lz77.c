/* lz77.c: LZ77 parsing with hash chains and one-step lazy matching, and a
   replay of the token stream to check it. */
#include "ktool.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define LZ_HASH_BITS 15u
#define LZ_HASH_SIZE (1u << LZ_HASH_BITS)
#define LZ_MAX_DIST (LZ_WINDOW - LZ_MAX_MATCH - 4u)

typedef struct {
    const uint8_t *in;
    uint32_t n;
    uint32_t *head;        /* position + 1 of the newest string per hash, 0 = none */
    uint32_t *prev;        /* position + 1 of the previous one, by pos & (W - 1) */
    uint32_t max_chain;
    uint32_t nice_len;
    uint64_t chain_steps;
} lz_matcher;

static uint32_t lz_hash3(const uint8_t *p)
{
    uint32_t v = (uint32_t)p[0] | ((uint32_t)p[1] << 8) | ((uint32_t)p[2] << 16);
    return (v * 2654435761u) >> (32 - LZ_HASH_BITS);
}

static void lz_insert(lz_matcher *m, uint32_t pos)
{
    if (pos + 2 >= m->n)
        return;
    uint32_t h = lz_hash3(m->in + pos);
    m->prev[pos & (LZ_WINDOW - 1)] = m->head[h];
    m->head[h] = pos + 1;
}

static uint32_t match_length(const uint8_t *a, const uint8_t *b, uint32_t limit)
{
    uint32_t len = 0;
    while (len + 4 <= limit) {
        uint32_t x, y;
        memcpy(&x, a + len, 4);
        memcpy(&y, b + len, 4);
        if (x != y)
            break;
        len += 4;
    }
    while (len < limit && a[len] == b[len])
        len++;
    return len;
}

/* Longest match for pos among the strings already inserted. */
static uint32_t lz_find(lz_matcher *m, uint32_t pos, uint32_t *dist_out)
{
    if (pos + LZ_MIN_MATCH > m->n)
        return 0;
    uint32_t limit = m->n - pos;
    if (limit > LZ_MAX_MATCH)
        limit = LZ_MAX_MATCH;
    const uint8_t *cur = m->in + pos;
    uint32_t best = LZ_MIN_MATCH - 1, best_dist = 0;
    uint32_t cand1 = m->head[lz_hash3(cur)];
    uint32_t chain = m->max_chain;
    while (cand1 && chain--) {
        uint32_t cand = cand1 - 1;
        uint32_t dist = pos - cand;
        if (dist > LZ_MAX_DIST)
            break;
        m->chain_steps++;
        const uint8_t *c = m->in + cand;
        if (c[best] == cur[best] && c[0] == cur[0] && c[1] == cur[1]) {
            uint32_t len = match_length(c, cur, limit);
            if (len > best) {
                best = len;
                best_dist = dist;
                if (len >= m->nice_len || len == limit)
                    break;
            }
        }
        cand1 = m->prev[cand & (LZ_WINDOW - 1)];
    }
    if (best < LZ_MIN_MATCH)
        return 0;
    *dist_out = best_dist;
    return best;
}

static void emit(lz_stream *s, uint16_t len, uint16_t dist)
{
    if (s->n == s->cap) {
        s->cap = s->cap ? s->cap * 2 : 4096;
        s->tok = kx_realloc(s->tok, (size_t)s->cap * sizeof *s->tok);
    }
    s->tok[s->n].len = len;
    s->tok[s->n].dist = dist;
    s->n++;
    if (len) {
        s->matches++;
        s->matched_bytes += len;
        if (len > s->longest)
            s->longest = len;
    } else {
        s->literals++;
    }
}

void lz_parse(const uint8_t *in, uint32_t n, const lz_params *p, lz_stream *out)
{
    memset(out, 0, sizeof *out);
    lz_matcher m;
    m.in = in;
    m.n = n;
    m.head = kx_calloc(LZ_HASH_SIZE, sizeof *m.head);
    m.prev = kx_calloc(LZ_WINDOW, sizeof *m.prev);
    m.max_chain = p->max_chain ? p->max_chain : 1;
    m.nice_len = p->nice_len ? p->nice_len : LZ_MAX_MATCH;
    m.chain_steps = 0;

    /* The match found for the next position while deciding lazily, kept so
       it is not searched twice. The hash state is the same when we get
       there: pos was inserted, pos + 1 not yet. */
    uint32_t cached_pos = UINT32_MAX, cached_len = 0, cached_dist = 0;
    uint32_t i = 0;
    while (i < n) {
        uint32_t dist = 0, len;
        if (cached_pos == i) {
            len = cached_len;
            dist = cached_dist;
        } else {
            len = lz_find(&m, i, &dist);
        }
        lz_insert(&m, i);
        if (len && p->lazy && len < m.nice_len && i + 1 < n) {
            uint32_t d2 = 0;
            uint32_t l2 = lz_find(&m, i + 1, &d2);
            cached_pos = i + 1;
            cached_len = l2;
            cached_dist = d2;
            if (l2 > len) {
                emit(out, 0, in[i]);
                i++;
                continue;
            }
        }
        if (len) {
            emit(out, (uint16_t)len, (uint16_t)dist);
            for (uint32_t k = 1; k < len; k++)
                lz_insert(&m, i + k);
            i += len;
        } else {
            emit(out, 0, in[i]);
            i++;
        }
    }
    free(m.head);
    free(m.prev);
}

void lz_free(lz_stream *s)
{
    free(s->tok);
    memset(s, 0, sizeof *s);
}

/* Rebuilds the input from the tokens; -1 for a distance before the start. */
int lz_replay(const lz_stream *s, kbuf *out)
{
    for (uint32_t t = 0; t < s->n; t++) {
        const lz_token *k = &s->tok[t];
        if (k->len == 0) {
            kbuf_push(out, (uint8_t)k->dist);
            continue;
        }
        if (k->dist == 0 || k->dist > out->len)
            return -1;
        kbuf_reserve(out, k->len);
        uint8_t *dst = out->data + out->len;
        const uint8_t *src = dst - k->dist;
        for (uint32_t j = 0; j < k->len; j++)
            dst[j] = src[j];     /* byte by byte: the copy may overlap */
        out->len += k->len;
    }
    return 0;
}
