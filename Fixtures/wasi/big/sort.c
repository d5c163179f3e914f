/* sort.c: a stable merge sort, line sorting and the `sort` subcommand. */
#include "ktool.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int slice_cmp(const kslice *a, const kslice *b)
{
    uint32_t n = a->len < b->len ? a->len : b->len;
    int r = n ? memcmp(a->p, b->p, n) : 0;
    if (r)
        return r < 0 ? -1 : 1;
    if (a->len != b->len)
        return a->len < b->len ? -1 : 1;
    return 0;
}

/* ---- merge sort: stable, top-down with insertion sort on short runs ---- */

#define MS_CUTOFF 12u

typedef struct {
    uint32_t size;
    int (*cmp)(const void *, const void *, void *);
    void *ctx;
    uint8_t *tmp;
    uint64_t comparisons;
} ms_state;

static void ms_insertion(ms_state *s, uint8_t *base, uint32_t n)
{
    uint32_t size = s->size;
    uint8_t *hold = s->tmp;   /* the merge buffer is free at this point */
    for (uint32_t i = 1; i < n; i++) {
        uint32_t j = i;
        memcpy(hold, base + i * size, size);
        while (j > 0) {
            s->comparisons++;
            if (s->cmp(base + (j - 1) * size, hold, s->ctx) <= 0)
                break;
            memcpy(base + j * size, base + (j - 1) * size, size);
            j--;
        }
        if (j != i)
            memcpy(base + j * size, hold, size);
    }
}

static void ms_merge(ms_state *s, uint8_t *base, uint32_t mid, uint32_t n)
{
    uint32_t size = s->size;
    /* Already in order: nothing to merge. */
    s->comparisons++;
    if (s->cmp(base + (mid - 1) * size, base + mid * size, s->ctx) <= 0)
        return;
    memcpy(s->tmp, base, (size_t)mid * size);
    uint8_t *left = s->tmp, *left_end = s->tmp + (size_t)mid * size;
    uint8_t *right = base + (size_t)mid * size, *right_end = base + (size_t)n * size;
    uint8_t *out = base;
    while (left < left_end && right < right_end) {
        s->comparisons++;
        if (s->cmp(right, left, s->ctx) < 0) {
            memcpy(out, right, size);
            right += size;
        } else {
            memcpy(out, left, size);
            left += size;
        }
        out += size;
    }
    if (left < left_end)
        memcpy(out, left, (size_t)(left_end - left));
}

static void ms_sort(ms_state *s, uint8_t *base, uint32_t n)
{
    if (n <= MS_CUTOFF) {
        ms_insertion(s, base, n);
        return;
    }
    uint32_t mid = n / 2;
    ms_sort(s, base, mid);
    ms_sort(s, base + (size_t)mid * s->size, n - mid);
    ms_merge(s, base, mid, n);
}

static uint64_t last_comparisons;

void merge_sort(void *base, uint32_t n, uint32_t size,
                int (*cmp)(const void *, const void *, void *), void *ctx)
{
    ms_state s = {size, cmp, ctx, NULL, 0};
    s.tmp = kx_malloc(((size_t)n / 2 + MS_CUTOFF + 1) * size);
    ms_sort(&s, base, n);
    free(s.tmp);
    last_comparisons = s.comparisons;
}

/* ---- lines ------------------------------------------------------------- */

static kslice *split_lines(const kbuf *in, uint32_t *count)
{
    uint32_t n = 0;
    for (uint32_t i = 0; i < in->len; i++)
        if (in->data[i] == '\n')
            n++;
    if (in->len && in->data[in->len - 1] != '\n')
        n++;
    kslice *lines = kx_malloc((n ? n : 1) * sizeof *lines);
    uint32_t at = 0, start = 0;
    for (uint32_t i = 0; i < in->len; i++) {
        if (in->data[i] == '\n') {
            lines[at].p = in->data + start;
            lines[at].len = i - start;
            at++;
            start = i + 1;
        }
    }
    if (start < in->len) {
        lines[at].p = in->data + start;
        lines[at].len = in->len - start;
        at++;
    }
    *count = at;
    return lines;
}

static int line_cmp(const void *a, const void *b, void *ctx)
{
    (void)ctx;
    return slice_cmp(a, b);
}

/* Shorter lines first, then bytewise. */
static int line_len_cmp(const void *a, const void *b, void *ctx)
{
    const kslice *x = a, *y = b;
    (void)ctx;
    if (x->len != y->len)
        return x->len < y->len ? -1 : 1;
    return slice_cmp(x, y);
}

/* Case-folded comparison, ties broken bytewise so the order is total. */
static int line_fold_cmp(const void *a, const void *b, void *ctx)
{
    const kslice *x = a, *y = b;
    (void)ctx;
    uint32_t n = x->len < y->len ? x->len : y->len;
    for (uint32_t i = 0; i < n; i++) {
        uint8_t cx = x->p[i], cy = y->p[i];
        if (cx >= 'A' && cx <= 'Z')
            cx = (uint8_t)(cx + 32);
        if (cy >= 'A' && cy <= 'Z')
            cy = (uint8_t)(cy + 32);
        if (cx != cy)
            return cx < cy ? -1 : 1;
    }
    if (x->len != y->len)
        return x->len < y->len ? -1 : 1;
    return slice_cmp(x, y);
}

static void join_lines(const kslice *lines, uint32_t n, int unique, kbuf *out)
{
    for (uint32_t i = 0; i < n; i++) {
        if (unique && i > 0 && slice_cmp(&lines[i], &lines[i - 1]) == 0)
            continue;
        kbuf_append(out, lines[i].p, lines[i].len);
        kbuf_push(out, '\n');
    }
}

static int check_sorted(const kslice *lines, uint32_t n,
                        int (*cmp)(const void *, const void *, void *))
{
    for (uint32_t i = 1; i < n; i++)
        if (cmp(&lines[i - 1], &lines[i], NULL) > 0)
            return 0;
    return 1;
}

/* ---- the `sort` subcommand --------------------------------------------- */

int cmd_sort(const char *dir, const kbuf *input, uint32_t sa_limit)
{
    uint32_t n;
    kslice *lines = split_lines(input, &n);
    printf("== sort\n");
    printf("lines: %u\n", n);

    int rc = 0;
    kbuf out;
    kbuf_init(&out, input->len + 16);

    merge_sort(lines, n, sizeof *lines, line_cmp, NULL);
    uint64_t cmps = last_comparisons;
    uint32_t uniq = 0, longest_run = 0, run = 0;
    for (uint32_t i = 0; i < n; i++) {
        if (i == 0 || slice_cmp(&lines[i], &lines[i - 1]) != 0) {
            uniq++;
            run = 1;
        } else {
            run++;
        }
        if (run > longest_run)
            longest_run = run;
    }
    printf("bytewise: sorted %s, %llu comparisons, %u unique, most repeated %u times\n",
           check_sorted(lines, n, line_cmp) ? "ok" : "FAILED", (unsigned long long)cmps,
           uniq, longest_run);
    if (n) {
        printf("first: \"");
        print_escaped(lines[0].p, lines[0].len, 48);
        printf("\"\nlast:  \"");
        print_escaped(lines[n - 1].p, lines[n - 1].len, 48);
        printf("\"\n");
    }
    join_lines(lines, n, 0, &out);
    printf("sorted.txt: %u bytes, crc32 %08x\n", out.len, crc32_buf(out.data, out.len));
    char *path = path_join(dir, "sorted.txt");
    rc |= write_file(path, out.data, out.len);
    free(path);

    out.len = 0;
    join_lines(lines, n, 1, &out);
    printf("unique.txt: %u bytes, crc32 %08x\n", out.len, crc32_buf(out.data, out.len));
    path = path_join(dir, "unique.txt");
    rc |= write_file(path, out.data, out.len);
    free(path);

    /* Two more orders, checked and summarized by checksum only. */
    merge_sort(lines, n, sizeof *lines, line_len_cmp, NULL);
    out.len = 0;
    join_lines(lines, n, 0, &out);
    printf("by length: sorted %s, crc32 %08x, shortest %u, longest %u\n",
           check_sorted(lines, n, line_len_cmp) ? "ok" : "FAILED",
           crc32_buf(out.data, out.len), n ? lines[0].len : 0, n ? lines[n - 1].len : 0);
    merge_sort(lines, n, sizeof *lines, line_fold_cmp, NULL);
    out.len = 0;
    join_lines(lines, n, 0, &out);
    printf("case-folded: sorted %s, crc32 %08x\n",
           check_sorted(lines, n, line_fold_cmp) ? "ok" : "FAILED",
           crc32_buf(out.data, out.len));
    kbuf_free(&out);
    free(lines);

    uint32_t sa_n = input->len < sa_limit ? input->len : sa_limit;
    rc |= suffix_report(dir, input->data, sa_n);
    return rc ? 1 : 0;
}
