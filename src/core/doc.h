/*
 * doc.h - the document: the one structure that flows through the pipeline.
 *
 * Each stage reads what earlier stages wrote and adds its own layer:
 *
 *   text/   fills toks[] (byte offsets, forms) and sents[] (token ranges)
 *   tag/    fills token.upos, token.xpos, token.lemma          (NLP stage)
 *   parse/  fills token.head, token.deprel                     (NLP stage)
 *   code/   fills events[]
 *
 * Everything hangs off doc->mem, the per-document arena, so that a document is
 * released with one arena_reset() (see core/arena.h).
 */
#ifndef DYAD_DOC_H
#define DYAD_DOC_H

#include "dyad.h"
#include "core/arena.h"

#include <stdint.h>

/* The largest document text dyad_doc_set() accepts.  Coding takes 65 to 120
 * bytes of arena per byte of text (tokens, sentences, mentions, events), so
 * 16 MiB keeps one document under about 2 GiB; news articles are a few KB and
 * a larger text is almost always a dump that should be split.  Readers check
 * it before they buffer a whole document (io/reader.c). */
#define DOC_MAX_TEXT ((size_t)16 << 20)

/* token.flags */
enum {
    TOK_SPACE_AFTER = 1 << 0, /* whitespace follows in the text */
    TOK_PARA_START  = 1 << 1, /* first token after a blank line (or of the text) */
    TOK_LINE_START  = 1 << 2, /* first token after a newline */
    TOK_UPPER       = 1 << 3, /* first character is an upper-case letter */
    TOK_ABBREV      = 1 << 4, /* known abbreviation ending in '.', e.g. "U.S.", "Dr." */
    TOK_CLITIC      = 1 << 5, /* split off a word: n't, 's, 're ... */
    TOK_WORD        = 1 << 6, /* contains a letter or digit */
};

typedef struct token {
    uint32_t start, end;   /* bytes [start, end) of doc->text */
    const char *form;      /* the token as written (NUL-terminated) */
    const char *norm;      /* lower-cased, typographic quotes and dashes folded to ASCII */
    const char *lemma;     /* NULL until the tagger stage */
    uint8_t upos, xpos;    /* tag ids, 0 = not tagged */
    uint8_t deprel;        /* relation id, 0 = not parsed */
    uint8_t flags;
    int32_t head;          /* sentence-relative index of the head, -1 for root, -2 not parsed */
} token;

typedef struct sentence {
    uint32_t start, end;   /* bytes of doc->text */
    uint32_t tok, ntok;    /* doc->toks[tok .. tok+ntok) */
} sentence;

struct dyad_doc {
    arena mem;
    const char *id, *date, *source, *title;
    int ymd;               /* date as yyyymmdd, for date-restricted dictionary codes */
    const char *text;
    size_t len;

    token *toks;
    size_t ntoks, captoks;
    sentence *sents;
    size_t nsents, capsents;
    dyad_event *events;
    size_t nevents, capevents;
    dyad_quote *quotes;
    size_t nquotes, capquotes;
};

/* Appends to the arrays above, growing them in the arena; NULL when out of memory. */
token *doc_add_token(dyad_doc *doc);
sentence *doc_add_sentence(dyad_doc *doc);
dyad_event *doc_add_event(dyad_doc *doc);
dyad_quote *doc_add_quote(dyad_doc *doc);

/* Resets doc to hold a copy of text with no metadata (scratch documents for
 * tokenizing dictionary phrases).  Returns 0 or -1 when out of memory. */
int doc_set_text(dyad_doc *doc, const char *text, size_t len);

/* "YYYY-MM-DD" -> yyyymmdd; 0 when the string is not a valid calendar date. */
int date_parse(const char *s, size_t n);

#endif
