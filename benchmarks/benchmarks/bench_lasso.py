"""Lasso and ElasticNet: fit time, peak memory, predict time, epochs, final gap, accuracy.

Parameters: layout x dtype x shape x reg (alpha / alpha_max) x impl (fastreg | sklearn), both
implementations at scikit-learn's defaults (``tol=1e-4``, cyclic, ``precompute=False``).
"""
import warnings

import numpy as np
from sklearn.exceptions import ConvergenceWarning

from .common import (
    CACHE_TIMEOUT,
    DTYPES,
    ENET_L1_RATIO,
    IMPLS,
    L1_REGS,
    LAYOUTS,
    MODULES,
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


class RawPolynomialLasso:
    """Lasso on the diabetes data's original (unscaled) measurements expanded to degree 3:
    column norms from 30 to 2e8 and nearly collinear x, x^2, x^3, the classic case where
    coordinate descent crawls.  Both at their defaults (``max_iter=1000``, ``tol=1e-4``):
    time to fit, epochs used, and the relative duality gap reached (``<= 1e-4`` means
    converged; scikit-learn stops at max_iter with a ConvergenceWarning below alpha_max/100).
    """

    param_names = ["reg", "impl"]
    params = [[1e-3, 1e-4, 1e-5], IMPLS]
    timeout = 120

    def setup(self, reg, impl):
        from sklearn.datasets import load_diabetes
        from sklearn.preprocessing import PolynomialFeatures

        X, self.y = load_diabetes(return_X_y=True, scaled=False)
        self.X = np.asfortranarray(PolynomialFeatures(3, include_bias=False).fit_transform(X))
        self.alpha = reg * alpha_max(self.X, self.y)
        self.cls = MODULES[impl].Lasso

    def _fit(self):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", ConvergenceWarning)
            return self.cls(alpha=self.alpha).fit(self.X, self.y)

    def time_fit(self, reg, impl):
        self._fit()

    def track_n_iter(self, reg, impl):
        return float(self._fit().n_iter_)

    def track_rel_gap(self, reg, impl):
        return enet_rel_gap(self.X, self.y, self._fit().coef_, self.alpha, 1.0)
