/* fuzz_text.c - dyad_doc_set (UTF-8 and NUL checks), tokenizer, rule-based
 * sentence splitter and normalizer (src/core/doc.c, src/text/). */
#include "fuzz.h"
#include "core/doc.h"
#include "text/text.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    dyad_doc *doc = dyad_doc_new();
    if (!doc)
        return 0;
    char err[256];
    if (dyad_doc_set(doc, "fuzz", "2025-08-09", "", "", (const char *)data, size, err,
                     sizeof err) == 0 &&
        text_tokenize(doc) == 0)
        text_split(doc);
    utf8_invalid_at((const char *)data, size);
    dyad_doc_free(doc);
    return 0;
}
