"""Regularisation paths: the alpha grid, ``enet_path`` and ``lasso_path``.

A path runs the coordinate-descent solver down a descending alpha grid, each fit warm-started from
the previous one; the working sets of the solver start from the previous support, which is the
sequential (strong-rule style) screening, made safe by the gap-safe test at every gap check.
"""
import functools
import warnings
from numbers import Integral, Real

import numpy as np
import scipy.sparse as sp
from sklearn.utils import check_random_state

from ._base import (
    Design,
    Hidden,
    Interval,
    StrOptions,
    _check_precomputed_gram_matrix,
    check_array,
    get_config,
    validate_parameter_constraints,
)
from ._cd_solver import CDProblem, warm_start_checkable

RESOLUTION = np.finfo(np.float64).resolution


def alpha_grid(Xty, sw_sum, *, l1_ratio=1.0, eps=1e-3, n_alphas=100, positive=False):
    """scikit-learn's alpha grid from ``Xty = Xc^T yc`` (shape (p,) or (p, n_targets)).

    ``alpha_max`` is the smallest alpha giving all-zero coefficients in the 1/(2 n) scaling;
    the grid is ``n_alphas`` values log-spaced from ``alpha_max`` down to ``eps * alpha_max``.
    """
    if l1_ratio == 0:
        raise ValueError(
            "Automatic alpha grid generation is not supported for l1_ratio=0. "
            "Please supply a grid by providing your estimator with the appropriate "
            "`alphas=` argument."
        )
    Xty = np.asarray(Xty, dtype=np.float64)
    if Xty.ndim == 1:
        Xty = Xty[:, None]
    if positive:
        top = max(0.0, float(np.max(Xty))) if Xty.size else 0.0
    else:
        top = float(np.sqrt(np.max(np.sum(Xty**2, axis=1)))) if Xty.size else 0.0
    alpha_max = top / (sw_sum * l1_ratio)
    if not np.all(np.isfinite(Xty)):  # past assume_finite=True, or overflowing values
        raise ValueError("X^T y is not finite: X or y has values too large for their dtype "
                         "(or NaN/infinity, when assume_finite=True skipped scikit-learn's "
                         "check); rescale them, e.g. with StandardScaler.")
    if alpha_max <= RESOLUTION:
        return np.full(n_alphas, RESOLUTION)
    return np.geomspace(alpha_max, alpha_max * eps, num=n_alphas)


def _resolve_alphas(n_alphas, alphas, stacklevel):
    """scikit-learn 1.9's handling of the deprecated ``n_alphas`` and ``alphas=None``; the
    FutureWarnings point ``stacklevel`` frames up."""
    resolved = 100
    if n_alphas != "deprecated":
        warnings.warn(
            "'n_alphas' was deprecated in 1.9 and will be removed in 1.11. 'alphas' now "
            "accepts an integer value which removes the need to pass 'n_alphas'. The "
            "default value of 'alphas' will change from None to 100 in 1.11. Pass an "
            "explicit value to 'alphas' and leave 'n_alphas' to its default value to "
            "silence this warning.",
            FutureWarning,
            stacklevel=stacklevel,
        )
        resolved = n_alphas
    if isinstance(alphas, str) and alphas == "warn":
        pass
    elif alphas is None:
        warnings.warn(
            "'alphas=None' is deprecated and will be removed in 1.11, at which point the "
            "default value will be set to 100. Set 'alphas=100' to silence this warning.",
            FutureWarning,
            stacklevel=stacklevel,
        )
    else:
        resolved = alphas
    return resolved


def solve_path(problem, yc, alphas, l1_ratio, *, coef_init=None, tol=1e-4, max_iter=1000,
               positive=False, random=False, seed=0, q=None, verbose=False):
    """Coefficients along ``alphas`` (1/(2n) scaling, any order) for one target.

    ``q = Xc^T yc`` may be given (the Gram layout's right-hand side; for the others the first
    gradient when starting from zero).  Returns ``coefs (p, n_alphas)``, ``gaps`` (1/(2n)
    scaling) and ``n_iters``.
    """
    n = problem.n_samples
    dtype = problem.dtype
    w = np.zeros(problem.n_features, dtype=dtype) if coef_init is None else \
        np.array(coef_init, dtype=dtype, copy=True).ravel()
    sw_sum = problem.sw_sum
    q = problem.trusted_q(q)
    if problem.layout == "gram":  # the whole path in one compiled call
        if q is None:
            q = problem.rmatvec(yc)  # the Gram layout's right-hand side, for every alpha
        a = np.asarray(alphas, dtype=np.float64)
        # the single conversion from scikit-learn's 1/(2 n) objective to the kernels' sum scale
        coefs, gaps, n_iters = problem.gram_path(
            yc, q, w, a * l1_ratio * sw_sum, a * (1.0 - l1_ratio) * sw_sum, tol=tol,
            max_iter=max_iter, positive=positive, random=random, seed=seed,
            check_first=warm_start_checkable(w, positive))  # kept if optimal already
        gaps, n_iters = gaps / n, [int(k) for k in n_iters]
        if verbose:
            for i, alpha in enumerate(alphas):
                _report(i, len(alphas), alpha, gaps[i], n_iters[i])
        return coefs, gaps, n_iters
    coefs = np.empty((problem.n_features, len(alphas)), dtype=dtype)
    gaps = np.empty(len(alphas))
    n_iters = []
    g0 = R = None
    # many alphas reuse the Gram rows of the features they move: cache them, unless X is small
    # enough to stay in the last-level cache (a pass over it is then the cheaper gradient)
    problem.cache_gradients = len(alphas) > 1 and problem.rows_pay()
    for i, alpha in enumerate(alphas):
        if i:
            q = None  # Xc^T yc is the gradient at w = 0 only: it served the first alpha
        # the same conversion
        l1 = alpha * l1_ratio * sw_sum
        l2 = alpha * (1.0 - l1_ratio) * sw_sum
        gap, n_iter = problem.solve(yc, w, l1, l2, tol=tol, max_iter=max_iter,
                                    positive=positive, random=random, seed=seed, q=q, g0=g0,
                                    R=R)
        # the final residual and gradient of this alpha are the first ones of the next
        g0, R = problem.last_gradient, problem.last_residual
        coefs[:, i] = w
        gaps[i] = gap / n
        n_iters.append(n_iter)
        if verbose:
            _report(i, len(alphas), alpha, gaps[i], n_iter)
    return coefs, gaps, n_iters


def _report(i, n_alphas, alpha, gap, n_iter):
    """The verbose line of a path's alpha ``i`` (gap in the 1/(2n) scale)."""
    print(f"[fastreg] path: alpha {i + 1:03d}/{n_alphas:03d} = {alpha:.4g}, gap {gap:.3e}, "
          f"{n_iter} epochs")


#: scikit-learn 1.9's parameter constraints of ``lasso_path`` (``enet_path`` adds ``l1_ratio``
#: and ``check_input``): the same InvalidParameterError for the same values.
_PATH_CONSTRAINTS = {
    "X": ["array-like", "sparse matrix"],
    "y": ["array-like", "sparse matrix"],
    "eps": [Interval(Real, 0, None, closed="neither")],
    "n_alphas": [Interval(Integral, 1, None, closed="left"), Hidden(StrOptions({"deprecated"}))],
    "alphas": [Interval(Integral, 1, None, closed="left"), "array-like", None,
               Hidden(StrOptions({"warn"}))],
    "precompute": [StrOptions({"auto"}), "boolean", "array-like"],
    "Xy": ["array-like", None],
    "copy_X": ["boolean"],
    "coef_init": ["array-like", None],
    "verbose": ["verbose"],
    "return_n_iter": ["boolean"],
    "positive": ["boolean"],
}


def _validate_params(constraints):
    """scikit-learn's ``validate_params`` for the path functions, checking only the arguments
    given (the defaults are valid): the same InvalidParameterError, without its ~80 us of
    signature binding per call, which a 20 x 15 path (0.3 ms) would feel."""
    def decorate(func):
        @functools.wraps(func)
        def wrapper(X, y, **kwargs):
            if not get_config()["skip_parameter_validation"]:
                given = {"X": X, "y": y, **{k: v for k, v in kwargs.items() if k in constraints}}
                validate_parameter_constraints({k: constraints[k] for k in given}, given,
                                               caller_name=func.__qualname__)
            return func(X, y, **kwargs)
        return wrapper
    return decorate


@_validate_params({**_PATH_CONSTRAINTS, "l1_ratio": [Interval(Real, 0.0, 1.0, closed="both")],
                   "check_input": ["boolean"]})
def enet_path(X, y, *, l1_ratio=0.5, eps=1e-3, n_alphas="deprecated", alphas="warn",
              precompute="auto", Xy=None, copy_X=True, coef_init=None, verbose=False,
              return_n_iter=False, positive=False, check_input=True, **params):
    """Compute the elastic-net path with coordinate descent (scikit-learn's ``enet_path``).

    For a single target the objective is::

        1 / (2 * n_samples) * ||y - Xw||^2_2
        + alpha * l1_ratio * ||w||_1
        + 0.5 * alpha * (1 - l1_ratio) * ||w||^2_2

    No intercept is fitted: centre X and y first if needed (as in scikit-learn).

    Parameters
    ----------
    X : {array-like, sparse matrix} of shape (n_samples, n_features)
    y : array-like of shape (n_samples,) or (n_samples, n_targets)
        Two-dimensional y selects scikit-learn's multi-task (L2,1) path, which fastreg
        delegates to scikit-learn.
    l1_ratio : float, default=0.5
    eps : float, default=1e-3
        ``alpha_min / alpha_max`` of the generated grid.
    n_alphas : int, default='deprecated'
        Deprecated in scikit-learn 1.9; use ``alphas`` as an integer.
    alphas : int or array-like, default=100 (spelled 'warn' as in scikit-learn 1.9)
        Number of alphas on the generated grid, or the alphas themselves.
    precompute : 'auto', bool or array-like of shape (n_features, n_features)
        Use the Gram (covariance) layout; 'auto' does when n_samples > n_features.
    Xy : array-like of shape (n_features,), default=None
        ``X^T y``, used with a precomputed Gram matrix.
    copy_X : bool, default=True
        X is never modified by fastreg; accepted for compatibility.
    coef_init : ndarray of shape (n_features,), default=None
    verbose : bool or int, default=False
    return_n_iter : bool, default=False
    positive : bool, default=False
    check_input : bool, default=True
    **params : tol, max_iter, random_state, selection.

    Returns
    -------
    alphas : ndarray of shape (n_alphas,)
    coefs : ndarray of shape (n_features, n_alphas)
    dual_gaps : ndarray of shape (n_alphas,)
    n_iters : list of int (only with ``return_n_iter=True``)

    Examples
    --------
    >>> import numpy as np
    >>> from fastreg import enet_path
    >>> X = np.array([[1.0, 2.0], [3.0, 4.0], [5.0, 7.0]]); y = np.array([1.0, 2.0, 3.1])
    >>> alphas, coefs, gaps = enet_path(X, y, alphas=[5.0, 1.0, 0.5])
    >>> coefs.shape
    (2, 3)
    """
    _alphas = _resolve_alphas(n_alphas, alphas, stacklevel=4)  # past the validation wrapper
    tol = params.pop("tol", 1e-4)
    max_iter = params.pop("max_iter", 1000)
    random_state = params.pop("random_state", None)
    selection = params.pop("selection", "cyclic")
    if params:
        raise ValueError("Unexpected parameters in params", params.keys())
    if selection not in ("random", "cyclic"):
        raise ValueError("selection should be either random or cyclic.")

    if check_input:
        X = check_array(X, accept_sparse="csc", dtype=[np.float64, np.float32], order="F",
                        accept_large_sparse=False)
        y = check_array(y, dtype=X.dtype, order="F", ensure_2d=False)
    if y.ndim != 1:  # also (n, 1): scikit-learn's multi-task path, coefs (n_targets, p, k)
        if positive:
            raise ValueError("positive=True is not allowed for multi-output (y.ndim != 1)")
        from sklearn.linear_model import enet_path as sk_enet_path  # multi-task L2,1 penalty

        return sk_enet_path(X, y, l1_ratio=l1_ratio, eps=eps, alphas=_alphas,
                            precompute=precompute, Xy=Xy, copy_X=copy_X, coef_init=coef_init,
                            verbose=verbose, return_n_iter=return_n_iter, positive=positive,
                            check_input=check_input, tol=tol, max_iter=max_iter,
                            random_state=random_state, selection=selection)
    y = np.asarray(y, dtype=X.dtype).ravel()
    if X.shape[0] != y.shape[0]:
        raise ValueError(f"X and y have inconsistent numbers of samples: {X.shape[0]} and "
                         f"{y.shape[0]}.")
    n_samples, n_features = X.shape
    design = Design(X, y, np.zeros(n_features, dtype=X.dtype), 0.0,
                    np.ones(n_samples, dtype=X.dtype), float(n_samples), False, False)

    gram = None
    if sp.issparse(X):
        precompute = False
    elif isinstance(precompute, str) and precompute == "auto":
        precompute = n_samples > n_features
    if hasattr(precompute, "__array__"):
        gram = check_array(precompute, dtype=X.dtype, order="C")
        if gram.shape != (n_features, n_features):
            raise ValueError(f"The precomputed Gram matrix must have shape "
                             f"({n_features}, {n_features}), got {gram.shape}.")
        if check_input:  # scikit-learn's check of one entry against X, in G's own dtype
            _check_precomputed_gram_matrix(X, np.asarray(precompute), design.x_offset,
                                           np.ones(n_features, dtype=X.dtype))
    elif precompute is True:
        gram = True  # CDProblem computes X^T X (by syrk)
    elif precompute is not False:
        raise ValueError("Precompute should be one of True, False, 'auto' or array-like. "
                         f"Got {precompute!r}")
    problem = CDProblem(design, gram=gram)
    if gram is not None and Xy is not None:
        q = check_array(Xy, dtype=X.dtype, ensure_2d=False).ravel()
    else:
        q = problem.rmatvec(y) if gram is not None else None

    if isinstance(_alphas, Integral):
        Xty = q if q is not None else problem.rmatvec(y)
        alphas_ = alpha_grid(Xty, n_samples, l1_ratio=l1_ratio, eps=eps, n_alphas=_alphas,
                             positive=positive)
    else:
        alphas_ = np.sort(np.asarray(_alphas, dtype=np.float64).ravel())[::-1]
        if not np.all(np.isfinite(alphas_)) or alphas_.size and alphas_[-1] < 0:
            raise ValueError(f"alphas must be finite and non-negative, got {_alphas!r}.")

    seed = int(check_random_state(random_state).randint(np.iinfo(np.int32).max))
    coefs, gaps, n_iters = solve_path(
        problem, y, alphas_, l1_ratio, coef_init=coef_init, tol=tol, max_iter=max_iter,
        positive=positive, random=selection == "random", seed=seed, q=q, verbose=verbose,
    )
    if return_n_iter:
        return alphas_, coefs, gaps, n_iters
    return alphas_, coefs, gaps


@_validate_params(_PATH_CONSTRAINTS)
def lasso_path(X, y, *, eps=1e-3, n_alphas="deprecated", alphas="warn", precompute="auto",
               Xy=None, copy_X=True, coef_init=None, verbose=False, return_n_iter=False,
               positive=False, **params):
    """Compute the Lasso path with coordinate descent (scikit-learn's ``lasso_path``).

    The objective is ``(1 / (2 * n_samples)) * ||y - Xw||^2_2 + alpha * ||w||_1``; see
    :func:`enet_path` for the parameters (``l1_ratio`` is fixed to 1).

    Examples
    --------
    >>> import numpy as np
    >>> from fastreg import lasso_path
    >>> X = np.array([[1.0, 2.0], [3.0, 4.0], [5.0, 7.0]]); y = np.array([1.0, 2.0, 3.1])
    >>> alphas, coefs, _ = lasso_path(X, y, alphas=[5.0, 1.0, 0.5])
    >>> coefs.shape
    (2, 3)
    """
    alphas = _resolve_alphas(n_alphas, alphas, stacklevel=4)
    # its arguments are validated: the unchecked enet_path
    return enet_path.__wrapped__(X, y, l1_ratio=1.0, eps=eps, alphas=alphas,
                                 precompute=precompute, Xy=Xy, copy_X=copy_X,
                                 coef_init=coef_init, verbose=verbose,
                                 return_n_iter=return_n_iter, positive=positive, **params)
