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
