"""Bad input: clear errors (scikit-learn's own exceptions) or correct results, never a crash."""
import warnings

import numpy as np
import pytest
import scipy.sparse as sp
from sklearn.exceptions import ConvergenceWarning, NotFittedError

import fastreg

ESTIMATORS = [fastreg.Lasso, fastreg.ElasticNet, fastreg.LassoCV, fastreg.ElasticNetCV]
for name in ("Ridge", "RidgeCV"):
    if hasattr(fastreg, name):
        ESTIMATORS.append(getattr(fastreg, name))


def _data(n=30, p=5, seed=0):
    rng = np.random.default_rng(seed)
    return rng.standard_normal((n, p)), rng.standard_normal(n)


def _make(cls):
    return cls(cv=3) if cls.__name__.endswith("CV") and cls.__name__ != "RidgeCV" else cls()


@pytest.mark.parametrize("cls", ESTIMATORS, ids=lambda c: c.__name__)
class TestBadInput:
    def test_nan_and_inf(self, cls):
        X, y = _data()
        for bad in (np.nan, np.inf):
            Xb = X.copy()
            Xb[3, 2] = bad
            with pytest.raises(ValueError, match="NaN|infinity"):
                _make(cls).fit(Xb, y)
            yb = y.copy()
            yb[0] = bad
            with pytest.raises(ValueError, match="NaN|infinity"):
                _make(cls).fit(X, yb)

    def test_mismatched_lengths(self, cls):
        X, y = _data()
        with pytest.raises(ValueError, match="inconsistent numbers of samples"):
            _make(cls).fit(X, y[:-1])

    def test_empty(self, cls):
        with pytest.raises(ValueError, match="0 sample|0 feature"):
            _make(cls).fit(np.empty((0, 3)), np.empty(0))
        with pytest.raises(ValueError, match="0 feature"):
            _make(cls).fit(np.empty((5, 0)), np.ones(5))

    def test_strings(self, cls):
        X, y = _data()
        with pytest.raises(ValueError):
            _make(cls).fit(X.astype(str).astype(object) + "x", y)

    def test_predict_before_fit_and_wrong_width(self, cls):
        X, y = _data()
        with pytest.raises(NotFittedError):
            _make(cls).predict(X)
        model = _make(cls).fit(X, y)
        with pytest.raises(ValueError, match="features"):
            model.predict(X[:, :3])

    def test_int_noncontiguous_readonly_inputs_and_no_mutation(self, cls):
        X, y = _data(40, 6)
        ref = _make(cls).fit(X, y).predict(X)
        Xi = np.round(X * 10).astype(np.int64)
        np.testing.assert_allclose(_make(cls).fit(Xi, y).predict(Xi),
                                   _make(cls).fit(Xi.astype(float), y).predict(Xi.astype(float)))
        Xw = np.zeros((40, 12))
        Xw[:, ::2] = X  # non-contiguous view
        Xv = Xw[:, ::2]
        np.testing.assert_allclose(_make(cls).fit(Xv, y).predict(X), ref, rtol=1e-7, atol=1e-9)
        Xr, yr = X.copy(), y.copy()
        Xr.flags.writeable = False
        yr.flags.writeable = False
        np.testing.assert_allclose(_make(cls).fit(Xr, yr).predict(X), ref, rtol=1e-7, atol=1e-9)
        Xc, yc = X.copy(), y.copy()
        sw = np.linspace(0.5, 2, 40)
        _make(cls).fit(Xc, yc, sample_weight=sw)
        np.testing.assert_array_equal(Xc, X)
        np.testing.assert_array_equal(yc, y)
        Xs = sp.csr_matrix(Xc)
        data = Xs.data.copy()
        _make(cls).fit(Xs, yc, sample_weight=sw)
        np.testing.assert_array_equal(Xs.data, data)

    def test_negative_sample_weight(self, cls):
        X, y = _data()
        with pytest.raises(ValueError, match="[Nn]egative"):
            _make(cls).fit(X, y, sample_weight=-np.ones(len(y)))


@pytest.mark.parametrize("cls", [fastreg.Lasso, fastreg.ElasticNet])
def test_negative_alpha(cls):
    X, y = _data()
    with pytest.raises(ValueError, match="alpha"):
        cls(alpha=-1.0).fit(X, y)


@pytest.mark.parametrize("case", ["zeros", "constant", "duplicated", "single", "p1"])
@pytest.mark.parametrize("cls", [fastreg.Lasso, fastreg.ElasticNet])
def test_degenerate_data(case, cls):
    from sklearn import linear_model as sk

    rng = np.random.default_rng(0)
    X, y = rng.standard_normal((20, 4)), rng.standard_normal(20)
    if case == "zeros":
        X = np.zeros((20, 4))
    elif case == "constant":
        X[:, 1] = 3.0
    elif case == "duplicated":
        X[:, 2] = X[:, 0]
    elif case == "single":
        X, y = X[:1], y[:1]
    elif case == "p1":
        X = X[:, :1]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        ours = cls(alpha=0.01, max_iter=10**6, tol=1e-10).fit(X, y)
        theirs = getattr(sk, cls.__name__)(alpha=0.01, max_iter=10**6, tol=1e-10).fit(X, y)
    assert np.all(np.isfinite(ours.coef_))
    np.testing.assert_allclose(ours.predict(X), theirs.predict(X), atol=1e-3)


def test_parameter_checks_remembered_only_for_values_that_passed():
    # validation verdicts are cached per class and set of values (CachedParamChecks): a value
    # equal to a valid one but of another type, an invalid value (on every fit) and an
    # unhashable value must still meet scikit-learn's own checks
    from sklearn.utils._param_validation import InvalidParameterError

    X, y = _data()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        fastreg.Lasso(max_iter=1).fit(X, y)
        fastreg.Lasso(max_iter=1).fit(X, y)  # the remembered verdict
    model = fastreg.Lasso(max_iter=1.0)  # == 1, but scikit-learn wants an int
    for _ in range(2):
        with pytest.raises(InvalidParameterError, match="max_iter"):
            model.fit(X, y)
    for _ in range(2):
        with pytest.raises(InvalidParameterError, match="alpha"):
            fastreg.Lasso(alpha=-1.0).fit(X, y)
    for _ in range(2):
        with pytest.raises(ValueError, match="l1_ratio"):
            fastreg.ElasticNetCV(l1_ratio=[0.5, 2.0], cv=3).fit(X, y)


@pytest.mark.parametrize("l1_ratio", [[0.5, 2.0], [-0.1, 0.5], [np.nan], np.array([0.2, 1.5])])
def test_l1_ratio_list_entries_outside_unit_interval_raise(l1_ratio):
    # scikit-learn 1.9 fits such entries silently (a negative l2 penalty, or NaN)
    X, y = _data()
    with pytest.raises(ValueError, match=r"Every l1_ratio must be in \[0, 1\]"):
        fastreg.ElasticNetCV(l1_ratio=l1_ratio, cv=3).fit(X, y)


# ---- scikit-learn's checks on the less common arguments ------------------------------------

def _sk():
    import sklearn.linear_model as sk
    return sk


@pytest.mark.parametrize("kw", [dict(alphas=0), dict(n_alphas=0), dict(alphas=0.1),
                                dict(l1_ratio=2), dict(eps=-1), dict(eps=0),
                                dict(precompute="foo"), dict(verbose="x")])
def test_path_parameters_validated_as_in_sklearn(kw):
    from sklearn.utils._param_validation import InvalidParameterError
    X, y = _data()
    for path in (fastreg.enet_path, _sk().enet_path):
        with pytest.raises(InvalidParameterError):
            path(X, y, **kw)
    if "l1_ratio" not in kw:
        with pytest.raises(InvalidParameterError):
            fastreg.lasso_path(X, y, **kw)


@pytest.mark.parametrize("alphas", [[-1.0, 0.1], [np.nan]])
def test_path_alphas_must_be_finite_and_non_negative(alphas):
    """scikit-learn runs such alphas (to nonsense); fastreg says what is wrong."""
    X, y = _data()
    with pytest.raises(ValueError, match="alphas must be finite and non-negative"):
        fastreg.lasso_path(X, y, alphas=alphas)


def test_path_two_dimensional_y_is_the_multi_task_path():
    X, y = _data()
    X = X - X.mean(0)
    ours = fastreg.enet_path(X, y[:, None], alphas=3)
    theirs = _sk().enet_path(X, y[:, None], alphas=3)
    assert ours[1].shape == theirs[1].shape == (1, 5, 3)
    np.testing.assert_allclose(ours[1], theirs[1])


def test_user_gram_checked_on_one_entry_as_in_sklearn():
    X, y = _data(50, 8)
    bad = X.T @ X + 1.0
    for fit in (lambda m: m.Lasso(alpha=0.1, precompute=bad, fit_intercept=False).fit(X, y),
                lambda m: m.lasso_path(X, y, precompute=bad, alphas=3),
                lambda m: m.LassoCV(precompute=bad, fit_intercept=False, cv=3).fit(X, y)):
        for module in (fastreg, _sk()):
            with pytest.raises(ValueError, match="did not pass validation"):
                fit(module)


def test_user_gram_used_silently_where_sklearn_uses_it():
    """Already-centred X with an intercept, and a weighted Gram without intercept: no
    recomputation warning, the same coefficients."""
    X, y = _data(50, 8, seed=3)
    Xc = X - X.mean(0)
    sw = np.random.default_rng(1).uniform(0.5, 2.0, 50)
    sw *= 50 / sw.sum()
    cases = [(Xc, dict(precompute=Xc.T @ Xc), None),
             (X, dict(precompute=(X * sw[:, None]).T @ X, fit_intercept=False), sw)]
    for Xf, kw, w in cases:
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            ours = fastreg.Lasso(alpha=0.05, tol=1e-10, **kw).fit(Xf, y, sample_weight=w)
        theirs = _sk().Lasso(alpha=0.05, tol=1e-10, **kw).fit(Xf, y, sample_weight=w)
        np.testing.assert_allclose(ours.coef_, theirs.coef_, atol=1e-8)


@pytest.mark.parametrize("cls", ["LassoCV", "ElasticNetCV"])
def test_cv_max_iter_zero_and_unrouted_fit_params_raise_as_in_sklearn(cls):
    from sklearn.model_selection import GroupKFold
    from sklearn.utils._param_validation import InvalidParameterError
    X, y = _data(30, 5)
    groups = np.repeat(np.arange(3), 10)
    for module in (fastreg, _sk()):
        with pytest.raises(InvalidParameterError):
            getattr(module, cls)(max_iter=0).fit(X, y)
        with pytest.raises(ValueError, match="enable_metadata_routing"):
            getattr(module, cls)(cv=GroupKFold(3)).fit(X, y, groups=groups)


def test_lasso_path_attribute_is_enet_path_as_in_sklearn():
    assert fastreg.Lasso.path is fastreg.enet_path
    assert _sk().Lasso.path is _sk().enet_path
    assert fastreg.LassoCV.path is fastreg.lasso_path


def test_cv_groups_reach_the_splitter_with_metadata_routing():
    import sklearn
    from sklearn.model_selection import GroupKFold
    X, y = _data(30, 5, seed=4)
    groups = np.repeat(np.arange(3), 10)
    with sklearn.config_context(enable_metadata_routing=True):
        ours = fastreg.LassoCV(cv=GroupKFold(3), tol=1e-10).fit(X, y, groups=groups)
        theirs = _sk().LassoCV(cv=GroupKFold(3), tol=1e-10).fit(X, y, groups=groups)
    assert ours.alpha_ == pytest.approx(theirs.alpha_)
    np.testing.assert_allclose(ours.mse_path_, theirs.mse_path_, rtol=1e-6)


def test_cv_refit_at_alpha_zero_warns_as_in_sklearn():
    """Also where the refit reuses the folds' Gram matrices (dense, n_samples > n_features)."""
    X, y = _data(200, 5, seed=5)
    y = X @ np.arange(1.0, 6.0) + 1e-3 * y  # nearly noise-free: alpha = 0 is chosen
    for module in (fastreg, _sk()):
        with pytest.warns(UserWarning, match="With alpha=0"):
            assert module.LassoCV(alphas=[0.1, 0.0], cv=3).fit(X, y).alpha_ == 0


@pytest.mark.parametrize("l1_ratio", [0.5, [0.2, 1], [1]])
def test_elastic_net_cv_l1_ratio_is_the_users_entry(l1_ratio):
    X, y = _data(40, 5, seed=6)
    ours = fastreg.ElasticNetCV(l1_ratio=l1_ratio, cv=3).fit(X, y).l1_ratio_
    theirs = _sk().ElasticNetCV(l1_ratio=l1_ratio, cv=3).fit(X, y).l1_ratio_
    assert type(ours) is type(theirs) and ours == theirs


@pytest.mark.parametrize("y_dtype", [np.float64, np.float32])
def test_cv_mse_path_dtype_follows_x_and_y_as_in_sklearn(y_dtype):
    X, y = _data(60, 5, seed=7)
    X, y = X.astype(np.float32), y.astype(y_dtype)
    ours, theirs = fastreg.LassoCV(cv=3).fit(X, y), _sk().LassoCV(cv=3).fit(X, y)
    assert ours.mse_path_.dtype == theirs.mse_path_.dtype
    assert ours.coef_.dtype == theirs.coef_.dtype == np.float32


def test_cv_unrequested_fit_params_with_routing_raise_as_in_sklearn():
    import sklearn
    from sklearn.model_selection import KFold
    X, y = _data(30, 5)
    groups = np.repeat(np.arange(3), 10)
    with sklearn.config_context(enable_metadata_routing=True):
        for module in (fastreg, _sk()):
            with pytest.raises(TypeError, match="not routed to any object"):
                module.LassoCV(cv=KFold(3)).fit(X, y, groups=groups)


def test_user_gram_check_skipped_without_check_input_and_in_its_own_dtype():
    """check_input=False skips it (scikit-learn's check_gram); a float32 Gram is held to
    float32's tolerance even when X is float64."""
    X, y = _data(2000, 6, seed=8)
    bad = X.T @ X + 1.0
    for module in (fastreg, _sk()):
        module.Lasso(alpha=0.1, precompute=bad, fit_intercept=False).fit(
            np.asfortranarray(X), y, check_input=False)
    G32 = (X.astype(np.float32).T @ X.astype(np.float32))
    ours = fastreg.Lasso(alpha=0.01, precompute=G32, fit_intercept=False).fit(X, y)
    exact = fastreg.Lasso(alpha=0.01, precompute=X.T @ X, fit_intercept=False).fit(X, y)
    np.testing.assert_allclose(ours.coef_, exact.coef_, atol=1e-4)
    fastreg.lasso_path(X, y, precompute=G32, alphas=3)


def test_enet_path_alphas_must_be_finite_and_non_negative():
    X, y = _data()
    with pytest.raises(ValueError, match="alphas must be finite and non-negative"):
        fastreg.enet_path(X, y, alphas=[0.5, -0.1], l1_ratio=0.3)


@pytest.mark.parametrize("fmt", ["csr", "csc"])
def test_sparse_with_64_bit_indices_as_in_sklearn(fmt):
    """Ridge and RidgeCV fit it (as scikit-learn's do); the coordinate-descent estimators
    refuse it with scikit-learn's error."""
    X, y = _data(40, 5, seed=9)
    Xs = sp.csr_matrix(X).asformat(fmt)
    big = Xs.copy()
    big.indices, big.indptr = big.indices.astype(np.int64), big.indptr.astype(np.int64)
    for name, kw in [("Ridge", {}), ("Ridge", dict(positive=True)), ("RidgeCV", {}),
                     ("RidgeCV", dict(cv=3))]:
        ours = getattr(fastreg, name)(**kw).fit(big, y)
        same = getattr(fastreg, name)(**kw).fit(Xs, y)
        np.testing.assert_allclose(ours.coef_, same.coef_, atol=1e-12)
        getattr(_sk(), name)(**kw).fit(big, y)
    for name in ("Lasso", "ElasticNet", "LassoCV"):
        for module in (fastreg, _sk()):
            with pytest.raises(ValueError, match="32-bit integer indices"):
                getattr(module, name)().fit(big, y)


@pytest.mark.parametrize("solver, alpha", [("svd", 1.0), ("auto", 0.0)])
def test_ridge_never_centres_an_array_like_wrappers_buffer(solver, alpha):
    """An object whose __array__ hands out its own buffer is the user's data: the SVD (also
    the cholesky -> SVD fallback of a singular alpha=0 fit) must not centre it in place."""
    from sklearn.utils.estimator_checks import _NotAnArray
    X, y = _data(30, 4, seed=10)
    X = np.hstack([X, X[:, :1]]) + 5.0  # rank-deficient: alpha=0 falls back to the SVD
    wrapped = _NotAnArray(X.copy())
    fastreg.Ridge(solver=solver, alpha=alpha).fit(wrapped, y)
    np.testing.assert_array_equal(np.asarray(wrapped), X)


def test_ridge_sag_and_saga_report_one_iteration_per_target():
    X, y = _data()
    assert fastreg.Ridge(solver="sag").fit(X, y).n_iter_.tolist() == [1]
    assert fastreg.Ridge(solver="saga").fit(X, np.c_[y, y]).n_iter_.tolist() == [1, 1]


@pytest.mark.parametrize("kw", [dict(), dict(precompute=True), dict(selection="random"),
                                dict(wide=True)])
def test_warm_started_refit_of_an_optimal_solution_is_a_no_op(kw):
    """As scikit-learn's: the warm start's gap is checked before any epoch (0 iterations)."""
    kw = dict(kw)
    X, y = _data(50, 300, seed=11) if kw.pop("wide", False) else _data(30, 5, seed=11)
    model = fastreg.Lasso(alpha=1e-2, warm_start=True, random_state=0, **kw).fit(X, y)
    coef = model.coef_.copy()
    model.fit(X, y)
    np.testing.assert_array_equal(model.coef_, coef)
    assert model.n_iter_ == 0


def test_no_epoch_counts_zero_iterations_as_in_sklearn():
    """alpha >= alpha_max needs no epoch: the working-set solver (p > 100) and the Gram layout
    count 0, as scikit-learn (the all-feature solver for p <= 100 still runs one)."""
    X, y = _data(50, 300, seed=12)
    X, y = X - X.mean(0), y - y.mean()
    for module in (fastreg, _sk()):
        assert module.Lasso(alpha=1e3).fit(X, y).n_iter_ == 0
        assert module.Lasso(alpha=1e3, precompute=True).fit(X[:, :20], y).n_iter_ == 0
        assert module.lasso_path(X, y, alphas=3, precompute=False, return_n_iter=True)[3][0] == 0
        n_iters = module.lasso_path(X[:, :20], y, alphas=[1e3, 1e2, 1e-2], precompute=True,
                                    return_n_iter=True)[3]
        assert list(n_iters[:2]) == [0, 0] and n_iters[2] > 0


@pytest.mark.parametrize("cls", ["Lasso", "LassoCV", "ElasticNetCV"])
def test_nan_past_assume_finite_is_named(cls):
    """With scikit-learn's finiteness check off, NaN still ends in a ValueError that names it
    (not a NaN alpha or an overflow)."""
    import sklearn
    X, y = _data()
    X[3, 1] = np.nan
    with sklearn.config_context(assume_finite=True):
        with pytest.raises(ValueError, match="NaN"):
            _make(getattr(fastreg, cls)).fit(X, y)


def test_max_iter_one_runs_an_epoch_as_in_sklearn():
    """The working-set solver's first gradient does not spend max_iter=1: one epoch runs, and
    warm-started refits progress (scikit-learn's test_warm_start pattern)."""
    X, y = _data(50, 200, seed=13)
    y = X[:, :5].sum(1)
    for module in (fastreg, _sk()):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", ConvergenceWarning)
            one = module.Lasso(alpha=0.1, max_iter=1).fit(X, y)
            model = module.Lasso(alpha=0.1, max_iter=1, warm_start=True)
            for _ in range(20):
                model.fit(X, y)
        assert one.n_iter_ == 1 and np.count_nonzero(one.coef_) > 0
        exact = module.Lasso(alpha=0.1, tol=1e-10).fit(X, y)
        np.testing.assert_allclose(model.coef_, exact.coef_, atol=1e-2)


@pytest.mark.parametrize("precompute", [False, True])
def test_negative_warm_start_under_positive_is_not_kept(precompute):
    X, y = _data(50, 20, seed=14)
    model = fastreg.Lasso(alpha=0.05, warm_start=True, precompute=precompute).fit(X, y)
    assert model.coef_.min() < 0
    model.set_params(positive=True).fit(X, y)
    assert model.coef_.min() >= 0


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("cv", [None, 3])
def test_ridge_cv_coef_dtype_of_a_dataframe_as_in_sklearn(cv, dtype):
    pd = pytest.importorskip("pandas")
    X, y = _data(40, 4, seed=15)
    Xf = pd.DataFrame(X.astype(dtype))
    ours, theirs = fastreg.RidgeCV(cv=cv).fit(Xf, y), _sk().RidgeCV(cv=cv).fit(Xf, y)
    assert ours.coef_.dtype == theirs.coef_.dtype
    np.testing.assert_allclose(ours.coef_, theirs.coef_, rtol=1e-5, atol=1e-6)


def test_nan_in_y_past_assume_finite_is_named():
    import sklearn
    X, y = _data()
    y[2] = np.nan
    for kw in (dict(), dict(precompute=True)):
        with sklearn.config_context(assume_finite=True):
            with pytest.raises(ValueError, match="y contains NaN"):
                fastreg.Lasso(**kw).fit(X, y)
