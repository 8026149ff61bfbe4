"""Windows, chronological splits, train-only scaling and tf.data pipelines.

The property tests compare ``lstm_course.windows`` with Keras' own
``keras.utils.timeseries_dataset_from_array`` over random lengths, widths, shifts and strides.
"""

import keras
import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from lstm_course.windows import (
    Standardizer,
    WindowSpec,
    chronological_split,
    make_dataset,
    make_windows,
    split_and_scale,
)

PROPERTY = settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)


@st.composite
def series_and_spec(draw):
    input_width, shift = draw(st.integers(1, 12)), draw(st.integers(1, 6))
    spec = WindowSpec(
        input_width=input_width,
        label_width=draw(st.integers(1, min(4, input_width + shift))),
        shift=shift,
        stride=draw(st.integers(1, 4)),
    )
    n_rows = draw(st.integers(spec.total_width, spec.total_width + 40))
    n_columns = draw(st.integers(1, 3))
    seed = draw(st.integers(0, 2**16))
    values = np.random.default_rng(seed).normal(size=(n_rows, n_columns)).astype(np.float32)
    return values, spec


def keras_windows(values, length, start, stride):
    """Every window of ``length`` rows of ``values[start:]`` as Keras cuts them."""
    # Keras refuses arrays no longer than its sampling rate (1) or its stride; those cases
    # lie outside the overlap of the two APIs and are not compared.
    assume(len(values) - start > max(1, stride))
    ds = keras.utils.timeseries_dataset_from_array(
        values[start:], None, sequence_length=length, sequence_stride=stride, batch_size=10_000
    )
    return np.concatenate([batch.numpy() for batch in ds])


def stacked(ds):
    inputs, labels = zip(*[(x.numpy(), y.numpy()) for x, y in ds], strict=True)
    return np.concatenate(inputs), np.concatenate(labels)


# ---- agreement with keras.utils.timeseries_dataset_from_array ---------------------------


@PROPERTY
@given(series_and_spec())
def test_windows_agree_with_keras(case):
    values, spec = case
    n = len(values)
    inputs, labels = make_windows(values, spec)
    # Inputs: windows of input_width over the rows that still have labels after them.
    expected_inputs = keras_windows(values[: n - spec.shift], spec.input_width, 0, spec.stride)
    # Labels: windows of label_width starting label_start rows later.
    expected_labels = keras_windows(values, spec.label_width, spec.label_start, spec.stride)
    np.testing.assert_array_equal(inputs, expected_inputs)
    np.testing.assert_array_equal(labels, expected_labels[: len(inputs)])
    assert len(expected_labels) == len(inputs)


@PROPERTY
@given(series_and_spec())
def test_single_step_targets_agree_with_keras_targets_argument(case):
    values, spec = case
    spec = WindowSpec(spec.input_width, 1, spec.shift, spec.stride)
    n = len(values)
    assume(n - spec.shift > max(1, spec.stride))  # Keras' own limits, as above
    # The documented Keras idiom: data[:-shift] as inputs, the target of the window that
    # starts at row i is targets[i] = data[i + input_width + shift - 1].
    ds = keras.utils.timeseries_dataset_from_array(
        values[: n - spec.shift],
        values[spec.input_width + spec.shift - 1 :, 0],
        sequence_length=spec.input_width,
        sequence_stride=spec.stride,
        batch_size=7,
    )
    keras_inputs, keras_targets = stacked(ds)
    inputs, labels = make_windows(values, spec, targets=[0])
    np.testing.assert_array_equal(inputs, keras_inputs)
    np.testing.assert_array_equal(labels[:, 0, 0], keras_targets)


@PROPERTY
@given(series_and_spec(), st.integers(1, 9))
def test_dataset_yields_the_same_windows_in_order(case, batch_size):
    values, spec = case
    ds = make_dataset(values, spec, batch_size=batch_size)
    inputs, labels = stacked(ds)
    expected_inputs, expected_labels = make_windows(values, spec)
    np.testing.assert_array_equal(inputs, expected_inputs)
    np.testing.assert_array_equal(labels, expected_labels)
    assert all(x.shape[0] <= batch_size for x, _ in ds)


# ---- window shapes, features and targets --------------------------------------------------


def test_window_semantics_on_a_readable_example():
    frame = pd.DataFrame({"a": np.arange(10.0), "b": np.arange(10.0) * 10})
    spec = WindowSpec(input_width=3, label_width=2, shift=2, stride=3)
    inputs, labels = make_windows(frame, spec, features=["a", "b"], targets=["b"])
    assert spec.total_width == 5 and spec.label_start == 3
    assert inputs.shape == (2, 3, 2) and labels.shape == (2, 2, 1)
    np.testing.assert_array_equal(inputs[1, :, 0], [3, 4, 5])  # second window starts at row 3
    np.testing.assert_array_equal(labels[1, :, 0], [60, 70])  # rows 6 and 7 of column b


def test_series_and_integer_data_are_accepted():
    inputs, labels = make_windows(pd.Series(np.arange(6), name="x"), WindowSpec(2))
    assert inputs.dtype == np.float64 and inputs.shape == (4, 2, 1)
    np.testing.assert_array_equal(labels[:, 0, 0], [2, 3, 4, 5])


def test_dataset_is_float32_and_prefetched():
    ds = make_dataset(np.arange(20.0), WindowSpec(4), batch_size=5)
    x, y = next(iter(ds))
    assert x.dtype.name == "float32" and tuple(x.shape) == (5, 4, 1) and tuple(y.shape) == (5, 1, 1)
    assert type(ds).__name__ == "_PrefetchDataset"


def test_shuffle_moves_whole_windows_and_is_reproducible():
    values = np.arange(200.0)
    spec = WindowSpec(5, 1, 1)
    ordered, _ = stacked(make_dataset(values, spec, batch_size=16))
    first, first_labels = stacked(make_dataset(values, spec, batch_size=16, shuffle=True, seed=3))
    again, _ = stacked(make_dataset(values, spec, batch_size=16, shuffle=True, seed=3))
    assert not np.array_equal(first, ordered)  # shuffled
    np.testing.assert_array_equal(first, again)  # same seed, same order
    # Same windows, each intact (consecutive rows, its own label right after it).
    np.testing.assert_array_equal(np.sort(first[:, 0, 0]), ordered[:, 0, 0])
    assert (np.diff(first[:, :, 0], axis=1) == 1).all()
    np.testing.assert_array_equal(first_labels[:, 0, 0], first[:, -1, 0] + 1)


def test_shuffled_dataset_reshuffles_each_epoch():
    ds = make_dataset(np.arange(100.0), WindowSpec(3), batch_size=100, shuffle=True, seed=0)
    epoch1, epoch2 = (stacked(ds)[0][:, 0, 0] for _ in range(2))
    assert not np.array_equal(epoch1, epoch2)


# ---- chronological splits -----------------------------------------------------------------


@PROPERTY
@given(
    st.integers(10, 500),
    st.floats(0.1, 0.9),
    st.floats(0.0, 0.5),
    st.integers(1, 8),
    st.integers(1, 4),
)
def test_windows_of_different_parts_never_share_a_row(n, train, val, width, shift):
    assume(train + val <= 1)
    rows = np.arange(float(n))
    parts = chronological_split(rows, train_fraction=train, val_fraction=val)
    np.testing.assert_array_equal(np.concatenate(parts), rows)  # in order, nothing dropped
    spec = WindowSpec(width, 1, shift)
    used = []
    for part in parts:
        if len(part) >= spec.total_width:
            x, y = make_windows(part, spec)
            used.append(set(x.ravel()) | set(y.ravel()))
    for i in range(len(used)):
        for j in range(i + 1, len(used)):
            assert not used[i] & used[j]


def test_split_sizes_and_pandas_index_are_kept():
    frame = pd.DataFrame({"x": range(100)}, index=pd.date_range("2020", periods=100, freq="D"))
    parts = chronological_split(frame, train_fraction=0.7, val_fraction=0.2)
    assert [len(p) for p in parts] == [70, 20, 10]
    assert parts.train.index[-1] < parts.val.index[0] and parts.val.index[-1] < parts.test.index[0]
    assert chronological_split(frame, train_fraction=0.8, val_fraction=0.2).test.empty


# ---- scaler fitted on the training part only -------------------------------------------


def test_standardizer_uses_training_statistics_only():
    frame = pd.DataFrame({"a": np.arange(10.0), "b": np.arange(10.0) ** 2})
    parts = chronological_split(frame, train_fraction=0.5, val_fraction=0.2)
    scaler = Standardizer.fit(parts.train)
    np.testing.assert_allclose(scaler.mean, parts.train.mean().to_numpy())
    np.testing.assert_allclose(scaler.std, parts.train.std(ddof=0).to_numpy())
    train = scaler.transform(parts.train)
    np.testing.assert_allclose(train.mean().to_numpy(), 0, atol=1e-12)
    assert scaler.transform(parts.test)["a"].min() > 1  # the future lies outside train's range
    pd.testing.assert_frame_equal(scaler.inverse_transform(scaler.transform(frame)), frame)


def test_split_and_scale_fits_on_the_training_part_and_windows_each_part():
    frame = pd.DataFrame({"load": np.arange(40.0) ** 1.5, "hour": np.arange(40.0) % 24},
                         index=pd.date_range("2024-01-01", periods=40, freq="h"))
    prepared = split_and_scale(frame, train_fraction=0.5, val_fraction=0.25)
    assert [len(p) for p in prepared.parts] == [20, 10, 10]
    np.testing.assert_allclose(prepared.scaler.mean, frame.iloc[:20].mean().to_numpy())
    spec = WindowSpec(input_width=4, shift=2)
    windows = prepared.windows(spec, targets=["load"])
    assert list(windows) == ["train", "val", "test"]
    for name, (x, y) in windows.items():  # the same as the steps done by hand, float32
        expected_x, expected_y = make_windows(prepared.scaler.transform(
            getattr(prepared.parts, name)), spec, targets=["load"])
        assert x.dtype == y.dtype == np.float32 and x.shape == (len(expected_x), 4, 2)
        np.testing.assert_allclose(x, expected_x, rtol=1e-6)
        np.testing.assert_allclose(y, expected_y, rtol=1e-6)
    # the test windows' labels come back in the data's units with the target's statistics
    in_units = prepared.scaler.inverse_transform(windows["test"][1][..., 0], columns=["load"])
    np.testing.assert_allclose(in_units[:, 0], frame["load"].to_numpy()[35:], rtol=1e-5)
    with pytest.raises(ValueError, match="constant in the training part"):
        split_and_scale(frame.assign(flat=1.0))


def test_standardizer_inverts_predictions_of_target_columns():
    frame = pd.DataFrame({"a": [1.0, 2.0, 3.0], "b": [10.0, 30.0, 50.0]})
    scaler = Standardizer.fit(frame)
    predictions = scaler.transform(frame)[["b"]].to_numpy()
    np.testing.assert_allclose(scaler.inverse_transform(predictions, columns=["b"])[:, 0],
                               [10, 30, 50])
    series = scaler.transform(frame["b"])
    np.testing.assert_allclose(scaler.inverse_transform(series), frame["b"])


# ---- errors name the bad argument ------------------------------------------------------


@pytest.mark.parametrize(
    "kwargs, error, message",
    [
        ({"input_width": 3, "shift": 0}, ValueError, "shift must be a positive int, got 0"),
        ({"input_width": 0}, ValueError, "input_width must be a positive int"),
        ({"input_width": 3, "stride": -1}, ValueError, "stride must be a positive int"),
        ({"input_width": 2.5}, ValueError, "input_width must be a positive int"),
        ({"input_width": True}, ValueError, "input_width must be a positive int"),
        ({"input_width": 2, "label_width": 4, "shift": 1}, ValueError, "label_width=4"),
    ],
)
def test_bad_window_spec(kwargs, error, message):
    with pytest.raises(error, match=message):
        WindowSpec(**kwargs)


def test_window_longer_than_the_series():
    with pytest.raises(ValueError, match=r"input_width \+ shift = 11 rows\) is longer than the "
                       r"series \(10 rows\)"):
        make_windows(np.arange(10.0), WindowSpec(input_width=10, shift=1))
    with pytest.raises(ValueError, match="longer than the series"):
        make_dataset(np.arange(10.0), WindowSpec(input_width=10, shift=1))


def test_nan_input_is_refused_with_its_position():
    values = pd.Series([1.0, 2.0, np.nan, 4.0], index=pd.date_range("2020", periods=4))
    with pytest.raises(ValueError, match="1 NaN values \\(first in row 2020-01-03"):
        make_windows(values, WindowSpec(1))
    with pytest.raises(ValueError, match="NaN"):
        Standardizer.fit(values)
    with pytest.raises(ValueError, match="NaN"):
        make_dataset(values.to_numpy(), WindowSpec(1))


@pytest.mark.parametrize(
    "train, val, error, message",
    [
        (0.8, 0.3, ValueError, "sum to 1.1 > 1"),
        (1.2, 0.0, ValueError, "train_fraction must be in \\[0, 1\\]"),
        (0.5, -0.1, ValueError, "val_fraction must be in"),
        (0.001, 0.1, ValueError, "leaves no training rows"),
        ("0.7", 0.1, TypeError, "train_fraction must be a number"),
    ],
)
def test_bad_split_fractions(train, val, error, message):
    with pytest.raises(error, match=message):
        chronological_split(np.arange(100.0), train_fraction=train, val_fraction=val)


def test_unsorted_time_index_is_refused():
    frame = pd.DataFrame({"x": range(5)}, index=pd.date_range("2020", periods=5)[::-1])
    with pytest.raises(ValueError, match="not strictly increasing"):
        chronological_split(frame)


def test_bad_data_and_columns():
    frame = pd.DataFrame({"x": [1.0, 2.0, 3.0], "label": ["a", "b", "c"]})
    with pytest.raises(TypeError, match="\\['label'\\] are not numeric"):
        make_windows(frame, WindowSpec(1))
    with pytest.raises(ValueError, match="\\['y'\\] are not in the data"):
        make_windows(frame, WindowSpec(1), features=["x"], targets=["y"])
    with pytest.raises(TypeError, match="got list"):
        make_windows([1.0, 2.0, 3.0], WindowSpec(1))
    with pytest.raises(ValueError, match="1-D or 2-D"):
        make_windows(np.zeros((4, 2, 2)), WindowSpec(1))
    with pytest.raises(ValueError, match="batch_size must be a positive int"):
        make_dataset(np.arange(5.0), WindowSpec(1), batch_size=2.0)


def test_bad_scaler_input():
    with pytest.raises(ValueError, match="\\['c'\\] are constant"):
        Standardizer.fit(pd.DataFrame({"a": [1.0, 2.0], "c": [5.0, 5.0]}))
    with pytest.raises(ValueError, match="at least 2 training rows"):
        Standardizer.fit(np.array([[1.0]]))
    scaler = Standardizer.fit(pd.DataFrame({"a": [1.0, 2.0], "b": [3.0, 5.0]}))
    with pytest.raises(ValueError, match="\\['z'\\] were not fitted"):
        scaler.inverse_transform(np.zeros((2, 1)), columns=["z"])
    with pytest.raises(ValueError, match="data has 3 columns, the scaler was given 2"):
        scaler.transform(np.zeros((2, 3)))
