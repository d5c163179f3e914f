/* Shared between the wasi*.c files: the context, the descriptor table, guest memory
 * access and the WASI constants (wasi_snapshot_preview1 witx). */
#ifndef WASMKILN_WASI_INTERNAL_H
#define WASMKILN_WASI_INTERNAL_H

#include "internal.h"
#include "wasmkiln-wasi.h"

#include <dirent.h>
#include <pthread.h>
#include <stdint.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/uio.h>

/* errno values (witx `errno`). */
enum {
    WKW_ESUCCESS = 0, WKW_E2BIG = 1, WKW_EACCES = 2, WKW_EADDRINUSE = 3, WKW_EADDRNOTAVAIL = 4,
    WKW_EAFNOSUPPORT = 5, WKW_EAGAIN = 6, WKW_EALREADY = 7, WKW_EBADF = 8, WKW_EBADMSG = 9,
    WKW_EBUSY = 10, WKW_ECANCELED = 11, WKW_ECHILD = 12, WKW_ECONNABORTED = 13,
    WKW_ECONNREFUSED = 14, WKW_ECONNRESET = 15, WKW_EDEADLK = 16, WKW_EDESTADDRREQ = 17,
    WKW_EDOM = 18, WKW_EDQUOT = 19, WKW_EEXIST = 20, WKW_EFAULT = 21, WKW_EFBIG = 22,
    WKW_EHOSTUNREACH = 23, WKW_EIDRM = 24, WKW_EILSEQ = 25, WKW_EINPROGRESS = 26, WKW_EINTR = 27,
    WKW_EINVAL = 28, WKW_EIO = 29, WKW_EISCONN = 30, WKW_EISDIR = 31, WKW_ELOOP = 32,
    WKW_EMFILE = 33, WKW_EMLINK = 34, WKW_EMSGSIZE = 35, WKW_EMULTIHOP = 36,
    WKW_ENAMETOOLONG = 37, WKW_ENETDOWN = 38, WKW_ENETRESET = 39, WKW_ENETUNREACH = 40,
    WKW_ENFILE = 41, WKW_ENOBUFS = 42, WKW_ENODEV = 43, WKW_ENOENT = 44, WKW_ENOEXEC = 45,
    WKW_ENOLCK = 46, WKW_ENOLINK = 47, WKW_ENOMEM = 48, WKW_ENOMSG = 49, WKW_ENOPROTOOPT = 50,
    WKW_ENOSPC = 51, WKW_ENOSYS = 52, WKW_ENOTCONN = 53, WKW_ENOTDIR = 54, WKW_ENOTEMPTY = 55,
    WKW_ENOTRECOVERABLE = 56, WKW_ENOTSOCK = 57, WKW_ENOTSUP = 58, WKW_ENOTTY = 59,
    WKW_ENXIO = 60, WKW_EOVERFLOW = 61, WKW_EOWNERDEAD = 62, WKW_EPERM = 63, WKW_EPIPE = 64,
    WKW_EPROTO = 65, WKW_EPROTONOSUPPORT = 66, WKW_EPROTOTYPE = 67, WKW_ERANGE = 68,
    WKW_EROFS = 69, WKW_ESPIPE = 70, WKW_ESRCH = 71, WKW_ESTALE = 72, WKW_ETIMEDOUT = 73,
    WKW_ETXTBSY = 74, WKW_EXDEV = 75, WKW_ENOTCAPABLE = 76,
};

/* filetype */
enum {
    WKW_FT_UNKNOWN = 0, WKW_FT_BLOCK = 1, WKW_FT_CHAR = 2, WKW_FT_DIR = 3, WKW_FT_FILE = 4,
    WKW_FT_DGRAM = 5, WKW_FT_STREAM = 6, WKW_FT_SYMLINK = 7,
};

/* rights: bit n of the witx `rights` flags. */
#define WKW_R(n) ((uint64_t)1 << (n))
#define WKW_RIGHT_FD_DATASYNC WKW_R(0)
#define WKW_RIGHT_FD_READ WKW_R(1)
#define WKW_RIGHT_FD_SEEK WKW_R(2)
#define WKW_RIGHT_FD_FDSTAT_SET_FLAGS WKW_R(3)
#define WKW_RIGHT_FD_SYNC WKW_R(4)
#define WKW_RIGHT_FD_TELL WKW_R(5)
#define WKW_RIGHT_FD_WRITE WKW_R(6)
#define WKW_RIGHT_FD_ADVISE WKW_R(7)
#define WKW_RIGHT_FD_ALLOCATE WKW_R(8)
#define WKW_RIGHT_PATH_CREATE_DIRECTORY WKW_R(9)
#define WKW_RIGHT_PATH_CREATE_FILE WKW_R(10)
#define WKW_RIGHT_PATH_LINK_SOURCE WKW_R(11)
#define WKW_RIGHT_PATH_LINK_TARGET WKW_R(12)
#define WKW_RIGHT_PATH_OPEN WKW_R(13)
#define WKW_RIGHT_FD_READDIR WKW_R(14)
#define WKW_RIGHT_PATH_READLINK WKW_R(15)
#define WKW_RIGHT_PATH_RENAME_SOURCE WKW_R(16)
#define WKW_RIGHT_PATH_RENAME_TARGET WKW_R(17)
#define WKW_RIGHT_PATH_FILESTAT_GET WKW_R(18)
#define WKW_RIGHT_PATH_FILESTAT_SET_SIZE WKW_R(19) /* path_open with O_TRUNC */
#define WKW_RIGHT_PATH_FILESTAT_SET_TIMES WKW_R(20)
#define WKW_RIGHT_FD_FILESTAT_GET WKW_R(21)
#define WKW_RIGHT_FD_FILESTAT_SET_SIZE WKW_R(22)
#define WKW_RIGHT_FD_FILESTAT_SET_TIMES WKW_R(23)
#define WKW_RIGHT_PATH_SYMLINK WKW_R(24)
#define WKW_RIGHT_PATH_REMOVE_DIRECTORY WKW_R(25)
#define WKW_RIGHT_PATH_UNLINK_FILE WKW_R(26)
#define WKW_RIGHT_POLL_FD_READWRITE WKW_R(27)
#define WKW_RIGHT_SOCK_SHUTDOWN WKW_R(28)
#define WKW_RIGHT_SOCK_ACCEPT WKW_R(29)
#define WKW_RIGHTS_PATH                                                                       \
    (WKW_RIGHT_PATH_CREATE_DIRECTORY | WKW_RIGHT_PATH_CREATE_FILE |                           \
     WKW_RIGHT_PATH_LINK_SOURCE | WKW_RIGHT_PATH_LINK_TARGET | WKW_RIGHT_PATH_OPEN |          \
     WKW_RIGHT_PATH_READLINK | WKW_RIGHT_PATH_RENAME_SOURCE | WKW_RIGHT_PATH_RENAME_TARGET |  \
     WKW_RIGHT_PATH_FILESTAT_GET | WKW_RIGHT_PATH_FILESTAT_SET_SIZE |                         \
     WKW_RIGHT_PATH_FILESTAT_SET_TIMES | WKW_RIGHT_PATH_SYMLINK |                             \
     WKW_RIGHT_PATH_REMOVE_DIRECTORY | WKW_RIGHT_PATH_UNLINK_FILE)

/* What each kind of descriptor can do at most; fd_read and fd_write also need a host
 * descriptor open for reading or writing (wkw_possible). A call that needs a right
 * outside this set fails with EBADF, as in wasmtime: a file call on a directory, a
 * directory call on a file. */
#define WKW_RIGHTS_FILE                                                                       \
    (WKW_RIGHT_FD_DATASYNC | WKW_RIGHT_FD_READ | WKW_RIGHT_FD_SEEK |                          \
     WKW_RIGHT_FD_FDSTAT_SET_FLAGS | WKW_RIGHT_FD_SYNC | WKW_RIGHT_FD_TELL |                  \
     WKW_RIGHT_FD_WRITE | WKW_RIGHT_FD_ADVISE | WKW_RIGHT_FD_ALLOCATE |                       \
     WKW_RIGHT_FD_FILESTAT_GET | WKW_RIGHT_FD_FILESTAT_SET_SIZE |                             \
     WKW_RIGHT_FD_FILESTAT_SET_TIMES | WKW_RIGHT_POLL_FD_READWRITE)
#define WKW_RIGHTS_DIR                                                                        \
    (WKW_RIGHTS_PATH | WKW_RIGHT_FD_READDIR | WKW_RIGHT_FD_FILESTAT_GET |                     \
     WKW_RIGHT_FD_FILESTAT_SET_TIMES | WKW_RIGHT_POLL_FD_READWRITE)
#define WKW_RIGHTS_STREAM                                                                     \
    (WKW_RIGHT_FD_READ | WKW_RIGHT_FD_WRITE | WKW_RIGHT_FD_FDSTAT_SET_FLAGS |                 \
     WKW_RIGHT_FD_FILESTAT_GET | WKW_RIGHT_POLL_FD_READWRITE | WKW_RIGHT_FD_SYNC |            \
     WKW_RIGHT_FD_DATASYNC)
#define WKW_RIGHTS_SOCKET (WKW_RIGHTS_STREAM | WKW_RIGHT_SOCK_SHUTDOWN | WKW_RIGHT_SOCK_ACCEPT)

/* fdflags */
enum { WKW_FDFLAG_APPEND = 1, WKW_FDFLAG_DSYNC = 2, WKW_FDFLAG_NONBLOCK = 4, WKW_FDFLAG_RSYNC = 8,
       WKW_FDFLAG_SYNC = 16 };

/* One guest descriptor. */
typedef struct wkw_fd {
    int host;           /* -1: the number is free */
    uint8_t type;       /* filetype */
    uint64_t possible;  /* what it can ever do, by kind and access mode */
    uint64_t rights;    /* what it may do: within `possible` */
    uint64_t inheriting; /* the most that descriptors opened through it get */
    char *preopen;      /* guest name of a preopened directory, else NULL */
    uint32_t preopen_length;
    DIR *dir;           /* fd_readdir's stream, opened on first use */
    uint64_t dir_index; /* the index of the entry `dir` returns next */
    uint8_t callback;   /* 1 + the stdio number whose callback serves reads and writes; 0: none */
} wkw_fd;

enum { WKW_FUNCTION_COUNT = 46 };

/* Descriptors a context can have open at once. The table is allocated at this size and
 * never moves (untouched, it costs address space only), so that threads of a wasi-threads
 * program can look descriptors up while another opens one. */
enum { WKW_FD_LIMIT = 65536 };

struct wk_wasi {
    wk_memory *memory;
    char **argv, **env;
    uint32_t argc, envc;
    uint64_t argv_bytes, env_bytes; /* strings with their NULs */
    wkw_fd *fds;
    uint32_t fd_count; /* numbers in use so far: read atomically, grown under `lock` */
    pthread_mutex_t lock; /* opening, closing and renumbering descriptors */
    int exit_code;
    /* The embedder's stdio callbacks (wk_wasi_config), or NULL. */
    long (*write_output)(void *, int, const void *, size_t);
    long (*read_input)(void *, void *, size_t);
    void *io_context;
    wk_func functions[WKW_FUNCTION_COUNT];
};

/* Host errno to WASI errno. */
WK_HIDDEN uint32_t wkw_errno(int host);

/* The guest bytes [address, address + length), or NULL (EFAULT) when any lies outside
 * memory or there is no memory. 64-bit sums: address + length cannot wrap. */
static inline uint8_t *wkw_mem(wk_wasi *w, uint64_t address, uint64_t length) {
    if (!w->memory || address + length > w->memory->size) return NULL;
    return w->memory->base + address;
}

/* Little-endian stores and loads at a checked location. */
static inline void wkw_put16(uint8_t *p, uint16_t v) { p[0] = (uint8_t)v; p[1] = (uint8_t)(v >> 8); }
static inline void wkw_put32(uint8_t *p, uint32_t v) {
    for (int i = 0; i < 4; i++) p[i] = (uint8_t)(v >> (8 * i));
}
static inline void wkw_put64(uint8_t *p, uint64_t v) {
    for (int i = 0; i < 8; i++) p[i] = (uint8_t)(v >> (8 * i));
}
static inline uint16_t wkw_get16(const uint8_t *p) { return (uint16_t)(p[0] | p[1] << 8); }
static inline uint32_t wkw_get32(const uint8_t *p) {
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}
static inline uint64_t wkw_get64(const uint8_t *p) {
    return (uint64_t)wkw_get32(p) | (uint64_t)wkw_get32(p + 4) << 32;
}

/* Stores a u32 result at a guest address; EFAULT when out of range. */
static inline uint32_t wkw_store32(wk_wasi *w, uint32_t address, uint32_t value) {
    uint8_t *p = wkw_mem(w, address, 4);
    if (!p) return WKW_EFAULT;
    wkw_put32(p, value);
    return WKW_ESUCCESS;
}

/* The open descriptor `fd` holding all of `rights`: EBADF if there is none or if it is
 * of a kind (or access mode) that can never hold them, ENOTCAPABLE if it could but was
 * not given them or gave them up (preview1's rights). */
WK_HIDDEN uint32_t wkw_fd_get(wk_wasi *w, uint32_t fd, uint64_t rights, wkw_fd **out);
/* What an open host descriptor of this filetype can do: its kind's rights, with
 * fd_read and fd_write only when it is open for reading or writing. */
WK_HIDDEN uint64_t wkw_possible(int host, uint8_t type);
/* Takes ownership of host descriptor `host` as the lowest free guest number; its rights
 * are `rights` within what it can do. */
WK_HIDDEN uint32_t wkw_fd_add(wk_wasi *w, int host, uint8_t type, uint64_t rights,
                              uint64_t inheriting, uint32_t *out);
/* The filetype of an open host descriptor. */
WK_HIDDEN uint8_t wkw_filetype(int host, const struct stat *st);
/* Writes a witx `filestat` (64 bytes). */
WK_HIDDEN void wkw_put_filestat(uint8_t *p, int host, const struct stat *st);
/* Host iovecs for the guest's iovec array (iovs, count); *out is malloc'ed. */
WK_HIDDEN uint32_t wkw_iovecs(wk_wasi *w, uint32_t iovs, uint32_t count, struct iovec **out);
/* witx fstflags to utimensat times. */
WK_HIDDEN uint32_t wkw_set_times(uint64_t atim, uint64_t mtim, uint32_t flags, struct timespec times[2]);
/* Closes a slot's host resources. */
WK_HIDDEN void wkw_fd_release(wkw_fd *f);

/* Opens `path` beneath the directory `root` (openat flags and mode); -1 with errno,
 * EXDEV when the path would leave `root` (wasi_resolve.c). */
WK_HIDDEN int wkw_beneath_open(int root, const char *path, int flags, mode_t mode);
/* Test hook: resolve paths by the component walk even where openat2 exists. */
extern WK_HIDDEN bool wkw_force_walk;

/* The functions (wk_func code convention: the context, then the WASI parameters). */
typedef uint32_t u32;
typedef uint64_t u64;
WK_HIDDEN u32 wkw_args_get(void *, u32, u32);
WK_HIDDEN u32 wkw_args_sizes_get(void *, u32, u32);
WK_HIDDEN u32 wkw_environ_get(void *, u32, u32);
WK_HIDDEN u32 wkw_environ_sizes_get(void *, u32, u32);
WK_HIDDEN u32 wkw_clock_res_get(void *, u32, u32);
WK_HIDDEN u32 wkw_clock_time_get(void *, u32, u64, u32);
WK_HIDDEN u32 wkw_fd_advise(void *, u32, u64, u64, u32);
WK_HIDDEN u32 wkw_fd_allocate(void *, u32, u64, u64);
WK_HIDDEN u32 wkw_fd_close(void *, u32);
WK_HIDDEN u32 wkw_fd_datasync(void *, u32);
WK_HIDDEN u32 wkw_fd_fdstat_get(void *, u32, u32);
WK_HIDDEN u32 wkw_fd_fdstat_set_flags(void *, u32, u32);
WK_HIDDEN u32 wkw_fd_fdstat_set_rights(void *, u32, u64, u64);
WK_HIDDEN u32 wkw_fd_filestat_get(void *, u32, u32);
WK_HIDDEN u32 wkw_fd_filestat_set_size(void *, u32, u64);
WK_HIDDEN u32 wkw_fd_filestat_set_times(void *, u32, u64, u64, u32);
WK_HIDDEN u32 wkw_fd_pread(void *, u32, u32, u32, u64, u32);
WK_HIDDEN u32 wkw_fd_prestat_get(void *, u32, u32);
WK_HIDDEN u32 wkw_fd_prestat_dir_name(void *, u32, u32, u32);
WK_HIDDEN u32 wkw_fd_pwrite(void *, u32, u32, u32, u64, u32);
WK_HIDDEN u32 wkw_fd_read(void *, u32, u32, u32, u32);
WK_HIDDEN u32 wkw_fd_readdir(void *, u32, u32, u32, u64, u32);
WK_HIDDEN u32 wkw_fd_renumber(void *, u32, u32);
WK_HIDDEN u32 wkw_fd_seek(void *, u32, u64, u32, u32);
WK_HIDDEN u32 wkw_fd_sync(void *, u32);
WK_HIDDEN u32 wkw_fd_tell(void *, u32, u32);
WK_HIDDEN u32 wkw_fd_write(void *, u32, u32, u32, u32);
WK_HIDDEN u32 wkw_path_create_directory(void *, u32, u32, u32);
WK_HIDDEN u32 wkw_path_filestat_get(void *, u32, u32, u32, u32, u32);
WK_HIDDEN u32 wkw_path_filestat_set_times(void *, u32, u32, u32, u32, u64, u64, u32);
WK_HIDDEN u32 wkw_path_link(void *, u32, u32, u32, u32, u32, u32, u32);
WK_HIDDEN u32 wkw_path_open(void *, u32, u32, u32, u32, u32, u64, u64, u32, u32);
WK_HIDDEN u32 wkw_path_readlink(void *, u32, u32, u32, u32, u32, u32);
WK_HIDDEN u32 wkw_path_remove_directory(void *, u32, u32, u32);
WK_HIDDEN u32 wkw_path_rename(void *, u32, u32, u32, u32, u32, u32);
WK_HIDDEN u32 wkw_path_symlink(void *, u32, u32, u32, u32, u32);
WK_HIDDEN u32 wkw_path_unlink_file(void *, u32, u32, u32);
WK_HIDDEN u32 wkw_poll_oneoff(void *, u32, u32, u32, u32);
WK_HIDDEN void wkw_proc_exit(void *, u32);
WK_HIDDEN u32 wkw_proc_raise(void *, u32);
WK_HIDDEN u32 wkw_sched_yield(void *);
WK_HIDDEN u32 wkw_random_get(void *, u32, u32);
WK_HIDDEN u32 wkw_sock_accept(void *, u32, u32, u32);
WK_HIDDEN u32 wkw_sock_recv(void *, u32, u32, u32, u32, u32, u32);
WK_HIDDEN u32 wkw_sock_send(void *, u32, u32, u32, u32, u32);
WK_HIDDEN u32 wkw_sock_shutdown(void *, u32, u32);
#endif
