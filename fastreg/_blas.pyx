"""Python-visible entry points to the BLAS/LAPACK wrappers of ``_blas.pxd``.

The kernels use the ``cdef inline`` wrappers directly; these ``def`` functions exist so the test
suite can check every wrapper against NumPy in float32 and float64, and so that a test can tell a
debug build (bounds checks on) from a release build.
"""
from cython cimport floating

cdef extern from *:
    """
    #ifndef FASTREG_DEBUG
    #define FASTREG_DEBUG 0
    #endif
    """
    int FASTREG_DEBUG

#: True when the extensions were compiled with FASTREG_DEBUG=1 (bounds and wraparound checks on).
DEBUG_BUILD = bool(FASTREG_DEBUG)


def dot(const floating[::1] x, const floating[::1] y):
    if x.shape[0] != y.shape[0]:
        raise ValueError(f"x and y must have the same length, got {x.shape[0]} and {y.shape[0]}")
    return _dot(<int>x.shape[0], &x[0], 1, &y[0], 1)


def axpy(double alpha, const floating[::1] x, floating[::1] y):
    if x.shape[0] != y.shape[0]:
        raise ValueError(f"x and y must have the same length, got {x.shape[0]} and {y.shape[0]}")
    _axpy(<int>x.shape[0], <floating>alpha, &x[0], 1, &y[0], 1)


def asum(const floating[::1] x):
    return _asum(<int>x.shape[0], &x[0], 1)


def nrm2(const floating[::1] x):
    return _nrm2(<int>x.shape[0], &x[0], 1)


def scal(double alpha, floating[::1] x):
    _scal(<int>x.shape[0], <floating>alpha, &x[0], 1)


def copy(const floating[::1] x, floating[::1] y):
    if x.shape[0] != y.shape[0]:
        raise ValueError(f"x and y must have the same length, got {x.shape[0]} and {y.shape[0]}")
    _copy(<int>x.shape[0], &x[0], 1, &y[0], 1)


def gemv(bint trans, double alpha, const floating[::1, :] A, const floating[::1] x,
         double beta, floating[::1] y):
    """y = alpha * op(A) @ x + beta * y for a Fortran-ordered A."""
    cdef int m = <int>A.shape[0], n = <int>A.shape[1]
    if x.shape[0] != (m if trans else n) or y.shape[0] != (n if trans else m):
        raise ValueError("gemv: shapes of A, x and y do not match")
    cdef char t = c'T' if trans else c'N'
    _gemv(t, m, n, <floating>alpha, &A[0, 0], m, &x[0], 1, <floating>beta, &y[0], 1)


def syrk_lower(const floating[::1, :] A, bint trans, floating[::1, :] C):
    """Lower triangle of C = A A^T (trans=False) or A^T A (trans=True); A Fortran-ordered."""
    cdef int n = <int>C.shape[0]
    cdef int k = <int>(A.shape[0] if trans else A.shape[1])
    if C.shape[1] != n or (A.shape[1] if trans else A.shape[0]) != n:
        raise ValueError("syrk: shapes of A and C do not match")
    cdef char t = c'T' if trans else c'N'
    _syrk(c'L', t, n, k, 1, &A[0, 0], <int>A.shape[0], 0, &C[0, 0], n)


def potrf_lower(floating[::1, :] A):
    """Lower Cholesky factor of A in place; returns LAPACK's info."""
    return _potrf(c'L', <int>A.shape[0], &A[0, 0], <int>A.shape[0])


def potrs_lower(const floating[::1, :] L, floating[::1, :] B):
    """Solve (L L^T) X = B in place of B; returns LAPACK's info."""
    return _potrs(c'L', <int>L.shape[0], <int>B.shape[1], &L[0, 0], <int>L.shape[0],
                  &B[0, 0], <int>B.shape[0])
