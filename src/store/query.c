/*
 * query.c - event filters turned into SQL with bound parameters, and the
 * cursor that reads events back (see query.h).
 *
 * A prefix P becomes the half-open range [P, P'), where P' is P with its last
 * byte incremented: codes are ASCII and compare byte-wise (SQLite's default
 * BINARY collation; COLLATE "C" columns in PostgreSQL), so the range is
 * exactly "starts with P" and an index answers it.
 */
#include "store/query.h"
#include "store/db.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* SQL assembly -------------------------------------------------------------- */

void sql_add(sql_buf *b, const char *fragment)
{
    size_t n = strlen(fragment);
    if (b->oom)
        return;
    if (b->len + n + 1 > b->cap) {
        size_t cap = b->cap ? b->cap : 512;
        while (cap < b->len + n + 1)
            cap *= 2;
        char *p = realloc(b->sql, cap);
        if (!p) {
            b->oom = 1;
            return;
        }
        b->sql = p;
        b->cap = cap;
    }
    memcpy(b->sql + b->len, fragment, n + 1);
    b->len += n;
}

static sql_param *new_param(sql_buf *b)
{
    if (b->oom)
        return NULL;
    if (b->nparams == b->capparams) {
        size_t cap = b->capparams ? b->capparams * 2 : 16;
        sql_param *p = realloc(b->params, cap * sizeof *p);
        if (!p) {
            b->oom = 1;
            return NULL;
        }
        b->params = p;
        b->capparams = cap;
    }
    sql_param *p = &b->params[b->nparams++];
    memset(p, 0, sizeof *p);
    return p;
}

void sql_text_param(sql_buf *b, const char *s)
{
    sql_param *p = new_param(b);
    if (p && !(p->s = strdup(s))) {
        b->nparams--;
        b->oom = 1;
    }
}

void sql_int_param(sql_buf *b, int64_t v)
{
    sql_param *p = new_param(b);
    if (p) {
        p->is_int = 1;
        p->i = v;
    }
}

void sql_free(sql_buf *b)
{
    for (size_t i = 0; i < b->nparams; i++)
        free(b->params[i].s);
    free(b->params);
    free(b->sql);
    memset(b, 0, sizeof *b);
}

db_stmt *sql_prepare(db *d, const sql_buf *b, char *err, size_t errlen)
{
    if (b->oom || !b->sql) {
        snprintf(err, errlen, "out of memory");
        return NULL;
    }
    db_stmt *st = db_prepare(d, b->sql, err, errlen);
    if (!st)
        return NULL;
    for (size_t i = 0; i < b->nparams; i++) {
        const sql_param *p = &b->params[i];
        int rc = p->is_int ? db_bind_int(st, (int)i + 1, p->i) : db_bind_str(st, (int)i + 1, p->s);
        if (rc) {
            snprintf(err, errlen, "binding a query parameter: %s", db_stmt_errmsg(st));
            db_finalize(st);
            return NULL;
        }
    }
    return st;
}

/* "col >= P AND col < P'" */
static void prefix_range(sql_buf *b, const char *col, const char *prefix)
{
    char hi[ACTOR_MAX + 2];
    snprintf(hi, sizeof hi, "%s", prefix);
    size_t n = strlen(hi);
    if (n == 0) {
        sql_add(b, "1 = 1");
        return;
    }
    hi[n - 1]++; /* ASCII: never overflows */
    sql_add(b, col);
    sql_add(b, " >= ? AND ");
    sql_add(b, col);
    sql_add(b, " < ?");
    sql_text_param(b, prefix);
    sql_text_param(b, hi);
}

void sql_int_set(sql_buf *b, const char *col, unsigned bits, int lo, int hi)
{
    sql_add(b, " AND ");
    sql_add(b, col);
    sql_add(b, " IN (");
    int first = 1;
    for (int q = lo; q <= hi; q++)
        if (bits & (1u << q)) {
            sql_add(b, first ? "?" : ", ?");
            sql_int_param(b, q);
            first = 0;
        }
    sql_add(b, ")");
}

void sql_modality_set(sql_buf *b, const char *col, unsigned bits)
{
    sql_add(b, " AND ");
    sql_add(b, col);
    sql_add(b, " IN (");
    int first = 1;
    for (int m = DYAD_ASSERTED; m <= DYAD_NEGATED; m++)
        if (bits & (1u << m)) {
            sql_add(b, first ? "?" : ", ?");
            sql_text_param(b, dyad_modality_name((dyad_modality)m));
            first = 0;
        }
    sql_add(b, ")");
}

/* An actor prefix on one side: the 3-letter column first (an exact seek in
 * the dyad indexes when the prefix has 3 letters or more), then the full
 * code when the prefix is longer. */
static void actor_cond(sql_buf *b, const char *col3, const char *col, const char *prefix)
{
    size_t n = strlen(prefix);
    if (n < 3) {
        prefix_range(b, col3, prefix);
        return;
    }
    char country[4];
    memcpy(country, prefix, 3);
    country[3] = '\0';
    sql_add(b, col3);
    sql_add(b, " = ?");
    sql_text_param(b, country);
    if (n > 3) {
        sql_add(b, " AND ");
        prefix_range(b, col, prefix);
    }
}

void sql_filter(sql_buf *b, const event_filter *f, int fts)
{
    if (f->actor) {
        sql_add(b, " AND ((");
        actor_cond(b, "e.src3", "e.source", f->actor);
        sql_add(b, ") OR (");
        actor_cond(b, "e.tgt3", "e.target", f->actor);
        sql_add(b, "))");
    }
    if (f->dyad_a && f->dyad_b) {
        sql_add(b, " AND ((");
        actor_cond(b, "e.src3", "e.source", f->dyad_a);
        sql_add(b, " AND ");
        actor_cond(b, "e.tgt3", "e.target", f->dyad_b);
        sql_add(b, ")");
        if (!f->directed) {
            sql_add(b, " OR (");
            actor_cond(b, "e.src3", "e.source", f->dyad_b);
            sql_add(b, " AND ");
            actor_cond(b, "e.tgt3", "e.target", f->dyad_a);
            sql_add(b, ")");
        }
        sql_add(b, ")");
    }
    if (f->code) {
        sql_add(b, " AND ");
        prefix_range(b, "e.code", f->code);
    }
    if (f->root) {
        sql_add(b, " AND e.root = ?");
        sql_text_param(b, f->root);
    }
    if (f->quads)
        sql_int_set(b, "e.quad", f->quads, 1, 4);
    if (f->modalities)
        sql_modality_set(b, "e.modality", f->modalities);
    if (f->from) {
        sql_add(b, " AND e.event_date >= ?");
        sql_text_param(b, f->from);
    }
    if (f->to) {
        sql_add(b, " AND e.event_date <= ?");
        sql_text_param(b, f->to);
    }
    if (f->doc) {
        sql_add(b, " AND e.doc_seq = (SELECT seq FROM documents WHERE id = ?)");
        sql_text_param(b, f->doc);
    }
    if (f->text && *f->text) {
        size_t n = strlen(f->text);
        char *q = malloc(2 * n + 3);
        if (!q) {
            b->oom = 1;
            return;
        }
        size_t k = 0;
        if (fts > 0) {
            /* one FTS5 phrase: the words in this order; quotes doubled */
            q[k++] = '"';
            for (size_t i = 0; i < n; i++) {
                if (f->text[i] == '"')
                    q[k++] = '"';
                q[k++] = f->text[i];
            }
            q[k++] = '"';
            q[k] = '\0';
            sql_add(b, " AND e.id IN (SELECT rowid FROM events_fts WHERE events_fts MATCH ?)");
        } else {
            /* substring, case-insensitive; LIKE wildcards in the words escaped */
            q[k++] = '%';
            for (size_t i = 0; i < n; i++) {
                if (f->text[i] == '%' || f->text[i] == '_' || f->text[i] == '\\')
                    q[k++] = '\\';
                q[k++] = f->text[i];
            }
            q[k++] = '%';
            q[k] = '\0';
            sql_add(b, fts < 0 ? " AND e.sentence ILIKE ? ESCAPE '\\'"
                               : " AND e.sentence LIKE ? ESCAPE '\\'");
        }
        sql_text_param(b, q);
        free(q);
    }
}

/* Argument checks ------------------------------------------------------------ */

int query_actor_code(const char *in, char *out)
{
    size_t n = strlen(in);
    if (n == 0 || n > ACTOR_MAX)
        return -1;
    for (size_t i = 0; i < n; i++) {
        char c = in[i];
        if (c >= 'a' && c <= 'z')
            c = (char)(c - 'a' + 'A');
        if (!((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-'))
            return -1;
        out[i] = c;
    }
    out[n] = '\0';
    return 0;
}

int query_dyad(const char *arg, char *a, char *b)
{
    const char *comma = strchr(arg, ',');
    if (!comma || comma - arg > ACTOR_MAX)
        return -1;
    char left[ACTOR_MAX + 1];
    memcpy(left, arg, (size_t)(comma - arg));
    left[comma - arg] = '\0';
    return query_actor_code(left, a) || query_actor_code(comma + 1, b) ? -1 : 0;
}

int query_modalities(const char *list, unsigned *bits)
{
    *bits = 0;
    const char *p = list;
    while (*p) {
        size_t n = strcspn(p, ",");
        int found = 0;
        for (int m = DYAD_ASSERTED; m <= DYAD_NEGATED; m++) {
            const char *name = dyad_modality_name((dyad_modality)m);
            if (strlen(name) == n && strncmp(p, name, n) == 0) {
                *bits |= 1u << m;
                found = 1;
            }
        }
        if (!found)
            return -1;
        p += n;
        if (*p == ',')
            p++;
    }
    return *bits ? 0 : -1;
}

int query_quads(const char *list, unsigned *bits)
{
    *bits = 0;
    const char *p = list;
    while (*p) {
        if (*p < '1' || *p > '4' || (p[1] && p[1] != ','))
            return -1;
        *bits |= 1u << (*p - '0');
        p += p[1] ? 2 : 1;
    }
    return *bits ? 0 : -1;
}

/* The cursor ----------------------------------------------------------------- */

struct event_cursor {
    db_stmt *st;
};

static const char EVENT_COLUMNS[] =
    "SELECT e.id, d.id, e.date, e.sent, e.source, e.target, e.code, e.root, e.quad,"
    " e.goldstein, e.plover, e.modality, e.trigger_text, e.trigger_start, e.trigger_end,"
    " e.source_text, e.source_start, e.source_end, e.target_text, e.target_start,"
    " e.target_end, e.verb_rule, e.source_rule, e.target_rule, e.sentence, d.source, d.ingested,"
    " e.event_date, e.date_precision, e.date_text, e.date_start, e.date_end, e.mentions,"
    " e.quote, e.plover_mode"
    " FROM events e JOIN documents d ON d.seq = e.doc_seq"
    " WHERE 1 = 1";

event_cursor *events_query(store *s, const event_filter *f, char *err, size_t errlen)
{
    sql_buf b = {0};
    sql_add(&b, EVENT_COLUMNS);
    int fts = store_is_postgres(s) ? -1 : store_has_fts(s);
    int paged = f->limit >= 0 || f->offset > 0;
    if (paged) {
        /* A page is chosen on ids alone, then its rows are read.  The actor
         * and dyad conditions are answered from the covering indexes, which
         * hold the id; sorting 20,000 ids for a page of 50 takes
         * milliseconds, sorting 20,000 whole rows took 200. */
        sql_add(&b, " AND e.id IN (SELECT e.id FROM events e WHERE 1 = 1");
        sql_filter(&b, f, fts);
        sql_add(&b, " ORDER BY e.id LIMIT ?");
        /* SQLite and PostgreSQL both take a huge LIMIT as "no limit" */
        sql_int_param(&b, f->limit >= 0 ? f->limit : INT64_MAX);
        if (f->offset > 0) {
            sql_add(&b, " OFFSET ?");
            sql_int_param(&b, f->offset);
        }
        sql_add(&b, ")");
    } else {
        sql_filter(&b, f, fts);
    }
    sql_add(&b, " ORDER BY e.id");
    event_cursor *c = calloc(1, sizeof *c);
    if (!c) {
        sql_free(&b);
        snprintf(err, errlen, "out of memory");
        return NULL;
    }
    c->st = sql_prepare(store_db(s), &b, err, errlen);
    sql_free(&b);
    if (!c->st) {
        free(c);
        return NULL;
    }
    return c;
}

static store_span col_span(db_stmt *st, int col)
{
    store_span sp;
    sp.text = db_col_text(st, col, &sp.len);
    sp.start = (uint32_t)db_col_int(st, col + 1);
    sp.end = (uint32_t)db_col_int(st, col + 2);
    return sp;
}

int events_next(event_cursor *c, store_event *e, char *err, size_t errlen)
{
    int rc = db_step(c->st);
    if (rc < 0) {
        snprintf(err, errlen, "reading events: %s", db_stmt_errmsg(c->st));
        return -1;
    }
    if (rc == 0)
        return 0;
    db_stmt *st = c->st;
    memset(e, 0, sizeof *e);
    e->id = db_col_int(st, 0);
    e->doc = db_col_text(st, 1, NULL);
    e->date = db_col_text(st, 2, NULL);
    e->sent = (uint32_t)db_col_int(st, 3);
    e->source = db_col_text(st, 4, NULL);
    e->target = db_col_text(st, 5, NULL);
    e->code = db_col_text(st, 6, NULL);
    e->root = db_col_text(st, 7, NULL);
    e->quad = (int)db_col_int(st, 8);
    e->goldstein = db_col_double(st, 9);
    e->plover = db_col_text(st, 10, NULL);
    e->modality = db_col_text(st, 11, NULL);
    e->trigger = col_span(st, 12);
    e->source_span = col_span(st, 15);
    e->target_span = col_span(st, 18);
    e->verb_rule = db_col_text(st, 21, NULL);
    e->source_rule = db_col_text(st, 22, NULL);
    e->target_rule = db_col_text(st, 23, NULL);
    e->sentence = db_col_text(st, 24, &e->sentence_len);
    e->doc_source = db_col_text(st, 25, NULL);
    e->ingested = db_col_int(st, 26);
    e->event_date = db_col_text(st, 27, NULL);
    e->date_precision = db_col_text(st, 28, NULL);
    e->date_span = col_span(st, 29);
    int64_t mentions = db_col_int(st, 32);
    e->mentions = mentions >= 1 && mentions <= UINT32_MAX ? (uint32_t)mentions : 1;
    int64_t quote = db_col_int(st, 33);
    e->has_quote = !db_col_is_null(st, 33) && quote >= 0 && quote <= INT32_MAX;
    e->quote = e->has_quote ? (uint32_t)quote : 0;
    e->plover_mode = db_col_text(st, 34, NULL);
    return 1;
}

void events_close(event_cursor *c)
{
    if (!c)
        return;
    db_reset(c->st);
    db_finalize(c->st);
    free(c);
}

/* Quotations ------------------------------------------------------------------ */

struct quote_cursor {
    db_stmt *st;
};

quote_cursor *quotes_query(store *s, const quote_filter *f, char *err, size_t errlen)
{
    sql_buf b = {0};
    sql_add(&b, "SELECT d.id, d.date, q.quote, q.sent_first, q.sent_last, q.speaker,"
                " q.speaker_text, q.speaker_start, q.speaker_end, q.speaker_rule, q.cue_text,"
                " q.cue_start, q.cue_end, q.text, q.text_start, q.text_end"
                " FROM quotes q JOIN documents d ON d.seq = q.doc_seq WHERE 1 = 1");
    if (f->speaker) {
        sql_add(&b, " AND ");
        prefix_range(&b, "q.speaker", f->speaker);
    }
    if (f->from) {
        sql_add(&b, " AND d.date >= ?");
        sql_text_param(&b, f->from);
    }
    if (f->to) {
        sql_add(&b, " AND d.date <= ?");
        sql_text_param(&b, f->to);
    }
    if (f->doc) {
        sql_add(&b, " AND q.doc_seq = (SELECT seq FROM documents WHERE id = ?)");
        sql_text_param(&b, f->doc);
    }
    sql_add(&b, " ORDER BY q.doc_seq, q.quote");
    if (f->limit >= 0 || f->offset > 0) {
        sql_add(&b, " LIMIT ?");
        sql_int_param(&b, f->limit >= 0 ? f->limit : INT64_MAX);
        if (f->offset > 0) {
            sql_add(&b, " OFFSET ?");
            sql_int_param(&b, f->offset);
        }
    }
    quote_cursor *c = calloc(1, sizeof *c);
    if (!c) {
        sql_free(&b);
        snprintf(err, errlen, "out of memory");
        return NULL;
    }
    c->st = sql_prepare(store_db(s), &b, err, errlen);
    sql_free(&b);
    if (!c->st) {
        free(c);
        return NULL;
    }
    return c;
}

int quotes_next(quote_cursor *c, store_quote *q, char *err, size_t errlen)
{
    int rc = db_step(c->st);
    if (rc < 0) {
        snprintf(err, errlen, "reading quotations: %s", db_stmt_errmsg(c->st));
        return -1;
    }
    if (rc == 0)
        return 0;
    db_stmt *st = c->st;
    memset(q, 0, sizeof *q);
    q->doc = db_col_text(st, 0, NULL);
    q->date = db_col_text(st, 1, NULL);
    q->quote = (uint32_t)db_col_int(st, 2);
    q->sent_first = (uint32_t)db_col_int(st, 3);
    q->sent_last = (uint32_t)db_col_int(st, 4);
    q->speaker = db_col_text(st, 5, NULL);
    q->speaker_span = col_span(st, 6);
    q->speaker_rule = db_col_text(st, 9, NULL);
    q->cue = col_span(st, 10);
    q->text = col_span(st, 13);
    return 1;
}

void quotes_close(quote_cursor *c)
{
    if (!c)
        return;
    db_reset(c->st);
    db_finalize(c->st);
    free(c);
}
