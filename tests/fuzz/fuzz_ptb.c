/* fuzz_ptb.c - Penn Treebank bracketed trees (src/io/ptb.c: ptb_read_mem). */
#include "fuzz.h"
#include "io/ptb.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    dyad_doc *doc = dyad_doc_new();
    if (!doc)
        return 0;
    char err[512];
    ptb_read_mem("fuzz.ptb", (const char *)data, size, doc, err, sizeof err);
    dyad_doc_free(doc);
    return 0;
}
