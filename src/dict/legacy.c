/*
 * legacy.c - the lexical layer common to the PETRARCH2 and TABARI
 * dictionary readers (see legacy.h).
 */
#include "dict/legacy.h"
#include "core/doc.h"
#include "text/text.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

char *legacy_skip_blank(char *s)
{
    while (*s == ' ' || *s == '\t')
        s++;
    return s;
}

void legacy_trim_end(char *s)
{
    size_t n = strlen(s);
    while (n && (s[n - 1] == ' ' || s[n - 1] == '\t'))
        s[--n] = '\0';
}

void legacy_upcase(char *s)
{
    for (; *s; s++)
        *s = (char)toupper((unsigned char)*s);
}

int legacy_date(const char *s, size_t n)
{
    char iso[11];
    for (size_t i = 0; i < n; i++)
        if (!isdigit((unsigned char)s[i]))
            return 0;
    if (n == 6) {
        int yy = (s[0] - '0') * 10 + (s[1] - '0');
        snprintf(iso, sizeof iso, "%s%.2s-%.2s-%.2s", yy <= 30 ? "20" : "19", s, s + 2, s + 4);
    } else if (n == 8) {
        snprintf(iso, sizeof iso, "%.4s-%.2s-%.2s", s, s + 4, s + 6);
    } else {
        return 0;
    }
    return date_parse(iso, 10);
}

static int parse_code_strict(dict_loader *L, char *in, char *code, size_t cap, int *from,
                             int *to);

int legacy_parse_code(dict_loader *L, char *in, char *code, size_t cap, int *from, int *to)
{
    int rc = parse_code_strict(L, in, code, cap, from, to);
    if (rc && L->skip_bad_codes) {
        /* the public Phoenix files hold a few typing slips ("9008223-911221"):
         * the code is skipped and counted, the rest of the set is used */
        L->d->skipped++;
        dict_report(L, 1);
        if (L->err && L->errlen)
            L->err[0] = '\0';
        return 1;
    }
    return rc;
}

static int parse_code_strict(dict_loader *L, char *in, char *code, size_t cap, int *from,
                             int *to)
{
    in = legacy_skip_blank(in);
    size_t k = 0;
    while (in[k] && in[k] != ' ' && in[k] != '\t')
        k++;
    if (k == 0 || k >= cap)
        return dict_fail(L, "bad code '[%s]'", in);
    memcpy(code, in, k);
    code[k] = '\0';
    legacy_upcase(code);
    *from = *to = 0;
    char *r = legacy_skip_blank(in + k);
    if (!*r)
        return 0;
    if (*r == '<' || *r == '>') {
        char op = *r;
        char *d = legacy_skip_blank(r + 1);
        int v = legacy_date(d, strlen(d));
        if (!v)
            return dict_fail(L, "bad date '%s' in [%s] (expected YYMMDD or YYYYMMDD)", d, in);
        if (op == '<')
            *to = v;
        else
            *from = v;
        return 0;
    }
    char *dash = strchr(r, '-');
    if (!dash)
        return dict_fail(L, "bad date restriction '%s' (expected <DATE, >DATE or DATE-DATE)", r);
    size_t an = (size_t)(dash - r);
    while (an && (r[an - 1] == ' ' || r[an - 1] == '\t'))
        an--;
    char *b = legacy_skip_blank(dash + 1);
    size_t bn = strlen(b);
    while (bn && (b[bn - 1] == ' ' || b[bn - 1] == '\t'))
        bn--;
    *from = legacy_date(r, an);
    *to = legacy_date(b, bn);
    if (!*from || !*to)
        return dict_fail(L, "bad date range '%s' (expected YYMMDD-YYMMDD)", r);
    if (*from >= *to)
        return dict_fail(L, "date range '%s' ends before it starts", r);
    return 0;
}

int legacy_open(dict_loader *L, dyad_dict *d, const char *path, char **buf, size_t *n,
                char *err, size_t errlen)
{
    if (dict_read_file(path, buf, n, err, errlen))
        return -1;
    int rc = dict_loader_begin(L, d, path, err, errlen);
    L->lenient = 1;
    if (!rc) {
        /* the whole file must be UTF-8 (in practice ASCII) */
        size_t bad = utf8_invalid_at(*buf, *n);
        if (bad != *n) {
            long line = 1;
            for (size_t i = 0; i < bad; i++)
                line += (*buf)[i] == '\n';
            L->line = line;
            rc = dict_fail(L, "invalid UTF-8");
        } else if (memchr(*buf, '\0', *n)) {
            rc = dict_fail(L, "NUL byte in file");
        }
    }
    if (rc) {
        dict_loader_end(L);
        free(*buf);
        *buf = NULL;
    }
    return rc;
}

int legacy_synset_add(dict_loader *L, legacy_synset *s, const char *member)
{
    if (s->n == s->cap) {
        int cap = s->cap ? s->cap * 2 : 8;
        char **nm = realloc(s->members, (size_t)cap * sizeof *nm);
        if (!nm)
            return dict_fail(L, "out of memory");
        s->members = nm;
        s->cap = cap;
    }
    if (!(s->members[s->n] = strdup(member)))
        return dict_fail(L, "out of memory");
    s->n++;
    return 0;
}

void legacy_synsets_free(legacy_synset *sets, int n)
{
    for (int i = 0; i < n; i++) {
        for (int m = 0; m < sets[i].n; m++)
            free(sets[i].members[m]);
        free(sets[i].members);
    }
    free(sets);
}
