"""lstm_course.transformer: position encodings, the encoder block, and the models built on it."""

import keras
import numpy as np
import pytest

from lstm_course import models
from lstm_course.transformer import (
    LastStep,
    PositionalEncoding,
    TransformerEncoderBlock,
    sinusoidal_encoding,
)

RNG = np.random.default_rng(0)
X = RNG.normal(size=(2, 9, 8)).astype("float32")


def test_sinusoidal_encoding_follows_the_paper():
    encoding = sinusoidal_encoding(20, 6)
    assert encoding.shape == (20, 6) and encoding.dtype == np.float32
    p, i = 7, 1  # PE[p, 2i] = sin(p / 10000^(2i/d)), PE[p, 2i+1] = cos(...)
    assert encoding[p, 2 * i] == pytest.approx(np.sin(p / 10000 ** (2 * i / 6)), abs=1e-6)
    assert encoding[p, 2 * i + 1] == pytest.approx(np.cos(p / 10000 ** (2 * i / 6)), abs=1e-6)
    np.testing.assert_allclose(encoding[0], np.tile([0.0, 1.0], 3))


def test_positional_encoding_layer_adds_the_encodings_for_any_length():
    layer = PositionalEncoding()
    for steps in (1, 9, 300):
        x = RNG.normal(size=(2, steps, 8)).astype("float32")
        np.testing.assert_allclose(layer(x) - x, np.broadcast_to(sinusoidal_encoding(steps, 8),
                                                                 x.shape), atol=1e-5)


def test_block_output_has_one_vector_per_step_and_counted_parameters():
    block = TransformerEncoderBlock(num_heads=2, ff_units=16)
    outputs, scores = block(X, return_attention_scores=True)
    assert outputs.shape == X.shape and scores.shape == (2, 2, 9, 9)
    np.testing.assert_allclose(np.sum(scores, axis=-1), 1.0, atol=1e-5)
    d, f = 8, 16
    assert block.count_params() == 4 * (d * d + d) + (d * f + f) + (f * d + d) + 4 * d


def test_block_is_permutation_equivariant_until_positions_are_added():
    block = TransformerEncoderBlock(num_heads=2, ff_units=16)
    order = np.random.default_rng(1).permutation(9)
    np.testing.assert_allclose(block(X[:, order]), np.asarray(block(X))[:, order], atol=1e-5)
    positions = PositionalEncoding()
    moved = np.asarray(block(positions(X[:, order]))) - np.asarray(block(positions(X)))[:, order]
    assert np.abs(moved).max() > 1e-2


def _silenced(block):
    """The block with its attention and feed-forward output weights set to zero."""
    block(X)  # builds
    for layer in (block.attention, block.ff_output):
        layer.set_weights([np.zeros_like(w) for w in layer.get_weights()])
    return block


def test_pre_norm_keeps_the_residual_stream_and_post_norm_normalises_it():
    # with silent sub-layers, a pre-norm block is the identity (x + 0 + 0), while a post-norm
    # block returns LayerNorm(LayerNorm(x)): mean 0 and unit variance over features
    pre = _silenced(TransformerEncoderBlock(num_heads=2, ff_units=16, norm_first=True))
    np.testing.assert_allclose(np.asarray(pre(X)), X, atol=1e-6)
    post = np.asarray(_silenced(TransformerEncoderBlock(num_heads=2, ff_units=16))(X))
    np.testing.assert_allclose(post.mean(axis=-1), 0.0, atol=1e-5)
    np.testing.assert_allclose(post.std(axis=-1), 1.0, atol=1e-3)
    config = TransformerEncoderBlock(2, 16, norm_first=True).get_config()
    assert TransformerEncoderBlock.from_config(config).norm_first is True


def test_causal_block_ignores_later_steps():
    block = TransformerEncoderBlock(num_heads=2, ff_units=16, causal=True)
    changed = X.copy()
    changed[:, 5:] += 3.0
    np.testing.assert_allclose(np.asarray(block(changed))[:, :5], np.asarray(block(X))[:, :5],
                               atol=1e-5)
    assert not np.allclose(np.asarray(block(changed))[:, 5:], np.asarray(block(X))[:, 5:])


def test_masked_steps_get_no_attention():
    block = TransformerEncoderBlock(num_heads=2, ff_units=16)
    mask = np.arange(9)[None, :] < np.array([[9], [4]])
    _, scores = block(X, mask=mask, return_attention_scores=True)
    np.testing.assert_allclose(np.asarray(scores)[1, :, :, 4:], 0.0, atol=1e-7)
    garbage = X.copy()
    garbage[1, 4:] = 100.0  # padded steps of the second sequence
    np.testing.assert_allclose(np.asarray(block(garbage, mask=mask))[1, :4],
                               np.asarray(block(X, mask=mask))[1, :4], atol=1e-5)


def test_last_step():
    np.testing.assert_array_equal(LastStep()(X), X[:, -1])


@pytest.mark.parametrize("build", [
    lambda: models.transformer_classifier(50, 3, d_model=8, ff_units=16),
    lambda: models.lstm_classifier(50, 3, embed_dim=8, units=4),
    lambda: models.lstm_classifier(50, 3, embed_dim=8, units=4, bidirectional=True),
])
def test_classifiers_ignore_padding_and_sum_to_one(build):
    keras.utils.set_random_seed(4)
    model = build()
    ids = np.array([[5, 6, 7, 8], [9, 10, 0, 0]])
    probabilities = np.asarray(model(ids))
    assert probabilities.shape == (2, 3)
    np.testing.assert_allclose(probabilities.sum(axis=1), 1.0, atol=1e-5)
    padded = np.pad(ids, ((0, 0), (0, 6)))
    np.testing.assert_allclose(np.asarray(model(padded)), probabilities, atol=1e-5)


def test_transformer_forecaster_shapes_length_and_order():
    keras.utils.set_random_seed(5)
    model = models.transformer_forecaster(2, 3, d_model=8, num_heads=2, ff_units=16,
                                          num_blocks=2, n_targets=1)
    for steps in (1, 10, 40):
        assert model(np.zeros((4, steps, 2), "float32")).shape == (4, 3, 1)
    x = RNG.normal(size=(1, 10, 2)).astype("float32")
    swapped = x[:, [1, 0, *range(2, 10)]]  # same values, two early steps swapped
    assert not np.allclose(model(swapped), model(x))  # positions make the order matter


@pytest.mark.parametrize("build,inputs", [
    (lambda: models.transformer_forecaster(1, 2, d_model=8, ff_units=16),
     RNG.normal(size=(2, 7, 1)).astype("float32")),
    (lambda: models.transformer_classifier(30, 2, d_model=8, ff_units=16, dropout=0.1),
     np.array([[3, 4, 0], [5, 0, 0]])),
])
def test_models_round_trip_through_a_keras_file_in_safe_mode(tmp_path, build, inputs):
    model = build()
    model.save(tmp_path / "model.keras")
    loaded = keras.saving.load_model(tmp_path / "model.keras", safe_mode=True)
    np.testing.assert_allclose(loaded(inputs), model(inputs), atol=1e-6)


def test_gradients_reach_every_weight():
    model = models.transformer_classifier(30, 3, d_model=8, ff_units=16, num_blocks=2)
    import tensorflow as tf

    ids = np.array([[3, 4, 5], [6, 7, 0]])
    with tf.GradientTape() as tape:
        loss = keras.ops.sum(model(ids) * np.eye(3)[[0, 2]])
    gradients = tape.gradient(loss, model.trainable_weights)
    assert all(g is not None and float(tf.reduce_max(tf.abs(g))) > 0 for g in gradients)


@pytest.mark.parametrize("call,message", [
    (lambda: sinusoidal_encoding(10, 7), "even depth"),
    (lambda: sinusoidal_encoding(0, 8), "length must be a positive int"),
    (lambda: TransformerEncoderBlock(num_heads=3, ff_units=8)(X), "divisible by num_heads"),
    (lambda: TransformerEncoderBlock(num_heads=0, ff_units=8), "num_heads"),
    (lambda: TransformerEncoderBlock(num_heads=2, ff_units=8, dropout=1.0), "dropout"),
    (lambda: TransformerEncoderBlock(2, 8)(np.zeros((2, 8), "float32")), "(batch, time, d_model)"),
    (lambda: PositionalEncoding()(np.zeros((1, 4, 5), "float32")), "even depth"),
    (lambda: models.transformer_classifier(0, 3), "vocab_size"),
    (lambda: models.lstm_classifier(10, 3, dropout=-0.5), "dropout"),
    (lambda: models.transformer_forecaster(1, 1, num_blocks=0), "num_blocks"),
])
def test_bad_arguments_are_refused(call, message):
    with pytest.raises(ValueError, match=message.replace("(", r"\(").replace(")", r"\)")):
        call()


def test_flags_must_be_bools():
    with pytest.raises(TypeError, match="causal"):
        TransformerEncoderBlock(2, 8, causal="yes")
    with pytest.raises(TypeError, match="norm_first"):
        TransformerEncoderBlock(2, 8, norm_first=1)
    with pytest.raises(TypeError, match="bidirectional"):
        models.lstm_classifier(10, 3, bidirectional="yes")

