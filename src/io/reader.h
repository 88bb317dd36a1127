/*
 * reader.h - document input: JSON Lines records or plain text files.
 *
 * JSON Lines: one object per line, {"id","date","source","title","text"};
 * "text" is required, "date" is YYYY-MM-DD (an ISO date-time is cut to its
 * date) and falls back to the --date option.  Plain text: the whole file is
 * one document whose id is the file name.  A bad record is reported as
 * "file:line: what was wrong" and reading goes on with the next line.
 */
#ifndef DYAD_READER_H
#define DYAD_READER_H

#include "dyad.h"
#include "core/doc.h"

#include <stdio.h>

enum reader_format { READ_AUTO, READ_JSONL, READ_TEXT };

/* Bounds on untrusted input, checked while reading so that an oversized
 * document is refused before it is buffered whole, let alone tokenized:
 * past the limit the rest of the record is counted (for the message) and
 * skipped, never stored.  A JSONL line may be 4 times the text limit because
 * JSON escapes grow text (\uXXXX: 6 bytes for 2 to 3 of UTF-8); a record
 * within the line limit whose text is over DOC_MAX_TEXT is refused by
 * dyad_doc_set after parsing, with the same message. */
#define READER_MAX_TEXT DOC_MAX_TEXT                 /* a document's text (core/doc.h) */
#define READER_MAX_LINE (4 * READER_MAX_TEXT)        /* a JSONL record */

typedef struct doc_reader {
    FILE *f;
    const char *name;        /* for messages: the path, or "-" */
    int format;
    const char *default_date;
    long line;               /* line number of the record just read */
    char *buf;
    size_t cap;
    int done;
    int owns_file;
} doc_reader;

/* Opens path ("-" = stdin).  Returns 0, or -1 with err set. */
int reader_open(doc_reader *r, const char *path, int format, const char *default_date,
                char *err, size_t errlen);
/* 1: doc filled; 0: end of input; -1: this record was rejected (err set, the
 * reader is positioned at the next record); -2: the input itself failed. */
int reader_next(doc_reader *r, dyad_doc *doc, char *err, size_t errlen);
void reader_close(doc_reader *r);

#endif
