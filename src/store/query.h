/*
 * query.h - reading events back: filters, a cursor, and the dyad/actor
 * conditions shared with the series module.
 *
 * Actor codes are matched by prefix (MEX matches MEX, MEXGOV, MEXCOP), which
 * the store turns into a byte range (MEX <= code < MEY) so the (source,
 * target, ...) indexes answer it.  A dyad "A,B" matches A->B and B->A unless
 * directed.  Every value reaches SQL as a bound parameter; the SQL text is
 * assembled only from fixed fragments.
 */
#ifndef DYAD_STORE_QUERY_H
#define DYAD_STORE_QUERY_H

#include "store/store.h"

#include <stdint.h>

#define ACTOR_MAX 64

typedef struct event_filter {
    const char *actor;        /* source or target code prefix */
    const char *dyad_a, *dyad_b; /* dyad code prefixes (both or neither) */
    int directed;             /* dyad: only dyad_a -> dyad_b */
    const char *code;         /* CAMEO code prefix: 12 matches 12, 121, 1211 */
    const char *root;         /* 2-digit root */
    unsigned quads;           /* bit q set = quad class q wanted; 0 = all */
    const char *from, *to;    /* inclusive YYYY-MM-DD bounds on the event date */
    unsigned modalities;      /* bit m set = dyad_modality m wanted; 0 = all */
    const char *text;         /* words of the sentence (FTS5 phrase, else substring) */
    const char *doc;          /* one document id */
    int64_t limit;            /* < 0: no limit */
    int64_t offset;
} event_filter;

/* Checks an actor code prefix (letters, digits and '-', at most ACTOR_MAX)
 * and upper-cases it into out[ACTOR_MAX + 1].  0 or -1. */
int query_actor_code(const char *in, char *out);

/* Parses "A,B" into two checked actor prefixes a and b (ACTOR_MAX + 1
 * bytes each).  0 or -1. */
int query_dyad(const char *arg, char *a, char *b);

/* Parses a modality list "asserted,reported" into a bit set; -1 when a name
 * is unknown. */
int query_modalities(const char *list, unsigned *bits);
/* Parses a quad list "3,4" into a bit set; -1 when not 1..4. */
int query_quads(const char *list, unsigned *bits);

typedef struct event_cursor event_cursor;

/* Starts a query; NULL with err set.  Rows come in store order (event id:
 * corpus order, then position in the document). */
event_cursor *events_query(store *s, const event_filter *f, char *err, size_t errlen);
/* 1: *e holds the next event (valid until the next call); 0: no more; -1:
 * error (err set). */
int events_next(event_cursor *c, store_event *e, char *err, size_t errlen);
void events_close(event_cursor *c);

/* Quotations (store_quote rows), in store order: corpus order, then their
 * index in the document. */
typedef struct quote_filter {
    const char *speaker;      /* speaker code prefix */
    const char *from, *to;    /* inclusive YYYY-MM-DD bounds on the story date */
    const char *doc;          /* one document id */
    int64_t limit;            /* < 0: no limit */
    int64_t offset;
} quote_filter;

typedef struct quote_cursor quote_cursor;

/* Starts a query; NULL with err set. */
quote_cursor *quotes_query(store *s, const quote_filter *f, char *err, size_t errlen);
/* 1: *q holds the next quotation (valid until the next call); 0: no more;
 * -1: error (err set). */
int quotes_next(quote_cursor *c, store_quote *q, char *err, size_t errlen);
void quotes_close(quote_cursor *c);

/* --- SQL assembly shared with src/series ----------------------------------- */

/* A growable SQL text with its bound parameters. */
typedef struct sql_param {
    int is_int;
    int64_t i;
    char *s;
} sql_param;

typedef struct sql_buf {
    char *sql;
    size_t len, cap;
    sql_param *params;
    size_t nparams, capparams;
    int oom;
} sql_buf;

void sql_add(sql_buf *b, const char *fragment);
void sql_text_param(sql_buf *b, const char *s);
void sql_int_param(sql_buf *b, int64_t v);
/* Appends "AND <condition>" for each filter field set (the column alias of
 * events is "e"); the text condition searches with fts = 1: the FTS5 index, 0: LIKE (SQLite), -1: ILIKE
 * (PostgreSQL). */
void sql_filter(sql_buf *b, const event_filter *f, int fts);
/* " AND col IN (?, ...)" for the set bits lo..hi of bits (quads), and for the
 * modalities of a modality mask, as bound parameters. */
void sql_int_set(sql_buf *b, const char *col, unsigned bits, int lo, int hi);
void sql_modality_set(sql_buf *b, const char *col, unsigned bits);
/* Prepares b->sql and binds its parameters; NULL with err set. */
struct db_stmt *sql_prepare(struct db *d, const sql_buf *b, char *err, size_t errlen);
void sql_free(sql_buf *b);

#endif
