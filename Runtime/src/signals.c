/* Turns hardware faults inside a protected call into traps: an access past a guarded
 * memory's size hits its PROT_NONE reservation; a runaway recursion that slipped past
 * wk_stack_limit hits the stack's guard. Every other fault goes to whoever handled it
 * before us, or kills the process as it would have without us. */
#include "internal.h"

#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <ucontext.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

/* Faults this far below the stack's end count as stack overflow. */
#define STACK_GUARD_WINDOW ((uintptr_t)64 << 10)
#define ALT_STACK_SIZE ((size_t)64 << 10)

static pthread_once_t once = PTHREAD_ONCE_INIT;
static struct sigaction previous_segv, previous_bus;
static pthread_key_t alt_stack_key;
static size_t alt_stack_size, page_size;

static bool in_stack_guard(const wkrt_thread *thread, const void *address) {
    uintptr_t low = (uintptr_t)thread->stack_low, a = (uintptr_t)address;
    uintptr_t window = STACK_GUARD_WINDOW + (thread->stack_fenced ? WKRT_STACK_FENCE_GAP : 0);
    return low != 0 && a < low && a >= low - window;
}

/* Hands the signal to the handler that was there before ours. */
static void forward(int signo, siginfo_t *info, void *context) {
    const struct sigaction *previous = signo == SIGBUS ? &previous_bus : &previous_segv;
    if (previous->sa_handler == SIG_DFL || previous->sa_handler == SIG_IGN) {
        /* Restore the default action. A fault re-raises itself when we return (the
         * access runs again); a signal someone sent has to be sent again. */
        struct sigaction action;
        memset(&action, 0, sizeof action);
        action.sa_handler = SIG_DFL;
        sigemptyset(&action.sa_mask);
        sigaction(signo, &action, NULL);
        if (info->si_code <= 0) raise(signo);
    } else if (previous->sa_flags & SA_SIGINFO) {
        previous->sa_sigaction(signo, info, context);
    } else {
        previous->sa_handler(signo);
    }
}

/* The instruction that faulted, from the signal's saved registers. */
static const void *fault_address(void *context) {
    const ucontext_t *registers = context;
#if defined(__x86_64__)
    return (const void *)registers->uc_mcontext.gregs[REG_RIP];
#elif defined(__aarch64__)
    return (const void *)registers->uc_mcontext.pc;
#else
    (void)registers;
    return NULL;
#endif
}

static void on_fault(int signo, siginfo_t *info, void *context) {
    wkrt_thread *thread = &wkrt_thread_state;
    /* si_code > 0: raised by the kernel for this access, not sent with kill. */
    if (thread->frame && info->si_code > 0) {
        /* The site is looked up later, in the line table (wk_fault_site). */
        wkrt_record_trap(thread, fault_address(context), NULL, true);
        if (wkrt_reservation_contains(info->si_addr)) wkrt_unwind(WK_TRAP_MEMORY_OUT_OF_BOUNDS);
        if (in_stack_guard(thread, info->si_addr)) wkrt_unwind(WK_TRAP_CALL_STACK_EXHAUSTED);
    }
    int saved_errno = errno;
    forward(signo, info, context);
    errno = saved_errno;
}

/* Runs when a thread that got an alternate stack from us exits. */
static void release_alt_stack(void *mapping) {
    stack_t current;
    if (sigaltstack(NULL, &current) == 0 && current.ss_sp == (char *)mapping + page_size) {
        stack_t off = {.ss_flags = SS_DISABLE};
        if (sigaltstack(&off, NULL) != 0) return; /* still in use: leak it */
    }
    munmap(mapping, page_size + alt_stack_size);
}

static void install(void) {
    page_size = (size_t)sysconf(_SC_PAGESIZE);
    alt_stack_size = ALT_STACK_SIZE;
#ifdef _SC_SIGSTKSZ
    /* Large vector registers make signal frames big on some machines. */
    long needed = sysconf(_SC_SIGSTKSZ);
    if (needed > 0 && (size_t)needed * 4 > alt_stack_size) alt_stack_size = (size_t)needed * 4;
#endif
    alt_stack_size = (alt_stack_size + page_size - 1) / page_size * page_size;
    pthread_key_create(&alt_stack_key, release_alt_stack);

    struct sigaction action;
    memset(&action, 0, sizeof action);
    action.sa_sigaction = on_fault;
    /* NODEFER and an empty mask: a trap leaves the handler by siglongjmp without
     * restoring a signal mask, so the handler must not change it. */
    action.sa_flags = SA_SIGINFO | SA_ONSTACK | SA_NODEFER;
    sigemptyset(&action.sa_mask);
    sigaction(SIGSEGV, &action, &previous_segv);
    sigaction(SIGBUS, &action, &previous_bus);
}

void wkrt_signals_install(void) {
    pthread_once(&once, install);
}

/* A stack overflow fault cannot run its handler on the exhausted stack. */
void wkrt_signals_thread_setup(void) {
    stack_t current;
    if (sigaltstack(NULL, &current) == 0 && !(current.ss_flags & SS_DISABLE)) return; /* keep theirs */
    /* A guard page below, so that an overflowing handler crashes instead of scribbling. */
    char *mapping = mmap(NULL, page_size + alt_stack_size, PROT_READ | PROT_WRITE,
                         MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (mapping == MAP_FAILED) return;
    mprotect(mapping, page_size, PROT_NONE);
    stack_t stack = {.ss_sp = mapping + page_size, .ss_size = alt_stack_size, .ss_flags = 0};
    if (sigaltstack(&stack, NULL) != 0 || pthread_setspecific(alt_stack_key, mapping) != 0) {
        stack_t off = {.ss_flags = SS_DISABLE};
        sigaltstack(&off, NULL);
        munmap(mapping, page_size + alt_stack_size);
    }
}
