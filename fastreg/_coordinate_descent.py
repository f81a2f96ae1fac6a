"""Lasso and ElasticNet: drop-in replacements for scikit-learn's estimators of the same names."""
import numbers
import warnings
from numbers import Integral, Real

import numpy as np
import scipy.sparse as sp
from sklearn.base import MultiOutputMixin, RegressorMixin, BaseEstimator
from sklearn.utils import check_random_state

from ._base import (
    CachedParamChecks,
    Interval,
    LinearPredictorMixin,
    StrOptions,
    _check_precomputed_gram_matrix,
    _fit_context,
    check_array,
    check_sample_weight,
    intercept_from,
    preprocess,
    validate_X_y,
)
from ._cd_solver import CDProblem
from ._path import enet_path, solve_path


def warn_alpha_zero(stacklevel):
    """scikit-learn's UserWarning for a fit at alpha = 0."""
    warnings.warn("With alpha=0, this algorithm does not converge well. You are advised to use "
                  "the LinearRegression estimator", stacklevel=stacklevel)


def choose_gram(design, precompute, check=True):
    """``CDProblem``'s ``gram`` for scikit-learn's ``precompute`` values: the user's Gram
    matrix, True (compute ``Xc^T Xc``) or None (no Gram layout).

    As in scikit-learn, a user's Gram matrix is recomputed (with a warning) when fitting the
    intercept centres X noticeably, and otherwise (unless ``check`` is False: ``fit``'s
    ``check_input``) checked on one entry against X (rows scaled by the square roots of the
    sample weights), in the Gram matrix's own dtype's tolerance."""
    X = design.X
    n_samples, n_features = X.shape
    if sp.issparse(X):
        return None
    if hasattr(precompute, "__array__"):
        if design.fit_intercept and not np.allclose(design.x_offset, 0):
            warnings.warn(
                "Gram matrix was provided but X was centered to fit intercept: "
                "recomputing Gram matrix.",
                UserWarning,
                stacklevel=4,
            )
            precompute = "auto"
        else:
            gram = check_array(precompute, dtype=X.dtype, order="C")
            if gram.shape != (n_features, n_features):
                raise ValueError(f"The precomputed Gram matrix must have shape "
                                 f"({n_features}, {n_features}), got {gram.shape}.")
            if check:  # X's rows carry sqrt(sample_weight); the offsets are (close to) 0
                _check_precomputed_gram_matrix(X, np.asarray(precompute), design.x_offset,
                                               np.ones(n_features, dtype=X.dtype))
            return gram
    if isinstance(precompute, str):  # "auto"
        precompute = n_samples > n_features
    return True if precompute else None


class ElasticNet(MultiOutputMixin, RegressorMixin, LinearPredictorMixin, CachedParamChecks,
                 BaseEstimator):
    """Linear regression with combined L1 and L2 priors as regularizer.

    Minimizes the objective function::

        1 / (2 * n_samples) * ||y - Xw - b||^2_2
        + alpha * l1_ratio * ||w||_1
        + 0.5 * alpha * (1 - l1_ratio) * ||w||^2_2

    with the intercept ``b`` unpenalized.  Drop-in replacement for
    :class:`sklearn.linear_model.ElasticNet` (same parameters, defaults, attributes, warnings
    and errors), solved by fastreg's compiled coordinate descent with gap-safe screening and
    working sets.  Features on different scales should be standardized first
    (``StandardScaler`` in a ``Pipeline``): the penalty treats all coefficients alike.

    Parameters
    ----------
    alpha : float, default=1.0
        Constant that multiplies the penalty terms.
    l1_ratio : float, default=0.5
        Mixing parameter, ``0 <= l1_ratio <= 1`` (1 is the Lasso).
    fit_intercept : bool, default=True
    precompute : bool or array-like of shape (n_features, n_features), default=False
        Use a Gram matrix (covariance updates); 'auto' is not accepted here, as in
        scikit-learn's ElasticNet.  Ignored for sparse X.
    max_iter : int, default=1000
        Maximum number of coordinate-descent epochs.
    copy_X : bool, default=True
        fastreg never modifies X (the intercept is handled by implicit centring).
    tol : float, default=1e-4
        Stop when the duality gap is at most ``tol * ||y - mean(y)||^2`` (the gap of the
        sum-scaled problem ``n_samples`` times the objective above, weighted and centred y), as
        in scikit-learn.
    warm_start : bool, default=False
    positive : bool, default=False
    random_state : int, RandomState instance or None, default=None
        Used with ``selection='random'``.
    selection : {'cyclic', 'random'}, default='cyclic'

    Attributes
    ----------
    coef_ : ndarray of shape (n_features,) or (n_targets, n_features)
    sparse_coef_ : sparse matrix of shape (n_features,) or (n_targets, n_features)
    intercept_ : float or ndarray of shape (n_targets,)
    n_iter_ : int or list of int
        Coordinate-descent epochs run (per target).
    dual_gap_ : float or ndarray of shape (n_targets,)
        Duality gap at the end of the fit, in the objective's 1/(2 n) scaling.
    n_features_in_ : int
    feature_names_in_ : ndarray of shape (n_features_in_,)

    Examples
    --------
    >>> from fastreg import ElasticNet
    >>> from sklearn.datasets import make_regression
    >>> X, y = make_regression(n_features=2, random_state=0)
    >>> regr = ElasticNet(random_state=0).fit(X, y)
    >>> regr.coef_.round(3)
    array([18.838, 64.56 ])
    """

    _parameter_constraints: dict = {
        "alpha": [Interval(Real, 0, None, closed="left")],
        "l1_ratio": [Interval(Real, 0, 1, closed="both")],
        "fit_intercept": ["boolean"],
        "precompute": ["boolean", "array-like"],
        "max_iter": [Interval(Integral, 1, None, closed="left"), None],
        "copy_X": ["boolean"],
        "tol": [Interval(Real, 0, None, closed="left")],
        "warm_start": ["boolean"],
        "positive": ["boolean"],
        "random_state": ["random_state"],
        "selection": [StrOptions({"cyclic", "random"})],
    }

    def __init__(self, alpha=1.0, *, l1_ratio=0.5, fit_intercept=True, precompute=False,
                 max_iter=1000, copy_X=True, tol=1e-4, warm_start=False, positive=False,
                 random_state=None, selection="cyclic"):
        self.alpha = alpha
        self.l1_ratio = l1_ratio
        self.fit_intercept = fit_intercept
        self.precompute = precompute
        self.max_iter = max_iter
        self.copy_X = copy_X
        self.tol = tol
        self.warm_start = warm_start
        self.positive = positive
        self.random_state = random_state
        self.selection = selection

    @_fit_context(prefer_skip_nested_validation=True)
    def fit(self, X, y, sample_weight=None, check_input=True):
        """Fit the model by coordinate descent.

        Parameters
        ----------
        X : {ndarray, sparse matrix} of shape (n_samples, n_features)
        y : ndarray of shape (n_samples,) or (n_samples, n_targets)
            Cast to X's dtype.
        sample_weight : float or array-like of shape (n_samples,), default=None
            Rescaled internally to sum to n_samples, as in scikit-learn.
        check_input : bool, default=True
            False skips the check of a user's Gram matrix (``precompute``), as in
            scikit-learn; X and y are validated anyway.

        Returns
        -------
        self : object
        """
        if self.alpha == 0:
            warn_alpha_zero(stacklevel=4)  # the caller of fit (past the _fit_context wrapper)
        # X's NaN/inf check happens in preprocess's single pass over X
        X, y = validate_X_y(self, X, y, accept_sparse=("csc",), ensure_all_finite=False)
        n_samples, n_features = X.shape
        if isinstance(sample_weight, numbers.Number):
            sample_weight = None
        sample_weight = check_sample_weight(sample_weight, X)
        if sample_weight is not None:
            # the objective is invariant to the scale of sw; scikit-learn's alpha assumes
            # sum(sw) = n_samples
            sample_weight = sample_weight * (n_samples / np.sum(sample_weight))
        design = preprocess(X, y, fit_intercept=self.fit_intercept,
                            sample_weight=sample_weight, with_norms=True, check_finite=True,
                            estimator_name=type(self).__name__)
        problem = CDProblem(design, gram=choose_gram(design, self.precompute, check_input))

        Y = design.yc if design.yc.ndim == 2 else design.yc[:, None]
        n_targets = Y.shape[1]
        if self.warm_start and hasattr(self, "coef_"):
            coef = np.array(np.atleast_2d(self.coef_), dtype=X.dtype, order="C")
        else:
            coef = np.zeros((n_targets, n_features), dtype=X.dtype)
        seed = int(check_random_state(self.random_state).randint(np.iinfo(np.int32).max))
        gaps = np.zeros(n_targets, dtype=X.dtype)
        n_iters = []
        for k in range(n_targets):
            yk = np.ascontiguousarray(Y[:, k])
            coefs, gap, n_iter = solve_path(
                problem, yk, [self.alpha], self.l1_ratio, coef_init=coef[k], tol=self.tol,
                max_iter=self.max_iter, positive=self.positive,
                random=self.selection == "random", seed=seed,
                q=design.xty if k == 0 else None,
            )
            coef[k] = coefs[:, 0]
            gaps[k] = gap[0]
            n_iters.append(n_iter[0])
        if n_targets == 1:  # scikit-learn flattens a single-column y's results too
            self.coef_, self.dual_gap_, self.n_iter_ = coef[0], gaps[0], n_iters[0]
        else:
            self.coef_, self.dual_gap_, self.n_iter_ = coef, gaps, n_iters
        self.intercept_ = intercept_from(design, self.coef_)
        if not (np.isfinite(self.coef_).all() and np.isfinite(self.intercept_).all()):
            raise ValueError("Coordinate descent iterations resulted in non-finite parameter "
                             "values. The input data may contain large values and need to be "
                             "preprocessed.")
        return self

    @property
    def sparse_coef_(self):
        """Sparse representation of the fitted ``coef_``."""
        return sp.csr_matrix(np.atleast_2d(self.coef_))

    path = staticmethod(enet_path)

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.sparse = True
        tags.target_tags.multi_output = True
        return tags


class Lasso(ElasticNet):
    """Linear Model trained with L1 prior as regularizer (aka the Lasso).

    The optimization objective for Lasso is::

        (1 / (2 * n_samples)) * ||y - Xw - b||^2_2 + alpha * ||w||_1

    with the intercept ``b`` unpenalized.  Drop-in replacement for
    :class:`sklearn.linear_model.Lasso`; see :class:`ElasticNet` for the parameters and
    attributes (``l1_ratio`` is fixed to 1).  Standardize features on different scales first.

    Examples
    --------
    >>> from fastreg import Lasso
    >>> clf = Lasso(alpha=0.1).fit([[0, 0], [1, 1], [2, 2]], [0, 1, 2])
    >>> clf.coef_.round(3)
    array([0.85, 0.  ])
    >>> round(float(clf.intercept_), 2)
    0.15
    """

    _parameter_constraints: dict = {
        **ElasticNet._parameter_constraints,
    }
    _parameter_constraints.pop("l1_ratio")

    # ``path`` stays ElasticNet's ``enet_path`` (l1_ratio=0.5 by default), as in scikit-learn

    def __init__(self, alpha=1.0, *, fit_intercept=True, precompute=False, copy_X=True,
                 max_iter=1000, tol=1e-4, warm_start=False, positive=False, random_state=None,
                 selection="cyclic"):
        super().__init__(alpha=alpha, l1_ratio=1.0, fit_intercept=fit_intercept,
                         precompute=precompute, max_iter=max_iter, copy_X=copy_X, tol=tol,
                         warm_start=warm_start, positive=positive, random_state=random_state,
                         selection=selection)
