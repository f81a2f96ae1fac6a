"""lasso_path / enet_path against scikit-learn's."""
import warnings

import numpy as np
import pytest
from sklearn import linear_model as sk

import fastreg
from _helpers import enet_duality_gap, make_problem


@pytest.mark.parametrize("sparse", [False, True])
@pytest.mark.parametrize("l1_ratio", [0.5, 1.0])
@pytest.mark.parametrize("positive", [False, True])
@pytest.mark.parametrize("precompute", ["auto", False])
def test_path_matches_sklearn(sparse, l1_ratio, positive, precompute):
    X, y = make_problem(120, 60, density=0.2 if sparse else None, seed=1, offset=0.0)
    if not sparse:
        X = X - X.mean(axis=0)
    y = y - y.mean()
    kw = dict(l1_ratio=l1_ratio, alphas=30, eps=1e-3, positive=positive, tol=1e-10,
              precompute=precompute)
    a1, c1, g1 = fastreg.enet_path(X, y, **kw)
    a2, c2, g2 = sk.enet_path(X, y, **kw)
    np.testing.assert_allclose(a1, a2, rtol=1e-10)
    assert c1.shape == c2.shape == (60, 30) and g1.shape == (30,)
    np.testing.assert_allclose(c1, c2, atol=1e-5 * np.abs(c2).max())


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
@pytest.mark.parametrize("l1_ratio", [0.7, 1.0])
def test_gram_path_gaps_hold_at_every_alpha(dtype, l1_ratio):
    # the Gram layout carries its gradient from one alpha to the next: the gap each alpha
    # reports, and its true gap computed from scratch, stay within tol along 100 alphas
    X, y = make_problem(300, 80, seed=4, offset=0.0)
    X, y = (X - X.mean(axis=0)).astype(dtype), (y - y.mean()).astype(dtype)
    tol = 1e-4
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        alphas, coefs, gaps = fastreg.enet_path(X, y, l1_ratio=l1_ratio, alphas=100,
                                                precompute=True, tol=tol)
    bound = tol * float(np.sum(y.astype(np.float64) ** 2)) / len(y)
    assert np.all(gaps <= bound)
    slack = 2 if dtype == np.float64 else 10
    for alpha, coef in zip(alphas, coefs.T):
        assert enet_duality_gap(X, y, coef, alpha, l1_ratio) <= slack * bound


def test_lasso_path_return_n_iter_and_explicit_alphas():
    X, y = make_problem(50, 20, seed=2, offset=0.0)
    alphas = [0.01, 1.0, 0.1]
    a, coefs, gaps, n_iter = fastreg.lasso_path(X, y, alphas=alphas, return_n_iter=True)
    np.testing.assert_array_equal(a, [1.0, 0.1, 0.01])
    assert len(n_iter) == 3 and coefs.shape == (20, 3)
    _, ref, _ = sk.lasso_path(X, y, alphas=alphas, tol=1e-10)
    _, ours, _ = fastreg.lasso_path(X, y, alphas=alphas, tol=1e-10)
    np.testing.assert_allclose(ours, ref, atol=1e-6)


def test_path_deprecations_like_sklearn():
    X, y = make_problem(30, 5, seed=3)
    with pytest.warns(FutureWarning, match="n_alphas"):
        a, _, _ = fastreg.lasso_path(X, y, n_alphas=7)
    assert len(a) == 7
    with pytest.warns(FutureWarning, match="alphas=None"):
        fastreg.lasso_path(X, y, alphas=None)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        fastreg.lasso_path(X, y)


def test_path_errors():
    X, y = make_problem(30, 5, seed=4)
    with pytest.raises(ValueError, match="l1_ratio=0"):
        fastreg.enet_path(X, y, l1_ratio=0.0)
    with pytest.raises(ValueError, match="Unexpected parameters"):
        fastreg.lasso_path(X, y, bogus=1)
    with pytest.raises(ValueError, match="selection"):
        fastreg.lasso_path(X, y, selection="bogus")


def test_coef_init_and_xy_with_gram():
    X, y = make_problem(100, 10, seed=5, offset=0.0)
    G, Xy = X.T @ X, X.T @ y
    _, c1, _ = fastreg.lasso_path(X, y, alphas=[0.1], precompute=G, Xy=Xy, tol=1e-12)
    _, c2, _ = sk.lasso_path(X, y, alphas=[0.1], tol=1e-12)
    np.testing.assert_allclose(c1, c2, atol=1e-8)
    _, c3, _, n_iter = fastreg.lasso_path(X, y, alphas=[0.1], coef_init=c1[:, 0], tol=1e-8,
                                          return_n_iter=True)
    assert n_iter[0] <= 10


def test_multitask_path_is_delegated():
    X, Y = make_problem(40, 8, n_targets=2, seed=6)
    a1, c1, _ = fastreg.lasso_path(X, Y, alphas=5)
    a2, c2, _ = sk.lasso_path(X, Y, alphas=5)
    np.testing.assert_allclose(c1, c2)
