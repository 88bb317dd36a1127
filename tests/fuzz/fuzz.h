/*
 * fuzz.h - shared helpers for the libFuzzer harnesses in tests/fuzz/.
 *
 * Readers that take a path get the input through a file in a private
 * temporary directory (created once per process, removed at exit): the
 * harnesses exercise the same code as the CLI, fopen included.
 */
#ifndef DYAD_FUZZ_H
#define DYAD_FUZZ_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerInitialize(int *argc, char ***argv);

static char fuzz_dir[64];
static char fuzz_paths[8][128];
static int fuzz_npaths;

static inline void fuzz_cleanup(void)
{
    for (int i = 0; i < fuzz_npaths; i++)
        unlink(fuzz_paths[i]);
    if (fuzz_dir[0])
        rmdir(fuzz_dir);
}

/* Writes data to <tmpdir>/name and returns its path (valid for the process). */
static inline const char *fuzz_file(const char *name, const uint8_t *data, size_t size)
{
    if (!fuzz_dir[0]) {
        snprintf(fuzz_dir, sizeof fuzz_dir, "/tmp/dyad-fuzz-XXXXXX");
        if (!mkdtemp(fuzz_dir)) {
            perror("mkdtemp");
            abort();
        }
        atexit(fuzz_cleanup);
    }
    static char path[128];
    snprintf(path, sizeof path, "%s/%s", fuzz_dir, name);
    int known = 0;
    for (int i = 0; i < fuzz_npaths; i++)
        known |= strcmp(fuzz_paths[i], path) == 0;
    if (!known && fuzz_npaths < 8)
        snprintf(fuzz_paths[fuzz_npaths++], sizeof fuzz_paths[0], "%s", path);
    FILE *f = fopen(path, "wb");
    if (!f || (size && fwrite(data, 1, size, f) != size) || fclose(f)) {
        perror(path);
        abort();
    }
    return path;
}

#endif
