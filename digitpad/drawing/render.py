"""The one stroke renderer: the canvas, the tests and the benchmarks share it.

Whatever draws a digit (the user's mouse on the canvas, a pendigits replay in
a benchmark, a test) goes through :func:`paint_strokes`, so the pixels the
model sees in the app are the pixels it was measured on.

Imports QtGui only (no widgets, no TensorFlow).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import numpy as np
from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QImage, QPainter, QPainterPath, QPen

#: The canvas's default pen width in logical pixels (on its 280 x 280 canvas).
DEFAULT_PEN_WIDTH = 18.0
#: The canvas's default side in logical pixels.
DEFAULT_CANVAS_SIZE = 280

Point = Sequence[float]
Stroke = Sequence[Point] | np.ndarray


def stroke_path(points: Stroke) -> QPainterPath:
    """A path through ``points`` (straight segments), for a round-capped pen.

    A single point gives a zero-length segment, which Qt's raster engine
    does not draw at all: :func:`paint_strokes` draws such strokes as filled
    dots instead, so use it rather than stroking this path yourself.

    Raises:
        ValueError: ``points`` is empty.
    """
    path = QPainterPath()
    # Python floats: iterating an array's rows costs a numpy scalar per number.
    iterator = iter(points.tolist() if isinstance(points, np.ndarray) else points)
    try:
        first = next(iterator)
    except StopIteration:
        raise ValueError("a stroke needs at least one point") from None
    # numpy scalars are not accepted by every Qt geometry overload.
    start = QPointF(float(first[0]), float(first[1]))
    path.moveTo(start)
    segments = 0
    for x, y in iterator:
        path.lineTo(float(x), float(y))
        segments += 1
    if segments == 0:
        path.lineTo(start)
    return path


def make_pen(pen_width: float, color: QColor | Qt.GlobalColor = Qt.GlobalColor.white) -> QPen:
    """The drawing pen: solid, round caps and joins, ``pen_width`` wide."""
    pen = QPen(QColor(color))
    pen.setWidthF(float(pen_width))
    pen.setCapStyle(Qt.PenCapStyle.RoundCap)
    pen.setJoinStyle(Qt.PenJoinStyle.RoundJoin)
    pen.setStyle(Qt.PenStyle.SolidLine)
    return pen


def paint_strokes(
    painter: QPainter,
    strokes: Iterable[Stroke],
    pen_width: float,
    color: QColor | Qt.GlobalColor = Qt.GlobalColor.white,
) -> None:
    """Draw ``strokes`` with the app's pen on an active ``painter``.

    The canvas calls this for the whole drawing and, while the mouse moves,
    for the newest few points only; both give the same pixels.

    Args:
        painter: an active painter (its antialiasing hint is switched on).
        strokes: sequences of ``(x, y)`` in the painter's logical coordinates.
        pen_width: the pen's diameter in logical pixels.
        color: the ink.
    """
    painter.save()
    try:
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        pen = make_pen(pen_width, color)
        painter.setPen(pen)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        radius = float(pen_width) / 2.0
        for stroke in strokes:
            if len(stroke) == 0:
                continue
            if _is_single_point(stroke):
                # Zero-length lines are not drawn by every paint engine; a
                # filled circle is the round dot a round cap would make.
                x, y = float(stroke[0][0]), float(stroke[0][1])
                painter.setPen(Qt.PenStyle.NoPen)
                painter.setBrush(QColor(color))
                painter.drawEllipse(QRectF(x - radius, y - radius, 2 * radius, 2 * radius))
                painter.setPen(pen)
                painter.setBrush(Qt.BrushStyle.NoBrush)
            else:
                painter.drawPath(stroke_path(stroke))
    finally:
        painter.restore()


def _is_single_point(stroke: Stroke) -> bool:
    first = stroke[0]
    return all(float(p[0]) == float(first[0]) and float(p[1]) == float(first[1]) for p in stroke)


def render_strokes(
    strokes: Iterable[Stroke],
    size: tuple[int, int],
    pen_width: float,
    *,
    device_pixel_ratio: float = 1.0,
) -> QImage:
    """Render strokes as white ink on black into a new grayscale image.

    Args:
        strokes: sequences of ``(x, y)`` in logical canvas pixels.
        size: ``(width, height)`` of the canvas in logical pixels.
        pen_width: the pen's diameter in logical pixels.
        device_pixel_ratio: physical pixels per logical pixel (HiDPI screens);
            the image is that much larger and carries the ratio.

    Returns:
        A ``Format_Grayscale8`` image.
    """
    width, height = int(size[0]), int(size[1])
    if width <= 0 or height <= 0:
        raise ValueError(f"canvas size must be positive, got {size}")
    ratio = float(device_pixel_ratio)
    if not ratio > 0:
        raise ValueError(f"device_pixel_ratio must be positive, got {device_pixel_ratio}")
    image = QImage(round(width * ratio), round(height * ratio), QImage.Format.Format_Grayscale8)
    image.setDevicePixelRatio(ratio)
    image.fill(Qt.GlobalColor.black)
    painter = QPainter(image)
    try:
        paint_strokes(painter, strokes, pen_width, Qt.GlobalColor.white)
    finally:
        painter.end()
    return image


def image_to_array(image: QImage) -> np.ndarray:
    """A grayscale copy of ``image`` as float32 H x W in [0, 1] (white = 1)."""
    if image.format() != QImage.Format.Format_Grayscale8:
        image = image.convertToFormat(QImage.Format.Format_Grayscale8)
    height, width, stride = image.height(), image.width(), image.bytesPerLine()
    # Rows are padded to 32-bit boundaries; copy before the QImage goes away.
    raw = np.frombuffer(image.constBits(), dtype=np.uint8, count=height * stride)
    pixels = raw.reshape(height, stride)[:, :width]
    return pixels.astype(np.float32) / np.float32(255.0)


def render_to_array(
    strokes: Iterable[Stroke], size: tuple[int, int], pen_width: float
) -> np.ndarray:
    """Render strokes (as :func:`render_strokes`) to float32 H x W, ink 1.0 on 0.0."""
    return image_to_array(render_strokes(strokes, size, pen_width))
