"""The points of the latest training run: plain Python, no widgets.

Kept by the model session while a run goes on (cheap, always on); drawn by
``digitpad.gui.training_chart`` and summarised in Model Info.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from typing import Any

#: Smoothing of the per-batch curves (TensorBoard's debiased moving average).
SMOOTHING = 0.9


class TrainingHistory:
    """The points of one training run (the latest), for the chart and Model info.

    Attributes:
        title: what the run is ("default: 4 epochs, batch 256, …").
        batch_x: position of each batch in epochs (1.5 = half-way through
            the second epoch).
        batch_loss: each batch's own loss.
        batch_accuracy: each batch's own accuracy.
        epochs: per-epoch Keras logs (``loss``, ``accuracy`` and, when
            validated, ``val_loss``, ``val_accuracy``), with ``epoch`` added.
        finished: the run ended (success, cancel or failure).
    """

    def __init__(self) -> None:
        self.reset("")

    def reset(self, title: str) -> None:
        """Forget the previous run; a new one called ``title`` starts."""
        self.title = title
        self.batch_x: list[float] = []
        self.batch_loss: list[float] = []
        self.batch_accuracy: list[float] = []
        self.smooth_loss: list[float] = []
        self.smooth_accuracy: list[float] = []
        self.epochs: list[dict[str, float]] = []
        self.finished = False
        self.outcome = ""
        self._ema = [0.0, 0.0]
        self.revision = 0

    @classmethod
    def from_dict(cls, data: Mapping[str, Any], title: str = "") -> TrainingHistory:
        """A finished run's history from a run record's ``history`` (plain data)."""
        history = cls()
        history.reset(title)
        points = zip(
            data.get("batch_x", []),
            data.get("batch_loss", []),
            data.get("batch_accuracy", []),
            strict=False,
        )
        history.add_batches(points)
        for entry in data.get("epochs", []):
            history.add_epoch(int(entry.get("epoch", len(history.epochs) + 1)), entry)
        history.finished = True
        return history

    def is_empty(self) -> bool:
        """Whether no point was recorded yet."""
        return not self.batch_x and not self.epochs

    def add_batches(self, points: Iterable[tuple[float, float, float]]) -> None:
        """Record ``(epoch_position, loss, accuracy)`` points of consecutive batches."""
        for x, loss, accuracy in points:
            if not (math.isfinite(loss) and math.isfinite(accuracy)):
                continue
            self.batch_x.append(float(x))
            self.batch_loss.append(float(loss))
            self.batch_accuracy.append(float(accuracy))
            n = len(self.batch_x)
            debias = 1.0 - SMOOTHING**n
            self._ema[0] = SMOOTHING * self._ema[0] + (1 - SMOOTHING) * loss
            self._ema[1] = SMOOTHING * self._ema[1] + (1 - SMOOTHING) * accuracy
            self.smooth_loss.append(self._ema[0] / debias)
            self.smooth_accuracy.append(self._ema[1] / debias)
        self.revision += 1

    def add_epoch(self, epoch: int, logs: Mapping[str, float]) -> None:
        """Record the end of epoch ``epoch`` (1-based) with Keras's logs."""
        entry = {key: float(value) for key, value in logs.items()}
        entry["epoch"] = float(epoch)
        self.epochs.append(entry)
        self.revision += 1

    def finish(self, outcome: str) -> None:
        """The run ended: ``trained``, ``cancelled`` or ``failed``."""
        self.finished = True
        self.outcome = outcome
        self.revision += 1

    def epochs_html(self) -> str:
        """The per-epoch figures as an HTML table ("" when there are none)."""
        if not self.epochs:
            return ""
        has_val = any("val_loss" in entry for entry in self.epochs)
        head = "<tr><th>Epoch</th><th>Loss</th><th>Accuracy</th>"
        head += "<th>Val. loss</th><th>Val. accuracy</th></tr>" if has_val else "</tr>"
        rows = []
        for entry in self.epochs:
            cells = [
                f"{int(entry['epoch'])}",
                _fmt(entry.get("loss"), "{:.4f}"),
                _fmt(entry.get("accuracy"), "{:.2%}"),
            ]
            if has_val:
                cells += [
                    _fmt(entry.get("val_loss"), "{:.4f}"),
                    _fmt(entry.get("val_accuracy"), "{:.2%}"),
                ]
            rows.append(
                "<tr>"
                + "".join(f"<td align='right' style='padding:0 6px'>{c}</td>" for c in cells)
                + "</tr>"
            )
        return f"<table>{head}{''.join(rows)}</table>"


def _fmt(value: Any, pattern: str) -> str:
    try:
        return pattern.format(float(value))
    except (TypeError, ValueError):
        return "–"
