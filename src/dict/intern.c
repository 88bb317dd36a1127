/*
 * intern.c - string interning (design in intern.h).
 */
#include "dict/intern.h"

#include <stdlib.h>
#include <string.h>

static uint64_t fnv1a(const char *s, size_t n)
{
    uint64_t h = 1469598103934665603ULL;
    for (size_t i = 0; i < n; i++) {
        h ^= (unsigned char)s[i];
        h *= 1099511628211ULL;
    }
    return h;
}

void intern_init(intern *in, arena *mem)
{
    memset(in, 0, sizeof *in);
    in->mem = mem;
}

void intern_free(intern *in)
{
    free(in->strs);
    free(in->lens);
    free(in->slots);
    memset(in, 0, sizeof *in);
}

uint32_t intern_get(const intern *in, const char *s, size_t n)
{
    if (!in->nslots)
        return 0;
    size_t mask = in->nslots - 1, i = (size_t)fnv1a(s, n) & mask;
    for (;;) {
        uint32_t id = in->slots[i];
        if (!id)
            return 0;
        if (in->lens[id] == n && memcmp(in->strs[id], s, n) == 0)
            return id;
        i = (i + 1) & mask;
    }
}

static int rehash(intern *in, size_t nslots)
{
    uint32_t *slots = calloc(nslots, sizeof *slots);
    if (!slots)
        return -1;
    for (uint32_t id = 1; id < in->nstr; id++) {
        size_t i = (size_t)fnv1a(in->strs[id], in->lens[id]) & (nslots - 1);
        while (slots[i])
            i = (i + 1) & (nslots - 1);
        slots[i] = id;
    }
    free(in->slots);
    in->slots = slots;
    in->nslots = nslots;
    return 0;
}

uint32_t intern_put(intern *in, const char *s, size_t n)
{
    uint32_t id = intern_get(in, s, n);
    if (id)
        return id;
    if (n > UINT32_MAX || in->nstr >= UINT32_MAX - 1)
        return 0;
    if (in->nstr == 0)
        in->nstr = 1; /* id 0 means "absent" */
    if (in->nstr + 1 > in->capstr) {
        size_t cap = in->capstr ? in->capstr * 2 : 1024;
        const char **strs = realloc(in->strs, cap * sizeof *strs);
        if (!strs)
            return 0;
        in->strs = strs;
        uint32_t *lens = realloc(in->lens, cap * sizeof *lens);
        if (!lens)
            return 0;
        in->lens = lens;
        in->capstr = cap;
    }
    if ((in->nstr + 1) * 2 > in->nslots && rehash(in, in->nslots ? in->nslots * 2 : 2048))
        return 0;
    char *copy = arena_strndup(in->mem, s, n);
    if (!copy)
        return 0;
    id = (uint32_t)in->nstr++;
    in->strs[id] = copy;
    in->lens[id] = (uint32_t)n;
    size_t mask = in->nslots - 1, i = (size_t)fnv1a(s, n) & mask;
    while (in->slots[i])
        i = (i + 1) & mask;
    in->slots[i] = id;
    return id;
}
