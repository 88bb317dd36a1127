/*
 * test_split.c - sentence boundaries: abbreviations, quotes, paragraphs.
 */
#include "testutil.h"

/* The sentences of text joined by " || ". */
static void check(const char *text, const char *expect)
{
    dyad_doc *doc = tu_doc(text);
    char buf[4096];
    size_t k = 0;
    buf[0] = '\0';
    for (size_t i = 0; i < doc->nsents; i++) {
        dyad_span s = dyad_doc_sentence(doc, i);
        k += (size_t)snprintf(buf + k, sizeof buf - k, "%s%.*s", i ? " || " : "",
                              (int)(s.end - s.start), doc->text + s.start);
    }
    assert_string_equal(buf, expect);
    dyad_doc_free(doc);
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

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_basic),       cmocka_unit_test(test_abbreviations),
        cmocka_unit_test(test_quotes),      cmocka_unit_test(test_paragraphs),
        cmocka_unit_test(test_lowercase_continuation),
    };
    return cmocka_run_group_tests_name("split", tests, NULL, NULL);
}
