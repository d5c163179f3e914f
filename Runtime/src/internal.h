/* Runtime internals shared between the files of Runtime/src; not for generated code. */
#ifndef WASMKILN_INTERNAL_H
#define WASMKILN_INTERNAL_H

/* pthread_getattr_np, sigaltstack and friends; harmless when the build defines it. */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif

#include "wasmkiln.h"

#include <setjmp.h>

/* Keeps runtime internals out of a shared library's dynamic symbol table. */
#define WK_HIDDEN __attribute__((visibility("hidden")))

/* ---- reservations.c: the address ranges our memories reserve ---- */

/* Records [base, base + size) as ours; false when out of memory. */
WK_HIDDEN bool wkrt_reservation_add(void *base, uint64_t size);
WK_HIDDEN void wkrt_reservation_remove(void *base);
/* Lock-free and async-signal-safe, for the fault handler. */
WK_HIDDEN bool wkrt_reservation_contains(const void *address);

/* ---- trap.c: protected calls ---- */

/* One wk_call_protected activation, on the stack of the call. */
typedef struct wkrt_frame {
    sigjmp_buf jump;
    struct wkrt_frame *previous;
    /* Set by the trap after sigsetjmp, hence volatile. */
    volatile int code;
    const char *volatile message; /* for WK_TRAP_HOST */
} wkrt_frame;

/* Per-thread state the fault handler reads. Initial-exec TLS, like wk_stack_limit, so
 * that reading it inside a signal handler never allocates; kept small because a
 * dlopen'ed library gets only a little static TLS. */
typedef struct wkrt_thread {
    wkrt_frame *frame;    /* innermost protected call, or NULL */
    char *stack_low;      /* lowest usable address of this thread's stack, or NULL */
    bool stack_fenced;    /* stack_low lies WKRT_STACK_FENCE_GAP above our PROT_NONE fence */
    bool ready;           /* alternate signal stack and stack limit are set up */
    bool trap_faulted;    /* the last trap was a fault whose site is not looked up yet */
    const void *trap_address; /* the code address of the last trap, for messages */
    const wk_trap_site *trap_site; /* and its site, or NULL (see wk_trap_at) */
} wkrt_thread;

extern __thread wkrt_thread wkrt_thread_state
    __attribute__((tls_model("initial-exec"), visibility("hidden")));

/* Records what the message of the trap being raised names: the code address it happened
 * at (NULL: host code, no module function), its site if known, and whether it is a fault
 * whose site wk_fault_site looks up later. Safe in a signal handler. */
static inline void wkrt_record_trap(wkrt_thread *thread, const void *address, const wk_trap_site *site, bool faulted) {
    thread->trap_address = address;
    thread->trap_site = site;
    thread->trap_faulted = faulted;
}

/* Unwinds to the innermost protected call; that call must exist. */
WK_HIDDEN __attribute__((noreturn)) void wkrt_unwind(wk_trap_code code);

/* ---- line_table.c ---- */

/* The row of the native line table (the object's .debug_line) covering the code at
 * `code`: the file's name as the compiler recorded it, and the line. Not for signal
 * handlers: it maps the object's file. */
WK_HIDDEN bool wkrt_native_line(const void *code, char *file, size_t file_size, uint32_t *line);

/* ---- exception.c ---- */

/* A protected call starts with no exception pending and gives the outer one back (there
 * is none unless a host function calls Wasm after wk_throw); leaving, an exception its
 * call left pending becomes WK_TRAP_EXCEPTION (unless the call trapped). */
WK_HIDDEN wk_exception *wkrt_exceptions_enter(void);
WK_HIDDEN wk_trap_code wkrt_exceptions_leave(wk_exception *outer, wk_trap_code code);

/* ---- stack.c: where this thread's stack ends ---- */

/* The lowest address this thread's stack may grow to, or NULL when unknown; `fenced`
 * tells that a fault up to WKRT_STACK_FENCE_GAP below it is the stack's end (see stack.c). */
#define WKRT_STACK_FENCE_GAP ((size_t)8 << 20)
WK_HIDDEN char *wkrt_stack_low(bool *fenced);

/* ---- signals.c: turning faults into traps ---- */

/* Installs the SIGSEGV/SIGBUS handlers once per process and an alternate signal stack
 * once per thread. */
WK_HIDDEN void wkrt_signals_install(void);
WK_HIDDEN void wkrt_signals_thread_setup(void);

#endif
