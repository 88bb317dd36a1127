/*
 * test_tag.c - tag sets, lemma rules, the shipped tagger model on a few
 * sentences, model files that must be refused (missing, foreign,
 * truncated, wrong version), and the shipped weight table (inline, long
 * and dense rows) scoring exactly what was trained.
 */
#include "testutil.h"
#include "tag/linear.h"
#include "tag/tagger.h"
#include "tag/tagset.h"

#include <unistd.h>

#define TAGGER "data/models/tagger.bin"
#define PARSER "data/models/parser.bin"

static void test_tagsets(void **state)
{
    (void)state;
    assert_int_equal(upos_id("NOUN", 4), UPOS_NOUN);
    assert_int_equal(upos_id("X", 1), UPOS_X);
    assert_int_equal(upos_id("NOUNS", 5), 0);
    assert_string_equal(upos_name(UPOS_PROPN), "PROPN");
    assert_string_equal(upos_name(0), "_");
    unsigned x = xpos_id("PRP$", 4);
    assert_true(x > 0);
    assert_string_equal(xpos_name(x), "PRP$");
    assert_int_equal(xpos_id("", 0), 0);
    unsigned obl = deprel_id("obl", 3);
    assert_true(obl > 0);
    assert_int_equal(deprel_id("obl:foo", 7), obl);
    assert_int_equal(deprel_id("nmod:poss", 9), deprel_id("nmod:poss", 9));
    assert_true(deprel_id("nmod:poss", 9) != deprel_id("nmod", 4));
    assert_int_equal(deprel_id("bogus", 5), 0);
    assert_true(deprel_count() < DEPREL_MAX);
    assert_true(xpos_count() < XPOS_MAX);
}

static const char *rule(const char *w, const char *xpos)
{
    static char buf[64];
    const char *r = lemma_rule(w, 0, xpos_id(xpos, strlen(xpos)), buf, sizeof buf);
    return r ? r : w;
}

static void test_lemma_rules(void **state)
{
    (void)state;
    assert_string_equal(rule("cities", "NNS"), "city");
    assert_string_equal(rule("boxes", "NNS"), "box");
    assert_string_equal(rule("talks", "NNS"), "talk");
    assert_string_equal(rule("glass", "NN"), "glass");
    assert_string_equal(rule("stopped", "VBD"), "stop");
    assert_string_equal(rule("walked", "VBN"), "walk");
    assert_string_equal(rule("used", "VBN"), "use");
    assert_string_equal(rule("creating", "VBG"), "create");
    assert_string_equal(rule("running", "VBG"), "run");
    assert_string_equal(rule("bigger", "JJR"), "big");
    assert_string_equal(rule("happiest", "JJS"), "happy");
    assert_string_equal(rule("goes", "VBZ"), "go");
}

static tagger *load_or_skip(void)
{
    char err[512];
    tagger *t = tagger_load(TAGGER, err, sizeof err);
    if (!t)
        fprintf(stderr, "%s\n", err);
    assert_non_null(t);
    return t;
}

static void tag_text(const tagger *t, dyad_doc *doc)
{
    for (size_t i = 0; i < doc->nsents; i++)
        assert_int_equal(tagger_tag(t, doc, &doc->sents[i]), 0);
}

static void test_tag_sentences(void **state)
{
    (void)state;
    tagger *t = load_or_skip();
    dyad_doc *doc = tu_doc("The soldiers attacked the village. She didn't go home.");
    tag_text(t, doc);
    static const char *const upos[] = {"DET", "NOUN", "VERB", "DET", "NOUN", "PUNCT",
                                       "PRON", "AUX", "PART", "VERB", "ADV", "PUNCT"};
    static const char *const lemma[] = {"the", "soldier", "attack", "the", "village", ".",
                                        "she", "do", "not", "go", "home", "."};
    assert_int_equal(doc->ntoks, 12);
    for (size_t i = 0; i < doc->ntoks; i++) {
        assert_string_equal(upos_name(doc->toks[i].upos), upos[i]);
        assert_string_equal(doc->toks[i].lemma, lemma[i]);
    }
    assert_string_equal(xpos_name(doc->toks[2].xpos), "VBD");
    assert_string_equal(xpos_name(doc->toks[1].xpos), "NNS");
    dyad_doc_free(doc);
    /* proper nouns keep their form as lemma; irregular verbs come from the exception list */
    doc = tu_doc("Obama went to Paris.");
    tag_text(t, doc);
    assert_string_equal(upos_name(doc->toks[0].upos), "PROPN");
    assert_string_equal(doc->toks[0].lemma, "Obama");
    assert_string_equal(doc->toks[1].lemma, "go");
    dyad_doc_free(doc);
    tagger_free(t);
}

/* Writes the first n bytes of src (all if n == 0), optionally patching one
 * byte, to a temporary file whose path is returned. */
static const char *damaged_copy(const char *src, long n, long patch_at, unsigned char patch)
{
    static char path[64];
    snprintf(path, sizeof path, "/tmp/dyad-model-XXXXXX");
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    FILE *in = fopen(src, "rb");
    assert_non_null(in);
    FILE *out = fdopen(fd, "wb");
    assert_non_null(out);
    long i = 0;
    int c;
    while ((c = fgetc(in)) != EOF && (n == 0 || i < n)) {
        fputc(i == patch_at ? patch : c, out);
        i++;
    }
    fclose(in);
    fclose(out);
    return path;
}

static void expect_refused(const char *path, const char *needle)
{
    char err[512] = "";
    tagger *t = tagger_load(path, err, sizeof err);
    assert_null(t);
    if (!strstr(err, needle)) {
        fprintf(stderr, "error was: %s (wanted %s)\n", err, needle);
        fail();
    }
}

static void test_bad_model_files(void **state)
{
    (void)state;
    expect_refused("/nonexistent/tagger.bin", "No such file");
    expect_refused(PARSER, "bad magic"); /* a parser model is not a tagger model */
    const char *p = damaged_copy(TAGGER, 100000, -1, 0);
    expect_refused(p, "truncated");
    unlink(p);
    p = damaged_copy(TAGGER, 12, -1, 0);
    expect_refused(p, "truncated");
    unlink(p);
    p = damaged_copy(TAGGER, 0, 8, 99); /* version field */
    expect_refused(p, "version 99");
    unlink(p);
    p = damaged_copy(TAGGER, 0, 0, 'X');
    expect_refused(p, "bad magic");
    unlink(p);
}

/* Rows of every length (inline, long sparse, dense): lm_scores must add
 * exactly the exported weights, and features absent from the model nothing,
 * with the AVX2 lookup and the plain scan, in one part or two; lm_argmax
 * picks the first maximum. */
static void test_weight_table(void **state)
{
    (void)state;
    enum { NC = 40, NF = 3000 };
    lm_train t;
    assert_int_equal(lm_train_init(&t, NC), 0);
    t.c = 1;
    for (uint64_t f = 0; f < NF; f++) {
        int32_t r = lm_train_add(&t, lm_key(7, f, 0, 0));
        assert_true(r >= 0);
        t.count[r] = 5;
        unsigned len = (unsigned)(f % (NC + 1)); /* 0..NC weights */
        for (unsigned c = 0; c < len; c++)
            t.w[(size_t)r * NC + (c * 7 + f) % NC] = (int32_t)((f * 31 + c * 17) % 2001) - 1000;
    }
    t.w[0 * NC + 5] = 32000; /* scale = 1: quantized weights are the weights */
    lm m;
    assert_int_equal(lm_export(&t, &m, 1, (size_t)64 << 20), 0);
    assert_true(m.ndense > 0);
    assert_true(m.nbig > 1);
    uint64_t keys[80];
    int32_t got[NC], want[NC];
    for (uint64_t start = 0; start + 80 <= NF + 40; start += 37) {
        memset(want, 0, sizeof want);
        for (size_t k = 0; k < 80; k++) {
            keys[k] = lm_key(7, start + k, 0, 0); /* beyond NF: absent */
            int32_t r = lm_train_find(&t, keys[k]);
            for (unsigned c = 0; r >= 0 && c < NC; c++)
                want[c] += t.w[(size_t)r * NC + c];
        }
        uint32_t want_best = 0;
        for (uint32_t c = 1; c < NC; c++)
            if (want[c] > want[want_best])
                want_best = c;
        /* both lookups (AVX2 where the CPU has it, and the plain scan) */
        int simd = m.simd;
        for (int pass = 0; pass < 2; pass++) {
            m.simd = pass == 0 ? simd : 0;
            lm_scores(&m, keys, 80, got);
            assert_memory_equal(got, want, sizeof want);
            /* the same sums when the features are added in two parts */
            int32_t acc[64];
            assert_true(m.stride <= 64);
            memset(acc, 0, sizeof acc);
            lm_scores_add(&m, keys, 30, acc);
            lm_prefetch(&m, keys + 30, 50);
            lm_scores_add(&m, keys + 30, 50, acc);
            assert_memory_equal(acc, want, sizeof want);
            assert_int_equal(lm_argmax(&m, acc), want_best);
        }
        m.simd = simd;
    }
    /* lm_write -> lm_read round trip, then damaged copies: a long entry
     * pointing into the middle of a row, and a long row with too many cells */
    FILE *f = tmpfile();
    assert_non_null(f);
    bin_writer bw = {f, 0};
    lm_write(&bw, &m);
    assert_int_equal(bw.err, 0);
    long size = ftell(f);
    unsigned char *bytes = malloc((size_t)size);
    assert_non_null(bytes);
    rewind(f);
    assert_int_equal(fread(bytes, 1, (size_t)size, f), (size_t)size);
    fclose(f);
    char err[200];
    bin_reader br = {bytes, bytes + size, "t", err, sizeof err, 0};
    lm back;
    assert_int_equal(lm_read(&br, &back), 0);
    assert_true(br.p == br.end);
    lm_scores(&back, keys, 80, got);
    lm_scores(&m, keys, 80, want);
    assert_memory_equal(got, want, sizeof want);
    lm_free(&back);
    size_t tab_at = 24, big_at = tab_at + (size_t)m.nbucket * LM_BUCKET * 4, long_entry = 0;
    for (size_t w = 0; w < (size_t)m.nbucket * LM_BUCKET && !long_entry; w += LM_BUCKET) {
        for (uint32_t i = 1; i <= (m.tab[w] & 31);) {
            uint32_t c = m.tab[w + i] & 0xff;
            if (c == LM_LONG) {
                long_entry = w + i;
                break;
            }
            i += 1 + (c == LM_DENSE ? 1 : c);
        }
    }
    assert_true(long_entry > 0);
    bytes[tab_at + (long_entry + 1) * 4] += 1; /* offset + 1: inside the row */
    br = (bin_reader){bytes, bytes + size, "t", err, sizeof err, 0};
    assert_int_equal(lm_read(&br, &back), -1);
    assert_non_null(strstr(err, "corrupt weight table (bucket"));
    bytes[tab_at + (long_entry + 1) * 4] -= 1;
    bytes[big_at + 4] = NC + 1; /* the first long row: more cells than classes */
    br = (bin_reader){bytes, bytes + size, "t", err, sizeof err, 0};
    assert_int_equal(lm_read(&br, &back), -1);
    assert_non_null(strstr(err, "corrupt weight table (long row at word 1)"));
    free(bytes);
    /* ties go to the lowest class, whichever path finds them */
    int simd_cpu = m.simd;
    int32_t tie[64] = {0};
    tie[3] = tie[17] = tie[39] = 9;
    assert_int_equal(lm_argmax(&m, tie), 3);
    m.simd = 0;
    assert_int_equal(lm_argmax(&m, tie), 3);
    /* a class count that is not a multiple of 8: the maximum in the tail */
    m.nclass = 37;
    tie[35] = 12;
    tie[37] = 99; /* beyond nclass: never chosen */
    for (int pass = 0; pass < 2; pass++) {
        m.simd = pass == 0 ? simd_cpu : 0;
        assert_int_equal(lm_argmax(&m, tie), 35);
        tie[3] = 12;
        assert_int_equal(lm_argmax(&m, tie), 3);
        tie[3] = 9;
    }
    m.nclass = NC;
    lm_free(&m);
    lm_train_free(&t);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_tagsets),
        cmocka_unit_test(test_lemma_rules),
        cmocka_unit_test(test_tag_sentences),
        cmocka_unit_test(test_bad_model_files),
        cmocka_unit_test(test_weight_table),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
