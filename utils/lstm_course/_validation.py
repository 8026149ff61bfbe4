"""Argument checks shared by the helper modules (private: not part of the course API)."""

from __future__ import annotations

import numbers


def positive_int(name: str, value) -> int:
    """``value`` as an int if it is an integer >= 1 (not a bool); ValueError naming it otherwise."""
    if isinstance(value, bool) or not isinstance(value, numbers.Integral) or value < 1:
        raise ValueError(f"{name} must be a positive int, got {value!r}")
    return int(value)


def non_negative_int(name: str, value) -> int:
    """``value`` as an int if it is an integer >= 0 (not a bool); ValueError naming it otherwise."""
    if isinstance(value, bool) or not isinstance(value, numbers.Integral) or value < 0:
        raise ValueError(f"{name} must be an int >= 0, got {value!r}")
    return int(value)


def positive_seconds(name: str, value) -> float:
    """``value`` as a float if it is a finite number > 0 (not a bool); ValueError otherwise."""
    if (isinstance(value, bool) or not isinstance(value, numbers.Real)
            or not 0 < value < float("inf")):
        raise ValueError(f"{name} must be a positive number of seconds, got {value!r}")
    return float(value)


def positive_ints(name: str, values) -> list[int]:
    """One positive int or a non-empty sequence of them, as a list of ints; ValueError
    naming ``name`` otherwise."""
    items = [values] if isinstance(values, numbers.Integral) else list(values)
    if not items:
        raise ValueError(f"{name} must be positive ints, got none")
    return [positive_int(name, value) for value in items]
