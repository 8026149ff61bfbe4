"""Forecast metrics against hand-computed values, and their refusals."""

import numpy as np
import pytest

from lstm_course.metrics import classification_scores, mae, mae_by_horizon, rmse, skill


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


def test_classification_scores_by_hand_and_against_scikit_learn():
    from sklearn.metrics import f1_score

    labels = np.array([0, 0, 1, 2])
    predicted = np.array([0, 1, 1, 1])
    # class 0: TP 1, FN 1 -> 2/3; class 1: TP 1, FP 2 -> 1/2; class 2: FN 1 -> 0
    scores = classification_scores(labels, predicted)
    assert scores["accuracy"] == pytest.approx(0.5)
    assert scores["macro-F1"] == pytest.approx((2 / 3 + 1 / 2 + 0) / 3)
    rng = np.random.default_rng(0)
    for _ in range(5):
        truth, guess = rng.integers(0, 4, 300), rng.integers(0, 3, 300)
        assert classification_scores(truth, guess)["macro-F1"] == pytest.approx(
            f1_score(truth, guess, average="macro"))
    # the majority class scores its share as accuracy, and poorly on macro-F1
    majority = classification_scores(np.array([0] * 6 + [1] * 2 + [2] * 2), np.zeros(10, int))
    assert majority == pytest.approx({"accuracy": 0.6, "macro-F1": (2 * 6 / 16) / 3})


def test_classification_scores_refuse_bad_input():
    with pytest.raises(TypeError, match="int class codes"):
        classification_scores(np.array([0.0, 1.0]), np.array([0, 1]))
    with pytest.raises(ValueError, match="one length"):
        classification_scores(np.array([0, 1]), np.array([0]))
