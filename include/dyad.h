/*
 * dyad.h - public C API of libdyad, the political event coder.
 *
 * The API is small and has no global state (after Lua): a dictionary set is
 * loaded once and is read-only afterwards, so any number of threads may code
 * documents with it at the same time, each with its own dyad_doc.
 *
 *     char err[256];
 *     dyad_dict *d = dyad_dict_load("data/dict", err, sizeof err);
 *     dyad_doc *doc = dyad_doc_new();
 *     dyad_doc_set(doc, "id1", "2025-08-09", "news", NULL, text, strlen(text), err, sizeof err);
 *     dyad_code(d, doc, 0);
 *     for (size_t i = 0; i < dyad_doc_nevents(doc); i++) use(dyad_doc_event(doc, i));
 *     dyad_doc_free(doc); dyad_dict_free(d);
 *
 * All strings are UTF-8.  Byte offsets (dyad_span) index the document text as
 * given to dyad_doc_set().  Every pointer returned by a dyad_doc accessor stays
 * valid until the next dyad_doc_set() or dyad_doc_free() on that document.
 */
#ifndef DYAD_H
#define DYAD_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define DYAD_VERSION "0.1.0"

typedef struct dyad_dict dyad_dict;
typedef struct dyad_doc dyad_doc;

/* A half-open byte range [start, end) of the document text; start == end means none. */
typedef struct dyad_span {
    uint32_t start, end;
} dyad_span;

/* How the text presents an event.  Only asserted and reported events are
 * facts; the others are kept out of default output. */
typedef enum dyad_modality {
    DYAD_ASSERTED = 0,   /* stated as fact */
    DYAD_REPORTED,       /* attributed: "reportedly", "X reported that", "allegedly" */
    DYAD_INTENDED,       /* future or intended: "plans to", "will", "to + verb" */
    DYAD_HYPOTHETICAL,   /* conditional or possible: "could", "would", "if" */
    DYAD_NEGATED         /* "did not", "never", "no" */
} dyad_modality;

const char *dyad_modality_name(dyad_modality m);

typedef struct dyad_event {
    uint32_t sent;           /* 0-based sentence index in the document */
    const char *source;      /* CAMEO actor code, "" when absent */
    const char *target;      /* CAMEO actor code, "" when absent */
    char code[8];            /* CAMEO event code, e.g. "1212" */
    char root[4];            /* its 2-digit root, e.g. "12" */
    int quad;                /* 1 verbal coop, 2 material coop, 3 verbal conflict, 4 material conflict */
    double goldstein;        /* -10 .. +10 */
    const char *plover;      /* PLOVER event type, "" when CAMEO root has none (01, 02) */
    const char *plover_mode; /* PLOVER mode ("visit", "arrest", "aerial"...), "" when none */
    dyad_modality modality;
    dyad_span trigger;       /* the words that justify the event */
    dyad_span source_span, target_span;
    char event_date[11];     /* YYYY-MM-DD: when it happened, resolved against the story date */
    const char *date_precision; /* "day", "week", "month" or "year" */
    dyad_span date_span;     /* the words that dated it ("on Friday"); empty: the story date */
    int32_t quote;           /* index of the quotation it was said in (dyad_doc_quote), or -1 */
    uint32_t mentions;       /* how often the article states it (repeats are merged into the
                              * first mention, whose spans and provenance are kept) */
    const char *verb_rule;   /* provenance: "file:line" of the verb entry that matched */
    const char *source_rule; /* provenance of the source actor entry ("" when absent) */
    const char *target_rule;
} dyad_event;

/* Dictionaries -------------------------------------------------------------- */

/* Loads every *.dict file of a dyad dictionary directory.  On error returns
 * NULL and writes "file:line: message" into err. */
dyad_dict *dyad_dict_load(const char *dir, char *err, size_t errlen);
void dyad_dict_free(dyad_dict *d);

/* Documents ----------------------------------------------------------------- */

dyad_doc *dyad_doc_new(void);
void dyad_doc_free(dyad_doc *doc);

/* (Re)initialises doc with a copy of the given fields.  date is YYYY-MM-DD.
 * Text must be valid UTF-8 without NUL bytes.  Returns 0, or -1 with err set. */
int dyad_doc_set(dyad_doc *doc, const char *id, const char *date, const char *source,
                 const char *title, const char *text, size_t len, char *err, size_t errlen);

/* Coding options (bit flags). */
enum {
    DYAD_ALL_MODALITIES = 1 << 0 /* keep negated, hypothetical and intended events */
};

/* Splits, tokenizes and codes the document.  Returns 0, or -1 with err set
 * (the only failure is running out of the per-document memory budget). */
int dyad_code(const dyad_dict *d, dyad_doc *doc, unsigned flags, char *err, size_t errlen);

const char *dyad_doc_id(const dyad_doc *doc);
const char *dyad_doc_date(const dyad_doc *doc);
const char *dyad_doc_text(const dyad_doc *doc, size_t *len);
size_t dyad_doc_nsentences(const dyad_doc *doc);
dyad_span dyad_doc_sentence(const dyad_doc *doc, size_t i);
size_t dyad_doc_nevents(const dyad_doc *doc);
const dyad_event *dyad_doc_event(const dyad_doc *doc, size_t i);

/* A direct quotation and who said it: “...,” she said / X clarified, “...”. */
typedef struct dyad_quote {
    dyad_span span;          /* the quoted words, without the quotation marks */
    uint32_t sent_first, sent_last; /* the sentences it spans */
    const char *speaker;     /* actor code of the speaker, "" when not attributed */
    dyad_span speaker_span;  /* the words naming the speaker (a name or a pronoun) */
    const char *speaker_rule; /* provenance of the speaker's actor entry */
    dyad_span cue;           /* the attribution verb: "said", "clarified", "according to" */
} dyad_quote;

size_t dyad_doc_nquotes(const dyad_doc *doc);
const dyad_quote *dyad_doc_quote(const dyad_doc *doc, size_t i);

/* CAMEO facts --------------------------------------------------------------- */

typedef struct dyad_cameo {
    const char *code;
    const char *name;
    double goldstein;
    int quad;
} dyad_cameo;

/* NULL when code is not a CAMEO event code. */
const dyad_cameo *dyad_cameo_lookup(const char *code);

/* NLP stage: tagger, lemmatizer, dependency parser (issue 3) ----------------
 *
 *     dyad_model *m = dyad_model_load("data/models", err, sizeof err);
 *     dyad_doc_set(doc, ...);
 *     dyad_tag_parse(m, doc, err, sizeof err);   tokenizes and splits if needed
 *     for (size_t i = 0; i < dyad_doc_ntokens(doc); i++) {
 *         dyad_token t; dyad_doc_token(doc, i, &t); ... t.upos, t.head, t.deprel
 *     }
 *
 * A model is read-only once loaded: threads may share it, each with its own
 * documents.  The models are trained on UD English-EWT (CC BY-SA 4.0). */

typedef struct dyad_model dyad_model;

/* Loads tagger.bin and parser.bin (and splitter.bin when present) from dir.
 * NULL with err set on failure (missing file, wrong format version, truncated
 * or corrupt file). */
dyad_model *dyad_model_load(const char *dir, char *err, size_t errlen);

/* Flags of dyad_model_open.  DYAD_MODEL_ACCURATE loads parser-beam.bin, the
 * beam-search parser, instead of parser.bin, the greedy one: about 1.2 points
 * more attachment accuracy for several times the parsing time (docs/nlp.md). */
#define DYAD_MODEL_ACCURATE 1u
dyad_model *dyad_model_open(const char *dir, unsigned flags, char *err, size_t errlen);
void dyad_model_free(dyad_model *m);

/* Tags, lemmatizes and parses every sentence of doc, tokenizing and splitting
 * the text first if that has not been done.  Returns 0, or -1 with err set
 * (out of memory).  dyad_code() may be called afterwards on the same doc. */
int dyad_tag_parse(const dyad_model *m, dyad_doc *doc, char *err, size_t errlen);

typedef struct dyad_token {
    dyad_span span;      /* bytes of the document text */
    const char *form, *lemma;
    const char *upos;    /* UD part of speech, "_" when untagged */
    const char *xpos;    /* Penn Treebank tag */
    const char *deprel;  /* UD relation to the head, "_" when unparsed */
    long head;           /* document token index of the head, -1 root, -2 unparsed */
    size_t sent;         /* sentence index */
} dyad_token;

size_t dyad_doc_ntokens(const dyad_doc *doc);
/* Fills *t for token i; returns 0, or -1 when i is out of range. */
int dyad_doc_token(const dyad_doc *doc, size_t i, dyad_token *t);

#ifdef __cplusplus
}
#endif
#endif
