/*
 * schema.c - the store's tables and their migrations, for SQLite and
 * PostgreSQL.
 *
 * The schema is a list of numbered migrations per backend; migration N takes
 * a store from version N-1 to N.  store_open() runs the missing ones inside
 * one transaction (SQLite: BEGIN IMMEDIATE; PostgreSQL: under an advisory
 * lock, so two teammates opening a fresh server at once do not race), then
 * records the new version.  Never edit a released migration: add one.
 *
 * Layout and why
 *  - documents.seq is the corpus order (INTEGER PRIMARY KEY = the rowid, so
 *    no second index); documents.id is UNIQUE: the idempotence key.
 *  - each event row carries its sentence: a separate sentences table saved
 *    little (most sentences carry one event) and cost a second insert and a
 *    unique index per event, a third of the bulk-load time.
 *  - events carry their own date (event_date: when it happened, resolved by
 *    the coder; date: the story's) so that every analytical query is
 *    answered from one covering index: (src3, tgt3, event_date, quad,
 *    goldstein, modality, source, target) serves dyads, actor prefixes on the source
 *    side and series; the mirrored (tgt3, src3, ...) index serves the other
 *    side (version 3; src3/tgt3 are the first three letters of the codes).  No index on the date alone: it cost 15% of the ingest rate
 *    and date-only filters are rare (a full scan of 1M events is ~0.2 s).
 *    Codes compare byte-wise (COLLATE "C" in PostgreSQL) so a
 *    prefix is a range: MEX <= code < MEY.
 *  - actors is a view (distinct codes with counts and first/last dates)
 *    rather than a table kept in step on every insert.
 *  - Version 2 adds quotes (never filled by then) and, in
 *    SQLite builds with FTS5, a full-text index over event sentences,
 *    brought up to date at each batch commit (see SQLITE_FTS).
 *  - Version 4 adds events.mentions and events.quote and gives quotes every
 *    field of `dyad code --quotes` (see MIGRATION_4).
 *  - Version 5 adds events.plover_mode (see MIGRATION_5).
 *  - Version 6 adds dyad_days, the per-day summary that answers series
 *    (see MIGRATION_6).
 */
#include "store/schema.h"

#include <sqlite3.h>
#include <stdio.h>
#include <string.h>

/* Version 3: the first three letters of source and target (the country,
 * region or international prefix) as columns, and the dyad indexes keyed by
 * them.  A country-level dyad (USA,MEX: the common query) becomes two exact
 * seeks instead of a scan of every USA* event for MEX targets (USA is a
 * fifth of all actors in news); longer prefixes (MEXGOV) seek the country
 * and filter the full code inside the same covering index; modality is in
 * the index because series count only asserted and reported events.  Same
 * SQL for both backends. */
#define MIGRATION_3                                                                        \
    "ALTER TABLE events ADD COLUMN src3 TEXT NOT NULL DEFAULT '';"                         \
    "ALTER TABLE events ADD COLUMN tgt3 TEXT NOT NULL DEFAULT '';"                         \
    "UPDATE events SET src3 = substr(source, 1, 3), tgt3 = substr(target, 1, 3);"          \
    "DROP INDEX events_dyad;"                                                              \
    "DROP INDEX events_rdyad;"                                                             \
    "CREATE INDEX events_dyad ON events (src3, tgt3, event_date, quad, goldstein, modality," \
    " source, target);"                                                                    \
    "CREATE INDEX events_rdyad ON events (tgt3, src3, event_date, quad, goldstein, modality,"\
    " target, source);"

/* Version 4: the event fields mentions (how often the article states the
 * event; 1 for the events already stored, which were coded before repeats
 * were merged) and quote (the index of the quotation its trigger is in; NULL
 * when none), and a quotes table with every field of `dyad code --quotes`,
 * keyed by (document, index in the document).  Version 2's table was never
 * filled by dyad; whatever rows it holds are carried over (one-sentence
 * quotations, numbered in id order, unattributed spans left empty).
 * TEXT_C is COLLATE "C" in PostgreSQL (speaker codes compare byte-wise, as
 * actor codes do) and nothing in SQLite. */
#define MIGRATION_4(INT64, TEXT_C)                                                         \
    "ALTER TABLE events ADD COLUMN mentions INTEGER NOT NULL DEFAULT 1;"                   \
    "ALTER TABLE events ADD COLUMN quote INTEGER;"                                         \
    "CREATE TABLE quotes_v4 ("                                                             \
    " doc_seq " INT64 " NOT NULL,"                                                         \
    " quote INTEGER NOT NULL,"                                                             \
    " sent_first INTEGER NOT NULL, sent_last INTEGER NOT NULL,"                            \
    " speaker TEXT" TEXT_C " NOT NULL DEFAULT '',"                                         \
    " speaker_text TEXT NOT NULL DEFAULT '',"                                              \
    " speaker_start INTEGER NOT NULL DEFAULT 0, speaker_end INTEGER NOT NULL DEFAULT 0,"   \
    " speaker_rule TEXT NOT NULL DEFAULT '',"                                              \
    " cue_text TEXT NOT NULL DEFAULT '',"                                                  \
    " cue_start INTEGER NOT NULL DEFAULT 0, cue_end INTEGER NOT NULL DEFAULT 0,"           \
    " text TEXT NOT NULL, text_start INTEGER NOT NULL, text_end INTEGER NOT NULL,"         \
    " PRIMARY KEY (doc_seq, quote));"                                                      \
    "INSERT INTO quotes_v4 (doc_seq, quote, sent_first, sent_last, speaker, speaker_text," \
    " text, text_start, text_end)"                                                         \
    " SELECT doc_seq, (SELECT count(*) FROM quotes o WHERE o.doc_seq = q.doc_seq"          \
    " AND o.id < q.id), sent, sent, speaker, speaker_text, text, start_byte, end_byte"     \
    " FROM quotes q;"                                                                      \
    "DROP TABLE quotes;"                                                                   \
    "ALTER TABLE quotes_v4 RENAME TO quotes;"

/* Version 5: the event field plover_mode (the PLOVER mode refining plover,
 * from the CAMEO->PLOVER table; "" when the code has none).  Events already
 * stored get "": they were written without it, and a mode guessed from the
 * code alone could contradict a pre-coded event's own plover. */
#define MIGRATION_5 "ALTER TABLE events ADD COLUMN plover_mode TEXT NOT NULL DEFAULT '';"

/* Version 6: dyad_days, events counted per country dyad (src3, tgt3), day
 * (event_date), quad class and modality, with their Goldstein sum in
 * ten-thousandths (an integer: sums are exact and do not depend on the
 * order rows are added in, so a series read from here and one read from
 * the events agree to the last digit).  store.c keeps it in step with the
 * events in the same transaction as every insert and replacement; series.c
 * reads it for the country-level dyad series, the common query.  Without
 * it a series reads and groups every event of the dyad; with it, one row
 * per dyad, day, quad and modality in key order (WITHOUT ROWID: the table
 * is its primary key, no second lookup).  Built here from the events
 * already stored.  SUFFIX is " WITHOUT ROWID" in SQLite. */
#define MIGRATION_6(INT64, TEXT_C, SUFFIX)                                                 \
    "CREATE TABLE dyad_days ("                                                             \
    " src3 TEXT" TEXT_C " NOT NULL, tgt3 TEXT" TEXT_C " NOT NULL,"                         \
    " day TEXT" TEXT_C " NOT NULL, quad INTEGER NOT NULL, modality TEXT" TEXT_C " NOT NULL,"\
    " events " INT64 " NOT NULL, gunits " INT64 " NOT NULL,"                               \
    " PRIMARY KEY (src3, tgt3, day, quad, modality))" SUFFIX ";"                           \
    "INSERT INTO dyad_days (src3, tgt3, day, quad, modality, events, gunits)"              \
    " SELECT src3, tgt3, event_date, quad, modality, count(*), " STORE_GUNITS("goldstein") \
    " FROM events GROUP BY src3, tgt3, event_date, quad, modality;"

static const char *const SQLITE_MIGRATIONS[] = {
    /* 1: documents, sentences, events */
    "CREATE TABLE documents ("
    " seq INTEGER PRIMARY KEY,"
    " id TEXT NOT NULL UNIQUE,"
    " date TEXT NOT NULL,"
    " source TEXT NOT NULL DEFAULT '',"
    " title TEXT NOT NULL DEFAULT '',"
    " text TEXT,"
    " hash TEXT NOT NULL,"
    " nevents INTEGER NOT NULL,"
    " ingested INTEGER NOT NULL);"
    "CREATE TABLE events ("
    " id INTEGER PRIMARY KEY AUTOINCREMENT,"
    " doc_seq INTEGER NOT NULL,"
    " sent INTEGER NOT NULL,"
    " date TEXT NOT NULL, event_date TEXT NOT NULL, date_precision TEXT NOT NULL,"
    " source TEXT NOT NULL, target TEXT NOT NULL,"
    " code TEXT NOT NULL, root TEXT NOT NULL,"
    " quad INTEGER NOT NULL, goldstein REAL NOT NULL,"
    " plover TEXT NOT NULL, modality TEXT NOT NULL,"
    " trigger_text TEXT NOT NULL, trigger_start INTEGER NOT NULL, trigger_end INTEGER NOT NULL,"
    " source_text TEXT NOT NULL, source_start INTEGER NOT NULL, source_end INTEGER NOT NULL,"
    " target_text TEXT NOT NULL, target_start INTEGER NOT NULL, target_end INTEGER NOT NULL,"
    " date_text TEXT NOT NULL, date_start INTEGER NOT NULL, date_end INTEGER NOT NULL,"
    " verb_rule TEXT NOT NULL, source_rule TEXT NOT NULL, target_rule TEXT NOT NULL,"
    " sentence TEXT NOT NULL);"
    "CREATE INDEX events_doc ON events (doc_seq);"
    "CREATE INDEX events_dyad ON events (source, target, event_date, quad, goldstein);"
    "CREATE INDEX events_rdyad ON events (target, source, event_date, quad, goldstein);"
    "CREATE VIEW actors AS"
    " SELECT code, count(*) AS events, min(event_date) AS first, max(event_date) AS last FROM"
    " (SELECT source AS code, event_date FROM events WHERE source <> ''"
    "  UNION ALL SELECT target, event_date FROM events WHERE target <> '')"
    " GROUP BY code;",
    /* 2: quotes (the FTS5 index is added by sqlite_fts_migration when available) */
    "CREATE TABLE quotes ("
    " id INTEGER PRIMARY KEY,"
    " doc_seq INTEGER NOT NULL,"
    " sent INTEGER NOT NULL,"
    " speaker TEXT NOT NULL DEFAULT '',"
    " speaker_text TEXT NOT NULL DEFAULT '',"
    " text TEXT NOT NULL,"
    " start_byte INTEGER NOT NULL, end_byte INTEGER NOT NULL);"
    "CREATE INDEX quotes_doc ON quotes (doc_seq);",
    /* 3: country columns; dyad indexes keyed by them */
    MIGRATION_3,
    /* 4: events.mentions and events.quote; quotes with every field */
    MIGRATION_4("INTEGER", ""),
    /* 5: events.plover_mode */
    MIGRATION_5,
    /* 6: the per-day dyad summary */
    MIGRATION_6("INTEGER", "", " WITHOUT ROWID"),
};

/* The full-text index over event sentences is brought up to date once per
 * batch, just before its COMMIT (store_commit), with one INSERT ... SELECT of
 * the events above the fts_state.upto mark: ten times cheaper than a trigger
 * per row, and still atomic with the batch.  Event ids only grow
 * (AUTOINCREMENT), so the mark is exact.  Deleting an event that is already
 * indexed must remove it from the index (FTS5 external content needs the old
 * text), which the trigger does. */
static const char SQLITE_FTS[] =
    "CREATE VIRTUAL TABLE events_fts USING fts5(sentence, content='events',"
    " content_rowid='id');"
    "CREATE TABLE fts_state (upto INTEGER NOT NULL);"
    "INSERT INTO fts_state SELECT coalesce(max(id), 0) FROM events;"
    "CREATE TRIGGER events_fts_delete AFTER DELETE ON events"
    " WHEN old.id <= (SELECT upto FROM fts_state) BEGIN"
    " INSERT INTO events_fts (events_fts, rowid, sentence)"
    " VALUES ('delete', old.id, old.sentence); END;"
    "INSERT INTO events_fts (events_fts) VALUES ('rebuild');";

static const char *const POSTGRES_MIGRATIONS[] = {
    "CREATE TABLE documents ("
    " seq BIGSERIAL PRIMARY KEY,"
    " id TEXT COLLATE \"C\" NOT NULL UNIQUE,"
    " date TEXT COLLATE \"C\" NOT NULL,"
    " source TEXT NOT NULL DEFAULT '',"
    " title TEXT NOT NULL DEFAULT '',"
    " text TEXT,"
    " hash TEXT NOT NULL,"
    " nevents INTEGER NOT NULL,"
    " ingested BIGINT NOT NULL);"
    "CREATE TABLE events ("
    " id BIGSERIAL PRIMARY KEY,"
    " doc_seq BIGINT NOT NULL,"
    " sent INTEGER NOT NULL,"
    " date TEXT COLLATE \"C\" NOT NULL, event_date TEXT COLLATE \"C\" NOT NULL,"
    " date_precision TEXT NOT NULL,"
    " source TEXT COLLATE \"C\" NOT NULL, target TEXT COLLATE \"C\" NOT NULL,"
    " code TEXT COLLATE \"C\" NOT NULL, root TEXT COLLATE \"C\" NOT NULL,"
    " quad INTEGER NOT NULL, goldstein DOUBLE PRECISION NOT NULL,"
    " plover TEXT NOT NULL, modality TEXT NOT NULL,"
    " trigger_text TEXT NOT NULL, trigger_start INTEGER NOT NULL, trigger_end INTEGER NOT NULL,"
    " source_text TEXT NOT NULL, source_start INTEGER NOT NULL, source_end INTEGER NOT NULL,"
    " target_text TEXT NOT NULL, target_start INTEGER NOT NULL, target_end INTEGER NOT NULL,"
    " date_text TEXT NOT NULL, date_start INTEGER NOT NULL, date_end INTEGER NOT NULL,"
    " verb_rule TEXT NOT NULL, source_rule TEXT NOT NULL, target_rule TEXT NOT NULL,"
    " sentence TEXT NOT NULL);"
    "CREATE INDEX events_doc ON events (doc_seq);"
    "CREATE INDEX events_dyad ON events (source, target, event_date, quad, goldstein);"
    "CREATE INDEX events_rdyad ON events (target, source, event_date, quad, goldstein);"
    "CREATE VIEW actors AS"
    " SELECT code, count(*) AS events, min(event_date) AS first, max(event_date) AS last FROM"
    " (SELECT source AS code, event_date FROM events WHERE source <> ''"
    "  UNION ALL SELECT target, event_date FROM events WHERE target <> '') AS codes"
    " GROUP BY code;",
    "CREATE TABLE quotes ("
    " id BIGSERIAL PRIMARY KEY,"
    " doc_seq BIGINT NOT NULL,"
    " sent INTEGER NOT NULL,"
    " speaker TEXT NOT NULL DEFAULT '',"
    " speaker_text TEXT NOT NULL DEFAULT '',"
    " text TEXT NOT NULL,"
    " start_byte INTEGER NOT NULL, end_byte INTEGER NOT NULL);"
    "CREATE INDEX quotes_doc ON quotes (doc_seq);",
    MIGRATION_3,
    MIGRATION_4("BIGINT", " COLLATE \"C\""),
    MIGRATION_5,
    MIGRATION_6("BIGINT", " COLLATE \"C\"", ""),
};

_Static_assert(sizeof SQLITE_MIGRATIONS / sizeof SQLITE_MIGRATIONS[0] == STORE_SCHEMA_VERSION,
               "one SQLite migration per schema version");
_Static_assert(sizeof POSTGRES_MIGRATIONS / sizeof POSTGRES_MIGRATIONS[0] ==
                   STORE_SCHEMA_VERSION,
               "one PostgreSQL migration per schema version");

int schema_version(db *d, char *err, size_t errlen)
{
    if (db_exec(d, "CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)", err,
                errlen))
        return -1;
    db_stmt *st = db_prepare(d, "SELECT max(version) FROM schema_version", err, errlen);
    if (!st)
        return -1;
    int v = -1;
    if (db_step(st) == 1)
        v = (int)db_col_int(st, 0);
    else
        snprintf(err, errlen, "reading the schema version: %s", db_stmt_errmsg(st));
    db_reset(st);
    db_finalize(st);
    return v;
}

int schema_migrate(db *d, int target, char *err, size_t errlen)
{
    int pg = db_kind(d) == DB_POSTGRES;
    if (target < 1 || target > STORE_SCHEMA_VERSION)
        target = STORE_SCHEMA_VERSION;
    /* the common case, an up-to-date store, takes no write lock: readers
     * (dyad events, series) must not wait for an ingest's batch */
    db_stmt *probe = db_prepare(d, "SELECT max(version) FROM schema_version", NULL, 0);
    if (probe) {
        int current = db_step(probe) == 1 ? (int)db_col_int(probe, 0) : -1;
        db_reset(probe);
        db_finalize(probe);
        if (current == target)
            return 0;
    }
    if (db_exec(d, pg ? "BEGIN" : "BEGIN IMMEDIATE", err, errlen))
        return -1;
    /* an arbitrary constant: the lock id of "dyad schema migration" */
    if (pg && db_exec(d, "SELECT pg_advisory_xact_lock(5641796)", err, errlen))
        goto fail;
    int v = schema_version(d, err, errlen);
    if (v < 0)
        goto fail;
    if (v > STORE_SCHEMA_VERSION) {
        snprintf(err, errlen,
                 "the store has schema version %d, newer than this dyad's %d: upgrade dyad", v,
                 STORE_SCHEMA_VERSION);
        goto fail;
    }
    for (int k = v + 1; k <= target; k++) {
        const char *sql = pg ? POSTGRES_MIGRATIONS[k - 1] : SQLITE_MIGRATIONS[k - 1];
        char why[400];
        if (db_exec(d, sql, why, sizeof why)) {
            snprintf(err, errlen, "migrating the schema to version %d: %s", k, why);
            goto fail;
        }
        if (k == 2 && !pg && sqlite3_compileoption_used("ENABLE_FTS5") &&
            db_exec(d, SQLITE_FTS, why, sizeof why)) {
            snprintf(err, errlen, "creating the full-text index: %s", why);
            goto fail;
        }
    }
    if (v < target) {
        db_stmt *st = db_prepare(d, "INSERT INTO schema_version (version) VALUES (?)", err,
                                 errlen);
        if (!st)
            goto fail;
        int rc = db_exec(d, "DELETE FROM schema_version", err, errlen) == 0 &&
                         db_bind_int(st, 1, target) == 0 && db_step(st) == 0
                     ? 0
                     : -1;
        if (rc)
            snprintf(err, errlen, "recording the schema version: %s", db_stmt_errmsg(st));
        db_finalize(st);
        if (rc)
            goto fail;
    }
    if (db_exec(d, "COMMIT", err, errlen))
        goto fail;
    return 0;
fail:
    db_exec(d, "ROLLBACK", NULL, 0);
    return -1;
}
