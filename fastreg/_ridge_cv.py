"""RidgeCV: ridge regression with ``alpha`` chosen by cross-validation (scikit-learn's drop-in).

Every fit works on the centred, weighted problem of :mod:`fastreg._base`:
``Xc = diag(s) (X - 1 x_offset^T)``, ``yc = s (y - y_offset)``, ``s = sqrt(sample_weight)``.

``cv=None``: exact leave-one-out (LOO) errors for all alphas from ONE decomposition of ``Xc``.
The decomposition follows scikit-learn 1.9's ``gcv_mode`` rule (:func:`_gcv_mode`): ``'svd'`` on
dense X is the thin SVD of ``Xc``; otherwise the eigendecomposition of ``Xc Xc^T`` when
n_samples <= n_features (``gram``) or of ``Xc^T Xc`` (``cov``).  With ``W`` the n x r basis of the
decomposition and ``g(a)`` a per-eigenvalue weight, two forms of the LOO error ``e_i(a)`` follow:

* hat form (``cov``: ``Xc^T Xc = V diag(lam) V^T``, ``W = Xc V``, ``g = 1/(lam + a)``; long
  ``svd``: ``W = U``, ``g = S^2/(S^2 + a)``).  ``W diag(g) W^T`` is the centred hat matrix ``H``;
  the intercept (direction ``s``, never penalised) adds ``s s^T / sum(sw)``, and ``Xc^T s = 0``::

      e_i = (yc_i - [H yc]_i) / (1 - H_ii - s_i^2 / sum(sw))

* resolvent form (``gram``: ``Xc Xc^T = Q diag(lam) Q^T``, ``W = Q``, ``g = 1/(lam + a)``; wide
  ``svd``: ``W = U``, ``g = a/(S^2 + a)``).  ``W diag(g) W^T = c (Xc Xc^T + a I)^{-1}``
  (c = 1 or a), which stays accurate as ``a -> 0`` where ``1 - H_ii`` would cancel::

      e_i = [R yc]_i / (R_ii - s_i [R s]_i / sum(sw)),   R = W diag(g) W^T

  The intercept's terms there cancel the null direction ``s`` of ``Xc Xc^T`` (weighted ``1/a``)
  exactly; cancelled in floating point they take every digit as ``a -> 0``.  So the
  decomposition is taken on the complement of ``s`` instead: a Householder reflection ``H``
  maps ``s`` to a multiple of ``e_0``, ``H Xc Xc^T H`` has a zero first row and column, and
  ``W = H [0; Q1]`` from the rest, leaving ``e_i = [R yc]_i / R_ii``.  (Dropping the one
  eigenvector closest to ``s`` is not enough: with zero weights, duplicated rows or rank below
  n - 1 the null space has more dimensions and ``s`` is spread over its basis.)

For all alphas at once the diagonals are ONE product ``(W * W) @ G`` and the fitted values ONE
product ``W @ (G * z)`` (``G`` of shape (r, n_alphas), ``z = W^T yc``), by blocks of rows; in
``cov`` mode ``W`` is formed block by block (``Xc[rows] @ V``) and never held whole.  Scores,
``cv_results_``, ``best_score_`` and ``alpha_`` then follow scikit-learn's ``_RidgeGCV``
(squared LOO errors in the weighted space, or a scorer on predictions in the original space).
Cost in ``cov`` mode: ``syrk`` (n p^2 flops) + ``eigh`` (p x p) + ``Xc V`` (2 n p^2) + the two
products (4 n p n_alphas, or 4 n p k once the weights are factored at their numerical rank k,
typically 7-20 for 100 alphas: :func:`_low_rank_weights`): on tall X the ``Xc V`` product alone
is twice the ``syrk``, so a fit costs ~3x one decomposition there and ~1.3x when n < p
(``gram``: n^2 p + n^3 + 4 n^2 n_alphas).
All BLAS/LAPACK calls go through NumPy (one OpenBLAS, no switching between libraries).

``cv`` given: folds from ``sklearn.model_selection.check_cv``; per fold one decomposition (``cov``
or ``gram`` by shape) gives the coefficients of every alpha, the held-out predictions are one
product, and fold scores are averaged and compared as ``GridSearchCV`` does; the chosen alpha is
refitted on all data.

Everything is computed in float64 (as scikit-learn does: the LOO denominators cancel digits);
float32 input gives float32 ``coef_``/``intercept_``/``cv_results_``.  Sparse X is never
densified: ``X^T X`` / ``X X^T`` are sparse products corrected for centring by rank-one terms.
"""
import numbers
import traceback
import warnings
from collections import namedtuple
from numbers import Real

import numpy as np
import scipy.sparse as sp
from sklearn.base import BaseEstimator, MultiOutputMixin, RegressorMixin
from sklearn.metrics import check_scoring, get_scorer, get_scorer_names
from sklearn.model_selection import check_cv
from sklearn.utils import check_scalar

from fastreg._base import (
    CachedParamChecks,
    Interval,
    LinearPredictorMixin,
    StrOptions,
    _fit_context,
    _safe_indexing,
    check_sample_weight,
    indexable,
    preprocess,
    scorer_accepts_sample_weight,
    validate_X_y,
)
from fastreg._ridge import Ridge

__all__ = ["RidgeCV"]

# Elements of the n x r basis W per block of rows: 1 MB of float64 for dense X (a block of
# ``Xc[rows] @ V`` stays in cache while it is squared and read by both products: tall RidgeCV
# 10000 x 300, 100 alphas, 77 -> 69 ms against 16 MB blocks), 16 MB for sparse X (fewer
# sparse slices).
_BLOCK_ELEMENTS = 1 << 17
_SPARSE_BLOCK_ELEMENTS = 1 << 21
# Columns of V per sparse-times-dense product (keeps the block of V in cache: ~5x faster).
_SPARSE_COLS = 256
# Factor the LOO weights (``_low_rank_weights``) from this many alphas and basis vectors on
# (diabetes, 442 x 10: 0.230 ms, 0.265 with an SVD whose rank could not pay), with at least
# _LOW_RANK_ROWS samples per alpha or basis vector (whichever is fewer), when their rank is at
# most 1/_LOW_RANK_GAIN of the number of alphas and of the basis size.  Measured, RidgeCV with
# 100 alphas, factored / direct: 800 x 100 2.03 / 1.90 ms, 1500 x 100 2.78 / 2.97, 600 x 300
# 12.5 / 12.3, 1000 x 300 15.3 / 16.0, 3000 x 300 25.0 / 28.5.
_LOW_RANK_MIN_SIZE = 16
_LOW_RANK_ROWS = 10
_LOW_RANK_GAIN = 4
# Rows whose LOO denominator falls below this at some alpha are recomputed from the weights
# themselves (``_direct_rows``): there the factors' ~1e-14 error in the leverage would cost
# more than 1e-11 of the LOO error.
_LOW_RANK_MIN_DENOMINATOR = 1e-3


def _gcv_mode(X, gcv_mode):
    """scikit-learn 1.9's choice: 'svd' (dense X, on request), else 'gram' (n <= p) or 'cov'."""
    if gcv_mode == "svd":
        if not sp.issparse(X):
            return "svd"
        warnings.warn(
            "gcv_mode='svd' needs dense X; this sparse X uses gcv_mode='eigen' instead. "
            "scikit-learn will raise an error here from version 1.11: pass gcv_mode='eigen' "
            "(or leave the default) to silence this warning.",
            FutureWarning,
        )
    n_samples, n_features = X.shape
    return "gram" if n_samples <= n_features else "cov"


class _Spectrum:
    """One decomposition of ``Xc``: basis ``W`` (by row blocks), weights ``g(a)``, coefficients.

    ``kind`` is 'cov', 'gram', 'svd_long' or 'svd_wide'; ``resolvent`` tells which LOO form the
    basis serves (module docstring).  ``z = W^T yc`` of shape (r, n_targets).
    """

    def __init__(self, design, kind, owned):
        self.design = design
        self.kind = kind
        X, s, xo = design.X, design.s, design.x_offset
        center = design.fit_intercept
        self.sparse = sp.issparse(X)
        Y = design.yc.reshape(X.shape[0], -1)
        if self.sparse:
            self.X = X.tocsr() if kind == "cov" else X
        else:
            self.X = _centre_dense(X, s, xo, center, design.has_sw, owned)
        Xc = self.X
        if kind == "cov":
            if self.sparse:
                C = _dense(Xc.T @ Xc)
                if center:  # Xc^T Xc = X^T X - sum(sw) mu mu^T   (X^T s = sum(sw) mu)
                    C -= design.sw_sum * np.outer(xo, xo)
            else:
                C = Xc.T @ Xc  # syrk
            self.lam, self.V = np.linalg.eigh(C)
            self.z = self.V.T @ self._xt_dot(Y)
        elif kind == "gram":
            if self.sparse:
                K = _dense(Xc @ Xc.T)
                if center:  # (X - s mu^T)(X - s mu^T)^T, rank-two correction
                    u = np.asarray(Xc @ xo).ravel()
                    K -= np.outer(u, s)
                    K -= np.outer(s, u)
                    K += (xo @ xo) * np.outer(s, s)
            else:
                K = Xc @ Xc.T  # syrk
            if center:  # decompose K on the complement of s (H s ~ e_0, H K H = [0 0; 0 K1])
                v, beta = _householder(s)
                K = _reflect(_reflect(K, v, beta).T, v, beta)[1:, 1:]
                self.lam, Q1 = np.linalg.eigh(K)
                self.W = _lift(Q1, v, beta)
            else:
                self.lam, self.W = np.linalg.eigh(K)
            self.z = self.W.T @ Y
        else:  # thin SVD of the explicitly centred dense X
            if center and kind == "svd_wide":
                v, beta = _householder(s)
                U1, self.S, Vt = np.linalg.svd(_reflect(Xc, v, beta)[1:], full_matrices=False)
                self.W = _lift(U1, v, beta)
            else:
                self.W, self.S, Vt = np.linalg.svd(Xc, full_matrices=False)
            self.V = Vt.T
            self.lam = self.S**2
            self.z = self.W.T @ Y
        self.resolvent = kind in ("gram", "svd_wide")

    def _xt_dot(self, A):
        """``Xc^T A`` for A of shape (n, k)."""
        d = self.design
        out = np.asarray(self.X.T @ A)
        if self.sparse and d.fit_intercept:
            out -= np.outer(d.x_offset, d.s @ A)
        return out

    def weights(self, alphas):
        """``g(a)`` for every alpha, shape (r, n_alphas)."""
        lam, a = self.lam[:, None], np.asarray(alphas, dtype=np.float64)[None, :]
        if self.kind == "svd_long":
            return lam / (lam + a)
        if self.kind == "svd_wide":
            return a / (lam + a)
        return 1.0 / (lam + a)

    def row_blocks(self, width):
        """Yield ``(rows, parts)`` over blocks of rows; ``parts`` yields ``(cols, W[rows, cols])``.

        Blocks hold about ``_BLOCK_ELEMENTS`` (sparse X: ``_SPARSE_BLOCK_ELEMENTS``) values of W
        and of the caller's ``width`` outputs.

        One part (all columns) except for sparse X in cov mode, where ``W = Xc V`` is formed
        by blocks of columns: ``[X, -s] @ [V; mu^T V]`` keeps a block of V in cache and the
        centring inside the sparse product.
        """
        n, r = self.X.shape[0], self.lam.shape[0]
        if self.kind == "cov" and self.sparse:
            step = max(1, min(n, _SPARSE_BLOCK_ELEMENTS // max(_SPARSE_COLS, width)))
            X, V = self.X, self.V
            if self.design.fit_intercept:
                X = sp.hstack([X, -self.design.s[:, None]], format="csr")
                V = np.vstack([V, self.design.x_offset @ V])
            V_cols = [(slice(j, j + _SPARSE_COLS), np.ascontiguousarray(V[:, j:j + _SPARSE_COLS]))
                      for j in range(0, r, _SPARSE_COLS)]
            for i in range(0, n, step):
                Xb = X[i:i + step]
                yield slice(i, min(i + step, n)), ((cols, Xb @ Vj) for cols, Vj in V_cols)
            return
        step = max(1, min(n, _BLOCK_ELEMENTS // max(r, width, 1)))
        for i in range(0, n, step):
            rows = slice(i, min(i + step, n))
            yield rows, [(slice(None), self.basis_rows(rows))]

    def basis_rows(self, idx):
        """``W[idx]`` (rows of the basis, ``idx`` a slice or indices); in ``cov`` mode formed
        here as ``Xc[idx] @ V``."""
        if self.kind != "cov":
            return self.W[idx]
        W = np.asarray(self.X[idx] @ self.V)
        if self.sparse and self.design.fit_intercept:
            W -= np.outer(self.design.s[idx], self.design.x_offset @ self.V)
        return W

    def coefs(self, alphas):
        """Coefficients for alphas of shape (n_targets, k): array of shape (p, n_targets, k).

        ``alpha == 0`` (allowed with ``cv`` given) gives the minimum-norm least-squares solution
        (eigenvalues below ``eps * size * max`` dropped), as scikit-learn's fallback does.
        """
        A = np.asarray(alphas, dtype=np.float64)
        lam = self.lam[:, None, None]
        t, k = A.shape
        with np.errstate(divide="ignore", invalid="ignore"):
            if self.kind.startswith("svd"):
                w = self.S[:, None, None] / (lam + A)
            else:
                w = 1.0 / (lam + A)
        if np.any(A == 0):
            tol = np.finfo(np.float64).eps * max(self.X.shape) * max(self.lam.max(initial=0), 0)
            small = (self.lam <= tol)[:, None, None] & (A == 0)[None]
            w = np.where(small, 0.0, w)
        B = (w * self.z[:, :, None]).reshape(w.shape[0], t * k)
        if self.kind == "gram":
            coef = self._xt_dot(self.W @ B)  # Xc^T (Xc Xc^T + a I)^{-1} yc
        else:
            coef = self.V @ B
        return coef.reshape(-1, t, k)


def _householder(s):
    """``(v, beta)`` of the reflection ``H = I - beta v v^T`` with ``H s = -+||s|| e_0``."""
    v = s / np.linalg.norm(s)
    v[0] += np.copysign(1.0, v[0])
    return v, 2.0 / (v @ v)


def _reflect(A, v, beta):
    """``H @ A`` for A of shape (n, k), H from :func:`_householder`."""
    return A - beta * np.outer(v, v @ A)


def _lift(Q1, v, beta):
    """``H [0; Q1]``: a basis of the reflected complement of ``e_0`` back in row space, i.e.
    orthonormal columns orthogonal to ``s``."""
    return _reflect(np.vstack([np.zeros((1, Q1.shape[1])), Q1]), v, beta)


def _dense(M):
    return M.toarray() if sp.issparse(M) else np.asarray(M)


def _centre_dense(X, s, x_offset, center, has_sw, owned):
    """``Xc`` as an explicit array: in place when ``owned``, else one new array (never X itself
    modified).  Explicit centring (as scikit-learn) keeps the small-alpha LOO digits."""
    if not center:
        return X
    if not owned:
        return np.subtract(X, np.outer(s, x_offset) if has_sw else x_offset)
    if not has_sw:
        X -= x_offset
    else:
        for j in range(0, X.shape[1], 64):  # bounded temporaries
            X[:, j:j + 64] -= np.outer(s, x_offset[j:j + 64])
    return X


def _low_rank_weights(G, n_samples):
    """``G ~ L @ Rt`` (shapes (r, k), (k, m)) when that saves most of the per-alpha products.

    In the hat form (rows of ``g(a) = 1/(lam + a)`` or ``lam/(lam + a)`` over a grid of
    alphas) the rows are smooth in ``a`` and ``G`` is numerically of very low rank (a Cauchy-like
    matrix: rank 7-18 at 1e-15 for 100 alphas over 6-20 decades).  Scaled to a maximum of 1 per
    row, each kept singular triplet is exact to working precision and each dropped one is below
    ``eps`` times the largest; the leverages ``sum_j W_ij^2 g_j(a)`` then move by at most that
    much times the largest one (``sum_j W_ij^2 max_a g_j(a)`` is the leverage at the smallest
    alpha, <= 1): about eps sqrt(r m), against eps sqrt(r) for the rounding of the direct sum
    over r terms.  That matters only where ``1 - H_ii`` is small, so the caller recomputes
    those rows directly.  Returns None when the SVD would cost more than it saves (fewer than
    16 alphas or basis vectors, ``_LOW_RANK_MIN_SIZE``, or fewer than ``_LOW_RANK_ROWS`` x
    min(r, m) rows: RidgeCV on diabetes-poly3, 442 x 285 with 100 alphas, took 10.4 ms factored
    against 8.9), when the rank is not small against the number of alphas, or when G is not
    finite (an alpha below the smallest normal number on a zero eigenvalue); then G is used
    as it is.
    """
    r, m = G.shape
    if min(r, m) < _LOW_RANK_MIN_SIZE or n_samples < _LOW_RANK_ROWS * min(r, m):
        return None
    if not np.isfinite(G).all():
        return None
    d = np.abs(G).max(axis=1)
    d[d == 0] = 1.0
    U, S, Vt = np.linalg.svd(G / d[:, None], full_matrices=False)
    k = int(np.count_nonzero(S > np.finfo(np.float64).eps * S[0]))
    if k == 0 or _LOW_RANK_GAIN * k > min(r, m):
        return None
    return (d[:, None] * U[:, :k]) * S[:k], np.ascontiguousarray(Vt[:k])


def _loo_errors(spec, alphas, out=None):
    """Sum over samples of the squared LOO errors, shape (n_targets, n_alphas).

    ``out`` (n_samples, n_targets, n_alphas), if given, receives the LOO errors themselves
    (weighted space).  All alphas go through two matrix products per block of rows; in the hat
    form, through the low-rank factors of the weights when they have some
    (:func:`_low_rank_weights`), so those products cost ``n r k`` instead of ``n r n_alphas``.
    """
    d = spec.design
    Y = d.yc.reshape(d.yc.shape[0], -1)
    t, m = Y.shape[1], len(alphas)
    G = spec.weights(alphas)
    # the resolvent form's entries reach 1/a: a truncation relative to the largest would
    # cost the large alphas their digits, so only the hat form (entries <= 1/lam) is factored
    factors = None if spec.resolvent else _low_rank_weights(G, Y.shape[0])
    B = (spec.z[:, :, None] * G[:, None, :]).reshape(G.shape[0], t * m)
    L, Rt, BL = G, None, B
    if factors is not None:
        L, Rt = factors
        BL = (spec.z[:, :, None] * L[:, None, :]).reshape(L.shape[0], -1)
    k = L.shape[1]
    s2 = d.s**2 / d.sw_sum if d.fit_intercept else None
    sumsq = np.zeros((t, m))
    for rows, parts in spec.row_blocks(width=BL.shape[1] + k):
        den = P = None
        for cols, Wp in parts:  # diagonal of W diag(g) W^T and W @ B, every alpha
            if den is None:
                den, P = np.square(Wp) @ L[cols], Wp @ BL[cols]
            else:
                den += np.square(Wp) @ L[cols]
                P += Wp @ BL[cols]
        b = den.shape[0]
        if Rt is not None:  # back from the k factors to the m alphas
            den, P = den @ Rt, (P.reshape(b * t, k) @ Rt).reshape(b, t * m)
        num = P.reshape(b, t, m)
        if not spec.resolvent:
            np.subtract(1.0, den, out=den)
            if s2 is not None:
                den -= s2[rows, None]
            if Rt is not None:
                _direct_rows(spec, rows, den, num, G, B, s2)
            np.subtract(Y[rows, :, None], num, out=num)
        num /= den[:, None, :]
        sumsq += np.einsum("btm,btm->tm", num, num)
        if out is not None:
            out[rows] = num
    return sumsq


def _direct_rows(spec, rows, den, num, G, B, s2):
    """Hat form, factored weights: recompute from ``G`` and ``B`` themselves the rows of the
    block ``rows`` whose LOO denominator ``1 - H_ii - s_i^2 / sum(sw)`` falls below
    ``_LOW_RANK_MIN_DENOMINATOR`` at some alpha (the factors' error, ~eps sqrt(r m) in
    ``H_ii``, divided by it would cost digits the direct sum keeps); in place."""
    bad = np.flatnonzero(den.min(axis=1) < _LOW_RANK_MIN_DENOMINATOR)
    if not bad.size:
        return
    idx = np.arange(rows.start, rows.stop)[bad]
    Wb = spec.basis_rows(idx)
    den[bad] = 1.0 - np.square(Wb) @ G
    if s2 is not None:
        den[bad] -= s2[idx, None]
    num[bad] = (Wb @ B).reshape(bad.size, *num.shape[1:])


#: One held-out fold: validated X and y, y as (n, n_targets), the score weights (or None), and
#: the fold of the user's own X and y (a DataFrame stays one), which callable scorers get.
_Fold = namedtuple("_Fold", "X y Y sw X_user y_user")


def _float32_input(X):
    """Whether the user's X is float32 (an array's dtype, or every column of a DataFrame):
    RidgeCV computes in double and returns float32 coefficients for it, as scikit-learn."""
    dtypes = getattr(X, "dtypes", None)  # pandas
    if dtypes is not None and not isinstance(dtypes, np.dtype):
        return len(dtypes) > 0 and all(dt == np.float32 for dt in dtypes)
    return getattr(X, "dtype", None) == np.float32


class _Predictions(RegressorMixin, BaseEstimator):
    """A stand-in model whose input *is* its prediction, to call a scorer on precomputed values."""

    def predict(self, X):
        return X


def _r2_all(Y, P, sw=None):
    """``r2_score`` (uniform average over targets, optional weights) of predictions P (n, t, k)
    for every k at once; returns shape (k,)."""
    w = np.ones(Y.shape[0]) if sw is None else sw
    R = Y[:, :, None] - P
    sse = np.einsum("n,ntk,ntk->tk", w, R, R)
    sst = (w[:, None] * (Y - np.average(Y, axis=0, weights=w)) ** 2).sum(axis=0)[:, None]
    with np.errstate(divide="ignore", invalid="ignore"):
        r2 = np.where(sst != 0, 1.0 - sse / sst, np.where(sse == 0, 1.0, 0.0))
    return r2.mean(axis=0)


def _first_best(scores):
    """Index of the best mean score as GridSearchCV ranks it: NaN last, ties to the first."""
    scores = np.asarray(scores, dtype=np.float64)
    if np.all(np.isnan(scores)):
        return 0
    return int(np.argmax(np.where(np.isnan(scores), -np.inf, scores)))


class RidgeCV(MultiOutputMixin, RegressorMixin, LinearPredictorMixin, CachedParamChecks,
              BaseEstimator):
    """Ridge regression with built-in cross-validation of ``alpha``.

    Minimises, for the chosen ``alpha`` and every target ``y_t``::

        sum_i sw_i (y_it - x_i^T w_t - b_t)^2 + alpha ||w_t||^2

    By default (``cv=None``) ``alpha`` is chosen by exact leave-one-out cross-validation computed
    for every alpha from one spectral decomposition (see the module docstring); the intercept
    ``b_t`` is not penalised.

    Parameters
    ----------
    alphas : array-like of shape (n_alphas,), default=(0.1, 1.0, 10.0)
        Values of the regularization strength to try; strictly positive when ``cv=None``.
    fit_intercept : bool, default=True
        Whether to fit an (unpenalised) intercept.
    scoring : str, callable or None, default=None
        Scorer name or callable ``scorer(estimator, X, y)``.  ``None``: negative mean squared
        (weighted) LOO error with ``cv=None``, R^2 on the held-out folds otherwise.
    cv : int, cross-validation generator, iterable or None, default=None
        ``None`` for efficient leave-one-out; otherwise as for ``check_cv`` (an int is KFold).
    gcv_mode : {'auto', 'svd', 'eigen'} or None, default=None
        Decomposition for ``cv=None``: ``'svd'`` uses the SVD of X (dense X only; sparse X falls
        back to ``'eigen'`` with a FutureWarning); otherwise the eigendecomposition of
        ``X X^T`` (n_samples <= n_features) or ``X^T X``.
    store_cv_results : bool, default=False
        Keep the LOO values of every alpha in ``cv_results_`` (``cv=None`` only).
    alpha_per_target : bool, default=False
        Choose one alpha per target (``cv=None`` only).

    Attributes
    ----------
    cv_results_ : ndarray of shape (n_samples, n_alphas) or (n_samples, n_targets, n_alphas)
        Squared LOO errors (``scoring=None``, weighted space) or LOO predictions.
    coef_ : ndarray of shape (n_features,) or (n_targets, n_features)
        Weight vector(s), in X's dtype (float32 is kept).
    intercept_ : float or ndarray of shape (n_targets,)
        Independent term; 0.0 when ``fit_intercept=False``.
    alpha_ : float or ndarray of shape (n_targets,)
        The chosen alpha (per target with ``alpha_per_target=True``).
    best_score_ : float or ndarray of shape (n_targets,)
        Cross-validation score of the chosen alpha.
    n_features_in_ : int
        Number of features seen during fit.
    feature_names_in_ : ndarray of shape (n_features_in_,)
        Feature names seen during fit, when X has string column names.

    Examples
    --------
    >>> import numpy as np
    >>> from fastreg._ridge_cv import RidgeCV
    >>> rng = np.random.default_rng(0)
    >>> X = rng.standard_normal((50, 4))
    >>> y = X @ np.array([1.0, 2.0, 0.0, -1.0]) + 0.1 * rng.standard_normal(50)
    >>> model = RidgeCV(alphas=np.logspace(-3, 3, 13)).fit(X, y)
    >>> bool(model.alpha_ <= 1.0), model.coef_.shape
    (True, (4,))
    """

    _parameter_constraints: dict = {
        "alphas": ["array-like", Interval(Real, 0, None, closed="neither")],
        "fit_intercept": ["boolean"],
        "scoring": [StrOptions(set(get_scorer_names())), callable, None],
        "cv": ["cv_object"],
        "gcv_mode": [StrOptions({"auto", "svd", "eigen"}), None],
        "store_cv_results": ["boolean"],
        "alpha_per_target": ["boolean"],
    }

    def __init__(self, alphas=(0.1, 1.0, 10.0), *, fit_intercept=True, scoring=None, cv=None,
                 gcv_mode=None, store_cv_results=False, alpha_per_target=False):
        self.alphas = alphas
        self.fit_intercept = fit_intercept
        self.scoring = scoring
        self.cv = cv
        self.gcv_mode = gcv_mode
        self.store_cv_results = store_cv_results
        self.alpha_per_target = alpha_per_target

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.sparse = True
        return tags

    def _checked_alphas(self):
        """alphas as a 1-D float64 array; each > 0 (cv=None) or >= 0, checked as given."""
        raw = self.alphas
        if np.ndim(raw) > 1:
            raise ValueError(f"alphas must be 1-D, got an array of shape {np.shape(raw)}.")
        if np.ndim(raw) == 1:
            if len(raw) == 0:
                raise ValueError("alphas is empty; give at least one value of alpha to try.")
            bound = "neither" if self.cv is None else "left"
            values = np.asarray(raw)
            lowest = values.min() if values.dtype.kind in "fiu" else np.nan
            if lowest > 0 or (lowest == 0 and self.cv is not None):
                return values.astype(np.float64)  # all valid: skip the per-value messages
            for i, a in enumerate(raw):
                check_scalar(a, "alphas" if len(raw) == 1 else f"alphas[{i}]", numbers.Real,
                             min_val=0.0, include_boundaries=bound)
        return np.atleast_1d(np.asarray(raw, dtype=np.float64))

    @_fit_context(prefer_skip_nested_validation=True)
    def fit(self, X, y, sample_weight=None, **params):
        """Fit the ridge model, choosing alpha by cross-validation.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            Training data (never densified when sparse).
        y : array-like of shape (n_samples,) or (n_samples, n_targets)
            Target values.
        sample_weight : float or array-like of shape (n_samples,), default=None
            Sample weights.  With ``cv=None`` they weight the LOO errors (and are passed to a
            scorer); with ``cv`` given they weight the fits and, as ``GridSearchCV`` does, the
            held-out scores when the scorer accepts them.
        **params : dict
            Metadata routing is not supported: any extra parameter raises a ValueError.

        Returns
        -------
        self : object
            Fitted estimator.
        """
        if params:
            raise ValueError(
                f"RidgeCV.fit got unexpected parameters {sorted(params)}; fastreg's RidgeCV "
                "does not route metadata. Pass sample_weight only, or use scikit-learn's RidgeCV "
                "with enable_metadata_routing=True.")
        alphas = self._checked_alphas()
        for flag in ("store_cv_results", "alpha_per_target"):
            if self.cv is not None and getattr(self, flag):
                cv = self.cv if isinstance(self.cv, numbers.Integral) else type(self.cv).__name__
                raise ValueError(f"{flag}=True needs leave-one-out (cv=None), got cv={cv}. "
                                 f"Set cv=None or {flag}=False.")
        # callable scorers get folds of these, made indexable (sparse as CSR) as GridSearchCV
        # does; only they need them
        user_data = indexable(X, y) if callable(self.scoring) else None
        # float32 coefficients for float32 X, as scikit-learn: its leave-one-out keeps them
        # for arrays only, its refit with cv (a Ridge) for float32 DataFrames too
        if self.cv is not None:
            float32 = _float32_input(X)
        else:
            float32 = getattr(X, "dtype", None) == np.float32
        out_dtype = np.float32 if float32 else np.float64
        owned = False
        if out_dtype == np.float32 and hasattr(X, "astype"):
            # compute in float64 (as scikit-learn) and keep y's own precision; the converted
            # array is ours to overwrite (a DataFrame's may come back as a read-only view)
            X = X.astype(np.float64)
            owned = isinstance(X, np.ndarray) or sp.issparse(X)
        X, y = validate_X_y(self, X, y, accept_sparse=("csr", "csc"), order=None,
                            accept_large_sparse=True)
        sw = check_sample_weight(sample_weight, X)
        scorer = check_scoring(self, scoring=self.scoring, allow_none=True)
        if self.cv is None:
            self._fit_loo(X, y, sw, alphas, None if self.scoring is None else scorer, owned)
        else:
            self._fit_folds(X, y, sw, alphas, None if self.scoring is None else scorer, owned,
                            user_data, out_dtype)
        self.coef_ = self.coef_.astype(out_dtype, copy=False)
        if type(self.intercept_) is not float:  # 0.0 without intercept stays a Python float
            self.intercept_ = np.asarray(self.intercept_, dtype=out_dtype)[()]
        if self.store_cv_results:
            self.cv_results_ = self.cv_results_.astype(out_dtype, copy=False)
        return self

    def _set_coef(self, design, coef, y):
        """coef_ (ravelled for one target) and intercept_ from coef of shape (p, n_targets)."""
        self.coef_ = coef.T
        if y.ndim == 1 or y.shape[1] == 1:
            self.coef_ = self.coef_.ravel()
        if not self.fit_intercept:
            self.intercept_ = 0.0
        else:
            self.intercept_ = design.y_offset - self.coef_ @ design.x_offset

    def _fit_loo(self, X, y, sw, alphas, scorer, owned):
        mode = _gcv_mode(X, self.gcv_mode)
        design = preprocess(X, y, fit_intercept=self.fit_intercept, sample_weight=sw)
        n, p = X.shape
        if mode == "svd":
            mode = "svd_long" if n > p else "svd_wide"
        spec = _Spectrum(design, mode, owned=owned or design.has_sw)
        t, m = spec.z.shape[1], alphas.size
        keep = self.store_cv_results or scorer is not None
        errors = np.empty((n, t, m)) if keep else None
        sumsq = _loo_errors(spec, alphas, errors)
        per_target = self.alpha_per_target

        if scorer is None:
            if per_target:
                scores = -sumsq.T / n  # (m, t)
                scores = scores[:, 0] if y.ndim == 1 else scores
            else:
                scores = -sumsq.sum(axis=0) / (n * t)
            if self.store_cv_results:
                results = np.square(errors, out=errors)
        else:
            Y = design.yc.reshape(n, t)
            results = np.subtract(Y[:, :, None], errors, out=errors)  # LOO predictions
            if design.has_sw:
                results /= design.s[:, None, None]
            results += np.reshape(design.y_offset, (1, -1, 1))
            score_params = {} if sw is None else {"sample_weight": sw}
            identity = _Predictions()
            scores = []
            for j in range(m):
                pred = results[:, 0, j] if y.ndim == 1 else results[:, :, j]
                if per_target and y.ndim == 2:
                    scores.append([scorer(identity, pred[:, k], y[:, k], **score_params)
                                   for k in range(t)])
                else:
                    scores.append(scorer(identity, pred, y, **score_params))
            scores = np.asarray(scores, dtype=np.float64)
        if self.store_cv_results:
            self.cv_results_ = results[:, 0, :] if y.ndim == 1 else results

        # first strictly better score wins, in the order of alphas (per target if asked)
        if per_target and y.ndim == 2 and t > 1:
            best = scores[0].copy()
            chosen = np.zeros(t, dtype=int)
            for j in range(1, m):
                better = scores[j] > best
                best[better], chosen[better] = scores[j][better], j
            self.alpha_ = alphas[chosen]
            self.best_score_ = best
        else:
            chosen, best = 0, scores[0]
            for j in range(1, m):
                if scores[j] > best:
                    chosen, best = j, scores[j]
            self.alpha_ = float(alphas[chosen])
            self.best_score_ = np.float64(best) if np.ndim(best) == 0 else best
            chosen = np.full(t, chosen)
        coef = spec.coefs(alphas[chosen][:, None])[:, :, 0]
        self._set_coef(design, coef, y)

    def _fit_folds(self, X, y, sw, alphas, scorer, owned, user_data, out_dtype):
        cv = check_cv(self.cv, y, classifier=False)
        Xr = X.tocsr() if sp.issparse(X) else X  # row selection
        m, Y = alphas.size, y.reshape(y.shape[0], -1)
        t = Y.shape[1]
        # as GridSearchCV: held-out scores are weighted when the scorer accepts sample_weight
        score_sw = sw is not None and scorer_accepts_sample_weight(
            scorer if scorer is not None else check_scoring(self))
        if sw is not None and not score_sw:
            warnings.warn(f"The scoring {self.scoring!r} does not accept sample_weight: the "
                          "held-out scores are unweighted although the fits are weighted.",
                          UserWarning)
        fold_scores = []
        for train, test in cv.split(X, y):
            design = preprocess(Xr[train], y[train], fit_intercept=self.fit_intercept,
                                sample_weight=None if sw is None else sw[train])
            n_tr, p = design.X.shape
            spec = _Spectrum(design, "gram" if n_tr <= p else "cov", owned=True)
            coefs = spec.coefs(np.broadcast_to(alphas, (t, m)))  # (p, t, m)
            if self.fit_intercept:
                icpt = np.reshape(design.y_offset, (t, 1)) - np.einsum("p,ptm->tm",
                                                                       design.x_offset, coefs)
            else:
                icpt = np.zeros((t, m))
            X_test = Xr[test]
            P = np.asarray(X_test @ coefs.reshape(p, t * m)).reshape(-1, t, m) + icpt
            fold = _Fold(X_test, y[test], Y[test], sw[test] if score_sw else None,
                         *((None, None) if user_data is None else
                           (_safe_indexing(a, test) for a in user_data)))
            try:
                fold_scores.append(self._fold_scores(scorer, fold, P, alphas, coefs, icpt,
                                                     out_dtype))
            except Exception:  # GridSearchCV's error_score=np.nan: the fold scores NaN
                warnings.warn("Scoring failed. The score on this train-test partition for "
                              "these parameters will be set to nan. Details: \n"
                              f"{traceback.format_exc()}", UserWarning)
                fold_scores.append(np.full(m, np.nan))
        mean_scores = np.mean(fold_scores, axis=0)
        if not np.all(np.isfinite(mean_scores)):
            warnings.warn(f"One or more of the test scores are non-finite: {mean_scores}",
                          category=UserWarning)
        best = _first_best(mean_scores)
        self.alpha_ = alphas[best]
        self.best_score_ = np.float64(mean_scores[best])
        design = preprocess(X, y, fit_intercept=self.fit_intercept, sample_weight=sw)
        n, p = X.shape
        spec = _Spectrum(design, "gram" if n <= p else "cov", owned=owned or design.has_sw)
        coef = spec.coefs(np.full((t, 1), alphas[best]))[:, :, 0]
        self._set_coef(design, coef, y)

    def _fold_scores(self, scorer, fold, P, alphas, coefs, icpt, out_dtype):
        """Score of every alpha on one held-out fold, shape (n_alphas,)."""
        m = P.shape[2]
        kw = {} if fold.sw is None else {"sample_weight": fold.sw}
        if scorer is None and len(fold.y) >= 2:
            return _r2_all(fold.Y, P, fold.sw)
        if scorer is None or isinstance(self.scoring, str):
            scorer = scorer or get_scorer("r2")
            identity = _Predictions()
            return np.array([scorer(identity, P[:, 0, j] if fold.y.ndim == 1 else P[:, :, j],
                                    fold.y, **kw) for j in range(m)])
        scores = []
        for j in range(m):  # a callable scorer gets a fitted Ridge, as under GridSearchCV
            coef, b = coefs[:, :, j].T, icpt[:, j]
            if fold.Y.shape[1] == 1:  # as Ridge.fit: coef_ (p,) for y (n,) or (n, 1), and
                coef = coef.ravel()   # a scalar intercept_ for y (n,) only
            if fold.y.ndim == 1:
                b = b[0]
            model = self._fold_ridge(alphas[j], coef, b, sp.issparse(fold.X), out_dtype)
            scores.append(scorer(model, fold.X_user, fold.y_user, **kw))
        return np.asarray(scores, dtype=np.float64)

    def _fold_ridge(self, alpha, coef, intercept, sparse, dtype):
        """The fitted ``Ridge`` GridSearchCV would hand a scorer for one fold and alpha (the
        estimator scikit-learn's RidgeCV searches over: its parameters, with the solver scikit-
        learn picks for X's kind), holding the coefficients computed here (in X's dtype if
        float32, as Ridge.fit keeps it)."""
        solver = "sparse_cg" if sparse else "auto"
        model = Ridge(alpha=alpha, fit_intercept=self.fit_intercept, solver=solver)
        model.coef_ = coef.astype(dtype)
        model.intercept_ = np.asarray(intercept, dtype=dtype)[()] if self.fit_intercept else 0.0
        model.n_iter_ = None
        model.solver_ = "sparse_cg" if sparse else "cholesky"  # what 'auto' runs on dense X
        model.n_features_in_ = coef.shape[-1]
        if hasattr(self, "feature_names_in_"):
            model.feature_names_in_ = self.feature_names_in_
        return model

