"""fastreg.Ridge against scikit-learn's Ridge and against the raw LAPACK floor, in one run.

For every problem the script times (median of repeated runs, in two passes over the methods in
opposite orders so that drifting machine load hits all of them alike; see ``time_blocks``):

* ``fastreg``     fastreg's Ridge, ``solver="auto"``;
* ``sk auto``     sklearn.linear_model.Ridge, ``solver="auto"``;
* ``sk chol``     sklearn.linear_model.Ridge, ``solver="cholesky"`` (dense only: scikit-learn
  does not fit an intercept on sparse X with it);
* ``floor``       the LAPACK work of the closed form called directly from SciPy (dense only):
  explicit centring of X and y, ``syrk`` (X^T X, or X X^T when n < p), ``X^T y``, ``potrf``,
  ``potrs`` (and ``X^T dual`` for n < p).  No validation, no intercept, no checks.

and prints times and the ratios sklearn / fastreg and fastreg / floor.  Every method runs under
the same BLAS thread settings (printed from threadpoolctl; ``--threads`` caps them all).  The
coefficients of fastreg and scikit-learn are compared too (relative difference), so a fast
wrong answer cannot go unnoticed.

    python benchmarks/compare_ridge.py             # all problems (a few minutes)
    python benchmarks/compare_ridge.py --quick     # smaller sizes and fewer repeats
    python benchmarks/compare_ridge.py --only 20x15 442x285 --threads 1
"""
import argparse
import json
import sys
import time
import warnings
from pathlib import Path

import numpy as np
import scipy.sparse as sp
from scipy.linalg import get_blas_funcs, get_lapack_funcs


# ---------------------------------------------------------------------------------------------
# problems
# ---------------------------------------------------------------------------------------------
def problems(quick):
    """name -> (builder returning (X, y), alpha); built deterministically, C-ordered X."""
    s = 0.25 if quick else 1.0

    def dense(n, p, n_targets=None, seed=0):
        def build():
            rng = np.random.default_rng(seed)
            X = rng.standard_normal((n, p)) + rng.standard_normal(p)  # non-centred columns
            w = rng.standard_normal((p,) if n_targets is None else (p, n_targets))
            noise = rng.standard_normal((n,) if n_targets is None else (n, n_targets))
            return X, X @ w + noise + 1.0
        return build

    def sparse(n, p, density, seed=0):
        def build():
            rng = np.random.default_rng(seed)
            X = sp.random(n, p, density=density, format="csr", random_state=seed,
                          data_rvs=rng.standard_normal)
            return X, X @ rng.standard_normal(p) + 0.1 * rng.standard_normal(n) + 1.0
        return build

    big = lambda k: max(int(k * s), 1)  # noqa: E731
    return {
        "20x15": (dense(20, 15), 1.0),
        "442x285": (dense(442, 285), 1.0),  # diabetes-like size, random data
        "2000x500": (dense(2000, 500), 1.0),
        f"tall {big(50000)}x{big(1000)}": (dense(big(50000), big(1000)), 1.0),
        f"wide {big(2000)}x{big(20000)}": (dense(big(2000), big(20000)), 1.0),
        f"{big(20000)}x{big(1000)} 20 targets": (dense(big(20000), big(1000), n_targets=20), 1.0),
        f"sparse {big(20000)}x{big(5000)} d=1e-3": (sparse(big(20000), big(5000), 1e-3), 1.0),
    }


# ---------------------------------------------------------------------------------------------
# methods
# ---------------------------------------------------------------------------------------------
def lapack_floor(X, y, alpha):
    """Centring + syrk + potrf + potrs straight from SciPy (the closed form's LAPACK work)."""
    Xc = X - X.mean(axis=0)  # C-ordered copy: Xc.T is its Fortran-ordered view
    yc = y - y.mean(axis=0)
    Y = yc.reshape(len(yc), -1, order="F")
    syrk, gemm = get_blas_funcs(("syrk", "gemm"), (Xc,))
    potrf, potrs = get_lapack_funcs(("potrf", "potrs"), (Xc,))
    n, p = Xc.shape
    if n >= p:
        A = syrk(1.0, Xc.T, lower=1)  # Xc^T Xc
        B = gemm(1.0, Xc.T, Y)
    else:
        A = syrk(1.0, Xc.T, trans=1, lower=1)  # Xc Xc^T
        B = np.array(Y, order="F")
    A.flat[:: A.shape[0] + 1] += alpha
    c, info = potrf(A, lower=1, clean=0, overwrite_a=1)
    x, info = potrs(c, B, lower=1, overwrite_b=1)
    coef = x if n >= p else gemm(1.0, Xc.T, x, trans_a=0)
    return coef.T


def _import_fastreg():
    try:
        import fastreg
    except ImportError:  # a checkout, not installed: use the repository's package
        sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
        import fastreg
    return fastreg


def methods(X):
    from sklearn.linear_model import Ridge as SkRidge

    fastreg = _import_fastreg()

    out = {
        "fastreg": lambda X, y, a: fastreg.Ridge(alpha=a).fit(X, y).coef_,
        "sk auto": lambda X, y, a: SkRidge(alpha=a).fit(X, y).coef_,
    }
    if not sp.issparse(X):
        out["sk chol"] = lambda X, y, a: SkRidge(alpha=a, solver="cholesky").fit(X, y).coef_
        out["floor"] = lapack_floor
    return out


# ---------------------------------------------------------------------------------------------
# timing
# ---------------------------------------------------------------------------------------------
def time_blocks(funcs, args, *, budget, min_runs, max_runs, warmup=0.5):
    """Median seconds per function over two passes (A B C D, then D C B A).

    In each pass a function is first warmed up (at least 2 calls and ``warmup`` seconds: on this
    kind of machine the first multi-threaded BLAS calls after another library's BLAS ran can
    stall for ~0.25 s each while thread pools wake up), then called repeatedly for its share of
    ``budget``.  Blocks rather than interleaved calls: interleaving scikit-learn (numpy's
    OpenBLAS) with SciPy's OpenBLAS would time the wake-ups, not the work.
    """
    names = list(funcs)
    times = {name: [] for name in names}
    results = {}
    for order in (names, names[::-1]):
        for name in order:
            f, t_start, calls = funcs[name], time.perf_counter(), 0
            while calls < 2 or (time.perf_counter() - t_start < warmup and calls < max_runs):
                t0 = time.perf_counter()
                results[name] = f(*args)
                t_one = time.perf_counter() - t0
                calls += 1
            runs = int(np.clip(0.5 * budget / len(names) / max(t_one, 1e-9), min_runs, max_runs))
            for _ in range(runs):
                t0 = time.perf_counter()
                f(*args)
                times[name].append(time.perf_counter() - t0)
    return ({name: float(np.median(ts)) for name, ts in times.items()}, results,
            min(len(ts) for ts in times.values()))


def fmt_time(t):
    if t is None:
        return "-"
    return f"{t * 1e6:.0f} us" if t < 1e-3 else (f"{t * 1e3:.2f} ms" if t < 1 else f"{t:.2f} s")


def fmt_ratio(a, b):
    return "-" if a is None or b is None else f"{a / b:.2f}"


def thread_info():
    from threadpoolctl import threadpool_info

    return [{k: d.get(k) for k in ("user_api", "internal_api", "version", "num_threads",
                                   "architecture", "filepath")}
            for d in threadpool_info()]


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="smaller sizes, fewer repeats")
    parser.add_argument("--only", nargs="*", default=None,
                        help="problems whose name contains any of these strings")
    parser.add_argument("--threads", type=int, default=None,
                        help="cap every BLAS/OpenMP pool at this many threads (threadpoolctl)")
    parser.add_argument("--budget", type=float, default=None,
                        help="seconds of timed rounds per problem (default 3, quick 1)")
    parser.add_argument("--json", default=None, help="also write the results to this file")
    args = parser.parse_args(argv)
    budget = args.budget or (1.0 if args.quick else 3.0)

    import sklearn
    from threadpoolctl import threadpool_limits

    fastreg = _import_fastreg()
    limits = threadpool_limits(args.threads) if args.threads else None
    import scipy  # noqa: F401  (load every BLAS before recording the pools)
    info = thread_info()
    print(f"fastreg {fastreg.__version__}, scikit-learn {sklearn.__version__}, "
          f"numpy {np.__version__}, scipy {scipy.__version__}")
    for d in info:
        print(f"  {d['internal_api']} {d['version']} ({d['user_api']}, {d['architecture']}): "
              f"{d['num_threads']} threads  [{str(d['filepath']).rsplit('/', 1)[-1]}]")

    header = (f"{'problem':<30} {'fastreg':>10} {'sk auto':>10} {'sk chol':>10} {'floor':>10} "
              f"{'sk/fr':>6} {'skchol/fr':>9} {'fr/floor':>8} {'runs':>6} {'|dcoef|':>8}")
    print()
    print(header)
    print("-" * len(header))
    rows = []
    for name, (build, alpha) in problems(args.quick).items():
        if args.only and not any(o in name for o in args.only):
            continue
        X, y = build()
        funcs = methods(X)
        small = (X.shape[0] * X.shape[1]) < 1e6
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            t, results, rounds = time_blocks(
                funcs, (X, y, alpha), budget=budget,
                min_runs=20 if small else 2, max_runs=2000 if small else 8)
        c_fr, c_sk = results["fastreg"], results["sk auto"]
        dcoef = float(np.linalg.norm(c_fr - c_sk) / np.linalg.norm(c_sk))
        row = {"problem": name, "shape": list(X.shape), "times": t, "rounds": rounds,
               "coef_rel_diff_vs_sklearn": dcoef}
        rows.append(row)
        g = t.get
        print(f"{name:<30} {fmt_time(g('fastreg')):>10} {fmt_time(g('sk auto')):>10} "
              f"{fmt_time(g('sk chol')):>10} {fmt_time(g('floor')):>10} "
              f"{fmt_ratio(g('sk auto'), g('fastreg')):>6} "
              f"{fmt_ratio(g('sk chol'), g('fastreg')):>9} "
              f"{fmt_ratio(g('fastreg'), g('floor')):>8} {rounds:>6} {dcoef:>8.1e}", flush=True)
        del X, y, results
    print("\nsk/fr, skchol/fr: speed-up over scikit-learn (> 1: fastreg faster); fr/floor: "
          "fastreg's time over the bare LAPACK work (<= 1: no overhead beyond it).  Sparse: "
          "both use sparse_cg (tol=1e-4) under solver='auto'; |dcoef| is the relative "
          "difference of the coefficients.")
    if args.json:
        with open(args.json, "w") as f:
            json.dump({"threadpool_info": info, "quick": args.quick, "rows": rows}, f, indent=1)
    if limits is not None:
        limits.restore_original_limits()


if __name__ == "__main__":
    main()
