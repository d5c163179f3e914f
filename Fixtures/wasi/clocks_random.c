/* clocks_random: clock_gettime/clock_getres sanity for the realtime and
 * monotonic clocks, time(), gettimeofday(), getentropy/arc4random. Prints
 * only deterministic facts. No arguments, no preopens. Exit 0 when all held. */
#include "common.h"
#include <sys/random.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

static long long ns(const struct timespec *t) { return (long long)t->tv_sec * 1000000000LL + t->tv_nsec; }

int main(void) {
    struct timespec a, b, res;
    MUST("clock_gettime MONOTONIC", clock_gettime(CLOCK_MONOTONIC, &a) == 0);
    volatile unsigned long spin = 0;
    for (unsigned long i = 0; i < 2000000; i++) spin += i;
    struct timespec sl = {0, 2000000};
    nanosleep(&sl, NULL);
    clock_gettime(CLOCK_MONOTONIC, &b);
    FACT("monotonic increases", ns(&b) > ns(&a));
    FACT("monotonic advanced at least 2ms over a 2ms sleep", ns(&b) - ns(&a) >= 2000000);
    FACT("tv_nsec in range", a.tv_nsec >= 0 && a.tv_nsec < 1000000000 && b.tv_nsec >= 0 && b.tv_nsec < 1000000000);
    int mono_ok = 1;
    struct timespec prev = b, cur;
    for (int i = 0; i < 10000; i++) {
        clock_gettime(CLOCK_MONOTONIC, &cur);
        if (ns(&cur) < ns(&prev)) mono_ok = 0;
        prev = cur;
    }
    FACT("monotonic never goes back over 10000 reads", mono_ok);

    MUST("clock_getres MONOTONIC", clock_getres(CLOCK_MONOTONIC, &res) == 0);
    FACT("monotonic resolution in (0, 1s]", ns(&res) > 0 && ns(&res) <= 1000000000LL);
    MUST("clock_getres REALTIME", clock_getres(CLOCK_REALTIME, &res) == 0);
    FACT("realtime resolution in (0, 1s]", ns(&res) > 0 && ns(&res) <= 1000000000LL);

    struct timespec rt;
    MUST("clock_gettime REALTIME", clock_gettime(CLOCK_REALTIME, &rt) == 0);
    FACT("realtime after 2020-01-01", rt.tv_sec > 1577836800LL);
    FACT("realtime before 2100-01-01", rt.tv_sec < 4102444800LL);
    time_t t = time(NULL);
    FACT("time() agrees with realtime within 5s", (long long)t - (long long)rt.tv_sec <= 5 && (long long)t >= (long long)rt.tv_sec);
    struct timeval tv;
    MUST("gettimeofday", gettimeofday(&tv, NULL) == 0);
    FACT("gettimeofday agrees within 5s", tv.tv_sec - rt.tv_sec <= 5 && tv.tv_sec >= rt.tv_sec && tv.tv_usec >= 0 && tv.tv_usec < 1000000);
    struct tm tm;
    FACT("gmtime_r works", gmtime_r(&t, &tm) != NULL && tm.tm_year >= 120);
    time_t fixed = 1234567890;
    char when[64];
    strftime(when, sizeof when, "%Y-%m-%d %H:%M:%S", gmtime_r(&fixed, &tm));
    printf("strftime of 1234567890 UTC: %s\n", when);

    unsigned char r1[256], r2[256];
    memset(r1, 0, sizeof r1);
    memset(r2, 0, sizeof r2);
    int g1 = getentropy(r1, sizeof r1);
    int g2 = getentropy(r2, sizeof r2);
    printf("getentropy results: %d %d\n", g1, g2);
    printf("random bytes: %zu\n", sizeof r1);
    int nonzero = 0;
    for (size_t i = 0; i < sizeof r1; i++) nonzero += r1[i] != 0;
    FACT("random bytes not all zero", nonzero > 0);
    FACT("two random buffers differ", memcmp(r1, r2, sizeof r1) != 0);
    FACT("getentropy over 256 bytes fails", getentropy(r1, 257) != 0);

    unsigned char big[4096];
    memset(big, 0, sizeof big);
    arc4random_buf(big, sizeof big);
    int seen[256] = {0}, distinct = 0;
    for (size_t i = 0; i < sizeof big; i++) if (!seen[big[i]]++) distinct++;
    printf("arc4random_buf bytes: %zu\n", sizeof big);
    FACT("arc4random_buf covers at least 200 distinct byte values", distinct >= 200);
    uint32_t u = arc4random_uniform(10);
    FACT("arc4random_uniform(10) < 10", u < 10);
    return finish();
}
