/* matmul: scalar double-precision matrix multiply.
 *
 * C = A * B for N x N row-major matrices, with the naive triple loop in
 * i-k-j order: the inner loop streams a row of B into a row of C, which a
 * native compiler can vectorize. Each element of C is still accumulated in
 * k order, so the result is the same bit for bit with or without
 * vectorization -- as long as multiply-adds are not fused: build with
 * -ffp-contract=off (and never -ffast-math). The product is then used as
 * the next A, a few times over.
 *
 * Prints one line: checksum: <16 hex digits> (from the bit patterns of C)
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define N 512
#define ROUNDS 24

static void matmul(double *restrict c, const double *restrict a, const double *restrict b, int n) {
    memset(c, 0, sizeof(double) * (size_t)n * (size_t)n);
    for (int i = 0; i < n; i++) {
        double *ci = c + (size_t)i * n;
        for (int k = 0; k < n; k++) {
            const double aik = a[(size_t)i * n + k];
            const double *bk = b + (size_t)k * n;
            for (int j = 0; j < n; j++) ci[j] += aik * bk[j];
        }
    }
}

int main(void) {
    const size_t elems = (size_t)N * N;
    double *a = malloc(sizeof(double) * elems);
    double *b = malloc(sizeof(double) * elems);
    double *c = malloc(sizeof(double) * elems);
    if (!a || !b || !c) { fprintf(stderr, "out of memory\n"); return 1; }

    /* entries in [-0.5, 0.5) from an integer generator (exact conversions) */
    uint32_t s = 12345;
    for (size_t i = 0; i < elems; i++) {
        s = s * 1664525u + 1013904223u;
        a[i] = ((double)(s >> 8) - 8388608.0) / 16777216.0;
        s = s * 1664525u + 1013904223u;
        b[i] = ((double)(s >> 8) - 8388608.0) / 16777216.0;
    }
    /* scale B so repeated products stay in a moderate range */
    for (size_t i = 0; i < elems; i++) b[i] *= 0.125;

    uint64_t h = 0xCBF29CE484222325ull;
    for (int r = 0; r < ROUNDS; r++) {
        matmul(c, a, b, N);
        for (size_t i = 0; i < elems; i++) {
            uint64_t u;
            memcpy(&u, &c[i], sizeof u);
            h = (h ^ u) * 0x100000001B3ull;
        }
        double *t = a;
        a = c;
        c = t;
    }

    free(a);
    free(b);
    free(c);
    printf("checksum: %016llx\n", (unsigned long long)h);
    return 0;
}
