"""LassoCV and ElasticNetCV: fit time, peak memory, predict time, and accuracy of the selection.

Parameters: layout x dtype x shape x eps x impl (fastreg | sklearn).  Both implementations get
the same explicit alpha grid (``N_ALPHAS`` values from alpha_max down to ``eps * alpha_max``,
computed on all the data as scikit-learn does), the same K-fold split (``cv=CV_FOLDS``, no
shuffling), ``tol=1e-4`` and ``n_jobs=None``.  Tracks: the refit's epochs and final gap, the
objective of the refit (each at its own ``alpha_``), the selected ``alpha_`` and the best
mean cross-validated MSE, each relative to scikit-learn's.
"""
import numpy as np

from .common import (
    CACHE_TIMEOUT,
    CV_FOLDS,
    DTYPES,
    ENET_L1_RATIO,
    EPS,
    IMPLS,
    LAYOUTS,
    SHAPES,
    TOL,
    _CDTracks,
    _EstimatorSuite,
    alpha_grid,
    enet_objective,
    enet_rel_gap,
    versus_sklearn,
)


class _CVSuite(_CDTracks, _EstimatorSuite):
    param_names = ["layout", "dtype", "shape", "eps", "impl"]
    params = [LAYOUTS, DTYPES, SHAPES, EPS, IMPLS]
    l1_ratio = 1.0

    def _kwargs(self, X, y, eps):
        kwargs = {"alphas": alpha_grid(X, y, eps, self.l1_ratio), "cv": CV_FOLDS, "tol": TOL}
        if self.covers == "ElasticNetCV":
            kwargs["l1_ratio"] = self.l1_ratio
        return kwargs

    def _tracks(self, X, y, eps, results):
        out, f, alpha, mse = {}, {}, {}, {}
        for impl, est in results.items():
            l1 = float(getattr(est, "l1_ratio_", 1.0))
            alpha[impl] = float(est.alpha_)
            f[impl] = enet_objective(X, y, est.coef_, est.intercept_, alpha[impl], l1)
            # best mean (over folds) test MSE on the grid: what the selection minimised
            mse[impl] = float(np.min(np.mean(est.mse_path_, axis=-1)))
            out[impl] = {"n_iter": float(est.n_iter_),
                         "rel_gap": enet_rel_gap(X, y, est.coef_, alpha[impl], l1)}
        for name, values in (("objective_rel", f), ("alpha_rel", alpha), ("mse_rel", mse)):
            for impl, value in versus_sklearn(values).items():
                out[impl][name] = value
        return out

    def track_alpha_rel(self, cache, *params):
        """(alpha_ fastreg - alpha_ sklearn) / alpha_ sklearn: the selected penalty."""
        return self.tracked["alpha_rel"]

    track_alpha_rel.unit = "relative"

    def track_mse_rel(self, cache, *params):
        """Best mean cross-validated MSE on the grid, relative to scikit-learn's."""
        return self.tracked["mse_rel"]

    track_mse_rel.unit = "relative"


class LassoCV(_CVSuite):
    """fastreg.LassoCV against sklearn.linear_model.LassoCV."""

    covers = "LassoCV"

    def setup_cache(self):
        return self._build_cache()

    setup_cache.timeout = CACHE_TIMEOUT


class ElasticNetCV(_CVSuite):
    """fastreg.ElasticNetCV against sklearn.linear_model.ElasticNetCV (l1_ratio=0.5)."""

    covers = "ElasticNetCV"
    l1_ratio = ENET_L1_RATIO

    def setup_cache(self):
        return self._build_cache()

    setup_cache.timeout = CACHE_TIMEOUT
