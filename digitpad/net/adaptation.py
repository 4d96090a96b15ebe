"""Adapting the network to one person's handwriting, without forgetting everyone else's.

The user's corrected drawings (:mod:`digitpad.storage.samples`) are few (tens) and
the network already reads most people well, so adaptation is a short
fine-tune of the *base* network, not a new training run:

* part of the drawings is held back to measure (:func:`~digitpad.net.adoption.split_holdout`);
* every batch mixes the user's drawings (randomly distorted, so forty
  drawings act like thousands) with *replay* of the base network's own
  training images (MNIST and the bundled pen digits), so the weights move
  towards this writer without drifting away from everyone else
  (rehearsal, the simplest guard against catastrophic forgetting);
* a one-cycle learning rate well below training's keeps the step small;
* afterwards the held-back drawings and the 10,000 MNIST test digits decide
  (:func:`~digitpad.net.adoption.decide`), and the adapted network is
  re-calibrated on the same held-out images as the base
  (:mod:`digitpad.net.calibration`).

Always starting from the base network makes the personal one a function of
(base, drawings): adapting again after adding drawings never compounds
drift. Measured on 14 held-out pendigits writers: ``tests/benchmarks/bench_adapt.py``.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field
from typing import Any

import keras
import numpy as np
from keras import layers

from digitpad.net.adoption import Decision, Scores, decide, split_holdout
from digitpad.net.calibration import Calibration
from digitpad.net.inference import evaluate, predict_probabilities
from digitpad.net.lenet import lenet_from_weights
from digitpad.net.recipes import Augmentation, Recipe, get_recipe
from digitpad.net.training import (
    OneCycle,
    RandomDistortion,
    TrainingCancelled,
    _Reporter,
    calibrate_model,
    training_images,
    validation_images,
)
from digitpad.storage.mnist import Mnist


@dataclass(frozen=True)
class AdaptSettings:
    """How to fine-tune (chosen with ``tests/benchmarks/bench_adapt.py``).

    Attributes:
        steps: gradient steps.
        batch_size: images per step.
        user_per_batch: of which the user's own drawings (the rest is replay).
        learning_rate: peak of the one-cycle schedule.
        augmentation: distortions of every training image.
        holdout_fraction: share of each digit's drawings held back to measure.
        seed: makes a run repeatable.
    """

    steps: int = 150
    batch_size: int = 128
    user_per_batch: int = 32
    learning_rate: float = 0.001
    augmentation: Augmentation = field(
        default_factory=lambda: Augmentation(
            rotation_deg=12.0, scale=0.12, shear=0.2, shift_px=2.0, thickness=0.3
        )
    )
    holdout_fraction: float = 0.2
    seed: int = 0
    dense_only: bool = False

    def __post_init__(self) -> None:
        if self.steps < 1 or self.batch_size < 2:
            raise ValueError("steps must be at least 1 and batch_size at least 2")
        if not 0 < self.user_per_batch < self.batch_size:
            raise ValueError("user_per_batch must be between 1 and batch_size - 1")


@dataclass
class AdaptResult:
    """A finished adaptation and its verdict.

    Attributes:
        weights: the adapted network's weights.
        decision: adopt or not, and why.
        before: the base network's scores.
        after: the adapted network's scores.
        trained_on: drawings fine-tuned on.
        held_back: drawings held back to measure.
        calibration: the adapted network's calibration.
        fit_seconds: wall time of the fine-tune itself.
        seconds: wall time of everything (data, fine-tune, measuring).
        settings: the settings used.
    """

    weights: list[np.ndarray]
    decision: Decision
    before: Scores
    after: Scores
    trained_on: int
    held_back: int
    calibration: Calibration
    fit_seconds: float
    seconds: float
    settings: AdaptSettings

    def summary(self) -> dict[str, Any]:
        """The figures people are shown (plain data, safe to pass between threads)."""
        return {
            "adopt": self.decision.adopt,
            "reason": self.decision.reason,
            "user_before": self.before.user_accuracy,
            "user_after": self.after.user_accuracy,
            "mnist_before": self.before.mnist_accuracy,
            "mnist_after": self.after.mnist_accuracy,
            "trained_on": self.trained_on,
            "held_back": self.held_back,
            "seconds": self.seconds,
            "fit_seconds": self.fit_seconds,
        }

    def manifest_info(self) -> dict[str, Any]:
        """Manifest fields of the personal cache entry."""
        return {
            "adapted": {
                "trained_on": self.trained_on,
                "held_back": self.held_back,
                "user_accuracy_before": round(self.before.user_accuracy, 6),
                "user_accuracy_after": round(self.after.user_accuracy, 6),
                "mnist_accuracy_before": round(self.before.mnist_accuracy, 6),
                "fit_seconds": round(self.fit_seconds, 2),
                "steps": self.settings.steps,
            },
            "test_accuracy": round(self.after.mnist_accuracy, 6),
            "calibration": self.calibration.as_dict(),
        }


@dataclass
class ReplaySet:
    """What adaptation mixes in and measures with, loaded once per process.

    Attributes:
        x: the base recipe's training images (uint8 N x 28 x 28).
        y: their labels.
        validation: the recipe's held-out ``(x, y, pen)`` (calibration).
    """

    x: np.ndarray
    y: np.ndarray
    validation: tuple[np.ndarray, np.ndarray, np.ndarray]

    @classmethod
    def from_recipe(cls, mnist: Mnist, recipe: Recipe | None = None) -> ReplaySet:
        """The replay and validation images of ``recipe`` (default: ``default``)."""
        recipe = recipe or get_recipe("default")
        x, y = training_images(recipe, mnist)
        return cls(np.asarray(x, np.uint8), np.asarray(y), validation_images(recipe, mnist))


def adapt(
    base_weights: list[np.ndarray],
    x_user: np.ndarray,
    y_user: np.ndarray,
    mnist: Mnist,
    *,
    replay: ReplaySet | None = None,
    base_mnist_accuracy: float | None = None,
    settings: AdaptSettings | None = None,
    listener: Any = None,
    cancel: threading.Event | None = None,
) -> AdaptResult:
    """Fine-tune the base network on one user's drawings and judge the result.

    Args:
        base_weights: the base network's weights (never modified).
        x_user: the user's drawings, N x 28 x 28, float in [0, 1] (ink 1.0)
            or uint8.
        y_user: their digits.
        mnist: the verified MNIST data (replay and the test set).
        replay: preloaded replay images (saves ~1 s per call in benchmarks).
        base_mnist_accuracy: the base network's MNIST test accuracy when
            already known (its manifest); measured otherwise.
        settings: how to fine-tune.
        listener: progress as in :func:`digitpad.net.training.train`.
        cancel: set it to stop within one step.

    Returns:
        The adapted weights, the scores before and after, and the decision.

    Raises:
        digitpad.net.adoption.NotEnoughSamplesError: too few drawings.
        TrainingCancelled: cancelled; nothing changed.
        ValueError: drawings of the wrong shape or labels outside 0-9.
    """
    started = time.perf_counter()
    settings = settings or AdaptSettings()
    x_user = _as_uint8(x_user)
    y_user = np.asarray(y_user, dtype=np.int64)
    if len(y_user) != len(x_user) or (len(y_user) and not ((y_user >= 0) & (y_user <= 9)).all()):
        raise ValueError("need one digit label (0-9) for each drawing")
    train_idx, held_idx = split_holdout(y_user, settings.holdout_fraction, settings.seed)
    replay = replay or ReplaySet.from_recipe(mnist)
    if cancel is not None and cancel.is_set():
        raise TrainingCancelled("adapting was cancelled before it started")

    base = lenet_from_weights(base_weights)
    x_held, y_held = x_user[held_idx], y_user[held_idx]
    if base_mnist_accuracy is None:
        base_mnist_accuracy = evaluate(base, mnist.x_test, mnist.y_test)[1]
    before = _scores(base, x_held, y_held, base_mnist_accuracy)

    keras.utils.set_random_seed(settings.seed)
    lenet = lenet_from_weights(base_weights)
    batches = _Batches(x_user[train_idx], y_user[train_idx], replay, settings)
    trainee = _trainee(lenet, settings)
    reporter = _Reporter(lenet, 1, settings.steps, listener, cancel, 0.2, 0)
    fit_started = time.perf_counter()
    trainee.fit(batches, epochs=1, verbose=0, callbacks=[reporter])
    fit_seconds = time.perf_counter() - fit_started
    if cancel is not None and cancel.is_set():
        raise TrainingCancelled("adapting was cancelled")

    after = _scores(lenet, x_held, y_held, evaluate(lenet, mnist.x_test, mnist.y_test)[1])
    return AdaptResult(
        weights=[np.array(w) for w in lenet.get_weights()],
        decision=decide(before, after),
        before=before,
        after=after,
        trained_on=len(train_idx),
        held_back=len(held_idx),
        calibration=calibrate_model(lenet, *replay.validation),
        fit_seconds=fit_seconds,
        seconds=time.perf_counter() - started,
        settings=settings,
    )


def _as_uint8(images: np.ndarray) -> np.ndarray:
    array = np.asarray(images)
    if array.ndim != 3 or array.shape[1:] != (28, 28):
        raise ValueError(f"expected drawings as N x 28 x 28 images, got shape {array.shape}")
    if array.dtype == np.uint8:
        return array
    values = array.astype(np.float32)
    if not np.isfinite(values).all() or values.min(initial=0) < 0 or values.max(initial=0) > 1:
        raise ValueError("drawings must be finite values in [0, 1] (ink 1.0)")
    return np.round(values * 255).astype(np.uint8)


class _Batches(keras.utils.PyDataset):
    """The fine-tuning batches, made one at a time: the user's drawings, then replay.

    Each batch is a function of (seed, step): repeatable, and memory stays at
    one batch however many steps are asked for.
    """

    def __init__(
        self, x_user: np.ndarray, y_user: np.ndarray, replay: ReplaySet, settings: AdaptSettings
    ) -> None:
        super().__init__()
        self.x_user, self.y_user, self.replay, self.settings = x_user, y_user, replay, settings

    def __len__(self) -> int:
        return self.settings.steps

    def __getitem__(self, step: int) -> tuple[np.ndarray, np.ndarray]:
        settings = self.settings
        mine = settings.user_per_batch
        # Drawing k of this step is drawing (step * mine + k) of an endless
        # sequence of fresh permutations: all are seen equally often, each
        # time in different company.
        count = len(self.y_user)
        positions = step * mine + np.arange(mine)
        user = np.empty(mine, np.int64)
        for cycle in np.unique(positions // count):
            order = np.random.default_rng([settings.seed, 1, int(cycle)]).permutation(count)
            chosen = positions // count == cycle
            user[chosen] = order[positions[chosen] % count]
        rng = np.random.default_rng([settings.seed, 2, step])
        others = rng.integers(0, len(self.replay.y), size=settings.batch_size - mine)
        x = np.concatenate([self.x_user[user], self.replay.x[others]])[..., None]
        y = np.concatenate([self.y_user[user], self.replay.y[others]]).astype(np.int64)
        return x, keras.utils.to_categorical(y, 10)


def _trainee(lenet: keras.Model, settings: AdaptSettings) -> keras.Model:
    if settings.dense_only:
        for name in ("conv1", "conv2"):
            lenet.get_layer(name).trainable = False
    inputs = keras.Input(shape=(28, 28, 1), dtype="uint8")
    scaled = layers.Rescaling(1 / 255, name="pixels_to_unit")(inputs)
    scaled = RandomDistortion(settings.augmentation, seed=settings.seed, name="distort")(scaled)
    trainee = keras.Model(inputs, lenet(scaled), name="lenet_adapting")
    trainee.compile(
        optimizer=keras.optimizers.Adam(
            learning_rate=OneCycle(settings.learning_rate, settings.steps, 0.15)
        ),
        loss=keras.losses.CategoricalCrossentropy(),
        metrics=["accuracy"],
    )
    return trainee


def _scores(model: keras.Model, x: np.ndarray, y: np.ndarray, mnist_accuracy: float) -> Scores:
    probabilities = predict_probabilities(model, x)
    picked = probabilities[np.arange(len(y)), y]
    return Scores(
        user_accuracy=float(np.mean(probabilities.argmax(axis=1) == y)) if len(y) else 0.0,
        user_loss=float(-np.mean(np.log(np.clip(picked, 1e-7, 1.0)))) if len(y) else 0.0,
        mnist_accuracy=float(mnist_accuracy),
    )
