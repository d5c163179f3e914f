/* escape: sandbox-escape attempts against the preopened directory argv[1]
 * (default /sandbox). Each attempt prints "denied" or "ESCAPED"; a correct
 * runtime denies every one. Only the outcome is printed, not the errno (which
 * legitimately differs between runtimes: ENOTCAPABLE, EPERM, ENOENT...).
 * Exit code: the number of escapes (0 under a correct runtime). */
#include "common.h"
#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

static int escapes = 0, attempts = 0;
static const char *root;

static void report(const char *what, int escaped) {
    attempts++;
    escapes += escaped != 0;
    printf("%2d %-58s %s\n", attempts, what, escaped ? "ESCAPED" : "denied");
}

static char pbuf[4][8192];
static const char *P(int slot, const char *rel) {
    snprintf(pbuf[slot], sizeof pbuf[slot], "%s/%s", root, rel);
    return pbuf[slot];
}

/* Opening for reading succeeds => escaped. */
static int can_read(const char *path) {
    int fd = open(path, O_RDONLY);
    if (fd < 0) return 0;
    char c;
    ssize_t r = read(fd, &c, 1);
    close(fd);
    (void)r;
    return 1;
}

/* Creating succeeds => escaped (and the file is removed again). */
static int can_create(const char *path) {
    int fd = open(path, O_CREAT | O_EXCL | O_WRONLY, 0644);
    if (fd < 0) return 0;
    close(fd);
    unlink(path);
    return 1;
}

int main(int argc, char **argv) {
    root = sandbox_root(argc, argv);
    const char *deep = "../../../../../../../../../../../../../../../..";
    char rel[8192];

    mkdir(P(0, "a"), 0755);
    mkdir(P(0, "a/b"), 0755);
    int fd = open(P(0, "inside.txt"), O_CREAT | O_WRONLY | O_TRUNC, 0644);
    if (fd >= 0) { write(fd, "inside", 6); close(fd); }

    report("create ../escape_marker", can_create(P(0, "../escape_marker")));
    report("create a/../../escape_marker", can_create(P(0, "a/../../escape_marker")));
    snprintf(rel, sizeof rel, "%s/etc/passwd", deep);
    report("read ../../(x16)/etc/passwd", can_read(P(0, rel)));
    report("read absolute /etc/passwd", can_read("/etc/passwd"));

    int made = symlink("/etc", P(0, "etc_link")) == 0;
    report("symlink -> /etc, read etc_link/passwd", made && can_read(P(0, "etc_link/passwd")));

    int chain = symlink("l2", P(0, "l1")) == 0;
    chain &= symlink("a/l3", P(0, "l2")) == 0;
    chain &= symlink(deep, P(0, "a/l3")) == 0;
    report("symlink chain l1->l2->a/l3->../.., read l1/etc/passwd", chain && can_read(P(0, "l1/etc/passwd")));
    report("symlink chain, create l1/escape_marker", chain && can_create(P(0, "l1/escape_marker")));

    int up = symlink("..", P(0, "up")) == 0;
    report("symlink up -> .., create up/escape_marker", up && can_create(P(0, "up/escape_marker")));
    DIR *d = up ? opendir(P(0, "up")) : NULL;
    report("symlink up -> .., opendir up", d != NULL);
    if (d) closedir(d);

    snprintf(rel, sizeof rel, "%s/etc/passwd", deep);
    int esc_made = symlink(rel, P(0, "passwd_link")) == 0;
    report("open symlink with escaping target (../../etc/passwd)", esc_made && can_read(P(0, "passwd_link")));

    report("hard link /etc/passwd -> hl", link("/etc/passwd", P(0, "hl")) == 0);
    snprintf(rel, sizeof rel, "%s/etc/passwd", deep);
    report("hard link ../(x16)/etc/passwd -> hl2", link(P(0, rel), P(1, "hl2")) == 0);
    report("hard link inside.txt -> ../escape_marker", link(P(0, "inside.txt"), P(1, "../escape_marker")) == 0 &&
                                                        (unlink(P(2, "../escape_marker")), 1));

    int renamed = rename(P(0, "inside.txt"), P(1, "../escape_renamed")) == 0;
    if (renamed) rename(P(0, "../escape_renamed"), P(1, "inside.txt"));
    report("rename inside.txt -> ../escape_renamed", renamed);
    report("rename a/b -> a/../../escape_dir", rename(P(0, "a/b"), P(1, "a/../../escape_dir")) == 0);

    report("mkdir ../escape_dir", mkdir(P(0, "../escape_dir"), 0755) == 0 && (rmdir(P(1, "../escape_dir")), 1));
    report("read ./a/./../.././a/b/../../../../etc/passwd",
           can_read(P(0, "./a/./../.././a/b/../../../../../../../../../../../etc/passwd")));
    report("read a//..//..//..//..//..//..//etc//passwd",
           can_read(P(0, "a//..//..//..//..//..//..//..//..//..//..//etc//passwd")));
    report("read //etc/passwd", can_read("//etc/passwd"));
    d = opendir(P(0, ".."));
    report("opendir ..", d != NULL);
    if (d) closedir(d);

    /* a very long path: 3,000 levels of ../ */
    size_t pos = 0;
    for (int i = 0; i < 3000 && pos + 8 < sizeof rel; i++) { memcpy(rel + pos, "../", 3); pos += 3; }
    strcpy(rel + pos, "etc/passwd");
    report("read (../ x ~2700)etc/passwd (very long path)", can_read(P(0, rel)));

    int dfd = open(root, O_RDONLY | O_DIRECTORY);
    int afd = dfd >= 0 ? openat(dfd, "/etc/passwd", O_RDONLY) : -1;
    report("openat(sandbox fd, \"/etc/passwd\")", afd >= 0);
    if (afd >= 0) close(afd);
    afd = dfd >= 0 ? openat(dfd, "..", O_RDONLY | O_DIRECTORY) : -1;
    report("openat(sandbox fd, \"..\")", afd >= 0);
    if (afd >= 0) close(afd);
    if (dfd >= 0) close(dfd);

    int cd = chdir(P(0, "a")) == 0;
    report("chdir a, read ../../../../etc/passwd (relative)",
           cd && can_read("../../../../../../../../../../../etc/passwd"));
    report("chdir .. twice, create escape_marker",
           chdir(P(0, "..")) == 0 && chdir("..") == 0 && can_create("escape_marker"));

    /* clean up what the sandbox holds */
    const char *links[] = {"etc_link", "l1", "l2", "a/l3", "up", "passwd_link", "hl", "hl2", "inside.txt"};
    for (size_t i = 0; i < sizeof links / sizeof links[0]; i++) unlink(P(0, links[i]));
    rmdir(P(0, "a/b"));
    rmdir(P(0, "a"));

    printf("attempts: %d, escapes: %d\n", attempts, escapes);
    fflush(stdout);
    return escapes;
}
