"""The registry as tables: a DataFrame for the book's data page, Markdown for data/README.md."""

from __future__ import annotations

import pandas as pd

from .registry import DATASETS


def registry_frame() -> pd.DataFrame:
    """``DATASETS`` as a table (one row per data set), for display."""
    rows = [
        {
            "name": i.name,
            "data set": i.title,
            "loader": f"lstm_course.data.{i.call}",
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
            f"| `{info.name}` | {info.title} | `lstm_course.data.{info.call}` | "
            f"{info.profile} | {info.source} | {info.licence} | {info.shape} | {info.span} "
            f"| {digest} |"
        )
    return header + "\n".join(rows) + "\n"
