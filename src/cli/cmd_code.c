/*
 * cmd_code.c - `dyad code`: documents in, events out.
 *
 * A pure streaming filter: it keeps no state between documents, so it can be
 * run in parallel over shards of a corpus (GNU parallel, Spark RDD.pipe,
 * Hadoop Streaming) and the outputs concatenated.
 *
 * Output errors: standard output is checked after every document (ferror
 * after the writes; stdio reports a failed write when its buffer is flushed,
 * so at most one buffer, 4 KiB, after the first byte that could not be
 * written).  The first failure stops the run with "writing output failed:
 * <reason>" and status 3, without the summary line, whose counts would claim
 * events that never reached the output; the documents after it are not
 * coded at all (a full disk costs no further work).  A per-document fflush
 * would find the failure one buffer sooner but costs a write(2) per document
 * (a million documents: a million system calls), for no gain in what is
 * reported: the output is cut either way.
 */
#include "cli/cli.h"
#include "core/doc.h"
#include "dict/dict.h"
#include "dict/intern.h"
#include "dyad.h"
#include "io/reader.h"
#include "out/writer.h"

#include <errno.h>
#include <getopt.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

void usage_code(FILE *f)
{
    fputs("usage: dyad code [OPTIONS] [FILE...]\n"
          "\n"
          "Codes news documents into political events, one JSON object per line.\n"
          "FILE is JSON Lines ({\"id\",\"date\",\"source\",\"title\",\"text\"} per line; *.jsonl,\n"
          "*.ndjson, *.json) or plain text (one document per file).  With no FILE, or\n"
          "FILE '-', standard input is read (JSON Lines if it starts with '{').\n"
          "\n"
          "Options:\n"
          "  -d, --date YYYY-MM-DD  publication date for plain text and for records\n"
          "                         without a \"date\" field\n"
          "  -f, --format jsonl|tsv output format (default jsonl)\n"
          "  -i, --input auto|jsonl|text  input format (default auto)\n"
          "  -D, --dict DIR         dictionary directory (default: dyad's own, data/dict)\n"
          "  -F, --dict-format native|petrarch  the format of --dict (default native);\n"
          "                         petrarch reads a PETRARCH2 set such as the Phoenix\n"
          "                         dictionaries (*actors*.txt, *agents*.txt, CAMEO*.txt,\n"
          "                         *discards*.txt)\n"
          "  -M, --models DIR       tagger and parser models (default: data/models)\n"
          "      --accurate         beam-search parser (parser-beam.bin): more accurate, slower\n"
          "  -P, --no-parse         code on the token sequence, without tagging and parsing\n"
          "                         (faster, less accurate: nearest actors, not syntax)\n"
          "  -a, --all-modalities   also output negated, hypothetical and intended events\n"
          "  -1, --one-a-day        keep one event per (event date, source, target, code)\n"
          "                         over the whole input, as Phoenix does across stories\n"
          "  -j, --jobs N           code with N threads (default 1); output keeps the input\n"
          "                         order\n"
          "  -Q, --quotes           output the quotations and their speakers instead of\n"
          "                         events (JSON Lines)\n"
          "  -q, --quiet            no summary on standard error\n"
          "  -h, --help             this help\n"
          "\n"
          "Exit status: 0 all input coded; 1 some documents were rejected (each is\n"
          "reported as file:line: reason, the others are coded); 2 usage error;\n"
          "3 dictionaries could not be loaded or output failed.\n",
          f);
}

/* The one-a-day filter: drops the events of doc whose (event date, source,
 * target, code) an earlier document of the run already had. */
static int seen_filter(intern *seen, dyad_doc *doc)
{
    size_t kept = 0;
    for (size_t i = 0; i < doc->nevents; i++) {
        const dyad_event *e = &doc->events[i];
        char key[256];
        int n = snprintf(key, sizeof key, "%s|%s|%s|%s", e->event_date, e->source, e->target,
                         e->code);
        if (n > 0 && (size_t)n < sizeof key) {
            if (intern_get(seen, key, (size_t)n))
                continue;
            if (!intern_put(seen, key, (size_t)n))
                return -1;
        }
        doc->events[kept++] = *e;
    }
    doc->nevents = kept;
    return 0;
}

/* ---------------------------------------------------------------------- */
/* the coding loop: one thread, or a pool of workers with ordered output    */

typedef struct run_ctx {
    const dyad_dict *d;
    const dyad_model *model;
    unsigned flags;
    int format, quotes, one_a_day;
    intern *seen;
    size_t ndocs, nsents, nevents, nerrors;
    int fatal;
    int write_errno; /* the errno of the first failed write; -1: failed, reason unknown */
} run_ctx;

/* Records the first write failure on stdout; returns 1 when output has failed.
 * errno is read right after the writes, before any other call can change it. */
static int output_failed(run_ctx *rx)
{
    if (!rx->write_errno && ferror(stdout)) {
        rx->write_errno = errno ? errno : -1;
        rx->fatal = 1;
    }
    return rx->write_errno != 0;
}

/* Tags, parses and codes one document; 0 or -1 with err set. */
static int process(const run_ctx *rx, dyad_doc *doc, char *err, size_t errlen)
{
    return (rx->model && dyad_tag_parse(rx->model, doc, err, errlen)) ||
                   dyad_code(rx->d, doc, rx->flags, err, errlen)
               ? -1
               : 0;
}

/* Writes a coded document (in input order). */
static void emit(run_ctx *rx, dyad_doc *doc)
{
    if (rx->fatal)
        return; /* after a failure: nothing more is written (or counted) */
    if (rx->one_a_day && seen_filter(rx->seen, doc)) {
        cli_error("out of memory");
        rx->fatal = 1;
        return;
    }
    errno = 0;
    if (rx->quotes)
        write_quotes(stdout, doc);
    else
        write_events(stdout, rx->format, doc);
    if (output_failed(rx))
        return;
    rx->ndocs++;
    rx->nsents += dyad_doc_nsentences(doc);
    rx->nevents += dyad_doc_nevents(doc);
}

enum { SLOT_FREE, SLOT_FILLED, SLOT_DONE, SLOT_FAILED };

typedef struct slot {
    dyad_doc *doc;
    int state;
    const char *name;
    long line;
    char err[512];
} slot;

typedef struct pool {
    pthread_mutex_t mu;
    pthread_cond_t cv;
    slot *slots;
    size_t k;
    size_t filled;  /* documents handed to the workers so far */
    size_t taken;   /* documents a worker has started */
    int closing;
    const run_ctx *rx;
} pool;

static void *worker(void *arg)
{
    pool *p = arg;
    for (;;) {
        pthread_mutex_lock(&p->mu);
        while (!p->closing && p->taken == p->filled)
            pthread_cond_wait(&p->cv, &p->mu);
        if (p->taken == p->filled) {
            pthread_mutex_unlock(&p->mu);
            return NULL;
        }
        slot *s = &p->slots[p->taken++ % p->k];
        pthread_mutex_unlock(&p->mu);
        int rc = process(p->rx, s->doc, s->err, sizeof s->err);
        pthread_mutex_lock(&p->mu);
        s->state = rc ? SLOT_FAILED : SLOT_DONE;
        pthread_cond_broadcast(&p->cv);
        pthread_mutex_unlock(&p->mu);
    }
}

/* Writes the next finished document in input order; waits for it if block. */
static int drain(pool *p, run_ctx *rx, size_t *written, int block)
{
    slot *s = &p->slots[*written % p->k];
    pthread_mutex_lock(&p->mu);
    while (block && s->state != SLOT_DONE && s->state != SLOT_FAILED)
        pthread_cond_wait(&p->cv, &p->mu);
    int state = s->state;
    pthread_mutex_unlock(&p->mu);
    if (state != SLOT_DONE && state != SLOT_FAILED)
        return 0;
    if (state == SLOT_DONE) {
        emit(rx, s->doc);
    } else {
        cli_error("%s:%ld: %s", s->name, s->line, s->err);
        rx->nerrors++;
    }
    pthread_mutex_lock(&p->mu);
    s->state = SLOT_FREE;
    pthread_mutex_unlock(&p->mu);
    (*written)++;
    return 1;
}

static int run_files(run_ctx *rx, char **files, int nfiles, int input, const char *date,
                     size_t jobs)
{
    char err[1024];
    pool p;
    memset(&p, 0, sizeof p);
    p.k = jobs > 1 ? 4 * jobs : 1;
    p.rx = rx;
    p.slots = calloc(p.k, sizeof *p.slots);
    pthread_t *th = jobs > 1 ? calloc(jobs, sizeof *th) : NULL;
    size_t started = 0, written = 0;
    int rc = 0;
    if (!p.slots || (jobs > 1 && !th)) {
        cli_error("out of memory");
        free(p.slots);
        free(th);
        return -1;
    }
    for (size_t i = 0; i < p.k && rc == 0; i++)
        if (!(p.slots[i].doc = dyad_doc_new()))
            rc = -1;
    pthread_mutex_init(&p.mu, NULL);
    pthread_cond_init(&p.cv, NULL);
    for (size_t t = 0; jobs > 1 && t < jobs && rc == 0; t++) {
        if (pthread_create(&th[t], NULL, worker, &p) != 0)
            rc = -1;
        else
            started++;
    }
    if (rc)
        cli_error("cannot start the coding threads");
    for (int fi = 0; fi < nfiles && !rc && !rx->fatal; fi++) {
        doc_reader r;
        if (reader_open(&r, files[fi], input, date, err, sizeof err)) {
            cli_error("%s", err);
            rx->nerrors++;
            continue;
        }
        for (;;) {
            /* the slot for the next document must have been written out */
            while (jobs > 1 && p.filled - written >= p.k)
                drain(&p, rx, &written, 1);
            slot *s = &p.slots[p.filled % p.k];
            int n = reader_next(&r, s->doc, err, sizeof err);
            if (n == 0)
                break;
            if (n < 0) {
                cli_error("%s", err);
                rx->nerrors++;
                if (n == -2)
                    break;
                continue;
            }
            if (jobs == 1) {
                if (process(rx, s->doc, err, sizeof err)) {
                    cli_error("%s:%ld: %s", r.name, r.line, err);
                    rx->nerrors++;
                } else {
                    emit(rx, s->doc);
                }
            } else {
                s->name = r.name;
                s->line = r.line;
                pthread_mutex_lock(&p.mu);
                s->state = SLOT_FILLED;
                p.filled++;
                pthread_cond_broadcast(&p.cv);
                pthread_mutex_unlock(&p.mu);
                while (drain(&p, rx, &written, 0))
                    ;
            }
            if (rx->fatal)
                break;
        }
        reader_close(&r);
    }
    while (jobs > 1 && written < p.filled)
        drain(&p, rx, &written, 1);
    pthread_mutex_lock(&p.mu);
    p.closing = 1;
    pthread_cond_broadcast(&p.cv);
    pthread_mutex_unlock(&p.mu);
    for (size_t t = 0; t < started; t++)
        pthread_join(th[t], NULL);
    pthread_mutex_destroy(&p.mu);
    pthread_cond_destroy(&p.cv);
    for (size_t i = 0; i < p.k; i++)
        dyad_doc_free(p.slots[i].doc);
    free(p.slots);
    free(th);
    return rc;
}

int cmd_code(int argc, char **argv)
{
    static const struct option opts[] = {
        {"date", required_argument, NULL, 'd'},   {"format", required_argument, NULL, 'f'},
        {"input", required_argument, NULL, 'i'},  {"dict", required_argument, NULL, 'D'},
        {"all-modalities", no_argument, NULL, 'a'}, {"quiet", no_argument, NULL, 'q'},
        {"models", required_argument, NULL, 'M'}, {"no-parse", no_argument, NULL, 'P'},
        {"accurate", no_argument, NULL, 'A'},
        {"quotes", no_argument, NULL, 'Q'},        {"one-a-day", no_argument, NULL, '1'},
        {"jobs", required_argument, NULL, 'j'},    {"dict-format", required_argument, NULL, 'F'},
        {"help", no_argument, NULL, 'h'},         {NULL, 0, NULL, 0}};
    const char *date = NULL, *dict_dir = NULL, *model_dir = NULL;
    int accurate = 0;
    int no_parse = 0, quotes = 0, one_a_day = 0;
    long jobs = 1;
    int petrarch_dict = 0;
    int format = OUT_JSONL, input = READ_AUTO, quiet = 0;
    unsigned flags = 0;
    int c;
    optind = 1;
    while ((c = getopt_long(argc, argv, "d:f:i:D:F:M:PQ1j:aqh", opts, NULL)) != -1) {
        switch (c) {
        case 'd':
            if (cli_opt_date("date", optarg))
                return EXIT_USAGE;
            date = optarg;
            break;
        case 'f':
            if (strcmp(optarg, "jsonl") == 0 || strcmp(optarg, "json") == 0)
                format = OUT_JSONL;
            else if (strcmp(optarg, "tsv") == 0)
                format = OUT_TSV;
            else {
                cli_error("--format must be jsonl or tsv, not '%s'", optarg);
                return EXIT_USAGE;
            }
            break;
        case 'i':
            if (cli_opt_input(optarg, &input))
                return EXIT_USAGE;
            break;
        case 'D': dict_dir = optarg; break;
        case 'F':
            if (cli_opt_dict_format(optarg, &petrarch_dict))
                return EXIT_USAGE;
            break;
        case 'M': model_dir = optarg; break;
        case 'A': accurate = 1; break;
        case 'P': no_parse = 1; break;
        case 'Q': quotes = 1; break;
        case '1': one_a_day = 1; break;
        case 'j': {
            char *end;
            jobs = strtol(optarg, &end, 10);
            if (*end || jobs < 1 || jobs > 256) {
                cli_error("--jobs must be a number from 1 to 256, not '%s'", optarg);
                return EXIT_USAGE;
            }
            break;
        }
        case 'a': flags |= DYAD_ALL_MODALITIES; break;
        case 'q': quiet = 1; break;
        case 'h': usage_code(stdout); return EXIT_OK;
        default: usage_code(stderr); return EXIT_USAGE;
        }
    }
    if (cli_opt_accurate(accurate, no_parse))
        return EXIT_USAGE;
    char err[1024];
    if (petrarch_dict && !dict_dir) {
        cli_error("--dict-format petrarch needs --dict DIR");
        return EXIT_USAGE;
    }
    if (!dict_dir)
        dict_dir = default_dict_dir();
    dyad_dict *d = cli_dict_load(dict_dir, petrarch_dict, err, sizeof err);
    if (d && d->skipped && !quiet)
        cli_error("warning: %zu malformed dictionary entries skipped", d->skipped);
    if (!d) {
        cli_error("%s", err);
        return EXIT_FATAL;
    }
    dyad_model *model = NULL;
    if (!no_parse) {
        model = cli_models_load(model_dir, accurate, err, sizeof err);
        if (!model) {
            cli_error("%s (use --no-parse to code without the parser)", err);
            dyad_dict_free(d);
            return EXIT_FATAL;
        }
    }
    static char *stdin_only[] = {"-"};
    char **files = optind < argc ? argv + optind : stdin_only;
    int nfiles = optind < argc ? argc - optind : 1;
    size_t ndocs = 0, nsents = 0, nevents = 0, nerrors = 0;
    arena seen_mem;
    arena_init(&seen_mem, 0);
    intern seen;
    intern_init(&seen, &seen_mem);
    int fatal = 0;
    if (quotes && format != OUT_JSONL) {
        cli_error("--quotes writes JSON Lines only");
        dyad_dict_free(d);
        dyad_model_free(model);
        return EXIT_USAGE;
    }
    run_ctx rx = {d, model, flags, format, quotes, one_a_day, &seen, 0, 0, 0, 0, 0, 0};
    errno = 0;
    if (!quotes)
        write_header(stdout, format);
    if (!output_failed(&rx) && run_files(&rx, files, nfiles, input, date, (size_t)jobs))
        fatal = 1;
    ndocs = rx.ndocs;
    nsents = rx.nsents;
    nevents = rx.nevents;
    nerrors = rx.nerrors;
    fatal |= rx.fatal;
    errno = 0;
    (void)fflush(stdout); /* a failure sets the stream's error indicator */
    if (output_failed(&rx)) {
        fprintf(stderr, "dyad code: writing output failed: %s\n",
                rx.write_errno > 0 ? strerror(rx.write_errno) : "I/O error");
        fatal = 1;
    } else if (!quiet)
        fprintf(stderr, "dyad code: %zu documents, %zu sentences, %zu events, %zu errors\n",
                ndocs, nsents, nevents, nerrors);
    intern_free(&seen);
    arena_free(&seen_mem);
    dyad_dict_free(d);
    dyad_model_free(model);
    if (fatal)
        return EXIT_FATAL;
    return nerrors ? EXIT_REJECTED : EXIT_OK;
}
