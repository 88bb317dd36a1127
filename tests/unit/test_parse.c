/*
 * test_parse.c - the shipped parsers (greedy and beam) on sentences with
 * known structure, the public NLP API (dyad_model_load, dyad_model_open,
 * dyad_tag_parse, dyad_doc_token), beam training on a small treebank,
 * refused model files, and accuracy floors on UD English-EWT dev when
 * ../shared is present.
 */
#include "testutil.h"
#include "io/conllu.h"
#include "parse/parser.h"
#include "tag/tagger.h"
#include "tag/tagset.h"

#include <unistd.h>

#define MODELS "data/models"

static dyad_model *model_with(unsigned flags)
{
    char err[512];
    dyad_model *m = dyad_model_open(MODELS, flags, err, sizeof err);
    if (!m)
        fprintf(stderr, "%s\n", err);
    assert_non_null(m);
    return m;
}

/* Index of the token with this form, or fails. */
static size_t find(const dyad_doc *doc, const char *form)
{
    for (size_t i = 0; i < doc->ntoks; i++)
        if (strcmp(doc->toks[i].form, form) == 0)
            return i;
    fail_msg("no token '%s'", form);
    return 0;
}

static void expect_arc(const dyad_doc *doc, const char *dep, const char *head, const char *rel)
{
    dyad_token t;
    size_t d = find(doc, dep);
    assert_int_equal(dyad_doc_token(doc, d, &t), 0);
    if (head) {
        assert_int_equal(t.head, (long)find(doc, head));
    } else {
        assert_int_equal(t.head, -1);
    }
    assert_string_equal(t.deprel, rel);
}

/* state: NULL for the greedy parser, non-NULL for the beam parser. */
static void test_parse_sentences(void **state)
{
    dyad_model *m = model_with(*state ? DYAD_MODEL_ACCURATE : 0);
    char err[256];
    const char *text = "The rebels attacked a police station in Kabul on Monday.\n\n"
                       "Iran did not sign the agreement.";
    dyad_doc *doc = dyad_doc_new();
    assert_int_equal(dyad_doc_set(doc, "t", "2025-08-09", "", "", text, strlen(text), err,
                                  sizeof err),
                     0);
    assert_int_equal(dyad_tag_parse(m, doc, err, sizeof err), 0);
    assert_int_equal(dyad_doc_nsentences(doc), 2);
    expect_arc(doc, "attacked", NULL, "root");
    expect_arc(doc, "rebels", "attacked", "nsubj");
    expect_arc(doc, "station", "attacked", "obj");
    expect_arc(doc, "police", "station", "compound");
    expect_arc(doc, "Kabul", "station", "nmod");
    expect_arc(doc, "on", "Monday", "case"); /* Monday itself: PP attachment is ambiguous */
    expect_arc(doc, "sign", NULL, "root");
    expect_arc(doc, "Iran", "sign", "nsubj");
    expect_arc(doc, "not", "sign", "advmod");
    expect_arc(doc, "agreement", "sign", "obj");
    dyad_token t;
    assert_int_equal(dyad_doc_token(doc, 0, &t), 0);
    assert_string_equal(t.form, "The");
    assert_string_equal(t.upos, "DET");
    assert_string_equal(t.lemma, "the");
    assert_int_equal(t.sent, 0);
    assert_int_equal(dyad_doc_token(doc, dyad_doc_ntokens(doc), &t), -1);
    /* every token has exactly one head inside its sentence, one root each */
    for (size_t s = 0; s < doc->nsents; s++) {
        int roots = 0;
        for (uint32_t i = 0; i < doc->sents[s].ntok; i++) {
            const token *k = &doc->toks[doc->sents[s].tok + i];
            assert_true(k->head >= -1 && k->head < (int32_t)doc->sents[s].ntok);
            assert_true(k->deprel > 0);
            roots += k->head == -1;
        }
        assert_int_equal(roots, 1);
    }
    dyad_doc_free(doc);
    dyad_model_free(m);
}

static void test_empty_and_long_input(void **state)
{
    dyad_model *m = model_with(*state ? DYAD_MODEL_ACCURATE : 0);
    char err[256];
    dyad_doc *doc = dyad_doc_new();
    assert_int_equal(dyad_doc_set(doc, "t", "2025-08-09", "", "", "", 0, err, sizeof err), 0);
    assert_int_equal(dyad_tag_parse(m, doc, err, sizeof err), 0);
    assert_int_equal(dyad_doc_ntokens(doc), 0);
    /* a run-on "sentence" longer than the splitter's cap still parses */
    size_t n = 4000;
    char *text = malloc(n * 3 + 1);
    assert_non_null(text);
    for (size_t i = 0; i < n; i++)
        memcpy(text + i * 3, "go ", 3);
    text[n * 3] = '\0';
    assert_int_equal(dyad_doc_set(doc, "t", "2025-08-09", "", "", text, n * 3, err, sizeof err),
                     0);
    assert_int_equal(dyad_tag_parse(m, doc, err, sizeof err), 0);
    assert_int_equal(dyad_doc_ntokens(doc), n);
    free(text);
    dyad_doc_free(doc);
    dyad_model_free(m);
}

static void test_bad_parser_file(void **state)
{
    (void)state;
    char err[512] = "";
    assert_null(parser_load(MODELS "/tagger.bin", err, sizeof err));
    assert_non_null(strstr(err, "bad magic"));
    char path[64];
    snprintf(path, sizeof path, "/tmp/dyad-parser-XXXXXX");
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    FILE *in = fopen(MODELS "/parser.bin", "rb");
    FILE *out = fdopen(fd, "wb");
    assert_non_null(in);
    assert_non_null(out);
    char buf[4096];
    size_t got = fread(buf, 1, sizeof buf, in);
    assert_true(got > 100);
    fwrite(buf, 1, got, out); /* only the first 4 KiB */
    fclose(in);
    fclose(out);
    assert_null(parser_load(path, err, sizeof err));
    assert_non_null(strstr(err, "truncated"));
    assert_null(dyad_model_load("/nonexistent", err, sizeof err));
    assert_non_null(strstr(err, "/nonexistent/tagger.bin"));
    unlink(path);
}

/* The shipped models on the first 300 sentences of EWT dev: a floor well
 * below the measured accuracy, to catch a broken model or feature code. */
static void test_ewt_dev_floor(void **state)
{
    const char *shared = tu_shared();
    if (!shared) {
        printf("  skipped: ../shared is absent (UD English-EWT)\n");
        return;
    }
    char path[512];
    snprintf(path, sizeof path, "%s/corpora/ud/UD_English-EWT/en_ewt-ud-dev.conllu", shared);
    if (access(path, R_OK) != 0) {
        printf("  skipped: %s is absent\n", path);
        return;
    }
    char err[512];
    dyad_doc *gold = dyad_doc_new(), *pred = dyad_doc_new();
    assert_int_equal(conllu_read(path, gold, err, sizeof err), 0);
    assert_int_equal(conllu_read(path, pred, err, sizeof err), 0);
    tagger *t = tagger_load(MODELS "/tagger.bin", err, sizeof err);
    parser *p = parser_load(*state ? MODELS "/parser-beam.bin" : MODELS "/parser.bin", err,
                            sizeof err);
    assert_non_null(t);
    assert_non_null(p);
    assert_int_equal(parser_beam(p), *state ? 8 : 1);
    size_t ns = pred->nsents < 300 ? pred->nsents : 300;
    size_t nt = pred->sents[ns - 1].tok + pred->sents[ns - 1].ntok;
    for (size_t i = 0; i < ns; i++) {
        assert_int_equal(tagger_tag(t, pred, &pred->sents[i]), 0);
        assert_int_equal(parser_parse(p, pred, &pred->sents[i]), 0);
    }
    gold->ntoks = pred->ntoks = nt;
    tag_score ts = {0};
    dep_score ds = {0};
    tag_score_add(&ts, gold, pred);
    dep_score_add(&ds, gold, pred);
    double upos = 100.0 * (double)ts.upos / (double)ts.n;
    double las = 100.0 * (double)ds.las / (double)ds.n;
    double uas = 100.0 * (double)ds.uas / (double)ds.n;
    printf("  EWT dev (300 sentences), %s parser: UPOS %.2f%% UAS %.2f%% LAS %.2f%%\n",
           *state ? "beam" : "greedy", upos, uas, las);
    assert_true(upos > 92.0);
    assert_true(las > (*state ? 80.0 : 78.0));
    tagger_free(t);
    parser_free(p);
    dyad_doc_free(gold);
    dyad_doc_free(pred);
}

/* A tiny treebank, each tree twice: a beam-trained model must reproduce
 * its training trees, keep its width through save and load, and parse the
 * same afterwards. */
static const char *const tiny_treebank =
    "1\tIran\tIran\tPROPN\tNNP\t_\t2\tnsubj\t_\t_\n"
    "2\tsigned\tsign\tVERB\tVBD\t_\t0\troot\t_\t_\n"
    "3\tthe\tthe\tDET\tDT\t_\t4\tdet\t_\t_\n"
    "4\tdeal\tdeal\tNOUN\tNN\t_\t2\tobj\t_\t_\n"
    "5\t.\t.\tPUNCT\t.\t_\t2\tpunct\t_\t_\n\n"
    "1\tRebels\trebel\tNOUN\tNNS\t_\t2\tnsubj\t_\t_\n"
    "2\tattacked\tattack\tVERB\tVBD\t_\t0\troot\t_\t_\n"
    "3\ta\ta\tDET\tDT\t_\t5\tdet\t_\t_\n"
    "4\tpolice\tpolice\tNOUN\tNN\t_\t5\tcompound\t_\t_\n"
    "5\tstation\tstation\tNOUN\tNN\t_\t2\tobj\t_\t_\n"
    "6\tin\tin\tADP\tIN\t_\t7\tcase\t_\t_\n"
    "7\tKabul\tKabul\tPROPN\tNNP\t_\t5\tnmod\t_\t_\n"
    "8\t.\t.\tPUNCT\t.\t_\t2\tpunct\t_\t_\n\n"
    "1\tThe\tthe\tDET\tDT\t_\t2\tdet\t_\t_\n"
    "2\tminister\tminister\tNOUN\tNN\t_\t3\tnsubj\t_\t_\n"
    "3\tsaid\tsay\tVERB\tVBD\t_\t0\troot\t_\t_\n"
    "4\ttalks\ttalk\tNOUN\tNNS\t_\t6\tnsubj\t_\t_\n"
    "5\twould\twould\tAUX\tMD\t_\t6\taux\t_\t_\n"
    "6\tresume\tresume\tVERB\tVB\t_\t3\tccomp\t_\t_\n"
    "7\ton\ton\tADP\tIN\t_\t8\tcase\t_\t_\n"
    "8\tMonday\tMonday\tPROPN\tNNP\t_\t6\tobl\t_\t_\n"
    "9\t.\t.\tPUNCT\t.\t_\t3\tpunct\t_\t_\n\n";

static void test_beam_training(void **state)
{
    (void)state;
    char tb[64], model_path[64], err[512];
    snprintf(tb, sizeof tb, "/tmp/dyad-tiny-XXXXXX");
    int fd = mkstemp(tb);
    assert_true(fd >= 0);
    FILE *f = fdopen(fd, "w");
    assert_non_null(f);
    fputs(tiny_treebank, f);
    fputs(tiny_treebank, f);
    fclose(f);
    dyad_doc *gold = dyad_doc_new(), *pred = dyad_doc_new();
    assert_int_equal(conllu_read(tb, gold, err, sizeof err), 0);
    assert_int_equal(conllu_read(tb, pred, err, sizeof err), 0);
    parser_opts o = {.epochs = 12, .min_count = 1, .beam = 4};
    parser *p = parser_train(gold, NULL, &o, err, sizeof err);
    assert_non_null(p);
    assert_int_equal(parser_beam(p), 4);
    for (size_t i = 0; i < pred->nsents; i++)
        assert_int_equal(parser_parse(p, pred, &pred->sents[i]), 0);
    dep_score ds = {0};
    dep_score_add(&ds, gold, pred);
    assert_int_equal(ds.las, ds.n); /* every training tree reproduced */
    /* save, load: same width, same parses */
    snprintf(model_path, sizeof model_path, "/tmp/dyad-beam-XXXXXX");
    int mfd = mkstemp(model_path);
    assert_true(mfd >= 0);
    close(mfd);
    assert_int_equal(parser_save(p, model_path, err, sizeof err), 0);
    parser *q = parser_load(model_path, err, sizeof err);
    assert_non_null(q);
    assert_int_equal(parser_beam(q), 4);
    for (size_t i = 0; i < pred->ntoks; i++)
        pred->toks[i].head = -2;
    for (size_t i = 0; i < pred->nsents; i++)
        assert_int_equal(parser_parse(q, pred, &pred->sents[i]), 0);
    dep_score dq = {0};
    dep_score_add(&dq, gold, pred);
    assert_int_equal(dq.las, dq.n);
    /* a beam width outside 1..64 in the file is refused by name */
    f = fopen(model_path, "r+b");
    assert_non_null(f);
    assert_int_equal(fseek(f, 20, SEEK_SET), 0);
    unsigned char wide[4] = {200, 0, 0, 0};
    assert_int_equal(fwrite(wide, 1, 4, f), 4);
    fclose(f);
    assert_null(parser_load(model_path, err, sizeof err));
    assert_non_null(strstr(err, "beam width 200"));
    parser_free(p);
    parser_free(q);
    dyad_doc_free(gold);
    dyad_doc_free(pred);
    unlink(tb);
    unlink(model_path);
}

/* The subtype-blind LAS of CoNLL 2018: nmod:poss for nmod counts, obj for
 * nmod does not; las_sub counts only exact labels. */
static void test_las_universal_relations(void **state)
{
    (void)state;
    dyad_doc *gold = dyad_doc_new(), *pred = dyad_doc_new();
    token g[3] = {0}, q[3] = {0};
    g[0].head = 1, g[0].deprel = (uint8_t)deprel_id("nmod:poss", 9);
    g[1].head = -1, g[1].deprel = (uint8_t)deprel_id("root", 4);
    g[2].head = 1, g[2].deprel = (uint8_t)deprel_id("nmod", 4);
    q[0].head = 1, q[0].deprel = (uint8_t)deprel_id("nmod", 4);
    q[1].head = -1, q[1].deprel = (uint8_t)deprel_id("root", 4);
    q[2].head = 1, q[2].deprel = (uint8_t)deprel_id("obj", 3);
    assert_true(g[0].deprel && g[2].deprel && q[2].deprel);
    gold->toks = g, gold->ntoks = 3;
    pred->toks = q, pred->ntoks = 3;
    dep_score ds = {0};
    dep_score_add(&ds, gold, pred);
    assert_int_equal(ds.n, 3);
    assert_int_equal(ds.uas, 3);
    assert_int_equal(ds.las, 2);
    assert_int_equal(ds.las_sub, 1);
    gold->toks = pred->toks = NULL;
    gold->ntoks = pred->ntoks = 0;
    dyad_doc_free(gold);
    dyad_doc_free(pred);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_prestate(test_parse_sentences, NULL),
        cmocka_unit_test_prestate(test_parse_sentences, (void *)"beam"),
        cmocka_unit_test_prestate(test_empty_and_long_input, NULL),
        cmocka_unit_test_prestate(test_empty_and_long_input, (void *)"beam"),
        cmocka_unit_test(test_bad_parser_file),
        cmocka_unit_test_prestate(test_ewt_dev_floor, NULL),
        cmocka_unit_test_prestate(test_ewt_dev_floor, (void *)"beam"),
        cmocka_unit_test(test_beam_training),
        cmocka_unit_test(test_las_universal_relations),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
