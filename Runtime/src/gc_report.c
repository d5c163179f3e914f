/* Reports on the calling thread's GC heap (wk_gc_report): a short text for people, JSON
 * for tools, CSV with one line per recorded collection, and an SVG plot of the heap's
 * size and of the bytes found live over time. Formatted as memory_report.c does, with
 * the helpers of report_format.c (integers only: no %f, whose decimal point follows
 * the locale).
 *
 * The heap is sampled when each collection starts and when it ends (wk_gc_event):
 * between two collections it grows as objects are allocated, so its size just before a
 * collection is the top of a tooth, and a collection may shrink it by giving back empty
 * chunks. The plot draws this sawtooth; the sparkline shows the size after the last
 * collection in each column; the peak (which may be reached between samples, by an
 * allocation that traps) is written out. */
#include "report_format.h"
#include "wasmkiln-gc.h"

#include <inttypes.h>

/* ---- Formatting helpers ---- */

static double bytes_mib(uint64_t bytes) { return (double)bytes / 1048576.0; }

/* Nanoseconds as milliseconds with 3 decimals, rounded: pauses are much shorter than
 * a second. */
static const char *milliseconds(uint64_t ns, char *buffer, size_t size) {
    uint64_t us = ns / 1000 + (ns % 1000 >= 500);
    return report_decimal(us / 1000, us % 1000, 3, buffer, size);
}

/* ---- Text ---- */

/* The heap's size after the last collection before the end of each of SPARK_COLUMNS
 * equal slices of 0..elapsed (0 before the first one; the last column: its size now),
 * as one of eight blocks from 0 (lowest) to the peak (highest). */
static void put_sparkline(FILE *out, const wk_gc_stats *stats) {
    uint64_t heap = 0;
    uint32_t next = 0;
    for (uint64_t column = 1; column <= SPARK_COLUMNS; column++) {
        uint64_t end = report_spark_column_end(stats->elapsed_ns, column);
        while (next < stats->event_count && stats->events[next].time_ns <= end) {
            heap = stats->events[next++].heap_bytes;
        }
        if (column == SPARK_COLUMNS) heap = stats->heap_bytes;
        report_put_spark_block(out, heap, stats->peak_heap_bytes);
    }
}

static void report_text(FILE *out, const wk_gc_stats *stats) {
    char a[32], b[32], c[32], d[32];

    fprintf(out, "gc heap: peak %s (final %s); ", report_human_size(stats->peak_heap_bytes, a, sizeof a),
            report_human_size(stats->heap_bytes, b, sizeof b));
    if (stats->collections == 0) {
        fputs("no collection yet", out); /* live_bytes would read 0 */
    } else {
        fprintf(out, "live %s after the last collection, peak live %s",
                report_human_size(stats->live_bytes, a, sizeof a),
                report_human_size(stats->peak_live_bytes, b, sizeof b));
    }
    if (stats->cap_bytes) fprintf(out, "; cap %s", report_human_size(stats->cap_bytes, a, sizeof a));
    fputs("\n", out);

    fprintf(out, "collections: %" PRIu64, stats->collections);
    if (stats->collections) {
        fprintf(out, " (pauses %s ms in all, %s ms at most)", milliseconds(stats->pause_total_ns, a, sizeof a),
                milliseconds(stats->pause_max_ns, b, sizeof b));
    }
    fprintf(out, "; allocated %s in %" PRIu64 " %s over %s s\n", report_human_size(stats->allocated_bytes, c, sizeof c),
            stats->allocations, report_plural(stats->allocations, "object", "objects"),
            report_seconds(stats->elapsed_ns, 3, d, sizeof d));

    if (stats->event_count == 0) {
        /* Collections without records: the list could not be allocated. */
        fputs(stats->collections ? "heap: no collection recorded\n" : "heap: no collection\n", out);
    } else {
        fputs("heap ", out);
        put_sparkline(out, stats);
        fputs("\n", out);
    }
}

/* ---- JSON ---- */

static void report_json(FILE *out, const wk_gc_stats *stats) {
    char a[32], b[32];
    fputs("{\n", out);
    fprintf(out, "  \"heap_bytes\": %" PRIu64 ",\n", stats->heap_bytes);
    fprintf(out, "  \"peak_heap_bytes\": %" PRIu64 ",\n", stats->peak_heap_bytes);
    fprintf(out, "  \"live_bytes\": %" PRIu64 ",\n", stats->live_bytes);
    fprintf(out, "  \"peak_live_bytes\": %" PRIu64 ",\n", stats->peak_live_bytes);
    fprintf(out, "  \"allocated_bytes\": %" PRIu64 ",\n", stats->allocated_bytes);
    fprintf(out, "  \"allocations\": %" PRIu64 ",\n", stats->allocations);
    fprintf(out, "  \"collections\": %" PRIu64 ",\n", stats->collections);
    fprintf(out, "  \"pause_total_seconds\": %s,\n", report_seconds(stats->pause_total_ns, 6, a, sizeof a));
    fprintf(out, "  \"pause_max_seconds\": %s,\n", report_seconds(stats->pause_max_ns, 6, a, sizeof a));
    if (stats->cap_bytes == 0) fputs("  \"cap_bytes\": null,\n", out);
    else fprintf(out, "  \"cap_bytes\": %" PRIu64 ",\n", stats->cap_bytes);
    fprintf(out, "  \"elapsed_seconds\": %s,\n", report_seconds(stats->elapsed_ns, 6, a, sizeof a));
    fputs("  \"events\": [", out);
    for (uint32_t k = 0; k < stats->event_count; k++) {
        const wk_gc_event *event = &stats->events[k];
        fprintf(out,
                "%s{\"time_seconds\": %s, \"heap_before_bytes\": %" PRIu64 ", \"heap_bytes\": %" PRIu64
                ", \"live_bytes\": %" PRIu64 ", \"pause_seconds\": %s}",
                k ? ",\n    " : "\n    ", report_seconds(event->time_ns, 6, a, sizeof a), event->heap_before_bytes,
                event->heap_bytes, event->live_bytes, report_seconds(event->pause_ns, 6, b, sizeof b));
    }
    fputs(stats->event_count ? "\n  ]\n" : "]\n", out);
    fputs("}\n", out);
}

/* ---- CSV ---- */

static void report_csv(FILE *out, const wk_gc_stats *stats) {
    char a[32], b[32];
    fputs("time_seconds,heap_before_bytes,heap_bytes,live_bytes,pause_seconds\n", out);
    for (uint32_t k = 0; k < stats->event_count; k++) {
        const wk_gc_event *event = &stats->events[k];
        fprintf(out, "%s,%" PRIu64 ",%" PRIu64 ",%" PRIu64 ",%s\n", report_seconds(event->time_ns, 6, a, sizeof a),
                event->heap_before_bytes, event->heap_bytes, event->live_bytes,
                report_seconds(event->pause_ns, 6, b, sizeof b));
    }
}

/* ---- SVG ---- */

#define HEAP_COLOR "#1565c0"
#define LIVE_COLOR "#2e7d32"

static void report_svg(FILE *out, const wk_gc_stats *stats) {
    char a[32], b[32];
    uint64_t top_bytes = stats->peak_heap_bytes; /* live bytes never exceed the heap */
    /* The cap only when it would not squash the plot (as memory_report.c's declared max). */
    bool show_cap = stats->cap_bytes && stats->cap_bytes / 4 <= top_bytes;
    if (show_cap && stats->cap_bytes > top_bytes) top_bytes = stats->cap_bytes;
    report_plot p = report_plot_make(stats->elapsed_ns, bytes_mib(top_bytes));

    report_svg_start(out);
    fputs("<!-- WasmKiln GC heap report. The polyline of class \"heap\" is the heap's size, sampled when each\n"
          "     recorded collection started and ended and joined by straight lines, a sawtooth: its points\n"
          "     are (0 s, 0), then for each collection (its start: its time less its pause, heap size\n"
          "     then) and (its time, heap size after it), then (elapsed time, heap size now): 2 + 2 * event\n"
          "     count points. The polyline of class \"live\" is the bytes found live, as steps: for each collection\n"
          "     (its time, live bytes) and (the next one's time, or the elapsed time, live bytes): 2 * event\n"
          "     count points, and no polyline when no collection was recorded. -->\n",
          out);

    char title[160];
    snprintf(title, sizeof title, "WasmKiln GC heap: peak %s, %" PRIu64 " %s",
             report_human_size(stats->peak_heap_bytes, a, sizeof a), stats->collections,
             report_plural(stats->collections, "collection", "collections"));
    report_svg_frame(out, &p, title, "size (MiB)");

    /* Which line is which, in their colors, inside the plot's top left corner. */
    report_fixed(PLOT_LEFT + 8, 1, a, sizeof a);
    fprintf(out, "<text class=\"key\" x=\"%s\" y=\"%s\" fill=\"%s\">heap size</text>\n", a,
            report_fixed(PLOT_TOP + 12, 1, b, sizeof b), HEAP_COLOR);
    fprintf(out, "<text class=\"key\" x=\"%s\" y=\"%s\" fill=\"%s\">live after each collection</text>\n", a,
            report_fixed(PLOT_TOP + 26, 1, b, sizeof b), LIVE_COLOR);

    if (show_cap) {
        report_put_limit_line(out, &p, bytes_mib(stats->cap_bytes), "cap", "cap",
                              report_human_size(stats->cap_bytes, a, sizeof a), "#c62828");
    }

    /* The heap, a sawtooth: exactly 2 + 2 * event_count points (see the comment written
     * above). A collection's start is its end less its pause (0 should the clock disagree),
     * and never before the previous point, so x never decreases. */
    fputs("<polyline class=\"heap\" fill=\"none\" stroke=\"" HEAP_COLOR "\" stroke-width=\"1.5\" "
          "stroke-linejoin=\"round\" points=\"",
          out);
    report_put_point(out, &p, 0, 0, true);
    uint64_t previous_ns = 0;
    for (uint32_t k = 0; k < stats->event_count; k++) {
        const wk_gc_event *event = &stats->events[k];
        uint64_t start_ns = event->time_ns >= event->pause_ns ? event->time_ns - event->pause_ns : 0;
        if (start_ns < previous_ns) start_ns = previous_ns;
        report_put_point(out, &p, start_ns, bytes_mib(event->heap_before_bytes), false);
        report_put_point(out, &p, event->time_ns, bytes_mib(event->heap_bytes), false);
        previous_ns = event->time_ns;
    }
    report_put_point(out, &p, stats->elapsed_ns, bytes_mib(stats->heap_bytes), false);
    fputs("\"/>\n", out);

    /* Live bytes: exactly 2 * event_count points; a polyline needs some. */
    if (stats->event_count) {
        fputs("<polyline class=\"live\" fill=\"none\" stroke=\"" LIVE_COLOR "\" stroke-width=\"1.5\" "
              "stroke-linejoin=\"round\" points=\"",
              out);
        for (uint32_t k = 0; k < stats->event_count; k++) {
            const wk_gc_event *event = &stats->events[k];
            uint64_t until = k + 1 < stats->event_count ? stats->events[k + 1].time_ns : stats->elapsed_ns;
            report_put_point(out, &p, event->time_ns, bytes_mib(event->live_bytes), k == 0);
            report_put_point(out, &p, until, bytes_mib(event->live_bytes), false);
        }
        fputs("\"/>\n", out);
    }

    /* The legend: what the plot leaves out. */
    fprintf(out, "<text class=\"legend\" x=\"%s\" y=\"342\">", report_fixed(PLOT_LEFT, 1, a, sizeof a));
    fprintf(out, "%" PRIu64 " %s, %s allocated", stats->allocations,
            report_plural(stats->allocations, "allocation", "allocations"),
            report_human_size(stats->allocated_bytes, a, sizeof a));
    if (stats->collections) {
        fprintf(out, "; pauses %s ms in all, %s ms at most", milliseconds(stats->pause_total_ns, a, sizeof a),
                milliseconds(stats->pause_max_ns, b, sizeof b));
    }
    if (stats->cap_bytes && !show_cap) {
        fprintf(out, "; cap %s (off the plot)", report_human_size(stats->cap_bytes, a, sizeof a));
    }
    fputs("</text>\n", out);
    if (stats->collections) {
        fprintf(out, "<text class=\"legend\" x=\"%s\" y=\"356\">", report_fixed(PLOT_LEFT, 1, a, sizeof a));
        fprintf(out, "live %s after the last collection, peak live %s",
                report_human_size(stats->live_bytes, a, sizeof a),
                report_human_size(stats->peak_live_bytes, b, sizeof b));
        /* Past WK_GC_MAX_EVENTS collections, only some are recorded (and plotted). */
        if (stats->event_count != stats->collections) {
            fprintf(out, "; %" PRIu32 " of %" PRIu64 " collections plotted", stats->event_count, stats->collections);
        }
        fputs("</text>\n", out);
    }
    fputs("</svg>\n", out);
}

/* ---- The entry point ---- */

bool wk_gc_report(FILE *out, wk_report_format format) {
    if (!out) return false;
    wk_gc_stats stats;
    wk_gc_stats_get(&stats);
    switch (format) {
    case WK_REPORT_TEXT:
        report_text(out, &stats);
        break;
    case WK_REPORT_JSON:
        report_json(out, &stats);
        break;
    case WK_REPORT_CSV:
        report_csv(out, &stats);
        break;
    case WK_REPORT_SVG:
        report_svg(out, &stats);
        break;
    default:
        return false;
    }
    /* Flush, so that a write that fails only when the buffer goes out counts too. */
    if (fflush(out) != 0) return false;
    return !ferror(out);
}
