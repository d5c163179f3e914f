/* Formatting shared by the reports (memory_report.c, gc_report.c): escaping, sizes,
 * seconds and fixed-point numbers written with integer arithmetic (never printf's %f,
 * whose decimal point follows the locale), the text sparkline's blocks, and the frame of
 * the SVG plot (720 x 360, title, axes, ticks). Internal to the runtime. */
#ifndef WASMKILN_REPORT_FORMAT_H
#define WASMKILN_REPORT_FORMAT_H

#include "internal.h"

#include <stdio.h>

/* ---- Text ---- */

typedef enum escape_style {
    ESCAPE_TEXT,
    ESCAPE_CSV,
    ESCAPE_XML,
    ESCAPE_JSON,
} escape_style;

/* Writes `text` escaped for `style`: valid UTF-8 passes through; control bytes and bytes
 * that are not valid UTF-8 become \u00XX (JSON) or \xNN (the others); JSON escapes '"'
 * and '\', CSV doubles '"', XML writes & < > " ' as entities. */
WK_HIDDEN void report_put_escaped(FILE *out, const char *text, escape_style style);

/* `bytes` in B, or KiB/MiB/GiB with one decimal (rounded). */
WK_HIDDEN const char *report_human_size(uint64_t bytes, char *buffer, size_t size);
/* "whole.fraction" with `decimals` (1 to 18) digits after the point. */
WK_HIDDEN const char *report_decimal(uint64_t whole, uint64_t fraction, int decimals, char *buffer, size_t size);
/* Nanoseconds as seconds with 3 or 6 decimals, rounded. */
WK_HIDDEN const char *report_seconds(uint64_t ns, int decimals, char *buffer, size_t size);
/* A non-negative double with `decimals` decimals (rounded), whatever the locale. */
WK_HIDDEN const char *report_fixed(double value, int decimals, char *buffer, size_t size);
WK_HIDDEN const char *report_plural(uint64_t count, const char *one, const char *many);

/* ---- Sparklines ---- */

#define SPARK_COLUMNS 40
/* Where column `column` (1 to SPARK_COLUMNS) of a sparkline over 0..elapsed ends. */
WK_HIDDEN uint64_t report_spark_column_end(uint64_t elapsed, uint64_t column);
/* One of the eight blocks U+2581..U+2588 for `value` in 0..range (the lowest when range is 0). */
WK_HIDDEN void report_put_spark_block(FILE *out, uint64_t value, uint64_t range);

/* ---- SVG ---- */

/* The plot's frame inside the 720 x 360 picture. */
#define SVG_WIDTH 720
#define SVG_HEIGHT 360
#define PLOT_LEFT 72.0
#define PLOT_RIGHT 700.0
#define PLOT_TOP 44.0
#define PLOT_BOTTOM 296.0

/* A step of 1, 2 or 5 times a power of ten near span / 5, for tick marks. */
WK_HIDDEN double report_tick_step(double span);
/* Decimals that show a tick step exactly (0.05 needs 2). */
WK_HIDDEN int report_step_decimals(double step);

/* Time in seconds across, MiB up. */
typedef struct report_plot {
    double seconds;         /* the x axis spans 0..seconds */
    double mib;             /* the y axis spans 0..mib */
    double x_step, y_step;  /* between ticks */
} report_plot;

/* A plot over `elapsed_ns` whose highest line is at `top_mib`, with a tick step of
 * headroom above it. */
WK_HIDDEN report_plot report_plot_make(uint64_t elapsed_ns, double top_mib);
WK_HIDDEN double report_plot_x(const report_plot *p, uint64_t ns);
WK_HIDDEN double report_plot_y(const report_plot *p, double mib);
/* " x,y" (no space when first): a polyline point. */
WK_HIDDEN void report_put_point(FILE *out, const report_plot *p, uint64_t ns, double mib, bool first);

/* The XML declaration and the <svg> element's start tag. */
WK_HIDDEN void report_svg_start(FILE *out);
/* The picture's <title> and title line, the white background, the axes, their ticks,
 * and the labels "time (s)" and `y_label`. */
WK_HIDDEN void report_svg_frame(FILE *out, const report_plot *p, const char *title, const char *y_label);
/* A dashed horizontal line at `mib`, of class `class_name`, labelled "`label` `size`". */
WK_HIDDEN void report_put_limit_line(FILE *out, const report_plot *p, double mib, const char *class_name,
                                     const char *label, const char *size, const char *color);

#endif
