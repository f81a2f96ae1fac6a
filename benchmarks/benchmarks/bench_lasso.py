"""Lasso and ElasticNet: fit time, peak memory, predict time, epochs, final gap, accuracy.

Parameters: layout x dtype x shape x reg (alpha / alpha_max) x impl (fastreg | sklearn), both
implementations at scikit-learn's defaults (``tol=1e-4``, cyclic, ``precompute=False``).
"""
from .common import (
    CACHE_TIMEOUT,
    DTYPES,
    ENET_L1_RATIO,
    IMPLS,
    L1_REGS,
    LAYOUTS,
    SHAPES,
    TOL,
    _CDTracks,
    _EstimatorSuite,
    alpha_max,
    enet_objective,
    enet_rel_gap,
    versus_sklearn,
)


class _L1Suite(_CDTracks, _EstimatorSuite):
    param_names = ["layout", "dtype", "shape", "reg", "impl"]
    params = [LAYOUTS, DTYPES, SHAPES, L1_REGS, IMPLS]
    l1_ratio = 1.0

    def _alpha(self, X, y, reg):
        return reg * alpha_max(X, y, self.l1_ratio)

    def _kwargs(self, X, y, reg):
        kwargs = {"alpha": self._alpha(X, y, reg), "tol": TOL}
        if self.covers == "ElasticNet":
            kwargs["l1_ratio"] = self.l1_ratio
        return kwargs

    def _tracks(self, X, y, reg, results):
        alpha = self._alpha(X, y, reg)
        objective_rel = versus_sklearn(
            {impl: enet_objective(X, y, est.coef_, est.intercept_, alpha, self.l1_ratio)
             for impl, est in results.items()})
        return {
            impl: {
                "n_iter": float(est.n_iter_),
                "rel_gap": enet_rel_gap(X, y, est.coef_, alpha, self.l1_ratio),
                "objective_rel": objective_rel[impl],
            }
            for impl, est in results.items()
        }


class Lasso(_L1Suite):
    """fastreg.Lasso against sklearn.linear_model.Lasso."""

    covers = "Lasso"

    def setup_cache(self):
        return self._build_cache()

    setup_cache.timeout = CACHE_TIMEOUT


class ElasticNet(_L1Suite):
    """fastreg.ElasticNet against sklearn.linear_model.ElasticNet (l1_ratio=0.5)."""

    covers = "ElasticNet"
    l1_ratio = ENET_L1_RATIO

    def setup_cache(self):
        return self._build_cache()

    setup_cache.timeout = CACHE_TIMEOUT
