"""Judging return forecasts as a trader would: direction and a cost-aware backtest.

Returns here are daily *log* returns ``r_t = log(P_t / P_{t-1})``; a forecast ``f_t`` for
day ``t`` is made before day ``t`` starts (with information up to day ``t - 1``).
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

TRADING_DAYS_PER_YEAR = 252


def _pair(returns, forecasts) -> tuple[np.ndarray, np.ndarray]:
    returns = np.asarray(returns, dtype=np.float64)
    forecasts = np.asarray(forecasts, dtype=np.float64)
    if returns.ndim != 1 or returns.shape != forecasts.shape:
        raise ValueError(f"returns and forecasts must be 1-D of one length, got shapes "
                         f"{returns.shape} and {forecasts.shape}")
    if len(returns) == 0:
        raise ValueError("returns are empty")
    if not (np.isfinite(returns).all() and np.isfinite(forecasts).all()):
        raise ValueError("returns and forecasts must be finite (no NaN or inf)")
    return returns, forecasts


class Direction(NamedTuple):
    hits: int  # days on which the forecast had the sign of the return
    days: int  # days counted: the return and the forecast are both non-zero
    accuracy: float  # hits / days
    p_value: float  # two-sided binomial test of accuracy = 0.5


def directional_accuracy(returns, forecasts) -> Direction:
    """How often ``sign(forecast) == sign(return)``, and whether that differs from a coin.

    Days with a zero return or a zero forecast (no direction) are not counted; a forecast
    that is zero on every day raises ``ValueError`` (it has no direction to judge).
    """
    from scipy.stats import binomtest

    returns, forecasts = _pair(returns, forecasts)
    counted = (returns != 0) & (forecasts != 0)
    days = int(counted.sum())
    if days == 0:
        raise ValueError("no day has both a non-zero return and a non-zero forecast")
    hits = int((np.sign(returns[counted]) == np.sign(forecasts[counted])).sum())
    return Direction(hits, days, hits / days, float(binomtest(hits, days, 0.5).pvalue))


class Backtest(NamedTuple):
    daily: np.ndarray  # (n,) log return of the strategy each day, after costs
    total_return: float  # simple return over the whole period, exp(sum(daily)) - 1
    annual_return: float  # mean daily log return x 252
    annual_volatility: float  # standard deviation of the daily log returns x sqrt(252)
    sharpe: float  # annual_return / annual_volatility (0 when it never holds anything)
    trades: int  # position changes (entering or leaving the market)
    days_invested: int


def long_flat_backtest(returns, forecasts, *, cost_bps: float = 5.0,
                       threshold: float = 0.0) -> Backtest:
    """Hold the asset on day ``t`` when ``forecasts[t] > threshold``, otherwise hold cash.

    Each change of position costs ``cost_bps`` basis points (1 bp = 0.01 %) of the
    position; the strategy starts flat. Cash earns nothing. Buy-and-hold is
    ``long_flat_backtest(returns, np.ones_like(returns))`` (one trade, on day 0).
    """
    returns, forecasts = _pair(returns, forecasts)
    if isinstance(cost_bps, bool) or not isinstance(cost_bps, (int, float)) or cost_bps < 0:
        raise ValueError(f"cost_bps must be a number >= 0, got {cost_bps!r}")
    position = (forecasts > threshold).astype(np.float64)
    changes = np.abs(np.diff(position, prepend=0.0))
    daily = position * returns + np.log1p(-changes * cost_bps / 1e4)
    annual = float(daily.mean() * TRADING_DAYS_PER_YEAR)
    volatility = float(daily.std() * np.sqrt(TRADING_DAYS_PER_YEAR))
    return Backtest(daily, float(np.expm1(daily.sum())), annual, volatility,
                    annual / volatility if volatility > 0 else 0.0,
                    int(changes.sum()), int(position.sum()))
