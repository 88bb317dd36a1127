/*
 * arena.h - per-document bump allocator.
 *
 * Every stage of the pipeline (tokens, sentences, tags, trees, events) allocates
 * from the document's arena and nothing is freed individually: when the document
 * has been written, one arena_reset() gives all of it back.  This keeps the hot
 * path free of malloc/free pairs and makes leaks structurally impossible.
 *
 * Trade-offs: growing arrays (arena_grow) leave their old copy behind, so a
 * document can use up to ~2x the memory its final arrays need; the arena has a
 * hard byte limit so that hostile input fails with an error instead of
 * exhausting the machine.
 */
#ifndef DYAD_ARENA_H
#define DYAD_ARENA_H

#include <stddef.h>

typedef struct arena_chunk arena_chunk;

typedef struct arena {
    arena_chunk *head;   /* newest chunk first */
    size_t total;        /* bytes obtained from malloc */
    size_t limit;        /* refuse to grow beyond this many bytes (0 = default) */
} arena;

#define ARENA_DEFAULT_LIMIT ((size_t)2 << 30) /* 2 GiB */

void arena_init(arena *a, size_t limit);
/* 16-byte aligned, zero-filled; NULL when the limit is reached or malloc fails. */
void *arena_alloc(arena *a, size_t n);
/* Copies old (oldn bytes) into a new block of newn bytes. */
void *arena_grow(arena *a, void *old, size_t oldn, size_t newn);
char *arena_strndup(arena *a, const char *s, size_t n);
char *arena_strdup(arena *a, const char *s);
/* Frees all chunks but the most recent, which is kept for the next document. */
void arena_reset(arena *a);
void arena_free(arena *a);

#endif
