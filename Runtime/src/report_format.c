/* Formatting shared by the reports (see report_format.h).
 *
 * Numbers are formatted with integer arithmetic (or, for SVG coordinates, rounded to
 * fixed point by hand), never with printf's %f: the C locale's decimal point could be a
 * comma, which would break JSON, CSV and SVG, and this way the runtime needs no libm. */
#include "report_format.h"

#include <inttypes.h>
#include <string.h>

/* ---- Text ---- */

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

void report_put_escaped(FILE *out, const char *text, escape_style style) {
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

const char *report_human_size(uint64_t bytes, char *buffer, size_t size) {
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

/* Zero-padded and cut short if `buffer` is. Written by hand: with a computed printf
 * width or a %s here, GCC warns about a truncation that cannot happen. */
const char *report_decimal(uint64_t whole, uint64_t fraction, int decimals, char *buffer, size_t size) {
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

const char *report_seconds(uint64_t ns, int decimals, char *buffer, size_t size) {
    uint64_t ns_per_unit = decimals == 3 ? 1000000u : 1000u;
    uint64_t units_per_second = 1000000000u / ns_per_unit;
    uint64_t units = ns / ns_per_unit + (ns % ns_per_unit >= ns_per_unit / 2);
    return report_decimal(units / units_per_second, units % units_per_second, decimals, buffer, size);
}

const char *report_fixed(double value, int decimals, char *buffer, size_t size) {
    uint64_t scale = 1;
    for (int k = 0; k < decimals; k++) scale *= 10;
    if (!(value > 0)) value = 0; /* also NaN */
    if (value > 1e12) value = 1e12;
    uint64_t scaled = (uint64_t)(value * (double)scale + 0.5);
    if (decimals > 0) {
        report_decimal(scaled / scale, scaled % scale, decimals, buffer, size);
    } else {
        snprintf(buffer, size, "%" PRIu64, scaled);
    }
    return buffer;
}

const char *report_plural(uint64_t count, const char *one, const char *many) {
    return count == 1 ? one : many;
}

/* ---- Sparklines ---- */

uint64_t report_spark_column_end(uint64_t elapsed, uint64_t column) {
    /* column * elapsed / SPARK_COLUMNS without overflow */
    return elapsed / SPARK_COLUMNS * column + elapsed % SPARK_COLUMNS * column / SPARK_COLUMNS;
}

void report_put_spark_block(FILE *out, uint64_t value, uint64_t range) {
    static const char *const blocks[8] = {
        "\xE2\x96\x81", "\xE2\x96\x82", "\xE2\x96\x83", "\xE2\x96\x84",
        "\xE2\x96\x85", "\xE2\x96\x86", "\xE2\x96\x87", "\xE2\x96\x88",
    };
    /* Scaled down so that value * 14 cannot overflow (only for ranges past 2^59). */
    while (range > UINT64_MAX / 16) range >>= 1, value >>= 1;
    uint64_t level = 0;
    if (range && value) {
        /* round(7 * value / range) */
        level = (value * 14 + range) / (2 * range);
        if (level > 7) level = 7;
    }
    fputs(blocks[level], out);
}

/* ---- SVG ---- */

double report_tick_step(double span) {
    double raw = span > 0 ? span / 5 : 1;
    double magnitude = 1;
    while (magnitude * 10 <= raw) magnitude *= 10;
    while (magnitude > raw) magnitude /= 10;
    double normal = raw / magnitude;
    return (normal < 1.5 ? 1 : normal < 3.5 ? 2 : normal < 7.5 ? 5 : 10) * magnitude;
}

int report_step_decimals(double step) {
    int decimals = 0;
    while (step < 1 - 1e-9 && decimals < 9) step *= 10, decimals++;
    return decimals;
}

report_plot report_plot_make(uint64_t elapsed_ns, double top_mib) {
    report_plot p;
    /* An empty span would divide by zero: 1 ms, 1 MiB instead. */
    p.seconds = elapsed_ns ? (double)elapsed_ns / 1e9 : 0.001;
    if (!(top_mib > 0)) top_mib = 1.0;
    p.y_step = report_tick_step(top_mib);
    p.mib = (double)((uint64_t)(top_mib / p.y_step + 1e-9) + 1) * p.y_step; /* headroom above the top line */
    p.x_step = report_tick_step(p.seconds);
    return p;
}

double report_plot_x(const report_plot *p, uint64_t ns) {
    return PLOT_LEFT + ((double)ns / 1e9) / p->seconds * (PLOT_RIGHT - PLOT_LEFT);
}

double report_plot_y(const report_plot *p, double mib) {
    return PLOT_BOTTOM - mib / p->mib * (PLOT_BOTTOM - PLOT_TOP);
}

void report_put_point(FILE *out, const report_plot *p, uint64_t ns, double mib, bool first) {
    char x[32], y[32];
    fprintf(out, "%s%s,%s", first ? "" : " ", report_fixed(report_plot_x(p, ns), 1, x, sizeof x),
            report_fixed(report_plot_y(p, mib), 1, y, sizeof y));
}

void report_svg_start(FILE *out) {
    fputs("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n", out);
    fprintf(out,
            "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\" "
            "font-family=\"sans-serif\" font-size=\"11\">\n",
            SVG_WIDTH, SVG_HEIGHT, SVG_WIDTH, SVG_HEIGHT);
}

void report_svg_frame(FILE *out, const report_plot *p, const char *title, const char *y_label) {
    char a[32], b[32], c[32], d[32];

    /* The title, also as the picture's <title>. */
    fputs("<title>", out);
    report_put_escaped(out, title, ESCAPE_XML);
    fputs("</title>\n", out);
    fprintf(out, "<rect x=\"0\" y=\"0\" width=\"%d\" height=\"%d\" fill=\"white\"/>\n", SVG_WIDTH, SVG_HEIGHT);
    fprintf(out, "<text class=\"title\" x=\"%d\" y=\"24\" text-anchor=\"middle\" font-size=\"15\">", SVG_WIDTH / 2);
    report_put_escaped(out, title, ESCAPE_XML);
    fputs("</text>\n", out);

    /* Grid, ticks and labels. */
    fputs("<g class=\"axes\" stroke=\"#444\" stroke-width=\"1\">\n", out);
    fprintf(out, "<line x1=\"%s\" y1=\"%s\" x2=\"%s\" y2=\"%s\"/>\n", report_fixed(PLOT_LEFT, 1, a, sizeof a),
            report_fixed(PLOT_BOTTOM, 1, b, sizeof b), report_fixed(PLOT_RIGHT, 1, c, sizeof c), b);
    fprintf(out, "<line x1=\"%s\" y1=\"%s\" x2=\"%s\" y2=\"%s\"/>\n", a, report_fixed(PLOT_TOP, 1, c, sizeof c), a, b);
    fputs("</g>\n<g class=\"ticks\" fill=\"#222\">\n", out);
    int x_decimals = report_step_decimals(p->x_step), y_decimals = report_step_decimals(p->y_step);
    for (uint32_t k = 0; k <= 50 && (double)k * p->x_step <= p->seconds * (1 + 1e-9); k++) {
        double x = PLOT_LEFT + (double)k * p->x_step / p->seconds * (PLOT_RIGHT - PLOT_LEFT);
        fprintf(out, "<line x1=\"%s\" y1=\"%s\" x2=\"%s\" y2=\"%s\" stroke=\"#444\"/>", report_fixed(x, 1, a, sizeof a),
                report_fixed(PLOT_BOTTOM, 1, b, sizeof b), a, report_fixed(PLOT_BOTTOM + 4, 1, c, sizeof c));
        fprintf(out, "<text x=\"%s\" y=\"%s\" text-anchor=\"middle\">%s</text>\n", a,
                report_fixed(PLOT_BOTTOM + 16, 1, c, sizeof c),
                report_fixed((double)k * p->x_step, x_decimals, d, sizeof d));
    }
    for (uint32_t k = 0; k <= 50 && (double)k * p->y_step <= p->mib * (1 + 1e-9); k++) {
        double y = PLOT_BOTTOM - (double)k * p->y_step / p->mib * (PLOT_BOTTOM - PLOT_TOP);
        fprintf(out, "<line x1=\"%s\" y1=\"%s\" x2=\"%s\" y2=\"%s\" stroke=\"#ddd\"/>",
                report_fixed(PLOT_LEFT, 1, a, sizeof a), report_fixed(y, 1, b, sizeof b),
                report_fixed(PLOT_RIGHT, 1, c, sizeof c), b);
        fprintf(out, "<text x=\"%s\" y=\"%s\" text-anchor=\"end\">%s</text>\n",
                report_fixed(PLOT_LEFT - 6, 1, a, sizeof a), report_fixed(y + 4, 1, c, sizeof c),
                report_fixed((double)k * p->y_step, y_decimals, d, sizeof d));
    }
    fprintf(out, "<text x=\"%s\" y=\"%s\" text-anchor=\"middle\">time (s)</text>\n",
            report_fixed((PLOT_LEFT + PLOT_RIGHT) / 2, 1, a, sizeof a), report_fixed(PLOT_BOTTOM + 32, 1, b, sizeof b));
    fprintf(out, "<text x=\"18\" y=\"%s\" text-anchor=\"middle\" transform=\"rotate(-90 18 %s)\">",
            report_fixed((PLOT_TOP + PLOT_BOTTOM) / 2, 1, a, sizeof a), a);
    report_put_escaped(out, y_label, ESCAPE_XML);
    fputs("</text>\n</g>\n", out);
}

void report_put_limit_line(FILE *out, const report_plot *p, double mib, const char *class_name, const char *label,
                           const char *size, const char *color) {
    char x1[32], x2[32], y[32], ly[32];
    double at = report_plot_y(p, mib);
    fprintf(out,
            "<line class=\"%s\" x1=\"%s\" y1=\"%s\" x2=\"%s\" y2=\"%s\" stroke=\"%s\" stroke-width=\"1\" "
            "stroke-dasharray=\"6 4\"/>\n",
            class_name, report_fixed(PLOT_LEFT, 1, x1, sizeof x1), report_fixed(at, 1, y, sizeof y),
            report_fixed(PLOT_RIGHT, 1, x2, sizeof x2), y, color);
    fprintf(out, "<text class=\"%s\" x=\"%s\" y=\"%s\" text-anchor=\"end\" fill=\"%s\">%s %s</text>\n", class_name,
            report_fixed(PLOT_RIGHT - 4, 1, x1, sizeof x1), report_fixed(at - 4, 1, ly, sizeof ly), color, label, size);
}
