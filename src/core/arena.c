/*
 * arena.c - chunked bump allocator (see arena.h for the design).
 *
 * Chunks double in size up to 8 MiB; a request larger than a chunk gets a
 * chunk of its own.  Memory is zeroed on allocation so that structures start
 * in a defined state (the cost is small next to tokenizing the text).
 */
#include "core/arena.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

struct arena_chunk {
    arena_chunk *next;
    size_t cap;
    size_t used;
    _Alignas(16) unsigned char data[];
};

enum { ARENA_MIN_CHUNK = 64 * 1024, ARENA_MAX_CHUNK = 8 * 1024 * 1024 };

void arena_init(arena *a, size_t limit)
{
    a->head = NULL;
    a->total = 0;
    a->limit = limit ? limit : ARENA_DEFAULT_LIMIT;
}

static arena_chunk *arena_new_chunk(arena *a, size_t need)
{
    size_t cap = a->head ? a->head->cap * 2 : ARENA_MIN_CHUNK;
    if (cap > ARENA_MAX_CHUNK)
        cap = ARENA_MAX_CHUNK;
    if (cap < need)
        cap = need;
    if (cap > SIZE_MAX - sizeof(arena_chunk) || a->total + cap > a->limit)
        return NULL;
    arena_chunk *c = malloc(sizeof(arena_chunk) + cap);
    if (!c)
        return NULL;
    c->cap = cap;
    c->used = 0;
    c->next = a->head;
    a->head = c;
    a->total += cap;
    return c;
}

void *arena_alloc(arena *a, size_t n)
{
    if (n == 0)
        n = 1;
    if (n > SIZE_MAX - 15)
        return NULL;
    n = (n + 15) & ~(size_t)15;
    arena_chunk *c = a->head;
    if (!c || c->cap - c->used < n) {
        c = arena_new_chunk(a, n);
        if (!c)
            return NULL;
    }
    void *p = c->data + c->used;
    c->used += n;
    memset(p, 0, n);
    return p;
}

void *arena_grow(arena *a, void *old, size_t oldn, size_t newn)
{
    /* Extend in place when old is the last allocation of the head chunk. */
    arena_chunk *c = a->head;
    if (old && c) {
        size_t oldr = (oldn + 15) & ~(size_t)15;
        uintptr_t o = (uintptr_t)old, base = (uintptr_t)c->data;
        if (o >= base && o - base <= c->used && c->used - (o - base) == oldr && newn <= SIZE_MAX - 15) {
            size_t newr = (newn + 15) & ~(size_t)15;
            if (newr >= oldr && newr - oldr <= c->cap - c->used) {
                memset(c->data + c->used, 0, newr - oldr);
                c->used += newr - oldr;
                return old;
            }
        }
    }
    void *p = arena_alloc(a, newn);
    if (p && old)
        memcpy(p, old, oldn < newn ? oldn : newn);
    return p;
}

char *arena_strndup(arena *a, const char *s, size_t n)
{
    if (n == SIZE_MAX)
        return NULL;
    char *p = arena_alloc(a, n + 1);
    if (p) {
        memcpy(p, s, n);
        p[n] = '\0';
    }
    return p;
}

char *arena_strdup(arena *a, const char *s)
{
    return arena_strndup(a, s, strlen(s));
}

void arena_reset(arena *a)
{
    arena_chunk *c = a->head;
    if (!c)
        return;
    arena_chunk *rest = c->next;
    while (rest) {
        arena_chunk *n = rest->next;
        a->total -= rest->cap;
        free(rest);
        rest = n;
    }
    c->next = NULL;
    c->used = 0;
}

void arena_free(arena *a)
{
    arena_chunk *c = a->head;
    while (c) {
        arena_chunk *n = c->next;
        free(c);
        c = n;
    }
    a->head = NULL;
    a->total = 0;
}
