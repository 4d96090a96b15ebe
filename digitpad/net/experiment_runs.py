"""Turn trainings and imported networks into kept runs (:mod:`digitpad.storage.runs`).

One place that knows what a run records: the settings, the per-batch and
per-epoch history, MNIST test accuracy and loss, pendigits-test accuracy
(unknown without a copy of it), the time, and the network. The training
process (``digitpad.net.training_job``) and the CLI call these.

Keras is imported only inside the functions that measure a network: the
training process and the window import :class:`RunHistory` before it.
"""

from __future__ import annotations

import math
import os
from collections.abc import Iterable, Mapping
from typing import Any

from digitpad.storage.mnist import Mnist
from digitpad.storage.runs import RunRecord, RunStore

#: Significant digits kept of each history point (enough for any chart).
_DIGITS = 5


class RunHistory:
    """The batch points and epoch logs of one training, as it goes."""

    def __init__(self) -> None:
        self.batch_x: list[float] = []
        self.batch_loss: list[float] = []
        self.batch_accuracy: list[float] = []
        self.epochs: list[dict[str, float]] = []

    def add_batches(self, points: Iterable[tuple[float, float, float]]) -> None:
        """Record ``(epoch position, loss, accuracy)`` points (non-finite ones skipped)."""
        for x, loss, accuracy in points:
            if math.isfinite(loss) and math.isfinite(accuracy):
                self.batch_x.append(_round(x))
                self.batch_loss.append(_round(loss))
                self.batch_accuracy.append(_round(accuracy))

    def add_epoch(self, epoch: int, logs: Mapping[str, float]) -> None:
        """Record the end of epoch ``epoch`` (1-based) with Keras's logs."""
        entry = {key: _round(value) for key, value in logs.items() if math.isfinite(value)}
        entry["epoch"] = float(epoch)
        self.epochs.append(entry)

    def as_dict(self) -> dict[str, Any]:
        """Plain data, as a run record keeps it."""
        return {
            "batch_x": self.batch_x,
            "batch_loss": self.batch_loss,
            "batch_accuracy": self.batch_accuracy,
            "epochs": self.epochs,
        }


def pen_figures(model: Any, pen_test: str | os.PathLike[str] | None) -> dict[str, Any]:
    """``pen_test_accuracy`` and ``pen_test_images`` of ``model`` (``None``: unknown)."""
    from digitpad.net.pen_test import pen_test_accuracy

    measured = pen_test_accuracy(model, pen_test)
    if measured is None:
        return {"pen_test_accuracy": None, "pen_test_images": None}
    accuracy, images = measured
    return {"pen_test_accuracy": round(accuracy, 6), "pen_test_images": images}


def record_training(
    result: Any,
    history: RunHistory,
    *,
    kind: str = "train",
    pen_test: str | os.PathLike[str] | None = None,
    entry_sha256: str | None = None,
    outcome: str = "",
    store: RunStore | None = None,
) -> RunRecord:
    """Keep a finished training as a run, with its network.

    Args:
        result: a :class:`digitpad.net.training.TrainingResult`.
        history: its batch points and epoch logs.
        kind: ``train`` or ``ladder``.
        pen_test: a pendigits-test file to measure on (``None``: unknown).
        entry_sha256: the model-cache entry it was saved as, if any.
        outcome: what became of it, in words.
        store: the run store.

    Returns:
        The record kept.

    Raises:
        digitpad.storage.runs.RunError: the runs folder cannot be written.
    """
    from digitpad.net.lenet import ARCHITECTURE_ID

    store = store or RunStore()
    recipe = result.recipe
    info = {
        "kind": kind,
        "label": recipe.describe(),
        "architecture": ARCHITECTURE_ID,
        "settings": recipe.as_dict(),
        "history": history.as_dict(),
        "test_accuracy": round(result.test_accuracy, 6),
        "test_loss": round(result.test_loss, 6),
        "seconds": round(result.fit_seconds, 2),
        "entry_sha256": entry_sha256,
        "outcome": outcome,
        **pen_figures(result.model, pen_test),
    }
    return store.record(info, result.model.get_weights())


def import_network(
    path: str | os.PathLike[str],
    mnist: Mnist,
    *,
    pen_test: str | os.PathLike[str] | None = None,
    store: RunStore | None = None,
) -> RunRecord:
    """Read a network saved by the article's code, measure it, keep it as a run.

    Only its weights are read (:func:`digitpad.net.network_import.read_weights`).

    Returns:
        The run kept (``kind`` ``import``; ``source`` names the file and its sha256).

    Raises:
        digitpad.net.network_import.NetworkImportError: not a network digitpad can use.
        digitpad.storage.runs.RunError: the runs folder cannot be written.
    """
    import time
    from pathlib import Path

    from digitpad.net.inference import evaluate
    from digitpad.net.lenet import ARCHITECTURE_ID, lenet_from_weights
    from digitpad.net.network_import import read_weights

    started = time.perf_counter()
    imported = read_weights(path)
    model = lenet_from_weights(imported.weights)
    test_loss, test_accuracy = evaluate(model, mnist.x_test, mnist.y_test)
    name = Path(path).name
    info = {
        "kind": "import",
        "label": f"imported {name}",
        "architecture": ARCHITECTURE_ID,
        "settings": None,
        "history": RunHistory().as_dict(),
        "test_accuracy": round(test_accuracy, 6),
        "test_loss": round(test_loss, 6),
        "seconds": None,
        "source": {
            "file": str(Path(path).resolve()),
            "sha256": imported.sha256,
            "format": imported.file_format,
            "layers": imported.layers,
            "ignored_layers": imported.ignored,
            "mnist_source": mnist.source,
        },
        "outcome": "imported",
        **pen_figures(model, pen_test),
    }
    info["import_seconds"] = round(time.perf_counter() - started, 2)
    return (store or RunStore()).record(info, imported.weights)


def _round(value: float) -> float:
    return float(f"{float(value):.{_DIGITS}g}")
