/* fuzz_gold.c - gold standards for `dyad eval` (src/eval/gold.c,
 * src/eval/tabari.c).  First byte: 0 mod 3 dyad JSON Lines gold, 1 PETRARCH
 * XML, 2 TABARI validation text. */
#include "fuzz.h"
#include "eval/gold.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    static const char *const names[3] = {"gold.jsonl", "gold.xml", "gold.text"};
    int kind = data[0] % 3;
    const char *path = fuzz_file(names[kind], data + 1, size - 1);
    char err[512];
    gold_set g;
    if (kind < 2) {
        gold_load(&g, path, err, sizeof err);
    } else {
        memset(&g, 0, sizeof g);
        arena_init(&g.mem, 0);
        g.path = path;
        gold_load_tabari_text(&g, path, err, sizeof err);
    }
    gold_free(&g);
    return 0;
}
