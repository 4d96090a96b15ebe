"""Reading each drawing: throttle, to_mnist, one request in flight, calibration once.

:class:`ReadingPipeline` is widget-free. The pen moving asks for a reading
at most every :data:`PREDICT_INTERVAL_MS`; a finished stroke, undo, clear or
an opened image asks at once. At most one request is with the inference
worker; a newer drawing waits and wins. The answer is calibrated once, so
the bars, the network view and the "not sure" decision tell one story.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
from PySide6.QtCore import QObject, QTimer, Signal, Slot

from digitpad.drawing.mnist_format import MnistInput, to_mnist_placed
from digitpad.drawing.shape_check import check_one_digit
from digitpad.gui.inference_worker import InferenceWorker
from digitpad.net.calibration import Calibration, reading

#: While drawing, readings are asked for at most this often.
PREDICT_INTERVAL_MS = 50


@dataclass(frozen=True)
class Drawing:
    """What is on the paper, as the session reads it.

    Attributes:
        ink: H x W float array, ink 1.0 on 0.0.
        drawn: ``True`` for strokes drawn on the canvas, ``False`` for an
            opened image (only the side-by-side rule of the shape check fits it).
    """

    ink: np.ndarray
    drawn: bool = True


@dataclass(frozen=True)
class Reading:
    """One drawing, read.

    Attributes:
        x28: the 28 x 28 input the network read.
        probabilities: the ten calibrated probabilities (what the bars show).
        text: the digit shown, or "?".
        reason: why "?" ("" when a digit is shown).
        layers: the inner layers with the same calibrated probabilities, or
            ``None`` when the network view is closed.
        saliency: a ``digitpad.drawing.saliency.Saliency`` or ``None``.
        provisional: read by a network still being trained.
    """

    x28: np.ndarray
    probabilities: list[float]
    text: str
    reason: str
    layers: dict[str, np.ndarray] | None
    saliency: Any
    provisional: bool

    @property
    def top(self) -> int:
        """The digit with the highest probability."""
        return int(np.argmax(self.probabilities))


class ReadingPipeline(QObject):
    """Turns the drawing on the paper into :class:`Reading` s, with the worker's help.

    Signals:
        readingChanged(reading): a :class:`Reading`, or ``None`` when the
            paper is blank or there is nothing to read with.
        inputChanged(x28): the 28 x 28 input of the drawing on the paper
            (``None`` when blank), as soon as it is made.
        notice(message): a reading failed.
    """

    readingChanged = Signal(object)
    inputChanged = Signal(object)
    notice = Signal(str)
    _readRequested = Signal(int, object, bool, object)

    def __init__(self, worker: InferenceWorker, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._source: Callable[[], Drawing | None] = lambda: None
        self._calibration = Calibration()
        self._provisional = False
        self._predicting = False
        self._want_layers = False
        self._want_saliency = False
        self._request_id = 0
        self._in_flight = False
        self._pending = False
        self._latest: MnistInput | None = None
        self._latest_ink: np.ndarray | None = None
        self._not_one_digit = ""
        self._reading: Reading | None = None
        self._throttle = QTimer(self)
        self._throttle.setSingleShot(True)
        self._throttle.setInterval(PREDICT_INTERVAL_MS)
        self._throttle.timeout.connect(self.read_now)
        worker.answered.connect(self.on_worker_answered)
        worker.readFailed.connect(self.on_worker_readFailed)
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

    def latest_input(self) -> np.ndarray | None:
        """The 28 x 28 input of the drawing on the paper (``None``: blank)."""
        return None if self._latest is None else self._latest.x28

    def latest_reading(self) -> Reading | None:
        """The last reading shown (``None``: none)."""
        return self._reading

    def is_pending(self) -> bool:
        """Whether the drawing on the paper still awaits its reading."""
        return self._in_flight or self._pending or self._throttle.isActive()

    def set_drawing_source(self, source: Callable[[], Drawing | None]) -> None:
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

    def ink_changed(self) -> None:
        """The pen moved: read soon (throttled)."""
        if not self._throttle.isActive():
            self._throttle.start()

    @Slot()
    def read_now(self) -> None:
        """Read the drawing as it is now (a stroke ended, undo, clear, open…)."""
        self._throttle.stop()
        drawing = self._source()
        placed = None if drawing is None else to_mnist_placed(drawing.ink)
        self._latest = placed
        self._latest_ink = None if placed is None else drawing.ink
        self.inputChanged.emit(None if placed is None else placed.x28)
        if placed is None:
            self._pending = False
            self._show(None)
            return
        if not self._predicting:
            return
        if self._in_flight:
            self._pending = True  # sent when the answer in flight comes back
        else:
            self._send()
        # Checked while the worker reads the drawing, not before asking it.
        self._not_one_digit = check_one_digit(drawing.ink, drawing.drawn).reason

    def read_again(self) -> None:
        """Read the drawing on the paper again (new network, overlay switched on)."""
        if self._predicting:
            self.read_now()

    def _send(self) -> None:
        assert self._latest is not None
        self._request_id += 1
        self._in_flight = True
        self._pending = False
        saliency = (self._latest_ink, self._latest.placement) if self._want_saliency else None
        self._readRequested.emit(self._request_id, self._latest.x28, self._want_layers, saliency)

    def _show(self, shown: Reading | None) -> None:
        self._reading = shown
        self.readingChanged.emit(shown)

    @Slot(int, object)
    def on_worker_answered(self, request_id: int, answer: Any) -> None:
        self._in_flight = False
        if self._latest is None:
            self._show(None)
            return
        # Calibrated once: the bars, the network view and "?" tell one story.
        calibrated = self._calibration.apply(np.asarray(answer.probabilities).reshape(1, -1))[0]
        layers = answer.layers
        if layers is not None:
            layers = {**layers, "probabilities": calibrated.astype(np.float32)}
        shown = reading(calibrated, self._calibration, self._not_one_digit)
        self._show(
            Reading(
                x28=self._latest.x28,
                probabilities=[float(v) for v in calibrated],
                text=shown.text,
                reason=shown.reason,
                layers=layers,
                saliency=answer.saliency,
                provisional=self._provisional,
            )
        )
        if self._pending:
            self._send()

    @Slot(int, str)
    def on_worker_readFailed(self, request_id: int, message: str) -> None:
        self._in_flight = False
        self.notice.emit(f"Could not read the drawing: {message}")
        if self._pending and self._latest is not None and self._predicting:
            self._send()
