/*
 * intern.h - string interning: each distinct word gets a small integer id.
 *
 * Dictionary patterns and document tokens are compared by id, so matching a
 * pattern costs integer compares, and the per-word indexes of the dictionary
 * are plain arrays indexed by id.  Open addressing with linear probing and
 * FNV-1a hashing; the table doubles at 50% load.
 */
#ifndef DYAD_INTERN_H
#define DYAD_INTERN_H

#include "core/arena.h"

#include <stddef.h>
#include <stdint.h>

typedef struct intern {
    arena *mem;       /* where the strings live */
    const char **strs; /* id -> string; strs[0] unused */
    uint32_t *lens;
    size_t nstr, capstr;
    uint32_t *slots;  /* 0 = empty, else id */
    size_t nslots;
} intern;

void intern_init(intern *in, arena *mem);
void intern_free(intern *in);
/* Id of s[0..n), or 0 when it was never interned. */
uint32_t intern_get(const intern *in, const char *s, size_t n);
/* Id of s[0..n), adding it if new; 0 when out of memory. */
uint32_t intern_put(intern *in, const char *s, size_t n);
static inline const char *intern_str(const intern *in, uint32_t id) { return in->strs[id]; }

#endif
