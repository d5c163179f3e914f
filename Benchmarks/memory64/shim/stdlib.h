/* Our freestanding stdlib.h for the memory64 benchmark (see shim.c). */
#ifndef SHIM_STDLIB_H
#define SHIM_STDLIB_H

#include <stddef.h> /* clang's own: size_t, NULL */

#define EXIT_SUCCESS 0
#define EXIT_FAILURE 1

void *malloc(size_t n);
void *calloc(size_t count, size_t size);
void *realloc(void *p, size_t n);
void free(void *p);
void qsort(void *base, size_t n, size_t size, int (*cmp)(const void *, const void *));
_Noreturn void exit(int status); /* traps: the programs exit only on errors */
_Noreturn void abort(void);

#endif
