"""scikit-learn's own estimator checks over every public estimator, plus clone/pickle."""
import pickle

import numpy as np
import pytest
from sklearn.base import clone
from sklearn.utils.estimator_checks import parametrize_with_checks

import fastreg

ESTIMATORS = [fastreg.Lasso(), fastreg.ElasticNet(), fastreg.LassoCV(cv=3),
              fastreg.ElasticNetCV(cv=3)]
for name in ("Ridge", "RidgeCV"):
    if hasattr(fastreg, name):
        ESTIMATORS.append(getattr(fastreg, name)())


def _expected_failed_checks(estimator):
    if type(estimator).__name__ == "Ridge":
        # scikit-learn lists the same expected failure for its own Ridge: the direct solvers
        # (cholesky, svd) run no iterations, so n_iter_ is None
        return {"check_non_transformer_estimators_n_iter": "direct solvers set n_iter_=None"}
    return {}


@parametrize_with_checks(ESTIMATORS, expected_failed_checks=_expected_failed_checks)
def test_sklearn_compatible(estimator, check):
    check(estimator)


@pytest.mark.parametrize("estimator", ESTIMATORS, ids=lambda e: type(e).__name__)
def test_clone_and_pickle_roundtrip(estimator):
    rng = np.random.default_rng(0)
    X, y = rng.standard_normal((40, 6)), rng.standard_normal(40)
    fitted = clone(estimator).fit(X, y)
    again = pickle.loads(pickle.dumps(fitted))
    np.testing.assert_array_equal(again.predict(X), fitted.predict(X))


@pytest.mark.parametrize("estimator", ESTIMATORS, ids=lambda e: type(e).__name__)
def test_param_names_read_once_per_class_match_sklearn(estimator):
    # fastreg reads each class's __init__ signature once (get_params runs in every fit); the
    # names must be scikit-learn's, per class, also for a user's subclass with its own __init__
    from sklearn.base import BaseEstimator

    cls = type(estimator)
    assert cls._get_param_names() == BaseEstimator._get_param_names.__func__(cls)

    class Custom(cls):
        def __init__(self, extra=3, **kwargs):
            super().__init__(**kwargs)
            self.extra = extra

        @classmethod
        def _get_param_names(cls):  # a subclass may read its own parameters
            return sorted(set(super()._get_param_names()) | {"extra"})

    class Narrow(cls):
        def __init__(self, fit_intercept=True):
            super().__init__(fit_intercept=fit_intercept)

    assert "extra" in Custom._get_param_names()
    assert Narrow._get_param_names() == ["fit_intercept"]
    assert Narrow(fit_intercept=False).get_params() == {"fit_intercept": False}
    assert clone(Narrow(fit_intercept=False)).fit_intercept is False
    assert cls._get_param_names() == BaseEstimator._get_param_names.__func__(cls)
