"""Whether an adapted network may replace the one in use: the rules, as plain data.

Adapting to one person's handwriting (:mod:`digitpad.net.adaptation`) holds back part
of their corrected drawings, fine-tunes on the rest, then measures both
networks on what was held back and on the 10,000 MNIST test digits. The
adapted network is adopted only if it reads the held-back drawings better
and has not forgotten how to read everyone else's.

Pure Python and numpy: no Qt, no TensorFlow (tested in milliseconds).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

#: Fewest corrected drawings worth adapting to.
MIN_SAMPLES = 10
#: Share of each digit's drawings held back to measure (at least one of
#: each digit that has two or more).
HOLDOUT_FRACTION = 0.2
#: Largest acceptable fall in MNIST test accuracy (0.3 percentage points).
MAX_MNIST_DROP = 0.003


class NotEnoughSamplesError(ValueError):
    """Too few corrected drawings to adapt to (the message says how many more)."""


@dataclass(frozen=True)
class Scores:
    """How one network reads the held-back drawings and MNIST's test set.

    Attributes:
        user_accuracy: accuracy on the held-back drawings.
        user_loss: mean cross-entropy on them (breaks accuracy ties).
        mnist_accuracy: accuracy on the 10,000 MNIST test digits.
    """

    user_accuracy: float
    user_loss: float
    mnist_accuracy: float


@dataclass(frozen=True)
class Decision:
    """Adopt or not, and why (one sentence for people)."""

    adopt: bool
    reason: str


def split_holdout(
    labels: np.ndarray, fraction: float = HOLDOUT_FRACTION, seed: int = 0
) -> tuple[np.ndarray, np.ndarray]:
    """Split drawings into those trained on and those held back, digit by digit.

    Each digit with at least two drawings gives ``round(fraction * n)`` of
    them (at least one) to the held-back part, chosen at random with
    ``seed``; a digit with one drawing only is trained on.

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
    if len(labels) < MIN_SAMPLES:
        more = MIN_SAMPLES - len(labels)
        raise NotEnoughSamplesError(
            f"Adapting needs at least {MIN_SAMPLES} corrected drawings; there "
            f"{'is' if len(labels) == 1 else 'are'} {len(labels)}. Correct "
            f"{more} more misread drawing{'s' * (more != 1)} first (type the right "
            "digit, or click its bar)."
        )
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


def decide(before: Scores, after: Scores, max_mnist_drop: float = MAX_MNIST_DROP) -> Decision:
    """Adopt the adapted network only if it is better for the user and not worse for all.

    Better for the user: more held-back drawings read right, or as many with a
    lower loss (surer of the right digits). Not worse for everyone: MNIST test
    accuracy at most ``max_mnist_drop`` below the network in use.
    """
    drop = before.mnist_accuracy - after.mnist_accuracy
    # A hair of tolerance: accuracies are ratios of whole counts.
    if drop > max_mnist_drop + 1e-9:
        return Decision(
            False,
            f"Kept the current network: the adapted one reads MNIST's test digits "
            f"{drop * 100:.2f} points worse (at most {max_mnist_drop * 100:.1f} allowed).",
        )
    if after.user_accuracy > before.user_accuracy:
        return Decision(
            True,
            f"Adopted: it reads your held-back drawings {after.user_accuracy:.0%} right "
            f"(was {before.user_accuracy:.0%}).",
        )
    if after.user_accuracy == before.user_accuracy and after.user_loss < before.user_loss:
        return Decision(
            True,
            f"Adopted: as accurate on your held-back drawings ({after.user_accuracy:.0%}) "
            "and surer of the right digits.",
        )
    return Decision(
        False,
        f"Kept the current network: the adapted one is not better on your held-back "
        f"drawings ({after.user_accuracy:.0%} vs {before.user_accuracy:.0%}).",
    )
