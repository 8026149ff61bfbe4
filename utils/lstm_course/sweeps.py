"""Repeat an experiment over seeds (and a grid of settings) and summarise the spread.

One training run is one sample: a difference between two models that is smaller than the
spread across seeds is not a finding. ``seed_sweep`` calls ``run(seed=..., **settings)``
for every seed and every combination of the grid and returns one row per call;
``summarize`` reduces the rows to mean, standard deviation, min and max per setting, and
``compare`` says which settings differ from a reference by more than their spread. When
both models were trained on the same seeds, ``paired`` (two series indexed by seed) and
``paired_compare`` (a sweep table) compare them seed by seed, which removes the part of the
spread that the seed gives both sides::

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
import math
import numbers
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

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
        A DataFrame with one row per call, holding the settings, ``seed``, each metric, and
        ``seconds`` (wall time of the call).
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


@dataclass(frozen=True)
class PairedComparison:
    """A variant against a reference trained on the same seeds.

    ``differences`` is variant minus reference, one value per seed (the metric's unit).
    ``verdict`` is ``"better"`` or ``"worse"`` only when the mean difference is larger than
    the standard deviation of the differences (the seed-to-seed spread of the pair), else
    ``"within spread"``; ``every_seed`` is True when every seed moved in the better direction.
    """

    differences: pd.Series
    lower_is_better: bool

    @property
    def mean(self) -> float:
        return float(self.differences.mean())

    @property
    def std(self) -> float:
        """Standard deviation of the per-seed differences (ddof=1)."""
        return float(self.differences.std())

    @property
    def standard_error(self) -> float:
        """The uncertainty of the mean difference, ``std / sqrt(number of seeds)``."""
        return self.std / math.sqrt(len(self.differences))

    @property
    def improvement(self) -> pd.Series:
        """Per-seed differences signed so that positive means the variant is better."""
        return -self.differences if self.lower_is_better else self.differences

    @property
    def every_seed(self) -> bool:
        return bool((self.improvement > 0).all())

    @property
    def verdict(self) -> str:
        if abs(self.mean) <= self.std:
            return "within spread"
        return "better" if self.improvement.mean() > 0 else "worse"

    def describe(self, unit: str = "", digits: int = 3) -> str:
        """One line: per-seed differences, mean ± std, standard error and the verdict."""
        unit = f" {unit}" if unit else ""
        values = ", ".join(f"{v:+.{digits}f}" for v in self.differences)
        return (f"variant - reference per seed: {values}{unit}; mean {self.mean:+.{digits}f} "
                f"± {self.std:.{digits}f}{unit} (std over {len(self.differences)} seeds, "
                f"standard error {self.standard_error:.{digits}f}): {self.verdict}")


def paired(variant: pd.Series, reference: pd.Series, *, lower_is_better: bool = True
           ) -> PairedComparison:
    """Compare two metric series indexed by seed, seed by seed (variant minus reference).

    Both series must hold the same seeds (at least two) and only finite numbers: a missing
    seed or a NaN would make the pairing silently wrong, so it is refused.
    """
    for name, series in (("variant", variant), ("reference", reference)):
        if not isinstance(series, pd.Series):
            raise TypeError(f"{name} must be a pandas Series indexed by seed, got "
                            f"{type(series).__name__}")
        if not series.index.is_unique:
            raise ValueError(f"{name} has repeated seeds: {list(series.index)}")
        if not pd.api.types.is_numeric_dtype(series) or not series.map(math.isfinite).all():
            raise ValueError(f"{name} must hold finite numbers, got {series.tolist()}")
    if set(variant.index) != set(reference.index):
        raise ValueError(f"not paired: variant seeds {sorted(variant.index)} differ from "
                         f"reference seeds {sorted(reference.index)}")
    if len(variant) < 2:
        raise ValueError("a paired comparison needs at least two seeds to measure its spread")
    differences = (variant - reference.loc[variant.index]).astype(float)
    differences.name = "variant - reference"
    return PairedComparison(differences, bool(lower_is_better))


def paired_compare(runs: pd.DataFrame, metric: str, *, by: str | Sequence[str], reference,
                   lower_is_better: bool = True) -> pd.DataFrame:
    """``paired`` for every value of ``by`` against ``reference``, on a ``seed_sweep`` table.

    ``by`` is one column, or a list of columns whose combinations are the variants (then
    ``reference`` is a tuple, e.g. ``(units, layers)``). Returns one row per variant (in order
    of appearance): mean, std, standard error, min and max of the per-seed difference (row
    minus reference, the metric's unit), the number of seeds, ``every seed`` (all seeds
    better) and the verdict; the reference row's verdict is ``"reference"``.
    """
    if not isinstance(runs, pd.DataFrame):
        raise TypeError(f"runs must be the DataFrame from seed_sweep, got {type(runs).__name__}")
    columns = [by] if isinstance(by, str) else list(by)
    missing = [c for c in ("seed", *columns, metric) if c not in runs.columns]
    if missing:
        raise ValueError(f"columns {missing} are not in the runs (columns: {list(runs.columns)})")
    if runs.duplicated(["seed", *columns]).any():
        raise ValueError(f"some (seed, {', '.join(columns)}) combinations appear twice: one row "
                         "per seed and variant")
    wide = runs.pivot(index="seed", columns=columns if len(columns) > 1 else columns[0],
                      values=metric)
    variants = (list(runs[columns[0]].drop_duplicates()) if len(columns) == 1 else
                list(runs[columns].drop_duplicates().itertuples(index=False, name=None)))
    if reference not in variants:
        raise ValueError(f"reference {reference!r} is not a value of {by!r}: {variants}")
    rows = []
    for value in variants:
        if value == reference:
            rows.append({"mean": 0.0, "std": 0.0, "standard error": 0.0, "min": 0.0,
                         "max": 0.0, "seeds": int(wide[value].notna().sum()),
                         "every seed": False, "verdict": "reference"})
            continue
        comparison = paired(wide[value].dropna(), wide[reference].dropna(),
                            lower_is_better=lower_is_better)
        rows.append({"mean": comparison.mean, "std": comparison.std,
                     "standard error": comparison.standard_error,
                     "min": float(comparison.differences.min()),
                     "max": float(comparison.differences.max()),
                     "seeds": len(comparison.differences),
                     "every seed": comparison.every_seed, "verdict": comparison.verdict})
    index = (pd.Index(variants, name=columns[0]) if len(columns) == 1
             else pd.MultiIndex.from_tuples(variants, names=columns))
    return pd.DataFrame(rows, index=index)
