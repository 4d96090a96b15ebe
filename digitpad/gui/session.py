"""The model session: model state, the workers, and the reading of each drawing.

:class:`ModelSession` is a widget-free ``QObject``. It owns

* the model state (:class:`ModelState`), the manifest and calibration of the
  network in use;
* the inference worker (the only TensorFlow in this process, on its own
  thread) and the training process (Retrain, first-launch training, Adapt);
* the reading pipeline (:class:`~digitpad.gui.reading.ReadingPipeline`),
  told which network and calibration are in use;
* the training history the chart draws.

The window binds widgets to its signals and calls its methods; tests and
benchmarks drive it with no widget at all.
"""

from __future__ import annotations

import enum
import logging
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QT_TRANSLATE_NOOP, QObject, QThread, Signal, Slot

from digitpad.gui.i18n import led_by, number, percent, translate
from digitpad.gui.inference_worker import InferenceWorker, start_worker, stop_thread
from digitpad.gui.reading import ReadingPipeline
from digitpad.gui.training_history import TrainingHistory
from digitpad.gui.training_process import TrainingProcess
from digitpad.gui.wording import clock, ready_text, recipe_text_as_sent
from digitpad.net.calibration import Calibration
from digitpad.net.training_job import ADAPT, TRAIN, Job
from digitpad.storage import paths
from digitpad.storage.model_store import ModelStore

log = logging.getLogger(__name__)

#: What the window says when the network in use (the personal one) could not
#: be loaded and the base network reads instead. The loader's own English
#: sentence (:attr:`digitpad.net.saved_models.LoadedModel.note`) says why;
#: another language leads with this and keeps the sentence as the detail.
FALLBACK_LEAD = QT_TRANSLATE_NOOP(
    "ModelSession", "Your personal network could not be used; the base network reads instead."
)


class ModelState(enum.Enum):
    """Where the network in use stands."""

    LOADING = "loading"  #: TensorFlow and the cached network are loading
    NONE = "none"  #: no network (nothing cached, or it was damaged)
    LEARNING = "learning"  #: predictions come from a training run's snapshot
    READY = "ready"  #: a trained, verified network is in use
    FAILED = "failed"  #: loading failed for another reason


class ModelSession(QObject):
    """The network in use, its training, and the reading of each drawing.

    Signals:
        stateChanged(): the state, the job, the manifest or the status changed
            (actions to enable, the status line).
        modelReady(): a trained, verified network is in use.
        notice(message): something to say in the status bar.
        jobProgress(fraction): a training or adaptation advanced.
        historyChanged(): the training history changed (redraw the chart).
        corrupt(message): the cached network was damaged (quarantined).
        loadFailed(message): the network could not be loaded.
        trained(manifest, save_error): a new base network is in use.
        candidateKept(manifest, accuracy_in_use): a new network reads MNIST
            test worse than the one in use and was kept aside as
            ``candidate`` (:meth:`use_candidate` puts it in use).
        adapted(summary, adopted, save_error): an adaptation ended.
        jobFailed(title, message): training or adapting failed or died.
        mnistMissing(message): MNIST could not be loaded for training.
        evaluated(report, note): the test-set report.
        evaluateFailed(message): the test-set report could not be made.
    """

    stateChanged = Signal()
    modelReady = Signal()
    notice = Signal(str)
    jobProgress = Signal(float)
    historyChanged = Signal()
    corrupt = Signal(str)
    loadFailed = Signal(str)
    trained = Signal(object, str)
    candidateKept = Signal(object, object)
    adapted = Signal(object, bool, str)
    jobFailed = Signal(str, str)
    mnistMissing = Signal(str)
    evaluated = Signal(object, str)
    evaluateFailed = Signal(str)

    # Requests to the inference worker (queued to its thread).
    _loadRequested = Signal()
    _installRequested = Signal(object, object, bool)
    _switchRequested = Signal(str)
    _promoteRequested = Signal(str, str)
    _rememberRequested = Signal(object, int, str, object)
    _forgetRequested = Signal()
    _evaluateRequested = Signal(object, object)

    def __init__(
        self,
        mnist_source: Callable[[], str | None] = lambda: None,
        training: TrainingProcess | None = None,
        parent: QObject | None = None,
    ) -> None:
        """Start the inference worker (nothing is loaded until :meth:`start`).

        Args:
            mnist_source: says where MNIST is for a training run (a local
                copy, or ``None`` for the default).
            training: the training process to use (tests pass one with
                another child entry point).
            parent: the Qt parent.
        """
        super().__init__(parent)
        self._mnist_source = mnist_source
        self.state = ModelState.LOADING
        self.job: str | None = None  # TRAIN or ADAPT while one runs
        self._manifest: dict[str, Any] | None = None
        self._provisional = False
        self._predicting = False
        self._evaluating = False
        self._closing = False
        self._has_personal = False
        self._job_text = ""
        self._cancelling = False
        self._recipe: Any = None  # the recipe of the training run asked for
        self._other_jobs: list[tuple[Callable[[], bool], Callable[[], None]]] = []
        self.history = TrainingHistory()

        self._inference = InferenceWorker()
        worker = self._inference
        worker.loaded.connect(self.on_worker_loaded)
        worker.noModel.connect(self.on_worker_noModel)
        worker.corrupt.connect(self.on_worker_corrupt)
        worker.loadFailed.connect(self.on_worker_loadFailed)
        worker.installed.connect(self.on_worker_installed)
        worker.installFailed.connect(self.on_worker_installFailed)
        worker.evaluated.connect(self.on_worker_evaluated)
        worker.evaluateFailed.connect(self.on_worker_evaluateFailed)
        self._loadRequested.connect(worker.load)
        self._installRequested.connect(worker.install)
        self._switchRequested.connect(worker.switch)
        self._promoteRequested.connect(worker.promote)
        self._rememberRequested.connect(worker.remember)
        self._forgetRequested.connect(worker.forget_deleted)
        worker.memoryChanged.connect(self.on_worker_memoryChanged)
        self._memory_size = 0
        self._evaluateRequested.connect(worker.evaluate)
        self._inference_thread = start_worker(worker, "digitpad-inference")
        #: Reads each drawing with the network in use.
        self.reading = ReadingPipeline(worker, parent=self)
        self.reading.notice.connect(self.notice)

        self.training = training or TrainingProcess(parent=self)
        process = self.training
        process.phase.connect(self.on_training_phase)
        process.started.connect(self.on_training_started)
        process.progress.connect(self.on_training_progress)
        process.epochEnded.connect(self.on_training_epochEnded)
        process.snapshot.connect(self.on_training_snapshot)
        process.finished.connect(self.on_training_finished)
        process.adapted.connect(self.on_training_adapted)
        process.cancelled.connect(self.on_training_cancelled)
        process.mnistMissing.connect(self.on_training_mnistMissing)
        process.failed.connect(self.on_training_failed)
        process.died.connect(self.on_training_died)
        process.ended.connect(self.on_training_ended)

    # -- life cycle --------------------------------------------------------------

    def start(self) -> None:
        """Load the network in use; on a first launch, start training at once.

        Nothing happens once :meth:`shutdown` ran (a window closed before its
        first event-loop turn).
        """
        if self._closing:
            return
        # Looked at before the load: the loader may quarantine a damaged cache
        # at once, and that must not pass for a first launch.
        first_launch = not ModelStore().has()
        if first_launch:
            # MNIST loads and the child imports TensorFlow while this
            # process's worker imports it too. The child and its pipe thread
            # start first: while TensorFlow's libraries initialise on the
            # worker they hold the dynamic loader's lock, and starting a
            # process or thread waits for it (a 200-400 ms freeze).
            self.start_training()
        self._loadRequested.emit()

    def shutdown(self) -> None:
        """Stop the training process and the inference thread (waits, bounded)."""
        if self._closing:
            return
        self._closing = True
        self.reading.stop()
        self.training.shutdown()
        stop_thread(self._inference_thread)

    # -- what the window asks -------------------------------------------------------

    def is_model_ready(self) -> bool:
        """Whether a trained, verified network is in use (not a snapshot)."""
        return self.state is ModelState.READY

    def is_predicting(self) -> bool:
        """Whether drawings are read (a network or a snapshot is in use)."""
        return self._predicting

    def is_training(self) -> bool:
        """Whether a training run or an adaptation is going on."""
        return self.job is not None

    def is_adapting(self) -> bool:
        """Whether an adaptation is going on."""
        return self.job == ADAPT

    def is_evaluating(self) -> bool:
        """Whether a test-set evaluation is going on."""
        return self._evaluating

    def is_provisional(self) -> bool:
        """Whether readings come from a network still being trained."""
        return self._provisional

    def has_personal(self) -> bool:
        """Whether a personal network is cached (looked at on load and switch)."""
        return self._has_personal

    def manifest(self) -> dict[str, Any] | None:
        """The manifest of the network in use (``None`` before one is ready)."""
        return None if self._manifest is None else dict(self._manifest)

    def network_name(self) -> str:
        """The cache entry in use: ``"base"`` or ``"personal"`` ("" before one is)."""
        return "" if self._manifest is None else str(self._manifest.get("name", "base"))

    def worker(self) -> InferenceWorker:
        """The inference worker (tests and benchmarks read its timings)."""
        return self._inference

    def inference_thread(self) -> QThread:
        """The inference worker's thread."""
        return self._inference_thread

    def status_text(self) -> str:
        """The model-state line of the status bar."""
        if self.state is ModelState.READY and self._manifest is not None:
            text = ready_text(self._manifest)
        elif self.state is ModelState.LEARNING and self.job is not None:
            text = translate(
                "ModelSession", "Still learning: predictions come from the network being trained"
            )
        elif self.state is ModelState.LEARNING:
            text = translate(
                "ModelSession",
                "Partly trained network (training stopped): Model > Retrain… to finish",
            )
        elif self.state is ModelState.LOADING:
            text = translate("ModelSession", "Loading the network…")
        elif self.job == TRAIN:
            text = translate("ModelSession", "No model yet: training the first one")
        else:
            text = translate("ModelSession", "No model: Model > Retrain… trains one")
        if self.job is not None and self._job_text:
            text = translate("ModelSession", "{state} — {job}").format(
                state=text, job=self._job_text
            )
        return text

    # -- the network in use ----------------------------------------------------------

    @Slot(object, str)
    def on_worker_loaded(self, manifest: dict[str, Any], note: str) -> None:
        if note:
            log.warning("%s", note)
            self.notice.emit(led_by("ModelSession", FALLBACK_LEAD, note))
        self._set_model(manifest, provisional=False)

    @Slot(object, bool)
    def on_worker_installed(self, manifest: Any, provisional: bool) -> None:
        if provisional and self.job != TRAIN:
            return  # a late snapshot after the run ended: a final model follows
        self._set_model(None if provisional else manifest, provisional=provisional)

    def _set_model(self, manifest: dict[str, Any] | None, provisional: bool) -> None:
        self._predicting = True
        self._provisional = provisional
        if not provisional:
            self._manifest = manifest
            self.state = ModelState.READY
            calibration = Calibration.from_manifest(manifest)
            # Only a load, a switch or an adaptation changes the cache.
            self._has_personal = ModelStore().has("personal")
        elif self.state is not ModelState.READY:
            self.state = ModelState.LEARNING
            calibration = Calibration()  # a snapshot: not calibrated
        else:
            return
        self.stateChanged.emit()
        if not provisional:
            self.modelReady.emit()
        # What is on the paper now deserves an answer from the new network.
        self.reading.use(calibration, provisional=provisional)

    @Slot(str)
    def on_worker_noModel(self, message: str) -> None:
        if self.state is ModelState.LOADING:
            self.state = ModelState.NONE
        self.stateChanged.emit()
        if self.job is None:
            self.start_training()

    @Slot(str)
    def on_worker_corrupt(self, message: str) -> None:
        self.state = ModelState.NONE
        self.stateChanged.emit()
        self.corrupt.emit(message)

    @Slot(str)
    def on_worker_loadFailed(self, message: str) -> None:
        self.state = ModelState.FAILED
        self.stateChanged.emit()
        self.loadFailed.emit(message)

    @Slot(str)
    def on_worker_installFailed(self, message: str) -> None:
        self.stateChanged.emit()
        self.notice.emit(
            translate("ModelSession", "Could not use the new weights: {error}").format(
                error=message
            )
        )

    def remember(self, x28: Any, label: int, sample_id: str, replaced: Any) -> None:
        """A drawing was kept: the memory learns it, then the paper is read again."""
        self._rememberRequested.emit(x28, label, sample_id, replaced)
        self.reading.read_again()

    def forget_deleted(self) -> None:
        """The kept drawings changed (deleted in My Digits, or imported): the memory follows.

        The memory forgets the drawings no longer kept and takes those it does
        not hold yet; then the paper is read again.
        """
        self._forgetRequested.emit()
        self.reading.read_again()

    def memory_size(self) -> int:
        """How many kept drawings the personal memory holds."""
        return self._memory_size

    @Slot(int)
    def on_worker_memoryChanged(self, count: int) -> None:
        self._memory_size = count
        self.stateChanged.emit()

    def use_network(self, name: str) -> None:
        """Read with the cached network ``name`` ("base" or "personal") from now on."""
        if self.network_name() == name:
            self.stateChanged.emit()
            return
        self.notice.emit(translate("ModelSession", "Switching network…"))
        self._switchRequested.emit(name)

    # -- training and adapting -------------------------------------------------------

    def start_training(self, recipe: Any = None) -> bool:
        """Train a new network in the training process (no confirmation).

        Args:
            recipe: a ``digitpad.net.recipes.Recipe``; ``None``: the app's.

        Returns:
            ``False`` if a job is already going on or the session is closing.
        """
        text = translate("ModelSession", "Preparing training…")
        if not self._begin_job(TRAIN, text, recipe):
            return False
        self._recipe = recipe
        self.history.reset(text)
        self.historyChanged.emit()
        return True

    def start_adapting(self) -> bool:
        """Adapt to the user's kept drawings in the training process (no questions).

        Returns:
            ``False`` if a job is going on or no trained base network is in use.
        """
        if self.state is not ModelState.READY:
            return False
        return self._begin_job(ADAPT, translate("ModelSession", "Preparing to adapt…"))

    def add_other_jobs(self, is_busy: Callable[[], bool], cancel: Callable[[], None]) -> None:
        """Know of heavy work the session does not run itself (a learning-rate ladder).

        While ``is_busy()`` is true, :meth:`start_training` and
        :meth:`start_adapting` refuse and :meth:`is_busy` is true (one
        training process at a time on the machine's cores), and
        :meth:`cancel_job` calls ``cancel()``.
        """
        self._other_jobs.append((is_busy, cancel))

    def is_busy(self) -> bool:
        """Whether the session's job or another owner's runs (see :meth:`add_other_jobs`)."""
        return self.job is not None or any(busy() for busy, _ in self._other_jobs)

    def _begin_job(self, kind: str, text: str, recipe: Any = None) -> bool:
        if self.is_busy() or self._closing:
            return False
        try:
            self.training.start(Job(kind, self._mnist_source(), recipe=recipe))
        except OSError as exc:
            self.jobFailed.emit(
                translate("ModelSession", "Training failed"),
                translate(
                    "ModelSession", "The training process could not be started ({error})."
                ).format(error=exc),
            )
            return False
        self.job = kind
        self._job_text = text
        self._cancelling = False
        self.stateChanged.emit()
        self.jobProgress.emit(0.0)
        problem = paths.unusable_reason(paths.models_dir())
        if problem is not None:
            # Said now, not after minutes of training.
            self.notice.emit(
                translate(
                    "ModelSession",
                    "The new network cannot be saved ({problem}); "
                    "it will read only until you close digitpad.",
                ).format(problem=problem)
            )
        return True

    def cancel_job(self) -> None:
        """Stop the training or adaptation (the network in use stays), or another owner's job."""
        for busy, cancel in self._other_jobs:
            if busy():
                cancel()
        if self.job is not None:
            self.training.cancel()
            self._cancelling = True
            self._job_text = translate("ModelSession", "Cancelling…")
            self.stateChanged.emit()

    def is_cancelling(self) -> bool:
        """Whether a job was asked to stop and has not yet."""
        return self.job is not None and self._cancelling

    @Slot(str)
    def on_training_phase(self, text: str) -> None:
        if not self.is_cancelling():
            self._job_text = text
            self.stateChanged.emit()

    @Slot(str)
    def on_training_started(self, recipe_text: str) -> None:
        if self.is_cancelling():
            return
        if self.job == TRAIN:
            recipe_text = self._recipe_text(recipe_text)
            self._job_text = translate("ModelSession", "Training ({recipe})…").format(
                recipe=recipe_text
            )
            self.history.title = translate("ModelSession", "Training {recipe}").format(
                recipe=recipe_text
            )
            self.historyChanged.emit()
        self.stateChanged.emit()

    def _recipe_text(self, sent: str) -> str:
        """The recipe of the run, as the training process ``sent`` it, in the window's language.

        The process describes its recipe in English (``Recipe.describe``);
        the window says it again from the recipe itself, when it is the one
        the process trained (the one asked for, else the environment's, which
        the process inherits).
        """
        from digitpad.net.recipes import recipe_from_env

        recipe = self._recipe
        if recipe is None:
            try:
                recipe = recipe_from_env()
            except ValueError:
                return sent
        return recipe_text_as_sent(recipe, sent)

    @Slot(object, object)
    def on_training_progress(self, progress: Any, points: Any) -> None:
        if self.job == TRAIN and points:
            self.history.add_batches(points)
            self.historyChanged.emit()
        if self.is_cancelling():
            return
        done = percent(int(progress.fraction * 100) / 100, 0)  # 99.9% is not 100% yet
        eta = clock(progress.eta_s) if progress.eta_s is not None else None
        if self.job == ADAPT:
            if eta is None:
                text = translate("ModelSession", "Adapting to your handwriting {percent}")
            else:
                text = translate(
                    "ModelSession", "Adapting to your handwriting {percent} · ETA {time}"
                )
            self._job_text = text.format(percent=done, time=eta)
        else:
            if eta is None:
                text = translate("ModelSession", "Training {percent} · epoch {epoch}/{epochs}")
            else:
                text = translate(
                    "ModelSession", "Training {percent} · epoch {epoch}/{epochs} · ETA {time}"
                )
            self._job_text = text.format(
                percent=done, epoch=progress.epoch, epochs=progress.epochs, time=eta
            )
        self.stateChanged.emit()
        self.jobProgress.emit(float(progress.fraction))

    @Slot(int, object)
    def on_training_epochEnded(self, epoch: int, logs: Any) -> None:
        self.history.add_epoch(epoch, logs)
        self.historyChanged.emit()

    @Slot(object, object)
    def on_training_snapshot(self, weights: Any, progress: Any) -> None:
        if self.state is ModelState.READY or self.is_cancelling():
            return  # a real network is in use: snapshots never replace it
        self._installRequested.emit(weights, None, True)

    @Slot(object, object, str, object)
    def on_training_finished(
        self, weights: Any, manifest: Any, save_error: str, kept: Any
    ) -> None:
        accuracy = manifest.get("test_accuracy")
        self.history.finish(
            translate("ModelSession", "done: {accuracy} on the test set").format(
                accuracy=percent(float(accuracy), 2)
            )
            if accuracy is not None
            else translate("ModelSession", "done")
        )
        self.historyChanged.emit()
        if not save_error and not kept["in_use"]:
            if self._cancelling:
                # Cancel came as it was being saved: no question about using it.
                self.notice.emit(
                    translate(
                        "ModelSession",
                        "The training had finished when it was cancelled; the new network "
                        "is kept as 'candidate' and the network in use stays.",
                    )
                )
                return
            self.candidateKept.emit(manifest, kept["replaced_accuracy"])
            return
        self._put_in_use(weights, manifest, save_error)
        self.trained.emit(manifest, save_error)

    def use_candidate(self) -> None:
        """Make the kept ``candidate`` network the base and read with it."""
        self.notice.emit(translate("ModelSession", "Switching to the new network…"))
        self._promoteRequested.emit("candidate", "base")

    @Slot(object, object, object, str)
    def on_training_adapted(
        self, summary: Any, weights: Any, manifest: Any, save_error: str
    ) -> None:
        if weights is not None:
            self._put_in_use(weights, manifest, save_error)
        self.adapted.emit(summary, weights is not None, save_error)

    def _put_in_use(self, weights: Any, manifest: dict[str, Any], save_error: str) -> None:
        """A saved network is verified from the bytes on disk; an unsaved one is kept in memory."""
        if save_error:
            self._installRequested.emit(weights, manifest, False)
        else:
            self._switchRequested.emit(str(manifest.get("name", "base")))

    @Slot()
    def on_training_cancelled(self) -> None:
        if self.job == TRAIN:
            self.history.finish(translate("ModelSession", "cancelled"))
            self.historyChanged.emit()
        if self.job == ADAPT:
            text = translate("ModelSession", "Adapting cancelled; the current model stays.")
        else:
            text = translate("ModelSession", "Training cancelled; the current model stays.")
        self.notice.emit(text)

    @Slot(str)
    def on_training_mnistMissing(self, message: str) -> None:
        self.mnistMissing.emit(message)

    @Slot(str)
    def on_training_failed(self, message: str) -> None:
        # ``message`` comes from the training process (digitpad.net, no Qt):
        # English, the detail under the translated title and sentence.
        if self.job == ADAPT:
            title = translate("ModelSession", "Adapting failed")
            text = translate(
                "ModelSession",
                "The network could not be adapted to your handwriting: {error}\n\n"
                "The current model, if any, stays in use.",
            )
        else:
            self.history.finish(translate("ModelSession", "failed"))
            self.historyChanged.emit()
            title = translate("ModelSession", "Training failed")
            text = translate("ModelSession", "{error}\n\nThe current model, if any, stays in use.")
        self.jobFailed.emit(title, text.format(error=message))

    @Slot(str)
    def on_training_died(self, message: str) -> None:
        if self.job == ADAPT:
            text = translate("ModelSession", "Adapting stopped unexpectedly ({reason}).")
        else:
            text = translate("ModelSession", "Training stopped unexpectedly ({reason}).")
        self.on_training_failed(text.format(reason=message))

    @Slot()
    def on_training_ended(self) -> None:
        self.job = None
        self._job_text = ""
        self._cancelling = False
        self._recipe = None
        self.stateChanged.emit()

    # -- evaluation ------------------------------------------------------------------

    def start_evaluation(self, limit: int | None = None) -> bool:
        """Read the MNIST test set with the network in use (in the background).

        Args:
            limit: only the first ``limit`` test images (tests); default all.

        Returns:
            ``False`` if there is no network yet or an evaluation is going on.
        """
        if self._evaluating or not self._predicting or self._closing:
            return False
        self._evaluating = True
        self.stateChanged.emit()
        count = number(limit if limit is not None else 10_000)
        self.notice.emit(
            translate("ModelSession", "Reading the {count} MNIST test digits…").format(count=count)
        )
        self._evaluateRequested.emit(self._mnist_source(), limit)
        return True

    @Slot(object)
    def on_worker_evaluated(self, report: Any) -> None:
        self._evaluating = False
        self.stateChanged.emit()
        note = (
            translate("ModelSession", "a partly trained network (still learning)")
            if self._provisional
            else ""
        )
        self.evaluated.emit(report, note)

    @Slot(str)
    def on_worker_evaluateFailed(self, message: str) -> None:
        self._evaluating = False
        self.stateChanged.emit()
        self.evaluateFailed.emit(message)
