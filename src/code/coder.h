/*
 * coder.h - actors and verb patterns -> events, one sentence at a time.
 *
 * This first coder works on the token sequence: it finds actor mentions with
 * the actor and agent dictionaries, composes them into noun-phrase actors
 * ("US Ambassador ... Ronald Johnson" -> USAGOV, "Mexican drug cartels" ->
 * MEXCRM), matches verb and noun patterns, and takes source and target from
 * the pattern's slots or else from the nearest actors before and after the
 * trigger.  Negation, modal verbs, conditionals and infinitives around the
 * trigger set the event's modality.  The dependency-based coder replaces the
 * "nearest actor" guesses once sentences are parsed.
 *
 * Tracing (`dyad explain`, `dyad actors --unknown`): a caller may hand the
 * coder a code_trace, and the coder then reports each decision it takes as a
 * code_note: the dictionary hits and the mentions composed from them, every
 * pattern tried at a word, the pattern chosen, the modality and the word that
 * caused it, how source and target were found, each event emitted and each
 * would-be event dropped.  The trace only observes: the coder computes
 * exactly what it computes untraced (the decisions are noted where they are
 * taken, not recomputed), and untraced each note costs one NULL-pointer test.
 * A callback was chosen over a list the coder builds because the two users
 * want different things (explain keeps every note, actors only the words
 * the dictionaries know) and a list would cost the untraced coder memory.
 */
#ifndef DYAD_CODER_H
#define DYAD_CODER_H

#include "core/doc.h"
#include "dict/dict.h"

/* Codes every sentence of doc (already tokenized and split) into doc->events. */
int code_document(const dyad_dict *d, dyad_doc *doc, unsigned flags);

/* What a note reports. */
typedef enum code_note_kind {
    NOTE_SENTENCE = 1, /* coding of a sentence starts; detail: parsed or not */
    NOTE_DISCARD,      /* a discard phrase matched (entry): the sentence codes nothing, or,
                        * for a "+" discard, the whole story */
    NOTE_HIT,          /* an actor or agent entry matched [start,end); codes: in force on the
                        * story date */
    NOTE_HIT_UNDATED,  /* an entry matched, but none of its codes is in force on the date */
    NOTE_MENTION,      /* a composed actor mention [start,end): codes, rule, detail */
    NOTE_TRIED,        /* a pattern (entry) anchored at token cue_start was tried; matched */
    NOTE_SKIPPED,      /* a verb pattern was not tried: the tagger does not read a verb there */
    NOTE_PATTERN,      /* the pattern chosen; [start,end) is the trigger */
    NOTE_MODALITY,     /* code: the modality's name; [cue_start,cue_end): the word that set it */
    NOTE_SOURCE,       /* the source mention [start,end) and how it was found (detail) */
    NOTE_TARGET,       /* the same for the target (no range: none, or carried over) */
    NOTE_EVENT,        /* an event was emitted: event */
    NOTE_DROPPED,      /* a would-be event was not emitted; detail says why */
    NOTE_ARTICLE       /* an article-level change to an event's actor (detail, event) */
} code_note_kind;

/* One decision.  Token ranges are sentence-relative, [start, end); an empty
 * range means none.  Strings (code, rule, detail, the codes themselves) and
 * the entry stay valid until the document is set again or freed: they live in
 * the document's or the dictionary's memory, or are constants.  The arrays
 * (codes, event) may change later: copy what you keep during the call. */
typedef struct code_note {
    code_note_kind kind;
    uint32_t sent;               /* sentence index */
    uint32_t start, end;         /* the words the note is about */
    uint32_t cue_start, cue_end; /* the word that caused the decision (modality cue,
                                  * the anchor of a tried pattern) */
    const dict_entry *entry;     /* the dictionary entry concerned, or NULL */
    const char *const *codes;    /* actor codes (hits, mentions, source, target) */
    uint32_t ncodes;
    const char *code;            /* an event code, a modality name, or NULL */
    const char *rule;            /* provenance: "file:line", "coref(...): file:line" */
    const char *detail;          /* why, in words (may be NULL) */
    int matched;                 /* NOTE_TRIED: the pattern matched there */
    const dyad_event *event;     /* NOTE_EVENT, NOTE_ARTICLE: valid during the call only */
} code_note;

typedef struct code_trace {
    void *ctx;
    void (*note)(void *ctx, const code_note *n);
} code_trace;

/* code_document with a trace (NULL: none, as code_document). */
int code_document_traced(const dyad_dict *d, dyad_doc *doc, unsigned flags,
                         const code_trace *trace);
/* dyad_code with a trace: tokenizes if needed, codes, dates, merges repeats. */
int dyad_code_traced(const dyad_dict *d, dyad_doc *doc, unsigned flags, const code_trace *trace,
                     char *err, size_t errlen);

#endif
