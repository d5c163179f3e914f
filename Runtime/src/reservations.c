/* The registry of address ranges reserved for linear memories, so the fault handler
 * can tell a fault in our memory (a trap) from anyone else's (a crash).
 *
 * Writers take a mutex. The handler reads without locks: slots are atomics, kept in
 * chunks of doubling size that are never moved or freed, so a reader never sees
 * memory go away under it. */
#include "internal.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>

typedef struct slot {
    _Atomic(uintptr_t) start; /* 0: free */
    _Atomic(uintptr_t) end;
} slot;

#define FIRST_CHUNK 64 /* chunk k holds FIRST_CHUNK << k slots */
#define CHUNKS 24

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static _Atomic(slot *) chunks[CHUNKS];
static atomic_size_t used; /* slots ever handed out; their chunks are published first */

/* Calls visit on each slot below `used` until it returns true; returns that slot. */
static slot *find(bool (*visit)(slot *, uintptr_t), uintptr_t argument) {
    size_t n = atomic_load(&used), first = 0;
    for (size_t k = 0; k < CHUNKS && first < n; k++) {
        slot *chunk = atomic_load(&chunks[k]);
        if (!chunk) break;
        size_t length = (size_t)FIRST_CHUNK << k;
        for (size_t i = 0; i < length && first + i < n; i++) {
            if (visit(&chunk[i], argument)) return &chunk[i];
        }
        first += length;
    }
    return NULL;
}

static bool is_free(slot *s, uintptr_t unused) {
    (void)unused;
    return atomic_load(&s->start) == 0;
}

static bool starts_at(slot *s, uintptr_t base) {
    return atomic_load(&s->start) == base;
}

static bool contains(slot *s, uintptr_t address) {
    uintptr_t start = atomic_load(&s->start);
    return start != 0 && address >= start && address < atomic_load(&s->end);
}

/* A new slot at index `used`, in a new chunk if needed; NULL when out of memory. */
static slot *append(void) {
    size_t n = atomic_load(&used), first = 0;
    for (size_t k = 0; k < CHUNKS; k++) {
        size_t length = (size_t)FIRST_CHUNK << k;
        if (n < first + length) {
            slot *chunk = atomic_load(&chunks[k]);
            if (!chunk) {
                chunk = calloc(length, sizeof *chunk);
                if (!chunk) return NULL;
                atomic_store(&chunks[k], chunk);
            }
            atomic_store(&used, n + 1);
            return &chunk[n - first];
        }
        first += length;
    }
    return NULL;
}

bool wkrt_reservation_add(void *base, uint64_t size) {
    pthread_mutex_lock(&lock);
    slot *s = find(is_free, 0);
    if (!s) s = append();
    if (s) {
        atomic_store(&s->end, (uintptr_t)base + (uintptr_t)size);
        atomic_store(&s->start, (uintptr_t)base); /* last: makes the slot count */
    }
    pthread_mutex_unlock(&lock);
    return s != NULL;
}

void wkrt_reservation_remove(void *base) {
    pthread_mutex_lock(&lock);
    slot *s = find(starts_at, (uintptr_t)base);
    if (s) atomic_store(&s->start, 0);
    pthread_mutex_unlock(&lock);
}

bool wkrt_reservation_contains(const void *address) {
    return find(contains, (uintptr_t)address) != NULL;
}
