/*
 * cmd_alerts.c - `dyad alerts`: periods in which a dyad turns sharply toward
 * conflict, each with the events behind it.
 *
 * For one dyad (--dyad) or every country-level dyad with enough events, the
 * series of src/series is computed and series_alerts() flags periods whose
 * Goldstein mean drops, or whose conflict share rises, beyond k standard
 * deviations of a rolling baseline.  The events of each flagged period are
 * then read back and listed, most informative first for a reader: in corpus
 * order, conflict and cooperation alike, since the mean moved because of all
 * of them.  Queries run one after another (PostgreSQL connections cannot
 * interleave them).
 */
#include "cli/cli.h"
#include "core/doc.h"
#include "series/series.h"
#include "store/evout.h"
#include "store/query.h"
#include "store/store.h"

#include <getopt.h>
#include <stdlib.h>
#include <errno.h>
#include <string.h>

void usage_alerts(FILE *f)
{
    fputs("usage: dyad alerts [OPTIONS] DB\n"
          "\n"
          "Finds periods where a dyad turns sharply toward conflict: the Goldstein mean of\n"
          "the period falls, or its share of conflict events (quad 3-4) rises, more than\n"
          "K standard deviations beyond the previous WINDOW periods.  Without --dyad every\n"
          "country-level dyad (first three letters of the codes) with at least --min-dyad\n"
          "events is examined.  Each alert lists the events behind it.\n"
          "\n"
          "Options:\n"
          "  -y, --dyad A,B         one dyad (either direction unless --directed)\n"
          "      --directed         only A -> B\n"
          "  -b, --by day|week|month  period (default week)\n"
          "  -k, --k K              standard deviations (default 2)\n"
          "  -w, --window N         baseline periods (default 8)\n"
          "      --min-events N     events a period needs to alert (default 3)\n"
          "      --min-dyad N       events a dyad needs to be examined (default 20)\n"
          "      --max-events N     events listed per alert (default 20)\n"
          "      --from DATE, --to DATE  bounds (YYYY-MM-DD)\n"
          "  -m, --modality LIST    modalities counted (default asserted,reported)\n"
          "  -f, --format text|jsonl  output (default text; jsonl: one object per alert)\n"
          "      --db TARGET        the store, instead of the DB argument\n"
          "  -h, --help             this help\n"
          "\n"
          "Exit status: 0 done (with or without alerts); 2 usage error; 3 the store could\n"
          "not be read.\n",
          f);
}

static int parse_long(const char *s, long lo, long hi, long *out)
{
    char *end;
    long v = strtol(s, &end, 10);
    if (!*s || *end || v < lo || v > hi)
        return -1;
    *out = v;
    return 0;
}

typedef struct alert_opts {
    int json;
    long max_events;
    int directed;
} alert_opts;

static void print_alert_head(FILE *f, const alert_opts *o, const char *a, const char *b,
                             const series *ser, const alert *al)
{
    const series_point *p = &ser->points[al->index];
    if (o->json) {
        fprintf(f, "{\"dyad\":\"%s,%s\",\"directed\":%s,\"by\":\"%s\",\"period\":\"%s\","
                   "\"first\":\"%s\",\"last\":\"%s\",\"events\":%lld,"
                   "\"goldstein_mean\":%.3f,\"baseline_mean\":%.3f,\"baseline_sd\":%.3f,"
                   "\"z_mean\":%.2f,\"conflict_share\":%.3f,\"baseline_share\":%.3f,"
                   "\"baseline_share_sd\":%.3f,\"z_share\":%.2f,\"by_mean\":%s,\"by_share\":%s,"
                   "\"event_list\":[",
                a, b, o->directed ? "true" : "false", series_by_name(ser->by), p->period,
                p->first, p->last, (long long)p->events, al->mean, al->base_mean, al->base_sd,
                al->z_mean, al->share, al->base_share, al->share_sd, al->z_share,
                al->by_mean ? "true" : "false", al->by_share ? "true" : "false");
        return;
    }
    fprintf(f, "%s %s %s, %s %s (%s..%s): %lld events; Goldstein mean %.2f (baseline %.2f "
               "\xc2\xb1 %.2f, z %+.1f)%s; conflict share %.2f (baseline %.2f \xc2\xb1 %.2f, z "
               "%+.1f)%s\n",
            a, o->directed ? "->" : "-", b, series_by_name(ser->by), p->period, p->first,
            p->last, (long long)p->events, al->mean, al->base_mean, al->base_sd, al->z_mean,
            al->by_mean ? " [ALERT]" : "", al->share, al->base_share, al->share_sd, al->z_share,
            al->by_share ? " [ALERT]" : "");
}

/* Lists the events of one alert period; 0 or -1 with err set. */
static int print_alert_events(FILE *f, store *s, const alert_opts *o, event_filter flt,
                              const series_point *p, char *err, size_t errlen)
{
    flt.from = p->first;
    flt.to = p->last;
    flt.limit = o->max_events;
    event_cursor *c = events_query(s, &flt, err, errlen);
    if (!c)
        return -1;
    store_event e;
    int rc, k = 0;
    while ((rc = events_next(c, &e, err, errlen)) == 1) {
        if (o->json) {
            if (k++)
                putc(',', f);
            evout_json(f, &e);
            continue;
        }
        fprintf(f, "  %s %s -> %s %s (%+.1f) \"%.*s\": %.*s%s [%s, sentence %u]\n",
                e.event_date, *e.source ? e.source : "?", *e.target ? e.target : "?", e.code,
                e.goldstein, (int)e.trigger.len, e.trigger.text,
                (int)(e.sentence_len > 160 ? 160 : e.sentence_len), e.sentence,
                e.sentence_len > 160 ? "..." : "", e.doc, e.sent);
    }
    events_close(c);
    if (o->json)
        fputs("]}\n", f);
    return rc < 0 ? -1 : 0;
}

/* Alerts for one dyad; returns the number found, or -1 with err set. */
static long alerts_for(store *s, const alert_opts *o, event_filter flt, int by, int window,
                       double k, long min_events, char *err, size_t errlen)
{
    series ser;
    if (series_query(s, &flt, by, &ser, err, errlen))
        return -1;
    alert *al;
    size_t n;
    if (series_alerts(&ser, window, k, min_events, &al, &n)) {
        series_free(&ser);
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    long rc = (long)n;
    for (size_t i = 0; i < n && rc >= 0; i++) {
        print_alert_head(stdout, o, flt.dyad_a, flt.dyad_b, &ser, &al[i]);
        if (print_alert_events(stdout, s, o, flt, &ser.points[al[i].index], err, errlen))
            rc = -1;
    }
    free(al);
    series_free(&ser);
    return rc;
}

int cmd_alerts(int argc, char **argv)
{
    enum { OPT_DIRECTED = 256, OPT_FROM, OPT_TO, OPT_MIN_EVENTS, OPT_MIN_DYAD, OPT_MAX_EVENTS,
           OPT_DB };
    static const struct option opts[] = {
        {"dyad", required_argument, NULL, 'y'},   {"directed", no_argument, NULL, OPT_DIRECTED},
        {"by", required_argument, NULL, 'b'},     {"k", required_argument, NULL, 'k'},
        {"window", required_argument, NULL, 'w'},
        {"min-events", required_argument, NULL, OPT_MIN_EVENTS},
        {"min-dyad", required_argument, NULL, OPT_MIN_DYAD},
        {"max-events", required_argument, NULL, OPT_MAX_EVENTS},
        {"from", required_argument, NULL, OPT_FROM}, {"to", required_argument, NULL, OPT_TO},
        {"modality", required_argument, NULL, 'm'}, {"format", required_argument, NULL, 'f'},
        {"db", required_argument, NULL, OPT_DB},  {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0}};
    event_filter flt = {0};
    flt.limit = -1;
    flt.modalities = 1u << DYAD_ASSERTED | 1u << DYAD_REPORTED;
    char a[ACTOR_MAX + 1], b[ACTOR_MAX + 1];
    const char *target = NULL;
    int by = BY_WEEK, c;
    long window = 8, min_events = 3, min_dyad = 20, v;
    double k = 2.0;
    alert_opts o = {0, 20, 0};
    optind = 1;
    while ((c = getopt_long(argc, argv, "y:b:k:w:m:f:h", opts, NULL)) != -1) {
        switch (c) {
        case 'y':
            if (query_dyad(optarg, a, b)) {
                cli_error("--dyad '%s': expected two actor codes A,B (e.g. USA,MEX)", optarg);
                return EXIT_USAGE;
            }
            flt.dyad_a = a;
            flt.dyad_b = b;
            break;
        case OPT_DIRECTED: flt.directed = o.directed = 1; break;
        case 'b':
            if ((by = series_parse_by(optarg)) < 0) {
                cli_error("--by must be day, week or month, not '%s'", optarg);
                return EXIT_USAGE;
            }
            break;
        case 'k': {
            char *end;
            k = strtod(optarg, &end);
            if (!*optarg || *end || !(k > 0 && k <= 100)) {
                cli_error("--k '%s': expected a number of standard deviations in (0, 100]",
                          optarg);
                return EXIT_USAGE;
            }
            break;
        }
        case 'w':
        case OPT_MIN_EVENTS:
        case OPT_MIN_DYAD:
        case OPT_MAX_EVENTS: {
            long lo = c == 'w' ? 2 : c == OPT_MAX_EVENTS ? 0 : 1;
            if (parse_long(optarg, lo, 1000000, &v)) {
                cli_error("%s '%s': expected a whole number %ld..1000000",
                          c == 'w' ? "--window" : c == OPT_MIN_EVENTS ? "--min-events"
                                              : c == OPT_MIN_DYAD   ? "--min-dyad"
                                                                    : "--max-events",
                          optarg, lo);
                return EXIT_USAGE;
            }
            *(c == 'w' ? &window : c == OPT_MIN_EVENTS ? &min_events
                                 : c == OPT_MIN_DYAD   ? &min_dyad
                                                       : &o.max_events) = v;
            break;
        }
        case OPT_FROM:
        case OPT_TO:
            if (cli_opt_date(c == OPT_FROM ? "from" : "to", optarg))
                return EXIT_USAGE;
            *(c == OPT_FROM ? &flt.from : &flt.to) = optarg;
            break;
        case 'm':
            if (query_modalities(optarg, &flt.modalities)) {
                cli_error("--modality '%s': expected asserted, reported, intended, "
                          "hypothetical or negated (comma-separated)", optarg);
                return EXIT_USAGE;
            }
            break;
        case 'f':
            if (strcmp(optarg, "text") == 0)
                o.json = 0;
            else if (strcmp(optarg, "jsonl") == 0 || strcmp(optarg, "json") == 0)
                o.json = 1;
            else {
                cli_error("--format must be text or jsonl, not '%s'", optarg);
                return EXIT_USAGE;
            }
            break;
        case OPT_DB: target = optarg; break;
        case 'h': usage_alerts(stdout); return EXIT_OK;
        default: usage_alerts(stderr); return EXIT_USAGE;
        }
    }
    if (!target && optind < argc)
        target = argv[optind++];
    if (!target || optind < argc) {
        cli_error(target ? "unexpected argument '%s'" : "alerts needs a store: dyad alerts DB%s",
                  target ? argv[optind] : "");
        return EXIT_USAGE;
    }
    char err[1024];
    store *s = store_open(target, err, sizeof err);
    if (!s) {
        cli_error("%s", err);
        return EXIT_FATAL;
    }
    int rc = EXIT_OK;
    long total = 0;
    if (flt.dyad_a) {
        total = alerts_for(s, &o, flt, by, (int)window, k, min_events, err, sizeof err);
    } else {
        dyad_pair *pairs;
        size_t n;
        if (series_dyads(s, &flt, min_dyad, &pairs, &n, err, sizeof err)) {
            total = -1;
        } else {
            for (size_t i = 0; i < n && total >= 0; i++) {
                event_filter one = flt;
                one.dyad_a = pairs[i].a;
                one.dyad_b = pairs[i].b;
                long got = alerts_for(s, &o, one, by, (int)window, k, min_events, err, sizeof err);
                total = got < 0 ? -1 : total + got;
            }
            free(pairs);
        }
    }
    if (total < 0) {
        cli_error("%s", err);
        rc = EXIT_FATAL;
    }
    if (fflush(stdout) != 0 || ferror(stdout)) {
        cli_error("writing output failed: %s", strerror(errno ? errno : EIO));
        rc = EXIT_FATAL;
    }
    store_close(s);
    return rc;
}
