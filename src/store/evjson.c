/*
 * evjson.c - reads dyad's JSON Lines event output back into store_event
 * records, for `dyad ingest --events` (bulk loading pre-coded events).
 *
 * Why a parser of our own: bulk loading is the one place where JSON parsing
 * dominates (jansson built a DOM with a dozen allocations per event: 45% of
 * the load time).  Event lines are small, flat objects with four span
 * objects and one rules object, so this reader parses in place: strings are
 * unescaped into the line buffer itself (the result is never longer than the
 * escaped text) and NUL-terminated where their closing quote was, and the
 * store_event points into the line.  One allocation per line, by the caller.
 *
 * It is still a strict JSON reader: the whole line must be valid UTF-8,
 * control characters must be escaped, \u escapes must form valid code points
 * (surrogate pairs joined, \u0000 refused), numbers follow JSON's grammar,
 * unknown keys are skipped (nesting bounded), duplicate known keys are
 * refused, nothing may follow the object.
 *
 * Field rules: strict where a wrong value would corrupt analysis (dates,
 * CAMEO codes, quad classes, Goldstein range, span offsets); lenient where
 * other producers may lack a field: "root", "quad" and "goldstein" default
 * to the CAMEO table's values for the code, spans and rules to empty,
 * "modality" to asserted, "event_date" to "date", "sent" to 0, "mentions"
 * to 1, "plover_mode" to "" (as "plover": no mode is guessed from the
 * code); "quote" (the index of the quotation the event is in) is absent or
 * null when the event is in none.
 */
#include "store/evjson.h"
#include "core/doc.h"
#include "text/text.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SKIP_DEPTH_MAX 32

static const char *const MODALITIES[] = {"asserted", "reported", "intended", "hypothetical",
                                         "negated"};
static const char *const ROOTS[] = {"00", "01", "02", "03", "04", "05", "06",
                                    "07", "08", "09", "10", "11", "12", "13",
                                    "14", "15", "16", "17", "18", "19", "20"};

typedef struct parser {
    char *p, *start, *end;
    char *err;
    size_t errlen;
} parser;

static int fail(parser *ps, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static int fail(parser *ps, const char *fmt, ...)
{
    if (ps->err[0])
        return -1; /* keep the first message */
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(ps->err, ps->errlen, fmt, ap);
    va_end(ap);
    return -1;
}

static int syntax(parser *ps, const char *what)
{
    return fail(ps, "malformed JSON at column %ld: %s", (long)(ps->p - ps->start) + 1, what);
}

static void ws(parser *ps)
{
    while (ps->p < ps->end && (*ps->p == ' ' || *ps->p == '\t' || *ps->p == '\r' || *ps->p == '\n'))
        ps->p++;
}

static int hex4(const char *s, unsigned *out)
{
    unsigned v = 0;
    for (int i = 0; i < 4; i++) {
        char c = s[i];
        v <<= 4;
        if (c >= '0' && c <= '9')
            v |= (unsigned)(c - '0');
        else if (c >= 'a' && c <= 'f')
            v |= (unsigned)(c - 'a' + 10);
        else if (c >= 'A' && c <= 'F')
            v |= (unsigned)(c - 'A' + 10);
        else
            return -1;
    }
    *out = v;
    return 0;
}

/* Parses the string at ps->p (which is at '"'), unescaping it in place.
 * *out points at its first byte, NUL-terminated; *len is its length. */
static int string(parser *ps, char **out, size_t *len)
{
    if (ps->p >= ps->end || *ps->p != '"')
        return syntax(ps, "expected a string");
    char *r = ++ps->p, *w = r;
    *out = w;
    while (r < ps->end) {
        unsigned char c = (unsigned char)*r;
        if (c == '"') {
            *w = '\0';
            *len = (size_t)(w - *out);
            ps->p = r + 1;
            return 0;
        }
        if (c < 0x20) {
            ps->p = r;
            return syntax(ps, "control character in a string");
        }
        if (c != '\\') {
            *w++ = *r++;
            continue;
        }
        if (r + 1 >= ps->end) {
            ps->p = r;
            return syntax(ps, "unfinished escape");
        }
        char esc = r[1];
        r += 2;
        switch (esc) {
        case '"': *w++ = '"'; break;
        case '\\': *w++ = '\\'; break;
        case '/': *w++ = '/'; break;
        case 'b': *w++ = '\b'; break;
        case 'f': *w++ = '\f'; break;
        case 'n': *w++ = '\n'; break;
        case 'r': *w++ = '\r'; break;
        case 't': *w++ = '\t'; break;
        case 'u': {
            unsigned cp;
            if (r + 4 > ps->end || hex4(r, &cp)) {
                ps->p = r;
                return syntax(ps, "bad \\u escape");
            }
            r += 4;
            if (cp >= 0xD800 && cp <= 0xDBFF) {
                unsigned lo;
                if (r + 6 > ps->end || r[0] != '\\' || r[1] != 'u' || hex4(r + 2, &lo) ||
                    lo < 0xDC00 || lo > 0xDFFF) {
                    ps->p = r;
                    return syntax(ps, "unpaired surrogate in \\u escape");
                }
                r += 6;
                cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
            } else if (cp >= 0xDC00 && cp <= 0xDFFF) {
                ps->p = r;
                return syntax(ps, "unpaired surrogate in \\u escape");
            } else if (cp == 0) {
                ps->p = r;
                return syntax(ps, "\\u0000 is not allowed in text");
            }
            /* UTF-8 is never longer than its \u escape (6 or 12 bytes) */
            if (cp < 0x80) {
                *w++ = (char)cp;
            } else if (cp < 0x800) {
                *w++ = (char)(0xC0 | (cp >> 6));
                *w++ = (char)(0x80 | (cp & 0x3F));
            } else if (cp < 0x10000) {
                *w++ = (char)(0xE0 | (cp >> 12));
                *w++ = (char)(0x80 | ((cp >> 6) & 0x3F));
                *w++ = (char)(0x80 | (cp & 0x3F));
            } else {
                *w++ = (char)(0xF0 | (cp >> 18));
                *w++ = (char)(0x80 | ((cp >> 12) & 0x3F));
                *w++ = (char)(0x80 | ((cp >> 6) & 0x3F));
                *w++ = (char)(0x80 | (cp & 0x3F));
            }
            break;
        }
        default:
            ps->p = r - 1;
            return syntax(ps, "unknown escape");
        }
    }
    ps->p = r;
    return syntax(ps, "unterminated string");
}

/* A JSON number; *is_int when it has no fraction or exponent. */
static int number(parser *ps, double *v, int *is_int)
{
    char *s = ps->p, *q = s;
    if (q < ps->end && *q == '-')
        q++;
    if (q >= ps->end || *q < '0' || *q > '9')
        return syntax(ps, "expected a value");
    if (*q == '0')
        q++;
    else
        while (q < ps->end && *q >= '0' && *q <= '9')
            q++;
    *is_int = 1;
    if (q < ps->end && *q == '.') {
        *is_int = 0;
        q++;
        if (q >= ps->end || *q < '0' || *q > '9')
            return syntax(ps, "bad number");
        while (q < ps->end && *q >= '0' && *q <= '9')
            q++;
    }
    if (q < ps->end && (*q == 'e' || *q == 'E')) {
        *is_int = 0;
        q++;
        if (q < ps->end && (*q == '+' || *q == '-'))
            q++;
        if (q >= ps->end || *q < '0' || *q > '9')
            return syntax(ps, "bad number");
        while (q < ps->end && *q >= '0' && *q <= '9')
            q++;
    }
    if (q - s > 40)
        return syntax(ps, "number too long");
    char buf[48];
    memcpy(buf, s, (size_t)(q - s));
    buf[q - s] = '\0';
    *v = strtod(buf, NULL);
    ps->p = q;
    return 0;
}

static int literal(parser *ps, const char *word)
{
    size_t n = strlen(word);
    if ((size_t)(ps->end - ps->p) < n || memcmp(ps->p, word, n) != 0)
        return syntax(ps, "expected a value");
    ps->p += n;
    return 0;
}

/* Skips any value (unknown keys). */
static int skip(parser *ps, int depth)
{
    ws(ps);
    if (ps->p >= ps->end)
        return syntax(ps, "expected a value");
    if (depth > SKIP_DEPTH_MAX)
        return syntax(ps, "nested too deeply");
    char c = *ps->p;
    if (c == '"') {
        char *s;
        size_t n;
        return string(ps, &s, &n);
    }
    if (c == '{' || c == '[') {
        char close = c == '{' ? '}' : ']';
        ps->p++;
        ws(ps);
        if (ps->p < ps->end && *ps->p == close) {
            ps->p++;
            return 0;
        }
        for (;;) {
            if (c == '{') {
                char *k;
                size_t kn;
                ws(ps);
                if (string(ps, &k, &kn))
                    return -1;
                ws(ps);
                if (ps->p >= ps->end || *ps->p != ':')
                    return syntax(ps, "expected ':'");
                ps->p++;
            }
            if (skip(ps, depth + 1))
                return -1;
            ws(ps);
            if (ps->p < ps->end && *ps->p == ',') {
                ps->p++;
                continue;
            }
            if (ps->p < ps->end && *ps->p == close) {
                ps->p++;
                return 0;
            }
            return syntax(ps, c == '{' ? "expected ',' or '}'" : "expected ',' or ']'");
        }
    }
    if (c == 't')
        return literal(ps, "true");
    if (c == 'f')
        return literal(ps, "false");
    if (c == 'n')
        return literal(ps, "null");
    double v;
    int is_int;
    return number(ps, &v, &is_int);
}

/* The value kinds of known fields. */
enum { V_NULL, V_STRING, V_NUMBER, V_OBJECT, V_OTHER };

typedef struct value {
    int kind;
    char *s;
    size_t len;
    double num;
    int is_int;
} value;

/* Reads a scalar value (string, number or null); objects and arrays are
 * reported as V_OBJECT / V_OTHER with ps->p at their first character. */
static int scalar(parser *ps, value *v)
{
    ws(ps);
    memset(v, 0, sizeof *v);
    if (ps->p >= ps->end)
        return syntax(ps, "expected a value");
    char c = *ps->p;
    if (c == '"') {
        v->kind = V_STRING;
        return string(ps, &v->s, &v->len);
    }
    if (c == 'n') {
        v->kind = V_NULL;
        return literal(ps, "null");
    }
    if (c == '{') {
        v->kind = V_OBJECT;
        return 0;
    }
    if (c == '[' || c == 't' || c == 'f') {
        v->kind = V_OTHER;
        return skip(ps, 1);
    }
    v->kind = V_NUMBER;
    return number(ps, &v->num, &v->is_int);
}

/* Iterates the members of the object at ps->p: calls member() for each key
 * with ps->p at its value, which member() must consume. */
typedef int (*member_fn)(parser *ps, const char *key, void *arg);

static int object(parser *ps, member_fn member, void *arg)
{
    ws(ps);
    if (ps->p >= ps->end || *ps->p != '{')
        return syntax(ps, "expected '{'");
    ps->p++;
    ws(ps);
    if (ps->p < ps->end && *ps->p == '}') {
        ps->p++;
        return 0;
    }
    for (;;) {
        char *key;
        size_t kn;
        ws(ps);
        if (string(ps, &key, &kn))
            return -1;
        ws(ps);
        if (ps->p >= ps->end || *ps->p != ':')
            return syntax(ps, "expected ':'");
        ps->p++;
        if (member(ps, key, arg))
            return -1;
        ws(ps);
        if (ps->p < ps->end && *ps->p == ',') {
            ps->p++;
            continue;
        }
        if (ps->p < ps->end && *ps->p == '}') {
            ps->p++;
            return 0;
        }
        return syntax(ps, "expected ',' or '}'");
    }
}

/* Spans and rules ------------------------------------------------------------- */

typedef struct span_ctx {
    const char *field;
    store_span *sp;
    unsigned seen;
    int64_t start, end;
} span_ctx;

static int span_member(parser *ps, const char *key, void *arg)
{
    span_ctx *c = arg;
    int k = strcmp(key, "text") == 0 ? 0 : strcmp(key, "start") == 0 ? 1
                                        : strcmp(key, "end") == 0   ? 2
                                                                    : -1;
    if (k < 0)
        return skip(ps, 1);
    if (c->seen & (1u << k))
        return fail(ps, "field \"%s.%s\" appears twice", c->field, key);
    c->seen |= 1u << k;
    value v;
    if (scalar(ps, &v))
        return -1;
    if (k == 0) {
        if (v.kind == V_NULL)
            return 0;
        if (v.kind != V_STRING)
            return fail(ps, "field \"%s.text\" must be a string", c->field);
        c->sp->text = v.s;
        c->sp->len = v.len;
        return 0;
    }
    if (v.kind != V_NUMBER || !v.is_int || v.num < 0 || v.num > UINT32_MAX)
        return fail(ps, "field \"%s\" needs integer offsets 0 <= start <= end", c->field);
    *(k == 1 ? &c->start : &c->end) = (int64_t)v.num;
    return 0;
}

static int span_value(parser *ps, const char *field, store_span *sp)
{
    value v;
    char *save = ps->p;
    if (scalar(ps, &v))
        return -1;
    memset(sp, 0, sizeof *sp);
    sp->text = "";
    if (v.kind == V_NULL)
        return 0;
    if (v.kind != V_OBJECT) {
        ps->p = save;
        return fail(ps, "field \"%s\" must be an object {\"text\",\"start\",\"end\"}", field);
    }
    span_ctx c = {field, sp, 0, 0, 0};
    if (object(ps, span_member, &c))
        return -1;
    int has_start = (c.seen & 2) != 0, has_end = (c.seen & 4) != 0;
    if (has_start != has_end || c.end < c.start)
        return fail(ps, "field \"%s\" needs integer offsets 0 <= start <= end", field);
    sp->start = (uint32_t)c.start;
    sp->end = (uint32_t)c.end;
    return 0;
}

typedef struct rules_ctx {
    store_event *e;
    unsigned seen;
} rules_ctx;

static int rules_member(parser *ps, const char *key, void *arg)
{
    rules_ctx *c = arg;
    const char **slot = strcmp(key, "verb") == 0     ? &c->e->verb_rule
                        : strcmp(key, "source") == 0 ? &c->e->source_rule
                        : strcmp(key, "target") == 0 ? &c->e->target_rule
                                                     : NULL;
    if (!slot)
        return skip(ps, 1);
    unsigned bit = slot == &c->e->verb_rule ? 1u : slot == &c->e->source_rule ? 2u : 4u;
    if (c->seen & bit)
        return fail(ps, "field \"rules.%s\" appears twice", key);
    c->seen |= bit;
    value v;
    if (scalar(ps, &v))
        return -1;
    if (v.kind == V_NULL)
        return 0;
    if (v.kind != V_STRING)
        return fail(ps, "field \"rules\" must hold strings");
    *slot = v.s;
    return 0;
}

/* The event ------------------------------------------------------------------- */

enum {
    F_DOC, F_SENT, F_DATE, F_EVENT_DATE, F_PRECISION, F_SOURCE, F_TARGET, F_CODE, F_ROOT,
    F_QUAD, F_GOLDSTEIN, F_PLOVER, F_MODALITY, F_TRIGGER, F_SOURCE_SPAN, F_TARGET_SPAN,
    F_DATE_SPAN, F_RULES, F_SENTENCE, F_MENTIONS, F_QUOTE, F_PLOVER_MODE, F_COUNT
};

static const char *const FIELDS[F_COUNT] = {
    "doc", "sent", "date", "event_date", "date_precision", "source", "target", "code", "root",
    "quad", "goldstein", "plover", "modality", "trigger", "source_span", "target_span",
    "date_span", "rules", "sentence", "mentions", "quote", "plover_mode"};

typedef struct event_ctx {
    store_event *e;
    unsigned long seen;
    int64_t sent;
    int quad;       /* 0: absent */
    int has_goldstein;
} event_ctx;

static int string_field(parser *ps, const char *key, const char **out, size_t *len)
{
    value v;
    if (scalar(ps, &v))
        return -1;
    if (v.kind == V_NULL)
        return 0;
    if (v.kind != V_STRING)
        return fail(ps, "field \"%s\" must be a string", key);
    *out = v.s;
    if (len)
        *len = v.len;
    return 0;
}

static int event_member(parser *ps, const char *key, void *arg)
{
    event_ctx *c = arg;
    int f;
    for (f = 0; f < F_COUNT; f++)
        if (strcmp(key, FIELDS[f]) == 0)
            break;
    if (f == F_COUNT)
        return skip(ps, 1);
    if (c->seen & (1ul << f))
        return fail(ps, "field \"%s\" appears twice", key);
    c->seen |= 1ul << f;
    store_event *e = c->e;
    value v;
    switch (f) {
    case F_DOC: return string_field(ps, key, &e->doc, NULL);
    case F_DATE: return string_field(ps, key, &e->date, NULL);
    case F_EVENT_DATE: return string_field(ps, key, &e->event_date, NULL);
    case F_PRECISION: return string_field(ps, key, &e->date_precision, NULL);
    case F_SOURCE: return string_field(ps, key, &e->source, NULL);
    case F_TARGET: return string_field(ps, key, &e->target, NULL);
    case F_CODE: return string_field(ps, key, &e->code, NULL);
    case F_ROOT: return string_field(ps, key, &e->root, NULL);
    case F_PLOVER: return string_field(ps, key, &e->plover, NULL);
    case F_PLOVER_MODE: return string_field(ps, key, &e->plover_mode, NULL);
    case F_MODALITY: return string_field(ps, key, &e->modality, NULL);
    case F_SENTENCE: return string_field(ps, key, &e->sentence, &e->sentence_len);
    case F_TRIGGER: return span_value(ps, key, &e->trigger);
    case F_SOURCE_SPAN: return span_value(ps, key, &e->source_span);
    case F_TARGET_SPAN: return span_value(ps, key, &e->target_span);
    case F_DATE_SPAN: return span_value(ps, key, &e->date_span);
    case F_RULES: {
        char *save = ps->p;
        if (scalar(ps, &v))
            return -1;
        if (v.kind == V_NULL)
            return 0;
        if (v.kind != V_OBJECT) {
            ps->p = save;
            return fail(ps, "field \"rules\" must be an object {\"verb\",\"source\",\"target\"}");
        }
        rules_ctx rc = {e, 0};
        return object(ps, rules_member, &rc);
    }
    case F_SENT:
        if (scalar(ps, &v))
            return -1;
        if (v.kind != V_NUMBER || !v.is_int || v.num < 0 || v.num > UINT32_MAX)
            return fail(ps, "field \"sent\" must be a sentence index >= 0");
        c->sent = (int64_t)v.num;
        return 0;
    case F_MENTIONS:
        if (scalar(ps, &v))
            return -1;
        if (v.kind == V_NULL)
            return 0;
        if (v.kind != V_NUMBER || !v.is_int || v.num < 1 || v.num > UINT32_MAX)
            return fail(ps, "field \"mentions\" must be a count >= 1");
        e->mentions = (uint32_t)v.num;
        return 0;
    case F_QUOTE:
        if (scalar(ps, &v))
            return -1;
        if (v.kind == V_NULL)
            return 0;
        if (v.kind != V_NUMBER || !v.is_int || v.num < 0 || v.num > INT32_MAX)
            return fail(ps, "field \"quote\" must be a quotation index >= 0 (or null)");
        e->quote = (uint32_t)v.num;
        e->has_quote = 1;
        return 0;
    case F_QUAD:
        if (scalar(ps, &v))
            return -1;
        if (v.kind != V_NUMBER || !v.is_int || v.num < 1 || v.num > 4)
            return fail(ps, "field \"quad\" must be a quad class 1..4");
        c->quad = (int)v.num;
        return 0;
    default: /* F_GOLDSTEIN */
        if (scalar(ps, &v))
            return -1;
        if (v.kind != V_NUMBER || !isfinite(v.num) || fabs(v.num) > 10.0)
            return fail(ps, "field \"goldstein\" must be a number in -10..10");
        e->goldstein = v.num;
        c->has_goldstein = 1;
        return 0;
    }
}

static int is_code(const char *s)
{
    size_t n = strlen(s);
    if (n < 2 || n > 4)
        return 0;
    for (size_t i = 0; i < n; i++)
        if (s[i] < '0' || s[i] > '9')
            return 0;
    return 1;
}

int evjson_parse(char *line, size_t len, store_event *e, char *err, size_t errlen)
{
    memset(e, 0, sizeof *e);
    err[0] = '\0';
    size_t bad = utf8_invalid_at(line, len);
    if (bad < len || memchr(line, '\0', len)) {
        snprintf(err, errlen, "malformed JSON at column %zu: invalid UTF-8 or a NUL byte",
                 bad < len ? bad + 1 : (size_t)((char *)memchr(line, '\0', len) - line) + 1);
        return -1;
    }
    parser ps = {line, line, line + len, err, errlen};
    event_ctx c = {e, 0, 0, 0, 0};
    ws(&ps);
    if (ps.p >= ps.end || *ps.p != '{') {
        syntax(&ps, "expected a dyad event object {\"doc\", \"date\", \"code\", ...}");
        goto fail;
    }
    if (object(&ps, event_member, &c))
        goto fail;
    ws(&ps);
    if (ps.p != ps.end) {
        syntax(&ps, "text after the object");
        goto fail;
    }
    if (!e->doc || !*e->doc) {
        fail(&ps, "field \"doc\" (the document id) must be a non-empty string");
        goto fail;
    }
    if (!e->date || !date_parse(e->date, strlen(e->date))) {
        fail(&ps, "field \"date\" must be a YYYY-MM-DD date");
        goto fail;
    }
    if (e->event_date && !date_parse(e->event_date, strlen(e->event_date))) {
        fail(&ps, "field \"event_date\" must be a YYYY-MM-DD date");
        goto fail;
    }
    if (e->date_precision && strcmp(e->date_precision, "day") != 0 &&
        strcmp(e->date_precision, "week") != 0 && strcmp(e->date_precision, "month") != 0 &&
        strcmp(e->date_precision, "year") != 0) {
        fail(&ps, "field \"date_precision\" must be day, week, month or year");
        goto fail;
    }
    if (!e->code || !is_code(e->code)) {
        fail(&ps, "field \"code\" must be a CAMEO event code of 2 to 4 digits");
        goto fail;
    }
    int root_no = (e->code[0] - '0') * 10 + (e->code[1] - '0');
    if (root_no < 1 || root_no > 20) {
        fail(&ps, "field \"code\" must start with a CAMEO root 01..20");
        goto fail;
    }
    if (e->root && (strlen(e->root) != 2 || strncmp(e->root, e->code, 2) != 0)) {
        fail(&ps, "field \"root\" must be the first two digits of \"code\"");
        goto fail;
    }
    const dyad_cameo *cameo = dyad_cameo_lookup(e->code);
    if (!c.quad && !cameo) {
        fail(&ps, "field \"quad\" is missing and the code is not in the CAMEO table");
        goto fail;
    }
    if (!c.has_goldstein && !cameo) {
        fail(&ps, "field \"goldstein\" is missing and the code is not in the CAMEO table");
        goto fail;
    }
    if (e->modality) {
        int known = 0;
        for (size_t i = 0; i < sizeof MODALITIES / sizeof MODALITIES[0]; i++)
            known |= strcmp(e->modality, MODALITIES[i]) == 0;
        if (!known) {
            fail(&ps, "field \"modality\" must be asserted, reported, intended, hypothetical "
                      "or negated");
            goto fail;
        }
    }
    if ((e->source && strlen(e->source) > 64) || (e->target && strlen(e->target) > 64)) {
        fail(&ps, "actor codes are at most 64 characters");
        goto fail;
    }
    e->sent = (uint32_t)c.sent;
    e->quad = c.quad ? c.quad : cameo->quad;
    if (!c.has_goldstein)
        e->goldstein = cameo->goldstein;
    if (!e->root)
        e->root = ROOTS[root_no];
    if (!e->event_date)
        e->event_date = e->date;
    if (!e->date_precision)
        e->date_precision = "day";
    if (!e->modality)
        e->modality = "asserted";
    if (!e->mentions)
        e->mentions = 1;
    if (!e->source) e->source = "";
    if (!e->target) e->target = "";
    if (!e->plover) e->plover = "";
    if (!e->plover_mode) e->plover_mode = "";
    if (!e->sentence) e->sentence = "";
    if (!e->verb_rule) e->verb_rule = "";
    if (!e->source_rule) e->source_rule = "";
    if (!e->target_rule) e->target_rule = "";
    store_span *spans[4] = {&e->trigger, &e->source_span, &e->target_span, &e->date_span};
    for (int i = 0; i < 4; i++)
        if (!spans[i]->text)
            spans[i]->text = "";
    return 0;
fail:
    memset(e, 0, sizeof *e);
    return -1;
}
