/*
 * test_tree.c - the coder on dependency trees: subjects through relative
 * clauses and control, passives, objects, and modality read from the tree.
 * Trees are written by hand in CoNLL-U so that the test checks the coder,
 * not the parser.
 */
#include "testutil.h"
#include "dict/dict.h"
#include "io/conllu.h"

static const char *DICT =
    "[actors]\n"
    "MEX     Mexico\n"
    "USA     United States\n"
    "BRA     Brazil\n"
    "ARN     Arnor\n"
    "GON     Gondor\n"
    "MOR     Mordor\n"
    "[verbs]\n"
    "12   reject\n"
    "051  praise\n"
    "190  attack\n"
    "064  restore\n"
    "03   agree\n";

static dyad_dict *dict;

static int setup(void **state)
{
    (void)state;
    dict = tu_dict_string("tree.dict", DICT);
    return dict ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    dyad_dict_free(dict);
    return 0;
}

/* Codes one CoNLL-U sentence (gold tree) and renders the events. */
static const char *code_tree(const char *conllu, unsigned flags)
{
    static char out[1024];
    char err[256];
    dyad_doc *doc = dyad_doc_new();
    if (conllu_read_mem("t.conllu", conllu, strlen(conllu), doc, err, sizeof err))
        fail_msg("%s", err);
    doc->date = "2025-08-09";
    doc->ymd = 20250809;
    doc->id = "t";
    assert_int_equal(dyad_code(dict, doc, flags, err, sizeof err), 0);
    size_t k = 0;
    out[0] = '\0';
    for (size_t i = 0; i < dyad_doc_nevents(doc); i++) {
        const dyad_event *e = dyad_doc_event(doc, i);
        k += (size_t)snprintf(out + k, sizeof out - k, "%s%s>%s:%s", i ? " " : "", e->source,
                              e->target, e->code);
        if (e->modality != DYAD_ASSERTED)
            k += (size_t)snprintf(out + k, sizeof out - k, ":%s", dyad_modality_name(e->modality));
    }
    dyad_doc_free(doc);
    return out;
}

static void test_relative_clause(void **state)
{
    (void)state;
    /* Mexico, which praised Brazil, rejected the United States. */
    const char *t = "1\tMexico\tMexico\tPROPN\tNNP\t_\t7\tnsubj\t_\tSpaceAfter=No\n"
                    "2\t,\t,\tPUNCT\t,\t_\t1\tpunct\t_\t_\n"
                    "3\twhich\twhich\tPRON\tWDT\t_\t4\tnsubj\t_\t_\n"
                    "4\tpraised\tpraise\tVERB\tVBD\t_\t1\tacl:relcl\t_\t_\n"
                    "5\tBrazil\tBrazil\tPROPN\tNNP\t_\t4\tobj\t_\tSpaceAfter=No\n"
                    "6\t,\t,\tPUNCT\t,\t_\t1\tpunct\t_\t_\n"
                    "7\trejected\treject\tVERB\tVBD\t_\t0\troot\t_\t_\n"
                    "8\tthe\tthe\tDET\tDT\t_\t10\tdet\t_\t_\n"
                    "9\tUnited\tUnited\tPROPN\tNNP\t_\t10\tcompound\t_\t_\n"
                    "10\tStates\tStates\tPROPN\tNNP\t_\t7\tobj\t_\tSpaceAfter=No\n"
                    "11\t.\t.\tPUNCT\t.\t_\t7\tpunct\t_\t_\n\n";
    assert_string_equal(code_tree(t, 0), "MEX>BRA:051 MEX>USA:12");
}

static void test_passive(void **state)
{
    (void)state;
    /* Gondor was attacked by Mordor. */
    const char *t = "1\tGondor\tGondor\tPROPN\tNNP\t_\t3\tnsubj:pass\t_\t_\n"
                    "2\twas\tbe\tAUX\tVBD\t_\t3\taux:pass\t_\t_\n"
                    "3\tattacked\tattack\tVERB\tVBN\t_\t0\troot\t_\t_\n"
                    "4\tby\tby\tADP\tIN\t_\t5\tcase\t_\t_\n"
                    "5\tMordor\tMordor\tPROPN\tNNP\t_\t3\tobl:agent\t_\tSpaceAfter=No\n"
                    "6\t.\t.\tPUNCT\t.\t_\t3\tpunct\t_\t_\n\n";
    assert_string_equal(code_tree(t, 0), "MOR>GON:190");
}

static void test_control_and_modality(void **state)
{
    (void)state;
    /* Arnor agreed to restore ties with Gondor. */
    const char *t = "1\tArnor\tArnor\tPROPN\tNNP\t_\t2\tnsubj\t_\t_\n"
                    "2\tagreed\tagree\tVERB\tVBD\t_\t0\troot\t_\t_\n"
                    "3\tto\tto\tPART\tTO\t_\t4\tmark\t_\t_\n"
                    "4\trestore\trestore\tVERB\tVB\t_\t2\txcomp\t_\t_\n"
                    "5\tties\ttie\tNOUN\tNNS\t_\t4\tobj\t_\t_\n"
                    "6\twith\twith\tADP\tIN\t_\t7\tcase\t_\t_\n"
                    "7\tGondor\tGondor\tPROPN\tNNP\t_\t4\tobl\t_\tSpaceAfter=No\n"
                    "8\t.\t.\tPUNCT\t.\t_\t2\tpunct\t_\t_\n\n";
    /* the target of "agree" is found in its infinitival complement; "restore"
     * is intended, hidden by default */
    assert_string_equal(code_tree(t, 0), "ARN>GON:03");
    assert_string_equal(code_tree(t, DYAD_ALL_MODALITIES), "ARN>GON:03 ARN>GON:064:intended");
    /* Mexico did not plan to attack the United States. */
    const char *n = "1\tMexico\tMexico\tPROPN\tNNP\t_\t4\tnsubj\t_\t_\n"
                    "2\tdid\tdo\tAUX\tVBD\t_\t4\taux\t_\t_\n"
                    "3\tnot\tnot\tPART\tRB\t_\t4\tadvmod\t_\t_\n"
                    "4\tplan\tplan\tVERB\tVB\t_\t0\troot\t_\t_\n"
                    "5\tto\tto\tPART\tTO\t_\t6\tmark\t_\t_\n"
                    "6\tattack\tattack\tVERB\tVB\t_\t4\txcomp\t_\t_\n"
                    "7\tthe\tthe\tDET\tDT\t_\t9\tdet\t_\t_\n"
                    "8\tUnited\tUnited\tPROPN\tNNP\t_\t9\tcompound\t_\t_\n"
                    "9\tStates\tStates\tPROPN\tNNP\t_\t6\tobj\t_\tSpaceAfter=No\n"
                    "10\t.\t.\tPUNCT\t.\t_\t4\tpunct\t_\t_\n\n";
    assert_string_equal(code_tree(n, 0), "");
    assert_string_equal(code_tree(n, DYAD_ALL_MODALITIES), "MEX>USA:190:negated");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_relative_clause),
        cmocka_unit_test(test_passive),
        cmocka_unit_test(test_control_and_modality),
    };
    return cmocka_run_group_tests_name("tree", tests, setup, teardown);
}
