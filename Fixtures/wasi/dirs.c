/* dirs: mkdir, readdir over 1,500 files the program creates itself (sorted
 * output), telldir/seekdir/rewinddir, scandir, rmdir. Works inside the
 * preopened directory argv[1] (default /sandbox). Exit 0 when all held. */
#include "common.h"
#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#define NFILES 1500

static char pbuf[600];
static const char *P(const char *root, const char *rel) {
    snprintf(pbuf, sizeof pbuf, "%s/%s", root, rel);
    return pbuf;
}

static int cmpstr(const void *a, const void *b) {
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static int not_dots(const struct dirent *d) {
    return strcmp(d->d_name, ".") != 0 && strcmp(d->d_name, "..") != 0;
}

/* Names of varying length so directory entries do not all have one size. */
static void name_for(int i, char *out, size_t n) {
    static const char *suffix[] = {"", "_x", "_longer_name", "_a_much_longer_name_for_entry"};
    snprintf(out, n, "f%04d%s.txt", i, suffix[(i * 7) % 4]);
}

int main(int argc, char **argv) {
    const char *root = sandbox_root(argc, argv);
    char name[128];
    struct stat st;

    MUST("mkdir tree", mkdir(P(root, "tree"), 0755) == 0);
    EXPECT_ERR("mkdir existing", mkdir(P(root, "tree"), 0755) != 0, EEXIST);
    EXPECT_ERR("mkdir missing parent", mkdir(P(root, "nope/sub"), 0755) != 0, ENOENT);
    MUST("mkdir nested a", mkdir(P(root, "tree/a"), 0755) == 0);
    MUST("mkdir nested a/b", mkdir(P(root, "tree/a/b"), 0755) == 0);
    MUST("mkdir nested a/b/c", mkdir(P(root, "tree/a/b/c"), 0755) == 0);
    MUST("stat a/b/c", stat(P(root, "tree/a/b/c"), &st) == 0);
    FACT("a/b/c is dir", S_ISDIR(st.st_mode));

    /* create files in a scrambled order (1,500 and 7 are coprime) */
    int created = 0;
    for (int k = 0; k < NFILES; k++) {
        int i = (k * 7 + 3) % NFILES;
        char rel[160];
        name_for(i, name, sizeof name);
        snprintf(rel, sizeof rel, "big/%s", name);
        if (k == 0) MUST("mkdir big", mkdir(P(root, "big"), 0755) == 0);
        int fd = open(P(root, rel), O_CREAT | O_WRONLY | O_EXCL, 0644);
        if (fd < 0) continue;
        if (i % 100 == 0) write(fd, name, strlen(name));
        close(fd);
        created++;
    }
    printf("created files: %d\n", created);

    DIR *d = opendir(P(root, "big"));
    MUST("opendir big", d != NULL);
    char **names = calloc(NFILES + 16, sizeof(char *));
    int n = 0, regular_typed = 0, unknown_typed = 0;
    long mark = -1;
    char mark_name[128] = "";
    struct dirent *e;
    while (d && (e = readdir(d)) != NULL) {
        if (!not_dots(e)) continue;
        if (e->d_type == DT_REG) regular_typed++;
        else if (e->d_type == DT_UNKNOWN) unknown_typed++;
        if (n == 700) {
            /* remember the position of the 701st real entry */
            mark = -2;
        }
        if (n < NFILES + 16) names[n] = strdup(e->d_name);
        n++;
        if (mark == -2) {
            mark = telldir(d);
            strcpy(mark_name, "");
        }
    }
    printf("readdir entries (without . and ..): %d\n", n);
    FACT("d_type regular or unknown for all", regular_typed + unknown_typed == n);
    qsort(names, (size_t)n, sizeof(char *), cmpstr);
    int dup = 0;
    for (int i = 1; i < n; i++) dup += strcmp(names[i - 1], names[i]) == 0;
    printf("duplicates: %d\n", dup);
    int expected_ok = n == NFILES;
    for (int i = 0; i < n && expected_ok; i++) {
        name_for(i, name, sizeof name);
        expected_ok = strcmp(name, names[i]) == 0;
    }
    FACT("sorted names match created names", expected_ok);
    for (int i = 0; i < n; i++) {
        if (i < 5 || i >= n - 5) printf("  sorted[%d] = %s\n", i, names[i]);
    }
    unsigned long h = 2166136261UL;
    for (int i = 0; i < n; i++)
        for (const char *c = names[i]; *c; c++) h = ((h ^ (unsigned char)*c) * 16777619UL) & 0xffffffffUL;
    printf("fnv1a of sorted names: %08lx\n", h);

    /* seekdir back to a remembered position reproduces the next entry */
    if (d && mark >= 0) {
        seekdir(d, mark);
        e = readdir(d);
        char first_after[128] = "";
        if (e) strcpy(first_after, e->d_name);
        int count_after = e ? not_dots(e) : 0;
        while ((e = readdir(d)) != NULL) count_after += not_dots(e);
        seekdir(d, mark);
        e = readdir(d);
        FACT("seekdir twice gives same entry", e && strcmp(e->d_name, first_after) == 0);
        printf("entries after telldir mark: %d\n", count_after);
        (void)mark_name;
    }
    /* rewinddir sees everything again */
    if (d) {
        rewinddir(d);
        int again = 0;
        while ((e = readdir(d)) != NULL) again += not_dots(e);
        printf("entries after rewinddir: %d\n", again);
        closedir(d);
    }

    /* scandir with alphasort and a filter */
    struct dirent **list = NULL;
    int sn = scandir(P(root, "big"), &list, not_dots, alphasort);
    printf("scandir count: %d\n", sn);
    if (sn > 0) {
        printf("scandir first: %s, last: %s\n", list[0]->d_name, list[sn - 1]->d_name);
        for (int i = 0; i < sn; i++) free(list[i]);
        free(list);
    }

    /* a file with content reads back; directory sizes are not compared */
    MUST("stat big/f0100", stat(P(root, "big/f0100.txt"), &st) == 0);
    printf("f0100 size: %lld\n", (long long)st.st_size);

    /* readdir of the small tree, including a subdirectory's type */
    d = opendir(P(root, "tree/a"));
    while (d && (e = readdir(d)) != NULL)
        if (not_dots(e)) printf("tree/a entry: %s (type %s)\n", e->d_name,
                                e->d_type == DT_DIR ? "dir" : e->d_type == DT_UNKNOWN ? "unknown" : "other");
    if (d) closedir(d);
    EXPECT_ERR("opendir on a file", opendir(P(root, "big/f0000.txt")) == NULL, ENOTDIR);
    EXPECT_ERR("opendir missing", opendir(P(root, "missing")) == NULL, ENOENT);

    /* rmdir */
    EXPECT_ERR("rmdir non-empty", rmdir(P(root, "big")) != 0, ENOTEMPTY);
    EXPECT_ERR("rmdir a file", rmdir(P(root, "big/f0000.txt")) != 0, ENOTDIR);
    int removed = 0;
    for (int i = 0; i < n; i++) {
        char rel[160];
        snprintf(rel, sizeof rel, "big/%s", names[i]);
        removed += unlink(P(root, rel)) == 0;
        free(names[i]);
    }
    free(names);
    printf("unlinked: %d\n", removed);
    MUST("rmdir big (now empty)", rmdir(P(root, "big")) == 0);
    EXPECT_ERR("stat removed dir", stat(P(root, "big"), &st) != 0, ENOENT);
    EXPECT_ERR("rmdir tree/a (non-empty)", rmdir(P(root, "tree/a")) != 0, ENOTEMPTY);
    MUST("rmdir a/b/c", rmdir(P(root, "tree/a/b/c")) == 0);
    MUST("rmdir a/b", rmdir(P(root, "tree/a/b")) == 0);
    MUST("rmdir a", rmdir(P(root, "tree/a")) == 0);
    MUST("rmdir tree", rmdir(P(root, "tree")) == 0);
    EXPECT_ERR("rmdir missing", rmdir(P(root, "tree")) != 0, ENOENT);

    d = opendir(root);
    int left = 0;
    while (d && (e = readdir(d)) != NULL) left += not_dots(e);
    if (d) closedir(d);
    printf("entries left in sandbox: %d\n", left);
    return finish();
}
