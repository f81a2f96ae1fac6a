"""Shared pieces of the asv suite: profile switch, data builders, on-disk cache, objectives.

Profiles (environment variable ``FASTREG_BENCH_PROFILE``, read once at import):

* ``full`` (default): real measurements; tall 20000 x 500, wide 500 x 5000 (sparse at 1%
  density), 100-alpha grids, 5-fold CV.  Takes a long time for the whole suite: select
  benchmarks with ``asv run -b REGEX``.
* ``small``: a few milliseconds per fit (tall 500 x 50, wide 50 x 500, 20-alpha grids, 3-fold
  CV), so that ``asv run --python=same --quick`` runs every benchmark in a few minutes; it is
  also what ``tests/test_asv_smoke.py`` runs.

Shape parameter values carry the dimensions (``"tall-500x50"``), so results of the two profiles
never mix in one asv table or graph.  ``FASTREG_BENCH_THREADS=N`` caps every BLAS/OpenMP pool
at N threads in each benchmark process (via threadpoolctl); ``bench_env.Environment`` records
the setting that was in force.

The classes follow asv's pattern: data and fitted models are built once per class in
``setup_cache`` (one pickle per data set / fitted model in asv's cache directory, track values
in the returned dict), ``setup`` only loads them, and ``time_*`` / ``peakmem_*`` / ``track_*``
methods do one thing each.  Every concrete class defines its own ``setup_cache`` (a one-line
call of ``_build_cache``): asv keys the cache by the defining function's source line, so a
``setup_cache`` inherited from a mixin would be run once and shared by every class.

Nothing here is a benchmark itself (asv imports this module too): mixins start with an
underscore, helpers avoid the ``time_`` / ``track_`` / ``peakmem_`` / ``mem_`` prefixes.
"""
import os
import pickle
import warnings
import zlib
from itertools import product

import numpy as np
import scipy.sparse as sp
import sklearn.linear_model
from sklearn.exceptions import ConvergenceWarning

import fastreg

# ------------------------------------------------------------------------------------------------
# profile

PROFILE_VAR = "FASTREG_BENCH_PROFILE"
THREADS_VAR = "FASTREG_BENCH_THREADS"
PROFILES = ("small", "full")

PROFILE = os.environ.get(PROFILE_VAR, "").strip().lower() or "full"
if PROFILE not in PROFILES:
    raise ValueError(
        f"{PROFILE_VAR} must be one of {', '.join(PROFILES)}, got {PROFILE!r}; "
        f"unset it for the full profile."
    )

# name -> (n_samples, n_features, density of the sparse layout)
_SIZES = {
    "small": {"tall": (500, 50, 0.1), "wide": (50, 500, 0.1), "tiny": (20, 10, 0.3)},
    "full": {"tall": (20000, 500, 0.01), "wide": (500, 5000, 0.01), "tiny": (20, 10, 0.3)},
}[PROFILE]

SHAPES = [f"{name}-{n}x{p}" for name, (n, p, _) in _SIZES.items()]
LAYOUTS = ["dense", "sparse"]
DTYPES = ["float32", "float64"]
#: The implementation is the LAST parameter everywhere: asv prints it as the table's columns,
#: so fastreg and scikit-learn sit side by side and their ratio reads off one row.
IMPLS = ["fastreg", "sklearn"]
MODULES = {"fastreg": fastreg, "sklearn": sklearn.linear_model}
#: Lasso / ElasticNet strength, as a fraction of alpha_max (the smallest alpha giving w = 0).
L1_REGS = [0.1, 0.01]
#: Ridge strength, as a fraction of the mean squared norm of the centred columns.
RIDGE_REGS = [0.01, 1.0]
#: Depth of the alpha grid of paths and CV (alpha_min / alpha_max): the "strength" axis there.
EPS = [1e-2, 1e-3]
ENET_L1_RATIO = 0.5
TOL = 1e-4  # scikit-learn's default, used by both implementations
N_ALPHAS = {"small": 20, "full": 100}[PROFILE]
CV_FOLDS = {"small": 3, "full": 5}[PROFILE]
#: asv timeouts (seconds): per benchmark, and for one class's setup_cache (every fit once).
TIMEOUT = {"small": 120, "full": 900}[PROFILE]
CACHE_TIMEOUT = {"small": 600, "full": 3600}[PROFILE]


def shape_dims(shape):
    """``"tall-500x50"`` -> ``(500, 50, density)``."""
    return _SIZES[shape.split("-", 1)[0]]


def shape_kind(shape):
    """``"tall-500x50"`` -> ``"tall"``."""
    return shape.split("-", 1)[0]


# ------------------------------------------------------------------------------------------------
# process set-up

def prepare_process():
    """Per-process settings for every setup/setup_cache: quiet fits, optional thread cap.

    Non-convergence is not an error here: the ``track_rel_gap`` benchmarks measure it.
    """
    warnings.simplefilter("ignore", ConvergenceWarning)
    threads = os.environ.get(THREADS_VAR, "").strip()
    if threads:
        from threadpoolctl import threadpool_limits

        threadpool_limits(limits=int(threads))


# ------------------------------------------------------------------------------------------------
# data

def make_data(layout, dtype, shape):
    """A deterministic regression problem ``(X, y)`` in the given layout and dtype.

    Dense X: Gaussian columns with non-zero means (so the intercept matters).  Sparse X: CSC,
    non-zeros around 1 (non-zero column means too).  ``y = X w* + noise + 3`` with a few
    informative features and noise at half the signal's standard deviation.  Both dtypes get
    the same numbers (float32 = float64 rounded), so dtype columns compare like with like.
    """
    n, p, density = shape_dims(shape)
    rng = np.random.default_rng(zlib.crc32(f"{layout}/{shape}".encode()))
    if layout == "dense":
        X = rng.standard_normal((n, p)) + rng.uniform(-2.0, 2.0, p)
        X = np.asfortranarray(X, dtype=dtype)
    elif layout == "sparse":
        X = sp.random(n, p, density=density, format="csc", random_state=rng,
                      data_rvs=lambda k: 1.0 + 0.5 * rng.standard_normal(k))
        X = sp.csc_matrix(X, dtype=dtype)
        X.sort_indices()
    else:
        raise ValueError(f"layout must be 'dense' or 'sparse', got {layout!r}.")
    k = max(2, min(20, p // 5))
    w = np.zeros(p)
    w[rng.choice(p, k, replace=False)] = rng.uniform(1.0, 3.0, k) * rng.choice([-1.0, 1.0], k)
    signal = np.asarray(X.astype(np.float64) @ w).ravel()
    noise = 0.5 * max(float(signal.std()), 1e-3) * rng.standard_normal(n)
    y = (signal + noise + 3.0).astype(dtype)
    return X, y


def as64(X):
    """X in float64 (exact for float32 input), for the objectives."""
    return X.astype(np.float64)


def _xt(X, v):
    return np.asarray(X.T @ v, dtype=np.float64).ravel()


def _x(X, v):
    return np.asarray(X @ v, dtype=np.float64).ravel()


def alpha_max(X, y, l1_ratio=1.0, fit_intercept=True):
    """Smallest alpha (scikit-learn scaling) whose Lasso / ElasticNet solution is w = 0."""
    y = np.asarray(y, dtype=np.float64)
    yc = y - y.mean() if fit_intercept else y
    # Xc^T yc = X^T yc because yc sums to zero: no centred copy of X, sparse stays sparse
    return float(np.max(np.abs(_xt(as64(X), yc)))) / (X.shape[0] * l1_ratio)


def alpha_grid(X, y, eps, l1_ratio=1.0, fit_intercept=True):
    """Descending log grid alpha_max ... eps * alpha_max with N_ALPHAS points."""
    return alpha_max(X, y, l1_ratio, fit_intercept) * np.geomspace(1.0, eps, N_ALPHAS)


def ridge_alpha(X, reg):
    """``reg`` times the mean squared norm of the centred columns (Ridge's sum scaling)."""
    X64 = as64(X)
    n = X.shape[0]
    mean = np.asarray(X64.mean(axis=0)).ravel()
    sq = np.asarray(X64.multiply(X64).sum(axis=0) if sp.issparse(X64)
                    else (X64 * X64).sum(axis=0)).ravel()
    return float(reg * np.mean(sq - n * mean**2))


# ------------------------------------------------------------------------------------------------
# objectives and optimality measures, all in float64 from the (exact) float64 copy of the data

def relative(f, f_ref):
    """Signed relative distance ``(f - f_ref) / |f_ref|`` (absolute if f_ref == 0)."""
    return float((f - f_ref) / abs(f_ref)) if f_ref != 0 else float(f - f_ref)


def versus_sklearn(values):
    """``{impl: relative(values[impl], values["sklearn"])}``; NaN if scikit-learn's fit failed."""
    ref = values.get("sklearn")
    return {impl: relative(v, ref) if ref is not None else float("nan")
            for impl, v in values.items()}


def enet_objective(X, y, coef, intercept, alpha, l1_ratio):
    """``1/(2n) ||y - Xw - b||^2 + alpha l1 ||w||_1 + alpha (1 - l1)/2 ||w||^2``."""
    w = np.asarray(coef, dtype=np.float64).ravel()
    r = np.asarray(y, dtype=np.float64) - _x(as64(X), w) - float(intercept)
    return (0.5 * float(r @ r) / X.shape[0] + alpha * l1_ratio * float(np.abs(w).sum())
            + 0.5 * alpha * (1.0 - l1_ratio) * float(w @ w))


def enet_rel_gap(X, y, coef, alpha, l1_ratio, fit_intercept=True):
    """Duality gap of w for the (centred) ElasticNet problem, divided by ||yc||^2.

    The same quantity both implementations stop on (``gap <= tol ||yc||^2``), computed here
    the same way for both: sum-scaled problem ``1/2 ||yc - Xc w||^2 + a ||w||_1 + b/2 ||w||^2``
    with ``a = n alpha l1``, ``b = n alpha (1 - l1)`` and the rescaled residual as dual point.
    """
    X64 = as64(X)
    n = X.shape[0]
    w = np.asarray(coef, dtype=np.float64).ravel()
    y = np.asarray(y, dtype=np.float64)
    yc = y - y.mean() if fit_intercept else y
    R = y - _x(X64, w)
    if fit_intercept:
        R -= R.mean()  # best intercept for w: R is then the centred residual yc - Xc w
    a, b = n * alpha * l1_ratio, n * alpha * (1.0 - l1_ratio)
    xta = _xt(X64, R) - b * w  # Xc^T R = X^T R since R sums to zero (with an intercept)
    dual_norm = float(np.max(np.abs(xta))) if xta.size else 0.0
    scale = min(1.0, a / dual_norm) if dual_norm > 0 else 1.0
    quad = float(R @ R) + b * float(w @ w)
    primal = 0.5 * quad + a * float(np.abs(w).sum())
    dual = -0.5 * scale**2 * quad + scale * float(R @ yc)
    return (primal - dual) / max(float(yc @ yc), np.finfo(float).tiny)


def ridge_objective(X, y, coef, intercept, alpha):
    """``||y - Xw - b||^2 + alpha ||w||^2`` (scikit-learn's Ridge scaling)."""
    w = np.asarray(coef, dtype=np.float64).ravel()
    r = np.asarray(y, dtype=np.float64) - _x(as64(X), w) - float(intercept)
    return float(r @ r) + alpha * float(w @ w)


def ridge_rel_grad(X, y, coef, alpha):
    """Optimality of a Ridge solution: ``||Xc^T (Xc w - yc) + alpha w|| / ||Xc^T yc||``."""
    X64 = as64(X)
    w = np.asarray(coef, dtype=np.float64).ravel()
    y = np.asarray(y, dtype=np.float64)
    R = y - _x(X64, w)
    R -= R.mean()
    grad = -_xt(X64, R) + alpha * w
    ref = np.linalg.norm(_xt(X64, y - y.mean()))
    return float(np.linalg.norm(grad) / max(ref, np.finfo(float).tiny))


# ------------------------------------------------------------------------------------------------
# cache files (written into asv's per-class cache directory, the cwd of setup_cache and runs)

def cache_name(*parts):
    return "-".join(str(p) for p in parts) + ".pkl"


def dump(obj, name):
    with open(name, "wb") as f:
        pickle.dump(obj, f, protocol=pickle.HIGHEST_PROTOCOL)


def load(cache, name):
    with open(os.path.join(cache["dir"], name), "rb") as f:
        return pickle.load(f)


def sklearn_sparse_ok(estimator):
    """Whether the estimator declares sparse input support (scikit-learn tags)."""
    try:
        return bool(estimator.__sklearn_tags__().input_tags.sparse)
    except AttributeError:  # very old scikit-learn: assume it does
        return True


# ------------------------------------------------------------------------------------------------
# the mixins

class _CachedSuite:
    """Parameters ``layout x dtype x shape x <strength> x impl``; every fit done once, cached.

    Subclasses define ``_fit_once(impl, X, y, reg)`` (the measured call, returning a fitted
    estimator or a path's arrays), ``_tracks(X, y, reg, results) -> {impl: {name: value}}``,
    optionally ``_supports(impl, layout)``, and their own ``setup_cache`` calling
    ``_build_cache``.
    """

    #: the public fastreg name the class benchmarks (checked by tests/test_asv_smoke.py)
    covers = None
    param_names = ["layout", "dtype", "shape", "reg", "impl"]
    params = [LAYOUTS, DTYPES, SHAPES, L1_REGS, IMPLS]
    timeout = TIMEOUT
    #: keep fitted estimators on disk (for time_predict)
    keep_fitted = True

    def _supports(self, impl, layout):
        return True

    def _prepare_data(self, X, y):
        """The problem this class benchmarks, from ``make_data``'s (as it is by default)."""
        return X, y

    def _build_cache(self):
        prepare_process()
        cache = {"dir": os.getcwd(), "tracks": {}, "errors": {}}
        name = type(self).__name__
        layouts, dtypes, shapes, regs, impls = self.params
        for layout, dtype, shape in product(layouts, dtypes, shapes):
            X, y = self._prepare_data(*make_data(layout, dtype, shape))
            dump((X, y), cache_name("data", layout, dtype, shape))
            for reg in regs:
                key = (layout, dtype, shape, reg)
                results = {}
                for impl in impls:
                    if not self._supports(impl, layout):
                        continue
                    try:
                        results[impl] = self._fit_once(impl, X, y, reg)
                        if self.keep_fitted:
                            dump(results[impl], cache_name(name, *key, impl))
                    except Exception as exc:  # noqa: BLE001
                        # one failing fit must not take the class's other combinations down
                        # with it: setup() re-raises it for this combination only
                        cache["errors"][key + (impl,)] = f"{type(exc).__name__}: {exc}"
                        results.pop(impl, None)
                try:
                    cache["tracks"][key] = self._tracks(X, y, reg, results) if results else {}
                except Exception as exc:  # noqa: BLE001
                    cache["tracks"][key] = {}
                    for impl in results:
                        cache["errors"][key + (impl,)] = f"tracks: {type(exc).__name__}: {exc}"
        return cache

    def setup(self, cache, layout, dtype, shape, reg, impl):
        prepare_process()
        if not self._supports(impl, layout):
            raise NotImplementedError(f"{impl} {type(self).__name__} does not take {layout} X")
        key = (layout, dtype, shape, reg)
        if key + (impl,) in cache["errors"]:
            raise RuntimeError(f"{type(self).__name__}{key + (impl,)} failed in setup_cache: "
                               f"{cache['errors'][key + (impl,)]}")
        self.X, self.y = load(cache, cache_name("data", layout, dtype, shape))
        self.tracked = cache["tracks"][key].get(impl, {})
        if self.keep_fitted:
            self.fitted = load(cache, cache_name(type(self).__name__, layout, dtype, shape,
                                                 reg, impl))


class _EstimatorSuite(_CachedSuite):
    """An estimator class: ``time_fit``, ``peakmem_fit``, ``time_predict`` (+ tracks).

    ``covers`` names the estimator (looked up in fastreg and in sklearn.linear_model);
    subclasses give its keyword arguments for a problem and strength in ``_kwargs``.
    """

    def _kwargs(self, X, y, reg):
        raise NotImplementedError

    def _make(self, impl, X, y, reg):
        """The unfitted estimator of implementation ``impl`` for strength ``reg``."""
        return getattr(MODULES[impl], self.covers)(**self._kwargs(X, y, reg))

    def _supports(self, impl, layout):
        return layout != "sparse" or sklearn_sparse_ok(getattr(MODULES[impl], self.covers)())

    def _fit_once(self, impl, X, y, reg):
        return self._make(impl, X, y, reg).fit(X, y)

    def setup(self, cache, layout, dtype, shape, reg, impl):
        super().setup(cache, layout, dtype, shape, reg, impl)
        self.estimator = self._make(impl, self.X, self.y, reg)

    def time_fit(self, cache, *params):
        self.estimator.fit(self.X, self.y)

    def peakmem_fit(self, cache, *params):
        self.estimator.fit(self.X, self.y)

    def time_predict(self, cache, *params):
        self.fitted.predict(self.X)

    def track_objective_rel(self, cache, *params):
        """(f_fastreg - f_sklearn) / |f_sklearn| of the fitted objective; 0 for sklearn."""
        return self.tracked["objective_rel"]

    track_objective_rel.unit = "relative"


class _CDTracks:
    """``track_n_iter`` and ``track_rel_gap`` for coordinate-descent results."""

    def track_n_iter(self, cache, *params):
        """Coordinate-descent epochs as reported by the estimator (``n_iter_``)."""
        return self.tracked["n_iter"]

    track_n_iter.unit = "epochs"

    def track_rel_gap(self, cache, *params):
        """Final duality gap / ||y - mean(y)||^2, computed here for both (stop rule: <= tol)."""
        return self.tracked["rel_gap"]

    track_rel_gap.unit = "gap/||yc||^2"
