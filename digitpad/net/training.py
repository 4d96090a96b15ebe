"""Training the LeNet with a recipe, with progress, snapshots and cancel.

The recipes themselves are plain data in :mod:`digitpad.net.recipes` (re-exported
here). The ``default`` recipe's machinery lives here: Adam with a one-cycle
learning-rate schedule, training-time augmentation (small affine distortions
and stroke-thickness changes) and the bundled real pen digits.

:func:`train` reports to a :class:`TrainingListener` (the CLI's progress bar,
the GUI's signals), stops within one batch when its ``cancel`` event is set,
and evaluates on the 10k test set at the end.
"""

from __future__ import annotations

import math
import threading
import time
from dataclasses import dataclass, field
from typing import Any

import keras
import numpy as np
from keras import layers

from digitpad.net.distortion import OneCycle, RandomDistortion  # noqa: F401 - re-exported
from digitpad.net.inference import evaluate, predict_probabilities
from digitpad.net.lenet import build_lenet
from digitpad.net.progress import (  # noqa: F401 - re-exported: training's public names
    Progress,
    TrainingCancelled,
    TrainingListener,
)
from digitpad.net.recipes import (  # noqa: F401 - re-exported: training's public names
    EPOCHS_ENV,
    RECIPE_ENV,
    RECIPES,
    SAMPLES_ENV,
    Augmentation,
    Recipe,
    get_recipe,
    recipe_from_env,
)
from digitpad.storage.mnist import Mnist


@dataclass
class TrainingResult:
    """A finished run.

    Attributes:
        model: the trained network (owned by the caller from now on).
        recipe: the recipe used.
        test_loss: categorical cross-entropy on the 10k test images.
        test_accuracy: accuracy on the 10k test images.
        fit_seconds: wall time of fitting alone.
        history: per-epoch training logs.
        calibration: when it may say it is sure (fitted on the recipe's
            held-out images; defaults when the recipe holds none out).
    """

    model: keras.Model
    recipe: Recipe
    test_loss: float
    test_accuracy: float
    fit_seconds: float
    history: list[dict[str, float]] = field(default_factory=list)
    calibration: Any = None


class _Reporter(keras.callbacks.Callback):
    """Keras callback turning fit's events into listener calls and cancel."""

    def __init__(
        self,
        lenet: keras.Model,
        epochs: int,
        steps_per_epoch: int,
        listener: Any,
        cancel: threading.Event | None,
        progress_interval_s: float,
        snapshot_every: int,
    ) -> None:
        super().__init__()
        self.lenet = lenet
        self.epochs = epochs
        self.steps_per_epoch = steps_per_epoch
        self.listener = listener
        self.cancel = cancel
        self.progress_interval_s = progress_interval_s
        self.snapshot_every = snapshot_every
        self.epoch = 0
        self.global_step = 0
        self.started = time.perf_counter()
        self.last_report = -math.inf
        self.history: list[dict[str, float]] = []
        self.wants_batches = callable(getattr(listener, "on_batch_end", None))

    def _progress(self, step: int, logs: dict[str, Any] | None) -> Progress:
        logs = logs or {}
        done = self.global_step / (self.epochs * self.steps_per_epoch)
        elapsed = time.perf_counter() - self.started
        # The first batches include graph tracing; wait a little for a fair rate.
        eta = elapsed * (1 - done) / done if done > 0 and self.global_step >= 5 else None
        return Progress(
            epoch=self.epoch + 1,
            epochs=self.epochs,
            step=step,
            steps_per_epoch=self.steps_per_epoch,
            fraction=min(done, 1.0),
            elapsed_s=elapsed,
            eta_s=eta,
            loss=float(logs.get("loss", math.nan)),
            accuracy=float(logs.get("accuracy", logs.get("compile_metrics", math.nan))),
        )

    def on_train_begin(self, logs: dict[str, Any] | None = None) -> None:
        self.started = time.perf_counter()

    def on_epoch_begin(self, epoch: int, logs: dict[str, Any] | None = None) -> None:
        self.epoch = epoch

    def on_train_batch_end(self, batch: int, logs: dict[str, Any] | None = None) -> None:
        self.global_step += 1
        if self.wants_batches:
            self.listener.on_batch_end(self._progress(batch + 1, logs))
        now = time.perf_counter()
        if now - self.last_report >= self.progress_interval_s:
            self.last_report = now
            self._call("on_progress", self._progress(batch + 1, logs))
        if self.snapshot_every and self.global_step % self.snapshot_every == 0:
            self._call("on_snapshot", self.lenet.get_weights(), self._progress(batch + 1, logs))
        self._check_cancel()

    def on_epoch_end(self, epoch: int, logs: dict[str, Any] | None = None) -> None:
        if self.cancel is not None and self.cancel.is_set():
            return  # a cut-short epoch is not an epoch: report nothing
        logs = {key: float(value) for key, value in (logs or {}).items()}
        self.history.append(logs)
        progress = self._progress(self.steps_per_epoch, logs)
        self._call("on_progress", progress)
        self._call("on_epoch_end", progress, logs)

    def _check_cancel(self) -> None:
        if self.cancel is not None and self.cancel.is_set():
            self.model.stop_training = True

    def _call(self, method: str, *args: Any) -> None:
        handler = getattr(self.listener, method, None)
        if handler is not None:
            handler(*args)


# -- augmentation ---------------------------------------------------------------


def training_images(recipe: Recipe, mnist: Mnist) -> tuple[np.ndarray, np.ndarray]:
    """The images and labels ``recipe`` trains on (uint8 N x 28 x 28, uint8 N).

    The held-out validation images (:func:`validation_images`) are never among them.
    """
    x_train, y_train = _mnist_training_part(recipe, mnist)
    if recipe.pen_digits:
        x_pen, y_pen, writers = _pen_part(recipe)
        keep = ~np.isin(writers, recipe.validation_writers)
        x_train = np.concatenate([x_train, x_pen[keep]])
        y_train = np.concatenate([y_train, y_pen[keep]])
    return x_train, y_train


def validation_images(recipe: Recipe, mnist: Mnist) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The images ``recipe`` holds out: never trained on, used for calibration.

    Returns:
        ``x`` uint8 N x 28 x 28, ``y`` labels, ``pen`` whether each is pen-drawn.
    """
    count = _held_out_mnist(recipe, mnist)
    x_val = mnist.x_train[len(mnist.x_train) - count :] if count else mnist.x_train[:0]
    y_val = mnist.y_train[len(mnist.y_train) - count :] if count else mnist.y_train[:0]
    pen = np.zeros(len(y_val), bool)
    if recipe.pen_digits and recipe.validation_writers:
        x_pen, y_pen, writers = _pen_part(recipe)
        held = np.isin(writers, recipe.validation_writers)
        x_val = np.concatenate([x_val, x_pen[held]])
        y_val = np.concatenate([y_val, y_pen[held]])
        pen = np.concatenate([pen, np.ones(int(held.sum()), bool)])
    return x_val, np.asarray(y_val, dtype=np.int64), pen


def _held_out_mnist(recipe: Recipe, mnist: Mnist) -> int:
    """MNIST training images held out: none from a tiny set (tests, demos)."""
    held = recipe.validation_mnist
    return held if len(mnist.x_train) >= 2 * held else 0


def _mnist_training_part(recipe: Recipe, mnist: Mnist) -> tuple[np.ndarray, np.ndarray]:
    available = len(mnist.x_train) - _held_out_mnist(recipe, mnist)
    count = available if recipe.train_samples is None else min(recipe.train_samples, available)
    return mnist.x_train[:count], mnist.y_train[:count]


def _pen_part(recipe: Recipe) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    from digitpad.net.pen_training_set import pen_digits_by_writer
    from digitpad.net.recipes import pen_digit_limit

    return pen_digits_by_writer(recipe.seed, limit=pen_digit_limit(recipe))


def _uses_variants(recipe: Recipe) -> bool:
    return recipe.pen_digits and (
        recipe.pen_variants > 0 or recipe.pen_repeats > 1 or recipe.mnist_per_epoch is not None
    )


def pen_renders(recipe: Recipe) -> tuple[np.ndarray, np.ndarray]:
    """Every render of the pen digits ``recipe`` trains on (held-out writers left out).

    Returns:
        ``x`` uint8 R x N x 28 x 28 (render 0: the plain one, then
        ``recipe.pen_variants`` changed ones), ``y`` uint8 N labels.
    """
    from digitpad.net.augmentation import StrokeAugmentation
    from digitpad.net.pen_training_set import pen_variants
    from digitpad.net.recipes import pen_digit_limit

    x_pen, y_pen, writers = _pen_part(recipe)
    renders = [x_pen[None]]
    if recipe.pen_variants > 0:
        augmentation = recipe.pen_augmentation or StrokeAugmentation()
        renders.append(
            pen_variants(recipe.seed, pen_digit_limit(recipe), recipe.pen_variants, augmentation)
        )
    keep = ~np.isin(writers, recipe.validation_writers)
    return np.concatenate(renders)[:, keep], y_pen[keep]


def _variant_batches(recipe: Recipe, mnist: Mnist) -> tuple[Any, int]:
    """Batches where each epoch draws each pen digit among its renders.

    Every epoch holds the MNIST training part once and ``pen_repeats`` images
    of each pen digit, each picked at random (seeded) among its plain and
    changed renders: the network meets other handwriting every epoch, for the
    cost of a slightly larger epoch only when ``pen_repeats`` > 1. Each
    epoch's own shuffle is cut to whole batches (at most one batch of images
    left out per epoch); a batch is never larger than an epoch's images.

    Returns:
        A ``tf.data.Dataset`` of ``(uint8 B x 28 x 28 x 1, one-hot B x 10)``
        batches for all epochs, and the steps per epoch.
    """
    import tensorflow as tf

    x_mnist, y_mnist = _mnist_training_part(recipe, mnist)
    x_pen, y_pen = pen_renders(recipe)
    renders, count = x_pen.shape[0], x_pen.shape[1]
    images = np.concatenate([x_mnist, x_pen.reshape(-1, 28, 28)])[..., None]
    labels = keras.utils.to_categorical(np.concatenate([y_mnist, np.tile(y_pen, renders)]), 10)
    batches = batch_order(recipe, len(x_mnist), count, renders)
    steps = len(batches) // recipe.epochs
    images_t = tf.constant(images)
    labels_t = tf.constant(labels)

    def gather(index: Any) -> tuple[Any, Any]:
        return tf.gather(images_t, index), tf.gather(labels_t, index)

    dataset = tf.data.Dataset.from_tensor_slices(batches).map(gather)
    return dataset.prefetch(2), steps


def batch_order(recipe: Recipe, mnist_count: int, pen_count: int, renders: int) -> np.ndarray:
    """Which images each batch of each epoch holds (seeded by ``recipe.seed``).

    Images are numbered as :func:`_variant_batches` stacks them: the MNIST
    part, then render 0 of every pen digit, then render 1, and so on. Fewer
    images an epoch than ``recipe.batch_size`` make one batch of all of them,
    as Keras batches the plain path (:func:`train` without variants).

    Returns:
        int64 (epochs x steps) x B indices, B = ``recipe.batch_size`` or the
        images of an epoch, whichever is fewer.
    """
    rng = np.random.default_rng([recipe.seed, 29])
    mnist_used = min(mnist_count, recipe.mnist_per_epoch or mnist_count)
    per_epoch = mnist_used + pen_count * recipe.pen_repeats
    batch_size = max(1, min(recipe.batch_size, per_epoch))
    steps = per_epoch // batch_size
    orders = []
    for _epoch in range(recipe.epochs):
        pick = rng.integers(0, renders, size=(recipe.pen_repeats, pen_count))
        pen_index = mnist_count + pick * pen_count + np.arange(pen_count)
        mnist_index = np.arange(mnist_count)
        if mnist_used < mnist_count:
            mnist_index = rng.choice(mnist_count, mnist_used, replace=False)
        order = rng.permutation(np.concatenate([mnist_index, pen_index.ravel()]))
        orders.append(order[: steps * batch_size])
    return np.concatenate(orders).reshape(-1, batch_size)


def calibrate_model(model: keras.Model, x: np.ndarray, y: np.ndarray, pen: np.ndarray) -> Any:
    """Fit ``model``'s :class:`~digitpad.net.calibration.Calibration` on held-out images."""
    from digitpad.net.calibration import Calibration, calibrate

    if len(y) == 0:
        return Calibration()
    return calibrate(predict_probabilities(model, x), y, pen)


def train(
    recipe: Recipe,
    mnist: Mnist,
    *,
    listener: Any = None,
    cancel: threading.Event | None = None,
    progress_interval_s: float = 0.2,
    snapshot_every: int = 0,
    validation_data: tuple[np.ndarray, np.ndarray] | None = None,
) -> TrainingResult:
    """Train a new LeNet with ``recipe`` and evaluate it on the test set.

    Builds its own model: whatever model is in use elsewhere is never touched.

    Args:
        recipe: how to train.
        mnist: the verified data.
        listener: receives progress, snapshots and epoch ends (see
            :class:`TrainingListener`); called on the training thread.
        cancel: when set, training stops within one batch.
        progress_interval_s: minimum seconds between progress reports.
        snapshot_every: send a weight snapshot every N batches (0: never).
        validation_data: optional ``(images, labels)`` (uint8 N x 28 x 28 as in
            MNIST, digit labels) evaluated after each epoch; the epoch logs
            then carry ``val_loss`` and ``val_accuracy``. Default: none.

    Returns:
        The trained model and its test figures.

    Raises:
        TrainingCancelled: ``cancel`` was set before training finished.
    """
    if cancel is not None and cancel.is_set():
        raise TrainingCancelled("training was cancelled before it started")
    keras.utils.set_random_seed(recipe.seed)
    if _uses_variants(recipe):
        data, steps_per_epoch = _variant_batches(recipe, mnist)
        fit_data: dict[str, Any] = {
            "x": data,
            "steps_per_epoch": steps_per_epoch,
            "shuffle": False,
        }
    else:
        x_train, y_train = training_images(recipe, mnist)
        # uint8 in, scaled in the graph: a quarter of the memory of float32 copies.
        x = np.asarray(x_train, dtype=np.uint8)[..., None]
        y = keras.utils.to_categorical(y_train, 10)
        steps_per_epoch = math.ceil(len(x) / recipe.batch_size)
        fit_data = {"x": x, "y": y, "batch_size": recipe.batch_size, "shuffle": True}

    lenet = build_lenet()
    inputs = keras.Input(shape=(28, 28, 1), dtype="uint8")
    scaled = layers.Rescaling(1 / 255, name="pixels_to_unit")(inputs)
    if recipe.augmentation is not None:
        scaled = RandomDistortion(recipe.augmentation, seed=recipe.seed, name="distort")(scaled)
    trainee = keras.Model(inputs, lenet(scaled), name="lenet_training")

    learning_rate: Any = recipe.learning_rate
    if recipe.schedule == "onecycle":
        learning_rate = OneCycle(
            recipe.learning_rate, steps_per_epoch * recipe.epochs, recipe.warmup_fraction
        )
    if recipe.optimizer == "adam":
        optimizer = keras.optimizers.Adam(learning_rate=learning_rate)
    elif recipe.optimizer == "sgd":
        optimizer = keras.optimizers.SGD(learning_rate=learning_rate, momentum=0.9)
    else:
        optimizer = keras.optimizers.RMSprop(learning_rate=learning_rate)
    trainee.compile(
        optimizer=optimizer,
        loss=keras.losses.CategoricalCrossentropy(label_smoothing=recipe.label_smoothing),
        metrics=["accuracy"],
    )
    reporter = _Reporter(
        lenet,
        recipe.epochs,
        steps_per_epoch,
        listener,
        cancel,
        progress_interval_s,
        snapshot_every,
    )
    validation = None
    if validation_data is not None:
        x_val, y_val = validation_data
        validation = (
            np.asarray(x_val, dtype=np.uint8)[..., None],
            keras.utils.to_categorical(y_val, 10),
        )
    started = time.perf_counter()
    trainee.fit(
        **fit_data,
        epochs=recipe.epochs,
        verbose=0,
        callbacks=[reporter],
        validation_data=validation,
    )
    fit_seconds = time.perf_counter() - started
    if cancel is not None and cancel.is_set():
        raise TrainingCancelled("training was cancelled")
    test_loss, test_accuracy = evaluate(lenet, mnist.x_test, mnist.y_test)
    calibration = calibrate_model(lenet, *validation_images(recipe, mnist))
    return TrainingResult(
        model=lenet,
        recipe=recipe,
        test_loss=test_loss,
        test_accuracy=test_accuracy,
        fit_seconds=fit_seconds,
        history=reporter.history,
        calibration=calibration,
    )
