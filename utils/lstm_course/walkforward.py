"""Walk-forward evaluation: folds that only ever train on the past.

Samples are numbered in time order: sample ``i`` uses information up to row ``i`` and its
target lies after it. Each fold has a test block and, before it, a validation block (for
early stopping and model choice) and a training block that starts at sample 0 (an
*expanding* window) or ``train_size`` samples earlier (a *rolling* window). The test
blocks follow each other and end at the last sample. A ``gap`` of samples is left out
between the parts, so a target that reaches ``gap`` steps ahead never lies in the next part.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from ._validation import non_negative_int, positive_int


class Fold(NamedTuple):
    """Sample positions (int64 arrays, increasing) of one fold."""

    train: np.ndarray
    val: np.ndarray
    test: np.ndarray


def walk_forward_folds(
    n_samples: int, *, n_folds: int, test_size: int, val_size: int,
    min_train: int, train_size: int | None = None, gap: int = 0,
) -> list[Fold]:
    """``n_folds`` folds whose test blocks tile the last ``n_folds * test_size`` samples.

    Fold ``k`` tests on ``[s_k, s_k + test_size)``, with ``s_k = n - (n_folds - k) * test_size``;
    it validates on the ``val_size`` samples ending ``gap`` before ``s_k`` and trains on
    the samples ending ``gap`` before the validation block (all of them, or the last
    ``train_size`` when given). Raises ``ValueError`` when the first fold would have fewer
    than ``min_train`` training samples.
    """
    n_samples, n_folds = positive_int("n_samples", n_samples), positive_int("n_folds", n_folds)
    test_size, val_size = positive_int("test_size", test_size), positive_int("val_size", val_size)
    min_train = positive_int("min_train", min_train)
    if train_size is not None:
        train_size = positive_int("train_size", train_size)
        if train_size < min_train:
            raise ValueError(f"train_size={train_size} is below min_train={min_train}")
    gap = non_negative_int("gap", gap)
    folds = []
    for k in range(n_folds):
        test_start = n_samples - (n_folds - k) * test_size
        val_start = test_start - gap - val_size
        train_end = val_start - gap
        train_start = 0 if train_size is None else max(0, train_end - train_size)
        if train_end - train_start < min_train:
            raise ValueError(
                f"{n_samples} samples are too few for {n_folds} folds of test_size={test_size}, "
                f"val_size={val_size}, gap={gap}: fold {k} would train on "
                f"{max(train_end - train_start, 0)} samples, fewer than min_train={min_train}"
            )
        folds.append(Fold(np.arange(train_start, train_end), np.arange(val_start, val_start
                          + val_size), np.arange(test_start, test_start + test_size)))
    return folds
