/* WasmKiln: the C forms of Wasm's SIMD instructions (v128), for generated code.
 *
 * Included only by translation units whose functions use SIMD. A v128 travels as
 * wk_v128 (two uint64_t, the API's type); each operation views it as a GCC/Clang vector
 * of its lane type through memcpy, which the compiler turns into nothing. Lane-wise
 * operations are plain vector arithmetic. Where the hardware (or C) disagrees with Wasm
 * (NaN and signed zero in min/max, rounding, saturating conversions and narrowing,
 * q15mulr, out-of-range swizzle indices, bitmasks) a short vector sequence computes the
 * bits the scalar instructions' helpers give: lane masks and blends in portable vector
 * C, or SSE2/SSSE3/SSE4.1 instructions where the compiler may use them; a lane loop over
 * the scalar helpers is the last fallback. Tests/RuntimeTests/C/simd_test.c holds every
 * path to the same results. */
#ifndef WASMKILN_SIMD_H
#define WASMKILN_SIMD_H

#include "wasmkiln-gen.h"

/* The x86 instruction sets whose sequences replace portable code below (each gives
 * the same bits as the portable form; WK_SIMD_PORTABLE turns them off, for tests). */
#if defined(__SSE2__) && !defined(WK_SIMD_PORTABLE)
#define WK_HAVE_SSE2 1
#include <emmintrin.h>
#if defined(__SSSE3__)
#define WK_HAVE_SSSE3 1
#include <tmmintrin.h>
#endif
#if defined(__SSE4_1__)
#define WK_HAVE_SSE41 1
#include <smmintrin.h>
#endif
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

#if defined(WK_HAVE_SSE2)
/* A v128 as an SSE register type, for the helpers that use intrinsics. */
#define WK_SSE(type, v)                                                                \
    ({                                                                                 \
        type m_;                                                                       \
        wk_v128 v_ = (v);                                                              \
        memcpy(&m_, &v_, 16);                                                          \
        m_;                                                                            \
    })
/* A helper that is one SSE instruction on two integer vectors. */
#define WK_SSE_BINARY(name, instruction)                                               \
    WK_INLINE wk_v128 wk_##name(wk_v128 a, wk_v128 b) {                                \
        return WK_V(instruction(WK_SSE(__m128i, a), WK_SSE(__m128i, b)));              \
    }
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

/* Macros for the line of their use, as wk_load_* (wasmkiln-gen.h). */
#define wk_v128_load(...) ({ wk_u64x2 wk_loaded_; memcpy(&wk_loaded_, (__VA_ARGS__), 16); WK_KEEP_VECTOR(wk_loaded_); WK_V(wk_loaded_); })
#define wk_v128_store(p, ...) ({ wk_v128 wk_stored_ = (__VA_ARGS__); memcpy((p), &wk_stored_, 16); })

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
#if defined(WK_HAVE_SSSE3)
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
    WK_INLINE wk_v128 wk_##shape##_ge_s(wk_v128 a, wk_v128 b) { return WK_V(wk_as_##s(a) >= wk_as_##s(b)); }
WK_INTEGER_LANES(i8x16, i8x16, u8x16, 8)
WK_INTEGER_LANES(i16x8, i16x8, u16x8, 16)
WK_INTEGER_LANES(i32x4, i32x4, u32x4, 32)
WK_INTEGER_LANES(i64x2, i64x2, u64x2, 64)
#undef WK_INTEGER_LANES

/* All lanes nonzero: no lane of the comparison with zero is set. */
#if defined(WK_HAVE_SSE2)
/* pcmpeq's lanes gathered by pmovmskb, the scalar way out of a vector on SSE2. */
#define WK_ALL_TRUE(shape, bits)                                                       \
    WK_INLINE uint32_t wk_##shape##_all_true(wk_v128 a) {                              \
        __m128i zero = _mm_cmpeq_epi##bits(WK_SSE(__m128i, a), _mm_setzero_si128());   \
        return _mm_movemask_epi8(zero) == 0;                                           \
    }
WK_ALL_TRUE(i8x16, 8)
WK_ALL_TRUE(i16x8, 16)
WK_ALL_TRUE(i32x4, 32)
#undef WK_ALL_TRUE
/* An i64 lane is zero where both its halves are. */
WK_INLINE uint32_t wk_i64x2_all_true(wk_v128 a) {
    __m128i zero = _mm_cmpeq_epi32(WK_SSE(__m128i, a), _mm_setzero_si128());
    zero = _mm_and_si128(zero, _mm_shuffle_epi32(zero, _MM_SHUFFLE(2, 3, 0, 1)));
    return _mm_movemask_epi8(zero) == 0;
}
#else
#define WK_ALL_TRUE(shape, u)                                                          \
    WK_INLINE uint32_t wk_##shape##_all_true(wk_v128 a) {                              \
        wk_u64x2 zero = (wk_u64x2)(wk_as_##u(a) == 0);                                 \
        return (zero[0] | zero[1]) == 0;                                               \
    }
WK_ALL_TRUE(i8x16, u8x16)
WK_ALL_TRUE(i16x8, u16x8)
WK_ALL_TRUE(i32x4, u32x4)
WK_ALL_TRUE(i64x2, u64x2)
#undef WK_ALL_TRUE
#endif

/* The lanes' top bits, lane 0 in bit 0. */
#if defined(WK_HAVE_SSE2)
/* pmovmskb, movmskps and movmskpd gather top bits; i16 lanes are packed to bytes first,
 * with signed saturation, which keeps each lane's sign. */
WK_INLINE uint32_t wk_i8x16_bitmask(wk_v128 a) { return (uint32_t)_mm_movemask_epi8(WK_SSE(__m128i, a)); }
WK_INLINE uint32_t wk_i16x8_bitmask(wk_v128 a) {
    return (uint32_t)_mm_movemask_epi8(_mm_packs_epi16(WK_SSE(__m128i, a), _mm_setzero_si128()));
}
WK_INLINE uint32_t wk_i32x4_bitmask(wk_v128 a) { return (uint32_t)_mm_movemask_ps(WK_SSE(__m128, a)); }
WK_INLINE uint32_t wk_i64x2_bitmask(wk_v128 a) { return (uint32_t)_mm_movemask_pd(WK_SSE(__m128d, a)); }
#else
#define WK_BITMASK(shape, u, bits)                                                     \
    WK_INLINE uint32_t wk_##shape##_bitmask(wk_v128 a) {                               \
        wk_##u x = wk_as_##u(a);                                                       \
        uint32_t r = 0;                                                                \
        for (unsigned k = 0; k < 16 / (bits / 8); k++) r |= (uint32_t)(x[k] >> (bits - 1)) << k; \
        return r;                                                                      \
    }
WK_BITMASK(i8x16, u8x16, 8)
WK_BITMASK(i16x8, u16x8, 16)
WK_BITMASK(i32x4, u32x4, 32)
WK_BITMASK(i64x2, u64x2, 64)
#undef WK_BITMASK
#endif

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
#if defined(WK_HAVE_SSSE3)
    /* Each nibble's count looked up by pshufb, the two added. */
    __m128i table = _mm_setr_epi8(0, 1, 1, 2, 1, 2, 2, 3, 1, 2, 2, 3, 2, 3, 3, 4);
    __m128i x = WK_SSE(__m128i, a), nibble = _mm_set1_epi8(0x0F);
    __m128i low = _mm_shuffle_epi8(table, _mm_and_si128(x, nibble));
    __m128i high = _mm_shuffle_epi8(table, _mm_and_si128(_mm_srli_epi16(x, 4), nibble));
    return WK_V(_mm_add_epi8(low, high));
#else
    wk_u8x16 x = wk_as_u8x16(a);
    /* Bit counting in parallel: pairs, nibbles, then bytes. */
    x = x - ((x >> 1) & 0x55);
    x = (x & 0x33) + ((x >> 2) & 0x33);
    return WK_V((x + (x >> 4)) & 0x0F);
#endif
}

/* Saturating addition and subtraction. */
#if defined(WK_HAVE_SSE2)
WK_SSE_BINARY(i8x16_add_sat_s, _mm_adds_epi8)
WK_SSE_BINARY(i8x16_add_sat_u, _mm_adds_epu8)
WK_SSE_BINARY(i8x16_sub_sat_s, _mm_subs_epi8)
WK_SSE_BINARY(i8x16_sub_sat_u, _mm_subs_epu8)
WK_SSE_BINARY(i16x8_add_sat_s, _mm_adds_epi16)
WK_SSE_BINARY(i16x8_add_sat_u, _mm_adds_epu16)
WK_SSE_BINARY(i16x8_sub_sat_s, _mm_subs_epi16)
WK_SSE_BINARY(i16x8_sub_sat_u, _mm_subs_epu16)
#else
/* The wrapped result where it did not overflow. Unsigned: all ones (add) or zero (sub)
 * where it wrapped. Signed: an overflow gives a result whose sign differs from both
 * operands' (add) or from the first's where the operands' differ (sub); the limit then
 * has the first operand's sign, 0x7F… + its top bit. */
#define WK_SATURATE(shape, s, u, bits)                                                 \
    WK_INLINE wk_v128 wk_##shape##_add_sat_u(wk_v128 a, wk_v128 b) {                   \
        wk_##u x = wk_as_##u(a), r = x + wk_as_##u(b);                                  \
        return WK_V(r | (wk_##u)(r < x));                                              \
    }                                                                                  \
    WK_INLINE wk_v128 wk_##shape##_sub_sat_u(wk_v128 a, wk_v128 b) {                   \
        wk_##u x = wk_as_##u(a), r = x - wk_as_##u(b);                                  \
        return WK_V(r & (wk_##u)(r <= x));                                             \
    }                                                                                  \
    WK_INLINE wk_v128 wk_##shape##_add_sat_s(wk_v128 a, wk_v128 b) {                   \
        wk_##u x = wk_as_##u(a), y = wk_as_##u(b), r = x + y;                           \
        wk_##u over = (wk_##u)((wk_##s)((x ^ r) & (y ^ r)) >> (bits - 1));              \
        wk_##u limit = (x >> (bits - 1)) + (((wk_##u){0} + 1) << (bits - 1)) - 1;       \
        return WK_V((r & ~over) | (limit & over));                                     \
    }                                                                                  \
    WK_INLINE wk_v128 wk_##shape##_sub_sat_s(wk_v128 a, wk_v128 b) {                   \
        wk_##u x = wk_as_##u(a), y = wk_as_##u(b), r = x - y;                           \
        wk_##u over = (wk_##u)((wk_##s)((x ^ y) & (x ^ r)) >> (bits - 1));              \
        wk_##u limit = (x >> (bits - 1)) + (((wk_##u){0} + 1) << (bits - 1)) - 1;       \
        return WK_V((r & ~over) | (limit & over));                                     \
    }
WK_SATURATE(i8x16, i8x16, u8x16, 8)
WK_SATURATE(i16x8, i16x8, u16x8, 16)
#undef WK_SATURATE
#endif

/* Narrowing with saturation: a's lanes, then b's; the inputs are signed. */
#define WK_NARROW(name, from, half, low, high)                                         \
    WK_INLINE wk_v128 wk_##name(wk_v128 a, wk_v128 b) {                                \
        wk_##from x = wk_as_##from(a), y = wk_as_##from(b);                             \
        wk_##from x_low = x < low, y_low = y < low;                                    \
        x = (x & ~x_low) | (low & x_low);                                              \
        y = (y & ~y_low) | (low & y_low);                                              \
        wk_##from x_high = x > high, y_high = y > high;                                \
        x = (x & ~x_high) | (high & x_high);                                           \
        y = (y & ~y_high) | (high & y_high);                                           \
        wk_##half x_narrow = __builtin_convertvector(x, wk_##half);                     \
        wk_##half y_narrow = __builtin_convertvector(y, wk_##half);                     \
        wk_v128 r;                                                                     \
        memcpy(&r.lo, &x_narrow, 8);                                                   \
        memcpy(&r.hi, &y_narrow, 8);                                                   \
        return r;                                                                      \
    }
#if defined(WK_HAVE_SSE2)
/* packsswb, packuswb, packssdw and (SSE4.1) packusdw saturate exactly so. */
WK_SSE_BINARY(i8x16_narrow_i16x8_s, _mm_packs_epi16)
WK_SSE_BINARY(i8x16_narrow_i16x8_u, _mm_packus_epi16)
WK_SSE_BINARY(i16x8_narrow_i32x4_s, _mm_packs_epi32)
#else
WK_NARROW(i8x16_narrow_i16x8_s, i16x8, i8x8, -128, 127)
WK_NARROW(i8x16_narrow_i16x8_u, i16x8, u8x8, 0, 255)
WK_NARROW(i16x8_narrow_i32x4_s, i32x4, i16x4, -32768, 32767)
#endif
#if defined(WK_HAVE_SSE41)
WK_SSE_BINARY(i16x8_narrow_i32x4_u, _mm_packus_epi32)
#else
WK_NARROW(i16x8_narrow_i32x4_u, i32x4, u16x4, 0, 65535)
#endif
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

/* Sums of adjacent pairs, widened: each pair seen as one wide lane, its halves
 * extended in place by shifts. */
WK_INLINE wk_v128 wk_i16x8_extadd_pairwise_i8x16_s(wk_v128 a) {
    wk_i16x8 x = wk_as_i16x8(a);
    return WK_V(((wk_i16x8)(wk_as_u16x8(a) << 8) >> 8) + (x >> 8));
}
WK_INLINE wk_v128 wk_i16x8_extadd_pairwise_i8x16_u(wk_v128 a) {
    wk_u16x8 x = wk_as_u16x8(a);
    return WK_V((x & 0xFF) + (x >> 8));
}
WK_INLINE wk_v128 wk_i32x4_extadd_pairwise_i16x8_s(wk_v128 a) {
    wk_i32x4 x = wk_as_i32x4(a);
    return WK_V(((wk_i32x4)(wk_as_u32x4(a) << 16) >> 16) + (x >> 16));
}
WK_INLINE wk_v128 wk_i32x4_extadd_pairwise_i16x8_u(wk_v128 a) {
    wk_u32x4 x = wk_as_u32x4(a);
    return WK_V((x & 0xFFFF) + (x >> 16));
}

/* Products of signed i16 pairs, summed (wrapping) in i32 lanes. */
WK_INLINE wk_v128 wk_i32x4_dot_i16x8_s(wk_v128 a, wk_v128 b) {
#if defined(WK_HAVE_SSE2)
    return WK_V(_mm_madd_epi16(WK_SSE(__m128i, a), WK_SSE(__m128i, b)));
#else
    wk_i32x4 x = wk_as_i32x4(a), y = wk_as_i32x4(b);
    wk_i32x4 x_low = (wk_i32x4)(wk_as_u32x4(a) << 16) >> 16, y_low = (wk_i32x4)(wk_as_u32x4(b) << 16) >> 16;
    return WK_V((wk_u32x4)(x_low * y_low) + (wk_u32x4)((x >> 16) * (y >> 16)));
#endif
}

/* (a * b + 2^14) >> 15, saturated: only -32768 * -32768 overflows, to 32768, which is
 * 0x8000 in 16 bits and no other product's result: it becomes 0x7FFF. */
WK_INLINE wk_v128 wk_i16x8_q15mulr_sat_s(wk_v128 a, wk_v128 b) {
#if defined(WK_HAVE_SSSE3)
    __m128i r = _mm_mulhrs_epi16(WK_SSE(__m128i, a), WK_SSE(__m128i, b));
    return WK_V(_mm_xor_si128(r, _mm_cmpeq_epi16(r, _mm_set1_epi16(-32768))));
#elif defined(WK_HAVE_SSE2)
    /* From the product's high and low halves: adding 2^14 to the low half carries into
     * the high half when its top two bits are set. */
    __m128i x = WK_SSE(__m128i, a), y = WK_SSE(__m128i, b);
    __m128i high = _mm_mulhi_epi16(x, y), low = _mm_mullo_epi16(x, y);
    __m128i carry = _mm_srli_epi16(_mm_and_si128(low, _mm_slli_epi16(low, 1)), 15);
    __m128i rounded = _mm_add_epi16(low, _mm_set1_epi16(0x4000));
    __m128i r = _mm_or_si128(_mm_slli_epi16(_mm_add_epi16(high, carry), 1), _mm_srli_epi16(rounded, 15));
    return WK_V(_mm_xor_si128(r, _mm_cmpeq_epi16(r, _mm_set1_epi16(-32768))));
#else
    wk_i16x8 x = wk_as_i16x8(a), y = wk_as_i16x8(b), r;
    for (int k = 0; k < 8; k++) {
        int32_t v = ((int32_t)x[k] * y[k] + 0x4000) >> 15;
        r[k] = (int16_t)(v > 32767 ? 32767 : v);
    }
    return WK_V(r);
#endif
}

/* ---- Float lanes ---- */

#define WK_FLOAT_LANES(shape, view, bits, lanes)                                       \
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
    }
WK_FLOAT_LANES(f32x4, f32x4, 32, 4)
WK_FLOAT_LANES(f64x2, f64x2, 64, 2)
#undef WK_FLOAT_LANES

/* Lane by lane through the scalar helper of the same instruction: same bits. */
#define WK_FLOAT_UNARY(shape, op, view, lanes, scalar)                                 \
    WK_INLINE wk_v128 wk_##shape##_##op(wk_v128 a) {                                   \
        wk_##view x = wk_as_##view(a);                                                 \
        for (int k = 0; k < lanes; k++) x[k] = scalar(x[k]);                           \
        return WK_V(x);                                                                \
    }

/* min and max as the scalar helpers compute them, with lane masks: where a lane is
 * NaN, a + b (the same NaN the scalar helper gives); where the lanes are equal (±0
 * among them), min has the bits of a | b and max of a & b; else the smaller or larger. */
#define WK_FLOAT_MIN_MAX(shape, view, u)                                               \
    WK_INLINE wk_v128 wk_##shape##_min(wk_v128 a, wk_v128 b) {                         \
        wk_##view x = wk_as_##view(a), y = wk_as_##view(b);                             \
        wk_##u ux = wk_as_##u(a), uy = wk_as_##u(b);                                    \
        wk_##u less = (wk_##u)(x < y), greater = (wk_##u)(x > y);                      \
        wk_##u nan = ~((wk_##u)(x == x) & (wk_##u)(y == y));                           \
        wk_##u r = (ux & ~greater) | (uy & ~less);                                     \
        return WK_V((r & ~nan) | ((wk_##u)(x + y) & nan));                             \
    }                                                                                  \
    WK_INLINE wk_v128 wk_##shape##_max(wk_v128 a, wk_v128 b) {                         \
        wk_##view x = wk_as_##view(a), y = wk_as_##view(b);                             \
        wk_##u ux = wk_as_##u(a), uy = wk_as_##u(b);                                    \
        wk_##u less = (wk_##u)(x < y), greater = (wk_##u)(x > y);                      \
        wk_##u nan = ~((wk_##u)(x == x) & (wk_##u)(y == y));                           \
        wk_##u r = (ux | less) & (uy | greater);                                       \
        return WK_V((r & ~nan) | ((wk_##u)(x + y) & nan));                             \
    }
WK_FLOAT_MIN_MAX(f32x4, f32x4, u32x4)
WK_FLOAT_MIN_MAX(f64x2, f64x2, u64x2)
#undef WK_FLOAT_MIN_MAX

/* ceil, floor, trunc and nearest. */
#if defined(WK_HAVE_SSE41)
/* roundps/roundpd; a NaN comes back quieted, as x + x does in the scalar helpers. */
#define WK_FLOAT_ROUNDING(shape, type, suffix)                                         \
    WK_INLINE wk_v128 wk_##shape##_ceil(wk_v128 a) {                                   \
        return WK_V(_mm_round_##suffix(WK_SSE(type, a), _MM_FROUND_TO_POS_INF | _MM_FROUND_NO_EXC)); \
    }                                                                                  \
    WK_INLINE wk_v128 wk_##shape##_floor(wk_v128 a) {                                  \
        return WK_V(_mm_round_##suffix(WK_SSE(type, a), _MM_FROUND_TO_NEG_INF | _MM_FROUND_NO_EXC)); \
    }                                                                                  \
    WK_INLINE wk_v128 wk_##shape##_trunc(wk_v128 a) {                                  \
        return WK_V(_mm_round_##suffix(WK_SSE(type, a), _MM_FROUND_TO_ZERO | _MM_FROUND_NO_EXC)); \
    }                                                                                  \
    WK_INLINE wk_v128 wk_##shape##_nearest(wk_v128 a) {                                \
        return WK_V(_mm_round_##suffix(WK_SSE(type, a), _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC)); \
    }
WK_FLOAT_ROUNDING(f32x4, __m128, ps)
WK_FLOAT_ROUNDING(f64x2, __m128d, pd)
#undef WK_FLOAT_ROUNDING
#else
/* Without an instruction for it: |x| + 2^23 - 2^23 (2^52 for f64) is |x| rounded to
 * the nearest integer, ties to even, for |x| < 2^23, and every larger float is an
 * integer already. floor, ceil and trunc step from it by one; the sign goes back on
 * last (a result always has x's sign, zeros included). Other lanes (large, infinite,
 * NaN) give x + 0: x itself, a NaN quieted as the scalar helpers' x + x does. */
enum { WK_ROUND_NEAREST, WK_ROUND_TRUNC, WK_ROUND_FLOOR, WK_ROUND_CEIL };
#define WK_FLOAT_ROUNDING(shape, view, u, s, bits, magic)                              \
    WK_INLINE wk_v128 wk_##shape##_round(wk_v128 a, int mode) {                        \
        wk_##u sign = wk_as_##u(a) & ((uint##bits##_t)1 << (bits - 1));                \
        wk_##view x = wk_as_##view(a), m = (wk_##view)(wk_as_##u(a) ^ sign);            \
        wk_##view n = (m + magic) - magic, one = (wk_##view){0} + 1;                    \
        wk_##view down = n - (wk_##view)((wk_##u)(n > m) & (wk_##u)one);                \
        wk_##view up = n + (wk_##view)((wk_##u)(n < m) & (wk_##u)one);                  \
        wk_##u negative = (wk_##u)((wk_##s)sign != 0), r;                               \
        switch (mode) {                                                                \
        case WK_ROUND_NEAREST: r = (wk_##u)n; break;                                   \
        case WK_ROUND_TRUNC: r = (wk_##u)down; break;                                  \
        case WK_ROUND_FLOOR: r = ((wk_##u)up & negative) | ((wk_##u)down & ~negative); break; \
        default: r = ((wk_##u)down & negative) | ((wk_##u)up & ~negative); break;      \
        }                                                                              \
        wk_##u small = (wk_##u)(m < magic);                                            \
        return WK_V(((r | sign) & small) | ((wk_##u)(x + 0) & ~small));                \
    }                                                                                  \
    WK_INLINE wk_v128 wk_##shape##_ceil(wk_v128 a) { return wk_##shape##_round(a, WK_ROUND_CEIL); } \
    WK_INLINE wk_v128 wk_##shape##_floor(wk_v128 a) { return wk_##shape##_round(a, WK_ROUND_FLOOR); } \
    WK_INLINE wk_v128 wk_##shape##_trunc(wk_v128 a) { return wk_##shape##_round(a, WK_ROUND_TRUNC); } \
    WK_INLINE wk_v128 wk_##shape##_nearest(wk_v128 a) { return wk_##shape##_round(a, WK_ROUND_NEAREST); }
WK_FLOAT_ROUNDING(f32x4, f32x4, u32x4, i32x4, 32, 8388608.0f)
WK_FLOAT_ROUNDING(f64x2, f64x2, u64x2, i64x2, 64, 4503599627370496.0)
#undef WK_FLOAT_ROUNDING
#endif

#if defined(WK_HAVE_SSE2)
WK_INLINE wk_v128 wk_f32x4_sqrt(wk_v128 a) { return WK_V(_mm_sqrt_ps(WK_SSE(__m128, a))); }
WK_INLINE wk_v128 wk_f64x2_sqrt(wk_v128 a) { return WK_V(_mm_sqrt_pd(WK_SSE(__m128d, a))); }
#else
WK_FLOAT_UNARY(f32x4, sqrt, f32x4, 4, wk_f32_sqrt)
WK_FLOAT_UNARY(f64x2, sqrt, f64x2, 2, wk_f64_sqrt)
#endif
#undef WK_FLOAT_UNARY

/* ---- Conversions ---- */

WK_INLINE wk_v128 wk_f32x4_convert_i32x4_s(wk_v128 a) { return WK_V(__builtin_convertvector(wk_as_i32x4(a), wk_f32x4)); }
/* The high and low 16 bits converted exactly and added: one rounding, as (float)x. */
WK_INLINE wk_v128 wk_f32x4_convert_i32x4_u(wk_v128 a) {
    wk_u32x4 x = wk_as_u32x4(a);
    wk_f32x4 high = __builtin_convertvector((wk_i32x4)(x >> 16), wk_f32x4) * 65536.0f;
    return WK_V(high + __builtin_convertvector((wk_i32x4)(x & 0xFFFF), wk_f32x4));
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
#if defined(WK_HAVE_SSE2)
/* cvttps2dq gives 0x80000000 for NaN and out of range: NaN lanes are zeroed first, and
 * lanes of 2^31 and above flip it to 0x7FFFFFFF. */
WK_INLINE wk_v128 wk_i32x4_trunc_sat_f32x4_s(wk_v128 a) {
    __m128 x = WK_SSE(__m128, a);
    x = _mm_and_ps(x, _mm_cmpord_ps(x, x));
    __m128i above = _mm_castps_si128(_mm_cmpge_ps(x, _mm_set1_ps(2147483648.0f)));
    return WK_V(_mm_xor_si128(_mm_cvttps_epi32(x), above));
}
/* maxps with 0 zeroes NaN and negative lanes (it gives its second operand for NaN);
 * lanes of 2^31 and above are converted less 2^31, which is added back; lanes of 2^32
 * and above become all ones. */
WK_INLINE wk_v128 wk_i32x4_trunc_sat_f32x4_u(wk_v128 a) {
    __m128 x = _mm_max_ps(WK_SSE(__m128, a), _mm_setzero_ps()), two31 = _mm_set1_ps(2147483648.0f);
    __m128 high = _mm_cmpge_ps(x, two31);
    __m128i r = _mm_cvttps_epi32(_mm_sub_ps(x, _mm_and_ps(high, two31)));
    r = _mm_add_epi32(r, _mm_slli_epi32(_mm_castps_si128(high), 31));
    return WK_V(_mm_or_si128(r, _mm_castps_si128(_mm_cmpge_ps(x, _mm_set1_ps(4294967296.0f)))));
}
#else
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
#endif
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

#if defined(WK_RELAXED_NATIVE) && defined(WK_HAVE_SSSE3)
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

#if defined(WK_RELAXED_NATIVE) && defined(WK_HAVE_SSE2)
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
