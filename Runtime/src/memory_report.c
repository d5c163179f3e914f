/* Reports on a memory's statistics (wk_memory_report): a short text for people, JSON
 * for tools, CSV with one line per grow event, and an SVG plot of the size over time.
 *
 * Numbers are formatted with integer arithmetic (or, for SVG coordinates, rounded to
 * fixed point by hand), never with printf's %f: the C locale's decimal point could be a
 * comma, which would break JSON, CSV and SVG, and this way the runtime needs no libm.
 *
 * Site names come from the module (`function_name`) and may hold any bytes. How each
 * format writes them:
 *   JSON: valid UTF-8 passes through; '"' and '\' are escaped; control bytes (below
 *         0x20, and 0x7F) and every byte that is not part of a valid UTF-8 sequence
 *         (stray continuation bytes, overlong forms, surrogates, past U+10FFFF) become
 *         \u00XX. Such a stray byte thus reads back as U+00XX (its Latin-1 meaning).
 *   text, CSV and SVG: valid UTF-8 passes through; control bytes and invalid bytes
 *         become the four characters \xNN, so every output is valid UTF-8, a CSV record
 *         stays on one line and XML never sees a character it forbids. CSV doubles '"'
 *         inside its quoted field; SVG escapes & < > " ' as entities. */
#include "report_format.h"

#include <inttypes.h>
#include <string.h>

/* The page size of the memory being reported (custom page sizes: 1 byte), and its most
 * pages: set by wk_memory_report for the report it writes. */
static _Thread_local uint32_t report_page_size = 65536;
#define REPORT_PAGE_SIZE report_page_size
#define REPORT_MAX_PAGES (report_page_size == 65536 ? 65536u : UINT32_MAX)
#define TOP_SITES 3

/* ---- Formatting helpers (the generic ones are in report_format.c) ---- */

/* A site's name: the module's "func 12 (name)", else "func 12", or "host". */
static const char *site_name(const wk_module *module, uint32_t function, char *buffer, size_t size) {
    if (function == WK_HOST_SITE) return "host";
    const char *name = module && module->function_name ? module->function_name(function) : NULL;
    if (name) return name;
    snprintf(buffer, size, "func %" PRIu32, function);
    return buffer;
}

static const char *pages_size(uint32_t pages, char *buffer, size_t size) {
    return report_human_size((uint64_t)pages * REPORT_PAGE_SIZE, buffer, size);
}

static uint64_t total_failures(const wk_memory_stats *stats) {
    uint64_t total = 0;
    for (int k = 0; k < WK_GROW_FAIL_KINDS; k++) total += stats->failures[k];
    return total;
}

static const char *const failure_names[WK_GROW_FAIL_KINDS] = {"maximum", "cap", "policy", "system"};

/* "maximum 2, cap 1": the causes that occurred. */
static void put_failure_causes(FILE *out, const wk_memory_stats *stats) {
    const char *separator = "";
    for (int k = 0; k < WK_GROW_FAIL_KINDS; k++) {
        if (!stats->failures[k]) continue;
        fprintf(out, "%s%s %" PRIu64, separator, failure_names[k], stats->failures[k]);
        separator = ", ";
    }
}

/* ---- Text ---- */

/* The size at the end of each of SPARK_COLUMNS equal slices of 0..elapsed, as one of the
 * eight blocks U+2581..U+2588 between the initial size (lowest) and the peak (highest). */
static void put_sparkline(FILE *out, const wk_memory_stats *stats) {
    uint32_t range = stats->peak_pages > stats->initial_pages ? stats->peak_pages - stats->initial_pages : 0;
    uint32_t pages = stats->initial_pages, next = 0;
    for (uint64_t column = 1; column <= SPARK_COLUMNS; column++) {
        uint64_t end = report_spark_column_end(stats->elapsed_ns, column);
        while (next < stats->event_count && stats->events[next].time_ns <= end) {
            pages = stats->events[next++].new_pages;
        }
        if (column == SPARK_COLUMNS) pages = stats->current_pages;
        report_put_spark_block(out, pages > stats->initial_pages ? pages - stats->initial_pages : 0, range);
    }
}

static void report_text(FILE *out, const wk_memory_stats *stats, const wk_module *module) {
    char a[32], b[32], c[32], d[32], name_buffer[32];

    fprintf(out, "memory: %s initial -> %s peak (final %s, %" PRIu32 " %s); declared max %s",
            pages_size(stats->initial_pages, a, sizeof a), pages_size(stats->peak_pages, b, sizeof b),
            pages_size(stats->current_pages, c, sizeof c), stats->current_pages,
            report_plural(stats->current_pages, "page", "pages"), pages_size(stats->max_pages, d, sizeof d));
    if (stats->cap_pages != stats->max_pages) fprintf(out, ", cap %s", pages_size(stats->cap_pages, a, sizeof a));
    fputs("\n", out);

    if (stats->grow_calls == 0) {
        fprintf(out, "grows: no memory.grow in %s s", report_seconds(stats->elapsed_ns, 3, a, sizeof a));
    } else {
        fprintf(out, "grows: %" PRIu64 " of %" PRIu64 " %s over %s s", stats->grows, stats->grow_calls,
                report_plural(stats->grow_calls, "call", "calls"), report_seconds(stats->elapsed_ns, 3, a, sizeof a));
        if (stats->elapsed_ns > 0) {
            /* grows per second in tenths, rounded; grows < 2^17 (each adds a page) */
            uint64_t tenths = (stats->grows * 10000000000u + stats->elapsed_ns / 2) / stats->elapsed_ns;
            fprintf(out, " (%" PRIu64 ".%" PRIu64 " per s)", tenths / 10, tenths % 10);
        }
        uint64_t failed = total_failures(stats);
        if (failed) {
            fprintf(out, "; failed: %" PRIu64 " (", failed);
            put_failure_causes(out, stats);
            fputs(")", out);
        }
    }
    fputs("\n", out);

    if (stats->grows == 0) {
        fprintf(out, "steady: never grew; stable for the whole run (%s s)\n",
                report_seconds(stats->elapsed_ns, 3, a, sizeof a));
    } else if (stats->event_count == 0) {
        fputs("steady: grow times were not recorded\n", out);
    } else {
        uint64_t last = stats->events[stats->event_count - 1].time_ns;
        uint64_t stable = stats->elapsed_ns > last ? stats->elapsed_ns - last : 0;
        unsigned percent = stats->elapsed_ns ? (unsigned)((double)stable * 100.0 / (double)stats->elapsed_ns + 0.5) : 0;
        fprintf(out, "steady: last grow at %s s; stable for %s s since (%u%% of the run)\n",
                report_seconds(last, 3, a, sizeof a), report_seconds(stable, 3, b, sizeof b), percent);
    }

    fprintf(out, "reserved %s of address space, %s committed\n", report_human_size(stats->reserved_bytes, a, sizeof a),
            report_human_size(stats->committed_bytes, b, sizeof b));

    fputs("top grow sites: ", out);
    if (stats->site_count == 0) fputs("none", out);
    for (uint32_t k = 0; k < stats->site_count && k < TOP_SITES; k++) {
        const wk_grow_site *site = &stats->sites[k];
        if (k) fputs("; ", out);
        report_put_escaped(out, site_name(module, site->function, name_buffer, sizeof name_buffer), ESCAPE_TEXT);
        fprintf(out, " %" PRIu64 " %s", site->grows, report_plural(site->grows, "grow", "grows"));
        if (site->calls != site->grows) {
            fprintf(out, " of %" PRIu64 " %s", site->calls, report_plural(site->calls, "call", "calls"));
        }
        fprintf(out, ", +%s", report_human_size(site->pages * REPORT_PAGE_SIZE, a, sizeof a));
    }
    if (stats->site_count > TOP_SITES) {
        uint32_t more = stats->site_count - TOP_SITES;
        fprintf(out, "; %" PRIu32 " more %s", more, report_plural(more, "site", "sites"));
    }
    fputs("\n", out);

    if (stats->grows && stats->event_count == 0) {
        fputs("size unknown over time (grow times were not recorded)\n", out);
    } else {
        fputs("size ", out);
        put_sparkline(out, stats);
        fputs("\n", out);
    }
}

/* ---- JSON ---- */

static void put_json_name(FILE *out, const wk_module *module, uint32_t function) {
    char buffer[32];
    if (function == WK_HOST_SITE) fputs("\"function\": null, \"name\": \"", out);
    else fprintf(out, "\"function\": %" PRIu32 ", \"name\": \"", function);
    report_put_escaped(out, site_name(module, function, buffer, sizeof buffer), ESCAPE_JSON);
    fputs("\"", out);
}

static void report_json(FILE *out, const wk_memory_stats *stats, const wk_module *module) {
    char a[32];
    fputs("{\n", out);
    fprintf(out, "  \"initial_pages\": %" PRIu32 ",\n", stats->initial_pages);
    fprintf(out, "  \"current_pages\": %" PRIu32 ",\n", stats->current_pages);
    fprintf(out, "  \"peak_pages\": %" PRIu32 ",\n", stats->peak_pages);
    fprintf(out, "  \"max_pages\": %" PRIu32 ",\n", stats->max_pages);
    if (stats->cap_pages == stats->max_pages) fputs("  \"cap_pages\": null,\n", out);
    else fprintf(out, "  \"cap_pages\": %" PRIu32 ",\n", stats->cap_pages);
    fprintf(out, "  \"page_size\": %u,\n", REPORT_PAGE_SIZE);
    fprintf(out, "  \"grow_calls\": %" PRIu64 ",\n", stats->grow_calls);
    fprintf(out, "  \"grows\": %" PRIu64 ",\n", stats->grows);
    fputs("  \"failures\": {", out);
    for (int k = 0; k < WK_GROW_FAIL_KINDS; k++) {
        fprintf(out, "%s\"%s\": %" PRIu64, k ? ", " : "", failure_names[k], stats->failures[k]);
    }
    fputs("},\n", out);
    fprintf(out, "  \"committed_bytes\": %" PRIu64 ",\n", stats->committed_bytes);
    fprintf(out, "  \"reserved_bytes\": %" PRIu64 ",\n", stats->reserved_bytes);
    fprintf(out, "  \"elapsed_seconds\": %s,\n", report_seconds(stats->elapsed_ns, 6, a, sizeof a));
    /* Both null when the memory grew but its events were not recorded. */
    if (stats->grows == 0) {
        fputs("  \"last_grow_seconds\": null,\n", out);
        fprintf(out, "  \"stable_seconds\": %s,\n", report_seconds(stats->elapsed_ns, 6, a, sizeof a));
    } else if (stats->event_count == 0) {
        fputs("  \"last_grow_seconds\": null,\n  \"stable_seconds\": null,\n", out);
    } else {
        uint64_t last = stats->events[stats->event_count - 1].time_ns;
        fprintf(out, "  \"last_grow_seconds\": %s,\n", report_seconds(last, 6, a, sizeof a));
        fprintf(out, "  \"stable_seconds\": %s,\n",
                report_seconds(stats->elapsed_ns > last ? stats->elapsed_ns - last : 0, 6, a, sizeof a));
    }
    fputs("  \"sites\": [", out);
    for (uint32_t k = 0; k < stats->site_count; k++) {
        const wk_grow_site *site = &stats->sites[k];
        fputs(k ? ",\n    {" : "\n    {", out);
        put_json_name(out, module, site->function);
        fprintf(out, ", \"calls\": %" PRIu64 ", \"grows\": %" PRIu64 ", \"pages\": %" PRIu64 "}", site->calls,
                site->grows, site->pages);
    }
    fputs(stats->site_count ? "\n  ],\n" : "],\n", out);
    fputs("  \"events\": [", out);
    for (uint32_t k = 0; k < stats->event_count; k++) {
        const wk_grow_event *event = &stats->events[k];
        fprintf(out, "%s{\"time_seconds\": %s, \"old_pages\": %" PRIu32 ", \"new_pages\": %" PRIu32 ", ",
                k ? ",\n    " : "\n    ", report_seconds(event->time_ns, 6, a, sizeof a), event->old_pages,
                event->new_pages);
        put_json_name(out, module, event->function);
        fputs("}", out);
    }
    fputs(stats->event_count ? "\n  ]\n" : "]\n", out);
    fputs("}\n", out);
}

/* ---- CSV ---- */

static void report_csv(FILE *out, const wk_memory_stats *stats, const wk_module *module) {
    char a[32], name_buffer[32];
    fputs("time_seconds,old_pages,new_pages,old_bytes,new_bytes,function,name\n", out);
    for (uint32_t k = 0; k < stats->event_count; k++) {
        const wk_grow_event *event = &stats->events[k];
        fprintf(out, "%s,%" PRIu32 ",%" PRIu32 ",%" PRIu64 ",%" PRIu64 ",",
                report_seconds(event->time_ns, 6, a, sizeof a), event->old_pages, event->new_pages,
                (uint64_t)event->old_pages * REPORT_PAGE_SIZE, (uint64_t)event->new_pages * REPORT_PAGE_SIZE);
        if (event->function != WK_HOST_SITE) fprintf(out, "%" PRIu32, event->function); /* empty: host */
        fputs(",\"", out);
        report_put_escaped(out, site_name(module, event->function, name_buffer, sizeof name_buffer), ESCAPE_CSV);
        fputs("\"\n", out);
    }
}

/* ---- SVG ---- */

/* Pages as MiB on the plot's y axis: 16 to the MiB whatever the page size (1-byte pages
 * thus plot too high; kept as it was, the axis labels included). */
static double pages_mib(uint32_t pages) { return (double)pages / 16.0; }

static void put_point(FILE *out, const report_plot *p, uint64_t ns, uint32_t pages, bool first) {
    report_put_point(out, p, ns, pages_mib(pages), first);
}

/* A dashed horizontal line at `pages`, of class `class_name`, labelled `label` and the size. */
static void put_limit_line(FILE *out, const report_plot *p, uint32_t pages, const char *class_name, const char *label,
                           const char *color) {
    char size[32];
    report_put_limit_line(out, p, pages_mib(pages), class_name, label, pages_size(pages, size, sizeof size), color);
}

static void report_svg(FILE *out, const wk_memory_stats *stats, const wk_module *module) {
    char a[32], b[32], name_buffer[32];
    bool has_cap = stats->cap_pages < stats->max_pages;
    uint32_t top_pages = stats->peak_pages > stats->initial_pages ? stats->peak_pages : stats->initial_pages;
    if (has_cap && stats->cap_pages > top_pages) top_pages = stats->cap_pages;
    /* The declared maximum only when it would not squash the plot. */
    bool show_max = stats->max_pages < REPORT_MAX_PAGES &&
                    (uint64_t)stats->max_pages <= 4 * (uint64_t)(top_pages ? top_pages : 1);
    if (show_max && stats->max_pages > top_pages) top_pages = stats->max_pages;

    report_plot p = report_plot_make(stats->elapsed_ns, pages_mib(top_pages));

    report_svg_start(out);
    fputs("<!-- WasmKiln memory report. The polyline of class \"size\" is the memory size as steps: its points\n"
          "     are (0 s, initial size), then for each grow event (its time, old size) and (its time, new size),\n"
          "     then (elapsed time, final size): 2 + 2 * event count points. -->\n",
          out);

    /* The title, also as the picture's <title>. */
    pages_size(stats->initial_pages, a, sizeof a);
    pages_size(stats->current_pages, b, sizeof b);
    char title[160];
    if (stats->grows) {
        snprintf(title, sizeof title, "WasmKiln memory: %s -> %s in %" PRIu64 " %s", a, b, stats->grows,
                 report_plural(stats->grows, "grow", "grows"));
    } else {
        snprintf(title, sizeof title, "WasmKiln memory: %s, never grew", a);
    }
    report_svg_frame(out, &p, title, "size (MiB)");

    if (has_cap) put_limit_line(out, &p, stats->cap_pages, "cap", "cap", "#c62828");
    if (show_max) put_limit_line(out, &p, stats->max_pages, "max", "declared max", "#6a1b9a");

    /* The size: exactly 2 + 2 * event_count points (see the comment written above). */
    fputs("<polyline class=\"size\" fill=\"none\" stroke=\"#1565c0\" stroke-width=\"1.5\" "
          "stroke-linejoin=\"round\" points=\"",
          out);
    put_point(out, &p, 0, stats->initial_pages, true);
    for (uint32_t k = 0; k < stats->event_count; k++) {
        put_point(out, &p, stats->events[k].time_ns, stats->events[k].old_pages, false);
        put_point(out, &p, stats->events[k].time_ns, stats->events[k].new_pages, false);
    }
    put_point(out, &p, stats->elapsed_ns, stats->current_pages, false);
    fputs("\"/>\n", out);

    /* The legend: what the plot leaves out. */
    fprintf(out, "<text class=\"legend\" x=\"%s\" y=\"342\">", report_fixed(PLOT_LEFT, 1, a, sizeof a));
    fprintf(out, "%" PRIu64 " memory.grow %s, %" PRIu64 " failed", stats->grow_calls,
            report_plural(stats->grow_calls, "call", "calls"), total_failures(stats));
    if (total_failures(stats)) {
        fputs(" (", out);
        put_failure_causes(out, stats);
        fputs(")", out);
    }
    fprintf(out, "; reserved %s, committed %s", report_human_size(stats->reserved_bytes, a, sizeof a),
            report_human_size(stats->committed_bytes, b, sizeof b));
    if (!show_max) fprintf(out, "; declared max %s (off the plot)", pages_size(stats->max_pages, a, sizeof a));
    fputs("</text>\n", out);
    if (stats->site_count) {
        const wk_grow_site *site = &stats->sites[0];
        fprintf(out, "<text class=\"legend\" x=\"%s\" y=\"356\">top site: ", report_fixed(PLOT_LEFT, 1, a, sizeof a));
        report_put_escaped(out, site_name(module, site->function, name_buffer, sizeof name_buffer), ESCAPE_XML);
        fprintf(out, " +%s in %" PRIu64 " %s</text>\n", report_human_size(site->pages * REPORT_PAGE_SIZE, a, sizeof a),
                site->grows, report_plural(site->grows, "grow", "grows"));
    }
    fputs("</svg>\n", out);
}

/* ---- The entry point ---- */

bool wk_memory_report(FILE *out, wk_memory *memory, const wk_module *module, wk_report_format format) {
    if (!out || !memory) return false;
    wk_memory_stats stats;
    wk_memory_stats_get(memory, &stats);
    report_page_size = stats.page_size;
    switch (format) {
    case WK_REPORT_TEXT:
        report_text(out, &stats, module);
        break;
    case WK_REPORT_JSON:
        report_json(out, &stats, module);
        break;
    case WK_REPORT_CSV:
        report_csv(out, &stats, module);
        break;
    case WK_REPORT_SVG:
        report_svg(out, &stats, module);
        break;
    default:
        return false;
    }
    /* Flush, so that a write that fails only when the buffer goes out counts too. */
    if (fflush(out) != 0) return false;
    return !ferror(out);
}
