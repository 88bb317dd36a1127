/*
 * server.c - the HTTP side of `dyad serve`, on libmicrohttpd.
 *
 * Design
 *  - MHD runs its own thread pool (epoll on Linux); a request's handler runs
 *    to completion on the pool thread that owns the connection.  Coding is
 *    CPU-bound, so a pool sized to the CPUs is the fastest arrangement; it
 *    also means a long request (a 1 MiB ingest with parsing) delays the other
 *    connections of its thread, so the default pool has at least 4 threads.
 *  - Bounds: the body is buffered up to body_limit (default 1 MiB).  A
 *    Content-Length above it is refused with 413 before any of the body is
 *    read; a chunked body that grows past it is cut off by closing the
 *    connection (MHD cannot queue a response half-way through an upload).
 *    Connections: a cap (MHD_OPTION_CONNECTION_LIMIT), an idle timeout, and
 *    MHD's per-connection memory pool bounds the request line and headers.
 *  - Static files come only from the asset folder: the URL path is checked
 *    character by character (no "..", no hidden names, no "//"), and the
 *    resolved path must still lie inside the folder's real path, so neither
 *    traversal nor a symlink can leave it.
 *  - Listens on 127.0.0.1 unless told otherwise; the address must be an IP
 *    literal (no name lookups at start-up).
 *  - Every response carries nosniff; the dashboard gets a CSP that allows
 *    only its own origin (it fetches nothing from the internet).
 *
 * Signals: SIGINT and SIGTERM are blocked in every thread and taken with
 * sigwait() by the calling thread, which then stops the daemon (MHD finishes
 * the requests in flight) and returns, so the caller can free everything.
 */
#define _DEFAULT_SOURCE /* realpath, flockfile */

#include "serve/serve.h"

#include "text/text.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

typedef struct server {
    api *a;
    serve_opts o;
    char root[PATH_MAX]; /* real path of the asset folder, "" when none */
} server;

/* Per-request state: the body received so far. */
typedef struct conn_state {
    char *body;
    size_t len, cap;
    int responded; /* a response was queued early (413) */
} conn_state;

/* Addresses ------------------------------------------------------------------ */

int serve_parse_listen(const char *s, struct sockaddr_storage *ss, size_t *sslen, int *loopback)
{
    char host[INET6_ADDRSTRLEN + 2];
    const char *colon;
    memset(ss, 0, sizeof *ss);
    if (s[0] == '[') {
        const char *close = strchr(s, ']');
        if (!close || close[1] != ':' || (size_t)(close - s - 1) >= sizeof host)
            return -1;
        memcpy(host, s + 1, (size_t)(close - s - 1));
        host[close - s - 1] = '\0';
        colon = close + 1;
    } else {
        colon = strrchr(s, ':');
        if (!colon || (size_t)(colon - s) >= sizeof host)
            return -1;
        memcpy(host, s, (size_t)(colon - s));
        host[colon - s] = '\0';
    }
    char *end;
    errno = 0;
    long port = strtol(colon + 1, &end, 10);
    if (!colon[1] || *end || errno || port < 0 || port > 65535)
        return -1;
    struct sockaddr_in *v4 = (struct sockaddr_in *)ss;
    struct sockaddr_in6 *v6 = (struct sockaddr_in6 *)ss;
    if (inet_pton(AF_INET, host, &v4->sin_addr) == 1) {
        v4->sin_family = AF_INET;
        v4->sin_port = htons((uint16_t)port);
        *sslen = sizeof *v4;
        *loopback = (ntohl(v4->sin_addr.s_addr) >> 24) == 127;
        return 0;
    }
    if (inet_pton(AF_INET6, host, &v6->sin6_addr) == 1) {
        v6->sin6_family = AF_INET6;
        v6->sin6_port = htons((uint16_t)port);
        *sslen = sizeof *v6;
        *loopback = memcmp(&v6->sin6_addr, &in6addr_loopback, sizeof in6addr_loopback) == 0;
        return 0;
    }
    return -1;
}

/* Static files ------------------------------------------------------------------ */

int serve_asset_path(const char *root, const char *url, char *out, size_t cap)
{
    if (!root || !*root || url[0] != '/')
        return -1;
    if (strcmp(url, "/") == 0)
        url = "/index.html";
    size_t n = strlen(url);
    if (n > 512)
        return -1;
    for (size_t i = 0; i < n; i++) {
        char c = url[i];
        int ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                 c == '.' || c == '_' || c == '-' || c == '/';
        if (!ok)
            return -1;
        /* every segment starts with a letter, digit or '_': no "..", ".x", "//" */
        if (c == '/' && (i + 1 == n || url[i + 1] == '/' || url[i + 1] == '.' || url[i + 1] == '-'))
            return -1;
    }
    char joined[PATH_MAX];
    if ((size_t)snprintf(joined, sizeof joined, "%s%s", root, url) >= sizeof joined)
        return -1;
    char real[PATH_MAX];
    if (!realpath(joined, real))
        return -1;
    size_t rl = strlen(root);
    if (strncmp(real, root, rl) != 0 || real[rl] != '/')
        return -1;
    struct stat st;
    if (stat(real, &st) || !S_ISREG(st.st_mode))
        return -1;
    if ((size_t)snprintf(out, cap, "%s", real) >= cap)
        return -1;
    return 0;
}

static const char *mime_type(const char *path)
{
    static const struct {
        const char *ext, *type;
    } TYPES[] = {
        {".html", "text/html; charset=utf-8"},
        {".css", "text/css; charset=utf-8"},
        {".js", "text/javascript; charset=utf-8"},
        {".mjs", "text/javascript; charset=utf-8"},
        {".json", "application/json; charset=utf-8"},
        {".svg", "image/svg+xml"},
        {".png", "image/png"},
        {".ico", "image/x-icon"},
        {".txt", "text/plain; charset=utf-8"},
        {".md", "text/plain; charset=utf-8"},
        {".yaml", "text/plain; charset=utf-8"},
        {".woff2", "font/woff2"},
    };
    const char *dot = strrchr(path, '.');
    for (size_t i = 0; dot && i < sizeof TYPES / sizeof TYPES[0]; i++)
        if (strcmp(dot, TYPES[i].ext) == 0)
            return TYPES[i].type;
    return "application/octet-stream";
}

/* Responses ---------------------------------------------------------------------- */

static void common_headers(struct MHD_Response *r)
{
    MHD_add_response_header(r, "X-Content-Type-Options", "nosniff");
    MHD_add_response_header(r, "Referrer-Policy", "no-referrer");
}

static enum MHD_Result send_api(struct MHD_Connection *c, api_response *res)
{
    struct MHD_Response *r =
        res->body ? MHD_create_response_from_buffer(res->len, res->body, MHD_RESPMEM_MUST_FREE)
                  : MHD_create_response_from_buffer(0, NULL, MHD_RESPMEM_PERSISTENT);
    if (!r) {
        free(res->body);
        return MHD_NO;
    }
    common_headers(r);
    MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE, res->content_type);
    MHD_add_response_header(r, MHD_HTTP_HEADER_CACHE_CONTROL, "no-store");
    if (res->allow)
        MHD_add_response_header(r, MHD_HTTP_HEADER_ALLOW, res->allow);
    if (res->status == 401)
        MHD_add_response_header(r, MHD_HTTP_HEADER_WWW_AUTHENTICATE, "Bearer");
    enum MHD_Result rc = MHD_queue_response(c, (unsigned)res->status, r);
    MHD_destroy_response(r);
    return rc;
}

static enum MHD_Result send_error(struct MHD_Connection *c, int status, const char *msg)
{
    api_response res;
    api_error(&res, status, "%s", msg);
    return send_api(c, &res);
}

static enum MHD_Result send_file(server *sv, struct MHD_Connection *c, const char *url,
                                 int *status)
{
    char path[PATH_MAX];
    *status = 404;
    if (serve_asset_path(sv->root, url, path, sizeof path))
        return send_error(c, 404, "not found");
    int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
    struct stat st;
    if (fd < 0)
        return send_error(c, 404, "not found");
    if (fstat(fd, &st) || !S_ISREG(st.st_mode)) {
        close(fd);
        return send_error(c, 404, "not found");
    }
    struct MHD_Response *r = MHD_create_response_from_fd((uint64_t)st.st_size, fd);
    if (!r) {
        close(fd);
        return MHD_NO;
    }
    common_headers(r);
    MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE, mime_type(path));
    MHD_add_response_header(r, MHD_HTTP_HEADER_CACHE_CONTROL, "no-cache");
    MHD_add_response_header(r, "X-Frame-Options", "DENY");
    MHD_add_response_header(r, "Content-Security-Policy",
                            "default-src 'self'; img-src 'self' data:; style-src 'self'; "
                            "script-src 'self'; connect-src 'self'; frame-ancestors 'none'; "
                            "base-uri 'none'; form-action 'none'");
    *status = 200;
    enum MHD_Result rc = MHD_queue_response(c, MHD_HTTP_OK, r);
    MHD_destroy_response(r);
    return rc;
}

/* Requests ------------------------------------------------------------------------ */

static enum MHD_Result collect_param(void *cls, enum MHD_ValueKind kind, const char *key,
                                     const char *value)
{
    api_request *r = cls;
    (void)kind;
    if (r->nparams == SERVE_MAX_PARAMS) {
        r->nparams++; /* marks "too many" */
        return MHD_NO;
    }
    if (r->nparams < SERVE_MAX_PARAMS) {
        r->params[r->nparams].key = key;
        r->params[r->nparams].value = value;
        r->nparams++;
    }
    return MHD_YES;
}

static void log_request(const server *sv, const char *method, const char *url, int status)
{
    if (sv->o.log) {
        flockfile(stderr);
        fprintf(stderr, "dyad serve: %s %.200s %d\n", method, url, status);
        funlockfile(stderr);
    }
}

/* Appends a chunk of body; -1 when it would pass the limit or memory ran out. */
static int body_append(conn_state *cs, const char *data, size_t n, size_t limit)
{
    if (n > limit || cs->len > limit - n)
        return -1;
    if (cs->len + n + 1 > cs->cap) {
        size_t cap = cs->cap ? cs->cap : 4096;
        while (cap < cs->len + n + 1)
            cap *= 2;
        if (cap > limit + 1)
            cap = limit + 1;
        char *p = realloc(cs->body, cap);
        if (!p)
            return -1;
        cs->body = p;
        cs->cap = cap;
    }
    memcpy(cs->body + cs->len, data, n);
    cs->len += n;
    cs->body[cs->len] = '\0';
    return 0;
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *c, const char *url,
                                  const char *method, const char *version,
                                  const char *upload_data, size_t *upload_size, void **con_cls)
{
    server *sv = cls;
    (void)version;
    conn_state *cs = *con_cls;
    if (!cs) {
        if (!(cs = calloc(1, sizeof *cs)))
            return MHD_NO;
        *con_cls = cs;
        const char *cl =
            MHD_lookup_connection_value(c, MHD_HEADER_KIND, MHD_HTTP_HEADER_CONTENT_LENGTH);
        if (cl) {
            char *end;
            errno = 0;
            unsigned long long v = strtoull(cl, &end, 10);
            if (*cl && !*end && !errno && v > sv->o.body_limit) {
                cs->responded = 1;
                log_request(sv, method, url, 413);
                char msg[128];
                snprintf(msg, sizeof msg, "request body larger than %zu bytes", sv->o.body_limit);
                return send_error(c, 413, msg);
            }
        }
        return MHD_YES;
    }
    if (*upload_size) {
        size_t n = *upload_size;
        *upload_size = 0;
        if (cs->responded)
            return MHD_YES;
        /* past the limit mid-upload (chunked): MHD cannot answer now, so the
         * connection is closed */
        return body_append(cs, upload_data, n, sv->o.body_limit) ? MHD_NO : MHD_YES;
    }
    if (cs->responded)
        return MHD_YES;

    api_request r;
    memset(&r, 0, sizeof r);
    r.method = !strcmp(method, "GET")    ? API_GET
               : !strcmp(method, "HEAD") ? API_HEAD
               : !strcmp(method, "POST") ? API_POST
                                         : API_OTHER;
    r.path = url;
    r.body = cs->body ? cs->body : "";
    r.body_len = cs->len;
    r.content_type = MHD_lookup_connection_value(c, MHD_HEADER_KIND, MHD_HTTP_HEADER_CONTENT_TYPE);
    r.authorization =
        MHD_lookup_connection_value(c, MHD_HEADER_KIND, MHD_HTTP_HEADER_AUTHORIZATION);
    if (utf8_invalid_at(url, strlen(url)) != strlen(url)) {
        log_request(sv, method, "(not UTF-8)", 400);
        return send_error(c, 400, "the URL is not UTF-8");
    }
    MHD_get_connection_values(c, MHD_GET_ARGUMENT_KIND, collect_param, &r);
    int is_api = strncmp(url, "/v1/", 4) == 0 || strcmp(url, "/healthz") == 0;
    if (r.nparams > SERVE_MAX_PARAMS) {
        log_request(sv, method, url, 400);
        return send_error(c, 400, "too many query parameters");
    }
    if (is_api) {
        api_response res;
        api_handle(sv->a, &r, &res);
        log_request(sv, method, url, res.status);
        return send_api(c, &res);
    }
    if (r.method != API_GET && r.method != API_HEAD) {
        api_response res;
        api_error(&res, 405, "static files take GET");
        res.allow = "GET, HEAD";
        log_request(sv, method, url, 405);
        return send_api(c, &res);
    }
    int status;
    enum MHD_Result rc = send_file(sv, c, url, &status);
    log_request(sv, method, url, status);
    return rc;
}

static void on_completed(void *cls, struct MHD_Connection *c, void **con_cls,
                         enum MHD_RequestTerminationCode toe)
{
    (void)cls;
    (void)c;
    (void)toe;
    conn_state *cs = *con_cls;
    if (cs) {
        free(cs->body);
        free(cs);
        *con_cls = NULL;
    }
}

static void mhd_log(void *cls, const char *fmt, va_list ap)
{
    const server *sv = cls;
    if (!sv->o.log)
        return;
    flockfile(stderr);
    fputs("dyad serve: ", stderr);
    vfprintf(stderr, fmt, ap);
    funlockfile(stderr);
}

/* The loop ------------------------------------------------------------------------- */

int serve_run(api *a, const serve_opts *o, char *err, size_t errlen)
{
    server *sv = calloc(1, sizeof *sv);
    if (!sv) {
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    sv->a = a;
    sv->o = *o;
    if (!sv->o.body_limit)
        sv->o.body_limit = SERVE_DEFAULT_BODY_LIMIT;
    if (!sv->o.max_connections)
        sv->o.max_connections = SERVE_DEFAULT_MAX_CONNECTIONS;
    if (!sv->o.timeout)
        sv->o.timeout = SERVE_DEFAULT_TIMEOUT;
    if (!sv->o.threads) {
        long cpus = sysconf(_SC_NPROCESSORS_ONLN);
        sv->o.threads = cpus > 2 ? (unsigned)(2 * cpus) : 4;
    }
    if (o->assets && !realpath(o->assets, sv->root)) {
        snprintf(err, errlen, "%s: %s", o->assets, strerror(errno));
        free(sv);
        return -1;
    }
    struct sockaddr_storage ss;
    size_t sslen;
    int loopback;
    if (serve_parse_listen(o->listen, &ss, &sslen, &loopback)) {
        snprintf(err, errlen, "--listen '%s': expected IP:PORT, e.g. 127.0.0.1:8080 or [::1]:8080",
                 o->listen);
        free(sv);
        return -1;
    }
    sigset_t set, old;
    sigemptyset(&set);
    sigaddset(&set, SIGINT);
    sigaddset(&set, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &set, &old);
    signal(SIGPIPE, SIG_IGN);
    unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_AUTO | MHD_USE_ERROR_LOG;
    if (ss.ss_family == AF_INET6)
        flags |= MHD_USE_IPv6;
    struct MHD_Daemon *d = MHD_start_daemon(
        flags, 0, NULL, NULL, on_request, sv, MHD_OPTION_EXTERNAL_LOGGER, mhd_log, sv,
        MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&ss, MHD_OPTION_THREAD_POOL_SIZE,
        sv->o.threads, MHD_OPTION_CONNECTION_LIMIT, sv->o.max_connections,
        MHD_OPTION_CONNECTION_TIMEOUT, sv->o.timeout, MHD_OPTION_NOTIFY_COMPLETED, on_completed,
        sv, MHD_OPTION_LISTEN_BACKLOG_SIZE, 512, MHD_OPTION_END);
    if (!d) {
        pthread_sigmask(SIG_SETMASK, &old, NULL);
        snprintf(err, errlen, "cannot listen on %s: %s", o->listen,
                 errno ? strerror(errno) : "libmicrohttpd could not start");
        free(sv);
        return -1;
    }
    const union MHD_DaemonInfo *info = MHD_get_daemon_info(d, MHD_DAEMON_INFO_BIND_PORT);
    unsigned port = info ? info->port : 0;
    char host[INET6_ADDRSTRLEN], addr[INET6_ADDRSTRLEN + 16];
    if (ss.ss_family == AF_INET) {
        inet_ntop(AF_INET, &((struct sockaddr_in *)&ss)->sin_addr, host, sizeof host);
        snprintf(addr, sizeof addr, "%s:%u", host, port);
    } else {
        inet_ntop(AF_INET6, &((struct sockaddr_in6 *)&ss)->sin6_addr, host, sizeof host);
        snprintf(addr, sizeof addr, "[%s]:%u", host, port);
    }
    if (!loopback)
        fprintf(stderr, "dyad serve: warning: listening on %s, which is not a loopback address; "
                        "anyone who can reach it can read the store\n", addr);
    if (o->ready)
        o->ready(o->ready_arg, addr);
    int sig = 0;
    sigwait(&set, &sig); /* fails only on an invalid set: then stop at once */
    MHD_stop_daemon(d);
    pthread_sigmask(SIG_SETMASK, &old, NULL);
    free(sv);
    return 0;
}
