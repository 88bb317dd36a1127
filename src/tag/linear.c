/*
 * linear.c - averaged perceptron weights: training map, export, compact
 * scoring and the model-file container (design in linear.h).
 */
#define _DEFAULT_SOURCE /* madvise(MADV_HUGEPAGE) */
#include "tag/linear.h"

#include <sys/mman.h>

#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#define LM_X86 1
#include <immintrin.h>
#else
#define LM_X86 0
#endif

/* Whether the dense rows can be added with AVX2 (checked once per model,
 * at load or export, so scoring never races on a global). */
static int lm_cpu_simd(void)
{
#if LM_X86
    __builtin_cpu_init();
    return __builtin_cpu_supports("avx2") ? 1 : 0;
#else
    return 0;
#endif
}

/* Home bucket of a key: its low 32 bits scaled to [0, nbucket). */
static inline size_t lm_home(uint64_t key, uint32_t nbucket)
{
    return (size_t)(((key & 0xffffffffULL) * nbucket) >> 32);
}

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
    /* the budget counts 8-byte slots plus the rows, as the table layout
     * before the buckets did: the same weights are kept, and the bucket
     * layout (which stores rows inline) comes out smaller than this */
    return cap * 8 + ncells * sizeof(uint32_t);
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
    if (ncells >= UINT32_MAX / 4 || nrows >= UINT32_MAX / 4)
        return -1;
    /* the kept rows, flat: cells[off] = n, then n cells; keys[r] */
    uint32_t *cells = malloc(ncells * sizeof *cells);
    uint64_t *keys = malloc((nrows + 1) * sizeof *keys);
    uint32_t *offs = malloc((nrows + 1) * sizeof *offs);
    if (!cells || !keys || !offs) {
        free(cells);
        free(keys);
        free(offs);
        return -1;
    }
    uint32_t off = 1;
    size_t nr = 0, words = 0, nbig = 1, ndense = 0;
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
                cells[start + 1 + k] = (uint32_t)c << 16 | (uint16_t)(int16_t)q;
                k++;
            }
        }
        if (!k)
            continue;
        cells[start] = k;
        off = start + 1 + k;
        keys[nr] = t->keys[j];
        offs[nr++] = start;
        words += k <= LM_INLINE ? 1 + k : 2;
        if (k > LM_INLINE && k * 4 >= nc)
            ndense++;
        else if (k > LM_INLINE)
            nbig += 1 + k;
    }
    /* buckets half full on average: then ~7% of lookups read a second
     * bucket, against ~60% at three quarters full */
    size_t nb = words * 2 / (LM_BUCKET - 1) + 16;
    out->stride = (uint32_t)((nc + 15) / 16 * 16);
    int rc = -1;
    for (;; nb *= 2) {
        if (nb > ((size_t)1 << 26) || ndense >= ((size_t)1 << 26))
            break;
        out->nbucket = (uint32_t)nb;
        out->tab = alloc_big(nb * LM_BUCKET * sizeof *out->tab);
        out->big = alloc_big(nbig * sizeof *out->big);
        out->dense = alloc_big((ndense ? ndense : 1) * out->stride * sizeof *out->dense);
        if (!out->tab || !out->big || !out->dense)
            break;
        memset(out->tab, 0, nb * LM_BUCKET * sizeof *out->tab);
        memset(out->dense, 0, (ndense ? ndense : 1) * out->stride * sizeof *out->dense);
        out->big[0] = 0;
        out->nbig = 1;
        out->ndense = 0;
        size_t r;
        for (r = 0; r < nr; r++) {
            const uint32_t *row = cells + offs[r];
            uint32_t n = row[0], need = n <= LM_INLINE ? 1 + n : 2;
            size_t b = lm_home(keys[r], out->nbucket), tries = 0;
            while ((out->tab[b * LM_BUCKET] & 31) + need > LM_BUCKET - 1 && tries++ < nb) {
                out->tab[b * LM_BUCKET] |= 1u << 31;
                b = b + 1 < nb ? b + 1 : 0;
            }
            if (tries >= nb)
                break;
            uint32_t *B = out->tab + b * LM_BUCKET;
            uint32_t *e = B + 1 + (B[0] & 31);
            uint32_t fp = (uint32_t)(keys[r] >> 40);
            if (n <= LM_INLINE) {
                e[0] = fp << 8 | n;
                memcpy(e + 1, row + 1, n * sizeof *e);
            } else if (n * 4 >= nc) {
                e[0] = fp << 8 | LM_DENSE;
                e[1] = out->ndense;
                int16_t *d = out->dense + (size_t)out->ndense++ * out->stride;
                for (uint32_t j = 1; j <= n; j++)
                    d[row[j] >> 16] = (int16_t)(uint16_t)(row[j] & 0xffff);
            } else {
                e[0] = fp << 8 | LM_LONG;
                e[1] = out->nbig;
                memcpy(out->big + out->nbig, row, (n + 1) * sizeof *row);
                out->nbig += n + 1;
            }
            B[0] += need;
        }
        if (r == nr) {
            rc = 0;
            break;
        }
        free(out->tab); /* a run of full buckets: try twice the buckets */
        free(out->big);
        free(out->dense);
        out->tab = out->big = NULL;
        out->dense = NULL;
    }
    free(cells);
    free(keys);
    free(offs);
    if (rc)
        lm_free(out);
    else
        out->simd = lm_cpu_simd();
    return rc;
}

void lm_free(lm *m)
{
    free(m->tab);
    free(m->big);
    free(m->dense);
    memset(m, 0, sizeof *m);
}

size_t lm_nfeatures(const lm *m)
{
    size_t n = 0;
    for (size_t b = 0; m->tab && b < m->nbucket; b++) {
        const uint32_t *B = m->tab + b * LM_BUCKET;
        for (uint32_t i = 1; i <= (B[0] & 31); n++) {
            uint32_t c = B[i] & 0xff;
            i += 1 + (c == LM_LONG || c == LM_DENSE ? 1 : c);
        }
    }
    return n;
}

static inline void add_row(int32_t *scores, const uint32_t *c, uint32_t n)
{
    for (uint32_t j = 0; j < n; j++)
        scores[c[j] >> 16] += (int16_t)(uint16_t)(c[j] & 0xffff);
}

/* acc[0..stride) += every dense row: class blocks outside, rows inside, so
 * the accumulators stay in registers. */
#if LM_X86
__attribute__((target("avx2"))) static void add_dense_avx2(int32_t *acc, const int16_t *const *rows,
                                                           size_t nr, uint32_t stride)
{
    for (uint32_t c = 0; c < stride; c += 16) {
        __m256i a0 = _mm256_loadu_si256((const __m256i *)(const void *)(acc + c));
        __m256i a1 = _mm256_loadu_si256((const __m256i *)(const void *)(acc + c + 8));
        for (size_t r = 0; r < nr; r++) {
            __m256i v = _mm256_loadu_si256((const __m256i *)(const void *)(rows[r] + c));
            a0 = _mm256_add_epi32(a0, _mm256_cvtepi16_epi32(_mm256_castsi256_si128(v)));
            a1 = _mm256_add_epi32(a1, _mm256_cvtepi16_epi32(_mm256_extracti128_si256(v, 1)));
        }
        _mm256_storeu_si256((__m256i *)(void *)(acc + c), a0);
        _mm256_storeu_si256((__m256i *)(void *)(acc + c + 8), a1);
    }
}
#endif

static void add_dense(int simd, int32_t *acc, const int16_t *const *rows, size_t nr,
                      uint32_t stride)
{
#if LM_X86
    if (simd) {
        add_dense_avx2(acc, rows, nr, stride);
        return;
    }
#endif
    (void)simd;
    for (size_t r = 0; r < nr; r++)
        for (uint32_t c = 0; c < stride; c++)
            acc[c] += rows[r][c];
}

/* The entry of key (fingerprint fp, home bucket b) or NULL, by scanning
 * the entries of each bucket of its chain in order. */
static inline const uint32_t *find_scan(const lm *m, size_t b, uint32_t fp)
{
    for (;;) {
        const uint32_t *B = m->tab + b * LM_BUCKET;
        const uint32_t *e = B + 1, *end = e + (B[0] & 31);
        while (e < end) {
            uint32_t h = *e, c = h & 0xff;
            if ((h >> 8) == fp)
                return e;
            e += 1 + (c == LM_LONG || c == LM_DENSE ? 1 : c);
        }
        if (!(B[0] >> 31))
            return NULL;
        b = b + 1 < m->nbucket ? b + 1 : 0;
    }
}

/* Fingerprints from which find_simd() may be used: no word of a bucket
 * other than an entry's head can have fp in its top 24 bits.  Cells are
 * class << 16 | weight with class < nclass <= 255 (word >> 8 < 2^16), and
 * the offset words of long and dense entries are below nbig or ndense
 * (lm_read() checks all three). */
static inline uint32_t simd_fp_min(const lm *m)
{
    uint32_t off = m->nbig > m->ndense ? m->nbig : m->ndense;
    uint32_t min = (off >> 8) + 1;
    return min > (1u << 16) ? min : 1u << 16;
}

#if LM_X86
/* find_scan() without walking the entries: all 16 words of a bucket are
 * compared with fp at once.  Only a head can match (fp >= simd_fp_min()),
 * and the lowest matching word is the first matching entry, so the result
 * is find_scan()'s.  Replaces a loop of unpredictable branches per bucket
 * with one compare. */
__attribute__((target("avx2"))) static inline const uint32_t *find_simd(const lm *m, size_t b,
                                                                        uint32_t fp)
{
    const __m256i want = _mm256_set1_epi32((int)fp);
    for (;;) {
        const uint32_t *B = m->tab + b * LM_BUCKET;
        __m256i lo = _mm256_loadu_si256((const __m256i *)(const void *)B);
        __m256i hi = _mm256_loadu_si256((const __m256i *)(const void *)(B + 8));
        lo = _mm256_cmpeq_epi32(_mm256_srli_epi32(lo, 8), want);
        hi = _mm256_cmpeq_epi32(_mm256_srli_epi32(hi, 8), want);
        uint32_t hits = (uint32_t)_mm256_movemask_ps(_mm256_castsi256_ps(lo)) |
                        (uint32_t)_mm256_movemask_ps(_mm256_castsi256_ps(hi)) << 8;
        hits &= (2u << (B[0] & 31)) - 2; /* words 1 .. used */
        if (hits)
            return B + __builtin_ctz(hits);
        if (!(B[0] >> 31))
            return NULL;
        b = b + 1 < m->nbucket ? b + 1 : 0;
    }
}

__attribute__((target("avx2"))) static void accumulate_avx2(const lm *m, const uint64_t *keys,
                                                            size_t n, const size_t *home,
                                                            int32_t *acc)
{
    uint32_t longs[256];
    const int16_t *dense[256];
    size_t nl = 0, nd = 0;
    uint32_t fp_min = simd_fp_min(m);
    for (size_t k = 0; k < n; k++) {
        uint32_t fp = (uint32_t)(keys[k] >> 40);
        const uint32_t *e = fp >= fp_min ? find_simd(m, home[k], fp) : find_scan(m, home[k], fp);
        if (!e)
            continue;
        uint32_t c = e[0] & 0xff;
        if (c == LM_DENSE) {
            dense[nd++] = m->dense + (size_t)e[1] * m->stride;
        } else if (c == LM_LONG) {
            longs[nl++] = e[1];
            __builtin_prefetch(&m->big[e[1]]);
        } else {
            add_row(acc, e + 1, c);
        }
    }
    for (size_t k = 0; k < nl; k++)
        add_row(acc, m->big + longs[k] + 1, m->big[longs[k]]);
    add_dense_avx2(acc, dense, nd, m->stride);
}
#endif

/* acc[0..stride) += the rows of the n <= 256 keys.  First every home bucket
 * is touched so the cache misses overlap, then each key's entry is found:
 * short rows are added on the spot, long rows (prefetched when found) and
 * dense rows (added with SIMD) once every key has been looked up. */
static inline void lm_accumulate(const lm *m, const uint64_t *keys, size_t n, int32_t *acc)
{
    size_t home[256];
    for (size_t k = 0; k < n; k++) {
        home[k] = lm_home(keys[k], m->nbucket);
        __builtin_prefetch(&m->tab[home[k] * LM_BUCKET]);
    }
#if LM_X86
    if (m->simd) {
        accumulate_avx2(m, keys, n, home, acc);
        return;
    }
#endif
    uint32_t longs[256];
    const int16_t *dense[256];
    size_t nl = 0, nd = 0;
    for (size_t k = 0; k < n; k++) {
        const uint32_t *e = find_scan(m, home[k], (uint32_t)(keys[k] >> 40));
        if (!e)
            continue;
        uint32_t c = e[0] & 0xff;
        if (c == LM_DENSE) {
            dense[nd++] = m->dense + (size_t)e[1] * m->stride;
        } else if (c == LM_LONG) {
            longs[nl++] = e[1];
            __builtin_prefetch(&m->big[e[1]]);
        } else {
            add_row(acc, e + 1, c);
        }
    }
    for (size_t k = 0; k < nl; k++)
        add_row(acc, m->big + longs[k] + 1, m->big[longs[k]]);
    add_dense(0, acc, dense, nd, m->stride);
}

void lm_scores(const lm *m, const uint64_t *keys, size_t n, int32_t *scores)
{
    _Alignas(32) int32_t acc[256 + 16];
    memset(acc, 0, m->stride * sizeof *acc);
    lm_accumulate(m, keys, n > 256 ? 256 : n, acc);
    memcpy(scores, acc, m->nclass * sizeof *scores);
}

void lm_scores_add(const lm *m, const uint64_t *keys, size_t n, int32_t *acc)
{
    lm_accumulate(m, keys, n > 256 ? 256 : n, acc);
}

#if LM_X86
__attribute__((target("avx2"))) static uint32_t argmax_avx2(const int32_t *acc, uint32_t n)
{
    uint32_t full = n & ~7u, c;
    __m256i top = _mm256_set1_epi32(INT32_MIN);
    for (c = 0; c < full; c += 8)
        top = _mm256_max_epi32(top, _mm256_loadu_si256((const __m256i *)(const void *)(acc + c)));
    /* every lane to the maximum of all eight, then the classes after the
     * last full block of eight */
    top = _mm256_max_epi32(top, _mm256_permute2x128_si256(top, top, 1));
    top = _mm256_max_epi32(top, _mm256_shuffle_epi32(top, 0x4e));
    top = _mm256_max_epi32(top, _mm256_shuffle_epi32(top, 0xb1));
    int32_t best = _mm256_cvtsi256_si32(top);
    for (c = full; c < n; c++)
        best = acc[c] > best ? acc[c] : best;
    top = _mm256_set1_epi32(best);
    for (c = 0; c < full; c += 8) {
        __m256i v = _mm256_loadu_si256((const __m256i *)(const void *)(acc + c));
        __m256i same = _mm256_cmpeq_epi32(v, top);
        uint32_t hit = (uint32_t)_mm256_movemask_ps(_mm256_castsi256_ps(same));
        if (hit)
            return c + (uint32_t)__builtin_ctz(hit);
    }
    while (acc[c] != best)
        c++;
    return c;
}
#endif

uint32_t lm_argmax(const lm *m, const int32_t *acc)
{
#if LM_X86
    if (m->simd)
        return argmax_avx2(acc, m->nclass);
#endif
    uint32_t best = 0;
    for (uint32_t c = 1; c < m->nclass; c++)
        if (acc[c] > acc[best])
            best = c;
    return best;
}

void lm_prefetch(const lm *m, const uint64_t *keys, size_t n)
{
    for (size_t k = 0; k < n; k++)
        __builtin_prefetch(&m->tab[lm_home(keys[k], m->nbucket) * LM_BUCKET]);
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
    bw_u32(w, m->nbucket);
    bw_u32(w, m->nbig);
    bw_u32(w, m->ndense);
    bw_u32(w, m->stride);
    bw_f32(w, m->scale);
    bw_bytes(w, m->tab, (size_t)m->nbucket * LM_BUCKET * sizeof *m->tab);
    bw_bytes(w, m->big, (size_t)m->nbig * sizeof *m->big);
    bw_bytes(w, m->dense, (size_t)m->ndense * m->stride * sizeof *m->dense);
}

/* A row of n cells at c: every class in range. */
static int row_ok(const lm *m, const uint32_t *c, uint32_t n)
{
    for (uint32_t j = 0; j < n; j++)
        if ((c[j] >> 16) >= m->nclass)
            return 0;
    return 1;
}

int lm_read(bin_reader *r, lm *m)
{
    memset(m, 0, sizeof *m);
    m->nclass = br_u32(r);
    m->nbucket = br_u32(r);
    m->nbig = br_u32(r);
    m->ndense = br_u32(r);
    m->stride = br_u32(r);
    m->scale = br_f32(r);
    if (r->failed)
        return -1;
    if (m->nclass == 0 || m->nclass > 255 || m->nbucket == 0 || m->nbucket > (1u << 26) ||
        m->nbig == 0 || m->nbig > (1u << 28) || m->ndense > (1u << 26) ||
        m->stride != (m->nclass + 15) / 16 * 16) {
        br_fail(r, "corrupt weight table header");
        return -1;
    }
    size_t nwords = (size_t)m->nbucket * LM_BUCKET, nd = (size_t)m->ndense * m->stride;
    const void *tp = br_bytes(r, nwords * sizeof *m->tab);
    const void *bp = tp ? br_bytes(r, (size_t)m->nbig * sizeof *m->big) : NULL;
    const void *dp = bp ? br_bytes(r, nd * sizeof *m->dense) : NULL;
    if (!tp || !bp || !dp)
        return -1;
    m->tab = alloc_big(nwords * sizeof *m->tab);
    m->big = alloc_big((size_t)m->nbig * sizeof *m->big);
    m->dense = alloc_big((nd ? nd : 1) * sizeof *m->dense);
    if (!m->tab || !m->big || !m->dense) {
        lm_free(m);
        br_fail(r, "out of memory");
        return -1;
    }
    memcpy(m->tab, tp, nwords * sizeof *m->tab);
    memcpy(m->big, bp, (size_t)m->nbig * sizeof *m->big);
    memcpy(m->dense, dp, nd * sizeof *m->dense);
    /* Validate every entry, offset and class so scoring can trust them, and
     * that some bucket ends the overflow chains (else lookups never stop).
     * Weights of dense rows beyond nclass are never read.  The long rows are
     * checked in one pass over big[], in order (lm_export writes them back to
     * back from word 1), and a long entry must point at the start of one:
     * following each entry's offset instead read big[] at random, a cache
     * miss per entry and most of the time of loading the parser. */
    uint64_t *row_start = calloc(((size_t)m->nbig + 63) / 64, sizeof *row_start);
    if (!row_start) {
        lm_free(m);
        br_fail(r, "out of memory");
        return -1;
    }
    for (uint32_t off = 1; off < m->nbig;) {
        uint32_t n = m->big[off];
        if (n > m->nclass || n >= m->nbig - off || !row_ok(m, m->big + off + 1, n)) {
            free(row_start);
            lm_free(m);
            br_fail(r, "corrupt weight table (long row at word %u)", off);
            return -1;
        }
        row_start[off / 64] |= (uint64_t)1 << (off % 64);
        off += 1 + n;
    }
    int open = 0;
    for (size_t b = 0; b < m->nbucket; b++) {
        const uint32_t *B = m->tab + b * LM_BUCKET;
        uint32_t used = B[0] & 31;
        open |= !(B[0] >> 31);
        int ok = used <= LM_BUCKET - 1 && !(B[0] & 0x7fffffe0u);
        for (uint32_t i = 1; ok && i <= used;) {
            uint32_t c = B[i] & 0xff;
            if (c == LM_LONG || c == LM_DENSE) {
                uint32_t off = i + 1 <= used ? B[i + 1] : 0;
                if (c == LM_DENSE)
                    ok = i + 1 <= used && off < m->ndense;
                else
                    ok = i + 1 <= used && off > 0 && off < m->nbig &&
                         (row_start[off / 64] >> (off % 64) & 1);
                i += 2;
            } else {
                ok = c > 0 && c <= LM_INLINE && i + c <= used && row_ok(m, B + i + 1, c);
                i += 1 + c;
            }
        }
        if (!ok) {
            free(row_start);
            lm_free(m);
            br_fail(r, "corrupt weight table (bucket %zu)", b);
            return -1;
        }
    }
    free(row_start);
    if (!open) {
        lm_free(m);
        br_fail(r, "corrupt weight table (no bucket ends a chain)");
        return -1;
    }
    m->simd = lm_cpu_simd();
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
    /* 2 MiB pages where the kernel allows (alloc_big): the buffer is filled
     * once and freed right after, and its 4 KiB page faults were a third of
     * the time of loading the models */
    unsigned char *b = alloc_big(size ? size : 1);
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
