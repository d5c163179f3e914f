/* simd-ops: the SIMD instructions whose hardware forms differ from Wasm's (float min/max
 * with NaN and signed zeros, rounding, saturating conversions and arithmetic, narrowing,
 * q15mulr, bitmask and all_true, popcnt and dot products, u32 -> f32), each in a loop
 * of WASM intrinsics over a small array, timed apart. Built by build.sh (clang -O2
 * -msimd128); run as `ops [ROUNDS]` (default 2000; the README's figures use 20000): one
 * line per kernel on standard error ("name seconds"), then a checksum of every result on
 * standard output, which must be the same under every engine. */
#include <wasm_simd128.h>
#include <stdio.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#define N 4096
static float fa[N], fb[N]; static int16_t sa[N], sb[N]; static uint8_t bytes[N];
static uint64_t h = 1469598103934665603ull;
static void mix(v128_t v) { h = (h ^ wasm_i64x2_extract_lane(v, 0) ^ (wasm_i64x2_extract_lane(v, 1) << 1)) * 0x100000001B3ull; }
#define LOOP(name, body) { struct timespec t0, t1; clock_gettime(CLOCK_MONOTONIC, &t0); for (int r = 0; r < reps; r++) { v128_t acc = wasm_i32x4_splat(r); for (int i = 0; i < N; i += 4) { body; } mix(acc);} clock_gettime(CLOCK_MONOTONIC, &t1); fprintf(stderr, "%-12s %.3f s\n", name, (t1.tv_sec - t0.tv_sec) + (t1.tv_nsec - t0.tv_nsec) * 1e-9); }
#include <time.h>
int main(int argc, char **argv) {
    int reps = argc > 1 ? atoi(argv[1]) : 2000;
    for (int i = 0; i < N; i++) { fa[i] = (float)((i * 7919) % 2001 - 1000) / 7.0f; fb[i] = (float)((i * 104729) % 3001 - 1500) / 11.0f; sa[i] = (int16_t)(i * 31337); sb[i] = (int16_t)(i * 2654435761u >> 16); bytes[i] = (uint8_t)(i * 37 + 1); }
    LOOP("f32 min/max", v128_t a = wasm_v128_load(fa + i); v128_t b = wasm_v128_load(fb + i); acc = wasm_i32x4_add(acc, wasm_f32x4_min(a, b)); acc = wasm_i32x4_add(acc, wasm_f32x4_max(a, b)))
    LOOP("f32 floor", v128_t a = wasm_v128_load(fa + i); acc = wasm_i32x4_add(acc, wasm_f32x4_floor(a)); acc = wasm_i32x4_add(acc, wasm_f32x4_nearest(wasm_v128_load(fb + i))))
    LOOP("trunc_sat", v128_t a = wasm_v128_load(fa + i); acc = wasm_i32x4_add(acc, wasm_i32x4_trunc_sat_f32x4(wasm_f32x4_mul(a, wasm_f32x4_splat(3e7f)))))
    LOOP("narrow", v128_t a = wasm_v128_load(sa + i); v128_t b = wasm_v128_load(sb + (i ^ 8)); acc = wasm_i32x4_add(acc, wasm_u8x16_narrow_i16x8(a, b)); acc = wasm_i32x4_add(acc, wasm_i8x16_narrow_i16x8(b, a)))
    LOOP("q15mulr", v128_t a = wasm_v128_load(sa + i); v128_t b = wasm_v128_load(sb + i); acc = wasm_i32x4_add(acc, wasm_i16x8_q15mulr_sat(a, b)))
    LOOP("sat add", v128_t a = wasm_v128_load(sa + i); v128_t b = wasm_v128_load(sb + i); acc = wasm_i32x4_add(acc, wasm_i16x8_add_sat(a, b)); acc = wasm_i32x4_add(acc, wasm_u8x16_sub_sat(a, b)))
    LOOP("bitmask", v128_t a = wasm_v128_load(bytes + i * 2); acc = wasm_i32x4_add(acc, wasm_i32x4_splat(wasm_i8x16_bitmask(wasm_i8x16_eq(a, wasm_i8x16_splat(7))) + wasm_i8x16_all_true(a))))
    LOOP("popcnt/dot", v128_t a = wasm_v128_load(sa + i); v128_t b = wasm_v128_load(sb + i); acc = wasm_i32x4_add(acc, wasm_i8x16_popcnt(a)); acc = wasm_i32x4_add(acc, wasm_i32x4_dot_i16x8(a, b)))
    LOOP("u32->f32", v128_t a = wasm_v128_load(sa + i); acc = wasm_i32x4_add(acc, wasm_f32x4_convert_u32x4(a)))
    printf("%016llx\n", (unsigned long long)h);
    return 0;
}
