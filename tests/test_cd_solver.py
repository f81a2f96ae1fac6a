"""Solver-layer tests (``fastreg._cd_solver``): the polishing step on X layouts."""
import numpy as np
import pytest
import scipy.sparse as sp
from numpy.testing import assert_allclose

from _helpers import constant_column_problem

from fastreg._base import preprocess
from fastreg._cd_solver import CDProblem


def _objective(Xc, yc, w, alpha, beta):
    w = w.astype(np.float64)
    r = yc - Xc @ w
    return 0.5 * r @ r + 0.5 * beta * w @ w + alpha * np.abs(w).sum()


def _primal_and_gap(Xc, yc, w, alpha, l1_ratio, positive):
    """Objective (P) (sum scale) at ``w`` and its exact duality gap, in float64 from scratch,
    for a path's ``alpha`` (per-sample scale)."""
    n, w = len(yc), w.astype(np.float64)
    a, b = alpha * l1_ratio * n, alpha * (1 - l1_ratio) * n
    R = yc - Xc @ w
    xta = Xc.T @ R - b * w
    dual_norm = np.max(xta) if positive else np.max(np.abs(xta))
    scale = min(1.0, a / dual_norm) if dual_norm > 0 else 1.0
    primal = 0.5 * (R @ R + b * w @ w) + a * np.abs(w).sum()
    dual = -0.5 * scale**2 * (R @ R + b * w @ w) + scale * (R @ yc)
    return primal, primal - dual


def _path_case(X, y, sw, dtype, l1_ratio, sparse=False):
    """The preprocessed problem (weights rescaled to sum to n), its weighted, centred float64
    copy (rows scaled by sqrt(sw)), 40 alphas down to amax/100 and the tol the paths use."""
    n = len(y)
    X, y = X.astype(dtype), y.astype(dtype)
    weighted = sw is not None
    sw = sw * (n / sw.sum()) if weighted else np.ones(n)
    design = preprocess(sp.csc_matrix(X) if sparse else np.asfortranarray(X), y,
                        fit_intercept=True, with_norms=True,
                        sample_weight=sw.astype(dtype) if weighted else None)
    X64, y64 = X.astype(np.float64), y.astype(np.float64)
    Xc = np.sqrt(sw)[:, None] * (X64 - sw @ X64 / n)
    yc = np.sqrt(sw) * (y64 - sw @ y64 / n)
    amax = float(np.max(np.abs(Xc.T @ yc))) / (n * l1_ratio)
    return (design, Xc, yc, amax * np.logspace(0, -2, 40),
            1e-4 if dtype == np.float32 else 1e-7)


def _counted_path(design, alphas, l1_ratio, tol, positive):
    """solve_path on a new CDProblem: coefficients, gaps and the number of full passes."""
    from fastreg._path import solve_path

    problem = CDProblem(design)
    calls = []
    rmatvec = problem.rmatvec
    problem.rmatvec = lambda R: calls.append(1) or rmatvec(R)
    coefs, gaps, _ = solve_path(problem, design.yc, alphas, l1_ratio, tol=tol,
                                max_iter=10_000, positive=positive, q=design.xty)
    return coefs, gaps, len(calls)


@pytest.mark.parametrize("layout", ["dense", "sparse"])
@pytest.mark.parametrize("dtype", [np.float64, np.float32])
@pytest.mark.parametrize("positive", [False, True])
@pytest.mark.parametrize("beta", [0.0, 3.0])
def test_polish_on_x_decreases_and_keeps_residual(layout, dtype, positive, beta):
    # from rough iterates, on centred, weighted, ill-scaled and partly collinear columns (also
    # with more non-zeros than samples): the objective never increases, R stays yc - Xc w in
    # the data's dtype, the sign constraint holds and the candidates bound the support
    rng = np.random.default_rng(7)
    for trial in range(25):
        n, p = int(rng.integers(6, 40)), int(rng.integers(3, 60))
        X = (rng.standard_normal((n, p)) + 2.0) * rng.choice([1.0, 30.0, 1000.0], p)
        if trial % 3 == 0:
            X[:, -1] = 2 * X[:, 0]
        y = X[:, :3] @ rng.standard_normal(3) + rng.standard_normal(n)
        sw = rng.uniform(0.5, 2.0, n) if trial % 2 else None
        X = X.astype(dtype)
        design = preprocess(sp.csc_matrix(X) if layout == "sparse" else np.asfortranarray(X),
                            y.astype(dtype), fit_intercept=True, sample_weight=sw)
        problem = CDProblem(design)
        s64 = np.sqrt(sw) if sw is not None else np.ones(n)
        Xc = s64[:, None] * (X.astype(np.float64) - problem.x_offset.astype(np.float64))
        yc = design.yc.astype(np.float64)
        alpha = float(np.abs(Xc.T @ yc).max()) * rng.choice([0.3, 0.05, 0.005])
        w = np.where(rng.random(p) < 0.6, rng.standard_normal(p) * 0.01, 0.0).astype(dtype)
        if positive:
            w = np.abs(w)
        R = (yc - Xc @ w.astype(np.float64)).astype(dtype)
        candidates = None
        if trial % 4 == 1:
            candidates = np.union1d(np.flatnonzero(w), rng.choice(p, p // 2, replace=False))
        before = w.copy()
        f0 = _objective(Xc, yc, w, alpha, beta)
        problem.polish(w, R, alpha, beta, positive, candidates=candidates)
        rtol = 1e-10 if dtype == np.float64 else 1e-4
        assert w.dtype == dtype and R.dtype == dtype
        assert _objective(Xc, yc, w, alpha, beta) <= f0 + rtol * max(f0, 1.0)
        assert_allclose(R, yc - Xc @ w.astype(np.float64),
                        atol=rtol * np.abs(yc).max() * 10)
        assert not positive or np.all(w >= 0)
        if candidates is not None:
            outside = np.setdiff1d(np.arange(p), candidates)
            assert np.array_equal(w[outside], before[outside])


def test_working_set_that_holds_is_solved_to_the_final_tolerance(monkeypatch):
    # once a full gradient shows the working set missed nothing, the next inner solve aims at
    # tol itself: the certificate then comes with fewer full gradients X^T R than when every
    # inner solve stops at a fraction of the current gap, to the same precision
    from fastreg import _cd_solver

    rng = np.random.default_rng(0)
    n, p = 150, 1500
    X = np.empty((n, p))
    X[:, 0] = rng.standard_normal(n)
    for j in range(1, p):  # AR(1) columns, as in the benchmarks
        X[:, j] = 0.6 * X[:, j - 1] + 0.8 * rng.standard_normal(n)
    y = X[:, rng.choice(p, 10, replace=False)] @ rng.standard_normal(10) + rng.standard_normal(n)
    design = preprocess(np.asfortranarray(X), y, fit_intercept=True, with_norms=True)
    alpha = float(np.abs(design.xty).max()) / 100

    def solve():
        problem = CDProblem(design)
        calls = []
        rmatvec = problem.rmatvec
        problem.rmatvec = lambda R: calls.append(1) or rmatvec(R)
        w = np.zeros(p)
        gap, _ = problem.solve(design.yc, w, alpha, 0.0, tol=1e-8, max_iter=10_000,
                               q=design.xty)
        return w, gap, len(calls)

    w_on, gap_on, grads_on = solve()
    monkeypatch.setattr(_cd_solver, "WS_HOLDS", 0.0)
    w_off, gap_off, grads_off = solve()
    tol_abs = 1e-8 * float(design.yc @ design.yc)
    assert gap_on <= tol_abs and gap_off <= tol_abs
    assert grads_on < grads_off
    assert_allclose(w_on, w_off, atol=1e-6 * np.abs(w_off).max())


def test_paths_cache_gram_rows_only_for_x_beyond_the_last_level_cache(monkeypatch):
    # a pass over an X that stays in the CPU's last-level cache is cheaper than forming the
    # Gram rows that would replace it: paths on such an X compute every gradient by a pass;
    # on a larger one (here: a limit below X's size) they update gradients from cached rows
    from fastreg import _cd_solver
    from fastreg._path import solve_path

    rng = np.random.default_rng(3)
    n, p = 100, 600
    X = np.asfortranarray(rng.standard_normal((n, p)))
    y = X[:, :5] @ rng.standard_normal(5) + rng.standard_normal(n)
    design = preprocess(X, y, fit_intercept=True, with_norms=True)
    alphas = float(np.abs(design.xty).max()) / n * np.logspace(0, -2, 20)
    assert _cd_solver.last_level_cache_bytes() >= 0

    def path(limit):
        monkeypatch.setattr(_cd_solver, "GRAD_CACHE_MIN_BYTES", limit)
        problem = CDProblem(design)
        coefs, _, _ = solve_path(problem, design.yc, alphas, 1.0, tol=1e-8, max_iter=10_000,
                                 q=design.xty)
        return coefs, problem.cache_gradients, problem._rows is not None

    coefs_small, cached_small, rows_small = path(X.nbytes)
    coefs_large, cached_large, rows_large = path(X.nbytes - 1)
    assert (cached_small, rows_small) == (False, False)
    assert (cached_large, rows_large) == (True, True)
    assert_allclose(coefs_small, coefs_large, atol=1e-6 * np.abs(coefs_small).max())


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
@pytest.mark.parametrize("positive", [False, True])
@pytest.mark.parametrize("l1_ratio", [1.0, 0.7])
@pytest.mark.parametrize("weighted", [False, True])
def test_path_gradients_updated_from_cached_gram_rows(monkeypatch, dtype, positive, l1_ratio,
                                                      weighted):
    # along a path, outer gradients are updated from cached Gram rows of the features that
    # moved instead of recomputed by a pass over X: fewer passes, the same path, and every
    # reported gap still bounds the exact gap recomputed from scratch (implicit centring and
    # sample weights too: the rows must be those of the weighted, centred design)
    from fastreg import _cd_solver
    from sklearn.linear_model import enet_path as sk_enet_path

    rng = np.random.default_rng(1)
    n, p = 200, 1200
    X = rng.standard_normal((n, p)) * rng.uniform(0.5, 2.0, p) + rng.uniform(-3, 3, p)
    y = X[:, :8] @ rng.standard_normal(8) * 2 + rng.standard_normal(n)
    sw = rng.uniform(0.2, 3.0, n) if weighted else None
    design, Xc, yc, alphas, tol = _path_case(X, y, sw, dtype, l1_ratio)

    def path():
        return _counted_path(design, alphas, l1_ratio, tol, positive)

    monkeypatch.setattr(_cd_solver, "GRAD_CACHE_MIN_BYTES", 0)  # rows for X of any size
    coefs_on, gaps_on, grads_on = path()
    monkeypatch.setattr(_cd_solver, "GRAD_CACHE_BATCH", 0)  # no rows: passes over X
    coefs_off, gaps_off, grads_off = path()
    # float32 rounding often leaves no budget for updates at this tol: never more passes
    assert grads_on < grads_off if dtype == np.float64 else grads_on <= grads_off

    target = tol * float(yc @ yc) / n
    for k, alpha in enumerate(alphas):
        _, gap = _primal_and_gap(Xc, yc, coefs_on[:, k], alpha, l1_ratio, positive)
        slack = 1.5 if dtype == np.float64 else 30.0  # float32 residuals round
        assert gap / n <= slack * max(target, gaps_on[k])
        assert gaps_on[k] <= target
    scale = np.abs(coefs_off).max()
    assert_allclose(coefs_on, coefs_off, atol=(1e-2 if dtype == np.float32 else 1e-4) * scale)
    if dtype == np.float64:  # the same path as scikit-learn's
        _, sk_coefs, _ = sk_enet_path(Xc, yc, l1_ratio=l1_ratio, alphas=alphas, tol=1e-10,
                                      max_iter=100_000, positive=positive)
        assert_allclose(coefs_on, sk_coefs, atol=1e-3 * scale)


@pytest.mark.parametrize("positive", [False, True])
@pytest.mark.parametrize("beta", [0.0, 2.0])
def test_duality_gap_with_gradient_error_bounds_the_exact_gap(positive, beta):
    # a gradient known only to within err per entry still yields a valid gap: the dual point
    # it scales is feasible for the exact gradient, and the dual value it reports is at most
    # the exact one at that point
    from fastreg._cd_solver import duality_gap

    rng = np.random.default_rng(3)
    X = rng.standard_normal((50, 80))
    y = rng.standard_normal(50)
    for trial in range(50):
        w = np.where(rng.random(80) < 0.1, rng.standard_normal(80), 0.0)
        if positive:
            w = np.abs(w)
        R = y - X @ w
        g = X.T @ R
        alpha = float(np.abs(g).max()) * rng.uniform(0.3, 1.5)
        err = 10.0 ** rng.uniform(-8, -1) * alpha
        noisy = g + rng.uniform(-err, err, g.size)
        gap, primal, scale, own_gap = duality_gap(R, w, noisy, alpha, beta, positive, err)
        # the residual's own gap: the same numbers without the error bound
        assert own_gap == duality_gap(R, w, noisy, alpha, beta, positive)[0]
        xta = g - beta * w
        assert scale * (np.max(xta) if positive else np.max(np.abs(xta))) <= alpha * (1 + 1e-12)
        dual = -0.5 * scale**2 * (R @ R + beta * w @ w) + scale * (R @ R + w @ g)
        assert primal - gap <= dual + 1e-9 * abs(dual)


@pytest.mark.parametrize("precompute", [False, True])
def test_polishing_sheds_a_support_larger_than_n_samples(monkeypatch, precompute):
    # raw powers with fewer samples than features: coordinate descent spreads the weight over
    # more features than samples, and each polishing step may take as many Newton steps as
    # the support has features in excess of n_samples (it used to stop at 20, so the support
    # shrank by 20 per step and coordinate descent refilled it in between: ~960 epochs here
    # on X, ~300 on its Gram matrix)
    import warnings

    from sklearn.exceptions import ConvergenceWarning

    from fastreg import Lasso
    from fastreg import _cd_solver

    rng = np.random.default_rng(25)
    n, q = int(rng.integers(40, 90)), int(rng.integers(30, 45))
    base = rng.uniform(0, rng.uniform(1, 100), (n, q))
    X = np.hstack([base**d for d in range(1, 5)])
    y = X[:, :3].sum(1) + rng.standard_normal(n) * rng.uniform(0.01, 3)
    Xc, yc = X - X.mean(axis=0), y - y.mean()
    alpha = np.abs(Xc.T @ yc).max() / n * 10 ** -rng.uniform(4, 5)

    def fit(max_iter):
        with warnings.catch_warnings():
            warnings.simplefilter("error", ConvergenceWarning)
            return Lasso(alpha=alpha, precompute=precompute, max_iter=max_iter).fit(X, y)

    new = fit(1000)  # the default
    monkeypatch.setattr(_cd_solver.CDProblem, "_shed_from", lambda self: 2**31 - 1)
    old = fit(10_000)  # ~1000 epochs on X, ~850 on the Gram matrix
    assert X.shape[1] > n
    assert new.n_iter_ < old.n_iter_ / 3
    target = 1e-4 * float(yc @ yc) / n
    assert new.dual_gap_ <= target
    objective = lambda m: (0.5 * np.sum((y - X @ m.coef_ - m.intercept_) ** 2) / n
                           + alpha * np.abs(m.coef_).sum())
    assert objective(new) <= objective(old) + 2 * target


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
@pytest.mark.parametrize("big", [False, True])
def test_explicit_centring_when_a_mean_dwarfs_its_spread(dtype, big):
    # CDProblem centres X explicitly (one copy) when implicit centring would lose too many
    # digits; the decision from col_stats_dense's ratio equals the one recomputed without it,
    # and a constant column (no spread at all) never triggers it
    rng = np.random.default_rng(3)
    X = rng.standard_normal((60, 4))
    # mean / spread beyond the dtype's limit (ratio 1e10 float64, 1e4 float32), or far below
    X[:, 1] += (1e8 if dtype == np.float64 else 1e4) if big else 3.0
    X[:, 3] = 1024.0  # constant (exactly, in both dtypes): its mean does not matter
    y = X[:, 0] - X[:, 1] + rng.standard_normal(60)
    X, y = np.asfortranarray(X, dtype=dtype), y.astype(dtype)
    with_ratio = preprocess(X, y, fit_intercept=True, with_norms=True)
    without = preprocess(X, y, fit_intercept=True)
    assert with_ratio.offset_ratio is not None and without.offset_ratio is None
    explicit = [not CDProblem(design).centred for design in (with_ratio, without)]
    assert explicit[0] == explicit[1] == big


@pytest.mark.parametrize("route", ["norms", "dense", "sparse", "sparse-weighted"])
def test_large_constant_float32_column_centres_to_zero(route):
    # the column means are summed in double on every route: a float32 sum of 60 copies of 5e9
    # misses 5e9, which would leave the "centred" constant column non-zero (a live feature
    # with a spurious norm, and an explicit-centring copy of X); scipy sums a sparse float32
    # matrix in float32 whatever dtype it is asked for, so sparse means use a double copy
    rng = np.random.default_rng(4)
    X = rng.standard_normal((60, 3)).astype(np.float32)
    X[:, 1] = 5e9
    y = (X[:, 0] + rng.standard_normal(60)).astype(np.float32)
    sw = np.full(60, 2.0, dtype=np.float32) if route == "sparse-weighted" else None
    design = preprocess(sp.csc_matrix(X) if route.startswith("sparse") else np.asfortranarray(X),
                        y, fit_intercept=True, with_norms=route == "norms", sample_weight=sw)
    assert design.x_offset[1] == np.float32(5e9)
    if not route.startswith("sparse"):
        problem = CDProblem(design)
        assert problem.norms2[1] == 0 and problem.centred


@pytest.mark.parametrize("weighted", [False, True])
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_sparse_column_constant_up_to_rounding_never_enters(weighted, dtype):
    # a sparse column of 5e9 (rows scaled by sqrt(sample_weight) in X's dtype) keeps a centred
    # norm and gradient of rounding only; it used to wreck the residual updates (NaN gap,
    # zero coefficients, no warning). It is constant: the fit equals the dense one's
    import warnings

    from sklearn.exceptions import ConvergenceWarning

    from fastreg import Lasso

    X, y, rng = constant_column_problem(dtype)
    sw = rng.uniform(0.5, 2.0, 60).astype(dtype) if weighted else None
    with warnings.catch_warnings():
        warnings.simplefilter("error", ConvergenceWarning)
        dense = Lasso(alpha=1e-3).fit(X, y, sample_weight=sw)
        sparse = Lasso(alpha=1e-3).fit(sp.csc_matrix(X), y, sample_weight=sw)
    assert np.isfinite(sparse.dual_gap_) and sparse.coef_[1] == 0
    assert_allclose(sparse.coef_, dense.coef_, rtol=1e-4 if dtype == np.float32 else 1e-8)


@pytest.mark.parametrize("layout", ["dense", "sparse"])
@pytest.mark.parametrize("positive", [False, True])
def test_warm_start_on_a_constant_column(layout, positive):
    # a warm start's coefficient on a constant column (centred column 0) used to put the
    # column's rounding into the residual (5e9 x 2 in float32) and end far from the optimum
    from fastreg import Lasso

    X, y, rng = constant_column_problem(np.float32)
    Xl = sp.csc_matrix(X) if layout == "sparse" else X
    cold = Lasso(alpha=1e-3, positive=positive, tol=1e-6).fit(Xl, y)
    warm = Lasso(alpha=1e-3, positive=positive, tol=1e-6, warm_start=True)
    warm.coef_, warm.intercept_ = np.array([0.0, 2.0, 0.0], dtype=np.float32), 0.0
    warm.fit(Xl, y)
    assert warm.coef_[1] == 0
    assert_allclose(warm.coef_, cold.coef_, rtol=1e-3, atol=1e-4)


def test_sparse_column_with_a_dwarfed_spread_is_centred_explicitly():
    # a float32 column of 1e7 with one entry 1e7 + 4 (exact): implicit centring cancels
    # 1e7 (s . R) against X_j . R and fitted zeros (as scikit-learn's sparse solver does);
    # the column is stored explicitly centred instead, and the fit equals the dense one's
    from fastreg import Lasso

    rng = np.random.default_rng(5)
    X = rng.standard_normal((100, 3)).astype(np.float32)
    X[:, 1] = 1e7
    X[7, 1] = 1e7 + 4
    y = (X[:, 0] + 0.1 * rng.standard_normal(100)).astype(np.float32)
    y[7] += 40
    Xs = sp.csc_matrix(X)
    data = Xs.data.copy()
    sparse = Lasso(alpha=0.01).fit(Xs, y)
    dense = Lasso(alpha=0.01).fit(X, y)
    assert np.array_equal(Xs.data, data)  # the input is not modified
    assert_allclose(sparse.coef_, dense.coef_, rtol=1e-3, atol=1e-4)
    assert sparse.coef_[1] > 9


@pytest.mark.parametrize("layout", ["dense", "sparse", "gram"])
def test_max_iter_beyond_c_int_is_accepted(layout):
    # scikit-learn accepts any non-negative max_iter; the kernels count epochs in C ints, so
    # the solver clamps what it hands them (a fit never gets near 2^31 epochs)
    import scipy.sparse as sp

    from fastreg import Lasso

    rng = np.random.default_rng(0)
    X = rng.standard_normal((60, 150 if layout == "dense" else 20))
    y = X[:, :3].sum(1) + 0.1 * rng.standard_normal(60)
    Xf = sp.csc_matrix(X) if layout == "sparse" else X
    kw = dict(alpha=0.01, precompute=layout == "gram")
    big = Lasso(max_iter=2**40, **kw).fit(Xf, y)
    ref = Lasso(**kw).fit(Xf, y)
    np.testing.assert_array_equal(big.coef_, ref.coef_)
    assert big.n_iter_ == ref.n_iter_


@pytest.mark.parametrize("layout", ["dense", "sparse"])
@pytest.mark.parametrize("dtype", [np.float64, np.float32])
@pytest.mark.parametrize("positive", [False, True])
@pytest.mark.parametrize("l1_ratio", [1.0, 0.7])
@pytest.mark.parametrize("weighted", [False, True])
def test_path_gradients_bounded_from_the_last_full_one(monkeypatch, layout, dtype, positive,
                                                       l1_ratio, weighted):
    # without cached Gram rows, an outer gradient computes only the features whose bound
    # |g_ref_j| + ||Xc_j|| ||R - R_ref|| reaches alpha (and the support): fewer full passes,
    # every reported gap is the full gap recomputed from scratch, the same path as
    # with full passes and as scikit-learn's
    from fastreg import _cd_solver
    from sklearn.linear_model import enet_path as sk_enet_path

    rng = np.random.default_rng(2)
    n, p = 150, 900
    X = rng.standard_normal((n, p)) * rng.uniform(0.5, 2.0, p) + rng.uniform(-3, 3, p)
    if layout == "sparse":
        X *= rng.random((n, p)) < 0.2
    y = X[:, :8] @ rng.standard_normal(8) * 2 + rng.standard_normal(n)
    sw = rng.uniform(0.2, 3.0, n) if weighted else None
    design, Xc, yc, alphas, tol = _path_case(X, y, sw, dtype, l1_ratio, layout == "sparse")
    monkeypatch.setattr(_cd_solver, "GRAD_CACHE_MIN_BYTES", 2**62)  # no cached rows

    def path():
        return _counted_path(design, alphas, l1_ratio, tol, positive)

    coefs_on, gaps_on, grads_on = path()
    monkeypatch.setattr(_cd_solver, "BOUND_MAX_SHARE", -1.0)  # every gradient a full pass
    coefs_off, gaps_off, grads_off = path()
    assert grads_on < grads_off

    target = tol * float(yc @ yc) / n
    for k, alpha in enumerate(alphas):
        primal, gap = _primal_and_gap(Xc, yc, coefs_on[:, k], alpha, l1_ratio, positive)
        assert gaps_on[k] <= target
        if dtype == np.float64:  # the full gap itself, not a bound on it
            assert_allclose(gaps_on[k], gap / n, rtol=1e-6, atol=1e-6 * target)
        else:
            assert gap / n <= 30.0 * max(target, gaps_on[k])
        # both paths reach the target: their objectives agree to within it (float32 at tol
        # 1e-4 leaves p >> n coefficients free to differ by more than rounding)
        primal_off, _ = _primal_and_gap(Xc, yc, coefs_off[:, k], alpha, l1_ratio, positive)
        assert abs(primal - primal_off) / n <= 2 * max(target, gaps_on[k], gaps_off[k])
    if dtype == np.float64:
        scale = np.abs(coefs_off).max()
        assert_allclose(coefs_on, coefs_off, atol=1e-4 * scale)
        _, sk_coefs, _ = sk_enet_path(Xc, yc, l1_ratio=l1_ratio, alphas=alphas, tol=1e-10,
                                      max_iter=100_000, positive=positive)
        assert_allclose(coefs_on, sk_coefs, atol=1e-3 * scale)


@pytest.mark.parametrize("layout", ["dense", "sparse"])
@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_bounded_gradient_bounds_the_exact_one(layout, dtype):
    # each entry is exact (bound 0) or within its bound of the exact gradient; no entry left
    # bounded can reach alpha; the support is always exact; prev completes a bounded gradient
    # for a smaller alpha at the same residual
    rng = np.random.default_rng(5)
    n, p = 80, 300
    X = rng.standard_normal((n, p)) * rng.uniform(0.2, 3.0, p) + rng.uniform(-2, 2, p)
    if layout == "sparse":
        X *= rng.random((n, p)) < 0.3
    y = X[:, :4] @ rng.standard_normal(4) + rng.standard_normal(n)
    X, y = X.astype(dtype), y.astype(dtype)
    design = preprocess(sp.csc_matrix(X) if layout == "sparse" else np.asfortranarray(X), y,
                        fit_intercept=True, with_norms=True)
    problem = CDProblem(design)
    Xc = X.astype(np.float64) - X.astype(np.float64).mean(axis=0)
    R0 = design.yc.copy()
    g0 = problem.rmatvec(R0)
    problem._grad_ref = (g0, R0.copy(), float(np.linalg.norm(R0)))
    amax = float(np.abs(g0).max())
    tight = 1e-5 if dtype == np.float32 else 1e-10
    for trial in range(20):
        w = np.zeros(p, dtype=dtype)
        w[rng.choice(p, 5, replace=False)] = rng.standard_normal(5) * 0.1
        R = (R0 - problem.matvec(w) * rng.uniform(0, 1)).astype(dtype)
        exact = Xc.T @ R.astype(np.float64)
        alpha = amax * rng.uniform(0.05, 0.9)
        g, e, share = problem._bounded_gradient(R, w, alpha)
        if g is None:
            continue
        assert 0 < share <= problem_share_limit()
        fresh = e == 0
        assert fresh[w != 0].all()
        assert_allclose(g[fresh], exact[fresh], rtol=tight, atol=tight * np.abs(exact).max())
        assert (np.abs(g[~fresh] - exact[~fresh]) <= e[~fresh]).all()
        assert (np.abs(exact[~fresh]) <= alpha).all() and (np.abs(g[~fresh]) + e[~fresh]
                                                           <= alpha).all()
        g2, e2, _ = problem._bounded_gradient(R, w, alpha / 3, prev=(g, e))
        if g2 is not None:
            assert (e2 <= e).all() and (np.abs(g2) + e2 <= alpha / 3)[e2 > 0].all()
            assert_allclose(g2[e2 == 0], exact[e2 == 0], rtol=tight,
                            atol=tight * np.abs(exact).max())


def problem_share_limit():
    from fastreg import _cd_solver

    return _cd_solver.BOUND_MAX_SHARE


def test_bounded_gradients_on_huge_constant_and_dominated_columns():
    # the statistics pass's Xc^T yc is rounding on constant columns (1e13 here) and off by
    # rounding relative to the mean on a column whose mean dwarfs its spread: it must not
    # serve as the bounded gradients' reference (nor as an exact first gradient), or a
    # constant column's noise keeps the dual norm above alpha (no convergence) and a truly
    # active dominated column is never computed (a gap of 0 reported, the true one ~800x tol)
    import warnings

    from fastreg import Lasso

    rng = np.random.default_rng(0)
    X = np.full((200, 200), 1e13)
    X[:, :40] = rng.standard_normal((200, 40))
    y = X[:, :5].sum(1) + rng.standard_normal(200)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        model = Lasso(alpha=1e-4).fit(X, y)
    assert model.n_iter_ < 50
    assert model.dual_gap_ <= 1e-4 * np.sum((y - y.mean()) ** 2) / 200

    n, p, mean = 200, 400, 1e13
    rng = np.random.default_rng(9)
    Q, _ = np.linalg.qr(np.column_stack([np.ones(n), rng.standard_normal((n, 43))]))
    u, V = Q[:, 1], Q[:, 2:]
    y = 10 * u

    def col(c, v):
        return np.sqrt(n) * (c * u + np.sqrt(1 - c * c) * v)

    eps = 6.03e-3 / 5
    alpha = np.sqrt(n) * 0.1 * 10 / (1 + eps) / n
    X = np.ones((n, p))  # constant columns
    X[:, 1] = col(0.1, V[:, 0])  # enters just below alpha_max
    X[:, 0] = mean + col(0.1 * (1 + 2 * eps), V[:, 1])  # dominated, truly the most correlated
    for j in range(40):  # decoys just under alpha
        X[:, 2 + j] = col(0.1 * (1 - eps / 2) / (1 + eps), V[:, 2 + j])
    model = Lasso(alpha=alpha, tol=1e-8).fit(X, y)
    assert set(np.flatnonzero(model.coef_)) == {0, 1}
    Xc = X - X.mean(axis=0)
    Xc[:, 0] = X[:, 0] - mean - (X[:, 0] - mean).mean()
    yc = y - y.mean()
    primal, gap = _primal_and_gap(Xc, yc, model.coef_, alpha, 1.0, False)
    assert gap / n <= 1e-8 * (yc @ yc) / n
