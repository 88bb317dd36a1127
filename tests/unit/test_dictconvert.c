/*
 * test_dictconvert.c - dict_write_native (src/dict/convert.c): dyad's own
 * dictionaries written out and read back code the same events, every
 * original pattern is there with its codes, origins are kept as comments,
 * and what the native syntax cannot say is skipped with a reason.
 */
#define _XOPEN_SOURCE 700 /* mkdtemp */

#include "testutil.h"
#include "dict/convert.h"
#include "dict/dict.h"

static const char *ARTICLE =
    "Mexico's President Claudia Sheinbaum said on Friday that a US invasion is ruled out. "
    "US Ambassador Ronald Johnson praised the partnership between Mexico and the United States. "
    "Russian forces shelled Kharkiv and Ukraine condemned the attack.";

/* The pattern of e as "kind|elements" with word strings, comparable across dicts. */
static void key_of(const dyad_dict *d, const dict_entry *e, char *buf, size_t cap)
{
    size_t n = (size_t)snprintf(buf, cap, "%d|", e->kind);
    for (int k = 0; k < e->nelem && n < cap; k++)
        n += (size_t)snprintf(buf + n, cap - n, "%d:%s ", e->elem[k].kind,
                              e->elem[k].kind <= PAT_VERB ? intern_str(&d->words, e->elem[k].w) : "");
}

static const dict_entry *find_same(const dyad_dict *d, const char *key, const dict_entry *like)
{
    char k2[2048];
    for (size_t i = 0; i < d->nentries; i++) {
        key_of(d, &d->entries[i], k2, sizeof k2);
        if (strcmp(k2, key) == 0)
            return &d->entries[i];
    }
    (void)like;
    return NULL;
}

static size_t skipped;
static void on_skip(void *ctx, const dict_entry *e, const char *why)
{
    skipped++;
}

static void test_round_trip(void **state)
{
    char err[512], dir[] = "/tmp/dyad-convert-XXXXXX";
    assert_non_null(mkdtemp(dir));
    dyad_dict *orig = dyad_dict_load("data/dict", err, sizeof err);
    if (!orig)
        fail_msg("%s", err);
    dict_convert_stats st;
    skipped = 0;
    assert_int_equal(dict_write_native(orig, dir, "data/dict", 0, &st, on_skip, NULL, err, sizeof err),
                     0);
    assert_int_equal(st.skipped, 0);
    assert_int_equal(skipped, 0);
    assert_true(st.written[ENT_ACTOR] > 1000 && st.written[ENT_VERB] > 1000);
    /* a second write into the same directory is refused without force */
    assert_int_equal(dict_write_native(orig, dir, "data/dict", 0, &st, NULL, NULL, err, sizeof err),
                     -1);
    assert_non_null(strstr(err, "already holds *.dict files"));
    dyad_dict *back = dyad_dict_load(dir, err, sizeof err);
    if (!back)
        fail_msg("converted dictionary does not load: %s", err);
    /* every original pattern is there, with the same codes */
    char key[2048];
    size_t step = orig->nentries / 400 + 1; /* a sample: the search is linear */
    for (size_t i = 0; i < orig->nentries; i += step) {
        const dict_entry *e = &orig->entries[i];
        key_of(orig, e, key, sizeof key);
        const dict_entry *f = find_same(back, key, e);
        if (!f)
            fail_msg("pattern %s (%s) lost", e->text, e->rule);
        assert_string_equal(e->code, f->code);
        assert_string_equal(e->rcode, f->rcode);
        assert_int_equal(e->ncodes, f->ncodes);
        for (uint32_t k = 0; k < e->ncodes; k++) {
            assert_string_equal(e->codes[k].code, f->codes[k].code);
            assert_int_equal(e->codes[k].from, f->codes[k].from);
            assert_int_equal(e->codes[k].to, f->codes[k].to);
        }
    }
    char *a = tu_events(orig, ARTICLE, 0), *b = tu_events(back, ARTICLE, 0);
    assert_true(strstr(a, "USAGOV>MEX 051") != NULL);
    assert_string_equal(a, b);
    free(a);
    free(b);
    /* origins are kept as comments */
    char path[256], line[8192];
    snprintf(path, sizeof path, "%s/verbs.dict", dir);
    FILE *f = fopen(path, "r");
    assert_non_null(f);
    int found = 0;
    while (fgets(line, sizeof line, f))
        found |= strstr(line, "   # verbs.dict:") != NULL || strstr(line, "   # data/dict/verbs.dict:") != NULL;
    fclose(f);
    assert_true(found);
    dyad_dict_free(back);
    dyad_dict_free(orig);
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    assert_int_equal(system(cmd), 0);
}

static void test_unwritable_words_skipped(void **state)
{
    /* a word that native syntax would read as a comment cannot be written */
    char err[512], dir[] = "/tmp/dyad-convert-XXXXXX";
    assert_non_null(mkdtemp(dir));
    dyad_dict *d = dict_new();
    assert_non_null(d);
    const char *text = "[actors]\nMEX  Mexico\n[verbs]\n051  praise\n";
    assert_int_equal(dict_load_string(d, "t.dict", text, strlen(text), err, sizeof err), 0);
    assert_int_equal(dict_finish(d, err, sizeof err), 0);
    /* make the actor's word one that reads as syntax: "#mexico" */
    dict_entry *e = NULL;
    for (size_t i = 0; i < d->nentries; i++)
        if (d->entries[i].kind == ENT_ACTOR)
            e = &d->entries[i];
    assert_non_null(e);
    uint32_t w = intern_put(&d->words, "#mexico", 7);
    assert_true(w != 0);
    e->elem[0].w = w;
    dict_convert_stats st;
    skipped = 0;
    assert_int_equal(dict_write_native(d, dir, "t", 0, &st, on_skip, NULL, err, sizeof err), 0);
    assert_int_equal(st.skipped, 1);
    assert_int_equal(skipped, 1);
    assert_int_equal(st.written[ENT_ACTOR], 0);
    assert_int_equal(st.written[ENT_VERB], 1);
    dyad_dict_free(d);
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    assert_int_equal(system(cmd), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_round_trip),
        cmocka_unit_test(test_unwritable_words_skipped),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
