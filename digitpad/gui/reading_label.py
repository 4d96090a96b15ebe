"""The big reading: every digit of the number, the unsure ones marked, each one clickable.

:class:`ReadingLabel` is a ``QLabel`` whose ``text()`` is the plain reading
("2026"; the automation contract's ``predictedDigit``). It paints each digit
itself: the selected one underlined, a digit the network is not sure of in
the warning colour (the note under the label says it in words too).
Clicking a digit selects it.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QPointF, QRectF, Qt, Signal
from PySide6.QtGui import QColor, QFontMetricsF, QMouseEvent, QPainter, QPaintEvent
from PySide6.QtWidgets import QLabel, QWidget

#: The colour of a digit the network is not sure of.
UNSURE = QColor(215, 120, 0)


class ReadingLabel(QLabel):
    """The reading, one glyph per digit.

    Signals:
        digitClicked(index): a digit was clicked.
    """

    digitClicked = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("", parent)
        self._sure: list[bool] = []
        self._selected = -1

    def set_reading(self, text: str, sure: Sequence[bool], selected: int) -> None:
        """Show ``text`` (one character per digit), marking unsure digits and the selected."""
        self._sure = list(sure)
        self._selected = selected
        self.setText(text)
        self.update()

    def clear(self) -> None:  # noqa: D102
        self._sure = []
        self._selected = -1
        super().clear()

    def _layout(self) -> tuple[QFontMetricsF, float, float, list[float]]:
        """The font metrics, the scale that fits the text, the left edge and the advances."""
        metrics = QFontMetricsF(self.font())
        text = self.text()
        advances = [metrics.horizontalAdvance(ch) for ch in text]
        total = sum(advances)
        room = self.contentsRect().width() - 8
        scale = min(1.0, room / total) if total > 0 else 1.0
        left = self.contentsRect().center().x() - total * scale / 2.0
        return metrics, scale, left, advances

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: D102
        text = self.text()
        if not text:
            return
        metrics, scale, left, advances = self._layout()
        painter = QPainter(self)
        try:
            painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
            rect = QRectF(self.contentsRect())
            painter.translate(left, rect.center().y())
            painter.scale(scale, scale)
            baseline = (metrics.ascent() - metrics.descent()) / 2.0
            x = 0.0
            normal = self.palette().windowText().color()
            for index, (ch, advance) in enumerate(zip(text, advances, strict=True)):
                sure = self._sure[index] if index < len(self._sure) else True
                painter.setPen(normal if sure else UNSURE)
                painter.setFont(self.font())
                painter.drawText(QPointF(x, baseline), ch)
                if index == self._selected and len(text) > 1:
                    painter.fillRect(
                        QRectF(x + advance * 0.1, baseline + metrics.descent() * 0.5,
                               advance * 0.8, max(2.0, metrics.lineWidth() * 2)),
                        normal if sure else UNSURE,
                    )  # fmt: skip
                x += advance
        finally:
            painter.end()

    def mousePressEvent(self, event: QMouseEvent) -> None:  # noqa: D102
        text = self.text()
        if event.button() != Qt.MouseButton.LeftButton or not text:
            super().mousePressEvent(event)
            return
        _metrics, scale, left, advances = self._layout()
        x = left
        for index, advance in enumerate(advances):
            if x <= event.position().x() < x + advance * scale:
                self.digitClicked.emit(index)
                break
            x += advance * scale
        event.accept()
