/* A WASI command without libc, for the source-level debugging tests
 * (Tests/FrontendTests/SourceLocationTests.swift name lines of this file: keep them).
 * It prints the average of the first 5 - argc of four numbers: with four arguments
 * it averages none and divides by zero. Built with -g by Scripts/build-fixtures. */
#include <stddef.h>
#include <stdint.h>

__attribute__((import_module("wasi_snapshot_preview1"), import_name("args_sizes_get")))
int32_t args_sizes_get(uint32_t *count, uint32_t *size);
__attribute__((import_module("wasi_snapshot_preview1"), import_name("fd_write")))
int32_t fd_write(int32_t fd, const void *iovs, size_t count, size_t *written);

static const int values[] = {3, 5, 7, 9};

__attribute__((noinline)) static int sum(const int *numbers, int count) {
    int total = 0;
    for (int i = 0; i < count; i++)
        total += numbers[i];
    return total;
}

static int average(const int *numbers, int count) {
    return sum(numbers, count) / count;
}

void _start(void) {
    uint32_t argc = 0, size = 0;
    args_sizes_get(&argc, &size);
    int result = average(values, 5 - (int)argc);
    char line[] = {'a', 'v', 'e', 'r', 'a', 'g', 'e', ' ', (char)('0' + result), '\n'};
    struct { const char *base; size_t length; } text = {line, sizeof line};
    size_t written;
    fd_write(1, &text, 1, &written);
}
