/* A minimal wasi_snapshot_preview1 for wasm2c-translated commands (wasm2c 1.0.42 names:
 * an import `wasi_snapshot_preview1.F` is the C function w2c_wasi__snapshot__preview1_F,
 * whose first parameter is the import-module instance, struct w2c_wasi__snapshot__preview1,
 * defined in wasi_shim.h).
 *
 * It implements what a wasi-libc program that computes, allocates and prints needs
 * (`wasm-objdump -x -j Import` on the benchmark programs: fd_write, fd_close, fd_seek,
 * fd_fdstat_get, proc_exit; and the usual start-up and libc calls):
 *   fd_write          fds 1 and 2, through write(2), unbuffered
 *   fd_close          fds 0-2: success without closing; others EBADF
 *   fd_seek           fds 0-2: lseek(2) (ESPIPE on a pipe or terminal); others EBADF
 *   fd_fdstat_get     fds 0-2: the file type from fstat(2), all rights; others EBADF
 *   fd_fdstat_set_flags  fds 0-2: success (nothing changes); others EBADF
 *   fd_prestat_get, fd_prestat_dir_name  EBADF: no preopened directories (wasi-libc
 *                     probes fds from 3 up until EBADF; anything else would abort it)
 *   proc_exit         exit(2) with the code
 *   args_sizes_get, args_get  the host's argv (argv[0] is the executable's name, as for
 *                     a WasmKiln executable; the benchmark passes no arguments)
 *   environ_sizes_get, environ_get  empty
 *   clock_time_get, clock_res_get   clock_gettime(2)/clock_getres(2)
 *   random_get        getrandom(2)
 *   sched_yield       sched_yield(2)
 * Every other preview1 function is defined too, so that any command links (silice.wasm
 * for the build comparison, say), and returns ENOSYS (52).
 * Pointers from the module are checked against the memory's size: EFAULT (21) if out of
 * range. */
#define _GNU_SOURCE
#include <errno.h>
#include <sched.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <time.h>
#include <unistd.h>

#include "wasi_shim.h"

typedef uint32_t u32;
typedef uint64_t u64;
typedef struct w2c_wasi__snapshot__preview1 wasi_t;

enum {
    ERRNO_SUCCESS = 0,
    ERRNO_BADF = 8,
    ERRNO_FAULT = 21,
    ERRNO_INVAL = 28,
    ERRNO_IO = 29,
    ERRNO_NOSYS = 52,
    ERRNO_SPIPE = 70,
};

#define F(name) w2c_wasi__snapshot__preview1_##name

/* `length` bytes at guest address `address`, or NULL when they are not all in memory. */
static uint8_t *at(wasi_t *w, u64 address, u64 length) {
    if (!w->memory || address > w->memory->size || length > w->memory->size - address)
        return NULL;
    return w->memory->data + address;
}

/* Little-endian stores and loads (wasm2c keeps memory little-endian on every host we use). */
static int put32(wasi_t *w, u32 address, u32 value) {
    uint8_t *p = at(w, address, 4);
    if (!p) return 0;
    memcpy(p, &value, 4);
    return 1;
}

static int put64(wasi_t *w, u32 address, u64 value) {
    uint8_t *p = at(w, address, 8);
    if (!p) return 0;
    memcpy(p, &value, 8);
    return 1;
}

static u32 from_errno(int e) {
    switch (e) {
    case EBADF: return ERRNO_BADF;
    case EFAULT: return ERRNO_FAULT;
    case EINVAL: return ERRNO_INVAL;
    case ESPIPE: return ERRNO_SPIPE;
    default: return ERRNO_IO;
    }
}

/* ---- standard streams ------------------------------------------------------------ */

u32 F(fd_write)(wasi_t *w, u32 fd, u32 iovs, u32 iovs_len, u32 nwritten) {
    if (fd != 1 && fd != 2) return ERRNO_BADF;
    u64 total = 0;
    for (u32 i = 0; i < iovs_len; i++) {
        uint8_t *iov = at(w, (u64)iovs + 8ull * i, 8);
        if (!iov) return ERRNO_FAULT;
        u32 buf, len;
        memcpy(&buf, iov, 4);
        memcpy(&len, iov + 4, 4);
        uint8_t *data = at(w, buf, len);
        if (!data) return ERRNO_FAULT;
        while (len > 0) {
            ssize_t n = write((int)fd, data, len);
            if (n < 0) {
                if (errno == EINTR) continue;
                return from_errno(errno);
            }
            data += n;
            len -= (u32)n;
            total += (u64)n;
        }
    }
    return put32(w, nwritten, (u32)total) ? ERRNO_SUCCESS : ERRNO_FAULT;
}

u32 F(fd_close)(wasi_t *w, u32 fd) {
    (void)w;
    return fd <= 2 ? ERRNO_SUCCESS : ERRNO_BADF;
}

u32 F(fd_seek)(wasi_t *w, u32 fd, u64 offset, u32 whence, u32 newoffset) {
    if (fd > 2) return ERRNO_BADF;
    static const int whences[] = {SEEK_SET, SEEK_CUR, SEEK_END};
    if (whence > 2) return ERRNO_INVAL;
    off_t result = lseek((int)fd, (off_t)offset, whences[whence]);
    if (result < 0) return from_errno(errno);
    return put64(w, newoffset, (u64)result) ? ERRNO_SUCCESS : ERRNO_FAULT;
}

u32 F(fd_fdstat_get)(wasi_t *w, u32 fd, u32 stat_out) {
    if (fd > 2) return ERRNO_BADF;
    struct stat st;
    if (fstat((int)fd, &st) != 0) return from_errno(errno);
    /* __wasi_filetype_t: 0 unknown, 2 character device, 3 directory, 4 regular file,
     * 6 stream socket */
    uint8_t type = S_ISCHR(st.st_mode) ? 2 : S_ISDIR(st.st_mode) ? 3 : S_ISREG(st.st_mode) ? 4
                 : S_ISSOCK(st.st_mode) ? 6 : 0;
    /* __wasi_fdstat_t: u8 filetype @0, u16 flags @2, u64 rights_base @8, u64 inheriting @16 */
    uint8_t *p = at(w, stat_out, 24);
    if (!p) return ERRNO_FAULT;
    memset(p, 0, 24);
    p[0] = type;
    u64 all = ~0ull;
    memcpy(p + 8, &all, 8);
    memcpy(p + 16, &all, 8);
    return ERRNO_SUCCESS;
}

u32 F(fd_fdstat_set_flags)(wasi_t *w, u32 fd, u32 flags) {
    (void)w, (void)flags;
    return fd <= 2 ? ERRNO_SUCCESS : ERRNO_BADF;
}

u32 F(fd_prestat_get)(wasi_t *w, u32 fd, u32 out) {
    (void)w, (void)fd, (void)out;
    return ERRNO_BADF;
}

u32 F(fd_prestat_dir_name)(wasi_t *w, u32 fd, u32 path, u32 len) {
    (void)w, (void)fd, (void)path, (void)len;
    return ERRNO_BADF;
}

/* ---- process --------------------------------------------------------------------- */

void F(proc_exit)(wasi_t *w, u32 code) {
    (void)w;
    exit((int)code);
}

u32 F(args_sizes_get)(wasi_t *w, u32 argc_out, u32 size_out) {
    u64 size = 0;
    for (int i = 0; i < w->argc; i++) size += strlen(w->argv[i]) + 1;
    return put32(w, argc_out, (u32)w->argc) && put32(w, size_out, (u32)size) ? ERRNO_SUCCESS
                                                                             : ERRNO_FAULT;
}

u32 F(args_get)(wasi_t *w, u32 argv_out, u32 buf) {
    for (int i = 0; i < w->argc; i++) {
        u64 len = strlen(w->argv[i]) + 1;
        uint8_t *p = at(w, buf, len);
        if (!p || !put32(w, argv_out + 4u * (u32)i, buf)) return ERRNO_FAULT;
        memcpy(p, w->argv[i], len);
        buf += (u32)len;
    }
    return ERRNO_SUCCESS;
}

u32 F(environ_sizes_get)(wasi_t *w, u32 count_out, u32 size_out) {
    return put32(w, count_out, 0) && put32(w, size_out, 0) ? ERRNO_SUCCESS : ERRNO_FAULT;
}

u32 F(environ_get)(wasi_t *w, u32 environ_out, u32 buf) {
    (void)w, (void)environ_out, (void)buf;
    return ERRNO_SUCCESS;
}

static int host_clock(u32 id, clockid_t *out) {
    static const clockid_t ids[] = {CLOCK_REALTIME, CLOCK_MONOTONIC, CLOCK_PROCESS_CPUTIME_ID,
                                    CLOCK_THREAD_CPUTIME_ID};
    if (id > 3) return 0;
    *out = ids[id];
    return 1;
}

u32 F(clock_time_get)(wasi_t *w, u32 id, u64 precision, u32 time_out) {
    (void)precision;
    clockid_t clock;
    struct timespec t;
    if (!host_clock(id, &clock)) return ERRNO_INVAL;
    if (clock_gettime(clock, &t) != 0) return from_errno(errno);
    return put64(w, time_out, (u64)t.tv_sec * 1000000000ull + (u64)t.tv_nsec) ? ERRNO_SUCCESS
                                                                               : ERRNO_FAULT;
}

u32 F(clock_res_get)(wasi_t *w, u32 id, u32 res_out) {
    clockid_t clock;
    struct timespec t;
    if (!host_clock(id, &clock)) return ERRNO_INVAL;
    if (clock_getres(clock, &t) != 0) return from_errno(errno);
    return put64(w, res_out, (u64)t.tv_sec * 1000000000ull + (u64)t.tv_nsec) ? ERRNO_SUCCESS
                                                                              : ERRNO_FAULT;
}

u32 F(random_get)(wasi_t *w, u32 buf, u32 len) {
    uint8_t *p = at(w, buf, len);
    if (!p) return ERRNO_FAULT;
    while (len > 0) {
        ssize_t n = getrandom(p, len, 0);
        if (n < 0) {
            if (errno == EINTR) continue;
            return ERRNO_IO;
        }
        p += n;
        len -= (u32)n;
    }
    return ERRNO_SUCCESS;
}

u32 F(sched_yield)(wasi_t *w) {
    (void)w;
    sched_yield();
    return ERRNO_SUCCESS;
}

/* ---- everything else: ENOSYS ------------------------------------------------------ */

#define NOSYS(name, ...)                                                                   \
    u32 F(name)(wasi_t *w, __VA_ARGS__) {                                                  \
        (void)w;                                                                           \
        return ERRNO_NOSYS;                                                                \
    }

NOSYS(fd_advise, u32 fd, u64 offset, u64 len, u32 advice)
NOSYS(fd_allocate, u32 fd, u64 offset, u64 len)
NOSYS(fd_datasync, u32 fd)
NOSYS(fd_fdstat_set_rights, u32 fd, u64 base, u64 inheriting)
NOSYS(fd_filestat_get, u32 fd, u32 out)
NOSYS(fd_filestat_set_size, u32 fd, u64 size)
NOSYS(fd_filestat_set_times, u32 fd, u64 atim, u64 mtim, u32 flags)
NOSYS(fd_pread, u32 fd, u32 iovs, u32 iovs_len, u64 offset, u32 nread)
NOSYS(fd_pwrite, u32 fd, u32 iovs, u32 iovs_len, u64 offset, u32 nwritten)
NOSYS(fd_read, u32 fd, u32 iovs, u32 iovs_len, u32 nread)
NOSYS(fd_readdir, u32 fd, u32 buf, u32 buf_len, u64 cookie, u32 bufused)
NOSYS(fd_renumber, u32 fd, u32 to)
NOSYS(fd_sync, u32 fd)
NOSYS(fd_tell, u32 fd, u32 offset)
NOSYS(path_create_directory, u32 fd, u32 path, u32 path_len)
NOSYS(path_filestat_get, u32 fd, u32 flags, u32 path, u32 path_len, u32 out)
NOSYS(path_filestat_set_times, u32 fd, u32 flags, u32 path, u32 path_len, u64 atim, u64 mtim,
      u32 fst_flags)
NOSYS(path_link, u32 old_fd, u32 old_flags, u32 old_path, u32 old_len, u32 new_fd, u32 new_path,
      u32 new_len)
NOSYS(path_open, u32 fd, u32 dirflags, u32 path, u32 path_len, u32 oflags, u64 base,
      u64 inheriting, u32 fdflags, u32 opened)
NOSYS(path_readlink, u32 fd, u32 path, u32 path_len, u32 buf, u32 buf_len, u32 bufused)
NOSYS(path_remove_directory, u32 fd, u32 path, u32 path_len)
NOSYS(path_rename, u32 fd, u32 old_path, u32 old_len, u32 new_fd, u32 new_path, u32 new_len)
NOSYS(path_symlink, u32 old_path, u32 old_len, u32 fd, u32 new_path, u32 new_len)
NOSYS(path_unlink_file, u32 fd, u32 path, u32 path_len)
NOSYS(poll_oneoff, u32 in, u32 out, u32 nsubscriptions, u32 nevents)
NOSYS(proc_raise, u32 sig)
NOSYS(sock_accept, u32 fd, u32 flags, u32 new_fd)
NOSYS(sock_recv, u32 fd, u32 ri_data, u32 ri_data_len, u32 ri_flags, u32 ro_datalen,
      u32 ro_flags)
NOSYS(sock_send, u32 fd, u32 si_data, u32 si_data_len, u32 si_flags, u32 so_datalen)
NOSYS(sock_shutdown, u32 fd, u32 how)
