/* times: set and read file times with utimensat/futimens (UTIME_NOW,
 * UTIME_OMIT) inside the preopened directory argv[1] (default /sandbox).
 * Exit 0 when all held.
 * Not covered, because the reference (wasmtime 50) gets them wrong: setting
 * only atime (mtime UTIME_OMIT) and both UTIME_OMIT fail with EINVAL there,
 * and utimensat(..., NULL) (both UTIME_NOW) sets both times to 0. */
#include "common.h"
#include <fcntl.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

static void show(const char *label, const struct stat *st) {
    printf("%s: atime %lld.%09ld mtime %lld.%09ld\n", label,
           (long long)st->st_atim.tv_sec, st->st_atim.tv_nsec,
           (long long)st->st_mtim.tv_sec, st->st_mtim.tv_nsec);
}

static int near_now(const struct timespec *t) {
    struct timespec now;
    clock_gettime(CLOCK_REALTIME, &now);
    long long d = (long long)now.tv_sec - (long long)t->tv_sec;
    return d >= -5 && d <= 120;
}

int main(int argc, char **argv) {
    const char *root = sandbox_root(argc, argv);
    char path[512], lpath[512];
    snprintf(path, sizeof path, "%s/stamp.txt", root);
    snprintf(lpath, sizeof lpath, "%s/stamp.link", root);
    struct stat st;

    int fd = open(path, O_CREAT | O_RDWR | O_TRUNC, 0644);
    MUST("create", fd >= 0);
    write(fd, "time", 4);
    fstat(fd, &st);
    FACT("new file mtime is near now", near_now(&st.st_mtim));

    struct timespec ts[2] = {{1000000000, 123456789}, {1234567890, 987654321}};
    MUST("utimensat explicit", utimensat(AT_FDCWD, path, ts, 0) == 0);
    stat(path, &st);
    show("after utimensat", &st);

    ts[0].tv_nsec = UTIME_OMIT;
    ts[1].tv_sec = 1600000000; ts[1].tv_nsec = 0;
    MUST("futimens mtime only (atime UTIME_OMIT)", futimens(fd, ts) == 0);
    fstat(fd, &st);
    show("after futimens mtime-only", &st);

    ts[0].tv_sec = 0; ts[0].tv_nsec = 0;
    ts[1].tv_sec = 0; ts[1].tv_nsec = 0;
    MUST("futimens epoch", futimens(fd, ts) == 0);
    fstat(fd, &st);
    show("after futimens epoch", &st);

    ts[0].tv_nsec = UTIME_NOW;
    ts[1].tv_sec = 2000000000; ts[1].tv_nsec = 1;
    MUST("utimensat atime UTIME_NOW", utimensat(AT_FDCWD, path, ts, 0) == 0);
    stat(path, &st);
    FACT("atime now near now", near_now(&st.st_atim));
    printf("mtime kept explicit: %lld.%09ld\n", (long long)st.st_mtim.tv_sec, st.st_mtim.tv_nsec);

    ts[0].tv_sec = 1; ts[0].tv_nsec = 2000000000; /* invalid nsec */
    ts[1].tv_sec = 1; ts[1].tv_nsec = 0;
    EXPECT_ERR("invalid tv_nsec", utimensat(AT_FDCWD, path, ts, 0) != 0, EINVAL);

    /* through a symlink: the default follows it */
    MUST("symlink", symlink("stamp.txt", lpath) == 0);
    ts[0].tv_sec = 1111111111; ts[0].tv_nsec = 0;
    ts[1].tv_sec = 1222222222; ts[1].tv_nsec = 0;
    MUST("utimensat via symlink (follow)", utimensat(AT_FDCWD, lpath, ts, 0) == 0);
    stat(path, &st);
    show("target after follow", &st);

    /* utimes() with microseconds */
    struct timeval tv[2] = {{1300000000, 250000}, {1300000001, 750000}};
    MUST("utimes", utimes(path, tv) == 0);
    stat(path, &st);
    show("after utimes", &st);

    unlink(lpath);
    EXPECT_ERR("utimensat missing file", utimensat(AT_FDCWD, lpath, ts, 0) != 0, ENOENT);
    close(fd);
    unlink(lpath);
    MUST("unlink", unlink(path) == 0);
    return finish();
}
