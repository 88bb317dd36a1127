/*
 * convert.c - write a loaded dictionary in the native format (convert.h).
 *
 * Each entry becomes one line, in the order the loader produced them (the
 * source files' order), with its origin as a trailing comment:
 *
 *     AFG                     afghanistan   # Phoenix.Countries.actors.txt:45
 *     042:043                 accelerate ... to   # CAMEO.2.0.txt:718
 *
 * One line per entry rather than grouped phrases keeps every origin next to
 * its pattern; the files are larger but a reviewer can follow any line back.
 */
#define _XOPEN_SOURCE 700 /* mkdtemp-free temporaries: mkstemp, fdopen */

#include "dict/convert.h"
#include "dyad.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

enum { OUT_ACTORS, OUT_AGENTS, OUT_VERBS, OUT_NOUNS, OUT_DISCARDS, NOUT };
static const char *const OUT_NAME[NOUT] = {"actors.dict", "agents.dict", "verbs.dict",
                                           "nouns.dict", "discards.dict"};
static const char *const OUT_SECTION[NOUT] = {"[actors]", "[agents]", "[verbs]", "[nouns]",
                                              "[discards]"};

/* A word the native reader reads back as the same word (and not as syntax). */
static const char *word_problem(const char *w, int kind)
{
    size_t n = strlen(w);
    if (n == 0)
        return "an empty word";
    /* slots mean something only in verb and noun patterns ("OPEC+" is an actor) */
    if (strcmp(w, "...") == 0 || ((kind == ENT_VERB || kind == ENT_NOUN) &&
                                  (strcmp(w, "$") == 0 || strcmp(w, "+") == 0 || strcmp(w, "%") == 0)))
        return "a word that is pattern syntax ($ + % ...)";
    if ((w[0] == '&' && n > 1) || w[0] == '#' || w[0] == '"' || w[n - 1] == '*')
        return "a word that starts with & # \" or ends with *";
    if (strpbrk(w, "; \t\r\n") || strstr(w, ".."))
        return "a word holding ';', '..' or a blank";
    return NULL;
}

static void put_date(char *buf, size_t cap, int ymd)
{
    snprintf(buf, cap, "%04d-%02d-%02d", ymd / 10000, ymd / 100 % 100, ymd % 100);
}

/* The entry's phrase in native syntax into buf; NULL, or why it cannot be. */
static const char *phrase(const dyad_dict *d, const dict_entry *e, char *buf, size_t cap)
{
    int quoted = e->forms != NULL && (e->kind == ENT_ACTOR || e->kind == ENT_AGENT ||
                                      e->kind == ENT_DISCARD);
    for (int k = 0; quoted && k < e->nelem; k++)
        if (e->elem[k].kind != PAT_WORD || !e->forms[k])
            quoted = 0;
    int nverb = 0;
    for (int k = 0; k < e->nelem; k++)
        nverb += e->elem[k].kind == PAT_VERB;
    if (nverb > 1)
        return "more than one verb in a pattern";
    size_t n = 0;
    if (quoted)
        buf[n++] = '"';
    for (int k = 0; k < e->nelem; k++) {
        const pat_elem *p = &e->elem[k];
        const char *w = p->kind == PAT_GAP ? "..." : p->kind == PAT_SRC ? "$"
                        : p->kind == PAT_TGT ? "+" : p->kind == PAT_BOTH ? "%"
                        : quoted ? e->forms[k] : intern_str(&d->words, p->w);
        if (p->kind == PAT_WORD || p->kind == PAT_VERB) {
            const char *why = word_problem(w, e->kind);
            if (why)
                return why;
            if (quoted && strchr(w, '"'))
                return "a quoted word holding '\"'";
        }
        /* the verb is the first word, or marked with '*' */
        const char *star = p->kind == PAT_VERB && k > 0 ? "*" : "";
        /* a literal "+" ("OPEC+") is written glued to the word before it: on its
         * own the reader would take it for a slot; glued, the tokenizer splits it
         * off again as the word it was */
        int glue = p->kind == PAT_WORD && k > 0 &&
                   (strcmp(w, "$") == 0 || strcmp(w, "+") == 0 || strcmp(w, "%") == 0);
        /* so are clitics ("Turkey's" -> turkey 's): alone, "'s" reads as a quote */
        glue |= p->kind == PAT_WORD && k > 0 && e->elem[k - 1].kind == PAT_WORD &&
                (w[0] == '\'' || strcmp(w, "n't") == 0 || strncmp(w, "\xe2\x80\x99", 3) == 0);
        if (p->kind == PAT_WORD && k == 0 &&
            (strcmp(w, "$") == 0 || strcmp(w, "+") == 0 || strcmp(w, "%") == 0))
            return "a phrase that starts with $, + or %";
        /* an initial is written as one ("J."): lower-cased, the tokenizer
         * would split "j." into a word and a full stop */
        char initial[3];
        if (p->kind == PAT_WORD && w[0] >= 'a' && w[0] <= 'z' && w[1] == '.' && !w[2]) {
            initial[0] = (char)(w[0] - 'a' + 'A');
            initial[1] = '.';
            initial[2] = '\0';
            w = initial;
        }
        int m = snprintf(buf + n, cap > n ? cap - n : 0, "%s%s%s", k && !glue ? " " : "", w, star);
        if (m < 0 || (size_t)m >= cap - n)
            return "a pattern too long to write";
        n += (size_t)m;
    }
    if (quoted) {
        if (n + 2 > cap)
            return "a pattern too long to write";
        buf[n++] = '"';
        buf[n] = '\0';
    }
    return NULL;
}

static void line(FILE *f, const char *code, const char *ph, const char *rule)
{
    fprintf(f, "%-23s %s", code, ph);
    if (rule && *rule)
        fprintf(f, "   # %s", rule);
    fputc('\n', f);
}

/* Writes one entry; NULL, or why it was skipped. */
static const char *write_entry(const dyad_dict *d, const dict_entry *e, FILE **out,
                               dict_convert_stats *st)
{
    char ph[4096];
    const char *why = phrase(d, e, ph, sizeof ph);
    if (why)
        return why;
    int has_verb = 0;
    for (int k = 0; k < e->nelem; k++)
        has_verb |= e->elem[k].kind == PAT_VERB;
    switch (e->kind) {
    case ENT_ACTOR:
    case ENT_AGENT:
        if (e->ncodes == 0)
            return "no code";
        for (uint32_t k = 0; k < e->ncodes; k++) {
            if (!dict_valid_actor_code(e->codes[k].code, strlen(e->codes[k].code)))
                return "an actor code outside [A-Z0-9]{2,30}";
            if (e->kind == ENT_AGENT && (e->codes[k].from || e->codes[k].to))
                return "a dated agent code (dates are for actors only)";
        }
        for (uint32_t k = 0; k < e->ncodes; k++) {
            const dict_code *c = &e->codes[k];
            char code[96], a[16] = "", b[16] = "";
            if (c->from)
                put_date(a, sizeof a, c->from);
            if (c->to)
                put_date(b, sizeof b, c->to);
            if (c->from || c->to)
                snprintf(code, sizeof code, "%s %s..%s", c->code, a, b);
            else
                snprintf(code, sizeof code, "%s", c->code);
            line(out[e->kind == ENT_ACTOR ? OUT_ACTORS : OUT_AGENTS], code, ph, e->rule);
            st->written[e->kind]++;
        }
        return NULL;
    case ENT_VERB:
    case ENT_NOUN: {
        /* "" and "---" are both a null pattern */
        const char *ec = strcmp(e->code, "---") == 0 ? "" : e->code;
        const char *rc = strcmp(e->rcode, "---") == 0 ? "" : e->rcode;
        if ((ec[0] && !dyad_cameo_lookup(ec)) || (rc[0] && !dyad_cameo_lookup(rc)))
            return "an event code the CAMEO table lacks";
        char code[32];
        snprintf(code, sizeof code, "%s%s%s", ec[0] ? ec : "---", rc[0] ? ":" : "", rc);
        /* a verb entry without a verb (a phrase of literal words) is a noun pattern */
        int to = e->kind == ENT_VERB && has_verb ? OUT_VERBS : OUT_NOUNS;
        if (to == OUT_NOUNS && has_verb)
            return "a noun pattern with an inflected verb";
        line(out[to], code, ph, e->rule);
        st->written[to == OUT_VERBS ? ENT_VERB : ENT_NOUN]++;
        return NULL;
    }
    case ENT_DISCARD:
        fprintf(out[OUT_DISCARDS], "%s", ph);
        if (e->rule && *e->rule)
            fprintf(out[OUT_DISCARDS], "   # %s", e->rule);
        fputc('\n', out[OUT_DISCARDS]);
        st->written[ENT_DISCARD]++;
        return NULL;
    default:
        return "an unknown entry kind";
    }
}

static int has_dict_files(const char *dir)
{
    DIR *dp = opendir(dir);
    if (!dp)
        return 0;
    struct dirent *de;
    int found = 0;
    while (!found && (de = readdir(dp))) {
        size_t n = strlen(de->d_name);
        found = n > 5 && strcmp(de->d_name + n - 5, ".dict") == 0;
    }
    closedir(dp);
    return found;
}

int dict_write_native(const dyad_dict *d, const char *outdir, const char *source, int force,
                      dict_convert_stats *st, dict_convert_skip_fn skip, void *ctx, char *err,
                      size_t errlen)
{
    memset(st, 0, sizeof *st);
    if (mkdir(outdir, 0755) && errno != EEXIST) {
        snprintf(err, errlen, "%s: cannot create: %s", outdir, strerror(errno));
        return -1;
    }
    if (!force && has_dict_files(outdir)) {
        snprintf(err, errlen, "%s: already holds *.dict files (choose another directory, or "
                              "--force to replace them)", outdir);
        return -1;
    }
    FILE *out[NOUT] = {0};
    char tmp[NOUT][4096];
    int rc = 0;
    for (int i = 0; i < NOUT; i++)
        tmp[i][0] = '\0';
    for (int i = 0; i < NOUT && rc == 0; i++) {
        if ((size_t)snprintf(tmp[i], sizeof tmp[i], "%s/.%s.XXXXXX", outdir, OUT_NAME[i]) >=
            sizeof tmp[i]) {
            snprintf(err, errlen, "%s: path too long", outdir);
            tmp[i][0] = '\0';
            rc = -1;
            break;
        }
        int fd = mkstemp(tmp[i]);
        if (fd < 0 || !(out[i] = fdopen(fd, "w"))) {
            snprintf(err, errlen, "%s: cannot create: %s", tmp[i], strerror(errno));
            if (fd >= 0)
                close(fd);
            unlink(tmp[i]);
            tmp[i][0] = '\0';
            rc = -1;
            break;
        }
        fprintf(out[i], "# %s - converted by dyad dict convert from %s.\n"
                        "# One entry per line; the comment names the line it came from.\n"
                        "%s\n",
                OUT_NAME[i], source ? source : "a dictionary", OUT_SECTION[i]);
    }
    for (size_t i = 0; i < d->nentries && rc == 0; i++) {
        const char *why = write_entry(d, &d->entries[i], out, st);
        if (why) {
            st->skipped++;
            if (skip)
                skip(ctx, &d->entries[i], why);
        }
    }
    for (int i = 0; i < NOUT; i++) {
        if (!out[i])
            continue;
        if (rc == 0 && (fflush(out[i]) || ferror(out[i]) || fsync(fileno(out[i])))) {
            snprintf(err, errlen, "%s: writing failed: %s", tmp[i], strerror(errno));
            rc = -1;
        }
        if (fclose(out[i]) && rc == 0) {
            snprintf(err, errlen, "%s: writing failed: %s", tmp[i], strerror(errno));
            rc = -1;
        }
    }
    for (int i = 0; i < NOUT; i++) {
        if (!tmp[i][0])
            continue;
        char final[4096];
        if (rc == 0) {
            snprintf(final, sizeof final, "%s/%s", outdir, OUT_NAME[i]);
            if (chmod(tmp[i], 0644) || rename(tmp[i], final)) {
                snprintf(err, errlen, "%s: cannot rename into place: %s", final, strerror(errno));
                rc = -1;
            } else {
                continue;
            }
        }
        unlink(tmp[i]);
    }
    return rc;
}
