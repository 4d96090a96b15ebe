"""The points of the latest training run: plain Python and numpy, no widgets.

Kept by the model session while a run goes on (cheap, always on); drawn by
``digitpad.gui.training_chart`` and summarised in Model Info.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Mapping
from typing import Any

import numpy as np

from digitpad.gui import i18n
from digitpad.gui.i18n import translate

#: The per-batch series, as :meth:`TrainingHistory.array` names them.
SERIES = ("batch_x", "batch_loss", "batch_accuracy", "smooth_loss", "smooth_accuracy")
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
        smooth_loss: the batch losses smoothed (see :data:`SMOOTHING`).
        smooth_accuracy: the batch accuracies smoothed.
        epochs: per-epoch Keras logs (``loss``, ``accuracy`` and, when
            validated, ``val_loss``, ``val_accuracy``), with ``epoch`` added.
        finished: the run ended (success, cancel or failure).
        revision: grows at every change, across :meth:`reset` too (what
            charts compare to know whether they drew the latest points).
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
        # Never back to an earlier value: a chart that drew revision 5 of the
        # previous run must not take the new run's revision 5 for it.
        self.revision = getattr(self, "revision", -1) + 1
        # The series again as rows of one float64 array, filled as points
        # come (so that a chart redraws without converting lists).
        self._buffer = np.empty((len(SERIES), 0), dtype=np.float64)

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

    def array(self, name: str) -> np.ndarray:
        """Series ``name`` (one of :data:`SERIES`) as a read-only float64 array.

        No conversion: the arrays are filled as points are added, so a chart
        redrawing a run (again, in another order, at another size) costs no
        more for a long run's lists.
        """
        if name not in SERIES:
            raise ValueError(f"unknown series {name!r}; use one of {', '.join(SERIES)}")
        view = self._buffer[SERIES.index(name), : len(self.batch_x)]
        view.flags.writeable = False
        return view

    def add_batches(self, points: Iterable[tuple[float, float, float]]) -> None:
        """Record ``(epoch_position, loss, accuracy)`` points of consecutive batches."""
        start = len(self.batch_x)
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
        self._extend_buffer(start)
        self.revision += 1

    def _extend_buffer(self, start: int) -> None:
        """Copy the points from ``start`` on into the arrays (grown by doubling)."""
        count = len(self.batch_x)
        if count == start:
            return
        if count > self._buffer.shape[1]:
            grown = np.empty((len(SERIES), max(count, 2 * self._buffer.shape[1], 256)))
            grown[:, :start] = self._buffer[:, :start]
            self._buffer = grown
        for row, name in enumerate(SERIES):
            self._buffer[row, start:count] = getattr(self, name)[start:]

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
        names = [
            translate("TrainingHistory", "Epoch"),
            translate("TrainingHistory", "Loss"),
            translate("TrainingHistory", "Accuracy"),
        ]
        if has_val:
            names += [
                translate("TrainingHistory", "Val. loss"),
                translate("TrainingHistory", "Val. accuracy"),
            ]
        head = "<tr>" + "".join(f"<th>{name}</th>" for name in names) + "</tr>"
        rows = []
        for entry in self.epochs:
            cells = [
                f"{int(entry['epoch'])}",
                _fmt(entry.get("loss"), _loss),
                _fmt(entry.get("accuracy"), _accuracy),
            ]
            if has_val:
                cells += [
                    _fmt(entry.get("val_loss"), _loss),
                    _fmt(entry.get("val_accuracy"), _accuracy),
                ]
            rows.append(
                "<tr>"
                + "".join(f"<td align='right' style='padding:0 6px'>{c}</td>" for c in cells)
                + "</tr>"
            )
        return f"<table>{head}{''.join(rows)}</table>"


def _fmt(value: Any, formatter: Callable[[float], str]) -> str:
    try:
        return formatter(float(value))
    except (TypeError, ValueError):
        return "–"


def _loss(value: float) -> str:
    return i18n.number(value, 4)


def _accuracy(value: float) -> str:
    return i18n.percent(value, 2)
