"""The forecasters of lstm_course.models: shapes, the autoregressive loop, saving, fitting."""

import keras
import numpy as np
import pytest

from lstm_course import models


@pytest.mark.parametrize("horizon,n_features,n_targets", [(1, 1, 1), (5, 3, 1), (4, 2, 2)])
def test_output_shapes_match_window_labels(horizon, n_features, n_targets):
    x = np.random.default_rng(0).normal(size=(6, 20, n_features)).astype("float32")
    built = [
        models.dense_forecaster(20, n_features, horizon, units=8, n_targets=n_targets),
        models.conv1d_forecaster(20, n_features, horizon, filters=4, n_targets=n_targets),
        models.lstm_forecaster(n_features, horizon, units=4, n_targets=n_targets),
        models.gru_forecaster(n_features, horizon, units=4, n_targets=n_targets),
    ]
    for model in built:
        assert model(x).shape == (6, horizon, n_targets), model.name


@pytest.mark.parametrize("builder", [models.lstm_forecaster, models.gru_forecaster])
def test_recurrent_forecasters_read_any_window_length(builder):
    model = builder(2, 3, units=4)
    for steps in (1, 7, 30):
        assert model(np.zeros((2, steps, 2), "float32")).shape == (2, 3, 1)


def test_gru_forecaster_has_gru_weights():
    model = models.gru_forecaster(3, units=5)
    gru = [layer for layer in model.layers if isinstance(layer, keras.layers.GRU)]
    assert len(gru) == 1 and gru[0].units == 5
    # 3 gate blocks: 3 * (units * (features + units) + 2 * units) with reset_after biases
    assert gru[0].count_params() == 3 * (5 * (3 + 5) + 2 * 5)


def test_conv1d_forecaster_is_causal():
    """Changing an input after step t cannot change features read at step t: the output
    at the last step depends on the last 64 inputs only, and a change before that is invisible."""
    keras.utils.set_random_seed(1)
    model = models.conv1d_forecaster(100, 1, 2, filters=4, kernel_size=4)
    x = np.random.default_rng(1).normal(size=(1, 100, 1)).astype("float32")
    early = x.copy()
    early[0, :36] += 5.0  # outside the receptive field of 4**3 = 64 steps
    late = x.copy()
    late[0, -1] += 5.0
    np.testing.assert_allclose(model(early), model(x), atol=1e-6)
    assert not np.allclose(model(late), model(x))


def test_conv1d_forecaster_reads_the_last_step_and_reloads_in_safe_mode(tmp_path):
    keras.utils.set_random_seed(3)
    model = models.conv1d_forecaster(30, 2, 3, filters=4)
    x = np.random.default_rng(3).normal(size=(5, 30, 2)).astype("float32")
    features = keras.Model(model.inputs, model.get_layer("last_step").input)
    read = keras.Model(model.inputs, model.get_layer("last_step").output)
    np.testing.assert_array_equal(read(x)[:, 0], features(x)[:, -1])  # exactly the last step
    model.save(tmp_path / "conv1d.keras")
    reloaded = keras.saving.load_model(tmp_path / "conv1d.keras")  # safe_mode=True: no Lambda
    np.testing.assert_array_equal(reloaded(x), model(x))


def test_autoregressive_steps_equal_appending_its_own_forecast():
    """Step k of the loop equals a one-step forecast from the window extended by steps < k."""
    keras.utils.set_random_seed(2)
    x = np.random.default_rng(2).normal(size=(3, 9, 2)).astype("float32")
    loop = models.AutoregressiveLSTM(units=5, horizon=3, n_features=2)
    forecast = np.asarray(loop(x))
    assert forecast.shape == (3, 3, 2)
    one_step = models.AutoregressiveLSTM(units=5, horizon=1, n_features=2)
    one_step(x)
    one_step.set_weights(loop.get_weights())
    for k in range(3):
        extended = np.concatenate([x, forecast[:, :k]], axis=1)
        np.testing.assert_allclose(np.asarray(one_step(extended))[:, 0], forecast[:, k],
                                   rtol=1e-5, atol=1e-5)


def test_autoregressive_model_round_trips_through_a_keras_file(tmp_path):
    keras.utils.set_random_seed(3)
    x = np.random.default_rng(3).normal(size=(2, 6, 1)).astype("float32")
    model = models.AutoregressiveLSTM(units=4, horizon=5)
    expected = np.asarray(model(x))
    path = tmp_path / "ar.keras"
    model.save(path)
    loaded = keras.models.load_model(path)
    assert isinstance(loaded, models.AutoregressiveLSTM) and loaded.horizon == 5
    np.testing.assert_allclose(np.asarray(loaded(x)), expected, rtol=1e-6)


def test_fit_forecaster_learns_and_restores_the_best_epoch():
    rng = np.random.default_rng(4)
    x = rng.normal(size=(256, 8, 1)).astype("float32")
    y = x[:, -1:, :] * 2.0  # twice the last value
    keras.utils.set_random_seed(4)
    model = models.dense_forecaster(8, units=8)
    history = models.fit_forecaster(model, (x[:192], y[:192]), (x[192:], y[192:]),
                                    epochs=60, learning_rate=1e-2, patience=3, batch_size=16)
    val_loss = history.history["val_loss"]
    assert min(val_loss) < 0.05 * val_loss[0]
    restored = model.evaluate(x[192:], y[192:], verbose=0, return_dict=True)["loss"]
    assert restored == pytest.approx(min(val_loss), rel=1e-4)


def test_bad_arguments_are_refused():
    with pytest.raises(ValueError, match="units must be a positive int"):
        models.lstm_forecaster(units=0)
    with pytest.raises(ValueError, match="n_features must be a positive int"):
        models.gru_forecaster(n_features=0)
    with pytest.raises(ValueError, match="horizon must be a positive int"):
        models.AutoregressiveLSTM(units=4, horizon="3")
    with pytest.raises(TypeError, match="keras.Model"):
        models.fit_forecaster("model", (1, 1), (1, 1), epochs=1)
    model = models.dense_forecaster(4)
    with pytest.raises(ValueError, match="pair"):
        models.fit_forecaster(model, (np.zeros((4, 4, 1)), np.zeros((3, 1, 1))),
                              (np.zeros((2, 4, 1)), np.zeros((2, 1, 1))), epochs=1)


def _marker_task(n: int, seed: int):
    """Token ids (n, 6), one marker token 1, 2 or 3 among fillers 4..19; class = marker - 1."""
    rng = np.random.default_rng(seed)
    x = rng.integers(4, 20, size=(n, 6)).astype("int32")
    labels = rng.integers(0, 3, size=n)
    x[np.arange(n), rng.integers(0, 6, size=n)] = labels + 1
    return x, labels


def _bag_of_tokens(n_classes: int = 3) -> keras.Model:
    inputs = keras.Input((None,), dtype="int32")
    x = keras.layers.GlobalAveragePooling1D()(keras.layers.Embedding(20, 8)(inputs))
    return keras.Model(inputs, keras.layers.Dense(n_classes, activation="softmax")(x))


@pytest.mark.parametrize("monitor,best", [("val_macro_f1", max), ("val_loss", min)])
def test_fit_classifier_learns_and_restores_the_best_monitored_epoch(monitor, best):
    x, labels = _marker_task(600, seed=5)
    keras.utils.set_random_seed(5)
    model = _bag_of_tokens()
    history = models.fit_classifier(model, (x[:480], labels[:480]), (x[480:], labels[480:]),
                                    epochs=40, learning_rate=3e-3, patience=3, monitor=monitor)
    assert {"loss", "accuracy", "macro_f1", "val_loss", "val_accuracy"} <= set(history.history)
    assert max(history.history["val_macro_f1"]) > 0.9  # chance is about 0.33
    restored = model.evaluate(x[480:], keras.utils.to_categorical(labels[480:], 3), verbose=0,
                              return_dict=True)[monitor.removeprefix("val_")]
    assert restored == pytest.approx(best(history.history[monitor]), rel=1e-5)


def test_fit_classifier_weights_classes_in_the_loss():
    x, labels = _marker_task(64, seed=6)
    losses = []
    for weights in (None, {0: 1.0, 1: 1.0, 2: 1.0}, {0: 3.0, 1: 3.0, 2: 3.0}):
        keras.utils.set_random_seed(6)
        history = models.fit_classifier(_bag_of_tokens(), (x, labels), (x, labels), epochs=1,
                                        learning_rate=1e-9, batch_size=64, class_weight=weights)
        losses.append(history.history["loss"][0])
    assert losses[1] == pytest.approx(losses[0], rel=1e-6)
    assert losses[2] == pytest.approx(3 * losses[0], rel=1e-5)  # every example weighs 3


@pytest.mark.parametrize("change,message", [
    ({"monitor": "val_mae"}, "monitor must be one of"),
    ({"train": (np.zeros((4, 6), "int32"), np.array([0.0, 1.0, 2.0, 1.0]))}, "integers in"),
    ({"train": (np.zeros((4, 6), "int32"), np.array([0, 1, 3, 1]))}, r"integers in \[0, 3\)"),
    ({"val": (np.zeros((4, 6), "int32"), np.array([0, 1]))}, "equal lengths"),
    ({"class_weight": {0: 1.0, 5: 2.0}}, "class_weight must map classes 0..2"),
    ({"val": (np.zeros((0, 6), "int32"), np.zeros(0, "int64"))}, "val must hold at least one"),
])
def test_fit_classifier_refuses_bad_arguments(change, message):
    x, labels = _marker_task(8, seed=7)
    arguments = {"train": (x, labels), "val": (x, labels), "epochs": 1, **change}
    with pytest.raises(ValueError, match=message):
        models.fit_classifier(_bag_of_tokens(), **arguments)
    regression = models.dense_forecaster(4)
    with pytest.raises(ValueError, match="class probabilities"):
        models.fit_classifier(regression, (x, labels), (x, labels), epochs=1)
