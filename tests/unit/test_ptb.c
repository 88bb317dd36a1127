/*
 * test_ptb.c - Penn Treebank bracketed trees to dependencies: head rules,
 * relation guesses, empty elements, escapes and malformed input.
 */
#include "testutil.h"
#include "io/ptb.h"
#include "tag/tagset.h"

static dyad_doc *read_ok(const char *s)
{
    dyad_doc *doc = dyad_doc_new();
    char err[256];
    int rc = ptb_read_mem("mem", s, strlen(s), doc, err, sizeof err);
    if (rc)
        fprintf(stderr, "%s\n", err);
    assert_int_equal(rc, 0);
    return doc;
}

static void arc(const dyad_doc *doc, size_t dep, int head, const char *rel)
{
    assert_int_equal(doc->toks[dep].head, head);
    assert_string_equal(doc->toks[dep].head == -1 ? "root" : deprel_name(doc->toks[dep].deprel),
                        rel);
}

static void test_simple_tree(void **state)
{
    (void)state;
    dyad_doc *doc = read_ok(
        "(ROOT (S (NP (DT The) (NNS rebels)) (VP (MD will) (VP (VB attack) (NP (DT the) "
        "(NN village)) (PP (IN in) (NP (NNP May))))) (. .)))\n"
        "( (S (NP-SBJ (NNP Iran)) (VP (VBD signed) (NP (-NONE- *T*-1))) (. .)) )\n");
    assert_int_equal(doc->nsents, 2);
    assert_int_equal(doc->ntoks, 12);
    /* The rebels will attack the village in May . */
    arc(doc, 0, 1, "det");
    arc(doc, 1, 3, "nsubj");
    arc(doc, 2, 3, "aux");
    arc(doc, 3, -1, "root");
    arc(doc, 4, 5, "det");
    arc(doc, 5, 3, "obj");
    arc(doc, 6, 7, "case");
    arc(doc, 7, 3, "obl");
    arc(doc, 8, 3, "punct");
    assert_int_equal(doc->toks[2].upos, UPOS_AUX);
    assert_string_equal(xpos_name(doc->toks[7].xpos), "NNP");
    assert_int_equal(doc->toks[7].upos, UPOS_PROPN);
    /* second tree: the empty element is dropped, the function tag ignored */
    assert_string_equal(doc->toks[9].form, "Iran");
    assert_int_equal(doc->toks[9].head, 1);
    assert_int_equal(doc->toks[10].head, -1);
    assert_int_equal(doc->sents[1].ntok, 3);
    assert_string_equal(doc->text,
                        "The rebels will attack the village in May .\nIran signed .\n");
    dyad_doc_free(doc);
}

static void test_escapes(void **state)
{
    (void)state;
    dyad_doc *doc = read_ok("(S (NP (NNP Ankara)) (PRN (-LRB- -LRB-) (NNP Turkey) (-RRB- -RRB-)))");
    assert_string_equal(doc->toks[1].form, "(");
    assert_string_equal(doc->toks[3].form, ")");
    dyad_doc_free(doc);
}

static void expect_error(const char *s, const char *needle)
{
    dyad_doc *doc = dyad_doc_new();
    char err[256] = "";
    assert_int_equal(ptb_read_mem("bad.ptb", s, strlen(s), doc, err, sizeof err), -1);
    if (!strstr(err, needle)) {
        fprintf(stderr, "error was: %s (wanted %s)\n", err, needle);
        fail();
    }
    dyad_doc_free(doc);
}

static void test_errors(void **state)
{
    (void)state;
    expect_error("(S (NP (NN a))", "bad.ptb:1: unbalanced '('");
    expect_error("(S (NN a)))\n", "unbalanced ')'");
    expect_error("word", "word outside a tree");
    expect_error("(S (NN a b))", "expected '(' or ')'");
    expect_error("(S\n(NN \xff))", "bad.ptb:2: invalid UTF-8");
    /* nesting bomb: refused, not a stack overflow */
    size_t n = 5000;
    char *deep = malloc(n * 2 + 16);
    assert_non_null(deep);
    for (size_t i = 0; i < n; i++)
        deep[i] = '(';
    memcpy(deep + n, "NN a", 4);
    for (size_t i = 0; i < n; i++)
        deep[n + 4 + i] = ')';
    deep[2 * n + 4] = '\0';
    expect_error(deep, "deeper than 1000");
    free(deep);
    /* a NUL byte is refused, not looped on forever (fuzz finding, tests/fuzz/corpus/ptb/) */
    static const char nul[] = "(S (NP (-NONE- *\0) (NN a)))\n(S\n(NN \0b))";
    dyad_doc *doc = dyad_doc_new();
    char err[256] = "";
    assert_int_equal(ptb_read_mem("bad.ptb", nul, sizeof nul - 1, doc, err, sizeof err), -1);
    assert_non_null(strstr(err, "bad.ptb:1: NUL byte"));
    dyad_doc_free(doc);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_simple_tree),
        cmocka_unit_test(test_escapes),
        cmocka_unit_test(test_errors),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
