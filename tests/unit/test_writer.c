/*
 * test_writer.c - JSON Lines and TSV output: escaping, stable field names,
 * spans that point into the text, one line per event.
 */
#include "testutil.h"
#include "dict/dict.h"
#include "out/writer.h"

#include <jansson.h>

static char *capture_string(const char *s, size_t n)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    assert_non_null(f);
    write_json_string(f, s, n);
    fclose(f);
    return buf;
}

static void test_json_string(void **state)
{
    (void)state;
    char *s = capture_string("a\"b\\c\nd\te\x01 \xc3\xa9 \xe2\x80\xa8", 17);
    assert_string_equal(s, "\"a\\\"b\\\\c\\nd\\te\\u0001 \xc3\xa9 \\u2028\"");
    /* what we write, jansson reads back to the same bytes */
    json_error_t je;
    json_t *v = json_loads(s, JSON_DECODE_ANY, &je);
    assert_non_null(v);
    assert_memory_equal(json_string_value(v), "a\"b\\c\nd\te\x01 \xc3\xa9 \xe2\x80\xa8", 17);
    json_decref(v);
    free(s);
    s = capture_string("", 0);
    assert_string_equal(s, "\"\"");
    free(s);
}

static dyad_doc *coded_doc(dyad_dict **dp)
{
    static const char *dict =
        "[actors]\nMEX Mexico\nUSA United States\n[verbs]\n12 reject\n051 praise\n";
    char err[256];
    dyad_dict *d = dict_new();
    assert_int_equal(dict_load_string(d, "w.dict", dict, strlen(dict), err, sizeof err), 0);
    assert_int_equal(dict_finish(d, err, sizeof err), 0);
    const char *text = "Mexico rejected the \"United States\"\tplan.\n\nMexico praised the United States.";
    dyad_doc *doc = dyad_doc_new();
    assert_int_equal(dyad_doc_set(doc, "doc\"1", "2025-08-09", "wire", "", text, strlen(text), err,
                                  sizeof err), 0);
    assert_int_equal(dyad_code(d, doc, 0, err, sizeof err), 0);
    *dp = d;
    return doc;
}

static void test_jsonl_events(void **state)
{
    (void)state;
    dyad_dict *d;
    dyad_doc *doc = coded_doc(&d);
    assert_int_equal(dyad_doc_nevents(doc), 2);
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    write_events(f, OUT_JSONL, doc);
    fclose(f);
    /* two lines, each a JSON object with the documented fields */
    char *line2 = strchr(buf, '\n');
    assert_non_null(line2);
    *line2++ = '\0';
    json_error_t je;
    json_t *o = json_loads(buf, 0, &je);
    assert_non_null(o);
    assert_string_equal(json_string_value(json_object_get(o, "doc")), "doc\"1");
    assert_int_equal(json_integer_value(json_object_get(o, "sent")), 0);
    assert_string_equal(json_string_value(json_object_get(o, "date")), "2025-08-09");
    assert_string_equal(json_string_value(json_object_get(o, "event_date")), "2025-08-09");
    assert_string_equal(json_string_value(json_object_get(o, "date_precision")), "day");
    assert_null(json_object_get(o, "date_span"));
    assert_string_equal(json_string_value(json_object_get(o, "source")), "MEX");
    assert_string_equal(json_string_value(json_object_get(o, "target")), "USA");
    assert_string_equal(json_string_value(json_object_get(o, "code")), "12");
    assert_string_equal(json_string_value(json_object_get(o, "root")), "12");
    assert_int_equal(json_integer_value(json_object_get(o, "quad")), 3);
    assert_true(json_real_value(json_object_get(o, "goldstein")) == -4.0);
    assert_string_equal(json_string_value(json_object_get(o, "plover")), "REJECT");
    /* always written; REJECT (12) has no PLOVER mode */
    assert_string_equal(json_string_value(json_object_get(o, "plover_mode")), "");
    assert_non_null(strstr(buf, "\"plover\":\"REJECT\",\"plover_mode\":\"\",\"modality\":"));
    assert_string_equal(json_string_value(json_object_get(o, "modality")), "asserted");
    assert_int_equal(json_integer_value(json_object_get(o, "mentions")), 1);
    assert_null(json_object_get(o, "quote")); /* not inside a quotation */
    json_t *trig = json_object_get(o, "trigger");
    assert_string_equal(json_string_value(json_object_get(trig, "text")), "rejected");
    json_int_t ts = json_integer_value(json_object_get(trig, "start"));
    assert_memory_equal(doc->text + ts, "rejected", 8);
    assert_string_equal(json_string_value(json_object_get(json_object_get(o, "target_span"), "text")),
                        "United States");
    assert_string_equal(json_string_value(json_object_get(json_object_get(o, "rules"), "verb")),
                        "w.dict:5");
    assert_string_equal(json_string_value(json_object_get(o, "sentence")),
                        "Mexico rejected the \"United States\"\tplan.");
    json_decref(o);
    o = json_loads(line2, JSON_DISABLE_EOF_CHECK, &je);
    assert_non_null(o);
    assert_int_equal(json_integer_value(json_object_get(o, "sent")), 1);
    assert_string_equal(json_string_value(json_object_get(o, "code")), "051");
    json_decref(o);
    free(buf);
    /* a repeated event inside a quotation: mentions, then quote, then trigger */
    doc->events[0].mentions = 3;
    doc->events[0].quote = 0;
    buf = NULL;
    f = open_memstream(&buf, &len);
    write_events(f, OUT_JSONL, doc);
    fclose(f);
    assert_non_null(strstr(buf, "\"modality\":\"asserted\",\"mentions\":3,\"quote\":0,\"trigger\":"));
    o = json_loads(buf, JSON_DISABLE_EOF_CHECK, &je);
    assert_non_null(o);
    assert_int_equal(json_integer_value(json_object_get(o, "mentions")), 3);
    assert_int_equal(json_integer_value(json_object_get(o, "quote")), 0);
    json_decref(o);
    free(buf);
    dyad_doc_free(doc);
    dyad_dict_free(d);
}

static void test_tsv(void **state)
{
    (void)state;
    dyad_dict *d;
    dyad_doc *doc = coded_doc(&d);
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    write_header(f, OUT_TSV);
    write_events(f, OUT_TSV, doc);
    fclose(f);
    /* 3 lines with the same number of columns; no tab or newline inside cells */
    int lines = 0, cols = -1, c = 0;
    for (char *p = buf; *p; p++) {
        if (*p == '\t')
            c++;
        if (*p == '\n') {
            if (cols < 0)
                cols = c;
            assert_int_equal(c, cols);
            c = 0;
            lines++;
        }
    }
    assert_int_equal(lines, 3);
    assert_int_equal(cols, 22);
    assert_non_null(strstr(buf, "doc\tsent\tdate\tevent_date\tdate_precision\tsource\ttarget\tcode\troot\tquad\tgoldstein"));
    assert_non_null(strstr(buf, "\tplover\tplover_mode\tmodality\tmentions\tquote\ttrigger\t"));
    /* plover_mode empty (12 has none); mentions 1; quote empty: not inside a quotation */
    assert_non_null(strstr(buf, "\tMEX\tUSA\t12\t12\t3\t-4.0\tREJECT\t\tasserted\t1\t\trejected\t"));
    free(buf);
    doc->events[1].mentions = 2;
    doc->events[1].quote = 4;
    buf = NULL;
    f = open_memstream(&buf, &len);
    write_events(f, OUT_TSV, doc);
    fclose(f);
    assert_non_null(strstr(buf, "\t051\t05\t1\t3.4\t"));
    assert_non_null(strstr(buf, "\tasserted\t2\t4\tpraised\t"));
    assert_non_null(strstr(buf, "the \"United States\" plan."));
    free(buf);
    dyad_doc_free(doc);
    dyad_dict_free(d);
}

/* the PLOVER mode of the coded event's CAMEO code, after "plover" in both
 * formats */
static void test_plover_mode(void **state)
{
    (void)state;
    static const char *dict =
        "[actors]\nMEX Mexico\nUSA United States\n[verbs]\n173 arrest\n042 visit\n";
    char err[256];
    dyad_dict *d = dict_new();
    assert_int_equal(dict_load_string(d, "m.dict", dict, strlen(dict), err, sizeof err), 0);
    assert_int_equal(dict_finish(d, err, sizeof err), 0);
    const char *text = "Mexico arrested the United States envoy.\n\nMexico visited the United States.";
    dyad_doc *doc = dyad_doc_new();
    assert_int_equal(dyad_doc_set(doc, "m", "2025-08-09", "", "", text, strlen(text), err,
                                  sizeof err), 0);
    assert_int_equal(dyad_code(d, doc, 0, err, sizeof err), 0);
    assert_int_equal(dyad_doc_nevents(doc), 2);
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    write_events(f, OUT_JSONL, doc);
    fclose(f);
    assert_non_null(strstr(buf, "\"code\":\"173\",\"root\":\"17\",\"quad\":4,\"goldstein\":-5.0,"
                                "\"plover\":\"COERCE\",\"plover_mode\":\"arrest\",\"modality\":"));
    assert_non_null(strstr(buf, "\"plover\":\"CONSULT\",\"plover_mode\":\"visit\",\"modality\":"));
    json_error_t je;
    json_t *o = json_loads(buf, JSON_DISABLE_EOF_CHECK, &je);
    assert_non_null(o);
    assert_string_equal(json_string_value(json_object_get(o, "plover_mode")), "arrest");
    json_decref(o);
    free(buf);
    buf = NULL;
    f = open_memstream(&buf, &len);
    write_events(f, OUT_TSV, doc);
    fclose(f);
    assert_non_null(strstr(buf, "\t173\t17\t4\t-5.0\tCOERCE\tarrest\tasserted\t1\t\t"));
    assert_non_null(strstr(buf, "\tCONSULT\tvisit\tasserted\t"));
    free(buf);
    dyad_doc_free(doc);
    dyad_dict_free(d);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_json_string),
        cmocka_unit_test(test_jsonl_events),
        cmocka_unit_test(test_tsv),
        cmocka_unit_test(test_plover_mode),
    };
    return cmocka_run_group_tests_name("writer", tests, NULL, NULL);
}
