/*
 * chart_png.c - the series chart as a PNG image, drawn with cairo.
 *
 * The same chart as series_write_svg() (series.c), at the same size and
 * layout: title, a grid with y ticks, axes, at most 12 rotated period
 * labels, both axis labels, the cooperation (quad 1-2, green) and conflict
 * (quad 3-4, red) lines with markers when there are few periods, and the
 * legend top right.  The layout constants are repeated rather than shared
 * through a drawing abstraction: two back ends of one small chart are
 * easier to read side by side than one generic renderer.
 *
 * Why cairo (Debian libcairo2): antialiased lines and real text (DejaVu
 * through fontconfig) in a PNG, with a stable C API; libpng alone would
 * have meant writing a rasterizer and a font renderer.  The toy text API
 * is enough for Latin labels (period names, codes, the title).  The image
 * is written through a stream callback, so the caller opens the file and
 * reports its own errors (a bad path is the caller's fopen() failing).
 *
 * cairo and fontconfig keep process-wide caches (fonts, configuration)
 * alive until exit; series_png_cleanup() releases them so that the leak
 * checkers (ASan, valgrind) see a clean exit from a command that drew one.
 */
#include "series/series.h"

#include <cairo.h>
#include <fontconfig/fontconfig.h>
#include <math.h>

/* M_PI is not C17 (nor POSIX without XSI) */
static const double PI = 3.14159265358979323846;

static cairo_status_t write_stream(void *closure, const unsigned char *data, unsigned int n)
{
    return fwrite(data, 1, n, closure) == n ? CAIRO_STATUS_SUCCESS : CAIRO_STATUS_WRITE_ERROR;
}

static void rgb(cairo_t *cr, unsigned hex)
{
    cairo_set_source_rgb(cr, (hex >> 16 & 0xff) / 255.0, (hex >> 8 & 0xff) / 255.0,
                         (hex & 0xff) / 255.0);
}

/* Text anchored like SVG's text-anchor: align 0 start, 0.5 middle, 1 end;
 * (x, y) is the baseline point, angle in degrees around it. */
static void text_at(cairo_t *cr, double x, double y, double align, double angle, const char *s)
{
    cairo_text_extents_t ext;
    cairo_text_extents(cr, s, &ext);
    cairo_save(cr);
    cairo_translate(cr, x, y);
    cairo_rotate(cr, angle * PI / 180);
    cairo_move_to(cr, -align * ext.x_advance, 0);
    cairo_show_text(cr, s);
    cairo_restore(cr);
}

static void line(cairo_t *cr, double x1, double y1, double x2, double y2)
{
    cairo_move_to(cr, x1, y1);
    cairo_line_to(cr, x2, y2);
    cairo_stroke(cr);
}

/* The tick step: series.c's nice_step(), repeated (a static helper there). */
static double tick_step(double max)
{
    double raw = max / 5;
    if (raw <= 0)
        return 1;
    double p = pow(10, floor(log10(raw)));
    double m = raw / p;
    double step = (m <= 1 ? 1 : m <= 2 ? 2 : m <= 5 ? 5 : 10) * p;
    return step < 1 ? 1 : step;
}

int series_write_png(FILE *f, const series *s, const char *title)
{
    const double W = 900, H = 440, L = 70, R = 30, T = 50, B = 80;
    const double pw = W - L - R, ph = H - T - B;
    int64_t ymax = 1;
    for (size_t i = 0; i < s->n; i++) {
        const series_point *p = &s->points[i];
        int64_t coop = p->quad[1] + p->quad[2], conf = p->quad[3] + p->quad[4];
        ymax = coop > ymax ? coop : ymax;
        ymax = conf > ymax ? conf : ymax;
    }
    double step = tick_step((double)ymax);
    double top = ceil((double)ymax / step) * step;
    size_t n = s->n;
#define X(i) (L + (n > 1 ? pw * (double)(i) / (double)(n - 1) : pw / 2))
#define Y(v) (T + ph - ph * (double)(v) / top)
    cairo_surface_t *surface = cairo_image_surface_create(CAIRO_FORMAT_RGB24, (int)W, (int)H);
    cairo_t *cr = cairo_create(surface);
    rgb(cr, 0xffffff);
    cairo_paint(cr);
    cairo_select_font_face(cr, "sans-serif", CAIRO_FONT_SLANT_NORMAL, CAIRO_FONT_WEIGHT_NORMAL);
    cairo_set_line_width(cr, 1);
    rgb(cr, 0x000000);
    cairo_set_font_size(cr, 16);
    text_at(cr, W / 2, 28, 0.5, 0, title);
    cairo_set_font_size(cr, 12);
    /* horizontal grid and y ticks (lines on half pixels: crisp, as in SVG) */
    char label[32];
    for (double v = 0; v <= top + 1e-9; v += step) {
        double y = floor(Y(v)) + 0.5;
        rgb(cr, 0xdddddd);
        line(cr, L, y, L + pw, y);
        rgb(cr, 0x000000);
        snprintf(label, sizeof label, "%.0f", v);
        text_at(cr, L - 8, Y(v) + 4, 1, 0, label);
    }
    /* axes */
    line(cr, L, floor(T + ph) + 0.5, L + pw, floor(T + ph) + 0.5);
    line(cr, floor(L) + 0.5, T, floor(L) + 0.5, T + ph);
    /* x ticks: at most 12 labels */
    size_t every = n > 12 ? (n + 11) / 12 : 1;
    for (size_t i = 0; i < n; i += every) {
        line(cr, X(i), T + ph, X(i), T + ph + 5);
        text_at(cr, X(i), T + ph + 18, 1, -40, s->points[i].period);
    }
    /* axis labels */
    const char *by = series_by_name(s->by);
    snprintf(label, sizeof label, "%s%s", by, s->by == BY_WEEK ? " (starting Monday)" : "");
    text_at(cr, L + pw / 2, H - 8, 0.5, 0, label);
    snprintf(label, sizeof label, "events per %s", by);
    text_at(cr, 18, T + ph / 2, 0.5, -90, label);
    /* the two lines and the legend */
    static const struct { const char *name; unsigned color; int q1, q2; } lines[2] = {
        {"cooperation (quad 1-2)", 0x1a9850, 1, 2}, {"conflict (quad 3-4)", 0xd73027, 3, 4}};
    for (int k = 0; k < 2; k++) {
        rgb(cr, lines[k].color);
        cairo_set_line_width(cr, 2);
        cairo_set_line_join(cr, CAIRO_LINE_JOIN_ROUND);
        for (size_t i = 0; i < n; i++) {
            const series_point *p = &s->points[i];
            double y = Y(p->quad[lines[k].q1] + p->quad[lines[k].q2]);
            if (i)
                cairo_line_to(cr, X(i), y);
            else
                cairo_move_to(cr, X(i), y);
        }
        cairo_stroke(cr);
        if (n <= 80)
            for (size_t i = 0; i < n; i++) {
                const series_point *p = &s->points[i];
                cairo_arc(cr, X(i), Y(p->quad[lines[k].q1] + p->quad[lines[k].q2]), 3, 0,
                          2 * PI);
                cairo_fill(cr);
            }
        double lx = L + pw - 190, ly = T + 8 + 18 * k;
        cairo_set_line_width(cr, 3);
        line(cr, lx, ly, lx + 24, ly);
        rgb(cr, 0x000000);
        text_at(cr, lx + 30, ly + 4, 0, 0, lines[k].name);
    }
#undef X
#undef Y
    cairo_status_t st = cairo_status(cr);
    cairo_destroy(cr);
    if (st == CAIRO_STATUS_SUCCESS)
        st = cairo_surface_write_to_png_stream(surface, write_stream, f);
    cairo_surface_destroy(surface);
    return st == CAIRO_STATUS_SUCCESS && !ferror(f) ? 0 : -1;
}

void series_png_cleanup(void)
{
    /* order matters: cairo drops its fontconfig references first */
    cairo_debug_reset_static_data();
    FcFini();
}
