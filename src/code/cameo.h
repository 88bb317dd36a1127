/*
 * cameo.h - the CAMEO event code table: label, Goldstein score, quad class
 * and PLOVER type of every code (generated into cameo_table.c).
 */
#ifndef DYAD_CAMEO_H
#define DYAD_CAMEO_H

#include "dyad.h"

#include <stddef.h>

typedef struct cameo_entry {
    dyad_cameo c;       /* code, name, goldstein, quad */
    const char *plover; /* PLOVER type, "" for roots 01 and 02 */
    const char *plover_mode; /* PLOVER mode where the CAMEO->PLOVER table gives one, else "" */
} cameo_entry;

extern const cameo_entry CAMEO_TABLE[]; /* sorted by code (as strings) */
extern const size_t CAMEO_TABLE_LEN;

const cameo_entry *cameo_find(const char *code);

#endif
