/* Shared helpers for the WASI fixtures. Output must be deterministic and
 * independent of the host: print errno *names*, never host paths or times. */
#ifndef WASMKILN_FIXTURE_COMMON_H
#define WASMKILN_FIXTURE_COMMON_H
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int g_failures = 0;

__attribute__((unused)) static const char *errname(int e) {
    switch (e) {
    case 0: return "OK";
    case EACCES: return "EACCES";
    case EBADF: return "EBADF";
    case EEXIST: return "EEXIST";
    case EINVAL: return "EINVAL";
    case EISDIR: return "EISDIR";
    case ELOOP: return "ELOOP";
    case ENAMETOOLONG: return "ENAMETOOLONG";
    case ENOENT: return "ENOENT";
    case ENOTDIR: return "ENOTDIR";
    case ENOTEMPTY: return "ENOTEMPTY";
    case ENOTCAPABLE: return "ENOTCAPABLE";
    case EPERM: return "EPERM";
    case EXDEV: return "EXDEV";
    case ENOTSUP: return "ENOTSUP";
    case ENOSYS: return "ENOSYS";
    default: return "E?";
    }
}

/* Report a boolean fact; a false fact counts as a failure. */
#define FACT(label, cond) do { int ok_ = (cond) ? 1 : 0; \
    printf("%s: %s\n", (label), ok_ ? "yes" : "no"); if (!ok_) g_failures++; } while (0)

/* Expect a call returning -1/NULL to fail with a specific errno. */
#define EXPECT_ERR(label, failed, want) do { int f_ = (failed); int e_ = f_ ? errno : 0; \
    printf("%s: %s\n", (label), errname(e_)); if (!f_ || e_ != (want)) g_failures++; } while (0)

/* A call that must succeed (returns -1 / NULL on failure). */
#define MUST(label, ok) do { errno = 0; int o_ = (ok); \
    printf("%s: %s\n", (label), o_ ? "ok" : errname(errno)); if (!o_) g_failures++; } while (0)

__attribute__((unused)) static const char *sandbox_root(int argc, char **argv) {
    return argc > 1 ? argv[1] : "/sandbox";
}

__attribute__((unused)) static int finish(void) {
    printf("failures: %d\n", g_failures);
    fflush(stdout);
    return g_failures == 0 ? 0 : 1;
}
#endif
