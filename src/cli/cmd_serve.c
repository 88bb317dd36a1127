/*
 * cmd_serve.c - `dyad serve`: the HTTP API and the dashboard (src/serve/).
 *
 * This file only reads options, loads the dictionaries and models once, and
 * finds the write token and the dashboard folder; src/serve/ does the rest.
 *
 * The token comes from --token-file (first line; the file should be
 * readable by its owner only, which is checked and warned about) or the
 * DYAD_TOKEN environment variable.  Without one the server is read-only:
 * POST /v1/documents answers 403.  A token on the command line is not
 * offered, since it would show in `ps`.
 */
#include "cli/cli.h"
#include "dyad.h"
#include "serve/serve.h"

#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

void usage_serve(FILE *f)
{
    fputs("usage: dyad serve [OPTIONS] DB\n"
          "\n"
          "Serves the store DB (an SQLite file or a postgresql:// URI) over HTTP: the JSON\n"
          "API of docs/api.md (POST /v1/code, POST /v1/documents, GET /v1/events,\n"
          "/v1/series, /v1/alerts, /v1/actors, /healthz) and the dashboard (web/).\n"
          "Stops on SIGINT or SIGTERM.\n"
          "\n"
          "Options:\n"
          "  -l, --listen IP:PORT   address (default 127.0.0.1:8080; port 0: any free port;\n"
          "                         [::1]:8080 for IPv6); not loopback: a warning\n"
          "  -T, --token-file FILE  bearer token for POST /v1/documents (first line of FILE);\n"
          "                         default: $DYAD_TOKEN; none: the server is read-only\n"
          "  -w, --assets DIR       dashboard files (default: dyad's web/ folder)\n"
          "      --no-dashboard     API only\n"
          "  -D, --dict DIR         dictionary directory (default: $DYAD_DICT or data/dict)\n"
          "  -M, --models DIR       tagger and parser models (default: $DYAD_MODELS or data/models)\n"
          "      --accurate         beam-search parser (parser-beam.bin): more accurate, slower\n"
          "  -P, --no-parse         code without tagging and parsing (faster, less accurate)\n"
          "      --body-limit BYTES request body limit (default 1048576)\n"
          "      --max-connections N  simultaneous connections (default 256)\n"
          "      --timeout SECONDS  idle connection timeout (default 15)\n"
          "      --threads N        worker threads (default 2 per CPU, at least 4)\n"
          "  -v, --log              one line per request on stderr\n"
          "  -h, --help             this help\n"
          "\n"
          "Once listening it prints 'dyad serve: listening on http://IP:PORT/' on stderr.\n"
          "\n"
          "Exit status: 0 stopped by a signal; 2 usage error; 3 could not start\n"
          "(dictionaries, models, store, address in use).\n",
          f);
}

static int parse_ulong(const char *s, unsigned long lo, unsigned long hi, unsigned long *out)
{
    char *end;
    errno = 0;
    unsigned long v = strtoul(s, &end, 10);
    if (!*s || *s == '-' || *end || errno || v < lo || v > hi)
        return -1;
    *out = v;
    return 0;
}

/* The dashboard folder: web/ beside the build tree (build/dyad, build/san/dyad)
 * or share/dyad/web when installed; NULL when none has index.html. */
static const char *find_assets(char *buf, size_t cap)
{
    char exe[PATH_MAX];
    ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (n <= 0)
        return NULL;
    exe[n] = '\0';
    char *slash = strrchr(exe, '/');
    if (!slash)
        return NULL;
    *slash = '\0';
    static const char *const rel[] = {"/../web", "/../../web", "/../share/dyad/web"};
    for (size_t i = 0; i < sizeof rel / sizeof rel[0]; i++) {
        char probe[2 * PATH_MAX + 64];
        snprintf(buf, cap, "%s%s", exe, rel[i]);
        snprintf(probe, sizeof probe, "%s/index.html", buf);
        if (access(probe, R_OK) == 0)
            return buf;
    }
    return NULL;
}

/* Reads the token: the first line of path, without surrounding blanks. */
static int read_token(const char *path, char *out, size_t cap)
{
    FILE *f = fopen(path, "r");
    if (!f) {
        cli_error("--token-file %s: %s", path, strerror(errno));
        return -1;
    }
    struct stat st;
    if (fstat(fileno(f), &st) == 0 && (st.st_mode & 077))
        fprintf(stderr, "dyad serve: warning: %s is readable by other users (chmod 600 it)\n",
                path);
    int ok = fgets(out, (int)cap, f) != NULL;
    fclose(f);
    if (!ok) {
        cli_error("--token-file %s: empty", path);
        return -1;
    }
    size_t n = strlen(out);
    if (n == cap - 1 && out[n - 1] != '\n') {
        cli_error("--token-file %s: the token is longer than %zu bytes", path, cap - 2);
        return -1;
    }
    while (n && (out[n - 1] == '\n' || out[n - 1] == '\r' || out[n - 1] == ' ' ||
                 out[n - 1] == '\t'))
        out[--n] = '\0';
    size_t lead = strspn(out, " \t");
    memmove(out, out + lead, n - lead + 1);
    return 0;
}

/* A token must be printable ASCII without blanks (it travels in a header). */
static int token_ok(const char *t)
{
    if (!*t)
        return 0;
    for (; *t; t++)
        if (*t <= ' ' || *t > '~')
            return 0;
    return 1;
}

static void on_ready(void *arg, const char *addr)
{
    const char *assets = arg;
    fprintf(stderr, "dyad serve: listening on http://%s/%s\n", addr,
            assets ? "" : " (API only: no dashboard)");
    fflush(stderr);
}

int cmd_serve(int argc, char **argv)
{
    enum { OPT_BODY = 256, OPT_MAXCONN, OPT_TIMEOUT, OPT_THREADS, OPT_NODASH };
    static const struct option opts[] = {
        {"listen", required_argument, NULL, 'l'},  {"token-file", required_argument, NULL, 'T'},
        {"assets", required_argument, NULL, 'w'},  {"no-dashboard", no_argument, NULL, OPT_NODASH},
        {"dict", required_argument, NULL, 'D'},    {"models", required_argument, NULL, 'M'},
        {"accurate", no_argument, NULL, 'A'},
        {"no-parse", no_argument, NULL, 'P'},      {"body-limit", required_argument, NULL, OPT_BODY},
        {"max-connections", required_argument, NULL, OPT_MAXCONN},
        {"timeout", required_argument, NULL, OPT_TIMEOUT},
        {"threads", required_argument, NULL, OPT_THREADS},
        {"log", no_argument, NULL, 'v'},           {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0}};
    serve_opts so = {0};
    so.listen = "127.0.0.1:8080";
    const char *token_file = NULL, *assets = NULL, *dict_dir = NULL, *model_dir = NULL;
    int accurate = 0;
    int no_parse = 0, no_dash = 0, c;
    unsigned long v;
    optind = 1;
    while ((c = getopt_long(argc, argv, "l:T:w:D:M:Pvh", opts, NULL)) != -1) {
        switch (c) {
        case 'l': so.listen = optarg; break;
        case 'T': token_file = optarg; break;
        case 'w': assets = optarg; break;
        case OPT_NODASH: no_dash = 1; break;
        case 'D': dict_dir = optarg; break;
        case 'M': model_dir = optarg; break;
        case 'A': accurate = 1; break;
        case 'P': no_parse = 1; break;
        case 'v': so.log = 1; break;
        case OPT_BODY:
            if (parse_ulong(optarg, 1024, SERVE_MAX_BODY_LIMIT, &v)) {
                cli_error("--body-limit '%s': expected bytes, 1024..%zu", optarg,
                          SERVE_MAX_BODY_LIMIT);
                return EXIT_USAGE;
            }
            so.body_limit = v;
            break;
        case OPT_MAXCONN:
        case OPT_TIMEOUT:
        case OPT_THREADS: {
            unsigned long hi = c == OPT_MAXCONN ? 10000 : c == OPT_TIMEOUT ? 3600 : 256;
            if (parse_ulong(optarg, 1, hi, &v)) {
                cli_error("--%s '%s': expected a whole number 1..%lu",
                          c == OPT_MAXCONN ? "max-connections" : c == OPT_TIMEOUT ? "timeout"
                                                                                   : "threads",
                          optarg, hi);
                return EXIT_USAGE;
            }
            *(c == OPT_MAXCONN ? &so.max_connections : c == OPT_TIMEOUT ? &so.timeout
                                                                        : &so.threads) =
                (unsigned)v;
            break;
        }
        case 'h': usage_serve(stdout); return EXIT_OK;
        default: usage_serve(stderr); return EXIT_USAGE;
        }
    }
    if (cli_opt_accurate(accurate, no_parse))
        return EXIT_USAGE;
    if (optind >= argc) {
        cli_error("serve needs a store: dyad serve DB");
        return EXIT_USAGE;
    }
    if (optind + 1 < argc) {
        cli_error("unexpected argument '%s'", argv[optind + 1]);
        return EXIT_USAGE;
    }
    const char *db = argv[optind];
    {
        struct sockaddr_storage ss;
        size_t sslen;
        int loopback;
        if (serve_parse_listen(so.listen, &ss, &sslen, &loopback)) {
            cli_error("--listen '%s': expected IP:PORT, e.g. 127.0.0.1:8080 or [::1]:8080",
                      so.listen);
            return EXIT_USAGE;
        }
    }
    static char token[SERVE_TOKEN_MAX + 2];
    const char *tok = NULL;
    if (token_file) {
        if (read_token(token_file, token, sizeof token))
            return EXIT_USAGE;
        tok = token;
    } else if (getenv("DYAD_TOKEN") && *getenv("DYAD_TOKEN")) {
        tok = getenv("DYAD_TOKEN");
        if (strlen(tok) > SERVE_TOKEN_MAX) {
            cli_error("DYAD_TOKEN is longer than %d bytes", SERVE_TOKEN_MAX);
            return EXIT_USAGE;
        }
    }
    if (tok && !token_ok(tok)) {
        cli_error("the token must be printable ASCII without blanks");
        return EXIT_USAGE;
    }
    char abuf[PATH_MAX + 64];
    if (no_dash)
        assets = NULL;
    else if (!assets)
        assets = find_assets(abuf, sizeof abuf);
    char err[1024];
    dyad_dict *dict = cli_dict_load(dict_dir ? dict_dir : default_dict_dir(), 0, err, sizeof err);
    if (!dict) {
        cli_error("%s", err);
        return EXIT_FATAL;
    }
    dyad_model *model = NULL;
    if (!no_parse &&
        !(model = cli_models_load(model_dir, accurate, err, sizeof err))) {
        cli_error("%s (use --no-parse to code without the parser)", err);
        dyad_dict_free(dict);
        return EXIT_FATAL;
    }
    long cpus = sysconf(_SC_NPROCESSORS_ONLN);
    unsigned threads = so.threads ? so.threads : cpus > 2 ? (unsigned)(2 * cpus) : 4;
    api_opts ao = {db, dict, model, tok, (int)threads};
    int rc = EXIT_OK;
    api *a = api_new(&ao, err, sizeof err);
    if (tok == token)
        memset(token, 0, sizeof token); /* api keeps its own copy */
    if (!a) {
        cli_error("%s", err);
        rc = EXIT_FATAL;
    } else {
        so.threads = threads;
        so.assets = assets;
        so.ready = on_ready;
        so.ready_arg = (void *)assets;
        if (serve_run(a, &so, err, sizeof err)) {
            cli_error("%s", err);
            rc = EXIT_FATAL;
        }
        api_free(a);
    }
    dyad_model_free(model);
    dyad_dict_free(dict);
    return rc;
}
