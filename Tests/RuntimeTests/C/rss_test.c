/* Reserving and growing memory costs address space, not RAM: grow to 1 GiB, touch
 * 10 MiB, and the process stays small. */
#include "check.h"

#include <string.h>
#include <unistd.h>

static size_t resident_bytes(void) {
    FILE *file = fopen("/proc/self/statm", "r");
    CHECK(file != NULL);
    unsigned long total = 0, resident = 0;
    CHECK(fscanf(file, "%lu %lu", &total, &resident) == 2);
    fclose(file);
    return (size_t)resident * (size_t)sysconf(_SC_PAGESIZE);
}

static void grow_and_touch(wk_bounds_mode mode, const char *name) {
    size_t before = resident_bytes();
    wk_memory *memory = wk_memory_new(1, UINT32_MAX, mode);
    CHECK(memory != NULL);
    for (int i = 0; i < 16383; i++) CHECK(wk_memory_grow(memory, 1) != UINT32_MAX);
    CHECK_EQ(memory->size, (uint64_t)1 << 30);
    /* 10 MiB in one run (so transparent huge pages cannot inflate it much). */
    memset(memory->base + ((uint64_t)512 << 20), 0x5A, (size_t)10 << 20);
    size_t after = resident_bytes();
    size_t grew = after > before ? after - before : 0;
    printf("%s: resident grew by %zu KiB (reserved %llu MiB)\n", name, grew >> 10,
           (unsigned long long)(memory->reserved >> 20));
    CHECK(grew >= (size_t)10 << 20);  /* what we touched is really there */
    CHECK(grew < (size_t)24 << 20);   /* and little else */
    wk_memory_free(memory);
}

int main(void) {
    test_start();
    grow_and_touch(WK_BOUNDS_GUARD, "guard");
    OK("guard rss");
    grow_and_touch(WK_BOUNDS_EXPLICIT, "explicit");
    OK("explicit rss");
    return 0;
}
