"""lstm_course.bench: warm-up is not timed, rates are batch / seconds, bad input is refused."""

import time

import numpy as np
import pytest

from lstm_course.bench import throughput, time_steps


class SlowFirstCall:
    """A stand-in model: the first call of each kind takes 0.3 s (tracing), later ones 5 ms."""

    def __init__(self, length):
        self.length, self.seen = length, set()

    def _cost(self, kind):
        time.sleep(0.3 if kind not in self.seen else 0.005)
        self.seen.add(kind)

    def train_on_batch(self, x, y):
        assert x.shape[1] == self.length and y.shape == (len(x), 1)
        self._cost("train")

    def predict_on_batch(self, x):
        self._cost("predict")
        return np.zeros((len(x), 1), "float32")


def test_warm_up_is_excluded_and_rates_follow_batch_size():
    table = throughput(SlowFirstCall, batch_sizes=[8, 32], lengths=[5], n_features=2,
                       steps=4, warmup=1, repeats=2)
    assert list(table["mode"]) == ["train", "inference", "train", "inference"]
    assert list(table["batch"]) == [8, 8, 32, 32]
    # 5 ms per step (plus overhead): a timed 0.3 s first call would show as < 60 ms/step
    assert (table["ms/step"] < 60).all() and (table["ms/step"] >= 5).all()
    per_step_s = table["ms/step"] / 1e3
    np.testing.assert_allclose(table["sequences/s"], table["batch"] / per_step_s, rtol=1e-9)
    assert (table["min sequences/s"] <= table["sequences/s"]).all()
    assert (table["sequences/s"] <= table["max sequences/s"]).all()


def test_time_steps_counts_calls():
    calls = []
    seconds = time_steps(lambda: calls.append(1), steps=5, warmup=2, repeats=3)
    assert len(calls) == 2 + 5 * 3 and len(seconds) == 3


def test_a_real_keras_model_is_measured():
    import keras  # both stacks have it: a missing Keras is a failure, not a skip

    def build(length):
        model = keras.Sequential([keras.Input((length, 3)), keras.layers.LSTM(4),
                                  keras.layers.Dense(1)])
        model.compile("adam", "mse")
        return model

    table = throughput(build, batch_sizes=[4], lengths=[6, 12], n_features=3, steps=2,
                       warmup=1, repeats=1)
    assert len(table) == 4 and (table["sequences/s"] > 0).all()



def test_time_steps_refuses_a_list_where_one_count_is_expected():
    with pytest.raises(ValueError, match=r"steps must be a positive int, got \[3, 4\]"):
        time_steps(lambda: None, steps=[3, 4], warmup=1, repeats=1)

@pytest.mark.parametrize(
    "kwargs,message",
    [
        ({"batch_sizes": []}, "batch_sizes must be positive ints, got none"),
        ({"batch_sizes": [0]}, "batch_sizes must be a positive int, got 0"),
        ({"lengths": [2.5]}, "lengths must be a positive int, got 2.5"),
        ({"n_features": 0}, "n_features"),
        ({"modes": ["fit"]}, "modes must be"),
        ({"steps": 0}, "steps"),
    ],
)
def test_bad_arguments_are_refused(kwargs, message):
    arguments = {"batch_sizes": [2], "lengths": [3], "n_features": 1} | kwargs
    with pytest.raises(ValueError, match=message):
        throughput(SlowFirstCall, **arguments)


def test_build_must_be_callable():
    with pytest.raises(TypeError, match="build must be a function"):
        throughput("lstm", batch_sizes=[2], lengths=[3], n_features=1)
