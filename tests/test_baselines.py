"""Forecasting baselines against forecasts computed by hand from the raw series."""

import numpy as np
import pytest

from lstm_course.baselines import LinearForecaster, horizons, persistence, seasonal_naive
from lstm_course.windows import WindowSpec, make_windows


def series(n=200):
    """Row index as the value, plus a second column, so forecasts name their source row."""
    t = np.arange(n, dtype=np.float64)
    return np.stack([t, -t], axis=1)


@pytest.mark.parametrize(
    "spec",
    [
        WindowSpec(10),
        WindowSpec(10, shift=5),
        WindowSpec(10, label_width=3, shift=3),
        WindowSpec(10, label_width=4, shift=2, stride=3),
    ],
)
def test_persistence_is_the_last_observed_value(spec):
    x, _ = make_windows(series(), spec)
    forecast = persistence(x, spec)
    starts = spec.starts(200)
    for w, start in enumerate(starts):
        for j, h in enumerate(horizons(spec)):
            label_row = start + spec.input_width - 1 + h
            expected = label_row if h <= 0 else start + spec.input_width - 1
            assert forecast[w, j] == expected
    assert forecast.shape == (len(starts), spec.label_width)


def test_horizons_count_steps_after_the_last_input():
    assert horizons(WindowSpec(10)).tolist() == [1]
    assert horizons(WindowSpec(10, shift=12)).tolist() == [12]
    assert horizons(WindowSpec(10, label_width=3, shift=3)).tolist() == [1, 2, 3]
    assert horizons(WindowSpec(10, label_width=4, shift=2)).tolist() == [-1, 0, 1, 2]


@pytest.mark.parametrize("shift,label_width", [(1, 1), (12, 1), (48, 48), (60, 5)])
def test_seasonal_naive_takes_the_same_phase_of_an_earlier_season(shift, label_width):
    spec = WindowSpec(60, label_width=label_width, shift=shift)
    x, y = make_windows(series(), spec)
    source_rows = seasonal_naive(x, spec, period=24)  # column 0 holds row numbers
    gap = y[:, :, 0] - source_rows
    assert (gap > 0).all() and (gap % 24 == 0).all()
    assert (gap <= 24 * np.ceil(horizons(spec) / 24)).all()
    assert (source_rows <= x[:, -1:, 0]).all()  # never a row after the last input


def test_seasonal_naive_of_a_periodic_series_is_exact():
    t = np.arange(300)
    periodic = np.sin(2 * np.pi * t / 48)
    spec = WindowSpec(96, label_width=10, shift=30)
    x, y = make_windows(periodic, spec)
    np.testing.assert_allclose(seasonal_naive(x, spec, period=48), y[:, :, 0], atol=1e-12)


def test_column_selects_the_feature():
    spec = WindowSpec(10, shift=3)
    x, _ = make_windows(series(), spec)
    np.testing.assert_array_equal(persistence(x, spec, column=1), -persistence(x, spec))
    np.testing.assert_array_equal(persistence(x, spec, column=-1), -persistence(x, spec))


def test_bad_input_is_reported():
    spec = WindowSpec(10)
    x, _ = make_windows(series(), spec)
    with pytest.raises(ValueError, match="input_width is 10"):
        seasonal_naive(x, spec, period=24)
    with pytest.raises(ValueError, match="period must be a positive int"):
        seasonal_naive(x, spec, period=0)
    with pytest.raises(ValueError, match="period must be a positive int"):
        seasonal_naive(x, spec, period=2.5)
    with pytest.raises(ValueError, match="input_width is 12"):
        persistence(x, WindowSpec(12))
    with pytest.raises(ValueError, match="shape"):
        persistence(x[:, :, 0], spec)
    with pytest.raises(TypeError, match="NumPy array"):
        persistence(x.tolist(), spec)
    with pytest.raises(TypeError, match="WindowSpec"):
        persistence(x, 10)
    with pytest.raises(ValueError, match="out of range"):
        persistence(x, spec, column=2)
    with pytest.raises(TypeError, match="column"):
        persistence(x, spec, column="demand")


def driven_ar2_series(n=400, seed=0):
    """Windows of a noiseless AR(2) series, whose next value is exactly linear in the window."""
    rng = np.random.default_rng(seed)
    y = np.zeros(n)
    y[:2] = rng.normal(size=2)
    for t in range(2, n):
        y[t] = 0.6 * y[t - 1] - 0.3 * y[t - 2] + 0.5 + 0.01 * np.sin(t)  # small drive, no noise
    return y


def test_linear_forecaster_recovers_an_exact_linear_recursion():
    t = np.arange(300.0)
    y = 2.0 + 0.7 * np.sin(t / 5) + 0.2 * np.cos(t / 3)  # sum of sines: exactly linear in 4 lags
    spec = WindowSpec(6, label_width=2, shift=2)
    x, labels = make_windows(y[:, None], spec)
    model = LinearForecaster().fit(x[:200], labels[:200])
    np.testing.assert_allclose(model.predict(x[200:]), labels[200:], atol=1e-8)
    assert model.predict(x[200:]).shape == labels[200:].shape


def test_linear_forecaster_keeps_two_dimensional_labels_and_ridge_shrinks():
    y = driven_ar2_series()
    spec = WindowSpec(5, label_width=3, shift=3)
    x, labels = make_windows(y[:, None], spec)
    ols = LinearForecaster().fit(x, labels[:, :, 0])
    ridge = LinearForecaster(ridge=10.0).fit(x, labels[:, :, 0])
    assert ols.predict(x).shape == (len(x), 3)
    assert np.linalg.norm(ridge.coef_) < 0.5 * np.linalg.norm(ols.coef_)


def test_linear_forecaster_rejects_bad_input():
    x = np.zeros((20, 4, 1))
    with pytest.raises(ValueError, match="ridge"):
        LinearForecaster(ridge=-1)
    with pytest.raises(ValueError, match="not fitted"):
        LinearForecaster().predict(x)
    with pytest.raises(ValueError, match="input windows but"):
        LinearForecaster().fit(x, np.zeros((19, 1)))
    with pytest.raises(ValueError, match="underdetermined"):
        LinearForecaster().fit(np.zeros((3, 4, 1)), np.zeros((3, 1)))
    with pytest.raises(ValueError, match="NaN"):
        LinearForecaster().fit(np.full((20, 4, 1), np.nan), np.zeros((20, 1)))
    fitted = LinearForecaster(ridge=1.0).fit(x, np.zeros((20, 1)))
    with pytest.raises(ValueError, match="window shape"):
        fitted.predict(np.zeros((5, 3, 1)))
    with pytest.raises(ValueError, match="n_windows, input_width, features"):
        fitted.predict(np.zeros((5, 4)))


def test_majority_class_predicts_the_most_frequent_training_class():
    from lstm_course.baselines import majority_class

    assert majority_class(np.array([2, 0, 2, 1]), 3).tolist() == [2, 2, 2]
    assert majority_class(np.array([1, 0]), 2).tolist() == [0, 0]  # ties: smallest code
    for bad in (np.array([0.5, 1.0]), np.array([], dtype=int), np.array([-1, 0])):
        with pytest.raises(ValueError, match="class codes"):
            majority_class(bad, 2)
    with pytest.raises(ValueError, match="n must be"):
        majority_class(np.array([0, 1]), -1)
