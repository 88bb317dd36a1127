/*
 * series.c - periods, the series query, CSV/JSON/SVG output and alerts
 * (see series.h).
 *
 * Dates become day numbers (days since 1970-01-01, proleptic Gregorian, the
 * "days from civil" algorithm) so that weeks are plain arithmetic; months are
 * numbered year * 12 + month - 1.  A period is then an ordinal and the series
 * an array indexed by (ordinal - first) / step.
 */
#include "series/series.h"
#include "core/doc.h"
#include "store/db.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* Calendar ------------------------------------------------------------------ */

static long days_from_civil(int y, int m, int d)
{
    y -= m <= 2;
    long era = (y >= 0 ? y : y - 399) / 400;
    long yoe = y - era * 400;
    long doy = (153L * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

static void civil_from_days(long z, int *y, int *m, int *d)
{
    z += 719468;
    long era = (z >= 0 ? z : z - 146096) / 146097;
    long doe = z - era * 146097;
    long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    long mp = (5 * doy + 2) / 153;
    *d = (int)(doy - (153 * mp + 2) / 5 + 1);
    *m = (int)(mp < 10 ? mp + 3 : mp - 9);
    *y = (int)(yoe + era * 400 + (*m <= 2));
}

static int parse_ymd(const char *s, int *y, int *m, int *d)
{
    if (strlen(s) != 10 || !date_parse(s, 10))
        return -1;
    *y = atoi(s);
    *m = atoi(s + 5);
    *d = atoi(s + 8);
    return 0;
}

static int days_in_month(int y, int m)
{
    static const int md[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    return md[m - 1] + (m == 2 && leap);
}

/* The ordinal of the period holding a date. */
static long period_of(int by, int y, int m, int d)
{
    if (by == BY_MONTH)
        return (long)y * 12 + (m - 1);
    long days = days_from_civil(y, m, d);
    if (by == BY_WEEK) {
        long wd = ((days + 3) % 7 + 7) % 7; /* 1970-01-01 was a Thursday; Monday = 0 */
        days -= wd;
    }
    return days;
}

static long period_step(int by) { return by == BY_WEEK ? 7 : 1; }

/* YYYY-MM-DD (or YYYY-MM when d is 0) by hand: years are 1..9999 here */
static void fmt_date(char out[11], int y, int m, int d)
{
    unsigned uy = (unsigned)y % 10000, um = (unsigned)m % 100, ud = (unsigned)d % 100;
    char *p = out;
    *p++ = (char)('0' + uy / 1000);
    *p++ = (char)('0' + uy / 100 % 10);
    *p++ = (char)('0' + uy / 10 % 10);
    *p++ = (char)('0' + uy % 10);
    *p++ = '-';
    *p++ = (char)('0' + um / 10);
    *p++ = (char)('0' + um % 10);
    if (d) {
        *p++ = '-';
        *p++ = (char)('0' + ud / 10);
        *p++ = (char)('0' + ud % 10);
    }
    *p = '\0';
}

static void name_period(int by, long ord, series_point *p)
{
    int y, m, d;
    if (by == BY_MONTH) {
        y = (int)(ord / 12);
        m = (int)(ord % 12) + 1;
        fmt_date(p->period, y, m, 0);
        fmt_date(p->first, y, m, 1);
        fmt_date(p->last, y, m, days_in_month(y, m));
        return;
    }
    civil_from_days(ord, &y, &m, &d);
    fmt_date(p->period, y, m, d);
    memcpy(p->first, p->period, sizeof p->first);
    if (by == BY_WEEK)
        civil_from_days(ord + 6, &y, &m, &d);
    fmt_date(p->last, y, m, d);
}

int series_parse_by(const char *name)
{
    if (strcmp(name, "day") == 0)
        return BY_DAY;
    if (strcmp(name, "week") == 0)
        return BY_WEEK;
    if (strcmp(name, "month") == 0)
        return BY_MONTH;
    return -1;
}

const char *series_by_name(int by)
{
    return by == BY_DAY ? "day" : by == BY_WEEK ? "week" : "month";
}

/* The query ------------------------------------------------------------------ */

typedef struct day_row {
    long ord;
    int quad;
    int64_t n;
    int64_t gunits;
} day_row;

void series_free(series *s)
{
    free(s->points);
    memset(s, 0, sizeof *s);
}

int series_summary_answers(const event_filter *f)
{
    /* dyad_days is keyed by the first three letters of each side: it can
     * answer prefixes of up to three letters, modality, quad and dates */
    if (f->text || f->code || f->root || f->doc || f->actor)
        return 0;
    if (f->dyad_a && f->dyad_b && (strlen(f->dyad_a) > 3 || strlen(f->dyad_b) > 3))
        return 0;
    return 1;
}

/* "AND col matches prefix" for a prefix of at most three letters: equality
 * for three, a byte range (US <= col < UT) for fewer. */
static void side3(sql_buf *b, const char *col, const char *prefix)
{
    size_t n = strlen(prefix);
    if (n == 0)
        return; /* not produced by query_dyad(); matches everything */
    sql_add(b, " AND ");
    sql_add(b, col);
    if (n == 3) {
        sql_add(b, " = ?");
        sql_text_param(b, prefix);
        return;
    }
    char hi[4] = {0};
    memcpy(hi, prefix, n);
    hi[n - 1]++; /* ASCII letters and digits: never overflows */
    sql_add(b, " >= ? AND ");
    sql_add(b, col);
    sql_add(b, " < ?");
    sql_text_param(b, prefix);
    sql_text_param(b, hi);
}

/* The filters every summary branch carries. */
static void summary_common(sql_buf *b, const event_filter *f)
{
    if (f->quads)
        sql_int_set(b, "quad", f->quads, 1, 4);
    if (f->modalities)
        sql_modality_set(b, "modality", f->modalities);
    if (f->from) {
        sql_add(b, " AND day >= ?");
        sql_text_param(b, f->from);
    }
    if (f->to) {
        sql_add(b, " AND day <= ?");
        sql_text_param(b, f->to);
    }
}

/* The summary query: one key-range read per direction, no GROUP BY (rows
 * are folded into periods below).  The reverse direction leaves out what the
 * forward one counted (A = B, or short prefixes that overlap), as the
 * events query's OR does. */
static void summary_sql(sql_buf *b, const event_filter *f)
{
    static const char SELECT[] = "SELECT day, quad, events, gunits FROM dyad_days WHERE 1 = 1";
    sql_add(b, SELECT);
    if (f->dyad_a && f->dyad_b) {
        side3(b, "src3", f->dyad_a);
        side3(b, "tgt3", f->dyad_b);
        summary_common(b, f);
        if (!f->directed) {
            sql_add(b, " UNION ALL ");
            sql_add(b, SELECT);
            side3(b, "src3", f->dyad_b);
            side3(b, "tgt3", f->dyad_a);
            sql_add(b, " AND NOT (1 = 1");
            side3(b, "src3", f->dyad_a);
            side3(b, "tgt3", f->dyad_b);
            sql_add(b, ")");
            summary_common(b, f);
        }
    } else {
        summary_common(b, f);
    }
}

int series_query(store *s, const event_filter *f, int by, series *out, char *err, size_t errlen)
{
    return series_query_how(s, f, by, SERIES_AUTO, out, err, errlen);
}

int series_query_how(store *s, const event_filter *f, int by, int how, series *out, char *err,
                     size_t errlen)
{
    memset(out, 0, sizeof *out);
    out->by = by;
    if (f->text) {
        snprintf(err, errlen, "series: text search is not supported");
        return -1;
    }
    sql_buf b = {0};
    if (how == SERIES_AUTO && series_summary_answers(f)) {
        summary_sql(&b, f);
    } else {
        sql_add(&b, "SELECT e.event_date, e.quad, count(*), " STORE_GUNITS("e.goldstein")
                    " FROM events e WHERE 1 = 1");
        sql_filter(&b, f, 0);
        sql_add(&b, " GROUP BY e.event_date, e.quad");
    }
    db_stmt *st = sql_prepare(store_db(s), &b, err, errlen);
    sql_free(&b);
    if (!st)
        return -1;
    day_row *rows = NULL;
    size_t nrows = 0, caprows = 0;
    long lo = 0, hi = -1;
    int rc, fail = 0, have = 0;
    while ((rc = db_step(st)) == 1) {
        int y, m, d;
        if (parse_ymd(db_col_text(st, 0, NULL), &y, &m, &d))
            continue; /* the store only holds valid dates; be safe anyway */
        if (nrows == caprows) {
            size_t cap = caprows ? caprows * 2 : 256;
            day_row *p = realloc(rows, cap * sizeof *p);
            if (!p) {
                fail = 1;
                break;
            }
            rows = p;
            caprows = cap;
        }
        day_row *r = &rows[nrows++];
        r->ord = period_of(by, y, m, d);
        r->quad = (int)db_col_int(st, 1);
        r->n = db_col_int(st, 2);
        r->gunits = db_col_int(st, 3);
        /* rows come in no particular order (two directions, no ORDER BY) */
        if (!have || r->ord < lo)
            lo = r->ord;
        if (!have || r->ord > hi)
            hi = r->ord;
        have = 1;
    }
    if (rc < 0 && !fail)
        snprintf(err, errlen, "series: %s", db_stmt_errmsg(st));
    else if (fail)
        snprintf(err, errlen, "out of memory");
    db_reset(st);
    db_finalize(st);
    if (rc < 0 || fail) {
        free(rows);
        return -1;
    }
    int y, m, d;
    if (f->from && parse_ymd(f->from, &y, &m, &d) == 0) {
        lo = period_of(by, y, m, d);
        if (!have)
            hi = lo;
        have = 1;
    }
    if (f->to && parse_ymd(f->to, &y, &m, &d) == 0) {
        hi = period_of(by, y, m, d);
        if (!have)
            lo = hi;
        have = 1;
    }
    if (!have || hi < lo) {
        free(rows);
        return 0;
    }
    long step = period_step(by);
    size_t n = (size_t)((hi - lo) / step + 1);
    if (n > SERIES_MAX_PERIODS) {
        snprintf(err, errlen, "series: %zu periods from first to last; narrow it with --from/--to "
                              "or a coarser --by", n);
        free(rows);
        return -1;
    }
    out->points = calloc(n, sizeof *out->points);
    int64_t *gunits = calloc(n, sizeof *gunits);
    if (!out->points || !gunits) {
        free(rows);
        free(gunits);
        series_free(out);
        out->by = by;
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    out->n = out->cap = n;
    for (size_t i = 0; i < n; i++)
        name_period(by, lo + (long)i * step, &out->points[i]);
    for (size_t i = 0; i < nrows; i++) {
        if (rows[i].ord < lo || rows[i].ord > hi)
            continue;
        size_t k = (size_t)((rows[i].ord - lo) / step);
        series_point *p = &out->points[k];
        p->events += rows[i].n;
        if (rows[i].quad >= 1 && rows[i].quad <= 4)
            p->quad[rows[i].quad] += rows[i].n;
        gunits[k] += rows[i].gunits;
    }
    for (size_t i = 0; i < n; i++)
        out->points[i].goldstein_sum = (double)gunits[i] / STORE_GUNITS_PER_POINT;
    free(gunits);
    free(rows);
    return 0;
}

/* CSV and JSON ----------------------------------------------------------------- */

void series_write_csv(FILE *f, const series *s)
{
    fputs("period,events,verbal_coop,material_coop,verbal_conflict,material_conflict,"
          "goldstein_sum,goldstein_mean,conflict_share\n",
          f);
    for (size_t i = 0; i < s->n; i++) {
        const series_point *p = &s->points[i];
        fprintf(f, "%s,%lld,%lld,%lld,%lld,%lld,%.2f,", p->period, (long long)p->events,
                (long long)p->quad[1], (long long)p->quad[2], (long long)p->quad[3],
                (long long)p->quad[4], p->goldstein_sum);
        if (p->events)
            fprintf(f, "%.3f,%.3f\n", series_mean(p), series_conflict_share(p));
        else
            fputs(",\n", f);
    }
}

void series_write_json(FILE *f, const series *s, const char *label, int directed)
{
    fputs("{\"dyad\":", f);
    if (label) {
        putc('"', f);
        fputs(label, f); /* checked actor codes: letters, digits, '-', ',' */
        putc('"', f);
    } else {
        fputs("null", f);
    }
    fprintf(f, ",\"directed\":%s,\"by\":\"%s\",\"periods\":[", directed ? "true" : "false",
            series_by_name(s->by));
    for (size_t i = 0; i < s->n; i++) {
        const series_point *p = &s->points[i];
        fprintf(f, "%s\n{\"period\":\"%s\",\"events\":%lld,\"verbal_coop\":%lld,"
                   "\"material_coop\":%lld,\"verbal_conflict\":%lld,\"material_conflict\":%lld,"
                   "\"goldstein_sum\":%.2f,",
                i ? "," : "", p->period, (long long)p->events, (long long)p->quad[1],
                (long long)p->quad[2], (long long)p->quad[3], (long long)p->quad[4],
                p->goldstein_sum);
        if (p->events)
            fprintf(f, "\"goldstein_mean\":%.3f,\"conflict_share\":%.3f}", series_mean(p),
                    series_conflict_share(p));
        else
            fputs("\"goldstein_mean\":null,\"conflict_share\":null}", f);
    }
    fputs("]}\n", f);
}

/* SVG ------------------------------------------------------------------------------ */

static void xml_text(FILE *f, const char *s)
{
    for (; *s; s++) {
        if (*s == '&')
            fputs("&amp;", f);
        else if (*s == '<')
            fputs("&lt;", f);
        else if (*s == '>')
            fputs("&gt;", f);
        else if (*s == '"')
            fputs("&quot;", f);
        else
            putc(*s, f);
    }
}

/* A "nice" tick step (1, 2 or 5 times a power of ten) for about 5 ticks. */
static double nice_step(double max)
{
    double raw = max / 5;
    if (raw <= 0)
        return 1;
    double p = pow(10, floor(log10(raw)));
    double m = raw / p;
    double step = m <= 1 ? 1 : m <= 2 ? 2 : m <= 5 ? 5 : 10;
    step *= p;
    return step < 1 ? 1 : step; /* counts are integers */
}

int series_write_svg(FILE *f, const series *s, const char *title)
{
    const double W = 900, H = 440, L = 70, R = 30, T = 50, B = 80;
    const double pw = W - L - R, ph = H - T - B;
    int64_t ymax = 1;
    for (size_t i = 0; i < s->n; i++) {
        const series_point *p = &s->points[i];
        int64_t coop = p->quad[1] + p->quad[2], conf = p->quad[3] + p->quad[4];
        if (coop > ymax)
            ymax = coop;
        if (conf > ymax)
            ymax = conf;
    }
    double step = nice_step((double)ymax);
    double top = ceil((double)ymax / step) * step;
    size_t n = s->n;
#define X(i) (L + (n > 1 ? pw * (double)(i) / (double)(n - 1) : pw / 2))
#define Y(v) (T + ph - ph * (double)(v) / top)
    fprintf(f, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%.0f\" height=\"%.0f\" "
               "viewBox=\"0 0 %.0f %.0f\" font-family=\"sans-serif\" font-size=\"12\">\n",
            W, H, W, H);
    fprintf(f, "<rect width=\"%.0f\" height=\"%.0f\" fill=\"white\"/>\n", W, H);
    fprintf(f, "<text x=\"%.0f\" y=\"28\" font-size=\"16\" text-anchor=\"middle\">", W / 2);
    xml_text(f, title);
    fputs("</text>\n", f);
    /* horizontal grid and y ticks */
    for (double v = 0; v <= top + 1e-9; v += step) {
        fprintf(f, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#ddd\"/>\n", L,
                Y(v), L + pw, Y(v));
        fprintf(f, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"end\">%.0f</text>\n", L - 8,
                Y(v) + 4, v);
    }
    /* axes */
    fprintf(f, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"black\"/>\n", L,
            T + ph, L + pw, T + ph);
    fprintf(f, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"black\"/>\n", L, T,
            L, T + ph);
    /* x ticks: at most 12 labels */
    size_t every = n > 12 ? (n + 11) / 12 : 1;
    for (size_t i = 0; i < n; i += every) {
        fprintf(f, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"black\"/>\n",
                X(i), T + ph, X(i), T + ph + 5);
        fprintf(f, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"end\" "
                   "transform=\"rotate(-40 %.1f %.1f)\">%s</text>\n",
                X(i), T + ph + 18, X(i), T + ph + 18, s->points[i].period);
    }
    /* axis labels */
    const char *by = series_by_name(s->by);
    fprintf(f, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\">%s%s</text>\n", L + pw / 2,
            H - 8, by, s->by == BY_WEEK ? " (starting Monday)" : "");
    fprintf(f, "<text x=\"18\" y=\"%.1f\" text-anchor=\"middle\" transform=\"rotate(-90 18 %.1f)\">"
               "events per %s</text>\n",
            T + ph / 2, T + ph / 2, by);
    /* the two lines */
    static const struct { const char *name, *color; int q1, q2; } lines[2] = {
        {"cooperation (quad 1-2)", "#1a9850", 1, 2}, {"conflict (quad 3-4)", "#d73027", 3, 4}};
    for (int k = 0; k < 2; k++) {
        fprintf(f, "<polyline fill=\"none\" stroke=\"%s\" stroke-width=\"2\" points=\"",
                lines[k].color);
        for (size_t i = 0; i < n; i++) {
            const series_point *p = &s->points[i];
            fprintf(f, "%s%.1f,%.1f", i ? " " : "", X(i),
                    Y(p->quad[lines[k].q1] + p->quad[lines[k].q2]));
        }
        fputs("\"/>\n", f);
        if (n <= 80)
            for (size_t i = 0; i < n; i++) {
                const series_point *p = &s->points[i];
                fprintf(f, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"3\" fill=\"%s\"/>\n", X(i),
                        Y(p->quad[lines[k].q1] + p->quad[lines[k].q2]), lines[k].color);
            }
        /* legend, top right */
        double lx = L + pw - 190, ly = T + 8 + 18 * k;
        fprintf(f, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"%s\" "
                   "stroke-width=\"3\"/>\n",
                lx, ly, lx + 24, ly, lines[k].color);
        fprintf(f, "<text x=\"%.1f\" y=\"%.1f\">%s</text>\n", lx + 30, ly + 4, lines[k].name);
    }
#undef X
#undef Y
    fputs("</svg>\n", f);
    return ferror(f) ? -1 : 0;
}

/* Alerts ------------------------------------------------------------------------- */

int series_alerts(const series *s, int window, double k, int64_t min_events, alert **out,
                  size_t *nout)
{
    *out = NULL;
    *nout = 0;
    size_t cap = 0;
    for (size_t t = 0; t < s->n; t++) {
        const series_point *p = &s->points[t];
        if (p->events < min_events || p->events == 0)
            continue;
        double sm = 0, sm2 = 0, ss = 0, ss2 = 0;
        int nb = 0;
        for (size_t j = t > (size_t)window ? t - (size_t)window : 0; j < t; j++) {
            const series_point *b = &s->points[j];
            if (!b->events)
                continue;
            double mv = series_mean(b), sv = series_conflict_share(b);
            sm += mv;
            sm2 += mv * mv;
            ss += sv;
            ss2 += sv * sv;
            nb++;
        }
        if (nb < 2)
            continue;
        alert a;
        memset(&a, 0, sizeof a);
        a.index = t;
        a.mean = series_mean(p);
        a.base_mean = sm / nb;
        a.base_sd = sqrt(fmax(0, sm2 / nb - a.base_mean * a.base_mean));
        a.share = series_conflict_share(p);
        a.base_share = ss / nb;
        a.share_sd = sqrt(fmax(0, ss2 / nb - a.base_share * a.base_share));
        double sd_m = fmax(a.base_sd, ALERT_SD_FLOOR_GOLDSTEIN);
        double sd_s = fmax(a.share_sd, ALERT_SD_FLOOR_SHARE);
        a.z_mean = (a.mean - a.base_mean) / sd_m;
        a.z_share = (a.share - a.base_share) / sd_s;
        a.by_mean = a.z_mean < -k;
        a.by_share = a.z_share > k;
        if (!a.by_mean && !a.by_share)
            continue;
        if (*nout == cap) {
            size_t nc = cap ? cap * 2 : 8;
            alert *na = realloc(*out, nc * sizeof *na);
            if (!na) {
                free(*out);
                *out = NULL;
                *nout = 0;
                return -1;
            }
            *out = na;
            cap = nc;
        }
        (*out)[(*nout)++] = a;
    }
    return 0;
}

/* Dyads --------------------------------------------------------------------------- */

static int cmp_names(const void *x, const void *y)
{
    const dyad_pair *p = x, *q = y;
    int c = strcmp(p->a, q->a);
    return c ? c : strcmp(p->b, q->b);
}

static int cmp_pairs(const void *x, const void *y)
{
    const dyad_pair *p = x, *q = y;
    if (p->events != q->events)
        return p->events > q->events ? -1 : 1;
    int c = strcmp(p->a, q->a);
    return c ? c : strcmp(p->b, q->b);
}

int series_dyads(store *s, const event_filter *f, int64_t min_events, dyad_pair **out,
                 size_t *nout, char *err, size_t errlen)
{
    *out = NULL;
    *nout = 0;
    sql_buf b = {0};
    sql_add(&b, "SELECT substr(e.source, 1, 3), substr(e.target, 1, 3), count(*) FROM events e"
                " WHERE e.source <> '' AND e.target <> ''");
    sql_filter(&b, f, 0);
    sql_add(&b, " GROUP BY substr(e.source, 1, 3), substr(e.target, 1, 3)");
    db_stmt *st = sql_prepare(store_db(s), &b, err, errlen);
    sql_free(&b);
    if (!st)
        return -1;
    dyad_pair *v = NULL;
    size_t n = 0, cap = 0;
    int rc, fail = 0;
    while ((rc = db_step(st)) == 1) {
        const char *x = db_col_text(st, 0, NULL), *y = db_col_text(st, 1, NULL);
        if (strlen(x) != 3 || strlen(y) != 3 || strcmp(x, "---") == 0 || strcmp(y, "---") == 0)
            continue;
        dyad_pair p;
        /* unordered: the smaller code first */
        int swap = strcmp(x, y) > 0;
        memcpy(p.a, swap ? y : x, 4);
        memcpy(p.b, swap ? x : y, 4);
        p.events = db_col_int(st, 2);
        if (n == cap) {
            size_t nc = cap ? cap * 2 : 64;
            dyad_pair *nv = realloc(v, nc * sizeof *nv);
            if (!nv) {
                fail = 1;
                break;
            }
            v = nv;
            cap = nc;
        }
        v[n++] = p;
    }
    if (rc < 0 && !fail)
        snprintf(err, errlen, "listing dyads: %s", db_stmt_errmsg(st));
    else if (fail)
        snprintf(err, errlen, "out of memory");
    db_reset(st);
    db_finalize(st);
    if (rc < 0 || fail) {
        free(v);
        return -1;
    }
    /* A->B and B->A arrive as separate rows: sort by names, merge neighbours */
    if (n)
        qsort(v, n, sizeof *v, cmp_names);
    size_t m = 0;
    for (size_t i = 0; i < n; i++) {
        if (m && strcmp(v[m - 1].a, v[i].a) == 0 && strcmp(v[m - 1].b, v[i].b) == 0)
            v[m - 1].events += v[i].events;
        else
            v[m++] = v[i];
    }
    size_t k = 0;
    for (size_t i = 0; i < m; i++)
        if (v[i].events >= min_events)
            v[k++] = v[i];
    if (k)
        qsort(v, k, sizeof *v, cmp_pairs);
    *out = v;
    *nout = k;
    if (!k) {
        free(v);
        *out = NULL;
    }
    return 0;
}
