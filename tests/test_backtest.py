import numpy as np
import pytest

from lstm_course.backtest import directional_accuracy, long_flat_backtest


def test_direction_counts_signs_and_skips_days_without_direction():
    returns = np.array([0.01, -0.02, 0.0, 0.03, -0.01])
    forecasts = np.array([0.5, 0.1, 1.0, -0.2, 0.0])
    result = directional_accuracy(returns, forecasts)
    assert (result.hits, result.days) == (1, 3)  # day 2 has no return, day 4 no forecast
    assert result.accuracy == pytest.approx(1 / 3)


def test_binomial_p_value_separates_a_coin_from_skill():
    rng = np.random.default_rng(0)
    returns = rng.standard_normal(2000)
    assert directional_accuracy(returns, rng.standard_normal(2000)).p_value > 0.01
    informed = returns + rng.standard_normal(2000)  # correlated with the return
    assert directional_accuracy(returns, informed).p_value < 1e-6


def test_all_zero_forecast_has_no_direction():
    with pytest.raises(ValueError, match="no day"):
        directional_accuracy([0.01, -0.01], [0.0, 0.0])


def test_buy_and_hold_is_the_asset_minus_one_entry_cost():
    returns = np.array([0.01, -0.005, 0.02, 0.0])
    result = long_flat_backtest(returns, np.ones(4), cost_bps=10)
    assert result.trades == 1 and result.days_invested == 4
    expected = np.exp(returns.sum()) * (1 - 0.001) - 1
    assert result.total_return == pytest.approx(expected)


def test_costs_are_paid_on_every_switch_and_cash_earns_nothing():
    returns = np.array([0.01, 0.02, -0.03, 0.04])
    forecasts = np.array([1.0, -1.0, 1.0, -1.0])  # in, out, in, out
    free = long_flat_backtest(returns, forecasts, cost_bps=0)
    costly = long_flat_backtest(returns, forecasts, cost_bps=20)
    assert np.allclose(free.daily, [0.01, 0.0, -0.03, 0.0])
    assert free.trades == costly.trades == 4
    assert free.total_return - costly.total_return > 0
    assert np.allclose(costly.daily - free.daily, np.log1p(-0.002))


def test_a_perfect_forecast_beats_buy_and_hold_and_never_flat_is_zero():
    rng = np.random.default_rng(1)
    returns = rng.normal(0, 0.01, 500)
    perfect = long_flat_backtest(returns, returns, cost_bps=0)
    hold = long_flat_backtest(returns, np.ones(500), cost_bps=0)
    assert perfect.total_return > hold.total_return
    never = long_flat_backtest(returns, -np.ones(500))
    assert never.total_return == 0 and never.sharpe == 0 and never.trades == 0


@pytest.mark.parametrize(
    "returns, forecasts, kwargs, match",
    [
        ([0.1, 0.2], [1.0], {}, "one length"),
        ([], [], {}, "empty"),
        ([0.1, np.nan], [1.0, 1.0], {}, "finite"),
        ([0.1], [1.0], {"cost_bps": -1}, "cost_bps"),
    ],
)
def test_bad_input_is_refused(returns, forecasts, kwargs, match):
    with pytest.raises(ValueError, match=match):
        long_flat_backtest(returns, forecasts, **kwargs)
