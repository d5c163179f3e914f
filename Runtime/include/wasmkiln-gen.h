/* Inline helpers for C that WasmKiln generates: memory access, numeric operations
 * with WebAssembly's exact semantics, and trap checks. Not an embedder API.
 *
 * Every integer is unsigned in C (no signed overflow); floats are handled through
 * their bits wherever C could change a NaN. Compile with -ffp-contract=off. */
#ifndef WASMKILN_GEN_H
#define WASMKILN_GEN_H

#include "wasmkiln.h"
#ifdef WK_FREESTANDING
/* No C library: the compiler's own forms of the few functions generated code uses.
 * Where it still emits a call (a large or variable-length copy), the freestanding
 * runtime defines memcpy, memmove, memset and memcmp; the instance setup's
 * allocations and messages go to the runtime's arena and formatter. */
#define memcpy __builtin_memcpy
#define memmove __builtin_memmove
#define memset __builtin_memset
#define memcmp __builtin_memcmp
void *wk_freestanding_calloc(size_t count, size_t size);
void wk_freestanding_free(void *pointer);
int wk_freestanding_snprintf(char *buffer, size_t size, const char *format, ...);
#define calloc wk_freestanding_calloc
#define free wk_freestanding_free
#define snprintf wk_freestanding_snprintf
#else
#include <math.h>
#include <stdlib.h>
#include <string.h>
#endif

#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ != __ORDER_LITTLE_ENDIAN__
#error "WasmKiln's generated code assumes a little-endian host"
#endif

/* Exact IEEE arithmetic whatever flags the compiler was given: no contraction into
 * fused multiply-add, and signaling NaNs honoured so that x * 1.0 is not folded to
 * x (it must quiet a signaling NaN). Trap paths stay inside their function's code
 * (no hot/cold splitting), so a trap's address names the function. */
#if defined(__FAST_MATH__)
#error "WasmKiln's generated code needs exact IEEE arithmetic: do not compile it with -ffast-math"
#endif
#if defined(__clang__)
#pragma clang fp contract(off)
#pragma clang fp exceptions(maytrap)
#elif defined(__GNUC__)
#pragma GCC optimize("fp-contract=off", "signaling-nans", "no-optimize-sibling-calls", "no-reorder-blocks-and-partition")
#endif

/* A module may recurse without end on purpose: the stack check turns it into a trap.
 * Operands are locals and constants as the module wrote them, which may compare a
 * value with itself or an unsigned value with 0 (`x >= 0u`), or copy a local to itself. */
#if defined(__clang__)
#pragma clang diagnostic ignored "-Winfinite-recursion"
#pragma clang diagnostic ignored "-Wtautological-compare"
#pragma clang diagnostic ignored "-Wself-assign"
#elif defined(__GNUC__)
#if __GNUC__ >= 12
#pragma GCC diagnostic ignored "-Winfinite-recursion"
#endif
#pragma GCC diagnostic ignored "-Wtautological-compare"
#pragma GCC diagnostic ignored "-Wtype-limits"
#endif

#define WK_UNLIKELY(x) __builtin_expect(!!(x), 0)
/* For the helpers behind every memory access and indirect call: inlined even at -O0
 * (a call per access, with memcpy not expanded, made yosys's -O0 code a fifth slower). */
#define WK_INLINE static inline __attribute__((always_inline))
#define WK_LIKELY(x) __builtin_expect(!!(x), 1)
/* Where generated code traps: every helper that traps takes a site as its last argument
 * (through the macro of the helper's name), a constant of its own at each place the
 * macro is used (wk_trap_site), so that a copy the C compiler inlined into another
 * function still names its own, and the message can say where. Before each function
 * the lowering defines WK_SITE as one of these, given the function's entry in its
 * module's table (wk_function_info). The place is the line as the lowering's `#line`
 * directives have it: the original source's file and line in a function with DWARF
 * rows, else 1 + the wasm instruction's byte offset from the function's body. A site
 * costs 24 bytes of constant data and its own call on the trap's cold path. */
#define WK_SITE_SOURCE(function) ({ static const wk_trap_site wk_site_ = {function, __FILE__, __LINE__}; &wk_site_; })
#define WK_SITE_OFFSET(function) ({ static const wk_trap_site wk_site_ = {function, NULL, __LINE__}; &wk_site_; })
#ifndef WK_SITE
#define WK_SITE NULL
#endif
#define WK_HIDDEN __attribute__((visibility("hidden")))
#define WK_UNUSED __attribute__((unused))
/* Generated functions. A call in tail position stays a call: turned into a jump, a
 * runaway recursion would loop forever instead of trapping at the stack limit. */
#if defined(__clang__)
#define WK_FUNCTION WK_HIDDEN __attribute__((disable_tail_calls))
#else
#define WK_FUNCTION WK_HIDDEN
#endif

/* The stack pointer, read without making the function keep a frame pointer (which
 * __builtin_frame_address would, and which also stops the compiler from saving
 * registers only on the paths that need them). */
#if defined(__x86_64__)
#define WK_STACK_POINTER() ({ char *sp_; __asm__("movq %%rsp, %0" : "=r"(sp_)); sp_; })
#elif defined(__aarch64__)
#define WK_STACK_POINTER() ({ char *sp_; __asm__("mov %0, sp" : "=r"(sp_)); sp_; })
#else
#define WK_STACK_POINTER() ((char *)__builtin_frame_address(0))
#endif

/* Trap when the stack lies below the thread's stack limit (see wk_stack_limit). With
 * explicit bounds checks every function starts with this. With guard pages only calls
 * to host functions do, so that they get the limit's margin; wasm code runs down to
 * the stack's own guard, whose fault the runtime turns into the same trap. */
#define WK_STACK_CHECK()                                                              \
    do {                                                                              \
        if (WK_UNLIKELY(WK_STACK_POINTER() < wk_stack_limit))                         \
            wk_trap_at(WK_TRAP_CALL_STACK_EXHAUSTED, WK_SITE);                        \
    } while (0)

/* ---- Memory ---- */

/* A load whose value is unused must still fault in guard-page mode: an empty asm
 * that takes the value keeps the compiler from deleting the load, at the cost of no
 * instruction (the value is already in a register of its class). */
#define WK_KEEP_INT(value) __asm__("" ::"r"(value))
#if defined(__x86_64__)
#define WK_KEEP_FLOAT(value) __asm__("" ::"x"(value))
#elif defined(__aarch64__)
#define WK_KEEP_FLOAT(value) __asm__("" ::"w"(value))
#else
#define WK_KEEP_FLOAT(value) __asm__("" ::"g"(value))
#endif

/* With guard pages an access traps by faulting, which the C compiler does not know: it
 * may move a load ahead of an earlier store to another address, keep a store in a
 * register past a faulting load, or merge it with a later one, and a trap would then
 * lose a store that Wasm made before it. An empty asm that may read and write any
 * memory after every store keeps later accesses after it. It costs no instruction, and
 * little optimization: a store to linear memory already makes the compiler reload
 * anything else held in memory (the instance's globals and tables), as it may alias. */
#define WK_AFTER_STORE() __asm__ volatile("" ::: "memory")

/* The same values, made opaque: the compiler must assume the asm changed them. */
#if defined(__x86_64__)
#define WK_OPAQUE_FLOAT(value) __asm__("" : "+x"(value))
#elif defined(__aarch64__)
#define WK_OPAQUE_FLOAT(value) __asm__("" : "+w"(value))
#else
#define WK_OPAQUE_FLOAT(value) __asm__("" : "+g"(value))
#endif

/* [start, start + length) lies within `size`, without wrapping past 2^64: the range of a
 * bulk operation or a table operation, whose operands may be 64-bit (memory64, table64). */
WK_INLINE bool wk_within(uint64_t size, uint64_t start, uint64_t length) {
    return start <= size && length <= size - start;
}

/* Bounds checks against `limit`, a memory's size in bytes. Generated code passes an
 * unshared memory's size held in a local (`msN`), read at the start of a function and
 * again after each call and memory.grow, the only ways it changes (read from the memory
 * at each access, it would be reloaded after every store to linear memory, which the
 * compiler must assume may write anywhere), and a shared memory's size as
 * wk_shared_size reads it: another thread may grow it meanwhile.
 *   wk_check_below        a 32-bit address + offset (below 2^33) and an access's size
 *   wk_check64_below      memory64: an address and an offset are each up to 2^64 - 1,
 *                         so their sum could wrap. No memory reaches 2^48 bytes: either
 *                         at or past that is out of bounds, and below it the sum cannot
 *                         wrap. (A constant offset's test folds away.)
 *   wk_check_range_below  a bulk operation's [address, address + length) */
WK_INLINE void wk_check_below_at(uint64_t limit, uint64_t address, uint64_t size, const wk_trap_site *site) {
    if (WK_UNLIKELY(address + size > limit)) wk_trap_at(WK_TRAP_MEMORY_OUT_OF_BOUNDS, site);
}
#define wk_check_below(...) wk_check_below_at(__VA_ARGS__, WK_SITE)
WK_INLINE void wk_check64_below_at(uint64_t limit, uint64_t address, uint64_t offset, uint64_t size, const wk_trap_site *site) {
    if (WK_UNLIKELY(((address | offset) >> 48) != 0 || address + offset + size > limit)) wk_trap_at(WK_TRAP_MEMORY_OUT_OF_BOUNDS, site);
}
#define wk_check64_below(...) wk_check64_below_at(__VA_ARGS__, WK_SITE)
WK_INLINE void wk_check_range_below_at(uint64_t limit, uint64_t address, uint64_t length, const wk_trap_site *site) {
    if (WK_UNLIKELY(!wk_within(limit, address, length))) wk_trap_at(WK_TRAP_MEMORY_OUT_OF_BOUNDS, site);
}
#define wk_check_range_below(...) wk_check_range_below_at(__VA_ARGS__, WK_SITE)

/* A shared memory's size, read atomically (acquire: the pages a grow added are committed
 * before its new size is seen; a plain load on x86). */
WK_INLINE uint64_t wk_shared_size(const wk_memory *m) { return __atomic_load_n(&m->size, __ATOMIC_ACQUIRE); }

/* ---- Atomics (threads) ----
 * Sequentially consistent, as all of Wasm's atomics are. An address that is not a
 * multiple of the access's size traps, before the bounds check (as the reference
 * interpreter and wasmtime order them): generated code calls wk_atomic_align on the
 * effective address first. (Memory bases are page-aligned, so a pointer's alignment is
 * its address's.) */
WK_INLINE void wk_atomic_align_at(uint64_t address, uint64_t size, const wk_trap_site *site) {
    if (WK_UNLIKELY(address & (size - 1))) wk_trap_at(WK_TRAP_UNALIGNED_ATOMIC, site);
}
#define wk_atomic_align(...) wk_atomic_align_at(__VA_ARGS__, WK_SITE)
#define WK_ATOMICS(bits)                                                              \
    WK_INLINE uint##bits##_t wk_atomic_load_u##bits(uint8_t *p) {                     \
        return __atomic_load_n((uint##bits##_t *)p, __ATOMIC_SEQ_CST);                \
    }                                                                                 \
    WK_INLINE void wk_atomic_store_u##bits(uint8_t *p, uint##bits##_t v) {            \
        __atomic_store_n((uint##bits##_t *)p, v, __ATOMIC_SEQ_CST);                   \
    }                                                                                 \
    WK_ATOMIC_RMW(bits, add, __atomic_fetch_add(q, v, __ATOMIC_SEQ_CST))              \
    WK_ATOMIC_RMW(bits, sub, __atomic_fetch_sub(q, v, __ATOMIC_SEQ_CST))              \
    WK_ATOMIC_RMW(bits, and, __atomic_fetch_and(q, v, __ATOMIC_SEQ_CST))              \
    WK_ATOMIC_RMW(bits, or, __atomic_fetch_or(q, v, __ATOMIC_SEQ_CST))                \
    WK_ATOMIC_RMW(bits, xor, __atomic_fetch_xor(q, v, __ATOMIC_SEQ_CST))              \
    WK_ATOMIC_RMW(bits, xchg, __atomic_exchange_n(q, v, __ATOMIC_SEQ_CST))            \
    /* The old value either way: what was there, which equals `expected` on success. */ \
    WK_INLINE uint##bits##_t wk_atomic_cmpxchg_u##bits(uint8_t *p, uint##bits##_t expected, uint##bits##_t v) { \
        __atomic_compare_exchange_n((uint##bits##_t *)p, &expected, v, false, __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST); \
        return expected;                                                              \
    }
/* A read-modify-write: the value before it. */
#define WK_ATOMIC_RMW(bits, name, operation)                                          \
    WK_INLINE uint##bits##_t wk_atomic_##name##_u##bits(uint8_t *p, uint##bits##_t v) { \
        uint##bits##_t *q = (uint##bits##_t *)p;                                      \
        return operation;                                                             \
    }
WK_ATOMICS(8)
WK_ATOMICS(16)
WK_ATOMICS(32)
WK_ATOMICS(64)
#undef WK_ATOMICS
#undef WK_ATOMIC_RMW

/* wk_load_* is a load as guard pages need it: kept even when its value goes unused.
 * wk_read_* is a plain load, for an access whose bounds were checked explicitly (its
 * check traps, not the load): the compiler may combine it, or delete it when its value
 * is unused. Loads and stores are macros, not inline functions: debug information gives
 * an inlined function's instructions the lines of its own source, a macro's the lines of
 * its use, so a faulting access's line-table row names the wasm instruction (see
 * wk_fault_site). */
#define WK_LOAD(type, keep, ...) ({ type wk_loaded_; memcpy(&wk_loaded_, (__VA_ARGS__), sizeof wk_loaded_); keep(wk_loaded_); wk_loaded_; })
#define WK_STORE(type, p, ...) ({ type wk_stored_ = (__VA_ARGS__); memcpy((p), &wk_stored_, sizeof wk_stored_); })
/* Variadic: a value or an address may hold commas outside parentheses (braces). */
#define wk_load_u8(...) WK_LOAD(uint8_t, WK_KEEP_INT, __VA_ARGS__)
#define wk_load_u16(...) WK_LOAD(uint16_t, WK_KEEP_INT, __VA_ARGS__)
#define wk_load_u32(...) WK_LOAD(uint32_t, WK_KEEP_INT, __VA_ARGS__)
#define wk_load_u64(...) WK_LOAD(uint64_t, WK_KEEP_INT, __VA_ARGS__)
#define wk_load_f32(...) WK_LOAD(float, WK_KEEP_FLOAT, __VA_ARGS__)
#define wk_load_f64(...) WK_LOAD(double, WK_KEEP_FLOAT, __VA_ARGS__)
#define wk_store_u8(p, ...) WK_STORE(uint8_t, p, __VA_ARGS__)
#define wk_store_u16(p, ...) WK_STORE(uint16_t, p, __VA_ARGS__)
#define wk_store_u32(p, ...) WK_STORE(uint32_t, p, __VA_ARGS__)
#define wk_store_u64(p, ...) WK_STORE(uint64_t, p, __VA_ARGS__)
#define wk_store_f32(p, ...) WK_STORE(float, p, __VA_ARGS__)
#define wk_store_f64(p, ...) WK_STORE(double, p, __VA_ARGS__)
#define WK_READER(name, type)                                                         \
    WK_INLINE type wk_read_##name(const uint8_t *p) {                                 \
        type v;                                                                       \
        memcpy(&v, p, sizeof v);                                                      \
        return v;                                                                     \
    }
WK_READER(u8, uint8_t)
WK_READER(u16, uint16_t)
WK_READER(u32, uint32_t)
WK_READER(u64, uint64_t)
WK_READER(f32, float)
WK_READER(f64, double)
#undef WK_READER

/* Bulk operations; the `_shared` forms, for shared memories, read the size with
 * wk_shared_size. Addresses and lengths are 64-bit for memory64; a segment's offset and
 * length stay 32-bit. */
#define WK_SIZE(m) ((m)->size)
#define WK_BULK(suffix, size_of)                                                      \
    WK_INLINE void wk_memory_fill##suffix##_at(wk_memory *m, uint64_t d, uint32_t value, uint64_t n, \
                                               const wk_trap_site *site) {            \
        wk_check_range_below_at(size_of(m), d, n, site);                              \
        memset(m->base + d, (int)value, n);                                           \
    }                                                                                 \
    WK_INLINE void wk_memory_copy##suffix##_at(wk_memory *dst, wk_memory *src, uint64_t d, uint64_t s, \
                                               uint64_t n, const wk_trap_site *site) { \
        wk_check_range_below_at(size_of(dst), d, n, site);                            \
        wk_check_range_below_at(size_of(src), s, n, site);                            \
        memmove(dst->base + d, src->base + s, n);                                     \
    }                                                                                 \
    WK_INLINE void wk_memory_init##suffix##_at(wk_memory *m, const uint8_t *data, uint32_t length, uint64_t d, \
                                               uint32_t s, uint32_t n, const wk_trap_site *site) { \
        if (WK_UNLIKELY((uint64_t)s + n > length)) wk_trap_at(WK_TRAP_MEMORY_OUT_OF_BOUNDS, site); \
        wk_check_range_below_at(size_of(m), d, n, site);                              \
        if (n) memcpy(m->base + d, data + s, n);                                      \
    }
WK_BULK(, WK_SIZE)
WK_BULK(_shared, wk_shared_size)
#undef WK_BULK
#undef WK_SIZE
#define wk_memory_fill(...) wk_memory_fill_at(__VA_ARGS__, WK_SITE)
#define wk_memory_copy(...) wk_memory_copy_at(__VA_ARGS__, WK_SITE)
#define wk_memory_init(...) wk_memory_init_at(__VA_ARGS__, WK_SITE)
#define wk_memory_fill_shared(...) wk_memory_fill_shared_at(__VA_ARGS__, WK_SITE)
#define wk_memory_copy_shared(...) wk_memory_copy_shared_at(__VA_ARGS__, WK_SITE)
#define wk_memory_init_shared(...) wk_memory_init_shared_at(__VA_ARGS__, WK_SITE)

/* ---- Tables ----
 * Indices are 64-bit, for table64; a 32-bit one converts for free. */

WK_INLINE void *wk_table_get_at(const wk_table *t, uint64_t i, const wk_trap_site *site) {
    if (WK_UNLIKELY(i >= t->size)) wk_trap_at(WK_TRAP_TABLE_OUT_OF_BOUNDS, site);
    return t->elements[i];
}
#define wk_table_get(...) wk_table_get_at(__VA_ARGS__, WK_SITE)

WK_INLINE void wk_table_set_at(wk_table *t, uint64_t i, void *value, const wk_trap_site *site) {
    if (WK_UNLIKELY(i >= t->size)) wk_trap_at(WK_TRAP_TABLE_OUT_OF_BOUNDS, site);
    t->elements[i] = value;
}
#define wk_table_set(...) wk_table_set_at(__VA_ARGS__, WK_SITE)

WK_INLINE void wk_table_fill_at(wk_table *t, uint64_t i, void *value, uint64_t n, const wk_trap_site *site) {
    if (WK_UNLIKELY(!wk_within(t->size, i, n))) wk_trap_at(WK_TRAP_TABLE_OUT_OF_BOUNDS, site);
    for (uint64_t k = 0; k < n; k++) t->elements[i + k] = value;
}
#define wk_table_fill(...) wk_table_fill_at(__VA_ARGS__, WK_SITE)

WK_INLINE void wk_table_copy_at(wk_table *dst, wk_table *src, uint64_t d, uint64_t s, uint64_t n, const wk_trap_site *site) {
    if (WK_UNLIKELY(!wk_within(dst->size, d, n) || !wk_within(src->size, s, n))) wk_trap_at(WK_TRAP_TABLE_OUT_OF_BOUNDS, site);
    memmove(dst->elements + d, src->elements + s, (size_t)n * sizeof(void *));
}
#define wk_table_copy(...) wk_table_copy_at(__VA_ARGS__, WK_SITE)

WK_INLINE void wk_table_init_at(wk_table *t, void *const *items, uint32_t length, uint64_t d, uint32_t s, uint32_t n, const wk_trap_site *site) {
    if (WK_UNLIKELY((uint64_t)s + n > length || !wk_within(t->size, d, n))) wk_trap_at(WK_TRAP_TABLE_OUT_OF_BOUNDS, site);
    if (n) memcpy(t->elements + d, items + s, (size_t)n * sizeof(void *));
}
#define wk_table_init(...) wk_table_init_at(__VA_ARGS__, WK_SITE)

/* table.grow of a table64: the old size, or -1. No table grows by 2^32 elements. */
static inline uint64_t wk_table_grow64(wk_table *t, uint64_t delta, void *value) {
    if (delta > UINT32_MAX) return UINT64_MAX;
    uint32_t old_size = wk_table_grow(t, (uint32_t)delta, value);
    return old_size == UINT32_MAX ? UINT64_MAX : old_size;
}

/* The function at table index i, checked against the expected signature id. */
WK_INLINE const wk_func *wk_indirect_at(const wk_table *t, uint64_t i, uint32_t type_id, const wk_trap_site *site) {
    if (WK_UNLIKELY(i >= t->size)) wk_trap_at(WK_TRAP_UNDEFINED_ELEMENT, site);
    const wk_func *f = (const wk_func *)t->elements[i];
    if (WK_UNLIKELY(!f)) wk_trap_at(WK_TRAP_UNINITIALIZED_ELEMENT, site);
    if (WK_UNLIKELY(f->type_id != type_id) && !wk_type_is_subtype(f->type_id, type_id))
        wk_trap_at(WK_TRAP_INDIRECT_CALL_TYPE_MISMATCH, site);
    return f;
}
#define wk_indirect(...) wk_indirect_at(__VA_ARGS__, WK_SITE)

/* An entry of a table whose contents are fixed when the module is compiled (see
 * FixedTables in the lowering): a null slot has no code and type UINT32_MAX. */
typedef struct {
    const void *code;
    uint32_t type;
} wk_table_entry;

WK_INLINE const wk_table_entry *wk_fixed_indirect_at(const wk_table_entry *entries, uint64_t size, uint64_t i, uint32_t type, const wk_trap_site *site) {
    if (WK_UNLIKELY(i >= size)) wk_trap_at(WK_TRAP_UNDEFINED_ELEMENT, site);
    const wk_table_entry *e = &entries[i];
    if (WK_UNLIKELY(e->type != type))
        wk_trap_at(e->code ? WK_TRAP_INDIRECT_CALL_TYPE_MISMATCH : WK_TRAP_UNINITIALIZED_ELEMENT, site);
    return e;
}
#define wk_fixed_indirect(...) wk_fixed_indirect_at(__VA_ARGS__, WK_SITE)

/* Typed function references. call_ref's operand: the function, trapping on null (its type
 * is the instruction's, as validation proved). */
WK_INLINE const wk_func *wk_ref_func_at(const void *ref, const wk_trap_site *site) {
    if (WK_UNLIKELY(!ref)) wk_trap_at(WK_TRAP_NULL_FUNCTION_REFERENCE, site);
    return (const wk_func *)ref;
}
#define wk_ref_func(ref) wk_ref_func_at(ref, WK_SITE)
/* ref.as_non_null. */
WK_INLINE void *wk_ref_as_non_null_at(void *ref, const wk_trap_site *site) {
    if (WK_UNLIKELY(!ref)) wk_trap_at(WK_TRAP_NULL_DEREFERENCE, site);
    return ref;
}
#define wk_ref_as_non_null(ref) wk_ref_as_non_null_at(ref, WK_SITE)

#ifndef WK_FREESTANDING /* the freestanding runtime has no tail calls or exceptions */
/* ---- Tail calls ----
 * A function that makes tail calls (return_call, return_call_indirect) to other functions
 * is generated twice: its body as NAME_tail(instance, state), and NAME, the entry every
 * other caller uses, which runs the body under wk_tail_run. The body reads its arguments
 * from state->values and ends by leaving there either its results, or the arguments of
 * the function it tail-calls with that function's tail entry in state->next: the loop in
 * wk_tail_run then calls it, so a chain of tail calls of any length takes constant stack.
 * A tail call to a function without a tail entry (one that makes no tail calls, a host
 * function) is an ordinary call: it cannot continue the chain. Functions that make no tail
 * calls are generated as before and pay nothing. */
#define WK_TAIL_VALUES 1000 /* the decoder's limit on params and results */
struct wk_tail_state {
    void (*next)(void *instance, wk_tail_state *state);
    void *instance;
    wk_value values[WK_TAIL_VALUES];
};
/* One per thread, made on its first tail call (too large for static TLS, which a runtime
 * loaded with dlopen must fit in): between a body leaving its values and the next reading
 * them no other code runs. */
extern _Thread_local wk_tail_state *wk_tail_current;
wk_tail_state *wk_tail_new(void);
static inline wk_tail_state *wk_tail(void) {
    wk_tail_state *state = wk_tail_current;
    return WK_LIKELY(state != NULL) ? state : wk_tail_new();
}

static inline void wk_tail_run(void (*entry)(void *, wk_tail_state *), void *instance, wk_tail_state *state) {
    for (;;) {
        state->next = NULL;
        entry(instance, state);
        if (!state->next) return;
        entry = state->next;
        instance = state->instance;
    }
}

/* ---- Exceptions ----
 * An exception propagates by return, without jump buffers. A throw that no try of its
 * own function catches puts the exception in wk_pending and returns (any value: no one
 * reads it). After each call that may throw, the caller checks wk_pending: inside a try
 * body it takes the exception and goes to the try's code, which picks a catch clause or
 * throws the exception on; elsewhere it returns in turn. (A throw inside a try body of
 * its own function goes to that code directly.) wk_call_protected turns an exception
 * still pending when its call returns into WK_TRAP_EXCEPTION. The path that throws
 * nothing costs one compare per call that may throw, and locals stay in registers. */
extern __thread wk_exception *wk_pending
#if defined(__GNUC__)
    __attribute__((tls_model("initial-exec")))
#endif
    ;
wk_exception *wk_exception_new(const wk_tag *tag, uint32_t count);
/* A call that may throw returned with an exception pending (see above). */
#define WK_THROWN() WK_UNLIKELY(wk_pending != NULL)
/* A try body's landing takes the pending exception. */
static inline wk_exception *wk_take_pending(void) {
    wk_exception *exception = wk_pending;
    wk_pending = NULL;
    return exception;
}
/* throw_ref's operand: traps on null. */
static inline wk_exception *wk_exnref_at(void *exnref, const wk_trap_site *site) {
    if (WK_UNLIKELY(!exnref)) wk_trap_at(WK_TRAP_NULL_REFERENCE, site);
    return (wk_exception *)exnref;
}
#define wk_exnref(exnref) wk_exnref_at(exnref, WK_SITE)
/* A catch clause took the exception's values and nothing else can reach it. */
static inline void wk_exception_done(wk_exception *exception) {
    if (!exception->retained) free(exception);
}
/* Its values stay roots of the calling thread's GC heap (if it has one) from now on: a
 * retained exception is never freed, and may carry GC references anywhere an exnref goes. */
void wk_gc_root_exception(wk_exception *exception);
/* A catch clause that gives the exception to Wasm as an exnref. */
static inline void *wk_exception_retain(wk_exception *exception) {
    if (!exception->retained) {
        exception->retained = true;
        wk_gc_root_exception(exception);
    }
    return exception;
}
#endif

/* ---- Integers ---- */

WK_INLINE uint32_t wk_i32_div_s_at(uint32_t a, uint32_t b, const wk_trap_site *site) {
    if (WK_UNLIKELY(b == 0)) wk_trap_at(WK_TRAP_DIVIDE_BY_ZERO, site);
    if (WK_UNLIKELY(a == 0x80000000u && b == 0xFFFFFFFFu)) wk_trap_at(WK_TRAP_INTEGER_OVERFLOW, site);
    return (uint32_t)((int32_t)a / (int32_t)b);
}
#define wk_i32_div_s(...) wk_i32_div_s_at(__VA_ARGS__, WK_SITE)
WK_INLINE uint32_t wk_i32_div_u_at(uint32_t a, uint32_t b, const wk_trap_site *site) {
    if (WK_UNLIKELY(b == 0)) wk_trap_at(WK_TRAP_DIVIDE_BY_ZERO, site);
    return a / b;
}
#define wk_i32_div_u(...) wk_i32_div_u_at(__VA_ARGS__, WK_SITE)
WK_INLINE uint32_t wk_i32_rem_s_at(uint32_t a, uint32_t b, const wk_trap_site *site) {
    if (WK_UNLIKELY(b == 0)) wk_trap_at(WK_TRAP_DIVIDE_BY_ZERO, site);
    return b == 0xFFFFFFFFu ? 0 : (uint32_t)((int32_t)a % (int32_t)b);
}
#define wk_i32_rem_s(...) wk_i32_rem_s_at(__VA_ARGS__, WK_SITE)
WK_INLINE uint32_t wk_i32_rem_u_at(uint32_t a, uint32_t b, const wk_trap_site *site) {
    if (WK_UNLIKELY(b == 0)) wk_trap_at(WK_TRAP_DIVIDE_BY_ZERO, site);
    return a % b;
}
#define wk_i32_rem_u(...) wk_i32_rem_u_at(__VA_ARGS__, WK_SITE)
WK_INLINE uint64_t wk_i64_div_s_at(uint64_t a, uint64_t b, const wk_trap_site *site) {
    if (WK_UNLIKELY(b == 0)) wk_trap_at(WK_TRAP_DIVIDE_BY_ZERO, site);
    if (WK_UNLIKELY(a == 0x8000000000000000ull && b == ~0ull)) wk_trap_at(WK_TRAP_INTEGER_OVERFLOW, site);
    return (uint64_t)((int64_t)a / (int64_t)b);
}
#define wk_i64_div_s(...) wk_i64_div_s_at(__VA_ARGS__, WK_SITE)
WK_INLINE uint64_t wk_i64_div_u_at(uint64_t a, uint64_t b, const wk_trap_site *site) {
    if (WK_UNLIKELY(b == 0)) wk_trap_at(WK_TRAP_DIVIDE_BY_ZERO, site);
    return a / b;
}
#define wk_i64_div_u(...) wk_i64_div_u_at(__VA_ARGS__, WK_SITE)
WK_INLINE uint64_t wk_i64_rem_s_at(uint64_t a, uint64_t b, const wk_trap_site *site) {
    if (WK_UNLIKELY(b == 0)) wk_trap_at(WK_TRAP_DIVIDE_BY_ZERO, site);
    return b == ~0ull ? 0 : (uint64_t)((int64_t)a % (int64_t)b);
}
#define wk_i64_rem_s(...) wk_i64_rem_s_at(__VA_ARGS__, WK_SITE)
WK_INLINE uint64_t wk_i64_rem_u_at(uint64_t a, uint64_t b, const wk_trap_site *site) {
    if (WK_UNLIKELY(b == 0)) wk_trap_at(WK_TRAP_DIVIDE_BY_ZERO, site);
    return a % b;
}
#define wk_i64_rem_u(...) wk_i64_rem_u_at(__VA_ARGS__, WK_SITE)

static inline uint32_t wk_i32_rotl(uint32_t a, uint32_t b) { b &= 31; return (a << b) | (a >> ((32 - b) & 31)); }
static inline uint32_t wk_i32_rotr(uint32_t a, uint32_t b) { b &= 31; return (a >> b) | (a << ((32 - b) & 31)); }
static inline uint64_t wk_i64_rotl(uint64_t a, uint64_t b) { b &= 63; return (a << b) | (a >> ((64 - b) & 63)); }
static inline uint64_t wk_i64_rotr(uint64_t a, uint64_t b) { b &= 63; return (a >> b) | (a << ((64 - b) & 63)); }
static inline uint32_t wk_i32_clz(uint32_t a) { return a ? (uint32_t)__builtin_clz(a) : 32; }
static inline uint32_t wk_i32_ctz(uint32_t a) { return a ? (uint32_t)__builtin_ctz(a) : 32; }
static inline uint64_t wk_i64_clz(uint64_t a) { return a ? (uint64_t)__builtin_clzll(a) : 64; }
static inline uint64_t wk_i64_ctz(uint64_t a) { return a ? (uint64_t)__builtin_ctzll(a) : 64; }

/* ---- Floats, through their bits where C could touch a NaN ---- */

static inline uint32_t wk_f32_bits(float x) { uint32_t b; memcpy(&b, &x, 4); return b; }
static inline uint64_t wk_f64_bits(double x) { uint64_t b; memcpy(&b, &x, 8); return b; }
static inline float wk_f32_from(uint32_t b) { float x; memcpy(&x, &b, 4); return x; }
static inline double wk_f64_from(uint64_t b) { double x; memcpy(&x, &b, 8); return x; }

static inline float wk_f32_abs(float x) { return wk_f32_from(wk_f32_bits(x) & 0x7FFFFFFFu); }
static inline float wk_f32_neg(float x) { return wk_f32_from(wk_f32_bits(x) ^ 0x80000000u); }
static inline float wk_f32_copysign(float a, float b) {
    return wk_f32_from((wk_f32_bits(a) & 0x7FFFFFFFu) | (wk_f32_bits(b) & 0x80000000u));
}
static inline double wk_f64_abs(double x) { return wk_f64_from(wk_f64_bits(x) & 0x7FFFFFFFFFFFFFFFull); }
static inline double wk_f64_neg(double x) { return wk_f64_from(wk_f64_bits(x) ^ 0x8000000000000000ull); }
static inline double wk_f64_copysign(double a, double b) {
    return wk_f64_from((wk_f64_bits(a) & 0x7FFFFFFFFFFFFFFFull) | (wk_f64_bits(b) & 0x8000000000000000ull));
}

/* min/max: a NaN operand gives a NaN (a + b propagates it, quieted); -0 < +0. */
static inline float wk_f32_min(float a, float b) {
    if (a != a || b != b) return a + b;
    if (a == b) return wk_f32_from(wk_f32_bits(a) | wk_f32_bits(b));
    return a < b ? a : b;
}
static inline float wk_f32_max(float a, float b) {
    if (a != a || b != b) return a + b;
    if (a == b) return wk_f32_from(wk_f32_bits(a) & wk_f32_bits(b));
    return a > b ? a : b;
}
static inline double wk_f64_min(double a, double b) {
    if (a != a || b != b) return a + b;
    if (a == b) return wk_f64_from(wk_f64_bits(a) | wk_f64_bits(b));
    return a < b ? a : b;
}
static inline double wk_f64_max(double a, double b) {
    if (a != a || b != b) return a + b;
    if (a == b) return wk_f64_from(wk_f64_bits(a) & wk_f64_bits(b));
    return a > b ? a : b;
}

#ifdef WK_FREESTANDING
/* Rounding and square roots without libm (the compiler would call floor, ceil, trunc
 * and nearbyint without SSE4.1, and sqrt to set errno for a negative operand). Wasm's
 * rounding mode is always to nearest, ties to even.
 *   trunc    clears the fraction bits; |x| < 1 gives a zero of x's sign, and |x| of
 *            2^(mantissa bits) or more (infinities too) is already an integer
 *   floor    trunc, less one for a negative non-integer (floor(-0) is -0: no change)
 *   ceil     trunc, plus one for a positive non-integer (ceil(-0.5) is trunc's -0)
 *   nearest  adding and subtracting 2^(mantissa bits) rounds |x| to nearest even
 *            (exact arithmetic, which -ffp-contract=off and no fast-math keep);
 *            then x's sign, so -0.4 gives -0
 * A NaN gives x + x: quiet. */
#define WK_ROUNDING(f, type, bits, uint, mantissa, exponent_mask)                     \
    static inline type wk_##f##_trunc(type x) {                                       \
        if (x != x) return x + x;                                                     \
        uint b = wk_##f##_bits(x);                                                    \
        int exponent = (int)((b >> mantissa) & exponent_mask) - (int)(exponent_mask >> 1); \
        if (exponent >= mantissa) return x;                                           \
        if (exponent < 0) return wk_##f##_from(b & ((uint)1 << (bits - 1)));          \
        return wk_##f##_from(b & ~((((uint)1 << mantissa) - 1) >> exponent));         \
    }                                                                                 \
    static inline type wk_##f##_floor(type x) {                                       \
        type t = wk_##f##_trunc(x);                                                   \
        return x < t ? t - 1 : t;                                                     \
    }                                                                                 \
    static inline type wk_##f##_ceil(type x) {                                        \
        type t = wk_##f##_trunc(x);                                                   \
        return x > t ? t + 1 : t;                                                     \
    }                                                                                 \
    static inline type wk_##f##_nearest(type x) {                                     \
        if (x != x) return x + x;                                                     \
        type a = wk_##f##_abs(x);                                                     \
        const type two_m = (type)((uint)1 << mantissa);                               \
        if (!(a < two_m)) return x;                                                   \
        type r = a + two_m;                                                           \
        WK_OPAQUE_FLOAT(r); /* keep (a + 2^m) - 2^m from folding to a */              \
        return wk_##f##_copysign(r - two_m, x);                                       \
    }
WK_ROUNDING(f32, float, 32, uint32_t, 23, 0xFF)
WK_ROUNDING(f64, double, 64, uint64_t, 52, 0x7FF)
#undef WK_ROUNDING
#if defined(__x86_64__)
static inline float wk_f32_sqrt(float x) { __asm__("sqrtss %1, %0" : "=x"(x) : "x"(x)); return x; }
static inline double wk_f64_sqrt(double x) { __asm__("sqrtsd %1, %0" : "=x"(x) : "x"(x)); return x; }
#elif defined(__aarch64__)
static inline float wk_f32_sqrt(float x) { __asm__("fsqrt %s0, %s1" : "=w"(x) : "w"(x)); return x; }
static inline double wk_f64_sqrt(double x) { __asm__("fsqrt %d0, %d1" : "=w"(x) : "w"(x)); return x; }
#else
/* Elsewhere the builtin: compile with -fno-math-errno so it needs no sqrt function. */
static inline float wk_f32_sqrt(float x) { return __builtin_sqrtf(x); }
static inline double wk_f64_sqrt(double x) { return __builtin_sqrt(x); }
#endif
#else
/* Rounding. A NaN result must be quiet, and the C library's floor, ceil and trunc can
 * return a signaling NaN unchanged: x + x quiets it. nearbyint rounds half to even in
 * the default rounding mode, which Wasm code never changes. */
static inline float wk_f32_ceil(float x) { return x != x ? x + x : __builtin_ceilf(x); }
static inline float wk_f32_floor(float x) { return x != x ? x + x : __builtin_floorf(x); }
static inline float wk_f32_trunc(float x) { return x != x ? x + x : __builtin_truncf(x); }
static inline float wk_f32_nearest(float x) { return x != x ? x + x : __builtin_nearbyintf(x); }
static inline float wk_f32_sqrt(float x) { return __builtin_sqrtf(x); }
static inline double wk_f64_ceil(double x) { return x != x ? x + x : __builtin_ceil(x); }
static inline double wk_f64_floor(double x) { return x != x ? x + x : __builtin_floor(x); }
static inline double wk_f64_trunc(double x) { return x != x ? x + x : __builtin_trunc(x); }
static inline double wk_f64_nearest(double x) { return x != x ? x + x : __builtin_nearbyint(x); }
static inline double wk_f64_sqrt(double x) { return __builtin_sqrt(x); }
#endif

/* f32.demote_f64. gcc folds (float)(double)x to x even with -fsignaling-nans, which
 * would return a signaling NaN unquieted: the empty asm hides where the double came from. */
static inline float wk_f32_demote(double x) {
    WK_OPAQUE_FLOAT(x);
    return (float)x;
}

/* Trapping float-to-integer conversions: NaN is invalid, out of range overflows.
 * The bounds are the first values that do not fit, exactly representable. */
#define WK_TRUNC(name, from, to, signed_to, low, high)                                \
    WK_INLINE to wk_##name##_at(from x, const wk_trap_site *site) {                   \
        if (WK_UNLIKELY(x != x)) wk_trap_at(WK_TRAP_INVALID_CONVERSION, site);        \
        if (WK_UNLIKELY(!(x > (from)(low) && x < (from)(high)))) wk_trap_at(WK_TRAP_INTEGER_OVERFLOW, site); \
        return (to)(signed_to)x;                                                      \
    }
WK_TRUNC(i32_trunc_f32_s, float, uint32_t, int32_t, -2147483904.0, 2147483648.0)
WK_TRUNC(i32_trunc_f32_u, float, uint32_t, uint32_t, -1.0, 4294967296.0)
WK_TRUNC(i32_trunc_f64_s, double, uint32_t, int32_t, -2147483649.0, 2147483648.0)
WK_TRUNC(i32_trunc_f64_u, double, uint32_t, uint32_t, -1.0, 4294967296.0)
WK_TRUNC(i64_trunc_f32_s, float, uint64_t, int64_t, -9223373136366403584.0, 9223372036854775808.0)
WK_TRUNC(i64_trunc_f32_u, float, uint64_t, uint64_t, -1.0, 18446744073709551616.0)
WK_TRUNC(i64_trunc_f64_s, double, uint64_t, int64_t, -9223372036854777856.0, 9223372036854775808.0)
WK_TRUNC(i64_trunc_f64_u, double, uint64_t, uint64_t, -1.0, 18446744073709551616.0)
#undef WK_TRUNC
#define wk_i32_trunc_f32_s(x) wk_i32_trunc_f32_s_at(x, WK_SITE)
#define wk_i32_trunc_f32_u(x) wk_i32_trunc_f32_u_at(x, WK_SITE)
#define wk_i32_trunc_f64_s(x) wk_i32_trunc_f64_s_at(x, WK_SITE)
#define wk_i32_trunc_f64_u(x) wk_i32_trunc_f64_u_at(x, WK_SITE)
#define wk_i64_trunc_f32_s(x) wk_i64_trunc_f32_s_at(x, WK_SITE)
#define wk_i64_trunc_f32_u(x) wk_i64_trunc_f32_u_at(x, WK_SITE)
#define wk_i64_trunc_f64_s(x) wk_i64_trunc_f64_s_at(x, WK_SITE)
#define wk_i64_trunc_f64_u(x) wk_i64_trunc_f64_u_at(x, WK_SITE)

/* Saturating conversions: NaN is 0, out of range clamps. */
#define WK_TRUNC_SAT(name, from, to, signed_to, low, high, min, max)                  \
    WK_INLINE to wk_##name(from x) {                                                  \
        if (x != x) return 0;                                                         \
        if (!(x > (from)(low))) return (to)(min);                                     \
        if (!(x < (from)(high))) return (to)(max);                                    \
        return (to)(signed_to)x;                                                      \
    }
WK_TRUNC_SAT(i32_trunc_sat_f32_s, float, uint32_t, int32_t, -2147483904.0, 2147483648.0, 0x80000000u, 0x7FFFFFFFu)
WK_TRUNC_SAT(i32_trunc_sat_f32_u, float, uint32_t, uint32_t, -1.0, 4294967296.0, 0, 0xFFFFFFFFu)
WK_TRUNC_SAT(i32_trunc_sat_f64_s, double, uint32_t, int32_t, -2147483649.0, 2147483648.0, 0x80000000u, 0x7FFFFFFFu)
WK_TRUNC_SAT(i32_trunc_sat_f64_u, double, uint32_t, uint32_t, -1.0, 4294967296.0, 0, 0xFFFFFFFFu)
WK_TRUNC_SAT(i64_trunc_sat_f32_s, float, uint64_t, int64_t, -9223373136366403584.0, 9223372036854775808.0,
             0x8000000000000000ull, 0x7FFFFFFFFFFFFFFFull)
WK_TRUNC_SAT(i64_trunc_sat_f32_u, float, uint64_t, uint64_t, -1.0, 18446744073709551616.0, 0, ~0ull)
WK_TRUNC_SAT(i64_trunc_sat_f64_s, double, uint64_t, int64_t, -9223372036854777856.0, 9223372036854775808.0,
             0x8000000000000000ull, 0x7FFFFFFFFFFFFFFFull)
WK_TRUNC_SAT(i64_trunc_sat_f64_u, double, uint64_t, uint64_t, -1.0, 18446744073709551616.0, 0, ~0ull)
#undef WK_TRUNC_SAT

#ifndef WK_FREESTANDING
#include "wasmkiln-gc-gen.h"
#endif

#endif
