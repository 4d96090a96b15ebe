"""The adopt-or-refuse rules and the held-back split (pure, no model)."""

import numpy as np
import pytest

from digitpad.net.adoption import (
    MAX_MNIST_DROP,
    MIN_SAMPLES,
    NotEnoughSamplesError,
    Scores,
    decide,
    split_holdout,
)


def test_split_holds_back_a_fifth_of_each_digit():
    labels = np.repeat(np.arange(10), 5)
    train, held = split_holdout(labels, 0.2, seed=1)
    assert len(held) == 10
    assert sorted(labels[held].tolist()) == list(range(10))
    assert set(train) | set(held) == set(range(50))
    assert not set(train) & set(held)
    again_train, again_held = split_holdout(labels, 0.2, seed=1)
    np.testing.assert_array_equal(held, again_held)
    np.testing.assert_array_equal(train, again_train)


def test_split_never_holds_back_a_digits_only_drawing():
    labels = np.array([7] * 9 + [3])
    train, held = split_holdout(labels)
    assert 9 in train  # the only 3
    assert labels[held].tolist() == [7, 7]


def test_split_needs_enough_drawings():
    with pytest.raises(NotEnoughSamplesError, match=f"at least {MIN_SAMPLES}.*there are 4"):
        split_holdout(np.arange(4) % 10)
    with pytest.raises(NotEnoughSamplesError, match="two or more drawings"):
        split_holdout(np.arange(10))


BEFORE = Scores(user_accuracy=0.8, user_loss=0.6, mnist_accuracy=0.9930)


def test_adopts_when_better_for_the_user_and_mnist_holds():
    decision = decide(BEFORE, Scores(0.9, 0.3, 0.9930 - MAX_MNIST_DROP))
    assert decision.adopt
    assert "90%" in decision.reason
    assert "80%" in decision.reason


def test_refuses_when_mnist_drops_too_far():
    decision = decide(BEFORE, Scores(1.0, 0.01, 0.9930 - MAX_MNIST_DROP - 0.0001))
    assert not decision.adopt
    assert "MNIST" in decision.reason


def test_refuses_when_not_better_for_the_user():
    assert not decide(BEFORE, Scores(0.7, 0.1, 0.9935)).adopt
    assert not decide(BEFORE, Scores(0.8, 0.7, 0.9935)).adopt


def test_equal_accuracy_adopts_only_with_lower_loss():
    decision = decide(BEFORE, Scores(0.8, 0.5, 0.9930))
    assert decision.adopt
    assert "surer" in decision.reason
