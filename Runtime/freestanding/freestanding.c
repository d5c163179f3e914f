/* The freestanding runtime (see wasmkiln-freestanding.h): what generated code and the
 * typed API need, on memory the embedder provides and without a C library. One
 * thread. Compile with -ffreestanding; it defines memcpy, memmove, memset and memcmp,
 * which compilers call even in freestanding code. */
#include "wasmkiln-freestanding.h"

#include <stdarg.h>

/* ---- memcpy and friends, for calls the compiler makes ---- */

/* gcc would turn these loops back into calls to themselves. */
#if defined(__GNUC__) && !defined(__clang__)
#define WK_NO_LIBCALLS __attribute__((optimize("no-tree-loop-distribute-patterns")))
#else
#define WK_NO_LIBCALLS
#endif

WK_NO_LIBCALLS void *memcpy(void *restrict to, const void *restrict from, size_t n) {
    unsigned char *d = to;
    const unsigned char *s = from;
    while (n--) *d++ = *s++;
    return to;
}

WK_NO_LIBCALLS void *memmove(void *to, const void *from, size_t n) {
    unsigned char *d = to;
    const unsigned char *s = from;
    if (d < s) {
        while (n--) *d++ = *s++;
    } else {
        while (n--) d[n] = s[n];
    }
    return to;
}

WK_NO_LIBCALLS void *memset(void *to, int value, size_t n) {
    unsigned char *d = to;
    while (n--) *d++ = (unsigned char)value;
    return to;
}

WK_NO_LIBCALLS int memcmp(const void *a, const void *b, size_t n) {
    const unsigned char *x = a, *y = b;
    for (size_t i = 0; i < n; i++) {
        if (x[i] != y[i]) return x[i] < y[i] ? -1 : 1;
    }
    return 0;
}

/* ---- The arena ---- */

static unsigned char *arena_base;
static size_t arena_size, arena_used;

void wk_freestanding_arena(void *arena, size_t size) {
    arena_base = arena;
    arena_size = size;
    arena_used = 0;
}

size_t wk_freestanding_arena_used(void) {
    return arena_used;
}

/* Zeroed, aligned for any type; NULL when the arena is full. */
void *wk_freestanding_calloc(size_t count, size_t size) {
    const size_t align = 16;
    if (size && count > SIZE_MAX / size) return NULL;
    size_t bytes = count * size;
    size_t start = (arena_used + align - 1) & ~(align - 1);
    if (!arena_base || start > arena_size || bytes > arena_size - start) return NULL;
    arena_used = start + bytes;
    return memset(arena_base + start, 0, bytes);
}

/* A bump allocator gives nothing back. */
void wk_freestanding_free(void *pointer) {
    (void)pointer;
}

/* ---- Messages: snprintf for %s, %u, %d, %x and %% ---- */

typedef struct text {
    char *buffer;
    size_t size, length; /* length: what the whole text needs, written or not */
} text;

static void put(text *t, char c) {
    if (t->length + 1 < t->size) t->buffer[t->length] = c;
    t->length++;
}

static void put_number(text *t, unsigned long long value, unsigned base) {
    char digits[24];
    int n = 0;
    do {
        digits[n++] = "0123456789abcdef"[value % base];
        value /= base;
    } while (value);
    while (n) put(t, digits[--n]);
}

int wk_freestanding_snprintf(char *buffer, size_t size, const char *format, ...) {
    text t = {buffer, size, 0};
    va_list arguments;
    va_start(arguments, format);
    for (const char *p = format; *p; p++) {
        if (*p != '%') {
            put(&t, *p);
            continue;
        }
        switch (*++p) {
        case 's':
            for (const char *s = va_arg(arguments, const char *); s && *s; s++) put(&t, *s);
            break;
        case 'u': put_number(&t, va_arg(arguments, unsigned), 10); break;
        case 'x': put_number(&t, va_arg(arguments, unsigned), 16); break;
        case 'd': {
            int value = va_arg(arguments, int);
            if (value < 0) put(&t, '-');
            put_number(&t, value < 0 ? -(unsigned long long)value : (unsigned long long)value, 10);
            break;
        }
        case '%': put(&t, '%'); break;
        default: p--; put(&t, '%'); break; /* not a format this knows: kept as text */
        }
    }
    va_end(arguments);
    if (size) buffer[t.length < size ? t.length : size - 1] = 0;
    return (int)t.length;
}

/* ---- Signatures: a list, searched; a module has few ---- */

#define WK_SIGNATURES 256
static const char *signatures[WK_SIGNATURES];
static uint32_t signature_count;

static bool same(const char *a, const char *b) {
    while (*a && *a == *b) a++, b++;
    return *a == *b;
}

uint32_t wk_type_id(const char *signature) {
    if (!signature) signature = "";
    for (uint32_t i = 0; i < signature_count; i++) {
        if (same(signatures[i], signature)) return i + 1;
    }
    /* Ids must never be wrong: more signatures than the list holds is a trap. The
     * strings are the module's constants, which outlive it. */
    if (signature_count == WK_SIGNATURES) wk_trap_host("too many function signatures for the freestanding runtime");
    signatures[signature_count] = signature;
    return ++signature_count;
}

/* GC's declared supertypes, by id (see types.c). */
static uint32_t supertypes[WK_SIGNATURES + 1];

void wk_type_declare_supertype(uint32_t type_id, uint32_t supertype_id) {
    if (type_id <= WK_SIGNATURES) supertypes[type_id] = supertype_id;
}

bool wk_type_is_subtype(uint32_t type_id, uint32_t of) {
    for (int depth = 0; depth < 64 && type_id != of && type_id <= WK_SIGNATURES; depth++) type_id = supertypes[type_id];
    return type_id == of && of != 0;
}

/* ---- Memories, in the embedder's buffer ---- */

static uint8_t *memory_buffer;
static size_t memory_buffer_size;

void wk_freestanding_memory(void *buffer, size_t size) {
    memory_buffer = buffer;
    memory_buffer_size = size;
}

struct wk_memory_state {
    wk_grow_policy policy;
    void *policy_context, *policy_instance;
};

wk_memory *wk_memory_new_paged(uint32_t pages, uint32_t max_pages, uint8_t page_log2, bool shared, wk_bounds_mode mode) {
    if ((page_log2 != 0 && page_log2 != 16) || shared || mode != WK_BOUNDS_EXPLICIT || !memory_buffer) return NULL;
    uint64_t limit = page_log2 == 16 ? 65536u : UINT32_MAX; /* at most 4 GiB */
    if (max_pages > limit) max_pages = (uint32_t)limit;
    uint64_t fit = (uint64_t)memory_buffer_size >> page_log2;
    if (max_pages > fit) max_pages = (uint32_t)fit; /* it grows only within the buffer */
    if (pages > max_pages) return NULL;
    wk_memory *memory = wk_freestanding_calloc(1, sizeof *memory);
    struct wk_memory_state *state = wk_freestanding_calloc(1, sizeof *state);
    if (!memory || !state) return NULL;
    memory->base = memory_buffer;
    memory->size = (uint64_t)pages << page_log2;
    memory->pages = pages;
    memory->max_pages = max_pages;
    memory->cap_pages = max_pages;
    memory->reserved = memory_buffer_size;
    memory->state = state;
    memory->page_log2 = page_log2;
    memset(memory->base, 0, (size_t)memory->size); /* the buffer may hold anything */
    memory_buffer = NULL; /* one memory per buffer */
    return memory;
}

wk_memory *wk_memory_new(uint32_t pages, uint32_t max_pages, wk_bounds_mode mode) {
    return wk_memory_new_paged(pages, max_pages, 16, false, mode);
}

wk_memory *wk_memory_new_shared(uint32_t pages, uint32_t max_pages, wk_bounds_mode mode) {
    (void)pages, (void)max_pages, (void)mode;
    return NULL; /* no threads */
}

wk_memory *wk_memory_new64(uint64_t pages, uint64_t max_pages, uint8_t page_log2, bool shared, wk_bounds_mode mode) {
    (void)pages, (void)max_pages, (void)page_log2, (void)shared, (void)mode;
    return NULL; /* not supported here */
}

void wk_memory_free(wk_memory *memory) {
    (void)memory; /* the buffer is the embedder's, the struct the arena's */
}

void wk_memory_set_cap(wk_memory *memory, uint32_t pages) {
    if (pages > memory->max_pages) pages = memory->max_pages;
    if (pages < memory->pages) pages = memory->pages;
    memory->cap_pages = pages;
}

void wk_memory_set_policy(wk_memory *memory, wk_grow_policy policy, void *context, void *instance) {
    memory->state->policy = policy;
    memory->state->policy_context = context;
    memory->state->policy_instance = instance;
}

uint32_t wk_memory_grow_at(wk_memory *memory, uint32_t delta, uint32_t function) {
    (void)function;
    uint32_t old_pages = memory->pages;
    if (delta > memory->cap_pages - old_pages) return UINT32_MAX; /* cap <= max <= the buffer */
    if (delta == 0) return old_pages;
    uint32_t new_pages = old_pages + delta;
    struct wk_memory_state *state = memory->state;
    if (state->policy && !state->policy(state->policy_context, state->policy_instance, memory, old_pages, new_pages)) {
        return UINT32_MAX;
    }
    uint64_t added = (uint64_t)delta << memory->page_log2;
    memset(memory->base + memory->size, 0, (size_t)added);
    memory->pages = new_pages;
    memory->size += added;
    return old_pages;
}

uint32_t wk_memory_grow(wk_memory *memory, uint32_t delta) {
    return wk_memory_grow_at(memory, delta, WK_HOST_SITE);
}

uint64_t wk_memory_grow64_at(wk_memory *memory, uint64_t delta, uint32_t function) {
    if (delta > UINT32_MAX) return UINT64_MAX;
    uint32_t old_pages = wk_memory_grow_at(memory, (uint32_t)delta, function);
    return old_pages == UINT32_MAX ? UINT64_MAX : old_pages;
}

bool wk_memory_read(const wk_memory *memory, uint64_t address, void *out, size_t length) {
    const uint8_t *from = wk_memory_slice(memory, address, length);
    if (!from) return false;
    memcpy(out, from, length);
    return true;
}

bool wk_memory_write(wk_memory *memory, uint64_t address, const void *data, size_t length) {
    uint8_t *to = wk_memory_slice(memory, address, length);
    if (!to) return false;
    memcpy(to, data, length);
    return true;
}

/* ---- Tables, from the arena. Generated code reaches the elements through the
 * wk_table, so a grow may move them: it takes a new array (the old one stays in the
 * arena, which gives nothing back). ---- */

wk_table *wk_table_new(uint8_t type, uint32_t size, uint32_t max, void *init) {
    if (size > max) return NULL;
    wk_table *table = wk_freestanding_calloc(1, sizeof *table);
    void **elements = wk_freestanding_calloc(size ? size : 1, sizeof(void *));
    if (!table || !elements) return NULL;
    for (uint32_t i = 0; i < size; i++) elements[i] = init;
    table->elements = elements;
    table->size = size;
    table->max = max;
    table->type = type;
    return table;
}

void wk_table_free(wk_table *table) {
    (void)table;
}

uint32_t wk_table_grow(wk_table *table, uint32_t delta, void *init) {
    uint32_t old_size = table->size;
    if (delta == 0) return old_size;
    if (delta > table->max - old_size) return UINT32_MAX;
    uint32_t new_size = old_size + delta;
    void **elements = wk_freestanding_calloc(new_size, sizeof(void *));
    if (!elements) return UINT32_MAX;
    memcpy(elements, table->elements, (size_t)old_size * sizeof(void *));
    for (uint32_t i = old_size; i < new_size; i++) elements[i] = init;
    table->elements = elements;
    table->size = new_size;
    return old_size;
}

/* ---- Traps ---- */

WK_THREAD_LOCAL char *wk_stack_limit = NULL;

/* One wk_call_protected activation. __builtin_setjmp's buffer is five words. */
typedef struct frame {
    void *jump[5];
    struct frame *previous;
    volatile int code;
    const char *volatile message;
} frame;

static frame *innermost;
static const void *trap_address;
static const wk_trap_site *trap_site;
static char host_message_copy[256];

static void stop(wk_trap_code code, const char *message) {
    (void)code, (void)message;
    __builtin_trap();
}
static void (*on_trap)(wk_trap_code, const char *) = stop;

void wk_freestanding_on_trap(void (*handler)(wk_trap_code code, const char *message)) {
    on_trap = handler ? handler : stop;
}

static __attribute__((noreturn)) void unwind(wk_trap_code code, const char *message) {
    if (code == WK_TRAP_NONE) code = WK_TRAP_UNREACHABLE; /* a trap must be one */
    if (!innermost) {
        on_trap(code, message);
        __builtin_trap(); /* the handler must not return */
    }
    innermost->code = code;
    innermost->message = message;
    __builtin_longjmp(innermost->jump, 1);
}

void wk_trap(wk_trap_code code) {
    trap_address = (const char *)__builtin_return_address(0) - 1;
    trap_site = NULL;
    unwind(code, NULL);
}

void wk_trap_at(wk_trap_code code, const wk_trap_site *site) {
    trap_address = (const char *)__builtin_return_address(0) - 1;
    trap_site = site;
    unwind(code, NULL);
}

void wk_trap_host(const char *message) {
    trap_address = NULL;
    trap_site = NULL;
    if (message) {
        wk_freestanding_snprintf(host_message_copy, sizeof host_message_copy, "%s", message);
        message = host_message_copy;
    }
    unwind(WK_TRAP_HOST, message);
}

/* Apart from the function that calls __builtin_setjmp, as its documentation asks. */
static __attribute__((noinline)) void run(void (*body)(void *), void *context) {
    body(context);
}

wk_trap_code wk_call_protected(void (*body)(void *), void *context, const char **host_message) {
    frame f;
    f.previous = innermost;
    f.code = WK_TRAP_NONE;
    f.message = NULL;
    if (__builtin_setjmp(f.jump) == 0) {
        innermost = &f;
        run(body, context);
    }
    innermost = f.previous;
    wk_trap_code code = (wk_trap_code)f.code;
    if (host_message) *host_message = code == WK_TRAP_HOST ? f.message : NULL;
    return code;
}

const void *wk_trap_address(void) {
    return trap_address;
}

const wk_trap_site *wk_last_trap_site(void) {
    return trap_site;
}

/* Every trap here passes its site: with explicit checks nothing faults. */
const wk_trap_site *wk_fault_site(const wk_function_info *functions, uint32_t count, const char *module_file,
                                  const char *const *sources, const wk_function_info *containing) {
    (void)functions, (void)count, (void)module_file, (void)sources, (void)containing;
    return NULL;
}

/* No exceptions here (emit-c --freestanding refuses modules with them). */
const wk_exception *wk_uncaught_exception(void) {
    return NULL;
}
