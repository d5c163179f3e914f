/* WASI context: creation, the import table, arguments and environment, clocks,
 * randomness, process exit, and the host-to-WASI errno mapping. */
#include "wasi_internal.h"

#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/random.h>
#include <time.h>
#include <unistd.h>

/* Name, signature letters (derived from the witx: pointers, sizes, fds and flags are
 * i32; filesize, timestamp, rights, dircookie and filedelta are i64), code. */
static const struct {
    const char *name, *signature;
    void *code;
} table[WKW_FUNCTION_COUNT] = {
    {"args_get", "ii:i", (void *)wkw_args_get},
    {"args_sizes_get", "ii:i", (void *)wkw_args_sizes_get},
    {"environ_get", "ii:i", (void *)wkw_environ_get},
    {"environ_sizes_get", "ii:i", (void *)wkw_environ_sizes_get},
    {"clock_res_get", "ii:i", (void *)wkw_clock_res_get},
    {"clock_time_get", "iIi:i", (void *)wkw_clock_time_get},
    {"fd_advise", "iIIi:i", (void *)wkw_fd_advise},
    {"fd_allocate", "iII:i", (void *)wkw_fd_allocate},
    {"fd_close", "i:i", (void *)wkw_fd_close},
    {"fd_datasync", "i:i", (void *)wkw_fd_datasync},
    {"fd_fdstat_get", "ii:i", (void *)wkw_fd_fdstat_get},
    {"fd_fdstat_set_flags", "ii:i", (void *)wkw_fd_fdstat_set_flags},
    {"fd_fdstat_set_rights", "iII:i", (void *)wkw_fd_fdstat_set_rights},
    {"fd_filestat_get", "ii:i", (void *)wkw_fd_filestat_get},
    {"fd_filestat_set_size", "iI:i", (void *)wkw_fd_filestat_set_size},
    {"fd_filestat_set_times", "iIIi:i", (void *)wkw_fd_filestat_set_times},
    {"fd_pread", "iiiIi:i", (void *)wkw_fd_pread},
    {"fd_prestat_get", "ii:i", (void *)wkw_fd_prestat_get},
    {"fd_prestat_dir_name", "iii:i", (void *)wkw_fd_prestat_dir_name},
    {"fd_pwrite", "iiiIi:i", (void *)wkw_fd_pwrite},
    {"fd_read", "iiii:i", (void *)wkw_fd_read},
    {"fd_readdir", "iiiIi:i", (void *)wkw_fd_readdir},
    {"fd_renumber", "ii:i", (void *)wkw_fd_renumber},
    {"fd_seek", "iIii:i", (void *)wkw_fd_seek},
    {"fd_sync", "i:i", (void *)wkw_fd_sync},
    {"fd_tell", "ii:i", (void *)wkw_fd_tell},
    {"fd_write", "iiii:i", (void *)wkw_fd_write},
    {"path_create_directory", "iii:i", (void *)wkw_path_create_directory},
    {"path_filestat_get", "iiiii:i", (void *)wkw_path_filestat_get},
    {"path_filestat_set_times", "iiiiIIi:i", (void *)wkw_path_filestat_set_times},
    {"path_link", "iiiiiii:i", (void *)wkw_path_link},
    {"path_open", "iiiiiIIii:i", (void *)wkw_path_open},
    {"path_readlink", "iiiiii:i", (void *)wkw_path_readlink},
    {"path_remove_directory", "iii:i", (void *)wkw_path_remove_directory},
    {"path_rename", "iiiiii:i", (void *)wkw_path_rename},
    {"path_symlink", "iiiii:i", (void *)wkw_path_symlink},
    {"path_unlink_file", "iii:i", (void *)wkw_path_unlink_file},
    {"poll_oneoff", "iiii:i", (void *)wkw_poll_oneoff},
    {"proc_exit", "i:", (void *)wkw_proc_exit},
    {"proc_raise", "i:i", (void *)wkw_proc_raise},
    {"sched_yield", ":i", (void *)wkw_sched_yield},
    {"random_get", "ii:i", (void *)wkw_random_get},
    {"sock_accept", "iii:i", (void *)wkw_sock_accept},
    {"sock_recv", "iiiiii:i", (void *)wkw_sock_recv},
    {"sock_send", "iiiii:i", (void *)wkw_sock_send},
    {"sock_shutdown", "ii:i", (void *)wkw_sock_shutdown},
};

static void set_error(wk_error *error, const char *format, const char *a, const char *b) {
    if (error) snprintf(error->message, sizeof error->message, format, a, b);
}

/* Copies a string list; *bytes is their total length with NULs. */
static char **copy_strings(int count, const char *const *strings, uint64_t *bytes) {
    char **copy = calloc((size_t)count + 1, sizeof *copy);
    if (!copy) return NULL;
    *bytes = 0;
    for (int i = 0; i < count; i++) {
        copy[i] = strdup(strings[i] ? strings[i] : "");
        if (!copy[i]) return copy; /* caller sees the NULL hole and fails */
        *bytes += strlen(copy[i]) + 1;
    }
    return copy;
}

static void free_strings(char **strings, uint32_t count) {
    if (!strings) return;
    for (uint32_t i = 0; i < count; i++) free(strings[i]);
    free(strings);
}

static bool complete(char **strings, int count) {
    if (!strings) return false;
    for (int i = 0; i < count; i++)
        if (!strings[i]) return false;
    return true;
}

/* A duplicate of a standard descriptor, so the guest closing its 1 leaves ours open. */
static void add_stdio(wk_wasi *w, uint32_t number, int host) {
    wkw_fd *f = &w->fds[number];
    f->host = -1;
    if (host < 0) return;
    int copy = fcntl(host, F_DUPFD_CLOEXEC, 0);
    if (copy < 0) return;
    struct stat st;
    uint8_t type = fstat(copy, &st) == 0 ? wkw_filetype(copy, &st) : WKW_FT_UNKNOWN;
    f->host = copy;
    f->type = type;
    f->possible = f->rights = wkw_possible(copy, type);
    f->inheriting = 0;
}

/* A standard descriptor served by a callback. The slot holds /dev/null so that every call
 * other than reading and writing (fdstat, filestat, poll, close) works as on a character
 * device, with no special cases; `callback` diverts fd_read and fd_write. */
static void add_callback(wk_wasi *w, uint32_t number) {
    wkw_fd *f = &w->fds[number];
    f->host = open("/dev/null", (number == 0 ? O_RDONLY : O_WRONLY) | O_CLOEXEC);
    if (f->host < 0) return;
    f->type = WKW_FT_CHAR;
    f->possible = f->rights = wkw_possible(f->host, WKW_FT_CHAR);
    f->inheriting = 0;
    f->callback = (uint8_t)(number + 1);
}

wk_wasi *wk_wasi_new(const wk_wasi_config *config, wk_error *error) {
    wk_wasi *w = calloc(1, sizeof *w);
    if (!w) {
        set_error(error, "out of memory%s%s", "", "");
        return NULL;
    }
    int argc = config->argc > 0 ? config->argc : 0, envc = config->envc > 0 ? config->envc : 0;
    int dirs = config->dir_count > 0 ? config->dir_count : 0;
    w->argv = copy_strings(argc, config->argv, &w->argv_bytes);
    w->argc = (uint32_t)argc;
    w->env = copy_strings(envc, config->env, &w->env_bytes);
    w->envc = (uint32_t)envc;
    w->fds = dirs + 3 <= WKW_FD_LIMIT ? calloc(WKW_FD_LIMIT, sizeof *w->fds) : NULL;
    pthread_mutex_init(&w->lock, NULL);
    if (!complete(w->argv, argc) || !complete(w->env, envc) || !w->fds) {
        set_error(error, "out of memory%s%s", "", "");
        w->fd_count = 0;
        wk_wasi_free(w);
        return NULL;
    }
    w->fd_count = (uint32_t)dirs + 3;
    for (uint32_t i = 0; i < w->fd_count; i++) w->fds[i].host = -1;
    w->write_output = config->write_output;
    w->read_input = config->read_input;
    w->io_context = config->io_context;
    if (w->read_input) add_callback(w, 0);
    else add_stdio(w, 0, config->stdin_fd);
    if (w->write_output) {
        add_callback(w, 1);
        add_callback(w, 2);
    } else {
        add_stdio(w, 1, config->stdout_fd);
        add_stdio(w, 2, config->stderr_fd);
    }
    for (int i = 0; i < dirs; i++) {
        const char *host = config->dir_host[i];
        const char *guest = config->dir_guest && config->dir_guest[i] ? config->dir_guest[i] : host;
        wkw_fd *f = &w->fds[3 + i];
        f->host = open(host, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        f->preopen = strdup(guest);
        if (f->host < 0 || !f->preopen) {
            set_error(error, "cannot open directory %s: %s", host, strerror(errno));
            wk_wasi_free(w);
            return NULL;
        }
        f->preopen_length = (uint32_t)strlen(guest);
        f->type = WKW_FT_DIR;
        f->possible = f->rights = WKW_RIGHTS_DIR;
        f->inheriting = WKW_RIGHTS_DIR | WKW_RIGHTS_FILE;
    }
    for (int i = 0; i < WKW_FUNCTION_COUNT; i++) {
        w->functions[i].code = table[i].code;
        w->functions[i].type_id = wk_type_id(table[i].signature);
        w->functions[i].instance = w;
    }
    return w;
}

void wk_wasi_free(wk_wasi *w) {
    if (!w) return;
    for (uint32_t i = 0; i < w->fd_count; i++) wkw_fd_release(&w->fds[i]);
    free(w->fds);
    pthread_mutex_destroy(&w->lock);
    free_strings(w->argv, w->argc);
    free_strings(w->env, w->envc);
    free(w);
}

const wk_func *wk_wasi_function(wk_wasi *w, const char *name, size_t length) {
    for (int i = 0; i < WKW_FUNCTION_COUNT; i++)
        if (strlen(table[i].name) == length && memcmp(table[i].name, name, length) == 0)
            return &w->functions[i];
    return NULL;
}

void wk_wasi_set_memory(wk_wasi *w, wk_memory *memory) { w->memory = memory; }

int wk_wasi_exit_code(const wk_wasi *w) { return w->exit_code; }

/* ---- arguments and environment ---- */

/* Writes `count` pointers at `pointers` and the strings, NUL-terminated, at `buffer`. */
static uint32_t put_strings(wk_wasi *w, char **strings, uint32_t count, uint64_t bytes,
                            uint32_t pointers, uint32_t buffer) {
    uint8_t *list = wkw_mem(w, pointers, (uint64_t)count * 4);
    uint8_t *data = wkw_mem(w, buffer, bytes);
    if (!list || !data) return WKW_EFAULT;
    uint64_t offset = 0;
    for (uint32_t i = 0; i < count; i++) {
        size_t n = strlen(strings[i]) + 1;
        wkw_put32(list + 4 * (uint64_t)i, (uint32_t)(buffer + offset));
        memcpy(data + offset, strings[i], n);
        offset += n;
    }
    return WKW_ESUCCESS;
}

static uint32_t put_sizes(wk_wasi *w, uint32_t count, uint64_t bytes, uint32_t count_out,
                          uint32_t bytes_out) {
    uint8_t *a = wkw_mem(w, count_out, 4), *b = wkw_mem(w, bytes_out, 4);
    if (!a || !b) return WKW_EFAULT;
    if (bytes > UINT32_MAX) return WKW_E2BIG;
    wkw_put32(a, count);
    wkw_put32(b, (uint32_t)bytes);
    return WKW_ESUCCESS;
}

uint32_t wkw_args_get(void *c, uint32_t argv, uint32_t buffer) {
    wk_wasi *w = c;
    return put_strings(w, w->argv, w->argc, w->argv_bytes, argv, buffer);
}

uint32_t wkw_args_sizes_get(void *c, uint32_t count, uint32_t bytes) {
    wk_wasi *w = c;
    return put_sizes(w, w->argc, w->argv_bytes, count, bytes);
}

uint32_t wkw_environ_get(void *c, uint32_t env, uint32_t buffer) {
    wk_wasi *w = c;
    return put_strings(w, w->env, w->envc, w->env_bytes, env, buffer);
}

uint32_t wkw_environ_sizes_get(void *c, uint32_t count, uint32_t bytes) {
    wk_wasi *w = c;
    return put_sizes(w, w->envc, w->env_bytes, count, bytes);
}

/* ---- clocks ---- */

static bool host_clock(uint32_t id, clockid_t *out) {
    switch (id) {
    case 0: *out = CLOCK_REALTIME; return true;
    case 1: *out = CLOCK_MONOTONIC; return true;
    case 2: *out = CLOCK_PROCESS_CPUTIME_ID; return true;
    case 3: *out = CLOCK_THREAD_CPUTIME_ID; return true;
    }
    return false;
}

static uint64_t nanoseconds(const struct timespec *t) {
    return (uint64_t)t->tv_sec * 1000000000u + (uint64_t)t->tv_nsec;
}

uint32_t wkw_clock_res_get(void *c, uint32_t id, uint32_t out) {
    clockid_t clock;
    struct timespec t;
    uint8_t *p = wkw_mem(c, out, 8);
    if (!host_clock(id, &clock)) return WKW_EINVAL;
    if (!p) return WKW_EFAULT;
    if (clock_getres(clock, &t) != 0) return wkw_errno(errno);
    wkw_put64(p, nanoseconds(&t));
    return WKW_ESUCCESS;
}

uint32_t wkw_clock_time_get(void *c, uint32_t id, uint64_t precision, uint32_t out) {
    (void)precision; /* the host clock is as precise as it gets */
    clockid_t clock;
    struct timespec t;
    uint8_t *p = wkw_mem(c, out, 8);
    if (!host_clock(id, &clock)) return WKW_EINVAL;
    if (!p) return WKW_EFAULT;
    if (clock_gettime(clock, &t) != 0) return wkw_errno(errno);
    wkw_put64(p, nanoseconds(&t));
    return WKW_ESUCCESS;
}

/* ---- randomness, scheduling, exit ---- */

uint32_t wkw_random_get(void *c, uint32_t buffer, uint32_t length) {
    uint8_t *p = wkw_mem(c, buffer, length);
    if (!p) return WKW_EFAULT;
    for (uint32_t done = 0; done < length;) {
        ssize_t n = getrandom(p + done, length - done, 0);
        if (n < 0) {
            if (errno == EINTR) continue;
            return wkw_errno(errno);
        }
        done += (uint32_t)n;
    }
    return WKW_ESUCCESS;
}

uint32_t wkw_sched_yield(void *c) {
    (void)c;
    sched_yield();
    return WKW_ESUCCESS;
}

/* Signals are not delivered to modules. */
uint32_t wkw_proc_raise(void *c, uint32_t signal) {
    (void)c, (void)signal;
    return WKW_ENOSYS;
}

/* Unwinds to the protected call running the module; with none, exits the process. */
void wkw_proc_exit(void *c, uint32_t code) {
    wk_wasi *w = c;
    w->exit_code = (int)code;
    if (!wkrt_thread_state.frame) exit((int)code);
    wkrt_unwind(WK_TRAP_EXIT);
}

/* ---- errno ---- */

uint32_t wkw_errno(int host) {
    switch (host) {
    case 0: return WKW_ESUCCESS;
    case E2BIG: return WKW_E2BIG;
    case EACCES: return WKW_EACCES;
    case EADDRINUSE: return WKW_EADDRINUSE;
    case EADDRNOTAVAIL: return WKW_EADDRNOTAVAIL;
    case EAFNOSUPPORT: return WKW_EAFNOSUPPORT;
    case EAGAIN: return WKW_EAGAIN;
    case EALREADY: return WKW_EALREADY;
    case EBADF: return WKW_EBADF;
    case EBADMSG: return WKW_EBADMSG;
    case EBUSY: return WKW_EBUSY;
    case ECANCELED: return WKW_ECANCELED;
    case ECHILD: return WKW_ECHILD;
    case ECONNABORTED: return WKW_ECONNABORTED;
    case ECONNREFUSED: return WKW_ECONNREFUSED;
    case ECONNRESET: return WKW_ECONNRESET;
    case EDEADLK: return WKW_EDEADLK;
    case EDESTADDRREQ: return WKW_EDESTADDRREQ;
    case EDOM: return WKW_EDOM;
    case EDQUOT: return WKW_EDQUOT;
    case EEXIST: return WKW_EEXIST;
    case EFAULT: return WKW_EFAULT;
    case EFBIG: return WKW_EFBIG;
    case EHOSTUNREACH: return WKW_EHOSTUNREACH;
    case EIDRM: return WKW_EIDRM;
    case EILSEQ: return WKW_EILSEQ;
    case EINPROGRESS: return WKW_EINPROGRESS;
    case EINTR: return WKW_EINTR;
    case EINVAL: return WKW_EINVAL;
    case EIO: return WKW_EIO;
    case EISCONN: return WKW_EISCONN;
    case EISDIR: return WKW_EISDIR;
    case ELOOP: return WKW_ELOOP;
    case EMFILE: return WKW_EMFILE;
    case EMLINK: return WKW_EMLINK;
    case EMSGSIZE: return WKW_EMSGSIZE;
    case EMULTIHOP: return WKW_EMULTIHOP;
    case ENAMETOOLONG: return WKW_ENAMETOOLONG;
    case ENETDOWN: return WKW_ENETDOWN;
    case ENETRESET: return WKW_ENETRESET;
    case ENETUNREACH: return WKW_ENETUNREACH;
    case ENFILE: return WKW_ENFILE;
    case ENOBUFS: return WKW_ENOBUFS;
    case ENODEV: return WKW_ENODEV;
    case ENOENT: return WKW_ENOENT;
    case ENOEXEC: return WKW_ENOEXEC;
    case ENOLCK: return WKW_ENOLCK;
    case ENOLINK: return WKW_ENOLINK;
    case ENOMEM: return WKW_ENOMEM;
    case ENOMSG: return WKW_ENOMSG;
    case ENOPROTOOPT: return WKW_ENOPROTOOPT;
    case ENOSPC: return WKW_ENOSPC;
    case ENOSYS: return WKW_ENOSYS;
    case ENOTCONN: return WKW_ENOTCONN;
    case ENOTDIR: return WKW_ENOTDIR;
    case ENOTEMPTY: return WKW_ENOTEMPTY;
    case ENOTRECOVERABLE: return WKW_ENOTRECOVERABLE;
    case ENOTSOCK: return WKW_ENOTSOCK;
    case ENOTSUP: return WKW_ENOTSUP; /* also EOPNOTSUPP on Linux */
    case ENOTTY: return WKW_ENOTTY;
    case ENXIO: return WKW_ENXIO;
    case EOVERFLOW: return WKW_EOVERFLOW;
    case EOWNERDEAD: return WKW_EOWNERDEAD;
    case EPERM: return WKW_EPERM;
    case EPIPE: return WKW_EPIPE;
    case EPROTO: return WKW_EPROTO;
    case EPROTONOSUPPORT: return WKW_EPROTONOSUPPORT;
    case EPROTOTYPE: return WKW_EPROTOTYPE;
    case ERANGE: return WKW_ERANGE;
    case EROFS: return WKW_EROFS;
    case ESPIPE: return WKW_ESPIPE;
    case ESRCH: return WKW_ESRCH;
    case ESTALE: return WKW_ESTALE;
    case ETIMEDOUT: return WKW_ETIMEDOUT;
    case ETXTBSY: return WKW_ETXTBSY;
    case EXDEV: return WKW_EXDEV;
    }
    return WKW_EIO;
}
