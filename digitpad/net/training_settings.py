"""The knobs readers of the article turn, checked before anything starts: plain data, no TF.

:class:`TrainingSettings` holds what the Retrain Settings dialog and
``digitpad train``'s flags set (optimizer, learning rate, batch size, epochs,
augmentation, real pen digits, learning-rate schedule) on top of a preset
recipe, says in words what is wrong with them (:meth:`TrainingSettings.problems`)
and turns into the :class:`~digitpad.net.recipes.Recipe` a training runs.
"""

from __future__ import annotations

import dataclasses
import math
from dataclasses import dataclass
from typing import Any

from digitpad.net.recipes import RECIPES, Augmentation, Recipe

#: Preset recipe name -> what people call it.
PRESETS: dict[str, str] = {
    "seed": "The article's recipe",
    "default": "digitpad's default",
}
#: Optimizer name -> what people call it (RMSprop is the article's).
OPTIMIZERS: dict[str, str] = {
    "rmsprop": "RMSprop (the article's)",
    "adam": "Adam",
    "sgd": "SGD with momentum 0.9",
}
#: Schedule name -> what people call it.
SCHEDULES: dict[str, str] = {
    "constant": "constant",
    "onecycle": "one-cycle (warm-up, then cosine decay)",
}
MAX_LEARNING_RATE = 1.0
MAX_BATCH_SIZE = 8192
MAX_EPOCHS = 100
MAX_TRAIN_SAMPLES = 60000
#: The distortions an augmented run uses when its preset has none (``seed``).
DEFAULT_AUGMENTATION = RECIPES["default"].augmentation or Augmentation()


@dataclass(frozen=True)
class TrainingSettings:
    """A preset recipe with the article's knobs set.

    Attributes:
        preset: ``seed`` (the article's recipe) or ``default`` (digitpad's).
        optimizer: ``rmsprop``, ``adam`` or ``sgd`` (momentum 0.9).
        learning_rate: the (peak) learning rate, in (0, 1].
        batch_size: images per gradient step.
        epochs: passes over the training images.
        augment: training-time distortions on (the preset's, or digitpad's
            default ones when the preset has none).
        pen_digits: also train on the bundled real pen-drawn digits.
        schedule: ``constant`` or ``onecycle``.
        train_samples: only the first N MNIST training images (``None``: all).
        seed: makes the run repeatable.
    """

    preset: str
    optimizer: str
    learning_rate: float
    batch_size: int
    epochs: int
    augment: bool
    pen_digits: bool
    schedule: str
    train_samples: int | None = None
    seed: int = 0

    @classmethod
    def from_preset(cls, preset: str) -> TrainingSettings:
        """The settings of preset ``preset`` unchanged.

        Raises:
            ValueError: unknown preset.
        """
        if preset not in RECIPES or preset not in PRESETS:
            raise ValueError(f"unknown preset {preset!r}: choose one of {', '.join(PRESETS)}")
        return cls.from_recipe(RECIPES[preset], preset)

    @classmethod
    def from_recipe(cls, recipe: Recipe, preset: str | None = None) -> TrainingSettings:
        """The settings that give ``recipe`` (its preset: ``preset`` or its name)."""
        name = preset or (recipe.name if recipe.name in PRESETS else "default")
        return cls(
            preset=name,
            optimizer=recipe.optimizer,
            learning_rate=recipe.learning_rate,
            batch_size=recipe.batch_size,
            epochs=recipe.epochs,
            augment=recipe.augmentation is not None,
            pen_digits=recipe.pen_digits,
            schedule=recipe.schedule,
            train_samples=recipe.train_samples,
            seed=recipe.seed,
        )

    def replaced(self, **changes: Any) -> TrainingSettings:
        """These settings with some fields changed (``None`` values ignored)."""
        return dataclasses.replace(
            self, **{key: value for key, value in changes.items() if value is not None}
        )

    def problems(self) -> list[str]:
        """What is wrong with these settings, one sentence each (empty: they are valid)."""
        found = []
        if self.preset not in PRESETS:
            found.append(f"Unknown preset {self.preset!r}: choose {' or '.join(PRESETS)}.")
        if self.optimizer not in OPTIMIZERS:
            found.append(f"Unknown optimizer {self.optimizer!r}: choose {', '.join(OPTIMIZERS)}.")
        if not _is_number(self.learning_rate) or not 0 < self.learning_rate <= MAX_LEARNING_RATE:
            found.append(
                f"The learning rate must be a number above 0 and at most {MAX_LEARNING_RATE:g} "
                f"(the article tries 0.01, 0.003, 0.001…), not {self.learning_rate!r}."
            )
        if not _is_int(self.batch_size) or not 1 <= self.batch_size <= MAX_BATCH_SIZE:
            found.append(
                f"The batch size must be a whole number from 1 to {MAX_BATCH_SIZE} "
                f"(the article uses 32), not {self.batch_size!r}."
            )
        if not _is_int(self.epochs) or not 1 <= self.epochs <= MAX_EPOCHS:
            found.append(
                f"The number of epochs must be a whole number from 1 to {MAX_EPOCHS}, "
                f"not {self.epochs!r}."
            )
        if self.schedule not in SCHEDULES:
            found.append(f"Unknown schedule {self.schedule!r}: choose {', '.join(SCHEDULES)}.")
        if self.train_samples is not None and (
            not _is_int(self.train_samples) or not 1 <= self.train_samples <= MAX_TRAIN_SAMPLES
        ):
            found.append(
                f"The number of training images must be a whole number from 1 to "
                f"{MAX_TRAIN_SAMPLES:,}, not {self.train_samples!r}."
            )
        if not _is_int(self.seed) or self.seed < 0:
            found.append(f"The seed must be a whole number from 0, not {self.seed!r}.")
        return found

    def check(self) -> None:
        """Refuse invalid settings.

        Raises:
            ValueError: the settings are invalid (the message lists every problem).
        """
        problems = self.problems()
        if problems:
            raise ValueError(" ".join(problems))

    def to_recipe(self) -> Recipe:
        """The recipe these settings train with.

        Raises:
            ValueError: the settings are invalid (see :meth:`problems`).
        """
        self.check()
        base = RECIPES[self.preset]
        augmentation = (base.augmentation or DEFAULT_AUGMENTATION) if self.augment else None
        return dataclasses.replace(
            base,
            optimizer=self.optimizer,
            learning_rate=float(self.learning_rate),
            batch_size=self.batch_size,
            epochs=self.epochs,
            augmentation=augmentation,
            pen_digits=self.pen_digits,
            schedule=self.schedule,
            train_samples=self.train_samples,
            seed=self.seed,
        )


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)
