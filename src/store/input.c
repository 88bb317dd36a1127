/*
 * input.c - files, directories and stdin, plain or gzip/zstd (see input.h).
 *
 * One stream type serves all three encodings: a 64 KiB raw buffer filled by
 * read(2), a decompressed buffer, and a stdio FILE over it (fopencookie).
 * Keeping the decompressed buffer ourselves lets input_open() look at the
 * first characters of standard input (is it JSON Lines?) without consuming
 * them.  Concatenated gzip members and zstd frames are read to the end, as
 * gzip -d and zstd -d do.
 */
#define _GNU_SOURCE /* fopencookie */
#include "store/input.h"
#include "core/doc.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>
#include <zstd.h>

#define RAW_CAP ((size_t)1 << 16)
#define OUT_CAP ((size_t)1 << 17)

typedef struct stream {
    int fd, owns_fd;
    int kind;
    int eof;              /* read(2) returned 0 */
    const char *error;    /* set when the compressed data is bad */
    uint64_t raw_bytes;
    unsigned char raw[RAW_CAP];
    size_t raw_pos, raw_len;
    unsigned char out[OUT_CAP];
    size_t out_pos, out_len;
    z_stream z;
    int z_live;           /* inflateInit2 succeeded */
    int z_member_done;    /* last inflate ended a member */
    ZSTD_DStream *zs;
    size_t zs_pending;    /* 0 when the last zstd frame is complete */
} stream;

/* Refills raw[] when it is empty.  1 data, 0 eof, -1 error. */
static int fill_raw(stream *s)
{
    if (s->raw_pos < s->raw_len)
        return 1;
    if (s->eof)
        return 0;
    ssize_t n;
    do
        n = read(s->fd, s->raw, RAW_CAP);
    while (n < 0 && errno == EINTR);
    if (n < 0)
        return -1;
    if (n == 0) {
        s->eof = 1;
        return 0;
    }
    s->raw_pos = 0;
    s->raw_len = (size_t)n;
    s->raw_bytes += (uint64_t)n;
    return 1;
}

/* Refills out[] when it is empty.  1 data, 0 end, -1 error (s->error or errno). */
static int fill_out(stream *s)
{
    if (s->out_pos < s->out_len)
        return 1;
    s->out_pos = s->out_len = 0;
    for (;;) {
        int rr = fill_raw(s);
        if (rr < 0)
            return -1;
        if (s->kind == INPUT_PLAIN) {
            if (rr == 0)
                return 0;
            size_t n = s->raw_len - s->raw_pos;
            memcpy(s->out, s->raw + s->raw_pos, n);
            s->raw_pos = s->raw_len;
            s->out_len = n;
            return 1;
        }
        if (rr == 0) {
            /* end of the compressed input: was the last member/frame complete? */
            int complete = s->kind == INPUT_GZIP ? s->z_member_done : s->zs_pending == 0;
            if (!complete) {
                s->error = "compressed input is truncated";
                return -1;
            }
            return 0;
        }
        if (s->kind == INPUT_GZIP) {
            if (s->z_member_done) {
                /* another gzip member follows */
                if (inflateReset(&s->z) != Z_OK) {
                    s->error = "gzip: cannot reset the decoder";
                    return -1;
                }
                s->z_member_done = 0;
            }
            s->z.next_in = s->raw + s->raw_pos;
            s->z.avail_in = (uInt)(s->raw_len - s->raw_pos);
            s->z.next_out = s->out;
            s->z.avail_out = (uInt)OUT_CAP;
            int zr = inflate(&s->z, Z_NO_FLUSH);
            s->raw_pos = s->raw_len - s->z.avail_in;
            if (zr == Z_STREAM_END)
                s->z_member_done = 1;
            else if (zr != Z_OK && zr != Z_BUF_ERROR) {
                s->error = "gzip: corrupt compressed data";
                return -1;
            }
            s->out_len = OUT_CAP - s->z.avail_out;
        } else {
            ZSTD_inBuffer in = {s->raw + s->raw_pos, s->raw_len - s->raw_pos, 0};
            ZSTD_outBuffer out = {s->out, OUT_CAP, 0};
            size_t zr = ZSTD_decompressStream(s->zs, &out, &in);
            if (ZSTD_isError(zr)) {
                s->error = "zstd: corrupt compressed data";
                return -1;
            }
            s->zs_pending = zr;
            s->raw_pos += in.pos;
            s->out_len = out.pos;
        }
        if (s->out_len)
            return 1;
    }
}

static ssize_t cookie_read(void *cookie, char *buf, size_t size)
{
    stream *s = cookie;
    size_t done = 0;
    while (done < size) {
        int r = fill_out(s);
        if (r < 0) {
            if (s->error)
                errno = EIO;
            return done ? (ssize_t)done : -1;
        }
        if (r == 0)
            break;
        size_t n = s->out_len - s->out_pos;
        if (n > size - done)
            n = size - done;
        memcpy(buf + done, s->out + s->out_pos, n);
        s->out_pos += n;
        done += n;
    }
    return (ssize_t)done;
}

static void stream_free(stream *s)
{
    if (!s)
        return;
    if (s->z_live)
        inflateEnd(&s->z);
    ZSTD_freeDStream(s->zs);
    if (s->owns_fd && s->fd >= 0)
        close(s->fd);
    free(s);
}

static int cookie_close(void *cookie)
{
    stream_free(cookie);
    return 0;
}

static int ends_with(const char *s, const char *suffix)
{
    size_t n = strlen(s), k = strlen(suffix);
    return n >= k && strcmp(s + n - k, suffix) == 0;
}

const char *input_base_name(const char *path, char *buf, size_t cap)
{
    snprintf(buf, cap, "%s", path);
    size_t n = strlen(buf);
    if (ends_with(buf, ".gz"))
        buf[n - 3] = '\0';
    else if (ends_with(buf, ".zst"))
        buf[n - 4] = '\0';
    return buf;
}

static int name_is_jsonl(const char *base)
{
    return ends_with(base, ".jsonl") || ends_with(base, ".ndjson") || ends_with(base, ".json");
}

int input_open(input_stream *in, const char *path, char *err, size_t errlen)
{
    memset(in, 0, sizeof *in);
    stream *s = calloc(1, sizeof *s);
    if (!s) {
        snprintf(err, errlen, "%s: out of memory", path);
        return -1;
    }
    int is_stdin = strcmp(path, "-") == 0;
    if (is_stdin) {
        s->fd = STDIN_FILENO;
    } else {
        s->fd = open(path, O_RDONLY | O_CLOEXEC);
        if (s->fd < 0) {
            snprintf(err, errlen, "%s: cannot open: %s", path, strerror(errno));
            free(s);
            return -1;
        }
        s->owns_fd = 1;
    }
    /* magic bytes: gzip 1f 8b, zstd 28 b5 2f fd (read at least 4 bytes if there are 4) */
    while (s->raw_len < 4 && !s->eof) {
        ssize_t n = read(s->fd, s->raw + s->raw_len, RAW_CAP - s->raw_len);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0) {
            snprintf(err, errlen, "%s: read error: %s", path, strerror(errno));
            stream_free(s);
            return -1;
        }
        if (n == 0)
            s->eof = 1;
        s->raw_len += (size_t)n;
        s->raw_bytes += (uint64_t)n;
    }
    const unsigned char *m = s->raw;
    if (s->raw_len >= 2 && m[0] == 0x1f && m[1] == 0x8b) {
        s->kind = INPUT_GZIP;
        if (inflateInit2(&s->z, 15 + 16) != Z_OK) {
            snprintf(err, errlen, "%s: cannot start the gzip decoder", path);
            stream_free(s);
            return -1;
        }
        s->z_live = 1;
    } else if (s->raw_len >= 4 && m[0] == 0x28 && m[1] == 0xb5 && m[2] == 0x2f && m[3] == 0xfd) {
        s->kind = INPUT_ZSTD;
        s->zs = ZSTD_createDStream();
        if (!s->zs || ZSTD_isError(ZSTD_initDStream(s->zs))) {
            snprintf(err, errlen, "%s: cannot start the zstd decoder", path);
            stream_free(s);
            return -1;
        }
        s->zs_pending = 1;
    }
    if (is_stdin) {
        /* JSON Lines when the first non-blank character opens an object */
        int r = fill_out(s);
        if (r < 0) {
            snprintf(err, errlen, "<stdin>: %s", s->error ? s->error : strerror(errno));
            stream_free(s);
            return -1;
        }
        size_t i = s->out_pos;
        while (i < s->out_len && strchr(" \t\r\n", s->out[i]))
            i++;
        in->jsonl = i < s->out_len && s->out[i] == '{';
    } else {
        char base[4096];
        in->jsonl = name_is_jsonl(input_base_name(path, base, sizeof base));
    }
    static const cookie_io_functions_t io = {cookie_read, NULL, NULL, cookie_close};
    in->f = fopencookie(s, "r", io);
    if (!in->f) {
        snprintf(err, errlen, "%s: out of memory", path);
        stream_free(s);
        return -1;
    }
    in->kind = s->kind;
    in->raw_bytes = &s->raw_bytes;
    in->impl = s;
    return 0;
}

const char *input_error(const input_stream *in)
{
    return in->impl ? ((const stream *)in->impl)->error : NULL;
}

void input_close(input_stream *in)
{
    if (in->f)
        fclose(in->f); /* frees the stream through cookie_close */
    memset(in, 0, sizeof *in);
}

/* Directories ---------------------------------------------------------------- */

static int list_push(input_list *l, const char *path, char *err, size_t errlen)
{
    if (l->n == l->cap) {
        size_t cap = l->cap ? l->cap * 2 : 16;
        char **p = realloc(l->paths, cap * sizeof *p);
        if (!p)
            goto oom;
        l->paths = p;
        l->cap = cap;
    }
    if (!(l->paths[l->n] = strdup(path)))
        goto oom;
    l->n++;
    return 0;
oom:
    snprintf(err, errlen, "%s: out of memory", path);
    return -1;
}

static int wanted_in_dir(const char *name)
{
    char base[1024];
    input_base_name(name, base, sizeof base);
    return name[0] != '.' && (ends_with(base, ".txt") || name_is_jsonl(base));
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static int walk(const char *dir, int depth, input_list *l, char *err, size_t errlen)
{
    if (depth > INPUT_MAX_DEPTH) {
        snprintf(err, errlen, "%s: directories nested deeper than %d", dir, INPUT_MAX_DEPTH);
        return -1;
    }
    DIR *d = opendir(dir);
    if (!d) {
        snprintf(err, errlen, "%s: cannot open directory: %s", dir, strerror(errno));
        return -1;
    }
    input_list here = {0};
    int rc = 0;
    struct dirent *e;
    while (rc == 0 && (e = readdir(d)) != NULL) {
        if (e->d_name[0] == '.')
            continue;
        size_t need = strlen(dir) + strlen(e->d_name) + 2;
        char *p = malloc(need);
        if (!p) {
            snprintf(err, errlen, "%s: out of memory", dir);
            rc = -1;
            break;
        }
        snprintf(p, need, "%s/%s", dir, e->d_name);
        struct stat st, lst;
        if (lstat(p, &lst) == 0 && stat(p, &st) == 0) {
            if (S_ISDIR(st.st_mode) && !S_ISLNK(lst.st_mode))
                rc = list_push(&here, p, err, errlen); /* walked after sorting */
            else if (S_ISREG(st.st_mode) && wanted_in_dir(e->d_name))
                rc = list_push(&here, p, err, errlen);
        }
        free(p);
    }
    closedir(d);
    if (rc == 0)
        qsort(here.paths, here.n, sizeof *here.paths, cmp_str);
    for (size_t i = 0; rc == 0 && i < here.n; i++) {
        struct stat st;
        if (stat(here.paths[i], &st) != 0)
            continue; /* vanished since readdir */
        if (S_ISDIR(st.st_mode)) {
            rc = walk(here.paths[i], depth + 1, l, err, errlen);
        } else {
            l->total_bytes += (uint64_t)st.st_size;
            rc = list_push(l, here.paths[i], err, errlen);
        }
    }
    input_list_free(&here);
    return rc;
}

int input_expand(char *const *args, size_t nargs, input_list *out, char *err, size_t errlen)
{
    memset(out, 0, sizeof *out);
    int has_stdin = 0;
    for (size_t i = 0; i < nargs; i++) {
        struct stat st;
        int rc;
        if (strcmp(args[i], "-") == 0) {
            has_stdin = 1;
            rc = list_push(out, "-", err, errlen);
        } else if (stat(args[i], &st) != 0) {
            snprintf(err, errlen, "%s: cannot open: %s", args[i], strerror(errno));
            rc = -1;
        } else if (S_ISDIR(st.st_mode)) {
            rc = walk(args[i], 0, out, err, errlen);
        } else {
            out->total_bytes += (uint64_t)st.st_size;
            rc = list_push(out, args[i], err, errlen);
        }
        if (rc) {
            input_list_free(out);
            return -1;
        }
    }
    if (has_stdin)
        out->total_bytes = 0;
    return 0;
}

void input_list_free(input_list *l)
{
    for (size_t i = 0; i < l->n; i++)
        free(l->paths[i]);
    free(l->paths);
    memset(l, 0, sizeof *l);
}

int input_date_from_path(const char *path, char out[11])
{
    size_t n = strlen(path);
    for (size_t i = 0; i + 8 <= n; i++) {
        if (i > 0 && path[i - 1] >= '0' && path[i - 1] <= '9')
            continue; /* must start a digit run */
        char cand[11];
        if (i + 10 <= n && (path[i + 4] == '-' || path[i + 4] == '_') && path[i + 7] == path[i + 4]) {
            memcpy(cand, path + i, 10);
            cand[4] = cand[7] = '-';
            cand[10] = '\0';
            if (date_parse(cand, 10) && !(i + 10 < n && path[i + 10] >= '0' && path[i + 10] <= '9')) {
                memcpy(out, cand, 11);
                return 1;
            }
        }
        int digits = 1;
        for (size_t k = 0; k < 8; k++)
            digits &= path[i + k] >= '0' && path[i + k] <= '9';
        if (digits && !(i + 8 < n && path[i + 8] >= '0' && path[i + 8] <= '9')) {
            snprintf(cand, sizeof cand, "%.4s-%.2s-%.2s", path + i, path + i + 4, path + i + 6);
            if (date_parse(cand, 10)) {
                memcpy(out, cand, 11);
                return 1;
            }
        }
    }
    return 0;
}
