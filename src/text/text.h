/*
 * text.h - first stage of the pipeline: raw UTF-8 text -> tokens -> sentences.
 *
 * The tokenizer follows Universal Dependencies English conventions so that the
 * tagger and parser see the units they were trained on: clitics are split
 * ("don't" -> do n't, "Mexico's" -> Mexico 's), hyphenated compounds are split
 * at the hyphen, abbreviations keep their period ("U.S.", "Dr."), numbers keep
 * their internal punctuation ("1,000.50", "10:30"), URLs and e-mail addresses
 * stay whole.  Every token records its byte offsets in the original text, so
 * any output can point back at the exact characters it came from.
 *
 * Sentence splitting runs over tokens rather than characters: a sentence ends
 * at . ! ? (with any closing quotes and brackets that follow) unless the next
 * word shows it did not, and always at a blank line.
 */
#ifndef DYAD_TEXT_H
#define DYAD_TEXT_H

#include "core/doc.h"

#include <stddef.h>

/* Maximum tokens in one sentence; longer runs are cut (the parser's cost grows
 * with sentence length and news sentences this long are list or table debris). */
#define TEXT_MAX_SENT_TOKENS 300

/* Offset of the first byte that is not part of valid UTF-8 (overlongs,
 * surrogates and code points above U+10FFFF are invalid), or n if all valid. */
size_t utf8_invalid_at(const char *s, size_t n);

/* Decodes one code point at s[*i] (valid UTF-8 assumed) and advances *i. */
int32_t utf8_next(const char *s, size_t n, size_t *i);

/* Fills doc->toks from doc->text.  Returns 0, or -1 when out of memory. */
int text_tokenize(dyad_doc *doc);

/* Fills doc->sents from doc->toks.  Returns 0, or -1 when out of memory. */
int text_split(dyad_doc *doc);

/* Lower-cases and folds typographic quotes/dashes of s[0..n) into the arena. */
char *text_normalize(arena *a, const char *s, size_t n);

#endif
