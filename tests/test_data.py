import numpy as np
import pandas as pd
import pytest

from lstm_course import data


def test_sunspots_is_the_verified_yearly_series():
    s = data.load_sunspots()
    assert isinstance(s.index, pd.DatetimeIndex) and s.index.freqstr == "YS-JAN"
    assert s.index[0] == pd.Timestamp("1700-01-01") and s.index[-1] == pd.Timestamp("2008-01-01")
    assert s.dtype == np.float64 and len(s) == 309 and not s.isna().any()
    assert s.min() >= 0
    # A known value of the series (yearly mean sunspot number of 1957, the record maximum).
    assert s.idxmax() == pd.Timestamp("1957-01-01") and s.max() == pytest.approx(190.2)


def test_changed_package_data_is_rejected(monkeypatch):
    key = ("statsmodels.datasets.sunspots", "sunspots.csv")
    monkeypatch.setitem(data._CHECKSUMS, key, "0" * 64)
    with pytest.raises(ValueError, match="sha256"):
        data.load_sunspots()


def test_validation_catches_missing_values_and_unsorted_index():
    idx = pd.date_range("2000", periods=3, freq="YS")
    with pytest.raises(ValueError, match="missing"):
        data._validate_series(pd.Series([1.0, np.nan, 2.0], idx, name="x"), expected_length=3)
    with pytest.raises(ValueError, match="increasing"):
        data._validate_series(pd.Series([1.0, 2.0, 3.0], idx[::-1], name="x"), expected_length=3)
    with pytest.raises(ValueError, match="expected 4 rows"):
        data._validate_series(pd.Series([1.0, 2.0, 3.0], idx, name="x"), expected_length=4)
