/* fuzz_code.c - the whole text path without models (as `dyad code
 * --no-parse`): dyad_doc_set + dyad_code with dyad's dictionaries (data/dict,
 * or $DYAD_DICT) loaded once.  First byte: coding flags and story date. */
#include "fuzz.h"
#include "dyad.h"

static dyad_dict *dict;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    char err[512];
    const char *dir = getenv("DYAD_DICT");
    dict = dyad_dict_load(dir ? dir : "data/dict", err, sizeof err);
    if (!dict) {
        fprintf(stderr, "fuzz_code: %s (run from the repository root or set DYAD_DICT)\n", err);
        abort();
    }
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    static const char *const dates[4] = {"2025-08-09", "1999-01-01", "2000-02-29", "1970-01-01"};
    dyad_doc *doc = dyad_doc_new();
    if (!doc)
        return 0;
    char err[256];
    if (dyad_doc_set(doc, "fuzz", dates[(data[0] >> 1) & 3], "", "", (const char *)data + 1,
                     size - 1, err, sizeof err) == 0 &&
        dyad_code(dict, doc, (data[0] & 1) ? DYAD_ALL_MODALITIES : 0, err, sizeof err) == 0) {
        /* touch every event and quotation so ASan checks their strings */
        size_t sink = 0;
        for (size_t i = 0; i < dyad_doc_nevents(doc); i++) {
            const dyad_event *e = dyad_doc_event(doc, i);
            sink += strlen(e->source) + strlen(e->target) + strlen(e->plover) +
                    strlen(e->verb_rule) + strlen(e->source_rule) + strlen(e->target_rule) +
                    strlen(e->date_precision) + strlen(e->event_date);
        }
        for (size_t i = 0; i < dyad_doc_nquotes(doc); i++) {
            const dyad_quote *q = dyad_doc_quote(doc, i);
            sink += strlen(q->speaker) + strlen(q->speaker_rule);
        }
        if (sink == (size_t)-1)
            abort();
    }
    dyad_doc_free(doc);
    return 0;
}
