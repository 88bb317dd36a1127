/*
 * test_parse.c - the shipped parser on sentences with known structure, the
 * public NLP API (dyad_model_load, dyad_tag_parse, dyad_doc_token), refused
 * model files, and an accuracy floor on UD English-EWT dev when ../shared is
 * present.
 */
#include "testutil.h"
#include "io/conllu.h"
#include "parse/parser.h"
#include "tag/tagger.h"
#include "tag/tagset.h"

#include <unistd.h>

#define MODELS "data/models"

static dyad_model *model(void)
{
    char err[512];
    dyad_model *m = dyad_model_load(MODELS, err, sizeof err);
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

static void test_parse_sentences(void **state)
{
    (void)state;
    dyad_model *m = model();
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
    (void)state;
    dyad_model *m = model();
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
    (void)state;
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
    parser *p = parser_load(MODELS "/parser.bin", err, sizeof err);
    assert_non_null(t);
    assert_non_null(p);
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
    printf("  EWT dev (300 sentences): UPOS %.2f%% LAS %.2f%%\n", upos, las);
    assert_true(upos > 92.0);
    assert_true(las > 78.0);
    tagger_free(t);
    parser_free(p);
    dyad_doc_free(gold);
    dyad_doc_free(pred);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_parse_sentences),
        cmocka_unit_test(test_empty_and_long_input),
        cmocka_unit_test(test_bad_parser_file),
        cmocka_unit_test(test_ewt_dev_floor),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
