"""Kernel-level tests: the Cython entry points of ``fastreg._cd_fast``, called directly by keyword.

Each problem is built once in NumPy with explicit centring (``Xc``, ``yc`` in float64 from the
same dtype-rounded data the kernels see) and serves as the reference; the kernels get the
uncentred X with ``x_offset`` and ``s`` (implicit centring), or the Gram matrix.
"""
import warnings
from types import SimpleNamespace

import numpy as np
import pytest
import scipy.sparse as sp
from numpy.testing import assert_allclose, assert_array_equal
from scipy.optimize import nnls
from sklearn.exceptions import ConvergenceWarning
from sklearn.linear_model import ElasticNet

from fastreg._blas import DEBUG_BUILD
from fastreg import _cd_fast
from fastreg._cd_fast import (
    col_norms2_dense,
    col_stats_dense,
    col_norms2_sparse,
    enet_cd_dense,
    enet_cd_gram,
    enet_cd_sparse,
    gap_terms,
    gram_path,
    polish_gram,
    scaled_corr,
    screen_and_rank,
)

DTYPES = [np.float64, np.float32]
LAYOUTS = ["dense", "sparse", "gram"]
PENALTIES = ["l1", "enet", "ridge"]  # alpha > 0 = beta; alpha, beta > 0; alpha = 0 < beta
# relative duality-gap tolerance (times ||yc||^2) reachable in each precision
TOL = {np.float64: 1e-13, np.float32: 1e-6}
# agreement between solutions at that tolerance, relative to max |w|
COEF_RTOL = {np.float64: 1e-6, np.float32: 2e-3}


# ------------------------------------------------------------------------------------------------
# problems

def make_problem(dtype, weighted, *, n=60, p=30, n_informative=6, density=0.5, rho=0.0,
                 seed=0):
    """A (sparse-ish) regression problem, its implicit-centring inputs and explicit reference.

    weighted=True: random positive sample weights, x_offset = weighted column means (the
    fit_intercept case); weighted=False: s = ones, x_offset = 0 (no intercept).  ``rho`` > 0
    mixes neighbouring columns (AR(1), correlation ~rho between neighbours).
    """
    rng = np.random.default_rng(seed)
    mask = rng.random((n, p)) < density
    X = np.where(mask, rng.standard_normal((n, p)) + 1.0, 0.0)  # non-zero column means
    for j in range(1, p if rho else 0):
        X[:, j] = rho * X[:, j - 1] + np.sqrt(1 - rho**2) * X[:, j]
    coef = np.zeros(p)
    coef[rng.choice(p, n_informative, replace=False)] = rng.uniform(1, 3, n_informative) * (
        rng.choice([-1, 1], n_informative)
    )
    y = X @ coef + 0.5 * rng.standard_normal(n) + 2.0
    if weighted:
        sw = rng.uniform(0.2, 3.0, n)
        s = np.sqrt(sw).astype(dtype)
        Xs = X.astype(dtype) * s[:, None]
        s64 = s.astype(np.float64)
        sw64 = s64 * s64
        x_offset = ((sw64 @ X.astype(dtype).astype(np.float64)) / sw64.sum()).astype(dtype)
        y_offset = (sw64 @ y) / sw64.sum()
        yc = (s64 * (y - y_offset)).astype(dtype)
    else:
        s = np.ones(n, dtype=dtype)
        Xs = X.astype(dtype)
        x_offset = np.zeros(p, dtype=dtype)
        yc = y.astype(dtype)
    Xs = np.asfortranarray(Xs, dtype=dtype)
    Xsp = sp.csc_matrix(Xs)
    Xsp.indices = Xsp.indices.astype(np.int32)
    Xsp.indptr = Xsp.indptr.astype(np.int32)
    # float64 reference of exactly the problem the kernels see
    Xc = Xs.astype(np.float64) - np.outer(s.astype(np.float64), x_offset.astype(np.float64))
    yc64 = yc.astype(np.float64)
    G = np.ascontiguousarray(Xc.T @ Xc, dtype=dtype)
    q = (Xc.T @ yc64).astype(dtype)
    norms2 = np.empty(p, dtype=dtype)
    col_norms2_dense(X=Xs, x_offset=x_offset, s=s, out=norms2)
    return SimpleNamespace(
        dtype=dtype, n=n, p=p, Xs=Xs, Xsp=Xsp, x_offset=x_offset, s=s, yc=yc, Xc=Xc, yc64=yc64,
        G=G, q=q, y_norm2=float(yc64 @ yc64), norms2=norms2,
        alpha_max=float(np.abs(Xc.T @ yc64).max()),
        alpha_max_pos=float(max((Xc.T @ yc64).max(), 0.0)),
    )


def penalty(prob, name, frac=0.1):
    """(alpha, beta) in sum scale for a named penalty."""
    ridge = 0.3 * float(np.median(prob.norms2))
    return {"l1": (frac * prob.alpha_max, 0.0),
            "enet": (frac * prob.alpha_max, ridge),
            "ridge": (0.0, ridge)}[name]


def solve(prob, layout, alpha, beta, *, w0=None, ws=None, tol=None, positive=False, random=False,
          seed=0, screen=False, max_epochs=20000, gap_freq=10, anderson=None,
          active_sweeps=None):
    """Run one kernel; returns (w, R or H, (gap, n_epochs, n_active), ws after the call)."""
    dtype = prob.dtype
    w = np.zeros(prob.p, dtype=dtype) if w0 is None else np.array(w0, dtype=dtype)
    ws = np.arange(prob.p, dtype=np.int32) if ws is None else np.array(ws, dtype=np.int32)
    if tol is None:
        tol = TOL[dtype] * prob.y_norm2
    common = dict(w=w, ws=ws, alpha=alpha, beta=beta, tol=tol, max_epochs=max_epochs,
                  gap_freq=gap_freq, positive=positive, random=random, seed=seed, screen=screen)
    if anderson is not None:
        common["anderson"] = anderson
    if active_sweeps is not None:  # X layouts only
        common["active_sweeps"] = active_sweeps
    if layout == "gram":
        H = (prob.q.astype(np.float64) - prob.G.astype(np.float64) @ w).astype(dtype)
        out = enet_cd_gram(H=H, G=prob.G, q=prob.q, y_norm2=prob.y_norm2, **common)
        return w, H, out, ws
    R = (prob.yc64 - prob.Xc @ w).astype(dtype)
    if layout == "dense":
        out = enet_cd_dense(R=R, X=prob.Xs, x_offset=prob.x_offset, s=prob.s,
                            norms2=prob.norms2, **common)
    else:
        out = enet_cd_sparse(R=R, X_data=prob.Xsp.data, X_indices=prob.Xsp.indices,
                             X_indptr=prob.Xsp.indptr, x_offset=prob.x_offset, s=prob.s,
                             norms2=prob.norms2, **common)
    return w, R, out, ws


def primal(prob, w, alpha, beta):
    w = w.astype(np.float64)
    r = prob.yc64 - prob.Xc @ w
    return 0.5 * r @ r + alpha * np.abs(w).sum() + 0.5 * beta * w @ w


def check_state(prob, layout, w, state):
    """R (or H) returned by the kernel is the exact residual (gradient) at the returned w."""
    w = w.astype(np.float64)
    if layout == "gram":
        expected = prob.q.astype(np.float64) - prob.G.astype(np.float64) @ w
        scale = np.abs(prob.q).max()
    else:
        expected = prob.yc64 - prob.Xc @ w
        scale = np.abs(prob.yc64).max()
    atol = (1e-10 if prob.dtype == np.float64 else 1e-4) * scale
    assert_allclose(state, expected, rtol=0, atol=atol)


def assert_coef_close(w, ref, dtype, factor=1.0):
    scale = max(np.abs(ref).max(), 1e-12)
    assert_allclose(w, ref, rtol=0, atol=factor * COEF_RTOL[dtype] * scale)


def reference_solution(Xc, yc, alpha, beta, positive):
    """Independent float64 solution: scikit-learn's ElasticNet, or NNLS for positive ridge.

    scikit-learn's ridge duality gap ignores ``positive``, so its positive ridge never meets
    tol=1e-12; the non-negative ridge is an NNLS on the augmented design [Xc; sqrt(beta) I].
    """
    n, p = Xc.shape
    if alpha == 0 and positive:
        A = np.vstack([Xc, np.sqrt(beta) * np.eye(p)])
        return nnls(A, np.concatenate([yc, np.zeros(p)]), maxiter=50 * p)[0]
    model = ElasticNet(alpha=(alpha + beta) / n, l1_ratio=alpha / (alpha + beta),
                       fit_intercept=False, positive=positive, tol=1e-12, max_iter=100000)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        return model.fit(Xc, yc).coef_


# ------------------------------------------------------------------------------------------------
# solutions

@pytest.mark.parametrize("pen", PENALTIES)
@pytest.mark.parametrize("positive", [False, True])
@pytest.mark.parametrize("weighted", [False, True])
@pytest.mark.parametrize("dtype", DTYPES)
def test_layouts_agree_gap_and_state(dtype, weighted, positive, pen):
    prob = make_problem(dtype, weighted)
    alpha, beta = penalty(prob, pen)
    tol = TOL[dtype] * prob.y_norm2
    results = {}
    for layout in LAYOUTS:
        w, state, (gap, n_epochs, n_active), ws = solve(prob, layout, alpha, beta, tol=tol,
                                                         positive=positive)
        assert isinstance(gap, float)
        assert gap <= tol, (layout, gap, tol)
        assert 1 <= n_epochs < 20000 and n_active == prob.p
        assert w.dtype == dtype and state.dtype == dtype
        if positive:
            assert np.all(w >= 0)
        check_state(prob, layout, w, state)
        results[layout] = w
    assert_coef_close(results["sparse"], results["dense"], dtype)
    assert_coef_close(results["gram"], results["dense"], dtype)


@pytest.mark.parametrize("pen", PENALTIES)
@pytest.mark.parametrize("positive", [False, True])
@pytest.mark.parametrize("weighted", [False, True])
@pytest.mark.parametrize("dtype", DTYPES)
def test_matches_sklearn(dtype, weighted, positive, pen):
    prob = make_problem(dtype, weighted, seed=1)
    alpha, beta = penalty(prob, pen)
    w, _, (gap, _, _), _ = solve(prob, "dense", alpha, beta, positive=positive)
    ref = reference_solution(prob.Xc, prob.yc64, alpha, beta, positive)
    assert np.count_nonzero(ref) > 0
    assert_coef_close(w, ref, dtype)
    slack = (1e-11 if dtype == np.float64 else 1e-5) * prob.y_norm2
    assert primal(prob, w, alpha, beta) <= primal(prob, ref, alpha, beta) + slack


@pytest.mark.parametrize("positive", [False, True])
@pytest.mark.parametrize("dtype", DTYPES)
def test_ols_first_order_condition(dtype, positive):
    """alpha = beta = 0: the kernel stops on ||projected gradient||^2 <= tol."""
    prob = make_problem(dtype, True, n=80, p=10, seed=2)
    tol = (1e-16 if dtype == np.float64 else 1e-8) * prob.y_norm2
    for layout in LAYOUTS:
        w, state, (gap, n_epochs, _), _ = solve(prob, layout, 0.0, 0.0, tol=tol,
                                                 positive=positive, max_epochs=5000)
        assert gap <= tol and n_epochs < 5000
        if positive:
            ref = nnls(prob.Xc, prob.yc64)[0]
        else:
            ref = np.linalg.lstsq(prob.Xc, prob.yc64, rcond=None)[0]
        assert_coef_close(w, ref, dtype, factor=3.0)
        check_state(prob, layout, w, state)


# ------------------------------------------------------------------------------------------------
# the duality gap itself (max_epochs=0 computes it and touches nothing)

def numpy_gap(prob, w, ws, alpha, beta, positive):
    """The spec's gap of the subproblem on ws, written out in NumPy from the reference data."""
    w = w.astype(np.float64)
    R = prob.yc64 - prob.Xc @ w
    g = prob.Xc[:, ws].T @ R
    wk = w[ws]
    R2 = R @ R
    Ry = R2 + wk @ g
    if alpha > 0:
        xta = g - beta * wk
        dual_norm = xta.max() if positive else np.abs(xta).max()
        scale = min(1.0, alpha / dual_norm) if dual_norm > 0 else 1.0
        quad = R2 + beta * wk @ wk
        return 0.5 * quad + alpha * np.abs(wk).sum() - (-0.5 * scale**2 * quad + scale * Ry)
    gg = np.maximum(g, 0) if positive else g
    return 0.5 * R2 + 0.5 * beta * wk @ wk - (-0.5 * R2 + Ry - gg @ gg / (2 * beta))


@pytest.mark.parametrize("pen", PENALTIES)
@pytest.mark.parametrize("positive", [False, True])
@pytest.mark.parametrize("layout", LAYOUTS)
def test_gap_only(layout, positive, pen):
    prob = make_problem(np.float64, True, seed=3)
    alpha, beta = penalty(prob, pen)
    rng = np.random.default_rng(0)
    w0 = rng.uniform(0, 0.5, prob.p) * (rng.random(prob.p) < 0.5)
    if not positive:
        w0 *= rng.choice([-1, 1], prob.p)
    ws = np.sort(rng.choice(prob.p, 20, replace=False)).astype(np.int32)
    w, state, (gap, n_epochs, n_active), ws_out = solve(
        prob, layout, alpha, beta, w0=w0, ws=ws, positive=positive, max_epochs=0, screen=True)
    assert n_epochs == 0 and n_active == 20
    assert_array_equal(w, w0)
    assert_array_equal(ws_out, ws)
    check_state(prob, layout, w, state)
    expected = numpy_gap(prob, w0, ws, alpha, beta, positive)
    assert expected > 0
    assert_allclose(gap, expected, rtol=1e-9)


# ------------------------------------------------------------------------------------------------
# alpha_max, warm starts, index sets

@pytest.mark.parametrize("beta_frac", [0.0, 0.5])
@pytest.mark.parametrize("positive", [False, True])
@pytest.mark.parametrize("weighted", [False, True])
@pytest.mark.parametrize("layout", LAYOUTS)
@pytest.mark.parametrize("dtype", DTYPES)
def test_alpha_max_gives_zero(dtype, layout, weighted, positive, beta_frac):
    prob = make_problem(dtype, weighted, seed=4)
    alpha_max = prob.alpha_max_pos if positive else prob.alpha_max
    # a hair above alpha_max, so that the kernel's own rounding of X_j . y cannot cross it
    alpha = alpha_max * (1 + (1e-10 if dtype == np.float64 else 1e-4))
    beta = beta_frac * float(np.median(prob.norms2))
    w, state, (gap, n_epochs, _), _ = solve(prob, layout, alpha, beta, positive=positive,
                                             gap_freq=10)
    assert_array_equal(w, np.zeros(prob.p, dtype=dtype))
    assert gap <= TOL[dtype] * prob.y_norm2 and n_epochs == 1
    if layout == "gram":
        assert_allclose(state, prob.q, rtol=1e-6)
    else:
        assert_array_equal(state, prob.yc)  # untouched: no coordinate ever moved
    # ... and just below alpha_max something moves
    w, *_ = solve(prob, layout, 0.99 * alpha_max, beta, positive=positive)
    assert np.count_nonzero(w) >= 1


@pytest.mark.parametrize("pen", PENALTIES)
@pytest.mark.parametrize("layout", LAYOUTS)
@pytest.mark.parametrize("dtype", DTYPES)
def test_warm_start_stops_at_first_check(dtype, layout, pen):
    prob = make_problem(dtype, True, seed=5)
    alpha, beta = penalty(prob, pen)
    w, *_ = solve(prob, layout, alpha, beta)
    w2, state, (gap, n_epochs, _), _ = solve(prob, layout, alpha, beta, w0=w, gap_freq=10)
    assert gap <= TOL[dtype] * prob.y_norm2
    assert n_epochs <= 10
    assert_coef_close(w2, w, dtype)
    check_state(prob, layout, w2, state)


@pytest.mark.parametrize("positive", [False, True])
@pytest.mark.parametrize("layout", LAYOUTS)
@pytest.mark.parametrize("dtype", DTYPES)
def test_index_set(dtype, layout, positive):
    """Only ws moves; the fixed coefficients enter through y_sub = yc - X_out w_out."""
    prob = make_problem(dtype, True, seed=6)
    alpha, beta = penalty(prob, "enet")
    rng = np.random.default_rng(1)
    ws = rng.choice(prob.p, 12, replace=False).astype(np.int32)
    out = np.setdiff1d(np.arange(prob.p), ws)
    w0 = np.zeros(prob.p, dtype=dtype)
    w0[out] = rng.uniform(0.2, 1.0, out.size).astype(dtype)  # fixed, non-zero
    w, state, (gap, _, _), ws_after = solve(prob, layout, alpha, beta, w0=w0, ws=ws,
                                            positive=positive)
    assert gap <= TOL[dtype] * prob.y_norm2
    assert_array_equal(w[out], w0[out])
    assert_array_equal(np.sort(ws_after), np.sort(ws))
    check_state(prob, layout, w, state)
    y_sub = prob.yc64 - prob.Xc[:, out] @ w0[out].astype(np.float64)
    ref = reference_solution(prob.Xc[:, ws], y_sub, alpha, beta, positive)
    assert np.count_nonzero(ref) > 0
    assert_coef_close(w[ws], ref, dtype)


# ------------------------------------------------------------------------------------------------
# screening and random order

@pytest.mark.parametrize("positive", [False, True])
@pytest.mark.parametrize("layout", LAYOUTS)
@pytest.mark.parametrize("dtype", DTYPES)
def test_screening_is_safe_and_screens(dtype, layout, positive):
    prob = make_problem(dtype, True, n=50, p=150, n_informative=5, seed=7)
    alpha = 0.25 * (prob.alpha_max_pos if positive else prob.alpha_max)
    beta = 0.0
    w_ref, *_ = solve(prob, layout, alpha, beta, positive=positive)
    w, state, (gap, _, n_active), ws = solve(prob, layout, alpha, beta, positive=positive,
                                             screen=True)
    assert gap <= TOL[dtype] * prob.y_norm2
    assert n_active < prob.p
    assert_coef_close(w, w_ref, dtype)
    check_state(prob, layout, w, state)
    # the screened features are zero, and every feature in the support stayed active
    assert np.all(w[ws[n_active:]] == 0)
    assert set(np.flatnonzero(w_ref)) <= set(ws[:n_active])
    assert_array_equal(np.sort(ws), np.arange(prob.p))
    # tol = 0: screening keeps running until the computed gap reaches rounding level (or
    # max_epochs), and stays safe there
    w0, *_ = solve(prob, layout, alpha, beta, positive=positive, tol=0.0, max_epochs=300)
    w1, _, (_, n_epochs, n_active), ws = solve(prob, layout, alpha, beta, positive=positive,
                                               tol=0.0, max_epochs=300, screen=True)
    assert set(np.flatnonzero(w0)) <= set(ws[:n_active])
    assert_coef_close(w1, w0, dtype)


@pytest.mark.parametrize("pen", ["l1", "enet"])
@pytest.mark.parametrize("layout", LAYOUTS)
@pytest.mark.parametrize("dtype", DTYPES)
def test_random_order_converges_to_same_solution(dtype, layout, pen):
    prob = make_problem(dtype, True, seed=8)
    alpha, beta = penalty(prob, pen)
    w_cyclic, *_ = solve(prob, layout, alpha, beta)
    for seed in (0, 12345):
        w, state, (gap, _, _), ws = solve(prob, layout, alpha, beta, random=True, seed=seed)
        assert gap <= TOL[dtype] * prob.y_norm2
        assert_array_equal(np.sort(ws), np.arange(prob.p))
        assert_coef_close(w, w_cyclic, dtype)
        check_state(prob, layout, w, state)
    # the order depends on the seed only: same seed, same result bit for bit
    runs = [solve(prob, layout, alpha, beta, random=True, seed=7, max_epochs=3)[0]
            for _ in range(2)]
    assert_array_equal(runs[0], runs[1])


# ------------------------------------------------------------------------------------------------
# column norms

@pytest.mark.parametrize("weighted", [False, True])
@pytest.mark.parametrize("dtype", DTYPES)
def test_col_norms2(dtype, weighted):
    n = 200
    rng = np.random.default_rng(9)
    X = np.where(rng.random((n, 5)) < 0.3, rng.standard_normal((n, 5)), 0.0)
    # column 5: huge mean, tiny spread (stored in full in the sparse matrix)
    spread = 1e-3 if dtype == np.float64 else 10.0
    X = np.column_stack([X, 1e6 + spread * rng.standard_normal(n), np.zeros(n)])
    sw = rng.uniform(0.5, 2.0, n) if weighted else np.ones(n)
    s = np.sqrt(sw).astype(dtype)
    Xs = np.asfortranarray(X.astype(dtype) * s[:, None], dtype=dtype)
    s64, Xs64 = s.astype(np.float64), Xs.astype(np.float64)
    x_offset = ((s64 @ Xs64) / (s64 @ s64)).astype(dtype)  # weighted means: X_j . s / S2
    expected = ((Xs64 - np.outer(s64, x_offset.astype(np.float64))) ** 2).sum(axis=0)
    if dtype == np.float64:  # the test has teeth: the textbook formula cancels on column 5
        naive = (Xs64**2).sum(0) - 2 * x_offset * (s64 @ Xs64) + x_offset**2 * (s64 @ s64)
        assert abs(naive[5] - expected[5]) > 0.1 * expected[5]
    Xsp = sp.csc_matrix(Xs)
    Xsp.indices = Xsp.indices.astype(np.int32)
    Xsp.indptr = Xsp.indptr.astype(np.int32)
    assert Xsp.indptr[6] - Xsp.indptr[5] == n
    # forming X_ij - xo s_i rounds xo s_i at the data's magnitude (1e6 eps): against the spread
    # that is ~1e-7 relative in float64, and up to ~1e-2 in float32 (1e6 * 2**-24 against 10)
    rtol = 1e-7 if dtype == np.float64 else (1e-5 if not weighted else 1e-2)
    for offsets in (x_offset, np.zeros_like(x_offset)):
        ref = expected if offsets is x_offset else (Xs64**2).sum(axis=0)
        out_d = np.full(X.shape[1], np.nan, dtype=dtype)
        col_norms2_dense(X=Xs, x_offset=offsets, s=s, out=out_d)
        out_s = np.full(X.shape[1], np.nan, dtype=dtype)
        col_norms2_sparse(X_data=Xsp.data, X_indices=Xsp.indices, X_indptr=Xsp.indptr,
                          x_offset=offsets, s=s, out=out_s)
        assert out_d[6] == 0 and out_s[6] == 0
        assert_allclose(out_d, ref, rtol=rtol)
        assert_allclose(out_s, ref, rtol=rtol)


# ------------------------------------------------------------------------------------------------
# argument checks

def _dense_kwargs(prob):
    return dict(w=np.zeros(prob.p), R=prob.yc.copy(), X=prob.Xs, x_offset=prob.x_offset,
                s=prob.s, norms2=prob.norms2, ws=np.arange(prob.p, dtype=np.int32), alpha=1.0,
                beta=0.0, tol=1e-8, max_epochs=10, gap_freq=10, positive=False, random=False,
                seed=0, screen=False)


def _sparse_kwargs(prob):
    kw = _dense_kwargs(prob)
    del kw["X"]
    kw.update(X_data=prob.Xsp.data, X_indices=prob.Xsp.indices, X_indptr=prob.Xsp.indptr)
    return kw


def _gram_kwargs(prob):
    kw = _dense_kwargs(prob)
    for key in ("R", "X", "x_offset", "s", "norms2"):
        del kw[key]
    kw.update(H=prob.q.copy(), G=prob.G, q=prob.q, y_norm2=prob.y_norm2)
    return kw


KERNELS = {"dense": (enet_cd_dense, _dense_kwargs), "sparse": (enet_cd_sparse, _sparse_kwargs),
           "gram": (enet_cd_gram, _gram_kwargs)}
BAD = [
    ("ws", lambda p: np.array([0, p], dtype=np.int32), r"ws must hold feature indices in \[0, "),
    ("ws", lambda p: np.array([-1, 2], dtype=np.int32), "ws must hold feature indices"),
    ("ws", lambda p: np.array([3, 3], dtype=np.int32), "must not repeat"),
    ("w", lambda p: np.zeros(p + 1), "w must have length"),
    ("tol", lambda p: -1.0, "tol must be >= 0"),
    ("tol", lambda p: np.nan, "tol must be >= 0"),
    ("alpha", lambda p: -1.0, "alpha must be >= 0"),
    ("max_epochs", lambda p: -1, "max_epochs must be >= 0"),
    ("gap_freq", lambda p: 0, "gap_freq must be >= 1"),
]


@pytest.mark.parametrize("layout", LAYOUTS)
@pytest.mark.parametrize("key, value, match", BAD)
def test_bad_arguments_raise(layout, key, value, match):
    prob = make_problem(np.float64, True, p=10)
    kernel, make_kwargs = KERNELS[layout]
    kwargs = make_kwargs(prob)
    kwargs[key] = value(prob.p)
    with pytest.raises(ValueError, match=match):
        kernel(**kwargs)


@pytest.mark.parametrize(
    "layout, key, value, match",
    [
        ("dense", "R", lambda prob: np.zeros(prob.n - 1), "R must have length"),
        ("dense", "s", lambda prob: np.ones(prob.n + 1), "s must have length"),
        ("dense", "x_offset", lambda prob: np.zeros(prob.p - 1), "x_offset must have length"),
        ("dense", "norms2", lambda prob: np.ones(prob.p + 1), "norms2 must have length"),
        ("sparse", "s", lambda prob: np.ones(prob.n + 1), "s must have length"),
        ("sparse", "X_indptr", lambda prob: prob.Xsp.indptr[:-1].copy(), "X_indptr must"),
        ("sparse", "X_indices", lambda prob: prob.Xsp.indices[:-1].copy(), "X_indices must"),
        ("gram", "G", lambda prob: np.ascontiguousarray(prob.G[:, :-1]), "square"),
        ("gram", "q", lambda prob: np.zeros(prob.p + 1), "q must have length"),
        ("gram", "H", lambda prob: np.zeros(prob.p - 1), "H must have length"),
    ],
)
def test_mismatched_lengths_raise(layout, key, value, match):
    prob = make_problem(np.float64, True, p=10)
    kernel, make_kwargs = KERNELS[layout]
    kwargs = make_kwargs(prob)
    kwargs[key] = value(prob)
    with pytest.raises(ValueError, match=match):
        kernel(**kwargs)


@pytest.fixture(params=[False, True], ids=["baseline", "avx2"])
def colsums_avx2(request):
    """col_stats_dense's loops: the baseline ones, then the AVX2+FMA ones where the CPU has
    them (else the baseline again); the machine's default is restored after the test."""
    default = _cd_fast.colsums_avx2()
    _cd_fast.colsums_avx2(request.param)
    yield _cd_fast.colsums_avx2()
    _cd_fast.colsums_avx2(default)


@pytest.mark.parametrize("center", [True, False])
@pytest.mark.parametrize("weighted", [False, True])
@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("n, p", [(1, 1), (2, 3), (7, 4), (300, 9), (1001, 13), (2048, 4), (3001, 11)])
def test_col_stats_dense(n, p, dtype, weighted, center, colsums_avx2):
    # the one-pass statistics (one or four columns at a time, blocks of rows, odd tails, both
    # instruction sets) against float64 numpy: means, centred norms, centred correlations; a
    # huge-mean column takes the exact centred sum; a non-finite entry gives a non-finite norm
    rng = np.random.default_rng(n + p)
    X = rng.standard_normal((n, p)) * rng.uniform(0.5, 3.0, p) + rng.uniform(-2, 2, p)
    if p >= 4:
        X[:, 2] = 1e4 + 1e-2 * rng.standard_normal(n)  # the mean dwarfs the spread
    sw = rng.uniform(0.5, 2.0, n) if weighted else np.ones(n)
    s = np.sqrt(sw).astype(dtype)
    Xs = np.asfortranarray(X.astype(dtype) * s[:, None], dtype=dtype)
    yc = rng.standard_normal(n).astype(dtype)
    s64, Xs64, yc64 = s.astype(np.float64), Xs.astype(np.float64), yc.astype(np.float64)
    out = [np.full(p, np.nan, dtype=dtype) for _ in range(3)]
    ratio = col_stats_dense(Xs, s, yc, center, *out)
    x_offset, norms2, xty = out
    live = norms2 > 0  # the largest mean-to-spread ratio, for the choice of implicit centring
    expected_ratio = np.max(x_offset[live].astype(np.float64) ** 2 * (s64 @ s64)
                            / norms2[live], initial=0.0)
    assert ratio == pytest.approx(expected_ratio, rel=1e-6)
    mean = (s64 @ Xs64) / (s64 @ s64) if center else np.zeros(p)
    rtol = 1e-12 if dtype == np.float64 else 1e-5
    assert_allclose(x_offset, mean, rtol=rtol, atol=rtol * np.abs(Xs64).max())
    Xc = Xs64 - np.outer(s64, x_offset.astype(np.float64))  # around the returned offsets
    scale = (Xs64**2).sum(0)  # the dots' own rounding is relative to these
    assert_allclose(norms2, (Xc**2).sum(0), rtol=rtol * 100, atol=rtol * 1e-3 * scale.max())
    assert_allclose(xty, Xc.T @ yc64, rtol=rtol * 100,
                    atol=rtol * np.sqrt(scale * (yc64 @ yc64)).max())
    Xs[n // 2, p - 1] = np.nan
    col_stats_dense(Xs, s, yc, center, *out)
    assert not np.isfinite(norms2[p - 1]) and np.all(np.isfinite(norms2[:p - 1]))


def test_col_stats_dense_no_features():
    # p = 0 returns at once (the bounds-checked build must not point at X[0, 0])
    X, none = np.empty((5, 0), order="F"), np.empty(0)
    col_stats_dense(X, np.ones(5), np.ones(5), True, none, none.copy(), none.copy())


def test_col_norms2_bad_arguments_raise():
    prob = make_problem(np.float64, True, p=10)
    with pytest.raises(ValueError, match="out must have length"):
        col_norms2_dense(X=prob.Xs, x_offset=prob.x_offset, s=prob.s, out=np.empty(3))
    with pytest.raises(ValueError, match="x_offset must have length"):
        col_norms2_sparse(X_data=prob.Xsp.data, X_indices=prob.Xsp.indices,
                          X_indptr=prob.Xsp.indptr, x_offset=np.zeros(3), s=prob.s,
                          out=np.empty(prob.p))


@pytest.mark.parametrize("layout", LAYOUTS)
def test_zero_column_gets_zero_coefficient(layout):
    """A column that centring makes zero (norms2 == 0) is skipped, but a warm-started non-zero
    coefficient on it is set to 0 (its only optimal value once alpha or beta > 0)."""
    prob = make_problem(np.float64, False, p=12, density=1.0, seed=10)
    prob.Xs[:, 4] = 3.0
    prob.x_offset[4] = 3.0  # mean of an all-3 column: Xc_4 = 0 exactly
    prob.Xsp = sp.csc_matrix(prob.Xs)
    prob.Xsp.indices = prob.Xsp.indices.astype(np.int32)
    prob.Xsp.indptr = prob.Xsp.indptr.astype(np.int32)
    prob.Xc[:, 4] = 0.0
    prob.G = np.ascontiguousarray(prob.Xc.T @ prob.Xc)
    prob.q = prob.Xc.T @ prob.yc64
    col_norms2_dense(X=prob.Xs, x_offset=prob.x_offset, s=prob.s, out=prob.norms2)
    assert prob.norms2[4] == 0
    w0 = np.zeros(prob.p)
    w0[4] = 0.7
    alpha = 0.1 * float(np.abs(prob.Xc.T @ prob.yc64).max())
    w, state, (gap, _, _), _ = solve(prob, layout, alpha, 0.0, w0=w0)
    assert w[4] == 0 and gap <= TOL[np.float64] * prob.y_norm2
    check_state(prob, layout, w, state)


@pytest.mark.skipif(not DEBUG_BUILD, reason="index validation of CSC arrays is debug-build only")
def test_debug_build_rejects_bad_csc_indices():
    prob = make_problem(np.float64, True, p=10)
    kwargs = _sparse_kwargs(prob)
    indices = prob.Xsp.indices.copy()
    indices[3] = prob.n
    kwargs["X_indices"] = indices
    with pytest.raises(ValueError, match="X_indices must lie in"):
        enet_cd_sparse(**kwargs)


def test_empty_index_set():
    prob = make_problem(np.float64, False, p=10)
    w, R, (gap, n_epochs, n_active), _ = solve(prob, "dense", 1.0, 0.0,
                                                ws=np.empty(0, dtype=np.int32))
    assert gap == 0.0 and n_epochs == 1 and n_active == 0
    assert_array_equal(w, 0)


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("positive", [False, True])
@pytest.mark.parametrize("beta", [0.0, 5.0])
def test_polish_gram_decreases_and_keeps_gradient(dtype, positive, beta):
    # Newton steps from a rough iterate on ill-scaled, partly collinear columns: the objective
    # never increases, H stays q - G w, and the sign constraint holds
    rng = np.random.default_rng(3)
    for trial in range(40):
        n, p = int(rng.integers(8, 50)), int(rng.integers(3, 30))
        X = rng.standard_normal((n, p)) * rng.choice([1.0, 30.0, 1000.0], p)
        if trial % 3 == 0:
            X[:, -1] = 2 * X[:, 0]
        y = X[:, :3] @ rng.standard_normal(3) + rng.standard_normal(n)
        G = np.ascontiguousarray(X.T @ X, dtype=dtype)
        q = (X.T @ y).astype(dtype)
        alpha = float(np.abs(q).max()) * rng.choice([0.3, 0.05, 0.005])
        w = np.where(rng.random(p) < 0.5, rng.standard_normal(p) * 0.01, 0.0).astype(dtype)
        if positive:
            w = np.abs(w)
        H = (q - G @ w).astype(dtype)
        G64, q64 = G.astype(np.float64), q.astype(np.float64)

        def f(v):
            v = v.astype(np.float64)
            return 0.5 * v @ G64 @ v - q64 @ v + 0.5 * beta * v @ v + alpha * np.abs(v).sum()

        f0 = f(w)
        polish_gram(w, H, G, alpha, beta, positive, 500, 20)
        rtol = 1e-10 if dtype == np.float64 else 1e-4
        assert f(w) <= f0 + rtol * max(abs(f0), 1.0)
        assert_allclose(H, q64 - G64 @ w.astype(np.float64),
                        atol=rtol * (1 + np.abs(q64).max() + np.abs(G64).max() * np.abs(w).max()))
        assert not positive or np.all(w >= 0)


@pytest.mark.parametrize("dtype", DTYPES)
def test_polish_gram_singular_block_still_moves(dtype):
    # more non-zeros than samples (a rank-deficient support block): the step is taken with a
    # small ridge on the block, still decreases the objective and prunes the support
    rng = np.random.default_rng(5)
    n, p = 10, 40
    X = rng.standard_normal((n, p))
    y = X[:, :2] @ np.array([2.0, -1.0]) + 0.1 * rng.standard_normal(n)
    G = np.ascontiguousarray(X.T @ X, dtype=dtype)
    q = (X.T @ y).astype(dtype)
    alpha = 0.05 * float(np.abs(q).max())
    w = (0.01 * rng.standard_normal(p)).astype(dtype)
    H = (q - G @ w).astype(dtype)
    G64, q64 = G.astype(np.float64), q.astype(np.float64)

    def f(v):
        v = v.astype(np.float64)
        return 0.5 * v @ G64 @ v - q64 @ v + alpha * np.abs(v).sum()

    f0 = f(w)
    assert polish_gram(w, H, G, alpha, 0.0, False, 500, 100) is True
    assert f(w) < f0
    assert np.count_nonzero(w) <= n


def test_polish_gram_bad_arguments_raise():
    G = np.eye(3)
    with pytest.raises(ValueError, match="H"):
        polish_gram(np.zeros(3), np.zeros(2), G, 1.0, 0.0, False, 10, 5)
    with pytest.raises(ValueError, match="shape"):
        polish_gram(np.zeros(3), np.zeros(3), np.eye(4), 1.0, 0.0, False, 10, 5)
    with pytest.raises(ValueError, match="non-negative"):
        polish_gram(np.zeros(3), np.zeros(3), G, 1.0, 0.0, False, -1, 5)
    # nothing to polish from zero, and a support above max_support declines
    w = np.array([1.0, -1.0, 0.5])
    assert polish_gram(w.copy(), np.zeros(3), G, 1.0, 0.0, False, 2, 5) is False


# -- the working-set outer loop's bookkeeping, against numpy ----------------------------------
def _bookkeeping_case(dtype, seed):
    rng = np.random.default_rng(seed)
    p = 40
    w = np.where(rng.random(p) < 0.3, rng.standard_normal(p), 0.0).astype(dtype)
    g = rng.standard_normal(p).astype(dtype)
    norms_beta = rng.uniform(0.5, 2.0, p).astype(dtype)
    norms_beta[3] = 0  # a zero column (screened from the start in the solver)
    return w, g, norms_beta


@pytest.mark.parametrize("positive", [False, True])
@pytest.mark.parametrize("beta", [0.0, 0.7])
@pytest.mark.parametrize("dtype", DTYPES)
def test_gap_terms_and_scaled_corr_match_numpy(dtype, beta, positive):
    w, g, _ = _bookkeeping_case(dtype, 0)
    w64, g64 = w.astype(np.float64), g.astype(np.float64)
    xta = g64 - beta * w64
    dual_norm = max(float(np.max(xta if positive else np.abs(xta))), 0.0)
    rtol = 1e-12 if dtype == np.float64 else 1e-6
    assert_allclose(gap_terms(w, g, beta, positive),
                    [w64 @ g64, np.abs(w64).sum(), w64 @ w64, dual_norm], rtol=rtol)
    out = np.empty(w.size)
    scaled_corr(w, g, beta, positive, 1e-3, 0.25, out)
    assert_allclose(out, ((xta if positive else np.abs(xta)) + 1e-3) * 0.25, rtol=rtol)
    assert gap_terms(w[:0], g[:0], beta, positive) == (0.0, 0.0, 0.0, 0.0)


@pytest.mark.parametrize("screen", [False, True])
@pytest.mark.parametrize("dtype", DTYPES)
def test_screen_and_rank_matches_numpy(dtype, screen):
    w, g, norms_beta = _bookkeeping_case(dtype, 1)
    rng = np.random.default_rng(2)
    corr = rng.uniform(0, 1.2, w.size)
    best_corr = np.where(w != 0, 1.0, rng.uniform(0, 1, w.size))
    best_corr[5] = 0.2  # screened now although non-zero: a drop
    w[5] = 0.5
    screened = (norms_beta == 0).view(np.uint8)
    screened[7] = 1  # screened earlier (and zero, as the solver leaves it)
    w[7] = 0
    radius = 0.3
    expect_screened = screened.astype(bool).copy()
    if screen:
        expect_screened |= best_corr + radius * norms_beta < 1
    with np.errstate(divide="ignore"):
        expect = (1 - corr) / norms_beta.astype(np.float64)
    expect[w != 0] = -np.inf
    expect[expect_screened] = np.inf
    prio = np.empty(w.size)
    n_drop, n_cand, nnz = screen_and_rank(best_corr, corr, norms_beta, radius, screen,
                                          screened, w, prio)
    assert_array_equal(screened.astype(bool), expect_screened)
    assert_allclose(prio, expect, rtol=1e-12)
    assert n_drop == int(np.sum(expect_screened & (w != 0)))
    assert (n_drop > 0) == screen
    assert n_cand == int(np.sum(~expect_screened))
    assert nnz == int(np.sum((w != 0) & ~expect_screened))


def test_bookkeeping_bad_lengths_raise():
    w, g, norms_beta = _bookkeeping_case(np.float64, 0)
    with pytest.raises(ValueError, match="g must have length"):
        gap_terms(w, g[:3], 0.0, False)
    with pytest.raises(ValueError, match="out must have length"):
        scaled_corr(w, g, 0.0, False, 0.0, 1.0, np.empty(3))
    with pytest.raises(ValueError, match="prio must have length"):
        screen_and_rank(g, g, norms_beta, 0.1, True, np.zeros(w.size, np.uint8), w,
                        np.empty(3))


@pytest.mark.parametrize("dtype", DTYPES)
def test_cols_dot_and_bounded_need_match_numpy(dtype):
    # the bounded gradient's two compiled helpers: listed columns' dots (dense and CSC,
    # repeated and unsorted indices, an empty list) and the features it must compute
    rng = np.random.default_rng(4)
    n, p = 37, 23
    X = (rng.standard_normal((n, p)) * (rng.random((n, p)) < 0.4)).astype(dtype)
    R = rng.standard_normal(n).astype(dtype)
    Xs = sp.csc_matrix(X)
    idx = np.array([5, 0, 22, 5, 13], dtype=np.int32)
    for got_idx in (idx, idx[:0]):
        out_d, out_s = np.empty(got_idx.size), np.empty(got_idx.size)
        _cd_fast.cols_dot_dense(np.asfortranarray(X), got_idx, R, out_d)
        _cd_fast.cols_dot_sparse(Xs.data, Xs.indices.astype(np.int32),
                                 Xs.indptr.astype(np.int32), got_idx, R, out_s)
        expect = X.astype(np.float64)[:, got_idx].T @ R.astype(np.float64)
        rtol = 1e-5 if dtype == np.float32 else 1e-12
        assert_allclose(out_d, expect, rtol=rtol, atol=rtol)
        assert_allclose(out_s, expect, rtol=rtol, atol=rtol)
    with pytest.raises(ValueError, match="out of range"):
        _cd_fast.cols_dot_dense(np.asfortranarray(X), np.array([p], np.int32), R, np.empty(1))
    with pytest.raises(ValueError, match="out of range"):
        _cd_fast.cols_dot_sparse(Xs.data, Xs.indices.astype(np.int32),
                                 Xs.indptr.astype(np.int32), np.array([-1], np.int32), R,
                                 np.empty(1))
    with pytest.raises(ValueError, match="out must have length"):
        _cd_fast.cols_dot_dense(np.asfortranarray(X), idx, R, np.empty(2))
    g = rng.standard_normal(p).astype(dtype)
    e = np.abs(rng.standard_normal(p))
    e[::4] = 0
    w = np.where(rng.random(p) < 0.2, 1.0, 0.0).astype(dtype)
    out = np.empty(p, dtype=np.int32)
    k = _cd_fast.bounded_need(g, e, w, 1.2, out)
    expect = np.flatnonzero((e > 0) & ((np.abs(g.astype(np.float64)) + e > 1.2) | (w != 0)))
    assert_array_equal(out[:k], expect)
    with pytest.raises(ValueError, match="idx must have length"):
        _cd_fast.bounded_need(g, e, w, 1.2, out[:3])


# ------------------------------------------------------------------------------------------------
# Anderson acceleration

@pytest.mark.parametrize("layout", LAYOUTS)
@pytest.mark.parametrize("weighted", [False, True])
@pytest.mark.parametrize("dtype", DTYPES)
def test_anderson_acceleration_saves_epochs_on_correlated_features(dtype, weighted, layout):
    """Extrapolated points (taken only when they lower the objective) reach the same solution
    in far fewer epochs than plain cyclic descent where the features are strongly correlated;
    the residual (the Gram layout's gradient) on exit is still exact."""
    prob = make_problem(dtype, weighted, n=80, p=40, density=1.0, rho=0.95, seed=3)
    alpha = 0.002 * prob.alpha_max
    # float32 rounding stalls either variant short of TOL on so ill-conditioned a problem
    tol = {np.float64: 1e-10, np.float32: 1e-4}[dtype] * prob.y_norm2
    out = {}
    for anderson in (0, 5):
        w, R, (gap, n_epochs, _), _ = solve(prob, layout, alpha, 0.0, tol=tol,
                                            anderson=anderson)
        assert gap <= tol
        check_state(prob, layout, w, R)
        out[anderson] = w, n_epochs
    # both within tol of the optimum (float32 coefficients of so ill-conditioned a problem
    # are not determined to COEF_RTOL by that gap)
    assert abs(primal(prob, out[5][0], alpha, 0.0) - primal(prob, out[0][0], alpha, 0.0)) <= 2 * tol
    if dtype == np.float64:
        assert_coef_close(out[5][0], out[0][0], dtype)
    assert out[5][1] < 0.7 * out[0][1], (out[5][1], out[0][1])


@pytest.mark.parametrize("layout", ["dense", "sparse"])
@pytest.mark.parametrize("positive", [False, True])
@pytest.mark.parametrize("weighted", [False, True])
@pytest.mark.parametrize("pen", ["l1", "enet"])
@pytest.mark.parametrize("dtype", DTYPES)
def test_active_sweeps_reach_the_same_solution(dtype, pen, weighted, positive, layout):
    """Sweeps over the working set's non-zeros between full sweeps (once a gap check has
    missed tol) change the order of the updates, not the problem: same optimum, gap met, exact
    residual on exit."""
    prob = make_problem(dtype, weighted, n=80, p=60, density=0.6, rho=0.7, seed=4)
    alpha, beta = penalty(prob, pen, frac=0.02)
    tol = TOL[dtype] * prob.y_norm2
    out = {}
    for sweeps in (0, 1, 3):
        for screen in (False, True):
            w, R, (gap, n_epochs, _), _ = solve(prob, layout, alpha, beta, tol=tol,
                                                positive=positive, screen=screen,
                                                active_sweeps=sweeps)
            assert gap <= tol
            check_state(prob, layout, w, R)
            out[sweeps, screen] = w
    for key, w in out.items():
        assert abs(primal(prob, w, alpha, beta) - primal(prob, out[0, False], alpha, beta)) \
            <= 2 * tol
        assert_coef_close(w, out[0, False], dtype)


@pytest.mark.parametrize("layout", ["dense", "sparse"])
@pytest.mark.parametrize("seed", range(4))
def test_active_sweeps_end_calls_on_full_epochs(layout, seed):
    """With one active sweep per full epoch and a gap check due after every epoch, epochs
    alternate full / active once the first check misses: a call that converges ends after a
    full epoch, an odd one (every feature of the working set had its chance to enter since
    the last non-zero moved); one that runs out of max_epochs ends there."""
    prob = make_problem(np.float64, True, n=60, p=40, density=0.7, rho=0.6, seed=seed)
    alpha = 0.05 * prob.alpha_max
    for max_epochs in (2, 20, 20000):
        _, _, (gap, n_epochs, _), _ = solve(prob, layout, alpha, 0.0, gap_freq=1,
                                            max_epochs=max_epochs, active_sweeps=1,
                                            anderson=0)
        assert n_epochs % 2 == 1 or n_epochs == max_epochs, (max_epochs, n_epochs)
        assert max_epochs < 20000 or gap <= TOL[np.float64] * prob.y_norm2


# ------------------------------------------------------------------------------------------------
# The compiled Gram path

def _gram_path_reference(w, H, G, q, y_norm2, alphas, betas, tol, max_iter, positive, random,
                         seed, shed_from, max_support):
    """The solver's alternation of kernel epochs and polishing steps, per alpha, written with
    the two Python entry points (what ``gram_path`` runs without returning to Python)."""
    from fastreg._cd_solver import (GAP_FREQ, MAX_POLISH_STEPS, POLISH_EVERY_GRAM,
                                    POLISH_OVERHEAD_GRAM, POLISH_STEPS_EXPECTED)
    p = len(w)
    out = []
    for alpha, beta in zip(alphas, betas):
        ws = np.arange(p, dtype=np.int32)
        n_iter, backoff = 0, 1

        def kernel(epochs):
            return enet_cd_gram(w=w, H=H, G=G, q=q, y_norm2=y_norm2, ws=ws, alpha=alpha,
                                beta=beta, tol=tol, max_epochs=epochs, gap_freq=GAP_FREQ,
                                positive=positive, random=random, seed=seed, screen=True)

        while True:
            k = np.count_nonzero(w)
            every = max(POLISH_EVERY_GRAM, int(np.ceil(
                POLISH_STEPS_EXPECTED * (k**3 / 3 + POLISH_OVERHEAD_GRAM) / max(p * p, 1))))
            every = backoff * min(every, max(POLISH_EVERY_GRAM, max_iter // 2))
            gap, n_ep, _ = kernel(min(every, max_iter - n_iter))
            n_iter += max(n_ep, 1)
            if gap <= tol or n_iter >= max_iter:
                break
            steps = MAX_POLISH_STEPS + max(0, np.count_nonzero(w) - shed_from)
            if not polish_gram(w, H, G, float(alpha), float(beta), positive, max_support,
                               steps):
                backoff *= 2
                continue
            gap = kernel(0)[0]
            if gap <= tol:
                break
        out.append((w.copy(), gap, n_iter))
    return out


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("positive", [False, True])
@pytest.mark.parametrize("random", [False, True])
@pytest.mark.parametrize("max_support", [500, 2])
def test_gram_path_runs_the_solvers_alternation(dtype, positive, random, max_support):
    """gram_path gives bit for bit what the kernel and polishing entry points give when
    called in the solver's order, on paths over raw (ill-conditioned) powers where polishing
    steps happen (or, with max_support=2, decline and back off), one of them wide (supports
    beyond n_samples)."""
    from fastreg._cd_solver import (GAP_FREQ, MAX_POLISH_STEPS, POLISH_EVERY_GRAM,
                                    POLISH_OVERHEAD_GRAM, POLISH_STEPS_EXPECTED)
    rng = np.random.default_rng(7)
    for n, base_p in ((60, 5), (25, 10)):
        base = rng.uniform(0, 10, (n, base_p))
        X = np.hstack([base**d for d in range(1, 5)])
        y = X[:, :2].sum(1) + rng.standard_normal(n)
        Xc, yc = X - X.mean(0), y - y.mean()
        G = np.ascontiguousarray(Xc.T @ Xc, dtype=dtype)
        q = (Xc.T @ yc).astype(dtype)
        y_norm2 = dtype(yc @ yc)
        amax = float(np.abs(q).max())
        alphas = (amax * np.geomspace(0.5, 1e-4, 12)).astype(dtype)
        betas = (0.3 * alphas * (rng.random(12) < 0.5)).astype(dtype)
        tol, max_iter = dtype(1e-7 * y_norm2), 300
        p = G.shape[0]
        w0 = np.zeros(p, dtype=dtype)
        ref = _gram_path_reference(w0.copy(), q.copy(), G, q, y_norm2, alphas, betas, tol,
                                   max_iter, positive, random, 11, n, max_support)
        w, H = w0.copy(), q.copy()
        coefs = np.empty((p, len(alphas)), dtype=dtype)
        gaps = np.empty(len(alphas))
        n_iters = np.empty(len(alphas), dtype=np.int32)
        gram_path(w, H, G, q, y_norm2, alphas, betas, tol, max_iter, positive, random, 11,
                  True, n, coefs, gaps, n_iters, GAP_FREQ, POLISH_EVERY_GRAM,
                  POLISH_STEPS_EXPECTED, POLISH_OVERHEAD_GRAM, max_support, MAX_POLISH_STEPS)
        for i, (w_ref, gap_ref, n_iter_ref) in enumerate(ref):
            assert_array_equal(coefs[:, i], w_ref)
            assert gaps[i] == gap_ref
            assert n_iters[i] == n_iter_ref
        assert_array_equal(w, ref[-1][0])
        assert_allclose(H, q.astype(np.float64) - G.astype(np.float64) @ w,
                        rtol=0, atol=1e-3 * float(np.abs(q).max()) if dtype == np.float32
                        else 1e-8 * float(np.abs(q).max()))


def test_gram_path_bad_arguments_raise():
    p = 3
    G, q = np.eye(p), np.ones(p)
    a = np.array([0.5, 0.1])

    def call(**kw):
        args = dict(w=np.zeros(p), H=q.copy(), G=G, q=q, y_norm2=3.0, alphas=a, betas=0 * a,
                    tol=1e-6, max_iter=100, positive=False, random=False, seed=0,
                    screen=True, shed_from=10, coefs=np.empty((p, 2)), gaps=np.empty(2),
                    n_iters=np.empty(2, dtype=np.int32), gap_freq=10, polish_every=10,
                    polish_expected=1.0, polish_cost=1e4, max_support=500, polish_steps=20)
        args.update(kw)
        return gram_path(**args)

    call()
    with pytest.raises(ValueError, match="betas must have length"):
        call(betas=np.zeros(3))
    with pytest.raises(ValueError, match="coefs must have shape"):
        call(coefs=np.empty((p, 3)))
    with pytest.raises(ValueError, match="alpha must be >= 0"):
        call(alphas=np.array([0.5, -1.0]))
    with pytest.raises(ValueError, match="H must have length"):
        call(H=np.zeros(2))
    with pytest.raises(ValueError, match="square"):
        call(G=np.ones((3, 2)))
    with pytest.raises(ValueError, match="gaps must have length"):
        call(gaps=np.empty(3))
    with pytest.raises(ValueError, match="n_iters must have length"):
        call(n_iters=np.empty(1, dtype=np.int32))
    with pytest.raises(ValueError, match="y_norm2"):
        call(y_norm2=-1.0)
    with pytest.raises(ValueError, match="shed_from"):
        call(shed_from=-1)
