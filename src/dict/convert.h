/*
 * convert.h - a loaded dictionary written back as dyad's native format
 * (`dyad dict convert`, docs/dictionaries.md).
 *
 * PETRARCH and TABARI dictionaries are read by their own loaders into the
 * same entries as native ones (patterns of words, verb lemmas, gaps and
 * actor slots; codes with date ranges).  Writing those entries in the native
 * syntax gives an editable, diffable copy that dyad loads without the legacy
 * readers, one entry per line with the file:line it came from as a comment,
 * so a converted pattern can still be traced to its origin.
 *
 * What the native syntax cannot say is skipped and reported, never written
 * wrong: a word that the native reader would take for syntax ("...", "$",
 * "&name", "#...", a ';' inside a word, a trailing '*'), an actor code
 * outside [A-Z0-9]{2,30}.  The legacy sets also list plurals explicitly;
 * the native reader adds them again for agents, which merges silently.
 */
#ifndef DYAD_DICT_CONVERT_H
#define DYAD_DICT_CONVERT_H

#include "dict/dict.h"

typedef struct dict_convert_stats {
    size_t written[ENT_DISCARD + 1]; /* lines written, by entry kind */
    size_t skipped;                  /* entries that could not be written */
} dict_convert_stats;

/* Called for every skipped entry with the reason. */
typedef void (*dict_convert_skip_fn)(void *ctx, const dict_entry *e, const char *why);

/* Writes d as actors.dict, agents.dict, verbs.dict, nouns.dict and
 * discards.dict into outdir (created if needed; existing *.dict files there
 * are refused unless force).  Files appear complete or not at all (each is
 * written to a temporary name and renamed).  source names the input in the
 * files' headers.  0, or -1 with err. */
int dict_write_native(const dyad_dict *d, const char *outdir, const char *source, int force,
                      dict_convert_stats *st, dict_convert_skip_fn skip, void *ctx, char *err,
                      size_t errlen);

#endif
