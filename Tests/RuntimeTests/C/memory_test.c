/* Linear memory in both bounds modes: sizes, limits, contents and a fixed base. */
#include "check.h"

#include <string.h>

#define PAGE 65536u
#define GUARD_RESERVATION (((uint64_t)8 << 30) + PAGE)

static bool all_zero(const uint8_t *bytes, uint64_t count) {
    for (uint64_t i = 0; i < count; i++) {
        if (bytes[i]) return false;
    }
    return true;
}

static void grow_and_keep(wk_bounds_mode mode) {
    wk_memory *memory = wk_memory_new(1, 3, mode);
    CHECK(memory != NULL);
    CHECK(memory->base != NULL);
    CHECK_EQ(memory->pages, 1);
    CHECK_EQ(memory->size, PAGE);
    CHECK_EQ(memory->max_pages, 3);
    CHECK_EQ(memory->guarded, mode == WK_BOUNDS_GUARD);
    CHECK_EQ(memory->reserved, mode == WK_BOUNDS_GUARD ? GUARD_RESERVATION : 3 * PAGE);
    CHECK(all_zero(memory->base, memory->size));

    uint8_t *base = memory->base;
    memset(base, 0xAB, PAGE);
    CHECK_EQ(wk_memory_grow(memory, 1), 1);
    CHECK(memory->base == base);
    CHECK_EQ(memory->pages, 2);
    CHECK_EQ(memory->size, 2 * PAGE);
    CHECK(base[0] == 0xAB && base[PAGE - 1] == 0xAB);
    CHECK(all_zero(base + PAGE, PAGE));
    base[2 * PAGE - 1] = 7;

    CHECK_EQ(wk_memory_grow(memory, 2), UINT32_MAX);
    CHECK_EQ(memory->pages, 2);
    CHECK_EQ(memory->size, 2 * PAGE);
    CHECK_EQ(wk_memory_grow(memory, UINT32_MAX), UINT32_MAX);
    CHECK_EQ(wk_memory_grow(memory, 0), 2);
    CHECK_EQ(wk_memory_grow(memory, 1), 2);
    CHECK_EQ(wk_memory_grow(memory, 1), UINT32_MAX);
    CHECK_EQ(wk_memory_grow(memory, 0), 3);
    CHECK(memory->base == base);
    CHECK_EQ(memory->size, 3 * PAGE);
    CHECK(base[2 * PAGE - 1] == 7 && base[PAGE] == 0);
    CHECK(all_zero(base + 2 * PAGE, PAGE));
    wk_memory_free(memory);
}

static void limits(wk_bounds_mode mode) {
    CHECK(wk_memory_new(4, 3, mode) == NULL);

    /* An absent maximum (any value above 65536) means 65536 pages. */
    wk_memory *unlimited = wk_memory_new(0, UINT32_MAX, mode);
    CHECK(unlimited != NULL);
    CHECK_EQ(unlimited->max_pages, 65536);
    CHECK_EQ(unlimited->size, 0);
    CHECK(unlimited->base != NULL);
    CHECK_EQ(wk_memory_grow(unlimited, 65537), UINT32_MAX);
    CHECK_EQ(wk_memory_grow(unlimited, 2), 0);
    unlimited->base[2 * PAGE - 1] = 1;
    wk_memory_free(unlimited);

    wk_memory *empty = wk_memory_new(0, 0, mode);
    CHECK(empty != NULL && empty->base != NULL);
    CHECK_EQ(empty->size, 0);
    CHECK_EQ(empty->reserved, mode == WK_BOUNDS_GUARD ? GUARD_RESERVATION : PAGE);
    CHECK_EQ(wk_memory_grow(empty, 1), UINT32_MAX);
    CHECK_EQ(wk_memory_grow(empty, 0), 0);
    wk_memory_free(empty);
}

/* More memories than the registry's first chunks hold, some freed and replaced. */
static void many(void) {
    enum { COUNT = 250 };
    static wk_memory *memories[COUNT];
    for (int i = 0; i < COUNT; i++) {
        memories[i] = wk_memory_new(1, 1, i % 2 ? WK_BOUNDS_GUARD : WK_BOUNDS_EXPLICIT);
        CHECK(memories[i] != NULL);
        memories[i]->base[0] = (uint8_t)i;
    }
    for (int i = 0; i < COUNT; i += 3) wk_memory_free(memories[i]);
    for (int i = 0; i < COUNT; i += 3) {
        memories[i] = wk_memory_new(1, 2, WK_BOUNDS_GUARD);
        CHECK(memories[i] != NULL);
        memories[i]->base[0] = (uint8_t)i;
    }
    for (int i = 0; i < COUNT; i++) {
        CHECK_EQ(memories[i]->base[0], (uint8_t)i);
        wk_memory_free(memories[i]);
    }
}

int main(void) {
    test_start();
    grow_and_keep(WK_BOUNDS_GUARD);
    OK("guard grow");
    grow_and_keep(WK_BOUNDS_EXPLICIT);
    OK("explicit grow");
    limits(WK_BOUNDS_GUARD);
    OK("guard limits");
    limits(WK_BOUNDS_EXPLICIT);
    OK("explicit limits");
    CHECK(wk_memory_new(1, 1, (wk_bounds_mode)7) == NULL);
    many();
    OK("many memories");
    wk_memory_free(NULL);
    return 0;
}
