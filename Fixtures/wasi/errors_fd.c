/* errors_fd: what the descriptor calls (fd_*) answer where they must refuse:
 * directories used as files, files opened without read or write access, bad
 * seeks and flags, closed descriptors, and what fd_fdstat_get says such
 * descriptors may do. One line per case; see raw.h. Stdio is left out: its
 * answers depend on what the runner connects it to (a pipe or a file). */
#include "raw.h"

static __wasi_errno_t read_one(__wasi_fd_t fd) {
    uint8_t byte;
    __wasi_iovec_t iov = {&byte, 1};
    __wasi_size_t n;
    return __wasi_fd_read(fd, &iov, 1, &n);
}

static __wasi_errno_t pread_one(__wasi_fd_t fd) {
    uint8_t byte;
    __wasi_iovec_t iov = {&byte, 1};
    __wasi_size_t n;
    return __wasi_fd_pread(fd, &iov, 1, 0, &n);
}

static __wasi_errno_t write_one(__wasi_fd_t fd) {
    __wasi_ciovec_t iov = {(const uint8_t *)"x", 1};
    __wasi_size_t n;
    return __wasi_fd_write(fd, &iov, 1, &n);
}

static __wasi_errno_t pwrite_one(__wasi_fd_t fd) {
    __wasi_ciovec_t iov = {(const uint8_t *)"x", 1};
    __wasi_size_t n;
    return __wasi_fd_pwrite(fd, &iov, 1, 0, &n);
}

static __wasi_errno_t seek(__wasi_fd_t fd, __wasi_filedelta_t offset, __wasi_whence_t whence) {
    __wasi_filesize_t at;
    return __wasi_fd_seek(fd, offset, whence, &at);
}

static __wasi_errno_t tell(__wasi_fd_t fd) {
    __wasi_filesize_t at;
    return __wasi_fd_tell(fd, &at);
}

static __wasi_errno_t readdir_(__wasi_fd_t fd) {
    uint8_t buffer[256];
    __wasi_size_t n;
    return __wasi_fd_readdir(fd, buffer, sizeof buffer, 0, &n);
}

static __wasi_rights_t rights_of(__wasi_fd_t fd) {
    __wasi_fdstat_t stat;
    setup("fd_fdstat_get", __wasi_fd_fdstat_get(fd, &stat));
    return stat.fs_rights_base;
}

/* The calls a directory descriptor must refuse, and the ones it may make. (Not
 * whether it holds fd_tell: wasmtime says a subdirectory does, then refuses fd_tell.) */
static void directory_cases(const char *prefix, __wasi_fd_t fd) {
    char name[64];
#define CASE(label, call) (snprintf(name, sizeof name, "%s %s", prefix, label), report(name, call))
    CASE("fd_read", read_one(fd));
    CASE("fd_pread", pread_one(fd));
    CASE("fd_write", write_one(fd));
    CASE("fd_pwrite", pwrite_one(fd));
    CASE("fd_seek 0 cur", seek(fd, 0, __WASI_WHENCE_CUR));
    CASE("fd_seek 0 set", seek(fd, 0, __WASI_WHENCE_SET));
    CASE("fd_seek 0 end", seek(fd, 0, __WASI_WHENCE_END));
    CASE("fd_tell", tell(fd));
    CASE("fd_filestat_set_size", __wasi_fd_filestat_set_size(fd, 0));
    CASE("fd_allocate", __wasi_fd_allocate(fd, 0, 1));
    CASE("fd_advise", __wasi_fd_advise(fd, 0, 1, __WASI_ADVICE_NORMAL));
    CASE("fd_datasync", __wasi_fd_datasync(fd));
    CASE("fd_sync", __wasi_fd_sync(fd));
    CASE("fd_fdstat_set_flags append", __wasi_fd_fdstat_set_flags(fd, __WASI_FDFLAGS_APPEND));
    __wasi_filestat_t st;
    CASE("fd_filestat_get", __wasi_fd_filestat_get(fd, &st));
    CASE("fd_filestat_set_times now", __wasi_fd_filestat_set_times(fd, 0, 0, __WASI_FSTFLAGS_MTIM_NOW));
    CASE("fd_readdir", readdir_(fd));
    __wasi_rights_t r = rights_of(fd);
    snprintf(name, sizeof name, "%s rights: fd_seek", prefix);
    fact(name, (r & __WASI_RIGHTS_FD_SEEK) != 0);
    snprintf(name, sizeof name, "%s rights: fd_write", prefix);
    fact(name, (r & __WASI_RIGHTS_FD_WRITE) != 0);
    snprintf(name, sizeof name, "%s rights: fd_filestat_set_size", prefix);
    fact(name, (r & __WASI_RIGHTS_FD_FILESTAT_SET_SIZE) != 0);
    snprintf(name, sizeof name, "%s rights: path_open", prefix);
    fact(name, (r & __WASI_RIGHTS_PATH_OPEN) != 0);
#undef CASE
}

int main(int argc, char **argv) {
    __wasi_fd_t root = preopen(argc > 1 ? argv[1] : "/sandbox");
    setup("mkdir d", __wasi_path_create_directory(root, "d"));
    make_file(root, "f", "0123456789");

    /* Directories: a subdirectory opened with every right but fd_write asked for (a
     * directory cannot be opened for writing), and the preopen. */
    __wasi_fd_t dir;
    setup("open d", open_at(root, 0, "d", __WASI_OFLAGS_DIRECTORY, ALL_RIGHTS & ~__WASI_RIGHTS_FD_WRITE, &dir));
    directory_cases("dir", dir);
    directory_cases("preopen", root);

    /* A file opened for reading only. */
    __wasi_fd_t ro;
    setup("open f ro", open_at(root, 0, "f", 0, __WASI_RIGHTS_FD_READ | __WASI_RIGHTS_FD_SEEK |
                               __WASI_RIGHTS_FD_TELL | __WASI_RIGHTS_FD_FILESTAT_GET, &ro));
    report("read-only fd_read", read_one(ro));
    report("read-only fd_write", write_one(ro));
    report("read-only fd_pwrite", pwrite_one(ro));
    report("read-only fd_readdir", readdir_(ro));
    fact("read-only rights: fd_read", (rights_of(ro) & __WASI_RIGHTS_FD_READ) != 0);
    fact("read-only rights: fd_write", (rights_of(ro) & __WASI_RIGHTS_FD_WRITE) != 0);

    /* A file opened for writing only. */
    __wasi_fd_t wo;
    setup("open f wo", open_at(root, 0, "f", 0, __WASI_RIGHTS_FD_WRITE | __WASI_RIGHTS_FD_SEEK, &wo));
    report("write-only fd_read", read_one(wo));
    report("write-only fd_pread", pread_one(wo));
    report("write-only fd_write", write_one(wo));
    fact("write-only rights: fd_read", (rights_of(wo) & __WASI_RIGHTS_FD_READ) != 0);
    fact("write-only rights: fd_write", (rights_of(wo) & __WASI_RIGHTS_FD_WRITE) != 0);

    /* Truncation is a right of its own, but needs a file open for writing. */
    __wasi_fd_t sized;
    setup("open f set_size", open_at(root, 0, "f", 0, __WASI_RIGHTS_FD_READ | __WASI_RIGHTS_FD_FILESTAT_SET_SIZE, &sized));
    report("set_size without fd_write", __wasi_fd_filestat_set_size(sized, 1));

    /* A file opened with no rights at all cannot write, having no write access. (Nor
     * may it read, seek, tell or stat, lacking those rights: ENOTCAPABLE under
     * preview1. wasmtime keeps no rights and lets it, so those cases are in
     * Tests/RuntimeTests/C/wasi_test.c instead.) */
    __wasi_fd_t none;
    setup("open f none", open_at(root, 0, "f", 0, 0, &none));
    report("no rights fd_write", write_one(none));

    /* Seeks and flags on a file that may do everything. */
    __wasi_fd_t rw;
    setup("open f rw", open_at(root, 0, "f", 0, ALL_RIGHTS, &rw));
    report("file fd_seek -1 set", seek(rw, -1, __WASI_WHENCE_SET));
    report("file fd_seek -100 cur", seek(rw, -100, __WASI_WHENCE_CUR));
    report("file fd_seek -11 end", seek(rw, -11, __WASI_WHENCE_END));
    report("file fd_seek past the end", seek(rw, 100, __WASI_WHENCE_SET));
    report("file fd_fdstat_set_flags dsync", __wasi_fd_fdstat_set_flags(rw, __WASI_FDFLAGS_DSYNC));
    report("file fd_fdstat_set_flags sync", __wasi_fd_fdstat_set_flags(rw, __WASI_FDFLAGS_SYNC));
    report("file fd_fdstat_set_flags rsync", __wasi_fd_fdstat_set_flags(rw, __WASI_FDFLAGS_RSYNC));
    report("file fd_fdstat_set_flags nonblock", __wasi_fd_fdstat_set_flags(rw, __WASI_FDFLAGS_NONBLOCK));
    report("file fd_fdstat_set_flags 0", __wasi_fd_fdstat_set_flags(rw, 0));
    report("file fd_filestat_set_times atim+now",
           __wasi_fd_filestat_set_times(rw, 0, 0, __WASI_FSTFLAGS_ATIM | __WASI_FSTFLAGS_ATIM_NOW));
    report("file fd_filestat_set_times mtim+now",
           __wasi_fd_filestat_set_times(rw, 0, 0, __WASI_FSTFLAGS_MTIM | __WASI_FSTFLAGS_MTIM_NOW));
    report("file fd_readdir", readdir_(rw));
    __wasi_prestat_t prestat;
    report("file fd_prestat_get", __wasi_fd_prestat_get(rw, &prestat));
    uint8_t name[64];
    report("file fd_prestat_dir_name", __wasi_fd_prestat_dir_name(rw, name, sizeof name));
    report("preopen fd_prestat_dir_name short", __wasi_fd_prestat_dir_name(root, name, 2));

    /* Closed and never-opened descriptors. */
    setup("close ro", __wasi_fd_close(ro));
    report("closed fd_close", __wasi_fd_close(ro));
    report("closed fd_read", read_one(ro));
    report("closed fd_seek", seek(ro, 0, __WASI_WHENCE_SET));
    __wasi_filestat_t st;
    report("closed fd_filestat_get", __wasi_fd_filestat_get(ro, &st));
    report("closed fd_renumber from", __wasi_fd_renumber(ro, rw));
    report("closed fd_renumber to", __wasi_fd_renumber(rw, ro));
    report("fd 4000 fd_fdstat_get", __wasi_fd_fdstat_get(4000, &(__wasi_fdstat_t){0}));
    report("fd 4000 fd_prestat_get", __wasi_fd_prestat_get(4000, &prestat));

    setup("close wo", __wasi_fd_close(wo));
    setup("close none", __wasi_fd_close(none));
    setup("close sized", __wasi_fd_close(sized));
    setup("close rw", __wasi_fd_close(rw));
    setup("close dir", __wasi_fd_close(dir));
    return finish_cases();
}
