"""Plotting helpers (matplotlib is optional: ``pip install "fastreg[plot]"``)."""
import numpy as np


def _require_matplotlib():
    try:
        import matplotlib.pyplot as plt  # falls back to the Agg backend without a display
    except ImportError as exc:  # pragma: no cover - depends on the environment
        raise ImportError(
            "fastreg.plotting needs matplotlib, which is not installed. "
            'Install it with: pip install "fastreg[plot]"'
        ) from exc
    return plt


def plot_path(alphas, coefs, *, ax=None, title=None, mark_alpha=None, mark_label=None,
              feature_names=None):
    """Plot a regularisation path: each coefficient against alpha (log scale).

    Parameters
    ----------
    alphas : ndarray of shape (n_alphas,)
        As returned by :func:`fastreg.lasso_path` / :func:`fastreg.enet_path`.
    coefs : ndarray of shape (n_features, n_alphas)
    ax : matplotlib Axes, default=None
        Drawn on a new figure when None.
    title : str, default=None
    mark_alpha : float, default=None
        An alpha to mark with a vertical line (e.g. ``LassoCV().alpha_``).
    mark_label : str, default=None
    feature_names : list of str, default=None
        Legend entries for the coefficients.

    Returns
    -------
    ax : matplotlib Axes
    """
    plt = _require_matplotlib()
    alphas = np.asarray(alphas)
    coefs = np.asarray(coefs)
    if coefs.ndim != 2 or coefs.shape[1] != alphas.shape[0]:
        raise ValueError(f"coefs must have shape (n_features, n_alphas={alphas.shape[0]}), "
                         f"got {coefs.shape}")
    if ax is None:
        _, ax = plt.subplots(figsize=(6, 4.5))
    for j, c in enumerate(coefs):
        ax.plot(alphas, c, label=None if feature_names is None else feature_names[j])
    ax.set_xscale("log")
    ax.invert_xaxis()
    ax.set_xlabel("alpha (log scale)")
    ax.set_ylabel("coefficients")
    if title:
        ax.set_title(title)
    if mark_alpha is not None:
        ax.axvline(mark_alpha, color="black", linestyle="--", label=mark_label or "chosen alpha")
        ax.legend(loc="best", fontsize=8)
    elif feature_names is not None:
        ax.legend(loc="best", fontsize=8)
    return ax
