/*
 * gold.c - readers for dyad's JSON Lines gold format and PETRARCH validation
 * XML (libxml2).  A malformed gold file is an error of the evaluation itself,
 * so unlike document input the first bad record stops loading.
 */
#include "eval/gold.h"
#include "dyad.h"
#include "core/doc.h"

#include <errno.h>
#include <jansson.h>
#include <libxml/parser.h>
#include <libxml/tree.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define GOLD_MAX_FILE ((size_t)1 << 30)

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

int gold_code_matches(const char *gold, const char *pred)
{
    /* alternatives: "13|17" */
    for (const char *p = gold;;) {
        size_t n = strcspn(p, "|");
        if (n == 2 ? strncmp(p, pred, 2) == 0 : (strlen(pred) == n && strncmp(p, pred, n) == 0))
            return 1;
        if (!p[n])
            return 0;
        p += n + 1;
    }
}

/* ---------------------------------------------------------------------- */
/* JSON Lines                                                               */

static int json_events(gold_set *g, json_t *arr, gold_event **out, size_t *n, const char *what,
                       long line, char *err, size_t errlen)
{
    if (!arr)
        return 0;
    if (!json_is_array(arr))
        return fail(err, errlen, g->path, line, "\"%s\" must be an array", what);
    size_t k = json_array_size(arr);
    *out = arena_alloc(&g->mem, (k ? k : 1) * sizeof **out);
    if (!*out)
        return fail(err, errlen, g->path, line, "out of memory");
    for (size_t i = 0; i < k; i++) {
        json_t *e = json_array_get(arr, i);
        json_t *s = json_object_get(e, "source"), *t = json_object_get(e, "target"),
               *c = json_object_get(e, "code");
        if (!json_is_object(e) || !json_is_string(c) || (s && !json_is_string(s)) ||
            (t && !json_is_string(t)))
            return fail(err, errlen, g->path, line,
                        "each of \"%s\" needs string \"source\", \"target\" and \"code\"", what);
        const char *code = json_string_value(c);
        for (const char *p = code;;) {
            size_t cl = strcspn(p, "|");
            if (cl < 2 || cl > 4 || strspn(p, "0123456789") < cl)
                return fail(err, errlen, g->path, line,
                            "\"code\" \"%s\" is not a CAMEO code (or codes joined by '|')", code);
            if (!p[cl])
                break;
            p += cl + 1;
        }
        (*out)[i].event_date = NULL;
        (*out)[i].modality = 0;
        json_t *ed = json_object_get(e, "event_date"), *mo = json_object_get(e, "modality");
        if (ed) {
            const char *d = json_is_string(ed) ? json_string_value(ed) : "";
            if (!date_parse(d, strlen(d)))
                return fail(err, errlen, g->path, line, "\"event_date\" must be YYYY-MM-DD");
            (*out)[i].event_date = arena_strdup(&g->mem, d);
        }
        if (mo) {
            const char *m = json_is_string(mo) ? json_string_value(mo) : "";
            for (int md = DYAD_ASSERTED; md <= DYAD_NEGATED; md++)
                if (strcmp(m, dyad_modality_name((dyad_modality)md)) == 0)
                    (*out)[i].modality = md + 1;
            if ((*out)[i].modality == 0)
                return fail(err, errlen, g->path, line,
                            "\"modality\" must be asserted, reported, intended, hypothetical or "
                            "negated");
        }
        (*out)[i].source = arena_strdup(&g->mem, s ? json_string_value(s) : "");
        (*out)[i].target = arena_strdup(&g->mem, t ? json_string_value(t) : "");
        (*out)[i].code = arena_strdup(&g->mem, code);
        if (!(*out)[i].source || !(*out)[i].target || !(*out)[i].code)
            return fail(err, errlen, g->path, line, "out of memory");
    }
    *n = k;
    return 0;
}

static const char *json_str(gold_set *g, json_t *o, const char *key)
{
    json_t *v = json_object_get(o, key);
    return json_is_string(v) ? arena_strdup(&g->mem, json_string_value(v)) : NULL;
}

static int load_jsonl(gold_set *g, const char *buf, size_t n, char *err, size_t errlen)
{
    long line = 0;
    size_t i = 0;
    while (i < n) {
        size_t j = i;
        while (j < n && buf[j] != '\n')
            j++;
        line++;
        size_t a = i;
        while (a < j && (buf[a] == ' ' || buf[a] == '\t' || buf[a] == '\r'))
            a++;
        if (a == j || buf[a] == '#') { /* blank and comment lines */
            i = j + 1;
            continue;
        }
        json_error_t je;
        json_t *o = json_loadb(buf + i, j - i, 0, &je);
        if (!o)
            return fail(err, errlen, g->path, line, "malformed JSON at column %d: %s", je.column,
                        je.text);
        int rc = 0;
        gold_record *r = add_record(g);
        if (!r) {
            rc = fail(err, errlen, g->path, line, "out of memory");
            goto next;
        }
        r->line = line;
        r->id = json_str(g, o, "id");
        r->text = json_str(g, o, "text");
        r->date = json_str(g, o, "date");
        r->category = json_str(g, o, "category");
        r->error = json_str(g, o, "error");
        r->parse = json_str(g, o, "parse");
        if (!r->id || !r->text || !r->date) {
            rc = fail(err, errlen, g->path, line, "a gold record needs string \"id\", \"date\" "
                                                  "and \"text\"");
            goto next;
        }
        if (!date_parse(r->date, strlen(r->date))) {
            rc = fail(err, errlen, g->path, line, "\"date\" \"%s\" is not YYYY-MM-DD", r->date);
            goto next;
        }
        json_t *ev = json_object_get(o, "events");
        if (!ev && !r->error) {
            rc = fail(err, errlen, g->path, line,
                      "missing \"events\" (use [] for a text that must yield no event)");
            goto next;
        }
        rc = json_events(g, ev, &r->events, &r->nevents, "events", line, err, errlen);
        if (!rc)
            rc = json_events(g, json_object_get(o, "absent"), &r->absent, &r->nabsent, "absent",
                             line, err, errlen);
        json_t *qs = json_object_get(o, "quotes");
        if (!rc && qs) {
            if (!json_is_array(qs)) {
                rc = fail(err, errlen, g->path, line, "\"quotes\" must be an array");
                goto next;
            }
            r->has_quotes = 1;
            r->nquotes = json_array_size(qs);
            r->quotes = arena_alloc(&g->mem, (r->nquotes ? r->nquotes : 1) * sizeof *r->quotes);
            if (!r->quotes) {
                rc = fail(err, errlen, g->path, line, "out of memory");
                goto next;
            }
            for (size_t k = 0; k < r->nquotes && !rc; k++) {
                json_t *q = json_array_get(qs, k);
                const char *sp = json_str(g, q, "speaker"), *tx = json_str(g, q, "text");
                if (!json_is_object(q) || !sp || !tx)
                    rc = fail(err, errlen, g->path, line,
                              "each of \"quotes\" needs string \"speaker\" and \"text\"");
                r->quotes[k] = (gold_quote){sp, tx};
            }
        }
    next:
        json_decref(o);
        if (rc)
            return rc;
        i = j + 1;
    }
    return 0;
}

/* ---------------------------------------------------------------------- */
/* PETRARCH XML                                                             */

static char *xml_attr(gold_set *g, xmlNode *n, const char *name)
{
    xmlChar *v = xmlGetProp(n, (const xmlChar *)name);
    if (!v)
        return NULL;
    /* attributes such as noevents = " True" carry stray blanks */
    const char *s = (const char *)v;
    while (*s == ' ')
        s++;
    size_t len = strlen(s);
    while (len && s[len - 1] == ' ')
        len--;
    char *copy = arena_strndup(&g->mem, s, len);
    xmlFree(v);
    return copy;
}

/* Element text with runs of whitespace collapsed to one blank, trimmed. */
static char *xml_text(gold_set *g, xmlNode *n)
{
    xmlChar *v = xmlNodeGetContent(n);
    if (!v)
        return NULL;
    const char *s = (const char *)v;
    size_t len = strlen(s), o = 0;
    char *out = arena_alloc(&g->mem, len + 1);
    if (out) {
        int space = 1;
        for (size_t i = 0; i < len; i++) {
            char c = s[i];
            if (c == ' ' || c == '\n' || c == '\t' || c == '\r') {
                if (!space)
                    out[o++] = ' ';
                space = 1;
            } else {
                out[o++] = c;
                space = 0;
            }
        }
        while (o && out[o - 1] == ' ')
            o--;
        out[o] = '\0';
    }
    xmlFree(v);
    return out;
}

static int is_elem(xmlNode *n, const char *name)
{
    return n->type == XML_ELEMENT_NODE && xmlStrcmp(n->name, (const xmlChar *)name) == 0;
}

/* Path of a file named in <Environment>, beside the gold file. */
static const char *beside(gold_set *g, const char *file)
{
    const char *slash = strrchr(g->path, '/');
    size_t dn = slash ? (size_t)(slash - g->path) + 1 : 0;
    size_t fn = strlen(file);
    char *p = arena_alloc(&g->mem, dn + fn + 1);
    if (p) {
        memcpy(p, g->path, dn);
        memcpy(p + dn, file, fn + 1);
    }
    return p;
}

static int read_sentence(gold_set *g, xmlNode *s, char *err, size_t errlen)
{
    long line = xmlGetLineNo(s);
    gold_record *r = add_record(g);
    if (!r)
        return fail(err, errlen, g->path, line, "out of memory");
    r->line = line;
    r->id = xml_attr(g, s, "id");
    r->category = xml_attr(g, s, "category");
    char *date = xml_attr(g, s, "date");
    if (!r->id || !date)
        return fail(err, errlen, g->path, line, "<Sentence> needs id and date attributes");
    if (strlen(date) != 8 || strspn(date, "0123456789") != 8)
        return fail(err, errlen, g->path, line, "date \"%s\" is not YYYYMMDD", date);
    char *iso = arena_alloc(&g->mem, 11);
    if (!iso)
        return fail(err, errlen, g->path, line, "out of memory");
    snprintf(iso, 11, "%.4s-%.2s-%.2s", date, date + 4, date + 6);
    if (!date_parse(iso, 10))
        return fail(err, errlen, g->path, line, "date \"%s\" is not a calendar date", date);
    r->date = iso;
    size_t nev = 0;
    for (xmlNode *c = s->children; c; c = c->next)
        nev += is_elem(c, "EventCoding");
    r->events = arena_alloc(&g->mem, (nev ? nev : 1) * sizeof *r->events);
    if (!r->events)
        return fail(err, errlen, g->path, line, "out of memory");
    for (xmlNode *c = s->children; c; c = c->next) {
        if (is_elem(c, "Text"))
            r->text = xml_text(g, c);
        else if (is_elem(c, "Parse"))
            r->parse = xml_text(g, c);
        else if (is_elem(c, "EventCoding")) {
            char *error = xml_attr(g, c, "error");
            char *noev = xml_attr(g, c, "noevents");
            if (error) {
                r->error = error;
                continue;
            }
            if (noev)
                continue; /* no events expected: the empty list says so */
            gold_event *e = &r->events[r->nevents];
            e->source = xml_attr(g, c, "sourcecode");
            e->target = xml_attr(g, c, "targetcode");
            e->code = xml_attr(g, c, "eventcode");
            if (!e->source || !e->target || !e->code)
                return fail(err, errlen, g->path, xmlGetLineNo(c),
                            "<EventCoding> needs sourcecode, targetcode and eventcode");
            r->nevents++;
        }
    }
    if (!r->text)
        return fail(err, errlen, g->path, line, "<Sentence id=\"%s\"> has no <Text>", r->id);
    return 0;
}

static int walk(gold_set *g, xmlNode *n, char *err, size_t errlen)
{
    for (; n; n = n->next) {
        if (is_elem(n, "Sentence")) {
            if (read_sentence(g, n, err, errlen))
                return -1;
            continue;
        }
        if (is_elem(n, "Environment")) {
            for (xmlNode *c = n->children; c; c = c->next) {
                const char **slot = is_elem(c, "Verbfile")      ? &g->verbfile
                                    : is_elem(c, "Actorfile")   ? &g->actorfile
                                    : is_elem(c, "Agentfile")   ? &g->agentfile
                                    : is_elem(c, "Discardfile") ? &g->discardfile
                                                                : NULL;
                if (slot) {
                    char *f = xml_text(g, c);
                    if (f && *f)
                        *slot = beside(g, f);
                }
            }
            continue;
        }
        if (n->type == XML_ELEMENT_NODE && walk(g, n->children, err, errlen))
            return -1;
    }
    return 0;
}

static int load_xml(gold_set *g, const char *buf, size_t n, char *err, size_t errlen)
{
    if (n > INT32_MAX)
        return fail(err, errlen, g->path, 0, "too large");
    xmlDoc *x = xmlReadMemory(buf, (int)n, g->path, NULL,
                              XML_PARSE_NONET | XML_PARSE_NOWARNING | XML_PARSE_NOERROR);
    if (!x) {
        const xmlError *e = xmlGetLastError();
        return fail(err, errlen, g->path, e ? e->line : 0, "malformed XML: %s",
                    e && e->message ? e->message : "parse error");
    }
    g->petrarch = 1;
    int rc = walk(g, xmlDocGetRootElement(x), err, errlen);
    xmlFreeDoc(x);
    return rc;
}

int gold_load(gold_set *g, const char *path, char *err, size_t errlen)
{
    memset(g, 0, sizeof *g);
    arena_init(&g->mem, 0);
    g->path = arena_strdup(&g->mem, path);
    FILE *f = fopen(path, "rb");
    if (!f)
        return fail(err, errlen, path, 0, "cannot open: %s", strerror(errno));
    size_t cap = 1 << 20, n = 0;
    char *buf = malloc(cap);
    int rc = 0;
    while (buf) {
        if (n == cap) {
            if (cap >= GOLD_MAX_FILE) {
                rc = fail(err, errlen, path, 0, "larger than 1 GiB");
                break;
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
        size_t k = fread(buf + n, 1, cap - n, f);
        n += k;
        if (k == 0)
            break;
    }
    if (!buf)
        rc = fail(err, errlen, path, 0, "out of memory");
    else if (!rc && ferror(f))
        rc = fail(err, errlen, path, 0, "read error: %s", strerror(errno));
    fclose(f);
    if (!rc) {
        size_t len = strlen(path);
        size_t a = 0;
        while (a < n && (buf[a] == ' ' || buf[a] == '\n' || buf[a] == '\r' || buf[a] == '\t'))
            a++;
        if (len > 8 && strcmp(path + len - 8, ".project") == 0)
            rc = gold_load_tabari_project(g, buf, n, err, errlen);
        else if ((len > 4 && strcmp(path + len - 4, ".xml") == 0) || (a < n && buf[a] == '<'))
            rc = load_xml(g, buf, n, err, errlen);
        else
            rc = load_jsonl(g, buf, n, err, errlen);
    }
    free(buf);
    return rc;
}

void gold_free(gold_set *g)
{
    free(g->recs);
    arena_free(&g->mem);
    memset(g, 0, sizeof *g);
}
