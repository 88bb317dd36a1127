/*
 * reader.c - JSON Lines and plain-text document readers (see reader.h).
 * JSON parsing is jansson's; this file adds bounded line reading, field
 * validation and messages that name file and line.
 */
#include "io/reader.h"
#include "core/doc.h"

#include <errno.h>
#include <jansson.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

static int fail(const doc_reader *r, char *err, size_t errlen, const char *fmt, ...)
{
    int k = snprintf(err, errlen, "%s:%ld: ", r->name, r->line);
    if (k >= 0 && (size_t)k < errlen) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(err + k, errlen - (size_t)k, fmt, ap);
        va_end(ap);
    }
    return -1;
}

int reader_open(doc_reader *r, const char *path, int format, const char *default_date,
                char *err, size_t errlen)
{
    memset(r, 0, sizeof *r);
    r->name = path;
    r->default_date = default_date;
    if (strcmp(path, "-") == 0) {
        r->f = stdin;
        r->name = "<stdin>";
    } else {
        r->f = fopen(path, "rb");
        if (!r->f) {
            snprintf(err, errlen, "%s: cannot open: %s", path, strerror(errno));
            return -1;
        }
        r->owns_file = 1;
    }
    if (format == READ_AUTO) {
        size_t n = strlen(path);
        if ((n > 6 && strcmp(path + n - 6, ".jsonl") == 0) ||
            (n > 7 && strcmp(path + n - 7, ".ndjson") == 0) ||
            (n > 5 && strcmp(path + n - 5, ".json") == 0)) {
            format = READ_JSONL;
        } else if (r->f == stdin) {
            /* stdin: JSON Lines if the first non-blank character opens an object */
            int c;
            while ((c = getc(r->f)) != EOF && (c == ' ' || c == '\t' || c == '\r' || c == '\n'))
                if (c == '\n')
                    r->line++;
            if (c != EOF)
                ungetc(c, r->f);
            format = c == '{' ? READ_JSONL : READ_TEXT;
        } else {
            format = READ_TEXT;
        }
    }
    r->format = format;
    return 0;
}

void reader_close(doc_reader *r)
{
    if (r->owns_file && r->f)
        fclose(r->f);
    free(r->buf);
    memset(r, 0, sizeof *r);
}

/* Reads one line (without its newline) into r->buf.  Returns its length,
 * -1 at end of input, -2 on a read error, -3 when longer than max: the rest of
 * the line is read but not stored (memory stays below max), and *total is set
 * to the whole line's length for the message. */
static long long read_line(doc_reader *r, size_t max, size_t *total)
{
    size_t n = 0, skipped = 0;
    int too_long = 0, any = 0;
    for (;;) {
        if (!too_long && n + 2 > r->cap) {
            size_t cap = r->cap ? r->cap * 2 : 65536;
            if (cap > max + 2)
                cap = max + 2; /* never more than the limit needs */
            char *b = realloc(r->buf, cap);
            if (!b)
                return -2;
            r->buf = b;
            r->cap = cap;
        }
        int c = getc(r->f);
        if (c == EOF) {
            if (ferror(r->f))
                return -2;
            if (!any)
                return -1;
            break;
        }
        any = 1;
        if (c == '\n')
            break;
        if (n >= max) {
            too_long = 1;
            skipped++;
            continue;
        }
        r->buf[n++] = (char)c;
    }
    if (too_long) {
        *total = n + skipped;
        return -3;
    }
    r->buf[n] = '\0';
    return (long long)n;
}

static const char *str_field(json_t *o, const char *key, int *bad)
{
    json_t *v = json_object_get(o, key);
    if (!v || json_is_null(v))
        return NULL;
    if (!json_is_string(v)) {
        *bad = 1;
        return NULL;
    }
    return json_string_value(v);
}

static int read_jsonl(doc_reader *r, dyad_doc *doc, char *err, size_t errlen)
{
    for (;;) {
        size_t total = 0;
        long long n = read_line(r, READER_MAX_LINE, &total);
        r->line++;
        if (n == -1) {
            r->done = 1;
            return 0;
        }
        if (n == -2) {
            r->done = 1;
            snprintf(err, errlen, "%s:%ld: read error: %s", r->name, r->line,
                     errno ? strerror(errno) : "out of memory");
            return -2;
        }
        if (n == -3)
            return fail(r, err, errlen, "record of %zu bytes exceeds the limit of %zu bytes",
                        total, READER_MAX_LINE);
        size_t len = (size_t)n;
        if (len && r->buf[len - 1] == '\r')
            r->buf[--len] = '\0';
        size_t i = 0;
        while (i < len && (r->buf[i] == ' ' || r->buf[i] == '\t'))
            i++;
        if (i == len)
            continue; /* blank line */
        json_error_t je;
        json_t *o = json_loadb(r->buf, len, JSON_REJECT_DUPLICATES, &je);
        if (!o)
            return fail(r, err, errlen, "malformed JSON at column %d: %s", je.column, je.text);
        int rc = -1;
        if (!json_is_object(o)) {
            fail(r, err, errlen, "expected a JSON object {\"id\", \"date\", \"text\", ...}");
            goto out;
        }
        int bad = 0;
        const char *text = str_field(o, "text", &bad);
        if (bad || !text) {
            fail(r, err, errlen, bad ? "field \"text\" must be a string"
                                     : "missing field \"text\"");
            goto out;
        }
        size_t tlen = json_string_length(json_object_get(o, "text"));
        char idbuf[64];
        const char *id = NULL;
        json_t *jid = json_object_get(o, "id");
        if (json_is_string(jid)) {
            id = json_string_value(jid);
        } else if (json_is_integer(jid)) {
            snprintf(idbuf, sizeof idbuf, "%" JSON_INTEGER_FORMAT, json_integer_value(jid));
            id = idbuf;
        } else if (jid && !json_is_null(jid)) {
            fail(r, err, errlen, "field \"id\" must be a string or an integer");
            goto out;
        } else {
            snprintf(idbuf, sizeof idbuf, "line-%ld", r->line);
            id = idbuf;
        }
        const char *date = str_field(o, "date", &bad);
        const char *source = str_field(o, "source", &bad);
        const char *title = str_field(o, "title", &bad);
        if (bad) {
            fail(r, err, errlen, "fields \"date\", \"source\" and \"title\" must be strings");
            goto out;
        }
        char dbuf[11];
        if (date) {
            size_t dl = strlen(date);
            /* accept an ISO 8601 date-time: keep its date */
            if (dl > 10 && (date[10] == 'T' || date[10] == ' '))
                dl = 10;
            if (dl != 10 || !date_parse(date, 10)) {
                fail(r, err, errlen, "field \"date\" is \"%.40s\", expected YYYY-MM-DD", date);
                goto out;
            }
            memcpy(dbuf, date, 10);
            dbuf[10] = '\0';
            date = dbuf;
        } else if (r->default_date) {
            date = r->default_date;
        } else {
            fail(r, err, errlen, "missing field \"date\" (or give --date YYYY-MM-DD)");
            goto out;
        }
        char derr[160];
        if (dyad_doc_set(doc, id, date, source, title, text, tlen, derr, sizeof derr)) {
            fail(r, err, errlen, "%s", derr);
            goto out;
        }
        rc = 1;
    out:
        json_decref(o);
        return rc;
    }
}

static int read_text(doc_reader *r, dyad_doc *doc, char *err, size_t errlen)
{
    r->done = 1;
    size_t n = 0;
    for (;;) {
        if (n + 65536 + 1 > r->cap) {
            size_t cap = r->cap ? r->cap * 2 : 1 << 20;
            if (cap > READER_MAX_TEXT + 65536 + 1)
                cap = READER_MAX_TEXT + 65536 + 1; /* the limit plus one read */
            char *b = realloc(r->buf, cap);
            if (!b) {
                snprintf(err, errlen, "%s: out of memory", r->name);
                return -2;
            }
            r->buf = b;
            r->cap = cap;
        }
        size_t k = fread(r->buf + n, 1, 65536, r->f);
        n += k;
        if (n > READER_MAX_TEXT) {
            /* count the rest for the message without keeping it */
            while ((k = fread(r->buf + READER_MAX_TEXT, 1, 65536, r->f)) > 0)
                n += k;
            if (ferror(r->f)) {
                snprintf(err, errlen, "%s: read error: %s", r->name, strerror(errno));
                return -2;
            }
            r->line = 1;
            snprintf(err, errlen, "%s:1: document of %zu bytes exceeds the limit of %zu bytes",
                     r->name, n, READER_MAX_TEXT);
            return -1;
        }
        if (k == 0)
            break;
    }
    if (ferror(r->f)) {
        snprintf(err, errlen, "%s: read error: %s", r->name, strerror(errno));
        return -2;
    }
    r->line = 1;
    if (!r->default_date) {
        snprintf(err, errlen, "%s: plain text needs its publication date: --date YYYY-MM-DD",
                 r->name);
        return -1;
    }
    /* id: the file name without directories */
    const char *id = strrchr(r->name, '/');
    id = id ? id + 1 : r->name;
    char derr[160];
    if (dyad_doc_set(doc, id, r->default_date, "", "", r->buf, n, derr, sizeof derr)) {
        /* find the line of an invalid byte for the message */
        long line = 1;
        const char *p = strstr(derr, "at byte ");
        if (p) {
            size_t at = strtoull(p + 8, NULL, 10);
            for (size_t i = 0; i < at && i < n; i++)
                line += r->buf[i] == '\n';
        }
        snprintf(err, errlen, "%s:%ld: %s", r->name, line, derr);
        return -1;
    }
    return 1;
}

int reader_next(doc_reader *r, dyad_doc *doc, char *err, size_t errlen)
{
    if (r->done)
        return 0;
    return r->format == READ_JSONL ? read_jsonl(r, doc, err, errlen)
                                   : read_text(r, doc, err, errlen);
}
