"""RidgeCV against scikit-learn's RidgeCV and against brute-force leave-one-out refits."""
import warnings

import numpy as np
import pytest
import scipy.sparse as sp
from numpy.testing import assert_allclose
from sklearn.datasets import load_diabetes
from sklearn.linear_model import Ridge as SkRidge
from sklearn.linear_model import RidgeCV as SkRidgeCV
from sklearn.metrics import make_scorer, mean_squared_error
from sklearn.model_selection import GridSearchCV, KFold, LeaveOneOut
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from fastreg._ridge_cv import RidgeCV

ALPHAS = np.logspace(-3, 3, 13)


def _problem(n, p, *, n_targets=None, sparse=False, dtype=np.float64, seed=0, offset=3.0):
    """Non-centred features (sparse: 30% non-zeros), a few informative, noisy targets."""
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((n, p)) + offset * rng.standard_normal(p)
    if sparse:
        X *= rng.random((n, p)) < 0.3
    w = rng.standard_normal((p,) if n_targets is None else (p, n_targets))
    y = X @ w + 3 * rng.standard_normal(w.shape[1:] and (n, n_targets) or n) + 2.0
    X = X.astype(dtype)
    return (sp.csr_matrix(X) if sparse else X), y.astype(dtype)


def _weights(n, seed=1):
    return np.random.default_rng(seed).uniform(0.1, 3.0, n)


def _fit_both(X, y, sample_weight=None, **params):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", FutureWarning)
        ref = SkRidgeCV(**params).fit(X, y, sample_weight=sample_weight)
        ours = RidgeCV(**params).fit(X, y, sample_weight=sample_weight)
    return ref, ours


def _assert_same_fit(ref, ours, rtol=1e-7, atol=1e-9):
    assert np.shape(ours.alpha_) == np.shape(ref.alpha_)
    assert_allclose(ours.alpha_, ref.alpha_)
    assert np.shape(ours.best_score_) == np.shape(ref.best_score_)
    assert_allclose(ours.best_score_, ref.best_score_, rtol=rtol, atol=atol)
    assert ours.coef_.shape == ref.coef_.shape and ours.coef_.dtype == ref.coef_.dtype
    assert_allclose(ours.coef_, ref.coef_, rtol=rtol * 10, atol=atol * 10)
    assert np.shape(ours.intercept_) == np.shape(ref.intercept_)
    assert type(ours.intercept_) is type(ref.intercept_)
    assert_allclose(ours.intercept_, ref.intercept_, rtol=rtol * 10, atol=atol * 10)
    if hasattr(ref, "cv_results_"):
        assert ours.cv_results_.shape == ref.cv_results_.shape
        assert ours.cv_results_.dtype == ref.cv_results_.dtype
        assert_allclose(ours.cv_results_, ref.cv_results_, rtol=rtol * 10, atol=atol)


# ---- leave-one-out (cv=None) --------------------------------------------------------------------

@pytest.mark.parametrize("shape", [(40, 8), (15, 30), (20, 20)], ids=["tall", "wide", "square"])
@pytest.mark.parametrize("sparse", [False, True], ids=["dense", "sparse"])
@pytest.mark.parametrize("dtype", [np.float64, np.float32])
@pytest.mark.parametrize("weighted", [False, True], ids=["sw0", "sw1"])
@pytest.mark.parametrize("n_targets", [None, 3])
def test_loo_matches_sklearn(shape, sparse, dtype, weighted, n_targets):
    X, y = _problem(*shape, n_targets=n_targets, sparse=sparse, dtype=dtype)
    sw = _weights(shape[0]) if weighted else None
    ref, ours = _fit_both(X, y, sw, alphas=ALPHAS, store_cv_results=True)
    _assert_same_fit(ref, ours)


@pytest.mark.parametrize("gcv_mode", [None, "auto", "eigen", "svd"])
@pytest.mark.parametrize("shape", [(40, 8), (15, 30)], ids=["tall", "wide"])
@pytest.mark.parametrize("fit_intercept", [True, False])
def test_loo_gcv_modes(gcv_mode, shape, fit_intercept):
    X, y = _problem(*shape, n_targets=2)
    sw = _weights(shape[0])
    ref, ours = _fit_both(X, y, sw, alphas=ALPHAS, gcv_mode=gcv_mode, store_cv_results=True,
                          fit_intercept=fit_intercept)
    _assert_same_fit(ref, ours)


def test_svd_on_sparse_warns_and_uses_eigen():
    X, y = _problem(30, 10, sparse=True)
    with pytest.warns(FutureWarning, match="gcv_mode='svd'"):
        svd = RidgeCV(alphas=ALPHAS, gcv_mode="svd", store_cv_results=True).fit(X, y)
    eigen = RidgeCV(alphas=ALPHAS, gcv_mode="eigen", store_cv_results=True).fit(X, y)
    assert_allclose(svd.cv_results_, eigen.cv_results_)
    assert svd.alpha_ == eigen.alpha_


def _mse_scorer(estimator, X, y, sample_weight=None):
    return -mean_squared_error(y, estimator.predict(X), sample_weight=sample_weight)


@pytest.mark.parametrize("scoring", ["neg_mean_absolute_error", "r2", "explained_variance",
                                     make_scorer(mean_squared_error, greater_is_better=False),
                                     _mse_scorer])
@pytest.mark.parametrize("n_targets", [None, 2])
@pytest.mark.parametrize("sparse", [False, True], ids=["dense", "sparse"])
def test_loo_scoring_matches_sklearn(scoring, n_targets, sparse):
    X, y = _problem(30, 12, n_targets=n_targets, sparse=sparse)
    ref, ours = _fit_both(X, y, _weights(30), alphas=ALPHAS, scoring=scoring,
                          store_cv_results=True)
    _assert_same_fit(ref, ours)


@pytest.mark.parametrize("scoring", [None, "neg_mean_squared_error"])
@pytest.mark.parametrize("shape", [(40, 8), (15, 30)], ids=["tall", "wide"])
def test_alpha_per_target_matches_sklearn(scoring, shape):
    X, y = _problem(*shape, n_targets=4)
    y[:, 1] *= 50  # targets that want different alphas
    ref, ours = _fit_both(X, y, _weights(shape[0]), alphas=ALPHAS, alpha_per_target=True,
                          scoring=scoring, store_cv_results=True)
    _assert_same_fit(ref, ours)
    assert ours.alpha_.shape == (4,) and ours.best_score_.shape == (4,)


@pytest.mark.parametrize("y_shape", ["1d", "column"])
@pytest.mark.parametrize("alpha_per_target", [False, True])
def test_single_target_shapes(y_shape, alpha_per_target):
    X, y = _problem(30, 6)
    y = y if y_shape == "1d" else y[:, None]
    ref, ours = _fit_both(X, y, alphas=ALPHAS, alpha_per_target=alpha_per_target,
                          store_cv_results=True)
    _assert_same_fit(ref, ours)


@pytest.mark.parametrize("fit_intercept", [True, False])
@pytest.mark.parametrize("shape", [(12, 4), (8, 15)], ids=["tall", "wide"])
def test_loo_equals_brute_force_refits(fit_intercept, shape):
    """cv_results_ are sw_i * (y_i - prediction without sample i)^2, from n explicit refits."""
    X, y = _problem(*shape, seed=3)
    sw = _weights(shape[0], seed=4)
    alphas = [0.05, 1.0, 30.0]
    model = RidgeCV(alphas=alphas, fit_intercept=fit_intercept, store_cv_results=True)
    model.fit(X, y, sample_weight=sw)
    expected = np.empty((shape[0], len(alphas)))
    for i in range(shape[0]):
        keep = np.arange(shape[0]) != i
        for j, alpha in enumerate(alphas):
            ridge = SkRidge(alpha=alpha, fit_intercept=fit_intercept, solver="svd")
            ridge.fit(X[keep], y[keep], sample_weight=sw[keep])
            expected[i, j] = sw[i] * (y[i] - ridge.predict(X[i:i + 1])[0]) ** 2
    assert_allclose(model.cv_results_, expected, rtol=1e-8)
    assert_allclose(model.best_score_, (-expected.mean(axis=0)).max(), rtol=1e-8)


@pytest.mark.parametrize("gcv_mode", ["auto", "svd"])
@pytest.mark.parametrize("sparse", [False, True], ids=["dense", "sparse"])
@pytest.mark.parametrize("scoring", [None, "r2"])
def test_low_rank_loo_weights_equal_the_direct_ones(monkeypatch, gcv_mode, sparse, scoring):
    """Many alphas on tall X: the factored weights (``_low_rank_weights``) give the LOO values
    of the direct products, and brute-force refits at a few of the alphas."""
    import fastreg._ridge_cv as module

    if sparse and gcv_mode == "svd":
        pytest.skip("svd needs dense X")
    n, p = 1000, 100
    X, y = _problem(n, p, n_targets=2, sparse=sparse, seed=5)
    sw = _weights(n, seed=6)
    alphas = np.logspace(-3, 3, 100)
    params = dict(alphas=alphas, store_cv_results=True, scoring=scoring, gcv_mode=gcv_mode)
    ranks = []
    factor = module._low_rank_weights

    def spy(G, n_samples):
        out = factor(G, n_samples)
        ranks.append(None if out is None else out[0].shape[1])
        return out

    monkeypatch.setattr(module, "_low_rank_weights", spy)
    factored = RidgeCV(**params).fit(X, y, sample_weight=sw)
    assert ranks and ranks[0] is not None and 4 * ranks[0] <= p
    monkeypatch.setattr(module, "_LOW_RANK_MIN_SIZE", 10**9)
    direct = RidgeCV(**params).fit(X, y, sample_weight=sw)
    assert_allclose(factored.cv_results_, direct.cv_results_, rtol=1e-9, atol=1e-12)
    assert_allclose(factored.best_score_, direct.best_score_, rtol=1e-12)
    assert_allclose(factored.alpha_, direct.alpha_)
    if scoring is None:  # n refits in the primal at a few alphas, first target
        Xd, yd = (X.toarray() if sparse else X), y[:, 0]
        some, rows = [0, 40, 70, 99], range(0, n, 7)
        expected = np.empty((len(rows), len(some)))
        for e, i in enumerate(rows):
            keep = np.arange(n) != i
            wk = sw[keep]
            mu, my = wk @ Xd[keep] / wk.sum(), wk @ yd[keep] / wk.sum()
            Xc = np.sqrt(wk)[:, None] * (Xd[keep] - mu)
            yc = np.sqrt(wk) * (yd[keep] - my)
            for j, alpha in enumerate(alphas[some]):
                w = np.linalg.solve(Xc.T @ Xc + alpha * np.eye(p), Xc.T @ yc)
                expected[e, j] = sw[i] * (yd[i] - my - (Xd[i] - mu) @ w) ** 2
        assert_allclose(factored.cv_results_[rows][:, 0, some], expected, rtol=1e-8)


@pytest.mark.parametrize("gcv_mode", ["auto", "svd"])
def test_low_rank_loo_keeps_a_high_leverage_row_exact(monkeypatch, gcv_mode):
    """A row with leverage close to 1 (its LOO denominator ~1e-9): the factored weights'
    error would dominate there, so such rows are recomputed from the weights themselves and
    match brute-force refits as well as the direct products do."""
    import fastreg._ridge_cv as module

    rng = np.random.default_rng(1)
    n, p = 1000, 60
    X = rng.standard_normal((n, p)) + 3 * rng.standard_normal(p)
    y = X @ rng.standard_normal(p) + rng.standard_normal(n)
    X[0] *= 1e4
    alphas = np.logspace(-3, 3, 100)
    params = dict(alphas=alphas, store_cv_results=True, gcv_mode=gcv_mode)
    factored = RidgeCV(**params).fit(X, y)
    monkeypatch.setattr(module, "_LOW_RANK_MIN_SIZE", 10**9)
    direct = RidgeCV(**params).fit(X, y)
    some = [0, 50, 99]
    keep = np.arange(n) != 0
    expected = [(y[0] - SkRidge(alpha=a, solver="svd").fit(X[keep], y[keep]).predict(X[:1])[0])
                ** 2 for a in alphas[some]]
    err_direct = np.abs(direct.cv_results_[0, some] / expected - 1).max()
    err_factored = np.abs(factored.cv_results_[0, some] / expected - 1).max()
    assert err_factored <= max(2 * err_direct, 1e-9)
    assert_allclose(factored.cv_results_, direct.cv_results_, rtol=1e-6, atol=1e-9)


def test_low_rank_loo_with_a_subnormal_alpha_on_a_zero_column():
    """1 / (0 + 1e-310) is infinite: the weights are then used as they are (no factoring)."""
    rng = np.random.default_rng(0)
    X = rng.standard_normal((400, 20))
    X[:, 0] = 0.0
    y = X @ rng.standard_normal(20) + rng.standard_normal(400)
    alphas = np.r_[np.logspace(-3, 3, 19), 1e-310]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        ref = SkRidgeCV(alphas=alphas, fit_intercept=False).fit(X, y)
        ours = RidgeCV(alphas=alphas, fit_intercept=False).fit(X, y)
    assert ours.alpha_ == ref.alpha_


def _refit_loo(X, y, sw, alphas):
    """sw_i * (y_i - prediction of the ridge fitted without row i)^2 (intercept, weights), by
    n explicit refits in the dual."""
    n = len(y)
    out = np.empty((n, len(alphas)))
    for i in range(n):
        keep = np.arange(n) != i
        Xk, yk, wk = X[keep], y[keep], sw[keep]
        mu, my = wk @ Xk / wk.sum(), wk @ yk / wk.sum()
        Xc, yc = np.sqrt(wk)[:, None] * (Xk - mu), np.sqrt(wk) * (yk - my)
        K = Xc @ Xc.T  # its null vector sqrt(wk) is orthogonal to yc: least squares ignores it
        for j, alpha in enumerate(alphas):
            w = Xc.T @ np.linalg.lstsq(K + alpha * np.eye(n - 1), yc, rcond=None)[0]
            out[i, j] = sw[i] * (y[i] - my - (X[i] - mu) @ w) ** 2
    return out


@pytest.mark.parametrize("gcv_mode", ["auto", "svd"])
@pytest.mark.parametrize("weighted", [False, True])
def test_wide_loo_exact_down_to_tiny_alpha(gcv_mode, weighted):
    """Wide X, intercept, alpha down to 1e-16: the LOO errors of the (near) interpolating fits
    stay exact, against n explicit refits in the dual (scikit-learn 1.9's lose all digits at
    1e-16 here: the intercept's direction is a null vector of Xc Xc^T weighted 1/alpha)."""
    rng = np.random.default_rng(0)
    n, p = 20, 60
    X = rng.standard_normal((n, p))
    y = X @ rng.standard_normal(p) + 10.0
    sw = rng.uniform(0.5, 2.0, n) if weighted else np.ones(n)
    alphas = [1e-16, 1e-8, 1e-3, 1.0]
    model = RidgeCV(alphas=alphas, gcv_mode=gcv_mode, store_cv_results=True)
    model.fit(X, y, sample_weight=sw if weighted else None)
    expected = _refit_loo(X, y, sw, alphas)
    assert_allclose(model.cv_results_, expected, rtol=1e-9, atol=1e-12 * expected.max())


@pytest.mark.parametrize("gcv_mode", ["auto", "svd"])
@pytest.mark.parametrize("case", ["zero-weight", "duplicate-row", "low-rank"])
def test_wide_loo_when_the_centred_gram_has_more_null_directions(gcv_mode, case):
    """A zero weight, a duplicated row or rank(X) < n - 1 give Xc Xc^T null directions besides
    the intercept's: the LOO errors still match explicit refits (the intercept's direction is
    split off exactly, not guessed among the null space's basis vectors)."""
    rng = np.random.default_rng(0)
    n, p = 10, 20
    X = rng.standard_normal((n, p))
    sw = rng.uniform(0.5, 2.0, n)
    if case == "zero-weight":
        sw[3] = 0.0
    elif case == "duplicate-row":
        X[4] = X[2]
    else:
        X = rng.standard_normal((n, 4)) @ rng.standard_normal((4, p))
    y = X @ rng.standard_normal(p) + rng.standard_normal(n)
    alphas = [1e-3, 1.0, 10.0]
    model = RidgeCV(alphas=alphas, gcv_mode=gcv_mode, store_cv_results=True)
    model.fit(X, y, sample_weight=sw)
    expected = _refit_loo(X, y, sw, alphas)
    assert_allclose(model.cv_results_, expected, rtol=1e-7, atol=1e-10 * expected.max())
    assert model.alpha_ == alphas[int(np.argmin(expected.mean(axis=0)))]


@pytest.mark.parametrize("alpha", [1e-16, 1e16], ids=["zero", "inf"])
@pytest.mark.parametrize("shape", [(60, 20), (20, 20), (20, 60)], ids=["tall", "square", "wide"])
@pytest.mark.parametrize("sparse", [False, True], ids=["dense", "sparse"])
def test_regularization_limits(alpha, shape, sparse):
    """alpha -> 0: minimum-norm least squares; alpha -> inf: coef 0, intercept mean(y)."""
    rng = np.random.default_rng(0)
    X = rng.standard_normal(shape)
    y = X @ rng.standard_normal(shape[1]) + 10.0
    model = RidgeCV(alphas=[alpha]).fit(sp.csr_matrix(X) if sparse else X, y)
    if alpha > 1:
        coef, intercept = np.zeros(shape[1]), y.mean()
    else:
        Xc = X - X.mean(axis=0)
        coef = np.linalg.pinv(Xc) @ (y - y.mean())
        intercept = y.mean() - X.mean(axis=0) @ coef
    assert_allclose(model.coef_, coef, atol=1e-8)
    assert_allclose(model.intercept_, intercept, atol=1e-8)


def test_large_column_offsets_match_sklearn():
    X, y = _problem(50, 10, offset=1e4, seed=5)
    ref, ours = _fit_both(X, y, _weights(50), alphas=ALPHAS, store_cv_results=True)
    _assert_same_fit(ref, ours, rtol=1e-6, atol=1e-6)


def test_zero_sample_weights_and_diabetes():
    X, y = load_diabetes(return_X_y=True)
    sw = _weights(len(y))
    sw[::7] = 0.0
    ref, ours = _fit_both(X, y, sw, alphas=np.logspace(-3, 3, 100), store_cv_results=True)
    _assert_same_fit(ref, ours)


@pytest.mark.parametrize("shape", [(40, 9), (15, 30)], ids=["tall", "wide"])
@pytest.mark.parametrize("sparse", [False, True], ids=["dense", "sparse"])
@pytest.mark.parametrize("scoring", [None, "r2"])
def test_blocked_loo_equals_one_block(monkeypatch, shape, sparse, scoring):
    """Blocks of rows (and of columns of V for sparse X) give the same LOO values."""
    import fastreg._ridge_cv as module

    X, y = _problem(*shape, n_targets=2, sparse=sparse)
    params = dict(alphas=ALPHAS, store_cv_results=True, scoring=scoring)
    whole = RidgeCV(**params).fit(X, y, sample_weight=_weights(shape[0]))
    monkeypatch.setattr(module, "_BLOCK_ELEMENTS", 7)
    monkeypatch.setattr(module, "_SPARSE_BLOCK_ELEMENTS", 7)
    monkeypatch.setattr(module, "_SPARSE_COLS", 4)
    blocked = RidgeCV(**params).fit(X, y, sample_weight=_weights(shape[0]))
    assert_allclose(blocked.cv_results_, whole.cv_results_, rtol=1e-10, atol=1e-12)
    assert_allclose(blocked.coef_, whole.coef_, rtol=1e-10)


def test_sparse_x_is_never_densified(monkeypatch):
    X, y = _problem(40, 25, sparse=True, n_targets=2)
    shapes = []
    for cls in (sp.csr_matrix, sp.csc_matrix):
        original = cls.toarray

        def recording(self, *args, _original=original, **kwargs):
            shapes.append(self.shape)
            return _original(self, *args, **kwargs)

        monkeypatch.setattr(cls, "toarray", recording)
    for shape in [(40, 25), (20, 40)]:
        Xs = sp.csr_matrix(X.toarray()[: shape[0], : shape[1]]) if shape != X.shape else X
        ys = y[: shape[0]]
        shapes.clear()
        RidgeCV(alphas=ALPHAS).fit(Xs, ys, sample_weight=_weights(shape[0]))
        RidgeCV(alphas=ALPHAS, cv=3).fit(Xs, ys)
        assert shapes and Xs.shape not in shapes  # the patch saw the Gram densified, never X
        assert all(a == b for a, b in shapes)  # only square Grams


# ---- K-fold (cv given) -----------------------------------------------------------------------

@pytest.mark.parametrize("sparse", [False, True], ids=["dense", "sparse"])
@pytest.mark.parametrize("dtype", [np.float64, np.float32])
@pytest.mark.parametrize("weighted", [False, True], ids=["sw0", "sw1"])
@pytest.mark.parametrize("n_targets", [None, 2])
@pytest.mark.parametrize("scoring", [None, "neg_mean_absolute_error",
                                     make_scorer(mean_squared_error, greater_is_better=False)],
                         ids=["r2", "mae", "mse-scorer"])
def test_kfold_matches_sklearn(sparse, dtype, weighted, n_targets, scoring):
    shape = (40, 8) if n_targets is None else (16, 30)
    X, y = _problem(*shape, n_targets=n_targets, sparse=sparse, dtype=dtype, seed=2)
    sw = _weights(shape[0]) if weighted else None
    cv = KFold(4, shuffle=True, random_state=0)
    # alpha=0 (least squares) only where scikit-learn's Cholesky copes (dense, tall)
    alphas = np.concatenate([[0.0], ALPHAS]) if not sparse and n_targets is None else ALPHAS
    ref, ours = _fit_both(X, y, sw, alphas=alphas, cv=cv, scoring=scoring)
    assert type(ours.alpha_) is type(ref.alpha_) and ours.coef_.dtype == ref.coef_.dtype
    assert ours.coef_.shape == ref.coef_.shape and np.shape(ours.intercept_) == np.shape(
        ref.intercept_)
    # scikit-learn solves each fold approximately in float32 / with sparse_cg (tol 1e-4)
    exact = not sparse and dtype == np.float64
    tol = 1e-8 if exact else 2e-3
    assert_allclose(ours.best_score_, ref.best_score_, rtol=tol, atol=tol)
    if exact:
        assert ours.alpha_ == ref.alpha_
        assert_allclose(ours.coef_, ref.coef_, rtol=1e-7, atol=1e-9)
        assert_allclose(ours.intercept_, ref.intercept_, rtol=1e-7, atol=1e-9)


@pytest.mark.parametrize("cv", [3, LeaveOneOut(), "splits"])
def test_kfold_splitters(cv):
    X, y = _problem(20, 5)
    if cv == "splits":
        cv = [(np.arange(10, 20), np.arange(10)), (np.arange(10), np.arange(10, 20))]
    ref, ours = _fit_both(X, y, alphas=ALPHAS, cv=cv, scoring="neg_mean_squared_error")
    assert ours.alpha_ == ref.alpha_
    assert_allclose(ours.best_score_, ref.best_score_, rtol=1e-8)
    assert_allclose(ours.coef_, ref.coef_, rtol=1e-7)


def test_kfold_scorer_without_sample_weight_warns():
    X, y = _problem(30, 5)

    def neg_mse(estimator, X, y):
        return -mean_squared_error(y, estimator.predict(X))

    with pytest.warns(UserWarning, match="does not accept sample_weight"):
        RidgeCV(cv=3, scoring=neg_mse).fit(X, y, sample_weight=_weights(30))


@pytest.mark.parametrize("sparse", [False, True])
@pytest.mark.parametrize("fit_intercept", [True, False])
def test_kfold_callable_scorer_gets_the_fold_ridge_and_the_users_data(sparse, fit_intercept):
    """As under scikit-learn's GridSearchCV: a fitted Ridge with the fold's alpha and
    parameters, and the held-out rows of the user's own X (a DataFrame stays one) and y."""
    pd = pytest.importorskip("pandas")
    X, y = _problem(40, 5, seed=2)
    seen = []

    def scorer(est, X_test, y_test):
        seen.append((type(est).__name__, est.get_params()["solver"], type(X_test), type(y_test)))
        assert est.alpha == est.get_params()["alpha"] and est.fit_intercept == fit_intercept
        return -est.alpha + 1e-3 * est.score(X_test, y_test)

    Xu = sp.csr_matrix(X) if sparse else pd.DataFrame(X, columns=[f"f{j}" for j in range(5)])
    yu = y if sparse else pd.Series(y)
    kw = dict(alphas=[10.0, 0.1, 1.0], cv=3, scoring=scorer, fit_intercept=fit_intercept)
    ours, ref = RidgeCV(**kw).fit(Xu, yu), SkRidgeCV(**kw).fit(Xu, yu)
    assert ours.alpha_ == ref.alpha_ == 0.1
    assert_allclose(ours.best_score_, ref.best_score_, rtol=1e-8)
    kinds = {(name, solver) for name, solver, _, _ in seen}
    assert kinds == {("Ridge", "sparse_cg" if sparse else "auto")}
    assert {(xt, yt) for _, _, xt, yt in seen} == {(type(Xu), type(yu))}


@pytest.mark.parametrize("fmt", ["coo", "dia", "bsr", "lil"])
@pytest.mark.parametrize("scoring", [None, "r2", "callable"])
def test_kfold_any_sparse_format(fmt, scoring):
    X, y = _problem(40, 5, seed=3)
    Xs = sp.csr_matrix(X).asformat(fmt)
    if scoring == "callable":
        def scoring(est, X_test, y_test):
            assert sp.issparse(X_test) and X_test.format == "csr"  # as GridSearchCV's folds
            return est.score(X_test, y_test)
    ref, ours = _fit_both(Xs, y, alphas=ALPHAS, cv=3, scoring=scoring)
    assert ours.alpha_ == ref.alpha_  # scikit-learn's folds run sparse_cg (tol 1e-4)
    assert_allclose(ours.best_score_, ref.best_score_, rtol=1e-3)


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_kfold_callable_scorer_model_for_one_column_y(dtype):
    """y of shape (n, 1): the fold Ridge's coef_ is (p,) and its predict (n,), as Ridge.fit
    sets them; float32 X keeps float32 coefficients."""
    X, y = _problem(40, 5, seed=4)
    X = X.astype(dtype)
    seen = set()

    def scorer(est, X_test, y_test):
        seen.add((est.coef_.shape, est.coef_.dtype, np.asarray(est.intercept_).dtype,
                  est.predict(X_test).shape))
        return -np.mean((est.predict(X_test) - np.ravel(y_test)) ** 2)

    ours = RidgeCV(alphas=ALPHAS, cv=3, scoring=scorer).fit(X, y[:, None])
    mine, seen = seen, set()
    ref = SkRidgeCV(alphas=ALPHAS, cv=3, scoring=scorer).fit(X, y[:, None])
    assert mine == seen == {((5,), np.dtype(dtype), np.dtype(dtype), (len(y) // 3 + 1,)),
                            ((5,), np.dtype(dtype), np.dtype(dtype), (len(y) // 3,))}
    assert ours.alpha_ == ref.alpha_


# ---- scikit-learn contract -------------------------------------------------------------------

def test_pipeline_and_grid_search():
    X, y = _problem(60, 10, seed=6)
    ours = make_pipeline(StandardScaler(), RidgeCV(alphas=ALPHAS)).fit(X, y)
    ref = make_pipeline(StandardScaler(), SkRidgeCV(alphas=ALPHAS)).fit(X, y)
    assert ours[-1].alpha_ == ref[-1].alpha_
    assert_allclose(ours.predict(X), ref.predict(X), rtol=1e-9)
    grid = {"fit_intercept": [True, False], "alphas": [ALPHAS, ALPHAS[:4]]}
    search = GridSearchCV(RidgeCV(), grid, cv=3, n_jobs=2).fit(X, y)
    ref_search = GridSearchCV(SkRidgeCV(), grid, cv=3).fit(X, y)
    assert search.best_index_ == ref_search.best_index_
    assert_allclose(search.cv_results_["mean_test_score"],
                    ref_search.cv_results_["mean_test_score"], rtol=1e-8)


def test_feature_names_and_scalar_alpha():
    pd = pytest.importorskip("pandas")
    X, y = _problem(25, 4)
    frame = pd.DataFrame(X, columns=list("abcd"))
    model = RidgeCV(alphas=2.0).fit(frame, y)
    assert list(model.feature_names_in_) == list("abcd") and model.n_features_in_ == 4
    assert model.alpha_ == 2.0
    assert_allclose(model.predict(frame), SkRidge(alpha=2.0).fit(X, y).predict(X), rtol=1e-9)


@pytest.mark.parametrize("params, fit_kwargs, error, match", [
    ({"cv": 3, "store_cv_results": True}, {}, ValueError, "store_cv_results=True needs"),
    ({"cv": 3, "alpha_per_target": True}, {}, ValueError, "alpha_per_target=True needs"),
    ({"alphas": (1, 0.0)}, {}, ValueError, r"alphas\[1\] == 0.0, must be > 0.0"),
    ({"alphas": (1, -1)}, {}, ValueError, r"alphas\[1\] == -1, must be > 0.0"),
    ({"alphas": (1, 1.0, "1")}, {}, TypeError, r"alphas\[2\] must be an instance of float"),
    ({"alphas": []}, {}, ValueError, "alphas is empty"),
    ({"alphas": -1.0}, {}, ValueError, "alphas"),
    ({"gcv_mode": "lu"}, {}, ValueError, "gcv_mode"),
    ({}, {"groups": np.zeros(10)}, ValueError, "does not route metadata"),
])
def test_invalid_input(params, fit_kwargs, error, match):
    X, y = _problem(10, 3)
    with pytest.raises(error, match=match):
        RidgeCV(**params).fit(X, y, **fit_kwargs)


def test_zero_alpha_allowed_with_folds():
    X, y = _problem(30, 4)
    model = RidgeCV(alphas=[0.0], cv=3).fit(X, y)
    assert model.alpha_ == 0.0
    ols = np.linalg.lstsq(np.c_[X, np.ones(30)], y, rcond=None)[0]
    assert_allclose(model.coef_, ols[:-1], rtol=1e-8)


def test_failing_fold_scores_are_nan_as_in_grid_search():
    # cv given, as GridSearchCV (error_score=nan): a scorer that fails on a fold (weighted R^2
    # of a single zero-weight sample) scores NaN with a warning, non-finite mean scores warn,
    # and the fit completes as scikit-learn's does
    from sklearn.model_selection import LeaveOneOut

    rng = np.random.default_rng(0)
    X = rng.standard_normal((12, 4))
    y = X @ rng.standard_normal(4) + rng.standard_normal(12)
    sw = rng.uniform(0.5, 2.0, 12)
    sw[3] = 0.0
    params = dict(alphas=[0.1, 1.0, 10.0], cv=LeaveOneOut())
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        ours = RidgeCV(**params).fit(X, y, sample_weight=sw)
    messages = [str(w.message) for w in caught]
    assert any(m.startswith("Scoring failed") for m in messages)
    assert any("test scores are non-finite" in m for m in messages)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        ref = SkRidgeCV(**params).fit(X, y, sample_weight=sw)
    assert ours.alpha_ == ref.alpha_
    assert np.isnan(ours.best_score_) and np.isnan(ref.best_score_)
    assert_allclose(ours.coef_, ref.coef_, rtol=1e-8)
