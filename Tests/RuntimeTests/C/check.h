/* A tiny harness for the runtime's C tests: CHECK stops at the first failure, OK
 * reports a passed case. The Swift side reads the "ok" lines and the exit status. */
#ifndef CHECK_H
#define CHECK_H

#include <stdio.h>
#include <stdlib.h>

#include "wasmkiln.h"

#define CHECK(condition)                                                                \
    do {                                                                                \
        if (!(condition)) {                                                             \
            printf("FAIL %s:%d: %s\n", __FILE__, __LINE__, #condition);                \
            exit(1);                                                                    \
        }                                                                               \
    } while (0)

#define CHECK_EQ(actual, expected)                                                      \
    do {                                                                                \
        unsigned long long a_ = (unsigned long long)(actual);                           \
        unsigned long long e_ = (unsigned long long)(expected);                         \
        if (a_ != e_) {                                                                 \
            printf("FAIL %s:%d: %s is %llu, expected %llu\n", __FILE__, __LINE__,       \
                   #actual, a_, e_);                                                    \
            exit(1);                                                                    \
        }                                                                               \
    } while (0)

#define OK(name) printf("ok %s\n", name)

/* Unbuffered, so that output survives fork and crashes in order. */
static inline void test_start(void) {
    setvbuf(stdout, NULL, _IONBF, 0);
}

#endif
