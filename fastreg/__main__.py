"""``python -m fastreg`` / ``fastreg``: the demo on embedded data.

    fastreg demo [--output PATH] [--no-plot] [--seed N]

The classic overfitting experiment: 20 noisy points of a line, a degree-15 polynomial fitted with no
regularisation, with Ridge and with Lasso (each in a Pipeline with PolynomialFeatures and
StandardScaler), then the Lasso and ElasticNet regularisation paths on scikit-learn's bundled
diabetes data with the cross-validated alpha marked.  fastreg's fit time is printed beside
scikit-learn's for the same model.
"""
import argparse
import sys
import time
import warnings

import numpy as np
from sklearn import linear_model as sk
from sklearn.exceptions import ConvergenceWarning
from sklearn.metrics import mean_squared_error
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import PolynomialFeatures, StandardScaler

import fastreg

DEGREE = 15


def make_line_data(seed):
    """20 training points of y = 2x + 1 + N(0, 2) on linspace(0, 10, 20), and 200 held-out ones."""
    rng = np.random.default_rng(seed)
    x = np.linspace(0, 10, 20)
    y = 2 * x + 1 + rng.normal(0, 2, x.size)
    x_test = rng.uniform(0, 10, 200)
    y_test = 2 * x_test + 1 + rng.normal(0, 2, x_test.size)
    return x[:, None], y, x_test[:, None], y_test


def _pipeline(model):
    return make_pipeline(PolynomialFeatures(DEGREE, include_bias=False), StandardScaler(), model)


def _best_time(make, X, y, repeat=5):
    best, fitted = np.inf, None
    for _ in range(repeat):
        model = make()
        t0 = time.perf_counter()
        model.fit(X, y)
        best = min(best, time.perf_counter() - t0)
        fitted = model
    return best, fitted


def overfitting_experiment(seed=0):
    """Fit the three models; returns rows of results and the fitted fastreg pipelines."""
    X, y, X_test, y_test = make_line_data(seed)
    models = [
        # the exact least-squares fit (SVD, alpha = 0): what "no regularization" really does
        ("no regularization", lambda: fastreg.Ridge(alpha=0.0, solver="svd"),
         lambda: sk.Ridge(alpha=0.0, solver="svd")),
        ("Ridge (alpha=0.1)", lambda: fastreg.Ridge(alpha=0.1), lambda: sk.Ridge(alpha=0.1)),
        ("Lasso (alpha=0.01)", lambda: fastreg.Lasso(alpha=0.01), lambda: sk.Lasso(alpha=0.01)),
    ]
    rows, fitted = [], {}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        for name, ours, theirs in models:
            t_ours, pipe = _best_time(lambda: _pipeline(ours()), X, y)
            t_sk, _ = _best_time(lambda: _pipeline(theirs()), X, y)
            coef = pipe[-1].coef_
            rows.append(dict(
                model=name,
                train_mse=mean_squared_error(y, pipe.predict(X)),
                test_mse=mean_squared_error(y_test, pipe.predict(X_test)),
                nonzero=int(np.count_nonzero(coef)),
                fastreg_ms=1e3 * t_ours,
                sklearn_ms=1e3 * t_sk,
            ))
            fitted[name] = pipe
    return rows, fitted, (X, y)


def diabetes_paths():
    """Lasso and ElasticNet paths on standardized diabetes data, with LassoCV's alpha."""
    from sklearn.datasets import load_diabetes

    X, y = load_diabetes(return_X_y=True)
    X = StandardScaler().fit_transform(X)
    y = y - y.mean()
    lasso = fastreg.lasso_path(X, y, alphas=100, eps=1e-3)
    enet = fastreg.enet_path(X, y, l1_ratio=0.5, alphas=100, eps=1e-3)
    cv = fastreg.LassoCV(cv=5).fit(X, y)
    return lasso, enet, cv.alpha_


def format_table(rows):
    head = (f"{'model':<20} {'train MSE':>10} {'test MSE':>12} {'non-zero':>9} "
            f"{'fastreg ms':>11} {'sklearn ms':>11} {'speed-up':>9}")
    lines = [head, "-" * len(head)]
    for r in rows:
        lines.append(f"{r['model']:<20} {r['train_mse']:>10.3f} {r['test_mse']:>12.3f} "
                     f"{r['nonzero']:>9d} {r['fastreg_ms']:>11.3f} {r['sklearn_ms']:>11.3f} "
                     f"{r['sklearn_ms'] / r['fastreg_ms']:>8.1f}x")
    return "\n".join(lines)


def save_figure(path, fitted, data, paths):
    from .plotting import _require_matplotlib, plot_path

    plt = _require_matplotlib()
    X, y = data
    fig, (ax0, ax1, ax2) = plt.subplots(1, 3, figsize=(17, 5))
    grid = np.linspace(0, 10, 400)[:, None]
    ax0.scatter(X.ravel(), y, color="black", zorder=3, label="data")
    for name, pipe in fitted.items():
        ax0.plot(grid.ravel(), pipe.predict(grid), label=name)
    lo, hi = y.min() - 8, y.max() + 8
    ax0.set_ylim(lo, hi)
    ax0.set_title(f"The dramatic effects of regularization\n(degree-{DEGREE} polynomial)")
    ax0.set_xlabel("x")
    ax0.set_ylabel("y")
    ax0.legend(loc="upper left")
    lasso, enet, alpha_cv = paths
    plot_path(lasso[0], lasso[1], ax=ax1, title="Lasso path (diabetes)", mark_alpha=alpha_cv,
              mark_label=f"LassoCV alpha = {alpha_cv:.3g}")
    plot_path(enet[0], enet[1], ax=ax2, title="ElasticNet path, l1_ratio=0.5 (diabetes)")
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)


def demo(argv=None):
    parser = argparse.ArgumentParser(prog="fastreg demo", description=__doc__.split("\n\n")[1])
    parser.add_argument("--output", default="fastreg_demo.png", help="where to write the PNG")
    parser.add_argument("--no-plot", action="store_true", help="text only, no figure")
    parser.add_argument("--seed", type=int, default=0, help="seed of the noisy data")
    args = parser.parse_args(argv)

    rows, fitted, data = overfitting_experiment(args.seed)
    print(f"fastreg {fastreg.__version__}: degree-{DEGREE} polynomial on 20 points of "
          f"y = 2x + 1 + N(0, 2) (seed {args.seed}); test MSE on 200 held-out points\n")
    print(format_table(rows))
    paths = diabetes_paths()
    lasso_coefs = paths[0][1]
    print(f"\nDiabetes: Lasso path over {lasso_coefs.shape[1]} alphas; LassoCV chose "
          f"alpha = {paths[2]:.4g}")
    if not args.no_plot:
        save_figure(args.output, fitted, data, paths)
        print(f"Figure written to {args.output}")
    return rows


def main(argv=None):
    argv = sys.argv[1:] if argv is None else list(argv)
    if not argv or argv[0] in ("-h", "--help"):
        print("usage: fastreg demo [--output PATH] [--no-plot] [--seed N]")
        return 0 if argv else 2
    if argv[0] != "demo":
        print(f"fastreg: unknown command {argv[0]!r}; the command is 'demo'", file=sys.stderr)
        return 2
    demo(argv[1:])
    return 0


if __name__ == "__main__":
    sys.exit(main())
