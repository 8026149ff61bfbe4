"""The NumPy LSTM equals keras.layers.LSTM, and its BPTT equals finite differences and autodiff."""

import keras
import numpy as np
import pytest
import tensorflow as tf

from lstm_course.lstm_numpy import (
    LSTMWeights,
    lstm_backward,
    lstm_forward,
    lstm_param_count,
    lstm_step,
    sigmoid,
)

# (batch, time, features, units): several shapes, including a single step and a single unit.
SHAPES = [(1, 1, 1, 1), (2, 5, 3, 4), (4, 9, 1, 7), (3, 4, 6, 2)]


def keras_lstm(features, units, dtype="float32", seed=0):
    keras.utils.set_random_seed(seed)
    layer = keras.layers.LSTM(units, return_sequences=True, return_state=True, dtype=dtype)
    layer.build((None, None, features))
    # Random biases too (Keras starts them at 0 and 1), so that every term is exercised.
    kernel, recurrent, bias = layer.get_weights()
    layer.set_weights([kernel, recurrent, np.random.default_rng(seed).normal(size=bias.shape)])
    return layer


def random_mask(batch, steps, rng):
    mask = rng.random((batch, steps)) > 0.3
    mask[:, 0] = True  # Keras keeps zeros at a masked first step, as we do; keep it simple
    return mask


@pytest.mark.parametrize("batch, steps, features, units", SHAPES)
@pytest.mark.parametrize("masked", [False, True])
def test_forward_equals_keras_in_float32(batch, steps, features, units, masked):
    rng = np.random.default_rng(batch * 100 + steps)
    x = rng.normal(size=(batch, steps, features)).astype(np.float32)
    mask = random_mask(batch, steps, rng) if masked else None
    layer = keras_lstm(features, units)
    outputs, h, c = (a.numpy() for a in layer(x, mask=mask))
    trace = lstm_forward(x, LSTMWeights.from_keras(layer), mask=mask)
    assert trace.outputs.dtype == np.float32
    np.testing.assert_allclose(trace.outputs, outputs, atol=1e-5, rtol=0)
    np.testing.assert_allclose(trace.h, h, atol=1e-5, rtol=0)
    np.testing.assert_allclose(trace.c, c, atol=1e-5, rtol=0)


def test_step_is_one_column_of_the_sequence():
    rng = np.random.default_rng(1)
    weights = LSTMWeights.from_keras(keras_lstm(3, 4))
    x = rng.normal(size=(2, 3, 3)).astype(np.float32)
    trace = lstm_forward(x, weights)
    h, c, gates = lstm_step(x[:, 1], trace.outputs[:, 0], trace.cells[:, 0], weights)
    np.testing.assert_array_equal(h, trace.outputs[:, 1])
    np.testing.assert_array_equal(c, trace.cells[:, 1])
    assert set(gates) == {"i", "f", "g", "o"}
    for name in "ifo":
        assert ((gates[name] > 0) & (gates[name] < 1)).all()


def _loss(trace, w_out, w_h, w_c):
    """A scalar that uses every output and both final states."""
    return (trace.outputs * w_out).sum() + (trace.h * w_h).sum() + (trace.c**2 * w_c).sum()


def _loss_grads(trace, w_out, w_h, w_c):
    return lstm_backward(trace, d_outputs=w_out, d_h=w_h, d_c=2 * trace.c * w_c)


@pytest.mark.parametrize("batch, steps, features, units", SHAPES)
@pytest.mark.parametrize("masked", [False, True])
def test_backward_equals_centred_finite_differences(batch, steps, features, units, masked):
    rng = np.random.default_rng(7 + steps)
    u4 = 4 * units
    weights = LSTMWeights(
        rng.normal(scale=0.5, size=(features, u4)),
        rng.normal(scale=0.5, size=(units, u4)),
        rng.normal(scale=0.5, size=u4),
    )
    x = rng.normal(size=(batch, steps, features))
    h0, c0 = rng.normal(size=(2, batch, units))
    mask = random_mask(batch, steps, rng) if masked else None
    w_out = rng.normal(size=(batch, steps, units))
    w_h, w_c = rng.normal(size=(2, batch, units))

    def loss(kernel=weights.kernel, recurrent=weights.recurrent_kernel, bias=weights.bias,
             x=x, h0=h0, c0=c0):
        trace = lstm_forward(x, LSTMWeights(kernel, recurrent, bias), h0, c0, mask)
        return _loss(trace, w_out, w_h, w_c)

    grads = _loss_grads(lstm_forward(x, weights, h0, c0, mask), w_out, w_h, w_c)
    arguments = {"kernel": weights.kernel, "recurrent": weights.recurrent_kernel,
                 "bias": weights.bias, "x": x, "h0": h0, "c0": c0}
    names = {"recurrent": "recurrent_kernel"}
    eps = 1e-6
    for name, value in arguments.items():
        numeric = np.zeros_like(value)
        for index in np.ndindex(value.shape):
            plus, minus = value.copy(), value.copy()
            plus[index] += eps
            minus[index] -= eps
            numeric[index] = (loss(**{name: plus}) - loss(**{name: minus})) / (2 * eps)
        analytic = grads[names.get(name, name)]
        error = np.abs(analytic - numeric).max() / max(np.abs(numeric).max(), 1e-12)
        assert error <= 1e-6, (name, error)


@pytest.mark.parametrize("batch, steps, features, units", SHAPES[1:])
def test_backward_equals_gradient_tape(batch, steps, features, units):
    rng = np.random.default_rng(3)
    layer = keras_lstm(features, units, dtype="float64", seed=2)
    x = rng.normal(size=(batch, steps, features))
    w_out = rng.normal(size=(batch, steps, units))
    w_h, w_c = rng.normal(size=(2, batch, units))
    x_tensor = tf.constant(x)
    with tf.GradientTape() as tape:
        tape.watch(x_tensor)
        outputs, h, c = layer(x_tensor)
        loss = (tf.reduce_sum(outputs * w_out) + tf.reduce_sum(h * w_h)
                + tf.reduce_sum(c**2 * w_c))
    autodiff = tape.gradient(loss, [*layer.weights, x_tensor])
    trace = lstm_forward(x, LSTMWeights.from_keras(layer))
    assert float(loss) == pytest.approx(_loss(trace, w_out, w_h, w_c), rel=1e-12)
    grads = _loss_grads(trace, w_out, w_h, w_c)
    for name, expected in zip(["kernel", "recurrent_kernel", "bias", "x"], autodiff, strict=True):
        np.testing.assert_allclose(grads[name], expected.numpy(), rtol=1e-9, atol=1e-12)


@pytest.mark.parametrize("units, features", [(1, 1), (4, 3), (32, 8), (64, 1)])
def test_parameter_count_formula(units, features):
    layer = keras.layers.LSTM(units)
    layer.build((None, 5, features))
    assert layer.count_params() == lstm_param_count(units, features)


def test_sigmoid_is_stable_and_symmetric():
    z = np.array([-1000.0, -1.0, 0.0, 1.0, 1000.0])
    s = sigmoid(z)
    assert np.isfinite(s).all() and s[2] == 0.5 and s[0] == 0 and s[-1] == 1
    np.testing.assert_allclose(s + sigmoid(-z), 1)


def test_bad_shapes_are_clear_errors():
    weights = LSTMWeights(np.zeros((3, 8)), np.zeros((2, 8)), np.zeros(8))
    with pytest.raises(ValueError, match="x has 4 features, the kernel expects 3"):
        lstm_forward(np.zeros((1, 2, 4)), weights)
    with pytest.raises(ValueError, match="batch, time, features"):
        lstm_forward(np.zeros((2, 3)), weights)
    with pytest.raises(ValueError, match="mask must be"):
        lstm_forward(np.zeros((1, 2, 3)), weights, mask=np.ones((1, 3)))
    with pytest.raises(ValueError, match=r"h0 must be \(1, 2\), got \(2, 2\)"):
        lstm_forward(np.zeros((1, 2, 3)), weights, h0=np.zeros((2, 2)))
    with pytest.raises(ValueError, match=r"c0 must be \(1, 2\), got \(1, 3\)"):
        lstm_forward(np.zeros((1, 2, 3)), weights, c0=np.zeros((1, 3)))
    with pytest.raises(ValueError, match="inconsistent shapes"):
        lstm_forward(np.zeros((1, 2, 3)), LSTMWeights(np.zeros((3, 8)), np.zeros((2, 4)),
                                                      np.zeros(8)))
    with pytest.raises(ValueError, match="d_outputs must be"):
        lstm_backward(lstm_forward(np.zeros((1, 2, 3)), weights), d_outputs=np.zeros((1, 1, 2)))
    layer = keras.layers.LSTM(2, use_bias=False)
    layer.build((None, 1, 3))
    with pytest.raises(ValueError, match="does it use a bias"):
        LSTMWeights.from_keras(layer)
