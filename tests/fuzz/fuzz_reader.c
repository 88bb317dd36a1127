/* fuzz_reader.c - JSON Lines and plain-text document reader (src/io/reader.c).
 * First byte selects the format (even: JSON Lines, odd: plain text). */
#include "fuzz.h"
#include "io/reader.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    int jsonl = !(data[0] & 1);
    const char *path = fuzz_file(jsonl ? "in.jsonl" : "in.txt", data + 1, size - 1);
    char err[512];
    doc_reader r;
    if (reader_open(&r, path, READ_AUTO, (data[0] & 2) ? "2025-08-09" : NULL, err, sizeof err))
        return 0;
    dyad_doc *doc = dyad_doc_new();
    if (doc) {
        /* bounded: each call consumes at least one line of a finite file */
        for (int i = 0; i < 100000; i++) {
            int rc = reader_next(&r, doc, err, sizeof err);
            if (rc == 0 || rc == -2)
                break;
        }
        dyad_doc_free(doc);
    }
    reader_close(&r);
    return 0;
}
