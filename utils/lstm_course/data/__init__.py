"""Real data sets for the course, offline first, each verified against a recorded sha256.

Book-profile loaders read files that either ship inside a package the course already needs
(statsmodels, scikit-learn) or are committed in the repository's ``data/`` folder (copied
byte for byte, or derived, from pinned packages by ``tools/derive_data.py``), so they work
with no network and on Colab after the bootstrap clone. Full-profile loaders download the
classic large sets with ``keras.utils.get_file``; offline they fail at once and name the
book-profile alternative.

The package has one module per concern: ``registry`` (``DATASETS``, the only list of the
data sets), ``files`` (paths and sha256 checks), ``downloads`` (the cache of full-profile
files), ``loaders`` (one validated loader per data set, and ``load(name)``) and ``tables``
(the registry as the tables of ``data/README.md`` and the book's data page). Chapters call
the loaders from here: ``lc.data.load_electricity_demand()``.
"""

from .downloads import CACHE_ENV_VAR, cache_dir
from .files import REPO_DATA_DIR, package_path
from .loaders import (
    DigitImages,
    load,
    load_airline_tweets,
    load_co2,
    load_digits,
    load_electricity_demand,
    load_imdb_reviews,
    load_jena_climate,
    load_seattle_weather,
    load_stock_prices,
    load_sunspots,
)
from .registry import DATASETS, DatasetInfo
from .tables import registry_frame, registry_table

__all__ = [
    "CACHE_ENV_VAR",
    "DATASETS",
    "REPO_DATA_DIR",
    "DatasetInfo",
    "DigitImages",
    "cache_dir",
    "load",
    "load_airline_tweets",
    "load_co2",
    "load_digits",
    "load_electricity_demand",
    "load_imdb_reviews",
    "load_jena_climate",
    "load_seattle_weather",
    "load_stock_prices",
    "load_sunspots",
    "package_path",
    "registry_frame",
    "registry_table",
]
