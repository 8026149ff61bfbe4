"""Forecast error metrics, in the units of the data, with shapes checked.

Every function takes the truth and the forecast as arrays of the same shape, either
(n_windows, horizon) or the (n_windows, horizon, 1) labels of ``make_windows``, and refuses
NaN or infinite values instead of averaging them away.

* ``mae``: mean absolute error, one number.
* ``rmse``: root mean squared error, one number.
* ``mae_by_horizon``: mean absolute error of each forecast step, shape (horizon,).
* ``skill``: ``1 - error / reference_error``; 0 means no better than the reference
  forecast (for example persistence), 1 means perfect, negative means worse.

For classification, ``classification_scores`` gives accuracy and macro-F1 of predicted
class codes.
"""

from __future__ import annotations

import numbers

import numpy as np


def _pair(y_true, y_pred) -> tuple[np.ndarray, np.ndarray]:
    arrays = []
    for name, value in (("y_true", y_true), ("y_pred", y_pred)):
        array = np.asarray(value)
        if array.dtype == object or not np.issubdtype(array.dtype, np.number):
            raise TypeError(f"{name} must be numeric, got dtype {array.dtype}")
        if array.size == 0:
            raise ValueError(f"{name} is empty")
        if not np.isfinite(array).all():
            raise ValueError(f"{name} contains {int((~np.isfinite(array)).sum())} NaN/inf values")
        arrays.append(array.astype(np.float64))
    truth, forecast = arrays
    if truth.shape != forecast.shape:
        raise ValueError(
            f"y_true has shape {truth.shape} and y_pred {forecast.shape}; they must be equal "
            "(squeeze a trailing feature axis of size 1 on both or on neither)"
        )
    return truth, forecast


def mae(y_true, y_pred) -> float:
    """Mean absolute error over all windows and steps."""
    truth, forecast = _pair(y_true, y_pred)
    return float(np.abs(forecast - truth).mean())


def rmse(y_true, y_pred) -> float:
    """Root mean squared error over all windows and steps."""
    truth, forecast = _pair(y_true, y_pred)
    return float(np.sqrt(np.square(forecast - truth).mean()))


def mae_by_horizon(y_true, y_pred) -> np.ndarray:
    """Mean absolute error of each forecast step: (n, horizon[, 1]) inputs -> (horizon,)."""
    truth, forecast = _pair(y_true, y_pred)
    if truth.ndim == 3 and truth.shape[2] == 1:
        truth, forecast = truth[:, :, 0], forecast[:, :, 0]
    if truth.ndim != 2:
        raise ValueError(
            "mae_by_horizon needs (n_windows, horizon) or (n_windows, horizon, 1), "
            f"got {truth.shape}"
        )
    return np.abs(forecast - truth).mean(axis=0)


def skill(error: float, reference_error: float) -> float:
    """``1 - error / reference_error``: the fraction of the reference's error removed."""
    for name, value in (("error", error), ("reference_error", reference_error)):
        if isinstance(value, bool) or not isinstance(value, numbers.Real) or not np.isfinite(value):
            raise TypeError(f"{name} must be a finite number, got {value!r}")
        if value < 0:
            raise ValueError(f"{name} must be >= 0, got {value}")
    if reference_error == 0:
        raise ValueError("reference_error is 0: skill is undefined against a perfect reference")
    return 1.0 - float(error) / float(reference_error)


def classification_scores(labels, predicted) -> dict[str, float]:
    """``{"accuracy", "macro-F1"}`` of predicted class codes against the true ones.

    Both are 1-D int arrays of one length. Macro-F1 is the unweighted mean over the classes
    that occur in ``labels`` or ``predicted`` of ``F1 = 2 TP / (2 TP + FP + FN)``, as
    scikit-learn's ``f1_score(average="macro")``: a class that is never predicted scores 0.
    """
    labels, predicted = np.asarray(labels), np.asarray(predicted)
    for name, array in (("labels", labels), ("predicted", predicted)):
        if array.ndim != 1 or not np.issubdtype(array.dtype, np.integer):
            raise TypeError(f"{name} must be a 1-D array of int class codes, got dtype "
                            f"{array.dtype} and shape {array.shape}")
    if len(labels) != len(predicted) or len(labels) == 0:
        raise ValueError(f"labels ({len(labels)}) and predicted ({len(predicted)}) must be "
                         "non-empty and of one length")
    f1 = []
    for cls in np.union1d(labels, predicted):
        true_positive = np.sum((predicted == cls) & (labels == cls))
        wrong = np.sum((predicted == cls) != (labels == cls))  # false positives + negatives
        f1.append(2 * true_positive / (2 * true_positive + wrong))
    return {"accuracy": float(np.mean(predicted == labels)), "macro-F1": float(np.mean(f1))}
