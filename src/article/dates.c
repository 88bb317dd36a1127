/*
 * dates.c - event dates from temporal expressions, resolved against the
 * story's publication date.
 *
 * News text dates events relative to the day it is published: "on Friday" in
 * a Saturday paper is the day before; "August 8" without a year is the most
 * recent August 8 (or one a few days ahead: announced events); "earlier this
 * year" only fixes the year.  Each event takes the expression of its own
 * sentence nearest to its trigger; an event whose sentence has none keeps
 * the publication date.  The result carries its precision (day, week,
 * month, year) and the words it came from, so that an analyst can audit it.
 *
 * The expressions are recognised on normalised tokens with a small grammar
 * written out below; the list of forms is deliberately conservative ("May"
 * alone is a month only before a day number or after "in").
 */
#include "article/article.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

long days_from_ymd(int ymd)
{
    long y = ymd / 10000, m = (ymd / 100) % 100, d = ymd % 100;
    y -= m <= 2;
    long era = (y >= 0 ? y : y - 399) / 400;
    long yoe = y - era * 400;
    long doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

int ymd_from_days(long z)
{
    z += 719468;
    long era = (z >= 0 ? z : z - 146096) / 146097;
    long doe = z - era * 146097;
    long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    long y = yoe + era * 400;
    long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    long mp = (5 * doy + 2) / 153;
    long d = doy - (153 * mp + 2) / 5 + 1;
    long m = mp + (mp < 10 ? 3 : -9);
    y += m <= 2;
    return (int)(y * 10000 + m * 100 + d);
}

enum { PREC_DAY = 1, PREC_WEEK, PREC_MONTH, PREC_YEAR };
static const char *const PRECISION[] = {"", "day", "week", "month", "year"};

typedef struct texpr {
    uint32_t start, end; /* sentence-relative tokens */
    int ymd;
    int precision;
} texpr;

static const char *const WEEKDAYS[7] = {"monday", "tuesday", "wednesday", "thursday",
                                        "friday", "saturday", "sunday"};
static const char *const MONTHS[12] = {"january", "february", "march",     "april",
                                       "may",     "june",     "july",      "august",
                                       "september", "october", "november", "december"};
static const char *const MONTH_ABBR[12] = {"jan", "feb", "mar", "apr", "may", "jun",
                                           "jul", "aug", "sep", "oct", "nov", "dec"};

static int weekday_of(const char *w)
{
    for (int i = 0; i < 7; i++)
        if (strcmp(w, WEEKDAYS[i]) == 0)
            return i;
    return -1;
}

/* Month number 1..12 of a word: full names, "aug", "aug.", "sept." */
static int month_of(const char *w, int *is_full)
{
    *is_full = 0;
    for (int i = 0; i < 12; i++)
        if (strcmp(w, MONTHS[i]) == 0) {
            *is_full = 1;
            return i + 1;
        }
    char buf[8];
    size_t n = strlen(w);
    if (n < 3 || n > 5)
        return 0;
    memcpy(buf, w, n + 1);
    if (buf[n - 1] == '.')
        buf[--n] = '\0';
    if (strcmp(buf, "sept") == 0)
        return 9;
    for (int i = 0; i < 12; i++)
        if (strcmp(buf, MONTH_ABBR[i]) == 0 && strcmp(buf, "may") != 0 &&
            strcmp(buf, "mar") != 0) /* "may" and "mar" are words; need context */
            return i + 1;
    return 0;
}

static int number_of(const char *w, int lo, int hi)
{
    char *end;
    if (!w[0] || w[0] < '0' || w[0] > '9')
        return 0;
    long v = strtol(w, &end, 10);
    if (*end && strcmp(end, "st") && strcmp(end, "nd") && strcmp(end, "rd") && strcmp(end, "th"))
        return 0;
    return v >= lo && v <= hi ? (int)v : 0;
}

/* "YYYY-MM-DD" of yyyymmdd (years 0..9999). */
static void format_ymd(char out[11], int ymd)
{
    unsigned v = ymd < 0 ? 0u : (unsigned)ymd;
    unsigned y = (v / 10000) % 10000, m = (v / 100) % 100, d = v % 100;
    out[0] = (char)('0' + y / 1000);
    out[1] = (char)('0' + y / 100 % 10);
    out[2] = (char)('0' + y / 10 % 10);
    out[3] = (char)('0' + y % 10);
    out[4] = '-';
    out[5] = (char)('0' + m / 10);
    out[6] = (char)('0' + m % 10);
    out[7] = '-';
    out[8] = (char)('0' + d / 10);
    out[9] = (char)('0' + d % 10);
    out[10] = '\0';
}

static int valid_ymd(int y, int m, int d)
{
    if (y < 1 || y > 9999 || m < 1 || m > 12 || d < 1 || d > 31)
        return 0;
    char buf[11];
    format_ymd(buf, y * 10000 + m * 100 + d);
    return date_parse(buf, 10);
}

/* Year for a month-day with no year: the latest such date not more than a
 * week after publication (a few days ahead covers announced events). */
static int infer_year(int pub, int m, int d)
{
    int y = pub / 10000;
    int ymd = valid_ymd(y, m, d);
    if (!ymd)
        ymd = valid_ymd(y - 1, m, d);
    if (ymd && days_from_ymd(ymd) > days_from_ymd(pub) + 7)
        ymd = valid_ymd(y - 1, m, d);
    return ymd;
}

#define W(k) (c->toks[s->tok + (k)].norm)

typedef struct dctx {
    const dyad_doc *doc;
    const token *toks;
    int pub;
} dctx;

/* Tries to read a temporal expression starting at token k of s. */
static int read_expr(const dctx *c, const sentence *s, uint32_t k, texpr *out)
{
    uint32_t n = s->ntok;
    const char *w = W(k);
    long pubd = days_from_ymd(c->pub);
    int pub_wd = (int)(((pubd % 7) + 7 + 3) % 7); /* 1970-01-01 was a Thursday (3) */
    out->start = k;
    /* relative words */
    if (strcmp(w, "yesterday") == 0 || strcmp(w, "today") == 0 || strcmp(w, "tonight") == 0 ||
        strcmp(w, "tomorrow") == 0) {
        int off = w[0] == 'y' ? -1 : w[1] == 'o' && w[2] == 'm' ? 1 : 0;
        out->end = k + 1;
        out->ymd = ymd_from_days(pubd + off);
        out->precision = PREC_DAY;
        return 1;
    }
    int last = strcmp(w, "last") == 0 || strcmp(w, "past") == 0;
    int next = strcmp(w, "next") == 0;
    int this_ = strcmp(w, "this") == 0 || strcmp(w, "earlier") == 0 || strcmp(w, "later") == 0;
    uint32_t j = k;
    if ((last || next || this_) && k + 1 < n) {
        j = k + 1;
        if (strcmp(w, "earlier") == 0 || strcmp(w, "later") == 0) {
            if (strcmp(W(j), "this") != 0)
                return 0;
            j++;
            if (j >= n)
                return 0;
        }
        const char *u = W(j);
        out->end = j + 1;
        if (strcmp(u, "week") == 0) {
            out->ymd = ymd_from_days(pubd + (last ? -7 : next ? 7 : 0));
            out->precision = PREC_WEEK;
            return 1;
        }
        if (strcmp(u, "month") == 0) {
            int y = c->pub / 10000, m = (c->pub / 100) % 100;
            if (last && --m == 0) { m = 12; y--; }
            if (next && ++m == 13) { m = 1; y++; }
            out->ymd = y * 10000 + m * 100 + 1;
            out->precision = PREC_MONTH;
            return 1;
        }
        if (strcmp(u, "year") == 0) {
            int y = c->pub / 10000 + (last ? -1 : next ? 1 : 0);
            out->ymd = y * 10000 + 101;
            out->precision = PREC_YEAR;
            return 1;
        }
        int wd = weekday_of(u);
        if (wd >= 0) {
            int back = (pub_wd - wd + 7) % 7;
            if (last && back == 0)
                back = 7;
            long day = next ? pubd + ((wd - pub_wd + 7) % 7 ? (wd - pub_wd + 7) % 7 : 7)
                            : pubd - back;
            out->ymd = ymd_from_days(day);
            out->precision = PREC_DAY;
            return 1;
        }
        return 0;
    }
    /* a weekday alone: the latest such day on or before publication */
    int wd = weekday_of(w);
    if (wd >= 0) {
        out->end = k + 1;
        out->ymd = ymd_from_days(pubd - (pub_wd - wd + 7) % 7);
        out->precision = PREC_DAY;
        return 1;
    }
    /* month-day forms: "August 8", "Aug. 8, 2025", "8 August 2025", "in March", "in 2024" */
    int full, m = month_of(w, &full);
    int in_before = k > 0 && (strcmp(W(k - 1), "in") == 0 || strcmp(W(k - 1), "since") == 0 ||
                              strcmp(W(k - 1), "until") == 0);
    if (!m && (strcmp(w, "may") == 0 || strcmp(w, "mar.") == 0 || strcmp(w, "march") == 0)) {
        m = w[1] == 'a' && w[2] == 'y' ? 5 : 3;
        full = 0; /* needs a day number or "in" */
    }
    if (m) {
        int d = k + 1 < n ? number_of(W(k + 1), 1, 31) : 0;
        if (d) {
            j = k + 2;
            int y = 0;
            if (j + 1 < n && strcmp(W(j), ",") == 0 && number_of(W(j + 1), 1900, 2100))
                y = number_of(W(j + 1), 1900, 2100), j += 2;
            else if (j < n && number_of(W(j), 1900, 2100))
                y = number_of(W(j), 1900, 2100), j++;
            int ymd = y ? valid_ymd(y, m, d) : infer_year(c->pub, m, d);
            if (!ymd)
                return 0;
            out->end = j;
            out->ymd = ymd;
            out->precision = PREC_DAY;
            return 1;
        }
        if (full || in_before) {
            int y = k + 1 < n ? number_of(W(k + 1), 1900, 2100) : 0;
            if (!y && !in_before)
                return 0; /* a bare month name: too ambiguous ("March" is also a verb) */
            if (!y) {
                y = c->pub / 10000;
                if (m > (c->pub / 100) % 100)
                    y--; /* "in November" in an August story: last November */
            }
            out->end = k + 1 + (k + 1 < n && number_of(W(k + 1), 1900, 2100) ? 1 : 0);
            out->ymd = y * 10000 + m * 100 + 1;
            out->precision = PREC_MONTH;
            return 1;
        }
        return 0;
    }
    int d = number_of(w, 1, 31);
    if (d && k + 1 < n && (m = month_of(W(k + 1), &full)) != 0) {
        j = k + 2;
        int y = j < n ? number_of(W(j), 1900, 2100) : 0;
        int ymd = y ? valid_ymd(y, m, d) : infer_year(c->pub, m, d);
        if (!ymd)
            return 0;
        out->end = y ? j + 1 : j;
        out->ymd = ymd;
        out->precision = PREC_DAY;
        return 1;
    }
    int y = number_of(w, 1900, 2100);
    if (y && in_before && strlen(w) == 4) {
        out->end = k + 1;
        out->ymd = y * 10000 + 101;
        out->precision = PREC_YEAR;
        return 1;
    }
    return 0;
}

/* Does expression f of sentence s modify the trigger (in the parse, its head
 * word hangs on a word of the trigger)? */
static int attached(const dyad_doc *doc, const sentence *s, const texpr *f, dyad_span trigger)
{
    const token *t = doc->toks + s->tok;
    for (uint32_t k = f->start; k < f->end; k++) {
        int32_t h = t[k].head;
        if (h < -1)
            return 0; /* not parsed */
        if (h >= (int32_t)f->start && h < (int32_t)f->end)
            continue; /* inside the expression */
        return h >= 0 && (uint32_t)h < s->ntok && t[h].start >= trigger.start &&
               t[h].end <= trigger.end;
    }
    return 0;
}

void article_resolve_dates(dyad_doc *doc)
{
    dctx c = {doc, doc->toks, doc->ymd};
    texpr found[32];
    /* the last date expression of the paragraph so far: a sentence without one
     * ("The meeting ended ... Trump accused ...") continues its story */
    texpr last = {0, 0, 0, 0};
    const sentence *last_s = NULL;
    size_t ei = 0;
    for (uint32_t si = 0; si < doc->nsents && ei < doc->nevents; si++) {
        const sentence *s = &doc->sents[si];
        if (s->ntok && (doc->toks[s->tok].flags & TOK_PARA_START))
            last_s = NULL;
        int nf = 0;
        for (uint32_t k = 0; k < s->ntok && nf < 32;) {
            if (read_expr(&c, s, k, &found[nf])) {
                k = found[nf].end;
                nf++;
            } else {
                k++;
            }
        }
        for (; ei < doc->nevents && doc->events[ei].sent == si; ei++) {
            dyad_event *e = &doc->events[ei];
            /* the expression that modifies the trigger, else the nearest one */
            int best = -1;
            for (int f = 0; f < nf && best < 0; f++)
                if (attached(doc, s, &found[f], e->trigger))
                    best = f;
            long bestd = LONG_MAX;
            if (best < 0)
                for (int f = 0; f < nf; f++) {
                    const token *ta = &doc->toks[s->tok + found[f].start];
                    const token *tb = &doc->toks[s->tok + found[f].end - 1];
                    long dist = ta->start >= e->trigger.end ? (long)ta->start - e->trigger.end
                                : tb->end <= e->trigger.start ? (long)e->trigger.start - tb->end
                                                              : 0;
                    if (dist < bestd) {
                        best = f;
                        bestd = dist;
                    }
                }
            const texpr *x = best >= 0 ? &found[best] : last_s ? &last : NULL;
            const sentence *xs = best >= 0 ? s : last_s;
            format_ymd(e->event_date, x ? x->ymd : doc->ymd);
            e->date_precision = PRECISION[x ? x->precision : PREC_DAY];
            if (x) {
                e->date_span.start = doc->toks[xs->tok + x->start].start;
                e->date_span.end = doc->toks[xs->tok + x->end - 1].end;
            } else {
                e->date_span.start = e->date_span.end = 0;
            }
        }
        if (nf) {
            last = found[nf - 1];
            last_s = s;
        }
    }
}
