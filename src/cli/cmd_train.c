/*
 * cmd_train.c - dyad train tagger|parser|splitter: trains a model from CoNLL-U
 * files.
 *
 *   dyad train tagger --train T.conllu [--dev D.conllu] -o tagger.bin
 *   dyad train parser --train T.conllu [--dev D.conllu] [--tagger tagger.bin] -o parser.bin
 *   dyad train splitter --train T.conllu [--dev D.conllu] -o splitter.bin
 *
 * The splitter learns from the treebank's raw text (rebuilt by the CoNLL-U
 * reader) tokenized by dyad's tokenizer, against the gold sentence ends.
 *
 * The parser is trained on predicted tags when --tagger is given (the tags it
 * will see at run time); with --jackknife K the training set is re-tagged
 * by K taggers each trained on the other folds, so the tags carry the
 * tagger's real error rate instead of its near-perfect accuracy on its own
 * training data.
 */
#include "cli/cli.h"

#include "io/conllu.h"
#include "parse/parser.h"
#include "tag/tagger.h"
#include "text/sbd.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

void usage_train(FILE *f)
{
    fputs("usage: dyad train tagger --train T.conllu [--dev D.conllu] -o MODEL\n"
          "       dyad train parser --train T.conllu [--dev D.conllu] [--tagger TAGGER]\n"
          "                         [--jackknife K] [--beam K] -o MODEL\n"
          "       dyad train splitter --train T.conllu [--dev D.conllu] -o MODEL\n\n"
          "Trains the POS tagger/lemmatizer, the dependency parser or the sentence\n"
          "splitter on a Universal Dependencies treebank and writes a binary model file.\n\n"
          "Options:\n"
          "  --train FILE      training treebank (CoNLL-U)\n"
          "  --dev FILE        development treebank, scored after training\n"
          "  -o, --output FILE model file to write\n"
          "  --epochs N        training passes (tagger 10, parser 15, splitter 10)\n"
          "  --min-count N     drop features seen fewer than N times (default 2)\n"
          "  --tagger FILE     parser: train and score on tags predicted by this tagger\n"
          "  --jackknife K     parser: re-tag the training set with K-fold taggers\n"
          "  --beam K          parser: beam width, 1..64 (default 1: greedy, dynamic\n"
          "                    oracle; K > 1: beam search, global training)\n"
          "  -q, --quiet       no progress output\n",
          f);
}

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Re-tags every sentence of doc with t (gold tags are overwritten). */
static int retag(const tagger *t, dyad_doc *doc)
{
    for (size_t i = 0; i < doc->nsents; i++)
        if (tagger_tag(t, doc, &doc->sents[i]))
            return -1;
    return 0;
}

/* K-fold re-tagging of the training set: fold k is tagged by a tagger trained
 * on the other folds.  Sentences are dealt to folds round-robin. */
static int jackknife(dyad_doc *train, int k, int epochs, char *err, size_t errlen)
{
    token *tagged = malloc((train->ntoks + 1) * sizeof *tagged);
    if (!tagged) {
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    memcpy(tagged, train->toks, train->ntoks * sizeof *tagged);
    sentence *all = train->sents;
    size_t nall = train->nsents;
    sentence *part = malloc((nall + 1) * sizeof *part);
    if (!part) {
        free(tagged);
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    int rc = 0;
    for (int fold = 0; fold < k && rc == 0; fold++) {
        size_t np = 0;
        for (size_t i = 0; i < nall; i++)
            if ((int)(i % (size_t)k) != fold)
                part[np++] = all[i];
        train->sents = part;
        train->nsents = np;
        tagger_opts o = {epochs, 2, NULL};
        tagger *t = tagger_train(train, NULL, &o, err, errlen);
        train->sents = all;
        train->nsents = nall;
        if (!t) {
            rc = -1;
            break;
        }
        /* tag the held-out fold into the copy */
        token *saved = train->toks;
        train->toks = tagged;
        for (size_t i = (size_t)fold; i < nall; i += (size_t)k)
            if (tagger_tag(t, train, &all[i]))
                rc = -1;
        train->toks = saved;
        tagger_free(t);
        fprintf(stderr, "parser: jackknife fold %d/%d tagged\n", fold + 1, k);
    }
    if (rc == 0)
        for (size_t i = 0; i < train->ntoks; i++) {
            train->toks[i].upos = tagged[i].upos;
            train->toks[i].xpos = tagged[i].xpos;
        }
    free(part);
    free(tagged);
    return rc;
}

int cmd_train(int argc, char **argv)
{
    const char *what = NULL, *train_path = NULL, *dev_path = NULL, *out = NULL,
               *tagger_path = NULL;
    int epochs = 0, quiet = 0, jk = 0;
    unsigned min_count = 0, beam = 0;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        int more = i + 1 < argc;
        if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
            usage_train(stdout);
            return EXIT_OK;
        } else if (strcmp(a, "--train") == 0 && more) {
            train_path = argv[++i];
        } else if (strcmp(a, "--dev") == 0 && more) {
            dev_path = argv[++i];
        } else if ((strcmp(a, "-o") == 0 || strcmp(a, "--output") == 0) && more) {
            out = argv[++i];
        } else if (strcmp(a, "--epochs") == 0 && more) {
            epochs = atoi(argv[++i]);
            if (epochs < 1 || epochs > 1000) {
                cli_error("--epochs must be 1..1000");
                return EXIT_USAGE;
            }
        } else if (strcmp(a, "--min-count") == 0 && more) {
            int v = atoi(argv[++i]);
            if (v < 1 || v > 1000000) {
                cli_error("--min-count must be 1..1000000");
                return EXIT_USAGE;
            }
            min_count = (unsigned)v;
        } else if (strcmp(a, "--tagger") == 0 && more) {
            tagger_path = argv[++i];
        } else if (strcmp(a, "--jackknife") == 0 && more) {
            jk = atoi(argv[++i]);
            if (jk < 2 || jk > 50) {
                cli_error("--jackknife must be 2..50");
                return EXIT_USAGE;
            }
        } else if (strcmp(a, "--beam") == 0 && more) {
            int v = atoi(argv[++i]);
            if (v < 1 || v > 64) {
                cli_error("--beam must be 1..64");
                return EXIT_USAGE;
            }
            beam = (unsigned)v;
        } else if (strcmp(a, "--quiet") == 0 || strcmp(a, "-q") == 0) {
            quiet = 1;
        } else if (a[0] == '-') {
            cli_error("unknown or incomplete option '%s' (see 'dyad train --help')", a);
            return EXIT_USAGE;
        } else if (!what) {
            what = a;
        } else {
            cli_error("unexpected argument '%s'", a);
            return EXIT_USAGE;
        }
    }
    if (!what || (strcmp(what, "tagger") != 0 && strcmp(what, "parser") != 0 &&
                  strcmp(what, "splitter") != 0)) {
        cli_error("say what to train: 'dyad train tagger', 'parser' or 'splitter'");
        return EXIT_USAGE;
    }
    if (!train_path || !out) {
        cli_error("--train and -o are required (see 'dyad train --help')");
        return EXIT_USAGE;
    }
    char err[512];
    int rc = EXIT_FATAL;
    dyad_doc *train = dyad_doc_new(), *dev = dev_path ? dyad_doc_new() : NULL;
    tagger *tg = NULL;
    double t0 = now();
    if (!train || (dev_path && !dev)) {
        cli_error("out of memory");
        goto out;
    }
    if (conllu_read(train_path, train, err, sizeof err) ||
        (dev && conllu_read(dev_path, dev, err, sizeof err))) {
        cli_error("%s", err);
        goto out;
    }
    FILE *log = quiet ? NULL : stderr;
    if (log)
        fprintf(log, "%s: %zu sentences, %zu words\n", train_path, train->nsents, train->ntoks);
    if (strcmp(what, "splitter") == 0) {
        sbd_opts o = {epochs, log};
        sbd *m = sbd_train(train, dev, &o, err, sizeof err);
        if (!m || sbd_save(m, out, err, sizeof err)) {
            sbd_free(m);
            cli_error("%s", err);
            goto out;
        }
        sbd_free(m);
    } else if (strcmp(what, "tagger") == 0) {
        tagger_opts o = {epochs, min_count, log};
        tg = tagger_train(train, dev, &o, err, sizeof err);
        if (!tg || tagger_save(tg, out, err, sizeof err)) {
            cli_error("%s", err);
            goto out;
        }
    } else {
        if (tagger_path) {
            tg = tagger_load(tagger_path, err, sizeof err);
            if (!tg) {
                cli_error("%s", err);
                goto out;
            }
            if (jk) {
                if (jackknife(train, jk, 10, err, sizeof err)) {
                    cli_error("%s", err);
                    goto out;
                }
            } else if (retag(tg, train)) {
                cli_error("out of memory");
                goto out;
            }
            if (dev && retag(tg, dev)) {
                cli_error("out of memory");
                goto out;
            }
        } else if (jk) {
            cli_error("--jackknife needs --tagger (the tagger used for the dev set)");
            rc = EXIT_USAGE;
            goto out;
        }
        parser_opts o = {epochs, min_count, beam, log};
        parser *p = parser_train(train, dev, &o, err, sizeof err);
        if (!p || parser_save(p, out, err, sizeof err)) {
            parser_free(p);
            cli_error("%s", err);
            goto out;
        }
        parser_free(p);
    }
    if (log)
        fprintf(log, "wrote %s in %.1f s\n", out, now() - t0);
    rc = EXIT_OK;
out:
    tagger_free(tg);
    dyad_doc_free(train);
    dyad_doc_free(dev);
    return rc;
}
