"""Forecasting baselines: the forecasts a model has to beat before anyone looks at it.

Both work on the input windows of ``lstm_course.windows.make_windows`` and return forecasts
shaped like its labels without the feature axis, (n_windows, label_width), in the units of
the inputs. Time step ``t`` below is the last input row of a window; the label rows are
``t + h`` for the horizons ``h = shift - label_width + 1, ..., shift``.

* ``persistence``: ``y_hat(t + h) = y(t)``, the last value, for every horizon.
* ``seasonal_naive``: ``y_hat(t + h) = y(t + h - m * ceil(h / m))``, the value one season
  of ``m`` rows before the label (two seasons before when ``h > m``, and so on).
"""

from __future__ import annotations

import numpy as np

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
    if isinstance(period, bool) or not isinstance(period, (int, np.integer)) or period < 1:
        raise ValueError(f"period must be a positive int (rows per season), got {period!r}")
    h = horizons(spec)
    seasons_back = np.maximum(np.ceil(h / period), 0).astype(np.int64)
    rows = spec.input_width - 1 + h - period * seasons_back
    if rows.min() < 0:
        raise ValueError(
            f"seasonal_naive with period={period} needs {spec.input_width - rows.min()} input "
            f"rows for horizon {int(h.max())}, but input_width is {spec.input_width}"
        )
    return series[:, rows]
