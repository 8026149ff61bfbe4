"""lstm_course.attention: the custom layers equal Keras' AdditiveAttention and Attention."""

import keras
import numpy as np
import pytest

from lstm_course.attention import BahdanauAttention, LuongAttention

RNG = np.random.default_rng(0)
BATCH, TQ, TV, D = 3, 4, 6, 5
QUERY = RNG.normal(size=(BATCH, TQ, D)).astype("float32")
VALUE = RNG.normal(size=(BATCH, TV, D)).astype("float32")
KEY = RNG.normal(size=(BATCH, TV, 7)).astype("float32")
VALUE_MASK = np.arange(TV)[None, :] < np.array([[6], [3], [1]])  # lengths 6, 3, 1
QUERY_MASK = np.arange(TQ)[None, :] < np.array([[4], [2], [3]])
MASKS = [None, [None, VALUE_MASK], [QUERY_MASK, VALUE_MASK]]


@pytest.mark.parametrize("mask", MASKS)
def test_bahdanau_equals_keras_additive_attention_on_the_projections(mask):
    layer = BahdanauAttention(units=8)
    context, weights = layer([QUERY, VALUE], mask=mask, return_attention_scores=True)
    reference = keras.layers.AdditiveAttention(use_scale=True)
    projected = [layer.query_projection(QUERY), VALUE, layer.key_projection(VALUE)]
    reference(projected)  # build, then give it our v as its scale
    reference.scale.assign(layer.v.numpy())
    expected, expected_weights = reference(projected, mask=mask, return_attention_scores=True)
    np.testing.assert_allclose(context, expected, atol=1e-5)
    np.testing.assert_allclose(weights, expected_weights, atol=1e-6)


@pytest.mark.parametrize("mask", MASKS)
def test_luong_dot_equals_keras_attention(mask):
    context, weights = LuongAttention()([QUERY, VALUE], mask=mask, return_attention_scores=True)
    expected, expected_weights = keras.layers.Attention()(
        [QUERY, VALUE], mask=mask, return_attention_scores=True)
    np.testing.assert_allclose(context, expected, atol=1e-5)
    np.testing.assert_allclose(weights, expected_weights, atol=1e-6)


def test_scaled_dot_equals_keras_attention_with_scale_one_over_sqrt_d():
    context = LuongAttention(scaled=True)([QUERY, VALUE])
    reference = keras.layers.Attention(use_scale=True)
    reference([QUERY, VALUE])
    reference.scale.assign(1 / np.sqrt(D))
    np.testing.assert_allclose(context, reference([QUERY, VALUE]), atol=1e-5)


def test_luong_general_equals_keras_attention_on_the_projected_key():
    layer = LuongAttention(score="general")
    context = layer([QUERY, VALUE, KEY], mask=[None, VALUE_MASK])
    expected = keras.layers.Attention()([QUERY, VALUE, layer.key_projection(KEY)],
                                        mask=[None, VALUE_MASK])
    np.testing.assert_allclose(context, expected, atol=1e-5)
    assert layer.key_projection.kernel.shape == (7, D)


@pytest.mark.parametrize("layer", [BahdanauAttention(4), LuongAttention()])
def test_weights_are_a_distribution_over_the_real_steps_only(layer):
    _, weights = layer([QUERY, VALUE], mask=[None, VALUE_MASK], return_attention_scores=True)
    weights = np.asarray(weights)
    np.testing.assert_allclose(weights.sum(axis=-1), 1.0, atol=1e-6)
    assert np.all(weights[~np.broadcast_to(VALUE_MASK[:, None, :], weights.shape)] < 1e-6)
    np.testing.assert_allclose(weights[2, :, 0], 1.0, atol=1e-6)  # one real step: all on it


def test_padded_query_rows_get_a_zero_context():
    context = LuongAttention()([QUERY, VALUE], mask=[QUERY_MASK, None])
    assert np.all(np.asarray(context)[~QUERY_MASK] == 0)
    assert np.all(np.abs(np.asarray(context)[QUERY_MASK]).sum(axis=-1) > 0)


def test_bahdanau_parameter_count_and_training_reaches_every_weight():
    layer = BahdanauAttention(units=8)
    query = keras.Input((None, D))
    value = keras.Input((None, 7))
    model = keras.Model([query, value], layer([query, value]))
    assert model.count_params() == D * 8 + 7 * 8 + 8
    import tensorflow as tf

    with tf.GradientTape() as tape:
        loss = tf.reduce_sum(model([QUERY, KEY]) ** 2)
    grads = tape.gradient(loss, model.trainable_weights)
    assert all(float(tf.reduce_max(tf.abs(g))) > 0 for g in grads)


def test_layers_survive_a_keras_file_round_trip(tmp_path):
    query, value = keras.Input((None, D)), keras.Input((None, D))
    context = BahdanauAttention(6)([query, value])
    context = LuongAttention("general", scaled=True)([context, value])
    model = keras.Model([query, value], context)
    model.save(tmp_path / "attention.keras")
    loaded = keras.saving.load_model(tmp_path / "attention.keras")
    np.testing.assert_array_equal(loaded([QUERY, VALUE]), model([QUERY, VALUE]))


@pytest.mark.parametrize(
    "make, error, message",
    [
        (lambda: BahdanauAttention(0), ValueError, "positive int"),
        (lambda: BahdanauAttention(True), ValueError, "positive int"),
        (lambda: LuongAttention("concat"), ValueError, "'dot' or 'general'"),
        (lambda: LuongAttention(scaled=1), TypeError, "True or False"),
    ],
)
def test_bad_settings_are_refused(make, error, message):
    with pytest.raises(error, match=message):
        make()


def test_bad_inputs_are_refused_with_the_expected_shapes():
    with pytest.raises(ValueError, match="same size"):
        LuongAttention()([QUERY, VALUE, KEY])
    with pytest.raises(ValueError, match=r"\(batch, time, features\)"):
        LuongAttention()([QUERY[:, 0], VALUE])
    with pytest.raises(ValueError, match="same number of steps"):
        BahdanauAttention(4)([QUERY, VALUE, KEY[:, :2]])
    with pytest.raises(ValueError, match=r"\[query, value\]"):
        BahdanauAttention(4)(QUERY)
    with pytest.raises(ValueError, match="query_mask, value_mask"):
        LuongAttention()([QUERY, VALUE], mask=VALUE_MASK)

