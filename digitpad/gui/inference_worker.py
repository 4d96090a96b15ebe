"""The one owner of TensorFlow in the window's process: a worker on its own thread.

:class:`InferenceWorker` is a ``QObject`` moved to a ``QThread``; the
session talks to it only through queued signals, and it answers only
through signals (it never touches a widget). TensorFlow is imported in its
slots, on its thread, never at module level: the window appears before the
~5 s TensorFlow import starts.

Every compiled call it will ever make (probabilities, layers, saliency) is
traced when a model is loaded or first created, in
:class:`~digitpad.net.inference.Predictor`'s constructor, before any request
is served; new weights (a training snapshot, a finished run) are assigned to
the same model's variables, so nothing is traced again. Training and
adapting run in another process (``digitpad.gui.training_process``), so no
other thread of this process ever runs TensorFlow.
"""

from __future__ import annotations

import collections
import gc
import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from PySide6.QtCore import QObject, QThread, QTimer, Signal, Slot

from digitpad import quiet
from digitpad.gui.i18n import translate
from digitpad.net import preload

log = logging.getLogger(__name__)

#: Saliency timings kept (for benchmarks and tests).
SALIENCY_TIMINGS = 1000
#: Reference digits embedded per step (about 17 ms): readings asked for
#: meanwhile wait for one step at most.
REFERENCE_STEP = 250


@dataclass(frozen=True)
class ReadOptions:
    """What a reading should carry besides the digits.

    Attributes:
        layers: the inner layers of the selected digit (the network view is open).
        saliency: the saliency overlay of the selected digit.
        selected: the digit to select (index into the digits read); ``None``:
            the one holding the newest stroke.
        stale: asked between the stages with the request id; ``True`` drops
            the request (:class:`Supersession`).
    """

    layers: bool = False
    saliency: bool = False
    selected: int | None = None
    stale: Callable[[int], bool] | None = field(default=None, compare=False)


class Supersession:
    """Which read requests a newer, final one has made stale.

    The pen was lifted while a reading of the half-written drawing was under
    way: that reading is of no use any more, and the final one waits for it.
    The GUI thread marks it stale; the worker, between its stages, stops a
    stale reading and says so (:attr:`InferenceWorker.skipped`). Shared by
    the two threads: one int, written by one thread, read by the other.
    """

    def __init__(self) -> None:
        self._below = 0

    def supersede_up_to(self, request_id: int) -> None:
        """Requests up to ``request_id`` need no answer."""
        self._below = max(self._below, request_id + 1)

    def is_stale(self, request_id: int) -> bool:
        """Whether a newer final request has made ``request_id`` useless."""
        return request_id < self._below


@dataclass(frozen=True)
class Answer:
    """What the network made of one drawing.

    Attributes:
        digits: the digits chosen, left to right (``digitpad.drawing.number_input.Digit``).
        probabilities: float64 k x 10 for each digit: calibrated, with the
            personal memory's evidence blended in.
        selected: the index of the selected digit.
        layers: the selected digit's inner layers
            (``digitpad.net.inference.LAYERS``) and its input, or ``None``.
        saliency: a :class:`digitpad.drawing.saliency.Saliency` for the
            selected digit (its overlay covers that digit's box), or ``None``.
        milliseconds: segmentation and preparation, then the network.
    """

    digits: list[Any]
    probabilities: np.ndarray
    selected: int
    layers: dict[str, np.ndarray] | None
    saliency: Any
    milliseconds: tuple[float, float] = (0.0, 0.0)


class InferenceWorker(QObject):
    """Loads networks and reads drawings with them, on its own thread.

    Signals:
        loaded(manifest, note): a network is verified, loaded and traced;
            ``note`` is "" or something the user should know (e.g. the
            personal network failed verification and the base one is used).
        noModel(message): nothing is cached yet (a blank network is traced,
            ready for training snapshots).
        memoryChanged(count): the personal memory holds ``count`` drawings.
        corrupt(message): the cache failed verification (already quarantined).
        loadFailed(message): anything else went wrong while loading.
        installed(manifest, provisional): new weights are in use.
        installFailed(message): they could not be used; the old ones stay.
        answered(request_id, answer): an :class:`Answer`.
        skipped(request_id): the request was stale (``ReadOptions.stale``)
            and was dropped before the network.
        readFailed(request_id, message): a reading failed.
        evaluated(report): a ``digitpad.net.evaluation_report.EvaluationReport``.
        evaluateFailed(message): the test-set evaluation failed.
    """

    loaded = Signal(object, str)
    noModel = Signal(str)
    corrupt = Signal(str)
    loadFailed = Signal(str)
    installed = Signal(object, bool)
    installFailed = Signal(str)
    answered = Signal(int, object)
    skipped = Signal(int)
    readFailed = Signal(int, str)
    evaluated = Signal(object)
    evaluateFailed = Signal(str)
    memoryChanged = Signal(int)

    def __init__(self) -> None:
        super().__init__()
        self._model: Any = None
        self._predictor: Any = None
        self._calibration: Any = None
        self._memory: Any = None  # digitpad.net.memory.PersonalMemory, built with the network
        # Counts memories built: a reference embedding for an older one stops.
        self._memory_generation = 0
        #: Where and how long saliency was computed (tests and benchmarks):
        #: the thread's name and ident, and each computation's milliseconds.
        self.saliency_thread: tuple[str, int] | None = None
        self.saliency_ms: collections.deque[float] = collections.deque(maxlen=SALIENCY_TIMINGS)

    @Slot()
    def load(self) -> None:
        """Import TensorFlow, verify and load the network in use, trace its calls."""
        try:
            # Off stderr, TF's start-up lines; the GUI thread's output is only delayed.
            with quiet.tensorflow_import():
                # TF's two big native libraries first, with the GIL released:
                # imported, their static initialisers froze the GUI thread ~0.3 s.
                preload.preload_tensorflow()
                quiet.import_tensorflow()
            from digitpad.net import saved_models
            from digitpad.storage.model_store import CorruptModelError, NoModelError

            try:
                loaded = saved_models.load_active()
            except NoModelError as exc:
                self._use_blank()
                self.noModel.emit(str(exc))
                return
            except CorruptModelError as exc:
                self._use_blank()
                self.corrupt.emit(str(exc))
                return
            self._use(loaded.model)
            self._remember_all(loaded.manifest)
            self.loaded.emit(dict(loaded.manifest), loaded.note)
        except Exception as exc:  # noqa: BLE001 - reported to the user, app keeps running
            log.exception("loading the model failed")
            self.loadFailed.emit(_describe(exc))

    def _use_blank(self) -> None:
        """A fresh network, traced now: training snapshots then only assign weights."""
        from digitpad.net.lenet import build_lenet

        self._use(build_lenet())

    def _use(self, model: Any) -> None:
        from digitpad.net.inference import Predictor

        self._predictor = Predictor(model)
        self._model = model
        # TensorFlow and Keras leave hundreds of thousands of long-lived
        # objects; a full collection walking them (triggered by any
        # allocation, often on the GUI thread) held the GIL for 3.8 s while
        # a training ran (bench_gui.py, measured after the GC pauses and
        # gc.freeze of the old design had been removed). Frozen objects are
        # never scanned again.
        gc.freeze()

    @Slot(object, object, bool)
    def install(self, weights: list[np.ndarray], manifest: Any, provisional: bool) -> None:
        """Use ``weights`` from now on (a training snapshot, or a network not saved)."""
        try:
            if self._model is None:
                self._use_blank()
            self._model.set_weights(weights)
            # The compiled calls read the model's variables: no retrace.
            if provisional:
                self._forget_all()  # a network still learning: its embeddings move
            else:
                self._remember_all(manifest)
            self.installed.emit(manifest, provisional)
        except Exception as exc:  # noqa: BLE001
            log.exception("installing new weights failed")
            self.installFailed.emit(_describe(exc))

    @Slot(str)
    def switch(self, name: str) -> None:
        """Verify the cached entry ``name`` from the bytes on disk, use it, make it active.

        Answers with :attr:`installed`, or :attr:`installFailed` (the network
        in use stays).
        """
        try:
            from digitpad.net.lenet import ARCHITECTURE_ID, weight_shapes
            from digitpad.storage.model_store import ModelStore

            store = ModelStore()
            weights, manifest = store.load(
                name, architecture=ARCHITECTURE_ID, shapes=weight_shapes()
            )
            store.set_active(name)
        except Exception as exc:  # noqa: BLE001 - reported to the user, app keeps running
            log.exception("switching to %s failed", name)
            self.installFailed.emit(_describe(exc))
            return
        self.install(weights, dict(manifest), False)

    @Slot(str, str)
    def promote(self, source: str, target: str) -> None:
        """Make cached entry ``source`` entry ``target`` (verified), then use it."""
        try:
            from digitpad.storage.model_store import ModelStore

            ModelStore().promote(source, target)
        except Exception as exc:  # noqa: BLE001 - reported to the user, app keeps running
            log.exception("promoting %s failed", source)
            self.installFailed.emit(_describe(exc))
            return
        self.switch(target)

    def _remember_all(self, manifest: Any) -> None:
        """Calibration of ``manifest``; the memory rebuilt from every kept drawing.

        The kept drawings are read and embedded just after (a thousand take
        about 0.3 s): the network's first answers do not wait for them.
        """
        from digitpad.net.calibration import Calibration
        from digitpad.net.memory import PersonalMemory

        self._calibration = Calibration.from_manifest(manifest)
        self._memory = PersonalMemory()
        self._memory_generation += 1
        generation = self._memory_generation
        QTimer.singleShot(0, lambda: self._fill_memory(generation))

    def _fill_memory(self, generation: int) -> None:
        """Put every kept drawing in the (new) memory, then gate it by the reference."""
        if generation != self._memory_generation or self._memory is None:
            return  # the network changed meanwhile: a newer memory is on its way
        from digitpad.storage.samples import SampleError

        samples = []
        for store in _kept_stores():
            try:
                samples += store.samples()
            except (SampleError, OSError) as exc:
                log.warning("the kept drawings in %s could not be read: %s", store.root, exc)
        try:
            if samples:
                xs = np.stack([s.x28 for s in samples])
                _probabilities, embeddings = self._predictor.features_batch(xs)
                self._memory.reset(embeddings, [s.label for s in samples], [s.id for s in samples])
        except Exception:  # noqa: BLE001 - the memory is a help; reading goes on without it
            log.exception("building the personal memory failed")
        self.memoryChanged.emit(len(self._memory))
        self._embed_reference(generation)

    def _embed_reference(self, generation: int) -> None:
        """Embed the reference digits that gate the memory, in steps between readings.

        Until the last step the memory pulls ungated (as with no reference).
        """
        from digitpad.net.reference_digits import ReferenceDigitsError, reference_digits

        try:
            x, y = reference_digits()
        except ReferenceDigitsError as exc:
            log.warning("the personal memory reads ungated: %s", exc)
            return
        parts: list[np.ndarray] = []

        def step() -> None:
            if generation != self._memory_generation or self._memory is None:
                return  # the network changed meanwhile: a new memory, a new reference
            try:
                start = len(parts) * REFERENCE_STEP
                parts.append(self._predictor.features_batch(x[start : start + REFERENCE_STEP])[1])
                if len(parts) * REFERENCE_STEP < len(x):
                    QTimer.singleShot(0, step)
                    return
                self._memory.set_reference(np.concatenate(parts), y)
            except Exception:  # noqa: BLE001 - the memory is a help; it reads ungated
                log.exception("embedding the memory's reference digits failed")

        QTimer.singleShot(0, step)

    def _forget_all(self) -> None:
        from digitpad.net.calibration import Calibration

        self._calibration = Calibration()
        self._memory_generation += 1
        if self._memory is not None:
            self._memory = None
            self.memoryChanged.emit(0)

    @Slot(object, int, str, object)
    def remember(self, x28: np.ndarray, label: int, sample_id: str, replaced: Any) -> None:
        """A drawing was kept as ``label``: the next reading uses it at once."""
        if self._memory is None or self._predictor is None:
            return
        try:
            if replaced:
                self._memory.remove([replaced])
            _probabilities, embedding = self._predictor.features_batch(
                np.asarray(x28, np.float32)[None]
            )
            self._memory.add(embedding[0], int(label), sample_id)
        except Exception:  # noqa: BLE001 - the memory is a help; reading goes on without it
            log.exception("remembering a correction failed")
            return
        self.memoryChanged.emit(len(self._memory))

    def reference_size(self) -> int:
        """How many reference digits gate the memory now (0: ungated, or no memory).

        Any thread may ask (tests, Model Info): it reads one int.
        """
        memory = self._memory
        return 0 if memory is None else memory.reference_size

    @Slot()
    def forget_deleted(self) -> None:
        """Drop from the memory the drawings no longer kept (My Digits deleted them).

        A kept drawing whose entry had given way to an identical one (the same
        drawing corrected, then let stand) comes back when that one goes.
        """
        if self._memory is None:
            return
        from digitpad.storage.samples import SampleError

        stores = _kept_stores()
        kept = set().union(*(store.sample_ids() for store in stores))
        gone = [i for i in self._memory.sample_ids if i not in kept]
        self._memory.remove(gone)
        missing = kept - set(self._memory.sample_ids)
        try:
            back = [s for store in stores if missing for s in store.read_ids(missing)]
            if back:
                _probabilities, embeddings = self._predictor.features_batch(
                    np.stack([s.x28 for s in back])
                )
                for sample, embedding in zip(back, embeddings, strict=True):
                    self._memory.add(embedding, sample.label, sample.id)
        except (SampleError, OSError, ValueError) as exc:
            log.warning("the kept drawings could not be read again: %s", exc)
        if gone or missing:
            self.memoryChanged.emit(len(self._memory))

    @Slot(int, object, object)
    def read(self, request_id: int, drawing: Any, options: ReadOptions) -> None:
        """Read a drawing (one digit or a number); answers with :attr:`answered`.

        Segmentation and the 28 x 28 inputs are made here, off the GUI
        thread; every candidate digit goes through one batched call.

        Args:
            request_id: echoed in the answer.
            drawing: a ``digitpad.drawing.number_input.Drawing``.
            options: what else to compute (:class:`ReadOptions`).
        """
        if self._predictor is None:
            self.readFailed.emit(request_id, _no_model())
            return
        try:
            from digitpad.drawing.number_input import last_written, prepare
            from digitpad.net.calibration import Calibration
            from digitpad.net.number_reading import choose_digits

            def stale() -> bool:
                return options.stale is not None and options.stale(request_id)

            started = time.perf_counter()
            if stale():
                self.skipped.emit(request_id)
                return
            prepared = prepare(drawing)
            prepared_at = time.perf_counter()
            if prepared is None:
                self.answered.emit(request_id, None)
                return
            if stale():
                # What was prepared stays in the recent cache for the final read.
                self.skipped.emit(request_id)
                return
            raw, embeddings = self._predictor.features_batch(prepared.inputs)
            digits, chosen = choose_digits(
                prepared, raw, embeddings, self._calibration or Calibration(), self._memory
            )
            selected = options.selected
            if selected is None or not 0 <= selected < len(digits):
                selected = last_written(digits, prepared.drawn)
            digit = digits[selected]
            inner = None
            if options.layers:
                inner = self._predictor.layers(digit.x28)
                inner["input"] = np.asarray(digit.x28, dtype=np.float32)
            overlay = None
            if options.saliency and digit.placement is not None:
                overlay = self._saliency(digit.x28, digit.ink, digit.placement)
            timing = (
                (prepared_at - started) * 1000.0,
                (time.perf_counter() - prepared_at) * 1000.0,
            )
            answer = Answer(digits, chosen, selected, inner, overlay, timing)
        except Exception as exc:  # noqa: BLE001
            log.exception("reading failed")
            self.readFailed.emit(request_id, _describe(exc))
            return
        self.answered.emit(request_id, answer)

    def _saliency(self, x28: np.ndarray, image: np.ndarray, placement: Any) -> Any:
        """Gradient of the top class, carried back onto the canvas as an overlay."""
        from digitpad.drawing.saliency import Saliency, overlay_rgba

        started = time.perf_counter()
        try:
            top, gradient = self._predictor.saliency(x28)
            rgba = overlay_rgba(gradient, image, placement)
        except Exception:  # noqa: BLE001 - the reading still counts; no overlay
            log.exception("saliency failed")
            return None
        elapsed_ms = (time.perf_counter() - started) * 1000.0
        self.saliency_ms.append(elapsed_ms)
        self.saliency_thread = (QThread.currentThread().objectName(), threading.get_ident())
        return Saliency(top=top, gradient=gradient, rgba=rgba, milliseconds=elapsed_ms)

    @Slot(object, object)
    def evaluate(self, source: str | None, limit: int | None) -> None:
        """Read the test set with the network in use; answers with :attr:`evaluated`.

        Args:
            source: the local MNIST copy, or ``None`` for the default.
            limit: only the first ``limit`` test images (tests); ``None``: all.
        """
        if self._predictor is None:
            self.evaluateFailed.emit(_no_model())
            return
        try:
            from digitpad.net.evaluation_report import EvaluationReport
            from digitpad.storage.mnist import load_mnist

            mnist = load_mnist(source)
            images, labels = mnist.x_test, mnist.y_test
            if limit is not None:
                images, labels = images[:limit], labels[:limit]
            probabilities = self._predictor.predict_batch(images)
            self.evaluated.emit(EvaluationReport(images, labels, probabilities))
        except Exception as exc:  # noqa: BLE001
            log.exception("evaluation failed")
            self.evaluateFailed.emit(_describe(exc))


def start_worker(worker: QObject, name: str) -> QThread:
    """Move ``worker`` to a new started thread named ``name``."""
    thread = QThread()
    thread.setObjectName(name)
    worker.moveToThread(thread)
    thread.finished.connect(worker.deleteLater)
    thread.start()
    return thread


def stop_thread(thread: QThread, timeout_s: float = 60.0) -> bool:
    """Ask ``thread`` to quit and wait for it (bounded); ``True`` if it ended."""
    if not thread.isRunning():
        return True
    thread.quit()
    deadline = time.monotonic() + timeout_s
    while not thread.wait(200):
        if time.monotonic() > deadline:
            log.error("thread %s did not stop in %.0f s", thread.objectName(), timeout_s)
            return False
    return True


def _no_model() -> str:
    """Why nothing can be read yet, in the window's language (``translate`` is thread-safe)."""
    return translate("InferenceWorker", "no model is loaded yet")


def _kept_stores() -> tuple[Any, Any]:
    """The stores the memory is built from: corrections, and readings let stand."""
    from digitpad.storage import paths
    from digitpad.storage.samples import SampleStore

    return SampleStore(), SampleStore(paths.let_stand_dir())


def _describe(exc: BaseException) -> str:
    """A one-line, traceback-free description of ``exc`` for people."""
    text = str(exc).strip()
    return text if text else type(exc).__name__
