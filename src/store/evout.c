/*
 * evout.c - stored events as JSON Lines, CSV, TSV, GDELT 2.0 and Phoenix
 * (see evout.h).
 *
 * GDELT and Phoenix carry fields dyad does not produce (geography, tone,
 * issues, counts across sources); those cells are left empty, or 1 for
 * NumSources/NumArticles (one document saw the event).  NumMentions is the
 * event's mentions (how often its article states it).
 * Choices where the formats leave room:
 *  - GLOBALEVENTID and the Phoenix EventID counter are the store's event id;
 *  - DATEADDED is when the document was stored (UTC); SOURCEURL is the
 *    document id, the citation dyad has;
 *  - IsRootEvent is 1 for events of the document's first sentence;
 *  - the Phoenix SentenceID is doc_N with N the 1-based sentence number, as
 *    PETRARCH numbers sentences; Phoenix's one-a-day filter is not applied.
 * The actor-code split uses the CAMEO code element lists (role, religion,
 * international codes) of ../shared/reference/cameo-actor-codes.tsv; any
 * other leading 3-letter chunk is taken as a country or region code.
 */
#include "store/evout.h"
#include "out/writer.h"

#include <string.h>
#include <time.h>

int evout_parse(const char *name)
{
    static const char *const names[] = {"jsonl", "csv", "tsv", "gdelt", "phoenix"};
    for (int i = 0; i < 5; i++)
        if (strcmp(name, names[i]) == 0)
            return i;
    if (strcmp(name, "json") == 0)
        return EVOUT_JSONL;
    return -1;
}

/* JSON (identical to src/out/writer.c) -------------------------------------- */

static void json_str(FILE *f, const char *s) { write_json_string(f, s, strlen(s)); }

/* A hand-made event without a count was stated once (the store keeps 1). */
static unsigned mentions_of(const store_event *e) { return e->mentions ? e->mentions : 1; }

/* A hand-made event without a PLOVER mode has none. */
static const char *mode_of(const store_event *e) { return e->plover_mode ? e->plover_mode : ""; }

static void json_span(FILE *f, const store_span *sp)
{
    fputs("{\"text\":", f);
    write_json_string(f, sp->text, sp->len);
    fprintf(f, ",\"start\":%u,\"end\":%u}", sp->start, sp->end);
}

void evout_json(FILE *f, const store_event *e)
{
    fputs("{\"doc\":", f);
    json_str(f, e->doc);
    fprintf(f, ",\"sent\":%u,\"date\":", e->sent);
    json_str(f, e->date);
    fputs(",\"event_date\":", f);
    json_str(f, e->event_date);
    fputs(",\"date_precision\":", f);
    json_str(f, e->date_precision);
    fputs(",\"source\":", f);
    json_str(f, e->source);
    fputs(",\"target\":", f);
    json_str(f, e->target);
    fputs(",\"code\":", f);
    json_str(f, e->code);
    fputs(",\"root\":", f);
    json_str(f, e->root);
    fprintf(f, ",\"quad\":%d,\"goldstein\":%.1f,\"plover\":", e->quad, e->goldstein);
    json_str(f, e->plover);
    fputs(",\"plover_mode\":", f);
    json_str(f, mode_of(e));
    fputs(",\"modality\":", f);
    json_str(f, e->modality);
    fprintf(f, ",\"mentions\":%u", mentions_of(e));
    if (e->has_quote)
        fprintf(f, ",\"quote\":%u", e->quote);
    fputs(",\"trigger\":", f);
    json_span(f, &e->trigger);
    fputs(",\"source_span\":", f);
    json_span(f, &e->source_span);
    fputs(",\"target_span\":", f);
    json_span(f, &e->target_span);
    if (e->date_span.end > e->date_span.start) {
        fputs(",\"date_span\":", f);
        json_span(f, &e->date_span);
    }
    fputs(",\"rules\":{\"verb\":", f);
    json_str(f, e->verb_rule);
    fputs(",\"source\":", f);
    json_str(f, e->source_rule);
    fputs(",\"target\":", f);
    json_str(f, e->target_rule);
    fputs("},\"sentence\":", f);
    write_json_string(f, e->sentence, e->sentence_len);
    putc('}', f);
}

static void write_jsonl(FILE *f, const store_event *e)
{
    evout_json(f, e);
    putc('\n', f);
}

/* As src/out/writer.c's write_quotes(): the speaker's span, cue and rule only
 * when the quotation is attributed. */
void evout_quote_json(FILE *f, const store_quote *q)
{
    fputs("{\"doc\":", f);
    json_str(f, q->doc);
    fprintf(f, ",\"quote\":%u,\"date\":", q->quote);
    json_str(f, q->date);
    fprintf(f, ",\"sent_first\":%u,\"sent_last\":%u,\"speaker\":", q->sent_first, q->sent_last);
    json_str(f, q->speaker);
    if (q->speaker_span.end > q->speaker_span.start) {
        fputs(",\"speaker_span\":", f);
        json_span(f, &q->speaker_span);
        fputs(",\"cue\":", f);
        json_span(f, &q->cue);
        fputs(",\"speaker_rule\":", f);
        json_str(f, q->speaker_rule);
    }
    fputs(",\"text\":", f);
    json_span(f, &q->text);
    fputs("}\n", f);
}

/* Delimited cells ------------------------------------------------------------ */

/* TSV: tabs and line breaks become spaces (as src/out/writer.c does). */
static void tsv_cell(FILE *f, const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        putc(c == '\t' || c == '\n' || c == '\r' ? ' ' : c, f);
    }
}

static void tsv(FILE *f, const char *s) { tsv_cell(f, s, strlen(s)); }

/* CSV (RFC 4180): quoted when it holds a comma, quote or line break. */
static void csv_cell(FILE *f, const char *s, size_t n)
{
    int quote = 0;
    for (size_t i = 0; i < n && !quote; i++)
        quote = s[i] == ',' || s[i] == '"' || s[i] == '\n' || s[i] == '\r';
    if (!quote) {
        fwrite(s, 1, n, f);
        return;
    }
    putc('"', f);
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '"')
            putc('"', f);
        putc(s[i], f);
    }
    putc('"', f);
}

static void csv(FILE *f, const char *s) { csv_cell(f, s, strlen(s)); }

static const char TSV_HEADER[] =
    "doc\tsent\tdate\tevent_date\tdate_precision\tsource\ttarget\tcode\troot\tquad\t"
    "goldstein\tplover\tplover_mode\tmodality\tmentions\tquote\ttrigger\ttrigger_start\t"
    "trigger_end\t"
    "source_text\ttarget_text\tverb_rule\tsentence\n";

static const char CSV_HEADER[] =
    "id,doc,sent,date,event_date,date_precision,source,target,code,root,quad,goldstein,plover,"
    "plover_mode,modality,mentions,quote,trigger,trigger_start,trigger_end,source_text,"
    "source_start,source_end,target_text,target_start,target_end,date_text,date_start,date_end,"
    "verb_rule,source_rule,target_rule,sentence\n";

void evout_header(FILE *f, int format)
{
    if (format == EVOUT_TSV)
        fputs(TSV_HEADER, f);
    else if (format == EVOUT_CSV)
        fputs(CSV_HEADER, f);
}

static void write_tsv(FILE *f, const store_event *e)
{
    tsv(f, e->doc);
    fprintf(f, "\t%u\t%s\t%s\t", e->sent, e->date, e->event_date);
    tsv(f, e->date_precision);
    putc('\t', f);
    tsv(f, e->source);
    putc('\t', f);
    tsv(f, e->target);
    fprintf(f, "\t%s\t%s\t%d\t%.1f\t", e->code, e->root, e->quad, e->goldstein);
    tsv(f, e->plover);
    putc('\t', f);
    tsv(f, mode_of(e));
    putc('\t', f);
    tsv(f, e->modality);
    fprintf(f, "\t%u\t", mentions_of(e));
    if (e->has_quote)
        fprintf(f, "%u", e->quote);
    putc('\t', f);
    tsv_cell(f, e->trigger.text, e->trigger.len);
    fprintf(f, "\t%u\t%u\t", e->trigger.start, e->trigger.end);
    tsv_cell(f, e->source_span.text, e->source_span.len);
    putc('\t', f);
    tsv_cell(f, e->target_span.text, e->target_span.len);
    putc('\t', f);
    tsv(f, e->verb_rule);
    putc('\t', f);
    tsv_cell(f, e->sentence, e->sentence_len);
    putc('\n', f);
}

static void write_csv(FILE *f, const store_event *e)
{
    fprintf(f, "%lld,", (long long)e->id);
    csv(f, e->doc);
    fprintf(f, ",%u,%s,%s,", e->sent, e->date, e->event_date);
    csv(f, e->date_precision);
    putc(',', f);
    csv(f, e->source);
    putc(',', f);
    csv(f, e->target);
    fprintf(f, ",%s,%s,%d,%.1f,", e->code, e->root, e->quad, e->goldstein);
    csv(f, e->plover);
    putc(',', f);
    csv(f, mode_of(e));
    putc(',', f);
    csv(f, e->modality);
    fprintf(f, ",%u,", mentions_of(e));
    if (e->has_quote)
        fprintf(f, "%u", e->quote);
    const store_span *sp[4] = {&e->trigger, &e->source_span, &e->target_span, &e->date_span};
    for (int k = 0; k < 4; k++) {
        putc(',', f);
        csv_cell(f, sp[k]->text, sp[k]->len);
        fprintf(f, ",%u,%u", sp[k]->start, sp[k]->end);
    }
    putc(',', f);
    csv(f, e->verb_rule);
    putc(',', f);
    csv(f, e->source_rule);
    putc(',', f);
    csv(f, e->target_rule);
    putc(',', f);
    csv_cell(f, e->sentence, e->sentence_len);
    putc('\n', f);
}

/* Actor codes ---------------------------------------------------------------- */

static int in_list(const char *chunk, const char *list)
{
    /* list: space-separated 3-letter codes */
    for (const char *p = list; *p; p += 4) {
        if (strncmp(p, chunk, 3) == 0)
            return 1;
        if (!p[3])
            break;
    }
    return 0;
}

static const char ROLES[] = "GOV MIL COP JUD OPP REB INS SEP SPY UAF PTY AGR BUS CRM CVL DEV "
                            "EDU ELI ENV HLH HRI LAB LEG MED REF MOD RAD REL PPL SET";
static const char RELIGIONS[] = "ATH BAH BUD CHR CON HIN JAN JEW MOS MUS SHN SIK TAO ABR ADR "
                                "EAR INR IRR ITR NRM";
static const char INTERNATIONAL[] = "IGO IMG NGO NGM MNC INT UIS";
static const char PHOENIX_ENTITY_INTL[] = "IGO NGO IMG MNC";
static const char PHOENIX_ROLES[] = "GOV MIL REB OPP PTY COP JUD SPY MED EDU BUS CRM CVL";

void evout_actor_parts(const char *code, actor_parts *p)
{
    memset(p, 0, sizeof *p);
    size_t n = strlen(code);
    char chunks[22][4];
    size_t nchunks = 0;
    for (size_t i = 0; i < n && nchunks < 22; i += 3) {
        snprintf(chunks[nchunks], 4, "%.3s", code + i);
        nchunks++;
    }
    if (!nchunks)
        return;
    int used[22] = {0};
    const char *first = chunks[0];
    size_t ntypes = 0, nrel = 0;
    if (strlen(first) == 3 && strcmp(first, "---") != 0 && !in_list(first, ROLES) &&
        !in_list(first, RELIGIONS)) {
        if (in_list(first, INTERNATIONAL)) {
            if (in_list(first, PHOENIX_ENTITY_INTL)) {
                memcpy(p->entity, first, 4);
                used[0] = 1;
            }
            if (nchunks > 1 && !in_list(chunks[1], ROLES) && !in_list(chunks[1], RELIGIONS))
                memcpy(p->group, chunks[1], 4);
        } else {
            memcpy(p->country, first, 4);
            memcpy(p->entity, first, 4);
            used[0] = 1;
        }
    }
    if (strcmp(first, "---") == 0)
        used[0] = 1;
    if (nchunks > 1 && in_list(chunks[1], PHOENIX_ROLES)) {
        memcpy(p->role, chunks[1], 4);
        used[1] = 1;
    }
    for (size_t i = 0; i < nchunks; i++) {
        if (in_list(chunks[i], ROLES) && ntypes < 3)
            memcpy(p->types[ntypes++], chunks[i], 4);
        else if (in_list(chunks[i], RELIGIONS) && nrel < 2)
            memcpy(p->religions[nrel++], chunks[i], 4);
    }
    size_t k = 0;
    for (size_t i = 0; i < nchunks; i++) {
        if (used[i])
            continue;
        int w = snprintf(p->attributes + k, sizeof p->attributes - k, "%s%s", k ? ";" : "",
                         chunks[i]);
        if (w < 0 || (size_t)w >= sizeof p->attributes - k)
            break;
        k += (size_t)w;
    }
}

int evout_phoenix_quad(const char *root)
{
    int r = (root[0] - '0') * 10 + (root[1] - '0');
    if (r <= 2)
        return 0;
    if (r <= 5)
        return 1;
    if (r <= 8)
        return 2;
    if (r <= 13 || r == 16)
        return 3;
    return 4;
}

/* GDELT 2.0 and Phoenix ---------------------------------------------------------- */

static void date_parts(const char *date, char ymd[9], int *y, int *m, int *d)
{
    /* stored dates are validated YYYY-MM-DD */
    snprintf(ymd, 9, "%.4s%.2s%.2s", date, date + 5, date + 8);
    *y = (date[0] - '0') * 1000 + (date[1] - '0') * 100 + (date[2] - '0') * 10 + (date[3] - '0');
    *m = (date[5] - '0') * 10 + (date[6] - '0');
    *d = (date[8] - '0') * 10 + (date[9] - '0');
}

static void gdelt_actor(FILE *f, const char *code, const store_span *name)
{
    actor_parts p;
    evout_actor_parts(code, &p);
    tsv(f, code);
    putc('\t', f);
    tsv_cell(f, name->text, name->len);
    fprintf(f, "\t%s\t%s\t\t%s\t%s\t%s\t%s\t%s\t", p.country, p.group, p.religions[0],
            p.religions[1], p.types[0], p.types[1], p.types[2]);
}

static void write_gdelt(FILE *f, const store_event *e)
{
    char ymd[9];
    int y, m, d;
    date_parts(e->event_date && *e->event_date ? e->event_date : e->date, ymd, &y, &m, &d);
    /* 0-4: id, Day, MonthYear, Year, FractionDate */
    fprintf(f, "%lld\t%s\t%.6s\t%d\t%.4f\t", (long long)e->id, ymd, ymd, y,
            y + (m * 30 + d) / 365.0);
    gdelt_actor(f, e->source, &e->source_span); /* 5-14 */
    gdelt_actor(f, e->target, &e->target_span); /* 15-24 */
    char base[4];
    snprintf(base, sizeof base, "%.3s", e->code);
    /* 25-34: IsRootEvent, EventCode, EventBaseCode, EventRootCode, QuadClass,
     * GoldsteinScale, NumMentions, NumSources, NumArticles, AvgTone */
    fprintf(f, "%d\t%s\t%s\t%s\t%d\t%.1f\t%u\t1\t1\t", e->sent == 0, e->code, base, e->root,
            e->quad, e->goldstein, mentions_of(e));
    /* 34 AvgTone and 35-58, three geographies of 8 fields: unknown to dyad */
    for (int i = 0; i < 25; i++)
        putc('\t', f);
    /* 59 DATEADDED, 60 SOURCEURL */
    time_t t = (time_t)e->ingested;
    struct tm tm;
    char added[16] = "";
    if (gmtime_r(&t, &tm))
        strftime(added, sizeof added, "%Y%m%d%H%M%S", &tm);
    fprintf(f, "%s\t", added);
    tsv(f, e->doc);
    putc('\n', f);
}

static void phoenix_actor(FILE *f, const char *code)
{
    actor_parts p;
    evout_actor_parts(code, &p);
    tsv(f, code);
    fprintf(f, "\t%s\t%s\t%s\t", p.entity, p.role, p.attributes);
}

static void write_phoenix(FILE *f, const store_event *e)
{
    char ymd[9];
    int y, m, d;
    date_parts(e->date, ymd, &y, &m, &d);
    fprintf(f, "%lld_%s\t%s\t%d\t%02d\t%02d\t", (long long)e->id, DYAD_VERSION, ymd, y, m, d);
    phoenix_actor(f, e->source); /* 6-9 */
    phoenix_actor(f, e->target); /* 10-13 */
    /* 14-17 code, root, Phoenix quad, Goldstein; 18-23 issues, lat, lon,
     * location, state, country: unknown */
    fprintf(f, "%s\t%s\t%d\t%.1f\t\t\t\t\t\t\t", e->code, e->root, evout_phoenix_quad(e->root),
            e->goldstein);
    tsv(f, e->doc); /* 24 SentenceID */
    fprintf(f, "_%u\t\t", e->sent + 1);
    tsv(f, e->doc_source ? e->doc_source : ""); /* 26 NewsSources; 25 URLs empty */
    putc('\n', f);
}

void evout_write(FILE *f, int format, const store_event *e)
{
    switch (format) {
    case EVOUT_JSONL: write_jsonl(f, e); break;
    case EVOUT_CSV: write_csv(f, e); break;
    case EVOUT_TSV: write_tsv(f, e); break;
    case EVOUT_GDELT: write_gdelt(f, e); break;
    default: write_phoenix(f, e); break;
    }
}
