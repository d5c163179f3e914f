/* The state of tail-call chains (see wk_tail_state in wasmkiln-gen.h), one per thread. */
#include "wasmkiln-gen.h"

#include <pthread.h>
#include <stdlib.h>

_Thread_local wk_tail_state *wk_tail_current;

static pthread_key_t owner;
static pthread_once_t owner_once = PTHREAD_ONCE_INIT;

static void make_owner(void) {
    /* Frees a thread's state when it exits. */
    pthread_key_create(&owner, free);
}

wk_tail_state *wk_tail_new(void) {
    wk_tail_state *state = calloc(1, sizeof *state);
    if (!state) wk_trap_host("out of memory for tail calls");
    pthread_once(&owner_once, make_owner);
    pthread_setspecific(owner, state);
    wk_tail_current = state;
    return state;
}
