/*
 * tokenize.c - UD-English tokenizer with byte offsets (design in text.h).
 *
 * One left-to-right pass.  At each position we decide the kind of the next
 * token from its first character and a little look-ahead:
 *   URL / e-mail  - kept whole, trailing sentence punctuation trimmed;
 *   word          - letters, digits and marks, with joiners inside a word:
 *                   apostrophes (clitics are split afterwards), periods in
 *                   abbreviations (U.S., e.g.), digit separators (1,000.5
 *                   10:30 8/9/2025), '&' between capitals (AT&T);
 *   punctuation   - one character, except runs of dots ("...") and dashes.
 * Hyphens between words are separate tokens, as in UD English EWT.
 */
#include "text/text.h"

#include <string.h>
#include <utf8proc.h>

static int is_space_cp(int32_t c)
{
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f')
        return 1;
    if (c < 0x80)
        return 0;
    if (c == 0x200B || c == 0xFEFF || c == 0x200E || c == 0x200F || c == 0x00AD)
        return 1; /* zero-width and direction marks, soft hyphen: invisible separators */
    utf8proc_category_t cat = utf8proc_category(c);
    return cat == UTF8PROC_CATEGORY_ZS || cat == UTF8PROC_CATEGORY_ZL ||
           cat == UTF8PROC_CATEGORY_ZP;
}

static int is_word_cp(int32_t c)
{
    if (c < 0x80)
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
    switch (utf8proc_category(c)) {
    case UTF8PROC_CATEGORY_LU: case UTF8PROC_CATEGORY_LL: case UTF8PROC_CATEGORY_LT:
    case UTF8PROC_CATEGORY_LM: case UTF8PROC_CATEGORY_LO: case UTF8PROC_CATEGORY_MN:
    case UTF8PROC_CATEGORY_MC: case UTF8PROC_CATEGORY_ME: case UTF8PROC_CATEGORY_ND:
    case UTF8PROC_CATEGORY_NL: case UTF8PROC_CATEGORY_NO:
        return 1;
    default:
        return 0;
    }
}

static int is_letter_cp(int32_t c)
{
    if (c < 0x80)
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    return is_word_cp(c) && utf8proc_category(c) != UTF8PROC_CATEGORY_ND;
}

static int is_digit_cp(int32_t c) { return c >= '0' && c <= '9'; }
static int is_upper_cp(int32_t c)
{
    if (c < 0x80)
        return c >= 'A' && c <= 'Z';
    return utf8proc_category(c) == UTF8PROC_CATEGORY_LU ||
           utf8proc_category(c) == UTF8PROC_CATEGORY_LT;
}

static int is_apostrophe(int32_t c) { return c == '\'' || c == 0x2019; }

/* Code point at byte i, or -1 past the end; *w gets its byte length. */
static int32_t peek(const char *s, size_t n, size_t i, size_t *w)
{
    if (i >= n) {
        *w = 0;
        return -1;
    }
    size_t j = i;
    int32_t c = utf8_next(s, n, &j);
    *w = j - i;
    return c;
}

char *text_normalize(arena *a, const char *s, size_t n)
{
    /* Output is never longer than the input: every folding maps a code point
     * to one of equal or shorter encoding (ASCII quotes, lower case of the
     * same length class); where utf8proc's lower case would be longer we keep
     * the original character. */
    char *out = arena_alloc(a, n + 1);
    if (!out)
        return NULL;
    size_t i = 0, o = 0;
    while (i < n) {
        unsigned char b = (unsigned char)s[i];
        if (b < 0x80) {
            out[o++] = (b >= 'A' && b <= 'Z') ? (char)(b + 32) : (char)b;
            i++;
            continue;
        }
        size_t start = i;
        int32_t c = utf8_next(s, n, &i);
        size_t w = i - start;
        int32_t f;
        if (c == 0x2018 || c == 0x2019 || c == 0x201B || c == 0x2032)
            f = '\'';
        else if (c == 0x201C || c == 0x201D || c == 0x201E || c == 0x201F || c == 0x2033 ||
                 c == 0x00AB || c == 0x00BB)
            f = '"';
        else if (c == 0x2010 || c == 0x2011)
            f = '-';
        else
            f = utf8proc_tolower(c);
        utf8proc_uint8_t buf[4];
        utf8proc_ssize_t fw = utf8proc_encode_char(f, buf);
        if (fw <= 0 || (size_t)fw > w) {
            memcpy(out + o, s + start, w);
            o += w;
        } else {
            memcpy(out + o, buf, (size_t)fw);
            o += (size_t)fw;
        }
    }
    out[o] = '\0';
    return out;
}

/* Abbreviations that keep their final period (lower case, without the period). */
static const char *const ABBREVIATIONS[] = {
    "mr", "mrs", "ms", "messrs", "dr", "prof", "gen", "lt", "col", "maj", "capt", "cmdr",
    "sgt", "cpl", "pvt", "adm", "gov", "sen", "sens", "rep", "reps", "rev", "st", "ste", "jr",
    "sr", "inc", "corp", "ltd", "co", "bros", "plc", "llc", "vs", "etc", "jan", "feb", "mar",
    "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec", "mon", "tue", "tues",
    "wed", "thu", "thur", "thurs", "fri", "sat", "sun", "no", "nos", "vol", "pp", "fig",
    "dept", "univ", "assn", "mt", "ft", "ave", "blvd", "rd", "hon", "pres", "supt", "est",
    "approx", "min", "max", "al", "cf", "viz", "ca", "pct", "yr", "yrs", "hr", "hrs",
    "ariz", "calif", "colo", "conn", "fla", "ill", "ind", "kan", "mass", "mich", "minn",
    "miss", "nev", "okla", "ore", "penn", "tenn", "tex", "va", "wash", "wis", "wyo", NULL};

static int is_abbreviation(const char *s, size_t n)
{
    if (n == 0 || n > 8)
        return 0;
    char low[9];
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        if (c >= 'A' && c <= 'Z')
            c = (char)(c + 32);
        if (!(c >= 'a' && c <= 'z'))
            return 0;
        low[i] = c;
    }
    low[n] = '\0';
    for (const char *const *a = ABBREVIATIONS; *a; a++)
        if (strcmp(*a, low) == 0)
            return 1;
    return 0;
}

typedef struct tokenizer {
    dyad_doc *doc;
    const char *s;
    size_t n;
    int pending_flags; /* PARA_START / LINE_START for the next token */
} tokenizer;

static int emit(tokenizer *tz, size_t start, size_t end, int flags)
{
    token *t = doc_add_token(tz->doc);
    if (!t)
        return -1;
    t->start = (uint32_t)start;
    t->end = (uint32_t)end;
    t->head = -2;
    t->form = arena_strndup(&tz->doc->mem, tz->s + start, end - start);
    t->norm = text_normalize(&tz->doc->mem, tz->s + start, end - start);
    if (!t->form || !t->norm)
        return -1;
    size_t w;
    int32_t c = peek(tz->s, tz->n, start, &w);
    t->flags = (uint8_t)(flags | tz->pending_flags);
    if (is_upper_cp(c))
        t->flags |= TOK_UPPER;
    for (size_t i = start; i < end;) {
        int32_t d = utf8_next(tz->s, end, &i);
        if (is_word_cp(d)) {
            t->flags |= TOK_WORD;
            break;
        }
    }
    tz->pending_flags = 0;
    if (end < tz->n) {
        int32_t nx = peek(tz->s, tz->n, end, &w);
        if (is_space_cp(nx))
            t->flags |= TOK_SPACE_AFTER;
    }
    return 0;
}

static int ieq(const char *s, size_t n, const char *lit)
{
    size_t m = strlen(lit);
    if (n != m)
        return 0;
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        if (c >= 'A' && c <= 'Z')
            c = (char)(c + 32);
        if (c != lit[i])
            return 0;
    }
    return 1;
}

/* Words written without their apostrophe that UD still splits ("dont" -> do nt). */
static size_t unapostrophed_split(const char *s, size_t n)
{
    static const char *const forms[] = {"dont", "doesnt", "didnt", "isnt", "wasnt", "arent",
                                        "werent", "couldnt", "wouldnt", "shouldnt", "havent",
                                        "hasnt", "hadnt", "aint", NULL};
    for (const char *const *f = forms; *f; f++)
        if (ieq(s, n, *f))
            return n - 2;
    if (ieq(s, n, "cannot"))
        return 3;
    if (ieq(s, n, "gonna") || ieq(s, n, "wanna") || ieq(s, n, "gotta"))
        return 3;
    return 0;
}

/* Emits a word, splitting off English clitics the way UD does. */
static int emit_word(tokenizer *tz, size_t start, size_t end, int flags)
{
    const char *s = tz->s;
    size_t n = end - start;
    /* find the last apostrophe of the word */
    size_t apo = SIZE_MAX, apow = 0;
    for (size_t i = start; i < end;) {
        size_t b = i;
        int32_t c = utf8_next(s, end, &i);
        if (is_apostrophe(c)) {
            apo = b;
            apow = i - b;
        }
    }
    if (apo != SIZE_MAX && apo > start) {
        const char *tail = s + apo + apow;
        size_t tn = end - (apo + apow);
        /* n't: the n belongs to the clitic */
        if (tn == 1 && (tail[0] == 't' || tail[0] == 'T') && apo - start >= 2 &&
            (s[apo - 1] == 'n' || s[apo - 1] == 'N')) {
            if (emit(tz, start, apo - 1, flags) || emit(tz, apo - 1, end, flags | TOK_CLITIC))
                return -1;
            return 0;
        }
        if (ieq(tail, tn, "s") || ieq(tail, tn, "re") || ieq(tail, tn, "ve") ||
            ieq(tail, tn, "ll") || ieq(tail, tn, "d") || ieq(tail, tn, "m")) {
            if (emit(tz, start, apo, flags) || emit(tz, apo, end, flags | TOK_CLITIC))
                return -1;
            return 0;
        }
    }
    size_t cut = unapostrophed_split(s + start, n);
    if (cut) {
        if (emit(tz, start, start + cut, flags) || emit(tz, start + cut, end, flags | TOK_CLITIC))
            return -1;
        return 0;
    }
    return emit(tz, start, end, flags);
}

static int starts_with_ci(const char *s, size_t n, const char *lit)
{
    size_t m = strlen(lit);
    if (n < m)
        return 0;
    return ieq(s, m, lit);
}

/* Length of a URL starting at s[i], or 0. */
static size_t scan_url(const char *s, size_t n, size_t i)
{
    if (!starts_with_ci(s + i, n - i, "http://") && !starts_with_ci(s + i, n - i, "https://") &&
        !starts_with_ci(s + i, n - i, "www."))
        return 0;
    size_t j = i;
    while (j < n) {
        size_t w;
        int32_t c = peek(s, n, j, &w);
        if (is_space_cp(c) || c == '"' || c == '<' || c == '>' || c == 0x201C || c == 0x201D)
            break;
        j += w;
    }
    /* trim trailing sentence punctuation */
    while (j > i && strchr(".,;:!?)]}'", s[j - 1]))
        j--;
    return j - i > 4 ? j - i : 0;
}

/* End of a word starting at i (letters, digits, marks and in-word joiners). */
static size_t scan_word(const char *s, size_t n, size_t i, int *has_inner_period)
{
    size_t j = i;
    int32_t prev = -1;
    size_t seg_letters = 0; /* letters since the last period, for U.S.-style abbreviations */
    *has_inner_period = 0;
    while (j < n) {
        size_t w;
        int32_t c = peek(s, n, j, &w);
        if (is_word_cp(c)) {
            seg_letters++;
            prev = c;
            j += w;
            continue;
        }
        size_t w2;
        int32_t nx = peek(s, n, j + w, &w2);
        if (is_apostrophe(c) && is_letter_cp(prev) && is_letter_cp(nx)) {
            prev = c;
            j += w;
            continue;
        }
        if ((c == ',' || c == '.' || c == ':' || c == '/') && is_digit_cp(prev) &&
            is_digit_cp(nx)) {
            prev = c;
            j += w;
            continue;
        }
        if (c == '.' && is_letter_cp(prev) && seg_letters == 1 && is_letter_cp(nx)) {
            /* U.S, e.g, a.m: single letters separated by periods */
            size_t w3;
            int32_t nn = peek(s, n, j + w + w2, &w3);
            if (nn == '.' || !is_word_cp(nn)) {
                *has_inner_period = 1;
                seg_letters = 0;
                prev = c;
                j += w;
                continue;
            }
        }
        if (c == '&' && is_upper_cp(prev) && is_upper_cp(nx)) {
            prev = c;
            j += w;
            continue;
        }
        if (c == '@' && prev != -1 && is_word_cp(nx)) {
            /* e-mail: user@host.domain */
            size_t k = j + w;
            int dot = 0;
            while (k < n) {
                size_t wk;
                int32_t ck = peek(s, n, k, &wk);
                if (is_word_cp(ck) || ck == '-' || ck == '_')
                    k += wk;
                else if (ck == '.' && k + 1 < n && is_word_cp((unsigned char)s[k + 1])) {
                    dot = 1;
                    k += wk;
                } else
                    break;
            }
            if (dot)
                return k;
        }
        break;
    }
    return j;
}

int text_tokenize(dyad_doc *doc)
{
    tokenizer tz = {doc, doc->text, doc->len, TOK_PARA_START | TOK_LINE_START};
    const char *s = doc->text;
    size_t n = doc->len, i = 0;
    int newlines = 0;
    while (i < n) {
        size_t w;
        int32_t c = peek(s, n, i, &w);
        if (is_space_cp(c)) {
            if (c == '\n' || c == 0x2029) {
                newlines++;
                tz.pending_flags |= TOK_LINE_START;
                if (newlines >= 2 || c == 0x2029)
                    tz.pending_flags |= TOK_PARA_START;
            }
            i += w;
            continue;
        }
        newlines = 0;
        size_t u = scan_url(s, n, i);
        if (u) {
            if (emit(&tz, i, i + u, TOK_WORD))
                return -1;
            i += u;
            continue;
        }
        if (is_word_cp(c)) {
            int inner;
            size_t j = scan_word(s, n, i, &inner);
            int flags = 0;
            if (j < n && s[j] == '.') {
                int after_word = j + 1 < n && is_word_cp((unsigned char)s[j + 1]);
                if (!after_word && (inner || is_abbreviation(s + i, j - i) ||
                                    (j - i == 1 && is_upper_cp(c)))) {
                    j++; /* keep the period: U.S.  Dr.  J. */
                    flags = TOK_ABBREV;
                }
            }
            if (flags == TOK_ABBREV || inner) {
                if (emit(&tz, i, j, flags))
                    return -1;
            } else if (emit_word(&tz, i, j, 0)) {
                return -1;
            }
            i = j;
            continue;
        }
        /* punctuation and symbols */
        size_t j = i + w;
        if (c == '.' || c == '-' || c == '!' || c == '?') {
            /* runs: "..." "--" "?!" */
            while (j < n && (s[j] == (char)c || ((c == '!' || c == '?') &&
                                                  (s[j] == '!' || s[j] == '?'))))
                j++;
        } else if ((c == '\'' || c == '`') && j < n && s[j] == (char)c) {
            j++; /* '' and `` are quote tokens of two characters */
        }
        if (emit(&tz, i, j, 0))
            return -1;
        i = j;
    }
    return 0;
}
