/* WASI descriptors: the table, stat conversion, and the fd_* calls. */
#include "wasi_internal.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <unistd.h>

uint32_t wkw_fd_get(wk_wasi *w, uint32_t fd, uint64_t rights, wkw_fd **out) {
    if (fd >= __atomic_load_n(&w->fd_count, __ATOMIC_ACQUIRE) || w->fds[fd].host < 0) return WKW_EBADF;
    wkw_fd *f = &w->fds[fd];
    if ((f->possible & rights) != rights) return WKW_EBADF;
    if ((f->rights & rights) != rights) return WKW_ENOTCAPABLE;
    *out = f;
    return WKW_ESUCCESS;
}

uint64_t wkw_possible(int host, uint8_t type) {
    if (type == WKW_FT_DIR) return WKW_RIGHTS_DIR;
    uint64_t most = type == WKW_FT_FILE ? WKW_RIGHTS_FILE
                  : type == WKW_FT_STREAM || type == WKW_FT_DGRAM ? WKW_RIGHTS_SOCKET
                  : WKW_RIGHTS_STREAM;
    int mode = fcntl(host, F_GETFL);
    if (mode < 0) return 0;
    mode &= O_ACCMODE;
    if (mode == O_WRONLY) most &= ~WKW_RIGHT_FD_READ;
    if (mode == O_RDONLY) most &= ~WKW_RIGHT_FD_WRITE;
    return most;
}

uint32_t wkw_fd_add(wk_wasi *w, int host, uint8_t type, uint64_t rights, uint64_t inheriting,
                    uint32_t *out) {
    uint64_t possible = wkw_possible(host, type);
    pthread_mutex_lock(&w->lock);
    uint32_t number = 0;
    while (number < w->fd_count && w->fds[number].host >= 0) number++;
    if (number == WKW_FD_LIMIT) {
        pthread_mutex_unlock(&w->lock);
        close(host);
        return WKW_EMFILE;
    }
    w->fds[number] = (wkw_fd){.host = host, .type = type, .possible = possible, .rights = rights & possible,
                              .inheriting = inheriting};
    if (number == w->fd_count) __atomic_store_n(&w->fd_count, number + 1, __ATOMIC_RELEASE);
    pthread_mutex_unlock(&w->lock);
    *out = number;
    return WKW_ESUCCESS;
}

void wkw_fd_release(wkw_fd *f) {
    if (f->dir) closedir(f->dir);
    if (f->host >= 0) close(f->host);
    free(f->preopen);
    *f = (wkw_fd){.host = -1};
}

uint8_t wkw_filetype(int host, const struct stat *st) {
    switch (st->st_mode & S_IFMT) {
    case S_IFDIR: return WKW_FT_DIR;
    case S_IFREG: return WKW_FT_FILE;
    case S_IFLNK: return WKW_FT_SYMLINK;
    case S_IFCHR: return WKW_FT_CHAR;
    case S_IFBLK: return WKW_FT_BLOCK;
    case S_IFSOCK: {
        int type = 0;
        socklen_t length = sizeof type;
        if (host >= 0 && getsockopt(host, SOL_SOCKET, SO_TYPE, &type, &length) == 0 && type == SOCK_DGRAM)
            return WKW_FT_DGRAM;
        return WKW_FT_STREAM;
    }
    }
    return WKW_FT_UNKNOWN; /* pipes: WASI has no type for them */
}

static uint64_t stat_time(struct timespec t) {
    return t.tv_sec < 0 ? 0 : (uint64_t)t.tv_sec * 1000000000u + (uint64_t)t.tv_nsec;
}

void wkw_put_filestat(uint8_t *p, int host, const struct stat *st) {
    memset(p, 0, 64);
    wkw_put64(p, (uint64_t)st->st_dev);
    wkw_put64(p + 8, (uint64_t)st->st_ino);
    p[16] = wkw_filetype(host, st);
    wkw_put64(p + 24, (uint64_t)st->st_nlink);
    wkw_put64(p + 32, (uint64_t)st->st_size);
    wkw_put64(p + 40, stat_time(st->st_atim));
    wkw_put64(p + 48, stat_time(st->st_mtim));
    wkw_put64(p + 56, stat_time(st->st_ctim));
}

uint32_t wkw_iovecs(wk_wasi *w, uint32_t iovs, uint32_t count, struct iovec **out) {
    uint8_t *list = wkw_mem(w, iovs, (uint64_t)count * 8);
    if (!list) return WKW_EFAULT;
    if (count > IOV_MAX) return WKW_EINVAL;
    struct iovec *v = malloc(((size_t)count + 1) * sizeof *v);
    if (!v) return WKW_ENOMEM;
    for (uint32_t i = 0; i < count; i++) {
        uint32_t buffer = wkw_get32(list + 8 * i), length = wkw_get32(list + 8 * i + 4);
        uint8_t *p = wkw_mem(w, buffer, length);
        if (!p) {
            free(v);
            return WKW_EFAULT;
        }
        v[i] = (struct iovec){.iov_base = p, .iov_len = length};
    }
    *out = v;
    return WKW_ESUCCESS;
}

/* ---- reading and writing ---- */

/* A read or write of stdio served by the embedder's callback: the iovecs in turn,
 * stopping after a short one; -1 when the first fails. */
static ssize_t through_callback(wk_wasi *w, const wkw_fd *f, const struct iovec *v, uint32_t count,
                                bool write) {
    ssize_t total = 0;
    for (uint32_t i = 0; i < count; i++) {
        if (v[i].iov_len == 0) continue;
        long n = write ? w->write_output(w->io_context, f->callback - 1, v[i].iov_base, v[i].iov_len)
                       : w->read_input(w->io_context, v[i].iov_base, v[i].iov_len);
        if (n < 0) return total > 0 ? total : -1;
        if ((size_t)n > v[i].iov_len) n = (long)v[i].iov_len; /* never more than asked */
        total += n;
        if ((size_t)n < v[i].iov_len) break;
    }
    return total;
}

/* readv/writev/preadv/pwritev through the guest's iovecs; the count goes to `out`. */
static uint32_t transfer(wk_wasi *w, uint32_t fd, uint32_t iovs, uint32_t count, bool write,
                         bool positioned, uint64_t offset, uint32_t out) {
    wkw_fd *f;
    uint32_t error = wkw_fd_get(w, fd, write ? WKW_RIGHT_FD_WRITE : WKW_RIGHT_FD_READ, &f);
    if (error) return error;
    if (positioned) {
        if (f->type != WKW_FT_FILE) return WKW_ESPIPE; /* pipes and terminals have no position */
        if (!(f->rights & WKW_RIGHT_FD_SEEK)) return WKW_ENOTCAPABLE;
    }
    uint8_t *result = wkw_mem(w, out, 4);
    if (!result) return WKW_EFAULT;
    if (positioned && offset > INT64_MAX) return WKW_EINVAL;
    struct iovec *v;
    if ((error = wkw_iovecs(w, iovs, count, &v))) return error;
    ssize_t n;
    if (f->callback) {
        n = through_callback(w, f, v, count, write);
        free(v);
        if (n < 0) return WKW_EIO;
        wkw_put32(result, (uint32_t)n);
        return WKW_ESUCCESS;
    }
    do {
        if (positioned)
            n = write ? pwritev(f->host, v, (int)count, (off_t)offset) : preadv(f->host, v, (int)count, (off_t)offset);
        else
            n = write ? writev(f->host, v, (int)count) : readv(f->host, v, (int)count);
    } while (n < 0 && errno == EINTR);
    int saved = errno;
    free(v);
    if (n < 0) return wkw_errno(saved);
    wkw_put32(result, (uint32_t)n);
    return WKW_ESUCCESS;
}

uint32_t wkw_fd_read(void *c, uint32_t fd, uint32_t iovs, uint32_t count, uint32_t out) {
    return transfer(c, fd, iovs, count, false, false, 0, out);
}

uint32_t wkw_fd_write(void *c, uint32_t fd, uint32_t iovs, uint32_t count, uint32_t out) {
    return transfer(c, fd, iovs, count, true, false, 0, out);
}

uint32_t wkw_fd_pread(void *c, uint32_t fd, uint32_t iovs, uint32_t count, uint64_t offset, uint32_t out) {
    return transfer(c, fd, iovs, count, false, true, offset, out);
}

uint32_t wkw_fd_pwrite(void *c, uint32_t fd, uint32_t iovs, uint32_t count, uint64_t offset, uint32_t out) {
    return transfer(c, fd, iovs, count, true, true, offset, out);
}

uint32_t wkw_fd_seek(void *c, uint32_t fd, uint64_t offset, uint32_t whence, uint32_t out) {
    wkw_fd *f;
    uint32_t error = wkw_fd_get(c, fd, 0, &f);
    if (error) return error;
    /* A directory has no position (EBADF, as in wasmtime); pipes and terminals answer
     * ESPIPE, as POSIX programs expect. */
    if (f->type == WKW_FT_DIR) return WKW_EBADF;
    if (f->type != WKW_FT_FILE) return WKW_ESPIPE;
    /* Reporting the position only needs fd_tell. */
    uint64_t need = offset == 0 && whence == 1 ? WKW_RIGHT_FD_TELL : WKW_RIGHT_FD_SEEK;
    if (!(f->rights & need)) return WKW_ENOTCAPABLE;
    uint8_t *p = wkw_mem(c, out, 8);
    if (!p) return WKW_EFAULT;
    int how = whence == 0 ? SEEK_SET : whence == 1 ? SEEK_CUR : whence == 2 ? SEEK_END : -1;
    if (how < 0) return WKW_EINVAL;
    off_t position = lseek(f->host, (off_t)(int64_t)offset, how);
    if (position < 0) return wkw_errno(errno);
    wkw_put64(p, (uint64_t)position);
    return WKW_ESUCCESS;
}

uint32_t wkw_fd_tell(void *c, uint32_t fd, uint32_t out) {
    return wkw_fd_seek(c, fd, 0, 1, out);
}

/* ---- descriptor state ---- */

uint32_t wkw_fd_close(void *c, uint32_t fd) {
    wk_wasi *w = c;
    pthread_mutex_lock(&w->lock);
    wkw_fd *f;
    uint32_t error = wkw_fd_get(w, fd, 0, &f);
    if (!error) wkw_fd_release(f);
    pthread_mutex_unlock(&w->lock);
    return error;
}

uint32_t wkw_fd_renumber(void *c, uint32_t fd, uint32_t to) {
    wk_wasi *w = c;
    pthread_mutex_lock(&w->lock);
    wkw_fd *from, *target;
    uint32_t error = wkw_fd_get(w, fd, 0, &from);
    if (!error) error = wkw_fd_get(w, to, 0, &target);
    if (!error && fd != to) {
        wkw_fd_release(target);
        *target = *from;
        *from = (wkw_fd){.host = -1};
    }
    pthread_mutex_unlock(&w->lock);
    return error;
}

uint32_t wkw_fd_fdstat_get(void *c, uint32_t fd, uint32_t out) {
    wkw_fd *f;
    uint32_t error = wkw_fd_get(c, fd, 0, &f);
    if (error) return error;
    uint8_t *p = wkw_mem(c, out, 24);
    if (!p) return WKW_EFAULT;
    int flags = fcntl(f->host, F_GETFL);
    if (flags < 0) return wkw_errno(errno);
    uint16_t wasi = 0;
    if (flags & O_APPEND) wasi |= WKW_FDFLAG_APPEND;
    if (flags & O_NONBLOCK) wasi |= WKW_FDFLAG_NONBLOCK;
    if ((flags & O_SYNC) == O_SYNC) wasi |= WKW_FDFLAG_SYNC;
    else if (flags & O_DSYNC) wasi |= WKW_FDFLAG_DSYNC;
    memset(p, 0, 24);
    p[0] = f->type;
    wkw_put16(p + 2, wasi);
    wkw_put64(p + 8, f->rights);
    wkw_put64(p + 16, f->inheriting);
    return WKW_ESUCCESS;
}

/* Linux changes only O_APPEND and O_NONBLOCK on an open file: the sync flags are
 * EINVAL, as in wasmtime. */
uint32_t wkw_fd_fdstat_set_flags(void *c, uint32_t fd, uint32_t flags) {
    wkw_fd *f;
    uint32_t error = wkw_fd_get(c, fd, WKW_RIGHT_FD_FDSTAT_SET_FLAGS, &f);
    if (error) return error;
    if (flags & ~(uint32_t)(WKW_FDFLAG_APPEND | WKW_FDFLAG_NONBLOCK)) return WKW_EINVAL;
    int host = fcntl(f->host, F_GETFL);
    if (host < 0) return wkw_errno(errno);
    host &= ~(O_APPEND | O_NONBLOCK);
    if (flags & WKW_FDFLAG_APPEND) host |= O_APPEND;
    if (flags & WKW_FDFLAG_NONBLOCK) host |= O_NONBLOCK;
    return fcntl(f->host, F_SETFL, host) == 0 ? WKW_ESUCCESS : wkw_errno(errno);
}

/* Rights only ever shrink. */
uint32_t wkw_fd_fdstat_set_rights(void *c, uint32_t fd, uint64_t rights, uint64_t inheriting) {
    wkw_fd *f;
    uint32_t error = wkw_fd_get(c, fd, 0, &f);
    if (error) return error;
    if ((rights & ~f->rights) || (inheriting & ~f->inheriting)) return WKW_ENOTCAPABLE;
    f->rights = rights;
    f->inheriting = inheriting;
    return WKW_ESUCCESS;
}

uint32_t wkw_fd_filestat_get(void *c, uint32_t fd, uint32_t out) {
    wkw_fd *f;
    uint32_t error = wkw_fd_get(c, fd, WKW_RIGHT_FD_FILESTAT_GET, &f);
    if (error) return error;
    uint8_t *p = wkw_mem(c, out, 64);
    if (!p) return WKW_EFAULT;
    struct stat st;
    if (fstat(f->host, &st) != 0) return wkw_errno(errno);
    wkw_put_filestat(p, f->host, &st);
    return WKW_ESUCCESS;
}

uint32_t wkw_fd_filestat_set_size(void *c, uint32_t fd, uint64_t size) {
    wkw_fd *f;
    uint32_t error = wkw_fd_get(c, fd, WKW_RIGHT_FD_FILESTAT_SET_SIZE, &f);
    if (error) return error;
    if (size > INT64_MAX) return WKW_EINVAL;
    return ftruncate(f->host, (off_t)size) == 0 ? WKW_ESUCCESS : wkw_errno(errno);
}

/* fstflags: 1 atim, 2 atim_now, 4 mtim, 8 mtim_now; absent means unchanged. */
static uint32_t set_times(uint64_t atim, uint64_t mtim, uint32_t flags, struct timespec times[2]) {
    if ((flags & 3) == 3 || (flags & 12) == 12 || (flags & ~15u)) return WKW_EINVAL;
    uint64_t values[2] = {atim, mtim};
    for (int i = 0; i < 2; i++) {
        uint32_t set = flags >> (2 * i) & 1, now = flags >> (2 * i) & 2;
        if (now) times[i] = (struct timespec){.tv_nsec = UTIME_NOW};
        else if (set) times[i] = (struct timespec){.tv_sec = (time_t)(values[i] / 1000000000u),
                                                   .tv_nsec = (long)(values[i] % 1000000000u)};
        else times[i] = (struct timespec){.tv_nsec = UTIME_OMIT};
    }
    return WKW_ESUCCESS;
}

uint32_t wkw_fd_filestat_set_times(void *c, uint32_t fd, uint64_t atim, uint64_t mtim, uint32_t flags) {
    wkw_fd *f;
    struct timespec times[2];
    uint32_t error = wkw_fd_get(c, fd, WKW_RIGHT_FD_FILESTAT_SET_TIMES, &f);
    if (!error) error = set_times(atim, mtim, flags, times);
    if (error) return error;
    return futimens(f->host, times) == 0 ? WKW_ESUCCESS : wkw_errno(errno);
}

uint32_t wkw_set_times(uint64_t atim, uint64_t mtim, uint32_t flags, struct timespec times[2]) {
    return set_times(atim, mtim, flags, times);
}

uint32_t wkw_fd_advise(void *c, uint32_t fd, uint64_t offset, uint64_t length, uint32_t advice) {
    static const int host[] = {POSIX_FADV_NORMAL, POSIX_FADV_SEQUENTIAL, POSIX_FADV_RANDOM,
                               POSIX_FADV_WILLNEED, POSIX_FADV_DONTNEED, POSIX_FADV_NOREUSE};
    wkw_fd *f;
    uint32_t error = wkw_fd_get(c, fd, WKW_RIGHT_FD_ADVISE, &f);
    if (error) return error;
    if (advice > 5 || offset > INT64_MAX || length > INT64_MAX) return WKW_EINVAL;
    return wkw_errno(posix_fadvise(f->host, (off_t)offset, (off_t)length, host[advice]));
}

uint32_t wkw_fd_allocate(void *c, uint32_t fd, uint64_t offset, uint64_t length) {
    wkw_fd *f;
    uint32_t error = wkw_fd_get(c, fd, WKW_RIGHT_FD_ALLOCATE, &f);
    if (error) return error;
    if (offset > INT64_MAX || length > INT64_MAX - offset) return WKW_EINVAL;
    return wkw_errno(posix_fallocate(f->host, (off_t)offset, (off_t)length));
}

uint32_t wkw_fd_datasync(void *c, uint32_t fd) {
    wkw_fd *f;
    uint32_t error = wkw_fd_get(c, fd, WKW_RIGHT_FD_DATASYNC, &f);
    if (error) return error;
    return fdatasync(f->host) == 0 ? WKW_ESUCCESS : wkw_errno(errno);
}

uint32_t wkw_fd_sync(void *c, uint32_t fd) {
    wkw_fd *f;
    uint32_t error = wkw_fd_get(c, fd, WKW_RIGHT_FD_SYNC, &f);
    if (error) return error;
    return fsync(f->host) == 0 ? WKW_ESUCCESS : wkw_errno(errno);
}

/* ---- preopens ---- */

uint32_t wkw_fd_prestat_get(void *c, uint32_t fd, uint32_t out) {
    wkw_fd *f;
    uint32_t error = wkw_fd_get(c, fd, 0, &f);
    if (error) return error;
    if (!f->preopen) return WKW_EBADF;
    uint8_t *p = wkw_mem(c, out, 8);
    if (!p) return WKW_EFAULT;
    memset(p, 0, 8); /* tag 0: a directory */
    wkw_put32(p + 4, f->preopen_length);
    return WKW_ESUCCESS;
}

/* ENOTDIR for an open descriptor that is not a preopen, as in wasmtime. */
uint32_t wkw_fd_prestat_dir_name(void *c, uint32_t fd, uint32_t path, uint32_t length) {
    wkw_fd *f;
    uint32_t error = wkw_fd_get(c, fd, 0, &f);
    if (error) return error;
    if (!f->preopen) return WKW_ENOTDIR;
    uint8_t *p = wkw_mem(c, path, length);
    if (!p) return WKW_EFAULT;
    if (length < f->preopen_length) return WKW_ENAMETOOLONG;
    memcpy(p, f->preopen, f->preopen_length);
    return WKW_ESUCCESS;
}

/* ---- directories ---- */

/* Entries from `cookie` on. A cookie is an entry's index in the listing (0 is the
 * start): the host's d_off values are 64-bit hashes, which a 32-bit guest's telldir
 * (a `long`) cannot hold. The stream is kept where the last call stopped, so reading a
 * directory in order costs no rescans. Entries are 24-byte dirents followed by the
 * name; the last may be cut short, which tells the guest to call again from it. */
uint32_t wkw_fd_readdir(void *c, uint32_t fd, uint32_t buffer, uint32_t length, uint64_t cookie, uint32_t out) {
    wkw_fd *f;
    uint32_t error = wkw_fd_get(c, fd, WKW_RIGHT_FD_READDIR, &f);
    if (error) return error;
    uint8_t *p = wkw_mem(c, buffer, length), *result = wkw_mem(c, out, 4);
    if (!p || !result) return WKW_EFAULT;
    if (!f->dir) {
        /* A descriptor of its own: the stream owns and moves its offset. */
        int copy = openat(f->host, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (copy < 0) return wkw_errno(errno);
        if (!(f->dir = fdopendir(copy))) {
            int saved = errno;
            close(copy);
            return wkw_errno(saved);
        }
    }
    if (cookie != f->dir_index) {
        rewinddir(f->dir);
        f->dir_index = 0;
        while (f->dir_index < cookie && readdir(f->dir)) f->dir_index++;
    }
    uint32_t used = 0;
    while (used < length) {
        long position = telldir(f->dir);
        errno = 0;
        struct dirent *entry = readdir(f->dir);
        if (!entry) {
            if (errno) return wkw_errno(errno);
            break;
        }
        f->dir_index++;
        size_t name_length = strlen(entry->d_name);
        uint8_t header[24] = {0}, type;
        switch (entry->d_type) {
        case DT_DIR: type = WKW_FT_DIR; break;
        case DT_REG: type = WKW_FT_FILE; break;
        case DT_LNK: type = WKW_FT_SYMLINK; break;
        case DT_CHR: type = WKW_FT_CHAR; break;
        case DT_BLK: type = WKW_FT_BLOCK; break;
        case DT_SOCK: type = WKW_FT_STREAM; break;
        default: type = WKW_FT_UNKNOWN; break;
        }
        wkw_put64(header, f->dir_index);
        wkw_put64(header + 8, (uint64_t)entry->d_ino);
        wkw_put32(header + 16, (uint32_t)name_length);
        header[20] = type;
        uint32_t room = length - used, n = room < 24 ? room : 24;
        memcpy(p + used, header, n);
        used += n;
        bool complete = n == 24;
        room = length - used;
        n = name_length < room ? (uint32_t)name_length : room;
        memcpy(p + used, entry->d_name, n);
        used += n;
        if (!complete || n < name_length) {
            /* Cut short: the guest asks again from this entry, so step back onto it. */
            seekdir(f->dir, position);
            f->dir_index--;
        }
    }
    wkw_put32(result, used);
    return WKW_ESUCCESS;
}
