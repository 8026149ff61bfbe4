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
    latency,
    lstm_numpy,
    metrics,
    plots,
    profiles,
    serving,
    session,
    stacks,
    sweeps,
    textdata,
    walkforward,
    windows,
    worker_training,
)
from .plots import plot_forecast, plot_history, set_theme
from .profiles import PROFILES, by_profile, current_profile
from .session import RunInfo, setup

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
    "latency",
    "lstm_numpy",
    "metrics",
    "models",
    "pipelines",
    "plot_forecast",
    "plot_history",
    "plots",
    "profiles",
    "serving",
    "session",
    "set_theme",
    "setup",
    "stacks",
    "sweeps",
    "textdata",
    "transformer",
    "walkforward",
    "windows",
    "worker_training",
]


# These modules import Keras (and TensorFlow): load them on first use only, so that
# `import lstm_course` stays fast and `setup` can quiet TensorFlow before it loads.
LAZY_MODULES = ("models", "attention", "transformer", "pipelines")


def __getattr__(name: str):
    if name in LAZY_MODULES:
        return importlib.import_module(f".{name}", __name__)
    raise AttributeError(f"module 'lstm_course' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(LAZY_MODULES))
