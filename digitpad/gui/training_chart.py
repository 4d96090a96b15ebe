"""The training view: loss and accuracy per batch (smoothed) and per epoch.

:class:`TrainingChart` draws a
:class:`~digitpad.gui.training_history.TrainingHistory` with pyqtgraph. pyqtgraph costs
~0.7 s to import, so it is imported when the chart is first built (when the
user opens it), never at window start-up; redraws are throttled to a few a
second however fast the batches come.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
from PySide6.QtCore import Qt, QTimer, Slot
from PySide6.QtGui import QResizeEvent, QShowEvent
from PySide6.QtWidgets import QHBoxLayout, QLabel, QLayout, QSizePolicy, QVBoxLayout, QWidget

from digitpad.gui.training_history import TrainingHistory

#: Redraws happen at most this often (ms), whatever the batch rate.
REDRAW_INTERVAL_MS = 150
#: Points drawn per curve at most when runs are compared.
COMPARISON_POINTS = 600
#: The title before any training run.
EMPTY_TITLE = "No training run yet: Model > Retrain… trains one and draws it here."


class TrainingChart(QWidget):
    """Two live plots (loss, accuracy) of a :class:`TrainingHistory`.

    Redraws are coalesced: :meth:`refresh` only schedules one, at most every
    :data:`REDRAW_INTERVAL_MS`, and nothing is drawn while hidden.
    """

    def __init__(self, history: TrainingHistory, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        import pyqtgraph as pg  # ~0.7 s: only when the chart is first built

        self.setObjectName("trainingChart")
        self.setAccessibleName("Training chart")
        self.setMinimumHeight(210)  # legends and axes need room; the dock opens this tall
        self._history = history
        self._drawn = -1
        self.redraws = 0
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(REDRAW_INTERVAL_MS)
        self._timer.timeout.connect(self.on_timer_timeout)

        self.title_label = QLabel()
        self.title_label.setObjectName("trainingChartTitle")
        self.title_label.setWordWrap(False)
        # Long titles are elided (see _fit_title), never widen the window.
        self.title_label.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self._title = ("", "")  # (what the run is, how it is going)

        pg.setConfigOptions(antialias=True)
        self._plots: dict[str, Any] = {}
        self._curves: dict[str, Any] = {}
        plots = QHBoxLayout()
        plots.setSpacing(8)
        for key, label in (("loss", "loss"), ("accuracy", "accuracy")):
            widget = pg.PlotWidget(background="#181a20")
            widget.setObjectName(f"{key}Plot")
            widget.setMinimumSize(160, 120)
            item = widget.getPlotItem()
            item.setTitle(label, color="#cdd2dc", size="10pt")
            item.showGrid(x=True, y=True, alpha=0.15)
            item.setLabel("bottom", "epoch")
            item.setMenuEnabled(False)
            item.setClipToView(True)
            item.setDownsampling(auto=True, mode="mean")
            offset = (-8, 8) if key == "loss" else (-8, -8)
            legend = item.addLegend(offset=offset, labelTextSize="8pt")
            legend.setBrush(pg.mkBrush(24, 26, 32, 200))
            self._curves[f"{key}_batch"] = item.plot(
                pen=pg.mkPen(90, 140, 220, 70, width=1), name="batch"
            )
            self._curves[f"{key}_smooth"] = item.plot(
                pen=pg.mkPen(100, 170, 255, width=2), name="batch (smoothed)"
            )
            self._curves[f"{key}_epoch"] = item.plot(
                pen=None,
                symbol="o",
                symbolSize=8,
                symbolBrush=pg.mkBrush(100, 170, 255),
                symbolPen=pg.mkPen("w", width=1),
                name="epoch",
            )
            self._curves[f"{key}_val"] = item.plot(
                pen=pg.mkPen(252, 170, 50, width=1.5, style=pg.QtCore.Qt.PenStyle.DashLine),
                symbol="s",
                symbolSize=8,
                symbolBrush=pg.mkBrush(252, 170, 50),
                symbolPen=pg.mkPen("w", width=1),
                name="validation",
            )
            if key == "accuracy":
                item.setYRange(0.0, 1.0, padding=0.02)
                item.enableAutoRange(axis="y", enable=False)
            self._plots[key] = item
            plots.addWidget(widget)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 4, 6, 6)
        layout.setSpacing(4)
        layout.addWidget(self.title_label)
        layout.addLayout(plots, 1)
        self._redraw()

    def history(self) -> TrainingHistory:
        """The history drawn."""
        return self._history

    def curve_data(self, name: str) -> tuple[np.ndarray, np.ndarray]:
        """The x and y arrays of curve ``name`` as drawn (e.g. ``loss_smooth``)."""
        x, y = self._curves[name].getData()
        return (np.asarray(x if x is not None else []), np.asarray(y if y is not None else []))

    def title(self) -> str:
        """The full title line (the label may show it elided)."""
        return " · ".join(part for part in self._title if part)

    def refresh(self) -> None:
        """New points: redraw soon (coalesced, and only while visible)."""
        if self.isVisible() and not self._timer.isActive():
            self._timer.start()

    def redraw_now(self) -> None:
        """Redraw at once (tests, screenshots)."""
        self._timer.stop()
        self._redraw()

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: D102
        super().resizeEvent(event)
        self._fit_title()

    def showEvent(self, event: QShowEvent) -> None:  # noqa: D102
        super().showEvent(event)
        if self._drawn != self._history.revision:
            self._redraw()

    @Slot()
    def on_timer_timeout(self) -> None:
        """The redraw interval passed."""
        self._redraw()

    def _redraw(self) -> None:
        history = self._history
        self._drawn = history.revision
        self.redraws += 1
        x = np.asarray(history.batch_x, dtype=np.float64)
        epoch_x = np.asarray([e["epoch"] for e in history.epochs], dtype=np.float64)
        for key in ("loss", "accuracy"):
            raw = np.asarray(getattr(history, f"batch_{key}"), dtype=np.float64)
            smooth = np.asarray(getattr(history, f"smooth_{key}"), dtype=np.float64)
            self._curves[f"{key}_batch"].setData(x, raw)
            self._curves[f"{key}_smooth"].setData(x, smooth)
            train = np.asarray([e.get(key, np.nan) for e in history.epochs], dtype=np.float64)
            self._curves[f"{key}_epoch"].setData(epoch_x, train)
            val = np.asarray([e.get(f"val_{key}", np.nan) for e in history.epochs])
            keep = np.isfinite(val)
            self._curves[f"{key}_val"].setData(epoch_x[keep], val[keep].astype(np.float64))
        if history.is_empty():
            self._title = (EMPTY_TITLE, "")
        else:
            status = []
            if history.epochs:
                last = history.epochs[-1]
                epoch = f"epoch {int(last['epoch'])}: loss {last.get('loss', math.nan):.3f}"
                if "val_accuracy" in last:
                    epoch += f", validation accuracy {last['val_accuracy']:.1%}"
                status.append(epoch)
            if history.finished:
                status.append(history.outcome)
            self._title = (history.title or "Training", " · ".join(status))
        self._fit_title()

    def _fit_title(self) -> None:
        """Show the title in the label's width: the run's description gives way first.

        How the run is going (epoch, loss, outcome) matters most and stays
        whole; the recipe before it is elided ("…"); the full line is the
        label's tooltip.
        """
        head, tail = self._title
        full = self.title()
        label = self.title_label
        metrics = label.fontMetrics()
        width = label.contentsRect().width() - 2
        text = full
        if metrics.horizontalAdvance(full) > width:
            rest = metrics.horizontalAdvance(f" · {tail}") if tail else 0
            if tail and width - rest >= metrics.horizontalAdvance("Training…"):
                elided = metrics.elidedText(head, Qt.TextElideMode.ElideRight, width - rest)
                text = f"{elided} · {tail}"
            else:
                text = metrics.elidedText(full, Qt.TextElideMode.ElideRight, width)
        label.setText(text)
        label.setToolTip(full if text != full else "")


class ComparisonChart(QWidget):
    """Several runs' smoothed loss and accuracy curves overlaid, one colour per run.

    Used by the Runs dialog (the runs selected) and Try Learning Rates (one
    curve per rate, growing live). pyqtgraph is imported when the first one
    is built, as for :class:`TrainingChart`.

    Attributes:
        last_redraw_ms: how long the latest :meth:`set_runs` took to draw.
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        import pyqtgraph as pg

        self.setObjectName("comparisonChart")
        self.setAccessibleName("Runs compared")
        self.setMinimumHeight(220)
        self._pg = pg
        self._plots: dict[str, Any] = {}
        self._legends: dict[str, Any] = {}
        self._curves: list[dict[str, Any]] = []
        self._labels: list[str] = []
        self.last_redraw_ms = 0.0
        plots = QHBoxLayout(self)
        plots.setContentsMargins(0, 0, 0, 0)
        # Axes widen as the data changes; a shown top-level chart must not
        # change its minimum size for it (Qt's offscreen platform warns).
        plots.setSizeConstraint(QLayout.SizeConstraint.SetNoConstraint)
        for key in ("loss", "accuracy"):
            widget = pg.PlotWidget(background="#181a20")
            widget.setObjectName(f"{key}ComparisonPlot")
            widget.setMinimumSize(160, 120)
            item = widget.getPlotItem()
            item.setTitle(f"{key} (smoothed, per batch)", color="#cdd2dc", size="9pt")
            item.showGrid(x=True, y=True, alpha=0.15)
            item.setLabel("bottom", "epoch")
            item.setMenuEnabled(False)
            item.setClipToView(True)
            item.setDownsampling(auto=True, mode="mean")
            self._legends[key] = item.addLegend(offset=(-8, 8 if key == "loss" else -8))
            if key == "accuracy":
                item.setYRange(0.0, 1.0, padding=0.02)
                item.enableAutoRange(axis="y", enable=False)
            self._plots[key] = item
            plots.addWidget(widget)

    def labels(self) -> list[str]:
        """The runs drawn, in order."""
        return list(self._labels)

    def curve_data(self, index: int, key: str = "loss") -> tuple[np.ndarray, np.ndarray]:
        """The x and y arrays drawn for run ``index`` (``loss`` or ``accuracy``)."""
        x, y = self._curves[index][key].getOriginalDataset()
        return (np.asarray(x if x is not None else []), np.asarray(y if y is not None else []))

    def set_runs(self, runs: list[tuple[str, TrainingHistory]]) -> None:
        """Draw these runs (label, history) instead of the ones drawn."""
        import time

        started = time.perf_counter()
        pg = self._pg
        while len(self._curves) > len(runs):
            curves = self._curves.pop()
            for key, curve in curves.items():
                self._plots[key].removeItem(curve)
                self._legends[key].removeItem(curve)
        for index, (label, history) in enumerate(runs):
            colour = pg.intColor(index, hues=max(len(runs), 6), values=1, maxValue=255)
            if index == len(self._curves):
                self._curves.append(
                    {
                        key: self._plots[key].plot(pen=pg.mkPen(colour, width=2), name=label)
                        for key in ("loss", "accuracy")
                    }
                )
            x = np.asarray(history.batch_x, dtype=np.float64)
            # Smoothed curves: every step-th point draws the same line in a
            # few hundred pixels, for a fraction of the cost (10 runs of the
            # article's recipe are 75,000 points).
            step = max(1, -(-len(x) // COMPARISON_POINTS))
            keep = np.r_[np.arange(0, len(x) - 1, step), len(x) - 1] if len(x) else []
            for key in ("loss", "accuracy"):
                curve = self._curves[index][key]
                curve.setPen(pg.mkPen(colour, width=2))
                y = np.asarray(getattr(history, f"smooth_{key}"), dtype=np.float64)
                curve.setData(x[keep], y[keep])
                legend = self._legends[key]
                sample = legend.getLabel(curve)
                if sample is not None and sample.text != label:
                    sample.setText(label)
        self._labels = [label for label, _history in runs]
        self.last_redraw_ms = (time.perf_counter() - started) * 1000
