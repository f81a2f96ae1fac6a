"""The compiled kernels alone, and the layers above them, on bench_lasso's Lasso problems.

* ``Kernel``: one call of ``enet_cd_dense`` / ``enet_cd_sparse`` / ``enet_cd_gram`` over all
  features, inputs prepared as the solver prepares them (implicit centring through
  ``x_offset``, ``s = 1``, column norms, Gram matrix), sum-scaled ``alpha = reg * alpha_max``,
  ``tol = 1e-4 ||yc||^2``.  ``time_solve`` runs to that tolerance (gap checks every 10 epochs,
  Gap Safe screening on); ``time_epochs`` runs exactly 10 epochs (no screening, ``tol=0``),
  the raw throughput of the loop.  Tracks: epochs, final gap / ||yc||^2, features left active.
* ``Layers``: the same Lasso fit at three levels, the last parameter so that one asv table row
  shows where the time goes: ``kernel`` (the single kernel call above), ``solver``
  (``CDProblem.solve`` on a prepared problem: the Python outer loop with working sets,
  screening and polishing), ``estimator`` (``fastreg.Lasso(...).fit``: validation,
  preprocessing, column norms, the Gram matrix for layout ``gram`` (``precompute=True``),
  the solve and the intercept).  estimator - solver = the set-up around the solve;
  solver - kernel = the outer loop's overhead (or its gain, on wide problems).
* ``ColNorms2``: ``col_norms2_dense`` / ``col_norms2_sparse`` (||Xc_j||^2 without cancellation).

The Gram layout is benchmarked on tall and tiny shapes only (as ``precompute="auto"`` would);
its wide combinations are skipped (reported as n/a).
"""
import os

import numpy as np

import fastreg
from fastreg import _cd_fast

from .common import (
    CACHE_TIMEOUT,
    DTYPES,
    L1_REGS,
    LAYOUTS,
    SHAPES,
    TIMEOUT,
    TOL,
    cache_name,
    dump,
    load,
    make_data,
    prepare_process,
    shape_kind,
)

KERNEL_LAYOUTS = ["dense", "sparse", "gram"]
LAYERS = ["kernel", "solver", "estimator"]
GAP_FREQ = 10  # the solver's value (fastreg._cd_solver.GAP_FREQ)
MAX_EPOCHS = 1000  # scikit-learn's max_iter default
FIXED_EPOCHS = 10


def _skip_wide_gram(layout, shape):
    if layout == "gram" and shape_kind(shape) == "wide":
        raise NotImplementedError("the Gram layout is for n_samples > n_features")


def kernel_inputs(layout, dtype, shape):
    """What a kernel call needs for the Lasso with intercept on ``make_data``'s problem.

    Prepared as ``fastreg._base.preprocess`` and ``CDProblem`` prepare it (no sample weights);
    ``alpha_max`` is in the kernels' sum scale.
    """
    X, y = make_data("sparse" if layout == "sparse" else "dense", dtype, shape)
    dt = X.dtype
    n, p = X.shape
    x_offset = np.asarray(X.mean(axis=0), dtype=dt).ravel()
    s = np.ones(n, dtype=dt)
    yc = np.asarray(y - y.mean(), dtype=dt)
    norms2 = np.empty(p, dtype=dt)
    inp = {"layout": layout, "X": X, "y": y, "x_offset": x_offset, "s": s, "yc": yc,
           "norms2": norms2, "csc": None, "G": None, "q": None,
           "y_norm2": float(yc.astype(np.float64) @ yc)}
    if layout == "sparse":
        inp["csc"] = (np.ascontiguousarray(X.data), np.ascontiguousarray(X.indices, np.int32),
                      np.ascontiguousarray(X.indptr, np.int32))
        _cd_fast.col_norms2_sparse(*inp["csc"], x_offset, s, norms2)
    else:
        _cd_fast.col_norms2_dense(X, x_offset, s, norms2)
    yc64 = yc.astype(np.float64)
    grad0 = np.asarray(X.T @ yc64).ravel() - x_offset * yc64.sum()  # Xc^T yc
    inp["alpha_max"] = float(np.max(np.abs(grad0)))
    if layout == "gram":
        Xc = np.asarray(X - x_offset, dtype=dt)
        inp["G"] = np.ascontiguousarray(Xc.T @ Xc)
        inp["q"] = np.ascontiguousarray(Xc.T @ yc)
        inp["norms2"] = np.ascontiguousarray(np.diag(inp["G"]))
    return inp


class _KernelRun:
    """One kernel call from w = 0 over all features, buffers reset in place (O(n + p))."""

    def __init__(self, inp):
        self.inp = inp
        self.dtype = inp["yc"].dtype.type
        p = inp["norms2"].shape[0]
        self.w = np.zeros(p, dtype=self.dtype)
        self.start = inp["q"] if inp["layout"] == "gram" else inp["yc"]
        self.buf = self.start.copy()  # R (dense, sparse) or H (gram)
        self.ws0 = np.arange(p, dtype=np.int32)
        self.ws = self.ws0.copy()

    def __call__(self, alpha, tol, max_epochs, screen):
        inp, dt = self.inp, self.dtype
        self.w.fill(0)
        np.copyto(self.buf, self.start)
        np.copyto(self.ws, self.ws0)
        tail = dict(ws=self.ws, alpha=dt(alpha), beta=dt(0), tol=dt(tol), max_epochs=max_epochs,
                    gap_freq=GAP_FREQ, positive=False, random=False, seed=0, screen=screen)
        if inp["layout"] == "gram":
            return _cd_fast.enet_cd_gram(w=self.w, H=self.buf, G=inp["G"], q=inp["q"],
                                         y_norm2=dt(inp["y_norm2"]), **tail)
        common = dict(w=self.w, R=self.buf, x_offset=inp["x_offset"], s=inp["s"],
                      norms2=inp["norms2"], **tail)
        if inp["layout"] == "sparse":
            data, indices, indptr = inp["csc"]
            return _cd_fast.enet_cd_sparse(X_data=data, X_indices=indices, X_indptr=indptr,
                                           **common)
        return _cd_fast.enet_cd_dense(X=inp["X"], **common)


class _KernelSuite:
    covers = None
    timeout = TIMEOUT

    def _build_kernel_cache(self, layouts, regs=(), solve=False):
        prepare_process()
        cache = {"dir": os.getcwd(), "tracks": {}}
        for layout in layouts:
            for dtype in DTYPES:
                for shape in SHAPES:
                    if layout == "gram" and shape_kind(shape) == "wide":
                        continue
                    inp = kernel_inputs(layout, dtype, shape)
                    dump(inp, cache_name("kernel", layout, dtype, shape))
                    for reg in regs if solve else ():
                        gap, n_epochs, n_active = _KernelRun(inp)(
                            reg * inp["alpha_max"], TOL * inp["y_norm2"], MAX_EPOCHS, True)
                        cache["tracks"][(layout, dtype, shape, reg)] = {
                            "n_epochs": float(n_epochs),
                            "rel_gap": float(gap) / inp["y_norm2"],
                            "n_active": float(n_active),
                        }
        return cache


class Kernel(_KernelSuite):
    """The Cython coordinate-descent kernels alone (one call over all features)."""

    param_names = ["layout", "dtype", "shape", "reg"]
    params = [KERNEL_LAYOUTS, DTYPES, SHAPES, L1_REGS]

    def setup_cache(self):
        return self._build_kernel_cache(KERNEL_LAYOUTS, L1_REGS, solve=True)

    setup_cache.timeout = CACHE_TIMEOUT

    def setup(self, cache, layout, dtype, shape, reg):
        prepare_process()
        _skip_wide_gram(layout, shape)
        inp = load(cache, cache_name("kernel", layout, dtype, shape))
        self.run = _KernelRun(inp)
        self.alpha = reg * inp["alpha_max"]
        self.tol = TOL * inp["y_norm2"]
        self.tracked = cache["tracks"][(layout, dtype, shape, reg)]

    def time_solve(self, cache, *params):
        self.run(self.alpha, self.tol, MAX_EPOCHS, True)

    def time_epochs(self, cache, *params):
        self.run(self.alpha, 0.0, FIXED_EPOCHS, False)

    def track_n_epochs(self, cache, *params):
        """Epochs of the solve to tol."""
        return self.tracked["n_epochs"]

    track_n_epochs.unit = "epochs"

    def track_rel_gap(self, cache, *params):
        """The kernel's final duality gap / ||yc||^2 (target: tol = 1e-4)."""
        return self.tracked["rel_gap"]

    track_rel_gap.unit = "gap/||yc||^2"

    def track_n_active(self, cache, *params):
        """Features not screened out at the end of the solve."""
        return self.tracked["n_active"]

    track_n_active.unit = "features"


class Layers(_KernelSuite):
    """One Lasso fit timed at the kernel, solver and estimator levels (Python overhead)."""

    param_names = ["layout", "dtype", "shape", "reg", "layer"]
    params = [KERNEL_LAYOUTS, DTYPES, SHAPES, L1_REGS, LAYERS]

    def setup_cache(self):
        return self._build_kernel_cache(KERNEL_LAYOUTS)

    setup_cache.timeout = CACHE_TIMEOUT

    def setup(self, cache, layout, dtype, shape, reg, layer):
        prepare_process()
        _skip_wide_gram(layout, shape)
        inp = load(cache, cache_name("kernel", layout, dtype, shape))
        X, y = inp["X"], inp["y"]
        n, p = X.shape
        alpha_sum = reg * inp["alpha_max"]  # sum scale; scikit-learn's alpha is this / n
        if layer == "kernel":
            run = _KernelRun(inp)
            tol = TOL * inp["y_norm2"]
            self.call = lambda: run(alpha_sum, tol, MAX_EPOCHS, True)
        elif layer == "solver":
            try:  # private API: skip (n/a) rather than fail if it moves
                from fastreg._base import preprocess
                from fastreg._cd_solver import CDProblem
            except ImportError as exc:
                raise NotImplementedError(f"fastreg's solver layer moved: {exc}") from exc
            design = preprocess(X, y, fit_intercept=True)
            problem = CDProblem(design)
            if layout == "gram":
                problem = CDProblem(design, gram=problem.gram())
            yc, dt = design.yc, design.yc.dtype
            self.call = lambda: problem.solve(yc, np.zeros(p, dtype=dt), alpha_sum, 0.0,
                                              tol=TOL, max_iter=MAX_EPOCHS)
        else:
            est = fastreg.Lasso(alpha=alpha_sum / n, tol=TOL, precompute=layout == "gram")
            self.call = lambda: est.fit(X, y)

    def time_fit(self, cache, *params):
        self.call()


class ColNorms2(_KernelSuite):
    """``col_norms2_dense`` / ``col_norms2_sparse``: squared norms of the centred columns."""

    param_names = ["layout", "dtype", "shape"]
    params = [LAYOUTS, DTYPES, SHAPES]

    def setup_cache(self):
        return self._build_kernel_cache(LAYOUTS)

    setup_cache.timeout = CACHE_TIMEOUT

    def setup(self, cache, layout, dtype, shape):
        prepare_process()
        self.inp = load(cache, cache_name("kernel", layout, dtype, shape))
        self.out = np.empty_like(self.inp["norms2"])

    def time_col_norms2(self, cache, *params):
        inp = self.inp
        if inp["layout"] == "sparse":
            _cd_fast.col_norms2_sparse(*inp["csc"], inp["x_offset"], inp["s"], self.out)
        else:
            _cd_fast.col_norms2_dense(inp["X"], inp["x_offset"], inp["s"], self.out)
