/*
 * cmd_eval.c - `dyad eval`: code gold records and score the events.
 *
 * A record that cannot be coded (a malformed gold parse with --gold-parses,
 * text dyad_doc_set refuses) is scored as a miss so that the tables still
 * cover every record, but the run then measured something other than what
 * was asked for: each such record is reported as "file:line: record ID
 * rejected: reason" on standard error (and in the report) and the exit
 * status is 1, as for every command whose input was partly rejected
 * (docs/cli.md).  A record whose gold itself expects the rejection
 * (PETRARCH's error="bad_input_parse" tests) is a success, not a rejection.
 */
#include "cli/cli.h"
#include "core/doc.h"
#include "dict/dict.h"
#include "dyad.h"
#include "eval/gold.h"
#include "eval/score.h"
#include "io/ptb.h"
#include "tag/tagger.h"

#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

void usage_eval(FILE *f)
{
    fputs("usage: dyad eval [OPTIONS] GOLD\n"
          "\n"
          "Codes every record of GOLD and scores the events (source, target, code) against\n"
          "the expected ones: precision, recall and F1 in total, per record category and per\n"
          "CAMEO root; the misses and extras of each record; and a final line\n"
          "  events: precision=P recall=R f1=F\n"
          "GOLD is dyad's JSON Lines gold format (docs/evaluation.md) or PETRARCH/TABARI\n"
          "validation XML (*.xml), whose <Environment> names the PETRARCH-format\n"
          "dictionaries to use (found beside the file), or a TABARI validation project\n"
          "(*.project) naming TABARI-format dictionaries and its records.\n"
          "\n"
          "Options:\n"
          "  -D, --dict DIR      native dictionary directory (default: the file's own\n"
          "                      dictionaries for XML, dyad's data/dict for JSON Lines)\n"
          "  -M, --models DIR    tagger and parser models (default: data/models)\n"
          "      --accurate      beam-search parser (parser-beam.bin): more accurate, slower\n"
          "  -P, --no-parse      code on the token sequence, without tagging and parsing\n"
          "  -g, --gold-parses   use the records' own Penn Treebank parses (PETRARCH XML)\n"
          "                      instead of dyad's tokenizer, tagger and parser; a record\n"
          "                      whose parse is malformed is rejected\n"
          "  -y, --require-dyad  count only events with both source and target (default\n"
          "                      for PETRARCH XML, as PETRARCH2 codes)\n"
          "  -Y, --no-require-dyad\n"
          "  -o, --modalities LIST  which modalities count as coded events, comma-separated\n"
          "                      (asserted, reported, intended, hypothetical, negated;\n"
          "                      default asserted,reported; for PETRARCH XML also\n"
          "                      intended, as CAMEO codes future acts: \"will restore ties\")\n"
          "  -m, --min-f1 F      exit with status 1 when F1 is below F\n"
          "  -q, --quiet         only the tables and the final line, not each record\n"
          "  -h, --help          this help\n"
          "\n"
          "Exit status: 0 every record coded and --min-f1 (if given) reached; 1 F1 below\n"
          "--min-f1, or some records could not be coded (each reported as\n"
          "GOLD:LINE: record ID rejected: reason, and scored as a miss); 2 usage error;\n"
          "3 the gold file, dictionaries or models could not be read, or output failed.\n",
          f);
}

/* The record's own parse as the document: tokens, tags and tree from the
 * Penn Treebank bracketing, lemmas from dyad's lemmatizer rules. */
static int load_gold_parse(dyad_doc *doc, const gold_record *r, char *err, size_t errlen)
{
    if (!r->parse) {
        snprintf(err, errlen, "no <Parse> in the record");
        return -1;
    }
    if (ptb_read_mem(r->id, r->parse, strlen(r->parse), doc, err, errlen))
        return -1;
    doc->id = arena_strdup(&doc->mem, r->id);
    doc->date = arena_strdup(&doc->mem, r->date);
    doc->ymd = date_parse(r->date, strlen(r->date));
    if (!doc->id || !doc->date) {
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    for (size_t i = 0; i < doc->ntoks; i++) {
        token *t = &doc->toks[i];
        char buf[128];
        const char *l = lemma_rule(t->norm, t->upos, t->xpos, buf, sizeof buf);
        t->lemma = l ? arena_strdup(&doc->mem, l) : t->norm;
        if (!t->lemma) {
            snprintf(err, errlen, "out of memory");
            return -1;
        }
    }
    return 0;
}

int cmd_eval(int argc, char **argv)
{
    static const struct option opts[] = {
        {"dict", required_argument, NULL, 'D'},   {"require-dyad", no_argument, NULL, 'y'},
        {"no-require-dyad", no_argument, NULL, 'Y'}, {"min-f1", required_argument, NULL, 'm'},
        {"quiet", no_argument, NULL, 'q'},        {"help", no_argument, NULL, 'h'},
        {"models", required_argument, NULL, 'M'}, {"no-parse", no_argument, NULL, 'P'},
        {"accurate", no_argument, NULL, 'A'},
        {"modalities", required_argument, NULL, 'o'},
        {"gold-parses", no_argument, NULL, 'g'},
        {NULL, 0, NULL, 0}};
    const char *dict_dir = NULL, *model_dir = NULL;
    int accurate = 0;
    int require_dyad = -1, quiet = 0, no_parse = 0, gold_parses = 0;
    unsigned modal_mask = 0; /* bit per dyad_modality; 0 = the default for the format */
    double min_f1 = -1;
    int c;
    optind = 1;
    while ((c = getopt_long(argc, argv, "D:M:Po:gyYm:qh", opts, NULL)) != -1) {
        switch (c) {
        case 'D': dict_dir = optarg; break;
        case 'M': model_dir = optarg; break;
        case 'A': accurate = 1; break;
        case 'P': no_parse = 1; break;
        case 'g': gold_parses = 1; break;
        case 'o': {
            char buf[256];
            snprintf(buf, sizeof buf, "%s", optarg);
            char *save = NULL;
            for (char *w = strtok_r(buf, ",", &save); w; w = strtok_r(NULL, ",", &save)) {
                int found = 0;
                for (unsigned m = DYAD_ASSERTED; m <= DYAD_NEGATED; m++)
                    if (strcmp(w, dyad_modality_name((dyad_modality)m)) == 0) {
                        modal_mask |= 1u << m;
                        found = 1;
                    }
                if (!found) {
                    cli_error("--modalities: unknown modality '%s'", w);
                    return EXIT_USAGE;
                }
            }
            break;
        }
        case 'y': require_dyad = 1; break;
        case 'Y': require_dyad = 0; break;
        case 'm': {
            char *end;
            min_f1 = strtod(optarg, &end);
            if (*end || min_f1 < 0 || min_f1 > 1) {
                cli_error("--min-f1 must be a number between 0 and 1, not '%s'", optarg);
                return EXIT_USAGE;
            }
            break;
        }
        case 'q': quiet = 1; break;
        case 'h': usage_eval(stdout); return EXIT_OK;
        default: usage_eval(stderr); return EXIT_USAGE;
        }
    }
    if (cli_opt_accurate(accurate, no_parse))
        return EXIT_USAGE;
    if (optind != argc - 1) {
        cli_error("eval takes one GOLD file (see 'dyad eval --help')");
        return EXIT_USAGE;
    }
    char err[1024];
    gold_set g;
    if (gold_load(&g, argv[optind], err, sizeof err)) {
        cli_error("%s", err);
        gold_free(&g);
        return EXIT_FATAL;
    }
    if (require_dyad < 0)
        require_dyad = g.petrarch || g.tabari;
    if (!modal_mask)
        modal_mask = (1u << DYAD_ASSERTED) | (1u << DYAD_REPORTED) |
                     (g.petrarch || g.tabari ? 1u << DYAD_INTENDED : 0);
    dyad_dict *d = NULL;
    if (dict_dir || (!g.petrarch && !g.tabari)) {
        d = cli_dict_load(dict_dir ? dict_dir : default_dict_dir(), 0, err, sizeof err);
    } else if (g.tabari) {
        d = dict_load_tabari_set(g.tabari_verbs, g.tabari_actors, g.tabari_agents, err,
                                 sizeof err);
    } else {
        d = dict_load_petrarch_set(g.verbfile, g.actorfile, g.agentfile, g.discardfile, err,
                                   sizeof err);
    }
    if (!d) {
        cli_error("%s", err);
        gold_free(&g);
        return EXIT_FATAL;
    }
    dyad_model *model = NULL;
    if (gold_parses && !g.petrarch) {
        cli_error("--gold-parses needs PETRARCH XML records with <Parse> trees");
        dyad_dict_free(d);
        gold_free(&g);
        return EXIT_USAGE;
    }
    if (!no_parse && !gold_parses) {
        model = cli_models_load(model_dir, accurate, err, sizeof err);
        if (!model) {
            cli_error("%s (use --no-parse to code without the parser)", err);
            dyad_dict_free(d);
            gold_free(&g);
            return EXIT_FATAL;
        }
    }
    dyad_doc *doc = dyad_doc_new();
    scoreboard *sb = calloc(1, sizeof *sb);
    pred_event *pred = NULL;
    size_t cap = 0;
    int rc = EXIT_OK;
    if (!doc || !sb) {
        cli_error("out of memory");
        rc = EXIT_FATAL;
        goto out;
    }
    size_t skipped = 0, rejected = 0;
    for (size_t i = 0; i < g.n; i++) {
        const gold_record *r = &g.recs[i];
        size_t np = 0;
        /* a record that tests rejection of a malformed parse says nothing about
         * coding raw text, where dyad makes its own parse */
        if (!gold_parses && r->error && strcmp(r->error, "bad_input_parse") == 0) {
            skipped++;
            continue;
        }
        int failed;
        if (gold_parses)
            failed = load_gold_parse(doc, r, err, sizeof err) ||
                     dyad_code(d, doc, DYAD_ALL_MODALITIES, err, sizeof err);
        else
            failed = dyad_doc_set(doc, r->id, r->date, "", "", r->text, strlen(r->text), err,
                                  sizeof err) ||
                     (model && dyad_tag_parse(model, doc, err, sizeof err)) ||
                     dyad_code(d, doc, DYAD_ALL_MODALITIES, err, sizeof err);
        if (failed) {
            if (!r->error) {
                fprintf(stdout, "%s (line %ld): rejected: %s\n", r->id, r->line, err);
                cli_error("%s:%ld: record %s rejected: %s", argv[optind], r->line, r->id, err);
                rejected++;
            }
            score_record(sb, r, NULL, 0, quiet ? NULL : stdout);
            continue;
        }
        /* a record whose gold names a modality also counts events of that modality */
        unsigned record_mask = modal_mask;
        for (size_t k = 0; k < r->nevents; k++)
            if (r->events[k].modality)
                record_mask |= 1u << (r->events[k].modality - 1);
        size_t ne = dyad_doc_nevents(doc);
        if (ne > cap) {
            pred_event *p = realloc(pred, ne * sizeof *p);
            if (!p) {
                cli_error("out of memory");
                rc = EXIT_FATAL;
                goto out;
            }
            pred = p;
            cap = ne;
        }
        for (size_t k = 0; k < ne; k++) {
            const dyad_event *e = dyad_doc_event(doc, k);
            if (require_dyad && (!*e->source || !*e->target))
                continue;
            if (!(record_mask & (1u << e->modality)))
                continue;
            /* the same act on two days is two events ("exchanged fire on Thursday.
             * They clashed again on Friday"); on one day, one */
            int dup = 0;
            for (size_t q = 0; q < np && !dup; q++)
                dup = strcmp(pred[q].source, e->source) == 0 &&
                      strcmp(pred[q].target, e->target) == 0 && strcmp(pred[q].code, e->code) == 0 &&
                      strcmp(pred[q].event_date ? pred[q].event_date : "",
                             e->event_date) == 0;
            if (!dup)
                pred[np++] = (pred_event){e->source, e->target, e->code, e->event_date,
                                          (int)e->modality};
        }
        score_record(sb, r, pred, np, quiet ? NULL : stdout);
        if (r->has_quotes) {
            size_t nq = dyad_doc_nquotes(doc);
            pred_quote *pq = calloc(nq ? nq : 1, sizeof *pq);
            if (!pq) {
                cli_error("out of memory");
                rc = EXIT_FATAL;
                goto out;
            }
            size_t tlen;
            const char *text = dyad_doc_text(doc, &tlen);
            for (size_t k = 0; k < nq; k++) {
                const dyad_quote *q = dyad_doc_quote(doc, k);
                pq[k] = (pred_quote){q->speaker, text + q->span.start, q->span.end - q->span.start};
            }
            score_quotes(sb, r, pq, nq, quiet ? NULL : stdout);
            free(pq);
        }
    }
    score_print(sb, stdout);
    if (skipped)
        fprintf(stderr, "dyad eval: %zu record(s) skipped: they test malformed gold parses, "
                        "which raw-text coding does not read\n", skipped);
    if (g.tabari)
        fprintf(stderr, "dyad eval: %zu TABARI record(s) read, %zu skipped (option switches "
                        "and deactivated expectations)\n", g.n, g.tabari_skipped);
    if (min_f1 >= 0 && tally_f1(&sb->total) < min_f1) {
        cli_error("f1 %.3f is below --min-f1 %.3f", tally_f1(&sb->total), min_f1);
        rc = EXIT_REJECTED;
    }
    if (rejected) {
        cli_error("%zu of %zu record(s) rejected and scored as misses: the scores above are "
                  "not those of the whole gold set", rejected, g.n);
        rc = EXIT_REJECTED;
    }
    errno = 0;
    if (fflush(stdout) != 0 || ferror(stdout)) {
        /* the report is one small write at the end: checked once, here */
        fprintf(stderr, "dyad eval: writing output failed: %s\n",
                errno ? strerror(errno) : "I/O error");
        rc = EXIT_FATAL;
    }
out:
    free(pred);
    free(sb);
    dyad_doc_free(doc);
    dyad_dict_free(d);
    dyad_model_free(model);
    gold_free(&g);
    return rc;
}
