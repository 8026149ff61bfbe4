"""seed_sweep runs every setting with every seed and reports what each run returned."""

import numpy as np
import pandas as pd
import pytest

from lstm_course.sweeps import compare, paired, paired_compare, seed_sweep, summarize


def noisy_score(seed, width, depth):
    rng = np.random.default_rng(seed)
    return {"score": width * depth + rng.normal(), "width_again": float(width)}


def test_every_combination_and_seed_is_one_row_in_order():
    runs = seed_sweep(noisy_score, seeds=[3, 1], width=[1, 2], depth=[10, 20, 30])
    assert len(runs) == 2 * 3 * 2
    assert list(runs.columns) == ["width", "depth", "seed", "score", "width_again", "seconds"]
    settings = runs[["width", "depth", "seed"]].values
    assert settings[:3].tolist() == [[1, 10, 3], [1, 10, 1], [1, 20, 3]]
    expected = [noisy_score(s, w, d)["score"] for w, d, s in settings]
    np.testing.assert_array_equal(runs["score"], expected)
    assert (runs["seconds"] >= 0).all()


def test_summarize_gives_mean_and_spread_per_setting():
    runs = seed_sweep(noisy_score, seeds=[0, 1, 2, 3], width=[1, 2], depth=[5])
    summary = summarize(runs, by="width", metric="score")
    scores = runs.groupby("width")["score"]
    np.testing.assert_allclose(summary["mean"], scores.mean())
    np.testing.assert_allclose(summary["std"], scores.std(ddof=1))
    assert summary["seeds"].tolist() == [4, 4]
    assert (summary["min"] <= summary["mean"]).all() and (summary["mean"] <= summary["max"]).all()
    two_keys = summarize(runs, by=["width", "depth"], metric="score")
    assert two_keys.index.names == ["width", "depth"]


def test_no_grid_runs_the_seeds_only():
    runs = seed_sweep(lambda seed: {"twice": 2.0 * seed}, seeds=[4, 5])
    assert runs.to_dict("list")["twice"] == [8.0, 10.0]


@pytest.mark.parametrize(
    "seeds,grid,error,message",
    [
        ([], {}, ValueError, "seeds is empty"),
        ([1, 1], {}, ValueError, "distinct"),
        ([1.5], {}, TypeError, "ints"),
        ([1], {"width": []}, ValueError, "non-empty list"),
        ([1], {"width": 3}, ValueError, "non-empty list"),
        ([1], {"width": "abc"}, ValueError, "non-empty list"),
        ([1], {"seconds": [1]}, ValueError, "filled in by seed_sweep"),
    ],
)
def test_bad_sweeps_are_refused(seeds, grid, error, message):
    with pytest.raises(error, match=message):
        seed_sweep(lambda seed, **kw: {"score": 1.0}, seeds=seeds, **grid)


def test_bad_run_results_are_refused():
    with pytest.raises(TypeError, match="must return a mapping"):
        seed_sweep(lambda seed: 0.5, seeds=[0])
    with pytest.raises(TypeError, match="metrics must be numbers"):
        seed_sweep(lambda seed: {"score": "high"}, seeds=[0])
    with pytest.raises(ValueError, match="clash"):
        seed_sweep(lambda seed, width: {"width": 1.0}, seeds=[0], width=[1])
    with pytest.raises(TypeError, match="must be a function"):
        seed_sweep("train", seeds=[0])


def test_summarize_refuses_unknown_columns():
    runs = pd.DataFrame({"kind": ["a"], "seed": [0], "score": [1.0]})
    with pytest.raises(ValueError, match=r"\['loss'\]"):
        summarize(runs, by="kind", metric="loss")
    with pytest.raises(TypeError, match="DataFrame"):
        summarize(runs.to_dict(), by="kind", metric="score")


def _summary(means, stds):
    return pd.DataFrame({"mean": means, "std": stds}, index=list("abc"))


def test_compare_needs_a_gap_larger_than_both_spreads():
    summary = _summary([1.0, 0.7, 1.25], [0.1, 0.1, 0.1])
    # b is 0.3 below a (> 0.2, better); c is 0.25 above (> 0.2, worse)
    assert compare(summary, "a").to_dict() == {"a": "reference", "b": "better", "c": "worse"}
    wide = _summary([1.0, 0.7, 1.25], [0.1, 0.25, 0.2])
    assert compare(wide, "a").to_dict() == {
        "a": "reference", "b": "within spread", "c": "within spread"}


def test_compare_for_scores_where_higher_is_better():
    summary = _summary([0.8, 0.9, 0.5], [0.01, 0.01, 0.01])
    assert compare(summary, "a", lower_is_better=False).to_dict() == {
        "a": "reference", "b": "better", "c": "worse"}


def test_compare_works_on_a_summarize_table_with_tuple_keys():
    runs = seed_sweep(lambda seed, width, depth: {"score": width + 0.01 * seed},
                      seeds=[0, 1, 2], width=[1, 2], depth=[3])
    verdict = compare(summarize(runs, by=["width", "depth"], metric="score"), (1, 3))
    assert verdict.to_dict() == {(1, 3): "reference", (2, 3): "worse"}


def test_compare_refuses_bad_input():
    with pytest.raises(ValueError, match="not a row"):
        compare(_summary([1, 2, 3], [0.1, 0.1, 0.1]), "z")
    with pytest.raises(ValueError, match="one seed"):
        compare(_summary([1, 2, 3], [0.1, np.nan, 0.1]), "a")
    with pytest.raises(TypeError, match="from summarize"):
        compare(pd.DataFrame({"mean": [1.0]}), 0)


def test_paired_differences_remove_the_shared_seed_effect():
    seed_effect = pd.Series([10.0, -10.0, 3.0], index=[7, 8, 9])  # the same on both sides
    reference = seed_effect + 5.0
    variant = seed_effect + pd.Series([4.0, 4.2, 3.8], index=[7, 8, 9])
    comparison = paired(variant, reference)
    np.testing.assert_allclose(comparison.differences, [-1.0, -0.8, -1.2])
    assert comparison.mean == pytest.approx(-1.0)
    assert comparison.std == pytest.approx(0.2)
    assert comparison.standard_error == pytest.approx(0.2 / np.sqrt(3))
    assert comparison.every_seed and comparison.verdict == "better"
    # an unpaired comparison of the same numbers would call it within the spread
    assert abs(variant.mean() - reference.mean()) < variant.std() + reference.std()
    assert paired(variant, reference, lower_is_better=False).verdict == "worse"
    assert not paired(variant, reference, lower_is_better=False).every_seed
    assert "-1.000 ± 0.200 MW" in comparison.describe("MW")


def test_paired_pairs_by_seed_not_by_position():
    reference = pd.Series([1.0, 2.0, 3.0], index=[0, 1, 2])
    variant = pd.Series([3.5, 1.5, 2.5], index=[2, 0, 1])  # each seed 0.5 above its reference
    np.testing.assert_allclose(paired(variant, reference).differences.sort_index(), [0.5] * 3)
    assert paired(variant, reference).verdict == "worse"


def test_a_difference_smaller_than_its_spread_is_within_spread():
    reference = pd.Series([0.0, 0.0, 0.0, 0.0])
    variant = pd.Series([1.0, -1.0, 2.0, -1.5])
    assert paired(variant, reference).verdict == "within spread"


@pytest.mark.parametrize(
    "variant,reference,error,message",
    [
        (pd.Series([1.0, 2.0], index=[0, 1]), pd.Series([1.0, 2.0], index=[0, 2]), ValueError,
         "not paired"),
        (pd.Series([1.0]), pd.Series([2.0]), ValueError, "at least two seeds"),
        (pd.Series([1.0, np.nan]), pd.Series([2.0, 3.0]), ValueError, "finite"),
        (pd.Series([1.0, 2.0], index=[0, 0]), pd.Series([1.0, 2.0]), ValueError, "repeated"),
        ([1.0, 2.0], pd.Series([1.0, 2.0]), TypeError, "Series indexed by seed"),
    ],
)
def test_bad_pairs_are_refused(variant, reference, error, message):
    with pytest.raises(error, match=message):
        paired(variant, reference)


def test_paired_compare_gives_one_row_per_variant():
    def run(seed, variant):
        shift = {"none": 0.0, "small": 0.01, "large": -1.0}[variant]
        return {"MAE": 5.0 + seed + shift}  # the seed moves every variant alike

    runs = seed_sweep(run, seeds=[0, 3, 5], variant=["none", "small", "large"])
    table = paired_compare(runs, "MAE", by="variant", reference="none")
    assert list(table.index) == ["none", "small", "large"]
    assert table["verdict"].tolist() == ["reference", "worse", "better"]
    np.testing.assert_allclose(table.loc["large", ["mean", "min", "max"]].astype(float), -1.0)
    assert table.loc["large", "every seed"] and table.loc["large", "seeds"] == 3
    # unpaired, the seed spread (std 2.5) would hide both differences
    assert compare(summarize(runs, by="variant", metric="MAE"), "none").tolist() == [
        "reference", "within spread", "within spread"]


def test_paired_compare_pairs_combinations_of_several_columns():
    def run(seed, units, layers):
        return {"MAE": 5.0 + seed - 0.5 * (units == 64) + 0.01 * layers}

    runs = seed_sweep(run, seeds=[0, 4], units=[16, 64], layers=[1, 2])
    table = paired_compare(runs, "MAE", by=["units", "layers"], reference=(16, 1))
    assert table.index.names == ["units", "layers"]
    assert list(table.index) == [(16, 1), (16, 2), (64, 1), (64, 2)]
    assert table["verdict"].tolist() == ["reference", "worse", "better", "better"]
    np.testing.assert_allclose(table.loc[(64, 2), "mean"], -0.49)
    with pytest.raises(ValueError, match="not a value"):
        paired_compare(runs, "MAE", by=["units", "layers"], reference=(32, 1))


def test_paired_compare_refuses_unpaired_sweeps():
    runs = pd.DataFrame({"seed": [0, 1, 0], "variant": ["a", "a", "b"], "MAE": [1.0, 2.0, 3.0]})
    with pytest.raises(ValueError, match="not paired"):
        paired_compare(runs, "MAE", by="variant", reference="a")
    with pytest.raises(ValueError, match="not a value"):
        paired_compare(runs, "MAE", by="variant", reference="c")
    with pytest.raises(ValueError, match="twice"):
        paired_compare(pd.concat([runs, runs]), "MAE", by="variant", reference="a")
