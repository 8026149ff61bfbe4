"""Helpers for the course "Long Short-Term Memory networks, from gates to production".

Import as ``import lstm_course as lc``; every chapter starts with ``lc.setup(seed=...)``.
"""

import importlib

from . import (
    backtest,
    baselines,
    bench,
    checks,
    cluster,
    data,
    features,
    gru_numpy,
    kernels,
    lstm_numpy,
    metrics,
    plots,
    profiles,
    scaling,
    serving,
    stacks,
    sweeps,
    textdata,
    walkforward,
    windows,
)
from .environment import RunInfo, setup
from .plots import plot_forecast, plot_history, set_theme
from .profiles import PROFILES, by_profile, current_profile

__version__ = "0.1.0"

__all__ = [
    "PROFILES",
    "RunInfo",
    "attention",
    "backtest",
    "baselines",
    "bench",
    "by_profile",
    "checks",
    "cluster",
    "current_profile",
    "data",
    "features",
    "gru_numpy",
    "kernels",
    "lstm_numpy",
    "metrics",
    "models",
    "plot_forecast",
    "plot_history",
    "plots",
    "profiles",
    "scaling",
    "serving",
    "set_theme",
    "setup",
    "stacks",
    "sweeps",
    "textdata",
    "transformer",
    "walkforward",
    "windows",
]


def __getattr__(name: str):
    # These modules import Keras (and TensorFlow): load them on first use only.
    if name in ("models", "attention", "transformer"):
        return importlib.import_module(f".{name}", __name__)
    raise AttributeError(f"module 'lstm_course' has no attribute {name!r}")
