/*
 * tabari.c - TABARI's validation suite as gold records: the project file
 * (Validate.project) names the dictionaries and the text file beside it; the
 * text file (Validate.text) holds the records.
 *
 * A record is a paragraph (records are separated by blank lines, as TABARI
 * reads them): a first line "YYMMDD ID", the sentence lines, and a comment
 * block from "/ *" (no blank) to its end whose braces give the expectation:
 *
 *   { SRC / TGT / CODE } [date] [label]   an expected event (several allowed)
 *   {+++} {---} {###} {}                   no event: complex, none, discard
 *   -{ ... }                               a deactivated expectation: ignored
 *   { OPTION: ... }                        a switch for the records that follow
 *
 * A record with expected events or a no-event mark is read; a record whose
 * braces are only options or deactivated expectations is not a test and is
 * skipped (counted in gold_set.tabari_skipped).  The only option acted on is
 * "SET: YYYY = TRUE/FALSE", which switches dates between YYMMDD and YYYYMMDD
 * (TABARI reads the date as a fixed-width field, so a longer digit run keeps
 * its first 6 or 8 digits, as in the suite's "9501201"); the others change
 * TABARI's own processing (time shifts, default actors, comma rules) and have
 * no counterpart in dyad.  Reading stops at the record that says it ends the
 * standard validation records (FINAL-01): after it come records meant to
 * break TABARI.  TABARI writes an agent without an actor as "~MOS"; dyad
 * writes "---MOS" (as PETRARCH), so expected codes are translated.
 */
#include "eval/gold.h"
#include "core/doc.h"

#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define TAB_MAX_FILE ((size_t)1 << 28)
#define TAB_MAX_EVENTS 256 /* expected events of one record */

static int fail(char *err, size_t errlen, const char *path, long line, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));
static int fail(char *err, size_t errlen, const char *path, long line, const char *fmt, ...)
{
    int k = line ? snprintf(err, errlen, "%s:%ld: ", path, line) : snprintf(err, errlen, "%s: ", path);
    if (k >= 0 && (size_t)k < errlen) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(err + k, errlen - (size_t)k, fmt, ap);
        va_end(ap);
    }
    return -1;
}

static gold_record *add_record(gold_set *g)
{
    if (g->n == g->cap) {
        size_t cap = g->cap ? g->cap * 2 : 256;
        gold_record *r = realloc(g->recs, cap * sizeof *r);
        if (!r)
            return NULL;
        g->recs = r;
        g->cap = cap;
    }
    gold_record *r = &g->recs[g->n++];
    memset(r, 0, sizeof *r);
    return r;
}

/* The whole file, NUL-terminated (bounded). */
static char *read_all(const char *path, size_t *len, char *err, size_t errlen)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        fail(err, errlen, path, 0, "cannot open: %s", strerror(errno));
        return NULL;
    }
    size_t cap = 1 << 16, n = 0;
    char *buf = malloc(cap);
    while (buf) {
        if (n + 1 >= cap) {
            if (cap >= TAB_MAX_FILE) {
                free(buf);
                fclose(f);
                fail(err, errlen, path, 0, "larger than %zu MiB", TAB_MAX_FILE >> 20);
                return NULL;
            }
            char *nb = realloc(buf, cap * 2);
            if (!nb) {
                free(buf);
                buf = NULL;
                break;
            }
            buf = nb;
            cap *= 2;
        }
        size_t k = fread(buf + n, 1, cap - n - 1, f);
        n += k;
        if (k == 0)
            break;
    }
    if (!buf) {
        fclose(f);
        fail(err, errlen, path, 0, "out of memory");
        return NULL;
    }
    if (ferror(f)) {
        free(buf);
        fclose(f);
        fail(err, errlen, path, 0, "read error: %s", strerror(errno));
        return NULL;
    }
    fclose(f);
    buf[n] = '\0';
    *len = n;
    return buf;
}

/* Path of file beside base (arena copy). */
static const char *beside(gold_set *g, const char *base, const char *file, size_t fn)
{
    const char *slash = strrchr(base, '/');
    size_t dn = slash ? (size_t)(slash - base) + 1 : 0;
    if (file[0] == '/')
        dn = 0;
    char *p = arena_alloc(&g->mem, dn + fn + 1);
    if (p) {
        memcpy(p, base, dn);
        memcpy(p + dn, file, fn);
        p[dn + fn] = '\0';
    }
    return p;
}

static char *trim(char *s)
{
    while (*s == ' ' || *s == '\t')
        s++;
    size_t n = strlen(s);
    while (n && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r'))
        s[--n] = '\0';
    return s;
}

/* One expected event "SRC / TGT / CODE" (upper-cased; "~AGT" -> "---AGT"). */
static int parse_event(gold_set *g, char *in, gold_event *e)
{
    char *part[3];
    char *save = NULL;
    int k = 0;
    for (char *p = strtok_r(in, "/", &save); p; p = strtok_r(NULL, "/", &save)) {
        if (k == 3)
            return -1;
        part[k++] = trim(p);
    }
    if (k != 3)
        return -1;
    const char **out[3] = {&e->source, &e->target, &e->code};
    for (int i = 0; i < 3; i++) {
        char buf[64];
        if (!*part[i] || strlen(part[i]) >= sizeof buf - 3 || strpbrk(part[i], " \t"))
            return -1;
        snprintf(buf, sizeof buf, "%s%s", part[i][0] == '~' && i < 2 ? "---" : "",
                 part[i] + (part[i][0] == '~' && i < 2));
        for (char *q = buf; *q; q++)
            *q = (char)toupper((unsigned char)*q);
        if (!(*out[i] = arena_strdup(&g->mem, buf)))
            return -2;
    }
    return 0;
}

/* Reads one record: the paragraph para (NUL-terminated, modified), starting at line ln. */
static int read_record(gold_set *g, const char *path, char *para, long ln, int *yyyy, int *done,
                       char *err, size_t errlen)
{
    /* header: digits, blank, id */
    char *nl = strchr(para, '\n');
    char *body = nl ? nl + 1 : para + strlen(para);
    if (nl)
        *nl = '\0';
    char *h = trim(para);
    size_t nd = strspn(h, "0123456789");
    if (nd < 6 || (h[nd] != ' ' && h[nd] != '\t'))
        return fail(err, errlen, path, ln, "a record must start with \"YYMMDD ID\", not \"%.40s\"",
                    h);
    size_t want = *yyyy ? 8 : 6;
    if (nd < want)
        return fail(err, errlen, path, ln, "date \"%.*s\" has fewer than %zu digits", (int)nd, h,
                    want);
    char iso[11];
    if (*yyyy) {
        snprintf(iso, sizeof iso, "%.4s-%.2s-%.2s", h, h + 4, h + 6);
    } else {
        int yy = (h[0] - '0') * 10 + (h[1] - '0');
        snprintf(iso, sizeof iso, "%s%.2s-%.2s-%.2s", yy <= 30 ? "20" : "19", h, h + 2, h + 4);
    }
    if (!date_parse(iso, 10))
        return fail(err, errlen, path, ln, "date \"%.*s\" is not a calendar date", (int)nd, h);
    char *id = trim(h + nd);
    size_t idn = strcspn(id, " \t");
    id[idn] = '\0';

    /* text up to the comment, the comment after it */
    char *com = strstr(body, "/*");
    if (com)
        *com = '\0';
    char *comment = com ? com + 2 : NULL;
    if (!comment) {
        /* no expectation: FINAL-01 (ends the run) or not a test */
        if (strstr(body, "end of the standard validation records"))
            *done = 1;
        else
            g->tabari_skipped++;
        return 0;
    }
    char *close = strstr(comment, "*/");
    if (close)
        *close = '\0';

    gold_event ev[TAB_MAX_EVENTS];
    size_t nev = 0;
    int noevent = 0;
    for (char *p = comment; (p = strchr(p, '{'));) {
        int off = p > comment && p[-1] == '-';
        char *q = p + 1;
        size_t k = strcspn(q, "}\n");
        char save = q[k];
        q[k] = '\0';
        char item[256];
        snprintf(item, sizeof item, "%s", q);
        q[k] = save;
        p = q + k;
        char *t = trim(item);
        if (strncmp(t, "OPTION:", 7) == 0) {
            /* SET: YYYY = TRUE|FALSE switches the date format of the records that follow */
            char *y = strstr(t, "YYYY");
            if (y && strstr(t, "SET:")) {
                char *eq = strchr(y, '=');
                if (eq)
                    *yyyy = strstr(eq, "TRUE") != NULL;
            }
            continue;
        }
        if (off)
            continue;
        if (!strchr(t, '/')) {
            if (!*t || strcmp(t, "+++") == 0 || strcmp(t, "---") == 0 || strcmp(t, "###") == 0) {
                noevent = 1;
                continue;
            }
            continue; /* braces in the prose of the comment */
        }
        if (nev == TAB_MAX_EVENTS)
            return fail(err, errlen, path, ln, "record %s expects more than %d events", id,
                        TAB_MAX_EVENTS);
        int rc = parse_event(g, t, &ev[nev]);
        if (rc == -2)
            return fail(err, errlen, path, ln, "out of memory");
        if (rc)
            return fail(err, errlen, path, ln,
                        "record %s: expected event \"{%.60s}\" is not { SOURCE / TARGET / CODE }",
                        id, q);
        nev++;
    }
    if (!nev && !noevent) {
        g->tabari_skipped++; /* options only, or deactivated expectations */
        return 0;
    }
    gold_record *r = add_record(g);
    if (!r)
        return fail(err, errlen, path, ln, "out of memory");
    r->line = ln;
    r->id = arena_strdup(&g->mem, id);
    r->date = arena_strdup(&g->mem, iso);
    /* category: the id without its number ("VERBEND-01c" -> "VERBEND") */
    size_t cn = strcspn(id, "-");
    r->category = arena_strndup(&g->mem, id, cn ? cn : strlen(id));
    /* text: the lines joined by blanks, whitespace runs collapsed */
    size_t bl = strlen(body);
    char *text = arena_alloc(&g->mem, bl + 1);
    r->events = arena_alloc(&g->mem, (nev ? nev : 1) * sizeof *r->events);
    if (!r->id || !r->date || !r->category || !text || !r->events)
        return fail(err, errlen, path, ln, "out of memory");
    size_t o = 0;
    int space = 1;
    for (size_t i = 0; i < bl; i++) {
        char c = body[i];
        if (c == ' ' || c == '\n' || c == '\t' || c == '\r') {
            if (!space)
                text[o++] = ' ';
            space = 1;
        } else {
            text[o++] = c;
            space = 0;
        }
    }
    while (o && text[o - 1] == ' ')
        o--;
    text[o] = '\0';
    r->text = text;
    memcpy(r->events, ev, nev * sizeof *ev);
    r->nevents = nev;
    return 0;
}

int gold_load_tabari_text(gold_set *g, const char *path, char *err, size_t errlen)
{
    size_t n;
    char *buf = read_all(path, &n, err, errlen);
    if (!buf)
        return -1;
    if (memchr(buf, '\0', n)) {
        free(buf);
        return fail(err, errlen, path, 0, "NUL byte in file");
    }
    int yyyy = 0, done = 0, rc = 0;
    long line = 0;
    char *p = buf;
    while (!rc && !done && *p) {
        /* skip blank lines and '#' lines between records */
        char *eol = strchr(p, '\n');
        line++;
        char *t = p;
        while (*t == ' ' || *t == '\t' || *t == '\r')
            t++;
        if (*t == '\n' || *t == '\0' || *t == '#') {
            p = eol ? eol + 1 : p + strlen(p);
            continue;
        }
        /* the paragraph: up to the next blank line */
        long start = line;
        char *q = p;
        for (;;) {
            char *e = strchr(q, '\n');
            if (!e) {
                q += strlen(q);
                break;
            }
            char *u = e + 1;
            while (*u == ' ' || *u == '\t' || *u == '\r')
                u++;
            if (*u == '\n' || *u == '\0') {
                q = e;
                break;
            }
            q = e + 1;
            line++;
        }
        char save = *q;
        *q = '\0';
        rc = read_record(g, path, p, start, &yyyy, &done, err, errlen);
        *q = save;
        p = *q ? q + 1 : q;
    }
    free(buf);
    return rc;
}

int gold_load_tabari_project(gold_set *g, const char *buf, size_t n, char *err, size_t errlen)
{
    static const char *const tags[] = {"<actorsfile>", "<verbsfile>", "<agentsfile>",
                                       "<textfile>"};
    const char **slots[] = {&g->tabari_actors, &g->tabari_verbs, &g->tabari_agents, NULL};
    const char *text = NULL;
    long line = 0;
    for (size_t i = 0; i < n;) {
        size_t j = i;
        while (j < n && buf[j] != '\n')
            j++;
        line++;
        const char *s = buf + i;
        size_t len = j - i;
        for (int k = 0; k < 4; k++) {
            size_t tl = strlen(tags[k]);
            if (len < tl || strncasecmp(s, tags[k], tl) != 0)
                continue;
            const char *v = s + tl, *e = s + len;
            while (v < e && (*v == ' ' || *v == '\t'))
                v++;
            while (e > v && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\r'))
                e--;
            if (e == v)
                return fail(err, errlen, g->path, line, "%s names no file", tags[k]);
            const char *p = beside(g, g->path, v, (size_t)(e - v));
            if (!p)
                return fail(err, errlen, g->path, line, "out of memory");
            if (slots[k])
                *slots[k] = p;
            else
                text = p;
        }
        i = j + 1;
    }
    if (!text)
        return fail(err, errlen, g->path, 0, "no <textfile> line: not a TABARI project file");
    g->tabari = 1;
    return gold_load_tabari_text(g, text, err, errlen);
}
