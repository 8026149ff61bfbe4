import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402

import lstm_course as lc  # noqa: E402


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


def test_set_theme_applies_course_style():
    lc.set_theme()
    assert plt.rcParams["axes.spines.top"] is False
    assert plt.rcParams["axes.grid"] is True


def test_plot_history_draws_train_and_validation_per_metric():
    history = {"loss": [1.0, 0.5, 0.3], "val_loss": [1.1, 0.7, 0.6], "mae": [0.9, 0.6, 0.4]}
    fig = lc.plot_history(history)
    assert [ax.get_title() for ax in fig.axes] == ["loss", "mae"]
    loss_lines = fig.axes[0].get_lines()
    assert [line.get_label() for line in loss_lines] == ["training", "validation"]
    np.testing.assert_array_equal(loss_lines[1].get_ydata(), [1.1, 0.7, 0.6])
    assert len(fig.axes[1].get_lines()) == 1  # no val_mae logged


def test_plot_history_accepts_keras_history_object():
    class FakeHistory:
        history = {"loss": [2.0, 1.0]}

    fig = lc.plot_history(FakeHistory(), log_y=True)
    assert fig.axes[0].get_yscale() == "log"


@pytest.mark.parametrize(
    "history, metrics, error, match",
    [
        ({}, None, ValueError, "empty"),
        ([1, 2], None, TypeError, "mapping"),
        ({"loss": [1.0]}, ["acc"], ValueError, "not in history"),
        ({"val_loss": [1.0]}, None, ValueError, "no metrics"),
    ],
)
def test_plot_history_rejects_bad_input(history, metrics, error, match):
    with pytest.raises(error, match=match):
        lc.plot_history(history, metrics)


def test_plot_forecast_draws_actual_and_each_forecast():
    index = pd.date_range("2000", periods=5, freq="YS")
    actual = np.arange(5.0)
    ax = lc.plot_forecast(index, actual, {"persistence": [np.nan, 0, 1, 2, 3]}, ylabel="count")
    assert [line.get_label() for line in ax.get_lines()] == ["actual", "persistence"]
    assert ax.get_ylabel() == "count"


def test_plot_forecast_rejects_length_mismatch():
    with pytest.raises(ValueError, match="forecast 'lstm' has 2 values but index has 3"):
        lc.plot_forecast([0, 1, 2], [1.0, 2.0, 3.0], {"lstm": [1.0, 2.0]})
    with pytest.raises(ValueError, match="actual has 2 values"):
        lc.plot_forecast([0, 1, 2], [1.0, 2.0])
