"""Readings the user let stand: learnt from too, when the paper is cleared.

A person corrects a reading when it is wrong or marked "not sure", and
otherwise clears the paper and writes the next digit. Clearing a reading
that was shown sure, without correcting it, says "yes, that was my 4": the
digit is kept as a *reading let stand* and goes into the personal memory
(:mod:`digitpad.net.memory`) at once, like a correction. Each one pulls the
next readings of drawings in the same style towards what was read, which
helps the writer's later, less clear drawings; the memory's gate keeps other
people's digits as the network reads them.

Measured with the person's protocol (``tests/benchmarks/bench_learn.py``):
on pendigits training writers 16-30 as users of a network trained without
them, right at once 99.20 % with the corrections alone and 99.51 % with the
readings let stand too (base 98.58 %; MNIST test with a writer's memory on
fell by at most 0.06 points).

Readings let stand are kept apart from the corrected drawings
(``paths.let_stand_dir()``, the same verified sample files): Adapt trains
on corrections only, since the network already reads these the way they
were let stand. The newest :data:`MOST` are kept. My Digits says how many
there are and forgets them on request.

Threads: GUI thread only.
"""

from __future__ import annotations

import logging
from typing import Any

import numpy as np
from PySide6.QtCore import QObject, Signal, Slot

from digitpad.storage import paths
from digitpad.storage.samples import SampleError, SampleStore, prepare_sample

log = logging.getLogger(__name__)

#: Readings let stand that are kept (the oldest go first).
MOST = 1000


class LetStand(QObject):
    """Keeps the sure, uncorrected digits of a reading when the paper is cleared.

    Signals:
        sampleKept(x28, label, sample_id, replaced_id): a digit was kept (for the memory).
        countChanged(count): how many readings let stand are kept.
        samplesRemoved: older ones were dropped (the memory forgets them).
    """

    sampleKept = Signal(object, int, str, object)
    countChanged = Signal(int)
    samplesRemoved = Signal()

    def __init__(self, reading: Any, session: Any, parent: QObject | None = None) -> None:
        """Watch ``reading`` (the window's ``ReadingPipeline``) of ``session``.

        Args:
            reading: what is shown, and whether it is current.
            session: whether a trained network reads (the memory is on).
            parent: the owner.
        """
        super().__init__(parent)
        self.store = SampleStore(paths.let_stand_dir())
        self._reading = reading
        self._session = session
        self._corrected: list[np.ndarray] = []  # inputs corrected since the paper was cleared

    def count(self) -> int:
        """How many readings let stand are kept (from the file names: nothing is read)."""
        return len(self.store.sample_ids())

    @Slot(object, int, str, object)
    def on_corrections_sampleKept(self, x28: Any, _label: int, _id: str, _replaced: Any) -> None:
        """A digit of this drawing was corrected: it was not let stand."""
        self._corrected.append(np.asarray(x28))

    def keep_shown(self) -> int:
        """The paper is about to be cleared: keep the digits the user let stand.

        A digit counts when the reading shown is of the drawing on the paper
        (none is on its way), by a trained network, sure, a digit (not "?"),
        and not corrected.

        Returns:
            How many digits were kept.
        """
        corrected, self._corrected = self._corrected, []
        shown = self._reading.latest_reading()
        if (
            shown is None
            or shown.provisional
            or self._reading.is_pending()
            or not self._session.is_predicting()
            or self._session.is_provisional()
        ):
            return 0
        digits = [
            d
            for d in shown.digits
            if d.sure and d.text.isdigit() and not any(np.array_equal(d.x28, x) for x in corrected)
        ]
        if not digits:
            return 0
        try:
            kept = self.store.add_many([prepare_sample(d.x28, int(d.text)) for d in digits])
            trimmed = self._trim()
        except (SampleError, ValueError) as exc:
            # A help, not the user's work: the reading goes on without it.
            log.warning("a reading let stand was not kept: %s", exc)
            return 0
        for digit, sample in zip(digits, kept, strict=True):
            self.sampleKept.emit(np.array(digit.x28, copy=True), int(digit.text), sample.id, None)
        if trimmed:
            self.samplesRemoved.emit()
        self.countChanged.emit(self.count())
        return len(kept)

    def forget_all(self) -> None:
        """Delete every reading let stand (the caller then rebuilds the memory).

        Raises:
            digitpad.storage.samples.SampleError: a file could not be deleted.
        """
        for sample_id in self.store.sample_ids():
            self.store.remove(sample_id)
        self.countChanged.emit(self.count())

    def _trim(self) -> int:
        """Only the newest :data:`MOST` stay (ids sort in the order they were kept).

        Returns:
            How many were removed.
        """
        ids = sorted(self.store.sample_ids())
        old = ids[: max(0, len(ids) - MOST)]
        for sample_id in old:
            self.store.remove(sample_id)
        return len(old)
