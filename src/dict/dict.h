/*
 * dict.h - dyad's dictionaries: actors, agents, verb and noun patterns,
 * discards; loaded from the native text format (docs/dictionaries.md) and
 * compiled into per-word indexes of interned ids.
 *
 * A pattern is a short sequence of elements: literal words, the verb (which
 * matches any inflected form of its lemma), gaps, and actor slots.  Each
 * pattern is indexed under one anchor element (the verb, or the first literal
 * word); the coder looks a token up once and tries only the patterns anchored
 * there, longest first.
 */
#ifndef DYAD_DICT_H
#define DYAD_DICT_H

#include "dyad.h"
#include "core/arena.h"
#include "dict/intern.h"

#include <stdint.h>

enum pat_kind {
    PAT_WORD = 1, /* this exact (normalized) token */
    PAT_VERB,     /* any inflected form of lemma w */
    PAT_GAP,      /* zero to PAT_GAP_MAX tokens */
    PAT_SRC,      /* an actor mention: the event's source */
    PAT_TGT,      /* an actor mention: the event's target */
    PAT_BOTH      /* an actor mention that is compound: source and target */
};
#define PAT_GAP_MAX 6
#define PAT_MAX_ELEMS 16

typedef struct pat_elem {
    uint8_t kind;
    uint32_t w; /* word id (PAT_WORD), lemma id (PAT_VERB) */
} pat_elem;

enum entry_kind { ENT_ACTOR = 1, ENT_AGENT, ENT_VERB, ENT_NOUN, ENT_DISCARD };

typedef struct dict_code {
    const char *code;
    int from, to; /* yyyymmdd; from inclusive, to exclusive; 0 = open */
} dict_code;

typedef struct dict_entry {
    uint8_t kind;
    uint8_t nelem;
    uint8_t anchor;      /* index of the element the entry is indexed under */
    uint8_t has_slots;   /* pattern names where source/target are */
    pat_elem *elem;
    dict_code *codes;    /* actors and agents: one or more codes */
    uint32_t ncodes;
    char code[8];        /* verbs and nouns: CAMEO code, "" for a null pattern (---) */
    char rcode[8];       /* code of the reverse event (A:B syntax), "" if none */
    const char **forms;  /* a "quoted" phrase: exact-case form per element (NULL: any case) */
    const char *text;    /* the pattern as written in the file */
    const char *rule;    /* "file:line" */
} dict_entry;

/* `dyad dict check`: a dictionary given a checker (dyad_dict.check) reports to
 * it, and its loaders go on past malformed lines where they can instead of
 * stopping at the first one.  NULL in normal loading. */
typedef struct dict_check {
    void *ctx;
    /* a problem at file:line (line 0: the whole file): error 1, warning 0 */
    void (*problem)(void *ctx, const char *file, long line, int error, const char *msg);
    /* every pattern as it is added, before identical patterns merge; key
     * identifies the pattern (kind and elements), kind is enum entry_kind */
    void (*pattern)(void *ctx, const char *key, int kind, const char *text, const char *code,
                    const char *rcode, int from, int to, const char *file, long line);
} dict_check;

struct dyad_dict {
    arena mem;
    intern words;
    dict_entry *entries;
    size_t nentries, capentries;
    /* CSR indexes by word id: entries anchored on a literal word, and on a verb lemma */
    uint32_t *word_off, *word_list;
    uint32_t *verb_off, *verb_list;
    /* verb form id -> lemma ids */
    uint32_t *form_off, *form_list;
    size_t nindexed; /* number of word ids the indexes cover */
    struct dict_build *build; /* loader state, released by dict_finish */
    size_t skipped;           /* malformed legacy entries skipped (see skip_bad_codes) */
    const char *dir;
    dict_check *check; /* dyad dict check only */
    /* a dictionary opened from a compiled file (cache.c): the mapping that
     * words.lens, words.slots and the CSR indexes point into */
    const void *map;
    size_t maplen;
    int unmap; /* 1: map came from mmap and is unmapped by dyad_dict_free */
};

typedef struct dict_range {
    const uint32_t *ids;
    size_t n;
} dict_range;

/* Entries anchored on literal word w / on verb lemma l (longest pattern first). */
dict_range dict_word_entries(const dyad_dict *d, uint32_t w);
dict_range dict_verb_entries(const dyad_dict *d, uint32_t lemma);
/* Lemma ids a verb form can belong to. */
dict_range dict_form_lemmas(const dyad_dict *d, uint32_t form);

/* The code of an actor/agent entry in force on date ymd (dated codes first,
 * then the undated fallback); NULL when none applies. */
const char *dict_code_on(const dict_entry *e, int ymd);
/* All codes in force on ymd: the first dated code whose range contains ymd,
 * else every undated code (several undated codes make a compound actor, as in
 * PETRARCH's "THE SHIRE [FRO] [BIL] [SAM]").  Returns how many (<= max). */
uint32_t dict_codes_on(const dict_entry *e, int ymd, const char **out, uint32_t max);

/* An actor code of the native format: 2 to 30 capitals or digits. */
int dict_valid_actor_code(const char *s, size_t n);

/* Builder interface for the readers of dictionary formats (dict.c for the
 * native format, petrarch.c for PETRARCH/TABARI files). */
typedef struct dict_loader {
    dyad_dict *d;
    struct dyad_doc *scratch; /* tokenizes phrases exactly as documents are */
    const char *name;         /* file name for messages and provenance */
    long line;
    int section;              /* entry kind being loaded (enum entry_kind) */
    char *err;
    size_t errlen;
    /* native format: continuation lines repeat the previous entry's code and dates */
    char last_code[64];
    int last_from, last_to;
    int have_last;
    int lenient; /* foreign formats: a re-coded duplicate pattern keeps its first code */
    const char **exact_forms; /* set by the phrase reader for the next dict_add_pattern */
    long duplicates; /* duplicates skipped under lenient */
    int skip_bad_codes; /* production legacy sets: a malformed [CODE] is skipped, counted */
} dict_loader;

int dict_loader_begin(dict_loader *L, dyad_dict *d, const char *name, char *err, size_t errlen);
void dict_loader_end(dict_loader *L);
/* Reads a whole dictionary file (bounded); *out is malloc'd. */
int dict_read_file(const char *path, char **out, size_t *len, char *err, size_t errlen);
/* Writes "name:line: message" into L->err; returns -1. */
int dict_fail(dict_loader *L, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Reports the message in L->err ("name:line: message") to the dictionary's
 * checker, if it has one, as an error or a warning. */
void dict_report(dict_loader *L, int error);
/* The same for a message err of the form "file:line: message" about file. */
void dict_report_err(dyad_dict *d, const char *file, long line, const char *err, int error);
/* Tokenizes s[0..n) into interned word ids (at most max); count or -1. */
int dict_tokenize(dict_loader *L, const char *s, size_t n, uint32_t *ids, int max);
/* Adds a pattern of kind L->section; identical patterns merge (actors and
 * agents accumulate codes; verbs must agree on the code). */
int dict_add_pattern(dict_loader *L, const pat_elem *elems, int nelem, const char *text,
                     const char *code, const char *rcode, int from, int to);
/* Records that verb form id belongs to lemma id. */
int dict_add_form(dyad_dict *d, uint32_t form, uint32_t lemma);

/* Loads a PETRARCH2/TABARI dictionary set (any path may be NULL) into a
 * finished dictionary; NULL with "file:line: message" in err on failure. */
dyad_dict *dict_load_petrarch_set(const char *verbs, const char *actors, const char *agents,
                                  const char *discards, char *err, size_t errlen);
/* Loads a TABARI dictionary set (TABARI 0.8 actors, agents and verbs files;
 * any path may be NULL), see tabari.c; NULL with "file:line: message" in err. */
dyad_dict *dict_load_tabari_set(const char *verbs, const char *actors, const char *agents,
                                char *err, size_t errlen);

/* Loads every PETRARCH dictionary of a directory, recognised by name as
 * PETRARCH2 ships them: *actors*.txt (all of them, e.g. the three Phoenix
 * actor files), *agents*.txt, *verbs*.txt or CAMEO*.txt, *discards*.txt. */
dyad_dict *dict_load_petrarch_dir(const char *dir, char *err, size_t errlen);

/* The loaders of `dyad dict check`: as dyad_dict_load (also a single *.dict
 * file), dict_load_petrarch_dir and dict_load_tabari_set, reporting to check
 * and going on where they can.  NULL (with err) only when nothing could be
 * read at all: no such path, no dictionary files, out of memory. */
dyad_dict *dict_check_native(const char *path, dict_check *check, char *err, size_t errlen);
dyad_dict *dict_check_petrarch(const char *dir, dict_check *check, char *err, size_t errlen);
dyad_dict *dict_check_tabari(const char *dir, dict_check *check, char *err, size_t errlen);

/* Loads one file in the native format into d (used by dyad_dict_load and tests). */
int dict_load_file(dyad_dict *d, const char *path, char *err, size_t errlen);
/* Loads from a string; name is used in error messages and provenance. */
int dict_load_string(dyad_dict *d, const char *name, const char *text, size_t len, char *err,
                     size_t errlen);
dyad_dict *dict_new(void);
/* Builds the indexes; call after the last load.  Returns 0 or -1 (out of memory). */
int dict_finish(dyad_dict *d, char *err, size_t errlen);

#endif
