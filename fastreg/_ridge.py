"""Ridge regression in closed form through SciPy's BLAS/LAPACK, a drop-in for scikit-learn's Ridge.

The estimator minimises, for every target column ``y_t``::

    ||y_t - X w_t - b_t||^2 + alpha_t ||w_t||^2          (sum scale; b_t is never penalised)

with ``sample_weight`` folded in by rescaling rows by ``sqrt(sample_weight)`` (``fastreg._base``).

Solvers are small ``_solve_*`` functions taking a :class:`fastreg._base.Design`:

* ``cholesky`` (closed form): the primal ``(Xc^T Xc + alpha I) w = Xc^T yc`` when
  n_samples >= n_features, else the dual ``(Xc Xc^T + alpha I) d = yc, w = Xc^T d``.  The matrix
  is built by ``syrk`` (lower triangle) from the *uncentred* X and corrected for centring with a
  rank-one (primal) or rank-two (dual) update, so X is never copied; columns whose mean is so
  large against their spread that the correction would cancel digits are repaired exactly, or X
  is centred explicitly one block at a time.  The diagonal is shifted in place, ``potrf`` /
  ``potrs`` solve all targets at once; per-target alphas group targets by alpha (one
  eigendecomposition when there are many distinct ones).  Sparse X goes through ``X^T X`` (or
  ``X X^T``) computed sparsely and densified as a small square.  A factorization that fails or
  has rcond < eps falls back to the SVD (sparse X: a pseudo-inverse), with a warning.
* ``svd``: SVD of the explicitly centred X (dense only), scikit-learn's most stable solver.
* ``lsqr`` / ``sparse_cg``: ``scipy.sparse.linalg`` on an operator that centres implicitly.

``_resolve_solver`` holds the ``auto`` rule.
"""
import warnings
from numbers import Integral, Real

import numpy as np
import scipy.sparse as sp
from scipy.linalg import LinAlgWarning, blas, lapack
from scipy.linalg import svd as _svd
from scipy.sparse import linalg as sp_linalg
from sklearn.base import BaseEstimator, MultiOutputMixin, RegressorMixin

from fastreg._base import (
    CachedParamChecks,
    Interval,
    LinearPredictorMixin,
    StrOptions,
    _fit_context,
    check_sample_weight,
    intercept_from,
    preprocess,
    validate_X_y,
)
from fastreg._cd_solver import solve_ridge_positive

__all__ = ["Ridge"]

#: scikit-learn's solver names, all accepted ('sag'/'saga' run as 'auto'; 'lbfgs' only with
#: positive=True, which runs fastreg's coordinate descent).
_SOLVER_NAMES = ("auto", "svd", "cholesky", "lsqr", "sparse_cg", "sag", "saga", "lbfgs")

# Largest loss-of-digits factor r = ||X_j||^2 / ||Xc_j||^2 accepted from the implicit centring
# X^T X - S2 mu mu^T (rounding error ~ eps * r in the centred Gram instead of ~ eps * sqrt(r) for
# explicitly centred data): 3 of 16 digits in float64, under 1 of 7 in float32.
_MAX_CANCEL = {"d": 1e3, "f": 8.0}
# Flagged columns repaired one by one (cost O(n p |J|)) up to this many; beyond, X is centred
# explicitly chunk by chunk (_CHUNK_BYTES of it at a time, never a full copy).
_MAX_REPAIR = 16
_CHUNK_BYTES = 1 << 22
# Per-target alphas: one Cholesky per distinct alpha up to this many, else one eigendecomposition
# (syevd costs 17-29 potrf here for p = 100..1000, single thread).
_MAX_CHOL_ALPHAS = 16

class _Lapack:
    """The BLAS/LAPACK routines of one precision, looked up once (no per-call dispatch)."""

    def __init__(self, dtype):
        self.c = np.dtype(dtype).char  # "d" or "f", the key of _LA and _MAX_CANCEL
        prefix = "d" if self.c == "d" else "s"
        for name in ("syrk", "syr", "syr2", "ger", "gemm", "gemv", "dot"):
            setattr(self, name, getattr(blas, prefix + name))
        for name in ("potrf", "potrs", "pocon", "syevd"):
            setattr(self, name, getattr(lapack, prefix + name))
        self.eps = float(np.finfo(dtype).eps)


_LA = {"d": _Lapack(np.float64), "f": _Lapack(np.float32)}


class _Singular(Exception):
    """A factorization failed (``rcond`` None) or is too ill-conditioned to trust (rcond < eps)."""

    def __init__(self, rcond=None):
        super().__init__(rcond)
        self.rcond = rcond


# --------------------------------------------------------------------------------------------
# the auto rule
# --------------------------------------------------------------------------------------------
def _own_copy(X, X_in):
    """Whether the validated X is a copy fastreg made of the user's ``X_in`` (a new array that
    owns its memory and shares none with what ``X_in`` exposes through ``__array__``: an
    array-like wrapper may hand out its own buffer)."""
    if X is X_in or getattr(X, "base", 0) is not None:
        return False
    if isinstance(X_in, (np.ndarray, list, tuple)) or sp.issparse(X_in):
        return True  # validation converted it: a fresh array
    try:
        return not np.may_share_memory(X, np.asarray(X_in))
    except Exception:  # anything odd: keep the user's data safe
        return False


def _resolve_solver(solver, X):
    """The solver that runs: ``solver`` itself, or the ``auto`` rule below.

    * dense X: ``"cholesky"``, the closed form (primal when n_samples >= n_features, dual
      otherwise); a failed or ill-conditioned factorization falls back to ``"svd"``.
    * sparse X: ``"sparse_cg"``, as scikit-learn.  ``"cholesky"`` on sparse X (sparse Gram or
      kernel, densified as an m x m square, m = min(n_samples, n_features)) is exact and fits an
      intercept too, but measured here it is 2-10x slower than a handful of CG iterations on
      well-conditioned sparse problems, so it is only used when asked for.
    * ``"sag"``, ``"saga"``: scikit-learn's stochastic solvers of the same objective; fastreg
      solves it as ``"auto"`` does (exactly on dense X), and ``solver_`` names that solver.
    """
    if solver not in ("auto", "sag", "saga"):
        return solver
    return "sparse_cg" if sp.issparse(X) else "cholesky"


# --------------------------------------------------------------------------------------------
# small dense helpers (BLAS through SciPy: one OpenBLAS for the whole solve)
# --------------------------------------------------------------------------------------------
def _diag(A):
    """Writeable view of the diagonal of a Fortran-ordered square matrix."""
    assert A.flags.f_contiguous
    return A.reshape(-1, order="F")[:: A.shape[0] + 1]


def _xt_dot(X, Y, la):
    """``X^T Y`` for dense X (either order) or sparse X; Y of shape (n, t); Fortran result.

    Products over X go through SciPy's BLAS, as do syrk/potrf: numpy ships its own OpenBLAS, and
    a threaded call into one library right after the other can stall while its idle threads
    wake up (tens to hundreds of milliseconds seen on a busy 2-core machine).
    """
    if sp.issparse(X):
        return np.asfortranarray(X.T @ Y)
    F = X.flags.f_contiguous
    if Y.shape[1] == 1:  # gemv: OpenBLAS's gemm is much slower with one column
        return la.gemv(1.0, X if F else X.T, Y[:, 0], trans=int(F))[:, None]
    return la.gemm(1.0, X, Y, trans_a=1) if F else la.gemm(1.0, X.T, Y)


def _x_dot(X, V, la):
    """``X V`` for dense X (either order) or sparse X; V of shape (p, t); Fortran result."""
    if sp.issparse(X):
        return np.asfortranarray(X @ V)
    F = X.flags.f_contiguous
    if V.shape[1] == 1:
        return la.gemv(1.0, X if F else X.T, V[:, 0], trans=int(not F))[:, None]
    return la.gemm(1.0, X, V) if F else la.gemm(1.0, X.T, V, trans_a=1)


def _syrk(X, la, *, gram):
    """Lower triangle of ``X^T X`` (``gram=True``) or ``X X^T`` for dense X of either order."""
    m = X.shape[1] if gram else X.shape[0]
    C = np.zeros((m, m), dtype=X.dtype, order="F")  # upper triangle stays zero (_norm1_lower)
    if X.flags.f_contiguous:
        return la.syrk(1.0, X, c=C, trans=int(gram), lower=1, overwrite_c=1)
    return la.syrk(1.0, X.T, c=C, trans=int(not gram), lower=1, overwrite_c=1)


def _sparse_square(P):
    """Lower triangle (upper zeroed) of the symmetric sparse product ``P``, dense Fortran."""
    A = P.toarray()
    return _zero_upper(A if A.flags.f_contiguous else A.T)  # symmetric: A.T is the same


def _cancelled(d_raw, d_centred, la):
    """Indices where implicit centring lost too many digits (see ``_MAX_CANCEL``)."""
    bad = d_centred * _MAX_CANCEL[la.c] < d_raw
    return np.flatnonzero(bad) if bad.any() else ()


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


def _centred_chunks(design, axis):
    """Dense, explicitly centred pieces of Xc: row blocks (axis=0) or column blocks (axis=1).

    Yields ``(slice, block)``; each block is a fresh Fortran array of about _CHUNK_BYTES, so the
    centring costs no copy of X (sparse X is densified one block at a time).
    """
    X, mu, s = design.X, design.x_offset, design.s
    n, p = X.shape
    step = max(64, _CHUNK_BYTES // (X.dtype.itemsize * (p if axis == 0 else n)))
    for start in range(0, X.shape[axis], step):
        sl = slice(start, min(start + step, X.shape[axis]))
        block = X[sl] if axis == 0 else X[:, sl]
        block = block.toarray(order="F") if sp.issparse(block) else np.array(block, order="F")
        block -= np.outer(s[sl], mu) if axis == 0 else np.outer(s, mu[sl])
        yield sl, block


def _norm1_lower(A):
    """1-norm of the symmetric matrix whose lower triangle A holds; A's upper triangle is zero."""
    L = np.abs(A)
    return float((L.sum(axis=0) + L.sum(axis=1) - L.diagonal()).max())


def _zero_upper(A, block=256):
    """Zero the strict upper triangle of A in place (the invariant ``_norm1_lower`` relies on)."""
    m = A.shape[0]
    for j0 in range(0, m, block):  # by column blocks: no m x m index arrays
        j1 = min(j0 + block, m)
        A[:j0, j0:j1] = 0
        A[j0:j1, j0:j1][np.triu_indices(j1 - j0, 1)] = 0
    return A


# --------------------------------------------------------------------------------------------
# Gram and kernel with implicit centring
# --------------------------------------------------------------------------------------------
def _normal_equations(design, Y, la):
    """``Xc^T Xc`` (lower triangle, p x p, Fortran) and ``Xc^T Y`` without forming Xc.

    ``Xc^T Xc = X^T X - S2 mu mu^T`` because ``X^T s = S2 mu`` (rows of X are scaled by s and
    mu is the weighted mean), and ``Xc^T Y = X^T Y - mu (s^T Y)`` (exact whatever the rounding
    left in the centred Y).  Columns J where the rank-one correction cancels digits are redone
    from their explicitly centred copies Xc_J (``Xc^T Xc_J = X^T Xc_J - mu (s^T Xc_J)``, the J x J
    block and ``Xc_J^T Y`` directly); with many such columns X is centred explicitly, by
    blocks of rows accumulated with ``syrk``/``gemm`` (no copy of X).
    """
    X = design.X
    G = _sparse_square(X.T @ X) if sp.issparse(X) else _syrk(X, la, gram=True)
    B = _xt_dot(X, Y, la)
    if not design.fit_intercept:
        return G, B
    mu, s = design.x_offset, design.s
    B -= np.outer(mu, _xt_dot(Y, s[:, None], la)[:, 0])  # SciPy's BLAS only (see _xt_dot)
    d_raw = G.diagonal().copy()
    G = la.syr(-design.sw_sum, mu, lower=1, a=G, overwrite_a=1)
    J = _cancelled(d_raw, G.diagonal(), la)
    if len(J) == 0:
        return G, B
    if len(J) <= max(_MAX_REPAIR, G.shape[0] // 8):
        XJ = X[:, J]
        XJ = XJ.toarray(order="F") if sp.issparse(XJ) else np.asfortranarray(XJ)
        XJ -= np.outer(s, mu[J])
        GJ = _xt_dot(X, XJ, la)
        GJ -= np.outer(mu, s @ XJ)
        GJ[J] = XJ.T @ XJ
        G[:, J] = GJ
        G[J, :] = GJ.T
        B[J] = XJ.T @ Y
        return _zero_upper(G), B
    G[:] = 0
    B[:] = 0
    for rows, C in _centred_chunks(design, axis=0):
        G = la.syrk(1.0, C, beta=1.0, c=G, trans=1, lower=1, overwrite_c=1)
        B = la.gemm(1.0, C, np.asfortranarray(Y[rows]), beta=1.0, c=B, trans_a=1, overwrite_c=1)
    return G, B


def _kernel(design, la):
    """Lower triangle of ``Xc Xc^T + c s s^T`` (n x n, Fortran) without forming Xc.

    ``Xc Xc^T = X X^T - u s^T - s u^T`` with ``u = X mu - |mu|^2 s / 2`` (one ``syr2``).  With an
    intercept ``Xc^T s = 0``: s spans a null space of ``Xc Xc^T`` that centring creates, which
    makes alpha = 0 singular and leaves no effect on ``w = Xc^T d``.  Adding ``c s s^T`` (c
    scaled to the mean eigenvalue) lifts it without changing w, so that only genuine rank
    deficiency needs the fallback.  Where the correction would cancel digits, X is centred
    explicitly by blocks of columns accumulated with ``syrk`` (no copy of X).  Returns
    ``(K, explicit)``: whether ``w = Xc^T d`` is to be formed from centred blocks too.
    """
    X = design.X
    K = _sparse_square(X @ X.T) if sp.issparse(X) else _syrk(X, la, gram=False)
    if not design.fit_intercept:
        return K, False
    mu, s = design.x_offset, design.s
    n = X.shape[0]
    u = _x_dot(X, mu[:, None], la)[:, 0]
    u -= (0.5 * la.dot(mu, mu)) * s
    d_raw = K.diagonal().copy()
    d_centred = d_raw - 2.0 * u * s
    if len(_cancelled(d_raw, d_centred, la)) == 0:
        c = max(float(d_centred.sum()), 0.0) / (n * design.sw_sum) or 1.0
        u -= (0.5 * c) * s
        return la.syr2(-1.0, u, s, lower=1, a=K, overwrite_a=1), False
    K[:] = 0
    for _, C in _centred_chunks(design, axis=1):
        K = la.syrk(1.0, C, beta=1.0, c=K, trans=0, lower=1, overwrite_c=1)
    c = max(float(K.diagonal().sum()), 0.0) / (n * design.sw_sum) or 1.0
    return la.syr(c, s, lower=1, a=K, overwrite_a=1), True


def _dual_to_primal(design, dual, explicit, la):
    """``w = Xc^T d`` as (n_targets, n_features): ``X^T d - mu (s^T d)`` (s^T d ~ 0, see
    ``_kernel``), or from explicitly centred blocks of columns when the means dominate."""
    if explicit:
        coef = np.empty((design.X.shape[1], dual.shape[1]), dtype=dual.dtype, order="F")
        for cols, C in _centred_chunks(design, axis=1):
            coef[cols] = _xt_dot(C, dual, la)
        return coef.T
    coef = _xt_dot(design.X, dual, la)
    if design.fit_intercept:
        coef -= np.outer(design.x_offset, _xt_dot(dual, design.s[:, None], la)[:, 0])
    return coef.T


# --------------------------------------------------------------------------------------------
# symmetric positive definite solves
# --------------------------------------------------------------------------------------------
def _cholesky(A, B, la):
    """Solve ``A x = B`` by potrf + potrs, overwriting A and B (lower triangle of A is used).

    Raises ``_Singular`` when potrf fails or when the reciprocal condition number (``pocon``, as
    ``scipy.linalg.solve(assume_a="pos")`` estimates it) is below machine epsilon: there the
    Cholesky solution has no correct digits left and the caller uses the SVD instead.
    """
    anorm = _norm1_lower(A)
    c, info = la.potrf(A, lower=1, clean=0, overwrite_a=1)
    if info > 0:
        raise _Singular()
    rcond, _ = la.pocon(c, anorm, uplo="L")
    if rcond == 0:
        raise _Singular()
    if not rcond >= la.eps:
        raise _Singular(rcond)
    x, _ = la.potrs(c, B, lower=1, overwrite_b=1)
    return x


def _eigh_solve(A, B, alphas, la, *, pinv=False):
    """Solve ``(A + alpha_t I) x_t = b_t`` for all targets from one eigendecomposition of A.

    With ``pinv=True`` directions whose shifted eigenvalue is numerically zero are dropped (the
    minimum-norm solution, as the SVD solver gives); otherwise a non-positive or ill-conditioned
    shifted spectrum raises ``_Singular`` as in ``_cholesky``.
    """
    w, Q, info = la.syevd(A, compute_v=1, lower=1, overwrite_a=1)
    if info != 0:
        raise _Singular()
    D = w[:, None] + alphas[None, :]
    if pinv:
        floor = la.eps * A.shape[0] * float(np.abs(D).max(initial=0.0))
        D = np.where(D > floor, 1.0 / np.where(D > floor, D, 1.0), 0.0)
    else:
        if not (D > 0).all():
            raise _Singular()
        rcond = float((D.min(axis=0) / D.max(axis=0)).min())
        if not rcond >= la.eps:
            raise _Singular(rcond)
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


def _fallback_warning(kind, rcond, fallback):
    matrix = "X^T X" if kind == "primal" else "X X^T"
    advice = (f"Using the {fallback} solution instead; set alpha > 0 or solver='svd' to avoid "
              "this warning.")
    if rcond is None:  # scikit-learn's words for the dual case
        warnings.warn(
            f"Singular matrix in solving {kind} problem (the Cholesky factorization of {matrix}"
            f" + alpha I failed, e.g. alpha=0 with rank-deficient X). {advice}",
            UserWarning,
            stacklevel=4,
        )
    else:
        warnings.warn(
            f"Ill-conditioned matrix (rcond={rcond:.6g}) in solving {kind} problem: the Cholesky"
            f" solution would not be accurate. {advice}",
            LinAlgWarning,
            stacklevel=4,
        )


# --------------------------------------------------------------------------------------------
# solvers: each returns (coef of shape (n_targets, n_features), n_iter, solver_)
# --------------------------------------------------------------------------------------------
def _solve_cholesky(design, alphas, *, may_overwrite, **_):
    """Closed form: primal (n >= p) or dual (n < p) Cholesky; SVD/pseudo-inverse on failure."""
    la = _LA[design.dtype.char]
    X, Y = design.X, design.yc.reshape(design.yc.shape[0], -1, order="F")
    n_samples, n_features = X.shape
    primal = n_samples >= n_features
    try:
        if primal:
            G, B = _normal_equations(design, Y, la)
            return _spd_solve(G, B, alphas, la).T, None, "cholesky"
        K, explicit = _kernel(design, la)
        dual = _spd_solve(K, np.array(Y, order="F"), alphas, la)
    except _Singular as exc:
        kind = "primal" if primal else "dual"
        if sp.issparse(X):
            # no SVD of sparse X: minimum-norm solution from the recomputed Gram / kernel
            _fallback_warning(kind, exc.rcond, "pseudo-inverse")
            return _solve_pinv(design, alphas, la), None, "cholesky"
        _fallback_warning(kind, exc.rcond, "SVD")
        return _solve_svd(design, alphas, may_overwrite=may_overwrite)
    return _dual_to_primal(design, dual, explicit, la), None, "cholesky"


def _solve_pinv(design, alphas, la):
    """Minimum-norm ridge solution through an eigendecomposition (sparse fallback)."""
    X, Y = design.X, design.yc.reshape(design.yc.shape[0], -1, order="F")
    if X.shape[0] >= X.shape[1]:
        G, B = _normal_equations(design, Y, la)
        return _eigh_solve(G, B, alphas, la, pinv=True).T
    K, explicit = _kernel(design, la)
    dual = _eigh_solve(K, np.array(Y, order="F"), alphas, la, pinv=True)
    return _dual_to_primal(design, dual, explicit, la)


def _solve_svd(design, alphas, *, may_overwrite, **_):
    """SVD of the explicitly centred X.

    Singular values below ``max(n, p) * eps * s_max`` are dropped (scikit-learn drops those below
    an absolute 1e-15; the two differ only for alpha ~ 0 and rank-deficient X, where the
    relative cut-off gives the minimum-norm solution instead of rounding noise / 1e-15).
    """
    Xc = _centred(design, may_overwrite)
    if Xc.flags.f_contiguous:
        U, sv, Vt = _svd(Xc, full_matrices=False, overwrite_a=True, check_finite=False)
    else:  # SVD of the Fortran view Xc^T = V S U^T: no copy of C-ordered data
        V, sv, Ut = _svd(Xc.T, full_matrices=False, overwrite_a=True, check_finite=False)
        U, Vt = Ut.T, V.T
    Y = design.yc.reshape(design.yc.shape[0], -1)
    keep = sv > max(1e-15, max(Xc.shape) * np.finfo(Xc.dtype).eps * sv.max(initial=0.0))
    d = np.zeros((sv.size, alphas.size), dtype=Xc.dtype)
    d[keep] = sv[keep, None] / (sv[keep, None] ** 2 + alphas[None, :])
    return (Vt.T @ (d * (U.T @ Y))).T, None, "svd"


def _products(design):
    """``v -> Xc v`` and ``r -> Xc^T r`` with the centring applied on the fly (X never centred)."""
    X, mu, s = design.X, design.x_offset, design.s
    if not design.fit_intercept:
        return X.dot, X.T.dot
    return (lambda v: X @ v - s * (mu @ v)), (lambda r: X.T @ r - mu * (s @ r))


def _solve_sparse_cg(design, alphas, *, max_iter, tol, **_):
    """Conjugate gradients on the normal (n >= p) or kernel (n < p) equations, per target.

    As scikit-learn's (same operators and stopping rule ``rtol=tol``), with ``max_iter`` applied
    to the kernel equations too (scikit-learn ignores it there).
    """
    mv, rmv = _products(design)
    Y = design.yc.reshape(design.yc.shape[0], -1)
    n_samples, n_features = design.X.shape
    coef = np.empty((Y.shape[1], n_features), dtype=design.dtype)
    kernel = n_features > n_samples
    m = n_samples if kernel else n_features
    for t, a in enumerate(alphas):
        if kernel:
            op = sp_linalg.LinearOperator(
                (m, m), matvec=lambda v, a=a: mv(rmv(v)) + a * v, dtype=design.dtype
            )
            dual, info = sp_linalg.cg(op, Y[:, t], rtol=tol, maxiter=max_iter)
            coef[t] = rmv(dual)
        else:
            op = sp_linalg.LinearOperator(
                (m, m), matvec=lambda v, a=a: rmv(mv(v)) + a * v, dtype=design.dtype
            )
            coef[t], info = sp_linalg.cg(op, rmv(Y[:, t]), rtol=tol, maxiter=max_iter)
        if info < 0:
            raise ValueError(f"Failed with error code {info}")
    return coef, None, "sparse_cg"


def _solve_lsqr(design, alphas, *, max_iter, tol, **_):
    """``scipy.sparse.linalg.lsqr`` with damp = sqrt(alpha), per target (atol = btol = tol)."""
    mv, rmv = _products(design)
    Xop = sp_linalg.LinearOperator(design.X.shape, matvec=mv, rmatvec=rmv, dtype=design.dtype)
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
class Ridge(MultiOutputMixin, RegressorMixin, LinearPredictorMixin, CachedParamChecks,
            BaseEstimator):
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
    solver : {'auto', 'svd', 'cholesky', 'lsqr', 'sparse_cg', 'sag', 'saga', 'lbfgs'}, \
default='auto'
        ``'auto'``: ``'cholesky'`` for dense X, ``'sparse_cg'`` for sparse X (as scikit-learn).
        ``'cholesky'``: the closed form (``syrk`` + ``potrf`` + ``potrs``, primal or dual by
        shape); it also fits an intercept on sparse X (sparse ``X^T X`` or ``X X^T``).  If the
        factorization fails or is ill-conditioned (rcond < eps) it warns and uses the SVD (a
        pseudo-inverse for sparse X).  ``'svd'``: SVD of the centred X, dense only.
        ``'lsqr'``, ``'sparse_cg'``: SciPy's iterative solvers.  ``'sag'``, ``'saga'``:
        scikit-learn's stochastic solvers of the same objective, which fastreg solves as
        ``'auto'`` does instead (exactly on dense X; ``solver_`` names the solver used).
        ``'lbfgs'``: only with ``positive=True``, as in scikit-learn.
    positive : bool, default=False
        Force non-negative coefficients: solved by fastreg's coordinate-descent kernel with the
        L2 term alone (solver 'auto' or 'lbfgs' only, as in scikit-learn; ``solver_`` then reads
        ``"coordinate_descent"``), stopping when the duality gap of the halved objective is at
        most ``tol * ||y - mean(y)||^2``.
    random_state : int, RandomState instance or None, default=None
        Unused (fastreg's solvers are deterministic; kept for compatibility with
        scikit-learn's ``'sag'``/``'saga'``).

    Attributes
    ----------
    coef_ : ndarray of shape (n_features,) or (n_targets, n_features)
        Weight vector(s), in X's dtype (float32 is kept).
    intercept_ : float or ndarray of shape (n_targets,)
        Independent term; ``0.0`` if ``fit_intercept=False``.
    n_iter_ : None or ndarray of shape (n_targets,)
        Iterations per target for ``'lsqr'``; ones for ``'sag'``/``'saga'`` (solved by the
        ``'auto'`` solver, one solve per target); None for the other solvers.
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
        "solver": [StrOptions(set(_SOLVER_NAMES))],
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
        if self.solver == "lbfgs" and not self.positive:  # scikit-learn's rule and words
            raise ValueError("'lbfgs' solver can be used only when positive=True. Please use "
                             "another solver.")
        if self.positive:
            if self.solver not in ("auto", "lbfgs"):
                raise ValueError(
                    f"solver='{self.solver}' does not support positive fitting. Please set the "
                    "solver to 'auto' or 'lbfgs', or set `positive=False`"
                )
            return  # non-negative Ridge runs fastreg's coordinate descent
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
        X, y = validate_X_y(self, X, y, order=None, accept_large_sparse=True)
        sample_weight = check_sample_weight(sample_weight, X)
        n_targets = 1 if y.ndim == 1 else y.shape[1]
        alphas = _check_alpha(self.alpha, n_targets, X.dtype)
        design = preprocess(X, y, fit_intercept=self.fit_intercept, sample_weight=sample_weight)
        # X (design.X) may be centred in place if the user allows it or it is our own copy
        may_overwrite = not self.copy_X or design.has_sw or _own_copy(X, X_in)
        if self.positive:  # the coordinate-descent kernel with the L2 term alone
            coef, self.n_iter_ = solve_ridge_positive(
                design, alphas, tol=self.tol,
                max_iter=1000 if self.max_iter is None else self.max_iter)
            self.solver_ = "coordinate_descent"
        else:
            solve = _SOLVERS[_resolve_solver(self.solver, X)]
            coef, self.n_iter_, self.solver_ = solve(
                design, alphas, may_overwrite=may_overwrite, max_iter=self.max_iter,
                tol=self.tol
            )
        if self.solver in ("sag", "saga") and self.n_iter_ is None:
            # scikit-learn's stochastic solvers report iterations per target: one direct solve
            self.n_iter_ = np.ones(n_targets, dtype=np.int32)
        if n_targets == 1:
            coef = coef.ravel()
        self.coef_ = coef
        # scikit-learn sets a plain 0.0 without an intercept, whatever the number of targets
        self.intercept_ = intercept_from(design, coef) if self.fit_intercept else 0.0
        return self

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.sparse = self.solver != "svd"
        return tags
