/* The typed C API of generated modules: calls, traps as values, host imports that use
 * the caller's memory and raise traps, limits, instantiation errors, and two modules
 * with three instances in one program. Prints what it sees; the test compares. */
#include "calc.h"
#include "counter.h"
#include "failing.h"
#include <stdio.h>
#include <string.h>

static uint32_t host_double(void *context, calc *inst, uint32_t x) {
    (void)inst;
    ++*(int *)context;
    return 2 * x;
}

static void host_check(void *context, calc *inst, uint32_t x) {
    (void)context;
    /* The host reads the caller's memory: the byte at x, if x is inside it. */
    uint8_t byte;
    if (!wk_memory_read(calc_memory(inst), x, &byte, 1)) wk_trap_host("check: address out of bounds");
    if (byte != 0) {
        char message[64];
        snprintf(message, sizeof message, "check: byte %u is %u", x, byte);
        wk_trap_host(message);
    }
}

/* A grow policy: at most 4 pages, and only for memories of an instance. */
static bool at_most_four(void *context, void *instance, const wk_memory *memory, uint32_t old_pages, uint32_t new_pages) {
    (void)memory;
    (void)old_pages;
    ++*(int *)context;
    return instance != NULL && new_pages <= 4;
}

static void print_result(const char *what, wk_result r) {
    if (r.trap == WK_TRAP_NONE) printf("%s: ok\n", what);
    else printf("%s: trap %d \"%s\" in %s\n", what, (int)r.trap, r.message, r.function ? r.function : "?");
}

static void print_error(const char *what, const void *instance, const wk_error *error) {
    if (instance) printf("%s: created\n", what);
    else printf("%s: error %d \"%s\"\n", what, (int)error->code, error->message);
}

int main(void) {
    int host_calls = 0;
    calc_imports imports = {.context = &host_calls, .host_double = host_double, .host_check = host_check};
    wk_error error;
    calc *a = calc_new(&imports, NULL, &error);
    if (!a) return printf("calc_new: %s\n", error.message), 1;

    printf("add: %u\n", calc_add(a, 2, 3));
    uint32_t quadruple = calc_quadruple(a, 5);
    printf("quadruple: %u (host calls %d)\n", quadruple, host_calls);
    calc_results_i32_i32 halves = calc_split(a, 0x0000000700000009ull);
    printf("split: %u %u\n", halves.r0, halves.r1);
    printf("answer: %llu\n", (unsigned long long)*calc_answer(a));

    /* A trap comes back as a value; the instance stays usable and keeps its state. */
    uint32_t quotient = 99;
    print_result("divide 7/0", calc_try_divide(a, 7, 0, &quotient));
    printf("quotient after trap: %u\n", quotient);
    printf("plain divide 7/0: %u, kept trap: %s\n", calc_divide(a, 7, 0), calc_trap(a).message);
    calc_clear_trap(a);
    printf("after clear: %d\n", (int)calc_trap(a).trap);
    printf("divide 7/2: %u, calls %u\n", calc_divide(a, 7, 2), *calc_calls(a));
    uint32_t depth = 0;
    print_result("forever", calc_try_forever(a, 0, &depth));

    /* Host functions: reading the caller's memory, raising traps. */
    const uint8_t bytes[] = {1, 2, 3, 250};
    wk_memory *memory = calc_memory(a);
    printf("write: %d, out of bounds write: %d\n", wk_memory_write(memory, 100, bytes, sizeof bytes),
           wk_memory_write(memory, memory->size - 2, bytes, sizeof bytes));
    printf("sum: %u\n", calc_sum(a, 100, 4));
    print_result("verify 0", calc_try_verify(a, 0));
    print_result("verify 100", calc_try_verify(a, 100));
    print_result("verify 131072", calc_try_verify(a, 131072));
    printf("add after host traps: %u\n", calc_add(a, 40, 2));

    /* Limits: a cap of 3 pages on a memory of 2. */
    wk_options capped = {.max_memory_pages = 3};
    calc *b = calc_new(&imports, &capped, &error);
    print_error("capped", b, &error);
    int first = (int)calc_grow(b, 1), second = (int)calc_grow(b, 1);
    printf("grow: %d %d, pages %u\n", first, second, calc_memory(b)->pages);
    /* Instances are separate: b's memory and globals are its own. */
    printf("calls a=%u b=%u, sum b=%u\n", *calc_calls(a), *calc_calls(b), calc_sum(b, 100, 4));

    /* A grow policy refuses the third grow; the statistics say why and where. */
    int asked = 0;
    wk_options policy = {.grow_policy = at_most_four, .grow_policy_context = &asked};
    calc *e = calc_new(&imports, &policy, &error);
    print_error("policy", e, &error);
    int g1 = (int)calc_grow(e, 1), g2 = (int)calc_grow(e, 1), g3 = (int)calc_grow(e, 1), g4 = (int)calc_grow(e, 0);
    wk_memory_stats stats;
    wk_memory_stats_get(calc_memory(e), &stats);
    printf("policy: grow %d %d %d %d, asked %d, pages %u, calls %llu, grows %llu, refused %llu, events %u\n", g1, g2, g3, g4,
           asked, stats.current_pages, (unsigned long long)stats.grow_calls, (unsigned long long)stats.grows,
           (unsigned long long)stats.failures[WK_GROW_FAIL_POLICY], stats.event_count);
    for (uint32_t k = 0; k < stats.site_count; k++) {
        printf("site: %s calls %llu grows %llu pages %llu\n", wk_module_calc.function_name(stats.sites[k].function),
               (unsigned long long)stats.sites[k].calls, (unsigned long long)stats.sites[k].grows,
               (unsigned long long)stats.sites[k].pages);
    }
    calc_free(e);

    /* A second module in the same program. */
    counter *c = counter_new(NULL, NULL, &error);
    print_error("counter", c, &error);
    counter_add(c, 5);
    printf("counter: %u\n", counter_add(c, 6));

    /* Instantiation errors. */
    calc_imports missing = imports;
    missing.host_check = NULL;
    print_error("missing import", calc_new(&missing, NULL, &error), &error);
    wk_memory *one_page = wk_memory_new(1, 10, WK_BOUNDS_GUARD);
    wk_memory *two_pages = wk_memory_new(2, 10, WK_BOUNDS_GUARD);
    wk_global off = {.value.i32 = 0, .type = WK_I32, .is_mutable = false};
    wk_global on = {.value.i32 = 1, .type = WK_I32, .is_mutable = false};
    wk_global mutable_global = {.value.i32 = 0, .type = WK_I32, .is_mutable = true};
    failing_imports f = {.env_memory = one_page, .env_trap_in_start = &off};
    print_error("segment", failing_new(&f, NULL, &error), &error);
    f.env_memory = two_pages;
    f.env_trap_in_start = &on;
    print_error("start", failing_new(&f, NULL, &error), &error);
    f.env_trap_in_start = &mutable_global;
    print_error("mutable global", failing_new(&f, NULL, &error), &error);
    f.env_trap_in_start = &off;
    failing *ok = failing_new(&f, NULL, &error);
    print_error("fits", ok, &error);
    char text[20] = {0};
    wk_memory_read(two_pages, 70000, text, 19);
    printf("segment: %s\n", text);
    capped.max_memory_pages = 1;
    print_error("cap below initial size", calc_new(&imports, &capped, &error), &error);

    failing_free(ok);
    calc_free(a);
    calc_free(b);
    counter_free(c);
    wk_memory_free(one_page);
    wk_memory_free(two_pages);
    return 0;
}
