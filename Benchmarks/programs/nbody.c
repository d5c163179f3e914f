/* nbody: double-precision gravitational N-body simulation.
 *
 * A small star cluster (a heavy central body plus light bodies on roughly
 * circular orbits, positions from a seeded integer PRNG) is advanced with a
 * softened pairwise force and a leapfrog (kick-drift-kick) integrator.
 * Total energy is computed at the start and end.
 *
 * Exactness: only +, -, *, / and sqrt are used (all correctly rounded in
 * IEEE 754), in a fixed order, so every conforming runtime gets the same bits
 * -- provided the compiler does not fuse multiply-adds: build with
 * -ffp-contract=off (and never -ffast-math). The checksum is taken from the
 * bit patterns of the final positions, velocities and energies.
 *
 * Prints one line: checksum: <16 hex digits>
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#define N 128
#define STEPS 20000
#define DT 0.001
#define SOFT2 1e-4

static double px[N], py[N], pz[N];
static double vx[N], vy[N], vz[N];
static double ax[N], ay[N], az[N];
static double mass[N];

static uint64_t rng = 0x0123456789ABCDEFull;
static uint32_t next_u32(void) {
    /* xorshift64* */
    rng ^= rng >> 12;
    rng ^= rng << 25;
    rng ^= rng >> 27;
    return (uint32_t)((rng * 0x2545F4914F6CDD1Dull) >> 32);
}
/* uniform in [lo, hi) with 2^-32 granularity: exact conversion, one mul, one add */
static double uniform(double lo, double hi) {
    return lo + (hi - lo) * ((double)next_u32() * (1.0 / 4294967296.0));
}

static void init(void) {
    mass[0] = 1000.0;
    px[0] = py[0] = pz[0] = 0.0;
    vx[0] = vy[0] = vz[0] = 0.0;
    for (int i = 1; i < N; i++) {
        double r = uniform(1.0, 6.0);
        /* a direction from a point in the unit cube, normalized in the xy-plane
           with a small z tilt -- avoids sin/cos, whose results vary by libm */
        double ux = uniform(-1.0, 1.0), uy = uniform(-1.0, 1.0);
        double un = sqrt(ux * ux + uy * uy) + 1e-9;
        ux /= un;
        uy /= un;
        double tilt = uniform(-0.05, 0.05);
        px[i] = r * ux;
        py[i] = r * uy;
        pz[i] = r * tilt;
        mass[i] = uniform(0.01, 1.0);
        double speed = sqrt(mass[0] / r);
        /* velocity perpendicular to the radius, with some scatter */
        vx[i] = -uy * speed * uniform(0.9, 1.1);
        vy[i] = ux * speed * uniform(0.9, 1.1);
        vz[i] = uniform(-0.1, 0.1);
    }
    /* put the centre of mass at rest */
    double mx = 0, my = 0, mz = 0, mt = 0;
    for (int i = 0; i < N; i++) {
        mx += mass[i] * vx[i];
        my += mass[i] * vy[i];
        mz += mass[i] * vz[i];
        mt += mass[i];
    }
    for (int i = 0; i < N; i++) {
        vx[i] -= mx / mt;
        vy[i] -= my / mt;
        vz[i] -= mz / mt;
    }
}

static void accelerations(void) {
    for (int i = 0; i < N; i++) ax[i] = ay[i] = az[i] = 0.0;
    for (int i = 0; i < N; i++) {
        double xi = px[i], yi = py[i], zi = pz[i];
        double axi = 0.0, ayi = 0.0, azi = 0.0;
        double mi = mass[i];
        for (int j = i + 1; j < N; j++) {
            double dx = px[j] - xi;
            double dy = py[j] - yi;
            double dz = pz[j] - zi;
            double d2 = dx * dx + dy * dy + dz * dz + SOFT2;
            double inv = 1.0 / (d2 * sqrt(d2));
            double fi = mass[j] * inv;
            double fj = mi * inv;
            axi += dx * fi;
            ayi += dy * fi;
            azi += dz * fi;
            ax[j] -= dx * fj;
            ay[j] -= dy * fj;
            az[j] -= dz * fj;
        }
        ax[i] += axi;
        ay[i] += ayi;
        az[i] += azi;
    }
}

static double energy(void) {
    double e = 0.0;
    for (int i = 0; i < N; i++) {
        e += 0.5 * mass[i] * (vx[i] * vx[i] + vy[i] * vy[i] + vz[i] * vz[i]);
        for (int j = i + 1; j < N; j++) {
            double dx = px[i] - px[j], dy = py[i] - py[j], dz = pz[i] - pz[j];
            e -= mass[i] * mass[j] / sqrt(dx * dx + dy * dy + dz * dz + SOFT2);
        }
    }
    return e;
}

static uint64_t bits(double d) {
    uint64_t u;
    memcpy(&u, &d, sizeof u);
    return u;
}

static uint64_t fold(uint64_t h, double d) {
    h ^= bits(d);
    h *= 0x100000001B3ull;
    h ^= h >> 29;
    return h;
}

int main(void) {
    init();
    double e0 = energy();
    accelerations();
    const double half = 0.5 * DT;
    for (int s = 0; s < STEPS; s++) {
        for (int i = 0; i < N; i++) {
            vx[i] += half * ax[i];
            vy[i] += half * ay[i];
            vz[i] += half * az[i];
            px[i] += DT * vx[i];
            py[i] += DT * vy[i];
            pz[i] += DT * vz[i];
        }
        accelerations();
        for (int i = 0; i < N; i++) {
            vx[i] += half * ax[i];
            vy[i] += half * ay[i];
            vz[i] += half * az[i];
        }
    }
    double e1 = energy();

    uint64_t h = 0xCBF29CE484222325ull;
    for (int i = 0; i < N; i++) {
        h = fold(h, px[i]);
        h = fold(h, py[i]);
        h = fold(h, pz[i]);
        h = fold(h, vx[i]);
        h = fold(h, vy[i]);
        h = fold(h, vz[i]);
    }
    h = fold(h, e0);
    h = fold(h, e1);
    printf("checksum: %016llx\n", (unsigned long long)h);
    return 0;
}
