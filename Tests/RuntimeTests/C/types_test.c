/* wk_type_id: stable, distinct, process-wide ids, also under concurrent interning. */
#include "check.h"

#include <pthread.h>
#include <string.h>

#define THREADS 8
#define SIGNATURES 2000

static uint32_t ids[THREADS][SIGNATURES];

static void *intern_all(void *argument) {
    int t = (int)(intptr_t)argument;
    /* Each thread walks the names in its own order, so the first sighting races. */
    for (int k = 0; k < SIGNATURES; k++) {
        int i = (k * 7 + t * 331) % SIGNATURES;
        char name[32];
        snprintf(name, sizeof name, "i%dI:f", i);
        ids[t][i] = wk_type_id(name);
    }
    return NULL;
}

int main(void) {
    test_start();
    uint32_t first = wk_type_id("ii:i");
    CHECK_EQ(first, 1);
    CHECK_EQ(wk_type_id("ii:i"), first);
    char copy[] = "ii:i"; /* equal text at another address */
    CHECK_EQ(wk_type_id(copy), first);
    uint32_t other = wk_type_id("ii:I");
    CHECK(other != first);
    uint32_t empty = wk_type_id(":");
    CHECK(empty != first && empty != other);
    CHECK_EQ(wk_type_id(":"), empty);
    CHECK(wk_type_id("") != empty);
    CHECK(wk_type_id("iIfFvre:iIfFvre") != wk_type_id("iIfFvre:iIfFv"));
    OK("equal and different");

    pthread_t threads[THREADS];
    for (int t = 0; t < THREADS; t++) CHECK(pthread_create(&threads[t], NULL, intern_all, (void *)(intptr_t)t) == 0);
    for (int t = 0; t < THREADS; t++) pthread_join(threads[t], NULL);
    uint32_t highest = 0;
    for (int i = 0; i < SIGNATURES; i++) {
        for (int t = 1; t < THREADS; t++) CHECK_EQ(ids[t][i], ids[0][i]);
        char name[32];
        snprintf(name, sizeof name, "i%dI:f", i);
        CHECK_EQ(wk_type_id(name), ids[0][i]);
        if (ids[0][i] > highest) highest = ids[0][i];
    }
    /* Dense ids: each new signature got the next one, none twice. */
    static bool seen[SIGNATURES + 16];
    for (int i = 0; i < SIGNATURES; i++) {
        CHECK(ids[0][i] > 6 && ids[0][i] < SIGNATURES + 16);
        CHECK(!seen[ids[0][i]]);
        seen[ids[0][i]] = true;
    }
    CHECK(highest <= SIGNATURES + 6);
    OK("thread-safe");
    return 0;
}
