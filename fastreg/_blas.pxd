# Thin fused wrappers over SciPy's BLAS/LAPACK (scipy.linalg.cython_blas / cython_lapack).
#
# The only place in fastreg that talks to BLAS/LAPACK from Cython: every kernel cimports these.
# All wrappers take raw pointers plus strides, column-major (Fortran) conventions, and dispatch on
# the fused type `floating` to the single (s*) or double (d*) routine.  They never allocate and
# never hold the GIL.
from cython cimport floating
from scipy.linalg.cython_blas cimport (
    ddot, sdot, daxpy, saxpy, dasum, sasum, dnrm2, snrm2, dscal, sscal,
    dcopy, scopy, dgemv, sgemv, dsyrk, ssyrk,
)
from scipy.linalg.cython_lapack cimport dpotrf, spotrf, dpotrs, spotrs


cdef inline floating _dot(int n, const floating* x, int incx,
                          const floating* y, int incy) noexcept nogil:
    """x . y"""
    if floating is double:
        return ddot(&n, <double*>x, &incx, <double*>y, &incy)
    else:
        return sdot(&n, <float*>x, &incx, <float*>y, &incy)


cdef inline void _axpy(int n, floating alpha, const floating* x, int incx,
                       floating* y, int incy) noexcept nogil:
    """y += alpha * x"""
    if floating is double:
        daxpy(&n, &alpha, <double*>x, &incx, y, &incy)
    else:
        saxpy(&n, &alpha, <float*>x, &incx, y, &incy)


cdef inline floating _asum(int n, const floating* x, int incx) noexcept nogil:
    """sum(|x|)"""
    if floating is double:
        return dasum(&n, <double*>x, &incx)
    else:
        return sasum(&n, <float*>x, &incx)


cdef inline floating _nrm2(int n, const floating* x, int incx) noexcept nogil:
    """||x||_2"""
    if floating is double:
        return dnrm2(&n, <double*>x, &incx)
    else:
        return snrm2(&n, <float*>x, &incx)


cdef inline void _scal(int n, floating alpha, floating* x, int incx) noexcept nogil:
    """x *= alpha"""
    if floating is double:
        dscal(&n, &alpha, x, &incx)
    else:
        sscal(&n, &alpha, x, &incx)


cdef inline void _copy(int n, const floating* x, int incx, floating* y, int incy) noexcept nogil:
    """y = x"""
    if floating is double:
        dcopy(&n, <double*>x, &incx, y, &incy)
    else:
        scopy(&n, <float*>x, &incx, y, &incy)


cdef inline void _gemv(char trans, int m, int n, floating alpha, const floating* A, int lda,
                       const floating* x, int incx, floating beta,
                       floating* y, int incy) noexcept nogil:
    """y = alpha * op(A) x + beta * y, A column-major m x n, op = A ('N') or A^T ('T')."""
    if floating is double:
        dgemv(&trans, &m, &n, &alpha, <double*>A, &lda, <double*>x, &incx, &beta, y, &incy)
    else:
        sgemv(&trans, &m, &n, &alpha, <float*>A, &lda, <float*>x, &incx, &beta, y, &incy)


cdef inline void _syrk(char uplo, char trans, int n, int k, floating alpha, const floating* A,
                       int lda, floating beta, floating* C, int ldc) noexcept nogil:
    """C = alpha * op(A) op(A)^T + beta * C on the `uplo` triangle of the n x n matrix C."""
    if floating is double:
        dsyrk(&uplo, &trans, &n, &k, &alpha, <double*>A, &lda, &beta, C, &ldc)
    else:
        ssyrk(&uplo, &trans, &n, &k, &alpha, <float*>A, &lda, &beta, C, &ldc)


cdef inline int _potrf(char uplo, int n, floating* A, int lda) noexcept nogil:
    """Cholesky factorisation in place; returns LAPACK's info (> 0: not positive definite)."""
    cdef int info = 0
    if floating is double:
        dpotrf(&uplo, &n, A, &lda, &info)
    else:
        spotrf(&uplo, &n, A, &lda, &info)
    return info


cdef inline int _potrs(char uplo, int n, int nrhs, const floating* A, int lda,
                       floating* B, int ldb) noexcept nogil:
    """Solve A X = B with A's Cholesky factor; B (n x nrhs, column-major) is overwritten."""
    cdef int info = 0
    if floating is double:
        dpotrs(&uplo, &n, &nrhs, <double*>A, &lda, B, &ldb, &info)
    else:
        spotrs(&uplo, &n, &nrhs, <float*>A, &lda, B, &ldb, &info)
    return info
