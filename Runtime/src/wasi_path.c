/* WASI paths and the sandbox. Every path resolves beneath the directory descriptor it
 * is relative to: openat2(RESOLVE_BENEATH) where the kernel has it (Linux 5.6+), else a
 * component walk that opens one name at a time with O_NOFOLLOW, expands symlinks
 * itself and keeps its own stack of directories, so `..` can never climb above the
 * start. Either way the check happens at every use, so symlinks planted later cannot
 * lead out. Escapes (absolute paths, `..` above the preopen, symlinks leading out) fail
 * with ENOTCAPABLE, as in wasmtime. Operations on a name (unlink, rename, link, symlink,
 * mkdir, readlink) resolve the parent that way and act on the last component with the
 * *at() calls, never following it. */
#include "wasi_internal.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/openat2.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/syscall.h>
#include <unistd.h>

bool wkw_force_walk = false;
static bool no_openat2 = false; /* ENOSYS seen: the kernel predates it */

enum { LOOKUP_FOLLOW = 1 };
enum { MAX_SYMLINKS = 40 };

/* The component walk: `flags` applies to the last component, which O_NOFOLLOW keeps
 * from being followed; other symlinks are expanded here (relative targets only). */
static int walk_open(int root, const char *path, int flags, mode_t mode) {
    size_t capacity = strlen(path) + 1;
    char *rest = malloc(capacity);
    int stack[PATH_MAX / 2];
    int depth = 0, links = 0, result = -1, error = 0;
    if (!rest) return errno = ENOMEM, -1;
    memcpy(rest, path, capacity);
    bool trailing_slash = capacity > 1 && path[capacity - 2] == '/';
    size_t at = 0;
    for (;;) {
        while (rest[at] == '/') at++;
        if (!rest[at]) {
            /* Empty remainder: the path named the current directory. */
            int top = depth ? stack[depth - 1] : root;
            result = openat(top, ".", (flags & ~(O_CREAT | O_EXCL | O_NOFOLLOW)) | O_CLOEXEC, mode);
            if (result < 0) error = errno;
            break;
        }
        size_t end = at;
        while (rest[end] && rest[end] != '/') end++;
        size_t after = end;
        while (rest[after] == '/') after++;
        bool last = !rest[after];
        char name[NAME_MAX + 1];
        if (end - at > NAME_MAX) { error = ENAMETOOLONG; break; }
        memcpy(name, rest + at, end - at);
        name[end - at] = 0;
        at = after;
        int top = depth ? stack[depth - 1] : root;
        if (strcmp(name, ".") == 0) continue;
        if (strcmp(name, "..") == 0) {
            if (depth == 0) { error = EXDEV; break; }
            close(stack[--depth]);
            continue;
        }
        bool follow = !last || trailing_slash || !(flags & O_NOFOLLOW);
        if (follow) {
            char target[PATH_MAX];
            ssize_t n = readlinkat(top, name, target, sizeof target - 1);
            if (n >= 0) {
                if (++links > MAX_SYMLINKS) { error = ELOOP; break; }
                target[n] = 0;
                if (target[0] == '/' || n == 0) { error = n ? EXDEV : ENOENT; break; }
                /* Continue with target + "/" + the rest. */
                size_t tail = strlen(rest + at);
                char *next = malloc((size_t)n + tail + 2);
                if (!next) { error = ENOMEM; break; }
                memcpy(next, target, (size_t)n);
                next[n] = '/';
                memcpy(next + n + 1, rest + at, tail + 1);
                if (last && !trailing_slash) next[n] = 0, next[n + 1] = 0;
                free(rest);
                rest = next;
                at = 0;
                continue;
            }
        }
        if (last && !trailing_slash) {
            result = openat(top, name, flags | O_NOFOLLOW | O_CLOEXEC, mode);
            if (result < 0) error = errno;
            break;
        }
        if (depth == (int)(sizeof stack / sizeof *stack)) { error = ENAMETOOLONG; break; }
        /* O_NOFOLLOW: a symlink swapped in after readlinkat fails here (ENOTDIR). */
        int next = openat(top, name, O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
        if (next < 0) { error = errno; break; }
        stack[depth++] = next;
    }
    while (depth) close(stack[--depth]);
    free(rest);
    if (result < 0) errno = error ? error : EIO;
    return result;
}

/* Opens `path` beneath `root`; -1 with errno (EXDEV for an escape). */
static int beneath_open(int root, const char *path, int flags, mode_t mode) {
    if (!wkw_force_walk && !no_openat2) {
        struct open_how how = {
            .flags = (uint64_t)(flags | O_CLOEXEC),
            .mode = (flags & O_CREAT) ? mode : 0,
            .resolve = RESOLVE_BENEATH | RESOLVE_NO_MAGICLINKS,
        };
        for (int attempt = 0; attempt < 16; attempt++) {
            long fd = syscall(SYS_openat2, root, path, &how, sizeof how);
            if (fd >= 0) return (int)fd;
            if (errno == EAGAIN || errno == EINTR) continue; /* a concurrent rename */
            if (errno != ENOSYS) return -1;
            no_openat2 = true;
            break;
        }
        if (!no_openat2) return errno = EAGAIN, -1;
    }
    return walk_open(root, path, flags, mode);
}

/* Resolution errors: an escape is a missing capability. */
static uint32_t resolve_errno(int host) {
    return host == EXDEV ? WKW_ENOTCAPABLE : wkw_errno(host);
}

/* The guest path as a C string (malloc'ed): EFAULT out of memory, EINVAL with a NUL
 * inside, ENOTCAPABLE when absolute. */
static uint32_t guest_path(wk_wasi *w, uint32_t address, uint32_t length, char **out) {
    const uint8_t *p = wkw_mem(w, address, length);
    if (!p) return WKW_EFAULT;
    if (length >= PATH_MAX) return WKW_ENAMETOOLONG;
    if (memchr(p, 0, length)) return WKW_EINVAL;
    if (length == 0) return WKW_ENOENT;
    if (p[0] == '/') return WKW_ENOTCAPABLE;
    char *path = malloc((size_t)length + 1);
    if (!path) return WKW_ENOMEM;
    memcpy(path, p, length);
    path[length] = 0;
    *out = path;
    return WKW_ESUCCESS;
}

/* A directory descriptor the guest passed. */
static uint32_t directory(wk_wasi *w, uint32_t fd, wkw_fd **out) {
    uint32_t error = wkw_fd_get(w, fd, 0, out);
    if (error) return error;
    return (*out)->type == WKW_FT_DIR ? WKW_ESUCCESS : WKW_ENOTDIR;
}

/* The parent of a guest path, opened beneath `fd`, and its last component. A path
 * ending in `..` names a directory above its parent: it is checked to stay inside and
 * then acted on as `..` of the parent, which every name operation refuses. */
typedef struct parent {
    int fd;
    char *path;       /* owns the text */
    const char *name; /* last component, inside `path` */
} parent;

static uint32_t open_parent(wk_wasi *w, uint32_t fd, uint32_t address, uint32_t length, parent *out) {
    wkw_fd *dir;
    uint32_t error = directory(w, fd, &dir);
    if (error) return error;
    char *path;
    if ((error = guest_path(w, address, length, &path))) return error;
    size_t n = strlen(path);
    while (n > 1 && path[n - 1] == '/') path[--n] = 0; /* "a/" acts on "a" */
    char *slash = strrchr(path, '/');
    const char *name = slash ? slash + 1 : path;
    if (slash) *slash = 0;
    int parent_fd = beneath_open(dir->host, slash ? (slash == path ? "." : path) : ".",
                                 O_PATH | O_DIRECTORY, 0);
    if (parent_fd < 0) {
        error = resolve_errno(errno);
        free(path);
        return error;
    }
    if (strcmp(name, "..") == 0) {
        int check = beneath_open(parent_fd, "..", O_PATH | O_DIRECTORY, 0);
        if (check < 0) {
            error = resolve_errno(errno);
            close(parent_fd);
            free(path);
            return error;
        }
        close(check);
    }
    *out = (parent){.fd = parent_fd, .path = path, .name = name};
    return WKW_ESUCCESS;
}

static void close_parent(parent *p) {
    close(p->fd);
    free(p->path);
}

/* Opens the whole path beneath `fd` as O_PATH, following the last symlink or not. */
static uint32_t open_whole(wk_wasi *w, uint32_t fd, uint32_t lookup, uint32_t address, uint32_t length,
                           int *out) {
    wkw_fd *dir;
    char *path;
    uint32_t error = directory(w, fd, &dir);
    if (!error) error = guest_path(w, address, length, &path);
    if (error) return error;
    int host = beneath_open(dir->host, path, O_PATH | (lookup & LOOKUP_FOLLOW ? 0 : O_NOFOLLOW), 0);
    free(path);
    if (host < 0) return resolve_errno(errno);
    *out = host;
    return WKW_ESUCCESS;
}

/* oflags: 1 creat, 2 directory, 4 excl, 8 trunc. The access mode follows the rights
 * asked for, as in wasmtime: write rights open for writing. */
uint32_t wkw_path_open(void *c, uint32_t fd, uint32_t lookup, uint32_t address, uint32_t length,
                       uint32_t oflags, uint64_t rights, uint64_t inheriting, uint32_t fdflags, uint32_t out) {
    wk_wasi *w = c;
    wkw_fd *dir;
    char *path;
    uint32_t error = directory(w, fd, &dir);
    if (error) return error;
    if (!wkw_mem(w, out, 4)) return WKW_EFAULT;
    if ((error = guest_path(w, address, length, &path))) return error;
    bool read = rights & (WKW_RIGHT_FD_READ | WKW_RIGHT_FD_READDIR);
    bool write = rights & (WKW_RIGHT_FD_WRITE | WKW_RIGHT_FD_ALLOCATE | WKW_RIGHT_FD_FILESTAT_SET_SIZE);
    /* A directory is only ever read; write rights it cannot use are dropped below. */
    int flags = write && !(oflags & 2) ? (read ? O_RDWR : O_WRONLY) : O_RDONLY;
    if (oflags & 1) flags |= O_CREAT;
    if (oflags & 2) flags |= O_DIRECTORY;
    if (oflags & 4) flags |= O_EXCL;
    if (oflags & 8) flags |= O_TRUNC;
    if (fdflags & WKW_FDFLAG_APPEND) flags |= O_APPEND;
    if (fdflags & WKW_FDFLAG_DSYNC) flags |= O_DSYNC;
    if (fdflags & WKW_FDFLAG_NONBLOCK) flags |= O_NONBLOCK;
    if (fdflags & (WKW_FDFLAG_RSYNC | WKW_FDFLAG_SYNC)) flags |= O_SYNC;
    if (!(lookup & LOOKUP_FOLLOW)) flags |= O_NOFOLLOW;
    int host = beneath_open(dir->host, path, flags | O_NOCTTY, 0666);
    free(path);
    if (host < 0) return resolve_errno(errno);
    struct stat st;
    if (fstat(host, &st) != 0) {
        error = wkw_errno(errno);
        close(host);
        return error;
    }
    uint8_t type = wkw_filetype(host, &st);
    uint64_t most = type == WKW_FT_DIR ? WKW_RIGHTS_DIR : type == WKW_FT_FILE ? WKW_RIGHTS_FILE : WKW_RIGHTS_STREAM;
    uint64_t allowed = dir->inheriting;
    uint32_t number;
    error = wkw_fd_add(w, host, type, rights & most & allowed, inheriting & allowed, &number);
    if (error) return error;
    return wkw_store32(w, out, number);
}

uint32_t wkw_path_filestat_get(void *c, uint32_t fd, uint32_t lookup, uint32_t address, uint32_t length,
                               uint32_t out) {
    uint8_t *p = wkw_mem(c, out, 64);
    int host;
    if (!p) return WKW_EFAULT;
    uint32_t error = open_whole(c, fd, lookup, address, length, &host);
    if (error) return error;
    struct stat st;
    error = fstat(host, &st) == 0 ? WKW_ESUCCESS : wkw_errno(errno);
    if (!error) wkw_put_filestat(p, -1, &st);
    close(host);
    return error;
}

uint32_t wkw_path_filestat_set_times(void *c, uint32_t fd, uint32_t lookup, uint32_t address, uint32_t length,
                                     uint64_t atim, uint64_t mtim, uint32_t flags) {
    struct timespec times[2];
    int host;
    uint32_t error = wkw_set_times(atim, mtim, flags, times);
    if (!error) error = open_whole(c, fd, lookup, address, length, &host);
    if (error) return error;
    /* An O_PATH descriptor takes times through AT_EMPTY_PATH. */
    error = utimensat(host, "", times, AT_EMPTY_PATH) == 0 ? WKW_ESUCCESS : wkw_errno(errno);
    close(host);
    return error;
}

uint32_t wkw_path_create_directory(void *c, uint32_t fd, uint32_t address, uint32_t length) {
    parent p;
    uint32_t error = open_parent(c, fd, address, length, &p);
    if (error) return error;
    error = mkdirat(p.fd, p.name, 0777) == 0 ? WKW_ESUCCESS : wkw_errno(errno);
    close_parent(&p);
    return error;
}

uint32_t wkw_path_remove_directory(void *c, uint32_t fd, uint32_t address, uint32_t length) {
    parent p;
    uint32_t error = open_parent(c, fd, address, length, &p);
    if (error) return error;
    error = unlinkat(p.fd, p.name, AT_REMOVEDIR) == 0 ? WKW_ESUCCESS : wkw_errno(errno);
    close_parent(&p);
    return error;
}

uint32_t wkw_path_unlink_file(void *c, uint32_t fd, uint32_t address, uint32_t length) {
    parent p;
    uint32_t error = open_parent(c, fd, address, length, &p);
    if (error) return error;
    error = unlinkat(p.fd, p.name, 0) == 0 ? WKW_ESUCCESS : wkw_errno(errno);
    close_parent(&p);
    return error;
}

/* The link's text as stored: reading it resolves nothing. */
uint32_t wkw_path_readlink(void *c, uint32_t fd, uint32_t address, uint32_t length, uint32_t buffer,
                           uint32_t buffer_length, uint32_t out) {
    uint8_t *b = wkw_mem(c, buffer, buffer_length), *result = wkw_mem(c, out, 4);
    parent p;
    if (!b || !result) return WKW_EFAULT;
    uint32_t error = open_parent(c, fd, address, length, &p);
    if (error) return error;
    ssize_t n = readlinkat(p.fd, p.name, (char *)b, buffer_length);
    error = n >= 0 ? WKW_ESUCCESS : wkw_errno(errno);
    if (n >= 0) wkw_put32(result, (uint32_t)n);
    close_parent(&p);
    return error;
}

uint32_t wkw_path_rename(void *c, uint32_t fd, uint32_t address, uint32_t length, uint32_t new_fd,
                         uint32_t new_address, uint32_t new_length) {
    parent from, to;
    uint32_t error = open_parent(c, fd, address, length, &from);
    if (error) return error;
    if ((error = open_parent(c, new_fd, new_address, new_length, &to))) {
        close_parent(&from);
        return error;
    }
    error = renameat(from.fd, from.name, to.fd, to.name) == 0 ? WKW_ESUCCESS : wkw_errno(errno);
    close_parent(&from);
    close_parent(&to);
    return error;
}

/* Following a symlink source could link a file outside, so it is refused (EINVAL, as
 * in wasmtime); the link is made to the name itself. */
uint32_t wkw_path_link(void *c, uint32_t fd, uint32_t lookup, uint32_t address, uint32_t length,
                       uint32_t new_fd, uint32_t new_address, uint32_t new_length) {
    if (lookup & LOOKUP_FOLLOW) return WKW_EINVAL;
    parent from, to;
    uint32_t error = open_parent(c, fd, address, length, &from);
    if (error) return error;
    if ((error = open_parent(c, new_fd, new_address, new_length, &to))) {
        close_parent(&from);
        return error;
    }
    error = linkat(from.fd, from.name, to.fd, to.name, 0) == 0 ? WKW_ESUCCESS : wkw_errno(errno);
    close_parent(&from);
    close_parent(&to);
    return error;
}

/* The target is stored as text, unresolved: any target is allowed, and resolution
 * beneath the preopen keeps later uses of it inside. */
uint32_t wkw_path_symlink(void *c, uint32_t target_address, uint32_t target_length, uint32_t fd,
                          uint32_t address, uint32_t length) {
    const uint8_t *t = wkw_mem(c, target_address, target_length);
    if (!t) return WKW_EFAULT;
    if (memchr(t, 0, target_length)) return WKW_EINVAL;
    if (target_length >= PATH_MAX) return WKW_ENAMETOOLONG;
    char target[PATH_MAX];
    memcpy(target, t, target_length);
    target[target_length] = 0;
    parent p;
    uint32_t error = open_parent(c, fd, address, length, &p);
    if (error) return error;
    error = symlinkat(target, p.fd, p.name) == 0 ? WKW_ESUCCESS : wkw_errno(errno);
    close_parent(&p);
    return error;
}
