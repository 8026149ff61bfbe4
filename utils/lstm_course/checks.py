"""Checks that exercises call on a learner's code: pass quietly, or fail with the first mismatch.

Each ``check_*`` runs the submitted function on random inputs, compares it with the course's
reference implementation and raises ``AssertionError`` naming the first differing value;
on success it prints one line saying what was checked.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from .gru_numpy import GRUWeights, gru_step
from .lstm_numpy import GATES, LSTMWeights, lstm_forward, lstm_step


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
