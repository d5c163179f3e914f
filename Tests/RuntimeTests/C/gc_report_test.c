/* GC heap reports (wk_gc_report): a heap with a known history (3 collections, 12001
 * allocations, a cap), each format checked against the statistics, a heap that never
 * collected, a heap whose collections outgrew WK_GC_MAX_EVENTS, and failing writes. The
 * reports are also written to the files named on the command line, for the Swift side
 * (GCReportTests.swift) to parse:
 *
 *     gc_report_test TEXT JSON CSV SVG IDLE_TEXT IDLE_JSON IDLE_SVG */
#include "check.h"
#include "wasmkiln-gc.h"

#include <pthread.h>
#include <string.h>
#include <time.h>

/* (struct (field $next (ref null $cell)) (field i64 i64 i64 i64)): 16 + 40 bytes, so one
 * 64-byte cell each. */
typedef struct cell {
    struct cell *next;
    uint64_t values[4];
} cell;

static const uint32_t cell_refs[] = {offsetof(cell, next)};
static const wk_gc_type cell_type;
static const wk_gc_type *const cell_chain[] = {&cell_type};
static const wk_gc_type cell_type = {WK_GC_STRUCT, false, sizeof(cell), 1, cell_refs, 0, cell_chain};

static const wk_gc_type cells_type;
static const wk_gc_type *const cells_chain[] = {&cells_type};
static const wk_gc_type cells_type = {WK_GC_ARRAY, true, sizeof(void *), 0, NULL, 0, cells_chain};

#define ROUNDS 3
#define LIVE 1000
#define GARBAGE 3000
#define CAP ((uint64_t)1 << 20)

static void pause_ms(long ms) {
    struct timespec time = {0, ms * 1000000L};
    while (nanosleep(&time, &time) != 0) {
    }
}

/* A report as a NUL-terminated string; the caller frees it. */
static char *report_string(wk_report_format format) {
    FILE *file = tmpfile();
    CHECK(file != NULL);
    CHECK(wk_gc_report(file, format));
    long length = ftell(file);
    CHECK(length >= 0);
    rewind(file);
    char *text = malloc((size_t)length + 1);
    CHECK(text != NULL);
    CHECK(fread(text, 1, (size_t)length, file) == (size_t)length);
    text[length] = 0;
    fclose(file);
    return text;
}

static bool write_report(const char *path, wk_report_format format) {
    FILE *file = fopen(path, "w");
    if (!file) return false;
    bool written = wk_gc_report(file, format);
    return fclose(file) == 0 && written;
}

static size_t count(const char *text, const char *part) {
    size_t n = 0;
    for (const char *at = strstr(text, part); at; at = strstr(at + strlen(part), part)) n++;
    return n;
}

static bool starts_with(const char *text, const char *prefix) { return strncmp(text, prefix, strlen(prefix)) == 0; }

static bool ends_with(const char *text, const char *suffix) {
    size_t length = strlen(text), suffix_length = strlen(suffix);
    return length >= suffix_length && strcmp(text + length - suffix_length, suffix) == 0;
}

/* The polyline of class `name`'s x coordinates in `xs` and y coordinates in `ys` (each
 * `capacity` long at least; both NULL to count only); returns the number of points, 0 if
 * there is none. */
static size_t polyline_coordinates(const char *svg, const char *name, double *xs, double *ys, size_t capacity) {
    char start[64];
    snprintf(start, sizeof start, "<polyline class=\"%s\"", name);
    const char *at = strstr(svg, start);
    if (!at) return 0;
    at = strstr(at, "points=\"");
    CHECK(at != NULL);
    at += strlen("points=\"");
    size_t n = 0;
    while (*at != '"') {
        char *end;
        double x = strtod(at, &end);
        CHECK(end != at && *end == ',');
        double y = strtod(end + 1, &end);
        CHECK(*end == ' ' || *end == '"');
        if (xs) {
            CHECK(n < capacity);
            xs[n] = x;
            ys[n] = y;
        }
        n++;
        at = *end == ' ' ? end + 1 : end;
    }
    return n;
}

static size_t polyline_points(const char *svg, const char *name) { return polyline_coordinates(svg, name, NULL, NULL, 0); }

/* The heap's sawtooth: (0 s, 0), a start and an end point per recorded collection, then
 * now; x never decreases, and no collection makes the heap grow (y grows downwards). */
static void check_heap_polyline(const char *svg, const wk_gc_stats *stats) {
    size_t capacity = 2 + 2 * (size_t)stats->event_count;
    double *xs = malloc(capacity * sizeof *xs), *ys = malloc(capacity * sizeof *ys);
    CHECK(xs != NULL && ys != NULL);
    CHECK_EQ(polyline_coordinates(svg, "heap", xs, ys, capacity), capacity);
    CHECK(xs[0] == 72.0 && ys[0] == 296.0); /* (0 s, 0) */
    CHECK(xs[capacity - 1] == 700.0);       /* the elapsed time */
    for (size_t k = 1; k < capacity; k++) CHECK(xs[k] >= xs[k - 1]);
    for (uint32_t k = 0; k < stats->event_count; k++) CHECK(ys[1 + 2 * k] <= ys[2 + 2 * k]);
    free(xs);
    free(ys);
}

/* Roughly well formed: the declaration first, </svg> last, every text and title closed. */
static void check_svg_shape(const char *svg) {
    CHECK(starts_with(svg, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<svg "));
    CHECK(ends_with(svg, "</svg>\n"));
    CHECK_EQ(count(svg, "<svg "), 1);
    CHECK_EQ(count(svg, "<text"), count(svg, "</text>"));
    CHECK_EQ(count(svg, "<title>"), 1);
    CHECK_EQ(count(svg, "</title>"), 1);
    CHECK(strstr(svg, "viewBox=\"0 0 720 360\"") != NULL);
}

/* Lines in `text`, which must end with a newline. */
static size_t lines(const char *text) {
    CHECK(ends_with(text, "\n"));
    return count(text, "\n");
}

/* ---- A heap with a known history ---- */

/* Each round replaces the LIVE rooted cells, makes GARBAGE more and collects: under the
 * 1 MiB that would make the heap collect by itself, so exactly ROUNDS collections. */
static void build_heap(void) {
    WK_GC_FRAME(roots, 1);
    roots[0] = wk_gc_array_new(&cells_type, LIVE);
    for (int round = 0; round < ROUNDS; round++) {
        void **slots = (void **)((wk_gc_array *)roots[0])->elements; /* objects never move */
        for (int k = 0; k < LIVE; k++) slots[k] = wk_gc_struct_new(&cell_type);
        for (int k = 0; k < GARBAGE; k++) wk_gc_struct_new(&cell_type);
        /* The collections apart in time, and the first after the sparkline's first column
         * (while the run lasts less than 40 * 15 ms). */
        pause_ms(round == 0 ? 15 : 5);
        wk_gc_collect();
    }
    pause_ms(5);
    WK_GC_FRAME_END(roots);
}

static void check_stats(const wk_gc_stats *stats) {
    CHECK_EQ(stats->collections, ROUNDS);
    CHECK_EQ(stats->allocations, 1 + ROUNDS * (LIVE + GARBAGE));
    CHECK_EQ(stats->event_count, ROUNDS);
    CHECK_EQ(stats->cap_bytes, CAP);
    CHECK(stats->live_bytes >= LIVE * 64 && stats->live_bytes == stats->peak_live_bytes);
    CHECK(stats->heap_bytes > 0 && stats->heap_bytes <= stats->peak_heap_bytes);
    /* The cap is drawn only within 4 times the peak: make sure this test sees it. */
    CHECK(stats->peak_heap_bytes >= CAP / 4 && stats->peak_heap_bytes < CAP);
    for (uint32_t k = 0; k < stats->event_count; k++) {
        const wk_gc_event *event = &stats->events[k];
        CHECK(event->time_ns >= (k + 3) * 5000000ull);
        CHECK(k == 0 || event->time_ns > stats->events[k - 1].time_ns);
        CHECK_EQ(event->live_bytes, stats->live_bytes);
        CHECK(event->heap_bytes <= stats->peak_heap_bytes);
        /* A collection only frees; between collections the heap only grows. */
        CHECK(event->heap_before_bytes >= event->heap_bytes);
        CHECK(event->heap_before_bytes <= stats->peak_heap_bytes);
        CHECK(k == 0 || event->heap_before_bytes >= stats->events[k - 1].heap_bytes);
        CHECK(event->pause_ns <= stats->pause_max_ns);
        CHECK(event->pause_ns <= event->time_ns);
    }
    CHECK(stats->elapsed_ns >= stats->events[ROUNDS - 1].time_ns + 5000000u);
}

/* A sparkline's level: round(7 * value / peak). */
static int level_of(uint64_t value, uint64_t peak) {
    uint64_t level = (value * 14 + peak) / (2 * peak);
    return level > 7 ? 7 : (int)level;
}

static void check_text(const wk_gc_stats *stats) {
    char *text = report_string(WK_REPORT_TEXT);
    CHECK_EQ(lines(text), 3);
    CHECK(starts_with(text, "gc heap: peak "));
    CHECK(strstr(text, " after the last collection, peak live ") != NULL);
    CHECK(strstr(text, "; cap 1.0 MiB\ncollections: 3 (pauses ") != NULL);
    /* Pauses in milliseconds with 3 decimals, rounded to the microsecond. */
    char expected[96];
    uint64_t total_us = (stats->pause_total_ns + 500) / 1000, max_us = (stats->pause_max_ns + 500) / 1000;
    snprintf(expected, sizeof expected, "(pauses %llu.%03llu ms in all, %llu.%03llu ms at most); allocated ",
             (unsigned long long)(total_us / 1000), (unsigned long long)(total_us % 1000),
             (unsigned long long)(max_us / 1000), (unsigned long long)(max_us % 1000));
    CHECK(strstr(text, expected) != NULL);
    CHECK(strstr(text, " in 12001 objects over ") != NULL);
    /* The sparkline: 40 blocks U+2581..U+2588, each the level (0 to 7) of the heap after
     * the last collection before its column ends, from 0 to the peak. Which collection
     * that is depends on the timing: the levels must just go through 0 (no collection
     * yet), then those of the collections in order, and end at that of the heap now. */
    const char *spark = strstr(text, "\nheap ");
    CHECK(spark != NULL);
    spark += strlen("\nheap ");
    CHECK_EQ(strlen(spark), 40 * 3 + 1);
    int levels[40];
    for (int k = 0; k < 40; k++) {
        const unsigned char *block = (const unsigned char *)spark + 3 * k;
        CHECK(block[0] == 0xE2 && block[1] == 0x96 && block[2] >= 0x81 && block[2] <= 0x88);
        levels[k] = block[2] - 0x81;
    }
    int expected_levels[1 + ROUNDS] = {0};
    for (int k = 0; k < ROUNDS; k++) {
        expected_levels[1 + k] = level_of(stats->events[k].heap_bytes, stats->peak_heap_bytes);
        CHECK(expected_levels[1 + k] > 0); /* so that a collection shows apart from "none yet" */
    }
    CHECK_EQ(levels[0], 0); /* the first collection comes after 15 ms */
    int at = 0;
    for (int k = 0; k < 39; k++) {
        while (at <= ROUNDS && expected_levels[at] != levels[k]) at++;
        CHECK(at <= ROUNDS);
    }
    /* The 39th column ends after the first collection (unless the run was very slow). */
    if (stats->events[0].time_ns * 40 <= stats->elapsed_ns * 39) CHECK(levels[38] > 0);
    CHECK_EQ(levels[39], level_of(stats->heap_bytes, stats->peak_heap_bytes));
    free(text);
}

static void check_json(const wk_gc_stats *stats) {
    char *json = report_string(WK_REPORT_JSON);
    char expected[192];
    CHECK(starts_with(json, "{\n  \"heap_bytes\": "));
    CHECK(ends_with(json, "\n  ]\n}\n"));
    snprintf(expected, sizeof expected, "\n  \"heap_bytes\": %llu,\n  \"peak_heap_bytes\": %llu,\n",
             (unsigned long long)stats->heap_bytes, (unsigned long long)stats->peak_heap_bytes);
    CHECK(strstr(json, expected) != NULL);
    snprintf(expected, sizeof expected, "\n  \"live_bytes\": %llu,\n  \"peak_live_bytes\": %llu,\n",
             (unsigned long long)stats->live_bytes, (unsigned long long)stats->peak_live_bytes);
    CHECK(strstr(json, expected) != NULL);
    snprintf(expected, sizeof expected, "\n  \"allocated_bytes\": %llu,\n", (unsigned long long)stats->allocated_bytes);
    CHECK(strstr(json, expected) != NULL);
    CHECK(strstr(json, "\n  \"allocations\": 12001,\n  \"collections\": 3,\n  \"pause_total_seconds\": ") != NULL);
    CHECK(strstr(json, "\n  \"cap_bytes\": 1048576,\n  \"elapsed_seconds\": ") != NULL);
    CHECK(strstr(json, "\n  \"events\": [\n    {\"time_seconds\": ") != NULL);
    CHECK_EQ(count(json, "{\"time_seconds\": "), stats->event_count);
    CHECK_EQ(count(json, "\"pause_seconds\": "), stats->event_count);
    CHECK_EQ(count(json, "{"), 1 + stats->event_count);
    CHECK_EQ(count(json, "}"), 1 + stats->event_count);
    for (uint32_t k = 0; k < stats->event_count; k++) {
        snprintf(expected, sizeof expected,
                 ", \"heap_before_bytes\": %llu, \"heap_bytes\": %llu, \"live_bytes\": %llu, \"pause_seconds\": ",
                 (unsigned long long)stats->events[k].heap_before_bytes, (unsigned long long)stats->events[k].heap_bytes,
                 (unsigned long long)stats->events[k].live_bytes);
        CHECK(strstr(json, expected) != NULL);
    }
    free(json);
}

static void check_csv(const wk_gc_stats *stats) {
    char *csv = report_string(WK_REPORT_CSV);
    char expected[96];
    CHECK_EQ(lines(csv), 1 + stats->event_count);
    CHECK(starts_with(csv, "time_seconds,heap_before_bytes,heap_bytes,live_bytes,pause_seconds\n"));
    CHECK_EQ(count(csv, ","), 4 * (1 + stats->event_count));
    for (uint32_t k = 0; k < stats->event_count; k++) {
        snprintf(expected, sizeof expected, ",%llu,%llu,%llu,", (unsigned long long)stats->events[k].heap_before_bytes,
                 (unsigned long long)stats->events[k].heap_bytes, (unsigned long long)stats->events[k].live_bytes);
        CHECK(strstr(csv, expected) != NULL);
    }
    free(csv);
}

static void check_svg(const wk_gc_stats *stats) {
    char *svg = report_string(WK_REPORT_SVG);
    check_svg_shape(svg);
    CHECK(strstr(svg, "<polyline class=\"heap\"") != NULL);
    CHECK_EQ(polyline_points(svg, "heap"), 2 + 2 * stats->event_count);
    CHECK(strstr(svg, "points=\"72.0,296.0 ") != NULL); /* the heap starts at (0 s, 0) */
    check_heap_polyline(svg, stats);
    CHECK_EQ(polyline_points(svg, "live"), 2 * stats->event_count);
    CHECK(strstr(svg, "<line class=\"cap\"") != NULL);
    CHECK(strstr(svg, ">cap 1.0 MiB</text>") != NULL);
    CHECK(strstr(svg, "<title>WasmKiln GC heap: peak ") != NULL);
    CHECK(strstr(svg, ", 3 collections</title>") != NULL);
    CHECK(strstr(svg, ">12001 allocations, ") != NULL);
    CHECK(strstr(svg, " ms at most</text>") != NULL);
    CHECK(strstr(svg, "collections plotted") == NULL); /* all recorded */
    free(svg);
}

static void check_failures(void) {
    FILE *full = fopen("/dev/full", "w");
    if (full) {
        for (int format = WK_REPORT_TEXT; format <= WK_REPORT_SVG; format++) {
            CHECK(!wk_gc_report(full, (wk_report_format)format));
            clearerr(full);
        }
        fclose(full);
    }
    FILE *read_only = fopen("/dev/null", "r");
    CHECK(read_only != NULL);
    CHECK(!wk_gc_report(read_only, WK_REPORT_JSON));
    fclose(read_only);
    FILE *sink = fopen("/dev/null", "w");
    CHECK(sink != NULL);
    CHECK(wk_gc_report(sink, WK_REPORT_SVG));
    CHECK(!wk_gc_report(sink, (wk_report_format)9));
    CHECK(!wk_gc_report(NULL, WK_REPORT_TEXT));
    fclose(sink);
}

/* ---- Other heaps, each on its own thread (a heap per thread) ---- */

static char **arguments;

/* A heap that never collected: a fresh thread's. */
static void *idle_heap(void *unused) {
    (void)unused;
    char *text = report_string(WK_REPORT_TEXT);
    CHECK_EQ(lines(text), 3);
    CHECK(strstr(text, "gc heap: peak 0 B (final 0 B); no collection yet\n") != NULL);
    CHECK(strstr(text, "\ncollections: 0; allocated 0 B in 0 objects over ") != NULL);
    CHECK(ends_with(text, " s\nheap: no collection\n"));
    free(text);
    char *json = report_string(WK_REPORT_JSON);
    CHECK(strstr(json, "\n  \"collections\": 0,\n") != NULL);
    CHECK(strstr(json, "\n  \"cap_bytes\": null,\n") != NULL);
    CHECK(ends_with(json, "\n  \"events\": []\n}\n"));
    free(json);
    char *csv = report_string(WK_REPORT_CSV);
    CHECK(strcmp(csv, "time_seconds,heap_before_bytes,heap_bytes,live_bytes,pause_seconds\n") == 0);
    free(csv);
    char *svg = report_string(WK_REPORT_SVG);
    check_svg_shape(svg);
    CHECK_EQ(polyline_points(svg, "heap"), 2);
    CHECK_EQ(polyline_points(svg, "live"), 0);
    CHECK(strstr(svg, "class=\"cap\"") == NULL);
    CHECK(strstr(svg, ", 0 collections</title>") != NULL);
    free(svg);
    CHECK(write_report(arguments[5], WK_REPORT_TEXT));
    CHECK(write_report(arguments[6], WK_REPORT_JSON));
    CHECK(write_report(arguments[7], WK_REPORT_SVG));
    return NULL;
}

/* More collections than are recorded: the reports keep to the records, the counts stay exact. */
#define MANY (WK_GC_MAX_EVENTS + 100)
static void *busy_heap(void *unused) {
    (void)unused;
    wk_gc_set_cap((uint64_t)1 << 40); /* far above the heap: not drawn */
    for (int k = 0; k < MANY; k++) wk_gc_collect();
    wk_gc_stats stats;
    wk_gc_stats_get(&stats);
    CHECK_EQ(stats.collections, MANY);
    CHECK(stats.event_count > 0 && stats.event_count <= WK_GC_MAX_EVENTS);
    for (uint32_t k = 0; k < stats.event_count; k++) {
        CHECK(stats.events[k].heap_before_bytes >= stats.events[k].heap_bytes);
        CHECK(k == 0 || stats.events[k].time_ns >= stats.events[k - 1].time_ns);
    }
    char expected[64];
    char *text = report_string(WK_REPORT_TEXT);
    snprintf(expected, sizeof expected, "\ncollections: %d (pauses ", MANY);
    CHECK(strstr(text, expected) != NULL);
    CHECK(strstr(text, "; cap 1024.0 GiB\n") != NULL);
    free(text);
    char *csv = report_string(WK_REPORT_CSV);
    CHECK_EQ(lines(csv), 1 + stats.event_count);
    free(csv);
    char *json = report_string(WK_REPORT_JSON);
    CHECK_EQ(count(json, "{\"time_seconds\": "), stats.event_count);
    free(json);
    char *svg = report_string(WK_REPORT_SVG);
    check_svg_shape(svg);
    CHECK_EQ(polyline_points(svg, "heap"), 2 + 2 * stats.event_count);
    check_heap_polyline(svg, &stats);
    snprintf(expected, sizeof expected, "; %u of %d collections plotted</text>", (unsigned)stats.event_count, MANY);
    CHECK(strstr(svg, expected) != NULL);
    CHECK(strstr(svg, "class=\"cap\"") == NULL);
    CHECK(strstr(svg, "; cap 1024.0 GiB (off the plot)") != NULL);
    free(svg);
    return NULL;
}

static void on_thread(void *(*body)(void *)) {
    pthread_t thread;
    CHECK(pthread_create(&thread, NULL, body, NULL) == 0);
    CHECK(pthread_join(thread, NULL) == 0);
}

int main(int argc, char **argv) {
    test_start();
    if (argc < 8) {
        printf("usage: %s TEXT JSON CSV SVG IDLE_TEXT IDLE_JSON IDLE_SVG\n", argv[0]);
        return 2;
    }
    arguments = argv;
    wk_gc_set_cap(CAP);
    build_heap();
    wk_gc_stats stats;
    wk_gc_stats_get(&stats);
    check_stats(&stats);
    OK("stats");
    check_text(&stats);
    check_json(&stats);
    check_csv(&stats);
    check_svg(&stats);
    OK("reports");
    check_failures();
    OK("report failures");
    CHECK(write_report(argv[1], WK_REPORT_TEXT));
    CHECK(write_report(argv[2], WK_REPORT_JSON));
    CHECK(write_report(argv[3], WK_REPORT_CSV));
    CHECK(write_report(argv[4], WK_REPORT_SVG));
    /* Reporting changes nothing. */
    wk_gc_stats after;
    wk_gc_stats_get(&after);
    CHECK_EQ(after.collections, ROUNDS);
    CHECK_EQ(after.allocations, stats.allocations);
    CHECK_EQ(after.event_count, ROUNDS);
    OK("reports written");
    on_thread(idle_heap);
    OK("idle heap");
    on_thread(busy_heap);
    OK("many collections");
    return 0;
}
