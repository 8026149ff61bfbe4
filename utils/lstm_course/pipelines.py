"""``tf.data`` input pipelines for ``Model.fit`` from arrays held in memory.

``model.fit(x, y)`` on NumPy arrays builds Keras' array pipeline (a shuffled index
permutation, gathered batch by batch) and starts it anew every epoch. On a CPU that start
costs tens of milliseconds per epoch, more than the training itself when an epoch is a few
small batches, as with a few years of daily data. ``batches`` builds the pipeline once: the
examples are cached, reshuffled every epoch and batched.

* ``batches(x, y, batch_size=..., shuffle=...)``: a ``tf.data.Dataset`` of
  ``(inputs, labels)`` batches, for ``fit``'s training data (``shuffle=True``) or its
  ``validation_data`` (``shuffle=False``).

Importing this module imports TensorFlow, so ``import lstm_course`` loads it only on first
use of ``lstm_course.pipelines``.
"""

from __future__ import annotations

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
