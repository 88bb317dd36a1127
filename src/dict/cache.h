/*
 * cache.h - compiled dictionaries: a finished dyad_dict written to one binary
 * file and memory-mapped on later starts (issue 8).
 *
 * Loading the Phoenix dictionaries from their text takes about half a second:
 * 80,000 patterns are tokenized, verbs are expanded into their inflected
 * forms, duplicates merged and indexes sorted.  None of that depends on the
 * documents, so it is done once and its result kept: the interned words, the
 * entries with their pattern elements and codes, and the three CSR indexes.
 * A later start maps the file, checks it, and points the dictionary's arrays
 * into the mapping; only the arrays that hold pointers (entries, codes, exact
 * forms, the word table) are rebuilt.
 *
 * Two ways in:
 *  - dict_load_cached(): what the CLI uses.  The cache file's name is a key
 *    made of the source files' content (every file of the dictionary
 *    directory: name, size, bytes), the dictionary format, the cache format
 *    version and the build id of this libdyad, so a changed dictionary or a
 *    rebuilt dyad never meets a stale cache; a miss loads the text and writes
 *    the cache (atomically: temporary file, fsync, rename), a cache that cannot
 *    be written is only a slower start.
 *  - dict_cache_open() on a file made by `dyad dict compile -o FILE`: checked
 *    against its sources' content when they are still where they were.
 *
 * The file is untrusted input like any other (tests/fuzz/fuzz_dictcache.c):
 * its size, a checksum of its body, every offset, count and id are checked
 * before use, and a bad file is an error naming what is wrong, never a crash.
 * It is written in the machine's byte order and refused on another.
 */
#ifndef DYAD_DICT_CACHE_H
#define DYAD_DICT_CACHE_H

#include "dict/dict.h"

#include <stdint.h>

enum dict_format { DICT_FORMAT_NATIVE = 1, DICT_FORMAT_PETRARCH };

#define DICT_CACHE_SUFFIX ".dyc"

/* The content key of a dictionary source: a directory (every regular file in
 * it, by name) or a single file.  0 on success. */
int dict_source_key(const char *path, int format, uint64_t *key, char *err, size_t errlen);

/* The automatic cache's file for source abs (a real path) with key: 0, or -1
 * when it does not fit in cap. */
int dict_cache_file_name(const char *cache_dir, const char *abs, int format, uint64_t key,
                         char *out, size_t cap);

/* Writes finished dictionary d, loaded from source (a path, recorded in the
 * file) with the given key, to path: temporary file + fsync + rename. */
int dict_cache_write(const dyad_dict *d, const char *path, const char *source, int format,
                     uint64_t key, char *err, size_t errlen);

/* Maps and checks a cache file.  expect_key != 0: the file must carry that key
 * and this build's id (the automatic cache); 0: a compiled file, checked
 * against its recorded sources if they still exist.  NULL with err on failure. */
dyad_dict *dict_cache_open(const char *path, uint64_t expect_key, char *err, size_t errlen);
/* The same on a buffer that the caller keeps alive as long as the dictionary
 * (fuzzing and tests); no source check. */
dyad_dict *dict_cache_from_memory(const void *buf, size_t len, char *err, size_t errlen);

/* Recomputes the checksum of a compiled dictionary in buf after it was
 * changed, so that tests and the fuzzer reach the checks behind it. */
int dict_cache_reseal(void *buf, size_t len);

/* True when path names a compiled dictionary (by its magic bytes). */
int dict_is_compiled(const char *path);

/* Loads dictionary source path in the given format: from the cache in
 * cache_dir when one matches, else from the text (then writing the cache).
 * cache_dir NULL: no cache.  *cached (if not NULL) tells which happened:
 * 0 loaded from text, 1 from the cache, 2 from text and the cache written. */
dyad_dict *dict_load_cached(const char *path, int format, const char *cache_dir, int *cached,
                            char *err, size_t errlen);

/* Loads dictionary source path from its text (no cache): a native directory
 * or a PETRARCH one. */
dyad_dict *dict_load_source(const char *path, int format, char *err, size_t errlen);

/* Puts d, loaded from abs (a real path) with the given key, into cache_dir as
 * file (dict_cache_file_name): makes the directory, writes, and deletes the
 * files of the same source it replaces.  0, or -1 with err. */
int dict_cache_store(const dyad_dict *d, const char *cache_dir, const char *file, const char *abs,
                     int format, uint64_t key, char *err, size_t errlen);

/* The cache directory the CLI uses: $DYAD_CACHE_DIR, else $XDG_CACHE_HOME/dyad,
 * else $HOME/.cache/dyad; NULL when DYAD_CACHE_DIR is empty or "off", or no
 * home is known.  Written into buf. */
const char *dict_default_cache_dir(char *buf, size_t cap);

/* Called by dyad_dict_free for a dictionary that came from a cache. */
void dict_cache_release(dyad_dict *d);

#endif
