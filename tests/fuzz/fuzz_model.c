/* fuzz_model.c - model files (src/tag/linear.c model_file_load, tagger_load,
 * parser_load, sbd_load).  First byte mod 3: tagger, parser, splitter. */
#include "fuzz.h"
#include "parse/parser.h"
#include "tag/tagger.h"
#include "text/sbd.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    const char *path = fuzz_file("model.bin", data + 1, size - 1);
    char err[512];
    switch (data[0] % 3) {
    case 0:
        tagger_free(tagger_load(path, err, sizeof err));
        break;
    case 1:
        parser_free(parser_load(path, err, sizeof err));
        break;
    default:
        sbd_free(sbd_load(path, err, sizeof err));
        break;
    }
    return 0;
}
