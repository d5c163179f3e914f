/* Wasm exceptions and the host (exceptions.wat): a host import throws with wk_throw; Wasm
 * catches it, directly and through call_indirect, or the typed API's try_ call returns it
 * with its tag and value, and the instance goes on. Prints what it sees; the test
 * compares. */
#include "exceptions.h"
#include <stdio.h>

/* Negative numbers are errors: thrown as Wasm exceptions of the module's tag. */
static uint32_t parse(void *context, exceptions *inst, uint32_t x) {
    (void)context;
    if ((int32_t)x < 0) {
        wk_value value = {.i32 = x * 2};
        wk_throw(exceptions_failure(inst), &value, 1);
        return 0; /* ignored: the exception goes on from here */
    }
    return x + 1;
}

int main(void) {
    exceptions_imports imports = {.host_parse = parse};
    wk_error error;
    exceptions *inst = exceptions_new(&imports, NULL, &error);
    if (!inst) {
        printf("error: %s\n", error.message);
        return 1;
    }
    uint32_t value = 0;
    wk_result r = exceptions_try_guarded(inst, 5, &value);
    printf("guarded(5): trap %d, %d\n", (int)r.trap, (int32_t)value);
    r = exceptions_try_guarded(inst, (uint32_t)-3, &value);
    printf("guarded(-3): trap %d, %d\n", (int)r.trap, (int32_t)value);
    r = exceptions_try_indirect(inst, (uint32_t)-4, &value);
    printf("indirect(-4): trap %d, %d\n", (int)r.trap, (int32_t)value);
    r = exceptions_try_unguarded(inst, (uint32_t)-5, &value);
    printf("unguarded(-5): %s, our tag %s, value %d\n", r.message,
           r.exception && r.exception->tag == exceptions_failure(inst) ? "yes" : "no",
           r.exception ? (int32_t)r.exception->values[0].i32 : 0);
    r = exceptions_try_unguarded(inst, 41, &value);
    printf("unguarded(41) after it: trap %d, %d\n", (int)r.trap, (int32_t)value);
    exceptions_free(inst);
    return 0;
}
