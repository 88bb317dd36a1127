/* fuzz_petrarch.c - PETRARCH2 dictionary files (src/dict/petrarch.c,
 * legacy.c).  The first byte picks the slot: verbs, actors, agents or
 * discards. */
#include "fuzz.h"
#include "dict/dict.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    const char *path = fuzz_file("petr.txt", data + 1, size - 1);
    const char *p[4] = {NULL, NULL, NULL, NULL};
    p[data[0] & 3] = path;
    char err[512];
    dyad_dict *d = dict_load_petrarch_set(p[0], p[1], p[2], p[3], err, sizeof err);
    dyad_dict_free(d);
    return 0;
}
