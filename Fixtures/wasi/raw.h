/* Helpers for the errno fixtures (errors_*.c): they call the WASI functions of
 * <wasi/api.h> directly, so wasi-libc's own path and descriptor handling cannot
 * hide what the runtime answers, and print one line per case: its name and the
 * WASI errno name the runtime returned ("OK" for success). The expected output is
 * wasmtime's, recorded by Scripts/wasi-reference.py; the programs themselves
 * judge nothing but their own setup steps. */
#ifndef WASMKILN_FIXTURE_RAW_H
#define WASMKILN_FIXTURE_RAW_H
#include <stdio.h>
#include <string.h>
#include <wasi/api.h>

static int g_setup_failures = 0;

__attribute__((unused)) static const char *wasi_errname(__wasi_errno_t e) {
    static const char *const names[] = {
        "OK", "E2BIG", "EACCES", "EADDRINUSE", "EADDRNOTAVAIL", "EAFNOSUPPORT", "EAGAIN",
        "EALREADY", "EBADF", "EBADMSG", "EBUSY", "ECANCELED", "ECHILD", "ECONNABORTED",
        "ECONNREFUSED", "ECONNRESET", "EDEADLK", "EDESTADDRREQ", "EDOM", "EDQUOT", "EEXIST",
        "EFAULT", "EFBIG", "EHOSTUNREACH", "EIDRM", "EILSEQ", "EINPROGRESS", "EINTR", "EINVAL",
        "EIO", "EISCONN", "EISDIR", "ELOOP", "EMFILE", "EMLINK", "EMSGSIZE", "EMULTIHOP",
        "ENAMETOOLONG", "ENETDOWN", "ENETRESET", "ENETUNREACH", "ENFILE", "ENOBUFS", "ENODEV",
        "ENOENT", "ENOEXEC", "ENOLCK", "ENOLINK", "ENOMEM", "ENOMSG", "ENOPROTOOPT", "ENOSPC",
        "ENOSYS", "ENOTCONN", "ENOTDIR", "ENOTEMPTY", "ENOTRECOVERABLE", "ENOTSOCK", "ENOTSUP",
        "ENOTTY", "ENXIO", "EOVERFLOW", "EOWNERDEAD", "EPERM", "EPIPE", "EPROTO",
        "EPROTONOSUPPORT", "EPROTOTYPE", "ERANGE", "EROFS", "ESPIPE", "ESRCH", "ESTALE",
        "ETIMEDOUT", "ETXTBSY", "EXDEV", "ENOTCAPABLE",
    };
    return e < sizeof names / sizeof *names ? names[e] : "E?";
}

/* One case: its name and the errno. */
__attribute__((unused)) static void report(const char *name, __wasi_errno_t e) {
    printf("%-44s %s\n", name, wasi_errname(e));
}

/* A case whose answer is a fact rather than an errno. */
__attribute__((unused)) static void fact(const char *name, int yes) {
    printf("%-44s %s\n", name, yes ? "yes" : "no");
}

/* A step that prepares a case: reported only when it fails. */
__attribute__((unused)) static void setup(const char *what, __wasi_errno_t e) {
    if (e == 0) return;
    printf("setup %s: %s\n", what, wasi_errname(e));
    g_setup_failures++;
}

/* Every right: path_open narrows it to what the parent passes on. */
#define ALL_RIGHTS ((__wasi_rights_t)0x1FFFFFFF)

/* The preopen the guest knows by `name` (argv[1], default /sandbox). */
__attribute__((unused)) static __wasi_fd_t preopen(const char *name) {
    for (__wasi_fd_t fd = 3;; fd++) {
        __wasi_prestat_t stat;
        if (__wasi_fd_prestat_get(fd, &stat) != 0) break;
        char buffer[256];
        size_t n = stat.u.dir.pr_name_len;
        if (n >= sizeof buffer || __wasi_fd_prestat_dir_name(fd, (uint8_t *)buffer, n) != 0) continue;
        buffer[n] = 0;
        if (strcmp(buffer, name) == 0) return fd;
    }
    printf("setup: no preopen named %s\n", name);
    g_setup_failures++;
    return (__wasi_fd_t)-1;
}

/* path_open; *fd is left alone on failure. */
__attribute__((unused)) static __wasi_errno_t open_at(__wasi_fd_t dir, __wasi_lookupflags_t lookup,
                                                      const char *path, __wasi_oflags_t oflags,
                                                      __wasi_rights_t rights, __wasi_fd_t *fd) {
    return __wasi_path_open(dir, lookup, path, oflags, rights, ALL_RIGHTS, 0, fd);
}

/* path_open's answer; a descriptor it opens is closed again. */
__attribute__((unused)) static __wasi_errno_t try_open(__wasi_fd_t dir, __wasi_lookupflags_t lookup,
                                                       const char *path, __wasi_oflags_t oflags,
                                                       __wasi_rights_t rights) {
    __wasi_fd_t fd;
    __wasi_errno_t e = open_at(dir, lookup, path, oflags, rights, &fd);
    if (e == 0) setup("close after open", __wasi_fd_close(fd));
    return e;
}

/* Creates (or empties) a file holding `text`. */
__attribute__((unused)) static void make_file(__wasi_fd_t dir, const char *path, const char *text) {
    __wasi_fd_t fd;
    __wasi_errno_t e = open_at(dir, 0, path, __WASI_OFLAGS_CREAT | __WASI_OFLAGS_TRUNC,
                               __WASI_RIGHTS_FD_WRITE, &fd);
    setup(path, e);
    if (e) return;
    __wasi_ciovec_t iov = {(const uint8_t *)text, strlen(text)};
    __wasi_size_t n;
    setup(path, __wasi_fd_write(fd, &iov, 1, &n));
    setup(path, __wasi_fd_close(fd));
}

__attribute__((unused)) static int finish_cases(void) {
    fflush(stdout);
    return g_setup_failures == 0 ? 0 : 1;
}
#endif
