/* WASI path_* calls. Every path resolves beneath the directory descriptor it is
 * relative to (wkw_beneath_open). The answers follow wasmtime's (cap-std's), which
 * follow Linux's: escapes (absolute paths, `..` above the directory, symlinks leading
 * out) fail with EPERM; a name that is not UTF-8 with EILSEQ; a descriptor that is not
 * a directory with ENOTDIR for path_open and EBADF for the rest. The directory must
 * hold the call's preview1 right (ENOTCAPABLE). Operations on a name (mkdir, rmdir,
 * unlink, link, symlink, rename, readlink) open the directory holding the name that
 * way and act on the name with the *at() calls, which never follow it. */
#include "wasi_internal.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <unistd.h>

enum { LOOKUP_FOLLOW = 1 };
enum { OFLAG_CREAT = 1, OFLAG_DIRECTORY = 2, OFLAG_EXCL = 4, OFLAG_TRUNC = 8 };

/* Resolution errors: an escape is not permitted. */
static uint32_t resolve_errno(int host) {
    return host == EXDEV ? WKW_EPERM : wkw_errno(host);
}

/* Whether p[0, n) is UTF-8 as Rust's str takes it: shortest forms, no surrogates,
 * nothing past U+10FFFF. */
static bool valid_utf8(const uint8_t *p, uint32_t n) {
    for (uint32_t i = 0; i < n;) {
        uint8_t c = p[i];
        uint32_t extra = c < 0x80 ? 0 : c >= 0xC2 && c <= 0xDF ? 1 : c >= 0xE0 && c <= 0xEF ? 2
                       : c >= 0xF0 && c <= 0xF4 ? 3 : 4;
        if (extra == 4 || n - i <= extra) return false;
        /* The second byte's range excludes overlong forms, surrogates and > U+10FFFF. */
        uint8_t low = c == 0xE0 ? 0xA0 : c == 0xF0 ? 0x90 : 0x80;
        uint8_t high = c == 0xED ? 0x9F : c == 0xF4 ? 0x8F : 0xBF;
        for (uint32_t k = 1; k <= extra; k++) {
            uint8_t b = p[i + k];
            if (k == 1 ? b < low || b > high : (b & 0xC0) != 0x80) return false;
        }
        i += extra + 1;
    }
    return true;
}

/* A guest string (a path or a symlink's text) as a C string: EFAULT outside memory,
 * EILSEQ when not UTF-8, EINVAL with a NUL inside, ENAMETOOLONG past PATH_MAX. */
static uint32_t guest_string(wk_wasi *w, uint32_t address, uint32_t length, char out[PATH_MAX]) {
    const uint8_t *p = wkw_mem(w, address, length);
    if (!p) return WKW_EFAULT;
    if (!valid_utf8(p, length)) return WKW_EILSEQ;
    if (memchr(p, 0, length)) return WKW_EINVAL;
    if (length >= PATH_MAX) return WKW_ENAMETOOLONG;
    memcpy(out, p, length);
    out[length] = 0;
    return WKW_ESUCCESS;
}

/* A guest path: a string that is not empty (ENOENT) nor absolute (EPERM). */
static uint32_t guest_path(wk_wasi *w, uint32_t address, uint32_t length, char out[PATH_MAX]) {
    uint32_t error = guest_string(w, address, length, out);
    if (error) return error;
    if (!out[0]) return WKW_ENOENT;
    return out[0] == '/' ? WKW_EPERM : WKW_ESUCCESS;
}

/* Where a name operation acts: the directory holding the name, opened beneath the
 * guest's directory, and the name. As in wasmtime (cap-std), a path ending in "/",
 * "/." or ".." names a directory itself: the holder is the whole path (which must be
 * a directory: ENOTDIR, ENOENT) and the name is ".", which the *at() calls refuse as
 * they should (EEXIST, EISDIR, EINVAL). */
typedef struct place {
    int fd;
    char name[NAME_MAX + 2]; /* room for a slash put back */
} place;

enum {
    STRIP_SLASHES = 1, /* mkdir, rmdir, rename: "a/" acts on "a" */
    KEEP_SLASH = 2,    /* rename: ...then hands "a/" to renameat, which checks it */
};

static bool ends_with(const char *text, size_t n, const char *tail) {
    size_t k = strlen(tail);
    return n >= k && memcmp(text + n - k, tail, k) == 0;
}

static uint32_t open_place(wk_wasi *w, uint32_t fd, uint64_t right, uint32_t address, uint32_t length,
                           int how, place *out) {
    wkw_fd *dir;
    char path[PATH_MAX];
    uint32_t error = wkw_fd_get(w, fd, right, &dir);
    if (!error) error = guest_path(w, address, length, path);
    if (error) return error;
    size_t n = strlen(path);
    bool slash = path[n - 1] == '/';
    if (how & STRIP_SLASHES)
        while (n > 1 && path[n - 1] == '/') path[--n] = 0; /* path[0] is not a slash */
    const char *holder = path, *name = ".";
    bool itself = path[n - 1] == '/' || ends_with(path, n, "/.") || strcmp(path, "..") == 0 ||
                  ends_with(path, n, "/..");
    if (!itself) {
        char *last = strrchr(path, '/');
        name = last ? last + 1 : path;
        if (last) *last = 0;
        else holder = ".";
    }
    if (strlen(name) > NAME_MAX) return WKW_ENAMETOOLONG;
    strcpy(out->name, name);
    if ((how & KEEP_SLASH) && slash) strcat(out->name, "/");
    out->fd = wkw_beneath_open(dir->host, holder, O_PATH | O_DIRECTORY, 0);
    return out->fd < 0 ? resolve_errno(errno) : WKW_ESUCCESS;
}

/* The result of a name operation's host call (0 or -1 with errno). */
static uint32_t done(place *p, int result) {
    uint32_t error = result == 0 ? WKW_ESUCCESS : wkw_errno(errno);
    close(p->fd);
    return error;
}

/* Opens the whole path beneath `fd` as O_PATH, following the last symlink or not. */
static uint32_t open_whole(wk_wasi *w, uint32_t fd, uint64_t right, uint32_t lookup, uint32_t address,
                           uint32_t length, int *out) {
    wkw_fd *dir;
    char path[PATH_MAX];
    uint32_t error = wkw_fd_get(w, fd, right, &dir);
    if (!error) error = guest_path(w, address, length, path);
    if (error) return error;
    int host = wkw_beneath_open(dir->host, path, O_PATH | (lookup & LOOKUP_FOLLOW ? 0 : O_NOFOLLOW), 0);
    if (host < 0) return resolve_errno(errno);
    *out = host;
    return WKW_ESUCCESS;
}

/* Whether the last component of `path` is a symlink (not followed). */
static bool names_symlink(int root, const char *path) {
    int host = wkw_beneath_open(root, path, O_PATH | O_NOFOLLOW, 0);
    if (host < 0) return false;
    struct stat st;
    bool link = fstat(host, &st) == 0 && S_ISLNK(st.st_mode);
    close(host);
    return link;
}

/* The directory must hold path_open, and path_create_file for O_CREAT and
 * path_filestat_set_size for O_TRUNC. The access mode follows the rights asked for
 * (and passed on by the directory), as in wasmtime: fd_write opens for writing, so a
 * directory asked for it is EISDIR. The new descriptor gets the rights asked for within
 * the directory's inheriting rights and what its kind can do. */
uint32_t wkw_path_open(void *c, uint32_t fd, uint32_t lookup, uint32_t address, uint32_t length,
                       uint32_t oflags, uint64_t rights, uint64_t inheriting, uint32_t fdflags, uint32_t out) {
    wk_wasi *w = c;
    wkw_fd *dir;
    char path[PATH_MAX];
    uint32_t error = wkw_fd_get(w, fd, 0, &dir);
    if (error) return error;
    if (dir->type != WKW_FT_DIR) return WKW_ENOTDIR;
    uint64_t need = WKW_RIGHT_PATH_OPEN | (oflags & OFLAG_CREAT ? WKW_RIGHT_PATH_CREATE_FILE : 0) |
                    (oflags & OFLAG_TRUNC ? WKW_RIGHT_PATH_FILESTAT_SET_SIZE : 0);
    if ((error = wkw_fd_get(w, fd, need, &dir))) return error;
    if (!wkw_mem(w, out, 4)) return WKW_EFAULT;
    if ((error = guest_path(w, address, length, path))) return error;
    if ((oflags & OFLAG_DIRECTORY) && (oflags & (OFLAG_CREAT | OFLAG_EXCL | OFLAG_TRUNC))) return WKW_EINVAL;
    rights &= dir->inheriting;
    inheriting &= dir->inheriting;
    bool read = rights & WKW_RIGHT_FD_READ, write = rights & WKW_RIGHT_FD_WRITE;
    int flags = write ? (read ? O_RDWR : O_WRONLY) : O_RDONLY;
    if (oflags & OFLAG_CREAT) flags |= O_CREAT;
    if (oflags & OFLAG_DIRECTORY) flags |= O_DIRECTORY;
    if (oflags & OFLAG_EXCL) flags |= O_EXCL;
    if (oflags & OFLAG_TRUNC) flags |= O_TRUNC;
    if (fdflags & WKW_FDFLAG_APPEND) flags |= O_APPEND;
    if (fdflags & WKW_FDFLAG_DSYNC) flags |= O_DSYNC;
    if (fdflags & WKW_FDFLAG_NONBLOCK) flags |= O_NONBLOCK;
    if (fdflags & (WKW_FDFLAG_RSYNC | WKW_FDFLAG_SYNC)) flags |= O_SYNC;
    if (!(lookup & LOOKUP_FOLLOW)) flags |= O_NOFOLLOW;
    int host = wkw_beneath_open(dir->host, path, flags | O_NOCTTY, 0666);
    if (host < 0) {
        int saved = errno;
        /* Linux says ENOTDIR for O_DIRECTORY on a symlink it may not follow; wasmtime
         * says ELOOP, as for any symlink not followed. A trailing slash follows it. */
        if (saved == ENOTDIR && (flags & O_NOFOLLOW) && path[strlen(path) - 1] != '/' &&
            names_symlink(dir->host, path))
            return WKW_ELOOP;
        return resolve_errno(saved);
    }
    struct stat st;
    if (fstat(host, &st) != 0) {
        error = wkw_errno(errno);
        close(host);
        return error;
    }
    uint32_t number;
    if ((error = wkw_fd_add(w, host, wkw_filetype(host, &st), rights, inheriting, &number))) return error;
    return wkw_store32(w, out, number);
}

uint32_t wkw_path_filestat_get(void *c, uint32_t fd, uint32_t lookup, uint32_t address, uint32_t length,
                               uint32_t out) {
    uint8_t *p = wkw_mem(c, out, 64);
    int host;
    if (!p) return WKW_EFAULT;
    uint32_t error = open_whole(c, fd, WKW_RIGHT_PATH_FILESTAT_GET, lookup, address, length, &host);
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
    if (!error)
        error = open_whole(c, fd, WKW_RIGHT_PATH_FILESTAT_SET_TIMES, lookup, address, length, &host);
    if (error) return error;
    /* An O_PATH descriptor takes times through AT_EMPTY_PATH. */
    error = utimensat(host, "", times, AT_EMPTY_PATH) == 0 ? WKW_ESUCCESS : wkw_errno(errno);
    close(host);
    return error;
}

uint32_t wkw_path_create_directory(void *c, uint32_t fd, uint32_t address, uint32_t length) {
    place p;
    uint32_t error = open_place(c, fd, WKW_RIGHT_PATH_CREATE_DIRECTORY, address, length, STRIP_SLASHES, &p);
    return error ? error : done(&p, mkdirat(p.fd, p.name, 0777));
}

uint32_t wkw_path_remove_directory(void *c, uint32_t fd, uint32_t address, uint32_t length) {
    place p;
    uint32_t error = open_place(c, fd, WKW_RIGHT_PATH_REMOVE_DIRECTORY, address, length, STRIP_SLASHES, &p);
    return error ? error : done(&p, unlinkat(p.fd, p.name, AT_REMOVEDIR));
}

uint32_t wkw_path_unlink_file(void *c, uint32_t fd, uint32_t address, uint32_t length) {
    place p;
    uint32_t error = open_place(c, fd, WKW_RIGHT_PATH_UNLINK_FILE, address, length, 0, &p);
    return error ? error : done(&p, unlinkat(p.fd, p.name, 0));
}

/* The link's text as stored: reading it resolves nothing. As in wasmtime, a buffer too
 * short gets the text cut to its length, even when that is 0 (where readlinkat says
 * EINVAL). */
uint32_t wkw_path_readlink(void *c, uint32_t fd, uint32_t address, uint32_t length, uint32_t buffer,
                           uint32_t buffer_length, uint32_t out) {
    uint8_t *b = wkw_mem(c, buffer, buffer_length), *result = wkw_mem(c, out, 4);
    place p;
    if (!b || !result) return WKW_EFAULT;
    uint32_t error = open_place(c, fd, WKW_RIGHT_PATH_READLINK, address, length, 0, &p);
    if (error) return error;
    char text[PATH_MAX];
    ssize_t n = readlinkat(p.fd, p.name, text, sizeof text);
    if (n >= 0) {
        uint32_t kept = (size_t)n < buffer_length ? (uint32_t)n : buffer_length;
        memcpy(b, text, kept);
        wkw_put32(result, kept);
    }
    return done(&p, n >= 0 ? 0 : -1);
}

uint32_t wkw_path_rename(void *c, uint32_t fd, uint32_t address, uint32_t length, uint32_t new_fd,
                         uint32_t new_address, uint32_t new_length) {
    place from, to;
    uint32_t error = open_place(c, fd, WKW_RIGHT_PATH_RENAME_SOURCE, address, length,
                                STRIP_SLASHES | KEEP_SLASH, &from);
    if (error) return error;
    error = open_place(c, new_fd, WKW_RIGHT_PATH_RENAME_TARGET, new_address, new_length,
                       STRIP_SLASHES | KEEP_SLASH, &to);
    if (error) {
        close(from.fd);
        return error;
    }
    error = done(&to, renameat(from.fd, from.name, to.fd, to.name));
    close(from.fd);
    return error;
}

/* Following a symlink source could link a file outside, so it is refused (EINVAL, as
 * in wasmtime); the link is made to the name itself. */
uint32_t wkw_path_link(void *c, uint32_t fd, uint32_t lookup, uint32_t address, uint32_t length,
                       uint32_t new_fd, uint32_t new_address, uint32_t new_length) {
    wkw_fd *dir;
    uint32_t error = wkw_fd_get(c, fd, WKW_RIGHT_PATH_LINK_SOURCE, &dir);
    if (!error) error = wkw_fd_get(c, new_fd, WKW_RIGHT_PATH_LINK_TARGET, &dir);
    if (error) return error;
    if (lookup & LOOKUP_FOLLOW) return WKW_EINVAL;
    place from, to;
    if ((error = open_place(c, fd, WKW_RIGHT_PATH_LINK_SOURCE, address, length, 0, &from))) return error;
    if ((error = open_place(c, new_fd, WKW_RIGHT_PATH_LINK_TARGET, new_address, new_length, 0, &to))) {
        close(from.fd);
        return error;
    }
    error = done(&to, linkat(from.fd, from.name, to.fd, to.name, 0));
    close(from.fd);
    return error;
}

/* The target is stored as text, unresolved: resolution beneath the directory keeps
 * later uses of it inside. An absolute target is refused all the same (EPERM, as in
 * wasmtime), so that no other program following the link leaves the sandbox. */
uint32_t wkw_path_symlink(void *c, uint32_t target_address, uint32_t target_length, uint32_t fd,
                          uint32_t address, uint32_t length) {
    wkw_fd *dir;
    char target[PATH_MAX];
    uint32_t error = wkw_fd_get(c, fd, WKW_RIGHT_PATH_SYMLINK, &dir);
    if (!error) error = guest_string(c, target_address, target_length, target);
    if (error) return error;
    if (target[0] == '/') return WKW_EPERM;
    place p;
    if ((error = open_place(c, fd, WKW_RIGHT_PATH_SYMLINK, address, length, 0, &p))) return error;
    return done(&p, symlinkat(target, p.fd, p.name));
}
