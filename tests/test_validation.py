"""The argument checks that every helper module shares (lstm_course._validation)."""

import math

import numpy as np
import pytest

from lstm_course._validation import non_negative_int, positive_int, positive_ints, positive_seconds


@pytest.mark.parametrize("value", [0, -3, 2.0, True, "4", None])
def test_positive_int_refuses_anything_but_a_positive_integer(value):
    with pytest.raises(ValueError, match=r"units must be a positive int"):
        positive_int("units", value)


@pytest.mark.parametrize("value", [-1, 1.0, False, "0", None])
def test_non_negative_int_refuses_anything_but_an_integer_from_zero(value):
    with pytest.raises(ValueError, match=r"gap must be an int >= 0, got"):
        non_negative_int("gap", value)


@pytest.mark.parametrize("value", [0, -1.5, math.inf, math.nan, True, "10", None])
def test_positive_seconds_refuses_anything_but_a_finite_positive_number(value):
    with pytest.raises(ValueError, match=r"timeout must be a positive number of seconds"):
        positive_seconds("timeout", value)


def test_the_checks_return_plain_python_numbers():
    for check, value, expected, kind in [(positive_int, np.int64(5), 5, int),
                                         (non_negative_int, np.int32(0), 0, int),
                                         (positive_seconds, np.float32(2.5), 2.5, float),
                                         (positive_seconds, 3, 3.0, float)]:
        result = check("x", value)
        assert result == expected and type(result) is kind


def test_positive_ints_takes_one_int_or_a_non_empty_sequence():
    assert positive_ints("steps", 3) == [3]
    assert positive_ints("steps", (1, np.int64(2))) == [1, 2]
    with pytest.raises(ValueError, match="steps must be positive ints, got none"):
        positive_ints("steps", [])
    with pytest.raises(ValueError, match=r"steps must be a positive int, got 0"):
        positive_ints("steps", [4, 0])
