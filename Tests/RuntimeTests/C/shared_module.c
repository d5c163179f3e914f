/* Built with the runtime into a shared library, as a compiled module may be, and
 * loaded with dlopen by shared_host.c: traps and the stack check must work there too
 * (initial-exec TLS in a dlopen'ed library, handlers installed from it). */
#include "check.h"

static volatile uint64_t never = UINT64_MAX;

__attribute__((noinline)) static uint64_t checked(uint64_t n) {
    if ((char *)__builtin_frame_address(0) < wk_stack_limit) wk_trap(WK_TRAP_CALL_STACK_EXHAUSTED);
    volatile char pad[48];
    pad[0] = (char)n;
    if (n == never) return 0;
    return checked(n + 1) + (uint64_t)pad[0];
}

static void recurse(void *context) {
    (void)context;
    checked(0);
}

static void load_past_end(void *context) {
    wk_memory *memory = context;
    (void)*(volatile uint8_t *)(memory->base + memory->size + 12345);
}

static void host_trap(void *context) {
    (void)context;
    wk_trap_host("from the library");
}

int module_selftest(void) {
    wk_memory *memory = wk_memory_new(1, 10, WK_BOUNDS_GUARD);
    CHECK(memory != NULL);
    for (int i = 0; i < 3; i++) {
        CHECK_EQ(wk_call_protected(load_past_end, memory, NULL), WK_TRAP_MEMORY_OUT_OF_BOUNDS);
        CHECK_EQ(wk_call_protected(recurse, NULL, NULL), WK_TRAP_CALL_STACK_EXHAUSTED);
        const char *message = NULL;
        CHECK_EQ(wk_call_protected(host_trap, NULL, &message), WK_TRAP_HOST);
        CHECK(message != NULL && message[0] == 'f');
    }
    wk_memory_free(memory);
    CHECK_EQ(wk_type_id("i:i"), wk_type_id("i:i"));
    return 0;
}
