/*
 * test_trace.c - the coder's trace (code_trace in coder.h): it observes
 * without changing what is coded, and its notes name the decisions taken -
 * hits with the dated code chosen, the pattern and its rule, modality with
 * its cue word, source/target and how they were found, drops and why.
 * Runs without the parser (token sequence), so the rules are the fallback
 * ones; dyad explain's end-to-end test covers the tree rules.
 */
#include "testutil.h"
#include "code/coder.h"
#include "dict/dict.h"

static const char *DICT = "[actors]\n"
                          "MEX     Mexico; Mexican\n"
                          "USA     United States; U.S.\n"
                          "MEXGOV 2024-10-01..  Claudia Sheinbaum; Sheinbaum\n"
                          "MEXELI 2018-12-01..2024-10-01  Claudia Sheinbaum; Sheinbaum\n"
                          "[agents]\n"
                          "GOV  president\n"
                          "[verbs]\n"
                          "12   reject\n"
                          "051  praise\n"
                          "190  attack\n"
                          "111  denounce +\n"
                          "[discards]\n"
                          "world cup\n";

static dyad_dict *dict;

static int setup(void **state)
{
    (void)state;
    dict = tu_dict_string("t.dict", DICT);
    return dict ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    dyad_dict_free(dict);
    return 0;
}

/* The notes of one run, each rendered as one line of text. */
typedef struct log {
    char text[8192];
    size_t n;
    const dyad_doc *doc;
} log;

static void record(void *ctx, const code_note *n)
{
    log *l = ctx;
    static const char *const kinds[] = {"?", "sentence", "discard", "hit", "undated", "mention",
                                        "tried", "skipped", "pattern", "modality", "source",
                                        "target", "event", "dropped", "article"};
    const token *tok = l->doc->toks + l->doc->sents[n->sent].tok;
    char words[128] = "";
    if (n->end > n->start)
        snprintf(words, sizeof words, "%.*s", (int)(tok[n->end - 1].end - tok[n->start].start),
                 l->doc->text + tok[n->start].start);
    char cue[64] = "";
    if (n->cue_end > n->cue_start)
        snprintf(cue, sizeof cue, "%s", tok[n->cue_start].form);
    l->n += (size_t)snprintf(l->text + l->n, sizeof l->text - l->n,
                             "%s|%s|%s|%s|%s|%s|%s|%d\n", kinds[n->kind], words,
                             n->ncodes ? n->codes[0] : "", n->code ? n->code : "",
                             n->rule ? n->rule : "", cue, n->detail ? n->detail : "", n->matched);
}

/* Codes text twice, traced and not; the events must be identical.  Returns
 * the trace's log. */
static const char *trace(const char *text, const char *date, unsigned flags)
{
    static log l;
    char err[256];
    dyad_doc *plain = dyad_doc_new(), *traced = dyad_doc_new();
    assert_int_equal(dyad_doc_set(plain, "t", date, "", "", text, strlen(text), err, sizeof err), 0);
    assert_int_equal(dyad_doc_set(traced, "t", date, "", "", text, strlen(text), err, sizeof err),
                     0);
    memset(&l, 0, sizeof l);
    l.doc = traced;
    code_trace t = {&l, record};
    assert_int_equal(dyad_code(dict, plain, flags, err, sizeof err), 0);
    assert_int_equal(dyad_code_traced(dict, traced, flags, &t, err, sizeof err), 0);
    assert_int_equal(dyad_doc_nevents(plain), dyad_doc_nevents(traced));
    for (size_t i = 0; i < dyad_doc_nevents(plain); i++) {
        const dyad_event *a = dyad_doc_event(plain, i), *b = dyad_doc_event(traced, i);
        assert_string_equal(a->source, b->source);
        assert_string_equal(a->target, b->target);
        assert_string_equal(a->code, b->code);
        assert_int_equal(a->modality, b->modality);
        assert_string_equal(a->source_rule, b->source_rule);
        assert_string_equal(a->target_rule, b->target_rule);
        assert_string_equal(a->verb_rule, b->verb_rule);
    }
    dyad_doc_free(plain);
    /* l points into traced's memory only through the strings copied into l.text */
    dyad_doc_free(traced);
    return l.text;
}

static void expect(const char *log_text, const char *line)
{
    if (!strstr(log_text, line)) {
        fprintf(stderr, "missing note: %s\nin:\n%s", line, log_text);
        fail();
    }
}

static void test_hits_and_dates(void **state)
{
    (void)state;
    const char *l = trace("Sheinbaum rejected the United States.", "2025-08-09", 0);
    expect(l, "sentence|Sheinbaum rejected the United States.|||||not parsed: nearest actors "
              "before and after each trigger|0\n");
    expect(l, "hit|Sheinbaum|MEXGOV||t.dict:4||dated code MEXGOV (2024-10-01..open) in force "
              "on 2025-08-09, of 2 codes|0\n");
    expect(l, "mention|Sheinbaum|MEXGOV||t.dict:4||actor entry; a person|0\n");
    expect(l, "mention|United States|USA||t.dict:3||actor entry|0\n");
    expect(l, "tried|||12|t.dict:9|rejected||1\n");
    expect(l, "pattern|rejected||12|t.dict:9|rejected||0\n");
    expect(l, "modality|rejected||asserted|||no cue in the words before the trigger|0\n");
    expect(l, "source|Sheinbaum|MEXGOV||t.dict:4||nearest actor before the trigger (no parse)|0\n");
    expect(l, "target|United States|USA||t.dict:3||nearest actor after the trigger (no parse)|0\n");
    expect(l, "event|||12|t.dict:9|||0\n");
    /* before her term the other dated code applies; before both, none does */
    l = trace("Sheinbaum rejected the United States.", "2020-01-01", 0);
    expect(l, "hit|Sheinbaum|MEXELI||t.dict:4||dated code MEXELI (2018-12-01..2024-10-01)");
    l = trace("Sheinbaum rejected the United States.", "2010-01-01", 0);
    expect(l, "undated|Sheinbaum|||t.dict:4||known name, but none of its 2 codes is in force "
              "on 2010-01-01|0\n");
}

static void test_modality_and_drops(void **state)
{
    (void)state;
    const char *l = trace("Mexico did not attack the United States.", "2025-08-09", 0);
    expect(l, "modality|attack||negated||not|negation in the few words before the trigger|0\n");
    expect(l, "dropped|attack||190|t.dict:11||not a fact");
    assert_null(strstr(l, "event|"));
    l = trace("Mexico did not attack the United States.", "2025-08-09", DYAD_ALL_MODALITIES);
    expect(l, "event|||190|t.dict:11|||0\n");
    /* the + slot binds the source's own name: a self-event */
    l = trace("Mexico denounced Mexico.", "2025-08-09", 0);
    expect(l, "dropped||MEX|111|t.dict:12||self-event: source and target are the same actor|0\n");
    l = trace("It praised the United States.", "2025-08-09", 0);
    expect(l, "dropped|praised||051|t.dict:10||no source actor: no event|0\n");
    l = trace("Mexico praised the United States at the world cup.", "2025-08-09", 0);
    expect(l, "discard|world cup|||t.dict:14||discard phrase: this sentence codes nothing|0\n");
    assert_null(strstr(l, "pattern|"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_hits_and_dates),
        cmocka_unit_test(test_modality_and_drops),
    };
    return cmocka_run_group_tests_name("trace", tests, setup, teardown);
}
