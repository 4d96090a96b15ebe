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
from typing import Any

import numpy as np
from PySide6.QtCore import QObject, Signal

from digitpad.net.adoption import MIN_SAMPLES
from digitpad.storage.samples import SampleStore

log = logging.getLogger(__name__)


class CorrectionRecorder(QObject):
    """Stores corrected drawings; one sample per drawing, the latest answer wins.

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
        self._last: tuple[np.ndarray, str] | None = None

    def count(self) -> int:
        """How many drawings are stored."""
        return len(self.store)

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
        replaced = None
        if self._last is not None and np.array_equal(self._last[0], x28):
            # The same drawing again: the user changed their mind.
            self.store.remove(self._last[1])
            replaced = self._last[1]
        sample = self.store.add(x28, label, strokes, pen_width)
        self._last = (np.array(x28, copy=True), sample.id)
        count = self.count()
        self.sampleKept.emit(np.array(x28, copy=True), int(label), sample.id, replaced)
        self.samplesChanged.emit(count)
        if replaced is not None:
            opening = f"Changed: kept as a {label}."
        elif predicted is not None and predicted != label:
            opening = f"Thanks: kept as a {label} (it was read as {predicted})."
        else:
            opening = f"Kept as a {label}."
        if count < MIN_SAMPLES:
            more = MIN_SAMPLES - count
            return (
                f"{opening} {count} of your drawings kept; {more} more and "
                "Model > Adapt to My Handwriting can learn from them."
            )
        return (
            f"{opening} {count} of your drawings kept: Model > Adapt to My Handwriting "
            "learns from them."
        )

    def forget_last(self) -> None:
        """The drawing changed: a new answer will be a new sample."""
        self._last = None


def adapt_report(summary: dict[str, Any], save_error: str = "") -> tuple[str, str, str]:
    """The title, headline and details of an adaptation's outcome.

    Args:
        summary: what the training worker's ``adapted`` signal carries.
        save_error: why the adopted network could not be saved ("" if it was).

    Returns:
        ``(title, text, informative)`` for a message box.
    """
    held = summary["held_back"]
    lines = [
        f"Your drawings: {summary['trained_on']} learnt from, {held} held back to check.",
        f"Held-back drawings read right: {summary['user_before']:.0%} before, "
        f"{summary['user_after']:.0%} after.",
        f"MNIST test digits read right: {summary['mnist_before']:.2%} before, "
        f"{summary['mnist_after']:.2%} after.",
        f"Took {summary['seconds']:.0f} s.",
    ]
    if summary["adopt"]:
        title = "Adapted to your handwriting"
        text = summary["reason"]
        lines.append(
            "Model > Use Base Network switches back at any time; your personal "
            "network stays saved."
        )
        if save_error:
            lines.append(
                f"It could not be saved and is in use until digitpad closes: {save_error}"
            )
    else:
        title = "Kept the current network"
        text = summary["reason"]
        lines.append(
            "More corrected drawings (five or more of each digit you write "
            "differently) give adapting more to learn from."
        )
    return title, text, "\n".join(lines)
