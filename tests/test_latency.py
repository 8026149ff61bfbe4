"""lstm_course.latency: growth exponents, and latency/memory measured in a fresh process."""

import numpy as np
import pandas as pd
import pytest

from lstm_course import latency


def test_growth_exponent_recovers_powers():
    n = np.array([100, 200, 400, 800])
    assert latency.growth_exponent(n, 3.0 * n) == pytest.approx(1.0)
    assert latency.growth_exponent(n, 0.5 * n**2) == pytest.approx(2.0)
    assert latency.growth_exponent(n, np.full(4, 7.0)) == pytest.approx(0.0, abs=1e-12)


@pytest.mark.parametrize("lengths,values,message", [
    ([1, 2], [1.0], "same length"),
    ([4], [2.0], "at least 2"),
    ([1, 2], [0.0, 1.0], "positive"),
    ([3, 3], [1.0, 2.0], "two different lengths"),
])
def test_growth_exponent_refuses_bad_input(lengths, values, message):
    with pytest.raises(ValueError, match=message):
        latency.growth_exponent(lengths, values)


def test_round_exponent_cancels_a_slowdown_shared_by_a_round():
    lengths = [1000, 2000, 4000]
    # the machine's speed drifts from round to round; within a round every call is linear
    speed = [1.0, 1.8, 0.7, 1.3, 2.5]
    table = pd.DataFrame({"length": lengths,
                          "latency ms by round": [[0.01 * n * s for s in speed] for n in lengths]})
    assert latency.round_exponent(table) == pytest.approx(1.0)
    # measured one length after another, the same drift can bend the fitted slope
    sequential = [0.01 * n * s for n, s in zip(lengths, [0.7, 1.0, 2.5], strict=True)]
    assert latency.growth_exponent(lengths, sequential) > 1.5
    uneven = pd.DataFrame({"length": lengths, "latency ms by round": [
        [1.0, 2.0], *table["latency ms by round"].iloc[1:]]})  # one length lost a round
    with pytest.raises(ValueError, match="same number of rounds"):
        latency.round_exponent(uneven)
    with pytest.raises(TypeError, match="measure_by_length table"):
        latency.round_exponent(table[["length"]])


@pytest.mark.parametrize("kwargs,message", [
    ({"lengths": [64, 32]}, "strictly increasing"),
    ({"lengths": []}, "lengths must be positive ints, got none"),
    ({"lengths": 8}, "non-empty list of positive ints"),
    ({"lengths": [0, 5]}, "lengths must be a positive int, got 0"),
    ({"lengths": [8], "batch": 0}, "batch must be a positive int"),
    ({"lengths": [8], "repeats": 1.5}, "repeats must be a positive int"),
])
def test_measure_by_length_refuses_bad_arguments(kwargs, message):
    with pytest.raises(ValueError, match=message):
        latency.measure_by_length("lstm_course.models:lstm_forecaster", **kwargs)


@pytest.mark.parametrize("builder,message", [
    ("lstm_course.models.lstm_forecaster", "'module:function'"),
    ("lstm_course.models:no_such_builder", "has no function"),
])
def test_measure_by_length_refuses_unknown_builders(builder, message):
    with pytest.raises(ValueError, match=message):
        latency.measure_by_length(builder, lengths=[8])


@pytest.mark.slow
def test_measure_by_length_reports_a_childs_failure():
    with pytest.raises(RuntimeError, match="failed"):  # units=0 is refused in the child
        latency.measure_by_length("lstm_course.models:lstm_forecaster", lengths=[8],
                                kwargs={"units": 0})


@pytest.mark.slow
def test_attention_memory_grows_faster_than_the_lstms():
    """One fresh process per model (about 5 s each): the n x n weights dominate at length 2048."""
    lengths = [256, 1024, 2048]
    lstm = latency.measure_by_length("lstm_course.models:lstm_forecaster", lengths=lengths,
                                   kwargs={"units": 8}, repeats=2)
    transformer = latency.measure_by_length(
        "lstm_course.models:transformer_forecaster", lengths=lengths,
        kwargs={"d_model": 8, "num_heads": 2, "ff_units": 8}, repeats=2)
    for table in (lstm, transformer):
        assert list(table["length"]) == lengths
        assert (table["latency ms"] > 0).all() and (table["peak memory MiB"] >= 0).all()
        # one call per length per round; the fastest of them is the latency
        assert table["latency ms by round"].map(len).eq(2).all()
        assert (table["latency ms"] == table["latency ms by round"].map(min)).all()
    # two heads x 2048 x 2048 float32 weights are 32 MiB; the LSTM keeps one small state
    assert transformer["peak memory MiB"].iloc[-1] > 32
    assert lstm["peak memory MiB"].iloc[-1] < 8
    assert transformer["peak memory MiB"].is_monotonic_increasing
