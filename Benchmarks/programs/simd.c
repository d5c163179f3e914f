/* simd: kernels written for auto-vectorization.
 *
 * Built like the others (scalar, simd.wasm) and with -msimd128
 * (simd128/simd.wasm), where clang turns its loops into v128 code.
 *
 * The kernels only use operations whose vectorized form gives the same bits
 * as the scalar loop: element-wise float/double arithmetic (no reductions
 * over floats, which a vectorizer may only reorder under -ffast-math),
 * integer reductions (wrapping adds are associative), byte min/max/averages,
 * and a single-precision i-k-j matrix multiply. Build with -ffp-contract=off.
 *
 * Prints one line: checksum: <16 hex digits>
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define N (1u << 20)
#define M 256

static uint64_t fold(uint64_t h, const void *p, size_t bytes) {
    const uint8_t *b = p;
    for (size_t i = 0; i < bytes; i += 8) {
        uint64_t w;
        memcpy(&w, b + i, 8);
        h = (h ^ w) * 0x100000001B3ull;
    }
    return h;
}

/* y = a*x + y, element-wise */
static void saxpy(float *restrict y, const float *restrict x, float a, uint32_t n) {
    for (uint32_t i = 0; i < n; i++) y[i] = a * x[i] + y[i];
}

/* z = x*x - y*y, element-wise double */
static void diffsq(double *restrict z, const double *restrict x, const double *restrict y, uint32_t n) {
    for (uint32_t i = 0; i < n; i++) z[i] = x[i] * x[i] - y[i] * y[i];
}

/* integer dot product with wrapping adds */
static int32_t dot_i32(const int32_t *restrict a, const int32_t *restrict b, uint32_t n) {
    int32_t s = 0;
    for (uint32_t i = 0; i < n; i++) s += (int32_t)((uint32_t)a[i] * (uint32_t)b[i]);
    return s;
}

/* byte kernels: saturating-style blend via min/max and a rounding average */
static void bytes_mix(uint8_t *restrict out, const uint8_t *restrict p, const uint8_t *restrict q, uint32_t n) {
    for (uint32_t i = 0; i < n; i++) {
        uint8_t lo = p[i] < q[i] ? p[i] : q[i];
        uint8_t hi = p[i] > q[i] ? p[i] : q[i];
        out[i] = (uint8_t)(((unsigned)lo + (unsigned)hi + 1u) >> 1) ^ (uint8_t)(hi - lo);
    }
}

static void matmul_f32(float *restrict c, const float *restrict a, const float *restrict b, int n) {
    memset(c, 0, sizeof(float) * (size_t)n * (size_t)n);
    for (int i = 0; i < n; i++)
        for (int k = 0; k < n; k++) {
            const float aik = a[i * n + k];
            for (int j = 0; j < n; j++) c[i * n + j] += aik * b[k * n + j];
        }
}

int main(void) {
    float *fx = malloc(sizeof(float) * N), *fy = malloc(sizeof(float) * N);
    double *dx = malloc(sizeof(double) * N), *dy = malloc(sizeof(double) * N), *dz = malloc(sizeof(double) * N);
    int32_t *ia = malloc(sizeof(int32_t) * N), *ib = malloc(sizeof(int32_t) * N);
    uint8_t *bp = malloc(N), *bq = malloc(N), *bo = malloc(N);
    float *ma = malloc(sizeof(float) * M * M), *mb = malloc(sizeof(float) * M * M), *mc = malloc(sizeof(float) * M * M);
    if (!fx || !fy || !dx || !dy || !dz || !ia || !ib || !bp || !bq || !bo || !ma || !mb || !mc) {
        fprintf(stderr, "out of memory\n");
        return 1;
    }

    uint32_t s = 2463534242u;
    for (uint32_t i = 0; i < N; i++) {
        s ^= s << 13; s ^= s >> 17; s ^= s << 5;
        fx[i] = (float)(int32_t)(s >> 8) * (1.0f / 16777216.0f);
        fy[i] = (float)(int32_t)(s & 0xFFFF) * (1.0f / 65536.0f);
        dx[i] = (double)(s >> 1) * (1.0 / 2147483648.0);
        dy[i] = (double)(s & 0xFFFFF) * (1.0 / 1048576.0);
        ia[i] = (int32_t)s;
        ib[i] = (int32_t)(s * 2654435761u);
        bp[i] = (uint8_t)s;
        bq[i] = (uint8_t)(s >> 8);
    }
    for (uint32_t i = 0; i < M * M; i++) {
        s ^= s << 13; s ^= s >> 17; s ^= s << 5;
        ma[i] = (float)(int32_t)(s % 2001u) * (1.0f / 1024.0f) - 1.0f;
        mb[i] = (float)(int32_t)((s >> 11) % 2001u) * (1.0f / 4096.0f) - 0.25f;
    }

    uint64_t h = 0xCBF29CE484222325ull;
    int32_t dots = 0;
    for (int r = 0; r < 200; r++) {
        saxpy(fy, fx, r & 1 ? 0.5f : -0.25f, N);
        diffsq(dz, dx, dy, N);
        diffsq(dx, dz, dy, N);
        dots += dot_i32(ia, ib, N);
        ia[r] ^= dots;
        bytes_mix(bo, bp, bq, N);
        bytes_mix(bp, bo, bq, N);
    }
    h = fold(h, fy, sizeof(float) * N);
    h = fold(h, dx, sizeof(double) * N);
    h = fold(h, bp, N);
    h = (h ^ (uint32_t)dots) * 0x100000001B3ull;

    for (int r = 0; r < 40; r++) {
        matmul_f32(mc, ma, mb, M);
        float *t = ma; ma = mc; mc = t;
    }
    h = fold(h, ma, sizeof(float) * M * M);

    free(fx); free(fy); free(dx); free(dy); free(dz); free(ia); free(ib);
    free(bp); free(bq); free(bo); free(ma); free(mb); free(mc);
    printf("checksum: %016llx\n", (unsigned long long)h);
    return 0;
}
