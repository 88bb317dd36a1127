/*
 * api.c - the endpoints of `dyad serve` (see serve.h and docs/api.md).
 *
 * Every endpoint is the CLI command of the same name behind HTTP: query
 * parameters are checked by the same functions as the command-line options
 * (query_actor_code, query_dyad, query_quads, query_modalities, date_parse),
 * become the same event_filter, and run through the store's own queries
 * (events_query, series_query, series_alerts, series_dyads, the ingest
 * pipeline).  Output goes through the CLI's writers into a memory stream
 * (open_memstream): events as `dyad code` / `dyad events` write them, series
 * as `dyad series -f json`.  Nothing here assembles SQL from values: the one
 * query of our own (actors) is built from fixed fragments with bound
 * parameters through the store's sql_buf.
 *
 * Trade-offs
 *  - Responses are built in memory, not streamed: simple and lets an error
 *    half-way turn into a clean 500.  Event lists are therefore paged
 *    (limit <= API_MAX_LIMIT, default 100).
 *  - POST /v1/documents writes the body as JSON Lines into an anonymous
 *    memory file and hands its /proc/self/fd path to the ingest pipeline,
 *    so a document is checked, hashed, coded and stored exactly as
 *    `dyad ingest` would (same messages, same idempotency).  Writes are
 *    serialized on one writer handle.
 *  - Unknown or repeated query parameters are refused (400) rather than
 *    ignored: a typo in a filter would otherwise silently widen a query.
 */
#define _GNU_SOURCE /* memfd_create */

#include "serve/serve.h"

#include "core/doc.h"
#include "io/reader.h"
#include "out/writer.h"
#include "series/series.h"
#include "store/db.h"
#include "store/evout.h"
#include "store/ingest.h"
#include "store/query.h"
#include "store/store.h"
#include "text/text.h"

#include <errno.h>
#include <jansson.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#define API_DEFAULT_LIMIT 100
#define API_MAX_LIMIT 10000
#define API_MAX_ACTORS 1000
#define API_MAX_ERRORS 100 /* rejected-document messages kept per ingest request */

static const char JSON_TYPE[] = "application/json; charset=utf-8";

struct api {
    api_opts o;
    char *token;
    /* reader pool */
    pthread_mutex_t mu;
    pthread_cond_t cv;
    store **all, **free;
    size_t n, nfree;
    /* the writer */
    pthread_mutex_t wmu;
    store *writer;
};

/* Output ---------------------------------------------------------------------- */

typedef struct membuf {
    FILE *f;
    char *buf;
    size_t len;
} membuf;

static int out_open(membuf *o)
{
    o->buf = NULL;
    o->len = 0;
    o->f = open_memstream(&o->buf, &o->len);
    return o->f ? 0 : -1;
}

/* Closes the stream and hands its buffer to the response. */
static void out_done(membuf *o, api_response *r, int status)
{
    int bad = ferror(o->f) != 0;
    bad |= fclose(o->f) != 0;
    if (bad) {
        free(o->buf);
        api_error(r, 500, "out of memory");
        return;
    }
    r->status = status;
    r->body = o->buf;
    r->len = o->len;
    r->content_type = JSON_TYPE;
    r->allow = NULL;
}

static void out_abort(membuf *o)
{
    fclose(o->f);
    free(o->buf);
}

void api_error(api_response *out, int status, const char *fmt, ...)
{
    char msg[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    /* a message may quote user input cut at an arbitrary byte: keep it valid UTF-8 */
    size_t n = strlen(msg);
    n = utf8_invalid_at(msg, n);
    out->status = status;
    out->content_type = JSON_TYPE;
    out->allow = NULL;
    out->body = NULL;
    out->len = 0;
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    if (f) {
        fputs("{\"error\":", f);
        write_json_string(f, msg, n);
        fprintf(f, ",\"status\":%d}\n", status);
        int bad = ferror(f) != 0;
        bad |= fclose(f) != 0;
        if (!bad) {
            out->body = buf;
            out->len = len;
            return;
        }
        free(buf);
    }
    static const char OOM[] = "{\"error\":\"out of memory\",\"status\":500}\n";
    out->status = 500;
    out->body = strdup(OOM); /* NULL is answered with an empty body */
    out->len = out->body ? strlen(OOM) : 0;
}

/* Writes the lines of a JSON Lines buffer as the elements of a JSON array
 * (the line breaks of JSON Lines are exactly the record separators: a
 * newline inside a string is escaped). */
static void lines_as_array(FILE *f, const char *buf, size_t len)
{
    putc('[', f);
    int first = 1;
    size_t i = 0;
    while (i < len) {
        const char *nl = memchr(buf + i, '\n', len - i);
        size_t end = nl ? (size_t)(nl - buf) : len;
        if (end > i) {
            if (!first)
                putc(',', f);
            fwrite(buf + i, 1, end - i, f);
            first = 0;
        }
        i = end + 1;
    }
    putc(']', f);
}

/* Parameters -------------------------------------------------------------------- */

static const char *param(const api_request *r, const char *key)
{
    for (size_t i = 0; i < r->nparams; i++)
        if (strcmp(r->params[i].key, key) == 0)
            return r->params[i].value ? r->params[i].value : "";
    return NULL;
}

/* Refuses unknown and repeated parameters and values that are not UTF-8.
 * allowed is NULL-terminated.  0 or -1 (out set). */
static int check_params(const api_request *r, const char *const *allowed, api_response *out)
{
    for (size_t i = 0; i < r->nparams; i++) {
        const char *k = r->params[i].key, *v = r->params[i].value ? r->params[i].value : "";
        if (utf8_invalid_at(k, strlen(k)) != strlen(k) || utf8_invalid_at(v, strlen(v)) != strlen(v)) {
            api_error(out, 400, "query parameters must be UTF-8 text");
            return -1;
        }
        int known = 0;
        for (const char *const *a = allowed; *a; a++)
            known |= strcmp(*a, k) == 0;
        if (!known) {
            char list[512] = "";
            for (const char *const *a = allowed; *a; a++) {
                size_t l = strlen(list);
                snprintf(list + l, sizeof list - l, "%s%s", l ? ", " : "", *a);
            }
            api_error(out, 400, "unknown parameter '%.64s' (this endpoint takes: %s)", k,
                      *list ? list : "none");
            return -1;
        }
        for (size_t j = 0; j < i; j++)
            if (strcmp(r->params[j].key, k) == 0) {
                api_error(out, 400, "parameter '%.64s' is given twice", k);
                return -1;
            }
    }
    return 0;
}

/* A boolean parameter: absent 0; "", 1, true, yes 1; 0, false, no 0; else -1. */
static int bool_param(const api_request *r, const char *key, int *v, api_response *out)
{
    const char *s = param(r, key);
    *v = 0;
    if (!s)
        return 0;
    if (!*s || !strcmp(s, "1") || !strcmp(s, "true") || !strcmp(s, "yes")) {
        *v = 1;
        return 0;
    }
    if (!strcmp(s, "0") || !strcmp(s, "false") || !strcmp(s, "no"))
        return 0;
    api_error(out, 400, "%s='%.40s': expected true or false", key, s);
    return -1;
}

static int long_param(const api_request *r, const char *key, long lo, long hi, long *v,
                      api_response *out)
{
    const char *s = param(r, key);
    if (!s)
        return 0;
    char *end;
    errno = 0;
    long x = strtol(s, &end, 10);
    if (!*s || *end || errno || x < lo || x > hi) {
        api_error(out, 400, "%s='%.40s': expected a whole number %ld..%ld", key, s, lo, hi);
        return -1;
    }
    *v = x;
    return 0;
}

static int date_param(const api_request *r, const char *key, const char **v, api_response *out)
{
    const char *s = param(r, key);
    if (!s)
        return 0;
    if (strlen(s) != 10 || !date_parse(s, 10)) {
        api_error(out, 400, "%s='%.40s' is not a valid YYYY-MM-DD date", key, s);
        return -1;
    }
    *v = s;
    return 0;
}

/* Room for the checked actor codes a filter points to. */
typedef struct filter_codes {
    char actor[ACTOR_MAX + 1], a[ACTOR_MAX + 1], b[ACTOR_MAX + 1];
} filter_codes;

/* The filters shared by events, series and alerts, checked as the CLI
 * checks its options.  Only parameters the endpoint allows can be present
 * (check_params ran first).  0 or -1 (out set). */
static int parse_filter(const api_request *r, event_filter *f, filter_codes *fc,
                        api_response *out)
{
    const char *s;
    if ((s = param(r, "actor"))) {
        if (query_actor_code(s, fc->actor)) {
            api_error(out, 400, "actor='%.80s': expected a CAMEO actor code (letters, digits, -)", s);
            return -1;
        }
        f->actor = fc->actor;
    }
    if ((s = param(r, "dyad"))) {
        if (query_dyad(s, fc->a, fc->b)) {
            api_error(out, 400, "dyad='%.140s': expected two actor codes A,B (e.g. USA,MEX)", s);
            return -1;
        }
        f->dyad_a = fc->a;
        f->dyad_b = fc->b;
    }
    if (bool_param(r, "directed", &f->directed, out))
        return -1;
    if (f->directed && !f->dyad_a) {
        api_error(out, 400, "directed needs dyad=A,B");
        return -1;
    }
    if ((s = param(r, "code"))) {
        size_t n = strlen(s);
        if (n < 2 || n > 4 || strspn(s, "0123456789") != n) {
            api_error(out, 400, "code='%.40s': expected a CAMEO code of 2 to 4 digits", s);
            return -1;
        }
        f->code = s;
    }
    if ((s = param(r, "root"))) {
        if (strlen(s) != 2 || strspn(s, "0123456789") != 2) {
            api_error(out, 400, "root='%.40s': expected two digits, e.g. 14", s);
            return -1;
        }
        f->root = s;
    }
    if ((s = param(r, "quad")) && query_quads(s, &f->quads)) {
        api_error(out, 400, "quad='%.40s': expected quad classes 1-4, e.g. 3,4", s);
        return -1;
    }
    if (date_param(r, "from", &f->from, out) || date_param(r, "to", &f->to, out))
        return -1;
    if (f->from && f->to && strcmp(f->from, f->to) > 0) {
        api_error(out, 400, "from=%s is after to=%s", f->from, f->to);
        return -1;
    }
    if ((s = param(r, "modality")) && query_modalities(s, &f->modalities)) {
        api_error(out, 400, "modality='%.80s': expected asserted, reported, intended, "
                            "hypothetical or negated (comma-separated)", s);
        return -1;
    }
    if ((s = param(r, "text"))) {
        if (!*s || strlen(s) > 1000) {
            api_error(out, 400, "text: 1 to 1000 bytes");
            return -1;
        }
        f->text = s;
    }
    if ((s = param(r, "doc")))
        f->doc = s;
    return 0;
}

/* The store pool ---------------------------------------------------------------- */

static store *borrow(api *a)
{
    pthread_mutex_lock(&a->mu);
    while (a->nfree == 0)
        pthread_cond_wait(&a->cv, &a->mu);
    store *s = a->free[--a->nfree];
    pthread_mutex_unlock(&a->mu);
    return s;
}

static void give_back(api *a, store *s)
{
    pthread_mutex_lock(&a->mu);
    a->free[a->nfree++] = s;
    pthread_cond_signal(&a->cv);
    pthread_mutex_unlock(&a->mu);
}

api *api_new(const api_opts *o, char *err, size_t errlen)
{
    api *a = calloc(1, sizeof *a);
    if (!a) {
        snprintf(err, errlen, "out of memory");
        return NULL;
    }
    a->o = *o;
    if (a->o.readers < 1)
        a->o.readers = 1;
    size_t n = (size_t)a->o.readers;
    if (pthread_mutex_init(&a->mu, NULL)) {
        free(a);
        snprintf(err, errlen, "cannot create a mutex");
        return NULL;
    }
    if (pthread_cond_init(&a->cv, NULL)) {
        pthread_mutex_destroy(&a->mu);
        free(a);
        snprintf(err, errlen, "cannot create a condition variable");
        return NULL;
    }
    if (pthread_mutex_init(&a->wmu, NULL)) {
        pthread_cond_destroy(&a->cv);
        pthread_mutex_destroy(&a->mu);
        free(a);
        snprintf(err, errlen, "cannot create a mutex");
        return NULL;
    }
    a->all = calloc(n, sizeof *a->all);
    a->free = calloc(n, sizeof *a->free);
    if (o->token && !(a->token = strdup(o->token)))
        goto oom;
    if (!a->all || !a->free)
        goto oom;
    /* the writer first: it creates and migrates a new store */
    if (!(a->writer = store_open(o->db, err, errlen)))
        goto fail;
    for (size_t i = 0; i < n; i++) {
        if (!(a->all[i] = store_open(o->db, err, errlen)))
            goto fail;
        a->n++;
        a->free[a->nfree++] = a->all[i];
    }
    a->o.token = a->token;
    return a;
oom:
    snprintf(err, errlen, "out of memory");
fail:
    api_free(a);
    return NULL;
}

void api_free(api *a)
{
    if (!a)
        return;
    for (size_t i = 0; i < a->n; i++)
        store_close(a->all[i]);
    if (a->writer)
        store_close(a->writer);
    free(a->all);
    free(a->free);
    if (a->token) {
        memset(a->token, 0, strlen(a->token));
        free(a->token);
    }
    pthread_mutex_destroy(&a->wmu);
    pthread_cond_destroy(&a->cv);
    pthread_mutex_destroy(&a->mu);
    free(a);
}

/* GET /healthz ------------------------------------------------------------------- */

static void h_health(api *a, const api_request *r, api_response *res)
{
    static const char *const allowed[] = {NULL};
    if (check_params(r, allowed, res))
        return;
    membuf o;
    if (out_open(&o)) {
        api_error(res, 500, "out of memory");
        return;
    }
    fprintf(o.f, "{\"status\":\"ok\",\"version\":\"%s\",\"parse\":%s,\"writes\":%s}\n",
            DYAD_VERSION, a->o.model ? "true" : "false", a->token ? "true" : "false");
    out_done(&o, res, 200);
}

/* POST /v1/code -------------------------------------------------------------------- */

/* The publication date: the document's, else ?date=, else today (UTC). */
static int today(char buf[11])
{
    time_t t = time(NULL);
    struct tm tm;
    if (!gmtime_r(&t, &tm))
        return -1;
    return strftime(buf, 11, "%Y-%m-%d", &tm) == 10 ? 0 : -1;
}

/* An ISO date or date-time cut to its date (as the document reader does);
 * 0 or -1. */
static int doc_date(const char *s, char out[11])
{
    size_t n = strlen(s);
    if (n > 10 && (s[10] == 'T' || s[10] == ' '))
        n = 10;
    if (n != 10 || !date_parse(s, 10))
        return -1;
    memcpy(out, s, 10);
    out[10] = '\0';
    return 0;
}

static int is_json_body(const api_request *r)
{
    const char *ct = r->content_type;
    if (ct && strncmp(ct, "application/json", 16) == 0)
        return 1;
    if (ct && (strncmp(ct, "text/plain", 10) == 0))
        return 0;
    /* no or another type: sniff, as `dyad code` does on standard input */
    size_t i = strspn(r->body, " \t\r\n");
    return i < r->body_len && r->body[i] == '{';
}

static const char *json_str(json_t *o, const char *key, int *bad)
{
    json_t *v = json_object_get(o, key);
    if (!v || json_is_null(v))
        return NULL;
    if (!json_is_string(v)) {
        *bad = 1;
        return NULL;
    }
    return json_string_value(v);
}

/* The events (or quotations) of a coded document as a JSON array, written
 * by the CLI's writer.  0 or -1 (out of memory). */
static int doc_array(FILE *dst, const dyad_doc *doc, int quotes)
{
    membuf l;
    if (out_open(&l))
        return -1;
    if (quotes)
        write_quotes(l.f, doc);
    else
        write_events(l.f, OUT_JSONL, doc);
    int bad = ferror(l.f) != 0;
    bad |= fclose(l.f) != 0;
    if (!bad)
        lines_as_array(dst, l.buf, l.len);
    free(l.buf);
    return bad ? -1 : 0;
}

static void h_code(api *a, const api_request *r, api_response *res)
{
    static const char *const allowed[] = {"date", "id", "all_modalities", NULL};
    if (check_params(r, allowed, res))
        return;
    int all = 0;
    if (bool_param(r, "all_modalities", &all, res))
        return;
    char date[11];
    const char *qd = param(r, "date");
    if (qd && doc_date(qd, date)) {
        api_error(res, 400, "date='%.40s' is not a valid YYYY-MM-DD date", qd);
        return;
    }
    if (!qd && today(date)) {
        api_error(res, 500, "cannot read the clock");
        return;
    }
    if (r->body_len == 0) {
        api_error(res, 400, "empty body: send the text (text/plain) or a JSON document "
                            "{\"text\": ..., \"date\": ...}");
        return;
    }
    const char *id = param(r, "id") ? param(r, "id") : "request";
    const char *source = "", *title = "", *text = r->body;
    size_t tlen = r->body_len;
    json_t *root = NULL;
    if (is_json_body(r)) {
        json_error_t je;
        root = json_loadb(r->body, r->body_len, JSON_REJECT_DUPLICATES, &je);
        if (!root) {
            api_error(res, 400, "invalid JSON at line %d, column %d: %s", je.line, je.column,
                      je.text);
            return;
        }
        if (!json_is_object(root)) {
            json_decref(root);
            api_error(res, 400, "expected a JSON object {\"text\": ..., \"date\": ...}");
            return;
        }
        int bad = 0;
        json_t *t = json_object_get(root, "text");
        const char *jid = json_str(root, "id", &bad), *jdate = json_str(root, "date", &bad);
        const char *jsrc = json_str(root, "source", &bad), *jtitle = json_str(root, "title", &bad);
        if (!t || !json_is_string(t) || bad) {
            json_decref(root);
            api_error(res, 400, "field \"text\" is required and \"text\", \"id\", \"date\", "
                                "\"source\", \"title\" must be strings");
            return;
        }
        if (jdate && doc_date(jdate, date)) {
            api_error(res, 400, "field \"date\" is \"%.40s\", expected YYYY-MM-DD", jdate);
            json_decref(root);
            return;
        }
        text = json_string_value(t);
        tlen = json_string_length(t);
        id = jid ? jid : id;
        source = jsrc ? jsrc : "";
        title = jtitle ? jtitle : "";
    } else {
        size_t bad = utf8_invalid_at(r->body, r->body_len);
        if (bad != r->body_len) {
            api_error(res, 400, "the text is not valid UTF-8 (byte %zu)", bad);
            return;
        }
    }
    char err[512];
    dyad_doc *doc = dyad_doc_new();
    if (!doc) {
        json_decref(root);
        api_error(res, 500, "out of memory");
        return;
    }
    if (dyad_doc_set(doc, id, date, source, title, text, tlen, err, sizeof err)) {
        api_error(res, 400, "%s", err);
    } else if ((a->o.model && dyad_tag_parse(a->o.model, doc, err, sizeof err)) ||
               dyad_code(a->o.dict, doc, all ? DYAD_ALL_MODALITIES : 0, err, sizeof err)) {
        api_error(res, 422, "the document could not be coded: %s", err);
    } else {
        membuf o;
        if (out_open(&o)) {
            api_error(res, 500, "out of memory");
        } else {
            fputs("{\"id\":", o.f);
            write_json_string(o.f, id, strlen(id));
            fprintf(o.f, ",\"date\":\"%s\",\"parsed\":%s,\"sentences\":%zu,\"events\":", date,
                    a->o.model ? "true" : "false", dyad_doc_nsentences(doc));
            int bad = doc_array(o.f, doc, 0);
            fputs(",\"quotes\":", o.f);
            bad |= doc_array(o.f, doc, 1);
            fputs("}\n", o.f);
            if (bad) {
                out_abort(&o);
                api_error(res, 500, "out of memory");
            } else {
                out_done(&o, res, 200);
            }
        }
    }
    dyad_doc_free(doc);
    json_decref(root);
}

/* POST /v1/documents ------------------------------------------------------------- */

/* Constant-time comparison of the Authorization header with "Bearer TOKEN". */
static int authorized(const api *a, const api_request *r)
{
    const char *h = r->authorization;
    if (!h || strncmp(h, "Bearer ", 7) != 0)
        return 0;
    h += 7;
    size_t n = strlen(h), m = strlen(a->token);
    unsigned char diff = (unsigned char)(n != m);
    for (size_t i = 0; i < m; i++)
        diff |= (unsigned char)(a->token[i] ^ (i < n ? h[i] : 0));
    return diff == 0;
}

typedef struct ingest_report {
    json_t *errors;
    const char *name;  /* the memory file's name, replaced by "document" */
    size_t dropped;
} ingest_report;

static void on_reject(void *arg, const char *msg)
{
    ingest_report *ir = arg;
    if (json_array_size(ir->errors) >= API_MAX_ERRORS) {
        ir->dropped++;
        return;
    }
    char buf[1100];
    size_t nl = strlen(ir->name);
    if (strncmp(msg, ir->name, nl) == 0 && msg[nl] == ':')
        snprintf(buf, sizeof buf, "document %s", msg + nl + 1);
    else
        snprintf(buf, sizeof buf, "%s", msg);
    size_t n = utf8_invalid_at(buf, strlen(buf));
    json_array_append_new(ir->errors, json_stringn(buf, n));
}

/* Writes the documents of the body as JSON Lines to f: a JSON object (one
 * document), an array of documents, or JSON Lines.  0, or -1 with the 400
 * response set. */
static int body_to_jsonl(const api_request *r, FILE *f, size_t *ndocs, api_response *res)
{
    json_error_t je;
    *ndocs = 0;
    json_t *root = json_loadb(r->body, r->body_len, JSON_REJECT_DUPLICATES, &je);
    if (root) {
        int rc = 0;
        if (json_is_array(root)) {
            size_t i;
            json_t *v;
            json_array_foreach(root, i, v) {
                rc |= json_dumpf(v, f, JSON_COMPACT | JSON_ENCODE_ANY);
                putc('\n', f);
                (*ndocs)++;
            }
        } else {
            rc |= json_dumpf(root, f, JSON_COMPACT | JSON_ENCODE_ANY);
            putc('\n', f);
            (*ndocs)++;
        }
        json_decref(root);
        if (rc) {
            api_error(res, 500, "out of memory");
            return -1;
        }
        return 0;
    }
    /* JSON Lines: every non-blank line must be JSON; the documents themselves
     * are checked by the reader as `dyad ingest` checks them */
    const char *p = r->body, *end = r->body + r->body_len;
    long line = 0;
    while (p < end) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        const char *e = nl ? nl : end;
        line++;
        size_t len = (size_t)(e - p);
        if (strspn(p, " \t\r") < len) {
            json_t *v = json_loadb(p, len, JSON_REJECT_DUPLICATES, &je);
            if (!v) {
                api_error(res, 400, "invalid JSON at line %ld, column %d: %s", line, je.column,
                          je.text);
                return -1;
            }
            int rc = json_dumpf(v, f, JSON_COMPACT | JSON_ENCODE_ANY);
            json_decref(v);
            if (rc) {
                api_error(res, 500, "out of memory");
                return -1;
            }
            putc('\n', f);
            (*ndocs)++;
        }
        p = e + 1;
    }
    if (*ndocs == 0) {
        api_error(res, 400, "empty body: send a JSON document, an array of documents or JSON Lines");
        return -1;
    }
    return 0;
}

static void h_documents(api *a, const api_request *r, api_response *res)
{
    static const char *const allowed[] = {"date", "all_modalities", NULL};
    if (!a->token) {
        api_error(res, 403, "writes are disabled: start dyad serve with --token-file FILE or "
                            "DYAD_TOKEN set");
        return;
    }
    if (!authorized(a, r)) {
        api_error(res, 401, "missing or wrong bearer token (Authorization: Bearer TOKEN)");
        return;
    }
    if (check_params(r, allowed, res))
        return;
    int all = 0;
    const char *date = NULL;
    if (bool_param(r, "all_modalities", &all, res) || date_param(r, "date", &date, res))
        return;
    if (r->body_len == 0) {
        api_error(res, 400, "empty body: send a JSON document, an array of documents or JSON Lines");
        return;
    }
    int fd = memfd_create("dyad-documents", MFD_CLOEXEC);
    if (fd < 0) {
        api_error(res, 500, "cannot create a memory file: %s", strerror(errno));
        return;
    }
    FILE *f = fdopen(fd, "w");
    if (!f) {
        close(fd);
        api_error(res, 500, "out of memory");
        return;
    }
    size_t ndocs;
    if (body_to_jsonl(r, f, &ndocs, res)) {
        fclose(f);
        return;
    }
    if (fflush(f) != 0 || ferror(f)) {
        fclose(f);
        api_error(res, 500, "cannot write the memory file");
        return;
    }
    /* the path has no .jsonl suffix: the reader is told the format */
    char path[64];
    snprintf(path, sizeof path, "/proc/self/fd/%d", fd);
    ingest_report ir = {json_array(), path, 0};
    if (!ir.errors) {
        fclose(f);
        api_error(res, 500, "out of memory");
        return;
    }
    ingest_opts io = {0};
    io.dict = a->o.dict;
    io.model = a->o.model;
    io.code_flags = all ? DYAD_ALL_MODALITIES : 0;
    io.jobs = 1;
    io.date = date;
    io.input_format = READ_JSONL;
    io.report = on_reject;
    io.report_arg = &ir;
    char err[1024];
    ingest_stats st = {0};
    int failed = 0;
    pthread_mutex_lock(&a->wmu);
    ingest *g = ingest_new(a->writer, &io, err, sizeof err);
    if (!g) {
        failed = 1;
    } else {
        failed = ingest_path(g, path, err, sizeof err) || ingest_finish(g, err, sizeof err);
        st = *ingest_get_stats(g);
        ingest_free(g);
    }
    pthread_mutex_unlock(&a->wmu);
    fclose(f);
    if (failed) {
        json_decref(ir.errors);
        api_error(res, 500, "ingest failed: %s", err);
        return;
    }
    membuf o;
    if (out_open(&o)) {
        json_decref(ir.errors);
        api_error(res, 500, "out of memory");
        return;
    }
    fprintf(o.f, "{\"documents\":%zu,\"new\":%llu,\"changed\":%llu,\"unchanged\":%llu,"
                 "\"rejected\":%llu,\"events\":%llu,\"errors\":",
            ndocs, (unsigned long long)st.docs_new, (unsigned long long)st.docs_changed,
            (unsigned long long)st.docs_same, (unsigned long long)st.docs_rejected,
            (unsigned long long)st.events);
    if (json_dumpf(ir.errors, o.f, JSON_COMPACT))
        fputs("[]", o.f);
    if (ir.dropped)
        fprintf(o.f, ",\"errors_not_listed\":%zu", ir.dropped);
    fputs("}\n", o.f);
    json_decref(ir.errors);
    /* 200: all stored (or already there); 422: some documents were rejected */
    out_done(&o, res, st.docs_rejected ? 422 : 200);
}

/* GET /v1/events ------------------------------------------------------------------ */

static void h_events(api *a, const api_request *r, api_response *res)
{
    static const char *const allowed[] = {"actor", "dyad", "directed", "code", "root",
                                          "quad",  "from", "to",       "modality", "text",
                                          "doc",   "limit", "offset",  NULL};
    if (check_params(r, allowed, res))
        return;
    event_filter f = {0};
    filter_codes fc;
    long limit = API_DEFAULT_LIMIT, offset = 0;
    if (parse_filter(r, &f, &fc, res) ||
        long_param(r, "limit", 0, API_MAX_LIMIT, &limit, res) ||
        long_param(r, "offset", 0, 2000000000L, &offset, res))
        return;
    /* one more than asked tells whether there is a next page */
    f.limit = limit + 1;
    f.offset = offset;
    membuf o;
    if (out_open(&o)) {
        api_error(res, 500, "out of memory");
        return;
    }
    char err[1024];
    store *s = borrow(a);
    event_cursor *c = events_query(s, &f, err, sizeof err);
    int got = -1;
    long n = 0;
    if (c) {
        fputs("{\"events\":[", o.f);
        store_event e;
        while ((got = events_next(c, &e, err, sizeof err)) == 1) {
            if (n == limit) {
                n++;
                break;
            }
            if (n++)
                putc(',', o.f);
            evout_json(o.f, &e);
        }
        events_close(c);
    }
    give_back(a, s);
    if (got < 0) {
        out_abort(&o);
        api_error(res, 500, "%s", err);
        return;
    }
    int more = n > limit;
    fprintf(o.f, "],\"count\":%ld,\"limit\":%ld,\"offset\":%ld,\"next_offset\":", more ? limit : n,
            limit, offset);
    if (more)
        fprintf(o.f, "%ld}\n", offset + limit);
    else
        fputs("null}\n", o.f);
    out_done(&o, res, 200);
}

/* GET /v1/series ------------------------------------------------------------------ */

static int parse_by(const api_request *r, int *by, api_response *res)
{
    const char *s = param(r, "by");
    if (s && (*by = series_parse_by(s)) < 0) {
        api_error(res, 400, "by='%.40s': expected day, week or month", s);
        return -1;
    }
    return 0;
}

static void h_series(api *a, const api_request *r, api_response *res)
{
    static const char *const allowed[] = {"dyad", "directed", "actor", "by",
                                          "from", "to",       "modality", NULL};
    if (check_params(r, allowed, res))
        return;
    event_filter f = {0};
    f.limit = -1;
    f.modalities = 1u << DYAD_ASSERTED | 1u << DYAD_REPORTED;
    filter_codes fc;
    int by = BY_MONTH;
    if (parse_filter(r, &f, &fc, res) || parse_by(r, &by, res))
        return;
    char err[1024];
    series ser;
    store *s = borrow(a);
    int rc = series_query(s, &f, by, &ser, err, sizeof err);
    give_back(a, s);
    if (rc) {
        /* a span of more than SERIES_MAX_PERIODS is the caller's doing */
        api_error(res, strstr(err, "periods") ? 400 : 500, "%s", err);
        return;
    }
    char label[2 * ACTOR_MAX + 2];
    if (f.dyad_a)
        snprintf(label, sizeof label, "%s,%s", f.dyad_a, f.dyad_b);
    else
        snprintf(label, sizeof label, "%s", f.actor ? f.actor : "");
    membuf o;
    if (out_open(&o)) {
        series_free(&ser);
        api_error(res, 500, "out of memory");
        return;
    }
    series_write_json(o.f, &ser, *label ? label : NULL, f.directed);
    series_free(&ser);
    out_done(&o, res, 200);
}

/* GET /v1/alerts ------------------------------------------------------------------ */

typedef struct alert_params {
    int by, window;
    double k;
    long min_events, max_events;
} alert_params;

/* The alerts of one dyad as JSON objects (the fields of `dyad alerts -f
 * jsonl`); *count is incremented per alert.  0 or -1 with err set. */
static int alerts_for(store *s, FILE *f, event_filter flt, const alert_params *p, long *count,
                      char *err, size_t errlen)
{
    series ser;
    if (series_query(s, &flt, p->by, &ser, err, errlen))
        return -1;
    alert *al;
    size_t n;
    if (series_alerts(&ser, p->window, p->k, p->min_events, &al, &n)) {
        series_free(&ser);
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    int rc = 0;
    for (size_t i = 0; i < n && rc == 0; i++) {
        const series_point *pt = &ser.points[al[i].index];
        if ((*count)++)
            putc(',', f);
        fprintf(f, "{\"dyad\":\"%s,%s\",\"directed\":%s,\"by\":\"%s\",\"period\":\"%s\","
                   "\"first\":\"%s\",\"last\":\"%s\",\"events\":%lld,"
                   "\"goldstein_mean\":%.3f,\"baseline_mean\":%.3f,\"baseline_sd\":%.3f,"
                   "\"z_mean\":%.2f,\"conflict_share\":%.3f,\"baseline_share\":%.3f,"
                   "\"baseline_share_sd\":%.3f,\"z_share\":%.2f,\"by_mean\":%s,\"by_share\":%s,"
                   "\"event_list\":[",
                flt.dyad_a, flt.dyad_b, flt.directed ? "true" : "false", series_by_name(ser.by),
                pt->period, pt->first, pt->last, (long long)pt->events, al[i].mean,
                al[i].base_mean, al[i].base_sd, al[i].z_mean, al[i].share, al[i].base_share,
                al[i].share_sd, al[i].z_share, al[i].by_mean ? "true" : "false",
                al[i].by_share ? "true" : "false");
        event_filter ef = flt;
        ef.from = pt->first;
        ef.to = pt->last;
        ef.limit = p->max_events;
        event_cursor *c = events_query(s, &ef, err, errlen);
        if (!c) {
            rc = -1;
            break;
        }
        store_event e;
        int got, k = 0;
        while ((got = events_next(c, &e, err, errlen)) == 1) {
            if (k++)
                putc(',', f);
            evout_json(f, &e);
        }
        events_close(c);
        fputs("]}", f);
        if (got < 0)
            rc = -1;
    }
    free(al);
    series_free(&ser);
    return rc;
}

static void h_alerts(api *a, const api_request *r, api_response *res)
{
    static const char *const allowed[] = {"dyad",       "directed",   "by",         "k",
                                          "window",     "min_events", "min_dyad",   "max_events",
                                          "from",       "to",         "modality",   NULL};
    if (check_params(r, allowed, res))
        return;
    event_filter f = {0};
    f.limit = -1;
    f.modalities = 1u << DYAD_ASSERTED | 1u << DYAD_REPORTED;
    filter_codes fc;
    alert_params p = {BY_WEEK, 8, 2.0, 3, 20};
    long window = 8, min_dyad = 20;
    if (parse_filter(r, &f, &fc, res) || parse_by(r, &p.by, res) ||
        long_param(r, "window", 2, 1000000, &window, res) ||
        long_param(r, "min_events", 1, 1000000, &p.min_events, res) ||
        long_param(r, "min_dyad", 1, 1000000, &min_dyad, res) ||
        long_param(r, "max_events", 0, 1000, &p.max_events, res))
        return;
    p.window = (int)window;
    const char *ks = param(r, "k");
    if (ks) {
        char *end;
        p.k = strtod(ks, &end);
        if (!*ks || *end || !(p.k > 0 && p.k <= 100)) {
            api_error(res, 400, "k='%.40s': expected a number of standard deviations in (0, 100]",
                      ks);
            return;
        }
    }
    membuf o;
    if (out_open(&o)) {
        api_error(res, 500, "out of memory");
        return;
    }
    char err[1024];
    long count = 0;
    int rc = 0;
    fputs("{\"alerts\":[", o.f);
    store *s = borrow(a);
    if (f.dyad_a) {
        rc = alerts_for(s, o.f, f, &p, &count, err, sizeof err);
    } else {
        dyad_pair *pairs;
        size_t n;
        if (series_dyads(s, &f, min_dyad, &pairs, &n, err, sizeof err)) {
            rc = -1;
        } else {
            for (size_t i = 0; i < n && rc == 0; i++) {
                event_filter one = f;
                one.dyad_a = pairs[i].a;
                one.dyad_b = pairs[i].b;
                rc = alerts_for(s, o.f, one, &p, &count, err, sizeof err);
            }
            free(pairs);
        }
    }
    give_back(a, s);
    if (rc) {
        out_abort(&o);
        api_error(res, 500, "%s", err);
        return;
    }
    fprintf(o.f, "],\"count\":%ld}\n", count);
    out_done(&o, res, 200);
}

/* GET /v1/actors --------------------------------------------------------------------- */

/* "A code column has prefix P", answered from the (src3, tgt3, ...) indexes:
 * the country column narrows the seek, the full column filters inside it. */
static void prefix_cond(sql_buf *b, const char *col3, const char *col, const char *p)
{
    char hi[ACTOR_MAX + 1];
    size_t n = strlen(p);
    memcpy(hi, p, n + 1);
    hi[n - 1]++; /* codes are [A-Z0-9-]: the successor is a plain byte */
    if (n >= 3) {
        char c3[4] = {p[0], p[1], p[2], 0};
        sql_add(b, " AND ");
        sql_add(b, col3);
        sql_add(b, " = ?");
        sql_text_param(b, c3);
    } else {
        sql_add(b, " AND ");
        sql_add(b, col3);
        sql_add(b, " >= ?");
        sql_text_param(b, p);
        sql_add(b, " AND ");
        sql_add(b, col3);
        sql_add(b, " < ?");
        sql_text_param(b, hi);
    }
    sql_add(b, " AND ");
    sql_add(b, col);
    sql_add(b, " >= ? AND ");
    sql_add(b, col);
    sql_add(b, " < ?");
    sql_text_param(b, p);
    sql_text_param(b, hi);
}

static void h_actors(api *a, const api_request *r, api_response *res)
{
    static const char *const allowed[] = {"q", "limit", NULL};
    if (check_params(r, allowed, res))
        return;
    const char *q = param(r, "q");
    char code[ACTOR_MAX + 1] = "";
    if (q && *q && query_actor_code(q, code)) {
        api_error(res, 400, "q='%.80s': expected the start of a CAMEO actor code (letters, "
                            "digits, -)", q);
        return;
    }
    long limit = 20;
    if (long_param(r, "limit", 1, API_MAX_ACTORS, &limit, res))
        return;
    sql_buf b = {0};
    sql_add(&b, "SELECT code, sum(n) AS events, min(f), max(l) FROM ("
                "SELECT source AS code, count(*) AS n, min(event_date) AS f,"
                " max(event_date) AS l FROM events WHERE source <> ''");
    if (*code)
        prefix_cond(&b, "src3", "source", code);
    sql_add(&b, " GROUP BY source UNION ALL "
                "SELECT target, count(*), min(event_date), max(event_date) FROM events"
                " WHERE target <> ''");
    if (*code)
        prefix_cond(&b, "tgt3", "target", code);
    sql_add(&b, " GROUP BY target) AS u GROUP BY code ORDER BY events DESC, code LIMIT ?");
    sql_int_param(&b, limit);
    membuf o;
    if (out_open(&o)) {
        sql_free(&b);
        api_error(res, 500, "out of memory");
        return;
    }
    char err[1024];
    store *s = borrow(a);
    db_stmt *st = sql_prepare(store_db(s), &b, err, sizeof err);
    sql_free(&b);
    int got = -1;
    long n = 0;
    if (st) {
        fputs("{\"actors\":[", o.f);
        while ((got = db_step(st)) == 1) {
            size_t len;
            const char *c = db_col_text(st, 0, &len);
            fprintf(o.f, "%s{\"code\":", n++ ? "," : "");
            write_json_string(o.f, c, len);
            fprintf(o.f, ",\"events\":%lld,\"first\":", (long long)db_col_int(st, 1));
            c = db_col_text(st, 2, &len);
            write_json_string(o.f, c, len);
            fputs(",\"last\":", o.f);
            c = db_col_text(st, 3, &len);
            write_json_string(o.f, c, len);
            putc('}', o.f);
        }
        if (got < 0)
            snprintf(err, sizeof err, "%s", db_stmt_errmsg(st));
        db_finalize(st);
    }
    give_back(a, s);
    if (got < 0) {
        out_abort(&o);
        api_error(res, 500, "%s", err);
        return;
    }
    fprintf(o.f, "],\"count\":%ld}\n", n);
    out_done(&o, res, 200);
}

/* Routing -------------------------------------------------------------------------- */

typedef struct route {
    const char *path;
    int method; /* API_GET (HEAD too) or API_POST */
    void (*run)(api *a, const api_request *r, api_response *res);
} route;

static const route ROUTES[] = {
    {"/healthz", API_GET, h_health},       {"/v1/code", API_POST, h_code},
    {"/v1/documents", API_POST, h_documents}, {"/v1/events", API_GET, h_events},
    {"/v1/series", API_GET, h_series},     {"/v1/alerts", API_GET, h_alerts},
    {"/v1/actors", API_GET, h_actors},
};

void api_handle(api *a, const api_request *r, api_response *res)
{
    for (size_t i = 0; i < sizeof ROUTES / sizeof ROUTES[0]; i++) {
        if (strcmp(ROUTES[i].path, r->path) != 0)
            continue;
        int m = r->method == API_HEAD ? API_GET : r->method;
        if (m != ROUTES[i].method) {
            api_error(res, 405, "%s takes %s", r->path, ROUTES[i].method == API_GET ? "GET" : "POST");
            res->allow = ROUTES[i].method == API_GET ? "GET, HEAD" : "POST";
            return;
        }
        ROUTES[i].run(a, r, res);
        return;
    }
    api_error(res, 404, "no such endpoint: %.200s", r->path);
}
