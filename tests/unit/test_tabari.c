/*
 * test_tabari.c - reading TABARI dictionaries (stems, '_' and '=' endings,
 * dated codes, synonyms, agents, synsets, '{ A | B }' alternatives, discard
 * codes) and TABARI validation records (events, no-event marks, options,
 * deactivated expectations, the end record), and their file:line errors.
 */
#include "testutil.h"
#include "dict/dict.h"
#include "eval/gold.h"

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
    snprintf(dir, sizeof dir, "/tmp/dyad-tabari-XXXXXX");
    return mkdtemp(dir) ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    const char *names[] = {"a.txt", "g.txt", "v.txt", "t.text", "t.project"};
    for (size_t i = 0; i < sizeof names / sizeof *names; i++) {
        char p[128];
        snprintf(p, sizeof p, "%s/%s", dir, names[i]);
        unlink(p);
    }
    rmdir(dir);
    return 0;
}

static const char *ACTORS =
    "<NOUN>\nSHEEP\n</NOUN>\n"
    "ARNOR  [ARN] ;a stem: ARNORIAN\n"
    "ARGENTIN  [ARG]\n"
    "ESTONIA_  [EST] ;whole word\n"
    "MOUSE= [MUS]\n"
    "#ALBRIGHZ  [991201-010114] [---] ; commented out\n"
    "GOLLUM ; codes on the lines below\n"
    "+SMEAGOL\n"
    "\t[HOB < 950601]\n"
    "\t[HOBGOV 950601 - 990815]\n"
    "\t[HOBREB > 990816]\n"
    "GONDOR\n+MINAS_TIRITH\n\t[GON]\n"
    "AL_GORE  [AGR]\n"
    "AL GORE  [TEN] ;dropped: repeats AL_GORE\n"
    "LORIEN  [ELR/GAL]\n"
    "NASGUL  [###]\n"
    "ONODOHER  [ONO <911226] [###]\n"
    "~~FINISH\n";
static const char *AGENTS =
    "PRESIDENT_  [ ~GOVPRS] ;ns 6/26/01\n"
    "HUMAN_RIGHTS_ACTIVISTS_   [  NGM~]\n";
static const char *VERBS =
    "<SYNSETS>\n&TIETYPES\n+MILITARY\n+ECONOMIC_\n&CURRENCY\n+DOLLAR\n+YEN\n</SYNSETS>\n"
    "<TIME>\nTOMORROW [+1]\n</TIME>\n"
    "RESTOR  [064] ;a stem: RESTORE, RESTORED\n"
    "- * &TIETYPES TIES  [0641]\n"
    "- * DIPLXMATIC  [###]\n"
    "DEPART_ [032]\n"
    "BAN= [191]\n"
    "CONTRIBUT  [070]\n"
    "- * &CURRENCY [903]\n"
    "- * DOLLAR  [071]\n"
    "ASK  [090]\n"
    "- * FOR { ECONOMIC_SANCTIONS | TOTAL_BOYCOTT | EMBARGO }  [172]\n"
    "VISIT_ [032:033]\n"
    "SAID  [023?]\n"
    "- * PLEASED  [041]\n"
    "SOCCER  [###]\n";

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
               *v = write_file("v.txt", VERBS);
    dyad_dict *d = dict_load_tabari_set(v, a, g, err, sizeof err);
    if (!d)
        fail_msg("%s", err);
    const char *day = "1995-01-01";
    /* stems: actor and verb */
    assert_string_equal(code(d, "Arnor restored diplomatic ties with Gondor.", day), "ARN>GON:064");
    assert_string_equal(code(d, "Arnorian officials restored ties with Argentina.", day),
                        "ARN>ARG:064");
    /* synset member, and the pattern's last word with a plural ending */
    assert_string_equal(code(d, "Arnor restored military ties with Gondor.", day),
                        "ARN>GON:0641");
    /* a whole word takes the regular endings, an exact one none */
    assert_string_equal(code(d, "Estonias departed from Gondor.", day), "EST>GON:032");
    assert_string_equal(code(d, "Estoniab departed from Gondor.", day), "");
    assert_string_equal(code(d, "Mouse departed from Gondor.", day), "MUS>GON:032");
    assert_string_equal(code(d, "Mouses departed from Gondor.", day), "");
    assert_string_equal(code(d, "Mouse baned Gondor.", day), "");
    assert_string_equal(code(d, "Mouse ban Gondor.", day), "MUS>GON:191");
    /* dated codes and synonyms */
    assert_string_equal(code(d, "Gollum departed from Minas Tirith.", day), "HOB>GON:032");
    assert_string_equal(code(d, "Smeagol departed from Gondor.", "1996-01-01"),
                        "HOBGOV>GON:032");
    assert_string_equal(code(d, "Smeagol departed from Gondor.", "2001-01-01"),
                        "HOBREB>GON:032");
    /* "AL GORE" repeats "AL_GORE": one actor, not a compound of both */
    assert_string_equal(code(d, "Al Gore departed from Gondor.", day), "AGR>GON:032");
    /* a literal pattern wins over the same words reached through a synset */
    assert_string_equal(code(d, "Arnor contributed dollars to Gondor.", day), "ARN>GON:071");
    assert_string_equal(code(d, "Arnor contributed yen to Gondor.", day), "ARN>GON:903");
    /* { A | B } alternatives */
    assert_string_equal(code(d, "Arnor asked for an embargo against Gondor.", day),
                        "ARN>GON:172");
    assert_string_equal(code(d, "Arnor asked for a total boycott of Gondor.", day),
                        "ARN>GON:172");
    /* agents: appended and prefixed codes */
    assert_string_equal(code(d, "The Arnor president visited Gondor.", day),
                        "ARNGOVPRS>GON:032 GON>ARNGOVPRS:033");
    assert_string_equal(code(d, "Gondor human rights activists departed from Arnor.", day),
                        "NGMGON>ARN:032");
    /* SAID [023?] codes nothing by itself; its patterns do */
    assert_string_equal(code(d, "Arnor said Gondor was wrong.", day), "");
    /* discards: an actor coded [###], a verb coded [###], a pattern coded [###] */
    assert_string_equal(code(d, "The Nasgul departed from Gondor.", day), "");
    assert_string_equal(code(d, "Arnor departed from Gondor after the soccer match.", day), "");
    assert_string_equal(code(d, "Arnor restored diplxmatic ties with Gondor.", day), "");
    /* a dated [###]: a null actor in its dates, an actor before */
    assert_string_equal(code(d, "Onodoher departed from Gondor.", "1991-01-01"), "ONO>GON:032");
    assert_string_equal(code(d, "Onodoher departed from Gondor.", day), "");
    /* a compound code */
    assert_string_equal(code(d, "Lorien departed from Gondor.", day), "ELR>GON:032 GAL>GON:032");
    dyad_dict_free(d);
}

static void test_errors(void **state)
{
    (void)state;
    char err[512];
    const char *a = write_file("a.txt", "ARNOR [ARN 950101-940101]\n");
    assert_null(dict_load_tabari_set(NULL, a, NULL, err, sizeof err));
    assert_non_null(strstr(err, "a.txt:1: date range"));
    a = write_file("a.txt", "OK [OK]\nARNOR [ARN\n");
    assert_null(dict_load_tabari_set(NULL, a, NULL, err, sizeof err));
    assert_non_null(strstr(err, "a.txt:2: '[' without ']'"));
    a = write_file("a.txt", "OK [OK]\n\nGOLLUM ; no code follows\n+SMEAGOL\nBREE [BRE]\n");
    assert_null(dict_load_tabari_set(NULL, a, NULL, err, sizeof err));
    assert_non_null(strstr(err, "a.txt:3: actor 'GOLLUM' has no [CODE]"));
    const char *g = write_file("g.txt", "PRESIDENT_ [~GOV]\nMINISTER_\n");
    assert_null(dict_load_tabari_set(NULL, NULL, g, err, sizeof err));
    assert_non_null(strstr(err, "g.txt:2: agent 'MINISTER_' has no [CODE]"));
    const char *v = write_file("v.txt", "- * TIES [064]\n");
    assert_null(dict_load_tabari_set(v, NULL, NULL, err, sizeof err));
    assert_non_null(strstr(err, "v.txt:1: pattern before any verb"));
    v = write_file("v.txt", "RESTOR [064]\n- * &TIETYPES TIES [0641]\n");
    assert_null(dict_load_tabari_set(v, NULL, NULL, err, sizeof err));
    assert_non_null(strstr(err, "v.txt:2: synset '&TIETYPES' is not defined"));
    v = write_file("v.txt", "ASK [090]\n\n- * FOR { SANCTIONS | BOYCOTT  [172]\n");
    assert_null(dict_load_tabari_set(v, NULL, NULL, err, sizeof err));
    assert_non_null(strstr(err, "v.txt:3: '{' without '}'"));
    v = write_file("v.txt", "ASK [090]\n- FOR TALKS [031]\n");
    assert_null(dict_load_tabari_set(v, NULL, NULL, err, sizeof err));
    assert_non_null(strstr(err, "v.txt:2: pattern '- FOR TALKS [031]' needs exactly one '*'"));
    v = write_file("v.txt", "ASK\n");
    assert_null(dict_load_tabari_set(v, NULL, NULL, err, sizeof err));
    assert_non_null(strstr(err, "v.txt:1: verb 'ASK' has no [CODE]"));
    assert_null(dict_load_tabari_set("/nonexistent/v.txt", NULL, NULL, err, sizeof err));
    assert_non_null(strstr(err, "/nonexistent/v.txt: cannot open"));
}

static const char *TEXT =
    "#####\n# header\n#####\n\n"
    "950101  DEMO-01\nArnor is about to restore full diplomatic ties with Gondor.\n"
    "/*\\n----\n\\n[Simple coding]\n\\n{ ARN / GON / 064 } 950101 */\n\n"
    "950103  DEMO-04\nTelemar left for Minas Tirith./*\n\\n{ DAG / GON / 032 }\n"
    "\\n{ GON / dag / 033 }   */\n\n"
    "950101  NOEV-01\nNothing happens here.\n/*\\n{ --- } */\n\n"
    "950101  OPT-01\nA switch.\n/*\\n{ OPTION: SET: YYYY = TRUE } */\n\n"
    "19950102 CONV-01\nArnor restored ties with the Muslims.\n/*\\n{ ARN / ~MOS / 064 } */\n\n"
    "19950102 OFF-01\nNot checked.\n/*\\n-{ ARN / GON / 064 } */\n\n"
    "19990101 FINAL-01\nThis is the end of the standard validation records.\n\n"
    "950101  AFTER-01\nNot read.\n/*\\n{ ARN / GON / 064 } */\n";

static void test_gold(void **state)
{
    (void)state;
    char err[512];
    write_file("t.text", TEXT);
    const char *p = write_file("t.project", "Validation file\n<actorsfile> a.txt\n"
                                            "<verbsfile>\tv.txt\n<agentsfile> g.txt\n"
                                            "<textfile> \t t.text\n<eventfile> x\n");
    gold_set g;
    if (gold_load(&g, p, err, sizeof err))
        fail_msg("%s", err);
    assert_true(g.tabari);
    assert_non_null(strstr(g.tabari_verbs, "/v.txt"));
    assert_non_null(strstr(g.tabari_actors, "/a.txt"));
    assert_non_null(strstr(g.tabari_agents, "/g.txt"));
    assert_int_equal(g.n, 4);
    assert_int_equal(g.tabari_skipped, 2);
    assert_string_equal(g.recs[0].id, "DEMO-01");
    assert_string_equal(g.recs[0].date, "1995-01-01");
    assert_string_equal(g.recs[0].category, "DEMO");
    assert_string_equal(g.recs[0].text,
                        "Arnor is about to restore full diplomatic ties with Gondor.");
    assert_int_equal(g.recs[0].nevents, 1);
    assert_string_equal(g.recs[0].events[0].code, "064");
    assert_string_equal(g.recs[1].text, "Telemar left for Minas Tirith.");
    assert_int_equal(g.recs[1].nevents, 2);
    assert_string_equal(g.recs[1].events[1].target, "DAG");
    assert_string_equal(g.recs[2].id, "NOEV-01");
    assert_int_equal(g.recs[2].nevents, 0);
    assert_string_equal(g.recs[3].date, "1995-01-02"); /* after SET: YYYY = TRUE */
    assert_string_equal(g.recs[3].events[0].target, "---MOS");
    gold_free(&g);

    write_file("t.text", "950101  DEMO-01\nText.\n/*\\n{ ARN / GON } */\n");
    assert_int_equal(gold_load(&g, p, err, sizeof err), -1);
    assert_non_null(strstr(err, "t.text:1: record DEMO-01: expected event"));
    gold_free(&g);
    write_file("t.text", "\n\n951301  DEMO-01\nText.\n/*\\n{ ARN / GON / 064 } */\n");
    assert_int_equal(gold_load(&g, p, err, sizeof err), -1);
    assert_non_null(strstr(err, "t.text:3: date \"951301\" is not a calendar date"));
    gold_free(&g);
    write_file("t.text", "DEMO-01\nText.\n");
    assert_int_equal(gold_load(&g, p, err, sizeof err), -1);
    assert_non_null(strstr(err, "t.text:1: a record must start with"));
    gold_free(&g);
    p = write_file("t.project", "<actorsfile> a.txt\n");
    assert_int_equal(gold_load(&g, p, err, sizeof err), -1);
    assert_non_null(strstr(err, "no <textfile> line"));
    gold_free(&g);
}

static void test_shared_validation_set(void **state)
{
    (void)state;
    const char *shared = tu_shared();
    if (!shared) {
        printf("  skipped: ../shared is absent (TABARI validation dictionaries)\n");
        return;
    }
    char v[256], a[256], g[256], p[256], err[512];
    snprintf(v, sizeof v, "%s/conformance/tabari/TABARI.Demo.verbs", shared);
    snprintf(a, sizeof a, "%s/conformance/tabari/TABARI.Demo.actors", shared);
    snprintf(g, sizeof g, "%s/conformance/tabari/Validate.agents", shared);
    snprintf(p, sizeof p, "%s/conformance/tabari/Validate.project", shared);
    dyad_dict *d = dict_load_tabari_set(v, a, g, err, sizeof err);
    if (!d)
        fail_msg("%s", err);
    assert_true(d->nentries > 1000);
    dyad_dict_free(d);
    gold_set gs;
    if (gold_load(&gs, p, err, sizeof err))
        fail_msg("%s", err);
    assert_int_equal(gs.n, 444);
    assert_int_equal(gs.tabari_skipped, 28);
    gold_free(&gs);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_set),
        cmocka_unit_test(test_errors),
        cmocka_unit_test(test_gold),
        cmocka_unit_test(test_shared_validation_set),
    };
    return cmocka_run_group_tests_name("tabari", tests, setup, teardown);
}
