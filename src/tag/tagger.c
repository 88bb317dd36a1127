/*
 * tagger.c - averaged-perceptron POS tagger and lemma exceptions (design in
 * tagger.h).
 *
 * Training makes two passes: one counts every feature under gold context so
 * rare features (seen < min_count times) never enter the weight table, then
 * the usual perceptron epochs, in a fixed shuffled order, with the previous
 * tags taken from the tagger's own predictions so that training sees the
 * errors tagging will see.
 *
 * Tagging splits each word's features into the 26 that depend on the words
 * alone and the 6 that read the previous predicted tags: the former are
 * hashed and their buckets prefetched two words ahead, so their cache
 * misses overlap with the decisions before them, and only the latter wait
 * for the previous decision.  Those 6 are in turn prefetched one word ahead
 * under a guess of the previous tag (the best class of that word's static
 * features alone, usually the tag it gets); their keys are made again when
 * the guess was wrong.  Lemmas are looked up once the whole sentence is
 * tagged, for the same reason, reusing the word hash of the features, and
 * the tag dictionary's slots of a sentence are all prefetched before the
 * first is read.  All of this changes the order of work only: the scores
 * are the same integer sums, so the tags are those of scoring every feature
 * at once.
 */
#include "tag/tagger.h"

#include "tag/linear.h"
#include "tag/tagset.h"

#include <stdlib.h>
#include <string.h>

/* A u64 -> u32 open-addressing table, stored as two flat arrays. */
typedef struct kvmap {
    uint32_t mask;
    uint64_t *keys; /* 0 = empty */
    uint32_t *vals;
} kvmap;

static int kv_init(kvmap *m, size_t n)
{
    size_t cap = 16;
    while (cap < n * 2)
        cap *= 2;
    m->mask = (uint32_t)(cap - 1);
    m->keys = calloc(cap, sizeof *m->keys);
    m->vals = calloc(cap, sizeof *m->vals);
    return m->keys && m->vals ? 0 : -1;
}

static void kv_free(kvmap *m)
{
    free(m->keys);
    free(m->vals);
    memset(m, 0, sizeof *m);
}

static void kv_put(kvmap *m, uint64_t key, uint32_t val)
{
    uint32_t i = (uint32_t)key & m->mask;
    while (m->keys[i] && m->keys[i] != key)
        i = (i + 1) & m->mask;
    m->keys[i] = key;
    m->vals[i] = val;
}

static int kv_get(const kvmap *m, uint64_t key, uint32_t *val)
{
    if (!m->keys)
        return 0;
    for (uint32_t i = (uint32_t)key & m->mask; m->keys[i]; i = (i + 1) & m->mask)
        if (m->keys[i] == key) {
            *val = m->vals[i];
            return 1;
        }
    return 0;
}

static void kv_write(bin_writer *w, const kvmap *m)
{
    bw_u32(w, m->mask);
    bw_bytes(w, m->keys, ((size_t)m->mask + 1) * sizeof *m->keys);
    bw_bytes(w, m->vals, ((size_t)m->mask + 1) * sizeof *m->vals);
}

static int kv_read(bin_reader *r, kvmap *m, uint32_t maxval)
{
    memset(m, 0, sizeof *m);
    uint32_t mask = br_u32(r);
    if (r->failed)
        return -1;
    if ((mask & (mask + 1)) || mask > (1u << 26)) {
        br_fail(r, "corrupt table size");
        return -1;
    }
    size_t n = (size_t)mask + 1;
    const void *k = br_bytes(r, n * 8), *v = br_bytes(r, n * 4);
    if (!k || !v)
        return -1;
    m->mask = mask;
    m->keys = malloc(n * 8);
    m->vals = malloc(n * 4);
    if (!m->keys || !m->vals) {
        kv_free(m);
        br_fail(r, "out of memory");
        return -1;
    }
    memcpy(m->keys, k, n * 8);
    memcpy(m->vals, v, n * 4);
    for (size_t i = 0; i < n; i++)
        if (m->keys[i] && m->vals[i] >= maxval) {
            kv_free(m);
            br_fail(r, "corrupt table value");
            return -1;
        }
    return 0;
}

struct tagger {
    unsigned nclass;
    uint8_t cls_upos[256], cls_xpos[256];
    kvmap dict;      /* lower-cased word -> most frequent class */
    kvmap lex;       /* (word, xpos) -> lemma offset in pool */
    char *pool;
    uint32_t pool_len;
    lm w;
};

/* ---- features ------------------------------------------------------------- */

/* Per-word atoms, computed once per sentence. */
typedef struct winfo {
    uint64_t lw, cw, shape, suf[4], pre[2];
    uint64_t lex;    /* exception-list key, once the word is tagged */
    uint32_t dict;   /* most frequent class + 1, 0 = unknown word */
    uint32_t flags;
} winfo;

enum { WF_DIGIT = 1, WF_HYPHEN = 2, WF_UPPER = 4, WF_ALLUP = 8, WF_FIRST = 16 };

static uint64_t hs(const char *s, size_t n) { return lm_hash_bytes(s, n); }

/* Every atom of a word but the tag dictionary's (word_dict). */
static void word_atoms(const token *tok, int first, winfo *w)
{
    const char *lw = tok->norm, *f = tok->form;
    size_t n = strlen(lw), fn = strlen(f);
    w->lw = hs(lw, n);
    /* most words are written in lower case: one hash for both */
    w->cw = fn == n && memcmp(f, lw, n) == 0 ? w->lw : hs(f, fn);
    for (int k = 0; k < 4; k++)
        w->suf[k] = hs(lw + (n > (size_t)k + 1 ? n - (size_t)k - 1 : 0),
                       n > (size_t)k + 1 ? (size_t)k + 1 : n) ^ (uint64_t)(k + 1);
    w->pre[0] = hs(f, fn ? 1 : 0);
    w->pre[1] = hs(lw, n > 2 ? 2 : n) ^ 7;
    char shape[24];
    size_t sn = 0;
    uint32_t flags = first ? WF_FIRST : 0;
    int upper = 0, letters = 0;
    for (size_t i = 0; i < fn && sn < sizeof shape; i++) {
        unsigned char c = (unsigned char)f[i];
        char s;
        if (c >= 'A' && c <= 'Z') {
            s = 'X';
            upper++;
            letters++;
        } else if (c >= 'a' && c <= 'z') {
            s = 'x';
            letters++;
        } else if (c >= '0' && c <= '9') {
            s = 'd';
            flags |= WF_DIGIT;
        } else if (c >= 0x80) {
            if ((c & 0xC0) == 0x80)
                continue; /* continuation byte */
            s = 'u';
        } else {
            s = (char)c;
            if (c == '-')
                flags |= WF_HYPHEN;
        }
        if (sn >= 2 && shape[sn - 1] == s && shape[sn - 2] == s)
            continue;
        shape[sn++] = s;
    }
    if (upper)
        flags |= WF_UPPER;
    if (letters > 1 && upper == letters)
        flags |= WF_ALLUP;
    w->shape = hs(shape, sn);
    w->flags = flags;
}

/* The tag dictionary's atom: most frequent class + 1, 0 = unknown word. */
static void word_dict(const tagger *t, winfo *w)
{
    uint32_t d = 0;
    w->dict = kv_get(&t->dict, w->lw, &d) ? d + 1 : 0;
}

static void word_info(const tagger *t, const token *tok, int first, winfo *w)
{
    word_atoms(tok, first, w);
    word_dict(t, w);
}

#define NFEAT 32
#define TAGGER_MAX_BYTES ((size_t)12000000)
#define TAG_MAX_TRAIN_WORDS 4096
#define BOS ((uint64_t)0x5a5a5a5a01ULL)
#define EOS ((uint64_t)0x5a5a5a5a02ULL)

/* The templates, in the order training has always used.  A template is
 * DYNAMIC when it reads p1 or p2, the tags just predicted; the STATIC ones
 * depend on the words alone, so tagging computes and looks them up for the
 * next words while the current word's decision is still being made (scores
 * are integer sums, so splitting a decision's features changes nothing).
 * part selects which templates are written; it is a constant at every call,
 * so the tests of part fold away. */
enum { FEAT_STATIC = 1, FEAT_DYNAMIC = 2, FEAT_ALL = 3 };
#define NFEAT_STATIC 26
#define NFEAT_DYNAMIC 6

static inline size_t features_part(const winfo *w, size_t n, size_t i, uint32_t p1, uint32_t p2,
                                   unsigned part, uint64_t *k)
{
    const winfo *c = &w[i];
    uint64_t lm1 = i >= 1 ? w[i - 1].lw : BOS, lm2 = i >= 2 ? w[i - 2].lw : BOS;
    uint64_t lp1 = i + 1 < n ? w[i + 1].lw : EOS, lp2 = i + 2 < n ? w[i + 2].lw : EOS;
    uint64_t sm1 = i >= 1 ? w[i - 1].suf[2] : BOS, sp1 = i + 1 < n ? w[i + 1].suf[2] : EOS;
    uint64_t dp1 = i + 1 < n ? w[i + 1].dict : 1000, dp2 = i + 2 < n ? w[i + 2].dict : 1000;
    uint64_t shm1 = i >= 1 ? w[i - 1].shape : BOS, shp1 = i + 1 < n ? w[i + 1].shape : EOS;
    size_t f = 0;
#define STATIC(...) if (part & FEAT_STATIC) k[f++] = lm_key(__VA_ARGS__)
#define DYNAMIC(...) if (part & FEAT_DYNAMIC) k[f++] = lm_key(__VA_ARGS__)
    STATIC(1, 0, 0, 0);
    STATIC(2, c->lw, 0, 0);
    STATIC(3, c->suf[0], 0, 0);
    STATIC(4, c->suf[1], 0, 0);
    STATIC(5, c->suf[2], 0, 0);
    STATIC(6, c->suf[3], 0, 0);
    STATIC(7, c->pre[0], 0, 0);
    STATIC(8, c->pre[1], 0, 0);
    STATIC(9, c->shape, 0, 0);
    DYNAMIC(10, p1, 0, 0);
    DYNAMIC(11, p1, p2, 0);
    DYNAMIC(12, p1, c->lw, 0);
    STATIC(13, lm1, 0, 0);
    STATIC(14, lm2, 0, 0);
    STATIC(15, lp1, 0, 0);
    STATIC(16, lp2, 0, 0);
    STATIC(17, sm1, 0, 0);
    STATIC(18, sp1, 0, 0);
    STATIC(19, dp1, 0, 0);
    STATIC(20, dp2, 0, 0);
    STATIC(21, c->dict, 0, 0);
    DYNAMIC(22, p1, dp1, 0);
    STATIC(23, c->cw, 0, 0);
    STATIC(24, c->flags, 0, 0);
    DYNAMIC(25, p1, c->suf[2], 0);
    STATIC(26, c->lw, lp1, 0);
    STATIC(27, lm1, c->lw, 0);
    STATIC(28, shm1, 0, 0);
    STATIC(29, shp1, 0, 0);
    STATIC(30, c->dict, dp1, 0);
    DYNAMIC(31, p1, c->dict, dp1);
    STATIC(32, c->flags, c->suf[1], 0);
#undef STATIC
#undef DYNAMIC
    return f;
}

/* Every feature of word i (training). */
static size_t features(const winfo *w, size_t n, size_t i, uint32_t p1, uint32_t p2,
                       uint64_t *k)
{
    return features_part(w, n, i, p1, p2, FEAT_ALL, k);
}

/* ---- lemmas --------------------------------------------------------------- */

/* Key of (word, xpos) in the exception list; norm_hash is the hash of the
 * lower-cased word (winfo.lw when tagging, so it is not hashed twice). */
static uint64_t lex_key_hashed(uint64_t norm_hash, unsigned xpos)
{
    return lm_mix(norm_hash ^ ((uint64_t)xpos << 56)) | 1;
}

static uint64_t lex_key(const char *norm, unsigned xpos)
{
    return lex_key_hashed(hs(norm, strlen(norm)), xpos);
}

/* The lemma without the exception list: form for proper nouns, numbers and
 * punctuation; a suffix rule; else the lower-cased word. */
static const char *default_lemma(const token *tok, char *buf, size_t bufsize)
{
    if (tok->upos == UPOS_PROPN || tok->upos == UPOS_NUM || tok->upos == UPOS_PUNCT ||
        tok->upos == UPOS_SYM)
        return tok->form;
    const char *r = lemma_rule(tok->norm, tok->upos, tok->xpos, buf, bufsize);
    return r ? r : tok->norm;
}

/* tagger_lemma() with the token's exception-list key already computed. */
static const char *lemma_keyed(const tagger *t, arena *a, const token *tok, uint64_t key)
{
    uint32_t off;
    if (t && kv_get(&t->lex, key, &off))
        return t->pool + off; /* lives as long as the model */
    char buf[256];
    size_t n = strlen(tok->norm);
    if (n + 8 > sizeof buf) {
        return tok->upos == UPOS_PROPN ? tok->form : tok->norm;
    }
    const char *r = default_lemma(tok, buf, sizeof buf);
    if (r == buf)
        return arena_strdup(a, buf);
    return r;
}

const char *tagger_lemma(const tagger *t, arena *a, const token *tok)
{
    return lemma_keyed(t, a, tok, lex_key(tok->norm, tok->xpos));
}

/* ---- tagging -------------------------------------------------------------- */

/* How many words ahead tagging computes and prefetches the static features:
 * the cache misses of word i + TAG_AHEAD overlap with scoring word i. */
#define TAG_AHEAD 2

int tagger_tag(const tagger *t, dyad_doc *doc, const sentence *s)
{
    size_t n = s->ntok;
    winfo stackw[128];
    winfo *w = n <= 128 ? stackw : malloc(n * sizeof *w);
    if (!w)
        return -1;
    token *toks = doc->toks + s->tok;
    /* the tag dictionary's slots are prefetched for the whole sentence
     * before the first is read */
    for (size_t i = 0; i < n; i++) {
        word_atoms(&toks[i], i == 0, &w[i]);
        if (t->dict.keys)
            __builtin_prefetch(&t->dict.keys[(uint32_t)w[i].lw & t->dict.mask]);
    }
    for (size_t i = 0; i < n; i++)
        word_dict(t, &w[i]);
    /* ring of the static keys of words i .. i + TAG_AHEAD */
    uint64_t ahead[TAG_AHEAD + 1][NFEAT_STATIC];
    for (size_t j = 0; j < TAG_AHEAD && j < n; j++) {
        features_part(w, n, j, 0, 0, FEAT_STATIC, ahead[j]);
        lm_prefetch(&t->w, ahead[j], NFEAT_STATIC);
    }
    uint32_t p1 = t->nclass, p2 = t->nclass + 1; /* start symbols */
    /* the dynamic keys of word i, and of word i + 1 under a guess of word i's
     * tag (the best class of its static features alone) */
    uint64_t dyn_buf[2][NFEAT_DYNAMIC], *dyn = dyn_buf[0], *dyn_next = dyn_buf[1];
    uint32_t guess = UINT32_MAX; /* the guess dyn_next was made for */
    _Alignas(32) int32_t acc[256 + 16]; /* stride <= 256 */
    for (size_t i = 0; i < n; i++) {
        if (i + TAG_AHEAD < n) {
            uint64_t *next = ahead[(i + TAG_AHEAD) % (TAG_AHEAD + 1)];
            features_part(w, n, i + TAG_AHEAD, 0, 0, FEAT_STATIC, next);
            lm_prefetch(&t->w, next, NFEAT_STATIC);
        }
        if (guess == p1) { /* the keys made ahead are this word's */
            uint64_t *swap = dyn;
            dyn = dyn_next;
            dyn_next = swap;
        } else {
            features_part(w, n, i, p1, p2, FEAT_DYNAMIC, dyn);
        }
        memset(acc, 0, t->w.stride * sizeof *acc);
        lm_scores_add(&t->w, ahead[i % (TAG_AHEAD + 1)], NFEAT_STATIC, acc);
        guess = UINT32_MAX;
        if (i + 1 < n) {
            /* usually right, and then the next word's dynamic lookups were
             * started while this word's were still waiting on memory */
            guess = lm_argmax(&t->w, acc);
            features_part(w, n, i + 1, guess, p1, FEAT_DYNAMIC, dyn_next);
            lm_prefetch(&t->w, dyn_next, NFEAT_DYNAMIC);
        }
        lm_scores_add(&t->w, dyn, NFEAT_DYNAMIC, acc);
        uint32_t best = lm_argmax(&t->w, acc);
        toks[i].upos = t->cls_upos[best];
        toks[i].xpos = t->cls_xpos[best];
        p2 = p1;
        p1 = best;
    }
    /* Lemmas once every tag is known: the exception-list lookups of the
     * sentence are independent, so their cache misses overlap. */
    for (size_t i = 0; i < n; i++) {
        w[i].lex = lex_key_hashed(w[i].lw, toks[i].xpos);
        if (t->lex.keys)
            __builtin_prefetch(&t->lex.keys[(uint32_t)w[i].lex & t->lex.mask]);
    }
    int rc = 0;
    for (size_t i = 0; i < n; i++) {
        toks[i].lemma = lemma_keyed(t, &doc->mem, &toks[i], w[i].lex);
        if (!toks[i].lemma)
            rc = -1;
    }
    if (w != stackw)
        free(w);
    return rc;
}

void tag_score_add(tag_score *s, const dyad_doc *gold, const dyad_doc *pred)
{
    size_t n = gold->ntoks < pred->ntoks ? gold->ntoks : pred->ntoks;
    for (size_t i = 0; i < n; i++) {
        const token *g = &gold->toks[i], *p = &pred->toks[i];
        s->n++;
        s->upos += g->upos == p->upos;
        s->xpos += g->xpos == p->xpos;
        s->lemma += g->lemma && p->lemma && strcmp(g->lemma, p->lemma) == 0;
    }
}

/* ---- training ------------------------------------------------------------- */

/* Tags a copy of dev's gold words with t and scores it against dev. */
static int dev_score(const tagger *t, const dyad_doc *dev, tag_score *sc)
{
    memset(sc, 0, sizeof *sc);
    dyad_doc *copy = dyad_doc_new();
    token *toks = copy ? arena_alloc(&copy->mem, (dev->ntoks + 1) * sizeof *toks) : NULL;
    if (!toks) {
        dyad_doc_free(copy);
        return -1;
    }
    memcpy(toks, dev->toks, dev->ntoks * sizeof *toks);
    copy->toks = toks;
    copy->ntoks = dev->ntoks;
    int bad = 0;
    for (size_t si = 0; si < dev->nsents && !bad; si++)
        bad = tagger_tag(t, copy, &dev->sents[si]);
    tag_score_add(sc, dev, copy);
    dyad_doc_free(copy);
    return bad;
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* Builds the lemma exception list: (word, xpos) pairs whose majority gold
 * lemma differs from what the rules produce. */
static int build_lemmas(tagger *t, const dyad_doc *train)
{
    size_t n = train->ntoks, m = 0;
    char **rows = calloc(n ? n : 1, sizeof *rows);
    if (!rows)
        return -1;
    int rc = -1;
    for (size_t i = 0; i < n; i++) {
        const token *tok = &train->toks[i];
        if (!tok->lemma || strchr(tok->norm, '\t') || strchr(tok->lemma, '\t'))
            continue;
        size_t len = strlen(tok->norm) + strlen(tok->lemma) + 8;
        rows[m] = malloc(len);
        if (!rows[m])
            goto out;
        snprintf(rows[m], len, "%s\t%02x\t%s", tok->norm, tok->xpos, tok->lemma);
        m++;
    }
    qsort(rows, m, sizeof *rows, cmp_str);
    /* pass over groups of equal (word, xpos); count lemmas within */
    size_t nexc = 0, poolcap = 1024;
    t->pool = malloc(poolcap);
    if (!t->pool || kv_init(&t->lex, m / 4 + 16))
        goto out;
    t->pool_len = 0;
    for (size_t i = 0; i < m;) {
        const char *tab2 = strchr(strchr(rows[i], '\t') + 1, '\t');
        size_t keylen = (size_t)(tab2 - rows[i]);
        size_t j = i, best = i, bestc = 0;
        while (j < m && strncmp(rows[j], rows[i], keylen) == 0 && rows[j][keylen] == '\t') {
            size_t k = j;
            while (k < m && strcmp(rows[k], rows[j]) == 0)
                k++;
            if (k - j > bestc) {
                bestc = k - j;
                best = j;
            }
            j = k;
        }
        /* reconstruct the token to run the rules */
        char word[512];
        if (keylen - 3 < sizeof word) {
            memcpy(word, rows[i], keylen - 3);
            word[keylen - 3] = '\0';
            unsigned xpos = (unsigned)strtoul(rows[i] + keylen - 2, NULL, 16);
            const char *lemma = rows[best] + keylen + 1;
            /* find the UPOS from any training token with this word: rules
             * only need it for the proper-noun/number/punctuation cases,
             * which depend on XPOS as much */
            token probe = {0};
            probe.form = probe.norm = word;
            probe.xpos = (uint8_t)xpos;
            const char *x = xpos_name(xpos);
            probe.upos = strncmp(x, "NNP", 3) == 0 ? UPOS_PROPN
                         : strcmp(x, "CD") == 0     ? UPOS_NUM
                                                    : UPOS_NOUN;
            char buf[600];
            const char *def = default_lemma(&probe, buf, sizeof buf);
            if (strcmp(def, lemma) != 0 && probe.upos != UPOS_PROPN && probe.upos != UPOS_NUM) {
                size_t ln = strlen(lemma) + 1;
                if (t->pool_len + ln > poolcap) {
                    while (t->pool_len + ln > poolcap)
                        poolcap *= 2;
                    char *p = realloc(t->pool, poolcap);
                    if (!p)
                        goto out;
                    t->pool = p;
                }
                memcpy(t->pool + t->pool_len, lemma, ln);
                kv_put(&t->lex, lex_key(word, xpos), t->pool_len);
                t->pool_len += (uint32_t)ln;
                nexc++;
            }
        }
        i = j;
    }
    rc = 0;
out:
    for (size_t i = 0; i < m; i++)
        free(rows[i]);
    free(rows);
    return rc;
}

static uint64_t rng_next(uint64_t *s)
{
    *s ^= *s << 13;
    *s ^= *s >> 7;
    *s ^= *s << 17;
    return *s;
}

tagger *tagger_train(const dyad_doc *train, const dyad_doc *dev, const tagger_opts *o, char *err,
                     size_t errlen)
{
    int epochs = o && o->epochs > 0 ? o->epochs : 10;
    unsigned min_count = o && o->min_count ? o->min_count : 2;
    FILE *log = o ? o->log : NULL;
    tagger *t = calloc(1, sizeof *t);
    uint32_t *gold = malloc((train->ntoks + 1) * sizeof *gold);
    uint32_t *order = malloc((train->nsents + 1) * sizeof *order);
    winfo *w = malloc((TAG_MAX_TRAIN_WORDS + 1) * sizeof *w);
    lm_train cnt = {0}, m = {0};
    if (!t || !gold || !order || !w)
        goto oom;
    /* classes: the (upos, xpos) pairs of the training data */
    int cls_of[UPOS_COUNT + 1][XPOS_MAX];
    memset(cls_of, -1, sizeof cls_of);
    for (size_t i = 0; i < train->ntoks; i++) {
        const token *tok = &train->toks[i];
        if (tok->upos > UPOS_COUNT || tok->xpos >= XPOS_MAX)
            continue;
        int *c = &cls_of[tok->upos][tok->xpos];
        if (*c < 0) {
            if (t->nclass >= 250) {
                snprintf(err, errlen, "too many tag pairs in the training data");
                goto fail;
            }
            *c = (int)t->nclass;
            t->cls_upos[t->nclass] = tok->upos;
            t->cls_xpos[t->nclass] = tok->xpos;
            t->nclass++;
        }
        gold[i] = (uint32_t)*c;
    }
    if (t->nclass < 2) {
        snprintf(err, errlen, "training data has fewer than two tags");
        goto fail;
    }
    /* tag dictionary: most frequent class of every word seen twice or more */
    {
        lm_train dc;
        if (lm_train_init(&dc, t->nclass))
            goto oom;
        for (size_t i = 0; i < train->ntoks; i++) {
            int32_t r = lm_train_add(&dc, hs(train->toks[i].norm, strlen(train->toks[i].norm)));
            if (r < 0) {
                lm_train_free(&dc);
                goto oom;
            }
            dc.w[(size_t)r * t->nclass + gold[i]]++;
        }
        if (kv_init(&t->dict, dc.n)) {
            lm_train_free(&dc);
            goto oom;
        }
        for (size_t j = 0; j < dc.cap; j++) {
            if (!dc.keys[j] || dc.count[dc.rowof[j]] < 2)
                continue;
            const int32_t *row = dc.w + (size_t)dc.rowof[j] * t->nclass;
            uint32_t best = 0;
            for (uint32_t c = 1; c < t->nclass; c++)
                if (row[c] > row[best])
                    best = c;
            kv_put(&t->dict, dc.keys[j], best);
        }
        lm_train_free(&dc);
    }
    if (build_lemmas(t, train))
        goto oom;
    /* feature counts under gold context */
    if (lm_train_init(&cnt, 1) || lm_train_init(&m, t->nclass))
        goto oom;
    uint64_t keys[NFEAT];
    int32_t rows[NFEAT];
    for (size_t si = 0; si < train->nsents; si++) {
        const sentence *s = &train->sents[si];
        if (s->ntok > TAG_MAX_TRAIN_WORDS)
            continue;
        for (size_t i = 0; i < s->ntok; i++)
            word_info(t, &train->toks[s->tok + i], i == 0, &w[i]);
        for (size_t i = 0; i < s->ntok; i++) {
            uint32_t p1 = i >= 1 ? gold[s->tok + i - 1] : t->nclass;
            uint32_t p2 = i >= 2 ? gold[s->tok + i - 2] : t->nclass + 1;
            size_t nf = features(w, s->ntok, i, p1, p2, keys);
            for (size_t k = 0; k < nf; k++)
                if (lm_train_add(&cnt, keys[k]) < 0)
                    goto oom;
        }
    }
    for (size_t j = 0; j < cnt.cap; j++)
        if (cnt.keys[j] && cnt.count[cnt.rowof[j]] >= min_count) {
            int32_t r = lm_train_add(&m, cnt.keys[j]);
            if (r < 0)
                goto oom;
            m.count[r] = cnt.count[cnt.rowof[j]];
        }
    if (log)
        fprintf(log, "tagger: %u classes, %zu of %zu features kept (seen >= %u times)\n",
                t->nclass, m.n, cnt.n, min_count);
    lm_train_free(&cnt);
    for (size_t i = 0; i < train->nsents; i++)
        order[i] = (uint32_t)i;
    uint64_t seed = 0x9e3779b97f4a7c15ULL;
    m.c = 1;
    int32_t scores[256];
    lm best_w = {0};
    double best_acc = -1;
    int best_epoch = 0;
    for (int e = 0; e < epochs; e++) {
        for (size_t i = train->nsents; i > 1; i--) {
            size_t j = rng_next(&seed) % i;
            uint32_t tmp = order[i - 1];
            order[i - 1] = order[j];
            order[j] = tmp;
        }
        size_t total = 0, right = 0;
        for (size_t si = 0; si < train->nsents; si++) {
            const sentence *s = &train->sents[order[si]];
            if (s->ntok > TAG_MAX_TRAIN_WORDS)
                continue;
            for (size_t i = 0; i < s->ntok; i++)
                word_info(t, &train->toks[s->tok + i], i == 0, &w[i]);
            uint32_t p1 = t->nclass, p2 = t->nclass + 1;
            for (size_t i = 0; i < s->ntok; i++) {
                size_t nf = features(w, s->ntok, i, p1, p2, keys);
                for (size_t k = 0; k < nf; k++)
                    rows[k] = lm_train_find(&m, keys[k]);
                lm_train_scores(&m, rows, nf, scores);
                uint32_t best = 0;
                for (uint32_t c = 1; c < t->nclass; c++)
                    if (scores[c] > scores[best])
                        best = c;
                uint32_t g = gold[s->tok + i];
                if (best != g)
                    lm_train_update(&m, rows, nf, g, best);
                else
                    right++;
                m.c++;
                total++;
                p2 = p1;
                p1 = best;
            }
        }
        if (log)
            fprintf(log, "tagger: epoch %d: train accuracy %.2f%%\n", e + 1,
                    total ? 100.0 * (double)right / (double)total : 0.0);
        if (dev && e + 1 >= epochs / 2) {
            /* model selection on dev with the weights as they would ship */
            if (lm_export(&m, &t->w, min_count, TAGGER_MAX_BYTES))
                goto oom;
            tag_score sc;
            int bad = dev_score(t, dev, &sc);
            double acc = sc.n ? 100.0 * (double)(sc.upos + sc.xpos) / (2.0 * (double)sc.n) : 0;
            if (log && !bad)
                fprintf(log, "tagger: epoch %d: dev UPOS %.2f%% XPOS %.2f%% lemma %.2f%%\n",
                        e + 1, 100.0 * (double)sc.upos / (double)(sc.n ? sc.n : 1),
                        100.0 * (double)sc.xpos / (double)(sc.n ? sc.n : 1),
                        100.0 * (double)sc.lemma / (double)(sc.n ? sc.n : 1));
            if (bad) {
                lm_free(&t->w);
                goto oom;
            }
            if (acc > best_acc) {
                lm_free(&best_w);
                best_w = t->w;
                best_acc = acc;
                best_epoch = e + 1;
            } else {
                lm_free(&t->w);
            }
            memset(&t->w, 0, sizeof t->w);
        }
    }
    if (best_w.tab) {
        t->w = best_w;
        if (log)
            fprintf(log, "tagger: keeping epoch %d (dev UPOS %.2f%%)\n", best_epoch, best_acc);
    } else if (lm_export(&m, &t->w, min_count, TAGGER_MAX_BYTES)) {
        goto oom;
    }
    lm_train_free(&m);
    if (log)
        fprintf(log, "tagger: %zu features in the exported model, %u buckets\n",
                lm_nfeatures(&t->w), t->w.nbucket);
    free(gold);
    free(order);
    free(w);
    return t;
oom:
    snprintf(err, errlen, "out of memory while training the tagger");
    lm_free(&best_w);
fail:
    lm_train_free(&cnt);
    lm_train_free(&m);
    free(gold);
    free(order);
    free(w);
    tagger_free(t);
    return NULL;
}

/* ---- model file ----------------------------------------------------------- */

int tagger_save(const tagger *t, const char *path, char *err, size_t errlen)
{
    bin_writer w;
    if (model_file_begin(&w, path, "TAGR", TAGGER_VERSION, err, errlen))
        return -1;
    bw_u32(&w, t->nclass);
    for (unsigned c = 0; c < t->nclass; c++) {
        bw_str(&w, upos_name(t->cls_upos[c]));
        bw_str(&w, xpos_name(t->cls_xpos[c]));
    }
    kv_write(&w, &t->dict);
    kv_write(&w, &t->lex);
    bw_u32(&w, t->pool_len);
    bw_bytes(&w, t->pool, t->pool_len);
    lm_write(&w, &t->w);
    return model_file_finish(&w, path, err, errlen);
}

tagger *tagger_load(const char *path, char *err, size_t errlen)
{
    unsigned char *buf;
    bin_reader r;
    if (model_file_load(path, "TAGR", TAGGER_VERSION, &buf, &r, err, errlen))
        return NULL;
    tagger *t = calloc(1, sizeof *t);
    if (!t) {
        free(buf);
        snprintf(err, errlen, "%s: out of memory", path);
        return NULL;
    }
    t->nclass = br_u32(&r);
    if (!r.failed && (t->nclass < 2 || t->nclass > 250))
        br_fail(&r, "bad class count %u", t->nclass);
    for (unsigned c = 0; c < t->nclass && !r.failed; c++) {
        char u[32], x[32];
        if (br_str(&r, u, sizeof u) || br_str(&r, x, sizeof x))
            break;
        t->cls_upos[c] = (uint8_t)upos_id(u, strlen(u));
        t->cls_xpos[c] = (uint8_t)xpos_id(x, strlen(x));
        if (!t->cls_upos[c])
            br_fail(&r, "unknown UPOS tag '%s'", u);
    }
    if (!r.failed)
        kv_read(&r, &t->dict, t->nclass);
    uint32_t pool_len = 0;
    if (!r.failed) {
        /* exception values are validated against the pool length below */
        kv_read(&r, &t->lex, UINT32_MAX);
        pool_len = br_u32(&r);
    }
    const char *pool = r.failed ? NULL : br_bytes(&r, pool_len);
    if (pool) {
        t->pool = malloc(pool_len + 1);
        if (!t->pool)
            br_fail(&r, "out of memory");
        else {
            memcpy(t->pool, pool, pool_len);
            t->pool[pool_len] = '\0'; /* the last string is terminated even if corrupt */
            t->pool_len = pool_len;
            for (size_t i = 0; t->lex.keys && i <= t->lex.mask; i++)
                if (t->lex.keys[i] && t->lex.vals[i] >= pool_len)
                    br_fail(&r, "corrupt lemma table");
        }
    }
    if (!r.failed && lm_read(&r, &t->w) == 0 && t->w.nclass != t->nclass)
        br_fail(&r, "weight table has %u classes, expected %u", t->w.nclass, t->nclass);
    if (!r.failed && r.p != r.end)
        br_fail(&r, "unexpected data after the weight table");
    free(buf);
    if (r.failed) {
        tagger_free(t);
        return NULL;
    }
    return t;
}

void tagger_free(tagger *t)
{
    if (!t)
        return;
    kv_free(&t->dict);
    kv_free(&t->lex);
    free(t->pool);
    lm_free(&t->w);
    free(t);
}
