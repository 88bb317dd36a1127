/*
 * evjson.h - dyad JSON Lines events back into store_event (evjson.c).
 */
#ifndef DYAD_STORE_EVJSON_H
#define DYAD_STORE_EVJSON_H

#include "store/store.h"

/* Parses one event line of len bytes in place: line is modified (strings are
 * unescaped into it) and must have a NUL at line[len].  On success *e points
 * into line, which the caller keeps until the event is stored.  -1 with err
 * set ("what was expected", no file:line prefix). */
int evjson_parse(char *line, size_t len, store_event *e, char *err, size_t errlen);

#endif
