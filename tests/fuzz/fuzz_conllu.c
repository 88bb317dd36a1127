/* fuzz_conllu.c - CoNLL-U treebanks (src/io/conllu.c: conllu_read_mem). */
#include "fuzz.h"
#include "io/conllu.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    dyad_doc *doc = dyad_doc_new();
    if (!doc)
        return 0;
    char err[512];
    conllu_read_mem("fuzz.conllu", (const char *)data, size, doc, err, sizeof err);
    dyad_doc_free(doc);
    return 0;
}
