"""Ridge (and RidgeCV once fastreg has it): fit time, peak memory, predict time, accuracy.

Parameters: layout x dtype x shape x reg x impl (fastreg | sklearn), both at ``solver="auto"``.
``reg`` is alpha as a fraction of the mean squared norm of the centred columns.  Accuracy:
``track_objective_rel`` (objective against scikit-learn's) and ``track_rel_grad`` (norm of the
objective's gradient at the solution, relative to its value at w = 0).
"""
import numpy as np

import fastreg

from .common import (
    CACHE_TIMEOUT,
    DTYPES,
    IMPLS,
    LAYOUTS,
    RIDGE_REGS,
    SHAPES,
    _EstimatorSuite,
    ridge_alpha,
    ridge_objective,
    ridge_rel_grad,
    versus_sklearn,
)


class _RidgeTracks:
    def track_objective_rel(self, cache, *params):
        """(f_fastreg - f_sklearn) / |f_sklearn| of the Ridge objective; 0 for sklearn."""
        return self.tracked["objective_rel"]

    track_objective_rel.unit = "relative"

    def track_rel_grad(self, cache, *params):
        """||Xc^T (Xc w - yc) + alpha w|| / ||Xc^T yc||: 0 at the exact solution."""
        return self.tracked["rel_grad"]

    track_rel_grad.unit = "relative"


class Ridge(_RidgeTracks, _EstimatorSuite):
    """fastreg.Ridge against sklearn.linear_model.Ridge."""

    covers = "Ridge"
    param_names = ["layout", "dtype", "shape", "reg", "impl"]
    params = [LAYOUTS, DTYPES, SHAPES, RIDGE_REGS, IMPLS]

    def _kwargs(self, X, y, reg):
        return {"alpha": ridge_alpha(X, reg)}

    def _tracks(self, X, y, reg, results):
        alpha = ridge_alpha(X, reg)
        objective_rel = versus_sklearn(
            {impl: ridge_objective(X, y, est.coef_, est.intercept_, alpha)
             for impl, est in results.items()})
        return {
            impl: {
                "objective_rel": objective_rel[impl],
                "rel_grad": ridge_rel_grad(X, y, est.coef_, alpha),
            }
            for impl, est in results.items()
        }

    def setup_cache(self):
        return self._build_cache()

    setup_cache.timeout = CACHE_TIMEOUT


#: RidgeCV's grid: this many alphas, log-spaced over 1e-3 .. 10 times the mean squared norm of
#: the centred columns (efficient leave-one-out, cv=None, in both implementations).
RIDGECV_N_ALPHAS = [3, 30]


if hasattr(fastreg, "RidgeCV"):

    class RidgeCV(_RidgeTracks, _EstimatorSuite):
        """fastreg.RidgeCV against sklearn.linear_model.RidgeCV (leave-one-out over a grid)."""

        covers = "RidgeCV"
        param_names = ["layout", "dtype", "shape", "n_alphas", "impl"]
        params = [LAYOUTS, DTYPES, SHAPES, RIDGECV_N_ALPHAS, IMPLS]

        def _kwargs(self, X, y, n_alphas):
            return {"alphas": ridge_alpha(X, 1.0) * np.logspace(-3, 1, n_alphas)}

        def _tracks(self, X, y, n_alphas, results):
            objective_rel = versus_sklearn(
                {impl: ridge_objective(X, y, est.coef_, est.intercept_, est.alpha_)
                 for impl, est in results.items()})
            alpha_rel = versus_sklearn({impl: float(est.alpha_) for impl, est in results.items()})
            return {
                impl: {
                    "objective_rel": objective_rel[impl],
                    "rel_grad": ridge_rel_grad(X, y, est.coef_, est.alpha_),
                    "alpha_rel": alpha_rel[impl],
                }
                for impl, est in results.items()
            }

        def track_alpha_rel(self, cache, *params):
            """(alpha_ fastreg - alpha_ sklearn) / alpha_ sklearn: the selected penalty."""
            return self.tracked["alpha_rel"]

        track_alpha_rel.unit = "relative"

        def setup_cache(self):
            return self._build_cache()

        setup_cache.timeout = CACHE_TIMEOUT
