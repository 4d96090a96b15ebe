"""The adopt-or-refuse rule, the cross-validation folds and the held-back split (pure)."""

import numpy as np
import pytest

from digitpad.net.adoption import (
    MAX_MNIST_DROP,
    MIN_SAMPLES,
    NotEnoughSamplesError,
    Scores,
    cv_folds,
    decide,
    sign_test,
    split_holdout,
)


def scores(right: list[bool], mnist: float = 0.9930, loss: float | None = None) -> Scores:
    """Scores of drawings read right or wrong (loss 0.05 when right, 3 when wrong)."""
    right_array = np.asarray(right, dtype=bool)
    losses = np.where(right_array, 0.05, 3.0)
    if loss is not None:
        losses = np.full(len(right), loss)
    return Scores(
        user_accuracy=float(right_array.mean()),
        user_loss=float(losses.mean()),
        mnist_accuracy=mnist,
        right=right_array,
        losses=losses,
    )


# Memory alone reads 30 drawings: the first 8 wrong.
MEMORY_ALONE = [False] * 8 + [True] * 22


def test_adopts_a_clear_win_that_keeps_mnist():
    after = [True] * 6 + [False] * 2 + [True] * 22  # fixes 6, breaks none
    decision = decide(scores(MEMORY_ALONE), scores(after, mnist=0.9930 - MAX_MNIST_DROP))
    assert decision.adopt
    assert (decision.fixed, decision.broken) == (6, 0)
    assert decision.p_value == pytest.approx(1 / 64)
    assert "Adopted" in decision.reason


def test_refuses_a_network_worse_on_cross_validation():
    after = [False] * 8 + [False] * 3 + [True] * 19  # fixes nothing, breaks 3
    decision = decide(scores(MEMORY_ALONE), scores(after))
    assert not decision.adopt
    assert (decision.fixed, decision.broken) == (0, 3)
    assert "not clearly better" in decision.reason


def test_refuses_when_adapting_does_not_beat_the_memory_alone():
    # Better than the network without the memory would be no argument: the
    # comparison is with the memory, and a tie is no win.
    decision = decide(scores(MEMORY_ALONE), scores(MEMORY_ALONE, loss=0.01))
    assert not decision.adopt
    assert (decision.fixed, decision.broken) == (0, 0)


def test_refuses_a_gain_that_chance_explains():
    # 4 fixed, 1 broken: 19% likely with a fair coin.
    after = [True] * 4 + [False] * 4 + [False] + [True] * 21
    decision = decide(scores(MEMORY_ALONE), scores(after))
    assert not decision.adopt
    assert decision.p_value == pytest.approx(6 / 32)
    assert "chance" in decision.reason


def test_refuses_when_mnist_drops_too_far_however_good_for_the_user():
    after = [True] * 30
    decision = decide(scores(MEMORY_ALONE), scores(after, mnist=0.9930 - MAX_MNIST_DROP - 0.0001))
    assert not decision.adopt
    assert "MNIST" in decision.reason
    assert (decision.fixed, decision.broken) == (8, 0)  # still reported


def test_refuses_a_win_with_a_worse_loss():
    after = [True] * 8 + [True] * 22
    before = scores(MEMORY_ALONE, loss=0.1)
    decision = decide(before, scores(after, loss=0.2))
    assert not decision.adopt
    assert "less sure" in decision.reason


def test_refuses_without_per_drawing_results():
    decision = decide(Scores(0.5, 1.0, 0.993), Scores(1.0, 0.1, 0.993))
    assert not decision.adopt


def test_sign_test():
    assert sign_test(0, 0) == 1.0
    assert sign_test(5, 0) == pytest.approx(1 / 32)
    assert sign_test(3, 3) == pytest.approx(42 / 64)
    assert sign_test(0, 4) == 1.0


def test_folds_cover_every_drawing_once_with_the_digits_spread():
    labels = np.repeat(np.arange(10), [7, 1, 2, 3, 4, 5, 6, 7, 8, 9])
    folds = cv_folds(labels, 3, seed=4)
    assert len(folds) == 3
    joined = np.concatenate(folds)
    assert sorted(joined.tolist()) == list(range(len(labels)))
    sizes = sorted(len(fold) for fold in folds)
    assert sizes[-1] - sizes[0] <= 1
    for digit in range(10):
        counts = [int(np.sum(labels[fold] == digit)) for fold in folds]
        assert max(counts) - min(counts) <= 1
    again = cv_folds(labels, 3, seed=4)
    assert all(np.array_equal(a, b) for a, b in zip(folds, again, strict=True))


def test_folds_need_enough_drawings():
    with pytest.raises(NotEnoughSamplesError, match=f"at least {MIN_SAMPLES}.*there are 4"):
        cv_folds(np.arange(4) % 10)
    with pytest.raises(ValueError, match="2 folds"):
        cv_folds(np.arange(12) % 10, folds=1)


def test_split_holds_back_a_fifth_of_each_digit():
    labels = np.repeat(np.arange(10), 5)
    train, held = split_holdout(labels, 0.2, seed=1)
    assert len(held) == 10
    assert sorted(labels[held].tolist()) == list(range(10))
    assert set(train) | set(held) == set(range(50))
    assert not set(train) & set(held)


def test_split_needs_enough_drawings():
    with pytest.raises(NotEnoughSamplesError, match=f"at least {MIN_SAMPLES}.*there are 4"):
        split_holdout(np.arange(4) % 10)
    with pytest.raises(NotEnoughSamplesError, match="two or more drawings"):
        split_holdout(np.arange(10))
