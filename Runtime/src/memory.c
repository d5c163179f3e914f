/* Linear memory: one reservation of address space, made PROT_NONE up front and made
 * accessible page by page as the memory grows, so the base never moves, growing
 * copies nothing, and pages never touched cost no RAM. */
#include "internal.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>

#define WK_PAGE_SIZE 65536u
#define WK_MAX_PAGES 65536u

/* Guard mode: an access is base + u32 address + u32 offset + up to 16 bytes, so it
 * always lands below base + 8 GiB + 16; one extra Wasm page covers the 16. Whatever
 * lies past `size` stays PROT_NONE and faults. */
#define WK_GUARD_RESERVATION (((uint64_t)8 << 30) + WK_PAGE_SIZE)

static uint64_t round_up(uint64_t size, uint64_t unit) {
    return (size + unit - 1) / unit * unit;
}

static bool commit(uint8_t *from, uint64_t bytes) {
    return bytes == 0 || mprotect(from, (size_t)bytes, PROT_READ | PROT_WRITE) == 0;
}

/* Statistics and policy, beside the public struct. Building the runtime with
 * -DWK_NO_MEMORY_STATS leaves out the per-site counts and the grow events. */
struct wk_memory_state {
    uint32_t initial_pages;
    uint64_t created_ns;
    uint64_t grow_calls, grows;
    uint64_t failures[WK_GROW_FAIL_KINDS];
    wk_grow_event *events;
    uint32_t event_count, event_capacity;
    wk_grow_site *sites;
    uint32_t site_count, site_capacity;
    uint32_t last_site; /* where the previous call's site was: usually the next one's */
    uint64_t committed; /* bytes from base that are readable and writable */
    wk_grow_policy policy;
    void *policy_context, *policy_instance;
};

static uint64_t now_ns(void) {
    struct timespec time;
    clock_gettime(CLOCK_MONOTONIC, &time);
    return (uint64_t)time.tv_sec * 1000000000u + (uint64_t)time.tv_nsec;
}

wk_memory *wk_memory_new(uint32_t pages, uint32_t max_pages, wk_bounds_mode mode) {
    return wk_memory_new_paged(pages, max_pages, 16, false, mode);
}

/* How much address space a 64-bit memory may reserve: memories never move, so this is
 * as far as one can grow (unless it declares less). Reserving costs no RAM, only
 * address space, of which an x86-64 process has 128 TiB. */
#ifndef WK_MEMORY64_RESERVATION
#define WK_MEMORY64_RESERVATION ((uint64_t)64 << 30)
#endif

static wk_memory *create(uint32_t pages, uint32_t max_pages, uint8_t page_log2, bool shared, bool address64,
                         wk_bounds_mode mode);

wk_memory *wk_memory_new_paged(uint32_t pages, uint32_t max_pages, uint8_t page_log2, bool shared, wk_bounds_mode mode) {
    if (page_log2 != 0 && page_log2 != 16) return NULL;
    /* At most 4 GiB: 65536 pages of 64 KiB, or 2^32 - 1 single bytes. */
    uint32_t limit = page_log2 == 16 ? WK_MAX_PAGES : UINT32_MAX;
    if (max_pages > limit) max_pages = limit;
    return create(pages, max_pages, page_log2, shared, false, mode);
}

wk_memory *wk_memory_new64(uint64_t pages, uint64_t max_pages, uint8_t page_log2, bool shared, wk_bounds_mode mode) {
    if (page_log2 != 0 && page_log2 != 16) return NULL;
    if (mode != WK_BOUNDS_GUARD && mode != WK_BOUNDS_EXPLICIT) return NULL;
    uint64_t limit = WK_MEMORY64_RESERVATION >> page_log2;
    if (limit > UINT32_MAX) limit = UINT32_MAX;
    if (max_pages > limit) max_pages = limit;
    if (pages > max_pages) return NULL;
    /* Checked explicitly whatever the mode: no guard region can cover a 64-bit address. */
    return create((uint32_t)pages, (uint32_t)max_pages, page_log2, shared, true, WK_BOUNDS_EXPLICIT);
}

static wk_memory *create(uint32_t pages, uint32_t max_pages, uint8_t page_log2, bool shared, bool address64,
                         wk_bounds_mode mode) {
    if (pages > max_pages) return NULL;

    uint64_t reserved;
    if (mode == WK_BOUNDS_GUARD) {
        if (sizeof(void *) < 8) return NULL; /* no room for the guard region */
        reserved = WK_GUARD_RESERVATION;
    } else if (mode == WK_BOUNDS_EXPLICIT) {
        /* At least one page, so that even an empty memory has a real base. */
        reserved = round_up((uint64_t)(max_pages ? max_pages : 1) << page_log2, WK_PAGE_SIZE);
        if (reserved > SIZE_MAX) return NULL;
    } else {
        return NULL;
    }

    wk_memory *memory = calloc(1, sizeof *memory);
    struct wk_memory_state *state = calloc(1, sizeof *state);
    if (!memory || !state) {
        free(memory);
        free(state);
        return NULL;
    }
    void *base = mmap(NULL, (size_t)reserved, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    if (base == MAP_FAILED) {
        free(memory);
        free(state);
        return NULL;
    }
    uint64_t size = (uint64_t)pages << page_log2;
    if (!commit(base, round_up(size, WK_PAGE_SIZE)) || !wkrt_reservation_add(base, reserved)) {
        munmap(base, (size_t)reserved);
        free(memory);
        free(state);
        return NULL;
    }
    memory->base = base;
    memory->size = size;
    memory->pages = pages;
    memory->max_pages = max_pages;
    memory->cap_pages = max_pages;
    memory->reserved = reserved;
    memory->guarded = mode == WK_BOUNDS_GUARD;
    memory->state = state;
    memory->shared = shared;
    memory->page_log2 = page_log2;
    memory->address64 = address64;
    state->initial_pages = pages;
    state->committed = round_up(size, WK_PAGE_SIZE);
    state->created_ns = now_ns();
    return memory;
}

wk_memory *wk_memory_new_shared(uint32_t pages, uint32_t max_pages, wk_bounds_mode mode) {
    return wk_memory_new_paged(pages, max_pages, 16, true, mode);
}

void wk_memory_free(wk_memory *memory) {
    if (!memory) return;
    wkrt_reservation_remove(memory->base);
    munmap(memory->base, (size_t)memory->reserved);
    free(memory->state->events);
    free(memory->state->sites);
    free(memory->state);
    free(memory);
}

void wk_memory_set_cap(wk_memory *memory, uint32_t pages) {
    if (pages > memory->max_pages) pages = memory->max_pages;
    if (pages < memory->pages) pages = memory->pages; /* memory never shrinks */
    memory->cap_pages = pages;
}

void wk_memory_set_policy(wk_memory *memory, wk_grow_policy policy, void *context, void *instance) {
    memory->state->policy = policy;
    memory->state->policy_context = context;
    memory->state->policy_instance = instance;
}

#ifndef WK_NO_MEMORY_STATS
/* The statistics of `function`'s memory.grow calls, added when first seen; NULL when
 * out of memory (the grow goes on, uncounted by site). */
static wk_grow_site *site_of(struct wk_memory_state *state, uint32_t function) {
    if (state->last_site < state->site_count && state->sites[state->last_site].function == function) {
        return &state->sites[state->last_site];
    }
    for (uint32_t k = 0; k < state->site_count; k++) {
        if (state->sites[k].function == function) {
            state->last_site = k;
            return &state->sites[k];
        }
    }
    if (state->site_count == state->site_capacity) {
        uint32_t capacity = state->site_capacity ? state->site_capacity * 2 : 4;
        wk_grow_site *sites = realloc(state->sites, capacity * sizeof *sites);
        if (!sites) return NULL;
        state->sites = sites;
        state->site_capacity = capacity;
    }
    state->last_site = state->site_count++;
    state->sites[state->last_site] = (wk_grow_site){function, 0, 0, 0};
    return &state->sites[state->last_site];
}

/* Appends a grow event; dropped when out of memory. At most one per page added, so
 * the list stays below 65536 entries. */
static void record_event(struct wk_memory_state *state, wk_grow_event event) {
    if (state->event_count == state->event_capacity) {
        uint32_t capacity = state->event_capacity ? state->event_capacity * 2 : 16;
        wk_grow_event *events = realloc(state->events, capacity * sizeof *events);
        if (!events) return;
        state->events = events;
        state->event_capacity = capacity;
    }
    state->events[state->event_count++] = event;
}
#endif

/* Makes the first `size` bytes accessible. With explicit bounds checks the code never
 * touches bytes past the memory's size, so it commits ahead (as much again, up to 16 MiB)
 * and most grows need no system call; pages never touched still cost no RAM. With guard
 * pages everything past the size must stay inaccessible, so it commits exactly. */
static bool commit_for(wk_memory *memory, uint64_t size) {
    struct wk_memory_state *state = memory->state;
    size = round_up(size, WK_PAGE_SIZE); /* 1-byte pages end inside a system page */
    if (size <= state->committed) return true;
    if (!memory->guarded) {
        uint64_t ahead = size + (size < ((uint64_t)16 << 20) ? size : (uint64_t)16 << 20);
        if (ahead > memory->reserved) ahead = memory->reserved;
        if (commit(memory->base + state->committed, ahead - state->committed)) {
            state->committed = ahead;
            return true;
        }
    }
    if (!commit(memory->base + state->committed, size - state->committed)) return false;
    state->committed = size;
    return true;
}

static uint32_t refuse(struct wk_memory_state *state, wk_grow_failure cause) {
    state->failures[cause]++;
    return UINT32_MAX;
}

uint32_t wk_memory_grow(wk_memory *memory, uint32_t delta) {
    return wk_memory_grow_at(memory, delta, WK_HOST_SITE);
}

static uint32_t grow(wk_memory *memory, uint64_t delta, uint32_t function);

/* Threads of a shared memory may grow it at once: one grow at a time, so that pages,
 * size and the statistics stay exact. Unshared memories belong to one thread. */
static pthread_mutex_t shared_grow_lock = PTHREAD_MUTEX_INITIALIZER;

static uint32_t grow_locked(wk_memory *memory, uint64_t delta, uint32_t function) {
    if (!memory->shared) return grow(memory, delta, function);
    pthread_mutex_lock(&shared_grow_lock);
    uint32_t result = grow(memory, delta, function);
    pthread_mutex_unlock(&shared_grow_lock);
    return result;
}

uint32_t wk_memory_grow_at(wk_memory *memory, uint32_t delta, uint32_t function) {
    return grow_locked(memory, delta, function);
}

/* A 64-bit memory's delta may pass 2^32 pages: more than any memory here holds, so
 * refused by its maximum like any other. */
uint64_t wk_memory_grow64_at(wk_memory *memory, uint64_t delta, uint32_t function) {
    uint32_t old_pages = grow_locked(memory, delta, function);
    return old_pages == UINT32_MAX ? UINT64_MAX : old_pages;
}

static uint32_t grow(wk_memory *memory, uint64_t delta, uint32_t function) {
    struct wk_memory_state *state = memory->state;
    state->grow_calls++;
#ifndef WK_NO_MEMORY_STATS
    wk_grow_site *site = site_of(state, function);
    if (site) site->calls++;
#else
    (void)function;
#endif
    uint32_t old_pages = memory->pages;
    if (delta > memory->max_pages - old_pages) return refuse(state, WK_GROW_FAIL_MAXIMUM);
    if (delta > memory->cap_pages - old_pages) return refuse(state, WK_GROW_FAIL_CAP);
    if (delta == 0) return old_pages;
    uint32_t new_pages = old_pages + (uint32_t)delta; /* fits: delta <= max_pages - old_pages */
    if (state->policy && !state->policy(state->policy_context, state->policy_instance, memory, old_pages, new_pages)) {
        return refuse(state, WK_GROW_FAIL_POLICY);
    }
    uint64_t added = (uint64_t)delta << memory->page_log2;
    if (!commit_for(memory, memory->size + added)) return refuse(state, WK_GROW_FAIL_SYSTEM);
    /* Atomic, released: threads of a shared memory read these while it grows, and must
     * find the new pages committed once they see the new size. */
    __atomic_store_n(&memory->pages, new_pages, __ATOMIC_RELEASE);
    __atomic_store_n(&memory->size, memory->size + added, __ATOMIC_RELEASE);
    state->grows++;
#ifndef WK_NO_MEMORY_STATS
    if (site) {
        site->grows++;
        site->pages += delta;
    }
    record_event(state, (wk_grow_event){now_ns() - state->created_ns, old_pages, new_pages, function});
#endif
    return old_pages;
}

static int by_pages_added(const void *a, const void *b) {
    const wk_grow_site *x = a, *y = b;
    if (x->pages != y->pages) return x->pages > y->pages ? -1 : 1;
    if (x->calls != y->calls) return x->calls > y->calls ? -1 : 1;
    return x->function < y->function ? -1 : x->function > y->function;
}

void wk_memory_stats_get(wk_memory *memory, wk_memory_stats *out) {
    struct wk_memory_state *state = memory->state;
    if (state->site_count > 1) qsort(state->sites, state->site_count, sizeof *state->sites, by_pages_added);
    *out = (wk_memory_stats){
        .initial_pages = state->initial_pages,
        .current_pages = memory->pages,
        .peak_pages = memory->pages,
        .max_pages = memory->max_pages,
        .cap_pages = memory->cap_pages,
        .grow_calls = state->grow_calls,
        .grows = state->grows,
        .committed_bytes = state->committed,
        .reserved_bytes = memory->reserved,
        .elapsed_ns = now_ns() - state->created_ns,
        .event_count = state->event_count,
        .events = state->events,
        .site_count = state->site_count,
        .sites = state->sites,
        .page_size = 1u << memory->page_log2,
    };
    memcpy(out->failures, state->failures, sizeof out->failures);
}

bool wk_memory_read(const wk_memory *memory, uint64_t address, void *out, size_t length) {
    const uint8_t *from = wk_memory_slice(memory, address, length);
    if (!from) return false;
    if (length) memcpy(out, from, length);
    return true;
}

bool wk_memory_write(wk_memory *memory, uint64_t address, const void *data, size_t length) {
    uint8_t *to = wk_memory_slice(memory, address, length);
    if (!to) return false;
    if (length) memcpy(to, data, length);
    return true;
}
