"""Shared problem generators and objective functions for the test suite."""
import numpy as np
import scipy.sparse as sp


def make_problem(n=60, p=30, *, density=None, seed=0, dtype=np.float64, n_targets=None,
                 informative=5, offset=3.0):
    """A regression problem with ``informative`` relevant features and non-centred columns."""
    rng = np.random.default_rng(seed)
    if density is None:
        X = rng.standard_normal((n, p)) + offset * rng.standard_normal(p)
    else:
        X = sp.random(n, p, density=density, random_state=seed, format="csc",
                      data_rvs=rng.standard_normal).toarray()
    w = np.zeros((p,) if n_targets is None else (p, n_targets))
    w[:informative] = rng.standard_normal(w[:informative].shape) * 3
    y = X @ w + 0.5 * rng.standard_normal(w.shape[1:] and (n, n_targets) or n) + 2.0
    X = X.astype(dtype)
    if density is not None:
        X = sp.csc_matrix(X)
    return X, y.astype(dtype)


def enet_objective(X, y, coef, intercept, alpha, l1_ratio, sample_weight=None):
    """scikit-learn's ElasticNet objective in float64 (sample weights as in scikit-learn)."""
    X = X.toarray() if sp.issparse(X) else np.asarray(X)
    X, y, coef = X.astype(np.float64), np.asarray(y, np.float64), np.asarray(coef, np.float64)
    r = y - X @ coef - intercept
    sw = np.ones(len(y)) if sample_weight is None else np.asarray(sample_weight, np.float64)
    return (0.5 * np.sum(sw * r**2) / sw.sum() + alpha * l1_ratio * np.abs(coef).sum()
            + 0.5 * alpha * (1 - l1_ratio) * coef @ coef)


def alpha_max(X, y, l1_ratio=1.0, fit_intercept=True, sample_weight=None):
    X = X.toarray() if sp.issparse(X) else np.asarray(X, np.float64)
    sw = np.ones(len(y)) if sample_weight is None else np.asarray(sample_weight, np.float64)
    sw = sw * len(y) / sw.sum()
    if fit_intercept:
        X = X - np.average(X, axis=0, weights=sw)
        y = y - np.average(y, weights=sw)
    return np.max(np.abs(X.T @ (sw * y))) / (len(y) * l1_ratio)


def enet_duality_gap(X, y, coef, alpha, l1_ratio):
    """Duality gap of scikit-learn's ElasticNet objective (with intercept, divided by n) at
    ``coef``, computed independently of fastreg in float64 on explicitly centred data."""
    X = X.toarray() if sp.issparse(X) else np.asarray(X, np.float64)
    Xc, yc = X - X.mean(axis=0), np.asarray(y, np.float64) - np.mean(y)
    n, w = len(yc), np.asarray(coef, np.float64)
    a, b = alpha * l1_ratio * n, alpha * (1 - l1_ratio) * n
    R = yc - Xc @ w
    primal = 0.5 * (R @ R + b * w @ w) + a * np.abs(w).sum()
    dual_norm = np.max(np.abs(Xc.T @ R - b * w))
    scale = min(1.0, a / dual_norm) if dual_norm > 0 else 1.0
    dual = -0.5 * scale**2 * (R @ R + b * w @ w) + scale * (R @ yc)
    return (primal - dual) / n


def constant_column_problem(dtype=np.float32):
    """60 x 3 X whose middle column is the constant 5e9 (a float32 sum of it misses 5e9), and
    y from the other two columns."""
    rng = np.random.default_rng(4)
    X = rng.standard_normal((60, 3)).astype(dtype)
    X[:, 1] = 5e9
    y = (X[:, 0] + 0.1 * X[:, 2] + 0.1 * rng.standard_normal(60)).astype(dtype)
    return X, y, rng
