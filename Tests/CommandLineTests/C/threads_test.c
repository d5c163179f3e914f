/* Four threads, each with its own instance of calc, call exports, take traps (from
 * generated code, memory faults, the host, the stack limit) and grow memory at the
 * same time. Built with -fsanitize=thread by the test: it must report no race. */
#include "calc.h"
#include <pthread.h>
#include <stdio.h>

enum { THREADS = 4, ROUNDS = 2000 };

static uint32_t host_double(void *context, calc *inst, uint32_t x) {
    (void)inst;
    ++*(uint32_t *)context; /* the thread's own counter */
    return 2 * x;
}

static void host_check(void *context, calc *inst, uint32_t x) {
    (void)context;
    (void)inst;
    if (x % 2) wk_trap_host("odd");
}

static void *work(void *argument) {
    uint32_t *failures = argument;
    uint32_t host_calls = 0;
    calc_imports imports = {.context = &host_calls, .host_double = host_double, .host_check = host_check};
    wk_error error;
    calc *inst = calc_new(&imports, NULL, &error);
    if (!inst) {
        ++*failures;
        return NULL;
    }
    for (uint32_t k = 0; k < ROUNDS; k++) {
        if (calc_add(inst, k, 1) != k + 1) ++*failures;
        if (calc_quadruple(inst, k) != 4 * k) ++*failures;
        uint32_t q;
        if (calc_try_divide(inst, k, k % 7, &q).trap != (k % 7 ? WK_TRAP_NONE : WK_TRAP_DIVIDE_BY_ZERO)) ++*failures;
        if (calc_try_verify(inst, k).trap != (k % 2 ? WK_TRAP_HOST : WK_TRAP_NONE)) ++*failures;
        if (k % 500 == 0 && calc_try_forever(inst, 0, &q).trap != WK_TRAP_CALL_STACK_EXHAUSTED) ++*failures;
        if (k % 250 == 0 && calc_try_sum(inst, 0xFFFFFF00u, 0x100, &q).trap != WK_TRAP_MEMORY_OUT_OF_BOUNDS) ++*failures;
        if (k % 100 == 0) calc_grow(inst, 1);
    }
    if (host_calls != 2 * ROUNDS || calc_memory(inst)->pages != 2 + ROUNDS / 100) ++*failures;
    calc_free(inst);
    return NULL;
}

int main(void) {
    pthread_t threads[THREADS];
    uint32_t failures[THREADS] = {0};
    /* Small stacks: the stack limit must stop `forever` before ThreadSanitizer's own
     * shadow stack (64K frames) overflows. */
    pthread_attr_t attributes;
    pthread_attr_init(&attributes);
    pthread_attr_setstacksize(&attributes, 1 << 20);
    for (int t = 0; t < THREADS; t++) pthread_create(&threads[t], &attributes, work, &failures[t]);
    uint32_t total = 0;
    for (int t = 0; t < THREADS; t++) {
        pthread_join(threads[t], NULL);
        total += failures[t];
    }
    printf("%d threads, %u failures\n", THREADS, total);
    return total != 0;
}
