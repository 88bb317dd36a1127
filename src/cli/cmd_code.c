/*
 * cmd_code.c - `dyad code`: documents in, events out.
 *
 * A pure streaming filter: it keeps no state between documents, so it can be
 * run in parallel over shards of a corpus (GNU parallel, Spark RDD.pipe,
 * Hadoop Streaming) and the outputs concatenated.
 */
#include "cli/cli.h"
#include "core/doc.h"
#include "dict/intern.h"
#include "dyad.h"
#include "io/reader.h"
#include "out/writer.h"

#include <getopt.h>
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
          "  -M, --models DIR       tagger and parser models (default: data/models)\n"
          "  -P, --no-parse         code on the token sequence, without tagging and parsing\n"
          "                         (faster, less accurate: nearest actors, not syntax)\n"
          "  -a, --all-modalities   also output negated, hypothetical and intended events\n"
          "  -1, --one-a-day        keep one event per (event date, source, target, code)\n"
          "                         over the whole input, as Phoenix does across stories\n"
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

int cmd_code(int argc, char **argv)
{
    static const struct option opts[] = {
        {"date", required_argument, NULL, 'd'},   {"format", required_argument, NULL, 'f'},
        {"input", required_argument, NULL, 'i'},  {"dict", required_argument, NULL, 'D'},
        {"all-modalities", no_argument, NULL, 'a'}, {"quiet", no_argument, NULL, 'q'},
        {"models", required_argument, NULL, 'M'}, {"no-parse", no_argument, NULL, 'P'},
        {"quotes", no_argument, NULL, 'Q'},        {"one-a-day", no_argument, NULL, '1'},
        {"help", no_argument, NULL, 'h'},         {NULL, 0, NULL, 0}};
    const char *date = NULL, *dict_dir = NULL, *model_dir = NULL;
    int no_parse = 0, quotes = 0, one_a_day = 0;
    int format = OUT_JSONL, input = READ_AUTO, quiet = 0;
    unsigned flags = 0;
    int c;
    optind = 1;
    while ((c = getopt_long(argc, argv, "d:f:i:D:M:PQ1aqh", opts, NULL)) != -1) {
        switch (c) {
        case 'd':
            if (!date_parse(optarg, strlen(optarg))) {
                cli_error("--date '%s' is not a valid YYYY-MM-DD date", optarg);
                return EXIT_USAGE;
            }
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
            if (strcmp(optarg, "auto") == 0)
                input = READ_AUTO;
            else if (strcmp(optarg, "jsonl") == 0)
                input = READ_JSONL;
            else if (strcmp(optarg, "text") == 0)
                input = READ_TEXT;
            else {
                cli_error("--input must be auto, jsonl or text, not '%s'", optarg);
                return EXIT_USAGE;
            }
            break;
        case 'D': dict_dir = optarg; break;
        case 'M': model_dir = optarg; break;
        case 'P': no_parse = 1; break;
        case 'Q': quotes = 1; break;
        case '1': one_a_day = 1; break;
        case 'a': flags |= DYAD_ALL_MODALITIES; break;
        case 'q': quiet = 1; break;
        case 'h': usage_code(stdout); return EXIT_OK;
        default: usage_code(stderr); return EXIT_USAGE;
        }
    }
    char err[1024];
    if (!dict_dir)
        dict_dir = default_dict_dir();
    dyad_dict *d = dyad_dict_load(dict_dir, err, sizeof err);
    if (!d) {
        cli_error("%s", err);
        return EXIT_FATAL;
    }
    dyad_model *model = NULL;
    if (!no_parse) {
        model = dyad_model_load(model_dir ? model_dir : cli_model_dir(), err, sizeof err);
        if (!model) {
            cli_error("%s (use --no-parse to code without the parser)", err);
            dyad_dict_free(d);
            return EXIT_FATAL;
        }
    }
    dyad_doc *doc = dyad_doc_new();
    if (!doc) {
        dyad_dict_free(d);
        dyad_model_free(model);
        cli_error("out of memory");
        return EXIT_FATAL;
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
        dyad_doc_free(doc);
        dyad_dict_free(d);
        dyad_model_free(model);
        return EXIT_USAGE;
    }
    if (!quotes)
        write_header(stdout, format);
    for (int fi = 0; fi < nfiles && !fatal; fi++) {
        doc_reader r;
        if (reader_open(&r, files[fi], input, date, err, sizeof err)) {
            cli_error("%s", err);
            nerrors++;
            continue;
        }
        for (;;) {
            int rc = reader_next(&r, doc, err, sizeof err);
            if (rc == 0)
                break;
            if (rc < 0) {
                cli_error("%s", err);
                nerrors++;
                if (rc == -2)
                    break;
                continue;
            }
            if ((model && dyad_tag_parse(model, doc, err, sizeof err)) ||
                dyad_code(d, doc, flags, err, sizeof err)) {
                cli_error("%s:%ld: %s", r.name, r.line, err);
                nerrors++;
                continue;
            }
            if (one_a_day && seen_filter(&seen, doc)) {
                cli_error("out of memory");
                fatal = 1;
                break;
            }
            if (quotes)
                write_quotes(stdout, doc);
            else
                write_events(stdout, format, doc);
            ndocs++;
            nsents += dyad_doc_nsentences(doc);
            nevents += dyad_doc_nevents(doc);
        }
        reader_close(&r);
        if (ferror(stdout))
            fatal = 1;
    }
    if (fflush(stdout) != 0 || ferror(stdout)) {
        cli_error("writing output failed");
        fatal = 1;
    }
    if (!quiet)
        fprintf(stderr, "dyad code: %zu documents, %zu sentences, %zu events, %zu errors\n",
                ndocs, nsents, nevents, nerrors);
    intern_free(&seen);
    arena_free(&seen_mem);
    dyad_doc_free(doc);
    dyad_dict_free(d);
    dyad_model_free(model);
    if (fatal)
        return EXIT_FATAL;
    return nerrors ? EXIT_REJECTED : EXIT_OK;
}
