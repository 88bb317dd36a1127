/* fuzz_api.c - the HTTP API of `dyad serve` below the socket layer: api_handle
 * (src/serve/api.c) with a fuzzed method, path, query string, headers and body,
 * against a small SQLite store in a private temporary directory (filled at start
 * through POST /v1/documents, as a client would) and dyad's dictionaries, no
 * models (as `dyad serve --no-parse`).
 *
 * Input:  byte 0  bits 0-1 method (GET, HEAD, POST, other)
 *                 bits 2-3 Content-Type (none, application/json, text/plain,
 *                          application/x-ndjson)
 *                 bits 4-5 Authorization (none, the right bearer token, a wrong
 *                          one, the right token as Basic)
 *         then    the request target "PATH?QUERY" up to the first '\n', the rest
 *                 is the body.
 * The query is split and percent-decoded as libmicrohttpd does for server.c (a
 * key without '=' has a NULL value, at most SERVE_MAX_PARAMS parameters); a path
 * that is not UTF-8, which server.c answers itself with 400, is skipped.
 *
 * Oracle besides ASan/UBSan: every answer has a status from 100 to 599, a
 * content type and, when it says JSON, a body that is one valid JSON value
 * (jansson parses it; invalid UTF-8 or a cut-off document fails), and a 405
 * names what is allowed.
 *
 * Writes accumulate in the store; it is rebuilt from scratch every 500 POSTs
 * to /v1/documents so that a long campaign does not slow down (or fill /tmp)
 * as the store grows.  Trade-off: a bug that needs a large store is out of
 * reach here; tests/e2e/serve.sh and store.sh cover size. */
#include "fuzz.h"
#include "dyad.h"
#include "serve/serve.h"
#include "text/text.h"

#include <jansson.h>

static const char TOKEN[] = "fuzz-token-0123456789";
static char dir[64], db[128];
static dyad_dict *dict;
static api *A;
static unsigned long writes;

static void remove_store(void)
{
    static const char *const suffix[] = {"", "-wal", "-shm", "-journal"};
    for (size_t i = 0; i < sizeof suffix / sizeof suffix[0]; i++) {
        char p[160];
        snprintf(p, sizeof p, "%s%s", db, suffix[i]);
        unlink(p);
    }
}

static void cleanup(void)
{
    api_free(A);
    A = NULL;
    remove_store();
    rmdir(dir);
    dyad_dict_free(dict);
}

/* Checks one answer; aborts (a finding) when it breaks the API's contract. */
static void check(const api_request *r, const api_response *res)
{
    if (res->status < 100 || res->status > 599 || !res->content_type ||
        (res->len && !res->body) || (res->status == 405 && !res->allow)) {
        fprintf(stderr, "fuzz_api: bad response to %s: status %d\n", r->path, res->status);
        abort();
    }
    if (strncmp(res->content_type, "application/json", 16) == 0) {
        json_error_t je;
        json_t *j = json_loadb(res->body ? res->body : "", res->len, JSON_DECODE_ANY, &je);
        if (!j) {
            fprintf(stderr, "fuzz_api: %s answered %d with invalid JSON (%s at %d): %.300s\n",
                    r->path, res->status, je.text, je.position, res->body ? res->body : "");
            abort();
        }
        json_decref(j);
    }
}

/* POST path with body through api_handle; returns the status. */
static int post(const char *path, const char *body)
{
    api_request r;
    memset(&r, 0, sizeof r);
    r.method = API_POST;
    r.path = path;
    r.body = body;
    r.body_len = strlen(body);
    r.content_type = "application/x-ndjson";
    char auth[64];
    snprintf(auth, sizeof auth, "Bearer %s", TOKEN);
    r.authorization = auth;
    api_response res;
    api_handle(A, &r, &res);
    check(&r, &res);
    free(res.body);
    return res.status;
}

/* A fresh store with a few documents in it (dyads, quads, several days). */
static void open_store(void)
{
    char err[512];
    api_free(A);
    remove_store();
    api_opts o = {db, dict, NULL, TOKEN, 1};
    A = api_new(&o, err, sizeof err);
    if (!A) {
        fprintf(stderr, "fuzz_api: %s\n", err);
        abort();
    }
    static const char DOCS[] =
        "{\"id\":\"a\",\"date\":\"2025-08-04\",\"source\":\"wire\",\"title\":\"t\","
        "\"text\":\"Mexico rejected the demands of the United States. Canada praised Mexico.\"}\n"
        "{\"id\":\"b\",\"date\":\"2025-08-05\",\"text\":\"Russia attacked Ukraine on Monday. "
        "Ukraine accused Russia of shelling. \\\"We will restore ties,\\\" the president of "
        "France said.\"}\n"
        "{\"id\":\"c\",\"date\":\"2025-08-11\",\"text\":\"The United States threatened Mexico "
        "with tariffs. Mexico met the United States in Washington.\"}\n";
    int st = post("/v1/documents", DOCS);
    if (st != 200) {
        fprintf(stderr, "fuzz_api: filling the store answered %d\n", st);
        abort();
    }
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    char err[512];
    const char *d = getenv("DYAD_DICT");
    dict = dyad_dict_load(d ? d : "data/dict", err, sizeof err);
    if (!dict) {
        fprintf(stderr, "fuzz_api: %s (run from the repository root or set DYAD_DICT)\n", err);
        abort();
    }
    snprintf(dir, sizeof dir, "/tmp/dyad-fuzz-api-XXXXXX");
    if (!mkdtemp(dir)) {
        perror("mkdtemp");
        abort();
    }
    snprintf(db, sizeof db, "%s/t.db", dir);
    atexit(cleanup);
    open_store();
    return 0;
}

static int hexval(int c)
{
    return c >= '0' && c <= '9'   ? c - '0'
           : c >= 'a' && c <= 'f' ? c - 'a' + 10
           : c >= 'A' && c <= 'F' ? c - 'A' + 10
                                  : -1;
}

/* Percent-decodes s in place ('+' is a space), as libmicrohttpd does for
 * arguments; a decoded NUL ends the string, as it would for a C caller. */
static void unescape(char *s)
{
    char *o = s;
    for (const char *p = s; *p; p++) {
        int h, l;
        if (*p == '+') {
            *o++ = ' ';
        } else if (*p == '%' && (h = hexval((unsigned char)p[1])) >= 0 &&
                   (l = hexval((unsigned char)p[2])) >= 0) {
            *o++ = (char)(h * 16 + l);
            p += 2;
        } else {
            *o++ = *p;
        }
    }
    *o = '\0';
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    static const char *const types[4] = {NULL, "application/json", "text/plain",
                                         "application/x-ndjson"};
    char good[64], wrong[64], basic[64];
    snprintf(good, sizeof good, "Bearer %s", TOKEN);
    snprintf(wrong, sizeof wrong, "Bearer x%s", TOKEN);
    snprintf(basic, sizeof basic, "Basic %s", TOKEN);
    const char *auths[4] = {NULL, good, wrong, basic};

    const char *in = (const char *)data + 1;
    size_t n = size - 1;
    const char *nl = memchr(in, '\n', n);
    size_t tlen = nl ? (size_t)(nl - in) : n;
    /* private NUL-terminated copies: the target (split in place) and the body */
    char *target = malloc(tlen + 1);
    size_t blen = nl ? n - tlen - 1 : 0;
    char *body = malloc(blen + 1);
    if (!target || !body) {
        free(target);
        free(body);
        return 0;
    }
    memcpy(target, in, tlen);
    target[tlen] = '\0';
    if (blen)
        memcpy(body, nl + 1, blen);
    body[blen] = '\0';

    api_request r;
    memset(&r, 0, sizeof r);
    r.method = data[0] & 3; /* API_GET, API_HEAD, API_POST, API_OTHER */
    r.content_type = types[(data[0] >> 2) & 3];
    r.authorization = auths[(data[0] >> 4) & 3];
    r.body = body;
    r.body_len = blen;
    char *q = strchr(target, '?');
    if (q) {
        *q++ = '\0';
        while (q && *q && r.nparams < SERVE_MAX_PARAMS) {
            char *amp = strchr(q, '&');
            if (amp)
                *amp++ = '\0';
            if (*q) {
                char *eq = strchr(q, '=');
                if (eq) {
                    *eq++ = '\0';
                    unescape(eq);
                }
                unescape(q);
                r.params[r.nparams].key = q;
                r.params[r.nparams].value = eq; /* NULL: "?key" without '=' */
                r.nparams++;
            }
            q = amp;
        }
    }
    unescape(target);
    r.path = target;
    if (utf8_invalid_at(target, strlen(target)) == strlen(target)) {
        api_response res;
        api_handle(A, &r, &res);
        check(&r, &res);
        free(res.body);
        if (r.method == API_POST && strcmp(r.path, "/v1/documents") == 0 && ++writes % 500 == 0)
            open_store();
    }
    free(target);
    free(body);
    return 0;
}
