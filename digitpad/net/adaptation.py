"""Adapting the network to one person's handwriting, without forgetting everyone else's.

The user's kept drawings (:mod:`digitpad.storage.samples`) are few (tens) and
the network already reads most people well, so adaptation is a short
fine-tune of the *base* network, not a new training run:

* every batch mixes the user's drawings (randomly distorted, so forty
  drawings act like thousands) with *replay* of the base network's own
  training images (MNIST and the bundled pen digits), so the weights move
  towards this writer without drifting away from everyone else
  (rehearsal, the simplest guard against catastrophic forgetting);
* a one-cycle learning rate well below training's keeps the step small;
* the network kept is fine-tuned on *all* the drawings; whether it is used
  is decided by cross-validation over all of them (``folds`` fine-tunes,
  each on all drawings but one fold, each reading the fold it never saw),
  compared drawing by drawing with what the user has without adapting: the
  base network with the personal memory (:mod:`digitpad.net.memory`) of
  the other folds. Both read with the memory on, since the memory stays on
  after adapting; :func:`~digitpad.net.adoption.decide` adopts only a clear
  win that MNIST's test digits confirm; the adapted network is
  re-calibrated on the same held-out images as the base
  (:mod:`digitpad.net.calibration`).

Each fine-tune takes ``steps`` steps (150, as before: 75 cost MNIST 0.3-0.8
points where 150 cost 0.15-0.45, on training writers' drawings); with two
folds that is three fine-tunes, about twice the former single one with its
hold-out (17 s against 8 s on two cores). Two folds train each fold's
network on half the drawings: it under-rates adapting, never over-rates it.
Always starting from the base network makes the personal one a function of
(base, drawings): adapting again after adding drawings never compounds
drift. Measured on the 14 pendigits test writers, each drawing a stream and
correcting only misreadings: ``tests/benchmarks/bench_learn.py``.
"""

from __future__ import annotations

import dataclasses
import logging
import threading
import time
from dataclasses import dataclass, field
from typing import Any

import keras
import numpy as np
from keras import layers

from digitpad.messages import Message
from digitpad.net.adoption import FOLDS, Decision, Scores, cv_folds, decide
from digitpad.net.calibration import Calibration
from digitpad.net.inference import Predictor, evaluate
from digitpad.net.lenet import lenet_from_weights
from digitpad.net.memory import MemorySettings, PersonalMemory
from digitpad.net.progress import Progress
from digitpad.net.recipes import Augmentation, Recipe, get_recipe
from digitpad.net.reference_digits import ReferenceDigitsError, reference_digits
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

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class AdaptSettings:
    """How to fine-tune and judge (the fine-tune chosen with ``tests/benchmarks/bench_adapt.py``).

    Attributes:
        steps: gradient steps of each fine-tune (the kept one and each fold's).
        batch_size: images per step.
        user_per_batch: of which the user's own drawings (the rest is replay).
        learning_rate: peak of the one-cycle schedule.
        augmentation: distortions of every training image.
        folds: parts of the cross-validation judging the result.
        memory: the personal memory both networks read with.
        seed: makes a run repeatable.
        dense_only: fine-tune the dense layers only (convolutions frozen).
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
    folds: int = FOLDS
    memory: MemorySettings = field(default_factory=MemorySettings)
    seed: int = 0
    dense_only: bool = False

    def __post_init__(self) -> None:
        if self.steps < 1 or self.batch_size < 2:
            raise ValueError("steps must be at least 1 and batch_size at least 2")
        if not 0 < self.user_per_batch < self.batch_size:
            raise ValueError("user_per_batch must be between 1 and batch_size - 1")
        if self.folds < 2:
            raise ValueError("folds must be at least 2")


@dataclass
class AdaptResult:
    """A finished adaptation and its verdict.

    Attributes:
        weights: the adapted network's weights (fine-tuned on all the drawings).
        decision: adopt or not, and why.
        before: the base network with the memory on (what the user has
            without adapting), cross-validated.
        after: the adapted network with the memory on, cross-validated.
        trained_on: drawings the kept network was fine-tuned on (all).
        held_back: drawings read by a network that had not seen them (all,
            one fold at a time).
        calibration: the adapted network's calibration.
        fit_seconds: wall time of the fine-tunes themselves.
        seconds: wall time of everything (data, fine-tunes, measuring).
        settings: the settings used.
        network_only: the base network without the memory, cross-validated
            (only the memory's folds differ), for the report.
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
    network_only: Scores | None = None

    def summary(self) -> dict[str, Any]:
        """The figures people are shown (plain data, safe to pass between threads)."""
        return {
            "adopt": self.decision.adopt,
            "reason": self.decision.reason,
            "why": (
                self.decision.why.as_dict() if isinstance(self.decision.why, Message) else None
            ),
            "user_before": self.before.user_accuracy,
            "user_after": self.after.user_accuracy,
            "mnist_before": self.before.mnist_accuracy,
            "mnist_after": self.after.mnist_accuracy,
            "trained_on": self.trained_on,
            "held_back": self.held_back,
            "seconds": self.seconds,
            "fit_seconds": self.fit_seconds,
            "folds": self.settings.folds,
            "fixed": self.decision.fixed,
            "broken": self.decision.broken,
            "p_value": self.decision.p_value,
            "user_network_only": (
                self.network_only.user_accuracy if self.network_only else float("nan")
            ),
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
                "folds": self.settings.folds,
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
    base_calibration: Calibration | None = None,
    settings: AdaptSettings | None = None,
    listener: Any = None,
    cancel: threading.Event | None = None,
) -> AdaptResult:
    """Fine-tune the base network on one user's drawings and judge it by cross-validation.

    Args:
        base_weights: the base network's weights (never modified).
        x_user: the user's drawings, N x 28 x 28, float in [0, 1] (ink 1.0)
            or uint8.
        y_user: their digits.
        mnist: the verified MNIST data (replay and the test set).
        replay: preloaded replay images (saves ~1 s per call in benchmarks).
        base_mnist_accuracy: the base network's MNIST test accuracy when
            already known (its manifest); measured otherwise.
        base_calibration: the base network's calibration (its manifest);
            fitted on the replay's held-out images otherwise.
        settings: how to fine-tune and judge.
        listener: progress as in :func:`digitpad.net.training.train`; the
            fine-tunes are reported as its epochs (``folds + 1`` of them).
        cancel: set it to stop within one step.

    Returns:
        The adapted weights, the cross-validated scores before and after, and the decision.

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
    folds = cv_folds(y_user, settings.folds, settings.seed)
    replay = replay or ReplaySet.from_recipe(mnist)
    _check_cancel(cancel, "adapting was cancelled before it started")

    tuner = _FineTuner(base_weights, replay, settings, listener, cancel)
    if base_mnist_accuracy is None:
        base_mnist_accuracy = evaluate(tuner.lenet, mnist.x_test, mnist.y_test)[1]
    if base_calibration is None:
        base_calibration = calibrate_model(tuner.lenet, *replay.validation)
    # The memory reads as in the window: gated by the reference digits.
    reference = _reference_uint8()
    base_probabilities, base_embeddings, base_reference = _read_with(tuner, x_user, reference)
    base_probabilities = base_calibration.apply(base_probabilities)

    network_only = np.zeros((len(y_user), 10))
    with_memory = np.zeros((len(y_user), 10))
    fold_readings = []
    for fold, held in enumerate(folds):
        kept = np.setdiff1d(np.arange(len(y_user)), held)
        network_only[held] = base_probabilities[held]
        with_memory[held] = _with_memory(
            base_probabilities,
            base_embeddings,
            y_user,
            kept,
            held,
            settings.memory,
            base_reference,
        )
        tuner.fit(x_user[kept], y_user[kept], fold)
        fold_readings.append((kept, held, _read_with(tuner, x_user, reference)))

    tuner.fit(x_user, y_user, settings.folds)
    lenet = tuner.lenet
    calibration = calibrate_model(lenet, *replay.validation)
    after_mnist = evaluate(lenet, mnist.x_test, mnist.y_test)[1]
    adapted_with_memory = np.zeros((len(y_user), 10))
    for kept, held, (probabilities, embeddings, fold_reference) in fold_readings:
        # The kept network's temperature for every fold's: the same recipe,
        # and fitting each would cost a pass over 5,000 images.
        adapted_with_memory[held] = _with_memory(
            calibration.apply(probabilities),
            embeddings,
            y_user,
            kept,
            held,
            settings.memory,
            fold_reference,
        )

    before = Scores.from_probabilities(with_memory, y_user, base_mnist_accuracy)
    after = Scores.from_probabilities(adapted_with_memory, y_user, after_mnist)
    return AdaptResult(
        weights=[np.array(w) for w in lenet.get_weights()],
        decision=decide(before, after),
        before=before,
        after=after,
        trained_on=len(y_user),
        held_back=len(y_user),
        calibration=calibration,
        fit_seconds=tuner.fit_seconds,
        seconds=time.perf_counter() - started,
        settings=settings,
        network_only=Scores.from_probabilities(network_only, y_user, base_mnist_accuracy),
    )


def _with_memory(
    probabilities: np.ndarray,
    embeddings: np.ndarray,
    labels: np.ndarray,
    kept: np.ndarray,
    held: np.ndarray,
    settings: MemorySettings,
    reference: tuple[np.ndarray, np.ndarray] | None,
) -> np.ndarray:
    """The held drawings read with a memory of the kept ones (gated by ``reference``)."""
    memory = PersonalMemory(settings)
    memory.reset(embeddings[kept], labels[kept], [str(i) for i in kept])
    if reference is not None:
        memory.set_reference(*reference)
    return memory.blend(probabilities[held], embeddings[held])


def _reference_uint8() -> tuple[np.ndarray, np.ndarray] | None:
    """The shipped reference digits as uint8 images, or ``None`` (the memory is ungated)."""
    try:
        x, y = reference_digits()
    except ReferenceDigitsError as exc:
        log.warning("the personal memory is judged ungated: %s", exc)
        return None
    return np.round(x * 255).astype(np.uint8), y


def _read_with(
    tuner: _FineTuner, x_user: np.ndarray, reference: tuple[np.ndarray, np.ndarray] | None
) -> tuple[np.ndarray, np.ndarray, tuple[np.ndarray, np.ndarray] | None]:
    """Probabilities and embeddings of the user's drawings, and the reference's embeddings."""
    if reference is None:
        return (*tuner.read(x_user), None)
    probabilities, embeddings = tuner.read(np.concatenate([x_user, reference[0]]))
    n = len(x_user)
    return probabilities[:n], embeddings[:n], (embeddings[n:], reference[1])


class _FineTuner:
    """Fine-tunes of the base network, one after another, on one model traced once.

    Each :meth:`fit` starts again from the base weights with a fresh
    optimizer state; reusing the compiled model and the :class:`Predictor`
    saves their tracing (about 1.5 s a fine-tune on two cores).
    """

    def __init__(
        self,
        base_weights: list[np.ndarray],
        replay: ReplaySet,
        settings: AdaptSettings,
        listener: Any,
        cancel: threading.Event | None,
    ) -> None:
        keras.utils.set_random_seed(settings.seed)
        self.base_weights = base_weights
        self.replay, self.settings = replay, settings
        self.listener, self.cancel = listener, cancel
        self.lenet = lenet_from_weights(base_weights)
        self.trainee = _trainee(self.lenet, settings)
        self.predictor = Predictor(self.lenet)
        self.fit_seconds = 0.0

    def read(self, x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """The current weights' probabilities (uncalibrated) and embeddings of ``x``."""
        return self.predictor.features_batch(x)

    def fit(self, x: np.ndarray, y: np.ndarray, index: int) -> None:
        """Fine-tune the base network on ``x``, ``y`` with replay: fit ``index`` of folds + 1."""
        _check_cancel(self.cancel, "adapting was cancelled")
        started = time.perf_counter()
        settings = self.settings
        self.lenet.set_weights(self.base_weights)
        for variable in self.trainee.optimizer.variables:
            variable.assign(np.zeros(variable.shape, variable.dtype))
        fits = settings.folds + 1
        progress = _FitProgress(self.listener, index, fits) if self.listener is not None else None
        reporter = _Reporter(self.lenet, 1, settings.steps, progress, self.cancel, 0.2, 0)
        batches = _Batches(x, y, self.replay, settings)
        self.trainee.fit(batches, epochs=1, verbose=0, callbacks=[reporter])
        self.fit_seconds += time.perf_counter() - started
        _check_cancel(self.cancel, "adapting was cancelled")


def _check_cancel(cancel: threading.Event | None, message: str) -> None:
    if cancel is not None and cancel.is_set():
        raise TrainingCancelled(message)


class _FitProgress:
    """Reports fine-tune ``index`` of ``fits`` as epoch ``index + 1`` of one run."""

    def __init__(self, listener: Any, index: int, fits: int) -> None:
        self.listener, self.index, self.fits = listener, index, fits
        if callable(getattr(listener, "on_batch_end", None)):
            # Only then: the reporter calls it after every batch if it exists.
            self.on_batch_end = self._on_batch_end

    def _on_batch_end(self, progress: Progress) -> None:
        self.listener.on_batch_end(self._whole(progress))

    def _whole(self, progress: Progress) -> Progress:
        done = (self.index + progress.fraction) / self.fits
        eta = None
        if progress.eta_s is not None and progress.fraction > 0:
            per_fit = progress.elapsed_s / progress.fraction
            eta = progress.eta_s + per_fit * (self.fits - self.index - 1)
        return dataclasses.replace(
            progress, epoch=self.index + 1, epochs=self.fits, fraction=min(done, 1.0), eta_s=eta
        )

    def on_progress(self, progress: Progress) -> None:
        handler = getattr(self.listener, "on_progress", None)
        if handler is not None:
            handler(self._whole(progress))

    def on_epoch_end(self, progress: Progress, logs: dict[str, float]) -> None:
        handler = getattr(self.listener, "on_epoch_end", None)
        if handler is not None:
            handler(self._whole(progress), logs)


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
