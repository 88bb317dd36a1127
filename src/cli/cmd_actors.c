/*
 * cmd_actors.c - `dyad actors --unknown`: names the dictionaries miss.
 *
 * To grow the actor dictionaries where they matter, it lists the proper
 * names that stand where actors stand - subject or object of a verb (nsubj,
 * nsubj:pass, obj, iobj, the by-agent of a passive, and conjuncts of those) -
 * and that no actor or agent entry matches, ranked by how often they occur,
 * each with example sentences and a suggested line in the native dictionary
 * format (docs/dictionaries.md).
 *
 * Design: documents are tagged, parsed and coded exactly as `dyad code`
 * does, with a code_trace (coder.h) that reports every dictionary hit, known
 * or date-restricted; a name is unknown when its head word is in no hit.  So
 * "unknown" means unknown to the coder itself, with its tokenizer, plurals and
 * exact-case entries, not to a second matcher that could disagree with it.
 * The name is the head proper noun with its flat/compound proper-noun words
 * and capitalised adjectives next to it ("Mexican Navy").  The suggested code
 * is, in order: what the coder already makes of the phrase around the name
 * (a composed mention such as "Mexico's Senator X" -> MEXLEG), else a
 * country from a dictionary hit in the phrase plus an agent from a hit or a
 * small table of organisation words ("Navy" -> MIL), else the placeholder
 * `---` with a comment.  The placeholder is deliberately not a valid actor
 * code: `dyad dict check` and loading refuse it, so a line pasted without
 * its code filled in cannot slip into a dictionary.
 *
 * Input is a store (the documents' text kept by `dyad ingest`; SQLite file or
 * PostgreSQL URI) or document files as `dyad code` reads them.  Trade-off:
 * the parser is required (the positions come from the tree), so this is as
 * slow as coding with the parser, about 1,000 short news stories a second.
 */
#include "cli/cli.h"
#include "code/coder.h"
#include "core/doc.h"
#include "dict/dict.h"
#include "dict/intern.h"
#include "dyad.h"
#include "io/reader.h"
#include "out/writer.h"
#include "store/db.h"
#include "tag/tagset.h"

#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define MAX_EXAMPLES 3
#define MAX_NAME_WORDS 8
#define EXAMPLE_MAX_BYTES 400 /* an example sentence is cut after this many bytes */

void usage_actors(FILE *f)
{
    fputs("usage: dyad actors --unknown [OPTIONS] DB|FILE...\n"
          "\n"
          "Lists the proper names in subject or object position (nsubj, nsubj:pass,\n"
          "obj, iobj, the by-agent of a passive, conjuncts of those) that match no\n"
          "actor or agent entry of the dictionaries, most frequent first, each with\n"
          "its count, up to 3 example sentences and a suggested dictionary line.\n"
          "DB is an event store made by dyad ingest (SQLite file or postgresql:// URI;\n"
          "the documents' text is read from it); FILE is JSON Lines or plain text as\n"
          "dyad code reads them ('-' for standard input).\n"
          "\n"
          "Options:\n"
          "  -u, --unknown          list unknown names (the only listing so far)\n"
          "  -m, --min N            only names seen at least N times (default 2)\n"
          "  -n, --limit N          at most N names (default 100; 0: all)\n"
          "  -f, --format tsv|json  TSV with a header (default), or JSON Lines\n"
          "  -d, --date YYYY-MM-DD  date of plain text and of records without one\n"
          "  -i, --input auto|jsonl|text  input format of FILE (default auto)\n"
          "  -D, --dict DIR         dictionary directory (default: dyad's own, data/dict)\n"
          "  -F, --dict-format native|petrarch  the format of --dict (default native)\n"
          "  -M, --models DIR       tagger and parser models (default: data/models)\n"
          "      --accurate         beam-search parser (parser-beam.bin): more accurate, slower\n"
          "  -q, --quiet            no summary on standard error\n"
          "  -h, --help             this help\n"
          "\n"
          "Exit status: 0 done; 1 some documents were rejected (reported as\n"
          "file:line: reason); 2 usage error; 3 dictionaries, models or the store\n"
          "could not be opened.\n",
          f);
}

/* ---------------------------------------------------------------------- */
/* what the coder knows: dictionary hits, composed mentions                 */

typedef struct known_mention {
    uint32_t start, end; /* document token range */
    const char *code;    /* first code, NULL for a null actor */
    int coref;           /* a pronoun or carried-over actor: no guess from it */
} known_mention;

typedef struct doc_trace {
    const dyad_doc *doc;
    uint8_t *known;      /* per document token: in an actor or agent hit */
    const char **hit_code; /* per document token: the code of an actor hit there */
    uint8_t *hit_agent;  /* per document token: the hit is an agent entry */
    known_mention *m;
    size_t nm, capm;
    int failed;
} doc_trace;

static void on_note(void *ctx, const code_note *n)
{
    doc_trace *t = ctx;
    const dyad_doc *doc = t->doc;
    if (t->failed || n->sent >= doc->nsents)
        return;
    uint32_t base = doc->sents[n->sent].tok;
    if (n->kind == NOTE_HIT || n->kind == NOTE_HIT_UNDATED) {
        for (uint32_t i = n->start; i < n->end; i++) {
            t->known[base + i] = 1;
            if (n->ncodes) {
                t->hit_code[base + i] = n->codes[0];
                t->hit_agent[base + i] = n->entry && n->entry->kind == ENT_AGENT;
            }
        }
    } else if (n->kind == NOTE_MENTION && n->end > n->start) {
        if (t->nm == t->capm) {
            size_t cap = t->capm ? 2 * t->capm : 32;
            known_mention *m = realloc(t->m, cap * sizeof *m);
            if (!m) {
                t->failed = 1;
                return;
            }
            t->m = m;
            t->capm = cap;
        }
        /* "coref(It): ...", "surname(...)": an actor carried over, not named here */
        int carried = n->rule && strchr(n->rule, '(') != NULL;
        t->m[t->nm++] = (known_mention){base + n->start, base + n->end,
                                        n->ncodes ? n->codes[0] : NULL, carried};
    }
}

/* ---------------------------------------------------------------------- */
/* candidates                                                               */

typedef struct candidate {
    char *name;          /* as first written */
    long count;
    long subj, obj;      /* in subject / object position */
    char *code;          /* the suggested code */
    char *why;           /* how it was guessed */
    char *examples[MAX_EXAMPLES];
    int nexamples;
} candidate;

typedef struct tally {
    arena mem;
    intern keys;          /* lower-cased name -> id (1-based index into v) */
    candidate *v;
    size_t n, cap;
    size_t docs, sents, rejected;
} tally;

static const char *const SUBJECT_RELS[] = {"nsubj", "nsubj:pass", "csubj", "obl:agent", NULL};
static const char *const OBJECT_RELS[] = {"obj", "iobj", NULL};

static int in_names(const char *w, const char *const *list)
{
    for (; *list; list++)
        if (strcmp(w, *list) == 0)
            return 1;
    return 0;
}

/* Whether token i (sentence-relative) of s is an argument: 1 subject, 2
 * object, 0 neither.  A by-phrase of a passive verb counts as its subject. */
static int argument_role(const token *tok, uint32_t n, uint32_t i)
{
    for (int depth = 0; depth < 8; depth++) {
        const char *rel = deprel_name(tok[i].deprel);
        if (in_names(rel, SUBJECT_RELS))
            return 1;
        if (in_names(rel, OBJECT_RELS))
            return 2;
        if (strcmp(rel, "obl") == 0) {
            for (uint32_t c = 0; c < n; c++)
                if (tok[c].head == (int32_t)i && strcmp(deprel_name(tok[c].deprel), "case") == 0 &&
                    strcmp(tok[c].norm, "by") == 0)
                    return 1;
            return 0;
        }
        if (strcmp(rel, "conj") != 0 || tok[i].head < 0)
            return 0;
        i = (uint32_t)tok[i].head; /* "Mexico and Brazil": Brazil is what Mexico is */
    }
    return 0;
}

/* Relations that join the words of one name ("Nursery Products Inc" is
 * compound + nmod:desc in our parser's analysis). */
static int is_name_part(const char *rel)
{
    return strcmp(rel, "flat") == 0 || strcmp(rel, "flat:name") == 0 ||
           strcmp(rel, "compound") == 0 || strcmp(rel, "flat:foreign") == 0 ||
           strcmp(rel, "nmod:desc") == 0;
}

/* Capitalised words tagged as proper nouns that are not names of actors:
 * dates (our tagger reads "April" in "ended April 30" as an object) */
static int is_calendar_word(const char *norm)
{
    static const char *const words[] = {
        "january", "february", "march", "april", "may", "june", "july", "august", "september",
        "october", "november", "december", "jan", "feb", "mar", "apr", "jun", "jul", "aug",
        "sep", "sept", "oct", "nov", "dec", "monday", "tuesday", "wednesday", "thursday",
        "friday", "saturday", "sunday", NULL};
    return in_names(norm, words);
}

/* Letters in s (a non-ASCII character counts once per byte: enough to tell
 * a word from an initial or a number). */
static int letters(const char *s)
{
    int n = 0;
    for (; *s; s++)
        n += (*s >= 'A' && *s <= 'Z') || (*s >= 'a' && *s <= 'z') || (unsigned char)*s >= 0x80;
    return n;
}

/* The words of a name headed by h: h and the proper nouns (and capitalised
 * adjectives, "Mexican Navy") attached to it as name parts, as far as they
 * are contiguous with h.  Returns [*a, *b). */
static void name_span(const token *tok, uint32_t n, uint32_t h, uint32_t *a, uint32_t *b)
{
    *a = h;
    *b = h + 1;
    for (int changed = 1; changed;) {
        changed = 0;
        if (*a > 0) {
            const token *t = &tok[*a - 1];
            const char *rel = deprel_name(t->deprel);
            int attached = t->head >= (int32_t)*a && t->head < (int32_t)*b;
            int propn = (t->upos == UPOS_PROPN ||
                         (t->upos == UPOS_NOUN && (t->flags & TOK_UPPER))) &&
                        is_name_part(rel);
            int demonym = t->upos == UPOS_ADJ && strcmp(rel, "amod") == 0 && (t->flags & TOK_UPPER);
            if (attached && (propn || demonym) && *b - *a < MAX_NAME_WORDS) {
                (*a)--;
                changed = 1;
            }
        }
        /* a hyphenated name: "Persad-Bissessar" is Persad, -, Bissessar */
        if (*b + 1 < n && strcmp(tok[*b].form, "-") == 0 &&
            !(tok[*b - 1].flags & TOK_SPACE_AFTER) && !(tok[*b].flags & TOK_SPACE_AFTER) &&
            (tok[*b + 1].flags & TOK_UPPER) && *b + 2 - *a <= MAX_NAME_WORDS) {
            *b += 2;
            changed = 1;
        }
        if (*a >= 2 && strcmp(tok[*a - 1].form, "-") == 0 &&
            !(tok[*a - 2].flags & TOK_SPACE_AFTER) && !(tok[*a - 1].flags & TOK_SPACE_AFTER) &&
            (tok[*a - 2].flags & TOK_UPPER) && *b - *a + 2 <= MAX_NAME_WORDS) {
            *a -= 2;
            changed = 1;
        }
        if (*b < n) {
            const token *t = &tok[*b];
            int attached = t->head >= (int32_t)*a && t->head < (int32_t)*b;
            if (attached && (t->upos == UPOS_PROPN || (t->upos == UPOS_NOUN && (t->flags & TOK_UPPER))) &&
                is_name_part(deprel_name(t->deprel)) &&
                *b - *a < MAX_NAME_WORDS) {
                (*b)++;
                changed = 1;
            }
        }
    }
}

/* Organisation words and the agent code they suggest. */
static const char *agent_word(const char *norm)
{
    static const struct {
        const char *word, *code;
    } table[] = {
        {"army", "MIL"},        {"navy", "MIL"},         {"military", "MIL"},
        {"forces", "MIL"},      {"troops", "MIL"},       {"marines", "MIL"},
        {"guard", "MIL"},       {"police", "COP"},       {"party", "PTY"},
        {"ministry", "GOV"},    {"government", "GOV"},   {"cabinet", "GOV"},
        {"administration", "GOV"}, {"court", "JUD"},     {"parliament", "LEG"},
        {"congress", "LEG"},    {"senate", "LEG"},       {"assembly", "LEG"},
        {"university", "EDU"},  {"church", "REL"},       {"union", "LAB"},
        {"rebels", "REB"},      {"bank", "BUS"},         {"corp", "BUS"},
        {"inc", "BUS"},         {"co", "BUS"},           {"ltd", "BUS"},
        {"company", "BUS"},     {"group", "BUS"},        {"airlines", "BUS"},
    };
    for (size_t i = 0; i < sizeof table / sizeof table[0]; i++)
        if (strcmp(norm, table[i].word) == 0)
            return table[i].code;
    return NULL;
}

/* The phrase around a name: the name's head and its dependents that are not
 * clauses, contiguous with the name (for "Mexico's Senator Lilly Tellez"). */
static void phrase_span(const token *tok, uint32_t n, uint32_t h, uint32_t a, uint32_t b,
                        uint32_t *pa, uint32_t *pb)
{
    *pa = a;
    *pb = b;
    while (*pa > 0) {
        const token *t = &tok[*pa - 1];
        const char *rel = deprel_name(t->deprel);
        /* a word of the phrase: its head is in it, or it is the case marker of one */
        if (t->head < (int32_t)*pa || t->head >= (int32_t)n || strncmp(rel, "acl", 3) == 0 ||
            strcmp(rel, "punct") == 0)
            break;
        uint32_t hd = (uint32_t)t->head;
        int in = hd >= *pa && hd < b;
        if (!in && hd < *pa + 3 && tok[hd].head >= (int32_t)*pa && tok[hd].head < (int32_t)b)
            in = 1; /* "Mexico 's": the possessive marker hangs on the possessor */
        if (!in)
            break;
        (*pa)--;
    }
    (void)h;
}

static void guess_code(const doc_trace *t, const token *tok, uint32_t base, uint32_t n, uint32_t h,
                       uint32_t a, uint32_t b, char *code, size_t cap, char *why, size_t wcap)
{
    uint32_t pa, pb;
    phrase_span(tok, n, h, a, b, &pa, &pb);
    const char *country = NULL, *agent = NULL;
    char from_country[128] = "", from_agent[128] = "";
    /* what the coder makes of the phrase already: a full code is the answer;
     * a country ("American Nursery Products Inc" -> USA) or an agent alone
     * ("President Reagan" -> ---GOV) is one half of it */
    for (size_t k = 0; k < t->nm; k++) {
        const known_mention *m = &t->m[k];
        if (m->coref || !m->code || m->end <= base + pa || m->start >= base + pb)
            continue;
        int len = (int)(tok[m->end - base - 1].end - tok[m->start - base].start);
        const char *text = t->doc->text + tok[m->start - base].start;
        if (strncmp(m->code, "---", 3) == 0) {
            agent = m->code + 3;
            snprintf(from_agent, sizeof from_agent, "\"%.*s\"", len > 60 ? 60 : len, text);
        } else if (strlen(m->code) == 3) {
            country = m->code;
            snprintf(from_country, sizeof from_country, "\"%.*s\"", len > 60 ? 60 : len, text);
        } else {
            snprintf(code, cap, "%s", m->code);
            snprintf(why, wcap, "the coder composes \"%.*s\" as %s", len > 80 ? 80 : len, text,
                     m->code);
            return;
        }
        break;
    }
    for (uint32_t i = pa; i < pb; i++) {
        const char *c = t->hit_code[base + i];
        if (!c || strcmp(c, "---") == 0)
            continue;
        if (!t->hit_agent[base + i] && strlen(c) == 3 && !country) {
            country = c;
            snprintf(from_country, sizeof from_country, "\"%s\"", tok[i].form);
        } else if (t->hit_agent[base + i] && !agent) {
            agent = c;
            snprintf(from_agent, sizeof from_agent, "\"%s\"", tok[i].form);
        }
    }
    for (uint32_t i = a; i < b && !agent; i++)
        if ((agent = agent_word(tok[i].norm)) != NULL)
            snprintf(from_agent, sizeof from_agent, "\"%s\"", tok[i].form);
    if (country && agent) {
        snprintf(code, cap, "%s%s", country, agent);
        snprintf(why, wcap, "country %s from %s, role %s from %s", country, from_country, agent,
                 from_agent);
    } else if (country) {
        snprintf(code, cap, "%s", country);
        snprintf(why, wcap, "country %s from %s; add a role code if it has one", country,
                 from_country);
    } else if (agent) {
        snprintf(code, cap, "---");
        snprintf(why, wcap, "role %s from %s: fill in the country, as in XXX%s", agent,
                 from_agent, agent);
    } else {
        snprintf(code, cap, "---");
        snprintf(why, wcap, "no country or role word nearby: fill in the code");
    }
}

static candidate *candidate_for(tally *ty, const char *name, size_t len)
{
    char key[512];
    if (len >= sizeof key)
        len = sizeof key - 1;
    for (size_t i = 0; i < len; i++) {
        char c = name[i];
        key[i] = c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c;
    }
    uint32_t id = intern_put(&ty->keys, key, len);
    if (!id)
        return NULL;
    if (id <= ty->n)
        return &ty->v[id - 1];
    if (ty->n == ty->cap) {
        size_t cap = ty->cap ? 2 * ty->cap : 256;
        candidate *v = realloc(ty->v, cap * sizeof *v);
        if (!v)
            return NULL;
        ty->v = v;
        ty->cap = cap;
    }
    candidate *c = &ty->v[ty->n++];
    memset(c, 0, sizeof *c);
    c->name = arena_strndup(&ty->mem, name, len);
    return c->name ? c : NULL;
}

/* One example: "ID [sentence N]: text", whitespace runs folded, cut to size. */
static char *example(tally *ty, const dyad_doc *doc, uint32_t si)
{
    const sentence *s = &doc->sents[si];
    char buf[EXAMPLE_MAX_BYTES + 128];
    int n = snprintf(buf, sizeof buf, "%s#%u: ", doc->id, si);
    size_t o = n > 0 && (size_t)n < sizeof buf ? (size_t)n : 0;
    int space = 0;
    for (uint32_t i = s->start; i < s->end && o + 4 < sizeof buf; i++) {
        char c = doc->text[i];
        if (c == '\n' || c == '\r' || c == '\t' || c == ' ') {
            space = o > 0;
            continue;
        }
        if (space)
            buf[o++] = ' ';
        space = 0;
        if (i - s->start >= EXAMPLE_MAX_BYTES && ((unsigned char)c & 0xC0) != 0x80) {
            memcpy(buf + o, "...", 3);
            o += 3;
            break;
        }
        buf[o++] = c;
    }
    return arena_strndup(&ty->mem, buf, o);
}

/* Tallies the unknown names of one coded document. */
static int tally_doc(tally *ty, const doc_trace *t, const dyad_doc *doc)
{
    for (uint32_t si = 0; si < doc->nsents; si++) {
        const sentence *s = &doc->sents[si];
        const token *tok = doc->toks + s->tok;
        uint32_t n = s->ntok;
        ty->sents++;
        /* a table ("Shr 20 cts vs 15 cts Avg shrs 10.2 mln") is no prose: its
         * capitalised abbreviations are not names */
        uint32_t numbers = 0;
        for (uint32_t i = 0; i < n; i++)
            numbers += tok[i].form[0] >= '0' && tok[i].form[0] <= '9';
        if (numbers * 4 > n)
            continue;
        for (uint32_t h = 0; h < n; h++) {
            if (tok[h].upos != UPOS_PROPN || tok[h].head < -1 || !tok[h].deprel ||
                is_name_part(deprel_name(tok[h].deprel)) || t->known[s->tok + h] ||
                letters(tok[h].form) < 2 || is_calendar_word(tok[h].norm))
                continue;
            int role = argument_role(tok, n, h);
            if (!role)
                continue;
            uint32_t a, b;
            name_span(tok, n, h, &a, &b);
            if (b - a == 1 && agent_word(tok[h].norm))
                continue; /* "Co", "Inc" alone: a misparsed company name, not a name */
            /* a title the agents know is not part of the name ("Senator Lilly
             * Tellez"); a demonym stays ("Mexican Navy"), but no proper noun of
             * the name may be a known actor */
            while (a < h && t->known[s->tok + a] && t->hit_agent[s->tok + a])
                a++;
            int known = 0;
            for (uint32_t i = a; i < b; i++)
                known |= tok[i].upos == UPOS_PROPN && t->known[s->tok + i] &&
                         !t->hit_agent[s->tok + i];
            if (known)
                continue;
            /* the name's words as written, one space between them */
            char name[512];
            size_t len = 0;
            for (uint32_t i = a; i < b; i++) {
                int nl = snprintf(name + len, sizeof name - len, "%s%s", tok[i].form,
                                  i + 1 < b && (tok[i].flags & TOK_SPACE_AFTER) ? " " : "");
                if (nl < 0 || (size_t)nl >= sizeof name - len)
                    break;
                len += (size_t)nl;
            }
            candidate *c = candidate_for(ty, name, len);
            if (!c)
                return -1;
            c->count++;
            if (role == 1)
                c->subj++;
            else
                c->obj++;
            if (!c->code || strcmp(c->code, "---") == 0) {
                char code[64], why[320];
                guess_code(t, tok, s->tok, n, h, a, b, code, sizeof code, why, sizeof why);
                if (!c->code || strcmp(code, "---") != 0) {
                    c->code = arena_strdup(&ty->mem, code);
                    c->why = arena_strdup(&ty->mem, why);
                    if (!c->code || !c->why)
                        return -1;
                }
            }
            /* examples from different sentences */
            if (c->nexamples < MAX_EXAMPLES) {
                char *ex = example(ty, doc, si);
                if (!ex)
                    return -1;
                int dup = 0;
                for (int k = 0; k < c->nexamples; k++)
                    dup |= strcmp(c->examples[k], ex) == 0;
                if (!dup)
                    c->examples[c->nexamples++] = ex;
            }
        }
    }
    return 0;
}

/* ---------------------------------------------------------------------- */
/* the run                                                                  */

typedef struct run {
    const dyad_dict *d;
    const dyad_model *model;
    tally *ty;
    int quiet;
} run;

/* Tags, parses and codes doc with the trace, then tallies it; -1 fatal. */
static int process(run *r, dyad_doc *doc, const char *where)
{
    char err[512];
    if (dyad_tag_parse(r->model, doc, err, sizeof err)) {
        cli_error("%s: document '%s' rejected: %s", where, dyad_doc_id(doc), err);
        r->ty->rejected++;
        return 0;
    }
    size_t nt = doc->ntoks + 1;
    doc_trace t = {doc, calloc(nt, 1), calloc(nt, sizeof(const char *)), calloc(nt, 1), NULL,
                   0, 0, 0};
    int rc = 0;
    if (!t.known || !t.hit_code || !t.hit_agent) {
        rc = -1;
    } else {
        code_trace trace = {&t, on_note};
        if (dyad_code_traced(r->d, doc, 0, &trace, err, sizeof err)) {
            cli_error("%s: document '%s' rejected: %s", where, dyad_doc_id(doc), err);
            r->ty->rejected++;
        } else if (t.failed || tally_doc(r->ty, &t, doc)) {
            rc = -1;
        } else {
            r->ty->docs++;
        }
    }
    free(t.known);
    free(t.hit_code);
    free(t.hit_agent);
    free(t.m);
    if (rc)
        cli_error("out of memory");
    return rc;
}

static int is_sqlite_file(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return 0;
    char head[16];
    size_t n = fread(head, 1, sizeof head, f);
    fclose(f);
    return n == sizeof head && memcmp(head, "SQLite format 3", 16) == 0;
}

/* Every stored document with text, in input order. 0, or -1 fatal (reported). */
static int run_store(run *r, const char *target)
{
    char err[512];
    db *s = db_open(target, err, sizeof err);
    if (!s) {
        cli_error("%s", err);
        return -1;
    }
    db_stmt *st = db_prepare(s, "SELECT id, date, source, title, text FROM documents"
                                " WHERE text IS NOT NULL ORDER BY seq", err, sizeof err);
    if (!st) {
        cli_error("%s: not a dyad store (%s)", target, err);
        db_close(s);
        return -1;
    }
    dyad_doc *doc = dyad_doc_new();
    int rc = doc ? 0 : -1, step;
    while (rc == 0 && (step = db_step(st)) == 1) {
        size_t tl;
        const char *text = db_col_text(st, 4, &tl);
        const char *id = db_col_text(st, 0, NULL);
        if (dyad_doc_set(doc, id, db_col_text(st, 1, NULL), db_col_text(st, 2, NULL),
                         db_col_text(st, 3, NULL), text, tl, err, sizeof err)) {
            cli_error("%s: document '%s' rejected: %s", target, id, err);
            r->ty->rejected++;
            continue;
        }
        rc = process(r, doc, target);
    }
    if (rc == 0 && step < 0) {
        cli_error("%s: %s", target, db_stmt_errmsg(st));
        rc = -1;
    }
    dyad_doc_free(doc);
    db_finalize(st);
    db_close(s);
    return rc;
}

static int run_file(run *r, const char *path, int input, const char *date)
{
    char err[512];
    doc_reader rd;
    if (reader_open(&rd, path, input, date, err, sizeof err)) {
        cli_error("%s", err);
        r->ty->rejected++;
        return 0;
    }
    dyad_doc *doc = dyad_doc_new();
    int rc = doc ? 0 : -1;
    while (rc == 0) {
        int got = reader_next(&rd, doc, err, sizeof err);
        if (got == 0)
            break;
        if (got == -2) {
            cli_error("%s", err);
            r->ty->rejected++;
            break;
        }
        if (got < 0) {
            cli_error("%s", err);
            r->ty->rejected++;
            continue;
        }
        char where[600];
        snprintf(where, sizeof where, "%s:%ld", path, rd.line);
        rc = process(r, doc, where);
    }
    dyad_doc_free(doc);
    reader_close(&rd);
    return rc;
}

static int by_count(const void *pa, const void *pb)
{
    const candidate *a = pa, *b = pb;
    if (a->count != b->count)
        return a->count > b->count ? -1 : 1;
    return strcmp(a->name, b->name);
}

static void tsv_field(FILE *f, const char *s)
{
    for (; *s; s++)
        putc(*s == '\t' || *s == '\n' || *s == '\r' ? ' ' : *s, f);
}

/* The suggested dictionary line: "CODE<pad>Name  # why". */
static void suggestion(FILE *f, const candidate *c, int tsv)
{
    int pad = 25 - (int)strlen(c->code);
    fprintf(f, "%s%*s", c->code, pad > 1 ? pad : 1, "");
    if (tsv)
        tsv_field(f, c->name);
    else
        fputs(c->name, f);
    fputs("  # ", f);
    if (tsv)
        tsv_field(f, c->why);
    else
        fputs(c->why, f);
}

static void write_report(FILE *f, tally *ty, int json, long min, long limit)
{
    qsort(ty->v, ty->n, sizeof *ty->v, by_count);
    if (!json)
        fputs("count\tname\tsubject\tobject\tsuggested entry\texample 1\texample 2\texample 3\n", f);
    long shown = 0;
    for (size_t i = 0; i < ty->n && (limit == 0 || shown < limit); i++) {
        const candidate *c = &ty->v[i];
        if (c->count < min)
            break;
        shown++;
        if (json) {
            char *line = NULL;
            size_t len = 0;
            FILE *m = open_memstream(&line, &len);
            if (m) {
                suggestion(m, c, 0);
                fclose(m);
            }
            fputs("{\"name\":", f);
            write_json_string(f, c->name, strlen(c->name));
            fprintf(f, ",\"count\":%ld,\"subject\":%ld,\"object\":%ld,\"code\":", c->count,
                    c->subj, c->obj);
            write_json_string(f, c->code, strlen(c->code));
            fputs(",\"why\":", f);
            write_json_string(f, c->why, strlen(c->why));
            fputs(",\"entry\":", f);
            write_json_string(f, line ? line : "", line ? len : 0);
            free(line);
            fputs(",\"examples\":[", f);
            for (int k = 0; k < c->nexamples; k++) {
                if (k)
                    fputc(',', f);
                write_json_string(f, c->examples[k], strlen(c->examples[k]));
            }
            fputs("]}\n", f);
            continue;
        }
        fprintf(f, "%ld\t", c->count);
        tsv_field(f, c->name);
        fprintf(f, "\t%ld\t%ld\t", c->subj, c->obj);
        suggestion(f, c, 1);
        for (int k = 0; k < MAX_EXAMPLES; k++) {
            fputc('\t', f);
            if (k < c->nexamples)
                tsv_field(f, c->examples[k]);
        }
        fputc('\n', f);
    }
}

static int parse_count(const char *opt, const char *arg, long *out)
{
    char *end;
    long v = strtol(arg, &end, 10);
    if (*end || end == arg || v < 0 || v > 1000000000L) {
        cli_error("%s must be a number from 0, not '%s'", opt, arg);
        return -1;
    }
    *out = v;
    return 0;
}

int cmd_actors(int argc, char **argv)
{
    static const struct option opts[] = {
        {"unknown", no_argument, NULL, 'u'},      {"min", required_argument, NULL, 'm'},
        {"limit", required_argument, NULL, 'n'},  {"format", required_argument, NULL, 'f'},
        {"date", required_argument, NULL, 'd'},   {"input", required_argument, NULL, 'i'},
        {"dict", required_argument, NULL, 'D'},   {"dict-format", required_argument, NULL, 'F'},
        {"models", required_argument, NULL, 'M'}, {"quiet", no_argument, NULL, 'q'},
        {"accurate", no_argument, NULL, 'A'},
        {"help", no_argument, NULL, 'h'},         {NULL, 0, NULL, 0}};
    const char *date = NULL, *dict_dir = NULL, *model_dir = NULL;
    int accurate = 0;
    long min = 2, limit = 100;
    int unknown = 0, json = 0, petrarch = 0, quiet = 0, input = READ_AUTO;
    int c;
    optind = 1;
    while ((c = getopt_long(argc, argv, "um:n:f:d:i:D:F:M:qh", opts, NULL)) != -1) {
        switch (c) {
        case 'u': unknown = 1; break;
        case 'm':
            if (parse_count("--min", optarg, &min))
                return EXIT_USAGE;
            break;
        case 'n':
            if (parse_count("--limit", optarg, &limit))
                return EXIT_USAGE;
            break;
        case 'f':
            if (strcmp(optarg, "tsv") == 0)
                json = 0;
            else if (strcmp(optarg, "json") == 0 || strcmp(optarg, "jsonl") == 0)
                json = 1;
            else {
                cli_error("--format must be tsv or json, not '%s'", optarg);
                return EXIT_USAGE;
            }
            break;
        case 'd':
            if (cli_opt_date("date", optarg))
                return EXIT_USAGE;
            date = optarg;
            break;
        case 'i':
            if (cli_opt_input(optarg, &input))
                return EXIT_USAGE;
            break;
        case 'D': dict_dir = optarg; break;
        case 'F':
            if (cli_opt_dict_format(optarg, &petrarch))
                return EXIT_USAGE;
            break;
        case 'M': model_dir = optarg; break;
        case 'A': accurate = 1; break;
        case 'q': quiet = 1; break;
        case 'h': usage_actors(stdout); return EXIT_OK;
        default: usage_actors(stderr); return EXIT_USAGE;
        }
    }
    if (!unknown) {
        cli_error("actors needs --unknown (the only listing so far); see 'dyad actors --help'");
        return EXIT_USAGE;
    }
    if (optind >= argc) {
        cli_error("actors --unknown needs a store or input files");
        return EXIT_USAGE;
    }
    if (petrarch && !dict_dir) {
        cli_error("--dict-format petrarch needs --dict DIR");
        return EXIT_USAGE;
    }
    char err[1024];
    if (!dict_dir)
        dict_dir = default_dict_dir();
    dyad_dict *d = cli_dict_load(dict_dir, petrarch, err, sizeof err);
    if (!d) {
        cli_error("%s", err);
        return EXIT_FATAL;
    }
    dyad_model *model = cli_models_load(model_dir, accurate, err, sizeof err);
    if (!model) {
        cli_error("%s (actors --unknown needs the parser: positions come from the tree)", err);
        dyad_dict_free(d);
        return EXIT_FATAL;
    }
    tally ty = {0};
    arena_init(&ty.mem, 0);
    intern_init(&ty.keys, &ty.mem);
    run r = {d, model, &ty, quiet};
    int fatal = 0;
    for (int i = optind; i < argc && !fatal; i++) {
        const char *arg = argv[i];
        if (db_is_postgres_uri(arg) || is_sqlite_file(arg))
            fatal = run_store(&r, arg) != 0;
        else
            fatal = run_file(&r, arg, input, date) != 0;
    }
    if (!fatal) {
        write_report(stdout, &ty, json, min, limit);
        if (fflush(stdout) != 0 || ferror(stdout)) {
            cli_error("writing output failed");
            fatal = 1;
        }
    }
    if (!quiet)
        fprintf(stderr, "dyad actors: %zu documents, %zu sentences, %zu unknown names, %zu rejected\n",
                ty.docs, ty.sents, ty.n, ty.rejected);
    intern_free(&ty.keys);
    arena_free(&ty.mem);
    free(ty.v);
    dyad_model_free(model);
    dyad_dict_free(d);
    if (fatal)
        return EXIT_FATAL;
    return ty.rejected ? EXIT_REJECTED : EXIT_OK;
}
