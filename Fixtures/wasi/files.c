/* files: create/write/read/seek/tell/truncate/stat a file inside the
 * preopened directory (argv[1], default /sandbox). Exit 0 when every check
 * held, 1 otherwise. */
#include "common.h"
#include <fcntl.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <unistd.h>

static char path_buf[512];
static const char *P(const char *root, const char *name) {
    snprintf(path_buf, sizeof path_buf, "%s/%s", root, name);
    return path_buf;
}

int main(int argc, char **argv) {
    const char *root = sandbox_root(argc, argv);
    char buf[256];
    struct stat st;

    /* --- raw fd I/O --- */
    int fd = open(P(root, "data.bin"), O_CREAT | O_EXCL | O_RDWR, 0644);
    MUST("open O_CREAT|O_EXCL", fd >= 0);
    EXPECT_ERR("open O_EXCL again", open(P(root, "data.bin"), O_CREAT | O_EXCL | O_RDWR, 0644) < 0, EEXIST);
    const char *msg = "Hello, WASI!\n";
    ssize_t w = write(fd, msg, strlen(msg));
    printf("write returned: %zd\n", w);
    off_t pos = lseek(fd, 0, SEEK_CUR);
    printf("tell after write: %lld\n", (long long)pos);
    printf("lseek SEEK_SET 7: %lld\n", (long long)lseek(fd, 7, SEEK_SET));
    memset(buf, 0, sizeof buf);
    ssize_t r = read(fd, buf, 4);
    printf("read 4 at 7: %zd \"%s\"\n", r, buf);
    printf("lseek SEEK_END 0: %lld\n", (long long)lseek(fd, 0, SEEK_END));
    printf("lseek SEEK_END -6: %lld\n", (long long)lseek(fd, -6, SEEK_END));
    EXPECT_ERR("lseek to negative", lseek(fd, -100, SEEK_SET) < 0, EINVAL);
    printf("tell unchanged after failed seek: %lld\n", (long long)lseek(fd, 0, SEEK_CUR));

    /* seek past end and write: creates a hole filled with zeros */
    lseek(fd, 20, SEEK_SET);
    w = write(fd, "END", 3);
    printf("write past end: %zd\n", w);
    fstat(fd, &st);
    printf("size after hole write: %lld\n", (long long)st.st_size);
    lseek(fd, 13, SEEK_SET);
    r = read(fd, buf, 7);
    int zeros = 0;
    for (int i = 0; i < r; i++) zeros += buf[i] == 0;
    printf("hole bytes read: %zd, zero: %d\n", r, zeros);

    /* pread/pwrite leave the offset alone */
    lseek(fd, 2, SEEK_SET);
    w = pwrite(fd, "J", 1, 0);
    memset(buf, 0, sizeof buf);
    r = pread(fd, buf, 5, 0);
    printf("pwrite/pread: %zd %zd \"%s\"\n", w, r, buf);
    printf("offset still: %lld\n", (long long)lseek(fd, 0, SEEK_CUR));

    /* vectored I/O: a runtime may transfer fewer bytes than asked (it is
     * allowed to stop after the first buffer), so loop until done */
    lseek(fd, 0, SEEK_END);
    struct iovec iov[3] = {{"ab", 2}, {"", 0}, {"cdef", 4}};
    ssize_t first = writev(fd, iov, 3);
    ssize_t total = first;
    if (total >= 0 && total < 6) total += write(fd, &"abcdef"[total], (size_t)(6 - total));
    printf("writev wrote something: %s, total: %zd\n", first > 0 ? "yes" : "no", total);
    char a[3] = {0}, b[5] = {0};
    struct iovec riov[2] = {{a, 2}, {b, 4}};
    lseek(fd, -6, SEEK_END);
    first = readv(fd, riov, 2);
    total = first;
    if (first >= 0 && first < 2) total += read(fd, a + first, (size_t)(2 - first));
    if (total >= 2 && total < 6) total += read(fd, b + (total - 2), (size_t)(6 - total));
    printf("readv read something: %s, total: %zd \"%s\" \"%s\"\n", first > 0 ? "yes" : "no", total, a, b);
    printf("read at EOF: %zd\n", read(fd, buf, sizeof buf));

    /* truncate: shrink and grow */
    MUST("ftruncate 5", ftruncate(fd, 5) == 0);
    fstat(fd, &st);
    printf("size after ftruncate 5: %lld\n", (long long)st.st_size);
    MUST("ftruncate 4096", ftruncate(fd, 4096) == 0);
    fstat(fd, &st);
    printf("size after ftruncate 4096: %lld\n", (long long)st.st_size);
    MUST("truncate (path) 3", truncate(P(root, "data.bin"), 3) == 0);
    lseek(fd, 0, SEEK_SET);
    memset(buf, 0, sizeof buf);
    r = read(fd, buf, sizeof buf);
    printf("contents after truncate 3: %zd \"%s\"\n", r, buf);
    MUST("fsync", fsync(fd) == 0);
    MUST("fdatasync", fdatasync(fd) == 0);

    /* stat */
    MUST("fstat", fstat(fd, &st) == 0);
    FACT("fstat S_ISREG", S_ISREG(st.st_mode));
    printf("fstat nlink: %llu\n", (unsigned long long)st.st_nlink);
    struct stat st2;
    MUST("stat", stat(P(root, "data.bin"), &st2) == 0);
    FACT("stat same ino as fstat", st.st_ino == st2.st_ino && st.st_dev == st2.st_dev);
    printf("stat size: %lld\n", (long long)st2.st_size);
    MUST("close", close(fd) == 0);
    EXPECT_ERR("close again", close(fd) != 0, EBADF);
    EXPECT_ERR("read closed fd", read(fd, buf, 1) < 0, EBADF);
    EXPECT_ERR("stat missing", stat(P(root, "missing.txt"), &st) != 0, ENOENT);
    EXPECT_ERR("open missing", open(P(root, "missing.txt"), O_RDONLY) < 0, ENOENT);
    MUST("stat root", stat(root, &st) == 0);
    FACT("root is directory", S_ISDIR(st.st_mode));
    EXPECT_ERR("open dir O_WRONLY", open(root, O_WRONLY) < 0, EISDIR);
    EXPECT_ERR("open file as dir", open(P(root, "data.bin/x"), O_RDONLY) < 0, ENOTDIR);

    /* access modes */
    fd = open(P(root, "data.bin"), O_RDONLY);
    EXPECT_ERR("write to O_RDONLY fd", write(fd, "x", 1) < 0, EBADF);
    close(fd);
    MUST("access F_OK", access(P(root, "data.bin"), F_OK) == 0);
    EXPECT_ERR("access missing", access(P(root, "nope"), F_OK) != 0, ENOENT);

    /* O_APPEND and O_TRUNC */
    fd = open(P(root, "log.txt"), O_CREAT | O_WRONLY | O_APPEND, 0644);
    write(fd, "one\n", 4);
    lseek(fd, 0, SEEK_SET);
    write(fd, "two\n", 4);
    close(fd);
    fd = open(P(root, "log.txt"), O_RDONLY);
    memset(buf, 0, sizeof buf);
    r = read(fd, buf, sizeof buf);
    close(fd);
    for (int i = 0; i < r; i++) if (buf[i] == '\n') buf[i] = '|';
    printf("append result: %zd \"%.*s\"\n", r, (int)(r > 0 ? r : 0), buf);
    fd = open(P(root, "log.txt"), O_WRONLY | O_TRUNC);
    fstat(fd, &st);
    close(fd);
    printf("size after O_TRUNC: %lld\n", (long long)st.st_size);

    /* stdio on top of it, with a larger file to cross buffer sizes */
    FILE *f = fopen(P(root, "lines.txt"), "w");
    MUST("fopen w", f != NULL);
    for (int i = 0; i < 2000; i++) fprintf(f, "line %04d %s\n", i, (i % 3) ? "abc" : "xyz");
    fclose(f);
    f = fopen(P(root, "lines.txt"), "r");
    int lines = 0;
    unsigned long sum = 0;
    while (fgets(buf, sizeof buf, f)) {
        lines++;
        for (char *c = buf; *c; c++) sum = sum * 31 + (unsigned char)*c;
    }
    printf("fgets lines: %d, hash: %lu\n", lines, sum & 0xffffffffUL);
    fseek(f, -14, SEEK_END);
    fgets(buf, sizeof buf, f);
    printf("ftell after last line: %ld, last line: %s", ftell(f), buf);
    fclose(f);
    stat(P(root, "lines.txt"), &st);
    printf("lines.txt size: %lld\n", (long long)st.st_size);

    /* relative paths via the emulated cwd */
    MUST("chdir", chdir(root) == 0);
    MUST("stat relative", stat("lines.txt", &st) == 0);
    char cwd[256];
    MUST("getcwd", getcwd(cwd, sizeof cwd) != NULL);

    MUST("unlink data.bin", unlink(P(root, "data.bin")) == 0);
    MUST("unlink log.txt", unlink(P(root, "log.txt")) == 0);
    MUST("unlink lines.txt", unlink("lines.txt") == 0);
    return finish();
}
