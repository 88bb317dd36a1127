/*
 * petrarch.c - readers for the PETRARCH2 / TABARI dictionary formats, so that
 * users keep the dictionaries they have.  Entries are added to a dyad_dict
 * through the builder interface of dict.h; the formats are described in
 * shared/reference/formats.md (section 5) and docs/dictionaries.md.
 *
 *   actors    PHRASE [CODE] [CODE <YYMMDD] ... ; +SYNONYM ; indented [CODE RANGE]
 *   agents    PHRASE {PLURAL} [~CODE] | [CODE~] ; !SUBST! = a, b, c
 *   verbs     &SYNSET/+member ; --- BLOCK [CODE] --- ; VERB {FORMS} [CODE] ;
 *             - PRE * POST [CODE]   (TABARI flat patterns and PETRARCH2 phrase
 *             patterns alike are read as word sequences: '_' joins words that
 *             must be adjacent, a blank allows words in between, $ + % are the
 *             source, target and compound slots, ^ skips a noun phrase, {} and
 *             () group words and are dropped)
 *   discards  PHRASE (sentence) ; +PHRASE (whole story)
 *
 * Codes are kept as written (upper-cased): validation dictionaries use codes
 * outside CAMEO ([075A], [def]).  '#' comments, <!-- --> comments and lines
 * starting with '<!' are skipped as PETRARCH2 does.
 */
#include "dict/dict.h"
#include "dict/legacy.h"
#include "core/doc.h"
#include "dict/inflect.h"
#include "text/text.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <strings.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PETR_MAX_VARIANTS 1024 /* synset expansions of one pattern */
#define PETR_MAX_WORDS 48

/* ---------------------------------------------------------------------- */
/* lines                                                                    */

typedef struct lines {
    char *buf;
    size_t n, pos;
    long line;
    int in_comment; /* inside a multi-line <!-- --> */
} lines;

/* Next logical line with comments removed, trailing blanks trimmed; NULL at end. */
static char *next_line(lines *ls)
{
    while (ls->pos < ls->n) {
        char *s = ls->buf + ls->pos;
        size_t len = 0;
        while (ls->pos + len < ls->n && s[len] != '\n')
            len++;
        ls->pos += len + 1;
        ls->line++;
        s[len] = '\0';
        if (ls->in_comment) {
            char *end = strstr(s, "-->");
            if (!end)
                continue;
            ls->in_comment = 0;
            s = end + 3;
        }
        char *open;
        while ((open = strstr(s, "<!--"))) {
            char *close = strstr(open + 4, "-->");
            if (!close) {
                *open = '\0';
                ls->in_comment = 1;
                break;
            }
            memmove(open, close + 3, strlen(close + 3) + 1);
        }
        char *t = s;
        while (*t == ' ' || *t == '\t' || *t == '\r')
            t++;
        if (*t == '#' || (t[0] == '<' && t[1] == '!'))
            continue;
        char *hash = strchr(s, '#');
        if (hash)
            *hash = '\0';
        size_t m = strlen(s);
        while (m && (s[m - 1] == ' ' || s[m - 1] == '\t' || s[m - 1] == '\r'))
            s[--m] = '\0';
        if (*t == '\0')
            continue;
        return s;
    }
    return NULL;
}



/* "A_B_C_" -> "A B C" in place (trailing underscores mean "whole word" in TABARI). */
static void unscore(char *s)
{
    for (char *p = s; *p; p++)
        if (*p == '_')
            *p = ' ';
    size_t n = strlen(s);
    while (n && s[n - 1] == ' ')
        s[--n] = '\0';
}



/* Adds a literal phrase (words separated by blanks/underscores) of L->section. */
static int add_literal(dict_loader *L, const char *phrase, const char *code, int from, int to)
{
    char buf[1024];
    snprintf(buf, sizeof buf, "%s", phrase);
    unscore(buf);
    uint32_t ids[PAT_MAX_ELEMS];
    int n = dict_tokenize(L, buf, strlen(buf), ids, PAT_MAX_ELEMS);
    if (n < 0 && L->skip_bad_codes && L->err && strstr(L->err, "more than")) {
        L->d->skipped++; /* an over-long phrase in a production set: skip, count */
        dict_report(L, 1);
        L->err[0] = '\0';
        return 0;
    }
    if (n < 0)
        return -1;
    if (n == 0)
        return 0;
    pat_elem el[PAT_MAX_ELEMS];
    for (int i = 0; i < n; i++)
        el[i] = (pat_elem){PAT_WORD, ids[i]};
    return dict_add_pattern(L, el, n, phrase, code, "", from, to);
}

/* ---------------------------------------------------------------------- */
/* actors                                                                   */

#define ACTOR_MAX_SYNONYMS 4096 /* Phoenix has records with hundreds of spellings */

typedef struct actor_rec {
    char **phrases;
    long *lines; /* each phrase's line: its provenance */
    int nphrases, capphrases;
    char codes[32][32];
    int from[32], to[32];
    int ncodes;
} actor_rec;

static int flush_actor(dict_loader *L, actor_rec *r)
{
    int rc = 0;
    long line = L->line;
    for (int p = 0; p < r->nphrases; p++) {
        L->line = r->lines[p];
        for (int c = 0; !rc && c < r->ncodes; c++) {
            /* "[FRO/BIL/SAM]": a compound actor, one code per member */
            char codes[32], *save = NULL;
            snprintf(codes, sizeof codes, "%s", r->codes[c]);
            for (char *one = strtok_r(codes, "/", &save); one && !rc;
                 one = strtok_r(NULL, "/", &save))
                rc = add_literal(L, r->phrases[p], one, r->from[c], r->to[c]);
        }
        free(r->phrases[p]); /* all of them, also after an error: the caller frees none */
    }
    if (!rc)
        L->line = line;
    r->nphrases = r->ncodes = 0;
    return rc;
}

/* Reads every [..] group of s into r's codes. */
static int read_codes(dict_loader *L, char *s, actor_rec *r)
{
    char *open;
    while ((open = strchr(s, '['))) {
        char *close = strchr(open, ']');
        if (!close)
            return dict_fail(L, "'[' without ']'");
        *close = '\0';
        if (r->ncodes == 32)
            return dict_fail(L, "more than 32 codes for one actor");
        int prc = legacy_parse_code(L, open + 1, r->codes[r->ncodes], sizeof r->codes[0],
                                    &r->from[r->ncodes], &r->to[r->ncodes]);
        if (prc < 0)
            return -1;
        if (prc == 0)
            r->ncodes++;
        s = close + 1;
    }
    return 0;
}

static int load_actors(dict_loader *L, lines *ls)
{
    actor_rec r = {0};
    char *s;
    int rc = 0;
    L->section = ENT_ACTOR;
    while (!rc && (s = next_line(ls))) {
        L->line = ls->line;
        char *t = legacy_skip_blank(s);
        if (*t == '[') {
            rc = read_codes(L, t, &r);
            continue;
        }
        int synonym = *t == '+';
        if (!synonym) {
            rc = flush_actor(L, &r);
            if (rc)
                break;
        } else {
            t++;
        }
        char *bracket = strchr(t, '[');
        char *end = bracket ? bracket : t + strlen(t);
        while (end > t && (end[-1] == ' ' || end[-1] == '\t'))
            end--;
        if (end == t) {
            rc = dict_fail(L, "actor line without a phrase");
            break;
        }
        if (r.nphrases == ACTOR_MAX_SYNONYMS) {
            rc = dict_fail(L, "more than %d synonyms", ACTOR_MAX_SYNONYMS);
            break;
        }
        if (r.nphrases == r.capphrases) {
            int cap = r.capphrases ? r.capphrases * 2 : 16;
            char **np = realloc(r.phrases, (size_t)cap * sizeof *np);
            if (np)
                r.phrases = np;
            long *nl = np ? realloc(r.lines, (size_t)cap * sizeof *nl) : NULL;
            if (!nl) {
                rc = dict_fail(L, "out of memory");
                break;
            }
            r.lines = nl;
            r.capphrases = cap;
        }
        r.lines[r.nphrases] = L->line;
        r.phrases[r.nphrases] = strndup(t, (size_t)(end - t));
        if (!r.phrases[r.nphrases]) {
            rc = dict_fail(L, "out of memory");
            break;
        }
        r.nphrases++;
        if (bracket)
            rc = read_codes(L, bracket, &r);
    }
    if (!rc)
        rc = flush_actor(L, &r);
    for (int p = 0; p < r.nphrases; p++)
        free(r.phrases[p]);
    free(r.phrases);
    free(r.lines);
    return rc;
}

/* ---------------------------------------------------------------------- */
/* agents                                                                   */

typedef struct subst {
    char name[64];
    char *members[64];
    int n;
} subst;

static int load_agents(dict_loader *L, lines *ls)
{
    subst sets[32];
    int nsets = 0, rc = 0;
    char *s;
    L->section = ENT_AGENT;
    while (!rc && (s = next_line(ls))) {
        L->line = ls->line;
        char *t = legacy_skip_blank(s);
        if (*t == '!' && strchr(t, '=')) {
            /* !NAME! = a, b, c */
            char *eq = strchr(t, '=');
            *eq = '\0';
            char *name = t;
            size_t nl = strlen(name);
            while (nl && name[nl - 1] == ' ')
                name[--nl] = '\0';
            if (nsets == 32 || nl >= sizeof sets[0].name) {
                rc = dict_fail(L, "too many or too long substitution sets");
                break;
            }
            subst *ss = &sets[nsets++];
            memset(ss, 0, sizeof *ss);
            snprintf(ss->name, sizeof ss->name, "%s", name);
            char *save = NULL;
            for (char *m = strtok_r(eq + 1, ",", &save); m && ss->n < 64;
                 m = strtok_r(NULL, ",", &save)) {
                m = legacy_skip_blank(m);
                size_t ml = strlen(m);
                while (ml && m[ml - 1] == ' ')
                    m[--ml] = '\0';
                if (ml && !(ss->members[ss->n++] = strdup(m)))
                    rc = dict_fail(L, "out of memory");
            }
            continue;
        }
        char *bracket = strchr(t, '[');
        if (!bracket)
            continue; /* PETRARCH2 ignores agent lines without a code */
        char *close = strchr(bracket, ']');
        if (!close) {
            rc = dict_fail(L, "'[' without ']'");
            break;
        }
        *close = '\0';
        char code[32];
        int from, to;
        int prc = legacy_parse_code(L, bracket + 1, code, sizeof code, &from, &to);
        if (prc < 0) {
            rc = -1;
            break;
        }
        if (prc > 0)
            continue;
        /* ~XXX appends (the usual case), XXX~ prefixes: kept as "XXX~" */
        char agent[34];
        if (code[0] == '~')
            snprintf(agent, sizeof agent, "%s", code + 1);
        else if (code[0] && code[strlen(code) - 1] == '~')
            snprintf(agent, sizeof agent, "%s", code);
        else
            snprintf(agent, sizeof agent, "%s", code);
        *bracket = '\0';
        char *brace = strchr(t, '{');
        char plural[256] = "";
        int no_plural = 0, explicit_plural = 0;
        if (brace) {
            char *bclose = strchr(brace, '}');
            if (!bclose) {
                rc = dict_fail(L, "'{' without '}'");
                break;
            }
            *bclose = '\0';
            char *pl = legacy_skip_blank(brace + 1);
            size_t pn = strlen(pl);
            while (pn && pl[pn - 1] == ' ')
                pl[--pn] = '\0';
            if (pn == 0)
                no_plural = 1;
            else {
                explicit_plural = 1;
                snprintf(plural, sizeof plural, "%s", pl);
            }
            *brace = '\0';
        }
        size_t pn = strlen(t);
        while (pn && (t[pn - 1] == ' ' || t[pn - 1] == '\t'))
            t[--pn] = '\0';
        /* substitution marker */
        char *bang = strchr(t, '!');
        if (bang) {
            char *bang2 = strchr(bang + 1, '!');
            subst *ss = NULL;
            for (int k = 0; bang2 && k < nsets; k++)
                if (strlen(sets[k].name) == (size_t)(bang2 - bang + 1) &&
                    strncmp(sets[k].name, bang, (size_t)(bang2 - bang + 1)) == 0)
                    ss = &sets[k];
            if (!ss) {
                rc = dict_fail(L, "substitution marker in '%s' is not defined", t);
                break;
            }
            for (int m = 0; m < ss->n && !rc; m++) {
                char buf[512];
                snprintf(buf, sizeof buf, "%.*s%s%s", (int)(bang - t), t, ss->members[m],
                         bang2 + 1);
                rc = add_literal(L, buf, agent, 0, 0);
            }
            continue;
        }
        rc = add_literal(L, t, agent, 0, 0);
        if (rc || no_plural)
            continue;
        if (explicit_plural) {
            rc = add_literal(L, plural, agent, 0, 0);
            continue;
        }
        /* regular plural of the last word */
        char buf[512], pl[INFLECT_MAX], low[INFLECT_MAX];
        snprintf(buf, sizeof buf, "%s", t);
        unscore(buf);
        char *last = strrchr(buf, ' ');
        last = last ? last + 1 : buf;
        size_t ll = strlen(last);
        if (ll == 0 || ll >= INFLECT_MAX)
            continue;
        for (size_t i = 0; i <= ll; i++)
            low[i] = (char)tolower((unsigned char)last[i]);
        if (!inflect_plural(low, pl))
            continue;
        snprintf(last, sizeof buf - (size_t)(last - buf), "%s", pl);
        rc = add_literal(L, buf, agent, 0, 0);
    }
    for (int k = 0; k < nsets; k++)
        for (int m = 0; m < sets[k].n; m++)
            free(sets[k].members[m]);
    return rc;
}

/* ---------------------------------------------------------------------- */
/* discards                                                                 */

static int load_discards(dict_loader *L, lines *ls)
{
    char *s;
    L->section = ENT_DISCARD;
    while ((s = next_line(ls))) {
        L->line = ls->line;
        char *t = legacy_skip_blank(s);
        int story = *t == '+';
        if (story)
            t++;
        char *semi = strchr(t, ';'); /* TABARI-era ';' comments in this file */
        if (semi)
            *semi = '\0';
        size_t n = strlen(t);
        while (n && (t[n - 1] == ' ' || t[n - 1] == '\t'))
            t[--n] = '\0';
        if (n && add_literal(L, t, story ? "+" : "", 0, 0))
            return -1;
    }
    return 0;
}

/* ---------------------------------------------------------------------- */
/* verbs                                                                    */

typedef legacy_synset synset;

typedef struct verb_def {
    char words[256]; /* as written, '+' marks the verb word of a multi-word verb */
    char forms[512]; /* explicit forms "{...}", "" = generate */
    char code[16];   /* own code, "" = the block's */
} verb_def;

typedef struct verb_block {
    char code[16];
    verb_def *verbs;
    int nverbs, capverbs;
    char **patterns; /* "- ... [CODE]" bodies */
    long *pattern_lines;
    int npatterns, cappatterns;
} verb_block;

typedef struct verb_state {
    synset *syn;
    int nsyn, capsyn;
    verb_block blk;
    int in_block;
} verb_state;

static synset *find_synset(verb_state *vs, const char *name, size_t n)
{
    while (n && name[n - 1] == '_')
        n--;
    for (int i = 0; i < vs->nsyn; i++) {
        size_t sn = strlen(vs->syn[i].name);
        while (sn && vs->syn[i].name[sn - 1] == '_')
            sn--;
        if (sn == n && strncmp(vs->syn[i].name, name, n) == 0)
            return &vs->syn[i];
    }
    return NULL;
}

/* A pattern under construction: words and slot markers, each with whether
 * it must be adjacent to the previous element. */
typedef struct ptok {
    int kind;      /* PAT_WORD (text), PAT_VERB ('*'), PAT_SRC, PAT_TGT, PAT_BOTH, PAT_GAP */
    char text[96];
    int adjacent;  /* joined to the previous token with '_' */
} ptok;

typedef struct expander {
    dict_loader *L;
    verb_state *vs;
    const verb_def *verb;
    const char *code, *rcode, *text;
    int variants;
} expander;

static int is_vowel(char c) { return c == 'a' || c == 'e' || c == 'i' || c == 'o' || c == 'u'; }

/* Emits one fully expanded token list as a pattern. */
static int emit_pattern(expander *x, const ptok *t, int n)
{
    dict_loader *L = x->L;
    if (++x->variants > PETR_MAX_VARIANTS)
        return dict_fail(L, "pattern '%s' expands to more than %d variants", x->text,
                         PETR_MAX_VARIANTS);
    pat_elem el[PAT_MAX_ELEMS];
    int ne = 0, have_verb = 0;
    for (int i = 0; i < n; i++) {
        int gap = !t[i].adjacent && ne > 0 && el[ne - 1].kind != PAT_GAP;
        if (t[i].kind == PAT_GAP) {
            if (ne > 0 && el[ne - 1].kind != PAT_GAP) {
                if (ne == PAT_MAX_ELEMS)
                    return dict_fail(L, "pattern '%s' is too long", x->text);
                el[ne++] = (pat_elem){PAT_GAP, 0};
            }
            continue;
        }
        if (gap) {
            if (ne == PAT_MAX_ELEMS)
                return dict_fail(L, "pattern '%s' is too long", x->text);
            el[ne++] = (pat_elem){PAT_GAP, 0};
        }
        if (t[i].kind == PAT_VERB) {
            /* the verb's own words; its '+'-marked word (or first) is the verb */
            char buf[256];
            snprintf(buf, sizeof buf, "%s", x->verb->words);
            unscore(buf);
            char *save = NULL;
            int first = 1, marked = strchr(buf, '+') != NULL;
            for (char *w = strtok_r(buf, " ", &save); w; w = strtok_r(NULL, " ", &save)) {
                int is_verb = marked ? w[0] == '+' : first;
                if (w[0] == '+')
                    w++;
                first = 0;
                uint32_t ids[PAT_MAX_ELEMS];
                int k = dict_tokenize(L, w, strlen(w), ids, PAT_MAX_ELEMS);
                if (k < 0)
                    return -1;
                for (int q = 0; q < k; q++) {
                    if (ne == PAT_MAX_ELEMS)
                        return dict_fail(L, "pattern '%s' is too long", x->text);
                    el[ne++] = (pat_elem){(uint8_t)(is_verb && q == k - 1 ? PAT_VERB : PAT_WORD),
                                          ids[q]};
                }
            }
            have_verb = 1;
            continue;
        }
        if (t[i].kind != PAT_WORD) {
            if (ne == PAT_MAX_ELEMS)
                return dict_fail(L, "pattern '%s' is too long", x->text);
            el[ne++] = (pat_elem){(uint8_t)t[i].kind, 0};
            continue;
        }
        uint32_t ids[PAT_MAX_ELEMS];
        int k = dict_tokenize(L, t[i].text, strlen(t[i].text), ids, PAT_MAX_ELEMS);
        if (k < 0)
            return -1;
        for (int q = 0; q < k; q++) {
            if (ne == PAT_MAX_ELEMS)
                return dict_fail(L, "pattern '%s' is too long", x->text);
            el[ne++] = (pat_elem){PAT_WORD, ids[q]};
        }
    }
    while (ne && el[ne - 1].kind == PAT_GAP)
        ne--;
    int start = 0;
    while (start < ne && el[start].kind == PAT_GAP)
        start++;
    if (!have_verb || ne - start == 0)
        return dict_fail(L, "pattern '%s' has no '*' for the verb", x->text);
    return dict_add_pattern(L, el + start, ne - start, x->text, x->code, x->rcode, 0, 0);
}

/* Expands synset tokens (cartesian product) and emits each variant. */
static int expand(expander *x, ptok *t, int n, int i, int depth)
{
    for (; i < n; i++)
        if (t[i].kind == PAT_WORD && t[i].text[0] == '&')
            break;
    if (i == n)
        return emit_pattern(x, t, n);
    if (depth > 4)
        return dict_fail(x->L, "synsets nested too deeply in '%s'", x->text);
    synset *ss = find_synset(x->vs, t[i].text + 1, strlen(t[i].text + 1));
    if (!ss)
        return 0; /* PETRARCH2 skips patterns that use an undefined synset */
    ptok save = t[i];
    for (int m = 0; m < ss->n; m++) {
        /* a member may be several words ("ECONOMIC SANCTIONS"), adjacent to each other */
        ptok sub[PETR_MAX_WORDS];
        int k = 0;
        char buf[256];
        snprintf(buf, sizeof buf, "%s", ss->members[m]);
        int keep_form = buf[0] && buf[strlen(buf) - 1] == '_';
        unscore(buf);
        char *sv = NULL;
        for (char *w = strtok_r(buf, " ", &sv); w && k < PETR_MAX_WORDS; w = strtok_r(NULL, " ", &sv)) {
            sub[k].kind = PAT_WORD;
            snprintf(sub[k].text, sizeof sub[k].text, "%s", w);
            sub[k].adjacent = k ? 1 : save.adjacent;
            k++;
        }
        if (k == 0 || n - 1 + k > PETR_MAX_WORDS)
            continue;
        for (int plural = 0; plural < 2; plural++) {
            ptok nt[PETR_MAX_WORDS];
            memcpy(nt, t, (size_t)i * sizeof *t);
            memcpy(nt + i, sub, (size_t)k * sizeof *sub);
            memcpy(nt + i + k, t + i + 1, (size_t)(n - i - 1) * sizeof *t);
            if (plural) {
                /* single-word members also match their plural, as PETRARCH2 generates */
                if (k != 1 || keep_form || sub[0].text[0] == '&')
                    break;
                char low[INFLECT_MAX], pl[INFLECT_MAX];
                size_t wl = strlen(sub[0].text);
                if (wl >= INFLECT_MAX)
                    break;
                for (size_t q = 0; q <= wl; q++)
                    low[q] = (char)tolower((unsigned char)sub[0].text[q]);
                if (!inflect_plural(low, pl) || !is_vowel('a'))
                    break;
                snprintf(nt[i].text, sizeof nt[i].text, "%s", pl);
            }
            if (expand(x, nt, n - 1 + k, i, depth + 1))
                return -1;
        }
    }
    return 0;
}

/* Splits a pattern body into tokens. */
static int tokenize_pattern(dict_loader *L, char *body, ptok *t, int *n)
{
    *n = 0;
    for (char *p = body; *p; p++)
        if (*p == '{' || *p == '}' || *p == '(' || *p == ')')
            *p = ' ';
    char *save = NULL;
    for (char *w = strtok_r(body, " \t", &save); w; w = strtok_r(NULL, " \t", &save)) {
        /* '_' joins adjacent pieces: IN_*  *_OUT  SUGGESTED_+  NEW_&TIETYPES_RELATIONS */
        int first = 1;
        char *sv2 = NULL;
        for (char *piece = strtok_r(w, "_", &sv2); piece; piece = strtok_r(NULL, "_", &sv2)) {
            if (*n == PETR_MAX_WORDS)
                return dict_fail(L, "pattern has more than %d words", PETR_MAX_WORDS);
            ptok *k = &t[(*n)++];
            k->adjacent = !first;
            first = 0;
            k->text[0] = '\0';
            if (strcmp(piece, "*") == 0)
                k->kind = PAT_VERB;
            else if (strcmp(piece, "$") == 0)
                k->kind = PAT_SRC;
            else if (strcmp(piece, "+") == 0)
                k->kind = PAT_TGT;
            else if (strcmp(piece, "%") == 0)
                k->kind = PAT_BOTH;
            else if (strcmp(piece, "^") == 0)
                k->kind = PAT_GAP;
            else {
                k->kind = PAT_WORD;
                snprintf(k->text, sizeof k->text, "%s", piece);
            }
        }
    }
    return 0;
}

/* "A", "A:B", ":B", "---" -> code and reverse code. */
static int split_code(dict_loader *L, const char *in, char *code, char *rcode)
{
    code[0] = rcode[0] = '\0';
    const char *colon = strchr(in, ':');
    size_t an = colon ? (size_t)(colon - in) : strlen(in);
    if (an > 7 || (colon && strlen(colon + 1) > 7))
        return dict_fail(L, "event code '%s' is too long", in);
    if (!(an == 3 && strncmp(in, "---", 3) == 0))
        snprintf(code, 8, "%.*s", (int)an, in);
    if (colon && strcmp(colon + 1, "---") != 0)
        snprintf(rcode, 8, "%s", colon + 1);
    return 0;
}

static int flush_block(dict_loader *L, verb_state *vs)
{
    verb_block *b = &vs->blk;
    int rc = 0;
    long saved_line = L->line;
    for (int v = 0; v < b->nverbs && !rc; v++) {
        verb_def *vd = &b->verbs[v];
        /* the verb word: '+'-marked, else the first */
        char buf[256];
        snprintf(buf, sizeof buf, "%s", vd->words);
        unscore(buf);
        char *verb = buf, *plus = strchr(buf, '+');
        if (plus)
            verb = plus + 1;
        char *sp = strchr(verb, ' ');
        if (sp)
            *sp = '\0';
        char low[INFLECT_MAX];
        size_t vl = strlen(verb);
        if (vl == 0 || vl >= INFLECT_MAX) {
            rc = dict_fail(L, "bad verb '%s'", vd->words);
            break;
        }
        for (size_t q = 0; q <= vl; q++)
            low[q] = (char)tolower((unsigned char)verb[q]);
        uint32_t lemma;
        if (dict_tokenize(L, low, vl, &lemma, 1) != 1) {
            rc = dict_fail(L, "verb '%s' is not one word", verb);
            break;
        }
        /* forms: listed ones (the '+'-marked word of each), else generated */
        if (vd->forms[0]) {
            char fb[512];
            snprintf(fb, sizeof fb, "%s", vd->forms);
            char *save = NULL;
            rc = dict_add_form(L->d, lemma, lemma);
            /* forms are separated by blanks (some files also use commas) */
            for (char *f = strtok_r(fb, " \t,;", &save); f && !rc;
                 f = strtok_r(NULL, " \t,;", &save)) {
                unscore(f);
                char *fp = strchr(f, '+');
                char *word = fp ? fp + 1 : f;
                char *fs = strchr(word, ' ');
                if (fs)
                    *fs = '\0';
                int letters = 0;
                for (const char *q = word; *q; q++)
                    letters |= isalpha((unsigned char)*q);
                uint32_t id;
                if (letters && dict_tokenize(L, word, strlen(word), &id, 1) == 1)
                    rc = dict_add_form(L->d, id, lemma);
            }
        } else {
            char forms[5][INFLECT_MAX];
            if (!inflect_verb(low, forms)) {
                rc = dict_fail(L, "verb '%s' is too long", low);
                break;
            }
            for (int f = 0; f < 5 && !rc; f++) {
                uint32_t id;
                if (dict_tokenize(L, forms[f], strlen(forms[f]), &id, 1) == 1)
                    rc = dict_add_form(L->d, id, lemma);
            }
        }
        if (rc) {
            if (!L->err[0])
                dict_fail(L, "out of memory");
            break;
        }
        char code[8], rcode[8];
        if (split_code(L, vd->code[0] ? vd->code : b->code, code, rcode)) {
            rc = -1;
            break;
        }
        expander x = {L, vs, vd, code, rcode, vd->words, 0};
        ptok bare = {PAT_VERB, "", 0};
        rc = emit_pattern(&x, &bare, 1);
        for (int p = 0; p < b->npatterns && !rc; p++) {
            L->line = b->pattern_lines[p];
            char body[1024];
            snprintf(body, sizeof body, "%s", b->patterns[p]);
            char *open = strrchr(body, '[');
            char *close = open ? strchr(open, ']') : NULL;
            if (!open || !close) {
                /* e.g. "[###]" cut by the '#' comment rule: PETRARCH2 cannot use it either */
                L->duplicates++;
                if (L->d->check && L->err) {
                    dict_fail(L, "pattern '%s' has no [CODE] and is not used", body);
                    dict_report(L, 0);
                    L->err[0] = '\0';
                }
                continue;
            }
            *close = '\0';
            char pc[8], prc[8];
            char *cs = legacy_skip_blank(open + 1);
            size_t cl = strlen(cs);
            while (cl && cs[cl - 1] == ' ')
                cs[--cl] = '\0';
            legacy_upcase(cs);
            if (split_code(L, cs, pc, prc)) {
                rc = -1;
                break;
            }
            /* "+++" and "###" were TABARI's "do not code this" markers: the
             * pattern is as if absent (it must not block the bare verb) */
            if (strcmp(pc, "+++") == 0 || strcmp(pc, "###") == 0)
                continue;
            *open = '\0';
            ptok toks[PETR_MAX_WORDS];
            int nt;
            char *pb = legacy_skip_blank(body);
            if (*pb == '-')
                pb++;
            if (tokenize_pattern(L, pb, toks, &nt)) {
                rc = -1;
                break;
            }
            expander px = {L, vs, vd, pc, prc, b->patterns[p], 0};
            int has_star = 0;
            for (int q = 0; q < nt; q++)
                has_star |= toks[q].kind == PAT_VERB;
            if (!has_star)
                continue; /* malformed in the source dictionary: PETRARCH2 cannot use it either */
            rc = expand(&px, toks, nt, 0, 0);
        }
        L->line = saved_line;
    }
    for (int p = 0; p < b->npatterns; p++)
        free(b->patterns[p]);
    b->npatterns = 0;
    b->nverbs = 0;
    return rc;
}

static int load_verbs(dict_loader *L, lines *ls)
{
    verb_state vs = {0};
    synset *cur_syn = NULL;
    char *s;
    int rc = 0;
    L->section = ENT_VERB;
    while (!rc && (s = next_line(ls))) {
        L->line = ls->line;
        char *t = legacy_skip_blank(s);
        if (*t == '~')
            continue; /* transformations: not supported by this coder */
        if (strncmp(t, "####", 4) == 0)
            continue;
        if (*t == '&') {
            if (vs.nsyn == vs.capsyn) {
                int cap = vs.capsyn ? vs.capsyn * 2 : 64;
                synset *ns = realloc(vs.syn, (size_t)cap * sizeof *ns);
                if (!ns) {
                    rc = dict_fail(L, "out of memory");
                    break;
                }
                vs.syn = ns;
                vs.capsyn = cap;
            }
            cur_syn = &vs.syn[vs.nsyn++];
            memset(cur_syn, 0, sizeof *cur_syn);
            size_t k = strcspn(t + 1, " \t");
            snprintf(cur_syn->name, sizeof cur_syn->name, "%.*s", (int)k, t + 1);
            continue;
        }
        if (*t == '+' && cur_syn) {
            if ((rc = legacy_synset_add(L, cur_syn, legacy_skip_blank(t + 1))) != 0)
                break;
            continue;
        }
        cur_syn = NULL;
        if (strncmp(t, "---", 3) == 0) {
            /* --- NAME [CODE] --- */
            rc = flush_block(L, &vs);
            if (rc)
                break;
            char *open = strchr(t, '['), *close = open ? strchr(open, ']') : NULL;
            if (!open || !close) {
                rc = dict_fail(L, "verb block header without [CODE]");
                break;
            }
            snprintf(vs.blk.code, sizeof vs.blk.code, "%.*s", (int)(close - open - 1), open + 1);
            legacy_upcase(vs.blk.code);
            vs.in_block = 1;
            continue;
        }
        if (!vs.in_block)
            continue; /* text before the first block: headers, notes */
        if (*t == '-') {
            verb_block *b = &vs.blk;
            if (b->npatterns == b->cappatterns) {
                int cap = b->cappatterns ? b->cappatterns * 2 : 16;
                char **np = realloc(b->patterns, (size_t)cap * sizeof *np);
                long *nl = realloc(b->pattern_lines, (size_t)cap * sizeof *nl);
                if (np)
                    b->patterns = np;
                if (nl)
                    b->pattern_lines = nl;
                if (!np || !nl) {
                    rc = dict_fail(L, "out of memory");
                    break;
                }
                b->cappatterns = cap;
            }
            if (!(b->patterns[b->npatterns] = strdup(t))) {
                rc = dict_fail(L, "out of memory");
                break;
            }
            b->pattern_lines[b->npatterns++] = ls->line;
            continue;
        }
        /* a verb line: WORDS [{FORMS}] [[CODE]] */
        verb_block *b = &vs.blk;
        if (b->nverbs == b->capverbs) {
            int cap = b->capverbs ? b->capverbs * 2 : 8;
            verb_def *nv = realloc(b->verbs, (size_t)cap * sizeof *nv);
            if (!nv) {
                rc = dict_fail(L, "out of memory");
                break;
            }
            b->verbs = nv;
            b->capverbs = cap;
        }
        verb_def *vd = &b->verbs[b->nverbs];
        memset(vd, 0, sizeof *vd);
        char *brace = strchr(t, '{'), *bracket = strchr(t, '[');
        if (bracket) {
            char *close = strchr(bracket, ']');
            if (!close) {
                rc = dict_fail(L, "'[' without ']'");
                break;
            }
            snprintf(vd->code, sizeof vd->code, "%.*s", (int)(close - bracket - 1), bracket + 1);
            legacy_upcase(vd->code);
            *bracket = '\0';
        }
        if (brace) {
            char *close = strchr(brace, '}');
            if (!close) {
                rc = dict_fail(L, "'{' without '}'");
                break;
            }
            snprintf(vd->forms, sizeof vd->forms, "%.*s", (int)(close - brace - 1), brace + 1);
            *brace = '\0';
        }
        char *w = legacy_skip_blank(t);
        size_t wl = strlen(w);
        while (wl && (w[wl - 1] == ' ' || w[wl - 1] == '\t'))
            w[--wl] = '\0';
        if (wl == 0)
            continue;
        if (*w == '+')
            w++; /* "+ASK_FOR": the first word is the verb */
        snprintf(vd->words, sizeof vd->words, "%s", w);
        b->nverbs++;
    }
    if (!rc)
        rc = flush_block(L, &vs);
    legacy_synsets_free(vs.syn, vs.nsyn);
    for (int p = 0; p < vs.blk.npatterns; p++)
        free(vs.blk.patterns[p]);
    free(vs.blk.patterns);
    free(vs.blk.pattern_lines);
    free(vs.blk.verbs);
    return rc;
}

/* ---------------------------------------------------------------------- */

static int load_file(dyad_dict *d, const char *path, int (*fn)(dict_loader *, lines *),
                     int skip_bad, char *err, size_t errlen)
{
    if (!path)
        return 0;
    lines ls = {0};
    dict_loader L;
    if (legacy_open(&L, d, path, &ls.buf, &ls.n, err, errlen))
        return -1;
    L.skip_bad_codes = skip_bad;
    int rc = fn(&L, &ls);
    /* a production set (the Phoenix files) has a few malformed lines: skip the
     * line (and what was pending from its record or verb block), count it, and
     * go on reading from the next line */
    while (rc && skip_bad && ls.pos < ls.n && !strstr(err, "out of memory")) {
        d->skipped++;
        dict_report(&L, 1);
        err[0] = '\0';
        rc = fn(&L, &ls);
    }
    dict_loader_end(&L);
    free(ls.buf);
    return rc;
}

static int load_one(dyad_dict *d, const char *path, int (*fn)(dict_loader *, lines *),
                    char *err, size_t errlen)
{
    return load_file(d, path, fn, 0, err, errlen);
}

static int has_suffix(const char *s, const char *suffix)
{
    size_t n = strlen(s), k = strlen(suffix);
    return n >= k && strcasecmp(s + n - k, suffix) == 0;
}

static int contains_ci(const char *s, const char *sub)
{
    size_t k = strlen(sub);
    for (; *s; s++)
        if (strncasecmp(s, sub, k) == 0)
            return 1;
    return 0;
}

static int cmp_name(const void *a, const void *b)
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
    /* which loader each file needs, by the PETRARCH naming conventions */
    char *names[256];
    size_t n = 0;
    struct dirent *de;
    while ((de = readdir(dp)) && n < 256) {
        const char *f = de->d_name;
        if (f[0] == '.' || !has_suffix(f, ".txt"))
            continue;
        if (!(names[n] = strdup(f)))
            break;
        n++;
    }
    closedir(dp);
    qsort(names, n, sizeof *names, cmp_name);
    dyad_dict *d = dict_new();
    int rc = d ? 0 : -1, found = 0;
    if (!d)
        snprintf(err, errlen, "out of memory");
    else
        d->check = check;
    /* actors and agents first, then verbs (which use no actors), then discards */
    for (int stage = 0; stage < 4 && rc == 0; stage++)
        for (size_t i = 0; i < n && rc == 0; i++) {
            const char *f = names[i];
            int kind = contains_ci(f, "actors") ? 0 : contains_ci(f, "agents") ? 1
                       : (contains_ci(f, "verbs") || strncasecmp(f, "CAMEO", 5) == 0) ? 2
                       : contains_ci(f, "discards") ? 3 : -1;
            if (kind != stage)
                continue; /* issue coding and other files are not read */
            char path[4096];
            if ((size_t)snprintf(path, sizeof path, "%s/%s", dir, f) >= sizeof path) {
                snprintf(err, errlen, "%s: path too long", f);
                rc = -1;
                break;
            }
            int (*fn)(dict_loader *, lines *) = kind == 0 ? load_actors : kind == 1 ? load_agents
                                                : kind == 2 ? load_verbs : load_discards;
            rc = load_file(d, path, fn, 1, err, errlen);
            if (rc && check && !strstr(err, "out of memory")) {
                dict_report_err(d, path, 0, err, 1); /* e.g. cannot be read: check the others */
                err[0] = '\0';
                rc = 0;
            }
            found++;
        }
    if (rc == 0 && !found) {
        snprintf(err, errlen, "%s: no PETRARCH dictionary files (*actors*.txt, *agents*.txt, "
                              "*verbs*.txt or CAMEO*.txt, *discards*.txt)", dir);
        rc = -1;
    }
    if (rc == 0)
        rc = dict_finish(d, err, errlen);
    for (size_t i = 0; i < n; i++)
        free(names[i]);
    if (rc) {
        dyad_dict_free(d);
        return NULL;
    }
    return d;
}

dyad_dict *dict_load_petrarch_dir(const char *dir, char *err, size_t errlen)
{
    return load_dir(dir, NULL, err, errlen);
}

dyad_dict *dict_check_petrarch(const char *dir, dict_check *check, char *err, size_t errlen)
{
    return load_dir(dir, check, err, errlen);
}

dyad_dict *dict_load_petrarch_set(const char *verbs, const char *actors, const char *agents,
                                  const char *discards, char *err, size_t errlen)
{
    dyad_dict *d = dict_new();
    if (!d) {
        snprintf(err, errlen, "out of memory");
        return NULL;
    }
    if (load_one(d, actors, load_actors, err, errlen) ||
        load_one(d, agents, load_agents, err, errlen) ||
        load_one(d, verbs, load_verbs, err, errlen) ||
        load_one(d, discards, load_discards, err, errlen) || dict_finish(d, err, errlen)) {
        dyad_dict_free(d);
        return NULL;
    }
    return d;
}
