"""The demo a new user runs first: headless, writes a real PNG, prints what a direct fit gives."""
import numpy as np
import pytest

from fastreg import __main__ as cli


def test_demo_writes_png_and_prints_table(tmp_path, capsys):
    pytest.importorskip("matplotlib")
    import matplotlib

    matplotlib.use("Agg")
    out = tmp_path / "demo.png"
    rows = cli.demo(["--output", str(out), "--seed", "0"])
    printed = capsys.readouterr().out
    assert out.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and out.stat().st_size > 10_000
    assert str(out) in printed and "Lasso (alpha=0.01)" in printed
    by_name = {r["model"]: r for r in rows}
    # the Lasso curve is sparse, the Ridge one is not
    assert by_name["Lasso (alpha=0.01)"]["nonzero"] < 15
    assert by_name["Ridge (alpha=0.1)"]["nonzero"] == 15
    # regularisation beats the unregularised degree-15 fit on held-out data
    assert by_name["Ridge (alpha=0.1)"]["test_mse"] < by_name["no regularization"]["test_mse"]


def test_printed_numbers_match_a_direct_fit():
    from sklearn.metrics import mean_squared_error
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import PolynomialFeatures, StandardScaler

    import fastreg

    rows, _, _ = cli.overfitting_experiment(seed=3)
    X, y, X_test, y_test = cli.make_line_data(3)
    pipe = make_pipeline(PolynomialFeatures(15, include_bias=False), StandardScaler(),
                         fastreg.Ridge(alpha=0.1)).fit(X, y)
    row = rows[1]
    assert row["model"] == "Ridge (alpha=0.1)"
    assert row["train_mse"] == pytest.approx(mean_squared_error(y, pipe.predict(X)))
    assert row["test_mse"] == pytest.approx(mean_squared_error(y_test, pipe.predict(X_test)))


def test_cli_usage_and_no_plot(capsys):
    assert cli.main(["--help"]) == 0
    assert cli.main(["bogus"]) == 2
    assert cli.main(["demo", "--no-plot"]) == 0
    assert "Figure written" not in capsys.readouterr().out


def test_plot_path_validates_shapes():
    pytest.importorskip("matplotlib")
    from fastreg.plotting import plot_path

    with pytest.raises(ValueError, match="n_alphas"):
        plot_path(np.ones(3), np.ones((2, 4)))
    ax = plot_path(np.geomspace(1, 0.01, 4), np.ones((2, 4)), mark_alpha=0.1)
    assert ax.get_xscale() == "log"
