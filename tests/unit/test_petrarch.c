/*
 * test_petrarch.c - reading PETRARCH2/TABARI dictionaries: actors with dated
 * codes and synonyms, agents with substitution sets and plurals, verbs with
 * synsets, multi-word verbs, flat patterns, and discards.
 */
#include "testutil.h"
#include "dict/dict.h"

#include <unistd.h>

static char dir[64];

static const char *write_file(const char *name, const char *text)
{
    static char path[4][128];
    static int k;
    char *p = path[k++ % 4];
    snprintf(p, 128, "%s/%s", dir, name);
    FILE *f = fopen(p, "w");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
    return p;
}

static int setup(void **state)
{
    (void)state;
    snprintf(dir, sizeof dir, "/tmp/dyad-petr-XXXXXX");
    return mkdtemp(dir) ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    const char *names[] = {"a.txt", "g.txt", "v.txt", "d.txt"};
    for (size_t i = 0; i < 4; i++) {
        char p[128];
        snprintf(p, sizeof p, "%s/%s", dir, names[i]);
        unlink(p);
    }
    rmdir(dir);
    return 0;
}

static const char *ACTORS =
    "<!-- header comment -->\n"
    "ARNOR_  [ARN]\n"
    "+ARNORIAN\n"
    "GONDOR [GON] # comment\n"
    "<!-- a\n multi-line\n comment -->\n"
    "BILBO_BAGGINS\n"
    "\t[HOB < 950601]\n"
    "\t[HOBGOV 19950601 - 19990815]\n"
    "\t[HOBREB > 990816]\n"
    "BOROMIR [---]\n";
static const char *AGENTS =
    "!PERSON! = MAN, MEN\n"
    "PRESIDENT [~GOV]\n"
    "POLICE {} [~COP]\n"
    "ATTORNEY_GENERAL {ATTORNEYS_GENERAL} [~JUD]\n"
    "POLICE!PERSON! [~COP]\n"
    "MSF {} [NGO~]\n"
    "NO CODE HERE\n";
static const char *VERBS =
    "&TIES\n+DIPLOMATIC\n+ECONOMIC_\n\n"
    "--- RESTORE [064] ---\n"
    "RESTORE\n"
    "- * &TIES TIES [0641]\n"
    "- NOT_* [---]\n"
    "--- ASK [020] ---\n"
    "ASK\n"
    "+ASK_FOR {+ASKED_FOR +ASKING_FOR +ASKS_FOR} [023]\n"
    "--- VISIT [042:043] ---\n"
    "VISIT\n"
    "--- FLEE [---] ---\n"
    "FLEE {FLEES FLED FLEEING}\n"
    "- * FROM + [0233]\n"
    "~ a (a b ATTACK) SAY = a b 015\n";
static const char *DISCARDS = "YEARS LATER\n+WORLD CUP\n";

static const char *code(dyad_dict *d, const char *text, const char *date)
{
    static char out[1024];
    char err[256];
    dyad_doc *doc = dyad_doc_new();
    assert_int_equal(dyad_doc_set(doc, "t", date, "", "", text, strlen(text), err, sizeof err), 0);
    assert_int_equal(dyad_code(d, doc, 0, err, sizeof err), 0);
    size_t k = 0;
    out[0] = '\0';
    for (size_t i = 0; i < dyad_doc_nevents(doc); i++) {
        const dyad_event *e = dyad_doc_event(doc, i);
        k += (size_t)snprintf(out + k, sizeof out - k, "%s%s>%s:%s", i ? " " : "", e->source,
                              e->target, e->code);
    }
    dyad_doc_free(doc);
    return out;
}

static void test_set(void **state)
{
    (void)state;
    char err[512];
    const char *a = write_file("a.txt", ACTORS), *g = write_file("g.txt", AGENTS),
               *v = write_file("v.txt", VERBS), *dd = write_file("d.txt", DISCARDS);
    dyad_dict *d = dict_load_petrarch_set(v, a, g, dd, err, sizeof err);
    if (!d)
        fail_msg("%s", err);
    assert_string_equal(code(d, "Arnor will restore diplomatic ties with Gondor.", "1995-01-01"),
                        "");  /* "will": intended, hidden by default */
    assert_string_equal(code(d, "Arnor restored diplomatic ties with Gondor.", "1995-01-01"),
                        "ARN>GON:0641");
    assert_string_equal(code(d, "Arnorian officials restored economic ties with Gondor.",
                             "1995-01-01"),
                        "ARN>GON:0641");
    assert_string_equal(code(d, "Arnor restored links with Gondor.", "1995-01-01"), "ARN>GON:064");
    /* dated codes */
    assert_string_equal(code(d, "Bilbo Baggins visited Gondor.", "1995-01-01"),
                        "HOB>GON:042 GON>HOB:043");
    assert_string_equal(code(d, "Bilbo Baggins visited Gondor.", "1996-01-01"),
                        "HOBGOV>GON:042 GON>HOBGOV:043");
    assert_string_equal(code(d, "Bilbo Baggins visited Gondor.", "2001-01-01"),
                        "HOBREB>GON:042 GON>HOBREB:043");
    /* agents: plural, explicit plural, substitution, prefix code */
    assert_string_equal(code(d, "Arnorian presidents visited Gondor.", "1995-01-01"),
                        "ARNGOV>GON:042 GON>ARNGOV:043");
    assert_string_equal(code(d, "Gondor policemen visited Arnor.", "1995-01-01"),
                        "GONCOP>ARN:042 ARN>GONCOP:043");
    assert_string_equal(code(d, "Arnor attorneys general visited Gondor.", "1995-01-01"),
                        "ARNJUD>GON:042 GON>ARNJUD:043");
    assert_string_equal(code(d, "MSF visited Gondor.", "1995-01-01"), "NGO>GON:042 GON>NGO:043");
    /* multi-word verb with listed forms; null block code with a pattern */
    assert_string_equal(code(d, "Arnor asked for help from Gondor.", "1995-01-01"),
                        "ARN>GON:023");
    assert_string_equal(code(d, "Arnor fled to Gondor.", "1995-01-01"), "");
    assert_string_equal(code(d, "Arnor fled from Gondor.", "1995-01-01"), "ARN>GON:0233");
    /* null actor: Boromir is known but codes nothing */
    assert_string_equal(code(d, "Boromir visited Gondor.", "1995-01-01"), "");
    /* discards: sentence and story */
    assert_string_equal(code(d, "Years later, Arnor visited Gondor.", "1995-01-01"), "");
    assert_string_equal(code(d, "Arnor visited Gondor. The World Cup began.", "1995-01-01"), "");
    dyad_dict_free(d);
}

static void test_errors(void **state)
{
    (void)state;
    char err[512];
    const char *a = write_file("a.txt", "ARNOR [ARN 950101-940101]\n");
    assert_null(dict_load_petrarch_set(NULL, a, NULL, NULL, err, sizeof err));
    assert_non_null(strstr(err, "a.txt:1: date range"));
    a = write_file("a.txt", "ARNOR [ARN <95x101]\n");
    assert_null(dict_load_petrarch_set(NULL, a, NULL, NULL, err, sizeof err));
    assert_non_null(strstr(err, "a.txt:1: bad date"));
    a = write_file("a.txt", "OK [OK]\nARNOR [ARN\n");
    assert_null(dict_load_petrarch_set(NULL, a, NULL, NULL, err, sizeof err));
    assert_non_null(strstr(err, "a.txt:2: '[' without ']'"));
    const char *g = write_file("g.txt", "!MINST!_OF_WAR [~GOV]\n");
    assert_null(dict_load_petrarch_set(NULL, NULL, g, NULL, err, sizeof err));
    assert_non_null(strstr(err, "g.txt:1: substitution marker"));
    assert_null(dict_load_petrarch_set("/nonexistent/v.txt", NULL, NULL, NULL, err, sizeof err));
    assert_non_null(strstr(err, "/nonexistent/v.txt: cannot open"));
    /* a bad synonym after a good one: an error, not a double free of the good one (fuzz
     * finding, tests/fuzz/corpus/petrarch/regress-flush-actor-double-free) */
    a = write_file("a.txt", "ARNOR\n+A B C D E F G H I J K L M N O P Q\n[ARN]\n");
    assert_null(dict_load_petrarch_set(NULL, a, NULL, NULL, err, sizeof err));
    assert_non_null(strstr(err, "a.txt:"));
    assert_non_null(strstr(err, "more than 16 words"));
}

static void test_shared_validation_set(void **state)
{
    (void)state;
    const char *shared = tu_shared();
    if (!shared) {
        printf("  skipped: ../shared is absent (PETRARCH2 validation dictionaries)\n");
        return;
    }
    char v[256], a[256], g[256], dd[256], err[512];
    snprintf(v, sizeof v, "%s/conformance/petrarch2/PETR.Validate.verbs.txt", shared);
    snprintf(a, sizeof a, "%s/conformance/petrarch2/PETR.Validate.actors.txt", shared);
    snprintf(g, sizeof g, "%s/conformance/petrarch2/PETR.Validate.agents.txt", shared);
    snprintf(dd, sizeof dd, "%s/conformance/petrarch2/PETR.Validate.discards.txt", shared);
    dyad_dict *d = dict_load_petrarch_set(v, a, g, dd, err, sizeof err);
    if (!d)
        fail_msg("%s", err);
    assert_true(d->nentries > 1000);
    dyad_dict_free(d);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_set),
        cmocka_unit_test(test_errors),
        cmocka_unit_test(test_shared_validation_set),
    };
    return cmocka_run_group_tests_name("petrarch", tests, setup, teardown);
}
