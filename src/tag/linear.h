/*
 * linear.h - the multi-class linear model shared by the tagger and the parser.
 *
 * Both the tagger and the parser are greedy classifiers over sparse binary
 * features: a feature is a 64-bit hash of (template id, atoms), and the score
 * of a class is the sum of that class's weights over the active features.
 *
 * Two representations, because training and tagging want different things:
 *
 *   lm_train  dense rows (one int32 weight per class) in a hash map keyed by
 *             the feature hash, plus the running sums for averaging
 *             (Daume's trick: avg = w - u/c with u += c*delta, all integers,
 *             so averaging is exact).  Fast updates, big (~12 bytes/cell).
 *
 *   lm        the shipped form: averaged weights quantized to int16 with one
 *             global scale, zero cells dropped; short rows stored sparsely
 *             as (class, weight) cells inside the buckets of a cache-line
 *             hash table (one miss per lookup), frequent dense rows as int16
 *             vectors added with SIMD (layout below).  Callers batch all of
 *             a decision's features so lm_scores() can prefetch every bucket
 *             first and overlap the cache misses; with AVX2 a bucket is
 *             searched by comparing its 16 words with the fingerprint at
 *             once instead of walking its entries (a walk is a chain of
 *             unpredictable branches, and was a third of the lookup time).
 *
 * Pruning happens at export: features seen fewer than min_count times and
 * cells whose quantized weight falls below a threshold are dropped.  This is
 * what keeps the model files under 20 MB at a negligible accuracy cost.
 */
#ifndef DYAD_LINEAR_H
#define DYAD_LINEAR_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/* ---- hashing -------------------------------------------------------------- */

static inline uint64_t lm_mix(uint64_t x)
{
    /* splitmix64 finalizer: cheap and well distributed */
    x ^= x >> 30;
    x *= 0xbf58476d1ce4e5b9ULL;
    x ^= x >> 27;
    x *= 0x94d049bb133111ebULL;
    x ^= x >> 31;
    return x;
}

static inline uint64_t lm_hash_bytes(const char *s, size_t n)
{
    uint64_t h = 0xcbf29ce484222325ULL; /* FNV-1a, then mixed */
    for (size_t i = 0; i < n; i++) {
        h ^= (unsigned char)s[i];
        h *= 0x100000001b3ULL;
    }
    return lm_mix(h ^ n);
}

/* Key of template t over up to three atoms (use 0 for unused atoms). */
static inline uint64_t lm_key(unsigned t, uint64_t a, uint64_t b, uint64_t c)
{
    /* atoms are either small ids or already-mixed hashes: one multiply per
     * atom to spread the small ids, rotations so equal atoms in different
     * positions do not cancel, and one final mix */
    uint64_t h = ((uint64_t)t * 0xd6e8feb86659fd93ULL) ^ (a * 0x9e3779b97f4a7c15ULL);
    h ^= ((b * 0xc2b2ae3d27d4eb4fULL) << 21) | ((b * 0xc2b2ae3d27d4eb4fULL) >> 43);
    h ^= ((c * 0x165667b19e3779f9ULL) << 42) | ((c * 0x165667b19e3779f9ULL) >> 22);
    h = lm_mix(h);
    return h ? h : 1; /* 0 marks an empty slot */
}

/* ---- training ------------------------------------------------------------- */

typedef struct lm_train {
    unsigned nclass;
    size_t cap, n;      /* hash map of feature keys -> row */
    uint64_t *keys;
    uint32_t *rowof;
    size_t rowcap;
    int32_t *w;         /* n * nclass current weights */
    int64_t *u;         /* n * nclass sums of c * delta */
    uint32_t *count;    /* per row: how often the feature was seen (pruning) */
    int64_t c;          /* training instances so far (for averaging) */
} lm_train;

int lm_train_init(lm_train *m, unsigned nclass);
void lm_train_free(lm_train *m);
/* Row of key, or -1. */
int32_t lm_train_find(const lm_train *m, uint64_t key);
/* Row of key, inserting a zero row; -1 when out of memory. */
int32_t lm_train_add(lm_train *m, uint64_t key);
/* scores[0..nclass) = sum of the rows (rows < 0 are skipped). */
void lm_train_scores(const lm_train *m, const int32_t *rows, size_t n, int32_t *scores);
/* Perceptron update: +1 for class good, -1 for class bad on every row. */
void lm_train_update(lm_train *m, const int32_t *rows, size_t n, unsigned good, unsigned bad);

/* ---- shipped model -------------------------------------------------------- */

/* The shipped table is a hash table of 64-byte buckets (one cache line) that
 * hold the short rows themselves, so looking a rare feature up costs one
 * cache miss instead of two (slot, then row).  Bucket layout, in 32-bit
 * words:
 *
 *   word 0      header: bit 31 = overflow (an entry whose home is this bucket
 *               or an earlier one went on to the next bucket; lookups
 *               continue there), bits 0-4 = payload words in use (<= 15)
 *   words 1-15  entries, back to back: a head word (24-bit fingerprint << 8
 *               | n) followed by n cells (n <= LM_INLINE), or, for longer
 *               rows, n = LM_LONG and one word: the row's offset in big[]
 *               (big[off] = n, then n cells), or n = LM_DENSE and one word:
 *               the index of a dense row.
 *
 * A cell is class << 16 | (uint16_t)weight.  Rows with a weight for at
 * least a quarter of the classes (the frequent features: bias, tags, tag
 * pairs) are stored dense, as int16[stride], and added with SIMD: in the
 * parser they are half the features of a decision and 85% of its cells, and
 * adding them one cell at a time was most of the parse time.  The home
 * bucket of a key is its low 32 bits scaled to the bucket count (any count,
 * not only powers of two), the fingerprint its top 24 bits. */
#define LM_BUCKET 16
#define LM_INLINE 6
#define LM_LONG 0xFF
#define LM_DENSE 0xFE

typedef struct lm {
    unsigned nclass;
    uint32_t nbucket;  /* buckets */
    uint32_t *tab;     /* nbucket * LM_BUCKET words */
    uint32_t *big;     /* long sparse rows */
    uint32_t nbig;     /* words in big */
    int16_t *dense;    /* ndense rows of stride weights */
    uint32_t ndense;
    uint32_t stride;   /* nclass rounded up to a multiple of 16 */
    int simd;          /* 1: the CPU has AVX2 (decided at load) */
    float scale;       /* quantized = round(avg * scale) */
    int min_q;         /* export: smallest |weight| kept (not stored) */
} lm;

/* Averages, quantizes and prunes a trained model: features seen fewer than
 * min_count times go, then the smallest weights until the tables fit in
 * max_bytes.  Returns 0 or -1 (memory). */
int lm_export(const lm_train *t, lm *out, uint32_t min_count, size_t max_bytes);
void lm_free(lm *m);
/* scores[0..nclass) = sum over the features found.  At most 256 features. */
void lm_scores(const lm *m, const uint64_t *keys, size_t n, int32_t *scores);
/* acc[0..stride) += the rows of the n keys (at most 256), so a decision's
 * features can be scored in parts (the tagger scores the ones that do not
 * depend on its previous decisions ahead of time).  Sums are exact integers,
 * so any split gives the scores lm_scores() gives. */
void lm_scores_add(const lm *m, const uint64_t *keys, size_t n, int32_t *acc);
/* Index of the highest of acc[0..nclass), the lowest one on ties (what a
 * scan keeping the first maximum gives). */
uint32_t lm_argmax(const lm *m, const int32_t *acc);
/* Starts loading the home buckets of n keys into the cache (no effect on
 * results): issued some time before the lm_scores_add() of the same keys,
 * the cache misses overlap with other work. */
void lm_prefetch(const lm *m, const uint64_t *keys, size_t n);
/* Number of features kept. */
size_t lm_nfeatures(const lm *m);

/* ---- binary I/O ----------------------------------------------------------- */

/* Little-endian writer; the first error sticks in w->err. */
typedef struct bin_writer {
    FILE *f;
    int err;
} bin_writer;

void bw_u32(bin_writer *w, uint32_t v);
void bw_f32(bin_writer *w, float v);
void bw_bytes(bin_writer *w, const void *p, size_t n);
void bw_str(bin_writer *w, const char *s);
void lm_write(bin_writer *w, const lm *m);

/* Reader over a file loaded into memory; errors are reported with the name. */
typedef struct bin_reader {
    const unsigned char *p, *end;
    const char *name;
    char *err;
    size_t errlen;
    int failed;
} bin_reader;

uint32_t br_u32(bin_reader *r);
float br_f32(bin_reader *r);
/* Pointer into the buffer to n bytes, or NULL (error set) when truncated. */
const void *br_bytes(bin_reader *r, size_t n);
/* A string written by bw_str, NUL-terminated copy into buf of bufsize. */
int br_str(bin_reader *r, char *buf, size_t bufsize);
int lm_read(bin_reader *r, lm *m);
void br_fail(bin_reader *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Model files: "DYAD" + 4-byte kind, uint32 version, uint32 byte-order mark,
 * uint32 payload size.  Loads the whole file; on success *buf and *len hold the
 * payload (free(*buf)) and the reader is positioned on it.  Wrong magic,
 * version or size give a clear error. */
int model_file_load(const char *path, const char kind[4], uint32_t version, unsigned char **buf,
                    bin_reader *r, char *err, size_t errlen);
/* Writes the header; finish with model_file_finish() which patches the size. */
int model_file_begin(bin_writer *w, const char *path, const char kind[4], uint32_t version,
                     char *err, size_t errlen);
int model_file_finish(bin_writer *w, const char *path, char *err, size_t errlen);

#endif
