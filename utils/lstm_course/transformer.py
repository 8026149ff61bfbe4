"""The pieces of a small Transformer encoder (Vaswani et al. 2017) as Keras 3 layers.

* ``sinusoidal_encoding(length, depth)``: the position encodings as a NumPy array,
  ``PE[p, 2i] = sin(p / 10000**(2i/depth))`` and ``PE[p, 2i+1] = cos(p / 10000**(2i/depth))``.
* ``PositionalEncoding()``: adds those encodings to (batch, time, depth) inputs, for any
  number of steps. Without it self-attention cannot tell the order of the steps.
* ``TransformerEncoderBlock(num_heads, ff_units)``: one encoder block as in the paper
  ("post-norm"): ``x = LayerNorm(x + MultiHeadAttention(x, x))`` then
  ``x = LayerNorm(x + FFN(x))`` with ``FFN = Dense(ff_units, relu) -> Dense(d_model)``.
  (batch, time, d_model) -> (batch, time, d_model): one vector **per step**, not one
  fixed-length vector. A Keras mask (batch, time) of valid steps keeps padded steps out of
  every softmax; ``causal=True`` also keeps each step from seeing later steps.
* ``LastStep()``: (batch, time, d) -> (batch, d), the vector at the last step, as a
  serialisable layer (a ``Lambda`` would not load with ``safe_mode``).

Importing this module imports Keras, so ``import lstm_course`` loads it only on first use
of ``lstm_course.transformer``.
"""

from __future__ import annotations

import numbers

import keras
import numpy as np
from keras import ops

from ._validation import positive_int


def _even_depth(depth) -> int:
    depth = positive_int("depth", depth)
    if depth % 2:
        raise ValueError(f"sinusoidal encodings need an even depth (sin/cos pairs), got {depth}")
    return depth


def sinusoidal_encoding(length: int, depth: int) -> np.ndarray:
    """Position encodings (length, depth) float32 of Vaswani et al. (2017), section 3.5."""
    length, depth = positive_int("length", length), _even_depth(depth)
    positions = np.arange(length, dtype="float64")[:, None]
    angles = positions / 10000.0 ** (np.arange(0, depth, 2) / depth)  # (length, depth / 2)
    encoding = np.empty((length, depth))
    encoding[:, 0::2], encoding[:, 1::2] = np.sin(angles), np.cos(angles)
    return encoding.astype("float32")


@keras.saving.register_keras_serializable(package="lstm_course")
class PositionalEncoding(keras.layers.Layer):
    """Adds sinusoidal position encodings: (batch, time, depth) -> (batch, time, depth).

    The encodings are computed for the actual number of steps at each call, so one model
    reads sequences of any length. Has no weights; passes a Keras mask through.
    """

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.supports_masking = True

    def build(self, input_shape):
        if len(input_shape) != 3 or input_shape[-1] is None:
            raise ValueError(f"PositionalEncoding expects (batch, time, depth), got {input_shape}")
        _even_depth(input_shape[-1])

    def call(self, inputs):
        depth = inputs.shape[-1]
        positions = ops.cast(ops.arange(ops.shape(inputs)[1]), "float32")[:, None]
        frequencies = ops.power(10000.0, -ops.cast(ops.arange(0, depth, 2), "float32") / depth)
        angles = positions * frequencies[None, :]  # (time, depth / 2)
        # stack on a new last axis, then flatten: sin, cos, sin, cos, ... as in the paper
        encoding = ops.reshape(ops.stack([ops.sin(angles), ops.cos(angles)], axis=-1),
                               (-1, depth))
        return inputs + ops.cast(encoding, inputs.dtype)[None, :, :]


@keras.saving.register_keras_serializable(package="lstm_course")
class TransformerEncoderBlock(keras.layers.Layer):
    """One encoder block: (batch, time, d_model) -> (batch, time, d_model).

    Post-norm (the original paper's, the default): ``x = LayerNorm(x + MHA(x, x))``, then
    ``x = LayerNorm(x + FFN(x))``. With ``norm_first=True``, pre-norm (today's usual choice,
    trainable without a warm-up): ``x = x + MHA(LayerNorm(x))``, then
    ``x = x + FFN(LayerNorm(x))``; a stack of pre-norm blocks then needs one final
    LayerNorm, which is the model's to add. ``d_model`` is
    the input's last axis and must be divisible by ``num_heads`` (each head has
    ``d_model // num_heads`` dimensions). ``dropout`` applies to the attention weights and
    to both sub-layer outputs during training.
    """

    def __init__(self, num_heads: int, ff_units: int, *, dropout: float = 0.0,
                 causal: bool = False, norm_first: bool = False, **kwargs):
        super().__init__(**kwargs)
        self.num_heads = positive_int("num_heads", num_heads)
        self.ff_units = positive_int("ff_units", ff_units)
        if not isinstance(dropout, numbers.Real) or not 0.0 <= dropout < 1.0:
            raise ValueError(f"dropout must be a number in [0, 1), got {dropout!r}")
        if not isinstance(causal, bool):
            raise TypeError(f"causal must be True or False, got {causal!r}")
        if not isinstance(norm_first, bool):
            raise TypeError(f"norm_first must be True or False, got {norm_first!r}")
        self.dropout, self.causal, self.norm_first = float(dropout), causal, norm_first
        self.supports_masking = True

    def build(self, input_shape):
        if len(input_shape) != 3 or input_shape[-1] is None:
            raise ValueError(
                f"TransformerEncoderBlock expects (batch, time, d_model), got {input_shape}")
        d_model = int(input_shape[-1])
        if d_model % self.num_heads:
            raise ValueError(
                f"d_model ({d_model}) must be divisible by num_heads ({self.num_heads})")
        self.attention = keras.layers.MultiHeadAttention(
            self.num_heads, d_model // self.num_heads, dropout=self.dropout, name="attention")
        self.attention.build(input_shape, input_shape)
        self.attention_norm = keras.layers.LayerNormalization(epsilon=1e-6, name="attention_norm")
        self.attention_norm.build(input_shape)
        self.ff_hidden = keras.layers.Dense(self.ff_units, activation="relu", name="ff_hidden")
        self.ff_hidden.build(input_shape)
        self.ff_output = keras.layers.Dense(d_model, name="ff_output")
        self.ff_output.build((*input_shape[:-1], self.ff_units))
        self.ff_norm = keras.layers.LayerNormalization(epsilon=1e-6, name="ff_norm")
        self.ff_norm.build(input_shape)
        self.dropout_layer = keras.layers.Dropout(self.dropout)

    def call(self, inputs, mask=None, training=None, return_attention_scores=False):
        attention_mask = None
        if mask is not None:  # (batch, time) valid steps -> (batch, queries, keys)
            keys = ops.expand_dims(ops.cast(mask, "bool"), axis=1)
            attention_mask = ops.broadcast_to(
                keys, (ops.shape(inputs)[0], ops.shape(inputs)[1], ops.shape(inputs)[1]))
        query = self.attention_norm(inputs) if self.norm_first else inputs
        attended, scores = self.attention(
            query, query, attention_mask=attention_mask, use_causal_mask=self.causal,
            training=training, return_attention_scores=True)
        x = inputs + self.dropout_layer(attended, training=training)
        if not self.norm_first:
            x = self.attention_norm(x)
        update = self.ff_output(self.ff_hidden(self.ff_norm(x) if self.norm_first else x))
        outputs = x + self.dropout_layer(update, training=training)
        if not self.norm_first:
            outputs = self.ff_norm(outputs)
        return (outputs, scores) if return_attention_scores else outputs

    def compute_output_shape(self, input_shape):
        return input_shape

    def get_config(self):
        config = super().get_config()
        config.update(num_heads=self.num_heads, ff_units=self.ff_units, dropout=self.dropout,
                      causal=self.causal, norm_first=self.norm_first)
        return config


@keras.saving.register_keras_serializable(package="lstm_course")
class LastStep(keras.layers.Layer):
    """(batch, time, features) -> (batch, features): the vector at the last time step."""

    def build(self, input_shape):
        if len(input_shape) != 3:
            raise ValueError(f"LastStep expects (batch, time, features), got {input_shape}")

    def call(self, inputs):
        return inputs[:, -1, :]

    def compute_output_shape(self, input_shape):
        return (input_shape[0], input_shape[-1])
