"""Lasso and ElasticNet against scikit-learn: objectives, coefficients, attributes, warnings."""
import warnings

import numpy as np
import pytest
import scipy.sparse as sp
from sklearn import linear_model as sk
from sklearn.exceptions import ConvergenceWarning

from fastreg import ElasticNet, Lasso
from _helpers import alpha_max, enet_duality_gap, enet_objective, make_problem


def _fit_pair(ours, theirs, X, y, sw):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        ours.fit(X, y, sample_weight=sw)
        theirs.fit(X, y, sample_weight=sw)
    return ours, theirs


@pytest.mark.parametrize("sparse", [False, True])
@pytest.mark.parametrize("dtype", [np.float64, np.float32])
@pytest.mark.parametrize("fit_intercept", [True, False])
@pytest.mark.parametrize("weighted", [False, True])
@pytest.mark.parametrize("positive", [False, True])
@pytest.mark.parametrize("l1_ratio", [0.1, 0.5, 0.9, 1.0])
def test_enet_matches_sklearn(sparse, dtype, fit_intercept, weighted, positive, l1_ratio):
    X, y = make_problem(50, 40, density=0.3 if sparse else None, seed=3, dtype=dtype)
    sw = np.random.default_rng(1).uniform(0.2, 3, len(y)) if weighted else None
    amax = alpha_max(X, y, l1_ratio, fit_intercept, sw)
    tol = 1e-10 if dtype == np.float64 else 1e-6
    for ratio in (0.5, 0.05, 0.001):
        alpha = amax * ratio
        kw = dict(alpha=alpha, l1_ratio=l1_ratio, fit_intercept=fit_intercept,
                  positive=positive, tol=tol, max_iter=100_000)
        ours, theirs = _fit_pair(ElasticNet(**kw), sk.ElasticNet(**kw), X, y, sw)
        assert ours.coef_.dtype == dtype
        f_ours = enet_objective(X, y, ours.coef_, ours.intercept_, alpha, l1_ratio, sw)
        f_sk = enet_objective(X, y, theirs.coef_, theirs.intercept_, alpha, l1_ratio, sw)
        rel = 1e-9 if dtype == np.float64 else 1e-4
        assert f_ours <= f_sk + rel * max(1.0, abs(f_sk)), (ratio, f_ours, f_sk)
        if dtype == np.float64:
            scale = max(1.0, np.abs(theirs.coef_).max())
            np.testing.assert_allclose(ours.coef_, theirs.coef_, atol=1e-4 * scale)
            np.testing.assert_allclose(ours.intercept_, theirs.intercept_, atol=1e-3 * scale)
        if positive:
            assert np.all(ours.coef_ >= 0)


@pytest.mark.parametrize("shape", [(300, 40), (60, 400)])
def test_lasso_working_sets_match_sklearn(shape):
    # large enough that the working-set solver (not a single kernel call) is used
    X, y = make_problem(*shape, seed=7, informative=15)
    amax = alpha_max(X, y)
    for ratio in (0.3, 0.03, 0.003):
        kw = dict(alpha=amax * ratio, tol=1e-10, max_iter=100_000)
        ours, theirs = _fit_pair(Lasso(**kw), sk.Lasso(**kw), X, y, None)
        f_ours = enet_objective(X, y, ours.coef_, ours.intercept_, kw["alpha"], 1.0)
        f_sk = enet_objective(X, y, theirs.coef_, theirs.intercept_, kw["alpha"], 1.0)
        assert f_ours <= f_sk + 1e-9 * f_sk
        np.testing.assert_allclose(ours.coef_, theirs.coef_, atol=1e-4 * np.abs(theirs.coef_).max())
        assert ours.dual_gap_ <= 1e-10 * np.sum((y - y.mean()) ** 2) / len(y)


@pytest.mark.parametrize("precompute", [True, False])
def test_precompute_gram_matches(precompute):
    X, y = make_problem(200, 20, seed=4)
    kw = dict(alpha=0.05, tol=1e-10, precompute=precompute)
    ours, theirs = _fit_pair(ElasticNet(**kw), sk.ElasticNet(**kw), X, y, None)
    np.testing.assert_allclose(ours.coef_, theirs.coef_, atol=1e-6)
    np.testing.assert_allclose(ours.intercept_, theirs.intercept_, atol=1e-6)


def test_user_gram_matrix():
    X, y = make_problem(100, 10, seed=5, offset=0.0)
    X = X - X.mean(axis=0)
    y = y - y.mean()
    G = X.T @ X
    ours = Lasso(alpha=0.1, precompute=G, fit_intercept=False, tol=1e-10).fit(X, y)
    theirs = sk.Lasso(alpha=0.1, precompute=G, fit_intercept=False, tol=1e-10).fit(X, y)
    np.testing.assert_allclose(ours.coef_, theirs.coef_, atol=1e-8)
    with pytest.warns(UserWarning, match="Gram matrix was provided"):
        Lasso(alpha=0.1, precompute=G + 1.0).fit(X + 1.0, y)


def test_multi_target_and_attributes():
    X, Y = make_problem(80, 12, n_targets=3, seed=6)
    ours = Lasso(alpha=0.1, tol=1e-10).fit(X, Y)
    theirs = sk.Lasso(alpha=0.1, tol=1e-10).fit(X, Y)
    assert ours.coef_.shape == theirs.coef_.shape == (3, 12)
    assert ours.intercept_.shape == (3,)
    np.testing.assert_allclose(ours.coef_, theirs.coef_, atol=1e-6)
    np.testing.assert_allclose(ours.predict(X), theirs.predict(X), atol=1e-5)
    assert len(ours.n_iter_) == 3 and ours.dual_gap_.shape == (3,)
    assert sp.issparse(ours.sparse_coef_) and ours.sparse_coef_.shape == (3, 12)
    single = Lasso(alpha=0.1).fit(X, Y[:, :1])
    assert single.coef_.shape == (12,)
    # positive with several targets: one non-negative problem per target, as scikit-learn
    ours = Lasso(alpha=0.1, positive=True, tol=1e-10).fit(X, Y)
    theirs = sk.Lasso(alpha=0.1, positive=True, tol=1e-10).fit(X, Y)
    assert ours.coef_.shape == (3, 12) and np.all(ours.coef_ >= 0)
    np.testing.assert_allclose(ours.coef_, theirs.coef_, atol=1e-6)


def test_alpha_max_gives_exact_zeros():
    X, y = make_problem(50, 20, seed=8)
    amax = alpha_max(X, y)
    model = Lasso(alpha=amax * (1 + 1e-9)).fit(X, y)
    assert np.all(model.coef_ == 0)
    np.testing.assert_allclose(model.intercept_, y.mean())


def test_warm_start_returns_at_once():
    X, y = make_problem(100, 50, seed=9)
    model = Lasso(alpha=0.05, warm_start=True, tol=1e-8).fit(X, y)
    first = model.coef_.copy()
    model.fit(X, y)
    assert model.n_iter_ <= 10
    np.testing.assert_allclose(model.coef_, first, atol=1e-6)


def test_random_selection_converges_to_same_solution():
    X, y = make_problem(100, 30, seed=10)
    a = Lasso(alpha=0.05, tol=1e-10).fit(X, y)
    b = Lasso(alpha=0.05, tol=1e-10, selection="random", random_state=0).fit(X, y)
    np.testing.assert_allclose(a.coef_, b.coef_, atol=1e-6)


def test_convergence_warning_states_gap_and_tolerance():
    X, y = make_problem(100, 300, seed=11)
    with pytest.warns(ConvergenceWarning, match="duality gap"):
        Lasso(alpha=1e-4, max_iter=2, tol=1e-12).fit(X, y)


def test_alpha_zero_warns_like_sklearn():
    X, y = make_problem(30, 5, seed=12)
    with pytest.warns(UserWarning, match="With alpha=0"):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", ConvergenceWarning)
            Lasso(alpha=0).fit(X, y)


def test_float32_stays_float32_and_sparse_equals_dense():
    X, y = make_problem(80, 30, seed=13, dtype=np.float32)
    dense = Lasso(alpha=0.05, tol=1e-8).fit(X, y)
    sparse = Lasso(alpha=0.05, tol=1e-8).fit(sp.csr_matrix(X), y)
    assert dense.coef_.dtype == np.float32 and sparse.coef_.dtype == np.float32
    np.testing.assert_allclose(dense.coef_, sparse.coef_, atol=1e-4)


def test_sample_weight_equals_repetition():
    X, y = make_problem(40, 10, seed=14)
    sw = np.random.default_rng(0).integers(1, 4, len(y))
    weighted = ElasticNet(alpha=0.05, tol=1e-12).fit(X, y, sample_weight=sw)
    repeated = ElasticNet(alpha=0.05, tol=1e-12).fit(np.repeat(X, sw, axis=0), np.repeat(y, sw))
    np.testing.assert_allclose(weighted.coef_, repeated.coef_, atol=1e-7)
    np.testing.assert_allclose(weighted.intercept_, repeated.intercept_, atol=1e-7)


@pytest.mark.parametrize("precompute", [False, True])
@pytest.mark.parametrize("l1_ratio", [1.0, 0.5])
@pytest.mark.parametrize("fraction", [1e-3, 1e-4, 1e-5])
def test_ill_conditioned_raw_polynomial_features_converge(fraction, l1_ratio, precompute):
    # raw (unscaled) degree-3 polynomial features of the diabetes data (column norms from 30
    # to 2e8, x, x^2, x^3 nearly collinear): the classic case where plain coordinate descent
    # crawls and scikit-learn stops with a ConvergenceWarning at its default max_iter.
    # fastreg must converge with the defaults, certified by a gap computed here.
    from sklearn.datasets import load_diabetes
    from sklearn.preprocessing import PolynomialFeatures

    X, y = load_diabetes(return_X_y=True, scaled=False)
    X = PolynomialFeatures(3, include_bias=False).fit_transform(X)
    alpha = alpha_max(X, y, l1_ratio) * fraction
    with warnings.catch_warnings():
        warnings.simplefilter("error", ConvergenceWarning)
        model = ElasticNet(alpha=alpha, l1_ratio=l1_ratio, precompute=precompute).fit(X, y)
    target = 1e-4 * np.sum((y - y.mean()) ** 2) / len(y)
    assert model.dual_gap_ <= target
    assert enet_duality_gap(X, y, model.coef_, alpha, l1_ratio) <= 2 * target
    assert model.n_iter_ < 1000


def test_ill_conditioned_raw_polynomial_features_positive():
    from sklearn.datasets import load_diabetes
    from sklearn.preprocessing import PolynomialFeatures

    X, y = load_diabetes(return_X_y=True, scaled=False)
    X = PolynomialFeatures(3, include_bias=False).fit_transform(X)
    alpha = alpha_max(X, y) * 1e-5
    with warnings.catch_warnings():
        warnings.simplefilter("error", ConvergenceWarning)
        model = Lasso(alpha=alpha, positive=True).fit(X, y)
    assert np.all(model.coef_ >= 0)
    assert model.dual_gap_ <= 1e-4 * np.sum((y - y.mean()) ** 2) / len(y)


@pytest.mark.parametrize("precompute", [False, True])
def test_few_raw_polynomial_features_converge(precompute):
    # four raw powers of one variable: epochs are so cheap that the polishing step must still
    # get its chance within the default max_iter (the Gram layout's included)
    rng = np.random.default_rng(0)
    x = rng.uniform(0, 50, 81)
    X = np.column_stack([x, x**2, x**3, x**4])
    y = 5 + 3 * rng.standard_normal(81)
    alpha = alpha_max(X, y) * 1e-5
    with warnings.catch_warnings():
        warnings.simplefilter("error", ConvergenceWarning)
        model = Lasso(alpha=alpha, precompute=precompute).fit(X, y)
    assert enet_duality_gap(X, y, model.coef_, alpha, 1.0) <= 2e-4 * np.var(y)


def test_ill_conditioned_raw_polynomial_path_converges():
    # the whole path (Gram layout, n > p) down to amax * 1e-4 on the raw features above
    from sklearn.datasets import load_diabetes
    from sklearn.preprocessing import PolynomialFeatures

    from fastreg import lasso_path

    X, y = load_diabetes(return_X_y=True, scaled=False)
    X = PolynomialFeatures(3, include_bias=False).fit_transform(X)
    X, y = X - X.mean(axis=0), y - y.mean()
    with warnings.catch_warnings():
        warnings.simplefilter("error", ConvergenceWarning)
        alphas, coefs, gaps = lasso_path(X, y, eps=1e-4, alphas=30, precompute=True)
    for alpha, coef in zip(alphas, coefs.T):
        assert enet_duality_gap(X, y, coef, alpha, 1.0) <= 2e-4 * np.sum(y**2) / len(y)


def test_wide_collinear_problem_with_more_nonzeros_than_samples_converges():
    # 48 samples, 210 low-rank, ill-scaled columns, tiny alpha: early working sets fill with
    # more non-zeros than samples, where the Newton block is singular; the polishing step
    # then takes a ridge-damped step that prunes the support (without it, fastreg, like
    # scikit-learn, stops at max_iter=1000 with a ConvergenceWarning; with it: ~280 epochs)
    rng = np.random.default_rng(285)
    n, p = 48, 210
    X = rng.standard_normal((n, 70)) @ rng.standard_normal((70, p))
    X = (X + 1e-3 * rng.standard_normal((n, p))) * 10.0 ** rng.uniform(-2, 3, p)
    y = X[:, :3].sum(axis=1) + rng.standard_normal(n)
    alpha = alpha_max(X, y) * 6.7e-5
    with warnings.catch_warnings():
        warnings.simplefilter("error", ConvergenceWarning)
        model = Lasso(alpha=alpha).fit(X, y)
    assert model.n_iter_ < 500
    assert enet_duality_gap(X, y, model.coef_, alpha, 1.0) <= 2e-4 * np.var(y)


def test_ill_conditioned_scaled_polynomial_features_beat_sklearn():
    # the scaled diabetes data to degree 3: scikit-learn does not converge at amax/1000 with
    # its defaults; fastreg does, to a lower objective than a long scikit-learn run
    from sklearn.datasets import load_diabetes
    from sklearn.preprocessing import PolynomialFeatures

    X, y = load_diabetes(return_X_y=True)
    X = PolynomialFeatures(3, include_bias=False).fit_transform(X)
    alpha = alpha_max(X, y) / 1000
    with warnings.catch_warnings():
        warnings.simplefilter("error", ConvergenceWarning)
        model = Lasso(alpha=alpha).fit(X, y)
    assert model.dual_gap_ <= 1e-4 * np.sum((y - y.mean()) ** 2) / len(y)
    theirs = sk.Lasso(alpha=alpha, max_iter=200_000, tol=1e-8)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        theirs.fit(X, y)
    f_ours = enet_objective(X, y, model.coef_, model.intercept_, alpha, 1.0)
    f_sk = enet_objective(X, y, theirs.coef_, theirs.intercept_, alpha, 1.0)
    assert f_ours <= f_sk * (1 + 1e-6)


def test_wide_problem_with_tiny_alpha_more_nonzeros_than_samples_in_iterates():
    # iterates may carry more non-zeros than samples: the polishing step must stay safe
    X, y = make_problem(20, 300, seed=15, informative=30)
    alpha = alpha_max(X, y) / 5000
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        ours = Lasso(alpha=alpha, max_iter=3000).fit(X, y)
        theirs = sk.Lasso(alpha=alpha, max_iter=3000).fit(X, y)
    f_ours = enet_objective(X, y, ours.coef_, ours.intercept_, alpha, 1.0)
    f_sk = enet_objective(X, y, theirs.coef_, theirs.intercept_, alpha, 1.0)
    assert np.isfinite(f_ours) and f_ours <= f_sk * (1 + 1e-3)


def test_warm_start_to_an_alpha_that_screens_every_feature():
    # a warm start from a dense support refitted above alpha_max: gap-safe screening proves
    # every feature zero, leaving no working set (this used to divide by zero)
    rng = np.random.default_rng(0)
    X = rng.standard_normal((100, 300))
    y = X[:, :3] @ np.ones(3) + 0.1 * rng.standard_normal(100)
    model = Lasso(alpha=0.01, warm_start=True).fit(X, y)
    assert np.count_nonzero(model.coef_) > 3
    model.set_params(alpha=10.0).fit(X, y)
    assert not np.any(model.coef_)
    assert model.intercept_ == pytest.approx(y.mean())


@pytest.mark.parametrize("sparse", [False, True])
def test_warm_start_weight_on_a_constant_column_goes_to_zero(sparse):
    # a constant column is zero once centred, so its coefficient's optimum is 0; the working
    # sets never visit such columns, and a warm start's weight on one used to stay, leaving a
    # gap no epoch could close (max_iter epochs, ConvergenceWarning). scikit-learn zeroes it.
    rng = np.random.default_rng(1)
    X = rng.standard_normal((70, 150))
    X[:, 7] = 3.0
    y = X[:, 10:15] @ rng.uniform(1, 3, 5) + 0.5 * rng.standard_normal(70)
    Xf = sp.csc_matrix(X) if sparse else X
    start = Lasso(alpha=0.1).fit(Xf, y).coef_.copy()
    start[7] = 1.0
    ours, theirs = Lasso(alpha=0.1, warm_start=True), sk.Lasso(alpha=0.1, warm_start=True)
    for model in (ours, theirs):
        model.coef_ = start.copy()
        with warnings.catch_warnings():
            warnings.simplefilter("error", ConvergenceWarning)
            model.fit(Xf, y)
    assert ours.coef_[7] == 0 == theirs.coef_[7]
    assert ours.n_iter_ < 10
    np.testing.assert_allclose(ours.coef_, theirs.coef_, atol=1e-3)
