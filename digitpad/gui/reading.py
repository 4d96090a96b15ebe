"""Reading the paper: throttle, one request in flight, calibration once, a number out.

:class:`ReadingPipeline` is widget-free. The pen moving asks for a reading
at most every :data:`PREDICT_INTERVAL_MS`; a finished stroke, undo, clear or
an opened image asks at once. At most one request is with the inference
worker (which segments the drawing into digits and reads them all in one
batched call); a newer drawing waits and wins. Each digit's answer is
calibrated once, so the bars, the network view and the "not sure" marking
tell one story. The best reading is always shown: a digit the network is not
sure of is shown and marked; "?" stands only where no digit is found at all.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from PySide6.QtCore import QT_TRANSLATE_NOOP, QObject, QTimer, Signal, Slot

from digitpad.drawing.number_input import Drawing
from digitpad.gui import i18n
from digitpad.gui.i18n import translate
from digitpad.gui.inference_worker import InferenceWorker, ReadOptions, Supersession
from digitpad.net.calibration import Calibration, reading

#: While drawing, readings are asked for at most this often.
PREDICT_INTERVAL_MS = 50

#: A reading in flight is dropped for a newer, final one (a stroke ended) only
#: when a reading was shown this recently: under strokes that come faster than
#: readings, readings still come.
DROP_WITHIN_MS = 250.0

__all__ = ["Drawing", "DigitShown", "Reading", "ReadingPipeline"]

#: Why the shape check finds no digit (``digitpad.drawing.shape_check``'s
#: reasons that make a "?"), for translation where they are shown.
NOT_A_DIGIT_NOTES = (
    QT_TRANSLATE_NOOP("Reading", "looks like a filled blob, not a digit"),
    QT_TRANSLATE_NOOP("Reading", "looks like several digits or a scribble, not one digit"),
    QT_TRANSLATE_NOOP("Reading", "looks like a scribble, not a digit"),
)


@dataclass(frozen=True)
class DigitShown:
    """One digit of a reading, as shown.

    Attributes:
        box: its extent on the paper (left, top, right, bottom), paper pixels.
        x28: the 28 x 28 input the network read.
        probabilities: the ten calibrated probabilities.
        text: the best digit, or "?" where no digit is found (scribble, blob).
        sure: the network is sure of it.
        reason: why it is marked ("not sure: 4 or 9?", "looks like a scribble…"),
            in English as ``digitpad.net.calibration.reading`` says it; the
            window shows :attr:`note`.
        elements: the strokes it is made of (for corrections).
    """

    box: tuple[float, float, float, float]
    x28: np.ndarray
    probabilities: list[float]
    text: str
    sure: bool
    reason: str
    elements: tuple[int, ...]

    @property
    def top(self) -> int:
        """The digit with the highest probability."""
        return int(np.argmax(self.probabilities))

    @property
    def note(self) -> str:
        """:attr:`reason` in the window's language ("" when the digit is sure).

        Rebuilt from the digit's own data (its two most likely digits), since
        the reason arrives as an English sentence from ``digitpad.net``.
        """
        if not self.reason:
            return ""
        if self.text == "?":
            if self.reason in NOT_A_DIGIT_NOTES:
                return translate("Reading", self.reason)
            return self.reason  # a reason this window does not know: as it came
        order = np.argsort(-np.asarray(self.probabilities, dtype=np.float64))
        return translate("Reading", "not sure: {top} or {second}?").format(
            top=int(order[0]), second=int(order[1])
        )


@dataclass(frozen=True)
class Reading:
    """The drawing, read: its digits left to right, one of them selected.

    Attributes:
        digits: the digits.
        selected: the index of the digit whose bars, input and layers are shown.
        layers: the selected digit's inner layers (with the calibrated
            probabilities), or ``None`` when the network view is closed.
        saliency: a ``digitpad.drawing.saliency.Saliency`` of the selected
            digit (its overlay covers that digit's box), or ``None``.
        provisional: read by a network still being trained.
    """

    digits: tuple[DigitShown, ...]
    selected: int
    layers: dict[str, np.ndarray] | None
    saliency: Any
    provisional: bool

    @property
    def text(self) -> str:
        """The whole reading: "7", "2026", "1?3"."""
        return "".join(d.text for d in self.digits)

    @property
    def digit(self) -> DigitShown:
        """The selected digit."""
        return self.digits[self.selected]

    @property
    def probabilities(self) -> list[float]:
        """The selected digit's calibrated probabilities (what the bars show)."""
        return self.digit.probabilities

    @property
    def x28(self) -> np.ndarray:
        """The selected digit's 28 x 28 input."""
        return self.digit.x28

    @property
    def top(self) -> int:
        """The selected digit's most probable digit."""
        return self.digit.top

    @property
    def reason(self) -> str:
        """What is marked, in words ("" when every digit is sure), in the window's language."""
        if len(self.digits) == 1:
            return self.digits[0].note
        notes = [digit_note(i + 1, d.note) for i, d in enumerate(self.digits) if d.note]
        return join_list(notes, translate("Reading", "{earlier}; {later}"))

    def summary(self) -> str:
        """One line for the status bar and screen readers ("Reads 2026; not sure of the 0")."""
        return summarize(
            [d.text for d in self.digits], [d.sure for d in self.digits], max(self.probabilities)
        )


def summarize(
    digits: Sequence[str], sure: Sequence[bool], top_probability: float | None = None
) -> str:
    """A reading in words: "Reads 7, 97 percent", "Reads 2026; not sure of the 0".

    Args:
        digits: the digits read, left to right ("?" where no digit is found).
        sure: whether the network is sure of each.
        top_probability: the probability of a lone digit (said when it is sure).
    """
    number = "".join(digits)
    if len(digits) == 1:
        if not sure[0]:
            return translate("Reading", "Reads {number}, not sure").format(number=number)
        if top_probability is not None:
            return translate("Reading", "Reads {number}, {percent} percent").format(
                number=number, percent=i18n.number(top_probability * 100.0)
            )
        return translate("Reading", "Reads {number}").format(number=number)
    unsure = [d for d, s in zip(digits, sure, strict=True) if not s]
    if not unsure:
        return translate("Reading", "Reads {number}").format(number=number)
    return translate("Reading", "Reads {number}; not sure of the {digits}").format(
        number=number, digits=join_list(unsure, translate("Reading", "{earlier}, {later}"))
    )


def digit_note(position: int, note: str) -> str:
    """``note`` about the digit at 1-based ``position`` of a number ("1st digit: …")."""
    # English ordinals need their suffix; each one is its own text to translate.
    if 10 <= position % 100 <= 20 or position % 10 not in (1, 2, 3):
        text = translate("Reading", "{position}th digit: {note}")
    elif position % 10 == 1:
        text = translate("Reading", "{position}st digit: {note}")
    elif position % 10 == 2:
        text = translate("Reading", "{position}nd digit: {note}")
    else:
        text = translate("Reading", "{position}rd digit: {note}")
    return text.format(position=position, note=note)


def join_list(items: list[str], pattern: str) -> str:
    """``items`` joined pairwise with ``pattern`` ("{earlier}; {later}")."""
    if not items:
        return ""
    text = items[0]
    for item in items[1:]:
        text = pattern.format(earlier=text, later=item)
    return text


class ReadingPipeline(QObject):
    """Turns what is on the paper into :class:`Reading` s, with the worker's help.

    Signals:
        readingChanged(reading): a :class:`Reading`, or ``None`` when the
            paper is blank or there is nothing to read with.
        inputChanged(x28): the selected digit's 28 x 28 input (``None``: blank).
        notice(message): a reading failed.
    """

    readingChanged = Signal(object)
    inputChanged = Signal(object)
    notice = Signal(str)
    _readRequested = Signal(int, object, object)

    def __init__(self, worker: InferenceWorker, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._source: Callable[[], Drawing] = Drawing
        self._calibration = Calibration()
        self._provisional = False
        self._predicting = False
        self._want_layers = False
        self._want_saliency = False
        self._selected: int | None = None
        self._request_id = 0
        self._in_flight = False
        self._pending = False
        # Requests dropped for a newer, final one (DROP_WITHIN_MS): their
        # answers are not shown.
        self._supersession = Supersession()
        self._shown_at = -math.inf  # time.monotonic() of the last reading shown (not blank)
        self._sent: tuple[Drawing, ReadOptions] | None = None  # the request in flight
        self._latest: Drawing = Drawing()
        self._reading: Reading | None = None
        self._throttle = QTimer(self)
        self._throttle.setSingleShot(True)
        self._throttle.setInterval(PREDICT_INTERVAL_MS)
        self._throttle.timeout.connect(self.on_throttle_timeout)
        worker.answered.connect(self.on_worker_answered)
        worker.readFailed.connect(self.on_worker_readFailed)
        worker.skipped.connect(self.on_worker_skipped)
        self._readRequested.connect(worker.read)

    def use(self, calibration: Calibration, provisional: bool) -> None:
        """A network is in use (from now on drawings are read); read the paper again."""
        self._calibration = calibration
        self._provisional = provisional
        self._predicting = True
        self.read_again()

    def stop(self) -> None:
        """Ask for nothing more (closing)."""
        self._throttle.stop()
        self._predicting = False

    def set_drawing_source(self, source: Callable[[], Drawing]) -> None:
        """Where the drawing comes from when it is time to read it."""
        self._source = source

    def set_layers_wanted(self, wanted: bool) -> None:
        """Whether readings carry the inner layers (the network view is open)."""
        if wanted != self._want_layers:
            self._want_layers = wanted
            if wanted:
                self.read_again()

    def set_saliency_wanted(self, wanted: bool) -> None:
        """Whether readings carry the saliency overlay."""
        if wanted != self._want_saliency:
            self._want_saliency = wanted
            self.read_again()

    def saliency_wanted(self) -> bool:
        """Whether readings carry the saliency overlay."""
        return self._want_saliency

    def select(self, index: int) -> None:
        """Show the bars, input and layers of digit ``index`` of the reading."""
        if self._reading is not None and 0 <= index < len(self._reading.digits):
            self._selected = index
            self._request()

    def latest_input(self) -> np.ndarray | None:
        """The selected digit's 28 x 28 input (``None``: blank or not read yet)."""
        return None if self._reading is None else self._reading.x28

    def latest_reading(self) -> Reading | None:
        """The last reading shown (``None``: none)."""
        return self._reading

    def is_pending(self) -> bool:
        """Whether the drawing on the paper still awaits its reading."""
        return self._in_flight or self._pending or self._throttle.isActive()

    def ink_changed(self) -> None:
        """The pen moved: read soon (throttled)."""
        if not self._throttle.isActive():
            self._throttle.start()

    @Slot()
    def on_throttle_timeout(self) -> None:
        self._selected = None
        self._request()

    @Slot()
    def read_now(self) -> None:
        """Read the drawing as it is now (a stroke ended, undo, clear, open…)."""
        self._throttle.stop()
        self._selected = None
        self._request(final=True)

    def read_again(self) -> None:
        """Read the drawing on the paper again (new network, overlay switched on)."""
        if self._predicting:
            self._request()

    def _request(self, final: bool = False) -> None:
        self._throttle.stop()
        self._latest = self._source()
        if self._latest.is_blank():
            self._pending = False
            self._show(None)
            return
        if not self._predicting:
            return
        if self._in_flight:
            if self._answers_in_flight():
                # The pen was still when the reading in flight was asked for:
                # its answer is this drawing's.
                self._pending = False
                return
            self._pending = True  # sent when the answer in flight comes back
            if final and (time.monotonic() - self._shown_at) * 1000.0 < DROP_WITHIN_MS:
                self._supersession.supersede_up_to(self._request_id)
        else:
            self._send()

    def _options(self) -> ReadOptions:
        return ReadOptions(
            self._want_layers, self._want_saliency, self._selected, self._supersession.is_stale
        )

    def _answers_in_flight(self) -> bool:
        """Whether the request in flight asks for just what would be asked now."""
        if self._sent is None or self._supersession.is_stale(self._request_id):
            return False
        drawing, options = self._sent
        return options == self._options() and drawing.same_as(self._latest)

    def _send(self) -> None:
        self._request_id += 1
        self._in_flight = True
        self._pending = False
        options = self._options()
        self._sent = (self._latest, options)
        self._readRequested.emit(self._request_id, self._latest, options)

    def _show(self, shown: Reading | None) -> None:
        if shown is not None:
            self._shown_at = time.monotonic()
        self._reading = shown
        self.inputChanged.emit(None if shown is None else shown.x28)
        self.readingChanged.emit(shown)

    @Slot(int, object)
    def on_worker_answered(self, request_id: int, answer: Any) -> None:
        self._in_flight = False
        if self._pending and self._supersession.is_stale(request_id):
            self._request()  # the pen was lifted meanwhile: this answer is stale
            return
        if answer is None or self._latest.is_blank():
            self._show(None)
            if self._pending:
                self._request()
            return
        # Calibrated once (on the worker, with the personal memory): the bars,
        # the network view and the marks tell one story.
        calibrated = np.asarray(answer.probabilities)
        digits = []
        for digit, values in zip(answer.digits, calibrated, strict=True):
            shown = reading(values, self._calibration, digit.not_a_digit)
            digits.append(
                DigitShown(
                    box=digit.box,
                    x28=digit.x28,
                    probabilities=[float(v) for v in values],
                    text=shown.text,
                    sure=shown.sure,
                    reason=shown.reason,
                    elements=digit.elements,
                )
            )
        layers = answer.layers
        if layers is not None:
            selected = calibrated[answer.selected].astype(np.float32)
            layers = {**layers, "probabilities": selected}
        self._show(
            Reading(tuple(digits), answer.selected, layers, answer.saliency, self._provisional)
        )
        if self._pending:
            self._request()  # the drawing changed meanwhile: read it as it is now

    @Slot(int)
    def on_worker_skipped(self, request_id: int) -> None:
        self._in_flight = False
        self._request()  # skipped for a newer reading: that one is read now

    @Slot(int, str)
    def on_worker_readFailed(self, request_id: int, message: str) -> None:
        self._in_flight = False
        self.notice.emit(
            translate("Reading", "Could not read the drawing: {message}").format(message=message)
        )
        if self._pending:
            self._request()
