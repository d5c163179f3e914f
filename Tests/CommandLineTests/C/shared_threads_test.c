/* Threads on one shared memory, each through its own instance of counter_shared: 8
 * threads make INCREMENTS atomic increments each, then two threads play ping-pong
 * with wait/notify for ROUNDS exchanges each. The counts must come out exact. Built
 * with -fsanitize=thread by one of the tests: it must report no race. Prints
 * "increments N, exchanges M, turn T". */
#include "counter_shared.h"
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>

enum { THREADS = 8 };

typedef struct {
    wk_memory *memory;
    uint32_t increments;
    uint32_t mine, next, rounds; /* for play */
    int failed;
} job;

static counter_shared *instance_for(job *work) {
    counter_shared_imports imports = {.env_memory = work->memory};
    wk_error error;
    counter_shared *inst = counter_shared_new(&imports, NULL, &error);
    if (!inst) {
        fprintf(stderr, "instantiation failed: %s\n", error.message);
        work->failed = 1;
    }
    return inst;
}

static void *add(void *argument) {
    job *work = argument;
    counter_shared *inst = instance_for(work);
    if (!inst) return NULL;
    if (counter_shared_try_add(inst, work->increments).trap != WK_TRAP_NONE) work->failed = 1;
    counter_shared_free(inst);
    return NULL;
}

static void *play(void *argument) {
    job *work = argument;
    counter_shared *inst = instance_for(work);
    if (!inst) return NULL;
    if (counter_shared_try_play(inst, work->mine, work->next, work->rounds).trap != WK_TRAP_NONE) work->failed = 1;
    counter_shared_free(inst);
    return NULL;
}

int main(int argc, char **argv) {
    uint32_t increments = argc > 1 ? (uint32_t)strtoul(argv[1], NULL, 10) : 10000000;
    uint32_t rounds = argc > 2 ? (uint32_t)strtoul(argv[2], NULL, 10) : 100000;
    wk_bounds_mode mode = argc > 3 && argv[3][0] == 'e' ? WK_BOUNDS_EXPLICIT : WK_BOUNDS_GUARD;
    wk_memory *memory = wk_memory_new_shared(1, 1, mode);
    if (!memory) return 2;

    pthread_t threads[THREADS];
    job jobs[THREADS];
    for (int k = 0; k < THREADS; k++) {
        jobs[k] = (job){.memory = memory, .increments = increments};
        pthread_create(&threads[k], NULL, add, &jobs[k]);
    }
    for (int k = 0; k < THREADS; k++) pthread_join(threads[k], NULL);

    job players[2] = {{.memory = memory, .mine = 0, .next = 1, .rounds = rounds},
                      {.memory = memory, .mine = 1, .next = 0, .rounds = rounds}};
    for (int k = 0; k < 2; k++) pthread_create(&threads[k], NULL, play, &players[k]);
    for (int k = 0; k < 2; k++) pthread_join(threads[k], NULL);

    int failed = players[0].failed || players[1].failed;
    for (int k = 0; k < THREADS; k++) failed |= jobs[k].failed;
    job reader = {.memory = memory};
    counter_shared *inst = instance_for(&reader);
    if (!inst || failed) return 1;
    printf("increments %u, exchanges %u, turn %u\n", counter_shared_read(inst, 0), counter_shared_read(inst, 16),
           counter_shared_read(inst, 8));
    counter_shared_free(inst);
    wk_memory_free(memory);
    return 0;
}
