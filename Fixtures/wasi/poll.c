/* poll: poll()/select() with timeouts and no descriptors (pure clock
 * subscriptions), nanosleep/clock_nanosleep, and poll/select on regular-file
 * and stdout descriptors (always ready). Uses the preopened directory argv[1]
 * (default /sandbox) for the file. Prints deterministic facts only.
 * Exit 0 when all held. */
#include "common.h"
#include <fcntl.h>
#include <poll.h>
#include <sched.h>
#include <sys/select.h>
#include <time.h>
#include <unistd.h>

static long long now_ns(clockid_t c) {
    struct timespec t;
    clock_gettime(c, &t);
    return (long long)t.tv_sec * 1000000000LL + t.tv_nsec;
}

int main(int argc, char **argv) {
    const char *root = sandbox_root(argc, argv);
    long long t0, t1;

    t0 = now_ns(CLOCK_MONOTONIC);
    int r = poll(NULL, 0, 30);
    t1 = now_ns(CLOCK_MONOTONIC);
    printf("poll(no fds, 30ms) returned: %d\n", r);
    FACT("poll waited at least 30ms", t1 - t0 >= 30000000LL);
    FACT("poll waited less than 5s", t1 - t0 < 5000000000LL);

    t0 = now_ns(CLOCK_MONOTONIC);
    r = poll(NULL, 0, 0);
    printf("poll(no fds, 0ms) returned: %d\n", r);

    struct timeval tv = {0, 20000};
    t0 = now_ns(CLOCK_MONOTONIC);
    r = select(0, NULL, NULL, NULL, &tv);
    t1 = now_ns(CLOCK_MONOTONIC);
    printf("select(no fds, 20ms) returned: %d\n", r);
    FACT("select waited at least 20ms", t1 - t0 >= 20000000LL);

    struct timespec d = {0, 15000000};
    t0 = now_ns(CLOCK_MONOTONIC);
    r = nanosleep(&d, NULL);
    t1 = now_ns(CLOCK_MONOTONIC);
    printf("nanosleep(15ms) returned: %d\n", r);
    FACT("nanosleep slept at least 15ms", t1 - t0 >= 15000000LL);

    struct timespec zero = {0, 0};
    printf("nanosleep(0) returned: %d\n", nanosleep(&zero, NULL));
    struct timespec bad = {0, 1000000000};
    EXPECT_ERR("nanosleep invalid tv_nsec", nanosleep(&bad, NULL) != 0, EINVAL);

    /* absolute deadline on the monotonic clock */
    struct timespec dl;
    clock_gettime(CLOCK_MONOTONIC, &dl);
    dl.tv_nsec += 25000000;
    if (dl.tv_nsec >= 1000000000) { dl.tv_sec++; dl.tv_nsec -= 1000000000; }
    r = clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &dl, NULL);
    t1 = now_ns(CLOCK_MONOTONIC);
    printf("clock_nanosleep(MONOTONIC, ABSTIME +25ms) returned: %d\n", r);
    FACT("woke at or after the deadline", t1 >= (long long)dl.tv_sec * 1000000000LL + dl.tv_nsec);

    /* a deadline in the past returns at once */
    dl.tv_sec -= 10;
    t0 = now_ns(CLOCK_MONOTONIC);
    r = clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &dl, NULL);
    t1 = now_ns(CLOCK_MONOTONIC);
    printf("clock_nanosleep past deadline returned: %d\n", r);
    FACT("past deadline returned within 1s", t1 - t0 < 1000000000LL);

    /* relative sleep on the realtime clock */
    t0 = now_ns(CLOCK_MONOTONIC);
    struct timespec rel = {0, 10000000};
    r = clock_nanosleep(CLOCK_REALTIME, 0, &rel, NULL);
    t1 = now_ns(CLOCK_MONOTONIC);
    printf("clock_nanosleep(REALTIME, relative 10ms) returned: %d\n", r);
    FACT("slept at least 10ms", t1 - t0 >= 10000000LL);

    printf("sched_yield returned: %d\n", sched_yield());

    /* regular files are always ready for reading and writing */
    char path[512];
    snprintf(path, sizeof path, "%s/poll.txt", root);
    int fd = open(path, O_CREAT | O_RDWR | O_TRUNC, 0644);
    MUST("open file", fd >= 0);
    write(fd, "0123456789", 10);
    lseek(fd, 0, SEEK_SET);
    /* One descriptor per call: with several ready subscriptions a runtime may
     * report any non-empty subset, so the count would not be deterministic. */
    struct pollfd pin = {fd, POLLIN, 0}, pout = {fd, POLLOUT, 0};
    t0 = now_ns(CLOCK_MONOTONIC);
    r = poll(&pin, 1, 5000);
    printf("poll(file IN, 5s) returned: %d\n", r);
    r = poll(&pout, 1, 5000);
    t1 = now_ns(CLOCK_MONOTONIC);
    printf("poll(file OUT, 5s) returned: %d\n", r);
    FACT("file POLLIN set", (pin.revents & POLLIN) != 0);
    FACT("file POLLOUT set", (pout.revents & POLLOUT) != 0);
    FACT("poll on ready file did not wait for the timeout", t1 - t0 < 4000000000LL);

    struct pollfd so = {1, POLLOUT, 0};
    r = poll(&so, 1, 1000);
    printf("poll(stdout OUT) returned: %d\n", r);
    FACT("stdout POLLOUT set", (so.revents & POLLOUT) != 0);

    fd_set rfds, wfds;
    FD_ZERO(&rfds);
    FD_SET(fd, &rfds);
    struct timeval tv2 = {5, 0};
    r = select(fd + 1, &rfds, NULL, NULL, &tv2);
    printf("select(file read) returned: %d\n", r);
    FACT("file readable per select", FD_ISSET(fd, &rfds));
    FD_ZERO(&wfds);
    FD_SET(fd, &wfds);
    tv2.tv_sec = 5;
    tv2.tv_usec = 0;
    r = select(fd + 1, NULL, &wfds, NULL, &tv2);
    printf("select(file write) returned: %d\n", r);
    FACT("file writable per select", FD_ISSET(fd, &wfds));

    close(fd);
    unlink(path);
    return finish();
}
