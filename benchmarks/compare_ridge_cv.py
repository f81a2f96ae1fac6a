"""RidgeCV (100 alphas, leave-one-out) against scikit-learn and against one decomposition.

    python benchmarks/compare_ridge_cv.py [--quick] [--threads N] [--repeats R]   # from the root

For each problem: median wall time of fastreg's RidgeCV, of scikit-learn's RidgeCV, and of the
floor = one ``syrk`` (X^T X when n >= p, X X^T when n < p, of the centred X; sparse: the sparse
product plus its rank-one centring) + one symmetric eigendecomposition of that Gram.  The floor
is the faster of NumPy's and SciPy's BLAS/LAPACK (two OpenBLAS builds here).  Ratios come from
the same run; ``threadpoolctl`` info is printed first.  Where scikit-learn would take minutes
(``--quick``, or the sparse problem), its time is extrapolated from fits with 5 and 10 alphas
(its cost is linear in the number of alphas) and marked ``~``.
"""
import argparse
import sys
import time
from pathlib import Path

import numpy as np
import scipy.sparse as sp
from scipy.linalg import blas, lapack
from sklearn.datasets import load_diabetes
from sklearn.linear_model import RidgeCV as SkRidgeCV
from threadpoolctl import threadpool_info, threadpool_limits

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # the in-place build at the root
from fastreg._ridge_cv import RidgeCV  # noqa: E402

ALPHAS = np.logspace(-3, 3, 100)


def problems(quick):
    rng = np.random.default_rng(0)

    def dense(n, p):
        X = rng.standard_normal((n, p)) + rng.standard_normal(p)
        return X, X @ rng.standard_normal(p) + rng.standard_normal(n) * 5

    X, y = load_diabetes(return_X_y=True)
    out = [("dense 10000x300", *dense(10000, 300), False),
           ("dense 2000x500", *dense(2000, 500), False),
           ("dense 300x5000", *dense(300, 5000), False),
           ("diabetes 442x10", X, y, False)]
    n, p = (20000, 2000) if not quick else (10000, 1000)
    Xs = sp.random(n, p, density=1e-2, format="csr", random_state=0,
                   data_rvs=rng.standard_normal)
    out.append((f"sparse {n}x{p} d=1e-2", Xs, Xs @ rng.standard_normal(p)
                + rng.standard_normal(n), True))
    return out


def median_time(fn, repeats):
    fn()  # warm-up
    times = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return float(np.median(times))


def floor_fn(X):
    """syrk + eigh of the smaller centred Gram, NumPy's and SciPy's; returns both callables."""
    n, p = X.shape
    if sp.issparse(X):
        mu = np.asarray(X.mean(axis=0)).ravel()

        def sparse_floor():
            if n >= p:
                G = (X.T @ X).toarray() - n * np.outer(mu, mu)
            else:
                u = X @ mu
                ones = np.ones(n)
                G = (X @ X.T).toarray() - np.outer(u, ones) - np.outer(ones, u) + mu @ mu
            np.linalg.eigh(G)

        return [sparse_floor]
    Xc = np.asfortranarray(X - X.mean(axis=0))
    trans = int(n >= p)

    def numpy_floor():
        np.linalg.eigh(Xc.T @ Xc if trans else Xc @ Xc.T)

    def scipy_floor():
        G = blas.dsyrk(1.0, Xc, trans=trans, lower=1)
        lapack.dsyevd(G, compute_v=1, lower=1)

    return [numpy_floor, scipy_floor]


def sklearn_time(X, y, repeats, extrapolate):
    """scikit-learn's RidgeCV time (and alpha_), extrapolated linearly from 5 and 10 alphas."""
    if not extrapolate:
        model = SkRidgeCV(alphas=ALPHAS)
        return median_time(lambda: model.fit(X, y), repeats), model.alpha_, ""
    t5 = median_time(lambda: SkRidgeCV(alphas=ALPHAS[::20]).fit(X, y), 1)
    t10 = median_time(lambda: SkRidgeCV(alphas=ALPHAS[::10]).fit(X, y), 1)
    return t10 + max(t10 - t5, 0.0) * (len(ALPHAS) - 10) / 5, None, "~"


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true",
                        help="smaller sparse problem, 3 repeats, scikit-learn extrapolated")
    parser.add_argument("--threads", type=int, default=None, help="BLAS threads (default: as is)")
    parser.add_argument("--repeats", type=int, default=None)
    args = parser.parse_args()
    repeats = args.repeats or (3 if args.quick else 7)

    with threadpool_limits(args.threads):
        for info in threadpool_info():
            print(f"# {info['internal_api']} {info['version']} threads={info['num_threads']} "
                  f"arch={info.get('architecture')} {info['filepath'].rsplit('/', 1)[-1]}")
        print(f"# {len(ALPHAS)} alphas logspace(-3, 3); median of {repeats} repeats; times in ms")
        header = (f"{'problem':24} {'fastreg':>9} {'sklearn':>10} {'floor':>8} "
                  f"{'fr/floor':>8} {'sk/floor':>9} {'sk/fr':>7}  same alpha_")
        print(header)
        print("-" * len(header))
        for name, X, y, sparse in problems(args.quick):
            model = RidgeCV(alphas=ALPHAS)
            t_fr = median_time(lambda: model.fit(X, y), repeats)
            t_floor = min(median_time(f, repeats) for f in floor_fn(X))
            slow = sparse or (args.quick and X.shape[0] * X.shape[1] > 2e6)
            t_sk, sk_alpha, mark = sklearn_time(X, y, 1 if slow else repeats, slow)
            same = "-" if sk_alpha is None else str(bool(np.isclose(sk_alpha, model.alpha_)))
            print(f"{name:24} {1e3 * t_fr:9.4g} {mark:>1}{1e3 * t_sk:9.4g} {1e3 * t_floor:8.3g} "
                  f"{t_fr / t_floor:8.3g} {mark:>1}{t_sk / t_floor:8.4g} "
                  f"{mark:>1}{t_sk / t_fr:6.3g}  {same}")


if __name__ == "__main__":
    main()
