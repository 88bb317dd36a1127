/*
 * main.c - the dyad command: dispatches to one subcommand per file.
 */
#include "cli/cli.h"
#include "dyad.h"

#include <limits.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

const command COMMANDS[] = {
    {"code", cmd_code, "code documents into events (JSON Lines or TSV)", usage_code},
    {"eval", cmd_eval, "score coded events against gold records", usage_eval},
    {"parse", cmd_parse, "tag and parse text into CoNLL-U; --eval scores it", usage_parse},
    {"train", cmd_train, "train the tagger or the parser on a treebank", usage_train},
    {"ingest", cmd_ingest, "code a corpus into the event store (SQLite or PostgreSQL)", usage_ingest},
    {"events", cmd_events, "list stored events with filters (JSONL, CSV, TSV, GDELT, Phoenix)", usage_events},
    {"series", cmd_series, "a dyad's events per day/week/month by quad class; --plot draws it", usage_series},
    {"alerts", cmd_alerts, "periods where a dyad turns sharply toward conflict", usage_alerts},
    {"serve", cmd_serve, "HTTP API and dashboard over a store (docs/api.md)", usage_serve},
    {"dict", cmd_dict, "check a dictionary set: malformed lines, conflicts, overlapping dates", usage_dict},
    {"explain", cmd_explain, "show how a sentence is coded: tags, tree, actors, patterns, modality", usage_explain},
    {"actors", cmd_actors, "--unknown: frequent names in subject/object position no dictionary knows", usage_actors},
    {"version", cmd_version, "print the version", usage_version},
    {"help", cmd_help, "show help for dyad or one command", usage_help},
    {NULL, NULL, NULL, NULL},
};

void cli_error(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fputs("dyad: ", stderr);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
}

/* A data directory: $ENV, else SUB next to the executable's build tree
 * (build/dyad, build/san/dyad) or in the installed share/dyad; the first
 * that holds the probe file.  buf receives the path. */
static const char *find_data_dir(char *buf, size_t cap, const char *env, const char *sub,
                                 const char *probe)
{
    const char *e = getenv(env);
    if (e && *e)
        return e;
    char exe[PATH_MAX];
    ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (n > 0) {
        exe[n] = '\0';
        char *slash = strrchr(exe, '/');
        if (slash) {
            *slash = '\0';
            static const char *const rel[] = {"/../data/", "/../../data/", "/../share/dyad/"};
            for (size_t i = 0; i < sizeof rel / sizeof rel[0]; i++) {
                char probe_path[PATH_MAX + 256];
                snprintf(buf, cap, "%s%s%s", exe, rel[i], sub);
                snprintf(probe_path, sizeof probe_path, "%s/%s", buf, probe);
                if (access(probe_path, R_OK) == 0)
                    return buf;
            }
        }
    }
    snprintf(buf, cap, "data/%s", sub);
    return buf;
}

const char *default_dict_dir(void)
{
    static char buf[PATH_MAX + 64];
    return find_data_dir(buf, sizeof buf, "DYAD_DICT", "dict", "actors.dict");
}

const char *cli_model_dir(void)
{
    static char buf[PATH_MAX + 64];
    return find_data_dir(buf, sizeof buf, "DYAD_MODELS", "models", "parser.bin");
}

int cmd_version(int argc, char **argv)
{
    if (argc > 1 && (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0)) {
        usage_version(stdout);
        return EXIT_OK;
    }
    printf("dyad %s\n", DYAD_VERSION);
    return EXIT_OK;
}

void usage_version(FILE *f) { fputs("usage: dyad version\n\nPrints dyad's version.\n", f); }

void usage_help(FILE *f)
{
    fputs("usage: dyad help [COMMAND]\n\nLists the commands, or shows one command's help.\n",
          f);
}

static void usage_main(FILE *f)
{
    fputs("usage: dyad COMMAND [OPTIONS] [ARGS]\n\n"
          "dyad turns news text into who-did-what-to-whom event records (CAMEO/PLOVER).\n\n"
          "Commands:\n",
          f);
    for (const command *c = COMMANDS; c->name; c++)
        fprintf(f, "  %-10s %s\n", c->name, c->summary);
    fputs("\nRun 'dyad COMMAND --help' for a command's options.\n", f);
}

int cmd_help(int argc, char **argv)
{
    if (argc < 2) {
        usage_main(stdout);
        return EXIT_OK;
    }
    if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
        usage_help(stdout);
        return EXIT_OK;
    }
    for (const command *c = COMMANDS; c->name; c++)
        if (strcmp(c->name, argv[1]) == 0) {
            c->usage(stdout);
            return EXIT_OK;
        }
    cli_error("no such command '%s' (see 'dyad help')", argv[1]);
    return EXIT_USAGE;
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        usage_main(stderr);
        return EXIT_USAGE;
    }
    const char *name = argv[1];
    if (strcmp(name, "--help") == 0 || strcmp(name, "-h") == 0)
        name = "help";
    if (strcmp(name, "--version") == 0)
        name = "version";
    for (const command *c = COMMANDS; c->name; c++)
        if (strcmp(c->name, name) == 0)
            return c->run(argc - 1, argv + 1);
    cli_error("no such command '%s' (see 'dyad help')", argv[1]);
    return EXIT_USAGE;
}
