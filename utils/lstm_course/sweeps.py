"""Repeat an experiment over seeds (and a grid of settings) and summarise the spread.

One training run is one sample: a difference between two models that is smaller than the
spread across seeds is not a finding. ``seed_sweep`` calls ``run(seed=..., **settings)``
for every seed and every combination of the grid and returns one row per call;
``summarize`` reduces the rows to mean, standard deviation, min and max per setting, and
``compare`` says which settings differ from a reference by more than their spread::

    def run(seed, kind, length):
        keras.utils.set_random_seed(seed)   # the run seeds everything it uses
        ...
        return {"R2": r2}

    runs = seed_sweep(run, seeds=[0, 1, 2], kind=["GRU", "LSTM"], length=[10, 40])
    summary = summarize(runs, by=["kind", "length"], metric="R2")
    compare(summary, reference=("LSTM", 10), lower_is_better=False)
"""

from __future__ import annotations

import itertools
import numbers
import time
from collections.abc import Callable, Mapping, Sequence

import pandas as pd


def seed_sweep(
    run: Callable[..., Mapping[str, float]], seeds: Sequence[int], **grid: Sequence
) -> pd.DataFrame:
    """Call ``run(seed=seed, **settings)`` for each grid combination and each seed.

    Args:
        run: returns a mapping ``metric name -> number`` for one run; it must seed every
            random source it uses from its ``seed`` argument.
        seeds: distinct int seeds.
        grid: setting name -> the values to try (the Cartesian product is run, in order).

    Returns:
        One row per call: the settings, ``seed``, each metric, and ``seconds`` (wall time
        of the call).
    """
    if not callable(run):
        raise TypeError(f"run must be a function, got {type(run).__name__}")
    seeds = list(seeds)
    if not seeds:
        raise ValueError("seeds is empty: give at least one seed (several, to see the spread)")
    if any(isinstance(s, bool) or not isinstance(s, numbers.Integral) for s in seeds):
        raise TypeError(f"seeds must be ints, got {seeds!r}")
    if len(set(seeds)) != len(seeds):
        raise ValueError(f"seeds must be distinct, got {seeds!r}")
    for name, values in grid.items():
        if name in ("seed", "seconds"):
            raise ValueError(f"{name!r} is filled in by seed_sweep; rename the setting")
        if isinstance(values, (str, bytes)) or not isinstance(values, Sequence) or not values:
            raise ValueError(f"grid setting {name!r} needs a non-empty list of values: {values!r}")
    rows = []
    for combination in itertools.product(*grid.values()):
        settings = dict(zip(grid, combination, strict=True))
        for seed in seeds:
            start = time.perf_counter()
            metrics = run(seed=seed, **settings)
            seconds = time.perf_counter() - start
            if not isinstance(metrics, Mapping):
                raise TypeError(
                    f"run must return a mapping of metric names to numbers, got "
                    f"{type(metrics).__name__} for {settings | {'seed': seed}}"
                )
            clash = set(metrics) & (set(settings) | {"seed", "seconds"})
            if clash:
                raise ValueError(f"metric names {sorted(clash)} clash with the sweep's columns")
            bad = {k: v for k, v in metrics.items() if not isinstance(v, numbers.Real)}
            if bad:
                where = settings | {"seed": seed}
                raise TypeError(f"metrics must be numbers, got {bad} for {where}")
            rows.append({**settings, "seed": seed, **metrics, "seconds": seconds})
    return pd.DataFrame(rows)


def summarize(runs: pd.DataFrame, by: str | Sequence[str], metric: str) -> pd.DataFrame:
    """Mean, standard deviation (ddof=1), min, max and number of seeds of ``metric`` per group."""
    if not isinstance(runs, pd.DataFrame):
        raise TypeError(f"runs must be the DataFrame from seed_sweep, got {type(runs).__name__}")
    by = [by] if isinstance(by, str) else list(by)
    missing = [c for c in [*by, metric] if c not in runs.columns]
    if missing:
        raise ValueError(f"columns {missing} are not in the runs (columns: {list(runs.columns)})")
    grouped = runs.groupby(by, sort=False)[metric]
    summary = grouped.agg(["mean", "std", "min", "max", "count"])
    return summary.rename(columns={"count": "seeds"})


def compare(summary: pd.DataFrame, reference, *, lower_is_better: bool = True) -> pd.Series:
    """Verdict of each row of a ``summarize`` table against the ``reference`` row.

    A row is ``"better"`` or ``"worse"`` only when its mean differs from the reference's
    mean by more than the sum of the two standard deviations; otherwise it is
    ``"within spread"`` (one run could have told either story). The reference row itself
    gets ``"reference"``. ``lower_is_better`` says which direction is better (True for
    errors such as MAE, False for accuracies).
    """
    if not isinstance(summary, pd.DataFrame) or not {"mean", "std"} <= set(summary.columns):
        raise TypeError("summary must be the DataFrame from summarize, with 'mean' and 'std'")
    if reference not in summary.index:
        raise ValueError(f"reference {reference!r} is not a row of the summary: "
                         f"{list(summary.index)}")
    if summary["std"].isna().any():
        single = list(summary.index[summary["std"].isna()])
        raise ValueError(f"rows {single} have no spread (one seed): run several seeds")
    base = summary.loc[reference]
    difference = summary["mean"] - base["mean"]
    if not lower_is_better:
        difference = -difference
    beyond = difference.abs() > summary["std"] + base["std"]
    verdict = pd.Series("within spread", index=summary.index, name=f"vs {reference}")
    verdict[beyond & (difference < 0)] = "better"
    verdict[beyond & (difference > 0)] = "worse"
    verdict[reference] = "reference"
    return verdict
