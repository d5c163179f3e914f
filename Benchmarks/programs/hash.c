/* hash: integer hashing.
 *
 * Part 1 mixes a long run of keys through three different 64-bit mixers
 * (multiply/xorshift finalizers) and folds the results together.
 * Part 2 builds an open-addressing hash table (linear probing, power-of-two
 * capacity) of 64-bit keys -> 32-bit counters, inserting a stream of keys
 * with many repeats, then looks up a second stream that is half hits and
 * half misses, then deletes a third of the keys (backward-shift deletion)
 * and looks everything up again.
 *
 * Deterministic: only integer arithmetic on fixed-width types.
 * Prints one line: checksum: <16 hex digits>
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static uint64_t rng_state = 0x243F6A8885A308D3ull;

static uint64_t next_u64(void) {
    /* splitmix64 */
    uint64_t z = (rng_state += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

static inline uint64_t mix_a(uint64_t k) {
    k ^= k >> 33;
    k *= 0xFF51AFD7ED558CCDull;
    k ^= k >> 33;
    k *= 0xC4CEB9FE1A85EC53ull;
    k ^= k >> 33;
    return k;
}

static inline uint64_t mix_b(uint64_t k) {
    k = (~k) + (k << 21);
    k ^= k >> 24;
    k = (k + (k << 3)) + (k << 8);
    k ^= k >> 14;
    k = (k + (k << 2)) + (k << 4);
    k ^= k >> 28;
    k += k << 31;
    return k;
}

static inline uint32_t mix_c(uint32_t x) {
    x ^= x >> 16;
    x *= 0x7FEB352Du;
    x ^= x >> 15;
    x *= 0x846CA68Bu;
    x ^= x >> 16;
    return x;
}

static inline uint64_t rotl(uint64_t x, int r) { return (x << r) | (x >> (64 - r)); }

/* ---- open-addressing table ------------------------------------------------ */

#define EMPTY 0ull /* key 0 is never inserted (keys are forced odd) */

typedef struct {
    uint64_t *keys;
    uint32_t *vals;
    uint32_t mask;
    uint32_t count;
    uint64_t probes;
} table;

static void table_init(table *t, uint32_t log2cap) {
    uint32_t cap = 1u << log2cap;
    t->keys = calloc(cap, sizeof(uint64_t));
    t->vals = calloc(cap, sizeof(uint32_t));
    if (!t->keys || !t->vals) { fprintf(stderr, "out of memory\n"); exit(1); }
    t->mask = cap - 1;
    t->count = 0;
    t->probes = 0;
}

static inline uint32_t slot_of(const table *t, uint64_t key) {
    return (uint32_t)(mix_a(key) >> 20) & t->mask;
}

static void table_add(table *t, uint64_t key, uint32_t inc) {
    uint32_t i = slot_of(t, key);
    for (;;) {
        t->probes++;
        uint64_t k = t->keys[i];
        if (k == key) { t->vals[i] += inc; return; }
        if (k == EMPTY) {
            t->keys[i] = key;
            t->vals[i] = inc;
            t->count++;
            return;
        }
        i = (i + 1) & t->mask;
    }
}

static int table_get(table *t, uint64_t key, uint32_t *out) {
    uint32_t i = slot_of(t, key);
    for (;;) {
        t->probes++;
        uint64_t k = t->keys[i];
        if (k == key) { *out = t->vals[i]; return 1; }
        if (k == EMPTY) return 0;
        i = (i + 1) & t->mask;
    }
}

static int table_del(table *t, uint64_t key) {
    uint32_t i = slot_of(t, key);
    for (;;) {
        uint64_t k = t->keys[i];
        if (k == EMPTY) return 0;
        if (k == key) break;
        i = (i + 1) & t->mask;
    }
    /* backward-shift deletion keeps probe chains intact without tombstones */
    uint32_t hole = i;
    uint32_t j = i;
    for (;;) {
        j = (j + 1) & t->mask;
        uint64_t k = t->keys[j];
        if (k == EMPTY) break;
        uint32_t home = slot_of(t, k);
        /* can the entry at j move into the hole? only if its home is not in (hole, j] */
        int move = (hole <= j) ? (home <= hole || home > j) : (home <= hole && home > j);
        if (move) {
            t->keys[hole] = k;
            t->vals[hole] = t->vals[j];
            hole = j;
        }
    }
    t->keys[hole] = EMPTY;
    t->vals[hole] = 0;
    t->count--;
    return 1;
}

int main(void) {
    uint64_t sum = 0x9E3779B97F4A7C15ull;

    /* Part 1: raw mixing throughput */
    {
        uint64_t acc_a = 1, acc_b = 2;
        uint32_t acc_c = 3;
        const uint32_t n = 40u * 1000u * 1000u;
        for (uint32_t i = 0; i < n; i++) {
            uint64_t k = (uint64_t)i * 0x9E3779B97F4A7C15ull + acc_c;
            acc_a += mix_a(k);
            acc_b ^= rotl(mix_b(k ^ acc_a), (int)(i & 63) | 1);
            acc_c = mix_c(acc_c ^ (uint32_t)k) + i;
        }
        sum ^= acc_a;
        sum = rotl(sum, 17) + acc_b;
        sum = rotl(sum, 17) + acc_c;
    }

    /* Part 2: hash table */
    {
        const uint32_t distinct = 1u << 20;   /* key universe drawn from */
        const uint32_t inserts = 4u * 1000u * 1000u;
        const uint32_t lookups = 6u * 1000u * 1000u;
        uint64_t *universe = malloc(sizeof(uint64_t) * distinct);
        if (!universe) { fprintf(stderr, "out of memory\n"); return 1; }
        for (uint32_t i = 0; i < distinct; i++) universe[i] = next_u64() | 1u;

        table t;
        table_init(&t, 21); /* 2 Mi slots: load factor up to 0.5 */

        for (uint32_t i = 0; i < inserts; i++) {
            /* skewed choice: low indices are far more common */
            uint64_t r = next_u64();
            uint32_t idx = (uint32_t)(r & (distinct - 1));
            if (r & (1ull << 40)) idx &= (distinct >> 4) - 1;
            table_add(&t, universe[idx], (uint32_t)(r >> 56) + 1);
        }
        sum = rotl(sum, 13) ^ t.count;

        uint64_t hits = 0, misses = 0, valsum = 0;
        for (uint32_t i = 0; i < lookups; i++) {
            uint64_t r = next_u64();
            uint64_t key = (r & 1) ? universe[(r >> 1) & (distinct - 1)] : (r & ~1ull) | 2u;
            uint32_t v;
            if (table_get(&t, key, &v)) { hits++; valsum += v * (uint64_t)(i | 1); }
            else misses++;
        }
        sum = rotl(sum, 13) + hits;
        sum = rotl(sum, 13) + misses;
        sum = rotl(sum, 13) ^ valsum;

        uint32_t deleted = 0;
        for (uint32_t i = 0; i < distinct; i += 3) deleted += (uint32_t)table_del(&t, universe[i]);
        sum = rotl(sum, 13) + deleted + ((uint64_t)t.count << 32);

        uint64_t after = 0;
        for (uint32_t round = 0; round < 2; round++) {
            for (uint32_t i = 0; i < distinct; i++) {
                uint32_t v;
                if (table_get(&t, universe[i], &v)) after = after * 31 + v + i;
                else after ^= mix_a(i + round);
            }
        }
        sum = rotl(sum, 13) ^ after;

        /* fold the final table layout in (slot order depends only on the hash) */
        uint64_t layout = 0;
        for (uint32_t i = 0; i <= t.mask; i++)
            layout = rotl(layout, 5) ^ t.keys[i] ^ ((uint64_t)t.vals[i] << 7);
        sum = rotl(sum, 13) + layout;
        sum = rotl(sum, 13) + t.probes;

        free(t.keys);
        free(t.vals);
        free(universe);
    }

    printf("checksum: %016llx\n", (unsigned long long)mix_a(sum));
    return 0;
}
