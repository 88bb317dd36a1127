/*
 * lemma.c - rule part of the lemmatizer (the exception list is in tagger.c).
 *
 * English inflection is regular enough that a dozen suffix rules keyed on the
 * Penn tag cover most unseen words; the irregular and the ambiguous ("went",
 * "children", "making" vs "taking") are learned into the exception list from
 * the treebank, where they are frequent.  Rules work on the lower-cased word;
 * proper nouns, numbers and punctuation keep their form (UD EWT convention).
 */
#include "tag/tagger.h"
#include "tag/tagset.h"

#include <string.h>

static int ends(const char *w, size_t n, const char *suf)
{
    size_t m = strlen(suf);
    return n > m && memcmp(w + n - m, suf, m) == 0;
}

static int is_vowel(char c) { return c == 'a' || c == 'e' || c == 'i' || c == 'o' || c == 'u'; }

/* stem = w minus k bytes, plus add; undoubles "stopp" -> "stop" if asked. */
static const char *make(const char *w, size_t n, size_t k, const char *add, int undouble,
                        char *buf, size_t bufsize)
{
    size_t m = n - k, a = strlen(add);
    if (m + a + 1 > bufsize || m < 1)
        return NULL;
    memcpy(buf, w, m);
    if (undouble && m >= 3 && buf[m - 1] == buf[m - 2] && strchr("bdgmnprt", buf[m - 1]) &&
        !is_vowel(buf[m - 1]) && is_vowel(buf[m - 3]))
        m--;
    memcpy(buf + m, add, a);
    buf[m + a] = '\0';
    return buf;
}

const char *lemma_rule(const char *w, unsigned upos, unsigned xpos, char *buf, size_t bufsize)
{
    size_t n = strlen(w);
    const char *x = xpos_name(xpos);
    if (n < 3)
        return NULL;
    if (strcmp(x, "NNS") == 0 || strcmp(x, "VBZ") == 0) {
        if (ends(w, n, "ies") && n > 4)
            return make(w, n, 3, "y", 0, buf, bufsize);
        if (ends(w, n, "sses") || ends(w, n, "ches") || ends(w, n, "shes") ||
            ends(w, n, "xes") || ends(w, n, "zzes") || (xpos_name(xpos)[0] == 'V' && ends(w, n, "oes")))
            return make(w, n, 2, "", 0, buf, bufsize);
        if (ends(w, n, "s") && !ends(w, n, "ss") && !ends(w, n, "us") && !ends(w, n, "is"))
            return make(w, n, 1, "", 0, buf, bufsize);
        return NULL;
    }
    if (strcmp(x, "VBD") == 0 || strcmp(x, "VBN") == 0) {
        if (ends(w, n, "ied") && n > 4)
            return make(w, n, 3, "y", 0, buf, bufsize);
        if (ends(w, n, "eed"))
            return NULL;
        if (ends(w, n, "ed") && n > 3) {
            /* "used" "based" "caused": a silent e before -ed */
            if (n >= 4 && (ends(w, n, "sed") || ends(w, n, "ved") || ends(w, n, "zed") ||
                           ends(w, n, "ced") || ends(w, n, "ged") || ends(w, n, "ated") ||
                           ends(w, n, "uded") || ends(w, n, "ired") || ends(w, n, "ored") ||
                           ends(w, n, "ured")) &&
                !ends(w, n, "ssed"))
                return make(w, n, 1, "", 0, buf, bufsize);
            return make(w, n, 2, "", 1, buf, bufsize);
        }
        return NULL;
    }
    if (strcmp(x, "VBG") == 0) {
        if (ends(w, n, "ing") && n > 5) {
            if (ends(w, n, "ating") || ends(w, n, "ving") || ends(w, n, "izing") ||
                ends(w, n, "ucing") || ends(w, n, "uring") || ends(w, n, "iring"))
                return make(w, n, 3, "e", 0, buf, bufsize);
            return make(w, n, 3, "", 1, buf, bufsize);
        }
        return NULL;
    }
    if (strcmp(x, "JJR") == 0 || strcmp(x, "RBR") == 0) {
        if (ends(w, n, "ier") && n > 4)
            return make(w, n, 3, "y", 0, buf, bufsize);
        if (ends(w, n, "er") && n > 4)
            return make(w, n, 2, "", 1, buf, bufsize);
        return NULL;
    }
    if (strcmp(x, "JJS") == 0 || strcmp(x, "RBS") == 0) {
        if (ends(w, n, "iest") && n > 5)
            return make(w, n, 4, "y", 0, buf, bufsize);
        if (ends(w, n, "est") && n > 5)
            return make(w, n, 3, "", 1, buf, bufsize);
        return NULL;
    }
    (void)upos;
    return NULL;
}
