/*
 * cache.c - compiled dictionaries, written once and memory-mapped (cache.h).
 *
 * File layout (machine byte order, every section 8-byte aligned):
 *
 *     header      magic "DYADDICT", format version, byte-order mark, the
 *                 dictionary format, file size, the key and content hash of
 *                 the sources, the build id, a checksum of everything after
 *                 the header, and a table of sections (offset, count)
 *     POOL        NUL-terminated strings: words, codes, exact forms, pattern
 *                 texts, rules ("file:line"), the source path; deduplicated
 *     WORD_STR    per word id: offset of its string in POOL
 *     WORD_LEN    per word id: its length        (used in place)
 *     WORD_SLOTS  the intern hash table          (used in place)
 *     ENTRIES     per entry: kind, element/code/form ranges, text, rule, codes
 *     ELEMS       pattern elements as pat_elem   (used in place)
 *     CODES       actor codes: string offset and date range
 *     FORMS       exact-case forms of quoted phrases: string offsets
 *     six CSR arrays (word, verb and form indexes)     (used in place)
 *
 * Trade-offs
 *  - Arrays of plain integers are used where they lie in the mapping; the
 *    few structures that hold pointers (dict_entry, dict_code, the word
 *    table's string pointers) are rebuilt at open.  That costs a pass over
 *    the entries, which the checks need anyway, and it keeps the coder's
 *    data structures exactly as they are for a dictionary loaded from text:
 *    there is one coder, not a "mapped" variant of it.
 *  - The checksum over the whole file costs about a millisecond per 4 MB;
 *    it turns a flipped or truncated file into a clear error rather than
 *    wrong codes.  The offset checks stay regardless: a checksum is no
 *    defence against a crafted file.
 *  - The build id (the linker's NT_GNU_BUILD_ID of the object this code is
 *    linked into) is part of the automatic cache's key, because the cache
 *    holds the loader's output: a new dyad with a different inflector must
 *    not reuse an old dyad's verb forms.  Without a build id the version
 *    string stands in.
 */
#define _GNU_SOURCE /* dl_iterate_phdr */

#include "dict/cache.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <link.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#define CACHE_MAGIC "DYADDICT"
#define CACHE_VERSION 1u
#define CACHE_BYTE_ORDER 0x01020304u
#define CACHE_MAX_FILE ((size_t)1 << 30)
#define NO_FORMS UINT32_MAX

enum {
    SEC_POOL,
    SEC_WORD_STR,
    SEC_WORD_LEN,
    SEC_WORD_SLOTS,
    SEC_ENTRIES,
    SEC_ELEMS,
    SEC_CODES,
    SEC_FORMS,
    SEC_WORD_OFF,
    SEC_WORD_LIST,
    SEC_VERB_OFF,
    SEC_VERB_LIST,
    SEC_FORM_OFF,
    SEC_FORM_LIST,
    NSEC
};

typedef struct cache_section {
    uint64_t off, count;
} cache_section;

typedef struct cache_header {
    char magic[8];
    uint32_t version, byte_order;
    uint32_t format, header_size;
    uint64_t file_size;
    uint64_t key;          /* content hash + format + version + build id */
    uint64_t source_hash;  /* content hash + format only */
    uint64_t build_id;
    uint64_t body_hash;    /* checksum(): the body, then this header without it */
    uint64_t skipped;      /* malformed legacy entries skipped at load */
    uint32_t source;       /* POOL offset of the source path */
    uint32_t nsections;
    cache_section sec[NSEC];
} cache_header;

typedef struct cache_entry {
    uint8_t kind, nelem, anchor, has_slots;
    uint32_t ncodes;
    uint32_t elem, codes, forms; /* first index in ELEMS, CODES, FORMS (NO_FORMS) */
    uint32_t text, rule;         /* POOL offsets */
    char code[8], rcode[8];
} cache_entry;

typedef struct cache_code {
    uint32_t code; /* POOL offset */
    int32_t from, to;
} cache_code;

/* ---------------------------------------------------------------------- */
/* hashing                                                                  */

/* A 64-bit hash eight bytes at a time: for spotting changed sources and
 * damaged files, not an adversary (the checks below handle those). */
static uint64_t mix64(uint64_t h)
{
    h ^= h >> 33;
    h *= 0xff51afd7ed558ccdULL;
    h ^= h >> 33;
    h *= 0xc4ceb9fe1a85ec53ULL;
    h ^= h >> 33;
    return h;
}

static uint64_t hash_bytes(const void *p, size_t n, uint64_t h)
{
    const unsigned char *s = p;
    h ^= (uint64_t)n * 0x9e3779b97f4a7c15ULL;
    while (n >= 8) {
        uint64_t w;
        memcpy(&w, s, 8);
        h = (h ^ (w * 0x87c37b91114253d5ULL)) * 0x4cf5ad432745937fULL;
        h = (h << 31) | (h >> 33);
        s += 8;
        n -= 8;
    }
    uint64_t w = 0;
    memcpy(&w, s, n);
    h = (h ^ (w * 0x87c37b91114253d5ULL)) * 0x4cf5ad432745937fULL;
    return mix64(h);
}

/* The checksum of a file: its body, then its header with the checksum field
 * zeroed, so that a damaged header is caught as surely as a damaged body. */
static uint64_t checksum(const cache_header *hdr, const void *body, size_t n)
{
    cache_header h;
    memcpy(&h, hdr, sizeof h);
    h.body_hash = 0;
    return hash_bytes(&h, sizeof h, hash_bytes(body, n, 0x636b73756dULL));
}

typedef struct build_id_search {
    const void *addr;
    uint64_t id;
    int found;
} build_id_search;

static int build_id_cb(struct dl_phdr_info *info, size_t size, void *data)
{
    build_id_search *s = data;
    uintptr_t a = (uintptr_t)s->addr;
    int mine = 0;
    for (int i = 0; i < info->dlpi_phnum && !mine; i++) {
        const ElfW(Phdr) *p = &info->dlpi_phdr[i];
        uintptr_t lo = info->dlpi_addr + p->p_vaddr;
        if (p->p_type == PT_LOAD && a >= lo && a - lo < p->p_memsz)
            mine = 1;
    }
    if (!mine)
        return 0;
    for (int i = 0; i < info->dlpi_phnum; i++) {
        const ElfW(Phdr) *p = &info->dlpi_phdr[i];
        if (p->p_type != PT_NOTE)
            continue;
        const unsigned char *n = (const unsigned char *)(info->dlpi_addr + p->p_vaddr);
        size_t left = p->p_memsz;
        while (left >= sizeof(ElfW(Nhdr))) {
            const ElfW(Nhdr) *nh = (const ElfW(Nhdr) *)n;
            size_t name = (nh->n_namesz + 3) & ~(size_t)3, desc = (nh->n_descsz + 3) & ~(size_t)3;
            size_t total = sizeof *nh + name + desc;
            if (total > left)
                break;
            if (nh->n_type == NT_GNU_BUILD_ID && nh->n_namesz == 4 &&
                memcmp(n + sizeof *nh, "GNU", 4) == 0) {
                s->id = hash_bytes(n + sizeof *nh + name, nh->n_descsz, 0);
                s->found = 1;
                return 1;
            }
            n += total;
            left -= total;
        }
    }
    return 1;
}

/* The build id of the object (program or libdyad.so) this function is in. */
static uint64_t build_id(void)
{
    build_id_search s = {(const void *)&build_id, 0, 0};
    dl_iterate_phdr(build_id_cb, &s);
    if (!s.found)
        s.id = hash_bytes(DYAD_VERSION, strlen(DYAD_VERSION), 0x62756964ULL);
    return s.id;
}

static uint64_t make_key(uint64_t source_hash, uint64_t bid)
{
    return mix64(source_hash ^ mix64(bid + CACHE_VERSION));
}

static int cmp_name(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static int has_suffix(const char *s, const char *suf)
{
    size_t n = strlen(s), m = strlen(suf);
    return n > m && strcmp(s + n - m, suf) == 0;
}

static int hash_file(const char *path, const char *name, uint64_t *h, char *err, size_t errlen)
{
    char *buf;
    size_t n;
    if (dict_read_file(path, &buf, &n, err, errlen))
        return -1;
    *h = hash_bytes(name, strlen(name), *h);
    *h = hash_bytes(buf, n, *h);
    free(buf);
    return 0;
}

/* Content hash of the sources: every file of the directory with the format's
 * suffix, in name order (name and bytes), or the one file. */
static int source_hash(const char *path, int format, uint64_t *out, char *err, size_t errlen)
{
    uint64_t h = 0x647961642d646963ULL + (uint64_t)format;
    DIR *dp = opendir(path);
    if (!dp) {
        if (errno != ENOTDIR) {
            snprintf(err, errlen, "%s: cannot open: %s", path, strerror(errno));
            return -1;
        }
        if (hash_file(path, "", &h, err, errlen))
            return -1;
        *out = h;
        return 0;
    }
    const char *suffix = format == DICT_FORMAT_PETRARCH ? ".txt" : ".dict";
    char **names = NULL;
    size_t n = 0, cap = 0;
    int rc = 0;
    struct dirent *de;
    while ((de = readdir(dp))) {
        if (de->d_name[0] == '.' || !has_suffix(de->d_name, suffix))
            continue;
        if (n == cap) {
            size_t nc = cap ? cap * 2 : 16;
            char **nn = nc <= 4096 ? realloc(names, nc * sizeof *nn) : NULL;
            if (!nn) {
                snprintf(err, errlen, "%s: too many files or out of memory", path);
                rc = -1;
                break;
            }
            names = nn;
            cap = nc;
        }
        if (!(names[n] = strdup(de->d_name))) {
            snprintf(err, errlen, "out of memory");
            rc = -1;
            break;
        }
        n++;
    }
    closedir(dp);
    if (rc == 0 && n)
        qsort(names, n, sizeof *names, cmp_name);
    for (size_t i = 0; i < n && rc == 0; i++) {
        char file[4096];
        if ((size_t)snprintf(file, sizeof file, "%s/%s", path, names[i]) >= sizeof file) {
            snprintf(err, errlen, "%s/%s: path too long", path, names[i]);
            rc = -1;
        } else {
            rc = hash_file(file, names[i], &h, err, errlen);
        }
    }
    for (size_t i = 0; i < n; i++)
        free(names[i]);
    free(names);
    if (rc == 0)
        *out = h;
    return rc;
}

/* The key and (hash_out, if not NULL) the content hash it was made from. */
static int source_key(const char *path, int format, uint64_t *key, uint64_t *hash_out, char *err,
                      size_t errlen)
{
    uint64_t h;
    if (source_hash(path, format, &h, err, errlen))
        return -1;
    *key = make_key(h, build_id());
    if (hash_out)
        *hash_out = h;
    return 0;
}

int dict_source_key(const char *path, int format, uint64_t *key, char *err, size_t errlen)
{
    return source_key(path, format, key, NULL, err, errlen);
}

/* ---------------------------------------------------------------------- */
/* writing                                                                  */

typedef struct bytes {
    unsigned char *p;
    size_t n, cap;
    int oom;
} bytes;

static void *bytes_add(bytes *b, const void *src, size_t n)
{
    if (b->oom)
        return NULL;
    if (b->n + n > b->cap) {
        size_t cap = b->cap ? b->cap : 4096;
        while (cap < b->n + n)
            cap *= 2;
        unsigned char *p = cap <= CACHE_MAX_FILE ? realloc(b->p, cap) : NULL;
        if (!p) {
            b->oom = 1;
            return NULL;
        }
        b->p = p;
        b->cap = cap;
    }
    void *at = b->p + b->n;
    if (src)
        memcpy(at, src, n);
    else
        memset(at, 0, n);
    b->n += n;
    return at;
}

/* The string pool, deduplicated through an intern table of pool offsets. */
typedef struct string_pool {
    bytes b;
    arena mem;
    intern seen;
    uint32_t *off; /* intern id -> offset */
    size_t capoff;
} string_pool;

static uint32_t pool_add(string_pool *p, const char *s)
{
    if (!s)
        s = "";
    size_t n = strlen(s);
    uint32_t id = intern_put(&p->seen, s, n);
    if (!id) {
        p->b.oom = 1;
        return 0;
    }
    if (id < p->capoff && p->off[id] != UINT32_MAX)
        return p->off[id];
    if (id >= p->capoff) {
        size_t cap = p->capoff ? p->capoff * 2 : 1024;
        while (cap <= id)
            cap *= 2;
        uint32_t *o = realloc(p->off, cap * sizeof *o);
        if (!o) {
            p->b.oom = 1;
            return 0;
        }
        for (size_t i = p->capoff; i < cap; i++)
            o[i] = UINT32_MAX;
        p->off = o;
        p->capoff = cap;
    }
    if (p->b.n + n + 1 > UINT32_MAX) {
        p->b.oom = 1;
        return 0;
    }
    uint32_t at = (uint32_t)p->b.n;
    bytes_add(&p->b, s, n + 1);
    p->off[id] = at;
    return at;
}

static int write_all(int fd, const void *p, size_t n)
{
    const unsigned char *s = p;
    while (n) {
        ssize_t k = write(fd, s, n);
        if (k < 0) {
            if (errno == EINTR)
                continue;
            return -1;
        }
        s += k;
        n -= (size_t)k;
    }
    return 0;
}

/* Appends section sec: n elements of size sz at the next 8-byte boundary. */
static void put_section(bytes *body, cache_header *h, int sec, const void *a, size_t n, size_t sz)
{
    while (body->n % 8)
        bytes_add(body, NULL, 1);
    h->sec[sec].off = sizeof *h + body->n;
    h->sec[sec].count = n;
    bytes_add(body, a, n * sz);
}

static void put_u32s(bytes *body, cache_header *h, int sec, const uint32_t *a, size_t n)
{
    put_section(body, h, sec, a, n, sizeof *a);
}

/* dict_cache_write with the sources' content hash already known (sh). */
static int write_cache(const dyad_dict *d, const char *path, const char *source, int format,
                       uint64_t key, uint64_t sh, char *err, size_t errlen)
{
    if (d->build) {
        snprintf(err, errlen, "%s: dictionary not finished", path);
        return -1;
    }
    cache_header h;
    memset(&h, 0, sizeof h);
    memcpy(h.magic, CACHE_MAGIC, 8);
    h.version = CACHE_VERSION;
    h.byte_order = CACHE_BYTE_ORDER;
    h.format = (uint32_t)format;
    h.header_size = sizeof h;
    h.build_id = build_id();
    h.key = key;
    h.skipped = d->skipped;
    h.nsections = NSEC;
    h.source_hash = sh;

    string_pool P;
    memset(&P, 0, sizeof P);
    arena_init(&P.mem, 0);
    intern_init(&P.seen, &P.mem);
    pool_add(&P, ""); /* offset 0 is the empty string */
    h.source = pool_add(&P, source ? source : "");

    size_t nstr = d->words.nstr ? d->words.nstr : 1;
    uint32_t *wstr = calloc(nstr, sizeof *wstr);
    cache_entry *ents = calloc(d->nentries ? d->nentries : 1, sizeof *ents);
    size_t nelems = 0, ncodes = 0, nforms = 0;
    for (size_t i = 0; i < d->nentries; i++) {
        nelems += d->entries[i].nelem;
        ncodes += d->entries[i].ncodes;
        if (d->entries[i].forms)
            nforms += d->entries[i].nelem;
    }
    pat_elem *elems = calloc(nelems ? nelems : 1, sizeof *elems);
    cache_code *codes = calloc(ncodes ? ncodes : 1, sizeof *codes);
    uint32_t *forms = calloc(nforms ? nforms : 1, sizeof *forms);
    int rc = 0;
    if (!wstr || !ents || !elems || !codes || !forms || nelems > UINT32_MAX ||
        ncodes > UINT32_MAX || nforms > UINT32_MAX) {
        snprintf(err, errlen, "%s: out of memory", path);
        rc = -1;
        goto out;
    }
    for (size_t id = 1; id < d->words.nstr; id++)
        wstr[id] = pool_add(&P, d->words.strs[id]);
    size_t ei = 0, ci = 0, fi = 0;
    for (size_t i = 0; i < d->nentries; i++) {
        const dict_entry *e = &d->entries[i];
        cache_entry *c = &ents[i];
        c->kind = e->kind;
        c->nelem = e->nelem;
        c->anchor = e->anchor;
        c->has_slots = e->has_slots;
        c->ncodes = e->ncodes;
        c->elem = (uint32_t)ei;
        c->codes = (uint32_t)ci;
        c->forms = e->forms ? (uint32_t)fi : NO_FORMS;
        c->text = pool_add(&P, e->text);
        c->rule = pool_add(&P, e->rule);
        memcpy(c->code, e->code, sizeof c->code);
        memcpy(c->rcode, e->rcode, sizeof c->rcode);
        for (int k = 0; k < e->nelem; k++) {
            /* field by field: the padding of pat_elem stays zero in the file */
            elems[ei].kind = e->elem[k].kind;
            elems[ei++].w = e->elem[k].w;
        }
        for (uint32_t k = 0; k < e->ncodes; k++) {
            codes[ci].code = pool_add(&P, e->codes[k].code);
            codes[ci].from = e->codes[k].from;
            codes[ci++].to = e->codes[k].to;
        }
        if (e->forms)
            for (int k = 0; k < e->nelem; k++)
                forms[fi++] = e->forms[k] ? pool_add(&P, e->forms[k]) : NO_FORMS;
    }
    if (P.b.oom) {
        snprintf(err, errlen, "%s: out of memory", path);
        rc = -1;
        goto out;
    }

    bytes body = {0};
    put_section(&body, &h, SEC_POOL, P.b.p, P.b.n, 1);
    put_u32s(&body, &h, SEC_WORD_STR, wstr, nstr);
    put_u32s(&body, &h, SEC_WORD_LEN, d->words.lens ? d->words.lens : wstr,
             d->words.lens ? d->words.nstr : 1);
    if (!body.oom) /* id 0 is never interned: its length slot was never set */
        memset(body.p + (h.sec[SEC_WORD_LEN].off - sizeof h), 0, sizeof(uint32_t));
    put_u32s(&body, &h, SEC_WORD_SLOTS, d->words.slots, d->words.nslots);
    put_section(&body, &h, SEC_ENTRIES, ents, d->nentries, sizeof *ents);
    put_section(&body, &h, SEC_ELEMS, elems, nelems, sizeof *elems);
    put_section(&body, &h, SEC_CODES, codes, ncodes, sizeof *codes);
    put_u32s(&body, &h, SEC_FORMS, forms, nforms);
    size_t nidx = d->nindexed + 1;
    put_u32s(&body, &h, SEC_WORD_OFF, d->word_off, nidx);
    put_u32s(&body, &h, SEC_WORD_LIST, d->word_list, d->word_off[d->nindexed]);
    put_u32s(&body, &h, SEC_VERB_OFF, d->verb_off, nidx);
    put_u32s(&body, &h, SEC_VERB_LIST, d->verb_list, d->verb_off[d->nindexed]);
    put_u32s(&body, &h, SEC_FORM_OFF, d->form_off, nidx);
    put_u32s(&body, &h, SEC_FORM_LIST, d->form_list, d->form_off[d->nindexed]);
    if (body.oom) {
        free(body.p);
        snprintf(err, errlen, "%s: out of memory", path);
        rc = -1;
        goto out;
    }
    h.file_size = sizeof h + body.n;
    h.body_hash = checksum(&h, body.p, body.n);

    /* temporary file beside the target, then rename: readers see the old
     * file or the complete new one, never half of it */
    size_t plen = strlen(path);
    char *tmp = malloc(plen + 8);
    int fd = -1;
    if (tmp) {
        memcpy(tmp, path, plen);
        memcpy(tmp + plen, ".XXXXXX", 8);
        fd = mkstemp(tmp);
    }
    if (fd < 0) {
        snprintf(err, errlen, "%s: cannot create: %s", path, tmp ? strerror(errno) : "out of memory");
        rc = -1;
    } else if (write_all(fd, &h, sizeof h) || write_all(fd, body.p, body.n) || fsync(fd)) {
        snprintf(err, errlen, "%s: writing failed: %s", path, strerror(errno));
        rc = -1;
    }
    if (fd >= 0 && close(fd) && rc == 0) {
        snprintf(err, errlen, "%s: writing failed: %s", path, strerror(errno));
        rc = -1;
    }
    if (rc == 0 && (fchmodat(AT_FDCWD, tmp, 0644, 0) || rename(tmp, path))) {
        snprintf(err, errlen, "%s: cannot rename into place: %s", path, strerror(errno));
        rc = -1;
    }
    if (rc && fd >= 0)
        unlink(tmp);
    free(tmp);
    free(body.p);
out:
    free(wstr);
    free(ents);
    free(elems);
    free(codes);
    free(forms);
    free(P.off);
    free(P.b.p);
    intern_free(&P.seen);
    arena_free(&P.mem);
    return rc;
}

int dict_cache_write(const dyad_dict *d, const char *path, const char *source, int format,
                     uint64_t key, char *err, size_t errlen)
{
    uint64_t sh = 0;
    if (source && source_hash(source, format, &sh, err, errlen))
        return -1;
    return write_cache(d, path, source, format, key, sh, err, errlen);
}

/* ---------------------------------------------------------------------- */
/* reading                                                                  */

typedef struct view {
    const unsigned char *p;
    size_t len;
    const cache_header *h;
    char *err;
    size_t errlen;
    const char *name;
} view;

static int bad(view *v, const char *what)
{
    snprintf(v->err, v->errlen, "%s: not a valid compiled dictionary: %s", v->name, what);
    return -1;
}

/* Section sec as an array of count elements of size sz, 4-aligned. */
static const void *section(view *v, int sec, size_t sz, uint64_t *count)
{
    const cache_section *s = &v->h->sec[sec];
    if (s->off < sizeof *v->h || s->off > v->len || s->off % 4 ||
        s->count > (v->len - s->off) / sz) {
        bad(v, "section out of bounds");
        return NULL;
    }
    *count = s->count;
    return v->p + s->off;
}

/* A CSR index: off has n+1 entries, starts at 0, never decreases, and ends at
 * the list's length; every list value is below limit. */
static int check_csr(view *v, const uint32_t *off, uint64_t noff, const uint32_t *list,
                     uint64_t nlist, uint64_t n, uint64_t limit)
{
    if (noff != n + 1 || off[0] != 0 || off[n] != nlist)
        return bad(v, "index size");
    for (uint64_t i = 0; i < n; i++)
        if (off[i + 1] < off[i])
            return bad(v, "index order");
    for (uint64_t i = 0; i < nlist; i++)
        if (list[i] >= limit)
            return bad(v, "index value");
    return 0;
}

static dyad_dict *open_view(view *v)
{
    const cache_header *h = v->h;
    uint64_t npool, nwstr, nwlen, nslots, nents, nelems, ncodes, nforms;
    uint64_t nwo, nwl, nvo, nvl, nfo, nfl;
    const char *pool = section(v, SEC_POOL, 1, &npool);
    const uint32_t *wstr = pool ? section(v, SEC_WORD_STR, 4, &nwstr) : NULL;
    const uint32_t *wlen = wstr ? section(v, SEC_WORD_LEN, 4, &nwlen) : NULL;
    const uint32_t *slots = wlen ? section(v, SEC_WORD_SLOTS, 4, &nslots) : NULL;
    const cache_entry *ents = slots ? section(v, SEC_ENTRIES, sizeof *ents, &nents) : NULL;
    const pat_elem *elems = ents ? section(v, SEC_ELEMS, sizeof *elems, &nelems) : NULL;
    const cache_code *codes = elems ? section(v, SEC_CODES, sizeof *codes, &ncodes) : NULL;
    const uint32_t *forms = codes ? section(v, SEC_FORMS, 4, &nforms) : NULL;
    const uint32_t *wo = forms ? section(v, SEC_WORD_OFF, 4, &nwo) : NULL;
    const uint32_t *wl = wo ? section(v, SEC_WORD_LIST, 4, &nwl) : NULL;
    const uint32_t *vo = wl ? section(v, SEC_VERB_OFF, 4, &nvo) : NULL;
    const uint32_t *vl = vo ? section(v, SEC_VERB_LIST, 4, &nvl) : NULL;
    const uint32_t *fo = vl ? section(v, SEC_FORM_OFF, 4, &nfo) : NULL;
    const uint32_t *fl = fo ? section(v, SEC_FORM_LIST, 4, &nfl) : NULL;
    if (!fl)
        return NULL;
    /* strings: the pool ends in NUL, so every offset below its size is a
     * terminated string; words also need offset + length inside it */
    if (npool == 0 || pool[npool - 1] != '\0' || h->source >= npool)
        return bad(v, "string pool"), NULL;
    if (nwstr == 0 || nwstr > UINT32_MAX || nwlen != nwstr || nwlen < 1)
        return bad(v, "word table size"), NULL;
    for (uint64_t id = 1; id < nwstr; id++)
        if (wstr[id] >= npool || wlen[id] >= npool - wstr[id] || pool[wstr[id] + wlen[id]] != '\0')
            return bad(v, "word string"), NULL;
    /* the hash table: a power of two with a free slot (lookups end), ids in range */
    uint64_t used = 0;
    if (nwstr > 1 && (nslots < 2 || (nslots & (nslots - 1))))
        return bad(v, "word hash table size"), NULL;
    for (uint64_t i = 0; i < nslots; i++) {
        if (slots[i] >= nwstr)
            return bad(v, "word hash table entry"), NULL;
        used += slots[i] != 0;
    }
    if (nslots && used >= nslots)
        return bad(v, "word hash table full"), NULL;
    if (nents > UINT32_MAX)
        return bad(v, "entry count"), NULL;
    for (uint64_t i = 0; i < nelems; i++) {
        const pat_elem *e = &elems[i];
        if (e->kind < PAT_WORD || e->kind > PAT_BOTH)
            return bad(v, "pattern element kind"), NULL;
        if ((e->kind == PAT_WORD || e->kind == PAT_VERB) && (e->w == 0 || e->w >= nwstr))
            return bad(v, "pattern element word"), NULL;
    }
    for (uint64_t i = 0; i < ncodes; i++)
        if (codes[i].code >= npool)
            return bad(v, "actor code"), NULL;
    for (uint64_t i = 0; i < nforms; i++)
        if (forms[i] != NO_FORMS && forms[i] >= npool)
            return bad(v, "exact form"), NULL;
    uint64_t nidx = nwstr; /* dict_finish indexes every word id */
    if (check_csr(v, wo, nwo, wl, nwl, nidx, nents) || check_csr(v, vo, nvo, vl, nvl, nidx, nents) ||
        check_csr(v, fo, nfo, fl, nfl, nidx, nwstr))
        return NULL;

    dyad_dict *d = calloc(1, sizeof *d);
    if (!d) {
        snprintf(v->err, v->errlen, "%s: out of memory", v->name);
        return NULL;
    }
    arena_init(&d->mem, 0);
    d->map = v->p;
    d->maplen = v->len;
    d->words.mem = &d->mem;
    d->words.strs = malloc(nwstr * sizeof *d->words.strs);
    d->entries = malloc((nents ? nents : 1) * sizeof *d->entries);
    dict_code *dc = arena_alloc(&d->mem, (ncodes ? ncodes : 1) * sizeof *dc);
    const char **df = arena_alloc(&d->mem, (nforms ? nforms : 1) * sizeof *df);
    if (!d->words.strs || !d->entries || !dc || !df) {
        snprintf(v->err, v->errlen, "%s: out of memory", v->name);
        goto fail;
    }
    d->words.strs[0] = NULL;
    for (uint64_t id = 1; id < nwstr; id++)
        d->words.strs[id] = pool + wstr[id];
    d->words.lens = (uint32_t *)wlen;
    d->words.nstr = d->words.capstr = nwstr;
    d->words.slots = (uint32_t *)slots;
    d->words.nslots = nslots;
    for (uint64_t i = 0; i < ncodes; i++) {
        dc[i].code = pool + codes[i].code;
        dc[i].from = codes[i].from;
        dc[i].to = codes[i].to;
    }
    for (uint64_t i = 0; i < nforms; i++)
        df[i] = forms[i] == NO_FORMS ? NULL : pool + forms[i];
    for (uint64_t i = 0; i < nents; i++) {
        const cache_entry *c = &ents[i];
        dict_entry *e = &d->entries[i];
        if (c->kind < ENT_ACTOR || c->kind > ENT_DISCARD || c->nelem == 0 ||
            c->nelem > PAT_MAX_ELEMS || c->anchor >= c->nelem || c->elem > nelems ||
            c->nelem > nelems - c->elem || c->codes > ncodes || c->ncodes > ncodes - c->codes ||
            (c->forms != NO_FORMS && (c->forms > nforms || c->nelem > nforms - c->forms)) ||
            c->text >= npool || c->rule >= npool || !memchr(c->code, 0, sizeof c->code) ||
            !memchr(c->rcode, 0, sizeof c->rcode)) {
            bad(v, "entry");
            goto fail;
        }
        e->kind = c->kind;
        e->nelem = c->nelem;
        e->anchor = c->anchor;
        e->has_slots = c->has_slots;
        e->elem = (pat_elem *)(elems + c->elem);
        e->codes = c->ncodes ? dc + c->codes : NULL;
        e->ncodes = c->ncodes;
        memcpy(e->code, c->code, sizeof e->code);
        memcpy(e->rcode, c->rcode, sizeof e->rcode);
        e->forms = c->forms == NO_FORMS ? NULL : df + c->forms;
        e->text = pool + c->text;
        e->rule = pool + c->rule;
    }
    d->nentries = d->capentries = nents;
    d->word_off = (uint32_t *)wo;
    d->word_list = (uint32_t *)wl;
    d->verb_off = (uint32_t *)vo;
    d->verb_list = (uint32_t *)vl;
    d->form_off = (uint32_t *)fo;
    d->form_list = (uint32_t *)fl;
    d->nindexed = nidx;
    d->skipped = h->skipped;
    d->dir = pool[h->source] ? pool + h->source : NULL;
    return d;
fail:
    d->map = NULL; /* the caller still owns the mapping */
    free(d->words.strs);
    free(d->entries);
    arena_free(&d->mem);
    free(d);
    return NULL;
}

static dyad_dict *open_buffer(const void *buf, size_t len, const char *name, uint64_t expect_key,
                              int check_sources, char *err, size_t errlen)
{
    view v = {buf, len, buf, err, errlen, name};
    const cache_header *h = buf;
    if (len < sizeof *h || memcmp(h->magic, CACHE_MAGIC, 8) != 0)
        return bad(&v, "no DYADDICT header"), NULL;
    if (h->byte_order != CACHE_BYTE_ORDER)
        return bad(&v, "written on a machine of another byte order"), NULL;
    if (h->version != CACHE_VERSION) {
        snprintf(err, errlen, "%s: compiled dictionary format %u, this dyad reads %u: compile it again",
                 name, h->version, CACHE_VERSION);
        return NULL;
    }
    if (h->header_size != sizeof *h || h->nsections != NSEC)
        return bad(&v, "header size"), NULL;
    if (h->file_size != len)
        return bad(&v, len < h->file_size ? "truncated" : "trailing bytes"), NULL;
    if (h->format != DICT_FORMAT_NATIVE && h->format != DICT_FORMAT_PETRARCH)
        return bad(&v, "unknown dictionary format"), NULL;
    if (expect_key && (h->key != expect_key || h->build_id != build_id()))
        return bad(&v, "made from other sources or by another build"), NULL;
    if (checksum(h, (const unsigned char *)buf + sizeof *h, len - sizeof *h) != h->body_hash)
        return bad(&v, "checksum mismatch (damaged file)"), NULL;
    if (check_sources && h->source_hash) {
        /* a compiled file whose sources are still there must match them */
        const char *pool = (const char *)buf + h->sec[SEC_POOL].off;
        uint64_t npool = h->sec[SEC_POOL].count;
        if (h->sec[SEC_POOL].off <= len && npool <= len - h->sec[SEC_POOL].off && h->source < npool &&
            memchr(pool + h->source, 0, npool - h->source) && pool[h->source]) {
            const char *src = pool + h->source;
            struct stat st;
            uint64_t sh;
            char e2[256];
            if (stat(src, &st) == 0 && source_hash(src, (int)h->format, &sh, e2, sizeof e2) == 0 &&
                sh != h->source_hash) {
                snprintf(err, errlen, "%s: stale: its sources in %s have changed since it was "
                                      "compiled (run dyad dict compile again)", name, src);
                return NULL;
            }
        }
    }
    return open_view(&v);
}

int dict_cache_reseal(void *buf, size_t len)
{
    cache_header h;
    if (len < sizeof h)
        return -1;
    memcpy(&h, buf, sizeof h);
    h.body_hash = checksum(&h, (const unsigned char *)buf + sizeof h, len - sizeof h);
    memcpy(buf, &h, sizeof h);
    return 0;
}

dyad_dict *dict_cache_from_memory(const void *buf, size_t len, char *err, size_t errlen)
{
    if (((uintptr_t)buf & 7) != 0) {
        snprintf(err, errlen, "compiled dictionary buffer not 8-byte aligned");
        return NULL;
    }
    return open_buffer(buf, len, "(memory)", 0, 0, err, errlen);
}

static dyad_dict *open_file(const char *path, uint64_t expect_key, char *err, size_t errlen)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        snprintf(err, errlen, "%s: cannot open: %s", path, strerror(errno));
        return NULL;
    }
    struct stat st;
    if (fstat(fd, &st) || !S_ISREG(st.st_mode)) {
        snprintf(err, errlen, "%s: not a regular file", path);
        close(fd);
        return NULL;
    }
    if ((uint64_t)st.st_size > CACHE_MAX_FILE || st.st_size < (off_t)sizeof(cache_header)) {
        snprintf(err, errlen, "%s: not a valid compiled dictionary: %s", path,
                 st.st_size < (off_t)sizeof(cache_header) ? "truncated" : "larger than 1 GiB");
        close(fd);
        return NULL;
    }
    size_t len = (size_t)st.st_size;
    void *p = mmap(NULL, len, PROT_READ, MAP_PRIVATE, fd, 0);
    close(fd);
    if (p == MAP_FAILED) {
        snprintf(err, errlen, "%s: cannot map: %s", path, strerror(errno));
        return NULL;
    }
    dyad_dict *d = open_buffer(p, len, path, expect_key, expect_key == 0, err, errlen);
    if (!d) {
        munmap(p, len);
        return NULL;
    }
    d->unmap = 1;
    return d;
}

dyad_dict *dict_cache_open(const char *path, uint64_t expect_key, char *err, size_t errlen)
{
    return open_file(path, expect_key, err, errlen);
}

int dict_is_compiled(const char *path)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return 0;
    char magic[8];
    struct stat st;
    int yes = fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && read(fd, magic, 8) == 8 &&
              memcmp(magic, CACHE_MAGIC, 8) == 0;
    close(fd);
    return yes;
}

void dict_cache_release(dyad_dict *d)
{
    if (!d->map)
        return;
    /* the arrays that point into the mapping are not ours to free */
    d->words.lens = NULL;
    d->words.slots = NULL;
    d->word_off = d->word_list = NULL;
    d->verb_off = d->verb_list = NULL;
    d->form_off = d->form_list = NULL;
    if (d->unmap)
        munmap((void *)d->map, d->maplen);
    d->map = NULL;
}

/* ---------------------------------------------------------------------- */
/* policy                                                                   */

const char *dict_default_cache_dir(char *buf, size_t cap)
{
    const char *dir = getenv("DYAD_CACHE_DIR");
    if (dir) {
        if (!*dir || strcmp(dir, "off") == 0)
            return NULL;
        if ((size_t)snprintf(buf, cap, "%s", dir) >= cap)
            return NULL;
        return buf;
    }
    const char *xdg = getenv("XDG_CACHE_HOME"), *home = getenv("HOME");
    int n;
    if (xdg && *xdg == '/')
        n = snprintf(buf, cap, "%s/dyad", xdg);
    else if (home && *home == '/')
        n = snprintf(buf, cap, "%s/.cache/dyad", home);
    else
        return NULL;
    return n > 0 && (size_t)n < cap ? buf : NULL;
}

static int mkdirs(const char *dir)
{
    char tmp[4096];
    if ((size_t)snprintf(tmp, sizeof tmp, "%s", dir) >= sizeof tmp)
        return -1;
    for (char *p = tmp + 1; *p; p++)
        if (*p == '/') {
            *p = '\0';
            if (mkdir(tmp, 0700) && errno != EEXIST)
                return -1;
            *p = '/';
        }
    return mkdir(tmp, 0700) && errno != EEXIST ? -1 : 0;
}

int dict_cache_file_name(const char *cache_dir, const char *abs, int format, uint64_t key,
                         char *out, size_t cap)
{
    /* <format>-<where>-<what>.dyc: the source's path and its content key, so
     * that a new version of a dictionary replaces the old one's file */
    uint64_t where = hash_bytes(abs, strlen(abs), 0x77686572ULL) & 0xffffffffu;
    int n = snprintf(out, cap, "%s/%s-%08llx-%016llx%s", cache_dir,
                     format == DICT_FORMAT_PETRARCH ? "petrarch" : "native",
                     (unsigned long long)where, (unsigned long long)key, DICT_CACHE_SUFFIX);
    return n > 0 && (size_t)n < cap ? 0 : -1;
}

/* Deletes the other cache files of the same source (same name up to the key):
 * the cache keeps one file per dictionary location, not one per edit. */
static void prune_older(const char *cache_dir, const char *keep)
{
    const char *base = strrchr(keep, '/');
    base = base ? base + 1 : keep;
    const char *dash = strrchr(base, '-');
    if (!dash)
        return;
    size_t stem = (size_t)(dash - base) + 1;
    DIR *dp = opendir(cache_dir);
    if (!dp)
        return;
    struct dirent *de;
    while ((de = readdir(dp))) {
        if (strncmp(de->d_name, base, stem) != 0 || strcmp(de->d_name, base) == 0 ||
            !has_suffix(de->d_name, DICT_CACHE_SUFFIX))
            continue;
        char old[4096];
        if ((size_t)snprintf(old, sizeof old, "%s/%s", cache_dir, de->d_name) < sizeof old)
            unlink(old);
    }
    closedir(dp);
}

dyad_dict *dict_load_source(const char *path, int format, char *err, size_t errlen)
{
    return format == DICT_FORMAT_PETRARCH ? dict_load_petrarch_dir(path, err, errlen)
                                          : dyad_dict_load(path, err, errlen);
}

/* Writes d as file in cache_dir (made if needed) and deletes the files of
 * the same source it replaces. */
static int store_in_cache(const dyad_dict *d, const char *cache_dir, const char *file,
                          const char *abs, int format, uint64_t key, uint64_t sh, char *err,
                          size_t errlen)
{
    if (mkdirs(cache_dir)) {
        snprintf(err, errlen, "%s: cannot create the cache directory: %s", cache_dir,
                 strerror(errno));
        return -1;
    }
    if (write_cache(d, file, abs, format, key, sh, err, errlen))
        return -1;
    prune_older(cache_dir, file);
    return 0;
}

dyad_dict *dict_load_cached(const char *path, int format, const char *cache_dir, int *cached,
                            char *err, size_t errlen)
{
    if (cached)
        *cached = 0;
    if (dict_is_compiled(path)) {
        if (cached)
            *cached = 1;
        return dict_cache_open(path, 0, err, errlen);
    }
    uint64_t key, sh;
    char abs[4096], file[4096];
    if (!cache_dir || !realpath(path, abs) || source_key(abs, format, &key, &sh, err, errlen) ||
        dict_cache_file_name(cache_dir, abs, format, key, file, sizeof file))
        return dict_load_source(path, format, err, errlen); /* its own error for a bad path */
    char e2[512];
    dyad_dict *d = open_file(file, key, e2, sizeof e2);
    if (d) {
        if (cached)
            *cached = 1;
        return d;
    }
    d = dict_load_source(path, format, err, errlen);
    if (d && store_in_cache(d, cache_dir, file, abs, format, key, sh, e2, sizeof e2) == 0 && cached)
        *cached = 2;
    return d;
}

int dict_cache_store(const dyad_dict *d, const char *cache_dir, const char *file, const char *abs,
                     int format, uint64_t key, char *err, size_t errlen)
{
    uint64_t sh;
    if (source_hash(abs, format, &sh, err, errlen))
        return -1;
    return store_in_cache(d, cache_dir, file, abs, format, key, sh, err, errlen);
}
