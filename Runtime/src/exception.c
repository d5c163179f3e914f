/* Wasm exceptions: throwing to the innermost handler (see Exceptions in wasmkiln-gen.h),
 * and exceptions that leave a protected call. */
#include "internal.h"

#include "wasmkiln-gen.h"

#include <stdio.h>
#include <stdlib.h>

__thread wk_handler *wk_handlers;
__thread wk_exception *wk_caught;
/* The exception that last left a protected call, kept for wk_uncaught_exception. */
static __thread wk_exception *uncaught;

wk_exception *wk_exception_new(const wk_tag *tag, uint32_t count) {
    wk_exception *exception = malloc(sizeof *exception + (size_t)count * sizeof(wk_value));
    if (!exception) wk_trap_host("out of memory for an exception");
    exception->tag = tag;
    exception->count = count;
    exception->retained = false;
    return exception;
}

void wk_throw_exception(wk_exception *exception) {
    wk_handler *handler = wk_handlers;
    if (!handler) {
        /* No handler inside the current protected call: it ends with the exception. */
        if (uncaught && uncaught != exception) wk_exception_done(uncaught);
        uncaught = exception;
        wkrt_thread_state.trap_address = NULL;
        if (!wkrt_thread_state.frame) {
            fprintf(stderr, "uncaught exception: %s\n", exception->tag->name ? exception->tag->name : "(unnamed tag)");
            abort();
        }
        wkrt_unwind(WK_TRAP_EXCEPTION);
    }
    wk_handlers = handler->previous;
    wk_caught = exception;
    longjmp(handler->jump, 1);
}

void wk_throw(const wk_tag *tag, const wk_value *values, uint32_t count) {
    wk_exception *exception = wk_exception_new(tag, count);
    for (uint32_t k = 0; k < count; k++) exception->values[k] = values[k];
    wk_throw_exception(exception);
}

const wk_exception *wk_uncaught_exception(void) {
    return uncaught;
}

WK_HIDDEN void *wkrt_handlers_enter(void) {
    wk_handler *outer = wk_handlers;
    wk_handlers = NULL;
    return outer;
}

WK_HIDDEN void wkrt_handlers_leave(void *outer) {
    wk_handlers = outer;
}
