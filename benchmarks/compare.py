"""Side-by-side Lasso comparison: fastreg vs scikit-learn, celer and skglm, time to precision.

Every solver is timed on the same objective (scikit-learn's Lasso with an intercept):
each solution's primal objective is computed here, the reference optimum is the best objective
any solver reaches at its tightest tolerance, and each solver is timed (median of repeats) at the
loosest tolerance of a ladder for which it reaches relative suboptimality <= 1e-6.  numba-based
solvers are warmed up first, every solver runs under the same BLAS thread settings (printed), and
ratios come from this one run.

    python benchmarks/compare.py               # all problems (minutes)
    python benchmarks/compare.py --quick       # smaller sizes, a smoke run
    python benchmarks/compare.py --problems tiny dense-tall --plot out.png
    python benchmarks/compare.py --problems diabetes-raw-poly3 --ratios 1000 --max-epochs 20000
    python benchmarks/compare.py --float32     # fastreg on float32 vs float64 data (dense)

The last problem (diabetes in its original units, degree 3) is ill-conditioned enough that some
solvers never reach the precision: cap their epochs with ``--max-epochs`` (they are then
reported as "not reached").  Problems are generated in a fixed order from one seed: select
a subset with ``--problems`` only in that order, or the dense and sparse data change.
"""
import argparse
import json
import time
import warnings

import numpy as np
import scipy.sparse as sp

TARGET = 1e-6
TOLS = [1e-2, 1e-3, 1e-4, 1e-5, 1e-6, 1e-7, 1e-8, 1e-10, 1e-12]


def problems(quick):
    """name -> (X, y); built deterministically."""
    from sklearn.datasets import load_diabetes
    from sklearn.preprocessing import PolynomialFeatures, StandardScaler

    s = 0.2 if quick else 1.0

    # each problem draws from its own generator: its data do not depend on which other
    # problems a run asks for, or in which order
    def dense(n, p, seed, k=20, rho=0.6):
        # AR(1)-correlated columns (corr(X_j, X_k) = rho^|j-k|), as in celer/skglm benchmarks
        rng = np.random.default_rng(seed)
        X = np.empty((n, p), order="F")
        X[:, 0] = rng.standard_normal(n)
        for j in range(1, p):
            X[:, j] = rho * X[:, j - 1] + np.sqrt(1 - rho**2) * rng.standard_normal(n)
        w = np.zeros(p)
        w[rng.choice(p, k, replace=False)] = rng.standard_normal(k)
        return np.asfortranarray(X), X @ w + 0.5 * rng.standard_normal(n)

    def sparse(n, p, density, seed):
        rng = np.random.default_rng(seed)
        X = sp.random(n, p, density=density, format="csc", random_state=0,
                      data_rvs=rng.standard_normal)
        w = np.zeros(p)
        w[rng.choice(p, 50, replace=False)] = rng.standard_normal(50)
        return X, X @ w + 0.1 * rng.standard_normal(n)

    x = np.linspace(0, 10, 20)
    y_tiny = 2 * x + 1 + np.random.default_rng(0).normal(0, 2, 20)
    X_tiny = StandardScaler().fit_transform(PolynomialFeatures(15, include_bias=False)
                                            .fit_transform(x[:, None]))
    Xd, yd = load_diabetes(return_X_y=True)  # features scaled by scikit-learn (unit norm)
    X_poly = np.asfortranarray(PolynomialFeatures(3, include_bias=False).fit_transform(Xd))
    # the original, unscaled measurements (ages, blood pressures, ...) to degree 3: column
    # norms from 30 to 2e8, nearly collinear x, x^2, x^3 -- the classic ill-conditioned case
    Xr, _ = load_diabetes(return_X_y=True, scaled=False)
    X_raw = np.asfortranarray(PolynomialFeatures(3, include_bias=False).fit_transform(Xr))
    return {
        "tiny 20x15": lambda: (np.asfortranarray(X_tiny), y_tiny),
        "dense-tall": lambda: dense(int(20000 * s), 500, seed=0),
        "dense-wide": lambda: dense(500, int(5000 * s), seed=1),
        "sparse": lambda: sparse(int(20000 * s), int(50000 * s), 1e-3, seed=2),
        "diabetes-poly3": lambda: (X_poly, yd),
        "diabetes-raw-poly3": lambda: (X_raw, yd),
    }


def objective(X, y, coef, intercept, alpha):
    r = y - X @ coef - intercept
    return 0.5 * float(r @ r) / len(y) + alpha * float(np.abs(coef).sum())


def alpha_max(X, y):
    yc = y - y.mean()
    Xty = X.T @ yc - np.asarray(X.mean(axis=0)).ravel() * yc.sum()
    return float(np.max(np.abs(Xty))) / len(y)


def solvers(max_epochs=100_000):
    """name -> factory(alpha, tol) of an estimator with fit/coef_/intercept_, each allowed
    ``max_epochs`` coordinate-descent epochs."""
    import fastreg
    from sklearn import linear_model as sk

    out = {
        "fastreg": lambda a, t: fastreg.Lasso(alpha=a, tol=t, max_iter=max_epochs),
        "sklearn": lambda a, t: sk.Lasso(alpha=a, tol=t, max_iter=max_epochs),
    }
    try:
        import celer

        out["celer"] = lambda a, t: celer.Lasso(alpha=a, tol=t, max_iter=1000,
                                                max_epochs=max_epochs)
    except ImportError:
        pass
    try:
        import skglm

        out["skglm"] = lambda a, t: skglm.Lasso(alpha=a, tol=t, max_iter=1000,
                                                max_epochs=max_epochs)
    except ImportError:
        pass
    return out


def timed_fit(make, X, y, repeat):
    times = []
    for _ in range(repeat):
        model = make()
        t0 = time.perf_counter()
        model.fit(X, y)
        times.append(time.perf_counter() - t0)
    return float(np.median(times)), model


def time_to_precision(make, X, y, alpha, f_star, repeat, X_eval=None, y_eval=None):
    """(seconds, tol used, suboptimality) at the loosest tol reaching TARGET, or (nan, ...).

    The objective is computed on ``X_eval, y_eval`` (default: the data fitted), e.g. the
    float64 data of a float32 fit."""
    X_eval = X if X_eval is None else X_eval
    y_eval = y if y_eval is None else y_eval
    sub = np.nan
    for tol in TOLS:
        secs, model = timed_fit(lambda: make(alpha, tol), X, y, repeat)
        coef = np.asarray(model.coef_, dtype=np.float64)
        f = objective(X_eval, y_eval, coef, float(model.intercept_), alpha)
        sub = (f - f_star) / abs(f_star)
        if sub <= TARGET:
            return secs, tol, sub
    return np.nan, np.nan, sub


def compare_paths(probs, chosen, repeat):
    """Full paths (100 alphas down to amax/1000, tol=1e-4, no intercept: data centred first):
    fastreg.lasso_path against scikit-learn's (and celer's celer_path when installed)."""
    import fastreg
    from sklearn.linear_model import lasso_path as sk_path

    paths = {"fastreg": lambda X, y, a: fastreg.lasso_path(X, y, alphas=a, tol=1e-4)[1],
             "sklearn": lambda X, y, a: sk_path(X, y, alphas=a, tol=1e-4)[1]}
    try:
        from celer import celer_path

        paths["celer"] = lambda X, y, a: celer_path(X, y, "lasso", alphas=a, tol=1e-4)[1]
    except ImportError:
        pass
    rows = []
    for pname in chosen:
        X, y = probs[pname]()
        y = y - y.mean()
        if not sp.issparse(X):
            X = np.asfortranarray(X - X.mean(axis=0))
        amax = float(np.max(np.abs(X.T @ y))) / len(y)
        alphas = np.geomspace(amax, amax / 1000, 100)
        row = {"problem": pname, "shape": list(X.shape)}
        times = {name: [] for name in paths}
        coefs = {name: run(X, y, alphas) for name, run in paths.items()}  # warm-up
        for _ in range(repeat):  # solvers interleaved: a drift in machine speed hits all
            for name, run in paths.items():
                t0 = time.perf_counter()
                coefs[name] = run(X, y, alphas)
                times[name].append(time.perf_counter() - t0)
        for name in paths:
            row[name] = float(np.median(times[name]))
            row[name + "_obj"] = float(np.sum([objective(X, y, coefs[name][:, i], 0.0, a)
                                               for i, a in enumerate(alphas)]))
        rows.append(row)
        line = f"path {pname:<16} {str(tuple(X.shape)):<15}"
        for name in paths:
            line += f" {name} {1e3 * row[name]:9.1f} ms"
        for name in paths:
            if name != "fastreg":
                line += f" | {name}/fastreg {row[name] / row['fastreg']:5.1f}x"
        print(line, flush=True)
    return rows


def compare_cv(probs, chosen, repeat):
    """LassoCV with the same 5 folds and 100 alphas: fastreg vs scikit-learn (and celer)."""
    import fastreg
    from sklearn.linear_model import LassoCV as SkLassoCV
    from sklearn.model_selection import KFold

    models = {"fastreg": fastreg.LassoCV, "sklearn": SkLassoCV}
    try:
        import celer

        celer.LassoCV(cv=KFold(5), alphas=100, tol=1e-4)
        models["celer"] = celer.LassoCV
    except ImportError:
        pass
    except TypeError as exc:  # celer 0.7.4 passes n_alphas, which scikit-learn 1.9 removed
        print(f"celer.LassoCV skipped: it does not run with this scikit-learn ({exc})")
    rows = []
    for pname in chosen:
        X, y = probs[pname]()
        row = {"problem": pname, "shape": list(X.shape)}
        times = {name: [] for name in models}
        for _ in range(repeat):  # solvers interleaved: a drift in machine speed hits all
            for name, cls in models.items():
                t0 = time.perf_counter()
                model = cls(cv=KFold(5), alphas=100, tol=1e-4).fit(X, y)
                times[name].append(time.perf_counter() - t0)
                row[name + "_alpha"] = float(model.alpha_)
        for name in models:
            row[name] = float(np.median(times[name]))
        rows.append(row)
        line = f"cv {pname:<16} {str(tuple(X.shape)):<15}"
        for name in models:
            line += f" {name} {row[name]:7.3f} s (alpha {row[name + '_alpha']:.4g})"
        best = min(row[n] for n in models if n != "fastreg")
        line += f" | sklearn/fastreg {row['sklearn'] / row['fastreg']:5.1f}x" \
                f" | best other/fastreg {best / row['fastreg']:5.1f}x"
        print(line, flush=True)
    return rows


def compare_float32(probs, chosen, ratios, repeat):
    """fastreg on float32 copies of the data vs the float64 data: time to the same relative
    suboptimality, both objectives computed in float64 on the float64 data."""
    import fastreg

    def make(alpha, tol):
        return fastreg.Lasso(alpha=alpha, tol=tol)

    rows = []
    for pname in chosen:
        X, y = probs[pname]()
        X32 = X.astype(np.float32) if sp.issparse(X) else np.asfortranarray(X, np.float32)
        y32 = y.astype(np.float32)
        amax = alpha_max(X, y)
        for ratio in ratios:
            alpha = amax / ratio
            ref = make(alpha, 1e-12).fit(X, y)
            f_star = objective(X, y, ref.coef_, ref.intercept_, alpha)
            make(alpha, 1e-2).fit(X32, y32)  # warm-up
            t64, tol64, _ = time_to_precision(make, X, y, alpha, f_star, repeat)
            t32, tol32, sub32 = time_to_precision(make, X32, y32, alpha, f_star, repeat,
                                                  X_eval=X, y_eval=y)
            row = {"problem": pname, "shape": list(X.shape), "alpha": f"amax/{ratio:g}",
                   "float64": t64, "float32": t32, "float64_tol": tol64, "float32_tol": tol32}
            rows.append(row)
            t32_text = f"{1e3 * t32:9.2f} ms" if np.isfinite(t32) else (
                f"not reached (suboptimality {sub32:.1e})")
            print(f"float32 {pname:<16} {str(tuple(X.shape)):<15} {row['alpha']:<9} "
                  f"float64 {1e3 * t64:9.2f} ms (tol {tol64:g}) float32 {t32_text} "
                  f"(tol {tol32:g}) | float64/float32 {t64 / t32:5.2f}x", flush=True)
    return rows


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--problems", nargs="*")
    parser.add_argument("--solvers", nargs="*")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--max-epochs", type=int, default=100_000,
                        help="epochs every solver may spend per fit (lower it for problems "
                             "where some solver never reaches the precision)")
    parser.add_argument("--ratios", nargs="*", type=float, default=[10, 100])
    parser.add_argument("--path", action="store_true",
                        help="time full 100-alpha lasso paths (tol=1e-4) instead")
    parser.add_argument("--cv", action="store_true",
                        help="time LassoCV (5 folds, 100 alphas, tol=1e-4) instead")
    parser.add_argument("--float32", action="store_true",
                        help="time fastreg on float32 vs float64 data instead (default "
                             "problems: dense-tall dense-wide)")
    parser.add_argument("--json", help="write the results here")
    parser.add_argument("--plot", help="write a bar chart of the times here (PNG)")
    args = parser.parse_args(argv)
    from sklearn.exceptions import ConvergenceWarning
    from threadpoolctl import threadpool_info

    warnings.simplefilter("ignore", ConvergenceWarning)
    warnings.simplefilter("ignore", UserWarning)
    print("threadpoolctl:", [(i["internal_api"], i["num_threads"], i.get("version"))
                             for i in threadpool_info()])
    probs = problems(args.quick)
    chosen = args.problems or list(probs)
    if args.path:
        return compare_paths(probs, chosen, args.repeat)
    if args.cv:
        return compare_cv(probs, chosen, args.repeat)
    if args.float32:
        return compare_float32(probs, args.problems or ["dense-tall", "dense-wide"],
                               args.ratios, args.repeat)
    all_solvers = solvers(args.max_epochs)
    names = args.solvers or list(all_solvers)
    rows = []
    for pname in chosen:
        X, y = probs[pname]()
        amax = alpha_max(X, y)
        for ratio in args.ratios:
            alpha = amax / ratio
            for name in names:  # warm-up (numba compilation) and reference objectives
                all_solvers[name](alpha, 1e-2).fit(X, y)
            f_star = min(objective(X, y, m.coef_, m.intercept_, alpha) for m in
                         (timed_fit(lambda: all_solvers[n](alpha, 1e-12), X, y, 1)[1]
                          for n in names))
            row = {"problem": pname, "shape": list(X.shape), "alpha": f"amax/{ratio:g}"}
            for name in names:
                secs, tol, sub = time_to_precision(all_solvers[name], X, y, alpha, f_star,
                                                   args.repeat)
                row[name] = secs
                row[name + "_tol"] = tol
            rows.append(row)
            line = f"{pname:<16} {str(tuple(X.shape)):<15} {row['alpha']:<9}"
            for name in names:
                line += (f" {name} {1e3 * row[name]:9.2f} ms" if np.isfinite(row[name]) else
                         f" {name} {'not reached':>12}")
            ref = row.get("fastreg")
            for name in names:
                if name != "fastreg" and ref:
                    line += f" | {name}/fastreg {row[name] / ref:6.1f}x"
            print(line, flush=True)
    if args.json:
        with open(args.json, "w") as fh:
            json.dump(rows, fh, indent=1)
    if args.plot:
        import matplotlib.pyplot as plt

        fig, ax = plt.subplots(figsize=(10, 4))
        width = 0.8 / len(names)
        for k, name in enumerate(names):
            ax.bar(np.arange(len(rows)) + k * width, [1e3 * r[name] for r in rows], width,
                   label=name)
        ax.set_xticks(np.arange(len(rows)) + 0.4 - width / 2,
                      [f"{r['problem']}\n{r['alpha']}" for r in rows], fontsize=7)
        ax.set_yscale("log")
        ax.set_ylabel(f"ms to relative suboptimality {TARGET:g}")
        ax.legend()
        fig.tight_layout()
        fig.savefig(args.plot, dpi=110)
    return rows


if __name__ == "__main__":
    main()
