/*
 * store.h - the event store: documents, events with every field of dyad's
 * JSON output (sentence text included), and the quotations of coded
 * documents (dyad code --quotes records), in
 * SQLite (one embedded file) or PostgreSQL (shared by a team).
 *
 * Design
 *  - Idempotent by document id.  A document row keeps a 64-bit content hash;
 *    storing a document whose id is known and whose hash is unchanged does
 *    nothing, a changed hash replaces the document's events.
 *    So re-running an ingest after a crash simply completes it.
 *  - Input order is the document sequence (documents.seq), so "first stored"
 *    means "first in the corpus" and event ids follow the corpus.
 *  - Writes are grouped into batched transactions by the caller
 *    (store_begin/store_commit); in SQLite's WAL mode a kill -9 loses at most
 *    the open transaction and never corrupts the file.  synchronous=NORMAL:
 *    durable against process crashes; a power cut may lose the last
 *    committed batches (never consistency), which a re-run restores.
 *  - Every statement is prepared once at open and reused.
 *  - The schema carries a version (schema_version table); store_open applies
 *    the missing migrations in one transaction, and refuses a file written
 *    by a newer dyad.
 *
 * Strings in store_event/store_doc are borrowed: they must stay valid for the
 * duration of the call only.  Rows read back (store_query) point into the
 * current database row and are valid until the next row.
 */
#ifndef DYAD_STORE_H
#define DYAD_STORE_H

#include "dyad.h"

#include <stddef.h>
#include <stdint.h>

#define STORE_SCHEMA_VERSION 6

/* Series add Goldstein values up as integers in ten-thousandths of a point
 * (dyad_days.gunits): integer sums are exact whatever order the rows come
 * in, so the summary table and a scan of the events give the same figures.
 * STORE_GUNITS(col) is the SQL aggregate, store_gunits() the same rounding
 * in C (SQLite's round(): half away from zero). */
#define STORE_GUNITS_PER_POINT 10000
#define STORE_GUNITS(col) "sum(CAST(round(" col " * 10000) AS BIGINT))"
static inline int64_t store_gunits(double goldstein)
{
    double r = goldstein * STORE_GUNITS_PER_POINT;
    return r >= 0 ? (int64_t)(r + 0.5) : -(int64_t)(-r + 0.5);
}

typedef struct store store;

/* A text span as stored: the words and their byte offsets in the document. */
typedef struct store_span {
    const char *text;
    size_t len;
    uint32_t start, end;
} store_span;

/* One event with every field of dyad's JSON output. */
typedef struct store_event {
    int64_t id;              /* store event id (read back only) */
    const char *doc;         /* document id */
    const char *date;        /* story (publication) date, YYYY-MM-DD */
    const char *event_date;  /* when it happened, YYYY-MM-DD ("" or NULL: the story date) */
    const char *date_precision; /* day, week, month, year */
    uint32_t sent;
    const char *source, *target;
    const char *code, *root;
    int quad;
    double goldstein;
    const char *plover;
    const char *plover_mode; /* PLOVER mode refining plover ("visit", "arrest"...); "" or NULL: none */
    const char *modality;    /* asserted, reported, intended, hypothetical, negated */
    uint32_t mentions;       /* how often the article states it; 0 is stored as 1 */
    int has_quote;           /* the trigger is inside a quotation of the document ... */
    uint32_t quote;          /* ... whose index (dyad_doc_quote, store_quote.quote) is this */
    store_span trigger, source_span, target_span;
    store_span date_span;    /* the words that dated it; empty: the story date */
    const char *verb_rule, *source_rule, *target_rule;
    const char *sentence;
    size_t sentence_len;
    const char *doc_source;  /* the document's "source" (news outlet), read back only */
    int64_t ingested;        /* unix time the document was stored, read back only */
} store_event;

/* One quotation (dyad_doc_quote) with every field of `dyad code --quotes`. */
typedef struct store_quote {
    const char *doc;         /* document id (read back only) */
    const char *date;        /* story date (read back only) */
    uint32_t quote;          /* index in the document, 0-based */
    uint32_t sent_first, sent_last;
    const char *speaker;     /* actor code, "" when not attributed */
    store_span speaker_span; /* empty when not attributed */
    const char *speaker_rule;
    store_span cue;          /* the attribution verb */
    store_span text;         /* the quoted words */
} store_quote;

typedef struct store_doc {
    const char *id, *date, *source, *title;
    const char *text;        /* NULL for documents known only by pre-coded events */
    size_t text_len;
    uint64_t hash;           /* content hash (store_hash_*) */
} store_doc;

/* What store_doc_state found for an id. */
enum store_doc_state { STORE_DOC_NEW, STORE_DOC_SAME, STORE_DOC_CHANGED };

/* Opens or creates the store (SQLite file path or postgresql:// URI) and
 * migrates its schema.  NULL with err set ("what: why"). */
store *store_open(const char *target, char *err, size_t errlen);
void store_close(store *s);
int store_is_postgres(const store *s);
/* The SQL layer underneath, for the query modules. */
struct db *store_db(store *s);
/* True when the SQLite store has an FTS5 index on sentence text. */
int store_has_fts(const store *s);

/* Bulk load (SQLite only; PostgreSQL returns 0 and does nothing): when the
 * store holds no events, its two dyad indexes are dropped, the load runs
 * without them and store_bulk_end() builds them once from the sorted rows:
 * two random B-tree inserts per event cost more than the rest of the insert
 * together.  A load killed midway leaves a store without the two indexes
 * (every query still answers, scanning); the next store_bulk_begin() sees
 * that and keeps loading in bulk mode, so re-running the ingest finishes
 * the indexes with the corpus.  1: bulk mode, 0: normal, -1 error. */
int store_bulk_begin(store *s, char *err, size_t errlen);
/* Builds the dyad indexes if bulk mode left them out.  0 or -1. */
int store_bulk_end(store *s, char *err, size_t errlen);

int store_begin(store *s, char *err, size_t errlen);
int store_commit(store *s, char *err, size_t errlen);
void store_rollback(store *s);

/* Looks a document id up: NEW, SAME (same hash) or CHANGED; *seq is its
 * sequence number when known.  -1 on a database error. */
int store_doc_state(store *s, const char *id, uint64_t hash, int64_t *seq, char *err,
                    size_t errlen);

/* Stores a document and its events in the open transaction: inserts a new
 * document, replaces a changed one (its events and quotes are deleted
 * first), does nothing for an unchanged one.  Sets *state (may be NULL).
 * Events must belong to d (e->doc is not consulted).  0 or -1 with err set. */
int store_put(store *s, const store_doc *d, const store_event *events, size_t nevents,
              int *state, char *err, size_t errlen);
/* The same, also storing the document's quotations (q->doc and q->date are
 * not consulted). */
int store_put_quotes(store *s, const store_doc *d, const store_event *events, size_t nevents,
                     const store_quote *quotes, size_t nquotes, int *state, char *err,
                     size_t errlen);

/* Content hashes: 64 bits over length-prefixed fields, so that ("ab","c")
 * and ("a","bc") differ; 8 bytes per multiply-and-fold step, FNV-1a for the
 * tail.  Not cryptographic: it detects edits, it does not resist forgery.
 * (Little-endian word loads: a store moved to a big-endian machine would
 * see every document as changed once.) */
uint64_t store_hash_init(void);
uint64_t store_hash_add(uint64_t h, const void *data, size_t n);
uint64_t store_hash_str(uint64_t h, const char *s); /* NULL hashes differently from "" */
/* The hash of a document's fields (id, date, source, title, text). */
uint64_t store_hash_doc(const store_doc *d);

/* Counts for summaries and tests. */
int64_t store_count(store *s, const char *table, char *err, size_t errlen);

/* Fills store_event rows from a coded document (strings point into doc). */
size_t store_events_from_doc(const dyad_doc *doc, store_event *out, size_t cap);
/* Fills store_quote rows from a coded document (strings point into doc). */
size_t store_quotes_from_doc(const dyad_doc *doc, store_quote *out, size_t cap);

#endif
