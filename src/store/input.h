/*
 * input.h - corpus input for `dyad ingest`: files, directories, standard
 * input, each possibly gzip- or zstd-compressed.
 *
 * Compression is recognised by its magic bytes, not by the file name, so
 * `zcat`-less pipelines work (`cat corpus.jsonl.zst | dyad ingest db -`).
 * A decompressing stream is a stdio FILE (glibc fopencookie), which is what
 * the document reader (src/io/reader.h) consumes; the stream counts the raw
 * (compressed) bytes it has read so that progress and ETA can be computed
 * against the files' sizes on disk.
 */
#ifndef DYAD_STORE_INPUT_H
#define DYAD_STORE_INPUT_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/* Directory walks stop at this depth (symlinked directories are not followed). */
#define INPUT_MAX_DEPTH 32

typedef struct input_list {
    char **paths;
    size_t n, cap;
    uint64_t total_bytes; /* sum of the sizes on disk; 0 when stdin is among the inputs */
} input_list;

/* Expands the command-line inputs: a directory becomes its *.txt, *.jsonl,
 * *.ndjson, *.json files (optionally .gz/.zst), recursively, in byte order of
 * their paths; "-" is standard input.  0, or -1 with err set. */
int input_expand(char *const *args, size_t nargs, input_list *out, char *err, size_t errlen);
void input_list_free(input_list *l);

enum input_kind { INPUT_PLAIN, INPUT_GZIP, INPUT_ZSTD };

typedef struct input_stream {
    FILE *f;              /* read documents from here */
    int kind;             /* enum input_kind */
    int jsonl;            /* 1: JSON Lines by name (or by the first character on stdin) */
    const uint64_t *raw_bytes; /* compressed bytes consumed so far */
    void *impl;
} input_stream;

/* Opens path ("-" = stdin).  0, or -1 with err set. */
int input_open(input_stream *in, const char *path, char *err, size_t errlen);
/* Why the last read failed (corrupt or truncated compressed data), or NULL. */
const char *input_error(const input_stream *in);
void input_close(input_stream *in);

/* The name without a .gz/.zst suffix, in buf. */
const char *input_base_name(const char *path, char *buf, size_t cap);

/* Finds a YYYY-MM-DD or YYYYMMDD date in a path (e.g. news/2025-08-09/a.txt)
 * and writes YYYY-MM-DD into out[11]; 0 when there is none. */
int input_date_from_path(const char *path, char out[11]);

#endif
