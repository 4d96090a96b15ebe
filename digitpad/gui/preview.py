"""The "what the model sees" view: the 28 x 28 input, one square per pixel."""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QPointF, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QImage, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import QSizePolicy, QWidget

from digitpad.gui.i18n import translate

SIDE = 28


class ModelInputView(QWidget):
    """Shows the network's input, enlarged without smoothing, with a faint grid."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("modelInput")
        self.setAccessibleName(translate("ModelInputView", "What the model sees"))
        self.setAccessibleDescription(
            translate(
                "ModelInputView",
                "The 28 × 28 pixel image the network reads: the selected digit, "
                "scaled and centred, white ink on black",
            )
        )
        self.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
        self.setFixedSize(QSize(5 * SIDE + 2, 5 * SIDE + 2))
        self._image: QImage | None = None
        self._array: np.ndarray | None = None

    def set_array(self, x28: np.ndarray | None) -> None:
        """Show ``x28`` (float 28 x 28 in [0, 1], ink 1.0), or nothing."""
        if x28 is None:
            self._array = None
            self._image = None
        else:
            array = np.asarray(x28, dtype=np.float32)
            if array.shape != (SIDE, SIDE):
                raise ValueError(f"expected a 28x28 array, got shape {array.shape}")
            self._array = array.copy()
            levels = np.clip(np.rint(array * 255.0), 0, 255).astype(np.uint8)
            image = QImage(SIDE, SIDE, QImage.Format.Format_Grayscale8)
            stride = image.bytesPerLine()
            view = np.frombuffer(image.bits(), dtype=np.uint8, count=SIDE * stride)
            view.reshape(SIDE, stride)[:, :SIDE] = levels
            self._image = image
        self.update()

    def array(self) -> np.ndarray | None:
        """The array shown (a copy), or ``None``."""
        return None if self._array is None else self._array.copy()

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: D102
        painter = QPainter(self)
        try:
            target = QRectF(1.0, 1.0, float(self.width() - 2), float(self.height() - 2))
            painter.fillRect(self.rect(), self.palette().mid())
            painter.fillRect(target, QColor(0, 0, 0))
            if self._image is not None:
                # No smoothing: each of the 28 x 28 inputs stays a visible square.
                painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform, False)
                painter.drawImage(target, self._image)
            cell = target.width() / SIDE
            if cell >= 4:
                painter.setPen(QPen(QColor(255, 255, 255, 18), 0))
                for i in range(1, SIDE):
                    offset = target.x() + i * cell
                    painter.drawLine(
                        QPointF(offset, target.top()), QPointF(offset, target.bottom())
                    )
                    painter.drawLine(
                        QPointF(target.left(), offset), QPointF(target.right(), offset)
                    )
            if self._image is None:
                painter.setPen(QColor(150, 150, 150))
                painter.drawText(
                    target, Qt.AlignmentFlag.AlignCenter, translate("ModelInputView", "blank")
                )
        finally:
            painter.end()
