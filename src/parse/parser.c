/*
 * parser.c - arc-eager transition parser with a dynamic oracle (design in
 * parser.h).
 *
 * State: stack of word indices (the root, index n, at the bottom), buffer
 * front b, and for every word its head, label, two leftmost and two
 * rightmost dependents, valencies and label sets, all updated in O(1) per
 * transition so features never walk the tree.
 *
 * Transitions (s0 = stack top, b = buffer front):
 *   SHIFT     push b                       (b < n)
 *   REDUCE    pop s0                       (s0 has a head)
 *   LEFT-l    s0 <-l- b, pop               (s0 is a word without head)
 *   RIGHT-l   s0 -l-> b, push b            (label root iff s0 is the root,
 *                                           and the root takes one word)
 * Parsing ends when the buffer is empty; words left without a head are
 * attached to the root word (or become it), which is rare once trained.
 */
#include "parse/parser.h"

#include "tag/linear.h"
#include "tag/tagset.h"

#include <stdlib.h>
#include <string.h>

#define NLAB_MAX DEPREL_MAX
#define NACT_MAX (2 + 2 * NLAB_MAX)
#define NFEAT 80
#define MAX_WORDS 4096
/* Shipped weight tables stay under 20 MB (issue 3): 19 MB leaves room for the header. */
#define PARSER_MAX_BYTES ((size_t)19000000)

enum { SHIFT = 0, REDUCE = 1 };
static inline unsigned act_left(unsigned l) { return 2 + 2 * (l - 1); }
static inline unsigned act_right(unsigned l) { return 3 + 2 * (l - 1); }
static inline int act_is_left(unsigned a) { return a >= 2 && (a & 1) == 0; }
static inline unsigned act_label(unsigned a) { return (a - 2) / 2 + 1; }

struct parser {
    unsigned nlab, nact;
    uint8_t allowed[NACT_MAX]; /* actions seen in training */
    unsigned root_label;
    unsigned beam;     /* beam width: 1 = greedy; stored with the model */
    lm w;
};

/* ---- state ---------------------------------------------------------------- */

typedef struct pstate {
    int n;
    int *stack, sp;
    int b;
    int *head;                  /* -2 none yet; n = root */
    uint8_t *lab;
    int *l1, *l2, *r1, *r2;     /* leftmost, 2nd leftmost, rightmost, 2nd rightmost */
    uint8_t *nl, *nr;
    uint64_t *sl, *sr;          /* label sets of left/right dependents */
    uint64_t *wd, *tg;          /* word and tag atoms; index n is the root */
    int root_kids;
} pstate;

/* Bytes of the per-state arrays of a sentence of n words (n + 1 slots, the
 * root included); the word and tag atoms are shared by every state of a
 * sentence and live outside, so a beam copies states with one memcpy. */
static size_t st_size(int n)
{
    size_t k = (size_t)n + 1;
    return (k * (sizeof(uint64_t) * 2 + sizeof(int) * 6 + 3) + 7) & ~(size_t)7;
}

/* Points the arrays of s into block (st_size(n) bytes, 8-aligned). */
static void st_bind(pstate *s, void *block, int n, uint64_t *wd, uint64_t *tg)
{
    size_t k = (size_t)n + 1;
    char *p = block;
    /* 8-byte arrays first so every array stays aligned */
    s->sl = (uint64_t *)(void *)p; p += k * 8;
    s->sr = (uint64_t *)(void *)p; p += k * 8;
    s->stack = (int *)(void *)p; p += k * sizeof(int);
    s->head = (int *)(void *)p; p += k * sizeof(int);
    s->l1 = (int *)(void *)p; p += k * sizeof(int);
    s->l2 = (int *)(void *)p; p += k * sizeof(int);
    s->r1 = (int *)(void *)p; p += k * sizeof(int);
    s->r2 = (int *)(void *)p; p += k * sizeof(int);
    s->lab = (uint8_t *)p; p += k;
    s->nl = (uint8_t *)p; p += k;
    s->nr = (uint8_t *)p;
    s->wd = wd;
    s->tg = tg;
    s->n = n;
}

/* The initial state: nothing attached, the root alone on the stack. */
static void st_reset(pstate *s)
{
    size_t k = (size_t)s->n + 1;
    for (size_t i = 0; i < k; i++) {
        s->head[i] = -2;
        s->lab[i] = 0;
        s->l1[i] = s->l2[i] = s->r1[i] = s->r2[i] = -1;
        s->nl[i] = s->nr[i] = 0;
        s->sl[i] = s->sr[i] = 0;
    }
    s->stack[0] = s->n;
    s->sp = 1;
    s->b = 0;
    s->root_kids = 0;
}

/* dst becomes a copy of src (both bound to blocks for the same sentence). */
static void st_copy(pstate *dst, const pstate *src)
{
    memcpy(dst->sl, src->sl, st_size(src->n));
    dst->sp = src->sp;
    dst->b = src->b;
    dst->root_kids = src->root_kids;
}

/* One allocation for a state and the sentence's atoms (greedy parsing and
 * training): st_size(n) plus two atom arrays. */
typedef struct pmem {
    void *block;
    size_t cap;
} pmem;

static int st_init(pstate *s, pmem *m, int n)
{
    size_t k = (size_t)n + 1;
    size_t need = st_size(n) + 2 * k * sizeof(uint64_t);
    if (need > m->cap) {
        void *p = realloc(m->block, need);
        if (!p)
            return -1;
        m->block = p;
        m->cap = need;
    }
    uint64_t *atoms = (uint64_t *)(void *)((char *)m->block + st_size(n));
    st_bind(s, m->block, n, atoms, atoms + k);
    st_reset(s);
    return 0;
}

static void add_arc(pstate *s, int h, int d, unsigned l)
{
    s->head[d] = h;
    s->lab[d] = (uint8_t)l;
    if (d < h) {
        if (s->l1[h] < 0 || d < s->l1[h]) {
            s->l2[h] = s->l1[h];
            s->l1[h] = d;
        } else if (s->l2[h] < 0 || d < s->l2[h]) {
            s->l2[h] = d;
        }
        if (s->nl[h] < 255)
            s->nl[h]++;
        s->sl[h] |= 1ULL << (l & 63);
    } else {
        if (s->r1[h] < 0 || d > s->r1[h]) {
            s->r2[h] = s->r1[h];
            s->r1[h] = d;
        } else if (s->r2[h] < 0 || d > s->r2[h]) {
            s->r2[h] = d;
        }
        if (s->nr[h] < 255)
            s->nr[h]++;
        s->sr[h] |= 1ULL << (l & 63);
    }
    if (h == s->n)
        s->root_kids++;
}

static int valid(const pstate *s, unsigned a, unsigned root_label)
{
    int s0 = s->stack[s->sp - 1];
    int has_b = s->b < s->n;
    if (a == SHIFT)
        return has_b;
    if (a == REDUCE)
        return s0 != s->n && s->head[s0] != -2;
    unsigned l = act_label(a);
    if (!has_b)
        return 0;
    if (act_is_left(a))
        return s0 != s->n && s->head[s0] == -2 && l != root_label;
    if (s0 == s->n)
        return l == root_label && s->root_kids == 0;
    return l != root_label;
}

static void apply(pstate *s, unsigned a)
{
    int s0 = s->stack[s->sp - 1];
    if (a == SHIFT) {
        s->stack[s->sp++] = s->b++;
    } else if (a == REDUCE) {
        s->sp--;
    } else if (act_is_left(a)) {
        add_arc(s, s->b, s0, act_label(a));
        s->sp--;
    } else {
        add_arc(s, s0, s->b, act_label(a));
        s->stack[s->sp++] = s->b++;
    }
}

/* ---- features --------------------------------------------------------------- */

#define NONE_W ((uint64_t)0x4e4f4e45ULL)

static inline uint64_t W(const pstate *s, int i) { return i < 0 ? NONE_W : s->wd[i]; }
static inline uint64_t T(const pstate *s, int i) { return i < 0 ? 0xFFFF : s->tg[i]; }
static inline uint64_t L(const pstate *s, int i) { return i < 0 ? 0xFF : s->lab[i]; }

/* Which features to compute: those that read only the buffer front n0..n2
 * (and the bias) are the same for every state with the same front, so the
 * decoders score them once per front; training takes all, in one order. */
enum { FEAT_STATE = 1, FEAT_BUFFER = 2, FEAT_ALL = 3 };

#define F(kind, key)                                                                               \
    do {                                                                                           \
        if (want & (kind))                                                                         \
            k[f++] = (key);                                                                        \
    } while (0)

static size_t features(const pstate *s, uint64_t *k, unsigned want)
{
    int n = s->n;
    int s0 = s->stack[s->sp - 1];
    int s1 = s->sp >= 2 ? s->stack[s->sp - 2] : -1;
    int n0 = s->b < n ? s->b : -1;
    int n1 = s->b + 1 < n ? s->b + 1 : -1;
    int n2 = s->b + 2 < n ? s->b + 2 : -1;
    int s0h = s->head[s0] >= 0 ? s->head[s0] : -1;
    int s0h2 = s0h >= 0 && s0h < n && s->head[s0h] >= 0 ? s->head[s0h] : -1;
    int s0l = s->l1[s0], s0l2 = s->l2[s0], s0r = s->r1[s0], s0r2 = s->r2[s0];
    int n0l = n0 >= 0 ? s->l1[n0] : -1, n0l2 = n0 >= 0 ? s->l2[n0] : -1;
    uint64_t s0w = W(s, s0), s0p = T(s, s0), n0w = W(s, n0), n0p = T(s, n0);
    uint64_t n1w = W(s, n1), n1p = T(s, n1), n2w = W(s, n2), n2p = T(s, n2);
    uint64_t s0vl = s->nl[s0], s0vr = s->nr[s0], n0vl = n0 >= 0 ? s->nl[n0] : 0;
    uint64_t s0sl = s->sl[s0], s0sr = s->sr[s0], n0sl = n0 >= 0 ? s->sl[n0] : 0;
    uint64_t d = 0;
    if (n0 >= 0 && s0 != n) {
        int dist = n0 - s0;
        d = dist >= 10 ? 7 : dist >= 7 ? 6 : dist >= 5 ? 5 : (uint64_t)dist;
    }
    size_t f = 0;
    F(FEAT_BUFFER, lm_key(0, 0, 0, 0));
    F(FEAT_STATE, lm_key(1, s0w, s0p, 0));
    F(FEAT_STATE, lm_key(2, s0w, 0, 0));
    F(FEAT_STATE, lm_key(3, s0p, 0, 0));
    F(FEAT_BUFFER, lm_key(4, n0w, n0p, 0));
    F(FEAT_BUFFER, lm_key(5, n0w, 0, 0));
    F(FEAT_BUFFER, lm_key(6, n0p, 0, 0));
    F(FEAT_BUFFER, lm_key(7, n1w, n1p, 0));
    F(FEAT_BUFFER, lm_key(8, n1w, 0, 0));
    F(FEAT_BUFFER, lm_key(9, n1p, 0, 0));
    F(FEAT_BUFFER, lm_key(10, n2w, n2p, 0));
    F(FEAT_BUFFER, lm_key(11, n2w, 0, 0));
    F(FEAT_BUFFER, lm_key(12, n2p, 0, 0));
    F(FEAT_STATE, lm_key(13, s0w, s0p << 16 | n0p, n0w));
    F(FEAT_STATE, lm_key(14, s0w, s0p, n0w));
    F(FEAT_STATE, lm_key(15, s0w, n0p, n0w));
    F(FEAT_STATE, lm_key(16, s0w, s0p << 16 | n0p, 0));
    F(FEAT_STATE, lm_key(17, s0p << 16 | n0p, n0w, 0));
    F(FEAT_STATE, lm_key(18, s0w, n0w, 0));
    F(FEAT_STATE, lm_key(19, s0p, n0p, 0));
    F(FEAT_BUFFER, lm_key(20, n0p, n1p, 0));
    F(FEAT_BUFFER, lm_key(21, n0p, n1p, n2p));
    F(FEAT_STATE, lm_key(22, s0p, n0p, n1p));
    F(FEAT_STATE, lm_key(23, T(s, s0h), s0p, n0p));
    F(FEAT_STATE, lm_key(24, s0p, T(s, s0l), n0p));
    F(FEAT_STATE, lm_key(25, s0p, T(s, s0r), n0p));
    F(FEAT_STATE, lm_key(26, s0p, n0p, T(s, n0l)));
    F(FEAT_STATE, lm_key(27, s0w, d, 0));
    F(FEAT_STATE, lm_key(28, s0p, d, 0));
    F(FEAT_STATE, lm_key(29, n0w, d, 0));
    F(FEAT_STATE, lm_key(30, n0p, d, 0));
    F(FEAT_STATE, lm_key(31, s0w, n0w, d));
    F(FEAT_STATE, lm_key(32, s0p, n0p, d));
    F(FEAT_STATE, lm_key(33, s0w, s0vr, 0));
    F(FEAT_STATE, lm_key(34, s0p, s0vr, 0));
    F(FEAT_STATE, lm_key(35, s0w, s0vl, 0));
    F(FEAT_STATE, lm_key(36, s0p, s0vl, 0));
    F(FEAT_STATE, lm_key(37, n0w, n0vl, 0));
    F(FEAT_STATE, lm_key(38, n0p, n0vl, 0));
    F(FEAT_STATE, lm_key(39, W(s, s0h), 0, 0));
    F(FEAT_STATE, lm_key(40, T(s, s0h), 0, 0));
    F(FEAT_STATE, lm_key(41, L(s, s0 == n ? -1 : s0), 0, 0));
    F(FEAT_STATE, lm_key(42, W(s, s0l), 0, 0));
    F(FEAT_STATE, lm_key(43, T(s, s0l), 0, 0));
    F(FEAT_STATE, lm_key(44, L(s, s0l), 0, 0));
    F(FEAT_STATE, lm_key(45, W(s, s0r), 0, 0));
    F(FEAT_STATE, lm_key(46, T(s, s0r), 0, 0));
    F(FEAT_STATE, lm_key(47, L(s, s0r), 0, 0));
    F(FEAT_STATE, lm_key(48, W(s, n0l), 0, 0));
    F(FEAT_STATE, lm_key(49, T(s, n0l), 0, 0));
    F(FEAT_STATE, lm_key(50, L(s, n0l), 0, 0));
    F(FEAT_STATE, lm_key(51, W(s, s0h2), 0, 0));
    F(FEAT_STATE, lm_key(52, T(s, s0h2), 0, 0));
    F(FEAT_STATE, lm_key(53, L(s, s0h), 0, 0));
    F(FEAT_STATE, lm_key(54, W(s, s0l2), 0, 0));
    F(FEAT_STATE, lm_key(55, T(s, s0l2), 0, 0));
    F(FEAT_STATE, lm_key(56, L(s, s0l2), 0, 0));
    F(FEAT_STATE, lm_key(57, W(s, s0r2), 0, 0));
    F(FEAT_STATE, lm_key(58, T(s, s0r2), 0, 0));
    F(FEAT_STATE, lm_key(59, L(s, s0r2), 0, 0));
    F(FEAT_STATE, lm_key(60, W(s, n0l2), 0, 0));
    F(FEAT_STATE, lm_key(61, T(s, n0l2), 0, 0));
    F(FEAT_STATE, lm_key(62, L(s, n0l2), 0, 0));
    F(FEAT_STATE, lm_key(63, s0p, T(s, s0l), T(s, s0l2)));
    F(FEAT_STATE, lm_key(64, s0p, T(s, s0r), T(s, s0r2)));
    F(FEAT_STATE, lm_key(65, s0p, T(s, s0h), T(s, s0h2)));
    F(FEAT_STATE, lm_key(66, n0p, T(s, n0l), T(s, n0l2)));
    F(FEAT_STATE, lm_key(67, s0w, s0sr, 0));
    F(FEAT_STATE, lm_key(68, s0p, s0sr, 0));
    F(FEAT_STATE, lm_key(69, s0w, s0sl, 0));
    F(FEAT_STATE, lm_key(70, s0p, s0sl, 0));
    F(FEAT_STATE, lm_key(71, n0w, n0sl, 0));
    F(FEAT_STATE, lm_key(72, n0p, n0sl, 0));
    F(FEAT_STATE, lm_key(73, W(s, s1), 0, 0));
    F(FEAT_STATE, lm_key(74, T(s, s1), 0, 0));
    F(FEAT_STATE, lm_key(75, T(s, s1), s0p, n0p));
    F(FEAT_BUFFER, lm_key(76, n0w, n1w, 0));
    F(FEAT_STATE, lm_key(77, s0p, n0p, L(s, s0 == n ? -1 : s0)));
    F(FEAT_BUFFER, lm_key(78, n0w, n0p, n1p));
    F(FEAT_STATE, lm_key(79, s0p, n0p, (uint64_t)(s->b + 1 >= n) << 1 | (uint64_t)(s->sp == 1)));
    return f;
}

#undef F

/* Word and tag atoms of a sentence.  Tags combine XPOS and UPOS so either
 * alone distinguishes them (UPOS separates AUX from VERB, XPOS VBD from VBN). */
static void atoms(pstate *s, const token *toks)
{
    for (int i = 0; i < s->n; i++) {
        const token *t = &toks[i];
        s->wd[i] = lm_hash_bytes(t->norm, strlen(t->norm));
        s->tg[i] = (uint64_t)t->xpos << 8 | t->upos;
    }
    s->wd[s->n] = 0x524f4f54ULL; /* ROOT */
    s->tg[s->n] = 0xFFFE;
}

/* Writes the finished state into the sentence's tokens. */
static void finish(const parser *p, pstate *s, token *toks)
{
    int n = s->n, root = -1;
    for (int i = 0; i < n; i++)
        if (s->head[i] == n) {
            root = i;
            break;
        }
    for (int i = 0; i < n; i++) {
        if (s->head[i] != -2)
            continue;
        if (root < 0) {
            s->head[i] = n;
            s->lab[i] = (uint8_t)p->root_label;
            root = i;
        } else {
            s->head[i] = root;
            s->lab[i] = (uint8_t)deprel_id(toks[i].upos == UPOS_PUNCT ? "punct" : "parataxis",
                                           toks[i].upos == UPOS_PUNCT ? 5 : 9);
        }
    }
    for (int i = 0; i < n; i++) {
        toks[i].head = s->head[i] == n ? -1 : s->head[i];
        toks[i].deprel = s->lab[i];
    }
}

/* Best-scoring action that is allowed and valid.  Validity is decided once
 * per action type here rather than per action: this loop runs 2n times per
 * sentence over ~120 actions and is on the hot path. */
static unsigned best_valid(const parser *p, const pstate *s, const int32_t *scores)
{
    int s0 = s->stack[s->sp - 1], n = s->n;
    int has_b = s->b < n, is_root = s0 == n;
    int headless = !is_root && s->head[s0] == -2;
    int ok_left = has_b && headless;
    int ok_right = has_b && !is_root;
    int ok_root = has_b && is_root && s->root_kids == 0;
    unsigned best = SHIFT;
    int32_t bs = INT32_MIN;
    int found = 0;
    if (has_b) {
        best = SHIFT;
        bs = scores[SHIFT];
        found = 1;
    }
    if (!is_root && !headless && (!found || scores[REDUCE] > bs)) {
        best = REDUCE;
        bs = scores[REDUCE];
        found = 1;
    }
    unsigned rl = p->root_label;
    for (unsigned a = 2; a < p->nact; a++) {
        if (!p->allowed[a] || (found && scores[a] <= bs))
            continue;
        unsigned l = act_label(a);
        int ok = act_is_left(a) ? ok_left && l != rl
                                : (is_root ? ok_root && l == rl : ok_right && l != rl);
        if (ok) {
            best = a;
            bs = scores[a];
            found = 1;
        }
    }
    return best;
}

/* ---- beam search ------------------------------------------------------------
 *
 * A beam of `width` states advances one transition per step: every state is
 * expanded by every allowed valid action, and the `width` best expansions by
 * total score (the sum of the transitions' scores) survive.  States whose
 * buffer is empty are finished and carry over unchanged (action NOOP), so a
 * finished parse competes with unfinished ones on its final score.  Every
 * state owns one block of st_size(n) bytes; the word and tag atoms are
 * shared.  Decoding and training share the step; only the scorer differs
 * (the exported table, or the training weights).
 */

#define NOOP 0xFFFFu
#define BEAM_MAX 64
/* Copying states makes a beam quadratic in sentence length; longer
 * "sentences" (tables, lists, run-ons) are parsed greedily with the same
 * weights, which keeps their cost linear. */
#define BEAM_MAX_WORDS 400

typedef void (*scorer_fn)(const void *ctx, const uint64_t *keys, size_t nf, int32_t *scores);

typedef struct bitem {
    pstate s;
    int64_t score;
    int gold; /* training: the item's transitions are the gold path so far */
} bitem;

typedef struct cand {
    int64_t score;
    uint32_t item; /* parent in the previous step */
    uint32_t act;
} cand;

typedef struct pbeam {
    unsigned width, size;
    bitem *items;     /* 2 * width: the current and the next step */
    bitem *cur, *nxt;
    void *blocks;
    size_t blk;
    cand *sel;
    unsigned nsel;
} pbeam;

static void beam_free(pbeam *bm)
{
    free(bm->items);
    free(bm->blocks);
    free(bm->sel);
    memset(bm, 0, sizeof *bm);
}

/* Starts a beam for a sentence of n words whose atoms are wd/tg. */
static int beam_init(pbeam *bm, unsigned width, int n, uint64_t *wd, uint64_t *tg)
{
    size_t blk = st_size(n);
    if (!bm->items || bm->width != width || bm->blk < blk) {
        beam_free(bm);
        bm->items = calloc(2 * (size_t)width, sizeof *bm->items);
        bm->blocks = malloc(2 * (size_t)width * blk);
        bm->sel = malloc((size_t)width * sizeof *bm->sel);
        if (!bm->items || !bm->blocks || !bm->sel) {
            beam_free(bm);
            return -1;
        }
        bm->width = width;
        bm->blk = blk;
    }
    bm->cur = bm->items;
    bm->nxt = bm->items + width;
    for (unsigned i = 0; i < 2 * width; i++)
        st_bind(&bm->items[i].s, (char *)bm->blocks + (size_t)i * bm->blk, n, wd, tg);
    st_reset(&bm->cur[0].s);
    bm->cur[0].score = 0;
    bm->cur[0].gold = 1;
    bm->size = 1;
    return 0;
}

static int beam_done(const pbeam *bm)
{
    for (unsigned i = 0; i < bm->size; i++)
        if (bm->cur[i].s.b < bm->cur[i].s.n)
            return 0;
    return 1;
}

/* a ranks before b: higher score, then earlier parent, then lower action. */
static inline int cand_before(const cand *a, const cand *b)
{
    if (a->score != b->score)
        return a->score > b->score;
    if (a->item != b->item)
        return a->item < b->item;
    return a->act < b->act;
}

/* Keeps the `width` best candidates in bm->sel as a heap whose root is the
 * worst kept one. */
static void beam_offer(pbeam *bm, int64_t score, uint32_t item, uint32_t act)
{
    cand c = {score, item, act};
    cand *h = bm->sel;
    unsigned k;
    if (bm->nsel < bm->width) {
        k = bm->nsel++;
        while (k > 0 && cand_before(&h[(k - 1) / 2], &c)) {
            h[k] = h[(k - 1) / 2];
            k = (k - 1) / 2;
        }
        h[k] = c;
        return;
    }
    if (!cand_before(&c, &h[0]))
        return;
    k = 0;
    for (;;) {
        unsigned l = 2 * k + 1, r = l + 1, w = k;
        const cand *wc = &c;
        if (l < bm->nsel && cand_before(wc, &h[l]))
            w = l, wc = &h[l];
        if (r < bm->nsel && cand_before(wc, &h[r]))
            w = r;
        if (w == k)
            break;
        h[k] = h[w];
        k = w;
    }
    h[k] = c;
}

/* One step: expands every state, keeps the best `width`, sorted best first
 * (bm->sel holds the chosen candidates in that order afterwards).  gact is
 * the gold action of this step in training (NOOP once the gold path is
 * finished), anything in decoding. */
static void beam_step(pbeam *bm, const parser *p, scorer_fn score, const void *ctx, unsigned gact)
{
    uint64_t keys[NFEAT];
    int32_t scores[NACT_MAX];
    /* the buffer-front features' scores, shared by the states with the same
     * front (most of a beam, most of the time) */
    int32_t front[BEAM_MAX][NACT_MAX];
    int front_b[BEAM_MAX];
    unsigned nfront = 0;
    unsigned rl = p->root_label;
    bm->nsel = 0;
    for (unsigned i = 0; i < bm->size; i++) {
        const pstate *s = &bm->cur[i].s;
        int64_t base = bm->cur[i].score;
        if (s->b >= s->n) {
            beam_offer(bm, base, i, NOOP);
            continue;
        }
        unsigned fi = 0;
        while (fi < nfront && front_b[fi] != s->b)
            fi++;
        if (fi == nfront) {
            score(ctx, keys, features(s, keys, FEAT_BUFFER), front[fi]);
            front_b[fi] = s->b;
            nfront++;
        }
        score(ctx, keys, features(s, keys, FEAT_STATE), scores);
        for (unsigned a = 0; a < p->nact; a++)
            scores[a] += front[fi][a];
        int s0 = s->stack[s->sp - 1];
        int is_root = s0 == s->n, headless = !is_root && s->head[s0] == -2;
        beam_offer(bm, base + scores[SHIFT], i, SHIFT);
        if (!is_root && !headless)
            beam_offer(bm, base + scores[REDUCE], i, REDUCE);
        int ok_root = is_root && s->root_kids == 0;
        for (unsigned a = 2; a < p->nact; a++) {
            if (!p->allowed[a])
                continue;
            unsigned l = act_label(a);
            int ok = act_is_left(a) ? headless && l != rl
                                    : (is_root ? ok_root && l == rl : l != rl);
            if (ok)
                beam_offer(bm, base + scores[a], i, a);
        }
    }
    /* heap -> best first */
    cand *h = bm->sel;
    for (unsigned i = 1; i < bm->nsel; i++) {
        cand c = h[i];
        unsigned j = i;
        while (j > 0 && cand_before(&c, &h[j - 1])) {
            h[j] = h[j - 1];
            j--;
        }
        h[j] = c;
    }
    for (unsigned k = 0; k < bm->nsel; k++) {
        const bitem *from = &bm->cur[h[k].item];
        bitem *to = &bm->nxt[k];
        st_copy(&to->s, &from->s);
        if (h[k].act != NOOP)
            apply(&to->s, h[k].act);
        to->score = h[k].score;
        to->gold = from->gold && h[k].act == gact;
    }
    bitem *t = bm->cur;
    bm->cur = bm->nxt;
    bm->nxt = t;
    bm->size = bm->nsel;
}

static void score_model(const void *ctx, const uint64_t *keys, size_t nf, int32_t *scores)
{
    const parser *p = ctx;
    lm_scores(&p->w, keys, nf, scores);
}

static int parse_beam(const parser *p, token *toks, int n)
{
    uint64_t *at = malloc(2 * ((size_t)n + 1) * sizeof *at);
    pbeam bm = {0};
    if (!at || beam_init(&bm, p->beam, n, at, at + n + 1)) {
        free(at);
        return -1;
    }
    atoms(&bm.cur[0].s, toks);
    while (!beam_done(&bm))
        beam_step(&bm, p, score_model, p, NOOP);
    finish(p, &bm.cur[0].s, toks);
    beam_free(&bm);
    free(at);
    return 0;
}

int parser_parse(const parser *p, dyad_doc *doc, const sentence *snt)
{
    if (snt->ntok == 0)
        return 0;
    if (snt->ntok > MAX_WORDS)
        return -1;
    if (p->beam > 1 && snt->ntok <= BEAM_MAX_WORDS)
        return parse_beam(p, doc->toks + snt->tok, (int)snt->ntok);
    pstate s;
    pmem m = {0};
    if (st_init(&s, &m, (int)snt->ntok))
        return -1;
    token *toks = doc->toks + snt->tok;
    atoms(&s, toks);
    uint64_t keys[NFEAT];
    int32_t scores[NACT_MAX], front[NACT_MAX];
    int front_b = -1;
    while (s.b < s.n) {
        if (s.b != front_b) {
            /* the front's features: scored once per front (about two
             * decisions each), the next front's prefetched meanwhile */
            lm_scores(&p->w, keys, features(&s, keys, FEAT_BUFFER), front);
            front_b = s.b;
            if (s.b + 1 < s.n) {
                pstate next = s;
                next.b++;
                lm_prefetch(&p->w, keys, features(&next, keys, FEAT_BUFFER));
            }
        }
        lm_scores(&p->w, keys, features(&s, keys, FEAT_STATE), scores);
        for (unsigned a = 0; a < p->nact; a++)
            scores[a] += front[a];
        unsigned a = best_valid(p, &s, scores);
        if (!valid(&s, a, p->root_label))
            a = SHIFT; /* only when no allowed action is valid: keep moving */
        apply(&s, a);
    }
    finish(p, &s, toks);
    free(m.block);
    return 0;
}

/* a and b have the same universal relation: nmod:poss matches nmod (the
 * CoNLL 2018 evaluation ignores the language-specific subtypes). */
static int same_universal_relation(unsigned a, unsigned b)
{
    if (a == b)
        return 1;
    const char *x = deprel_name(a), *y = deprel_name(b);
    size_t nx = strcspn(x, ":"), ny = strcspn(y, ":");
    return nx == ny && memcmp(x, y, nx) == 0;
}

void dep_score_add(dep_score *sc, const dyad_doc *gold, const dyad_doc *pred)
{
    size_t n = gold->ntoks < pred->ntoks ? gold->ntoks : pred->ntoks;
    for (size_t i = 0; i < n; i++) {
        const token *g = &gold->toks[i], *q = &pred->toks[i];
        if (g->head < -1)
            continue;
        sc->n++;
        if (g->head == q->head) {
            sc->uas++;
            sc->las_sub += g->deprel == q->deprel;
            sc->las += same_universal_relation(g->deprel, q->deprel);
        }
    }
}

/* UAS and full-label LAS (percent) of p on the gold trees of dev, tags as
 * they are. */
static int dev_scores(const parser *p, const dyad_doc *dev, double *uas, double *las)
{
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
        if (dev->sents[si].ntok <= MAX_WORDS)
            bad = parser_parse(p, copy, &dev->sents[si]);
    dep_score sc = {0};
    dep_score_add(&sc, dev, copy);
    dyad_doc_free(copy);
    *uas = sc.n ? 100.0 * (double)sc.uas / (double)sc.n : 0;
    /* model selection on the full label (subtype included), the stricter
     * score, as the shipped models were selected */
    *las = sc.n ? 100.0 * (double)sc.las_sub / (double)sc.n : 0;
    return bad;
}

/* ---- dynamic oracle ------------------------------------------------------- */

/* gh: gold heads (n = root), gl: gold labels.  Costs of the unlabeled
 * transitions; a labeled arc costs one more when it is gold but mislabeled. */
typedef struct costs {
    int shift, reduce, left, right;
} costs;

static costs oracle(const pstate *s, const int *gh, const uint8_t *onstack)
{
    costs c = {0, 0, 0, 0};
    int n = s->n, b = s->b, s0 = s->stack[s->sp - 1];
    if (b < n) {
        /* SHIFT: b loses its head on the stack and its dependents there */
        if (gh[b] < n ? onstack[gh[b]] : onstack[n])
            c.shift++;
        for (int k = 0; k < s->sp; k++) {
            int x = s->stack[k];
            if (x != n && s->head[x] == -2 && gh[x] == b)
                c.shift++;
        }
        /* RIGHT: b gets s0; loses a head elsewhere and dependents on the stack */
        if (gh[b] != s0 && (gh[b] > b || (gh[b] <= n && onstack[gh[b]])))
            c.right++;
        for (int k = 0; k < s->sp; k++) {
            int x = s->stack[k];
            if (x != n && x != s0 && s->head[x] == -2 && gh[x] == b)
                c.right++;
        }
        if (s0 != n && s->head[s0] == -2 && gh[s0] == b)
            c.right++; /* b <- s0 would have been LEFT */
    }
    if (s0 != n) {
        for (int k = b; k < n; k++)
            if (gh[k] == s0)
                c.reduce++;
        /* LEFT: s0 gets b; loses a head further right and dependents in the buffer */
        if (b < n) {
            if (gh[s0] != b && gh[s0] > b && gh[s0] < n)
                c.left++;
            for (int k = b; k < n; k++)
                if (gh[k] == s0)
                    c.left++;
        }
    }
    return c;
}

static int action_cost(const pstate *s, unsigned a, const costs *c, const int *gh,
                       const uint8_t *gl)
{
    int s0 = s->stack[s->sp - 1];
    if (a == SHIFT)
        return c->shift;
    if (a == REDUCE)
        return c->reduce;
    unsigned l = act_label(a);
    if (act_is_left(a))
        return c->left + (gh[s0] == s->b && gl[s0] != l);
    return c->right + (gh[s->b] == s0 && gl[s->b] != l);
}

/* Minimum cost over the allowed valid actions. */
static int min_cost(const parser *p, const pstate *s, const costs *c, const int *gh,
                    const uint8_t *gl)
{
    int minc = 1 << 30;
    for (unsigned a = 0; a < p->nact; a++)
        if (p->allowed[a] && valid(s, a, p->root_label)) {
            int ac = action_cost(s, a, c, gh, gl);
            if (ac < minc)
                minc = ac;
        }
    return minc;
}

/* The static oracle: the first minimum-cost action, preferring arcs, then
 * REDUCE, then SHIFT (one canonical gold path per tree). */
static unsigned static_action(const parser *p, const pstate *s, const costs *c, const int *gh,
                              const uint8_t *gl, int minc)
{
    for (unsigned a = 2; a < p->nact; a++)
        if (p->allowed[a] && valid(s, a, p->root_label) && action_cost(s, a, c, gh, gl) == minc)
            return a;
    if (valid(s, REDUCE, p->root_label) && c->reduce == minc)
        return REDUCE;
    return valid(s, SHIFT, p->root_label) ? SHIFT : REDUCE;
}

/* ---- training ------------------------------------------------------------- */

static uint64_t rng_next(uint64_t *x)
{
    *x ^= *x << 13;
    *x ^= *x >> 7;
    *x ^= *x << 17;
    return *x;
}

typedef struct trainer {
    parser *p;
    lm_train m;
    int *gh;
    uint8_t *gl, *onstack;
    pmem mem;
    /* beam training */
    pbeam bm;
    unsigned *gacts;  /* the static oracle's path, 2n + 1 at most */
    cand *hist;       /* per step, the beam's (parent, action) pairs */
    size_t hist_cap;
    unsigned *pacts;  /* the violating state's path */
} trainer;

/* Gold heads and labels of a sentence into tr->gh/gl (n = root). */
static void gold_tree(trainer *tr, const token *toks, int n)
{
    for (int i = 0; i < n; i++) {
        tr->gh[i] = toks[i].head < 0 ? n : toks[i].head;
        tr->gl[i] = toks[i].head < 0 ? (uint8_t)tr->p->root_label : toks[i].deprel;
    }
    memset(tr->onstack, 0, (size_t)n + 1);
    tr->onstack[n] = 1;
}

/* Keeps tr->onstack in step with a transition about to be applied to s. */
static void track_stack(trainer *tr, const pstate *s, unsigned a)
{
    int s0 = s->stack[s->sp - 1];
    if (a == SHIFT || (a != REDUCE && !act_is_left(a)))
        tr->onstack[s->b] = 1;
    else
        tr->onstack[s0] = 0;
}

/* Runs one sentence.  mode 0: count features along the static-oracle path;
 * mode 1: train (explore = follow own predictions); returns transitions
 * and correct ones through *tot and *ok. */
static int run_sentence(trainer *tr, lm_train *cnt, const dyad_doc *doc, const sentence *snt,
                        int mode, int explore, uint64_t *seed, size_t *tot, size_t *ok)
{
    parser *p = tr->p;
    int n = (int)snt->ntok;
    pstate s;
    if (st_init(&s, &tr->mem, n))
        return -1;
    const token *toks = doc->toks + snt->tok;
    atoms(&s, toks);
    gold_tree(tr, toks, n);
    uint64_t keys[NFEAT];
    int32_t rows[NFEAT];
    int32_t scores[NACT_MAX];
    while (s.b < s.n) {
        costs c = oracle(&s, tr->gh, tr->onstack);
        size_t nf = features(&s, keys, FEAT_ALL);
        int minc = min_cost(p, &s, &c, tr->gh, tr->gl);
        unsigned gold = SHIFT, pred = SHIFT;
        if (mode == 0) {
            for (size_t k = 0; k < nf; k++)
                if (lm_train_add(cnt, keys[k]) < 0)
                    return -1;
            gold = pred = static_action(p, &s, &c, tr->gh, tr->gl, minc);
        } else {
            for (size_t k = 0; k < nf; k++)
                rows[k] = lm_train_find(&tr->m, keys[k]);
            lm_train_scores(&tr->m, rows, nf, scores);
            int32_t bg = INT32_MIN, bp = INT32_MIN;
            int fg = 0, fp = 0;
            for (unsigned a = 0; a < p->nact; a++) {
                if (!p->allowed[a] || !valid(&s, a, p->root_label))
                    continue;
                if (!fp || scores[a] > bp) {
                    bp = scores[a];
                    pred = a;
                    fp = 1;
                }
                if ((!fg || scores[a] > bg) &&
                    action_cost(&s, a, &c, tr->gh, tr->gl) == minc) {
                    bg = scores[a];
                    gold = a;
                    fg = 1;
                }
            }
            if (!fp)
                break;
            (*tot)++;
            if (action_cost(&s, pred, &c, tr->gh, tr->gl) > minc)
                lm_train_update(&tr->m, rows, nf, gold, pred);
            else
                (*ok)++;
            tr->m.c++;
            if (!(explore && rng_next(seed) % 10 != 0))
                pred = gold;
        }
        if (!valid(&s, pred, p->root_label))
            break;
        track_stack(tr, &s, pred);
        apply(&s, pred);
    }
    return 0;
}

static void score_train(const void *ctx, const uint64_t *keys, size_t nf, int32_t *scores)
{
    const lm_train *m = ctx;
    int32_t rows[NFEAT];
    for (size_t k = 0; k < nf; k++)
        rows[k] = lm_train_find(m, keys[k]);
    lm_train_scores(m, rows, nf, scores);
}

/* Adds delta to class a of every known feature of s (one side of a global
 * perceptron update; the other side is a different state). */
static void update_state(lm_train *m, const pstate *s, unsigned a, int delta)
{
    uint64_t keys[NFEAT];
    size_t nf = features(s, keys, FEAT_ALL);
    unsigned nc = m->nclass;
    for (size_t k = 0; k < nf; k++) {
        int32_t r = lm_train_find(m, keys[k]);
        if (r < 0)
            continue;
        size_t at = (size_t)r * nc + a;
        m->w[at] += delta;
        m->u[at] += m->c * delta;
    }
}

/* Replays path[0..len) from the initial state and adds delta to every
 * transition from step `from` on. */
static int replay_update(trainer *tr, const token *toks, int n, const unsigned *path, size_t len,
                         size_t from, int delta)
{
    pstate s;
    if (st_init(&s, &tr->mem, n))
        return -1;
    atoms(&s, toks);
    for (size_t t = 0; t < len; t++) {
        if (path[t] == NOOP)
            continue;
        if (t >= from)
            update_state(&tr->m, &s, path[t], delta);
        apply(&s, path[t]);
    }
    return 0;
}

/* Beam training on one sentence with the max-violation update (Huang, Fayong
 * & Guo 2012): the beam runs to the end; at the step where the best state
 * outscores the gold path by most, the gold prefix is rewarded and that
 * state's prefix penalised.  Global training is what lets a beam use its
 * width: a locally trained model ranks partial parses poorly. */
static int run_sentence_beam(trainer *tr, const dyad_doc *doc, const sentence *snt, size_t *tot,
                             size_t *ok)
{
    parser *p = tr->p;
    int n = (int)snt->ntok;
    if (n > BEAM_MAX_WORDS)
        return 0; /* parsed greedily at run time too; too rare to matter */
    const token *toks = doc->toks + snt->tok;
    gold_tree(tr, toks, n);
    /* the gold path */
    pstate g;
    if (st_init(&g, &tr->mem, n))
        return -1;
    atoms(&g, toks);
    size_t T = 0;
    while (g.b < n && T < 2 * (size_t)n + 1) {
        costs c = oracle(&g, tr->gh, tr->onstack);
        unsigned a = static_action(p, &g, &c, tr->gh, tr->gl, min_cost(p, &g, &c, tr->gh, tr->gl));
        tr->gacts[T++] = a;
        track_stack(tr, &g, a);
        apply(&g, a);
    }
    /* the beam, with the gold path's score alongside */
    size_t steps = 2 * (size_t)n + 2;
    if (steps * p->beam > tr->hist_cap) {
        cand *h = realloc(tr->hist, steps * p->beam * sizeof *h);
        if (!h)
            return -1;
        tr->hist = h;
        tr->hist_cap = steps * p->beam;
    }
    uint64_t *at = (uint64_t *)(void *)((char *)tr->mem.block + st_size(n));
    if (beam_init(&tr->bm, p->beam, n, at, at + n + 1))
        return -1;
    st_reset(&g);
    int64_t gscore = 0, maxv = -1;
    size_t t = 0, tstar = 0;
    uint64_t keys[NFEAT];
    int32_t scores[NACT_MAX];
    while ((!beam_done(&tr->bm) || t < T) && t + 1 < steps) {
        unsigned ga = t < T ? tr->gacts[t] : NOOP;
        beam_step(&tr->bm, p, score_train, &tr->m, ga);
        memcpy(tr->hist + t * p->beam, tr->bm.sel, tr->bm.nsel * sizeof(cand));
        if (ga != NOOP) {
            score_train(&tr->m, keys, features(&g, keys, FEAT_ALL), scores);
            gscore += scores[ga];
            apply(&g, ga);
        }
        t++;
        const bitem *top = &tr->bm.cur[0];
        if (!top->gold && top->score - gscore > maxv) {
            maxv = top->score - gscore;
            tstar = t;
        }
    }
    (*tot)++;
    tr->m.c++;
    if (maxv < 0) {
        (*ok)++;
        return 0;
    }
    /* the violating state's path: follow the parents back from the top */
    uint32_t k = 0;
    for (size_t i = tstar; i-- > 0;) {
        const cand *c = &tr->hist[i * p->beam + k];
        tr->pacts[i] = c->act;
        k = c->item;
    }
    size_t from = 0;
    while (from < tstar && tr->pacts[from] == (from < T ? tr->gacts[from] : NOOP))
        from++;
    for (size_t i = T; i < tstar; i++)
        tr->gacts[i] = NOOP;
    if (replay_update(tr, toks, n, tr->gacts, tstar, from, +1) ||
        replay_update(tr, toks, n, tr->pacts, tstar, from, -1))
        return -1;
    return 0;
}

static parser *parser_new(void)
{
    parser *p = calloc(1, sizeof *p);
    if (!p)
        return NULL;
    p->nlab = deprel_count();
    p->nact = 2 + 2 * p->nlab;
    p->root_label = deprel_id("root", 4);
    p->beam = 1;
    return p;
}

parser *parser_train(const dyad_doc *train, const dyad_doc *dev, const parser_opts *o,
                     char *err, size_t errlen)
{
    int epochs = o && o->epochs > 0 ? o->epochs : 15;
    unsigned min_count = o && o->min_count ? o->min_count : 2;
    FILE *log = o ? o->log : NULL;
    trainer tr = {0};
    lm_train cnt = {0};
    uint32_t *order = NULL;
    tr.p = parser_new();
    tr.gh = malloc((MAX_WORDS + 1) * sizeof *tr.gh);
    tr.gl = malloc(MAX_WORDS + 1);
    tr.onstack = malloc(MAX_WORDS + 1);
    tr.gacts = malloc((2 * MAX_WORDS + 2) * sizeof *tr.gacts);
    tr.pacts = malloc((2 * MAX_WORDS + 2) * sizeof *tr.pacts);
    order = malloc((train->nsents + 1) * sizeof *order);
    if (!tr.p || !tr.gh || !tr.gl || !tr.onstack || !tr.gacts || !tr.pacts || !order)
        goto oom;
    parser *p = tr.p;
    p->beam = o && o->beam > 1 ? (o->beam > BEAM_MAX ? BEAM_MAX : o->beam) : 1;
    /* allowed actions: SHIFT, REDUCE and the labels seen in each direction */
    p->allowed[SHIFT] = p->allowed[REDUCE] = 1;
    for (size_t si = 0; si < train->nsents; si++) {
        const sentence *s = &train->sents[si];
        for (uint32_t i = 0; i < s->ntok; i++) {
            const token *t = &train->toks[s->tok + i];
            if (t->head == -1)
                p->allowed[act_right(p->root_label)] = 1;
            else if (t->head >= 0 && t->deprel && t->deprel <= p->nlab)
                p->allowed[(uint32_t)t->head < i ? act_right(t->deprel) : act_left(t->deprel)] = 1;
        }
    }
    /* sentences usable for training: fully annotated, bounded length */
    size_t nuse = 0;
    for (size_t si = 0; si < train->nsents; si++) {
        const sentence *s = &train->sents[si];
        int ok = s->ntok > 0 && s->ntok <= MAX_WORDS;
        for (uint32_t i = 0; ok && i < s->ntok; i++) {
            const token *t = &train->toks[s->tok + i];
            if (t->head < -1 || (t->head >= 0 && (!t->deprel || t->deprel > p->nlab)))
                ok = 0;
        }
        if (ok)
            order[nuse++] = (uint32_t)si;
    }
    if (lm_train_init(&cnt, 1) || lm_train_init(&tr.m, p->nact))
        goto oom;
    for (size_t i = 0; i < nuse; i++)
        if (run_sentence(&tr, &cnt, train, &train->sents[order[i]], 0, 0, NULL, NULL, NULL))
            goto oom;
    for (size_t j = 0; j < cnt.cap; j++)
        if (cnt.keys[j] && cnt.count[cnt.rowof[j]] >= min_count) {
            int32_t r = lm_train_add(&tr.m, cnt.keys[j]);
            if (r < 0)
                goto oom;
            tr.m.count[r] = cnt.count[cnt.rowof[j]];
        }
    if (log)
        fprintf(log, "parser: %zu sentences, %u actions, %zu of %zu features kept\n", nuse,
                p->nact, tr.m.n, cnt.n);
    lm_train_free(&cnt);
    uint64_t seed = 0x2545F4914F6CDD1DULL;
    tr.m.c = 1;
    lm best = {0};
    double best_las = -1;
    int best_epoch = 0;
    for (int e = 0; e < epochs; e++) {
        for (size_t i = nuse; i > 1; i--) {
            size_t j = rng_next(&seed) % i;
            uint32_t tmp = order[i - 1];
            order[i - 1] = order[j];
            order[j] = tmp;
        }
        size_t tot = 0, ok = 0;
        for (size_t i = 0; i < nuse; i++)
            if (p->beam > 1 ? run_sentence_beam(&tr, train, &train->sents[order[i]], &tot, &ok)
                            : run_sentence(&tr, NULL, train, &train->sents[order[i]], 1, e > 0,
                                           &seed, &tot, &ok))
                goto oom;
        if (log)
            fprintf(log, "parser: epoch %d: %.2f%% of %s\n", e + 1,
                    tot ? 100.0 * (double)ok / (double)tot : 0.0,
                    p->beam > 1 ? "sentences without an update" : "transitions optimal");
        if (dev && (e + 1 >= epochs / 2 || e + 1 == epochs)) {
            /* model selection on dev: export the averaged weights as they
             * would ship, parse dev, keep the best epoch */
            lm cur;
            if (lm_export(&tr.m, &cur, min_count, PARSER_MAX_BYTES))
                goto oom;
            p->w = cur;
            double uas, las;
            if (dev_scores(p, dev, &uas, &las)) {
                lm_free(&cur);
                memset(&p->w, 0, sizeof p->w);
                goto oom;
            }
            memset(&p->w, 0, sizeof p->w);
            if (log)
                fprintf(log, "parser: epoch %d: dev UAS %.2f%% LAS (with subtypes) %.2f%%\n",
                        e + 1, uas, las);
            if (las > best_las) {
                lm_free(&best);
                best = cur;
                best_las = las;
                best_epoch = e + 1;
            } else {
                lm_free(&cur);
            }
        }
    }
    if (!dev || !best.tab) {
        if (lm_export(&tr.m, &p->w, min_count, PARSER_MAX_BYTES))
            goto oom;
    } else {
        p->w = best;
        memset(&best, 0, sizeof best); /* now owned by p->w */
        if (log)
            fprintf(log, "parser: keeping epoch %d (dev LAS %.2f%%)\n", best_epoch,
                    best_las);
    }
    lm_train_free(&tr.m);
    if (log)
        fprintf(log, "parser: %zu features in the exported model, %u buckets (|w| >= %d kept)\n",
                lm_nfeatures(&p->w), p->w.nbucket, p->w.min_q);
    free(tr.gh);
    free(tr.gl);
    free(tr.onstack);
    free(tr.gacts);
    free(tr.pacts);
    free(tr.hist);
    beam_free(&tr.bm);
    free(tr.mem.block);
    free(order);
    return p;
oom:
    snprintf(err, errlen, "out of memory while training the parser");
    lm_free(&best);
    lm_train_free(&cnt);
    lm_train_free(&tr.m);
    free(tr.gh);
    free(tr.gl);
    free(tr.onstack);
    free(tr.gacts);
    free(tr.pacts);
    free(tr.hist);
    beam_free(&tr.bm);
    free(tr.mem.block);
    free(order);
    parser_free(tr.p);
    return NULL;
}

/* ---- model file ----------------------------------------------------------- */

int parser_save(const parser *p, const char *path, char *err, size_t errlen)
{
    bin_writer w;
    if (model_file_begin(&w, path, "PARS", PARSER_VERSION, err, errlen))
        return -1;
    bw_u32(&w, p->beam);
    bw_u32(&w, p->nlab);
    for (unsigned l = 1; l <= p->nlab; l++)
        bw_str(&w, deprel_name(l));
    bw_bytes(&w, p->allowed, p->nact);
    lm_write(&w, &p->w);
    return model_file_finish(&w, path, err, errlen);
}

parser *parser_load(const char *path, char *err, size_t errlen)
{
    unsigned char *buf;
    bin_reader r;
    if (model_file_load(path, "PARS", PARSER_VERSION, &buf, &r, err, errlen))
        return NULL;
    parser *p = parser_new();
    if (!p) {
        free(buf);
        snprintf(err, errlen, "%s: out of memory", path);
        return NULL;
    }
    unsigned beam = br_u32(&r);
    if (!r.failed && (beam < 1 || beam > BEAM_MAX))
        br_fail(&r, "beam width %u is outside 1..%d", beam, BEAM_MAX);
    p->beam = beam;
    unsigned nlab = br_u32(&r);
    if (!r.failed && nlab != p->nlab)
        br_fail(&r, "model has %u relations, this dyad knows %u (retrain the parser)", nlab,
                p->nlab);
    for (unsigned l = 1; l <= p->nlab && !r.failed; l++) {
        char name[64];
        if (br_str(&r, name, sizeof name))
            break;
        if (strcmp(name, deprel_name(l)) != 0)
            br_fail(&r, "relation %u is '%s', expected '%s' (retrain the parser)", l, name,
                    deprel_name(l));
    }
    const uint8_t *allowed = r.failed ? NULL : br_bytes(&r, p->nact);
    if (allowed)
        memcpy(p->allowed, allowed, p->nact);
    if (!r.failed && lm_read(&r, &p->w) == 0 && p->w.nclass != p->nact)
        br_fail(&r, "weight table has %u classes, expected %u", p->w.nclass, p->nact);
    if (!r.failed && r.p != r.end)
        br_fail(&r, "unexpected data after the weight table");
    free(buf);
    if (r.failed) {
        parser_free(p);
        return NULL;
    }
    return p;
}

unsigned parser_beam(const parser *p) { return p->beam; }

void parser_free(parser *p)
{
    if (!p)
        return;
    lm_free(&p->w);
    free(p);
}
