/* main.c: argument parsing and the subcommand driver for ktool. */
#include "ktool.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void usage(void)
{
    fputs("usage: ktool [--top N] [--sa-limit BYTES] COMMAND [DIR]\n"
          "  COMMAND: words | pack | sort | hash | all\n"
          "  DIR holds input.txt (default /data); outputs are written there:\n"
          "    words.txt  (words)   input.kz, input.out  (pack)\n"
          "    sorted.txt, unique.txt, sa.bin  (sort)   hashes.txt  (hash)\n"
          "    summary.txt  (all: the figures of every step, one per line)\n",
          stderr);
}

static int parse_u32(const char *s, uint32_t *out)
{
    if (!s || !*s)
        return -1;
    uint64_t v = 0;
    for (const char *p = s; *p; p++) {
        if (*p < '0' || *p > '9')
            return -1;
        v = v * 10 + (uint64_t)(*p - '0');
        if (v > 0xFFFFFFFFu)
            return -1;
    }
    /* Optional binary suffixes are not accepted: plain decimal only. */
    *out = (uint32_t)v;
    return 0;
}

typedef struct {
    const char *name;
    int (*run)(const char *dir, const kbuf *input, uint32_t top, uint32_t sa_limit);
} command;

static int run_words(const char *dir, const kbuf *in, uint32_t top, uint32_t sa)
{
    (void)sa;
    return cmd_words(dir, in, top);
}

static int run_pack(const char *dir, const kbuf *in, uint32_t top, uint32_t sa)
{
    (void)top;
    (void)sa;
    return cmd_pack(dir, in);
}

static int run_sort(const char *dir, const kbuf *in, uint32_t top, uint32_t sa)
{
    (void)top;
    return cmd_sort(dir, in, sa);
}

static int run_hash(const char *dir, const kbuf *in, uint32_t top, uint32_t sa)
{
    (void)top;
    (void)sa;
    return cmd_hash(dir, in);
}

static const command commands[] = {
    {"words", run_words},
    {"pack", run_pack},
    {"sort", run_sort},
    {"hash", run_hash},
};

#define NCOMMANDS (sizeof commands / sizeof commands[0])

/* summary.txt, written by `all`: the input's size and checksum and how each
   step ended, one tab-separated record per line. */
static int write_summary(const char *dir, const kbuf *input, uint32_t top, uint32_t sa_limit,
                         int *status)
{
    char *path = path_join(dir, "summary.txt");
    FILE *f = fopen(path, "wb");
    if (!f) {
        fprintf(stderr, "ktool: cannot create %s\n", path);
        free(path);
        return -1;
    }
    fprintf(f, "input\t%u\t%08x\n", input->len, crc32_buf(input->data, input->len));
    for (uint32_t c = 0; c < NCOMMANDS; c++)
        fprintf(f, "step\t%s\t%s\n", commands[c].name, status[c] ? "failed" : "ok");
    fprintf(f, "top\t%u\nsa-limit\t%u\n", top, sa_limit);
    int rc = fclose(f) == 0 ? 0 : -1;
    free(path);
    return rc;
}

int main(int argc, char **argv)
{
    uint32_t top = 20, sa_limit = 1u << 20;
    int i = 1;
    for (; i < argc && argv[i][0] == '-' && argv[i][1] == '-'; i++) {
        if (strcmp(argv[i], "--top") == 0 && i + 1 < argc) {
            if (parse_u32(argv[++i], &top) != 0 || top > 10000) {
                usage();
                return 64;
            }
        } else if (strcmp(argv[i], "--sa-limit") == 0 && i + 1 < argc) {
            if (parse_u32(argv[++i], &sa_limit) != 0) {
                usage();
                return 64;
            }
        } else if (strcmp(argv[i], "--help") == 0) {
            usage();
            return 0;
        } else {
            usage();
            return 64;
        }
    }
    if (i >= argc) {
        usage();
        return 64;
    }
    const char *cmd = argv[i++];
    const char *dir = i < argc ? argv[i++] : "/data";
    if (i < argc) {
        usage();
        return 64;
    }
    int all = strcmp(cmd, "all") == 0;
    int which = -1;
    for (uint32_t c = 0; c < NCOMMANDS; c++)
        if (strcmp(cmd, commands[c].name) == 0)
            which = (int)c;
    if (!all && which < 0) {
        usage();
        return 64;
    }

    char *inpath = path_join(dir, "input.txt");
    kbuf input;
    if (read_file(inpath, &input) != 0) {
        free(inpath);
        return 1;
    }
    free(inpath);
    printf("ktool 1.0: %s, input.txt %u bytes, crc32 %08x\n", cmd, input.len,
           crc32_buf(input.data, input.len));

    int status[NCOMMANDS] = {0};
    int failed = 0;
    for (uint32_t c = 0; c < NCOMMANDS; c++) {
        if (!all && (int)c != which)
            continue;
        status[c] = commands[c].run(dir, &input, top, sa_limit);
        fflush(stdout);
        failed |= status[c];
    }
    if (all && write_summary(dir, &input, top, sa_limit, status) != 0)
        failed = 1;
    printf("status: %s\n", failed ? "FAILED" : "ok");
    kbuf_free(&input);
    return failed ? 1 : 0;
}
