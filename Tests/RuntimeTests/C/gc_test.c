/* The GC heap: allocation, precise roots (shadow stack, root sources, handles),
 * reclaiming cycles with the live set bounded, the cap, subtype checks, threads. */
#include "check.h"
#include "wasmkiln-gc.h"

#include <pthread.h>
#include <string.h>

/* (struct (field $next (ref null $node)) (field $link (ref null $node)) (field $value i64)
 *         (field $payload (ref null $bytes))) */
typedef struct node {
    struct node *next, *link;
    uint64_t value;
    wk_gc_array *payload;
} node;

static const uint32_t node_refs[] = {offsetof(node, next), offsetof(node, link), offsetof(node, payload)};
static const wk_gc_type node_type;
static const wk_gc_type *const node_chain[] = {&node_type};
static const wk_gc_type node_type = {WK_GC_STRUCT, false, sizeof(node), 3, node_refs, 0, node_chain};

static const wk_gc_type bytes_type;
static const wk_gc_type *const bytes_chain[] = {&bytes_type};
static const wk_gc_type bytes_type = {WK_GC_ARRAY, false, 1, 0, NULL, 0, bytes_chain};

static const wk_gc_type nodes_type;
static const wk_gc_type *const nodes_chain[] = {&nodes_type};
static const wk_gc_type nodes_type = {WK_GC_ARRAY, true, sizeof(void *), 0, NULL, 0, nodes_chain};

static uint64_t seed = 0x2545F4914F6CDD1Dull;
static uint64_t random64(void) {
    seed ^= seed << 13;
    seed ^= seed >> 7;
    seed ^= seed << 17;
    return seed;
}

static node *fields(void *object) { return wk_gc_fields(object); }

/* A ring of `size` nodes, cross-linked, each with a payload; every node's value is the
 * ring's size. Allocates 2 * size + 1 objects. */
static void *ring(uint32_t size) {
    WK_GC_FRAME(roots, 3); /* roots[0]: the nodes; roots[1]: the node being made; roots[2]: its payload */
    wk_gc_array *all = wk_gc_array_new(&nodes_type, size);
    roots[0] = all;
    void **nodes = (void **)all->elements;
    for (uint32_t i = 0; i < size; i++) {
        roots[1] = wk_gc_struct_new(&node_type);
        roots[2] = wk_gc_array_new(&bytes_type, 1 + (uint32_t)(random64() % 24));
        fields(roots[1])->payload = roots[2];
        fields(roots[1])->value = size;
        nodes[i] = roots[1];
        if (i > 0) fields(nodes[i - 1])->next = nodes[i];
    }
    fields(nodes[size - 1])->next = nodes[0];
    for (uint32_t i = 0; i < size; i++) fields(nodes[i])->link = nodes[random64() % size];
    void *first = nodes[0];
    WK_GC_FRAME_END(roots);
    return first;
}

/* Whether `first` is still a whole ring of the size its values say. */
static bool intact(void *first) {
    uint64_t size = fields(first)->value, count = 0;
    void *at = first;
    do {
        if (fields(at)->value != size || !fields(at)->payload || !fields(at)->link) return false;
        at = fields(at)->next;
        count++;
    } while (at != first && count <= size);
    return count == size;
}

static void cycles(void) {
    WK_GC_FRAME(roots, 1);
    roots[0] = wk_gc_array_new(&nodes_type, 64);
    uint64_t made = 0;
    while (made < 10000000) {
        uint32_t size = 2 + (uint32_t)(random64() % 200);
        void *first = ring(size);
        ((void **)((wk_gc_array *)roots[0])->elements)[random64() % 64] = first;
        made += 2 * (uint64_t)size + 1;
    }
    wk_gc_collect();
    wk_gc_stats stats;
    wk_gc_stats_get(&stats);
    void **survivors = (void **)((wk_gc_array *)roots[0])->elements;
    for (int i = 0; i < 64; i++) CHECK(survivors[i] == NULL || intact(survivors[i]));
    printf("cycles: %llu allocations, %llu collections, peak heap %llu KiB, live %llu KiB, max pause %llu us\n",
           (unsigned long long)stats.allocations, (unsigned long long)stats.collections,
           (unsigned long long)stats.peak_heap_bytes >> 10, (unsigned long long)stats.live_bytes >> 10,
           (unsigned long long)stats.pause_max_ns / 1000);
    CHECK(stats.allocations >= 10000000);
    CHECK(stats.collections >= 10);
    /* 64 rings of at most 201 nodes live, plus a megabyte or two of garbage between collections. */
    CHECK(stats.peak_heap_bytes < ((uint64_t)16 << 20));
    CHECK(stats.live_bytes < ((uint64_t)4 << 20));
    WK_GC_FRAME_END(roots);
    CHECK(wk_gc_frames == NULL);
}

static void *held_by_source;
static void scan_source(void *context) { wk_gc_mark(*(void **)context); }

static void roots_and_handles(void) {
    wk_gc_collect();
    wk_gc_stats before, after;
    wk_gc_stats_get(&before);

    wk_gc_handle *handle = wk_gc_handle_new(ring(50));
    held_by_source = ring(40);
    wk_gc_add_roots(scan_source, &held_by_source);
    (void)ring(30); /* garbage at once */
    wk_gc_collect();
    CHECK(intact(wk_gc_handle_get(handle)) && intact(held_by_source));
    wk_gc_stats_get(&after);
    CHECK(after.live_bytes > before.live_bytes);
    uint64_t held = after.live_bytes;

    wk_gc_handle_release(handle);
    wk_gc_remove_roots(scan_source, &held_by_source);
    wk_gc_collect();
    wk_gc_stats_get(&after);
    CHECK(after.live_bytes < held);
    CHECK_EQ(after.live_bytes, before.live_bytes);

    /* i31 references and NULL are not objects. */
    WK_GC_FRAME(slots, 2);
    slots[0] = (void *)(uintptr_t)((42u << 1) | 1);
    slots[1] = NULL;
    wk_gc_collect();
    WK_GC_FRAME_END(slots);
}

static void large_objects(void) {
    wk_gc_collect();
    wk_gc_stats before, during, after;
    wk_gc_stats_get(&before);
    WK_GC_FRAME(slots, 1);
    slots[0] = wk_gc_array_new(&bytes_type, 3 << 20);
    wk_gc_array *big = slots[0];
    CHECK_EQ(big->length, 3u << 20);
    CHECK(big->elements[0] == 0 && big->elements[(3 << 20) - 1] == 0);
    memset(big->elements, 7, 3 << 20);
    wk_gc_collect();
    wk_gc_stats_get(&during);
    CHECK(during.heap_bytes >= before.heap_bytes + (3 << 20));
    CHECK(((wk_gc_array *)slots[0])->elements[12345] == 7);
    WK_GC_FRAME_END(slots);
    wk_gc_collect();
    wk_gc_stats_get(&after);
    CHECK(after.heap_bytes < during.heap_bytes - (3 << 20) + 4096);
}

static void fill_past_cap(void *context) {
    (void)context;
    WK_GC_FRAME(roots, 1);
    for (;;) {
        void *head = wk_gc_struct_new(&node_type);
        fields(head)->next = roots[0];
        roots[0] = head;
    }
}

static void cap(void) {
    wk_gc_collect();
    wk_gc_set_cap(2 << 20);
    CHECK_EQ(wk_call_protected(fill_past_cap, NULL, NULL), WK_TRAP_GC_HEAP_EXHAUSTED);
    CHECK(wk_gc_frames == NULL); /* the trap dropped the frame the body made */
    wk_gc_stats stats;
    wk_gc_stats_get(&stats);
    CHECK(stats.heap_bytes <= (2 << 20));
    CHECK(strcmp(wk_trap_text(WK_TRAP_GC_HEAP_EXHAUSTED), "GC heap exhausted") == 0);
    /* The list is garbage now: the heap serves again. */
    wk_gc_collect();
    CHECK(intact(ring(100)));
    wk_gc_set_cap(0);
}

/* (type $a (sub (struct))) (type $b (sub $a (struct))) (type $c (sub $b (struct))) (type $d (sub $a (struct))) */
static const wk_gc_type type_a, type_b, type_c, type_d;
static const wk_gc_type *const chain_a[] = {&type_a};
static const wk_gc_type *const chain_b[] = {&type_a, &type_b};
static const wk_gc_type *const chain_c[] = {&type_a, &type_b, &type_c};
static const wk_gc_type *const chain_d[] = {&type_a, &type_d};
static const wk_gc_type type_a = {WK_GC_STRUCT, false, 8, 0, NULL, 0, chain_a};
static const wk_gc_type type_b = {WK_GC_STRUCT, false, 8, 0, NULL, 1, chain_b};
static const wk_gc_type type_c = {WK_GC_STRUCT, false, 8, 0, NULL, 2, chain_c};
static const wk_gc_type type_d = {WK_GC_STRUCT, false, 8, 0, NULL, 1, chain_d};

static void subtypes(void) {
    void *c = wk_gc_struct_new(&type_c), *d = wk_gc_struct_new(&type_d);
    CHECK(wk_gc_is_subtype(c, &type_a) && wk_gc_is_subtype(c, &type_b) && wk_gc_is_subtype(c, &type_c));
    CHECK(!wk_gc_is_subtype(c, &type_d));
    CHECK(wk_gc_is_subtype(d, &type_a) && !wk_gc_is_subtype(d, &type_b) && !wk_gc_is_subtype(d, &type_c));
    CHECK(wk_gc_is_i31((void *)(uintptr_t)3) && !wk_gc_is_i31(c));
}

static void *other_thread(void *result) {
    wk_gc_stats stats;
    wk_gc_stats_get(&stats);
    ((uint64_t *)result)[0] = stats.allocations;
    (void)ring(1000);
    wk_gc_stats_get(&stats);
    ((uint64_t *)result)[1] = stats.allocations;
    return NULL;
}

static void threads(void) {
    wk_gc_stats mine;
    wk_gc_stats_get(&mine);
    uint64_t counts[2];
    pthread_t thread;
    CHECK(pthread_create(&thread, NULL, other_thread, counts) == 0);
    CHECK(pthread_join(thread, NULL) == 0);
    CHECK_EQ(counts[0], 0);    /* a heap of its own */
    CHECK_EQ(counts[1], 2001); /* freed when the thread ended */
    wk_gc_stats after;
    wk_gc_stats_get(&after);
    CHECK_EQ(after.allocations, mine.allocations);
}

int main(void) {
    test_start();
    cycles();
    OK("cycles reclaimed");
    roots_and_handles();
    OK("roots and handles");
    large_objects();
    OK("large objects");
    cap();
    OK("cap");
    subtypes();
    OK("subtypes");
    threads();
    OK("threads");
    return 0;
}
