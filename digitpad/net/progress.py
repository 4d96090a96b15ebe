"""What a training run reports while it runs: plain data, no TensorFlow.

The window's process receives these from the training process (pickled over
a pipe), so unpickling them must not import Keras.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

import numpy as np


@dataclass(frozen=True)
class Progress:
    """Where a training run is.

    Attributes:
        epoch: current epoch, 1-based.
        epochs: total epochs.
        step: batches done in the current epoch.
        steps_per_epoch: batches per epoch.
        fraction: overall fraction done, 0..1.
        elapsed_s: seconds since fitting started.
        eta_s: estimated seconds left, or ``None`` before it can be known.
        loss: running mean training loss of the epoch.
        accuracy: running mean training accuracy of the epoch.
    """

    epoch: int
    epochs: int
    step: int
    steps_per_epoch: int
    fraction: float
    elapsed_s: float
    eta_s: float | None
    loss: float
    accuracy: float


class TrainingListener(Protocol):
    """What a training run reports. Implement any subset; all are optional."""

    def on_progress(self, progress: Progress) -> None:
        """Called at most every ``progress_interval_s`` and at each epoch end."""

    def on_snapshot(self, weights: list[np.ndarray], progress: Progress) -> None:
        """Called every ``snapshot_every`` batches with a copy of the weights."""

    def on_epoch_end(self, progress: Progress, logs: dict[str, float]) -> None:
        """Called after each epoch with Keras's logs."""

    def on_batch_end(self, progress: Progress) -> None:
        """Called after every batch (unthrottled; only if the listener has it)."""


class TrainingCancelled(Exception):
    """The run was cancelled; nothing was produced."""
