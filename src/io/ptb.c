/*
 * ptb.c - Penn Treebank bracketed trees to dependencies (design in ptb.h).
 *
 * Two steps per tree: an iterative bracket parser builds a node array (no
 * recursion, so deep or hostile nesting cannot overflow the C stack), then
 * heads are found bottom-up (children always follow their parent in the
 * array, so one reverse pass suffices) and every non-head child is attached
 * to its parent's head word with a relation guessed from the categories.
 */
#include "io/ptb.h"

#include "io/conllu.h"
#include "tag/tagset.h"
#include "text/text.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#define PTB_MAX_DEPTH 1000
#define PTB_MAX_NODES (CONLLU_MAX_WORDS * 4)

typedef struct node {
    char label[24];
    int parent, nkids;
    int kids_first;    /* index into the kids array */
    int leaf;          /* token index for preterminals, else -1 */
    int head;          /* token index of the head word */
} node;

typedef struct tree {
    node *nodes;
    int n;
    int *kids;         /* children of node i: kids[kids_first .. +nkids) after build */
    const char **words;
    int nwords;
} tree;

static int is_tag(const char *l, const char *t) { return strcmp(l, t) == 0; }
static int starts(const char *l, const char *p) { return strncmp(l, p, strlen(p)) == 0; }

static int is_punct_tag(const char *t)
{
    static const char *const p[] = {".", ",", ":", "``", "''", "-LRB-", "-RRB-", "HYPH", "NFP",
                                    "#", "$", NULL};
    for (const char *const *x = p; *x; x++)
        if (strcmp(*x, t) == 0)
            return 1;
    return 0;
}

static unsigned upos_of(const char *x)
{
    if (starts(x, "NNP"))
        return UPOS_PROPN;
    if (starts(x, "NN"))
        return UPOS_NOUN;
    if (is_tag(x, "MD"))
        return UPOS_AUX;
    if (starts(x, "VB"))
        return UPOS_VERB;
    if (starts(x, "JJ"))
        return UPOS_ADJ;
    if (starts(x, "RB") || is_tag(x, "WRB"))
        return UPOS_ADV;
    if (is_tag(x, "DT") || is_tag(x, "PDT") || is_tag(x, "WDT"))
        return UPOS_DET;
    if (starts(x, "PRP") || starts(x, "WP") || is_tag(x, "EX"))
        return UPOS_PRON;
    if (is_tag(x, "IN") || is_tag(x, "RP"))
        return UPOS_ADP;
    if (is_tag(x, "TO") || is_tag(x, "POS"))
        return UPOS_PART;
    if (is_tag(x, "CC"))
        return UPOS_CCONJ;
    if (is_tag(x, "CD"))
        return UPOS_NUM;
    if (is_tag(x, "UH"))
        return UPOS_INTJ;
    if (is_tag(x, "SYM") || is_tag(x, "$") || is_tag(x, "#"))
        return UPOS_SYM;
    if (is_punct_tag(x))
        return UPOS_PUNCT;
    return UPOS_X;
}

/* Index (into kids) of the head child of node i. */
static int head_child(const tree *t, int i)
{
    const node *nd = &t->nodes[i];
    const int *k = t->kids + nd->kids_first;
    int n = nd->nkids;
#define LAB(j) (t->nodes[k[j]].label)
/* children without words (empty elements) can never be heads */
#define FIRST(cond)                                    \
    for (int j = 0; j < n; j++)                        \
        if (t->nodes[k[j]].head >= 0 && (cond))        \
            return j;
#define LAST(cond)                                     \
    for (int j = n - 1; j >= 0; j--)                   \
        if (t->nodes[k[j]].head >= 0 && (cond))        \
            return j;
    const char *l = nd->label;
    if (starts(l, "S") && !starts(l, "SBAR")) {
        FIRST(starts(LAB(j), "VP"));
        FIRST(starts(LAB(j), "S") && !starts(LAB(j), "SBAR"));
        FIRST(starts(LAB(j), "ADJP") || starts(LAB(j), "NP") || starts(LAB(j), "UCP"));
    } else if (starts(l, "SBAR")) {
        FIRST(starts(LAB(j), "S") || starts(LAB(j), "FRAG"));
    } else if (starts(l, "VP")) {
        FIRST(starts(LAB(j), "VP"));
        FIRST(starts(LAB(j), "VB"));
        FIRST(is_tag(LAB(j), "MD") || starts(LAB(j), "ADJP") || starts(LAB(j), "NP"));
    } else if (starts(l, "NP") || starts(l, "WHNP") || starts(l, "NX")) {
        if (n > 1 && starts(LAB(0), "NP") && !is_tag(LAB(n - 1), "POS"))
            return 0;
        LAST(starts(LAB(j), "NN") || is_tag(LAB(j), "NX") || starts(LAB(j), "PRP") ||
             starts(LAB(j), "WP") || is_tag(LAB(j), "EX"));
        LAST(is_tag(LAB(j), "CD") || starts(LAB(j), "QP") || starts(LAB(j), "JJ") ||
             starts(LAB(j), "ADJP") || starts(LAB(j), "NP"));
    } else if (starts(l, "PP") || starts(l, "WHPP")) {
        FIRST(starts(LAB(j), "NP") || starts(LAB(j), "S") || starts(LAB(j), "WHNP") ||
              starts(LAB(j), "ADJP") || starts(LAB(j), "ADVP") || starts(LAB(j), "PP"));
    } else if (starts(l, "ADJP")) {
        LAST(starts(LAB(j), "JJ"));
        FIRST(starts(LAB(j), "ADJP") || starts(LAB(j), "VBN"));
    } else if (starts(l, "ADVP") || starts(l, "WHADVP")) {
        LAST(starts(LAB(j), "RB") || is_tag(LAB(j), "WRB"));
    } else if (starts(l, "QP")) {
        LAST(is_tag(LAB(j), "CD"));
    }
    FIRST(!is_punct_tag(LAB(j)));
    FIRST(1);
    return 0;
#undef LAB
#undef FIRST
#undef LAST
}

/* Relation of child c (a node) attached under parent p whose head child is h. */
static const char *relation(const tree *t, int p, int c, int h, int left_of_head)
{
    const char *P = t->nodes[p].label, *C = t->nodes[c].label, *H = t->nodes[h].label;
    int leaf = t->nodes[c].leaf >= 0;
    if (leaf && is_punct_tag(C))
        return "punct";
    if (is_tag(C, "DT") || is_tag(C, "PDT") || is_tag(C, "WDT"))
        return "det";
    if (is_tag(C, "PRP$") || is_tag(C, "WP$"))
        return "nmod:poss";
    if (is_tag(C, "POS"))
        return "case";
    if (is_tag(C, "CC"))
        return "cc";
    if (is_tag(C, "MD"))
        return "aux";
    if (is_tag(C, "RP") || starts(C, "PRT"))
        return "compound:prt";
    if (starts(C, "RB") || starts(C, "ADVP") || starts(C, "WHADVP"))
        return "advmod";
    if (is_tag(C, "TO") || (is_tag(C, "IN") && (starts(P, "SBAR") || starts(P, "S"))))
        return starts(P, "PP") ? "case" : "mark";
    if (is_tag(C, "IN") || is_tag(C, "TO"))
        return "case";
    if (starts(P, "NP") || starts(P, "WHNP")) {
        if (starts(C, "JJ") || starts(C, "ADJP"))
            return "amod";
        if (is_tag(C, "CD") || starts(C, "QP"))
            return "nummod";
        if (starts(C, "NP") && left_of_head)
            return "nmod:poss";
        if (starts(C, "NN") && left_of_head)
            return "compound";
        if (starts(C, "PP"))
            return "nmod";
        if (starts(C, "SBAR"))
            return "acl:relcl";
        if (starts(C, "VP") || starts(C, "S"))
            return "acl";
        if (starts(C, "NP"))
            return "appos";
    }
    if (starts(P, "VP") || (starts(P, "S") && !starts(P, "SBAR"))) {
        if (starts(C, "VB") && starts(H, "VP"))
            return "aux";
        if (starts(C, "NP") && left_of_head)
            return "nsubj";
        if (starts(C, "NP"))
            return "obj";
        if (starts(C, "PP"))
            return "obl";
        if (starts(C, "SBAR"))
            return starts(P, "VP") ? "ccomp" : "advcl";
        if (starts(C, "S") && starts(P, "VP"))
            return "xcomp";
        if (starts(C, "ADJP"))
            return "xcomp";
        if (starts(C, "VP") || starts(C, "S"))
            return "conj";
    }
    if (starts(C, "PRN"))
        return "parataxis";
    return "dep";
}

typedef struct lexer {
    const char *s;
    size_t n, i;
    long line;
} lexer;

/* Next token: '(' ')' or an atom (start/len); 0 at end. */
static int next_tok(lexer *x, const char **a, size_t *alen)
{
    while (x->i < x->n) {
        char c = x->s[x->i];
        if (c == '\n')
            x->line++;
        if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
            x->i++;
            continue;
        }
        if (c == '(' || c == ')') {
            x->i++;
            return c;
        }
        if (c == '\0') { /* not text: the caller rejects it (strchr below would not move) */
            x->i++;
            return 'n';
        }
        size_t st = x->i;
        while (x->i < x->n && !strchr(" \t\r\n()", x->s[x->i]))
            x->i++;
        *a = x->s + st;
        *alen = x->i - st;
        return 'a';
    }
    return 0;
}

static const char *unescape(const char *w)
{
    static const char *const map[][2] = {{"-LRB-", "("}, {"-RRB-", ")"}, {"-LCB-", "{"},
                                         {"-RCB-", "}"}, {"-LSB-", "["}, {"-RSB-", "]"}};
    for (size_t i = 0; i < sizeof map / sizeof map[0]; i++)
        if (strcmp(w, map[i][0]) == 0)
            return map[i][1];
    return w;
}

/* Adds tree t (already built, root node 0) to doc as a sentence. */
static int emit_tree(tree *t, dyad_doc *doc, char **text, size_t *tlen, size_t *tcap)
{
    /* children lists: count, then fill (children follow parents in the array) */
    int *fill = calloc((size_t)t->n + 1, sizeof *fill);
    t->kids = malloc(((size_t)t->n + 1) * sizeof *t->kids);
    if (!fill || !t->kids) {
        free(fill);
        return -1;
    }
    int off = 0;
    for (int i = 0; i < t->n; i++) {
        t->nodes[i].kids_first = off;
        off += t->nodes[i].nkids;
    }
    for (int i = 1; i < t->n; i++) {
        int p = t->nodes[i].parent;
        t->kids[t->nodes[p].kids_first + fill[p]++] = i;
    }
    free(fill);
    for (int i = t->n - 1; i >= 0; i--) {
        node *nd = &t->nodes[i];
        if (nd->leaf >= 0)
            nd->head = nd->leaf;
        else if (nd->nkids == 0)
            nd->head = -1;
        else
            nd->head = t->nodes[t->kids[nd->kids_first + head_child(t, i)]].head;
    }
    size_t first = doc->ntoks;
    for (int w = 0; w < t->nwords; w++) {
        token *k = doc_add_token(doc);
        if (!k)
            return -1;
        size_t len = strlen(t->words[w]);
        if (*tlen + len + 2 > *tcap) {
            size_t cap = *tcap ? *tcap * 2 : 4096;
            while (*tlen + len + 2 > cap)
                cap *= 2;
            char *p = realloc(*text, cap);
            if (!p)
                return -1;
            *text = p;
            *tcap = cap;
        }
        if (w)
            (*text)[(*tlen)++] = ' ';
        k->start = (uint32_t)*tlen;
        memcpy(*text + *tlen, t->words[w], len);
        *tlen += len;
        k->end = (uint32_t)*tlen;
        k->form = arena_strdup(&doc->mem, t->words[w]);
        k->norm = k->form ? text_normalize(&doc->mem, k->form, len) : NULL;
        if (!k->form || !k->norm)
            return -1;
        k->flags = TOK_WORD | (w + 1 < t->nwords ? TOK_SPACE_AFTER : 0);
        k->head = -2;
    }
    (*text)[(*tlen)++] = '\n';
    /* preterminal tags and attachments */
    for (int i = 0; i < t->n; i++) {
        node *nd = &t->nodes[i];
        if (nd->leaf >= 0) {
            token *k = &doc->toks[first + (size_t)nd->leaf];
            k->xpos = (uint8_t)xpos_id(nd->label, strlen(nd->label));
            k->upos = (uint8_t)upos_of(nd->label);
        }
        if (nd->nkids == 0 || nd->head < 0)
            continue;
        int hc = t->kids[nd->kids_first + head_child(t, i)];
        for (int j = 0; j < nd->nkids; j++) {
            int c = t->kids[nd->kids_first + j];
            if (c == hc || t->nodes[c].head < 0)
                continue;
            token *k = &doc->toks[first + (size_t)t->nodes[c].head];
            const char *rel = relation(t, i, c, hc, t->nodes[c].head < nd->head);
            k->head = nd->head;
            k->deprel = (uint8_t)deprel_id(rel, strlen(rel));
            if (strcmp(rel, "aux") == 0)
                k->upos = UPOS_AUX;
        }
    }
    if (t->nodes[0].head >= 0) {
        token *r = &doc->toks[first + (size_t)t->nodes[0].head];
        r->head = -1;
        r->deprel = (uint8_t)deprel_id("root", 4);
    }
    sentence *s = doc_add_sentence(doc);
    if (!s)
        return -1;
    s->tok = (uint32_t)first;
    s->ntok = (uint32_t)t->nwords;
    s->start = doc->toks[first].start;
    s->end = doc->toks[doc->ntoks - 1].end;
    return 0;
}

int ptb_read_mem(const char *name, const char *data, size_t len, dyad_doc *doc, char *err,
                 size_t errlen)
{
    doc_set_text(doc, "", 0);
    lexer x = {data, len, 0, 1};
    tree t = {0};
    t.nodes = malloc(PTB_MAX_NODES * sizeof *t.nodes);
    t.words = malloc(CONLLU_MAX_WORDS * sizeof *t.words);
    int *stack = malloc(PTB_MAX_DEPTH * sizeof *stack);
    char *text = NULL, *wordbuf = NULL;
    size_t tlen = 0, tcap = 0;
    int rc = -1, depth = 0, tok;
    const char *a;
    size_t alen;
    const char *msg = NULL;
    if (!t.nodes || !t.words || !stack) {
        msg = "out of memory";
        goto out;
    }
    while ((tok = next_tok(&x, &a, &alen)) != 0) {
        if (tok == 'n') {
            msg = "NUL byte";
            goto out;
        }
        if (tok == '(') {
            if (depth >= PTB_MAX_DEPTH) {
                msg = "trees nested deeper than 1000 levels";
                goto out;
            }
            if (t.n >= PTB_MAX_NODES) {
                msg = "tree too large";
                goto out;
            }
            node *nd = &t.nodes[t.n];
            memset(nd, 0, sizeof *nd);
            nd->leaf = -1;
            nd->parent = depth ? stack[depth - 1] : -1;
            /* optional label */
            size_t save = x.i;
            long sl = x.line;
            int nt = next_tok(&x, &a, &alen);
            if (nt == 'a') {
                snprintf(nd->label, sizeof nd->label, "%.*s", (int)(alen < 23 ? alen : 23), a);
                char *dash = strchr(nd->label + 1, '-'); /* NP-SBJ -> NP, but keep -LRB- */
                if (dash && nd->label[0] != '-')
                    *dash = '\0';
                char *eq = strchr(nd->label + 1, '=');
                if (eq)
                    *eq = '\0';
            } else {
                x.i = save;
                x.line = sl;
            }
            if (depth)
                t.nodes[stack[depth - 1]].nkids++;
            stack[depth++] = t.n++;
        } else if (tok == ')') {
            if (!depth) {
                msg = "unbalanced ')'";
                goto out;
            }
            depth--;
            if (depth == 0) {
                /* drop the empty outer wrapper "( (S ...) )" and ROOT wrappers via head rules */
                if (t.nwords > 0 && emit_tree(&t, doc, &text, &tlen, &tcap)) {
                    msg = "out of memory";
                    goto out;
                }
                free(t.kids);
                t.kids = NULL;
                for (int w = 0; w < t.nwords; w++)
                    free((char *)t.words[w]);
                t.n = t.nwords = 0;
            }
        } else {
            if (!depth) {
                msg = "word outside a tree";
                goto out;
            }
            node *pre = &t.nodes[stack[depth - 1]];
            if (pre->nkids || pre->leaf >= 0) {
                msg = "expected '(' or ')' after a word";
                goto out;
            }
            if (is_tag(pre->label, "-NONE-")) {
                /* empty element: make it a childless non-leaf (no head) */
                continue;
            }
            if (t.nwords >= CONLLU_MAX_WORDS) {
                msg = "sentence has more than 4096 words";
                goto out;
            }
            if (utf8_invalid_at(a, alen) != alen) {
                msg = "invalid UTF-8";
                goto out;
            }
            wordbuf = malloc(alen + 1);
            if (!wordbuf) {
                msg = "out of memory";
                goto out;
            }
            memcpy(wordbuf, a, alen);
            wordbuf[alen] = '\0';
            const char *u = unescape(wordbuf);
            if (u != wordbuf) {
                strcpy(wordbuf, u); /* escapes are longer than what they stand for */
            }
            t.words[t.nwords] = wordbuf;
            wordbuf = NULL;
            pre->leaf = t.nwords++;
        }
    }
    if (depth) {
        msg = "unbalanced '(' at end of input";
        goto out;
    }
    rc = 0;
out:
    if (msg)
        snprintf(err, errlen, "%s:%ld: %s", name, x.line, msg);
    for (int w = 0; w < t.nwords; w++)
        free((char *)t.words[w]);
    free(wordbuf);
    free(t.kids);
    free(t.nodes);
    free(t.words);
    free(stack);
    if (rc == 0) {
        char *tt = arena_strndup(&doc->mem, text ? text : "", tlen);
        if (!tt) {
            snprintf(err, errlen, "%s: out of memory", name);
            rc = -1;
        } else {
            doc->text = tt;
            doc->len = tlen;
        }
    }
    free(text);
    return rc;
}

#define PTB_MAX_FILE ((size_t)256 << 20)

int ptb_read(const char *path, dyad_doc *doc, char *err, size_t errlen)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        snprintf(err, errlen, "%s: %s", path, strerror(errno));
        return -1;
    }
    char *buf = NULL;
    size_t n = 0, cap = 0;
    for (;;) {
        if (n + 65536 > cap) {
            cap = cap ? cap * 2 : 1 << 20;
            if (cap > PTB_MAX_FILE + 65536) {
                snprintf(err, errlen, "%s: larger than 256 MiB", path);
                free(buf);
                fclose(f);
                return -1;
            }
            char *p = realloc(buf, cap);
            if (!p) {
                snprintf(err, errlen, "%s: out of memory", path);
                free(buf);
                fclose(f);
                return -1;
            }
            buf = p;
        }
        size_t got = fread(buf + n, 1, cap - n, f);
        n += got;
        if (got == 0)
            break;
    }
    int bad = ferror(f);
    fclose(f);
    if (bad) {
        snprintf(err, errlen, "%s: read error", path);
        free(buf);
        return -1;
    }
    int rc = ptb_read_mem(path, buf ? buf : "", n, doc, err, errlen);
    free(buf);
    return rc;
}
