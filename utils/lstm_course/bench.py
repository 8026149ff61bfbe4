"""Measure training and inference throughput (sequences per second) of sequence models.

``throughput(build, batch_sizes=[...], lengths=[...], n_features=...)`` builds one model per
(batch size, sequence length), runs a few untimed warm-up steps (tracing, memory
allocation, cuDNN autotuning happen there), then times ``steps`` steps ``repeats`` times
and reports the median and the spread::

    def build(length):
        model = keras.Sequential([keras.Input((length, 8)), keras.layers.LSTM(64),
                                  keras.layers.Dense(1)])
        model.compile("adam", "mse")
        return model

    table = throughput(build, batch_sizes=[32, 128], lengths=[50, 200], n_features=8)

``build(length)`` must return a compiled model (anything with ``train_on_batch(x, y)`` and
``predict_on_batch(x)``). Inputs are standard-normal ``float32`` arrays, targets zeros
shaped like the model's output: throughput does not depend on the values.
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable, Sequence

import numpy as np
import pandas as pd

from ._validation import positive_int, positive_ints

MODES = ("train", "inference")


def time_steps(step: Callable[[], object], *, steps: int, warmup: int, repeats: int) -> list[float]:
    """Call ``step`` ``warmup`` times untimed, then time ``steps`` calls ``repeats`` times.

    Returns the seconds per call of each repeat.
    """
    steps, warmup, repeats = (positive_int(n, v) for n, v in
                              (("steps", steps), ("warmup", warmup), ("repeats", repeats)))
    for _ in range(warmup):
        step()
    per_call = []
    for _ in range(repeats):
        start = time.perf_counter()
        for _ in range(steps):
            step()
        per_call.append((time.perf_counter() - start) / steps)
    return per_call


def _step(model, mode: str, x, y) -> Callable[[], object]:
    if mode == "train":
        return lambda: model.train_on_batch(x, y)
    return lambda: model.predict_on_batch(x)


def throughput(
    build: Callable[[int], object], *, batch_sizes: Sequence[int], lengths: Sequence[int],
    n_features: int, modes: Sequence[str] = MODES, steps: int = 10, warmup: int = 3,
    repeats: int = 3, seed: int = 0,
) -> pd.DataFrame:
    """Sequences per second for every (mode, batch size, sequence length).

    Returns one row per combination with columns ``mode``, ``batch``, ``length``,
    ``sequences/s`` (batch size / median seconds per step), ``min sequences/s`` and
    ``max sequences/s`` (slowest and fastest repeat) and ``ms/step`` (median ms per batch).
    """
    if not callable(build):
        raise TypeError(f"build must be a function of the sequence length, got {build!r}")
    batch_sizes, lengths = positive_ints("batch_sizes", batch_sizes), positive_ints(
        "lengths", lengths)
    n_features = positive_int("n_features", n_features)
    modes = [modes] if isinstance(modes, str) else list(modes)
    unknown = [m for m in modes if m not in MODES]
    if unknown or not modes:
        raise ValueError(f"modes must be a non-empty subset of {MODES}, got {modes!r}")
    rng = np.random.default_rng(seed)
    rows = []
    for length in lengths:
        model = build(length)
        for batch in batch_sizes:
            x = rng.standard_normal((batch, length, n_features)).astype("float32")
            y = np.zeros_like(np.asarray(model.predict_on_batch(x)))
            for mode in modes:
                step = _step(model, mode, x, y)
                seconds = time_steps(step, steps=steps, warmup=warmup, repeats=repeats)
                median = statistics.median(seconds)
                rows.append({"mode": mode, "batch": batch, "length": length,
                             "sequences/s": batch / median,
                             "min sequences/s": batch / max(seconds),
                             "max sequences/s": batch / min(seconds),
                             "ms/step": 1e3 * median})
    return pd.DataFrame(rows)
