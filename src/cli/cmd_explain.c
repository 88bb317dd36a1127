/*
 * cmd_explain.c - `dyad explain`: why a sentence codes what it codes.
 *
 * The first tool of a dictionary maintainer: for each sentence it shows the
 * tokens with their tags and lemmas, the dependency tree drawn in the
 * terminal, the dictionary hits and the actor mentions composed from them
 * (with the file:line of each entry and the dated code chosen), and at each
 * word where patterns are anchored the patterns tried, the one chosen, the
 * modality and the word that caused it, how source and target were found,
 * and the events emitted or dropped; then the events exactly as `dyad code`
 * writes them.
 *
 * Design: the coder reports its decisions through a code_trace (coder.h) as
 * it takes them, so what is shown is what the coder did, not a second
 * implementation of its rules that could drift from it.  Notes are kept in
 * arrival order; a "trigger group" is the run of notes from the first
 * pattern tried at a word to the last event of that word, which is how the
 * coder's main loop visits them.  The document is coded whole (pronouns and
 * carried-over actors need the sentences before) and the sentence asked for
 * is shown from it.  --json writes one object with the same content for
 * tools, with the events as embedded `dyad code` records.
 *
 * Trade-off: the text view abbreviates the patterns that were tried without
 * matching (a common verb has dozens); -v and --json list them all.
 */
#include "cli/cli.h"
#include "code/coder.h"
#include "core/doc.h"
#include "dict/dict.h"
#include "dyad.h"
#include "io/reader.h"
#include "out/writer.h"
#include "tag/tagset.h"

#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define TRIED_SHOWN 6 /* patterns tried without a match listed per word (text, without -v) */

void usage_explain(FILE *f)
{
    fputs("usage: dyad explain [OPTIONS] \"SENTENCE TEXT\"\n"
          "       dyad explain [OPTIONS] --doc FILE ID [SENTENCE]\n"
          "\n"
          "Shows how dyad codes a text: tokens with tags and lemmas, the dependency\n"
          "tree, the dictionary entries that matched and the actors composed from them,\n"
          "the verb and noun patterns tried at each word and the one that matched,\n"
          "modality decisions, how source and target were chosen, and the events\n"
          "produced or dropped, each with the dictionary file:line responsible.\n"
          "With --doc, the document ID of FILE (JSON Lines or text, as dyad code reads)\n"
          "is coded and its sentences (or the one 0-based SENTENCE) are shown.\n"
          "\n"
          "Options:\n"
          "  -d, --date YYYY-MM-DD  story date (default: the record's date, else today)\n"
          "  -D, --dict DIR         dictionary directory (default: dyad's own, data/dict)\n"
          "  -F, --dict-format native|petrarch  the format of --dict (default native)\n"
          "  -M, --models DIR       tagger and parser models (default: data/models)\n"
          "      --accurate         beam-search parser (parser-beam.bin): more accurate, slower\n"
          "  -P, --no-parse         code on the token sequence, without tagging and parsing\n"
          "  -a, --all-modalities   also code negated, hypothetical and intended events\n"
          "      --doc FILE         explain document ID of FILE\n"
          "  -j, --json             one JSON object instead of text\n"
          "      --ascii            draw the tree with ASCII instead of box characters\n"
          "  -v, --verbose          list every pattern tried, not only the first few\n"
          "  -h, --help             this help\n"
          "\n"
          "Colour is used only on a terminal, and never when NO_COLOR is set or TERM=dumb.\n"
          "Exit status: 0 explained; 1 no such document or sentence; 2 usage error;\n"
          "3 dictionaries or models could not be loaded.\n",
          f);
}

/* ---------------------------------------------------------------------- */
/* collecting the coder's notes                                             */

typedef struct xnote {
    code_note n;       /* codes and event point at the copies below */
    dyad_event ev;     /* NOTE_EVENT, NOTE_ARTICLE */
} xnote;

typedef struct notes {
    arena mem;         /* copies of the notes' code arrays */
    xnote *v;
    size_t n, cap;
    int failed;        /* out of memory while collecting */
} notes;

static void collect(void *ctx, const code_note *n)
{
    notes *ns = ctx;
    if (ns->failed)
        return;
    if (ns->n == ns->cap) {
        size_t cap = ns->cap ? ns->cap * 2 : 256;
        xnote *v = realloc(ns->v, cap * sizeof *v);
        if (!v) {
            ns->failed = 1;
            return;
        }
        ns->v = v;
        ns->cap = cap;
    }
    xnote *x = &ns->v[ns->n];
    memset(x, 0, sizeof *x);
    x->n = *n;
    if (n->ncodes) {
        const char **codes = arena_alloc(&ns->mem, n->ncodes * sizeof *codes);
        if (!codes) {
            ns->failed = 1;
            return;
        }
        memcpy(codes, n->codes, n->ncodes * sizeof *codes);
        x->n.codes = codes;
    }
    if (n->event) {
        x->ev = *n->event;
        x->n.event = &x->ev;
    }
    ns->n++;
}

/* ---------------------------------------------------------------------- */
/* text output                                                              */

typedef struct style {
    const char *bold, *dim, *red, *green, *yellow, *blue, *magenta, *cyan, *off;
    const char *tee, *last, *pipe, *space, *arrow;
} style;

static style make_style(int colour, int ascii)
{
    style s = {"", "", "", "", "", "", "", "", "", "├─ ", "└─ ", "│  ", "   ", "→"};
    if (ascii) {
        s.tee = "|- ";
        s.last = "`- ";
        s.pipe = "|  ";
        s.arrow = "->";
    }
    if (colour) {
        s.bold = "\033[1m";
        s.dim = "\033[2m";
        s.red = "\033[31m";
        s.green = "\033[32m";
        s.yellow = "\033[33m";
        s.blue = "\033[34m";
        s.magenta = "\033[35m";
        s.cyan = "\033[36m";
        s.off = "\033[0m";
    }
    return s;
}

/* What the explanation of one sentence needs at hand. */
typedef struct view {
    const dyad_doc *doc;
    const sentence *s;
    const token *tok;
    uint32_t si;
    const notes *ns;
    size_t first, last; /* the sentence's notes: ns->v[first .. last) */
    const style *st;
    int verbose;
    int *trigger_of;    /* token -> 1 when it is a chosen trigger */
    const char **mention_code; /* token -> the code of the mention it starts, or NULL */
} view;

static void put_tokens(FILE *f, const view *w, uint32_t a, uint32_t b)
{
    if (b <= a || b > w->s->ntok)
        return;
    fwrite(w->doc->text + w->tok[a].start, 1, w->tok[b - 1].end - w->tok[a].start, f);
}

static void put_codes(FILE *f, const code_note *n)
{
    if (!n->ncodes) {
        fputs("(none)", f);
        return;
    }
    for (uint32_t k = 0; k < n->ncodes; k++)
        fprintf(f, "%s%s", k ? "," : "", n->codes[k] ? n->codes[k] : "");
}

static const char *entry_kind_name(int kind)
{
    switch (kind) {
    case ENT_ACTOR: return "actor";
    case ENT_AGENT: return "agent";
    case ENT_VERB: return "verb";
    case ENT_NOUN: return "noun";
    case ENT_DISCARD: return "discard";
    default: return "?";
    }
}

static int parsed(const view *w)
{
    for (uint32_t i = 0; i < w->s->ntok; i++)
        if (w->tok[i].head < -1 || !w->tok[i].deprel)
            return 0;
    return w->s->ntok > 0;
}

static void text_tokens(FILE *f, const view *w)
{
    const style *st = w->st;
    fprintf(f, "%stokens%s\n", st->bold, st->off);
    fprintf(f, "  %s%4s  %-18s %-6s %-5s %-16s %4s  %s%s\n", st->dim, "#", "form", "upos", "xpos",
            "lemma", "head", "deprel", st->off);
    for (uint32_t i = 0; i < w->s->ntok; i++) {
        const token *t = &w->tok[i];
        char head[16];
        if (t->head >= 0)
            snprintf(head, sizeof head, "%d", t->head);
        else
            snprintf(head, sizeof head, "%s", t->head == -1 ? "root" : "_");
        fprintf(f, "  %4u  %-18s %s%-6s%s %-5s %-16s %4s  %s%s%s\n", i, t->form, st->green,
                upos_name(t->upos), st->off, xpos_name(t->xpos), t->lemma ? t->lemma : "_", head,
                st->cyan, deprel_name(t->deprel), st->off);
    }
}

static void tree_node(FILE *f, const view *w, uint32_t v, char *prefix, size_t plen, size_t cap,
                      int is_last, int is_root, int depth)
{
    const style *st = w->st;
    const token *t = &w->tok[v];
    fputs("  ", f);
    fputs(prefix, f);
    if (!is_root)
        fputs(is_last ? st->last : st->tee, f);
    fprintf(f, "%s%s%s %s%s%s %s%s%s", st->bold, t->form, st->off, st->green, upos_name(t->upos),
            st->off, st->cyan, deprel_name(t->deprel), st->off);
    if (w->mention_code[v])
        fprintf(f, "  %s[%s]%s", st->yellow, w->mention_code[v], st->off);
    if (w->trigger_of[v])
        fprintf(f, "  %s<trigger>%s", st->magenta, st->off);
    fputc('\n', f);
    if (depth > 64)
        return; /* a tree is at most a sentence deep; this only guards a corrupt parse */
    size_t add = 0;
    if (!is_root) {
        const char *seg = is_last ? st->space : st->pipe;
        add = strlen(seg);
        if (plen + add + 1 > cap)
            return;
        memcpy(prefix + plen, seg, add + 1);
    }
    uint32_t lastchild = v;
    for (uint32_t i = 0; i < w->s->ntok; i++)
        if (w->tok[i].head == (int32_t)v)
            lastchild = i;
    for (uint32_t i = 0; i < w->s->ntok; i++)
        if (w->tok[i].head == (int32_t)v)
            tree_node(f, w, i, prefix, plen + add, cap, i == lastchild, 0, depth + 1);
    prefix[plen] = '\0';
}

static void text_tree(FILE *f, const view *w)
{
    fprintf(f, "%sdependency tree%s\n", w->st->bold, w->st->off);
    if (!parsed(w)) {
        fputs("  (not parsed: --no-parse, or no models)\n", f);
        return;
    }
    char prefix[1024] = "";
    for (uint32_t i = 0; i < w->s->ntok; i++)
        if (w->tok[i].head == -1)
            tree_node(f, w, i, prefix, 0, sizeof prefix, 1, 1, 0);
}


static void text_actors(FILE *f, const view *w)
{
    const style *st = w->st;
    fprintf(f, "%sactors%s\n", st->bold, st->off);
    int any = 0;
    for (size_t k = w->first; k < w->last; k++) {
        const code_note *n = &w->ns->v[k].n;
        if (n->kind != NOTE_HIT && n->kind != NOTE_HIT_UNDATED && n->kind != NOTE_MENTION)
            continue;
        any = 1;
        const char *label = n->kind == NOTE_HIT ? "hit" : n->kind == NOTE_MENTION ? "mention"
                                                                                 : "no code";
        fprintf(f, "  %-8s \"", label);
        if (n->kind == NOTE_MENTION)
            fputs(st->bold, f);
        put_tokens(f, w, n->start, n->end);
        fprintf(f, "%s\" %s %s", st->off, st->arrow, st->yellow);
        put_codes(f, n);
        fprintf(f, "%s  %s", st->off, n->rule ? n->rule : "");
        if (n->entry && n->kind != NOTE_MENTION)
            fprintf(f, " (%s [%s])", entry_kind_name(n->entry->kind), n->entry->text);
        if (n->detail)
            fprintf(f, "  %s%s%s", st->dim, n->detail, st->off);
        fputc('\n', f);
    }
    if (!any)
        fputs("  (no dictionary actor or agent in this sentence)\n", f);
}

static int is_trigger_note(code_note_kind k)
{
    return k == NOTE_TRIED || k == NOTE_SKIPPED || k == NOTE_PATTERN;
}

static int in_group(code_note_kind k)
{
    return is_trigger_note(k) || k == NOTE_MODALITY || k == NOTE_SOURCE || k == NOTE_TARGET ||
           k == NOTE_EVENT || k == NOTE_DROPPED;
}

/* The end of the trigger group that starts at note k (see the header). */
static size_t group_end(const view *w, size_t k)
{
    uint32_t anchor = w->ns->v[k].n.cue_start;
    size_t e = k + 1;
    for (; e < w->last; e++) {
        const code_note *n = &w->ns->v[e].n;
        if (!in_group(n->kind))
            break;
        if (is_trigger_note(n->kind) && n->cue_start != anchor)
            break;
    }
    return e;
}

static void text_event_line(FILE *f, const view *w, const dyad_event *e)
{
    const style *st = w->st;
    fprintf(f, "%s%s%s %s %s%s%s  %s%s%s %s", st->yellow, e->source, st->off, st->arrow,
            st->yellow, e->target[0] ? e->target : "(no target)", st->off, st->red, e->code,
            st->off, dyad_modality_name(e->modality));
    const dyad_cameo *c = dyad_cameo_lookup(e->code);
    if (c)
        fprintf(f, "  %s%s%s", st->dim, c->name, st->off);
}

static void text_group(FILE *f, const view *w, size_t k, size_t e)
{
    const style *st = w->st;
    uint32_t anchor = w->ns->v[k].n.cue_start;
    size_t tried = 0, matched = 0, skipped = 0;
    for (size_t q = k; q < e; q++) {
        const code_note *n = &w->ns->v[q].n;
        tried += n->kind == NOTE_TRIED;
        matched += n->kind == NOTE_TRIED && n->matched;
        skipped += n->kind == NOTE_SKIPPED;
    }
    fprintf(f, "  at %s\"%s\"%s (token %u): %zu pattern%s tried, %zu matched\n", st->bold,
            anchor < w->s->ntok ? w->tok[anchor].form : "?", st->off, anchor, tried,
            tried == 1 ? "" : "s", matched);
    size_t shown = 0;
    for (size_t q = k; q < e; q++) {
        const code_note *n = &w->ns->v[q].n;
        if (n->kind != NOTE_TRIED)
            continue;
        if (!n->matched && !w->verbose && shown >= TRIED_SHOWN)
            continue;
        shown += !n->matched;
        fprintf(f, "    tried    %-5s %s [%s]  %s  %s%s%s\n", n->code[0] ? n->code : "---",
                entry_kind_name(n->entry->kind), n->entry->text, n->rule,
                n->matched ? st->green : st->dim, n->matched ? "matched" : "no match", st->off);
    }
    if (tried - matched > shown)
        fprintf(f, "    %s... %zu more tried without a match (-v or --json lists them)%s\n", st->dim,
                tried - matched - shown, st->off);
    if (skipped)
        fprintf(f, "    skipped  %zu verb pattern%s: the tagger reads \"%s\" as %s, not a verb\n",
                skipped, skipped == 1 ? "" : "s", w->tok[anchor].form,
                upos_name(w->tok[anchor].upos));
    for (size_t q = k; q < e; q++) {
        const code_note *n = &w->ns->v[q].n;
        switch (n->kind) {
        case NOTE_PATTERN:
            fprintf(f, "    %schosen%s   %-5s %s [%s]  %s  trigger \"", st->green, st->off,
                    n->entry->code[0] ? n->entry->code : "---", entry_kind_name(n->entry->kind),
                    n->entry->text, n->rule);
            put_tokens(f, w, n->start, n->end);
            fputc('"', f);
            if (n->entry->rcode[0])
                fprintf(f, "  (reverse event %s)", n->entry->rcode);
            if (n->detail)
                fprintf(f, "  %s", n->detail);
            fputc('\n', f);
            break;
        case NOTE_MODALITY:
            fprintf(f, "    modality %s%s%s", st->cyan, n->code, st->off);
            if (n->cue_end > n->cue_start) {
                fputs(" by \"", f);
                put_tokens(f, w, n->cue_start, n->cue_end);
                fprintf(f, "\" (token %u)", n->cue_start);
            }
            fprintf(f, ": %s\n", n->detail ? n->detail : "");
            break;
        case NOTE_SOURCE:
        case NOTE_TARGET:
            fprintf(f, "    %s   ", n->kind == NOTE_SOURCE ? "source" : "target");
            if (n->ncodes || n->rule) {
                fputs(st->yellow, f);
                put_codes(f, n);
                if (n->end > n->start) {
                    fprintf(f, "%s \"", st->off);
                    put_tokens(f, w, n->start, n->end);
                    fputc('"', f);
                } else {
                    fprintf(f, "%s (named in another sentence)", st->off);
                }
                fprintf(f, "  %s  %s %s\n", n->rule ? n->rule : "", st->arrow,
                        n->detail ? n->detail : "");
            } else {
                fprintf(f, "%s\n", n->detail ? n->detail : "none");
            }
            break;
        case NOTE_EVENT:
            fprintf(f, "    %sevent%s    ", st->green, st->off);
            text_event_line(f, w, n->event);
            fputc('\n', f);
            break;
        case NOTE_DROPPED:
            fprintf(f, "    %sdropped%s  %s", st->red, st->off, n->code && n->code[0] ? n->code : "");
            /* the would-be source and target */
            for (uint32_t c = 0; c < n->ncodes; c++)
                fprintf(f, "%s%s%s", c ? " " : " ", c ? st->arrow : "",
                        c ? (n->codes[c][0] ? n->codes[c] : "(no target)") : n->codes[c]);
            fprintf(f, ": %s\n", n->detail ? n->detail : "");
            break;
        default:
            break;
        }
    }
}

static void text_triggers(FILE *f, const view *w)
{
    fprintf(f, "%spatterns%s\n", w->st->bold, w->st->off);
    int any = 0;
    for (size_t k = w->first; k < w->last;) {
        const code_note *n = &w->ns->v[k].n;
        if (n->kind == NOTE_DISCARD) {
            fprintf(f, "  %sdiscarded%s by \"", w->st->red, w->st->off);
            put_tokens(f, w, n->start, n->end);
            fprintf(f, "\"  %s: %s\n", n->rule, n->detail);
            any = 1;
        }
        if (!is_trigger_note(n->kind)) {
            k++;
            continue;
        }
        size_t e = group_end(w, k);
        text_group(f, w, k, e);
        any = 1;
        k = e;
    }
    if (!any)
        fputs("  (no verb or noun pattern is anchored at any word of this sentence)\n", f);
}

/* The events of sentence si as `dyad code` writes them, in a malloc'd buffer. */
static char *events_jsonl(dyad_doc *doc, uint32_t si, size_t *len)
{
    char *buf = NULL;
    *len = 0;
    FILE *m = open_memstream(&buf, len);
    if (!m)
        return NULL;
    dyad_event *all = doc->events;
    size_t n = doc->nevents;
    for (size_t i = 0; i < n; i++) {
        if (all[i].sent != si)
            continue;
        /* the writer writes a document's events: show it one at a time */
        doc->events = &all[i];
        doc->nevents = 1;
        write_events(m, OUT_JSONL, doc);
    }
    doc->events = all;
    doc->nevents = n;
    if (fclose(m) != 0) {
        free(buf);
        return NULL;
    }
    return buf;
}

static void text_sentence(FILE *f, dyad_doc *doc, view *w)
{
    const style *st = w->st;
    fprintf(f, "%ssentence %u%s  %s\n", st->bold, w->si, st->off,
            w->ns->v[w->first].n.detail ? w->ns->v[w->first].n.detail : "");
    fputs("  ", f);
    fwrite(doc->text + w->s->start, 1, w->s->end - w->s->start, f);
    fputs("\n\n", f);
    text_tokens(f, w);
    fputc('\n', f);
    text_tree(f, w);
    fputc('\n', f);
    text_actors(f, w);
    fputc('\n', f);
    text_triggers(f, w);
    fputc('\n', f);
    for (size_t q = 0; q < doc->nquotes; q++) {
        const dyad_quote *dq = &doc->quotes[q];
        if (w->si < dq->sent_first || w->si > dq->sent_last)
            continue;
        fprintf(f, "%squotation %zu%s  said by %s%s%s", st->bold, q, st->off, st->yellow,
                dq->speaker[0] ? dq->speaker : "(unknown)", st->off);
        if (dq->speaker[0])
            fprintf(f, " \"%.*s\"  %s", (int)(dq->speaker_span.end - dq->speaker_span.start),
                    doc->text + dq->speaker_span.start, dq->speaker_rule);
        fputs("\n\n", f);
    }
    fprintf(f, "%sevents%s\n", st->bold, st->off);
    int any = 0;
    for (size_t k = 0; k < w->ns->n; k++) {
        const code_note *n = &w->ns->v[k].n;
        if (n->kind != NOTE_ARTICLE || n->sent != w->si)
            continue;
        fprintf(f, "  article  %s: ", n->code);
        put_codes(f, n);
        fprintf(f, " (%s; %s)\n", n->detail ? n->detail : "", n->rule);
    }
    for (size_t i = 0; i < doc->nevents; i++) {
        const dyad_event *e = &doc->events[i];
        if (e->sent != w->si)
            continue;
        fputs("  ", f);
        text_event_line(f, w, e);
        fprintf(f, "  trigger \"%.*s\"  rules %s / %s / %s\n",
                (int)(e->trigger.end - e->trigger.start), doc->text + e->trigger.start,
                e->verb_rule, e->source_rule[0] ? e->source_rule : "-",
                e->target_rule[0] ? e->target_rule : "-");
        any = 1;
    }
    if (!any) {
        fputs("  (none)\n", f);
        return;
    }
    size_t len;
    char *jl = events_jsonl(doc, w->si, &len);
    if (jl) {
        fprintf(f, "\n%sas dyad code writes them%s\n", st->dim, st->off);
        fwrite(jl, 1, len, f);
        free(jl);
    }
}

/* ---------------------------------------------------------------------- */
/* JSON output                                                              */

static void jstr(FILE *f, const char *s)
{
    if (s)
        write_json_string(f, s, strlen(s));
    else
        fputs("null", f);
}

static void jtokens(FILE *f, const view *w, uint32_t a, uint32_t b)
{
    if (b <= a || b > w->s->ntok) {
        fputs("\"\"", f);
        return;
    }
    write_json_string(f, w->doc->text + w->tok[a].start, w->tok[b - 1].end - w->tok[a].start);
}

static void jcodes(FILE *f, const code_note *n)
{
    fputc('[', f);
    for (uint32_t k = 0; k < n->ncodes; k++) {
        if (k)
            fputc(',', f);
        jstr(f, n->codes[k]);
    }
    fputc(']', f);
}

static void jentry(FILE *f, const dict_entry *e)
{
    fputs("{\"kind\":", f);
    jstr(f, entry_kind_name(e->kind));
    fputs(",\"pattern\":", f);
    jstr(f, e->text);
    if (e->kind == ENT_VERB || e->kind == ENT_NOUN) {
        fputs(",\"code\":", f);
        jstr(f, e->code[0] ? e->code : "---");
        fputs(",\"rcode\":", f);
        jstr(f, e->rcode);
    }
    fputs(",\"rule\":", f);
    jstr(f, e->rule);
    fputc('}', f);
}

static void jrange(FILE *f, const view *w, const char *name, uint32_t a, uint32_t b)
{
    fprintf(f, "\"%s\":{\"start\":%u,\"end\":%u,\"text\":", name, a, b);
    jtokens(f, w, a, b);
    fputc('}', f);
}

/* One note as a JSON object (the fields it has). */
static void jnote(FILE *f, const view *w, const code_note *n)
{
    fputc('{', f);
    jrange(f, w, "tokens", n->start, n->end);
    if (n->cue_end > n->cue_start) {
        fputc(',', f);
        jrange(f, w, "cue", n->cue_start, n->cue_end);
    }
    if (n->entry) {
        fputs(",\"entry\":", f);
        jentry(f, n->entry);
    }
    if (n->ncodes || n->kind == NOTE_SOURCE || n->kind == NOTE_TARGET || n->kind == NOTE_HIT ||
        n->kind == NOTE_MENTION) {
        fputs(",\"codes\":", f);
        jcodes(f, n);
    }
    if (n->code) {
        fputs(n->kind == NOTE_MODALITY ? ",\"modality\":" : ",\"code\":", f);
        jstr(f, n->code);
    }
    if (n->rule) {
        fputs(",\"rule\":", f);
        jstr(f, n->rule);
    }
    if (n->kind == NOTE_TRIED)
        fprintf(f, ",\"matched\":%s", n->matched ? "true" : "false");
    if (n->event) {
        const dyad_event *e = n->event;
        fputs(",\"event\":{\"source\":", f);
        jstr(f, e->source);
        fputs(",\"target\":", f);
        jstr(f, e->target);
        fputs(",\"code\":", f);
        jstr(f, e->code);
        fputs(",\"modality\":", f);
        jstr(f, dyad_modality_name(e->modality));
        fputc('}', f);
    }
    fputs(",\"why\":", f);
    jstr(f, n->detail);
    fputc('}', f);
}

/* The notes of [k, e) of one kind as a JSON array. */
static void jnotes(FILE *f, const view *w, const char *name, size_t k, size_t e,
                   code_note_kind kind)
{
    fprintf(f, "\"%s\":[", name);
    int first = 1;
    for (size_t q = k; q < e; q++) {
        const code_note *n = &w->ns->v[q].n;
        if (n->kind != kind)
            continue;
        if (!first)
            fputc(',', f);
        first = 0;
        jnote(f, w, n);
    }
    fputc(']', f);
}

/* The one note of a kind in [k, e), or null. */
static void jsingle(FILE *f, const view *w, const char *name, size_t k, size_t e,
                    code_note_kind kind)
{
    fprintf(f, "\"%s\":", name);
    for (size_t q = k; q < e; q++)
        if (w->ns->v[q].n.kind == kind) {
            jnote(f, w, &w->ns->v[q].n);
            return;
        }
    fputs("null", f);
}

static void json_sentence(FILE *f, dyad_doc *doc, const view *w)
{
    fprintf(f, "{\"index\":%u,\"text\":", w->si);
    write_json_string(f, doc->text + w->s->start, w->s->end - w->s->start);
    fprintf(f, ",\"parsed\":%s,\"tokens\":[", parsed(w) ? "true" : "false");
    for (uint32_t i = 0; i < w->s->ntok; i++) {
        const token *t = &w->tok[i];
        fprintf(f, "%s{\"i\":%u,\"form\":", i ? "," : "", i);
        jstr(f, t->form);
        fputs(",\"upos\":", f);
        jstr(f, upos_name(t->upos));
        fputs(",\"xpos\":", f);
        jstr(f, xpos_name(t->xpos));
        fputs(",\"lemma\":", f);
        jstr(f, t->lemma ? t->lemma : "_");
        fprintf(f, ",\"head\":%d,\"deprel\":", t->head >= -1 ? t->head : -2);
        jstr(f, deprel_name(t->deprel));
        fprintf(f, ",\"start\":%u,\"end\":%u}", t->start, t->end);
    }
    fputs("],", f);
    jnotes(f, w, "hits", w->first, w->last, NOTE_HIT);
    fputc(',', f);
    jnotes(f, w, "undated_hits", w->first, w->last, NOTE_HIT_UNDATED);
    fputc(',', f);
    jnotes(f, w, "mentions", w->first, w->last, NOTE_MENTION);
    fputc(',', f);
    jsingle(f, w, "discard", w->first, w->last, NOTE_DISCARD);
    fputs(",\"triggers\":[", f);
    int first = 1;
    for (size_t k = w->first; k < w->last;) {
        if (!is_trigger_note(w->ns->v[k].n.kind)) {
            k++;
            continue;
        }
        size_t e = group_end(w, k);
        uint32_t anchor = w->ns->v[k].n.cue_start;
        fprintf(f, "%s{\"token\":%u,\"word\":", first ? "" : ",", anchor);
        first = 0;
        jtokens(f, w, anchor, anchor + 1);
        fputc(',', f);
        jnotes(f, w, "tried", k, e, NOTE_TRIED);
        fputc(',', f);
        jnotes(f, w, "skipped", k, e, NOTE_SKIPPED);
        fputc(',', f);
        jsingle(f, w, "pattern", k, e, NOTE_PATTERN);
        fputc(',', f);
        jsingle(f, w, "modality", k, e, NOTE_MODALITY);
        fputc(',', f);
        jsingle(f, w, "source", k, e, NOTE_SOURCE);
        fputc(',', f);
        jsingle(f, w, "target", k, e, NOTE_TARGET);
        fputc(',', f);
        jnotes(f, w, "emitted", k, e, NOTE_EVENT);
        fputc(',', f);
        jnotes(f, w, "dropped", k, e, NOTE_DROPPED);
        fputc('}', f);
        k = e;
    }
    fputs("],\"article\":[", f);
    first = 1;
    for (size_t k = 0; k < w->ns->n; k++) {
        const code_note *n = &w->ns->v[k].n;
        if (n->kind != NOTE_ARTICLE || n->sent != w->si)
            continue;
        if (!first)
            fputc(',', f);
        first = 0;
        jnote(f, w, n);
    }
    fputs("],\"events\":[", f);
    size_t len;
    char *jl = events_jsonl(doc, w->si, &len);
    if (jl) {
        /* one record per line: join them with commas */
        for (size_t i = 0; i < len; i++) {
            if (jl[i] == '\n')
                fputs(i + 1 < len ? "," : "", f);
            else
                fputc(jl[i], f);
        }
        free(jl);
    }
    fputs("]}", f);
}

/* ---------------------------------------------------------------------- */
/* the command                                                              */

/* Finds record id in file; 1 found (doc set), 0 not found, -1 error (reported). */
static int find_doc(const char *file, const char *id, const char *date, dyad_doc *doc)
{
    doc_reader r;
    char err[512];
    if (reader_open(&r, file, READ_AUTO, date, err, sizeof err)) {
        cli_error("%s", err);
        return -1;
    }
    int found = 0;
    for (;;) {
        int rc = reader_next(&r, doc, err, sizeof err);
        if (rc == 0)
            break;
        if (rc == -2) {
            cli_error("%s", err);
            found = -1;
            break;
        }
        if (rc < 0)
            continue; /* a bad record that is not the one asked for */
        if (strcmp(dyad_doc_id(doc), id) == 0) {
            found = 1;
            break;
        }
    }
    reader_close(&r);
    return found;
}

int cmd_explain(int argc, char **argv)
{
    enum { OPT_DOC = 256, OPT_ASCII };
    static const struct option opts[] = {
        {"date", required_argument, NULL, 'd'},   {"dict", required_argument, NULL, 'D'},
        {"dict-format", required_argument, NULL, 'F'}, {"models", required_argument, NULL, 'M'},
        {"accurate", no_argument, NULL, 'A'},
        {"no-parse", no_argument, NULL, 'P'},     {"all-modalities", no_argument, NULL, 'a'},
        {"doc", required_argument, NULL, OPT_DOC}, {"json", no_argument, NULL, 'j'},
        {"ascii", no_argument, NULL, OPT_ASCII},  {"verbose", no_argument, NULL, 'v'},
        {"help", no_argument, NULL, 'h'},         {NULL, 0, NULL, 0}};
    const char *date = NULL, *dict_dir = NULL, *model_dir = NULL, *doc_file = NULL;
    int accurate = 0;
    int no_parse = 0, petrarch = 0, json = 0, ascii = 0, verbose = 0;
    unsigned flags = 0;
    int c;
    optind = 1;
    while ((c = getopt_long(argc, argv, "d:D:F:M:Pajvh", opts, NULL)) != -1) {
        switch (c) {
        case 'd':
            if (cli_opt_date("date", optarg))
                return EXIT_USAGE;
            date = optarg;
            break;
        case 'D': dict_dir = optarg; break;
        case 'F':
            if (cli_opt_dict_format(optarg, &petrarch))
                return EXIT_USAGE;
            break;
        case 'M': model_dir = optarg; break;
        case 'A': accurate = 1; break;
        case 'P': no_parse = 1; break;
        case 'a': flags |= DYAD_ALL_MODALITIES; break;
        case OPT_DOC: doc_file = optarg; break;
        case 'j': json = 1; break;
        case OPT_ASCII: ascii = 1; break;
        case 'v': verbose = 1; break;
        case 'h': usage_explain(stdout); return EXIT_OK;
        default: usage_explain(stderr); return EXIT_USAGE;
        }
    }
    if (cli_opt_accurate(accurate, no_parse))
        return EXIT_USAGE;
    const char *doc_id = NULL;
    long only_sent = -1;
    char *text = NULL;
    if (doc_file) {
        if (optind >= argc || argc - optind > 2) {
            cli_error("explain --doc FILE needs a document ID and optionally a sentence index");
            return EXIT_USAGE;
        }
        doc_id = argv[optind];
        if (optind + 1 < argc) {
            char *end;
            only_sent = strtol(argv[optind + 1], &end, 10);
            if (*end || end == argv[optind + 1] || only_sent < 0) {
                cli_error("sentence index must be a number from 0, not '%s'", argv[optind + 1]);
                return EXIT_USAGE;
            }
        }
    } else {
        if (optind >= argc) {
            cli_error("explain needs a sentence (or --doc FILE ID); see 'dyad explain --help'");
            return EXIT_USAGE;
        }
        /* the words of the command line, joined: quoting the sentence is optional */
        size_t len = 0;
        for (int i = optind; i < argc; i++)
            len += strlen(argv[i]) + 1;
        text = malloc(len + 1);
        if (!text) {
            cli_error("out of memory");
            return EXIT_FATAL;
        }
        text[0] = '\0';
        for (int i = optind; i < argc; i++) {
            if (i > optind)
                strcat(text, " ");
            strcat(text, argv[i]);
        }
        int blank = 1;
        for (const char *p = text; *p; p++)
            blank &= *p == ' ' || *p == '\t' || *p == '\n' || *p == '\r';
        if (blank) {
            cli_error("nothing to explain: the text is empty");
            free(text);
            return EXIT_USAGE;
        }
    }
    if (petrarch && !dict_dir) {
        cli_error("--dict-format petrarch needs --dict DIR");
        free(text);
        return EXIT_USAGE;
    }
    char today[16];
    if (!date) {
        time_t now = time(NULL);
        struct tm tm;
        gmtime_r(&now, &tm);
        strftime(today, sizeof today, "%Y-%m-%d", &tm);
    }
    char err[1024];
    if (!dict_dir)
        dict_dir = default_dict_dir();
    dyad_dict *d = cli_dict_load(dict_dir, petrarch, err, sizeof err);
    if (!d) {
        cli_error("%s", err);
        free(text);
        return EXIT_FATAL;
    }
    dyad_model *model = NULL;
    if (!no_parse) {
        model = cli_models_load(model_dir, accurate, err, sizeof err);
        if (!model) {
            cli_error("%s (use --no-parse to explain without the parser)", err);
            dyad_dict_free(d);
            free(text);
            return EXIT_FATAL;
        }
    }
    int status = EXIT_OK;
    dyad_doc *doc = dyad_doc_new();
    notes ns = {0};
    arena_init(&ns.mem, 0);
    if (!doc) {
        cli_error("out of memory");
        status = EXIT_FATAL;
        goto out;
    }
    if (doc_file) {
        int found = find_doc(doc_file, doc_id, date ? date : today, doc);
        if (found <= 0) {
            if (found == 0)
                cli_error("%s: no document with id '%s'", doc_file, doc_id);
            status = EXIT_REJECTED;
            goto out;
        }
    } else if (dyad_doc_set(doc, "explain", date ? date : today, "", "", text, strlen(text), err,
                            sizeof err)) {
        cli_error("%s", err);
        status = EXIT_REJECTED;
        goto out;
    }
    code_trace trace = {&ns, collect};
    if ((model && dyad_tag_parse(model, doc, err, sizeof err)) ||
        dyad_code_traced(d, doc, flags, &trace, err, sizeof err)) {
        cli_error("%s", err);
        status = EXIT_REJECTED;
        goto out;
    }
    if (ns.failed) {
        cli_error("out of memory");
        status = EXIT_FATAL;
        goto out;
    }
    if (only_sent >= 0 && (size_t)only_sent >= doc->nsents) {
        cli_error("document '%s' has %zu sentences (0..%zu); there is no sentence %ld",
                  dyad_doc_id(doc), doc->nsents, doc->nsents ? doc->nsents - 1 : 0, only_sent);
        status = EXIT_REJECTED;
        goto out;
    }
    const char *nc = getenv("NO_COLOR"), *term = getenv("TERM");
    int dumb = term && strcmp(term, "dumb") == 0;
    int colour = !json && isatty(STDOUT_FILENO) && !(nc && *nc) && !dumb;
    style st = make_style(colour, ascii || dumb);
    FILE *f = stdout;
    if (json) {
        fputs("{\"doc\":", f);
        jstr(f, dyad_doc_id(doc));
        fputs(",\"date\":", f);
        jstr(f, dyad_doc_date(doc));
        fprintf(f, ",\"parsed\":%s,\"sentences\":[", model ? "true" : "false");
    } else {
        fprintf(f, "%sdocument%s %s, story date %s%s\n\n", st.bold, st.off, dyad_doc_id(doc),
                dyad_doc_date(doc), date || doc_file ? "" : " (today: give --date for another)");
    }
    int first = 1;
    size_t k = 0;
    const code_note *story_discard = NULL;
    for (size_t q = 0; q < ns.n; q++)
        if (ns.v[q].n.kind == NOTE_DISCARD && ns.v[q].n.entry && ns.v[q].n.entry->code[0] == '+')
            story_discard = &ns.v[q].n;
    for (uint32_t si = 0; si < doc->nsents; si++) {
        /* the sentence's notes start with its NOTE_SENTENCE */
        while (k < ns.n && !(ns.v[k].n.kind == NOTE_SENTENCE && ns.v[k].n.sent == si))
            k++;
        size_t e = k + 1;
        while (e < ns.n && ns.v[e].n.kind != NOTE_SENTENCE && ns.v[e].n.kind != NOTE_ARTICLE)
            e++;
        if (k >= ns.n && story_discard && !json &&
            (only_sent < 0 || si == (uint32_t)only_sent)) {
            /* a story discard stops the coder: the sentences after it are not coded */
            fprintf(f, "%s%ssentence %u%s  not coded: the story was discarded at sentence %u (%s)\n",
                    first ? "" : "\n", st.bold, si, st.off, story_discard->sent,
                    story_discard->rule);
            first = 0;
            continue;
        }
        if (k >= ns.n || (only_sent >= 0 && si != (uint32_t)only_sent)) {
            k = k < ns.n ? e : k;
            continue;
        }
        const sentence *s = &doc->sents[si];
        int *trigger_of = calloc(s->ntok + 1, sizeof *trigger_of);
        const char **mention_code = calloc(s->ntok + 1, sizeof *mention_code);
        if (!trigger_of || !mention_code) {
            free(trigger_of);
            free(mention_code);
            cli_error("out of memory");
            status = EXIT_FATAL;
            goto out;
        }
        for (size_t q = k; q < e; q++) {
            const code_note *n = &ns.v[q].n;
            if (n->kind == NOTE_PATTERN && n->cue_start < s->ntok)
                trigger_of[n->cue_start] = 1;
            if (n->kind == NOTE_MENTION && n->start < s->ntok && n->ncodes)
                mention_code[n->start] = n->codes[0];
        }
        view w = {doc, s, doc->toks + s->tok, si, &ns, k, e, &st, verbose, trigger_of,
                  mention_code};
        if (json) {
            if (!first)
                fputc(',', f);
            json_sentence(f, doc, &w);
        } else {
            if (!first)
                fputs("\n", f);
            text_sentence(f, doc, &w);
        }
        first = 0;
        free(trigger_of);
        free(mention_code);
        k = e;
    }
    if (json) {
        /* the sentences after a story discard are not coded, so not listed */
        fputs("],\"story_discarded\":", f);
        if (story_discard) {
            fprintf(f, "{\"sentence\":%u,\"rule\":", story_discard->sent);
            jstr(f, story_discard->rule);
            fputc('}', f);
        } else
            fputs("null", f);
        fputs("}\n", f);
    }
    if (fflush(stdout) != 0 || ferror(stdout)) {
        cli_error("writing output failed");
        status = EXIT_FATAL;
    }
out:
    free(ns.v);
    arena_free(&ns.mem);
    dyad_doc_free(doc);
    dyad_model_free(model);
    dyad_dict_free(d);
    free(text);
    return status;
}
