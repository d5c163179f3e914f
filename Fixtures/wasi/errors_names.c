/* errors_names: what the calls that act on a name answer where they must
 * refuse: path_create_directory, path_remove_directory, path_unlink_file,
 * path_link, path_symlink, path_rename, path_readlink, path_filestat_get and
 * path_filestat_set_times, with trailing slashes on either path, `..` and
 * absolute paths, symlinks, and a file descriptor where a directory belongs.
 * One line per case; see raw.h. */
#include "raw.h"

#define FOLLOW __WASI_LOOKUPFLAGS_SYMLINK_FOLLOW

static __wasi_errno_t mkdir_(__wasi_fd_t dir, const char *path) {
    return __wasi_path_create_directory(dir, path);
}

static __wasi_errno_t rmdir_(__wasi_fd_t dir, const char *path) {
    return __wasi_path_remove_directory(dir, path);
}

static __wasi_errno_t unlink_(__wasi_fd_t dir, const char *path) {
    return __wasi_path_unlink_file(dir, path);
}

static __wasi_errno_t link_(__wasi_fd_t dir, __wasi_lookupflags_t lookup, const char *from, const char *to) {
    return __wasi_path_link(dir, lookup, from, dir, to);
}

static __wasi_errno_t symlink_(__wasi_fd_t dir, const char *target, const char *at) {
    return __wasi_path_symlink(target, dir, at);
}

static __wasi_errno_t rename_(__wasi_fd_t dir, const char *from, const char *to) {
    return __wasi_path_rename(dir, from, dir, to);
}

static __wasi_errno_t readlink_(__wasi_fd_t dir, const char *path) {
    char buffer[64];
    __wasi_size_t n;
    return __wasi_path_readlink(dir, path, (uint8_t *)buffer, sizeof buffer, &n);
}

/* path_readlink into a buffer of `size` bytes: the errno and the count it gave. */
static void readlink_into(__wasi_fd_t dir, const char *path, size_t size, const char *label) {
    char buffer[64];
    __wasi_size_t n = 0;
    __wasi_errno_t e = __wasi_path_readlink(dir, path, (uint8_t *)buffer, size, &n);
    printf("%-44s %s, %u bytes\n", label, wasi_errname(e), e ? 0u : (unsigned)n);
}

static __wasi_errno_t stat_(__wasi_fd_t dir, __wasi_lookupflags_t lookup, const char *path) {
    __wasi_filestat_t st;
    return __wasi_path_filestat_get(dir, lookup, path, &st);
}

static __wasi_errno_t touch_(__wasi_fd_t dir, __wasi_lookupflags_t lookup, const char *path) {
    return __wasi_path_filestat_set_times(dir, lookup, path, 0, 0, __WASI_FSTFLAGS_MTIM_NOW);
}

static int exists(__wasi_fd_t dir, const char *path) {
    return stat_(dir, 0, path) == 0;
}

int main(int argc, char **argv) {
    __wasi_fd_t root = preopen(argc > 1 ? argv[1] : "/sandbox");
    setup("mkdir d", mkdir_(root, "d"));
    setup("mkdir full", mkdir_(root, "full"));
    make_file(root, "full/x", "x");
    make_file(root, "f", "f");
    setup("symlink to-f", symlink_(root, "f", "to-f"));
    setup("symlink to-d", symlink_(root, "d", "to-d"));
    setup("symlink dangling", symlink_(root, "missing", "dangling"));
    setup("symlink loop", symlink_(root, "loop", "loop"));
    setup("symlink up", symlink_(root, "..", "up"));

    /* path_create_directory */
    report("mkdir existing dir", mkdir_(root, "d"));
    report("mkdir existing file", mkdir_(root, "f"));
    report("mkdir over a symlink", mkdir_(root, "to-d"));
    report("mkdir new/", mkdir_(root, "new/"));
    fact("mkdir new/: made", exists(root, "new"));
    report("mkdir f/x", mkdir_(root, "f/x"));
    report("mkdir missing/x", mkdir_(root, "missing/x"));
    report("mkdir .", mkdir_(root, "."));
    report("mkdir ..", mkdir_(root, ".."));
    report("mkdir ../x", mkdir_(root, "../x"));
    report("mkdir /x", mkdir_(root, "/x"));
    report("mkdir d/../x", mkdir_(root, "d/../x"));
    report("mkdir up/x", mkdir_(root, "up/x"));
    report("mkdir empty", mkdir_(root, ""));

    /* path_remove_directory */
    report("rmdir file", rmdir_(root, "f"));
    report("rmdir file/", rmdir_(root, "f/"));
    report("rmdir missing", rmdir_(root, "missing"));
    report("rmdir non-empty", rmdir_(root, "full"));
    report("rmdir symlink to dir", rmdir_(root, "to-d"));
    report("rmdir symlink to dir/", rmdir_(root, "to-d/"));
    report("rmdir .", rmdir_(root, "."));
    report("rmdir d/.", rmdir_(root, "d/."));
    report("rmdir d/..", rmdir_(root, "d/.."));
    report("rmdir ..", rmdir_(root, ".."));
    report("rmdir /tmp", rmdir_(root, "/tmp"));
    report("rmdir new/", rmdir_(root, "new/"));
    fact("rmdir new/: gone", !exists(root, "new"));

    /* path_unlink_file */
    report("unlink dir", unlink_(root, "d"));
    report("unlink dir/", unlink_(root, "d/"));
    report("unlink file/", unlink_(root, "f/"));
    report("unlink missing", unlink_(root, "missing"));
    report("unlink missing/", unlink_(root, "missing/"));
    report("unlink symlink to dir/", unlink_(root, "to-d/"));
    report("unlink symlink to file/", unlink_(root, "to-f/"));
    report("unlink .", unlink_(root, "."));
    report("unlink ..", unlink_(root, ".."));
    report("unlink ../x", unlink_(root, "../x"));
    report("unlink /etc/passwd", unlink_(root, "/etc/passwd"));
    report("unlink up/x", unlink_(root, "up/x"));
    report("unlink loop", unlink_(root, "loop"));
    setup("symlink loop again", symlink_(root, "loop", "loop"));

    /* path_link */
    report("link f -> l/", link_(root, 0, "f", "l/"));
    report("link f/ -> l", link_(root, 0, "f/", "l"));
    report("link f -> existing file", link_(root, 0, "f", "to-f"));
    report("link f -> itself", link_(root, 0, "f", "f"));
    report("link f -> existing dir", link_(root, 0, "f", "d"));
    report("link f -> existing dir/", link_(root, 0, "f", "d/"));
    report("link dir -> l", link_(root, 0, "d", "l"));
    report("link missing -> l", link_(root, 0, "missing", "l"));
    report("link dangling -> l", link_(root, 0, "dangling", "l"));
    setup("unlink l", unlink_(root, "l"));
    report("link loop -> l", link_(root, 0, "loop", "l"));
    setup("unlink l", unlink_(root, "l"));
    report("link follow to-f -> l", link_(root, FOLLOW, "to-f", "l"));
    report("link f -> ../l", link_(root, 0, "f", "../l"));
    report("link f -> /l", link_(root, 0, "f", "/l"));
    report("link ../x -> l", link_(root, 0, "../x", "l"));
    report("link f -> up/l", link_(root, 0, "f", "up/l"));
    report("link f -> f/l", link_(root, 0, "f", "f/l"));

    /* path_symlink */
    report("symlink -> s/ (nothing there)", symlink_(root, "target", "s/"));
    report("symlink -> existing dir/", symlink_(root, "target", "d/"));
    report("symlink -> existing dir", symlink_(root, "target", "d"));
    report("symlink -> existing file/", symlink_(root, "target", "f/"));
    report("symlink -> existing file", symlink_(root, "target", "f"));
    report("symlink -> existing symlink", symlink_(root, "target", "to-f"));
    report("symlink target /", symlink_(root, "/", "s"));
    report("symlink target /etc/passwd", symlink_(root, "/etc/passwd", "s"));
    report("symlink target ../x", symlink_(root, "../x", "s"));
    setup("unlink s", unlink_(root, "s"));
    report("symlink target empty", symlink_(root, "", "s"));
    report("symlink at ../s", symlink_(root, "f", "../s"));
    report("symlink at /s", symlink_(root, "f", "/s"));
    report("symlink at up/s", symlink_(root, "f", "up/s"));
    report("symlink at f/s", symlink_(root, "f", "f/s"));

    /* path_rename */
    report("rename file -> dir", rename_(root, "f", "d"));
    report("rename dir -> file", rename_(root, "d", "f"));
    report("rename dir -> non-empty dir", rename_(root, "d", "full"));
    report("rename dir -> its own child", rename_(root, "d", "d/sub"));
    report("rename file/ -> x", rename_(root, "f/", "x"));
    report("rename file -> x/", rename_(root, "f", "x/"));
    report("rename missing -> x", rename_(root, "missing", "x"));
    report("rename dir/ -> d2/", rename_(root, "d/", "d2/"));
    report("rename d2 -> d", rename_(root, "d2", "d"));
    report("rename . -> x", rename_(root, ".", "x"));
    report("rename f -> .", rename_(root, "f", "."));
    report("rename f -> ../x", rename_(root, "f", "../x"));
    report("rename ../x -> y", rename_(root, "../x", "y"));
    report("rename f -> /x", rename_(root, "f", "/x"));
    report("rename f -> up/x", rename_(root, "f", "up/x"));
    report("rename to-d/ -> x", rename_(root, "to-d/", "x"));
    report("rename symlink to-f -> g", rename_(root, "to-f", "g"));
    report("rename g -> to-f", rename_(root, "g", "to-f"));

    /* path_readlink */
    report("readlink file", readlink_(root, "f"));
    report("readlink dir", readlink_(root, "d"));
    report("readlink missing", readlink_(root, "missing"));
    report("readlink to-f", readlink_(root, "to-f"));
    report("readlink to-f/", readlink_(root, "to-f/"));
    report("readlink to-d/", readlink_(root, "to-d/"));
    report("readlink up", readlink_(root, "up"));
    report("readlink ../x", readlink_(root, "../x"));
    report("readlink /x", readlink_(root, "/x"));
    readlink_into(root, "to-f", 0, "readlink to-f into 0 bytes");
    readlink_into(root, "to-f", 1, "readlink to-f into 1 byte");
    readlink_into(root, "f", 0, "readlink file into 0 bytes");

    /* path_filestat_get and path_filestat_set_times */
    report("stat f/", stat_(root, 0, "f/"));
    report("stat missing", stat_(root, 0, "missing"));
    report("stat dangling nofollow", stat_(root, 0, "dangling"));
    report("stat dangling follow", stat_(root, FOLLOW, "dangling"));
    report("stat loop nofollow", stat_(root, 0, "loop"));
    report("stat loop follow", stat_(root, FOLLOW, "loop"));
    report("stat up nofollow", stat_(root, 0, "up"));
    report("stat up follow", stat_(root, FOLLOW, "up"));
    report("stat ..", stat_(root, 0, ".."));
    report("stat /", stat_(root, 0, "/"));
    report("stat to-d/ nofollow", stat_(root, 0, "to-d/"));
    report("set_times f/", touch_(root, 0, "f/"));
    report("set_times missing", touch_(root, 0, "missing"));
    report("set_times dangling follow", touch_(root, FOLLOW, "dangling"));
    report("set_times loop follow", touch_(root, FOLLOW, "loop"));
    report("set_times ..", touch_(root, 0, ".."));
    report("set_times atim and atim_now",
           __wasi_path_filestat_set_times(root, 0, "f", 0, 0, __WASI_FSTFLAGS_ATIM | __WASI_FSTFLAGS_ATIM_NOW));

    /* A file descriptor where a directory belongs. */
    __wasi_fd_t file;
    setup("open f", open_at(root, 0, "f", 0, __WASI_RIGHTS_FD_READ, &file));
    report("file fd path_open", try_open(file, 0, "x", 0, 0));
    report("file fd path_create_directory", mkdir_(file, "x"));
    report("file fd path_unlink_file", unlink_(file, "x"));
    report("file fd path_filestat_get", stat_(file, 0, "x"));
    report("file fd path_symlink", symlink_(file, "f", "x"));
    report("file fd path_readlink", readlink_(file, "x"));
    report("file fd path_rename", __wasi_path_rename(file, "x", root, "y"));
    report("file fd path_link", __wasi_path_link(root, 0, "f", file, "y"));
    setup("close f", __wasi_fd_close(file));
    report("closed fd path_open", try_open(file, 0, "x", 0, 0));
    report("closed fd path_create_directory", mkdir_(file, "x"));
    return finish_cases();
}
