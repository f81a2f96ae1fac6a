"""Solver layer for the L1 / L1+L2 (ElasticNet) problems: what to compute, and when to stop.

Every fit reduces to, per target and per alpha, the sum-scaled problem

    min_w  1/2 ||yc - Xc w||^2 + alpha ||w||_1 + beta/2 ||w||^2                       (P)

on the centred design ``Xc = diag(s) (X - 1 x_offset^T)`` prepared once by ``_base.preprocess``.
(The estimators convert scikit-learn's ``1/(2n)`` scaling to this one at a single call site.)

The solver is an outer loop around the compiled kernels of ``_cd_fast``:

1. compute ``Xc^T R`` once, a feasible dual point (the rescaled residual) and the duality gap of
   the full problem; stop when ``gap <= tol * ||yc||^2`` (scikit-learn's rule);
2. discard features that the gap-safe sphere proves to be zero at the optimum;
3. rank the others by how close their dual constraint is to being active and pick a working set
   (the support plus the best candidates: twice the support, doubled while the gap stalls or
   when the full gap shows the last working set missed much of the support);
4. run kernel epochs on the working set until its own gap falls below a fraction of the full gap
   (below the final tolerance once a full gradient has shown the working set missed nothing);
   the kernels accelerate long solves themselves (Anderson extrapolation, active sweeps over
   the non-zeros between full epochs).

Along a path (dense X), step 1's ``Xc^T R`` is updated from cached Gram rows of the features
that moved since the last gradient, ``g - Xc^T Xc[:, moved] dw``: an update reads at most a
quarter of what a pass over X reads, and rows missing from the cache are formed in batches (one
product over X each), so this pays at the top of a path, where a few features move per alpha
and each alpha needs its own certificate; the update's rounding error is bounded and the gap
accounts for it.  It pays only when a pass over X streams from memory: an X that fits in the
CPU's last-level cache is passed over faster than the rows replacing the pass are formed.

Small problems skip the machinery: a single kernel call over all features (its own gap checks and
screening) is both the fastest and the simplest thing for them.  The Gram layout always runs the
kernel over all features, since its gradient ``H`` is kept exact for every feature anyway.
"""
import functools
import glob
import warnings

import numpy as np
import scipy.sparse as sp
from scipy.linalg import blas
from sklearn.exceptions import ConvergenceWarning

from . import _cd_fast

#: Epochs between two gap checks inside a kernel call.
GAP_FREQ = 10
#: After each epoch over the whole working set, the X kernels run this many over its non-zero
#: coefficients only (once a call's first gap check has missed; each counts as an epoch for
#: ``max_iter``, ``n_iter_`` and the polishing schedule, although it costs less).
ACTIVE_SWEEPS = 2
#: Below this many features a single kernel call over all features is cheaper than working sets.
WS_MIN_FEATURES = 100
#: Smallest working-set size.
WS_START = 32
#: In a cold-started fit, a support of at least WS_FULL times its working set is still growing:
#: the next working set is WS_GROW_FAST times the support instead of twice it.
WS_FULL = 0.75
WS_GROW_FAST = 4
#: Largest support the Newton polishing step is tried on (it costs O(n k^2)).
POLISH_MAX_SUPPORT = 500
#: Fewest epochs a kernel call gets before the solver tries a polishing step (more when the
#: step costs more than that many epochs, see ``CDProblem._polish_interval``; doubled each
#: time a polishing step fails to move, so hopeless cases, e.g. float32 at tol=1e-8, stop
#: paying for it).
POLISH_EVERY = 20
#: Newton steps a polishing step is expected to take, and the fixed cost of one (its Python
#: and LAPACK call overhead) in multiply-adds: together they price a polishing step.
POLISH_STEPS_EXPECTED = 1
POLISH_OVERHEAD = 3e4
#: The same two for the Gram layout (no columns to copy, no local Gram to form; the steps
#: are compiled and so is the rule, ``_cd_fast._gram_polish_interval``, which gets them).
POLISH_EVERY_GRAM = 10
POLISH_OVERHEAD_GRAM = 3e3
#: Newton steps (each moving one feature into or out of the support) per polishing step, plus
#: one for each feature a support larger than n_samples has to lose (see _polish_steps).
MAX_POLISH_STEPS = 20
#: A polishing step on X forms the local Gram matrix of its candidates (the working set) when
#: n_samples * candidates^2 is below this, so features can enter as well as leave (a complete
#: active-set method); otherwise that of the support alone, from which features only leave.
POLISH_CHEAP_FLOPS = 4e6
#: Inner problems are solved to this fraction of the current full-problem gap (celer uses 0.3).
INNER_TOL_RATIO = 0.3
#: Once an outer gradient finds no feature outside the working set that the inner solve missed
#: (the full gap is within this factor of the inner problem's own), the working set holds the
#: solution's support: the next inner solve aims at the final tolerance directly.
WS_HOLDS = 1.1
#: A full gap this many times the inner problem's own means the working set missed much of the
#: support (a cold start's first guesses): the next one doubles, as when the gap stalls.
MISS_GROW = 1000.0
#: Along a path (``CDProblem.cache_gradients``), the outer gradient is updated from cached Gram
#: rows, ``Xc^T R = g_ref - Xc^T Xc[:, changed] dw``, instead of a full pass over X, when the
#: rows of every changed feature are cached.  Missing rows are formed by one product, at most
#: GRAD_CACHE_BATCH of them at a time (the best-ranked candidates fill the batch, so features
#: about to enter are there already); the cache holds at most n_samples / GRAD_CACHE_FRACTION
#: rows (an update then reads at most that fraction of what a full gradient reads) and at most
#: GRAD_CACHE_ENTRIES numbers.
GRAD_CACHE_BATCH = 8
GRAD_CACHE_FRACTION = 4
GRAD_CACHE_ENTRIES = 2**23
#: Without that cache, an outer gradient is bounded from the last full one instead
#: (``CDProblem._bounded_gradient``): ``|Xc_j^T R| <= |g_ref_j| + ||Xc_j|| ||R - R_ref||``,
#: and only the features whose bound reaches alpha (or that are non-zero) are computed, when
#: they are at most this share of all.
BOUND_MAX_SHARE = 0.25
#: The kernels count epochs in C ints.
INT32_MAX = 2**31 - 1


@functools.cache
def last_level_cache_bytes():
    """Size in bytes of the largest (last-level) cache of CPU 0, from Linux's sysfs; 0 where
    the system does not say."""
    sizes = [0]
    units = {"K": 1 << 10, "M": 1 << 20, "G": 1 << 30}
    for path in glob.glob("/sys/devices/system/cpu/cpu0/cache/index*/size"):
        try:
            with open(path) as fh:
                text = fh.read().strip()
        except OSError:
            continue
        digits, unit = (text[:-1], units[text[-1]]) if text[-1:] in units else (text, 1)
        if digits.isdigit():
            sizes.append(int(digits) * unit)
    return max(sizes)


#: Paths cache Gram rows only for a dense X of more bytes than this: one that fits in the
#: last-level cache is passed over (a full gradient) faster than the rows that would replace
#: the pass are formed (a batch costs 2 n p GRAD_CACHE_BATCH flops).  None: the size of that
#: cache (0, always cache, where it is unknown).  Measured in .notes/solver.md.
GRAD_CACHE_MIN_BYTES = None
#: A sparse column scaled by sqrt(sample_weight) whose centred norm is at most FLAT_ROUNDING *
#: eps times its mean's part, ``|x_offset_j| ||s||``, is constant up to rounding
#: (``constant_columns``): each scaled entry rounds by at most eps/2 of itself.
FLAT_ROUNDING = 1.0
#: Share of the gap target the rounding error of updated gradients may take.
ERR_SHARE = 0.05


def gram_matrix(A):
    """``A^T A`` (full, symmetric, C-ordered) by one ``syrk``, without copying a C- or
    F-ordered A; the triangle ``syrk`` leaves at zero is filled from the other."""
    syrk = blas.dsyrk if A.dtype == np.float64 else blas.ssyrk
    upper = syrk(1.0, A, trans=1) if A.flags.f_contiguous else syrk(1.0, A.T, trans=0)
    G = upper + upper.T
    np.fill_diagonal(G, np.diag(upper))
    return G


class CDProblem:
    """A centred design prepared once for coordinate descent, shared by targets and alphas.

    Parameters
    ----------
    design : fastreg._base.Design
        Output of ``preprocess``.
    gram : ndarray of shape (n_features, n_features), True or None
        Use the Gram (covariance) layout with this ``Xc^T Xc``, or with one computed here from
        X (``True``: after any explicit centring, so it is done once).
    """

    def __init__(self, design, gram=None):
        X = design.X
        self.dtype = X.dtype
        self.n_samples, self.n_features = X.shape
        self.x_offset = np.ascontiguousarray(design.x_offset, dtype=self.dtype)
        self.s = np.ascontiguousarray(design.s, dtype=self.dtype)
        self.unit_s = not design.has_sw  # s = 1
        self.sw_sum = float(design.sw_sum)
        self.centred = bool(self.x_offset.any())
        self.G = None
        if sp.issparse(X):
            X = sp.csc_matrix(X) if X.format != "csc" else X
            self.X = X
            self.layout = "sparse"
            self.csc = (
                np.ascontiguousarray(X.data, dtype=self.dtype),
                np.ascontiguousarray(X.indices, dtype=np.int32),
                np.ascontiguousarray(X.indptr, dtype=np.int32),
            )
        else:
            self.X = np.asfortranarray(X)
            self.layout = "dense"
        if design.norms2 is not None:
            self.norms2 = np.ascontiguousarray(design.norms2, dtype=self.dtype)
        else:
            self.norms2 = np.empty(self.n_features, dtype=self.dtype)
            if self.layout == "sparse":
                _cd_fast.col_norms2_sparse(*self.csc, self.x_offset, self.s, self.norms2)
            else:
                _cd_fast.col_norms2_dense(self.X, self.x_offset, self.s, self.norms2)
        if self.layout == "sparse" and self.centred:
            self.norms2[constant_columns(self.norms2, self.x_offset, self.s, design.has_sw)] = 0
            self._centre_dominant_columns()
        if not self.norms2.all():  # else ``flat`` stays None
            self.flat = np.flatnonzero(self.norms2 == 0)
        if self.layout == "dense" and self.centred and self._offsets_dominate(design.offset_ratio):
            # implicit centring loses log10(mean / spread) digits of the residual updates:
            # when means dwarf spreads, pay for one explicitly centred copy instead
            self.X = np.asfortranarray(self.X - np.outer(self.s, self.x_offset))
            self.x_offset = np.zeros_like(self.x_offset)
            self.centred = False
            self.recentred = True
        if gram is True:
            gram = self.gram()
        if gram is not None:
            self.G = np.ascontiguousarray(gram, dtype=self.dtype)
            self.layout = "gram"

    @classmethod
    def from_gram(cls, G, n_samples):
        """A Gram-layout problem without X (the caller passes ``q = Xc^T yc`` to ``solve``)."""
        self = cls.__new__(cls)
        self.G = np.ascontiguousarray(G)
        self.dtype = self.G.dtype
        self.n_samples, self.n_features = int(n_samples), self.G.shape[0]
        self.sw_sum = float(n_samples)
        self.norms2 = np.ascontiguousarray(np.diag(self.G))
        self.layout = "gram"
        self.X = self.x_offset = self.s = None
        self.centred = False
        return self

    def _centre_dominant_columns(self):
        """Sparse X: store the columns whose mean dwarfs their spread explicitly centred.

        The column-by-column counterpart of dense X's explicit centring (``_offsets_dominate``):
        implicit centring cancels ``x_offset_j (s . R)`` against ``X_j . R`` and loses the
        small spread (a column of 1e7 with one entry 1e7 + 4 in float32 fitted to zeros).
        Such a column is nearly full anyway (each stored zero adds its mean^2 to the
        spread): its rows become ``X_j - x_offset_j s``, computed in double, in a copy of X,
        and its offset 0."""
        dom = np.flatnonzero(self._dominated_columns())
        if not dom.size:
            return
        X, n = self.X, self.n_samples
        cols = (X[:, dom].toarray().astype(np.float64)
                - np.outer(self.s.astype(np.float64), self.x_offset[dom].astype(np.float64)))
        rest = X.copy()
        for j in dom:
            rest.data[rest.indptr[j]:rest.indptr[j + 1]] = 0
        rest.eliminate_zeros()
        centred = sp.csc_matrix((cols.astype(self.dtype).ravel(order="F"),
                                 (np.tile(np.arange(n), dom.size), np.repeat(dom, n))),
                                shape=X.shape)
        X = (rest + centred).tocsc()
        self.X = X
        self.recentred = True
        self.csc = (np.ascontiguousarray(X.data, dtype=self.dtype),
                    np.ascontiguousarray(X.indices, dtype=np.int32),
                    np.ascontiguousarray(X.indptr, dtype=np.int32))
        self.x_offset = self.x_offset.copy()
        self.x_offset[dom] = 0
        self.centred = bool(np.any(self.x_offset != 0))

    def _centring_limit(self):
        """The largest ``x_offset_j^2 (s . s) / norms2_j`` implicit centring can afford: the
        digits it cancels are those of the dtype beyond that."""
        return 1e4 if self.dtype == np.float32 else 1e10

    def _dominated_columns(self):
        """Mask of the columns whose mean is so large against their spread that implicit
        centring would cost more digits than the precision can spare (constant columns never
        move: their mean does not matter)."""
        s64 = self.s.astype(np.float64)
        shift = self.x_offset.astype(np.float64) ** 2 * float(s64 @ s64)
        return (self.norms2 > 0) & (shift > self._centring_limit() * self.norms2)

    def _offsets_dominate(self, ratio=None):
        """True when some column's mean dominates its spread (``_dominated_columns``).
        ``ratio``: the largest ``x_offset_j^2 (s . s) / norms2_j``, when ``col_stats_dense``
        computed it."""
        if ratio is not None:
            return ratio > self._centring_limit()
        return bool(self._dominated_columns().any())

    def trusted_q(self, q):
        """A caller's ``q = Xc^T yc`` (from the statistics pass), fit to use, or None (then it
        is computed here when needed).  After an explicit centring (``recentred``) it is None:
        the pass summed the uncentred columns, with rounding relative to their means, which
        dwarf the spreads there.  Its entries on ``flat`` columns (rounding, where ``Xc_j = 0``)
        are set to 0, as ``rmatvec`` does."""
        if q is None or self.recentred:
            return None
        if self.flat is not None and q[self.flat].any():
            q = q.copy()
            q[self.flat] = 0
        return q

    # -- linear algebra on the implicit centred design ---------------------------------------
    def matvec(self, w):
        """``Xc @ w`` (``flat`` columns, ``Xc_j = 0``, left out: their products are rounding)."""
        if self.flat is not None and w[self.flat].any():
            w = w.copy()
            w[self.flat] = 0
        out = self.X @ w
        if self.centred:
            out -= self.s * (self.x_offset @ w)
        return np.asarray(out, dtype=self.dtype).ravel()

    def rmatvec(self, R):
        """``Xc^T @ R`` (0 on ``flat`` columns)."""
        out = np.asarray(self.X.T @ R, dtype=self.dtype).ravel()
        if self.centred:
            out -= self.x_offset * (self.s @ R)
        if self.flat is not None:
            out[self.flat] = 0
        return out

    def gram_rows(self, idx):
        """``Xc[:, idx]^T Xc`` (C-ordered, one row per index) by one product over dense X."""
        cols = self.columns(idx)
        rows = cols.T @ self.X
        if self.centred:
            rows -= np.multiply.outer(self.s @ cols, self.x_offset)
        return rows

    def gram(self):
        """``Xc^T Xc`` (C-ordered, full), by ``syrk`` on X and a rank-one centring correction.

        Centring is exact enough here: CDProblem already centred X explicitly if its means
        dominate its spreads (see ``_offsets_dominate``).
        """
        if self.layout == "sparse":
            G = np.asarray((self.X.T @ self.X).toarray(), dtype=self.dtype)
        else:
            G = gram_matrix(self.X)
        if self.centred:
            G -= np.outer(self.x_offset, self.x_offset) * (self.s @ self.s)
        return np.ascontiguousarray(G, dtype=self.dtype)

    # -- the solver ---------------------------------------------------------------------------
    def solve(self, yc, w, alpha, beta, *, tol, max_iter, positive=False, random=False,
              seed=0, q=None, screen=True, g0=None, R=None):
        """Minimise (P) for target ``yc`` in place of ``w`` (warm start).

        ``q = Xc^T yc`` is optional (computed when needed).  ``g0 = Xc^T (yc - Xc w)``, the
        gradient at the warm start, may be passed to save a pass over X: a path on X passes
        the last gradient of the previous alpha (``self.last_gradient``; its rounding bound,
        when it was updated from Gram rows, is carried with it); likewise ``R = yc - Xc w``
        (``self.last_residual``, updated in place).
        ``tol`` is scikit-learn's relative tolerance: the fit stops when the duality gap of (P)
        is at most ``tol * ||yc||^2``.  ``max_iter`` bounds the number of kernel epochs (an
        active sweep over a working set's non-zeros counts as an epoch of that set).
        Returns ``(gap, n_iter)`` with the gap in the sum scale of (P).  (On the Gram layout
        this is a one-alpha ``gram_path``; paths call that directly.)
        """
        carried = g0 is not None and g0 is self.last_gradient
        g0_err = self._gradient_err if carried else 0.0
        g0_bounds = self._gradient_bounds if carried else None
        self.last_gradient = self.last_residual = None
        self._gradient_err = 0.0
        self._gradient_bounds = None
        if self.layout == "gram":
            if q is None:
                q = self.rmatvec(yc)
            _, gaps, n_iters = self.gram_path(yc, q, w, [alpha], [beta], tol=tol,
                                              max_iter=max_iter, positive=positive,
                                              random=random, seed=seed, screen=screen, H=g0,
                                              check_first=g0 is None and warm_start_checkable(
                                                  w, positive))
            return float(gaps[0]), int(n_iters[0])
        dtype = self.dtype.type
        y_norm2 = checked_norm2(yc)
        tol_abs = dtype(tol * y_norm2)
        alpha, beta = dtype(alpha), dtype(beta)
        max_iter = int(max_iter)
        if self.flat is not None and (alpha or beta) and R is None:
            w[self.flat] = 0  # their optimum (Xc_j = 0); a warm start may hold others
        started = bool(w.any())
        # a caller's warm start (not a path's previous alpha) is checked before any epoch,
        # unless it breaks positive=True (its gap would not say so)
        precheck = R is None and warm_start_checkable(w, positive)
        if R is None:
            R = yc - self.matvec(w) if started else yc.copy()
        self.last_residual = R
        if self.n_features <= WS_MIN_FEATURES or alpha == 0 or random:
            gap, n_iter = self._solve_all(R, w, alpha, beta, tol_abs, max_iter, positive,
                                          random, seed, screen, precheck)
        else:
            gap, n_iter = self._solve_working_sets(R, w, alpha, beta, tol_abs, max_iter,
                                                   positive, seed, screen,
                                                   g0 if g0 is not None else
                                                   (None if started else q), g0_err,
                                                   g0_bounds)
        if gap > tol_abs:
            warn_not_converged(gap, tol_abs, max_iter, self.n_samples)
        return gap, n_iter

    #: Indices of the columns with ``Xc_j = 0`` (norm 0; for sparse X also those constant up
    #: to rounding, see ``constant_columns``), or None.
    flat = None
    #: Whether columns whose means dwarf their spreads were centred explicitly in a copy of X
    #: (then a ``q`` computed from the original X is not accurate enough: ``trusted_q``).
    recentred = False
    #: ``Xc^T R`` at the end of the last working-set or Gram solve (None after other solves).
    last_gradient = None
    #: A bound on the rounding error of ``last_gradient`` when it was updated from Gram rows.
    _gradient_err = 0.0
    #: Per-feature bounds on the error of ``last_gradient`` (0 where exact) when it came from
    #: ``_bounded_gradient``, else None.
    _gradient_bounds = None
    #: ``(g_ref, R_ref, ||R_ref||)``: the last full gradient ``Xc^T R_ref`` of a pass over X,
    #: a copy of its residual and that residual's norm, the reference of ``_bounded_gradient``
    #: (from any target's residual: the bounds depend on X alone).
    _grad_ref = None
    #: ``sqrt(norms2)`` in double, for those bounds (computed at their first use).
    _col_norms = None
    #: Update outer gradients from cached Gram rows (paths set it: their alphas reuse the rows).
    cache_gradients = False
    #: The cached Gram rows (allocated by ``_start_row_cache`` at the first update).
    _rows = None
    #: The residual ``yc - Xc w`` of the last dense/sparse solve (None after a Gram solve).
    last_residual = None

    def columns(self, idx):
        """Dense ``Xc[:, idx]`` (a small copy, for the support of the solution)."""
        cols = self.X[:, idx]
        cols = cols.toarray(order="F") if sp.issparse(cols) else np.asfortranarray(cols)
        if self.centred and self.unit_s:
            cols -= self.x_offset[idx]
        elif self.centred:  # the outer product built transposed, so both operands are F-ordered
            cols -= np.multiply.outer(self.x_offset[idx], self.s).T
        return cols

    def polish(self, w, R, alpha, beta, positive, candidates=None):
        """Active-set Newton steps (feature-sign search) from the current iterate.

        Coordinate descent finds the support quickly but crawls on ill-conditioned designs
        (raw polynomial features).  On the orthant of the current signs the objective is a
        quadratic, minimised by one Newton step; along that step the true objective is convex
        and piecewise quadratic, with a break wherever a coefficient crosses zero, and each step
        moves to the best of the breakpoints and the full step, so the objective strictly
        decreases; a feature crossing zero leaves the support, and after a full step (the
        support's optimum) the most violating candidate enters.

        The steps are the compiled ones of the Gram layout (``_cd_fast.polish_gram``), run on
        the local Gram matrix of the candidates (``candidates``, the working set, or all
        features; only the support when that Gram would cost more than POLISH_CHEAP_FLOPS),
        formed in double by one ``syrk`` on their columns.  The result is accepted only if
        the objective, recomputed from the exact residual ``R - A delta``, decreased (the
        Gram matrix squares the conditioning, so the model's own check is not enough).  ``w``
        and ``R`` are updated in place; returns True if the iterate moved.
        """
        support = np.flatnonzero(w)
        k = support.size
        if k == 0 or k > POLISH_MAX_SUPPORT:
            return False
        n_cand = self.n_features if candidates is None else candidates.size
        if not self._local_gram_affordable(n_cand):
            cand = support
        elif candidates is None:
            cand = np.arange(self.n_features)
        else:  # the support is in the working set, but make sure (sorted, as np.union1d)
            mask = np.zeros(self.n_features, dtype=bool)
            mask[candidates] = True
            mask[support] = True
            cand = np.flatnonzero(mask)
        if self.flat is not None:  # Xc_j = 0 (their stored columns may hold rounding)
            cand = np.setdiff1d(cand, self.flat, assume_unique=True)
        A = self.columns(cand).astype(np.float64, order="F", copy=False)
        G = gram_matrix(A)
        r = R.astype(np.float64)
        w_old = w[cand].astype(np.float64)
        w_new = w_old.copy()
        if not _cd_fast.polish_gram(w_new, A.T @ r, G, float(alpha), float(beta),
                                    bool(positive), POLISH_MAX_SUPPORT,
                                    self._polish_steps(k)):
            return False
        w_new = w_new.astype(self.dtype).astype(np.float64)  # what ``w`` will hold
        R_new = r - A @ (w_new - w_old)
        f_old = 0.5 * float(r @ r + beta * (w_old @ w_old)) + alpha * float(np.abs(w_old).sum())
        f_new = (0.5 * float(R_new @ R_new + beta * (w_new @ w_new))
                 + alpha * float(np.abs(w_new).sum()))
        if not f_new < f_old:  # rounding beat the predicted decrease: keep what we have
            return False
        w[cand] = w_new
        R[:] = R_new
        return True

    def _polish_steps(self, k):
        """Newton steps a polishing step may take from a support of size ``k``: a support
        larger than n_samples (rank-deficient designs, where coordinate descent spreads the
        weight over more features than samples) must lose at least ``k - n_samples`` of
        them, one per step, on top of the usual allowance (beyond ``_shed_from()`` features;
        the compiled Gram path applies the same rule)."""
        return MAX_POLISH_STEPS + max(0, k - self._shed_from())

    def _shed_from(self):
        """The support size beyond which polishing steps get one Newton step per extra
        feature: n_samples, the largest support a solution generally has."""
        return self.n_samples

    def _local_gram_affordable(self, n_candidates):
        """Whether a polishing step forms the local Gram matrix of all its candidates (else of
        the support alone): it costs n_samples * n_candidates^2, at most POLISH_CHEAP_FLOPS."""
        return self.n_samples * n_candidates**2 <= POLISH_CHEAP_FLOPS

    def _kernel(self, w, R, ws, alpha, beta, tol, max_epochs, positive, random, seed, screen):
        tail = dict(norms2=self.norms2, ws=ws, alpha=alpha, beta=beta, tol=tol,
                    max_epochs=max_epochs, gap_freq=GAP_FREQ, positive=positive,
                    random=random, seed=seed, screen=screen, active_sweeps=ACTIVE_SWEEPS)
        if self.layout == "sparse":
            data, indices, indptr = self.csc
            return _cd_fast.enet_cd_sparse(w=w, R=R, X_data=data, X_indices=indices,
                                           X_indptr=indptr, x_offset=self.x_offset, s=self.s,
                                           **tail)
        return _cd_fast.enet_cd_dense(w=w, R=R, X=self.X, x_offset=self.x_offset, s=self.s,
                                      **tail)

    def _polish_interval(self, n_ws, k, backoff, max_iter):
        """Kernel epochs (over ``n_ws`` features) to run before a polishing step (support of
        size ``k``) on X: at least POLISH_EVERY, and enough that coordinate descent has done
        as much work as the polishing step will (counted in multiply-adds, plus a fixed
        overhead for its Python and LAPACK calls), so a problem where coordinate descent is
        cheap, e.g. a tiny one, does not pay for polishing it does not need.  ``backoff``
        multiplies it after polishing steps that failed to move.  (The Gram layout's
        counterpart is compiled: ``_cd_fast._gram_polish_interval``.)
        """
        m = n_ws if self._local_gram_affordable(n_ws) else k
        epoch, step = self.n_samples * n_ws, self.n_samples * m * m / 2 + k**3 / 3
        steps = POLISH_STEPS_EXPECTED * (step + POLISH_OVERHEAD)
        every = max(POLISH_EVERY, int(np.ceil(steps / max(epoch, 1))))
        # however cheap the epochs (a few features), polishing gets its chance before
        # max_iter runs out: at the latest once half of it is spent
        return backoff * min(every, max(POLISH_EVERY, max_iter // 2))

    def _solve_all(self, R, w, alpha, beta, tol_abs, max_iter, positive, random, seed, screen,
                   precheck=False):
        """Kernel epochs over all features, with polishing steps in between (a warm start
        checked first with ``precheck``)."""
        ws = np.arange(self.n_features, dtype=np.int32)
        return self._epochs_and_polish(
            w, len(ws), tol_abs, max_iter,
            lambda epochs: self._kernel(w, R, ws, alpha, beta, tol_abs, epochs, positive,
                                        random, seed, screen),
            lambda: self.polish(w, R, alpha, beta, positive), precheck)

    def gram_path(self, yc, q, w, alphas, betas, *, tol, max_iter, positive=False,
                  random=False, seed=0, screen=True, H=None, check_first=False):
        """Minimise (P) on the Gram layout for each ``(alphas[i], betas[i])`` (sum scale) in
        turn, warm-started from ``w`` and then from each solution, in one compiled call
        (``_cd_fast.gram_path``: per alpha, kernel epochs over all features, since the
        gradient ``H = q - G w`` is kept exact for every feature anyway, alternating with
        polishing steps as ``_epochs_and_polish`` does).  ``H`` at the warm start may be
        passed (a path passes the previous alpha's, ``self.last_gradient``): the kernel
        recomputes it from ``q`` and ``G`` at every gap check, so a solve ends with it exact.
        ``tol`` and ``max_iter`` as for ``solve``; a ConvergenceWarning for each alpha that
        misses the target.  ``check_first``: keep a warm start that meets the first alpha's
        target already (0 epochs), as scikit-learn does.  Returns ``(coefs (p, n_alphas),
        gaps (sum scale), n_iters)``; ``w`` holds the last solution."""
        dtype = self.dtype
        y_norm2 = checked_norm2(yc)
        tol_abs = dtype.type(tol * y_norm2)
        if H is None:
            H = q - self.G @ w
        self.last_gradient = H
        n_alphas = len(alphas)
        coefs = np.empty((self.n_features, n_alphas), dtype=dtype)
        gaps = np.empty(n_alphas)
        n_iters = np.empty(n_alphas, dtype=np.int32)
        # max_iter may be any non-negative int (scikit-learn's rule); no fit runs 2^31 epochs
        _cd_fast.gram_path(w, H, self.G, q, dtype.type(y_norm2),
                           np.ascontiguousarray(alphas, dtype=dtype),
                           np.ascontiguousarray(betas, dtype=dtype), tol_abs,
                           min(int(max_iter), INT32_MAX), bool(positive), bool(random),
                           seed, bool(screen), self._shed_from(), coefs, gaps, n_iters,
                           GAP_FREQ, POLISH_EVERY_GRAM, POLISH_STEPS_EXPECTED,
                           POLISH_OVERHEAD_GRAM, POLISH_MAX_SUPPORT, MAX_POLISH_STEPS,
                           check_first=bool(check_first))
        for gap in gaps[gaps > tol_abs]:
            warn_not_converged(gap, tol_abs, max_iter, self.n_samples)
        return coefs, gaps, n_iters

    def _epochs_and_polish(self, w, n_ws, tol_abs, max_iter, kernel, polish, precheck=False):
        """Alternate ``kernel(max_epochs) -> (gap, n_epochs, n_active)`` calls with
        ``polish() -> moved`` until the gap target or ``max_iter`` epochs; returns
        ``(gap, n_iter)``.  A kernel call with zero epochs just computes the gap: with
        ``precheck`` (a caller's warm start) it comes first, and a warm start that meets the
        target already is kept as it is (0 epochs, as in scikit-learn).  (A cold start at
        alpha >= alpha_max still runs one epoch here: testing q first would cost every small
        fit a few microseconds.)"""
        if precheck:
            gap = kernel(0)[0]
            if gap <= tol_abs:
                return gap, 0
        n_iter, backoff = 0, 1
        while True:
            budget = min(self._polish_interval(n_ws, np.count_nonzero(w), backoff, max_iter),
                         max_iter - n_iter, INT32_MAX)
            gap, n_ep, _ = kernel(budget)
            n_iter += max(n_ep, 1)
            if gap <= tol_abs or n_iter >= max_iter:
                return gap, n_iter
            if not polish():
                backoff *= 2
                continue
            gap = kernel(0)[0]
            if gap <= tol_abs:
                return gap, n_iter

    def rows_pay(self):
        """Whether updating gradients from cached Gram rows can beat passes over X: dense X
        larger than the last-level cache (GRAD_CACHE_MIN_BYTES)."""
        limit = GRAD_CACHE_MIN_BYTES
        if limit is None:
            limit = last_level_cache_bytes()
        return self.layout == "dense" and self.X.nbytes > limit

    def _start_row_cache(self):
        """Allocate the Gram-row cache (at most ``_cap`` rows, ``_slot[j]`` the row of feature
        j or -1) and the constants of its rounding bound."""
        p = self.n_features
        self._cap = min(self.n_samples // GRAD_CACHE_FRACTION, p, GRAD_CACHE_ENTRIES // p)
        self._slot = np.full(p, -1, dtype=np.intp)
        self._rows = np.empty((self._cap, p), dtype=self.dtype)
        self._n_rows = 0
        # rounding of a row's entries (its product over X, and the centring term's), of dw and
        # of the update's product, per unit of |dw_k|: at most (2 n + cap + 1) u |x_j| |x_k|
        # <= eps (n + cap) |x_j| |x_k| (uncentred norms, for implicit centring); the final
        # subtraction adds u |g_j| <= eps max|g| / 2.  ``_round`` is that bound per unit of
        # sum_k |x_k| |dw_k|, taken at the largest |x_j|
        self._raw_norms = np.sqrt(self.norms2.astype(np.float64)
                                  + self.x_offset.astype(np.float64)**2 * float(self.s @ self.s))
        self._eps = float(np.finfo(self.dtype).eps)
        self._round = self._eps * (self.n_samples + self._cap) * float(self._raw_norms.max())

    def _updated_gradient(self, g_ref, w_ref, w, prio, budget):
        """``Xc^T R`` at ``w`` from ``g_ref``, its value at ``w_ref``, by cached Gram rows, and
        a bound on the rounding error the update adds to each entry; ``(None, 0)`` when a full
        gradient is cheaper or that bound would exceed ``budget``.  Missing rows are formed in
        one batch, filled with the features ranked first by ``prio`` (those about to enter)."""
        changed = np.flatnonzero(w != w_ref)
        if changed.size == 0:
            return g_ref, 0.0
        if self.layout != "dense" or changed.size * GRAD_CACHE_FRACTION > self.n_samples:
            return None, 0.0
        if self._rows is None:
            self._start_row_cache()
        dw = w[changed] - w_ref[changed]
        err = self._round * float(self._raw_norms[changed] @ np.abs(dw))
        if err > budget:
            return None, 0.0
        slots = self._slot[changed]
        new = changed[slots < 0]
        if new.size:
            m = self._n_rows
            batch = min(GRAD_CACHE_BATCH, self._cap - m)
            if new.size > batch:
                return None, 0.0
            # the support, then the candidates closest to entering, fill the batch
            rank = np.where(self._slot < 0, prio, np.inf)
            rank[new] = np.inf
            fill = np.argpartition(rank, batch - new.size)[:batch - new.size]
            add = np.concatenate([new, fill[rank[fill] < np.inf]])
            self._rows[m:m + add.size] = self.gram_rows(add)
            self._slot[add] = np.arange(m, m + add.size)
            self._n_rows = m = m + add.size
            slots = self._slot[changed]
        else:
            m = self._n_rows
        dm = np.zeros(m, dtype=self.dtype)
        dm[slots] = dw
        g = g_ref - dm @ self._rows[:m]
        return g, err + self._eps * float(np.max(np.abs(g)))

    def _bounded_gradient(self, R, w, alpha, prev=None):
        """``Xc^T R`` exact where it can matter, bounded elsewhere: ``(g, bounds, share)``.

        From the reference ``g_ref = Xc^T R_ref`` (``_grad_ref``: the last full gradient, a copy
        of its residual and that residual's norm),
        ``|Xc_j^T R| <= |g_ref_j| + ||Xc_j|| ||R - R_ref||`` (plus the rounding of the product
        that made g_ref).  Every feature whose bound exceeds ``alpha``, and every non-zero
        one, is computed exactly (``rmatvec_cols``); the others keep ``g_ref_j`` with their
        bound in ``bounds`` (0 where exact).  No feature left bounded can then reach the dual
        norm ``max(alpha, max_j |xta_j|)``, and ``w_j = 0`` on all of them: the duality gap
        from this g is exactly the one from the full gradient.  ``prev = (g, bounds)`` at the
        same residual (a path's last gradient, for a smaller alpha) is completed instead.
        ``share`` is the work done, as a fraction of a full gradient; ``(None, None, 1.0)``
        when more than BOUND_MAX_SHARE of the features would have to be computed.
        """
        if prev is not None:
            g, e = prev[0].copy(), prev[1].copy()
        elif self._grad_ref is None:
            return None, None, 1.0
        else:
            g_ref, R_ref, ref_norm = self._grad_ref
            d = R - R_ref
            u = float(np.finfo(self.dtype).eps) * np.sqrt(self.n_samples)
            # the reference's own rounding: a few units of u sqrt(n) ||Xc_j|| ||R_ref||
            slack = 4.0 * u * (ref_norm + np.sqrt(float(R @ R)))
            if self._col_norms is None:
                self._col_norms = np.sqrt(self.norms2.astype(np.float64))
            e = self._col_norms * (np.sqrt(float(d @ d)) * (1 + u) + slack)
            g = g_ref.copy()
        idx = np.empty(self.n_features, dtype=np.int32)
        k = _cd_fast.bounded_need(g, e, w, float(alpha), idx)
        if k > BOUND_MAX_SHARE * self.n_features:
            return None, None, 1.0
        if k:
            idx = idx[:k]
            g[idx] = self.rmatvec_cols(R, idx)
            e[idx] = 0
        return g, e, k / self.n_features

    def rmatvec_cols(self, R, idx):
        """``(Xc^T R)[idx]`` in double (one dot per listed column; ``idx`` int32)."""
        out = np.empty(idx.size)
        if self.layout == "sparse":
            _cd_fast.cols_dot_sparse(*self.csc, idx, R, out)
        else:
            _cd_fast.cols_dot_dense(self.X, idx, R, out)
        if self.centred:
            out -= self.x_offset[idx] * float(self.s @ R)
        return out

    def _zero(self, w, R, mask):
        """Set the coefficients ``w[mask]`` to 0, and the residual ``R`` to match, in place."""
        if mask.any():
            R += self.matvec(np.where(mask, w, 0))
            w[mask] = 0

    def _solve_working_sets(self, R, w, alpha, beta, tol_abs, max_iter, positive, seed, screen,
                            g0=None, g0_err=0.0, g0_bounds=None):
        """The outer loop: full gap, screening, working set, kernel epochs on it.

        Work is counted in full-epoch equivalents (an epoch on k of p features counts k / p,
        each full gradient counts 1), so ``max_iter`` buys as much work as in scikit-learn.
        ``g0``, when given, is the first gradient ``Xc^T R`` (computed with the column norms;
        or updated by a path, with error bound ``g0_err``, or bounded entry by entry,
        ``g0_bounds``).  With ``cache_gradients`` the later ones are updated from cached Gram
        rows when that is cheaper than a pass over X (``_updated_gradient``); their rounding
        error is bounded and the gap accounts for it.  Otherwise they are bounded from the last
        full one where that suffices (``_bounded_gradient``): the gap is then exactly the full
        one, and screening uses the bounds.
        """
        p = self.n_features
        self.last_gradient = None
        norms_beta = np.sqrt(self.norms2 + beta)
        # all-zero (or constant, once centred) columns never move; a warm start's weight on
        # one is set to its optimum, 0 (the working sets never visit them)
        flat = self.norms2 == 0
        self._zero(w, R, flat & (w != 0))
        screened = flat.view(np.uint8)
        prio = np.empty(p)
        ws_size = WS_START
        prev_gap = np.inf
        work = 0.0
        backoff = 1
        best_dual, best_corr = -np.inf, None
        inner_gap = None  # no inner solve yet
        # warm starts (paths, CV) begin near their support, where fast growth overshoots
        fast = WS_GROW_FAST if not w.any() else 2
        g_ref = w_ref = None
        err = g0_err
        bounds = None  # per-feature error bounds of g (0 where exact), None: g is exact
        bounded = not self.cache_gradients
        epochs_run = False
        while True:
            g = g0
            share = 1.0  # of a full gradient's work
            if g is not None and g0_bounds is not None:  # a path's bounded gradient: this alpha's
                g, bounds, share = self._bounded_gradient(R, w, alpha, prev=(g, g0_bounds))
            elif g is None and bounded:
                g, bounds, share = self._bounded_gradient(R, w, alpha)
            g0_bounds = None
            if g is None and g_ref is not None:
                # an error err in g moves the gap by about 2 err ||w||_1: keep that small (at
                # w = 0 it moves it only through the dual scaling, checked below)
                l1 = float(np.abs(w).sum())
                budget = ERR_SHARE * float(tol_abs) / (2.0 * l1) - err if l1 else np.inf
                g, extra = self._updated_gradient(g_ref, w_ref, w, prio, budget)
                err += extra
            if g is None:
                g, err, bounds, share = self.rmatvec(R), 0.0, None, 1.0
                if bounded:  # a pass of our own over X: the new reference (a caller's q is
                    # not one: the statistics pass rounds relative to the means)
                    self._grad_ref = (g, R.copy(), np.sqrt(float(R @ R)))
            g0 = None
            work += share
            # own_gap, the current residual's gap without the rounding bound of an updated
            # gradient, measures the inner solves' progress
            gap, primal, scale, own_gap = duality_gap(R, w, g, alpha, beta, positive, err)
            if gap > tol_abs >= own_gap and primal - best_dual > tol_abs:
                # the rounding bound alone stands between this gradient and convergence (and
                # no earlier dual point certifies it)
                g, err = self.rmatvec(R), 0.0
                gap, primal, scale, own_gap = duality_gap(R, w, g, alpha, beta, positive)
            if self.cache_gradients:
                g_ref, w_ref = g, w.copy()
            corr = np.empty(p)
            _cd_fast.scaled_corr(w, g, beta, positive, err, scale / float(alpha), corr)
            # the correlations rank the candidates; the best dual point met so far (its value
            # does not depend on w) certifies the gap and centres the screening sphere
            if primal - gap >= best_dual:  # screening needs bounds where g is not exact
                best_dual = primal - gap
                best_corr = corr if bounds is None else corr + bounds * (scale / float(alpha))
            gap = primal - best_dual
            # max_iter stops only after some epoch ran: the first gradient alone would spend
            # max_iter=1 (scikit-learn runs one epoch), leaving the start untouched
            if gap <= tol_abs or work >= max_iter and (epochs_run or max_iter == 0):
                self.last_gradient = g  # w and R are final: g is their gradient
                self._gradient_err = err
                self._gradient_bounds = bounds
                break
            # gap-safe test (each is safe alone, so their union is safe too), then the
            # priority: distance of each feature's dual constraint to activity, in units of
            # its norm; the support always stays in
            radius = np.sqrt(2.0 * max(gap, 0.0)) / alpha
            n_drop, n_candidates, nnz = _cd_fast.screen_and_rank(
                best_corr, corr, norms_beta, radius, screen, screened, w, prio)
            if n_drop:  # a non-zero feature proved zero: drop it exactly
                self._zero(w, R, (screened != 0) & (w != 0))
            if n_candidates == 0:  # every feature is proved zero (and now is): the next
                continue           # gradient, at w = 0, certifies it
            # the full gap against the one the last inner solve ended on (same iterate): equal,
            # the working set missed nothing; far above, it missed much of the support
            holds = inner_gap is not None and own_gap <= WS_HOLDS * inner_gap
            missed = inner_gap is not None and own_gap > MISS_GROW * inner_gap
            # twice the support (celer's pruning rule), doubled only while the outer gap
            # stalls or the last working set missed much, so it tracks the support instead of
            # growing blindly
            grow = 2 * ws_size if own_gap > INNER_TOL_RATIO * prev_gap or missed else WS_START
            factor = fast if nnz >= WS_FULL * ws_size else 2
            ws_size = min(max(factor * nnz, grow), n_candidates)
            prev_gap = own_gap
            if ws_size < n_candidates:
                ws = np.argpartition(prio, ws_size - 1)[:ws_size].astype(np.int32)
            else:
                ws = np.flatnonzero(screened == 0).astype(np.int32)
            every = self._polish_interval(len(ws), nnz, backoff, max_iter)
            budget = int(min(every, np.ceil((max_iter - work) * p / len(ws)), INT32_MAX))
            inner_tol = tol_abs if holds else max(INNER_TOL_RATIO * gap, tol_abs)
            inner_gap, n_ep, _ = self._kernel(w, R, ws, alpha, beta, inner_tol,
                                              max(budget, 1), positive, False, seed, screen)
            work += n_ep * len(ws) / p
            epochs_run = True
            if n_ep >= every:  # slow progress: the inner problem is ill-conditioned
                if not self.polish(w, R, alpha, beta, positive, candidates=ws):
                    backoff *= 2
        # no epoch at all: the start met the target (alpha >= alpha_max, or an optimal warm
        # start; or max_iter=0): 0 iterations, as scikit-learn counts them
        return gap, min(int(np.ceil(work)), max_iter) if epochs_run else 0


def warm_start_checkable(w, positive):
    """Whether a caller's warm start ``w`` may be kept on its duality gap alone, before any
    epoch: it is non-zero, and non-negative under ``positive`` (the gap does not see signs)."""
    return bool(w.any()) and not (positive and bool((w < 0).any()))


def checked_norm2(yc):
    """``||yc||^2`` in double, or a ValueError naming non-finite targets (only reachable past
    ``assume_finite=True``, or with values too large to square)."""
    y_norm2 = float(yc @ yc)
    if not np.isfinite(y_norm2):
        raise ValueError("y contains NaN or infinity, or values too large to square in its "
                         "dtype (||y||^2 is not finite).")
    return y_norm2


def constant_columns(norms2, x_offset, s, weighted):
    """Mask of the columns of a sparse, implicitly centred X that are constant: centred norm
    0, or, when the rows were scaled by sqrt(sample_weight) in X's dtype (``weighted``), a
    centred norm within that scaling's rounding, (FLAT_ROUNDING eps)^2 x_offset^2 ||s||^2.

    Sparse X cannot be centred explicitly, and such a column (a constant 5e9 in float32, rows
    scaled by s) keeps a norm and a gradient of pure rounding that wreck the implicit
    centring's residual updates (a NaN gap, all-zero coefficients): it is constant, its
    centred column is 0.  Unscaled stored values are exact, and their centred norm is
    computed in double, so only an exact 0 marks those."""
    flat = norms2 == 0
    if weighted:
        eps = float(np.finfo(norms2.dtype).eps)
        S2 = float(np.asarray(s, dtype=np.float64) @ s)
        flat |= norms2 <= (FLAT_ROUNDING * eps) ** 2 * x_offset.astype(np.float64) ** 2 * S2
    return flat


def duality_gap(R, w, g, alpha, beta, positive, err=0.0):
    """Duality gap of (P), alpha > 0, at ``w`` with residual ``R`` and ``g = Xc^T R``.

    Returns ``(gap, primal, scale, own_gap)``: the objective (P) at ``w`` too, and ``scale``,
    the factor making ``scale * R`` a feasible dual point.  ``g`` may be off by up to ``err``
    in every entry (an updated gradient): the dual point is then scaled for the worst case and
    its value bounded from below, so ``gap`` still bounds the true one.  ``own_gap`` is the gap
    the same numbers give with ``err = 0`` (the residual's own, which measures progress).
    """
    alpha, beta, r2 = float(alpha), float(beta), float(R @ R)
    wg, l1, l2, dual_norm = _cd_fast.gap_terms(w, g, beta, bool(positive))
    primal = 0.5 * (r2 + beta * l2) + alpha * l1

    def gap_and_scale(e):  # the dual point scaled for a gradient error e, its gap
        norm = dual_norm + e
        scale = min(1.0, alpha / norm) if norm > 0 else 1.0
        return primal + 0.5 * scale**2 * (r2 + beta * l2) - scale * (r2 + wg - e * l1), scale

    gap, scale = gap_and_scale(err)
    own_gap = gap_and_scale(0.0)[0] if err else gap
    return gap, primal, scale, own_gap


def warn_not_converged(gap, tol_abs, max_iter, n_samples):
    """The ConvergenceWarning every CD fit raises when the gap target was not met (called by
    ``CDProblem.solve`` or ``CDProblem.gram_path``: it points at the caller of ``solve_path``)."""
    warnings.warn(
        "Coordinate descent did not converge: after max_iter="
        f"{max_iter} epochs the duality gap is {gap / n_samples:.3e}, above the target "
        f"tol * ||y||^2 / n_samples = {tol_abs / n_samples:.3e}. Increase max_iter, "
        "standardise the features (StandardScaler in a Pipeline), increase alpha, "
        "or loosen tol.",
        ConvergenceWarning,
        stacklevel=4,
    )


def solve_ridge_positive(design, alphas, *, tol, max_iter):
    """Non-negative Ridge, ``||y - Xw - b||^2 + alpha ||w||^2`` with ``w >= 0``, per target.

    The same coordinate-descent kernel with the L2 term alone: halving the objective gives (P)
    with no L1 term and ``beta = alpha`` (no rescaling by n: Ridge's objective is a sum).
    ``alphas`` has one value per target.  Returns ``coef`` of shape (n_targets, n_features) and
    the number of epochs per target.
    """
    problem = CDProblem(design)
    Y = design.yc if design.yc.ndim == 2 else design.yc[:, None]
    coef = np.zeros((Y.shape[1], problem.n_features), dtype=problem.dtype)
    n_iters = []
    for k in range(Y.shape[1]):
        _, n_iter = problem.solve(np.ascontiguousarray(Y[:, k]), coef[k], 0.0, float(alphas[k]),
                                  tol=tol, max_iter=max_iter, positive=True)
        n_iters.append(n_iter)
    return coef, np.asarray(n_iters, dtype=np.int32)
