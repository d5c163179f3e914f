/* Traps and protected calls: wk_call_protected pushes a jump buffer on a per-thread
 * chain; a trap, from generated code, a host function or the fault handler, jumps to
 * the innermost one. (Wasm exceptions return instead: see wasmkiln-gen.h.) */
#include "internal.h"
#include "wasmkiln-gc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

__thread char *wk_stack_limit = NULL;
__thread wkrt_thread wkrt_thread_state;

/* A host trap's message is copied here: the host function's own buffer may be on
 * the stack that the trap unwinds. Valid until the next host trap on the thread. */
static __thread char host_message_copy[1024];

/* Stack kept below wk_stack_limit for what runs after the check fails or around wasm
 * code: the trap path, signal delivery before the alternate stack, host functions. */
#define STACK_MARGIN ((size_t)128 << 10)

void wkrt_unwind(wk_trap_code code) {
    wkrt_frame *frame = wkrt_thread_state.frame;
    frame->code = code;
    siglongjmp(frame->jump, 1);
}

/* Without a protected call there is nowhere to go. */
static __attribute__((noreturn)) void unhandled(wk_trap_code code, const char *message) {
    if (message) fprintf(stderr, "trap: %s: %s\n", wk_trap_text(code), message);
    else fprintf(stderr, "trap: %s\n", wk_trap_text(code));
    abort();
}

void wk_trap(wk_trap_code code) {
    if (code == WK_TRAP_NONE) code = WK_TRAP_UNREACHABLE; /* a trap must be one */
    /* Generated code calls this from inline checks, so the call lies in the trapping
     * function. The return address may not (after a noreturn call comes the next
     * function), the call instruction's last byte does. */
    wkrt_record_trap(&wkrt_thread_state, (const char *)__builtin_return_address(0) - 1, NULL, false);
    if (!wkrt_thread_state.frame) unhandled(code, NULL);
    wkrt_unwind(code);
}

void wk_trap_at(wk_trap_code code, const wk_trap_site *site) {
    if (code == WK_TRAP_NONE) code = WK_TRAP_UNREACHABLE;
    wkrt_record_trap(&wkrt_thread_state, (const char *)__builtin_return_address(0) - 1, site, false);
    if (!wkrt_thread_state.frame) unhandled(code, NULL);
    wkrt_unwind(code);
}

void wk_trap_host(const char *message) {
    wkrt_frame *frame = wkrt_thread_state.frame;
    wkrt_record_trap(&wkrt_thread_state, NULL, NULL, false); /* host code: no module function to name */
    if (!frame) unhandled(WK_TRAP_HOST, message);
    if (message) {
        snprintf(host_message_copy, sizeof host_message_copy, "%s", message);
        frame->message = host_message_copy;
    } else {
        frame->message = NULL;
    }
    wkrt_unwind(WK_TRAP_HOST);
}

static void setup_thread(wkrt_thread *thread) {
    wkrt_signals_install();
    wkrt_signals_thread_setup();
    thread->stack_low = wkrt_stack_low(&thread->stack_fenced);
    thread->ready = true;
}

/* The limit leaves STACK_MARGIN above the stack's end, or a quarter of the room left
 * on small stacks so that some recursion stays possible. */
static void set_stack_limit(const wkrt_thread *thread) {
    char *low = thread->stack_low;
    char *here = __builtin_frame_address(0);
    if (!low || here <= low) return;
    size_t margin = (size_t)(here - low) / 4;
    if (margin > STACK_MARGIN) margin = STACK_MARGIN;
    wk_stack_limit = low + margin;
}

wk_trap_code wk_call_protected(void (*body)(void *), void *context, const char **host_message) {
    wkrt_thread *thread = &wkrt_thread_state;
    if (!thread->ready) setup_thread(thread);
    if (!wk_stack_limit) set_stack_limit(thread);

    wk_exception *pending = wkrt_exceptions_enter();
    /* A trap unwinds generated code without its epilogues: its GC frames go with it. */
    wk_gc_frame *gc_frames = wk_gc_frames;
    wkrt_frame frame;
    frame.previous = thread->frame;
    frame.code = WK_TRAP_NONE;
    frame.message = NULL;
    if (sigsetjmp(frame.jump, 0) == 0) {
        thread->frame = &frame;
        body(context);
    }
    thread->frame = frame.previous;
    wk_gc_frames = gc_frames;
    wk_trap_code code = wkrt_exceptions_leave(pending, (wk_trap_code)frame.code);
    if (host_message) *host_message = code == WK_TRAP_HOST ? frame.message : NULL;
    return code;
}

const void *wk_trap_address(void) {
    return wkrt_thread_state.trap_address;
}

const wk_trap_site *wk_last_trap_site(void) {
    return wkrt_thread_state.trap_site;
}

/* A fault's site, once looked up: the thread's last trap site from then on. */
static __thread wk_trap_site fault_site;
static __thread char fault_file[512];

/* The function N of a row in "MODULE_FILE#N", the file a function's offset directives
 * name; `count` when the row is not one. */
static uint32_t offset_file_function(const char *row_file, const char *module_file, uint32_t count) {
    const char *base = strrchr(row_file, '/');
    base = base ? base + 1 : row_file;
    size_t length = strlen(module_file);
    if (strncmp(base, module_file, length) != 0 || base[length] != '#' || !base[length + 1]) return count;
    uint64_t index = 0;
    for (const char *digit = base + length + 1; *digit; digit++) {
        if (*digit < '0' || *digit > '9' || index >= count) return count;
        index = index * 10 + (uint64_t)(*digit - '0');
    }
    return index < count ? (uint32_t)index : count;
}

/* Whether a row's file is one of the module's original sources (the same name, or one
 * ending in the other after a '/': debug information may split off a folder). */
static bool is_source_file(const char *row_file, const char *const *sources) {
    size_t row_length = strlen(row_file);
    for (; sources && *sources; sources++) {
        size_t length = strlen(*sources);
        const char *longer = row_length >= length ? row_file : *sources;
        const char *shorter = row_length >= length ? *sources : row_file;
        size_t difference = row_length >= length ? row_length - length : length - row_length;
        if (strcmp(longer + difference, shorter) == 0 && (difference == 0 || longer[difference - 1] == '/')) return true;
    }
    return false;
}

const wk_trap_site *wk_fault_site(const wk_function_info *functions, uint32_t count, const char *module_file,
                                  const char *const *sources, const wk_function_info *containing) {
    wkrt_thread *thread = &wkrt_thread_state;
    if (!thread->trap_faulted) return NULL;
    uint32_t line;
    if (!wkrt_native_line(thread->trap_address, fault_file, sizeof fault_file, &line)) return NULL;
    uint32_t index = offset_file_function(fault_file, module_file, count);
    if (index < count) fault_site = (wk_trap_site){&functions[index], NULL, line};
    else if (containing && is_source_file(fault_file, sources)) fault_site = (wk_trap_site){containing, fault_file, line};
    else return NULL; /* a row of a runtime header or the system's: not the module's own */
    thread->trap_faulted = false;
    thread->trap_site = &fault_site;
    return &fault_site;
}
