/* Stack exhaustion: recursion that checks wk_stack_limit the way generated code does
 * traps and the host carries on, on the main thread and on a thread with a small
 * stack; recursion that does not check still traps when it hits the guard. */
#include "check.h"

#include <pthread.h>
#include <sys/resource.h>

static volatile uint64_t never = UINT64_MAX;

typedef struct probe {
    uint64_t depth;
} probe;

/* What a generated function's prologue does. */
__attribute__((noinline)) static uint64_t checked(probe *p, uint64_t n) {
    if ((char *)__builtin_frame_address(0) < wk_stack_limit) wk_trap(WK_TRAP_CALL_STACK_EXHAUSTED);
    volatile char pad[48];
    pad[0] = (char)n;
    p->depth = n;
    if (n == never) return 0;
    return checked(p, n + 1) + (uint64_t)pad[0]; /* not a tail call */
}

__attribute__((noinline)) static uint64_t unchecked(probe *p, uint64_t n) {
    volatile char pad[200];
    pad[0] = (char)n;
    p->depth = n;
    if (n == never) return 0;
    return unchecked(p, n + 1) + (uint64_t)pad[0];
}

static void run_checked(void *context) {
    checked(context, 0);
}

static void run_unchecked(void *context) {
    unchecked(context, 0);
}

static void add_one(void *context) {
    *(int *)context += 1;
}

/* Several exhaustions in a row, each as deep as the last, then ordinary calls. */
static uint64_t exhaust(void) {
    uint64_t first = 0;
    for (int round = 0; round < 3; round++) {
        probe p = {0};
        CHECK_EQ(wk_call_protected(run_checked, &p, NULL), WK_TRAP_CALL_STACK_EXHAUSTED);
        if (round == 0) first = p.depth;
        CHECK_EQ(p.depth, first);
    }
    int runs = 0;
    CHECK_EQ(wk_call_protected(add_one, &runs, NULL), WK_TRAP_NONE);
    CHECK_EQ(runs, 1);
    return first;
}

static void unchecked_traps(void) {
    for (int round = 0; round < 2; round++) {
        probe p = {0};
        CHECK_EQ(wk_call_protected(run_unchecked, &p, NULL), WK_TRAP_CALL_STACK_EXHAUSTED);
        CHECK(p.depth > 100);
    }
}

typedef struct thread_result {
    uint64_t depth, own_limit_depth;
    size_t limit_to_frame;
} thread_result;

static void *small_stack_thread(void *argument) {
    thread_result *result = argument;
    CHECK(wk_stack_limit == NULL);
    result->depth = exhaust();
    char *here = __builtin_frame_address(0);
    CHECK(wk_stack_limit != NULL && wk_stack_limit < here);
    result->limit_to_frame = (size_t)(here - wk_stack_limit);
    unchecked_traps();

    /* An embedder's own limit is kept. */
    wk_stack_limit = here - 16384;
    probe p = {0};
    CHECK_EQ(wk_call_protected(run_checked, &p, NULL), WK_TRAP_CALL_STACK_EXHAUSTED);
    CHECK(wk_stack_limit == here - 16384);
    result->own_limit_depth = p.depth;
    return NULL;
}

int main(void) {
    test_start();
    CHECK(wk_stack_limit == NULL);
    uint64_t depth = exhaust();
    char *here = __builtin_frame_address(0);
    CHECK(wk_stack_limit != NULL && wk_stack_limit < here);
    printf("main: depth %llu, limit %zu KiB below main's frame\n", (unsigned long long)depth,
           (size_t)(here - wk_stack_limit) >> 10);
    CHECK(depth > 1000);
    OK("main thread");

    struct rlimit limit;
    CHECK(getrlimit(RLIMIT_STACK, &limit) == 0);
    if (limit.rlim_cur != RLIM_INFINITY && limit.rlim_cur <= ((rlim_t)64 << 20)) {
        unchecked_traps();
        OK("main thread unchecked");
    } else {
        OK("main thread unchecked (skipped: large stack limit)");
    }

    pthread_attr_t attr;
    pthread_attr_init(&attr);
    CHECK(pthread_attr_setstacksize(&attr, 256 << 10) == 0);
    for (int i = 0; i < 3; i++) {
        pthread_t thread;
        thread_result result = {0};
        CHECK(pthread_create(&thread, &attr, small_stack_thread, &result) == 0);
        CHECK(pthread_join(thread, NULL) == 0);
        if (i == 0) {
            printf("small thread: depth %llu, limit %zu KiB below its frame, own limit depth %llu\n",
                   (unsigned long long)result.depth, result.limit_to_frame >> 10,
                   (unsigned long long)result.own_limit_depth);
        }
        CHECK(result.depth > 100);
        CHECK(result.limit_to_frame > (64 << 10) && result.limit_to_frame < (256 << 10));
        CHECK(result.own_limit_depth > 10 && result.own_limit_depth < result.depth);
    }
    pthread_attr_destroy(&attr);
    OK("small thread");

    CHECK(exhaust() == depth); /* the main thread is still fine */
    OK("main thread again");
    return 0;
}
