/* A tiny freestanding libc, ours, just enough for the programs in Benchmarks/programs.
 *
 * There is no wasm64 libc on this machine, so the memory64 benchmark links
 * every program, for wasm32 and wasm64 alike, with this file instead of
 * wasi-libc: both builds then run exactly the same library code, and the
 * only difference between them is the width of addresses.
 *
 * The program is compiled with -Dmain=bench_main; the module exports
 * `long long run(void)`, which calls it and returns the checksum its
 * `printf("checksum: %016llx\n", ...)` stored. Every error path (exit,
 * abort, fprintf to stderr, an unexpected printf) traps.
 *
 * mem* functions use clang's __builtin_mem*, which -mbulk-memory lowers to
 * memory.copy / memory.fill instructions rather than calls back into
 * memcpy / memset (build.sh checks the disassembly for that).
 */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <math.h>

/* ---- stdio: the checksum line, nothing else ------------------------------- */

struct shim_file { int unused; };
static struct shim_file out_file, err_file;
FILE *const stdout = &out_file;
FILE *const stderr = &err_file;

static unsigned long long checksum;
static int checksum_set;

static int streq(const char *a, const char *b) {
    while (*a && *a == *b) a++, b++;
    return *a == *b;
}

int printf(const char *fmt, ...) {
    if (!streq(fmt, "checksum: %016llx\n")) __builtin_trap();
    va_list ap;
    va_start(ap, fmt);
    checksum = va_arg(ap, unsigned long long);
    va_end(ap);
    checksum_set = 1;
    return 27; /* the length of the line it would have printed */
}

int fprintf(FILE *f, const char *fmt, ...) {
    (void)f, (void)fmt;
    __builtin_trap(); /* only used on the programs' error paths */
}

/* what clang makes of fprintf(stderr, "constant text") and the like */
size_t fwrite(const void *p, size_t size, size_t n, FILE *f) {
    (void)p, (void)size, (void)n, (void)f;
    __builtin_trap();
}

int fputs(const char *s, FILE *f) {
    (void)s, (void)f;
    __builtin_trap();
}

int fputc(int c, FILE *f) {
    (void)c, (void)f;
    __builtin_trap();
}

_Noreturn void exit(int status) {
    (void)status;
    __builtin_trap(); /* the programs call exit only on errors */
}

_Noreturn void abort(void) { __builtin_trap(); }

/* ---- the entry point -------------------------------------------------------- */

int bench_main(void);

long long run(void) {
    checksum_set = 0;
    if (bench_main() != 0 || !checksum_set) __builtin_trap();
    return (long long)checksum;
}

/* ---- malloc: segregated free lists over a bump-allocated heap --------------- *
 *
 * Every block starts with a 16-byte header (so payloads stay 16-byte aligned)
 * that holds its size class and, while the block is free, the next free block
 * of that class. Block sizes are multiples of 16 up to 1 KiB, then four
 * classes per power of two (at most 25% slack). Freed blocks go on their
 * class's list and are reused only for that class: malloc and free are O(1),
 * and nothing is ever coalesced or returned (the programs are short-lived).
 */

#define HEADER 16
#define SMALL_MAX 1024
#define SIZE_BITS (8 * sizeof(size_t))
#define CLASSES (SMALL_MAX / 16 + 1 + 4 * SIZE_BITS)

typedef struct block {
    size_t cls;         /* size class */
    struct block *next; /* next free block of the class, while free */
} block;

_Static_assert(sizeof(block) <= HEADER, "header too small");

static block *free_list[CLASSES];
extern unsigned char __heap_base; /* set by wasm-ld: end of data and stack */
/* 64-bit even on wasm32, where the end of a full memory is 2^32 */
static unsigned long long heap_next, heap_end;

/* the class of a block of `total` bytes (header included), total >= 1 */
static size_t class_of(size_t total) {
    if (total <= SMALL_MAX) return (total + 15) / 16;
    size_t k = SIZE_BITS - 1 - (size_t)__builtin_clzl(total - 1); /* 2^k < total <= 2^(k+1) */
    size_t quarter = (size_t)1 << (k - 2);
    size_t step = (total - ((size_t)1 << k) + quarter - 1) / quarter; /* 1..4 */
    return SMALL_MAX / 16 + (k - 10) * 4 + step;
}

static unsigned long long class_size(size_t cls) {
    if (cls <= SMALL_MAX / 16) return 16ull * cls;
    size_t k = 10 + (cls - SMALL_MAX / 16 - 1) / 4, step = (cls - SMALL_MAX / 16 - 1) % 4 + 1;
    return (1ull << k) + step * (1ull << (k - 2));
}

/* carves `bytes` off the top of the heap, growing memory when needed */
static void *heap_take(unsigned long long bytes) {
    if (heap_next == 0) {
        heap_next = ((uintptr_t)&__heap_base + 15) & ~(uintptr_t)15;
        heap_end = (unsigned long long)__builtin_wasm_memory_size(0) * 65536;
    }
    if (heap_next + bytes > heap_end) {
        unsigned long long pages = (heap_next + bytes - heap_end + 65535) / 65536;
        /* grow by at least 1 MiB, so a long run of small blocks grows rarely */
        unsigned long long want = pages < 16 ? 16 : pages;
        if (__builtin_wasm_memory_grow(0, (size_t)want) == (size_t)-1) {
            want = pages;
            if (__builtin_wasm_memory_grow(0, (size_t)want) == (size_t)-1) return NULL;
        }
        heap_end += want * 65536;
    }
    void *p = (void *)(uintptr_t)heap_next;
    heap_next += bytes;
    return p;
}

void *malloc(size_t n) {
    if (n > SIZE_MAX / 4) return NULL; /* keeps the class arithmetic in range */
    size_t cls = class_of(n + HEADER);
    block *b = free_list[cls];
    if (b) {
        free_list[cls] = b->next;
    } else {
        b = heap_take(class_size(cls));
        if (!b) return NULL;
        b->cls = cls;
    }
    return (unsigned char *)b + HEADER;
}

void free(void *p) {
    if (!p) return;
    block *b = (block *)((unsigned char *)p - HEADER);
    b->next = free_list[b->cls];
    free_list[b->cls] = b;
}

void *calloc(size_t count, size_t size) {
    /* overflow check by bit counts: clang turns `count > SIZE_MAX / size`
       into a 128-bit multiply on wasm64, which needs compiler-rt's __multi3 */
    if (count && size && (SIZE_BITS - (size_t)__builtin_clzl(count)) +
                                 (SIZE_BITS - (size_t)__builtin_clzl(size)) > SIZE_BITS)
        return NULL; /* too big even if the product fits: malloc wants <= SIZE_MAX / 4 */
    void *p = malloc(count * size);
    if (p) __builtin_memset(p, 0, count * size); /* a reused block is not zero */
    return p;
}

void *realloc(void *p, size_t n) {
    if (!p) return malloc(n);
    block *b = (block *)((unsigned char *)p - HEADER);
    size_t room = (size_t)class_size(b->cls) - HEADER;
    if (n <= room) return p; /* still fits its block */
    void *q = malloc(n);
    if (!q) return NULL;
    __builtin_memcpy(q, p, room);
    free(p);
    return q;
}

/* ---- string.h ----------------------------------------------------------------- */

void *memcpy(void *restrict dst, const void *restrict src, size_t n) {
    __builtin_memcpy(dst, src, n); /* memory.copy */
    return dst;
}

void *memmove(void *dst, const void *src, size_t n) {
    __builtin_memmove(dst, src, n); /* memory.copy handles overlap */
    return dst;
}

void *memset(void *dst, int c, size_t n) {
    __builtin_memset(dst, c, n); /* memory.fill */
    return dst;
}

int memcmp(const void *a, const void *b, size_t n) {
    const unsigned char *p = a, *q = b;
    for (size_t i = 0; i < n; i++)
        if (p[i] != q[i]) return p[i] < q[i] ? -1 : 1;
    return 0;
}

size_t strlen(const char *s) {
    const char *e = s;
    while (*e) e++;
    return (size_t)(e - s);
}

char *strcpy(char *restrict dst, const char *restrict src) {
    __builtin_memcpy(dst, src, strlen(src) + 1);
    return dst;
}

char *strcat(char *restrict dst, const char *restrict src) {
    strcpy(dst + strlen(dst), src);
    return dst;
}

char *strchr(const char *s, int c) {
    for (;; s++) {
        if (*s == (char)c) return (char *)s;
        if (!*s) return NULL;
    }
}

char *strstr(const char *haystack, const char *needle) {
    size_t n = strlen(needle);
    if (n == 0) return (char *)haystack;
    for (; (haystack = strchr(haystack, needle[0])) != NULL; haystack++)
        if (memcmp(haystack, needle, n) == 0) return (char *)haystack;
    return NULL;
}

size_t strspn(const char *s, const char *accept) {
    size_t i = 0;
    while (s[i] && strchr(accept, s[i])) i++;
    return i;
}

size_t strcspn(const char *s, const char *reject) {
    size_t i = 0;
    while (s[i] && !strchr(reject, s[i])) i++;
    return i;
}

/* ---- math.h ------------------------------------------------------------------- */

double sqrt(double x) { return __builtin_sqrt(x); } /* f64.sqrt */

/* ---- qsort: introsort (quicksort, heapsort past 2 log2 n levels) ----------- */

typedef int (*cmp_fn)(const void *, const void *);

static void swap(char *a, char *b, size_t size) {
    size_t i = 0;
    /* 4 bytes at a time: the programs sort 4- and 16-byte elements */
    for (; i + 4 <= size; i += 4) {
        uint32_t x, y;
        __builtin_memcpy(&x, a + i, 4);
        __builtin_memcpy(&y, b + i, 4);
        __builtin_memcpy(a + i, &y, 4);
        __builtin_memcpy(b + i, &x, 4);
    }
    for (; i < size; i++) {
        char t = a[i];
        a[i] = b[i];
        b[i] = t;
    }
}

static void sift_down(char *base, size_t root, size_t n, size_t size, cmp_fn cmp) {
    for (;;) {
        size_t child = 2 * root + 1;
        if (child >= n) return;
        if (child + 1 < n && cmp(base + child * size, base + (child + 1) * size) < 0) child++;
        if (cmp(base + root * size, base + child * size) >= 0) return;
        swap(base + root * size, base + child * size, size);
        root = child;
    }
}

static void heap_sort(char *base, size_t n, size_t size, cmp_fn cmp) {
    for (size_t i = n / 2; i-- > 0;) sift_down(base, i, n, size, cmp);
    for (size_t end = n; end-- > 1;) {
        swap(base, base + end * size, size);
        sift_down(base, 0, end, size, cmp);
    }
}

static void intro_sort(char *base, size_t n, size_t size, cmp_fn cmp, int depth) {
    while (n > 16) {
        if (depth-- == 0) {
            heap_sort(base, n, size, cmp);
            return;
        }
        /* median of three: afterwards first <= middle <= last */
        char *mid = base + (n / 2) * size, *last = base + (n - 1) * size;
        if (cmp(mid, base) < 0) swap(mid, base, size);
        if (cmp(last, mid) < 0) {
            swap(last, mid, size);
            if (cmp(mid, base) < 0) swap(mid, base, size);
        }
        swap(base, mid, size); /* the pivot goes first; `last` (>= pivot) stops the upward scan */
        /* Hoare partition around base[0] */
        size_t i = 0, j = n;
        for (;;) {
            do i++; while (cmp(base + i * size, base) < 0);
            do j--; while (cmp(base, base + j * size) < 0);
            if (i >= j) break;
            swap(base + i * size, base + j * size, size);
        }
        swap(base, base + j * size, size); /* the pivot to its place, j */
        /* recurse into the smaller side, loop on the larger: O(log n) stack */
        char *right = base + (j + 1) * size;
        size_t nl = j, nr = n - j - 1;
        if (nl < nr) {
            intro_sort(base, nl, size, cmp, depth);
            base = right, n = nr;
        } else {
            intro_sort(right, nr, size, cmp, depth);
            n = nl;
        }
    }
    /* insertion sort for short runs */
    for (size_t i = 1; i < n; i++)
        for (size_t j = i; j > 0 && cmp(base + (j - 1) * size, base + j * size) > 0; j--)
            swap(base + (j - 1) * size, base + j * size, size);
}

void qsort(void *base, size_t n, size_t size, cmp_fn cmp) {
    int depth = 0;
    for (size_t m = n; m > 1; m >>= 1) depth += 2;
    intro_sort(base, n, size, cmp, depth);
}
