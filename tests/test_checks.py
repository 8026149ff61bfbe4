"""Each exercise check passes a correct submission and names the first mismatch of a wrong one."""

import numpy as np
import pytest

from lstm_course.checks import check_lstm_step
from lstm_course.lstm_numpy import lstm_step, sigmoid


def correct_step(x_t, h_prev, c_prev, weights):
    h, c, _ = lstm_step(x_t, h_prev, c_prev, weights)
    return h, c


def swapped_gates_step(x_t, h_prev, c_prev, weights):
    """A classic mistake: reading the gates in the order i, f, o, c instead of Keras' i, f, c, o."""
    z = x_t @ weights.kernel + h_prev @ weights.recurrent_kernel + weights.bias
    i, f, o, g = np.split(z, 4, axis=1)
    c = sigmoid(f) * c_prev + sigmoid(i) * np.tanh(g)
    return sigmoid(o) * np.tanh(c), c


def test_correct_step_passes(capsys):
    check_lstm_step(correct_step)
    assert "3 random cases match" in capsys.readouterr().out


def test_wrong_gate_order_is_caught_with_its_first_mismatch():
    with pytest.raises(AssertionError, match=r"trial 1 .*c_t\[0, 0\] is .*, expected"):
        check_lstm_step(swapped_gates_step)


def test_wrong_return_shape_and_type():
    def first_unit_only(x_t, h_prev, c_prev, weights):
        h, c = correct_step(x_t, h_prev, c_prev, weights)
        return h[:, :1], c

    with pytest.raises(AssertionError, match=r"h_t has shape \(\d, 1\), expected"):
        check_lstm_step(first_unit_only)
    with pytest.raises(AssertionError, match="must return a tuple"):
        check_lstm_step(lambda x, h, c, w: h)
    with pytest.raises(TypeError, match="needs a function"):
        check_lstm_step("lstm_step")
