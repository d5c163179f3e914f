/* report.c: a WASI reactor. It has no main: the host calls its exports, as many
 * times as it likes, after _initialize.
 *
 * render(name) reads the file `name` from the directory the host grants as /data
 * and prints a small report on standard output, titled by the environment
 * variable TITLE. `name` is a string in the module's memory: the host gets room
 * for it from the exported malloc and writes it there.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

__attribute__((export_name("render"))) int render(const char *name) {
    char path[256];
    snprintf(path, sizeof path, "/data/%s", name);
    FILE *file = fopen(path, "r");
    if (!file) {
        fprintf(stderr, "cannot open %s: %s\n", path, strerror(errno));
        return -1;
    }
    unsigned lines = 0, words = 0, bytes = 0;
    int c, in_word = 0;
    while ((c = fgetc(file)) != EOF) {
        bytes++;
        if (c == '\n') lines++;
        if (c == ' ' || c == '\n' || c == '\t') in_word = 0;
        else if (!in_word) in_word = 1, words++;
    }
    fclose(file);
    const char *title = getenv("TITLE");
    printf("%s: %s has %u lines, %u words, %u bytes\n", title ? title : "report", name, lines, words, bytes);
    /* stdout is buffered and a reactor never exits: hand the text over now. */
    fflush(stdout);
    return (int)lines;
}
