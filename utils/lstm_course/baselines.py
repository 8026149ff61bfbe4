"""Forecasting baselines: the forecasts a model has to beat before anyone looks at it.

The naive forecasts work on the input windows of ``lstm_course.windows.make_windows`` and
return forecasts shaped like its labels without the feature axis, (n_windows, label_width),
in the units of the inputs. Time step ``t`` below is the last input row of a window; the
label rows are ``t + h`` for the horizons ``h = shift - label_width + 1, ..., shift``.

* ``persistence``: ``y_hat(t + h) = y(t)``, the last value, for every horizon.
* ``seasonal_naive``: ``y_hat(t + h) = y(t + h - m * ceil(h / m))``, the value one season
  of ``m`` rows before the label (two seasons before when ``h > m``, and so on).
* ``LinearForecaster``: a least-squares linear map from the whole window to the labels,
  fitted on the training windows (the one baseline here that learns).

For classification, ``majority_class`` predicts the most frequent training class for every
example.
"""

from __future__ import annotations

import numpy as np

from ._validation import non_negative_int, positive_int
from .windows import WindowSpec


def _check_windows(inputs, spec: WindowSpec, column: int) -> np.ndarray:
    if not isinstance(spec, WindowSpec):
        raise TypeError(f"spec must be a WindowSpec, got {type(spec).__name__}")
    if not isinstance(inputs, np.ndarray):
        raise TypeError(f"inputs must be a NumPy array, got {type(inputs).__name__}")
    if inputs.ndim != 3:
        raise ValueError(
            f"inputs must have shape (n_windows, input_width, features), got {inputs.shape}"
        )
    if inputs.shape[1] != spec.input_width:
        raise ValueError(
            f"inputs have {inputs.shape[1]} time steps, the spec's input_width is "
            f"{spec.input_width}"
        )
    if isinstance(column, bool) or not isinstance(column, (int, np.integer)):
        raise TypeError(f"column must be an int position, got {column!r}")
    if not -inputs.shape[2] <= column < inputs.shape[2]:
        raise ValueError(f"column {column} is out of range for {inputs.shape[2]} features")
    return inputs[:, :, column]


def horizons(spec: WindowSpec) -> np.ndarray:
    """Steps after the last input of each label row, shape (label_width,)."""
    if not isinstance(spec, WindowSpec):
        raise TypeError(f"spec must be a WindowSpec, got {type(spec).__name__}")
    return spec.label_start - spec.input_width + 1 + np.arange(spec.label_width)


def persistence(inputs: np.ndarray, spec: WindowSpec, *, column: int = 0) -> np.ndarray:
    """Last observed value of ``column``, repeated for every label: (n_windows, label_width).

    Labels that lie inside the input rows (``label_width > shift``) get their own observed
    value, since it is known at forecast time.
    """
    series = _check_windows(inputs, spec, column)
    h = horizons(spec)
    rows = np.where(h <= 0, spec.input_width - 1 + h, spec.input_width - 1)
    return series[:, rows]


def seasonal_naive(
    inputs: np.ndarray, spec: WindowSpec, *, period: int, column: int = 0
) -> np.ndarray:
    """Value of ``column`` one season before each label: (n_windows, label_width).

    ``period`` is the season length in rows (48 for a daily cycle in half-hourly data).
    Raises ``ValueError`` when a needed row lies before the window, i.e. when
    ``input_width`` is shorter than the season the forecast reaches back to.
    """
    series = _check_windows(inputs, spec, column)
    period = positive_int("period", period)  # rows per season
    h = horizons(spec)
    seasons_back = np.maximum(np.ceil(h / period), 0).astype(np.int64)
    rows = spec.input_width - 1 + h - period * seasons_back
    if rows.min() < 0:
        raise ValueError(
            f"seasonal_naive with period={period} needs {spec.input_width - rows.min()} input "
            f"rows for horizon {int(h.max())}, but input_width is {spec.input_width}"
        )
    return series[:, rows]


class LinearForecaster:
    """Least-squares linear forecast from every value of the input window (ridge optional).

    ``y_hat = flatten(window) @ W + b``, one column of ``W`` per label step (and target),
    fitted in closed form on the training windows. It is the strongest "no deep learning"
    baseline for a windowed forecast: a network that cannot beat it has learned nothing that
    a linear autoregression could not::

        linear = LinearForecaster(ridge=1e-3).fit(x_train, y_train)
        y_hat = linear.predict(x_test)   # shaped like y_train without the sample axis

    ``ridge`` adds ``ridge * n_windows * ||W||^2`` to the squared error (the intercept is
    not penalised); 0 is ordinary least squares.
    """

    def __init__(self, ridge: float = 0.0):
        if isinstance(ridge, bool) or not isinstance(ridge, (int, float)) or not ridge >= 0:
            raise ValueError(f"ridge must be a number >= 0, got {ridge!r}")
        self.ridge = float(ridge)
        self.coef_: np.ndarray | None = None
        self.intercept_: np.ndarray | None = None
        self._input_shape: tuple[int, ...] | None = None
        self._label_shape: tuple[int, ...] | None = None

    @staticmethod
    def _inputs(inputs) -> np.ndarray:
        if not isinstance(inputs, np.ndarray) or inputs.ndim != 3:
            raise ValueError(
                "inputs must be a NumPy array (n_windows, input_width, features), got "
                f"{getattr(inputs, 'shape', type(inputs).__name__)}"
            )
        if not np.isfinite(inputs).all():
            raise ValueError("inputs contain NaN or infinite values")
        return inputs.reshape(len(inputs), -1).astype(np.float64)

    def fit(self, inputs: np.ndarray, labels: np.ndarray) -> LinearForecaster:
        """Fit on windows (n, input_width, features) and labels (n, label_width[, targets])."""
        x = self._inputs(inputs)
        if not isinstance(labels, np.ndarray) or labels.ndim not in (2, 3):
            raise ValueError(
                "labels must be a NumPy array (n_windows, label_width[, targets]), got "
                f"{getattr(labels, 'shape', type(labels).__name__)}"
            )
        if len(labels) != len(x):
            raise ValueError(f"{len(x)} input windows but {len(labels)} label windows")
        if not np.isfinite(labels).all():
            raise ValueError("labels contain NaN or infinite values")
        if len(x) <= x.shape[1] and self.ridge == 0:
            raise ValueError(
                f"{len(x)} windows for {x.shape[1]} inputs: least squares is underdetermined; "
                "use more windows or ridge > 0"
            )
        y = labels.reshape(len(labels), -1).astype(np.float64)
        x_mean, y_mean = x.mean(axis=0), y.mean(axis=0)
        xc, yc = x - x_mean, y - y_mean
        gram = xc.T @ xc + self.ridge * len(x) * np.eye(x.shape[1])
        self.coef_ = np.linalg.solve(gram, xc.T @ yc)
        self.intercept_ = y_mean - x_mean @ self.coef_
        self._input_shape, self._label_shape = inputs.shape[1:], labels.shape[1:]
        return self

    def predict(self, inputs: np.ndarray) -> np.ndarray:
        """Forecasts shaped ``(n_windows, *label_shape)``, the label shape seen by ``fit``."""
        if self.coef_ is None:
            raise ValueError("this LinearForecaster is not fitted yet: call fit(inputs, labels)")
        x = self._inputs(inputs)
        if inputs.shape[1:] != self._input_shape:
            raise ValueError(
                f"inputs have window shape {inputs.shape[1:]}, fit used {self._input_shape}"
            )
        return (x @ self.coef_ + self.intercept_).reshape(len(x), *self._label_shape)


def majority_class(train_labels, n: int) -> np.ndarray:
    """``n`` copies of the most frequent class code in ``train_labels`` (int64, shape (n,)).

    ``train_labels`` are non-negative integer class codes; ties go to the smallest code.
    """
    labels = np.asarray(train_labels)
    if labels.ndim != 1 or len(labels) == 0 or not np.issubdtype(labels.dtype, np.integer):
        raise ValueError(f"train_labels must be a non-empty 1-D array of int class codes, "
                         f"got dtype {labels.dtype} and shape {labels.shape}")
    if (labels < 0).any():
        raise ValueError("train_labels must be class codes >= 0")
    n = non_negative_int("n", n)
    return np.full(n, np.bincount(labels).argmax(), dtype=np.int64)
