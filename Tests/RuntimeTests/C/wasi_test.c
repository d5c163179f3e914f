/* WASI: the functions called directly, as a compiled module calls its imports, on a
 * memory of our own. `wasi_test walk` resolves paths by the component walk instead of
 * openat2. */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include "check.h"
#include "wasmkiln-wasi.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdbool.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

extern bool wkw_force_walk; /* runtime test hook */

typedef uint32_t u32;
typedef uint64_t u64;

static wk_wasi *w;
static wk_memory *memory;
static uint8_t *m;

/* The import's code, checked against the signature a module would declare. */
static void *fn(const char *name, const char *signature) {
    const wk_func *f = wk_wasi_function(w, name, strlen(name));
    CHECK(f != NULL);
    CHECK(f->type_id == wk_type_id(signature));
    CHECK(f->instance == w);
    return f->code;
}

#define CALL(name, sig, type, ...) ((type)fn(#name, sig))(w, __VA_ARGS__)
typedef u32 (*f_ii)(void *, u32, u32);
typedef u32 (*f_iii)(void *, u32, u32, u32);
typedef u32 (*f_iiii)(void *, u32, u32, u32, u32);
typedef u32 (*f_iiiii)(void *, u32, u32, u32, u32, u32);
typedef u32 (*f_iiiiii)(void *, u32, u32, u32, u32, u32, u32);
typedef u32 (*f_iiiiiii)(void *, u32, u32, u32, u32, u32, u32, u32);
typedef u32 (*f_i)(void *, u32);

/* Guest addresses used below. */
enum { PATH = 1000, PATH2 = 2000, OUT = 3000, IOV = 3100, BUF = 4096, BIG = 65536 };

static u32 put(u32 at, const char *text) {
    memcpy(m + at, text, strlen(text));
    return (u32)strlen(text);
}

static u32 path_open(u32 dir, u32 lookup, const char *path, u32 oflags, u64 rights, u32 *fd) {
    u32 n = put(PATH, path);
    u32 e = ((u32(*)(void *, u32, u32, u32, u32, u32, u64, u64, u32, u32))fn("path_open", "iiiiiIIii:i"))(
        w, dir, lookup, PATH, n, oflags, rights, ~0ull, 0, OUT);
    if (e == 0) memcpy(fd, m + OUT, 4);
    return e;
}

#define R_READ (1ull << 1)
#define R_WRITE (1ull << 6)
#define RW (R_READ | R_WRITE | 0x1Full | (1ull << 5) | (1ull << 7) | (1ull << 8) | (1ull << 14) | (7ull << 21))
/* RW as a file holds it: no fd_readdir. */
#define R_FILE (RW & ~(1ull << 14))
/* Every right but fd_write: what a directory is opened with (narrowed to what it can do). */
#define R_DIR (~R_WRITE)

static u32 write_text(u32 fd, const char *text) {
    u32 n = put(BUF, text);
    memcpy(m + IOV, &(u32){BUF}, 4);
    memcpy(m + IOV + 4, &n, 4);
    return CALL(fd_write, "iiii:i", f_iiii, fd, IOV, 1, OUT);
}

static u32 read_into(u32 fd, u32 length, u32 *got) {
    memcpy(m + IOV, &(u32){BUF}, 4);
    memcpy(m + IOV + 4, &length, 4);
    u32 e = CALL(fd_read, "iiii:i", f_iiii, fd, IOV, 1, OUT);
    memcpy(got, m + OUT, 4);
    return e;
}

static u32 path_op(const char *name, const char *sig, u32 dir, const char *path) {
    u32 n = put(PATH, path);
    return ((f_iii)fn(name, sig))(w, dir, PATH, n);
}

static u32 rename_(u32 dir, const char *from, const char *to) {
    u32 a = put(PATH, from), b = put(PATH2, to);
    return CALL(path_rename, "iiiiii:i", f_iiiiii, dir, PATH, a, dir, PATH2, b);
}

static u32 symlink_(u32 dir, const char *target, const char *at) {
    u32 a = put(PATH, target), b = put(PATH2, at);
    return CALL(path_symlink, "iiiii:i", f_iiiii, PATH, a, dir, PATH2, b);
}

static u32 link_(u32 dir, const char *from, const char *to) {
    u32 a = put(PATH, from), b = put(PATH2, to);
    return CALL(path_link, "iiiiiii:i", f_iiiiiii, dir, 0, PATH, a, dir, PATH2, b);
}

static void test_args(void) {
    CHECK_EQ(CALL(args_sizes_get, "ii:i", f_ii, OUT, OUT + 4), 0);
    CHECK_EQ(*(u32 *)(m + OUT), 3);
    CHECK_EQ(*(u32 *)(m + OUT + 4), 10);
    CHECK_EQ(CALL(args_get, "ii:i", f_ii, 100, 200), 0);
    CHECK_EQ(*(u32 *)(m + 100), 200);
    CHECK(strcmp((char *)m + *(u32 *)(m + 104), "a b") == 0);
    CHECK(strcmp((char *)m + *(u32 *)(m + 108), "") == 0);
    CHECK_EQ(CALL(environ_sizes_get, "ii:i", f_ii, OUT, OUT + 4), 0);
    CHECK_EQ(*(u32 *)(m + OUT), 2);
    CHECK_EQ(*(u32 *)(m + OUT + 4), 9);
    CHECK_EQ(CALL(environ_get, "ii:i", f_ii, 100, 200), 0);
    CHECK(strcmp((char *)m + *(u32 *)(m + 104), "B=") == 0);
    CHECK(strcmp((char *)m + 200, "A=1=2") == 0);
    OK("args and environ");
}

static void test_faults(u32 dir) {
    u32 size = (u32)memory->size;
    CHECK_EQ(CALL(args_get, "ii:i", f_ii, size - 4, 200), 21);  /* 3 pointers past the end */
    CHECK_EQ(CALL(args_get, "ii:i", f_ii, 100, size - 2), 21);
    CHECK_EQ(CALL(args_sizes_get, "ii:i", f_ii, size, 0), 21);
    CHECK_EQ(CALL(random_get, "ii:i", f_ii, size - 10, 11), 21);
    CHECK_EQ(CALL(random_get, "ii:i", f_ii, 0xFFFFFFF0u, 0x20), 21); /* would wrap in 32 bits */
    CHECK_EQ(CALL(fd_write, "iiii:i", f_iiii, 1, size - 4, 1, OUT), 21);
    memcpy(m + IOV, &(u32){0xFFFFFF00u}, 4); /* buffer that overflows */
    memcpy(m + IOV + 4, &(u32){0x200}, 4);
    CHECK_EQ(CALL(fd_write, "iiii:i", f_iiii, 1, IOV, 1, OUT), 21);
    CHECK_EQ(CALL(fd_write, "iiii:i", f_iiii, 1, IOV, 0x20000000u, OUT), 21);
    CHECK_EQ(CALL(fd_prestat_dir_name, "iii:i", f_iii, dir, size - 1, 100), 21);
    CHECK_EQ(CALL(path_create_directory, "iii:i", f_iii, dir, size - 2, 3), 21);
    CHECK_EQ(CALL(clock_time_get, "iIi:i", u32(*)(void *, u32, u64, u32), 1, 0, size - 7), 21);
    CHECK_EQ(CALL(poll_oneoff, "iiii:i", f_iiii, 0, size - 32, 2, OUT), 21);
    wk_wasi_set_memory(w, NULL);
    CHECK_EQ(CALL(args_sizes_get, "ii:i", f_ii, OUT, OUT + 4), 21);
    wk_wasi_set_memory(w, memory);
    OK("efault");
}

static void test_pipe(void) {
    int fds[2];
    CHECK(pipe(fds) == 0);
    wk_wasi_config config = {.stdin_fd = 0, .stdout_fd = fds[1], .stderr_fd = 2};
    wk_wasi *saved = w;
    w = wk_wasi_new(&config, NULL);
    CHECK(w != NULL);
    wk_wasi_set_memory(w, memory);
    CHECK_EQ(write_text(1, "hello pipe"), 0);
    CHECK_EQ(*(u32 *)(m + OUT), 10);
    char text[32] = {0};
    CHECK_EQ(read(fds[0], text, sizeof text), 10);
    CHECK(strcmp(text, "hello pipe") == 0);
    CHECK_EQ(CALL(fd_fdstat_get, "ii:i", f_ii, 1, OUT), 0);
    CHECK(*(u64 *)(m + OUT + 8) & R_WRITE);
    CHECK_EQ(CALL(fd_prestat_get, "ii:i", f_ii, 3, OUT), 8); /* nothing granted */
    CHECK_EQ(path_op("path_create_directory", "iii:i", 3, "x"), 8);
    u64 off = 0;
    CHECK_EQ(CALL(fd_seek, "iIii:i", u32(*)(void *, u32, u64, u32, u32), 1, off, 0, OUT), 70);
    memcpy(m + IOV, &(u32){BUF}, 4);
    memcpy(m + IOV + 4, &(u32){1}, 4);
    CHECK_EQ(CALL(fd_pwrite, "iiiIi:i", u32(*)(void *, u32, u32, u32, u64, u32), 1, IOV, 1, 0, OUT), 70);
    CHECK_EQ(read_into(1, 1, &(u32){0}), 8); /* the pipe's write end cannot read */
    wk_wasi_free(w);
    w = saved;
    close(fds[0]);
    close(fds[1]);
    OK("fd_write to a pipe");
}

/* Standard streams served by callbacks (wk_wasi_config.write_output, read_input). */
typedef struct {
    char out[64];
    size_t out_length;
    int last_stream;
    long limit; /* bytes write_output takes per call; -1: fail */
    const char *in;
} streams;

static long take_output(void *io_context, int stream, const void *data, size_t length) {
    streams *s = io_context;
    if (s->limit < 0) return -1;
    if ((long)length > s->limit) length = (size_t)s->limit;
    memcpy(s->out + s->out_length, data, length);
    s->out_length += length;
    s->last_stream = stream;
    return (long)length;
}

static long give_input(void *io_context, void *buffer, size_t capacity) {
    streams *s = io_context;
    size_t n = strlen(s->in) < capacity ? strlen(s->in) : capacity;
    memcpy(buffer, s->in, n);
    s->in += n;
    return (long)n;
}

static void test_callbacks(void) {
    streams s = {.limit = 64, .in = "typed"};
    wk_wasi_config config = {.write_output = take_output, .read_input = give_input, .io_context = &s};
    wk_wasi *saved = w;
    w = wk_wasi_new(&config, NULL);
    CHECK(w != NULL);
    wk_wasi_set_memory(w, memory);
    /* Two iovecs, one write: the callback sees each. */
    put(BUF, "abcdef");
    u32 iovs[4] = {BUF, 2, BUF + 2, 3};
    memcpy(m + IOV, iovs, sizeof iovs);
    CHECK_EQ(CALL(fd_write, "iiii:i", f_iiii, 2, IOV, 2, OUT), 0);
    CHECK_EQ(*(u32 *)(m + OUT), 5);
    CHECK(s.out_length == 5 && memcmp(s.out, "abcde", 5) == 0 && s.last_stream == 2);
    s.limit = 1; /* a short write stops at the short iovec */
    CHECK_EQ(CALL(fd_write, "iiii:i", f_iiii, 1, IOV, 2, OUT), 0);
    CHECK_EQ(*(u32 *)(m + OUT), 1);
    CHECK_EQ(s.last_stream, 1);
    s.limit = -1;
    CHECK_EQ(write_text(1, "x"), 29); /* EIO */
    u32 got;
    CHECK_EQ(read_into(0, 3, &got), 0);
    CHECK(got == 3 && memcmp(m + BUF, "typ", 3) == 0);
    CHECK_EQ(read_into(0, 10, &got), 0);
    CHECK(got == 2 && memcmp(m + BUF, "ed", 2) == 0);
    CHECK_EQ(read_into(0, 10, &got), 0);
    CHECK_EQ(got, 0); /* end of input */
    CHECK_EQ(read_into(1, 1, &got), 8); /* stdout cannot read */
    CHECK_EQ(CALL(fd_fdstat_get, "ii:i", f_ii, 1, OUT), 0);
    CHECK_EQ(m[OUT], 2); /* a character device */
    u64 off = 0;
    CHECK_EQ(CALL(fd_seek, "iIii:i", u32(*)(void *, u32, u64, u32, u32), 1, off, 0, OUT), 70);
    /* Renumbered, the stream still reaches its callback; closed, it is gone. */
    s.limit = 64;
    CHECK_EQ(CALL(fd_renumber, "ii:i", f_ii, 2, 0), 0);
    CHECK_EQ(write_text(0, "moved"), 0);
    CHECK(s.last_stream == 2 && memcmp(s.out + s.out_length - 5, "moved", 5) == 0);
    CHECK_EQ(CALL(fd_close, "i:i", f_i, 1), 0);
    CHECK_EQ(write_text(1, "x"), 8);
    wk_wasi_free(w);
    w = saved;
    OK("stdio through callbacks");
}

static void test_files(u32 dir) {
    CHECK_EQ(CALL(fd_prestat_get, "ii:i", f_ii, dir, OUT), 0);
    CHECK_EQ(m[OUT], 0);
    CHECK_EQ(*(u32 *)(m + OUT + 4), 4);
    CHECK_EQ(CALL(fd_prestat_dir_name, "iii:i", f_iii, dir, 500, 4), 0);
    CHECK(memcmp(m + 500, "work", 4) == 0);
    CHECK_EQ(CALL(fd_prestat_dir_name, "iii:i", f_iii, dir, 500, 3), 37);
    u32 fd;
    CHECK_EQ(path_open(dir, 0, "missing", 0, RW, &fd), 44);
    CHECK_EQ(path_open(dir, 0, "f.txt", 1 | 4, RW, &fd), 0);
    CHECK_EQ(path_open(dir, 0, "f.txt", 1 | 4, RW, &fd + 0), 20);
    CHECK_EQ(write_text(fd, "0123456789"), 0);
    u32 got;
    typedef u32 (*seek_t)(void *, u32, u64, u32, u32);
    CHECK_EQ(CALL(fd_tell, "ii:i", f_ii, fd, OUT), 0);
    CHECK_EQ(*(u64 *)(m + OUT), 10);
    CHECK_EQ(CALL(fd_seek, "iIii:i", seek_t, fd, (u64)-4, 2, OUT), 0);
    CHECK_EQ(*(u64 *)(m + OUT), 6);
    CHECK_EQ(read_into(fd, 100, &got), 0);
    CHECK_EQ(got, 4);
    CHECK(memcmp(m + BUF, "6789", 4) == 0);
    CHECK_EQ(CALL(fd_seek, "iIii:i", seek_t, fd, 0, 7, OUT), 28);
    typedef u32 (*pio_t)(void *, u32, u32, u32, u64, u32);
    memcpy(m + IOV, &(u32){BUF}, 4);
    memcpy(m + IOV + 4, &(u32){3}, 4);
    CHECK_EQ(CALL(fd_pread, "iiiIi:i", pio_t, fd, IOV, 1, 2, OUT), 0);
    CHECK(memcmp(m + BUF, "234", 3) == 0);
    put(BUF, "xyz");
    CHECK_EQ(CALL(fd_pwrite, "iiiIi:i", pio_t, fd, IOV, 1, 20, OUT), 0);
    CHECK_EQ(CALL(fd_filestat_get, "ii:i", f_ii, fd, OUT), 0);
    CHECK_EQ(m[OUT + 16], 4);
    CHECK_EQ(*(u64 *)(m + OUT + 32), 23);
    CHECK_EQ(CALL(fd_filestat_set_size, "iI:i", u32(*)(void *, u32, u64), fd, 5), 0);
    CHECK_EQ(CALL(fd_filestat_get, "ii:i", f_ii, fd, OUT), 0);
    CHECK_EQ(*(u64 *)(m + OUT + 32), 5);
    typedef u32 (*times_t)(void *, u32, u64, u64, u32);
    CHECK_EQ(CALL(fd_filestat_set_times, "iIIi:i", times_t, fd, 1000000000ull * 1000 + 5, 2000000000ull * 1000, 1 | 4), 0);
    CHECK_EQ(CALL(fd_filestat_get, "ii:i", f_ii, fd, OUT), 0);
    CHECK_EQ(*(u64 *)(m + OUT + 40), 1000000000ull * 1000 + 5);
    CHECK_EQ(*(u64 *)(m + OUT + 48), 2000000000ull * 1000);
    CHECK_EQ(CALL(fd_filestat_set_times, "iIIi:i", times_t, fd, 0, 0, 1 | 2), 28);
    CHECK_EQ(CALL(fd_advise, "iIIi:i", u32(*)(void *, u32, u64, u64, u32), fd, 0, 0, 1), 0);
    CHECK_EQ(CALL(fd_allocate, "iII:i", u32(*)(void *, u32, u64, u64), fd, 0, 100), 0);
    CHECK_EQ(CALL(fd_datasync, "i:i", f_i, fd), 0);
    CHECK_EQ(CALL(fd_sync, "i:i", f_i, fd), 0);
    CHECK_EQ(CALL(fd_fdstat_set_flags, "ii:i", f_ii, fd, 1), 0);
    CHECK_EQ(CALL(fd_fdstat_get, "ii:i", f_ii, fd, OUT), 0);
    CHECK_EQ(m[OUT], 4);
    CHECK_EQ(*(uint16_t *)(m + OUT + 2), 1);
    CHECK_EQ(*(u64 *)(m + OUT + 8), RW & ~(1ull << 14));
    /* Rights shrink, never grow. */
    typedef u32 (*rights_t)(void *, u32, u64, u64);
    CHECK_EQ(CALL(fd_fdstat_set_rights, "iII:i", rights_t, fd, R_READ, 0), 0);
    CHECK_EQ(write_text(fd, "no"), 76);
    CHECK_EQ(CALL(fd_fdstat_set_rights, "iII:i", rights_t, fd, RW, 0), 76);
    /* Renumber onto another open descriptor. */
    u32 other;
    CHECK_EQ(path_open(dir, 0, "f.txt", 0, R_READ, &other), 0);
    CHECK_EQ(CALL(fd_renumber, "ii:i", f_ii, fd, other), 0);
    CHECK_EQ(CALL(fd_close, "i:i", f_i, fd), 8);
    CHECK_EQ(CALL(fd_close, "i:i", f_i, other), 0);
    CHECK_EQ(CALL(fd_close, "i:i", f_i, other), 8);
    /* Directories and path stat/times. */
    CHECK_EQ(path_op("path_create_directory", "iii:i", dir, "d"), 0);
    CHECK_EQ(path_op("path_create_directory", "iii:i", dir, "d"), 20);
    CHECK_EQ(path_open(dir, 0, "d", 0, R_WRITE, &fd), 31);
    u32 n = put(PATH, "d/../f.txt");
    CHECK_EQ(CALL(path_filestat_get, "iiiii:i", f_iiiii, dir, 1, PATH, n, OUT), 0);
    CHECK_EQ(m[OUT + 16], 4);
    CHECK_EQ(*(u64 *)(m + OUT + 32), 100);
    typedef u32 (*ptimes_t)(void *, u32, u32, u32, u32, u64, u64, u32);
    CHECK_EQ(CALL(path_filestat_set_times, "iiiiIIi:i", ptimes_t, dir, 1, PATH, n, 0, 7000000000ull, 4), 0);
    CHECK_EQ(CALL(path_filestat_get, "iiiii:i", f_iiiii, dir, 1, PATH, n, OUT), 0);
    CHECK_EQ(*(u64 *)(m + OUT + 48), 7000000000ull);
    /* Rename, link, symlink, readlink, unlink. */
    CHECK_EQ(rename_(dir, "f.txt", "d/g.txt"), 0);
    CHECK_EQ(link_(dir, "d/g.txt", "h.txt"), 0);
    CHECK_EQ(symlink_(dir, "d/g.txt", "s"), 0);
    u32 k = put(PATH, "s");
    CHECK_EQ(CALL(path_readlink, "iiiiii:i", f_iiiiii, dir, PATH, k, BUF, 100, OUT), 0);
    CHECK_EQ(*(u32 *)(m + OUT), 7);
    CHECK(memcmp(m + BUF, "d/g.txt", 7) == 0);
    CHECK_EQ(path_open(dir, 1, "s", 0, R_READ | (1ull << 21), &fd), 0);
    CHECK_EQ(CALL(fd_filestat_get, "ii:i", f_ii, fd, OUT), 0);
    CHECK_EQ(*(u64 *)(m + OUT + 24), 2); /* two links */
    CHECK_EQ(CALL(fd_close, "i:i", f_i, fd), 0);
    CHECK_EQ(path_open(dir, 0, "s", 0, R_READ, &fd), 32); /* no follow */
    CHECK_EQ(CALL(path_filestat_get, "iiiii:i", f_iiiii, dir, 0, PATH, k, OUT), 0);
    CHECK_EQ(m[OUT + 16], 7);
    CHECK_EQ(path_op("path_remove_directory", "iii:i", dir, "d"), 55);
    CHECK_EQ(path_op("path_unlink_file", "iii:i", dir, "d/g.txt"), 0);
    CHECK_EQ(path_op("path_unlink_file", "iii:i", dir, "s"), 0);
    CHECK_EQ(path_op("path_unlink_file", "iii:i", dir, "h.txt"), 0);
    CHECK_EQ(path_op("path_unlink_file", "iii:i", dir, "d"), 31);
    CHECK_EQ(path_op("path_remove_directory", "iii:i", dir, "d/"), 0);
    OK("files and paths");
}

static void test_readdir(u32 dir) {
    u32 sub;
    CHECK_EQ(path_op("path_create_directory", "iii:i", dir, "many"), 0);
    CHECK_EQ(path_open(dir, 0, "many", 2, R_DIR, &sub), 0);
    for (int i = 0; i < 1000; i++) {
        char name[32];
        snprintf(name, sizeof name, "file-%04d", i);
        u32 fd;
        CHECK_EQ(path_open(sub, 0, name, 1, R_WRITE, &fd), 0);
        CHECK_EQ(CALL(fd_close, "i:i", f_i, fd), 0);
    }
    static bool seen[1000];
    int count = 0, calls = 0;
    u64 cookie = 0;
    typedef u32 (*readdir_t)(void *, u32, u32, u32, u64, u32);
    for (;;) {
        const u32 size = 700; /* small: many calls, entries cut at the end */
        CHECK_EQ(CALL(fd_readdir, "iiiIi:i", readdir_t, sub, BIG, size, cookie, OUT), 0);
        u32 used = *(u32 *)(m + OUT), at = 0;
        calls++;
        while (at + 24 <= used) {
            u64 next = *(u64 *)(m + BIG + at);
            u32 length = *(u32 *)(m + BIG + at + 16);
            if (at + 24 + length > used) break; /* cut: resume from this entry */
            char name[64] = {0};
            memcpy(name, m + BIG + at + 24, length);
            int index;
            if (sscanf(name, "file-%04d", &index) == 1) {
                CHECK(!seen[index]);
                CHECK_EQ(m[BIG + at + 20], 4);
                seen[index] = true;
                count++;
            }
            cookie = next;
            at += 24 + length;
        }
        if (used < size) break;
    }
    CHECK_EQ(count, 1000);
    CHECK(calls > 20);
    CHECK_EQ(CALL(fd_close, "i:i", f_i, sub), 0);
    OK("readdir with cookies");
}

enum { DENIED = 63 }; /* EPERM: what wasmtime answers an escape */

static u32 set_rights(u32 fd, u64 base, u64 inheriting) {
    return CALL(fd_fdstat_set_rights, "iII:i", u32(*)(void *, u32, u64, u64), fd, base, inheriting);
}

static u64 rights_of(u32 fd, u64 *inheriting) {
    CHECK_EQ(CALL(fd_fdstat_get, "ii:i", f_ii, fd, OUT), 0);
    if (inheriting) memcpy(inheriting, m + OUT + 16, 8);
    return *(u64 *)(m + OUT + 8);
}

static u64 size_of(u32 dir, const char *path) {
    u32 n = put(PATH, path);
    CHECK_EQ(CALL(path_filestat_get, "iiiii:i", f_iiiii, dir, 0, PATH, n, OUT), 0);
    return *(u64 *)(m + OUT + 32);
}

/* The calls that need one right of a directory descriptor, by that right's bit. */
static u32 call_needing(int bit, u32 d) {
    u32 fd, a = put(PATH, "f"), b = put(PATH2, "g");
    typedef u32 (*ptimes_t)(void *, u32, u32, u32, u32, u64, u64, u32);
    typedef u32 (*times_t)(void *, u32, u64, u64, u32);
    typedef u32 (*readdir_t)(void *, u32, u32, u32, u64, u32);
    switch (bit) {
    case 9: return path_op("path_create_directory", "iii:i", d, "new");
    case 10: return path_open(d, 0, "new", 1, R_WRITE, &fd);
    case 11: /* fallthrough */
    case 12: return CALL(path_link, "iiiiiii:i", f_iiiiiii, d, 0, PATH, a, d, PATH2, b);
    case 13: return path_open(d, 0, "f", 0, R_READ, &fd);
    case 14: return CALL(fd_readdir, "iiiIi:i", readdir_t, d, BUF, 100, 0, OUT);
    case 15: return CALL(path_readlink, "iiiiii:i", f_iiiiii, d, PATH, a, BUF, 100, OUT);
    case 16: /* fallthrough */
    case 17: return CALL(path_rename, "iiiiii:i", f_iiiiii, d, PATH, a, d, PATH2, b);
    case 18: return CALL(path_filestat_get, "iiiii:i", f_iiiii, d, 0, PATH, a, OUT);
    case 19: return path_open(d, 0, "f", 8, R_WRITE, &fd);
    case 20: return CALL(path_filestat_set_times, "iiiiIIi:i", ptimes_t, d, 0, PATH, a, 0, 0, 8);
    case 21: return CALL(fd_filestat_get, "ii:i", f_ii, d, OUT);
    case 23: return CALL(fd_filestat_set_times, "iIIi:i", times_t, d, 0, 0, 8);
    case 24: return CALL(path_symlink, "iiiii:i", f_iiiii, PATH, a, d, PATH2, b);
    case 25: return path_op("path_remove_directory", "iii:i", d, "f");
    case 26: return path_op("path_unlink_file", "iii:i", d, "f");
    }
    CHECK(!"a bit with a call");
    return 0;
}

/* preview1's rights where wasmtime, which keeps none, gives nothing to compare with
 * (Fixtures/wasi/errors_*.c compare the rest with it): a right the descriptor could
 * hold but was not given, or gave up, is ENOTCAPABLE (76); what its kind or access mode
 * can never do is EBADF (8). */
static void test_rights(u32 dir) {
    typedef u32 (*seek_t)(void *, u32, u64, u32, u32);
    typedef u32 (*u64_t)(void *, u32, u64);
    typedef u32 (*range_t)(void *, u32, u64, u64);
    typedef u32 (*advise_t)(void *, u32, u64, u64, u32);
    typedef u32 (*times_t)(void *, u32, u64, u64, u32);
    typedef u32 (*pio_t)(void *, u32, u32, u32, u64, u32);
    u32 sub, fd, got;
    CHECK_EQ(path_op("path_create_directory", "iii:i", dir, "r"), 0);
    CHECK_EQ(path_open(dir, 0, "r", 2, R_DIR, &sub), 0);
    CHECK_EQ(path_open(sub, 0, "f", 1, RW, &fd), 0);
    CHECK_EQ(write_text(fd, "0123456789"), 0);
    CHECK_EQ(CALL(fd_close, "i:i", f_i, fd), 0);

    /* No rights asked for: open for reading, as in wasmtime, but it may not read, seek,
     * tell, stat or do anything else; it cannot write. */
    CHECK_EQ(path_open(sub, 0, "f", 0, 0, &fd), 0);
    CHECK_EQ(rights_of(fd, NULL), 0);
    CHECK_EQ(read_into(fd, 4, &got), 76);
    CHECK_EQ(write_text(fd, "x"), 8);
    CHECK_EQ(CALL(fd_seek, "iIii:i", seek_t, fd, 1, 0, OUT), 76);
    CHECK_EQ(CALL(fd_tell, "ii:i", f_ii, fd, OUT), 76);
    CHECK_EQ(CALL(fd_filestat_get, "ii:i", f_ii, fd, OUT), 76);
    CHECK_EQ(CALL(fd_filestat_set_size, "iI:i", u64_t, fd, 1), 76);
    CHECK_EQ(CALL(fd_filestat_set_times, "iIIi:i", times_t, fd, 0, 0, 8), 76);
    CHECK_EQ(CALL(fd_fdstat_set_flags, "ii:i", f_ii, fd, 0), 76);
    CHECK_EQ(CALL(fd_advise, "iIIi:i", advise_t, fd, 0, 0, 0), 76);
    CHECK_EQ(CALL(fd_allocate, "iII:i", range_t, fd, 0, 1), 76);
    CHECK_EQ(CALL(fd_datasync, "i:i", f_i, fd), 76);
    CHECK_EQ(CALL(fd_sync, "i:i", f_i, fd), 76);
    CHECK_EQ(CALL(fd_readdir, "iiiIi:i", u32(*)(void *, u32, u32, u32, u64, u32), fd, BUF, 100, 0, OUT), 8);
    CHECK_EQ(CALL(fd_close, "i:i", f_i, fd), 0);

    /* Read-only: truncating needs fd_filestat_set_size (wasmtime, not asking, gives the
     * host's EINVAL); positioned reads need fd_seek. */
    CHECK_EQ(path_open(sub, 0, "f", 0, R_READ, &fd), 0);
    CHECK_EQ(CALL(fd_filestat_set_size, "iI:i", u64_t, fd, 1), 76);
    memcpy(m + IOV, &(u32){BUF}, 4);
    memcpy(m + IOV + 4, &(u32){4}, 4);
    CHECK_EQ(CALL(fd_pread, "iiiIi:i", pio_t, fd, IOV, 1, 0, OUT), 76);
    CHECK_EQ(read_into(fd, 4, &got), 0);
    CHECK_EQ(got, 4);
    CHECK_EQ(CALL(fd_close, "i:i", f_i, fd), 0);

    /* Rights given up with fd_fdstat_set_rights stay given up; they never grow. */
    CHECK_EQ(path_open(sub, 0, "f", 0, RW, &fd), 0);
    CHECK_EQ(set_rights(fd, R_FILE & ~R_READ, 0), 0);
    CHECK_EQ(rights_of(fd, NULL), R_FILE & ~R_READ);
    CHECK_EQ(read_into(fd, 4, &got), 76);
    CHECK_EQ(CALL(fd_pread, "iiiIi:i", pio_t, fd, IOV, 1, 0, OUT), 76);
    CHECK_EQ(write_text(fd, "x"), 0);
    CHECK_EQ(set_rights(fd, R_FILE, 0), 76);
    CHECK_EQ(set_rights(fd, R_FILE & ~R_READ, R_READ), 76);
    CHECK_EQ(set_rights(fd, R_WRITE | (1ull << 22), 0), 0);
    CHECK_EQ(CALL(fd_seek, "iIii:i", seek_t, fd, 0, 0, OUT), 76);
    CHECK_EQ(CALL(fd_tell, "ii:i", f_ii, fd, OUT), 76);
    CHECK_EQ(CALL(fd_filestat_set_size, "iI:i", u64_t, fd, 10), 0);
    CHECK_EQ(CALL(fd_close, "i:i", f_i, fd), 0);

    /* Each call through a directory needs its own right, asked for and not given up. */
    static const int bits[] = {9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 23, 24, 25, 26};
    for (size_t i = 0; i < sizeof bits / sizeof *bits; i++) {
        u32 d;
        u64 inheriting;
        CHECK_EQ(path_open(dir, 0, "r", 2, R_DIR & ~(1ull << bits[i]), &d), 0);
        CHECK_EQ(call_needing(bits[i], d), 76);
        u64 rights = rights_of(d, &inheriting);
        CHECK_EQ(rights & (1ull << bits[i]), 0);
        CHECK_EQ(set_rights(d, rights | (1ull << bits[i]), inheriting), 76);
        CHECK_EQ(CALL(fd_close, "i:i", f_i, d), 0);
    }
    /* ...and truncating through path_open without path_filestat_set_size left the file whole. */
    CHECK_EQ(size_of(sub, "f"), 10);

    /* A descriptor gets at most its directory's inheriting rights: without fd_write there,
     * a file asked for it is opened read-only; without fd_filestat_set_size, it is
     * opened for writing but may not truncate. */
    u64 held = rights_of(sub, NULL);
    CHECK_EQ(set_rights(sub, held, R_FILE & ~R_WRITE), 0);
    CHECK_EQ(path_open(sub, 0, "f", 0, RW, &fd), 0);
    u64 inheriting;
    CHECK_EQ(rights_of(fd, &inheriting), R_FILE & ~R_WRITE);
    CHECK_EQ(inheriting, R_FILE & ~R_WRITE);
    CHECK_EQ(write_text(fd, "x"), 8);
    CHECK_EQ(CALL(fd_close, "i:i", f_i, fd), 0);
    CHECK_EQ(set_rights(sub, held, R_FILE), 76); /* given up for good */
    CHECK_EQ(CALL(fd_close, "i:i", f_i, sub), 0);
    CHECK_EQ(path_open(dir, 0, "r", 2, R_DIR, &sub), 0);
    CHECK_EQ(set_rights(sub, held, R_FILE & ~(1ull << 22)), 0);
    CHECK_EQ(path_open(sub, 0, "f", 0, RW, &fd), 0);
    CHECK_EQ(write_text(fd, "x"), 0);
    CHECK_EQ(CALL(fd_filestat_set_size, "iI:i", u64_t, fd, 1), 76);
    CHECK_EQ(CALL(fd_close, "i:i", f_i, fd), 0);
    CHECK_EQ(CALL(fd_close, "i:i", f_i, sub), 0);

    /* A directory never holds what only files do, asked for or not: EBADF, as in wasmtime. */
    CHECK_EQ(path_open(dir, 0, "r", 2, ~0ull & ~R_WRITE, &sub), 0);
    CHECK_EQ(rights_of(sub, NULL) & (R_READ | R_WRITE | 0x1FDull | (1ull << 22)), 0);
    CHECK_EQ(CALL(fd_seek, "iIii:i", seek_t, sub, 0, 1, OUT), 8);
    CHECK_EQ(read_into(sub, 4, &got), 8);
    CHECK_EQ(CALL(fd_datasync, "i:i", f_i, sub), 8);
    CHECK_EQ(CALL(fd_close, "i:i", f_i, sub), 0);
    OK("rights");
}

static void test_clock_random(void) {
    typedef u32 (*time_t_)(void *, u32, u64, u32);
    for (u32 id = 0; id < 4; id++) {
        CHECK_EQ(CALL(clock_res_get, "ii:i", f_ii, id, OUT), 0);
        CHECK(*(u64 *)(m + OUT) > 0);
        CHECK_EQ(CALL(clock_time_get, "iIi:i", time_t_, id, 1, OUT), 0);
    }
    CHECK_EQ(CALL(clock_time_get, "iIi:i", time_t_, 0, 1, OUT), 0);
    CHECK(*(u64 *)(m + OUT) > 1600000000ull * 1000000000ull);
    CHECK_EQ(CALL(clock_time_get, "iIi:i", time_t_, 9, 1, OUT), 28);
    memset(m + BUF, 0, 64);
    CHECK_EQ(CALL(random_get, "ii:i", f_ii, BUF, 64), 0);
    int zeros = 0;
    for (int i = 0; i < 64; i++) zeros += m[BUF + i] == 0;
    CHECK(zeros < 16);
    CHECK_EQ(((u32(*)(void *))fn("sched_yield", ":i"))(w), 0);
    CHECK_EQ(CALL(proc_raise, "i:i", f_i, 2), 52);
    CHECK(wk_wasi_function(w, "nope", 4) == NULL);
    CHECK(wk_wasi_function(w, "fd_write", 7) == NULL);
    OK("clock and random");
}

static void test_poll(void) {
    /* A 50 ms relative timeout and a read on an empty pipe. */
    int fds[2];
    CHECK(pipe(fds) == 0);
    wk_wasi_config config = {.stdin_fd = fds[0], .stdout_fd = fds[1], .stderr_fd = 2};
    wk_wasi *saved = w;
    w = wk_wasi_new(&config, NULL);
    wk_wasi_set_memory(w, memory);
    memset(m + BUF, 0, 96);
    *(u64 *)(m + BUF) = 77;
    m[BUF + 8] = 0;
    *(u32 *)(m + BUF + 16) = 1;
    *(u64 *)(m + BUF + 24) = 50000000;
    *(u64 *)(m + BUF + 48) = 88;
    m[BUF + 56] = 1;
    *(u32 *)(m + BUF + 64) = 0;
    struct timespec a, b;
    clock_gettime(CLOCK_MONOTONIC, &a);
    CHECK_EQ(CALL(poll_oneoff, "iiii:i", f_iiii, BUF, BIG, 2, OUT), 0);
    clock_gettime(CLOCK_MONOTONIC, &b);
    double elapsed = (double)(b.tv_sec - a.tv_sec) + (double)(b.tv_nsec - a.tv_nsec) / 1e9;
    CHECK(elapsed >= 0.049 && elapsed < 2);
    CHECK_EQ(*(u32 *)(m + OUT), 1);
    CHECK_EQ(*(u64 *)(m + BIG), 77);
    CHECK_EQ(m[BIG + 10], 0);
    /* Now readable: the read event, with its byte count, and no waiting. */
    CHECK(write(fds[1], "abc", 3) == 3);
    *(u64 *)(m + BUF + 24) = 5000000000ull;
    CHECK_EQ(CALL(poll_oneoff, "iiii:i", f_iiii, BUF, BIG, 2, OUT), 0);
    CHECK_EQ(*(u32 *)(m + OUT), 1);
    CHECK_EQ(*(u64 *)(m + BIG), 88);
    CHECK_EQ(m[BIG + 10], 1);
    CHECK_EQ(*(u64 *)(m + BIG + 16), 3);
    /* An unknown descriptor is an event with EBADF. */
    *(u32 *)(m + BUF + 64) = 40;
    CHECK_EQ(CALL(poll_oneoff, "iiii:i", f_iiii, BUF, BIG, 2, OUT), 0);
    CHECK_EQ(*(u32 *)(m + OUT), 1);
    CHECK_EQ(*(uint16_t *)(m + BIG + 8), 8);
    CHECK_EQ(CALL(poll_oneoff, "iiii:i", f_iiii, BUF, BIG, 0, OUT), 28);
    /* Sockets: a socketpair on stdin/stdout. */
    CHECK_EQ(CALL(sock_shutdown, "ii:i", f_ii, 0, 3), 57);
    wk_wasi_free(w);
    int pair[2];
    CHECK(socketpair(AF_UNIX, SOCK_STREAM, 0, pair) == 0);
    config = (wk_wasi_config){.stdin_fd = pair[0], .stdout_fd = 1, .stderr_fd = 2};
    w = wk_wasi_new(&config, NULL);
    wk_wasi_set_memory(w, memory);
    put(BUF, "ping");
    *(u32 *)(m + IOV) = BUF;
    *(u32 *)(m + IOV + 4) = 4;
    CHECK_EQ(CALL(sock_send, "iiiii:i", f_iiiii, 0, IOV, 1, 0, OUT), 0);
    char text[8] = {0};
    CHECK_EQ(read(pair[1], text, 8), 4);
    CHECK(write(pair[1], "pong", 4) == 4);
    CHECK_EQ(CALL(sock_recv, "iiiiii:i", f_iiiiii, 0, IOV, 1, 0, OUT, OUT + 4), 0);
    CHECK_EQ(*(u32 *)(m + OUT), 4);
    CHECK(memcmp(m + BUF, "pong", 4) == 0);
    CHECK_EQ(CALL(sock_accept, "iii:i", f_iii, 0, 0, OUT), 28); /* not listening */
    CHECK_EQ(CALL(sock_shutdown, "ii:i", f_ii, 0, 2), 0);
    CHECK_EQ(read(pair[1], text, 8), 0);
    wk_wasi_free(w);
    w = saved;
    close(pair[0]), close(pair[1]), close(fds[0]), close(fds[1]);
    OK("poll and sockets");
}

/* Path answers that depend on how a path is resolved, so that the component walk gives
 * wasmtime's answers too (Fixtures/wasi/errors_open.c and errors_names.c hold the
 * full set, compared with wasmtime). */
static void test_path_errors(u32 dir) {
    u32 fd;
    CHECK_EQ(path_op("path_create_directory", "iii:i", dir, "p"), 0);
    CHECK_EQ(path_op("path_create_directory", "iii:i", dir, "p/d"), 0);
    CHECK_EQ(path_open(dir, 0, "p/f", 1, R_WRITE, &fd), 0);
    CHECK_EQ(CALL(fd_close, "i:i", f_i, fd), 0);
    CHECK_EQ(symlink_(dir, "f", "p/to-f"), 0);
    CHECK_EQ(symlink_(dir, "d", "p/to-d"), 0);
    CHECK_EQ(symlink_(dir, "loop", "p/loop"), 0);
    /* A symlink not followed is ELOOP, with O_DIRECTORY too; a trailing slash follows it. */
    CHECK_EQ(path_open(dir, 0, "p/to-d", 2, R_READ, &fd), 32);
    CHECK_EQ(path_open(dir, 0, "p/to-f", 2, R_READ, &fd), 32);
    CHECK_EQ(path_open(dir, 0, "p/to-f", 0, R_READ, &fd), 32);
    CHECK_EQ(path_open(dir, 1, "p/to-f", 2, R_READ, &fd), 54);
    CHECK_EQ(path_open(dir, 0, "p/to-f/", 0, R_READ, &fd), 54);
    CHECK_EQ(path_open(dir, 0, "p/to-d/", 2, R_READ, &fd), 0);
    CHECK_EQ(CALL(fd_close, "i:i", f_i, fd), 0);
    CHECK_EQ(path_open(dir, 1, "p/loop", 0, R_READ, &fd), 32);
    CHECK_EQ(path_open(dir, 0, "p/loop/x", 0, R_READ, &fd), 32);
    /* Trailing slashes: a file is not a directory; a new name with one is no file. */
    CHECK_EQ(path_open(dir, 0, "p/f/", 0, R_READ, &fd), 54);
    CHECK_EQ(path_open(dir, 0, "p/new/", 1, R_WRITE, &fd), 31);
    CHECK_EQ(path_op("path_unlink_file", "iii:i", dir, "p/f/"), 54);
    CHECK_EQ(path_op("path_unlink_file", "iii:i", dir, "p/d/"), 31);
    CHECK_EQ(path_op("path_unlink_file", "iii:i", dir, "p/to-d/"), 31);
    CHECK_EQ(path_op("path_remove_directory", "iii:i", dir, "p/f/"), 54);
    CHECK_EQ(path_op("path_remove_directory", "iii:i", dir, "p/to-d/"), 54);
    CHECK_EQ(path_op("path_remove_directory", "iii:i", dir, "p/d/."), 28);
    CHECK_EQ(symlink_(dir, "x", "p/s/"), 44);
    CHECK_EQ(symlink_(dir, "x", "p/f/"), 54);
    CHECK_EQ(symlink_(dir, "x", "p/d/"), 20);
    CHECK_EQ(link_(dir, "p/f", "p/l/"), 44);
    CHECK_EQ(link_(dir, "p/f/", "p/l"), 54);
    CHECK_EQ(rename_(dir, "p/f", "p/g/"), 54);
    CHECK_EQ(rename_(dir, "p/d/", "p/e/"), 0);
    CHECK_EQ(rename_(dir, "p/e", "p/d"), 0);
    CHECK_EQ(path_op("path_create_directory", "iii:i", dir, "p/new/"), 0);
    CHECK_EQ(path_op("path_remove_directory", "iii:i", dir, "p/new/"), 0);
    /* Directories are not opened for writing, nor created, truncated or excluded. */
    CHECK_EQ(path_open(dir, 0, "p/d", 2, R_WRITE, &fd), 31);
    CHECK_EQ(path_open(dir, 0, "p/d", 2 | 8, R_READ, &fd), 28);
    CHECK_EQ(path_open(dir, 0, "p/nd", 2 | 1, R_READ, &fd), 28);
    /* Names must be UTF-8; an absolute symlink target is refused. */
    CHECK_EQ(path_open(dir, 0, "p/\xff", 0, R_READ, &fd), 25);
    CHECK_EQ(path_op("path_create_directory", "iii:i", dir, "p/\xc0\xaf"), 25);
    CHECK_EQ(symlink_(dir, "/", "p/abs"), DENIED);
    CHECK_EQ(symlink_(dir, "\xed\xa0\x80", "p/surrogate"), 25);
    CHECK_EQ(symlink_(dir, "d/\xc3\xa9", "p/accent"), 0);
    /* A link's text is cut to the buffer, even one of 0 bytes. */
    u32 n = put(PATH, "p/to-f");
    memset(m + OUT, 0xFF, 4);
    CHECK_EQ(CALL(path_readlink, "iiiiii:i", f_iiiiii, dir, PATH, n, BUF, 0, OUT), 0);
    CHECK_EQ(*(u32 *)(m + OUT), 0);
    CHECK_EQ(CALL(path_readlink, "iiiiii:i", f_iiiiii, dir, PATH, n, BUF, 1, OUT), 0);
    CHECK_EQ(*(u32 *)(m + OUT), 1);
    CHECK_EQ(m[BUF], 'f');
    /* A file descriptor is no directory. */
    CHECK_EQ(path_open(dir, 0, "p/f", 0, R_READ, &fd), 0);
    CHECK_EQ(path_open(fd, 0, "x", 0, R_READ, &(u32){0}), 54);
    CHECK_EQ(path_op("path_create_directory", "iii:i", fd, "x"), 8);
    CHECK_EQ(CALL(fd_close, "i:i", f_i, fd), 0);
    OK("path errors");
}

/* Every attempt to leave the preopen fails, with EPERM as in wasmtime; `outside` is a
 * file next to it. */

static void test_escapes(u32 dir, const char *outside_name) {
    u32 fd;
    char text[256];
    /* 1: .. */
    CHECK_EQ(path_open(dir, 0, "..", 0, R_READ, &fd), DENIED);
    /* 2: a/../../x */
    CHECK_EQ(path_op("path_create_directory", "iii:i", dir, "a"), 0);
    snprintf(text, sizeof text, "a/../../%s", outside_name);
    CHECK_EQ(path_open(dir, 0, text, 0, R_READ, &fd), DENIED);
    /* 3: absolute path */
    CHECK_EQ(path_open(dir, 1, "/etc/passwd", 0, R_READ, &fd), DENIED);
    /* 4: a symlink to /etc: the guest may not make one, and one the host made is not
     * followed */
    CHECK_EQ(symlink_(dir, "/etc", "etc"), DENIED);
    CHECK(symlinkat("/etc", AT_FDCWD, "work/etc") == 0);
    CHECK_EQ(path_open(dir, 1, "etc/passwd", 0, R_READ, &fd), DENIED);
    CHECK_EQ(path_open(dir, 1, "etc", 2, R_READ, &fd), DENIED);
    /* 5: a chain of symlinks to .. */
    CHECK_EQ(symlink_(dir, "..", "up"), 0);
    CHECK_EQ(symlink_(dir, "up/..", "up2"), 0);
    snprintf(text, sizeof text, "up/%s", outside_name);
    CHECK_EQ(path_open(dir, 1, text, 0, R_READ, &fd), DENIED);
    CHECK_EQ(path_open(dir, 1, "up2", 2, R_READ, &fd), DENIED);
    /* 6: a symlink planted, behind the module's back, inside a directory it has open */
    u32 sub;
    CHECK_EQ(path_open(dir, 0, "a", 2, R_DIR, &sub), 0);
    char host[512];
    CHECK(getcwd(host, sizeof host) != NULL);
    CHECK(symlinkat("../..", AT_FDCWD, "work/a/planted") == 0);
    snprintf(text, sizeof text, "planted/%s", outside_name);
    CHECK_EQ(path_open(sub, 1, text, 0, R_READ, &fd), DENIED);
    CHECK_EQ(path_open(sub, 1, "planted", 2, R_READ, &fd), DENIED);
    {
        u32 n = put(PATH, text);
        CHECK_EQ(CALL(path_filestat_get, "iiiii:i", f_iiiii, sub, 1, PATH, n, OUT), DENIED);
    }
    /* 7: hard link to a file outside */
    snprintf(text, sizeof text, "../%s", outside_name);
    CHECK_EQ(link_(dir, text, "stolen"), DENIED);
    snprintf(text, sizeof text, "up/%s", outside_name);
    CHECK_EQ(link_(dir, text, "stolen"), DENIED);
    CHECK_EQ(link_(dir, "etc/passwd", "stolen"), DENIED);
    /* 8: rename to ../x and from outside */
    CHECK_EQ(path_open(dir, 0, "mine", 1, R_WRITE, &fd), 0);
    CHECK_EQ(CALL(fd_close, "i:i", f_i, fd), 0);
    CHECK_EQ(rename_(dir, "mine", "../moved"), DENIED);
    CHECK_EQ(rename_(dir, "mine", "up/moved"), DENIED);
    snprintf(text, sizeof text, "../%s", outside_name);
    CHECK_EQ(rename_(dir, text, "taken"), DENIED);
    CHECK(access("moved", F_OK) != 0);
    /* 9: readlink of an outside-pointing link gives its text; opening it is denied */
    u32 n = put(PATH, "etc");
    CHECK_EQ(CALL(path_readlink, "iiiiii:i", f_iiiiii, dir, PATH, n, BUF, 100, OUT), 0);
    CHECK_EQ(*(u32 *)(m + OUT), 4);
    m[BUF + 4] = 0;
    CHECK_EQ(path_open(dir, 1, (char *)m + BUF, 2, R_READ, &fd), DENIED);
    /* 10: a NUL inside the path */
    memcpy(m + PATH, "mine\0/../../x", 13);
    CHECK_EQ(((u32(*)(void *, u32, u32, u32, u32, u32, u64, u64, u32, u32))fn("path_open", "iiiiiIIii:i"))(
                 w, dir, 0, PATH, 13, 0, R_READ, 0, 0, OUT), 28);
    /* 11: the preopen's parent through . and .. mixes */
    CHECK_EQ(path_open(dir, 0, "./a/./../..", 2, R_READ, &fd), DENIED);
    CHECK_EQ(path_open(dir, 0, "a/.././../work", 2, R_READ, &fd), DENIED);
    CHECK_EQ(path_op("path_create_directory", "iii:i", dir, "a/../../newdir"), DENIED);
    CHECK_EQ(path_op("path_unlink_file", "iii:i", dir, ".."), DENIED);
    CHECK_EQ(path_op("path_remove_directory", "iii:i", dir, "a/../.."), DENIED);
    /* 12: a symlink whose target escapes can be made but not used */
    snprintf(text, sizeof text, "../../%s", outside_name);
    CHECK_EQ(symlink_(dir, text, "a/out"), 0);
    CHECK_EQ(path_open(dir, 1, "a/out", 0, R_READ, &fd), DENIED);
    CHECK_EQ(path_open(dir, 1, "a/out", 1 | 8, R_WRITE, &fd), DENIED);
    n = put(PATH, "a/out");
    CHECK_EQ(CALL(path_filestat_get, "iiiii:i", f_iiiii, dir, 1, PATH, n, OUT), DENIED);
    typedef u32 (*ptimes_t)(void *, u32, u32, u32, u32, u64, u64, u32);
    CHECK_EQ(CALL(path_filestat_set_times, "iiiiIIi:i", ptimes_t, dir, 1, PATH, n, 0, 0, 8), DENIED);
    /* 13: creating through a dangling link that leads out */
    CHECK_EQ(symlink_(dir, "../created-outside", "dangling"), 0);
    CHECK_EQ(path_open(dir, 1, "dangling", 1, R_WRITE, &fd), DENIED);
    CHECK(access("created-outside", F_OK) != 0);
    /* Inside links still work: up/work is this preopen by name, which is outside. */
    CHECK_EQ(symlink_(dir, "a/../mine", "in"), 0);
    CHECK_EQ(path_open(dir, 1, "in", 0, R_READ, &fd), 0);
    CHECK_EQ(CALL(fd_close, "i:i", f_i, fd), 0);
    CHECK_EQ(CALL(fd_close, "i:i", f_i, sub), 0);
    OK("sandbox escapes denied");
}

static void run_exit(void *context) {
    (void)context;
    ((void (*)(void *, u32))fn("proc_exit", "i:"))(w, 42);
    printf("FAIL returned from proc_exit\n");
    exit(1);
}

int main(int argc, char **argv) {
    test_start();
    if (argc > 1 && strcmp(argv[1], "walk") == 0) wkw_force_walk = true;
    char folder[] = "/tmp/wasi-test-XXXXXX";
    CHECK(mkdtemp(folder) != NULL);
    CHECK(chdir(folder) == 0);
    CHECK(mkdir("work", 0777) == 0);
    int secret = open("secret", O_CREAT | O_WRONLY, 0600);
    CHECK(secret >= 0);
    close(secret);

    memory = wk_memory_new(2, 2, WK_BOUNDS_EXPLICIT);
    CHECK(memory != NULL);
    m = memory->base;
    const char *args[] = {"prog", "a b", ""};
    const char *env[] = {"A=1=2", "B="};
    const char *host[] = {"work"}, *guest[] = {"work"};
    wk_wasi_config config = {.argc = 3, .argv = args, .envc = 2, .env = env, .dir_count = 1,
                             .dir_host = host, .dir_guest = guest, .stdin_fd = 0, .stdout_fd = 1, .stderr_fd = 2};
    wk_error error;
    const char *bad[] = {"no-such-dir"};
    wk_wasi_config wrong = config;
    wrong.dir_host = bad;
    CHECK(wk_wasi_new(&wrong, &error) == NULL);
    CHECK(strstr(error.message, "no-such-dir") != NULL);
    w = wk_wasi_new(&config, &error);
    CHECK(w != NULL);
    wk_wasi_set_memory(w, memory);

    test_args();
    test_faults(3);
    test_pipe();
    test_callbacks();
    test_files(3);
    test_readdir(3);
    test_rights(3);
    test_path_errors(3);
    test_clock_random();
    test_poll();
    test_escapes(3, "secret");

    CHECK_EQ(wk_call_protected(run_exit, NULL, NULL), WK_TRAP_EXIT);
    CHECK_EQ(wk_wasi_exit_code(w), 42);
    OK("proc_exit");
    wk_wasi_free(w);
    wk_memory_free(memory);
    char command[128];
    snprintf(command, sizeof command, "rm -rf %s", folder);
    CHECK(system(command) == 0);
    return 0;
}
