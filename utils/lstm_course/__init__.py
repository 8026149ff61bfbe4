"""Helpers for the course "Long Short-Term Memory networks, from gates to production".

Import as ``import lstm_course as lc``; every chapter starts with ``lc.setup(seed=...)``.
"""

from . import baselines, checks, data, gru_numpy, lstm_numpy, plots, profiles, sweeps, windows
from .environment import RunInfo, setup
from .plots import plot_forecast, plot_history, set_theme
from .profiles import PROFILES, by_profile, current_profile

__version__ = "0.1.0"

__all__ = [
    "PROFILES",
    "RunInfo",
    "baselines",
    "by_profile",
    "checks",
    "current_profile",
    "data",
    "gru_numpy",
    "lstm_numpy",
    "plot_forecast",
    "plot_history",
    "plots",
    "profiles",
    "set_theme",
    "setup",
    "sweeps",
    "windows",
]
