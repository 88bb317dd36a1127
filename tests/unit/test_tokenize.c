/*
 * test_tokenize.c - the UD-style tokenizer: clitics, abbreviations, numbers,
 * URLs, hyphens, quotes, Unicode, offsets, and hostile sizes.
 */
#include "testutil.h"

static void check(const char *text, const char *expect)
{
    char buf[4096];
    dyad_doc *doc = tu_doc(text);
    assert_string_equal(tu_forms(doc, buf, sizeof buf), expect);
    /* every token's offsets point at its form in the text */
    for (size_t i = 0; i < doc->ntoks; i++) {
        const token *t = &doc->toks[i];
        assert_true(t->start < t->end && t->end <= doc->len);
        assert_memory_equal(doc->text + t->start, t->form, t->end - t->start);
    }
    dyad_doc_free(doc);
}

static void test_clitics(void **state)
{
    (void)state;
    check("I don't know.", "I|do|n't|know|.");
    check("They can't and won't.", "They|ca|n't|and|wo|n't|.");
    check("Mexico's president", "Mexico|'s|president");
    check("Trump\xe2\x80\x99s order", "Trump|\xe2\x80\x99s|order");
    check("we're here, I'm sure, they've gone, she'll go, he'd say",
          "we|'re|here|,|I|'m|sure|,|they|'ve|gone|,|she|'ll|go|,|he|'d|say");
    check("cannot", "can|not");
    check("dont", "do|nt");
    check("O'Brien left", "O'Brien|left");
    check("the countries' leaders", "the|countries|'|leaders");
}

static void test_abbreviations(void **state)
{
    (void)state;
    check("the U.S. and U.K. said", "the|U.S.|and|U.K.|said");
    check("Dr. Smith met Gen. Jones", "Dr.|Smith|met|Gen.|Jones");
    check("e.g. this", "e.g.|this");
    check("J. Smith", "J.|Smith");
    check("at 10 a.m. today", "at|10|a.m.|today");
    check("Acme Inc. rose", "Acme|Inc.|rose");
    check("It ended.The next", "It|ended|.|The|next");
}

static void test_numbers_urls(void **state)
{
    (void)state;
    check("$1,000.50 and 10:30 on 8/9/2025", "$|1,000.50|and|10:30|on|8/9/2025");
    check("up 5%", "up|5|%");
    check("see https://example.org/a?b=1.", "see|https://example.org/a?b=1|.");
    check("www.example.com, then", "www.example.com|,|then");
    check("mail info@example.org now", "mail|info@example.org|now");
    check("AT&T and S&P", "AT&T|and|S&P");
}

static void test_hyphens_punct(void **state)
{
    (void)state;
    check("co-operate", "co|-|operate");
    check("drug-related violence", "drug|-|related|violence");
    check("wait... what?!", "wait|...|what|?!");
    check("a -- b", "a|--|b");
    check("(yes) [no] {x}", "(|yes|)|[|no|]|{|x|}");
    check("\xe2\x80\x9cruled out,\xe2\x80\x9d he said",
          "\xe2\x80\x9c|ruled|out|,|\xe2\x80\x9d|he|said");
    check("``quoted''", "``|quoted|''");
}

static void test_unicode(void **state)
{
    (void)state;
    check("L\xc3\xb3pez Obrador", "L\xc3\xb3pez|Obrador");
    check("S\xc3\xa3o Paulo \xe2\x80\x94 Z\xc3\xbcrich", "S\xc3\xa3o|Paulo|\xe2\x80\x94|Z\xc3\xbcrich");
    check("peace \xf0\x9f\x95\x8a\xef\xb8\x8f now", "peace|\xf0\x9f\x95\x8a|\xef\xb8\x8f|now");
    check("\xe4\xb8\xad\xe5\x9b\xbd", "\xe4\xb8\xad\xe5\x9b\xbd");
    /* non-breaking and zero-width spaces separate tokens */
    check("a\xc2\xa0" "b\xe2\x80\x8b" "c", "a|b|c");
}

static void test_norm(void **state)
{
    (void)state;
    dyad_doc *doc = tu_doc("TRUMP\xe2\x80\x99S \xc3\x89TAT");
    assert_int_equal(doc->ntoks, 3);
    assert_string_equal(doc->toks[0].norm, "trump");
    assert_string_equal(doc->toks[1].norm, "'s");
    assert_string_equal(doc->toks[2].norm, "\xc3\xa9tat");
    dyad_doc_free(doc);
}

static void test_flags_crlf(void **state)
{
    (void)state;
    dyad_doc *doc = tu_doc("One.\r\n\r\nTwo three\r\nfour");
    assert_int_equal(doc->ntoks, 5);
    assert_true(doc->toks[0].flags & TOK_PARA_START);
    assert_true(doc->toks[2].flags & TOK_PARA_START);
    assert_false(doc->toks[3].flags & TOK_PARA_START);
    assert_true(doc->toks[4].flags & TOK_LINE_START);
    assert_false(doc->toks[4].flags & TOK_PARA_START);
    assert_true(doc->toks[2].flags & TOK_SPACE_AFTER);
    assert_false(doc->toks[0].flags & TOK_SPACE_AFTER);
    dyad_doc_free(doc);
}

static void test_empty(void **state)
{
    (void)state;
    dyad_doc *doc = tu_doc("");
    assert_int_equal(doc->ntoks, 0);
    assert_int_equal(doc->nsents, 0);
    dyad_doc_free(doc);
    doc = tu_doc(" \n\t \r\n ");
    assert_int_equal(doc->ntoks, 0);
    assert_int_equal(doc->nsents, 0);
    dyad_doc_free(doc);
}

static void test_huge_line(void **state)
{
    (void)state;
    /* 1 MB of words on one line, and a 1 MB single "word" */
    size_t n = 1 << 20;
    char *s = malloc(n + 1);
    assert_non_null(s);
    for (size_t i = 0; i < n; i++)
        s[i] = (i % 6 == 5) ? ' ' : 'a';
    s[n] = '\0';
    dyad_doc *doc = tu_doc(s);
    assert_int_equal(doc->ntoks, (n + 5) / 6);
    assert_true(doc->nsents >= doc->ntoks / TEXT_MAX_SENT_TOKENS);
    for (size_t i = 0; i < doc->nsents; i++)
        assert_true(doc->sents[i].ntok <= TEXT_MAX_SENT_TOKENS);
    dyad_doc_free(doc);
    memset(s, 'x', n);
    doc = tu_doc(s);
    assert_int_equal(doc->ntoks, 1);
    assert_int_equal(doc->toks[0].end, n);
    dyad_doc_free(doc);
    free(s);
}

static void test_rejects_bad_text(void **state)
{
    (void)state;
    char err[128];
    dyad_doc *doc = dyad_doc_new();
    assert_int_equal(dyad_doc_set(doc, "x", "2025-01-01", "", "", "ab\xff" "c", 4, err,
                                  sizeof err), -1);
    assert_non_null(strstr(err, "invalid UTF-8 at byte 2"));
    assert_int_equal(dyad_doc_set(doc, "x", "2025-01-01", "", "", "a\0b", 3, err, sizeof err),
                     -1);
    assert_non_null(strstr(err, "NUL"));
    assert_int_equal(dyad_doc_set(doc, "x", "2025-02-30", "", "", "a", 1, err, sizeof err), -1);
    assert_non_null(strstr(err, "date"));
    /* overlong encoding, surrogate, truncated sequence */
    assert_int_equal(utf8_invalid_at("\xc0\xaf", 2), 0);
    assert_int_equal(utf8_invalid_at("a\xed\xa0\x80", 4), 1);
    assert_int_equal(utf8_invalid_at("ab\xe2\x80", 4), 2);
    assert_int_equal(utf8_invalid_at("\xf4\x90\x80\x80", 4), 0);
    assert_int_equal(utf8_invalid_at("\xf0\x9f\x95\x8a", 4), 4);
    dyad_doc_free(doc);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_clitics),       cmocka_unit_test(test_abbreviations),
        cmocka_unit_test(test_numbers_urls),  cmocka_unit_test(test_hyphens_punct),
        cmocka_unit_test(test_unicode),       cmocka_unit_test(test_norm),
        cmocka_unit_test(test_flags_crlf),    cmocka_unit_test(test_empty),
        cmocka_unit_test(test_huge_line),     cmocka_unit_test(test_rejects_bad_text),
    };
    return cmocka_run_group_tests_name("tokenize", tests, NULL, NULL);
}
