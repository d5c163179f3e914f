/* WasmKiln's freestanding runtime: for modules compiled with `emit-c --freestanding`,
 * to run where there is no C library, no operating system and one thread (a kernel, a
 * microcontroller). It needs only the compiler's freestanding headers.
 *
 * The embedder gives it all the memory it uses, before instantiating:
 *   - an arena, from which instances, tables and element lists are allocated (a bump
 *     allocator: freeing returns nothing, and table.grow takes a new array for the
 *     table; wk_freestanding_arena resets it);
 *   - a buffer for the module's linear memory. The memory starts at the buffer's start
 *     and memory.grow succeeds only while it fits (and within the module's maximum).
 *     Generated code checks every access explicitly: there are no guard pages.
 * Traps unwind with the compiler's __builtin_setjmp/__builtin_longjmp to the innermost
 * wk_call_protected (every export of the typed API runs in one), no signals. A trap
 * outside any calls the handler set with wk_freestanding_on_trap (default: stop with
 * __builtin_trap).
 *
 * Not available: WASI, threads and shared memories, memory64, SIMD, exceptions, tail
 * calls, memory statistics and reports. emit-c --freestanding refuses modules that
 * need them. wk_stack_limit is a plain global, NULL (no stack check) unless the
 * embedder sets it to the lowest address wasm code may use. */
#ifndef WASMKILN_FREESTANDING_H
#define WASMKILN_FREESTANDING_H

#ifndef WK_FREESTANDING
#define WK_FREESTANDING 1
#endif
#include "wasmkiln.h"

#ifdef __cplusplus
extern "C" {
#endif

/* The arena: `size` bytes at `arena`, used from its start again (what was allocated
 * before is forgotten: free the instances first, or never use them again). */
void wk_freestanding_arena(void *arena, size_t size);
/* Bytes of the arena in use. */
size_t wk_freestanding_arena_used(void);

/* The buffer the next memory created (a module's own memory, at instantiation) lives
 * in: `size` bytes at `buffer`. Each buffer serves one memory; a memory whose initial
 * size does not fit fails instantiation (WK_ERROR_RESOURCE). */
void wk_freestanding_memory(void *buffer, size_t size);

/* Called for a trap outside any protected call; must not return. */
void wk_freestanding_on_trap(void (*handler)(wk_trap_code code, const char *message));

#ifdef __cplusplus
}
#endif
#endif
