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
