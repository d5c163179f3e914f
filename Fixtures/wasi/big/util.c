/* util.c: allocation, growable buffers, files, an arena and output helpers. */
#include "ktool.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void kx_die(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fputs("ktool: ", stderr);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
    fflush(stdout);
    exit(2);
}

void *kx_malloc(size_t n)
{
    void *p = malloc(n ? n : 1);
    if (!p)
        kx_die("out of memory (%lu bytes)", (unsigned long)n);
    return p;
}

void *kx_calloc(size_t n, size_t size)
{
    void *p = calloc(n ? n : 1, size ? size : 1);
    if (!p)
        kx_die("out of memory (%lu x %lu bytes)", (unsigned long)n, (unsigned long)size);
    return p;
}

void *kx_realloc(void *p, size_t n)
{
    void *q = realloc(p, n ? n : 1);
    if (!q)
        kx_die("out of memory (realloc to %lu bytes)", (unsigned long)n);
    return q;
}

/* ---- kbuf ------------------------------------------------------------ */

void kbuf_init(kbuf *b, uint32_t cap)
{
    b->cap = cap ? cap : 16;
    b->len = 0;
    b->data = kx_malloc(b->cap);
}

void kbuf_free(kbuf *b)
{
    free(b->data);
    b->data = NULL;
    b->len = b->cap = 0;
}

void kbuf_reserve(kbuf *b, uint32_t extra)
{
    uint64_t need = (uint64_t)b->len + extra;
    if (need <= b->cap)
        return;
    if (need > 0xFFFFFFF0u)
        kx_die("buffer too large");
    uint64_t cap = b->cap ? b->cap : 16;
    while (cap < need)
        cap = cap * 3 / 2 + 16;
    if (cap > 0xFFFFFFF0u)
        cap = 0xFFFFFFF0u;
    b->data = kx_realloc(b->data, (size_t)cap);
    b->cap = (uint32_t)cap;
}

void kbuf_push(kbuf *b, uint8_t byte)
{
    if (b->len == b->cap)
        kbuf_reserve(b, 1);
    b->data[b->len++] = byte;
}

void kbuf_append(kbuf *b, const void *p, uint32_t n)
{
    kbuf_reserve(b, n);
    memcpy(b->data + b->len, p, n);
    b->len += n;
}

void kbuf_put_u32le(kbuf *b, uint32_t v)
{
    uint8_t t[4];
    t[0] = (uint8_t)v;
    t[1] = (uint8_t)(v >> 8);
    t[2] = (uint8_t)(v >> 16);
    t[3] = (uint8_t)(v >> 24);
    kbuf_append(b, t, 4);
}

void kbuf_put_str(kbuf *b, const char *s)
{
    kbuf_append(b, s, (uint32_t)strlen(s));
}

void kbuf_put_dec(kbuf *b, uint64_t v)
{
    char tmp[24];
    int i = 0;
    do {
        tmp[i++] = (char)('0' + v % 10);
        v /= 10;
    } while (v);
    while (i > 0)
        kbuf_push(b, (uint8_t)tmp[--i]);
}

uint32_t get_u32le(const uint8_t *p)
{
    return (uint32_t)p[0] | ((uint32_t)p[1] << 8) | ((uint32_t)p[2] << 16) |
           ((uint32_t)p[3] << 24);
}

/* ---- files ----------------------------------------------------------- */

int read_file(const char *path, kbuf *out)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        fprintf(stderr, "ktool: cannot open %s: %s\n", path, strerror(errno));
        return -1;
    }
    kbuf_init(out, 1u << 16);
    for (;;) {
        kbuf_reserve(out, 1u << 16);
        size_t got = fread(out->data + out->len, 1, out->cap - out->len, f);
        out->len += (uint32_t)got;
        if (got == 0) {
            if (ferror(f)) {
                fprintf(stderr, "ktool: read error on %s\n", path);
                fclose(f);
                return -1;
            }
            break;
        }
    }
    fclose(f);
    return 0;
}

int write_file(const char *path, const uint8_t *data, uint32_t len)
{
    FILE *f = fopen(path, "wb");
    if (!f) {
        fprintf(stderr, "ktool: cannot create %s: %s\n", path, strerror(errno));
        return -1;
    }
    uint32_t off = 0;
    while (off < len) {
        uint32_t chunk = len - off;
        if (chunk > (1u << 20))
            chunk = 1u << 20;
        size_t put = fwrite(data + off, 1, chunk, f);
        if (put != chunk) {
            fprintf(stderr, "ktool: write error on %s\n", path);
            fclose(f);
            return -1;
        }
        off += chunk;
    }
    if (fclose(f) != 0) {
        fprintf(stderr, "ktool: close error on %s\n", path);
        return -1;
    }
    return 0;
}

char *path_join(const char *dir, const char *name)
{
    size_t a = strlen(dir), b = strlen(name);
    char *p = kx_malloc(a + b + 2);
    memcpy(p, dir, a);
    size_t at = a;
    if (a == 0 || dir[a - 1] != '/')
        p[at++] = '/';
    memcpy(p + at, name, b + 1);
    return p;
}

/* ---- arena ----------------------------------------------------------- */

struct karena_chunk {
    karena_chunk *next;
    uint32_t used;
    uint32_t size;
    uint8_t data[];
};

#define KARENA_CHUNK (256u * 1024u)

void karena_init(karena *a)
{
    a->head = NULL;
    a->used_total = 0;
}

void *karena_alloc(karena *a, uint32_t n)
{
    n = (n + 7u) & ~7u;
    karena_chunk *c = a->head;
    if (!c || c->size - c->used < n) {
        uint32_t size = n > KARENA_CHUNK ? n : KARENA_CHUNK;
        c = kx_malloc(sizeof(karena_chunk) + size);
        c->next = a->head;
        c->used = 0;
        c->size = size;
        a->head = c;
    }
    void *p = c->data + c->used;
    c->used += n;
    a->used_total += n;
    return p;
}

void karena_free(karena *a)
{
    karena_chunk *c = a->head;
    while (c) {
        karena_chunk *next = c->next;
        free(c);
        c = next;
    }
    a->head = NULL;
    a->used_total = 0;
}

/* ---- formatting ------------------------------------------------------ */

/* num/den as a percentage with two decimals, rounded half up: "37.25%". */
void fmt_ratio(char *out, size_t outsz, uint64_t num, uint64_t den)
{
    if (den == 0) {
        snprintf(out, outsz, "n/a");
        return;
    }
    uint64_t hundredths = (num * 10000u + den / 2) / den;
    snprintf(out, outsz, "%llu.%02llu%%", (unsigned long long)(hundredths / 100),
             (unsigned long long)(hundredths % 100));
}

void print_hex_bytes(const uint8_t *p, uint32_t n)
{
    static const char hex[] = "0123456789abcdef";
    for (uint32_t i = 0; i < n; i++) {
        putchar(hex[p[i] >> 4]);
        putchar(hex[p[i] & 15]);
    }
}

/* Prints at most max bytes of p, with non-printable bytes as \xNN. */
void print_escaped(const uint8_t *p, uint32_t n, uint32_t max)
{
    uint32_t shown = n < max ? n : max;
    for (uint32_t i = 0; i < shown; i++) {
        uint8_t c = p[i];
        if (c == '\\')
            fputs("\\\\", stdout);
        else if (c == '\n')
            fputs("\\n", stdout);
        else if (c >= 0x20 && c < 0x7f)
            putchar(c);
        else
            printf("\\x%02x", c);
    }
    if (shown < n)
        fputs("...", stdout);
}
