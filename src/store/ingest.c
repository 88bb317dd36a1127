/*
 * ingest.c - the ingest pipeline (design in ingest.h).
 *
 * Slots form a ring indexed by two counters under one mutex: next_read (the
 * next slot the main thread fills) and next_write (the oldest slot not yet
 * stored).  A slot goes FREE -> READY (filled, waiting for a worker) ->
 * CODING -> DONE -> (stored by the main thread) -> FREE.  Workers always take
 * the oldest READY slot, so the slot the writer waits for is coded first.
 * With jobs <= 1 there are no threads: one slot is filled, coded and stored
 * in turn.
 */
#include "store/ingest.h"
#include "core/doc.h"
#include "io/reader.h"
#include "store/evjson.h"
#include "store/input.h"

#include <errno.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Bounds on pre-coded event input. */
#define EVENT_MAX_LINE ((size_t)16 << 20)
#define EVENTS_PER_DOC_MAX 1000000

enum { SLOT_FREE, SLOT_READY, SLOT_CODING, SLOT_DONE };

typedef struct slot {
    dyad_doc *doc;
    int state;
    int failed;
    char where[512];    /* "file:line" of the record, for messages */
    char err[256];
} slot;

typedef struct seen_set {
    uint64_t *keys;     /* id hashes, 0 = empty */
    uint64_t *hashes;   /* content hash of the first record with that id */
    size_t cap, n;
} seen_set;

struct ingest {
    store *s;
    ingest_opts o;
    ingest_stats st;
    int in_txn;
    size_t batch_docs, batch_events;
    seen_set seen;
    store_event *evs;
    size_t evcap;
    store_quote *qs;
    size_t qcap;
    /* slots and workers */
    slot *slots;
    size_t nslots;
    uint64_t next_read, next_write;
    pthread_t *threads;
    int nthreads;
    pthread_mutex_t mu;
    pthread_cond_t work, done;
    int quit;
    int sync_ok;        /* mutex and conditions initialised */
    /* progress: bytes of finished inputs + the current input's counter */
    uint64_t bytes_before;
    const uint64_t *cur_raw;
};

static void report(ingest *g, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void report(ingest *g, const char *fmt, ...)
{
    char msg[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    if (g->o.report)
        g->o.report(g->o.report_arg, msg);
}

static void progress(ingest *g)
{
    g->st.bytes_done = g->bytes_before + (g->cur_raw ? *g->cur_raw : 0);
    if (g->o.progress)
        g->o.progress(g->o.progress_arg, &g->st);
}

/* Seen ids ------------------------------------------------------------------- */

static uint64_t id_key(const char *id)
{
    uint64_t k = store_hash_str(store_hash_init(), id);
    return k ? k : 1;
}

/* Looks key up: 1 when it was there (*first = the content hash recorded
 * then), 0 when it was added with hash, -1 out of memory. */
static int seen_add(seen_set *s, uint64_t key, uint64_t hash, uint64_t *first)
{
    if ((s->n + 1) * 2 > s->cap) {
        size_t cap = s->cap ? s->cap * 2 : 1024;
        uint64_t *keys = calloc(cap, sizeof *keys), *hashes = calloc(cap, sizeof *hashes);
        if (!keys || !hashes) {
            free(keys);
            free(hashes);
            return -1;
        }
        for (size_t i = 0; i < s->cap; i++) {
            if (!s->keys[i])
                continue;
            size_t j = (size_t)(s->keys[i] & (cap - 1));
            while (keys[j])
                j = (j + 1) & (cap - 1);
            keys[j] = s->keys[i];
            hashes[j] = s->hashes[i];
        }
        free(s->keys);
        free(s->hashes);
        s->keys = keys;
        s->hashes = hashes;
        s->cap = cap;
    }
    size_t j = (size_t)(key & (s->cap - 1));
    while (s->keys[j]) {
        if (s->keys[j] == key) {
            *first = s->hashes[j];
            return 1;
        }
        j = (j + 1) & (s->cap - 1);
    }
    s->keys[j] = key;
    s->hashes[j] = hash;
    s->n++;
    return 0;
}

/* Batches -------------------------------------------------------------------- */

static int commit_batch(ingest *g, char *err, size_t errlen)
{
    if (!g->in_txn)
        return 0;
    if (store_commit(g->s, err, errlen))
        return -1;
    g->in_txn = 0;
    g->batch_docs = g->batch_events = 0;
    g->st.batches++;
    return 0;
}

/* Stores one document (and its quotations) in the open batch, beginning one
 * when needed. */
static int put(ingest *g, const store_doc *d, const store_event *evs, size_t n,
               const store_quote *qs, size_t nq, char *err, size_t errlen)
{
    if (!g->in_txn) {
        if (store_begin(g->s, err, errlen))
            return -1;
        g->in_txn = 1;
    }
    int state;
    if (store_put_quotes(g->s, d, evs, n, qs, nq, &state, err, errlen))
        return -1;
    if (state == STORE_DOC_SAME) {
        g->st.docs_same++;
        return 0;
    }
    if (state == STORE_DOC_NEW)
        g->st.docs_new++;
    else
        g->st.docs_changed++;
    g->st.events += n;
    g->batch_docs++;
    g->batch_events += n;
    if (g->batch_docs >= g->o.batch_docs || g->batch_events >= g->o.batch_events)
        return commit_batch(g, err, errlen);
    return 0;
}

static int grow_events(ingest *g, size_t n)
{
    if (n <= g->evcap)
        return 0;
    size_t cap = g->evcap ? g->evcap : 64;
    while (cap < n)
        cap *= 2;
    store_event *p = realloc(g->evs, cap * sizeof *p);
    if (!p)
        return -1;
    g->evs = p;
    g->evcap = cap;
    return 0;
}

static int grow_quotes(ingest *g, size_t n)
{
    if (n <= g->qcap)
        return 0;
    size_t cap = g->qcap ? g->qcap : 16;
    while (cap < n)
        cap *= 2;
    store_quote *p = realloc(g->qs, cap * sizeof *p);
    if (!p)
        return -1;
    g->qs = p;
    g->qcap = cap;
    return 0;
}

static store_doc doc_fields(const dyad_doc *doc)
{
    store_doc d = {doc->id, doc->date, doc->source, doc->title, doc->text, doc->len, 0};
    d.hash = store_hash_doc(&d);
    return d;
}

/* Stores a slot whose coding finished (or failed). */
static int write_slot(ingest *g, slot *sl, char *err, size_t errlen)
{
    if (sl->failed) {
        report(g, "%s: %s", sl->where, sl->err);
        g->st.docs_rejected++;
        progress(g);
        return 0;
    }
    size_t n = dyad_doc_nevents(sl->doc), nq = dyad_doc_nquotes(sl->doc);
    if (grow_events(g, n) || grow_quotes(g, nq)) {
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    store_events_from_doc(sl->doc, g->evs, n);
    store_quotes_from_doc(sl->doc, g->qs, nq);
    store_doc d = doc_fields(sl->doc);
    if (put(g, &d, g->evs, n, g->qs, nq, err, errlen))
        return -1;
    progress(g);
    return 0;
}

static void code_slot(const ingest *g, slot *sl)
{
    sl->failed = (g->o.model && dyad_tag_parse(g->o.model, sl->doc, sl->err, sizeof sl->err)) ||
                 dyad_code(g->o.dict, sl->doc, g->o.code_flags, sl->err, sizeof sl->err);
}

/* Workers -------------------------------------------------------------------- */

static void *worker(void *arg)
{
    ingest *g = arg;
    pthread_mutex_lock(&g->mu);
    for (;;) {
        slot *pick = NULL;
        for (uint64_t i = g->next_write; i < g->next_read; i++) {
            slot *sl = &g->slots[i % g->nslots];
            if (sl->state == SLOT_READY) {
                pick = sl;
                break;
            }
        }
        if (pick) {
            pick->state = SLOT_CODING;
            pthread_mutex_unlock(&g->mu);
            code_slot(g, pick);
            pthread_mutex_lock(&g->mu);
            pick->state = SLOT_DONE;
            pthread_cond_broadcast(&g->done);
            continue;
        }
        if (g->quit)
            break;
        pthread_cond_wait(&g->work, &g->mu);
    }
    pthread_mutex_unlock(&g->mu);
    return NULL;
}

/* Stores finished slots in order; with wait_for set, blocks until that slot
 * is free (or, with drain, until every slot is stored).  Called with the
 * mutex held. */
static int write_ready(ingest *g, slot *wait_for, int drain, char *err, size_t errlen)
{
    for (;;) {
        while (g->next_write < g->next_read &&
               g->slots[g->next_write % g->nslots].state == SLOT_DONE) {
            slot *sl = &g->slots[g->next_write % g->nslots];
            pthread_mutex_unlock(&g->mu);
            int rc = write_slot(g, sl, err, errlen);
            pthread_mutex_lock(&g->mu);
            sl->state = SLOT_FREE;
            g->next_write++;
            if (rc)
                return -1;
        }
        if (drain ? g->next_write == g->next_read : (!wait_for || wait_for->state == SLOT_FREE))
            return 0;
        pthread_cond_wait(&g->done, &g->mu);
    }
}

/* Lifecycle ------------------------------------------------------------------ */

ingest *ingest_new(store *s, const ingest_opts *opts, char *err, size_t errlen)
{
    ingest *g = calloc(1, sizeof *g);
    if (!g)
        goto oom;
    g->s = s;
    g->o = *opts;
    /* event groups are small (5 events in the benchmark): 10,000 of them
     * keep a batch under the 50,000-event cap, and fewer commits rewrite
     * fewer index pages (13% less CPU than 1,000 in bench/store.sh) */
    if (!g->o.batch_docs)
        g->o.batch_docs = g->o.events_mode ? 10000 : 1000;
    if (!g->o.batch_events)
        g->o.batch_events = 50000;
    if (g->o.jobs < 1)
        g->o.jobs = 1;
    g->st.bytes_total = opts->bytes_total;
    if (!g->o.events_mode && !g->o.dict) {
        snprintf(err, errlen, "ingest: no dictionary");
        free(g);
        return NULL;
    }
    /* from here on a failure goes through ingest_free(), which ends bulk mode */
    if (g->o.bulk && store_bulk_begin(s, err, errlen) < 0) {
        free(g);
        return NULL;
    }
    if (g->o.events_mode)
        return g;
    g->nslots = g->o.jobs > 1 ? (size_t)g->o.jobs * 4 : 1;
    g->slots = calloc(g->nslots, sizeof *g->slots);
    if (!g->slots)
        goto oom;
    for (size_t i = 0; i < g->nslots; i++)
        if (!(g->slots[i].doc = dyad_doc_new()))
            goto oom;
    if (g->o.jobs > 1) {
        if (pthread_mutex_init(&g->mu, NULL))
            goto oom;
        if (pthread_cond_init(&g->work, NULL)) {
            pthread_mutex_destroy(&g->mu);
            goto oom;
        }
        if (pthread_cond_init(&g->done, NULL)) {
            pthread_cond_destroy(&g->work);
            pthread_mutex_destroy(&g->mu);
            goto oom;
        }
        g->sync_ok = 1;
        g->threads = calloc((size_t)g->o.jobs, sizeof *g->threads);
        if (!g->threads)
            goto oom;
        for (int i = 0; i < g->o.jobs; i++) {
            if (pthread_create(&g->threads[i], NULL, worker, g)) {
                snprintf(err, errlen, "cannot start worker threads: %s", strerror(errno));
                ingest_free(g);
                return NULL;
            }
            g->nthreads++;
        }
    }
    return g;
oom:
    snprintf(err, errlen, "out of memory");
    ingest_free(g);
    return NULL;
}

static void stop_workers(ingest *g)
{
    if (!g->sync_ok)
        return;
    pthread_mutex_lock(&g->mu);
    g->quit = 1;
    pthread_cond_broadcast(&g->work);
    pthread_mutex_unlock(&g->mu);
    for (int i = 0; i < g->nthreads; i++)
        pthread_join(g->threads[i], NULL);
    g->nthreads = 0;
}

void ingest_free(ingest *g)
{
    if (!g)
        return;
    stop_workers(g);
    if (g->in_txn)
        store_rollback(g->s);
    /* a failed load still builds the indexes it left out (best effort: a
     * later ingest would too) */
    if (g->o.bulk)
        store_bulk_end(g->s, NULL, 0);
    if (g->sync_ok) {
        pthread_cond_destroy(&g->done);
        pthread_cond_destroy(&g->work);
        pthread_mutex_destroy(&g->mu);
    }
    free(g->threads);
    for (size_t i = 0; g->slots && i < g->nslots; i++)
        dyad_doc_free(g->slots[i].doc);
    free(g->slots);
    free(g->seen.keys);
    free(g->seen.hashes);
    free(g->evs);
    free(g->qs);
    free(g);
}

const ingest_stats *ingest_get_stats(const ingest *g) { return &g->st; }

int ingest_finish(ingest *g, char *err, size_t errlen)
{
    if (g->sync_ok) {
        pthread_mutex_lock(&g->mu);
        int rc = write_ready(g, NULL, 1, err, errlen);
        pthread_mutex_unlock(&g->mu);
        if (rc)
            return -1;
    }
    if (commit_batch(g, err, errlen))
        return -1;
    return g->o.bulk ? store_bulk_end(g->s, err, errlen) : 0;
}

/* Documents ------------------------------------------------------------------ */

/* Decides what to do with a document just read: 1 code and store it, 0 skip
 * it (already stored unchanged, or a repeated id: reported), -1 fatal. */
static int admit(ingest *g, const dyad_doc *doc, const char *where, char *err, size_t errlen)
{
    store_doc d = doc_fields(doc);
    uint64_t first;
    int again = seen_add(&g->seen, id_key(d.id), d.hash, &first);
    if (again < 0) {
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    if (again) {
        if (first == d.hash) {
            g->st.docs_same++; /* the same record twice: nothing to do */
            return 0;
        }
        report(g, "%s: document id '%.200s' appears again with different content; the first "
                  "one is kept", where, d.id);
        g->st.docs_rejected++;
        return 0;
    }
    int64_t seq;
    int state = store_doc_state(g->s, d.id, d.hash, &seq, err, errlen);
    if (state < 0)
        return -1;
    if (state == STORE_DOC_SAME) {
        g->st.docs_same++;
        return 0;
    }
    return 1;
}

static int ingest_documents(ingest *g, input_stream *in, const char *path, const char *name,
                            char *err, size_t errlen)
{
    int format = g->o.input_format;
    if (format == READ_AUTO)
        format = in->jsonl ? READ_JSONL : READ_TEXT;
    char dbuf[11];
    const char *date = g->o.date;
    if (!date && format == READ_TEXT && input_date_from_path(path, dbuf))
        date = dbuf;
    doc_reader r;
    char rerr[1024];
    /* The reader takes a path; give it "-" with an explicit format (so it does
     * not probe stdin) and hand it our decompressing stream instead. */
    if (reader_open(&r, "-", format, date, rerr, sizeof rerr)) {
        snprintf(err, errlen, "%s", rerr);
        return -1;
    }
    r.f = in->f;
    r.owns_file = 0;
    r.name = name;
    int rc = 0;
    for (;;) {
        slot *sl = &g->slots[g->sync_ok ? g->next_read % g->nslots : 0];
        if (g->sync_ok) {
            pthread_mutex_lock(&g->mu);
            rc = write_ready(g, sl, 0, err, errlen);
            pthread_mutex_unlock(&g->mu);
            if (rc)
                break;
        }
        int got = reader_next(&r, sl->doc, rerr, sizeof rerr);
        if (got == 0)
            break;
        if (got < 0) {
            const char *why = input_error(in);
            if (got == -2 && why)
                report(g, "%s: %s", name, why);
            else
                report(g, "%s", rerr);
            g->st.docs_rejected++;
            if (got == -2)
                break;
            continue;
        }
        g->st.records++;
        snprintf(sl->where, sizeof sl->where, "%s:%ld", name, r.line);
        int a = admit(g, sl->doc, sl->where, err, errlen);
        if (a < 0) {
            rc = -1;
            break;
        }
        if (a == 0) {
            progress(g);
            continue;
        }
        if (!g->sync_ok) {
            code_slot(g, sl);
            if ((rc = write_slot(g, sl, err, errlen)))
                break;
            continue;
        }
        pthread_mutex_lock(&g->mu);
        sl->state = SLOT_READY;
        g->next_read++;
        pthread_cond_signal(&g->work);
        pthread_mutex_unlock(&g->mu);
    }
    r.f = NULL;
    reader_close(&r);
    return rc;
}

/* Pre-coded events ------------------------------------------------------------ */

typedef struct group {
    char *id;           /* document id of the events held */
    long first_line;
    uint64_t hash;
    size_t n, cap;
    store_event *evs;
    char **lines;       /* each event's line, parsed in place: the strings of evs */
} group;

static void group_clear(group *gr)
{
    for (size_t i = 0; i < gr->n; i++)
        free(gr->lines[i]);
    gr->n = 0;
    free(gr->id);
    gr->id = NULL;
}

static int group_flush(ingest *g, group *gr, const char *name, char *err, size_t errlen)
{
    if (!gr->id)
        return 0;
    g->st.records++;
    int rc = 0;
    uint64_t first;
    int again = seen_add(&g->seen, id_key(gr->id), gr->hash, &first);
    if (again < 0) {
        snprintf(err, errlen, "out of memory");
        rc = -1;
    } else if (again && first == gr->hash) {
        g->st.docs_same++; /* the same events twice (e.g. a file given twice) */
    } else if (again) {
        report(g, "%s:%ld: the events of document '%.200s' are not contiguous (it already "
                  "appeared earlier in this input); group each document's events together",
               name, gr->first_line, gr->id);
        g->st.docs_rejected++;
    } else {
        store_doc d = {gr->id, gr->evs[0].date, "", "", NULL, 0, gr->hash};
        rc = put(g, &d, gr->evs, gr->n, NULL, 0, err, errlen);
    }
    group_clear(gr);
    progress(g);
    return rc;
}

/* Reads one line into *buf (bounded).  Length, -1 at end, -2 read error,
 * -3 too long (skipped). */
static long long read_event_line(FILE *f, char **buf, size_t *cap)
{
    size_t n = 0;
    int any = 0, too_long = 0, c;
    /* one reader thread: skip stdio's per-character locking */
    while ((c = getc_unlocked(f)) != EOF) {
        any = 1;
        if (c == '\n')
            break;
        if (too_long)
            continue;
        if (n + 2 > *cap) {
            if (*cap >= EVENT_MAX_LINE) {
                too_long = 1;
                continue;
            }
            size_t nc = *cap ? *cap * 2 : 4096;
            char *b = realloc(*buf, nc);
            if (!b)
                return -2;
            *buf = b;
            *cap = nc;
        }
        (*buf)[n++] = (char)c;
    }
    if (c == EOF && ferror(f))
        return -2;
    if (!any)
        return -1;
    if (too_long)
        return -3;
    (*buf)[n] = '\0';
    return (long long)n;
}

static int ingest_events(ingest *g, input_stream *in, const char *name, char *err,
                         size_t errlen)
{
    group gr = {0};
    char *line = NULL;
    size_t cap = 0;
    long lineno = 0;
    int rc = 0;
    for (;;) {
        long long n = read_event_line(in->f, &line, &cap);
        lineno++;
        if (n == -1)
            break;
        if (n == -2) {
            const char *why = input_error(in);
            report(g, "%s:%ld: %s", name, lineno, why ? why : "read error");
            g->st.docs_rejected++;
            break;
        }
        if (n == -3) {
            report(g, "%s:%ld: line longer than %zu MiB", name, lineno, EVENT_MAX_LINE >> 20);
            g->st.docs_rejected++;
            continue;
        }
        size_t len = (size_t)n;
        if (len && line[len - 1] == '\r')
            line[--len] = '\0';
        if (strspn(line, " \t") == len)
            continue;
        /* the line becomes the event's storage: copy it out of the read buffer */
        char *own = malloc(len + 1);
        if (!own) {
            snprintf(err, errlen, "out of memory");
            rc = -1;
            break;
        }
        memcpy(own, line, len + 1);
        store_event e;
        char why[512];
        if (evjson_parse(own, len, &e, why, sizeof why)) {
            free(own);
            report(g, "%s:%ld: %s", name, lineno, why);
            g->st.docs_rejected++;
            continue;
        }
        /* the hash covers the line as read (own was unescaped in place) */
        uint64_t ln = len;
        uint64_t line_hash = store_hash_add(store_hash_add(0, &ln, sizeof ln), line, len);
        if (gr.id && strcmp(gr.id, e.doc) != 0 && (rc = group_flush(g, &gr, name, err, errlen))) {
            free(own);
            break;
        }
        if (!gr.id) {
            if (!(gr.id = strdup(e.doc))) {
                free(own);
                snprintf(err, errlen, "out of memory");
                rc = -1;
                break;
            }
            gr.first_line = lineno;
            gr.hash = store_hash_init();
        }
        if (gr.n == gr.cap) {
            if (gr.cap >= EVENTS_PER_DOC_MAX) {
                report(g, "%s:%ld: more than %d events for document '%.200s'", name, lineno,
                       EVENTS_PER_DOC_MAX, gr.id);
                free(own);
                g->st.docs_rejected++;
                continue;
            }
            size_t nc = gr.cap ? gr.cap * 2 : 16;
            store_event *ne = realloc(gr.evs, nc * sizeof *ne);
            if (ne)
                gr.evs = ne;
            char **nl = ne ? realloc(gr.lines, nc * sizeof *nl) : NULL;
            if (nl)
                gr.lines = nl;
            if (!ne || !nl) {
                free(own);
                snprintf(err, errlen, "out of memory");
                rc = -1;
                break;
            }
            gr.cap = nc;
        }
        gr.evs[gr.n] = e;
        gr.lines[gr.n] = own;
        gr.n++;
        gr.hash = store_hash_add(gr.hash, &line_hash, sizeof line_hash);
    }
    if (rc == 0)
        rc = group_flush(g, &gr, name, err, errlen);
    group_clear(&gr);
    free(gr.evs);
    free(gr.lines);
    free(line);
    return rc;
}

int ingest_path(ingest *g, const char *path, char *err, size_t errlen)
{
    input_stream in;
    char why[1024];
    if (input_open(&in, path, why, sizeof why)) {
        report(g, "%s", why);
        g->st.docs_rejected++;
        return 0;
    }
    char base[4096];
    const char *name = strcmp(path, "-") == 0 ? "<stdin>" : input_base_name(path, base, sizeof base);
    g->cur_raw = in.raw_bytes;
    int rc = g->o.events_mode ? ingest_events(g, &in, name, err, errlen)
                              : ingest_documents(g, &in, path, name, err, errlen);
    /* the slots still in flight were read from this stream but hold copies */
    g->bytes_before += *in.raw_bytes;
    g->cur_raw = NULL;
    input_close(&in);
    return rc;
}
