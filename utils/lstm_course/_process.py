"""The environment of a child Python process that must import lstm_course (private)."""

from __future__ import annotations

import os
from pathlib import Path

PACKAGE_PARENT = str(Path(__file__).resolve().parent.parent)  # the folder holding lstm_course


def child_env(**extra: str) -> dict[str, str]:
    """This process's environment, ``PYTHONPATH`` led by the folder holding lstm_course
    (so a child started anywhere imports the same helpers), plus ``extra`` variables."""
    path = os.pathsep.join([PACKAGE_PARENT, os.environ.get("PYTHONPATH", "")]).rstrip(os.pathsep)
    return {**os.environ, "PYTHONPATH": path, **extra}
