"""Experiment like the article, in the window: settings, learning rates, runs, your network.

:func:`install` adds to a :class:`~digitpad.gui.window.MainWindow`'s menus

* Model > Retrain Settings… (``actionRetrainSettings``): train with chosen
  settings (:class:`~digitpad.gui.retrain_dialog.RetrainDialog`);
* Model > Try Learning Rates… (``actionTryLearningRates``): the article's
  "divide by three" method as one action
  (:class:`~digitpad.gui.ladder_dialog.LadderDialog`);
* Model > Runs… (``actionRuns``): every training kept, compared
  (:class:`~digitpad.gui.runs_dialog.RunsDialog`);
* File > Open Network… (``actionOpenNetwork``): a network trained with the
  article's code, weights only.

and connects them to an :class:`Experiments` controller. Retrain Settings
goes through the session (``start_training(recipe=…)``). Try Learning Rates
and Open Network run in a training process of the controller's own (a job
the session does not know), and only while the session trains nothing:
Retrain and Adapt are disabled meanwhile. "Use this network" writes the
run's verified network as the model cache's ``candidate`` entry (off the GUI
thread) and asks the session to put it in use (``use_candidate``: the cache's
verified promote to ``base``, then a verified switch).
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QT_TRANSLATE_NOOP, QEvent, QObject, Signal, Slot
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QFileDialog, QMainWindow, QMenu, QMessageBox

from digitpad.gui import i18n
from digitpad.gui.i18n import translate
from digitpad.gui.training_process import TrainingProcess
from digitpad.gui.wording import recipe_text_as_sent
from digitpad.net.training_job import IMPORT, LADDER, Job
from digitpad.storage import paths

log = logging.getLogger(__name__)

#: The Open Network dialog's file filter (translated where it is shown).
NETWORK_FILES = QT_TRANSLATE_NOOP("Experiments", "Keras networks (*.keras *.h5);;All files (*)")


def install(window: QMainWindow, mnist_source: Callable[[], str | None] | None = None) -> None:
    """Add the experiment actions to ``window``'s File and Model menus and connect them.

    Args:
        window: the main window (it has ``session`` and the "&File" and "&Model" menus).
        mnist_source: where MNIST is for a job; default ``DIGITPAD_MNIST``.
    """
    controller = Experiments(window, mnist_source)
    window.experiments = controller  # type: ignore[attr-defined]
    model_menu = _menu(window, "menuModel", translate("Experiments", "&Model"))
    file_menu = _menu(window, "menuFile", translate("Experiments", "&File"))
    actions = {
        "actionRetrainSettings": (
            translate("Experiments", "Retrain &Settings…"),
            translate("Experiments", "Train the network again with settings you choose"),
            controller.open_retrain_settings,
        ),
        "actionTryLearningRates": (
            translate("Experiments", "Try &Learning Rates…"),
            translate("Experiments", "Train briefly with several learning rates and compare them"),
            controller.open_ladder,
        ),
        "actionRuns": (
            translate("Experiments", "R&uns…"),
            translate("Experiments", "Every training kept, compared side by side"),
            controller.open_runs,
        ),
        "actionOpenNetwork": (
            translate("Experiments", "Open &Network…"),
            translate("Experiments", "Import a network trained with the article's code"),
            controller.open_network,
        ),
    }
    for name, (text, tip, slot) in actions.items():
        action = QAction(text, window)
        action.setObjectName(name)
        action.setStatusTip(tip)
        action.triggered.connect(slot)
        controller.actions[name] = action
    retrain = window.findChild(QAction, "actionRetrain")
    model_menu.insertActions(
        _after(model_menu, retrain),
        [controller.actions[n] for n in ("actionRetrainSettings", "actionTryLearningRates")],
    )
    model_menu.addSeparator()
    model_menu.addAction(controller.actions["actionRuns"])
    quit_action = window.findChild(QAction, "actionQuit")
    file_menu.insertAction(
        quit_action if quit_action in file_menu.actions() else None,
        controller.actions["actionOpenNetwork"],
    )
    controller.update_actions()


class Experiments(QObject):
    """What the experiment actions do (see the module docstring).

    Signals:
        ladderFinished(verdict): a Try Learning Rates series ended and was judged.
        imported(record): a network file was imported (a run's record, plain data).
        importFailed(message): it was refused or failed.
        runInUse(run_id): a run's network was put in use.
    """

    ladderFinished = Signal(object)
    imported = Signal(object)
    importFailed = Signal(str)
    runInUse = Signal(str)
    _entryWritten = Signal(str, str, bool)  # run id, error ("" when written), the run's fault

    def __init__(
        self, window: QMainWindow, mnist_source: Callable[[], str | None] | None = None
    ) -> None:
        super().__init__(window)
        self.window = window
        self.session = window.session  # type: ignore[attr-defined]
        self._mnist_source = mnist_source or _env_mnist
        self.actions: dict[str, QAction] = {}
        self.process = TrainingProcess(parent=self)
        self.job: str | None = None
        self.retrain_dialog: Any = None
        self.ladder_dialog: Any = None
        self.runs_dialog: Any = None
        self._using: str | None = None
        self._plan: Any = None  # the ladder's LadderPlan, once one started
        self._use_when_ended: str | None = None
        process = self.process
        process.phase.connect(self.on_process_phase)
        process.rung.connect(self.on_process_rung)
        process.progress.connect(self.on_process_progress)
        process.rungDone.connect(self.on_process_rungDone)
        process.ladderDone.connect(self.on_process_ladderDone)
        process.imported.connect(self.on_process_imported)
        process.cancelled.connect(self.on_process_cancelled)
        process.failed.connect(self.on_process_failed)
        process.mnistMissing.connect(self.on_process_failed)
        process.died.connect(self.on_process_died)
        process.ended.connect(self.on_process_ended)
        self._entryWritten.connect(self.on_entryWritten)
        self.session.stateChanged.connect(self.update_actions)
        self.session.add_other_jobs(self.is_busy, self.cancel)
        self.session.training.ended.connect(self.on_session_training_ended)
        window.installEventFilter(self)

    # -- state -------------------------------------------------------------------

    def is_busy(self) -> bool:
        """Whether a ladder or an import runs (or a run's network is being written)."""
        return self.process.is_running() or self._using is not None

    @Slot()
    def update_actions(self) -> None:
        """Enable what may start now; keep Retrain and Adapt off while a ladder runs."""
        training = self.session.is_training()
        busy = self.is_busy()
        self.actions["actionRetrainSettings"].setEnabled(not training and not busy)
        self.actions["actionTryLearningRates"].setEnabled(not training and not busy)
        self.actions["actionOpenNetwork"].setEnabled(not training and not busy)
        # Retrain, Adapt and Cancel Training: the window decides, from the
        # session's is_busy(), which counts this controller's jobs.
        window_update = getattr(self.window, "update_actions", None)
        if window_update is not None:
            window_update()
        if self.ladder_dialog is not None and self.job != LADDER:
            self.ladder_dialog.start_button.setEnabled(not training and not busy)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: D102
        if watched is self.window and event.type() == QEvent.Type.Close:
            self.shutdown()
        return False

    def shutdown(self) -> None:
        """Stop a ladder or an import (the window is closing)."""
        self.process.shutdown()

    # -- Retrain Settings ----------------------------------------------------------

    @Slot()
    def open_retrain_settings(self) -> None:
        """Show Retrain Settings; OK trains with them."""
        from digitpad.gui.retrain_dialog import RetrainDialog

        if self.retrain_dialog is None:
            self.retrain_dialog = RetrainDialog(self.window)
            self.retrain_dialog.accepted.connect(self.on_retrain_dialog_accepted)
        self.retrain_dialog.open()

    @Slot()
    def on_retrain_dialog_accepted(self) -> None:
        recipe = self.retrain_dialog.recipe()
        if self.is_busy() or not self.session.start_training(recipe=recipe):
            self._say(
                translate("Experiments", "A training is already going on; try again when it ends.")
            )

    # -- Try Learning Rates -------------------------------------------------------------

    @Slot()
    def open_ladder(self) -> None:
        """Show Try Learning Rates (Start begins the trainings)."""
        from digitpad.gui.ladder_dialog import LadderDialog

        if self.ladder_dialog is None:
            self.ladder_dialog = LadderDialog(self.window)
            self.ladder_dialog.startRequested.connect(self.start_ladder)
            self.ladder_dialog.cancelRequested.connect(self.cancel)
        self._show(self.ladder_dialog)
        self.update_actions()

    @Slot(object)
    def start_ladder(self, plan: Any) -> bool:
        """Train each rate of ``plan`` in the training process.

        Returns:
            ``False`` if a training, a ladder or an import is going on.
        """
        if not self._start(Job(LADDER, self._mnist_source(), ladder=plan)):
            return False
        self._plan = plan
        if self.ladder_dialog is not None:
            self.ladder_dialog.begin(plan)
        return True

    @Slot()
    def cancel(self) -> None:
        """Stop the ladder or the import."""
        self.process.cancel()

    @Slot(str)
    def on_process_phase(self, text: str) -> None:
        self._say(text)

    @Slot(int, int, float, str)
    def on_process_rung(self, index: int, count: int, rate: float, text: str) -> None:
        self._say(
            translate("Experiments", "Trying learning rate {rate} ({index} of {count})…").format(
                rate=f"{rate:g}", index=index + 1, count=count
            )
        )
        if self.ladder_dialog is not None:
            self.ladder_dialog.rung_started(index, count, rate, self._recipe_text(rate, text))

    def _recipe_text(self, rate: float, sent: str) -> str:
        """The rung's recipe in the window's language (``sent``: the child's English)."""
        if self._plan is None:
            return sent
        return recipe_text_as_sent(self._plan.recipe(rate), sent)

    @Slot(object, object)
    def on_process_progress(self, progress: Any, points: Any) -> None:
        if self.ladder_dialog is not None and self.job == LADDER:
            self.ladder_dialog.add_points(points)

    @Slot(int, float, object)
    def on_process_rungDone(self, index: int, rate: float, summary: Any) -> None:
        if self.ladder_dialog is not None:
            self.ladder_dialog.rung_done(index, rate, summary)
        self._refresh_runs()

    @Slot(object)
    def on_process_ladderDone(self, summaries: Any) -> None:
        from digitpad.net.lr_ladder import judge

        verdict = judge({s["rate"]: s.get("batch_loss", []) for s in summaries})
        if self.ladder_dialog is not None:
            self.ladder_dialog.finish(summaries)
        if verdict.fastest is None:
            self._say(translate("Experiments", "Learning rates tried: none converged."))
        else:
            self._say(
                translate(
                    "Experiments", "Learning rates tried: fastest to converge {rate}."
                ).format(rate=f"{verdict.fastest:g}")
            )
        self.ladderFinished.emit(verdict)

    # -- Open Network ----------------------------------------------------------------

    @Slot()
    def open_network(self) -> None:
        """Ask for a network file and import it."""
        path, _filter = QFileDialog.getOpenFileName(
            self.window,
            translate("Experiments", "Open a network trained with the article's code"),
            "",
            translate("Experiments", NETWORK_FILES),
        )
        if path:
            self.import_file(path)

    def import_file(self, path: str) -> bool:
        """Read ``path``'s weights, measure them and keep them as a run (training process).

        Returns:
            ``False`` if a training, a ladder or an import is going on.
        """
        return self._start(Job(IMPORT, self._mnist_source(), path=str(path)))

    @Slot(object, str)
    def on_process_imported(self, record: Any, error: str) -> None:
        if record is None:
            self._warn(translate("Experiments", "Network not imported"), error)
            self.importFailed.emit(error)
            return
        self._refresh_runs()
        self.imported.emit(record)
        pen = record.get("pen_test_accuracy")
        ignored = record.get("source", {}).get("ignored_layers") or []
        box = QMessageBox(self.window)
        box.setWindowTitle(translate("Experiments", "Network imported"))
        mnist = i18n.percent(record["test_accuracy"], 2)
        if pen is not None:
            text = translate(
                "Experiments", "{network}: {mnist} on MNIST test, {pen} on pendigits-test."
            ).format(network=record["label"], mnist=mnist, pen=i18n.percent(pen, 2))
        else:
            text = translate(
                "Experiments", "{network}: {mnist} on MNIST test, pendigits-test unknown."
            ).format(network=record["label"], mnist=mnist)
        box.setText(text)
        question = translate(
            "Experiments", "Use it now? (It is kept as a run either way: Model > Runs…)"
        )
        if ignored:
            question = (
                translate(
                    "Experiments",
                    "Layers without weights were not read (their code never runs): {layers}.",
                ).format(layers=", ".join(ignored))
                + "\n"
                + question
            )
        box.setInformativeText(question)
        box.setStandardButtons(QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No)
        box.setDefaultButton(QMessageBox.StandardButton.No)
        if box.exec() == QMessageBox.StandardButton.Yes:
            self._use_when_ended = record["id"]  # the import's process is still ending

    # -- Runs ----------------------------------------------------------------------------

    @Slot()
    def open_runs(self) -> None:
        """Show the runs."""
        from digitpad.gui.runs_dialog import RunsDialog

        if self.runs_dialog is None:
            self.runs_dialog = RunsDialog(parent=self.window)
            self.runs_dialog.useRequested.connect(self.use_run)
            self.runs_dialog.openNetworkRequested.connect(self.open_network)
        else:
            self.runs_dialog.refresh_later()
        self._show(self.runs_dialog)

    @Slot(str)
    def use_run(self, run_id: str) -> bool:
        """Put run ``run_id``'s network in use (verified; the window reads with it next).

        Returns:
            ``False`` if a training or another job is going on.
        """
        if self.session.is_training() or self.is_busy():
            self._say(
                translate(
                    "Experiments", "Wait for the training to end, then use the run's network."
                )
            )
            return False
        self._using = run_id
        self.update_actions()
        self._say(translate("Experiments", "Switching to the run's network…"))

        def write() -> None:
            from digitpad.storage.runs import RunError, RunStore

            try:
                RunStore().save_as_entry(run_id, "candidate")
            except Exception as exc:  # noqa: BLE001 - said to the user; nothing changed
                log.exception("writing run %s's network failed", run_id)
                # A RunError is the run's own (its network failed verification);
                # any other error is the model cache's (e.g. a full disk).
                self._entryWritten.emit(
                    run_id, str(exc) or type(exc).__name__, isinstance(exc, RunError)
                )
                return
            self._entryWritten.emit(run_id, "", False)

        threading.Thread(target=write, name="digitpad-use-run", daemon=True).start()
        return True

    @Slot(str, str, bool)
    def on_entryWritten(self, run_id: str, error: str, run_damaged: bool = False) -> None:
        self._using = None
        self.update_actions()
        if error:
            # Replaces "Switching to the run's network…" (the box may be dismissed unread).
            self._say(
                translate("Experiments", "Could not use the run's network: {error}").format(
                    error=error
                )
            )
            if run_damaged and self.runs_dialog is not None:
                self.runs_dialog.mark_unusable(run_id, error)
            self._warn(
                translate("Experiments", "Could not use the run's network"),
                translate("Experiments", "{error}\n\nThe network in use stays.").format(
                    error=error
                ),
            )
            return
        self.session.use_candidate()
        self.runInUse.emit(run_id)
        self._refresh_runs()

    # -- the process ------------------------------------------------------------------------

    def _start(self, job: Job) -> bool:
        if self.session.is_training() or self.is_busy():
            self._say(translate("Experiments", "A training is going on; try again when it ends."))
            return False
        try:
            self.process.start(job)
        except (OSError, RuntimeError) as exc:
            self._warn(
                translate("Experiments", "Could not start"),
                translate(
                    "Experiments", "The training process could not be started ({error})."
                ).format(error=exc),
            )
            return False
        self.job = job.kind
        self.update_actions()
        return True

    @Slot()
    def on_process_cancelled(self) -> None:
        if self.ladder_dialog is not None and self.job == LADDER:
            self.ladder_dialog.stopped(
                translate("Experiments", "Cancelled; the rates tried so far are kept as runs.")
            )
        self._say(translate("Experiments", "Cancelled; the network in use stays."))

    @Slot(str)
    def on_process_failed(self, message: str) -> None:
        if self.ladder_dialog is not None and self.job == LADDER:
            self.ladder_dialog.stopped(
                translate("Experiments", "Failed: {message}").format(message=message)
            )
        if self.job == IMPORT:
            self.importFailed.emit(message)
        self._warn(translate("Experiments", "Failed"), message)

    @Slot(str)
    def on_process_died(self, message: str) -> None:
        self.on_process_failed(
            translate(
                "Experiments", "The training process stopped unexpectedly ({reason})."
            ).format(reason=message)
        )

    @Slot()
    def on_process_ended(self) -> None:
        self.job = None
        # The window enables Retrain and Adapt again when the session's state
        # changes; nothing of the session changed, so say it did.
        self.session.stateChanged.emit()
        self._refresh_runs()
        run_id, self._use_when_ended = self._use_when_ended, None
        if run_id is not None:
            self.use_run(run_id)

    @Slot()
    def on_session_training_ended(self) -> None:
        self._refresh_runs()

    def _refresh_runs(self) -> None:
        # In a thread: reading every run's record would stall the window
        # (~120 ms for 20 runs of the seed recipe) while a ladder trains.
        if self.runs_dialog is not None and self.runs_dialog.isVisible():
            self.runs_dialog.refresh_later()

    @staticmethod
    def _show(dialog: Any) -> None:
        """Show ``dialog``; bring it to the front if it was open already."""
        if dialog.isVisible():
            dialog.raise_()
            dialog.activateWindow()
        dialog.show()

    def _say(self, text: str) -> None:
        self.window.statusBar().showMessage(text, 10000)

    def _warn(self, title: str, text: str) -> None:
        box = QMessageBox(QMessageBox.Icon.Warning, title, text, parent=self.window)
        box.exec()


def _env_mnist() -> str | None:
    source = paths.mnist_source()
    return str(source) if source is not None else None


def _menu(window: QMainWindow, name: str, title: str) -> QMenu:
    """The menu bar's menu called ``name`` (its object name) or titled ``title``; made if none."""
    for action in window.menuBar().actions():
        menu = action.menu()
        if isinstance(menu, QMenu) and (menu.objectName() == name or action.text() == title):
            return menu
    menu = window.menuBar().addMenu(title)
    menu.setObjectName(name)
    return menu


def _after(menu: QMenu, action: QAction | None) -> QAction | None:
    """The action that follows ``action`` in ``menu`` (``None``: the end)."""
    actions = menu.actions()
    if action is None or action not in actions:
        return None
    index = actions.index(action)
    return actions[index + 1] if index + 1 < len(actions) else None
