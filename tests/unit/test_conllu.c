/*
 * test_conllu.c - the CoNLL-U reader and writer: multi-word tokens, empty
 * nodes, raw-text reconstruction with byte offsets, and every kind of bad
 * line reported as file:line.
 */
#include "testutil.h"
#include "io/conllu.h"
#include "tag/tagset.h"

#include <unistd.h>

static const char TWO[] =
    "# newdoc id = d1\n"
    "# text = I don't know.\n"
    "1\tI\tI\tPRON\tPRP\t_\t4\tnsubj\t_\t_\n"
    "2-3\tdon't\t_\t_\t_\t_\t_\t_\t_\t_\n"
    "2\tdo\tdo\tAUX\tVBP\t_\t4\taux\t_\t_\n"
    "3\tn't\tnot\tPART\tRB\t_\t4\tadvmod\t_\t_\n"
    "4\tknow\tknow\tVERB\tVB\t_\t0\troot\t_\tSpaceAfter=No\n"
    "4.1\tknew\tknow\tVERB\tVBD\t_\t_\t_\t4:conj\t_\n"
    "5\t.\t.\tPUNCT\t.\t_\t4\tpunct\t_\t_\n"
    "\n"
    "# newpar\n"
    "1\tYes\tyes\tINTJ\tUH\t_\t0\troot\t_\tSpaceAfter=No\n"
    "2\t!\t!\tPUNCT\t.\t_\t1\tpunct\t_\t_\n"
    "\n";

static void test_read_mwt_and_text(void **state)
{
    (void)state;
    dyad_doc *doc = dyad_doc_new();
    char err[256];
    assert_int_equal(conllu_read_mem("mem", TWO, sizeof TWO - 1, doc, err, sizeof err), 0);
    assert_int_equal(doc->nsents, 2);
    assert_int_equal(doc->ntoks, 7); /* the empty node 4.1 is skipped */
    assert_string_equal(doc->text, "I don't know.\n\nYes!");
    /* do + n't slice the surface "don't" */
    assert_string_equal(doc->toks[1].form, "do");
    assert_int_equal(doc->toks[1].start, 2);
    assert_int_equal(doc->toks[1].end, 4);
    assert_int_equal(doc->toks[2].start, 4);
    assert_int_equal(doc->toks[2].end, 7);
    assert_string_equal(doc->toks[2].lemma, "not");
    assert_int_equal(doc->toks[0].head, 3);
    assert_int_equal(doc->toks[3].head, -1);
    assert_int_equal(doc->toks[3].deprel, deprel_id("root", 4));
    assert_int_equal(doc->toks[2].upos, UPOS_PART);
    assert_string_equal(xpos_name(doc->toks[1].xpos), "VBP");
    assert_int_equal(doc->sents[1].start, 15);
    assert_int_equal(doc->sents[1].end, 19);
    dyad_doc_free(doc);
}

static void expect_error(const char *data, const char *needle)
{
    dyad_doc *doc = dyad_doc_new();
    char err[256] = "";
    assert_int_equal(conllu_read_mem("bad.conllu", data, strlen(data), doc, err, sizeof err), -1);
    if (!strstr(err, needle)) {
        fprintf(stderr, "error was: %s (wanted %s)\n", err, needle);
        fail();
    }
    dyad_doc_free(doc);
}

static void test_errors(void **state)
{
    (void)state;
    expect_error("1\tA\ta\tDET\tDT\t_\t0\troot\t_\n", "bad.conllu:1: expected 10");
    expect_error("1\tA\ta\tDET\tDT\t_\t0\troot\t_\t_\n3\tB\tb\tNOUN\tNN\t_\t1\tdep\t_\t_\n",
                 "bad.conllu:2: word ids must be consecutive");
    expect_error("1\tA\ta\tDET\tDT\t_\t5\tdet\t_\t_\n\n", "HEAD points past");
    /* a HEAD cycle (no path to the root) is not a tree */
    expect_error("1\tA\ta\tDET\tDT\t_\t2\tdet\t_\t_\n2\tB\tb\tNOUN\tNN\t_\t3\tdep\t_\t_\n"
                 "3\tC\tc\tNOUN\tNN\t_\t2\tdep\t_\t_\n\n",
                 "bad.conllu:4: HEAD cycle: word 2 does not reach the root");
    expect_error("1\tA\ta\tDET\tDT\t_\tx\tdet\t_\t_\n", "HEAD must be");
    expect_error("1\tA\ta\tDET\tDT\t_\t1\tdet\t_\t_\n", "its own HEAD");
    expect_error("1\tA\ta\tFOO\tDT\t_\t0\troot\t_\t_\n", "unknown UPOS");
    expect_error("1\tA\ta\tDET\tDT\t_\t0\tnonsense\t_\t_\n", "unknown DEPREL");
    expect_error("1\t\xff\ta\tDET\tDT\t_\t0\troot\t_\t_\n", "invalid UTF-8");
    expect_error("1-2\tdon't\t_\t_\t_\t_\t_\t_\t_\t_\n1\tdo\tdo\tAUX\tVBP\t_\t0\troot\t_\t_\n\n",
                 "extends past the end");
}

static void test_unknown_subtype_and_unannotated(void **state)
{
    (void)state;
    const char *data = "1\tGo\tgo\tVERB\tVB\t_\t0\troot\t_\t_\n"
                       "2\thome\thome\tADV\tRB\t_\t1\tadvmod:foo\t_\t_\n\n"
                       "1\tHi\t_\t_\t_\t_\t_\t_\t_\t_\n";
    dyad_doc *doc = dyad_doc_new();
    char err[256];
    assert_int_equal(conllu_read_mem("m", data, strlen(data), doc, err, sizeof err), 0);
    assert_int_equal(doc->nsents, 2); /* the last sentence ends at end of input */
    assert_int_equal(doc->toks[1].deprel, deprel_id("advmod", 6));
    assert_int_equal(doc->toks[2].head, -2);
    assert_int_equal(doc->toks[2].upos, 0);
    assert_null(doc->toks[2].lemma);
    dyad_doc_free(doc);
}

static void test_write_roundtrip(void **state)
{
    (void)state;
    dyad_doc *doc = dyad_doc_new(), *back = dyad_doc_new();
    char err[256];
    assert_int_equal(conllu_read_mem("mem", TWO, sizeof TWO - 1, doc, err, sizeof err), 0);
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    assert_non_null(f);
    for (size_t i = 0; i < doc->nsents; i++)
        conllu_write_sentence(f, doc, &doc->sents[i], "s");
    fclose(f);
    assert_non_null(strstr(buf, "# text = I don't know.\n"));
    assert_int_equal(conllu_read_mem("out", buf, len, back, err, sizeof err), 0);
    assert_int_equal(back->ntoks, doc->ntoks);
    for (size_t i = 0; i < doc->ntoks; i++) {
        assert_string_equal(back->toks[i].form, doc->toks[i].form);
        assert_int_equal(back->toks[i].head, doc->toks[i].head);
        assert_int_equal(back->toks[i].deprel, doc->toks[i].deprel);
        assert_int_equal(back->toks[i].upos, doc->toks[i].upos);
    }
    free(buf);
    dyad_doc_free(doc);
    dyad_doc_free(back);
}

static void test_missing_file(void **state)
{
    (void)state;
    dyad_doc *doc = dyad_doc_new();
    char err[256];
    assert_int_equal(conllu_read("/nonexistent/x.conllu", doc, err, sizeof err), -1);
    assert_non_null(strstr(err, "/nonexistent/x.conllu"));
    dyad_doc_free(doc);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_read_mwt_and_text),
        cmocka_unit_test(test_errors),
        cmocka_unit_test(test_unknown_subtype_and_unannotated),
        cmocka_unit_test(test_write_roundtrip),
        cmocka_unit_test(test_missing_file),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
