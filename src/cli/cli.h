/*
 * cli.h - shared pieces of the dyad command (one file per subcommand, as git).
 */
#ifndef DYAD_CLI_H
#define DYAD_CLI_H

#include <stddef.h>
#include <stdio.h>

/* Exit statuses, documented in docs/cli.md. */
enum {
    EXIT_OK = 0,
    EXIT_REJECTED = 1, /* some input was rejected; the rest was processed */
    EXIT_USAGE = 2,    /* bad command line */
    EXIT_FATAL = 3     /* could not run at all: dictionaries, memory, output */
};

typedef struct command {
    const char *name;
    int (*run)(int argc, char **argv);
    const char *summary;
    void (*usage)(FILE *f);
} command;

/* The subcommand table, in the order help lists it. */
extern const command COMMANDS[];

int cmd_code(int argc, char **argv);
void usage_code(FILE *f);
int cmd_eval(int argc, char **argv);
void usage_eval(FILE *f);
int cmd_parse(int argc, char **argv);
void usage_parse(FILE *f);
int cmd_train(int argc, char **argv);
void usage_train(FILE *f);
int cmd_ingest(int argc, char **argv);
void usage_ingest(FILE *f);
int cmd_events(int argc, char **argv);
void usage_events(FILE *f);
int cmd_series(int argc, char **argv);
void usage_series(FILE *f);
int cmd_alerts(int argc, char **argv);
void usage_alerts(FILE *f);
int cmd_serve(int argc, char **argv);
void usage_serve(FILE *f);
int cmd_dict(int argc, char **argv);
void usage_dict(FILE *f);
int cmd_explain(int argc, char **argv);
void usage_explain(FILE *f);
int cmd_actors(int argc, char **argv);
void usage_actors(FILE *f);
int cmd_version(int argc, char **argv);
void usage_version(FILE *f);
int cmd_help(int argc, char **argv);
void usage_help(FILE *f);

/* The default dictionary directory: $DYAD_DICT, else data/dict next to the
 * executable's build tree, else the installed share/dyad/dict. */
const char *default_dict_dir(void);
/* Loads the dictionary set at path (a directory of the native format, of
 * PETRARCH files when petrarch, or a compiled *.dyc) through the compiled
 * cache (cmd_dict.c, src/dict/cache.h).  NULL with err on failure. */
struct dyad_dict *cli_dict_load(const char *path, int petrarch, char *err, size_t errlen);
/* The default model directory: $DYAD_MODELS, else data/models as above. */
const char *cli_model_dir(void);

/* Option values shared by several subcommands (options.c): each returns 0,
 * or -1 after reporting what it expected (the caller exits with EXIT_USAGE).
 * --input auto|jsonl|text (enum reader_format); --dict-format native|petrarch;
 * a YYYY-MM-DD date for option --name. */
int cli_opt_input(const char *arg, int *input);
int cli_opt_dict_format(const char *arg, int *petrarch);
int cli_opt_date(const char *name, const char *arg);
/* --accurate chooses the beam-search parser, so it cannot go with --no-parse. */
int cli_opt_accurate(int accurate, int no_parse);
/* The tagger and parser models of dir (NULL: cli_model_dir()), with the
 * beam-search parser when accurate.  NULL with err on failure. */
struct dyad_model *cli_models_load(const char *dir, int accurate, char *err, size_t errlen);

/* "dyad: message" on stderr. */
void cli_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
