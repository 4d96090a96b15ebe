"""The drawing paper: strokes in, a QImage backing store out (Qt's Scribble, HiDPI aware).

The paper takes the shape the window gives it (wider than tall by default,
so a number fits), and strokes are kept in *paper pixels*: logical pixels
from the paper's top-left corner. The pen's width is in the same logical
pixels and does not change when the window is resized. Two backing images
are painted incrementally with the shared renderer
(:mod:`digitpad.drawing.render`):

* the **model image**: the paper in logical pixels, ``Grayscale8``, always
  white ink on black: what segmentation and the network read, so the
  screen's pixel ratio and the colour preference never change a reading;
* the **display image**: the paper on screen at the device pixel ratio, in
  the preferred colours.

An optional **overlay** (the saliency map: premultiplied RGBA in paper
pixels, made on the inference worker) and the faint **boxes** of the digits
read are drawn over the display; they never touch the model image.

Painting happens only in :meth:`DrawingCanvas.paintEvent`; mouse, tablet and
(synthesised) touch input only add points and schedule updates.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence

import numpy as np
from PySide6.QtCore import (
    Property,
    QBuffer,
    QByteArray,
    QIODevice,
    QPointF,
    QRect,
    QRectF,
    QSize,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import (
    QColor,
    QImage,
    QMouseEvent,
    QPainter,
    QPaintEvent,
    QResizeEvent,
    QTabletEvent,
)
from PySide6.QtWidgets import QSizePolicy, QWidget

from digitpad.drawing import render
from digitpad.drawing.number_input import Drawing
from digitpad.drawing.paper import Paper, Point
from digitpad.gui.i18n import translate
from digitpad.gui.paper_painting import (
    DigitBox,
    fit_rect,
    grayscale_image,
    image_rgba,
    paint_boxes,
    paint_hint,
    paint_legend,
    rgba_image,
)
from digitpad.storage.atomic import atomic_write

#: The side of the square the tests' and benchmarks' strokes are written in
#: (see :meth:`DrawingCanvas.square`).
CANVAS_UNITS = render.DEFAULT_CANVAS_SIZE
#: Smallest paper in logical pixels.
MIN_SIZE = QSize(420, 280)
#: Pen widths offered to the user (logical pixels).
MIN_PEN_WIDTH = 6.0
#: After a stroke, the drawing is repainted in one pass this much later, once
#: its reading is in (the reading then has both cores to itself).
SETTLE_MS = 100
MAX_PEN_WIDTH = 36.0

_DARK = QColor(20, 20, 22)
_LIGHT = QColor(246, 246, 242)


class DrawingCanvas(QWidget):
    """A drawing paper with per-stroke undo and redo.

    Signals:
        inkChanged: the ink changed while a stroke is being drawn (many per
            second; throttle before reading).
        drawingFinished: a stroke ended, or the drawing was cleared, undone,
            redone, replaced or opened.
        historyChanged: undo or redo availability may have changed.
        aboutToChange: the drawing is about to change (a stroke begins, undo,
            redo, clear, an image or strokes replace it); what is on the
            paper and its reading are still the old ones (digits typed for
            them are acted on first).
        digitClicked(index): a right-click (or Ctrl+click) on the box of the
            digit ``index`` (see :meth:`set_boxes`).
    """

    inkChanged = Signal()
    aboutToChange = Signal()
    drawingFinished = Signal()
    historyChanged = Signal()
    digitClicked = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("canvas")
        self.setAccessibleName(translate("DrawingCanvas", "Drawing paper"))
        self.setMinimumSize(MIN_SIZE)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setAttribute(Qt.WidgetAttribute.WA_OpaquePaintEvent, True)
        self.setCursor(Qt.CursorShape.CrossCursor)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)

        self.paper = Paper()
        self._background_model: QImage | None = None
        self._pen_width = float(render.DEFAULT_PEN_WIDTH)
        self._dark_ink = False
        self._modified = False
        self._fit_after_stroke = False

        self._model_image = QImage()
        self._display = QImage()
        self._settle = QTimer(self)
        self._settle.setSingleShot(True)
        self._settle.setInterval(SETTLE_MS)
        self._settle.timeout.connect(self._repaint_settled)
        self._overlay: QImage | None = None
        self._overlay_rect: QRectF | None = None
        self._legend: list[tuple[QColor, str]] = []
        self._boxes: list[DigitBox] = []
        self._describe()

    # -- automation contract -------------------------------------------------

    def _paper_rect_property(self) -> QRect:
        return self.paper_rect().toAlignedRect()

    def _pen_width_property(self) -> float:
        return self._pen_width

    #: The area that takes ink, in widget coordinates.
    paperRect = Property(QRect, _paper_rect_property)
    #: The pen's diameter in logical pixels.
    penWidth = Property(float, _pen_width_property)

    # -- public API --------------------------------------------------------

    def sizeHint(self) -> QSize:  # noqa: D102
        return QSize(640, 420)

    def strokes(self) -> list[list[Point]]:
        """A copy of the finished strokes, in paper pixels."""
        return [list(points) for _width, points in self.paper.strokes]

    def drawing(self) -> Drawing:
        """What is on the paper, to read (the stroke being drawn too)."""
        return self.paper.drawing(self.ink_array() if self.paper.image is not None else None)

    def set_strokes(self, strokes: Sequence[Sequence[Sequence[float]]]) -> None:
        """Replace the drawing with ``strokes`` (paper pixels); undo puts back what was there."""
        self.aboutToChange.emit()
        self.paper.replace([(self._pen_width, stroke) for stroke in strokes], None)
        self._background_model = None
        self._modified = bool(self.paper.strokes)
        self._render_all()
        self._finish()

    def pen_width(self) -> float:
        """The pen's diameter in logical pixels."""
        return self._pen_width

    def set_pen_width(self, width: float) -> None:
        """Set the pen's diameter (logical pixels) for the strokes drawn next."""
        self._pen_width = float(min(MAX_PEN_WIDTH, max(MIN_PEN_WIDTH, width)))

    def dark_ink(self) -> bool:
        """Whether ink is shown dark on light paper."""
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
        return self.paper.is_blank()

    def is_modified(self) -> bool:
        """Whether the drawing changed since it was last cleared, opened or saved."""
        return self._modified

    def can_undo(self) -> bool:
        """Whether there is a stroke, a clear or an open to undo."""
        return self.paper.can_undo()

    def can_redo(self) -> bool:
        """Whether there is something undone to redo."""
        return self.paper.can_redo()

    def undo(self) -> None:
        """Take back the last stroke, or a clear or an open (the page as it was comes back)."""
        if self.paper.can_undo():
            self.aboutToChange.emit()
            self._step(self.paper.undo)

    def redo(self) -> None:
        """Do again what undo took back last."""
        if self.paper.can_redo():
            self.aboutToChange.emit()
            self._step(self.paper.redo)

    def _step(self, step: Callable[[], bool]) -> None:
        """Undo or redo: a page put back may hold an image, or ink beyond a smaller paper."""
        image = self.paper.image
        step()
        if self.paper.image is not image:
            self._background_model = (
                None if self.paper.image is None else grayscale_image(self.paper.image)
            )
        paper = self.paper_rect()
        self.paper.fit_within(paper.width(), paper.height())
        self._changed(modified=True)

    def clear(self) -> None:
        """Erase the strokes and the opened image (Undo puts them back)."""
        if not self.paper.is_blank():
            self.aboutToChange.emit()
        if self.paper.clear():
            self._background_model = None
            self._changed(modified=False)

    def set_image(self, ink: np.ndarray) -> None:
        """Show an opened image (float H x W, ink 1.0) as the drawing, in place of the strokes.

        The image is fitted into the paper, aspect kept, and can be drawn on;
        Undo puts back the drawing it replaced.
        """
        ink = np.clip(np.asarray(ink, dtype=np.float32), 0.0, 1.0)
        if ink.ndim != 2 or ink.size == 0:
            raise ValueError(f"expected a 2-D ink image, got shape {ink.shape}")
        self.aboutToChange.emit()
        self.paper.replace([], np.ascontiguousarray(ink))
        self._background_model = grayscale_image(self.paper.image)
        self._changed(modified=False)

    def has_image(self) -> bool:
        """Whether an opened image is part of the drawing (see :meth:`set_image`)."""
        return self.paper.image is not None

    def _changed(self, modified: bool) -> None:
        self._modified = modified
        self._render_all()
        self._finish()

    def set_overlay(
        self,
        rgba: np.ndarray | None,
        legend: Sequence[tuple[QColor, str]] = (),
        rect: QRectF | None = None,
    ) -> None:
        """Show ``rgba`` over the drawing, or nothing (``None``).

        Args:
            rgba: uint8 H x W x 4 premultiplied RGBA, e.g. a saliency map.
            legend: ``(colour, text)`` entries shown in a corner with it.
            rect: where it goes on the paper (paper pixels); ``None``: the
                whole paper.
        """
        self._overlay_rect = rect
        self._legend = list(legend) if rgba is not None else []
        self._describe()
        if rgba is None:
            if self._overlay is not None:
                self._overlay = None
                self.update()
            return
        self._overlay = rgba_image(rgba)
        self.update()

    def _describe(self) -> None:
        """The accessible description: how to draw, and what the overlay's colours mean."""
        text = translate(
            "DrawingCanvas",
            "Write a digit or a number with the mouse, a pen or a finger. "
            "Right-click a digit to show its bars.",
        )
        if self._legend:
            legend = self._legend[0][1]
            for _colour, meaning in self._legend[1:]:
                legend = translate("DrawingCanvas", "{earlier}; {later}").format(
                    earlier=legend, later=meaning
                )
            text = translate("DrawingCanvas", "{description} Saliency overlay: {legend}.").format(
                description=text, legend=legend
            )
        self.setAccessibleDescription(text)

    def has_overlay(self) -> bool:
        """Whether an overlay is shown over the drawing."""
        return self._overlay is not None

    def overlay_array(self) -> np.ndarray | None:
        """The overlay shown, as uint8 H x W x 4 premultiplied RGBA (a copy)."""
        return None if self._overlay is None else image_rgba(self._overlay)

    def set_boxes(self, boxes: Sequence[DigitBox]) -> None:
        """Draw the boxes of the digits read, faintly (paper pixels)."""
        self._boxes = list(boxes)
        self.update()

    def boxes(self) -> list[DigitBox]:
        """The digit boxes shown."""
        return list(self._boxes)

    def model_image(self) -> QImage:
        """The white-on-black image of the paper the network reads (a copy)."""
        self._settle_now()
        self._ensure_model()
        return self._model_image.copy()

    def ink_array(self) -> np.ndarray:
        """The model image as float32 H x W (paper pixels), ink 1.0 on 0.0."""
        self._settle_now()
        self._ensure_model()
        return render.image_to_array(self._model_image)

    def to_image(self, scale: float = 2.0) -> QImage:
        """The drawing as it looks on screen, ``scale`` pixels per paper pixel."""
        size = self._paper_size()
        image = QImage(
            max(1, round(size.width() * scale)),
            max(1, round(size.height() * scale)),
            QImage.Format.Format_RGB32,
        )
        self._paint_drawing(image, scale)
        return image

    def save_png(self, path: str) -> bool:
        """Save the drawing (in the displayed colours) as a PNG, atomically.

        The PNG is made in memory and then written beside ``path`` and renamed
        over it (``QImage.save(path)`` truncates the file first, and reports
        success on a full disk).

        Returns:
            ``True``: the drawing is saved.

        Raises:
            OSError: it could not be written; ``path`` is unchanged and no
                temp file is left behind.
        """
        data = QByteArray()
        buffer = QBuffer(data)
        buffer.open(QIODevice.OpenModeFlag.WriteOnly)
        encoded = self.to_image().save(buffer, "PNG")
        buffer.close()
        if not encoded:
            raise OSError("the drawing could not be encoded as a PNG")
        atomic_write(path, data.data(), as_user_file=True)
        self._modified = False
        return True

    # -- geometry ----------------------------------------------------------

    def paper_rect(self) -> QRectF:
        """The paper inside the widget, in logical pixels (widget coordinates)."""
        return QRectF(0.0, 0.0, float(self.width()), float(self.height()))

    def square(self) -> QRectF:
        """The largest square centred on the paper (where 280-unit test strokes go)."""
        paper = self.paper_rect()
        side = min(paper.width(), paper.height())
        return QRectF(
            paper.x() + (paper.width() - side) / 2.0,
            paper.y() + (paper.height() - side) / 2.0,
            side,
            side,
        )

    def to_paper(self, pos: QPointF) -> Point:
        """Widget coordinates -> paper pixels."""
        paper = self.paper_rect()
        return (float(pos.x() - paper.x()), float(pos.y() - paper.y()))

    def _paper_size(self) -> QSize:
        paper = self.paper_rect()
        return QSize(max(1, math.ceil(paper.width())), max(1, math.ceil(paper.height())))

    # -- input ---------------------------------------------------------------

    def mousePressEvent(self, event: QMouseEvent) -> None:  # noqa: D102
        selecting = event.button() == Qt.MouseButton.RightButton or (
            event.button() == Qt.MouseButton.LeftButton
            and event.modifiers() & Qt.KeyboardModifier.ControlModifier
        )
        if selecting:
            self._select_at(event.position())
            event.accept()
        elif event.button() == Qt.MouseButton.LeftButton:
            self._begin_stroke(event.position())
            event.accept()
        else:
            super().mousePressEvent(event)

    def mouseMoveEvent(self, event: QMouseEvent) -> None:  # noqa: D102
        if self.paper.current is not None and event.buttons() & Qt.MouseButton.LeftButton:
            self._extend_stroke(event.position())
            event.accept()
        else:
            super().mouseMoveEvent(event)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:  # noqa: D102
        if event.button() == Qt.MouseButton.LeftButton and self.paper.current is not None:
            self._extend_stroke(event.position())
            self._end_stroke()
            event.accept()
        else:
            super().mouseReleaseEvent(event)

    def tabletEvent(self, event: QTabletEvent) -> None:  # noqa: D102
        kind = event.type()
        if kind == QTabletEvent.Type.TabletPress:
            self._begin_stroke(event.position())
        elif kind == QTabletEvent.Type.TabletMove and self.paper.current is not None:
            self._extend_stroke(event.position())
        elif kind == QTabletEvent.Type.TabletRelease and self.paper.current is not None:
            self._extend_stroke(event.position())
            self._end_stroke()
        # Accepted: Qt then does not synthesise duplicate mouse events.
        event.accept()

    def _select_at(self, pos: QPointF) -> None:
        x, y = self.to_paper(pos)
        for index, box in enumerate(self._boxes):
            if box.rect.adjusted(-4, -4, 4, 4).contains(QPointF(x, y)):
                self.digitClicked.emit(index)
                return

    def _begin_stroke(self, pos: QPointF) -> None:
        self.aboutToChange.emit()
        self._settle_now()
        point = self.to_paper(pos)
        self.paper.begin(point, self._pen_width)
        self._modified = True
        self._paint_segment([point])
        self.historyChanged.emit()
        self.inkChanged.emit()

    def _extend_stroke(self, pos: QPointF) -> None:
        assert self.paper.current is not None
        last = self.paper.current[-1]
        if self.paper.extend(self.to_paper(pos)):
            self._paint_segment([last, self.paper.current[-1]])
            self.inkChanged.emit()

    def _end_stroke(self) -> None:
        self.paper.end()
        if self._fit_after_stroke and self._fit_strokes():
            self._render_all()
        # Segment-by-segment painting blends anti-aliased edges twice where
        # segments meet; one pass over the whole drawing gives the renderer's
        # exact pixels (the ones the benchmarks measured). Strokes alone are
        # read from their points: their reading is asked for now, and the
        # repaint (a few milliseconds of this thread, which slowed the reading
        # as much again) waits until it is in. Ink over an opened image is
        # read from the repainted model image.
        if self.paper.image is None:
            self._finish()
            self._settle.start()
        else:
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
        self._ensure_model()
        self._ensure_display()
        for image, color in (
            (self._model_image, QColor(Qt.GlobalColor.white)),
            (self._display, self._ink_color()),
        ):
            painter = QPainter(image)
            try:
                render.paint_strokes(painter, [points], self._pen_width, color)
            finally:
                painter.end()
        xs = [p[0] for p in points]
        ys = [p[1] for p in points]
        pad = self._pen_width / 2.0 + 2.0
        paper = self.paper_rect()
        dirty = QRectF(
            paper.x() + min(xs) - pad,
            paper.y() + min(ys) - pad,
            max(xs) - min(xs) + 2 * pad,
            max(ys) - min(ys) + 2 * pad,
        )
        self.update(dirty.toAlignedRect())

    def _ensure_model(self) -> None:
        if self._model_image.size() != self._paper_size():
            self._render_model()

    def _settle_now(self) -> None:
        """Do the repaint that waits after a stroke now, if one waits."""
        if self._settle.isActive():
            self._repaint_settled()

    def _repaint_settled(self) -> None:
        self._render_all()
        self.update()

    def _render_all(self) -> None:
        self._settle.stop()
        self._render_model()
        self._render_display()

    def _render_model(self) -> None:
        size = self._paper_size()
        self._model_image = QImage(size, QImage.Format.Format_Grayscale8)
        self._model_image.fill(Qt.GlobalColor.black)
        painter = QPainter(self._model_image)
        try:
            if self._background_model is not None:
                painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform, True)
                painter.drawImage(fit_rect(self._background_model, size), self._background_model)
            self._paint_all_strokes(painter, QColor(Qt.GlobalColor.white))
        finally:
            painter.end()

    def _paint_all_strokes(self, painter: QPainter, color: QColor) -> None:
        for width, points in self.paper.all_strokes():
            render.paint_strokes(painter, [points], width, color)

    def _ensure_display(self) -> None:
        ratio = self.devicePixelRatioF()
        size = self._paper_size()
        wanted = (round(size.width() * ratio), round(size.height() * ratio))
        if self._display.isNull() or (self._display.width(), self._display.height()) != wanted:
            self._render_display()

    def _render_display(self) -> None:
        ratio = self.devicePixelRatioF()
        size = self._paper_size()
        self._display = QImage(
            max(1, round(size.width() * ratio)),
            max(1, round(size.height() * ratio)),
            QImage.Format.Format_ARGB32_Premultiplied,
        )
        self._display.setDevicePixelRatio(ratio)
        self._paint_drawing(self._display, 1.0)

    def _paint_drawing(self, image: QImage, scale: float) -> None:
        """Paint paper, opened image and strokes onto ``image`` (``scale`` per paper px)."""
        image.fill(self._paper_color())
        painter = QPainter(image)
        try:
            painter.scale(scale, scale)
            if self.paper.image is not None:
                painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform, True)
                shown = grayscale_image(self.paper.image, self._paper_color(), self._ink_color())
                painter.drawImage(fit_rect(shown, self._paper_size()), shown)
            self._paint_all_strokes(painter, self._ink_color())
        finally:
            painter.end()

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: D102
        self._ensure_display()
        paper = self.paper_rect()
        painter = QPainter(self)
        try:
            painter.fillRect(event.rect(), self.palette().window())
            painter.drawImage(paper.topLeft(), self._display)
            painter.translate(paper.topLeft())
            if self._overlay is not None:
                painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform, True)
                if self._overlay_rect is None:
                    painter.drawImage(QPointF(0.0, 0.0), self._overlay)
                else:
                    painter.drawImage(self._overlay_rect, self._overlay)
            paint_boxes(painter, self._boxes, self._dark_ink)
            painter.resetTransform()
            paint_legend(painter, paper, self._legend, self._dark_ink, self.font())
            if self.is_blank():
                paint_hint(painter, paper, self._dark_ink)
            painter.setPen(self.palette().mid().color())
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawRect(paper.adjusted(0.5, 0.5, -0.5, -0.5))
        finally:
            painter.end()

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: D102
        # The strokes keep their paper pixels, unless the paper no longer
        # holds them (what is read is what is seen); the images follow the
        # new size.
        refit = self._fit_strokes()
        self._render_all()
        super().resizeEvent(event)
        if refit:
            self._finish()

    def _fit_strokes(self) -> bool:
        """Bring strokes beyond the paper's edge back onto it (see ``Paper.fit_within``)."""
        if self.paper.current is not None:
            self._fit_after_stroke = True  # the window shrank while a stroke was drawn
            return False
        self._fit_after_stroke = False
        paper = self.paper_rect()
        fitted = self.paper.fitted_strokes(paper.width(), paper.height())
        if fitted is None:
            return False
        self.aboutToChange.emit()  # the strokes move: what was typed for them goes first
        self.paper.strokes, self.paper.redo_stack = fitted
        return True
