/* WasmKiln: the C forms of Wasm's SIMD instructions (v128), for generated code.
 *
 * Included only by translation units whose functions use SIMD. A v128 travels as
 * wk_v128 (two uint64_t, the API's type); each operation views it as a GCC/Clang vector
 * of its lane type through memcpy, which the compiler turns into nothing. Lane-wise
 * operations are plain vector arithmetic. Where the hardware (or C) disagrees with Wasm
 * (NaN and signed zero in min/max, rounding, saturating conversions, out-of-range swizzle
 * indices) a lane loop calls the same scalar helpers as the scalar instructions, so that
 * both give identical bits; SSE sequences replace loops where they compute exactly the
 * same thing. */
#ifndef WASMKILN_SIMD_H
#define WASMKILN_SIMD_H

#include "wasmkiln-gen.h"

#if defined(__SSSE3__)
#include <tmmintrin.h>
#elif defined(WK_RELAXED_NATIVE) && defined(__SSE2__)
#include <emmintrin.h>
#endif
#if defined(WK_RELAXED_NATIVE) && defined(__FMA__)
#include <immintrin.h>
#endif

#define WK_LANES(bits, name, type) typedef type wk_##name __attribute__((vector_size(bits / 8)))
WK_LANES(128, i8x16, int8_t);
WK_LANES(128, u8x16, uint8_t);
WK_LANES(128, i16x8, int16_t);
WK_LANES(128, u16x8, uint16_t);
WK_LANES(128, i32x4, int32_t);
WK_LANES(128, u32x4, uint32_t);
WK_LANES(128, i64x2, int64_t);
WK_LANES(128, u64x2, uint64_t);
WK_LANES(128, f32x4, float);
WK_LANES(128, f64x2, double);
WK_LANES(64, i8x8, int8_t);
WK_LANES(64, u8x8, uint8_t);
WK_LANES(64, i16x4, int16_t);
WK_LANES(64, u16x4, uint16_t);
WK_LANES(64, i32x2, int32_t);
WK_LANES(64, u32x2, uint32_t);
#undef WK_LANES

/* Views of a v128 as lanes, and back. */
#define WK_VIEW(name)                                                                  \
    WK_INLINE wk_##name wk_as_##name(wk_v128 v) {                                      \
        wk_##name r;                                                                   \
        memcpy(&r, &v, 16);                                                            \
        return r;                                                                      \
    }
WK_VIEW(i8x16)
WK_VIEW(u8x16)
WK_VIEW(i16x8)
WK_VIEW(u16x8)
WK_VIEW(i32x4)
WK_VIEW(u32x4)
WK_VIEW(i64x2)
WK_VIEW(u64x2)
WK_VIEW(f32x4)
WK_VIEW(f64x2)
#undef WK_VIEW

/* Any 16-byte vector as a v128 (variadic: a compound literal's commas are not in parentheses). */
#define WK_V(...)                                                                      \
    ({                                                                                 \
        __typeof__(__VA_ARGS__) v_ = (__VA_ARGS__);                                    \
        wk_v128 r_;                                                                    \
        memcpy(&r_, &v_, 16);                                                          \
        r_;                                                                            \
    })

#if defined(__SSE2__)
/* A v128 as an SSE register type, for the few helpers that use intrinsics. */
#define WK_SSE(type, v)                                                                \
    ({                                                                                 \
        type m_;                                                                       \
        wk_v128 v_ = (v);                                                              \
        memcpy(&m_, &v_, 16);                                                          \
        m_;                                                                            \
    })
#endif

/* ---- Memory ---- */

/* As for scalar loads (WK_KEEP_INT), an unused load must still fault in guard mode: a
 * volatile asm is never deleted. It passes the value through ("+x") rather than only
 * taking it, so that users read the register it leaves; with an input alone gcc loaded
 * the vector a second time for them. */
#if defined(__x86_64__)
#define WK_KEEP_VECTOR(value) __asm__ volatile("" : "+x"(value))
#elif defined(__aarch64__)
#define WK_KEEP_VECTOR(value) __asm__ volatile("" : "+w"(value))
#else
#define WK_KEEP_VECTOR(value) __asm__ volatile("" : "+m"(value))
#endif

WK_INLINE wk_v128 wk_v128_load(const uint8_t *p) {
    wk_u64x2 v;
    memcpy(&v, p, 16);
    WK_KEEP_VECTOR(v);
    return WK_V(v);
}
WK_INLINE void wk_v128_store(uint8_t *p, wk_v128 v) { memcpy(p, &v, 16); }

#define WK_LOAD_EXTEND(name, half, wide)                                               \
    WK_INLINE wk_v128 wk_v128_##name(const uint8_t *p) {                               \
        return WK_V(__builtin_convertvector(wk_as_half_##half(wk_load_u64(p)), wk_##wide)); \
    }
#define WK_HALF_VIEW(half)                                                             \
    WK_INLINE wk_##half wk_as_half_##half(uint64_t bits) {                             \
        wk_##half r;                                                                   \
        memcpy(&r, &bits, 8);                                                          \
        return r;                                                                      \
    }
WK_HALF_VIEW(i8x8)
WK_HALF_VIEW(u8x8)
WK_HALF_VIEW(i16x4)
WK_HALF_VIEW(u16x4)
WK_HALF_VIEW(i32x2)
WK_HALF_VIEW(u32x2)
#undef WK_HALF_VIEW
WK_LOAD_EXTEND(load8x8_s, i8x8, i16x8)
WK_LOAD_EXTEND(load8x8_u, u8x8, u16x8)
WK_LOAD_EXTEND(load16x4_s, i16x4, i32x4)
WK_LOAD_EXTEND(load16x4_u, u16x4, u32x4)
WK_LOAD_EXTEND(load32x2_s, i32x2, i64x2)
WK_LOAD_EXTEND(load32x2_u, u32x2, u64x2)
#undef WK_LOAD_EXTEND

WK_INLINE wk_v128 wk_v128_load8_splat(const uint8_t *p) { return WK_V((wk_u8x16){0} + wk_load_u8(p)); }
WK_INLINE wk_v128 wk_v128_load16_splat(const uint8_t *p) { return WK_V((wk_u16x8){0} + wk_load_u16(p)); }
WK_INLINE wk_v128 wk_v128_load32_splat(const uint8_t *p) { return WK_V((wk_u32x4){0} + wk_load_u32(p)); }
WK_INLINE wk_v128 wk_v128_load64_splat(const uint8_t *p) { return WK_V((wk_u64x2){0} + wk_load_u64(p)); }
WK_INLINE wk_v128 wk_v128_load32_zero(const uint8_t *p) { return WK_V((wk_u32x4){wk_load_u32(p), 0, 0, 0}); }
WK_INLINE wk_v128 wk_v128_load64_zero(const uint8_t *p) { return WK_V((wk_u64x2){wk_load_u64(p), 0}); }

#define WK_LANE_ACCESS(bits, lanes)                                                    \
    WK_INLINE wk_v128 wk_v128_load##bits##_lane(const uint8_t *p, wk_v128 v, int lane) { \
        wk_u##bits##x##lanes r = wk_as_u##bits##x##lanes(v);                           \
        r[lane] = wk_load_u##bits(p);                                                  \
        return WK_V(r);                                                                \
    }                                                                                  \
    WK_INLINE void wk_v128_store##bits##_lane(uint8_t *p, wk_v128 v, int lane) {       \
        wk_store_u##bits(p, wk_as_u##bits##x##lanes(v)[lane]);                         \
    }
WK_LANE_ACCESS(8, 16)
WK_LANE_ACCESS(16, 8)
WK_LANE_ACCESS(32, 4)
WK_LANE_ACCESS(64, 2)
#undef WK_LANE_ACCESS

/* ---- Lanes ---- */

WK_INLINE wk_v128 wk_i8x16_splat(uint32_t x) { return WK_V((wk_u8x16){0} + (uint8_t)x); }
WK_INLINE wk_v128 wk_i16x8_splat(uint32_t x) { return WK_V((wk_u16x8){0} + (uint16_t)x); }
WK_INLINE wk_v128 wk_i32x4_splat(uint32_t x) { return WK_V((wk_u32x4){0} + x); }
WK_INLINE wk_v128 wk_i64x2_splat(uint64_t x) { return WK_V((wk_u64x2){0} + x); }
WK_INLINE wk_v128 wk_f32x4_splat(float x) { return WK_V((wk_u32x4){0} + wk_f32_bits(x)); }
WK_INLINE wk_v128 wk_f64x2_splat(double x) { return WK_V((wk_u64x2){0} + wk_f64_bits(x)); }

WK_INLINE uint32_t wk_i8x16_extract_lane_s(wk_v128 v, int l) { return (uint32_t)(int32_t)wk_as_i8x16(v)[l]; }
WK_INLINE uint32_t wk_i8x16_extract_lane_u(wk_v128 v, int l) { return wk_as_u8x16(v)[l]; }
WK_INLINE uint32_t wk_i16x8_extract_lane_s(wk_v128 v, int l) { return (uint32_t)(int32_t)wk_as_i16x8(v)[l]; }
WK_INLINE uint32_t wk_i16x8_extract_lane_u(wk_v128 v, int l) { return wk_as_u16x8(v)[l]; }
WK_INLINE uint32_t wk_i32x4_extract_lane(wk_v128 v, int l) { return wk_as_u32x4(v)[l]; }
WK_INLINE uint64_t wk_i64x2_extract_lane(wk_v128 v, int l) { return wk_as_u64x2(v)[l]; }
WK_INLINE float wk_f32x4_extract_lane(wk_v128 v, int l) { return wk_f32_from(wk_as_u32x4(v)[l]); }
WK_INLINE double wk_f64x2_extract_lane(wk_v128 v, int l) { return wk_f64_from(wk_as_u64x2(v)[l]); }

#define WK_REPLACE(name, view, type, bits)                                             \
    WK_INLINE wk_v128 wk_##name##_replace_lane(wk_v128 v, type x, int l) {             \
        wk_##view r = wk_as_##view(v);                                                 \
        r[l] = bits(x);                                                                \
        return WK_V(r);                                                                \
    }
#define WK_SAME(x) (x)
WK_REPLACE(i8x16, u8x16, uint32_t, (uint8_t))
WK_REPLACE(i16x8, u16x8, uint32_t, (uint16_t))
WK_REPLACE(i32x4, u32x4, uint32_t, WK_SAME)
WK_REPLACE(i64x2, u64x2, uint64_t, WK_SAME)
WK_REPLACE(f32x4, u32x4, float, wk_f32_bits)
WK_REPLACE(f64x2, u64x2, double, wk_f64_bits)
#undef WK_REPLACE
#undef WK_SAME

/* The lane indices are constants (the instruction's immediates). */
#if defined(__clang__) || __GNUC__ >= 12
#define wk_i8x16_shuffle(a, b, ...) WK_V(__builtin_shufflevector(wk_as_u8x16(a), wk_as_u8x16(b), __VA_ARGS__))
#else
#define wk_i8x16_shuffle(a, b, ...) WK_V(__builtin_shuffle(wk_as_u8x16(a), wk_as_u8x16(b), (wk_u8x16){__VA_ARGS__}))
#endif

/* Lanes of `a` picked by the lanes of `i`; 0 where an index is 16 or more. */
WK_INLINE wk_v128 wk_i8x16_swizzle(wk_v128 a, wk_v128 i) {
#if defined(__SSSE3__)
    /* pshufb zeroes where bit 7 is set and else uses the low 4 bits: adding 112 with
     * unsigned saturation sets bit 7 exactly for indices of 16 and more. */
    return WK_V(_mm_shuffle_epi8(WK_SSE(__m128i, a), _mm_adds_epu8(WK_SSE(__m128i, i), _mm_set1_epi8(112))));
#else
    wk_u8x16 x = wk_as_u8x16(a), y = wk_as_u8x16(i), r;
    for (int k = 0; k < 16; k++) r[k] = y[k] < 16 ? x[y[k] & 15] : 0;
    return WK_V(r);
#endif
}

/* ---- Bits ---- */

WK_INLINE wk_v128 wk_v128_not(wk_v128 a) { return WK_V(~wk_as_u64x2(a)); }
WK_INLINE wk_v128 wk_v128_and(wk_v128 a, wk_v128 b) { return WK_V(wk_as_u64x2(a) & wk_as_u64x2(b)); }
WK_INLINE wk_v128 wk_v128_andnot(wk_v128 a, wk_v128 b) { return WK_V(wk_as_u64x2(a) & ~wk_as_u64x2(b)); }
WK_INLINE wk_v128 wk_v128_or(wk_v128 a, wk_v128 b) { return WK_V(wk_as_u64x2(a) | wk_as_u64x2(b)); }
WK_INLINE wk_v128 wk_v128_xor(wk_v128 a, wk_v128 b) { return WK_V(wk_as_u64x2(a) ^ wk_as_u64x2(b)); }
WK_INLINE wk_v128 wk_v128_bitselect(wk_v128 a, wk_v128 b, wk_v128 c) {
    wk_u64x2 m = wk_as_u64x2(c);
    return WK_V((wk_as_u64x2(a) & m) | (wk_as_u64x2(b) & ~m));
}
WK_INLINE uint32_t wk_v128_any_true(wk_v128 a) { return (a.lo | a.hi) != 0; }

/* ---- Integer lanes ---- */

/* Wrapping arithmetic is done on unsigned lanes (signed overflow is undefined in C). */
#define WK_INTEGER_LANES(shape, s, u, bits)                                            \
    WK_INLINE wk_v128 wk_##shape##_add(wk_v128 a, wk_v128 b) { return WK_V(wk_as_##u(a) + wk_as_##u(b)); } \
    WK_INLINE wk_v128 wk_##shape##_sub(wk_v128 a, wk_v128 b) { return WK_V(wk_as_##u(a) - wk_as_##u(b)); } \
    WK_INLINE wk_v128 wk_##shape##_neg(wk_v128 a) { return WK_V(-wk_as_##u(a)); }     \
    WK_INLINE wk_v128 wk_##shape##_abs(wk_v128 a) {                                    \
        wk_##u x = wk_as_##u(a), m = (wk_##u)(wk_as_##s(a) >> (bits - 1));              \
        return WK_V((x ^ m) - m);                                                      \
    }                                                                                  \
    WK_INLINE wk_v128 wk_##shape##_shl(wk_v128 a, uint32_t n) { return WK_V(wk_as_##u(a) << (n & (bits - 1))); } \
    WK_INLINE wk_v128 wk_##shape##_shr_s(wk_v128 a, uint32_t n) { return WK_V(wk_as_##s(a) >> (n & (bits - 1))); } \
    WK_INLINE wk_v128 wk_##shape##_shr_u(wk_v128 a, uint32_t n) { return WK_V(wk_as_##u(a) >> (n & (bits - 1))); } \
    WK_INLINE wk_v128 wk_##shape##_eq(wk_v128 a, wk_v128 b) { return WK_V(wk_as_##u(a) == wk_as_##u(b)); } \
    WK_INLINE wk_v128 wk_##shape##_ne(wk_v128 a, wk_v128 b) { return WK_V(wk_as_##u(a) != wk_as_##u(b)); } \
    WK_INLINE wk_v128 wk_##shape##_lt_s(wk_v128 a, wk_v128 b) { return WK_V(wk_as_##s(a) < wk_as_##s(b)); } \
    WK_INLINE wk_v128 wk_##shape##_gt_s(wk_v128 a, wk_v128 b) { return WK_V(wk_as_##s(a) > wk_as_##s(b)); } \
    WK_INLINE wk_v128 wk_##shape##_le_s(wk_v128 a, wk_v128 b) { return WK_V(wk_as_##s(a) <= wk_as_##s(b)); } \
    WK_INLINE wk_v128 wk_##shape##_ge_s(wk_v128 a, wk_v128 b) { return WK_V(wk_as_##s(a) >= wk_as_##s(b)); } \
    WK_INLINE uint32_t wk_##shape##_all_true(wk_v128 a) {                              \
        wk_##u x = wk_as_##u(a);                                                       \
        for (unsigned k = 0; k < 16 / (bits / 8); k++)                                 \
            if (x[k] == 0) return 0;                                                   \
        return 1;                                                                      \
    }                                                                                  \
    WK_INLINE uint32_t wk_##shape##_bitmask(wk_v128 a) {                               \
        wk_##u x = wk_as_##u(a);                                                       \
        uint32_t r = 0;                                                                \
        for (unsigned k = 0; k < 16 / (bits / 8); k++) r |= (uint32_t)(x[k] >> (bits - 1)) << k; \
        return r;                                                                      \
    }
WK_INTEGER_LANES(i8x16, i8x16, u8x16, 8)
WK_INTEGER_LANES(i16x8, i16x8, u16x8, 16)
WK_INTEGER_LANES(i32x4, i32x4, u32x4, 32)
WK_INTEGER_LANES(i64x2, i64x2, u64x2, 64)
#undef WK_INTEGER_LANES

/* Unsigned comparisons, min, max and rounding average (not for i64x2). */
#define WK_SMALL_INTEGER_LANES(shape, s, u)                                            \
    WK_INLINE wk_v128 wk_##shape##_lt_u(wk_v128 a, wk_v128 b) { return WK_V(wk_as_##u(a) < wk_as_##u(b)); } \
    WK_INLINE wk_v128 wk_##shape##_gt_u(wk_v128 a, wk_v128 b) { return WK_V(wk_as_##u(a) > wk_as_##u(b)); } \
    WK_INLINE wk_v128 wk_##shape##_le_u(wk_v128 a, wk_v128 b) { return WK_V(wk_as_##u(a) <= wk_as_##u(b)); } \
    WK_INLINE wk_v128 wk_##shape##_ge_u(wk_v128 a, wk_v128 b) { return WK_V(wk_as_##u(a) >= wk_as_##u(b)); } \
    WK_INLINE wk_v128 wk_##shape##_min_s(wk_v128 a, wk_v128 b) {                       \
        wk_##u m = (wk_##u)(wk_as_##s(a) < wk_as_##s(b));                               \
        return WK_V((wk_as_##u(a) & m) | (wk_as_##u(b) & ~m));                          \
    }                                                                                  \
    WK_INLINE wk_v128 wk_##shape##_max_s(wk_v128 a, wk_v128 b) {                       \
        wk_##u m = (wk_##u)(wk_as_##s(a) > wk_as_##s(b));                               \
        return WK_V((wk_as_##u(a) & m) | (wk_as_##u(b) & ~m));                          \
    }                                                                                  \
    WK_INLINE wk_v128 wk_##shape##_min_u(wk_v128 a, wk_v128 b) {                       \
        wk_##u m = (wk_##u)(wk_as_##u(a) < wk_as_##u(b));                               \
        return WK_V((wk_as_##u(a) & m) | (wk_as_##u(b) & ~m));                          \
    }                                                                                  \
    WK_INLINE wk_v128 wk_##shape##_max_u(wk_v128 a, wk_v128 b) {                       \
        wk_##u m = (wk_##u)(wk_as_##u(a) > wk_as_##u(b));                               \
        return WK_V((wk_as_##u(a) & m) | (wk_as_##u(b) & ~m));                          \
    }
WK_SMALL_INTEGER_LANES(i8x16, i8x16, u8x16)
WK_SMALL_INTEGER_LANES(i16x8, i16x8, u16x8)
WK_SMALL_INTEGER_LANES(i32x4, i32x4, u32x4)
#undef WK_SMALL_INTEGER_LANES

/* (a + b + 1) / 2 without overflow. */
WK_INLINE wk_v128 wk_i8x16_avgr_u(wk_v128 a, wk_v128 b) {
    wk_u8x16 x = wk_as_u8x16(a), y = wk_as_u8x16(b);
    return WK_V((x | y) - ((x ^ y) >> 1));
}
WK_INLINE wk_v128 wk_i16x8_avgr_u(wk_v128 a, wk_v128 b) {
    wk_u16x8 x = wk_as_u16x8(a), y = wk_as_u16x8(b);
    return WK_V((x | y) - ((x ^ y) >> 1));
}

WK_INLINE wk_v128 wk_i16x8_mul(wk_v128 a, wk_v128 b) { return WK_V(wk_as_u16x8(a) * wk_as_u16x8(b)); }
WK_INLINE wk_v128 wk_i32x4_mul(wk_v128 a, wk_v128 b) { return WK_V(wk_as_u32x4(a) * wk_as_u32x4(b)); }
WK_INLINE wk_v128 wk_i64x2_mul(wk_v128 a, wk_v128 b) { return WK_V(wk_as_u64x2(a) * wk_as_u64x2(b)); }

WK_INLINE wk_v128 wk_i8x16_popcnt(wk_v128 a) {
    wk_u8x16 x = wk_as_u8x16(a);
    /* Bit counting in parallel: pairs, nibbles, then bytes. */
    x = x - ((x >> 1) & 0x55);
    x = (x & 0x33) + ((x >> 2) & 0x33);
    return WK_V((x + (x >> 4)) & 0x0F);
}

/* Saturating addition and subtraction: in 32-bit lanes, then clamped. */
#define WK_SATURATE(shape, op, view, type, wide, low, high, lanes)                     \
    WK_INLINE wk_v128 wk_##shape##_##op(wk_v128 a, wk_v128 b) {                        \
        wk_##view x = wk_as_##view(a), y = wk_as_##view(b), r;                          \
        for (int k = 0; k < lanes; k++) {                                              \
            wide v = WK_SATURATE_##op((wide)x[k], (wide)y[k]);                          \
            r[k] = (type)(v < low ? low : v > high ? high : v);                        \
        }                                                                              \
        return WK_V(r);                                                                \
    }
#define WK_SATURATE_add_sat_s(x, y) ((x) + (y))
#define WK_SATURATE_add_sat_u(x, y) ((x) + (y))
#define WK_SATURATE_sub_sat_s(x, y) ((x) - (y))
#define WK_SATURATE_sub_sat_u(x, y) ((x) - (y))
WK_SATURATE(i8x16, add_sat_s, i8x16, int8_t, int32_t, -128, 127, 16)
WK_SATURATE(i8x16, add_sat_u, u8x16, uint8_t, int32_t, 0, 255, 16)
WK_SATURATE(i8x16, sub_sat_s, i8x16, int8_t, int32_t, -128, 127, 16)
WK_SATURATE(i8x16, sub_sat_u, u8x16, uint8_t, int32_t, 0, 255, 16)
WK_SATURATE(i16x8, add_sat_s, i16x8, int16_t, int32_t, -32768, 32767, 8)
WK_SATURATE(i16x8, add_sat_u, u16x8, uint16_t, int32_t, 0, 65535, 8)
WK_SATURATE(i16x8, sub_sat_s, i16x8, int16_t, int32_t, -32768, 32767, 8)
WK_SATURATE(i16x8, sub_sat_u, u16x8, uint16_t, int32_t, 0, 65535, 8)
#undef WK_SATURATE

/* Narrowing with saturation: a's lanes, then b's. */
#define WK_NARROW(name, from, to, type, low, high, lanes)                              \
    WK_INLINE wk_v128 wk_##name(wk_v128 a, wk_v128 b) {                                \
        wk_##from x = wk_as_##from(a), y = wk_as_##from(b);                             \
        wk_##to r;                                                                     \
        for (int k = 0; k < lanes; k++) {                                              \
            r[k] = (type)(x[k] < low ? low : x[k] > high ? high : x[k]);               \
            r[k + lanes] = (type)(y[k] < low ? low : y[k] > high ? high : y[k]);       \
        }                                                                              \
        return WK_V(r);                                                                \
    }
WK_NARROW(i8x16_narrow_i16x8_s, i16x8, i8x16, int8_t, -128, 127, 8)
WK_NARROW(i8x16_narrow_i16x8_u, i16x8, u8x16, uint8_t, 0, 255, 8)
WK_NARROW(i16x8_narrow_i32x4_s, i32x4, i16x8, int16_t, -32768, 32767, 4)
WK_NARROW(i16x8_narrow_i32x4_u, i32x4, u16x8, uint16_t, 0, 65535, 4)
#undef WK_NARROW

/* Widening the low or high half. */
#define WK_EXTEND(shape, half, from, halfview, to)                                     \
    WK_INLINE wk_v128 wk_##shape##_extend_##half##_##from(wk_v128 a) {                 \
        return WK_V(__builtin_convertvector(wk_as_half_##halfview(WK_HALF_##half(a)), wk_##to)); \
    }
#define WK_HALF_low(a) ((a).lo)
#define WK_HALF_high(a) ((a).hi)
WK_EXTEND(i16x8, low, i8x16_s, i8x8, i16x8)
WK_EXTEND(i16x8, high, i8x16_s, i8x8, i16x8)
WK_EXTEND(i16x8, low, i8x16_u, u8x8, u16x8)
WK_EXTEND(i16x8, high, i8x16_u, u8x8, u16x8)
WK_EXTEND(i32x4, low, i16x8_s, i16x4, i32x4)
WK_EXTEND(i32x4, high, i16x8_s, i16x4, i32x4)
WK_EXTEND(i32x4, low, i16x8_u, u16x4, u32x4)
WK_EXTEND(i32x4, high, i16x8_u, u16x4, u32x4)
WK_EXTEND(i64x2, low, i32x4_s, i32x2, i64x2)
WK_EXTEND(i64x2, high, i32x4_s, i32x2, i64x2)
WK_EXTEND(i64x2, low, i32x4_u, u32x2, u64x2)
WK_EXTEND(i64x2, high, i32x4_u, u32x2, u64x2)
#undef WK_EXTEND

/* Products of the widened low or high halves. */
#define WK_EXTMUL(shape, half, from)                                                   \
    WK_INLINE wk_v128 wk_##shape##_extmul_##half##_##from(wk_v128 a, wk_v128 b) {      \
        return wk_##shape##_mul(wk_##shape##_extend_##half##_##from(a), wk_##shape##_extend_##half##_##from(b)); \
    }
WK_EXTMUL(i16x8, low, i8x16_s)
WK_EXTMUL(i16x8, high, i8x16_s)
WK_EXTMUL(i16x8, low, i8x16_u)
WK_EXTMUL(i16x8, high, i8x16_u)
WK_EXTMUL(i32x4, low, i16x8_s)
WK_EXTMUL(i32x4, high, i16x8_s)
WK_EXTMUL(i32x4, low, i16x8_u)
WK_EXTMUL(i32x4, high, i16x8_u)
WK_EXTMUL(i64x2, low, i32x4_s)
WK_EXTMUL(i64x2, high, i32x4_s)
WK_EXTMUL(i64x2, low, i32x4_u)
WK_EXTMUL(i64x2, high, i32x4_u)
#undef WK_EXTMUL

/* Sums of adjacent pairs, widened. */
#define WK_PAIRWISE(shape, from, view, wide, lanes)                                    \
    WK_INLINE wk_v128 wk_##shape##_extadd_pairwise_##from(wk_v128 a) {                 \
        wk_##view x = wk_as_##view(a);                                                 \
        wk_##wide r;                                                                   \
        for (int k = 0; k < lanes; k++) r[k] = x[2 * k] + x[2 * k + 1];                \
        return WK_V(r);                                                                \
    }
WK_PAIRWISE(i16x8, i8x16_s, i8x16, i16x8, 8)
WK_PAIRWISE(i16x8, i8x16_u, u8x16, u16x8, 8)
WK_PAIRWISE(i32x4, i16x8_s, i16x8, i32x4, 4)
WK_PAIRWISE(i32x4, i16x8_u, u16x8, u32x4, 4)
#undef WK_PAIRWISE

WK_INLINE wk_v128 wk_i32x4_dot_i16x8_s(wk_v128 a, wk_v128 b) {
    wk_i16x8 x = wk_as_i16x8(a), y = wk_as_i16x8(b);
    wk_u32x4 r;
    for (int k = 0; k < 4; k++)
        r[k] = (uint32_t)((int32_t)x[2 * k] * y[2 * k]) + (uint32_t)((int32_t)x[2 * k + 1] * y[2 * k + 1]);
    return WK_V(r);
}

/* (a * b + 2^14) >> 15, saturated: only -32768 * -32768 overflows. */
WK_INLINE wk_v128 wk_i16x8_q15mulr_sat_s(wk_v128 a, wk_v128 b) {
    wk_i16x8 x = wk_as_i16x8(a), y = wk_as_i16x8(b), r;
    for (int k = 0; k < 8; k++) {
        int32_t v = ((int32_t)x[k] * y[k] + 0x4000) >> 15;
        r[k] = (int16_t)(v > 32767 ? 32767 : v);
    }
    return WK_V(r);
}

/* ---- Float lanes ---- */

/* Lane by lane through the scalar helper of the same instruction: same bits. */
#define WK_FLOAT_UNARY(shape, op, view, lanes, scalar)                                 \
    WK_INLINE wk_v128 wk_##shape##_##op(wk_v128 a) {                                   \
        wk_##view x = wk_as_##view(a);                                                 \
        for (int k = 0; k < lanes; k++) x[k] = scalar(x[k]);                           \
        return WK_V(x);                                                                \
    }
#define WK_FLOAT_BINARY(shape, op, view, lanes, scalar)                                \
    WK_INLINE wk_v128 wk_##shape##_##op(wk_v128 a, wk_v128 b) {                        \
        wk_##view x = wk_as_##view(a), y = wk_as_##view(b);                             \
        for (int k = 0; k < lanes; k++) x[k] = scalar(x[k], y[k]);                     \
        return WK_V(x);                                                                \
    }
#define WK_FLOAT_LANES(shape, view, bits, lanes, w)                                    \
    WK_INLINE wk_v128 wk_##shape##_add(wk_v128 a, wk_v128 b) { return WK_V(wk_as_##view(a) + wk_as_##view(b)); } \
    WK_INLINE wk_v128 wk_##shape##_sub(wk_v128 a, wk_v128 b) { return WK_V(wk_as_##view(a) - wk_as_##view(b)); } \
    WK_INLINE wk_v128 wk_##shape##_mul(wk_v128 a, wk_v128 b) { return WK_V(wk_as_##view(a) * wk_as_##view(b)); } \
    WK_INLINE wk_v128 wk_##shape##_div(wk_v128 a, wk_v128 b) { return WK_V(wk_as_##view(a) / wk_as_##view(b)); } \
    WK_INLINE wk_v128 wk_##shape##_eq(wk_v128 a, wk_v128 b) { return WK_V(wk_as_##view(a) == wk_as_##view(b)); } \
    WK_INLINE wk_v128 wk_##shape##_ne(wk_v128 a, wk_v128 b) { return WK_V(wk_as_##view(a) != wk_as_##view(b)); } \
    WK_INLINE wk_v128 wk_##shape##_lt(wk_v128 a, wk_v128 b) { return WK_V(wk_as_##view(a) < wk_as_##view(b)); } \
    WK_INLINE wk_v128 wk_##shape##_gt(wk_v128 a, wk_v128 b) { return WK_V(wk_as_##view(a) > wk_as_##view(b)); } \
    WK_INLINE wk_v128 wk_##shape##_le(wk_v128 a, wk_v128 b) { return WK_V(wk_as_##view(a) <= wk_as_##view(b)); } \
    WK_INLINE wk_v128 wk_##shape##_ge(wk_v128 a, wk_v128 b) { return WK_V(wk_as_##view(a) >= wk_as_##view(b)); } \
    WK_INLINE wk_v128 wk_##shape##_abs(wk_v128 a) {                                    \
        return WK_V(wk_as_u##bits##x##lanes(a) & (uint##bits##_t)~((uint##bits##_t)1 << (bits - 1))); \
    }                                                                                  \
    WK_INLINE wk_v128 wk_##shape##_neg(wk_v128 a) {                                    \
        return WK_V(wk_as_u##bits##x##lanes(a) ^ ((uint##bits##_t)1 << (bits - 1)));   \
    }                                                                                  \
    /* pmin is b < a ? b : a, pmax a < b ? b : a, on the bits: NaN and zeros as given. */ \
    WK_INLINE wk_v128 wk_##shape##_pmin(wk_v128 a, wk_v128 b) {                        \
        wk_u##bits##x##lanes m = (wk_u##bits##x##lanes)(wk_as_##view(b) < wk_as_##view(a)); \
        return WK_V((wk_as_u##bits##x##lanes(b) & m) | (wk_as_u##bits##x##lanes(a) & ~m)); \
    }                                                                                  \
    WK_INLINE wk_v128 wk_##shape##_pmax(wk_v128 a, wk_v128 b) {                        \
        wk_u##bits##x##lanes m = (wk_u##bits##x##lanes)(wk_as_##view(a) < wk_as_##view(b)); \
        return WK_V((wk_as_u##bits##x##lanes(b) & m) | (wk_as_u##bits##x##lanes(a) & ~m)); \
    }                                                                                  \
    WK_FLOAT_UNARY(shape, sqrt, view, lanes, wk_##w##_sqrt)                            \
    WK_FLOAT_UNARY(shape, ceil, view, lanes, wk_##w##_ceil)                            \
    WK_FLOAT_UNARY(shape, floor, view, lanes, wk_##w##_floor)                          \
    WK_FLOAT_UNARY(shape, trunc, view, lanes, wk_##w##_trunc)                          \
    WK_FLOAT_UNARY(shape, nearest, view, lanes, wk_##w##_nearest)                      \
    WK_FLOAT_BINARY(shape, min, view, lanes, wk_##w##_min)                             \
    WK_FLOAT_BINARY(shape, max, view, lanes, wk_##w##_max)
WK_FLOAT_LANES(f32x4, f32x4, 32, 4, f32)
WK_FLOAT_LANES(f64x2, f64x2, 64, 2, f64)
#undef WK_FLOAT_LANES

/* ---- Conversions ---- */

WK_INLINE wk_v128 wk_f32x4_convert_i32x4_s(wk_v128 a) { return WK_V(__builtin_convertvector(wk_as_i32x4(a), wk_f32x4)); }
WK_INLINE wk_v128 wk_f32x4_convert_i32x4_u(wk_v128 a) {
    wk_u32x4 x = wk_as_u32x4(a);
    wk_f32x4 r;
    for (int k = 0; k < 4; k++) r[k] = (float)x[k];
    return WK_V(r);
}
WK_INLINE wk_v128 wk_f64x2_convert_low_i32x4_s(wk_v128 a) {
    wk_i32x4 x = wk_as_i32x4(a);
    return WK_V(((wk_f64x2){(double)x[0], (double)x[1]}));
}
WK_INLINE wk_v128 wk_f64x2_convert_low_i32x4_u(wk_v128 a) {
    wk_u32x4 x = wk_as_u32x4(a);
    return WK_V(((wk_f64x2){(double)x[0], (double)x[1]}));
}
WK_INLINE wk_v128 wk_f32x4_demote_f64x2_zero(wk_v128 a) {
    wk_f64x2 x = wk_as_f64x2(a);
    return WK_V(((wk_f32x4){wk_f32_demote(x[0]), wk_f32_demote(x[1]), 0, 0}));
}
WK_INLINE wk_v128 wk_f64x2_promote_low_f32x4(wk_v128 a) {
    wk_f32x4 x = wk_as_f32x4(a);
    return WK_V(((wk_f64x2){(double)x[0], (double)x[1]}));
}
WK_INLINE wk_v128 wk_i32x4_trunc_sat_f32x4_s(wk_v128 a) {
    wk_f32x4 x = wk_as_f32x4(a);
    wk_u32x4 r;
    for (int k = 0; k < 4; k++) r[k] = wk_i32_trunc_sat_f32_s(x[k]);
    return WK_V(r);
}
WK_INLINE wk_v128 wk_i32x4_trunc_sat_f32x4_u(wk_v128 a) {
    wk_f32x4 x = wk_as_f32x4(a);
    wk_u32x4 r;
    for (int k = 0; k < 4; k++) r[k] = wk_i32_trunc_sat_f32_u(x[k]);
    return WK_V(r);
}
WK_INLINE wk_v128 wk_i32x4_trunc_sat_f64x2_s_zero(wk_v128 a) {
    wk_f64x2 x = wk_as_f64x2(a);
    return WK_V(((wk_u32x4){wk_i32_trunc_sat_f64_s(x[0]), wk_i32_trunc_sat_f64_s(x[1]), 0, 0}));
}
WK_INLINE wk_v128 wk_i32x4_trunc_sat_f64x2_u_zero(wk_v128 a) {
    wk_f64x2 x = wk_as_f64x2(a);
    return WK_V(((wk_u32x4){wk_i32_trunc_sat_f64_u(x[0]), wk_i32_trunc_sat_f64_u(x[1]), 0, 0}));
}

/* ---- Relaxed SIMD ----
 * By default (deterministic) one of the results the proposal allows, the same on every
 * machine and at every level: the result of the matching non-relaxed instruction where
 * there is one. With `--relaxed-simd native` (WK_RELAXED_NATIVE) each takes the host's own
 * instruction where the hardware has one, whose result the proposal also allows. */

#if defined(WK_RELAXED_NATIVE) && defined(__SSSE3__)
/* pshufb: indices with bit 7 set give 0, others use their low 4 bits. */
WK_INLINE wk_v128 wk_i8x16_relaxed_swizzle(wk_v128 a, wk_v128 i) {
    return WK_V(_mm_shuffle_epi8(WK_SSE(__m128i, a), WK_SSE(__m128i, i)));
}
/* pmulhrsw: -32768 * -32768 wraps to -32768. */
WK_INLINE wk_v128 wk_i16x8_relaxed_q15mulr_s(wk_v128 a, wk_v128 b) {
    return WK_V(_mm_mulhrs_epi16(WK_SSE(__m128i, a), WK_SSE(__m128i, b)));
}
/* pmaddubsw takes its first operand unsigned: b, whose lanes are 7-bit, goes first. */
WK_INLINE wk_v128 wk_i16x8_relaxed_dot_i8x16_i7x16_s(wk_v128 a, wk_v128 b) {
    return WK_V(_mm_maddubs_epi16(WK_SSE(__m128i, b), WK_SSE(__m128i, a)));
}
/* The i16 pair sums, summed in pairs again by pmaddwd with ones, plus c. */
WK_INLINE wk_v128 wk_i32x4_relaxed_dot_i8x16_i7x16_add_s(wk_v128 a, wk_v128 b, wk_v128 c) {
    __m128i pairs = _mm_maddubs_epi16(WK_SSE(__m128i, b), WK_SSE(__m128i, a));
    return WK_V(_mm_add_epi32(_mm_madd_epi16(pairs, _mm_set1_epi16(1)), WK_SSE(__m128i, c)));
}
#define WK_RELAXED_HAVE_SSSE3 1
#endif

#if defined(WK_RELAXED_NATIVE) && defined(__SSE2__)
/* minps/maxps: the second operand where either is NaN or both are zeros. */
WK_INLINE wk_v128 wk_f32x4_relaxed_min(wk_v128 a, wk_v128 b) {
    return WK_V(_mm_min_ps(WK_SSE(__m128, a), WK_SSE(__m128, b)));
}
WK_INLINE wk_v128 wk_f32x4_relaxed_max(wk_v128 a, wk_v128 b) {
    return WK_V(_mm_max_ps(WK_SSE(__m128, a), WK_SSE(__m128, b)));
}
WK_INLINE wk_v128 wk_f64x2_relaxed_min(wk_v128 a, wk_v128 b) {
    return WK_V(_mm_min_pd(WK_SSE(__m128d, a), WK_SSE(__m128d, b)));
}
WK_INLINE wk_v128 wk_f64x2_relaxed_max(wk_v128 a, wk_v128 b) {
    return WK_V(_mm_max_pd(WK_SSE(__m128d, a), WK_SSE(__m128d, b)));
}
/* cvttps2dq / cvttpd2dq: 0x80000000 for NaN and out-of-range lanes. */
WK_INLINE wk_v128 wk_i32x4_relaxed_trunc_f32x4_s(wk_v128 a) {
    return WK_V(_mm_cvttps_epi32(WK_SSE(__m128, a)));
}
WK_INLINE wk_v128 wk_i32x4_relaxed_trunc_f64x2_s_zero(wk_v128 a) {
    return WK_V(_mm_cvttpd_epi32(WK_SSE(__m128d, a)));
}
#define WK_RELAXED_HAVE_SSE2 1
#endif

#if !defined(WK_RELAXED_HAVE_SSSE3)
#define wk_i8x16_relaxed_swizzle wk_i8x16_swizzle
#define wk_i16x8_relaxed_q15mulr_s wk_i16x8_q15mulr_sat_s
/* Both operands' lanes taken as signed. */
WK_INLINE wk_v128 wk_i16x8_relaxed_dot_i8x16_i7x16_s(wk_v128 a, wk_v128 b) {
    wk_i8x16 x = wk_as_i8x16(a), y = wk_as_i8x16(b);
    wk_u16x8 r;
    for (int k = 0; k < 8; k++) r[k] = (uint16_t)(x[2 * k] * y[2 * k] + x[2 * k + 1] * y[2 * k + 1]);
    return WK_V(r);
}
WK_INLINE wk_v128 wk_i32x4_relaxed_dot_i8x16_i7x16_add_s(wk_v128 a, wk_v128 b, wk_v128 c) {
    wk_i8x16 x = wk_as_i8x16(a), y = wk_as_i8x16(b);
    wk_u32x4 r = wk_as_u32x4(c);
    for (int k = 0; k < 4; k++) {
        int32_t sum = 0;
        for (int j = 0; j < 4; j++) sum += x[4 * k + j] * y[4 * k + j];
        r[k] += (uint32_t)sum;
    }
    return WK_V(r);
}
#endif
#if !defined(WK_RELAXED_HAVE_SSE2)
#define wk_f32x4_relaxed_min wk_f32x4_min
#define wk_f32x4_relaxed_max wk_f32x4_max
#define wk_f64x2_relaxed_min wk_f64x2_min
#define wk_f64x2_relaxed_max wk_f64x2_max
#define wk_i32x4_relaxed_trunc_f32x4_s wk_i32x4_trunc_sat_f32x4_s
#define wk_i32x4_relaxed_trunc_f64x2_s_zero wk_i32x4_trunc_sat_f64x2_s_zero
#endif
#define wk_i32x4_relaxed_trunc_f32x4_u wk_i32x4_trunc_sat_f32x4_u
#define wk_i32x4_relaxed_trunc_f64x2_u_zero wk_i32x4_trunc_sat_f64x2_u_zero
#define wk_i8x16_relaxed_laneselect wk_v128_bitselect
#define wk_i16x8_relaxed_laneselect wk_v128_bitselect
#define wk_i32x4_relaxed_laneselect wk_v128_bitselect
#define wk_i64x2_relaxed_laneselect wk_v128_bitselect

#if defined(WK_RELAXED_NATIVE) && defined(__FMA__)
/* Fused: rounded once. */
WK_INLINE wk_v128 wk_f32x4_relaxed_madd(wk_v128 a, wk_v128 b, wk_v128 c) {
    return WK_V(_mm_fmadd_ps(WK_SSE(__m128, a), WK_SSE(__m128, b), WK_SSE(__m128, c)));
}
WK_INLINE wk_v128 wk_f32x4_relaxed_nmadd(wk_v128 a, wk_v128 b, wk_v128 c) {
    return WK_V(_mm_fnmadd_ps(WK_SSE(__m128, a), WK_SSE(__m128, b), WK_SSE(__m128, c)));
}
WK_INLINE wk_v128 wk_f64x2_relaxed_madd(wk_v128 a, wk_v128 b, wk_v128 c) {
    return WK_V(_mm_fmadd_pd(WK_SSE(__m128d, a), WK_SSE(__m128d, b), WK_SSE(__m128d, c)));
}
WK_INLINE wk_v128 wk_f64x2_relaxed_nmadd(wk_v128 a, wk_v128 b, wk_v128 c) {
    return WK_V(_mm_fnmadd_pd(WK_SSE(__m128d, a), WK_SSE(__m128d, b), WK_SSE(__m128d, c)));
}
#else
/* Multiply, then add, rounded twice (not fused): -ffp-contract=off keeps it so. */
WK_INLINE wk_v128 wk_f32x4_relaxed_madd(wk_v128 a, wk_v128 b, wk_v128 c) {
    return WK_V(wk_as_f32x4(a) * wk_as_f32x4(b) + wk_as_f32x4(c));
}
WK_INLINE wk_v128 wk_f32x4_relaxed_nmadd(wk_v128 a, wk_v128 b, wk_v128 c) {
    return WK_V(-(wk_as_f32x4(a) * wk_as_f32x4(b)) + wk_as_f32x4(c));
}
WK_INLINE wk_v128 wk_f64x2_relaxed_madd(wk_v128 a, wk_v128 b, wk_v128 c) {
    return WK_V(wk_as_f64x2(a) * wk_as_f64x2(b) + wk_as_f64x2(c));
}
WK_INLINE wk_v128 wk_f64x2_relaxed_nmadd(wk_v128 a, wk_v128 b, wk_v128 c) {
    return WK_V(-(wk_as_f64x2(a) * wk_as_f64x2(b)) + wk_as_f64x2(c));
}
#endif

#endif
