/*
 * cmd_ingest.c - `dyad ingest`: code a corpus into the event store.
 *
 * The command is glue: options, the dictionary, directory expansion, a
 * progress line, and the summary.  The pipeline itself (threads, order,
 * batches, idempotence) lives in src/store/ingest.c so tests can drive it.
 * The progress line is drawn only when stderr is a terminal, at most five
 * times a second, so logs and pipes stay clean.
 */
#include "cli/cli.h"
#include "core/doc.h"
#include "dyad.h"
#include "io/reader.h"
#include "store/ingest.h"
#include "store/input.h"
#include "store/store.h"

#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

void usage_ingest(FILE *f)
{
    fputs("usage: dyad ingest [OPTIONS] DB [INPUT...]\n"
          "       dyad ingest --events [OPTIONS] DB [EVENTS.jsonl...]\n"
          "\n"
          "Codes documents and stores documents, sentences and events in DB, an SQLite\n"
          "file (created if missing) or a postgresql:// URI.  INPUT is JSON Lines\n"
          "documents, a plain-text file, a directory (its *.txt and *.jsonl files,\n"
          "recursively), or '-' for standard input (the default); gzip and zstd input is\n"
          "recognised and decompressed.  Ingest is idempotent by document id: known\n"
          "documents are skipped, changed ones (different content) replace their events,\n"
          "so an interrupted ingest is completed by running it again.\n"
          "\n"
          "Options:\n"
          "  -e, --events           INPUT is dyad JSON Lines event output (pre-coded events,\n"
          "                         grouped by document); nothing is coded\n"
          "  -j, --jobs N           coding threads (default 1; 0 = one per CPU)\n"
          "  -d, --date YYYY-MM-DD  publication date of plain text and of records without\n"
          "                         \"date\" (plain text may also carry it in its path)\n"
          "  -i, --input auto|jsonl|text  document input format (default auto)\n"
          "  -D, --dict DIR         dictionary directory (default: dyad's own)\n"
          "  -M, --models DIR       tagger and parser models (default: data/models)\n"
          "      --accurate         beam-search parser (parser-beam.bin): more accurate, slower\n"
          "  -P, --no-parse         code without tagging and parsing (faster, less accurate)\n"
          "  -a, --all-modalities   also store negated, hypothetical and intended events\n"
          "  -b, --batch N          documents per transaction (default 1000; with --events\n"
          "                         10000 event groups)\n"
          "      --db TARGET        the store, instead of the DB argument\n"
          "  -q, --quiet            no progress line and no summary\n"
          "  -h, --help             this help\n"
          "\n"
          "Exit status: 0 all input stored; 1 some records were rejected (reported as\n"
          "file:line: reason, the rest was stored); 2 usage error; 3 the store or the\n"
          "dictionaries could not be used.\n",
          f);
}

typedef struct progress_state {
    double start, last;
    int drawn;
} progress_state;

static double now_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void draw_progress(void *arg, const ingest_stats *st)
{
    progress_state *p = arg;
    double t = now_seconds();
    if (t - p->last < 0.2)
        return;
    p->last = t;
    double el = t - p->start;
    double rate = el > 0 ? (double)st->records / el : 0;
    char eta[64] = "";
    if (st->bytes_total && st->bytes_done && st->bytes_done <= st->bytes_total) {
        double frac = (double)st->bytes_done / (double)st->bytes_total;
        double left = frac > 0 ? el * (1 - frac) / frac : 0;
        snprintf(eta, sizeof eta, "  %3.0f%%  ETA %d:%02d", frac * 100, (int)left / 60,
                 (int)left % 60);
    }
    fprintf(stderr, "\r\033[K  %llu documents  %.0f docs/s  %llu events%s",
            (unsigned long long)st->records, rate, (unsigned long long)st->events, eta);
    fflush(stderr);
    p->drawn = 1;
}

static void report_line(void *arg, const char *msg)
{
    progress_state *p = arg;
    if (p && p->drawn) {
        fputs("\r\033[K", stderr); /* the message gets its own line */
        p->drawn = 0;
    }
    cli_error("%s", msg);
}

static int parse_count(const char *s, long lo, long hi, long *out)
{
    char *end;
    long v = strtol(s, &end, 10);
    if (!*s || *end || v < lo || v > hi)
        return -1;
    *out = v;
    return 0;
}

int cmd_ingest(int argc, char **argv)
{
    enum { OPT_DB = 256 };
    static const struct option opts[] = {
        {"events", no_argument, NULL, 'e'},         {"jobs", required_argument, NULL, 'j'},
        {"date", required_argument, NULL, 'd'},     {"input", required_argument, NULL, 'i'},
        {"dict", required_argument, NULL, 'D'},     {"all-modalities", no_argument, NULL, 'a'},
        {"batch", required_argument, NULL, 'b'},    {"db", required_argument, NULL, OPT_DB},
        {"models", required_argument, NULL, 'M'},   {"no-parse", no_argument, NULL, 'P'},
        {"accurate", no_argument, NULL, 'A'},
        {"quiet", no_argument, NULL, 'q'},          {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0}};
    ingest_opts io = {0};
    io.input_format = READ_AUTO;
    const char *dict_dir = NULL, *model_dir = NULL, *target = NULL;
    int accurate = 0;
    int quiet = 0, no_parse = 0;
    long v;
    int c;
    optind = 1;
    while ((c = getopt_long(argc, argv, "ej:d:i:D:M:Pab:qh", opts, NULL)) != -1) {
        switch (c) {
        case 'e': io.events_mode = 1; break;
        case 'j':
            if (parse_count(optarg, 0, 256, &v)) {
                cli_error("--jobs must be 0..256, not '%s'", optarg);
                return EXIT_USAGE;
            }
            io.jobs = v ? (int)v : (int)sysconf(_SC_NPROCESSORS_ONLN);
            break;
        case 'd':
            if (!date_parse(optarg, strlen(optarg))) {
                cli_error("--date '%s' is not a valid YYYY-MM-DD date", optarg);
                return EXIT_USAGE;
            }
            io.date = optarg;
            break;
        case 'i':
            if (strcmp(optarg, "auto") == 0)
                io.input_format = READ_AUTO;
            else if (strcmp(optarg, "jsonl") == 0)
                io.input_format = READ_JSONL;
            else if (strcmp(optarg, "text") == 0)
                io.input_format = READ_TEXT;
            else {
                cli_error("--input must be auto, jsonl or text, not '%s'", optarg);
                return EXIT_USAGE;
            }
            break;
        case 'D': dict_dir = optarg; break;
        case 'M': model_dir = optarg; break;
        case 'A': accurate = 1; break;
        case 'P': no_parse = 1; break;
        case 'a': io.code_flags |= DYAD_ALL_MODALITIES; break;
        case 'b':
            if (parse_count(optarg, 1, 10000000, &v)) {
                cli_error("--batch must be 1..10000000, not '%s'", optarg);
                return EXIT_USAGE;
            }
            io.batch_docs = (size_t)v;
            break;
        case OPT_DB: target = optarg; break;
        case 'q': quiet = 1; break;
        case 'h': usage_ingest(stdout); return EXIT_OK;
        default: usage_ingest(stderr); return EXIT_USAGE;
        }
    }
    if (cli_opt_accurate(accurate, no_parse))
        return EXIT_USAGE;
    if (!target) {
        if (optind >= argc) {
            cli_error("ingest needs a store: dyad ingest DB [INPUT...]");
            usage_ingest(stderr);
            return EXIT_USAGE;
        }
        target = argv[optind++];
    }
    static char *stdin_only[] = {"-"};
    char **args = optind < argc ? argv + optind : stdin_only;
    size_t nargs = optind < argc ? (size_t)(argc - optind) : 1;

    char err[1024];
    input_list inputs;
    if (input_expand(args, nargs, &inputs, err, sizeof err)) {
        cli_error("%s", err);
        return EXIT_REJECTED;
    }
    dyad_dict *dict = NULL;
    dyad_model *model = NULL;
    if (!io.events_mode) {
        dict = cli_dict_load(dict_dir ? dict_dir : default_dict_dir(), 0, err, sizeof err);
        if (!dict) {
            cli_error("%s", err);
            input_list_free(&inputs);
            return EXIT_FATAL;
        }
        if (!no_parse &&
            !(model = cli_models_load(model_dir, accurate, err, sizeof err))) {
            cli_error("%s (use --no-parse to code without the parser)", err);
            dyad_dict_free(dict);
            input_list_free(&inputs);
            return EXIT_FATAL;
        }
    }
    store *s = store_open(target, err, sizeof err);
    if (!s) {
        cli_error("%s", err);
        dyad_model_free(model);
        dyad_dict_free(dict);
        input_list_free(&inputs);
        return EXIT_FATAL;
    }
    progress_state ps = {now_seconds(), 0, 0};
    io.dict = dict;
    io.model = model;
    io.bytes_total = inputs.total_bytes;
    /* a load into an empty SQLite store builds the dyad indexes at the end */
    io.bulk = 1;
    io.report = report_line;
    io.report_arg = &ps;
    if (!quiet && isatty(STDERR_FILENO)) {
        io.progress = draw_progress;
        io.progress_arg = &ps;
    }
    int fatal = 0;
    ingest *g = ingest_new(s, &io, err, sizeof err);
    if (!g) {
        fatal = 1;
    } else {
        for (size_t i = 0; i < inputs.n && !fatal; i++)
            fatal = ingest_path(g, inputs.paths[i], err, sizeof err) != 0;
        if (!fatal)
            fatal = ingest_finish(g, err, sizeof err) != 0;
    }
    if (ps.drawn)
        fputs("\r\033[K", stderr);
    if (fatal)
        cli_error("%s: %s", store_is_postgres(s) ? "PostgreSQL store" : target, err);
    int rejected = 0;
    if (g) {
        const ingest_stats *st = ingest_get_stats(g);
        rejected = st->docs_rejected > 0;
        double el = now_seconds() - ps.start;
        if (!quiet)
            fprintf(stderr,
                    "dyad ingest: %llu %s read, %llu new, %llu changed, %llu unchanged, "
                    "%llu rejected; %llu events stored in %.1f s (%.0f %s/s)\n",
                    (unsigned long long)st->records,
                    io.events_mode ? "documents (event groups)" : "documents",
                    (unsigned long long)st->docs_new, (unsigned long long)st->docs_changed,
                    (unsigned long long)st->docs_same, (unsigned long long)st->docs_rejected,
                    (unsigned long long)st->events, el,
                    el > 0 ? (double)(io.events_mode ? st->events : st->records) / el : 0.0,
                    io.events_mode ? "events" : "documents");
    }
    ingest_free(g);
    store_close(s);
    dyad_model_free(model);
    dyad_dict_free(dict);
    input_list_free(&inputs);
    if (fatal)
        return EXIT_FATAL;
    return rejected ? EXIT_REJECTED : EXIT_OK;
}
