"""Ten labelled probability bars, the most likely digit highlighted.

For assistive technology each row is also a child widget that paints
nothing and lets the mouse through, named for what it shows ("3: 97
percent"): a screen reader lists and reads the ten rows like any other
controls, with no custom accessibility interface (whose lifetime across
Python and Qt is fragile). The bars widget itself is described by the
reading ("Most likely 3, 97 percent"), and says in words what the orange of
a network still learning means.

With the keyboard focus (Tab), a frame marks one row (at first the most
likely digit's): Up and Down (Home, End) move it, and Space or Enter does
what clicking that row does (``digitClicked``: the selected digit is
corrected to it). The description then also names the framed row.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Property, QRectF, QSize, Qt, Signal
from PySide6.QtGui import (
    QColor,
    QFocusEvent,
    QFont,
    QKeyEvent,
    QMouseEvent,
    QPainter,
    QPaintEvent,
    QPalette,
    QPen,
    QResizeEvent,
)
from PySide6.QtWidgets import QSizePolicy, QWidget

from digitpad.gui import i18n
from digitpad.gui.i18n import translate

_ROW_HEIGHT = 24
_PROVISIONAL = QColor(230, 145, 30)
#: Keys that move the framed row, and by how much (Home and End: to the ends).
_MOVES: dict[int, int] = {
    Qt.Key.Key_Up: -1,
    Qt.Key.Key_Down: 1,
    Qt.Key.Key_Home: -10,
    Qt.Key.Key_End: 10,
}
#: Keys that choose the framed row, as a click on it does.
_CHOOSE = (Qt.Key.Key_Space, Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Select)


class PredictionBars(QWidget):
    """Shows the network's ten class probabilities as horizontal bars.

    The read-only Qt property ``probabilities`` holds the ten floats shown
    (summing to 1), or an empty list when there is no prediction.
    """

    probabilitiesChanged = Signal()
    #: The user clicked the row of this digit, or chose it with the keyboard
    #: (to say the drawing is that digit).
    digitClicked = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("predictionBars")
        self.setAccessibleName(translate("PredictionBars", "Prediction"))
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)
        self.setMinimumWidth(200)
        self._probabilities: list[float] = []
        self._provisional = False
        self._description = ""
        # The row framed while the bars have the keyboard focus.
        self._cursor: int | None = None
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.setToolTip(
            translate(
                "PredictionBars",
                "Misread? Click the right digit (or type it, or choose it with the arrow "
                "keys and Space) to keep the drawing as an example of your handwriting.",
            )
        )
        self._rows = [self._make_row(digit) for digit in range(10)]
        self._set_description(translate("PredictionBars", "No prediction"))
        self._describe_rows()

    def _make_row(self, digit: int) -> QWidget:
        row = QWidget(self)
        row.setObjectName(f"predictionBar{digit}")
        row.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents, True)
        row.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        row.setAccessibleDescription(
            translate("PredictionBars", "How likely the drawing is a {digit}").format(digit=digit)
        )
        return row

    def _describe_rows(self) -> None:
        """Name each row for assistive technology after what it shows."""
        for digit, row in enumerate(self._rows):
            if self._probabilities:
                name = translate("PredictionBars", "{digit}: {percent}").format(
                    digit=digit, percent=spoken_percent(self._probabilities[digit])
                )
            else:
                name = translate("PredictionBars", "{digit}: no prediction").format(digit=digit)
            row.setAccessibleName(name)

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: D102
        super().resizeEvent(event)
        height = (self.height() - 4) / 10.0
        for digit, row in enumerate(self._rows):
            top = round(2.0 + digit * height)
            row.setGeometry(0, top, self.width(), max(1, round(2.0 + (digit + 1) * height) - top))

    def _get_probabilities(self) -> list[float]:
        return list(self._probabilities)

    #: The ten probabilities shown, or ``[]`` (read-only).
    probabilities = Property(list, _get_probabilities, notify=probabilitiesChanged)

    def set_probabilities(self, values: Sequence[float], *, provisional: bool = False) -> None:
        """Show ``values`` (10 non-negative floats); ``provisional`` = still learning.

        Raises:
            ValueError: not ten finite non-negative numbers.
        """
        floats = [float(v) for v in values]
        if len(floats) != 10 or not all(v >= 0.0 and v <= 1.0 + 1e-6 for v in floats):
            raise ValueError(f"expected 10 probabilities in [0, 1], got {values!r}")
        total = sum(floats)
        if total <= 0:
            raise ValueError("probabilities sum to zero")
        self._probabilities = [v / total for v in floats]
        self._provisional = bool(provisional)
        top = max(range(10), key=self._probabilities.__getitem__)
        description = translate("PredictionBars", "Most likely {digit}, {percent}").format(
            digit=top, percent=spoken_percent(self._probabilities[top])
        )
        if self._provisional:
            # The orange of the bars says it to the eye.
            description = translate(
                "PredictionBars", "{description} (the network is still learning)"
            ).format(description=description)
        self._describe_rows()
        self._set_description(description)
        self.update()
        self.probabilitiesChanged.emit()

    def clear(self) -> None:
        """Show no prediction."""
        if not self._probabilities:
            return
        self._probabilities = []
        self._describe_rows()
        self._set_description(translate("PredictionBars", "No prediction"))
        self.update()
        self.probabilitiesChanged.emit()

    def top_digit(self) -> int | None:
        """The most likely digit, or ``None`` when nothing is shown."""
        if not self._probabilities:
            return None
        return max(range(10), key=self._probabilities.__getitem__)

    def framed_digit(self) -> int | None:
        """The row framed for the keyboard (``None`` without the focus)."""
        return self._cursor if self.hasFocus() else None

    def _set_description(self, description: str) -> None:
        """Describe the bars by ``description``; with the focus, also the framed row."""
        self._description = description
        framed = self.framed_digit()
        if framed is not None:
            description = translate(
                "PredictionBars",
                "{description}. Chosen row {row}; Space keeps the drawing as a {digit}",
            ).format(
                description=description, row=self._rows[framed].accessibleName(), digit=framed
            )
        if description != self.accessibleDescription():
            self.setAccessibleDescription(description)

    def _move_cursor(self, digit: int | None) -> None:
        self._cursor = digit
        self._set_description(self._description)
        self.update()

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: D102
        modifiers = event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier
        key = event.key()
        if modifiers != Qt.KeyboardModifier.NoModifier or self._cursor is None:
            super().keyPressEvent(event)
        elif key in _MOVES:
            self._move_cursor(min(9, max(0, self._cursor + _MOVES[key])))
            event.accept()
        elif key in _CHOOSE:
            self.digitClicked.emit(self._cursor)
            event.accept()
        else:
            super().keyPressEvent(event)

    def focusInEvent(self, event: QFocusEvent) -> None:  # noqa: D102
        super().focusInEvent(event)
        top = self.top_digit()
        self._move_cursor(top if top is not None else 0)

    def focusOutEvent(self, event: QFocusEvent) -> None:  # noqa: D102
        super().focusOutEvent(event)
        self._move_cursor(None)

    def digit_at(self, y: float) -> int | None:
        """The digit whose row is at height ``y`` (widget pixels), if any."""
        row = (self.height() - 4) / 10.0
        index = int((y - 2.0) // row) if row > 0 else -1
        return index if 0 <= index <= 9 else None

    def mousePressEvent(self, event: QMouseEvent) -> None:  # noqa: D102
        digit = self.digit_at(event.position().y())
        if event.button() == Qt.MouseButton.LeftButton and digit is not None:
            self.digitClicked.emit(digit)
            event.accept()
            return
        super().mousePressEvent(event)

    def sizeHint(self) -> QSize:  # noqa: D102
        return QSize(260, 10 * _ROW_HEIGHT + 4)

    def minimumSizeHint(self) -> QSize:  # noqa: D102
        return QSize(200, 10 * _ROW_HEIGHT + 4)

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: D102
        palette = self.palette()
        accent = _PROVISIONAL if self._provisional else palette.color(QPalette.ColorRole.Highlight)
        text = palette.color(QPalette.ColorRole.WindowText)
        track = palette.color(QPalette.ColorRole.Window).darker(112)
        muted = QColor(text)
        muted.setAlpha(150)
        top = self.top_digit()
        painter = QPainter(self)
        try:
            painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
            base = QFont(self.font())
            bold = QFont(base)
            bold.setBold(True)
            row = (self.height() - 4) / 10.0
            digit_w = 22.0
            percent_w = 52.0
            bar_x = digit_w + 8.0
            bar_w = max(10.0, self.width() - bar_x - percent_w - 6.0)
            bar_h = min(14.0, row * 0.6)
            for digit in range(10):
                y = 2.0 + digit * row
                highlighted = digit == top
                if highlighted:
                    glow = QColor(accent)
                    glow.setAlpha(40)
                    painter.setPen(Qt.PenStyle.NoPen)
                    painter.setBrush(glow)
                    painter.drawRoundedRect(QRectF(0.0, y, float(self.width()), row), 4.0, 4.0)
                painter.setFont(bold if highlighted else base)
                painter.setPen(text if highlighted or top is None else muted)
                painter.drawText(
                    QRectF(0.0, y, digit_w, row), Qt.AlignmentFlag.AlignCenter, str(digit)
                )
                bar = QRectF(bar_x, y + (row - bar_h) / 2.0, bar_w, bar_h)
                painter.setPen(Qt.PenStyle.NoPen)
                painter.setBrush(track)
                painter.drawRoundedRect(bar, bar_h / 2.0, bar_h / 2.0)
                if self._probabilities:
                    value = self._probabilities[digit]
                    filled = QRectF(bar.x(), bar.y(), max(bar_h, bar_w * value), bar_h)
                    color = QColor(accent) if highlighted else QColor(text)
                    if not highlighted:
                        color.setAlpha(110)
                    if value > 0.0005:
                        painter.setBrush(color)
                        painter.drawRoundedRect(filled, bar_h / 2.0, bar_h / 2.0)
                    label = i18n.percent(value, 1) if value < 0.9995 else i18n.percent(1.0, 0)
                else:
                    label = "–"
                painter.setPen(text if highlighted else muted)
                painter.drawText(
                    QRectF(self.width() - percent_w, y, percent_w - 2.0, row),
                    Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
                    label,
                )
            framed = self.framed_digit()
            if framed is not None:
                self._paint_frame(painter, QRectF(0.0, 2.0 + framed * row, self.width(), row))
        finally:
            painter.end()

    def _paint_frame(self, painter: QPainter, rect: QRectF) -> None:
        """The keyboard's row: a frame in the highlight colour."""
        pen = QPen(self.palette().color(QPalette.ColorRole.Highlight), 2.0)
        painter.setPen(pen)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawRoundedRect(rect.adjusted(1.0, 1.0, -1.0, -1.0), 4.0, 4.0)


def spoken_percent(value: float) -> str:
    """A probability as a screen reader should say it: "97 percent", "less than 1 percent"."""
    percent = value * 100.0
    if 0.0 < percent < 0.5:
        return translate("PredictionBars", "less than 1 percent")
    return translate("PredictionBars", "{percent} percent").format(percent=i18n.number(percent))
