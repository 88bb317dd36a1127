/*
 * writer.h - event output: JSON Lines (default) and TSV with a header.
 *
 * Field names are stable: the evaluation, the store and the API read them.
 * Field order is stable too (the store's output repeats it byte for byte):
 * doc, sent, date, event_date, date_precision, source, target, code, root,
 * quad, goldstein, plover, plover_mode (always; "" when the CAMEO->PLOVER
 * table gives no mode), modality, mentions, quote (JSON: only when the
 * trigger is inside a quotation; TSV: empty cell), trigger, spans, rules
 * (TSV: the verb rule), sentence.
 * JSON is written by hand rather than through a DOM because it is the hot
 * end of the pipeline; only string escaping needs care and is tested.
 */
#ifndef DYAD_WRITER_H
#define DYAD_WRITER_H

#include "dyad.h"

#include <stdio.h>

enum out_format { OUT_JSONL, OUT_TSV };

/* Writes the TSV header line (no-op for JSONL). */
void write_header(FILE *f, int format);
/* Writes every event of doc. */
void write_events(FILE *f, int format, const dyad_doc *doc);
/* Writes every quotation of doc, one JSON object per line. */
void write_quotes(FILE *f, const dyad_doc *doc);
/* Writes s[0..n) as a JSON string literal (with quotes). */
void write_json_string(FILE *f, const char *s, size_t n);

#endif
