"""What a training run reports while it runs: plain data, no TensorFlow.

The window's process receives these from the training process (pickled over
a pipe), so unpickling them must not import Keras.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Protocol

import numpy as np

from digitpad.net.experiment_runs import RunHistory


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


class PipeReporter:
    """A training listener that sends what the window shows over the pipe."""

    def __init__(self, send: Any, first: int, refresh: int) -> None:
        self.send = send
        self.first = first
        self.refresh = refresh
        self.last_snapshot: int | None = None
        self.points: list[tuple[float, float, float]] = []
        self.running = (0.0, 0.0)
        self.history = RunHistory()

    def on_batch_end(self, progress: Progress) -> None:
        """Record this batch's own loss and accuracy (for the chart and the run)."""
        # Keras reports the epoch's running means; undo the averaging to get
        # this batch's own loss and accuracy (the chart smooths them).
        n = progress.step
        previous_loss, previous_accuracy = self.running if n > 1 else (0.0, 0.0)
        self.running = (progress.loss, progress.accuracy)
        loss = n * progress.loss - (n - 1) * previous_loss
        accuracy = min(1.0, max(0.0, n * progress.accuracy - (n - 1) * previous_accuracy))
        x = progress.epoch - 1 + n / progress.steps_per_epoch
        self.points.append((x, loss, accuracy))
        self.history.add_batches([(x, loss, accuracy)])

    def on_progress(self, progress: Progress) -> None:
        """Send the progress and the batches since the last one."""
        # Batch points travel with the (throttled) progress: a few messages a second.
        points, self.points = self.points, []
        self.send(("progress", progress, points))

    def on_snapshot(self, weights: list[np.ndarray], progress: Progress) -> None:
        """Send a copy of the weights, at most every ``refresh`` steps."""
        step = (progress.epoch - 1) * progress.steps_per_epoch + progress.step
        if self.last_snapshot is None or step - self.last_snapshot >= self.refresh:
            self.last_snapshot = step
            self.send(("snapshot", [np.asarray(w) for w in weights], progress))

    def on_epoch_end(self, progress: Progress, logs: dict[str, float]) -> None:
        """Send the epoch's logs."""
        self.send(("epoch", progress.epoch, {k: float(v) for k, v in logs.items()}))
        self.history.add_epoch(progress.epoch, logs)
        if progress.epoch >= progress.epochs:
            self.send(("phase", "Testing on 10,000 MNIST digits…"))
