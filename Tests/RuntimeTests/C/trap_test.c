/* Traps: texts, wk_call_protected, nesting, host messages, out-of-bounds faults in
 * both memory modes, and faults that are not ours.
 * `trap_test unprotected` traps with no protected call and must abort. */
#include "check.h"

#include <signal.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static const char *texts[] = {
    [WK_TRAP_UNREACHABLE] = "unreachable",
    [WK_TRAP_DIVIDE_BY_ZERO] = "integer divide by zero",
    [WK_TRAP_INTEGER_OVERFLOW] = "integer overflow",
    [WK_TRAP_INVALID_CONVERSION] = "invalid conversion to integer",
    [WK_TRAP_MEMORY_OUT_OF_BOUNDS] = "out of bounds memory access",
    [WK_TRAP_TABLE_OUT_OF_BOUNDS] = "out of bounds table access",
    [WK_TRAP_INDIRECT_CALL_TYPE_MISMATCH] = "indirect call type mismatch",
    [WK_TRAP_UNDEFINED_ELEMENT] = "undefined element",
    [WK_TRAP_UNINITIALIZED_ELEMENT] = "uninitialized element",
    [WK_TRAP_CALL_STACK_EXHAUSTED] = "call stack exhausted",
    [WK_TRAP_HOST] = "host trap",
};

static void finish(void *context) {
    *(int *)context += 1;
}

static void trap_with(void *context) {
    wk_trap(*(wk_trap_code *)context);
}

/* Reads one byte at base + address + offset, the way generated guard-mode code does. */
typedef struct mem_access {
    wk_memory *memory;
    uint64_t address, offset;
    uint8_t value;
} mem_access;

static void load(void *context) {
    mem_access *a = context;
    a->value = *(volatile uint8_t *)(a->memory->base + a->address + a->offset);
}

static void store(void *context) {
    mem_access *a = context;
    *(volatile uint64_t *)(a->memory->base + a->address + a->offset) = 1;
}

static void texts_and_codes(void) {
    for (int code = WK_TRAP_UNREACHABLE; code <= WK_TRAP_HOST; code++) {
        CHECK(strcmp(wk_trap_text((wk_trap_code)code), texts[code]) == 0);
        const char *message = "unset";
        wk_trap_code expected = (wk_trap_code)code;
        CHECK_EQ(wk_call_protected(trap_with, &expected, &message), code);
        CHECK(message == NULL);
    }
    int runs = 0;
    const char *message = "unset";
    CHECK_EQ(wk_call_protected(finish, &runs, &message), WK_TRAP_NONE);
    CHECK(message == NULL);
    CHECK_EQ(runs, 1);
    CHECK_EQ(wk_call_protected(finish, &runs, NULL), WK_TRAP_NONE);
    CHECK_EQ(runs, 2);
}

static void host_function(void *context) {
    char buffer[64]; /* on the stack the trap unwinds: the runtime must copy */
    snprintf(buffer, sizeof buffer, "bad argument %d", *(int *)context);
    wk_trap_host(buffer);
}

static void host_message(void) {
    int value = 42;
    const char *message = NULL;
    CHECK_EQ(wk_call_protected(host_function, &value, &message), WK_TRAP_HOST);
    CHECK(message != NULL && strcmp(message, "bad argument 42") == 0);
    CHECK(strcmp(wk_trap_text(WK_TRAP_HOST), "host trap") == 0);
}

typedef struct nest {
    int depth, finished;
    wk_trap_code inner;
} nest;

static void nested(void *context) {
    nest *n = context;
    if (n->depth > 0) {
        n->depth--;
        wk_trap_code code = WK_TRAP_INTEGER_OVERFLOW;
        n->inner = wk_call_protected(trap_with, &code, NULL);
        CHECK_EQ(wk_call_protected(nested, n, NULL), WK_TRAP_NONE);
    }
    n->finished++;
}

static void outer_traps_after_inner(void *context) {
    (void)context;
    int runs = 0;
    CHECK_EQ(wk_call_protected(finish, &runs, NULL), WK_TRAP_NONE);
    wk_trap(WK_TRAP_DIVIDE_BY_ZERO);
}

static void nesting(void) {
    nest n = {.depth = 5};
    CHECK_EQ(wk_call_protected(nested, &n, NULL), WK_TRAP_NONE);
    CHECK_EQ(n.finished, 6);
    CHECK_EQ(n.inner, WK_TRAP_INTEGER_OVERFLOW);
    CHECK_EQ(wk_call_protected(outer_traps_after_inner, NULL, NULL), WK_TRAP_DIVIDE_BY_ZERO);
}

static void out_of_bounds(wk_bounds_mode mode, int rounds) {
    wk_memory *memory = wk_memory_new(1, 4, mode);
    CHECK(memory != NULL);
    memory->base[100] = 9;
    uint64_t addresses[][2] = {
        {65536, 0},                 /* the first byte past size */
        {65535, 1},
        {100, 65536},
        {3 * 65536, 5},             /* past size, inside max */
        {0xFFFFFFFFu, 0xFFFFFFFFu}, /* the farthest guard mode must cover */
        {0xFFFFFFF0u, 0},
    };
    int cases = mode == WK_BOUNDS_GUARD ? 6 : 4; /* explicit: only the reservation faults */
    for (int round = 0; round < rounds; round++) {
        for (int i = 0; i < cases; i++) {
            mem_access a = {memory, addresses[i][0], addresses[i][1], 0};
            CHECK_EQ(wk_call_protected(round % 2 ? store : load, &a, NULL), WK_TRAP_MEMORY_OUT_OF_BOUNDS);
        }
        mem_access in_bounds = {memory, 100, 0, 0};
        CHECK_EQ(wk_call_protected(load, &in_bounds, NULL), WK_TRAP_NONE);
        CHECK_EQ(in_bounds.value, 9);
    }
    /* After growing, the same address works. */
    CHECK_EQ(wk_memory_grow(memory, 1), 1);
    mem_access grown = {memory, 65536, 0, 5};
    CHECK_EQ(wk_call_protected(load, &grown, NULL), WK_TRAP_NONE);
    CHECK_EQ(grown.value, 0);
    wk_memory_free(memory);
}

static void wild_read(void *context) {
    (void)context;
    static volatile uintptr_t wild = 16; /* hidden from the optimizer */
    (void)*(volatile uint8_t *)wild;
}

static void write_to_read_only(void *context) {
    *(volatile char *)context = 1;
}

static void on_segv_exit_42(int signo, siginfo_t *info, void *context) {
    (void)signo, (void)info, (void)context;
    _exit(42);
}

/* Runs `child` in a fork and returns its wait status. */
static int in_child(void (*child)(void)) {
    pid_t pid = fork();
    CHECK(pid >= 0);
    if (pid == 0) {
        child();
        _exit(0); /* survived: wrong */
    }
    int status = 0;
    CHECK(waitpid(pid, &status, 0) == pid);
    return status;
}

static void fault_outside_memories(void) {
    wk_memory *memory = wk_memory_new(1, 1, WK_BOUNDS_GUARD); /* a reservation exists */
    CHECK(memory != NULL);
    wk_call_protected(wild_read, NULL, NULL);
}

static void fault_in_memory_unprotected(void) {
    wk_memory *memory = wk_memory_new(1, 1, WK_BOUNDS_GUARD);
    int runs = 0;
    wk_call_protected(finish, &runs, NULL); /* handlers installed */
    mem_access a = {memory, 70000, 0, 0};
    load(&a); /* ours, but no protected call to return to */
}

static void fault_forwarded_to_previous_handler(void) {
    struct sigaction action;
    memset(&action, 0, sizeof action);
    action.sa_sigaction = on_segv_exit_42;
    action.sa_flags = SA_SIGINFO;
    sigemptyset(&action.sa_mask);
    sigaction(SIGSEGV, &action, NULL);
    static const char read_only[] = "constant";
    wk_call_protected(write_to_read_only, (void *)read_only, NULL);
}

static void foreign_faults(void) {
    int status = in_child(fault_outside_memories);
    CHECK(WIFSIGNALED(status) && WTERMSIG(status) == SIGSEGV);
    status = in_child(fault_in_memory_unprotected);
    CHECK(WIFSIGNALED(status) && WTERMSIG(status) == SIGSEGV);
    status = in_child(fault_forwarded_to_previous_handler);
    CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 42);
}

int main(int argc, char **argv) {
    test_start();
    if (argc > 1 && strcmp(argv[1], "unprotected") == 0) {
        wk_trap(WK_TRAP_INTEGER_OVERFLOW);
    }
    texts_and_codes();
    OK("texts and codes");
    host_message();
    OK("host message");
    nesting();
    OK("nesting");
    out_of_bounds(WK_BOUNDS_GUARD, 4);
    OK("guard out of bounds");
    out_of_bounds(WK_BOUNDS_EXPLICIT, 2);
    OK("explicit reservation faults");
    foreign_faults();
    OK("foreign faults");
    return 0;
}
