"""The loaders: one function per data set, each validating what it returns.

Every loader checks dtypes, a strictly increasing time index and the number of rows, reports
missing values instead of dropping them, and documents units. ``load(name)`` calls the
loader the registry names.
"""

from __future__ import annotations

import gzip
import io
import pathlib
import tarfile
import zipfile
from typing import Literal, NamedTuple

import numpy as np
import pandas as pd

from .downloads import download
from .files import verified_bytes
from .registry import DATASETS


def _validate(
    obj: pd.Series | pd.DataFrame, name: str, *, rows: int, allow_missing: bool = False
) -> None:
    """Check the length, numeric dtypes, index order and missing values of a result."""
    if len(obj) != rows:
        raise ValueError(f"{name}: expected {rows} rows, got {len(obj)}")
    frame = obj.to_frame() if isinstance(obj, pd.Series) else obj
    for column, dtype in frame.dtypes.items():
        if not (
            pd.api.types.is_numeric_dtype(dtype)
            or isinstance(dtype, pd.CategoricalDtype)
            or isinstance(dtype, pd.StringDtype)
            # pandas < 3 (Colab's 2.2) keeps strings in object columns: text only, no mixtures
            or (pd.api.types.is_object_dtype(dtype)
                and pd.api.types.infer_dtype(frame[column]) == "string")
        ):
            raise ValueError(f"{name}: column {column!r} has unexpected dtype {dtype}")
    index = obj.index
    if isinstance(index, pd.DatetimeIndex) and not (
        index.is_monotonic_increasing and index.is_unique
    ):
        raise ValueError(f"{name}: time index is not strictly increasing (unsorted or repeated)")
    missing = int(frame.isna().sum().sum())
    if missing and not allow_missing:
        first = frame.index[frame.isna().any(axis=1)][0]
        raise ValueError(f"{name}: {missing} missing values, the first at {first}")


def _check_option(name: str, value, allowed) -> None:
    if value not in allowed:
        raise ValueError(f"{name} must be one of {sorted(allowed)}, got {value!r}")



# ---- book profile: files in data/ or in installed packages ---------------------------


def load_electricity_demand() -> pd.Series:
    """Half-hourly electricity demand in England and Wales, 5 June to 27 August 2000.

    The series of Taylor (2003), twelve full weeks from Monday 00:00: strong daily (48 steps)
    and weekly (336 steps) seasonality.

    Returns:
        ``pd.Series`` ``"demand_mw"`` of float64 (unit: megawatts, MW), 4,032 values, indexed
        by a ``DatetimeIndex`` ``"time"`` with 30-minute frequency; each stamp is the start of
        its half-hour (local clock time, as published; no time zone).
    """
    info = DATASETS["electricity_demand"]
    raw = pd.read_csv(io.BytesIO(verified_bytes(info)))
    index = pd.date_range("2000-06-05 00:00", periods=len(raw), freq="30min", name="time")
    series = pd.Series(raw["demand_mw"].to_numpy(np.float64), index=index, name="demand_mw")
    _validate(series, info.name, rows=4032)
    return series


def load_sunspots() -> pd.Series:
    """Yearly mean sunspot number, 1700-2008 (309 values, version 1 series).

    Returns:
        ``pd.Series`` ``"sunspots"`` of float64 (unit: yearly mean sunspot number, a
        dimensionless count), indexed by a yearly ``DatetimeIndex`` ``"year"`` (``YS-JAN``).
    """
    info = DATASETS["sunspots"]
    raw = pd.read_csv(io.BytesIO(verified_bytes(info)))
    dates = pd.to_datetime(raw["YEAR"].astype(int).astype(str), format="%Y")
    index = pd.DatetimeIndex(dates, freq="YS-JAN", name="year")
    series = pd.Series(raw["SUNACTIVITY"].to_numpy(np.float64), index=index, name="sunspots")
    _validate(series, info.name, rows=309)
    return series


def load_co2(missing: Literal["keep", "interpolate", "drop"] = "keep") -> pd.Series:
    """Weekly atmospheric CO2 at Mauna Loa, March 1958 to December 2001.

    59 of the 2,284 weeks have no measurement. ``missing`` says what to do with them, so
    that nothing is filled or dropped without you asking:

    - ``"keep"`` (default): leave them as NaN (the window functions will refuse them);
    - ``"interpolate"``: fill them linearly in time from their neighbours;
    - ``"drop"``: remove those weeks (the index then has gaps and no frequency).

    Returns:
        ``pd.Series`` ``"co2"`` of float64 (unit: ppm, parts per million by volume),
        indexed by a weekly ``DatetimeIndex`` ``"week"`` (``W-SAT``, stamps on Saturdays).
    """
    _check_option("missing", missing, {"keep", "interpolate", "drop"})
    info = DATASETS["co2"]
    raw = pd.read_csv(io.BytesIO(verified_bytes(info)), dtype={"date": str})
    dates = pd.to_datetime(raw["date"], format="%Y%m%d")
    index = pd.DatetimeIndex(dates, freq="W-SAT", name="week")
    series = pd.Series(raw["co2"].to_numpy(np.float64), index=index, name="co2")
    _validate(series, info.name, rows=2284, allow_missing=True)
    if missing == "interpolate":
        series = series.interpolate(method="time")
    elif missing == "drop":
        series = series.dropna()
        series.index.freq = None
    return series


# ---- book profile: tables --------------------------------------------------------------


def load_seattle_weather() -> pd.DataFrame:
    """Daily weather in Seattle, 2012-2015 (1,461 days, none missing).

    Returns:
        ``pd.DataFrame`` indexed by a daily ``DatetimeIndex`` ``"date"`` with columns
        ``precipitation`` (mm per day), ``temp_max`` and ``temp_min`` (daily extremes, °C),
        ``wind`` (mean wind speed, m/s), all float64, and ``weather`` (categorical:
        drizzle, fog, rain, snow, sun).
    """
    info = DATASETS["seattle_weather"]
    raw = pd.read_csv(io.BytesIO(verified_bytes(info)))
    index = pd.DatetimeIndex(pd.to_datetime(raw.pop("date"), format="%Y/%m/%d"), name="date")
    frame = raw.set_index(index).asfreq("D")
    for column in ("precipitation", "temp_max", "temp_min", "wind"):
        frame[column] = frame[column].astype(np.float64)
    frame["weather"] = pd.Categorical(frame["weather"])
    _validate(frame, info.name, rows=1461)
    return frame


_STOCK_SYMBOLS = ("sp500", "nasdaq", "msft")


def load_stock_prices(symbol: Literal["sp500", "nasdaq", "msft"] = "sp500") -> pd.DataFrame:
    """Daily OHLCV prices of an index or stock (trading days only).

    - ``"sp500"``, ``"nasdaq"``: the S&P 500 and NASDAQ Composite indices, 1999-2018, with
      columns ``open, high, low, close, adj_close, volume``; for an index ``adj_close``
      equals ``close``. NASDAQ has 2 days with volume 0 in the source.
    - ``"msft"``: Microsoft, 1986-2017, columns ``open, high, low, close, volume``; the
      source's prices are already adjusted for splits and dividends (hence 0.07 USD in
      1986), and its ``OpenInt`` column, always 0, is checked and left out. 1 day has
      volume 0 in the source.

    Returns:
        ``pd.DataFrame`` indexed by a ``DatetimeIndex`` ``"date"`` (no frequency: weekends
        and holidays are absent). Prices are float64 (index points or USD), ``volume`` is
        int64 (shares or index volume traded that day).
    """
    _check_option("symbol", symbol, set(_STOCK_SYMBOLS))
    info = DATASETS[symbol]
    payload = verified_bytes(info)
    if symbol == "msft":
        with tarfile.open(fileobj=io.BytesIO(payload), mode="r:gz") as archive:
            raw = pd.read_csv(archive.extractfile("msft.csv"))
        if (raw.pop("OpenInt") != 0).any():
            raise ValueError("msft: the OpenInt column is no longer all zeros")
        date_format, rows = "%Y-%m-%d", 7983
    else:
        raw = pd.read_csv(io.BytesIO(payload), compression="gzip")
        date_format, rows = "%m/%d/%Y", 5031
    index = pd.DatetimeIndex(pd.to_datetime(raw.pop("Date"), format=date_format), name="date")
    frame = raw.set_index(index)
    frame.columns = [c.lower().replace(" ", "_") for c in frame.columns]
    prices = [c for c in frame.columns if c != "volume"]
    frame[prices] = frame[prices].astype(np.float64)
    frame["volume"] = frame["volume"].astype(np.int64)
    _validate(frame, info.name, rows=rows)
    bad = (frame["low"] > frame[["open", "close"]].min(axis=1)) | (
        frame["high"] < frame[["open", "close"]].max(axis=1)
    )
    if bad.any():
        raise ValueError(f"{symbol}: {int(bad.sum())} days with open/close outside low..high")
    return frame


def load_airline_tweets() -> pd.DataFrame:
    """The Twitter US Airline Sentiment tweets (February 2015), labelled by annotators.

    14,640 tweets: 9,178 negative, 3,099 neutral, 2,363 positive (imbalanced). The text is
    as distributed; emoji were already mangled upstream into byte sequences, and 213 texts
    occur more than once (deduplicate before splitting if you need disjoint splits).

    Returns:
        ``pd.DataFrame`` indexed by ``"tweet"`` (0..14639) with ``sentiment`` (categorical,
        ordered negative < neutral < positive), ``confidence`` (float64, the annotators'
        agreement in [1/3, 1]) and ``text`` (str).
    """
    info = DATASETS["airline_tweets"]
    raw = pd.read_csv(io.BytesIO(verified_bytes(info)), compression="gzip")
    raw["sentiment"] = pd.Categorical(
        raw["sentiment"], categories=["negative", "neutral", "positive"], ordered=True
    )
    raw["confidence"] = raw["confidence"].astype(np.float64)
    raw.index.name = "tweet"
    if raw["sentiment"].isna().any():
        raise ValueError("airline_tweets: a sentiment label outside negative/neutral/positive")
    _validate(raw, info.name, rows=14640)
    return raw


class DigitImages(NamedTuple):
    """Images and labels of ``load_digits``."""

    images: np.ndarray  # (n, 8, 8) float32, ink level 0..16
    labels: pd.Series  # (n,) int64 digit 0..9, indexed by image number


def load_digits() -> DigitImages:
    """1,797 handwritten digits as 8x8 images (UCI; the copy inside scikit-learn).

    Read row by row, an image is a sequence of 8 steps with 8 features each.

    Returns:
        ``DigitImages(images, labels)``: ``images`` float32 of shape (1797, 8, 8) holding ink
        levels 0..16 (integers, unit: count of 4x4 "on" pixels in the original 32x32 bitmap);
        ``labels`` a ``pd.Series`` ``"digit"`` of int64 0..9 indexed by ``"image"``.
    """
    info = DATASETS["digits"]
    table = np.loadtxt(io.BytesIO(gzip.decompress(verified_bytes(info))), delimiter=",")
    if table.shape != (1797, 65):
        raise ValueError(f"digits: expected a 1797 x 65 table, got {table.shape}")
    images = table[:, :64].reshape(-1, 8, 8).astype(np.float32)
    labels = pd.Series(table[:, 64].astype(np.int64), name="digit")
    labels.index.name = "image"
    if images.min() < 0 or images.max() > 16 or not labels.between(0, 9).all():
        raise ValueError("digits: pixel values outside 0..16 or labels outside 0..9")
    return DigitImages(images, labels)



# ---- full profile: downloads -----------------------------------------------------------


def load_imdb_reviews(split: Literal["train", "test"] = "train") -> pd.DataFrame:
    """IMDB movie reviews (Maas et al. 2011), full profile: downloads 84 MB once.

    Returns:
        ``pd.DataFrame`` of the 25,000 labelled reviews of ``split``, ordered by file name,
        with ``text`` (str, raw HTML line breaks kept) and ``label`` (int64: 1 positive,
        0 negative), indexed by ``"review"``.
    """
    _check_option("split", split, {"train", "test"})
    info = DATASETS["imdb_reviews"]
    frame = _read_imdb_archive(download(info), split)
    _validate(frame, f"{info.name}[{split}]", rows=25000)
    return frame


def _read_imdb_archive(path: pathlib.Path, split: str) -> pd.DataFrame:
    """Reviews of ``aclImdb/<split>/{pos,neg}/*.txt`` in an aclImdb tar.gz, by file name."""
    texts, labels = [], []
    with tarfile.open(path, mode="r:gz") as archive:
        members = sorted(
            (m for m in archive.getmembers() if m.isfile() and m.name.endswith(".txt")),
            key=lambda m: m.name,
        )
        for member in members:
            parts = member.name.split("/")
            if len(parts) == 4 and parts[1] == split and parts[2] in ("pos", "neg"):
                texts.append(archive.extractfile(member).read().decode("utf-8"))
                labels.append(1 if parts[2] == "pos" else 0)
    frame = pd.DataFrame({"text": texts, "label": np.asarray(labels, dtype=np.int64)})
    frame.index.name = "review"
    return frame


def load_jena_climate(
    duplicate_times: Literal["raise", "keep_first"] = "raise",
) -> pd.DataFrame:
    """Jena weather station, 2009-2016, every 10 minutes (full profile: downloads 13.6 MB).

    No sha256 of this file is published; the download is checked by its size (13,568,290
    bytes) and by the parsing below. ``duplicate_times="keep_first"`` keeps the first of
    rows that share a time stamp; the default raises instead and says how many there are.

    Returns:
        ``pd.DataFrame`` indexed by a ``DatetimeIndex`` ``"time"`` with the 14 station
        columns as published (units in the names, for example ``"T (degC)"``, ``"p (mbar)"``,
        ``"wv (m/s)"``), float64.
    """
    _check_option("duplicate_times", duplicate_times, {"raise", "keep_first"})
    return _read_jena_archive(download(DATASETS["jena_climate"]), duplicate_times)


def _read_jena_archive(path: pathlib.Path, duplicate_times: str) -> pd.DataFrame:
    with zipfile.ZipFile(path) as archive:
        with archive.open("jena_climate_2009_2016.csv") as handle:
            raw = pd.read_csv(handle)
    times = pd.to_datetime(raw.pop("Date Time"), format="%d.%m.%Y %H:%M:%S")
    frame = raw.astype(np.float64).set_index(pd.DatetimeIndex(times, name="time"))
    repeated = frame.index.duplicated(keep="first")
    if repeated.any():
        if duplicate_times == "raise":
            raise ValueError(
                f"jena_climate: {int(repeated.sum())} rows repeat an earlier time stamp; "
                "pass duplicate_times='keep_first' to keep the first row of each"
            )
        frame = frame[~repeated]
    _validate(frame, "jena_climate", rows=len(frame))
    return frame


def load(name: str):
    """Load a data set by its registry name (see ``DATASETS``), with its defaults."""
    if name not in DATASETS:
        raise ValueError(f"unknown data set {name!r}; known: {', '.join(sorted(DATASETS))}")
    info = DATASETS[name]
    return globals()[info.loader](*info.arguments)
