/* suffix.c: suffix array by prefix doubling with radix sorting, LCP by
   Kasai's algorithm, and the Burrows-Wheeler transform built from them. */
#include "ktool.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Sorts idx[0..n) by key[idx[i]] (keys < range), stably, into out. */
static void counting_pass(const uint32_t *idx, uint32_t *out, uint32_t n,
                          const uint32_t *key, uint32_t range, uint32_t *cnt)
{
    memset(cnt, 0, ((size_t)range + 1) * sizeof *cnt);
    for (uint32_t i = 0; i < n; i++)
        cnt[key[idx[i]] + 1]++;
    for (uint32_t k = 0; k < range; k++)
        cnt[k + 1] += cnt[k];
    for (uint32_t i = 0; i < n; i++)
        out[cnt[key[idx[i]]]++] = idx[i];
}

/* Suffix array of s[0..n): rank[i] is the class of s[i..i+k) (0 = past the
   end); each round sorts by (rank[i], rank[i+k]) with two counting passes. */
uint32_t *suffix_array(const uint8_t *s, uint32_t n)
{
    uint32_t *sa = kx_malloc(((size_t)n + 1) * sizeof *sa);
    if (n == 0)
        return sa;
    uint32_t *rank = kx_malloc((size_t)n * sizeof *rank);
    uint32_t *second = kx_malloc((size_t)n * sizeof *second);
    uint32_t *tmp = kx_malloc((size_t)n * sizeof *tmp);
    uint32_t *cnt = kx_malloc(((size_t)n + 258) * sizeof *cnt);

    /* Round 0: single bytes, ranks 1..256. */
    for (uint32_t i = 0; i < n; i++) {
        rank[i] = (uint32_t)s[i] + 1;
        tmp[i] = i;
    }
    counting_pass(tmp, sa, n, rank, 257, cnt);
    uint32_t classes = 0;
    {
        uint32_t *nr = second;
        for (uint32_t i = 0; i < n; i++) {
            if (i == 0 || s[sa[i]] != s[sa[i - 1]])
                classes++;
            nr[sa[i]] = classes;
        }
        memcpy(rank, nr, (size_t)n * sizeof *rank);
    }

    for (uint32_t k = 1; classes < n; k <<= 1) {
        /* Key 2: rank of the suffix k further on (0 past the end). */
        for (uint32_t i = 0; i < n; i++)
            second[i] = i + k < n ? rank[i + k] : 0;
        for (uint32_t i = 0; i < n; i++)
            tmp[i] = i;
        counting_pass(tmp, sa, n, second, classes + 1, cnt);
        counting_pass(sa, tmp, n, rank, classes + 1, cnt);
        memcpy(sa, tmp, (size_t)n * sizeof *sa);
        /* New classes. */
        uint32_t c = 0;
        for (uint32_t i = 0; i < n; i++) {
            uint32_t a = sa[i];
            if (i == 0) {
                c = 1;
            } else {
                uint32_t b = sa[i - 1];
                if (rank[a] != rank[b] || second[a] != second[b])
                    c++;
            }
            tmp[a] = c;
        }
        memcpy(rank, tmp, (size_t)n * sizeof *rank);
        classes = c;
        if (k > n)
            break;
    }
    free(rank);
    free(second);
    free(tmp);
    free(cnt);
    return sa;
}

/* lcp[i] = longest common prefix of suffixes sa[i-1] and sa[i]; lcp[0] = 0. */
uint32_t *lcp_array(const uint8_t *s, uint32_t n, const uint32_t *sa)
{
    uint32_t *lcp = kx_calloc((size_t)n + 1, sizeof *lcp);
    uint32_t *inv = kx_malloc(((size_t)n + 1) * sizeof *inv);
    for (uint32_t i = 0; i < n; i++)
        inv[sa[i]] = i;
    uint32_t h = 0;
    for (uint32_t i = 0; i < n; i++) {
        uint32_t r = inv[i];
        if (r == 0) {
            h = 0;
            continue;
        }
        uint32_t j = sa[r - 1];
        while (i + h < n && j + h < n && s[i + h] == s[j + h])
            h++;
        lcp[r] = h;
        if (h > 0)
            h--;
    }
    free(inv);
    return lcp;
}

static int verify_suffix_array(const uint8_t *s, uint32_t n, const uint32_t *sa,
                               const uint32_t *lcp)
{
    /* Adjacent suffixes must differ right after their common prefix, in
       order; that and a permutation check prove the array sorted. */
    uint8_t *seen = kx_calloc(n ? n : 1, 1);
    for (uint32_t i = 0; i < n; i++) {
        if (sa[i] >= n || seen[sa[i]]) {
            free(seen);
            return 0;
        }
        seen[sa[i]] = 1;
    }
    free(seen);
    for (uint32_t i = 1; i < n; i++) {
        uint32_t a = sa[i - 1], b = sa[i], h = lcp[i];
        if (a + h > n || b + h > n)
            return 0;
        if (memcmp(s + a, s + b, h) != 0)
            return 0;
        if (a + h == n)
            continue;      /* a is a prefix of b: correct order */
        if (b + h == n)
            return 0;
        if (s[a + h] >= s[b + h])
            return 0;
    }
    return 1;
}

/* Inverts a BWT given the primary index, to check the transform. */
static int bwt_roundtrip(const uint8_t *bwt, uint32_t n, uint32_t primary,
                         const uint8_t *want)
{
    if (n == 0)
        return 1;
    /* bwt has n+1 symbols with the sentinel at `primary`. */
    uint32_t total = n + 1;
    uint32_t cnt[257] = {0};
    uint32_t *lf = kx_malloc((size_t)total * sizeof *lf);
    for (uint32_t i = 0; i < total; i++)
        if (i != primary)
            cnt[bwt[i] + 1]++;
    uint32_t start[257];
    start[0] = 1;      /* row 0 is the sentinel's */
    for (int c = 0; c < 256; c++)
        start[c + 1] = start[c] + cnt[c + 1];
    uint32_t seen[256] = {0};
    for (uint32_t i = 0; i < total; i++) {
        if (i == primary) {
            lf[i] = 0;
            continue;
        }
        uint8_t c = bwt[i];
        lf[i] = start[c] + seen[c]++;
    }
    /* Walk backwards from row 0 (the suffix starting with the sentinel). */
    int ok = 1;
    uint32_t row = 0;
    for (uint32_t k = n; k-- > 0;) {
        uint8_t c = bwt[row];
        if (row == primary || c != want[k]) {
            ok = 0;
            break;
        }
        row = lf[row];
    }
    free(lf);
    return ok;
}

int suffix_report(const char *dir, const uint8_t *s, uint32_t n)
{
    printf("suffix array over the first %u bytes\n", n);
    uint32_t *sa = suffix_array(s, n);
    uint32_t *lcp = lcp_array(s, n, sa);
    int ok = verify_suffix_array(s, n, sa, lcp);

    uint64_t lcp_sum = 0;
    uint32_t lcp_max = 0, at_max = 0;
    for (uint32_t i = 1; i < n; i++) {
        lcp_sum += lcp[i];
        if (lcp[i] > lcp_max) {
            lcp_max = lcp[i];
            at_max = i;
        }
    }
    uint64_t distinct = (uint64_t)n * (n + 1) / 2 - lcp_sum;
    printf("verified: %s\n", ok ? "ok" : "FAILED");
    printf("sum lcp: %llu, distinct substrings: %llu\n", (unsigned long long)lcp_sum,
           (unsigned long long)distinct);
    if (n > 1) {
        uint64_t hundredths = (lcp_sum * 100 + (n - 1) / 2) / (n - 1);
        printf("mean lcp: %llu.%02llu\n", (unsigned long long)(hundredths / 100),
               (unsigned long long)(hundredths % 100));
        printf("longest repeat: %u bytes at %u and %u: \"", lcp_max, sa[at_max - 1 + (at_max == 0)],
               sa[at_max]);
        print_escaped(s + sa[at_max], lcp_max, 60);
        printf("\"\n");
    }

    /* BWT of s + sentinel: row i is the rotation starting at sa'[i] where
       sa' has the sentinel suffix first. */
    uint8_t *bwt = kx_malloc((size_t)n + 1);
    uint32_t primary = 0;
    bwt[0] = n ? s[n - 1] : 0;
    for (uint32_t i = 0; i < n; i++) {
        if (sa[i] == 0) {
            primary = i + 1;
            bwt[i + 1] = 0;
        } else {
            bwt[i + 1] = s[sa[i] - 1];
        }
    }
    int bwt_ok = bwt_roundtrip(bwt, n, primary, s);
    uint32_t runs = 0;
    for (uint32_t i = 0; i <= n; i++)
        if (i == 0 || bwt[i] != bwt[i - 1])
            runs++;
    printf("bwt: primary %u, runs %u, crc32 %08x, inverse %s\n", primary, runs,
           crc32_buf(bwt, (size_t)n + 1), bwt_ok ? "ok" : "FAILED");

    /* sa.bin: the array as little-endian u32s, then the BWT. */
    kbuf out;
    kbuf_init(&out, n * 4 + n + 16);
    kbuf_put_u32le(&out, n);
    kbuf_put_u32le(&out, primary);
    for (uint32_t i = 0; i < n; i++)
        kbuf_put_u32le(&out, sa[i]);
    kbuf_append(&out, bwt, n + 1);
    printf("sa.bin: %u bytes, crc32 %08x\n", out.len, crc32_buf(out.data, out.len));
    char *path = path_join(dir, "sa.bin");
    int rc = write_file(path, out.data, out.len);
    free(path);
    kbuf_free(&out);
    free(bwt);
    free(sa);
    free(lcp);
    return rc || !ok || !bwt_ok ? 1 : 0;
}
