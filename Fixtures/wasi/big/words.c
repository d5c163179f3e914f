/* words.c: tokenizing, a word hash table, bigram counts and top-N reports. */
#include "ktool.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- tokenizer --------------------------------------------------------- */

/* A word is a run of ASCII letters, digits and inner apostrophes or hyphens,
   folded to lower case; anything else separates words. */
typedef struct {
    const uint8_t *p;
    uint32_t n;
    uint32_t pos;
    uint8_t word[64];
    uint32_t len;
    uint32_t truncated;     /* words longer than the buffer, cut to fit */
} tokenizer;

static int is_word_byte(uint8_t c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

static void tok_init(tokenizer *t, const uint8_t *p, uint32_t n)
{
    memset(t, 0, sizeof *t);
    t->p = p;
    t->n = n;
}

static int tok_next(tokenizer *t)
{
    const uint8_t *p = t->p;
    uint32_t i = t->pos, n = t->n;
    while (i < n && !is_word_byte(p[i]))
        i++;
    if (i >= n) {
        t->pos = n;
        return 0;
    }
    uint32_t len = 0;
    int cut = 0;
    while (i < n) {
        uint8_t c = p[i];
        if (is_word_byte(c)) {
            if (c >= 'A' && c <= 'Z')
                c = (uint8_t)(c + 32);
        } else if ((c == '\'' || c == '-') && i + 1 < n && is_word_byte(p[i + 1]) && len > 0) {
            /* inner punctuation stays in the word */
        } else {
            break;
        }
        if (len < sizeof t->word)
            t->word[len++] = c;
        else
            cut = 1;
        i++;
    }
    t->truncated += (uint32_t)cut;
    t->pos = i;
    t->len = len;
    return 1;
}

/* ---- the word table: open addressing, linear probing ------------------ */

typedef struct {
    uint32_t hash;
    uint32_t count;
    uint32_t id;       /* order of first appearance */
    uint32_t len;
    const uint8_t *word;
} word_entry;

typedef struct {
    word_entry *slots;
    uint32_t mask;
    uint32_t used;
    uint64_t probes;
    karena arena;
    word_entry **by_id;
    uint32_t id_cap;
} word_table;

static void wt_init(word_table *t, uint32_t log2cap)
{
    t->mask = (1u << log2cap) - 1;
    t->slots = kx_calloc(t->mask + 1, sizeof *t->slots);
    t->used = 0;
    t->probes = 0;
    karena_init(&t->arena);
    t->id_cap = 1024;
    t->by_id = kx_malloc(t->id_cap * sizeof *t->by_id);
}

static void wt_free(word_table *t)
{
    free(t->slots);
    free(t->by_id);
    karena_free(&t->arena);
}

static void wt_grow(word_table *t)
{
    uint32_t old_cap = t->mask + 1;
    word_entry *old = t->slots;
    uint32_t cap = old_cap * 2;
    t->slots = kx_calloc(cap, sizeof *t->slots);
    t->mask = cap - 1;
    for (uint32_t i = 0; i < old_cap; i++) {
        if (!old[i].word)
            continue;
        uint32_t at = old[i].hash & t->mask;
        while (t->slots[at].word)
            at = (at + 1) & t->mask;
        t->slots[at] = old[i];
        t->by_id[old[i].id] = &t->slots[at];
    }
    free(old);
}

static word_entry *wt_add(word_table *t, const uint8_t *w, uint32_t len, uint32_t times)
{
    uint32_t h = fnv1a32(w, len);
    uint32_t at = h & t->mask;
    for (;;) {
        word_entry *e = &t->slots[at];
        t->probes++;
        if (!e->word)
            break;
        if (e->hash == h && e->len == len && memcmp(e->word, w, len) == 0) {
            e->count += times;
            return e;
        }
        at = (at + 1) & t->mask;
    }
    if ((t->used + 1) * 4 > (t->mask + 1) * 3) {
        wt_grow(t);
        return wt_add(t, w, len, times);
    }
    word_entry *e = &t->slots[at];
    uint8_t *copy = karena_alloc(&t->arena, len);
    memcpy(copy, w, len);
    e->word = copy;
    e->len = len;
    e->hash = h;
    e->count = times;
    e->id = t->used;
    if (t->used == t->id_cap) {
        t->id_cap *= 2;
        t->by_id = kx_realloc(t->by_id, t->id_cap * sizeof *t->by_id);
    }
    t->by_id[t->used] = e;
    t->used++;
    return e;
}

/* ---- bigrams: pairs of word ids in a second table ---------------------- */

typedef struct {
    uint64_t key;      /* (first id + 1) << 32 | second id; 0 = empty */
    uint32_t count;
} pair_entry;

typedef struct {
    pair_entry *slots;
    uint32_t mask;
    uint32_t used;
} pair_table;

static uint32_t mix64(uint64_t k)
{
    k ^= k >> 33;
    k *= 0xFF51AFD7ED558CCDull;
    k ^= k >> 33;
    k *= 0xC4CEB9FE1A85EC53ull;
    k ^= k >> 33;
    return (uint32_t)k;
}

static void pt_init(pair_table *t)
{
    t->mask = (1u << 14) - 1;
    t->slots = kx_calloc(t->mask + 1, sizeof *t->slots);
    t->used = 0;
}

static void pt_add(pair_table *t, uint64_t key);

static void pt_grow(pair_table *t)
{
    pair_entry *old = t->slots;
    uint32_t old_cap = t->mask + 1;
    t->mask = old_cap * 2 - 1;
    t->slots = kx_calloc(t->mask + 1, sizeof *t->slots);
    t->used = 0;
    for (uint32_t i = 0; i < old_cap; i++) {
        if (!old[i].key)
            continue;
        uint32_t at = mix64(old[i].key) & t->mask;
        while (t->slots[at].key)
            at = (at + 1) & t->mask;
        t->slots[at] = old[i];
        t->used++;
    }
    free(old);
}

static void pt_add(pair_table *t, uint64_t key)
{
    uint32_t at = mix64(key) & t->mask;
    while (t->slots[at].key) {
        if (t->slots[at].key == key) {
            t->slots[at].count++;
            return;
        }
        at = (at + 1) & t->mask;
    }
    if ((t->used + 1) * 4 > (t->mask + 1) * 3) {
        pt_grow(t);
        pt_add(t, key);
        return;
    }
    t->slots[at].key = key;
    t->slots[at].count = 1;
    t->used++;
}

/* ---- ordering ----------------------------------------------------------- */

static int word_rank_cmp(const void *a, const void *b, void *ctx)
{
    const word_entry *x = *(const word_entry *const *)a;
    const word_entry *y = *(const word_entry *const *)b;
    (void)ctx;
    if (x->count != y->count)
        return x->count > y->count ? -1 : 1;
    kslice sx = {x->word, x->len}, sy = {y->word, y->len};
    return slice_cmp(&sx, &sy);
}

static int word_alpha_cmp(const void *a, const void *b, void *ctx)
{
    const word_entry *x = *(const word_entry *const *)a;
    const word_entry *y = *(const word_entry *const *)b;
    (void)ctx;
    kslice sx = {x->word, x->len}, sy = {y->word, y->len};
    return slice_cmp(&sx, &sy);
}

typedef struct {
    word_entry **by_id;
} pair_ctx;

static int pair_rank_cmp(const void *a, const void *b, void *ctx)
{
    const pair_entry *x = a, *y = b;
    pair_ctx *c = ctx;
    if (x->count != y->count)
        return x->count > y->count ? -1 : 1;
    for (int half = 0; half < 2; half++) {
        uint32_t ix = half ? (uint32_t)x->key : (uint32_t)(x->key >> 32) - 1;
        uint32_t iy = half ? (uint32_t)y->key : (uint32_t)(y->key >> 32) - 1;
        kslice sx = {c->by_id[ix]->word, c->by_id[ix]->len};
        kslice sy = {c->by_id[iy]->word, c->by_id[iy]->len};
        int r = slice_cmp(&sx, &sy);
        if (r)
            return r;
    }
    return 0;
}

/* A bounded min-heap keeps the top N pairs without sorting all of them. */
typedef struct {
    pair_entry *items;
    uint32_t n, cap;
    pair_ctx *ctx;
} pair_heap;

/* "worse" = ranks after: the heap root is the worst of the kept items. */
static int pair_worse(pair_heap *h, const pair_entry *a, const pair_entry *b)
{
    return pair_rank_cmp(a, b, h->ctx) > 0;
}

static void heap_sift_down(pair_heap *h, uint32_t i)
{
    for (;;) {
        uint32_t l = 2 * i + 1, r = l + 1, w = i;
        if (l < h->n && pair_worse(h, &h->items[l], &h->items[w]))
            w = l;
        if (r < h->n && pair_worse(h, &h->items[r], &h->items[w]))
            w = r;
        if (w == i)
            return;
        pair_entry t = h->items[i];
        h->items[i] = h->items[w];
        h->items[w] = t;
        i = w;
    }
}

static void heap_offer(pair_heap *h, const pair_entry *e)
{
    if (h->n < h->cap) {
        uint32_t i = h->n++;
        h->items[i] = *e;
        while (i > 0) {
            uint32_t parent = (i - 1) / 2;
            if (!pair_worse(h, &h->items[i], &h->items[parent]))
                break;
            pair_entry t = h->items[i];
            h->items[i] = h->items[parent];
            h->items[parent] = t;
            i = parent;
        }
        return;
    }
    if (h->cap == 0 || pair_worse(h, e, &h->items[0]))
        return;
    h->items[0] = *e;
    heap_sift_down(h, 0);
}

/* ---- the `words` subcommand -------------------------------------------- */

int cmd_words(const char *dir, const kbuf *input, uint32_t top_n)
{
    word_table wt;
    pair_table pt;
    wt_init(&wt, 10);
    pt_init(&pt);

    tokenizer tk;
    tok_init(&tk, input->data, input->len);
    uint64_t tokens = 0, letters = 0;
    uint32_t len_hist[17] = {0};
    int32_t prev = -1;
    while (tok_next(&tk)) {
        word_entry *e = wt_add(&wt, tk.word, tk.len, 1);
        tokens++;
        letters += tk.len;
        len_hist[tk.len < 16 ? tk.len : 16]++;
        if (prev >= 0)
            pt_add(&pt, ((uint64_t)(uint32_t)prev + 1) << 32 | e->id);
        prev = (int32_t)e->id;
    }

    printf("== words\n");
    printf("tokens: %llu, distinct: %u, bigrams: %u, truncated: %u\n",
           (unsigned long long)tokens, wt.used, pt.used, tk.truncated);
    if (tokens) {
        uint64_t tenths = (letters * 10 + tokens / 2) / tokens;
        printf("mean word length: %llu.%llu\n", (unsigned long long)(tenths / 10),
               (unsigned long long)(tenths % 10));
    }
    printf("probes per lookup (x100): %llu\n",
           (unsigned long long)(tokens ? wt.probes * 100 / tokens : 0));
    printf("length histogram:");
    for (int i = 1; i <= 16; i++)
        printf(" %s%d:%u", i == 16 ? ">=" : "", i, len_hist[i]);
    printf("\n");

    /* Rank all words, then print the top N. */
    word_entry **rank = kx_malloc((wt.used ? wt.used : 1) * sizeof *rank);
    for (uint32_t i = 0; i < wt.used; i++)
        rank[i] = wt.by_id[i];
    merge_sort(rank, wt.used, sizeof *rank, word_rank_cmp, NULL);
    uint32_t shown = top_n < wt.used ? top_n : wt.used;
    printf("top %u words:\n", shown);
    for (uint32_t i = 0; i < shown; i++) {
        char pct[24];
        fmt_ratio(pct, sizeof pct, rank[i]->count, tokens);
        printf("  %3u %-16.*s %8u %s\n", i + 1, (int)rank[i]->len,
               (const char *)rank[i]->word, rank[i]->count, pct);
    }
    /* Words seen once (hapax legomena) and the share of the top N. */
    uint32_t hapax = 0;
    uint64_t top_total = 0;
    for (uint32_t i = 0; i < wt.used; i++) {
        if (rank[i]->count == 1)
            hapax++;
        if (i < shown)
            top_total += rank[i]->count;
    }
    char share[24];
    fmt_ratio(share, sizeof share, top_total, tokens);
    printf("hapax: %u, top-%u share: %s\n", hapax, shown, share);

    /* Top bigrams through the bounded heap. */
    pair_ctx pc = {wt.by_id};
    pair_heap heap = {kx_malloc((top_n ? top_n : 1) * sizeof(pair_entry)), 0, top_n, &pc};
    for (uint32_t i = 0; i <= pt.mask; i++)
        if (pt.slots[i].key)
            heap_offer(&heap, &pt.slots[i]);
    merge_sort(heap.items, heap.n, sizeof(pair_entry), pair_rank_cmp, &pc);
    printf("top %u bigrams:\n", heap.n);
    for (uint32_t i = 0; i < heap.n; i++) {
        const word_entry *a = wt.by_id[(uint32_t)(heap.items[i].key >> 32) - 1];
        const word_entry *b = wt.by_id[(uint32_t)heap.items[i].key];
        printf("  %3u %.*s %.*s %u\n", i + 1, (int)a->len, (const char *)a->word,
               (int)b->len, (const char *)b->word, heap.items[i].count);
    }

    /* words.txt: every word with its count, alphabetically. */
    merge_sort(rank, wt.used, sizeof *rank, word_alpha_cmp, NULL);
    kbuf out;
    kbuf_init(&out, wt.used * 12 + 16);
    for (uint32_t i = 0; i < wt.used; i++) {
        kbuf_append(&out, rank[i]->word, rank[i]->len);
        kbuf_push(&out, '\t');
        kbuf_put_dec(&out, rank[i]->count);
        kbuf_push(&out, '\n');
    }
    printf("words.txt: %u bytes, crc32 %08x\n", out.len, crc32_buf(out.data, out.len));
    char *path = path_join(dir, "words.txt");
    int rc = write_file(path, out.data, out.len);
    free(path);
    kbuf_free(&out);
    free(heap.items);
    free(rank);
    free(pt.slots);
    wt_free(&wt);
    return rc ? 1 : 0;
}
