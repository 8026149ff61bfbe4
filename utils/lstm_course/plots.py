"""One plotting theme for the whole course, and the plots every chapter needs.

All functions return the matplotlib ``Axes`` (or ``Figure``) they drew on, so a chapter can
add to them, and none calls ``plt.show()``: notebooks display the last figure themselves.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import matplotlib.pyplot as plt
import numpy as np
import seaborn as sns

PALETTE = "colorblind"
FIGSIZE = (8.0, 3.6)


def set_theme() -> None:
    """Apply the course theme (seaborn ``whitegrid``, colour-blind palette, readable sizes)."""
    sns.set_theme(
        context="notebook",
        style="whitegrid",
        palette=PALETTE,
        rc={
            "figure.figsize": FIGSIZE,
            "figure.dpi": 100,
            "axes.titleweight": "bold",
            "axes.spines.top": False,
            "axes.spines.right": False,
            "legend.frameon": False,
        },
    )


def _history_dict(history) -> dict[str, list[float]]:
    """Accept a ``keras.callbacks.History`` or the plain ``history.history`` mapping."""
    raw = getattr(history, "history", history)
    if not isinstance(raw, Mapping):
        raise TypeError(
            "history must be a keras History or a mapping of metric name -> list of values, "
            f"got {type(history).__name__}"
        )
    if not raw:
        raise ValueError("history is empty: was the model trained (fit) before plotting?")
    return {str(k): list(v) for k, v in raw.items()}


def plot_history(history, metrics: Sequence[str] | None = None, *, log_y: bool = False):
    """Plot training curves: one panel per metric, training and ``val_`` curve together.

    Args:
        history: ``keras.callbacks.History`` (what ``model.fit`` returns) or its ``.history`` dict.
        metrics: metric names without the ``val_`` prefix, e.g. ``["loss", "mae"]``;
            default: every metric that was logged for training.
        log_y: use a logarithmic y axis (useful for losses that fall over decades).

    Returns:
        The matplotlib ``Figure``.
    """
    hist = _history_dict(history)
    names = list(metrics) if metrics is not None else [k for k in hist if not k.startswith("val_")]
    if not names:
        raise ValueError("no metrics to plot: pass metrics=[...] or train with at least one metric")
    missing = [m for m in names if m not in hist]
    if missing:
        raise ValueError(f"metrics {missing} not in history; available: {sorted(hist)}")

    fig, axes = plt.subplots(1, len(names), figsize=(4.2 * len(names), 3.2), squeeze=False)
    for ax, name in zip(axes[0], names, strict=True):
        epochs = np.arange(1, len(hist[name]) + 1)
        ax.plot(epochs, hist[name], marker="o", ms=3, label="training")
        if f"val_{name}" in hist:
            ax.plot(epochs, hist[f"val_{name}"], marker="o", ms=3, label="validation")
        ax.set(xlabel="epoch", ylabel=name, title=name)
        if log_y:
            ax.set_yscale("log")
        ax.legend()
    fig.tight_layout()
    return fig


def plot_forecast(
    index,
    actual,
    forecasts: Mapping[str, Sequence[float]] | None = None,
    *,
    ax=None,
    title: str | None = None,
    ylabel: str | None = None,
):
    """Plot a series and any number of forecasts of it on one axis.

    Args:
        index: x values (a ``DatetimeIndex``, years, or step numbers), length ``n``.
        actual: observed values, length ``n``.
        forecasts: mapping ``label -> values`` (each length ``n``; use NaN where a forecast has
            no value), e.g. ``{"persistence": ..., "LSTM": ...}``.
        ax: an existing ``Axes`` to draw on; a new figure is made when omitted.
        title, ylabel: optional labels (put the unit in ``ylabel``).

    Returns:
        The matplotlib ``Axes``.
    """
    forecasts = dict(forecasts or {})
    n = len(index)
    if len(actual) != n:
        raise ValueError(f"actual has {len(actual)} values but index has {n}")
    for label, values in forecasts.items():
        if len(values) != n:
            raise ValueError(f"forecast {label!r} has {len(values)} values but index has {n}")
    if ax is None:
        _, ax = plt.subplots(figsize=FIGSIZE)
    ax.plot(index, actual, color="black", lw=1.4, label="actual")
    for label, values in forecasts.items():
        ax.plot(index, values, lw=1.2, label=label)
    ax.set(title=title, ylabel=ylabel)
    ax.legend(ncols=min(4, 1 + len(forecasts)))
    return ax
