/*
 * cameo.c - lookups in the generated CAMEO table (binary search by code).
 */
#include "code/cameo.h"

#include <stdlib.h>
#include <string.h>

static int cmp(const void *key, const void *elem)
{
    return strcmp(key, ((const cameo_entry *)elem)->c.code);
}

const cameo_entry *cameo_find(const char *code)
{
    if (!code)
        return NULL;
    return bsearch(code, CAMEO_TABLE, CAMEO_TABLE_LEN, sizeof CAMEO_TABLE[0], cmp);
}

const dyad_cameo *dyad_cameo_lookup(const char *code)
{
    const cameo_entry *e = cameo_find(code);
    return e ? &e->c : NULL;
}
