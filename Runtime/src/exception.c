/* Wasm exceptions: the pending exception (see Exceptions in wasmkiln-gen.h), thrown by
 * the host, and exceptions that leave a protected call. */
#include "internal.h"

#include "wasmkiln-gen.h"

#include <stdlib.h>

__thread wk_exception *wk_pending;
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

void wk_throw(const wk_tag *tag, const wk_value *values, uint32_t count) {
    wk_exception *exception = wk_exception_new(tag, count);
    for (uint32_t k = 0; k < count; k++) exception->values[k] = values[k];
    /* A second throw before returning replaces the first. */
    if (wk_pending) wk_exception_done(wk_pending);
    wk_pending = exception;
}

const wk_exception *wk_uncaught_exception(void) {
    return uncaught;
}

WK_HIDDEN wk_exception *wkrt_exceptions_enter(void) {
    return wk_take_pending();
}

WK_HIDDEN wk_trap_code wkrt_exceptions_leave(wk_exception *outer, wk_trap_code code) {
    wk_exception *left = wk_take_pending();
    wk_pending = outer;
    if (!left) return code;
    /* A trap after a host function's wk_throw ends the call as the trap. */
    if (code != WK_TRAP_NONE) {
        wk_exception_done(left);
        return code;
    }
    if (uncaught && uncaught != left) wk_exception_done(uncaught);
    uncaught = left;
    wkrt_record_trap(&wkrt_thread_state, NULL, NULL, false);
    return WK_TRAP_EXCEPTION;
}
