/* WasmKiln runtime: the heap of Wasm GC objects (structs and arrays), apart from linear
 * memory, and its collector.
 *
 * Design. Objects never move: a reference is the object's address, which C code may
 * keep in any variable. The collector is a precise, non-moving mark-sweep over
 * size-classed cells (large objects apart), so it reclaims cycles. Its roots are
 *   - the shadow stack: each generated function that keeps references across an
 *     allocation or a call puts them in a frame of slots (WK_GC_FRAME) linked from a
 *     per-thread list, which wk_call_protected restores when a trap unwinds past it;
 *   - root sources registered by instances (their globals and tables of references);
 *   - handles the embedder holds (wk_gc_handle_new), rooted until released.
 * A function that keeps no reference live across a call or an allocation needs no frame,
 * and a module without GC types never touches any of this: it costs them nothing.
 * Each thread has its own heap (Wasm GC references cannot cross threads); it collects
 * when the bytes allocated since the last collection reach the bytes live after it (at
 * least 1 MiB), so the heap stays within about twice the live data, and before a cap set
 * with wk_gc_set_cap would be passed; an allocation past the cap traps
 * WK_TRAP_GC_HEAP_EXHAUSTED.
 *
 * i31 references are not objects: (value << 1) | 1, which marking skips. */
#ifndef WASMKILN_GC_H
#define WASMKILN_GC_H

#include "wasmkiln.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Kinds of objects: structs and arrays, and the boxes extern conversions make (a host
 * value entering GC's hierarchy by any.convert_extern, an i31 leaving it by
 * extern.convert_any), which no cast but to `any` accepts. */
enum { WK_GC_STRUCT = 1, WK_GC_ARRAY = 2, WK_GC_HOST_BOX = 3, WK_GC_I31_BOX = 4 };

/* A struct or array type as the generated code describes it (one static constant per
 * defined type). */
typedef struct wk_gc_type {
    uint8_t kind;         /* WK_GC_STRUCT, WK_GC_ARRAY, ... */
    uint8_t ref_elements; /* arrays: 0 no references, WK_GC_REFS GC references,
                           * WK_GC_EXTERN_REFS externrefs (which may hold GC objects) */
    uint32_t size;        /* structs: bytes of the fields; arrays: bytes of one element */
    /* Structs: the byte offsets (from the object's fields) of the reference fields; an
     * externref field's offset has WK_GC_EXTERN_FIELD added (offsets are 8-aligned). */
    uint32_t ref_count;
    const uint32_t *ref_offsets;
    /* ref.test and ref.cast in constant time: the chain of declared supertypes from the
     * root, this type last (supertypes[depth] is this type). */
    uint32_t depth;
    const struct wk_gc_type *const *supertypes;
} wk_gc_type;
enum { WK_GC_REFS = 1, WK_GC_EXTERN_REFS = 2, WK_GC_EXTERN_FIELD = 1 };

/* Every object starts with this header; a struct's fields follow it, an array's length
 * then its elements (both 8-byte aligned). */
typedef struct wk_gc_header {
    const wk_gc_type *type;
    uint32_t mark;  /* the collection that last found it live */
    uint32_t cell;  /* its cell's size class, or UINT32_MAX for a large object */
} wk_gc_header;

typedef struct wk_gc_array {
    wk_gc_header header;
    uint32_t length;
    uint32_t reserved;
    uint8_t elements[];
} wk_gc_array;

static inline void *wk_gc_fields(void *object) { return (wk_gc_header *)object + 1; }

/* Whether `object` (not NULL, not i31) is of `type` or a subtype of it. */
static inline bool wk_gc_is_subtype(const void *object, const wk_gc_type *type) {
    const wk_gc_type *actual = ((const wk_gc_header *)object)->type;
    return actual == type || (actual->depth > type->depth && actual->supertypes[type->depth] == type);
}

static inline bool wk_gc_is_i31(const void *reference) { return ((uintptr_t)reference & 1) != 0; }

/* ---- The shadow stack ---- */

typedef struct wk_gc_frame {
    struct wk_gc_frame *previous;
    uint32_t count;
    void **slots;
} wk_gc_frame;

/* The innermost frame of the calling thread (initial-exec TLS: one load). */
extern WK_THREAD_LOCAL wk_gc_frame *wk_gc_frames
#if defined(__GNUC__) && !defined(WK_FREESTANDING)
    __attribute__((tls_model("initial-exec")))
#endif
    ;

/* Declares `count` reference slots named NAME, all NULL, and links them as a frame;
 * WK_GC_FRAME_END(NAME) unlinks it before the function returns. */
#define WK_GC_FRAME(name, count)                                 \
    void *name[count] = {0};                                      \
    wk_gc_frame name##_frame = {wk_gc_frames, (count), name};     \
    wk_gc_frames = &name##_frame
#define WK_GC_FRAME_END(name) (wk_gc_frames = name##_frame.previous)

/* Generated code's frame: as WK_GC_FRAME, unlinked when its scope is left however it is
 * left (a return, a tail call's), and by wk_call_protected when a trap unwinds past it. */
static inline void wk_gc_frame_leave(wk_gc_frame *frame) { wk_gc_frames = frame->previous; }
#define WK_GC_ROOTS(name, count)                                                          \
    void *name[count] = {0};                                                               \
    __attribute__((cleanup(wk_gc_frame_leave))) wk_gc_frame name##_frame = {wk_gc_frames, (count), name}; \
    wk_gc_frames = &name##_frame

/* ---- Types ---- */

/* The process-wide descriptor of the type named `name` (its canonical name, equal in every
 * module that has the type): made from `local`, with `supertype` (interned before it, or
 * NULL) as its declared supertype, when first asked; the same descriptor afterwards. Casts
 * compare descriptors, so an object made by one module casts in another. */
const wk_gc_type *wk_gc_type_intern(const char *name, const wk_gc_type *local, const wk_gc_type *supertype);

/* ---- Allocation ---- */

/* A new struct of `type`, its fields zero (null references); may collect first, and
 * traps WK_TRAP_GC_HEAP_EXHAUSTED past the cap. */
void *wk_gc_struct_new(const wk_gc_type *type);
/* A new array of `type` with `length` elements, all zero. */
wk_gc_array *wk_gc_array_new(const wk_gc_type *type, uint32_t length);

/* ---- Roots ---- */

/* Calls wk_gc_mark on each reference the source holds (wk_gc_mark_extern on each
 * externref, which may be a host value). */
typedef void (*wk_gc_scan)(void *context);
void wk_gc_mark(void *reference);
void wk_gc_mark_extern(void *value);
/* The calling thread, as its heap knows it: an instance with GC types keeps its creator's
 * and is entered on that thread only, since its roots are that heap's. */
const void *wk_gc_thread(void);
/* Registers a root source on the calling thread's heap; removing takes the same pair. */
void wk_gc_add_roots(wk_gc_scan scan, void *context);
void wk_gc_remove_roots(wk_gc_scan scan, void *context);

/* An embedder's hold on an object: rooted until released. */
typedef struct wk_gc_handle wk_gc_handle;
wk_gc_handle *wk_gc_handle_new(void *reference);
void *wk_gc_handle_get(const wk_gc_handle *handle);
void wk_gc_handle_release(wk_gc_handle *handle);

/* ---- Between extern and any ---- */

/* any.convert_extern: a GC object or i31 the module gave out as an externref is itself
 * again; a host value is boxed (a new object, which may collect first). */
void *wk_gc_internalize(void *value);
/* extern.convert_any: an object is its own externref, a boxed host value its host value
 * again, an i31 is boxed. */
void *wk_gc_externalize(void *reference);
/* Whether `reference` (an anyref) is a boxed host value; if so, stores the host value in
 * *value. False for null, an i31 and every other object. */
bool wk_gc_host_value(const void *reference, void **value);
/* Whether `value` is an object of the calling thread's heap (for an externref, which may
 * be a host value). */
bool wk_gc_is_object(const void *value);

/* ---- Collection, statistics, limits ---- */

void wk_gc_collect(void);
/* While deferred, allocation does not collect (the cap still holds): instantiation
 * evaluates constant expressions that allocate, whose intermediate objects no frame
 * holds, this way. */
void wk_gc_defer(bool defer);

/* One collection: when it ended (since the heap was made), the heap's size when it
 * started and when it ended, the bytes it found live and how long it took. */
typedef struct wk_gc_event {
    uint64_t time_ns;
    uint64_t heap_before_bytes; /* the heap's size when the collection started */
    uint64_t heap_bytes;
    uint64_t live_bytes;
    uint64_t pause_ns;
} wk_gc_event;

/* Collections recorded at most: past it, every other record is dropped and collections
 * are recorded half as often (the curve keeps its shape, the counts stay exact). */
#define WK_GC_MAX_EVENTS 16384

typedef struct wk_gc_stats {
    uint64_t heap_bytes;      /* bytes the heap holds from the system now */
    uint64_t peak_heap_bytes; /* the most it ever held */
    uint64_t live_bytes;      /* bytes of objects found live by the last collection */
    uint64_t peak_live_bytes; /* the most any collection found live */
    uint64_t allocated_bytes; /* bytes of objects ever allocated */
    uint64_t allocations;
    uint64_t collections;
    uint64_t pause_total_ns, pause_max_ns;
    uint64_t cap_bytes;       /* 0: no cap */
    uint64_t elapsed_ns;      /* since the heap was made, when these were taken */
    uint32_t event_count;     /* collections recorded, in order (see WK_GC_MAX_EVENTS): */
    const wk_gc_event *events; /* valid until the next collection */
} wk_gc_stats;

void wk_gc_stats_get(wk_gc_stats *out);
/* Caps the calling thread's heap at `bytes` (0: no cap). */
void wk_gc_set_cap(uint64_t bytes);

/* Reports on the calling thread's heap: text (sizes, collections, pauses, a sparkline
 * of the heap), JSON (the same, events included), CSV (one line per recorded
 * collection) or SVG (heap size and live bytes over time). False if writing failed. */
bool wk_gc_report(FILE *out, wk_report_format format);

#ifdef __cplusplus
}
#endif

#endif
