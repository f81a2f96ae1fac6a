"""LassoCV and ElasticNetCV: alpha (and l1_ratio) chosen by cross-validation along warm-started
paths, one path per fold and l1_ratio, folds run in parallel threads (the kernels release the GIL).
"""
import numbers
from numbers import Integral, Real

import numpy as np
import scipy.sparse as sp
from joblib import Parallel, delayed
from sklearn.base import MultiOutputMixin, RegressorMixin, BaseEstimator
from sklearn.model_selection import check_cv
from sklearn.utils import check_random_state, column_or_1d

from ._base import (
    CachedParamChecks,
    Interval,
    LinearPredictorMixin,
    MetadataRouter,
    MethodMapping,
    StrOptions,
    _fit_context,
    _raise_for_params,
    _routing_enabled,
    check_sample_weight,
    preprocess,
    process_routing,
    validate_X_y,
)
from . import _cd_fast
from ._cd_solver import CDProblem, constant_columns, gram_matrix
from ._coordinate_descent import ElasticNet, warn_alpha_zero
from ._path import alpha_grid, enet_path, lasso_path, solve_path


def _prepare(X, y, sample_weight, fit_intercept, precompute):
    """A CDProblem (plus its target) for one training set; sw rescaled to sum to n."""
    n = X.shape[0]
    if sample_weight is not None:
        sample_weight = sample_weight * (n / np.sum(sample_weight))
    design = preprocess(X, y, fit_intercept=fit_intercept, sample_weight=sample_weight,
                        with_norms=True)
    use_gram = not sp.issparse(X) and (
        precompute is True or (isinstance(precompute, str) and n > X.shape[1]))
    return design, CDProblem(design, gram=True if use_gram else None)


#: Folds run in threads (``n_jobs``) only when the number of entries of X (p^2 on the shared
#: Gram matrices of ``_AllRowsGram``) times the number of fold paths times their alphas / 100
#: exceeds this: below it (LassoCV on X of 442 x 285 is 6.3e5, ElasticNetCV with four
#: l1_ratios 2.5e6) joblib's start-up and 10 ms polling cost what the threads save (measured
#: in .notes/solver.md).
PARALLEL_MIN_WORK = 4e6
#: At most this many runs of consecutive rows are copied run by run (see ``_take_rows``).
_MAX_ROW_RUNS = 8


def _take_rows(X, rows):
    """``X[rows]``; of a Fortran-ordered X, a Fortran-ordered copy (the kernels want Fortran
    order; ``X[rows]`` would gather strided rows into a C-ordered copy, several times slower).

    Rows in a few runs of consecutive indices (KFold without shuffling: one or two runs) are
    copied run by run, one contiguous block per column (2.5x faster than a gather on 400 of
    500 x 5000); other row sets by one ``take`` along the rows of the C-ordered ``X.T``."""
    if sp.issparse(X) or not X.flags.f_contiguous:
        return X[rows]
    rows = np.asarray(rows)
    if not (rows.ndim == 1 and rows.size and rows.dtype.kind in "iu"
            and 0 <= rows.min() and rows.max() < X.shape[0]):  # masks, negative indices, ...
        return X.T.take(rows, axis=1).T if rows.dtype.kind in "iu" else X[rows]
    rows = rows.astype(np.intp, copy=False)  # no unsigned wrap-around in diff, no float slice ends
    starts = np.flatnonzero(np.diff(rows) != 1) + 1
    if starts.size < _MAX_ROW_RUNS:
        out = np.empty((rows.size, X.shape[1]), dtype=X.dtype, order="F")
        for a, b in zip(np.r_[0, starts], np.r_[starts, rows.size]):
            first = rows[a]
            out[a:b] = X[first:first + (b - a)]
        return out
    return X.T.take(rows, axis=1).T


def _constant_columns(design):
    """Mask of the constant columns of a centred design (``_cd_solver.constant_columns``);
    dense (Fortran-ordered) X comes with its norms, sparse X's are computed here."""
    norms2 = design.norms2
    if norms2 is None:
        csc = design.X.tocsc()
        norms2 = np.empty(csc.shape[1], dtype=csc.dtype)
        _cd_fast.col_norms2_sparse(csc.data, csc.indices.astype(np.int32, copy=False),
                                   csc.indptr.astype(np.int32, copy=False),
                                   design.x_offset, design.s, norms2)
    return constant_columns(norms2, design.x_offset, design.s, design.has_sw)


def _complement(train, test, n):
    """Whether the row indices ``train`` and ``test`` together hold each of the n rows once."""
    return len(train) + len(test) == n and np.array_equal(
        np.sort(np.concatenate([train, test])), np.arange(n))


class _AllRowsGram:
    """Gram matrices without training copies of X (dense X, n >> p, no weights).

    When the test sets partition the rows (KFold and friends), each test set's ``X^T X``,
    ``X^T y`` and column sums are computed once (one ``syrk`` each, X swept once in all) and a
    fold's training sums are the other test sets' sums.  Otherwise the all-rows sums are
    computed once and a fold's are those minus its test rows' share.  Either way the centred
    Gram matrix then follows by a rank-one correction."""

    def __init__(self, X, y, folds):
        self.tests = []  # per fold: (X_test^T X_test, X_test^T y_test, column sums of X_test)
        n = X.shape[0]
        tests = [test for _, test in folds]
        if sum(len(t) for t in tests) == n and np.array_equal(
                np.sort(np.concatenate(tests)), np.arange(n)):
            for test in tests:
                X_test = _take_rows(X, test)
                self.tests.append((gram_matrix(X_test), X_test.T @ y[test], X_test.sum(axis=0)))
        else:
            self.G, self.Xty, self.col_sum = gram_matrix(X), X.T @ y, X.sum(axis=0)

    def fold(self, X, y, k, train, test, fit_intercept):
        """(problem, yc, q, x_offset, y_offset) of fold ``k``'s training rows (all rows for
        ``k=None``, from the test sets' sums), or None when the means dominate the spreads
        (the rank-one correction would cancel digits) or when the training rows are not all
        the rows outside the test set (TimeSeriesSplit, custom splits): the sums here are
        those of the complement."""
        if k is not None and not _complement(train, test, X.shape[0]):
            return None
        if self.tests:  # the training rows are the other test sets: sum theirs, exactly
            G, Xty, col_sum = (sum(parts) for parts in
                               zip(*(t for i, t in enumerate(self.tests) if i != k)))
        else:
            X_test = _take_rows(X, test)
            G = self.G - gram_matrix(X_test)
            Xty = self.Xty - X_test.T @ y[test]
            col_sum = self.col_sum - X_test.sum(axis=0)
        y_train = y[train]
        n = len(train)
        if fit_intercept:
            mu = col_sum / n
            y_offset = y_train.mean()
            shift = n * mu * mu
            diag = np.diag(G)
            if np.any(shift > 1e8 * np.maximum(diag - shift, np.finfo(G.dtype).tiny)):
                return None
            G -= n * np.outer(mu, mu)
            q = Xty - mu * y_train.sum()  # = Xc^T yc
        else:
            mu, y_offset, q = np.zeros(X.shape[1], dtype=X.dtype), 0.0, Xty
        problem = CDProblem.from_gram(G.astype(X.dtype, copy=False), n)
        yc = np.ascontiguousarray(y_train - y_offset, dtype=X.dtype)
        return problem, yc, np.ascontiguousarray(q, dtype=X.dtype), mu, y_offset


    def test_mse(self, k, y_test, coefs, used, x_offset, y_offset):
        """Mean squared error on test set ``k`` of every column of ``coefs`` (the rows
        ``used`` of the path's coefficients, the others zero at every alpha; intercept
        ``y_offset - x_offset.w``) from the test set's own sums: a product with the used
        block of its Gram matrix instead of one with its rows.  With both sides centred by
        the training means (``mu = x_offset``), the residual is ``Xc_t w - yc_t`` and
        ``||Xc_t w - yc_t||^2 = w.G_t w - 2 (s_t.w)(mu.w) + n_t (mu.w)^2 - 2 w.Xc_t^T yc_t +
        ||yc_t||^2`` (``s_t`` the test rows' column sums); the centring terms cancel no more
        digits than the training Gram's rank-one correction, which ``fold`` has checked.
        Float64 only (the terms still cancel down to the residual's size: a few digits, of
        sixteen)."""
        G_t, Xty_t, s_t = self.tests[k]
        n_t = len(y_test)
        mu = np.asarray(x_offset, dtype=np.float64)[used]
        s_u = s_t[used]
        yc = y_test - y_offset
        mu_w, s_w = mu @ coefs, s_u @ coefs
        quad = (np.einsum("ij,ij->j", coefs, G_t[np.ix_(used, used)] @ coefs)
                - 2 * s_w * mu_w + n_t * mu_w * mu_w)
        Xc_yc = Xty_t[used] - mu * y_test.sum() - y_offset * s_u + n_t * y_offset * mu
        sq = quad - 2 * (Xc_yc @ coefs) + float(yc @ yc)
        return np.maximum(sq, 0.0) / n_t


def _fold_mse(X, y, sample_weight, k, train, test, alphas, l1_ratio, params, label):
    """Mean squared test error of every alpha of the path fitted on fold ``k``'s ``train``."""
    fold = None
    if params["all_rows_gram"] is not None:
        fold = params["all_rows_gram"].fold(X, y, k, train, test, params["fit_intercept"])
    if fold is not None:
        problem, yc, q, x_offset, y_offset = fold
    else:
        sw_train = None if sample_weight is None else sample_weight[train]
        X_train = _take_rows(X, train)
        design, problem = _prepare(X_train, y[train], sw_train, params["fit_intercept"],
                                   params["precompute"])
        yc, q, x_offset, y_offset = design.yc, None, design.x_offset, design.y_offset
    verbose = params["verbose"]
    coefs, gaps, n_iters = solve_path(problem, yc, alphas, l1_ratio, tol=params["tol"],
                                      max_iter=params["max_iter"], positive=params["positive"],
                                      random=params["random"], seed=params["seed"], q=q,
                                      verbose=verbose > 1)
    if verbose:
        print(f"[fastreg] {label}: {len(alphas)} alphas, {sum(n_iters)} epochs, "
              f"largest gap {np.max(gaps):.2e}", flush=True)
    # the path's coefficients are sparse: the test errors need only the features that some
    # alpha uses (at most n_train of them along a Lasso path)
    used = np.flatnonzero(np.any(coefs != 0, axis=1))
    if (fold is not None and params["all_rows_gram"].tests and X.dtype == np.float64
            and len(test) > used.size):  # the used Gram block is the smaller product
        return params["all_rows_gram"].test_mse(k, y[test], coefs[used], used, x_offset,
                                                y_offset)
    intercepts = y_offset - x_offset @ coefs
    X_test = X[test][:, used] if sp.issparse(X) else X[np.ix_(test, used)]
    residues = np.asarray(X_test @ coefs[used]) + intercepts - y[test][:, None]
    if sample_weight is None:
        return (residues**2).mean(axis=0)
    return np.average(residues**2, weights=sample_weight[test], axis=0)


class _LinearModelCV(MultiOutputMixin, RegressorMixin, LinearPredictorMixin, CachedParamChecks,
                     BaseEstimator):
    """Shared cross-validation machinery of LassoCV and ElasticNetCV."""

    _parameter_constraints: dict = {
        "eps": [Interval(Real, 0, None, closed="neither")],
        "alphas": [Interval(Integral, 1, None, closed="left"), "array-like"],
        "fit_intercept": ["boolean"],
        "precompute": [StrOptions({"auto"}), "array-like", "boolean"],
        "max_iter": [Interval(Integral, 1, None, closed="left")],
        "tol": [Interval(Real, 0, None, closed="left")],
        "copy_X": ["boolean"],
        "cv": ["cv_object"],
        "verbose": ["verbose"],
        "n_jobs": [Integral, None],
        "positive": ["boolean"],
        "random_state": ["random_state"],
        "selection": [StrOptions({"cyclic", "random"})],
    }

    def _l1_ratios(self):
        return [1.0]

    @_fit_context(prefer_skip_nested_validation=True)
    def fit(self, X, y, sample_weight=None, **params):
        """Fit the model along the alpha grid with cross-validation, then refit on all data.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
        y : array-like of shape (n_samples,)
        sample_weight : float or array-like of shape (n_samples,), default=None
            Used for fitting and for the weighted test MSE of each fold; the CV score is the
            unweighted mean over folds of those MSEs (as in scikit-learn).
        **params : dict
            Parameters passed to the CV splitter's ``split`` (e.g. ``groups``); as in
            scikit-learn, only with ``sklearn.set_config(enable_metadata_routing=True)``.

        Returns
        -------
        self : object
        """
        _raise_for_params(params, self, "fit")  # scikit-learn's error without routing
        # scikit-learn scores held-out rows against y in its own precision: mse_path_ is
        # float32 only when X and y both are
        y_is_float32 = getattr(y, "dtype", None) == np.float32
        X, y = validate_X_y(self, X, y, accept_sparse=("csc",))
        if y.ndim > 1 and y.shape[1] > 1:
            raise ValueError(f"For multi-task outputs, use MultiTask{type(self).__name__}")
        y = np.ascontiguousarray(column_or_1d(y, warn=True))
        if isinstance(sample_weight, numbers.Number):
            sample_weight = None
        sample_weight = check_sample_weight(sample_weight, X)
        if sp.issparse(X):
            X = sp.csr_matrix(X)  # fast row selection for the folds; each fold goes to CSC
        else:
            X = np.asfortranarray(X)

        l1_ratios = self._l1_ratios()
        if isinstance(self.alphas, Integral):
            sw = None if sample_weight is None else sample_weight * (X.shape[0] / sample_weight.sum())
            design = preprocess(X, y, fit_intercept=self.fit_intercept, sample_weight=sw,
                                with_norms=True)  # dense X: Xc^T yc in the pass for the means
            Xty = design.xty
            if Xty is None:
                Xty = (np.asarray(design.X.T @ design.yc).ravel()
                       - design.x_offset * (design.s @ design.yc))
            if self.fit_intercept:  # constant columns' products are rounding: not in the grid
                Xty = np.where(_constant_columns(design), 0, Xty)
            alphas = [alpha_grid(Xty, design.sw_sum, l1_ratio=r, eps=self.eps,
                                 n_alphas=self.alphas, positive=self.positive)
                      for r in l1_ratios]
        else:
            grid = np.asarray(self.alphas, dtype=np.float64).ravel()
            if np.any(grid < 0) or not np.all(np.isfinite(grid)):
                raise ValueError(f"alphas must be finite and >= 0, got {self.alphas!r}")
            alphas = [np.sort(grid)[::-1] for _ in l1_ratios]

        split_params = (process_routing(self, "fit", sample_weight=sample_weight, **params)
                        .splitter.split if _routing_enabled() else {})
        folds = list(check_cv(self.cv).split(X, y, **split_params))
        rows = np.arange(X.shape[0])
        folds = [(rows[train], rows[test]) for train, test in folds]  # masks -> indices
        seed = int(check_random_state(self.random_state).randint(np.iinfo(np.int32).max))
        n_train_min = X.shape[0] - max(len(test) for _, test in folds)
        use_gram = self.precompute is True or (
            isinstance(self.precompute, str) and n_train_min > X.shape[1])
        all_rows_gram = (_AllRowsGram(X, y, folds) if use_gram and not sp.issparse(X)
                         and sample_weight is None else None)
        path_params = dict(fit_intercept=self.fit_intercept, precompute=self.precompute,
                           all_rows_gram=all_rows_gram,
                           tol=self.tol, max_iter=self.max_iter, positive=self.positive,
                           random=self.selection == "random", seed=seed,
                           verbose=int(self.verbose))
        # threads pay only when the folds' work dwarfs joblib's own cost: its pool start-up and
        # its wait for results, which polls every 10 ms (LassoCV on 442 x 285 takes 10 ms on
        # one thread, 15 ms with n_jobs=2); smaller problems run their folds in turn
        # (a fold path on the shared Gram matrices touches p^2 numbers per alpha, on X its
        # entries)
        entries = (X.shape[1] ** 2 if all_rows_gram is not None
                   else X.nnz if sp.issparse(X) else X.size)
        work = entries * len(folds) * sum(len(a) for a in alphas) / 100
        n_jobs = self.n_jobs if work > PARALLEL_MIN_WORK else 1
        mse = Parallel(n_jobs=n_jobs, verbose=self.verbose, prefer="threads")(
            delayed(_fold_mse)(X, y, sample_weight, k, train, test, a, r, path_params,
                               f"l1_ratio {r:g}, fold {k + 1}/{len(folds)}")
            for r, a in zip(l1_ratios, alphas)
            for k, (train, test) in enumerate(folds)
        )
        mse = np.reshape(mse, (len(l1_ratios), len(folds), -1))
        mean_mse = mse.mean(axis=1)
        self.mse_path_ = np.squeeze(np.moveaxis(mse, 2, 1)).astype(
            X.dtype if y_is_float32 else np.float64, copy=False)
        best = np.inf
        for k, (a, m) in enumerate(zip(alphas, mean_mse)):
            i = int(np.argmin(m))
            if m[i] < best:
                best, self.alpha_, best_k = m[i], a[i], k
        best_ratio = l1_ratios[best_k]
        if isinstance(self.alphas, Integral):
            self.alphas_ = np.asarray(alphas) if len(l1_ratios) > 1 else np.asarray(alphas[0])
        else:
            self.alphas_ = np.asarray(alphas[0])
        if hasattr(self, "l1_ratio"):  # the user's entry itself (np.float64 or np.int64)
            self.l1_ratio_ = np.atleast_1d(self.l1_ratio)[best_k]

        if self._refit_from_gram(X, y, all_rows_gram, best_ratio):
            return self
        model = ElasticNet(
            alpha=self.alpha_, l1_ratio=best_ratio, fit_intercept=self.fit_intercept,
            precompute=False if isinstance(self.precompute, str) else self.precompute,
            max_iter=self.max_iter, tol=self.tol, positive=self.positive,
            random_state=self.random_state, selection=self.selection,
        )
        model.fit(X, y, sample_weight=sample_weight)
        self.coef_ = model.coef_
        self.intercept_ = model.intercept_
        self.dual_gap_ = model.dual_gap_
        self.n_iter_ = model.n_iter_
        return self

    def _refit_from_gram(self, X, y, all_rows_gram, l1_ratio):
        """The final fit on all rows from the test sets' Gram matrices already computed (their
        sum is all rows' X^T X), as ElasticNet would fit it: no pass over X.  Returns False
        when they are not there (or the means dominate), leaving the refit to ElasticNet."""
        if all_rows_gram is None or not all_rows_gram.tests:
            return False
        rows = np.arange(X.shape[0])
        full = all_rows_gram.fold(X, y, None, rows, None, self.fit_intercept)
        if full is None:
            return False
        problem, yc, q, x_offset, y_offset = full
        if self.alpha_ == 0:  # as ElasticNet.fit would warn
            warn_alpha_zero(stacklevel=5)
        seed = int(check_random_state(self.random_state).randint(np.iinfo(np.int32).max))
        coefs, gaps, n_iters = solve_path(
            problem, yc, [self.alpha_], l1_ratio, tol=self.tol, max_iter=self.max_iter,
            positive=self.positive, random=self.selection == "random", seed=seed, q=q)
        self.coef_ = np.ascontiguousarray(coefs[:, 0], dtype=X.dtype)
        # as ElasticNet.fit sets them (intercept_from, gaps in X's dtype)
        self.intercept_ = (y_offset - self.coef_ @ np.asarray(x_offset, dtype=X.dtype)
                           if self.fit_intercept else 0.0)
        self.dual_gap_ = X.dtype.type(gaps[0])
        self.n_iter_ = n_iters[0]
        return True

    def get_metadata_routing(self):
        """The metadata routing of this object (scikit-learn's): ``fit``'s extra parameters go
        to the splitter's ``split`` when it requests them (``enable_metadata_routing=True``).

        Returns
        -------
        routing : MetadataRouter
        """
        return (MetadataRouter(owner=self).add_self_request(self)
                .add(splitter=check_cv(self.cv),
                     method_mapping=MethodMapping().add(caller="fit", callee="split")))

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.sparse = True
        tags.target_tags.multi_output = False
        return tags


class LassoCV(_LinearModelCV):
    """Lasso linear model with iterative fitting along a regularization path.

    Drop-in replacement for :class:`sklearn.linear_model.LassoCV`: the best ``alpha`` is
    selected by cross-validation on the grid of ``alphas`` (``alphas`` log-spaced values from
    ``alpha_max`` down to ``eps * alpha_max`` when an integer), each fold fitting one
    warm-started path; the model is then refitted on all data.  The objective is
    ``(1 / (2 * n_samples)) * ||y - Xw - b||^2_2 + alpha * ||w||_1``.

    Parameters
    ----------
    eps : float, default=1e-3
    alphas : int or array-like, default=100
    fit_intercept : bool, default=True
    precompute : 'auto', bool or array-like, default='auto'
    max_iter : int, default=1000
    tol : float, default=1e-4
    copy_X : bool, default=True
    cv : int, cross-validation generator or iterable, default=None (5-fold)
    verbose : bool or int, default=False
        1: one line per fold (epochs, largest gap); 2: one line per alpha as well.
    n_jobs : int, default=None
        Folds run in parallel threads (the kernels release the GIL).
    positive : bool, default=False
    random_state : int, RandomState instance, default=None
    selection : {'cyclic', 'random'}, default='cyclic'

    Attributes
    ----------
    alpha_ : float
    coef_ : ndarray of shape (n_features,)
    intercept_ : float
    mse_path_ : ndarray of shape (n_alphas, n_folds)
    alphas_ : ndarray of shape (n_alphas,)
    dual_gap_ : float
    n_iter_ : int
    n_features_in_ : int
    feature_names_in_ : ndarray of shape (n_features_in_,)

    Examples
    --------
    >>> from fastreg import LassoCV
    >>> from sklearn.datasets import make_regression
    >>> X, y = make_regression(noise=4, random_state=0)
    >>> reg = LassoCV(cv=5, random_state=0).fit(X, y)
    >>> round(reg.score(X, y), 4)
    0.9994
    """

    path = staticmethod(lasso_path)

    def __init__(self, *, eps=1e-3, alphas=100, fit_intercept=True, precompute="auto",
                 max_iter=1000, tol=1e-4, copy_X=True, cv=None, verbose=False, n_jobs=None,
                 positive=False, random_state=None, selection="cyclic"):
        self.eps = eps
        self.alphas = alphas
        self.fit_intercept = fit_intercept
        self.precompute = precompute
        self.max_iter = max_iter
        self.tol = tol
        self.copy_X = copy_X
        self.cv = cv
        self.verbose = verbose
        self.n_jobs = n_jobs
        self.positive = positive
        self.random_state = random_state
        self.selection = selection


class ElasticNetCV(_LinearModelCV):
    """Elastic Net model with iterative fitting along a regularization path.

    Drop-in replacement for :class:`sklearn.linear_model.ElasticNetCV`: ``alpha`` and
    ``l1_ratio`` (a float or a list to search) are selected by cross-validation.  The objective
    is ``1 / (2 * n_samples) * ||y - Xw - b||^2_2 + alpha * l1_ratio * ||w||_1
    + 0.5 * alpha * (1 - l1_ratio) * ||w||^2_2``.

    Parameters
    ----------
    l1_ratio : float or list of float, default=0.5
    eps, alphas, fit_intercept, precompute, max_iter, tol, cv, copy_X, verbose, n_jobs,
    positive, random_state, selection : as in :class:`LassoCV`.

    Attributes
    ----------
    alpha_ : float
    l1_ratio_ : float
    coef_ : ndarray of shape (n_features,)
    intercept_ : float
    mse_path_ : ndarray of shape (n_l1_ratio, n_alphas, n_folds) or (n_alphas, n_folds)
    alphas_ : ndarray of shape (n_l1_ratio, n_alphas) or (n_alphas,)
    dual_gap_ : float
    n_iter_ : int

    Examples
    --------
    >>> from fastreg import ElasticNetCV
    >>> from sklearn.datasets import make_regression
    >>> X, y = make_regression(n_features=2, random_state=0)
    >>> regr = ElasticNetCV(cv=5, random_state=0).fit(X, y)
    >>> round(float(regr.alpha_), 4)
    0.1995
    """

    _parameter_constraints: dict = {
        **_LinearModelCV._parameter_constraints,
        "l1_ratio": [Interval(Real, 0, 1, closed="both"), "array-like"],
    }

    path = staticmethod(enet_path)

    def __init__(self, *, l1_ratio=0.5, eps=1e-3, alphas=100, fit_intercept=True,
                 precompute="auto", max_iter=1000, tol=1e-4, cv=None, copy_X=True, verbose=0,
                 n_jobs=None, positive=False, random_state=None, selection="cyclic"):
        self.l1_ratio = l1_ratio
        self.eps = eps
        self.alphas = alphas
        self.fit_intercept = fit_intercept
        self.precompute = precompute
        self.max_iter = max_iter
        self.tol = tol
        self.cv = cv
        self.copy_X = copy_X
        self.verbose = verbose
        self.n_jobs = n_jobs
        self.positive = positive
        self.random_state = random_state
        self.selection = selection

    def _l1_ratios(self):
        ratios = [float(r) for r in np.atleast_1d(self.l1_ratio)]
        bad = [r for r in ratios if not 0.0 <= r <= 1.0]  # NaN too
        if bad:
            # scikit-learn 1.9 checks a scalar l1_ratio but not the entries of a list, and fits
            # a negative l2 penalty (or NaN) without a word: an error is the better drop-in
            raise ValueError(f"Every l1_ratio must be in [0, 1], got {bad[0]!r} in "
                             f"l1_ratio={self.l1_ratio!r}.")
        return ratios
