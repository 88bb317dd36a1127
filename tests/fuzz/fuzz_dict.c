/* fuzz_dict.c - native dictionary format (src/dict/dict.c: dict_load_string,
 * dict_finish).  The first byte picks the file name, which selects the
 * section default as in data/dict/. */
#include "fuzz.h"
#include "dict/dict.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    static const char *const names[4] = {"actors.dict", "verbs.dict", "agents.dict", "x.dict"};
    dyad_dict *d = dict_new();
    if (!d)
        return 0;
    char err[512];
    if (dict_load_string(d, names[data[0] & 3], (const char *)data + 1, size - 1, err,
                         sizeof err) == 0)
        dict_finish(d, err, sizeof err);
    dyad_dict_free(d);
    return 0;
}
