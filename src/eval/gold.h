/*
 * gold.h - gold-standard records for `dyad eval`, read from two formats:
 *
 *   - dyad's own JSON Lines gold format (docs/evaluation.md):
 *       {"id", "date", "text", "category"?, "events": [{"source","target","code"}],
 *        "absent"?: [...], "error"?: "why"}
 *     "events": [] means the text must yield no event; a root code ("12")
 *     matches any code of that root.
 *   - PETRARCH/TABARI validation XML (<Sentence date id category><EventCoding
 *     sourcecode targetcode eventcode | noevents | error><Text><Parse>), whose
 *     <Environment> names the dictionaries it runs with.
 *   - TABARI's validation suite: a .project file naming the TABARI-format
 *     dictionaries and the Validate.text records (eval/tabari.c).
 */
#ifndef DYAD_GOLD_H
#define DYAD_GOLD_H

#include "core/arena.h"

#include <stddef.h>

typedef struct gold_event {
    const char *source, *target, *code;
    const char *event_date; /* YYYY-MM-DD the event must carry, or NULL: any */
    int modality;           /* 1 + the dyad_modality it must have; 0: any counted modality
                             * (0 so that zeroed records, as every reader makes, mean "any") */
} gold_event;

/* A quotation the text must yield: who says it and words it contains. */
typedef struct gold_quote {
    const char *speaker, *text;
} gold_quote;

typedef struct gold_record {
    const char *id, *date, *text, *category;
    const char *parse;      /* Penn Treebank parse, NULL if none */
    gold_event *events;
    size_t nevents;
    gold_event *absent;
    size_t nabsent;
    gold_quote *quotes;
    size_t nquotes;
    int has_quotes;         /* "quotes" given: quotations are scored for this record */
    const char *error;      /* the record must be rejected (why), or NULL */
    long line;              /* line of the record in its file */
} gold_record;

typedef struct gold_set {
    arena mem;
    const char *path;
    gold_record *recs;
    size_t n, cap;
    int petrarch;           /* read from PETRARCH XML */
    /* dictionaries named by a PETRARCH <Environment>, resolved beside the file */
    const char *verbfile, *actorfile, *agentfile, *discardfile;
    /* TABARI validation suite (a .project file): its dictionaries, and the records
     * that are not tests (option switches, deactivated expectations) */
    int tabari;
    const char *tabari_verbs, *tabari_actors, *tabari_agents;
    size_t tabari_skipped;
} gold_set;

/* Reads path (format by extension: .xml is PETRARCH, .project is a TABARI
 * validation project, else JSON Lines).
 * Returns 0, or -1 with "file:line: message" in err. */
int gold_load(gold_set *g, const char *path, char *err, size_t errlen);
/* TABARI (eval/tabari.c): a project file's text buf (g->path set) names the
 * dictionaries and the text file beside it; the text file holds the records. */
int gold_load_tabari_project(gold_set *g, const char *buf, size_t n, char *err, size_t errlen);
int gold_load_tabari_text(gold_set *g, const char *path, char *err, size_t errlen);
void gold_free(gold_set *g);

/* Does predicted code match gold code?  A 2-digit gold code matches its root. */
int gold_code_matches(const char *gold, const char *pred);

#endif
