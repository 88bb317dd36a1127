/*
 * inflect.c - English verb and noun inflection (see inflect.h).
 */
#include "dict/inflect.h"

#include <stdio.h>
#include <string.h>

/* base, past, past participle */
static const char *const IRREGULAR[][3] = {
    {"arise", "arose", "arisen"}, {"awake", "awoke", "awoken"}, {"be", "was", "been"},
    {"bear", "bore", "borne"}, {"beat", "beat", "beaten"}, {"become", "became", "become"},
    {"begin", "began", "begun"}, {"bend", "bent", "bent"}, {"bet", "bet", "bet"},
    {"bid", "bid", "bid"}, {"bind", "bound", "bound"}, {"bite", "bit", "bitten"},
    {"bleed", "bled", "bled"}, {"blow", "blew", "blown"}, {"break", "broke", "broken"},
    {"breed", "bred", "bred"}, {"bring", "brought", "brought"}, {"build", "built", "built"},
    {"burn", "burned", "burnt"}, {"burst", "burst", "burst"}, {"buy", "bought", "bought"},
    {"cast", "cast", "cast"}, {"catch", "caught", "caught"}, {"choose", "chose", "chosen"},
    {"cling", "clung", "clung"}, {"come", "came", "come"}, {"cost", "cost", "cost"},
    {"creep", "crept", "crept"}, {"cut", "cut", "cut"}, {"deal", "dealt", "dealt"},
    {"dig", "dug", "dug"}, {"do", "did", "done"}, {"draw", "drew", "drawn"},
    {"drink", "drank", "drunk"}, {"drive", "drove", "driven"}, {"eat", "ate", "eaten"},
    {"fall", "fell", "fallen"}, {"feed", "fed", "fed"}, {"feel", "felt", "felt"},
    {"fight", "fought", "fought"}, {"find", "found", "found"}, {"flee", "fled", "fled"},
    {"fling", "flung", "flung"}, {"fly", "flew", "flown"}, {"forbid", "forbade", "forbidden"},
    {"forecast", "forecast", "forecast"}, {"foresee", "foresaw", "foreseen"},
    {"forget", "forgot", "forgotten"}, {"forgive", "forgave", "forgiven"},
    {"freeze", "froze", "frozen"}, {"get", "got", "gotten"}, {"give", "gave", "given"},
    {"go", "went", "gone"}, {"grind", "ground", "ground"}, {"grow", "grew", "grown"},
    {"hang", "hung", "hung"}, {"have", "had", "had"}, {"hear", "heard", "heard"},
    {"hide", "hid", "hidden"}, {"hit", "hit", "hit"}, {"hold", "held", "held"},
    {"hurt", "hurt", "hurt"}, {"keep", "kept", "kept"}, {"kneel", "knelt", "knelt"},
    {"know", "knew", "known"}, {"lay", "laid", "laid"}, {"lead", "led", "led"},
    {"lean", "leaned", "leant"}, {"leap", "leapt", "leapt"}, {"learn", "learned", "learnt"},
    {"leave", "left", "left"}, {"lend", "lent", "lent"}, {"let", "let", "let"},
    {"lie", "lay", "lain"}, {"light", "lit", "lit"}, {"lose", "lost", "lost"},
    {"make", "made", "made"}, {"mean", "meant", "meant"}, {"meet", "met", "met"},
    {"mislead", "misled", "misled"}, {"offset", "offset", "offset"},
    {"outbid", "outbid", "outbid"}, {"overcome", "overcame", "overcome"},
    {"override", "overrode", "overridden"}, {"overrun", "overran", "overrun"},
    {"oversee", "oversaw", "overseen"}, {"overthrow", "overthrew", "overthrown"},
    {"pay", "paid", "paid"}, {"put", "put", "put"}, {"quit", "quit", "quit"},
    {"read", "read", "read"}, {"rebuild", "rebuilt", "rebuilt"}, {"rid", "rid", "rid"},
    {"ride", "rode", "ridden"}, {"ring", "rang", "rung"}, {"rise", "rose", "risen"},
    {"run", "ran", "run"}, {"say", "said", "said"}, {"see", "saw", "seen"},
    {"seek", "sought", "sought"}, {"sell", "sold", "sold"}, {"send", "sent", "sent"},
    {"set", "set", "set"}, {"shake", "shook", "shaken"}, {"shed", "shed", "shed"},
    {"shine", "shone", "shone"}, {"shoot", "shot", "shot"}, {"show", "showed", "shown"},
    {"shrink", "shrank", "shrunk"}, {"shut", "shut", "shut"}, {"sing", "sang", "sung"},
    {"sink", "sank", "sunk"}, {"sit", "sat", "sat"}, {"slay", "slew", "slain"},
    {"sleep", "slept", "slept"}, {"slide", "slid", "slid"}, {"sling", "slung", "slung"},
    {"slit", "slit", "slit"}, {"speak", "spoke", "spoken"}, {"speed", "sped", "sped"},
    {"spend", "spent", "spent"}, {"spin", "spun", "spun"}, {"split", "split", "split"},
    {"spread", "spread", "spread"}, {"spring", "sprang", "sprung"},
    {"stand", "stood", "stood"}, {"steal", "stole", "stolen"}, {"stick", "stuck", "stuck"},
    {"sting", "stung", "stung"}, {"strike", "struck", "struck"},
    {"string", "strung", "strung"}, {"strive", "strove", "striven"},
    {"swear", "swore", "sworn"}, {"sweep", "swept", "swept"}, {"swim", "swam", "swum"},
    {"swing", "swung", "swung"}, {"take", "took", "taken"}, {"teach", "taught", "taught"},
    {"tear", "tore", "torn"}, {"tell", "told", "told"}, {"think", "thought", "thought"},
    {"throw", "threw", "thrown"}, {"thrust", "thrust", "thrust"},
    {"undergo", "underwent", "undergone"}, {"understand", "understood", "understood"},
    {"undertake", "undertook", "undertaken"}, {"undo", "undid", "undone"},
    {"uphold", "upheld", "upheld"}, {"upset", "upset", "upset"}, {"wake", "woke", "woken"},
    {"wear", "wore", "worn"}, {"weep", "wept", "wept"}, {"win", "won", "won"},
    {"wind", "wound", "wound"}, {"withdraw", "withdrew", "withdrawn"},
    {"withhold", "withheld", "withheld"}, {"withstand", "withstood", "withstood"},
    {"write", "wrote", "written"},
};

/* Verbs of more than one syllable that double their final consonant. */
static const char *const DOUBLING[] = {
    "abet", "acquit", "admit", "allot", "commit", "compel", "concur", "confer", "control",
    "deter", "defer", "embed", "equip", "excel", "expel", "extol", "impel", "incur", "infer",
    "omit", "outwit", "patrol", "permit", "propel", "rebel", "rebut", "recur", "refer",
    "regret", "remit", "repel", "submit", "transfer", "transmit", "unpin", "prefer",
    "occur", "compel", "dispel", "enrol", "instil", "kidnap", "worship", "handicap", NULL};

static int is_vowel(char c) { return c == 'a' || c == 'e' || c == 'i' || c == 'o' || c == 'u'; }

static int syllables(const char *w)
{
    int n = 0, in = 0;
    for (const char *p = w; *p; p++) {
        int v = is_vowel(*p) || (*p == 'y' && p != w);
        if (v && !in)
            n++;
        in = v;
    }
    return n;
}

static int doubles_final(const char *w, size_t n)
{
    for (const char *const *d = DOUBLING; *d; d++)
        if (strcmp(*d, w) == 0)
            return 1;
    if (n < 3 || syllables(w) != 1)
        return 0;
    char c = w[n - 1], v = w[n - 2], p = w[n - 3];
    if (is_vowel(c) || c == 'w' || c == 'x' || c == 'y')
        return 0;
    /* single vowel between consonants: stop, plan, ban (not: seat, meet) */
    return is_vowel(v) && !is_vowel(p);
}

static int put(char out[INFLECT_MAX], const char *a, size_t an, const char *b)
{
    int k = snprintf(out, INFLECT_MAX, "%.*s%s", (int)an, a, b);
    return k > 0 && k < INFLECT_MAX;
}

int inflect_verb(const char *v, char forms[5][INFLECT_MAX])
{
    size_t n = strlen(v);
    if (n == 0 || n + 4 >= INFLECT_MAX)
        return 0;
    char last = v[n - 1], prev = n > 1 ? v[n - 2] : 0;
    put(forms[0], v, n, "");
    /* 3rd person singular */
    if (strcmp(v, "be") == 0)
        put(forms[1], "is", 2, "");
    else if (strcmp(v, "have") == 0)
        put(forms[1], "has", 3, "");
    else if (last == 's' || last == 'x' || last == 'z' || last == 'o' ||
             (last == 'h' && (prev == 'c' || prev == 's')))
        put(forms[1], v, n, "es");
    else if (last == 'y' && !is_vowel(prev))
        put(forms[1], v, n - 1, "ies");
    else
        put(forms[1], v, n, "s");
    /* gerund */
    if (strcmp(v, "be") == 0 || strcmp(v, "see") == 0 || strcmp(v, "flee") == 0 ||
        strcmp(v, "agree") == 0 || strcmp(v, "guarantee") == 0 || strcmp(v, "oversee") == 0 ||
        strcmp(v, "foresee") == 0)
        put(forms[4], v, n, "ing");
    else if (n >= 2 && last == 'e' && prev == 'i')
        put(forms[4], v, n - 2, "ying"); /* die -> dying */
    else if (last == 'e' && n > 2 && !is_vowel(prev))
        put(forms[4], v, n - 1, "ing");
    else if (doubles_final(v, n)) {
        char d[2] = {last, 0};
        char tmp[INFLECT_MAX];
        put(tmp, v, n, d);
        put(forms[4], tmp, n + 1, "ing");
    } else
        put(forms[4], v, n, "ing");
    /* past and past participle */
    for (size_t i = 0; i < sizeof IRREGULAR / sizeof IRREGULAR[0]; i++)
        if (strcmp(IRREGULAR[i][0], v) == 0) {
            put(forms[2], IRREGULAR[i][1], strlen(IRREGULAR[i][1]), "");
            put(forms[3], IRREGULAR[i][2], strlen(IRREGULAR[i][2]), "");
            return 5;
        }
    if (last == 'e')
        put(forms[2], v, n, "d");
    else if (last == 'y' && !is_vowel(prev))
        put(forms[2], v, n - 1, "ied");
    else if (doubles_final(v, n)) {
        char d[2] = {last, 0};
        char tmp[INFLECT_MAX];
        put(tmp, v, n, d);
        put(forms[2], tmp, n + 1, "ed");
    } else
        put(forms[2], v, n, "ed");
    memcpy(forms[3], forms[2], INFLECT_MAX);
    return 5;
}

int inflect_plural(const char *w, char out[INFLECT_MAX])
{
    size_t n = strlen(w);
    if (n == 0 || n + 3 >= INFLECT_MAX)
        return 0;
    char last = w[n - 1], prev = n > 1 ? w[n - 2] : 0;
    static const char *const irregular[][2] = {
        {"man", "men"}, {"woman", "women"}, {"person", "people"}, {"child", "children"},
        {"chief", "chiefs"}, {"staff", "staff"}, {"police", "police"}, {"militia", "militias"},
        {"personnel", "personnel"}, {"crisis", "crises"}, {"analysis", "analyses"},
        {"thesis", "theses"}, {"media", "media"}, {"aircraft", "aircraft"}};
    for (size_t i = 0; i < sizeof irregular / sizeof irregular[0]; i++)
        if (strcmp(irregular[i][0], w) == 0)
            return put(out, irregular[i][1], strlen(irregular[i][1]), "");
    if (n > 3 && strcmp(w + n - 3, "man") == 0) /* chairman, congressman */
        return put(out, w, n - 2, "en");
    if (last == 's' || last == 'x' || last == 'z' || (last == 'h' && (prev == 'c' || prev == 's')))
        return put(out, w, n, "es");
    if (last == 'y' && !is_vowel(prev))
        return put(out, w, n - 1, "ies");
    return put(out, w, n, "s");
}
