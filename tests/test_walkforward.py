import numpy as np
import pytest

from lstm_course.walkforward import walk_forward_folds


@pytest.mark.parametrize("train_size", [None, 500])
@pytest.mark.parametrize("gap", [0, 1, 5])
def test_folds_never_train_or_validate_on_their_test_block(train_size, gap):
    folds = walk_forward_folds(3000, n_folds=4, test_size=250, val_size=200, min_train=400,
                               train_size=train_size, gap=gap)
    assert len(folds) == 4
    tests = np.concatenate([f.test for f in folds])
    assert np.array_equal(tests, np.arange(2000, 3000))  # test blocks tile the end
    for fold in folds:
        assert fold.train.max() + gap < fold.val.min()
        assert fold.val.max() + gap < fold.test.min()
        assert len(fold.val) == 200 and len(fold.test) == 250
        assert np.all(np.diff(fold.train) == 1)
        if train_size is None:
            assert fold.train[0] == 0
        else:
            assert len(fold.train) == 500


def test_expanding_folds_grow_by_one_test_block():
    folds = walk_forward_folds(1000, n_folds=3, test_size=100, val_size=50, min_train=100)
    assert [len(f.train) for f in folds] == [650, 750, 850]


def test_too_little_data_is_refused_with_the_numbers():
    with pytest.raises(ValueError, match="fold 0 would train on 50 samples"):
        walk_forward_folds(600, n_folds=5, test_size=100, val_size=50, min_train=60)


@pytest.mark.parametrize(
    "kwargs, match",
    [
        ({"n_folds": 0}, "n_folds"),
        ({"test_size": 2.5}, "test_size"),
        ({"gap": -1}, "gap"),
        ({"gap": True}, "gap"),
        ({"train_size": 50}, "below min_train"),
    ],
)
def test_bad_arguments_are_refused(kwargs, match):
    args = {"n_folds": 2, "test_size": 100, "val_size": 50, "min_train": 100, **kwargs}
    with pytest.raises(ValueError, match=match):
        walk_forward_folds(1000, **args)
