/*
 * score.c - event matching and the evaluation report (see score.h).
 */
#include "eval/score.h"
#include "dyad.h"

#include <stdlib.h>
#include <string.h>

static tally *group(tally *arr, size_t *n, const char *name)
{
    for (size_t i = 0; i < *n; i++)
        if (strcmp(arr[i].name, name) == 0)
            return &arr[i];
    if (*n == SCORE_MAX_GROUPS)
        return &arr[SCORE_MAX_GROUPS - 1]; /* overflow bucket: keeps totals right */
    tally *t = &arr[(*n)++];
    memset(t, 0, sizeof *t);
    snprintf(t->name, sizeof t->name, "%s", name);
    return t;
}

static void root_of(const char *code, char out[4])
{
    snprintf(out, 4, "%.2s", code);
}

void score_record(scoreboard *sb, const gold_record *r, const pred_event *pred, size_t npred,
                  FILE *report)
{
    sb->records++;
    tally *cat = group(sb->cats, &sb->ncats, r->category && *r->category ? r->category : "-");
    if (r->error) {
        sb->errors_expected++;
        if (npred == 0) {
            sb->errors_rejected++;
            sb->records_exact++;
        } else {
            for (size_t i = 0; i < npred; i++) {
                sb->total.fp++;
                cat->fp++;
                char rt[4];
                root_of(pred[i].code, rt);
                group(sb->roots, &sb->nroots, rt)->fp++;
            }
            if (report)
                fprintf(report, "%s (line %ld): should be rejected (%s) but coded %zu event(s)\n",
                        r->id, r->line, r->error, npred);
        }
        return;
    }
    unsigned char used[256] = {0};
    size_t np = npred < sizeof used ? npred : sizeof used;
    size_t misses = 0, hits = 0;
    int header = 0;
    for (size_t g = 0; g < r->nevents; g++) {
        const gold_event *ge = &r->events[g];
        char rt[4];
        root_of(ge->code, rt);
        tally *root = group(sb->roots, &sb->nroots, rt);
        size_t k = 0;
        for (; k < np; k++)
            if (!used[k] && strcmp(pred[k].source, ge->source) == 0 &&
                strcmp(pred[k].target, ge->target) == 0 && gold_code_matches(ge->code, pred[k].code) &&
                (!ge->event_date || (pred[k].event_date &&
                                     strcmp(ge->event_date, pred[k].event_date) == 0)) &&
                (ge->modality == 0 || ge->modality - 1 == pred[k].modality))
                break;
        if (k < np) {
            used[k] = 1;
            sb->total.tp++;
            cat->tp++;
            root->tp++;
            hits++;
        } else {
            sb->total.fn++;
            cat->fn++;
            root->fn++;
            misses++;
            if (report) {
                if (!header++)
                    fprintf(report, "%s (line %ld): %.200s%s\n", r->id, r->line, r->text, strlen(r->text) > 200 ? "..." : "");
                fprintf(report, "  miss  %s>%s %s%s%s%s%s\n", ge->source, ge->target, ge->code,
                        ge->event_date ? " on " : "", ge->event_date ? ge->event_date : "",
                        ge->modality ? " " : "",
                        ge->modality ? dyad_modality_name((dyad_modality)(ge->modality - 1)) : "");
            }
        }
    }
    size_t extras = 0, forbidden_hits = 0;
    for (size_t k = 0; k < npred; k++) {
        if (k < np && used[k])
            continue;
        extras++;
        char rt[4];
        root_of(pred[k].code, rt);
        sb->total.fp++;
        cat->fp++;
        group(sb->roots, &sb->nroots, rt)->fp++;
        int forbidden = 0;
        /* absent events match by actor prefix: "USA" covers USAGOV, USAMIL */
        for (size_t a = 0; a < r->nabsent; a++)
            if (strncmp(r->absent[a].source, pred[k].source, strlen(r->absent[a].source)) == 0 &&
                strncmp(r->absent[a].target, pred[k].target, strlen(r->absent[a].target)) == 0 &&
                gold_code_matches(r->absent[a].code, pred[k].code))
                forbidden = 1;
        forbidden_hits += forbidden;
        if (report) {
            if (!header++)
                fprintf(report, "%s (line %ld): %.200s%s\n", r->id, r->line, r->text, strlen(r->text) > 200 ? "..." : "");
            fprintf(report, "  extra %s>%s %s on %s %s%s\n", pred[k].source, pred[k].target,
                    pred[k].code, pred[k].event_date ? pred[k].event_date : "?",
                    dyad_modality_name((dyad_modality)pred[k].modality),
                    forbidden ? "  (listed as absent)" : "");
        }
    }
    if (!misses && !extras)
        sb->records_exact++;
    sb->absent_hits += forbidden_hits;
    (void)hits;
}

void score_quotes(scoreboard *sb, const gold_record *r, const pred_quote *pred, size_t npred,
                  FILE *report)
{
    if (!r->has_quotes)
        return;
    unsigned char used[256] = {0};
    size_t np = npred < sizeof used ? npred : sizeof used;
    for (size_t g = 0; g < r->nquotes; g++) {
        const gold_quote *gq = &r->quotes[g];
        size_t gl = strlen(gq->text), k = 0;
        for (; k < np; k++) {
            if (used[k] || strcmp(pred[k].speaker, gq->speaker) != 0 || gl > pred[k].len)
                continue;
            int found = 0;
            for (size_t off = 0; off + gl <= pred[k].len && !found; off++)
                found = memcmp(pred[k].text + off, gq->text, gl) == 0;
            if (found)
                break;
        }
        if (k < np) {
            used[k] = 1;
            sb->quotes.tp++;
        } else {
            sb->quotes.fn++;
            if (report)
                fprintf(report, "%s (line %ld): quote miss  %s: \"%s\"\n", r->id, r->line,
                        gq->speaker, gq->text);
        }
    }
    for (size_t k = 0; k < npred; k++)
        if (k >= np || !used[k]) {
            sb->quotes.fp++;
            if (report)
                fprintf(report, "%s (line %ld): quote extra %s: \"%.60s\"\n", r->id, r->line,
                        pred[k].speaker, pred[k].text);
        }
}

double tally_precision(const tally *t)
{
    return t->tp + t->fp ? (double)t->tp / (double)(t->tp + t->fp) : 1.0;
}

double tally_recall(const tally *t)
{
    return t->tp + t->fn ? (double)t->tp / (double)(t->tp + t->fn) : 1.0;
}

double tally_f1(const tally *t)
{
    double p = tally_precision(t), r = tally_recall(t);
    return p + r > 0 ? 2 * p * r / (p + r) : 0.0;
}

static void print_table(FILE *f, const char *title, const tally *arr, size_t n)
{
    fprintf(f, "\n%-16s %6s %6s %6s %9s %7s %6s\n", title, "tp", "fp", "fn", "precision",
            "recall", "f1");
    for (size_t i = 0; i < n; i++)
        fprintf(f, "%-16s %6zu %6zu %6zu %9.3f %7.3f %6.3f\n", arr[i].name, arr[i].tp, arr[i].fp,
                arr[i].fn, tally_precision(&arr[i]), tally_recall(&arr[i]), tally_f1(&arr[i]));
}

static int cmp_tally(const void *a, const void *b)
{
    return strcmp(((const tally *)a)->name, ((const tally *)b)->name);
}

void score_print(const scoreboard *sb, FILE *f)
{
    tally cats[SCORE_MAX_GROUPS], roots[SCORE_MAX_GROUPS];
    memcpy(cats, sb->cats, sb->ncats * sizeof *cats);
    memcpy(roots, sb->roots, sb->nroots * sizeof *roots);
    qsort(cats, sb->ncats, sizeof *cats, cmp_tally);
    qsort(roots, sb->nroots, sizeof *roots, cmp_tally);
    print_table(f, "category", cats, sb->ncats);
    print_table(f, "CAMEO root", roots, sb->nroots);
    fprintf(f, "\nrecords: %zu, coded exactly: %zu", sb->records, sb->records_exact);
    if (sb->errors_expected)
        fprintf(f, ", to be rejected: %zu (rejected: %zu)", sb->errors_expected,
                sb->errors_rejected);
    if (sb->absent_hits)
        fprintf(f, ", events listed as absent but coded: %zu", sb->absent_hits);
    if (sb->quotes.tp + sb->quotes.fp + sb->quotes.fn)
        fprintf(f, "\nquotes: tp=%zu fp=%zu fn=%zu precision=%.3f recall=%.3f f1=%.3f",
                sb->quotes.tp, sb->quotes.fp, sb->quotes.fn, tally_precision(&sb->quotes),
                tally_recall(&sb->quotes), tally_f1(&sb->quotes));
    fprintf(f, "\nevents: tp=%zu fp=%zu fn=%zu\n", sb->total.tp, sb->total.fp, sb->total.fn);
    fprintf(f, "events: precision=%.3f recall=%.3f f1=%.3f\n", tally_precision(&sb->total),
            tally_recall(&sb->total), tally_f1(&sb->total));
}
