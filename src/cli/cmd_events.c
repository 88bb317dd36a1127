/*
 * cmd_events.c - `dyad events`: stored events, filtered, in the format an
 * analysis script expects.
 *
 * Options map one to one onto event_filter (src/store/query.h); the output
 * formats are src/store/evout.c's.  Output streams row by row from the
 * database cursor, so exporting a whole store takes constant memory.
 * --quotes lists the stored quotations instead, as `dyad code --quotes`
 * writes them (the same switch on the same command: the store's copy of
 * what dyad code wrote); only the filters that mean something for a
 * quotation apply.
 */
#include "cli/cli.h"
#include "core/doc.h"
#include "store/evout.h"
#include "store/query.h"
#include "store/store.h"

#include <getopt.h>
#include <stdlib.h>
#include <errno.h>
#include <string.h>

void usage_events(FILE *f)
{
    fputs("usage: dyad events [OPTIONS] DB\n"
          "\n"
          "Writes the events stored in DB (an SQLite file or a postgresql:// URI) in corpus\n"
          "order.  Actor codes match by prefix: MEX matches MEX, MEXGOV, MEXCOP.\n"
          "\n"
          "Filters (all given must hold):\n"
          "  -A, --actor CODE       source or target starts with CODE\n"
          "  -y, --dyad A,B         events between A and B, in either direction\n"
          "      --directed         with --dyad: only A -> B\n"
          "  -c, --code CODE        CAMEO code prefix (12 matches 12, 121, 1211)\n"
          "  -r, --root NN          CAMEO root, two digits\n"
          "      --quad LIST        quad classes, e.g. 3,4 (conflict)\n"
          "      --from DATE        on or after YYYY-MM-DD\n"
          "      --to DATE          on or before YYYY-MM-DD\n"
          "  -m, --modality LIST    e.g. asserted,reported\n"
          "  -t, --text WORDS       sentence contains WORDS (full-text phrase search)\n"
          "      --doc ID           events of one document\n"
          "  -n, --limit N          at most N events\n"
          "      --offset N         skip the first N events (pages: --limit 50 --offset 100)\n"
          "Output:\n"
          "  -f, --format FMT       jsonl (default, as dyad code writes), csv, tsv,\n"
          "                         gdelt (GDELT 2.0, 61 columns), phoenix (26 columns)\n"
          "  -Q, --quotes           the stored quotations instead of events, as\n"
          "                         dyad code --quotes writes them (JSON Lines); filters:\n"
          "                         --actor (speaker), --from/--to (story date), --doc,\n"
          "                         --limit, --offset\n"
          "      --db TARGET        the store, instead of the DB argument\n"
          "  -h, --help             this help\n"
          "\n"
          "Exit status: 0 done; 2 usage error; 3 the store could not be read or output\n"
          "failed.\n",
          f);
}

static int parse_int64(const char *s, int64_t *out)
{
    char *end;
    long long v = strtoll(s, &end, 10);
    if (!*s || *end || v < 0)
        return -1;
    *out = v;
    return 0;
}

/* --quotes: the stored quotations that pass the filters, as JSON Lines. */
static int list_quotes(store *s, const event_filter *flt)
{
    quote_filter qf = {flt->actor, flt->from, flt->to, flt->doc, flt->limit, flt->offset};
    char err[1024];
    quote_cursor *cur = quotes_query(s, &qf, err, sizeof err);
    if (!cur) {
        cli_error("%s", err);
        return EXIT_FATAL;
    }
    int rc = EXIT_OK, got;
    store_quote q;
    while ((got = quotes_next(cur, &q, err, sizeof err)) == 1) {
        evout_quote_json(stdout, &q);
        if (ferror(stdout))
            break;
    }
    if (got < 0) {
        cli_error("%s", err);
        rc = EXIT_FATAL;
    }
    quotes_close(cur);
    if (fflush(stdout) != 0 || ferror(stdout)) {
        cli_error("writing output failed: %s", strerror(errno ? errno : EIO));
        rc = EXIT_FATAL;
    }
    return rc;
}

int cmd_events(int argc, char **argv)
{
    enum { OPT_DIRECTED = 256, OPT_QUAD, OPT_FROM, OPT_TO, OPT_DOC, OPT_OFFSET, OPT_DB };
    static const struct option opts[] = {
        {"actor", required_argument, NULL, 'A'},  {"dyad", required_argument, NULL, 'y'},
        {"directed", no_argument, NULL, OPT_DIRECTED},
        {"code", required_argument, NULL, 'c'},   {"root", required_argument, NULL, 'r'},
        {"quad", required_argument, NULL, OPT_QUAD},
        {"from", required_argument, NULL, OPT_FROM}, {"to", required_argument, NULL, OPT_TO},
        {"modality", required_argument, NULL, 'm'}, {"text", required_argument, NULL, 't'},
        {"doc", required_argument, NULL, OPT_DOC}, {"limit", required_argument, NULL, 'n'},
        {"offset", required_argument, NULL, OPT_OFFSET},
        {"format", required_argument, NULL, 'f'}, {"db", required_argument, NULL, OPT_DB},
        {"quotes", no_argument, NULL, 'Q'},
        {"help", no_argument, NULL, 'h'},         {NULL, 0, NULL, 0}};
    event_filter flt = {0};
    flt.limit = -1;
    char actor[ACTOR_MAX + 1], dyad_a[ACTOR_MAX + 1], dyad_b[ACTOR_MAX + 1];
    const char *target = NULL;
    int format = EVOUT_JSONL, quotes = 0;
    const char *event_only = NULL; /* an event filter given (refused with --quotes) */
    int c;
    optind = 1;
    while ((c = getopt_long(argc, argv, "A:y:c:r:m:t:n:f:Qh", opts, NULL)) != -1) {
        switch (c) {
        case 'y': event_only = "--dyad"; break;
        case OPT_DIRECTED: event_only = "--directed"; break;
        case 'c': event_only = "--code"; break;
        case 'r': event_only = "--root"; break;
        case OPT_QUAD: event_only = "--quad"; break;
        case 'm': event_only = "--modality"; break;
        case 't': event_only = "--text"; break;
        default: break;
        }
        switch (c) {
        case 'A':
            if (query_actor_code(optarg, actor)) {
                cli_error("--actor '%s': expected a CAMEO actor code (letters, digits, -)", optarg);
                return EXIT_USAGE;
            }
            flt.actor = actor;
            break;
        case 'y':
            if (query_dyad(optarg, dyad_a, dyad_b)) {
                cli_error("--dyad '%s': expected two actor codes A,B (e.g. USA,MEX)", optarg);
                return EXIT_USAGE;
            }
            flt.dyad_a = dyad_a;
            flt.dyad_b = dyad_b;
            break;
        case OPT_DIRECTED: flt.directed = 1; break;
        case 'c':
            if (strlen(optarg) < 2 || strlen(optarg) > 4 ||
                strspn(optarg, "0123456789") != strlen(optarg)) {
                cli_error("--code '%s': expected a CAMEO code of 2 to 4 digits", optarg);
                return EXIT_USAGE;
            }
            flt.code = optarg;
            break;
        case 'r':
            if (strlen(optarg) != 2 || strspn(optarg, "0123456789") != 2) {
                cli_error("--root '%s': expected two digits, e.g. 14", optarg);
                return EXIT_USAGE;
            }
            flt.root = optarg;
            break;
        case OPT_QUAD:
            if (query_quads(optarg, &flt.quads)) {
                cli_error("--quad '%s': expected quad classes 1-4, e.g. 3,4", optarg);
                return EXIT_USAGE;
            }
            break;
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
        case 't':
            if (strlen(optarg) > 1000) {
                cli_error("--text: at most 1000 bytes");
                return EXIT_USAGE;
            }
            flt.text = optarg;
            break;
        case OPT_DOC: flt.doc = optarg; break;
        case 'n':
        case OPT_OFFSET:
            if (parse_int64(optarg, c == 'n' ? &flt.limit : &flt.offset)) {
                cli_error("--%s '%s': expected a count >= 0", c == 'n' ? "limit" : "offset",
                          optarg);
                return EXIT_USAGE;
            }
            break;
        case 'f':
            if ((format = evout_parse(optarg)) < 0) {
                cli_error("--format must be jsonl, csv, tsv, gdelt or phoenix, not '%s'", optarg);
                return EXIT_USAGE;
            }
            break;
        case OPT_DB: target = optarg; break;
        case 'Q': quotes = 1; break;
        case 'h': usage_events(stdout); return EXIT_OK;
        default: usage_events(stderr); return EXIT_USAGE;
        }
    }
    if (!target && optind < argc)
        target = argv[optind++];
    if (!target || optind < argc) {
        cli_error(target ? "unexpected argument '%s'" : "events needs a store: dyad events DB%s",
                  target ? argv[optind] : "");
        return EXIT_USAGE;
    }
    if (quotes && event_only) {
        cli_error("%s filters events: with --quotes only --actor (the speaker), --from, --to, "
                  "--doc, --limit and --offset apply", event_only);
        return EXIT_USAGE;
    }
    if (quotes && format != EVOUT_JSONL) {
        cli_error("--quotes writes JSON Lines only");
        return EXIT_USAGE;
    }
    char err[1024];
    store *s = store_open(target, err, sizeof err);
    if (!s) {
        cli_error("%s", err);
        return EXIT_FATAL;
    }
    if (quotes) {
        int rc = list_quotes(s, &flt);
        store_close(s);
        return rc;
    }
    event_cursor *cur = events_query(s, &flt, err, sizeof err);
    int rc = EXIT_OK;
    if (!cur) {
        cli_error("%s", err);
        rc = EXIT_FATAL;
    } else {
        evout_header(stdout, format);
        store_event e;
        int got;
        while ((got = events_next(cur, &e, err, sizeof err)) == 1) {
            evout_write(stdout, format, &e);
            if (ferror(stdout))
                break;
        }
        if (got < 0) {
            cli_error("%s", err);
            rc = EXIT_FATAL;
        }
        events_close(cur);
        if (fflush(stdout) != 0 || ferror(stdout)) {
            cli_error("writing output failed: %s", strerror(errno ? errno : EIO));
            rc = EXIT_FATAL;
        }
    }
    store_close(s);
    return rc;
}
