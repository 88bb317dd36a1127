/*
 * test_split.c - sentence boundaries: abbreviations, quotes, paragraphs.
 *
 * Every case runs through the rule-based splitter (text_split, used without
 * models) and through the learned splitter shipped in data/models
 * (sbd_split, used by dyad_tag_parse): both must keep the news conventions.
 * The learned splitter also gets web-text cases the rules cannot do.
 */
#include "testutil.h"
#include "text/sbd.h"

static sbd *learned;

/* The sentences of doc joined by " || ". */
static void expect_sents(const dyad_doc *doc, const char *expect)
{
    char buf[4096];
    size_t k = 0;
    buf[0] = '\0';
    for (size_t i = 0; i < doc->nsents; i++) {
        dyad_span s = dyad_doc_sentence(doc, i);
        k += (size_t)snprintf(buf + k, sizeof buf - k, "%s%.*s", i ? " || " : "",
                              (int)(s.end - s.start), doc->text + s.start);
    }
    assert_string_equal(buf, expect);
}

static void check_learned(const char *text, const char *expect)
{
    dyad_doc *doc = tu_doc(text);
    assert_int_equal(sbd_split(learned, doc), 0);
    expect_sents(doc, expect);
    dyad_doc_free(doc);
}

static void check(const char *text, const char *expect)
{
    dyad_doc *doc = tu_doc(text);
    expect_sents(doc, expect);
    dyad_doc_free(doc);
    check_learned(text, expect);
}

static void test_basic(void **state)
{
    (void)state;
    check("It rained. Then it stopped! Did it? Yes.",
          "It rained. || Then it stopped! || Did it? || Yes.");
    check("No final period", "No final period");
    check("Trailing spaces.   ", "Trailing spaces.");
}

static void test_abbreviations(void **state)
{
    (void)state;
    check("The U.S. Army moved. Dr. Smith left.", "The U.S. Army moved. || Dr. Smith left.");
    check("He lives in the U.S. The war ended.", "He lives in the U.S. || The war ended.");
    check("Gen. Jones and Sen. Warren met Mr. Lee.", "Gen. Jones and Sen. Warren met Mr. Lee.");
    check("Acme Inc. said profits rose.", "Acme Inc. said profits rose.");
    check("J. R. Smith spoke.", "J. R. Smith spoke.");
}

static void test_quotes(void **state)
{
    (void)state;
    check("She said, \xe2\x80\x9cWe co-operate. There is no invasion.\xe2\x80\x9d Then she left.",
          "She said, \xe2\x80\x9cWe co-operate. || There is no invasion.\xe2\x80\x9d || Then she left.");
    check("\"Is it over?\" she asked. \"Yes,\" he said.",
          "\"Is it over?\" she asked. || \"Yes,\" he said.");
    check("It was \xe2\x80\x9c" "absolutely ruled out,\xe2\x80\x9d she said.",
          "It was \xe2\x80\x9c" "absolutely ruled out,\xe2\x80\x9d she said.");
    check("(This is aside.) Next one.", "(This is aside.) || Next one.");
}

static void test_paragraphs(void **state)
{
    (void)state;
    check("Headline without period\n\nBody starts here. More.",
          "Headline without period || Body starts here. || More.");
    check("line one\nline two", "line one\nline two");
    check("A.\r\n\r\nB.", "A. || B.");
}

static void test_lowercase_continuation(void **state)
{
    (void)state;
    check("Wait... then what?", "Wait... then what?");
    check("The rate was 3.5 percent. It rose.", "The rate was 3.5 percent. || It rose.");
}

/* Web text: boundaries without punctuation, which only the learned splitter finds. */
static void test_learned_web(void **state)
{
    (void)state;
    check_learned("Thanks for the update. Best regards, Jeff",
                  "Thanks for the update. || Best regards, || Jeff");
    check_learned("", "");
}

/* A list of web addresses: a boundary between two addresses is scored (the
 * word rule alone would skip it, the next token being lower-case). */
static void test_learned_addresses(void **state)
{
    (void)state;
    check_learned("Here are the pictures. http://www.example.com/a/1.html "
                  "http://www.example.com/a/2.html http://www.example.com/a/3.html",
                  "Here are the pictures. || http://www.example.com/a/1.html || "
                  "http://www.example.com/a/2.html || http://www.example.com/a/3.html");
    check_learned("See http://www.example.com/news for more.",
                  "See http://www.example.com/news for more.");
    check_learned("Write to jeff@example.com if you can.",
                  "Write to jeff@example.com if you can.");
}

static void test_learned_refused(void **state)
{
    (void)state;
    char err[512];
    assert_null(sbd_load("data/models/tagger.bin", err, sizeof err));
    assert_non_null(strstr(err, "bad magic"));
    assert_null(sbd_load("/nonexistent/splitter.bin", err, sizeof err));
    assert_non_null(strstr(err, "/nonexistent/splitter.bin"));
}

static int setup(void **state)
{
    (void)state;
    char err[512];
    learned = sbd_load("data/models/splitter.bin", err, sizeof err);
    if (!learned)
        fprintf(stderr, "%s\n", err);
    return learned ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    sbd_free(learned);
    return 0;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_basic),       cmocka_unit_test(test_abbreviations),
        cmocka_unit_test(test_quotes),      cmocka_unit_test(test_paragraphs),
        cmocka_unit_test(test_lowercase_continuation),
        cmocka_unit_test(test_learned_web), cmocka_unit_test(test_learned_addresses),
        cmocka_unit_test(test_learned_refused),
    };
    return cmocka_run_group_tests_name("split", tests, setup, teardown);
}
