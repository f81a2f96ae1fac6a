"""Solver-layer tests (``fastreg._cd_solver``): the polishing step on X layouts."""
import numpy as np
import pytest
import scipy.sparse as sp
from numpy.testing import assert_allclose

from fastreg._base import preprocess
from fastreg._cd_solver import CDProblem


def _objective(Xc, yc, w, alpha, beta):
    w = w.astype(np.float64)
    r = yc - Xc @ w
    return 0.5 * r @ r + 0.5 * beta * w @ w + alpha * np.abs(w).sum()


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
