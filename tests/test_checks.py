"""Each exercise check passes a correct submission and names the first mismatch of a wrong one."""

import numpy as np
import pytest
from sklearn.metrics import f1_score

from lstm_course.checks import (
    check_gru_step,
    check_lstm_gates,
    check_lstm_step,
    check_macro_f1,
    check_train_only_scaling,
    check_value,
    check_windows,
)
from lstm_course.gru_numpy import gru_step
from lstm_course.lstm_numpy import lstm_step, sigmoid
from lstm_course.metrics import classification_scores


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


def read_gates(x, weights, carry_states=True):
    """Gate read-out over a sequence, from the step function; optionally with a classic bug."""
    b, units = x.shape[0], weights.units
    h = c = np.zeros((b, units))
    found = {name: [] for name in "ifgoc"}
    for t in range(x.shape[1]):
        if not carry_states:  # the bug: every step starts from zero states
            h = c = np.zeros((b, units))
        h, c, gates = lstm_step(x[:, t], h, c, weights)
        for name in "ifgo":
            found[name].append(gates[name])
        found["c"].append(c)
    return {name: np.stack(v, axis=1) for name, v in found.items()}


def test_correct_gate_readout_passes(capsys):
    check_lstm_gates(read_gates)
    assert "3 random sequences match" in capsys.readouterr().out


def test_states_not_carried_is_caught_at_the_second_step():
    def forgetful(x, weights):
        return read_gates(x, weights, carry_states=False)

    second_step_or_later = r"trial \d .*: i\[\d+, [1-9]\d*, \d+\] is .*, expected"
    with pytest.raises(AssertionError, match=second_step_or_later):
        check_lstm_gates(forgetful, trials=5)


def test_hidden_state_returned_as_cell_state_is_caught():
    def h_for_c(x, weights):
        gates = read_gates(x, weights)
        gates["c"] = gates["o"] * np.tanh(gates["c"])
        return gates

    with pytest.raises(AssertionError, match=r": c\[0, 0, 0\] is"):
        check_lstm_gates(h_for_c)


def test_gate_readout_of_the_wrong_kind():
    with pytest.raises(AssertionError, match=r"lacks \['c'\]"):
        check_lstm_gates(lambda x, w: {k: v for k, v in read_gates(x, w).items() if k != "c"})
    with pytest.raises(AssertionError, match="must return a dict"):
        check_lstm_gates(lambda x, w: list(read_gates(x, w).values()))
    with pytest.raises(TypeError, match="needs a function"):
        check_lstm_gates(None)


def test_correct_gru_step_passes(capsys):
    check_gru_step(lambda x_t, h_prev, weights: gru_step(x_t, h_prev, weights)[0])
    check_gru_step(gru_step)  # a tuple (h_t, gates) is accepted too
    assert "match the reference GRU step" in capsys.readouterr().out


def test_gru_with_the_update_convention_reversed_is_caught():
    def reversed_update(x_t, h_prev, weights):
        """Another textbook convention, h = (1 - z) h_prev + z n: a different function."""
        h, gates = gru_step(x_t, h_prev, weights)
        z, n = gates["z"], gates["n"]
        return (1 - z) * h_prev + z * n

    with pytest.raises(AssertionError, match=r"trial 1 .*h_t\[0, 0\] is .*, expected"):
        check_gru_step(reversed_update)
    with pytest.raises(AssertionError, match="has shape"):
        check_gru_step(lambda x_t, h_prev, weights: h_prev[:, :1])
    with pytest.raises(TypeError, match="needs a function"):
        check_gru_step(3)


def correct_windows(series, input_width, horizon):
    n = len(series) - input_width - horizon + 1
    inputs = np.stack([series[s : s + input_width] for s in range(n)])
    return inputs, series[input_width + horizon - 1 :]


def test_correct_windows_pass(capsys):
    check_windows(correct_windows)
    assert "3 random series" in capsys.readouterr().out


def test_target_one_step_too_late_is_caught():
    def late(series, input_width, horizon):  # off by one: the target skips a step
        inputs, _ = correct_windows(series, input_width, horizon + 1)
        return inputs, series[input_width + horizon :]

    with pytest.raises(AssertionError, match=r"trial 1 .*windows, expected .*target exists"):
        check_windows(late)


def test_target_inside_the_window_is_caught_with_the_first_mismatch():
    def leaky(series, input_width, horizon):  # the target is the window's own last value
        inputs, _ = correct_windows(series, input_width, horizon)
        return inputs, inputs[:, -1]

    with pytest.raises(AssertionError, match=r"targets\[0\] is .*, expected"):
        check_windows(leaky)


def test_windows_must_return_a_pair():
    with pytest.raises(AssertionError, match="tuple"):
        check_windows(lambda series, w, h: series)
    with pytest.raises(TypeError, match="needs a function"):
        check_windows("windows")


def train_only(train, later):
    mean, std = train.mean(axis=0), train.std(axis=0)
    return (train - mean) / std, (later - mean) / std


def test_correct_scaling_passes(capsys):
    check_train_only_scaling(train_only)
    assert "training statistics only" in capsys.readouterr().out


def test_scaling_with_all_rows_is_caught_and_named():
    def pooled(train, later):
        rows = np.concatenate([train, later])
        mean, std = rows.mean(axis=0), rows.std(axis=0)
        return (train - mean) / std, (later - mean) / std

    with pytest.raises(AssertionError, match=r"train_scaled\[0, 0\] .*later rows leaked"):
        check_train_only_scaling(pooled)


def test_later_rows_scaled_with_their_own_statistics_is_caught():
    def separately(train, later):
        return train_only(train, later)[0], train_only(later, later)[0]

    with pytest.raises(AssertionError, match=r"later_scaled\[0, 0\] is"):
        check_train_only_scaling(separately)


def course_macro_f1(labels, predicted):
    """The course's own implementation, an independent one from scikit-learn's reference."""
    return classification_scores(labels, predicted)["macro-F1"]


def macro_f1_over_predicted_classes(labels, predicted):
    """A classic mistake: averaging only over the classes the model predicts."""
    classes = np.unique(predicted)
    return f1_score(labels, predicted, labels=classes, average="macro", zero_division=0)


def test_macro_f1_as_the_course_computes_it_passes(capsys):
    check_macro_f1(course_macro_f1, trials=12, seed=3)
    assert "12 random labellings" in capsys.readouterr().out


def test_macro_f1_leaving_out_an_unpredicted_class_is_caught_and_explained():
    with pytest.raises(AssertionError, match=r"trial 1 .*never predicted still counts"):
        check_macro_f1(macro_f1_over_predicted_classes)


def test_accuracy_instead_of_macro_f1_is_named():
    def accuracy(labels, predicted):
        return np.mean(labels == predicted)

    with pytest.raises(AssertionError, match=r"that is the accuracy"):
        check_macro_f1(accuracy)


def test_macro_f1_must_be_a_number():
    with pytest.raises(AssertionError, match="must return a number, got dict"):
        check_macro_f1(lambda labels, predicted: {"macro-F1": 0.5})
    with pytest.raises(TypeError, match="needs a function"):
        check_macro_f1(0.5)


def test_value_check_exact_and_with_tolerance(capsys):
    check_value("n_params", 8017, 8017)
    check_value("b_f", 4.2341, 4.2336, atol=0.01)
    assert "n_params = 8017 is right" in capsys.readouterr().out
    with pytest.raises(AssertionError, match=r"n_params is 7889, expected 8017$"):
        check_value("n_params", 7889, 8017)
    with pytest.raises(AssertionError,
                       match=r"b_f is 4\.5, expected 4\.2336 \(allowed difference 0\.01\)"):
        check_value("b_f", 4.5, 4.2336, atol=0.01)


def test_value_check_refuses_a_missing_or_non_numeric_answer():
    with pytest.raises(AssertionError, match=r"n_params has no answer yet"):
        check_value("n_params", ..., 8017)
    with pytest.raises(AssertionError, match=r"must be a number, got str '8017'"):
        check_value("n_params", "8017", 8017)
    with pytest.raises(AssertionError, match=r"must be a number, got bool"):
        check_value("n_params", True, 1)
    with pytest.raises(ValueError, match="rtol and atol must be >= 0"):
        check_value("n_params", 1, 1, atol=-1)
    with pytest.raises(TypeError, match="variable name"):
        check_value("", 1, 1)
