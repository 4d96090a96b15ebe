"""The drawing canvas: strokes in, a QImage backing store out (Qt's Scribble, HiDPI aware).

Strokes are kept in *canvas units*: a virtual 280 x 280 square, the size the
benchmarks render at, whatever the widget's size on screen. Two backing
images are painted incrementally with the shared renderer
(:mod:`digitpad.drawing.render`):

* the **model image**: 280 x 280 ``Grayscale8``, always white ink on black,
  exactly what :func:`digitpad.drawing.render.render_strokes` produces; it is
  what the network reads, so the window's size, the screen's pixel ratio
  and the colour preference never change a prediction;
* the **display image**: the square on screen at the device pixel ratio, in
  the preferred colours.

An optional **overlay** (the saliency map: premultiplied RGBA in canvas
units, made on the inference worker) is drawn over the display, scaled
smoothly; it never touches the model image.

Painting happens only in :meth:`DrawingCanvas.paintEvent`; mouse, tablet and
(synthesised) touch input only add points and schedule updates.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from PySide6.QtCore import QPointF, QRectF, QSize, Qt, Signal
from PySide6.QtGui import (
    QColor,
    QFont,
    QImage,
    QMouseEvent,
    QPainter,
    QPaintEvent,
    QResizeEvent,
    QTabletEvent,
)
from PySide6.QtWidgets import QSizePolicy, QWidget

from digitpad.drawing import render

#: Side of the virtual canvas the strokes are stored in.
CANVAS_UNITS = render.DEFAULT_CANVAS_SIZE
#: Smallest on-screen side in logical pixels.
MIN_SIDE = 280
#: Pen widths offered to the user (canvas units).
MIN_PEN_WIDTH = 6.0
MAX_PEN_WIDTH = 36.0

_DARK = QColor(20, 20, 22)
_LIGHT = QColor(246, 246, 242)

Point = tuple[float, float]


class DrawingCanvas(QWidget):
    """A square drawing surface with per-stroke undo and redo.

    Signals:
        inkChanged: the ink changed while a stroke is being drawn (many per
            second; throttle before predicting).
        drawingFinished: a stroke ended, or the drawing was cleared, undone,
            redone, replaced or opened.
        historyChanged: undo or redo availability may have changed.
    """

    inkChanged = Signal()
    drawingFinished = Signal()
    historyChanged = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("canvas")
        self.setAccessibleName("Drawing canvas")
        self.setAccessibleDescription("Draw a digit with the mouse, a pen or a finger.")
        self.setMinimumSize(MIN_SIDE, MIN_SIDE)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setAttribute(Qt.WidgetAttribute.WA_OpaquePaintEvent, True)
        self.setAttribute(Qt.WidgetAttribute.WA_StaticContents, True)
        self.setCursor(Qt.CursorShape.CrossCursor)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)

        # Each stroke keeps the pen width it was drawn with.
        self._strokes: list[tuple[float, list[Point]]] = []
        self._redo: list[tuple[float, list[Point]]] = []
        self._current: list[Point] | None = None
        self._background: np.ndarray | None = None
        self._background_model: QImage | None = None
        self._pen_width = float(render.DEFAULT_PEN_WIDTH)
        self._dark_ink = False
        self._modified = False

        self._model_image = QImage(CANVAS_UNITS, CANVAS_UNITS, QImage.Format.Format_Grayscale8)
        self._model_image.fill(Qt.GlobalColor.black)
        self._display = QImage()
        self._overlay: QImage | None = None
        self._legend: list[tuple[QColor, str]] = []

    # -- public API --------------------------------------------------------

    def sizeHint(self) -> QSize:  # noqa: D102
        return QSize(420, 420)

    def strokes(self) -> list[list[Point]]:
        """A copy of the finished strokes, in canvas units (0..280)."""
        return [list(points) for _width, points in self._strokes]

    def set_strokes(self, strokes: Sequence[Sequence[Sequence[float]]]) -> None:
        """Replace the drawing with ``strokes`` (canvas units); clears history."""
        self._strokes = [
            (self._pen_width, [(float(x), float(y)) for x, y in stroke])
            for stroke in strokes
            if len(stroke)
        ]
        self._redo.clear()
        self._current = None
        self._background = None
        self._background_model = None
        self._modified = bool(self._strokes)
        self._render_all()
        self._finish()

    def pen_width(self) -> float:
        """The pen's diameter in canvas units."""
        return self._pen_width

    def set_pen_width(self, width: float) -> None:
        """Set the pen's diameter (canvas units) for the strokes drawn next."""
        self._pen_width = float(min(MAX_PEN_WIDTH, max(MIN_PEN_WIDTH, width)))

    def dark_ink(self) -> bool:
        """Whether ink is shown dark on a light background."""
        return self._dark_ink

    def set_dark_ink(self, dark: bool) -> None:
        """Show dark ink on light paper (``True``) or light ink on black.

        Only the display changes: the model always reads ink as 1.0.
        """
        if bool(dark) != self._dark_ink:
            self._dark_ink = bool(dark)
            self._render_display()
            self.update()

    def is_blank(self) -> bool:
        """Whether nothing has been drawn or opened."""
        return not self._strokes and self._current is None and self._background is None

    def is_modified(self) -> bool:
        """Whether the drawing changed since it was last cleared, opened or saved."""
        return self._modified

    def can_undo(self) -> bool:
        """Whether there is a stroke to undo."""
        return bool(self._strokes) and self._current is None

    def can_redo(self) -> bool:
        """Whether there is an undone stroke to redo."""
        return bool(self._redo) and self._current is None

    def undo(self) -> None:
        """Remove the last stroke."""
        if not self.can_undo():
            return
        self._redo.append(self._strokes.pop())
        self._modified = True
        self._render_all()
        self._finish()

    def redo(self) -> None:
        """Put back the last undone stroke."""
        if not self.can_redo():
            return
        self._strokes.append(self._redo.pop())
        self._modified = True
        self._render_all()
        self._finish()

    def clear(self) -> None:
        """Erase everything (strokes, opened image, history)."""
        if self.is_blank() and not self._redo:
            return
        self._strokes.clear()
        self._redo.clear()
        self._current = None
        self._background = None
        self._background_model = None
        self._modified = False
        self._render_all()
        self._finish()

    def set_image(self, ink: np.ndarray) -> None:
        """Show an opened image (float H x W, ink 1.0) as the drawing; clears strokes.

        The image is fitted into the square, aspect kept, and can be drawn on.
        """
        ink = np.clip(np.asarray(ink, dtype=np.float32), 0.0, 1.0)
        if ink.ndim != 2 or ink.size == 0:
            raise ValueError(f"expected a 2-D ink image, got shape {ink.shape}")
        self._strokes.clear()
        self._redo.clear()
        self._current = None
        self._background = np.ascontiguousarray(ink)
        self._background_model = _grayscale_image(self._background)
        self._modified = False
        self._render_all()
        self._finish()

    def has_image(self) -> bool:
        """Whether an opened image is part of the drawing (see :meth:`set_image`)."""
        return self._background is not None

    def set_overlay(
        self, rgba: np.ndarray | None, legend: Sequence[tuple[QColor, str]] = ()
    ) -> None:
        """Show ``rgba`` over the drawing, or nothing (``None``).

        Args:
            rgba: uint8 H x W x 4 premultiplied RGBA covering the canvas
                (canvas units; usually 280 x 280), e.g. a saliency map.
            legend: ``(colour, text)`` entries shown in a corner with it.
        """
        self._legend = list(legend) if rgba is not None else []
        if rgba is None:
            if self._overlay is not None:
                self._overlay = None
                self.update()
            return
        array = np.ascontiguousarray(rgba, dtype=np.uint8)
        if array.ndim != 3 or array.shape[2] != 4:
            raise ValueError(f"expected an H x W x 4 RGBA array, got shape {array.shape}")
        height, width = array.shape[:2]
        image = QImage(width, height, QImage.Format.Format_RGBA8888_Premultiplied)
        stride = image.bytesPerLine()
        view = np.frombuffer(image.bits(), dtype=np.uint8, count=height * stride)
        view.reshape(height, stride)[:, : width * 4] = array.reshape(height, width * 4)
        self._overlay = image
        self.update()

    def has_overlay(self) -> bool:
        """Whether an overlay is shown over the drawing."""
        return self._overlay is not None

    def overlay_array(self) -> np.ndarray | None:
        """The overlay shown, as uint8 H x W x 4 premultiplied RGBA (a copy)."""
        if self._overlay is None:
            return None
        height, width = self._overlay.height(), self._overlay.width()
        stride = self._overlay.bytesPerLine()
        raw = np.frombuffer(self._overlay.constBits(), dtype=np.uint8, count=height * stride)
        return raw.reshape(height, stride)[:, : width * 4].reshape(height, width, 4).copy()

    def model_image(self) -> QImage:
        """The 280 x 280 white-on-black image the network reads (a copy)."""
        return self._model_image.copy()

    def ink_array(self) -> np.ndarray:
        """The model image as float32 280 x 280, ink 1.0 on 0.0."""
        return render.image_to_array(self._model_image)

    def to_image(self, side: int = CANVAS_UNITS * 2) -> QImage:
        """The drawing as it looks on screen, ``side`` pixels square."""
        image = QImage(side, side, QImage.Format.Format_RGB32)
        self._paint_drawing(image, side / CANVAS_UNITS)
        return image

    def save_png(self, path: str) -> bool:
        """Save the drawing (in the displayed colours) as a PNG; ``False`` on failure."""
        ok = self.to_image().save(path, "PNG")
        if ok:
            self._modified = False
        return ok

    # -- geometry ----------------------------------------------------------

    def square(self) -> QRectF:
        """The drawing square inside the widget, in logical pixels."""
        side = float(min(self.width(), self.height()))
        return QRectF((self.width() - side) / 2.0, (self.height() - side) / 2.0, side, side)

    def to_canvas(self, pos: QPointF) -> Point:
        """Widget coordinates -> canvas units."""
        square = self.square()
        scale = CANVAS_UNITS / square.width() if square.width() > 0 else 1.0
        return ((pos.x() - square.x()) * scale, (pos.y() - square.y()) * scale)

    # -- input ---------------------------------------------------------------

    def mousePressEvent(self, event: QMouseEvent) -> None:  # noqa: D102
        if event.button() == Qt.MouseButton.LeftButton:
            self._begin_stroke(event.position())
            event.accept()
        else:
            super().mousePressEvent(event)

    def mouseMoveEvent(self, event: QMouseEvent) -> None:  # noqa: D102
        if self._current is not None and event.buttons() & Qt.MouseButton.LeftButton:
            self._extend_stroke(event.position())
            event.accept()
        else:
            super().mouseMoveEvent(event)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:  # noqa: D102
        if event.button() == Qt.MouseButton.LeftButton and self._current is not None:
            self._extend_stroke(event.position())
            self._end_stroke()
            event.accept()
        else:
            super().mouseReleaseEvent(event)

    def tabletEvent(self, event: QTabletEvent) -> None:  # noqa: D102
        kind = event.type()
        if kind == QTabletEvent.Type.TabletPress:
            self._begin_stroke(event.position())
        elif kind == QTabletEvent.Type.TabletMove and self._current is not None:
            self._extend_stroke(event.position())
        elif kind == QTabletEvent.Type.TabletRelease and self._current is not None:
            self._extend_stroke(event.position())
            self._end_stroke()
        # Accepted: Qt then does not synthesise duplicate mouse events.
        event.accept()

    def _begin_stroke(self, pos: QPointF) -> None:
        point = self.to_canvas(pos)
        self._current = [point]
        self._redo.clear()
        self._modified = True
        self._paint_segment([point])
        self.historyChanged.emit()
        self.inkChanged.emit()

    def _extend_stroke(self, pos: QPointF) -> None:
        assert self._current is not None
        point = self.to_canvas(pos)
        last = self._current[-1]
        if point == last:
            return
        self._current.append(point)
        self._paint_segment([last, point])
        self.inkChanged.emit()

    def _end_stroke(self) -> None:
        assert self._current is not None
        self._strokes.append((self._pen_width, self._current))
        self._current = None
        # Segment-by-segment painting blends anti-aliased edges twice where
        # segments meet; one pass over the whole drawing gives the renderer's
        # exact pixels (the ones the benchmarks measured).
        self._render_all()
        self._finish()

    def _finish(self) -> None:
        self.update()
        self.historyChanged.emit()
        self.drawingFinished.emit()

    # -- painting ------------------------------------------------------------

    def _ink_color(self) -> QColor:
        return _DARK if self._dark_ink else _LIGHT

    def _paper_color(self) -> QColor:
        return _LIGHT if self._dark_ink else _DARK

    def _paint_segment(self, points: list[Point]) -> None:
        """Paint the newest piece of the current stroke on both images."""
        painter = QPainter(self._model_image)
        try:
            render.paint_strokes(painter, [points], self._pen_width, Qt.GlobalColor.white)
        finally:
            painter.end()
        self._ensure_display()
        square = self.square()
        scale = square.width() / CANVAS_UNITS
        painter = QPainter(self._display)
        try:
            painter.scale(scale, scale)
            render.paint_strokes(painter, [points], self._pen_width, self._ink_color())
        finally:
            painter.end()
        xs = [p[0] for p in points]
        ys = [p[1] for p in points]
        pad = self._pen_width / 2.0 + 2.0
        dirty = QRectF(
            square.x() + (min(xs) - pad) * scale,
            square.y() + (min(ys) - pad) * scale,
            (max(xs) - min(xs) + 2 * pad) * scale,
            (max(ys) - min(ys) + 2 * pad) * scale,
        )
        self.update(dirty.toAlignedRect())

    def _render_all(self) -> None:
        self._model_image.fill(Qt.GlobalColor.black)
        painter = QPainter(self._model_image)
        try:
            if self._background_model is not None:
                painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform, True)
                painter.drawImage(
                    _fit(self._background_model, CANVAS_UNITS), self._background_model
                )
            self._paint_all_strokes(painter, Qt.GlobalColor.white)
        finally:
            painter.end()
        self._render_display()

    def _paint_all_strokes(self, painter: QPainter, color: QColor | Qt.GlobalColor) -> None:
        strokes = list(self._strokes)
        if self._current:
            strokes.append((self._pen_width, self._current))
        for width, points in strokes:
            render.paint_strokes(painter, [points], width, color)

    def _ensure_display(self) -> None:
        ratio = self.devicePixelRatioF()
        side = round(self.square().width() * ratio)
        if self._display.isNull() or self._display.width() != side:
            self._render_display()

    def _render_display(self) -> None:
        ratio = self.devicePixelRatioF()
        logical = self.square().width()
        side = max(1, round(logical * ratio))
        self._display = QImage(side, side, QImage.Format.Format_ARGB32_Premultiplied)
        self._display.setDevicePixelRatio(ratio)
        self._paint_drawing(self._display, logical / CANVAS_UNITS)

    def _paint_drawing(self, image: QImage, scale: float) -> None:
        """Paint paper, opened image and strokes onto ``image`` (logical ``scale``)."""
        image.fill(self._paper_color())
        painter = QPainter(image)
        try:
            painter.scale(scale, scale)
            if self._background is not None:
                painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform, True)
                shown = _grayscale_image(self._background, self._paper_color(), self._ink_color())
                painter.drawImage(_fit(shown, CANVAS_UNITS), shown)
            self._paint_all_strokes(painter, self._ink_color())
        finally:
            painter.end()

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: D102
        self._ensure_display()
        square = self.square()
        painter = QPainter(self)
        try:
            painter.fillRect(event.rect(), self.palette().window())
            painter.drawImage(square.topLeft(), self._display)
            if self._overlay is not None:
                painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform, True)
                painter.drawImage(square, self._overlay)
                self._paint_legend(painter, square)
            if self.is_blank():
                painter.setPen(
                    QColor(150, 150, 150) if not self._dark_ink else QColor(120, 120, 120)
                )
                font = painter.font()
                font.setPointSizeF(font.pointSizeF() * 1.2)
                painter.setFont(font)
                painter.drawText(
                    square, Qt.AlignmentFlag.AlignCenter, "Draw a digit here\n0 1 2 3 4 5 6 7 8 9"
                )
            painter.setPen(self.palette().mid().color())
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawRect(square.adjusted(0.5, 0.5, -0.5, -0.5))
        finally:
            painter.end()

    def _paint_legend(self, painter: QPainter, square: QRectF) -> None:
        """Colour swatches and their meaning, bottom left of the square."""
        if not self._legend:
            return
        font = QFont(self.font())
        font.setPointSizeF(font.pointSizeF() * 0.9)
        painter.setFont(font)
        metrics = painter.fontMetrics()
        line = metrics.height() + 2
        swatch = metrics.height() * 0.7
        text_colour = QColor(60, 60, 60) if self._dark_ink else QColor(200, 200, 200)
        left = square.left() + 8
        top = square.bottom() - 6 - line * len(self._legend)
        for row, (colour, text) in enumerate(self._legend):
            y = top + row * line
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(colour)
            painter.drawRoundedRect(
                QRectF(left, y + (line - swatch) / 2, swatch, swatch), swatch / 4, swatch / 4
            )
            painter.setPen(text_colour)
            painter.drawText(
                QRectF(left + swatch + 6, y, square.width() - swatch - 20, line),
                Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft,
                metrics.elidedText(
                    text, Qt.TextElideMode.ElideRight, int(square.width() - swatch - 20)
                ),
            )

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: D102
        self._render_display()
        super().resizeEvent(event)


def _grayscale_image(
    ink: np.ndarray, paper: QColor | None = None, color: QColor | None = None
) -> QImage:
    """A ``Grayscale8`` QImage of ``ink`` (1.0 = white, or ``color`` on ``paper``)."""
    low = paper.lightness() if paper is not None else 0
    high = color.lightness() if color is not None else 255
    levels = np.clip(np.rint(low + ink * (high - low)), 0, 255).astype(np.uint8)
    height, width = levels.shape
    image = QImage(width, height, QImage.Format.Format_Grayscale8)
    stride = image.bytesPerLine()
    buffer = np.zeros((height, stride), dtype=np.uint8)
    buffer[:, :width] = levels
    # QImage(bytes, ...) does not own the buffer: copy it into the image.
    view = np.frombuffer(image.bits(), dtype=np.uint8, count=height * stride)
    view[:] = buffer.reshape(-1)
    return image


def _fit(image: QImage, side: float) -> QRectF:
    """Rectangle fitting ``image`` into a ``side`` square, aspect kept, centred."""
    scale = side / max(image.width(), image.height())
    width, height = image.width() * scale, image.height() * scale
    return QRectF((side - width) / 2.0, (side - height) / 2.0, width, height)
