/* The SIMD helpers that use vector tricks or SSE sequences, lane for lane against
 * plain scalar references (the scalar instructions' helpers where Wasm has one), on
 * random vectors salted with the awkward values: NaNs with payloads, signed zeros,
 * infinities, halves, the edges of 2^23, 2^31, 2^32 and of each integer width. The
 * Swift side builds this with and without WK_SIMD_PORTABLE and for several CPUs, so
 * every path of a helper must give the same bits. */
#include "check.h"
#include "wasmkiln-simd.h"

static uint64_t state = 0x9E3779B97F4A7C15u;
static uint64_t next_random(void) {
    state ^= state << 13;
    state ^= state >> 7;
    state ^= state << 17;
    return state;
}

static const uint32_t f32_specials[] = {
    0x00000000, 0x80000000, 0x7F800000, 0xFF800000, 0x7FC00000, 0xFFC00000, 0x7FA00001,
    0xFF812345, 0x7FC54321, 0x3F800000, 0xBF800000, 0x3F000000, 0xBF000000, 0x3FC00000,
    0xC0200000, 0x4B000000, 0xCB000000, 0x4AFFFFFF, 0xCAFFFFFF, 0x4B000001, 0x4EFFFFFF,
    0x4F000000, 0xCF000000, 0xCF000001, 0x4F7FFFFF, 0x4F800000, 0x4F800001, 0xBF7FFFFF,
    0x00000001, 0x807FFFFF, 0x7F7FFFFF, 0x3EFFFFFF, 0x3F3FFFFF, 0x4B7FFFFF,
};
static const uint64_t f64_specials[] = {
    0, 0x8000000000000000u, 0x7FF0000000000000u, 0xFFF0000000000000u, 0x7FF8000000000000u,
    0xFFF8000000000000u, 0x7FF4000000000001u, 0xFFF0000000012345u, 0x3FF0000000000000u,
    0xBFF0000000000000u, 0x3FE0000000000000u, 0xBFE0000000000000u, 0x4004000000000000u,
    0x4330000000000000u, 0xC330000000000000u, 0x432FFFFFFFFFFFFFu, 0x4330000000000001u,
    0x41DFFFFFFFC00000u, 0x41E0000000000000u, 0xC1E0000000000000u, 0x41EFFFFFFFE00000u,
    0x41F0000000000000u, 0x0000000000000001u, 0x3FDFFFFFFFFFFFFFu, 0x7FEFFFFFFFFFFFFFu,
};
static const uint16_t i16_specials[] = {0, 1, 0xFFFF, 0x8000, 0x7FFF, 0x8001, 0x7FFE, 0x00FF, 0xFF00, 0x0080, 0xFF80, 0x4000, 0xC000};
static const uint8_t i8_specials[] = {0, 1, 0xFF, 0x80, 0x7F, 0x81, 0x7E, 0x0F, 0xF0};

#define PICK(array) array[next_random() % (sizeof array / sizeof array[0])]

/* Random bytes, then (for most vectors) some lanes of one shape replaced by special values. */
static wk_v128 random_vector(void) {
    wk_v128 v = {next_random(), next_random()};
    uint8_t bytes[16];
    memcpy(bytes, &v, 16);
    switch (next_random() % 5) {
    case 0:
        for (int k = 0; k < 4; k++)
            if (next_random() & 1) { uint32_t x = PICK(f32_specials); memcpy(bytes + 4 * k, &x, 4); }
        break;
    case 1:
        for (int k = 0; k < 2; k++)
            if (next_random() & 1) { uint64_t x = PICK(f64_specials); memcpy(bytes + 8 * k, &x, 8); }
        break;
    case 2:
        for (int k = 0; k < 8; k++)
            if (next_random() & 1) { uint16_t x = PICK(i16_specials); memcpy(bytes + 2 * k, &x, 2); }
        break;
    case 3:
        for (int k = 0; k < 16; k++)
            if (next_random() & 1) bytes[k] = PICK(i8_specials);
        break;
    default: break;
    }
    memcpy(&v, bytes, 16);
    return v;
}

/* Lanes of a vector as plain arrays. */
typedef union {
    wk_v128 v;
    int8_t i8[16];
    uint8_t u8[16];
    int16_t i16[8];
    uint16_t u16[8];
    int32_t i32[4];
    uint32_t u32[4];
    uint64_t u64[2];
    float f32[4];
    double f64[2];
} lanes;

static lanes L(wk_v128 v) { lanes l; l.v = v; return l; }

static int same(wk_v128 a, wk_v128 b) { return a.lo == b.lo && a.hi == b.hi; }

static void fail(const char *name, wk_v128 a, wk_v128 b, wk_v128 got, wk_v128 want) {
    printf("FAIL %s(%016llx%016llx, %016llx%016llx) = %016llx%016llx, expected %016llx%016llx\n", name,
           (unsigned long long)a.hi, (unsigned long long)a.lo, (unsigned long long)b.hi, (unsigned long long)b.lo,
           (unsigned long long)got.hi, (unsigned long long)got.lo, (unsigned long long)want.hi,
           (unsigned long long)want.lo);
    exit(1);
}

static int64_t clamp(int64_t x, int64_t low, int64_t high) { return x < low ? low : x > high ? high : x; }

/* ---- References ---- */

#define REF_FLOAT_UNARY(name, field, lanes_, scalar)                                                       \
    static wk_v128 ref_##name(wk_v128 a) {                                                                 \
        lanes x = L(a);                                                                                    \
        for (int k = 0; k < lanes_; k++) x.field[k] = scalar(x.field[k]);                                  \
        return x.v;                                                                                        \
    }
#define REF_FLOAT_BINARY(name, field, lanes_, scalar)                                                      \
    static wk_v128 ref_##name(wk_v128 a, wk_v128 b) {                                                      \
        lanes x = L(a), y = L(b);                                                                          \
        for (int k = 0; k < lanes_; k++) x.field[k] = scalar(x.field[k], y.field[k]);                      \
        return x.v;                                                                                        \
    }
REF_FLOAT_BINARY(f32x4_min, f32, 4, wk_f32_min)
REF_FLOAT_BINARY(f32x4_max, f32, 4, wk_f32_max)
REF_FLOAT_BINARY(f64x2_min, f64, 2, wk_f64_min)
REF_FLOAT_BINARY(f64x2_max, f64, 2, wk_f64_max)
REF_FLOAT_UNARY(f32x4_ceil, f32, 4, wk_f32_ceil)
REF_FLOAT_UNARY(f32x4_floor, f32, 4, wk_f32_floor)
REF_FLOAT_UNARY(f32x4_trunc, f32, 4, wk_f32_trunc)
REF_FLOAT_UNARY(f32x4_nearest, f32, 4, wk_f32_nearest)
REF_FLOAT_UNARY(f64x2_ceil, f64, 2, wk_f64_ceil)
REF_FLOAT_UNARY(f64x2_floor, f64, 2, wk_f64_floor)
REF_FLOAT_UNARY(f64x2_trunc, f64, 2, wk_f64_trunc)
REF_FLOAT_UNARY(f64x2_nearest, f64, 2, wk_f64_nearest)

#define REF_SATURATE(name, field, lanes_, op, low, high)                                                   \
    static wk_v128 ref_##name(wk_v128 a, wk_v128 b) {                                                      \
        lanes x = L(a), y = L(b);                                                                          \
        for (int k = 0; k < lanes_; k++) x.field[k] = clamp((int64_t)x.field[k] op (int64_t)y.field[k], low, high); \
        return x.v;                                                                                        \
    }
REF_SATURATE(i8x16_add_sat_s, i8, 16, +, -128, 127)
REF_SATURATE(i8x16_add_sat_u, u8, 16, +, 0, 255)
REF_SATURATE(i8x16_sub_sat_s, i8, 16, -, -128, 127)
REF_SATURATE(i8x16_sub_sat_u, u8, 16, -, 0, 255)
REF_SATURATE(i16x8_add_sat_s, i16, 8, +, -32768, 32767)
REF_SATURATE(i16x8_add_sat_u, u16, 8, +, 0, 65535)
REF_SATURATE(i16x8_sub_sat_s, i16, 8, -, -32768, 32767)
REF_SATURATE(i16x8_sub_sat_u, u16, 8, -, 0, 65535)

#define REF_NARROW(name, from, to, lanes_, low, high)                                                      \
    static wk_v128 ref_##name(wk_v128 a, wk_v128 b) {                                                      \
        lanes x = L(a), y = L(b), r;                                                                       \
        for (int k = 0; k < lanes_; k++) {                                                                 \
            r.to[k] = clamp(x.from[k], low, high);                                                         \
            r.to[k + lanes_] = clamp(y.from[k], low, high);                                                \
        }                                                                                                  \
        return r.v;                                                                                        \
    }
REF_NARROW(i8x16_narrow_i16x8_s, i16, i8, 8, -128, 127)
REF_NARROW(i8x16_narrow_i16x8_u, i16, u8, 8, 0, 255)
REF_NARROW(i16x8_narrow_i32x4_s, i32, i16, 4, -32768, 32767)
REF_NARROW(i16x8_narrow_i32x4_u, i32, u16, 4, 0, 65535)

static wk_v128 ref_i16x8_q15mulr_sat_s(wk_v128 a, wk_v128 b) {
    lanes x = L(a), y = L(b);
    for (int k = 0; k < 8; k++) x.i16[k] = clamp(((int32_t)x.i16[k] * y.i16[k] + 0x4000) >> 15, -32768, 32767);
    return x.v;
}

#define REF_PAIRWISE(name, from, to, lanes_)                                                               \
    static wk_v128 ref_##name(wk_v128 a) {                                                                 \
        lanes x = L(a), r;                                                                                 \
        for (int k = 0; k < lanes_; k++) r.to[k] = x.from[2 * k] + x.from[2 * k + 1];                      \
        return r.v;                                                                                        \
    }
REF_PAIRWISE(i16x8_extadd_pairwise_i8x16_s, i8, i16, 8)
REF_PAIRWISE(i16x8_extadd_pairwise_i8x16_u, u8, u16, 8)
REF_PAIRWISE(i32x4_extadd_pairwise_i16x8_s, i16, i32, 4)
REF_PAIRWISE(i32x4_extadd_pairwise_i16x8_u, u16, u32, 4)

static wk_v128 ref_i32x4_dot_i16x8_s(wk_v128 a, wk_v128 b) {
    lanes x = L(a), y = L(b), r;
    for (int k = 0; k < 4; k++)
        r.u32[k] = (uint32_t)(x.i16[2 * k] * y.i16[2 * k]) + (uint32_t)(x.i16[2 * k + 1] * y.i16[2 * k + 1]);
    return r.v;
}

static wk_v128 ref_i8x16_popcnt(wk_v128 a) {
    lanes x = L(a);
    for (int k = 0; k < 16; k++) x.u8[k] = (uint8_t)__builtin_popcount(x.u8[k]);
    return x.v;
}

static wk_v128 ref_i8x16_swizzle(wk_v128 a, wk_v128 i) {
    lanes x = L(a), y = L(i), r;
    for (int k = 0; k < 16; k++) r.u8[k] = y.u8[k] < 16 ? x.u8[y.u8[k]] : 0;
    return r.v;
}

static wk_v128 ref_f32x4_convert_i32x4_u(wk_v128 a) {
    lanes x = L(a);
    for (int k = 0; k < 4; k++) x.f32[k] = (float)x.u32[k];
    return x.v;
}
static wk_v128 ref_i32x4_trunc_sat_f32x4_s(wk_v128 a) {
    lanes x = L(a);
    for (int k = 0; k < 4; k++) x.u32[k] = wk_i32_trunc_sat_f32_s(x.f32[k]);
    return x.v;
}
static wk_v128 ref_i32x4_trunc_sat_f32x4_u(wk_v128 a) {
    lanes x = L(a);
    for (int k = 0; k < 4; k++) x.u32[k] = wk_i32_trunc_sat_f32_u(x.f32[k]);
    return x.v;
}

#define REF_LANE_TESTS(shape, field, lanes_, bits)                                                          \
    static uint32_t ref_##shape##_bitmask(wk_v128 a) {                                                     \
        lanes x = L(a); uint32_t r = 0;                                                                     \
        for (int k = 0; k < lanes_; k++) r |= (uint32_t)((uint64_t)x.field[k] >> (bits - 1)) << k;          \
        return r;                                                                                          \
    }                                                                                                      \
    static uint32_t ref_##shape##_all_true(wk_v128 a) {                                                    \
        lanes x = L(a);                                                                                     \
        for (int k = 0; k < lanes_; k++)                                                                   \
            if (x.field[k] == 0) return 0;                                                                 \
        return 1;                                                                                          \
    }
REF_LANE_TESTS(i8x16, u8, 16, 8)
REF_LANE_TESTS(i16x8, u16, 8, 16)
REF_LANE_TESTS(i32x4, u32, 4, 32)
REF_LANE_TESTS(i64x2, u64, 2, 64)

/* ---- Checks ---- */

enum { ROUNDS = 200000 };

/* Vectors with some lanes equal, so that the equal-lanes paths (min/max of zeros) run. */
static void random_pair(wk_v128 *a, wk_v128 *b) {
    *a = random_vector();
    *b = random_vector();
    if (next_random() % 4 == 0) {
        lanes x = L(*a), y = L(*b);
        for (int k = 0; k < 16; k++)
            if (next_random() % 3 == 0) y.u8[k] = x.u8[k];
        *b = y.v;
    }
}

#define CHECK_UNARY(name)                                                                                   \
    for (int round = 0; round < ROUNDS; round++) {                                                         \
        wk_v128 a = random_vector(), got = wk_##name(a), want = ref_##name(a);                             \
        if (!same(got, want)) fail(#name, a, a, got, want);                                                 \
    }
#define CHECK_BINARY(name)                                                                                  \
    for (int round = 0; round < ROUNDS; round++) {                                                         \
        wk_v128 a, b;                                                                                      \
        random_pair(&a, &b);                                                                               \
        wk_v128 got = wk_##name(a, b), want = ref_##name(a, b);                                            \
        if (!same(got, want)) fail(#name, a, b, got, want);                                                 \
    }
/* min and max of two NaNs may give either one, quieted (Wasm allows any arithmetic NaN;
 * clang commutes the scalar helpers' a + b). */
#define CHECK_MIN_MAX(name, field, lanes_, uint, quiet)                                                     \
    for (int round = 0; round < ROUNDS; round++) {                                                         \
        wk_v128 a, b;                                                                                      \
        random_pair(&a, &b);                                                                               \
        lanes got = L(wk_##name(a, b)), want = L(ref_##name(a, b)), x = L(a), y = L(b);                    \
        for (int k = 0; k < lanes_; k++) {                                                                 \
            uint g, w, p, q;                                                                               \
            memcpy(&g, &got.field[k], sizeof g);                                                           \
            memcpy(&w, &want.field[k], sizeof w);                                                          \
            memcpy(&p, &x.field[k], sizeof p);                                                             \
            memcpy(&q, &y.field[k], sizeof q);                                                             \
            int both_nan = x.field[k] != x.field[k] && y.field[k] != y.field[k];                           \
            if (g != w && !(both_nan && (g == (p | quiet) || g == (q | quiet)))) fail(#name, a, b, got.v, want.v); \
        }                                                                                                  \
    }
#define CHECK_TEST(name)                                                                                    \
    for (int round = 0; round < ROUNDS; round++) {                                                         \
        wk_v128 a = random_vector();                                                                       \
        if (next_random() % 2) { lanes x = L(a); for (int k = 0; k < 16; k++) x.u8[k] |= 1; a = x.v; }     \
        wk_v128 got = {wk_##name(a), 0}, want = {ref_##name(a), 0};                                        \
        if (!same(got, want)) fail(#name, a, a, got, want);                                                 \
    }

int main(void) {
    test_start();
    CHECK_MIN_MAX(f32x4_min, f32, 4, uint32_t, 0x00400000u) CHECK_MIN_MAX(f32x4_max, f32, 4, uint32_t, 0x00400000u)
    CHECK_MIN_MAX(f64x2_min, f64, 2, uint64_t, 0x0008000000000000u)
    CHECK_MIN_MAX(f64x2_max, f64, 2, uint64_t, 0x0008000000000000u)
    OK("float min max");
    CHECK_UNARY(f32x4_ceil) CHECK_UNARY(f32x4_floor) CHECK_UNARY(f32x4_trunc) CHECK_UNARY(f32x4_nearest)
    CHECK_UNARY(f64x2_ceil) CHECK_UNARY(f64x2_floor) CHECK_UNARY(f64x2_trunc) CHECK_UNARY(f64x2_nearest)
    OK("float rounding");
    CHECK_BINARY(i8x16_add_sat_s) CHECK_BINARY(i8x16_add_sat_u) CHECK_BINARY(i8x16_sub_sat_s)
    CHECK_BINARY(i8x16_sub_sat_u) CHECK_BINARY(i16x8_add_sat_s) CHECK_BINARY(i16x8_add_sat_u)
    CHECK_BINARY(i16x8_sub_sat_s) CHECK_BINARY(i16x8_sub_sat_u)
    OK("saturating arithmetic");
    CHECK_BINARY(i8x16_narrow_i16x8_s) CHECK_BINARY(i8x16_narrow_i16x8_u)
    CHECK_BINARY(i16x8_narrow_i32x4_s) CHECK_BINARY(i16x8_narrow_i32x4_u)
    OK("narrowing");
    CHECK_BINARY(i16x8_q15mulr_sat_s) CHECK_BINARY(i32x4_dot_i16x8_s)
    CHECK_UNARY(i16x8_extadd_pairwise_i8x16_s) CHECK_UNARY(i16x8_extadd_pairwise_i8x16_u)
    CHECK_UNARY(i32x4_extadd_pairwise_i16x8_s) CHECK_UNARY(i32x4_extadd_pairwise_i16x8_u)
    CHECK_UNARY(i8x16_popcnt) CHECK_BINARY(i8x16_swizzle)
    OK("integer products and sums");
    CHECK_TEST(i8x16_bitmask) CHECK_TEST(i16x8_bitmask) CHECK_TEST(i32x4_bitmask) CHECK_TEST(i64x2_bitmask)
    CHECK_TEST(i8x16_all_true) CHECK_TEST(i16x8_all_true) CHECK_TEST(i32x4_all_true) CHECK_TEST(i64x2_all_true)
    OK("lane tests");
    CHECK_UNARY(f32x4_convert_i32x4_u) CHECK_UNARY(i32x4_trunc_sat_f32x4_s) CHECK_UNARY(i32x4_trunc_sat_f32x4_u)
    OK("conversions");
    return 0;
}
