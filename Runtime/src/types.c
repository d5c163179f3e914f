/* Signature interning: equal signature strings get equal ids, process-wide, so that
 * call_indirect can compare one integer even across separately compiled modules. */
#include "internal.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Open addressing, linear probing; at most half full. */
typedef struct entry {
    char *signature; /* NULL: empty slot */
    uint32_t id;
} entry;

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static entry *slots;
static size_t capacity; /* a power of two, or 0 */
static uint32_t count;
/* GC's declared supertypes: supertypes[id] is the id of the function type's supertype,
 * or 0. A type's signature names its supertype, so every module declares the same one. */
static uint32_t *supertypes;
static uint32_t supertypes_capacity;

static uint64_t hash(const char *text) {
    uint64_t h = 14695981039346656037u; /* FNV-1a */
    for (; *text; text++) {
        h ^= (unsigned char)*text;
        h *= 1099511628211u;
    }
    return h;
}

/* Ids must never be wrong, so running out of memory here ends the process. */
static void out_of_memory(void) {
    fputs("wasmkiln: out of memory interning a signature\n", stderr);
    abort();
}

static entry *find_slot(entry *table, size_t size, const char *signature) {
    size_t mask = size - 1;
    for (size_t i = hash(signature) & mask;; i = (i + 1) & mask) {
        if (!table[i].signature || strcmp(table[i].signature, signature) == 0) return &table[i];
    }
}

static void grow_table(void) {
    size_t new_capacity = capacity ? capacity * 2 : 64;
    entry *table = calloc(new_capacity, sizeof *table);
    if (!table) out_of_memory();
    for (size_t i = 0; i < capacity; i++) {
        if (slots[i].signature) *find_slot(table, new_capacity, slots[i].signature) = slots[i];
    }
    free(slots);
    slots = table;
    capacity = new_capacity;
}

uint32_t wk_type_id(const char *signature) {
    if (!signature) signature = "";
    pthread_mutex_lock(&lock);
    if ((size_t)(count + 1) * 2 > capacity) grow_table();
    entry *slot = find_slot(slots, capacity, signature);
    if (!slot->signature) {
        slot->signature = strdup(signature);
        if (!slot->signature) out_of_memory();
        slot->id = ++count; /* ids start at 1 */
    }
    uint32_t id = slot->id;
    pthread_mutex_unlock(&lock);
    return id;
}

void wk_type_declare_supertype(uint32_t type_id, uint32_t supertype_id) {
    pthread_mutex_lock(&lock);
    if (type_id >= supertypes_capacity) {
        uint32_t grown_capacity = supertypes_capacity ? supertypes_capacity : 64;
        while (grown_capacity <= type_id) grown_capacity *= 2;
        uint32_t *grown = realloc(supertypes, grown_capacity * sizeof *grown);
        if (!grown) out_of_memory();
        memset(grown + supertypes_capacity, 0, (grown_capacity - supertypes_capacity) * sizeof *grown);
        supertypes = grown;
        supertypes_capacity = grown_capacity;
    }
    supertypes[type_id] = supertype_id;
    pthread_mutex_unlock(&lock);
}

bool wk_type_is_subtype(uint32_t type_id, uint32_t of) {
    pthread_mutex_lock(&lock);
    /* The spec bounds a chain of supertypes at 63; the bound also stops a cycle, which
     * signatures cannot make. */
    for (int depth = 0; depth < 64 && type_id != of && type_id < supertypes_capacity; depth++) type_id = supertypes[type_id];
    pthread_mutex_unlock(&lock);
    return type_id == of && of != 0;
}
