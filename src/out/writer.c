/*
 * writer.c - JSON Lines and TSV event writers (see writer.h).
 */
#include "out/writer.h"
#include "core/doc.h"

#include <string.h>

void write_json_string(FILE *f, const char *s, size_t n)
{
    static const char hex[] = "0123456789abcdef";
    putc('"', f);
    size_t run = 0; /* bytes that need no escaping, written in one go */
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        const char *esc = NULL;
        char u[7];
        if (c == '"')
            esc = "\\\"";
        else if (c == '\\')
            esc = "\\\\";
        else if (c == '\n')
            esc = "\\n";
        else if (c == '\r')
            esc = "\\r";
        else if (c == '\t')
            esc = "\\t";
        else if (c < 0x20 || c == 0x7f) {
            u[0] = '\\'; u[1] = 'u'; u[2] = '0'; u[3] = '0';
            u[4] = hex[c >> 4]; u[5] = hex[c & 15]; u[6] = '\0';
            esc = u;
        } else if (c == 0xE2 && i + 2 < n && (unsigned char)s[i + 1] == 0x80 &&
                   ((unsigned char)s[i + 2] == 0xA8 || (unsigned char)s[i + 2] == 0xA9)) {
            /* U+2028/2029 are valid JSON but break JavaScript line parsing */
            esc = (unsigned char)s[i + 2] == 0xA8 ? "\\u2028" : "\\u2029";
            fwrite(s + i - run, 1, run, f);
            run = 0;
            fputs(esc, f);
            i += 2;
            continue;
        }
        if (esc) {
            fwrite(s + i - run, 1, run, f);
            run = 0;
            fputs(esc, f);
        } else {
            run++;
        }
    }
    fwrite(s + n - run, 1, run, f);
    putc('"', f);
}

static void json_cstr(FILE *f, const char *s) { write_json_string(f, s, strlen(s)); }

static void json_span(FILE *f, const char *text, dyad_span sp)
{
    fputs("{\"text\":", f);
    write_json_string(f, text + sp.start, sp.end - sp.start);
    fprintf(f, ",\"start\":%u,\"end\":%u}", sp.start, sp.end);
}

/* TSV cells: tabs and line breaks become spaces so that every row is one line. */
static void tsv_cell(FILE *f, const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        putc(c == '\t' || c == '\n' || c == '\r' ? ' ' : c, f);
    }
}

static void tsv_cstr(FILE *f, const char *s) { tsv_cell(f, s, strlen(s)); }

void write_header(FILE *f, int format)
{
    if (format == OUT_TSV)
        fputs("doc\tsent\tdate\tevent_date\tdate_precision\tsource\ttarget\tcode\troot\tquad\t"
              "goldstein\tplover\tplover_mode\tmodality\tmentions\tquote\t"
              "trigger\ttrigger_start\ttrigger_end\tsource_text\ttarget_text\tverb_rule\t"
              "sentence\n",
              f);
}

void write_events(FILE *f, int format, const dyad_doc *doc)
{
    const char *text = doc->text;
    for (size_t i = 0; i < doc->nevents; i++) {
        const dyad_event *e = &doc->events[i];
        const sentence *s = &doc->sents[e->sent];
        if (format == OUT_TSV) {
            tsv_cstr(f, doc->id);
            fprintf(f, "\t%u\t%s\t%s\t%s\t", e->sent, doc->date, e->event_date,
                    e->date_precision ? e->date_precision : "");
            tsv_cstr(f, e->source);
            putc('\t', f);
            tsv_cstr(f, e->target);
            fprintf(f, "\t%s\t%s\t%d\t%.1f\t%s\t%s\t%s\t%u\t", e->code, e->root, e->quad,
                    e->goldstein, e->plover, e->plover_mode ? e->plover_mode : "",
                    dyad_modality_name(e->modality), e->mentions);
            if (e->quote >= 0)
                fprintf(f, "%d", (int)e->quote);
            putc('\t', f);
            tsv_cell(f, text + e->trigger.start, e->trigger.end - e->trigger.start);
            fprintf(f, "\t%u\t%u\t", e->trigger.start, e->trigger.end);
            tsv_cell(f, text + e->source_span.start, e->source_span.end - e->source_span.start);
            putc('\t', f);
            tsv_cell(f, text + e->target_span.start, e->target_span.end - e->target_span.start);
            putc('\t', f);
            tsv_cstr(f, e->verb_rule);
            putc('\t', f);
            tsv_cell(f, text + s->start, s->end - s->start);
            putc('\n', f);
            continue;
        }
        fputs("{\"doc\":", f);
        json_cstr(f, doc->id);
        fprintf(f, ",\"sent\":%u,\"date\":\"%s\",\"event_date\":\"%s\",\"date_precision\":\"%s\","
                   "\"source\":",
                e->sent, doc->date, e->event_date, e->date_precision ? e->date_precision : "");
        json_cstr(f, e->source);
        fputs(",\"target\":", f);
        json_cstr(f, e->target);
        fprintf(f, ",\"code\":\"%s\",\"root\":\"%s\",\"quad\":%d,\"goldstein\":%.1f,"
                   "\"plover\":\"%s\",\"plover_mode\":\"%s\",\"modality\":\"%s\","
                   "\"mentions\":%u",
                e->code, e->root, e->quad, e->goldstein, e->plover,
                e->plover_mode ? e->plover_mode : "", dyad_modality_name(e->modality),
                e->mentions);
        /* "quote" only when the trigger is inside a quotation (write_quotes' index) */
        if (e->quote >= 0)
            fprintf(f, ",\"quote\":%d", (int)e->quote);
        fputs(",\"trigger\":", f);
        json_span(f, text, e->trigger);
        fputs(",\"source_span\":", f);
        json_span(f, text, e->source_span);
        fputs(",\"target_span\":", f);
        json_span(f, text, e->target_span);
        if (e->date_span.end > e->date_span.start) {
            fputs(",\"date_span\":", f);
            json_span(f, text, e->date_span);
        }
        fputs(",\"rules\":{\"verb\":", f);
        json_cstr(f, e->verb_rule);
        fputs(",\"source\":", f);
        json_cstr(f, e->source_rule ? e->source_rule : "");
        fputs(",\"target\":", f);
        json_cstr(f, e->target_rule ? e->target_rule : "");
        fputs("},\"sentence\":", f);
        write_json_string(f, text + s->start, s->end - s->start);
        fputs("}\n", f);
    }
}

void write_quotes(FILE *f, const dyad_doc *doc)
{
    const char *text = doc->text;
    for (size_t i = 0; i < doc->nquotes; i++) {
        const dyad_quote *q = &doc->quotes[i];
        fputs("{\"doc\":", f);
        json_cstr(f, doc->id);
        fprintf(f, ",\"quote\":%zu,\"date\":\"%s\",\"sent_first\":%u,\"sent_last\":%u,"
                   "\"speaker\":",
                i, doc->date, q->sent_first, q->sent_last);
        json_cstr(f, q->speaker);
        if (q->speaker_span.end > q->speaker_span.start) {
            fputs(",\"speaker_span\":", f);
            json_span(f, text, q->speaker_span);
            fputs(",\"cue\":", f);
            json_span(f, text, q->cue);
            fputs(",\"speaker_rule\":", f);
            json_cstr(f, q->speaker_rule);
        }
        fputs(",\"text\":", f);
        json_span(f, text, q->span);
        fputs("}\n", f);
    }
}
