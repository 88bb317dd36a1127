/*
 * test_store_series.c - dyad series and alerts against hand-computed
 * numbers, period arithmetic (ISO weeks, month ends, leap years, gaps), and
 * the SVG chart's required parts.
 *
 * The store holds nine USA/MEX events over five weeks of 2025 (one week
 * empty), one negated event and one CAN->MEX event that must not count:
 *
 *   week of   events  Goldstein            sum     mean    conflict share
 *   01-06     2       +3.4 +1.9            5.30    2.650   0
 *   01-13     1       +8.0                 8.00    8.000   0
 *   01-20     0
 *   01-27     2       +3.4 +1.0            4.40    2.200   0
 *   02-03     4       -10 -4 -5 +3.4     -15.60   -3.900   3/4
 *
 * Alert for 02-03 (window 8): baseline means 2.65, 8.0, 2.2 -> mean 4.2833,
 * population sd 2.6345, z = (-3.9 - 4.2833) / 2.6345 = -3.106; conflict
 * share baseline 0 with sd 0 -> floor 0.1 -> z = 7.5.
 *
 * The per-day dyad summary (dyad_days) must give exactly what a scan of the
 * events gives, for every filter it answers, after inserts, a replaced
 * document, a rolled-back batch and a document stored outside a batch:
 * test_summary_matches_scan compares the two paths and the table itself
 * against a GROUP BY over the events.
 */
#include "testutil.h"
#include "series/series.h"
#include "store/db.h"
#include "store/store.h"

#include <math.h>
#include <unistd.h>

static char dir[64];
static store *st;

static store_event ev(const char *date, const char *src, const char *tgt, const char *code,
                      int quad, double gs, const char *modality)
{
    store_event e;
    memset(&e, 0, sizeof e);
    e.date = e.event_date = date;
    e.date_precision = "day";
    e.source = src;
    e.target = tgt;
    e.code = code;
    e.root = code[0] == '1' ? "19" : "05"; /* not read by series */
    e.quad = quad;
    e.goldstein = gs;
    e.plover = "";
    e.modality = modality;
    e.sentence = "s";
    e.sentence_len = 1;
    e.trigger.text = e.source_span.text = e.target_span.text = e.date_span.text = "";
    e.verb_rule = e.source_rule = e.target_rule = "";
    return e;
}

static int setup(void **state)
{
    (void)state;
    snprintf(dir, sizeof dir, "/tmp/dyad-test-series-XXXXXX");
    if (!mkdtemp(dir))
        return -1;
    char path[128], err[512];
    snprintf(path, sizeof path, "%s/s.db", dir);
    st = store_open(path, err, sizeof err);
    if (!st)
        return -1;
    store_event e[] = {
        ev("2025-01-07", "USA", "MEX", "051", 1, 3.4, "asserted"),
        ev("2025-01-08", "MEX", "USA", "042", 1, 1.9, "reported"),
        ev("2025-01-15", "USAGOV", "MEXGOV", "057", 1, 8.0, "asserted"),
        ev("2025-01-28", "USA", "MEX", "051", 1, 3.4, "asserted"),
        ev("2025-01-29", "USA", "MEXGOV", "040", 1, 1.0, "asserted"),
        ev("2025-02-03", "USA", "MEX", "190", 4, -10.0, "asserted"),
        ev("2025-02-04", "MEX", "USA", "1211", 3, -4.0, "asserted"),
        ev("2025-02-04", "USAMIL", "MEX", "173", 4, -5.0, "asserted"),
        ev("2025-02-05", "MEX", "USA", "051", 1, 3.4, "asserted"),
        ev("2025-02-05", "USA", "MEX", "190", 4, -10.0, "negated"),
        ev("2025-02-05", "CAN", "MEX", "190", 4, -10.0, "asserted"),
    };
    store_doc d = {"d", "2025-01-07", "", "", NULL, 0, 42};
    if (store_begin(st, err, sizeof err) ||
        store_put(st, &d, e, sizeof e / sizeof e[0], NULL, err, sizeof err) ||
        store_commit(st, err, sizeof err))
        return -1;
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    store_close(st);
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    return system(cmd) == 0 ? 0 : -1;
}

static event_filter usa_mex(void)
{
    event_filter f;
    memset(&f, 0, sizeof f);
    f.limit = -1;
    f.dyad_a = "USA";
    f.dyad_b = "MEX";
    f.modalities = 1u << DYAD_ASSERTED | 1u << DYAD_REPORTED;
    return f;
}

#define NEAR(a, b) assert_true(fabs((a) - (b)) < 1e-9)

static void test_weekly(void **state)
{
    (void)state;
    event_filter f = usa_mex();
    series s;
    char err[256];
    assert_int_equal(series_query(st, &f, BY_WEEK, &s, err, sizeof err), 0);
    assert_int_equal(s.n, 5);
    static const char *const periods[] = {"2025-01-06", "2025-01-13", "2025-01-20", "2025-01-27",
                                          "2025-02-03"};
    static const int64_t events[] = {2, 1, 0, 2, 4};
    static const double sums[] = {5.3, 8.0, 0, 4.4, -15.6};
    for (size_t i = 0; i < 5; i++) {
        assert_string_equal(s.points[i].period, periods[i]);
        assert_int_equal(s.points[i].events, events[i]);
        NEAR(s.points[i].goldstein_sum, sums[i]);
    }
    assert_string_equal(s.points[4].first, "2025-02-03");
    assert_string_equal(s.points[4].last, "2025-02-09");
    assert_int_equal(s.points[4].quad[1], 1);
    assert_int_equal(s.points[4].quad[3], 1);
    assert_int_equal(s.points[4].quad[4], 2);
    NEAR(series_mean(&s.points[4]), -3.9);
    NEAR(series_conflict_share(&s.points[4]), 0.75);

    alert *al;
    size_t n;
    assert_int_equal(series_alerts(&s, 8, 2.0, 3, &al, &n), 0);
    assert_int_equal(n, 1);
    assert_int_equal(al[0].index, 4);
    NEAR(al[0].base_mean, 12.85 / 3);
    assert_true(fabs(al[0].base_sd - 2.6345) < 1e-4);
    assert_true(fabs(al[0].z_mean - -3.106) < 1e-3);
    NEAR(al[0].z_share, 7.5);
    assert_true(al[0].by_mean && al[0].by_share);
    free(al);
    /* k = 4: only the conflict share fires; 5 events needed: nothing fires */
    assert_int_equal(series_alerts(&s, 8, 4.0, 3, &al, &n), 0);
    assert_int_equal(n, 1);
    assert_false(al[0].by_mean);
    assert_true(al[0].by_share);
    free(al);
    assert_int_equal(series_alerts(&s, 8, 2.0, 5, &al, &n), 0);
    assert_int_equal(n, 0);
    free(al);
    /* a window of 2 sees only 01-20 (empty) and 01-27: one baseline value is too few */
    assert_int_equal(series_alerts(&s, 2, 2.0, 3, &al, &n), 0);
    assert_int_equal(n, 0);
    free(al);
    series_free(&s);
}

static void test_directed_monthly_daily(void **state)
{
    (void)state;
    event_filter f = usa_mex();
    f.directed = 1;
    series s;
    char err[256];
    assert_int_equal(series_query(st, &f, BY_MONTH, &s, err, sizeof err), 0);
    assert_int_equal(s.n, 2);
    assert_string_equal(s.points[0].period, "2025-01");
    assert_string_equal(s.points[0].last, "2025-01-31");
    assert_int_equal(s.points[0].events, 4);
    NEAR(s.points[0].goldstein_sum, 15.8);
    assert_int_equal(s.points[1].events, 2);
    NEAR(series_mean(&s.points[1]), -7.5);
    series_free(&s);

    /* all modalities: the negated event counts too */
    f.modalities = 0;
    f.from = "2025-02-01";
    assert_int_equal(series_query(st, &f, BY_DAY, &s, err, sizeof err), 0);
    assert_int_equal(s.n, 5); /* 02-01 .. 02-05 */
    assert_string_equal(s.points[0].period, "2025-02-01");
    assert_int_equal(s.points[2].events, 1);
    assert_int_equal(s.points[4].events, 1); /* the negated 190 */
    series_free(&s);

    /* bounds beyond the data list empty periods; an empty store gives none */
    f = usa_mex();
    f.from = "2024-12-30";
    f.to = "2025-03-02";
    assert_int_equal(series_query(st, &f, BY_MONTH, &s, err, sizeof err), 0);
    assert_int_equal(s.n, 4);
    assert_string_equal(s.points[0].period, "2024-12");
    assert_string_equal(s.points[3].period, "2025-03");
    assert_int_equal(s.points[3].events, 0);
    series_free(&s);
    f = usa_mex();
    f.dyad_a = "RUS";
    assert_int_equal(series_query(st, &f, BY_WEEK, &s, err, sizeof err), 0);
    assert_int_equal(s.n, 0);
    series_free(&s);
    /* a typo in --from cannot ask for millions of days */
    f = usa_mex();
    f.from = "0001-01-01";
    assert_int_equal(series_query(st, &f, BY_DAY, &s, err, sizeof err), -1);
    assert_non_null(strstr(err, "narrow it"));
}

static void test_weeks_across_years(void **state)
{
    (void)state;
    /* 2024-12-31 (Tuesday) and 2025-01-05 (Sunday) share the week of Monday 2024-12-30;
     * 2024-02-29 is in the week of 2024-02-26 */
    char err[256];
    event_filter f = usa_mex();
    f.from = "2024-02-29";
    f.to = "2024-02-29";
    series s;
    assert_int_equal(series_query(st, &f, BY_WEEK, &s, err, sizeof err), 0);
    assert_int_equal(s.n, 1);
    assert_string_equal(s.points[0].period, "2024-02-26");
    assert_string_equal(s.points[0].last, "2024-03-03");
    series_free(&s);
    f.from = "2024-12-31";
    f.to = "2025-01-05";
    assert_int_equal(series_query(st, &f, BY_WEEK, &s, err, sizeof err), 0);
    assert_int_equal(s.n, 1);
    assert_string_equal(s.points[0].period, "2024-12-30");
    series_free(&s);
}

static void test_dyads_and_svg(void **state)
{
    (void)state;
    event_filter f = usa_mex();
    f.dyad_a = f.dyad_b = NULL;
    dyad_pair *p;
    size_t n;
    char err[256];
    assert_int_equal(series_dyads(st, &f, 1, &p, &n, err, sizeof err), 0);
    assert_int_equal(n, 2);
    assert_string_equal(p[0].a, "MEX"); /* unordered, smaller code first */
    assert_string_equal(p[0].b, "USA");
    assert_int_equal(p[0].events, 9);
    assert_string_equal(p[1].a, "CAN");
    free(p);
    assert_int_equal(series_dyads(st, &f, 10, &p, &n, err, sizeof err), 0);
    assert_int_equal(n, 0);

    f = usa_mex();
    series s;
    assert_int_equal(series_query(st, &f, BY_WEEK, &s, err, sizeof err), 0);
    char *buf = NULL;
    size_t len = 0;
    FILE *out = open_memstream(&buf, &len);
    assert_int_equal(series_write_svg(out, &s, "USA & MEX <test>"), 0);
    fclose(out);
    assert_true(strncmp(buf, "<svg xmlns=\"http://www.w3.org/2000/svg\"", 39) == 0);
    assert_non_null(strstr(buf, "USA &amp; MEX &lt;test&gt;"));
    assert_non_null(strstr(buf, "events per week"));
    assert_non_null(strstr(buf, "week (starting Monday)"));
    assert_non_null(strstr(buf, "cooperation (quad 1-2)"));
    assert_non_null(strstr(buf, "conflict (quad 3-4)"));
    assert_non_null(strstr(buf, ">2025-02-03</text>"));
    assert_non_null(strstr(buf, "</svg>\n"));
    /* two polylines of five points each */
    const char *pl = strstr(buf, "<polyline");
    assert_non_null(pl);
    assert_non_null(strstr(pl + 1, "<polyline"));
    free(buf);
    series_free(&s);
}


/* The figures of both paths, compared exactly (the Goldstein sums are
 * integers underneath, so == is right). */
static void same_both_ways(store *s, const event_filter *f, int by)
{
    char err[512];
    series a, b;
    if (series_query_how(s, f, by, SERIES_AUTO, &a, err, sizeof err) ||
        series_query_how(s, f, by, SERIES_SCAN, &b, err, sizeof err))
        fail_msg("%s", err);
    assert_int_equal(a.n, b.n);
    for (size_t i = 0; i < a.n; i++) {
        const series_point *p = &a.points[i], *q = &b.points[i];
        assert_string_equal(p->period, q->period);
        assert_int_equal(p->events, q->events);
        for (int k = 1; k <= 4; k++)
            assert_int_equal(p->quad[k], q->quad[k]);
        assert_true(p->goldstein_sum == q->goldstein_sum);
    }
    series_free(&a);
    series_free(&b);
}

/* dyad_days equals a GROUP BY over the events, row for row. */
static void summary_exact(store *s)
{
    static const char *const sql[] = {
        "SELECT count(*) FROM (SELECT src3, tgt3, event_date, quad, modality, count(*), "
        STORE_GUNITS("goldstein") " FROM events GROUP BY src3, tgt3, event_date, quad, modality"
        " EXCEPT SELECT src3, tgt3, day, quad, modality, events, gunits FROM dyad_days) AS x",
        "SELECT count(*) FROM (SELECT src3, tgt3, day, quad, modality, events, gunits FROM"
        " dyad_days EXCEPT SELECT src3, tgt3, event_date, quad, modality, count(*), "
        STORE_GUNITS("goldstein") " FROM events GROUP BY src3, tgt3, event_date, quad, modality)"
        " AS x"};
    for (int i = 0; i < 2; i++) {
        char err[512];
        db_stmt *q = db_prepare(store_db(s), sql[i], err, sizeof err);
        if (!q)
            fail_msg("%s", err);
        assert_int_equal(db_step(q), 1);
        assert_int_equal(db_col_int(q, 0), 0);
        db_reset(q);
        db_finalize(q);
    }
}

static void all_filters_agree(store *s)
{
    static const char *const dyads[][2] = {{"USA", "MEX"}, {"MEX", "USA"}, {"USA", "USA"},
                                           {"US", "ME"},   {"U", "M"},     {"CAN", "MEX"},
                                           {"M", "MEX"},   {NULL, NULL}};
    const unsigned mods[] = {1u << DYAD_ASSERTED | 1u << DYAD_REPORTED, 0, 1u << DYAD_NEGATED};
    const unsigned quads[] = {0, 1u << 3 | 1u << 4};
    for (size_t k = 0; k < sizeof dyads / sizeof dyads[0]; k++)
        for (int directed = 0; directed <= 1; directed++)
            for (int m = 0; m < 3; m++)
                for (int q = 0; q < 2; q++)
                    for (int range = 0; range <= 1; range++) {
                        event_filter f = usa_mex();
                        f.dyad_a = dyads[k][0];
                        f.dyad_b = dyads[k][1];
                        f.directed = directed;
                        f.modalities = mods[m];
                        f.quads = quads[q];
                        if (range) {
                            f.from = "2025-01-10";
                            f.to = "2025-02-04";
                        }
                        assert_true(series_summary_answers(&f));
                        for (int by = BY_DAY; by <= BY_MONTH; by++)
                            same_both_ways(s, &f, by);
                    }
    summary_exact(s);
}

static void test_summary_matches_scan(void **state)
{
    (void)state;
    char path[128], err[512];
    snprintf(path, sizeof path, "%s/sum.db", dir);
    store *s = store_open(path, err, sizeof err);
    if (!s)
        fail_msg("%s", err);
    store_event e[] = {
        ev("2025-01-07", "USA", "MEX", "051", 1, 3.4, "asserted"),
        ev("2025-01-07", "USA", "MEX", "051", 1, 0.1, "asserted"),
        ev("2025-01-07", "USA", "MEX", "051", 1, 0.2, "asserted"),
        ev("2025-01-08", "MEX", "USA", "042", 1, 1.9, "reported"),
        ev("2025-01-15", "USAGOV", "MEXGOV", "057", 1, 8.0, "asserted"),
        ev("2025-01-15", "USA", "USA", "057", 2, 7.0, "asserted"),
        ev("2025-02-04", "MEX", "USA", "1211", 3, -4.0, "asserted"),
        ev("2025-02-05", "USA", "MEX", "190", 4, -10.0, "negated"),
        ev("2025-02-05", "CAN", "MEX", "190", 4, -10.0, "asserted"),
        ev("2025-03-01", "MEX", "", "190", 4, -9.5, "asserted"),
    };
    store_doc d1 = {"a", "2025-01-07", "", "", NULL, 0, 1};
    store_doc d2 = {"b", "2025-02-04", "", "", NULL, 0, 2};
    if (store_begin(s, err, sizeof err) || store_put(s, &d1, e, 6, NULL, err, sizeof err) ||
        store_put(s, &d2, e + 6, 4, NULL, err, sizeof err) || store_commit(s, err, sizeof err))
        fail_msg("%s", err);
    all_filters_agree(s);
    /* filters the summary cannot answer fall back to the events */
    event_filter f = usa_mex();
    f.dyad_a = "USAGOV";
    assert_false(series_summary_answers(&f));
    f = usa_mex();
    f.actor = "MEX";
    assert_false(series_summary_answers(&f));
    /* a changed document: its old events leave the summary, the new ones enter */
    d1.hash = 11;
    int stt = -1;
    if (store_begin(s, err, sizeof err) || store_put(s, &d1, e + 1, 2, &stt, err, sizeof err) ||
        store_commit(s, err, sizeof err))
        fail_msg("%s", err);
    assert_int_equal(stt, STORE_DOC_CHANGED);
    all_filters_agree(s);
    /* the same document again, unchanged: nothing moves */
    if (store_begin(s, err, sizeof err) || store_put(s, &d1, e + 1, 2, &stt, err, sizeof err) ||
        store_commit(s, err, sizeof err))
        fail_msg("%s", err);
    assert_int_equal(stt, STORE_DOC_SAME);
    all_filters_agree(s);
    /* a rolled-back batch leaves no trace, and its deltas are not carried
     * into the next one */
    store_doc d3 = {"c", "2025-01-07", "", "", NULL, 0, 3};
    d2.hash = 22;
    assert_int_equal(store_begin(s, err, sizeof err), 0);
    assert_int_equal(store_put(s, &d3, e, 10, NULL, err, sizeof err), 0);
    assert_int_equal(store_put(s, &d2, e, 1, NULL, err, sizeof err), 0);
    store_rollback(s);
    all_filters_agree(s);
    /* outside a batch a document is its own transaction */
    assert_int_equal(store_put(s, &d3, e + 3, 7, &stt, err, sizeof err), 0);
    assert_int_equal(stt, STORE_DOC_NEW);
    all_filters_agree(s);
    /* a document replaced by one with no events empties its keys */
    d3.hash = 33;
    assert_int_equal(store_put(s, &d3, e, 0, &stt, err, sizeof err), 0);
    d1.hash = 111;
    assert_int_equal(store_put(s, &d1, e, 0, &stt, err, sizeof err), 0);
    d2.hash = 222;
    assert_int_equal(store_put(s, &d2, e, 0, &stt, err, sizeof err), 0);
    all_filters_agree(s);
    assert_int_equal(store_count(s, "events", err, sizeof err), 0);
    db_stmt *q = db_prepare(store_db(s), "SELECT count(*) FROM dyad_days", err, sizeof err);
    assert_non_null(q);
    assert_int_equal(db_step(q), 1);
    assert_int_equal(db_col_int(q, 0), 0);
    db_finalize(q);
    store_close(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_weekly),
        cmocka_unit_test(test_directed_monthly_daily),
        cmocka_unit_test(test_weeks_across_years),
        cmocka_unit_test(test_dyads_and_svg),
        cmocka_unit_test(test_summary_matches_scan),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
