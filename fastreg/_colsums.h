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
 * on x86-64, NEON on arm64, the baseline of each), share the loads of y and s and keep 12
 * independent chains of sums in flight: the pass then runs at the memory's speed (float64
 * 20000 x 500: 3.0 ms, against 5.6 ms for three BLAS dots per column).  On x86-64 CPUs with
 * AVX2 and FMA, copies of the loops in 32-byte vectors are chosen at run time (no -march flag:
 * the build runs on any x86-64).  Other compilers get the same sums by plain loops.
 *
 * Precision: the lanes sum blocks of rows in the input's precision, and the blocks' sums are
 * added in double.  float: FR_TERMS_float (32) terms per lane: 1.8 ms for float32 20000 x 500
 * (BLAS sdot, float sums over whole columns: 2.9 ms), and more accurate.  double:
 * FR_TERMS_double (128) terms per lane (unblocked, two lanes over a 20000-row column erred ~4x
 * more than OpenBLAS's 16-lane ddot; blocked, ~5x less, at no measurable cost).
 */
#ifndef FASTREG_COLSUMS_H
#define FASTREG_COLSUMS_H

#include <stddef.h>
#include <string.h>

#if defined(__GNUC__) || defined(__clang__)
#define FR_VECTOR 1
/* compiled on its own: inlined into a large caller, its 12 sums get spilled to the stack */
#define FR_NOINLINE __attribute__((noinline))
typedef double fr_vdouble_base __attribute__((vector_size(16)));
typedef float fr_vfloat_base __attribute__((vector_size(16)));
#define FR_ATTR_base
#if defined(__x86_64__) || defined(__i386__)
/* x86-64 also gets AVX2+FMA copies of the loops (32-byte vectors, fused multiply-adds), chosen
 * at run time by fr_colsums_avx2 when the CPU has both.  In cache, where the sums are bound by
 * arithmetic rather than memory, float64 takes ~35% less time (500 x 5000: 0.40-0.45 vs
 * 0.63-0.72 ms; 442 x 285: 23 vs 36 us), streaming ~10% less (20000 x 500: 2.9 vs 3.2-3.4 ms);
 * float32 gains on tall X only (1.65 vs 1.9 ms) and is even elsewhere. */
#define FR_AVX2 1
#define FR_ATTR_avx2 __attribute__((target("avx2,fma")))
typedef double fr_vdouble_avx2 __attribute__((vector_size(32)));
typedef float fr_vfloat_avx2 __attribute__((vector_size(32)));
#else
#define FR_AVX2 0
#endif
/* terms per lane summed in the input's precision before a block's sums go to double (blocks
 * of FR_TERMS x lanes rows four columns at a time, four times that one column at a time) */
#define FR_TERMS_float 32
#define FR_TERMS_double 128
#else
#define FR_VECTOR 0
#define FR_AVX2 0
#endif

#if !FR_VECTOR
/* Other compilers: the same sums, one column at a time in plain scalar loops. */
#define FR_COLSUMS_SCALAR(T)                                                                   \
    static void fr_colsums_##T##_base(int n, int p, const T *X, const T *s, const T *y,       \
                                      double *xs, double *xx, double *xy) {                    \
        for (int j = 0; j < p; j++) {                                                          \
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
#else
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

/* fr_colsums4_<T>_<W>_<ISA>: the columns j < p - p % 4, four at a time; W = weighted (s !=
 * NULL), a compile-time constant so that each loop keeps all its sums in registers; ISA = base
 * (16-byte vectors: SSE2 / NEON) or avx2 (32-byte vectors, FMA). */
#define FR_COLSUMS4(T, W, ISA)                                                                 \
    static FR_NOINLINE FR_ATTR_##ISA int fr_colsums4_##T##_##W##_##ISA(                       \
        int n, int p, const T *X, const T *s, const T *y, double *xs, double *xx, double *xy) {\
        typedef fr_v##T##_##ISA vec;                                                           \
        const int L = (int)(sizeof(vec) / sizeof(T));                                          \
        int j = 0;                                                                             \
        for (; j + 4 <= p; j += 4) {                                                           \
            const T *x0 = X + (size_t)j * (size_t)n, *x1 = x0 + n, *x2 = x1 + n, *x3 = x2 + n; \
            double A[4] = {0}, B[4] = {0}, C[4] = {0};                                         \
            int i = 0;                                                                         \
            while (n - i >= L) {                                                               \
                const int block = FR_TERMS_##T * L;                                            \
                int rows = n - i < block ? (n - i) / L * L : block;                            \
                const int stop = i + rows;                                                     \
                const vec zero = {0};                                                          \
                vec a0 = zero, a1 = zero, a2 = zero, a3 = zero, b0 = zero, b1 = zero;          \
                vec b2 = zero, b3 = zero, c0 = zero, c1 = zero, c2 = zero, c3 = zero;          \
                vec v, yy, ss = zero;                                                          \
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

/* fr_colsums1_<T>_<W>_<ISA>: the columns j0 <= j < p one at a time, four groups of lanes in
 * flight (short columns: y stays in L1, and one stream beats four); blocks four times longer
 * than four columns at a time, for the same number of terms per lane. */
#define FR_COLSUMS1(T, W, ISA)                                                                 \
    static FR_NOINLINE FR_ATTR_##ISA void fr_colsums1_##T##_##W##_##ISA(                      \
        int n, int j0, int p, const T *X, const T *s, const T *y, double *xs, double *xx,      \
        double *xy) {                                                                          \
        typedef fr_v##T##_##ISA vec;                                                           \
        const int L = (int)(sizeof(vec) / sizeof(T));                                          \
        for (int j = j0; j < p; j++) {                                                         \
            const T *x = X + (size_t)j * (size_t)n;                                            \
            double A[4] = {0}, B[4] = {0}, C[4] = {0};                                         \
            int i = 0;                                                                         \
            while (n - i >= 4 * L) {                                                           \
                const int block = 4 * FR_TERMS_##T * L;                                        \
                int rows = n - i < block ? (n - i) / (4 * L) * (4 * L) : block;                \
                const int stop = i + rows;                                                     \
                const vec zero = {0};                                                          \
                vec a0 = zero, a1 = zero, a2 = zero, a3 = zero, b0 = zero, b1 = zero;          \
                vec b2 = zero, b3 = zero, c0 = zero, c1 = zero, c2 = zero, c3 = zero;          \
                vec v, yy, ss = zero;                                                          \
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

#define FR_COLSUMS_ISA(T, ISA)                                                                 \
    FR_COLSUMS4(T, 0, ISA)                                                                     \
    FR_COLSUMS4(T, 1, ISA)                                                                     \
    FR_COLSUMS1(T, 0, ISA)                                                                     \
    FR_COLSUMS1(T, 1, ISA)                                                                     \
    static void fr_colsums_##T##_##ISA(int n, int p, const T *X, const T *s, const T *y,      \
                                       double *xs, double *xx, double *xy) {                   \
        int j = 0;                                                                             \
        if (n >= FR_TALL)                                                                      \
            j = s ? fr_colsums4_##T##_1_##ISA(n, p, X, s, y, xs, xx, xy)                       \
                  : fr_colsums4_##T##_0_##ISA(n, p, X, s, y, xs, xx, xy);                      \
        if (s)                                                                                 \
            fr_colsums1_##T##_1_##ISA(n, j, p, X, s, y, xs, xx, xy);                           \
        else                                                                                   \
            fr_colsums1_##T##_0_##ISA(n, j, p, X, s, y, xs, xx, xy);                           \
    }

FR_COLSUMS_ISA(double, base)
FR_COLSUMS_ISA(float, base)

#if FR_AVX2
FR_COLSUMS_ISA(double, avx2)
FR_COLSUMS_ISA(float, avx2)
#endif
#endif /* FR_VECTOR */

#if FR_AVX2
static int fr_avx2_state = -1; /* -1: not decided yet */

/* Whether the AVX2+FMA loops are used: request -1 asks, 0 turns them off (the baseline loops
 * are then tested on any machine), 1 turns them on if the CPU has AVX2 and FMA. */
static int fr_colsums_avx2(int request) {
    if (fr_avx2_state < 0 || request >= 0) {
        __builtin_cpu_init();
        int has = __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
        fr_avx2_state = request == 0 ? 0 : has;
    }
    return fr_avx2_state;
}

#define FR_COLSUMS(T)                                                                          \
    static void fr_colsums_##T(int n, int p, const T *X, const T *s, const T *y, double *xs,  \
                               double *xx, double *xy) {                                       \
        if (fr_colsums_avx2(-1))                                                               \
            fr_colsums_##T##_avx2(n, p, X, s, y, xs, xx, xy);                                  \
        else                                                                                   \
            fr_colsums_##T##_base(n, p, X, s, y, xs, xx, xy);                                  \
    }
#else
static int fr_colsums_avx2(int request) {
    (void)request;
    return 0;
}

#define FR_COLSUMS(T)                                                                          \
    static void fr_colsums_##T(int n, int p, const T *X, const T *s, const T *y, double *xs,  \
                               double *xx, double *xy) {                                       \
        fr_colsums_##T##_base(n, p, X, s, y, xs, xx, xy);                                      \
    }
#endif

FR_COLSUMS(double)
FR_COLSUMS(float)

#endif
