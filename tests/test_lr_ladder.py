"""The learning-rate ladder's rule, on synthetic loss curves."""

from __future__ import annotations

import math

import numpy as np
import pytest

from digitpad.net.lr_ladder import (
    CONVERGED,
    DIVERGED,
    OSCILLATED,
    RULE,
    LadderPlan,
    judge,
    judge_curve,
    window_means,
)

N = 188  # batches of one epoch of 6,000 images at batch 32


def decaying(rate: float, floor: float = 0.1, start: float = 2.3) -> np.ndarray:
    steps = np.arange(N)
    return floor + (start - floor) * np.exp(-rate * steps)


def test_the_fastest_decay_wins_and_a_slow_one_still_converges():
    curves = {0.003: decaying(0.08), 0.001: decaying(0.02), 0.0003: decaying(0.005)}
    verdict = judge(curves)
    assert [v.outcome for v in verdict.verdicts] == [CONVERGED] * 3
    assert verdict.fastest == 0.003


def test_noisy_but_settled_loss_is_not_called_oscillating():
    rng = np.random.default_rng(0)
    noisy = decaying(0.08) * rng.uniform(0.7, 1.3, N)  # batch-to-batch noise of batch 32
    assert judge_curve(0.003, noisy).outcome == CONVERGED


def test_a_loss_that_comes_down_then_goes_back_up_oscillated():
    curve = decaying(0.1)
    curve[120:] = np.linspace(0.1, 0.9, N - 120)  # overshoots: back up after settling
    verdict = judge_curve(0.01, curve)
    assert verdict.outcome == OSCILLATED
    assert "went back up" in verdict.reason


def test_a_window_of_harder_images_is_not_oscillation():
    # Measured on the article's recipe at 0.003: window 6 of 10 rose from 0.167 to 0.22.
    means = [1.632, 0.429, 0.351, 0.219, 0.167, 0.22, 0.168, 0.134, 0.198, 0.109]
    curve = np.repeat(means, 19)
    curve[0] = 2.3  # where every run starts
    assert judge_curve(0.003, curve).outcome == CONVERGED


def test_a_loss_that_jumps_above_where_it_started_oscillated():
    # Measured at 0.01: the first window's mean was 3.24, above the ~2.3 it started at.
    means = [3.24, 0.856, 0.483, 0.419, 0.285, 0.329, 0.251, 0.258, 0.254, 0.213]
    curve = np.repeat(means, 19)
    curve[0] = 2.3
    verdict = judge_curve(0.01, curve)
    assert verdict.outcome == OSCILLATED
    assert "jumped from 2.30" in verdict.reason


def test_a_loss_stuck_at_chance_or_not_a_number_diverged():
    flat = np.full(N, math.log(10.0) + 0.05)
    assert judge_curve(0.01, flat).outcome == DIVERGED
    exploding = decaying(0.05)
    exploding[100] = math.nan
    assert judge_curve(0.01, exploding).outcome == DIVERGED
    rising = np.linspace(0.5, 1.5, N)
    assert judge_curve(0.01, rising).outcome == DIVERGED


def test_an_oscillating_or_diverging_rate_is_never_the_fastest():
    bouncing = decaying(0.2)
    bouncing[100:] += 0.6  # lowest mean loss overall? no: but it went back up
    curves = {0.01: bouncing, 0.001: decaying(0.02)}
    verdict = judge(curves)
    assert verdict.verdicts[0].outcome == OSCILLATED
    assert verdict.fastest == 0.001
    assert judge({0.01: np.full(N, 5.0)}).fastest is None
    assert "No rate converged" in judge({0.01: np.full(N, 5.0)}).summary()


def test_window_means_and_the_stated_rule():
    assert window_means([1.0, 2.0, 3.0, 4.0], windows=2).tolist() == [1.5, 3.5]
    assert window_means([1.0], windows=10).tolist() == [1.0]
    assert "10 equal windows" in RULE
    assert "50%" in RULE


def test_the_plan_is_the_articles_recipe_with_one_rate_changed():
    plan = LadderPlan()
    assert plan.rates == (0.01, 0.003, 0.001, 0.0003)
    recipe = plan.recipe(0.003)
    assert recipe.optimizer == "rmsprop"
    assert recipe.batch_size == 32
    assert (recipe.learning_rate, recipe.epochs, recipe.train_samples) == (0.003, 1, 6000)
    for bad in ({"rates": ()}, {"rates": (0.0,)}, {"rates": (0.1, 0.1)}, {"subset": 0}):
        with pytest.raises(ValueError):
            LadderPlan(**bad)
