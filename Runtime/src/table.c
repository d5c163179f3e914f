/* Tables: a growable array of pointers. Generated code always reaches the elements
 * through the wk_table, so growing may move them. */
#include "internal.h"

#include <stdlib.h>

/* An implementation limit (as in other engines): a table.grow beyond it fails with -1
 * instead of committing gigabytes. */
#define WK_TABLE_LIMIT 10000000u

static void fill(void **elements, uint32_t from, uint32_t to, void *value) {
    for (uint32_t i = from; i < to; i++) elements[i] = value;
}

wk_table *wk_table_new(uint8_t type, uint32_t size, uint32_t max, void *init) {
    if (size > max || size > WK_TABLE_LIMIT) return NULL;
    wk_table *table = calloc(1, sizeof *table);
    if (!table) return NULL;
    if (size > 0) {
        table->elements = malloc((size_t)size * sizeof(void *));
        if (!table->elements) {
            free(table);
            return NULL;
        }
        fill(table->elements, 0, size, init);
    }
    table->size = size;
    table->max = max;
    table->type = type;
    return table;
}

void wk_table_free(wk_table *table) {
    if (!table) return;
    free(table->elements);
    free(table);
}

uint32_t wk_table_grow(wk_table *table, uint32_t delta, void *init) {
    uint32_t old_size = table->size;
    if (delta == 0) return old_size;
    if (delta > table->max - old_size || (uint64_t)old_size + delta > WK_TABLE_LIMIT) return UINT32_MAX;
    uint32_t new_size = old_size + delta;
    void **elements = realloc(table->elements, (size_t)new_size * sizeof(void *));
    if (!elements) return UINT32_MAX;
    fill(elements, old_size, new_size, init);
    table->elements = elements;
    table->size = new_size;
    return old_size;
}
