"""Teaching digitpad the user's handwriting: corrections, the adapt report, "not sure".

* :class:`CorrectionRecorder` keeps a drawing with the digit the user says it
  is (a key 0-9 or a click on a bar) in the sample store. Saying another digit
  for the same drawing replaces the first answer, so a slip of the finger
  does not teach the network a wrong digit.
* :func:`adapt_report` words the outcome of Model > Adapt to My Handwriting.

No TensorFlow here: this runs on the GUI thread.
"""

from __future__ import annotations

import logging
from collections import OrderedDict
from typing import Any

import numpy as np
from PySide6.QtCore import QT_TRANSLATE_NOOP, QObject, Signal

from digitpad.drawing.number_input import ink_digest
from digitpad.gui.i18n import led_by, number, percent, say, translate
from digitpad.messages import Message
from digitpad.net.adoption import MIN_SAMPLES
from digitpad.storage.samples import SampleStore

log = logging.getLogger(__name__)

#: How many recently kept drawings a new answer for the same drawing replaces
#: (a number's digits are kept one by one, and each may be answered again).
RECENT_KEPT = 256

#: What an adaptation's outcome leads with in a language other than English
#: (the training's own sentence, ``summary["reason"]``, is English and follows).
ADOPTED_LEAD = QT_TRANSLATE_NOOP(
    "CorrectionRecorder", "The adapted network reads your drawings better; it is in use now."
)
REFUSED_LEAD = QT_TRANSLATE_NOOP(
    "CorrectionRecorder",
    "The adapted network was not clearly better; the current network stays in use.",
)


class CorrectionRecorder(QObject):
    """Stores corrected drawings; one sample per drawing, the latest answer wins.

    "The same drawing" is the same 28 x 28 input: each digit of a number is
    its own drawing, and typing the number again (or one of its digits)
    replaces what was kept for each, however many were kept in between.

    Signals:
        samplesChanged(count): the number of stored drawings changed.
        sampleKept(x28, label, sample_id, replaced_id): a drawing was kept
            (``replaced_id``: the sample it replaces, or ``None``).
    """

    samplesChanged = Signal(int)
    sampleKept = Signal(object, int, str, object)

    def __init__(self, store: SampleStore | None = None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.store = store or SampleStore()
        # Digest of a kept 28 x 28 -> its sample, for the latest RECENT_KEPT.
        self._recent: OrderedDict[bytes, str] = OrderedDict()

    def count(self) -> int:
        """How many drawings are stored (from the file names: nothing is read)."""
        return len(self.store.sample_ids())

    def record(
        self,
        x28: np.ndarray,
        label: int,
        strokes: Any = (),
        pen_width: float = 18.0,
        predicted: int | None = None,
    ) -> str:
        """Keep ``x28`` (and its strokes) as an example of ``label``.

        Args:
            x28: what the network read (28 x 28, ink 1.0).
            label: the digit the user says it is.
            strokes: the drawing's strokes in canvas units (empty for an image).
            pen_width: the pen they were drawn with.
            predicted: the digit the network read, for the message.

        Returns:
            A status-bar message for the user.

        Raises:
            digitpad.storage.samples.SampleError: it could not be written (the message
                says where and what to do).
        """
        key = ink_digest(np.asarray(x28, dtype=np.float32))
        replaced = self._recent.pop(key, None)
        if replaced is not None:
            # The same drawing again: the user changed their mind.
            self.store.remove(replaced)
        sample = self.store.add(x28, label, strokes, pen_width)
        self._recent[key] = sample.id
        while len(self._recent) > RECENT_KEPT:
            self._recent.popitem(last=False)
        count = self.count()
        self.sampleKept.emit(np.array(x28, copy=True), int(label), sample.id, replaced)
        self.samplesChanged.emit(count)
        if replaced is not None:
            opening = translate("CorrectionRecorder", "Changed: kept as a {digit}.").format(
                digit=label
            )
        elif predicted is not None and predicted != label:
            opening = translate(
                "CorrectionRecorder", "Thanks: kept as a {digit} (it was read as {read})."
            ).format(digit=label, read=predicted)
        else:
            opening = translate("CorrectionRecorder", "Kept as a {digit}.").format(digit=label)
        return translate("CorrectionRecorder", "{opening} {progress}").format(
            opening=opening, progress=progress_text(count)
        )

    def forget_recent(self) -> None:
        """Samples were deleted elsewhere (My Digits): a new answer is a new sample."""
        self._recent.clear()


def progress_text(count: int) -> str:
    """How many drawings are kept, and what Adapt makes of them (a status-bar sentence)."""
    if count < MIN_SAMPLES:
        return translate(
            "CorrectionRecorder",
            "{count} of your drawings kept; {more} more and Model > Adapt to My "
            "Handwriting can learn from them.",
        ).format(count=number(count), more=number(MIN_SAMPLES - count))
    return translate(
        "CorrectionRecorder",
        "{count} of your drawings kept: Model > Adapt to My Handwriting learns from them.",
    ).format(count=number(count))


def adapt_report(summary: dict[str, Any], save_error: str = "") -> tuple[str, str, str]:
    """The title, headline and details of an adaptation's outcome.

    Args:
        summary: what the training worker's ``adapted`` signal carries.
        save_error: why the adopted network could not be saved ("" if it was).

    Returns:
        ``(title, text, informative)`` for a message box.
    """
    lines = [
        translate(
            "CorrectionRecorder",
            "Your drawings: {trained} learnt from, {held} held back to check.",
        ).format(trained=number(summary["trained_on"]), held=number(summary["held_back"])),
        translate(
            "CorrectionRecorder", "Held-back drawings read right: {before} before, {after} after."
        ).format(
            before=percent(summary["user_before"], 0), after=percent(summary["user_after"], 0)
        ),
        translate(
            "CorrectionRecorder", "MNIST test digits read right: {before} before, {after} after."
        ).format(
            before=percent(summary["mnist_before"], 2), after=percent(summary["mnist_after"], 2)
        ),
        translate("CorrectionRecorder", "Took {seconds} s.").format(
            seconds=number(summary["seconds"])
        ),
    ]
    if summary["adopt"]:
        title = translate("CorrectionRecorder", "Adapted to your handwriting")
        text = _outcome(summary, ADOPTED_LEAD)
        lines.append(
            translate(
                "CorrectionRecorder",
                "Model > Use Base Network switches back at any time; your personal "
                "network stays saved.",
            )
        )
        if save_error:
            lines.append(
                translate(
                    "CorrectionRecorder",
                    "It could not be saved and is in use until digitpad closes: {error}",
                ).format(error=save_error)
            )
    else:
        title = translate("CorrectionRecorder", "Kept the current network")
        text = _outcome(summary, REFUSED_LEAD)
        lines.append(
            translate(
                "CorrectionRecorder",
                "More corrected drawings (five or more of each digit you write "
                "differently) give adapting more to learn from.",
            )
        )
    return title, text, "\n".join(lines)


def _outcome(summary: dict, lead: str) -> str:
    """Why the adaptation was adopted or not, in the window's language.

    The adaptation words it as a message (``summary["why"]``) the window
    translates; a bare English sentence (an older process, a test) is led
    by ``lead`` in the window's language.
    """
    message = Message.from_dict(summary.get("why"))
    if message is not None and message.context:
        return say(message)
    return led_by("CorrectionRecorder", lead, summary["reason"])
