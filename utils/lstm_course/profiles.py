"""Run profiles: how big a run is (data size, epochs), chosen by ``LSTM_COURSE_PROFILE``.

``book`` (default) is CPU-sized for CI, the website and laptops; ``full`` is the full data
and training length for a GPU; ``smoke`` is one-epoch, tiny-slice iteration.
"""

from __future__ import annotations

import os
from typing import TypeVar

ENV_VAR = "LSTM_COURSE_PROFILE"
PROFILES = ("book", "full", "smoke")
DEFAULT_PROFILE = "book"

T = TypeVar("T")


def current_profile() -> str:
    """Return the active profile name, read from ``LSTM_COURSE_PROFILE`` (default ``book``).

    Raises ``ValueError`` when the variable holds a name that is not a profile, rather than
    silently falling back: a typo must not run a 2-hour job on a laptop, or vice versa.
    """
    raw = os.environ.get(ENV_VAR, "")
    name = raw.strip().lower() or DEFAULT_PROFILE
    if name not in PROFILES:
        raise ValueError(
            f"{ENV_VAR}={raw!r} is not a run profile; expected one of {', '.join(PROFILES)} "
            f"(or unset for {DEFAULT_PROFILE!r})."
        )
    return name


def by_profile(*, book: T, full: T, smoke: T | None = None) -> T:
    """Pick the value for the active profile: ``epochs = by_profile(book=20, full=200, smoke=1)``.

    ``smoke`` defaults to the ``book`` value when not given.
    """
    choices = {"book": book, "full": full, "smoke": book if smoke is None else smoke}
    return choices[current_profile()]
