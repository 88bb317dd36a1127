/*
 * serve.h - `dyad serve`: the HTTP API and the dashboard's static files.
 *
 * Two layers, so that the API can be tested without sockets:
 *
 *   server.c  libmicrohttpd: listening socket, thread pool, connection cap
 *             and timeouts, request body limit, static files from the asset
 *             folder, signals.  Turns each request into an api_request.
 *   api.c     the endpoints: query parameters -> event_filter (the CLI's
 *             checks: query_actor_code, query_dyad, query_quads, ...), the
 *             store's own queries (events_query, series_query, series_alerts,
 *             ingest_*), JSON out through the same writers as the CLI
 *             (write_events, evout_json, series_write_json).
 *
 * Threads: the dictionaries and models are loaded once and shared read-only;
 * each request codes its own dyad_doc.  A store handle (one SQLite
 * connection or PostgreSQL session) belongs to one thread at a time, so
 * readers borrow one from a pool of handles opened at start-up; writes
 * (POST /v1/documents) go through one writer handle under a mutex, which is
 * also what SQLite allows (one writer, WAL readers alongside).
 */
#ifndef DYAD_SERVE_H
#define DYAD_SERVE_H

#include "dyad.h"

#include <stddef.h>
#include <stdint.h>

/* Bounds (overridable on the command line within these limits). */
#define SERVE_DEFAULT_BODY_LIMIT ((size_t)1 << 20) /* 1 MiB */
#define SERVE_MAX_BODY_LIMIT ((size_t)64 << 20)
#define SERVE_DEFAULT_MAX_CONNECTIONS 256
#define SERVE_DEFAULT_TIMEOUT 15 /* seconds a connection may stay idle */
#define SERVE_MAX_PARAMS 32      /* query parameters per request */
#define SERVE_TOKEN_MAX 4096

/* Query-string parameters of one request (decoded by the HTTP layer). */
typedef struct api_param {
    const char *key, *value;
} api_param;

enum api_method { API_GET, API_HEAD, API_POST, API_OTHER };

typedef struct api_request {
    int method;                  /* enum api_method */
    const char *path;            /* "/v1/events" (no query string) */
    api_param params[SERVE_MAX_PARAMS];
    size_t nparams;
    const char *body;            /* POST body, NUL-terminated at body[body_len] */
    size_t body_len;
    const char *content_type;    /* may be NULL */
    const char *authorization;   /* the Authorization header, may be NULL */
} api_request;

typedef struct api_response {
    int status;                  /* HTTP status */
    char *body;                  /* malloc'd (the caller frees it) */
    size_t len;
    const char *content_type;    /* static string */
    const char *allow;           /* for 405: the Allow header, else NULL */
} api_response;

typedef struct api_opts {
    const char *db;              /* store target: SQLite path or postgresql:// URI */
    const dyad_dict *dict;       /* shared, read-only */
    const dyad_model *model;     /* NULL: --no-parse (code on the token sequence) */
    const char *token;           /* bearer token for writes; NULL: writes refused */
    int readers;                 /* store handles for reads (>= 1) */
} api_opts;

typedef struct api api;

/* Opens the store handles (readers + one writer).  NULL with err set. */
api *api_new(const api_opts *o, char *err, size_t errlen);
void api_free(api *a);

/* Answers one request; always fills *out (an error is a JSON error body
 * with its status).  Thread-safe. */
void api_handle(api *a, const api_request *r, api_response *out);

/* Writes an error response {"error": msg, "status": status}. */
void api_error(api_response *out, int status, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* The HTTP server ---------------------------------------------------------- */

typedef struct serve_opts {
    const char *listen;          /* "HOST:PORT" ("[::1]:8080" for IPv6); port 0: any free */
    const char *assets;          /* dashboard folder (index.html); NULL: no dashboard */
    size_t body_limit;           /* bytes */
    unsigned max_connections;
    unsigned timeout;            /* idle seconds */
    unsigned threads;            /* worker threads (0: 2 per CPU, at least 4) */
    int log;                     /* one line per request on stderr */
    /* called once the socket listens, with the bound address ("127.0.0.1:8080") */
    void (*ready)(void *arg, const char *addr);
    void *ready_arg;
} serve_opts;

/* Serves until SIGINT or SIGTERM.  0 on a clean stop, -1 with err set when
 * the server could not start. */
int serve_run(api *a, const serve_opts *o, char *err, size_t errlen);

/* Parses "HOST:PORT" into a socket address; the host must be an IP address
 * (no name lookups).  *loopback tells whether it is 127.0.0.0/8 or ::1.
 * 0 or -1. */
struct sockaddr_storage;
int serve_parse_listen(const char *s, struct sockaddr_storage *ss, size_t *sslen, int *loopback);

/* Static files: maps a URL path to a file under root ("/" -> index.html).
 * Rejects anything but [A-Za-z0-9._-/], "..", hidden names and symlinks
 * leading outside root.  Writes the file path into out; 0, or -1 (404). */
int serve_asset_path(const char *root, const char *url, char *out, size_t cap);

#endif
