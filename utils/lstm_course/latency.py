"""Inference latency and peak memory of a sequence model against sequence length.

``measure_by_length("lstm_course.models:lstm_forecaster", lengths=[256, 512, 1024, 2048])``
builds the model in a **fresh Python process**, so that nothing else this process did
(other models, training, data) is counted. The child runs on the CPU even on a GPU runtime
(the GPU is hidden from it, see ``lstm_course._process``): host memory then counts all the
work, and the measured exponents describe the CPU. There it

1. wraps the model in one ``tf.function`` with an open batch and time axis (one trace),
2. calls it once untimed at each length, in increasing order, then times it in
   ``repeats`` **rounds**: a round calls every length once, in increasing order, one
   right after another. It records every call's time (``latency ms by round``) and the
   fastest per length (``latency ms``). Rounds matter because a shared machine's speed
   drifts over seconds: measured one length after another, a slow phase that falls on
   the long lengths bends a growth exponent, and the fastest of several calls in a row
   does not undo it (on a 2-core cloud machine, the same call's fastest of five varied
   by 1.7x between runs a minute apart). Within a round the lengths share the machine's
   state, so ``round_exponent`` (the median over rounds of each round's exponent) cancels
   the drift;
3. records the **peak memory** of each call: on Linux, the kernel's high-water mark of the
   process's resident memory (``VmHWM``) is reset just before the call (by writing 5 to
   ``/proc/self/clear_refs``) and read after it; the memory resident before the call is
   subtracted. The child runs with ``MALLOC_MMAP_THRESHOLD_`` fixed, so large temporary
   buffers go back to the operating system when freed, and each call starts from the
   same resident memory. The largest growth of any call of a length is reported.

Elsewhere (macOS), the high-water mark cannot be reset: the fallback reports how far a
call pushed the process's all-time peak (``ru_maxrss``) above its value after the first
call. That undercounts: it stays at 0 until a call needs more than the short peak of
importing TensorFlow. The ``memory method`` column says which was used.

The numbers are MiB of the whole process, measured by the operating system; differences
below about 1 MiB are allocator noise. TensorFlow's own count of its tensors,
``tf.config.experimental.get_memory_info(device)`` after ``reset_memory_stats(device)``,
is the measure to use on a GPU, where the memory that matters is the device's.

``growth_exponent(lengths, values)`` is the slope of log(value) against log(length): about
1 for cost that grows linearly with the length, about 2 for quadratic growth.
``round_exponent(table)`` fits it to each round of a ``measure_by_length`` table and returns
the median: the exponent to use for latency.
"""

from __future__ import annotations

import importlib
import json
import numbers
import os
import pathlib
import sys
import tempfile
import time
from collections.abc import Sequence

import numpy as np
import pandas as pd

from ._process import child_env, failure_message, run_child
from ._validation import positive_int, positive_ints


def _lengths(lengths) -> list[int]:
    if isinstance(lengths, (str, bytes, numbers.Integral)):
        raise ValueError(f"lengths must be a non-empty list of positive ints, got {lengths!r}")
    lengths = positive_ints("lengths", lengths)
    if any(b <= a for a, b in zip(lengths[:-1], lengths[1:], strict=True)):
        raise ValueError("lengths must be strictly increasing (the ru_maxrss fallback can only "
                         f"see growth), got {lengths}")
    return [int(n) for n in lengths]


def _builder(target: str):
    """'package.module:function' -> the function."""
    if not isinstance(target, str) or target.count(":") != 1:
        raise ValueError(f"builder must be 'module:function', got {target!r}")
    module_name, function_name = target.split(":")
    function = getattr(importlib.import_module(module_name), function_name, None)
    if not callable(function):
        raise ValueError(f"{target!r}: {module_name} has no function {function_name!r}")
    return function


_CLEAR_REFS, _STATUS = pathlib.Path("/proc/self/clear_refs"), pathlib.Path("/proc/self/status")


def _status_mib(field: str) -> float:
    for line in _STATUS.read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1]) / 1024  # kB
    raise RuntimeError(f"{_STATUS} has no {field} line")


def _resettable_peak() -> bool:
    try:
        _CLEAR_REFS.write_text("5")
        _status_mib("VmHWM")
    except (OSError, RuntimeError):
        return False
    return True


def _all_time_peak_mib() -> float:
    import resource  # Unix only; imported here so that the module imports everywhere

    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / 2**20 if sys.platform == "darwin" else peak / 2**10  # bytes / KiB


def _measure(spec: dict) -> list[dict]:
    """Runs in the fresh process: the rows of ``measure_by_length``'s table."""
    import tensorflow as tf

    model = _builder(spec["builder"])(**spec["kwargs"])
    n_features, batch = spec["n_features"], spec["batch"]
    forward = tf.function(
        lambda x: model(x, training=False),
        input_signature=[tf.TensorSpec((None, None, n_features), tf.float32)])
    rng = np.random.default_rng(spec["seed"])

    def inputs(length: int) -> tf.Tensor:
        return tf.constant(rng.standard_normal((batch, length, n_features)), tf.float32)

    forward(inputs(spec["lengths"][0])).numpy()
    resettable = _resettable_peak()
    baseline = _all_time_peak_mib()

    def call(x) -> tuple[float, float]:
        """Runs forward(x): its seconds, and the MiB it needed beyond what was resident."""
        if resettable:
            _CLEAR_REFS.write_text("5")
            before = _status_mib("VmRSS")
        start = time.perf_counter()
        forward(x).numpy()
        seconds = time.perf_counter() - start
        if not resettable:
            return seconds, max(0.0, _all_time_peak_mib() - baseline)
        return seconds, max(0.0, _status_mib("VmHWM") - before)

    lengths = spec["lengths"]
    xs = {length: inputs(length) for length in lengths}
    memory = {length: [call(xs[length])[1]] for length in lengths}  # untimed: allocates
    seconds = {length: [] for length in lengths}
    for _ in range(spec["repeats"]):  # one round: every length once, in increasing order
        for length in lengths:
            took, needed = call(xs[length])
            seconds[length].append(took)
            memory[length].append(needed)
    return [{"length": length, "latency ms": 1e3 * min(seconds[length]),
             "latency ms by round": [1e3 * value for value in seconds[length]],
             "peak memory MiB": max(memory[length]),
             "memory method": "VmHWM reset" if resettable else "ru_maxrss"}
            for length in lengths]


def measure_by_length(
    builder: str, *, lengths: Sequence[int], kwargs: dict | None = None, n_features: int = 1,
    batch: int = 1, repeats: int = 5, seed: int = 0, timeout: float = 300.0,
) -> pd.DataFrame:
    """Latency and peak memory per sequence length of one model, in a fresh process.

    ``builder`` names a function ``'module:function'`` that returns a Keras model taking
    (batch, time, n_features) float32 inputs with an open time axis; it is called with
    ``kwargs``. Returns one row per length: ``length``, ``latency ms`` (the fastest of
    ``repeats`` calls on a batch of ``batch`` sequences, one call per round),
    ``latency ms by round`` (the list of those calls' times), ``peak memory MiB`` (the most
    memory one call needed beyond what was resident before it) and ``memory method``.
    Raises ``RuntimeError`` with the child's error output when it fails or times out.
    """
    if sys.platform == "win32":
        raise NotImplementedError("measure_by_length reads ru_maxrss, which Windows lacks")
    spec = {"builder": builder, "kwargs": dict(kwargs or {}), "lengths": _lengths(lengths),
            "seed": int(seed)}
    for name, value in (("n_features", n_features), ("batch", batch), ("repeats", repeats)):
        spec[name] = positive_int(name, value)
    _builder(builder)  # fail here, with a clear message, rather than in the child
    env = child_env(TF_CPP_MIN_LOG_LEVEL="2", MALLOC_MMAP_THRESHOLD_="131072")
    with tempfile.TemporaryDirectory(prefix="lstm-course-latency-") as folder:
        result = pathlib.Path(folder) / "result.json"
        child = run_child([sys.executable, "-m", "lstm_course.latency", json.dumps(spec),
                           str(result)], what=f"measuring {builder}", timeout=timeout, env=env)
        if child.returncode != 0 or not result.exists():
            raise RuntimeError(failure_message(f"measuring {builder}", child))
        return pd.DataFrame(json.loads(result.read_text()))


def growth_exponent(lengths: Sequence[float], values: Sequence[float]) -> float:
    """Least-squares slope of log(values) against log(lengths) (1: linear, 2: quadratic)."""
    lengths, values = np.asarray(lengths, dtype=float), np.asarray(values, dtype=float)
    if lengths.shape != values.shape or lengths.ndim != 1 or len(lengths) < 2:
        raise ValueError("lengths and values must be 1-D and of the same length, at least 2; "
                         f"got shapes {lengths.shape} and {values.shape}")
    if not (np.all(lengths > 0) and np.all(values > 0)):
        raise ValueError("lengths and values must all be positive (their logarithms are "
                         f"fitted), got {lengths.tolist()} and {values.tolist()}")
    if len(set(lengths.tolist())) < 2:
        raise ValueError(f"need at least two different lengths, got {lengths.tolist()}")
    return float(np.polyfit(np.log(lengths), np.log(values), 1)[0])


def round_exponent(table: pd.DataFrame) -> float:
    """Median over the rounds of ``growth_exponent`` of the latency in each round.

    ``table`` is a ``measure_by_length`` table, or a subset of its rows (e.g. the longest
    lengths). Each round measured every length one right after another, so a phase in
    which the machine runs slower affects the lengths of a round alike and cancels in the
    round's slope; the median drops the rounds that a burst disturbed.
    """
    if not isinstance(table, pd.DataFrame) or not {"length", "latency ms by round"} <= set(
            table.columns):
        raise TypeError("table must be a measure_by_length table, with 'length' and "
                        "'latency ms by round' columns")
    rounds = {len(times) for times in table["latency ms by round"]}
    if len(rounds) != 1:
        raise ValueError(f"every length must have the same number of rounds, got {rounds}")
    by_round = np.array(table["latency ms by round"].tolist(), dtype=float)  # (lengths, rounds)
    return float(np.median([growth_exponent(table["length"], by_round[:, r])
                            for r in range(by_round.shape[1])]))


if __name__ == "__main__":  # the child: spec (JSON) and the result file it writes
    rows = _measure(json.loads(sys.argv[1]))
    pathlib.Path(sys.argv[2]).write_text(json.dumps(rows))
    os._exit(0)  # skip TensorFlow's slow interpreter teardown
