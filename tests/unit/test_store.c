/*
 * test_store.c - the event store: hashes, idempotent upserts, schema
 * migration, the ingest pipeline (documents, threads, pre-coded events),
 * compressed input, filters and output layouts.
 *
 * Every test works on its own SQLite file in a temporary directory.
 */
#include "testutil.h"
#include "dict/dict.h"
#include "store/db.h"
#include "store/evout.h"
#include "store/ingest.h"
#include "store/input.h"
#include "store/query.h"
#include "store/schema.h"
#include "store/store.h"

#include <unistd.h>
#include <zlib.h>
#include <zstd.h>

static char tmpdir[64];

static int setup(void **state)
{
    (void)state;
    snprintf(tmpdir, sizeof tmpdir, "/tmp/dyad-test-store-XXXXXX");
    return mkdtemp(tmpdir) ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmpdir);
    return system(cmd) == 0 ? 0 : -1;
}

static const char *path_in_tmp(const char *name)
{
    static char buf[4][256];
    static int k;
    k = (k + 1) % 4;
    snprintf(buf[k], sizeof buf[k], "%s/%s", tmpdir, name);
    return buf[k];
}

static void write_file(const char *path, const char *text)
{
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    fputs(text, f);
    assert_int_equal(fclose(f), 0);
}

static store *open_store(const char *name)
{
    char err[512];
    store *s = store_open(path_in_tmp(name), err, sizeof err);
    if (!s)
        fail_msg("%s", err);
    return s;
}

static int64_t count(store *s, const char *table)
{
    char err[256];
    int64_t n = store_count(s, table, err, sizeof err);
    assert_true(n >= 0);
    return n;
}

/* One hand-made event between source and target. */
static store_event mk_event(const char *date, uint32_t sent, const char *src, const char *tgt,
                            const char *code, int quad, double gs, const char *text)
{
    store_event e;
    memset(&e, 0, sizeof e);
    e.date = e.event_date = date;
    e.date_precision = "day";
    e.sent = sent;
    e.source = src;
    e.target = tgt;
    e.code = code;
    static char roots[64][3];
    static int r;
    r = (r + 1) % 64;
    snprintf(roots[r], 3, "%.2s", code);
    e.root = roots[r];
    e.quad = quad;
    e.goldstein = gs;
    e.plover = "";
    e.modality = "asserted";
    e.trigger.text = "x";
    e.trigger.len = 1;
    e.sentence = text;
    e.sentence_len = strlen(text);
    e.verb_rule = e.source_rule = e.target_rule = "";
    e.source_span.text = e.target_span.text = e.date_span.text = "";
    return e;
}

static void put_doc(store *s, const char *id, const char *date, const char *text,
                    const store_event *evs, size_t n, int want_state)
{
    char err[512];
    store_doc d = {id, date, "wire", "", text, strlen(text), 0};
    d.hash = store_hash_doc(&d);
    int state = -1;
    assert_int_equal(store_begin(s, err, sizeof err), 0);
    if (store_put(s, &d, evs, n, &state, err, sizeof err))
        fail_msg("%s", err);
    assert_int_equal(store_commit(s, err, sizeof err), 0);
    assert_int_equal(state, want_state);
}

static void test_hash(void **state)
{
    (void)state;
    uint64_t a = store_hash_str(store_hash_str(store_hash_init(), "ab"), "c");
    uint64_t b = store_hash_str(store_hash_str(store_hash_init(), "a"), "bc");
    assert_true(a != b);
    assert_true(store_hash_str(store_hash_init(), NULL) != store_hash_str(store_hash_init(), ""));
    store_doc d1 = {"id", "2025-01-01", "", "", "text", 4, 0};
    store_doc d2 = d1;
    d2.text = "texT";
    assert_true(store_hash_doc(&d1) != store_hash_doc(&d2));
    assert_true(store_hash_doc(&d1) == store_hash_doc(&d1));
}

static void test_put_idempotent_and_replace(void **state)
{
    (void)state;
    store *s = open_store("put.db");
    store_event ev[2] = {mk_event("2025-08-09", 0, "MEX", "USA", "12", 3, -4.0, "A rejects B."),
                         mk_event("2025-08-09", 1, "USA", "MEX", "051", 1, 3.4, "B praises A.")};
    put_doc(s, "d1", "2025-08-09", "A rejects B. B praises A.", ev, 2, STORE_DOC_NEW);
    put_doc(s, "d2", "2025-08-10", "Other.", ev, 1, STORE_DOC_NEW);
    assert_int_equal(count(s, "documents"), 2);
    assert_int_equal(count(s, "events"), 3);
    /* the same content again: nothing changes */
    put_doc(s, "d1", "2025-08-09", "A rejects B. B praises A.", ev, 2, STORE_DOC_SAME);
    assert_int_equal(count(s, "events"), 3);
    /* changed text: d1's events are replaced, d1 keeps its place in the sequence */
    put_doc(s, "d1", "2025-08-09", "A rejects B!", ev, 1, STORE_DOC_CHANGED);
    assert_int_equal(count(s, "documents"), 2);
    assert_int_equal(count(s, "events"), 2);
    char err[256];
    event_filter f = {0};
    f.limit = -1;
    event_cursor *c = events_query(s, &f, err, sizeof err);
    assert_non_null(c);
    store_event e;
    assert_int_equal(events_next(c, &e, err, sizeof err), 1);
    assert_string_equal(e.doc, "d2"); /* d1's new event has a higher id */
    assert_int_equal(events_next(c, &e, err, sizeof err), 1);
    assert_string_equal(e.doc, "d1");
    assert_string_equal(e.code, "12");
    assert_int_equal(events_next(c, &e, err, sizeof err), 0);
    events_close(c);
    store_close(s);
    /* reopening does not migrate again or lose anything */
    s = open_store("put.db");
    assert_int_equal(count(s, "events"), 2);
    store_close(s);
}

/* mentions and quote round-trip; quotations are stored with their document
 * and replaced with it */
static void test_quotes_and_mentions(void **state)
{
    (void)state;
    store *s = open_store("quotes.db");
    char err[512];
    store_event ev[2] = {mk_event("2025-08-09", 0, "MEX", "USA", "12", 3, -4.0, "A rejects B."),
                         mk_event("2025-08-09", 1, "USA", "MEX", "051", 1, 3.4, "B praises A.")};
    ev[1].mentions = 3;
    ev[1].has_quote = 1;
    ev[1].quote = 1;
    ev[1].plover = "CONSULT";
    ev[1].plover_mode = "visit";
    const char *text = "\"No,\" A said. B said: \"Yes.\"";
    store_quote q[2];
    memset(q, 0, sizeof q);
    q[0] = (store_quote){NULL, NULL, 0, 0, 0, "MEX", {"A", 1, 6, 7}, "x.dict:1",
                         {"said", 4, 8, 12}, {"No,", 3, 1, 4}};
    q[1] = (store_quote){NULL, NULL, 1, 1, 1, "", {"", 0, 0, 0}, "",
                         {"", 0, 0, 0}, {"Yes.", 4, 24, 28}};
    store_doc d = {"qd", "2025-08-09", "", "", text, strlen(text), 0};
    d.hash = store_hash_doc(&d);
    assert_int_equal(store_begin(s, err, sizeof err), 0);
    if (store_put_quotes(s, &d, ev, 2, q, 2, NULL, err, sizeof err))
        fail_msg("%s", err);
    assert_int_equal(store_commit(s, err, sizeof err), 0);
    assert_int_equal(count(s, "quotes"), 2);
    event_filter f = {0};
    f.limit = -1;
    event_cursor *c = events_query(s, &f, err, sizeof err);
    assert_non_null(c);
    store_event e;
    assert_int_equal(events_next(c, &e, err, sizeof err), 1);
    assert_int_equal(e.mentions, 1); /* 0 is stored as 1 */
    assert_int_equal(e.has_quote, 0);
    assert_string_equal(e.plover_mode, ""); /* NULL is stored as "" */
    assert_int_equal(events_next(c, &e, err, sizeof err), 1);
    assert_string_equal(e.plover_mode, "visit");
    assert_int_equal(e.mentions, 3);
    assert_int_equal(e.has_quote, 1);
    assert_int_equal(e.quote, 1);
    events_close(c);
    quote_filter qf = {0};
    qf.limit = -1;
    qf.speaker = "MEX";
    quote_cursor *qc = quotes_query(s, &qf, err, sizeof err);
    assert_non_null(qc);
    store_quote r;
    assert_int_equal(quotes_next(qc, &r, err, sizeof err), 1);
    assert_string_equal(r.doc, "qd");
    assert_string_equal(r.date, "2025-08-09");
    assert_string_equal(r.speaker_rule, "x.dict:1");
    assert_int_equal(r.cue.start, 8);
    assert_int_equal(quotes_next(qc, &r, err, sizeof err), 0);
    quotes_close(qc);
    /* a changed document: its quotations are replaced */
    d.text = "Changed.";
    d.text_len = strlen(d.text);
    d.hash = store_hash_doc(&d);
    assert_int_equal(store_begin(s, err, sizeof err), 0);
    if (store_put_quotes(s, &d, ev, 1, q + 1, 1, NULL, err, sizeof err))
        fail_msg("%s", err);
    assert_int_equal(store_commit(s, err, sizeof err), 0);
    assert_int_equal(count(s, "quotes"), 1);
    store_close(s);
}

static void test_migration(void **state)
{
    (void)state;
    char err[512];
    const char *path = path_in_tmp("old.db");
    db *d = db_open(path, err, sizeof err);
    assert_non_null(d);
    assert_int_equal(schema_migrate(d, 1, err, sizeof err), 0);
    assert_int_equal(schema_version(d, err, sizeof err), 1);
    /* a version-1 store with one document and one event */
    assert_int_equal(
        db_exec(d,
                "INSERT INTO documents VALUES (1, 'old', '2020-01-01', '', '', 'x', 'h', 1, 0);"
                "INSERT INTO events (doc_seq, sent, date, event_date, date_precision, source,"
                " target, code, root, quad, goldstein, plover, modality, trigger_text,"
                " trigger_start, trigger_end, source_text, source_start, source_end, target_text,"
                " target_start, target_end, date_text, date_start, date_end, verb_rule,"
                " source_rule, target_rule, sentence) VALUES (1, 0, '2020-01-01', '2020-01-01',"
                " 'day', 'MEX', 'USA', '14', '14', 4, -6.5, 'PROTEST', 'asserted', 'protested', 7,"
                " 16, 'Mexico', 0, 6, '', 0, 0, '', 0, 0, '', '', '', 'Mexico protested loudly.')",
                err, sizeof err),
        0);
    /* a version-2 quotes row (dyad never wrote one; migration 4 carries it over) */
    assert_int_equal(schema_migrate(d, 2, err, sizeof err), 0);
    assert_int_equal(db_exec(d,
                             "INSERT INTO quotes (doc_seq, sent, speaker, speaker_text, text,"
                             " start_byte, end_byte) VALUES (1, 0, 'MEX', 'Mexico', 'loudly',"
                             " 17, 23)",
                             err, sizeof err),
                     0);
    db_close(d);
    store *s = store_open(path, err, sizeof err);
    if (!s)
        fail_msg("%s", err);
    assert_int_equal(count(s, "quotes"), 1);
    quote_filter qf = {0};
    qf.limit = -1;
    quote_cursor *qc = quotes_query(s, &qf, err, sizeof err);
    assert_non_null(qc);
    store_quote q;
    assert_int_equal(quotes_next(qc, &q, err, sizeof err), 1);
    assert_string_equal(q.doc, "old");
    assert_int_equal(q.quote, 0);
    assert_int_equal(q.sent_first, 0);
    assert_int_equal(q.sent_last, 0);
    assert_string_equal(q.speaker, "MEX");
    assert_int_equal(q.speaker_span.end, 0); /* offsets unknown in version 2 */
    assert_memory_equal(q.text.text, "loudly", 6);
    assert_int_equal(q.text.start, 17);
    assert_int_equal(quotes_next(qc, &q, err, sizeof err), 0);
    quotes_close(qc);
    event_filter f = {0};
    f.limit = -1;
    f.text = "protested";
    event_cursor *c = events_query(s, &f, err, sizeof err);
    assert_non_null(c);
    store_event e;
    /* the FTS index of migration 2 covers the events already there */
    assert_int_equal(events_next(c, &e, err, sizeof err), 1);
    assert_string_equal(e.doc, "old");
    /* migration 4: one mention, in no quotation */
    assert_int_equal(e.mentions, 1);
    assert_int_equal(e.has_quote, 0);
    /* migration 5: no PLOVER mode */
    assert_string_equal(e.plover_mode, "");
    events_close(c);
    /* migration 3 filled the country columns of the existing event */
    f.text = NULL;
    f.dyad_a = "USA";
    f.dyad_b = "MEX";
    c = events_query(s, &f, err, sizeof err);
    assert_non_null(c);
    assert_int_equal(events_next(c, &e, err, sizeof err), 1);
    assert_string_equal(e.code, "14");
    events_close(c);
    /* migration 6 summed the existing event into the dyad summary */
    db_stmt *sq = db_prepare(store_db(s), "SELECT src3, tgt3, day, quad, modality, events, gunits"
                                         " FROM dyad_days", err, sizeof err);
    assert_non_null(sq);
    assert_int_equal(db_step(sq), 1);
    assert_string_equal(db_col_text(sq, 0, NULL), "MEX");
    assert_string_equal(db_col_text(sq, 1, NULL), "USA");
    assert_string_equal(db_col_text(sq, 2, NULL), "2020-01-01");
    assert_int_equal(db_col_int(sq, 3), 4);
    assert_string_equal(db_col_text(sq, 4, NULL), "asserted");
    assert_int_equal(db_col_int(sq, 5), 1);
    assert_int_equal(db_col_int(sq, 6), -65000);
    assert_int_equal(db_step(sq), 0);
    db_finalize(sq);
    store_close(s);
    /* a store from a newer dyad is refused, not damaged */
    d = db_open(path, err, sizeof err);
    assert_int_equal(db_exec(d, "UPDATE schema_version SET version = 99", err, sizeof err), 0);
    db_close(d);
    s = store_open(path, err, sizeof err);
    assert_null(s);
    assert_non_null(strstr(err, "newer than this dyad"));
}

static int64_t dyad_indexes(store *s)
{
    char err[256];
    db_stmt *q = db_prepare(store_db(s),
                            "SELECT count(*) FROM sqlite_master WHERE type = 'index'"
                            " AND name IN ('events_dyad', 'events_rdyad')",
                            err, sizeof err);
    assert_non_null(q);
    assert_int_equal(db_step(q), 1);
    int64_t n = db_col_int(q, 0);
    db_finalize(q);
    return n;
}

static void test_bulk_indexes(void **state)
{
    (void)state;
    char err[512];
    store *s = store_open(path_in_tmp("bulk.db"), err, sizeof err);
    if (!s)
        fail_msg("%s", err);
    assert_int_equal(dyad_indexes(s), 2);
    /* empty: bulk mode drops the indexes, the end builds them */
    assert_int_equal(store_bulk_begin(s, err, sizeof err), 1);
    assert_int_equal(dyad_indexes(s), 0);
    store_event e = mk_event("2025-01-02", 0, "MEXGOV", "USA", "042", 1, 1.9, "Mexico visited.");
    store_doc d = {"b1", "2025-01-02", "", "", NULL, 0, 7};
    assert_int_equal(store_put(s, &d, &e, 1, NULL, err, sizeof err), 0);
    /* a load cut short (no store_bulk_end): the next one goes on in bulk mode */
    store_close(s);
    s = store_open(path_in_tmp("bulk.db"), err, sizeof err);
    assert_non_null(s);
    assert_int_equal(dyad_indexes(s), 0);
    assert_int_equal(store_bulk_begin(s, err, sizeof err), 1);
    assert_int_equal(store_bulk_end(s, err, sizeof err), 0);
    assert_int_equal(dyad_indexes(s), 2);
    assert_int_equal(store_bulk_end(s, err, sizeof err), 0); /* once is enough */
    /* a store with events and indexes is loaded normally */
    assert_int_equal(store_bulk_begin(s, err, sizeof err), 0);
    assert_int_equal(dyad_indexes(s), 2);
    assert_int_equal(store_bulk_end(s, err, sizeof err), 0);
    /* the dyad query answers the same either way */
    event_filter f = {0};
    f.limit = -1;
    f.dyad_a = "USA";
    f.dyad_b = "MEX";
    event_cursor *c = events_query(s, &f, err, sizeof err);
    assert_non_null(c);
    store_event got;
    assert_int_equal(events_next(c, &got, err, sizeof err), 1);
    assert_int_equal(events_next(c, &got, err, sizeof err), 0);
    events_close(c);
    store_close(s);
}

static dyad_dict *small_dict(void)
{
    static const char *text = "[actors]\nMEX Mexico\nUSA United States\nCAN Canada\n"
                              "[verbs]\n12 reject\n051 praise\n";
    char err[256];
    dyad_dict *d = dict_new();
    assert_non_null(d);
    assert_int_equal(dict_load_string(d, "t.dict", text, strlen(text), err, sizeof err), 0);
    assert_int_equal(dict_finish(d, err, sizeof err), 0);
    return d;
}

static int reports;
static void count_report(void *arg, const char *msg)
{
    (void)arg;
    (void)msg;
    reports++;
}

static ingest_stats run_ingest(store *s, const dyad_dict *d, int jobs, int events_mode,
                               const char *path)
{
    char err[512];
    ingest_opts o = {0};
    o.dict = d;
    o.jobs = jobs;
    o.events_mode = events_mode;
    o.batch_docs = 3; /* several batches even for small inputs */
    o.report = count_report;
    ingest *g = ingest_new(s, &o, err, sizeof err);
    assert_non_null(g);
    if (ingest_path(g, path, err, sizeof err) || ingest_finish(g, err, sizeof err))
        fail_msg("%s", err);
    ingest_stats st = *ingest_get_stats(g);
    ingest_free(g);
    return st;
}

static const char CORPUS[] =
    "{\"id\":\"a\",\"date\":\"2025-01-02\",\"text\":\"Mexico rejected the United States.\"}\n"
    "{\"id\":\"b\",\"date\":\"2025-01-03\",\"text\":\"Canada praised Mexico.\"}\n"
    "{\"id\":\"c\",\"date\":\"2025-01-04\",\"text\":\"Nothing happened.\"}\n"
    "{\"id\":\"d\",\"date\":\"2025-02-01\",\"text\":\"The United States praised Canada. "
    "Canada rejected Mexico.\"}\n"
    "{\"id\":\"b\",\"date\":\"2025-01-03\",\"text\":\"Canada praised Mexico.\"}\n"
    "{\"id\":\"e\",\"date\":\"2025-02-02\",\"text\":\"Mexico praised Canada.\"}\n";

static void test_ingest_idempotent(void **state)
{
    (void)state;
    dyad_dict *d = small_dict();
    const char *corpus = path_in_tmp("corpus.jsonl");
    write_file(corpus, CORPUS);
    for (int jobs = 1; jobs <= 3; jobs += 2) {
        char name[32];
        snprintf(name, sizeof name, "ingest%d.db", jobs);
        store *s = open_store(name);
        reports = 0;
        ingest_stats st = run_ingest(s, d, jobs, 0, corpus);
        assert_int_equal(st.records, 6);
        assert_int_equal(st.docs_new, 5);
        assert_int_equal(st.docs_same, 1); /* "b" repeated with the same content */
        assert_int_equal(st.docs_rejected, 0);
        assert_int_equal(st.events, 5);
        assert_int_equal(reports, 0);
        assert_int_equal(count(s, "documents"), 5);
        assert_int_equal(count(s, "events"), 5);
        /* input order is the document sequence, whatever the thread count */
        char err[256];
        db_stmt *q = db_prepare(store_db(s), "SELECT group_concat(id, '') FROM "
                                             "(SELECT id FROM documents ORDER BY seq)",
                                err, sizeof err);
        assert_non_null(q);
        assert_int_equal(db_step(q), 1);
        assert_string_equal(db_col_text(q, 0, NULL), "abcde");
        db_finalize(q);
        /* the second run adds nothing */
        st = run_ingest(s, d, jobs, 0, corpus);
        assert_int_equal(st.docs_new + st.docs_changed, 0);
        assert_int_equal(st.docs_same, 6);
        assert_int_equal(st.events, 0);
        assert_int_equal(count(s, "events"), 5);
        store_close(s);
    }
    /* a changed document replaces its events; a conflicting repeat is rejected */
    store *s = open_store("ingest1.db");
    write_file(corpus,
               "{\"id\":\"a\",\"date\":\"2025-01-02\",\"text\":\"Mexico praised the United "
               "States. Mexico rejected Canada.\"}\n"
               "{\"id\":\"a\",\"date\":\"2025-01-02\",\"text\":\"Something else.\"}\n");
    reports = 0;
    ingest_stats st = run_ingest(s, d, 1, 0, corpus);
    assert_int_equal(st.docs_changed, 1);
    assert_int_equal(st.docs_rejected, 1);
    assert_int_equal(reports, 1);
    assert_int_equal(count(s, "documents"), 5);
    assert_int_equal(count(s, "events"), 6);
    store_close(s);
    dyad_dict_free(d);
}

static void test_ingest_events_mode(void **state)
{
    (void)state;
    const char *path = path_in_tmp("events.jsonl");
    write_file(path,
               "{\"doc\":\"x\",\"sent\":0,\"date\":\"2025-03-01\",\"source\":\"MEX\","
               "\"target\":\"USA\",\"code\":\"1211\"}\n"
               "{\"doc\":\"x\",\"sent\":2,\"date\":\"2025-03-01\",\"source\":\"USA\","
               "\"target\":\"MEX\",\"code\":\"190\",\"sentence\":\"Troops fought.\"}\n"
               "not json\n"
               "{\"doc\":\"y\",\"date\":\"2025-03-02\",\"code\":\"99\"}\n"
               "{\"doc\":\"y\",\"date\":\"2025-03-02\",\"code\":\"042\",\"quad\":7}\n"
               "{\"doc\":\"y\",\"date\":\"2025-03-02\",\"code\":\"042\",\"source\":\"CAN\"}\n"
               "{\"doc\":\"x\",\"date\":\"2025-03-01\",\"code\":\"042\"}\n");
    store *s = open_store("events.db");
    reports = 0;
    ingest_stats st = run_ingest(s, NULL, 1, 1, path);
    /* bad lines: not json, unknown root 99, quad 7; x again: not contiguous */
    assert_int_equal(st.docs_rejected, 4);
    assert_int_equal(reports, 4);
    assert_int_equal(st.docs_new, 2);
    assert_int_equal(count(s, "events"), 3);
    char err[256];
    event_filter f = {0};
    f.limit = -1;
    f.code = "12";
    event_cursor *c = events_query(s, &f, err, sizeof err);
    store_event e;
    assert_int_equal(events_next(c, &e, err, sizeof err), 1);
    /* quad, root and Goldstein come from the CAMEO table when absent */
    assert_string_equal(e.root, "12");
    assert_int_equal(e.quad, 3);
    assert_true(e.goldstein < 0);
    assert_string_equal(e.event_date, "2025-03-01");
    assert_int_equal(events_next(c, &e, err, sizeof err), 0);
    events_close(c);
    /* the same file again: nothing new (x is still rejected as non-contiguous) */
    st = run_ingest(s, NULL, 1, 1, path);
    assert_int_equal(st.docs_new + st.docs_changed, 0);
    assert_int_equal(count(s, "events"), 3);
    store_close(s);
}

/* Filters over a small hand-made store. */
static store *filter_store(void)
{
    store *s = open_store("filters.db");
    store_event a[] = {
        mk_event("2025-01-05", 0, "USA", "MEX", "051", 1, 3.4, "Washington praised Mexico."),
        mk_event("2025-01-20", 1, "MEXGOV", "USA", "12", 3, -4.0, "The government rejected it."),
        mk_event("2025-02-03", 2, "MEX", "USAMIL", "190", 4, -10.0, "Fighting at the border."),
        mk_event("2025-02-10", 3, "CAN", "MEX", "042", 1, 1.9, "Canada visited Mexico."),
        mk_event("2025-03-01", 4, "USA", "CAN", "1211", 3, -4.0, "Washington rejected Canada."),
    };
    a[1].modality = "reported";
    put_doc(s, "f", "2025-01-05", "filter corpus", a, 5, STORE_DOC_NEW);
    return s;
}

static size_t run_filter(store *s, const event_filter *f, char *ids, size_t cap)
{
    char err[256];
    event_cursor *c = events_query(s, f, err, sizeof err);
    if (!c)
        fail_msg("%s", err);
    store_event e;
    size_t n = 0;
    ids[0] = '\0';
    while (events_next(c, &e, err, sizeof err) == 1 && n + 2 < cap) {
        ids[n++] = (char)('0' + e.sent);
        ids[n] = '\0';
    }
    events_close(c);
    return n;
}

static void test_filters(void **state)
{
    (void)state;
    store *s = filter_store();
    char ids[32];
    event_filter f;
#define Q(setup, want)                                                                          \
    do {                                                                                        \
        memset(&f, 0, sizeof f);                                                                \
        f.limit = -1;                                                                           \
        setup;                                                                                  \
        run_filter(s, &f, ids, sizeof ids);                                                     \
        assert_string_equal(ids, want);                                                         \
    } while (0)
    Q((void)0, "01234");
    Q(f.actor = "MEX", "0123");
    Q(f.actor = "MEXGOV", "1");
    Q(f.actor = "ME", "0123"); /* prefix of the code, whatever it means */
    Q((f.dyad_a = "USA", f.dyad_b = "MEX"), "012");
    Q((f.dyad_a = "USA", f.dyad_b = "MEX", f.directed = 1), "0");
    Q((f.dyad_a = "MEX", f.dyad_b = "USA", f.directed = 1), "12");
    Q(f.code = "12", "14");
    Q(f.code = "121", "4");
    Q(f.root = "04", "3");
    Q(f.quads = 1u << 3 | 1u << 4, "124");
    Q((f.from = "2025-01-20", f.to = "2025-02-10"), "123");
    Q(f.modalities = 1u << DYAD_REPORTED, "1");
    Q(f.text = "washington", "04");
    Q(f.text = "rejected canada", "4");
    Q(f.text = "canada rejected", "");
    Q(f.text = "\"quoted", "");
    Q(f.doc = "f", "01234");
    Q(f.doc = "nope", "");
    Q((f.limit = 2, f.offset = 1), "12");
    Q((f.actor = "USA", f.quads = 1u << 3), "14");
#undef Q
    store_close(s);
}

static void test_arguments(void **state)
{
    (void)state;
    char a[ACTOR_MAX + 1], b[ACTOR_MAX + 1];
    assert_int_equal(query_actor_code("mexgov", a), 0);
    assert_string_equal(a, "MEXGOV");
    assert_int_equal(query_actor_code("---CRM", a), 0);
    assert_int_equal(query_actor_code("MEX%", a), -1);
    assert_int_equal(query_actor_code("", a), -1);
    assert_int_equal(query_dyad("usa,MEX", a, b), 0);
    assert_string_equal(a, "USA");
    assert_string_equal(b, "MEX");
    assert_int_equal(query_dyad("USA", a, b), -1);
    assert_int_equal(query_dyad("USA,", a, b), -1);
    unsigned bits;
    assert_int_equal(query_quads("3,4", &bits), 0);
    assert_int_equal(bits, 1u << 3 | 1u << 4);
    assert_int_equal(query_quads("5", &bits), -1);
    assert_int_equal(query_quads("34", &bits), -1);
    assert_int_equal(query_modalities("asserted,negated", &bits), 0);
    assert_int_equal(bits, 1u << DYAD_ASSERTED | 1u << DYAD_NEGATED);
    assert_int_equal(query_modalities("assert", &bits), -1);
}

static size_t fields(const char *line, char sep)
{
    size_t n = 1;
    for (const char *p = line; *p && *p != '\n'; p++)
        n += *p == sep;
    return n;
}

static void test_layouts(void **state)
{
    (void)state;
    actor_parts p;
    evout_actor_parts("MEXGOVMIL", &p);
    assert_string_equal(p.country, "MEX");
    assert_string_equal(p.entity, "MEX");
    assert_string_equal(p.role, "GOV");
    assert_string_equal(p.types[0], "GOV");
    assert_string_equal(p.types[1], "MIL");
    assert_string_equal(p.attributes, "MIL");
    evout_actor_parts("IGOUNO", &p);
    assert_string_equal(p.country, "");
    assert_string_equal(p.entity, "IGO");
    assert_string_equal(p.group, "UNO");
    evout_actor_parts("---CRM", &p);
    assert_string_equal(p.country, "");
    assert_string_equal(p.role, "CRM");
    assert_string_equal(p.attributes, "");
    evout_actor_parts("IRQMUSSHI", &p);
    assert_string_equal(p.religions[0], "MUS");
    assert_string_equal(p.attributes, "MUS;SHI");
    assert_int_equal(evout_phoenix_quad("01"), 0);
    assert_int_equal(evout_phoenix_quad("04"), 1);
    assert_int_equal(evout_phoenix_quad("07"), 2);
    assert_int_equal(evout_phoenix_quad("16"), 3);
    assert_int_equal(evout_phoenix_quad("15"), 4);
    assert_int_equal(evout_phoenix_quad("19"), 4);

    store_event e = mk_event("2025-08-09", 0, "MEXGOV", "USA", "1211", 3, -4.0, "a, \"b\"\tc");
    e.id = 7;
    e.doc = "d";
    e.doc_source = "wire";
    e.ingested = 1754697600; /* 2025-08-09 00:00:00 UTC */
    e.mentions = 4;
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    evout_write(f, EVOUT_GDELT, &e);
    fclose(f);
    assert_int_equal(fields(buf, '\t'), 61);
    assert_true(strncmp(buf, "7\t20250809\t202508\t2025\t2025.6822\tMEXGOV\t", 40) == 0);
    /* NumMentions (field 31) is the event's mentions; NumSources, NumArticles 1 */
    assert_non_null(strstr(buf, "\t1211\t121\t12\t3\t-4.0\t4\t1\t1\t"));
    assert_non_null(strstr(buf, "\t20250809000000\td\n"));
    free(buf);
    f = open_memstream(&buf, &len);
    evout_write(f, EVOUT_PHOENIX, &e);
    fclose(f);
    assert_int_equal(fields(buf, '\t'), 26);
    assert_true(strncmp(buf, "7_" DYAD_VERSION "\t20250809\t2025\t08\t09\tMEXGOV\tMEX\tGOV\t\tUSA\tUSA",
                        38) == 0);
    assert_non_null(strstr(buf, "\t1211\t12\t3\t-4.0\t"));
    assert_non_null(strstr(buf, "\td_1\t\twire\n"));
    free(buf);
    f = open_memstream(&buf, &len);
    evout_header(f, EVOUT_CSV);
    evout_write(f, EVOUT_CSV, &e);
    fclose(f);
    assert_non_null(strstr(buf, ",\"a, \"\"b\"\"\tc\"\n"));
    assert_non_null(strstr(buf, ",plover,plover_mode,modality,mentions,quote,trigger,"));
    assert_non_null(strstr(buf, ",asserted,4,,x,")); /* no quotation: empty cell */
    assert_non_null(strstr(buf, ",-4.0,,,asserted,")); /* no plover, no mode */
    free(buf);
    e.has_quote = 1;
    e.quote = 2;
    e.plover = "REJECT";
    e.plover_mode = "discontinue";
    f = open_memstream(&buf, &len);
    evout_write(f, EVOUT_CSV, &e);
    evout_write(f, EVOUT_JSONL, &e);
    fclose(f);
    assert_non_null(strstr(buf, ",REJECT,discontinue,asserted,4,2,x,"));
    assert_non_null(strstr(buf, "\"plover\":\"REJECT\",\"plover_mode\":\"discontinue\","
                                "\"modality\":\"asserted\",\"mentions\":4,\"quote\":2,\"trigger\":"));
    free(buf);
    f = open_memstream(&buf, &len);
    evout_write(f, EVOUT_TSV, &e);
    fclose(f);
    assert_non_null(strstr(buf, "\t-4.0\tREJECT\tdiscontinue\tasserted\t4\t2\tx\t"));
    free(buf);
}

static void write_gzip(const char *path, const char *text, int members)
{
    gzFile z = gzopen(path, "wb");
    assert_non_null(z);
    assert_true(gzputs(z, text) > 0);
    assert_int_equal(gzclose(z), Z_OK);
    if (members > 1) { /* append a second member: cat a.gz b.gz */
        char tmp[300];
        snprintf(tmp, sizeof tmp, "%s.2", path);
        z = gzopen(tmp, "wb");
        gzputs(z, text);
        gzclose(z);
        char cmd[700];
        snprintf(cmd, sizeof cmd, "cat '%s' >> '%s' && rm '%s'", tmp, path, tmp);
        assert_int_equal(system(cmd), 0);
    }
}

static char *slurp_stream(const char *path, int *kind, int *jsonl, const char **why)
{
    input_stream in;
    char err[256];
    if (input_open(&in, path, err, sizeof err))
        fail_msg("%s", err);
    *kind = in.kind;
    *jsonl = in.jsonl;
    char *buf = NULL;
    size_t len = 0;
    FILE *out = open_memstream(&buf, &len);
    char chunk[4096];
    size_t n;
    while ((n = fread(chunk, 1, sizeof chunk, in.f)) > 0)
        fwrite(chunk, 1, n, out);
    *why = input_error(&in);
    input_close(&in);
    fclose(out);
    return buf;
}

static void test_input(void **state)
{
    (void)state;
    const char *text = "{\"id\":\"1\",\"text\":\"hello\"}\n";
    int kind, jsonl;
    const char *why;
    const char *gz = path_in_tmp("c.jsonl.gz");
    write_gzip(gz, text, 2);
    char *got = slurp_stream(gz, &kind, &jsonl, &why);
    assert_int_equal(kind, INPUT_GZIP);
    assert_true(jsonl);
    assert_null(why);
    char twice[128];
    snprintf(twice, sizeof twice, "%s%s", text, text);
    assert_string_equal(got, twice);
    free(got);

    const char *zs = path_in_tmp("c.txt.zst");
    char comp[256];
    size_t clen = ZSTD_compress(comp, sizeof comp, text, strlen(text), 3);
    assert_false(ZSTD_isError(clen));
    FILE *f = fopen(zs, "wb");
    fwrite(comp, 1, clen, f);
    fclose(f);
    got = slurp_stream(zs, &kind, &jsonl, &why);
    assert_int_equal(kind, INPUT_ZSTD);
    assert_false(jsonl); /* c.txt */
    assert_string_equal(got, text);
    free(got);

    /* truncated zstd: the reader sees an error, not a short document */
    f = fopen(zs, "wb");
    fwrite(comp, 1, clen - 4, f);
    fclose(f);
    got = slurp_stream(zs, &kind, &jsonl, &why);
    assert_non_null(why);
    free(got);

    char date[11];
    assert_int_equal(input_date_from_path("news/2025-08-09/a.txt", date), 1);
    assert_string_equal(date, "2025-08-09");
    assert_int_equal(input_date_from_path("x/20240229_story.txt", date), 1);
    assert_string_equal(date, "2024-02-29");
    assert_int_equal(input_date_from_path("x/20230229_story.txt", date), 0);
    assert_int_equal(input_date_from_path("story-12.txt", date), 0);

    /* directories: sorted, recursive, only corpus files */
    char dir[100];
    snprintf(dir, sizeof dir, "%s/corpus", tmpdir);
    char cmd[1024];
    snprintf(cmd, sizeof cmd, "mkdir -p '%s/b' && touch '%s/b/2.txt' '%s/a.txt' '%s/c.jsonl.gz' "
                              "'%s/skip.pdf' '%s/.hidden.txt'",
             dir, dir, dir, dir, dir, dir);
    assert_int_equal(system(cmd), 0);
    input_list l;
    char err[256];
    char *args[] = {dir};
    assert_int_equal(input_expand(args, 1, &l, err, sizeof err), 0);
    assert_int_equal(l.n, 3);
    assert_non_null(strstr(l.paths[0], "/a.txt"));
    assert_non_null(strstr(l.paths[1], "/b/2.txt"));
    assert_non_null(strstr(l.paths[2], "/c.jsonl.gz"));
    input_list_free(&l);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_hash),
        cmocka_unit_test(test_put_idempotent_and_replace),
        cmocka_unit_test(test_quotes_and_mentions),
        cmocka_unit_test(test_migration),
        cmocka_unit_test(test_bulk_indexes),
        cmocka_unit_test(test_ingest_idempotent),
        cmocka_unit_test(test_ingest_events_mode),
        cmocka_unit_test(test_filters),
        cmocka_unit_test(test_arguments),
        cmocka_unit_test(test_layouts),
        cmocka_unit_test(test_input),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
