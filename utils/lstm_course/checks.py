"""Checks that exercises call on a learner's code: pass quietly, or fail with the first mismatch.

Each ``check_*`` runs the submitted function on random inputs, compares it with the course's
reference implementation and raises ``AssertionError`` naming the first differing value;
on success it prints one line saying what was checked. ``check_value`` does the same for an
exercise whose answer is a number.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from .gru_numpy import GRUWeights, gru_step
from .lstm_numpy import GATES, LSTMWeights, lstm_forward, lstm_step
from .windows import Standardizer, WindowSpec, make_windows


def _compare(name: str, got, expected: np.ndarray, atol: float) -> None:
    got = np.asarray(got)
    if got.shape != expected.shape:
        raise AssertionError(f"{name} has shape {got.shape}, expected {expected.shape}")
    wrong = ~np.isclose(got, expected, atol=atol, rtol=0)
    if wrong.any():
        where = tuple(int(i) for i in np.argwhere(wrong)[0])
        raise AssertionError(
            f"{name}{list(where)} is {got[where]:.6g}, expected {expected[where]:.6g} "
            f"({int(wrong.sum())} of {wrong.size} values differ by more than {atol:g})"
        )


def _random_weights(rng: np.random.Generator, features: int, units: int) -> LSTMWeights:
    return LSTMWeights(
        rng.normal(size=(features, 4 * units)),
        rng.normal(size=(units, 4 * units)),
        rng.normal(size=4 * units),
    )


def check_lstm_step(fn: Callable, *, trials: int = 3, seed: int = 0, atol: float = 1e-8) -> None:
    """Check ``fn(x_t, h_prev, c_prev, weights) -> (h_t, c_t, ...)`` against ``lstm_step``.

    ``weights`` is an ``LSTMWeights(kernel, recurrent_kernel, bias)`` in Keras' layout
    (gate order i, f, c, o); shapes: ``x_t`` (B, F), states (B, U). Float64 throughout.
    """
    if not callable(fn):
        raise TypeError(f"check_lstm_step needs a function, got {type(fn).__name__}")
    rng = np.random.default_rng(seed)
    for trial in range(trials):
        batch, features, units = rng.integers(1, 5, size=3)
        weights = _random_weights(rng, features, units)
        x_t = rng.normal(size=(batch, features))
        h_prev, c_prev = rng.normal(size=(2, batch, units))
        result = fn(x_t, h_prev, c_prev, weights)
        if not isinstance(result, tuple) or len(result) < 2:
            raise AssertionError("the function must return a tuple (h_t, c_t, ...)")
        h_ref, c_ref, _ = lstm_step(x_t, h_prev, c_prev, weights)
        try:
            _compare("c_t", result[1], c_ref, atol)
            _compare("h_t", result[0], h_ref, atol)
        except AssertionError as exc:
            raise AssertionError(
                f"trial {trial + 1} (batch={batch}, features={features}, units={units}): {exc}"
            ) from None
    print(f"check_lstm_step: {trials} random cases match the reference LSTM step.")


def check_lstm_gates(fn: Callable, *, trials: int = 3, seed: int = 0, atol: float = 1e-8) -> None:
    """Check ``fn(x, weights) -> {"i", "f", "g", "o", "c": (B, T, U) arrays}`` over a sequence.

    ``x`` is (B, T, F), the states start at zero, ``weights`` is an ``LSTMWeights`` in Keras'
    layout; the dict holds every step's input, forget, candidate and output gate and cell
    state. Compared with ``lstm_forward``; float64 throughout.
    """
    if not callable(fn):
        raise TypeError(f"check_lstm_gates needs a function, got {type(fn).__name__}")
    rng = np.random.default_rng(seed)
    expected_keys = (*GATES, "c")
    for trial in range(trials):
        batch, steps, features, units = rng.integers(1, 6, size=4)
        weights = _random_weights(rng, features, units)
        x = rng.normal(size=(batch, steps, features))
        result = fn(x, weights)
        if not hasattr(result, "keys"):
            raise AssertionError(f"the function must return a dict with keys {expected_keys}")
        missing = [k for k in expected_keys if k not in result]
        if missing:
            raise AssertionError(f"the returned dict lacks {missing}; expected {expected_keys}")
        trace = lstm_forward(x, weights)
        reference = {**trace.gates, "c": trace.cells}
        where = f"trial {trial + 1} (batch={batch}, steps={steps}, features={features}, "
        where += f"units={units})"
        try:
            for name in expected_keys:
                _compare(name, result[name], reference[name], atol)
        except AssertionError as exc:
            raise AssertionError(f"{where}: {exc}") from None
    print(f"check_lstm_gates: {trials} random sequences match the reference gates and cell states.")


def check_gru_step(fn: Callable, *, trials: int = 3, seed: int = 0, atol: float = 1e-8) -> None:
    """Check ``fn(x_t, h_prev, weights) -> h_t`` (or a tuple starting with ``h_t``).

    ``weights`` is a ``GRUWeights(kernel, recurrent_kernel, bias)`` in Keras' default layout
    (``reset_after=True``, gate order z, r, h, bias (2, 3U)); shapes: ``x_t`` (B, F),
    ``h_prev`` (B, U). Compared with ``gru_step``; float64 throughout.
    """
    if not callable(fn):
        raise TypeError(f"check_gru_step needs a function, got {type(fn).__name__}")
    rng = np.random.default_rng(seed)
    for trial in range(trials):
        batch, features, units = rng.integers(1, 5, size=3)
        weights = GRUWeights(
            rng.normal(size=(features, 3 * units)),
            rng.normal(size=(units, 3 * units)),
            rng.normal(size=(2, 3 * units)),
        )
        x_t = rng.normal(size=(batch, features))
        h_prev = rng.normal(size=(batch, units))
        result = fn(x_t, h_prev, weights)
        h_t = result[0] if isinstance(result, tuple) else result
        expected, _ = gru_step(x_t, h_prev, weights)
        try:
            _compare("h_t", h_t, expected, atol)
        except AssertionError as exc:
            raise AssertionError(
                f"trial {trial + 1} (batch={batch}, features={features}, units={units}): {exc}"
            ) from None
    print(f"check_gru_step: {trials} random cases match the reference GRU step.")


def check_windows(fn: Callable, *, trials: int = 3, seed: int = 0) -> None:
    """Check ``fn(series, input_width, horizon) -> (inputs, targets)`` against ``make_windows``.

    ``series`` is a 1-D float64 array (T,); window ``s`` is ``series[s : s + input_width]``
    and its target the value ``horizon`` steps after the window's last value,
    ``series[s + input_width + horizon - 1]``, for every ``s`` whose target exists:
    ``inputs`` (N, input_width), ``targets`` (N,), ``N = T - input_width - horizon + 1``.
    """
    if not callable(fn):
        raise TypeError(f"check_windows needs a function, got {type(fn).__name__}")
    rng = np.random.default_rng(seed)
    for trial in range(trials):
        length = int(rng.integers(12, 40))
        input_width, horizon = int(rng.integers(2, 8)), int(rng.integers(1, 4))
        series = np.round(rng.normal(size=length), 3)
        result = fn(series.copy(), input_width, horizon)
        if not isinstance(result, tuple) or len(result) != 2:
            raise AssertionError("the function must return a tuple (inputs, targets)")
        inputs, labels = make_windows(series[:, None], WindowSpec(input_width, shift=horizon))
        where = f"trial {trial + 1} (T={length}, input_width={input_width}, horizon={horizon})"
        n_expected = length - input_width - horizon + 1
        if len(result[0]) != n_expected:
            raise AssertionError(
                f"{where}: {len(result[0])} windows, expected {n_expected} = T - input_width - "
                "horizon + 1 (the last window is the last one whose target exists)"
            )
        try:
            _compare("inputs", result[0], inputs[:, :, 0], atol=0)
            _compare("targets", result[1], labels[:, 0, 0], atol=0)
        except AssertionError as exc:
            raise AssertionError(f"{where}: {exc}") from None
    print(f"check_windows: {trials} random series give the reference windows and targets.")


def check_train_only_scaling(fn: Callable, *, trials: int = 3, seed: int = 0,
                             atol: float = 1e-8) -> None:
    """Check ``fn(train, later) -> (train_scaled, later_scaled)``: statistics of ``train`` only.

    Both are (T, F) float64 arrays; each column is standardised with the mean and standard
    deviation (``ddof=0``) of that column *in the training rows*, and the same numbers are
    applied to ``later`` (validation or test rows). Compared with ``Standardizer``.
    """
    if not callable(fn):
        raise TypeError(f"check_train_only_scaling needs a function, got {type(fn).__name__}")
    rng = np.random.default_rng(seed)
    for trial in range(trials):
        features = int(rng.integers(1, 4))
        # the later rows have another level and spread, as a trending series would
        train = rng.normal(10, 2, size=(int(rng.integers(20, 50)), features))
        later = rng.normal(14, 5, size=(int(rng.integers(5, 20)), features))
        result = fn(train.copy(), later.copy())
        if not isinstance(result, tuple) or len(result) != 2:
            raise AssertionError("the function must return a tuple (train_scaled, later_scaled)")
        scaler = Standardizer.fit(train)
        where = f"trial {trial + 1} ({len(train)} training rows, {len(later)} later rows)"
        try:
            _compare("train_scaled", result[0], scaler.transform(train), atol)
            _compare("later_scaled", result[1], scaler.transform(later), atol)
        except AssertionError as exc:
            hint = ""
            got_later = np.asarray(result[1], dtype=np.float64)
            pooled = Standardizer.fit(np.concatenate([train, later]))
            if got_later.shape == later.shape and np.allclose(
                    got_later, pooled.transform(later), atol=atol):
                hint = " (these are the statistics of all rows: the later rows leaked into them)"
            raise AssertionError(f"{where}: {exc}{hint}") from None
    print(f"check_train_only_scaling: {trials} random splits scaled with training statistics only.")


def check_macro_f1(fn: Callable, *, trials: int = 4, seed: int = 0) -> None:
    """Check ``fn(labels, predicted) -> float``: macro-F1 of two 1-D int arrays of class codes.

    Compared with scikit-learn's ``f1_score(average="macro")``: the mean of
    ``F1 = 2 TP / (2 TP + FP + FN)`` over every class in either array, so a class that is
    never predicted counts with F1 = 0. One trial has such a class, one is imbalanced.
    """
    if not callable(fn):
        raise TypeError(f"check_macro_f1 needs a function, got {type(fn).__name__}")
    from sklearn.metrics import f1_score  # deferred: importing the checks stays fast
    rng = np.random.default_rng(seed)
    for trial in range(trials):
        n_classes, size = int(rng.integers(2, 5)), int(rng.integers(15, 60))
        shares = rng.dirichlet(np.full(n_classes, 0.7 if trial % 2 else 3.0))
        labels = rng.choice(n_classes, size=size, p=shares)
        predicted = np.where(rng.random(size) < 0.6, labels, rng.integers(0, n_classes, size))
        if trial == 0:  # the last class is never predicted: its F1 is 0, not left out
            predicted[predicted == n_classes - 1] = 0
            labels[0] = n_classes - 1
        got = fn(labels.copy(), predicted.copy())
        expected = {"macro-F1": f1_score(labels, predicted, average="macro", zero_division=0),
                    "accuracy": float(np.mean(labels == predicted))}
        where = f"trial {trial + 1} ({size} texts, {n_classes} classes)"
        try:
            got = float(got)
        except (TypeError, ValueError):
            raise AssertionError(f"{where}: the function must return a number, got "
                                 f"{type(got).__name__}") from None
        if not np.isclose(got, expected["macro-F1"], atol=1e-9, rtol=0):
            hint = ""
            if np.isclose(got, expected["accuracy"], atol=1e-9, rtol=0):
                hint = " (that is the accuracy)"
            elif trial == 0:
                hint = " (a class that is never predicted still counts, with F1 = 0)"
            raise AssertionError(f"{where}: macro-F1 is {got:.6g}, expected "
                                 f"{expected['macro-F1']:.6g}{hint}")
    print(f"check_macro_f1: {trials} random labellings give the reference macro-F1.")


def check_value(name: str, got, expected: float, *, rtol: float = 0.0, atol: float = 0.0) -> None:
    """Check a numeric answer: ``got`` within ``atol + rtol * |expected|`` of ``expected``.

    ``name`` is the variable the exercise asked for (it appears in the message). Raises
    ``AssertionError`` when the answer is missing (``...`` or ``None``), not a number, or
    off; an integer count is checked exactly with the default tolerances.
    """
    if not isinstance(name, str) or not name:
        raise TypeError(f"name must be the answer's variable name, got {name!r}")
    if rtol < 0 or atol < 0:
        raise ValueError(f"rtol and atol must be >= 0, got rtol={rtol}, atol={atol}")
    if got is ... or got is None:
        raise AssertionError(f"{name} has no answer yet: replace the ... with your number")
    if isinstance(got, bool) or not isinstance(got, (int, float, np.integer, np.floating)):
        raise AssertionError(f"{name} must be a number, got {type(got).__name__} {got!r}")
    tolerance = atol + rtol * abs(expected)
    if not abs(float(got) - expected) <= tolerance:
        within = f" (allowed difference {tolerance:.3g})" if tolerance else ""
        raise AssertionError(f"{name} is {got:.6g}, expected {expected:.6g}{within}")
    print(f"check_value: {name} = {got:.6g} is right.")
