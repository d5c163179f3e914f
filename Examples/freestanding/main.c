/* The freestanding example: module `numeric` (numeric.wat) with no C library. It gives
 * the freestanding runtime an arena and a buffer for the module's memory, calls the
 * module's exports and prints what they return, traps included. */
#include "numeric.h"
#include "start.h"

static uint64_t f64_bits(double x) {
    uint64_t bits;
    __builtin_memcpy(&bits, &x, sizeof bits);
    return bits;
}

static uint32_t f32_bits(float x) {
    uint32_t bits;
    __builtin_memcpy(&bits, &x, sizeof bits);
    return bits;
}

/* x rounded to 9 decimals (enough to show a result; print_bits is exact). */
static void print_fixed(double x) {
    if (x < 0) {
        print("-");
        x = -x;
    }
    uint64_t whole = (uint64_t)x;
    uint64_t fraction = (uint64_t)((x - (double)whole) * 1e9 + 0.5);
    if (fraction == 1000000000) {
        whole++;
        fraction = 0;
    }
    print_unsigned(whole);
    print(".");
    for (uint64_t scale = 100000000; scale > fraction && scale > 1; scale /= 10) print("0");
    print_unsigned(fraction);
}

static void print_trap(const char *call, wk_result result) {
    print(call);
    if (result.trap == WK_TRAP_NONE) {
        print(" = no trap\n");
        return;
    }
    print(" trapped: ");
    print(result.message);
    if (result.function) {
        print(" in ");
        print(result.function);
    }
    print("\n");
}

/* ---- The program ---- */

/* The runtime's allocations (the instance, its tables) and the module's memory: 3
 * pages, so memory.grow stops at 3 though the module allows 4. */
static _Alignas(16) unsigned char arena[16384];
static _Alignas(16) unsigned char memory[3 * 65536];

int main_freestanding(void) {
    wk_freestanding_arena(arena, sizeof arena);
    wk_freestanding_memory(memory, sizeof memory);
    wk_error error;
    numeric *inst = numeric_new(NULL, NULL, &error);
    if (!inst) {
        print("numeric_new failed: ");
        print(error.message);
        print("\n");
        return 1;
    }

    print("factorial(20) = ");
    print_unsigned(numeric_factorial(inst, 20));
    print("\nfibonacci(90) = ");
    print_unsigned(numeric_fibonacci(inst, 90));
    print("\ndistance(3, 4) = ");
    print_fixed(numeric_distance(inst, 3, 4));
    print("\ndistance(1, 1) = ");
    print_fixed(numeric_distance(inst, 1, 1));
    print("\nleibniz(1000000) = ");
    print_fixed(numeric_leibniz(inst, 1000000));
    print("\nnearest(2.5) = ");
    print_bits(f64_bits(numeric_nearest(inst, 2.5)), 16);
    print("\nnearest(-0.5) = ");
    print_bits(f64_bits(numeric_nearest(inst, -0.5)), 16);
    print("\nceil(-0.5) = ");
    print_bits(f64_bits(numeric_ceil(inst, -0.5)), 16);
    print("\ntrunc(-7.9f) = ");
    print_bits(f32_bits(numeric_trunc(inst, -7.9f)), 8);
    print("\nmin(0, -0) = ");
    print_bits(f64_bits(numeric_min(inst, 0.0, -0.0)), 16);
    print("\nsum_squares(30000) = ");
    print_unsigned(numeric_sum_squares(inst, 30000));
    print("\npages = ");
    print_unsigned(numeric_pages(inst));
    print("\ngrow(1) = ");
    print_signed((int32_t)numeric_grow(inst, 1));
    print("\ngrow(1) = ");
    print_signed((int32_t)numeric_grow(inst, 1));
    print("\n");

    uint32_t value;
    print_trap("divide(7, 0)", numeric_try_divide(inst, 7, 0, &value));
    print_trap("load(196608)", numeric_try_load(inst, 196608, &value));
    print_trap("divide(7, 2)", numeric_try_divide(inst, 7, 2, &value));
    print("arena used: ");
    print_unsigned(wk_freestanding_arena_used());
    print(" bytes\n");
    return 0;
}
