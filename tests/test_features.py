"""Cyclic time features: known positions map to known angles, and the period wraps around."""

import numpy as np
import pandas as pd
import pytest

from lstm_course.features import cyclic_time, with_cyclic_time


def angle(frame, period):
    return np.mod(np.arctan2(frame[f"{period}_sin"], frame[f"{period}_cos"]), 2 * np.pi)


def test_day_positions():
    index = pd.DatetimeIndex(["2000-06-05 00:00", "2000-06-05 06:00", "2000-06-05 18:00"])
    np.testing.assert_allclose(angle(cyclic_time(index, "day"), "day"),
                               [0, np.pi / 2, 3 * np.pi / 2], atol=1e-12)


def test_week_starts_on_monday_and_year_on_1_january():
    monday, thursday_noon = pd.Timestamp("2000-06-05"), pd.Timestamp("2000-06-08 12:00")
    week = cyclic_time(pd.DatetimeIndex([monday, thursday_noon]), "week")
    np.testing.assert_allclose(angle(week, "week"), [0, np.pi], atol=1e-12)
    year = cyclic_time(pd.DatetimeIndex(["2013-01-01"]), "year")
    np.testing.assert_allclose(year.to_numpy(), [[0.0, 1.0]], atol=1e-12)


def test_neighbours_across_the_wrap_are_close():
    index = pd.DatetimeIndex(["2012-12-31", "2013-01-01", "2013-07-02"])
    year = cyclic_time(index, "year").to_numpy()
    assert np.linalg.norm(year[0] - year[1]) < 0.05  # one day apart
    assert np.linalg.norm(year[0] - year[2]) > 1.9  # half a year apart
    assert list(cyclic_time(index, "year").columns) == ["year_sin", "year_cos"]


def test_bad_input_is_refused():
    with pytest.raises(TypeError, match="DatetimeIndex"):
        cyclic_time(pd.RangeIndex(3), "day")
    with pytest.raises(ValueError, match="period must be one of"):
        cyclic_time(pd.DatetimeIndex(["2000-01-01"]), "month")


def test_with_cyclic_time_keeps_the_chosen_columns_and_adds_the_cycle():
    index = pd.date_range("2021-01-01", periods=4, freq="D")
    frame = pd.DataFrame({"temp": [1.0, 2, 3, 4], "wind": [0.5] * 4, "kind": list("abcd")},
                         index=index)
    table = with_cyclic_time(frame, "year", columns=["temp", "wind"])
    assert list(table.columns) == ["temp", "wind", "year_sin", "year_cos"]
    pd.testing.assert_frame_equal(table[["year_sin", "year_cos"]], cyclic_time(index, "year"))
    pd.testing.assert_frame_equal(table[["temp", "wind"]], frame[["temp", "wind"]])
    with pytest.raises(TypeError, match="not numeric"):
        with_cyclic_time(frame, "year")  # "kind" is text
    with pytest.raises(ValueError, match="not in the frame"):
        with_cyclic_time(frame, "year", columns=["rain"])
    with pytest.raises(TypeError, match="DataFrame"):
        with_cyclic_time(frame["temp"], "year")
