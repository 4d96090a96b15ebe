"""The big reading: every digit of the number, the unsure ones marked, each one clickable.

:class:`ReadingLabel` is a ``QLabel`` whose ``text()`` is the plain reading
("2026"; the automation contract's ``predictedDigit``). It paints each digit
itself: the selected one underlined, a digit the network is not sure of in
the warning colour (the note under the label says it in words too, and so
does the label's accessible description). Clicking a digit selects it; with
the keyboard focus (Tab), Left and Right select the digit before or after,
Home and End the first and the last (the same ``digitClicked`` signal), and
a frame in the highlight colour shows the focus.

For assistive technology the label's accessible description is the reading
in words ("Reads 2026; not sure of the 0"; with the focus, also which digit
is selected: "…; digit 2 of 4 selected: 0"), and once a reading has stood for
:data:`ANNOUNCE_DELAY_MS` it is announced (``QAccessibleAnnouncementEvent``):
drawing makes many readings a second, and a screen reader should speak the
one the user stopped at, not all of them.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6 import QtGui
from PySide6.QtCore import QPointF, QRectF, Qt, QTimer, Signal
from PySide6.QtGui import (
    QAccessible,
    QAccessibleEvent,
    QColor,
    QFocusEvent,
    QFontMetricsF,
    QKeyEvent,
    QMouseEvent,
    QPainter,
    QPaintEvent,
    QPalette,
    QPen,
)
from PySide6.QtWidgets import QLabel, QWidget

from digitpad.gui.i18n import translate
from digitpad.gui.reading import summarize

#: The colour of a digit the network is not sure of.
UNSURE = QColor(215, 120, 0)
#: A reading is announced once it has been shown this long, in milliseconds.
ANNOUNCE_DELAY_MS = 300
#: Qt 6.8+ only (PySide6 >= 6.6 is supported).
_ANNOUNCEMENT = getattr(QtGui, "QAccessibleAnnouncementEvent", None)
#: Keys that select the digit before or after, and those that select the first or last.
_STEPS: dict[int, int] = {Qt.Key.Key_Left: -1, Qt.Key.Key_Right: 1}
_ENDS: dict[int, bool] = {Qt.Key.Key_Home: False, Qt.Key.Key_End: True}


class ReadingLabel(QLabel):
    """The reading, one glyph per digit.

    Signals:
        digitClicked(index): a digit was clicked, or chosen with the keyboard.
    """

    digitClicked = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("", parent)
        self._sure: list[bool] = []
        self._selected = -1
        self._summary = ""
        self._announced = ""
        self._announce_timer = QTimer(self)
        self._announce_timer.setSingleShot(True)
        self._announce_timer.setInterval(ANNOUNCE_DELAY_MS)
        self._announce_timer.timeout.connect(self.announce)
        self.setAccessibleName(translate("ReadingLabel", "Reading"))
        self.setAccessibleDescription(translate("ReadingLabel", "Nothing read yet"))
        self.setToolTip(
            translate(
                "ReadingLabel",
                "What the network reads. A digit it is not sure of is shown in orange "
                "and named in the note below. Click a digit (or use the arrow keys) "
                "to see its bars.",
            )
        )

    def set_reading(
        self, text: str, sure: Sequence[bool], selected: int, summary: str | None = None
    ) -> None:
        """Show ``text`` (one character per digit), marking unsure digits and the selected.

        Args:
            text: the reading, one character per digit.
            sure: whether the network is sure of each digit.
            selected: the index of the selected digit.
            summary: the reading in words for assistive technology
                (``Reading.summary()``); ``None`` says it from ``text`` and
                ``sure`` alone. Announced once the reading has stood for
                :data:`ANNOUNCE_DELAY_MS`.
        """
        self._sure = list(sure)
        self._selected = selected
        self.setText(text)
        if not summary:
            marks = [self._sure[i] if i < len(self._sure) else True for i in range(len(text))]
            summary = summarize(list(text), marks) if text else ""
        self._summary = summary
        self._describe()
        self._announce_timer.start()
        self.update()

    def clear(self) -> None:  # noqa: D102
        self._sure = []
        self._selected = -1
        self._summary = ""
        self._announce_timer.stop()
        self._announced = ""
        super().clear()
        self.setAccessibleDescription(translate("ReadingLabel", "Nothing read yet"))

    def announce(self) -> None:
        """Have screen readers say the reading (the accessible description), once."""
        self._announce_timer.stop()
        # The description, not the summary given to set_reading: the window may
        # have described the reading more fully since.
        message = self.accessibleDescription()
        if not self.text() or not message or message == self._announced:
            return
        self._announced = message
        if _ANNOUNCEMENT is not None:
            QAccessible.updateAccessibility(_ANNOUNCEMENT(self, message))
        else:
            # Before Qt 6.8: a name change makes screen readers read the label again.
            QAccessible.updateAccessibility(QAccessibleEvent(self, QAccessible.Event.NameChanged))

    def _describe(self) -> None:
        """The reading in words; with the focus, also the digit selected."""
        text = self.text()
        description = self._summary or translate("ReadingLabel", "Nothing read yet")
        if self.hasFocus() and len(text) > 1 and 0 <= self._selected < len(text):
            description = translate(
                "ReadingLabel", "{summary}; digit {position} of {count} selected: {digit}"
            ).format(
                summary=description,
                position=self._selected + 1,
                count=len(text),
                digit=text[self._selected],
            )
        if description != self.accessibleDescription():
            self.setAccessibleDescription(description)

    def _key_target(self, event: QKeyEvent) -> int | None:
        """The digit a key press selects (``None``: not a key of this label)."""
        count = len(self.text())
        modifiers = event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier
        key = event.key()
        if count == 0 or modifiers != Qt.KeyboardModifier.NoModifier:
            return None
        if key in _ENDS:
            return count - 1 if _ENDS[key] else 0
        if key in _STEPS:
            current = self._selected if 0 <= self._selected < count else count - 1
            return min(count - 1, max(0, current + _STEPS[key]))
        return None

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: D102
        target = self._key_target(event)
        if target is None:
            super().keyPressEvent(event)
            return
        if target != self._selected:
            self.digitClicked.emit(target)
        event.accept()

    def focusInEvent(self, event: QFocusEvent) -> None:  # noqa: D102
        super().focusInEvent(event)
        self._describe()
        self.update()

    def focusOutEvent(self, event: QFocusEvent) -> None:  # noqa: D102
        super().focusOutEvent(event)
        self._describe()
        self.update()

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
        if not text and not self.hasFocus():
            return
        metrics, scale, left, advances = self._layout()
        painter = QPainter(self)
        try:
            painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
            if self.hasFocus():
                self._paint_focus(painter)
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

    def _paint_focus(self, painter: QPainter) -> None:
        """A frame in the highlight colour round the reading: the keyboard is here."""
        pen = QPen(self.palette().color(QPalette.ColorRole.Highlight), 2.0)
        painter.save()
        painter.setPen(pen)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawRoundedRect(QRectF(self.rect()).adjusted(1.0, 1.0, -1.0, -1.0), 6.0, 6.0)
        painter.restore()

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
