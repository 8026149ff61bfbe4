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

Two conditions depend on the data, not the layer: a mask must be right-padded (padding at
the end of each sequence) and no sequence may be entirely masked. Keras checks them with a
``tf.Assert`` inside the cuDNN path (``keras/src/backend/tensorflow/rnn.py``,
``_assert_valid_mask``). Only an *eager* call falls back to the generic kernel when the
check fails; inside ``fit``, ``predict``, a ``tf.function`` or an exported model the
assertion raises ``InvalidArgumentError`` (for a left-padded mask and for a row that is
all padding alike). A layer that must accept left-padded masks on a
GPU needs ``use_cudnn=False``. ``keras.layers.RNN`` around a cell (including ``LSTMCell``)
never uses cuDNN.

Two more consequences of the fused kernel on a GPU:

* A model traced on a GPU contains the cuDNN op (``CudnnRNNV3``) in its graph, so a
  SavedModel exported there cannot run on a CPU server or convert to TFLite.
  :func:`without_cudnn` copies a model with ``use_cudnn=False`` everywhere (same weights)
  for exporting, and :func:`kernel_in_graph` reads which kernel a traced call really uses.
* On a GPU, an LSTM/GRU whose activations, bias and ``unroll`` allow cuDNN (and whose
  ``use_cudnn`` is not ``False``) sets ``supports_jit = False`` when it is built, so
  ``compile(jit_compile=True)`` becomes ``False`` with only a warning; :func:`jit_blockers`
  says why XLA is off. The check ignores ``recurrent_dropout``, and ``Bidirectional``
  rebuilds its forward layer before copying ``use_cudnn``, so both of those block XLA on a
  GPU too.

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


def without_cudnn(model):
    """A copy of ``model`` whose every LSTM and GRU has ``use_cudnn=False``, same weights.

    Export this copy, not the model trained on a GPU: its traced graph has the generic loop
    (which any CPU server and the TFLite converter can run) instead of ``CudnnRNNV3``. The
    numbers are the same kernel maths, so forecasts agree to float32 rounding. Works on
    models whose layers Keras can serialise (nested models and wrappers included); raises
    ``ValueError`` if a recurrent layer of the copy still has cuDNN allowed (a subclass of
    LSTM/GRU, which this cannot rewrite). Keras does not serialise ``use_cudnn``, so the
    copy loses the setting if it is saved as ``.keras`` and loaded again: export it, or
    rebuild it after loading.
    """
    import keras

    if not isinstance(model, keras.Model):
        raise TypeError(f"model must be a keras.Model, got {type(model).__name__}")
    config = keras.saving.serialize_keras_object(model)
    changed = _set_use_cudnn_false(config)
    if not changed:
        raise ValueError(f"model {model.name!r} has no LSTM or GRU layer: nothing to change")
    copy = keras.saving.deserialize_keras_object(config)
    still = [path for path, layer in _recurrent_layers(copy, "")
             if isinstance(layer, (keras.layers.LSTM, keras.layers.GRU))
             and layer.use_cudnn is not False]
    if still:
        raise ValueError(f"cannot turn cuDNN off in {still}: subclasses of LSTM/GRU are not "
                         "rewritten; build them with use_cudnn=False")
    copy.set_weights(model.get_weights())
    return copy


def _set_use_cudnn_false(config) -> int:
    """Set ``use_cudnn`` to False in every LSTM/GRU config nested in ``config``; count them."""
    changed = 0
    if isinstance(config, dict):
        if config.get("class_name") in ("LSTM", "GRU") and isinstance(config.get("config"), dict):
            config["config"]["use_cudnn"] = False
            changed += 1
        for value in config.values():
            changed += _set_use_cudnn_false(value)
    elif isinstance(config, list):
        changed += sum(_set_use_cudnn_false(value) for value in config)
    return changed


def graph_op_types(model, input_shape: tuple, dtype: str = "float32") -> set[str]:
    """The op types of ``model``'s inference call traced for inputs of ``input_shape``.

    Includes the ops of nested functions (a ``While`` loop's body), so a kernel that runs
    inside the loop is seen. ``input_shape`` includes the batch axis (``None`` allowed).
    """
    import tensorflow as tf

    if not isinstance(input_shape, tuple):
        raise TypeError(f"input_shape must be a tuple, got {type(input_shape).__name__}")
    function = tf.function(lambda x: model(x, training=False))
    graph = function.get_concrete_function(tf.TensorSpec(input_shape, dtype)).graph
    graph_def = graph.as_graph_def()
    types = {node.op for node in graph_def.node}
    for library_function in graph_def.library.function:
        types |= {node.op for node in library_function.node_def}
    return types


def classify_kernel(op_types: set[str]) -> str:
    """Name the recurrent kernel that a set of traced op types shows.

    ``"cuDNN"`` if a ``CudnnRNN*`` op is present, ``"generic loop"`` if a ``While`` loop is,
    else ``"no loop (unrolled or not recurrent)"``.
    """
    if any(op.startswith("CudnnRNN") for op in op_types):
        return "cuDNN"
    if op_types & {"While", "StatelessWhile"}:
        return "generic loop"
    return "no loop (unrolled or not recurrent)"


def kernel_in_graph(model, input_shape: tuple) -> str:
    """Which recurrent kernel ``model`` really runs on this device, read from its traced graph.

    The layer settings (:func:`cudnn_report`) say what *can* run; this says what does, e.g.
    ``"cuDNN"`` on a GPU and ``"generic loop"`` on a CPU for the same ``LSTM``.
    """
    return classify_kernel(graph_op_types(model, input_shape))


def jit_blockers(model) -> list[str]:
    """Why ``compile(jit_compile=True)`` resolves to ``False`` for ``model`` ([] if nothing).

    Mirrors Keras' ``model_supports_jit`` (``keras/src/trainers/trainer.py``): a layer with
    ``supports_jit = False`` (a cuDNN-eligible LSTM/GRU on a GPU sets it) or op determinism
    enabled on the TensorFlow backend. ``model.jit_compile`` after ``compile`` is the
    resolved value; print both.
    """
    import keras

    if not isinstance(model, keras.Model):
        raise TypeError(f"model must be a keras.Model, got {type(model).__name__}")
    blockers = [f"layer {layer.name!r} ({type(layer).__name__}) has supports_jit=False"
                + (" (its activations, bias and unroll allow cuDNN on this GPU)"
                   if isinstance(layer, (keras.layers.LSTM, keras.layers.GRU)) else "")
                for layer in model._flatten_layers() if not layer.supports_jit]
    if keras.backend.backend() == "tensorflow":
        from tensorflow.python.framework.config import is_op_determinism_enabled

        if is_op_determinism_enabled():
            blockers.append("op determinism is enabled (lc.setup(deterministic=True))")
    return blockers
