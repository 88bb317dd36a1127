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
 */
#ifndef DYAD_CODER_H
#define DYAD_CODER_H

#include "core/doc.h"
#include "dict/dict.h"

/* Codes every sentence of doc (already tokenized and split) into doc->events. */
int code_document(const dyad_dict *d, dyad_doc *doc, unsigned flags);

#endif
