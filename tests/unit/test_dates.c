/*
 * test_dates.c - event dates resolved against the publication date.
 */
#include "testutil.h"
#include "article/article.h"
#include "dict/dict.h"

static dyad_dict *dict;

static int setup(void **state)
{
    (void)state;
    static const char *text = "[actors]\nMEX Mexico\nUSA United States\n[verbs]\n12 reject\n";
    char err[256];
    dict = dict_new();
    return dict && !dict_load_string(dict, "d.dict", text, strlen(text), err, sizeof err) &&
                   !dict_finish(dict, err, sizeof err)
               ? 0
               : -1;
}

static int teardown(void **state)
{
    (void)state;
    dyad_dict_free(dict);
    return 0;
}

/* "event_date precision [date words]" of the first event of text published on pub. */
static const char *date_of(const char *text, const char *pub)
{
    static char out[128];
    char err[256];
    dyad_doc *doc = dyad_doc_new();
    assert_int_equal(dyad_doc_set(doc, "t", pub, "", "", text, strlen(text), err, sizeof err), 0);
    assert_int_equal(dyad_code(dict, doc, DYAD_ALL_MODALITIES, err, sizeof err), 0);
    if (dyad_doc_nevents(doc) == 0)
        fail_msg("no event in: %s", text);
    const dyad_event *e = dyad_doc_event(doc, 0);
    snprintf(out, sizeof out, "%s %s [%.*s]", e->event_date, e->date_precision,
             (int)(e->date_span.end - e->date_span.start), text + e->date_span.start);
    dyad_doc_free(doc);
    return out;
}

static void test_days(void **state)
{
    (void)state;
    assert_int_equal(days_from_ymd(19700101), 0);
    assert_int_equal(days_from_ymd(20000301) - days_from_ymd(20000228), 2); /* leap year */
    assert_int_equal(ymd_from_days(days_from_ymd(20250809)), 20250809);
    assert_int_equal(ymd_from_days(days_from_ymd(19000301) - 1), 19000228); /* no Feb 29 in 1900 */
    for (long d = -1000; d < 30000; d += 37)
        assert_int_equal(days_from_ymd(ymd_from_days(d)), d);
}

static void test_relative(void **state)
{
    (void)state;
    /* 2025-08-09 is a Saturday */
    const char *p = "2025-08-09";
    assert_string_equal(date_of("Mexico rejected the United States on Friday.", p),
                        "2025-08-08 day [Friday]");
    assert_string_equal(date_of("On Saturday Mexico rejected the United States.", p),
                        "2025-08-09 day [Saturday]");
    assert_string_equal(date_of("Mexico rejected the United States last Saturday.", p),
                        "2025-08-02 day [last Saturday]");
    assert_string_equal(date_of("Mexico rejected the United States on Sunday.", p),
                        "2025-08-03 day [Sunday]");
    assert_string_equal(date_of("Yesterday Mexico rejected the United States.", p),
                        "2025-08-08 day [Yesterday]");
    assert_string_equal(date_of("Mexico rejected the United States last week.", p),
                        "2025-08-02 week [last week]");
    assert_string_equal(date_of("Earlier this year, Mexico rejected the United States.", p),
                        "2025-01-01 year [Earlier this year]");
    assert_string_equal(date_of("Mexico rejected the United States last month.", "2025-01-15"),
                        "2024-12-01 month [last month]");
    assert_string_equal(date_of("Mexico rejected the United States last year.", p),
                        "2024-01-01 year [last year]");
    /* no expression: the story date */
    assert_string_equal(date_of("Mexico rejected the United States.", p), "2025-08-09 day []");
}

static void test_explicit(void **state)
{
    (void)state;
    const char *p = "2025-08-09";
    assert_string_equal(date_of("Mexico rejected the United States on August 8.", p),
                        "2025-08-08 day [August 8]");
    assert_string_equal(date_of("Mexico rejected the United States on Aug. 8, 2024.", p),
                        "2024-08-08 day [Aug. 8, 2024]");
    assert_string_equal(date_of("Mexico rejected the United States on 8 Aug 2025.", p),
                        "2025-08-08 day [8 Aug 2025]");
    /* December in an August story: last December */
    assert_string_equal(date_of("Mexico rejected the United States on December 3.", p),
                        "2024-12-03 day [December 3]");
    /* a few days ahead: an announced date this year */
    assert_string_equal(date_of("Mexico will reject the United States on August 12.", p),
                        "2025-08-12 day [August 12]");
    assert_string_equal(date_of("In March Mexico rejected the United States.", p),
                        "2025-03-01 month [March]");
    assert_string_equal(date_of("In 2023 Mexico rejected the United States.", p),
                        "2023-01-01 year [2023]");
    /* "may" the verb is no month; February 30 is no date */
    assert_string_equal(date_of("Mexico may reject the United States.", p), "2025-08-09 day []");
    assert_string_equal(date_of("Mexico rejected the United States on February 30.", p),
                        "2025-08-09 day []");
}

static void test_nearest(void **state)
{
    (void)state;
    /* two expressions: the one nearest the trigger */
    assert_string_equal(
        date_of("On Monday officials said Mexico rejected the United States on Friday.",
                "2025-08-09"),
        "2025-08-08 day [Friday]");
}

/* the date of the n-th event (0-based) */
static const char *nth_date(const char *text, const char *pub, size_t n)
{
    static char out[32];
    char err[256];
    dyad_doc *doc = dyad_doc_new();
    assert_int_equal(dyad_doc_set(doc, "t", pub, "", "", text, strlen(text), err, sizeof err), 0);
    assert_int_equal(dyad_code(dict, doc, DYAD_ALL_MODALITIES, err, sizeof err), 0);
    assert_true(dyad_doc_nevents(doc) > n);
    snprintf(out, sizeof out, "%s", dyad_doc_event(doc, n)->event_date);
    dyad_doc_free(doc);
    return out;
}

static void test_paragraph_continues(void **state)
{
    (void)state;
    /* a sentence without a date continues its paragraph's story ... */
    assert_string_equal(nth_date("Talks began on Friday. Mexico rejected the United States.",
                                 "2025-08-09", 0),
                        "2025-08-08");
    /* ... but not the next paragraph's */
    assert_string_equal(nth_date("Talks began on Friday.\n\nMexico rejected the United States.",
                                 "2025-08-09", 0),
                        "2025-08-09");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_days), cmocka_unit_test(test_relative),
        cmocka_unit_test(test_explicit), cmocka_unit_test(test_nearest),
        cmocka_unit_test(test_paragraph_continues),
    };
    return cmocka_run_group_tests_name("dates", tests, setup, teardown);
}
