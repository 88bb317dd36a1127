/*
 * score.h - precision, recall and F1 of coded events against gold events.
 *
 * An event is the triple (source, target, code).  Each gold event can be
 * matched by one predicted event at most: same source, same target, and the
 * same code (a 2-digit gold code matches any code of that root).  Unmatched
 * gold events are misses (false negatives), unmatched predictions extras
 * (false positives).  Counts are kept in total, per record category and per
 * CAMEO root.
 */
#ifndef DYAD_SCORE_H
#define DYAD_SCORE_H

#include "eval/gold.h"

#include <stdio.h>

typedef struct tally {
    char name[32];
    size_t tp, fp, fn;
} tally;

#define SCORE_MAX_GROUPS 64

typedef struct scoreboard {
    tally total;
    tally cats[SCORE_MAX_GROUPS];
    size_t ncats;
    tally roots[SCORE_MAX_GROUPS];
    size_t nroots;
    size_t records, records_exact; /* records whose events all matched, none extra */
    size_t errors_expected, errors_rejected;
    size_t absent_hits; /* coded events that the gold lists as absent */
    tally quotes;       /* quotations with their speakers, for records that list them */
} scoreboard;

typedef struct pred_event {
    const char *source, *target, *code;
    const char *event_date;
    int modality;
} pred_event;

typedef struct pred_quote {
    const char *speaker;
    const char *text; /* the quoted words */
    size_t len;
} pred_quote;

/* Scores one record.  pred is deduplicated by the caller.  Writes misses and
 * extras to report (if not NULL) as "  miss SRC>TGT CODE" lines. */
void score_record(scoreboard *sb, const gold_record *r, const pred_event *pred, size_t npred,
                  FILE *report);

/* Scores the quotations of a record that lists "quotes": same speaker, and
 * the gold words found inside the quotation. */
void score_quotes(scoreboard *sb, const gold_record *r, const pred_quote *pred, size_t npred,
                  FILE *report);

double tally_precision(const tally *t);
double tally_recall(const tally *t);
double tally_f1(const tally *t);

/* Prints the per-category and per-root tables and the final line
 * "events: precision=P recall=R f1=F". */
void score_print(const scoreboard *sb, FILE *f);

#endif
