/* WasmKiln runtime: the public C API that compiled modules and embedders use.
 *
 * A compiled module is a `wk_module` (a description plus an instantiate function)
 * that generated C defines. An instance owns or imports its memories, tables and
 * globals; functions are `wk_func` descriptors called with their instance pointer.
 * Traps unwind (longjmp) to the nearest `wk_call_protected`.
 */
#ifndef WASMKILN_H
#define WASMKILN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
/* WK_FREESTANDING: the freestanding runtime (see wasmkiln-freestanding.h), for a
 * kernel or a microcontroller: no C library, one thread. */
#ifndef WK_FREESTANDING
#include <stdio.h>
#endif
/* Per-thread state; with the freestanding runtime (one thread, perhaps no TLS set up)
 * a plain global. */
#ifdef WK_FREESTANDING
#define WK_THREAD_LOCAL
#else
#define WK_THREAD_LOCAL __thread
#endif

#ifdef __cplusplus
extern "C" {
#endif

/* Value type codes: the binary format's bytes. */
enum {
    WK_I32 = 0x7F,
    WK_I64 = 0x7E,
    WK_F32 = 0x7D,
    WK_F64 = 0x7C,
    WK_V128 = 0x7B,
    WK_FUNCREF = 0x70,
    WK_EXTERNREF = 0x6F,
};

typedef struct wk_v128 {
    uint64_t lo, hi;
} wk_v128;

typedef union wk_value {
    uint32_t i32;
    uint64_t i64;
    float f32;
    double f64;
    wk_v128 v128;
    void *ref; /* funcref: const wk_func *; externref: host pointer; NULL is null */
} wk_value;

/* A function: `code` has the C type `R (*)(void *instance, P...)`, with i32 as uint32_t,
 * i64 as uint64_t, f32 as float, f64 as double, references as void *, and several
 * results as a struct of fields r0, r1, ... in order. */
typedef struct wk_tail_state wk_tail_state;
typedef struct wk_func {
    void *code;
    uint32_t type_id; /* wk_type_id of its signature: equal ids, equal signatures */
    void *instance;
    /* Generated code's entry for tail calls (see wk_tail_state in wasmkiln-gen.h), for
     * functions that make tail calls themselves; NULL for all others, host functions too. */
    void (*tail)(void *instance, wk_tail_state *state);
} wk_func;

/* Interns a signature written as parameter codes, ':', result codes, one letter per
 * value type: i=i32 I=i64 f=f32 F=f64 v=v128 r=funcref e=externref ("iI:f").
 * Ids are process-wide and thread-safe, so call_indirect checks hold across modules. */
uint32_t wk_type_id(const char *signature);
/* GC: function type `type_id` is declared a subtype of `supertype_id` (instantiation
 * says so for each type with a supertype), and whether one type is another or below it. */
void wk_type_declare_supertype(uint32_t type_id, uint32_t supertype_id);
bool wk_type_is_subtype(uint32_t type_id, uint32_t of);

/* Linear memory: grows, never shrinks, never moves. */
typedef struct wk_memory {
    uint8_t *base;     /* fixed for the memory's lifetime */
    uint64_t size;     /* accessible bytes: pages << page_log2 */
    uint32_t pages;
    uint32_t max_pages; /* declared maximum, or as many as fit in 4 GiB */
    uint64_t reserved; /* bytes of address space reserved at base */
    bool guarded;      /* accesses past `size` fault and trap (guard-page mode) */
    uint32_t cap_pages; /* memory.grow stops here too (wk_memory_set_cap); <= max_pages */
    struct wk_memory_state *state; /* statistics and policy; see wk_memory_stats */
    bool shared; /* a shared memory (threads): wait/notify work on it, grows are serialized */
    uint8_t page_log2; /* log2 of its page size: 16 (64 KiB), or 0 (custom page sizes: 1 byte) */
    bool address64; /* memory64: addressed by i64; always checked explicitly (see wk_memory_new64) */
} wk_memory;

typedef enum wk_bounds_mode {
    WK_BOUNDS_GUARD = 0,    /* reserve 8 GiB + 64 KiB, fault on out-of-bounds (64-bit hosts) */
    WK_BOUNDS_EXPLICIT = 1, /* generated code checks every access */
} wk_bounds_mode;

/* Creates a memory of `pages` pages; NULL when the address space cannot be reserved. */
wk_memory *wk_memory_new(uint32_t pages, uint32_t max_pages, wk_bounds_mode mode);
/* The same, shared (threads): instances on several threads may import it (a module
 * imports it as `(memory min max shared)`); grows are serialized, and wait/notify work. */
wk_memory *wk_memory_new_shared(uint32_t pages, uint32_t max_pages, wk_bounds_mode mode);
/* Either, with pages of 2^page_log2 bytes (custom page sizes: 0 or 16). A memory of
 * 1-byte pages ends inside an operating-system page, so code must check accesses to it
 * explicitly even in guard mode (generated code does). */
wk_memory *wk_memory_new_paged(uint32_t pages, uint32_t max_pages, uint8_t page_log2, bool shared, wk_bounds_mode mode);
/* A memory with 64-bit addresses (memory64). Its accesses are checked explicitly in
 * both bounds modes, and it is reserved at its declared maximum, but at most
 * WK_MEMORY64_RESERVATION bytes (64 GiB unless the runtime is built with another value;
 * also at most 2^32 - 1 pages): memories never move, so it cannot grow past that. */
wk_memory *wk_memory_new64(uint64_t pages, uint64_t max_pages, uint8_t page_log2, bool shared, wk_bounds_mode mode);
void wk_memory_free(wk_memory *memory);
/* memory.grow: the old size in pages, or -1 (as uint32_t) when it cannot grow. */
uint32_t wk_memory_grow(wk_memory *memory, uint32_t delta);
/* The same, executed by function `function` of the module (for statistics). */
uint32_t wk_memory_grow_at(wk_memory *memory, uint32_t delta, uint32_t function);
/* The same for a 64-bit memory: the old size, or -1 (as uint64_t). */
uint64_t wk_memory_grow64_at(wk_memory *memory, uint64_t delta, uint32_t function);

/* ---- Threads: waiting and notifying on shared memory ----
 * memory.atomic.wait32/wait64 at `p` (in `memory`, bounds not yet checked): 0 when
 * woken by a notify, 1 when the value there is not `expected`, 2 after `timeout`
 * nanoseconds (negative: no timeout). Traps unless `memory` is shared. */
uint32_t wk_atomic_wait32(wk_memory *memory, uint8_t *p, uint32_t expected, int64_t timeout);
uint32_t wk_atomic_wait64(wk_memory *memory, uint8_t *p, uint64_t expected, int64_t timeout);
/* memory.atomic.notify: wakes up to `count` threads waiting at `p`; how many it woke. */
uint32_t wk_atomic_notify(wk_memory *memory, uint8_t *p, uint32_t count);

/* ---- Memory limits and statistics ---- */

/* Why memory.grow returned -1. */
typedef enum wk_grow_failure {
    WK_GROW_FAIL_MAXIMUM = 0, /* past the memory's declared maximum */
    WK_GROW_FAIL_CAP,         /* past its cap (wk_options.max_memory_pages, --max-memory) */
    WK_GROW_FAIL_POLICY,      /* the grow policy refused */
    WK_GROW_FAIL_SYSTEM,      /* the operating system refused the pages */
    WK_GROW_FAIL_KINDS
} wk_grow_failure;

/* Decides whether a memory may grow from old_pages to new_pages (true: it may).
 * `instance` is the instance that created the memory. Runs on the growing thread. */
typedef bool (*wk_grow_policy)(void *context, void *instance, const wk_memory *memory,
                               uint32_t old_pages, uint32_t new_pages);

/* Limits a memory to `pages` (at most its declared maximum), and/or installs a policy
 * (NULL: none). For memories an embedder creates; instances do this from wk_options. */
void wk_memory_set_cap(wk_memory *memory, uint32_t pages);
void wk_memory_set_policy(wk_memory *memory, wk_grow_policy policy, void *context, void *instance);

/* memory.grow calls from a function that is not the module's (a host's wk_memory_grow). */
#define WK_HOST_SITE UINT32_MAX

/* One memory.grow that added pages. */
typedef struct wk_grow_event {
    uint64_t time_ns;  /* monotonic clock, nanoseconds since the memory was created */
    uint32_t old_pages;
    uint32_t new_pages;
    uint32_t function; /* the module's function that executed memory.grow, or WK_HOST_SITE */
} wk_grow_event;

/* The memory.grow calls of one function. */
typedef struct wk_grow_site {
    uint32_t function; /* function index, or WK_HOST_SITE */
    uint64_t calls;    /* memory.grow executed, failed ones included */
    uint64_t grows;    /* of which added pages */
    uint64_t pages;    /* pages they added */
} wk_grow_site;

/* A memory's statistics, kept as it grows (no locks, no system calls beyond the grow's
 * own). Memory never shrinks, so the peak is the current size. */
typedef struct wk_memory_stats {
    uint32_t initial_pages;
    uint32_t current_pages;
    uint32_t peak_pages;
    uint32_t max_pages;         /* declared maximum, or 65536 */
    uint32_t cap_pages;         /* the cap; max_pages when none */
    uint64_t grow_calls;        /* memory.grow executed, successful or not, delta 0 included */
    uint64_t grows;             /* of which added pages */
    uint64_t failures[WK_GROW_FAIL_KINDS];
    uint64_t committed_bytes;   /* readable and writable now: with explicit bounds checks a
                                 * grow commits ahead of the size (untouched pages cost no RAM) */
    uint64_t reserved_bytes;    /* address space held */
    uint64_t elapsed_ns;        /* since the memory was created, when these were taken */
    uint32_t event_count;       /* every grow that added pages, in order: */
    const wk_grow_event *events; /* valid until the memory next grows or is freed */
    uint32_t site_count;        /* functions that executed memory.grow, most pages first: */
    const wk_grow_site *sites;  /* valid until the memory next grows or is freed */
    uint32_t page_size;         /* bytes per page: 65536, or 1 (custom page sizes) */
} wk_memory_stats;

/* Takes a memory's statistics (sorting its sites, hence not const). Not thread-safe
 * against a concurrent grow of the same memory. */
void wk_memory_stats_get(wk_memory *memory, wk_memory_stats *out);

/* For host functions: the `length` bytes at guest address `address` as a host pointer,
 * or NULL when any of them lies outside the memory. The pointer stays valid while the
 * memory lives: memory never moves. */
static inline uint8_t *wk_memory_slice(const wk_memory *memory, uint64_t address, uint64_t length) {
    if (address > memory->size || length > memory->size - address) return NULL;
    return memory->base + address;
}
/* Copies between guest memory and the host; false, copying nothing, when out of bounds. */
bool wk_memory_read(const wk_memory *memory, uint64_t address, void *out, size_t length);
bool wk_memory_write(wk_memory *memory, uint64_t address, const void *data, size_t length);

typedef struct wk_table {
    void **elements; /* const wk_func * for funcref tables, host pointers for externref */
    uint32_t size;
    uint32_t max;    /* declared maximum, or UINT32_MAX */
    uint8_t type;    /* WK_FUNCREF or WK_EXTERNREF */
    bool index64;    /* table64: indexed by i64 (its size is a uint32_t all the same) */
    /* Typed function references: elements are never null; all are functions of the type
     * whose wk_type_id is heap_type (0: any function, or any host pointer). */
    bool non_null;
    uint32_t heap_type;
} wk_table;

wk_table *wk_table_new(uint8_t type, uint32_t size, uint32_t max, void *init);
void wk_table_free(wk_table *table);
/* table.grow: the old size, or -1 (as uint32_t). */
uint32_t wk_table_grow(wk_table *table, uint32_t delta, void *init);

typedef struct wk_global {
    wk_value value;
    uint8_t type;
    bool is_mutable;
    /* For a reference, as wk_table's. */
    bool non_null;
    uint32_t heap_type;
} wk_global;

/* Traps, with the spec's texts. */
typedef enum wk_trap_code {
    WK_TRAP_NONE = 0,
    WK_TRAP_UNREACHABLE,
    WK_TRAP_DIVIDE_BY_ZERO,
    WK_TRAP_INTEGER_OVERFLOW,
    WK_TRAP_INVALID_CONVERSION,
    WK_TRAP_MEMORY_OUT_OF_BOUNDS,
    WK_TRAP_TABLE_OUT_OF_BOUNDS,
    WK_TRAP_INDIRECT_CALL_TYPE_MISMATCH,
    WK_TRAP_UNDEFINED_ELEMENT,
    WK_TRAP_UNINITIALIZED_ELEMENT,
    WK_TRAP_CALL_STACK_EXHAUSTED,
    WK_TRAP_HOST, /* raised by a host function with wk_trap_host */
    WK_TRAP_EXIT, /* not a fault: the module asked to exit (WASI proc_exit) */
    WK_TRAP_EXCEPTION, /* a wasm exception no handler caught: see wk_uncaught_exception */
    WK_TRAP_NULL_REFERENCE, /* throw_ref of a null exnref */
    WK_TRAP_UNALIGNED_ATOMIC, /* an atomic access at an address not a multiple of its size */
    WK_TRAP_EXPECTED_SHARED_MEMORY, /* memory.atomic.wait on a memory that is not shared */
    WK_TRAP_GC_HEAP_EXHAUSTED, /* a GC allocation past the heap's cap, or the system's memory */
    WK_TRAP_NULL_FUNCTION_REFERENCE, /* call_ref or return_call_ref of a null reference */
    WK_TRAP_NULL_DEREFERENCE, /* ref.as_non_null of a null reference */
    WK_TRAP_NULL_STRUCT_REFERENCE, /* a struct access through null */
    WK_TRAP_NULL_ARRAY_REFERENCE,  /* an array access through null */
    WK_TRAP_NULL_I31_REFERENCE,    /* i31.get of null */
    WK_TRAP_ARRAY_OUT_OF_BOUNDS,   /* an array index or range past its length */
    WK_TRAP_CAST_FAILURE,          /* ref.cast of a reference not of the type */
    WK_TRAP_WRONG_THREAD,          /* a GC instance called on a thread other than its own */
} wk_trap_code;

const char *wk_trap_text(wk_trap_code code);
/* Where the calling thread's last trap was raised (a code address), or NULL: give it
 * to a module's `function_at` to name the trapping function. */
const void *wk_trap_address(void);
/* `leaf`: a trap leaves through the runtime's own jump buffer, never into the caller's
 * unit, so the compiler need not follow an abnormal edge from each trap site back into
 * the caller's code: less to analyse, and no false "used uninitialized" on paths that
 * cannot happen. */
#if defined(__GNUC__) && defined(__has_attribute)
#if __has_attribute(leaf)
#define WK_TRAP_ATTRIBUTES __attribute__((noreturn, cold, leaf))
#else
#define WK_TRAP_ATTRIBUTES __attribute__((noreturn, cold))
#endif
#else
#define WK_TRAP_ATTRIBUTES
#endif
WK_TRAP_ATTRIBUTES void wk_trap(wk_trap_code code);
/* A function of generated code as traps name it: "func 12 (name)", and the byte offset
 * of its body in the module file (0 for an import). */
typedef struct wk_function_info {
    const char *name;
    uint32_t offset;
} wk_function_info;
/* A place in generated code that can trap (WK_SITE in wasmkiln-gen.h): its function (its
 * entry in its module's table) and where in it. When the module carries DWARF line
 * tables and the function has rows, `file` and `line` are the original source's;
 * otherwise `file` is NULL and `line` is 1 + the wasm instruction's byte offset from the
 * function's body (a line is never 0): a function's C and its cached object then stay
 * the same when other functions change. */
typedef struct wk_trap_site {
    const wk_function_info *function;
    const char *file;
    uint32_t line;
} wk_trap_site;
/* wk_trap from generated code, naming where. */
WK_TRAP_ATTRIBUTES void wk_trap_at(wk_trap_code code, const wk_trap_site *site);
/* The site of the calling thread's last trap if generated code named it (wk_trap_at) or
 * a fault's was looked up (wk_fault_site, which a module's `function_at` calls), else
 * NULL (a host trap, a fault not looked up or in code without line tables). A module's
 * `function_at` uses it for the trap's address: the code there may be a function the C
 * compiler inlined into another. */
const wk_trap_site *wk_last_trap_site(void);
/* For a module's `function_at`: when the calling thread's last trap was a fault (an
 * access into a guard page) in code built with line tables (-g1 or -g, as `wasmkiln
 * build` builds), its site from the row of the native line table at wk_trap_address(),
 * which wk_last_trap_site gives from then on; else NULL. The module describes itself:
 * its table of functions; `module_file`, the file its offset directives name (function
 * N's lines are in "MODULE_FILE#N"); `sources`, the original source files its line
 * directives name (NULL-terminated, or NULL); `containing`, the function whose code
 * holds the address, named for a row in the original sources. */
const wk_trap_site *wk_fault_site(const wk_function_info *functions, uint32_t count, const char *module_file,
                                  const char *const *sources, const wk_function_info *containing);
/* "FILE:LINE" or "offset 0xOFFSET" (in the module file) of a site, in `buffer`. */
const char *wk_trap_site_text(const wk_trap_site *site, char *buffer, size_t size);
#if defined(__GNUC__)
__attribute__((noreturn, cold))
#endif
void wk_trap_host(const char *message);

/* ---- Exceptions ---- */

/* An exception tag. Tags are equal when they are the same object (an imported tag is
 * the exporter's). `name` is for messages: the export or import name, or "tag N". */
typedef struct wk_tag {
    uint32_t type_id; /* wk_type_id of its parameters, as a function's with no results */
    const char *name;
} wk_tag;

/* A thrown exception: its tag and the tag's parameter values. Immutable once thrown. */
typedef struct wk_exception {
    const wk_tag *tag;
    uint32_t count;
    /* Reachable as a Wasm exnref, or kept for a rethrow: the runtime never frees it. */
    bool retained;
    wk_value values[];
} wk_exception;

/* Throws a new exception of `tag` with `count` values (the tag's parameters, which
 * the caller must match) from a host function called by Wasm code. It returns: the
 * host function then returns at once (its results are ignored), and the exception goes
 * to the innermost Wasm handler, or out of the protected call as WK_TRAP_EXCEPTION. */
void wk_throw(const wk_tag *tag, const wk_value *values, uint32_t count);
/* The exception that ended the calling thread's last protected call with
 * WK_TRAP_EXCEPTION, or NULL; valid until the thread's next uncaught exception. */
const wk_exception *wk_uncaught_exception(void);

/* Runs body(context) so that a trap inside it returns here: WK_TRAP_NONE if it
 * finished, else the trap (message in *host_message for WK_TRAP_HOST). Nests.
 * host_message may be NULL; else *host_message is set on every return: NULL unless
 * WK_TRAP_HOST, then a per-thread copy valid until the thread's next host trap.
 * Faults inside a guarded memory's reservation trap only within a protected call;
 * elsewhere they crash as usual. */
wk_trap_code wk_call_protected(void (*body)(void *), void *context, const char **host_message);

/* Generated functions trap with WK_TRAP_CALL_STACK_EXHAUSTED when their frame lies
 * below this address. wk_call_protected sets it for the calling thread from the bytes
 * of stack actually left (less a margin for the trap path and host calls); NULL means
 * unchecked. One variable per thread, in the initial-exec TLS model so the check is a
 * single load even in a shared library.
 * Details: it is computed only while NULL, so an embedder may set its own limit; it
 * is the stack's lowest usable address plus min(128 KiB, a quarter of the stack left
 * at the first protected call); it stays set for the thread's lifetime. */
extern WK_THREAD_LOCAL char *wk_stack_limit
#if defined(__GNUC__) && !defined(WK_FREESTANDING)
    __attribute__((tls_model("initial-exec")))
#endif
    ;

/* ---- Modules and instances ---- */

typedef enum wk_extern_kind {
    WK_EXTERN_FUNC = 0,
    WK_EXTERN_TABLE = 1,
    WK_EXTERN_MEMORY = 2,
    WK_EXTERN_GLOBAL = 3,
    WK_EXTERN_TAG = 4,
} wk_extern_kind;

typedef struct wk_extern {
    wk_extern_kind kind;
    void *object; /* const wk_func *, wk_table *, wk_memory * or wk_global * */
} wk_extern;

/* An import or export as the module declares it. `signature` is the function's
 * wk_type_id string, a global's type letter with a leading 'm' if mutable ("mi"),
 * or NULL; limits are for tables and memories. */
typedef struct wk_extern_desc {
    const char *module; /* imports only */
    const char *name;
    wk_extern_kind kind;
    const char *signature;
    uint32_t min, max; /* max is UINT32_MAX when absent (or past it: memory64, table64) */
    uint8_t elem_type; /* tables: the element type; memories: bit 0 shared, bit 1 64-bit addresses */
    /* Byte lengths of `module` and `name`: Wasm names may contain NUL bytes. */
    uint32_t module_length, name_length;
} wk_extern_desc;

typedef struct wk_instance wk_instance;

/* Why instantiation failed. */
typedef enum wk_error_code {
    WK_ERROR_NONE = 0,
    WK_ERROR_IMPORT,   /* an import is missing or does not match the module's declaration */
    WK_ERROR_RESOURCE, /* out of memory (the GC heap too), or address space for a memory refused */
    WK_ERROR_SEGMENT,  /* a data or element segment does not fit its memory or table */
    WK_ERROR_START,    /* the start function (or a WASI reactor's _initialize) trapped */
} wk_error_code;

typedef struct wk_error {
    char message[256];
    wk_error_code code;
} wk_error;

/* Per-instance settings for instantiation; all-zero means the defaults. */
typedef struct wk_options {
    /* Caps each memory the instance creates at this many 64 KiB pages (0: no cap beyond
     * the declared maximum). memory.grow past the cap returns -1; an initial size above
     * it fails instantiation with WK_ERROR_RESOURCE. */
    uint32_t max_memory_pages;
    /* The same for each table the instance creates, in elements (0: no cap). */
    uint32_t max_table_elements;
    /* Asked before each memory.grow of the instance's own memories (NULL: always yes). */
    wk_grow_policy grow_policy;
    void *grow_policy_context;
} wk_options;

/* How a call into a module ended. `trap` is WK_TRAP_NONE when it returned normally;
 * otherwise `message` is the trap's text, or the host's message for WK_TRAP_HOST
 * (a per-thread copy, valid until the thread's next host trap), `function` names
 * the module's function that trapped ("func 12 (name)") when known, else NULL, and
 * `site` says where in it when the trap came from a check in generated code (not for
 * a guard-page fault); see wk_trap_site_text. */
typedef struct wk_result {
    wk_trap_code trap;
    const char *message;
    const char *function;
    const wk_trap_site *site;
    /* For WK_TRAP_EXCEPTION: the exception (see wk_uncaught_exception), else NULL. */
    const wk_exception *exception;
} wk_result;

typedef struct wk_module {
    const char *name;
    uint32_t import_count;
    const wk_extern_desc *imports;
    uint32_t export_count;
    const wk_extern_desc *exports;
    /* How the module's code was compiled: a guard-page module needs guarded memories. */
    wk_bounds_mode bounds_mode;
    /* Creates an instance from imports given in declaration order (checked against
     * `imports`: kinds, signatures, limits); runs the start function. NULL on failure,
     * with the reason (a trap's text too) in *error. */
    wk_instance *(*instantiate)(const wk_extern *imports, wk_error *error);
    void (*free)(wk_instance *instance);
    /* The export whose name is the `length` bytes at `name`, or false. */
    bool (*get_export)(wk_instance *instance, const char *name, size_t length, wk_extern *out);
    /* The name of the module's function whose code holds `address` ("func 12 (name)"),
     * or NULL when it is not in this module's functions. Best effort, for messages. */
    const char *(*function_at)(const void *address);
    /* `instantiate` with options (NULL: defaults). */
    wk_instance *(*instantiate_with)(const wk_extern *imports, const wk_options *options, wk_error *error);
    /* Function `index` as "func 12 (name)", or NULL when there is none. */
    const char *(*function_name)(uint32_t index);
    /* The module's memories, imported ones first: how many, each of an instance, and
     * each one's name from the module's name section (NULL where it has none). */
    uint32_t memory_count;
    wk_memory *(*memory_at)(wk_instance *instance, uint32_t index);
    const char *(*memory_name)(uint32_t index);
    /* Whether the module has struct or array types: its instances allocate on the GC
     * heap of the thread that runs them (wasmkiln-gc.h). */
    bool uses_gc;
} wk_module;

/* ---- Reports ---- */

typedef enum wk_report_format {
    WK_REPORT_TEXT = 0, /* for people: sizes, growth, steady state, top sites, a sparkline */
    WK_REPORT_JSON,     /* the same for tools */
    WK_REPORT_CSV,      /* one line per grow event */
    WK_REPORT_SVG,      /* size over time, as a plot */
} wk_report_format;

#ifndef WK_FREESTANDING
/* Writes a report on `memory`; `module` (may be NULL) names the grow sites. False when
 * writing failed. */
bool wk_memory_report(FILE *out, wk_memory *memory, const wk_module *module, wk_report_format format);
#endif

#ifdef __cplusplus
}
#endif
#endif
