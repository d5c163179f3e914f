/* links: rename, link, symlink, readlink, unlink (and the *at forms) inside
 * the preopened directory argv[1] (default /sandbox). Exit 0 when all held. */
#include "common.h"
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

static char pb[4][600];
static const char *P(int slot, const char *root, const char *rel) {
    snprintf(pb[slot], sizeof pb[slot], "%s/%s", root, rel);
    return pb[slot];
}

static int write_file(const char *path, const char *text) {
    int fd = open(path, O_CREAT | O_WRONLY | O_TRUNC, 0644);
    if (fd < 0) return -1;
    ssize_t w = write(fd, text, strlen(text));
    close(fd);
    return w == (ssize_t)strlen(text) ? 0 : -1;
}

static const char *read_file(const char *path) {
    static char buf[256];
    int fd = open(path, O_RDONLY);
    if (fd < 0) return "(open failed)";
    ssize_t r = read(fd, buf, sizeof buf - 1);
    close(fd);
    buf[r < 0 ? 0 : r] = 0;
    return buf;
}

int main(int argc, char **argv) {
    const char *root = sandbox_root(argc, argv);
    struct stat st, st2;
    char buf[256];

    MUST("mkdir work", mkdir(P(0, root, "work"), 0755) == 0);
    MUST("write a.txt", write_file(P(0, root, "work/a.txt"), "alpha") == 0);
    MUST("write b.txt", write_file(P(0, root, "work/b.txt"), "bravo") == 0);

    /* rename */
    MUST("rename a -> c", rename(P(0, root, "work/a.txt"), P(1, root, "work/c.txt")) == 0);
    EXPECT_ERR("stat old name", stat(P(0, root, "work/a.txt"), &st) != 0, ENOENT);
    printf("c.txt: %s\n", read_file(P(0, root, "work/c.txt")));
    MUST("rename c over b (replace)", rename(P(0, root, "work/c.txt"), P(1, root, "work/b.txt")) == 0);
    printf("b.txt after replace: %s\n", read_file(P(0, root, "work/b.txt")));
    EXPECT_ERR("rename missing", rename(P(0, root, "work/zz"), P(1, root, "work/yy")) != 0, ENOENT);
    MUST("mkdir sub", mkdir(P(0, root, "work/sub"), 0755) == 0);
    MUST("rename file into sub", rename(P(0, root, "work/b.txt"), P(1, root, "work/sub/b.txt")) == 0);
    MUST("rename dir sub -> sub2", rename(P(0, root, "work/sub"), P(1, root, "work/sub2")) == 0);
    printf("sub2/b.txt: %s\n", read_file(P(0, root, "work/sub2/b.txt")));
    MUST("mkdir empty", mkdir(P(0, root, "work/empty"), 0755) == 0);
    FACT("rename dir over non-empty dir fails",
         rename(P(0, root, "work/empty"), P(1, root, "work/sub2")) != 0);
    FACT("rename file over dir fails",
         (write_file(P(0, root, "work/f"), "f") == 0) &&
         rename(P(0, root, "work/f"), P(1, root, "work/empty")) != 0);

    /* hard links */
    MUST("link sub2/b.txt -> hard.txt", link(P(0, root, "work/sub2/b.txt"), P(1, root, "work/hard.txt")) == 0);
    stat(P(0, root, "work/sub2/b.txt"), &st);
    stat(P(0, root, "work/hard.txt"), &st2);
    FACT("same inode", st.st_ino == st2.st_ino);
    printf("nlink after link: %llu\n", (unsigned long long)st2.st_nlink);
    write_file(P(0, root, "work/hard.txt"), "changed via hard link");
    printf("original now: %s\n", read_file(P(0, root, "work/sub2/b.txt")));
    EXPECT_ERR("link onto existing", link(P(0, root, "work/sub2/b.txt"), P(1, root, "work/hard.txt")) != 0, EEXIST);
    EXPECT_ERR("link missing source", link(P(0, root, "work/none"), P(1, root, "work/h2")) != 0, ENOENT);
    MUST("unlink original", unlink(P(0, root, "work/sub2/b.txt")) == 0);
    stat(P(0, root, "work/hard.txt"), &st2);
    printf("nlink after unlink: %llu, content: %s\n", (unsigned long long)st2.st_nlink,
           read_file(P(0, root, "work/hard.txt")));

    /* symlinks (relative targets) */
    MUST("symlink target.txt", write_file(P(0, root, "work/target.txt"), "target data") == 0);
    MUST("symlink sl -> target.txt", symlink("target.txt", P(0, root, "work/sl")) == 0);
    ssize_t n = readlink(P(0, root, "work/sl"), buf, sizeof buf);
    printf("readlink sl: %zd \"%.*s\"\n", n, (int)(n > 0 ? n : 0), buf);
    n = readlink(P(0, root, "work/sl"), buf, 3);
    printf("readlink truncated to 3: %zd \"%.*s\"\n", n, (int)(n > 0 ? n : 0), buf);
    lstat(P(0, root, "work/sl"), &st);
    FACT("lstat S_ISLNK", S_ISLNK(st.st_mode));
    stat(P(0, root, "work/sl"), &st);
    FACT("stat follows to regular file", S_ISREG(st.st_mode));
    printf("read through symlink: %s\n", read_file(P(0, root, "work/sl")));
    EXPECT_ERR("readlink on regular file", readlink(P(0, root, "work/target.txt"), buf, sizeof buf) < 0, EINVAL);
    EXPECT_ERR("symlink onto existing", symlink("x", P(0, root, "work/sl")) != 0, EEXIST);
    MUST("symlink to dir", symlink("sub2", P(0, root, "work/dirlink")) == 0);
    MUST("create through dir symlink", write_file(P(0, root, "work/dirlink/via.txt"), "via") == 0);
    printf("sub2/via.txt: %s\n", read_file(P(0, root, "work/sub2/via.txt")));
    MUST("symlink chain c1 -> sl", symlink("sl", P(0, root, "work/c1")) == 0);
    printf("read through chain: %s\n", read_file(P(0, root, "work/c1")));
    MUST("symlink up: sub2/up -> ../target.txt", symlink("../target.txt", P(0, root, "work/sub2/up")) == 0);
    printf("read through ../ link: %s\n", read_file(P(0, root, "work/sub2/up")));
    MUST("dangling symlink", symlink("does-not-exist", P(0, root, "work/dangling")) == 0);
    EXPECT_ERR("open dangling", open(P(0, root, "work/dangling"), O_RDONLY) < 0, ENOENT);
    MUST("lstat dangling", lstat(P(0, root, "work/dangling"), &st) == 0);
    MUST("self loop", symlink("loop", P(0, root, "work/loop")) == 0);
    EXPECT_ERR("open self loop", open(P(0, root, "work/loop"), O_RDONLY) < 0, ELOOP);
    FACT("open O_NOFOLLOW on symlink fails", open(P(0, root, "work/sl"), O_RDONLY | O_NOFOLLOW) < 0);
    MUST("rename symlink", rename(P(0, root, "work/sl"), P(1, root, "work/sl2")) == 0);
    n = readlink(P(0, root, "work/sl2"), buf, sizeof buf);
    printf("readlink renamed: \"%.*s\"\n", (int)(n > 0 ? n : 0), buf);
    MUST("unlink symlink", unlink(P(0, root, "work/sl2")) == 0);
    MUST("target survives", stat(P(0, root, "work/target.txt"), &st) == 0);
    FACT("unlink of a directory fails", unlink(P(0, root, "work/sub2")) != 0);

    /* *at variants relative to a directory fd */
    int dfd = open(P(0, root, "work"), O_RDONLY | O_DIRECTORY);
    MUST("open dir fd", dfd >= 0);
    MUST("renameat", renameat(dfd, "target.txt", dfd, "t2.txt") == 0);
    MUST("linkat", linkat(dfd, "t2.txt", dfd, "t3.txt", 0) == 0);
    MUST("symlinkat", symlinkat("t3.txt", dfd, "s3") == 0);
    n = readlinkat(dfd, "s3", buf, sizeof buf);
    printf("readlinkat: \"%.*s\"\n", (int)(n > 0 ? n : 0), buf);
    MUST("fstatat nofollow", fstatat(dfd, "s3", &st, AT_SYMLINK_NOFOLLOW) == 0);
    FACT("fstatat nofollow sees link", S_ISLNK(st.st_mode));
    MUST("unlinkat file", unlinkat(dfd, "s3", 0) == 0);
    MUST("unlinkat dir", unlinkat(dfd, "empty", AT_REMOVEDIR) == 0);
    close(dfd);

    /* clean up everything; the sandbox must end empty */
    const char *files[] = {"work/t2.txt", "work/t3.txt", "work/hard.txt", "work/f", "work/dirlink",
                           "work/c1", "work/dangling", "work/loop", "work/sub2/via.txt", "work/sub2/up"};
    int cleaned = 0;
    for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) cleaned += unlink(P(0, root, files[i])) == 0;
    printf("cleaned: %d\n", cleaned);
    MUST("rmdir sub2", rmdir(P(0, root, "work/sub2")) == 0);
    MUST("rmdir work", rmdir(P(0, root, "work")) == 0);
    return finish();
}
