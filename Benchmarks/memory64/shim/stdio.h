/* Our freestanding stdio.h for the memory64 benchmark (see shim.c). */
#ifndef SHIM_STDIO_H
#define SHIM_STDIO_H

#include <stddef.h>

typedef struct shim_file FILE;
extern FILE *const stdout;
extern FILE *const stderr;

/* Only `printf("checksum: %016llx\n", x)` is supported; anything else traps. */
int printf(const char *fmt, ...);
/* The programs only use fprintf(stderr, ...) on error paths: it traps. */
int fprintf(FILE *f, const char *fmt, ...);
/* clang turns fprintf(stderr, "text") into these: they trap too. */
size_t fwrite(const void *p, size_t size, size_t n, FILE *f);
int fputs(const char *s, FILE *f);
int fputc(int c, FILE *f);

#endif
