/*
 * test_code.c - the sentence coder: actor composition, slots, nearest-actor
 * defaults, dated codes, negation and modality, provenance.
 */
#include "testutil.h"
#include "dict/dict.h"

static const char *DICT =
    "[actors]\n"
    "MEX     Mexico; Mexican; Mexicans\n"
    "USA     United States; U.S.; American\n"
    "USAMIL  Pentagon\n"
    "BRA     Brazil; Brazilian\n"
    "MEXGOV 2024-10-01..  Claudia Sheinbaum; Sheinbaum\n"
    "USAGOV 2025-01-20..  Donald Trump; Trump\n"
    "USAGOV 2025-04-01..  Ronald Johnson\n"
    "[agents]\n"
    "GOV  president; ambassador; government\n"
    "COP  police\n"
    "CRM  drug cartel; cartel\n"
    "MIL  military\n"
    "LEG  lawmaker\n"
    "[verbs]\n"
    "12   reject; rule out; stand firm against\n"
    "051  praise\n"
    "173  arrest\n"
    "190  attack\n"
    "042:043  visit\n"
    "06   cooperate\n"
    "[nouns]\n"
    "06:06  collaborative effort between $ and +\n"
    "[discards]\n"
    "world cup\n";

static dyad_dict *dict;

static int setup(void **state)
{
    (void)state;
    dict = tu_dict_string("test.dict", DICT);
    return dict ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    dyad_dict_free(dict);
    return 0;
}

/* Codes text and renders its events as "SRC>TGT:CODE[:modality]" joined by ' '. */
static const char *code(const char *text, const char *date, unsigned flags)
{
    static char out[2048];
    char err[256];
    dyad_doc *doc = dyad_doc_new();
    assert_int_equal(dyad_doc_set(doc, "t", date, "", "", text, strlen(text), err, sizeof err), 0);
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

static void test_nearest_actors(void **state)
{
    (void)state;
    assert_string_equal(code("Mexico has stood firm against any intervention from the United States.",
                             "2025-08-09", 0),
                        "MEX>USA:12");
    assert_string_equal(code("Mexico praised the United States.", "2025-08-09", 0), "MEX>USA:051");
    assert_string_equal(code("Sheinbaum rejected it.", "2025-08-09", 0), "MEXGOV>:12");
    /* no source: nothing is coded */
    assert_string_equal(code("It was rejected by nobody.", "2025-08-09", 0), "");
}

static void test_composition(void **state)
{
    (void)state;
    assert_string_equal(code("Mexican police arrested drug cartel members.", "2025-08-09", 0),
                        "MEXCOP>---CRM:173");
    assert_string_equal(code("Mexico's president praised American police.", "2025-08-09", 0),
                        "MEXGOV>USACOP:051");
    assert_string_equal(code("The president of Mexico praised the Pentagon.", "2025-08-09", 0),
                        "MEXGOV>USAMIL:051");
    /* the posting of an ambassador is not his country */
    assert_string_equal(code("US Ambassador to Mexico Ronald Johnson praised Sheinbaum.",
                             "2025-08-09", 0),
                        "USAGOV>MEXGOV:051");
    /* a bare agent modifying a noun is not an actor */
    assert_string_equal(code("Mexico rejected military intervention.", "2025-08-09", 0),
                        "MEX>:12");
}

static void test_compounds(void **state)
{
    (void)state;
    const char *d = "2025-08-09";
    assert_string_equal(code("Mexico and the United States praised Brazil.", d, 0),
                        "MEX>BRA:051 USA>BRA:051");
    assert_string_equal(code("Brazil praised Mexico, the United States and the Pentagon.", d, 0),
                        "BRA>MEX:051 BRA>USA:051 BRA>USAMIL:051");
    /* cooperation within a list of subjects with no object */
    assert_string_equal(code("Mexico and Brazil cooperated.", d, 0), "MEX>BRA:06 BRA>MEX:06");
    /* agents distributed over a list of countries */
    assert_string_equal(code("Lawmakers in Mexico and Brazil praised the United States.", d, 0),
                        "MEXLEG>USA:051 BRALEG>USA:051");
    /* coordinated demonyms share the agent: "Mexican and Brazilian police" */
    assert_string_equal(code("Mexican and Brazilian police praised the United States.", d, 0),
                        "MEXCOP>USA:051 BRACOP>USA:051");
    /* a list is not formed across a verb or a semicolon */
    assert_string_equal(code("Mexico praised Brazil; the United States rejected it.", d, 0),
                        "MEX>BRA:051 USA>:12");
}

static void test_names_and_pronouns(void **state)
{
    (void)state;
    static const char *text = "[actors]\nMEXGOV 2024-10-01.. Claudia Sheinbaum\n"
                              "USA United States\nETH Ethiopia\nLBY Libya\n"
                              "[agents]\nGOV president\n"
                              "[verbs]\n12 reject\n051 praise\n06 cooperate\n";
    char err[256];
    dyad_dict *d = dict_new();
    assert_int_equal(dict_load_string(d, "n.dict", text, strlen(text), err, sizeof err), 0);
    assert_int_equal(dict_finish(d, err, sizeof err), 0);
    dyad_dict *saved = dict;
    dict = d;
    const char *day = "2025-08-09";
    /* surname only, after the full name */
    assert_string_equal(code("Claudia Sheinbaum spoke. Later Sheinbaum rejected the United States.",
                             day, 0),
                        "MEXGOV>USA:12");
    /* a misspelt surname, within one edit of a person named earlier */
    assert_string_equal(code("Claudia Sheinbaum spoke. Then Heinbaum praised the United States.",
                             day, 0),
                        "MEXGOV>USA:051");
    /* ... but not without the earlier mention, nor for a distant name */
    assert_string_equal(code("Heinbaum praised the United States.", day, 0), "");
    assert_string_equal(code("Claudia Sheinbaum spoke. Then Hernandez praised the United States.",
                             day, 0),
                        "");
    /* pronouns: a person for she, a state for it, across sentences */
    assert_string_equal(code("Claudia Sheinbaum spoke. She rejected the United States.", day, 0),
                        "MEXGOV>USA:12");
    assert_string_equal(code("Ethiopia indicated it praised Libya.", day, 0), "ETH>LBY:051");
    assert_string_equal(code("It is clear that Ethiopia praised Libya.", day, 0), "ETH>LBY:051");
    /* "the two leaders": the last two people named, acting with each other */
    assert_string_equal(code("Claudia Sheinbaum met Ethiopia's president. The two leaders cooperated.",
                             day, 0),
                        "MEXGOV>ETHGOV:06 ETHGOV>MEXGOV:06");
    /* the provenance says how the actor was found */
    const char *t = "Claudia Sheinbaum spoke. Then Heinbaum praised the United States.";
    dyad_doc *doc = dyad_doc_new();
    assert_int_equal(dyad_doc_set(doc, "t", day, "", "", t, strlen(t), err, sizeof err), 0);
    assert_int_equal(dyad_code(dict, doc, 0, err, sizeof err), 0);
    assert_int_equal(dyad_doc_nevents(doc), 1);
    assert_non_null(strstr(dyad_doc_event(doc, 0)->source_rule, "fuzzy(Heinbaum~sheinbaum): n.dict:2"));
    dyad_doc_free(doc);
    dict = saved;
    dyad_dict_free(d);
}

/* "Q0:SPEAKER" for each quotation, then the events with the quotation they are in. */
static const char *quotes_of(const dyad_dict *d, const char *text)
{
    static char out[1024];
    char err[256];
    dyad_doc *doc = dyad_doc_new();
    assert_int_equal(dyad_doc_set(doc, "t", "2025-08-09", "", "", text, strlen(text), err,
                                  sizeof err), 0);
    assert_int_equal(dyad_code(d, doc, 0, err, sizeof err), 0);
    size_t k = 0;
    out[0] = '\0';
    for (size_t i = 0; i < dyad_doc_nquotes(doc); i++) {
        const dyad_quote *q = dyad_doc_quote(doc, i);
        k += (size_t)snprintf(out + k, sizeof out - k, "%sQ%zu:%s[%.*s]", k ? " " : "", i,
                              q->speaker, (int)(q->cue.end - q->cue.start), text + q->cue.start);
    }
    for (size_t i = 0; i < dyad_doc_nevents(doc); i++) {
        const dyad_event *e = dyad_doc_event(doc, i);
        k += (size_t)snprintf(out + k, sizeof out - k, " %s>%s:%s", e->source, e->target, e->code);
        if (e->quote >= 0)
            k += (size_t)snprintf(out + k, sizeof out - k, "@Q%d", e->quote);
    }
    dyad_doc_free(doc);
    return out;
}

static void test_quotes(void **state)
{
    (void)state;
    static const char *text = "[actors]\nMEXGOV 2024-10-01.. Claudia Sheinbaum; Sheinbaum\n"
                              "USA United States\nMEX Mexico\n"
                              "[verbs]\n12 reject\n06 cooperate; co-operate\n";
    char err[256];
    dyad_dict *d = dict_new();
    assert_int_equal(dict_load_string(d, "q.dict", text, strlen(text), err, sizeof err), 0);
    assert_int_equal(dict_finish(d, err, sizeof err), 0);
    /* speaker before the quotation; first person is the speaker */
    assert_string_equal(
        quotes_of(d, "Sheinbaum said, \xe2\x80\x9cWe reject the plan of the United States.\xe2\x80\x9d"),
        "Q0:MEXGOV[said] MEXGOV>USA:12@Q0");
    /* speaker after it, as a pronoun or a name; straight quotes */
    assert_string_equal(
        quotes_of(d, "Claudia Sheinbaum spoke. \"We reject the United States,\" she said."),
        "Q0:MEXGOV[said] MEXGOV>USA:12@Q0");
    assert_string_equal(quotes_of(d, "\"We reject the United States,\" said Sheinbaum."),
                        "Q0:MEXGOV[said] MEXGOV>USA:12@Q0");
    assert_string_equal(quotes_of(d, "\"We reject the United States,\" according to Sheinbaum."),
                        "Q0:MEXGOV[according to] MEXGOV>USA:12@Q0");
    /* a quotation over two sentences: "we" cooperate with the party named before */
    assert_string_equal(
        quotes_of(d, "Sheinbaum clarified, \xe2\x80\x9cThe United States is not coming to Mexico. "
                     "We co-operate, we collaborate.\xe2\x80\x9d"),
        "Q0:MEXGOV[clarified] MEXGOV>USA:06@Q0");
    /* unattributed: first person stays unresolved */
    assert_string_equal(quotes_of(d, "\"We reject the United States.\""), "Q0:[]");
    /* an unclosed quotation ends with its paragraph */
    assert_string_equal(quotes_of(d, "Sheinbaum said: \"We reject the United States.\n\nMexico spoke."),
                        "Q0:MEXGOV[said] MEXGOV>USA:12@Q0");
    dyad_dict_free(d);
}

static void test_exact_case_actor(void **state)
{
    (void)state;
    static const char *text = "[actors]\nUSA \"US\"\nMEX Mexico\n[verbs]\n051 praise\n";
    char err[256];
    dyad_dict *d = dict_new();
    assert_int_equal(dict_load_string(d, "c.dict", text, strlen(text), err, sizeof err), 0);
    assert_int_equal(dict_finish(d, err, sizeof err), 0);
    dyad_dict *saved = dict;
    dict = d;
    assert_string_equal(code("The US praised Mexico.", "2025-08-09", 0), "USA>MEX:051");
    assert_string_equal(code("Mexico praised us.", "2025-08-09", 0), "MEX>:051");
    dict = saved;
    dyad_dict_free(d);
}

static void test_dedup(void **state)
{
    (void)state;
    /* the same act twice in one article: one event, two mentions */
    const char *t = "Mexico rejected the United States. Later, Mexico rejected the United States again.";
    char err[256];
    dyad_doc *doc = dyad_doc_new();
    assert_int_equal(dyad_doc_set(doc, "t", "2025-08-09", "", "", t, strlen(t), err, sizeof err), 0);
    assert_int_equal(dyad_code(dict, doc, 0, err, sizeof err), 0);
    assert_int_equal(dyad_doc_nevents(doc), 1);
    assert_int_equal(dyad_doc_event(doc, 0)->mentions, 2);
    assert_int_equal(dyad_doc_event(doc, 0)->sent, 0); /* the first mention is kept */
    /* different dates are different events */
    t = "Mexico rejected the United States on Monday. Mexico rejected the United States on Friday.";
    assert_int_equal(dyad_doc_set(doc, "t", "2025-08-09", "", "", t, strlen(t), err, sizeof err), 0);
    assert_int_equal(dyad_code(dict, doc, 0, err, sizeof err), 0);
    assert_int_equal(dyad_doc_nevents(doc), 2);
    assert_int_equal(dyad_doc_event(doc, 1)->mentions, 1);
    dyad_doc_free(doc);
}

static void test_dates(void **state)
{
    (void)state;
    assert_string_equal(code("Sheinbaum praised Trump.", "2025-08-09", 0), "MEXGOV>USAGOV:051");
    /* before taking office, neither name codes */
    assert_string_equal(code("Sheinbaum praised Trump.", "2023-01-01", 0), "");
}

static void test_slots_and_reverse(void **state)
{
    (void)state;
    assert_string_equal(
        code("Officials cited a collaborative effort between Mexico and the United States.",
             "2025-08-09", 0),
        "MEX>USA:06 USA>MEX:06");
    assert_string_equal(code("Sheinbaum visited the United States.", "2025-08-09", 0),
                        "MEXGOV>USA:042 USA>MEXGOV:043");
}

static void test_modality(void **state)
{
    (void)state;
    const char *d = "2025-08-09";
    assert_string_equal(code("Mexico did not attack the United States.", d, 0), "");
    assert_string_equal(code("Mexico did not attack the United States.", d, DYAD_ALL_MODALITIES),
                        "MEX>USA:190:negated");
    assert_string_equal(code("Mexico never attacked the United States.", d, DYAD_ALL_MODALITIES),
                        "MEX>USA:190:negated");
    assert_string_equal(code("Mexico could attack the United States.", d, DYAD_ALL_MODALITIES),
                        "MEX>USA:190:hypothetical");
    assert_string_equal(code("If Mexico attacks the United States, war follows.", d,
                             DYAD_ALL_MODALITIES),
                        "MEX>USA:190:hypothetical");
    assert_string_equal(code("Mexico will attack the United States.", d, DYAD_ALL_MODALITIES),
                        "MEX>USA:190:intended");
    assert_string_equal(code("Mexico plans to attack the United States.", d, 0), "");
    assert_string_equal(code("Mexico reportedly attacked the United States.", d, 0),
                        "MEX>USA:190:reported");
    assert_string_equal(code("Mexico attacked the United States.", d, 0), "MEX>USA:190");
}

static void test_discard_and_mentions(void **state)
{
    (void)state;
    assert_string_equal(code("Mexico attacked the United States at the World Cup.", "2025-08-09", 0),
                        "");
    /* "United States" is an actor, never the verb "state" or anything else */
    assert_string_equal(code("The United States praised Mexico.", "2025-08-09", 0), "USA>MEX:051");
}

static void test_provenance_and_facts(void **state)
{
    (void)state;
    const char *text = "Mexico rejected the United States.";
    char err[256];
    dyad_doc *doc = dyad_doc_new();
    assert_int_equal(dyad_doc_set(doc, "t", "2025-08-09", "", "", text, strlen(text), err,
                                  sizeof err), 0);
    assert_int_equal(dyad_code(dict, doc, 0, err, sizeof err), 0);
    assert_int_equal(dyad_doc_nevents(doc), 1);
    const dyad_event *e = dyad_doc_event(doc, 0);
    assert_string_equal(e->root, "12");
    assert_int_equal(e->quad, 3);
    assert_true(e->goldstein == -4.0);
    assert_string_equal(e->plover, "REJECT");
    assert_string_equal(e->plover_mode, "");
    assert_string_equal(e->verb_rule, "test.dict:16");
    assert_string_equal(e->source_rule, "test.dict:2");
    assert_int_equal(e->trigger.start, 7);
    assert_int_equal(e->trigger.end, 15);
    assert_int_equal(e->target_span.start, 20);
    assert_int_equal(e->target_span.end, 33);
    /* a PLOVER mode where the CAMEO->PLOVER table gives one */
    text = "Mexico arrested the United States.";
    assert_int_equal(dyad_doc_set(doc, "t", "2025-08-09", "", "", text, strlen(text), err,
                                  sizeof err), 0);
    assert_int_equal(dyad_code(dict, doc, 0, err, sizeof err), 0);
    assert_string_equal(dyad_doc_event(doc, 0)->plover, "COERCE");
    assert_string_equal(dyad_doc_event(doc, 0)->plover_mode, "arrest");
    dyad_doc_free(doc);
    assert_null(dyad_cameo_lookup("999"));
    assert_string_equal(dyad_cameo_lookup("051")->name, "Praise or endorse");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_nearest_actors),  cmocka_unit_test(test_composition),
        cmocka_unit_test(test_compounds),       cmocka_unit_test(test_names_and_pronouns),
        cmocka_unit_test(test_quotes),          cmocka_unit_test(test_exact_case_actor),
        cmocka_unit_test(test_dedup),           cmocka_unit_test(test_dates),           cmocka_unit_test(test_slots_and_reverse),
        cmocka_unit_test(test_modality),        cmocka_unit_test(test_discard_and_mentions),
        cmocka_unit_test(test_provenance_and_facts),
    };
    return cmocka_run_group_tests_name("code", tests, setup, teardown);
}
