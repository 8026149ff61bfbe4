"""``tf.data`` input pipelines for ``Model.fit`` from arrays held in memory.

``model.fit(x, y)`` on NumPy arrays builds Keras' array pipeline (a shuffled index
permutation, gathered batch by batch) and starts it anew every epoch. On a CPU that start
costs tens of milliseconds per epoch, more than the training itself when an epoch is a few
small batches, as with a few years of daily data. And once a global seed is set
(``keras.utils.set_random_seed``, as every chapter does), the TensorFlow backend draws the
*same* permutation at every start: ``shuffle=True`` shuffles once, and every epoch visits
the examples in one fixed order (Keras 3.13 and 3.15, TensorFlow 2.20 and 2.21; without a
seed the order changes). ``batches`` builds the pipeline once: the examples are cached,
reshuffled every epoch (a new order each epoch, the same orders for the same seed) and
batched.

* ``batches(x, y, batch_size=..., shuffle=...)``: a ``tf.data.Dataset`` of
  ``(inputs, labels)`` batches, for ``fit``'s training data (``shuffle=True``) or its
  ``validation_data`` (``shuffle=False``).
* ``fit_feed((x, y), (x_val, y_val), batch_size=...)``: ``fit``'s keyword arguments for
  both, ``model.fit(**fit_feed(...), epochs=...)``.
* ``visit_orders(feed, n=..., epochs=...)``: the order in which ``fit`` visits ``n``
  examples in each epoch, for a feed given as ``fit``'s keyword arguments; shows what a
  feed does to the order.

Importing this module imports TensorFlow, so ``import lstm_course`` loads it only on first
use of ``lstm_course.pipelines``.
"""

from __future__ import annotations

from collections.abc import Callable

import keras
import numpy as np
import tensorflow as tf

from ._validation import positive_int


def _as_array(name: str, values) -> np.ndarray:
    array = np.asarray(values)
    if array.ndim == 0 or len(array) == 0:
        raise ValueError(f"{name} must be an array of at least one example, got shape "
                         f"{array.shape}")
    if array.dtype.kind == "f":
        return array.astype(np.float32, copy=False)  # as Keras' own array pipeline does
    if array.dtype.kind not in "iub":
        raise TypeError(f"{name} must hold numbers, got dtype {array.dtype}")
    return array


def batches(x, y, *, batch_size: int, shuffle: bool) -> tf.data.Dataset:
    """``(inputs, labels)`` batches of ``batch_size`` examples; the last one may be smaller.

    ``x`` is an array (n, ...) or a tuple of arrays with n rows each (a model with several
    inputs); ``y`` is an array (n, ...). Floating arrays become float32, integer arrays
    (token ids, class labels) keep their type. With ``shuffle=True`` every epoch (every
    pass over the data set) sees all n examples once, in a new order drawn from TensorFlow's
    global seed (``keras.utils.set_random_seed``): make the pipeline after setting it.
    """
    if not isinstance(shuffle, bool):
        raise TypeError(f"shuffle must be True or False, got {shuffle!r}")
    batch_size = positive_int("batch_size", batch_size)
    inputs = (tuple(_as_array(f"x[{k}]", part) for k, part in enumerate(x))
              if isinstance(x, (tuple, list)) else _as_array("x", x))
    labels = _as_array("y", y)
    lengths = {len(part) for part in (inputs if isinstance(inputs, tuple) else (inputs,))}
    if lengths != {len(labels)}:
        raise ValueError(f"x and y must have the same number of examples, got "
                         f"{sorted(lengths)} inputs and {len(labels)} labels")
    dataset = tf.data.Dataset.from_tensor_slices((inputs, labels)).cache()
    if shuffle:
        dataset = dataset.shuffle(len(labels), reshuffle_each_iteration=True)
    return dataset.batch(batch_size)


def fit_feed(train, val=None, *, batch_size: int) -> dict:
    """``fit``'s keyword arguments to train on ``train`` and validate on ``val``.

    ``train`` and ``val`` (optional) are ``(inputs, labels)`` pairs of arrays, as for
    :func:`batches`. Returns ``x`` (``train`` reshuffled every epoch), ``validation_data``
    (``val`` in order, when given) and ``shuffle=False`` (the pipeline shuffles; Keras warns
    about ``shuffle=True`` with a data set): ``model.fit(**fit_feed(...), epochs=...)``.
    Call it after setting the seed, as :func:`batches`.
    """
    pairs = {"train": train} if val is None else {"train": train, "val": val}
    for name, pair in pairs.items():
        if not isinstance(pair, tuple) or len(pair) != 2:
            raise TypeError(f"{name} must be a pair (inputs, labels), got {type(pair).__name__}")
    feed = {"x": batches(*train, batch_size=batch_size, shuffle=True), "shuffle": False}
    if val is not None:
        feed["validation_data"] = batches(*val, batch_size=batch_size, shuffle=False)
    return feed


class _RecordOrder(keras.layers.Layer):
    """Passes its input (batch, 1) through; in training, notes the values it saw."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.seen: list[np.ndarray] = []

    def call(self, inputs, training=None):
        if training:
            self.seen.append(keras.ops.convert_to_numpy(inputs[:, 0]))
        return inputs


def visit_orders(feed: Callable[[np.ndarray, np.ndarray], dict], *, n: int = 24,
                 epochs: int = 3) -> np.ndarray:
    """The order in which ``fit`` visits ``n`` examples, epoch by epoch: shape (epochs, n).

    Example k is the single number k (inputs (n, 1) float32, labels (n,)). ``feed(x, y)``
    returns ``fit``'s keyword arguments for them, e.g. ``{"x": x, "y": y, "batch_size": 8}``
    or ``{"x": batches(x, y, batch_size=8, shuffle=True), "shuffle": False}``. A Dense(1)
    model (a weight and a bias) is fitted eagerly for ``epochs`` epochs and records what each
    training step gets.
    Set the seed (``keras.utils.set_random_seed``) before the call, as before a training.
    """
    if not callable(feed):
        raise TypeError(f"feed must be a function (x, y) -> fit's keyword arguments, got {feed!r}")
    n, epochs = positive_int("n", n), positive_int("epochs", epochs)
    ids = np.arange(n, dtype=np.float32)[:, None]
    arguments = feed(ids, ids[:, 0].copy())
    if not isinstance(arguments, dict) or "x" not in arguments:
        raise TypeError(f"feed must return fit's keyword arguments with 'x', got {arguments!r}")
    record = _RecordOrder()
    inputs = keras.Input((1,))
    model = keras.Model(inputs, keras.layers.Dense(1)(record(inputs)))
    model.compile(optimizer="sgd", loss="mse", run_eagerly=True)  # eager: call sees values
    model.fit(**arguments, epochs=epochs, verbose=0)
    seen = np.concatenate(record.seen).astype(int)
    if seen.size != n * epochs:
        raise ValueError(f"the feed gave {seen.size} examples in {epochs} epochs, expected "
                         f"{n} per epoch: it must hold each example once")
    return seen.reshape(epochs, n)
