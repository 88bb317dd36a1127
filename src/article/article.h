/*
 * article.h - article-level resolution: what a sentence-at-a-time coder
 * cannot know.  Runs after the coder over the whole document.
 *
 *   dedup.c  - the same event stated twice counts once, with a mention count.
 *   dates.c  - each event's date from the temporal expressions of its
 *              sentence ("on Friday", "yesterday", "August 8", "earlier this
 *              year"), resolved against the publication date.
 */
#ifndef DYAD_ARTICLE_H
#define DYAD_ARTICLE_H

#include "core/doc.h"

/* Merges repeated events (same source, target, code, event date and
 * modality) into their first mention and counts the mentions.  Returns 0 or
 * -1 when out of memory. */
int article_dedup(dyad_doc *doc);

/* Sets event_date, date_precision and date_span of every event of doc. */
void article_resolve_dates(dyad_doc *doc);

/* Days since 1970-01-01 of yyyymmdd, and back (proleptic Gregorian). */
long days_from_ymd(int ymd);
int ymd_from_days(long days);

#endif
