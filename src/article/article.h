/*
 * article.h - article-level resolution: what a sentence-at-a-time coder
 * cannot know.  Runs after the coder over the whole document.
 *
 *   dates.c  - each event's date from the temporal expressions of its
 *              sentence ("on Friday", "yesterday", "August 8", "earlier this
 *              year"), resolved against the publication date.
 */
#ifndef DYAD_ARTICLE_H
#define DYAD_ARTICLE_H

#include "core/doc.h"

/* Sets event_date, date_precision and date_span of every event of doc. */
void article_resolve_dates(dyad_doc *doc);

/* Days since 1970-01-01 of yyyymmdd, and back (proleptic Gregorian). */
long days_from_ymd(int ymd);
int ymd_from_days(long days);

#endif
