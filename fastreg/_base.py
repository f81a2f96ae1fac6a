"""Validation and preprocessing shared by every fastreg estimator.

This is the only module that imports scikit-learn's private API (``_fit_context``,
``_check_sample_weight``, ``_safe_indexing``, ``_check_precomputed_gram_matrix``,
``_raise_for_params``, ``_routing_enabled``,
parameter-validation helpers), so an upstream change breaks one file.

Preprocessing happens once per fit, here:

* ``validate_X_y``: dtype (float64/float32, y cast to X's dtype), layout (Fortran-ordered dense or
  CSC sparse), finiteness, consistent lengths;
* ``preprocess``: sample weights (rows rescaled by ``sqrt(sw)``) and the intercept by
  *implicit* centering: ``X`` is never centred in place or copied for centring.  The solvers work on
  the centred design ``Xc = diag(s) (X - 1 x_offset^T)`` through ``x_offset`` and ``s = sqrt(sw)``,
  which costs nothing for sparse X and saves a full copy of dense X;
* ``intercept_from``: recovers ``intercept_`` afterwards.  The intercept is never penalised.
"""
from dataclasses import dataclass
from inspect import signature
import numpy as np
import scipy.sparse as sp
from sklearn import get_config  # noqa: F401
from sklearn.base import _fit_context  # noqa: F401  (re-exported for the estimators)
from sklearn.linear_model._base import _check_precomputed_gram_matrix  # noqa: F401
from sklearn.utils import _safe_indexing, assert_all_finite, indexable  # noqa: F401
from sklearn.utils._metadata_requests import _raise_for_params  # noqa: F401
from sklearn.utils.metadata_routing import (  # noqa: F401
    MetadataRouter,
    MethodMapping,
    _routing_enabled,
    process_routing,
)
from sklearn.utils._param_validation import (  # noqa: F401
    Hidden,
    Interval,
    StrOptions,
    validate_parameter_constraints,
)
from sklearn.utils.validation import (  # noqa: F401
    _check_sample_weight,
    check_array,
    check_is_fitted,
    validate_data,
)

from ._cd_fast import col_stats_dense

__all__ = [
    "Design",
    "MetadataRouter",
    "MethodMapping",
    "_routing_enabled",
    "process_routing",
    "_check_precomputed_gram_matrix",
    "_raise_for_params",
    "_safe_indexing",
    "_fit_context",
    "check_is_fitted",
    "Hidden",
    "Interval",
    "StrOptions",
    "get_config",
    "validate_parameter_constraints",
    "indexable",
    "intercept_from",
    "check_sample_weight",
    "preprocess",
    "scorer_accepts_sample_weight",
    "validate_X_y",
]


FLOATS = (np.dtype(np.float64), np.dtype(np.float32))


def _plain_arrays(X, y, check_finite):
    """True for the common case where scikit-learn's generic validation has nothing to do:
    contiguous float ndarrays X (2-D, non-empty) and numeric y of the same length, finite.

    Anything else (lists, DataFrames, sparse, ints, NaN, bad shapes...) goes through
    ``validate_data`` and gets scikit-learn's own conversion and errors.  This only saves the
    ~150 us of generic checks that dominate small fits; the checks it makes are the same.
    """
    return (
        type(X) is np.ndarray
        and type(y) is np.ndarray
        and X.ndim == 2
        and X.dtype in FLOATS
        and X.size > 0
        and (X.flags.c_contiguous or X.flags.f_contiguous)
        and 1 <= y.ndim <= 2
        and y.shape[0] == X.shape[0]
        and y.size > 0
        and y.dtype.kind in "fiu"
        and (not check_finite or bool(np.isfinite(X.sum())))
        and bool(np.isfinite(y.sum()))
    )


def validate_X_y(estimator, X, y, *, accept_sparse=("csc", "csr"), order="F", copy=False,
                 ensure_all_finite=True, accept_large_sparse=False):
    """Validate X and y once for a fit (sets ``n_features_in_``/``feature_names_in_``).

    X becomes float64 or float32 (float32 is kept; ints and others become float64), dense X is
    Fortran-ordered (``order="F"``; ``order=None`` keeps C or F order), sparse X is CSC/CSR as
    accepted; y is cast to X's dtype and may be 1-D or 2-D.  NaN/inf, empty data, strings and
    mismatched lengths raise scikit-learn's own ``ValueError``.  ``ensure_all_finite=False``
    defers X's finiteness check to :func:`preprocess` (``check_finite=True``), which gets it for
    free from its pass over X; y is always checked here.  Sparse X with 64-bit indices is
    refused (scikit-learn's error) unless ``accept_large_sparse`` (the Ridge solvers, whose
    products are SciPy's, take it as scikit-learn's Ridge does).
    """
    if _plain_arrays(X, y, ensure_all_finite):
        # what validate_data(reset=True) records for arrays without feature names
        estimator.n_features_in_ = X.shape[1]
        estimator.__dict__.pop("feature_names_in_", None)
        if order == "F" and not X.flags.f_contiguous:
            X = np.asfortranarray(X)
        elif copy:
            X = X.copy(order="K")
        return X, y.astype(X.dtype, copy=False)
    X, y = validate_data(
        estimator,
        X,
        y,
        accept_sparse=list(accept_sparse) if accept_sparse else False,
        order=order,
        dtype=[np.float64, np.float32],
        copy=copy,
        multi_output=True,
        y_numeric=True,
        accept_large_sparse=accept_large_sparse,
        ensure_all_finite=ensure_all_finite,
    )
    if not ensure_all_finite:
        assert_all_finite(y, input_name="y", estimator_name=type(estimator).__name__)
    y = np.asarray(y, dtype=X.dtype)  # already validated (finite, numeric, right length)
    if sp.issparse(X):
        X.sort_indices()  # harmless if already sorted; kernels do not depend on it
    elif order is None and not (X.flags.c_contiguous or X.flags.f_contiguous):
        X = np.asfortranarray(X)
    return X, y


@dataclass
class Design:
    """The preprocessed problem handed to a solver.

    The solver's design matrix is ``Xc = diag(s) (X - 1 x_offset^T)`` and its target is ``yc``.

    Attributes
    ----------
    X : ndarray (Fortran-ordered) or CSC/CSR sparse matrix of shape (n_samples, n_features)
        The validated data, rows already multiplied by ``s`` when there are sample weights
        (then it is a new array; otherwise it is the validated input, never modified).
    yc : ndarray of shape (n_samples,) or (n_samples, n_targets)
        ``s * (y - y_offset)``, a new array.
    x_offset : ndarray of shape (n_features,)
        Weighted column means when fitting an intercept, else zeros.
    y_offset : float or ndarray of shape (n_targets,)
        Weighted target mean when fitting an intercept, else zeros.
    s : ndarray of shape (n_samples,)
        ``sqrt(sample_weight)``, or ones.
    sw_sum : float
        ``sum(sample_weight)`` (``n_samples`` without weights) = ``s @ s``.
    """

    X: object
    yc: np.ndarray
    x_offset: np.ndarray
    y_offset: object
    s: np.ndarray
    sw_sum: float
    has_sw: bool
    fit_intercept: bool
    norms2: np.ndarray = None  # ||Xc_j||^2, when preprocess was asked for it
    xty: np.ndarray = None  # Xc^T yc for a single target, when computed with the norms
    offset_ratio: float = None  # max_j x_offset_j^2 (s . s) / norms2_j, with the norms

    @property
    def dtype(self):
        return self.X.dtype


def check_sample_weight(sample_weight, X):
    """Validated sample weights (or None): non-negative, finite, right length, X's dtype."""
    if sample_weight is None:
        return None
    return _check_sample_weight(sample_weight, X, dtype=X.dtype, ensure_non_negative=True)


def preprocess(X, y, *, fit_intercept, sample_weight=None, with_norms=False,
               check_finite=False, estimator_name=None):
    """Weight and (implicitly) centre a validated problem; see :class:`Design`.

    ``sample_weight`` must come from :func:`check_sample_weight` (or be None); any rescaling
    that an estimator's objective needs (Lasso: to sum to n_samples) is the caller's.
    ``with_norms`` also computes the centred column norms (``Design.norms2``), for dense X in
    the same pass over X as the means (and, for a single target, ``Design.xty``).
    ``check_finite`` checks X for NaN/inf (scikit-learn's error), free in that same pass.
    """
    dtype = X.dtype
    n_samples = X.shape[0]
    if sample_weight is None:
        s = np.ones(n_samples, dtype=dtype)
        sw_sum = float(n_samples)
        has_sw = False
    else:
        sample_weight = np.asarray(sample_weight, dtype=dtype)
        s = np.sqrt(sample_weight)
        sw_sum = float(sample_weight.sum())
        has_sw = True
        if sw_sum <= 0:
            raise ValueError(
                "The sum of sample_weight must be positive, got "
                f"{sw_sum}; give at least one sample a positive weight."
            )

    if has_sw:
        if sp.issparse(X):
            X = X.multiply(s[:, None]).tocsc() if X.format == "csc" else X.multiply(s[:, None]).tocsr()
        else:
            X = np.asfortranarray(X * s[:, None])
    if fit_intercept:
        y_offset = np.asarray((sample_weight @ y) / sw_sum if has_sw else y.mean(axis=0),
                              dtype=dtype)
    else:
        y_offset = np.zeros(y.shape[1:], dtype=dtype)
    if y_offset.ndim == 0:
        y_offset = y_offset[()]
    yc = y - y_offset if fit_intercept else y.copy()
    if has_sw:
        yc = yc * (s if yc.ndim == 1 else s[:, None])
    yc = np.asfortranarray(yc, dtype=dtype)

    norms2 = xty = offset_ratio = None
    if with_norms and not sp.issparse(X) and X.flags.f_contiguous:
        p = X.shape[1]
        x_offset, norms2, xty = (np.empty(p, dtype=dtype) for _ in range(3))
        # one pass over X: means, norms, Xc^T yc
        offset_ratio = col_stats_dense(X, s, yc if yc.ndim == 1 else yc[:, 0], fit_intercept,
                                       x_offset, norms2, xty)
        if yc.ndim == 2 and yc.shape[1] > 1:
            xty = None
        if check_finite and not np.isfinite(norms2).all():
            assert_all_finite(X, input_name="X", estimator_name=estimator_name)
            if get_config()["assume_finite"]:  # the check above was off: NaN/inf may be there
                raise ValueError("X contains NaN or infinity, or values too large to square "
                                 "in its dtype (its column norms are not finite; "
                                 "assume_finite=True skipped scikit-learn's check).")
            raise ValueError("X has values too large to square in its dtype (the column norms "
                             "overflow); rescale X, e.g. with StandardScaler.")
    else:
        if check_finite:
            assert_all_finite(X.data if sp.issparse(X) else X, input_name="X",
                              estimator_name=estimator_name)
        # means summed in double, as the statistics pass does: a float32 sum of a large constant
        # column can miss its value, leaving the "centred" column non-zero (scipy's sparse
        # mean sums in X's dtype whatever its dtype argument: its stored values are converted)
        if not fit_intercept:
            x_offset = np.zeros(X.shape[1], dtype=dtype)
        else:
            X64 = X.astype(np.float64) if sp.issparse(X) and dtype != np.float64 else X
            if not has_sw:
                x_offset = np.asarray(X64.mean(axis=0, dtype=np.float64), dtype=dtype).ravel()
            else:
                # rows of X already carry s, so the weighted means are (s @ X) / sum(sw);
                # dense X is summed in its own dtype (a double copy would cost more than the
                # pass itself)
                x_offset = np.asarray((s.astype(X64.dtype, copy=False) @ X64) / sw_sum,
                                      dtype=dtype).ravel()
    return Design(X, yc, x_offset, y_offset, s, sw_sum, has_sw, fit_intercept, norms2,
                  xty, offset_ratio)


def scorer_accepts_sample_weight(scorer):
    """Whether scikit-learn 1.9's GridSearchCV (no metadata routing) passes ``sample_weight``
    to ``scorer``: the scorer's private ``_accept_sample_weight``, else its signature."""
    if hasattr(scorer, "_accept_sample_weight"):
        return bool(scorer._accept_sample_weight())
    return "sample_weight" in signature(scorer).parameters


def intercept_from(design, coef):
    """``intercept_`` for coefficients ``coef`` of shape (n_features,) or (n_targets, n_features)."""
    if not design.fit_intercept:
        return 0.0  # scikit-learn's value without an intercept, whatever the number of targets
    return design.y_offset - coef @ design.x_offset


#: (class, parameter values) that passed scikit-learn's validation; bounded, see below
_VALID_PARAMS = {}
_VALID_PARAMS_MAX = 256


class CachedParamChecks:
    """Per-fit parameter handling of scikit-learn, done once per class or per set of values.

    scikit-learn reads ``__init__``'s signature (``inspect``) on every ``get_params``, and
    every ``fit`` validates all parameters against ``_parameter_constraints`` (~30 us: a
    tenth of a small fit, more in a grid search's thousands of fits).  The names depend on
    the class alone, so each class reads them once; the verdict depends on the class and the
    values alone, so a set of hashable values that passed once passes again without the
    checks (unhashable values, e.g. an array of alphas, are checked every time).  Failures
    are never remembered: invalid values raise scikit-learn's own error on every fit.
    """

    @classmethod
    def _get_param_names(cls):
        names = cls.__dict__.get("_param_names_once")
        if names is None:
            names = tuple(super()._get_param_names())
            cls._param_names_once = names
        return list(names)

    def _validate_params(self):
        params = self.get_params(deep=False)
        try:  # the type too: True == 1 and 1 == 1.0, but constraints tell them apart
            key = (type(self), tuple((k, type(v), v) for k, v in params.items()))
            known = key in _VALID_PARAMS
        except TypeError:  # an unhashable value
            key, known = None, False
        if known:
            return
        super()._validate_params()
        if key is not None:
            if len(_VALID_PARAMS) >= _VALID_PARAMS_MAX:
                _VALID_PARAMS.clear()
            _VALID_PARAMS[key] = True


class LinearPredictorMixin:
    """``predict`` for fitted ``coef_`` / ``intercept_`` (dense or sparse X)."""

    def predict(self, X):
        """Predict using the linear model.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            Samples.

        Returns
        -------
        ndarray of shape (n_samples,) or (n_samples, n_targets)
            Predicted values.
        """
        check_is_fitted(self)
        if not (  # plain float arrays: the checks validate_data(reset=False) would make
            type(X) is np.ndarray
            and X.ndim == 2
            and X.dtype in FLOATS
            and X.shape[0] > 0
            and X.shape[1] == self.n_features_in_
            and "feature_names_in_" not in self.__dict__
            and np.isfinite(X.sum())
        ):
            X = validate_data(self, X, accept_sparse=["csr", "csc", "coo"], reset=False,
                              dtype=[np.float64, np.float32])
        coef = self.coef_
        return np.asarray(X @ (coef if coef.ndim == 1 else coef.T)) + self.intercept_
