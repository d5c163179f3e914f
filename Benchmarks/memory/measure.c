/* measure PROGRAM [ARGS...]: runs PROGRAM, then prints "SECONDS MAXRSS_KIB" (wall time
 * from fork to reaping; the child's peak RSS from wait4) as the last line of stdout,
 * and exits with the child's status (128 + signal if it was killed).
 *
 * Why not os.wait4 in Python: on exec, Linux folds the peak RSS of the process image
 * being replaced into the new program's ru_maxrss, so a child spawned straight from
 * Python reports at least Python's ~20 MiB. From this small launcher, the floor is
 * its own ~1 MiB. */
#include <stdio.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static double now(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec + t.tv_nsec * 1e-9;
}

int main(int argc, char **argv) {
    if (argc < 2) {
        fprintf(stderr, "usage: measure PROGRAM [ARGS...]\n");
        return 2;
    }
    fflush(stdout);
    double start = now();
    pid_t pid = fork();
    if (pid == 0) {
        execv(argv[1], argv + 1);
        perror(argv[1]);
        _exit(127);
    }
    int status;
    struct rusage usage;
    if (pid < 0 || wait4(pid, &status, 0, &usage) < 0) {
        perror("measure");
        return 2;
    }
    double seconds = now() - start;
    printf("%.6f %ld\n", seconds, usage.ru_maxrss);
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}
