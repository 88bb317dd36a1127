/*
 * split.c - sentence boundaries over the token stream (design in text.h).
 *
 * Decisions use only the tokens around a candidate boundary:
 *   - . ! ? ... and abbreviations ending in a period are candidates;
 *   - closing quotes and brackets right after the candidate belong to the
 *     sentence that ends ("... ruled out.”" keeps its quote);
 *   - the sentence goes on when the next word starts in lower case
 *     ("'...?' she asked"), or when an abbreviation is a title ("Dr. Smith")
 *     or is not followed by a typical sentence opener ("the U.S. Army");
 *   - a blank line always ends a sentence (headlines, datelines, lists).
 */
#include "text/text.h"

#include <string.h>

static int is_terminal(const token *t)
{
    const char *s = t->norm;
    if (strcmp(s, "\xe2\x80\xa6") == 0) /* … */
        return 1;
    if (s[0] == '.' || s[0] == '!' || s[0] == '?') {
        for (const char *p = s; *p; p++)
            if (*p != '.' && *p != '!' && *p != '?')
                return 0;
        return 1;
    }
    return 0;
}

static int is_ellipsis(const token *t)
{
    return strcmp(t->norm, "\xe2\x80\xa6") == 0 || strncmp(t->norm, "..", 2) == 0;
}

static int is_closer(const token *t, const token *prev)
{
    const char *s = t->norm;
    if (strcmp(s, ")") == 0 || strcmp(s, "]") == 0 || strcmp(s, "}") == 0 ||
        strcmp(s, "''") == 0)
        return 1;
    /* norm folds curly quotes to ASCII; use the form to tell opening from closing */
    if (strcmp(t->form, "\xe2\x80\x9d") == 0 || strcmp(t->form, "\xe2\x80\x99") == 0 ||
        strcmp(t->form, "\xc2\xbb") == 0)
        return 1;
    /* a straight quote glued to the terminal closes the sentence's quotation */
    if ((strcmp(s, "\"") == 0 || strcmp(s, "'") == 0) && !(prev->flags & TOK_SPACE_AFTER))
        return 1;
    return 0;
}

/* Titles: an abbreviation that is never the end of a sentence. */
static int is_title_abbrev(const char *norm)
{
    static const char *const titles[] = {
        "mr.", "mrs.", "ms.", "messrs.", "dr.", "prof.", "gen.", "lt.", "col.", "maj.",
        "capt.", "cmdr.", "sgt.", "cpl.", "pvt.", "adm.", "gov.", "sen.", "sens.", "rep.",
        "reps.", "rev.", "hon.", "pres.", "supt.", "st.", "no.", "nos.", "vol.", "fig.",
        "pp.", "vs.", "cf.", "mt.", "ft.", NULL};
    for (const char *const *t = titles; *t; t++)
        if (strcmp(*t, norm) == 0)
            return 1;
    /* a single capital with a period is an initial: "J. Smith" */
    return norm[0] && norm[1] == '.' && norm[2] == '\0';
}

/* Words that typically open a sentence; after "U.S." or "Inc." they signal a boundary. */
static int is_opener(const char *norm)
{
    static const char *const openers[] = {
        "the", "a", "an", "he", "she", "it", "they", "we", "i", "you", "in", "on", "at",
        "but", "and", "this", "that", "these", "those", "there", "his", "her", "its",
        "their", "our", "if", "when", "while", "after", "before", "as", "for", "however",
        "meanwhile", "officials", "some", "many", "most", "no", "not", "what", "who", "why",
        "how", "earlier", "later", "last", "since", "despite", "according", NULL};
    for (const char *const *o = openers; *o; o++)
        if (strcmp(*o, norm) == 0)
            return 1;
    return 0;
}

static int starts_lower(const token *t)
{
    unsigned char c = (unsigned char)t->form[0];
    if (c >= 'a' && c <= 'z')
        return 1;
    return 0;
}

static int add_sentence(dyad_doc *doc, size_t first, size_t last)
{
    sentence *s = doc_add_sentence(doc);
    if (!s)
        return -1;
    s->tok = (uint32_t)first;
    s->ntok = (uint32_t)(last - first);
    s->start = doc->toks[first].start;
    s->end = doc->toks[last - 1].end;
    return 0;
}

int text_split(dyad_doc *doc)
{
    size_t n = doc->ntoks, first = 0, i = 0;
    token *t = doc->toks;
    while (i < n) {
        size_t end = 0; /* one past the sentence's last token, 0 = no boundary here */
        if (i + 1 < n && (t[i + 1].flags & TOK_PARA_START))
            end = i + 1;
        int candidate = is_terminal(&t[i]) ||
                        ((t[i].flags & TOK_ABBREV) && !is_title_abbrev(t[i].norm));
        if (!end && candidate) {
            size_t j = i + 1;
            while (j < n && !(t[j].flags & TOK_PARA_START) && is_closer(&t[j], &t[j - 1]))
                j++;
            int glued = !(t[j - 1].flags & TOK_SPACE_AFTER) && t[j].start == t[j - 1].end;
            if (j >= n || (t[j].flags & TOK_PARA_START)) {
                end = j;
            } else if (glued || is_terminal(&t[j])) {
                /* "J.Aron", "Newsfeeds.Com", "...@gmail.com": no space, no
                 * boundary; "(gone?)." ends at the final period instead */
            } else if (t[i].flags & TOK_ABBREV) {
                if ((t[j].flags & TOK_UPPER) && is_opener(t[j].norm))
                    end = j;
            } else if (!starts_lower(&t[j])) {
                end = j;
            } else if (j == i + 1 && !is_ellipsis(&t[i])) {
                /* "sounds good. see you" - web text drops capitals; a
                 * lower-case word after a quote ("...?" she asked) or an
                 * ellipsis goes on */
                end = j;
            }
        }
        if (!end && i + 1 - first >= TEXT_MAX_SENT_TOKENS)
            end = i + 1;
        if (end) {
            if (add_sentence(doc, first, end))
                return -1;
            first = end;
            i = end;
            continue;
        }
        i++;
    }
    if (first < n && add_sentence(doc, first, n))
        return -1;
    return 0;
}
