/*
 * ingest.h - corpus ingest: read documents (or pre-coded events), code them
 * on N threads, store them in input order in batched transactions.
 *
 * The pipeline (ingest.c):
 *
 *   main thread: read a record -> hash -> already stored with this hash? skip
 *                              -> hand the document to a slot
 *   workers:     code the oldest waiting slot (the dictionary is read-only
 *                and shared; each slot owns its dyad_doc)
 *   main thread: store finished slots strictly in input order, committing
 *                every batch_docs documents or batch_events events
 *
 * Only the main thread touches the database, so the store needs no locking,
 * and the document sequence equals the input order whatever -j is.  The
 * ring holds 4 slots per worker: enough to keep every worker busy while the
 * main thread writes, little enough to bound memory.
 *
 * Duplicate ids inside one run: the first occurrence is stored, a later one
 * with the same content is skipped silently, a later one with different
 * content is rejected (reported, exit status 1), so that ingesting the same
 * corpus again is a no-op even when the corpus repeats an id.  The ids seen
 * in this run are kept as 64-bit hashes (8 bytes per document).
 */
#ifndef DYAD_STORE_INGEST_H
#define DYAD_STORE_INGEST_H

#include "dyad.h"
#include "store/store.h"

#include <stdint.h>

typedef struct ingest_stats {
    uint64_t records;        /* documents (or event groups) read */
    uint64_t docs_new, docs_changed, docs_same, docs_rejected;
    uint64_t events;         /* events stored */
    uint64_t batches;        /* committed transactions */
    uint64_t bytes_done, bytes_total; /* input bytes on disk, for progress/ETA */
} ingest_stats;

typedef struct ingest_opts {
    const dyad_dict *dict;   /* required unless events_mode */
    const dyad_model *model; /* tagger and parser; NULL codes on the token sequence */
    unsigned code_flags;     /* DYAD_ALL_MODALITIES, ... */
    int jobs;                /* coding threads; <= 1 codes in the calling thread */
    int events_mode;         /* inputs are dyad JSON Lines events, not documents */
    const char *date;        /* publication date of plain text / records without one */
    int input_format;        /* READ_AUTO, READ_JSONL, READ_TEXT (documents mode) */
    int bulk;                /* store_bulk_begin() at the start, store_bulk_end() at the
                                end: for loads (dyad ingest), not for small additions */
    size_t batch_docs;       /* commit after this many stored documents (0: 1000; 10000
                                with events_mode) */
    size_t batch_events;     /* ... or this many stored events (0: 50000) */
    uint64_t bytes_total;    /* input size on disk for the ETA (0: unknown) */
    /* "file:line: reason" for each rejected record */
    void (*report)(void *arg, const char *msg);
    void *report_arg;
    /* called after each record; the callee decides how often to draw */
    void (*progress)(void *arg, const ingest_stats *st);
    void *progress_arg;
} ingest_opts;

typedef struct ingest ingest;

ingest *ingest_new(store *s, const ingest_opts *opts, char *err, size_t errlen);
/* Ingests one input (file or "-"; directories are expanded by the caller).
 * Rejected records are reported and counted; returns 0, or -1 with err set
 * when ingest cannot go on (database error, out of memory). */
int ingest_path(ingest *g, const char *path, char *err, size_t errlen);
/* Stores what is still in flight and commits.  0 or -1 with err set. */
int ingest_finish(ingest *g, char *err, size_t errlen);
const ingest_stats *ingest_get_stats(const ingest *g);
/* Stops the workers; an unfinished batch is rolled back. */
void ingest_free(ingest *g);

#endif
