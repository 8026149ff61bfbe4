"""The data layer: every loader, its validation, checksums, downloads and the registry."""

import dataclasses
import gzip
import hashlib
import importlib.util
import io
import pathlib
import socket
import tarfile
import time
import zipfile

import numpy as np
import pandas as pd
import pytest

from lstm_course import data
from lstm_course.data import downloads, files, loaders, registry

ROOT = pathlib.Path(__file__).resolve().parents[1]
BOOK = [name for name, info in data.DATASETS.items() if info.profile == "book"]


# ---- book-profile loaders: offline, fast, validated ------------------------------------


@pytest.mark.parametrize("name", BOOK)
def test_book_loader_is_offline_and_fast(name, monkeypatch):
    def no_network(*args, **kwargs):
        raise AssertionError("a book-profile loader tried to open a network connection")

    monkeypatch.setattr(socket, "create_connection", no_network)
    start = time.perf_counter()
    result = data.load(name)
    elapsed = time.perf_counter() - start
    assert elapsed < 5.0, f"{name} took {elapsed:.2f} s"
    if name != "digits":
        assert isinstance(result, (pd.Series, pd.DataFrame)) and len(result) > 0


@pytest.mark.parametrize(
    "name", [n for n in BOOK if n not in ("digits", "airline_tweets")]
)
def test_time_series_have_a_strictly_increasing_datetime_index(name):
    series = data.load(name)
    assert isinstance(series.index, pd.DatetimeIndex)
    assert series.index.is_monotonic_increasing and series.index.is_unique


def test_electricity_demand_is_twelve_weeks_of_half_hours_from_a_monday():
    s = data.load_electricity_demand()
    assert len(s) == 12 * 7 * 48 and s.dtype == np.float64 and s.name == "demand_mw"
    assert s.index.freqstr == "30min"
    assert s.index[0] == pd.Timestamp("2000-06-05 00:00") and s.index[0].day_name() == "Monday"
    assert s.index[-1] == pd.Timestamp("2000-08-27 23:30")
    assert s.between(10_000, 60_000).all()  # megawatts of a national grid
    # The daily and weekly cycles the chapters rely on are really in the data.
    assert s.autocorr(48) > 0.8 and s.autocorr(336) > 0.95


def test_seattle_weather_columns_units_and_consistency():
    w = data.load_seattle_weather()
    assert list(w.columns) == ["precipitation", "temp_max", "temp_min", "wind", "weather"]
    assert w.index.freqstr == "D" and len(w) == 1461
    assert (w["temp_max"] >= w["temp_min"]).all()
    assert (w["precipitation"] >= 0).all() and (w["wind"] >= 0).all()
    assert set(w["weather"].cat.categories) == {"drizzle", "fog", "rain", "snow", "sun"}


def test_co2_reports_missing_weeks_and_fills_only_when_asked():
    kept = data.load_co2()
    assert kept.isna().sum() == 59 and len(kept) == 2284 and kept.index.freqstr == "W-SAT"
    filled = data.load_co2(missing="interpolate")
    assert not filled.isna().any() and filled.index.equals(kept.index)
    observed = kept.notna()
    assert filled[observed].equals(kept[observed])
    dropped = data.load_co2(missing="drop")
    assert len(dropped) == 2284 - 59 and not dropped.isna().any()
    with pytest.raises(ValueError, match="missing must be one of"):
        data.load_co2(missing="zero")


def test_sunspots_is_the_verified_yearly_series():
    s = data.load_sunspots()
    assert s.index.freqstr == "YS-JAN" and len(s) == 309
    assert s.index[0] == pd.Timestamp("1700-01-01") and s.index[-1] == pd.Timestamp("2008-01-01")
    assert s.idxmax() == pd.Timestamp("1957-01-01") and s.max() == pytest.approx(190.2)


@pytest.mark.parametrize(
    "symbol, rows, zero_volume_days",
    [("sp500", 5031, 0), ("nasdaq", 5031, 2), ("msft", 7983, 1)],
)
def test_stock_prices_are_consistent_ohlcv(symbol, rows, zero_volume_days):
    f = data.load_stock_prices(symbol)
    assert len(f) == rows and f.index.name == "date"
    assert f.index.day_of_week.max() <= 4  # trading days only
    assert (f[["open", "high", "low", "close"]] > 0).all().all()
    assert (f["low"] <= f[["open", "close"]].min(axis=1)).all()
    assert (f["high"] >= f[["open", "close"]].max(axis=1)).all()
    assert f["volume"].dtype == np.int64 and int((f["volume"] == 0).sum()) == zero_volume_days
    if symbol != "msft":
        assert (f["adj_close"] == f["close"]).all()  # an index pays no dividends


def test_unknown_stock_symbol_is_a_clear_error():
    with pytest.raises(ValueError, match="symbol must be one of"):
        data.load_stock_prices("AAPL")


def test_airline_tweets_labels_counts_and_duplicates():
    t = data.load_airline_tweets()
    assert t["sentiment"].value_counts().to_dict() == {
        "negative": 9178,
        "neutral": 3099,
        "positive": 2363,
    }
    assert t["sentiment"].cat.ordered
    assert t["confidence"].between(1 / 3, 1).all()
    assert int(t["text"].duplicated().sum()) == 213  # as the docstring says
    assert t["text"].str.len().min() > 0


def test_digits_images_and_labels():
    images, labels = data.load_digits()
    assert images.shape == (1797, 8, 8) and images.dtype == np.float32
    assert images.min() == 0 and images.max() == 16
    assert sorted(labels.unique()) == list(range(10)) and len(labels) == 1797


# ---- checksums, missing files, validation ----------------------------------------------


def _replace(monkeypatch, name, **changes):
    monkeypatch.setitem(data.DATASETS, name, dataclasses.replace(data.DATASETS[name], **changes))


@pytest.mark.parametrize("name", ["electricity_demand", "sunspots", "airline_tweets", "digits"])
def test_changed_data_is_rejected_by_its_checksum(name, monkeypatch):
    _replace(monkeypatch, name, sha256="0" * 64)
    with pytest.raises(ValueError, match="sha256"):
        data.load(name)


def test_missing_repository_data_file_says_how_to_get_it(monkeypatch, tmp_path):
    monkeypatch.setattr(files, "REPO_DATA_DIR", tmp_path)
    with pytest.raises(FileNotFoundError, match="clone"):
        data.load_seattle_weather()


def test_missing_package_says_what_to_install(monkeypatch):
    _replace(monkeypatch, "sunspots", location="package:not_a_real_package/x.csv")
    with pytest.raises(ModuleNotFoundError, match="requirements/course.txt"):
        data.load_sunspots()


def test_unknown_data_set_name_lists_the_known_ones():
    with pytest.raises(ValueError, match="unknown data set 'mnist'.*sunspots"):
        data.load("mnist")


def test_validation_reports_missing_values_order_dtype_and_length():
    idx = pd.date_range("2000", periods=3, freq="YS")
    with pytest.raises(ValueError, match="1 missing values, the first at 2001"):
        loaders._validate(pd.Series([1.0, np.nan, 2.0], idx, name="x"), "x", rows=3)
    with pytest.raises(ValueError, match="not strictly increasing"):
        loaders._validate(pd.Series([1.0, 2.0, 3.0], idx[::-1], name="x"), "x", rows=3)
    with pytest.raises(ValueError, match="not strictly increasing"):
        loaders._validate(pd.Series([1.0, 2.0, 3.0], idx[[0, 0, 1]], name="x"), "x", rows=3)
    with pytest.raises(ValueError, match="expected 4 rows"):
        loaders._validate(pd.Series([1.0, 2.0, 3.0], idx, name="x"), "x", rows=4)
    with pytest.raises(ValueError, match="unexpected dtype"):
        loaders._validate(pd.Series([object(), 1, 2], idx, name="x"), "x", rows=3)


def test_text_in_an_object_column_is_valid_as_pandas_2_keeps_it():
    # pandas 2.x (Colab's) stores strings as object; pandas 3 as its string dtype
    texts = pd.DataFrame({"text": pd.Series(["good", "bad"], dtype=object), "label": [1, 0]})
    loaders._validate(texts, "tweets", rows=2)
    loaders._validate(texts.astype({"text": "string"}), "tweets", rows=2)
    mixed = texts.assign(text=pd.Series(["good", 3], dtype=object))
    with pytest.raises(ValueError, match="column 'text' has unexpected dtype object"):
        loaders._validate(mixed, "tweets", rows=2)


# ---- registry and data/README.md -------------------------------------------------------


def test_every_registered_data_set_has_a_loader_and_provenance():
    assert data.DATASETS is registry.DATASETS  # the one registry
    for info in data.DATASETS.values():
        assert info.source and info.licence and info.shape and info.span
        if info.profile == "full":
            assert info.alternative and (info.sha256 or info.size_bytes)
        else:
            assert info.sha256 is not None


def test_load_by_name_calls_the_loader_the_registry_names(monkeypatch):
    for info in data.DATASETS.values():
        assert callable(getattr(loaders, info.loader)), info.loader
        assert getattr(data, info.loader) is getattr(loaders, info.loader)  # public as lc.data.*
    for name, info in data.DATASETS.items():
        calls = []
        monkeypatch.setattr(loaders, info.loader, lambda *args, calls=calls: calls.append(args))
        data.load(name)
        assert calls == [info.arguments], name
    assert data.DATASETS["nasdaq"].call == 'load_stock_prices("nasdaq")'
    assert data.DATASETS["digits"].call == "load_digits()"
    with pytest.raises(ValueError, match="unknown data set 'weather'; known: airline_tweets"):
        data.load("weather")


def _derive_data():
    spec = importlib.util.spec_from_file_location("derive", ROOT / "tools" / "derive_data.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_derive_data_makes_exactly_the_committed_files_from_their_origins(monkeypatch):
    derive_data = _derive_data()
    repo_files = {info.location.removeprefix("repo:") for info in data.DATASETS.values()
                  if info.location.startswith("repo:")}
    assert set(derive_data.targets()) == repo_files
    with_origin = {name for name, info in data.DATASETS.items() if info.origin}
    assert with_origin == {name for name, info in data.DATASETS.items()
                           if info.location.startswith("repo:")}
    broken = dataclasses.replace(data.DATASETS["sp500"], origin="somewhere:else")
    monkeypatch.setitem(data.DATASETS, "sp500", broken)
    with pytest.raises(ValueError, match="sp500: origin 'somewhere:else' is neither"):
        derive_data.targets()


def test_data_readme_holds_the_registry_table():
    readme = (ROOT / "data" / "README.md").read_text(encoding="utf-8")
    assert data.registry_table() in readme, "regenerate the table: see data/README.md"


def test_data_folder_holds_only_registered_files():
    registered = {
        info.location.removeprefix("repo:")
        for info in data.DATASETS.values()
        if info.location.startswith("repo:")
    }
    present = {p.name for p in (ROOT / "data").iterdir()} - {"README.md"}
    assert present == registered


# ---- full profile: downloads, checksums, offline -----------------------------------------


@pytest.fixture
def served_file(tmp_path, monkeypatch):
    """A file served from a file:// URL, registered as a full-profile data set."""
    monkeypatch.setenv(data.CACHE_ENV_VAR, str(tmp_path / "cache"))
    source = tmp_path / "server" / "archive.bin"
    source.parent.mkdir()
    source.write_bytes(b"the real payload")
    _replace(
        monkeypatch,
        "imdb_reviews",
        location=f"url:{source.as_uri()}",
        sha256=hashlib.sha256(b"the real payload").hexdigest(),
    )
    return source


def test_download_is_cached_and_verified(served_file):
    info = data.DATASETS["imdb_reviews"]
    path = downloads.download(info)
    assert path.read_bytes() == b"the real payload"
    served_file.write_bytes(b"changed on the server")  # a cached, valid copy is reused
    assert downloads.download(info).read_bytes() == b"the real payload"


def test_corrupted_cached_download_is_fetched_again(served_file, capsys):
    info = data.DATASETS["imdb_reviews"]
    path = downloads.download(info)
    path.write_bytes(b"truncated")
    assert downloads.download(info).read_bytes() == b"the real payload"
    assert "downloading it again" in capsys.readouterr().out


def test_download_with_the_wrong_checksum_is_deleted_and_reported(served_file, monkeypatch):
    _replace(monkeypatch, "imdb_reviews", sha256="0" * 64)
    with pytest.raises(ValueError, match="does not have sha256.*load_airline_tweets"):
        downloads.download(data.DATASETS["imdb_reviews"])
    assert not list((data.cache_dir() / "datasets").glob("*"))


def test_download_without_published_sha256_is_checked_by_size(served_file, monkeypatch):
    _replace(monkeypatch, "imdb_reviews", sha256=None, size_bytes=len(b"the real payload"))
    assert downloads.download(data.DATASETS["imdb_reviews"]).exists()
    _replace(monkeypatch, "imdb_reviews", sha256=None, size_bytes=1)
    with pytest.raises(ValueError, match="expected 1"):
        downloads.download(data.DATASETS["imdb_reviews"])


@pytest.mark.parametrize(
    "load, alternative",
    [(data.load_imdb_reviews, "load_airline_tweets"), (data.load_jena_climate, "seattle")],
)
def test_offline_full_profile_loaders_fail_fast_naming_the_alternative(
    load, alternative, monkeypatch, tmp_path
):
    monkeypatch.setenv(data.CACHE_ENV_VAR, str(tmp_path))

    def offline(*args, **kwargs):
        raise OSError("Network is unreachable")

    monkeypatch.setattr(socket, "create_connection", offline)
    start = time.perf_counter()
    with pytest.raises(ConnectionError, match=alternative):
        load()
    assert time.perf_counter() - start < 1.0


def _tar_gz(files: dict[str, str]) -> bytes:
    out = io.BytesIO()
    with tarfile.open(fileobj=out, mode="w:gz") as archive:
        for name, text in files.items():
            payload = text.encode("utf-8")
            member = tarfile.TarInfo(name)
            member.size = len(payload)
            archive.addfile(member, io.BytesIO(payload))
    return out.getvalue()


def test_imdb_archive_is_read_by_split_and_label(tmp_path):
    path = tmp_path / "aclImdb_v1.tar.gz"
    path.write_bytes(
        _tar_gz(
            {
                "aclImdb/train/pos/1_9.txt": "great",
                "aclImdb/train/neg/0_2.txt": "awful",
                "aclImdb/train/unsup/5_0.txt": "unlabelled",
                "aclImdb/test/pos/3_8.txt": "fine",
                "aclImdb/imdb.vocab": "word",
            }
        )
    )
    train = loaders._read_imdb_archive(path, "train")
    assert train.to_dict("list") == {"text": ["awful", "great"], "label": [0, 1]}
    assert loaders._read_imdb_archive(path, "test")["text"].tolist() == ["fine"]


def test_jena_archive_parsing_and_repeated_time_stamps(tmp_path):
    csv = (
        '"Date Time","p (mbar)","T (degC)"\n'
        "01.01.2009 00:10:00,996.52,-8.02\n"
        "01.01.2009 00:20:00,996.57,-8.41\n"
        "01.01.2009 00:20:00,996.57,-8.41\n"
        "01.01.2009 00:30:00,996.53,-8.51\n"
    )
    path = tmp_path / "jena.zip"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("jena_climate_2009_2016.csv", csv)
    with pytest.raises(ValueError, match="1 rows repeat"):
        loaders._read_jena_archive(path, "raise")
    frame = loaders._read_jena_archive(path, "keep_first")
    assert len(frame) == 3 and frame.index[0] == pd.Timestamp("2009-01-01 00:10")
    assert frame["T (degC)"].tolist() == [-8.02, -8.41, -8.51]


def test_derivation_tool_gzip_is_deterministic():
    derive = _derive_data()
    assert derive.deterministic_gzip(b"abc") == derive.deterministic_gzip(b"abc")
    assert gzip.decompress(derive.deterministic_gzip(b"abc")) == b"abc"


def test_registry_frame_has_one_row_per_data_set():
    frame = data.registry_frame()
    assert list(frame.index) == list(data.DATASETS)
    assert frame.loc["co2", "loader"] == "lstm_course.data.load_co2()"


def test_package_path_finds_files_without_importing_and_names_the_requirements():
    import sys

    sys.modules.pop("vega_datasets", None)
    path = data.package_path("vega_datasets", "_data/seattle-weather.csv")
    assert path.read_bytes() == (ROOT / "data" / "seattle-weather.csv").read_bytes()
    assert "vega_datasets" not in sys.modules
    with pytest.raises(ModuleNotFoundError, match="requirements/data-sources.txt"):
        data.package_path("not_a_real_package", "x", "requirements/data-sources.txt")
