/*
 * cmd_parse.c - dyad parse: raw text or JSONL documents -> CoNLL-U, and
 * dyad parse --eval GOLD.conllu: accuracy of the NLP stage against a treebank.
 *
 * The evaluation has two halves, as in the CoNLL 2018 shared task:
 *   - gold tokenization and sentences: the gold words are tagged and parsed
 *     and UPOS, XPOS, lemma, UAS and LAS are counted over all words;
 *   - raw text: the treebank's text (rebuilt by the CoNLL-U reader, with a
 *     blank line between paragraphs) goes through dyad's own tokenizer and
 *     sentence splitter, and tokens and sentences are matched to the gold
 *     ones by exact byte spans for precision, recall and F1.
 *
 * Output errors (as in dyad code): standard output is checked after every
 * document, and the first failed write stops the run with "dyad parse:
 * writing output failed: <reason>", status 3 and no summary line (its counts
 * would claim output that was lost).
 */
#include "cli/cli.h"

#include "core/doc.h"
#include "io/conllu.h"
#include "io/reader.h"
#include "parse/parser.h"
#include "tag/tagger.h"
#include "text/sbd.h"
#include "text/text.h"

#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

void usage_parse(FILE *f)
{
    fputs("usage: dyad parse [OPTIONS] [FILE...]\n"
          "       dyad parse --eval GOLD.conllu [-m DIR] [--accurate]\n\n"
          "Tokenizes, tags, lemmatizes and parses documents and writes CoNLL-U.\n"
          "FILE is JSON Lines ({\"id\",\"text\",...} per line; *.jsonl) or plain text;\n"
          "no FILE or '-' reads standard input.\n\n"
          "With --eval, scores the models against a CoNLL-U treebank: UPOS, XPOS,\n"
          "lemma, UAS and LAS on the gold tokenization, then token and sentence F1\n"
          "of dyad's own tokenizer and sentence splitter on the treebank's raw text.\n\n"
          "Options:\n"
          "  -m, --models DIR       model directory (default: $DYAD_MODELS, else\n"
          "                         data/models next to the executable)\n"
          "      --accurate         beam-search parser (parser-beam.bin): more accurate, slower\n"
          "  -i, --input auto|jsonl|text  input format (default auto)\n"
          "  -e, --eval GOLD        evaluate against GOLD.conllu\n"
          "  -q, --quiet            no summary on standard error\n",
          f);
}

static int has_models(const char *dir)
{
    char probe[PATH_MAX + 64];
    if ((size_t)snprintf(probe, sizeof probe, "%s/parser.bin", dir) >= sizeof probe)
        return 0;
    return access(probe, R_OK) == 0;
}

/* $DYAD_MODELS, else data/models of the source tree or installation. */
static const char *default_model_dir(void)
{
    static char buf[PATH_MAX + 32];
    const char *env = getenv("DYAD_MODELS");
    if (env && *env)
        return env;
    char exe[PATH_MAX];
    ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (n > 0) {
        exe[n] = '\0';
        char *slash = strrchr(exe, '/');
        if (slash) {
            *slash = '\0';
            static const char *const rel[] = {"/../data/models", "/../../data/models",
                                              "/../share/dyad/models"};
            for (size_t i = 0; i < sizeof rel / sizeof rel[0]; i++) {
                snprintf(buf, sizeof buf, "%s%s", exe, rel[i]);
                if (has_models(buf))
                    return buf;
            }
        }
    }
    return "data/models";
}

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

typedef struct prf {
    size_t gold, pred, match;
} prf;

static void print_prf(const char *what, const prf *x)
{
    double p = x->pred ? (double)x->match / (double)x->pred : 0;
    double r = x->gold ? (double)x->match / (double)x->gold : 0;
    double f = p + r > 0 ? 2 * p * r / (p + r) : 0;
    printf("%-10s P %6.2f%%  R %6.2f%%  F1 %6.2f%%  (gold %zu, dyad %zu)\n", what, 100 * p,
           100 * r, 100 * f, x->gold, x->pred);
}

/* Spans of both lists are in text order; count exact (start, end) matches. */
static void match_tokens(const dyad_doc *g, const dyad_doc *p, prf *x)
{
    size_t i = 0, j = 0;
    x->gold = g->ntoks;
    x->pred = p->ntoks;
    while (i < g->ntoks && j < p->ntoks) {
        const token *a = &g->toks[i], *b = &p->toks[j];
        if (a->start == b->start && a->end == b->end) {
            x->match++;
            i++;
            j++;
        } else if (a->start < b->start || (a->start == b->start && a->end < b->end)) {
            i++;
        } else {
            j++;
        }
    }
}

static void match_sentences(const dyad_doc *g, const dyad_doc *p, prf *x)
{
    size_t i = 0, j = 0;
    x->gold = g->nsents;
    x->pred = p->nsents;
    while (i < g->nsents && j < p->nsents) {
        const sentence *a = &g->sents[i], *b = &p->sents[j];
        if (a->start == b->start && a->end == b->end) {
            x->match++;
            i++;
            j++;
        } else if (a->start < b->start || (a->start == b->start && a->end < b->end)) {
            i++;
        } else {
            j++;
        }
    }
}

/* The learned splitter of the model directory, else the rules. */
static int split(const sbd *sp, dyad_doc *doc)
{
    return sp ? sbd_split(sp, doc) : text_split(doc);
}

/* Prints the sentences of gold and pred that differ (DYAD_SBD_DEBUG=1). */
static void show_sentence_diffs(const dyad_doc *g, const dyad_doc *p)
{
    size_t i = 0, j = 0;
    while (i < g->nsents || j < p->nsents) {
        const sentence *a = i < g->nsents ? &g->sents[i] : NULL;
        const sentence *b = j < p->nsents ? &p->sents[j] : NULL;
        if (a && b && a->start == b->start && a->end == b->end) {
            i++;
            j++;
        } else if (a && (!b || a->start < b->start || (a->start == b->start && a->end < b->end))) {
            printf("GOLD\t%.*s\n", (int)(a->end - a->start), g->text + a->start);
            i++;
        } else {
            printf("DYAD\t%.*s\n", (int)(b->end - b->start), p->text + b->start);
            j++;
        }
    }
}

/* Records in *saved the errno of the first failed write on stdout (-1 when
 * errno does not say); returns 1 once output has failed.  Called right after
 * the writes, before another call can change errno. */
static int output_failed(int *saved)
{
    if (!*saved && ferror(stdout))
        *saved = errno ? errno : -1;
    return *saved != 0;
}

/* Flushes stdout; on failure says why and returns 1. */
static int output_finish(int *saved)
{
    errno = 0;
    (void)fflush(stdout); /* a failure sets the stream's error indicator */
    if (!output_failed(saved))
        return 0;
    fprintf(stderr, "dyad parse: writing output failed: %s\n",
            *saved > 0 ? strerror(*saved) : "I/O error");
    return 1;
}

static int evaluate(const char *gold_path, const tagger *tg, const parser *ps, const sbd *sp)
{
    char err[512];
    int rc = EXIT_FATAL;
    dyad_doc *gold = dyad_doc_new(), *pred = dyad_doc_new(), *raw = dyad_doc_new();
    if (!gold || !pred || !raw) {
        cli_error("out of memory");
        goto out;
    }
    if (conllu_read(gold_path, gold, err, sizeof err)) {
        cli_error("%s", err);
        goto out;
    }
    /* pred: the gold words without their annotation */
    if (doc_set_text(pred, gold->text, gold->len)) {
        cli_error("out of memory");
        goto out;
    }
    for (size_t i = 0; i < gold->ntoks; i++) {
        token *t = doc_add_token(pred);
        if (!t) {
            cli_error("out of memory");
            goto out;
        }
        *t = gold->toks[i];
        t->upos = t->xpos = t->deprel = 0;
        t->lemma = NULL;
        t->head = -2;
    }
    pred->sents = gold->sents;
    pred->nsents = gold->nsents;
    double t0 = now();
    for (size_t i = 0; i < pred->nsents; i++)
        if (tagger_tag(tg, pred, &pred->sents[i])) {
            cli_error("out of memory");
            goto out;
        }
    double t1 = now();
    for (size_t i = 0; i < pred->nsents; i++)
        if (parser_parse(ps, pred, &pred->sents[i])) {
            cli_error("out of memory");
            goto out;
        }
    double t2 = now();
    pred->sents = NULL;
    pred->nsents = 0;
    tag_score ts = {0};
    dep_score ds = {0};
    tag_score_add(&ts, gold, pred);
    dep_score_add(&ds, gold, pred);
    /* raw text through dyad's tokenizer and splitters */
    prf tok = {0}, sen = {0}, sen_rules = {0};
    if (doc_set_text(raw, gold->text, gold->len) || text_tokenize(raw) || text_split(raw)) {
        cli_error("out of memory");
        goto out;
    }
    match_sentences(gold, raw, &sen_rules);
    if (sp && sbd_split(sp, raw)) {
        cli_error("out of memory");
        goto out;
    }
    match_tokens(gold, raw, &tok);
    match_sentences(gold, raw, &sen);
    const char *dbg = getenv("DYAD_SBD_DEBUG");
    if (dbg && *dbg == '1')
        show_sentence_diffs(gold, raw);
    double n = ts.n ? (double)ts.n : 1, dn = ds.n ? (double)ds.n : 1;
    printf("%s: %zu sentences, %zu words\n", gold_path, gold->nsents, gold->ntoks);
    if (parser_beam(ps) > 1)
        printf("gold tokenization (beam-search parser, width %u):\n", parser_beam(ps));
    else
        printf("gold tokenization (greedy parser):\n");
    printf("  UPOS   %6.2f%%\n", 100.0 * (double)ts.upos / n);
    printf("  XPOS   %6.2f%%\n", 100.0 * (double)ts.xpos / n);
    printf("  Lemma  %6.2f%%\n", 100.0 * (double)ts.lemma / n);
    printf("  UAS    %6.2f%%\n", 100.0 * (double)ds.uas / dn);
    printf("  LAS    %6.2f%%  (universal relations, as CoNLL 2018; %.2f%% with subtypes)\n",
           100.0 * (double)ds.las / dn, 100.0 * (double)ds.las_sub / dn);
    printf("  speed  tagger %.0f words/s, parser %.0f words/s\n",
           (double)ts.n / (t1 - t0 > 0 ? t1 - t0 : 1e-9),
           (double)ts.n / (t2 - t1 > 0 ? t2 - t1 : 1e-9));
    printf("raw text (dyad tokenizer and sentence splitter):\n  ");
    print_prf("Tokens", &tok);
    printf("  ");
    print_prf(sp ? "Sentences" : "Sentences (rules)", &sen);
    if (sp) {
        printf("  ");
        print_prf("Sentences (rules only)", &sen_rules);
    }
    int werr = 0;
    rc = output_finish(&werr) ? EXIT_FATAL : EXIT_OK;
out:
    dyad_doc_free(gold);
    dyad_doc_free(pred);
    dyad_doc_free(raw);
    return rc;
}

int cmd_parse(int argc, char **argv)
{
    static const struct option opts[] = {
        {"models", required_argument, NULL, 'm'}, {"input", required_argument, NULL, 'i'},
        {"eval", required_argument, NULL, 'e'},   {"quiet", no_argument, NULL, 'q'},
        {"accurate", no_argument, NULL, 'A'},
        {"help", no_argument, NULL, 'h'},         {NULL, 0, NULL, 0}};
    const char *dir = NULL, *gold = NULL;
    int input = READ_AUTO, quiet = 0, accurate = 0, c;
    optind = 1;
    while ((c = getopt_long(argc, argv, "m:i:e:qh", opts, NULL)) != -1) {
        switch (c) {
        case 'm': dir = optarg; break;
        case 'e': gold = optarg; break;
        case 'A': accurate = 1; break;
        case 'q': quiet = 1; break;
        case 'i':
            if (cli_opt_input(optarg, &input))
                return EXIT_USAGE;
            break;
        case 'h': usage_parse(stdout); return EXIT_OK;
        default: usage_parse(stderr); return EXIT_USAGE;
        }
    }
    if (!dir)
        dir = default_model_dir();
    char err[1024], path[PATH_MAX];
    tagger *tg = NULL;
    parser *ps = NULL;
    sbd *sp = NULL;
    snprintf(err, sizeof err, "model directory path too long");
    if ((size_t)snprintf(path, sizeof path, "%s/tagger.bin", dir) < sizeof path)
        tg = tagger_load(path, err, sizeof err);
    if (tg && (size_t)snprintf(path, sizeof path, "%s/%s", dir,
                               accurate ? PARSER_BEAM_FILE : PARSER_FILE) < sizeof path)
        ps = parser_load(path, err, sizeof err);
    /* the learned splitter is optional: without splitter.bin, the rules */
    if (tg && ps && (size_t)snprintf(path, sizeof path, "%s/splitter.bin", dir) < sizeof path &&
        access(path, F_OK) == 0 && !(sp = sbd_load(path, err, sizeof err))) {
        parser_free(ps);
        ps = NULL;
    }
    if (!tg || !ps) {
        cli_error("%s", err);
        tagger_free(tg);
        return EXIT_FATAL;
    }
    int rc;
    if (gold) {
        if (optind < argc) {
            cli_error("--eval takes no input files");
            rc = EXIT_USAGE;
        } else {
            rc = evaluate(gold, tg, ps, sp);
        }
        tagger_free(tg);
        parser_free(ps);
        sbd_free(sp);
        return rc;
    }
    dyad_doc *doc = dyad_doc_new();
    if (!doc) {
        cli_error("out of memory");
        tagger_free(tg);
        parser_free(ps);
        sbd_free(sp);
        return EXIT_FATAL;
    }
    static char *stdin_only[] = {"-"};
    char **files = optind < argc ? argv + optind : stdin_only;
    int nfiles = optind < argc ? argc - optind : 1;
    size_t ndocs = 0, nwords = 0, nerrors = 0;
    int fatal = 0, werr = 0;
    double t0 = now();
    for (int fi = 0; fi < nfiles && !fatal; fi++) {
        doc_reader r;
        /* dates do not matter to parsing; plain text needs one to be read */
        if (reader_open(&r, files[fi], input, "1970-01-01", err, sizeof err)) {
            cli_error("%s", err);
            nerrors++;
            continue;
        }
        for (;;) {
            int got = reader_next(&r, doc, err, sizeof err);
            if (got == 0)
                break;
            if (got < 0) {
                cli_error("%s", err);
                nerrors++;
                if (got == -2)
                    break;
                continue;
            }
            int bad = text_tokenize(doc) || split(sp, doc);
            for (size_t i = 0; !bad && i < doc->nsents; i++)
                bad = tagger_tag(tg, doc, &doc->sents[i]) ||
                      parser_parse(ps, doc, &doc->sents[i]);
            if (bad) {
                cli_error("%s:%ld: out of memory", r.name, r.line);
                nerrors++;
                continue;
            }
            errno = 0;
            printf("# newdoc id = %s\n", doc->id && *doc->id ? doc->id : r.name);
            for (size_t i = 0; i < doc->nsents; i++) {
                char id[64];
                snprintf(id, sizeof id, "%zu", i + 1);
                conllu_write_sentence(stdout, doc, &doc->sents[i], id);
            }
            if (output_failed(&werr)) {
                fatal = 1;
                break;
            }
            ndocs++;
            nwords += doc->ntoks;
        }
        reader_close(&r);
    }
    if (output_finish(&werr))
        fatal = 1;
    double dt = now() - t0;
    if (!quiet && !werr)
        fprintf(stderr, "dyad parse: %zu documents, %zu tokens, %zu errors, %.0f tokens/s\n",
                ndocs, nwords, nerrors, dt > 0 ? (double)nwords / dt : 0.0);
    dyad_doc_free(doc);
    tagger_free(tg);
    parser_free(ps);
    sbd_free(sp);
    if (fatal)
        return EXIT_FATAL;
    return nerrors ? EXIT_REJECTED : EXIT_OK;
}
