/*
 * dict.c - loader and compiler for dyad's native dictionary format.
 *
 * The format (docs/dictionaries.md) is line based so that it diffs and greps
 * well:
 *
 *     [actors]
 *     MEX                     Mexico; Mexican; Mexicans; Mexico City
 *     MEXGOV 2024-10-01..     Claudia Sheinbaum; Sheinbaum
 *     [agents]
 *     GOV                     government; president; secretary* of state
 *     [verbs]
 *     051                     praise; commend; pay tribute to
 *     12                      reject; rule out; stand firm against
 *     042:043                 visit
 *     [nouns]
 *     06:06                   collaborative effort between $ and +
 *     [discards]
 *     bronze medal; years ago
 *
 * Phrases are tokenized with the document tokenizer, so "U.S." or
 * "Mexico's" in a dictionary match exactly what the tokenizer produces in
 * text.  The verb of a verb pattern (the first word, or the word marked with
 * '*') is expanded to all its inflected forms; the starred word of a noun or
 * the last word of an agent also matches its plural.
 */
#include "dict/dict.h"
#include "code/cameo.h"
#include "dict/cache.h"
#include "dict/inflect.h"
#include "text/text.h"

#include <dirent.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define DICT_MAX_LINE 65536
#define DICT_MAX_FILE ((size_t)512 << 20)

typedef struct form_pair {
    uint32_t form, lemma;
} form_pair;

/* Pairs and the phrase->entry map live in the dict until finish. */
/* A synonym set of the native format: "&currency  dollar; euro; swiss franc". */
typedef struct synset {
    char name[64];           /* without the '&', lower case */
    char **members;
    size_t n, cap;
} synset;

#define SECTION_SYNSETS 100  /* not an entry kind: [synsets] defines, it adds no entries */
#define SYNSET_MAX_VARIANTS 1024

typedef struct dict_build {
    form_pair *pairs;
    size_t npairs, cappairs;
    synset *syn;
    size_t nsyn, capsyn;
    intern phrases;          /* "kind|w1 w2 ..." -> position in phrase_entry */
    uint32_t *phrase_entry;  /* phrase id -> entry index + 1 */
    size_t capphrase;
} dict_build;

static dict_build *build_of(dyad_dict *d);

int dict_fail(dict_loader *L, const char *fmt, ...)
{
    if (L->err && L->errlen) {
        int k = snprintf(L->err, L->errlen, "%s:%ld: ", L->name, L->line);
        if (k < 0)
            k = 0;
        if ((size_t)k < L->errlen) {
            va_list ap;
            va_start(ap, fmt);
            vsnprintf(L->err + k, L->errlen - (size_t)k, fmt, ap);
            va_end(ap);
        }
    }
    return -1;
}

void dict_report_err(dyad_dict *d, const char *file, long line, const char *err, int error)
{
    dict_check *c = d ? d->check : NULL;
    if (!c || !err || !err[0])
        return;
    /* "file:line: message" (or "file: message"): the line from the message,
     * which may be earlier than the loader's when it reports a record at its end */
    const char *msg = err;
    size_t n = strlen(file);
    if (strncmp(msg, file, n) == 0 && msg[n] == ':') {
        char *end;
        long k = strtol(msg + n + 1, &end, 10);
        if (end > msg + n + 1 && end[0] == ':' && end[1] == ' ') {
            line = k;
            msg = end + 2;
        } else if (msg[n + 1] == ' ') {
            msg += n + 2;
        }
    }
    c->problem(c->ctx, file, line, error, msg);
}

void dict_report(dict_loader *L, int error)
{
    dict_report_err(L->d, L->name, L->line, L->err, error);
}

/* ---------------------------------------------------------------------- */
/* building blocks                                                          */

static dict_entry *new_entry(dyad_dict *d)
{
    if (d->nentries == d->capentries) {
        size_t cap = d->capentries ? d->capentries * 2 : 1024;
        dict_entry *e = realloc(d->entries, cap * sizeof *e);
        if (!e)
            return NULL;
        d->entries = e;
        d->capentries = cap;
    }
    dict_entry *e = &d->entries[d->nentries++];
    memset(e, 0, sizeof *e);
    return e;
}

int dict_add_form(dyad_dict *d, uint32_t form, uint32_t lemma)
{
    dict_build *b = build_of(d);
    if (b->npairs == b->cappairs) {
        size_t cap = b->cappairs ? b->cappairs * 2 : 1024;
        form_pair *p = realloc(b->pairs, cap * sizeof *p);
        if (!p)
            return -1;
        b->pairs = p;
        b->cappairs = cap;
    }
    b->pairs[b->npairs++] = (form_pair){form, lemma};
    return 0;
}

/* Tokenizes s[0..n) into word ids (at most max); returns the count or -1. */
int dict_tokenize(dict_loader *L, const char *s, size_t n, uint32_t *ids, int max)
{
    if (doc_set_text(L->scratch, s, n) || text_tokenize(L->scratch))
        return dict_fail(L, "out of memory");
    if ((int)L->scratch->ntoks > max)
        return dict_fail(L, "phrase has more than %d words", max);
    for (size_t i = 0; i < L->scratch->ntoks; i++) {
        const char *w = L->scratch->toks[i].norm;
        ids[i] = intern_put(&L->d->words, w, strlen(w));
        if (!ids[i])
            return dict_fail(L, "out of memory");
    }
    return (int)L->scratch->ntoks;
}

/* Key identifying a pattern: kind and elements. */
static int pattern_key(const dict_entry *e, char *buf, size_t cap)
{
    size_t k = (size_t)snprintf(buf, cap, "%d|", e->kind);
    for (int i = 0; i < e->nelem && k < cap; i++)
        k += (size_t)snprintf(buf + k, cap - k, "%d:%u%s%s ", e->elem[i].kind, e->elem[i].w,
                              e->forms && e->forms[i] ? "=" : "",
                              e->forms && e->forms[i] ? e->forms[i] : "");
    return k < cap ? (int)k : -1;
}

/* Returns the existing entry with the same pattern, or NULL (and registers e). */
static dict_entry *find_or_register(dict_loader *L, dict_entry *e, size_t index)
{
    dict_build *b = build_of(L->d);
    char key[PAT_MAX_ELEMS * 24 + 8];
    int kn = pattern_key(e, key, sizeof key);
    if (kn < 0)
        return NULL;
    uint32_t pid = intern_get(&b->phrases, key, (size_t)kn);
    if (pid && b->phrase_entry[pid])
        return &L->d->entries[b->phrase_entry[pid] - 1];
    pid = intern_put(&b->phrases, key, (size_t)kn);
    if (!pid)
        return NULL;
    if (pid >= b->capphrase) {
        size_t cap = b->capphrase ? b->capphrase * 2 : 1024;
        while (cap <= pid)
            cap *= 2;
        uint32_t *p = realloc(b->phrase_entry, cap * sizeof *p);
        if (!p)
            return NULL;
        memset(p + b->capphrase, 0, (cap - b->capphrase) * sizeof *p);
        b->phrase_entry = p;
        b->capphrase = cap;
    }
    b->phrase_entry[pid] = (uint32_t)index + 1;
    return NULL;
}

static int add_code(dict_loader *L, dict_entry *e, const char *code, int from, int to)
{
    for (uint32_t i = 0; i < e->ncodes; i++)
        if (strcmp(e->codes[i].code, code) == 0 && e->codes[i].from == from &&
            e->codes[i].to == to)
            return 0; /* exact duplicate */
    dict_code *c = arena_grow(&L->d->mem, e->codes, e->ncodes * sizeof *c,
                              (e->ncodes + 1) * sizeof *c);
    if (!c)
        return dict_fail(L, "out of memory");
    e->codes = c;
    c[e->ncodes].code = arena_strdup(&L->d->mem, code);
    c[e->ncodes].from = from;
    c[e->ncodes].to = to;
    if (!c[e->ncodes].code)
        return dict_fail(L, "out of memory");
    e->ncodes++;
    return 0;
}

/* Adds one finished pattern (elements in elems) as an entry, merging with an
 * identical earlier pattern where the format allows it. */
int dict_add_pattern(dict_loader *L, const pat_elem *elems, int nelem, const char *text,
                       const char *code, const char *rcode, int from, int to)
{
    dyad_dict *d = L->d;
    dict_entry tmp = {0};
    tmp.kind = (uint8_t)L->section;
    tmp.nelem = (uint8_t)nelem;
    tmp.elem = (pat_elem *)elems;
    tmp.forms = L->exact_forms;
    int anchor = -1;
    for (int i = 0; i < nelem; i++) {
        if (elems[i].kind == PAT_VERB) {
            anchor = i;
            break;
        }
        if (elems[i].kind >= PAT_SRC)
            tmp.has_slots = 1;
    }
    for (int i = 0; anchor < 0 && i < nelem; i++)
        if (elems[i].kind == PAT_WORD)
            anchor = i;
    for (int i = 0; i < nelem; i++)
        if (elems[i].kind >= PAT_SRC)
            tmp.has_slots = 1;
    if (anchor < 0)
        return dict_fail(L, "pattern '%s' has no word to anchor it", text);
    if (elems[0].kind == PAT_GAP || elems[nelem - 1].kind == PAT_GAP)
        return dict_fail(L, "pattern '%s' starts or ends with '...'", text);
    tmp.anchor = (uint8_t)anchor;

    if (d->check) {
        char key[PAT_MAX_ELEMS * 24 + 8];
        if (pattern_key(&tmp, key, sizeof key) >= 0)
            d->check->pattern(d->check->ctx, key, L->section, text, code, rcode, from, to,
                              L->name, L->line);
    }
    dict_entry *old = find_or_register(L, &tmp, d->nentries);
    if (old) {
        if (L->section == ENT_ACTOR || L->section == ENT_AGENT)
            return add_code(L, old, code, from, to);
        if (L->section == ENT_DISCARD)
            return 0;
        if (strcmp(old->code, code) != 0 || strcmp(old->rcode, rcode) != 0) {
            if (L->lenient || d->check) { /* the checker reports it, with both lines */
                L->duplicates++;
                return 0;
            }
            return dict_fail(L, "'%s' is already coded [%s%s%s] at %s", text,
                        old->code[0] ? old->code : "---", old->rcode[0] ? ":" : "",
                        old->rcode, old->rule);
        }
        return 0;
    }
    dict_entry *e = new_entry(d);
    if (!e)
        return dict_fail(L, "out of memory");
    *e = tmp;
    e->elem = arena_alloc(&d->mem, (size_t)nelem * sizeof *elems);
    char rule[512];
    /* provenance names the file within its dictionary set; messages keep the path */
    const char *base = strrchr(L->name, '/');
    snprintf(rule, sizeof rule, "%s:%ld", base ? base + 1 : L->name, L->line);
    e->rule = arena_strdup(&d->mem, rule);
    e->text = arena_strdup(&d->mem, text);
    if (!e->elem || !e->rule || !e->text)
        return dict_fail(L, "out of memory");
    memcpy(e->elem, elems, (size_t)nelem * sizeof *elems);
    if (L->exact_forms) {
        e->forms = arena_alloc(&d->mem, (size_t)nelem * sizeof *e->forms);
        if (!e->forms)
            return dict_fail(L, "out of memory");
        memcpy(e->forms, L->exact_forms, (size_t)nelem * sizeof *e->forms);
    }
    if (L->section == ENT_ACTOR || L->section == ENT_AGENT)
        return add_code(L, e, code, from, to);
    snprintf(e->code, sizeof e->code, "%s", code);
    snprintf(e->rcode, sizeof e->rcode, "%s", rcode);
    return 0;
}

/* ---------------------------------------------------------------------- */
/* phrases                                                                  */

typedef struct raw_word {
    const char *s;
    size_t n;
    int star;
} raw_word;

/* Expands one phrase into its patterns (inflected variants) and adds them. */
static int add_phrase(dict_loader *L, const char *p, size_t pn, const char *code, const char *rcode,
                      int from, int to)
{
    char text[1024];
    if (pn >= sizeof text)
        return dict_fail(L, "phrase longer than %zu bytes", sizeof text - 1);
    memcpy(text, p, pn);
    text[pn] = '\0';
    /* "US": a phrase in double quotes matches only with this exact case (the
     * country, not the pronoun "us") */
    int exact_case = pn >= 3 && p[0] == '"' && p[pn - 1] == '"';
    if (exact_case) {
        if (L->section == ENT_VERB || L->section == ENT_NOUN)
            return dict_fail(L, "exact-case (\"quoted\") phrases are for actors, agents and "
                                "discards");
        p++;
        pn -= 2;
    }

    raw_word raw[PAT_MAX_ELEMS];
    const char *exact[PAT_MAX_ELEMS] = {0};
    L->exact_forms = exact_case ? exact : NULL;
    int nraw = 0, starred = -1;
    for (size_t i = 0; i < pn;) {
        while (i < pn && (p[i] == ' ' || p[i] == '\t'))
            i++;
        if (i >= pn)
            break;
        size_t j = i;
        while (j < pn && p[j] != ' ' && p[j] != '\t')
            j++;
        if (nraw == PAT_MAX_ELEMS)
            return dict_fail(L, "phrase '%s' has more than %d words", text, PAT_MAX_ELEMS);
        raw[nraw] = (raw_word){p + i, j - i, 0};
        if (j - i > 1 && p[j - 1] == '*') {
            raw[nraw].n--;
            raw[nraw].star = 1;
            if (starred >= 0)
                return dict_fail(L, "phrase '%s' marks more than one word with '*'", text);
            starred = nraw;
        }
        nraw++;
        i = j;
    }
    if (nraw == 0)
        return dict_fail(L, "empty phrase");

    /* which raw word inflects: verbs default to the first word, agents to the last */
    int infl = starred;
    if (infl < 0 && L->section == ENT_VERB)
        infl = 0;
    if (infl < 0 && L->section == ENT_AGENT)
        infl = nraw - 1;

    pat_elem elems[PAT_MAX_ELEMS];
    int ne = 0, infl_elem = -1;
    for (int r = 0; r < nraw; r++) {
        const char *w = raw[r].s;
        size_t n = raw[r].n;
        int slot = 0;
        if (n == 1 && w[0] == '$') slot = PAT_SRC;
        else if (n == 1 && w[0] == '+') slot = PAT_TGT;
        else if (n == 1 && w[0] == '%') slot = PAT_BOTH;
        else if (n == 3 && memcmp(w, "...", 3) == 0) slot = PAT_GAP;
        if (slot) {
            if (L->section == ENT_ACTOR || L->section == ENT_AGENT || L->section == ENT_DISCARD)
                return dict_fail(L, "'%.*s' is only allowed in verb and noun patterns", (int)n, w);
            if (r == infl)
                return dict_fail(L, "'%.*s' cannot be the inflected word", (int)n, w);
            if (ne == PAT_MAX_ELEMS)
                return dict_fail(L, "phrase '%s' is too long", text);
            elems[ne++] = (pat_elem){(uint8_t)slot, 0};
            continue;
        }
        uint32_t ids[PAT_MAX_ELEMS];
        int k = dict_tokenize(L, w, n, ids, PAT_MAX_ELEMS - ne);
        if (k < 0)
            return -1;
        for (int t = 0; t < k; t++) {
            if (exact_case) {
                exact[ne] = arena_strdup(&L->d->mem, L->scratch->toks[t].form);
                if (!exact[ne])
                    return dict_fail(L, "out of memory");
            }
            elems[ne++] = (pat_elem){PAT_WORD, ids[t]};
        }
        if (r == infl && k > 0)
            infl_elem = ne - 1; /* "co-operate": the last piece inflects */
    }

    if (L->section == ENT_VERB) {
        if (infl_elem < 0)
            return dict_fail(L, "verb pattern '%s' has no verb", text);
        const char *lemma = intern_str(&L->d->words, elems[infl_elem].w);
        char forms[5][INFLECT_MAX];
        if (!inflect_verb(lemma, forms))
            return dict_fail(L, "verb '%s' is too long", lemma);
        uint32_t lid = elems[infl_elem].w;
        for (int f = 0; f < 5; f++) {
            uint32_t fid = intern_put(&L->d->words, forms[f], strlen(forms[f]));
            if (!fid || dict_add_form(L->d, fid, lid))
                return dict_fail(L, "out of memory");
        }
        elems[infl_elem].kind = PAT_VERB;
        return dict_add_pattern(L, elems, ne, text, code, rcode, from, to);
    }
    if (dict_add_pattern(L, elems, ne, text, code, rcode, from, to))
        return -1;
    if (infl_elem >= 0) {
        char plural[INFLECT_MAX];
        const char *w = intern_str(&L->d->words, elems[infl_elem].w);
        int has_letter = 0;
        for (const char *c = w; *c; c++)
            if ((*c >= 'a' && *c <= 'z') || (unsigned char)*c >= 0x80)
                has_letter = 1;
        if (has_letter && inflect_plural(w, plural) && strcmp(plural, w) != 0) {
            uint32_t pid = intern_put(&L->d->words, plural, strlen(plural));
            if (!pid)
                return dict_fail(L, "out of memory");
            elems[infl_elem].w = pid;
            return dict_add_pattern(L, elems, ne, text, code, rcode, from, to);
        }
    }
    return 0;
}

/* ---------------------------------------------------------------------- */
/* lines                                                                    */

static int parse_date(const char *s, size_t n)
{
    return date_parse(s, n);
}

/* "2024-10-01..", "..2021-01-20", "2017-01-20..2021-01-20" */
static int parse_range(const char *s, size_t n, int *from, int *to)
{
    const char *dots = NULL;
    int digits = 0;
    for (size_t i = 0; i < n; i++) {
        if (!((s[i] >= '0' && s[i] <= '9') || s[i] == '-' || s[i] == '.'))
            return 0; /* not a date range: the first phrase word */
        digits += s[i] >= '0' && s[i] <= '9';
    }
    if (!digits)
        return 0;
    for (size_t i = 0; i + 1 < n; i++)
        if (s[i] == '.' && s[i + 1] == '.') {
            dots = s + i;
            break;
        }
    if (!dots)
        return 0;
    size_t a = (size_t)(dots - s), b = n - a - 2;
    *from = *to = 0;
    if (a && !(*from = parse_date(s, a)))
        return -1;
    if (b && !(*to = parse_date(dots + 2, b)))
        return -1;
    if (!a && !b)
        return -1;
    if (*from && *to && *from >= *to)
        return -1;
    return 1;
}

int dict_valid_actor_code(const char *s, size_t n)
{
    if (n < 2 || n > 30)
        return 0;
    for (size_t i = 0; i < n; i++)
        if (!((s[i] >= 'A' && s[i] <= 'Z') || (s[i] >= '0' && s[i] <= '9')))
            return 0;
    return 1;
}

static int valid_event_code(const char *s, size_t n)
{
    if (n == 3 && memcmp(s, "---", 3) == 0)
        return 1;
    if (n < 2 || n > 4)
        return 0;
    char buf[8];
    memcpy(buf, s, n);
    buf[n] = '\0';
    return cameo_find(buf) != NULL;
}

static synset *find_synset(dict_build *b, const char *name, size_t n)
{
    for (size_t i = 0; i < b->nsyn; i++)
        if (strlen(b->syn[i].name) == n && strncasecmp(b->syn[i].name, name, n) == 0)
            return &b->syn[i];
    return NULL;
}

/* Adds a phrase, first expanding its synsets: "contribute ... &currency" is
 * one pattern per member of &currency (and of every other synset in it). */
static int add_expanded(dict_loader *L, const char *p, size_t pn, const char *code,
                        const char *rcode, int depth, int *variants)
{
    size_t i = 0;
    /* "&name" at the start of a word; a lone "&" ("Procter & Gamble") is a word */
    while (i < pn && !(p[i] == '&' && (i == 0 || p[i - 1] == ' ' || p[i - 1] == '\t') &&
                       i + 1 < pn && ((p[i + 1] | 0x20) >= 'a' && (p[i + 1] | 0x20) <= 'z')))
        i++;
    if (i == pn) {
        if (++*variants > SYNSET_MAX_VARIANTS)
            return dict_fail(L, "phrase expands to more than %d synset variants",
                             SYNSET_MAX_VARIANTS);
        return add_phrase(L, p, pn, code, rcode, L->last_from, L->last_to);
    }
    size_t j = i + 1;
    while (j < pn && p[j] != ' ' && p[j] != '\t')
        j++;
    synset *ss = find_synset(build_of(L->d), p + i + 1, j - i - 1);
    if (!ss)
        return dict_fail(L, "unknown synset '%.*s' (define it in [synsets] before use)",
                         (int)(j - i), p + i);
    if (depth > 4)
        return dict_fail(L, "synsets nested more than 4 deep");
    for (size_t m = 0; m < ss->n; m++) {
        size_t ml = strlen(ss->members[m]);
        if (pn + ml >= 1024)
            return dict_fail(L, "phrase too long after synset expansion");
        char buf[1024];
        memcpy(buf, p, i);
        memcpy(buf + i, ss->members[m], ml);
        memcpy(buf + i + ml, p + j, pn - j);
        if (add_expanded(L, buf, i + ml + pn - j, code, rcode, depth + 1, variants))
            return -1;
    }
    return 0;
}

/* "&name  member; member": a synset definition line of [synsets]. */
static int add_synset_members(dict_loader *L, const char *name, size_t nn, const char *s, size_t n)
{
    dict_build *b = build_of(L->d);
    synset *ss = find_synset(b, name, nn);
    if (!ss) {
        if (nn == 0 || nn >= sizeof ss->name)
            return dict_fail(L, "synset name must be 1 to 63 characters");
        for (size_t k = 0; k < nn; k++)
            if (!((name[k] >= 'a' && name[k] <= 'z') || (name[k] >= 'A' && name[k] <= 'Z') ||
                  (name[k] >= '0' && name[k] <= '9') || name[k] == '_'))
                return dict_fail(L, "synset name '&%.*s' may hold only letters, digits and _",
                                 (int)nn, name);
        if (b->nsyn == b->capsyn) {
            size_t cap = b->capsyn ? b->capsyn * 2 : 16;
            synset *ns = realloc(b->syn, cap * sizeof *ns);
            if (!ns)
                return dict_fail(L, "out of memory");
            b->syn = ns;
            b->capsyn = cap;
        }
        ss = &b->syn[b->nsyn++];
        memset(ss, 0, sizeof *ss);
        for (size_t k = 0; k < nn; k++)
            ss->name[k] = (char)(name[k] | 0x20);
    }
    size_t i = 0;
    while (i <= n) {
        size_t j = i;
        while (j < n && s[j] != ';')
            j++;
        size_t a = i, e = j;
        while (a < e && (s[a] == ' ' || s[a] == '\t'))
            a++;
        while (e > a && (s[e - 1] == ' ' || s[e - 1] == '\t'))
            e--;
        if (e > a) {
            if (memchr(s + a, '&', e - a) || memchr(s + a, '*', e - a))
                return dict_fail(L, "synset members are plain phrases (no '&' or '*')");
            if (ss->n == ss->cap) {
                size_t cap = ss->cap ? ss->cap * 2 : 8;
                char **nm = realloc(ss->members, cap * sizeof *nm);
                if (!nm)
                    return dict_fail(L, "out of memory");
                ss->members = nm;
                ss->cap = cap;
            }
            if (!(ss->members[ss->n] = strndup(s + a, e - a)))
                return dict_fail(L, "out of memory");
            ss->n++;
        }
        i = j + 1;
    }
    return 0;
}

static int parse_phrases(dict_loader *L, const char *s, size_t n, const char *code, const char *rcode)
{
    size_t i = 0;
    while (i <= n) {
        size_t j = i;
        while (j < n && s[j] != ';')
            j++;
        size_t a = i, b = j;
        while (a < b && (s[a] == ' ' || s[a] == '\t'))
            a++;
        while (b > a && (s[b - 1] == ' ' || s[b - 1] == '\t'))
            b--;
        int variants = 0;
        int rc = b > a ? add_expanded(L, s + a, b - a, code, rcode, 0, &variants) : 0;
        L->exact_forms = NULL; /* it pointed into add_phrase's frame */
        if (rc)
            return -1;
        i = j + 1;
    }
    return 0;
}

static int parse_line(dict_loader *L, char *line, size_t n)
{
    /* comments: '#' at the start or after whitespace */
    for (size_t i = 0; i < n; i++)
        if (line[i] == '#' && (i == 0 || line[i - 1] == ' ' || line[i - 1] == '\t')) {
            n = i;
            break;
        }
    while (n && (line[n - 1] == ' ' || line[n - 1] == '\t' || line[n - 1] == '\r'))
        n--;
    size_t i = 0;
    while (i < n && (line[i] == ' ' || line[i] == '\t'))
        i++;
    if (i == n)
        return 0;
    int continuation = i > 0;
    if (line[i] == '[') {
        if (continuation)
            return dict_fail(L, "section header must start the line");
        static const struct { const char *name; int kind; } sections[] = {
            {"[actors]", ENT_ACTOR}, {"[agents]", ENT_AGENT}, {"[verbs]", ENT_VERB},
            {"[nouns]", ENT_NOUN}, {"[discards]", ENT_DISCARD},
            {"[synsets]", SECTION_SYNSETS}};
        for (size_t k = 0; k < sizeof sections / sizeof sections[0]; k++)
            if (n == strlen(sections[k].name) && memcmp(line, sections[k].name, n) == 0) {
                L->section = sections[k].kind;
                L->have_last = 0;
                return 0;
            }
        return dict_fail(L, "unknown section '%.*s' (expected [actors], [agents], [verbs], "
                       "[nouns], [discards] or [synsets])", (int)n, line);
    }
    if (!L->section)
        return dict_fail(L, "entry before any section header such as [actors]");

    if (L->section == SECTION_SYNSETS) {
        if (continuation) {
            if (!L->have_last)
                return dict_fail(L, "indented line does not continue a synset");
            return add_synset_members(L, L->last_code, strlen(L->last_code), line + i, n - i);
        }
        if (line[i] != '&')
            return dict_fail(L, "a synset line starts with &name (e.g. &currency  dollar; euro)");
        size_t j = i + 1;
        while (j < n && line[j] != ' ' && line[j] != '\t')
            j++;
        if (j - i - 1 >= sizeof L->last_code)
            return dict_fail(L, "synset name too long");
        memcpy(L->last_code, line + i + 1, j - i - 1);
        L->last_code[j - i - 1] = '\0';
        L->have_last = 1;
        return add_synset_members(L, line + i + 1, j - i - 1, line + j, n - j);
    }
    if (L->section == ENT_DISCARD) {
        L->last_from = L->last_to = 0;
        return parse_phrases(L, line + i, n - i, "", "");
    }
    if (continuation) {
        if (!L->have_last)
            return dict_fail(L, "indented line does not continue an entry");
    } else {
        /* CODE [DATES] phrases */
        size_t j = i;
        while (j < n && line[j] != ' ' && line[j] != '\t')
            j++;
        const char *code = line + i;
        size_t cn = j - i;
        if (L->section == ENT_VERB || L->section == ENT_NOUN) {
            const char *colon = memchr(code, ':', cn);
            size_t an = colon ? (size_t)(colon - code) : cn;
            if (!valid_event_code(code, an) ||
                (colon && !valid_event_code(colon + 1, cn - an - 1)))
                return dict_fail(L, "'%.*s' is not a CAMEO event code (expected e.g. 051, 1212, "
                               "042:043 or ---)", (int)cn, code);
        } else if (!dict_valid_actor_code(code, cn)) {
            return dict_fail(L, "'%.*s' is not an actor code (expected 2-30 capitals or digits, "
                           "e.g. MEX, MEXGOV)", (int)cn, code);
        }
        if (cn >= sizeof L->last_code)
            return dict_fail(L, "code too long");
        memcpy(L->last_code, code, cn);
        L->last_code[cn] = '\0';
        L->last_from = L->last_to = 0;
        i = j;
        while (i < n && (line[i] == ' ' || line[i] == '\t'))
            i++;
        j = i;
        while (j < n && line[j] != ' ' && line[j] != '\t')
            j++;
        int r = parse_range(line + i, j - i, &L->last_from, &L->last_to);
        if (r < 0)
            return dict_fail(L, "bad date range '%.*s' (expected FROM.., ..TO or FROM..TO with "
                           "YYYY-MM-DD dates, FROM before TO)", (int)(j - i), line + i);
        if (r > 0) {
            if (L->section != ENT_ACTOR)
                return dict_fail(L, "date ranges are only allowed in [actors]");
            i = j;
        }
        L->have_last = 1;
        if (i >= n)
            return dict_fail(L, "code '%s' has no phrases", L->last_code);
    }
    char code[64] = "", rcode[64] = "";
    if (L->section == ENT_VERB || L->section == ENT_NOUN) {
        const char *colon = strchr(L->last_code, ':');
        size_t an = colon ? (size_t)(colon - L->last_code) : strlen(L->last_code);
        if (!(an == 3 && memcmp(L->last_code, "---", 3) == 0))
            snprintf(code, sizeof code, "%.*s", (int)an, L->last_code);
        if (colon)
            snprintf(rcode, sizeof rcode, "%s", colon + 1);
    } else {
        snprintf(code, sizeof code, "%s", L->last_code);
    }
    return parse_phrases(L, line + i, n - i, code, rcode);
}

/* ---------------------------------------------------------------------- */
/* public                                                                   */

static dict_build *build_of(dyad_dict *d) { return d->build; }

dyad_dict *dict_new(void)
{
    dyad_dict *d = calloc(1, sizeof *d);
    if (!d)
        return NULL;
    arena_init(&d->mem, (size_t)1 << 30);
    intern_init(&d->words, &d->mem);
    dict_build *b = calloc(1, sizeof *b);
    if (!b) {
        free(d);
        return NULL;
    }
    intern_init(&b->phrases, &d->mem);
    d->build = b;
    return d;
}

static void build_free(dyad_dict *d)
{
    dict_build *b = build_of(d);
    if (!b)
        return;
    free(b->pairs);
    free(b->phrase_entry);
    for (size_t i = 0; i < b->nsyn; i++) {
        for (size_t m = 0; m < b->syn[i].n; m++)
            free(b->syn[i].members[m]);
        free(b->syn[i].members);
    }
    free(b->syn);
    intern_free(&b->phrases);
    free(b);
    d->build = NULL;
}

int dict_load_string(dyad_dict *d, const char *name, const char *text, size_t len, char *err,
                     size_t errlen)
{
    dict_loader L;
    if (dict_loader_begin(&L, d, name, err, errlen))
        return -1;
    size_t bad = utf8_invalid_at(text, len);
    int rc = 0;
    size_t i = 0;
    while (i < len && rc == 0) {
        size_t j = i;
        while (j < len && text[j] != '\n')
            j++;
        L.line++;
        char *line = NULL;
        if (bad >= i && bad < j) {
            rc = dict_fail(&L, "invalid UTF-8");
            bad = utf8_invalid_at(text + j, len - j);
            bad = bad < len - j ? bad + j : len;
        } else if (memchr(text + i, '\0', j - i)) {
            rc = dict_fail(&L, "NUL byte in line");
        } else if (j - i > DICT_MAX_LINE) {
            rc = dict_fail(&L, "line longer than %d bytes", DICT_MAX_LINE);
        } else if (!(line = malloc(j - i + 1))) {
            rc = dict_fail(&L, "out of memory");
            break;
        } else {
            memcpy(line, text + i, j - i);
            line[j - i] = '\0';
            rc = parse_line(&L, line, j - i);
            free(line);
        }
        if (rc && d->check && !strstr(err, "out of memory")) {
            /* dyad dict check: report the line and go on with the next */
            dict_report(&L, 1);
            err[0] = '\0';
            rc = 0;
        }
        i = j + 1;
    }
    dict_loader_end(&L);
    return rc;
}

int dict_loader_begin(dict_loader *L, dyad_dict *d, const char *name, char *err, size_t errlen)
{
    memset(L, 0, sizeof *L);
    L->d = d;
    L->name = name;
    L->err = err;
    L->errlen = errlen;
    if (!d->build)
        return dict_fail(L, "dictionary already finished");
    L->scratch = dyad_doc_new();
    if (!L->scratch)
        return dict_fail(L, "out of memory");
    return 0;
}

void dict_loader_end(dict_loader *L)
{
    dyad_doc_free(L->scratch);
    L->scratch = NULL;
}

int dict_read_file(const char *path, char **out, size_t *len, char *err, size_t errlen)
{
    *out = NULL;
    *len = 0;
    FILE *f = fopen(path, "rb");
    if (!f) {
        snprintf(err, errlen, "%s: cannot open: %s", path, strerror(errno));
        return -1;
    }
    size_t cap = 1 << 16, n = 0;
    char *buf = malloc(cap);
    int rc = 0;
    while (buf) {
        if (n == cap) {
            if (cap >= DICT_MAX_FILE) {
                snprintf(err, errlen, "%s: larger than 512 MiB", path);
                rc = -1;
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
    if (!buf) {
        snprintf(err, errlen, "%s: out of memory", path);
        rc = -1;
    } else if (!rc && ferror(f)) {
        snprintf(err, errlen, "%s: read error: %s", path, strerror(errno));
        rc = -1;
    }
    fclose(f);
    if (rc) {
        free(buf);
        return -1;
    }
    *out = buf;
    *len = n;
    return 0;
}

int dict_load_file(dyad_dict *d, const char *path, char *err, size_t errlen)
{
    char *buf;
    size_t n;
    if (dict_read_file(path, &buf, &n, err, errlen))
        return -1;
    int rc = dict_load_string(d, path, buf, n, err, errlen);
    free(buf);
    return rc;
}

static int cmp_pair(const void *a, const void *b)
{
    const form_pair *x = a, *y = b;
    if (x->form != y->form)
        return x->form < y->form ? -1 : 1;
    return (x->lemma > y->lemma) - (x->lemma < y->lemma);
}

static int pattern_weight(const dict_entry *e)
{
    int w = 0;
    for (int i = 0; i < e->nelem; i++)
        if (e->elem[i].kind != PAT_GAP)
            w++;
    return w;
}

static int cmp_u64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return (x > y) - (x < y);
}

/* Builds a CSR index: off[id]..off[id+1] in list. */
static int build_index(dyad_dict *d, int verbs, uint32_t **off_out, uint32_t **list_out)
{
    size_t nw = d->nindexed;
    uint32_t *off = calloc(nw + 1, sizeof *off);
    size_t count = 0;
    if (!off)
        return -1;
    for (size_t i = 0; i < d->nentries; i++) {
        const dict_entry *e = &d->entries[i];
        const pat_elem *a = &e->elem[e->anchor];
        if ((a->kind == PAT_VERB) == verbs) {
            off[a->w]++;
            count++;
        }
    }
    uint32_t *list = malloc((count ? count : 1) * sizeof *list);
    if (!list) {
        free(off);
        return -1;
    }
    uint32_t sum = 0;
    for (size_t w = 0; w <= nw; w++) {
        uint32_t c = off[w];
        off[w] = sum;
        sum += c;
    }
    /* Fill the buckets in order of decreasing pattern weight, so that every
     * bucket lists its longest patterns first: sort (weight, index) keys once. */
    uint64_t *order = malloc((d->nentries ? d->nentries : 1) * sizeof *order);
    uint32_t *fill = calloc(nw + 1, sizeof *fill);
    if (!order || !fill) {
        free(order);
        free(fill);
        free(off);
        free(list);
        return -1;
    }
    for (size_t i = 0; i < d->nentries; i++)
        order[i] = ((uint64_t)(PAT_MAX_ELEMS - pattern_weight(&d->entries[i])) << 32) | i;
    if (d->nentries)
        qsort(order, d->nentries, sizeof *order, cmp_u64);
    for (size_t k = 0; k < d->nentries; k++) {
        uint32_t i = (uint32_t)order[k];
        const dict_entry *e = &d->entries[i];
        const pat_elem *a = &e->elem[e->anchor];
        if ((a->kind == PAT_VERB) == verbs)
            list[off[a->w] + fill[a->w]++] = i;
    }
    free(fill);
    free(order);
    *off_out = off;
    *list_out = list;
    return 0;
}

int dict_finish(dyad_dict *d, char *err, size_t errlen)
{
    dict_build *b = build_of(d);
    if (!b) {
        snprintf(err, errlen, "dictionary already finished");
        return -1;
    }
    d->nindexed = d->words.nstr ? d->words.nstr : 1;
    /* verb form -> lemmas */
    if (b->npairs)
        qsort(b->pairs, b->npairs, sizeof *b->pairs, cmp_pair);
    uint32_t *foff = calloc(d->nindexed + 1, sizeof *foff);
    uint32_t *flist = malloc((b->npairs ? b->npairs : 1) * sizeof *flist);
    if (!foff || !flist) {
        free(foff);
        free(flist);
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    size_t nf = 0;
    for (size_t i = 0; i < b->npairs; i++) {
        if (i && b->pairs[i].form == b->pairs[i - 1].form &&
            b->pairs[i].lemma == b->pairs[i - 1].lemma)
            continue;
        foff[b->pairs[i].form]++;
        flist[nf++] = b->pairs[i].lemma;
    }
    uint32_t sum = 0;
    for (size_t w = 0; w <= d->nindexed; w++) {
        uint32_t c = foff[w];
        foff[w] = sum;
        sum += c;
    }
    build_free(d);
    d->form_off = foff;
    d->form_list = flist;
    if (build_index(d, 0, &d->word_off, &d->word_list) ||
        build_index(d, 1, &d->verb_off, &d->verb_list)) {
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    return 0;
}

static dict_range range(const uint32_t *off, const uint32_t *list, size_t n, uint32_t id)
{
    dict_range r = {NULL, 0};
    if (off && id && id < n) {
        r.ids = list + off[id];
        r.n = off[id + 1] - off[id];
    }
    return r;
}

dict_range dict_word_entries(const dyad_dict *d, uint32_t w)
{
    return range(d->word_off, d->word_list, d->nindexed, w);
}

dict_range dict_verb_entries(const dyad_dict *d, uint32_t lemma)
{
    return range(d->verb_off, d->verb_list, d->nindexed, lemma);
}

dict_range dict_form_lemmas(const dyad_dict *d, uint32_t form)
{
    return range(d->form_off, d->form_list, d->nindexed, form);
}

const char *dict_code_on(const dict_entry *e, int ymd)
{
    const char *fallback = NULL;
    for (uint32_t i = 0; i < e->ncodes; i++) {
        const dict_code *c = &e->codes[i];
        if (!c->from && !c->to) {
            if (!fallback)
                fallback = c->code;
            continue;
        }
        if ((!c->from || ymd >= c->from) && (!c->to || ymd < c->to))
            return c->code;
    }
    return fallback;
}

uint32_t dict_codes_on(const dict_entry *e, int ymd, const char **out, uint32_t max)
{
    for (uint32_t i = 0; i < e->ncodes; i++) {
        const dict_code *c = &e->codes[i];
        if ((c->from || c->to) && (!c->from || ymd >= c->from) && (!c->to || ymd < c->to)) {
            out[0] = c->code;
            return max ? 1 : 0;
        }
    }
    uint32_t n = 0;
    for (uint32_t i = 0; i < e->ncodes && n < max; i++)
        if (!e->codes[i].from && !e->codes[i].to)
            out[n++] = e->codes[i].code;
    return n;
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static dyad_dict *load_dir(const char *dir, dict_check *check, char *err, size_t errlen)
{
    DIR *dp = opendir(dir);
    if (!dp) {
        snprintf(err, errlen, "%s: cannot open dictionary directory: %s", dir, strerror(errno));
        return NULL;
    }
    char **names = NULL;
    size_t n = 0, cap = 0;
    struct dirent *de;
    int oom = 0;
    while ((de = readdir(dp))) {
        size_t len = strlen(de->d_name);
        if (len < 6 || strcmp(de->d_name + len - 5, ".dict") != 0 || de->d_name[0] == '.')
            continue;
        if (n == cap) {
            cap = cap ? cap * 2 : 16;
            char **nn = realloc(names, cap * sizeof *nn);
            if (!nn) {
                oom = 1;
                break;
            }
            names = nn;
        }
        size_t plen = strlen(dir) + len + 2;
        names[n] = malloc(plen);
        if (!names[n]) {
            oom = 1;
            break;
        }
        snprintf(names[n], plen, "%s/%s", dir, de->d_name);
        n++;
    }
    closedir(dp);
    dyad_dict *d = oom ? NULL : dict_new();
    if (d)
        d->check = check;
    if (!d)
        snprintf(err, errlen, "out of memory");
    else if (n == 0) {
        snprintf(err, errlen, "%s: no *.dict files", dir);
        dyad_dict_free(d);
        d = NULL;
    } else {
        qsort(names, n, sizeof *names, cmp_str);
        for (size_t i = 0; i < n && d; i++)
            if (dict_load_file(d, names[i], err, errlen)) {
                if (check && !strstr(err, "out of memory")) {
                    /* e.g. a file that cannot be read: report it, check the others */
                    dict_report_err(d, names[i], 0, err, 1);
                    err[0] = '\0';
                    continue;
                }
                dyad_dict_free(d);
                d = NULL;
            }
        if (d && dict_finish(d, err, errlen)) {
            dyad_dict_free(d);
            d = NULL;
        }
        if (d)
            d->dir = arena_strdup(&d->mem, dir);
    }
    for (size_t i = 0; i < n; i++)
        free(names[i]);
    free(names);
    return d;
}

dyad_dict *dyad_dict_load(const char *dir, char *err, size_t errlen)
{
    return load_dir(dir, NULL, err, errlen);
}

dyad_dict *dict_check_native(const char *path, dict_check *check, char *err, size_t errlen)
{
    DIR *dp = opendir(path);
    if (dp) {
        closedir(dp);
        return load_dir(path, check, err, errlen);
    }
    if (errno != ENOTDIR)
        return load_dir(path, check, err, errlen); /* its error message */
    dyad_dict *d = dict_new();
    if (!d) {
        snprintf(err, errlen, "out of memory");
        return NULL;
    }
    d->check = check;
    if (dict_load_file(d, path, err, errlen) || dict_finish(d, err, errlen)) {
        dyad_dict_free(d);
        return NULL;
    }
    return d;
}

void dyad_dict_free(dyad_dict *d)
{
    if (!d)
        return;
    dict_cache_release(d); /* a compiled dictionary: let go of the mapping first */
    build_free(d);
    free(d->form_list);
    free(d->form_off);
    free(d->word_off);
    free(d->word_list);
    free(d->verb_off);
    free(d->verb_list);
    free(d->entries);
    intern_free(&d->words);
    arena_free(&d->mem);
    free(d);
}
