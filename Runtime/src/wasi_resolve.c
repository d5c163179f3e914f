/* The sandbox: opening a path beneath a directory descriptor, never outside it.
 * openat2(RESOLVE_BENEATH) where the kernel has it (Linux 5.6+), else a component walk
 * that opens one name at a time with O_NOFOLLOW, expands symlinks itself and keeps its
 * own stack of directories, so `..` can never climb above the start. Either way the
 * check happens at every use, so symlinks planted later cannot lead out. */
#include "wasi_internal.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/openat2.h>
#include <stdlib.h>
#include <sys/syscall.h>
#include <unistd.h>

bool wkw_force_walk = false;
static bool no_openat2 = false; /* ENOSYS seen: the kernel predates it */

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
            /* Empty remainder: the path named the current directory, which O_CREAT
             * cannot make (EISDIR, as Linux says). */
            int top = depth ? stack[depth - 1] : root;
            if (flags & O_CREAT) { error = EISDIR; break; }
            result = openat(top, ".", (flags & ~(O_EXCL | O_NOFOLLOW)) | O_CLOEXEC, mode);
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
        /* A name with a trailing slash is a directory, which O_CREAT cannot make. */
        if (last && trailing_slash && (flags & O_CREAT)) { error = EISDIR; break; }
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

int wkw_beneath_open(int root, const char *path, int flags, mode_t mode) {
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
