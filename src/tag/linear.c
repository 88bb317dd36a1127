/*
 * linear.c - averaged perceptron weights: training map, export, compact
 * scoring and the model-file container (design in linear.h).
 */
#define _DEFAULT_SOURCE /* madvise(MADV_HUGEPAGE) */
#include "tag/linear.h"

#include <sys/mman.h>

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

/* ---- training ------------------------------------------------------------- */

int lm_train_init(lm_train *m, unsigned nclass)
{
    memset(m, 0, sizeof *m);
    m->nclass = nclass;
    m->cap = 1 << 16;
    m->keys = calloc(m->cap, sizeof *m->keys);
    m->rowof = calloc(m->cap, sizeof *m->rowof);
    if (!m->keys || !m->rowof) {
        lm_train_free(m);
        return -1;
    }
    return 0;
}

void lm_train_free(lm_train *m)
{
    free(m->keys);
    free(m->rowof);
    free(m->w);
    free(m->u);
    free(m->count);
    memset(m, 0, sizeof *m);
}

int32_t lm_train_find(const lm_train *m, uint64_t key)
{
    size_t mask = m->cap - 1;
    for (size_t i = key & mask;; i = (i + 1) & mask) {
        if (m->keys[i] == key)
            return (int32_t)m->rowof[i];
        if (m->keys[i] == 0)
            return -1;
    }
}

static int rehash(lm_train *m)
{
    size_t cap = m->cap * 2;
    uint64_t *keys = calloc(cap, sizeof *keys);
    uint32_t *rowof = calloc(cap, sizeof *rowof);
    if (!keys || !rowof) {
        free(keys);
        free(rowof);
        return -1;
    }
    for (size_t j = 0; j < m->cap; j++) {
        if (!m->keys[j])
            continue;
        size_t i = m->keys[j] & (cap - 1);
        while (keys[i])
            i = (i + 1) & (cap - 1);
        keys[i] = m->keys[j];
        rowof[i] = m->rowof[j];
    }
    free(m->keys);
    free(m->rowof);
    m->keys = keys;
    m->rowof = rowof;
    m->cap = cap;
    return 0;
}

int32_t lm_train_add(lm_train *m, uint64_t key)
{
    size_t mask = m->cap - 1, i;
    for (i = key & mask; m->keys[i]; i = (i + 1) & mask)
        if (m->keys[i] == key) {
            m->count[m->rowof[i]]++;
            return (int32_t)m->rowof[i];
        }
    if (m->n >= INT32_MAX - 1)
        return -1;
    if (m->n == m->rowcap) {
        size_t rc = m->rowcap ? m->rowcap * 2 : 4096;
        int32_t *w = realloc(m->w, rc * m->nclass * sizeof *w);
        if (w)
            m->w = w;
        int64_t *u = realloc(m->u, rc * m->nclass * sizeof *u);
        if (u)
            m->u = u;
        uint32_t *cnt = realloc(m->count, rc * sizeof *cnt);
        if (cnt)
            m->count = cnt;
        if (!w || !u || !cnt)
            return -1;
        m->rowcap = rc;
    }
    size_t row = m->n++;
    memset(m->w + row * m->nclass, 0, m->nclass * sizeof *m->w);
    memset(m->u + row * m->nclass, 0, m->nclass * sizeof *m->u);
    m->count[row] = 1;
    m->keys[i] = key;
    m->rowof[i] = (uint32_t)row;
    if (m->n * 2 > m->cap && rehash(m) < 0)
        return -1;
    return (int32_t)row;
}

void lm_train_scores(const lm_train *m, const int32_t *rows, size_t n, int32_t *scores)
{
    unsigned nc = m->nclass;
    memset(scores, 0, nc * sizeof *scores);
    for (size_t k = 0; k < n; k++) {
        if (rows[k] < 0)
            continue;
        const int32_t *w = m->w + (size_t)rows[k] * nc;
        for (unsigned c = 0; c < nc; c++)
            scores[c] += w[c];
    }
}

void lm_train_update(lm_train *m, const int32_t *rows, size_t n, unsigned good, unsigned bad)
{
    unsigned nc = m->nclass;
    for (size_t k = 0; k < n; k++) {
        if (rows[k] < 0)
            continue;
        size_t base = (size_t)rows[k] * nc;
        m->w[base + good] += 1;
        m->u[base + good] += m->c;
        m->w[base + bad] -= 1;
        m->u[base + bad] -= m->c;
    }
}

/* The weight tables are read at random, ~160 times per word: on 4 KiB pages
 * almost every read is also a TLB miss.  2 MiB-aligned blocks let the kernel
 * back them with transparent huge pages where it allows (madvise mode). */
static void *alloc_big(size_t n)
{
    size_t huge = (size_t)2 << 20;
    if (n < huge)
        return malloc(n ? n : 1);
    size_t rounded = (n + huge - 1) / huge * huge;
    void *p = NULL;
    if (posix_memalign(&p, huge, rounded) != 0)
        return NULL;
#ifdef MADV_HUGEPAGE
    (void)madvise(p, rounded, MADV_HUGEPAGE);
#endif
    return p;
}

/* ---- export ----------------------------------------------------------------- */

static double averaged(const lm_train *t, size_t i)
{
    /* avg = w - u/c; c >= 1 */
    double c = t->c > 0 ? (double)t->c : 1.0;
    return (double)t->w[i] - (double)t->u[i] / c;
}

/* Bytes of the exported tables when cells below min_q are dropped. */
static size_t export_size(const lm_train *t, uint32_t min_count, long min_q, double scale,
                          size_t *nrows_out, size_t *ncells_out)
{
    size_t nc = t->nclass, nrows = 0, ncells = 1;
    for (size_t r = 0; r < t->n; r++) {
        if (t->count[r] < min_count)
            continue;
        size_t k = 0;
        for (size_t c = 0; c < nc; c++) {
            long q = lround(averaged(t, r * nc + c) * scale);
            if (labs(q) >= min_q && q != 0)
                k++;
        }
        if (k) {
            nrows++;
            ncells += k + 1;
        }
    }
    size_t cap = 16;
    while (cap < nrows + nrows / 3 + 1)
        cap *= 2;
    *nrows_out = nrows;
    *ncells_out = ncells;
    return cap * sizeof(lm_slot) + ncells * sizeof(uint32_t);
}

int lm_export(const lm_train *t, lm *out, uint32_t min_count, size_t max_bytes)
{
    memset(out, 0, sizeof *out);
    out->nclass = t->nclass;
    size_t nc = t->nclass, ncell = t->n * nc;
    double maxabs = 0;
    for (size_t i = 0; i < ncell; i++) {
        double a = fabs(averaged(t, i));
        if (a > maxabs)
            maxabs = a;
    }
    out->scale = maxabs > 0 ? (float)(32000.0 / maxabs) : 1.0f;
    /* smallest weight threshold that fits the byte budget: the pruned
     * weights are the ones that change a score the least */
    long min_q = 1;
    size_t nrows, ncells;
    while (export_size(t, min_count, min_q, out->scale, &nrows, &ncells) > max_bytes &&
           min_q < 32000)
        min_q = min_q < 4 ? min_q + 1 : min_q * 5 / 4;
    out->min_q = (int)min_q;
    if (ncells >= UINT32_MAX / 2)
        return -1;
    size_t cap = 16;
    while (cap < nrows + nrows / 3 + 1)
        cap *= 2;
    out->mask = (uint32_t)(cap - 1);
    out->slots = alloc_big(cap * sizeof *out->slots);
    out->cells = alloc_big(ncells * sizeof *out->cells);
    if (out->slots)
        memset(out->slots, 0, cap * sizeof *out->slots);
    if (!out->slots || !out->cells) {
        lm_free(out);
        return -1;
    }
    out->cells[0] = 0;
    uint32_t off = 1;
    for (size_t j = 0; j < t->cap; j++) {
        if (!t->keys[j])
            continue;
        size_t r = t->rowof[j];
        if (t->count[r] < min_count)
            continue;
        uint32_t start = off, k = 0;
        for (size_t c = 0; c < nc; c++) {
            long q = lround(averaged(t, r * nc + c) * out->scale);
            if (q > 32767)
                q = 32767;
            if (q < -32767)
                q = -32767;
            if (labs(q) >= min_q && q != 0) {
                out->cells[start + 1 + k] = (uint32_t)c << 16 | (uint16_t)(int16_t)q;
                k++;
            }
        }
        if (!k)
            continue;
        out->cells[start] = k;
        off = start + 1 + k;
        uint64_t key = t->keys[j];
        size_t i = key & out->mask;
        while (out->slots[i].off)
            i = (i + 1) & out->mask;
        out->slots[i].fp = (uint32_t)(key >> 32);
        out->slots[i].off = start;
    }
    out->ncells = off;
    return 0;
}

void lm_free(lm *m)
{
    free(m->slots);
    free(m->cells);
    memset(m, 0, sizeof *m);
}

size_t lm_nfeatures(const lm *m)
{
    size_t n = 0;
    for (size_t i = 0; m->slots && i <= m->mask; i++)
        n += m->slots[i].off != 0;
    return n;
}

void lm_scores(const lm *m, const uint64_t *keys, size_t n, int32_t *scores)
{
    memset(scores, 0, m->nclass * sizeof *scores);
    /* First touch every slot so the cache misses overlap, then read rows. */
    for (size_t k = 0; k < n; k++)
        __builtin_prefetch(&m->slots[keys[k] & m->mask]);
    uint32_t offs[256];
    size_t nf = 0;
    for (size_t k = 0; k < n; k++) {
        uint32_t fp = (uint32_t)(keys[k] >> 32);
        for (uint32_t i = (uint32_t)keys[k] & m->mask;; i = (i + 1) & m->mask) {
            const lm_slot *s = &m->slots[i];
            if (!s->off)
                break;
            if (s->fp == fp) {
                if (nf < 256) {
                    offs[nf++] = s->off;
                    __builtin_prefetch(&m->cells[s->off]);
                }
                break;
            }
        }
    }
    for (size_t k = 0; k < nf; k++) {
        const uint32_t *c = m->cells + offs[k];
        uint32_t cnt = c[0];
        for (uint32_t j = 1; j <= cnt; j++)
            scores[c[j] >> 16] += (int16_t)(uint16_t)(c[j] & 0xffff);
    }
}

/* ---- binary I/O ----------------------------------------------------------- */

void bw_bytes(bin_writer *w, const void *p, size_t n)
{
    if (!w->err && n && fwrite(p, 1, n, w->f) != n)
        w->err = errno ? errno : EIO;
}

void bw_u32(bin_writer *w, uint32_t v)
{
    unsigned char b[4] = {(unsigned char)v, (unsigned char)(v >> 8), (unsigned char)(v >> 16),
                          (unsigned char)(v >> 24)};
    bw_bytes(w, b, 4);
}

void bw_f32(bin_writer *w, float v)
{
    uint32_t u;
    memcpy(&u, &v, 4);
    bw_u32(w, u);
}

void bw_str(bin_writer *w, const char *s)
{
    size_t n = strlen(s);
    bw_u32(w, (uint32_t)n);
    bw_bytes(w, s, n);
}

void br_fail(bin_reader *r, const char *fmt, ...)
{
    if (r->failed)
        return;
    r->failed = 1;
    char msg[200];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    if (r->err && r->errlen)
        snprintf(r->err, r->errlen, "%s: %s", r->name, msg);
}

const void *br_bytes(bin_reader *r, size_t n)
{
    if (r->failed)
        return NULL;
    if ((size_t)(r->end - r->p) < n) {
        br_fail(r, "truncated model file (needs %zu more bytes at offset)", n);
        return NULL;
    }
    const void *p = r->p;
    r->p += n;
    return p;
}

uint32_t br_u32(bin_reader *r)
{
    const unsigned char *b = br_bytes(r, 4);
    if (!b)
        return 0;
    return (uint32_t)b[0] | (uint32_t)b[1] << 8 | (uint32_t)b[2] << 16 | (uint32_t)b[3] << 24;
}

float br_f32(bin_reader *r)
{
    uint32_t u = br_u32(r);
    float f;
    memcpy(&f, &u, 4);
    return f;
}

int br_str(bin_reader *r, char *buf, size_t bufsize)
{
    uint32_t n = br_u32(r);
    if (r->failed)
        return -1;
    if (n >= bufsize) {
        br_fail(r, "string of %u bytes is too long (max %zu)", n, bufsize - 1);
        return -1;
    }
    const char *s = br_bytes(r, n);
    if (!s)
        return -1;
    memcpy(buf, s, n);
    buf[n] = '\0';
    return 0;
}

/* Arrays are stored as raw little-endian words; dyad only runs on
 * little-endian hosts (the header's byte-order mark checks it). */
void lm_write(bin_writer *w, const lm *m)
{
    bw_u32(w, m->nclass);
    bw_u32(w, m->mask);
    bw_u32(w, m->ncells);
    bw_f32(w, m->scale);
    bw_bytes(w, m->slots, ((size_t)m->mask + 1) * sizeof *m->slots);
    bw_bytes(w, m->cells, (size_t)m->ncells * sizeof *m->cells);
}

int lm_read(bin_reader *r, lm *m)
{
    memset(m, 0, sizeof *m);
    m->nclass = br_u32(r);
    m->mask = br_u32(r);
    m->ncells = br_u32(r);
    m->scale = br_f32(r);
    if (r->failed)
        return -1;
    if (m->nclass == 0 || m->nclass > 255 || (m->mask & (m->mask + 1)) != 0 ||
        m->mask > (1u << 28) || m->ncells == 0 || m->ncells > (1u << 28)) {
        br_fail(r, "corrupt weight table header");
        return -1;
    }
    size_t nslots = (size_t)m->mask + 1;
    const void *sp = br_bytes(r, nslots * sizeof *m->slots);
    const void *cp = br_bytes(r, (size_t)m->ncells * sizeof *m->cells);
    if (!sp || !cp)
        return -1;
    m->slots = alloc_big(nslots * sizeof *m->slots);
    m->cells = alloc_big((size_t)m->ncells * sizeof *m->cells);
    if (!m->slots || !m->cells) {
        lm_free(m);
        br_fail(r, "out of memory");
        return -1;
    }
    memcpy(m->slots, sp, nslots * sizeof *m->slots);
    memcpy(m->cells, cp, (size_t)m->ncells * sizeof *m->cells);
    /* Validate every offset and class so scoring can trust them. */
    for (size_t i = 0; i < nslots; i++) {
        uint32_t off = m->slots[i].off;
        if (!off)
            continue;
        if (off >= m->ncells || m->cells[off] > m->nclass ||
            m->cells[off] >= m->ncells - off) {
            lm_free(m);
            br_fail(r, "corrupt weight table (slot %zu)", i);
            return -1;
        }
        for (uint32_t j = 1; j <= m->cells[off]; j++)
            if ((m->cells[off + j] >> 16) >= m->nclass) {
                lm_free(m);
                br_fail(r, "corrupt weight table (class out of range)");
                return -1;
            }
    }
    return 0;
}

#define HEADER_SIZE 20

int model_file_begin(bin_writer *w, const char *path, const char kind[4], uint32_t version,
                     char *err, size_t errlen)
{
    w->err = 0;
    w->f = fopen(path, "wb");
    if (!w->f) {
        snprintf(err, errlen, "%s: %s", path, strerror(errno));
        return -1;
    }
    bw_bytes(w, "DYAD", 4);
    bw_bytes(w, kind, 4);
    bw_u32(w, version);
    bw_u32(w, 0x01020304);
    bw_u32(w, 0); /* payload size, patched by model_file_finish */
    return 0;
}

int model_file_finish(bin_writer *w, const char *path, char *err, size_t errlen)
{
    long end = w->err ? -1 : ftell(w->f);
    if (end >= HEADER_SIZE && end - HEADER_SIZE <= (long)UINT32_MAX &&
        fseek(w->f, 16, SEEK_SET) == 0)
        bw_u32(w, (uint32_t)(end - HEADER_SIZE));
    else if (!w->err)
        w->err = EIO;
    if (fclose(w->f) != 0 && !w->err)
        w->err = errno ? errno : EIO;
    w->f = NULL;
    if (w->err) {
        snprintf(err, errlen, "%s: write failed: %s", path, strerror(w->err));
        return -1;
    }
    return 0;
}

#define MODEL_MAX_BYTES ((size_t)256 << 20)

int model_file_load(const char *path, const char kind[4], uint32_t version, unsigned char **buf,
                    bin_reader *r, char *err, size_t errlen)
{
    *buf = NULL;
    FILE *f = fopen(path, "rb");
    if (!f) {
        snprintf(err, errlen, "%s: %s", path, strerror(errno));
        return -1;
    }
    unsigned char h[HEADER_SIZE];
    size_t got = fread(h, 1, sizeof h, f);
    if (got < 8 || memcmp(h, "DYAD", 4) != 0 || memcmp(h + 4, kind, 4) != 0) {
        snprintf(err, errlen, "%s: not a dyad %.4s model (bad magic)", path, kind);
        fclose(f);
        return -1;
    }
    if (got < sizeof h) {
        snprintf(err, errlen, "%s: truncated model file (header)", path);
        fclose(f);
        return -1;
    }
    uint32_t v = (uint32_t)h[8] | (uint32_t)h[9] << 8 | (uint32_t)h[10] << 16 |
                 (uint32_t)h[11] << 24;
    uint32_t bom, size;
    memcpy(&bom, h + 12, 4);
    uint32_t le = (uint32_t)h[16] | (uint32_t)h[17] << 8 | (uint32_t)h[18] << 16 |
                  (uint32_t)h[19] << 24;
    size = le;
    if (v != version) {
        snprintf(err, errlen, "%s: model format version %u, this dyad reads version %u "
                 "(retrain with tools/train-models.sh)", path, v, version);
        fclose(f);
        return -1;
    }
    if (bom != 0x01020304) {
        snprintf(err, errlen, "%s: model byte order does not match this machine", path);
        fclose(f);
        return -1;
    }
    if (size > MODEL_MAX_BYTES) {
        snprintf(err, errlen, "%s: model payload of %u bytes exceeds the limit", path, size);
        fclose(f);
        return -1;
    }
    unsigned char *b = malloc(size ? size : 1);
    if (!b) {
        snprintf(err, errlen, "%s: out of memory", path);
        fclose(f);
        return -1;
    }
    got = fread(b, 1, size, f);
    int extra = fgetc(f) != EOF;
    fclose(f);
    if (got != size) {
        snprintf(err, errlen, "%s: truncated model file (%zu of %u payload bytes)", path, got,
                 size);
        free(b);
        return -1;
    }
    if (extra) {
        snprintf(err, errlen, "%s: trailing bytes after the model payload", path);
        free(b);
        return -1;
    }
    *buf = b;
    r->p = b;
    r->end = b + size;
    r->name = path;
    r->err = err;
    r->errlen = errlen;
    r->failed = 0;
    return 0;
}
