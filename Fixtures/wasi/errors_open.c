/* errors_open: what path_open answers for flag combinations, trailing slashes,
 * `..` and absolute paths, symlinks (followed or not, dangling, looping,
 * leading out) and names that are not valid strings. One line per case; see
 * raw.h. */
#include "raw.h"

#define FOLLOW __WASI_LOOKUPFLAGS_SYMLINK_FOLLOW
#define CREAT __WASI_OFLAGS_CREAT
#define DIRECTORY __WASI_OFLAGS_DIRECTORY
#define EXCL __WASI_OFLAGS_EXCL
#define TRUNC __WASI_OFLAGS_TRUNC
#define READ (__wasi_rights_t)(__WASI_RIGHTS_FD_READ | __WASI_RIGHTS_FD_FILESTAT_GET)
#define WRITE (__wasi_rights_t)(__WASI_RIGHTS_FD_WRITE | __WASI_RIGHTS_FD_FILESTAT_GET)

/* path_open through the import itself, so the path can hold any bytes. */
__attribute__((import_module("wasi_snapshot_preview1"), import_name("path_open")))
int32_t raw_path_open(int32_t fd, int32_t lookup, int32_t path, int32_t length, int32_t oflags,
                      int64_t rights, int64_t inheriting, int32_t fdflags, int32_t out);

static __wasi_errno_t open_bytes(__wasi_fd_t dir, const char *path, size_t length) {
    __wasi_fd_t fd;
    __wasi_errno_t e = (__wasi_errno_t)raw_path_open((int32_t)dir, 0, (int32_t)path, (int32_t)length, 0,
                                                     (int64_t)READ, 0, 0, (int32_t)&fd);
    if (e == 0) setup("close", __wasi_fd_close(fd));
    return e;
}

static __wasi_filesize_t size_of(__wasi_fd_t dir, const char *path) {
    __wasi_filestat_t st;
    setup("stat", __wasi_path_filestat_get(dir, 0, path, &st));
    return st.size;
}

int main(int argc, char **argv) {
    __wasi_fd_t root = preopen(argc > 1 ? argv[1] : "/sandbox");
    setup("mkdir d", __wasi_path_create_directory(root, "d"));
    setup("mkdir d/e", __wasi_path_create_directory(root, "d/e"));
    make_file(root, "f", "0123456789");
    make_file(root, "d/g", "g");
    setup("symlink f", __wasi_path_symlink("f", root, "to-f"));
    setup("symlink d", __wasi_path_symlink("d", root, "to-d"));
    setup("symlink missing", __wasi_path_symlink("missing", root, "dangling"));
    setup("symlink loop", __wasi_path_symlink("loop", root, "loop"));
    setup("symlink loop a", __wasi_path_symlink("loop-b", root, "loop-a"));
    setup("symlink loop b", __wasi_path_symlink("loop-a", root, "loop-b"));
    setup("symlink ..", __wasi_path_symlink("..", root, "up"));
    setup("symlink d/..", __wasi_path_symlink("d/..", root, "to-root"));
    setup("symlink d/e/../../f", __wasi_path_symlink("e/../../f", root, "d/back-to-f"));

    /* Directories and write access. */
    report("dir with fd_read", try_open(root, 0, "d", 0, READ));
    report("dir with fd_write", try_open(root, 0, "d", 0, WRITE));
    report("dir O_DIRECTORY with fd_read", try_open(root, 0, "d", DIRECTORY, READ));
    report("dir O_DIRECTORY with fd_write", try_open(root, 0, "d", DIRECTORY, WRITE));
    report("dir O_DIRECTORY no rights", try_open(root, 0, "d", DIRECTORY, 0));
    report("file O_DIRECTORY with fd_write", try_open(root, 0, "f", DIRECTORY, WRITE));
    report("missing O_DIRECTORY with fd_write", try_open(root, 0, "missing", DIRECTORY, WRITE));
    report("new O_CREAT|O_DIRECTORY with fd_write", try_open(root, 0, "new-dir", CREAT | DIRECTORY, WRITE));
    report("file O_DIRECTORY|O_TRUNC", try_open(root, 0, "f", DIRECTORY | TRUNC, READ));
    report("dir O_TRUNC", try_open(root, 0, "d", TRUNC, READ));
    report("dir O_CREAT", try_open(root, 0, "d", CREAT, READ));
    report("dir O_CREAT|O_EXCL", try_open(root, 0, "d", CREAT | EXCL, READ));
    report("dir O_CREAT|O_DIRECTORY", try_open(root, 0, "d", CREAT | DIRECTORY, READ));
    report("new O_CREAT|O_DIRECTORY", try_open(root, 0, "new-dir", CREAT | DIRECTORY, READ));
    report("dir O_DIRECTORY|O_TRUNC", try_open(root, 0, "d", DIRECTORY | TRUNC, READ));
    report("dir O_DIRECTORY|O_EXCL", try_open(root, 0, "d", DIRECTORY | EXCL, READ));
    report(".", try_open(root, 0, ".", DIRECTORY, READ));
    report("d/..", try_open(root, 0, "d/..", DIRECTORY, READ));
    report("d/e/../..", try_open(root, 0, "d/e/../..", DIRECTORY, READ));

    /* Files. */
    report("file O_DIRECTORY", try_open(root, 0, "f", DIRECTORY, READ));
    report("file O_CREAT", try_open(root, 0, "f", CREAT, READ));
    report("file O_CREAT|O_EXCL", try_open(root, 0, "f", CREAT | EXCL, READ));
    report("file O_EXCL alone", try_open(root, 0, "f", EXCL, READ));
    report("missing", try_open(root, 0, "missing", 0, READ));
    report("missing O_TRUNC", try_open(root, 0, "missing", TRUNC, WRITE));
    report("missing/x O_CREAT", try_open(root, 0, "missing/x", CREAT, WRITE));
    report("f/x O_CREAT", try_open(root, 0, "f/x", CREAT, WRITE));
    report("new O_CREAT|O_EXCL", try_open(root, 0, "new", CREAT | EXCL, WRITE));
    report("file O_TRUNC with fd_read", try_open(root, 0, "f", TRUNC, READ));
    fact("file O_TRUNC with fd_read: emptied", size_of(root, "f") == 0);
    make_file(root, "f", "0123456789");
    report("file O_TRUNC no rights", try_open(root, 0, "f", TRUNC, 0));
    fact("file O_TRUNC no rights: emptied", size_of(root, "f") == 0);
    make_file(root, "f", "0123456789");

    /* Trailing slashes. */
    report("f/", try_open(root, 0, "f/", 0, READ));
    report("f///", try_open(root, 0, "f///", 0, READ));
    report("f/.", try_open(root, 0, "f/.", 0, READ));
    report("d/", try_open(root, 0, "d/", 0, READ));
    report("d///", try_open(root, 0, "d///", 0, READ));
    report("d/.", try_open(root, 0, "d/.", 0, READ));
    report("new/ O_CREAT", try_open(root, 0, "new-slash/", CREAT, WRITE));
    report("missing/", try_open(root, 0, "missing/", 0, READ));
    report("f/ O_CREAT", try_open(root, 0, "f/", CREAT, WRITE));
    report("d/ O_CREAT", try_open(root, 0, "d/", CREAT, READ));

    /* Leaving the preopen, and `..` that stays inside. */
    report("absolute /", try_open(root, 0, "/", DIRECTORY, READ));
    report("absolute /etc/passwd", try_open(root, 0, "/etc/passwd", 0, READ));
    report("..", try_open(root, 0, "..", DIRECTORY, READ));
    report("../x O_CREAT", try_open(root, 0, "../x", CREAT, WRITE));
    report("d/../..", try_open(root, 0, "d/../..", DIRECTORY, READ));
    report("d/../../etc", try_open(root, 0, "d/../../etc", DIRECTORY, READ));
    report("d/e/../../f", try_open(root, 0, "d/e/../../f", 0, READ));
    report("d/./e/.././../f", try_open(root, 0, "d/./e/.././../f", 0, READ));
    report("./f", try_open(root, 0, "./f", 0, READ));
    report("d//g", try_open(root, 0, "d//g", 0, READ));

    /* Symlinks, with and without following the last one. */
    report("to-f follow", try_open(root, FOLLOW, "to-f", 0, READ));
    report("to-f nofollow", try_open(root, 0, "to-f", 0, READ));
    report("to-f nofollow O_DIRECTORY", try_open(root, 0, "to-f", DIRECTORY, READ));
    report("to-f follow O_DIRECTORY", try_open(root, FOLLOW, "to-f", DIRECTORY, READ));
    report("to-f/ nofollow", try_open(root, 0, "to-f/", 0, READ));
    report("to-d follow", try_open(root, FOLLOW, "to-d", DIRECTORY, READ));
    report("to-d nofollow", try_open(root, 0, "to-d", 0, READ));
    report("to-d nofollow O_DIRECTORY", try_open(root, 0, "to-d", DIRECTORY, READ));
    report("to-d/ nofollow", try_open(root, 0, "to-d/", DIRECTORY, READ));
    report("to-d/g nofollow", try_open(root, 0, "to-d/g", 0, READ));
    report("to-f nofollow O_CREAT", try_open(root, 0, "to-f", CREAT, WRITE));
    report("to-f follow O_CREAT|O_EXCL", try_open(root, FOLLOW, "to-f", CREAT | EXCL, WRITE));
    report("dangling follow", try_open(root, FOLLOW, "dangling", 0, READ));
    report("dangling nofollow", try_open(root, 0, "dangling", 0, READ));
    report("dangling follow O_CREAT", try_open(root, FOLLOW, "dangling", CREAT, WRITE));
    report("dangling nofollow O_CREAT", try_open(root, 0, "dangling", CREAT, WRITE));
    report("dangling O_CREAT|O_EXCL", try_open(root, FOLLOW, "dangling", CREAT | EXCL, WRITE));
    report("loop follow", try_open(root, FOLLOW, "loop", 0, READ));
    report("loop nofollow", try_open(root, 0, "loop", 0, READ));
    report("loop/x", try_open(root, 0, "loop/x", 0, READ));
    report("loop-a follow", try_open(root, FOLLOW, "loop-a", 0, READ));
    report("up follow", try_open(root, FOLLOW, "up", DIRECTORY, READ));
    report("up nofollow", try_open(root, 0, "up", DIRECTORY, READ));
    report("up/x O_CREAT", try_open(root, 0, "up/x", CREAT, WRITE));
    report("to-root follow", try_open(root, FOLLOW, "to-root", DIRECTORY, READ));
    report("to-root/f", try_open(root, 0, "to-root/f", 0, READ));
    report("d/back-to-f follow", try_open(root, FOLLOW, "d/back-to-f", 0, READ));

    /* Names that are not strings WASI accepts. */
    report("empty path", open_bytes(root, "", 0));
    report("NUL inside", open_bytes(root, "f\0x", 3));
    report("NUL at the end", open_bytes(root, "f\0", 2));
    report("invalid UTF-8", open_bytes(root, "f\xff", 2));
    return finish_cases();
}
