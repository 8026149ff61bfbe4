import numpy as np
import pandas as pd
import pytest

from lstm_course.textdata import split_texts


def _corpus(n=200, seed=0):
    rng = np.random.default_rng(seed)
    labels = pd.Categorical(rng.choice(["neg", "pos", "neu"], size=n, p=[0.6, 0.25, 0.15]),
                            categories=["neg", "neu", "pos"])
    texts = [f"text {i} {label}" for i, label in enumerate(labels)]
    return texts, labels


def test_parts_are_disjoint_cover_everything_and_keep_class_shares():
    texts, labels = _corpus()
    splits = split_texts(texts, labels, val_fraction=0.2, test_fraction=0.2, seed=1)
    parts = [splits.train, splits.val, splits.test]
    joined = np.concatenate([p.texts for p in parts])
    assert len(joined) == len(set(joined)) == 200
    assert [len(p.texts) for p in parts] == [120, 40, 40]
    whole = np.bincount(labels.codes, minlength=3) / 200
    for part in parts:
        share = np.bincount(part.labels, minlength=3) / len(part.labels)
        assert np.abs(share - whole).max() < 0.05
        # each text keeps its own label
        pairs = zip(part.texts, part.labels, strict=True)
        assert all(t.endswith(splits.classes[c]) for t, c in pairs)
    assert splits.classes == ("neg", "neu", "pos") and splits.duplicates_removed == 0


def test_repeated_texts_are_removed_before_splitting_so_none_crosses_parts():
    texts, labels = _corpus()
    texts = texts + texts[:30]
    labels = pd.Categorical(list(labels) + list(labels[:30]), categories=labels.categories)
    splits = split_texts(texts, labels)
    assert splits.duplicates_removed == 30
    train, val, test = (set(p.texts) for p in splits[:3])
    assert not (train & test) and not (train & val) and not (val & test)
    assert len(train | val | test) == 200


def test_same_seed_same_split_other_seed_other_split():
    texts, labels = _corpus()
    a, b = split_texts(texts, labels, seed=3), split_texts(texts, labels, seed=3)
    c = split_texts(texts, labels, seed=4)
    assert list(a.test.texts) == list(b.test.texts)
    assert list(a.test.texts) != list(c.test.texts)


def test_categorical_series_is_accepted():
    texts, labels = _corpus()
    splits = split_texts(pd.Series(texts), pd.Series(labels))
    assert len(splits.train.texts) + len(splits.val.texts) + len(splits.test.texts) == 200


@pytest.mark.parametrize(
    "kwargs, error, match",
    [
        ({"labels": ["neg", "pos"] * 100}, TypeError, "Categorical"),
        ({"texts": ["a"] * 199}, ValueError, "199 texts but 200 labels"),
        ({"texts": [1] * 200}, TypeError, "must all be str"),
        ({"val_fraction": 0}, ValueError, "strictly between"),
        ({"test_fraction": True}, TypeError, "number"),
        ({"val_fraction": 0.5, "test_fraction": 0.5}, ValueError, "< 1"),
    ],
)
def test_bad_arguments_are_refused(kwargs, error, match):
    texts, labels = _corpus()
    args = {"texts": texts, "labels": labels, **kwargs}
    with pytest.raises(error, match=match):
        split_texts(args.pop("texts"), args.pop("labels"), **args)


def test_missing_labels_and_tiny_classes_are_refused():
    texts, labels = _corpus()
    with pytest.raises(ValueError, match="missing"):
        split_texts(texts, pd.Categorical(["neg"] * 199 + [None], categories=["neg", "pos"]))
    with pytest.raises(ValueError, match="at least 3"):
        split_texts(texts, pd.Categorical(["neg"] * 198 + ["pos"] * 2, categories=["neg", "pos"]))
