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
