/*
 * schema.h - versioned schema and migrations of the event store (schema.c).
 */
#ifndef DYAD_STORE_SCHEMA_H
#define DYAD_STORE_SCHEMA_H

#include "store/db.h"
#include "store/store.h"

/* The schema version recorded in the database (0 for an empty one), or -1
 * with err set. */
int schema_version(db *d, char *err, size_t errlen);

/* Applies the migrations up to target (0 = the current STORE_SCHEMA_VERSION)
 * in one transaction.  Fails, changing nothing, when the database is newer
 * than this dyad.  0 or -1 with err set. */
int schema_migrate(db *d, int target, char *err, size_t errlen);

/* The two dyad indexes of schema version 3 (MIGRATION_3 in schema.c; the
 * definitions must stay the same), as a bulk load recreates them
 * (store_bulk_end). */
#define SCHEMA_DYAD_INDEXES                                                                 \
    "CREATE INDEX IF NOT EXISTS events_dyad ON events (src3, tgt3, event_date, quad,"      \
    " goldstein, modality, source, target);"                                               \
    "CREATE INDEX IF NOT EXISTS events_rdyad ON events (tgt3, src3, event_date, quad,"     \
    " goldstein, modality, target, source);"

#endif
