"""Coordinate-descent kernels for the elastic net: one entry point per data layout.

Every kernel minimises, over the features of an index set ``ws`` (all other coefficients are held
fixed), the elastic-net objective in SUM scale

    P(w) = 1/2 ||R||^2 + alpha ||w||_1 + beta/2 ||w||^2,        R = yc - Xc w,

with ``positive=True`` adding w >= 0.  The estimators convert from scikit-learn's scaling at one
call site (``alpha = n alpha_sk l1_ratio``, ``beta = n alpha_sk (1 - l1_ratio)``,
``tol = tol_sk ||yc||^2``).

Centred design without a copy.  ``Xc_j = X_j - x_offset[j] s`` where ``s = sqrt(sample_weight)``
(or ones) and the rows of X are already multiplied by s.  ``x_offset`` must be all zeros or the
weighted column means, so that ``X_j . s = x_offset[j] S2`` with ``S2 = s . s``.  The dense and
sparse kernels then keep the residual as ``R = Rb + c s`` (``Rb`` stored, scalar ``c``) and
``sRb = s . Rb``, so that ``Xc_j . R = X_j . Rb - x_offset[j] sRb`` and an update of ``w_j``
touches only column j of X.  ``c`` is folded back into R before every duality-gap check and
before returning: R on exit is the true residual.

Entry points (fused float32/float64; the whole solve runs without the GIL):

* ``enet_cd_dense``  -- X Fortran-ordered ndarray;
* ``enet_cd_sparse`` -- X in CSC arrays (int32 indices), never densified;
* ``enet_cd_gram``   -- precomputed ``G = Xc^T Xc``, ``q = Xc^T yc``, keeps ``H = q - G w``;
* ``col_norms2_dense`` / ``col_norms2_sparse`` -- ``||Xc_j||^2`` without cancellation.

The dense and sparse kernels follow each full epoch with active sweeps over the non-zero
coefficients (``active_sweeps``) once a call's first gap check has missed its target; Anderson
acceleration (all three) starts there too.

Each returns ``(gap, n_epochs, n_active)``: the duality gap of the subproblem on ``ws`` (see
``_prox.pxd`` for the formulas), the number of epochs run, and how many features of ``ws`` were
not screened out (``ws`` is reordered in place so that they come first).  Arguments are checked
once, cheaply, in Python; the loops trust them.
"""
import numpy as np

from cpython.exc cimport PyErr_CheckSignals
from cython cimport floating
from libc.float cimport DBL_EPSILON, FLT_EPSILON
from libc.math cimport ceil, fabs, sqrt, INFINITY
from libc.stdint cimport int32_t, uint8_t, uint32_t, uint64_t

from fastreg._blas cimport _axpy, _copy, _dot, _nrm2, _potrf, _potrs, _syrk
from fastreg._prox cimport dual_scale, enet_coordinate, gap_l1, gap_ridge, provably_zero

cdef extern from "_colsums.h" nogil:
    void fr_colsums_double(int n, int p, const double* X, const double* s, const double* y,
                           double* xs, double* xx, double* xy)
    void fr_colsums_float(int n, int p, const float* X, const float* s, const float* y,
                          double* xs, double* xx, double* xy)
    int fr_colsums_avx2(int request)

cdef extern from *:
    """
    #ifndef FASTREG_DEBUG
    #define FASTREG_DEBUG 0
    #endif
    """
    int FASTREG_DEBUG

# A gap check also runs after any epoch whose largest coefficient move is below this fraction of
# the largest coefficient (besides every `gap_freq` epochs and after the last one).
cdef double D_W_REL = 1e-4


# ------------------------------------------------------------------------------------------------
# Random coordinate order: a private xorshift32 stream per call, seeded from `seed`.

cdef inline uint32_t _rng_init(uint32_t seed) noexcept nogil:
    cdef uint32_t mult = 2654435761u  # odd, so the map seed -> state is a bijection
    cdef uint32_t state = seed * mult + 0x6D2B79F5u
    return state if state != 0 else 0x6D2B79F5u  # xorshift's state must be non-zero


cdef inline uint32_t _xorshift32(uint32_t* state) noexcept nogil:
    cdef uint32_t x = state[0]
    x ^= x << 13
    x ^= x >> 17
    x ^= x << 5
    state[0] = x
    return x


cdef inline void _shuffle(int32_t* a, int m, uint32_t* state) noexcept nogil:
    """Fisher-Yates shuffle of a[:m] (multiply-shift bounded draws)."""
    cdef int i, r
    cdef int32_t tmp
    for i in range(m - 1, 0, -1):
        r = <int>((<uint64_t>_xorshift32(state) * <uint64_t>(i + 1)) >> 32)
        tmp = a[i]
        a[i] = a[r]
        a[r] = tmp


# ------------------------------------------------------------------------------------------------
# Shared by the three layouts: duality gap on the active part of ws, and the Gap Safe screening.

cdef double _ws_gap(const floating* w, const int32_t* ws, int n_active, floating* g, double R2,
                    double alpha, double beta, bint positive,
                    double* scale, double* slack) noexcept nogil:
    """Duality gap of the subproblem restricted to ws[:n_active] (the rest of w held fixed).

    g[i] = Xc_j . R for j = ws[i] on entry; for alpha > 0 it holds XtA_j = g[i] - beta w_j on exit.
    R . y_sub = R2 + sum w_j g_j, with y_sub = yc - X_out w_out the subproblem's target.
    On exit `scale` is the dual rescaling (1 unless alpha > 0) and `slack` an allowance for the
    rounding error of the gap (a few eps times its terms), which the screening adds to the gap so
    that a gap computed as tiny or negative never shrinks the safe sphere to nothing.
    """
    cdef double eps = DBL_EPSILON if floating is double else FLT_EPSILON
    cdef double L1 = 0, L2 = 0, wg = 0, dual_norm = 0, g2 = 0
    cdef double wj, gi, xta, Ry
    cdef int i
    for i in range(n_active):
        wj = w[ws[i]]
        gi = g[i]
        L1 += fabs(wj)
        L2 += wj * wj
        wg += wj * gi
        if alpha > 0:
            xta = gi - beta * wj
            g[i] = <floating>xta
            if not positive:
                xta = fabs(xta)
            if xta > dual_norm:
                dual_norm = xta
        else:
            # ridge: ||max(g, 0)||^2 if positive; OLS: projected gradient (w_j = 0 may keep g_j < 0)
            if positive and gi < 0 and (beta > 0 or wj <= 0):
                gi = 0
            g2 += gi * gi
    Ry = R2 + wg
    slack[0] = 16.0 * eps * (R2 + beta * L2 + alpha * L1 + fabs(Ry))
    scale[0] = 1.0
    if alpha > 0:
        scale[0] = dual_scale(dual_norm, alpha)
        return gap_l1(R2, Ry, L1, L2, alpha, beta, scale[0])
    if beta > 0:
        return gap_ridge(R2, Ry, L2, beta, g2)
    return g2


cdef int _screen(int32_t* ws, floating* XtA, int n_active, const floating* norms2,
                 Py_ssize_t stride, double alpha, double beta, double scale, double radius,
                 bint positive) noexcept nogil:
    """Move the features of ws[:n_active] that the Gap Safe sphere proves zero behind the others.

    XtA (by position in ws, from `_ws_gap`) is permuted along.  ||Xc_j||^2 = norms2[j * stride].
    Returns the new n_active; ws[new:old] are the screened features (the caller zeroes them).
    """
    cdef int i = 0
    cdef int32_t j
    cdef floating tmp
    while i < n_active:
        j = ws[i]
        if provably_zero(XtA[i], scale, alpha, radius, sqrt(norms2[j * stride] + beta), positive):
            n_active -= 1
            ws[i] = ws[n_active]
            ws[n_active] = j
            tmp = XtA[i]
            XtA[i] = XtA[n_active]
            XtA[n_active] = tmp
        else:
            i += 1
    return n_active


cdef inline bint _gap_check_due(bint sweep_all, int n_epochs, int max_epochs, int gap_freq,
                                double d_w_max, double w_max, int* since_full,
                                bint* pending) noexcept nogil:
    """Whether the X kernels check the gap after this epoch: after an epoch in which no
    coefficient moved by more than D_W_REL of the largest, every ``gap_freq`` epochs, and after
    the last; but after an active sweep (``sweep_all`` False: the non-zeros only) the check
    waits for the next full sweep (``pending``), so that every feature of the working set had
    its chance to enter (the last epoch is always a full one, see the kernels).  Counts the
    active sweeps since the last full one (``since_full``)."""
    cdef bint want = d_w_max <= D_W_REL * w_max or n_epochs % gap_freq == 0
    since_full[0] = 0 if sweep_all else since_full[0] + 1
    if not sweep_all and n_epochs < max_epochs:
        pending[0] = pending[0] or want
        return False
    if not (want or pending[0] or n_epochs == max_epochs):
        return False
    pending[0] = False
    return True


cdef inline double _radius(double gap, double slack, double alpha) noexcept nogil:
    """Radius of the Gap Safe sphere, in units of the l1 dual (sqrt(2 gap) / alpha)."""
    return sqrt(2.0 * ((gap if gap > 0 else 0.0) + slack)) / alpha


# ------------------------------------------------------------------------------------------------
# Anderson acceleration of the epochs
#
# Cyclic coordinate descent over a fixed feature order is a fixed-point map w -> T(w); near the
# optimum, once the support is identified, it converges linearly, and slowly when the features
# are correlated.  Every ANDERSON_K + 1 epochs the kernels combine the last ANDERSON_K iterates,
# w_e = sum_k c_k w_(k+1) with the weights c (sum 1) that minimise the norm of the same
# combination of their successive differences (Anderson, 1965; applied to coordinate descent by
# Bertrand & Massias, 2021).  A coordinate is extrapolated only where every iterate was non-zero
# and the sign is kept, so the penalty stays smooth along the move; the point is taken only if
# it lowers the objective, so it never slows the descent down (at the cost of one pass over the
# moved columns).

# Iterates combined per extrapolation (0 turns it off); at most ANDERSON_MAX.
cdef enum:
    ANDERSON_MAX = 8
ANDERSON_K = 5


cdef inline void _record(const floating* w, const int32_t* ws, int m, double* row) noexcept nogil:
    """row[i] = w[ws[i]]."""
    cdef int i
    for i in range(m):
        row[i] = w[ws[i]]


def _anderson_buffers(int anderson, bint random, int max_epochs, int k, int n_state, dtype):
    """``(K, hist, U, ext, scratch)`` for a kernel call: K iterates combined (0 when
    ``anderson`` is 0, the order is random, or the call is too short to extrapolate), the
    history ring (K + 1 rows of k), the differences, the extrapolated point, and a scratch copy
    of the kernel's state (residual or gradient, ``n_state``)."""
    cdef int K = 0, width = 1, n = 1
    if anderson > 0 and not random and max_epochs > anderson:
        K = min(anderson, <int>ANDERSON_MAX)
        width, n = max(k, 1), n_state
    return (K, np.empty((K + 1, width)), np.empty((max(K, 1), width)), np.empty(width),
            np.empty(n, dtype=dtype))


cdef inline int _anderson_step(const floating* w, const int32_t* ws, int m, int ld, int K,
                               int* n_hist, bint extrapolate, double* hist, double* U,
                               double* ext) noexcept nogil:
    """Record ``w[ws[:m]]`` in the ring ``hist``; once it holds K + 1 iterates (and
    ``extrapolate``), compute the extrapolated point into ``ext`` and restart the history.
    Returns the number of coordinates it moves (0: nothing to try)."""
    cdef int first
    _record(w, ws, m, &hist[<Py_ssize_t>(n_hist[0] % (K + 1)) * ld])
    n_hist[0] += 1
    if n_hist[0] <= K or not extrapolate:
        return 0
    first = n_hist[0] % (K + 1)  # the oldest of the last K + 1
    n_hist[0] = 0
    return _anderson_point(hist, first, U, K, m, ld, ext)


cdef int _anderson_point(double* hist, int first, double* U, int K, int m, int ld,
                         double* ext) noexcept nogil:
    """The extrapolated point from the K + 1 iterates in the ring ``hist`` (rows of ``ld``,
    ``m`` used; the oldest in row ``first``).

    ``ext[i] = sum_k c_k hist[k + 1][i]`` where the K + 1 iterates and that combination are all
    non-zero with one sign, else ``hist[K][i]`` (the last iterate: no move).  ``U`` (K x ld) is
    scratch for the differences.  Returns the number of coordinates moved (0 also when the
    system is singular).
    """
    cdef double M[ANDERSON_MAX * ANDERSON_MAX]
    cdef double z[ANDERSON_MAX]
    cdef double acc, total = 0, x, last
    cdef int a, i, moved = 0
    cdef bint same
    cdef Py_ssize_t off[ANDERSON_MAX + 1]
    for a in range(K + 1):
        off[a] = <Py_ssize_t>((first + a) % (K + 1)) * ld
    for a in range(K):
        for i in range(m):
            U[a * ld + i] = hist[off[a + 1] + i] - hist[off[a] + i]
    # M = U U^T (K x K, lower triangle), U being stored as the m x K column-major matrix U^T
    _syrk(c'L', c'T', K, m, 1.0, U, ld, 0.0, M, K)
    for a in range(K):
        if not M[a * K + a] > 0:  # a zero difference: the iterates repeat
            return 0
        z[a] = 1.0
    if _potrf(c'L', K, M, K) != 0:
        return 0
    _potrs(c'L', K, 1, M, K, z, K)
    for a in range(K):
        total += z[a]
    if not (total != 0 and fabs(total) < INFINITY):  # also false for NaN
        return 0
    for i in range(m):
        last = hist[off[K] + i]
        ext[i] = last
        if last == 0:
            continue
        same = True
        acc = 0
        for a in range(K + 1):
            x = hist[off[a] + i]
            if (x > 0) != (last > 0) or x == 0:
                same = False
                break
            if a > 0:
                acc += z[a - 1] * x
        acc /= total
        if same and (acc > 0) == (last > 0) and acc != 0:
            ext[i] = acc
            moved += 1
    return moved


cdef bint _try_point(floating* w, floating* R, floating* Re, const int32_t* ws, int m,
                     const double* ext, int n, const floating* X, const floating* data,
                     const int32_t* indices, const int32_t* indptr, bint sparse,
                     const floating* x_offset, const floating* s, bint centred, double* c,
                     double* sRb, double alpha, double beta, bint gram) noexcept nogil:
    """Move to the extrapolated point ``w[ws[i]] = ext[i]`` if that lowers the objective.

    X is dense (Fortran, leading dimension n) or, with ``sparse``, the CSC arrays.  With
    ``centred``, the pending centring term ``c`` is folded into R first and ``sRb = s . R`` is
    refreshed at the end (R = Rb + c s, as in the kernels).  ``Re`` (n) is scratch.  Returns
    whether the point was taken (w and R are then updated).

    With ``gram``, X is ``G`` (n = n_features) and R the gradient ``H = q - G w``, which moves
    the same way; with ``d = w_e - w``, ``||R_e||^2 - ||R||^2 = -2 d . H + d . G d`` is then
    ``-d . (H + H_e)``.
    """
    cdef double ce = 0, dP = 0
    cdef floating d
    cdef int i
    cdef int32_t j
    cdef bint taken
    if centred and c[0] != 0:
        _axpy(n, <floating>c[0], s, 1, R, 1)
        c[0] = 0
    _copy(n, R, 1, Re, 1)
    for i in range(m):
        j = ws[i]
        d = <floating>ext[i] - w[j]
        if d != 0:
            if sparse:
                _col_axpy(-d, data, indices, indptr[j], indptr[j + 1], Re)
            else:
                _axpy(n, -d, &X[<Py_ssize_t>j * n], 1, Re, 1)
            if centred:
                ce += d * x_offset[j]
    if ce != 0:
        _axpy(n, <floating>ce, s, 1, Re, 1)
    # 1/2 (||Re||^2 - ||R||^2) as 1/2 (Re - R) . (Re + R), in double: no cancellation
    if gram:
        for i in range(m):
            j = ws[i]
            dP -= (<double>ext[i] - w[j]) * (<double>R[j] + Re[j])
    else:
        for i in range(n):
            dP += (<double>Re[i] - R[i]) * (<double>Re[i] + R[i])
    dP = 0.5 * dP + _penalty_change(w, ws, m, ext, alpha, beta)
    taken = dP < 0
    if taken:
        _copy(n, Re, 1, R, 1)
        _take_point(w, ws, m, ext)
    if centred:  # R changed by the folded-in c, or by the move
        sRb[0] = _dot(n, s, 1, R, 1)
    return taken


cdef inline double _penalty_change(const floating* w, const int32_t* ws, int m,
                                   const double* ext, double alpha, double beta) noexcept nogil:
    """Change of ``alpha ||w||_1 + beta/2 ||w||^2`` when ``w[ws[i]]`` becomes ``ext[i]``."""
    cdef double d = 0, a, b
    cdef int i
    for i in range(m):
        a = ext[i]
        b = w[ws[i]]
        if a != b:
            d += alpha * (fabs(a) - fabs(b)) + 0.5 * beta * (a * a - b * b)
    return d


cdef inline void _take_point(floating* w, const int32_t* ws, int m,
                             const double* ext) noexcept nogil:
    cdef int i
    for i in range(m):
        w[ws[i]] = <floating>ext[i]


# ------------------------------------------------------------------------------------------------
# Argument checks: once per call, in Python, before the GIL is released.

cdef object _check_length(name, got, expected, meaning):
    if got != expected:
        raise ValueError(f"{name} must have length {expected} ({meaning}), got length {got}.")


cdef object _check_solver_args(const int32_t[::1] ws, int n_features, alpha, beta, tol,
                               max_epochs, gap_freq):
    # one O(k) sweep (this runs before every kernel call, so no sorting or np.unique)
    cdef uint8_t[::1] seen = np.zeros(max(n_features, 1), dtype=np.uint8)
    cdef Py_ssize_t k
    cdef int32_t j = 0
    cdef int bad = 0
    with nogil:
        for k in range(ws.shape[0]):
            j = ws[k]
            if j < 0 or j >= n_features:
                bad = 1
                break
            if seen[j]:
                bad = 2
                break
            seen[j] = 1
    if bad == 1:
        raise ValueError(
            f"ws must hold feature indices in [0, {n_features}), got {j}; pass indices of "
            "columns of X."
        )
    if bad == 2:
        raise ValueError(f"ws must not repeat a feature index (got {j} twice); pass distinct "
                         "indices.")
    for name, value in (("alpha", alpha), ("beta", beta), ("tol", tol)):
        if not value >= 0:  # also rejects NaN
            raise ValueError(f"{name} must be >= 0 (sum scale), got {value}.")
    if max_epochs < 0:
        raise ValueError(f"max_epochs must be >= 0, got {max_epochs}.")
    if gap_freq < 1:
        raise ValueError(f"gap_freq must be >= 1, got {gap_freq}.")


cdef object _check_gram_args(G, w, H, q):
    """The Gram layout's arrays: G non-empty and square, w, H and q of its order."""
    p = G.shape[0]
    if p < 1 or G.shape[1] != p:
        raise ValueError(
            f"G must be a non-empty square matrix (n_features, n_features), got shape "
            f"({G.shape[0]}, {G.shape[1]})."
        )
    _check_length("w", w.shape[0], p, "n_features = G.shape[0]")
    _check_length("H", H.shape[0], p, "n_features")
    _check_length("q", q.shape[0], p, "n_features")


cdef object _check_csc(data, indices, indptr, n_samples):
    """Cheap consistency of CSC arrays; a debug build also checks every index."""
    n_features = indptr.shape[0] - 1
    if n_features < 1:
        raise ValueError(f"X_indptr must have length n_features + 1 >= 2, got {indptr.shape[0]}.")
    nnz = data.shape[0]
    _check_length("X_indices", indices.shape[0], nnz, "len(X_data)")
    if indptr[0] != 0 or indptr[n_features] != nnz:
        raise ValueError(
            f"X_indptr must start at 0 and end at len(X_data) = {nnz}, got {indptr[0]} and "
            f"{indptr[n_features]}; pass a canonical CSC matrix's arrays."
        )
    if FASTREG_DEBUG:
        if np.any(np.diff(np.asarray(indptr)) < 0):
            raise ValueError("X_indptr must be non-decreasing.")
        if nnz and (np.min(indices) < 0 or np.max(indices) >= n_samples):
            raise ValueError(f"X_indices must lie in [0, {n_samples}).")
    return n_features


cdef object _check_n_samples(n):
    if n < 1:
        raise ValueError(f"X must have at least one sample, got n_samples = {n}.")


# ------------------------------------------------------------------------------------------------
# Dense (Fortran-ordered) X

def enet_cd_dense(floating[::1] w, floating[::1] R, const floating[::1, :] X,
                  const floating[::1] x_offset, const floating[::1] s,
                  const floating[::1] norms2, int32_t[::1] ws,
                  floating alpha, floating beta, floating tol, int max_epochs, int gap_freq,
                  bint positive, bint random, uint32_t seed, bint screen,
                  int anderson=ANDERSON_K, int active_sweeps=0):
    """Elastic-net coordinate descent over the features ``ws`` of a dense, implicitly centred X.

    Minimises ``1/2 ||R||^2 + alpha ||w_ws||_1 + beta/2 ||w_ws||^2`` with ``R = yc - Xc w`` and
    ``Xc_j = X_j - x_offset[j] s``; the coefficients outside ``ws`` stay fixed.

    Parameters
    ----------
    w : ndarray of shape (n_features,)
        Coefficients, updated in place (warm start).
    R : ndarray of shape (n_samples,)
        ``yc - Xc w`` on entry, updated in place; the exact residual on exit.
    X : ndarray of shape (n_samples, n_features), Fortran-ordered
        Rows already multiplied by ``s``.
    x_offset : ndarray of shape (n_features,)
        Zeros, or the weighted column means (``X_j . s = x_offset[j] s . s``).
    s : ndarray of shape (n_samples,)
        ``sqrt(sample_weight)``, or ones.
    norms2 : ndarray of shape (n_features,)
        ``||Xc_j||^2``, from :func:`col_norms2_dense`.
    ws : ndarray of int32 of shape (n_ws,)
        Distinct feature indices to optimise; reordered in place so that the features that
        were not screened out come first.
    alpha, beta : float
        l1 and l2 penalty strengths, sum scale, >= 0.
    tol : float
        Stop once the duality gap of the subproblem is <= tol (absolute, sum scale).
    max_epochs : int
        Maximum number of epochs (passes over the active features, or active sweeps: see
        ``active_sweeps``); 0 only computes the gap.
    gap_freq : int
        Check the gap every ``gap_freq`` epochs (also after an epoch in which no coefficient
        moved by more than D_W_REL = 1e-4 times the largest one, and after the last epoch); a
        check due after an active sweep waits for the next full epoch.
    positive : bool
        Constrain the coefficients in ``ws`` to be >= 0.
    random : bool
        Visit the active features in a fresh random order every epoch (else in ``ws`` order).
    seed : int
        Seed (uint32) of the kernel's own xorshift generator, used when ``random``.
    screen : bool
        After each gap check that misses ``tol`` (alpha > 0 only), set to 0 and drop from the
        epochs the features that the Gap Safe sphere test proves zero at the optimum.
    anderson : int
        Extrapolate every ``anderson + 1`` epochs from the last ``anderson`` iterates (Anderson
        acceleration, taken only when it lowers the objective); 0, or ``random``, turns it off.
    active_sweeps : int
        Once a gap check has missed ``tol``, follow each full epoch with this many active
        sweeps: epochs over the non-zero coefficients only (glmnet's active-set cycling; the
        zeros' column products are most of a full epoch).  Gaps are checked, and the call
        ends, only after full epochs.  0 (the default) turns it off.

    Returns
    -------
    gap : float
        Duality gap of the subproblem at the returned ``w``.
    n_epochs : int
        Number of epochs run.
    n_active : int
        Number of features of ``ws`` not screened out (they are ``ws[:n_active]``).
    """
    cdef int n = X.shape[0]
    cdef int p = X.shape[1]
    cdef int k = ws.shape[0]
    _check_n_samples(n)
    _check_length("w", w.shape[0], p, "n_features")
    _check_length("R", R.shape[0], n, "n_samples")
    _check_length("x_offset", x_offset.shape[0], p, "n_features")
    _check_length("s", s.shape[0], n, "n_samples")
    _check_length("norms2", norms2.shape[0], p, "n_features")
    _check_solver_args(ws, p, alpha, beta, tol, max_epochs, gap_freq)

    dtype = np.float64 if floating is double else np.float32
    cdef floating[::1] XtA = np.empty(max(k, 1), dtype=dtype)
    cdef bint centred = bool(np.any(np.asarray(x_offset)))
    cdef int32_t* ws_p = NULL
    if k > 0:
        ws_p = &ws[0]
    cdef uint32_t rng = _rng_init(seed)
    cdef int n_active = k, n_epochs = 0, new_active, i
    cdef int32_t j
    cdef floating wj, w_new, d
    cdef double grad, d_w_max, w_max
    cdef double S2 = 0, c = 0, sRb = 0  # implicit centring: R = Rb + c s, sRb = s . Rb
    cdef double gap = INFINITY, scale = 1, slack = 0, R2
    # Anderson acceleration (K iterates combined, 0: off) and active sweeps (after each sweep
    # over all of ws, ``active_sweeps`` over its non-zeros only), both from the first gap check
    # that misses tol on (``missed``); Re is the residual at the extrapolated point
    cdef int K, n_hist = 0, since_full = 0
    cdef bint missed = False, sweep_all = True, pending = False
    K, hist_, U_, ext_, Re_ = _anderson_buffers(anderson, random, max_epochs, k, n, dtype)
    cdef double[:, ::1] hist = hist_, U = U_
    cdef double[::1] ext = ext_
    cdef floating[::1] Re = Re_

    with nogil:
        if centred:
            S2 = _dot(n, &s[0], 1, &s[0], 1)
            sRb = _dot(n, &s[0], 1, &R[0], 1)
        while True:
            if n_epochs < max_epochs:
                if random:
                    _shuffle(ws_p, n_active, &rng)
                d_w_max = 0
                w_max = 0
                sweep_all = (not missed or since_full >= active_sweeps or pending
                             or n_epochs + 1 == max_epochs)
                for i in range(n_active):
                    j = ws[i]
                    wj = w[j]
                    if wj == 0 and not sweep_all:
                        continue
                    if norms2[j] == 0:
                        # Xc_j = 0: w_j = 0 is the minimiser unless the penalty is zero
                        if wj == 0 or (alpha == 0 and beta == 0):
                            continue
                        w_new = 0
                    else:
                        grad = _dot(n, &X[0, j], 1, &R[0], 1)
                        if centred:
                            grad -= x_offset[j] * sRb
                        w_new = enet_coordinate(<floating>(grad + norms2[j] * wj), alpha,
                                                norms2[j] + beta, positive)
                    d = w_new - wj
                    if d != 0:
                        w[j] = w_new
                        _axpy(n, -d, &X[0, j], 1, &R[0], 1)
                        if centred:
                            c += d * x_offset[j]
                            sRb -= d * x_offset[j] * S2
                        if fabs(d) > d_w_max:
                            d_w_max = fabs(d)
                    if fabs(w_new) > w_max:
                        w_max = fabs(w_new)
                n_epochs += 1
                # recording costs little next to an epoch's column products: from the start
                if K and _anderson_step(&w[0], ws_p, n_active, k, K, &n_hist, missed,
                                        &hist[0, 0], &U[0, 0], &ext[0]):
                    _try_point(&w[0], &R[0], &Re[0], ws_p, n_active, &ext[0], n,
                               &X[0, 0], NULL, NULL, NULL, False, &x_offset[0], &s[0],
                               centred, &c, &sRb, alpha, beta, False)
                if not _gap_check_due(sweep_all, n_epochs, max_epochs, gap_freq, d_w_max,
                                      w_max, &since_full, &pending):
                    continue

            # gap check: exact residual first
            if centred:
                if c != 0:
                    _axpy(n, <floating>c, &s[0], 1, &R[0], 1)
                    c = 0
                sRb = _dot(n, &s[0], 1, &R[0], 1)
            for i in range(n_active):
                j = ws[i]
                if norms2[j] == 0:  # Xc_j = 0: the product would be rounding only
                    XtA[i] = 0
                    continue
                grad = _dot(n, &X[0, j], 1, &R[0], 1)
                if centred:
                    grad -= x_offset[j] * sRb
                XtA[i] = <floating>grad
            R2 = _dot(n, &R[0], 1, &R[0], 1)
            gap = _ws_gap(&w[0], ws_p, n_active, &XtA[0], R2, alpha, beta, positive,
                          &scale, &slack)
            if gap <= tol or n_epochs >= max_epochs:
                break
            missed = True
            if screen and alpha > 0:
                new_active = _screen(ws_p, &XtA[0], n_active, &norms2[0], 1, alpha, beta, scale,
                                     _radius(gap, slack, alpha), positive)
                for i in range(new_active, n_active):
                    j = ws[i]
                    wj = w[j]
                    if wj != 0:
                        w[j] = 0
                        _axpy(n, wj, &X[0, j], 1, &R[0], 1)
                        if centred:
                            c -= wj * x_offset[j]
                            sRb += wj * x_offset[j] * S2
                if new_active < n_active:
                    n_hist = 0
                n_active = new_active
    return float(gap), n_epochs, n_active


# ------------------------------------------------------------------------------------------------
# Sparse X in CSC arrays

cdef inline double _col_dot(const floating* data, const int32_t* indices, int32_t start,
                            int32_t end, const floating* v) noexcept nogil:
    """X_j . v over column j's stored entries data[start:end]."""
    cdef double acc = 0
    cdef int32_t ii
    for ii in range(start, end):
        acc += data[ii] * v[indices[ii]]
    return acc


cdef inline void _col_axpy(floating a, const floating* data, const int32_t* indices,
                           int32_t start, int32_t end, floating* v) noexcept nogil:
    """v += a X_j over column j's stored entries."""
    cdef int32_t ii
    for ii in range(start, end):
        v[indices[ii]] += a * data[ii]


def enet_cd_sparse(floating[::1] w, floating[::1] R, const floating[::1] X_data,
                   const int32_t[::1] X_indices, const int32_t[::1] X_indptr,
                   const floating[::1] x_offset, const floating[::1] s,
                   const floating[::1] norms2, int32_t[::1] ws,
                   floating alpha, floating beta, floating tol, int max_epochs, int gap_freq,
                   bint positive, bint random, uint32_t seed, bint screen,
                   int anderson=ANDERSON_K, int active_sweeps=0):
    """Elastic-net coordinate descent over the features ``ws`` of an implicitly centred CSC X.

    Same problem, arguments and returns as :func:`enet_cd_dense`, with X given by its CSC arrays
    (never densified; its rows already multiplied by ``s``).

    Parameters
    ----------
    X_data : ndarray of shape (nnz,)
    X_indices : ndarray of int32 of shape (nnz,)
        Row indices (need not be sorted within a column).
    X_indptr : ndarray of int32 of shape (n_features + 1,)
    norms2 : ndarray of shape (n_features,)
        ``||Xc_j||^2``, from :func:`col_norms2_sparse`.
    w, R, x_offset, s, ws, alpha, beta, tol, max_epochs, gap_freq, positive, random, seed, screen,
    anderson, active_sweeps
        As for :func:`enet_cd_dense`; ``n_samples`` is ``len(R)``.

    Returns
    -------
    gap, n_epochs, n_active
        As for :func:`enet_cd_dense`.
    """
    cdef int n = R.shape[0]
    _check_n_samples(n)
    cdef int p = _check_csc(X_data, X_indices, X_indptr, n)
    cdef int k = ws.shape[0]
    _check_length("w", w.shape[0], p, "n_features = len(X_indptr) - 1")
    _check_length("x_offset", x_offset.shape[0], p, "n_features")
    _check_length("s", s.shape[0], n, "n_samples = len(R)")
    _check_length("norms2", norms2.shape[0], p, "n_features")
    _check_solver_args(ws, p, alpha, beta, tol, max_epochs, gap_freq)

    dtype = np.float64 if floating is double else np.float32
    cdef floating[::1] XtA = np.empty(max(k, 1), dtype=dtype)
    cdef bint centred = bool(np.any(np.asarray(x_offset)))
    cdef int32_t* ws_p = NULL
    cdef const floating* data_p = NULL
    cdef const int32_t* ind_p = NULL
    if k > 0:
        ws_p = &ws[0]
    if X_data.shape[0] > 0:
        data_p = &X_data[0]
        ind_p = &X_indices[0]
    cdef uint32_t rng = _rng_init(seed)
    cdef int n_active = k, n_epochs = 0, new_active, i
    cdef int32_t j
    cdef floating wj, w_new, d
    cdef double grad, d_w_max, w_max
    cdef double S2 = 0, c = 0, sRb = 0  # implicit centring: R = Rb + c s, sRb = s . Rb
    cdef double gap = INFINITY, scale = 1, slack = 0, R2
    # Anderson acceleration (K iterates combined, 0: off) and active sweeps (after each sweep
    # over all of ws, ``active_sweeps`` over its non-zeros only), both from the first gap check
    # that misses tol on (``missed``); Re is the residual at the extrapolated point
    cdef int K, n_hist = 0, since_full = 0
    cdef bint missed = False, sweep_all = True, pending = False
    K, hist_, U_, ext_, Re_ = _anderson_buffers(anderson, random, max_epochs, k, n, dtype)
    cdef double[:, ::1] hist = hist_, U = U_
    cdef double[::1] ext = ext_
    cdef floating[::1] Re = Re_

    with nogil:
        if centred:
            S2 = _dot(n, &s[0], 1, &s[0], 1)
            sRb = _dot(n, &s[0], 1, &R[0], 1)
        while True:
            if n_epochs < max_epochs:
                if random:
                    _shuffle(ws_p, n_active, &rng)
                d_w_max = 0
                w_max = 0
                sweep_all = (not missed or since_full >= active_sweeps or pending
                             or n_epochs + 1 == max_epochs)
                for i in range(n_active):
                    j = ws[i]
                    wj = w[j]
                    if wj == 0 and not sweep_all:
                        continue
                    if norms2[j] == 0:
                        if wj == 0 or (alpha == 0 and beta == 0):
                            continue
                        w_new = 0
                    else:
                        grad = _col_dot(data_p, ind_p, X_indptr[j], X_indptr[j + 1], &R[0])
                        if centred:
                            grad -= x_offset[j] * sRb
                        w_new = enet_coordinate(<floating>(grad + norms2[j] * wj), alpha,
                                                norms2[j] + beta, positive)
                    d = w_new - wj
                    if d != 0:
                        w[j] = w_new
                        _col_axpy(-d, data_p, ind_p, X_indptr[j], X_indptr[j + 1], &R[0])
                        if centred:
                            c += d * x_offset[j]
                            sRb -= d * x_offset[j] * S2
                        if fabs(d) > d_w_max:
                            d_w_max = fabs(d)
                    if fabs(w_new) > w_max:
                        w_max = fabs(w_new)
                n_epochs += 1
                # recording costs little next to an epoch's column products: from the start
                if K and _anderson_step(&w[0], ws_p, n_active, k, K, &n_hist, missed,
                                        &hist[0, 0], &U[0, 0], &ext[0]):
                    _try_point(&w[0], &R[0], &Re[0], ws_p, n_active, &ext[0], n,
                               NULL, data_p, ind_p, &X_indptr[0], True, &x_offset[0], &s[0],
                               centred, &c, &sRb, alpha, beta, False)
                if not _gap_check_due(sweep_all, n_epochs, max_epochs, gap_freq, d_w_max,
                                      w_max, &since_full, &pending):
                    continue

            if centred:
                if c != 0:
                    _axpy(n, <floating>c, &s[0], 1, &R[0], 1)
                    c = 0
                sRb = _dot(n, &s[0], 1, &R[0], 1)
            for i in range(n_active):
                j = ws[i]
                if norms2[j] == 0:  # Xc_j = 0: the product would be rounding only
                    XtA[i] = 0
                    continue
                grad = _col_dot(data_p, ind_p, X_indptr[j], X_indptr[j + 1], &R[0])
                if centred:
                    grad -= x_offset[j] * sRb
                XtA[i] = <floating>grad
            R2 = _dot(n, &R[0], 1, &R[0], 1)
            gap = _ws_gap(&w[0], ws_p, n_active, &XtA[0], R2, alpha, beta, positive,
                          &scale, &slack)
            if gap <= tol or n_epochs >= max_epochs:
                break
            missed = True
            if screen and alpha > 0:
                new_active = _screen(ws_p, &XtA[0], n_active, &norms2[0], 1, alpha, beta, scale,
                                     _radius(gap, slack, alpha), positive)
                for i in range(new_active, n_active):
                    j = ws[i]
                    wj = w[j]
                    if wj != 0:
                        w[j] = 0
                        _col_axpy(wj, data_p, ind_p, X_indptr[j], X_indptr[j + 1], &R[0])
                        if centred:
                            c -= wj * x_offset[j]
                            sRb += wj * x_offset[j] * S2
                if new_active < n_active:
                    n_hist = 0
                n_active = new_active
    return float(gap), n_epochs, n_active


# ------------------------------------------------------------------------------------------------
# Gram matrix G = Xc^T Xc

def enet_cd_gram(floating[::1] w, floating[::1] H, const floating[:, ::1] G,
                 const floating[::1] q, floating y_norm2, int32_t[::1] ws,
                 floating alpha, floating beta, floating tol, int max_epochs, int gap_freq,
                 bint positive, bint random, uint32_t seed, bint screen,
                 int anderson=ANDERSON_K):
    """Elastic-net coordinate descent over the features ``ws``, from the Gram matrix.

    Same problem, arguments and returns as :func:`enet_cd_dense`, with the data given by
    ``G = Xc^T Xc``, ``q = Xc^T yc`` and ``y_norm2 = ||yc||^2``; then
    ``||R||^2 = y_norm2 - w . q - w . H`` and ``||Xc_j||^2 = G[j, j]``.

    Parameters
    ----------
    w : ndarray of shape (n_features,)
        Coefficients, updated in place (warm start).
    H : ndarray of shape (n_features,)
        ``q - G w`` (the gradient over ALL features) on entry; kept exact, in place (it is
        recomputed from ``q`` and ``G`` at every gap check, so rounding does not accumulate).
    G : ndarray of shape (n_features, n_features), C-ordered, symmetric
    q : ndarray of shape (n_features,)
    y_norm2 : float
    ws, alpha, beta, tol, max_epochs, gap_freq, positive, random, seed, screen, anderson
        As for :func:`enet_cd_dense` (no active sweeps: a Gram epoch costs O(1) per zero
        coefficient already).

    Returns
    -------
    gap, n_epochs, n_active
        As for :func:`enet_cd_dense`.
    """
    cdef int p = G.shape[0]
    cdef int k = ws.shape[0]
    _check_gram_args(G, w, H, q)
    if not y_norm2 >= 0:
        raise ValueError(f"y_norm2 must be >= 0, got {y_norm2}.")
    _check_solver_args(ws, p, alpha, beta, tol, max_epochs, gap_freq)

    dtype = np.float64 if floating is double else np.float32
    cdef floating[::1] XtA = np.empty(max(k, 1), dtype=dtype)
    K, hist_, U_, ext_, He_ = _anderson_buffers(anderson, random, max_epochs, k, p, dtype)
    cdef double[:, ::1] hist = hist_, U = U_
    cdef double[::1] ext = ext_
    cdef floating[::1] He = He_
    cdef int n_anderson = K
    cdef (double, int, int) out
    with nogil:
        out = _gram_epochs(w, H, G, q, y_norm2, ws, alpha, beta, tol, max_epochs, gap_freq,
                           positive, random, seed, screen, n_anderson, XtA, hist, U, ext, He)
    return out[0], out[1], out[2]


cdef (double, int, int) _gram_epochs(
        floating[::1] w, floating[::1] H, const floating[:, ::1] G, const floating[::1] q,
        floating y_norm2, int32_t[::1] ws, floating alpha, floating beta, floating tol,
        int max_epochs, int gap_freq, bint positive, bint random, uint32_t seed, bint screen,
        int K, floating[::1] XtA, double[:, ::1] hist, double[:, ::1] U, double[::1] ext,
        floating[::1] He) noexcept nogil:
    """The loop of :func:`enet_cd_gram` on checked arguments and given buffers: ``XtA``
    (len(ws), at least 1), and the Anderson ring, differences, point and scratch gradient of
    ``_anderson_buffers`` for ``K`` iterates (K = 0: off)."""
    cdef int p = G.shape[0]
    cdef int k = ws.shape[0]
    cdef int32_t* ws_p = NULL
    if k > 0:
        ws_p = &ws[0]
    cdef uint32_t rng = _rng_init(seed)
    cdef int n_active = k, n_epochs = 0, new_active, i, m
    cdef int32_t j
    cdef floating wj, w_new, d, gjj
    cdef double d_w_max, w_max
    cdef double gap = INFINITY, scale = 1, slack = 0, R2
    # Anderson acceleration, as in enet_cd_dense (He: the gradient at the extrapolated point)
    cdef int n_hist = 0
    cdef bint missed = False
    while True:
        if n_epochs < max_epochs:
            if random:
                _shuffle(ws_p, n_active, &rng)
            d_w_max = 0
            w_max = 0
            for i in range(n_active):
                j = ws[i]
                wj = w[j]
                gjj = G[j, j]
                if gjj == 0:
                    if wj == 0 or (alpha == 0 and beta == 0):
                        continue
                    w_new = 0
                else:
                    w_new = enet_coordinate(H[j] + gjj * wj, alpha, gjj + beta, positive)
                d = w_new - wj
                if d != 0:
                    w[j] = w_new
                    _axpy(p, -d, &G[j, 0], 1, &H[0], 1)  # row j = column j (symmetric)
                    if fabs(d) > d_w_max:
                        d_w_max = fabs(d)
                if fabs(w_new) > w_max:
                    w_max = fabs(w_new)
            n_epochs += 1
            # an epoch can cost O(1) per feature here: record only once extrapolating
            if K and missed and _anderson_step(&w[0], ws_p, n_active, k, K, &n_hist, True,
                                              &hist[0, 0], &U[0, 0], &ext[0]):
                _try_point(&w[0], &H[0], &He[0], ws_p, n_active, &ext[0], p, &G[0, 0],
                           NULL, NULL, NULL, False, NULL, NULL, False, NULL, NULL, alpha,
                           beta, True)
            if not (d_w_max <= D_W_REL * w_max or n_epochs % gap_freq == 0
                    or n_epochs == max_epochs):
                continue

        # gap check: H = q - G w afresh, then ||R||^2 from it
        _copy(p, &q[0], 1, &H[0], 1)
        for m in range(p):
            if w[m] != 0:
                _axpy(p, -w[m], &G[m, 0], 1, &H[0], 1)
        R2 = y_norm2 - <double>_dot(p, &w[0], 1, &q[0], 1) - _dot(p, &w[0], 1, &H[0], 1)
        if R2 < 0:  # rounding: R2 is a difference of near-equal terms when the fit is good
            R2 = 0
        for i in range(n_active):
            XtA[i] = H[ws[i]]
        gap = _ws_gap(&w[0], ws_p, n_active, &XtA[0], R2, alpha, beta, positive,
                      &scale, &slack)
        if gap <= tol or n_epochs >= max_epochs:
            break
        missed = True
        if screen and alpha > 0:
            new_active = _screen(ws_p, &XtA[0], n_active, &G[0, 0], p + 1, alpha, beta,
                                 scale, _radius(gap, slack, alpha), positive)
            for i in range(new_active, n_active):
                j = ws[i]
                wj = w[j]
                if wj != 0:
                    w[j] = 0
                    _axpy(p, wj, &G[j, 0], 1, &H[0], 1)
            if new_active < n_active:
                n_hist = 0
            n_active = new_active
    return gap, n_epochs, n_active


# ------------------------------------------------------------------------------------------------
# Squared norms of the centred columns

# ||X_j||^2 - mu^2 S2 is used while the mean's share of the squared norm is at most this: the
# relative error is then at most 1 / (1 - CANCEL_MAX) times that of the dots (~1e-13 in float64,
# ~1e-5 in float32); beyond it the centred squares are summed directly.
cdef double CANCEL_MAX = 0.99


cdef inline double _centred_sumsq(int n, const floating* col, double mu,
                                  const floating* s) noexcept nogil:
    """sum_i (col_i - mu s_i)^2 in double, four accumulators (no cancellation, no scratch)."""
    cdef double a0 = 0, a1 = 0, a2 = 0, a3 = 0, d0, d1, d2, d3
    cdef int i = 0
    while i + 4 <= n:
        d0 = col[i] - mu * s[i]
        d1 = col[i + 1] - mu * s[i + 1]
        d2 = col[i + 2] - mu * s[i + 2]
        d3 = col[i + 3] - mu * s[i + 3]
        a0 += d0 * d0
        a1 += d1 * d1
        a2 += d2 * d2
        a3 += d3 * d3
        i += 4
    while i < n:
        d0 = col[i] - mu * s[i]
        a0 += d0 * d0
        i += 1
    return (a0 + a1) + (a2 + a3)


cdef inline double _sdot(int n, const floating* x, const floating* s) noexcept nogil:
    """x . s in double, four accumulators."""
    cdef double a0 = 0, a1 = 0, a2 = 0, a3 = 0
    cdef int i = 0
    while i + 4 <= n:
        a0 += x[i] * s[i]
        a1 += x[i + 1] * s[i + 1]
        a2 += x[i + 2] * s[i + 2]
        a3 += x[i + 3] * s[i + 3]
        i += 4
    while i < n:
        a0 += x[i] * s[i]
        i += 1
    return (a0 + a1) + (a2 + a3)


def col_norms2_dense(const floating[::1, :] X, const floating[::1] x_offset,
                     const floating[::1] s, floating[::1] out):
    """``out[j] = ||X_j - x_offset[j] s||^2`` for a Fortran-ordered X, without cancellation.

    The squares of the centred entries are summed directly (in double): never
    ``||X_j||^2 - (X_j . s)^2 / S2``, which loses every digit on a column with a large mean and
    a small spread.

    Parameters
    ----------
    X : ndarray of shape (n_samples, n_features), Fortran-ordered
    x_offset : ndarray of shape (n_features,)
    s : ndarray of shape (n_samples,)
    out : ndarray of shape (n_features,)
        Written in place.
    """
    cdef int n = X.shape[0]
    cdef int p = X.shape[1]
    _check_n_samples(n)
    _check_length("x_offset", x_offset.shape[0], p, "n_features")
    _check_length("s", s.shape[0], n, "n_samples")
    _check_length("out", out.shape[0], p, "n_features")
    cdef int j
    cdef double sq, shift, mu
    with nogil:
        for j in range(p):
            # ||X_j - mu s||^2 = ||X_j||^2 - 2 mu X_j.s + mu^2 S2 by vectorised BLAS dots while
            # that cannot cancel (mean's share at most half the squared norm), else sum exactly
            mu = x_offset[j]
            if mu == 0:
                out[j] = _dot(n, &X[0, j], 1, &X[0, j], 1)
                continue
            sq = _dot(n, &X[0, j], 1, &X[0, j], 1)
            shift = mu * (2.0 * _dot(n, &X[0, j], 1, &s[0], 1) - mu * _dot(n, &s[0], 1, &s[0], 1))
            if fabs(shift) <= CANCEL_MAX * sq:
                out[j] = <floating>(sq - shift)
            else:
                out[j] = <floating>_centred_sumsq(n, &X[0, j], mu, &s[0])


def colsums_avx2(request=None):
    """Whether ``col_stats_dense`` uses its AVX2+FMA loops (x86-64 CPUs that have both).

    ``request``: None asks; False turns them off (the baseline SSE2/NEON loops, e.g. to test
    them on any machine); True turns them back on where the CPU has them.  Returns the state.
    """
    return bool(fr_colsums_avx2(-1 if request is None else int(bool(request))))


def col_stats_dense(const floating[::1, :] X, const floating[::1] s, const floating[::1] yc,
                    bint center, floating[::1] x_offset, floating[::1] norms2,
                    floating[::1] xty):
    """Column statistics of a Fortran-ordered X in one pass: means, norms, correlations.

    With ``center``: ``x_offset[j] = (s . X_j) / (s . s)`` (the weighted mean when X's rows are
    already scaled by ``s = sqrt(sample_weight)``), else 0.  Then, for the centred column
    ``Xc_j = X_j - x_offset[j] s``: ``norms2[j] = ||Xc_j||^2`` and ``xty[j] = Xc_j . yc``.
    X is read from memory once (``_colsums.h``).  Outputs are written in place; a non-finite
    entry of X shows up as a non-finite ``norms2[j]``.  Returns the largest ratio
    ``x_offset[j]^2 (s . s) / norms2[j]`` over the columns with ``norms2[j] > 0`` (0 if none):
    how far a mean dwarfs its column's spread, for the choice of implicit centring.
    """
    cdef int n = X.shape[0]
    cdef int p = X.shape[1]
    _check_n_samples(n)
    _check_length("s", s.shape[0], n, "n_samples")
    _check_length("yc", yc.shape[0], n, "n_samples")
    _check_length("x_offset", x_offset.shape[0], p, "n_features")
    _check_length("norms2", norms2.shape[0], p, "n_features")
    _check_length("xty", xty.shape[0], p, "n_features")
    if p == 0:  # nothing to compute (and no X[0, 0] to point at)
        return 0.0
    cdef double[:, ::1] sums = np.empty((3, p))  # X_j . s, ||X_j||^2, X_j . yc
    cdef int i, j
    cdef const floating* weights = NULL  # s, unless every s_i is 1 (plain column sums)
    for i in range(n):
        if s[i] != 1:
            weights = &s[0]
            break
    cdef double S2 = _sdot(n, &s[0], &s[0]), sy = _sdot(n, &yc[0], &s[0]), mu, sq, shift
    cdef double worst = 0
    with nogil:
        if floating is double:
            fr_colsums_double(n, p, &X[0, 0], weights, &yc[0], &sums[0, 0], &sums[1, 0],
                              &sums[2, 0])
        else:
            fr_colsums_float(n, p, &X[0, 0], weights, &yc[0], &sums[0, 0], &sums[1, 0],
                             &sums[2, 0])
        for j in range(p):
            # ||X_j - mu s||^2 = ||X_j||^2 - mu^2 S2 is exact enough while the mean's share is
            # at most CANCEL_MAX of the squared norm, else the centred squares are summed
            sq = sums[1, j]
            x_offset[j] = <floating>(sums[0, j] / S2) if center else 0
            mu = x_offset[j]
            shift = mu * mu * S2
            if shift <= CANCEL_MAX * sq:
                norms2[j] = <floating>(sq - shift)
            else:
                norms2[j] = <floating>_centred_sumsq(n, &X[0, j], mu, &s[0])
            xty[j] = <floating>(sums[2, j] - mu * sy)
            if norms2[j] > 0 and shift > worst * norms2[j]:
                worst = shift / norms2[j]
    return worst


def col_norms2_sparse(const floating[::1] X_data, const int32_t[::1] X_indices,
                      const int32_t[::1] X_indptr, const floating[::1] x_offset,
                      const floating[::1] s, floating[::1] out):
    """``out[j] = ||X_j - x_offset[j] s||^2`` for a CSC X, without cancellation or densifying.

    Sum of the squared centred stored entries, plus ``x_offset[j]^2`` times the sum of ``s_i^2``
    over the column's zero rows (``S2`` minus the stored rows' share; exactly 0 for a full
    column).  Accumulated in double.

    Parameters
    ----------
    X_data, X_indices, X_indptr : CSC arrays of X, shape (n_samples, n_features)
    x_offset : ndarray of shape (n_features,)
    s : ndarray of shape (n_samples,)
        Its length gives n_samples.
    out : ndarray of shape (n_features,)
        Written in place.
    """
    cdef int n = s.shape[0]
    _check_n_samples(n)
    cdef int p = _check_csc(X_data, X_indices, X_indptr, n)
    _check_length("x_offset", x_offset.shape[0], p, "n_features = len(X_indptr) - 1")
    _check_length("out", out.shape[0], p, "n_features")
    cdef int i, j
    cdef int32_t ii
    cdef double S2 = 0, acc, s2_stored, xo, si, v
    with nogil:
        for i in range(n):
            S2 += <double>s[i] * s[i]
        for j in range(p):
            xo = x_offset[j]
            acc = 0
            s2_stored = 0
            for ii in range(X_indptr[j], X_indptr[j + 1]):
                si = s[X_indices[ii]]
                v = X_data[ii] - xo * si
                acc += v * v
                s2_stored += si * si
            if xo != 0 and X_indptr[j + 1] - X_indptr[j] < n:
                acc += xo * xo * (S2 - s2_stored if S2 > s2_stored else 0.0)
            out[j] = <floating>acc


# ------------------------------------------------------------------------------------------------
# The working-set outer loop's bookkeeping over all features (``CDProblem._solve_working_sets``):
# one compiled pass each instead of a dozen numpy passes over p-long arrays per outer iteration.

def gap_terms(const floating[::1] w, const floating[::1] g, double beta, bint positive):
    """``(w . g, ||w||_1, ||w||^2, dual_norm)`` in double, one pass over the features.

    ``dual_norm = max_j xta_j`` (``positive``) or ``max_j |xta_j|`` with ``xta = g - beta w``,
    and 0 for no features (or when every ``xta_j`` is negative with ``positive``).
    """
    cdef int p = w.shape[0]
    _check_length("g", g.shape[0], p, "n_features")
    cdef double wg = 0, l1 = 0, l2 = 0, dual_norm = 0, wj, x
    cdef int j
    with nogil:
        for j in range(p):
            wj = w[j]
            wg += wj * g[j]
            l1 += fabs(wj)
            l2 += wj * wj
            x = g[j] - beta * wj
            if not positive:
                x = fabs(x)
            if x > dual_norm:
                dual_norm = x
    return wg, l1, l2, dual_norm


cdef object _check_columns(const int32_t[::1] idx, int p):
    cdef int i
    for i in range(idx.shape[0]):
        if idx[i] < 0 or idx[i] >= p:
            raise ValueError(f"column index {idx[i]} out of range for {p} columns")


def cols_dot_dense(const floating[::1, :] X, const int32_t[::1] idx, const floating[::1] R,
                   double[::1] out):
    """``out_i = X[:, idx_i] . R`` (uncentred), one BLAS dot per listed column."""
    cdef int n = X.shape[0], m = idx.shape[0], i
    _check_length("R", R.shape[0], n, "n_samples")
    _check_length("out", out.shape[0], m, "len(idx)")
    _check_columns(idx, X.shape[1])
    if n == 0:
        out[:] = 0
        return
    with nogil:
        for i in range(m):
            out[i] = _dot(n, &X[0, idx[i]], 1, &R[0], 1)


def cols_dot_sparse(const floating[::1] X_data, const int32_t[::1] X_indices,
                    const int32_t[::1] X_indptr, const int32_t[::1] idx,
                    const floating[::1] R, double[::1] out):
    """``out_i = X[:, idx_i] . R`` (uncentred) for CSC X, over each listed column's entries."""
    cdef int p = X_indptr.shape[0] - 1, m = idx.shape[0], i, j
    _check_csc(X_data, X_indices, X_indptr, R.shape[0])
    _check_length("out", out.shape[0], m, "len(idx)")
    _check_columns(idx, p)
    if X_data.shape[0] == 0:
        out[:] = 0
        return
    with nogil:
        for i in range(m):
            j = idx[i]
            out[i] = _col_dot(&X_data[0], &X_indices[0], X_indptr[j], X_indptr[j + 1], &R[0])


def bounded_need(const floating[::1] g, const double[::1] e, const floating[::1] w,
                 double alpha, int32_t[::1] idx):
    """The features a bounded gradient must compute exactly, one pass: those not yet exact
    (``e_j > 0``) whose bound ``|g_j| + e_j`` exceeds ``alpha`` or whose ``w_j != 0``.  Writes
    their indices to ``idx[:k]`` and returns k."""
    cdef int p = g.shape[0], j, k = 0
    _check_length("e", e.shape[0], p, "n_features")
    _check_length("w", w.shape[0], p, "n_features")
    _check_length("idx", idx.shape[0], p, "n_features")
    with nogil:
        for j in range(p):
            if e[j] > 0 and (fabs(g[j]) + e[j] > alpha or w[j] != 0):
                idx[k] = j
                k += 1
    return k


def scaled_corr(const floating[::1] w, const floating[::1] g, double beta, bint positive,
                double err, double factor, double[::1] out):
    """``out_j = (xta_j + err) factor`` (``positive``) or ``(|xta_j| + err) factor``, with
    ``xta = g - beta w``: each feature's dual constraint at the scaled dual point, raised by
    the gradient's error bound ``err``."""
    cdef int p = w.shape[0]
    _check_length("g", g.shape[0], p, "n_features")
    _check_length("out", out.shape[0], p, "n_features")
    cdef double x
    cdef int j
    with nogil:
        for j in range(p):
            x = g[j] - beta * w[j]
            if not positive:
                x = fabs(x)
            out[j] = (x + err) * factor


def screen_and_rank(const double[::1] best_corr, const double[::1] corr,
                    const floating[::1] norms_beta, double radius, bint screen,
                    uint8_t[::1] screened, const floating[::1] w, double[::1] prio):
    """Gap Safe screening and the working set's ranking, one pass over the features.

    With ``screen``, feature j is marked in ``screened`` when ``best_corr_j + radius
    norms_beta_j < 1`` (the sphere around the best dual point proves it zero).  Then
    ``prio_j`` is +inf for a screened feature, -inf for one in the support (``w_j != 0``),
    else ``(1 - corr_j) / norms_beta_j`` (the distance of its constraint to activity, in
    units of its norm; +inf for a zero norm).  Returns ``(n_drop, n_candidates, nnz)``: the
    features of the support screened now (the caller zeroes them), the unscreened features,
    and the support's size once those are zeroed (earlier screened features are zero).
    """
    cdef int p = w.shape[0]
    for name, got in (("best_corr", best_corr.shape[0]), ("corr", corr.shape[0]),
                      ("norms_beta", norms_beta.shape[0]), ("screened", screened.shape[0]),
                      ("prio", prio.shape[0])):
        _check_length(name, got, p, "n_features")
    cdef int j, n_drop = 0, n_cand = 0, nnz = 0
    cdef double nb
    with nogil:
        for j in range(p):
            nb = norms_beta[j]
            if screen and not screened[j] and best_corr[j] + radius * nb < 1.0:
                screened[j] = 1
                if w[j] != 0:
                    n_drop += 1
            if screened[j]:
                prio[j] = INFINITY
            else:
                n_cand += 1
                if w[j] != 0:
                    nnz += 1
                    prio[j] = -INFINITY
                elif nb > 0:
                    prio[j] = (1.0 - corr[j]) / nb
                else:
                    prio[j] = INFINITY
    return n_drop, n_cand, nnz


# -- polishing from the Gram matrix -------------------------------------------------------------
cdef inline double _block_quad(const floating[:, ::1] G, const int32_t* sup, int k,
                               const double* x, double beta) noexcept nogil:
    """x^T (G[sup, sup] + beta I) x, in double."""
    cdef double acc = 0.0, v
    cdef int a, b
    for a in range(k):
        v = beta * x[a]
        for b in range(k):
            v += <double>G[sup[a], sup[b]] * x[b]
        acc += x[a] * v
    return acc


#: Ridge added to the unit-diagonal Newton block when it is singular (see polish_gram).
cdef double RIDGE_STEP = 1e-6


cdef bint _factor_block(const floating[:, ::1] G, const int32_t* sup, int k, double beta,
                        const double* scale, double* M, double ridge) noexcept nogil:
    """Cholesky factor (lower, column-major, leading dimension k) of the support's block of
    ``G + beta I`` scaled to unit diagonal, plus ``ridge I``, into ``M``.  False if the
    factorisation fails or its pivots say the block's condition number exceeds 1e10."""
    cdef int a, b, info
    cdef double v, dmin, dmax
    for b in range(k):
        for a in range(b, k):
            v = <double>G[sup[a], sup[b]] + (beta if a == b else 0.0)
            M[a + b * k] = v / (scale[a] * scale[b]) + (ridge if a == b else 0.0)
    info = _potrf[double](c'L', k, M, k)
    if info != 0:
        return False
    dmin = dmax = fabs(M[0])
    for a in range(1, k):
        v = fabs(M[a + a * k])
        dmin = min(dmin, v)
        dmax = max(dmax, v)
    return dmin * dmin > 1e-10 * dmax * dmax


def polish_gram(floating[::1] w, floating[::1] H, const floating[:, ::1] G, double alpha,
                double beta, bint positive, int max_support, int max_steps):
    """Active-set Newton steps (feature-sign search) on the Gram layout, in place.

    Called by ``CDProblem.polish`` (on a local Gram matrix; ``gram_path`` calls its core,
    ``_polish_gram``, on ``G`` itself) when coordinate descent crawls: at each step the
    support's block of ``G + beta I``, scaled to unit diagonal, is factorised by Cholesky (plus a small ridge if it is singular, see
    ``_factor_block``); the step of the current orthant is searched exactly over its
    sign-change breakpoints (the smallest best ``t``); the decrease is verified on the model;
    a coefficient that reaches zero leaves; after a full step the most violating feature
    outside enters.  ``w`` and ``H = q - G w`` are updated in place, in
    double precision.  Returns True if ``w`` moved.
    """
    cdef int p = w.shape[0]
    _check_length("H", H.shape[0], p, "n_features")
    if G.shape[0] != p or G.shape[1] != p:
        raise ValueError(f"G must have shape ({p}, {p}), got ({G.shape[0]}, {G.shape[1]}).")
    if max_support < 0 or max_steps < 0:
        raise ValueError("max_support and max_steps must be non-negative.")
    sup_, in_sup_, M_, work_ = _polish_buffers(max_support, p)
    cdef int32_t[::1] sup = sup_
    cdef uint8_t[::1] in_sup = in_sup_
    cdef double[::1] M = M_
    cdef double[:, ::1] work = work_
    cdef bint moved
    with nogil:
        moved = _polish_gram(w, H, G, alpha, beta, positive, max_support, max_steps, sup,
                             in_sup, M, work)
    return moved


def _polish_buffers(int max_support, int p):
    """``(sup, in_sup, M, work)`` for ``_polish_gram``: the support (at most max_support, plus
    the entering feature), the membership mask, the Cholesky factor and eight work rows."""
    cdef int cap = min(max_support, p) + 1
    return (np.empty(cap, dtype=np.int32), np.empty(p, dtype=np.uint8),
            np.empty(cap * cap, dtype=np.float64), np.empty((8, cap), dtype=np.float64))


cdef bint _polish_gram(floating[::1] w, floating[::1] H, const floating[:, ::1] G,
                       double alpha, double beta, bint positive, int max_support,
                       int max_steps, int32_t[::1] sup, uint8_t[::1] in_sup, double[::1] M,
                       double[:, ::1] work) noexcept nogil:
    """The steps of :func:`polish_gram` on checked arguments, in the given buffers (``sup``
    of min(max_support, p) + 1 entries, ``in_sup`` of p, ``M`` of len(sup)^2, ``work`` of 8
    rows of len(sup))."""
    cdef int p = w.shape[0]
    cdef int cap = sup.shape[0]
    cdef double[::1] sg = work[0], scale = work[1], gs = work[2], d = work[3]
    cdef double[::1] ws_ = work[4], t_cross = work[5], best_w = work[6], tmp = work[7]
    cdef int k = 0, j, a, b, step, best_j, n_leave
    cdef double v, best_v, slope, curv, t, t_best, change, change_best, l1_s, l1_t
    cdef bint moved = False, ok
    for j in range(p):
        in_sup[j] = 0
    for j in range(p):
        if w[j] != 0:
            if k == cap - 1:  # support larger than max_support: decline
                k = cap
                break
            sup[k] = j
            sg[k] = 1.0 if w[j] > 0 else -1.0
            in_sup[j] = 1
            k += 1
    for step in range(max_steps):
        if k == 0 or k > max_support:
            break
        ok = True
        for a in range(k):
            v = <double>G[sup[a], sup[a]] + beta
            if not v > 0:
                ok = False
                break
            scale[a] = sqrt(v)
        if not ok:
            break
        # the Newton system's block, scaled to unit diagonal; if it is (numerically)
        # singular -- more non-zeros than samples, collinear columns -- the step is
        # taken on it plus RIDGE_STEP I instead (a Levenberg-Marquardt step: still a
        # descent direction, steepest along the block's null space, where the line
        # search stops at the first coefficient reaching zero)
        if not _factor_block(G, &sup[0], k, beta, &scale[0], &M[0], 0.0):
            if not _factor_block(G, &sup[0], k, beta, &scale[0], &M[0], RIDGE_STEP):
                break
        for a in range(k):
            ws_[a] = w[sup[a]]
            gs[a] = <double>H[sup[a]] - beta * ws_[a]  # minus the smooth gradient
            d[a] = (gs[a] - alpha * sg[a]) / scale[a]
        _potrs[double](c'L', k, 1, &M[0], k, &d[0], k)
        ok = True
        for a in range(k):
            d[a] /= scale[a]
            if not fabs(d[a]) < INFINITY:
                ok = False
        if not ok:
            break
        slope = 0.0
        l1_s = 0.0
        for a in range(k):
            slope += gs[a] * d[a]
            l1_s += fabs(ws_[a])
            # where coefficient a crosses zero along the step (inf: never)
            t_cross[a] = -ws_[a] / d[a] if d[a] != 0 else INFINITY
        curv = _block_quad(G, &sup[0], k, &d[0], beta)
        # candidates: t = 1 and every breakpoint in (0, 1); the smallest best t wins
        change_best = INFINITY
        t_best = 2.0
        for b in range(-1, k):
            if b < 0:
                t = 1.0
            else:
                t = t_cross[b]
                if not (t > 0 and t < 1):
                    continue
            ok = True
            l1_t = 0.0
            for a in range(k):
                v = ws_[a] + t * d[a]
                if t_cross[a] == t:
                    v = 0.0
                if positive and v < 0:
                    ok = False
                    break
                tmp[a] = v
                l1_t += fabs(v)
            if not ok:
                continue
            change = -t * slope + 0.5 * t * t * curv + alpha * (l1_t - l1_s)
            if change < change_best or (change == change_best and t < t_best):
                change_best, t_best = change, t
                for a in range(k):
                    best_w[a] = tmp[a]
        if not change_best < 0:
            break
        # the decrease, verified on the model with the chosen point
        change = 0.0
        l1_t = 0.0
        for a in range(k):
            tmp[a] = best_w[a] - ws_[a]
            change -= gs[a] * tmp[a]
            l1_t += fabs(best_w[a])
        change += 0.5 * _block_quad(G, &sup[0], k, &tmp[0], beta) + alpha * (l1_t - l1_s)
        if not change < 0:  # rounding beat the predicted decrease
            break
        # move: w, H -= G[:, S] delta (G symmetric and C-ordered: rows are contiguous)
        for a in range(k):
            if tmp[a] != 0:
                v = tmp[a]
                for j in range(p):
                    H[j] = <floating>(<double>H[j] - <double>G[sup[a], j] * v)
            w[sup[a]] = <floating>best_w[a]
        moved = True
        n_leave = 0
        b = 0
        for a in range(k):
            if best_w[a] == 0:
                in_sup[sup[a]] = 0
                n_leave += 1
                continue
            sup[b] = sup[a]
            sg[b] = 1.0 if best_w[a] > 0 else -1.0
            b += 1
        k = b
        if n_leave:
            continue
        # the most violating feature outside the support enters
        best_j = -1
        best_v = alpha
        for j in range(p):
            if in_sup[j]:
                continue
            v = <double>H[j] if positive else fabs(<double>H[j])
            if v > best_v:
                best_v, best_j = v, j
        if best_j < 0 or k + 1 >= cap:
            break
        sup[k] = best_j
        sg[k] = 1.0 if H[best_j] > 0 else -1.0
        in_sup[best_j] = 1
        k += 1
    return moved


# ------------------------------------------------------------------------------------------------
# A whole path on the Gram layout

cdef inline int _count_nonzero(const floating[::1] w) noexcept nogil:
    cdef int j, nnz = 0
    for j in range(w.shape[0]):
        nnz += w[j] != 0
    return nnz


cdef inline bint _zero_may_be_optimal(const floating[::1] w, const floating[::1] q,
                                      double alpha, bint positive) noexcept nogil:
    """Whether ``w`` is 0 and every correlation ``q_j = Xc_j^T yc`` is within ``alpha`` (only
    the positive ones with ``positive``): then ``w = 0`` is the solution (alpha >= alpha_max),
    up to the rounding of q, which the gap check that follows settles."""
    cdef int j
    for j in range(w.shape[0]):
        if w[j] != 0 or q[j] > alpha or (not positive and -q[j] > alpha):
            return False
    return True


cdef inline int _gram_polish_interval(int p, int k, double backoff, int max_iter,
                                      int polish_every, double polish_steps,
                                      double polish_cost) noexcept nogil:
    """Epochs before a polishing step on the Gram layout (``CDProblem._polish_interval``):
    enough that the epochs (p^2 multiply-adds each, at most) cost what ``polish_steps``
    Newton steps from a support of ``k`` do, ``k^3 / 3`` plus ``polish_cost`` each; at least
    ``polish_every``; at the latest once half of ``max_iter`` is spent; times ``backoff``."""
    cdef double epoch = max(<double>p * p, 1.0)
    cdef double every = max(<double>polish_every,
                            ceil(polish_steps * ((<double>k * k * k) / 3.0 + polish_cost)
                                 / epoch))
    every = min(every, <double>max(polish_every, max_iter // 2))
    return <int>min(backoff * every, <double>max_iter)


def gram_path(floating[::1] w, floating[::1] H, const floating[:, ::1] G,
              const floating[::1] q, floating y_norm2, const floating[::1] alphas,
              const floating[::1] betas, floating tol, int max_iter, bint positive,
              bint random, uint32_t seed, bint screen, int shed_from, floating[:, :] coefs,
              double[::1] gaps, int32_t[::1] n_iters, int gap_freq, int polish_every,
              double polish_expected, double polish_cost, int max_support, int polish_steps,
              int anderson=ANDERSON_K, bint check_first=False):
    """Minimise (P) on the Gram layout for each ``(alphas[i], betas[i])`` in turn, each from
    the previous solution (a path's warm starts), without returning to Python in between.
    ``check_first``: the first alpha's warm start is checked before any epoch, and kept (0
    epochs) if it meets ``tol`` already, as scikit-learn's solver does.

    Per alpha, the solver's alternation (``CDProblem._epochs_and_polish``): kernel epochs over
    all features (``enet_cd_gram``, ``ws`` starting as 0..p-1) for the epochs before a
    polishing step (``_gram_polish_interval``: ``polish_expected`` steps costing
    ``polish_cost`` multiply-adds beyond their O(k^3)), then a polishing step (``polish_gram``:
    at most ``polish_steps`` Newton steps, plus one per non-zero beyond ``shed_from``, usually
    n_samples; after a failed one the interval doubles), until the gap is at most ``tol`` or
    ``max_iter`` epochs are spent.  ``w`` and ``H = q - G w`` (exact on entry) are updated in
    place.  Column i of ``coefs`` (p x n_alphas) receives the solution, ``gaps[i]`` its gap
    (sum scale) and ``n_iters[i]`` its epochs.
    """
    cdef int p = G.shape[0]
    cdef int n_alphas = alphas.shape[0]
    cdef int i, j, n_iter, budget
    cdef double backoff, gap
    cdef bint done
    cdef (double, int, int) out
    _check_gram_args(G, w, H, q)
    _check_length("betas", betas.shape[0], n_alphas, "len(alphas)")
    _check_length("gaps", gaps.shape[0], n_alphas, "len(alphas)")
    _check_length("n_iters", n_iters.shape[0], n_alphas, "len(alphas)")
    if coefs.shape[0] != p or coefs.shape[1] != n_alphas:
        raise ValueError(f"coefs must have shape ({p}, {n_alphas}), got "
                         f"({coefs.shape[0]}, {coefs.shape[1]}).")
    if not y_norm2 >= 0:
        raise ValueError(f"y_norm2 must be >= 0, got {y_norm2}.")
    if max_support < 0 or polish_steps < 0 or shed_from < 0:
        raise ValueError("max_support, polish_steps and shed_from must be >= 0.")
    cdef int32_t[::1] ws = np.arange(p, dtype=np.int32)
    for i in range(n_alphas):
        _check_solver_args(ws, p, alphas[i], betas[i], tol, max_iter, gap_freq)

    dtype = np.float64 if floating is double else np.float32
    cdef floating[::1] XtA = np.empty(p, dtype=dtype)
    # Anderson buffers for the longest call (a call of at most ``anderson`` epochs runs
    # without: _anderson_buffers' rule)
    K_max, hist_, U_, ext_, He_ = _anderson_buffers(anderson, random, max_iter, p, p, dtype)
    cdef double[:, ::1] hist = hist_, U = U_
    cdef double[::1] ext = ext_
    cdef floating[::1] He = He_
    cdef int K_on = K_max
    sup_, in_sup_, M_, work_ = _polish_buffers(max_support, p)
    cdef int32_t[::1] sup = sup_
    cdef uint8_t[::1] in_sup = in_sup_
    cdef double[::1] M = M_
    cdef double[:, ::1] work = work_
    with nogil:
        for i in range(n_alphas):
            for j in range(p):
                ws[j] = j
            n_iter = 0
            backoff = 1
            done = False
            # a warm start that is optimal already stays as it is, and so does w = 0 at
            # alpha >= alpha_max: no epoch (0 iterations, as scikit-learn counts them)
            if (i == 0 and check_first) or _zero_may_be_optimal(w, q, alphas[i], positive):
                gap = _gram_epochs(w, H, G, q, y_norm2, ws, alphas[i], betas[i], tol, 0,
                                   gap_freq, positive, random, seed, screen, 0, XtA, hist, U,
                                   ext, He)[0]
                done = 0 <= gap <= tol  # a negative gap is rounding: run the epochs
            while not done:
                budget = min(_gram_polish_interval(p, _count_nonzero(w), backoff, max_iter,
                                                   polish_every,
                                                   polish_expected, polish_cost),
                             max_iter - n_iter)
                out = _gram_epochs(w, H, G, q, y_norm2, ws, alphas[i], betas[i], tol, budget,
                                   gap_freq, positive, random, seed, screen,
                                   K_on if budget > anderson else 0, XtA, hist, U, ext, He)
                gap = out[0]
                n_iter += max(out[1], 1)
                if gap <= tol or n_iter >= max_iter:
                    break
                if not _polish_gram(w, H, G, alphas[i], betas[i], positive, max_support,
                                    polish_steps + max(0, _count_nonzero(w) - shed_from), sup,
                                    in_sup, M, work):
                    backoff *= 2
                    continue
                gap = _gram_epochs(w, H, G, q, y_norm2, ws, alphas[i], betas[i], tol, 0,
                                   gap_freq, positive, random, seed, screen, 0, XtA, hist, U,
                                   ext, He)[0]
                if gap <= tol:
                    break
            for j in range(p):
                coefs[j, i] = w[j]
            gaps[i] = gap
            n_iters[i] = n_iter
            with gil:  # a long path (or CV fold) stays interruptible between its alphas
                PyErr_CheckSignals()
