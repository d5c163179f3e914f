/* args_env: prints argv and selected environment variables.
 * Exit code: argc. */
#include "common.h"

extern char **environ;

static int cmpstr(const void *a, const void *b) {
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static void show(const char *name) {
    const char *v = getenv(name);
    if (v) printf("getenv(%s) = \"%s\" (len %zu)\n", name, v, strlen(v));
    else printf("getenv(%s) = (unset)\n", name);
}

int main(int argc, char **argv) {
    printf("argc: %d\n", argc);
    for (int i = 0; i < argc; i++) {
        size_t n = strlen(argv[i]);
        printf("argv[%d] = \"%s\" (len %zu)\n", i, argv[i], n);
    }
    printf("argv[argc] is NULL: %s\n", argv[argc] == NULL ? "yes" : "no");

    show("WASMKILN_A");
    show("WASMKILN_EMPTY");
    show("WASMKILN_EQ");
    show("WASMKILN_UTF8");
    show("WASMKILN_MISSING");
    show("PATH");

    int n = 0;
    while (environ && environ[n]) n++;
    printf("environ entries: %d\n", n);
    char **copy = malloc(sizeof(char *) * (size_t)(n ? n : 1));
    for (int i = 0; i < n; i++) copy[i] = environ[i];
    qsort(copy, (size_t)n, sizeof(char *), cmpstr);
    for (int i = 0; i < n; i++) printf("env[%d] = \"%s\"\n", i, copy[i]);
    free(copy);

    setenv("WASMKILN_SET", "set-in-guest", 1);
    show("WASMKILN_SET");
    unsetenv("WASMKILN_A");
    show("WASMKILN_A");
    fflush(stdout);
    return argc;
}
