"""The training views: one run's live curves, and several runs' curves overlaid.

:class:`TrainingChart` draws a
:class:`~digitpad.gui.training_history.TrainingHistory` (loss and accuracy
per batch, smoothed, and per epoch) with pyqtgraph. pyqtgraph costs ~0.7 s to
import, so it is imported when the chart is first built (when the user opens
it), never at window start-up; redraws are throttled to a few a second however
fast the batches come.

:mod:`digitpad.gui.comparison_chart` overlays several runs' curves.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
from PySide6.QtCore import (
    QT_TRANSLATE_NOOP,
    Qt,
    QTimer,
    Slot,
)
from PySide6.QtGui import (
    QResizeEvent,
    QShowEvent,
)
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from digitpad.gui import i18n
from digitpad.gui.i18n import translate
from digitpad.gui.training_history import TrainingHistory

#: Redraws happen at most this often (ms), whatever the batch rate.
REDRAW_INTERVAL_MS = 150
#: The title before any training run (translated where it is shown).
EMPTY_TITLE = QT_TRANSLATE_NOOP(
    "TrainingChart", "No training run yet: Model > Retrain… trains one and draws it here."
)


class TrainingChart(QWidget):
    """Two live plots (loss, accuracy) of a :class:`TrainingHistory`.

    Redraws are coalesced: :meth:`refresh` only schedules one, at most every
    :data:`REDRAW_INTERVAL_MS`, and nothing is drawn while hidden.
    """

    def __init__(self, history: TrainingHistory, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        import pyqtgraph as pg  # ~0.7 s: only when the chart is first built

        self.setObjectName("trainingChart")
        self.setAccessibleName(translate("TrainingChart", "Training chart"))
        self.setAccessibleDescription(
            translate(
                "TrainingChart",
                "Loss and accuracy of the latest training, per batch and per epoch; "
                "the title line says how it is going.",
            )
        )
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
        self.title_label.setAccessibleName(translate("TrainingChart", "Training status"))
        self.title_label.setWordWrap(False)
        # Long titles are elided (see _fit_title), never widen the window.
        self.title_label.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self._title = ("", "")  # (what the run is, how it is going)

        pg.setConfigOptions(antialias=True)
        self._plots: dict[str, Any] = {}
        self._curves: dict[str, Any] = {}
        plots = QHBoxLayout()
        plots.setSpacing(8)
        names = {
            "loss": translate("TrainingChart", "loss"),
            "accuracy": translate("TrainingChart", "accuracy"),
        }
        for key, label in names.items():
            widget = pg.PlotWidget(background="#181a20")
            widget.setObjectName(f"{key}Plot")
            widget.setAccessibleName(
                translate("TrainingChart", "Loss plot")
                if key == "loss"
                else translate("TrainingChart", "Accuracy plot")
            )
            widget.setMinimumSize(160, 120)
            item = widget.getPlotItem()
            item.setTitle(label, color="#cdd2dc", size="10pt")
            item.showGrid(x=True, y=True, alpha=0.15)
            item.setLabel("bottom", translate("TrainingChart", "epoch"))
            item.setMenuEnabled(False)
            item.setClipToView(True)
            item.setDownsampling(auto=True, mode="mean")
            offset = (-8, 8) if key == "loss" else (-8, -8)
            legend = item.addLegend(offset=offset, labelTextSize="8pt")
            legend.setBrush(pg.mkBrush(24, 26, 32, 200))
            self._curves[f"{key}_batch"] = item.plot(
                pen=pg.mkPen(90, 140, 220, 70, width=1), name=translate("TrainingChart", "batch")
            )
            self._curves[f"{key}_smooth"] = item.plot(
                pen=pg.mkPen(100, 170, 255, width=2),
                name=translate("TrainingChart", "batch (smoothed)"),
            )
            self._curves[f"{key}_epoch"] = item.plot(
                pen=None,
                symbol="o",
                symbolSize=8,
                symbolBrush=pg.mkBrush(100, 170, 255),
                symbolPen=pg.mkPen("w", width=1),
                name=translate("TrainingChart", "epoch"),
            )
            self._curves[f"{key}_val"] = item.plot(
                pen=pg.mkPen(252, 170, 50, width=1.5, style=pg.QtCore.Qt.PenStyle.DashLine),
                symbol="s",
                symbolSize=8,
                symbolBrush=pg.mkBrush(252, 170, 50),
                symbolPen=pg.mkPen("w", width=1),
                name=translate("TrainingChart", "validation"),
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
            self._title = (translate("TrainingChart", EMPTY_TITLE), "")
        else:
            status = []
            if history.epochs:
                last = history.epochs[-1]
                epoch = int(last["epoch"])
                loss = i18n.number(last.get("loss", math.nan), 3)
                if "val_accuracy" in last:
                    status.append(
                        translate(
                            "TrainingChart",
                            "epoch {epoch}: loss {loss}, validation accuracy {accuracy}",
                        ).format(
                            epoch=epoch, loss=loss, accuracy=i18n.percent(last["val_accuracy"], 1)
                        )
                    )
                else:
                    status.append(
                        translate("TrainingChart", "epoch {epoch}: loss {loss}").format(
                            epoch=epoch, loss=loss
                        )
                    )
            if history.finished:
                status.append(history.outcome)  # worded by the session
            self._title = (
                history.title or translate("TrainingChart", "Training"),
                " · ".join(status),
            )
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
