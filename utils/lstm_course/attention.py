"""Additive (Bahdanau) and multiplicative (Luong) attention as small Keras layers.

Both take a ``query`` (batch, Tq, dq) and ``value`` (batch, Tv, dv) (and an optional
``key`` (batch, Tv, dk), default ``value``) and return the context (batch, Tq, dv): for each
query step, the average of the value steps weighted by a softmax over scores. With
``return_attention_scores=True`` they also return the weights (batch, Tq, Tv), each row
summing to 1. ``mask=[query_mask, value_mask]`` (boolean, (batch, Tq) and (batch, Tv))
excludes padded value steps from the softmax and zeroes padded query rows, as
``keras.layers.AdditiveAttention`` and ``keras.layers.Attention`` do.

The scores are

* ``BahdanauAttention(units)``: ``v . tanh(W_q q + W_k k)`` (Bahdanau et al. 2015), where
  ``W_q``, ``W_k`` project to ``units`` and ``v`` is a learned vector;
* ``LuongAttention(score="dot")``: ``q . k``; ``score="general"``: ``q . (W k)``
  (Luong et al. 2015); ``scaled=True`` divides by sqrt(d) as in Vaswani et al. (2017).
"""

from __future__ import annotations

import keras
from keras import ops

from ._validation import positive_int

# Subtracted from the scores of padded steps: the value Keras' own attention layers use.
_MASKED = 1.0e9


def _check_inputs(layer: str, query, value, key):
    for name, tensor in (("query", query), ("value", value), ("key", key)):
        if len(tensor.shape) != 3:
            raise ValueError(
                f"{layer}: {name} must have shape (batch, time, features), got {tensor.shape}"
            )
    if key.shape[1] is not None and value.shape[1] is not None and key.shape[1] != value.shape[1]:
        raise ValueError(
            f"{layer}: key and value must have the same number of steps, got "
            f"{key.shape[1]} and {value.shape[1]}"
        )


def _attend(scores, value, mask, return_attention_scores: bool):
    """Softmax over the value axis (padded steps excluded), then the weighted sum."""
    query_mask, value_mask = (None, None) if mask is None else mask
    if value_mask is not None:
        padding = ops.logical_not(ops.expand_dims(ops.cast(value_mask, "bool"), axis=-2))
        scores = scores - _MASKED * ops.cast(padding, scores.dtype)
    weights = ops.softmax(scores, axis=-1)
    context = ops.matmul(weights, value)
    if query_mask is not None:
        context = context * ops.expand_dims(ops.cast(query_mask, context.dtype), axis=-1)
    return (context, weights) if return_attention_scores else context


def _split(layer: str, inputs):
    if not isinstance(inputs, (list, tuple)) or len(inputs) not in (2, 3):
        raise ValueError(f"{layer} expects [query, value] or [query, value, key]")
    query, value = inputs[0], inputs[1]
    key = inputs[2] if len(inputs) == 3 else value
    _check_inputs(layer, query, value, key)
    return query, value, key


def _shapes(layer: str, input_shape):
    """(query, value, key) shapes of [query, value(, key)]; ValueError for anything else."""
    if (not isinstance(input_shape, (list, tuple)) or len(input_shape) not in (2, 3)
            or not all(isinstance(shape, (list, tuple)) for shape in input_shape)):
        raise ValueError(f"{layer} expects [query, value] or [query, value, key]")
    query, value = input_shape[0], input_shape[1]
    return query, value, input_shape[2] if len(input_shape) == 3 else value


def _check_mask(layer: str, mask):
    if mask is not None and (not isinstance(mask, (list, tuple)) or len(mask) != 2):
        raise ValueError(f"{layer}: mask must be [query_mask, value_mask] (either may be None)")


@keras.saving.register_keras_serializable(package="lstm_course")
class BahdanauAttention(keras.layers.Layer):
    """Additive attention with its own projections: score = v . tanh(W_q q + W_k k).

    ``units`` is the size of the projected space. Equal to ``keras.layers.AdditiveAttention
    (use_scale=True)`` applied to ``W_q q`` and ``W_k k``, with ``v`` as its scale.
    """

    def __init__(self, units: int, **kwargs):
        super().__init__(**kwargs)
        self.units = positive_int("units", units)
        self.query_projection = keras.layers.Dense(units, use_bias=False, name="W_q")
        self.key_projection = keras.layers.Dense(units, use_bias=False, name="W_k")
        self.supports_masking = True

    def build(self, input_shape):
        query_shape, _, key_shape = _shapes("BahdanauAttention", input_shape)
        self.query_projection.build(query_shape)
        self.key_projection.build(key_shape)
        self.v = self.add_weight(name="v", shape=(self.units,), initializer="glorot_uniform")

    def call(self, inputs, mask=None, return_attention_scores: bool = False):
        query, value, key = _split("BahdanauAttention", inputs)
        _check_mask("BahdanauAttention", mask)
        q = ops.expand_dims(self.query_projection(query), axis=-2)  # (batch, Tq, 1, units)
        k = ops.expand_dims(self.key_projection(key), axis=-3)  # (batch, 1, Tv, units)
        scores = ops.sum(self.v * ops.tanh(q + k), axis=-1)  # (batch, Tq, Tv)
        return _attend(scores, value, mask, return_attention_scores)

    def compute_mask(self, inputs, mask=None):
        return None if mask is None else mask[0]

    def get_config(self):
        return {**super().get_config(), "units": self.units}


@keras.saving.register_keras_serializable(package="lstm_course")
class LuongAttention(keras.layers.Layer):
    """Multiplicative attention: score = q . k ("dot") or q . (W k) ("general").

    ``scaled=True`` divides the scores by sqrt(query features). ``"dot"`` without scaling
    equals ``keras.layers.Attention()``; ``"general"`` equals it applied to ``(q, W k)``.
    """

    def __init__(self, score: str = "dot", scaled: bool = False, **kwargs):
        super().__init__(**kwargs)
        if score not in ("dot", "general"):
            raise ValueError(f"score must be 'dot' or 'general', got {score!r}")
        if not isinstance(scaled, bool):
            raise TypeError(f"scaled must be True or False, got {scaled!r}")
        self.score, self.scaled = score, scaled
        self.supports_masking = True

    def build(self, input_shape):
        query_shape, _, key_shape = _shapes("LuongAttention", input_shape)
        query_features, key_features = query_shape[-1], key_shape[-1]
        if self.score == "dot" and query_features != key_features:
            raise ValueError(
                f"LuongAttention(score='dot') needs query and key of the same size, got "
                f"{query_features} and {key_features}; use score='general' to learn a map"
            )
        if self.score == "general":
            self.key_projection = keras.layers.Dense(query_features, use_bias=False, name="W")
            self.key_projection.build(key_shape)

    def call(self, inputs, mask=None, return_attention_scores: bool = False):
        query, value, key = _split("LuongAttention", inputs)
        _check_mask("LuongAttention", mask)
        if self.score == "general":
            key = self.key_projection(key)
        scores = ops.matmul(query, ops.transpose(key, (0, 2, 1)))  # (batch, Tq, Tv)
        if self.scaled:
            scores = scores / ops.sqrt(ops.cast(ops.shape(query)[-1], scores.dtype))
        return _attend(scores, value, mask, return_attention_scores)

    def compute_mask(self, inputs, mask=None):
        return None if mask is None else mask[0]

    def get_config(self):
        return {**super().get_config(), "score": self.score, "scaled": self.scaled}
