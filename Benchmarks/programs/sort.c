/* sort: sorting millions of integers.
 *
 *  - qsort with a comparator over 32-bit keys;
 *  - qsort of 16-byte records with a two-key comparator (total order, so the
 *    result does not depend on the qsort algorithm of the C library);
 *  - a hand-written LSD radix sort (4 passes of 8 bits) of unsigned keys;
 *  - a hand-written top-down merge sort of signed keys (insertion sort for
 *    short runs).
 * Each result is checked to be sorted, and folded into the checksum.
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

static uint64_t rng = 0xDEADBEEFCAFEF00Dull;
static uint32_t next_u32(void) {
    uint64_t z = (rng += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return (uint32_t)((z ^ (z >> 31)) >> 32);
}

static uint64_t fold_u32(uint64_t h, const uint32_t *a, uint32_t n) {
    for (uint32_t i = 0; i < n; i += 97) h = (h ^ a[i]) * 0x100000001B3ull;
    return h ^ a[n - 1];
}

static void fail(const char *what) {
    fprintf(stderr, "not sorted: %s\n", what);
    exit(1);
}

/* ---- qsort ------------------------------------------------------------------ */

static int cmp_u32(const void *pa, const void *pb) {
    uint32_t a = *(const uint32_t *)pa, b = *(const uint32_t *)pb;
    return (a > b) - (a < b);
}

typedef struct {
    uint32_t bucket;
    int32_t score;
    uint32_t id;
    uint32_t payload;
} record;

static int cmp_record(const void *pa, const void *pb) {
    const record *a = pa, *b = pb;
    if (a->bucket != b->bucket) return a->bucket < b->bucket ? -1 : 1;
    if (a->score != b->score) return a->score > b->score ? -1 : 1; /* descending */
    return (a->id > b->id) - (a->id < b->id);
}

/* ---- radix sort ------------------------------------------------------------- */

static void radix_sort(uint32_t *a, uint32_t *tmp, uint32_t n) {
    uint32_t *src = a, *dst = tmp;
    for (int shift = 0; shift < 32; shift += 8) {
        uint32_t count[257];
        memset(count, 0, sizeof count);
        for (uint32_t i = 0; i < n; i++) count[((src[i] >> shift) & 0xFF) + 1]++;
        for (int b = 0; b < 256; b++) count[b + 1] += count[b];
        for (uint32_t i = 0; i < n; i++) dst[count[(src[i] >> shift) & 0xFF]++] = src[i];
        uint32_t *t = src;
        src = dst;
        dst = t;
    }
    /* four passes: the result is back in a */
}

/* ---- merge sort ------------------------------------------------------------- */

static void insertion_sort(int32_t *a, uint32_t n) {
    for (uint32_t i = 1; i < n; i++) {
        int32_t v = a[i];
        uint32_t j = i;
        while (j > 0 && a[j - 1] > v) {
            a[j] = a[j - 1];
            j--;
        }
        a[j] = v;
    }
}

/* sorts a[0..n) using tmp[0..n) as scratch */
static void merge_sort(int32_t *a, int32_t *tmp, uint32_t n) {
    if (n <= 24) {
        insertion_sort(a, n);
        return;
    }
    uint32_t mid = n / 2;
    merge_sort(a, tmp, mid);
    merge_sort(a + mid, tmp + mid, n - mid);
    if (a[mid - 1] <= a[mid]) return; /* already in order */
    memcpy(tmp, a, sizeof(int32_t) * n);
    uint32_t i = 0, j = mid, k = 0;
    while (i < mid && j < n) a[k++] = tmp[j] < tmp[i] ? tmp[j++] : tmp[i++];
    while (i < mid) a[k++] = tmp[i++];
    while (j < n) a[k++] = tmp[j++];
}

int main(void) {
    uint64_t sum = 0xCBF29CE484222325ull;

    /* qsort of keys */
    {
        const uint32_t n = 1000000;
        uint32_t *a = xmalloc(sizeof(uint32_t) * n);
        for (uint32_t i = 0; i < n; i++) a[i] = next_u32() % 50000000u;
        qsort(a, n, sizeof(uint32_t), cmp_u32);
        for (uint32_t i = 1; i < n; i++) if (a[i - 1] > a[i]) fail("qsort keys");
        sum = fold_u32(sum, a, n);
        free(a);
    }

    /* qsort of records */
    {
        const uint32_t n = 400000;
        record *r = xmalloc(sizeof(record) * n);
        for (uint32_t i = 0; i < n; i++) {
            uint32_t x = next_u32();
            r[i].bucket = x % 97;
            r[i].score = (int32_t)(next_u32() % 2001) - 1000;
            r[i].id = i;
            r[i].payload = x;
        }
        qsort(r, n, sizeof(record), cmp_record);
        uint64_t h = 0;
        for (uint32_t i = 0; i < n; i++) {
            if (i && cmp_record(&r[i - 1], &r[i]) > 0) fail("qsort records");
            h = h * 31 + r[i].payload + r[i].id;
        }
        sum = (sum ^ h) * 0x100000001B3ull;
        free(r);
    }

    /* radix sort, a few rounds over fresh data */
    {
        const uint32_t n = 4u << 20;
        uint32_t *a = xmalloc(sizeof(uint32_t) * n);
        uint32_t *tmp = xmalloc(sizeof(uint32_t) * n);
        for (int round = 0; round < 4; round++) {
            for (uint32_t i = 0; i < n; i++) a[i] = next_u32() >> (round * 4);
            radix_sort(a, tmp, n);
            for (uint32_t i = 1; i < n; i++) if (a[i - 1] > a[i]) fail("radix");
            sum = fold_u32(sum, a, n);
        }
        free(a);
        free(tmp);
    }

    /* merge sort, random data and then nearly sorted data */
    {
        const uint32_t n = 4u << 20;
        int32_t *a = xmalloc(sizeof(int32_t) * n);
        int32_t *tmp = xmalloc(sizeof(int32_t) * n);
        for (uint32_t i = 0; i < n; i++) a[i] = (int32_t)next_u32();
        merge_sort(a, tmp, n);
        for (uint32_t i = 1; i < n; i++) if (a[i - 1] > a[i]) fail("merge");
        sum = fold_u32(sum, (const uint32_t *)a, n);
        for (uint32_t k = 0; k < n / 100; k++) {
            uint32_t i = next_u32() % n, j = next_u32() % n;
            int32_t t = a[i];
            a[i] = a[j];
            a[j] = t;
        }
        merge_sort(a, tmp, n);
        for (uint32_t i = 1; i < n; i++) if (a[i - 1] > a[i]) fail("merge 2");
        sum = fold_u32(sum, (const uint32_t *)a, n);
        free(a);
        free(tmp);
    }

    printf("checksum: %016llx\n", (unsigned long long)sum);
    return 0;
}
