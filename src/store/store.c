/*
 * store.c - opening the store, content hashes, and the idempotent
 * document upsert (see store.h for the guarantees).
 *
 * store_put_quotes() is the only write path (store_put() is it without
 * quotations).  It looks the document id up, and
 * either returns (same hash), or deletes the old events and quotes and
 * rewrites the document row in place (changed: the document keeps its place
 * in the corpus sequence), or inserts a new row; then it inserts the events
 * and the quotations.  All statements are prepared
 * once in store_open(), and values are bound without copies (db_bind_ref):
 * every string outlives the step that reads it.
 *
 * The per-day dyad summary (dyad_days, schema version 6) is kept exact in
 * the same transaction: every event stored adds one to its (src3, tgt3,
 * day, quad, modality) key and its Goldstein value in ten-thousandths to
 * the key's sum; the events of a replaced document are read before they
 * are deleted and subtracted.  These deltas collect in memory during a
 * batch and are applied at store_commit(), just before COMMIT: merged per
 * key (a busy dyad-day is one upsert per batch, not one per event), sorted
 * (neighbouring B-tree pages, and in PostgreSQL every client locks summary
 * rows in the same order, so two concurrent ingests cannot deadlock on
 * them), keys that fall to zero events deleted.  A rollback or a killed
 * process drops them with the batch they belong to.  store_put_quotes()
 * outside store_begin()/store_commit() runs in a transaction of its own,
 * so the summary can never lag the events.
 */
#include "store/store.h"
#include "store/db.h"
#include "store/schema.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

enum {
    Q_LOOKUP,
    Q_INSERT_DOC,
    Q_UPDATE_DOC,
    Q_DELETE_EVENTS,
    Q_DELETE_QUOTES,
    Q_INSERT_EVENT,
    Q_INSERT_QUOTE,
    Q_FTS_CATCH_UP,
    Q_FTS_MARK,
    Q_SUM_OLD,
    Q_SUM_UPSERT,
    Q_SUM_PRUNE,
    Q_COUNT
};

static const char *const SQL[Q_COUNT] = {
    [Q_LOOKUP] = "SELECT seq, hash FROM documents WHERE id = ?",
    [Q_INSERT_DOC] = "INSERT INTO documents (id, date, source, title, text, hash, nevents, ingested)"
                     " VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING RETURNING seq",
    [Q_UPDATE_DOC] = "UPDATE documents SET date = ?, source = ?, title = ?, text = ?, hash = ?,"
                     " nevents = ?, ingested = ? WHERE seq = ?",
    [Q_DELETE_EVENTS] = "DELETE FROM events WHERE doc_seq = ?",
    [Q_DELETE_QUOTES] = "DELETE FROM quotes WHERE doc_seq = ?",
    [Q_INSERT_EVENT] =
        "INSERT INTO events (doc_seq, sent, date, source, target, code, root, quad, goldstein,"
        " plover, modality, trigger_text, trigger_start, trigger_end, source_text, source_start,"
        " source_end, target_text, target_start, target_end, verb_rule, source_rule,"
        " target_rule, event_date, date_precision, date_text, date_start, date_end, sentence,"
        " src3, tgt3, mentions, quote, plover_mode) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?,"
        " ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
    [Q_INSERT_QUOTE] =
        "INSERT INTO quotes (doc_seq, quote, sent_first, sent_last, speaker, speaker_text,"
        " speaker_start, speaker_end, speaker_rule, cue_text, cue_start, cue_end, text,"
        " text_start, text_end) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
    [Q_FTS_CATCH_UP] = "INSERT INTO events_fts (rowid, sentence) SELECT id, sentence FROM events"
                       " WHERE id > (SELECT upto FROM fts_state)",
    [Q_FTS_MARK] = "UPDATE fts_state SET upto = (SELECT coalesce(max(id), 0) FROM events)",
    [Q_SUM_OLD] = "SELECT src3, tgt3, event_date, quad, modality, goldstein FROM events"
                  " WHERE doc_seq = ?",
    [Q_SUM_UPSERT] = "INSERT INTO dyad_days (src3, tgt3, day, quad, modality, events, gunits)"
                     " VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (src3, tgt3, day, quad, modality)"
                     " DO UPDATE SET events = dyad_days.events + excluded.events,"
                     " gunits = dyad_days.gunits + excluded.gunits",
    [Q_SUM_PRUNE] = "DELETE FROM dyad_days WHERE src3 = ? AND tgt3 = ? AND day = ? AND quad = ?"
                    " AND modality = ? AND events = 0",
};

/* One change to a dyad_days row.  The key is fixed-size and NUL-padded so
 * that sorting and merging are memcmp over key[]: src3 (4 bytes), tgt3 (4),
 * day (11), modality (13). */
enum { SK_SRC = 0, SK_TGT = 4, SK_DAY = 8, SK_MOD = 19, SK_LEN = 32 };
typedef struct sum_delta {
    char key[SK_LEN];
    int32_t quad;
    int64_t events, gunits;
} sum_delta;

struct store {
    db *db;
    db_stmt *q[Q_COUNT];
    int fts;
    int in_tx;          /* between store_begin and store_commit/rollback */
    int bulk;           /* loading without the dyad indexes (store_bulk_begin) */
    sum_delta *deltas;  /* dyad_days changes of the open transaction */
    size_t ndeltas, capdeltas;
};

uint64_t store_hash_init(void) { return 0xcbf29ce484222325ULL; }

uint64_t store_hash_add(uint64_t h, const void *data, size_t n)
{
    /* 8 bytes per step (multiply and fold), FNV-1a for the tail: a bulk
     * load hashes every input byte, byte-at-a-time FNV cost 4% of it */
    const unsigned char *p = data;
    size_t i = 0;
    for (; i + 8 <= n; i += 8) {
        uint64_t w;
        memcpy(&w, p + i, 8);
        h = (h ^ w) * 0x9e3779b97f4a7c15ULL;
        h ^= h >> 29;
    }
    for (; i < n; i++) {
        h ^= p[i];
        h *= 0x100000001b3ULL;
    }
    return h;
}

uint64_t store_hash_str(uint64_t h, const char *s)
{
    /* length prefix (all ones for NULL) keeps field boundaries in the hash */
    uint64_t n = s ? (uint64_t)strlen(s) : UINT64_MAX;
    h = store_hash_add(h, &n, sizeof n);
    return s ? store_hash_add(h, s, (size_t)n) : h;
}

uint64_t store_hash_doc(const store_doc *d)
{
    uint64_t h = store_hash_init();
    h = store_hash_str(h, d->id);
    h = store_hash_str(h, d->date);
    h = store_hash_str(h, d->source ? d->source : "");
    h = store_hash_str(h, d->title ? d->title : "");
    uint64_t n = d->text ? (uint64_t)d->text_len : UINT64_MAX;
    h = store_hash_add(h, &n, sizeof n);
    return d->text ? store_hash_add(h, d->text, d->text_len) : h;
}

static void hash_hex(uint64_t h, char out[17]) { snprintf(out, 17, "%016" PRIx64, h); }

store *store_open(const char *target, char *err, size_t errlen)
{
    store *s = calloc(1, sizeof *s);
    if (!s) {
        snprintf(err, errlen, "%s: out of memory", target);
        return NULL;
    }
    char why[512];
    s->db = db_open(target, err, errlen);
    if (!s->db) {
        free(s);
        return NULL;
    }
    const char *name = db_is_postgres_uri(target) ? "PostgreSQL store" : target;
    if (db_kind(s->db) == DB_SQLITE) {
        /* WAL: readers never block the writer and a crash leaves the last
         * committed transaction intact.  NORMAL: fsync at checkpoints only,
         * which is crash-safe for the process (kill -9) in WAL mode.
         * 16 KiB pages (effective for new files only): event rows are ~600
         * bytes and appended, so bigger pages mean fewer page writes; bulk
         * load is 20% faster than with 4 KiB.  mmap: reads without copies. */
        if (db_exec(s->db,
                    "PRAGMA page_size = 16384; PRAGMA journal_mode = WAL;"
                    " PRAGMA synchronous = NORMAL; PRAGMA cache_size = -131072;"
                    " PRAGMA mmap_size = 268435456; PRAGMA temp_store = MEMORY;",
                    why, sizeof why)) {
            snprintf(err, errlen, "%s: %s", name, why);
            goto fail;
        }
    }
    if (schema_migrate(s->db, 0, why, sizeof why)) {
        snprintf(err, errlen, "%s: %s", name, why);
        goto fail;
    }
    if (db_kind(s->db) == DB_SQLITE) {
        db_stmt *st = db_prepare(s->db,
                                 "SELECT count(*) FROM sqlite_master WHERE name = 'events_fts'",
                                 why, sizeof why);
        if (st && db_step(st) == 1)
            s->fts = db_col_int(st, 0) > 0;
        db_finalize(st);
    }
    for (int i = 0; i < Q_COUNT; i++) {
        if ((i == Q_FTS_CATCH_UP || i == Q_FTS_MARK) && !s->fts)
            continue;
        s->q[i] = db_prepare(s->db, SQL[i], why, sizeof why);
        if (!s->q[i]) {
            snprintf(err, errlen, "%s: %s", name, why);
            goto fail;
        }
    }
    return s;
fail:
    store_close(s);
    return NULL;
}

void store_close(store *s)
{
    if (!s)
        return;
    for (int i = 0; i < Q_COUNT; i++)
        db_finalize(s->q[i]);
    db_close(s->db);
    free(s->deltas);
    free(s);
}

int store_is_postgres(const store *s) { return db_kind(s->db) == DB_POSTGRES; }
struct db *store_db(store *s) { return s->db; }
int store_has_fts(const store *s) { return s->fts; }

/* Brings the full-text index up to date (see SQLITE_FTS in schema.c). */
static int fts_catch_up(store *s, char *err, size_t errlen)
{
    if (!s->fts)
        return 0;
    for (int q = Q_FTS_CATCH_UP; q <= Q_FTS_MARK; q++) {
        int rc = db_step(s->q[q]);
        db_reset(s->q[q]);
        if (rc != 0) {
            snprintf(err, errlen, "updating the full-text index: %s", db_errmsg(s->db));
            return -1;
        }
    }
    return 0;
}

int store_bulk_begin(store *s, char *err, size_t errlen)
{
    if (db_kind(s->db) != DB_SQLITE)
        return 0;
    if (db_exec(s->db, "BEGIN IMMEDIATE", err, errlen))
        return -1;
    db_stmt *st = db_prepare(s->db,
                             "SELECT (SELECT count(*) FROM sqlite_master WHERE type = 'index'"
                             " AND name IN ('events_dyad', 'events_rdyad')),"
                             " EXISTS (SELECT 1 FROM events)",
                             err, errlen);
    int rc = st ? db_step(st) : -1;
    int64_t nidx = rc == 1 ? db_col_int(st, 0) : 0, nonempty = rc == 1 ? db_col_int(st, 1) : 0;
    if (rc != 1 && st)
        snprintf(err, errlen, "checking the dyad indexes: %s", db_errmsg(s->db));
    db_finalize(st);
    if (rc != 1)
        goto fail;
    /* an empty store: drop the indexes; both missing: a bulk load was cut
     * short (kill -9), go on with it; one missing cannot come from dyad,
     * but is repaired the same way at the end */
    if (nidx == 2 && !nonempty &&
        db_exec(s->db, "DROP INDEX events_dyad; DROP INDEX events_rdyad;", err, errlen))
        goto fail;
    if (db_exec(s->db, "COMMIT", err, errlen))
        goto fail;
    s->bulk = nidx < 2 || !nonempty;
    return s->bulk;
fail:
    db_exec(s->db, "ROLLBACK", NULL, 0);
    return -1;
}

int store_bulk_end(store *s, char *err, size_t errlen)
{
    if (!s->bulk)
        return 0;
    char why[400];
    if (db_exec(s->db, "BEGIN IMMEDIATE", why, sizeof why) ||
        db_exec(s->db, SCHEMA_DYAD_INDEXES, why, sizeof why) ||
        db_exec(s->db, "COMMIT", why, sizeof why)) {
        db_exec(s->db, "ROLLBACK", NULL, 0);
        snprintf(err, errlen, "building the dyad indexes: %s", why);
        return -1;
    }
    s->bulk = 0;
    return 0;
}

int store_begin(store *s, char *err, size_t errlen)
{
    s->ndeltas = 0;
    /* IMMEDIATE takes the write lock now rather than failing mid-batch */
    if (db_exec(s->db, db_kind(s->db) == DB_SQLITE ? "BEGIN IMMEDIATE" : "BEGIN", err, errlen))
        return -1;
    s->in_tx = 1;
    return 0;
}

/* Records one event's change to the summary: sign +1 stored, -1 deleted.
 * -1 when a key field does not fit (cannot happen for validated events:
 * dates are YYYY-MM-DD, modalities at most 12 letters) or out of memory. */
static int sum_add(store *s, const char *src, const char *tgt, const char *day, int quad,
                   const char *modality, double goldstein, int sign)
{
    size_t nday = strlen(day), nmod = strlen(modality);
    if (nday >= SK_MOD - SK_DAY || nmod >= SK_LEN - SK_MOD)
        return -1;
    if (s->ndeltas == s->capdeltas) {
        size_t cap = s->capdeltas ? s->capdeltas * 2 : 1024;
        sum_delta *p = realloc(s->deltas, cap * sizeof *p);
        if (!p)
            return -1;
        s->deltas = p;
        s->capdeltas = cap;
    }
    sum_delta *d = &s->deltas[s->ndeltas++];
    memset(d->key, 0, sizeof d->key);
    memcpy(d->key + SK_SRC, src, strnlen(src, 3));
    memcpy(d->key + SK_TGT, tgt, strnlen(tgt, 3));
    memcpy(d->key + SK_DAY, day, nday);
    memcpy(d->key + SK_MOD, modality, nmod);
    d->quad = quad;
    d->events = sign;
    d->gunits = sign * store_gunits(goldstein);
    return 0;
}

static int delta_cmp(const void *a, const void *b)
{
    const sum_delta *x = a, *y = b;
    int c = memcmp(x->key, y->key, SK_LEN);
    return c ? c : (x->quad > y->quad) - (x->quad < y->quad);
}

/* Applies the open transaction's summary changes (see the file comment). */
static int sum_flush(store *s, char *err, size_t errlen)
{
    if (!s->ndeltas)
        return 0;
    qsort(s->deltas, s->ndeltas, sizeof *s->deltas, delta_cmp);
    for (size_t i = 0; i < s->ndeltas;) {
        sum_delta d = s->deltas[i];
        size_t j = i + 1;
        for (; j < s->ndeltas && delta_cmp(&d, &s->deltas[j]) == 0; j++) {
            d.events += s->deltas[j].events;
            d.gunits += s->deltas[j].gunits;
        }
        i = j;
        if (d.events == 0 && d.gunits == 0)
            continue; /* a replaced document with the same events here */
        for (int q = Q_SUM_UPSERT; q <= Q_SUM_PRUNE; q++) {
            if (q == Q_SUM_PRUNE && d.events >= 0)
                break; /* only a subtraction can empty a row */
            db_stmt *st = s->q[q];
            int bad = db_bind_sref(st, 1, d.key + SK_SRC) | db_bind_sref(st, 2, d.key + SK_TGT) |
                      db_bind_sref(st, 3, d.key + SK_DAY) | db_bind_int(st, 4, d.quad) |
                      db_bind_sref(st, 5, d.key + SK_MOD);
            if (q == Q_SUM_UPSERT)
                bad |= db_bind_int(st, 6, d.events) | db_bind_int(st, 7, d.gunits);
            int rc = !bad && db_step(st) == 0 ? 0 : -1;
            db_reset(st);
            if (rc) {
                snprintf(err, errlen, "updating the dyad summary: %s", db_errmsg(s->db));
                return -1;
            }
        }
    }
    s->ndeltas = 0;
    return 0;
}

int store_commit(store *s, char *err, size_t errlen)
{
    if (sum_flush(s, err, errlen))
        return -1;
    /* the text index stays per batch in bulk mode too: once at the end
     * measured no faster, and text search keeps up with the load */
    if (fts_catch_up(s, err, errlen))
        return -1;
    if (db_exec(s->db, "COMMIT", err, errlen))
        return -1;
    s->in_tx = 0;
    return 0;
}

void store_rollback(store *s)
{
    db_exec(s->db, "ROLLBACK", NULL, 0);
    s->in_tx = 0;
    s->ndeltas = 0;
}

static int db_fail(store *s, char *err, size_t errlen, const char *what)
{
    snprintf(err, errlen, "%s: %s", what, db_errmsg(s->db));
    return -1;
}

int store_doc_state(store *s, const char *id, uint64_t hash, int64_t *seq, char *err,
                    size_t errlen)
{
    db_stmt *st = s->q[Q_LOOKUP];
    char hex[17];
    hash_hex(hash, hex);
    if (db_bind_sref(st, 1, id))
        return db_fail(s, err, errlen, "looking a document up");
    int rc = db_step(st);
    int state = STORE_DOC_NEW;
    if (rc == 1) {
        *seq = db_col_int(st, 0);
        state = strcmp(db_col_text(st, 1, NULL), hex) == 0 ? STORE_DOC_SAME : STORE_DOC_CHANGED;
    }
    db_reset(st);
    if (rc < 0)
        return db_fail(s, err, errlen, "looking a document up");
    return state;
}

/* Runs a statement that returns no row, with one integer parameter. */
static int exec_seq(store *s, int q, int64_t seq)
{
    db_stmt *st = s->q[q];
    int rc = db_bind_int(st, 1, seq) == 0 && db_step(st) == 0 ? 0 : -1;
    db_reset(st);
    return rc;
}

static int put_event(store *s, int64_t seq, const char *date, const store_event *e)
{
    db_stmt *st = s->q[Q_INSERT_EVENT];
    int bad = 0;
    bad |= db_bind_int(st, 1, seq);
    bad |= db_bind_int(st, 2, e->sent);
    bad |= db_bind_sref(st, 3, e->date && *e->date ? e->date : date);
    bad |= db_bind_sref(st, 4, e->source ? e->source : "");
    bad |= db_bind_sref(st, 5, e->target ? e->target : "");
    bad |= db_bind_sref(st, 6, e->code);
    bad |= db_bind_sref(st, 7, e->root);
    bad |= db_bind_int(st, 8, e->quad);
    bad |= db_bind_double(st, 9, e->goldstein);
    bad |= db_bind_sref(st, 10, e->plover ? e->plover : "");
    bad |= db_bind_sref(st, 11, e->modality);
    const store_span *sp[3] = {&e->trigger, &e->source_span, &e->target_span};
    for (int k = 0; k < 3; k++) {
        bad |= db_bind_ref(st, 12 + 3 * k, sp[k]->text ? sp[k]->text : "", sp[k]->len);
        bad |= db_bind_int(st, 13 + 3 * k, sp[k]->start);
        bad |= db_bind_int(st, 14 + 3 * k, sp[k]->end);
    }
    bad |= db_bind_sref(st, 21, e->verb_rule ? e->verb_rule : "");
    bad |= db_bind_sref(st, 22, e->source_rule ? e->source_rule : "");
    bad |= db_bind_sref(st, 23, e->target_rule ? e->target_rule : "");
    const char *story = e->date && *e->date ? e->date : date;
    bad |= db_bind_sref(st, 24, e->event_date && *e->event_date ? e->event_date : story);
    bad |= db_bind_sref(st, 25, e->date_precision ? e->date_precision : "day");
    bad |= db_bind_ref(st, 26, e->date_span.text ? e->date_span.text : "", e->date_span.len);
    bad |= db_bind_int(st, 27, e->date_span.start);
    bad |= db_bind_int(st, 28, e->date_span.end);
    bad |= db_bind_ref(st, 29, e->sentence ? e->sentence : "", e->sentence_len);
    const char *src = e->source ? e->source : "", *tgt = e->target ? e->target : "";
    bad |= db_bind_ref(st, 30, src, strnlen(src, 3));
    bad |= db_bind_ref(st, 31, tgt, strnlen(tgt, 3));
    bad |= db_bind_int(st, 32, e->mentions ? e->mentions : 1);
    bad |= e->has_quote ? db_bind_int(st, 33, e->quote) : db_bind_text(st, 33, NULL, 0);
    bad |= db_bind_sref(st, 34, e->plover_mode ? e->plover_mode : "");
    int rc = !bad && db_step(st) == 0 ? 0 : -1;
    db_reset(st);
    return rc;
}

static int put_quote(store *s, int64_t seq, const store_quote *q)
{
    db_stmt *st = s->q[Q_INSERT_QUOTE];
    int bad = 0;
    bad |= db_bind_int(st, 1, seq);
    bad |= db_bind_int(st, 2, q->quote);
    bad |= db_bind_int(st, 3, q->sent_first);
    bad |= db_bind_int(st, 4, q->sent_last);
    bad |= db_bind_sref(st, 5, q->speaker ? q->speaker : "");
    const store_span *sp[3] = {&q->speaker_span, &q->cue, &q->text};
    const int col[3] = {6, 10, 13};
    for (int k = 0; k < 3; k++) {
        bad |= db_bind_ref(st, col[k], sp[k]->text ? sp[k]->text : "", sp[k]->len);
        bad |= db_bind_int(st, col[k] + 1, sp[k]->start);
        bad |= db_bind_int(st, col[k] + 2, sp[k]->end);
    }
    bad |= db_bind_sref(st, 9, q->speaker_rule ? q->speaker_rule : "");
    int rc = !bad && db_step(st) == 0 ? 0 : -1;
    db_reset(st);
    return rc;
}

int store_put(store *s, const store_doc *d, const store_event *events, size_t nevents,
              int *state_out, char *err, size_t errlen)
{
    return store_put_quotes(s, d, events, nevents, NULL, 0, state_out, err, errlen);
}

/* Subtracts the stored events of document seq from the summary. */
static int sum_old(store *s, int64_t seq, char *err, size_t errlen)
{
    db_stmt *st = s->q[Q_SUM_OLD];
    int rc, bad = 0;
    if (db_bind_int(st, 1, seq))
        return db_fail(s, err, errlen, "reading a changed document's events");
    while ((rc = db_step(st)) == 1 && !bad)
        bad = sum_add(s, db_col_text(st, 0, NULL), db_col_text(st, 1, NULL),
                      db_col_text(st, 2, NULL), (int)db_col_int(st, 3), db_col_text(st, 4, NULL),
                      db_col_double(st, 5), -1);
    db_reset(st);
    if (rc < 0)
        return db_fail(s, err, errlen, "reading a changed document's events");
    if (bad) {
        snprintf(err, errlen, "a stored event does not fit the dyad summary, or out of memory");
        return -1;
    }
    return 0;
}

int store_put_quotes(store *s, const store_doc *d, const store_event *events, size_t nevents,
                     const store_quote *quotes, size_t nquotes, int *state_out, char *err,
                     size_t errlen)
{
    if (!s->in_tx) {
        /* one document, one transaction: the summary moves with its events */
        if (store_begin(s, err, errlen))
            return -1;
        if (store_put_quotes(s, d, events, nevents, quotes, nquotes, state_out, err, errlen) ||
            store_commit(s, err, errlen)) {
            store_rollback(s);
            return -1;
        }
        return 0;
    }
    int64_t seq = 0;
    int state = store_doc_state(s, d->id, d->hash, &seq, err, errlen);
    if (state_out)
        *state_out = state;
    if (state < 0 || state == STORE_DOC_SAME)
        return state < 0 ? -1 : 0;
    char hex[17];
    hash_hex(d->hash, hex);
    int64_t now = (int64_t)time(NULL);
    if (state == STORE_DOC_NEW) {
        db_stmt *st = s->q[Q_INSERT_DOC];
        int bad = db_bind_sref(st, 1, d->id) | db_bind_sref(st, 2, d->date) |
                  db_bind_sref(st, 3, d->source ? d->source : "") |
                  db_bind_sref(st, 4, d->title ? d->title : "") |
                  db_bind_ref(st, 5, d->text, d->text_len) | db_bind_sref(st, 6, hex) |
                  db_bind_int(st, 7, (int64_t)nevents) | db_bind_int(st, 8, now);
        int rc = bad ? -1 : db_step(st);
        if (rc == 1)
            seq = db_col_int(st, 0);
        db_reset(st);
        if (rc < 0)
            return db_fail(s, err, errlen, "inserting a document");
        if (rc == 0) {
            /* PostgreSQL: another client stored this id since our lookup (the
             * unique index made us wait for its commit).  Look again. */
            state = store_doc_state(s, d->id, d->hash, &seq, err, errlen);
            if (state_out)
                *state_out = state;
            if (state < 0 || state == STORE_DOC_SAME)
                return state < 0 ? -1 : 0;
            if (state == STORE_DOC_NEW) {
                snprintf(err, errlen, "document '%.200s' vanished while being stored", d->id);
                return -1;
            }
        }
    }
    if (state == STORE_DOC_CHANGED) {
        if (sum_old(s, seq, err, errlen))
            return -1;
        if (exec_seq(s, Q_DELETE_EVENTS, seq) || exec_seq(s, Q_DELETE_QUOTES, seq))
            return db_fail(s, err, errlen, "replacing a changed document");
        db_stmt *st = s->q[Q_UPDATE_DOC];
        int bad = db_bind_sref(st, 1, d->date) | db_bind_sref(st, 2, d->source ? d->source : "") |
                  db_bind_sref(st, 3, d->title ? d->title : "") |
                  db_bind_ref(st, 4, d->text, d->text_len) | db_bind_sref(st, 5, hex) |
                  db_bind_int(st, 6, (int64_t)nevents) | db_bind_int(st, 7, now) |
                  db_bind_int(st, 8, seq);
        int rc = !bad && db_step(st) == 0 ? 0 : -1;
        db_reset(st);
        if (rc)
            return db_fail(s, err, errlen, "updating a document");
    }
    for (size_t i = 0; i < nevents; i++) {
        const store_event *e = &events[i];
        if (put_event(s, seq, d->date, e))
            return db_fail(s, err, errlen, "inserting an event");
        const char *story = e->date && *e->date ? e->date : d->date;
        if (sum_add(s, e->source ? e->source : "", e->target ? e->target : "",
                    e->event_date && *e->event_date ? e->event_date : story, e->quad,
                    e->modality, e->goldstein, 1)) {
            snprintf(err, errlen,
                     "document '%.200s': an event date or modality too long for the dyad "
                     "summary, or out of memory",
                     d->id);
            return -1;
        }
    }
    for (size_t i = 0; i < nquotes; i++)
        if (put_quote(s, seq, &quotes[i]))
            return db_fail(s, err, errlen, "inserting a quotation");
    return 0;
}

int64_t store_count(store *s, const char *table, char *err, size_t errlen)
{
    /* table names cannot be parameters: only these are accepted */
    static const char *const tables[][2] = {{"documents", "SELECT count(*) FROM documents"},
                                            {"events", "SELECT count(*) FROM events"},
                                            {"quotes", "SELECT count(*) FROM quotes"}};
    for (size_t i = 0; i < sizeof tables / sizeof tables[0]; i++) {
        if (strcmp(table, tables[i][0]) != 0)
            continue;
        db_stmt *st = db_prepare(s->db, tables[i][1], err, errlen);
        if (!st)
            return -1;
        int64_t n = db_step(st) == 1 ? db_col_int(st, 0) : -1;
        if (n < 0)
            snprintf(err, errlen, "counting %s: %s", table, db_stmt_errmsg(st));
        db_reset(st);
        db_finalize(st);
        return n;
    }
    snprintf(err, errlen, "no table '%s'", table);
    return -1;
}

static store_span span_of(const char *text, size_t len, dyad_span sp)
{
    store_span out = {"", 0, sp.start, sp.end};
    if (sp.end > sp.start && sp.end <= len) {
        out.text = text + sp.start;
        out.len = sp.end - sp.start;
    }
    return out;
}

size_t store_events_from_doc(const dyad_doc *doc, store_event *out, size_t cap)
{
    size_t len = 0;
    const char *text = dyad_doc_text(doc, &len);
    size_t n = dyad_doc_nevents(doc);
    for (size_t i = 0; i < n && i < cap; i++) {
        const dyad_event *e = dyad_doc_event(doc, i);
        store_event *o = &out[i];
        memset(o, 0, sizeof *o);
        o->doc = dyad_doc_id(doc);
        o->date = dyad_doc_date(doc);
        o->sent = e->sent;
        o->source = e->source;
        o->target = e->target;
        o->code = e->code;
        o->root = e->root;
        o->quad = e->quad;
        o->goldstein = e->goldstein;
        o->plover = e->plover;
        o->plover_mode = e->plover_mode ? e->plover_mode : "";
        o->modality = dyad_modality_name(e->modality);
        o->mentions = e->mentions;
        o->has_quote = e->quote >= 0;
        o->quote = e->quote >= 0 ? (uint32_t)e->quote : 0;
        o->trigger = span_of(text, len, e->trigger);
        o->source_span = span_of(text, len, e->source_span);
        o->target_span = span_of(text, len, e->target_span);
        o->event_date = e->event_date;
        o->date_precision = e->date_precision ? e->date_precision : "";
        o->date_span = span_of(text, len, e->date_span);
        o->verb_rule = e->verb_rule;
        o->source_rule = e->source_rule ? e->source_rule : "";
        o->target_rule = e->target_rule ? e->target_rule : "";
        dyad_span s = dyad_doc_sentence(doc, e->sent);
        store_span ss = span_of(text, len, s);
        o->sentence = ss.text;
        o->sentence_len = ss.len;
    }
    return n < cap ? n : cap;
}

size_t store_quotes_from_doc(const dyad_doc *doc, store_quote *out, size_t cap)
{
    size_t len = 0;
    const char *text = dyad_doc_text(doc, &len);
    size_t n = dyad_doc_nquotes(doc);
    for (size_t i = 0; i < n && i < cap; i++) {
        const dyad_quote *q = dyad_doc_quote(doc, i);
        store_quote *o = &out[i];
        memset(o, 0, sizeof *o);
        o->doc = dyad_doc_id(doc);
        o->date = dyad_doc_date(doc);
        o->quote = (uint32_t)i;
        o->sent_first = q->sent_first;
        o->sent_last = q->sent_last;
        o->speaker = q->speaker ? q->speaker : "";
        o->speaker_span = span_of(text, len, q->speaker_span);
        o->speaker_rule = q->speaker_rule ? q->speaker_rule : "";
        o->cue = span_of(text, len, q->cue);
        o->text = span_of(text, len, q->span);
    }
    return n < cap ? n : cap;
}
