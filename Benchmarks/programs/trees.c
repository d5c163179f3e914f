/* trees: allocation-heavy binary trees.
 *
 *  1. A long-lived tree is built first and checked at the end.
 *  2. Many short-lived complete trees of increasing depth are built
 *     bottom-up with malloc, walked and freed (fewer of the deeper ones).
 *  3. A "forest" of small random-shaped trees is churned: trees are replaced
 *     at random, so live memory stays roughly constant while the allocator
 *     has to reuse freed blocks of mixed sizes.
 *  4. Growth: blocks of mixed sizes are allocated until some 100 MiB (less
 *     on wasm32, where pointers are half the size) are live, touched, then
 *     freed in a scrambled order.
 *
 * Deterministic: integer arithmetic only; nothing depends on addresses.
 * Prints one line: checksum: <16 hex digits>
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct node {
    struct node *left, *right;
    uint32_t value;
} node;

static void *xmalloc(size_t n) {
    void *p = malloc(n);
    if (!p) { fprintf(stderr, "out of memory\n"); exit(1); }
    return p;
}

static uint64_t rng = 0x9E3779B97F4A7C15ull;
static uint32_t next_u32(void) {
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return (uint32_t)(rng >> 16);
}

static node *make(node *l, node *r, uint32_t v) {
    node *n = xmalloc(sizeof(node));
    n->left = l;
    n->right = r;
    n->value = v;
    return n;
}

/* complete tree of the given depth; values numbered in pre-order from *seq */
static node *build(int depth, uint32_t *seq) {
    uint32_t v = (*seq)++;
    if (depth == 0) return make(NULL, NULL, v);
    node *l = build(depth - 1, seq);
    node *r = build(depth - 1, seq);
    return make(l, r, v);
}

/* random-shaped tree with about `size` nodes */
static node *build_random(uint32_t size) {
    if (size == 0) return NULL;
    uint32_t left = size > 1 ? next_u32() % size : 0;
    node *l = build_random(left);
    node *r = build_random(size - 1 - left);
    return make(l, r, next_u32());
}

/* a walk that mixes structure and values (order-sensitive) */
static uint64_t check(const node *n) {
    if (!n) return 7;
    uint64_t a = check(n->left);
    uint64_t b = check(n->right);
    return (a * 31 + n->value) ^ (b * 0x100000001B3ull);
}

static uint32_t count(const node *n) { return n ? 1 + count(n->left) + count(n->right) : 0; }

static void release(node *n) {
    if (!n) return;
    release(n->left);
    release(n->right);
    free(n);
}

int main(void) {
    uint64_t sum = 0;
    uint32_t seq = 0;

    /* 1 */
    node *long_lived = build(18, &seq);

    /* 2 */
    const int min_depth = 4, max_depth = 16;
    for (int d = min_depth; d <= max_depth; d++) {
        uint32_t iters = 1u << (max_depth - d + min_depth);
        uint64_t acc = 0;
        for (uint32_t i = 0; i < iters; i++) {
            uint32_t s = i;
            node *t = build(d, &s);
            acc += check(t) + s;
            release(t);
        }
        sum = sum * 1000003u + acc;
    }

    /* 3 */
    {
        enum { FOREST = 2048 };
        node **forest = xmalloc(sizeof(node *) * FOREST);
        for (int i = 0; i < FOREST; i++) forest[i] = build_random(1 + next_u32() % 200);
        uint64_t acc = 0;
        for (uint32_t round = 0; round < 60000; round++) {
            uint32_t k = next_u32() % FOREST;
            acc += check(forest[k]);
            release(forest[k]);
            forest[k] = build_random(1 + next_u32() % 200);
        }
        for (int i = 0; i < FOREST; i++) {
            acc = acc * 31 + count(forest[i]);
            release(forest[i]);
        }
        free(forest);
        sum = sum * 1000003u + acc;
    }

    /* 4 */
    {
        const uint32_t target = 100u << 20; /* bytes requested in total */
        uint32_t cap = 1u << 18, n = 0, total = 0;
        uint8_t **blocks = xmalloc(sizeof(uint8_t *) * cap);
        uint32_t *sizes = xmalloc(sizeof(uint32_t) * cap);
        while (total < target && n < cap) {
            uint32_t r = next_u32();
            uint32_t size = (r & 7) == 0 ? 4096 + (r >> 8) % 16384 : 16 + (r >> 8) % 512;
            blocks[n] = xmalloc(size);
            memset(blocks[n], (int)(n & 0xFF), size);
            blocks[n][size - 1] = (uint8_t)r;
            sizes[n] = size;
            total += size;
            n++;
        }
        uint64_t acc = n;
        /* free in a scrambled order (a permutation: stride coprime to n) */
        uint32_t stride = 7919;
        while (n % stride == 0) stride += 2;
        for (uint32_t i = 0, j = 0; i < n; i++, j = (j + stride) % n) {
            acc = acc * 31 + blocks[j][0] + blocks[j][sizes[j] - 1] + sizes[j];
            free(blocks[j]);
        }
        free(blocks);
        free(sizes);
        sum = sum * 1000003u + acc;
    }

    sum = sum * 1000003u + check(long_lived) + count(long_lived);
    release(long_lived);

    printf("checksum: %016llx\n", (unsigned long long)sum);
    return 0;
}
