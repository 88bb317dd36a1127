/*
 * sbd.c - learned sentence boundary detection (design in sbd.h).
 *
 * One pass left to right over each paragraph: at every candidate position
 * (after token i) a two-class averaged perceptron decides "a sentence ends
 * here"; the sentence length feature counts from the last predicted
 * boundary, so training follows its own predictions like the tagger does.
 * Per-token atoms (word hash, shape, suffix, coarse class) are computed once
 * per document.
 */
#include "text/sbd.h"

#include "tag/linear.h"
#include "text/text.h"

#include <stdlib.h>
#include <string.h>

#define SBD_NFEAT 30
#define SBD_MAX_BYTES ((size_t)3000000)

struct sbd {
    lm w;
};

/* Coarse token classes. */
enum { C_NONE, C_LOWER, C_UPPER, C_ALLCAPS, C_DIGIT, C_TERM, C_CLOSE, C_OPEN, C_PUNCT, C_OTHER };

typedef struct satom {
    uint64_t w, shape, suf;
    uint8_t coarse;
    uint8_t address; /* a web or e-mail address */
} satom;

#define S_BOS ((uint64_t)0x53424f53ULL)
#define S_EOS ((uint64_t)0x53454f53ULL)

static int is_term(const char *s)
{
    if (strcmp(s, "\xe2\x80\xa6") == 0)
        return 1;
    if (*s != '.' && *s != '!' && *s != '?')
        return 0;
    for (; *s; s++)
        if (*s != '.' && *s != '!' && *s != '?')
            return 0;
    return 1;
}

/* A web or e-mail address, which the tokenizer keeps whole: "://", a leading
 * "www." or an '@' with a '.' after it.  Its coarse class stays that of its
 * first letter (lower-case, mostly), so "see: http://..." shares the
 * statistics of "see: word"; only the candidate filter looks at this. */
static int is_address(const char *f)
{
    if (strstr(f, "://") || strncmp(f, "www.", 4) == 0 || strncmp(f, "WWW.", 4) == 0)
        return 1;
    const char *at = strchr(f, '@');
    return at && at != f && strchr(at, '.') != NULL;
}

static uint8_t coarse_class(const token *t)
{
    const char *f = t->form, *n = t->norm;
    unsigned char c = (unsigned char)f[0];
    if (c >= 'a' && c <= 'z')
        return C_LOWER;
    if (c >= 'A' && c <= 'Z') {
        int letters = 0, upper = 0;
        for (const char *p = f; *p; p++) {
            if (*p >= 'A' && *p <= 'Z')
                upper++, letters++;
            else if (*p >= 'a' && *p <= 'z')
                letters++;
        }
        return letters > 1 && upper == letters ? C_ALLCAPS : C_UPPER;
    }
    if (c >= '0' && c <= '9')
        return C_DIGIT;
    if (is_term(n))
        return C_TERM;
    if (strcmp(n, ")") == 0 || strcmp(n, "]") == 0 || strcmp(n, "}") == 0 ||
        strcmp(f, "\xe2\x80\x9d") == 0 || strcmp(f, "\xe2\x80\x99") == 0 || strcmp(n, "''") == 0)
        return C_CLOSE;
    if (strcmp(n, "(") == 0 || strcmp(n, "[") == 0 || strcmp(n, "{") == 0 ||
        strcmp(f, "\xe2\x80\x9c") == 0 || strcmp(f, "\xe2\x80\x98") == 0 || strcmp(n, "``") == 0 ||
        strcmp(n, "\"") == 0 || strcmp(n, "'") == 0)
        return C_OPEN; /* straight quotes open or close: the shapes around tell */
    if (c < 0x80)
        return C_PUNCT;
    return C_OTHER;
}

static void atom_of(const token *t, satom *a)
{
    const char *n = t->norm, *f = t->form;
    size_t nl = strlen(n);
    a->w = lm_hash_bytes(n, nl);
    a->suf = lm_hash_bytes(n + (nl > 3 ? nl - 3 : 0), nl > 3 ? 3 : nl) ^ 0x5355;
    char shape[8];
    size_t sn = 0;
    for (const char *p = f; *p && sn < sizeof shape; p++) {
        unsigned char c = (unsigned char)*p;
        char s = c >= 'A' && c <= 'Z'   ? 'X'
                 : c >= 'a' && c <= 'z' ? 'x'
                 : c >= '0' && c <= '9' ? 'd'
                 : c >= 0x80            ? 'u'
                                        : (char)c;
        if ((c & 0xC0) == 0x80)
            continue; /* UTF-8 continuation byte */
        if (sn && shape[sn - 1] == s)
            continue;
        shape[sn++] = s;
    }
    a->shape = lm_hash_bytes(shape, sn) ^ 0x5348;
    a->coarse = coarse_class(t);
    a->address = (uint8_t)is_address(f);
}

static uint64_t bucket(size_t n)
{
    return n < 4 ? n : n < 6 ? 4 : n < 10 ? 5 : n < 20 ? 6 : n < 40 ? 7 : 8;
}

/* Whitespace between tokens i and i+1: 0 none, 1 one space, 2 a newline, 3 more. */
static uint64_t gap_of(const dyad_doc *doc, size_t i)
{
    uint32_t a = doc->toks[i].end, b = doc->toks[i + 1].start;
    if (b <= a)
        return 0;
    for (uint32_t k = a; k < b; k++)
        if (doc->text[k] == '\n')
            return 2;
    return b - a == 1 ? 1 : 3;
}

/* Only these positions are scored: a rule boundary, a web or e-mail address
 * on either side (web text lists addresses one per line: they are 46 of the
 * 104 EWT train boundaries that the word rule alone would exclude), or
 * anything but a lower-case word following a word. */
static int candidate(const satom *A, size_t i, int rule)
{
    if (rule || A[i].address || A[i + 1].address)
        return 1;
    uint8_t a = A[i].coarse, b = A[i + 1].coarse;
    int a_word = a == C_LOWER || a == C_UPPER || a == C_ALLCAPS || a == C_DIGIT || a == C_OTHER;
    return !(b == C_LOWER && a_word);
}

/* Features of a boundary after token i; the paragraph is [ps, pe), the
 * current sentence started at first. */
static size_t features(const dyad_doc *doc, const satom *A, size_t i, size_t ps, size_t pe,
                       size_t first, int rule, uint64_t *k)
{
    static const satom none_b = {S_BOS, S_BOS, S_BOS, C_NONE, 0};
    static const satom none_e = {S_EOS, S_EOS, S_EOS, C_NONE, 0};
    const satom *a = &A[i], *b = &A[i + 1];
    const satom *p = i > ps ? &A[i - 1] : &none_b;
    const satom *c = i + 2 < pe ? &A[i + 2] : &none_e;
    uint64_t r = (uint64_t)rule, len = bucket(i + 1 - first), rem = bucket(pe - (i + 1));
    uint64_t gap = gap_of(doc, i);
    uint64_t ab = (uint64_t)(doc->toks[i].flags & TOK_ABBREV ? 1 : 0);
    uint64_t quad = (uint64_t)p->coarse << 24 | (uint64_t)a->coarse << 16 |
                    (uint64_t)b->coarse << 8 | c->coarse;
    size_t f = 0;
    k[f++] = lm_key(1, r, 0, 0);
    k[f++] = lm_key(2, a->w, 0, 0);
    k[f++] = lm_key(3, b->w, 0, 0);
    k[f++] = lm_key(4, p->w, 0, 0);
    k[f++] = lm_key(5, c->w, 0, 0);
    k[f++] = lm_key(6, a->shape, r, 0);
    k[f++] = lm_key(7, b->shape, 0, 0);
    k[f++] = lm_key(8, a->shape, b->shape, r);
    k[f++] = lm_key(9, a->w, b->shape, 0);
    k[f++] = lm_key(10, a->shape, b->w, 0);
    k[f++] = lm_key(11, a->w, b->w, 0);
    k[f++] = lm_key(12, r, b->coarse, gap);
    k[f++] = lm_key(13, len, b->coarse, r);
    k[f++] = lm_key(14, p->w, a->w, 0);
    k[f++] = lm_key(15, b->w, c->w, 0);
    k[f++] = lm_key(16, quad, r, 0);
    k[f++] = lm_key(17, a->suf, b->coarse, 0);
    k[f++] = lm_key(18, p->coarse, a->w, b->coarse);
    k[f++] = lm_key(19, rem, b->coarse, r);
    k[f++] = lm_key(20, len, rem, 0);
    k[f++] = lm_key(21, ab, b->coarse, r);
    k[f++] = lm_key(22, gap, a->coarse, b->coarse);
    k[f++] = lm_key(23, p->shape, a->shape, b->shape);
    k[f++] = lm_key(24, len, a->coarse, b->coarse);
    const satom *p2 = i > ps + 1 ? &A[i - 2] : &none_b;
    const satom *c2 = i + 3 < pe ? &A[i + 3] : &none_e;
    k[f++] = lm_key(25, p2->coarse, p->coarse, a->coarse);
    k[f++] = lm_key(26, b->coarse, c->coarse, c2->coarse);
    k[f++] = lm_key(27, b->w, c->shape, 0);
    k[f++] = lm_key(28, b->suf, 0, 0);
    k[f++] = lm_key(29, c->coarse, b->w, r);
    k[f++] = lm_key(30, p->shape, a->w, 0);
    return f;
}

static int add_sentence(dyad_doc *doc, size_t first, size_t last)
{
    sentence *s = doc_add_sentence(doc);
    if (!s)
        return -1;
    s->tok = (uint32_t)first;
    s->ntok = (uint32_t)(last - first);
    s->start = doc->toks[first].start;
    s->end = doc->toks[last - 1].end;
    return 0;
}

/* The rule splitter's decisions (rule[i] = a sentence ends after token i)
 * and every token's atoms; doc->sents is emptied. */
static int prepare(dyad_doc *doc, uint8_t **rule, satom **atoms)
{
    size_t n = doc->ntoks;
    *rule = calloc(n ? n : 1, 1);
    *atoms = malloc((n ? n : 1) * sizeof **atoms);
    if (!*rule || !*atoms || text_split(doc)) {
        free(*rule);
        free(*atoms);
        *rule = NULL;
        *atoms = NULL;
        return -1;
    }
    for (size_t s = 0; s < doc->nsents; s++)
        if (doc->sents[s].ntok)
            (*rule)[doc->sents[s].tok + doc->sents[s].ntok - 1] = 1;
    doc->nsents = 0;
    for (size_t i = 0; i < n; i++)
        atom_of(&doc->toks[i], &(*atoms)[i]);
    return 0;
}

int sbd_split(const sbd *m, dyad_doc *doc)
{
    size_t n = doc->ntoks;
    doc->nsents = 0;
    if (n == 0)
        return 0;
    uint8_t *rule;
    satom *A;
    if (prepare(doc, &rule, &A))
        return -1;
    uint64_t keys[SBD_NFEAT];
    int32_t sc[2];
    int rc = 0;
    for (size_t ps = 0; ps < n && !rc;) {
        size_t pe = ps + 1;
        while (pe < n && !(doc->toks[pe].flags & TOK_PARA_START))
            pe++;
        size_t first = ps;
        for (size_t i = ps; i + 1 < pe && !rc; i++) {
            int end = 0;
            if (i + 1 - first >= TEXT_MAX_SENT_TOKENS) {
                end = 1;
            } else if (candidate(A, i, rule[i])) {
                size_t nf = features(doc, A, i, ps, pe, first, rule[i], keys);
                lm_scores(&m->w, keys, nf, sc);
                end = sc[1] > sc[0];
            }
            if (end) {
                rc = add_sentence(doc, first, i + 1);
                first = i + 1;
            }
        }
        if (!rc)
            rc = add_sentence(doc, first, pe);
        ps = pe;
    }
    free(rule);
    free(A);
    return rc;
}

void sbd_score_add(sbd_score *x, const dyad_doc *g, const dyad_doc *p)
{
    size_t i = 0, j = 0;
    x->gold += g->nsents;
    x->pred += p->nsents;
    while (i < g->nsents && j < p->nsents) {
        const sentence *a = &g->sents[i], *b = &p->sents[j];
        if (a->start == b->start && a->end == b->end) {
            x->match++;
            i++;
            j++;
        } else if (a->start < b->start || (a->start == b->start && a->end < b->end)) {
            i++;
        } else {
            j++;
        }
    }
}

static double f1_of(const sbd_score *x)
{
    double p = x->pred ? (double)x->match / (double)x->pred : 0;
    double r = x->gold ? (double)x->match / (double)x->gold : 0;
    return p + r > 0 ? 200 * p * r / (p + r) : 0;
}

/* ---- training ----------------------------------------------------------------- */

/* A treebank's raw text tokenized by dyad, with the rule decisions, atoms and
 * gold labels (label[i] = a gold sentence ends with token i). */
typedef struct sdata {
    dyad_doc *raw;
    uint8_t *rule, *label;
    satom *A;
    size_t npara;
    uint32_t *para; /* npara + 1 paragraph starts, the last = ntoks */
} sdata;

static void sdata_free(sdata *d)
{
    dyad_doc_free(d->raw);
    free(d->rule);
    free(d->label);
    free(d->A);
    free(d->para);
    memset(d, 0, sizeof *d);
}

static int sdata_init(sdata *d, const dyad_doc *gold)
{
    memset(d, 0, sizeof *d);
    d->raw = dyad_doc_new();
    if (!d->raw || doc_set_text(d->raw, gold->text, gold->len) || text_tokenize(d->raw) ||
        prepare(d->raw, &d->rule, &d->A))
        return -1;
    size_t n = d->raw->ntoks;
    d->label = calloc(n ? n : 1, 1);
    d->para = malloc((n + 2) * sizeof *d->para);
    if (!d->label || !d->para)
        return -1;
    for (size_t i = 0, s = 0; i < n; i++) {
        while (s < gold->nsents && gold->sents[s].end < d->raw->toks[i].end)
            s++;
        if (s < gold->nsents && gold->sents[s].end == d->raw->toks[i].end)
            d->label[i] = 1;
    }
    for (size_t i = 0; i < n; i++)
        if (i == 0 || (d->raw->toks[i].flags & TOK_PARA_START))
            d->para[d->npara++] = (uint32_t)i;
    d->para[d->npara] = (uint32_t)n;
    return 0;
}

static uint64_t rng_next(uint64_t *s)
{
    *s ^= *s << 13;
    *s ^= *s >> 7;
    *s ^= *s << 17;
    return *s;
}

/* Sentence F1 of m on d (the raw document is re-split). */
static int dev_f1(const sbd *m, sdata *d, const dyad_doc *gold, double *f1)
{
    if (sbd_split(m, d->raw))
        return -1;
    sbd_score x = {0};
    sbd_score_add(&x, gold, d->raw);
    *f1 = f1_of(&x);
    return 0;
}

sbd *sbd_train(const dyad_doc *train, const dyad_doc *dev, const sbd_opts *o, char *err,
               size_t errlen)
{
    int epochs = o && o->epochs > 0 ? o->epochs : 10;
    FILE *log = o ? o->log : NULL;
    sbd *m = calloc(1, sizeof *m);
    sdata tr = {0}, dv = {0};
    lm_train t = {0};
    lm best = {0};
    uint32_t *order = NULL;
    if (!m || sdata_init(&tr, train) || (dev && sdata_init(&dv, dev)) || lm_train_init(&t, 2))
        goto oom;
    order = malloc((tr.npara + 1) * sizeof *order);
    if (!order)
        goto oom;
    if (log) {
        size_t cand = 0, pos = 0, missed = 0;
        for (size_t p = 0; p < tr.npara; p++)
            for (size_t i = tr.para[p]; i + 1 < tr.para[p + 1]; i++) {
                int c = candidate(tr.A, i, tr.rule[i]);
                cand += (size_t)c;
                pos += tr.label[i];
                missed += (size_t)(tr.label[i] && !c);
            }
        fprintf(log, "splitter: %zu tokens, %zu paragraphs, %zu candidates, %zu inner "
                "boundaries (%zu not candidates)\n", tr.raw->ntoks, tr.npara, cand, pos, missed);
        if (dev) {
            sbd_score x = {0};
            dyad_doc *r = dyad_doc_new();
            if (!r || doc_set_text(r, dev->text, dev->len) || text_tokenize(r) ||
                text_split(r)) {
                dyad_doc_free(r);
                goto oom;
            }
            sbd_score_add(&x, dev, r);
            dyad_doc_free(r);
            fprintf(log, "splitter: rules alone: dev sentence F1 %.2f%%\n", f1_of(&x));
        }
    }
    for (size_t p = 0; p < tr.npara; p++)
        order[p] = (uint32_t)p;
    uint64_t seed = 0x853c49e6748fea9bULL, keys[SBD_NFEAT];
    int32_t rows[SBD_NFEAT], sc[2];
    double best_f1 = -1;
    int best_epoch = 0;
    t.c = 1;
    for (int e = 0; e < epochs; e++) {
        for (size_t i = tr.npara; i > 1; i--) {
            size_t j = rng_next(&seed) % i;
            uint32_t tmp = order[i - 1];
            order[i - 1] = order[j];
            order[j] = tmp;
        }
        size_t tot = 0, ok = 0;
        for (size_t pi = 0; pi < tr.npara; pi++) {
            size_t ps = tr.para[order[pi]], pe = tr.para[order[pi] + 1], first = ps;
            for (size_t i = ps; i + 1 < pe; i++) {
                if (i + 1 - first >= TEXT_MAX_SENT_TOKENS) {
                    first = i + 1;
                    continue;
                }
                if (!candidate(tr.A, i, tr.rule[i]))
                    continue;
                size_t nf = features(tr.raw, tr.A, i, ps, pe, first, tr.rule[i], keys);
                for (size_t k = 0; k < nf; k++) {
                    rows[k] = lm_train_add(&t, keys[k]);
                    if (rows[k] < 0)
                        goto oom;
                }
                lm_train_scores(&t, rows, nf, sc);
                unsigned pred = sc[1] > sc[0], gold = tr.label[i];
                if (pred != gold)
                    lm_train_update(&t, rows, nf, gold, pred);
                else
                    ok++;
                tot++;
                t.c++;
                if (pred)
                    first = i + 1;
            }
        }
        if (log)
            fprintf(log, "splitter: epoch %d: %.2f%% of decisions right\n", e + 1,
                    tot ? 100.0 * (double)ok / (double)tot : 0.0);
        if (dev) {
            if (lm_export(&t, &m->w, 1, SBD_MAX_BYTES))
                goto oom;
            double f1;
            if (dev_f1(m, &dv, dev, &f1))
                goto oom;
            if (log)
                fprintf(log, "splitter: epoch %d: dev sentence F1 %.2f%%\n", e + 1, f1);
            if (f1 > best_f1) {
                lm_free(&best);
                best = m->w;
                best_f1 = f1;
                best_epoch = e + 1;
            } else {
                lm_free(&m->w);
            }
            memset(&m->w, 0, sizeof m->w);
        }
    }
    if (best.tab) {
        m->w = best;
        if (log)
            fprintf(log, "splitter: keeping epoch %d (dev sentence F1 %.2f%%)\n", best_epoch,
                    best_f1);
    } else if (lm_export(&t, &m->w, 1, SBD_MAX_BYTES)) {
        goto oom;
    }
    if (log)
        fprintf(log, "splitter: %zu features in the exported model\n", lm_nfeatures(&m->w));
    lm_train_free(&t);
    sdata_free(&tr);
    sdata_free(&dv);
    free(order);
    return m;
oom:
    snprintf(err, errlen, "out of memory while training the sentence splitter");
    lm_free(&best);
    lm_train_free(&t);
    sdata_free(&tr);
    sdata_free(&dv);
    free(order);
    sbd_free(m);
    return NULL;
}

/* ---- model file ----------------------------------------------------------- */

int sbd_save(const sbd *m, const char *path, char *err, size_t errlen)
{
    bin_writer w;
    if (model_file_begin(&w, path, "SBDM", SBD_VERSION, err, errlen))
        return -1;
    lm_write(&w, &m->w);
    return model_file_finish(&w, path, err, errlen);
}

sbd *sbd_load(const char *path, char *err, size_t errlen)
{
    unsigned char *buf;
    bin_reader r;
    if (model_file_load(path, "SBDM", SBD_VERSION, &buf, &r, err, errlen))
        return NULL;
    sbd *m = calloc(1, sizeof *m);
    if (!m) {
        free(buf);
        snprintf(err, errlen, "%s: out of memory", path);
        return NULL;
    }
    if (lm_read(&r, &m->w) == 0 && m->w.nclass != 2)
        br_fail(&r, "weight table has %u classes, expected 2", m->w.nclass);
    if (!r.failed && r.p != r.end)
        br_fail(&r, "unexpected data after the weight table");
    free(buf);
    if (r.failed) {
        sbd_free(m);
        return NULL;
    }
    return m;
}

void sbd_free(sbd *m)
{
    if (!m)
        return;
    lm_free(&m->w);
    free(m);
}
