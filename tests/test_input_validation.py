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
