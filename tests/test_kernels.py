"""lstm_course.kernels: which recurrent layers Keras can run with the fused cuDNN kernel."""

import keras
import pytest

from lstm_course.kernels import cudnn_blockers, cudnn_report


@pytest.mark.parametrize(
    "layer,expected",
    [
        (keras.layers.LSTM(4), []),
        (keras.layers.LSTM(4, dropout=0.3), []),  # input dropout keeps the fused kernel
        (keras.layers.GRU(4), []),
        (keras.layers.LSTM(4, activation="relu"), ["activation='relu'"]),
        (keras.layers.LSTM(4, recurrent_activation="hard_sigmoid"),
         ["recurrent_activation='hard_sigmoid'"]),
        (keras.layers.LSTM(4, recurrent_dropout=0.2), ["recurrent_dropout=0.2"]),
        (keras.layers.LSTM(4, unroll=True), ["unroll=True"]),
        (keras.layers.LSTM(4, use_bias=False), ["use_bias=False"]),
        (keras.layers.GRU(4, reset_after=False), ["reset_after=False"]),
        (keras.layers.GRU(4, use_cudnn=False), ["use_cudnn=False"]),
        (keras.layers.LSTM(4, activation="relu", recurrent_dropout=0.1, use_bias=False),
         ["activation='relu'", "recurrent_dropout=0.1", "use_bias=False"]),
        (keras.layers.RNN(keras.layers.LSTMCell(4)), ["keras.layers.RNN around LSTMCell"]),
    ],
)
def test_blockers_of_known_configurations(layer, expected):
    blockers = cudnn_blockers(layer)
    assert len(blockers) == len(expected)
    for blocker, start in zip(blockers, expected, strict=True):
        assert blocker.startswith(start)


def test_report_walks_wrappers_and_nested_models():
    inner_inputs = keras.Input((None, 3))
    inner = keras.Model(inner_inputs, keras.layers.GRU(2, unroll=True, name="gru")(inner_inputs),
                        name="encoder")
    inputs = keras.Input((10, 3))
    x = keras.layers.Bidirectional(keras.layers.LSTM(4, return_sequences=True), name="bi")(inputs)
    x = keras.layers.Dense(3)(x)
    outputs = keras.layers.Dense(1)(inner(x))
    report = cudnn_report(keras.Model(inputs, outputs))
    assert list(report["layer"]) == ["bi/forward", "bi/backward", "encoder/gru"]
    assert list(report["cudnn"]) == [True, True, False]
    assert report["why not"].iloc[2].startswith("unroll=True")
    assert list(report["type"]) == ["LSTM", "LSTM", "GRU"]


def test_report_refuses_models_without_recurrent_layers_and_non_models():
    inputs = keras.Input((5,))
    with pytest.raises(ValueError, match="no recurrent layer"):
        cudnn_report(keras.Model(inputs, keras.layers.Dense(1)(inputs)))
    with pytest.raises(TypeError, match="keras.Model"):
        cudnn_report(keras.layers.LSTM(3))
    with pytest.raises(TypeError, match="LSTM, GRU or RNN"):
        cudnn_blockers(keras.layers.Dense(3))


def _tiny_model(**lstm_options):
    inputs = keras.Input((None, 2))
    x = keras.layers.Bidirectional(keras.layers.LSTM(3, return_sequences=True, **lstm_options))(
        inputs)
    outputs = keras.layers.Dense(1)(keras.layers.GRU(2)(x))
    return keras.Model(inputs, outputs)


def test_without_cudnn_sets_every_recurrent_layer_and_keeps_weights_and_forecasts():
    import numpy as np

    from lstm_course.kernels import without_cudnn

    model = _tiny_model()
    copy = without_cudnn(model)
    assert cudnn_report(model)["cudnn"].all()  # the original is untouched
    report = cudnn_report(copy)
    assert len(report) == 3 and (report["why not"] == "use_cudnn=False").all()
    x = np.random.default_rng(0).normal(size=(4, 7, 2)).astype("float32")
    np.testing.assert_allclose(copy.predict(x, verbose=0), model.predict(x, verbose=0),
                               rtol=0, atol=1e-6)
    dense_only = keras.Sequential([keras.Input((3,)), keras.layers.Dense(1)])
    with pytest.raises(ValueError, match="no LSTM or GRU"):
        without_cudnn(dense_only)
    with pytest.raises(TypeError, match="keras.Model"):
        without_cudnn(keras.layers.LSTM(2))


def test_without_cudnn_refuses_a_subclass_it_cannot_rewrite():
    from lstm_course.kernels import without_cudnn

    @keras.saving.register_keras_serializable(package="test_kernels")
    class MyLSTM(keras.layers.LSTM):
        pass

    model = keras.Sequential([keras.Input((4, 1)), MyLSTM(2, return_sequences=True),
                              keras.layers.GRU(2)])
    with pytest.raises(ValueError, match="subclasses of LSTM/GRU"):
        without_cudnn(model)


def test_left_padded_masks_need_the_generic_kernel_and_it_matches_unpadded_in_predict():
    # On a GPU the cuDNN path asserts a right-padded mask inside predict (only eager calls
    # fall back); with use_cudnn=False a left-padded batch is exact in a compiled predict.
    import numpy as np

    rng = np.random.default_rng(1)
    lstm = keras.layers.LSTM(5, use_cudnn=False)
    inputs = keras.Input((None, 1))
    model = keras.Model(inputs, lstm(keras.layers.Masking(0.0)(inputs)))
    short = rng.uniform(0.5, 1.5, size=(3, 6, 1)).astype("float32")  # no zeros in the data
    left_padded = np.concatenate([np.zeros((3, 4, 1), "float32"), short], axis=1)
    np.testing.assert_allclose(model.predict(left_padded, verbose=0),
                               model.predict(short, verbose=0), rtol=0, atol=1e-6)


def test_the_traced_graph_shows_the_kernel_that_runs():
    from lstm_course.kernels import classify_kernel, graph_op_types, kernel_in_graph

    assert kernel_in_graph(_tiny_model(), (None, 5, 2)) == "generic loop"  # a CPU: no cuDNN
    unrolled = keras.Sequential([keras.Input((4, 2)), keras.layers.LSTM(3, unroll=True)])
    assert kernel_in_graph(unrolled, (2, 4, 2)) == "no loop (unrolled or not recurrent)"
    assert "MatMul" in graph_op_types(unrolled, (2, 4, 2))
    assert classify_kernel({"CudnnRNNV3", "Transpose"}) == "cuDNN"  # what a GPU trace holds
    assert classify_kernel({"StatelessWhile"}) == "generic loop"
    with pytest.raises(TypeError, match="tuple"):
        graph_op_types(unrolled, [2, 4, 2])


JIT_PROGRAM = """
import keras, tensorflow as tf
from lstm_course.kernels import jit_blockers

class NoXla(keras.layers.Layer):
    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.supports_jit = False
    def call(self, x):
        return x

def build(extra):
    inputs = keras.Input((4, 1))
    x = NoXla(name="opaque")(inputs) if extra else inputs
    model = keras.Model(inputs, keras.layers.Dense(1)(keras.layers.LSTM(2)(x)))
    model.compile("adam", "mse", jit_compile=True)
    return model

plain, opaque = build(False), build(True)
print(plain.jit_compile, jit_blockers(plain))
print(opaque.jit_compile, jit_blockers(opaque))
tf.config.experimental.enable_op_determinism()
determined = build(False)
print(determined.jit_compile, jit_blockers(determined))
"""


@pytest.mark.slow
def test_jit_blockers_say_why_jit_compile_true_resolved_to_false():
    import subprocess
    import sys

    from lstm_course._process import child_env

    lines = subprocess.run([sys.executable, "-c", JIT_PROGRAM], env=child_env(), check=True,
                           capture_output=True, text=True).stdout.strip().splitlines()
    assert lines[0] == "True []"
    assert lines[1].startswith("False [\"layer 'opaque' (NoXla) has supports_jit=False\"")
    assert lines[2] == "False ['op determinism is enabled (lc.setup(deterministic=True))']"
