/* memory.atomic.wait and memory.atomic.notify: threads waiting at an address of a shared
 * memory sleep on a condition variable of their own, in a list per address bucket. One
 * lock guards the lists, and a waiter compares the value under it, so a notify that
 * follows a store cannot slip between a waiter's comparison and its sleep. */
#include "internal.h"

#include <errno.h>
#include <pthread.h>
#include <time.h>

typedef struct waiter {
    const uint8_t *address;
    pthread_cond_t wake;
    bool woken;
    struct waiter *next;
} waiter;

#define BUCKETS 64
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static waiter *buckets[BUCKETS];

static waiter **bucket_of(const uint8_t *address) {
    return &buckets[((uintptr_t)address >> 2) % BUCKETS];
}

static void unlink_waiter(waiter *self) {
    for (waiter **link = bucket_of(self->address); *link; link = &(*link)->next) {
        if (*link == self) {
            *link = self->next;
            return;
        }
    }
}

/* Bounds: in guard mode this read faults and traps (explicit mode checked them before,
 * and generated code checked the alignment first). Atomic: other threads may be
 * writing there. */
static void check_access(const uint8_t *p, uintptr_t size) {
    (void)__atomic_load_n(p + size - 1, __ATOMIC_RELAXED);
}

/* Sleeps at `p` if `matches` (read under the lock) says the value is the expected one. */
static uint32_t wait_at(const uint8_t *p, bool (*matches)(const uint8_t *, uint64_t), uint64_t expected, int64_t timeout) {
    struct timespec deadline;
    if (timeout >= 0) {
        clock_gettime(CLOCK_MONOTONIC, &deadline);
        deadline.tv_sec += (time_t)(timeout / 1000000000);
        deadline.tv_nsec += (long)(timeout % 1000000000);
        if (deadline.tv_nsec >= 1000000000) {
            deadline.tv_sec++;
            deadline.tv_nsec -= 1000000000;
        }
    }
    pthread_mutex_lock(&lock);
    if (!matches(p, expected)) {
        pthread_mutex_unlock(&lock);
        return 1;
    }
    waiter self = {.address = p, .woken = false};
    /* The deadline is on the monotonic clock: setting the wall clock moves no timeout. */
    pthread_condattr_t attributes;
    pthread_condattr_init(&attributes);
    pthread_condattr_setclock(&attributes, CLOCK_MONOTONIC);
    pthread_cond_init(&self.wake, &attributes);
    pthread_condattr_destroy(&attributes);
    waiter **bucket = bucket_of(p);
    self.next = *bucket;
    *bucket = &self;
    int status = 0;
    while (!self.woken && status != ETIMEDOUT) {
        status = timeout >= 0 ? pthread_cond_timedwait(&self.wake, &lock, &deadline) : pthread_cond_wait(&self.wake, &lock);
    }
    if (!self.woken) unlink_waiter(&self);
    pthread_mutex_unlock(&lock);
    pthread_cond_destroy(&self.wake);
    return self.woken ? 0 : 2;
}

static bool matches32(const uint8_t *p, uint64_t expected) {
    return __atomic_load_n((const uint32_t *)p, __ATOMIC_SEQ_CST) == (uint32_t)expected;
}

static bool matches64(const uint8_t *p, uint64_t expected) {
    return __atomic_load_n((const uint64_t *)p, __ATOMIC_SEQ_CST) == expected;
}

uint32_t wk_atomic_wait32(wk_memory *memory, uint8_t *p, uint32_t expected, int64_t timeout) {
    check_access(p, 4);
    if (!memory->shared) wk_trap(WK_TRAP_EXPECTED_SHARED_MEMORY);
    return wait_at(p, matches32, expected, timeout);
}

uint32_t wk_atomic_wait64(wk_memory *memory, uint8_t *p, uint64_t expected, int64_t timeout) {
    check_access(p, 8);
    if (!memory->shared) wk_trap(WK_TRAP_EXPECTED_SHARED_MEMORY);
    return wait_at(p, matches64, expected, timeout);
}

uint32_t wk_atomic_notify(wk_memory *memory, uint8_t *p, uint32_t count) {
    check_access(p, 4);
    if (!memory->shared) return 0; /* no thread can wait on it */
    uint32_t woken = 0;
    pthread_mutex_lock(&lock);
    for (waiter **link = bucket_of(p); *link && woken < count;) {
        waiter *next = *link;
        if (next->address == p) {
            *link = next->next;
            next->woken = true;
            pthread_cond_signal(&next->wake);
            woken++;
        } else {
            link = &next->next;
        }
    }
    pthread_mutex_unlock(&lock);
    return woken;
}
