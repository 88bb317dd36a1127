/* fuzz_evjson.c - pre-coded event lines for `dyad ingest` (src/store/evjson.c). */
#include "fuzz.h"
#include "store/evjson.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *line = malloc(size + 1);
    if (!line)
        return 0;
    memcpy(line, data, size);
    line[size] = '\0';
    store_event e;
    memset(&e, 0, sizeof e);
    char err[512];
    evjson_parse(line, size, &e, err, sizeof err);
    free(line);
    return 0;
}
