/*
 * evjson.c - reads dyad's JSON Lines event output back into store_event
 * records, for `dyad ingest --events` (bulk loading pre-coded events).
 *
 * The reader is strict where a wrong value would corrupt analysis (dates,
 * CAMEO codes, quad classes, Goldstein range, span offsets) and lenient where
 * other producers may lack a field: "root", "quad" and "goldstein" default
 * to the CAMEO table's values for the code, spans and rules to empty,
 * "modality" to asserted, "sent" to 0.  Strings are borrowed from the parsed
 * JSON, which the caller keeps until the event is stored.
 */
#include "store/evjson.h"
#include "core/doc.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

static const char *const MODALITIES[] = {"asserted", "reported", "intended", "hypothetical",
                                         "negated"};

static const char *const ROOTS[] = {"00", "01", "02", "03", "04", "05", "06",
                                    "07", "08", "09", "10", "11", "12", "13",
                                    "14", "15", "16", "17", "18", "19", "20"};

static int bad(char *err, size_t errlen, const char *fmt, const char *field)
{
    snprintf(err, errlen, fmt, field);
    return -1;
}

/* A string field: NULL when absent or null, "" kept; *wrong when not a string. */
static const char *opt_str(json_t *o, const char *key, size_t *len, int *wrong)
{
    json_t *v = json_object_get(o, key);
    if (!v || json_is_null(v)) {
        if (len)
            *len = 0;
        return NULL;
    }
    if (!json_is_string(v)) {
        *wrong = 1;
        return NULL;
    }
    if (len)
        *len = json_string_length(v);
    return json_string_value(v);
}

static int span_field(json_t *o, const char *key, store_span *sp, char *err, size_t errlen)
{
    memset(sp, 0, sizeof *sp);
    sp->text = "";
    json_t *v = json_object_get(o, key);
    if (!v || json_is_null(v))
        return 0;
    if (!json_is_object(v))
        return bad(err, errlen, "field \"%s\" must be an object {\"text\",\"start\",\"end\"}", key);
    int wrong = 0;
    const char *t = opt_str(v, "text", &sp->len, &wrong);
    if (wrong)
        return bad(err, errlen, "field \"%s.text\" must be a string", key);
    sp->text = t ? t : "";
    json_t *a = json_object_get(v, "start"), *b = json_object_get(v, "end");
    if (!a && !b)
        return 0;
    if (!json_is_integer(a) || !json_is_integer(b) || json_integer_value(a) < 0 ||
        json_integer_value(b) < json_integer_value(a) || json_integer_value(b) > UINT32_MAX)
        return bad(err, errlen, "field \"%s\" needs integer offsets 0 <= start <= end", key);
    sp->start = (uint32_t)json_integer_value(a);
    sp->end = (uint32_t)json_integer_value(b);
    return 0;
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

int evjson_parse(const char *line, size_t len, store_event *e, json_t **keep, char *err,
                 size_t errlen)
{
    memset(e, 0, sizeof *e);
    *keep = NULL;
    json_error_t je;
    json_t *o = json_loadb(line, len, JSON_REJECT_DUPLICATES, &je);
    if (!o) {
        snprintf(err, errlen, "malformed JSON at column %d: %s", je.column, je.text);
        return -1;
    }
    if (!json_is_object(o)) {
        json_decref(o);
        return bad(err, errlen, "expected a dyad event object {\"doc\", \"date\", \"code\", ...}%s",
                   "");
    }
    int wrong = 0;
    e->doc = opt_str(o, "doc", NULL, &wrong);
    if (wrong || !e->doc || !*e->doc) {
        bad(err, errlen, "field \"%s\" (the document id) must be a non-empty string", "doc");
        goto fail;
    }
    e->date = opt_str(o, "date", NULL, &wrong);
    if (wrong || !e->date || !date_parse(e->date, strlen(e->date))) {
        bad(err, errlen, "field \"%s\" must be a YYYY-MM-DD date", "date");
        goto fail;
    }
    e->event_date = opt_str(o, "event_date", NULL, &wrong);
    if (wrong || (e->event_date && !date_parse(e->event_date, strlen(e->event_date)))) {
        bad(err, errlen, "field \"%s\" must be a YYYY-MM-DD date", "event_date");
        goto fail;
    }
    e->date_precision = opt_str(o, "date_precision", NULL, &wrong);
    if (wrong || (e->date_precision && strcmp(e->date_precision, "day") != 0 &&
                  strcmp(e->date_precision, "week") != 0 &&
                  strcmp(e->date_precision, "month") != 0 &&
                  strcmp(e->date_precision, "year") != 0)) {
        bad(err, errlen, "field \"%s\" must be day, week, month or year", "date_precision");
        goto fail;
    }
    if (!e->event_date)
        e->event_date = e->date;
    if (!e->date_precision)
        e->date_precision = "day";
    json_t *sent = json_object_get(o, "sent");
    if (sent && (!json_is_integer(sent) || json_integer_value(sent) < 0 ||
                 json_integer_value(sent) > UINT32_MAX)) {
        bad(err, errlen, "field \"%s\" must be a sentence index >= 0", "sent");
        goto fail;
    }
    e->sent = sent ? (uint32_t)json_integer_value(sent) : 0;
    e->source = opt_str(o, "source", NULL, &wrong);
    e->target = opt_str(o, "target", NULL, &wrong);
    e->plover = opt_str(o, "plover", NULL, &wrong);
    e->modality = opt_str(o, "modality", NULL, &wrong);
    e->sentence = opt_str(o, "sentence", &e->sentence_len, &wrong);
    if (wrong) {
        bad(err, errlen, "fields \"source\", \"target\", \"plover\", \"modality\" and "
                         "\"sentence\" must be strings%s", "");
        goto fail;
    }
    e->code = opt_str(o, "code", NULL, &wrong);
    if (wrong || !e->code || !is_code(e->code)) {
        bad(err, errlen, "field \"%s\" must be a CAMEO event code of 2 to 4 digits", "code");
        goto fail;
    }
    const dyad_cameo *cameo = dyad_cameo_lookup(e->code);
    e->root = opt_str(o, "root", NULL, &wrong);
    if (wrong || (e->root && (strlen(e->root) != 2 || strncmp(e->root, e->code, 2) != 0))) {
        bad(err, errlen, "field \"%s\" must be the first two digits of \"code\"", "root");
        goto fail;
    }
    int root_no = (e->code[0] - '0') * 10 + (e->code[1] - '0');
    if (root_no < 1 || root_no > 20) {
        bad(err, errlen, "field \"%s\" must start with a CAMEO root 01..20", "code");
        goto fail;
    }
    if (!e->root)
        e->root = ROOTS[root_no];
    json_t *quad = json_object_get(o, "quad");
    if (quad) {
        if (!json_is_integer(quad) || json_integer_value(quad) < 1 || json_integer_value(quad) > 4) {
            bad(err, errlen, "field \"%s\" must be a quad class 1..4", "quad");
            goto fail;
        }
        e->quad = (int)json_integer_value(quad);
    } else if (cameo) {
        e->quad = cameo->quad;
    } else {
        bad(err, errlen, "field \"%s\" is missing and the code is not in the CAMEO table", "quad");
        goto fail;
    }
    json_t *gs = json_object_get(o, "goldstein");
    if (gs) {
        if (!json_is_number(gs) || !isfinite(json_number_value(gs)) ||
            fabs(json_number_value(gs)) > 10.0) {
            bad(err, errlen, "field \"%s\" must be a number in -10..10", "goldstein");
            goto fail;
        }
        e->goldstein = json_number_value(gs);
    } else if (cameo) {
        e->goldstein = cameo->goldstein;
    } else {
        bad(err, errlen, "field \"%s\" is missing and the code is not in the CAMEO table",
            "goldstein");
        goto fail;
    }
    if (e->modality) {
        int known = 0;
        for (size_t i = 0; i < sizeof MODALITIES / sizeof MODALITIES[0]; i++)
            known |= strcmp(e->modality, MODALITIES[i]) == 0;
        if (!known) {
            bad(err, errlen, "field \"%s\" must be asserted, reported, intended, hypothetical "
                             "or negated", "modality");
            goto fail;
        }
    } else {
        e->modality = "asserted";
    }
    if (span_field(o, "trigger", &e->trigger, err, errlen) ||
        span_field(o, "source_span", &e->source_span, err, errlen) ||
        span_field(o, "target_span", &e->target_span, err, errlen) ||
        span_field(o, "date_span", &e->date_span, err, errlen))
        goto fail;
    json_t *rules = json_object_get(o, "rules");
    if (rules && !json_is_null(rules)) {
        if (!json_is_object(rules)) {
            bad(err, errlen, "field \"%s\" must be an object {\"verb\",\"source\",\"target\"}",
                "rules");
            goto fail;
        }
        e->verb_rule = opt_str(rules, "verb", NULL, &wrong);
        e->source_rule = opt_str(rules, "source", NULL, &wrong);
        e->target_rule = opt_str(rules, "target", NULL, &wrong);
        if (wrong) {
            bad(err, errlen, "field \"%s\" must hold strings", "rules");
            goto fail;
        }
    }
    if (!e->source) e->source = "";
    if (!e->target) e->target = "";
    if (!e->plover) e->plover = "";
    if (!e->sentence) e->sentence = "";
    if (!e->verb_rule) e->verb_rule = "";
    if (!e->source_rule) e->source_rule = "";
    if (!e->target_rule) e->target_rule = "";
    if (strlen(e->source) > 64 || strlen(e->target) > 64) {
        bad(err, errlen, "actor codes are at most 64 characters%s", "");
        goto fail;
    }
    *keep = o;
    return 0;
fail:
    json_decref(o);
    memset(e, 0, sizeof *e);
    return -1;
}
