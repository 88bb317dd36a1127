/*
 * test_reader.c - JSON Lines and plain-text document input, including every
 * way a record can be bad and how reading goes on after it.
 */
#include "testutil.h"
#include "io/reader.h"

#include <unistd.h>

/* Writes data to a temporary file and opens a reader on it. */
static char tmpdir[64], tmpl[128];

static void open_data(doc_reader *r, const char *data, size_t n, const char *suffix, int fmt,
                      const char *date)
{
    snprintf(tmpdir, sizeof tmpdir, "/tmp/dyad-test-XXXXXX");
    assert_non_null(mkdtemp(tmpdir));
    snprintf(tmpl, sizeof tmpl, "%s/input%s", tmpdir, suffix);
    FILE *f = fopen(tmpl, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(data, 1, n, f), n);
    fclose(f);
    char err[256];
    assert_int_equal(reader_open(r, tmpl, fmt, date, err, sizeof err), 0);
}

static void done(doc_reader *r)
{
    reader_close(r);
    unlink(tmpl);
    rmdir(tmpdir);
}

static void test_valid_records(void **state)
{
    (void)state;
    const char *data =
        "{\"id\":\"a\",\"date\":\"2025-08-09\",\"source\":\"news\",\"title\":\"T\",\"text\":\"One.\"}\n"
        "\n"
        "{\"id\":7,\"date\":\"2025-08-10T12:00:00Z\",\"text\":\"Caf\\u00e9 \xf0\x9f\x98\x80 ok\"}\r\n"
        "{\"text\":\"no id, default date\"}";  /* no final newline */
    doc_reader r;
    dyad_doc *doc = dyad_doc_new();
    char err[256];
    open_data(&r, data, strlen(data), ".jsonl", READ_AUTO, "2020-01-01");
    assert_int_equal(reader_next(&r, doc, err, sizeof err), 1);
    assert_string_equal(dyad_doc_id(doc), "a");
    assert_string_equal(dyad_doc_date(doc), "2025-08-09");
    assert_string_equal(doc->source, "news");
    assert_string_equal(doc->text, "One.");
    assert_int_equal(reader_next(&r, doc, err, sizeof err), 1);
    assert_string_equal(dyad_doc_id(doc), "7");
    assert_string_equal(dyad_doc_date(doc), "2025-08-10");
    assert_string_equal(doc->text, "Caf\xc3\xa9 \xf0\x9f\x98\x80 ok");
    assert_int_equal(reader_next(&r, doc, err, sizeof err), 1);
    assert_string_equal(dyad_doc_id(doc), "line-4");
    assert_string_equal(dyad_doc_date(doc), "2020-01-01");
    assert_int_equal(reader_next(&r, doc, err, sizeof err), 0);
    done(&r);
    dyad_doc_free(doc);
}

/* Each bad line is reported with its line number and the next one is read. */
static void test_bad_records(void **state)
{
    (void)state;
    const char *data = "{\"id\":\"ok1\",\"date\":\"2025-01-01\",\"text\":\"fine\"}\n" /* 1 */
                       "{\"id\":\"x\",\"date\":\"2025-01-01\"}\n"                  /* 2 */
                       "{not json}\n"                                              /* 3 */
                       "[1,2]\n"                                                   /* 4 */
                       "{\"text\":\"a\",\"date\":\"09/08/2025\"}\n"                /* 5 */
                       "{\"text\":\"bad \xff utf8\",\"date\":\"2025-01-01\"}\n"    /* 6 */
                       "{\"text\":5,\"date\":\"2025-01-01\"}\n"                    /* 7 */
                       "{\"text\":\"nul \\u0000\",\"date\":\"2025-01-01\"}\n"      /* 8 */
                       "{\"text\":\"no date\"}\n"                                  /* 9 */
                       "{\"id\":[1],\"text\":\"x\",\"date\":\"2025-01-01\"}\n"     /* 10 */
                       "{\"id\":\"ok2\",\"date\":\"2025-01-01\",\"text\":\"fine\"}\n"; /* 11 */
    static const char *const expect[] = {
        NULL, ":2: missing field \"text\"", ":3: malformed JSON", ":4: expected a JSON object",
        ":5: field \"date\"", ":6: malformed JSON", ":7: field \"text\" must be a string",
        ":8: malformed JSON", ":9: missing field \"date\"", ":10: field \"id\"", NULL};
    doc_reader r;
    dyad_doc *doc = dyad_doc_new();
    char err[256];
    open_data(&r, data, strlen(data), ".jsonl", READ_AUTO, NULL);
    for (int line = 1; line <= 11; line++) {
        int rc = reader_next(&r, doc, err, sizeof err);
        if (expect[line - 1]) {
            assert_int_equal(rc, -1);
            if (!strstr(err, expect[line - 1]))
                fail_msg("line %d: got '%s', expected '%s'", line, err, expect[line - 1]);
            assert_non_null(strstr(err, tmpl));
        } else {
            assert_int_equal(rc, 1);
        }
    }
    assert_string_equal(dyad_doc_id(doc), "ok2");
    assert_int_equal(reader_next(&r, doc, err, sizeof err), 0);
    done(&r);
    dyad_doc_free(doc);
}

static void test_empty_input(void **state)
{
    (void)state;
    doc_reader r;
    dyad_doc *doc = dyad_doc_new();
    char err[256];
    open_data(&r, "", 0, ".jsonl", READ_AUTO, NULL);
    assert_int_equal(reader_next(&r, doc, err, sizeof err), 0);
    done(&r);
    /* an empty text file is one empty document */
    open_data(&r, "", 0, ".txt", READ_AUTO, "2025-01-01");
    assert_int_equal(reader_next(&r, doc, err, sizeof err), 1);
    assert_int_equal(doc->len, 0);
    assert_int_equal(reader_next(&r, doc, err, sizeof err), 0);
    done(&r);
    dyad_doc_free(doc);
}

static void test_plain_text(void **state)
{
    (void)state;
    doc_reader r;
    dyad_doc *doc = dyad_doc_new();
    char err[256];
    const char *txt = "Line one.\r\nLine two \xc3\xa9.\n";
    open_data(&r, txt, strlen(txt), ".txt", READ_AUTO, "2025-08-09");
    assert_int_equal(reader_next(&r, doc, err, sizeof err), 1);
    assert_string_equal(doc->text, txt);
    assert_non_null(strstr(tmpl, dyad_doc_id(doc)));
    done(&r);
    /* no date: a clear error */
    open_data(&r, txt, strlen(txt), ".txt", READ_AUTO, NULL);
    assert_int_equal(reader_next(&r, doc, err, sizeof err), -1);
    assert_non_null(strstr(err, "--date"));
    done(&r);
    /* invalid UTF-8 on line 3 is reported with that line */
    const char *bad = "a\nb\nc \xc3\x28 d\n";
    open_data(&r, bad, strlen(bad), ".txt", READ_AUTO, "2025-08-09");
    assert_int_equal(reader_next(&r, doc, err, sizeof err), -1);
    assert_non_null(strstr(err, ":3: invalid UTF-8"));
    done(&r);
    dyad_doc_free(doc);
}

static void test_long_line(void **state)
{
    (void)state;
    /* a 1 MB text field on one line */
    size_t n = 1 << 20;
    const char *head = "{\"id\":\"big\",\"date\":\"2025-01-01\",\"text\":\"";
    size_t hn = strlen(head);
    char *data = malloc(hn + n + 4);
    assert_non_null(data);
    memcpy(data, head, hn);
    for (size_t i = 0; i < n; i++)
        data[hn + i] = (i % 7 == 6) ? ' ' : 'w';
    memcpy(data + hn + n, "\"}\n", 4);
    doc_reader r;
    dyad_doc *doc = dyad_doc_new();
    char err[256];
    open_data(&r, data, hn + n + 3, ".jsonl", READ_AUTO, NULL);
    assert_int_equal(reader_next(&r, doc, err, sizeof err), 1);
    assert_int_equal(doc->len, n);
    assert_int_equal(reader_next(&r, doc, err, sizeof err), 0);
    done(&r);
    free(data);
    dyad_doc_free(doc);
}

static void test_missing_file(void **state)
{
    (void)state;
    doc_reader r;
    char err[256];
    assert_int_equal(reader_open(&r, "/nonexistent/x.jsonl", READ_AUTO, NULL, err, sizeof err),
                     -1);
    assert_non_null(strstr(err, "/nonexistent/x.jsonl: cannot open"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_valid_records), cmocka_unit_test(test_bad_records),
        cmocka_unit_test(test_empty_input),   cmocka_unit_test(test_plain_text),
        cmocka_unit_test(test_long_line),     cmocka_unit_test(test_missing_file),
    };
    return cmocka_run_group_tests_name("reader", tests, NULL, NULL);
}
