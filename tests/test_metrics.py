"""Forecast metrics against hand-computed values, and their refusals."""

import numpy as np
import pytest

from lstm_course.metrics import mae, mae_by_horizon, rmse, skill


def test_values_by_hand():
    truth = np.array([[1.0, 2.0], [3.0, 4.0]])
    forecast = np.array([[2.0, 2.0], [3.0, 1.0]])  # errors 1, 0, 0, -3
    assert mae(truth, forecast) == pytest.approx(1.0)
    assert rmse(truth, forecast) == pytest.approx(np.sqrt(10 / 4))
    np.testing.assert_allclose(mae_by_horizon(truth, forecast), [0.5, 1.5])
    np.testing.assert_allclose(mae_by_horizon(truth[..., None], forecast[..., None]), [0.5, 1.5])
    assert skill(1.0, 4.0) == pytest.approx(0.75)
    assert skill(4.0, 4.0) == 0.0
    assert skill(8.0, 4.0) == -1.0


def test_shapes_must_match_exactly():
    with pytest.raises(ValueError, match="must be equal"):
        mae(np.zeros((4, 2, 1)), np.zeros((4, 2)))  # no silent broadcasting
    with pytest.raises(ValueError, match="mae_by_horizon needs"):
        mae_by_horizon(np.zeros(4), np.zeros(4))


def test_bad_values_are_refused():
    with pytest.raises(ValueError, match="NaN/inf"):
        rmse([1.0, np.nan], [1.0, 2.0])
    with pytest.raises(ValueError, match="empty"):
        mae([], [])
    with pytest.raises(TypeError, match="numeric"):
        mae(["a"], ["b"])
    with pytest.raises(ValueError, match="perfect reference"):
        skill(1.0, 0.0)
    with pytest.raises(ValueError, match=">= 0"):
        skill(-1.0, 1.0)
    with pytest.raises(TypeError, match="finite number"):
        skill(float("nan"), 1.0)
