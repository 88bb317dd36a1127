/*
 * coder.c - the sentence coder (design in coder.h).
 */
#include "code/coder.h"
#include "article/article.h"
#include "code/cameo.h"
#include "tag/tagset.h"
#include "text/text.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_CODES 16 /* codes of one mention (compound entries, distributed agents) */

/* A raw dictionary hit inside a sentence. */
typedef struct hit {
    uint32_t start, end; /* sentence-relative token range */
    const dict_entry *e;
    const char *codes[MAX_CODES]; /* codes in force on the story date */
    uint32_t ncodes;
} hit;

/* A composed actor mention: one noun phrase.  Usually one code; several for
 * compound dictionary entries (PETRARCH's "THE SHIRE [FRO] [BIL] [SAM]") and
 * for agents distributed over countries ("lawmakers in Fornost and Gondor").
 * No code at all for a null actor ("---"): recognised, but codes nothing. */
typedef struct mention {
    uint32_t start, end;
    const char **codes;
    uint32_t ncodes;
    const char *rule;
    int has_actor;       /* an actor entry (not only agents) took part */
    int modifier;        /* a bare agent used as a modifier: "military involvement" */
    int person;          /* an individual (he/she), not a state or group (it/they) */
    int coref;           /* a pronoun standing for an earlier mention */
    int possessive;      /* "its", "their": only the possessor of a noun trigger */
    int pair;            /* "the two sides": its codes act together, with each other */
    const char *agent;   /* the agent code composed into it ("MIL" of MEXMIL), or NULL */
    uint32_t cfirst, clast; /* the coordinated list it belongs to: "Arnor, Rohan and Gondor" */
} mention;

/* Ids of the dependency relations the tree rules test (tag/tagset.h). */
typedef struct rels {
    uint8_t nsubj, nsubj_pass, csubj, obj, iobj, obl, obl_agent, xcomp, ccomp, conj, acl,
        acl_relcl, advcl, advmod, aux, aux_pass, mark, case_, cop, expl;
} rels;

/* The actors of the last sentences, most recent last: antecedents for pronouns. */
#define COREF_MEMORY 12
#define NAME_MEMORY 64
typedef struct coref_memory {
    mention recent[COREF_MEMORY];
    uint32_t recent_sent[COREF_MEMORY]; /* the sentence each was named in */
    int n;
    /* people named so far, by the last word of their name: later surname-only
     * and misspelt mentions ("Heinbaum" for Sheinbaum) resolve to them */
    struct {
        const char *surname; /* normalized */
        mention m;
    } names[NAME_MEMORY];
    int nnames;
    /* who the use of force spoken of so far came from: "military intervention
     * from the United States" makes "an invasion scenario" later on a US one */
    mention force_by;
    int has_force_by;
    /* whose a thing named so far is: "the EU plans to impose new sanctions"
     * makes "the sanctions" later the EU's */
    struct {
        const char *lemma;
        mention m;
    } owned[32];
    int nowned;
} coref_memory;

/* Quotations of the document being coded: token ranges and speakers. */
typedef struct quote_ctx {
    uint32_t *open, *close; /* doc token index of the first and last quoted token */
    mention *speaker;       /* speaker mention per quote (ncodes 0: unknown) */
    int *has_speaker;
    mention *other;         /* the last actor named in the quote who is not the speaker */
    int *has_other;
    size_t n;
} quote_ctx;

typedef struct sentctx {
    const dyad_dict *d;
    coref_memory *memory; /* shared by the sentences of one document */
    quote_ctx *quotes;    /* NULL in the attribution pre-pass */
    const rels *r;       /* non-NULL when the sentence is parsed: use the tree */
    dyad_doc *doc;
    const token *tok;    /* the sentence's tokens */
    uint32_t n;
    uint32_t *ids;       /* interned norm of each token, 0 = unknown word */
    mention *m;
    uint32_t nm;
    int32_t *m_start;    /* token -> mention starting there, or -1 */
    int32_t *m_end;      /* token -> mention ending just before token+1, or -1 */
    /* bindings of the pattern being matched */
    int32_t src, tgt, both;
    uint32_t lits[PAT_MAX_ELEMS]; /* tokens matched by literal elements */
    int nlits;
    size_t first_event; /* doc->events index of this sentence's first event */
    uint32_t si;        /* the sentence's index in the document */
    const code_trace *trace; /* dyad explain: where decisions are noted, or NULL */
} sentctx;

/* Notes a decision when the sentence is traced.  The arguments are
 * code_note fields (designated initializers) and are evaluated only then, so
 * untraced the cost is one pointer test. */
#define TRACE(c, ...)                                                                       \
    do {                                                                                    \
        if ((c)->trace)                                                                     \
            trace_note((c), &(code_note){__VA_ARGS__});                                     \
    } while (0)

static void trace_note(const sentctx *c, code_note *n)
{
    n->sent = c->si;
    c->trace->note(c->trace->ctx, n);
}

/* Why a cue word set a modality, for the trace: the token (-1: none) and a
 * constant phrase.  Filled on every call: two stores, no cost worth a test. */
typedef struct modality_cue {
    int32_t at;
    const char *why;
} modality_cue;

static int in_list(const char *w, const char *const *list);
static int32_t child(const sentctx *c, uint32_t v, uint8_t rel);
static int32_t mention_at(const sentctx *c, uint32_t t);
static const char *lemma_of(const sentctx *c, uint32_t i);
static int32_t tree_subject(const sentctx *c, uint32_t v, int depth);
static int same_actor(const char *a, const char *b);
static int in_some_mention(const sentctx *c, uint32_t i);

/* Moves mention k, just added, left to its place: mentions stay in text order. */
static void keep_mention_order(sentctx *c, uint32_t k)
{
    for (; k > 0 && c->m[k - 1].start > c->m[k].start; k--) {
        mention t = c->m[k - 1];
        c->m[k - 1] = c->m[k];
        c->m[k] = t;
    }
}

static int is_word(const sentctx *c, uint32_t i, const char *w)
{
    return strcmp(c->tok[i].norm, w) == 0;
}

/* ---------------------------------------------------------------------- */
/* actors                                                                   */

static uint32_t match_literal(const sentctx *c, const dict_entry *e, uint32_t at)
{
    if (at + e->nelem > c->n)
        return 0;
    for (uint32_t k = 0; k < e->nelem; k++)
        if (e->elem[k].kind != PAT_WORD || e->elem[k].w != c->ids[at + k] ||
            (e->forms && e->forms[k] && strcmp(e->forms[k], c->tok[at + k].form) != 0))
            return 0;
    return e->nelem;
}

/* Titles whose "to X" names the posting, not the actor's country. */
static int is_posting_title(const sentctx *c, const hit *h)
{
    static const char *const titles[] = {"ambassador", "ambassadors", "envoy", "envoys",
                                         "emissary", "representative", "consul", NULL};
    for (uint32_t i = h->start; i < h->end; i++)
        for (const char *const *t = titles; *t; t++)
            if (is_word(c, i, *t))
                return 1;
    return 0;
}

/* Nouns after a bare agent that keep it an actor: "cartel members", "police officers". */
static int is_person_noun(const sentctx *c, uint32_t i)
{
    static const char *const nouns[] = {
        "member", "members", "leader", "leaders", "official", "officials", "fighter",
        "fighters", "gunman", "gunmen", "chief", "chiefs", "boss", "bosses", "commander",
        "commanders", "operative", "operatives", "spokesman", "spokeswoman", "spokesperson",
        "representative", "representatives", "delegation", "forces", "officer", "officers",
        "agents", "personnel", "units", NULL};
    for (const char *const *n = nouns; *n; n++)
        if (is_word(c, i, *n))
            return 1;
    return 0;
}

static const char *join_codes(sentctx *c, const char *actor, const char *agent)
{
    char buf[80];
    size_t al = strlen(agent);
    if (al && agent[al - 1] == '~') /* prefix agent: NGO~ + actor */
        snprintf(buf, sizeof buf, "%.*s%s", (int)(al - 1), agent, actor ? actor : "");
    else if (actor)
        snprintf(buf, sizeof buf, "%s%s", actor, agent);
    else
        snprintf(buf, sizeof buf, "---%s", agent);
    return arena_strdup(&c->doc->mem, buf);
}

/* The codes of a noun phrase made of hits: a full actor code wins; else
 * country + agent ("Mexican police" -> MEXCOP); else "---" + agent. */
static int compose(sentctx *c, const hit *hits, size_t nh, mention *m)
{
    const hit *actor = NULL, *agent = NULL, *prefix = NULL;
    for (size_t i = 0; i < nh; i++) {
        if (hits[i].e->kind == ENT_ACTOR) {
            if (!actor || strlen(hits[i].codes[0]) > strlen(actor->codes[0]))
                actor = &hits[i];
        } else {
            size_t al = strlen(hits[i].codes[0]);
            int is_prefix = al && hits[i].codes[0][al - 1] == '~';
            if (is_prefix && !prefix)
                prefix = &hits[i]; /* "an MSF Arnor diplomat": NGO + ARN + GOV */
            else if (!is_prefix && !agent)
                agent = &hits[i];
        }
    }
    if (!agent) {
        agent = prefix;
        prefix = NULL;
    }
    m->has_actor = actor != NULL;
    m->rule = actor ? actor->e->rule : agent->e->rule;
    /* a person: a personal title ("Polish President Karol Nawrocki", "the
     * chancellor"), a dated entry (office holders), or a named individual with
     * a role code */
    if (agent) {
        static const char *const titles[] = {
            "president", "prime", "premier", "chancellor", "minister", "secretary",
            "ambassador", "leader", "king", "queen", "envoy", "spokesman", "spokeswoman",
            "governor", "mayor", "general", "senator", "commander", "chief", "head", NULL};
        for (uint32_t q = agent->start; q < agent->end; q++)
            if (in_list(c->tok[q].norm, titles))
                m->person = 1;
    }
    if (actor && !agent) {
        for (uint32_t k = 0; k < actor->e->ncodes; k++)
            if (actor->e->codes[k].from || actor->e->codes[k].to)
                m->person = 1;
        uint32_t caps = 0;
        for (uint32_t q = actor->start; q < actor->end; q++)
            caps += (c->tok[q].flags & TOK_UPPER) != 0;
        if (strlen(actor->codes[0]) > 3 && caps >= 2)
            m->person = 1;
    }
    m->codes = arena_alloc(&c->doc->mem, MAX_CODES * sizeof *m->codes);
    if (!m->codes)
        return -1;
    m->ncodes = 0;
    if (actor && strcmp(actor->codes[0], "---") == 0)
        return 0; /* null actor */
    if (actor && (strlen(actor->codes[0]) > 3 || !agent)) {
        for (uint32_t k = 0; k < actor->ncodes; k++)
            m->codes[m->ncodes++] = actor->codes[k];
        return 0;
    }
    m->agent = agent->codes[0];
    if (!actor) {
        m->codes[m->ncodes++] = join_codes(c, NULL, agent->codes[0]);
    } else {
        for (uint32_t k = 0; k < actor->ncodes; k++) {
            const char *base = actor->codes[k];
            if (prefix) /* the organisation prefix goes before the country */
                base = join_codes(c, base, prefix->codes[0]);
            m->codes[m->ncodes++] = base ? join_codes(c, base, agent->codes[0]) : NULL;
        }
    }
    for (uint32_t k = 0; k < m->ncodes; k++)
        if (!m->codes[k])
            return -1;
    return 0;
}

/* Words that may stand between the members of a coordinated list of actors. */
static int is_list_joiner(const sentctx *c, uint32_t i)
{
    return is_word(c, i, ",") || is_word(c, i, "and") || is_word(c, i, "or") ||
           is_word(c, i, "&") || is_word(c, i, "the") || is_word(c, i, "both") ||
           is_word(c, i, "as") || is_word(c, i, "well") || is_word(c, i, "nor");
}

/* Can tokens [a, b) separate two members of one list?  A conjunction or a
 * comma, determiners, and up to three lower-case modifiers ("and the evil
 * awful Gondor") that are not verbs. */
static int joins_list(const sentctx *c, uint32_t a, uint32_t b)
{
    if (b <= a || b - a > 6)
        return 0;
    int conj = 0, mods = 0;
    for (uint32_t i = a; i < b; i++) {
        if (is_list_joiner(c, i)) {
            conj |= is_word(c, i, ",") || is_word(c, i, "and") || is_word(c, i, "or") ||
                    is_word(c, i, "&") || is_word(c, i, "nor");
            continue;
        }
        unsigned char f0 = (unsigned char)c->tok[i].form[0];
        if (f0 >= 'a' && f0 <= 'z' && dict_form_lemmas(c->d, c->ids[i]).n == 0 && mods < 3 &&
            !is_word(c, i, "of") && !is_word(c, i, "in") && !is_word(c, i, "to") &&
            !is_word(c, i, "with") && !is_word(c, i, "from") && !is_word(c, i, "for") &&
            !is_word(c, i, "by") && !is_word(c, i, "on") && !is_word(c, i, "at") &&
            !is_word(c, i, "that") && !is_word(c, i, "who") && !is_word(c, i, "which")) {
            mods++;
            continue;
        }
        return 0;
    }
    return conj;
}

/* Tokens [a, b) are words that are not verbs or function words: the
 * modifiers of "Dagolath's first Deputy Prime Minister", "its new mayor". */
static int modifiers_only(const sentctx *c, uint32_t a, uint32_t b)
{
    static const char *const stop[] = {"and", "or", "of", "in", "to", "with", "from", "for",
                                       "by", "on", "at", "that", "who", "which", "the", "a",
                                       "an", NULL};
    for (uint32_t i = a; i < b; i++) {
        /* "awful and evil", "awful, evil": coordinated modifiers */
        if (i > a && i + 1 < b && (is_word(c, i, "and") || is_word(c, i, ",")))
            continue;
        if (!(c->tok[i].flags & TOK_WORD) || dict_form_lemmas(c->d, c->ids[i]).n != 0)
            return 0;
        for (const char *const *w = stop; *w; w++)
            if (is_word(c, i, *w))
                return 0;
    }
    return 1;
}

/* A demonym: "Thai", "Cambodian", "Chinese", "British", "French", "Swiss". */
static int looks_like_demonym(const char *w)
{
    static const char *const ends[] = {"an", "ese", "ish", "i", "ic", "ch", "ss", NULL};
    size_t n = strlen(w);
    for (const char *const *e = ends; *e; e++) {
        size_t k = strlen(*e);
        if (n > k + 1 && strcmp(w + n - k, *e) == 0)
            return 1;
    }
    return 0;
}

/* "Thai and Cambodian troops": a demonym coordinated with a demonym+agent
 * shares the agent (THAMIL, KHMMIL). */
static void share_agents(sentctx *c)
{
    for (uint32_t k = 0; k + 1 < c->nm; k++) {
        uint32_t z = k + 1;
        while (z < c->nm && !c->m[z].agent && c->m[z].end - c->m[z].start == 1 &&
               joins_list(c, c->m[z - 1].end, c->m[z].start))
            z++; /* more demonyms: "Thai, Lao and Cambodian troops" */
        if (z >= c->nm || !c->m[z].agent || !c->m[z].has_actor)
            continue;
        const mention *last = &c->m[z];
        if (!joins_list(c, c->m[z - 1].end, last->start))
            continue;
        for (uint32_t q = k; q < z; q++) {
            mention *m = &c->m[q];
            if (m->agent || !m->has_actor || m->end - m->start != 1 || m->ncodes != 1 ||
                strlen(m->codes[0]) != 3 || !(c->tok[m->start].flags & TOK_UPPER) ||
                !looks_like_demonym(c->tok[m->start].norm))
                break;
            const char *code = join_codes(c, m->codes[0], last->agent);
            if (!code)
                return;
            m->codes[0] = code;
            m->agent = last->agent;
        }
        k = z;
    }
}

/* "Danish media and government": a bare agent coordinated after a country +
 * agent shares the country (DNKMED, DNKGOV). */
static void share_country(sentctx *c)
{
    for (uint32_t k = 0; k + 1 < c->nm; k++) {
        const mention *a = &c->m[k];
        if (!a->agent || !a->has_actor || a->ncodes != 1)
            continue;
        size_t al = strlen(a->agent), cl = strlen(a->codes[0]);
        if (cl <= al || strcmp(a->codes[0] + cl - al, a->agent) != 0)
            continue;
        uint32_t q = k + 1;
        while (q < c->nm && !c->m[q].has_actor && c->m[q].agent && c->m[q].ncodes == 1 &&
               strncmp(c->m[q].codes[0], "---", 3) == 0 &&
               c->m[q].start == c->m[q - 1].end + 1 &&
               (is_word(c, c->m[q - 1].end, "and") || is_word(c, c->m[q - 1].end, ","))) {
            char buf[80];
            snprintf(buf, sizeof buf, "%.*s%s", (int)(cl - al), a->codes[0], c->m[q].agent);
            const char *code = arena_strdup(&c->doc->mem, buf);
            if (!code)
                return;
            c->m[q].codes[0] = code;
            c->m[q].has_actor = 1;
            q++;
        }
    }
}

/* "Lawmakers (and officials) in Fornost and Gondor": bare agents followed by
 * in/of/from and a list of countries become one mention with every
 * country+agent code (FORLEG, GONLEG, FORGOV, GONGOV). */
static void distribute_agents(sentctx *c)
{
    for (uint32_t k = 0; k < c->nm; k++) {
        if (c->m[k].has_actor || c->m[k].ncodes == 0)
            continue;
        /* a run of bare agents joined by and/, */
        uint32_t last = k;
        while (last + 1 < c->nm && !c->m[last + 1].has_actor && c->m[last + 1].ncodes &&
               c->m[last + 1].start == c->m[last].end + 1 &&
               (is_word(c, c->m[last].end, "and") || is_word(c, c->m[last].end, ",")))
            last++;
        uint32_t p = c->m[last].end;
        if (p >= c->n || !(is_word(c, p, "in") || is_word(c, p, "of") || is_word(c, p, "from")))
            continue;
        /* followed by a list of actors */
        uint32_t a = last + 1, z = a;
        if (a >= c->nm || !c->m[a].has_actor || c->m[a].start != p + 1)
            continue;
        while (z + 1 < c->nm && c->m[z + 1].has_actor && joins_list(c, c->m[z].end, c->m[z + 1].start))
            z++;
        mention merged = c->m[k];
        merged.codes = arena_alloc(&c->doc->mem, MAX_CODES * sizeof *merged.codes);
        if (!merged.codes)
            return;
        merged.ncodes = 0;
        for (uint32_t q = a; q <= z; q++)
            for (uint32_t qc = 0; qc < c->m[q].ncodes; qc++)
                for (uint32_t g = k; g <= last; g++) {
                    const char *ag = c->m[g].codes[0];
                    if (strncmp(ag, "---", 3) == 0)
                        ag += 3; /* "---LEG" -> "LEG" */
                    if (merged.ncodes < MAX_CODES)
                        merged.codes[merged.ncodes++] = join_codes(c, c->m[q].codes[qc], ag);
                }
        merged.end = c->m[z].end;
        merged.has_actor = 1;
        merged.modifier = 0;
        merged.rule = c->m[a].rule;
        /* replace mentions k..z by the merged one */
        c->m[k] = merged;
        uint32_t removed = z - k;
        memmove(&c->m[k + 1], &c->m[z + 1], (c->nm - z - 1) * sizeof *c->m);
        c->nm -= removed;
        for (uint32_t q = 0; q < c->nm; q++)
            c->m[q].cfirst = c->m[q].clast = q;
    }
}

/* Pronouns as actors: "Ethiopia indicated it would act", "Sheinbaum said she
 * ...".  The antecedent is the nearest earlier actor of the same sentence,
 * else of the last sentences: for he/she a person, for it a state or group,
 * for they anything.  The new mention copies the antecedent's codes and says
 * in its provenance that it was resolved. */
/* Index of the quotation that token i (sentence-relative) lies in, or -1. */
static int32_t quote_at(const sentctx *c, uint32_t i)
{
    if (!c->quotes)
        return -1;
    uint32_t t = (uint32_t)(c->tok - c->doc->toks) + i;
    for (size_t q = 0; q < c->quotes->n; q++)
        if (t >= c->quotes->open[q] && t <= c->quotes->close[q])
            return (int32_t)q;
    return -1;
}

/* "the prime minister", "the chancellor": a definite title with no country
 * stands for the last person named with that role (code ending in the title's
 * agent code). */
static void resolve_titles(sentctx *c)
{
    static const char *const titles[] = {"president", "prime", "premier", "chancellor",
                                         "minister", "secretary", "ambassador", "leader",
                                         "king", "queen", "envoy", "spokesman", "spokeswoman",
                                         "governor", "mayor", "general", NULL};
    for (uint32_t k = 0; k < c->nm; k++) {
        mention *m = &c->m[k];
        if (m->has_actor || m->ncodes != 1 || strncmp(m->codes[0], "---", 3) != 0 ||
            m->start == 0 || !is_word(c, m->start - 1, "the"))
            continue;
        int title = 0;
        for (uint32_t q = m->start; q < m->end; q++)
            title |= in_list(c->tok[q].norm, titles);
        if (!title)
            continue;
        const char *agent = m->codes[0] + 3;
        size_t al = strlen(agent);
        const mention *ante = NULL;
        for (uint32_t q = k; q-- > 0 && !ante;) {
            const mention *a = &c->m[q];
            size_t cl = a->ncodes ? strlen(a->codes[0]) : 0;
            if (a->person && cl > al && strcmp(a->codes[0] + cl - al, agent) == 0)
                ante = a;
        }
        for (int q = c->memory ? c->memory->n : 0; q-- > 0 && !ante;) {
            const mention *a = &c->memory->recent[q];
            size_t cl = a->ncodes ? strlen(a->codes[0]) : 0;
            if (a->person && cl > al && strcmp(a->codes[0] + cl - al, agent) == 0)
                ante = a;
        }
        if (!ante)
            continue;
        uint32_t start = m->start, end = m->end;
        *m = *ante;
        m->start = start;
        m->end = end;
        m->coref = 1;
        m->modifier = 0;
        char rule[256];
        snprintf(rule, sizeof rule, "coref(the %s): %s", c->tok[end - 1].form, ante->rule);
        m->rule = arena_strdup(&c->doc->mem, rule);
        if (!m->rule)
            m->rule = ante->rule;
    }
}

/* "the bloc", "the alliance": the international organisation named last in
 * this sentence or the ones before ("Kallas said the bloc will send more
 * ammunition" after "The European Union plans ..."). */
static int resolve_collectives(sentctx *c)
{
    static const char *const nouns[] = {"bloc", "alliance", "organization", "organisation",
                                        NULL};
    for (uint32_t i = 1; i < c->n; i++) {
        if (!in_list(c->tok[i].norm, nouns) || !is_word(c, i - 1, "the") ||
            in_some_mention(c, i) || c->nm >= c->n)
            continue;
        const mention *ante = NULL;
        for (uint32_t k = c->nm; k-- > 0 && !ante;)
            if (c->m[k].end <= i && c->m[k].has_actor && c->m[k].ncodes &&
                strncmp(c->m[k].codes[0], "IGO", 3) == 0)
                ante = &c->m[k];
        for (int k = c->memory ? c->memory->n : 0; k-- > 0 && !ante;)
            if (c->memory->recent[k].ncodes &&
                strncmp(c->memory->recent[k].codes[0], "IGO", 3) == 0)
                ante = &c->memory->recent[k];
        if (!ante)
            continue;
        mention *nm = &c->m[c->nm++];
        *nm = *ante;
        nm->start = i - 1;
        nm->end = i + 1;
        nm->coref = 1;
        nm->modifier = 0;
        nm->person = 0;
        nm->possessive = i + 1 < c->n && is_word(c, i + 1, "'s");
        char rule[256];
        snprintf(rule, sizeof rule, "coref(the %s): %s", c->tok[i].form, ante->rule);
        nm->rule = arena_strdup(&c->doc->mem, rule);
        if (!nm->rule)
            return -1;
        keep_mention_order(c, c->nm - 1);
    }
    return 0;
}

/* Makes *nm, a mention of c->m, stand for several actors acting together
 * ("the two sides", "they" for a list) over tokens [start, end), keeping
 * the mentions in text order.  -1 when out of memory. */
static int set_group_mention(sentctx *c, mention *nm, uint32_t start, uint32_t end, int person,
                             int possessive, const char *const *codes, uint32_t nc,
                             const char *rule)
{
    memset(nm, 0, sizeof *nm);
    nm->start = start;
    nm->end = end;
    nm->has_actor = 1;
    nm->coref = 1;
    nm->pair = 1;
    nm->person = person;
    nm->possessive = possessive;
    nm->codes = arena_alloc(&c->doc->mem, nc * sizeof *nm->codes);
    nm->rule = arena_strdup(&c->doc->mem, rule);
    if (!nm->codes || !nm->rule)
        return -1;
    memcpy(nm->codes, codes, nc * sizeof *codes);
    nm->ncodes = nc;
    keep_mention_order(c, (uint32_t)(nm - c->m));
    return 0;
}

/* "the two sides", "both countries", "the two leaders": the last two distinct
 * actors named (persons for leaders, states for countries), as one mention
 * with two codes that act together. */
static int resolve_pairs(sentctx *c)
{
    static const char *const nouns[] = {"sides", "leaders", "countries", "nations",
                                        "governments", "presidents", "ministers", "parties",
                                        "states", "delegations", "neighbours", "neighbors",
                                        "allies", "men", "women", "capitals", NULL};
    for (uint32_t i = 0; i + 1 < c->n; i++) {
        uint32_t x; /* the plural noun */
        if (is_word(c, i, "both"))
            x = i + 1;
        else if (is_word(c, i, "the") && i + 2 < c->n && is_word(c, i + 1, "two"))
            x = i + 2;
        else
            continue;
        if (!in_list(c->tok[x].norm, nouns))
            continue;
        int persons = is_word(c, x, "leaders") || is_word(c, x, "presidents") ||
                      is_word(c, x, "ministers") || is_word(c, x, "men") || is_word(c, x, "women");
        int states = is_word(c, x, "countries") || is_word(c, x, "nations") ||
                     is_word(c, x, "states") || is_word(c, x, "capitals");
        /* the two most recent distinct actors, in this sentence before i, then earlier */
        const mention *found[2] = {NULL, NULL};
        int nf = 0;
        for (uint32_t k = c->nm; k-- > 0 && nf < 2;) {
            const mention *m = &c->m[k];
            if (m->end > i || !m->has_actor || !m->ncodes || m->possessive ||
                (persons && !m->person))
                continue;
            if (nf == 1 && strncmp(found[0]->codes[0], m->codes[0], 3) == 0)
                continue;
            found[nf++] = m;
        }
        for (int k = c->memory ? c->memory->n : 0; k-- > 0 && nf < 2;) {
            const mention *m = &c->memory->recent[k];
            if (persons && !m->person)
                continue;
            if (nf == 1 && strncmp(found[0]->codes[0], m->codes[0], 3) == 0)
                continue;
            found[nf++] = m;
        }
        if (nf < 2)
            continue;
        /* replace a mention inside the phrase ("leaders" as an agent), else add one */
        mention *nm = NULL;
        for (uint32_t k = 0; k < c->nm; k++)
            if (c->m[k].start >= i && c->m[k].start <= x)
                nm = &c->m[k];
        if (!nm) {
            if (c->nm >= c->n)
                continue;
            nm = &c->m[c->nm++];
        }
        const char *codes[2];
        for (int k = 0; k < 2; k++) {
            codes[k] = found[1 - k]->codes[0];
            if (states && strlen(codes[k]) > 3)
                codes[k] = arena_strndup(&c->doc->mem, codes[k], 3);
            if (!codes[k])
                return -1;
        }
        char rule[256];
        snprintf(rule, sizeof rule, "coref(%s %s): %s + %s", c->tok[i].form, c->tok[x].form,
                 found[1]->rule, found[0]->rule);
        if (set_group_mention(c, nm, i, x + 1, persons, 0, codes, 2, rule))
            return -1;
    }
    return 0;
}

static int in_some_mention(const sentctx *c, uint32_t i)
{
    for (uint32_t k = 0; k < c->nm; k++)
        if (i >= c->m[k].start && i < c->m[k].end)
            return 1;
    return 0;
}

/* Adds a pair mention at pronoun token i for the list that memory entry
 * `first` (of the sentence of entry `last`) begins: 1 when added, 0 when the
 * list has fewer than two distinct actors, -1 when out of memory. */
static int plural_pronoun(sentctx *c, uint32_t i, int last, int first)
{
    const coref_memory *mem = c->memory;
    const mention *head = &mem->recent[first];
    const char *codes[4];
    uint32_t nc = 0;
    for (int k = first; k <= last && nc < 4; k++) {
        const mention *m = &mem->recent[k];
        if (mem->recent_sent[k] != mem->recent_sent[first] || m->cfirst != head->cfirst)
            continue;
        int dup = 0;
        for (uint32_t q = 0; q < nc && !dup; q++)
            dup = same_actor(codes[q], m->codes[0]);
        if (!dup)
            codes[nc++] = m->codes[0];
    }
    if (nc < 2 || c->nm >= c->n)
        return 0;
    char rule[256];
    snprintf(rule, sizeof rule, "coref(%s): the list of %s", c->tok[i].form, head->rule);
    mention *nm = &c->m[c->nm++];
    if (set_group_mention(c, nm, i, i + 1, head->person, is_word(c, i, "their"), codes, nc, rule))
        return -1;
    return 1;
}

static int resolve_pronouns(sentctx *c)
{
    for (uint32_t i = 0; i < c->n; i++) {
        if (in_some_mention(c, i))
            continue;
        /* first person inside a quotation: the speaker ("We co-operate", she said) */
        if (is_word(c, i, "we") || is_word(c, i, "i") || is_word(c, i, "us")) {
            int32_t q = quote_at(c, i);
            if (q < 0 || !c->quotes->has_speaker[q])
                continue;
            mention *nm = &c->m[c->nm++];
            *nm = c->quotes->speaker[q];
            nm->start = i;
            nm->end = i + 1;
            nm->coref = 2; /* first person: the speaker */
            nm->modifier = 0;
            char rule[256];
            snprintf(rule, sizeof rule, "speaker(%s): %s", c->tok[i].form,
                     c->quotes->speaker[q].rule);
            nm->rule = arena_strdup(&c->doc->mem, rule);
            if (!nm->rule)
                return -1;
            keep_mention_order(c, c->nm - 1);
            continue;
        }
        int want; /* 1 person, 0 not a person, -1 any */
        int poss = 1;
        /* "her" is an object ("thanked her") or a possessive ("her ministers") */
        int her_poss = is_word(c, i, "her") &&
                       (c->r ? strcmp(xpos_name(c->tok[i].xpos), "PRP$") == 0
                             : i + 1 < c->n && (c->tok[i + 1].flags & TOK_WORD) &&
                                   !in_list(c->tok[i + 1].norm,
                                            (const char *const[]){"for", "to", "of", "on", "in",
                                                                  "and", "that", "as", "with",
                                                                  "at", "by", "from", NULL}));
        if (is_word(c, i, "he") || is_word(c, i, "she") || is_word(c, i, "him") ||
            is_word(c, i, "her") || (poss && is_word(c, i, "his")))
            want = 1;
        else if (is_word(c, i, "it") || (poss && is_word(c, i, "its")))
            want = 0;
        else if (is_word(c, i, "they") || is_word(c, i, "them") || (poss && is_word(c, i, "their")))
            want = -1;
        else
            continue;
        /* "it" as a dummy subject: "it has been noted that", "it is not going to" */
        if (want == 0 && i + 1 < c->n &&
            (is_word(c, i + 1, "is") || is_word(c, i + 1, "was") || is_word(c, i + 1, "'s") ||
             is_word(c, i + 1, "seems") || is_word(c, i + 1, "appears")))
            continue;
        const mention *ante = NULL;
        /* "Thailand accused Cambodia ..., and it recalled its ambassador": the
         * subject of a conjoined clause is the subject of the first one */
        if (c->r && (c->tok[i].deprel == c->r->nsubj || c->tok[i].deprel == c->r->nsubj_pass) &&
            c->tok[i].head >= 0) {
            uint32_t h = (uint32_t)c->tok[i].head;
            if (c->tok[h].deprel == c->r->conj && c->tok[h].head >= 0) {
                int32_t s0 = child(c, (uint32_t)c->tok[h].head, c->r->nsubj);
                int32_t m0 = s0 >= 0 && (uint32_t)s0 < i ? mention_at(c, (uint32_t)s0) : -1;
                if (m0 >= 0 && c->m[m0].has_actor && !c->m[m0].modifier && c->m[m0].ncodes &&
                    !c->m[m0].pair && (want < 0 || c->m[m0].person == want))
                    ante = &c->m[m0];
            }
        }
        /* an object pronoun is not its own clause's subject: in "Nawrocki
         * thanked him", him is someone else */
        int32_t own_subject = -1;
        if (c->r && c->tok[i].head >= 0 && !her_poss &&
            (is_word(c, i, "him") || is_word(c, i, "her") || is_word(c, i, "them")))
            own_subject = tree_subject(c, (uint32_t)c->tok[i].head, 0);
        for (uint32_t k = c->nm; k-- > 0 && !ante;) {
            const mention *m = &c->m[k];
            if (m->end <= i && m->has_actor && !m->modifier && m->ncodes &&
                (want < 0 || m->person == want) && (int32_t)k != own_subject)
                ante = m;
        }
        /* across sentences: the most recent sentence that names a compatible
         * actor, and in it the first one (its subject, as a rule) */
        int last = -1;
        for (int k = c->memory ? c->memory->n : 0; k-- > 0 && last < 0;)
            if (want < 0 || c->memory->recent[k].person == want)
                last = k;
        if (!ante && last >= 0) {
            int first = last;
            for (int k = last; k-- > 0;) {
                if (c->memory->recent_sent[k] != c->memory->recent_sent[last])
                    break;
                if (want < 0 || c->memory->recent[k].person == want)
                    first = k;
            }
            ante = &c->memory->recent[first];
            /* "Thai and Cambodian troops exchanged fire. They clashed again": a
             * plural pronoun for a list stands for all of it, acting together */
            if (want < 0 && ante->clast > ante->cfirst) {
                int rc = plural_pronoun(c, i, last, first);
                if (rc < 0)
                    return -1;
                if (rc > 0)
                    continue;
            }
        }
        if (!ante)
            continue;
        mention *nm = &c->m[c->nm++];
        *nm = *ante;
        nm->start = i;
        nm->end = i + 1;
        nm->coref = 1;
        nm->modifier = 0;
        nm->possessive = is_word(c, i, "its") || is_word(c, i, "their") || is_word(c, i, "his") ||
                         her_poss;
        char rule[256];
        snprintf(rule, sizeof rule, "coref(%s): %s", c->tok[i].form, ante->rule);
        nm->rule = arena_strdup(&c->doc->mem, rule);
        if (!nm->rule)
            return -1;
        /* keep mentions in text order */
        keep_mention_order(c, c->nm - 1);
    }
    resolve_titles(c);
    if (resolve_pairs(c) || resolve_collectives(c))
        return -1;
    for (uint32_t k = 0; k < c->nm; k++)
        c->m[k].cfirst = c->m[k].clast = k;
    return 0;
}

/* Levenshtein distance of a and b, capped: returns cap + 1 when larger. */
static int edit_distance(const char *a, const char *b, int cap)
{
    size_t la = strlen(a), lb = strlen(b);
    if (la > 64 || lb > 64 || (la > lb ? la - lb : lb - la) > (size_t)cap)
        return cap + 1;
    int prev[65], cur[65];
    for (size_t j = 0; j <= lb; j++)
        prev[j] = (int)j;
    for (size_t i = 1; i <= la; i++) {
        cur[0] = (int)i;
        int best = cur[0];
        for (size_t j = 1; j <= lb; j++) {
            int sub = prev[j - 1] + (a[i - 1] != b[j - 1]);
            int del = prev[j] + 1, ins = cur[j - 1] + 1;
            cur[j] = sub < del ? (sub < ins ? sub : ins) : (del < ins ? del : ins);
            if (cur[j] < best)
                best = cur[j];
        }
        if (best > cap)
            return cap + 1;
        memcpy(prev, cur, (lb + 1) * sizeof *prev);
    }
    return prev[lb];
}

/* Surname-only and misspelt mentions of people named earlier in the article:
 * a capitalised word that no dictionary entry covers, equal to the last word
 * of a person's name ("Johnson" after "Ronald Johnson"), or within one edit
 * of it (two for long names: "Heinbaum" after "Sheinbaum").  The provenance
 * says which. */
static int resolve_names(sentctx *c, const uint8_t *covered)
{
    if (!c->memory || !c->memory->nnames)
        return 0;
    for (uint32_t i = 0; i < c->n; i++) {
        const token *t = &c->tok[i];
        size_t len = strlen(t->norm);
        if (covered[i] || !(t->flags & TOK_UPPER) || len < 4 || (i == 0 && len < 6))
            continue;
        if (c->r && t->upos && t->upos != UPOS_PROPN)
            continue;
        int cap = len >= 8 ? 2 : len >= 5 ? 1 : 0;
        int best = -1, bestd = cap + 1;
        for (int k = c->memory->nnames; k-- > 0;) {
            int dist = edit_distance(t->norm, c->memory->names[k].surname, cap);
            if (dist < bestd) {
                bestd = dist;
                best = k;
            }
        }
        if (best < 0)
            continue;
        mention *nm = &c->m[c->nm++];
        *nm = c->memory->names[best].m;
        nm->start = i;
        nm->end = i + 1;
        nm->modifier = 0;
        nm->coref = 1;
        char rule[256];
        snprintf(rule, sizeof rule, "%s(%s~%s): %s", bestd ? "fuzzy" : "surname", t->form,
                 c->memory->names[best].surname, c->memory->names[best].m.rule);
        nm->rule = arena_strdup(&c->doc->mem, rule);
        if (!nm->rule)
            return -1;
        keep_mention_order(c, c->nm - 1);
    }
    return 0;
}

/* Nouns for the use of force by one state against another. */
static int cmp_word(const void *key, const void *elem)
{
    return strcmp((const char *)key, *(const char *const *)elem);
}

static int is_force_noun(const sentctx *c, uint32_t i)
{
    /* in strcmp order for bsearch: this is asked of every token of every
     * sentence (note_force_nouns), where a linear scan of the list was 4% of
     * a parsed run's time */
    static const char *const nouns[] = {
        "action", "aggression", "attack", "attacks", "deployment", "force", "incursion",
        "incursions", "interference", "intervention", "interventions", "invasion", "invasions",
        "involvement", "meddling", "occupation", "offensive", "operation", "operations",
        "presence", "raid", "raids", "strike", "strikes"};
    const size_t n = sizeof nouns / sizeof nouns[0];
    const char *norm = c->tok[i].norm, *lemma = c->tok[i].lemma;
    /* the tagger gives most words their lower-cased form itself as lemma:
     * the same string need not be looked up twice */
    return bsearch(norm, nouns, n, sizeof nouns[0], cmp_word) ||
           (lemma && lemma != norm && bsearch(lemma, nouns, n, sizeof nouns[0], cmp_word));
}

/* Records that the thing a noun lemma names ("sanctions") is m's, for a
 * later "the sanctions"; the most recent owner of a lemma wins. */
static void own_lemma(sentctx *c, const char *lemma, const mention *m)
{
    coref_memory *mem = c->memory;
    int k = 0;
    while (k < mem->nowned && strcmp(mem->owned[k].lemma, lemma) != 0)
        k++;
    if (k == mem->nowned) {
        if (mem->nowned == 32) {
            memmove(mem->owned, mem->owned + 1, 31 * sizeof *mem->owned);
            k = 31;
        } else {
            mem->nowned++;
        }
    }
    mem->owned[k].lemma = lemma;
    mem->owned[k].m = *m;
}

/* Records whose the nouns of this sentence are: the object of an actor's
 * verb ("the EU plans to impose new sanctions"), or a noun with an actor as
 * possessor or in a from/by phrase. */
static void note_owned_nouns(sentctx *c)
{
    for (uint32_t n = 0; n < c->n; n++) {
        if (c->tok[n].upos != UPOS_NOUN || c->tok[n].head < 0)
            continue;
        int32_t owner = -1;
        if (c->tok[n].deprel == c->r->obj)
            owner = tree_subject(c, (uint32_t)c->tok[n].head, 0);
        for (uint32_t i = 0; i < c->n && owner < 0; i++) {
            if (c->tok[i].head != (int32_t)n)
                continue;
            const char *rel = deprel_name(c->tok[i].deprel);
            int32_t cs = child(c, i, c->r->case_);
            const char *prep = cs >= 0 ? c->tok[cs].norm : "";
            if (strcmp(rel, "nmod:poss") == 0 ||
                (strncmp(rel, "nmod", 4) == 0 &&
                 (strcmp(prep, "from") == 0 || strcmp(prep, "by") == 0)))
                owner = mention_at(c, i);
        }
        if (owner >= 0 && c->m[owner].has_actor && c->m[owner].ncodes &&
            !c->m[owner].possessive && !c->m[owner].modifier)
            own_lemma(c, lemma_of(c, n), &c->m[owner]);
    }
    /* an act makes its noun the actor's: "Thailand accused Cambodia ..." makes
     * a later "the accusation" Thailand's */
    static const char *const acts[][2] = {
        {"accuse", "accusation"}, {"allege", "allegation"}, {"propose", "proposal"},
        {"offer", "offer"},       {"demand", "demand"},     {"threaten", "threat"},
        {"claim", "claim"},       {"request", "request"},   {"invite", "invitation"},
        {"decide", "decision"},   {"announce", "announcement"}, {"attack", "attack"},
        {"criticize", "criticism"}, {"criticise", "criticism"}, {"warn", "warning"},
        {"buy", "sale"},          {"buy", "purchase"},      {"purchase", "purchase"}};
    for (uint32_t v = 0; v < c->n; v++) {
        if (c->tok[v].upos != UPOS_VERB)
            continue;
        const char *lemma = lemma_of(c, v);
        for (size_t a = 0; a < sizeof acts / sizeof acts[0]; a++) {
            if (strcmp(lemma, acts[a][0]) != 0)
                continue;
            int32_t owner = tree_subject(c, v, 0);
            if (owner >= 0 && c->m[owner].has_actor && c->m[owner].ncodes &&
                !c->m[owner].possessive && !c->m[owner].modifier)
                own_lemma(c, acts[a][1], &c->m[owner]);
        }
    }
}

/* The owner of the definite thing a trigger acts on ("veto the sanctions"),
 * or NULL. */
static const mention *owned_target(const sentctx *c, uint32_t v, uint32_t *anchor)
{
    if (!c->memory || !c->r || !c->memory->nowned)
        return NULL;
    for (uint32_t i = 0; i < c->n; i++) {
        if (c->tok[i].head < 0 || c->tok[i].upos != UPOS_NOUN)
            continue;
        /* the trigger's own objects, or its infinitive's: "threatened to veto
         * the sanctions" */
        uint32_t h = (uint32_t)c->tok[i].head;
        if (h != v && !(c->tok[h].deprel == c->r->xcomp && c->tok[h].head == (int32_t)v))
            continue;
        uint8_t rel = c->tok[i].deprel;
        if (rel != c->r->obj && rel != c->r->nsubj_pass && rel != c->r->obl)
            continue;
        int32_t det = -1;
        for (uint32_t k = 0; k < c->n && det < 0; k++)
            if (c->tok[k].head == (int32_t)i && strcmp(deprel_name(c->tok[k].deprel), "det") == 0)
                det = (int32_t)k;
        /* definite, or "any" of a thing under discussion ("rejected any sale") */
        if (det < 0 || !in_list(c->tok[det].norm, (const char *const[]){"the", "these",
                                                                          "those", "this",
                                                                          "such", "any", NULL}))
            continue;
        /* the noun or a compound of it: "the sanctions package" */
        for (uint32_t n = 0; n < c->n; n++) {
            if (n != i && !(c->tok[n].head == (int32_t)i &&
                            strcmp(deprel_name(c->tok[n].deprel), "compound") == 0))
                continue;
            const char *lemma = lemma_of(c, n);
            for (int k = c->memory->nowned; k-- > 0;)
                if (strcmp(c->memory->owned[k].lemma, lemma) == 0) {
                    *anchor = n;
                    return &c->memory->owned[k].m;
                }
        }
    }
    return NULL;
}

static void note_force_nouns(sentctx *c)
{
    if (!c->memory || !c->r)
        return;
    for (uint32_t v = 0; v < c->n; v++) {
        if (!is_force_noun(c, v))
            continue;
        for (uint32_t i = 0; i < c->n; i++) {
            if (c->tok[i].head != (int32_t)v)
                continue;
            const char *rel = deprel_name(c->tok[i].deprel);
            int32_t cs = child(c, i, c->r->case_);
            const char *prep = cs >= 0 ? c->tok[cs].norm : "";
            int ok = strcmp(rel, "nmod:poss") == 0 || strcmp(rel, "compound") == 0 ||
                     strcmp(rel, "amod") == 0 ||
                     (strncmp(rel, "nmod", 4) == 0 &&
                      (strcmp(prep, "from") == 0 || strcmp(prep, "by") == 0));
            int32_t m = ok ? mention_at(c, i) : -1;
            if (m >= 0 && c->m[m].has_actor && c->m[m].ncodes && !c->m[m].possessive) {
                c->memory->force_by = c->m[m];
                c->memory->has_force_by = 1;
            }
        }
    }
    note_owned_nouns(c);
}

/* A trigger whose object is a force noun with no actor ("an invasion
 * scenario is ruled out") is directed at whoever that force was said to
 * come from earlier in the article. */
static int bridge_force_target(const sentctx *c, uint32_t v, uint32_t *anchor)
{
    if (!c->memory || !c->memory->has_force_by || !c->r)
        return 0;
    for (uint32_t i = 0; i < c->n; i++) {
        if (c->tok[i].head != (int32_t)v)
            continue;
        uint8_t rel = c->tok[i].deprel;
        if (rel != c->r->obj && rel != c->r->nsubj_pass && rel != c->r->obl)
            continue;
        if (is_force_noun(c, i)) {
            *anchor = i;
            return 1;
        }
        for (uint32_t k = 0; k < c->n; k++)
            if (c->tok[k].head == (int32_t)i && is_force_noun(c, k) &&
                strcmp(deprel_name(c->tok[k].deprel), "compound") == 0) {
                *anchor = k;
                return 1;
            }
    }
    return 0;
}

/* Remembers the sentence's actors for the pronouns of the next sentences. */
static void remember_mentions(sentctx *c)
{
    if (!c->memory)
        return;
    note_force_nouns(c);
    for (uint32_t k = 0; k < c->nm; k++) {
        const mention *m = &c->m[k];
        if (!m->person || m->coref || !m->ncodes)
            continue;
        /* the last word of the name, if it is a capitalised word */
        uint32_t last = m->end - 1;
        if (!(c->tok[last].flags & TOK_UPPER) || strlen(c->tok[last].norm) < 4)
            continue;
        coref_memory *mem = c->memory;
        int known = 0;
        for (int q = 0; q < mem->nnames && !known; q++)
            known = strcmp(mem->names[q].surname, c->tok[last].norm) == 0;
        if (known || mem->nnames == NAME_MEMORY)
            continue;
        mem->names[mem->nnames].surname = c->tok[last].norm;
        mem->names[mem->nnames].m = *m;
        mem->nnames++;
    }
    for (uint32_t k = 0; k < c->nm; k++) {
        const mention *m = &c->m[k];
        if (!m->has_actor || m->modifier || !m->ncodes || m->coref)
            continue;
        coref_memory *mem = c->memory;
        if (mem->n == COREF_MEMORY) {
            memmove(mem->recent, mem->recent + 1, (COREF_MEMORY - 1) * sizeof *mem->recent);
            memmove(mem->recent_sent, mem->recent_sent + 1,
                    (COREF_MEMORY - 1) * sizeof *mem->recent_sent);
            mem->n--;
        }
        mem->recent_sent[mem->n] = c->si;
        mem->recent[mem->n++] = *m;
    }
}

/* ---------------------------------------------------------------------- */
/* trace wording (called only when tracing)                                 */

/* An arena copy of a formatted phrase, or a constant when memory is out. */
static const char *trace_text(const sentctx *c, const char *text)
{
    const char *t = arena_strdup(&c->doc->mem, text);
    return t ? t : "(out of memory)";
}

static void ymd_text(char *buf, size_t cap, int ymd)
{
    if (ymd)
        snprintf(buf, cap, "%04d-%02d-%02d", ymd / 10000, ymd / 100 % 100, ymd % 100);
    else
        snprintf(buf, cap, "open");
}

/* Which of an entry's codes the story date chose, when it has dated ones. */
static const char *hit_detail(const sentctx *c, const hit *h)
{
    const dict_entry *e = h->e;
    int dated = 0;
    for (uint32_t k = 0; k < e->ncodes; k++)
        dated |= e->codes[k].from || e->codes[k].to;
    char date[16], buf[256];
    ymd_text(date, sizeof date, c->doc->ymd);
    if (!h->ncodes) {
        snprintf(buf, sizeof buf, "known name, but none of its %u codes is in force on %s",
                 e->ncodes, date);
        return trace_text(c, buf);
    }
    if (!dated)
        return e->kind == ENT_ACTOR ? "actor entry" : "agent entry";
    for (uint32_t k = 0; k < e->ncodes; k++) {
        const dict_code *dc = &e->codes[k];
        if ((dc->from || dc->to) && strcmp(dc->code, h->codes[0]) == 0 &&
            (!dc->from || c->doc->ymd >= dc->from) && (!dc->to || c->doc->ymd < dc->to)) {
            char from[16], to[16];
            ymd_text(from, sizeof from, dc->from);
            ymd_text(to, sizeof to, dc->to);
            int n = snprintf(buf, sizeof buf, "dated code %s (%s..%s) in force on %s",
                             dc->code, from, to, date);
            if (e->ncodes > 1 && n > 0 && (size_t)n < sizeof buf)
                snprintf(buf + n, sizeof buf - (size_t)n, ", of %u codes", e->ncodes);
            return trace_text(c, buf);
        }
    }
    snprintf(buf, sizeof buf, "no dated code covers %s: the undated code applies", date);
    return trace_text(c, buf);
}

/* How a mention came to be what it is, in words. */
static const char *mention_detail(const sentctx *c, const mention *m)
{
    char buf[512];
    size_t n = 0;
#define ADD(...)                                                                         \
    do {                                                                                 \
        if (n < sizeof buf)                                                              \
            n += (size_t)snprintf(buf + n, sizeof buf - n, __VA_ARGS__);                 \
    } while (0)
    if (m->coref == 2)
        ADD("first person in a quotation: the speaker");
    else if (m->coref)
        ADD("stands for an actor named earlier (see the rule)");
    else if (!m->ncodes)
        ADD("null actor (---): recognised, codes nothing");
    else if (m->agent && m->has_actor)
        ADD("country/actor + agent %s composed", m->agent);
    else if (m->agent)
        ADD("agent %s with no country", m->agent);
    else
        ADD("actor entry");
    if (m->modifier)
        ADD("; a bare agent modifying the next word: not an actor");
    if (m->possessive)
        ADD("; possessive: only the possessor of a noun trigger");
    if (m->person)
        ADD("; a person");
    if (m->pair)
        ADD("; a pair acting together");
    if (m->clast > m->cfirst)
        ADD("; member of a coordinated list of %u", m->clast - m->cfirst + 1);
#undef ADD
    return trace_text(c, buf);
}

static int find_mentions(sentctx *c)
{
    arena *a = &c->doc->mem;
    hit *hits = arena_alloc(a, (c->n + 1) * sizeof *hits);
    /* at most one mention per token, plus one scratch slot for a target that
     * comes from outside the sentence (see emit_events) */
    c->m = arena_alloc(a, (c->n + 2) * sizeof *c->m);
    c->m_start = arena_alloc(a, (c->n + 1) * sizeof *c->m_start);
    c->m_end = arena_alloc(a, (c->n + 1) * sizeof *c->m_end);
    if (!hits || !c->m || !c->m_start || !c->m_end)
        return -1;
    size_t nh = 0;
    for (uint32_t i = 0; i < c->n;) {
        dict_range r = dict_word_entries(c->d, c->ids[i]);
        uint32_t len = 0;
        for (size_t k = 0; k < r.n && !len; k++) {
            const dict_entry *e = &c->d->entries[r.ids[k]];
            if (e->kind != ENT_ACTOR && e->kind != ENT_AGENT)
                continue;
            uint32_t l = match_literal(c, e, i);
            if (!l)
                continue;
            hit *h = &hits[nh];
            h->ncodes = dict_codes_on(e, c->doc->ymd, h->codes, MAX_CODES);
            if (!h->ncodes) {
                h->e = e;
                TRACE(c, .kind = NOTE_HIT_UNDATED, .start = i, .end = i + l, .entry = e,
                      .rule = e->rule, .detail = hit_detail(c, h));
                continue; /* known name, but no code applies on this date */
            }
            /* "---" is a null actor: it is a mention (so it can be the nearest
             * actor) but it codes nothing, and events with it are dropped */
            h->start = i;
            h->end = i + l;
            h->e = e;
            TRACE(c, .kind = NOTE_HIT, .start = i, .end = i + l, .entry = e,
                  .codes = h->codes, .ncodes = h->ncodes, .rule = e->rule,
                  .detail = hit_detail(c, h));
            nh++;
            len = l;
        }
        i += len ? len : 1;
    }
    for (uint32_t i = 0; i <= c->n; i++)
        c->m_start[i] = c->m_end[i] = -1;
    /* group adjacent hits into noun phrases */
    size_t g = 0;
    while (g < nh) {
        size_t h = g + 1;
        uint32_t end = hits[g].end;
        while (h < nh) {
            uint32_t gap = hits[h].start - end;
            /* "the ambassadors of Arnor, Osgiliath and Gondor": an agent before a
             * list of countries is left for distribute_agents() */
            if (gap == 1 && is_word(c, end, "of") && hits[h - 1].e->kind == ENT_AGENT &&
                hits[h].e->kind == ENT_ACTOR && h + 1 < nh &&
                hits[h + 1].e->kind == ENT_ACTOR &&
                joins_list(c, hits[h].end, hits[h + 1].start))
                break;
            if (gap == 0 ||
                (gap == 1 && (is_word(c, end, "'s") || is_word(c, end, "of"))) ||
                (gap <= 5 && is_word(c, end, "'s") && modifiers_only(c, end + 1, hits[h].start))) {
                end = hits[h].end;
                h++;
                continue;
            }
            /* "Ambassador to Mexico Ronald Johnson": the posting is part of the title */
            if (gap == 1 && is_word(c, end, "to") && hits[h - 1].e->kind == ENT_AGENT &&
                is_posting_title(c, &hits[h - 1]) && hits[h].e->kind == ENT_ACTOR &&
                h + 1 < nh && hits[h + 1].start == hits[h].end) {
                end = hits[h + 1].end;
                h += 2;
                /* drop the posting country from the group */
                hits[h - 2] = hits[h - 1];
                continue;
            }
            break;
        }
        mention *m = &c->m[c->nm];
        m->start = hits[g].start;
        m->end = end;
        if (compose(c, hits + g, h - g, m))
            return -1;
        m->cfirst = m->clast = c->nm;
        /* a bare agent word followed by a lower-case word that is not a verb
         * modifies that word ("military force", "cartel operations") */
        if (!m->has_actor && end < c->n) {
            const token *nx = &c->tok[end];
            unsigned char f0 = (unsigned char)nx->form[0];
            m->modifier = f0 >= 'a' && f0 <= 'z' && dict_form_lemmas(c->d, c->ids[end]).n == 0 &&
                          !is_person_noun(c, end) &&
                          !is_word(c, end, "and") && !is_word(c, end, "or") &&
                          !is_word(c, end, "of") && !is_word(c, end, "in") &&
                          !is_word(c, end, "to") && !is_word(c, end, "have") &&
                          !is_word(c, end, "for") && !is_word(c, end, "with") &&
                          !is_word(c, end, "by") && !is_word(c, end, "from") &&
                          !is_word(c, end, "on") && !is_word(c, end, "at") &&
                          !is_word(c, end, "has") && !is_word(c, end, "had") &&
                          !is_word(c, end, "were") && !is_word(c, end, "was") &&
                          !is_word(c, end, "are") && !is_word(c, end, "is") &&
                          !is_word(c, end, "will") && !is_word(c, end, "would");
        }
        c->nm++;
        g = h;
    }
    distribute_agents(c);
    uint8_t *covered = arena_alloc(a, c->n + 1);
    if (!covered)
        return -1;
    for (size_t q = 0; q < nh; q++)
        memset(covered + hits[q].start, 1, hits[q].end - hits[q].start);
    if (resolve_names(c, covered) || resolve_pronouns(c))
        return -1;
    for (uint32_t k = 0; k < c->nm; k++) {
        c->m_start[c->m[k].start] = (int32_t)k;
        c->m_end[c->m[k].end - 1] = (int32_t)k;
    }
    share_agents(c);
    share_country(c);
    /* coordinated lists: "Mordor, Rohan, Fornost and Bree" */
    for (uint32_t k = 0; k + 1 < c->nm; k++)
        if (!c->m[k].modifier && !c->m[k + 1].modifier && !c->m[k].possessive &&
            !c->m[k + 1].possessive && joins_list(c, c->m[k].end, c->m[k + 1].start)) {
            uint32_t first = c->m[k].cfirst;
            for (uint32_t q = first; q <= k + 1; q++) {
                c->m[q].cfirst = first;
                c->m[q].clast = k + 1;
            }
        }
    for (uint32_t k = 0; k < c->nm && c->trace; k++)
        TRACE(c, .kind = NOTE_MENTION, .start = c->m[k].start, .end = c->m[k].end,
              .codes = c->m[k].codes, .ncodes = c->m[k].ncodes, .rule = c->m[k].rule,
              .detail = mention_detail(c, &c->m[k]));
    return 0;
}

/* ---------------------------------------------------------------------- */
/* patterns                                                                 */

static int is_determiner(const sentctx *c, uint32_t i)
{
    return is_word(c, i, "the") || is_word(c, i, "a") || is_word(c, i, "an") ||
           is_word(c, i, "its") || is_word(c, i, "their");
}

static int bind_slot(sentctx *c, int kind, int32_t m)
{
    if (kind == PAT_SRC)
        c->src = m;
    else if (kind == PAT_TGT)
        c->tgt = m;
    else
        c->both = m;
    return 1;
}


static int token_matches(const sentctx *c, const pat_elem *p, uint32_t pos)
{
    if (p->kind == PAT_WORD)
        return c->ids[pos] == p->w;
    /* PAT_VERB: the token is one of the lemma's forms */
    dict_range r = dict_form_lemmas(c->d, c->ids[pos]);
    for (size_t k = 0; k < r.n; k++)
        if (r.ids[k] == p->w)
            return 1;
    return 0;
}

/* Matches elements k, k+1, ... forward from token pos. */
static int match_fwd(sentctx *c, const dict_entry *e, int k, uint32_t pos)
{
    if (k == e->nelem)
        return 1;
    const pat_elem *p = &e->elem[k];
    if (p->kind == PAT_GAP) {
        for (uint32_t skip = 0; skip <= PAT_GAP_MAX && pos + skip <= c->n; skip++)
            if (match_fwd(c, e, k + 1, pos + skip))
                return 1;
        return 0;
    }
    if (pos >= c->n)
        return 0;
    if (p->kind >= PAT_SRC) {
        if (c->m_start[pos] < 0 && pos + 1 < c->n && is_determiner(c, pos))
            pos++;
        int32_t m = c->m_start[pos];
        if (m < 0)
            return 0;
        bind_slot(c, p->kind, m);
        return match_fwd(c, e, k + 1, c->m[m].end);
    }
    if (!token_matches(c, p, pos))
        return 0;
    c->lits[c->nlits++] = pos;
    if (match_fwd(c, e, k + 1, pos + 1))
        return 1;
    c->nlits--;
    return 0;
}

/* Matches elements k, k-1, ... backward; pos is the token just left of what
 * has been matched (-1 when at the sentence start). */
static int match_bwd(sentctx *c, const dict_entry *e, int k, int64_t pos)
{
    if (k < 0)
        return 1;
    const pat_elem *p = &e->elem[k];
    if (p->kind == PAT_GAP) {
        for (int64_t skip = 0; skip <= PAT_GAP_MAX && pos - skip >= -1; skip++)
            if (match_bwd(c, e, k - 1, pos - skip))
                return 1;
        return 0;
    }
    if (pos < 0)
        return 0;
    if (p->kind >= PAT_SRC) {
        int32_t m = c->m_end[pos];
        if (m < 0)
            return 0;
        bind_slot(c, p->kind, m);
        int64_t next = (int64_t)c->m[m].start - 1;
        if (next >= 0 && is_determiner(c, (uint32_t)next))
            next--;
        return match_bwd(c, e, k - 1, next);
    }
    if (!token_matches(c, p, (uint32_t)pos))
        return 0;
    c->lits[c->nlits++] = (uint32_t)pos;
    if (match_bwd(c, e, k - 1, pos - 1))
        return 1;
    c->nlits--;
    return 0;
}

static int match_at(sentctx *c, const dict_entry *e, uint32_t at)
{
    c->src = c->tgt = c->both = -1;
    if (!token_matches(c, &e->elem[e->anchor], at))
        return 0;
    c->nlits = 1;
    c->lits[0] = at;
    return match_bwd(c, e, e->anchor - 1, (int64_t)at - 1) &&
           match_fwd(c, e, e->anchor + 1, at + 1);
}

/* ---------------------------------------------------------------------- */
/* modality                                                                 */

static int is_pattern_word(const sentctx *c, uint32_t i)
{
    for (int k = 0; k < c->nlits; k++)
        if (c->lits[k] == i)
            return 1;
    return 0;
}

static int in_list(const char *w, const char *const *list)
{
    for (; *list; list++)
        if (strcmp(w, *list) == 0)
            return 1;
    return 0;
}

static dyad_modality modality(const sentctx *c, uint32_t first, int is_verb, modality_cue *cue)
{
    static const char *const negators[] = {"not", "n't", "never", "no", "neither", "nor",
                                           "nt", "without", NULL};
    static const char *const hypothetical[] = {"could", "would", "might", "may", "should",
                                               "can", "ca", "must", NULL};
    static const char *const future[] = {"will", "wo", "shall", "'ll", "plans", "plan",
                                         "planned", "intends", "intend", "intended", "wants",
                                         "want", "wanted", "seeks", "sought", "hopes", NULL};
    static const char *const conditional[] = {"if", "unless", "whether", NULL};
    static const char *const reported[] = {"reportedly", "allegedly", "reported", "alleged",
                                           "purportedly", "according", NULL};
    dyad_modality mod = DYAD_ASSERTED;
    cue->at = -1;
    cue->why = "no cue in the words before the trigger";
    /* the few words before the trigger: auxiliaries, negation, "to" */
    uint32_t lo = first > 5 ? first - 5 : 0;
    for (uint32_t i = first; i-- > lo;) {
        const char *w = c->tok[i].norm;
        if (c->m_end[i] >= 0 || strcmp(w, ",") == 0 || strcmp(w, ";") == 0 ||
            strcmp(w, "that") == 0)
            break; /* an actor or a clause boundary ends the verb group */
        if (is_pattern_word(c, i))
            continue; /* the pattern spells out this word: its code already means it */
        if (in_list(w, negators)) {
            cue->at = (int32_t)i;
            cue->why = "negation in the few words before the trigger";
            return DYAD_NEGATED;
        }
        if (in_list(w, hypothetical)) {
            mod = DYAD_HYPOTHETICAL;
            cue->at = (int32_t)i;
            cue->why = "modal verb before the trigger";
        } else if (mod == DYAD_ASSERTED && (in_list(w, future) ||
                                            (is_verb && i + 1 == first && strcmp(w, "to") == 0))) {
            mod = DYAD_INTENDED;
            cue->at = (int32_t)i;
            cue->why = strcmp(w, "to") == 0 ? "infinitive 'to' before the trigger"
                                            : "future or intention word before the trigger";
        }
    }
    if (mod != DYAD_ASSERTED)
        return mod;
    for (uint32_t i = 0; i < first; i++) {
        if (in_list(c->tok[i].norm, conditional)) {
            cue->at = (int32_t)i;
            cue->why = "conditional word earlier in the sentence";
            return DYAD_HYPOTHETICAL;
        }
        if (in_list(c->tok[i].norm, reported)) {
            mod = DYAD_REPORTED;
            cue->at = (int32_t)i;
            cue->why = "reporting word earlier in the sentence";
        }
    }
    return mod;
}

/* ---------------------------------------------------------------------- */
/* the dependency tree: who is the subject and the object of a trigger     */

static void rels_init(rels *r)
{
#define REL(f, name) r->f = (uint8_t)deprel_id(name, sizeof name - 1)
    REL(nsubj, "nsubj"); REL(nsubj_pass, "nsubj:pass"); REL(csubj, "csubj"); REL(obj, "obj");
    REL(iobj, "iobj"); REL(obl, "obl"); REL(obl_agent, "obl:agent"); REL(xcomp, "xcomp");
    REL(ccomp, "ccomp"); REL(conj, "conj"); REL(acl, "acl"); REL(acl_relcl, "acl:relcl");
    REL(advcl, "advcl"); REL(advmod, "advmod"); REL(aux, "aux"); REL(aux_pass, "aux:pass");
    REL(mark, "mark"); REL(case_, "case"); REL(cop, "cop"); REL(expl, "expl");
#undef REL
}

static int sentence_parsed(const sentctx *c)
{
    for (uint32_t i = 0; i < c->n; i++)
        if (c->tok[i].head < -1 || c->tok[i].head >= (int32_t)c->n || !c->tok[i].deprel)
            return 0;
    return c->n > 0;
}

static const char *lemma_of(const sentctx *c, uint32_t i)
{
    return c->tok[i].lemma ? c->tok[i].lemma : c->tok[i].norm;
}

/* The n-th child of v with relation rel (n = 0: the first), or -1. */
static int32_t child(const sentctx *c, uint32_t v, uint8_t rel)
{
    if (!rel)
        return -1;
    for (uint32_t i = 0; i < c->n; i++)
        if (c->tok[i].head == (int32_t)v && c->tok[i].deprel == rel)
            return (int32_t)i;
    return -1;
}

/* The syntactic head of a mention: its token whose head lies outside it. */
static uint32_t mention_head(const sentctx *c, const mention *m)
{
    uint32_t h = m->start;
    for (uint32_t q = m->start; q < m->end; q++)
        if (c->tok[q].head < (int32_t)m->start || c->tok[q].head >= (int32_t)m->end)
            h = q;
    return h;
}

static int32_t mention_at(const sentctx *c, uint32_t t)
{
    for (uint32_t k = 0; k < c->nm; k++)
        if (t >= c->m[k].start && t < c->m[k].end)
            return (int32_t)k;
    return -1;
}

/* The actor a noun phrase headed by t refers to: the mention containing t,
 * else the first actor mention inside t's phrase ("officials of the Mexican
 * government"), not crossing into clauses. */
static int32_t phrase_actor(const sentctx *c, uint32_t t)
{
    int32_t m = mention_at(c, t);
    if (m >= 0 && !c->m[m].modifier)
        return m;
    int32_t agent = -1;
    for (uint32_t k = 0; k < c->nm; k++) {
        const mention *mk = &c->m[k];
        if (mk->modifier || mk->possessive)
            continue;
        /* the mention's own head must sit inside t's phrase, reached through
         * noun-phrase relations only */
        uint32_t h = mention_head(c, mk);
        int inside = 0;
        uint32_t u = h;
        for (int depth = 0; depth < 6; depth++) {
            if (u == t) {
                inside = 1;
                break;
            }
            uint8_t rel = c->tok[u].deprel;
            if (c->tok[u].head < 0 || rel == c->r->acl || rel == c->r->acl_relcl ||
                rel == c->r->ccomp || rel == c->r->advcl || rel == c->r->xcomp)
                break;
            u = (uint32_t)c->tok[u].head;
        }
        if (!inside)
            continue;
        if (mk->has_actor)
            return (int32_t)k;
        if (agent < 0)
            agent = (int32_t)k;
    }
    return agent;
}

/* The subject of verb v, following control and coordination upward:
 * "Arnor agreed to restore ties" -> Arnor for "restore". */
static int32_t tree_subject(const sentctx *c, uint32_t v, int depth)
{
    int32_t s = child(c, v, c->r->nsubj);
    if (s < 0)
        s = child(c, v, c->r->csubj);
    if (s >= 0) {
        const char *w = c->tok[s].norm;
        /* "Mexico, which praised Brazil": the relative pronoun stands for the noun */
        if (c->tok[v].deprel == c->r->acl_relcl && c->tok[v].head >= 0 &&
            (strcmp(w, "which") == 0 || strcmp(w, "who") == 0 || strcmp(w, "that") == 0))
            return phrase_actor(c, (uint32_t)c->tok[v].head);
        return phrase_actor(c, (uint32_t)s);
    }
    if (depth > 4 || c->tok[v].head < 0)
        return -1;
    uint8_t rel = c->tok[v].deprel;
    uint32_t h = (uint32_t)c->tok[v].head;
    /* a parse that hangs a clause on a punctuation mark ("said, rejecting
     * calls" under the full stop) means the mark's head */
    if (c->tok[h].upos == UPOS_PUNCT && c->tok[h].head >= 0)
        h = (uint32_t)c->tok[h].head;
    if (rel == c->r->advcl) {
        /* "criticized Hungary for blocking the package": Hungary blocks */
        int32_t mk = child(c, v, c->r->mark);
        if (mk < 0)
            mk = child(c, v, c->r->case_);
        int32_t ob = child(c, h, c->r->obj);
        if (mk >= 0 && strcmp(c->tok[mk].norm, "for") == 0 && ob >= 0)
            return phrase_actor(c, (uint32_t)ob);
    }
    if (rel == c->r->xcomp && !in_list(lemma_of(c, h), (const char *const[]){"promise", NULL})) {
        /* object control: "allowing the Pentagon to use force", "urged Iran to
         * halt": the object does the infinitive */
        int32_t ob = child(c, h, c->r->obj);
        if (ob < 0)
            ob = child(c, h, c->r->iobj); /* a parse that calls it the indirect object */
        int32_t m = ob >= 0 && (uint32_t)ob < v ? phrase_actor(c, (uint32_t)ob) : -1;
        if (m >= 0)
            return m;
    }
    if (rel == c->r->xcomp || rel == c->r->conj || rel == c->r->advcl)
        return tree_subject(c, h, depth + 1);
    if (rel == c->r->acl || rel == c->r->acl_relcl) {
        int32_t m = phrase_actor(c, h); /* "troops who attacked", "forces backing the rebels" */
        /* "Trump signed a directive allowing ...": the one who issued the
         * thing does what it does */
        if (m < 0 && rel == c->r->acl && c->tok[h].deprel == c->r->obj && c->tok[h].head >= 0)
            m = tree_subject(c, (uint32_t)c->tok[h].head, depth + 1);
        return m;
    }
    return -1;
}

/* The first actor among v's children with relation rel; prep, if given, must
 * be the case marker of an obl. */
static int is_locative(const char *prep)
{
    static const char *const locatives[] = {"in", "at", "near", "inside", "across", "along",
                                            "throughout", "within", "around", "outside",
                                            "off", NULL};
    return in_list(prep, locatives);
}

/* A mention made only of the trigger's own words ("military" in "use
 * military force") is part of the act, not a party to it; one that adds to
 * them ("American prisoners" for "release ... prisoners") is the party. */
static int in_pattern(const sentctx *c, const mention *m)
{
    for (uint32_t q = m->start; q < m->end; q++)
        if (!is_pattern_word(c, q))
            return 0;
    return m->end > m->start;
}

static int32_t child_actor(const sentctx *c, uint32_t v, uint8_t rel, const char *prep)
{
    for (uint32_t i = 0; i < c->n; i++) {
        if (c->tok[i].head != (int32_t)v || c->tok[i].deprel != rel)
            continue;
        int32_t cs = child(c, i, c->r->case_);
        if (prep && (cs < 0 || strcmp(c->tok[cs].norm, prep) != 0))
            continue;

        int32_t m = phrase_actor(c, i);
        if (m >= 0 && !in_pattern(c, &c->m[m]))
            return m;
    }
    return -1;
}

static int is_speech_verb(const char *lemma)
{
    static const char *const verbs[] = {
        "say", "declare", "state", "announce", "insist", "affirm", "assert", "confirm",
        "stress", "emphasize", "emphasise", "clarify", "tell", "reiterate", "add", NULL};
    return in_list(lemma, verbs);
}

static int has_own_subject(const sentctx *c, uint32_t u)
{
    return child(c, u, c->r->nsubj) >= 0 || child(c, u, c->r->nsubj_pass) >= 0 ||
           child(c, u, c->r->csubj) >= 0;
}

/* Whether clause u's subject is the source itself or its own country: what
 * a leader pledges their side will do names the other party ("she pledged
 * that Italy would continue its support for Ukraine").  Not for verbs of
 * saying: what follows "said that" is coded as its own event. */
static int subject_is_source(const sentctx *c, uint32_t u, int32_t src)
{
    if (src < 0 || !c->m[src].ncodes)
        return 0;
    int32_t s = child(c, u, c->r->nsubj);
    int32_t m = s >= 0 ? mention_at(c, (uint32_t)s) : -1;
    return m >= 0 && c->m[m].ncodes && same_actor(c->m[src].codes[0], c->m[m].codes[0]);
}

/* The first actor after v inside v's clause: its objects and their phrases,
 * prepositional phrases, and infinitival complements ("signed an accord to
 * supply Gondor"), but not clauses with subjects of their own.  This is the
 * verb phrase in which PETRARCH looks for the target. */
static int32_t scope_target(const sentctx *c, uint32_t v, int32_t src)
{
    int32_t agent = -1;
    for (uint32_t k = 0; k < c->nm; k++) {
        const mention *m = &c->m[k];
        if (m->start <= v || m->modifier || m->possessive || m->ncodes == 0 ||
            in_pattern(c, m))
            continue;
        if (src >= 0 && k >= c->m[src].cfirst && k <= c->m[src].clast)
            continue;
        /* "she pledged that Italy would continue its support for Ukraine": the
         * source's own country is not the other party */
        if (src >= 0 && c->m[src].ncodes && same_actor(c->m[src].codes[0], m->codes[0]))
            continue;
        uint32_t u = mention_head(c, m);
        int in = 0;
        uint8_t came_by = 0; /* relation of the step that led to u */
        for (int depth = 0; depth < 12; depth++) {
            if (u == v) {
                in = 1;
                break;
            }
            if (c->tok[u].head < 0)
                break;
            uint8_t rel = c->tok[u].deprel;
            /* the subject of a complement clause is in reach: "believes Dagolath can
             * cope", "hopes that Osgiliath could be drawn" */
            int via_subject = came_by == c->r->nsubj || came_by == c->r->nsubj_pass;
            if ((rel == c->r->ccomp || rel == c->r->advcl || rel == c->r->acl_relcl ||
                 rel == c->r->conj || rel == c->r->acl) && has_own_subject(c, u) &&
                !(via_subject && (rel == c->r->ccomp || rel == c->r->acl)) &&
                !(rel == c->r->ccomp && !is_speech_verb(lemma_of(c, v)) &&
                  subject_is_source(c, u, src)))
                break;
            came_by = rel;
            if (deprel_name(rel)[0] == 'p' && strcmp(deprel_name(rel), "parataxis") == 0)
                break;
            u = (uint32_t)c->tok[u].head;
        }
        if (!in)
            continue;
        /* "held exercises in the South China Sea": a place, not a party */
        uint32_t h = mention_head(c, m);
        int32_t cs = child(c, h, c->r->case_);
        if (cs >= 0 && is_locative(c->tok[cs].norm))
            continue;
        if (m->has_actor)
            return (int32_t)k;
        if (agent < 0)
            agent = (int32_t)k;
    }
    return agent;
}

/* "was opposed by": a participle with a form of "be" as its auxiliary and a
 * by-phrase, whatever relation labels the parse gave them. */
static int is_passive_form(const sentctx *c, uint32_t v)
{
    if (strcmp(xpos_name(c->tok[v].xpos), "VBN") != 0)
        return 0;
    int be = 0, by = 0;
    for (uint32_t i = 0; i < c->n; i++) {
        if (c->tok[i].head != (int32_t)v)
            continue;
        if ((c->tok[i].deprel == c->r->aux || c->tok[i].deprel == c->r->aux_pass) &&
            in_list(c->tok[i].norm, (const char *const[]){"is", "was", "are", "were", "be",
                                                           "been", "being", "'s", NULL}))
            be = 1;
        int32_t cs = child(c, i, c->r->case_);
        if (cs >= 0 && strcmp(c->tok[cs].norm, "by") == 0)
            by = 1;
    }
    return be && by;
}

/* The object of a main verb that the parse took for a participle, as a
 * past tense after a name often is: "The Taliban attacked Afghan soldiers"
 * parsed as "attacked" modifying "soldiers" (with the Taliban as its
 * subject), "Mexican troops arrested members of the cartel" as "arrested"
 * modifying "troops", which is left as the root with "members" as its
 * object.  A true participle has no subject of its own and hangs on a noun
 * that has a verb above it. */
static int32_t misparsed_object(const sentctx *c, uint32_t v)
{
    const char *x = xpos_name(c->tok[v].xpos);
    if (c->tok[v].head < 0 || (strcmp(x, "VBN") != 0 && strcmp(x, "VBD") != 0))
        return -1;
    uint32_t h = (uint32_t)c->tok[v].head;
    const char *rel = deprel_name(c->tok[v].deprel);
    if (strcmp(rel, "amod") == 0 && h > v && child(c, v, c->r->nsubj) >= 0)
        return phrase_actor(c, h);
    if (strcmp(rel, "acl") == 0 && h < v && c->tok[h].head < 0 &&
        child(c, v, c->r->aux) < 0 && child(c, v, c->r->aux_pass) < 0) {
        for (uint32_t i = v + 1; i < c->n; i++)
            if (c->tok[i].head == (int32_t)h &&
                (c->tok[i].deprel == c->r->obj || strncmp(deprel_name(c->tok[i].deprel), "nmod", 4) == 0)) {
                int32_t m = phrase_actor(c, i);
                if (m >= 0)
                    return m;
            }
    }
    return -1;
}

/* Source and target of a trigger at token v (a verb, or a noun); why[0] and
 * why[1] say for the trace which rule found each. */
static void tree_actors(const sentctx *c, uint32_t v, int32_t *src, int32_t *tgt,
                        const char *why[2])
{
    *src = *tgt = -1;
    why[0] = why[1] = NULL;
    int32_t patient = child(c, v, c->r->nsubj_pass);
    why[1] = "passive subject (nsubj:pass)";
    if (patient < 0 && is_passive_form(c, v)) {
        patient = child(c, v, c->r->nsubj); /* a parse that labels no passive */
        why[1] = "subject of a passive form the parse did not label (be + VBN + by)";
    }
    if (patient >= 0) {
        /* passive: "Gondor was attacked by Mordor" */
        *tgt = phrase_actor(c, (uint32_t)patient);
        *src = child_actor(c, v, c->r->obl_agent, NULL);
        why[0] = "by-agent of the passive (obl:agent)";
        if (*src < 0) {
            *src = child_actor(c, v, c->r->obl, "by");
            why[0] = "by-phrase of the passive (obl with 'by')";
        }
        /* "X declared that an invasion is ruled out": an agentless passive in
         * what a speaker asserts is the speaker's own act */
        if (*src < 0 && c->tok[v].deprel == c->r->ccomp && c->tok[v].head >= 0 &&
            is_speech_verb(lemma_of(c, (uint32_t)c->tok[v].head))) {
            *src = tree_subject(c, (uint32_t)c->tok[v].head, 0);
            why[0] = "speaker: an agentless passive in what the subject of a speech verb says";
        }
        return;
    }
    *src = tree_subject(c, v, 0);
    if (c->trace) /* the test costs two scans: only when someone reads it */
        why[0] = child(c, v, c->r->nsubj) >= 0 || child(c, v, c->r->csubj) >= 0
                 ? "subject (nsubj) of the trigger's verb"
                 : "subject of the governing verb (control, coordination or relative clause)";
    *tgt = child_actor(c, v, c->r->obj, NULL);
    why[1] = "object (obj)";
    if (*tgt < 0) {
        *tgt = child_actor(c, v, c->r->iobj, NULL);
        why[1] = "indirect object (iobj)";
    }
    if (*tgt < 0) {
        *tgt = child_actor(c, v, c->r->obl, NULL);
        why[1] = "oblique (obl)";
    }
    if (*tgt < 0) {
        *tgt = scope_target(c, v, *src);
        why[1] = "first actor in the verb's scope (objects' phrases, complements)";
    }
    if (*tgt < 0) {
        *tgt = misparsed_object(c, v);
        why[1] = "object of a past tense the parse took for a participle";
    }
}

/* Source and target of a noun trigger ("Mexico's seizure of the ship", "an
 * attack by Osgiliath soldiers on Gondor"): the possessor or the by-phrase is
 * the source, an of/against/on/with/to phrase the target.  No guessing from
 * neighbouring words: a noun with no such dependents codes nothing. */
static void tree_noun_actors(const sentctx *c, uint32_t v, int32_t *src, int32_t *tgt,
                             const char *why[2])
{
    static const char *const target_preps[] = {"of", "against", "on", "with", "to", "toward",
                                               "towards", "into", NULL};
    *src = *tgt = -1;
    why[0] = why[1] = NULL;
    for (uint32_t i = 0; i < c->n; i++) {
        if (c->tok[i].head != (int32_t)v)
            continue;
        const char *rel = deprel_name(c->tok[i].deprel);
        int32_t cs = child(c, i, c->r->case_);
        const char *prep = cs >= 0 ? c->tok[cs].norm : "";
        int poss = strcmp(rel, "nmod:poss") == 0;
        int nmod = strncmp(rel, "nmod", 4) == 0 && !poss;
        int amod = strcmp(rel, "amod") == 0 || strcmp(rel, "compound") == 0;
        if (*src < 0 && (poss || (nmod && strcmp(prep, "by") == 0) || amod)) {
            int32_t m = phrase_actor(c, i);
            if (m >= 0) {
                *src = m;
                why[0] = poss   ? "possessor of the trigger noun (nmod:poss)"
                         : nmod ? "by-phrase of the trigger noun"
                                : "modifier of the trigger noun (amod, compound)";
            }
        } else if (*tgt < 0 && nmod && in_list(prep, target_preps)) {
            int32_t m = phrase_actor(c, i);
            if (m >= 0) {
                *tgt = m;
                why[1] = "of/against/on/with/to phrase of the trigger noun (nmod)";
            }
        }
    }
}

/* Modality from the tree: negation and auxiliaries of the trigger's verb and
 * of the verbs that govern it through control ("did not plan to attack"),
 * conditionals ("if ... attacks"), intention verbs, reporting. */
static dyad_modality tree_modality(const sentctx *c, uint32_t v, modality_cue *cue)
{
    static const char *const negators[] = {"not", "n't", "never", "no", "nt", NULL};
    static const char *const modals[] = {"could", "would", "might", "may", "should", "can",
                                         "ca", "must", NULL};
    static const char *const future[] = {"will", "wo", "shall", "'ll", NULL};
    static const char *const intend[] = {
        "plan", "intend", "want", "seek", "hope", "aim", "try", "prepare", "threaten", "vow",
        "pledge", "promise", "expect", "consider", "propose", "go", "wish", "plot", "attempt",
        "offer", "mean", "decide", "agree", "refuse", "fail", "urge", "ask", "call",
        /* permission and orders: "allowing the Pentagon to use force" is not its use */
        "allow", "authorize", "authorise", "permit", "enable", "empower", "order", "instruct",
        "direct", "encourage", NULL};
    static const char *const reporting[] = {"report", "allege", "claim", "accuse", "rumor",
                                            "rumour", NULL};
    static const char *const reportedly[] = {"reportedly", "allegedly", "purportedly",
                                             "apparently", NULL};
    int neg = 0, hyp = 0, fut = 0, rep = 0;
    /* the word behind each flag, for the trace */
    modality_cue neg_cue = {-1, NULL}, hyp_cue = {-1, NULL}, fut_cue = {-1, NULL},
                 rep_cue = {-1, NULL};
    uint32_t u = v;
    /* a noun trigger takes the modality of the clause it stands in */
    if (c->tok[u].upos == UPOS_NOUN || c->tok[u].upos == UPOS_PROPN) {
        if (c->tok[u].head >= 0)
            u = (uint32_t)c->tok[u].head;
    }
    for (int depth = 0; depth < 6; depth++) {
        for (uint32_t i = 0; i < c->n; i++) {
            if (c->tok[i].head != (int32_t)u)
                continue;
            uint8_t rel = c->tok[i].deprel;
            const char *w = c->tok[i].norm;
            if (is_pattern_word(c, i))
                continue; /* "- NOT_* [112]": the pattern itself means the negated act */
            if ((rel == c->r->advmod || rel == c->r->aux || rel == c->r->aux_pass ||
                 c->tok[i].upos == UPOS_PART) && in_list(w, negators)) {
                neg = 1;
                neg_cue = (modality_cue){(int32_t)i, "negation of the trigger's verb"};
            } else if ((rel == c->r->aux || rel == c->r->aux_pass) && in_list(w, modals)) {
                hyp = 1;
                hyp_cue = (modality_cue){(int32_t)i, "modal auxiliary of the trigger's verb"};
            } else if ((rel == c->r->aux || rel == c->r->aux_pass) && in_list(w, future)) {
                fut = 1;
                fut_cue = (modality_cue){(int32_t)i, "future auxiliary of the trigger's verb"};
            } else if (rel == c->r->mark && (strcmp(w, "if") == 0 || strcmp(w, "unless") == 0) &&
                       c->tok[u].deprel == c->r->advcl) {
                hyp = 1;
                hyp_cue = (modality_cue){(int32_t)i, "conditional clause (if/unless)"};
            } else if (rel == c->r->advmod && in_list(w, reportedly)) {
                rep = 1;
                rep_cue = (modality_cue){(int32_t)i, "reporting adverb"};
            }
        }
        if (c->tok[u].head < 0)
            break;
        uint8_t rel = c->tok[u].deprel;
        uint32_t h = (uint32_t)c->tok[u].head;
        if (rel == c->r->xcomp) {
            if (in_list(lemma_of(c, h), intend)) {
                fut = 1;
                fut_cue = (modality_cue){(int32_t)h, "governed by an intention verb (xcomp)"};
            }
            u = h;
            continue;
        }
        /* "reported that Trump signed a directive allowing ...": a participle
         * that completes a noun stands in the clause of the noun's verb */
        if (rel == c->r->acl && child(c, u, c->r->mark) < 0 &&
            (c->tok[h].upos == UPOS_NOUN || c->tok[h].upos == UPOS_PROPN) &&
            c->tok[h].head >= 0 && c->tok[h].deprel != c->r->nsubj) {
            u = (uint32_t)c->tok[h].head;
            continue;
        }
        if (rel == c->r->ccomp && in_list(lemma_of(c, h), reporting)) {
            rep = 1;
            rep_cue = (modality_cue){(int32_t)h, "complement of a reporting verb (ccomp)"};
        }
        /* "efforts to stop the parade", "a plan to attack": an infinitive that
         * completes a noun is an aim, not a deed */
        if ((rel == c->r->acl || rel == c->r->advcl) && child(c, u, c->r->mark) >= 0 &&
            strcmp(c->tok[child(c, u, c->r->mark)].norm, "to") == 0) {
            fut = 1;
            fut_cue = (modality_cue){child(c, u, c->r->mark),
                                     "infinitive completing a noun or clause: an aim"};
        }
        break;
    }
    if (neg) {
        *cue = neg_cue;
        return DYAD_NEGATED;
    }
    if (hyp) {
        *cue = hyp_cue;
        return DYAD_HYPOTHETICAL;
    }
    if (fut) {
        *cue = fut_cue;
        return DYAD_INTENDED;
    }
    *cue = rep ? rep_cue : (modality_cue){-1, "no negation, modal, condition or report cue in the tree"};
    return rep ? DYAD_REPORTED : DYAD_ASSERTED;
}

/* ---------------------------------------------------------------------- */
/* events                                                                   */

static int same_actor(const char *a, const char *b)
{
    size_t la = strlen(a), lb = strlen(b);
    size_t n = la < lb ? la : lb;
    return strncmp(a, b, n) == 0; /* equal, or one contains the other: MEX / MEXGOV */
}

/* Nearest mention left of token pos, preferring actors over bare agents. */
static int32_t nearest_left(const sentctx *c, uint32_t pos)
{
    int32_t agent = -1;
    for (uint32_t k = c->nm; k-- > 0;)
        if (c->m[k].end <= pos && !c->m[k].modifier && !c->m[k].possessive) {
            if (c->m[k].has_actor)
                return (int32_t)k;
            if (agent < 0)
                agent = (int32_t)k;
        }
    return agent;
}

/* Nearest mention right of token pos that is not the source itself (nor a
 * member of its list, nor the same actor: "Mexico ... Mexico's sovereignty"). */
static int32_t nearest_right(const sentctx *c, uint32_t pos, int32_t src)
{
    int32_t agent = -1;
    for (uint32_t k = 0; k < c->nm; k++) {
        const mention *m = &c->m[k];
        if (m->start < pos || m->modifier || m->possessive)
            continue;
        if (src >= 0) {
            const mention *s = &c->m[src];
            if (k >= s->cfirst && k <= s->clast)
                continue;
            if (s->ncodes && m->ncodes && same_actor(s->codes[0], m->codes[0]))
                continue;
        }
        if (m->has_actor)
            return (int32_t)k;
        if (agent < 0)
            agent = (int32_t)k;
    }
    return agent;
}

static dyad_span tok_span(const sentctx *c, uint32_t a, uint32_t b)
{
    /* an actor carried over from another sentence has no span in this one */
    if (b <= a || b > c->n)
        return (dyad_span){0, 0};
    dyad_span s = {c->tok[a].start, c->tok[b - 1].end};
    return s;
}

typedef struct event_ctx {
    uint32_t sent;
    dyad_span trigger;
    const dict_entry *e;
    dyad_modality mod;
} event_ctx;

static int emit_one(sentctx *c, const event_ctx *x, const char *code, const mention *s,
                    const char *scode, const mention *t, const char *tcode)
{
    /* Foreign dictionaries (PETRARCH validation sets) use codes outside CAMEO;
     * such events keep their code and take quad and Goldstein from the root. */
    const cameo_entry *ce = cameo_find(code);
    char root[3] = {code[0], code[1], '\0'};
    const cameo_entry *re = ce ? ce : cameo_find(root);
    /* the same event from two patterns of one sentence counts once */
    for (size_t i = c->doc->nevents; i-- > c->first_event;) {
        const dyad_event *o = &c->doc->events[i];
        if (strcmp(o->code, code) == 0 && strcmp(o->source, scode) == 0 &&
            strcmp(o->target, tcode ? tcode : "") == 0) {
            TRACE(c, .kind = NOTE_DROPPED, .entry = x->e, .code = code, .rule = x->e->rule,
                  .codes = (const char *const[]){scode, tcode ? tcode : ""}, .ncodes = 2,
                  .detail = "the same event was already coded in this sentence");
            return 0;
        }
    }
    dyad_event *ev = doc_add_event(c->doc);
    if (!ev)
        return -1;
    ev->sent = x->sent;
    ev->source = scode;
    ev->source_span = tok_span(c, s->start, s->end);
    ev->source_rule = s->rule;
    ev->target = "";
    ev->target_rule = "";
    if (t) {
        ev->target = tcode;
        ev->target_span = tok_span(c, t->start, t->end);
        ev->target_rule = t->rule;
    }
    snprintf(ev->code, sizeof ev->code, "%s", code);
    snprintf(ev->root, sizeof ev->root, "%.2s", code);
    ev->quad = re ? re->c.quad : 0;
    ev->goldstein = re ? re->c.goldstein : 0.0;
    ev->plover = re ? re->plover : "";
    ev->plover_mode = ce ? ce->plover_mode : "";
    ev->modality = x->mod;
    ev->trigger = x->trigger;
    ev->verb_rule = x->e->rule;
    ev->quote = -1;
    for (size_t q = 0; q < c->doc->nquotes; q++)
        if (x->trigger.start >= c->doc->quotes[q].span.start &&
            x->trigger.end <= c->doc->quotes[q].span.end)
            ev->quote = (int32_t)q;
    TRACE(c, .kind = NOTE_EVENT, .entry = x->e, .code = ev->code, .rule = x->e->rule,
          .event = ev);
    return 0;
}

/* Notes the source and target chosen for a trigger and how (tracing only). */
static void trace_actors(const sentctx *c, const dict_entry *e, uint32_t tstart, uint32_t tend,
                         int32_t src, int32_t tgt, const char *const why[2])
{
    if (src < 0) {
        TRACE(c, .kind = NOTE_SOURCE, .start = tstart, .end = tstart,
              .detail = "none: no actor in a source position");
        TRACE(c, .kind = NOTE_DROPPED, .start = tstart, .end = tend, .entry = e, .code = e->code,
              .rule = e->rule, .detail = "no source actor: no event");
        return;
    }
    const mention *s = &c->m[src];
    TRACE(c, .kind = NOTE_SOURCE, .start = s->start, .end = s->end, .codes = s->codes,
          .ncodes = s->ncodes, .rule = s->rule, .detail = why[0] ? why[0] : "found");
    if (tgt < 0) {
        TRACE(c, .kind = NOTE_TARGET, .start = tstart, .end = tstart,
              .detail = why[1] && strncmp(why[1], "none", 4) == 0
                            ? why[1]
                            : "none: no actor in a target position");
        return;
    }
    const mention *t = &c->m[tgt];
    TRACE(c, .kind = NOTE_TARGET, .start = t->start, .end = t->end, .codes = t->codes,
          .ncodes = t->ncodes, .rule = t->rule, .detail = why[1] ? why[1] : "found");
}

/* Acts a list of subjects does among itself when no one else is named:
 * cooperation (03-06), yielding (08: "declared a ceasefire"), fighting (19). */
static int is_cooperation(const char *code)
{
    return (code[0] == '0' && code[1] >= '3' && code[1] <= '6') ||
           (code[0] == '0' && code[1] == '8') || (code[0] == '1' && code[1] == '9');
}

/* Emits the events of one trigger: one per source code x target code, over
 * the coordinated lists of both ("Brazil and the United States signed ..."
 * is one event per member), plus the reverse events of A:B codes.  A list of
 * subjects with no target that cooperates (03-06) cooperates among itself. */
static int emit_events(sentctx *c, const event_ctx *x, const char *code, const char *rcode,
                       int32_t src, int32_t tgt)
{
    if (src < 0)
        return 0;
    const mention *S = &c->m[src];
    for (uint32_t sm = S->cfirst; sm <= S->clast; sm++) {
        const mention *s = &c->m[sm];
        for (uint32_t sc = 0; sc < s->ncodes; sc++) {
            const char *scode = s->codes[sc];
            if (tgt < 0) {
                if (!code[0]) {
                    TRACE(c, .kind = NOTE_DROPPED, .entry = x->e, .code = x->e->rcode,
                          .rule = x->e->rule, .codes = &s->codes[sc], .ncodes = 1,
                          .detail = "a reverse-only pattern needs a target");
                    continue;
                }
                if (S->pair && S->cfirst == S->clast && is_cooperation(code)) {
                    /* "the two sides signed a pact": each with the other */
                    for (uint32_t oc = 0; oc < s->ncodes; oc++)
                        if (oc != sc && !same_actor(scode, s->codes[oc]) &&
                            emit_one(c, x, code, s, scode, s, s->codes[oc]))
                            return -1;
                } else if (S->clast > S->cfirst && is_cooperation(code)) {
                    for (uint32_t om = S->cfirst; om <= S->clast; om++)
                        for (uint32_t oc = 0; oc < c->m[om].ncodes; oc++)
                            if (om != sm && !same_actor(scode, c->m[om].codes[oc]) &&
                                emit_one(c, x, code, s, scode, &c->m[om], c->m[om].codes[oc]))
                                return -1;
                } else if (strcmp(code, "010") != 0 &&
                           emit_one(c, x, code, s, scode, NULL, NULL)) {
                    /* a bare statement (010, "said") to no one is not an interaction */
                    return -1;
                } else if (strcmp(code, "010") == 0) {
                    TRACE(c, .kind = NOTE_DROPPED, .entry = x->e, .code = code, .rule = x->e->rule,
                          .codes = &s->codes[sc], .ncodes = 1,
                          .detail = "a bare statement (010) to no one is not an interaction");
                }
                continue;
            }
            const mention *T = &c->m[tgt];
            int paired = 0;
            for (uint32_t tm = T->cfirst; tm <= T->clast; tm++) {
                const mention *t = &c->m[tm];
                for (uint32_t tc = 0; tc < t->ncodes; tc++) {
                    const char *tcode = t->codes[tc];
                    if (same_actor(scode, tcode)) {
                        TRACE(c, .kind = NOTE_DROPPED, .entry = x->e, .code = code,
                              .rule = x->e->rule, .codes = (const char *const[]){scode, tcode},
                              .ncodes = 2,
                              .detail = "self-event: source and target are the same actor");
                        continue;
                    }
                    paired = 1;
                    if (code[0] && emit_one(c, x, code, s, scode, t, tcode))
                        return -1;
                    if (rcode[0] && emit_one(c, x, rcode, t, tcode, s, scode))
                        return -1;
                }
            }
            /* the only target found is the source itself: keep the act, without
             * a target, rather than lose it */
            if (!paired && code[0] && strcmp(code, "010") != 0 &&
                emit_one(c, x, code, s, scode, NULL, NULL))
                return -1;
        }
    }
    return 0;
}

/* Sets up the context of sentence si: its tokens and their word ids. */
static int sentctx_init(sentctx *c, const dyad_dict *d, const rels *rl, coref_memory *memory,
                        quote_ctx *quotes, dyad_doc *doc, uint32_t si)
{
    const sentence *s = &doc->sents[si];
    memset(c, 0, sizeof *c);
    c->d = d;
    c->doc = doc;
    c->tok = doc->toks + s->tok;
    c->n = s->ntok;
    c->first_event = doc->nevents;
    c->si = si;
    c->memory = memory;
    c->quotes = quotes;
    if (c->n == 0)
        return 0;
    c->ids = arena_alloc(&doc->mem, c->n * sizeof *c->ids);
    if (!c->ids)
        return -1;
    for (uint32_t i = 0; i < c->n; i++)
        c->ids[i] = intern_get(&d->words, c->tok[i].norm, strlen(c->tok[i].norm));
    c->r = rl && sentence_parsed(c) ? rl : NULL;
    return 0;
}

/* Records, for each quotation, the last actor named in it who is not of the
 * speaker's own side. */
static void note_quote_actors(sentctx *c)
{
    for (uint32_t k = 0; k < c->nm; k++) {
        const mention *m = &c->m[k];
        if (!m->has_actor || m->coref || m->modifier || !m->ncodes)
            continue;
        int32_t q = quote_at(c, m->start);
        if (q < 0)
            continue;
        const mention *sp = &c->quotes->speaker[q];
        if (c->quotes->has_speaker[q] && sp->ncodes &&
            strncmp(sp->codes[0], m->codes[0], 3) == 0)
            continue; /* "Mexico" in a Mexican president's words */
        c->quotes->other[q] = *m;
        c->quotes->has_other[q] = 1;
    }
}

static int code_sentence(const dyad_dict *d, const rels *rl, coref_memory *memory,
                         quote_ctx *quotes, dyad_doc *doc, uint32_t si, unsigned flags,
                         const code_trace *trace)
{
    sentctx c;
    if (sentctx_init(&c, d, rl, memory, quotes, doc, si))
        return -1;
    c.trace = trace;
    TRACE(&c, .kind = NOTE_SENTENCE, .end = c.n,
          .detail = c.r ? "parsed: source and target from the dependency tree"
                        : "not parsed: nearest actors before and after each trigger");
    if (c.n == 0)
        return 0;
    /* discards */
    for (uint32_t i = 0; i < c.n; i++) {
        dict_range r = dict_word_entries(d, c.ids[i]);
        for (size_t k = 0; k < r.n; k++) {
            const dict_entry *e = &d->entries[r.ids[k]];
            if (e->kind == ENT_DISCARD && match_literal(&c, e, i)) {
                TRACE(&c, .kind = NOTE_DISCARD, .start = i, .end = i + e->nelem, .entry = e,
                      .rule = e->rule,
                      .detail = e->code[0] == '+' ? "story discard: the whole story codes nothing"
                                                  : "discard phrase: this sentence codes nothing");
                return e->code[0] == '+' ? 1 : 0; /* 1: discard the whole story */
            }
        }
    }
    if (find_mentions(&c))
        return -1;
    if (c.quotes)
        note_quote_actors(&c);
    int has_verb = 0;
    for (uint32_t k = 0; k < c.n; k++)
        has_verb |= c.tok[k].upos == UPOS_VERB;
    /* tokens inside actor mentions are never triggers ("United States") */
    uint8_t *in_mention = arena_alloc(&doc->mem, c.n);
    if (!in_mention)
        return -1;
    for (uint32_t k = 0; k < c.nm; k++)
        memset(in_mention + c.m[k].start, 1, c.m[k].end - c.m[k].start);
    for (uint32_t i = 0; i < c.n;) {
        if (in_mention[i]) {
            i++;
            continue;
        }
        /* A verb pattern applies where the tagger reads a verb ("an attack by"
         * is a noun), unless the tagger found no verb in the whole sentence:
         * then its tags are not to be trusted ("Japan promised aid ..." with
         * "promised" read as an adjective). */
        int verb_ok = !c.r || c.tok[i].upos == UPOS_VERB || c.tok[i].upos == UPOS_AUX ||
                      !has_verb;
        /* best (longest) pattern anchored here, verb or noun */
        const dict_entry *best = NULL;
        int32_t bsrc = -1, btgt = -1, bboth = -1;
        uint32_t lits[PAT_MAX_ELEMS];
        int nlits = 0, bweight = 0;
        dict_range lem = dict_form_lemmas(d, c.ids[i]);
        for (size_t l = 0; l <= lem.n; l++) {
            dict_range r = l < lem.n ? dict_verb_entries(d, lem.ids[l])
                                     : dict_word_entries(d, c.ids[i]);
            for (size_t k = 0; k < r.n; k++) {
                const dict_entry *e = &d->entries[r.ids[k]];
                if (e->kind != ENT_VERB && e->kind != ENT_NOUN)
                    continue;
                if (e->kind == ENT_VERB && !verb_ok) {
                    TRACE(&c, .kind = NOTE_SKIPPED, .cue_start = i, .cue_end = i + 1, .entry = e,
                          .code = e->code, .rule = e->rule,
                          .detail = "verb pattern not tried: the tagger does not read a verb here");
                    continue; /* let a noun pattern have the word */
                }
                /* score: words matched, doubled; +1 when the token is the lemma
                 * itself ("left" as its own verb beats "left" as a form of "leave") */
                int w = 0;
                for (int q = 0; q < e->nelem; q++)
                    w += e->elem[q].kind != PAT_GAP;
                w = 2 * w + (l < lem.n && lem.ids[l] == c.ids[i]);
                if (w <= bweight) {
                    if (w + 1 < bweight)
                        break; /* sorted longest first: nothing better follows */
                    continue;
                }
                if (!match_at(&c, e, i)) {
                    TRACE(&c, .kind = NOTE_TRIED, .cue_start = i, .cue_end = i + 1, .entry = e,
                          .code = e->code, .rule = e->rule, .matched = 0);
                    continue;
                }
                TRACE(&c, .kind = NOTE_TRIED, .cue_start = i, .cue_end = i + 1, .entry = e,
                      .code = e->code, .rule = e->rule, .matched = 1);
                best = e;
                bweight = w;
                bsrc = c.src;
                btgt = c.tgt;
                bboth = c.both;
                nlits = c.nlits;
                memcpy(lits, c.lits, sizeof lits);
                break;
            }
        }
        if (!best) {
            i++;
            continue;
        }
        /* the trigger is the run of literally matched tokens around the anchor */
        uint32_t trig_start = i, trig_end = i + 1, blast = i;
        for (int changed = 1; changed;) {
            changed = 0;
            for (int q = 0; q < nlits; q++) {
                if (lits[q] + 1 == trig_start) {
                    trig_start--;
                    changed = 1;
                } else if (lits[q] == trig_end) {
                    trig_end++;
                    changed = 1;
                }
            }
        }
        uint32_t bfirst = trig_start;
        for (int q = 0; q < nlits; q++) {
            if (lits[q] > blast)
                blast = lits[q];
            if (lits[q] < bfirst)
                bfirst = lits[q];
        }
        /* the best pattern's literal words, for the modality rules */
        memcpy(c.lits, lits, sizeof lits);
        c.nlits = nlits;
        TRACE(&c, .kind = NOTE_PATTERN, .start = trig_start, .end = trig_end, .cue_start = i,
              .cue_end = i + 1, .entry = best, .code = best->code, .rule = best->rule,
              .detail = best->code[0] || best->rcode[0] ? NULL : "null pattern (---): codes nothing");
        if (best->code[0] || best->rcode[0]) {
            modality_cue cue;
            dyad_modality mod = c.r ? tree_modality(&c, i, &cue)
                                    : modality(&c, bfirst, best->kind == ENT_VERB, &cue);
            if (c.r && mod == DYAD_ASSERTED) {
                /* reporting cues the tree does not link ("The Times reported that X had
                 * allegedly signed") still make the event reported */
                modality_cue flat_cue;
                dyad_modality flat = modality(&c, bfirst, best->kind == ENT_VERB, &flat_cue);
                if (flat == DYAD_REPORTED) {
                    mod = flat;
                    cue = flat_cue;
                }
            }
            TRACE(&c, .kind = NOTE_MODALITY, .start = trig_start, .end = trig_end,
                  .cue_start = cue.at >= 0 ? (uint32_t)cue.at : 0,
                  .cue_end = cue.at >= 0 ? (uint32_t)cue.at + 1 : 0,
                  .code = dyad_modality_name(mod), .detail = cue.why);
            if (!(mod <= DYAD_REPORTED || (flags & DYAD_ALL_MODALITIES)))
                TRACE(&c, .kind = NOTE_DROPPED, .start = trig_start, .end = trig_end,
                      .entry = best, .code = best->code, .rule = best->rule,
                      .detail = "not a fact (negated, hypothetical or intended): kept out of "
                                "the output unless --all-modalities");
            if (mod <= DYAD_REPORTED || (flags & DYAD_ALL_MODALITIES)) {
                event_ctx x = {si, tok_span(&c, trig_start, trig_end), best, mod};
                int32_t src, tgt;
                /* how each was found, for the trace */
                const char *why[2] = {NULL, NULL};
                if (c.r && best->kind == ENT_NOUN && !best->has_slots) {
                    /* the head noun of the trigger phrase: "drug seizures" -> seizures */
                    uint32_t hn = i;
                    for (uint32_t q = trig_start; q < trig_end; q++)
                        if (c.tok[q].head < (int32_t)trig_start || c.tok[q].head >= (int32_t)trig_end)
                            hn = q;
                    tree_noun_actors(&c, hn, &src, &tgt, why);
                } else if (c.r && best->kind == ENT_VERB &&
                           (c.tok[i].upos == UPOS_VERB || c.tok[i].upos == UPOS_AUX)) {
                    tree_actors(&c, i, &src, &tgt, why);
                    if (tgt >= 0 && src >= 0 && c.m[tgt].cfirst == c.m[src].cfirst) {
                        tgt = -1; /* one list is both: cooperation among itself */
                        why[1] = "none: source and target are one coordinated list";
                    }

                } else {
                    src = nearest_left(&c, bfirst);
                    tgt = nearest_right(&c, trig_end, src);
                    why[0] = c.r ? "nearest actor before the trigger (slotted pattern or non-verb)"
                                 : "nearest actor before the trigger (no parse)";
                    why[1] = c.r ? "nearest actor after the trigger (slotted pattern or non-verb)"
                                 : "nearest actor after the trigger (no parse)";
                }
                if (bsrc >= 0) {
                    src = bsrc;
                    why[0] = "the pattern's $ slot";
                }
                if (btgt >= 0) {
                    tgt = btgt;
                    why[1] = "the pattern's + slot";
                }
                if (bboth >= 0 && bsrc < 0 && btgt < 0) {
                    /* "%": a compound.  With a subject of its own elsewhere ("Eriador
                     * agrees with the Philippines and France"), its members are the
                     * targets; otherwise they act among themselves. */
                    const mention *B = &c.m[bboth];
                    if (src >= 0 && (src < (int32_t)B->cfirst || src > (int32_t)B->clast)) {
                        tgt = bboth;
                        why[1] = "the pattern's % slot (a compound; the subject is elsewhere)";
                    } else {
                        src = bboth;
                        tgt = -1;
                        why[0] = "the pattern's % slot: its members act among themselves";
                        why[1] = NULL;
                    }
                }
                /* "We co-operate, we collaborate" with no one named: in a quotation
                 * the other party is the last actor the speaker spoke of */
                if (src >= 0 && tgt < 0 && c.m[src].coref == 2) {
                    int32_t q = quote_at(&c, i);
                    if (q >= 0 && c.quotes->has_other[q]) {
                        c.m[c.nm] = c.quotes->other[q];
                        /* named in another sentence: no span here */
                        c.m[c.nm].start = c.m[c.nm].end = 0;
                        c.m[c.nm].cfirst = c.m[c.nm].clast = c.nm;
                        char rule[256];
                        snprintf(rule, sizeof rule, "quote(other party): %s",
                                 c.quotes->other[q].rule);
                        c.m[c.nm].rule = arena_strdup(&doc->mem, rule);
                        if (!c.m[c.nm].rule)
                            return -1;
                        tgt = (int32_t)c.nm;
                        why[1] = "the other party the speaker last named in this quotation";
                    }
                }
                uint32_t anchor = 0;
                if (src >= 0 && tgt < 0 && c.r && best->kind == ENT_VERB &&
                    bridge_force_target(&c, i, &anchor) &&
                    !same_actor(c.m[src].codes[0], c.memory->force_by.codes[0])) {
                    mention *b = &c.m[c.nm];
                    *b = c.memory->force_by;
                    /* the span is the force noun that carries the actor over */
                    b->start = anchor;
                    b->end = anchor + 1;
                    b->cfirst = b->clast = c.nm;
                    char rule[256];
                    snprintf(rule, sizeof rule, "bridge(force): %s", c.memory->force_by.rule);
                    b->rule = arena_strdup(&doc->mem, rule);
                    if (!b->rule)
                        return -1;
                    tgt = (int32_t)c.nm;
                    why[1] = "bridging: the use of force an earlier sentence attributed to it";
                }
                const mention *owner = NULL;
                if (src >= 0 && tgt < 0 && c.r && best->kind == ENT_VERB &&
                    (owner = owned_target(&c, i, &anchor)) != NULL &&
                    !same_actor(c.m[src].codes[0], owner->codes[0])) {
                    mention *b = &c.m[c.nm];
                    *b = *owner;
                    b->start = anchor;
                    b->end = anchor + 1;
                    b->cfirst = b->clast = c.nm;
                    char rule[256];
                    snprintf(rule, sizeof rule, "bridge(%s): %s", lemma_of(&c, anchor),
                             owner->rule);
                    b->rule = arena_strdup(&doc->mem, rule);
                    if (!b->rule)
                        return -1;
                    tgt = (int32_t)c.nm;
                    why[1] = "bridging: the owner of a definite noun named earlier";
                }
                if (c.trace)
                    trace_actors(&c, best, trig_start, trig_end, src, tgt, why);
                if (emit_events(&c, &x, best->code, best->rcode, src, tgt))
                    return -1;
            }
        }
        i = blast + 1 > i ? blast + 1 : i + 1;
    }
    remember_mentions(&c);
    return 0;
}

/* ---------------------------------------------------------------------- */
/* quotations                                                               */

#define QUOTE_MAX_TOKENS 1500

static int opens_quote(const token *t, int open)
{
    const char *f = t->form;
    if (strcmp(f, "\xe2\x80\x9c") == 0 || strcmp(f, "\xc2\xab") == 0 || strcmp(f, "``") == 0)
        return 1;
    return !open && strcmp(f, "\"") == 0;
}

static int closes_quote(const token *t, int open)
{
    const char *f = t->form;
    if (strcmp(f, "\xe2\x80\x9d") == 0 || strcmp(f, "\xc2\xbb") == 0 || strcmp(f, "''") == 0)
        return 1;
    return open && strcmp(f, "\"") == 0;
}

static size_t sentence_of(const dyad_doc *doc, uint32_t t)
{
    size_t lo = 0, hi = doc->nsents;
    while (lo + 1 < hi) {
        size_t mid = (lo + hi) / 2;
        if (doc->sents[mid].tok <= t)
            lo = mid;
        else
            hi = mid;
    }
    return lo;
}

/* Pairs quotation marks into doc->quotes.  A quotation left open closes at
 * the end of its paragraph (a new paragraph that reopens it starts a new one,
 * as multi-paragraph quotes are printed) or after QUOTE_MAX_TOKENS tokens. */
static int find_quotes(dyad_doc *doc, quote_ctx *q)
{
    arena *a = &doc->mem;
    size_t cap = 16;
    q->n = 0;
    q->open = arena_alloc(a, cap * sizeof *q->open);
    q->close = arena_alloc(a, cap * sizeof *q->close);
    if (!q->open || !q->close)
        return -1;
    int open = 0;
    uint32_t start = 0;
    for (uint32_t t = 0; t <= doc->ntoks; t++) {
        int end_here = t == doc->ntoks || (open && (doc->toks[t].flags & TOK_PARA_START)) ||
                       (open && t - start > QUOTE_MAX_TOKENS);
        int closing = !end_here && open && closes_quote(&doc->toks[t], open);
        if (open && (end_here || closing)) {
            uint32_t last = closing ? t - 1 : t - 1;
            if (last >= start) {
                if (q->n == cap) {
                    size_t ncap = cap * 2;
                    uint32_t *o = arena_grow(a, q->open, cap * sizeof *o, ncap * sizeof *o);
                    uint32_t *cl = arena_grow(a, q->close, cap * sizeof *cl, ncap * sizeof *cl);
                    if (!o || !cl)
                        return -1;
                    q->open = o;
                    q->close = cl;
                    cap = ncap;
                }
                q->open[q->n] = start;
                q->close[q->n] = last;
                dyad_quote *dq = doc_add_quote(doc);
                if (!dq)
                    return -1;
                dq->span.start = doc->toks[start].start;
                dq->span.end = doc->toks[last].end;
                dq->sent_first = (uint32_t)sentence_of(doc, start);
                dq->sent_last = (uint32_t)sentence_of(doc, last);
                dq->speaker = dq->speaker_rule = "";
                q->n++;
            }
            open = 0;
            if (closing)
                continue;
        }
        if (t < doc->ntoks && !open && opens_quote(&doc->toks[t], open)) {
            open = 1;
            start = t + 1;
        }
    }
    size_t n = q->n ? q->n : 1;
    q->speaker = arena_alloc(a, n * sizeof *q->speaker);
    q->other = arena_alloc(a, n * sizeof *q->other);
    q->has_speaker = arena_alloc(a, n * sizeof *q->has_speaker);
    q->has_other = arena_alloc(a, n * sizeof *q->has_other);
    return q->speaker && q->other && q->has_speaker && q->has_other ? 0 : -1;
}

static int is_quote_cue(const sentctx *c, uint32_t i)
{
    static const char *const cues[] = {
        "say", "said", "says", "tell", "told", "add", "added", "clarify", "clarified",
        "declare", "declared", "state", "stated", "insist", "insisted", "stress", "stressed",
        "emphasize", "emphasized", "emphasise", "emphasised", "note", "noted", "warn",
        "warned", "explain", "explained", "argue", "argued", "reply", "replied", "announce",
        "announced", "affirm", "affirmed", "assert", "asserted", "write", "wrote", "tweet",
        "tweeted", "ask", "asked", "remark", "remarked", "conclude", "concluded", "recall",
        "recalled", "acknowledge", "acknowledged", "admit", "admitted", "continue",
        "continued", "claim", "claimed", "comment", "commented", "respond", "responded", NULL};
    return in_list(c->tok[i].norm, cues) || (c->tok[i].lemma && in_list(c->tok[i].lemma, cues));
}

/* Finds who says quotation k from the words around its marks in sentence c:
 * X said, "..." / "...," X said / "...," said X / according to X. */
static void attribute_quote(sentctx *c, quote_ctx *q, size_t k)
{
    uint32_t base = (uint32_t)(c->tok - c->doc->toks);
    int32_t cue = -1, speaker = -1;
    uint32_t n = c->n;
    /* before the opening mark */
    if (q->open[k] > base && q->open[k] - 1 < base + n) {
        uint32_t o = q->open[k] - 1 - base; /* the mark itself */
        for (uint32_t i = o; i-- > 0 && cue < 0;) {
            if (is_quote_cue(c, i))
                cue = (int32_t)i;
            if (i + 1 < o && is_word(c, i, "according") && is_word(c, i + 1, "to"))
                cue = (int32_t)i;
        }
        if (cue >= 0) {
            if (is_word(c, (uint32_t)cue, "according"))
                speaker = cue + 2 < (int32_t)n ? c->m_start[cue + 2] : -1;
            else if (c->r)
                speaker = tree_subject(c, (uint32_t)cue, 0);
            if (speaker < 0)
                speaker = nearest_left(c, (uint32_t)cue);
        }
    }
    /* after the closing mark */
    if (speaker < 0 && q->close[k] + 1 >= base && q->close[k] + 1 < base + n) {
        uint32_t e = q->close[k] + 1 - base; /* the closing mark */
        cue = -1;
        for (uint32_t i = e + 1; i < n && i <= e + 6 && cue < 0; i++) {
            if (is_quote_cue(c, i))
                cue = (int32_t)i;
            if (i + 1 < n && is_word(c, i, "according") && is_word(c, i + 1, "to"))
                cue = (int32_t)i;
        }
        if (cue >= 0) {
            if (is_word(c, (uint32_t)cue, "according"))
                speaker = cue + 2 < (int32_t)n ? c->m_start[cue + 2] : -1;
            else if (c->r)
                speaker = tree_subject(c, (uint32_t)cue, 0);
            if (speaker < 0) {
                /* "..., she said" or "..., said Sheinbaum": the actor next to the cue */
                for (uint32_t m = 0; m < c->nm && speaker < 0; m++)
                    if (c->m[m].start > e && c->m[m].start <= (uint32_t)cue + 4 &&
                        c->m[m].ncodes && !c->m[m].modifier)
                        speaker = (int32_t)m;
            }
        }
    }
    if (speaker < 0 || !c->m[speaker].ncodes)
        return;
    const mention *sp = &c->m[speaker];
    q->speaker[k] = *sp;
    q->has_speaker[k] = 1;
    dyad_quote *dq = &c->doc->quotes[k];
    dq->speaker = sp->codes[0];
    dq->speaker_span.start = c->tok[sp->start].start;
    dq->speaker_span.end = c->tok[sp->end - 1].end;
    dq->speaker_rule = sp->rule;
    uint32_t ce = (uint32_t)cue + (is_word(c, (uint32_t)cue, "according") ? 2 : 1);
    dq->cue.start = c->tok[cue].start;
    dq->cue.end = c->tok[ce - 1].end;
}

/* Attribution pass: the sentences around each quotation, with their actors
 * and pronouns resolved as in coding, before any sentence inside a quotation
 * is coded ("We co-operate" needs its speaker, who may be named after it). */
static int attribute_quotes(const dyad_dict *d, const rels *r, dyad_doc *doc, quote_ctx *q)
{
    if (!q->n)
        return 0;
    coref_memory *memory = arena_alloc(&doc->mem, sizeof *memory);
    if (!memory)
        return -1;
    for (uint32_t si = 0; si < doc->nsents; si++) {
        const sentence *s = &doc->sents[si];
        int relevant = 0;
        for (size_t k = 0; k < q->n; k++)
            if ((q->open[k] >= s->tok && q->open[k] <= s->tok + s->ntok) ||
                (q->close[k] + 1 >= s->tok && q->close[k] + 1 < s->tok + s->ntok))
                relevant = 1;
        sentctx c;
        if (sentctx_init(&c, d, r, memory, NULL, doc, si))
            return -1;
        if (c.n == 0)
            continue;
        if (find_mentions(&c))
            return -1;
        if (relevant)
            for (size_t k = 0; k < q->n; k++)
                if (!q->has_speaker[k])
                    attribute_quote(&c, q, k);
        remember_mentions(&c);
    }
    return 0;
}

/* The one country an agent has in this article, from its events' codes
 * ("MEXCRM" for CRM), or NULL when none or several. */
static const char *article_country_of(const dyad_doc *doc, const char *agent)
{
    const char *country = NULL;
    for (size_t i = 0; i < doc->nevents; i++) {
        const char *codes[2] = {doc->events[i].source, doc->events[i].target};
        for (int k = 0; k < 2; k++) {
            const char *c = codes[k];
            if (!c || strlen(c) != 6 || strcmp(c + 3, agent) != 0 || c[0] == '-' ||
                strncmp(c, "IGO", 3) == 0 || strncmp(c, "NGO", 3) == 0)
                continue;
            if (country && strncmp(country, c, 3) != 0)
                return NULL;
            country = c;
        }
    }
    return country;
}

/* A bare agent ("drug cartels": ---CRM) in an article whose other mentions
 * of that agent all name one country ("Mexican drug cartels": MEXCRM) is
 * that country's; the rule says so: "article(MEXCRM): groups.dict:57". */
static int resolve_bare_agents(dyad_doc *doc, const code_trace *trace)
{
    size_t n = doc->nevents;
    for (size_t i = 0; i < n; i++) {
        dyad_event *e = &doc->events[i];
        const char **codes[2] = {&e->source, &e->target};
        const char **rules[2] = {&e->source_rule, &e->target_rule};
        for (int k = 0; k < 2; k++) {
            const char *c = *codes[k];
            if (!c || strlen(c) != 6 || strncmp(c, "---", 3) != 0)
                continue;
            const char *full = article_country_of(doc, c + 3);
            if (!full)
                continue;
            const char *other = *codes[1 - k];
            if (other && strcmp(other, full) == 0)
                continue;
            char rule[256];
            snprintf(rule, sizeof rule, "article(%s): %s", full, *rules[k] ? *rules[k] : "");
            const char *r = arena_strdup(&doc->mem, rule);
            if (!r)
                return -1;
            if (trace) {
                char why[128];
                snprintf(why, sizeof why, "%s %s: the article gives this agent one country",
                         k ? "target" : "source", c);
                code_note note = {.kind = NOTE_ARTICLE, .sent = e->sent, .code = e->code,
                               .rule = r, .detail = arena_strdup(&doc->mem, why),
                               .codes = (const char *const[]){full}, .ncodes = 1, .event = e};
                trace->note(trace->ctx, &note);
            }
            *codes[k] = full;
            *rules[k] = r;
        }
    }
    return 0;
}

int code_document(const dyad_dict *d, dyad_doc *doc, unsigned flags)
{
    return code_document_traced(d, doc, flags, NULL);
}

int code_document_traced(const dyad_dict *d, dyad_doc *doc, unsigned flags,
                         const code_trace *trace)
{
    rels r;
    rels_init(&r);
    quote_ctx quotes;
    if (find_quotes(doc, &quotes) || attribute_quotes(d, &r, doc, &quotes))
        return -1;
    coref_memory *memory = arena_alloc(&doc->mem, sizeof *memory);
    if (!memory)
        return -1;
    for (uint32_t si = 0; si < doc->nsents; si++) {
        int rc = code_sentence(d, &r, memory, &quotes, doc, si, flags, trace);
        if (rc < 0)
            return -1;
        if (rc == 1) { /* a story-level discard phrase: the story codes nothing */
            doc->nevents = 0;
            return 0;
        }
    }
    return resolve_bare_agents(doc, trace);
}

int dyad_code(const dyad_dict *d, dyad_doc *doc, unsigned flags, char *err, size_t errlen)
{
    return dyad_code_traced(d, doc, flags, NULL, err, errlen);
}

int dyad_code_traced(const dyad_dict *d, dyad_doc *doc, unsigned flags, const code_trace *trace,
                     char *err, size_t errlen)
{
    /* the NLP stage (dyad_tag_parse) may have tokenized and parsed already */
    int fresh = doc->ntoks == 0 && doc->nsents == 0;
    if ((fresh && (text_tokenize(doc) || text_split(doc))) ||
        code_document_traced(d, doc, flags, trace)) {
        if (err && errlen)
            snprintf(err, errlen, "document too large for the memory budget");
        return -1;
    }
    article_resolve_dates(doc);
    if (article_dedup(doc)) {
        if (err && errlen)
            snprintf(err, errlen, "out of memory");
        return -1;
    }
    return 0;
}
