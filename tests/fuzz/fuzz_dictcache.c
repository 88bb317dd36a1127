/* fuzz_dictcache.c - compiled dictionaries (src/dict/cache.c: the checks of
 * dict_cache_from_memory) and the coder running on what they let through.
 *
 * The first byte chooses whether the checksum is recomputed after mutation:
 * with it, the fuzzer gets past the checksum to the offset, count and id
 * checks, which are what must hold against a crafted file; without it, the
 * checksum itself is exercised.  A dictionary that opens is used to code one
 * fixed sentence, so a check that lets a bad index through shows up as an
 * ASan report in the coder. */
#include "fuzz.h"
#include "dict/cache.h"
#include "dyad.h"

static const char SENTENCE[] =
    "Mexico's President Claudia Sheinbaum rejected a US invasion and praised the "
    "cooperation with Washington, the government said on Friday.";

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 2)
        return 0;
    /* a private, 8-byte aligned copy: the checks read it in place */
    size_t n = size - 1;
    uint64_t *buf = malloc((n + 7) / 8 * 8 + 8);
    if (!buf)
        return 0;
    memcpy(buf, data + 1, n);
    if (data[0] & 1)
        dict_cache_reseal(buf, n);
    char err[512];
    dyad_dict *d = dict_cache_from_memory(buf, n, err, sizeof err);
    if (d) {
        dyad_doc *doc = dyad_doc_new();
        if (doc && dyad_doc_set(doc, "fuzz", "2025-08-09", "", "", SENTENCE, sizeof SENTENCE - 1,
                                err, sizeof err) == 0 &&
            dyad_code(d, doc, DYAD_ALL_MODALITIES, err, sizeof err) == 0) {
            size_t sink = 0;
            for (size_t i = 0; i < dyad_doc_nevents(doc); i++) {
                const dyad_event *e = dyad_doc_event(doc, i);
                sink += strlen(e->source) + strlen(e->target) + strlen(e->verb_rule) +
                        strlen(e->source_rule) + strlen(e->target_rule);
            }
            if (sink == (size_t)-1)
                abort();
        }
        dyad_doc_free(doc);
        dyad_dict_free(d);
    } else if (!err[0]) {
        abort(); /* a refusal always says why */
    }
    free(buf);
    return 0;
}
