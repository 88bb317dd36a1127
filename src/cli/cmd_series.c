/*
 * cmd_series.c - `dyad series`: a dyad's (or an actor's) events per day,
 * week or month by quad class, with Goldstein sum and mean, as CSV or JSON,
 * and optionally a chart of conflict and cooperation (SVG or PNG, chosen by
 * the file name's extension; anything else is a usage error rather than a
 * guess, so that `--plot chart` does not silently write SVG).
 *
 * Only asserted and reported events count by default: negated, intended and
 * hypothetical events (stored with `dyad ingest -a`) did not happen.
 */
#include "cli/cli.h"
#include "core/doc.h"
#include "series/series.h"
#include "store/query.h"
#include "store/store.h"

#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

void usage_series(FILE *f)
{
    fputs("usage: dyad series [OPTIONS] DB\n"
          "\n"
          "Counts stored events per period and quad class (verbal/material cooperation,\n"
          "verbal/material conflict) with the Goldstein sum and mean, for a dyad (either\n"
          "direction unless --directed), an actor, or everything.  Empty periods between\n"
          "the first and the last are listed with zero events.\n"
          "\n"
          "Options:\n"
          "  -y, --dyad A,B         actor code prefixes, e.g. USA,MEX\n"
          "      --directed         only A -> B\n"
          "  -A, --actor CODE       events with CODE as source or target\n"
          "  -b, --by day|week|month  period (default month; weeks start on Monday)\n"
          "      --from DATE, --to DATE  bounds (YYYY-MM-DD), also of the listed periods\n"
          "  -m, --modality LIST    modalities counted (default asserted,reported)\n"
          "  -f, --format csv|json  output (default csv)\n"
          "  -p, --plot FILE.svg|FILE.png  also draw conflict and cooperation over time\n"
          "      --scan             count from the events, not the per-day dyad summary\n"
          "                         (same figures, slower; for checking the summary)\n"
          "      --db TARGET        the store, instead of the DB argument\n"
          "  -h, --help             this help\n"
          "\n"
          "Exit status: 0 done; 2 usage error; 3 the store could not be read or output\n"
          "failed.\n",
          f);
}

int cmd_series(int argc, char **argv)
{
    enum { OPT_DIRECTED = 256, OPT_FROM, OPT_TO, OPT_DB, OPT_SCAN };
    static const struct option opts[] = {
        {"dyad", required_argument, NULL, 'y'},    {"directed", no_argument, NULL, OPT_DIRECTED},
        {"actor", required_argument, NULL, 'A'},   {"by", required_argument, NULL, 'b'},
        {"from", required_argument, NULL, OPT_FROM}, {"to", required_argument, NULL, OPT_TO},
        {"modality", required_argument, NULL, 'm'}, {"format", required_argument, NULL, 'f'},
        {"plot", required_argument, NULL, 'p'},    {"db", required_argument, NULL, OPT_DB},
        {"scan", no_argument, NULL, OPT_SCAN},     {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0}};
    event_filter flt = {0};
    flt.limit = -1;
    flt.modalities = 1u << DYAD_ASSERTED | 1u << DYAD_REPORTED;
    char a[ACTOR_MAX + 1], b[ACTOR_MAX + 1], actor[ACTOR_MAX + 1];
    const char *target = NULL, *plot = NULL;
    int by = BY_MONTH, json = 0, how = SERIES_AUTO, c;
    optind = 1;
    while ((c = getopt_long(argc, argv, "y:A:b:m:f:p:h", opts, NULL)) != -1) {
        switch (c) {
        case 'y':
            if (query_dyad(optarg, a, b)) {
                cli_error("--dyad '%s': expected two actor codes A,B (e.g. USA,MEX)", optarg);
                return EXIT_USAGE;
            }
            flt.dyad_a = a;
            flt.dyad_b = b;
            break;
        case OPT_DIRECTED: flt.directed = 1; break;
        case 'A':
            if (query_actor_code(optarg, actor)) {
                cli_error("--actor '%s': expected a CAMEO actor code (letters, digits, -)", optarg);
                return EXIT_USAGE;
            }
            flt.actor = actor;
            break;
        case 'b':
            if ((by = series_parse_by(optarg)) < 0) {
                cli_error("--by must be day, week or month, not '%s'", optarg);
                return EXIT_USAGE;
            }
            break;
        case OPT_FROM:
        case OPT_TO:
            if (!date_parse(optarg, strlen(optarg))) {
                cli_error("--%s '%s' is not a valid YYYY-MM-DD date",
                          c == OPT_FROM ? "from" : "to", optarg);
                return EXIT_USAGE;
            }
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
            if (strcmp(optarg, "csv") == 0)
                json = 0;
            else if (strcmp(optarg, "json") == 0)
                json = 1;
            else {
                cli_error("--format must be csv or json, not '%s'", optarg);
                return EXIT_USAGE;
            }
            break;
        case 'p': plot = optarg; break;
        case OPT_DB: target = optarg; break;
        case OPT_SCAN: how = SERIES_SCAN; break;
        case 'h': usage_series(stdout); return EXIT_OK;
        default: usage_series(stderr); return EXIT_USAGE;
        }
    }
    if (!target && optind < argc)
        target = argv[optind++];
    if (!target || optind < argc) {
        cli_error(target ? "unexpected argument '%s'" : "series needs a store: dyad series DB%s",
                  target ? argv[optind] : "");
        return EXIT_USAGE;
    }
    int png = 0;
    if (plot) {
        size_t n = strlen(plot);
        png = n > 4 && strcasecmp(plot + n - 4, ".png") == 0;
        if (!png && !(n > 4 && strcasecmp(plot + n - 4, ".svg") == 0)) {
            cli_error("--plot '%s': the file name must end in .svg or .png", plot);
            return EXIT_USAGE;
        }
    }
    if (flt.from && flt.to && strcmp(flt.from, flt.to) > 0) {
        cli_error("--from %s is after --to %s", flt.from, flt.to);
        return EXIT_USAGE;
    }
    char err[1024];
    store *s = store_open(target, err, sizeof err);
    if (!s) {
        cli_error("%s", err);
        return EXIT_FATAL;
    }
    series ser;
    int rc = EXIT_OK;
    if (series_query_how(s, &flt, by, how, &ser, err, sizeof err)) {
        cli_error("%s", err);
        store_close(s);
        return EXIT_FATAL;
    }
    char label[2 * ACTOR_MAX + 2];
    if (flt.dyad_a)
        snprintf(label, sizeof label, "%s,%s", flt.dyad_a, flt.dyad_b);
    else
        snprintf(label, sizeof label, "%s", flt.actor ? flt.actor : "");
    if (json)
        series_write_json(stdout, &ser, *label ? label : NULL, flt.directed);
    else
        series_write_csv(stdout, &ser);
    if (fflush(stdout) != 0 || ferror(stdout)) {
        cli_error("writing output failed: %s", strerror(errno ? errno : EIO));
        rc = EXIT_FATAL;
    }
    if (plot) {
        char title[400];
        if (flt.dyad_a)
            snprintf(title, sizeof title, "%s %s %s: cooperation and conflict per %s", flt.dyad_a,
                     flt.directed ? "\xe2\x86\x92" : "\xe2\x80\x93", flt.dyad_b,
                     series_by_name(by));
        else
            snprintf(title, sizeof title, "%s%scooperation and conflict per %s",
                     flt.actor ? flt.actor : "", flt.actor ? ": " : "", series_by_name(by));
        FILE *f = fopen(plot, "w");
        int bad = !f;
        if (f) {
            errno = 0;
            bad = (png ? series_write_png(f, &ser, title) : series_write_svg(f, &ser, title)) != 0;
            if (png)
                series_png_cleanup();
            bad |= fclose(f) != 0;
        }
        if (bad) {
            cli_error("%s: cannot write the plot: %s", plot,
                      errno ? strerror(errno) : "drawing failed");
            rc = EXIT_FATAL;
        }
    }
    series_free(&ser);
    store_close(s);
    return rc;
}
