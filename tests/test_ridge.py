"""Ridge: against scikit-learn and a float64 least-squares reference, robustness, bad input.

The reference solves the augmented least-squares problem [Xc; sqrt(alpha) I] w = [yc; 0] with
explicitly centred (and weighted) float64 data, so it is exact for rank-deficient X (minimum-norm
for alpha = 0) and free of the cancellation that implicit centring must avoid.
"""
import re
import warnings

import numpy as np
import pytest
import scipy.sparse as sp
from numpy.testing import assert_allclose, assert_array_equal
from scipy.linalg import LinAlgWarning
from sklearn.exceptions import NotFittedError
from sklearn.linear_model import Ridge as SkRidge

from fastreg._ridge import _LA, Ridge, _cholesky, _resolve_solver, _Singular

SOLVERS = ["auto", "cholesky", "svd", "lsqr", "sparse_cg"]
ITERATIVE = ("lsqr", "sparse_cg")


# ---------------------------------------------------------------------------------------------
# helpers
# ---------------------------------------------------------------------------------------------
def reference(X, y, alpha, sample_weight=None, fit_intercept=True, rcond=None):
    """Exact ridge solution in float64 (see the module docstring); (coef, intercept).

    ``rcond`` is lstsq's: raise it for alpha=0 when rounding in the centred data (huge means)
    leaves a singular value far above eps that should be zero."""
    X = np.asarray(X.toarray() if sp.issparse(X) else X, dtype=np.float64)
    y = np.asarray(y, dtype=np.float64)
    Y = y.reshape(len(y), -1)
    n, p = X.shape
    sw = np.ones(n) if sample_weight is None else np.asarray(sample_weight, np.float64)
    alphas = np.broadcast_to(np.asarray(alpha, np.float64).ravel(), (Y.shape[1],))
    x_mean = sw @ X / sw.sum() if fit_intercept else np.zeros(p)
    y_mean = sw @ Y / sw.sum() if fit_intercept else np.zeros(Y.shape[1])
    s = np.sqrt(sw)[:, None]
    Xc, Yc = (X - x_mean) * s, (Y - y_mean) * s
    coef = np.array([
        np.linalg.lstsq(np.vstack([Xc, np.sqrt(a) * np.eye(p)]),
                        np.concatenate([Yc[:, t], np.zeros(p)]), rcond=rcond)[0]
        for t, a in enumerate(alphas)
    ])
    intercept = y_mean - coef @ x_mean
    return (coef[0], intercept[0]) if y.ndim == 1 else (coef, intercept)


def rel_err(a, b):
    a, b = np.asarray(a, np.float64), np.asarray(b, np.float64)
    return np.linalg.norm(a - b) / max(np.linalg.norm(b), 1e-12)


def problem(n, p, *, layout="dense-C", dtype=np.float64, n_targets=None, seed=0):
    """Non-centred X (column means ~ 3) and y; sparse layouts have ~30% non-zeros."""
    rng = np.random.default_rng(seed)
    if layout.startswith("dense"):
        X = rng.standard_normal((n, p)) + 3.0 * rng.standard_normal(p)
        X = np.asarray(X, order="F" if layout == "dense-F" else "C")
    else:
        X = sp.random(n, p, density=0.3, random_state=seed, format=layout,
                      data_rvs=lambda k: 1.0 + rng.standard_normal(k))
    w = rng.standard_normal((p,) if n_targets is None else (p, n_targets))
    y = X @ w + 0.3 * rng.standard_normal(w.shape[1:] and (n, w.shape[1]) or n) + 2.0
    return X.astype(dtype), np.asarray(y, dtype=dtype)


def fit_quietly(est, *args, **kwargs):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", LinAlgWarning)
        return est.fit(*args, **kwargs)


# ---------------------------------------------------------------------------------------------
# against the reference and scikit-learn over the whole grid
# ---------------------------------------------------------------------------------------------
@pytest.mark.parametrize("target", ["1d", "2d", "2d-alphas"])
@pytest.mark.parametrize("weighted", [False, True], ids=["unweighted", "weighted"])
@pytest.mark.parametrize("fit_intercept", [True, False], ids=["intercept", "no-intercept"])
@pytest.mark.parametrize("shape", [(40, 12), (12, 40)], ids=["tall", "wide"])
@pytest.mark.parametrize("dtype", [np.float64, np.float32], ids=["f64", "f32"])
@pytest.mark.parametrize("layout", ["dense-C", "dense-F", "csr", "csc"])
@pytest.mark.parametrize("solver", SOLVERS)
def test_against_reference_and_sklearn(solver, layout, dtype, shape, fit_intercept, weighted,
                                       target):
    n, p = shape
    X, y = problem(n, p, layout=layout, dtype=dtype, n_targets=None if target == "1d" else 3)
    alpha = [0.3, 1.0, 3.0] if target == "2d-alphas" else 1.0
    sw = np.random.default_rng(1).uniform(0.2, 2.0, n) if weighted else None
    # tight tol for the iterative solvers (and scikit-learn's sparse_cg behind "auto")
    params = dict(alpha=alpha, solver=solver, fit_intercept=fit_intercept,
                  tol=1e-10 if dtype == np.float64 else 1e-6)
    if solver == "svd" and sp.issparse(X):
        with pytest.raises(ValueError if fit_intercept else TypeError, match="sparse"):
            Ridge(**params).fit(X, y, sample_weight=sw)
        return

    X0, y0 = X.copy(), y.copy()
    est = Ridge(**params).fit(X, y, sample_weight=sw)
    coef_ref, intercept_ref = reference(X, y, alpha, sw, fit_intercept)
    tol = {np.float64: 1e-9, np.float32: 2e-4}[dtype]
    if solver in ITERATIVE or (sp.issparse(X) and solver == "auto"):
        tol = {np.float64: 1e-6, np.float32: 2e-3}[dtype]
    assert rel_err(est.coef_, coef_ref) < tol
    assert rel_err(est.intercept_, intercept_ref) < tol
    assert rel_err(est.predict(X), X @ est.coef_.T + est.intercept_) < 1e-6

    # fitted attributes
    assert est.coef_.dtype == dtype
    assert est.coef_.shape == np.shape(coef_ref)
    assert est.n_features_in_ == p
    assert not hasattr(est, "feature_names_in_")
    assert est.solver_ == _resolve_solver(solver, X)
    if est.solver_ == "lsqr":
        assert est.n_iter_.shape == (1 if target == "1d" else 3,) and est.n_iter_.dtype == np.int32
    else:
        assert est.n_iter_ is None
    if fit_intercept:
        assert np.asarray(est.intercept_).dtype == dtype
    else:
        assert est.intercept_ == 0.0 and isinstance(est.intercept_, float)

    # the input is left alone (copy_X=True)
    if sp.issparse(X):
        assert_array_equal(X.toarray(), X0.toarray())
    else:
        assert_array_equal(X, X0)
    assert_array_equal(y, y0)

    # scikit-learn, where it supports the combination, gives the same answer and attributes
    if sp.issparse(X) and fit_intercept and solver in ("cholesky", "svd"):
        return  # scikit-learn raises there; fastreg fits the intercept on sparse X
    sk = SkRidge(**params).fit(X, y, sample_weight=sw)
    assert rel_err(est.coef_, sk.coef_) < 2 * tol
    assert rel_err(est.intercept_, sk.intercept_) < 2 * tol
    assert est.coef_.dtype == sk.coef_.dtype
    assert type(est.intercept_) is type(sk.intercept_)
    assert np.shape(est.intercept_) == np.shape(sk.intercept_)
    assert (est.n_iter_ is None) == (sk.n_iter_ is None)
    assert est.solver_ == sk.solver_


@pytest.mark.parametrize("layout", ["dense-C", "csr"])
@pytest.mark.parametrize("shape", [(50, 8), (8, 50)], ids=["tall", "wide"])
@pytest.mark.parametrize("n_distinct", [3, 20], ids=["chol-per-alpha", "eigh"])
def test_per_target_alphas(layout, shape, n_distinct):
    """Targets grouped by alpha: one Cholesky per distinct alpha, or one eigendecomposition."""
    X, y = problem(*shape, layout=layout, n_targets=24)
    alpha = np.geomspace(0.01, 100, n_distinct)[np.arange(24) % n_distinct]
    est = Ridge(alpha=alpha, solver="cholesky").fit(X, y)
    coef_ref, intercept_ref = reference(X, y, alpha)
    assert rel_err(est.coef_, coef_ref) < 1e-9
    assert rel_err(est.intercept_, intercept_ref) < 1e-9
    if not sp.issparse(X):
        assert rel_err(est.coef_, SkRidge(alpha=alpha).fit(X, y).coef_) < 1e-9


def test_single_column_y_and_scalar_weights_like_sklearn():
    X, y = problem(30, 5)
    ours, sk = Ridge().fit(X, y[:, None]), SkRidge().fit(X, y[:, None])
    assert ours.coef_.shape == sk.coef_.shape == (5,)
    assert np.shape(ours.intercept_) == np.shape(sk.intercept_) == (1,)
    assert ours.predict(X).shape == sk.predict(X).shape
    assert_allclose(Ridge().fit(X, y, sample_weight=3.0).coef_,
                    SkRidge().fit(X, y, sample_weight=3.0).coef_, rtol=1e-10)
    sw = np.r_[np.zeros(10), np.ones(20)]  # zero weights drop rows
    assert_allclose(Ridge().fit(X, y, sample_weight=sw).coef_, Ridge().fit(X[10:], y[10:]).coef_,
                    rtol=1e-10)


# ---------------------------------------------------------------------------------------------
# rank deficiency, ill-conditioning, cancellation in the implicit centring
# ---------------------------------------------------------------------------------------------
@pytest.mark.parametrize("fit_intercept", [True, False])
@pytest.mark.parametrize("layout", ["dense-C", "csc"])
def test_singular_falls_back_with_warning(layout, fit_intercept):
    """alpha=0 with a zero column: potrf fails, warn and return the minimum-norm solution."""
    X, y = problem(30, 6, layout="dense-C")
    X[:, 2] = 0.0
    X = sp.csc_matrix(X) if layout == "csc" else X
    with pytest.warns(UserWarning, match="Singular matrix in solving primal problem"):
        est = Ridge(alpha=0.0, fit_intercept=fit_intercept, solver="cholesky").fit(X, y)
    assert est.solver_ == ("cholesky" if sp.issparse(X) else "svd")  # pseudo-inverse if sparse
    coef_ref, intercept_ref = reference(X, y, 0.0, fit_intercept=fit_intercept)
    assert rel_err(est.coef_, coef_ref) < 1e-8
    assert abs(est.coef_[2]) < 1e-12
    if not sp.issparse(X):
        assert rel_err(est.coef_, SkRidge(alpha=0.0, fit_intercept=fit_intercept)
                       .fit(X, y).coef_) < 1e-8


@pytest.mark.parametrize("shape", [(40, 8), (8, 40)], ids=["tall", "wide"])
def test_rank_deficient_alpha0(shape):
    """Duplicated columns (tall) or n < p (wide), alpha=0: "auto" (fallback or not) and "svd"
    end at lstsq's minimum-norm solution.  (scikit-learn's "svd" drops singular values below an
    absolute 1e-15 and returns rounding noise here; fastreg's cut-off is relative.)"""
    X, y = problem(*shape)
    X[:, 1] = X[:, 0]
    coef_ref, intercept_ref = reference(X, y, 0.0)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # "Singular matrix ..." fallbacks
        warnings.simplefilter("ignore", LinAlgWarning)
        est = Ridge(alpha=0.0).fit(X, y)
    assert rel_err(est.coef_, coef_ref) < 1e-7
    assert rel_err(est.predict(X), X @ coef_ref + intercept_ref) < 1e-7
    est = Ridge(alpha=0.0, solver="svd").fit(X, y)
    assert rel_err(est.coef_, coef_ref) < 1e-7


def test_ill_conditioned_factor_is_reported():
    """rcond below eps is not trusted (the caller then takes the SVD); a fine one solves."""
    la = _LA["d"]
    with pytest.raises(_Singular) as info:
        _cholesky(np.asfortranarray(np.diag([1.0, 1e-20])), np.ones((2, 1), order="F"), la)
    assert 0 < info.value.rcond < la.eps
    with pytest.raises(_Singular):
        _cholesky(np.asfortranarray(np.diag([1.0, -1.0])), np.ones((2, 1), order="F"), la)
    x = _cholesky(np.asfortranarray(np.diag([2.0, 4.0])), np.ones((2, 1), order="F"), la)
    assert_allclose(x.ravel(), [0.5, 0.25])


def test_ill_conditioned_design_uses_svd_with_linalg_warning():
    X, y = problem(40, 3, layout="dense-F")
    X[:, 1] = X[:, 0] + 1e-9 * np.random.default_rng(3).standard_normal(40)
    with pytest.warns((LinAlgWarning, UserWarning), match="(Ill-conditioned|Singular)"):
        est = Ridge(alpha=0.0, fit_intercept=False).fit(X, y)
    assert est.solver_ == "svd"
    assert rel_err(est.coef_, Ridge(alpha=0.0, fit_intercept=False, solver="svd")
                   .fit(X, y).coef_) < 1e-12


@pytest.mark.parametrize("weighted", [False, True])
@pytest.mark.parametrize("layout", ["dense-C", "dense-F", "csc"])
@pytest.mark.parametrize("shape", [(100, 40), (10, 60)], ids=["tall", "wide"])
@pytest.mark.parametrize("n_big", [1, 60], ids=["one-column", "all-columns"])
def test_large_column_means(n_big, shape, layout, weighted):
    """Columns with mean 1e6 and unit spread (and a constant column): implicit centring would
    cancel every digit.  Tall: a few such columns are repaired, many make X centred explicitly
    by blocks of rows; wide: explicitly centred by blocks of columns (dense and sparse X)."""
    n, p = shape
    rng = np.random.default_rng(0)
    X = rng.standard_normal((n, p))
    k = min(n_big, p)
    X[:, :k] += 1e6 * (1 + np.arange(k))
    X[:, -1] = 7.0  # constant
    X = np.asarray(X, order="F" if layout == "dense-F" else "C")
    y = X[:, :k] @ rng.standard_normal(k) + rng.standard_normal(n)
    if layout == "csc":
        X = sp.csc_matrix(X)
    sw = rng.uniform(0.5, 2.0, n) if weighted else None
    X0 = X.copy()
    est = Ridge(alpha=0.1, tol=1e-12, solver="cholesky").fit(X, y, sample_weight=sw)
    coef_ref, intercept_ref = reference(X, y, 0.1, sw)
    assert est.solver_ == "cholesky"
    assert rel_err(est.coef_, coef_ref) < 1e-8
    assert abs(est.coef_[-1]) < 1e-8
    assert rel_err(est.predict(X), X @ coef_ref + intercept_ref) < 1e-10
    if sp.issparse(X):
        assert_array_equal(X.toarray(), X0.toarray())
    else:
        assert_array_equal(X, X0)
        assert rel_err(est.coef_, SkRidge(alpha=0.1).fit(X, y, sample_weight=sw).coef_) < 1e-7


@pytest.mark.parametrize("dtype", [np.float64, np.float32], ids=["f64", "f32"])
@pytest.mark.parametrize("layout", ["dense-C", "dense-F", "csr", "csc"])
@pytest.mark.parametrize("shape", [(300, 40), (40, 300)], ids=["tall", "wide"])
def test_explicit_centring_by_blocks(shape, layout, dtype, monkeypatch):
    """The explicit-centring fallback over many small blocks (64 rows / columns each) gives the
    exact answer; float32 takes it already for means of a few standard deviations."""
    import fastreg._ridge

    monkeypatch.setattr(fastreg._ridge, "_CHUNK_BYTES", 0)  # blocks of 64
    rng = np.random.default_rng(0)
    mean = 5.0 if dtype == np.float32 else 1e5
    X = rng.standard_normal(shape) + mean * rng.uniform(1, 2, shape[1])
    X = np.asarray(X, order="F" if layout == "dense-F" else "C")
    y = X[:, :3] @ [1.0, -2.0, 0.5] + rng.standard_normal(shape[0])
    X = sp.csr_matrix(X) if layout == "csr" else sp.csc_matrix(X) if layout == "csc" else X
    X, y = X.astype(dtype), y.astype(dtype)
    sw = rng.uniform(0.5, 2.0, shape[0])
    est = Ridge(alpha=1.0, solver="cholesky").fit(X, y, sample_weight=sw)
    coef_ref, intercept_ref = reference(X, y, 1.0, sw)
    assert rel_err(est.coef_, coef_ref) < (1e-9 if dtype == np.float64 else 2e-5)
    assert est.coef_.dtype == dtype


@pytest.mark.parametrize("shape", [(100, 40), (10, 60)], ids=["tall", "wide"])
def test_explicit_centring_then_fallback(shape):
    """X centred explicitly (in place, on the weighted copy), then a singular factorization: the
    SVD fallback must reuse that centred X, not centre it twice."""
    rng = np.random.default_rng(0)
    X = rng.standard_normal(shape) + 1e3 * np.arange(1, shape[1] + 1)
    X[:, 1] = X[:, 0]
    y = rng.standard_normal(shape[0])
    sw = rng.uniform(0.5, 2.0, shape[0])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        warnings.simplefilter("ignore", LinAlgWarning)
        est = Ridge(alpha=0.0).fit(X, y, sample_weight=sw)
        sk = SkRidge(alpha=0.0).fit(X, y, sample_weight=sw)  # (it warns on the wide one)
    coef_ref, intercept_ref = reference(X, y, 0.0, sw, rcond=1e-9)
    assert rel_err(est.coef_, coef_ref) < 1e-7
    assert rel_err(est.intercept_, intercept_ref) < 1e-9

    # scikit-learn's answer to this singular system depends on its LAPACK's rounding: the
    # minimum-norm solution on one machine, +-8e14 on the duplicated pair (a weighted residual
    # 3500 times fastreg's) on another; fastreg's residual is never the larger one
    def loss(model):
        r = y - model.predict(X)
        return float(sw @ r**2)

    assert loss(est) <= loss(sk) * (1 + 1e-9) + 1e-12 * float(sw @ y**2)


# ---------------------------------------------------------------------------------------------
# copies, memory layout, dtypes
# ---------------------------------------------------------------------------------------------
@pytest.mark.parametrize("solver", ["cholesky", "svd"])
@pytest.mark.parametrize("weighted", [False, True])
def test_copy_X_false(solver, weighted):
    """copy_X=False may overwrite X (as scikit-learn does) but the answer is the same."""
    X, y = problem(30, 8, layout="dense-F")
    sw = np.linspace(0.5, 2, 30) if weighted else None
    expected = Ridge(solver=solver).fit(X, y, sample_weight=sw)
    got = Ridge(solver=solver, copy_X=False).fit(X.copy(order="F"), y, sample_weight=sw)
    assert_allclose(got.coef_, expected.coef_, rtol=1e-10)
    assert_allclose(got.intercept_, expected.intercept_, rtol=1e-10)


@pytest.mark.parametrize("solver", SOLVERS)
def test_non_contiguous_read_only_and_int_input(solver):
    X, y = problem(40, 10)
    ref = Ridge(solver=solver, tol=1e-12).fit(X[:, ::2].copy(), y)
    est = Ridge(solver=solver, tol=1e-12).fit(X[:, ::2], y)  # non-contiguous view
    assert_allclose(est.coef_, ref.coef_, rtol=1e-8)
    Xr, yr = X.copy(), y.copy()
    Xr.setflags(write=False)
    yr.setflags(write=False)
    est = Ridge(solver=solver, copy_X=False, tol=1e-12).fit(Xr, yr)  # must not write into Xr
    assert_allclose(est.coef_, Ridge(solver=solver, tol=1e-12).fit(X, y).coef_, rtol=1e-8)
    Xi, yi = np.round(X * 3).astype(np.int64), np.round(y).astype(np.int32)
    est = Ridge(solver=solver, tol=1e-12).fit(Xi, yi)
    assert est.coef_.dtype == np.float64
    as_float = Ridge(solver=solver, tol=1e-12).fit(Xi.astype(float), yi.astype(float))
    assert_allclose(est.coef_, as_float.coef_, rtol=1e-8)
    assert_allclose(est.coef_, SkRidge(solver=solver, tol=1e-12).fit(Xi, yi).coef_, rtol=1e-6)


def test_float32_kept_and_mixed_dtypes():
    X, y = problem(30, 6, dtype=np.float32)
    est = Ridge().fit(X, y.astype(np.float64))  # y follows X's dtype
    assert est.coef_.dtype == np.float32 and np.asarray(est.intercept_).dtype == np.float32
    assert est.predict(X).dtype == np.float32
    assert Ridge().fit(X.astype(np.float16), y).coef_.dtype == np.float64  # as scikit-learn


def test_lists_and_pandas_feature_names():
    pd = pytest.importorskip("pandas")
    X, y = problem(30, 4)
    est = Ridge().fit(X.tolist(), y.tolist())
    assert_allclose(est.coef_, Ridge().fit(X, y).coef_, rtol=1e-12)
    df = pd.DataFrame(X, columns=list("abcd"))
    est = Ridge().fit(df, y)
    assert_array_equal(est.feature_names_in_, list("abcd"))
    assert_allclose(est.predict(df), X @ est.coef_ + est.intercept_, rtol=1e-12)
    with pytest.warns(UserWarning, match="does not have valid feature names"):
        est.predict(X)
    est.fit(X, y)  # refit on an array forgets the names, as scikit-learn does
    assert not hasattr(est, "feature_names_in_")


# ---------------------------------------------------------------------------------------------
# bad input: scikit-learn's exceptions (and messages where both raise)
# ---------------------------------------------------------------------------------------------
def _nan(a, i=0):
    a = a.copy()
    a.flat[i] = np.nan
    return a


def _inf(a, i=0):
    a = a.copy()
    a.flat[i] = np.inf
    return a


_X, _y = problem(20, 5)
BAD_FIT = {
    "nan-X": (lambda: (_nan(_X), _y), {}),
    "inf-X": (lambda: (_inf(_X), _y), {}),
    "nan-y": (lambda: (_X, _nan(_y)), {}),
    "inf-X-f32": (lambda: (_inf(_X.astype(np.float32)), _y), {}),
    "lengths": (lambda: (_X, _y[:10]), {}),
    "empty-X": (lambda: (_X[:0], _y[:0]), {}),
    "no-features": (lambda: (_X[:, :0], _y), {}),
    "1d-X": (lambda: (_X[:, 0], _y), {}),
    "3d-y": (lambda: (_X, np.zeros((20, 2, 2))), {}),
    "strings": (lambda: (np.array([["a", "b"], ["c", "d"]]), [1.0, 2.0]), {}),
    "complex": (lambda: (_X + 1j, _y), {}),
    "negative-alpha": (lambda: (_X, _y), {"alpha": -1.0}),
    "alpha-length": (lambda: (_X, np.c_[_y, _y, _y]), {"alpha": [1.0, 2.0]}),
    "alpha-length-1d": (lambda: (_X, _y), {"alpha": [1.0, 2.0]}),
    "max_iter": (lambda: (_X, _y), {"max_iter": 0}),
    "tol": (lambda: (_X, _y), {"tol": -1.0}),
    "solver-name": (lambda: (_X, _y), {"solver": "foo"}),
    "svd-sparse-intercept": (lambda: (sp.csr_matrix(_X), _y), {"solver": "svd"}),
    "svd-sparse": (lambda: (sp.csr_matrix(_X), _y), {"solver": "svd", "fit_intercept": False}),
}
SAME_MESSAGE = {"nan-X", "inf-X", "nan-y", "inf-X-f32", "lengths", "empty-X", "no-features",
                "1d-X", "3d-y", "negative-alpha", "alpha-length", "alpha-length-1d",
                "max_iter", "tol"}


@pytest.mark.parametrize("case", list(BAD_FIT))
def test_bad_fit_input_like_sklearn(case):
    make, params = BAD_FIT[case]
    X, y = make()
    with pytest.raises(Exception) as sk_info:
        SkRidge(**params).fit(X, y)
    with pytest.raises(sk_info.type) as info:
        Ridge(**params).fit(X, y)
    if case in SAME_MESSAGE:
        assert str(info.value) == str(sk_info.value)


@pytest.mark.parametrize("sample_weight, match", [
    (-np.ones(20), "Negative values"),
    (np.ones(3), "sample_weight.shape"),
    (np.zeros(20), "(?i)sample.weight"),
    (np.full(20, np.nan), "NaN"),
])
def test_bad_sample_weight(sample_weight, match):
    with pytest.raises(ValueError, match=match):
        Ridge().fit(_X, _y, sample_weight=sample_weight)


@pytest.mark.parametrize("alpha", [[-1.0], [1.0, np.nan, 1.0], np.array([1.0, np.inf, 2.0])])
def test_bad_alpha_arrays(alpha):
    """scikit-learn accepts negative or NaN alpha arrays silently; fastreg says what is wrong."""
    with pytest.raises(ValueError, match="finite non-negative"):
        Ridge(alpha=alpha).fit(_X, np.c_[_y, _y, _y] if len(alpha) == 3 else _y)


@pytest.mark.parametrize("params", [{"solver": "lbfgs"}, {"positive": True, "solver": "cholesky"},
                                    {"positive": True, "solver": "sag"}])
def test_solver_errors_like_sklearn(params):
    """lbfgs without positive, and positive with a solver other than auto/lbfgs: scikit-learn's
    ValueError and message."""
    with pytest.raises(ValueError) as theirs:
        SkRidge(**params).fit(_X, _y)
    with pytest.raises(ValueError, match=re.escape(str(theirs.value))):
        Ridge(**params).fit(_X, _y)


@pytest.mark.parametrize("solver", ["sag", "saga"])
@pytest.mark.parametrize("sparse", [False, True])
@pytest.mark.parametrize("fit_intercept", [True, False])
def test_sag_and_saga_solve_the_same_objective(solver, sparse, fit_intercept):
    """scikit-learn's stochastic solvers are accepted; fastreg solves their objective as 'auto'
    does (exactly on dense X), at least as well as scikit-learn's run to a tight tol (its 'sag'
    where its 'saga' rejects an intercept on sparse X, which fastreg fits)."""
    rng = np.random.default_rng(5)
    X = rng.standard_normal((80, 6)) + 2.0
    y = X @ rng.standard_normal(6) + 0.5 + 0.1 * rng.standard_normal(80)
    sw = rng.uniform(0.5, 2.0, 80)
    Xf = sp.csr_matrix(X) if sparse else X
    ours = Ridge(alpha=3.0, solver=solver, fit_intercept=fit_intercept, tol=1e-10).fit(
        Xf, y, sample_weight=sw)
    sk_solver = "sag" if sparse and fit_intercept else solver
    theirs = SkRidge(alpha=3.0, solver=sk_solver, fit_intercept=fit_intercept, tol=1e-10,
                     max_iter=100_000, random_state=0).fit(Xf, y, sample_weight=sw)
    assert ours.solver_ == ("sparse_cg" if sparse else "cholesky")

    def objective(m):
        r = y - X @ m.coef_ - m.intercept_
        return float(sw @ r**2 + 3.0 * m.coef_ @ m.coef_)

    assert objective(ours) <= objective(theirs) * (1 + 1e-9)
    np.testing.assert_allclose(ours.coef_, theirs.coef_, rtol=1e-5, atol=1e-6)


def test_unknown_solver_lists_the_solver_names():
    with pytest.raises(ValueError) as info:  # scikit-learn's InvalidParameterError
        Ridge(solver="foo").fit(_X, _y)
    msg = str(info.value)
    assert all(f"'{name}'" in msg for name in ("auto", "svd", "cholesky", "lsqr", "sparse_cg",
                                               "sag", "saga", "lbfgs"))


@pytest.mark.parametrize("sparse", [False, True])
@pytest.mark.parametrize("dtype", [np.float64, np.float32])
@pytest.mark.parametrize("fit_intercept", [True, False])
@pytest.mark.parametrize("weighted", [False, True])
@pytest.mark.parametrize("solver", ["auto", "lbfgs"])
def test_positive_ridge_matches_sklearn(sparse, dtype, fit_intercept, weighted, solver):
    """Ridge(positive=True) runs fastreg's coordinate descent with the L2 term alone."""
    from sklearn.linear_model import Ridge as SkRidge

    rng = np.random.default_rng(3)
    X = rng.standard_normal((60, 12)) + 1.0
    y = X @ rng.standard_normal(12) + 0.3 * rng.standard_normal(60)
    X, y = X.astype(dtype), y.astype(dtype)
    sw = rng.uniform(0.5, 2.0, 60) if weighted else None
    Xf = sp.csr_matrix(X) if sparse else X
    ours = Ridge(alpha=2.0, positive=True, solver=solver, fit_intercept=fit_intercept,
                 tol=1e-12, max_iter=100_000).fit(Xf, y, sample_weight=sw)
    theirs = SkRidge(alpha=2.0, positive=True, fit_intercept=fit_intercept, tol=1e-12,
                     max_iter=100_000).fit(X.astype(np.float64), y.astype(np.float64),
                                           sample_weight=sw)
    assert ours.solver_ == "coordinate_descent" and ours.coef_.dtype == dtype
    assert np.all(ours.coef_ >= 0) and np.any(ours.coef_ == 0)

    def objective(coef, b):
        r = y - X @ coef - b
        return np.sum((1.0 if sw is None else sw) * r**2) + 2.0 * coef @ coef

    f_ours = objective(ours.coef_.astype(np.float64), ours.intercept_)
    f_sk = objective(theirs.coef_, theirs.intercept_)
    assert f_ours <= f_sk * (1 + (1e-9 if dtype == np.float64 else 1e-4))
    if dtype == np.float64:
        np.testing.assert_allclose(ours.coef_, theirs.coef_, atol=1e-5)


def test_predict_errors_like_sklearn():
    with pytest.raises(NotFittedError):
        Ridge().predict(_X)
    ours, sk = Ridge().fit(_X, _y), SkRidge().fit(_X, _y)
    for X in (_X[:, :3], _nan(_X), _X[:0], _X[:, 0]):
        with pytest.raises(ValueError) as sk_info:
            sk.predict(X)
        with pytest.raises(ValueError, match=re.escape(str(sk_info.value))):
            ours.predict(X)
    assert_allclose(ours.predict(sp.csr_matrix(_X)), sk.predict(_X), rtol=1e-10)
    assert_allclose(ours.predict(_X.astype(np.int64)), sk.predict(_X.astype(np.int64)), rtol=1e-10)
    assert ours.score(_X, _y) == pytest.approx(sk.score(_X, _y), rel=1e-12)


# ---------------------------------------------------------------------------------------------
# the auto rule and the estimator contract
# ---------------------------------------------------------------------------------------------
def test_auto_rule():
    assert _resolve_solver("auto", np.zeros((5, 3))) == "cholesky"
    assert _resolve_solver("auto", sp.random(500, 50, density=0.05, format="csr")) == "sparse_cg"
    assert _resolve_solver("lsqr", sp.random(50, 10, format="csr")) == "lsqr"
    assert Ridge().fit(*problem(30, 5, layout="csc")).solver_ == "sparse_cg"
    assert Ridge().fit(*problem(5, 30)).solver_ == "cholesky"


def test_params_tags_and_repr():
    est = Ridge()
    assert est.get_params() == SkRidge().get_params()
    assert est.__sklearn_tags__().input_tags.sparse
    assert not Ridge(solver="svd").__sklearn_tags__().input_tags.sparse
    assert est.__sklearn_tags__().target_tags.multi_output
    assert repr(Ridge(alpha=2.0)) == "Ridge(alpha=2.0)"


@pytest.mark.parametrize("solver", ["auto", "cholesky", "svd", "lsqr", "sparse_cg"])
def test_sample_weight_equivalence_checks(solver):
    """scikit-learn's own checks (weights == repeated/removed samples), per solver, as it runs
    them on its Ridge; the sparse variant wherever fastreg takes sparse input."""
    from sklearn.utils.estimator_checks import (
        check_sample_weight_equivalence_on_dense_data,
        check_sample_weight_equivalence_on_sparse_data,
    )

    est = Ridge(solver=solver, tol=1e-12)
    check_sample_weight_equivalence_on_dense_data("Ridge", est)
    if solver != "svd":
        check_sample_weight_equivalence_on_sparse_data("Ridge", est)
