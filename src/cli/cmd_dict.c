/*
 * cmd_dict.c - `dyad dict check|compile|convert`, and cli_dict_load, the one place
 * the subcommands load a dictionary set (through the compiled cache).
 *
 * check: report every problem of a dictionary set.
 * The loaders are run with a checker (dict_check, dict.h): they report each
 * malformed line and go on, and hand over every pattern before identical
 * patterns merge.  The patterns are then grouped by their key (kind and
 * elements, so "praise" and "Praise" are one phrase) and compared pairwise:
 * the same code twice is a warning, different codes that no date range
 * separates are an error, as are overlapping date ranges with different codes.
 */
#define _XOPEN_SOURCE 700 /* realpath */

#include "cli/cli.h"
#include "dict/cache.h"
#include "dict/convert.h"
#include "dict/dict.h"
#include "dyad.h"

#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

void usage_dict(FILE *f)
{
    fputs("usage: dyad dict check [--format native|petrarch|tabari] PATH\n"
          "       dyad dict compile [--format native|petrarch] [-o FILE] PATH\n"
          "       dyad dict convert --format petrarch|tabari [-v] [--force] PATH -o DIR\n"
          "\n"
          "check\n"
          "Checks a dictionary set and reports every problem, one per line:\n"
          "  FILE:LINE: error|warning: message\n"
          "then a summary line\n"
          "  dyad dict check: N entries, E errors, W warnings\n"
          "PATH is a directory (native: its *.dict files; petrarch: its *actors*.txt,\n"
          "*agents*.txt, *verbs*.txt or CAMEO*.txt, *discards*.txt; tabari: files whose\n"
          "names hold actors, agents or verbs) or, in the native format, one file.\n"
          "\n"
          "Errors: malformed lines (the loaders skip them and go on), the same phrase with\n"
          "different codes that no date range separates, overlapping date ranges with\n"
          "different codes. Warnings: the same phrase with the same code twice, overlapping\n"
          "ranges with the same code, PETRARCH patterns without a code.\n"
          "\n"
          "Options:\n"
          "  -f, --format FMT    native (default), petrarch or tabari\n"
          "  -h, --help          this help\n"
          "\n"
          "Exit status: 0 no errors (warnings allowed), 1 errors, 2 usage, 3 PATH could\n"
          "not be read at all.\n"
          "\n"
          "compile\n"
          "Loads a dictionary set and writes it compiled, so that later starts map it\n"
          "instead of parsing the text (the Phoenix set: 0.5 s -> a few ms). Without -o\n"
          "the file goes to the cache directory, where every command that loads PATH\n"
          "finds it; each command also fills the cache itself on its first run, so\n"
          "compile is only needed to warm it ahead (a container image, a cluster job).\n"
          "With -o FILE, pass FILE to --dict: it is checked against its sources when\n"
          "they are still where they were compiled from.\n"
          "\n"
          "  -f, --format FMT    native (default) or petrarch\n"
          "  -o, --output FILE   write FILE (conventionally *.dyc) instead of the cache\n"
          "\n"
          "Cache directory: $DYAD_CACHE_DIR, else $XDG_CACHE_HOME/dyad, else\n"
          "~/.cache/dyad; DYAD_CACHE_DIR=off disables the cache. A cache file is named\n"
          "by the content of the dictionary files and the dyad build, so a changed\n"
          "dictionary or a new dyad never uses a stale one; old files may be deleted.\n"
          "Exit status: 0 written, 2 usage, 3 PATH could not be loaded or FILE written.\n"
          "\n"
          "convert\n"
          "Writes a PETRARCH or TABARI dictionary set in dyad's native format: DIR gets\n"
          "actors.dict, agents.dict, verbs.dict, nouns.dict and discards.dict, one entry\n"
          "per line with the file:line it came from as a comment. Lines the legacy\n"
          "reader rejects and entries the native syntax cannot express are skipped and\n"
          "counted (-v lists them; dyad dict check lists the malformed lines).\n"
          "\n"
          "  -f, --format FMT    petrarch or tabari (required)\n"
          "  -o, --output DIR    where to write (created; must not hold *.dict files)\n"
          "      --force         replace the *.dict files DIR already holds\n"
          "  -v, --verbose       list every skipped line and entry on stderr\n"
          "Exit status: 0 written, 2 usage, 3 PATH could not be read or DIR written.\n",
          f);
}

typedef struct occurrence {
    char *key;
    const char *text, *code, *rcode, *file; /* file: interned in the checker */
    int kind, from, to;
    long line;
    size_t seq;
} occurrence;

typedef struct finding {
    const char *file;
    long line;
    int error;
    char *msg;
    size_t seq;
} finding;

typedef struct checker {
    occurrence *occ;
    size_t nocc, capocc;
    finding *find;
    size_t nfind, capfind;
    char **files;
    size_t nfiles;
    int oom;
} checker;

static char *xstrdup(checker *c, const char *s)
{
    char *p = strdup(s ? s : "");
    if (!p)
        c->oom = 1;
    return p;
}

/* File names are few: kept once each, compared by pointer and by name. */
static const char *file_name(checker *c, const char *file)
{
    for (size_t i = c->nfiles; i-- > 0;)
        if (strcmp(c->files[i], file) == 0)
            return c->files[i];
    char **nf = realloc(c->files, (c->nfiles + 1) * sizeof *nf);
    if (!nf) {
        c->oom = 1;
        return "?";
    }
    c->files = nf;
    if (!(c->files[c->nfiles] = xstrdup(c, file)))
        return "?";
    return c->files[c->nfiles++];
}

static void add_finding(checker *c, const char *file, long line, int error, const char *msg)
{
    if (c->nfind == c->capfind) {
        size_t cap = c->capfind ? c->capfind * 2 : 64;
        finding *nf = realloc(c->find, cap * sizeof *nf);
        if (!nf) {
            c->oom = 1;
            return;
        }
        c->find = nf;
        c->capfind = cap;
    }
    finding *f = &c->find[c->nfind];
    f->file = file_name(c, file);
    f->line = line;
    f->error = error;
    f->seq = c->nfind;
    if ((f->msg = xstrdup(c, msg)))
        c->nfind++;
}

static void on_problem(void *ctx, const char *file, long line, int error, const char *msg)
{
    add_finding(ctx, file, line, error, msg);
}

static void on_pattern(void *ctx, const char *key, int kind, const char *text, const char *code,
                       const char *rcode, int from, int to, const char *file, long line)
{
    checker *c = ctx;
    if (c->nocc == c->capocc) {
        size_t cap = c->capocc ? c->capocc * 2 : 4096;
        occurrence *no = realloc(c->occ, cap * sizeof *no);
        if (!no) {
            c->oom = 1;
            return;
        }
        c->occ = no;
        c->capocc = cap;
    }
    occurrence *o = &c->occ[c->nocc];
    o->key = xstrdup(c, key);
    o->text = xstrdup(c, text);
    o->code = xstrdup(c, code);
    o->rcode = xstrdup(c, rcode);
    o->file = file_name(c, file);
    o->kind = kind;
    o->from = from;
    o->to = to;
    o->line = line;
    o->seq = c->nocc;
    if (o->key && o->text && o->code && o->rcode)
        c->nocc++;
    else {
        free(o->key);
        free((char *)o->text);
        free((char *)o->code);
        free((char *)o->rcode);
    }
}

static int cmp_occ(const void *a, const void *b)
{
    const occurrence *x = a, *y = b;
    int k = strcmp(x->key, y->key);
    if (k)
        return k;
    return x->seq < y->seq ? -1 : x->seq > y->seq;
}

static int cmp_find(const void *a, const void *b)
{
    const finding *x = a, *y = b;
    int k = strcmp(x->file, y->file);
    if (k)
        return k;
    if (x->line != y->line)
        return x->line < y->line ? -1 : 1;
    return x->seq < y->seq ? -1 : x->seq > y->seq;
}

/* "2024-10-01..", "..2025-01-01", "2024-10-01..2025-01-01", "" (undated) */
static void fmt_range(char *buf, size_t cap, int from, int to)
{
    char a[16] = "", b[16] = "";
    if (from)
        snprintf(a, sizeof a, "%04d-%02d-%02d", from / 10000, from / 100 % 100, from % 100);
    if (to)
        snprintf(b, sizeof b, "%04d-%02d-%02d", to / 10000, to / 100 % 100, to % 100);
    if (from || to)
        snprintf(buf, cap, " %s..%s", a, b);
    else
        buf[0] = '\0';
}

/* "[051]", "[042:043]", "[---]", "[MEXGOV 2024-10-01..]" */
static void fmt_code(char *buf, size_t cap, const occurrence *o)
{
    char r[48];
    fmt_range(r, sizeof r, o->from, o->to);
    snprintf(buf, cap, "[%s%s%s%s]", o->code[0] ? o->code : "---", o->rcode[0] ? ":" : "",
             o->rcode, r);
}

static const char *kind_name(int kind)
{
    switch (kind) {
    case ENT_ACTOR: return "actor";
    case ENT_AGENT: return "agent";
    case ENT_VERB: return "verb pattern";
    case ENT_NOUN: return "noun pattern";
    default: return "discard";
    }
}

/* The phrase for a message: blanks collapsed, a PETRARCH pattern line's own
 * "[CODE]" and comment left out. */
static void fmt_text(char *buf, size_t cap, const char *text)
{
    size_t n = 0;
    const char *end = text + strlen(text);
    const char *open = strrchr(text, '[');
    if (open && open > text && strchr(open, ']'))
        end = open;
    for (const char *p = text; p < end && n + 1 < cap; p++) {
        if (*p == ' ' || *p == '\t') {
            if (n && buf[n - 1] != ' ')
                buf[n++] = ' ';
        } else {
            buf[n++] = *p;
        }
    }
    while (n && buf[n - 1] == ' ')
        n--;
    buf[n] = '\0';
}

/* b is later than a: reports what the pair says, at b's line. */
static void compare(checker *c, const occurrence *a, const occurrence *b)
{
    int same_place = a->file == b->file && a->line == b->line;
    int same_code = strcmp(a->code, b->code) == 0 && strcmp(a->rcode, b->rcode) == 0;
    char ca[128], cb[128], text[1024], where[1100], msg[2600];
    fmt_code(ca, sizeof ca, a);
    fmt_code(cb, sizeof cb, b);
    fmt_text(text, sizeof text, b->text);
    if (same_place)
        snprintf(where, sizeof where, "in the same entry");
    else
        snprintf(where, sizeof where, "at %s:%ld", a->file, a->line);
    if (b->kind == ENT_ACTOR || b->kind == ENT_AGENT) {
        int adated = a->from || a->to, bdated = b->from || b->to;
        if (adated != bdated)
            return; /* a dated code and the undated fallback: as intended */
        if (!adated) {
            if (same_place)
                return; /* one record's codes: a compound actor ("[FRO] [BIL] [SAM]") */
            if (same_code)
                snprintf(msg, sizeof msg, "duplicate %s '%s' %s (also %s)",
                         kind_name(b->kind), text, cb, where);
            else
                snprintf(msg, sizeof msg,
                         "%s '%s' is coded %s here and %s %s, with no date range to "
                         "separate them",
                         kind_name(b->kind), text, cb, ca, where);
            add_finding(c, b->file, b->line, !same_code, msg);
            return;
        }
        /* both dated: [from, to) with 0 open */
        int overlap = (!a->to || !b->from || b->from < a->to) &&
                      (!b->to || !a->from || a->from < b->to);
        if (!overlap)
            return;
        int same_range = a->from == b->from && a->to == b->to;
        if (same_code && (same_place || same_range)) {
            if (!same_place)
                add_finding(c, b->file, b->line, 0,
                            (snprintf(msg, sizeof msg, "duplicate %s '%s' %s (also %s)",
                                      kind_name(b->kind), text, cb, where),
                             msg));
            return;
        }
        snprintf(msg, sizeof msg, "%s '%s': date range of %s overlaps %s %s",
                 kind_name(b->kind), text, cb, ca, where);
        add_finding(c, b->file, b->line, !same_code, msg);
        return;
    }
    if (same_place)
        return; /* one phrase expanded to the same pattern twice */
    if (same_code)
        snprintf(msg, sizeof msg, "duplicate %s '%s'%s%s (also %s)", kind_name(b->kind), text,
                 b->kind == ENT_DISCARD ? "" : " ", b->kind == ENT_DISCARD ? "" : cb, where);
    else
        snprintf(msg, sizeof msg, "%s '%s' is coded %s here and %s %s", kind_name(b->kind), text,
                 cb, ca, where);
    add_finding(c, b->file, b->line, !same_code, msg);
}

/* Compares the occurrences of each pattern; a pattern seen many times (more
 * than 64) is compared with its first 64 occurrences only. */
static void compare_all(checker *c)
{
    if (c->nocc)
        qsort(c->occ, c->nocc, sizeof *c->occ, cmp_occ);
    for (size_t i = 0; i < c->nocc;) {
        size_t j = i + 1;
        while (j < c->nocc && strcmp(c->occ[j].key, c->occ[i].key) == 0)
            j++;
        for (size_t b = i + 1; b < j; b++) {
            /* one report per later occurrence: against the first earlier one that
             * gives a finding */
            size_t before = c->nfind;
            for (size_t a = i; a < b && a < i + 64 && c->nfind == before; a++)
                compare(c, &c->occ[a], &c->occ[b]);
        }
        i = j;
    }
}

static void checker_free(checker *c)
{
    for (size_t i = 0; i < c->nocc; i++) {
        free(c->occ[i].key);
        free((char *)c->occ[i].text);
        free((char *)c->occ[i].code);
        free((char *)c->occ[i].rcode);
    }
    free(c->occ);
    for (size_t i = 0; i < c->nfind; i++)
        free(c->find[i].msg);
    free(c->find);
    for (size_t i = 0; i < c->nfiles; i++)
        free(c->files[i]);
    free(c->files);
}

static int dict_check_cmd(int argc, char **argv)
{
    static const struct option opts[] = {
        {"format", required_argument, NULL, 'f'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    const char *format = "native";
    optind = 1;
    opterr = 0;
    int ch;
    while ((ch = getopt_long(argc, argv, "+f:h", opts, NULL)) != -1) {
        switch (ch) {
        case 'f':
            if (strcmp(optarg, "native") && strcmp(optarg, "petrarch") &&
                strcmp(optarg, "tabari")) {
                cli_error("dict check: --format must be native, petrarch or tabari");
                return EXIT_USAGE;
            }
            format = optarg;
            break;
        case 'h':
            usage_dict(stdout);
            return EXIT_OK;
        default:
            cli_error("dict check: unknown option '%s' (see 'dyad dict --help')",
                      argv[optind - 1]);
            return EXIT_USAGE;
        }
    }
    if (argc - optind != 1) {
        cli_error("dict check: %s (see 'dyad dict --help')",
                  argc - optind ? "one PATH only" : "a dictionary PATH is needed");
        return EXIT_USAGE;
    }
    const char *path = argv[optind];
    checker c = {0};
    dict_check hook = {&c, on_problem, on_pattern};
    char err[1024] = "";
    dyad_dict *d = strcmp(format, "petrarch") == 0 ? dict_check_petrarch(path, &hook, err, sizeof err)
                   : strcmp(format, "tabari") == 0 ? dict_check_tabari(path, &hook, err, sizeof err)
                                                   : dict_check_native(path, &hook, err, sizeof err);
    if (!d || c.oom) {
        cli_error("dict check: %s", c.oom ? "out of memory" : err);
        dyad_dict_free(d);
        checker_free(&c);
        return EXIT_FATAL;
    }
    size_t nentries = d->nentries;
    dyad_dict_free(d);
    compare_all(&c);
    if (c.oom) {
        cli_error("dict check: out of memory");
        checker_free(&c);
        return EXIT_FATAL;
    }
    if (c.nfind)
        qsort(c.find, c.nfind, sizeof *c.find, cmp_find);
    size_t errors = 0, warnings = 0;
    for (size_t i = 0; i < c.nfind; i++) {
        const finding *f = &c.find[i];
        if (i && f->file == f[-1].file && f->line == f[-1].line && f->error == f[-1].error &&
            strcmp(f->msg, f[-1].msg) == 0)
            continue; /* e.g. a phrase and its plural form found twice on one line */
        if (f->line > 0)
            printf("%s:%ld: %s: %s\n", f->file, f->line, f->error ? "error" : "warning", f->msg);
        else
            printf("%s: %s: %s\n", f->file, f->error ? "error" : "warning", f->msg);
        if (f->error)
            errors++;
        else
            warnings++;
    }
    printf("dyad dict check: %zu entries, %zu errors, %zu warnings\n", nentries, errors,
           warnings);
    checker_free(&c);
    if (fflush(stdout) || ferror(stdout)) {
        cli_error("dict check: cannot write the output");
        return EXIT_FATAL;
    }
    return errors ? EXIT_REJECTED : EXIT_OK;
}

dyad_dict *cli_dict_load(const char *path, int petrarch, char *err, size_t errlen)
{
    char buf[4096];
    const char *cache = dict_default_cache_dir(buf, sizeof buf);
    return dict_load_cached(path, petrarch ? DICT_FORMAT_PETRARCH : DICT_FORMAT_NATIVE, cache, NULL,
                            err, errlen);
}

static double now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static int dict_compile_cmd(int argc, char **argv)
{
    static const struct option opts[] = {
        {"format", required_argument, NULL, 'f'},
        {"output", required_argument, NULL, 'o'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    int format = DICT_FORMAT_NATIVE;
    const char *out = NULL;
    optind = 1;
    opterr = 0;
    int ch;
    while ((ch = getopt_long(argc, argv, "f:o:h", opts, NULL)) != -1) {
        switch (ch) {
        case 'f':
            if (strcmp(optarg, "native") == 0)
                format = DICT_FORMAT_NATIVE;
            else if (strcmp(optarg, "petrarch") == 0)
                format = DICT_FORMAT_PETRARCH;
            else {
                cli_error("dict compile: --format must be native or petrarch");
                return EXIT_USAGE;
            }
            break;
        case 'o':
            out = optarg;
            break;
        case 'h':
            usage_dict(stdout);
            return EXIT_OK;
        default:
            cli_error("dict compile: unknown option '%s' (see 'dyad dict --help')",
                      argv[optind - 1]);
            return EXIT_USAGE;
        }
    }
    if (argc - optind != 1) {
        cli_error("dict compile: %s (see 'dyad dict --help')",
                  argc - optind ? "one PATH only" : "a dictionary PATH is needed");
        return EXIT_USAGE;
    }
    const char *path = argv[optind];
    char err[1024] = "", abs[4096], cbuf[4096], file[4096];
    if (dict_is_compiled(path)) {
        cli_error("dict compile: %s is already compiled", path);
        return EXIT_USAGE;
    }
    uint64_t key;
    if (!realpath(path, abs)) {
        cli_error("dict compile: %s: %s", path, strerror(errno));
        return EXIT_FATAL;
    }
    if (dict_source_key(abs, format, &key, err, sizeof err)) {
        cli_error("dict compile: %s", err);
        return EXIT_FATAL;
    }
    const char *cache = NULL;
    if (!out) {
        cache = dict_default_cache_dir(cbuf, sizeof cbuf);
        if (!cache) {
            cli_error("dict compile: no cache directory (DYAD_CACHE_DIR is off and no HOME); "
                      "use -o FILE");
            return EXIT_USAGE;
        }
        if (dict_cache_file_name(cache, abs, format, key, file, sizeof file)) {
            cli_error("dict compile: cache path too long");
            return EXIT_FATAL;
        }
        out = file;
    }
    double t0 = now_ms();
    dyad_dict *d = dict_load_source(path, format, err, sizeof err);
    if (!d) {
        cli_error("dict compile: %s", err);
        return EXIT_FATAL;
    }
    double t1 = now_ms();
    size_t n = d->nentries;
    int rc = cache ? dict_cache_store(d, cache, out, abs, format, key, err, sizeof err)
                   : dict_cache_write(d, out, abs, format, key, err, sizeof err);
    dyad_dict_free(d);
    if (rc) {
        cli_error("dict compile: %s", err);
        return EXIT_FATAL;
    }
    double t2 = now_ms();
    d = dict_cache_open(out, 0, err, sizeof err); /* prove it opens, and time it */
    double t3 = now_ms();
    if (!d) {
        cli_error("dict compile: %s", err);
        return EXIT_FATAL;
    }
    dyad_dict_free(d);
    struct stat st;
    long long size = stat(out, &st) == 0 ? (long long)st.st_size : -1;
    printf("dyad dict compile: %zu entries from %s -> %s (%lld bytes); loading the text took "
           "%.1f ms, opening the compiled file %.1f ms\n",
           n, path, out, size, t1 - t0, t3 - t2);
    if (fflush(stdout) || ferror(stdout)) {
        cli_error("dict compile: cannot write the output");
        return EXIT_FATAL;
    }
    return EXIT_OK;
}

typedef struct convert_report {
    int verbose;
    size_t problems;
} convert_report;

static void convert_problem(void *ctx, const char *file, long line, int error, const char *msg)
{
    convert_report *r = ctx;
    if (!error)
        return;
    r->problems++;
    if (r->verbose) {
        if (line > 0)
            fprintf(stderr, "dyad: dict convert: %s:%ld: skipped: %s\n", file, line, msg);
        else
            fprintf(stderr, "dyad: dict convert: %s: skipped: %s\n", file, msg);
    }
}

static void convert_pattern(void *ctx, const char *key, int kind, const char *text,
                            const char *code, const char *rcode, int from, int to,
                            const char *file, long line)
{
}

static void convert_skip(void *ctx, const dict_entry *e, const char *why)
{
    convert_report *r = ctx;
    if (r->verbose)
        fprintf(stderr, "dyad: dict convert: %s: not converted: %s: %s\n", e->rule ? e->rule : "?",
                why, e->text ? e->text : "");
}

static int dict_convert_cmd(int argc, char **argv)
{
    static const struct option opts[] = {
        {"format", required_argument, NULL, 'f'},
        {"output", required_argument, NULL, 'o'},
        {"force", no_argument, NULL, 'F'},
        {"verbose", no_argument, NULL, 'v'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    const char *format = NULL, *out = NULL;
    int force = 0;
    convert_report rep = {0, 0};
    optind = 1;
    opterr = 0;
    int ch;
    while ((ch = getopt_long(argc, argv, "f:o:vh", opts, NULL)) != -1) {
        switch (ch) {
        case 'f':
            if (strcmp(optarg, "petrarch") && strcmp(optarg, "tabari")) {
                cli_error("dict convert: --format must be petrarch or tabari");
                return EXIT_USAGE;
            }
            format = optarg;
            break;
        case 'o':
            out = optarg;
            break;
        case 'F':
            force = 1;
            break;
        case 'v':
            rep.verbose = 1;
            break;
        case 'h':
            usage_dict(stdout);
            return EXIT_OK;
        default:
            cli_error("dict convert: unknown option '%s' (see 'dyad dict --help')",
                      argv[optind - 1]);
            return EXIT_USAGE;
        }
    }
    if (argc - optind != 1 || !format || !out) {
        cli_error("dict convert: %s (see 'dyad dict --help')",
                  !format ? "--format petrarch|tabari is needed"
                  : !out  ? "-o DIR is needed"
                          : argc - optind ? "one PATH only" : "a dictionary PATH is needed");
        return EXIT_USAGE;
    }
    const char *path = argv[optind];
    dict_check hook = {&rep, convert_problem, convert_pattern};
    char err[1024] = "";
    dyad_dict *d = strcmp(format, "petrarch") == 0 ? dict_check_petrarch(path, &hook, err, sizeof err)
                                                   : dict_check_tabari(path, &hook, err, sizeof err);
    if (!d) {
        cli_error("dict convert: %s", err);
        return EXIT_FATAL;
    }
    dict_convert_stats st;
    int rc = dict_write_native(d, out, path, force, &st, convert_skip, &rep, err, sizeof err);
    dyad_dict_free(d);
    if (rc) {
        cli_error("dict convert: %s", err);
        return EXIT_FATAL;
    }
    printf("dyad dict convert: %s -> %s: %zu actor, %zu agent, %zu verb, %zu noun and %zu discard "
           "lines; %zu malformed source lines and %zu entries not converted%s\n",
           path, out, st.written[ENT_ACTOR], st.written[ENT_AGENT], st.written[ENT_VERB],
           st.written[ENT_NOUN], st.written[ENT_DISCARD], rep.problems, st.skipped,
           (rep.problems || st.skipped) && !rep.verbose ? " (-v lists them)" : "");
    if (fflush(stdout) || ferror(stdout)) {
        cli_error("dict convert: cannot write the output");
        return EXIT_FATAL;
    }
    return EXIT_OK;
}

int cmd_dict(int argc, char **argv)
{
    if (argc < 2) {
        usage_dict(stderr);
        return EXIT_USAGE;
    }
    if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
        usage_dict(stdout);
        return EXIT_OK;
    }
    if (strcmp(argv[1], "check") == 0)
        return dict_check_cmd(argc - 1, argv + 1);
    if (strcmp(argv[1], "compile") == 0)
        return dict_compile_cmd(argc - 1, argv + 1);
    if (strcmp(argv[1], "convert") == 0)
        return dict_convert_cmd(argc - 1, argv + 1);
    cli_error("dict: no such action '%s' (dyad dict check|compile|convert; see 'dyad dict --help')",
              argv[1]);
    return EXIT_USAGE;
}
