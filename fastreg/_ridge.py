"""Ridge regression in closed form through SciPy's BLAS/LAPACK, a drop-in for scikit-learn's Ridge.

The estimator minimises, for every target column ``y_t``::

    ||y_t - X w_t - b_t||^2 + alpha_t ||w_t||^2          (sum scale; b_t is never penalised)

with ``sample_weight`` folded in by rescaling rows by ``sqrt(sample_weight)`` (``fastreg._base``).

Solvers are small ``_solve_*`` functions taking a :class:`fastreg._base.Design`:

* ``cholesky`` (closed form): the primal ``(Xc^T Xc + alpha I) w = Xc^T yc`` when
  n_samples >= n_features, else the dual ``(Xc Xc^T + alpha I) d = yc, w = Xc^T d``.  The matrix is
  built by ``syrk`` (lower triangle) from the *uncentred* X and corrected for centring with a
  rank-one (primal) or rank-two (dual) update, so X is never copied; columns whose mean is so large
  against their spread that the correction would cancel digits are repaired exactly, or X is
  centred explicitly.  The diagonal is shifted in place, ``potrf``/``potrs`` solve all targets at
  once; per-target alphas group targets by alpha (one eigendecomposition when there are many).
  Sparse X goes through ``X^T X`` (or ``X X^T``) computed sparsely and densified as a small square.
* ``svd``: SVD of the explicitly centred X (dense only), scikit-learn's most stable solver.
* ``lsqr`` / ``sparse_cg``: ``scipy.sparse.linalg`` on an operator that centres implicitly.

``_resolve_solver`` holds the ``auto`` rule.
"""
import numbers
import warnings
from numbers import Integral, Real

import numpy as np
import scipy.sparse as sp
from scipy.linalg import LinAlgWarning, blas, lapack
from scipy.linalg import svd as _svd
from scipy.sparse import linalg as sp_linalg
from sklearn.base import BaseEstimator, MultiOutputMixin, RegressorMixin

from fastreg._base import (
    Interval,
    StrOptions,
    _fit_context,
    check_is_fitted,
    check_sample_weight,
    intercept_from,
    preprocess,
    validate_data,
    validate_X_y,
)

__all__ = ["Ridge"]

_SUPPORTED = ("auto", "cholesky", "svd", "lsqr", "sparse_cg")
_FLOATS = (np.dtype(np.float64), np.dtype(np.float32))

# Largest loss-of-digits factor r = ||X_j||^2 / ||Xc_j||^2 accepted from the implicit centring
# X^T X - S2 mu mu^T (rounding error ~ eps * r in the centred Gram instead of ~ eps * sqrt(r) for
# explicitly centred data): 3 of 16 digits in float64, 1.5 of 7 in float32.
_MAX_CANCEL = {"d": 1e3, "f": 30.0}
# Flagged columns repaired one by one (cost O(n p |J|)) up to this many; beyond, centre explicitly.
_MAX_REPAIR = 16
# Per-target alphas: one Cholesky per distinct alpha up to this many, else one eigendecomposition.
_MAX_CHOL_ALPHAS = 4
# auto on sparse X: factorize the densified m x m Gram/kernel (m = min(n, p)) when m is at most
# this and the sparse product costs at most _SPARSE_PRODUCT_NNZ times nnz(X) (a few CG iterations).
_SPARSE_GRAM_MAX = 1000
_SPARSE_PRODUCT_NNZ = 40


class _Lapack:
    """The BLAS/LAPACK routines of one precision, looked up once (no per-call dispatch)."""

    def __init__(self, dtype):
        self.c = np.dtype(dtype).char  # "d" or "f", the key of _LA and _MAX_CANCEL
        prefix = "d" if self.c == "d" else "s"
        for name in ("syrk", "syr", "syr2", "ger", "gemm", "gemv"):
            setattr(self, name, getattr(blas, prefix + name))
        for name in ("potrf", "potrs", "pocon", "syevd"):
            setattr(self, name, getattr(lapack, prefix + name))
        self.eps = float(np.finfo(dtype).eps)


_LA = {"d": _Lapack(np.float64), "f": _Lapack(np.float32)}


class _NotPositiveDefinite(Exception):
    """potrf reported a non-positive pivot (or the matrix is exactly singular)."""


# --------------------------------------------------------------------------------------------
# the auto rule
# --------------------------------------------------------------------------------------------
def _resolve_solver(solver, X):
    """The solver that runs: ``solver`` itself, or the ``auto`` rule below.

    * dense X: ``"cholesky"`` (primal for n_samples >= n_features, dual otherwise), as
      scikit-learn; a failed factorization falls back to ``"svd"``.
    * sparse X: ``"cholesky"`` through the sparse Gram (or kernel) when its densified
      m x m square (m = min(n_samples, n_features)) is small, m <= 1000, and the sparse product
      is cheap next to an iterative solve (work sum of squared nnz per row, or per column for the
      kernel, <= 40 nnz(X)): exact and faster there.  Otherwise ``"sparse_cg"`` (scikit-learn's
      choice for every sparse X).
    """
    if solver != "auto":
        return solver
    if not sp.issparse(X):
        return "cholesky"
    n_samples, n_features = X.shape
    if min(n_samples, n_features) > _SPARSE_GRAM_MAX:
        return "sparse_cg"
    # nnz per row (primal X^T X sums over rows) or per column (dual X X^T sums over columns)
    along = 0 if n_samples >= n_features else 1
    native = 0 if X.format == "csr" else 1
    if along == native:
        counts = np.diff(X.indptr)
    else:
        counts = np.bincount(X.indices, minlength=X.shape[along])
    work = float(counts @ counts.astype(np.float64))
    return "cholesky" if work <= _SPARSE_PRODUCT_NNZ * max(X.nnz, 1) else "sparse_cg"


# --------------------------------------------------------------------------------------------
# small dense helpers (BLAS through SciPy: one OpenBLAS for the whole solve)
# --------------------------------------------------------------------------------------------
def _diag(A):
    """Writeable view of the diagonal of a Fortran-ordered square matrix."""
    return A.reshape(-1, order="F")[:: A.shape[0] + 1]


def _xt_dot(X, Y, la):
    """``X^T Y`` for dense X (either order) or sparse X; Y of shape (n, t); Fortran result."""
    if sp.issparse(X):
        return np.asfortranarray(X.T @ Y)
    if X.flags.f_contiguous:
        return la.gemm(1.0, X, Y, trans_a=1)
    return la.gemm(1.0, X.T, Y)


def _x_dot(X, V, la):
    """``X V`` for dense X (either order) or sparse X; V of shape (p, t); Fortran result."""
    if sp.issparse(X):
        return np.asfortranarray(X @ V)
    if X.flags.f_contiguous:
        return la.gemm(1.0, X, V)
    return la.gemm(1.0, X.T, V, trans_a=1)


def _syrk(X, la, *, gram):
    """Lower triangle of ``X^T X`` (``gram=True``) or ``X X^T`` for dense X of either order."""
    if X.flags.f_contiguous:
        return la.syrk(1.0, X, trans=int(gram), lower=1)
    return la.syrk(1.0, X.T, trans=int(not gram), lower=1)


def _sparse_square(P):
    """Dense Fortran copy of the (symmetric) sparse product ``P``."""
    return P.toarray().T  # symmetric: the transposed C-ordered copy is Fortran-ordered


def _cancelled(d_raw, d_centred, la):
    """Indices where implicit centring lost too many digits (see ``_MAX_CANCEL``)."""
    return np.flatnonzero(d_centred * _MAX_CANCEL[la.c] < d_raw)


def _centred(design, may_overwrite):
    """Explicitly centred dense ``Xc = X - s x_offset^T`` (in place when allowed: no copy)."""
    X = design.X
    if sp.issparse(X):
        X = X.toarray(order="F")
    elif not (may_overwrite and X.flags.writeable):
        X = X.copy(order="K")
    if design.fit_intercept:
        la = _LA[X.dtype.char]
        if not design.has_sw:
            X -= design.x_offset  # as scikit-learn: X - mean, no temporary
        elif X.flags.f_contiguous:
            la.ger(-1.0, design.s, design.x_offset, a=X, overwrite_a=1)
        else:
            la.ger(-1.0, design.x_offset, design.s, a=X.T, overwrite_a=1)
    return X


def _norm1_lower(A):
    """1-norm of the symmetric matrix whose lower triangle A holds (for ``pocon``)."""
    L = np.abs(np.tril(A))
    return float((L.sum(axis=0) + L.sum(axis=1) - L.diagonal()).max())


# --------------------------------------------------------------------------------------------
# Gram and kernel with implicit centring
# --------------------------------------------------------------------------------------------
def _gram(design, may_overwrite, la):
    """Lower triangle of ``Xc^T Xc`` (p x p, Fortran) without forming Xc.

    ``Xc^T Xc = X^T X - S2 mu mu^T`` because ``X^T s = S2 mu`` (rows of X are scaled by s and
    mu is the weighted mean).  Columns where this cancels digits are recomputed from their
    explicitly centred copies; with many such columns dense X is centred explicitly.  Returns
    None for sparse X with many such columns (the caller then iterates).
    """
    X = design.X
    G = _sparse_square(X.T @ X) if sp.issparse(X) else _syrk(X, la, gram=True)
    if not design.fit_intercept:
        return G
    mu = design.x_offset
    d_raw = G.diagonal().copy()
    G = la.syr(-design.sw_sum, mu, lower=1, a=G, overwrite_a=1)
    J = _cancelled(d_raw, G.diagonal(), la)
    if J.size == 0:
        return G
    if J.size <= max(_MAX_REPAIR, G.shape[0] // 8):
        # Xc^T Xc_J = X^T Xc_J - mu (s^T Xc_J) exactly, and X^T Xc_J has no cancellation since
        # s^T Xc_J = 0; the J x J block comes straight from the centred columns.
        XJ = X[:, J]
        XJ = XJ.toarray(order="F") if sp.issparse(XJ) else np.asfortranarray(XJ)
        XJ -= np.outer(design.s, mu[J])
        GJ = _xt_dot(X, XJ, la)
        GJ -= np.outer(mu, design.s @ XJ)
        GJ[J] = XJ.T @ XJ
        G[:, J] = GJ
        G[J, :] = GJ.T
        return G
    if sp.issparse(X):
        return None
    return _syrk(_centred(design, may_overwrite), la, gram=True)


def _kernel(design, may_overwrite, la):
    """Lower triangle of ``Xc Xc^T`` (n x n) and the matrix to map dual to primal coefficients.

    ``Xc Xc^T = X X^T - u s^T - s u^T`` with ``u = X mu - |mu|^2 s / 2`` (one ``syr2``).  Returns
    ``(K, Xc)`` with ``Xc`` None when X stays uncentred; ``(None, None)`` for sparse X whose
    centring would cancel digits (the caller then iterates).
    """
    X = design.X
    K = _sparse_square(X @ X.T) if sp.issparse(X) else _syrk(X, la, gram=False)
    if not design.fit_intercept:
        return K, None
    mu, s = design.x_offset, design.s
    u = _x_dot(X, mu[:, None], la)[:, 0]
    u -= (0.5 * float(mu @ mu)) * s
    d_raw = K.diagonal().copy()
    K = la.syr2(-1.0, u, s, lower=1, a=K, overwrite_a=1)
    if _cancelled(d_raw, K.diagonal(), la).size == 0:
        return K, None
    if sp.issparse(X):
        return None, None
    Xc = _centred(design, may_overwrite)
    return _syrk(Xc, la, gram=False), Xc


# --------------------------------------------------------------------------------------------
# symmetric positive definite solves
# --------------------------------------------------------------------------------------------
def _cholesky(A, B, la):
    """Solve ``A x = B`` by potrf + potrs, overwriting A and B (lower triangle of A is used).

    Warns like ``scipy.linalg.solve(assume_a="pos")`` when the reciprocal condition number is
    below machine epsilon; raises ``_NotPositiveDefinite`` when the factorization fails.
    """
    anorm = _norm1_lower(A)
    c, info = la.potrf(A, lower=1, clean=0, overwrite_a=1)
    if info > 0:
        raise _NotPositiveDefinite(info)
    rcond, _ = la.pocon(c, anorm, uplo="L")
    if rcond == 0:
        raise _NotPositiveDefinite(0)
    if not rcond >= la.eps:
        warnings.warn(
            f"Ill-conditioned matrix (rcond={rcond:.6g}): result may not be accurate.",
            LinAlgWarning,
            stacklevel=4,
        )
    x, _ = la.potrs(c, B, lower=1, overwrite_b=1)
    return x


def _eigh_solve(A, B, alphas, la, *, pinv=False):
    """Solve ``(A + alpha_t I) x_t = b_t`` for all targets from one eigendecomposition of A.

    With ``pinv=True`` directions whose shifted eigenvalue is numerically zero are dropped (the
    minimum-norm solution, as the SVD solver gives); otherwise they raise _NotPositiveDefinite.
    """
    w, Q, info = la.syevd(A, compute_v=1, lower=1, overwrite_a=1)
    if info != 0:
        raise np.linalg.LinAlgError(f"syevd failed with info={info}")
    D = w[:, None] + alphas[None, :]
    floor = la.eps * A.shape[0] * max(float(np.abs(w).max(initial=0.0)), float(alphas.max()))
    if pinv:
        D = np.where(D > floor, 1.0 / np.where(D > floor, D, 1.0), 0.0)
    else:
        if not (D > 0).all():
            raise _NotPositiveDefinite(0)
        rcond = float((D.min(axis=0) / D.max(axis=0)).min())
        if not rcond >= la.eps:
            warnings.warn(
                f"Ill-conditioned matrix (rcond={rcond:.6g}): result may not be accurate.",
                LinAlgWarning,
                stacklevel=4,
            )
        D = 1.0 / D
    QtB = la.gemm(1.0, Q, B, trans_a=1)
    return la.gemm(1.0, Q, np.asfortranarray(QtB * D.astype(QtB.dtype, copy=False)))


def _spd_solve(A, B, alphas, la):
    """Solve ``(A + alpha_t I) x_t = b_t`` for every column t of B (A's lower triangle is used).

    One alpha: shift the diagonal in place and one Cholesky for all targets.  A few distinct
    alphas: one Cholesky per alpha on a copy of A.  Many: one eigendecomposition.
    """
    uniq = alphas[:1] if alphas.size == 1 else np.unique(alphas)
    if uniq.size == 1:
        _diag(A)[:] += uniq[0]
        return _cholesky(A, B, la)
    if uniq.size > _MAX_CHOL_ALPHAS:
        return _eigh_solve(A, B, alphas, la)
    X = np.empty_like(B)
    for a in uniq:
        idx = np.flatnonzero(alphas == a)
        Aa = A.copy(order="F")
        _diag(Aa)[:] += a
        X[:, idx] = _cholesky(Aa, np.asfortranarray(B[:, idx]), la)
    return X


def _singular_warning(kind, fallback):
    warnings.warn(
        f"Singular matrix in solving {kind} problem (the Cholesky factorization of "
        f"{'X^T X' if kind == 'primal' else 'X X^T'} + alpha I failed, e.g. alpha=0 with "
        f"rank-deficient X). Using the {fallback} solution instead; set alpha > 0 or "
        "solver='svd' to avoid this warning.",
        UserWarning,
        stacklevel=4,
    )


# --------------------------------------------------------------------------------------------
# solvers: each returns (coef of shape (n_targets, n_features), n_iter, solver_)
# --------------------------------------------------------------------------------------------
def _solve_cholesky(design, alphas, *, may_overwrite, max_iter, tol):
    """Closed form: primal (n >= p) or dual (n < p) Cholesky; SVD/pseudo-inverse on failure."""
    la = _LA[design.dtype.char]
    X, Y = design.X, design.yc.reshape(design.yc.shape[0], -1, order="F")
    n_samples, n_features = X.shape
    primal = n_samples >= n_features
    try:
        if primal:
            G = _gram(design, may_overwrite, la)
            if G is None:
                return _solve_sparse_cg(design, alphas, max_iter=max_iter, tol=tol)
            return _spd_solve(G, _xt_dot(X, Y, la), alphas, la).T, None, "cholesky"
        K, Xc = _kernel(design, may_overwrite, la)
        if K is None:
            return _solve_sparse_cg(design, alphas, max_iter=max_iter, tol=tol)
        dual = _spd_solve(K, np.array(Y, order="F"), alphas, la)
    except _NotPositiveDefinite:
        kind = "primal" if primal else "dual"
        if sp.issparse(X):
            # no SVD of sparse X: minimum-norm solution from the recomputed Gram / kernel
            _singular_warning(kind, "pseudo-inverse")
            return _solve_pinv(design, alphas, la), None, "cholesky"
        _singular_warning(kind, "SVD")
        return _solve_svd(design, alphas, may_overwrite=may_overwrite)
    if Xc is not None:
        return _xt_dot(Xc, dual, la).T, None, "cholesky"
    coef = _xt_dot(X, dual, la)
    if design.fit_intercept:  # Xc^T d = X^T d - mu (s^T d)
        coef -= np.outer(design.x_offset, design.s @ dual)
    return coef.T, None, "cholesky"


def _solve_pinv(design, alphas, la):
    """Minimum-norm ridge solution through an eigendecomposition (sparse fallback)."""
    X, Y = design.X, design.yc.reshape(design.yc.shape[0], -1, order="F")
    if X.shape[0] >= X.shape[1]:
        G = _gram(design, False, la)
        return _eigh_solve(G, _xt_dot(X, Y, la), alphas, la, pinv=True).T
    K, _ = _kernel(design, False, la)
    dual = _eigh_solve(K, np.array(Y, order="F"), alphas, la, pinv=True)
    coef = _xt_dot(X, dual, la)
    if design.fit_intercept:
        coef -= np.outer(design.x_offset, design.s @ dual)
    return coef.T


def _solve_svd(design, alphas, *, may_overwrite, **_):
    """SVD of the explicitly centred X; singular values <= 1e-15 are dropped (as scikit-learn)."""
    Xc = _centred(design, may_overwrite)
    if Xc.flags.f_contiguous:
        U, sv, Vt = _svd(Xc, full_matrices=False, overwrite_a=True, check_finite=False)
    else:  # SVD of the Fortran view Xc^T = V S U^T: no copy of C-ordered data
        V, sv, Ut = _svd(Xc.T, full_matrices=False, overwrite_a=True, check_finite=False)
        U, Vt = Ut.T, V.T
    Y = design.yc.reshape(design.yc.shape[0], -1)
    keep = sv > 1e-15
    d = np.zeros((sv.size, alphas.size), dtype=Xc.dtype)
    d[keep] = sv[keep, None] / (sv[keep, None] ** 2 + alphas[None, :])
    return (Vt.T @ (d * (U.T @ Y))).T, None, "svd"


def _operator(design):
    """``Xc`` as a LinearOperator: centring applied on the fly (X is never centred)."""
    X, mu, s = design.X, design.x_offset, design.s
    if not design.fit_intercept:
        return sp_linalg.aslinearoperator(X)
    return sp_linalg.LinearOperator(
        X.shape,
        matvec=lambda v: X @ v - s * (mu @ v),
        rmatvec=lambda r: X.T @ r - mu * (s @ r),
        dtype=X.dtype,
    )


def _solve_sparse_cg(design, alphas, *, max_iter, tol, **_):
    """Conjugate gradients on the normal (n >= p) or kernel (n < p) equations, per target."""
    Xop = _operator(design)
    Y = design.yc.reshape(design.yc.shape[0], -1)
    n_samples, n_features = Xop.shape
    coef = np.empty((Y.shape[1], n_features), dtype=design.dtype)
    kernel = n_features > n_samples
    m = n_samples if kernel else n_features
    for t, a in enumerate(alphas):
        if kernel:
            op = sp_linalg.LinearOperator(
                (m, m), matvec=lambda v, a=a: Xop.matvec(Xop.rmatvec(v)) + a * v, dtype=design.dtype
            )
            dual, info = sp_linalg.cg(op, Y[:, t], rtol=tol, maxiter=max_iter)
            coef[t] = Xop.rmatvec(dual)
        else:
            op = sp_linalg.LinearOperator(
                (m, m), matvec=lambda v, a=a: Xop.rmatvec(Xop.matvec(v)) + a * v, dtype=design.dtype
            )
            coef[t], info = sp_linalg.cg(op, Xop.rmatvec(Y[:, t]), rtol=tol, maxiter=max_iter)
        if info < 0:
            raise ValueError(f"Failed with error code {info}")
    return coef, None, "sparse_cg"


def _solve_lsqr(design, alphas, *, max_iter, tol, **_):
    """``scipy.sparse.linalg.lsqr`` with damp = sqrt(alpha), per target (atol = btol = tol)."""
    Xop = _operator(design)
    Y = design.yc.reshape(design.yc.shape[0], -1)
    coef = np.empty((Y.shape[1], Xop.shape[1]), dtype=design.dtype)
    n_iter = np.empty(Y.shape[1], dtype=np.int32)
    for t, a in enumerate(alphas):
        res = sp_linalg.lsqr(Xop, Y[:, t], damp=np.sqrt(a), atol=tol, btol=tol, iter_lim=max_iter)
        coef[t], n_iter[t] = res[0], res[2]
    return coef, n_iter, "lsqr"


_SOLVERS = {
    "cholesky": _solve_cholesky,
    "svd": _solve_svd,
    "lsqr": _solve_lsqr,
    "sparse_cg": _solve_sparse_cg,
}


# --------------------------------------------------------------------------------------------
# input checks
# --------------------------------------------------------------------------------------------
def _validate_fit_data(estimator, X, y):
    """:func:`fastreg._base.validate_X_y`, with a shortcut for plain float ndarrays.

    For C- or F-contiguous float64/float32 ``X`` and a numeric ``y`` (both ``numpy.ndarray``) the
    checks ``validate_X_y`` would make (2-D X with at least one sample and one feature, a 1-D or
    2-D y of the same length, all finite) cost a few numpy calls instead of ~150 us of generic
    validation, which dominates small fits; ``n_features_in_`` is set and ``feature_names_in_``
    removed exactly as ``validate_data(reset=True)`` does for arrays without names.  Anything
    else, including every input that fails a check, goes through ``validate_X_y`` and gets
    scikit-learn's own errors.  Dense X keeps its memory order (no Fortran copy of C data).
    """
    if (
        type(X) is np.ndarray
        and type(y) is np.ndarray
        and X.ndim == 2
        and X.dtype in _FLOATS
        and X.size > 0
        and (X.flags.c_contiguous or X.flags.f_contiguous)
        and 1 <= y.ndim <= 2
        and y.shape[0] == X.shape[0]
        and y.size > 0
        and y.dtype.kind in "fiu"
        and np.isfinite(X.sum())
        and np.isfinite(y.sum())
    ):
        estimator.n_features_in_ = X.shape[1]
        estimator.__dict__.pop("feature_names_in_", None)
        return X, y.astype(X.dtype, copy=False)
    X, y = validate_X_y(estimator, X, y, order=None)
    if not sp.issparse(X) and not (X.flags.c_contiguous or X.flags.f_contiguous):
        X = np.asfortranarray(X)
    return X, y


def _check_alpha(alpha, n_targets, dtype):
    """``alpha`` as an array of shape (n_targets,) in X's dtype (scalar or one per target)."""
    if isinstance(alpha, Real):  # negative scalars are rejected by _parameter_constraints
        return np.full(n_targets, alpha, dtype=dtype)
    alphas = np.asarray(alpha, dtype=dtype).ravel()
    if alphas.shape[0] not in (1, n_targets):
        raise ValueError(
            "Number of targets and number of penalties do not correspond: "
            f"{alphas.shape[0]} != {n_targets}"
        )
    if not (np.isfinite(alphas).all() and (alphas >= 0).all()):
        raise ValueError(
            "The 'alpha' parameter of Ridge must contain finite non-negative values, got "
            f"{alpha!r}; pass one penalty >= 0 per target."
        )
    return np.full(n_targets, alphas[0], dtype=dtype) if alphas.shape[0] == 1 else alphas


# --------------------------------------------------------------------------------------------
# the estimator
# --------------------------------------------------------------------------------------------
class Ridge(MultiOutputMixin, RegressorMixin, BaseEstimator):
    """Linear least squares with l2 regularization (drop-in for ``sklearn.linear_model.Ridge``).

    Minimizes, for each target, the objective::

        ||y - X w - b||^2_2 + alpha * ||w||^2_2

    where the intercept ``b`` is not penalized.  With ``sample_weight`` the squared residuals are
    weighted.  Multi-target ``y`` is solved at once (one factorization for all targets sharing an
    alpha).

    Parameters
    ----------
    alpha : float or array-like of shape (n_targets,), default=1.0
        Non-negative regularization strength; an array gives one penalty per target.
    fit_intercept : bool, default=True
        Whether to fit an (unpenalized) intercept.  Centring is implicit: X is not copied.
    copy_X : bool, default=True
        If False, the ``'svd'`` solver (and the rare explicit-centring fallback) may centre X in
        place.  The other solvers never modify X.
    max_iter : int, default=None
        Maximum number of iterations of ``'sparse_cg'`` and ``'lsqr'`` (SciPy's default if None).
    tol : float, default=1e-4
        Tolerance of ``'sparse_cg'`` (relative residual) and ``'lsqr'`` (atol and btol).
        No effect on ``'cholesky'`` and ``'svd'``.
    solver : {'auto', 'cholesky', 'svd', 'lsqr', 'sparse_cg'}, default='auto'
        ``'auto'``: ``'cholesky'`` for dense X; for sparse X ``'cholesky'`` through the sparse Gram
        when min(n_samples, n_features) <= 1000 and the sparse product is cheap, else
        ``'sparse_cg'``.  ``'cholesky'`` is the closed form (``syrk`` + ``potrf`` + ``potrs``, primal
        or dual by shape) and also fits an intercept on sparse X; if the factorization fails it
        warns and uses the SVD (a pseudo-inverse for sparse X).  ``'svd'`` needs dense X.
        scikit-learn's ``'sag'``, ``'saga'`` and ``'lbfgs'`` raise a ``ValueError``.
    positive : bool, default=False
        Must be False for now (``True`` raises a ``ValueError``).
    random_state : int, RandomState instance or None, default=None
        Unused (kept for compatibility with scikit-learn's ``'sag'``/``'saga'``).

    Attributes
    ----------
    coef_ : ndarray of shape (n_features,) or (n_targets, n_features)
        Weight vector(s), in X's dtype (float32 is kept).
    intercept_ : float or ndarray of shape (n_targets,)
        Independent term; ``0.0`` if ``fit_intercept=False``.
    n_iter_ : None or ndarray of shape (n_targets,)
        Iterations per target for ``'lsqr'``; None for the other solvers.
    n_features_in_ : int
        Number of features seen during fit.
    feature_names_in_ : ndarray of shape (n_features_in_,)
        Names of features seen during fit, when X has string feature names.
    solver_ : str
        The solver used at fit time.

    See Also
    --------
    sklearn.linear_model.Ridge : The reference implementation.

    Examples
    --------
    >>> import numpy as np
    >>> from fastreg._ridge import Ridge
    >>> rng = np.random.RandomState(0)
    >>> X, y = rng.randn(10, 5), rng.randn(10)
    >>> reg = Ridge(alpha=1.0).fit(X, y)
    >>> reg.coef_.shape, reg.solver_
    ((5,), 'cholesky')
    """

    _parameter_constraints: dict = {
        "alpha": [Interval(Real, 0, None, closed="left"), "array-like"],
        "fit_intercept": ["boolean"],
        "copy_X": ["boolean"],
        "max_iter": [Interval(Integral, 1, None, closed="left"), None],
        "tol": [Interval(Real, 0, None, closed="left")],
        "solver": [
            StrOptions({"auto", "svd", "cholesky", "lsqr", "sparse_cg", "sag", "saga", "lbfgs"})
        ],
        "positive": ["boolean"],
        "random_state": ["random_state"],
    }

    def __init__(
        self,
        alpha=1.0,
        *,
        fit_intercept=True,
        copy_X=True,
        max_iter=None,
        tol=1e-4,
        solver="auto",
        positive=False,
        random_state=None,
    ):
        self.alpha = alpha
        self.fit_intercept = fit_intercept
        self.copy_X = copy_X
        self.max_iter = max_iter
        self.tol = tol
        self.solver = solver
        self.positive = positive
        self.random_state = random_state

    def _check_solver(self, X):
        if self.positive:
            raise ValueError(
                "positive=True is not supported by fastreg's Ridge yet; set positive=False, "
                "or use sklearn.linear_model.Ridge(positive=True) (solver 'lbfgs')."
            )
        if self.solver not in _SUPPORTED:
            raise ValueError(
                f"solver={self.solver!r} is not supported by fastreg's Ridge; supported solvers "
                f"are {', '.join(map(repr, _SUPPORTED))}. Use sklearn.linear_model.Ridge for "
                f"{self.solver!r}."
            )
        if self.solver == "svd" and sp.issparse(X):
            msg = (
                "solver='svd' does not support sparse input; use solver 'auto', 'cholesky', "
                "'lsqr' or 'sparse_cg', or pass a dense X."
            )
            # scikit-learn raises ValueError with an intercept and TypeError without one
            raise ValueError(msg) if self.fit_intercept else TypeError(msg)

    @_fit_context(prefer_skip_nested_validation=True)
    def fit(self, X, y, sample_weight=None):
        """Fit Ridge regression.

        Parameters
        ----------
        X : {ndarray, sparse matrix} of shape (n_samples, n_features)
            Training data (float32 is kept float32).
        y : ndarray of shape (n_samples,) or (n_samples, n_targets)
            Target values.
        sample_weight : float or ndarray of shape (n_samples,), default=None
            Non-negative sample weights.

        Returns
        -------
        self : object
            Fitted estimator.
        """
        self._check_solver(X)
        X_in = X
        X, y = _validate_fit_data(self, X, y)
        sample_weight = check_sample_weight(sample_weight, X)
        n_targets = 1 if y.ndim == 1 else y.shape[1]
        alphas = _check_alpha(self.alpha, n_targets, X.dtype)
        design = preprocess(X, y, fit_intercept=self.fit_intercept, sample_weight=sample_weight)
        # X (design.X) may be centred in place if the user allows it or it is our own copy
        may_overwrite = (
            not self.copy_X or design.has_sw or (X is not X_in and getattr(X, "base", 0) is None)
        )
        solve = _SOLVERS[_resolve_solver(self.solver, X)]
        coef, self.n_iter_, self.solver_ = solve(
            design, alphas, may_overwrite=may_overwrite, max_iter=self.max_iter, tol=self.tol
        )
        if n_targets == 1:
            coef = coef.ravel()
        self.coef_ = coef
        # scikit-learn sets a plain 0.0 without an intercept, whatever the number of targets
        self.intercept_ = intercept_from(design, coef) if self.fit_intercept else 0.0
        return self

    def predict(self, X):
        """Predict using the linear model.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            Samples.

        Returns
        -------
        y_pred : ndarray of shape (n_samples,) or (n_samples, n_targets)
            Predicted values.
        """
        check_is_fitted(self)
        if not (  # plain float arrays skip the generic validation (same checks, see fit)
            type(X) is np.ndarray
            and X.ndim == 2
            and X.dtype in _FLOATS
            and X.shape[0] > 0
            and X.shape[1] == self.n_features_in_
            and "feature_names_in_" not in self.__dict__
            and np.isfinite(X.sum())
        ):
            X = validate_data(self, X, accept_sparse=["csr", "csc", "coo"], reset=False)
        coef = self.coef_
        return (X @ coef if coef.ndim == 1 else X @ coef.T) + self.intercept_

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.sparse = self.solver != "svd"
        return tags
