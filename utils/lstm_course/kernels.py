"""Which recurrent layers can use the fused cuDNN kernel on a GPU, and why the others cannot.

On the TensorFlow backend, Keras 3 runs ``keras.layers.LSTM`` and ``keras.layers.GRU`` with
one fused cuDNN call per sequence when a GPU is present *and* the layer's settings are the
ones cuDNN implements. Otherwise it silently falls back to a generic loop of small ops,
which is often several times slower. The settings, as checked by Keras 3.15's
``keras/src/layers/rnn/{lstm,gru}.py`` and ``keras/src/backend/tensorflow/rnn.py``:

* ``activation="tanh"`` and ``recurrent_activation="sigmoid"``;
* ``recurrent_dropout == 0`` (input ``dropout`` is fine);
* ``unroll=False`` and ``use_bias=True``;
* GRU only: ``reset_after=True`` (the Keras 3 default);
* ``use_cudnn`` not set to ``False``.

Two conditions depend on the data, not the layer, and are checked at run time: a mask
must be right-padded (padding at the end of each sequence) and no sequence may be
entirely masked; otherwise that call takes the generic path. ``keras.layers.RNN`` around
a cell (including ``LSTMCell``) never uses cuDNN.

``cudnn_report(model)`` walks a model (into nested models and ``Bidirectional`` /
``TimeDistributed`` wrappers) and returns one row per recurrent layer. It only reads
configurations, so it runs without a GPU.
"""

from __future__ import annotations

import pandas as pd


def _activation_name(function) -> str:
    import keras

    name = keras.activations.serialize(function)
    return name if isinstance(name, str) else str(name)


def cudnn_blockers(layer) -> list[str]:
    """The settings of one recurrent layer that rule out the cuDNN kernel ([] if none).

    Accepts ``keras.layers.LSTM``, ``keras.layers.GRU`` or ``keras.layers.RNN``; raises
    ``TypeError`` for any other layer.
    """
    import keras

    if isinstance(layer, (keras.layers.LSTM, keras.layers.GRU)):
        cell = layer.cell
        blockers = []
        if _activation_name(cell.activation) != "tanh":
            blockers.append(f"activation={_activation_name(cell.activation)!r} (needs 'tanh')")
        if _activation_name(cell.recurrent_activation) != "sigmoid":
            blockers.append(f"recurrent_activation={_activation_name(cell.recurrent_activation)!r}"
                            " (needs 'sigmoid')")
        if cell.recurrent_dropout:
            blockers.append(f"recurrent_dropout={cell.recurrent_dropout} (needs 0)")
        if layer.unroll:
            blockers.append("unroll=True (needs False)")
        if not cell.use_bias:
            blockers.append("use_bias=False (needs True)")
        if isinstance(layer, keras.layers.GRU) and not cell.reset_after:
            blockers.append("reset_after=False (GRU needs True)")
        if layer.use_cudnn is False:
            blockers.append("use_cudnn=False")
        return blockers
    if isinstance(layer, keras.layers.RNN):
        return [f"keras.layers.RNN around {type(layer.cell).__name__}: a generic loop "
                "(use keras.layers.LSTM or GRU)"]
    raise TypeError(f"expected an LSTM, GRU or RNN layer, got {type(layer).__name__}")


def _recurrent_layers(layer, path: str):
    import keras

    if isinstance(layer, keras.layers.Bidirectional):
        yield from _recurrent_layers(layer.forward_layer, f"{path}/forward")
        yield from _recurrent_layers(layer.backward_layer, f"{path}/backward")
    elif isinstance(layer, keras.layers.RNN):
        yield path, layer
    elif isinstance(layer, keras.layers.Wrapper):
        yield from _recurrent_layers(layer.layer, f"{path}/{layer.layer.name}")
    elif isinstance(layer, keras.Model):
        for inner in layer.layers:
            yield from _recurrent_layers(inner, f"{path}/{inner.name}" if path else inner.name)


def cudnn_report(model) -> pd.DataFrame:
    """One row per recurrent layer of ``model``: its path, type, eligibility and blockers.

    Columns: ``layer`` (path through nested models and wrappers), ``type``, ``cudnn``
    (True when the settings allow the fused kernel) and ``why not`` (the blocking
    settings, ``""`` when eligible). Raises ``ValueError`` if the model has no recurrent
    layer, since an empty report would look like "nothing to worry about".
    """
    import keras

    if not isinstance(model, keras.Model):
        raise TypeError(f"model must be a keras.Model, got {type(model).__name__}")
    rows = []
    for path, layer in _recurrent_layers(model, ""):
        blockers = cudnn_blockers(layer)
        rows.append({"layer": path, "type": type(layer).__name__, "cudnn": not blockers,
                     "why not": "; ".join(blockers)})
    if not rows:
        raise ValueError(f"model {model.name!r} has no recurrent layer to report on")
    return pd.DataFrame(rows)
