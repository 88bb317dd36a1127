/*
 * evjson.h - dyad JSON Lines events back into store_event (evjson.c).
 */
#ifndef DYAD_STORE_EVJSON_H
#define DYAD_STORE_EVJSON_H

#include "store/store.h"

#include <jansson.h>

/* Parses one event line.  On success fills *e with strings borrowed from
 * *keep, which the caller releases with json_decref() once the event is
 * stored.  -1 with err set ("what was expected", no file:line prefix). */
int evjson_parse(const char *line, size_t len, store_event *e, json_t **keep, char *err,
                 size_t errlen);

#endif
