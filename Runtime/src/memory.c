/* Linear memory: one reservation of address space, made PROT_NONE up front and made
 * accessible page by page as the memory grows, so the base never moves, growing
 * copies nothing, and pages never touched cost no RAM. */
#include "internal.h"

#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#define WK_PAGE_SIZE 65536u
#define WK_MAX_PAGES 65536u

/* Guard mode: an access is base + u32 address + u32 offset + up to 16 bytes, so it
 * always lands below base + 8 GiB + 16; one extra Wasm page covers the 16. Whatever
 * lies past `size` stays PROT_NONE and faults. */
#define WK_GUARD_RESERVATION (((uint64_t)8 << 30) + WK_PAGE_SIZE)

static bool commit(uint8_t *from, uint64_t bytes) {
    return bytes == 0 || mprotect(from, (size_t)bytes, PROT_READ | PROT_WRITE) == 0;
}

wk_memory *wk_memory_new(uint32_t pages, uint32_t max_pages, wk_bounds_mode mode) {
    if (max_pages > WK_MAX_PAGES) max_pages = WK_MAX_PAGES;
    if (pages > max_pages) return NULL;

    uint64_t reserved;
    if (mode == WK_BOUNDS_GUARD) {
        if (sizeof(void *) < 8) return NULL; /* no room for the guard region */
        reserved = WK_GUARD_RESERVATION;
    } else if (mode == WK_BOUNDS_EXPLICIT) {
        /* At least one page, so that even an empty memory has a real base. */
        reserved = (uint64_t)(max_pages ? max_pages : 1) * WK_PAGE_SIZE;
        if (reserved > SIZE_MAX) return NULL;
    } else {
        return NULL;
    }

    wk_memory *memory = calloc(1, sizeof *memory);
    if (!memory) return NULL;
    void *base = mmap(NULL, (size_t)reserved, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    if (base == MAP_FAILED) {
        free(memory);
        return NULL;
    }
    uint64_t size = (uint64_t)pages * WK_PAGE_SIZE;
    if (!commit(base, size) || !wkrt_reservation_add(base, reserved)) {
        munmap(base, (size_t)reserved);
        free(memory);
        return NULL;
    }
    memory->base = base;
    memory->size = size;
    memory->pages = pages;
    memory->max_pages = max_pages;
    memory->reserved = reserved;
    memory->guarded = mode == WK_BOUNDS_GUARD;
    return memory;
}

void wk_memory_free(wk_memory *memory) {
    if (!memory) return;
    wkrt_reservation_remove(memory->base);
    munmap(memory->base, (size_t)memory->reserved);
    free(memory);
}

uint32_t wk_memory_grow(wk_memory *memory, uint32_t delta) {
    uint32_t old_pages = memory->pages;
    if (delta > memory->max_pages - old_pages) return UINT32_MAX;
    uint64_t added = (uint64_t)delta * WK_PAGE_SIZE;
    if (!commit(memory->base + memory->size, added)) return UINT32_MAX;
    memory->pages = old_pages + delta;
    memory->size += added;
    return old_pages;
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
