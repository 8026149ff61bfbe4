"""Labelled texts split into train, validation and test parts for classification.

``split_texts`` removes repeated texts first (otherwise a text can land in the training and
the test part at once, and the test score measures memory), then makes a stratified random
split: every part keeps the class proportions of the whole set.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np
import pandas as pd


class TextPart(NamedTuple):
    """One part of a split: ``texts`` (n,) str objects, ``labels`` (n,) int64 class codes."""

    texts: np.ndarray
    labels: np.ndarray


class TextSplits(NamedTuple):
    train: TextPart
    val: TextPart
    test: TextPart
    classes: tuple[str, ...]  # class code i is classes[i]
    duplicates_removed: int  # repeated texts dropped before splitting (first copy kept)


def _fraction(name: str, value) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise TypeError(f"{name} must be a number, got {value!r}")
    if not 0 < value < 1:
        raise ValueError(f"{name} must be strictly between 0 and 1, got {value}")
    return float(value)


def split_texts(
    texts, labels, *, val_fraction: float = 0.15, test_fraction: float = 0.15, seed: int = 13
) -> TextSplits:
    """Deduplicate, then split stratified by label into train/val/test.

    Args:
        texts: sequence of ``str`` (a list, array or Series), one document each.
        labels: ``pd.Categorical`` or categorical ``pd.Series`` of the same length; its
            categories, in order, become the class codes 0, 1, ...
        val_fraction, test_fraction: shares of the deduplicated texts, each in (0, 1),
            together < 1.
        seed: seed of the shuffle (the same seed gives the same split).
    """
    from sklearn.model_selection import train_test_split

    val_fraction = _fraction("val_fraction", val_fraction)
    test_fraction = _fraction("test_fraction", test_fraction)
    if val_fraction + test_fraction >= 1:
        raise ValueError(
            f"val_fraction + test_fraction must be < 1, got {val_fraction + test_fraction:g}"
        )
    if isinstance(labels, pd.Series) and isinstance(labels.dtype, pd.CategoricalDtype):
        labels = labels.array
    if not isinstance(labels, pd.Categorical):
        raise TypeError(
            f"labels must be a pandas Categorical (or categorical Series), got "
            f"{type(labels).__name__}; use pd.Categorical(values, categories=[...])"
        )
    texts = np.asarray(list(texts), dtype=object)
    if len(texts) != len(labels):
        raise ValueError(f"{len(texts)} texts but {len(labels)} labels")
    not_str = [i for i, t in enumerate(texts) if not isinstance(t, str)]
    if not_str:
        raise TypeError(f"texts must all be str; position {not_str[0]} is "
                        f"{type(texts[not_str[0]]).__name__}")
    codes = np.asarray(labels.codes, dtype=np.int64)
    if (codes < 0).any():
        raise ValueError(f"{int((codes < 0).sum())} labels are missing (NaN) or outside "
                         f"the categories {list(labels.categories)}")
    keep = ~pd.Series(texts).duplicated(keep="first").to_numpy()
    texts, codes = texts[keep], codes[keep]
    counts = np.bincount(codes, minlength=len(labels.categories))
    if (counts < 3).any():
        raise ValueError(f"every class needs at least 3 texts to be stratified, got {counts}")
    index = np.arange(len(texts))
    rest_fraction = val_fraction + test_fraction
    train, rest = train_test_split(index, test_size=rest_fraction, stratify=codes,
                                   random_state=seed)
    val, test = train_test_split(rest, test_size=test_fraction / rest_fraction,
                                 stratify=codes[rest], random_state=seed)
    parts = [TextPart(texts[i], codes[i]) for i in (train, val, test)]
    return TextSplits(*parts, classes=tuple(str(c) for c in labels.categories),
                      duplicates_removed=int((~keep).sum()))
