/*
 * test_dict.c - the native dictionary format: sections, phrases, inflection,
 * dated codes, and errors that name file:line.
 */
#include "testutil.h"
#include "dict/dict.h"
#include "dict/inflect.h"

static dyad_dict *load(const char *text, char *err, size_t errlen)
{
    dyad_dict *d = dict_new();
    assert_non_null(d);
    if (dict_load_string(d, "t.dict", text, strlen(text), err, errlen) ||
        dict_finish(d, err, errlen)) {
        dyad_dict_free(d);
        return NULL;
    }
    return d;
}

static void expect_error(const char *text, const char *msg)
{
    char err[512] = "";
    dyad_dict *d = load(text, err, sizeof err);
    if (d) {
        dyad_dict_free(d);
        fail_msg("expected error '%s' for:\n%s", msg, text);
    }
    if (!strstr(err, msg))
        fail_msg("got '%s', expected '%s'", err, msg);
}

static const dict_entry *find_actor(const dyad_dict *d, const char *phrase)
{
    uint32_t id = intern_get(&d->words, phrase, strlen(phrase));
    dict_range r = dict_word_entries(d, id);
    for (size_t k = 0; k < r.n; k++) {
        const dict_entry *e = &d->entries[r.ids[k]];
        if (e->nelem == 1 && (e->kind == ENT_ACTOR || e->kind == ENT_AGENT))
            return e;
    }
    return NULL;
}

static void test_inflect(void **state)
{
    (void)state;
    char f[5][INFLECT_MAX];
    static const char *const cases[][5] = {
        {"praise", "praises", "praised", "praised", "praising"},
        {"reject", "rejects", "rejected", "rejected", "rejecting"},
        {"stand", "stands", "stood", "stood", "standing"},
        {"deny", "denies", "denied", "denied", "denying"},
        {"ban", "bans", "banned", "banned", "banning"},
        {"commit", "commits", "committed", "committed", "committing"},
        {"visit", "visits", "visited", "visited", "visiting"},
        {"accuse", "accuses", "accused", "accused", "accusing"},
        {"agree", "agrees", "agreed", "agreed", "agreeing"},
        {"threaten", "threatens", "threatened", "threatened", "threatening"},
        {"fix", "fixes", "fixed", "fixed", "fixing"},
        {"go", "goes", "went", "gone", "going"},
        {"seize", "seizes", "seized", "seized", "seizing"},
        {"die", "dies", "died", "died", "dying"},
        {"play", "plays", "played", "played", "playing"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        assert_int_equal(inflect_verb(cases[i][0], f), 5);
        for (int k = 0; k < 5; k++)
            if (strcmp(f[k], cases[i][k]) != 0)
                fail_msg("%s form %d: got %s, expected %s", cases[i][0], k, f[k], cases[i][k]);
    }
    char p[INFLECT_MAX];
    inflect_plural("cartel", p);
    assert_string_equal(p, "cartels");
    inflect_plural("policeman", p);
    assert_string_equal(p, "policemen");
    inflect_plural("militia", p);
    assert_string_equal(p, "militias");
    inflect_plural("secretary", p);
    assert_string_equal(p, "secretaries");
    inflect_plural("church", p);
    assert_string_equal(p, "churches");
}

static void test_actors_and_dates(void **state)
{
    (void)state;
    char err[512];
    dyad_dict *d = load("[actors]\n"
                        "MEX   Mexico; Mexican # comment\n"
                        "  Mexicans\n"
                        "USAGOV 2017-01-20..2021-01-20  Trump\n"
                        "USAGOV 2025-01-20..  Trump\n"
                        "USAELI   Trump\n"
                        "MEXGOV ..2024-10-01  AMLO\n",
                        err, sizeof err);
    assert_non_null(d);
    const dict_entry *e = find_actor(d, "mexicans");
    assert_non_null(e);
    assert_string_equal(dict_code_on(e, 20250101), "MEX");
    e = find_actor(d, "trump");
    assert_non_null(e);
    assert_int_equal(e->ncodes, 3);
    assert_string_equal(dict_code_on(e, 20170120), "USAGOV");
    assert_string_equal(dict_code_on(e, 20210119), "USAGOV");
    assert_string_equal(dict_code_on(e, 20210120), "USAELI"); /* TO is exclusive */
    assert_string_equal(dict_code_on(e, 20250120), "USAGOV");
    assert_string_equal(dict_code_on(e, 20100101), "USAELI");
    assert_non_null(strstr(e->rule, "t.dict:4"));
    e = find_actor(d, "amlo");
    assert_non_null(e);
    assert_null(dict_code_on(e, 20250101)); /* name known, but no code after the range */
    assert_string_equal(dict_code_on(e, 20200101), "MEXGOV");
    dyad_dict_free(d);
}

static void test_agents_plural(void **state)
{
    (void)state;
    char err[512];
    dyad_dict *d = load("[agents]\nCRM  cartel\nGOV  secretary* of state\n", err, sizeof err);
    assert_non_null(d);
    assert_non_null(find_actor(d, "cartel"));
    assert_non_null(find_actor(d, "cartels"));
    uint32_t id = intern_get(&d->words, "secretaries", 11);
    assert_true(id != 0);
    assert_int_equal(dict_word_entries(d, id).n, 1);
    dyad_dict_free(d);
}

static void test_verbs(void **state)
{
    (void)state;
    char err[512];
    dyad_dict *d = load("[verbs]\n12  reject; rule ... out; stand firm against; firmly oppose*\n"
                        "042:043 visit\n---  rule\n[nouns]\n06:06  effort* between $ and +\n",
                        err, sizeof err);
    assert_non_null(d);
    uint32_t stood = intern_get(&d->words, "stood", 5);
    uint32_t stand = intern_get(&d->words, "stand", 5);
    assert_true(stood && stand);
    dict_range lem = dict_form_lemmas(d, stood);
    assert_int_equal(lem.n, 1);
    assert_int_equal(lem.ids[0], stand);
    dict_range v = dict_verb_entries(d, stand);
    assert_int_equal(v.n, 1);
    assert_string_equal(d->entries[v.ids[0]].code, "12");
    /* "rule ... out" sorts before the null "rule" (longer first) */
    uint32_t rule = intern_get(&d->words, "rule", 4);
    v = dict_verb_entries(d, rule);
    assert_int_equal(v.n, 2);
    assert_int_equal(d->entries[v.ids[0]].nelem, 3);
    assert_string_equal(d->entries[v.ids[1]].code, "");
    /* "firmly oppose*": oppose is the verb */
    uint32_t oppose = intern_get(&d->words, "oppose", 6);
    assert_int_equal(dict_verb_entries(d, oppose).n, 1);
    /* visit has a reverse code */
    v = dict_verb_entries(d, intern_get(&d->words, "visit", 5));
    assert_string_equal(d->entries[v.ids[0]].rcode, "043");
    /* noun with plural */
    assert_int_equal(dict_word_entries(d, intern_get(&d->words, "efforts", 7)).n, 1);
    dyad_dict_free(d);
}

static void test_errors(void **state)
{
    (void)state;
    expect_error("MEX Mexico\n", "t.dict:1: entry before any section header");
    expect_error("[actors]\n[people]\n", "t.dict:2: unknown section '[people]'");
    expect_error("[actors]\nmex Mexico\n", "t.dict:2: 'mex' is not an actor code");
    expect_error("[actors]\nMEX\n", "t.dict:2: code 'MEX' has no phrases");
    expect_error("[actors]\nMEX 2025-02-30.. Mexico\n", "t.dict:2: bad date range");
    expect_error("[actors]\nMEX 2025-01-01..2024-01-01 Mexico\n", "bad date range");
    expect_error("[verbs]\n0599 praise\n", "t.dict:2: '0599' is not a CAMEO event code");
    expect_error("[verbs]\n051 praise\n\n12 praise\n", "t.dict:4: 'praise' is already coded [051] at t.dict:2");
    expect_error("[agents]\nGOV 2020-01-01.. president\n", "date ranges are only allowed in [actors]");
    expect_error("[actors]\nMEX $ Mexico\n", "only allowed in verb and noun patterns");
    expect_error("[verbs]\n12 reject ...\n", "starts or ends with '...'");
    expect_error("[verbs]\n12 firmly* reject*\n", "more than one word with '*'");
    expect_error("  indented\n", "t.dict:1: entry before any section header");
    expect_error("[verbs]\n  reject\n", "indented line does not continue an entry");
    expect_error("[actors]\nMEX M\xff" "xico\n", "t.dict:2: invalid UTF-8");
    expect_error("[actors]\nMEX a b c d e f g h i j k l m n o p q r\n", "more than 16 words");
}

static void test_synsets(void **state)
{
    (void)state;
    char err[512];
    dyad_dict *d = load("[synsets]\n&currency  dollar; euro; swiss franc\n  peso\n"
                        "[verbs]\n071  contribute ... &currency\n"
                        "[nouns]\n---  Procter & Gamble\n",
                        err, sizeof err);
    if (!d)
        fail_msg("%s", err);
    uint32_t contribute = intern_get(&d->words, "contribute", 10);
    /* one pattern per member */
    assert_int_equal(dict_verb_entries(d, contribute).n, 4);
    assert_true(intern_get(&d->words, "franc", 5) != 0);
    assert_true(intern_get(&d->words, "peso", 4) != 0);
    dyad_dict_free(d);
    expect_error("[verbs]\n071  contribute ... &money\n", "t.dict:2: unknown synset '&money'");
    expect_error("[synsets]\ncurrency dollar\n", "t.dict:2: a synset line starts with &name");
    expect_error("[synsets]\n&a  b &c\n", "synset members are plain phrases");
}

static void test_exact_case(void **state)
{
    (void)state;
    char err[512];
    dyad_dict *d = load("[actors]\nUSA  \"US\"; U.S.\nIGOWHO  \"WHO\"\n", err, sizeof err);
    if (!d)
        fail_msg("%s", err);
    uint32_t us = intern_get(&d->words, "us", 2);
    dict_range r = dict_word_entries(d, us);
    assert_int_equal(r.n, 1);
    assert_non_null(d->entries[r.ids[0]].forms);
    assert_string_equal(d->entries[r.ids[0]].forms[0], "US");
    dyad_dict_free(d);
    expect_error("[verbs]\n12 \"Reject\"\n", "exact-case");
}

static void test_load_dir(void **state)
{
    (void)state;
    char err[512];
    dyad_dict *d = dyad_dict_load("/nonexistent-dir", err, sizeof err);
    assert_null(d);
    assert_non_null(strstr(err, "/nonexistent-dir: cannot open dictionary directory"));
    /* dyad's own dictionaries load (tests run from the repository root) */
    d = dyad_dict_load("data/dict", err, sizeof err);
    if (!d)
        fail_msg("%s", err);
    assert_true(d->nentries > 10);
    dyad_dict_free(d);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_inflect), cmocka_unit_test(test_actors_and_dates),
        cmocka_unit_test(test_agents_plural), cmocka_unit_test(test_verbs),
        cmocka_unit_test(test_errors), cmocka_unit_test(test_synsets),
        cmocka_unit_test(test_exact_case),
        cmocka_unit_test(test_load_dir),
    };
    return cmocka_run_group_tests_name("dict", tests, NULL, NULL);
}
