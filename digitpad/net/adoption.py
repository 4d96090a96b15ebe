"""Whether an adapted network may replace the one in use: the rules, as plain data.

Adapting to one person's handwriting (:mod:`digitpad.net.adaptation`) is judged
by cross-validation over *all* their kept drawings: the drawings are split
into folds (:func:`cv_folds`); for each fold the base network is fine-tuned
on the other folds and both networks read the fold it never saw, each with
the personal memory (:mod:`digitpad.net.memory`) of the other folds on.
Every kept drawing is thus read once by an adapted network that had not
seen it, and once by what the user already has without adapting: the base
network with the memory of their corrections.

The adapted network is adopted only if

* it reads MNIST's 10,000 test digits at most 0.3 points worse, and
* with the memory on, it reads the user's drawings better than the memory
  alone by more than chance explains: among the drawings only one of the two
  reads right, the adapted one must win so often that a fair coin would do
  as well less than 5 % of the time (one-sided exact sign test, McNemar's
  test on paired right/wrong), and its mean log-loss must not be worse.

The previous rule compared accuracies on a fifth of the drawings held back
and adopted on any gain, or on a lower loss at equal accuracy: with ten
held-back drawings, all right before and after, it adopted a network that
read the user's other drawings worse (97.3 % -> 97.0 %).

Pure Python and numpy: no Qt, no TensorFlow (tested in milliseconds).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np

from digitpad.messages import QT_TRANSLATE_NOOP, Message

#: Fewest kept drawings worth adapting to.
MIN_SAMPLES = 10
#: Share of each digit's drawings held back by :func:`split_holdout`.
HOLDOUT_FRACTION = 0.2
#: Largest acceptable fall in MNIST test accuracy (0.3 percentage points).
MAX_MNIST_DROP = 0.003
#: Largest chance (one-sided) that the adapted network's wins are luck.
SIGNIFICANCE = 0.05
#: Folds of the cross-validation (each a full fine-tune: two keep Adapt
#: within about twice its former time).
FOLDS = 2


class NotEnoughSamplesError(ValueError):
    """Too few kept drawings to adapt to (the message says how many more)."""


@dataclass(frozen=True)
class Scores:
    """How one network (with the memory on) reads the user's drawings, and MNIST.

    Attributes:
        user_accuracy: share of the user's drawings read right (each read by a
            network that had not seen it).
        user_loss: their mean cross-entropy.
        mnist_accuracy: accuracy on the 10,000 MNIST test digits.
        right: per drawing, read right or not (empty: only the means are known).
        losses: per drawing, its cross-entropy (same order as ``right``).
    """

    user_accuracy: float
    user_loss: float
    mnist_accuracy: float
    right: np.ndarray = field(default_factory=lambda: np.zeros(0, bool), compare=False)
    losses: np.ndarray = field(default_factory=lambda: np.zeros(0), compare=False)

    @classmethod
    def from_probabilities(
        cls, probabilities: np.ndarray, labels: np.ndarray, mnist_accuracy: float
    ) -> Scores:
        """Scores of the rows of ``probabilities`` (N x 10) against ``labels``."""
        p = np.asarray(probabilities, dtype=np.float64)
        y = np.asarray(labels, dtype=np.int64)
        right = p.argmax(axis=1) == y if len(y) else np.zeros(0, bool)
        losses = -np.log(np.clip(p[np.arange(len(y)), y], 1e-7, 1.0))
        return cls(
            user_accuracy=float(right.mean()) if len(y) else 0.0,
            user_loss=float(losses.mean()) if len(y) else 0.0,
            mnist_accuracy=float(mnist_accuracy),
            right=right,
            losses=losses,
        )


@dataclass(frozen=True)
class Decision:
    """Adopt or not, and why (one sentence for people).

    Attributes:
        adopt: whether the adapted network replaces the one in use.
        why: the sentence (a :class:`~digitpad.messages.Message`, translated
            by the window; a plain string from a test).
        fixed: drawings only the adapted network reads right.
        broken: drawings only the network in use reads right.
        p_value: chance of at least ``fixed`` wins out of ``fixed + broken`` by luck.
    """

    adopt: bool
    why: Message | str
    fixed: int = 0
    broken: int = 0
    p_value: float = 1.0

    @property
    def reason(self) -> str:
        """:attr:`why` in English."""
        return str(self.why)


def sign_test(wins: int, losses: int) -> float:
    """One-sided exact sign test: P(at least ``wins`` heads in ``wins + losses`` fair tosses)."""
    n = wins + losses
    if n == 0:
        return 1.0
    return sum(math.comb(n, k) for k in range(wins, n + 1)) / 2.0**n


def cv_folds(labels: np.ndarray, folds: int = FOLDS, seed: int = 0) -> list[np.ndarray]:
    """Split drawings into ``folds`` parts, each digit spread evenly over them.

    The drawings of each digit are shuffled (with ``seed``) and dealt out in
    turn, continuing where the previous digit stopped, so fold sizes differ
    by at most one and every fold has the digits in about the same shares.

    Args:
        labels: the digit of each drawing.
        folds: how many parts (at least 2).
        seed: makes the split repeatable.

    Returns:
        ``folds`` sorted index arrays, together covering every drawing once.

    Raises:
        NotEnoughSamplesError: fewer than :data:`MIN_SAMPLES` drawings.
        ValueError: ``folds`` below 2.
    """
    labels = np.asarray(labels, dtype=np.int64)
    _check_enough(len(labels))
    if folds < 2:
        raise ValueError("cross-validation needs at least 2 folds")
    rng = np.random.default_rng(seed)
    parts: list[list[int]] = [[] for _ in range(folds)]
    turn = 0
    for digit in np.unique(labels):
        for index in rng.permutation(np.nonzero(labels == digit)[0]):
            parts[turn % folds].append(int(index))
            turn += 1
    return [np.sort(np.asarray(part, dtype=np.int64)) for part in parts]


def split_holdout(
    labels: np.ndarray, fraction: float = HOLDOUT_FRACTION, seed: int = 0
) -> tuple[np.ndarray, np.ndarray]:
    """Split drawings into those trained on and those held back, digit by digit.

    Each digit with at least two drawings gives ``round(fraction * n)`` of
    them (at least one) to the held-back part, chosen at random with
    ``seed``; a digit with one drawing only is trained on. (Adapting now
    cross-validates with :func:`cv_folds`; the command line uses this to
    check the drawings before loading anything heavy.)

    Args:
        labels: the digit of each drawing.
        fraction: share held back.
        seed: makes the split repeatable.

    Returns:
        Indices to train on and indices held back (sorted).

    Raises:
        NotEnoughSamplesError: fewer than :data:`MIN_SAMPLES` drawings, or
            none could be held back.
    """
    labels = np.asarray(labels, dtype=np.int64)
    _check_enough(len(labels))
    rng = np.random.default_rng(seed)
    held: list[int] = []
    for digit in np.unique(labels):
        members = np.nonzero(labels == digit)[0]
        if len(members) < 2:
            continue
        count = max(1, round(fraction * len(members)))
        held.extend(rng.choice(members, size=min(count, len(members) - 1), replace=False))
    if not held:
        raise NotEnoughSamplesError(
            "Adapting needs two or more drawings of at least one digit, to keep "
            "one aside and check the adapted network on it."
        )
    holdout = np.sort(np.asarray(held, dtype=np.int64))
    train = np.setdiff1d(np.arange(len(labels)), holdout)
    return train, holdout


def decide(
    before: Scores,
    after: Scores,
    max_mnist_drop: float = MAX_MNIST_DROP,
    significance: float = SIGNIFICANCE,
) -> Decision:
    """Adopt the adapted network only if it is clearly better for the user and not worse for all.

    Args:
        before: what the user has without adapting (base network + memory),
            cross-validated, with per-drawing ``right`` and ``losses``.
        after: the adapted network + memory on the same drawings, in the same order.
        max_mnist_drop: largest acceptable fall in MNIST test accuracy.
        significance: largest acceptable chance that the wins are luck.

    Returns:
        The :class:`Decision`; refused when the per-drawing results are missing.
    """
    comparable = 0 < len(before.right) == len(after.right)
    fixed = int(np.sum(after.right & ~before.right)) if comparable else 0
    broken = int(np.sum(before.right & ~after.right)) if comparable else 0
    p_value = sign_test(fixed, broken)
    drop = before.mnist_accuracy - after.mnist_accuracy
    # A hair of tolerance: accuracies are ratios of whole counts.
    if drop > max_mnist_drop + 1e-9:
        return Decision(
            False,
            _say(
                QT_TRANSLATE_NOOP(
                    "Adoption",
                    "Kept the current network: the adapted one reads MNIST's test digits "
                    "{drop:.2f} points worse (at most {allowed:.1f} allowed).",
                ),
                drop=drop * 100,
                allowed=max_mnist_drop * 100,
            ),
            fixed,
            broken,
            p_value,
        )
    if not comparable:
        return Decision(
            False,
            _say(
                QT_TRANSLATE_NOOP(
                    "Adoption",
                    "Kept the current network: the adapted one could not be compared drawing "
                    "by drawing with it.",
                )
            ),
        )
    figures = _say(
        QT_TRANSLATE_NOOP(
            "Adoption",
            "{after:.0%} of your drawings read right by networks that had not seen them (now, "
            "learning at once from your corrections: {before:.0%})",
        ),
        after=after.user_accuracy,
        before=before.user_accuracy,
    )
    if p_value < significance and after.user_loss <= before.user_loss:
        adopted = (
            QT_TRANSLATE_NOOP(
                "Adoption",
                "Adopted: {figures}; it reads 1 drawing right that is misread now, and "
                "{broken} the other way round.",
            )
            if fixed == 1
            else QT_TRANSLATE_NOOP(
                "Adoption",
                "Adopted: {figures}; it reads {fixed} drawings right that are misread now, "
                "and {broken} the other way round.",
            )
        )
        return Decision(
            True,
            Message("Adoption", adopted, {"figures": figures, "fixed": fixed, "broken": broken}),
            fixed,
            broken,
            p_value,
        )
    if fixed <= broken:
        why = _say(
            QT_TRANSLATE_NOOP("Adoption", "it reads {fixed} more right and {broken} more wrong"),
            fixed=fixed,
            broken=broken,
        )
    elif p_value >= significance:
        why = _say(
            QT_TRANSLATE_NOOP(
                "Adoption",
                "{fixed} more right and {broken} more wrong could be chance ({p:.0%} likely by "
                "luck alone; at most {significance:.0%} accepted)",
            ),
            fixed=fixed,
            broken=broken,
            p=p_value,
            significance=significance,
        )
    else:
        why = _say(
            QT_TRANSLATE_NOOP(
                "Adoption", "it reads more right, but is less sure of the right digits"
            )
        )
    return Decision(
        False,
        _say(
            QT_TRANSLATE_NOOP(
                "Adoption",
                "Kept the current network: the adapted one is not clearly better: {why}. "
                "{figures}.",
            ),
            why=why,
            figures=figures,
        ),
        fixed,
        broken,
        p_value,
    )


def _check_enough(count: int) -> None:
    if count < MIN_SAMPLES:
        more = MIN_SAMPLES - count
        raise NotEnoughSamplesError(
            f"Adapting needs at least {MIN_SAMPLES} corrected drawings; there "
            f"{'is' if count == 1 else 'are'} {count}. Correct "
            f"{more} more misread drawing{'s' * (more != 1)} first (type the right "
            "digit, or click its bar)."
        )


def _say(template: str, **values: object) -> Message:
    return Message("Adoption", template, dict(values))
