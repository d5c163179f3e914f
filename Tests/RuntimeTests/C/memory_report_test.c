/* Memory statistics and reports: grows from several sites (with delta 0, a policy's
 * refusal and failures past the cap and the maximum) counted exactly, then the four
 * reports written to the files named on the command line for the Swift side to read:
 *
 *     memory_report_test TEXT JSON CSV SVG [IDLE_TEXT IDLE_JSON]
 *
 * The optional pair reports on a memory that never grew and has no cap. */
#include "check.h"

#include <string.h>
#include <time.h>

#define PAGE 65536u

/* Names as a compiled module gives them; 7 has none. Function 3's name holds a quote,
 * a backslash, a control byte, XML's specials, valid UTF-8 (e with an acute accent)
 * and a byte that is not UTF-8. */
static const char *fake_function_name(uint32_t index) {
    switch (index) {
    case 3: return "func 3 (say \"hi\" \\ \x01 <&> \xc3\xa9 \xff)";
    case 12: return "func 12 (sbrk)";
    default: return NULL;
    }
}

static const wk_module fake_module = {.name = "fake", .function_name = fake_function_name};

static void pause_ms(long ms) {
    struct timespec time = {0, ms * 1000000L};
    while (nanosleep(&time, &time) != 0) {
    }
}

/* Refuses the first grow to 12 pages, and checks what it is given. */
typedef struct policy_state {
    wk_memory *memory;
    int asked, refused;
} policy_state;

static int policy_instance; /* stands for the instance */

static bool refuse_once(void *context, void *instance, const wk_memory *memory, uint32_t old_pages,
                        uint32_t new_pages) {
    policy_state *state = context;
    CHECK(instance == &policy_instance);
    CHECK(memory == state->memory);
    CHECK_EQ(memory->pages, old_pages);
    CHECK(new_pages > old_pages);
    state->asked++;
    if (new_pages == 12 && state->refused == 0) {
        state->refused++;
        return false;
    }
    return true;
}

/* Writes a report to a file; false when it cannot. */
static bool write_report(const char *path, wk_memory *memory, const wk_module *module, wk_report_format format) {
    FILE *file = fopen(path, "w");
    if (!file) return false;
    bool written = wk_memory_report(file, memory, module, format);
    return fclose(file) == 0 && written;
}

/* A report as a string (static buffer). */
static const char *report_string(wk_memory *memory, const wk_module *module, wk_report_format format) {
    static char text[65536];
    FILE *file = tmpfile();
    CHECK(file != NULL);
    CHECK(wk_memory_report(file, memory, module, format));
    rewind(file);
    size_t length = fread(text, 1, sizeof text - 1, file);
    text[length] = 0;
    fclose(file);
    return text;
}

static policy_state policy;

/* 11 memory.grow calls from four sites; 5 of them add pages. */
static wk_memory *grown_memory(void) {
    wk_memory *memory = wk_memory_new(2, 40, WK_BOUNDS_EXPLICIT);
    CHECK(memory != NULL);
    wk_memory_set_cap(memory, 20);
    CHECK_EQ(memory->cap_pages, 20);
    policy.memory = memory;
    wk_memory_set_policy(memory, refuse_once, &policy, &policy_instance);

    pause_ms(15); /* so that the sparkline starts at the initial size */
    CHECK_EQ(wk_memory_grow_at(memory, 1, 12), 2);          /* 2 -> 3 */
    CHECK_EQ(wk_memory_grow_at(memory, 0, 3), 3);           /* delta 0: no event, no policy */
    pause_ms(5);
    CHECK_EQ(wk_memory_grow_at(memory, 4, 12), 3);          /* 3 -> 7 */
    pause_ms(5);
    CHECK_EQ(wk_memory_grow(memory, 2), 7);                 /* host: 7 -> 9 */
    pause_ms(5);
    CHECK_EQ(wk_memory_grow_at(memory, 3, 7), UINT32_MAX);  /* the policy refuses 9 -> 12 */
    CHECK_EQ(wk_memory_grow_at(memory, 2, 7), 9);           /* 9 -> 11 */
    CHECK_EQ(wk_memory_grow_at(memory, 10, 3), UINT32_MAX); /* 21 > cap 20 */
    CHECK_EQ(wk_memory_grow_at(memory, 30, 12), UINT32_MAX); /* 41 > max 40 */
    CHECK_EQ(wk_memory_grow(memory, UINT32_MAX), UINT32_MAX); /* past the max too */
    pause_ms(5);
    CHECK_EQ(wk_memory_grow_at(memory, 9, 3), 11);          /* 11 -> 20, up to the cap */
    CHECK_EQ(wk_memory_grow_at(memory, 1, 12), UINT32_MAX); /* 21 > cap 20 */
    pause_ms(15); /* a steady stretch at the end */
    CHECK_EQ(memory->pages, 20);
    CHECK_EQ(policy.refused, 1);
    CHECK_EQ(policy.asked, 6); /* each grow that passed the limits and added pages */
    return memory;
}

static void check_site(const wk_grow_site *site, uint32_t function, uint64_t calls, uint64_t grows, uint64_t pages) {
    CHECK_EQ(site->function, function);
    CHECK_EQ(site->calls, calls);
    CHECK_EQ(site->grows, grows);
    CHECK_EQ(site->pages, pages);
}

static void check_event(const wk_grow_event *event, uint32_t old_pages, uint32_t new_pages, uint32_t function) {
    CHECK_EQ(event->old_pages, old_pages);
    CHECK_EQ(event->new_pages, new_pages);
    CHECK_EQ(event->function, function);
}

static void check_stats(wk_memory *memory) {
    wk_memory_stats stats;
    wk_memory_stats_get(memory, &stats);
    CHECK_EQ(stats.initial_pages, 2);
    CHECK_EQ(stats.current_pages, 20);
    CHECK_EQ(stats.peak_pages, 20);
    CHECK_EQ(stats.max_pages, 40);
    CHECK_EQ(stats.cap_pages, 20);
    CHECK_EQ(stats.grow_calls, 11);
    CHECK_EQ(stats.grows, 5);
    CHECK_EQ(stats.failures[WK_GROW_FAIL_MAXIMUM], 2);
    CHECK_EQ(stats.failures[WK_GROW_FAIL_CAP], 2);
    CHECK_EQ(stats.failures[WK_GROW_FAIL_POLICY], 1);
    CHECK_EQ(stats.failures[WK_GROW_FAIL_SYSTEM], 0);
    CHECK_EQ(stats.committed_bytes, 40 * PAGE); /* explicit checks: committed ahead, up to the reservation */
    CHECK_EQ(stats.reserved_bytes, 40 * PAGE);
    OK("stats counts");

    /* Most pages first; equal pages, more calls first; then the lower index. */
    CHECK_EQ(stats.site_count, 4);
    check_site(&stats.sites[0], 3, 3, 1, 9);
    check_site(&stats.sites[1], 12, 4, 2, 5);
    check_site(&stats.sites[2], 7, 2, 1, 2);
    check_site(&stats.sites[3], WK_HOST_SITE, 2, 1, 2);
    OK("stats sites");

    CHECK_EQ(stats.event_count, 5);
    check_event(&stats.events[0], 2, 3, 12);
    check_event(&stats.events[1], 3, 7, 12);
    check_event(&stats.events[2], 7, 9, WK_HOST_SITE);
    check_event(&stats.events[3], 9, 11, 7);
    check_event(&stats.events[4], 11, 20, 3);
    CHECK(stats.events[0].time_ns >= 15000000u);
    for (uint32_t k = 1; k < stats.event_count; k++) CHECK(stats.events[k].time_ns >= stats.events[k - 1].time_ns);
    CHECK(stats.elapsed_ns >= stats.events[4].time_ns + 15000000u);
    OK("stats events");
}

static void check_reports_in_c(wk_memory *memory) {
    /* Without a module, or one that cannot name functions: "func N". */
    static const wk_module nameless = {.name = "nameless"};
    const char *text = report_string(memory, NULL, WK_REPORT_TEXT);
    CHECK(strstr(text, "top grow sites: func 3 1 grow of 3 calls, +576.0 KiB; func 12 2 grows of 4 calls") != NULL);
    text = report_string(memory, &nameless, WK_REPORT_CSV);
    CHECK(strstr(text, ",3,\"func 3\"\n") != NULL);
    CHECK(strstr(text, ",,\"host\"\n") != NULL);
    text = report_string(memory, &fake_module, WK_REPORT_TEXT);
    CHECK(strstr(text, "func 3 (say \"hi\" \\ \\x01 <&> \xc3\xa9 \\xff) 1 grow of 3 calls") != NULL);
    OK("report names");

    /* Writing that fails is reported. */
    FILE *full = fopen("/dev/full", "w");
    if (full) {
        for (int format = WK_REPORT_TEXT; format <= WK_REPORT_SVG; format++) {
            CHECK(!wk_memory_report(full, memory, &fake_module, (wk_report_format)format));
            clearerr(full);
        }
        fclose(full);
    }
    FILE *read_only = fopen("/dev/null", "r");
    CHECK(read_only != NULL);
    CHECK(!wk_memory_report(read_only, memory, &fake_module, WK_REPORT_JSON));
    fclose(read_only);
    FILE *sink = fopen("/dev/null", "w");
    CHECK(sink != NULL);
    CHECK(wk_memory_report(sink, memory, &fake_module, WK_REPORT_SVG));
    CHECK(!wk_memory_report(sink, memory, &fake_module, (wk_report_format)9));
    CHECK(!wk_memory_report(NULL, memory, &fake_module, WK_REPORT_TEXT));
    fclose(sink);
    OK("report failures");
}

static void idle_memory(int argc, char **argv) {
    wk_memory *memory = wk_memory_new(1, UINT32_MAX, WK_BOUNDS_EXPLICIT);
    CHECK(memory != NULL);
    wk_memory_stats stats;
    wk_memory_stats_get(memory, &stats);
    CHECK_EQ(stats.grow_calls, 0);
    CHECK_EQ(stats.grows, 0);
    CHECK_EQ(stats.max_pages, 65536);
    CHECK_EQ(stats.cap_pages, 65536);
    CHECK_EQ(stats.event_count, 0);
    CHECK_EQ(stats.site_count, 0);
    const char *text = report_string(memory, &fake_module, WK_REPORT_TEXT);
    CHECK(strstr(text, "memory: 64.0 KiB initial -> 64.0 KiB peak (final 64.0 KiB, 1 page); declared max 4.0 GiB\n") != NULL);
    CHECK(strstr(text, "grows: no memory.grow in ") != NULL);
    CHECK(strstr(text, "top grow sites: none\n") != NULL);
    CHECK(strstr(text, "size \xE2\x96\x81") != NULL);
    text = report_string(memory, &fake_module, WK_REPORT_SVG);
    CHECK(strstr(text, "class=\"cap\"") == NULL);
    CHECK(strstr(text, "declared max 4.0 GiB (off the plot)") != NULL);
    if (argc >= 7) {
        CHECK(write_report(argv[5], memory, &fake_module, WK_REPORT_TEXT));
        CHECK(write_report(argv[6], memory, &fake_module, WK_REPORT_JSON));
    }
    wk_memory_free(memory);
    OK("idle memory");
}

int main(int argc, char **argv) {
    test_start();
    if (argc < 5) {
        printf("usage: %s TEXT JSON CSV SVG [IDLE_TEXT IDLE_JSON]\n", argv[0]);
        return 2;
    }
    wk_memory *memory = grown_memory();
    OK("grows");
    check_stats(memory);
    check_reports_in_c(memory);
    CHECK(write_report(argv[1], memory, &fake_module, WK_REPORT_TEXT));
    CHECK(write_report(argv[2], memory, &fake_module, WK_REPORT_JSON));
    CHECK(write_report(argv[3], memory, &fake_module, WK_REPORT_CSV));
    CHECK(write_report(argv[4], memory, &fake_module, WK_REPORT_SVG));
    /* Reporting changes nothing. */
    wk_memory_stats stats;
    wk_memory_stats_get(memory, &stats);
    CHECK_EQ(stats.grow_calls, 11);
    CHECK_EQ(stats.event_count, 5);
    OK("reports written");
    wk_memory_free(memory);
    idle_memory(argc, argv);
    return 0;
}
