/* fuzz_tabari.c - TABARI dictionary files (src/dict/tabari.c, legacy.c).
 * The first byte picks the slot: verbs, actors or agents. */
#include "fuzz.h"
#include "dict/dict.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    const char *path = fuzz_file("tabari.txt", data + 1, size - 1);
    const char *p[3] = {NULL, NULL, NULL};
    p[data[0] % 3] = path;
    char err[512];
    dyad_dict *d = dict_load_tabari_set(p[0], p[1], p[2], err, sizeof err);
    dyad_dict_free(d);
    return 0;
}
