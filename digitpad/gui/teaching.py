"""Teaching digitpad your handwriting, as the window offers it.

:class:`Teaching` binds the window to the correction store: keys 0-9 and
bar clicks correct the selected digit (or, typed in a row, the whole
number); Model > Adapt to My Handwriting and Model > My Digits (with what
the personal memory holds); the report of an adaptation.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QObject, Slot

from digitpad.gui import dialogs
from digitpad.gui.corrections import CorrectionRecorder, progress_text
from digitpad.gui.i18n import number, translate
from digitpad.gui.let_stand import LetStand
from digitpad.gui.typing import DigitTyping
from digitpad.net.adoption import MIN_SAMPLES
from digitpad.storage.samples import SampleError


class Teaching(QObject):
    """Corrections, Adapt and My Digits for ``window`` (a ``MainWindow``)."""

    def __init__(self, window: Any) -> None:
        super().__init__(window)
        self.window = window
        self.corrections = CorrectionRecorder(parent=self)
        self.let_stand = LetStand(window.session.reading, window.session, parent=self)
        self.corrections.sampleKept.connect(self.let_stand.on_corrections_sampleKept)
        self.let_stand.sampleKept.connect(window.session.remember)
        self.let_stand.samplesRemoved.connect(window.session.forget_deleted)
        self.typing = DigitTyping(self._digits_read, parent=self)
        self.my_digits_dialog: Any = None
        self.corrections.samplesChanged.connect(self.on_corrections_samplesChanged)
        self.corrections.sampleKept.connect(window.session.remember)
        window.session.reading.readingChanged.connect(self.on_reading_readingChanged)
        self._learnt: tuple[int, int, str] | None = None
        self.typing.typed.connect(self.correct_reading)
        # Digits typed for a drawing are acted on before the drawing changes
        # (a new stroke, undo, clear): they never correct a later reading.
        window.canvas.aboutToChange.connect(self.on_canvas_aboutToChange)
        self._said = ""  # the last correction message shown
        window.bars.digitClicked.connect(lambda digit: self.correct_reading(str(digit)))
        window.session.adapted.connect(self.on_session_adapted)
        # The memory's count arrives from the inference worker with stateChanged.
        window.session.stateChanged.connect(self.on_session_stateChanged)

    def correct(self, digit: int) -> None:
        """A digit key (0-9): corrects the selected digit, or with the others typed, the number."""
        self.typing.key(digit)

    def correct_reading(self, typed: str) -> bool:
        """Keep the digits of the reading that ``typed`` corrects, as examples of those digits.

        One digit corrects the selected digit; as many digits as the reading
        has correct every digit that was read wrong.

        Returns:
            Whether anything was kept.
        """
        shown = self.window.session.reading.latest_reading()
        if shown is None:
            self.window.statusBar().showMessage(
                translate(
                    "Teaching",
                    "Write a digit first; then type the digit it is (or click its bar) to "
                    "teach digitpad your handwriting.",
                ),
                8000,
            )
            return False
        if len(typed) == 1:
            targets = [(shown.selected, int(typed))]
        elif len(typed) == len(shown.digits):
            targets = [(i, int(c)) for i, c in enumerate(typed) if shown.digits[i].text != c]
        else:
            self.window.statusBar().showMessage(
                translate(
                    "Teaching",
                    "You typed {typed} digits; the reading has {read}. Type one digit for "
                    "the selected one, or the whole number.",
                ).format(typed=len(typed), read=len(shown.digits)),
                8000,
            )
            return False
        if not targets:
            self.window.statusBar().showMessage(
                translate("Teaching", "Thanks: {number} was read right.").format(number=typed),
                6000,
            )
            return False
        strokes, message = self.window.canvas.strokes(), ""
        for index, label in targets:
            digit = shown.digits[index]
            mine = [strokes[e] for e in digit.elements if e < len(strokes)]
            # A "?" was not read as any digit: the message does not say it was.
            read = None if digit.text == "?" else digit.top
            try:
                message = self.corrections.record(
                    digit.x28, label, mine, self.window.canvas.pen_width(), predicted=read
                )
            except (SampleError, ValueError) as exc:
                dialogs.warn(
                    self.window,
                    translate("Teaching", "Could not keep the drawing"),
                    translate("Teaching", "The drawing was not kept."),
                    str(exc),
                )
                return False
        if len(targets) > 1:
            message = translate("Teaching", "Kept {count} corrected digits. {progress}").format(
                count=len(targets), progress=progress_text(self.corrections.count())
            )
        index, label = targets[-1]
        self._learnt = (index, label, message)
        self._say(message)
        return True

    @Slot()
    def on_canvas_aboutToChange(self) -> None:
        """The drawing changes: digits typed for its reading correct it now."""
        self.typing.flush()
        # "It now reads this drawing as ..." would be said of the next drawing.
        self._learnt = None

    def _say(self, message: str) -> None:
        self._said = message
        self.window.statusBar().showMessage(message, 10000)

    @Slot(object)
    def on_reading_readingChanged(self, shown: Any) -> None:
        """The reading after a correction: say that it was learnt."""
        if self._learnt is None or shown is None:
            return
        index, label, message = self._learnt
        self._learnt = None
        if index < len(shown.digits) and shown.digits[index].text == str(label):
            self._say(
                translate(
                    "Teaching",
                    "Learnt: your {digit}. It now reads this drawing as {digit}. {message}",
                ).format(digit=label, message=message)
            )

    def _digits_read(self) -> int:
        shown = self.window.session.reading.latest_reading()
        return 0 if shown is None else len(shown.digits)

    @Slot(object, bool, str)
    def on_session_adapted(self, summary: Any, adopted: bool, save_error: str) -> None:
        from digitpad.gui.corrections import adapt_report

        title, text, informative = adapt_report(summary, save_error)
        if adopted and save_error:
            dialogs.warn(self.window, title, text, informative)
        else:
            dialogs.inform(self.window, title, text, informative)

    @Slot()
    def on_actionAdapt_triggered(self) -> None:
        if self.window.session.is_training():
            return
        count = self.corrections.count()
        if count < MIN_SAMPLES:
            if count == 1:
                have = translate(
                    "Teaching",
                    "Adapting needs at least {minimum} of your corrected drawings; there is 1.",
                )
            else:
                have = translate(
                    "Teaching",
                    "Adapting needs at least {minimum} of your corrected drawings; "
                    "there are {count}.",
                )
            dialogs.inform(
                self.window,
                translate("Teaching", "Not enough of your drawings yet"),
                have.format(minimum=number(MIN_SAMPLES), count=number(count)),
                translate(
                    "Teaching",
                    "When digitpad misreads a drawing, type the right digit (0-9) or "
                    "click its bar: the drawing is kept. Five or more of each digit you "
                    "write differently work best.",
                ),
            )
            return
        from digitpad.net.recipes import adapt_steps_from_env, recipe_from_env

        try:  # refused now, as digitpad adapt refuses them, not by the training process
            recipe_from_env()
            adapt_steps_from_env()
        except ValueError as exc:
            dialogs.warn(
                self.window,
                translate("Teaching", "Cannot adapt"),
                translate("Teaching", "The training settings are invalid."),
                str(exc),
            )
            return
        self.window.session.start_adapting()

    @Slot()
    def on_actionClear_triggered(self) -> None:
        """Clear the paper; a sure reading not corrected was let stand and is learnt."""
        self.typing.flush()  # digits typed for this reading correct it first
        self.let_stand.keep_shown()
        self.window.canvas.clear()

    def memory_state(self) -> dialogs.MemoryState:
        """The personal memory as My Digits and Model Info show it."""
        return dialogs.memory_state(self.window.session, self.let_stand.count())

    @Slot()
    def on_actionMyDigits_triggered(self) -> None:
        from digitpad.gui.my_digits import MyDigitsDialog

        memory = self.memory_state()
        if self.my_digits_dialog is None:
            self.my_digits_dialog = MyDigitsDialog(
                self.corrections.store, self.window, memory=memory
            )
            self.my_digits_dialog.samplesChanged.connect(self.on_myDigits_samplesChanged)
            self.my_digits_dialog.forgetLetStandRequested.connect(
                self.on_myDigits_forgetLetStandRequested
            )
        else:
            self.my_digits_dialog.set_memory(memory)
            self.my_digits_dialog.refresh()
        self.my_digits_dialog.show()
        self.my_digits_dialog.activateWindow()

    @Slot()
    def on_myDigits_samplesChanged(self) -> None:
        self.corrections.forget_recent()
        # What was said of a correction ("Learnt: ...") may no longer hold.
        self._learnt = None
        if self._said and self.window.statusBar().currentMessage() == self._said:
            self.window.statusBar().clearMessage()
        self.window.session.forget_deleted()
        self.window.update_actions()

    @Slot()
    def on_myDigits_forgetLetStandRequested(self) -> None:
        try:
            self.let_stand.forget_all()
        except SampleError as exc:
            dialogs.warn(
                self.window,
                translate("Teaching", "Could not forget the readings let stand"),
                translate("Teaching", "Some readings let stand are still kept."),
                str(exc),
            )
        self.window.session.forget_deleted()

    @Slot()
    def on_session_stateChanged(self) -> None:
        if self.my_digits_dialog is not None and self.my_digits_dialog.isVisible():
            self.my_digits_dialog.set_memory(self.memory_state())

    @Slot(int)
    def on_corrections_samplesChanged(self, count: int) -> None:
        if self.my_digits_dialog is not None and self.my_digits_dialog.isVisible():
            self.my_digits_dialog.refresh()
        self.window.update_actions()
