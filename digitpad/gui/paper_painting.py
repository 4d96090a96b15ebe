"""What the paper paints besides ink: digit boxes, the saliency legend, the hint.

Small painting helpers of :class:`digitpad.gui.canvas.DrawingCanvas`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from PySide6.QtCore import QT_TRANSLATE_NOOP, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFont, QImage, QPainter, QPen

from digitpad.drawing.saliency import PULL_COLOUR, PUSH_COLOUR
from digitpad.gui.i18n import translate

#: The hint on blank paper (translated where it is painted), above the ten digits.
HINT = QT_TRANSLATE_NOOP("DrawingCanvas", "Write a digit or a number here")


@dataclass(frozen=True)
class DigitBox:
    """One digit read on the paper, as its box is drawn.

    Attributes:
        rect: the box in paper pixels.
        selected: it is the digit whose bars are shown.
        sure: the network is sure of it (an unsure one is drawn dashed).
    """

    rect: QRectF
    selected: bool = False
    sure: bool = True


def paint_boxes(painter: QPainter, boxes: Sequence[DigitBox], dark_ink: bool) -> None:
    """The digit boxes, faint; the selected one stronger; an unsure one dashed."""
    base = QColor(90, 90, 90) if dark_ink else QColor(170, 170, 170)
    accent = QColor(40, 110, 220) if dark_ink else QColor(110, 170, 255)
    painter.setBrush(Qt.BrushStyle.NoBrush)
    for box in boxes:
        colour = QColor(accent if box.selected else base)
        colour.setAlpha(200 if box.selected else 90)
        pen = QPen(colour, 2.0 if box.selected else 1.0)
        if not box.sure:
            pen.setStyle(Qt.PenStyle.DashLine)
        painter.setPen(pen)
        painter.drawRoundedRect(box.rect.adjusted(-4, -4, 4, 4), 4.0, 4.0)


def paint_legend(
    painter: QPainter,
    paper: QRectF,
    legend: Sequence[tuple[QColor, str]],
    dark_ink: bool,
    base_font: QFont,
) -> None:
    """Colour swatches and their meaning, bottom left of the paper."""
    if not legend:
        return
    font = QFont(base_font)
    font.setPointSizeF(font.pointSizeF() * 0.9)
    painter.setFont(font)
    metrics = painter.fontMetrics()
    line = metrics.height() + 2
    swatch = metrics.height() * 0.7
    text_colour = QColor(60, 60, 60) if dark_ink else QColor(200, 200, 200)
    left = paper.left() + 8
    top = paper.bottom() - 6 - line * len(legend)
    width = paper.width() - swatch - 20
    for row, (colour, text) in enumerate(legend):
        y = top + row * line
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(colour)
        painter.drawRoundedRect(
            QRectF(left, y + (line - swatch) / 2, swatch, swatch), swatch / 4, swatch / 4
        )
        painter.setPen(text_colour)
        painter.drawText(
            QRectF(left + swatch + 6, y, width, line),
            Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft,
            metrics.elidedText(text, Qt.TextElideMode.ElideRight, int(width)),
        )


def paint_hint(painter: QPainter, paper: QRectF, dark_ink: bool) -> None:
    """What to do on blank paper."""
    painter.setPen(QColor(150, 150, 150) if not dark_ink else QColor(120, 120, 120))
    font = painter.font()
    font.setPointSizeF(font.pointSizeF() * 1.2)
    painter.setFont(font)
    text = translate("DrawingCanvas", HINT) + "\n0 1 2 3 4 5 6 7 8 9"
    painter.drawText(paper, Qt.AlignmentFlag.AlignCenter, text)


def saliency_legend(top: int) -> list[tuple[QColor, str]]:
    """What the saliency overlay's colours mean for the digit read, the colours named."""
    return [
        (
            QColor(*PUSH_COLOUR),
            translate("DrawingCanvas", "orange: ink that made it read {digit}").format(digit=top),
        ),
        (
            QColor(*PULL_COLOUR),
            translate("DrawingCanvas", "blue: ink that argued against {digit}").format(digit=top),
        ),
    ]


def grayscale_image(
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


def fit_rect(image: QImage, size: QSize) -> QRectF:
    """Rectangle fitting ``image`` into ``size``, aspect kept, centred."""
    scale = min(size.width() / image.width(), size.height() / image.height())
    width, height = image.width() * scale, image.height() * scale
    return QRectF((size.width() - width) / 2.0, (size.height() - height) / 2.0, width, height)


def rgba_image(rgba: np.ndarray) -> QImage:
    """A premultiplied RGBA ``QImage`` holding a copy of uint8 H x W x 4 ``rgba``.

    Raises:
        ValueError: not an H x W x 4 array.
    """
    array = np.ascontiguousarray(rgba, dtype=np.uint8)
    if array.ndim != 3 or array.shape[2] != 4:
        raise ValueError(f"expected an H x W x 4 RGBA array, got shape {array.shape}")
    height, width = array.shape[:2]
    image = QImage(width, height, QImage.Format.Format_RGBA8888_Premultiplied)
    stride = image.bytesPerLine()
    view = np.frombuffer(image.bits(), dtype=np.uint8, count=height * stride)
    view.reshape(height, stride)[:, : width * 4] = array.reshape(height, width * 4)
    return image


def image_rgba(image: QImage) -> np.ndarray:
    """The pixels of an RGBA8888 ``image`` as uint8 H x W x 4 (a copy)."""
    height, width = image.height(), image.width()
    stride = image.bytesPerLine()
    raw = np.frombuffer(image.constBits(), dtype=np.uint8, count=height * stride)
    return raw.reshape(height, stride)[:, : width * 4].reshape(height, width, 4).copy()
