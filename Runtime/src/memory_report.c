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
#include "internal.h"

#include <inttypes.h>
#include <string.h>

/* The page size of the memory being reported (custom page sizes: 1 byte), and its most
 * pages: set by wk_memory_report for the report it writes. */
static _Thread_local uint32_t report_page_size = 65536;
#define REPORT_PAGE_SIZE report_page_size
#define REPORT_MAX_PAGES (report_page_size == 65536 ? 65536u : UINT32_MAX)
#define SPARK_COLUMNS 40
#define TOP_SITES 3

/* ---- Formatting helpers ---- */

typedef enum escape_style {
    ESCAPE_TEXT,
    ESCAPE_CSV,
    ESCAPE_XML,
    ESCAPE_JSON,
} escape_style;

/* The length of the valid UTF-8 sequence that starts at `s` (NUL-terminated), or 0
 * when none does. */
static int utf8_length(const unsigned char *s) {
    unsigned char lead = s[0];
    if (lead < 0x80) return 1;
    int length;
    uint32_t code, least;
    if (lead >= 0xC2 && lead <= 0xDF) {
        length = 2, code = lead & 0x1Fu, least = 0x80;
    } else if ((lead & 0xF0) == 0xE0) {
        length = 3, code = lead & 0x0Fu, least = 0x800;
    } else if (lead >= 0xF0 && lead <= 0xF4) {
        length = 4, code = lead & 0x07u, least = 0x10000;
    } else {
        return 0;
    }
    for (int k = 1; k < length; k++) {
        if ((s[k] & 0xC0) != 0x80) return 0; /* also stops at the terminating NUL */
        code = code << 6 | (s[k] & 0x3Fu);
    }
    if (code < least || code > 0x10FFFF || (code >= 0xD800 && code <= 0xDFFF)) return 0;
    return length;
}

/* Writes `text` escaped for `style` (see the top of the file). */
static void put_escaped(FILE *out, const char *text, escape_style style) {
    const unsigned char *s = (const unsigned char *)text;
    while (*s) {
        unsigned char c = *s;
        int length = utf8_length(s);
        if (length == 0 || c < 0x20 || c == 0x7F) {
            fprintf(out, style == ESCAPE_JSON ? "\\u%04x" : "\\x%02x", (unsigned)c);
            s++;
            continue;
        }
        if (length > 1) {
            fwrite(s, 1, (size_t)length, out);
            s += length;
            continue;
        }
        const char *replacement = NULL;
        switch (style) {
        case ESCAPE_JSON:
            if (c == '"') replacement = "\\\"";
            else if (c == '\\') replacement = "\\\\";
            break;
        case ESCAPE_CSV:
            if (c == '"') replacement = "\"\"";
            break;
        case ESCAPE_XML:
            if (c == '&') replacement = "&amp;";
            else if (c == '<') replacement = "&lt;";
            else if (c == '>') replacement = "&gt;";
            else if (c == '"') replacement = "&quot;";
            else if (c == '\'') replacement = "&#39;";
            break;
        case ESCAPE_TEXT:
            break;
        }
        if (replacement) fputs(replacement, out);
        else putc(c, out);
        s++;
    }
}

/* A site's name: the module's "func 12 (name)", else "func 12", or "host". */
static const char *site_name(const wk_module *module, uint32_t function, char *buffer, size_t size) {
    if (function == WK_HOST_SITE) return "host";
    const char *name = module && module->function_name ? module->function_name(function) : NULL;
    if (name) return name;
    snprintf(buffer, size, "func %" PRIu32, function);
    return buffer;
}

/* `bytes` in B, or KiB/MiB/GiB with one decimal (rounded). */
static const char *human_size(uint64_t bytes, char *buffer, size_t size) {
    static const char *const units[] = {"KiB", "MiB", "GiB"};
    if (bytes < 1024) {
        snprintf(buffer, size, "%" PRIu64 " B", bytes);
        return buffer;
    }
    uint64_t unit = 1024;
    int k = 0;
    while (k < 2 && bytes >= unit * 1024) unit *= 1024, k++;
    uint64_t tenths = bytes / unit * 10 + ((bytes % unit) * 10 + unit / 2) / unit;
    if (tenths >= 10240 && k < 2) { /* 1023.96 KiB rounds to 1.0 MiB, not 1024.0 KiB */
        unit *= 1024, k++;
        tenths = bytes / unit * 10 + ((bytes % unit) * 10 + unit / 2) / unit;
    }
    snprintf(buffer, size, "%" PRIu64 ".%" PRIu64 " %s", tenths / 10, tenths % 10, units[k]);
    return buffer;
}

static const char *pages_size(uint32_t pages, char *buffer, size_t size) {
    return human_size((uint64_t)pages * REPORT_PAGE_SIZE, buffer, size);
}


/* "whole.fraction" with `decimals` (1 to 18) digits after the point, zero-padded and
 * cut short if `buffer` is. Written by hand: with a computed printf width or a %s here,
 * GCC warns about a truncation that cannot happen. */
static const char *decimal(uint64_t whole, uint64_t fraction, int decimals, char *buffer, size_t size) {
    int length = snprintf(buffer, size, "%" PRIu64, whole);
    if (length < 0 || (size_t)length + (size_t)decimals + 2 > size) return buffer;
    buffer[length] = '.';
    for (int k = decimals; k >= 1; k--) {
        buffer[length + k] = (char)('0' + fraction % 10);
        fraction /= 10;
    }
    buffer[length + decimals + 1] = 0;
    return buffer;
}
/* Nanoseconds as seconds with 3 or 6 decimals, rounded. */
static const char *seconds(uint64_t ns, int decimals, char *buffer, size_t size) {
    uint64_t ns_per_unit = decimals == 3 ? 1000000u : 1000u;
    uint64_t units_per_second = 1000000000u / ns_per_unit;
    uint64_t units = ns / ns_per_unit + (ns % ns_per_unit >= ns_per_unit / 2);
    return decimal(units / units_per_second, units % units_per_second, decimals, buffer, size);
}

/* A non-negative double with `decimals` decimals (rounded), whatever the locale. */
static const char *fixed(double value, int decimals, char *buffer, size_t size) {
    uint64_t scale = 1;
    for (int k = 0; k < decimals; k++) scale *= 10;
    if (!(value > 0)) value = 0; /* also NaN */
    if (value > 1e12) value = 1e12;
    uint64_t scaled = (uint64_t)(value * (double)scale + 0.5);
    if (decimals > 0) {
        decimal(scaled / scale, scaled % scale, decimals, buffer, size);
    } else {
        snprintf(buffer, size, "%" PRIu64, scaled);
    }
    return buffer;
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

static const char *plural(uint64_t count, const char *one, const char *many) {
    return count == 1 ? one : many;
}

/* ---- Text ---- */

/* The size at the end of each of SPARK_COLUMNS equal slices of 0..elapsed, as one of the
 * eight blocks U+2581..U+2588 between the initial size (lowest) and the peak (highest). */
static void put_sparkline(FILE *out, const wk_memory_stats *stats) {
    static const char *const blocks[8] = {
        "\xE2\x96\x81", "\xE2\x96\x82", "\xE2\x96\x83", "\xE2\x96\x84",
        "\xE2\x96\x85", "\xE2\x96\x86", "\xE2\x96\x87", "\xE2\x96\x88",
    };
    uint64_t elapsed = stats->elapsed_ns;
    uint32_t range = stats->peak_pages > stats->initial_pages ? stats->peak_pages - stats->initial_pages : 0;
    uint32_t pages = stats->initial_pages, next = 0;
    for (uint64_t column = 1; column <= SPARK_COLUMNS; column++) {
        /* column * elapsed / SPARK_COLUMNS without overflow */
        uint64_t end = elapsed / SPARK_COLUMNS * column + elapsed % SPARK_COLUMNS * column / SPARK_COLUMNS;
        while (next < stats->event_count && stats->events[next].time_ns <= end) {
            pages = stats->events[next++].new_pages;
        }
        if (column == SPARK_COLUMNS) pages = stats->current_pages;
        uint64_t level = 0;
        if (range && pages > stats->initial_pages) {
            /* round(7 * (pages - initial) / range) */
            level = ((uint64_t)(pages - stats->initial_pages) * 14 + range) / (2 * (uint64_t)range);
            if (level > 7) level = 7;
        }
        fputs(blocks[level], out);
    }
}

static void report_text(FILE *out, const wk_memory_stats *stats, const wk_module *module) {
    char a[32], b[32], c[32], d[32], name_buffer[32];

    fprintf(out, "memory: %s initial -> %s peak (final %s, %" PRIu32 " %s); declared max %s",
            pages_size(stats->initial_pages, a, sizeof a), pages_size(stats->peak_pages, b, sizeof b),
            pages_size(stats->current_pages, c, sizeof c), stats->current_pages,
            plural(stats->current_pages, "page", "pages"), pages_size(stats->max_pages, d, sizeof d));
    if (stats->cap_pages != stats->max_pages) fprintf(out, ", cap %s", pages_size(stats->cap_pages, a, sizeof a));
    fputs("\n", out);

    if (stats->grow_calls == 0) {
        fprintf(out, "grows: no memory.grow in %s s", seconds(stats->elapsed_ns, 3, a, sizeof a));
    } else {
        fprintf(out, "grows: %" PRIu64 " of %" PRIu64 " %s over %s s", stats->grows, stats->grow_calls,
                plural(stats->grow_calls, "call", "calls"), seconds(stats->elapsed_ns, 3, a, sizeof a));
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
                seconds(stats->elapsed_ns, 3, a, sizeof a));
    } else if (stats->event_count == 0) {
        fputs("steady: grow times were not recorded\n", out);
    } else {
        uint64_t last = stats->events[stats->event_count - 1].time_ns;
        uint64_t stable = stats->elapsed_ns > last ? stats->elapsed_ns - last : 0;
        unsigned percent = stats->elapsed_ns ? (unsigned)((double)stable * 100.0 / (double)stats->elapsed_ns + 0.5) : 0;
        fprintf(out, "steady: last grow at %s s; stable for %s s since (%u%% of the run)\n",
                seconds(last, 3, a, sizeof a), seconds(stable, 3, b, sizeof b), percent);
    }

    fprintf(out, "reserved %s of address space, %s committed\n", human_size(stats->reserved_bytes, a, sizeof a),
            human_size(stats->committed_bytes, b, sizeof b));

    fputs("top grow sites: ", out);
    if (stats->site_count == 0) fputs("none", out);
    for (uint32_t k = 0; k < stats->site_count && k < TOP_SITES; k++) {
        const wk_grow_site *site = &stats->sites[k];
        if (k) fputs("; ", out);
        put_escaped(out, site_name(module, site->function, name_buffer, sizeof name_buffer), ESCAPE_TEXT);
        fprintf(out, " %" PRIu64 " %s", site->grows, plural(site->grows, "grow", "grows"));
        if (site->calls != site->grows) {
            fprintf(out, " of %" PRIu64 " %s", site->calls, plural(site->calls, "call", "calls"));
        }
        fprintf(out, ", +%s", human_size(site->pages * REPORT_PAGE_SIZE, a, sizeof a));
    }
    if (stats->site_count > TOP_SITES) {
        uint32_t more = stats->site_count - TOP_SITES;
        fprintf(out, "; %" PRIu32 " more %s", more, plural(more, "site", "sites"));
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
    put_escaped(out, site_name(module, function, buffer, sizeof buffer), ESCAPE_JSON);
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
    fprintf(out, "  \"elapsed_seconds\": %s,\n", seconds(stats->elapsed_ns, 6, a, sizeof a));
    /* Both null when the memory grew but its events were not recorded. */
    if (stats->grows == 0) {
        fputs("  \"last_grow_seconds\": null,\n", out);
        fprintf(out, "  \"stable_seconds\": %s,\n", seconds(stats->elapsed_ns, 6, a, sizeof a));
    } else if (stats->event_count == 0) {
        fputs("  \"last_grow_seconds\": null,\n  \"stable_seconds\": null,\n", out);
    } else {
        uint64_t last = stats->events[stats->event_count - 1].time_ns;
        fprintf(out, "  \"last_grow_seconds\": %s,\n", seconds(last, 6, a, sizeof a));
        fprintf(out, "  \"stable_seconds\": %s,\n",
                seconds(stats->elapsed_ns > last ? stats->elapsed_ns - last : 0, 6, a, sizeof a));
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
                k ? ",\n    " : "\n    ", seconds(event->time_ns, 6, a, sizeof a), event->old_pages, event->new_pages);
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
        fprintf(out, "%s,%" PRIu32 ",%" PRIu32 ",%" PRIu64 ",%" PRIu64 ",", seconds(event->time_ns, 6, a, sizeof a),
                event->old_pages, event->new_pages, (uint64_t)event->old_pages * REPORT_PAGE_SIZE,
                (uint64_t)event->new_pages * REPORT_PAGE_SIZE);
        if (event->function != WK_HOST_SITE) fprintf(out, "%" PRIu32, event->function); /* empty: host */
        fputs(",\"", out);
        put_escaped(out, site_name(module, event->function, name_buffer, sizeof name_buffer), ESCAPE_CSV);
        fputs("\"\n", out);
    }
}

/* ---- SVG ---- */

/* The plot's frame inside the 720 x 360 picture. */
#define SVG_WIDTH 720
#define SVG_HEIGHT 360
#define PLOT_LEFT 72.0
#define PLOT_RIGHT 700.0
#define PLOT_TOP 44.0
#define PLOT_BOTTOM 296.0

/* A step of 1, 2 or 5 times a power of ten near span / 5, for tick marks. */
static double tick_step(double span) {
    double raw = span > 0 ? span / 5 : 1;
    double magnitude = 1;
    while (magnitude * 10 <= raw) magnitude *= 10;
    while (magnitude > raw) magnitude /= 10;
    double normal = raw / magnitude;
    return (normal < 1.5 ? 1 : normal < 3.5 ? 2 : normal < 7.5 ? 5 : 10) * magnitude;
}

/* Decimals that show a tick step exactly (0.05 needs 2). */
static int step_decimals(double step) {
    int decimals = 0;
    while (step < 1 - 1e-9 && decimals < 9) step *= 10, decimals++;
    return decimals;
}

typedef struct plot {
    double seconds; /* the x axis spans 0..seconds */
    double mib;     /* the y axis spans 0..mib */
} plot;

static double plot_x(const plot *p, uint64_t ns) {
    return PLOT_LEFT + ((double)ns / 1e9) / p->seconds * (PLOT_RIGHT - PLOT_LEFT);
}

static double plot_y(const plot *p, uint32_t pages) {
    return PLOT_BOTTOM - ((double)pages / 16.0) / p->mib * (PLOT_BOTTOM - PLOT_TOP);
}

static void put_point(FILE *out, const plot *p, uint64_t ns, uint32_t pages, bool first) {
    char x[32], y[32];
    fprintf(out, "%s%s,%s", first ? "" : " ", fixed(plot_x(p, ns), 1, x, sizeof x), fixed(plot_y(p, pages), 1, y, sizeof y));
}

/* A dashed horizontal line at `pages`, of class `class_name`, labelled `label` and the size. */
static void put_limit_line(FILE *out, const plot *p, uint32_t pages, const char *class_name, const char *label,
                           const char *color) {
    char x1[32], x2[32], y[32], ly[32], size[32];
    double at = plot_y(p, pages);
    fprintf(out,
            "<line class=\"%s\" x1=\"%s\" y1=\"%s\" x2=\"%s\" y2=\"%s\" stroke=\"%s\" stroke-width=\"1\" "
            "stroke-dasharray=\"6 4\"/>\n",
            class_name, fixed(PLOT_LEFT, 1, x1, sizeof x1), fixed(at, 1, y, sizeof y),
            fixed(PLOT_RIGHT, 1, x2, sizeof x2), y, color);
    fprintf(out, "<text class=\"%s\" x=\"%s\" y=\"%s\" text-anchor=\"end\" fill=\"%s\">%s %s</text>\n", class_name,
            fixed(PLOT_RIGHT - 4, 1, x1, sizeof x1), fixed(at - 4, 1, ly, sizeof ly), color, label,
            pages_size(pages, size, sizeof size));
}

static void report_svg(FILE *out, const wk_memory_stats *stats, const wk_module *module) {
    char a[32], b[32], c[32], d[32], name_buffer[32];
    bool has_cap = stats->cap_pages < stats->max_pages;
    uint32_t top_pages = stats->peak_pages > stats->initial_pages ? stats->peak_pages : stats->initial_pages;
    if (has_cap && stats->cap_pages > top_pages) top_pages = stats->cap_pages;
    /* The declared maximum only when it would not squash the plot. */
    bool show_max = stats->max_pages < REPORT_MAX_PAGES &&
                    (uint64_t)stats->max_pages <= 4 * (uint64_t)(top_pages ? top_pages : 1);
    if (show_max && stats->max_pages > top_pages) top_pages = stats->max_pages;

    plot p;
    p.seconds = stats->elapsed_ns ? (double)stats->elapsed_ns / 1e9 : 0.001;
    double top_mib = top_pages ? (double)top_pages / 16.0 : 1.0;
    double y_step = tick_step(top_mib);
    p.mib = (double)((uint64_t)(top_mib / y_step + 1e-9) + 1) * y_step; /* headroom above the top line */
    double x_step = tick_step(p.seconds);

    fputs("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n", out);
    fprintf(out,
            "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\" "
            "font-family=\"sans-serif\" font-size=\"11\">\n",
            SVG_WIDTH, SVG_HEIGHT, SVG_WIDTH, SVG_HEIGHT);
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
                 plural(stats->grows, "grow", "grows"));
    } else {
        snprintf(title, sizeof title, "WasmKiln memory: %s, never grew", a);
    }
    fputs("<title>", out);
    put_escaped(out, title, ESCAPE_XML);
    fputs("</title>\n", out);
    fprintf(out, "<rect x=\"0\" y=\"0\" width=\"%d\" height=\"%d\" fill=\"white\"/>\n", SVG_WIDTH, SVG_HEIGHT);
    fprintf(out, "<text class=\"title\" x=\"%d\" y=\"24\" text-anchor=\"middle\" font-size=\"15\">", SVG_WIDTH / 2);
    put_escaped(out, title, ESCAPE_XML);
    fputs("</text>\n", out);

    /* Grid, ticks and labels. */
    fputs("<g class=\"axes\" stroke=\"#444\" stroke-width=\"1\">\n", out);
    fprintf(out, "<line x1=\"%s\" y1=\"%s\" x2=\"%s\" y2=\"%s\"/>\n", fixed(PLOT_LEFT, 1, a, sizeof a),
            fixed(PLOT_BOTTOM, 1, b, sizeof b), fixed(PLOT_RIGHT, 1, c, sizeof c), b);
    fprintf(out, "<line x1=\"%s\" y1=\"%s\" x2=\"%s\" y2=\"%s\"/>\n", a, fixed(PLOT_TOP, 1, c, sizeof c), a, b);
    fputs("</g>\n<g class=\"ticks\" fill=\"#222\">\n", out);
    int x_decimals = step_decimals(x_step), y_decimals = step_decimals(y_step);
    for (uint32_t k = 0; k <= 50 && (double)k * x_step <= p.seconds * (1 + 1e-9); k++) {
        double x = PLOT_LEFT + (double)k * x_step / p.seconds * (PLOT_RIGHT - PLOT_LEFT);
        fprintf(out, "<line x1=\"%s\" y1=\"%s\" x2=\"%s\" y2=\"%s\" stroke=\"#444\"/>", fixed(x, 1, a, sizeof a),
                fixed(PLOT_BOTTOM, 1, b, sizeof b), a, fixed(PLOT_BOTTOM + 4, 1, c, sizeof c));
        fprintf(out, "<text x=\"%s\" y=\"%s\" text-anchor=\"middle\">%s</text>\n", a,
                fixed(PLOT_BOTTOM + 16, 1, c, sizeof c), fixed((double)k * x_step, x_decimals, d, sizeof d));
    }
    for (uint32_t k = 0; k <= 50 && (double)k * y_step <= p.mib * (1 + 1e-9); k++) {
        double y = PLOT_BOTTOM - (double)k * y_step / p.mib * (PLOT_BOTTOM - PLOT_TOP);
        fprintf(out, "<line x1=\"%s\" y1=\"%s\" x2=\"%s\" y2=\"%s\" stroke=\"#ddd\"/>", fixed(PLOT_LEFT, 1, a, sizeof a),
                fixed(y, 1, b, sizeof b), fixed(PLOT_RIGHT, 1, c, sizeof c), b);
        fprintf(out, "<text x=\"%s\" y=\"%s\" text-anchor=\"end\">%s</text>\n", fixed(PLOT_LEFT - 6, 1, a, sizeof a),
                fixed(y + 4, 1, c, sizeof c), fixed((double)k * y_step, y_decimals, d, sizeof d));
    }
    fprintf(out, "<text x=\"%s\" y=\"%s\" text-anchor=\"middle\">time (s)</text>\n",
            fixed((PLOT_LEFT + PLOT_RIGHT) / 2, 1, a, sizeof a), fixed(PLOT_BOTTOM + 32, 1, b, sizeof b));
    fprintf(out, "<text x=\"18\" y=\"%s\" text-anchor=\"middle\" transform=\"rotate(-90 18 %s)\">size (MiB)</text>\n",
            fixed((PLOT_TOP + PLOT_BOTTOM) / 2, 1, a, sizeof a), a);
    fputs("</g>\n", out);

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
    fprintf(out, "<text class=\"legend\" x=\"%s\" y=\"342\">", fixed(PLOT_LEFT, 1, a, sizeof a));
    fprintf(out, "%" PRIu64 " memory.grow %s, %" PRIu64 " failed", stats->grow_calls,
            plural(stats->grow_calls, "call", "calls"), total_failures(stats));
    if (total_failures(stats)) {
        fputs(" (", out);
        put_failure_causes(out, stats);
        fputs(")", out);
    }
    fprintf(out, "; reserved %s, committed %s", human_size(stats->reserved_bytes, a, sizeof a),
            human_size(stats->committed_bytes, b, sizeof b));
    if (!show_max) fprintf(out, "; declared max %s (off the plot)", pages_size(stats->max_pages, a, sizeof a));
    fputs("</text>\n", out);
    if (stats->site_count) {
        const wk_grow_site *site = &stats->sites[0];
        fprintf(out, "<text class=\"legend\" x=\"%s\" y=\"356\">top site: ", fixed(PLOT_LEFT, 1, a, sizeof a));
        put_escaped(out, site_name(module, site->function, name_buffer, sizeof name_buffer), ESCAPE_XML);
        fprintf(out, " +%s in %" PRIu64 " %s</text>\n", human_size(site->pages * REPORT_PAGE_SIZE, a, sizeof a),
                site->grows, plural(site->grows, "grow", "grows"));
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
