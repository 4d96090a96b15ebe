"""Several training runs' curves overlaid: the Runs dialog and Try Learning Rates.

:class:`ComparisonChart` overlays several
:class:`~digitpad.gui.training_history.TrainingHistory` smoothed curves. It
paints them itself with ``QPainter``: each curve is cut to its lowest and
highest value per pixel column (:func:`column_extremes`, so spikes stay
visible) and cached until the run gains points or the size changes; axes,
grid and legends are cached as pixmaps. Ten runs of 3,750 batches redraw in
about 15 ms, which pyqtgraph's scene could not (30-60 ms, enough to stall the
window while a ladder trains).
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass
from typing import Any, NamedTuple

import numpy as np
import shiboken6
from PySide6.QtCore import (
    QEvent,
    QLineF,
    QPointF,
    QRectF,
    QSize,
    QSizeF,
    Qt,
)
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontMetricsF,
    QHelpEvent,
    QPainter,
    QPaintEvent,
    QPen,
    QPixmap,
)
from PySide6.QtWidgets import (
    QSizePolicy,
    QToolTip,
    QWidget,
)

from digitpad.gui import i18n
from digitpad.gui.i18n import translate
from digitpad.gui.training_history import TrainingHistory

_KEYS = ("loss", "accuracy")
_BACKGROUND = QColor(24, 26, 32)
_TEXT = QColor(205, 210, 220)
_AXIS = QColor(150, 150, 150)
_GRID = QColor(255, 255, 255, 38)
_LEGEND_FILL = QColor(24, 26, 32, 200)
_LEGEND_BORDER = QColor(90, 96, 110)
_TITLE_POINTS = 9.0
_TICK_POINTS = 8.0
_TICK_LENGTH = 4.0
_PANEL_GAP = 8
_CURVE_WIDTH = 2.0
_LEGEND_OFFSET = 8.0
#: Each range is widened by this share of it on both sides.
_RANGE_PADDING = 0.02
#: A hovered point this close (pixels) to a curve names its run.
_HOVER_PIXELS = 6.0


@dataclass(frozen=True)
class _Panel:
    """Where one of the comparison chart's plots is and what it spans."""

    key: str
    outer: QRectF
    plot: QRectF
    x_range: tuple[float, float]
    y_range: tuple[float, float]
    x_ticks: tuple[list[float], int]
    y_ticks: tuple[list[float], int]


class _Curve(NamedTuple):
    """A run's curve as drawn in a plot."""

    segments: np.ndarray  # n x 4: x1, y1, x2, y2 of each segment, in pixels
    dense: bool  # more vertices than pixel columns


class ComparisonChart(QWidget):
    """Several runs' smoothed loss and accuracy curves overlaid, one colour per run.

    Used by the Runs dialog (the runs selected) and Try Learning Rates (one
    curve per rate, growing live). Painted with ``QPainter`` (no pyqtgraph),
    at a cost bounded by the widget's width rather than by the runs' length:

    * each curve is reduced to at most two points per pixel column, the
      lowest and the highest there (a spike stays visible), and kept as
      line segments in pixels until its run gains points or the plot's size
      or ranges change;
    * the panels, grid, ticks and titles are kept in a pixmap, and so is
      each legend, redrawn only when what they show changes.

    Hovering a curve names its run (colour is not the only way to tell).

    Attributes:
        last_paint_ms: how long the latest paint took.
    """

    def __init__(self, parent: QWidget | None = None, empty_text: str = "") -> None:
        """Build an empty chart.

        Args:
            parent: the parent widget.
            empty_text: what the loss plot says while no run is drawn.
        """
        super().__init__(parent)
        self.setObjectName("comparisonChart")
        self.setAccessibleName(translate("ComparisonChart", "Runs compared"))
        self.setMinimumSize(2 * 160 + _PANEL_GAP, 220)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setAttribute(Qt.WidgetAttribute.WA_OpaquePaintEvent)
        self._empty_text = empty_text
        self._runs: list[tuple[str, TrainingHistory]] = []
        self._pens: list[QPen] = []
        self._epochs = 0.0
        self._ranges: dict[str, tuple[float, float]] = {}
        self._panels: list[_Panel] = []
        self._panels_key: tuple | None = None
        self._background: QPixmap | None = None
        self._background_key: tuple | None = None
        self._legends: dict[str, tuple[tuple, QPixmap]] = {}
        # (id(history), key) -> (history, revision, geometry, curve); the
        # history is kept so that its id cannot be another's.
        self._curves: dict[tuple[int, str], tuple[Any, ...]] = {}
        self.last_paint_ms = 0.0
        self._set_ranges()
        self._describe()

    def labels(self) -> list[str]:
        """The runs drawn, in order."""
        return [label for label, _history in self._runs]

    def colour(self, index: int) -> QColor:
        """The colour of run ``index``'s curves."""
        return QColor(self._pens[index].color())

    def curve_data(self, index: int, key: str = "loss") -> tuple[np.ndarray, np.ndarray]:
        """The x (epochs) and y (smoothed ``loss`` or ``accuracy``) of run ``index``."""
        history = self._runs[index][1]
        return history.array("batch_x"), history.array(f"smooth_{key}")

    def drawn_points(self, index: int, key: str = "loss") -> np.ndarray:
        """The vertices (pixels, ``n x 2``) of the polyline drawn for run ``index``."""
        panel = next(panel for panel in self._layout() if panel.key == key)
        segments = self._curve(self._runs[index][1], panel).segments
        if not len(segments):
            return np.empty((0, 2))
        return np.vstack([segments[:, :2], segments[-1:, 2:]])

    def set_runs(
        self, runs: list[tuple[str, TrainingHistory]], epochs: float | None = None
    ) -> None:
        """Draw these runs (label, history) instead of the ones drawn.

        Args:
            runs: the runs, in legend order.
            epochs: the x axis spans at least this many epochs (a live run
                then grows to the right instead of rescaling the axis).
        """
        labels = self.labels()
        self._runs = list(runs)
        self._epochs = float(epochs or 0.0)
        hues = max(len(runs), 6)
        # The colours pyqtgraph gave them: evenly spread hues, full saturation and value.
        self._pens = [
            QPen(QColor.fromHsv((index * 360) // hues, 255, 255), _CURVE_WIDTH)
            for index in range(len(runs))
        ]
        alive = {id(history) for _label, history in runs}
        self._curves = {k: v for k, v in self._curves.items() if k[0] in alive}
        self._set_ranges()
        if self.labels() != labels:
            self._describe()
        self.update()

    # -- painting ------------------------------------------------------------------

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: D102
        started = time.perf_counter()
        panels = self._layout()
        painter = QPainter(self)
        painter.drawPixmap(0, 0, self._background_pixmap(panels))
        for panel in panels:
            painter.setClipRect(panel.plot)
            for (_label, history), pen in zip(self._runs, self._pens, strict=True):
                curve = self._curve(history, panel)
                if len(curve.segments):
                    # A dense curve is a column of vertical strokes: smoothing
                    # its edges costs twice the time for no visible difference.
                    painter.setRenderHint(QPainter.RenderHint.Antialiasing, not curve.dense)
                    painter.setPen(pen)
                    # One stroke per segment: Qt strokes a wide polyline as one
                    # path, which costs ~100 times more for a zigzag this long.
                    painter.drawLines(
                        shiboken6.wrapInstance(curve.segments.ctypes.data, QLineF),
                        len(curve.segments),
                    )
        painter.setClipping(False)
        for panel in panels:
            legend = self._legend_pixmap(panel)
            if legend is not None:
                size = legend.deviceIndependentSize()
                left = panel.plot.right() - _LEGEND_OFFSET - size.width()
                top = (
                    panel.plot.top() + _LEGEND_OFFSET
                    if panel.key == "loss"  # the loss comes down: its top right is free
                    else panel.plot.bottom() - _LEGEND_OFFSET - size.height()
                )
                painter.drawPixmap(QPointF(left, top), legend)
        painter.end()
        self.last_paint_ms = (time.perf_counter() - started) * 1000

    def event(self, event: QEvent) -> bool:  # noqa: D102
        if event.type() == QEvent.Type.ToolTip and isinstance(event, QHelpEvent):
            text = self.describe_at(QPointF(event.pos()))
            if text:
                QToolTip.showText(event.globalPos(), text, self)
            else:
                QToolTip.hideText()
                event.ignore()
            return True
        return super().event(event)

    def describe_at(self, point: QPointF) -> str:
        """The run whose curve passes within a few pixels of ``point``, in words ("" if none)."""
        for panel in self._layout():
            if not panel.plot.contains(point):
                continue
            (x0, x1), (y0, y1) = panel.x_range, panel.y_range
            x = x0 + (point.x() - panel.plot.left()) / panel.plot.width() * (x1 - x0)
            best: tuple[float, str, float] | None = None
            for label, history in self._runs:
                xs = history.array("batch_x")
                if not len(xs) or not xs[0] <= x <= xs[-1]:
                    continue
                y = float(np.interp(x, xs, history.array(f"smooth_{panel.key}")))
                pixel = panel.plot.bottom() - (y - y0) / (y1 - y0) * panel.plot.height()
                distance = abs(pixel - point.y())
                if distance <= _HOVER_PIXELS and (best is None or distance < best[0]):
                    best = (distance, label, y)
            if best is None:
                return ""
            _distance, label, y = best
            value = i18n.number(y, 3) if panel.key == "loss" else i18n.percent(y, 1)
            what = (
                translate("ComparisonChart", "{run}: loss {value} at epoch {epoch}")
                if panel.key == "loss"
                else translate("ComparisonChart", "{run}: accuracy {value} at epoch {epoch}")
            )
            return what.format(run=label, value=value, epoch=i18n.number(x, 2))
        return ""

    def _set_ranges(self) -> None:
        """The x range (epochs) and each plot's y range, from the runs drawn."""
        highest = self._epochs
        low, high = math.inf, -math.inf
        for _label, history in self._runs:
            xs = history.array("batch_x")
            if len(xs):
                highest = max(highest, float(xs[-1]))
                losses = history.array("smooth_loss")
                low = min(low, float(losses.min()))
                high = max(high, float(losses.max()))
        if highest <= 0:
            highest = 1.0
        if not math.isfinite(low):
            low, high = 0.0, 1.0
        elif high - low < 1e-9:
            low, high = low - 0.5, high + 0.5
        self._ranges = {
            "x": _padded(0.0, highest),
            "loss": _padded(low, high),
            "accuracy": _padded(0.0, 1.0),
        }

    def _layout(self) -> list[_Panel]:
        """The two plots' places, ranges and ticks at the widget's size (cached)."""
        key = (self.width(), self.height(), tuple(self._ranges.items()), self.font().key())
        if key == self._panels_key:
            return self._panels
        title_metrics = QFontMetricsF(self._font(_TITLE_POINTS))
        tick_metrics = QFontMetricsF(self._font(_TICK_POINTS))
        width = (self.width() - _PANEL_GAP) / 2
        panels = []
        for index, name in enumerate(_KEYS):
            outer = QRectF(index * (width + _PANEL_GAP), 0, width, self.height())
            top = outer.top() + title_metrics.height() + 8
            bottom = outer.bottom() - 2 * tick_metrics.height() - _TICK_LENGTH - 8
            y_range = self._ranges[name]
            y_ticks = nice_ticks(*y_range, max(2, int((bottom - top) / 40)))
            label_width = max(
                (tick_metrics.horizontalAdvance(_tick_text(v, y_ticks[1])) for v in y_ticks[0]),
                default=0.0,
            )
            left = outer.left() + 6 + label_width + _TICK_LENGTH + 4
            plot = QRectF(left, top, max(1.0, outer.right() - 12 - left), max(1.0, bottom - top))
            x_ticks = nice_ticks(*self._ranges["x"], max(2, int(plot.width() / 60)))
            panels.append(_Panel(name, outer, plot, self._ranges["x"], y_range, x_ticks, y_ticks))
        self._panels, self._panels_key = panels, key
        return panels

    def _background_pixmap(self, panels: list[_Panel]) -> QPixmap:
        """Everything but the curves and legends: panels, grid, axes, ticks, titles."""
        ratio = self.devicePixelRatioF()
        empty = not self._runs
        key = (self._panels_key, ratio, empty, self._empty_text, self.palette().cacheKey())
        if self._background is not None and key == self._background_key:
            return self._background
        size = QSize(math.ceil(self.width() * ratio), math.ceil(self.height() * ratio))
        pixmap = self._background
        if pixmap is None or pixmap.size() != size:  # else reused: no new memory to fault in
            pixmap = QPixmap(size)
        pixmap.setDevicePixelRatio(ratio)
        pixmap.fill(self.palette().color(self.backgroundRole()))
        painter = QPainter(pixmap)
        title_font, tick_font = self._font(_TITLE_POINTS), self._font(_TICK_POINTS)
        tick_metrics = QFontMetricsF(tick_font)
        titles = {
            "loss": translate("ComparisonChart", "loss (smoothed, per batch)"),
            "accuracy": translate("ComparisonChart", "accuracy (smoothed, per batch)"),
        }
        for panel in panels:
            plot = panel.plot
            painter.fillRect(panel.outer, _BACKGROUND)
            painter.setFont(title_font)
            painter.setPen(_TEXT)
            painter.drawText(
                QRectF(panel.outer.left(), panel.outer.top() + 4, panel.outer.width(), 20),
                Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop,
                titles[panel.key],
            )
            (x0, x1), (y0, y1) = panel.x_range, panel.y_range
            xs = [plot.left() + (v - x0) / (x1 - x0) * plot.width() for v in panel.x_ticks[0]]
            ys = [plot.bottom() - (v - y0) / (y1 - y0) * plot.height() for v in panel.y_ticks[0]]
            painter.setPen(_GRID)
            painter.drawLines(
                [QLineF(x, plot.top(), x, plot.bottom()) for x in xs]
                + [QLineF(plot.left(), y, plot.right(), y) for y in ys]
            )
            painter.setPen(_AXIS)
            painter.drawLines(
                [QLineF(x, plot.bottom(), x, plot.bottom() + _TICK_LENGTH) for x in xs]
                + [QLineF(plot.left() - _TICK_LENGTH, y, plot.left(), y) for y in ys]
            )
            painter.setFont(tick_font)
            height = tick_metrics.height()
            for x, value in zip(xs, panel.x_ticks[0], strict=True):
                painter.drawText(
                    QRectF(x - 40, plot.bottom() + _TICK_LENGTH + 1, 80, height),
                    Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop,
                    _tick_text(value, panel.x_ticks[1]),
                )
            label_width = plot.left() - _TICK_LENGTH - 2 - panel.outer.left()
            for y, value in zip(ys, panel.y_ticks[0], strict=True):
                painter.drawText(
                    QRectF(panel.outer.left(), y - height / 2, label_width, height),
                    Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
                    _tick_text(value, panel.y_ticks[1]),
                )
            painter.setPen(_AXIS)
            painter.drawLine(plot.bottomLeft(), plot.bottomRight())
            painter.drawLine(plot.topLeft(), plot.bottomLeft())
            painter.drawText(
                QRectF(
                    plot.left(), plot.bottom() + _TICK_LENGTH + height + 2, plot.width(), height
                ),
                Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop,
                translate("ComparisonChart", "epoch"),
            )
            if empty and self._empty_text and panel.key == "loss":
                painter.setPen(_TEXT)
                painter.drawText(
                    plot.adjusted(12, 12, -12, -12),
                    Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap,
                    self._empty_text,
                )
        painter.end()
        self._background, self._background_key = pixmap, key
        return pixmap

    def _legend_pixmap(self, panel: _Panel) -> QPixmap | None:
        """Each run's colour and label, in as many columns as the plot's height needs."""
        if not self._runs:
            return None
        ratio = self.devicePixelRatioF()
        colours = tuple(pen.color().rgba() for pen in self._pens)
        key = (tuple(self.labels()), colours, panel.plot.size().toTuple(), ratio)
        cached = self._legends.get(panel.key)
        if cached is not None and cached[0] == key:
            return cached[1]
        font = self._font(_TICK_POINTS)
        metrics = QFontMetricsF(font)
        row = metrics.height() + 2
        pad, sample = 6.0, 18.0
        rows = max(1, int((panel.plot.height() - 2 * _LEGEND_OFFSET - 2 * pad) / row))
        columns = -(-len(self._runs) // rows)
        rows = -(-len(self._runs) // columns)
        room = (panel.plot.width() * 0.75 - 2 * pad) / columns - sample - 12
        texts = [
            metrics.elidedText(label, Qt.TextElideMode.ElideRight, max(room, 30.0))
            for label in self.labels()
        ]
        column = sample + 6 + max(metrics.horizontalAdvance(text) for text in texts) + 6
        size = QSizeF(2 * pad + columns * column - 6, 2 * pad + rows * row)
        pixmap = QPixmap(QSize(math.ceil(size.width() * ratio), math.ceil(size.height() * ratio)))
        pixmap.setDevicePixelRatio(ratio)
        pixmap.fill(Qt.GlobalColor.transparent)
        painter = QPainter(pixmap)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        painter.setPen(QPen(_LEGEND_BORDER, 1))
        painter.setBrush(_LEGEND_FILL)
        painter.drawRoundedRect(QRectF(0.5, 0.5, size.width() - 1, size.height() - 1), 3, 3)
        painter.setFont(font)
        for index, (text, pen) in enumerate(zip(texts, self._pens, strict=True)):
            left = pad + (index // rows) * column
            middle = pad + (index % rows) * row + row / 2
            painter.setPen(pen)
            painter.drawLine(QPointF(left, middle), QPointF(left + sample, middle))
            painter.setPen(_TEXT)
            painter.drawText(
                QRectF(left + sample + 6, middle - row / 2, column, row),
                Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                text,
            )
        painter.end()
        self._legends[panel.key] = (key, pixmap)
        return pixmap

    def _curve(self, history: TrainingHistory, panel: _Panel) -> _Curve:
        """``history``'s curve in ``panel``, in pixels, at most two points per column (cached)."""
        geometry = (panel.plot.getCoords(), panel.x_range, panel.y_range)
        cached = self._curves.get((id(history), panel.key))
        if (
            cached is not None
            and cached[0] is history
            and cached[1] == history.revision
            and cached[2] == geometry
        ):
            return cached[3]
        (x0, x1), (y0, y1) = panel.x_range, panel.y_range
        plot = panel.plot
        xs = plot.left() + (history.array("batch_x") - x0) * (plot.width() / (x1 - x0))
        ys = plot.bottom() - (history.array(f"smooth_{panel.key}") - y0) * (
            plot.height() / (y1 - y0)
        )
        xs, ys = column_extremes(xs, ys)
        segments = np.empty((max(len(xs) - 1, 0), 4), dtype=np.float64)
        segments[:, 0], segments[:, 1] = xs[:-1], ys[:-1]
        segments[:, 2], segments[:, 3] = xs[1:], ys[1:]
        curve = _Curve(segments, len(xs) > plot.width())
        self._curves[(id(history), panel.key)] = (history, history.revision, geometry, curve)
        return curve

    def _font(self, points: float) -> QFont:
        font = QFont(self.font())
        font.setPointSizeF(points)
        return font

    def _describe(self) -> None:
        """Say in words what the chart shows (screen readers cannot see the curves)."""
        labels = self.labels()
        if not labels:
            self.setAccessibleDescription(
                self._empty_text or translate("ComparisonChart", "No curves drawn.")
            )
            return
        self.setAccessibleDescription(
            translate(
                "ComparisonChart",
                "Smoothed loss and accuracy per batch, against epochs, of: {runs}.",
            ).format(runs="; ".join(labels))
        )


def column_extremes(xs: np.ndarray, ys: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """A polyline that draws like ``(xs, ys)`` with at most two points per pixel column.

    Consecutive points whose ``xs`` fall in the same whole pixel column are
    replaced by that column's lowest and highest ``ys`` (in the order the
    curve goes there), at the column's centre: a spike keeps its height.

    Args:
        xs: pixel x of each point, in increasing order.
        ys: pixel y of each point.

    Returns:
        The reduced ``xs`` and ``ys`` (the inputs when there is nothing to gain).
    """
    count = len(xs)
    if count < 3:
        return xs, ys
    column = np.floor(xs)
    new = np.empty(count, dtype=bool)
    new[0] = True
    np.not_equal(column[1:], column[:-1], out=new[1:])
    starts = np.flatnonzero(new)
    if count <= 2 * len(starts):
        return xs, ys
    ends = np.empty_like(starts)
    ends[:-1] = starts[1:] - 1
    ends[-1] = count - 1
    low = np.minimum.reduceat(ys, starts)
    high = np.maximum.reduceat(ys, starts)
    rising = ys[ends] >= ys[starts]
    out_y = np.empty((len(starts), 2))
    out_y[:, 0] = np.where(rising, low, high)
    out_y[:, 1] = np.where(rising, high, low)
    out_x = np.repeat(column[starts] + 0.5, 2)
    return out_x, out_y.ravel()


def nice_ticks(low: float, high: float, count: int) -> tuple[list[float], int]:
    """Round values (steps of 1, 2 or 5 times a power of ten) from ``low`` to ``high``.

    Args:
        low: the axis' lowest value.
        high: its highest (more than ``low``).
        count: how many ticks fit (one more is let through).

    Returns:
        The tick values and the decimals they need.
    """
    magnitude = 10.0 ** math.floor(math.log10((high - low) / max(count, 1)))
    for step in (m * magnitude for m in (1.0, 2.0, 5.0, 10.0, 20.0)):
        first = math.ceil(low / step - 1e-9)
        last = math.floor(high / step + 1e-9)
        if last - first + 1 <= count + 1:
            break
    ticks = [round(index * step, 12) for index in range(first, last + 1)]
    decimals = max(0, -math.floor(math.log10(step) + 1e-9))
    return ticks, decimals


def _tick_text(value: float, decimals: int) -> str:
    return i18n.number(0.0 if value == 0 else value, decimals)


def _padded(low: float, high: float) -> tuple[float, float]:
    margin = (high - low) * _RANGE_PADDING
    return low - margin, high + margin
