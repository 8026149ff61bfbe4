"""Supervised windows from time series, chronological splits, train-only scaling, tf.data.

The vocabulary (as in TensorFlow's time-series tutorial): a window of ``input_width + shift``
consecutive rows; its first ``input_width`` rows are the inputs, its last ``label_width``
rows are the labels. ``shift`` is the horizon of the last label: ``shift=1`` with
``label_width=1`` predicts the row right after the inputs. Window ``i`` starts at row
``i * stride``. The usual workflow, with no information from validation or test rows
reaching the model or the scaler::

    parts = chronological_split(frame, train_fraction=0.7, val_fraction=0.15)
    scaler = Standardizer.fit(parts.train)
    spec = WindowSpec(input_width=48, label_width=1, shift=1)
    train = make_dataset(scaler.transform(parts.train), spec, batch_size=64, shuffle=True)
    val = make_dataset(scaler.transform(parts.val), spec, batch_size=64)

``split_and_scale(frame).windows(spec)`` does the first three steps at once and returns the
standardised ``(inputs, labels)`` arrays of each part (chapter 5 shows the steps by hand).

Windows are cut inside each part, so no window spans two parts and no test row is ever
part of a training window. ``make_windows`` returns NumPy arrays; ``make_dataset`` builds the
same windows lazily as a ``tf.data.Dataset`` and agrees exactly with
``keras.utils.timeseries_dataset_from_array`` (tests/test_windows.py checks both).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import NamedTuple

import numpy as np
import pandas as pd

from ._validation import positive_int

ArrayLike = pd.DataFrame | pd.Series | np.ndarray
Columns = Sequence[str] | Sequence[int] | None


@dataclass(frozen=True)
class WindowSpec:
    """Shape of one supervised window (all widths in rows, i.e. time steps).

    Attributes:
        input_width: rows the model sees.
        label_width: rows it predicts (the last ``label_width`` rows of the window).
        shift: horizon of the last label, in rows after the last input (>= 1).
        stride: rows between the starts of consecutive windows.
    """

    input_width: int
    label_width: int = 1
    shift: int = 1
    stride: int = 1

    def __post_init__(self):
        for name in ("input_width", "label_width", "shift", "stride"):
            positive_int(name, getattr(self, name))
        if self.label_width > self.total_width:
            raise ValueError(
                f"label_width={self.label_width} is longer than the window "
                f"(input_width + shift = {self.total_width})"
            )

    @property
    def total_width(self) -> int:
        """The rows one window covers, ``input_width + shift``."""
        return self.input_width + self.shift

    @property
    def label_start(self) -> int:
        """Offset of the first label row inside a window."""
        return self.total_width - self.label_width

    def starts(self, n_rows: int) -> np.ndarray:
        """Start row of every window that fits in ``n_rows`` rows, shape (n_windows,)."""
        n_rows = int(n_rows)
        if self.total_width > n_rows:
            raise ValueError(
                f"the window (input_width + shift = {self.total_width} rows) is longer than "
                f"the series ({n_rows} rows)"
            )
        return np.arange(0, n_rows - self.total_width + 1, self.stride, dtype=np.int64)


def _values(data: ArrayLike, columns: Columns, role: str) -> np.ndarray:
    """2-D float array (rows, columns) of the selected columns; refuses NaN and non-numbers."""
    if isinstance(data, pd.Series):
        data = data.to_frame()
    if isinstance(data, pd.DataFrame):
        if columns is not None:
            missing = [c for c in columns if c not in data.columns]
            if missing:
                raise ValueError(
                    f"{role} columns {missing} are not in the data (columns: {list(data.columns)})"
                )
            data = data[list(columns)]
        non_numeric = [c for c, t in data.dtypes.items() if not pd.api.types.is_numeric_dtype(t)]
        if non_numeric:
            raise TypeError(f"{role} columns {non_numeric} are not numeric; encode them first")
        index = data.index
        values = data.to_numpy()
    elif isinstance(data, np.ndarray):
        values = data.reshape(-1, 1) if data.ndim == 1 else data
        if values.ndim != 2:
            raise ValueError(f"data must be 1-D or 2-D (time, features), got shape {data.shape}")
        if columns is not None:
            values = values[:, list(columns)]
        if not np.issubdtype(values.dtype, np.number):
            raise TypeError(f"data must be numeric, got dtype {values.dtype}")
        index = pd.RangeIndex(len(values))
    else:
        raise TypeError(
            f"data must be a pandas DataFrame/Series or a NumPy array, got {type(data).__name__}"
        )
    if not np.issubdtype(values.dtype, np.floating):
        values = values.astype(np.float64)
    nan_rows = np.isnan(values).any(axis=1)
    if nan_rows.any():
        raise ValueError(
            f"the {role} data has {int(np.isnan(values).sum())} NaN values (first in row "
            f"{index[int(np.argmax(nan_rows))]}); fill or drop them explicitly before windowing"
        )
    return values


def make_windows(
    data: ArrayLike,
    spec: WindowSpec,
    *,
    features: Columns = None,
    targets: Columns = None,
) -> tuple[np.ndarray, np.ndarray]:
    """All windows of a series as arrays.

    Args:
        data: (time, columns) DataFrame or array, or a Series / 1-D array; rows in time order.
        spec: the window shape.
        features, targets: columns used as inputs and as labels (names for a DataFrame,
            positions for an array); default: every column for both.

    Returns:
        ``inputs`` of shape (n_windows, input_width, n_features) and ``labels`` of shape
        (n_windows, label_width, n_targets), in the dtype of ``data`` (ints become float64).
    """
    x = _values(data, features, "feature")
    y = _values(data, targets, "target")
    starts = spec.starts(len(x))
    input_rows = starts[:, None] + np.arange(spec.input_width)
    label_rows = starts[:, None] + spec.label_start + np.arange(spec.label_width)
    return x[input_rows], y[label_rows]


class Splits(NamedTuple):
    """Consecutive, non-overlapping parts of one series, in time order."""

    train: ArrayLike
    val: ArrayLike
    test: ArrayLike


def chronological_split(
    data: ArrayLike, *, train_fraction: float = 0.7, val_fraction: float = 0.15
) -> Splits:
    """Split rows into train, validation and test parts, in this order (never shuffled).

    ``train`` gets the first ``floor(n * train_fraction)`` rows, ``val`` the next
    ``floor(n * val_fraction)``, ``test`` the rest. Cut windows inside each part (as
    ``make_windows``/``make_dataset`` do when given a part), so no window spans two parts.
    """
    for name, value in (("train_fraction", train_fraction), ("val_fraction", val_fraction)):
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise TypeError(f"{name} must be a number, got {value!r}")
        if not 0 <= value <= 1:
            raise ValueError(f"{name} must be in [0, 1], got {value}")
    if train_fraction + val_fraction > 1 + 1e-12:
        raise ValueError(
            f"split fractions sum to {train_fraction + val_fraction:g} > 1 "
            f"(train_fraction={train_fraction}, val_fraction={val_fraction})"
        )
    if not isinstance(data, (pd.DataFrame, pd.Series, np.ndarray)):
        raise TypeError(
            f"data must be a pandas DataFrame/Series or a NumPy array, got {type(data).__name__}"
        )
    if isinstance(data, (pd.DataFrame, pd.Series)) and isinstance(data.index, pd.DatetimeIndex):
        if not (data.index.is_monotonic_increasing and data.index.is_unique):
            raise ValueError("data's time index is not strictly increasing: sort it first")
    n = len(data)
    n_train = int(np.floor(n * train_fraction))
    n_val = int(np.floor(n * val_fraction))
    if n_train < 1:
        raise ValueError(f"train_fraction={train_fraction} of {n} rows leaves no training rows")
    take = (lambda a, b: data.iloc[a:b]) if hasattr(data, "iloc") else (lambda a, b: data[a:b])
    return Splits(take(0, n_train), take(n_train, n_train + n_val), take(n_train + n_val, n))


@dataclass(frozen=True)
class Standardizer:
    """Per-column standardisation ``(x - mean) / std`` with statistics of the training part.

    Attributes:
        mean, std: shape (n_columns,), in the data's units.
        columns: column names when fitted on a DataFrame/Series, else None.
    """

    mean: np.ndarray
    std: np.ndarray
    columns: tuple | None = None

    @classmethod
    def fit(cls, train: ArrayLike) -> Standardizer:
        """Fit on the training part only (never on the whole series: that leaks)."""
        values = _values(train, None, "training")
        if len(values) < 2:
            raise ValueError(f"need at least 2 training rows to fit a scaler, got {len(values)}")
        std = values.std(axis=0)
        columns = None
        if isinstance(train, pd.DataFrame):
            columns = tuple(train.columns)
        elif isinstance(train, pd.Series):
            columns = (train.name,)
        if np.any(std == 0):
            constant = [columns[i] if columns else i for i in np.flatnonzero(std == 0)]
            raise ValueError(f"columns {constant} are constant in the training part")
        return cls(values.mean(axis=0), std, columns)

    def _select(self, columns: Columns) -> tuple[np.ndarray, np.ndarray]:
        if columns is None:
            return self.mean, self.std
        if self.columns is not None and not all(isinstance(c, (int, np.integer)) for c in columns):
            unknown = [c for c in columns if c not in self.columns]
            if unknown:
                raise ValueError(f"columns {unknown} were not fitted (fitted: {self.columns})")
            positions = [self.columns.index(c) for c in columns]
        else:
            positions = list(columns)
        return self.mean[positions], self.std[positions]

    def transform(self, data: ArrayLike, columns: Columns = None) -> ArrayLike:
        """Scale ``data`` (same type back); ``columns`` picks fitted columns for a subset."""
        return self._apply(data, columns, lambda v, m, s: (v - m) / s)

    def inverse_transform(self, data: ArrayLike, columns: Columns = None) -> ArrayLike:
        """Undo ``transform``, e.g. on predictions of the target columns (pass ``columns``)."""
        return self._apply(data, columns, lambda v, m, s: v * s + m)

    def _apply(self, data, columns, op):
        if columns is None and self.columns is not None:
            if isinstance(data, pd.DataFrame):
                columns = list(data.columns)
            elif isinstance(data, pd.Series):
                columns = [data.name]
        mean, std = self._select(columns)
        values = np.asarray(data, dtype=np.float64)
        width = 1 if isinstance(data, pd.Series) or values.ndim == 1 else values.shape[-1]
        if width != len(mean):
            raise ValueError(f"data has {width} columns, the scaler was given {len(mean)}")
        if isinstance(data, pd.DataFrame):
            return pd.DataFrame(op(values, mean, std), index=data.index, columns=data.columns)
        if isinstance(data, pd.Series):
            return pd.Series(op(values, mean[0], std[0]), index=data.index, name=data.name)
        return op(values, mean, std)


class ScaledSplits(NamedTuple):
    """Chronological parts of a series, in its own units, and a ``Standardizer`` fitted on
    the training part only (``split_and_scale`` makes one)."""

    parts: Splits
    scaler: Standardizer

    def scaled(self) -> dict[str, ArrayLike]:
        """``{"train", "val", "test"}`` -> the part, standardised with the training statistics."""
        return {name: self.scaler.transform(part) for name, part in self.parts._asdict().items()}

    def windows(self, spec: WindowSpec, *, features: Columns = None, targets: Columns = None,
                dtype=np.float32) -> dict[str, tuple[np.ndarray, np.ndarray]]:
        """``{"train", "val", "test"}`` -> ``make_windows`` of each standardised part: inputs
        (n, input_width, n_features) and labels (n, label_width, n_targets), as ``dtype``
        (float32 by default, what Keras trains on)."""
        return {name: tuple(a.astype(dtype) for a in make_windows(
                    part, spec, features=features, targets=targets))
                for name, part in self.scaled().items()}


def split_and_scale(data: ArrayLike, *, train_fraction: float = 0.7,
                    val_fraction: float = 0.15) -> ScaledSplits:
    """``chronological_split``, then a ``Standardizer`` fitted on the training part only."""
    parts = chronological_split(data, train_fraction=train_fraction, val_fraction=val_fraction)
    return ScaledSplits(parts, Standardizer.fit(parts.train))


def make_dataset(
    data: ArrayLike,
    spec: WindowSpec,
    *,
    batch_size: int = 32,
    shuffle: bool = False,
    seed: int | None = None,
    features: Columns = None,
    targets: Columns = None,
):
    """A batched ``tf.data.Dataset`` of ``(inputs, labels)`` windows, float32, prefetched.

    Same windows as ``make_windows`` (shapes (batch, input_width, n_features) and
    (batch, label_width, n_targets)), gathered lazily from one copy of the series. Pass
    ``shuffle=True`` for the training part only: it shuffles whole windows (each keeps its
    time order), reshuffled every epoch; validation and test stay in time order.
    """
    import tensorflow as tf  # Deferred: importing lstm_course must not import TensorFlow.

    batch_size = positive_int("batch_size", batch_size)
    x = tf.constant(_values(data, features, "feature"), dtype=tf.float32)
    y = tf.constant(_values(data, targets, "target"), dtype=tf.float32)
    starts = spec.starts(int(x.shape[0]))
    input_offsets = tf.range(spec.input_width, dtype=tf.int64)
    label_offsets = tf.range(spec.label_width, dtype=tf.int64) + spec.label_start

    def gather(batch_starts):
        inputs = tf.gather(x, batch_starts[:, None] + input_offsets)
        labels = tf.gather(y, batch_starts[:, None] + label_offsets)
        return inputs, labels

    ds = tf.data.Dataset.from_tensor_slices(starts)
    if shuffle:
        ds = ds.shuffle(len(starts), seed=seed, reshuffle_each_iteration=True)
    ds = ds.batch(batch_size).map(gather, num_parallel_calls=tf.data.AUTOTUNE, deterministic=True)
    return ds.prefetch(tf.data.AUTOTUNE)
