"""Small Keras forecasters for windowed series, and small sequence classifiers.

All take windows shaped (batch, input_width, n_features), as made by
``lstm_course.windows``, and return forecasts shaped like its labels,
(batch, horizon, n_targets):

* ``dense_forecaster``: flatten the window, one hidden ``Dense`` layer (an MLP).
* ``conv1d_forecaster``: causal, dilated ``Conv1D`` layers read at the last step.
* ``lstm_forecaster``: ``LSTM`` reading the window, a ``Dense`` layer emitting all
  ``horizon`` steps at once (the *single-shot* multi-step forecast).
* ``AutoregressiveLSTM``: reads the window with an ``LSTMCell``, then feeds each forecast
  back as the next input, one step at a time (the *autoregressive* multi-step forecast).
* ``transformer_forecaster``: a ``Dense`` projection to ``d_model``, position encodings,
  Transformer encoder blocks, the last step's vector to the forecast.
* ``fit_forecaster``: compile with Adam and MSE, fit with early stopping that restores the
  best validation weights. Both fit helpers feed ``fit`` through ``lstm_course.pipelines``
  (a cached ``tf.data`` pipeline, reshuffled every epoch).
* ``fit_classifier``: the same for a classifier: cross-entropy, accuracy and macro-F1, early
  stopping on the validation loss or macro-F1, optional class weights.

Classifiers take padded token ids (batch, time) with 0 as padding, and return class
probabilities (batch, n_classes); the padding is masked all the way through:

* ``lstm_classifier``: ``Embedding(mask_zero=True)`` -> ``LSTM`` (or a bidirectional one)
  -> ``Dense`` softmax.
* ``transformer_classifier``: ``Embedding(mask_zero=True)`` -> position encodings ->
  encoder blocks -> average over the non-padded steps -> ``Dense`` softmax.

Importing this module imports Keras, so ``import lstm_course`` loads it only on first use
of ``lstm_course.models``.
"""

from __future__ import annotations

import numbers

import keras
import numpy as np

from ._validation import positive_int as _count
from .pipelines import fit_feed
from .transformer import LastStep, PositionalEncoding, TransformerEncoderBlock


def _rate(name: str, value) -> float:
    if isinstance(value, bool) or not isinstance(value, numbers.Real) or not 0 <= value < 1:
        raise ValueError(f"{name} must be a number in [0, 1), got {value!r}")
    return float(value)


def _head(x, horizon: int, n_targets: int):
    x = keras.layers.Dense(horizon * n_targets, name="forecast")(x)
    return keras.layers.Reshape((horizon, n_targets), name="steps")(x)


def dense_forecaster(
    input_width: int, n_features: int = 1, horizon: int = 1, *, units: int = 64,
    n_targets: int = 1,
) -> keras.Model:
    """MLP on the flattened window.

    (batch, input_width, n_features) -> (batch, horizon, n_targets).
    """
    input_width, n_features = _count("input_width", input_width), _count("n_features", n_features)
    horizon, units, n_targets = (
        _count("horizon", horizon), _count("units", units), _count("n_targets", n_targets))
    inputs = keras.Input((input_width, n_features))
    x = keras.layers.Flatten()(inputs)
    x = keras.layers.Dense(units, activation="relu")(x)
    return keras.Model(inputs, _head(x, horizon, n_targets), name="dense")


def conv1d_forecaster(
    input_width: int, n_features: int = 1, horizon: int = 1, *, filters: int = 32,
    kernel_size: int = 4, n_targets: int = 1,
) -> keras.Model:
    """Causal, dilated ``Conv1D`` stack read at the last time step (a small WaveNet).

    Three layers with dilations 1, ``kernel_size`` and ``kernel_size**2`` see the last
    ``kernel_size**3`` steps of the window (64 for the default 4). Only built-in layers, so
    a saved ``.keras`` file reloads with ``safe_mode`` on.
    (batch, input_width, n_features) -> (batch, horizon, n_targets).
    """
    input_width, n_features = _count("input_width", input_width), _count("n_features", n_features)
    horizon, filters = _count("horizon", horizon), _count("filters", filters)
    kernel_size, n_targets = _count("kernel_size", kernel_size), _count("n_targets", n_targets)
    inputs = keras.Input((input_width, n_features))
    x = inputs
    for dilation in (1, kernel_size, kernel_size**2):
        x = keras.layers.Conv1D(filters, kernel_size, padding="causal", activation="relu",
                                dilation_rate=dilation)(x)
    # the last time step, with built-in layers (a Lambda would not reload with safe_mode)
    x = keras.layers.Cropping1D((input_width - 1, 0), name="last_step")(x)
    x = keras.layers.Flatten()(x)
    return keras.Model(inputs, _head(x, horizon, n_targets), name="conv1d")


def lstm_forecaster(
    n_features: int = 1, horizon: int = 1, *, units: int = 32, n_targets: int = 1,
) -> keras.Model:
    """Single-shot LSTM: (batch, time, n_features) -> (batch, horizon, n_targets).

    The time axis is left open (``None``): the same model reads windows of any length.
    """
    n_features, horizon = _count("n_features", n_features), _count("horizon", horizon)
    units, n_targets = _count("units", units), _count("n_targets", n_targets)
    inputs = keras.Input((None, n_features))
    x = keras.layers.LSTM(units)(inputs)
    return keras.Model(inputs, _head(x, horizon, n_targets), name="lstm")


def gru_forecaster(
    n_features: int = 1, horizon: int = 1, *, units: int = 32, n_targets: int = 1,
) -> keras.Model:
    """``lstm_forecaster`` with a GRU: (batch, time, n_features) -> (batch, horizon, n_targets)."""
    n_features, horizon = _count("n_features", n_features), _count("horizon", horizon)
    units, n_targets = _count("units", units), _count("n_targets", n_targets)
    inputs = keras.Input((None, n_features))
    x = keras.layers.GRU(units)(inputs)
    return keras.Model(inputs, _head(x, horizon, n_targets), name="gru")


def _encoder(x, *, num_heads: int, ff_units: int, num_blocks: int, dropout: float):
    x = PositionalEncoding(name="positions")(x)
    for block in range(_count("num_blocks", num_blocks)):
        x = TransformerEncoderBlock(num_heads, ff_units, dropout=dropout,
                                    name=f"encoder_{block}")(x)
    return x


def transformer_forecaster(
    n_features: int = 1, horizon: int = 1, *, d_model: int = 32, num_heads: int = 2,
    ff_units: int = 64, num_blocks: int = 1, dropout: float = 0.0, n_targets: int = 1,
) -> keras.Model:
    """Transformer encoder: (batch, time, n_features) -> (batch, horizon, n_targets).

    Each step is projected to ``d_model`` dimensions and given its position encoding; the
    encoder blocks let every step attend to every other; the forecast is read from the
    last step's vector. The time axis is open, like ``lstm_forecaster``'s.
    """
    n_features, horizon = _count("n_features", n_features), _count("horizon", horizon)
    d_model, n_targets = _count("d_model", d_model), _count("n_targets", n_targets)
    inputs = keras.Input((None, n_features))
    x = keras.layers.Dense(d_model, name="project")(inputs)
    x = _encoder(x, num_heads=num_heads, ff_units=ff_units, num_blocks=num_blocks,
                 dropout=dropout)
    return keras.Model(inputs, _head(LastStep(name="last_step")(x), horizon, n_targets),
                       name="transformer")


def _classifier_head(x, n_classes: int, dropout: float):
    if _rate("dropout", dropout):
        x = keras.layers.Dropout(dropout)(x)
    return keras.layers.Dense(n_classes, activation="softmax", name="classes")(x)


def lstm_classifier(
    vocab_size: int, n_classes: int, *, embed_dim: int = 32, units: int = 32,
    bidirectional: bool = False, dropout: float = 0.0,
) -> keras.Model:
    """Token ids (batch, time), 0 = padding -> class probabilities (batch, n_classes)."""
    vocab_size, n_classes = _count("vocab_size", vocab_size), _count("n_classes", n_classes)
    embed_dim, units = _count("embed_dim", embed_dim), _count("units", units)
    if not isinstance(bidirectional, bool):
        raise TypeError(f"bidirectional must be True or False, got {bidirectional!r}")
    inputs = keras.Input((None,), dtype="int32")
    x = keras.layers.Embedding(vocab_size, embed_dim, mask_zero=True, name="embed")(inputs)
    recurrent = keras.layers.LSTM(units)
    x = keras.layers.Bidirectional(recurrent)(x) if bidirectional else recurrent(x)
    return keras.Model(inputs, _classifier_head(x, n_classes, dropout),
                       name="bilstm_classifier" if bidirectional else "lstm_classifier")


def transformer_classifier(
    vocab_size: int, n_classes: int, *, d_model: int = 32, num_heads: int = 2,
    ff_units: int = 64, num_blocks: int = 1, dropout: float = 0.0,
) -> keras.Model:
    """Token ids (batch, time), 0 = padding -> class probabilities (batch, n_classes).

    The class is read from the average of the encoder's vectors over the non-padded steps.
    """
    vocab_size, n_classes = _count("vocab_size", vocab_size), _count("n_classes", n_classes)
    inputs = keras.Input((None,), dtype="int32")
    x = keras.layers.Embedding(vocab_size, _count("d_model", d_model), mask_zero=True,
                               name="embed")(inputs)
    x = _encoder(x, num_heads=num_heads, ff_units=ff_units, num_blocks=num_blocks,
                 dropout=dropout)
    x = keras.layers.GlobalAveragePooling1D(name="average")(x)  # uses the mask
    return keras.Model(inputs, _classifier_head(x, n_classes, dropout),
                       name="transformer_classifier")


@keras.saving.register_keras_serializable(package="lstm_course")
class AutoregressiveLSTM(keras.Model):
    """Multi-step forecast by feeding each prediction back in.

    (batch, time, F) -> (batch, horizon, F).

    A ``keras.layers.RNN`` around one ``LSTMCell`` reads the window; a ``Dense`` head turns
    the last state into the forecast of the next step. That forecast, which has the same
    ``F`` features as the input, is the input of the cell's next step, ``horizon - 1`` times.
    Training through the loop (as ``fit`` does) teaches the model to cope with its own
    errors, unlike training a one-step model and iterating it afterwards.
    """

    def __init__(self, units: int, horizon: int, n_features: int = 1, **kwargs):
        super().__init__(**kwargs)
        self.units = _count("units", units)
        self.horizon = _count("horizon", horizon)
        self.n_features = _count("n_features", n_features)
        self.cell = keras.layers.LSTMCell(self.units)
        self.reader = keras.layers.RNN(self.cell, return_state=True)
        self.head = keras.layers.Dense(self.n_features)

    def call(self, inputs, training=False):
        h, *state = self.reader(inputs, training=training)
        prediction = self.head(h)
        steps = [prediction]
        for _ in range(self.horizon - 1):
            h, state = self.cell(prediction, state, training=training)
            prediction = self.head(h)
            steps.append(prediction)
        return keras.ops.stack(steps, axis=1)

    def get_config(self):
        config = super().get_config()
        config.update(units=self.units, horizon=self.horizon, n_features=self.n_features)
        return config


def fit_forecaster(
    model: keras.Model, train, val, *, epochs: int, learning_rate: float = 3e-3,
    batch_size: int = 64, patience: int = 5, clipnorm: float | None = None,
    callbacks=(), verbose: int = 0,
) -> keras.callbacks.History:
    """Compile ``model`` (Adam, MSE, MAE metric) and fit it with early stopping.

    ``train`` and ``val`` are ``(inputs, labels)`` array pairs. Early stopping watches
    ``val_loss`` and restores the weights of the best epoch, so the validation part takes
    part in training decisions: report test-part errors, never ``val_loss``.
    """
    if not isinstance(model, keras.Model):
        raise TypeError(f"model must be a keras.Model, got {type(model).__name__}")
    for name, pair in (("train", train), ("val", val)):
        if not isinstance(pair, tuple) or len(pair) != 2 or len(pair[0]) != len(pair[1]):
            raise ValueError(f"{name} must be a pair (inputs, labels) with equal lengths")
    epochs, batch_size = _count("epochs", epochs), _count("batch_size", batch_size)
    model.compile(
        optimizer=keras.optimizers.Adam(learning_rate, clipnorm=clipnorm),
        loss="mse", metrics=["mae"],
    )
    stop = keras.callbacks.EarlyStopping(patience=patience, restore_best_weights=True)
    return model.fit(**fit_feed(train, val, batch_size=batch_size),  # reshuffled every epoch
                     epochs=epochs, callbacks=[stop, *callbacks], verbose=verbose)


_CLASSIFIER_MONITORS = {"val_loss": "min", "val_accuracy": "max", "val_macro_f1": "max"}


def fit_classifier(
    model: keras.Model, train, val, *, epochs: int, learning_rate: float = 1e-3,
    batch_size: int = 64, patience: int = 2, monitor: str = "val_loss",
    class_weight: dict | None = None, callbacks=(), verbose: int = 0,
) -> keras.callbacks.History:
    """Compile a classifier (Adam, cross-entropy, accuracy, macro-F1) and fit it.

    ``train`` and ``val`` are ``(inputs, labels)`` pairs with integer class labels, shape
    (n,), in ``[0, n_classes)``; ``n_classes`` is the width of the model's softmax output.
    The labels are one-hot encoded for the loss (categorical cross-entropy: the same loss as
    the sparse one) and for ``keras.metrics.F1Score``, which needs one-hot targets; the
    history holds ``loss``, ``accuracy`` and ``macro_f1`` with their ``val_`` forms.
    Early stopping watches ``monitor`` (``val_loss``, ``val_accuracy`` or ``val_macro_f1``)
    and restores the best epoch's weights: report test-part scores, not the monitored one.
    ``class_weight`` maps a class to the weight of its examples in the loss.
    """
    if not isinstance(model, keras.Model):
        raise TypeError(f"model must be a keras.Model, got {type(model).__name__}")
    if monitor not in _CLASSIFIER_MONITORS:
        raise ValueError(f"monitor must be one of {sorted(_CLASSIFIER_MONITORS)}, got {monitor!r}")
    n_classes = model.output_shape[-1]
    if not isinstance(n_classes, int) or n_classes < 2:
        raise ValueError(f"the model must output class probabilities (batch, n_classes >= 2), "
                         f"its output shape is {model.output_shape}")
    pairs = {}
    for name, pair in (("train", train), ("val", val)):
        if not isinstance(pair, tuple) or len(pair) != 2 or len(pair[0]) != len(pair[1]):
            raise ValueError(f"{name} must be a pair (inputs, labels) with equal lengths")
        labels = np.asarray(pair[1])
        if labels.size == 0:
            raise ValueError(f"{name} must hold at least one example, got no labels")
        if (labels.ndim != 1 or not np.issubdtype(labels.dtype, np.integer)
                or labels.min() < 0 or labels.max() >= n_classes):
            raise ValueError(f"{name} labels must be integers in [0, {n_classes}) of shape (n,), "
                             f"got dtype {labels.dtype} and shape {labels.shape}")
        pairs[name] = (pair[0], keras.utils.to_categorical(labels, n_classes))
    if class_weight is not None and (not isinstance(class_weight, dict)
                                     or not set(class_weight) <= set(range(n_classes))):
        raise ValueError(f"class_weight must map classes 0..{n_classes - 1} to weights")
    epochs, batch_size = _count("epochs", epochs), _count("batch_size", batch_size)
    model.compile(
        optimizer=keras.optimizers.Adam(learning_rate), loss="categorical_crossentropy",
        metrics=["accuracy", keras.metrics.F1Score(average="macro", name="macro_f1")],
    )
    stop = keras.callbacks.EarlyStopping(monitor=monitor, mode=_CLASSIFIER_MONITORS[monitor],
                                         patience=patience, restore_best_weights=True)
    return model.fit(**fit_feed(pairs["train"], pairs["val"], batch_size=batch_size),
                     epochs=epochs, class_weight=class_weight, callbacks=[stop, *callbacks],
                     verbose=verbose)
