/*
 * dedup.c - the same event stated twice in one article counts once.
 *
 * News stories repeat their main event: in the lead, in a quotation, in the
 * closing paragraph.  Counting each repetition would inflate a dyad's trend
 * with the verbosity of one article, so events with the same source, target,
 * code, event date and modality are merged into the first mention, which
 * keeps its provenance and counts the mentions (GDELT's NumMentions).  Keys
 * are interned, so the pass is linear in the number of events.
 */
#include "article/article.h"
#include "dict/intern.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int article_dedup(dyad_doc *doc)
{
    if (doc->nevents < 2) {
        for (size_t i = 0; i < doc->nevents; i++)
            doc->events[i].mentions = 1;
        return 0;
    }
    intern keys;
    intern_init(&keys, &doc->mem);
    uint32_t *first = calloc(doc->nevents + 1, sizeof *first); /* key id -> kept index + 1 */
    if (!first)
        return -1;
    size_t kept = 0;
    int rc = 0;
    for (size_t i = 0; i < doc->nevents; i++) {
        const dyad_event *e = &doc->events[i];
        char key[256];
        int n = snprintf(key, sizeof key, "%s|%s|%s|%s|%d", e->source, e->target, e->code,
                         e->event_date, (int)e->modality);
        if (n < 0 || (size_t)n >= sizeof key) {
            doc->events[kept] = *e; /* absurdly long codes: keep, never merge */
            doc->events[kept++].mentions = 1;
            continue;
        }
        uint32_t id = intern_put(&keys, key, (size_t)n);
        if (!id) {
            rc = -1;
            break;
        }
        if (id <= doc->nevents && first[id]) {
            doc->events[first[id] - 1].mentions++;
            continue;
        }
        doc->events[kept] = *e;
        doc->events[kept].mentions = 1;
        if (id <= doc->nevents)
            first[id] = (uint32_t)(kept + 1);
        kept++;
    }
    if (rc == 0)
        doc->nevents = kept;
    free(first);
    intern_free(&keys);
    return rc;
}
