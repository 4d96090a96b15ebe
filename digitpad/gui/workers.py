"""Background workers: one thread owns the model in use, another trains a new one.

Both are ``QObject`` s moved to their own ``QThread``; the window talks to
them only through queued signals, and they answer only through signals
(widgets are never touched off the GUI thread). TensorFlow is imported
inside the workers' slots, on their threads, never at module level: the
window appears before the ~5 s TensorFlow import starts.

* :class:`InferenceWorker` owns the network that predicts and its
  :class:`~digitpad.net.inference.Predictor`: it verifies and loads the cache,
  answers prediction requests, and swaps in new weights (a finished training
  run, or a "still learning" snapshot) when told. Weights arrive as numpy
  arrays; the worker sets them on its own model object. Live predictions go
  through an :class:`~digitpad.net.activations.ActivationPredictor`: one compiled
  call gives the probabilities and the inner layers the network view shows.
  It also evaluates the model on the test set (Model > Evaluate) and, when
  the canvas's saliency overlay is on, computes the saliency of each drawing
  in the same request as its prediction.
* :class:`TrainingWorker` owns the network being trained: loads MNIST, trains
  with progress, snapshots and cancel, then saves and verifies the result.
"""

from __future__ import annotations

import collections
import contextlib
import datetime as dt
import gc
import logging
import math
import threading
import time
from collections.abc import Iterator
from typing import Any

import numpy as np
from PySide6.QtCore import QObject, QThread, Signal, Slot

log = logging.getLogger(__name__)

#: The first "still learning" snapshot is taken after this many batches at most.
FIRST_SNAPSHOT_BATCHES = 10
#: Later snapshots are refreshed every this many batches at most.
SNAPSHOT_REFRESH_BATCHES = 200
#: Test images evaluated after each epoch for the training chart's validation
#: points (a sample keeps the per-epoch cost small; the final test uses all).
VALIDATION_IMAGES = 2000
#: Saliency timings kept by the inference worker (for benchmarks and tests).
SALIENCY_TIMINGS = 1000


class TracingGate:
    """Keeps TensorFlow tracing on one thread out of any ``fit`` on another.

    Tracing a new ``tf.function`` on the inference thread while the training
    thread was inside Keras ``fit`` crashed TensorFlow 2.21 (a segfault in
    graph construction). Training runs inside :meth:`fitting`; late tracing
    (the saliency call) goes through :meth:`tracing`, which says whether it
    may go ahead and keeps a fit from starting meanwhile. TensorFlow's state
    is per process, so there is one gate per process: :data:`TRACING_GATE`.
    """

    def __init__(self) -> None:
        # Re-entrant: code running inside tracing() may ask is_fitting().
        self._lock = threading.RLock()
        self._fits = 0

    @contextlib.contextmanager
    def fitting(self) -> Iterator[None]:
        """Mark a training run (waits for a trace in progress to finish)."""
        with self._lock:
            self._fits += 1
        try:
            yield
        finally:
            with self._lock:
                self._fits -= 1

    @contextlib.contextmanager
    def tracing(self) -> Iterator[bool]:
        """Yield whether tracing may happen now; no fit starts until the block ends.

        While allowed, Python's cyclic garbage collector is paused as well:
        a collection triggered on another thread (the GUI's) during a trace
        crashed TensorFlow 2.21 in graph construction (faulthandler: a
        segfault in ``graph_def_versions`` while tracing the saliency call,
        1 run in 6, the GUI thread only processing events).
        """
        with self._lock:
            allowed = self._fits == 0
            with _gc_paused(allowed):
                yield allowed

    def is_fitting(self) -> bool:
        """Whether a training run is inside :meth:`fitting` now."""
        with self._lock:
            return self._fits > 0


@contextlib.contextmanager
def _gc_paused(pause: bool = True) -> Iterator[None]:
    """Pause automatic garbage collection (process-wide) inside the block."""
    was_enabled = gc.isenabled()
    if pause:
        gc.disable()
    try:
        yield
    finally:
        if pause and was_enabled:
            gc.enable()


#: The process's gate (see :class:`TracingGate`).
TRACING_GATE = TracingGate()


class InferenceWorker(QObject):
    """Loads the cached network and answers prediction requests (its own thread).

    Signals:
        loaded(manifest): the cached model is verified, loaded and warmed up.
        noModel(message): nothing is cached yet.
        corrupt(message): the cache failed verification (already quarantined).
        loadFailed(message): anything else went wrong while loading.
        notice(message): something the user should know (e.g. the personal
            network failed verification and the base one is used instead).
        installed(manifest, provisional): new weights are in use.
        installFailed(message): new weights could not be used.
        analysed(request_id, activations): the layers of a prediction (a dict,
            see ``digitpad.net.activations.LAYERS``), sent just before
            ``predicted`` for the same request.
        predicted(request_id, probabilities): a prediction (numpy array of 10).
        predictFailed(request_id, message): a prediction failed.
        saliencyComputed(request_id, saliency): a
            ``digitpad.drawing.saliency.Saliency`` for a request made with
            :meth:`predict_with_saliency`, sent just before ``predicted``.
        saliencyTraced(): the saliency call is traced; it can be asked for.
        saliencyDeferred(): saliency was wanted but a training run is inside
            ``fit``; ask again (:meth:`set_saliency`) when it has ended.
        saliencyFailed(message): the saliency call could not be prepared.
        evaluated(report): a ``digitpad.net.evaluation_report.EvaluationReport``.
        evaluateFailed(message): the test-set evaluation failed.
    """

    loaded = Signal(object)
    noModel = Signal(str)
    corrupt = Signal(str)
    loadFailed = Signal(str)
    notice = Signal(str)
    installed = Signal(object, bool)
    installFailed = Signal(str)
    analysed = Signal(int, object)
    predicted = Signal(int, object)
    predictFailed = Signal(int, str)
    saliencyComputed = Signal(int, object)
    saliencyTraced = Signal()
    saliencyDeferred = Signal()
    saliencyFailed = Signal(str)
    evaluated = Signal(object)
    evaluateFailed = Signal(str)

    def __init__(self) -> None:
        super().__init__()
        self._model: Any = None
        self._predictor: Any = None
        self._activations: Any = None
        self._saliency_wanted = False
        #: Where and how long saliency was computed (tests and benchmarks):
        #: the thread's name and ident, and each computation's milliseconds.
        self.saliency_thread: tuple[str, int] | None = None
        self.saliency_ms: collections.deque[float] = collections.deque(maxlen=SALIENCY_TIMINGS)
        #: Set once :meth:`load` is done with TensorFlow set-up and tracing;
        #: training waits for it (TensorFlow crashed when both traced at once).
        self.tf_ready = threading.Event()

    @Slot()
    def load(self) -> None:
        """Import TensorFlow, verify and load the cached model, warm it up."""
        try:
            self._load()
        finally:
            self.tf_ready.set()

    def _load(self) -> None:
        try:
            from digitpad.net import saved_models
            from digitpad.storage.model_store import CorruptModelError, NoModelError

            try:
                loaded = saved_models.load_active()
            except NoModelError as exc:
                self._prepare_blank()
                self.noModel.emit(str(exc))
                return
            except CorruptModelError as exc:
                self._prepare_blank()
                self.corrupt.emit(str(exc))
                return
            self._model = loaded.model
            self._make_predictors()
            _freeze_heap()
            if loaded.note:
                self.notice.emit(loaded.note)
            self.loaded.emit(dict(loaded.manifest))
        except Exception as exc:  # noqa: BLE001 - reported to the user, app keeps running
            log.exception("loading the model failed")
            self.loadFailed.emit(_describe(exc))

    def _prepare_blank(self) -> None:
        """Build and trace a network now, before any training starts.

        Tracing a ``tf.function`` on this thread while the training thread
        runs ``fit`` can crash TensorFlow (seen: a segfault in graph
        construction). With the predictor traced here, before training, the
        "still learning" snapshots only assign weights: no tracing during fit.
        """
        from digitpad.net.lenet import build_lenet

        self._model = build_lenet()
        self._make_predictors()
        _freeze_heap()

    def _make_predictors(self) -> None:
        """Trace and warm up every compiled call on :attr:`_model` (see above)."""
        from digitpad.net.activations import ActivationPredictor
        from digitpad.net.inference import Predictor

        with TRACING_GATE.tracing():
            # Traced before any training starts (see _prepare_blank).
            self._predictor = Predictor.from_model(self._model)
            self._activations = ActivationPredictor(self._model, saliency=False)
        if self._saliency_wanted:
            self._trace_saliency()

    @Slot(bool)
    def set_saliency(self, wanted: bool) -> None:
        """Whether saliency will be asked for; when so, trace its call if allowed.

        Before a model exists this only records the wish: the call is traced
        with the model (at load, before any training starts). Afterwards it
        is traced now unless a training run is inside ``fit``; then
        :attr:`saliencyDeferred` asks the window to try again later.
        """
        self._saliency_wanted = bool(wanted)
        if wanted and self._activations is not None:
            self._trace_saliency()

    def _trace_saliency(self) -> None:
        if self._activations.has_saliency:
            self.saliencyTraced.emit()
            return
        try:
            with TRACING_GATE.tracing() as allowed:
                if allowed:
                    self._activations.enable_saliency()
        except Exception as exc:  # noqa: BLE001 - reported to the user, app keeps running
            log.exception("preparing saliency failed")
            self.saliencyFailed.emit(_describe(exc))
            return
        if allowed:
            self.saliencyTraced.emit()
        else:
            self.saliencyDeferred.emit()

    @Slot(object, object, bool)
    def install(self, weights: list[np.ndarray], manifest: Any, provisional: bool) -> None:
        """Use ``weights`` from now on (a trained model or a training snapshot)."""
        try:
            from digitpad.net.lenet import build_lenet

            if self._model is None:
                self._model = build_lenet()
            self._model.set_weights(weights)
            if self._predictor is None or self._predictor.model is not self._model:
                self._make_predictors()
            # Otherwise nothing to rebuild: the predictor's compiled call reads
            # the model's variables, so the new weights are used at once.
            self.installed.emit(manifest, provisional)
        except Exception as exc:  # noqa: BLE001
            log.exception("installing new weights failed")
            self.installFailed.emit(_describe(exc))

    @Slot(str)
    def switch(self, name: str) -> None:
        """Use the cached entry ``name`` ("base" or "personal") from now on.

        It is verified as at start-up and becomes the entry in use on disk;
        answers with :attr:`installed`, or :attr:`installFailed` (the network
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
            self.install(weights, dict(manifest), False)
        except Exception as exc:  # noqa: BLE001 - reported to the user, app keeps running
            log.exception("switching to %s failed", name)
            self.installFailed.emit(_describe(exc))

    @Slot(int, object)
    def predict(self, request_id: int, x28: np.ndarray) -> None:
        """Classify one 28 x 28 input; answers with :attr:`predicted`."""
        self._predict(request_id, x28, None)

    @Slot(int, object, object)
    def predict_with_saliency(self, request_id: int, x28: np.ndarray, image: np.ndarray) -> None:
        """:meth:`predict`, plus the saliency of ``x28`` shown on ``image``.

        Args:
            request_id: echoed in the answers.
            x28: the model input, ``to_mnist(image)``.
            image: the canvas image (H x W, ink 1.0) ``x28`` was made from.

        Answers with :attr:`saliencyComputed` (only once the saliency call is
        traced, see :meth:`set_saliency`) then :attr:`predicted`.
        """
        self._predict(request_id, x28, image)

    def _predict(self, request_id: int, x28: np.ndarray, image: np.ndarray | None) -> None:
        if self._activations is None:
            self.predictFailed.emit(request_id, "no model is loaded yet")
            return
        try:
            layers = self._activations.predict_all(x28)
            layers["input"] = np.asarray(x28, dtype=np.float32).reshape(28, 28)
            probabilities = np.asarray(layers["probabilities"], dtype=np.float64)
            self.analysed.emit(request_id, layers)
            if image is not None and self._activations.has_saliency:
                self.saliencyComputed.emit(request_id, self._saliency(x28, image))
            self.predicted.emit(request_id, probabilities)
        except Exception as exc:  # noqa: BLE001
            log.exception("prediction failed")
            self.predictFailed.emit(request_id, _describe(exc))

    def _saliency(self, x28: np.ndarray, image: np.ndarray) -> Any:
        """Gradient of the top class, carried back onto the canvas as an overlay."""
        from digitpad.drawing.saliency import Saliency, overlay_rgba

        started = time.perf_counter()
        try:
            top, gradient = self._activations.saliency(x28)
            rgba = overlay_rgba(gradient, image)
        except Exception:  # noqa: BLE001 - the prediction still counts; no overlay
            log.exception("saliency failed")
            return None
        elapsed_ms = (time.perf_counter() - started) * 1000.0
        self.saliency_ms.append(elapsed_ms)
        self.saliency_thread = (QThread.currentThread().objectName(), threading.get_ident())
        return Saliency(top=top, gradient=gradient, rgba=rgba, milliseconds=elapsed_ms)

    @Slot(object, object)
    def evaluate(self, source: str | None, limit: int | None) -> None:
        """Read the test set with the model in use; answers with :attr:`evaluated`.

        Args:
            source: the local MNIST copy, or ``None`` for the default.
            limit: evaluate only the first ``limit`` test images (tests);
                ``None`` for all 10,000.
        """
        if self._predictor is None:
            self.evaluateFailed.emit("no model is loaded yet")
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


class _Listener:
    """Turns training callbacks (on the training thread) into worker signals."""

    def __init__(self, worker: TrainingWorker, first: int, refresh: int) -> None:
        self.worker = worker
        self.first = first
        self.refresh = refresh
        self.last_snapshot: int | None = None
        self.frozen = False
        self.points: list[tuple[float, float, float]] = []
        self.running = (0.0, 0.0)

    def on_batch_end(self, progress: Any) -> None:
        # Keras reports the epoch's running means; undo the averaging to get
        # this batch's own loss and accuracy (the chart smooths them).
        n = progress.step
        previous_loss, previous_accuracy = self.running if n > 1 else (0.0, 0.0)
        self.running = (progress.loss, progress.accuracy)
        loss = n * progress.loss - (n - 1) * previous_loss
        accuracy = min(1.0, max(0.0, n * progress.accuracy - (n - 1) * previous_accuracy))
        x = progress.epoch - 1 + n / progress.steps_per_epoch
        self.points.append((x, loss, accuracy))

    def on_progress(self, progress: Any) -> None:
        if not self.frozen and progress.step > 1:
            # The training step is traced by now: its graph lives as long as the run.
            self.frozen = True
            _freeze_heap()
        if self.points:
            # Sent in bunches with the (throttled) progress: a few signals a second.
            points, self.points = self.points, []
            self.worker.batchPoints.emit(points)
        self.worker.progress.emit(progress)

    def on_snapshot(self, weights: list[np.ndarray], progress: Any) -> None:
        step = (progress.epoch - 1) * progress.steps_per_epoch + progress.step
        due = self.last_snapshot is None or step - self.last_snapshot >= self.refresh
        if due:
            self.last_snapshot = step
            self.worker.snapshot.emit([np.array(w) for w in weights], progress)

    def on_epoch_end(self, progress: Any, logs: dict[str, float]) -> None:
        self.worker.epochEnded.emit(progress.epoch, dict(logs))
        if progress.epoch >= progress.epochs:
            self.worker.phase.emit("Testing on 10,000 MNIST digits…")


class TrainingWorker(QObject):
    """Trains a new network in its own thread; never touches the model in use.

    Signals:
        phase(text): what it is doing ("Loading MNIST…").
        started(recipe_text): fitting starts with this recipe.
        progress(Progress): throttled progress (see ``digitpad.net.training``).
        batchPoints(points): ``(epoch_position, loss, accuracy)`` of each
            batch since the last report (sent just before ``progress``).
        epochEnded(epoch, logs): an epoch ended; Keras's logs, with
            ``val_loss`` and ``val_accuracy`` on a sample of the test set.
        snapshot(weights, Progress): a copy of the weights being trained.
        finished(weights, manifest, save_error): trained; ``save_error`` is
            "" when it was saved and verified, else why it could not be.
        cancelled(): cancelled by the user; nothing changed.
        mnistMissing(message): MNIST could not be loaded or downloaded.
        failed(message): anything else went wrong.
        adapted(summary, weights, manifest, save_error): an adaptation ended
            (see :meth:`adapt`); ``weights`` and ``manifest`` are ``None``
            unless the adapted network was adopted.
    """

    phase = Signal(str)
    started = Signal(str)
    progress = Signal(object)
    batchPoints = Signal(object)
    epochEnded = Signal(int, object)
    snapshot = Signal(object, object)
    finished = Signal(object, object, str)
    cancelled = Signal()
    mnistMissing = Signal(str)
    failed = Signal(str)
    adapted = Signal(object, object, object, str)

    @Slot(object, object, object)
    def train(
        self, source: str | None, cancel: threading.Event, tf_ready: threading.Event
    ) -> None:
        """Load MNIST from ``source`` and train with the app's recipe.

        Args:
            source: a local MNIST copy, or ``None`` for the default.
            cancel: set it (from any thread) to stop within one batch.
            tf_ready: TensorFlow work starts only once this is set (MNIST is
                loaded meanwhile, while the inference worker imports TensorFlow).
        """
        try:
            self.phase.emit("Loading MNIST…")
            from digitpad.storage.mnist import MnistError, load_mnist

            try:
                mnist = load_mnist(source)
            except MnistError as exc:  # includes MnistDownloadError
                self.mnistMissing.emit(str(exc))
                return
            from digitpad.net.recipes import pen_digit_limit, recipe_from_env

            recipe = recipe_from_env()
            if recipe.pen_digits:
                # Rendered (and cached) now, while the inference thread imports
                # TensorFlow, not after: the first "still learning" answer
                # comes that much sooner on a first launch.
                from digitpad.net.pen_training_set import pen_training_set

                self.phase.emit("Preparing real pen-drawn digits…")
                pen_training_set(recipe.seed, limit=pen_digit_limit(recipe))
            self.phase.emit("Starting TensorFlow…")
            if not _wait_for_tensorflow(tf_ready, cancel):
                self.cancelled.emit()
                return
            from digitpad.net import saved_models
            from digitpad.net.training import TrainingCancelled, train
            from digitpad.storage.model_store import StoreError

            samples = min(recipe.train_samples or len(mnist.y_train), len(mnist.y_train))
            steps_total = math.ceil(samples / recipe.batch_size) * recipe.epochs
            listener = _Listener(
                self,
                first=max(1, min(FIRST_SNAPSHOT_BATCHES, steps_total // 10)),
                refresh=max(1, min(SNAPSHOT_REFRESH_BATCHES, steps_total // 5)),
            )
            self.started.emit(recipe.describe())
            try:
                with TRACING_GATE.fitting():
                    result = train(
                        recipe,
                        mnist,
                        listener=listener,
                        cancel=cancel,
                        snapshot_every=listener.first,
                        validation_data=(
                            mnist.x_test[:VALIDATION_IMAGES],
                            mnist.y_test[:VALIDATION_IMAGES],
                        ),
                    )
            except TrainingCancelled:
                self.cancelled.emit()
                return
            self.phase.emit("Saving the model…")
            weights = [np.array(w) for w in result.model.get_weights()]
            try:
                manifest = saved_models.save(result, mnist)
                save_error = ""
            except StoreError as exc:
                manifest = {
                    **saved_models.manifest_info(result, mnist),
                    "created": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
                    "saved": False,
                }
                save_error = str(exc)
            self.finished.emit(weights, manifest, save_error)
        except Exception as exc:  # noqa: BLE001 - reported to the user, app keeps running
            log.exception("training failed")
            self.failed.emit(_describe(exc))

    @Slot(object, object, object)
    def adapt(
        self, source: str | None, cancel: threading.Event, tf_ready: threading.Event
    ) -> None:
        """Fine-tune the base network on the user's drawings; adopt it if it is better.

        Reads the drawings from the sample store, loads MNIST (replay and the
        test set) and the verified base network, runs
        :func:`digitpad.net.adaptation.adapt`, and when the result is adopted saves it
        as the verified ``personal`` entry and makes it the one in use.
        Answers with :attr:`adapted` (or ``cancelled``, ``mnistMissing``,
        ``failed``).
        """
        try:
            self.phase.emit("Reading your drawings…")
            from digitpad.storage.samples import SampleStore

            x_user, y_user = SampleStore().arrays()
            self.phase.emit("Loading MNIST…")
            from digitpad.storage.mnist import MnistError, load_mnist

            try:
                mnist = load_mnist(source)
            except MnistError as exc:
                self.mnistMissing.emit(str(exc))
                return
            from digitpad.net.recipes import adapt_steps_from_env, pen_digit_limit, recipe_from_env

            # Replay what the app's recipe trains on (rendered pen digits are
            # cached by the first training: instant), while TensorFlow loads.
            recipe = recipe_from_env()
            steps = adapt_steps_from_env()
            if recipe.pen_digits:
                from digitpad.net.pen_training_set import pen_training_set

                self.phase.emit("Preparing the replay images…")
                pen_training_set(recipe.seed, limit=pen_digit_limit(recipe))
            if not _wait_for_tensorflow(tf_ready, cancel):
                self.cancelled.emit()
                return
            from digitpad.net import saved_models
            from digitpad.net.training import TrainingCancelled
            from digitpad.storage.model_store import StoreError

            self.started.emit("adapting to your handwriting")
            try:
                with TRACING_GATE.fitting():
                    result, base = saved_models.adapt_base(
                        x_user,
                        y_user,
                        mnist,
                        recipe=recipe,
                        steps=steps,
                        listener=_AdaptListener(self),
                        cancel=cancel,
                    )
            except TrainingCancelled:
                self.cancelled.emit()
                return
            summary = result.summary()
            if not result.decision.adopt:
                self.adapted.emit(summary, None, None, "")
                return
            self.phase.emit("Saving your personal network…")
            try:
                manifest = saved_models.save_personal(result, base.manifest)
                save_error = ""
            except StoreError as exc:
                manifest = {"name": "personal", **result.manifest_info(), "saved": False}
                save_error = str(exc)
            self.adapted.emit(summary, [np.array(w) for w in result.weights], manifest, save_error)
        except ValueError as exc:  # too few drawings, bad samples: said plainly
            self.failed.emit(str(exc))
        except Exception as exc:  # noqa: BLE001 - reported to the user, app keeps running
            log.exception("adapting failed")
            self.failed.emit(_describe(exc))


class _AdaptListener:
    """Progress of a fine-tune as worker signals (no snapshots, no chart)."""

    def __init__(self, worker: TrainingWorker) -> None:
        self.worker = worker

    def on_progress(self, progress: Any) -> None:
        self.worker.progress.emit(progress)


def _wait_for_tensorflow(tf_ready: threading.Event, cancel: threading.Event) -> bool:
    """Wait until TensorFlow is set up; ``False`` if cancelled meanwhile."""
    while not tf_ready.wait(0.05):
        if cancel.is_set():
            break
    return not cancel.is_set()


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


def _freeze_heap() -> None:
    """Move every object alive now out of the garbage collector's sight.

    TensorFlow and Keras leave hundreds of thousands of long-lived objects;
    a full collection walking them all holds the GIL for up to a second,
    which freezes the window. Frozen objects are never scanned again (no
    collection first: that would be the very pause this avoids).
    """
    gc.freeze()


def _describe(exc: BaseException) -> str:
    """A one-line, traceback-free description of ``exc`` for people."""
    text = str(exc).strip()
    return f"{text}" if text else type(exc).__name__
