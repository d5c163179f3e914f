/* Shared by wasmkiln_call.c and wasm2c_call.c: one way to time a call in a loop. */
#ifndef BENCH_TIMING_H
#define BENCH_TIMING_H
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static double now_ns(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec * 1e9 + (double)t.tv_nsec;
}

/* The number of calls per variant: argv[1], or 20 million. */
static long calls_arg(int argc, char **argv) {
    long n = argc > 1 ? strtol(argv[1], NULL, 10) : 20000000;
    return n > 0 ? n : 20000000;
}

/* Runs STMT N times after a warm-up of N/10 and prints "LABEL<tab>ns per call".
 * The empty asm with a memory clobber stops the compiler from merging, hoisting or
 * dropping iterations even if it could see into the callee. */
#define TIME_CALLS(label, n, stmt)                                          \
    do {                                                                    \
        for (long i_ = 0; i_ < (n) / 10; i_++) {                            \
            stmt;                                                           \
            __asm__ volatile("" ::: "memory");                              \
        }                                                                   \
        double start_ = now_ns();                                           \
        for (long i_ = 0; i_ < (n); i_++) {                                 \
            stmt;                                                           \
            __asm__ volatile("" ::: "memory");                              \
        }                                                                   \
        printf("%s\t%.3f\n", (label), (now_ns() - start_) / (double)(n));   \
    } while (0)

#endif
