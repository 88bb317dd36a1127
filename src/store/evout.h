/*
 * evout.h - writing stored events: dyad's own JSON Lines and TSV (byte for
 * byte what `dyad code` writes, so a store round-trips), CSV with every
 * column, and the GDELT 2.0 (61 columns) and Phoenix (26 columns) layouts of
 * ../shared/reference/formats.md so existing analysis scripts run unchanged.
 */
#ifndef DYAD_STORE_EVOUT_H
#define DYAD_STORE_EVOUT_H

#include "store/store.h"

#include <stdio.h>

enum evout_format { EVOUT_JSONL, EVOUT_CSV, EVOUT_TSV, EVOUT_GDELT, EVOUT_PHOENIX };

/* "jsonl", "csv", ... -> format, or -1. */
int evout_parse(const char *name);
/* The header line (CSV and TSV only; GDELT and Phoenix files have none). */
void evout_header(FILE *f, int format);
void evout_write(FILE *f, int format, const store_event *e);
/* One event as a JSON object, without the line break (for embedding). */
void evout_json(FILE *f, const store_event *e);

/* One stored quotation as `dyad code --quotes` writes it, line break included. */
void evout_quote_json(FILE *f, const store_quote *q);

/* Splits a CAMEO actor code into its GDELT/Phoenix parts. */
typedef struct actor_parts {
    char country[4];       /* country or region code ("" for IGO/NGO/... and agents) */
    char group[4];         /* known group after an international prefix (IGOUNO -> UNO) */
    char entity[4];        /* Phoenix entity: country or IGO/NGO/IMG/MNC */
    char role[4];          /* Phoenix role (chars 4-6 when a listed role) */
    char types[3][4];      /* GDELT Type1..3: role codes in order */
    char religions[2][4];  /* GDELT Religion1..2 */
    char attributes[64];   /* Phoenix: the remaining chunks joined by ';' */
} actor_parts;

void evout_actor_parts(const char *code, actor_parts *p);
/* Phoenix quad class 0..4 of a CAMEO root. */
int evout_phoenix_quad(const char *root);

#endif
