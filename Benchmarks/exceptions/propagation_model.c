/* A C model of hot.wat's $step (100 million calls) under ways of lowering exceptions,
   to price them before building one:
     0 setjmp  a jump buffer per call of step, a throw is a longjmp (the lowering before)
     1 flag    a throw sets a thread-local and returns; callers check it after each call
               that may throw and go to the try's handler code (the lowering now)
     2 plain   the flag scheme without the try (calls may still throw, as in hot-plain)
     3 none    no exception code at all
   gcc -O2 -o /tmp/propagation Benchmarks/exceptions/propagation_model.c
   for k in 0 1 2 3; do /tmp/propagation $k; done */
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

typedef struct handler { jmp_buf jump; struct handler *previous; } handler;
static __thread handler *handlers;
static __thread void *thrown;
static __thread int caught_value;

static inline uint32_t rotl(uint32_t x, int n) { return (x << n) | (x >> (32 - n)); }

/* setjmp scheme: throw = longjmp */
__attribute__((noinline, noreturn)) static void throw_jump(int v) { caught_value = v; longjmp(handlers->jump, 1); }
static inline uint32_t mix_jump(uint32_t h, uint32_t x) {
    if (x == 0xffffffffu) throw_jump((int)h);
    return rotl(h ^ x, 13) * 0x9e3779b1u;
}
__attribute__((noinline)) uint32_t step_jump(uint32_t h, uint32_t i) {
    handler hd; volatile uint32_t vt = 0; uint32_t t = 0;
    hd.previous = handlers;
    if (_setjmp(hd.jump)) { t = vt; return (uint32_t)caught_value; }
    handlers = &hd;
    vt = t; t = mix_jump(h, i);
    if (t == 0x7fffffffu) { handlers = hd.previous; return t; }
    vt = t; t = mix_jump(t, i >> 3);
    handlers = hd.previous;
    return t;
}

/* flag scheme */
__attribute__((noinline, cold)) static void *new_exception(int v) { int *e = malloc(sizeof *e); *e = v; return e; }
static inline uint32_t mix_flag(uint32_t h, uint32_t x) {
    if (x == 0xffffffffu) { thrown = new_exception((int)h); return 0; }
    return rotl(h ^ x, 13) * 0x9e3779b1u;
}
static inline uint32_t step_flag(uint32_t h, uint32_t i) {
    uint32_t t = mix_flag(h, i);
    if (__builtin_expect(thrown != 0, 0)) goto H;
    if (t == 0x7fffffffu) return t;
    t = mix_flag(t, i >> 3);
    if (__builtin_expect(thrown != 0, 0)) goto H;
    return t;
H:  { int *e = thrown; thrown = 0; t = (uint32_t)*e; free(e); return t; }
}
/* plain: no try; a throw propagates by return */
static inline uint32_t step_plain(uint32_t h, uint32_t i) {
    uint32_t t = mix_flag(h, i);
    if (__builtin_expect(thrown != 0, 0)) return 0;
    t = mix_flag(t, i >> 3);
    if (__builtin_expect(thrown != 0, 0)) return 0;
    return t;
}

/* none: calls that cannot throw (a module without exceptions) */
static inline uint32_t mix_none(uint32_t h, uint32_t x) { return rotl(h ^ x, 13) * 0x9e3779b1u; }
static inline uint32_t step_none(uint32_t h, uint32_t i) { return mix_none(mix_none(h, i), i >> 3); }

static double now(void) { struct timespec ts; clock_gettime(CLOCK_MONOTONIC, &ts); return ts.tv_sec + ts.tv_nsec * 1e-9; }

int main(int argc, char **argv) {
    int which = argc > 1 ? atoi(argv[1]) : 0;
    uint32_t h = 7; double t0 = now();
    for (uint32_t i = 0; i < 100000000u; i++) {
        if (which == 0) h = step_jump(h, i);
        else if (which == 1) { h = step_flag(h, i); }
        else if (which == 2) { h = step_plain(h, i); if (thrown) return 1; }
        else h = step_none(h, i);
    }
    printf("%s %.3f s checksum %08x\n", which == 0 ? "setjmp" : which == 1 ? "flag  " : which == 2 ? "plain " : "none  ", now() - t0, h);
    return 0;
}
