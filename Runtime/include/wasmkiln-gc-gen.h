/* WasmKiln runtime: what generated code uses for Wasm GC (included by wasmkiln-gen.h,
 * outside the freestanding build). Field and element accesses go through memcpy, which
 * compilers make plain moves: no alignment or aliasing assumption, NaN bits kept. */
#ifndef WASMKILN_GC_GEN_H
#define WASMKILN_GC_GEN_H

#include "wasmkiln-gc.h"

/* ---- Field and element values, at an address ---- */
#define WK_GC_ACCESSOR(name, type)                                                       \
    WK_INLINE type wk_gc_get_##name(const void *p) { type v; memcpy(&v, p, sizeof v); return v; } \
    WK_INLINE void wk_gc_set_##name(void *p, type v) { memcpy(p, &v, sizeof v); }
WK_GC_ACCESSOR(u8, uint8_t)
WK_GC_ACCESSOR(u16, uint16_t)
WK_GC_ACCESSOR(u32, uint32_t)
WK_GC_ACCESSOR(u64, uint64_t)
WK_GC_ACCESSOR(f32, float)
WK_GC_ACCESSOR(f64, double)
WK_GC_ACCESSOR(v128, wk_v128)
WK_GC_ACCESSOR(ref, void *)
#undef WK_GC_ACCESSOR
/* Packed reads: i8 and i16 as i32, sign- or zero-extended; writes keep the low bits. */
WK_INLINE uint32_t wk_gc_get_s8(const void *p) { return (uint32_t)(int32_t)(int8_t)wk_gc_get_u8(p); }
WK_INLINE uint32_t wk_gc_get_s16(const void *p) { return (uint32_t)(int32_t)(int16_t)wk_gc_get_u16(p); }
WK_INLINE void wk_gc_set_s8(void *p, uint32_t v) { wk_gc_set_u8(p, (uint8_t)v); }
WK_INLINE void wk_gc_set_s16(void *p, uint32_t v) { wk_gc_set_u16(p, (uint16_t)v); }

/* ---- Null and bounds checks ---- */

/* A struct's fields, trapping on null. */
WK_INLINE uint8_t *wk_struct_at(void *ref, const wk_trap_site *site) {
    if (WK_UNLIKELY(!ref)) wk_trap_at(WK_TRAP_NULL_STRUCT_REFERENCE, site);
    return (uint8_t *)wk_gc_fields(ref);
}
#define wk_struct(ref) wk_struct_at(ref, WK_SITE)

WK_INLINE wk_gc_array *wk_array_at(void *ref, const wk_trap_site *site) {
    if (WK_UNLIKELY(!ref)) wk_trap_at(WK_TRAP_NULL_ARRAY_REFERENCE, site);
    return (wk_gc_array *)ref;
}
#define wk_array(ref) wk_array_at(ref, WK_SITE)

/* Element `i` of `size` bytes, trapping on null and past the length. */
WK_INLINE uint8_t *wk_array_element_at(void *ref, uint32_t i, uint32_t size, const wk_trap_site *site) {
    wk_gc_array *a = wk_array_at(ref, site);
    if (WK_UNLIKELY(i >= a->length)) wk_trap_at(WK_TRAP_ARRAY_OUT_OF_BOUNDS, site);
    return a->elements + (size_t)i * size;
}
#define wk_array_element(ref, i, size) wk_array_element_at(ref, i, size, WK_SITE)

/* Elements [start, start + n) of `size` bytes, trapping on null and past the length. */
WK_INLINE uint8_t *wk_array_range_at(void *ref, uint32_t start, uint32_t n, uint32_t size, const wk_trap_site *site) {
    wk_gc_array *a = wk_array_at(ref, site);
    if (WK_UNLIKELY((uint64_t)start + n > a->length)) wk_trap_at(WK_TRAP_ARRAY_OUT_OF_BOUNDS, site);
    return a->elements + (size_t)start * size;
}
#define wk_array_range(ref, start, n, size) wk_array_range_at(ref, start, n, size, WK_SITE)

/* array.new_data and array.init_data's source: `n` elements of `size` bytes from `offset`
 * in a data segment of `length` bytes, trapping past its end. */
WK_INLINE const uint8_t *wk_segment_bytes_at(const uint8_t *data, uint32_t length, uint32_t offset, uint32_t n,
                                             uint32_t size, const wk_trap_site *site) {
    if (WK_UNLIKELY((uint64_t)offset + (uint64_t)n * size > length)) wk_trap_at(WK_TRAP_MEMORY_OUT_OF_BOUNDS, site);
    return data + offset;
}
#define wk_segment_bytes(data, length, offset, n, size) wk_segment_bytes_at(data, length, offset, n, size, WK_SITE)

/* array.new_elem and array.init_elem's source: `n` items from `offset` in an element
 * segment of `length` items, trapping past its end. */
WK_INLINE void *const *wk_segment_items_at(void *const *items, uint32_t length, uint32_t offset, uint32_t n,
                                           const wk_trap_site *site) {
    if (WK_UNLIKELY((uint64_t)offset + n > length)) wk_trap_at(WK_TRAP_TABLE_OUT_OF_BOUNDS, site);
    return items + offset;
}
#define wk_segment_items(items, length, offset, n) wk_segment_items_at(items, length, offset, n, WK_SITE)

/* ---- i31 ---- */

WK_INLINE void *wk_i31_new(uint32_t value) { return (void *)(((uintptr_t)(value & 0x7FFFFFFFu) << 1) | 1); }
WK_INLINE uint32_t wk_i31_bits_at(const void *ref, const wk_trap_site *site) {
    if (WK_UNLIKELY(!ref)) wk_trap_at(WK_TRAP_NULL_I31_REFERENCE, site);
    return (uint32_t)(uintptr_t)ref;
}
/* The tagged value's low 32 bits are value << 1 | 1: shifted back, signed or not. */
#define wk_i31_get_s(ref) ((uint32_t)((int32_t)wk_i31_bits_at(ref, WK_SITE) >> 1))
#define wk_i31_get_u(ref) (wk_i31_bits_at(ref, WK_SITE) >> 1)

/* ---- Casts (the reference is not null) ---- */

WK_INLINE bool wk_gc_is_kind(const void *ref, uint8_t kind) {
    return !wk_gc_is_i31(ref) && ((const wk_gc_header *)ref)->type->kind == kind;
}
/* eq: an i31, a struct or an array (not a boxed host value). */
WK_INLINE bool wk_gc_is_eq(const void *ref) {
    return wk_gc_is_i31(ref) || ((const wk_gc_header *)ref)->type->kind <= WK_GC_ARRAY;
}
WK_INLINE bool wk_gc_is_type(const void *ref, const wk_gc_type *type) {
    return !wk_gc_is_i31(ref) && wk_gc_is_subtype(ref, type);
}
WK_INLINE bool wk_func_is_type(const void *ref, uint32_t type_id) {
    const wk_func *f = (const wk_func *)ref;
    return f->type_id == type_id || wk_type_is_subtype(f->type_id, type_id);
}
/* ref.cast: the reference when `ok`, else a trap. */
WK_INLINE void *wk_cast_at(void *ref, bool ok, const wk_trap_site *site) {
    if (WK_UNLIKELY(!ok)) wk_trap_at(WK_TRAP_CAST_FAILURE, site);
    return ref;
}
#define wk_cast(ref, ok) wk_cast_at(ref, ok, WK_SITE)

#endif
