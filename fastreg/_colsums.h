/* Column sums of a Fortran-ordered matrix in one pass over it, for fastreg._cd_fast.
 *
 * For each column X_j (n entries, contiguous), in double:
 *     xs[j] = X_j . s   (the plain sum of X_j when s is NULL)
 *     xx[j] = X_j . X_j
 *     xy[j] = X_j . y
 *
 * Why C: streaming a tall X from memory is the whole cost, but one column at a time the three
 * products are bound by the latency of their sums, and BLAS dots read the column three times.
 * Four columns at a time, with the sums in 16-byte vectors (GCC/Clang vector extensions: SSE2
 * on x86-64, NEON on arm64, the baseline of each, so no CPU dispatch is needed), share the loads
 * of y and s and keep 12 independent chains of sums in flight: the pass then runs at the
 * memory's speed (float64 20000 x 500: 3.0 ms, against 5.6 ms for three BLAS dots per column).
 * Other compilers get the same sums by plain loops.
 *
 * Precision: the lanes sum blocks of rows in the input's precision, and the blocks' sums are
 * added in double.  float: four lanes, blocks of FR_BLOCK_float rows (32 terms per lane): 1.8 ms
 * for float32 20000 x 500 (BLAS sdot, float sums over whole columns: 2.9 ms), and more accurate.
 * double: two lanes, blocks of FR_BLOCK_double rows (unblocked, two lanes over a 20000-row
 * column erred ~4x more than OpenBLAS's 16-lane ddot; blocked, ~5x less, at no measurable cost).
 */
#ifndef FASTREG_COLSUMS_H
#define FASTREG_COLSUMS_H

#include <stddef.h>
#include <string.h>

#if defined(__GNUC__) || defined(__clang__)
#define FR_VECTOR 1
/* compiled on its own: inlined into a large caller, its 12 sums get spilled to the stack */
#define FR_NOINLINE __attribute__((noinline))
typedef double fr_vdouble __attribute__((vector_size(16)));
typedef float fr_vfloat __attribute__((vector_size(16)));
#define FR_LANES(T) ((int)(sizeof(fr_v##T) / sizeof(T)))
/* rows per block summed in the input's precision (one column at a time: 4x as many) */
#define FR_BLOCK_float 128
#define FR_BLOCK_double 256
#else
#define FR_VECTOR 0
#endif

/* The sums of the columns j0 <= j < j1 one at a time, in plain scalar loops. */
#if !FR_VECTOR
#define FR_COLSUMS_SCALAR(T)                                                                   \
    static void fr_colsums_scalar_##T(int n, int j0, int j1, const T *X, const T *s,          \
                                      const T *y, double *xs, double *xx, double *xy) {       \
        for (int j = j0; j < j1; j++) {                                                        \
            const T *x = X + (size_t)j * (size_t)n;                                            \
            double a = 0, b = 0, c = 0;                                                        \
            for (int i = 0; i < n; i++) {                                                      \
                double v = x[i];                                                               \
                a += s ? v * (double)s[i] : v;                                                 \
                b += v * v;                                                                    \
                c += v * (double)y[i];                                                         \
            }                                                                                  \
            xs[j] = a;                                                                         \
            xx[j] = b;                                                                         \
            xy[j] = c;                                                                         \
        }                                                                                      \
    }

FR_COLSUMS_SCALAR(double)
FR_COLSUMS_SCALAR(float)
#endif

#if FR_VECTOR
/* Column k's three sums over the L rows from i (yy = y[i:i+L], ss likewise). */
#define FR_STEP(k, W)                                                                          \
    memcpy(&v, x##k + i, sizeof v);                                                            \
    a##k += (W) ? v * ss : v;                                                                  \
    b##k += v * v;                                                                             \
    c##k += v * yy;

#define FR_FLUSH(k)                                                                            \
    for (int l = 0; l < L; l++) {                                                              \
        A[k] += (double)a##k[l];                                                               \
        B[k] += (double)b##k[l];                                                               \
        C[k] += (double)c##k[l];                                                               \
    }

/* fr_colsums4_<T>_<W>: the columns j < p - p % 4, four at a time; W = weighted (s != NULL), a
 * compile-time constant so that each loop keeps all its sums in registers. */
#define FR_COLSUMS4(T, W)                                                                      \
    static FR_NOINLINE int fr_colsums4_##T##_##W(int n, int p, const T *X, const T *s,         \
                                                 const T *y, double *xs, double *xx,           \
                                                 double *xy) {                                 \
        const int L = FR_LANES(T);                                                             \
        int j = 0;                                                                             \
        for (; j + 4 <= p; j += 4) {                                                           \
            const T *x0 = X + (size_t)j * (size_t)n, *x1 = x0 + n, *x2 = x1 + n, *x3 = x2 + n; \
            double A[4] = {0}, B[4] = {0}, C[4] = {0};                                         \
            int i = 0;                                                                         \
            while (n - i >= L) {                                                               \
                int rows = n - i < FR_BLOCK_##T ? (n - i) / L * L : FR_BLOCK_##T;              \
                const int stop = i + rows;                                                     \
                const fr_v##T zero = {0};                                                      \
                fr_v##T a0 = zero, a1 = zero, a2 = zero, a3 = zero, b0 = zero, b1 = zero;      \
                fr_v##T b2 = zero, b3 = zero, c0 = zero, c1 = zero, c2 = zero, c3 = zero;      \
                fr_v##T v, yy, ss = zero;                                                      \
                for (; i < stop; i += L) {                                                     \
                    memcpy(&yy, y + i, sizeof yy);                                             \
                    if (W) memcpy(&ss, s + i, sizeof ss);                                      \
                    FR_STEP(0, W) FR_STEP(1, W) FR_STEP(2, W) FR_STEP(3, W)                    \
                }                                                                              \
                FR_FLUSH(0) FR_FLUSH(1) FR_FLUSH(2) FR_FLUSH(3)                                \
            }                                                                                  \
            const T *xk[4] = {x0, x1, x2, x3};                                                 \
            for (int k = 0; k < 4; k++) {                                                      \
                for (int r = i; r < n; r++) { /* the last n % L rows */                        \
                    double u = xk[k][r];                                                       \
                    A[k] += (W) ? u * (double)s[r] : u;                                        \
                    B[k] += u * u;                                                             \
                    C[k] += u * (double)y[r];                                                  \
                }                                                                              \
                xs[j + k] = A[k];                                                              \
                xx[j + k] = B[k];                                                              \
                xy[j + k] = C[k];                                                              \
            }                                                                                  \
        }                                                                                      \
        return j;                                                                              \
    }

/* Column k's three sums over rows i + k L .. i + (k + 1) L of the one column x. */
#define FR_STEP1(k, W)                                                                         \
    memcpy(&v, x + i + k * L, sizeof v);                                                       \
    memcpy(&yy, y + i + k * L, sizeof yy);                                                     \
    if (W) memcpy(&ss, s + i + k * L, sizeof ss);                                              \
    a##k += (W) ? v * ss : v;                                                                  \
    b##k += v * v;                                                                             \
    c##k += v * yy;

/* fr_colsums1_<T>_<W>: the columns j0 <= j < p one at a time, four groups of lanes in flight
 * (short columns: y stays in L1, and one stream beats four).  Blocks of 4 FR_BLOCK_<T> rows:
 * the same number of terms per lane as four columns at a time. */
#define FR_COLSUMS1(T, W)                                                                      \
    static FR_NOINLINE void fr_colsums1_##T##_##W(int n, int j0, int p, const T *X,            \
                                                  const T *s, const T *y, double *xs,          \
                                                  double *xx, double *xy) {                    \
        const int L = FR_LANES(T);                                                             \
        for (int j = j0; j < p; j++) {                                                         \
            const T *x = X + (size_t)j * (size_t)n;                                            \
            double A[4] = {0}, B[4] = {0}, C[4] = {0};                                         \
            int i = 0;                                                                         \
            while (n - i >= 4 * L) {                                                           \
                int rows = n - i < 4 * FR_BLOCK_##T ? (n - i) / (4 * L) * (4 * L)         \
                                                    : 4 * FR_BLOCK_##T;                        \
                const int stop = i + rows;                                                     \
                const fr_v##T zero = {0};                                                      \
                fr_v##T a0 = zero, a1 = zero, a2 = zero, a3 = zero, b0 = zero, b1 = zero;      \
                fr_v##T b2 = zero, b3 = zero, c0 = zero, c1 = zero, c2 = zero, c3 = zero;      \
                fr_v##T v, yy, ss = zero;                                                      \
                for (; i < stop; i += 4 * L) {                                                 \
                    FR_STEP1(0, W) FR_STEP1(1, W) FR_STEP1(2, W) FR_STEP1(3, W)                \
                }                                                                              \
                FR_FLUSH(0) FR_FLUSH(1) FR_FLUSH(2) FR_FLUSH(3)                                \
            }                                                                                  \
            for (; i < n; i++) { /* the last n % (4 L) rows */                                 \
                double u = x[i];                                                               \
                A[0] += (W) ? u * (double)s[i] : u;                                            \
                B[0] += u * u;                                                                 \
                C[0] += u * (double)y[i];                                                      \
            }                                                                                  \
            xs[j] = (A[0] + A[1]) + (A[2] + A[3]);                                             \
            xx[j] = (B[0] + B[1]) + (B[2] + B[3]);                                             \
            xy[j] = (C[0] + C[1]) + (C[2] + C[3]);                                             \
        }                                                                                      \
    }

/* Columns of at least FR_TALL rows four at a time (y no longer fits in L1: its loads are
 * shared), the others (and the last p % 4) one at a time.  Measured on 40 MB matrices, float64
 * (ms, four columns / one column): n = 256 3.8 / 2.0, 1000 2.4 / 2.2, 2000 2.2 / 3.1,
 * 20000 2.1 / 4.2. */
#define FR_TALL 2048

#define FR_COLSUMS(T)                                                                          \
    FR_COLSUMS4(T, 0)                                                                          \
    FR_COLSUMS4(T, 1)                                                                          \
    FR_COLSUMS1(T, 0)                                                                          \
    FR_COLSUMS1(T, 1)                                                                          \
    static void fr_colsums_##T(int n, int p, const T *X, const T *s, const T *y, double *xs,  \
                               double *xx, double *xy) {                                       \
        int j = 0;                                                                             \
        if (n >= FR_TALL)                                                                      \
            j = s ? fr_colsums4_##T##_1(n, p, X, s, y, xs, xx, xy)                             \
                  : fr_colsums4_##T##_0(n, p, X, s, y, xs, xx, xy);                            \
        if (s)                                                                                 \
            fr_colsums1_##T##_1(n, j, p, X, s, y, xs, xx, xy);                                 \
        else                                                                                   \
            fr_colsums1_##T##_0(n, j, p, X, s, y, xs, xx, xy);                                 \
    }

FR_COLSUMS(double)
FR_COLSUMS(float)
#else
static void fr_colsums_double(int n, int p, const double *X, const double *s, const double *y,
                              double *xs, double *xx, double *xy) {
    fr_colsums_scalar_double(n, 0, p, X, s, y, xs, xx, xy);
}

static void fr_colsums_float(int n, int p, const float *X, const float *s, const float *y,
                             double *xs, double *xx, double *xy) {
    fr_colsums_scalar_float(n, 0, p, X, s, y, xs, xx, xy);
}
#endif

#endif
