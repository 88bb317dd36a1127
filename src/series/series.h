/*
 * series.h - dyad trends: events per period by quad class with Goldstein
 * sums and means, an SVG chart of conflict and cooperation, and alerts when
 * a dyad turns sharply toward conflict.
 *
 * The database does the heavy part: it reads the per-day dyad summary
 * (dyad_days: counts and Goldstein sums per country dyad, day, quad class
 * and modality, kept by the store at ingest) when the filters allow, else
 * one GROUP BY day and quad class over the covering dyad index of the
 * events; this module folds days into weeks or months, fills
 * the empty periods (a chart or a rolling baseline needs them), and does the
 * statistics.  Weeks start on Monday (ISO 8601) and are named by that
 * Monday's date, so period names sort and plot as dates.
 */
#ifndef DYAD_SERIES_H
#define DYAD_SERIES_H

#include "store/query.h"
#include "store/store.h"

#include <stdint.h>
#include <stdio.h>

enum series_by { BY_DAY, BY_WEEK, BY_MONTH };

/* Periods between two dates are bounded so that a typo (--from 0001-01-01)
 * cannot ask for millions of empty days. */
#define SERIES_MAX_PERIODS 200000

typedef struct series_point {
    char period[11];   /* YYYY-MM-DD (day, or the Monday of a week) or YYYY-MM */
    char first[11];    /* first and last day of the period, YYYY-MM-DD */
    char last[11];
    int64_t events;
    int64_t quad[5];   /* quad[1..4]; quad[0] unused */
    double goldstein_sum;
} series_point;

typedef struct series {
    series_point *points;
    size_t n, cap;
    int by;
} series;

/* "day"/"week"/"month" -> enum series_by, or -1. */
int series_parse_by(const char *name);
const char *series_by_name(int by);

/* Counts the events matching f (text search is not supported here) per
 * period, from the first to the last period with events (or f->from/f->to
 * when given), empty periods included.  0 or -1 with err set. */
int series_query(store *s, const event_filter *f, int by, series *out, char *err,
                 size_t errlen);

/* How series_query_how() reads the store: SERIES_AUTO from the per-day dyad
 * summary (dyad_days) when it can answer f, else from the events;
 * SERIES_SCAN always from the events (the reference the summary is checked
 * against: `dyad series --scan`).  Both give the same figures: Goldstein
 * values are summed as integers (STORE_GUNITS). */
enum series_how { SERIES_AUTO, SERIES_SCAN };
int series_query_how(store *s, const event_filter *f, int by, int how, series *out, char *err,
                     size_t errlen);
/* True when the summary can answer f: no actor, text, code, root or
 * document filter, and dyad prefixes of at most three letters. */
int series_summary_answers(const event_filter *f);
void series_free(series *s);

static inline double series_mean(const series_point *p)
{
    return p->events ? p->goldstein_sum / (double)p->events : 0.0;
}
/* Share of material and verbal conflict (quad 3 and 4) among the events. */
static inline double series_conflict_share(const series_point *p)
{
    return p->events ? (double)(p->quad[3] + p->quad[4]) / (double)p->events : 0.0;
}

/* CSV with a header, or one JSON object; label names the dyad ("USA,MEX"). */
void series_write_csv(FILE *f, const series *s);
void series_write_json(FILE *f, const series *s, const char *label, int directed);

/* An SVG line chart of cooperation (quad 1+2) and conflict (quad 3+4) events
 * per period, with labelled axes, ticks and a legend.  0 or -1 (errno). */
int series_write_svg(FILE *f, const series *s, const char *title);
/* The same chart as a 900 x 440 PNG image, drawn with cairo (chart_png.c).
 * 0, or -1 when drawing or writing failed. */
int series_write_png(FILE *f, const series *s, const char *title);
/* Frees cairo's and fontconfig's process-wide caches: once, at the end of a
 * single-threaded program that drew a PNG, with no cairo object alive. */
void series_png_cleanup(void);

/* Alerts ---------------------------------------------------------------------
 *
 * A period alerts when it has at least min_events events and either its
 * Goldstein mean falls below, or its conflict share rises above, the mean of
 * the previous `window` periods by more than k standard deviations.  Only
 * periods with events enter a baseline, and at least 2 must; the standard
 * deviation has a floor (1 Goldstein point, 0.1 share) so that a perfectly
 * flat baseline does not turn every small wobble into an alert. */

#define ALERT_SD_FLOOR_GOLDSTEIN 1.0
#define ALERT_SD_FLOOR_SHARE 0.1

typedef struct alert {
    size_t index;            /* into series.points */
    double mean, base_mean, base_sd, z_mean;
    double share, base_share, share_sd, z_share;
    int by_mean, by_share;   /* which test fired */
} alert;

/* Fills *out (malloc'd, *n entries; free() it).  0 or -1 out of memory. */
int series_alerts(const series *s, int window, double k, int64_t min_events, alert **out,
                  size_t *n);

/* The country-level dyads (first three letters of source and target, either
 * order, "---" agents left out) with at least min_events events matching f,
 * busiest first. */
typedef struct dyad_pair {
    char a[4], b[4];
    int64_t events;
} dyad_pair;

int series_dyads(store *s, const event_filter *f, int64_t min_events, dyad_pair **out,
                 size_t *n, char *err, size_t errlen);

#endif
