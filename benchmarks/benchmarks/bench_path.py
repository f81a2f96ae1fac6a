"""lasso_path and enet_path: time, peak memory, epochs, gaps and accuracy along the grid.

Parameters: layout x dtype x shape x eps x impl (fastreg | sklearn).  Both get the same explicit
grid of ``N_ALPHAS`` alphas from alpha_max down to ``eps * alpha_max``, ``tol=1e-4`` and the
default ``precompute="auto"``.  Paths fit no intercept, so they get the problem centred first,
as their documentation asks: dense X and y minus their means; sparse X as it is (centring would
densify it; its column means are small) and y minus its mean.
Tracks: total epochs over the path, the largest relative gap on the grid, and the largest
relative objective difference to scikit-learn on the grid.
"""
import numpy as np
import scipy.sparse as sp

from .common import (
    CACHE_TIMEOUT,
    DTYPES,
    ENET_L1_RATIO,
    EPS,
    IMPLS,
    LAYOUTS,
    MODULES,
    SHAPES,
    TOL,
    _CachedSuite,
    alpha_grid,
    enet_objective,
    enet_rel_gap,
    relative,
)


class _PathSuite(_CachedSuite):
    param_names = ["layout", "dtype", "shape", "eps", "impl"]
    params = [LAYOUTS, DTYPES, SHAPES, EPS, IMPLS]
    keep_fitted = False
    l1_ratio = 1.0

    def _kwargs(self, X, y, eps):
        kwargs = {"alphas": alpha_grid(X, y, eps, self.l1_ratio, fit_intercept=False),
                  "tol": TOL, "return_n_iter": True}
        if self.covers == "enet_path":
            kwargs["l1_ratio"] = self.l1_ratio
        return kwargs

    def _prepare_data(self, X, y):
        y = (y - y.mean(dtype=np.float64)).astype(y.dtype)
        if sp.issparse(X):
            return X, y
        return np.asfortranarray(X - X.mean(axis=0, dtype=np.float64), dtype=X.dtype), y

    def _fit_once(self, impl, X, y, eps):
        return getattr(MODULES[impl], self.covers)(X, y, **self._kwargs(X, y, eps))

    def _tracks(self, X, y, eps, results):
        f, out = {}, {}
        for impl, (alphas, coefs, _, n_iters) in results.items():
            f[impl] = [enet_objective(X, y, coefs[:, i], 0.0, a, self.l1_ratio)
                       for i, a in enumerate(alphas)]
            out[impl] = {
                "n_iter": float(sum(n_iters)),
                "rel_gap": max(enet_rel_gap(X, y, coefs[:, i], a, self.l1_ratio,
                                            fit_intercept=False)
                               for i, a in enumerate(alphas)),
            }
        ref = f.get("sklearn")
        for impl in results:
            out[impl]["objective_rel"] = (
                max(relative(a, b) for a, b in zip(f[impl], ref)) if ref else float("nan"))
        return out

    def setup(self, cache, layout, dtype, shape, eps, impl):
        super().setup(cache, layout, dtype, shape, eps, impl)
        self.path = getattr(MODULES[impl], self.covers)
        self.kwargs = self._kwargs(self.X, self.y, eps)

    def time_path(self, cache, *params):
        self.path(self.X, self.y, **self.kwargs)

    def peakmem_path(self, cache, *params):
        self.path(self.X, self.y, **self.kwargs)

    def track_n_iter(self, cache, *params):
        """Epochs summed over the grid."""
        return self.tracked["n_iter"]

    track_n_iter.unit = "epochs"

    def track_rel_gap(self, cache, *params):
        """Largest gap / ||y||^2 on the grid, computed here for both (stop rule: <= tol)."""
        return self.tracked["rel_gap"]

    track_rel_gap.unit = "gap/||y||^2"

    def track_objective_rel(self, cache, *params):
        """max over the grid of (f_fastreg - f_sklearn) / |f_sklearn|; 0 for sklearn."""
        return self.tracked["objective_rel"]

    track_objective_rel.unit = "relative"


class LassoPath(_PathSuite):
    """fastreg.lasso_path against sklearn.linear_model.lasso_path."""

    covers = "lasso_path"

    def setup_cache(self):
        return self._build_cache()

    setup_cache.timeout = CACHE_TIMEOUT


class EnetPath(_PathSuite):
    """fastreg.enet_path against sklearn.linear_model.enet_path (l1_ratio=0.5)."""

    covers = "enet_path"
    l1_ratio = ENET_L1_RATIO

    def setup_cache(self):
        return self._build_cache()

    setup_cache.timeout = CACHE_TIMEOUT
