/* The heap of Wasm GC objects and its collector: a precise, non-moving mark-sweep
 * (see wasmkiln-gc.h for the design). One heap per thread.
 *
 * Small objects live in cells of a size class, carved from 64 KiB chunks; a free cell
 * has a NULL type and links to the next free cell of its class. Objects above
 * LARGE_BYTES are allocated alone. Marks are collection numbers, so no pass clears them. */
#include "internal.h"
#include "wasmkiln-gc.h"
#include "wasmkiln-gen.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

__thread wk_gc_frame *wk_gc_frames = NULL;

#define CHUNK_BYTES ((size_t)64 << 10)
#define LARGE_BYTES ((size_t)4096)
#define MIN_THRESHOLD ((uint64_t)1 << 20)
/* Cells: 32 to 512 bytes in steps of 16, then to 4096 in steps of 128. */
#define SMALL_STEP 16
#define SMALL_LIMIT 512
#define LARGE_STEP 128
#define CLASSES ((SMALL_LIMIT / SMALL_STEP) + (LARGE_BYTES - SMALL_LIMIT) / LARGE_STEP)

typedef struct chunk {
    struct chunk *next;
    uint32_t cell_bytes;
    uint32_t cells;
    _Alignas(16) uint8_t memory[];
} chunk;

typedef struct large_object {
    struct large_object *next;
    size_t bytes;
    _Alignas(16) wk_gc_header header;
} large_object;

/* A free cell: a header whose type is NULL, then the link. */
typedef struct free_cell {
    wk_gc_header header;
    struct free_cell *next;
} free_cell;

struct wk_gc_handle {
    void *reference;
    struct wk_gc_handle *previous, *next;
};

/* Where the heap's memory is, sorted by start, so that an externref can be told to be
 * one of its objects: a chunk's cells, or a large object (its header, end = start + 1). */
typedef struct span {
    uintptr_t start, end;
    const chunk *chunk; /* NULL for a large object */
} span;

typedef struct root_source {
    wk_gc_scan scan;
    void *context;
} root_source;

typedef struct heap {
    free_cell *free[CLASSES];
    chunk *chunks[CLASSES];
    large_object *large;
    root_source *roots;
    size_t root_count, root_capacity;
    wk_gc_handle handles; /* the list's head */
    void **marking;
    size_t marking_count, marking_capacity;
    uint32_t epoch;
    uint64_t since_collection, threshold;
    bool deferred; /* wk_gc_defer: no collection for now */
    wk_gc_stats stats;
    uint64_t created_ns;
    span *spans;
    size_t span_count, span_capacity;
    wk_gc_event *events; /* stats.event_count of them, room for event_capacity */
    uint32_t event_capacity;
    uint64_t event_stride; /* record every event_stride-th collection */
} heap;

/* Initial-exec, as wk_gc_frames: allocation reads it for every object, and the
 * general-dynamic model of a shared runtime costs a __tls_get_addr call each time. */
static __thread heap *thread_heap
#if defined(__GNUC__)
    __attribute__((tls_model("initial-exec")))
#endif
    ;
static pthread_key_t heap_key;
static pthread_once_t heap_key_once = PTHREAD_ONCE_INIT;

static void free_heap(void *data) {
    heap *h = data;
    for (size_t c = 0; c < CLASSES; c++) {
        for (chunk *k = h->chunks[c], *next; k; k = next) {
            next = k->next;
            free(k);
        }
    }
    for (large_object *o = h->large, *next; o; o = next) {
        next = o->next;
        free(o);
    }
    for (wk_gc_handle *handle = h->handles.next, *next; handle && handle != &h->handles; handle = next) {
        next = handle->next;
        free(handle);
    }
    free(h->roots);
    free(h->marking);
    free(h->spans);
    free(h->events);
    free(h);
    thread_heap = NULL; /* a later destructor of the thread's may still allocate: anew */
}

static uint64_t now_ns(void) {
    struct timespec time;
    clock_gettime(CLOCK_MONOTONIC, &time);
    return (uint64_t)time.tv_sec * 1000000000u + (uint64_t)time.tv_nsec;
}

static void make_key(void) { pthread_key_create(&heap_key, free_heap); }

static __attribute__((noreturn)) void out_of_memory(void) {
    wk_trap(WK_TRAP_GC_HEAP_EXHAUSTED);
    __builtin_unreachable();
}

static heap *this_heap(void) {
    if (thread_heap) return thread_heap;
    heap *h = calloc(1, sizeof *h);
    if (!h) out_of_memory();
    h->handles.next = h->handles.previous = &h->handles;
    h->epoch = 1;
    h->threshold = MIN_THRESHOLD;
    h->created_ns = now_ns();
    h->event_stride = 1;
    pthread_once(&heap_key_once, make_key);
    pthread_setspecific(heap_key, h);
    return thread_heap = h;
}

static size_t class_of(size_t bytes) {
    if (bytes <= SMALL_LIMIT) return bytes <= 32 ? 1 : (bytes + SMALL_STEP - 1) / SMALL_STEP - 1;
    return SMALL_LIMIT / SMALL_STEP - 1 + (bytes - SMALL_LIMIT + LARGE_STEP - 1) / LARGE_STEP;
}

static size_t cell_bytes(size_t class) {
    if (class < SMALL_LIMIT / SMALL_STEP) return (class + 1) * SMALL_STEP;
    return SMALL_LIMIT + (class - (SMALL_LIMIT / SMALL_STEP - 1)) * LARGE_STEP;
}

static void note_heap_growth(heap *h, size_t bytes) {
    h->stats.heap_bytes += bytes;
    if (h->stats.heap_bytes > h->stats.peak_heap_bytes) h->stats.peak_heap_bytes = h->stats.heap_bytes;
}

/* ---- Spans ---- */

/* The index of the first span that starts after `address`. */
static size_t span_after(const heap *h, uintptr_t address) {
    size_t low = 0, high = h->span_count;
    while (low < high) {
        size_t middle = low + (high - low) / 2;
        if (h->spans[middle].start <= address) low = middle + 1;
        else high = middle;
    }
    return low;
}

static void add_span(heap *h, uintptr_t start, uintptr_t end, const chunk *k) {
    if (h->span_count == h->span_capacity) {
        size_t capacity = h->span_capacity ? 2 * h->span_capacity : 64;
        span *grown = realloc(h->spans, capacity * sizeof *grown);
        if (!grown) out_of_memory();
        h->spans = grown;
        h->span_capacity = capacity;
    }
    size_t at = span_after(h, start);
    memmove(h->spans + at + 1, h->spans + at, (h->span_count - at) * sizeof *h->spans);
    h->spans[at] = (span){start, end, k};
    h->span_count++;
}

static void remove_span(heap *h, uintptr_t start) {
    size_t at = span_after(h, start);
    if (at == 0 || h->spans[at - 1].start != start) return;
    at--;
    memmove(h->spans + at, h->spans + at + 1, (h->span_count - at - 1) * sizeof *h->spans);
    h->span_count--;
}

static bool is_object(const heap *h, const void *value) {
    uintptr_t address = (uintptr_t)value;
    size_t at = span_after(h, address);
    if (at == 0) return false;
    const span *found = &h->spans[at - 1];
    if (address >= found->end) return false;
    if (!found->chunk) return address == found->start;
    /* A cell's start, holding an object (a free cell's type is NULL). */
    return (address - found->start) % found->chunk->cell_bytes == 0 && ((const wk_gc_header *)value)->type != NULL;
}

bool wk_gc_is_object(const void *value) { return value && !wk_gc_is_i31(value) && is_object(this_heap(), value); }

/* ---- Marking ---- */

void wk_gc_mark(void *reference) {
    if (!reference || wk_gc_is_i31(reference)) return;
    heap *h = thread_heap;
    wk_gc_header *object = reference;
    if (object->mark == h->epoch) return;
    object->mark = h->epoch;
    if (h->marking_count == h->marking_capacity) {
        size_t capacity = h->marking_capacity ? 2 * h->marking_capacity : 1024;
        void **grown = realloc(h->marking, capacity * sizeof *grown);
        if (!grown) abort(); /* no memory to finish a collection: nothing sound is left */
        h->marking = grown;
        h->marking_capacity = capacity;
    }
    h->marking[h->marking_count++] = reference;
}

/* An externref: marked if it is one of the heap's objects (not a host value). */
void wk_gc_mark_extern(void *value) {
    if (value && !wk_gc_is_i31(value) && is_object(thread_heap, value)) wk_gc_mark(value);
}

static void trace(heap *h) {
    while (h->marking_count > 0) {
        wk_gc_header *object = h->marking[--h->marking_count];
        const wk_gc_type *type = object->type;
        if (type->kind == WK_GC_STRUCT) {
            uint8_t *fields = wk_gc_fields(object);
            for (uint32_t i = 0; i < type->ref_count; i++) {
                uint32_t offset = type->ref_offsets[i];
                void *reference = *(void **)(fields + (offset & ~(uint32_t)WK_GC_EXTERN_FIELD));
                if (offset & WK_GC_EXTERN_FIELD) wk_gc_mark_extern(reference);
                else wk_gc_mark(reference);
            }
        } else if (type->ref_elements) {
            wk_gc_array *array = (wk_gc_array *)object;
            void **elements = (void **)array->elements;
            if (type->ref_elements == WK_GC_EXTERN_REFS) {
                for (uint32_t i = 0; i < array->length; i++) wk_gc_mark_extern(elements[i]);
            } else {
                for (uint32_t i = 0; i < array->length; i++) wk_gc_mark(elements[i]);
            }
        }
    }
}

/* Sweeps class `c`: rebuilds its free list and gives back chunks left empty. */
static uint64_t sweep_class(heap *h, size_t c) {
    uint64_t live = 0;
    h->free[c] = NULL;
    for (chunk **link = &h->chunks[c]; *link;) {
        chunk *k = *link;
        free_cell *free_list = h->free[c];
        uint32_t used = 0;
        for (uint32_t i = 0; i < k->cells; i++) {
            free_cell *cell = (free_cell *)(k->memory + (size_t)i * k->cell_bytes);
            if (cell->header.type && cell->header.mark == h->epoch) {
                used++;
                continue;
            }
            cell->header.type = NULL;
            cell->next = free_list;
            free_list = cell;
        }
        if (used == 0) {
            remove_span(h, (uintptr_t)k->memory);
            *link = k->next;
            h->stats.heap_bytes -= sizeof(chunk) + (size_t)k->cells * k->cell_bytes;
            free(k);
            continue;
        }
        h->free[c] = free_list;
        live += (uint64_t)used * k->cell_bytes;
        link = &k->next;
    }
    return live;
}

/* Clears every mark: before the collection numbers wrap, so that no old mark can equal a new one. */
static void clear_marks(heap *h) {
    for (size_t c = 0; c < CLASSES; c++) {
        for (chunk *k = h->chunks[c]; k; k = k->next) {
            for (uint32_t i = 0; i < k->cells; i++) ((wk_gc_header *)(k->memory + (size_t)i * k->cell_bytes))->mark = 0;
        }
    }
    for (large_object *object = h->large; object; object = object->next) object->header.mark = 0;
}

/* Keeps `event` if it is an event_stride-th collection; a full list keeps every other
 * record and doubles the stride. A record that cannot be kept is dropped: the counts
 * in the statistics stay exact. */
static void record(heap *h, wk_gc_event event) {
    if ((h->stats.collections - 1) % h->event_stride) return;
    if (h->stats.event_count == h->event_capacity && h->event_capacity < WK_GC_MAX_EVENTS) {
        uint32_t capacity = h->event_capacity ? 2 * h->event_capacity : 64;
        wk_gc_event *grown = realloc(h->events, capacity * sizeof *grown);
        if (!grown) return;
        h->events = grown;
        h->event_capacity = capacity;
    }
    if (h->stats.event_count == WK_GC_MAX_EVENTS) {
        for (uint32_t k = 0; k < WK_GC_MAX_EVENTS / 2; k++) h->events[k] = h->events[2 * k];
        h->stats.event_count = WK_GC_MAX_EVENTS / 2;
        h->event_stride *= 2;
        if ((h->stats.collections - 1) % h->event_stride) return;
    }
    h->events[h->stats.event_count++] = event;
}

static void collect(heap *h) {
    uint64_t start = now_ns();
    uint64_t heap_before = h->stats.heap_bytes;
    if (h->epoch == UINT32_MAX) {
        clear_marks(h);
        h->epoch = 0;
    }
    h->epoch++;
    for (wk_gc_frame *frame = wk_gc_frames; frame; frame = frame->previous) {
        /* A frame also holds externrefs (host values or objects) and funcrefs: checked. */
        for (uint32_t i = 0; i < frame->count; i++) wk_gc_mark_extern(frame->slots[i]);
    }
    for (size_t i = 0; i < h->root_count; i++) h->roots[i].scan(h->roots[i].context);
    for (wk_gc_handle *handle = h->handles.next; handle != &h->handles; handle = handle->next) wk_gc_mark(handle->reference);
    trace(h);

    uint64_t live = 0;
    for (size_t c = 0; c < CLASSES; c++) live += sweep_class(h, c);
    for (large_object **link = &h->large; *link;) {
        large_object *object = *link;
        if (object->header.mark == h->epoch) {
            live += object->bytes;
            link = &object->next;
        } else {
            *link = object->next;
            remove_span(h, (uintptr_t)&object->header);
            h->stats.heap_bytes -= object->bytes;
            free(object);
        }
    }

    h->stats.live_bytes = live;
    h->stats.collections++;
    h->since_collection = 0;
    h->threshold = live > MIN_THRESHOLD ? live : MIN_THRESHOLD;
    if (live > h->stats.peak_live_bytes) h->stats.peak_live_bytes = live;
    uint64_t end = now_ns();
    h->stats.pause_total_ns += end - start;
    if (end - start > h->stats.pause_max_ns) h->stats.pause_max_ns = end - start;
    record(h, (wk_gc_event){.time_ns = end - h->created_ns,
                            .heap_before_bytes = heap_before,
                            .heap_bytes = h->stats.heap_bytes,
                            .live_bytes = live,
                            .pause_ns = end - start});
}

const void *wk_gc_thread(void) { return &thread_heap; }

void wk_gc_collect(void) { collect(this_heap()); }

void wk_gc_defer(bool defer) { this_heap()->deferred = defer; }

/* ---- Allocation ---- */

/* Whether taking `bytes` more from the system keeps within the cap, collecting first if
 * that may help; traps when it cannot. `collected` says whether this allocation already did. */
static void reserve(heap *h, size_t bytes, bool *collected) {
    if (!h->stats.cap_bytes || h->stats.heap_bytes + bytes <= h->stats.cap_bytes) return;
    if (!*collected && !h->deferred) {
        collect(h);
        *collected = true;
        if (h->stats.heap_bytes + bytes <= h->stats.cap_bytes) return;
    }
    out_of_memory();
}

static free_cell *new_chunk(heap *h, size_t class) {
    size_t bytes = cell_bytes(class);
    uint32_t cells = (uint32_t)(CHUNK_BYTES / bytes);
    chunk *k = malloc(sizeof(chunk) + (size_t)cells * bytes);
    if (!k) out_of_memory();
    note_heap_growth(h, sizeof(chunk) + (size_t)cells * bytes);
    k->cell_bytes = (uint32_t)bytes;
    k->cells = cells;
    add_span(h, (uintptr_t)k->memory, (uintptr_t)k->memory + (size_t)cells * bytes, k);
    k->next = h->chunks[class];
    h->chunks[class] = k;
    free_cell *list = NULL;
    for (uint32_t i = cells; i-- > 0;) {
        free_cell *cell = (free_cell *)(k->memory + (size_t)i * bytes);
        cell->header.type = NULL;
        cell->next = list;
        list = cell;
    }
    return list;
}

static wk_gc_header *allocate(const wk_gc_type *type, size_t bytes) {
    heap *h = this_heap();
    bool collected = false;
    if (h->since_collection >= h->threshold && !h->deferred) {
        collect(h);
        collected = true;
    }
    wk_gc_header *object;
    uint32_t cell;
    if (bytes <= LARGE_BYTES) {
        size_t class = class_of(bytes);
        free_cell *free_list = h->free[class];
        if (!free_list) {
            reserve(h, CHUNK_BYTES, &collected);
            free_list = h->free[class];
            if (!free_list) free_list = new_chunk(h, class);
        }
        h->free[class] = free_list->next;
        bytes = cell_bytes(class);
        object = &free_list->header;
        memset(object, 0, bytes);
        cell = (uint32_t)class;
    } else {
        size_t total = offsetof(large_object, header) + bytes;
        reserve(h, total, &collected);
        large_object *large = calloc(1, total);
        if (!large) out_of_memory();
        large->bytes = total;
        large->next = h->large;
        h->large = large;
        add_span(h, (uintptr_t)&large->header, (uintptr_t)&large->header + 1, NULL);
        note_heap_growth(h, total);
        object = &large->header;
        cell = UINT32_MAX;
        bytes = total;
    }
    object->type = type;
    object->cell = cell;
    h->since_collection += bytes;
    h->stats.allocated_bytes += bytes;
    h->stats.allocations++;
    return object;
}

void *wk_gc_struct_new(const wk_gc_type *type) {
    return allocate(type, sizeof(wk_gc_header) + type->size);
}

wk_gc_array *wk_gc_array_new(const wk_gc_type *type, uint32_t length) {
    uint64_t bytes = sizeof(wk_gc_array) + (uint64_t)length * type->size;
    /* An array of 4 GiB or more fails, as in wasmtime (whose GC heap is 32-bit): more
     * than a 32-bit memory holds is more than a module can mean to fill. */
    if (bytes > UINT32_MAX) out_of_memory();
    wk_gc_array *array = (wk_gc_array *)allocate(type, (size_t)bytes);
    array->length = length;
    return array;
}

/* ---- Roots and handles ---- */

void wk_gc_add_roots(wk_gc_scan scan, void *context) {
    heap *h = this_heap();
    if (h->root_count == h->root_capacity) {
        size_t capacity = h->root_capacity ? 2 * h->root_capacity : 16;
        root_source *grown = realloc(h->roots, capacity * sizeof *grown);
        if (!grown) out_of_memory();
        h->roots = grown;
        h->root_capacity = capacity;
    }
    h->roots[h->root_count++] = (root_source){scan, context};
}

static void mark_exception(void *context) {
    const wk_exception *exception = context;
    /* The tag's types are not at hand here: each value is marked if it is an object. */
    for (uint32_t k = 0; k < exception->count; k++) wk_gc_mark_extern(exception->values[k].ref);
}

void wk_gc_root_exception(wk_exception *exception) {
    /* Without a heap the thread has no objects for it to hold. */
    if (thread_heap && exception->count > 0) wk_gc_add_roots(mark_exception, exception);
}

void wk_gc_remove_roots(wk_gc_scan scan, void *context) {
    heap *h = this_heap();
    for (size_t i = 0; i < h->root_count; i++) {
        if (h->roots[i].scan == scan && h->roots[i].context == context) {
            h->roots[i] = h->roots[--h->root_count];
            return;
        }
    }
}

wk_gc_handle *wk_gc_handle_new(void *reference) {
    heap *h = this_heap();
    wk_gc_handle *handle = malloc(sizeof *handle);
    if (!handle) return NULL;
    handle->reference = reference;
    handle->next = h->handles.next;
    handle->previous = &h->handles;
    h->handles.next->previous = handle;
    h->handles.next = handle;
    return handle;
}

void *wk_gc_handle_get(const wk_gc_handle *handle) { return handle ? handle->reference : NULL; }

void wk_gc_handle_release(wk_gc_handle *handle) {
    if (!handle) return;
    handle->previous->next = handle->next;
    handle->next->previous = handle->previous;
    free(handle);
}

/* ---- Statistics and limits ---- */

void wk_gc_stats_get(wk_gc_stats *out) {
    heap *h = this_heap();
    *out = h->stats;
    out->elapsed_ns = now_ns() - h->created_ns;
    out->events = h->events;
}

void wk_gc_set_cap(uint64_t bytes) { this_heap()->stats.cap_bytes = bytes; }

/* ---- Canonical type descriptors ----
 * A list searched by name under a lock: instantiation asks once per type, and modules
 * have few GC types next to the calls and casts that then use them. Descriptors live as
 * long as the process, as type ids do. */

typedef struct interned_type {
    struct interned_type *next;
    char *name;
    wk_gc_type type;
} interned_type;

static pthread_mutex_t types_lock = PTHREAD_MUTEX_INITIALIZER;
static interned_type *interned_types;

const wk_gc_type *wk_gc_type_intern(const char *name, const wk_gc_type *local, const wk_gc_type *supertype) {
    pthread_mutex_lock(&types_lock);
    for (interned_type *t = interned_types; t; t = t->next) {
        if (strcmp(t->name, name) == 0) {
            pthread_mutex_unlock(&types_lock);
            return &t->type;
        }
    }
    interned_type *t = calloc(1, sizeof *t);
    size_t depth = supertype ? supertype->depth + 1 : 0;
    const wk_gc_type **display = calloc(depth + 1, sizeof *display);
    uint32_t *offsets = calloc(local->ref_count ? local->ref_count : 1, sizeof *offsets);
    char *copy = strdup(name);
    if (!t || !display || !offsets || !copy) {
        free(t), free(display), free(offsets), free(copy);
        pthread_mutex_unlock(&types_lock);
        out_of_memory();
    }
    t->type = *local;
    if (local->ref_count) memcpy(offsets, local->ref_offsets, local->ref_count * sizeof *offsets);
    t->type.ref_offsets = offsets;
    /* The display: the supertype's chain, then this type. */
    for (size_t i = 0; i < depth; i++) display[i] = supertype->supertypes[i];
    display[depth] = &t->type;
    t->type.depth = (uint32_t)depth;
    t->type.supertypes = display;
    t->name = copy;
    t->next = interned_types;
    interned_types = t;
    pthread_mutex_unlock(&types_lock);
    return &t->type;
}

/* ---- Between extern and any ---- */

/* The boxes: one pointer-sized field, no reference to trace (a host value is the host's;
 * a boxed i31 is no object). Depth 0 and no supertypes: no cast but to `any` takes one. */
static const wk_gc_type host_box = {WK_GC_HOST_BOX, 0, sizeof(void *), 0, NULL, 0, NULL};
static const wk_gc_type i31_box = {WK_GC_I31_BOX, 0, sizeof(void *), 0, NULL, 0, NULL};

static void *box(const wk_gc_type *type, void *value) {
    void *object = wk_gc_struct_new(type);
    memcpy(wk_gc_fields(object), &value, sizeof value);
    return object;
}

static void *unbox(void *object) {
    void *value;
    memcpy(&value, wk_gc_fields(object), sizeof value);
    return value;
}

void *wk_gc_internalize(void *value) {
    if (!value) return NULL;
    if (!wk_gc_is_object(value)) return box(&host_box, value);
    return ((wk_gc_header *)value)->type == &i31_box ? unbox(value) : value;
}

void *wk_gc_externalize(void *reference) {
    if (!reference) return NULL;
    if (wk_gc_is_i31(reference)) return box(&i31_box, reference);
    return ((wk_gc_header *)reference)->type == &host_box ? unbox(reference) : reference;
}

bool wk_gc_host_value(const void *reference, void **value) {
    if (!reference || wk_gc_is_i31(reference) || ((const wk_gc_header *)reference)->type != &host_box) return false;
    *value = unbox((void *)reference);
    return true;
}
