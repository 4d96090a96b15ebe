"""The article's way of picking a learning rate, as one plan and one honest rule.

The article tries 0.01, then a third of it (0.003), then 0.001, … and keeps
the rate whose loss comes down fastest without jumping about.
:class:`LadderPlan` is such a series of short trainings (same images, same
seed, one epoch each); :func:`judge` reads their batch loss curves and says
which converged fastest and which oscillated or diverged, by the rule in
:data:`RULE` (shown to the user as it is written here).

Pure Python and numpy: no TensorFlow, no Qt.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from digitpad.messages import QT_TRANSLATE_NOOP, Message
from digitpad.net.recipes import RECIPES, Recipe

DEFAULT_RATES = (0.01, 0.003, 0.001, 0.0003)
DEFAULT_SUBSET = 6000
#: Each curve is cut into this many equal windows of batches.
WINDOWS = 10
#: A window's mean loss this much above the best earlier window (relatively
#: and absolutely) went back up. Every rate sees the same batches in the same
#: order, so a window of harder images lifts them all a little (+30%, +0.05
#: was measured on the article's recipe): that is not oscillation.
OSCILLATION_RISE = 0.5
OSCILLATION_MARGIN = 0.15
#: Batches whose mean loss is where a run started (the first batch's loss is
#: measured before any update: ~2.30 for every rate, as they share a seed).
START_BATCHES = 1
#: A window's mean loss this much above where the run started: it blew up first.
START_RISE = 0.1
#: ln(10): the loss of a network that guesses among ten digits.
CHANCE_LOSS = math.log(10.0)

#: The rule :func:`judge` applies, in words for the user.
RULE_MESSAGE = Message(
    "LadderRule",
    QT_TRANSLATE_NOOP(
        "LadderRule",
        "Each rate's batch losses are cut into {windows} equal windows and averaged per "
        "window. Diverged: a loss is not a number, or the last window's loss is not below "
        "the first window's, or it is above {chance:.2f} (guessing among ten digits). "
        "Oscillated: a window's loss is more than {start_rise:.0%} above the first batch's "
        "(it jumped up before coming down), or a later window's loss rises more than "
        "{rise:.0%} and more than {margin} above the best window before it. Fastest: of the "
        "rates that did neither, the lowest mean loss over the whole run (the area under "
        "its loss curve: the sooner the loss came down, the smaller it is).",
    ),
    {
        "windows": WINDOWS,
        "chance": CHANCE_LOSS,
        "start_rise": START_RISE,
        "rise": OSCILLATION_RISE,
        "margin": OSCILLATION_MARGIN,
    },
)
RULE = str(RULE_MESSAGE)

CONVERGED, OSCILLATED, DIVERGED = "converged", "oscillated", "diverged"


@dataclass(frozen=True)
class LadderPlan:
    """Short trainings that differ only by their learning rate.

    Attributes:
        rates: the learning rates, in the order they are tried.
        subset: the first N MNIST training images each one trains on.
        epochs: epochs of each.
        preset: the recipe they start from (``seed``: the article's).
        seed: the same seed for each (same initial weights, same order).
    """

    rates: tuple[float, ...] = DEFAULT_RATES
    subset: int = DEFAULT_SUBSET
    epochs: int = 1
    preset: str = "seed"
    seed: int = 0

    def __post_init__(self) -> None:
        if not self.rates:
            raise ValueError("the ladder needs at least one learning rate")
        for rate in self.rates:
            if not isinstance(rate, int | float) or not math.isfinite(rate) or not 0 < rate <= 1:
                raise ValueError(f"learning rates must be in (0, 1], got {rate!r}")
        if len(set(self.rates)) != len(self.rates):
            raise ValueError("each learning rate may be tried only once")
        if not 1 <= self.subset <= 60000:
            raise ValueError(f"the subset must be 1..60000 images, got {self.subset}")
        if not 1 <= self.epochs <= 100:
            raise ValueError(f"epochs must be 1..100, got {self.epochs}")
        if self.preset not in RECIPES:
            raise ValueError(f"unknown preset {self.preset!r}")

    def recipe(self, rate: float) -> Recipe:
        """The recipe of the training at learning rate ``rate``."""
        return dataclasses.replace(
            RECIPES[self.preset],
            learning_rate=float(rate),
            epochs=self.epochs,
            train_samples=self.subset,
            seed=self.seed,
        )


@dataclass(frozen=True)
class Verdict:
    """What :func:`judge` says of one rate.

    Attributes:
        rate: the learning rate.
        outcome: :data:`CONVERGED`, :data:`OSCILLATED` or :data:`DIVERGED`.
        mean_loss: mean batch loss over the run (the area under the curve
            divided by its length); ``nan`` when not finite.
        why: why, in words ("the loss went back up 40% in window 7 of 10").
    """

    rate: float
    outcome: str
    mean_loss: float
    why: Message

    @property
    def reason(self) -> str:
        """:attr:`why` in English."""
        return str(self.why)


@dataclass(frozen=True)
class LadderVerdict:
    """The ladder's answer.

    Attributes:
        verdicts: one per rate, in the order given.
        fastest: the rate that converged fastest, or ``None`` when none converged.
    """

    verdicts: tuple[Verdict, ...]
    fastest: float | None

    def summary(self) -> str:
        """A few lines for people."""
        lines = [f"{v.rate:g}: {v.outcome} ({v.reason})" for v in self.verdicts]
        if self.fastest is None:
            lines.append("No rate converged: try smaller ones.")
        else:
            lines.append(f"Fastest to converge: {self.fastest:g}.")
        return "\n".join(lines)


def window_means(losses: Sequence[float], windows: int = WINDOWS) -> np.ndarray:
    """Mean loss in each of ``windows`` equal runs of batches (fewer when there are few).

    Raises:
        ValueError: no losses.
    """
    values = np.asarray(losses, dtype=np.float64)
    if values.size == 0:
        raise ValueError("a curve needs at least one batch")
    count = min(windows, values.size)
    return np.asarray([part.mean() for part in np.array_split(values, count)])


def judge_curve(rate: float, losses: Sequence[float]) -> Verdict:
    """Classify one rate's batch loss curve by :data:`RULE`."""
    values = np.asarray(losses, dtype=np.float64)
    if values.size == 0 or not np.isfinite(values).all():
        return Verdict(
            rate,
            DIVERGED,
            math.nan,
            _why(QT_TRANSLATE_NOOP("LadderRule", "its loss is not a number")),
        )
    means = window_means(values)
    mean_loss = float(values.mean())
    first, last = float(means[0]), float(means[-1])
    if last > CHANCE_LOSS:
        return Verdict(
            rate,
            DIVERGED,
            mean_loss,
            _why(
                QT_TRANSLATE_NOOP("LadderRule", "final loss {last:.2f} is worse than guessing"),
                last=last,
            ),
        )
    if len(means) > 1 and last >= first:
        return Verdict(
            rate,
            DIVERGED,
            mean_loss,
            _why(
                QT_TRANSLATE_NOOP(
                    "LadderRule", "the loss did not come down ({first:.2f} to {last:.2f})"
                ),
                first=first,
                last=last,
            ),
        )
    start = float(values[:START_BATCHES].mean())
    peak = int(np.argmax(means))
    if means[peak] > start * (1 + START_RISE):
        return Verdict(
            rate,
            OSCILLATED,
            mean_loss,
            _why(
                QT_TRANSLATE_NOOP(
                    "LadderRule",
                    "the loss jumped from {start:.2f} to "
                    "{peak:.2f} in window {window} of {windows}",
                ),
                start=start,
                peak=float(means[peak]),
                window=peak + 1,
                windows=len(means),
            ),
        )
    for index in range(1, len(means)):
        best = float(means[:index].min())
        if means[index] > max(best * (1 + OSCILLATION_RISE), best + OSCILLATION_MARGIN):
            rise = means[index] / best - 1
            return Verdict(
                rate,
                OSCILLATED,
                mean_loss,
                _why(
                    QT_TRANSLATE_NOOP(
                        "LadderRule",
                        "the loss went back up {rise:.0%} in window {window} of {windows}",
                    ),
                    rise=float(rise),
                    window=index + 1,
                    windows=len(means),
                ),
            )
    return Verdict(
        rate,
        CONVERGED,
        mean_loss,
        _why(
            QT_TRANSLATE_NOOP("LadderRule", "loss {first:.2f} to {last:.2f}, mean {mean:.3f}"),
            first=first,
            last=last,
            mean=mean_loss,
        ),
    )


def _why(template: str, **values: float | int) -> Message:
    return Message("LadderRule", template, values)


def judge(curves: Mapping[float, Sequence[float]]) -> LadderVerdict:
    """Say which rate converged fastest and which oscillated or diverged (:data:`RULE`).

    Args:
        curves: learning rate -> its batch losses, in order.

    Returns:
        The verdicts in the order of ``curves`` and the fastest rate.
    """
    verdicts = tuple(judge_curve(rate, losses) for rate, losses in curves.items())
    converged = [v for v in verdicts if v.outcome == CONVERGED]
    fastest = min(converged, key=lambda v: (v.mean_loss, -v.rate)).rate if converged else None
    return LadderVerdict(verdicts, fastest)
