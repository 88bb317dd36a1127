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
 */
#include "testutil.h"
#include "series/series.h"
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

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_weekly),
        cmocka_unit_test(test_directed_monthly_daily),
        cmocka_unit_test(test_weeks_across_years),
        cmocka_unit_test(test_dyads_and_svg),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
