/*
 * options.c - the option values several subcommands share, checked in one
 * place so that `dyad code`, `parse`, `explain` and `actors` accept the same
 * words and answer a bad one with the same message; and the model loading of
 * the commands that parse (-M DIR, --accurate).
 */
#include "cli/cli.h"

#include "core/doc.h"
#include "dyad.h"
#include "io/reader.h"

#include <string.h>

int cli_opt_input(const char *arg, int *input)
{
    if (strcmp(arg, "auto") == 0)
        *input = READ_AUTO;
    else if (strcmp(arg, "jsonl") == 0)
        *input = READ_JSONL;
    else if (strcmp(arg, "text") == 0)
        *input = READ_TEXT;
    else {
        cli_error("--input must be auto, jsonl or text, not '%s'", arg);
        return -1;
    }
    return 0;
}

int cli_opt_dict_format(const char *arg, int *petrarch)
{
    if (strcmp(arg, "native") == 0)
        *petrarch = 0;
    else if (strcmp(arg, "petrarch") == 0)
        *petrarch = 1;
    else {
        cli_error("--dict-format must be native or petrarch, not '%s'", arg);
        return -1;
    }
    return 0;
}

int cli_opt_date(const char *name, const char *arg)
{
    if (!date_parse(arg, strlen(arg))) {
        cli_error("--%s '%s' is not a valid YYYY-MM-DD date", name, arg);
        return -1;
    }
    return 0;
}

int cli_opt_accurate(int accurate, int no_parse)
{
    if (accurate && no_parse) {
        cli_error("--accurate chooses a parser; it cannot go with --no-parse");
        return -1;
    }
    return 0;
}

dyad_model *cli_models_load(const char *dir, int accurate, char *err, size_t errlen)
{
    return dyad_model_open(dir ? dir : cli_model_dir(), accurate ? DYAD_MODEL_ACCURATE : 0, err,
                           errlen);
}
