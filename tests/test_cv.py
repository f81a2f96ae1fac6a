"""LassoCV / ElasticNetCV against scikit-learn's on the same folds."""
import numpy as np
import pytest
import scipy.sparse as sp
from sklearn import linear_model as sk
from sklearn.model_selection import GridSearchCV, KFold, ShuffleSplit
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from fastreg import ElasticNet, ElasticNetCV, LassoCV
from _helpers import make_problem, constant_column_problem


@pytest.mark.parametrize("sparse", [False, True])
@pytest.mark.parametrize("dtype", [np.float64, np.float32])
@pytest.mark.parametrize("weighted", [False, True])
def test_lassocv_matches_sklearn(sparse, dtype, weighted):
    X, y = make_problem(120, 40, density=0.3 if sparse else None, seed=2, dtype=dtype)
    sw = np.random.default_rng(0).uniform(0.5, 2, len(y)) if weighted else None
    cv = KFold(4, shuffle=True, random_state=0)
    kw = dict(cv=cv, alphas=20, tol=1e-8, max_iter=10_000)
    ours = LassoCV(**kw).fit(X, y, sample_weight=sw)
    theirs = sk.LassoCV(**kw).fit(X, y, sample_weight=sw)
    np.testing.assert_allclose(ours.alphas_, theirs.alphas_, rtol=1e-5)
    assert ours.mse_path_.shape == theirs.mse_path_.shape == (20, 4)
    rtol = 1e-5 if dtype == np.float64 else 1e-3
    np.testing.assert_allclose(ours.mse_path_, theirs.mse_path_, rtol=rtol,
                               atol=0 if dtype == np.float64 else 1e-4 * theirs.mse_path_.max())
    assert ours.alpha_ == pytest.approx(theirs.alpha_, rel=1e-5)
    np.testing.assert_allclose(ours.coef_, theirs.coef_, atol=1e-3 * np.abs(theirs.coef_).max())
    assert ours.coef_.dtype == dtype


def test_elasticnetcv_l1_ratio_list():
    X, y = make_problem(100, 20, seed=3)
    cv = KFold(3)
    kw = dict(l1_ratio=[0.2, 0.7, 1.0], cv=cv, alphas=15, tol=1e-8)
    ours = ElasticNetCV(**kw).fit(X, y)
    theirs = sk.ElasticNetCV(**kw).fit(X, y)
    assert ours.mse_path_.shape == theirs.mse_path_.shape == (3, 15, 3)
    assert ours.alphas_.shape == (3, 15)
    np.testing.assert_allclose(ours.mse_path_, theirs.mse_path_, rtol=1e-5)
    assert ours.l1_ratio_ == theirs.l1_ratio_
    assert ours.alpha_ == pytest.approx(theirs.alpha_)


def test_explicit_alpha_grid_and_n_jobs():
    X, y = make_problem(80, 15, seed=4)
    grid = [1.0, 0.1, 0.01, 0.5]
    a = LassoCV(alphas=grid, cv=3, n_jobs=2).fit(X, y)
    b = sk.LassoCV(alphas=grid, cv=3).fit(X, y)
    np.testing.assert_array_equal(a.alphas_, b.alphas_)
    assert a.alpha_ == b.alpha_


@pytest.mark.parametrize("precompute", ["auto", False])
def test_threads_only_for_enough_work_and_same_results(monkeypatch, precompute):
    # folds run in joblib threads only when their work dwarfs joblib's ~10 ms of start-up and
    # polling; either way the results are those of one thread (the Gram layout's whole path
    # runs without the GIL, so its folds really overlap)
    import joblib

    from fastreg import _cv

    X, y = make_problem(120, 30, seed=8)
    seen = []

    class Recording(joblib.Parallel):
        def __init__(self, n_jobs=None, **kw):
            seen.append(n_jobs)
            super().__init__(n_jobs=n_jobs, **kw)

    monkeypatch.setattr(_cv, "Parallel", Recording)
    kw = dict(l1_ratio=[0.5, 1.0], cv=4, alphas=20, precompute=precompute)
    one = ElasticNetCV(n_jobs=1, **kw).fit(X, y)
    small = ElasticNetCV(n_jobs=2, **kw).fit(X, y)
    monkeypatch.setattr(_cv, "PARALLEL_MIN_WORK", 0)
    threads = ElasticNetCV(n_jobs=2, **kw).fit(X, y)
    assert seen == [1, 1, 2]
    for m in (small, threads):
        np.testing.assert_array_equal(m.mse_path_, one.mse_path_)
        np.testing.assert_array_equal(m.coef_, one.coef_)
        assert (m.alpha_, m.l1_ratio_) == (one.alpha_, one.l1_ratio_)


def test_multioutput_rejected_like_sklearn():
    X, Y = make_problem(50, 5, n_targets=2, seed=5)
    with pytest.raises(ValueError, match="MultiTaskLassoCV"):
        LassoCV().fit(X, Y)


def test_in_pipeline_and_gridsearch():
    X, y = make_problem(80, 10, seed=6)
    pipe = make_pipeline(StandardScaler(), LassoCV(cv=3)).fit(X, y)
    assert pipe.score(X, y) > 0.5
    search = GridSearchCV(ElasticNet(), {"alpha": [0.01, 0.1], "l1_ratio": [0.3, 0.9]},
                          cv=3, n_jobs=2).fit(X, y)
    assert search.best_params_["alpha"] in (0.01, 0.1)


def test_verbose_reports_folds_and_alphas(capsys):
    X, y = make_problem(60, 8, seed=7)
    LassoCV(cv=3, alphas=5, verbose=2).fit(X, y)
    out = capsys.readouterr().out
    assert out.count("fold") == 3 and "alpha 005/005" in out


@pytest.mark.parametrize("offset", [0.0, 1e6])
def test_fold_gram_from_all_rows_matches_sklearn(offset):
    # n >> p dense without weights: each fold's Gram comes from X^T X of all rows minus the
    # test rows; a column whose mean dwarfs its spread falls back to explicit fold copies
    X, y = make_problem(200, 10, seed=8)
    X[:, 3] += offset
    kw = dict(cv=KFold(4), alphas=15, tol=1e-10, max_iter=100_000)
    ours = LassoCV(**kw).fit(X, y)
    theirs = sk.LassoCV(**kw).fit(X, y)
    np.testing.assert_allclose(ours.mse_path_, theirs.mse_path_, rtol=1e-6)
    assert ours.alpha_ == pytest.approx(theirs.alpha_)


@pytest.mark.parametrize("cv", [KFold(5, shuffle=True, random_state=0),
                                ShuffleSplit(3, test_size=0.25, random_state=0)])
@pytest.mark.parametrize("y_shift", [0.0, 1e6])
def test_lassocv_gram_folds_match_sklearn(cv, y_shift):
    # n >> p: every fold's Gram matrix comes from the test sets' own sums (KFold: the test
    # sets partition the rows) or from all rows minus the test rows (ShuffleSplit), and the
    # test errors from the test sets' Gram matrices; a large offset of y must cost no digits
    X, y = make_problem(300, 12, seed=21, offset=5.0)
    y = y + y_shift
    kw = dict(cv=cv, alphas=15, tol=1e-10, max_iter=100_000)
    ours = LassoCV(**kw).fit(X, y)
    theirs = sk.LassoCV(**kw).fit(X, y)
    np.testing.assert_allclose(ours.mse_path_, theirs.mse_path_, rtol=1e-6)
    assert ours.alpha_ == pytest.approx(theirs.alpha_)
    np.testing.assert_allclose(ours.intercept_, theirs.intercept_, rtol=1e-8)


@pytest.mark.parametrize("rows", [
    np.r_[0:10, 20:50], np.arange(50), np.r_[5:6], np.array([], dtype=int),
    np.random.default_rng(0).permutation(50)[:30], np.r_[3, 4, 5, 1, 2], np.r_[10:20, 0:5],
    np.array([49, 48]), np.array([-1, 0]), np.arange(50) % 7 == 0,
    np.arange(10, 50, dtype=np.uint64), np.array([49, 0], dtype=np.uint8),
    np.r_[20:30, 0:5].astype(np.int32),
], ids=["two-runs", "all", "one", "empty", "shuffled", "runs-out-of-order", "wrapped",
        "descending", "negative", "mask", "uint64", "uint8", "int32"])
def test_take_rows_equals_fancy_indexing(rows):
    # the fold copies: runs of consecutive rows are copied block by block, other row sets
    # gathered; either way X[rows] exactly, Fortran-ordered when X is
    from fastreg._cv import _take_rows

    X = np.asfortranarray(np.random.default_rng(1).standard_normal((50, 7)))
    got = _take_rows(X, rows)
    np.testing.assert_array_equal(got, X[rows])
    if rows.dtype.kind in "iu":
        assert got.flags.f_contiguous


def test_cv_splits_given_as_boolean_masks():
    # scikit-learn indexes X[train] and so accepts boolean masks as splits; they select the
    # same rows as their indices (an error before: masks were taken as row numbers 0 and 1)
    rng = np.random.default_rng(0)
    X = np.asfortranarray(rng.standard_normal((60, 8)))
    y = X[:, 0] + 0.1 * rng.standard_normal(60)
    masks = [(np.arange(60) % 3 != k, np.arange(60) % 3 == k) for k in range(3)]
    indices = [(np.flatnonzero(tr), np.flatnonzero(te)) for tr, te in masks]
    ref = sk.LassoCV(cv=masks, tol=1e-10, max_iter=100_000).fit(X, y)
    for precompute in ("auto", True):  # True: the fold Gram matrices from the test sets'
        by_mask = LassoCV(cv=masks, tol=1e-10, precompute=precompute).fit(X, y)
        by_index = LassoCV(cv=indices, tol=1e-10, precompute=precompute).fit(X, y)
        np.testing.assert_allclose(by_mask.mse_path_, by_index.mse_path_, rtol=1e-10)
        np.testing.assert_allclose(by_mask.mse_path_, ref.mse_path_, rtol=1e-6)
        assert by_mask.alpha_ == pytest.approx(ref.alpha_)


@pytest.mark.parametrize("cv", ["time-series", "one-split"])
def test_training_rows_that_are_not_the_test_sets_complement(cv):
    # n >> p folds build their Gram matrices from all rows minus the test rows: that is the
    # training set only when it is the test set's complement, which TimeSeriesSplit and
    # custom splits break (mse_path_ was 22% off before); those folds use their own rows
    from sklearn.model_selection import TimeSeriesSplit

    rng = np.random.default_rng(0)
    X = np.asfortranarray(rng.standard_normal((200, 8)))
    y = X[:, :3] @ np.array([1.0, -2.0, 0.5]) + 0.5 * rng.standard_normal(200)
    splits = TimeSeriesSplit(4) if cv == "time-series" else [(np.r_[0:100], np.r_[150:200])]
    ours = LassoCV(cv=splits, tol=1e-10).fit(X, y)
    ref = sk.LassoCV(cv=splits, tol=1e-10, max_iter=100_000).fit(X, y)
    np.testing.assert_allclose(ours.mse_path_, ref.mse_path_, rtol=1e-6)
    assert ours.alpha_ == pytest.approx(ref.alpha_)


@pytest.mark.parametrize("layout", ["dense", "sparse"])
@pytest.mark.parametrize("weighted", [False, True])
def test_alpha_grid_ignores_constant_columns(layout, weighted):
    # a constant column's centred product with y is rounding only (here 5e9 times float32
    # rounding: the grid's top was 4-15 times too high); the grid is the one without it
    X, y, rng = constant_column_problem(np.float32)
    sw = rng.uniform(0.5, 2.0, 60).astype(np.float32) if weighted else None
    Xl = sp.csc_matrix(X) if layout == "sparse" else X
    with_it = LassoCV(cv=3).fit(Xl, y, sample_weight=sw)
    without = LassoCV(cv=3).fit(np.delete(X, 1, axis=1), y, sample_weight=sw)
    np.testing.assert_allclose(with_it.alphas_, without.alphas_, rtol=1e-5)
