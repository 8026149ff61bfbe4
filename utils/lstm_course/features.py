"""Input features computed from timestamps alone (known in advance, so they never leak).

``cyclic_time(index, period)`` encodes the position of each timestamp within a day, a week
or a year as the angle ``2 pi * position / period`` and returns its sine and cosine, so that
23:30 and 00:00 (or 31 December and 1 January) are neighbours, as they are in time::

    table = weather.join(cyclic_time(weather.index, "year"))   # adds year_sin, year_cos
    table = with_cyclic_time(weather, "year", columns=["temp_max", "wind"])  # a subset, joined
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

_PERIODS = ("day", "week", "year")


def cyclic_time(index: pd.DatetimeIndex, period: str) -> pd.DataFrame:
    """Sine and cosine of the position in the period: columns ``{period}_sin``, ``{period}_cos``.

    Positions: hours since midnight / 24 (``"day"``), days since Monday 00:00 / 7
    (``"week"``), (day of the year - 1 + fraction of the day) / 365.25 (``"year"``).
    Returns a float64 frame on ``index``.
    """
    if not isinstance(index, pd.DatetimeIndex):
        raise TypeError(f"index must be a pandas DatetimeIndex, got {type(index).__name__}")
    if period not in _PERIODS:
        raise ValueError(f"period must be one of {_PERIODS}, got {period!r}")
    hours = (index.hour + index.minute / 60 + index.second / 3600).to_numpy(dtype=np.float64)
    if period == "day":
        position = hours / 24
    elif period == "week":
        position = (index.day_of_week.to_numpy() + hours / 24) / 7
    else:
        position = (index.day_of_year.to_numpy() - 1 + hours / 24) / 365.25
    angle = 2 * np.pi * position
    return pd.DataFrame(
        {f"{period}_sin": np.sin(angle), f"{period}_cos": np.cos(angle)}, index=index
    )


def with_cyclic_time(frame: pd.DataFrame, period: str, *,
                     columns: Sequence[str] | None = None) -> pd.DataFrame:
    """``frame[columns]`` (every column by default) followed by ``cyclic_time`` of its index.

    The columns must be numeric: the result is a model's input table (rows: time steps).
    """
    if not isinstance(frame, pd.DataFrame):
        raise TypeError(f"frame must be a pandas DataFrame, got {type(frame).__name__}")
    columns = list(frame.columns if columns is None else columns)
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise ValueError(f"columns {missing} are not in the frame (columns: {list(frame.columns)})")
    non_numeric = [c for c in columns if not pd.api.types.is_numeric_dtype(frame[c])]
    if non_numeric:
        raise TypeError(f"columns {non_numeric} are not numeric; encode or leave them out")
    return frame[columns].join(cyclic_time(frame.index, period))
