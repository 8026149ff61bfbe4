"""The NumPy GRU reproduces keras.layers.GRU in both of its forms (reset after / before)."""

import keras
import numpy as np
import pytest

from lstm_course.gru_numpy import GRUWeights, gru_forward, gru_param_count, gru_step


def keras_gru(units, features, reset_after, seed):
    keras.utils.set_random_seed(seed)
    layer = keras.layers.GRU(
        units,
        reset_after=reset_after,
        return_sequences=True,
        bias_initializer=keras.initializers.RandomNormal(stddev=0.5),
    )
    layer.build((None, None, features))
    return layer


@pytest.mark.parametrize("reset_after", [True, False])
@pytest.mark.parametrize("batch,steps,features,units", [(1, 1, 1, 1), (3, 7, 2, 5), (4, 12, 6, 16)])
def test_forward_matches_keras(batch, steps, features, units, reset_after):
    layer = keras_gru(units, features, reset_after, seed=units + steps)
    x = np.random.default_rng(steps).normal(size=(batch, steps, features)).astype("float32")
    expected = np.asarray(layer(x))
    weights = GRUWeights.from_keras(layer)
    assert weights.reset_after is reset_after
    outputs, gates = gru_forward(x, weights)
    np.testing.assert_allclose(outputs, expected, atol=1e-5)
    assert set(gates) == {"z", "r", "n"} and all(g.shape == outputs.shape for g in gates.values())
    assert ((gates["z"] > 0) & (gates["z"] < 1)).all()


def test_initial_state_and_step_agree():
    layer = keras_gru(4, 3, True, seed=1)
    rng = np.random.default_rng(1)
    x = rng.normal(size=(2, 5, 3)).astype("float32")
    h0 = rng.normal(size=(2, 4)).astype("float32")
    expected = np.asarray(layer(x, initial_state=h0))
    weights = GRUWeights.from_keras(layer)
    outputs, _ = gru_forward(x, weights, h0=h0)
    np.testing.assert_allclose(outputs, expected, atol=1e-5)
    h1, _ = gru_step(x[:, 0], h0, weights)
    np.testing.assert_allclose(h1, outputs[:, 0], atol=1e-6)


@pytest.mark.parametrize("units,features", [(1, 1), (16, 2), (64, 8)])
def test_param_count_matches_keras(units, features):
    for reset_after in (True, False):
        layer = keras.layers.GRU(units, reset_after=reset_after)
        layer.build((None, None, features))
        assert gru_param_count(units, features, reset_after=reset_after) == layer.count_params()


def test_bad_weights_and_inputs_are_reported():
    weights = GRUWeights.from_keras(keras_gru(4, 3, True, seed=0))
    with pytest.raises(ValueError, match="inconsistent shapes"):
        gru_forward(np.zeros((1, 2, 3)), weights._replace(bias=np.zeros(5)))
    with pytest.raises(ValueError, match="features"):
        gru_forward(np.zeros((1, 2, 4)), weights)
    with pytest.raises(ValueError, match="batch, time, features"):
        gru_forward(np.zeros((2, 3)), weights)
    with pytest.raises(ValueError, match="h0 must be"):
        gru_forward(np.zeros((1, 2, 3)), weights, h0=np.zeros((1, 5)))
    unbiased = keras.layers.GRU(4, use_bias=False)
    unbiased.build((None, None, 3))
    with pytest.raises(ValueError, match="use a bias"):
        GRUWeights.from_keras(unbiased)
