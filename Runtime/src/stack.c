/* Where the calling thread's stack ends, for wk_stack_limit and the fault handler. */
#include "internal.h"

#include <pthread.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

/* Linux keeps other mappings this far below a growing main-thread stack
 * (stack_guard_gap, 256 pages by default): the stack cannot grow into it. */
#define MAIN_STACK_GUARD_GAP ((size_t)1 << 20)
/* With an unlimited RLIMIT_STACK, assume no more than this much main stack. */
#define MAIN_STACK_DEFAULT_LIMIT ((size_t)1 << 30)

static bool is_main_thread(void) {
    return syscall(SYS_gettid) == getpid();
}

/* Without RLIMIT_STACK the main stack would grow until memory runs out, and with guard
 * pages no generated code checks the limit: a PROT_NONE mapping at the end we assume
 * makes that end real. The kernel then stops the stack its stack_guard_gap above the
 * mapping, so the usable stack ends WKRT_STACK_FENCE_GAP above it. */
static char *fence(char *end) {
    size_t size = (size_t)64 << 10;
    char *at = mmap(end - size, size, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE | MAP_FIXED_NOREPLACE, -1, 0);
    if (at == MAP_FAILED) return end;
    if (at != end - size) { /* a kernel that ignores MAP_FIXED_NOREPLACE put it elsewhere */
        munmap(at, size);
        return end;
    }
    return end + WKRT_STACK_FENCE_GAP;
}

char *wkrt_stack_low(bool *fenced) {
    *fenced = false;
    pthread_attr_t attr;
    if (pthread_getattr_np(pthread_self(), &attr) != 0) return NULL;
    void *address = NULL;
    size_t size = 0;
    int failed = pthread_attr_getstack(&attr, &address, &size);
    pthread_attr_destroy(&attr);
    if (failed || !address || size == 0) return NULL;
    /* For other threads glibc reports the stack above its guard pages. */
    char *low = address;
    if (!is_main_thread()) return low;

    /* The main stack grows on demand, and glibc reports how far: RLIMIT_STACK below the
     * stack's top, or less when another mapping lies nearer, in which case the kernel
     * also keeps a gap above that mapping that the stack cannot grow into. (Without
     * the neighbour, the size falls short of the limit only by the arguments and
     * environment above the stack, at most a quarter of the limit.) */
    struct rlimit limit;
    bool unlimited = getrlimit(RLIMIT_STACK, &limit) != 0 || limit.rlim_cur == RLIM_INFINITY;
    if (unlimited && size > MAIN_STACK_DEFAULT_LIMIT) {
        char *end = low + size - MAIN_STACK_DEFAULT_LIMIT;
        char *fenced_end = fence(end);
        *fenced = fenced_end != end;
        return fenced_end;
    }
    size_t allowed = unlimited ? SIZE_MAX : (size_t)limit.rlim_cur;
    bool neighbour = size + allowed / 4 + MAIN_STACK_GUARD_GAP < allowed;
    if (!neighbour) return low;
    return low + (size / 2 < MAIN_STACK_GUARD_GAP ? size / 2 : MAIN_STACK_GUARD_GAP);
}
