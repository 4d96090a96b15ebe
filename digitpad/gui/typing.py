"""Digits typed to correct a reading: one digit at once, or a whole number.

Typing one digit corrects the selected digit, as for a single digit; typing
the whole number (its digits in a row, each within :data:`NUMBER_PAUSE_MS`
of the last) corrects every digit at once. For a one-digit reading a key
acts at once; for a number the keys are collected until the typing pauses.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, QTimer, Signal, Slot

#: Keys typed within this much of each other form one number.
NUMBER_PAUSE_MS = 900


class DigitTyping(QObject):
    """Collects typed digits; says what was typed once the typing pauses.

    Signals:
        typed(text): the digits typed in a row ("7", "2026").
    """

    typed = Signal(str)

    def __init__(self, digits_read: Callable[[], int], parent: QObject | None = None) -> None:
        """Collect keys for a reading of ``digits_read()`` digits.

        Args:
            digits_read: how many digits the reading on screen has.
            parent: the Qt parent.
        """
        super().__init__(parent)
        self._digits_read = digits_read
        self._buffer = ""
        self._pause = QTimer(self)
        self._pause.setSingleShot(True)
        self._pause.setInterval(NUMBER_PAUSE_MS)
        self._pause.timeout.connect(self.flush)

    def key(self, digit: int) -> None:
        """A digit key was typed."""
        self._buffer += str(digit)
        count = self._digits_read()
        if count <= 1 or len(self._buffer) >= count:
            self.flush()
        else:
            self._pause.start()

    def pending(self) -> str:
        """The digits typed and not yet acted on."""
        return self._buffer

    @Slot()
    def flush(self) -> None:
        """Act on what was typed now."""
        self._pause.stop()
        text, self._buffer = self._buffer, ""
        if text:
            self.typed.emit(text)
