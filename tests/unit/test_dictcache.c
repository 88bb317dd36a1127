/*
 * test_dictcache.c - compiled dictionaries (src/dict/cache.c): a compiled
 * dictionary is the same dictionary (every entry, word and index; the same
 * events), damaged and stale files are refused with a clear message, and the
 * automatic cache is hit, refreshed and pruned as cache.h says.
 */
#define _XOPEN_SOURCE 700 /* realpath, mkdtemp */

#include "testutil.h"
#include "dict/cache.h"
#include "dict/dict.h"

#include <dirent.h>
#include <sys/stat.h>
#include <unistd.h>

static const char *ARTICLE =
    "Mexico's President Claudia Sheinbaum said on Friday that a US invasion is ruled out. "
    "\"We co-operate, we collaborate,\" she said. US Ambassador Ronald Johnson praised the "
    "partnership between Mexico and the United States.";

static char tmpdir[64];

static void path_in(char *buf, size_t cap, const char *name)
{
    snprintf(buf, cap, "%s/%s", tmpdir, name);
}

static int setup(void **state)
{
    strcpy(tmpdir, "/tmp/dyad-dictcache-XXXXXX");
    return mkdtemp(tmpdir) ? 0 : -1;
}

static int teardown(void **state)
{
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmpdir);
    return system(cmd) == 0 ? 0 : -1;
}

static void write_text(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(text, f);
    assert_int_equal(fclose(f), 0);
}

static char *read_all(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    /* 8-byte aligned, as a mapping would be */
    char *buf = aligned_alloc(8, ((size_t)n + 7) / 8 * 8 + 8);
    assert_non_null(buf);
    assert_int_equal(fread(buf, 1, (size_t)n, f), (size_t)n);
    fclose(f);
    *len = (size_t)n;
    return buf;
}

static void assert_same_str(const char *a, const char *b)
{
    if (!a || !b)
        assert_ptr_equal(a, b);
    else
        assert_string_equal(a, b);
}

static void assert_same_u32s(const uint32_t *a, const uint32_t *b, size_t n)
{
    if (n)
        assert_memory_equal(a, b, n * sizeof *a);
}

static void assert_same_dict(const dyad_dict *x, const dyad_dict *y)
{
    assert_int_equal(x->words.nstr, y->words.nstr);
    for (size_t id = 1; id < x->words.nstr; id++) {
        assert_string_equal(x->words.strs[id], y->words.strs[id]);
        assert_int_equal(intern_get(&y->words, x->words.strs[id], x->words.lens[id]), id);
    }
    assert_int_equal(x->nentries, y->nentries);
    for (size_t i = 0; i < x->nentries; i++) {
        const dict_entry *a = &x->entries[i], *b = &y->entries[i];
        assert_int_equal(a->kind, b->kind);
        assert_int_equal(a->nelem, b->nelem);
        assert_int_equal(a->anchor, b->anchor);
        assert_int_equal(a->has_slots, b->has_slots);
        for (int k = 0; k < a->nelem; k++) {
            assert_int_equal(a->elem[k].kind, b->elem[k].kind);
            assert_int_equal(a->elem[k].w, b->elem[k].w);
            if (a->forms || b->forms)
                assert_same_str(a->forms[k], b->forms[k]);
        }
        assert_int_equal(a->ncodes, b->ncodes);
        for (uint32_t k = 0; k < a->ncodes; k++) {
            assert_string_equal(a->codes[k].code, b->codes[k].code);
            assert_int_equal(a->codes[k].from, b->codes[k].from);
            assert_int_equal(a->codes[k].to, b->codes[k].to);
        }
        assert_string_equal(a->code, b->code);
        assert_string_equal(a->rcode, b->rcode);
        assert_same_str(a->text, b->text);
        assert_same_str(a->rule, b->rule);
    }
    assert_int_equal(x->nindexed, y->nindexed);
    size_t n = x->nindexed;
    assert_same_u32s(x->word_off, y->word_off, n + 1);
    assert_same_u32s(x->word_list, y->word_list, x->word_off[n]);
    assert_same_u32s(x->verb_off, y->verb_off, n + 1);
    assert_same_u32s(x->verb_list, y->verb_list, x->verb_off[n]);
    assert_same_u32s(x->form_off, y->form_off, n + 1);
    assert_same_u32s(x->form_list, y->form_list, x->form_off[n]);
}

static void test_same_dictionary(void **state)
{
    char err[512], file[128];
    dyad_dict *text = dyad_dict_load("data/dict", err, sizeof err);
    if (!text)
        fail_msg("%s", err);
    path_in(file, sizeof file, "own.dyc");
    assert_int_equal(dict_cache_write(text, file, NULL, DICT_FORMAT_NATIVE, 42, err, sizeof err), 0);
    dyad_dict *compiled = dict_cache_open(file, 0, err, sizeof err);
    if (!compiled)
        fail_msg("%s", err);
    assert_same_dict(text, compiled);
    char *a = tu_events(text, ARTICLE, 1), *b = tu_events(compiled, ARTICLE, 1);
    assert_true(strstr(a, "USAGOV>MEX 051") != NULL); /* the article codes at all */
    assert_string_equal(a, b);
    free(a);
    free(b);
    /* a compiled dictionary compiles again to the same file */
    char again[128];
    path_in(again, sizeof again, "again.dyc");
    assert_int_equal(dict_cache_write(compiled, again, NULL, DICT_FORMAT_NATIVE, 42, err, sizeof err),
                     0);
    size_t n1, n2;
    char *f1 = read_all(file, &n1), *f2 = read_all(again, &n2);
    assert_int_equal(n1, n2);
    assert_memory_equal(f1, f2, n1);
    free(f1);
    free(f2);
    dyad_dict_free(compiled);
    dyad_dict_free(text);
}

static void expect_refused(char *buf, size_t len, const char *msg)
{
    char err[512] = "";
    dyad_dict *d = dict_cache_from_memory(buf, len, err, sizeof err);
    if (d) {
        dyad_dict_free(d);
        fail_msg("expected '%s', the file opened", msg);
    }
    if (!strstr(err, msg))
        fail_msg("got '%s', expected '%s'", err, msg);
}

static void test_damaged_files(void **state)
{
    char err[512], file[128];
    dyad_dict *d = dyad_dict_load("data/dict", err, sizeof err);
    assert_non_null(d);
    path_in(file, sizeof file, "damage.dyc");
    assert_int_equal(dict_cache_write(d, file, NULL, DICT_FORMAT_NATIVE, 7, err, sizeof err), 0);
    dyad_dict_free(d);
    size_t len;
    char *buf = read_all(file, &len);
    dyad_dict *ok = dict_cache_from_memory(buf, len, err, sizeof err);
    assert_non_null(ok);
    dyad_dict_free(ok);

    expect_refused(buf, len - 1, "truncated");
    expect_refused(buf, 100, "no DYADDICT header");
    buf[len / 2] ^= 0x40;
    expect_refused(buf, len, "checksum mismatch");
    buf[len / 2] ^= 0x40;
    buf[0] = 'X';
    expect_refused(buf, len, "no DYADDICT header");
    buf[0] = 'D';
    buf[8] = 99; /* the format version */
    expect_refused(buf, len, "compile it again");
    buf[8] = 1;
    buf[12] ^= 0xff; /* the byte-order mark */
    expect_refused(buf, len, "byte order");
    buf[12] ^= 0xff;
    /* crafted: a file whose checksum is right but whose last index value points
     * past the entries must be refused by the offset checks, not crash */
    uint32_t bogus = 0x7fffffff;
    char *copy = aligned_alloc(8, (len + 7) / 8 * 8 + 8);
    assert_non_null(copy);
    memcpy(copy, buf, len);
    memcpy(copy + len - 4, &bogus, 4);
    dict_cache_reseal(copy, len);
    expect_refused(copy, len, "index");
    free(copy);
    /* and the untouched file still opens from disk */
    ok = dict_cache_open(file, 0, err, sizeof err);
    if (!ok)
        fail_msg("%s", err);
    dyad_dict_free(ok);
    /* an automatic cache file from other sources is refused */
    assert_null(dict_cache_open(file, 8, err, sizeof err));
    assert_non_null(strstr(err, "other sources"));
    free(buf);
}

static size_t count_cache_files(const char *dir)
{
    DIR *dp = opendir(dir);
    size_t n = 0;
    struct dirent *de;
    if (!dp)
        return 0;
    while ((de = readdir(dp)))
        n += strstr(de->d_name, DICT_CACHE_SUFFIX) != NULL;
    closedir(dp);
    return n;
}

static void test_stale_and_automatic(void **state)
{
    char err[512], src[128], file[128], out[128], cache[128];
    path_in(src, sizeof src, "src");
    assert_int_equal(mkdir(src, 0700), 0);
    path_in(file, sizeof file, "src/a.dict");
    write_text(file, "[actors]\nMEX  Mexico\nUSA  United States\n[verbs]\n12  reject\n");
    char abs[4096];
    assert_non_null(realpath(src, abs));
    uint64_t key;
    assert_int_equal(dict_source_key(abs, DICT_FORMAT_NATIVE, &key, err, sizeof err), 0);
    dyad_dict *d = dyad_dict_load(src, err, sizeof err);
    assert_non_null(d);
    path_in(out, sizeof out, "small.dyc");
    assert_int_equal(dict_cache_write(d, out, abs, DICT_FORMAT_NATIVE, key, err, sizeof err), 0);
    dyad_dict_free(d);
    assert_true(dict_is_compiled(out));
    assert_false(dict_is_compiled(file));
    d = dict_cache_open(out, 0, err, sizeof err);
    assert_non_null(d);
    dyad_dict_free(d);
    /* a changed source makes the compiled file stale */
    write_text(file, "[actors]\nMEX  Mexico\nUSA  United States\n[verbs]\n12  reject; refuse\n");
    assert_null(dict_cache_open(out, 0, err, sizeof err));
    assert_non_null(strstr(err, "stale"));

    /* the automatic cache: written on the first load, used on the second,
     * written again (and the old file pruned) after an edit */
    path_in(cache, sizeof cache, "cache/dyad");
    int how = -1;
    d = dict_load_cached(src, DICT_FORMAT_NATIVE, cache, &how, err, sizeof err);
    assert_non_null(d);
    assert_int_equal(how, 2);
    dyad_dict_free(d);
    d = dict_load_cached(src, DICT_FORMAT_NATIVE, cache, &how, err, sizeof err);
    assert_non_null(d);
    assert_int_equal(how, 1);
    assert_non_null(strstr(d->entries[d->nentries - 1].rule, "a.dict:"));
    dyad_dict_free(d);
    assert_int_equal(count_cache_files(cache), 1);
    write_text(file, "[actors]\nMEX  Mexico\n[verbs]\n12  reject\n");
    d = dict_load_cached(src, DICT_FORMAT_NATIVE, cache, &how, err, sizeof err);
    assert_non_null(d);
    assert_int_equal(how, 2);
    size_t n = d->nentries;
    dyad_dict_free(d);
    assert_int_equal(count_cache_files(cache), 1);
    d = dict_load_cached(src, DICT_FORMAT_NATIVE, cache, &how, err, sizeof err);
    assert_non_null(d);
    assert_int_equal(how, 1);
    assert_int_equal(d->nentries, n);
    dyad_dict_free(d);
    /* no cache directory: plain loading; a bad source: the loader's own error */
    d = dict_load_cached(src, DICT_FORMAT_NATIVE, NULL, &how, err, sizeof err);
    assert_non_null(d);
    assert_int_equal(how, 0);
    dyad_dict_free(d);
    write_text(file, "[actors]\nMEX\n");
    assert_null(dict_load_cached(src, DICT_FORMAT_NATIVE, cache, &how, err, sizeof err));
    assert_non_null(strstr(err, "a.dict:2"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_same_dictionary),
        cmocka_unit_test(test_damaged_files),
        cmocka_unit_test(test_stale_and_automatic),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
