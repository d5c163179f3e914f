/* main.c: a WASI reactor, compiled to C by wasmkiln, in a C program.
 *
 * Usage: reports DATA_DIR
 *
 * report.wasm reads files from the folder it is granted as /data and prints a
 * report on each. The program runs two instances, each with a WASI context of
 * its own: a different environment (TITLE) and different standard output. The
 * first one's output comes back through a callback into a buffer; the second
 * writes straight to the program's standard output. Neither can reach outside
 * DATA_DIR: asking for ../main.c is refused.
 */
#include <stdio.h>
#include <string.h>

#include "reporter.h" /* generated from report.wasm; includes wasmkiln-wasi.h */

/* What the first instance writes, stdout and stderr together. */
typedef struct {
    char text[4096];
    size_t length;
} capture;

/* The context's write_output callback: keeps the bytes, marking those for stderr. */
static long capture_output(void *io_context, int stream, const void *data, size_t length) {
    capture *c = io_context;
    const char *mark = stream == 2 ? "(stderr) " : "";
    int n = snprintf(c->text + c->length, sizeof c->text - c->length, "%s%.*s", mark, (int)length,
                     (const char *)data);
    if (n > 0) c->length += (size_t)n < sizeof c->text - c->length ? (size_t)n : sizeof c->text - c->length - 1;
    return (long)length; /* all taken (what does not fit is dropped) */
}

/* A context for `config`, and an instance whose WASI imports it serves. The
 * module has no other imports, so use_wasi fills the whole struct. */
static reporter *start(const wk_wasi_config *config, wk_wasi **wasi) {
    wk_error error;
    reporter_imports imports = {0};
    reporter *inst = NULL;
    if ((*wasi = wk_wasi_new(config, &error)) && reporter_imports_use_wasi(&imports, *wasi, &error))
        inst = reporter_new(&imports, NULL, &error); /* binds the memory, runs _initialize */
    if (!inst) fprintf(stderr, "reports: %s\n", error.message);
    return inst;
}

/* Calls render(name): the name goes into the instance's memory first, in room
 * from its own malloc. Returns the line count, or -1. */
static int render(reporter *inst, const char *name) {
    uint32_t length = (uint32_t)strlen(name) + 1;
    uint32_t address = reporter_malloc(inst, length);
    if (!address || !wk_memory_write(reporter_memory(inst), address, name, length)) return -1;
    uint32_t lines;
    wk_result result = reporter_try_render(inst, address, &lines);
    reporter_free_2(inst, address); /* export "free": reporter_free is taken */
    if (result.trap != WK_TRAP_NONE) {
        fprintf(stderr, "reports: render trapped: %s\n", result.message);
        return -1;
    }
    return (int32_t)lines;
}

int main(int argc, char **argv) {
    if (argc != 2) {
        fprintf(stderr, "usage: %s DATA_DIR\n", argv[0]);
        return 1;
    }
    const char *dir_host[] = {argv[1]}, *dir_guest[] = {"/data"};
    const char *args[] = {"report"}, *first_env[] = {"TITLE=first"}, *second_env[] = {"TITLE=second"};
    capture captured = {.length = 0};
    const wk_wasi_config first_config = {
        .argc = 1, .argv = args, .envc = 1, .env = first_env,
        .dir_count = 1, .dir_host = dir_host, .dir_guest = dir_guest,
        .stdin_fd = -1, .write_output = capture_output, .io_context = &captured,
    };
    const wk_wasi_config second_config = {
        .argc = 1, .argv = args, .envc = 1, .env = second_env,
        .dir_count = 1, .dir_host = dir_host, .dir_guest = dir_guest,
        .stdin_fd = -1, .stdout_fd = 1, .stderr_fd = 2,
    };
    wk_wasi *first_wasi = NULL, *second_wasi = NULL;
    reporter *first = start(&first_config, &first_wasi);
    reporter *second = first ? start(&second_config, &second_wasi) : NULL;
    int status = 1;
    if (second) {
        int a = render(first, "tyger.txt");
        int b = render(second, "tyger.txt"); /* prints on our stdout */
        int escape = render(first, "../main.c");
        printf("the first instance wrote:\n%s", captured.text);
        printf("render: %d and %d lines; ../main.c: %s\n", a, b, escape < 0 ? "refused" : "READ");
        status = a > 0 && b == a && escape < 0 ? 0 : 1;
    }
    /* Instances first: a context outlives the instance it serves. */
    reporter_free(second);
    reporter_free(first);
    wk_wasi_free(second_wasi);
    wk_wasi_free(first_wasi);
    return status;
}
