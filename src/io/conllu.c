/*
 * conllu.c - CoNLL-U reader and writer (design in conllu.h).
 *
 * The reader is a line-at-a-time state machine: comment lines set paragraph
 * and document breaks, word lines are validated column by column, a blank
 * line closes the sentence (after checking that every head points inside
 * it).  Multi-word token lines are remembered until their last word so that
 * the surface text (and its SpaceAfter) comes from the range line.
 */
#include "io/conllu.h"

#include "tag/tagset.h"
#include "text/text.h"

#include <errno.h>
#include <sys/types.h>
#include <stdlib.h>
#include <string.h>

#define LINE_MAX_BYTES ((size_t)1 << 20)

typedef struct sbuf {
    char *p;
    size_t n, cap;
} sbuf;

static int sb_add(sbuf *b, const char *s, size_t n)
{
    if (b->n + n + 1 > b->cap) {
        size_t cap = b->cap ? b->cap : 4096;
        while (b->n + n + 1 > cap)
            cap *= 2;
        char *p = realloc(b->p, cap);
        if (!p)
            return -1;
        b->p = p;
        b->cap = cap;
    }
    memcpy(b->p + b->n, s, n);
    b->n += n;
    b->p[b->n] = '\0';
    return 0;
}

typedef struct reader {
    const char *name;
    long line;
    char *err;
    size_t errlen;
    dyad_doc *doc;
    sbuf text;
    int para_break;       /* next sentence starts a paragraph */
    size_t sent_first;    /* first token of the open sentence */
    int in_sent;
    long next_id;         /* expected id of the next word */
    /* open multi-word token */
    long mwt_lo, mwt_hi;
    char *mwt_form;
    int mwt_space;
    size_t mwt_start;     /* text offset of its surface */
    int pending_space;    /* a space is owed before the next surface token */
} reader;

static int fail(reader *r, const char *msg)
{
    snprintf(r->err, r->errlen, "%s:%ld: %s", r->name, r->line, msg);
    return -1;
}

/* Splits line into exactly 10 tab-separated fields. */
static int split_fields(char *line, char *f[10])
{
    int k = 0;
    f[k++] = line;
    for (char *p = line; *p; p++)
        if (*p == '\t') {
            if (k == 10)
                return -1;
            *p = '\0';
            f[k++] = p + 1;
        }
    return k == 10 ? 0 : -1;
}

static int parse_id(const char *s, long *lo, long *hi, int *kind)
{
    /* kind: 0 word, 1 range, 2 empty node */
    char *e;
    errno = 0;
    long a = strtol(s, &e, 10);
    if (e == s || errno || a < 0 || a > 1000000)
        return -1;
    *lo = *hi = a;
    *kind = 0;
    if (*e == '-') {
        const char *t = e + 1;
        long b = strtol(t, &e, 10);
        if (e == t || *e || b < a || b > 1000000)
            return -1;
        *hi = b;
        *kind = 1;
        return 0;
    }
    if (*e == '.') {
        *kind = 2;
        return 0;
    }
    return *e ? -1 : 0;
}

static int space_after(const char *misc)
{
    /* SpaceAfter=No among |-separated attributes */
    for (const char *p = misc; (p = strstr(p, "SpaceAfter=No")); p++)
        if ((p == misc || p[-1] == '|') && (p[13] == '\0' || p[13] == '|'))
            return 0;
    return 1;
}

/* Appends a surface token to the raw text; returns its start offset. */
static int add_surface(reader *r, const char *form, size_t *start)
{
    if (r->pending_space && sb_add(&r->text, " ", 1))
        return -1;
    r->pending_space = 0;
    *start = r->text.n;
    return sb_add(&r->text, form, strlen(form));
}

static int close_sentence(reader *r)
{
    dyad_doc *doc = r->doc;
    if (!r->in_sent)
        return 0;
    if (r->mwt_form)
        return fail(r, "multi-word token range extends past the end of the sentence");
    size_t n = doc->ntoks - r->sent_first;
    if (n == 0) {
        r->in_sent = 0;
        return 0;
    }
    for (size_t i = r->sent_first; i < doc->ntoks; i++)
        if (doc->toks[i].head >= (int32_t)n)
            return fail(r, "HEAD points past the end of the sentence");
    /* every word must reach the root (or an unannotated "_" HEAD): no HEAD cycles, so
     * whatever walks up the tree later ends.  0 unseen, 1 on the current walk, 2 ends */
    unsigned char *seen = calloc(n, 1);
    if (!seen)
        return fail(r, "out of memory");
    const token *w = doc->toks + r->sent_first;
    for (size_t i = 0; i < n; i++) {
        size_t j = i;
        while (seen[j] == 0) {
            seen[j] = 1;
            if (w[j].head < 0)
                break;
            j = (size_t)w[j].head;
        }
        if (seen[j] == 1 && w[j].head >= 0) {
            free(seen);
            char msg[64];
            snprintf(msg, sizeof msg, "HEAD cycle: word %zu does not reach the root", j + 1);
            return fail(r, msg);
        }
        for (j = i; seen[j] == 1; j = (size_t)w[j].head) {
            seen[j] = 2;
            if (w[j].head < 0)
                break;
        }
    }
    free(seen);
    sentence *s = doc_add_sentence(doc);
    if (!s)
        return fail(r, "out of memory");
    s->tok = (uint32_t)r->sent_first;
    s->ntok = (uint32_t)n;
    s->start = doc->toks[r->sent_first].start;
    s->end = doc->toks[doc->ntoks - 1].end;
    r->in_sent = 0;
    r->pending_space = 1;
    return 0;
}

static int word_line(reader *r, char *f[10], long id)
{
    dyad_doc *doc = r->doc;
    if (!r->in_sent) {
        r->in_sent = 1;
        r->sent_first = doc->ntoks;
        r->next_id = 1;
        if (r->para_break && r->text.n) {
            if (sb_add(&r->text, "\n\n", 2))
                return fail(r, "out of memory");
            r->pending_space = 0;
        }
        r->para_break = 0;
    }
    if (id != r->next_id)
        return fail(r, "word ids must be consecutive from 1");
    if (id > CONLLU_MAX_WORDS)
        return fail(r, "sentence has more than 4096 words");
    r->next_id++;
    const char *form = f[1];
    size_t len = strlen(form);
    if (!len)
        return fail(r, "empty FORM");
    token *t = doc_add_token(doc);
    if (!t)
        return fail(r, "out of memory");
    if (r->mwt_form && id >= r->mwt_lo && id <= r->mwt_hi) {
        /* words of a multi-word token take consecutive slices of its
         * surface while they spell it; otherwise they share all of it */
        size_t surf_end = r->mwt_start + strlen(r->mwt_form);
        size_t pos = id > r->mwt_lo ? (t - 1)->end : r->mwt_start;
        if (pos + len <= surf_end && memcmp(r->text.p + pos, form, len) == 0 &&
            (id > r->mwt_lo || pos == r->mwt_start)) {
            t->start = (uint32_t)pos;
            t->end = (uint32_t)(pos + len);
        } else {
            t->start = (uint32_t)r->mwt_start;
            t->end = (uint32_t)surf_end;
        }
        if (id == r->mwt_hi) {
            if (r->mwt_space)
                t->flags |= TOK_SPACE_AFTER;
            r->pending_space = r->mwt_space;
            free(r->mwt_form);
            r->mwt_form = NULL;
        }
    } else {
        size_t start;
        if (add_surface(r, form, &start))
            return fail(r, "out of memory");
        t->start = (uint32_t)start;
        t->end = (uint32_t)(start + len);
        if (space_after(f[9])) {
            r->pending_space = 1;
            t->flags |= TOK_SPACE_AFTER;
        }
    }
    if (r->text.n > ((size_t)256 << 20))
        return fail(r, "treebank text exceeds 256 MiB");
    t->form = arena_strndup(&doc->mem, form, len);
    t->norm = text_normalize(&doc->mem, form, len);
    t->lemma = strcmp(f[2], "_") == 0 && strcmp(form, "_") != 0
                   ? NULL
                   : arena_strdup(&doc->mem, f[2]);
    if (!t->form || !t->norm)
        return fail(r, "out of memory");
    unsigned char c0 = (unsigned char)form[0];
    if (c0 >= 'A' && c0 <= 'Z')
        t->flags |= TOK_UPPER;
    t->flags |= TOK_WORD;
    if (strcmp(f[3], "_") != 0) {
        t->upos = (uint8_t)upos_id(f[3], strlen(f[3]));
        if (!t->upos)
            return fail(r, "unknown UPOS tag");
    }
    if (strcmp(f[4], "_") != 0)
        t->xpos = (uint8_t)xpos_id(f[4], strlen(f[4])); /* unknown XPOS: left unset */
    if (strcmp(f[6], "_") == 0) {
        t->head = -2;
    } else {
        char *e;
        errno = 0;
        long h = strtol(f[6], &e, 10);
        if (e == f[6] || *e || errno || h < 0 || h > CONLLU_MAX_WORDS)
            return fail(r, "HEAD must be a word id or 0");
        if (h == id)
            return fail(r, "a word cannot be its own HEAD");
        t->head = (int32_t)h - 1;
    }
    if (strcmp(f[7], "_") != 0) {
        t->deprel = (uint8_t)deprel_id(f[7], strlen(f[7]));
        if (!t->deprel)
            return fail(r, "unknown DEPREL");
    }
    return 0;
}

static int range_line(reader *r, char *f[10], long lo, long hi)
{
    if (r->mwt_form)
        return fail(r, "nested multi-word token ranges");
    if (r->in_sent ? lo != r->next_id : lo != 1)
        return fail(r, "multi-word token range does not start at the next word");
    if (!*f[1])
        return fail(r, "empty FORM");
    if (!r->in_sent) {
        /* the sentence starts here: handle the paragraph break first */
        r->in_sent = 1;
        r->sent_first = r->doc->ntoks;
        r->next_id = 1;
        if (r->para_break && r->text.n) {
            if (sb_add(&r->text, "\n\n", 2))
                return fail(r, "out of memory");
            r->pending_space = 0;
        }
        r->para_break = 0;
    }
    r->mwt_lo = lo;
    r->mwt_hi = hi;
    r->mwt_form = strdup(f[1]);
    if (!r->mwt_form || add_surface(r, f[1], &r->mwt_start))
        return fail(r, "out of memory");
    r->mwt_space = space_after(f[9]);
    return 0;
}

static int one_line(reader *r, char *line, size_t n)
{
    while (n && (line[n - 1] == '\n' || line[n - 1] == '\r'))
        line[--n] = '\0';
    if (n == 0)
        return close_sentence(r);
    if (line[0] == '#') {
        if (!r->in_sent && (strncmp(line, "# newpar", 8) == 0 || strncmp(line, "# newdoc", 8) == 0))
            r->para_break = 1;
        return 0;
    }
    if (memchr(line, '\0', n))
        return fail(r, "NUL byte in line");
    if (utf8_invalid_at(line, n) != n)
        return fail(r, "invalid UTF-8");
    char *f[10];
    if (split_fields(line, f))
        return fail(r, "expected 10 tab-separated columns");
    long lo, hi;
    int kind;
    if (parse_id(f[0], &lo, &hi, &kind))
        return fail(r, "bad ID column");
    if (kind == 2)
        return 0; /* empty nodes belong to enhanced dependencies only */
    if (kind == 1)
        return range_line(r, f, lo, hi);
    return word_line(r, f, lo);
}

static int finish(reader *r, int rc)
{
    if (rc == 0)
        rc = close_sentence(r);
    free(r->mwt_form);
    r->mwt_form = NULL;
    if (rc == 0) {
        char *t = arena_strndup(&r->doc->mem, r->text.p ? r->text.p : "", r->text.n);
        if (!t)
            rc = fail(r, "out of memory");
        else {
            r->doc->text = t;
            r->doc->len = r->text.n;
        }
    }
    free(r->text.p);
    return rc;
}

static void reader_init(reader *r, const char *name, dyad_doc *doc, char *err, size_t errlen)
{
    memset(r, 0, sizeof *r);
    r->name = name;
    r->doc = doc;
    r->err = err;
    r->errlen = errlen;
    r->para_break = 1;
    doc_set_text(doc, "", 0);
}

int conllu_read(const char *path, dyad_doc *doc, char *err, size_t errlen)
{
    reader r;
    reader_init(&r, path, doc, err, errlen);
    FILE *f = strcmp(path, "-") == 0 ? stdin : fopen(path, "r");
    if (!f) {
        snprintf(err, errlen, "%s: %s", path, strerror(errno));
        return finish(&r, -1);
    }
    char *line = NULL;
    size_t cap = 0;
    ssize_t got;
    int rc = 0;
    while (rc == 0 && (got = getline(&line, &cap, f)) >= 0) {
        r.line++;
        if ((size_t)got > LINE_MAX_BYTES)
            rc = fail(&r, "line longer than 1 MiB");
        else
            rc = one_line(&r, line, (size_t)got);
    }
    if (rc == 0 && ferror(f)) {
        snprintf(err, errlen, "%s: read error", path);
        rc = -1;
    }
    free(line);
    if (f != stdin)
        fclose(f);
    return finish(&r, rc);
}

int conllu_read_mem(const char *name, const char *data, size_t len, dyad_doc *doc, char *err,
                    size_t errlen)
{
    reader r;
    reader_init(&r, name, doc, err, errlen);
    char *line = NULL;
    int rc = 0;
    size_t i = 0;
    while (rc == 0 && i < len) {
        const char *nl = memchr(data + i, '\n', len - i);
        size_t n = nl ? (size_t)(nl - (data + i)) : len - i;
        r.line++;
        if (n > LINE_MAX_BYTES) {
            rc = fail(&r, "line longer than 1 MiB");
            break;
        }
        char *l = realloc(line, n + 1);
        if (!l) {
            rc = fail(&r, "out of memory");
            break;
        }
        line = l;
        memcpy(line, data + i, n);
        line[n] = '\0';
        rc = one_line(&r, line, n);
        i += n + (nl != NULL);
    }
    free(line);
    return finish(&r, rc);
}

/* ---- writer --------------------------------------------------------------- */

/* Output is on the hot path of `dyad parse` (one line per token), so it
 * avoids printf: fputs and a small integer writer. */
static void put_uint(FILE *f, unsigned long v)
{
    char buf[24];
    size_t k = sizeof buf;
    do {
        buf[--k] = (char)('0' + v % 10);
        v /= 10;
    } while (v);
    fwrite(buf + k, 1, sizeof buf - k, f);
}

void conllu_write_sentence(FILE *f, const dyad_doc *doc, const sentence *s, const char *sent_id)
{
    if (sent_id) {
        fputs("# sent_id = ", f);
        fputs(sent_id, f);
        putc('\n', f);
    }
    fputs("# text = ", f);
    for (uint32_t p = s->start; p < s->end; p++) {
        char c = doc->text[p];
        putc(c == '\n' || c == '\r' || c == '\t' ? ' ' : c, f);
    }
    putc('\n', f);
    for (uint32_t i = 0; i < s->ntok; i++) {
        const token *t = &doc->toks[s->tok + i];
        int last = i + 1 == s->ntok;
        int glued = !last && doc->toks[s->tok + i + 1].start == t->end;
        put_uint(f, i + 1);
        putc('\t', f);
        fputs(t->form, f);
        putc('\t', f);
        fputs(t->lemma ? t->lemma : "_", f);
        putc('\t', f);
        fputs(upos_name(t->upos), f);
        putc('\t', f);
        fputs(xpos_name(t->xpos), f);
        fputs("\t_\t", f);
        if (t->head >= -1) {
            put_uint(f, (unsigned long)(t->head + 1));
            putc('\t', f);
            fputs(t->head == -1 ? "root" : deprel_name(t->deprel), f);
        } else {
            fputs("_\t_", f);
        }
        fputs(glued ? "\t_\tSpaceAfter=No\n" : "\t_\t_\n", f);
    }
    putc('\n', f);
}
