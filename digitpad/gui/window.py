"""The main window: layout, menus, settings, and the binding of widgets to the session.

The :class:`~digitpad.gui.session.ModelSession` owns the network, its
training and the reading of each drawing; this window only lays out the
canvas, the reading, the bars, the preview and the docks, keeps the user's
settings, asks the user (dialogs) and shows what the session says. Its texts
are translated in the context ``"MainWindow"``.
"""

from __future__ import annotations

import math
import os
from typing import Any

from PySide6.QtCore import (
    QByteArray,
    QPointF,
    QRectF,
    QSettings,
    QSize,
    Qt,
    QTimer,
    Signal,
    Slot,
)
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import (
    QDockWidget,
    QFileDialog,
    QLayout,
    QMainWindow,
    QMessageBox,
    QScrollArea,
    QWidget,
)

from digitpad import __version__
from digitpad.drawing.number_input import Drawing, prepare
from digitpad.gui import dialogs, experiments, i18n, icons, sample_files
from digitpad.gui.actions import Actions, build_menus, build_toolbar
from digitpad.gui.i18n import translate
from digitpad.gui.layout import build_layout, name_dock_tabs, set_tab_order
from digitpad.gui.paper_painting import DigitBox, saliency_legend
from digitpad.gui.reading import Reading
from digitpad.gui.session import ModelSession, ModelState
from digitpad.gui.teaching import Teaching
from digitpad.storage import paths

#: Height the network view and training chart docks open with.
DOCK_HEIGHT = 240
#: Room left on the screen for the window's frame (title bar and borders).
FRAME_ALLOWANCE = 40
#: The reading panel is never made shorter than this to fit a short screen.
MIN_PANEL_HEIGHT = 160
SETTINGS_MNIST = "mnist/source"
SETTINGS_DARK_INK = "view/darkInk"
SETTINGS_PEN_WIDTH = "view/penWidth"
SETTINGS_SALIENCY = "view/saliency"
SETTINGS_GEOMETRY = "window/geometry"

IMAGE_PATTERNS = "*.png *.jpg *.jpeg *.bmp *.gif *.webp *.tif *.tiff"


def image_filter() -> str:
    """The file dialog's filter for images, named in the window's language."""
    images = translate("MainWindow", "Images")
    everything = translate("MainWindow", "All files")
    return f"{images} ({IMAGE_PATTERNS});;{everything} (*)"


class MainWindow(QMainWindow):
    """digitpad's window: draw a digit, watch the network read it.

    Signals:
        model_ready: a trained, verified model is in use and predicting.
        predictionShown: the bars were updated with a new reading.
        saliencyShown: the saliency overlay was updated for a new reading.
        trainingProgressed(fraction): a training run reported progress.
    """

    model_ready = Signal()
    predictionShown = Signal()
    saliencyShown = Signal()
    trainingProgressed = Signal(float)

    def __init__(self, mnist: str | None = None, parent: QWidget | None = None) -> None:
        """Build the window and start loading (or first-launch training) by itself.

        Args:
            mnist: a local MNIST copy for training; default ``DIGITPAD_MNIST``,
                then the one the user chose before, then the download.
            parent: the parent widget.
        """
        super().__init__(parent)
        self.setObjectName("mainWindow")
        self.setWindowTitle("digitpad")
        self.setWindowIcon(icons.icon("digitpad"))
        self._settings = QSettings(
            str(paths.data_dir() / "settings.ini"), QSettings.Format.IniFormat
        )
        self._mnist_override = mnist
        self.session = ModelSession(mnist_source=self._mnist_source, parent=self)
        self.training_chart: Any = None  # built when first shown (pyqtgraph is slow to import)
        self.evaluation_dialog: Any = None

        build_layout(self)
        self.menu_actions = Actions(self)
        self.menu_actions.add("actionShowNetwork", self.network_dock.toggleViewAction())
        self.menu_actions.add("actionShowTraining", self.training_dock.toggleViewAction())
        self._describe_dock_actions()
        build_menus(self, self.menu_actions)
        self.pen_slider = build_toolbar(self, self.menu_actions)
        set_tab_order(self, self.pen_slider)
        self.teaching = Teaching(self)
        self.corrections = self.teaching.corrections
        self._bind()
        # Imported drawings join the personal memory at once, as corrections do.
        sample_files.install(self).imported.connect(self.session.forget_deleted)
        experiments.install(self, mnist_source=self._mnist_source)
        self._restore_settings()
        self.on_session_stateChanged()

        # Size constraints settle before the native window exists (platforms
        # without size-hint support warn when they change after show()); the
        # minimum is then fixed, so showing a dock never changes it.
        self.layout().activate()
        self.setMinimumSize(self._minimum_for_screen())
        self.layout().setSizeConstraint(QLayout.SizeConstraint.SetNoConstraint)
        # After the window is shown: the TensorFlow import competes for the GIL.
        QTimer.singleShot(0, self.session.start)

    # -- construction ----------------------------------------------------------

    def restore_geometry(self) -> bool:
        """Take the size and place the window had when it was last closed.

        Returns:
            Whether there was one to take (Qt keeps a restored window on the
            screens there are now, so a smaller screen gets a window that fits).
        """
        saved = self._settings.value(SETTINGS_GEOMETRY)
        if not isinstance(saved, QByteArray) or saved.isEmpty():
            return False
        return self.restoreGeometry(saved)

    def _minimum_for_screen(self) -> QSize:
        """The window's minimum size, no taller or wider than the screen leaves room for.

        On a short screen (a 1024 x 600 netbook) the reading panel scrolls
        sooner: its bars may scroll out of view rather than the window's
        bottom, status bar and all, falling off the screen.
        """
        minimum = self.minimumSizeHint()
        screen = self.screen()
        if screen is None:
            return minimum
        room = screen.availableGeometry().size() - QSize(0, FRAME_ALLOWANCE)
        scroller = self.findChild(QScrollArea, "sidePanelScroller")
        excess = minimum.height() - room.height()
        if excess > 0 and scroller is not None:
            scroller.setMinimumHeight(max(MIN_PANEL_HEIGHT, scroller.minimumHeight() - excess))
            self.layout().activate()
            minimum = self.minimumSizeHint()
        return minimum.boundedTo(room)

    def _describe_dock_actions(self) -> None:
        for name, text, key, tip in (
            ("actionShowNetwork", translate("MainWindow", "&Network View"), "Ctrl+1",
             translate("MainWindow", "Show what each layer of the network computes")),
            ("actionShowTraining", translate("MainWindow", "&Training Chart"), "Ctrl+2",
             translate("MainWindow", "Show the loss and accuracy of the training run")),
        ):  # fmt: skip
            action = self.menu_actions[name]
            action.setText(text)
            action.setShortcut(key)
            action.setStatusTip(tip)

    def _bind(self) -> None:
        session, canvas, act = self.session, self.canvas, self.menu_actions
        reader = session.reading
        reader.set_drawing_source(self._drawing)
        canvas.inkChanged.connect(reader.ink_changed)
        canvas.drawingFinished.connect(reader.read_now)
        canvas.historyChanged.connect(self.update_actions)
        canvas.digitClicked.connect(reader.select)
        self.digit_label.digitClicked.connect(reader.select)
        self.cancel_button.clicked.connect(session.cancel_job)
        self.pen_slider.valueChanged.connect(lambda value: self._set_pen_width(float(value)))
        self.network_dock.visibilityChanged.connect(self.on_networkDock_visibilityChanged)
        self.training_dock.visibilityChanged.connect(self.on_trainingDock_visibilityChanged)
        for signal, slot in (
            (session.stateChanged, self.on_session_stateChanged),
            (session.modelReady, self.model_ready),
            (reader.readingChanged, self.on_reading_readingChanged),
            (reader.inputChanged, self.preview.set_array),
            (session.notice, lambda text: self.statusBar().showMessage(text, 10000)),
            (session.jobProgress, self.on_session_jobProgress),
            (session.historyChanged, self.on_session_historyChanged),
            (session.corrupt, self.on_session_corrupt),
            (session.loadFailed, self.on_session_loadFailed),
            (session.trained, self.on_session_trained),
            (session.candidateKept, self.on_session_candidateKept),
            (session.jobFailed, lambda title, text: self._warn(title, text)),
            (session.mnistMissing, self.on_session_mnistMissing),
            (session.evaluated, self.on_session_evaluated),
            (session.evaluateFailed, self.on_session_evaluateFailed),
        ):
            signal.connect(slot)
        for name, slot in (
            ("actionOpen", self.on_actionOpen_triggered),
            ("actionSave", self.on_actionSave_triggered),
            ("actionQuit", self.close),
            ("actionUndo", canvas.undo),
            ("actionRedo", canvas.redo),
            ("actionClear", self.teaching.on_actionClear_triggered),
            ("actionDarkInk", self.on_actionDarkInk_triggered),
            ("actionShowSaliency", self.show_saliency),
            ("actionRetrain", self.on_actionRetrain_triggered),
            ("actionCancelTraining", session.cancel_job),
            ("actionAdapt", self.teaching.on_actionAdapt_triggered),
            ("actionMyDigits", self.teaching.on_actionMyDigits_triggered),
            ("actionUseBase", lambda: session.use_network("base")),
            ("actionUsePersonal", lambda: session.use_network("personal")),
            ("actionEvaluate", lambda: session.start_evaluation()),
            ("actionModelInfo", self.on_actionModelInfo_triggered),
            ("actionAbout", self.on_actionAbout_triggered),
        ):
            act[name].triggered.connect(slot)
        for digit, action in enumerate(act.digits):
            action.triggered.connect(lambda _checked=False, d=digit: self.teaching.correct(d))
        for width, action in act.pen_actions.items():
            action.triggered.connect(lambda _checked=False, w=width: self._set_pen_width(w))
        for code, action in act.language_actions.items():
            action.triggered.connect(lambda _checked=False, c=code: self.choose_language(c))

    def _restore_settings(self) -> None:
        dark = _as_bool(self._settings.value(SETTINGS_DARK_INK, False))
        self.menu_actions["actionDarkInk"].setChecked(dark)
        self.canvas.set_dark_ink(dark)
        try:
            width = float(self._settings.value(SETTINGS_PEN_WIDTH, self.canvas.pen_width()))
        except (TypeError, ValueError):
            width = self.canvas.pen_width()
        if not math.isfinite(width):  # a damaged settings file: the default pen
            width = self.canvas.pen_width()
        self._set_pen_width(width, save=False)
        saliency = _as_bool(self._settings.value(SETTINGS_SALIENCY, False))
        self.menu_actions["actionShowSaliency"].setChecked(saliency)
        self.session.reading.set_saliency_wanted(saliency)

    # -- what tests and scripts use --------------------------------------------------

    def status_text(self) -> str:
        """The model-state text of the status bar."""
        return self.state_label.text()

    def reason_text(self) -> str:
        """Why the big digit shows "?" ("" when it shows a digit or nothing)."""
        return self.reason_label.text()

    def is_prediction_pending(self) -> bool:
        """Whether the drawing on screen still awaits its reading."""
        return self.session.reading.is_pending()

    def show_network_view(self, visible: bool = True) -> None:
        """Show (or hide) the network view dock."""
        self.network_dock.setVisible(visible)
        if visible:
            self.network_dock.raise_()

    def show_training_chart(self, visible: bool = True) -> None:
        """Show (or hide) the training chart dock."""
        self.training_dock.setVisible(visible)
        if visible:
            self.training_dock.raise_()

    def show_saliency(self, visible: bool = True) -> None:
        """Turn the saliency overlay on or off (View > Saliency Overlay)."""
        self.menu_actions["actionShowSaliency"].setChecked(visible)
        self._settings.setValue(SETTINGS_SALIENCY, bool(visible))
        if not visible:
            self.canvas.set_overlay(None)
        self.session.reading.set_saliency_wanted(visible)

    def open_image(self, path: str) -> bool:
        """Show the image at ``path`` on the paper and read it.

        Returns:
            ``False`` (after telling the user why) if it cannot be read.
        """
        from digitpad.drawing.images import ImageError, load_ink

        try:
            ink = load_ink(path)
        except ImageError as exc:
            dialogs.warn(
                self,
                translate("MainWindow", "Cannot open the image"),
                translate("MainWindow", "The image could not be read."),
                str(exc),
            )
            return False
        self.canvas.set_image(ink)
        # Decided here, not from the reading: that comes later, from the worker.
        if prepare(self.canvas.drawing()) is None:
            name = os.path.basename(path)
            self.statusBar().showMessage(
                translate("MainWindow", "No digit found in {name}: the image is blank.").format(
                    name=name
                ),
                8000,
            )
        return True

    def choose_language(self, code: str) -> None:
        """Show the window in ``code`` ("": the system's language) from the next start."""
        saved = i18n.choose_language(code)
        self.menu_actions.language_actions[code].setChecked(True)
        if not saved:
            message = translate(
                "MainWindow",
                "The language could not be saved ({path} cannot be written): "
                "the next start of digitpad will not change it.",
            ).format(path=i18n.settings().fileName())
        elif code:
            message = translate(
                "MainWindow", "The window will be in {language} from the next start of digitpad."
            ).format(language=i18n.LANGUAGES[code])
        else:
            message = translate(
                "MainWindow",
                "The window will follow the system's language from the next start of digitpad.",
            )
        self.statusBar().showMessage(message, 10000)

    # -- the session, shown ----------------------------------------------------------

    def _drawing(self) -> Drawing:
        return self.canvas.drawing()

    @Slot(object)
    def on_reading_readingChanged(self, shown: Reading | None) -> None:
        if shown is None:
            self.bars.clear()
            self.digit_label.clear()
            self.reason_label.setText("")
            self.reading_status.setText("")
            self.network_view.clear()
            self.canvas.set_overlay(None)
            self.canvas.set_boxes([])
            return
        self.bars.set_probabilities(shown.probabilities, provisional=shown.provisional)
        summary = shown.summary()
        self.digit_label.set_reading(
            shown.text, [d.sure for d in shown.digits], shown.selected, summary=summary
        )
        self.reason_label.setText(shown.reason)
        self.reading_status.setText(summary)
        self.canvas.set_boxes(
            [
                DigitBox(QRectF(QPointF(d.box[0], d.box[1]), QPointF(d.box[2], d.box[3])),
                         i == shown.selected and len(shown.digits) > 1, d.sure)
                for i, d in enumerate(shown.digits)
            ]
        )  # fmt: skip
        if shown.layers is not None and self.network_dock.isVisible():
            self.network_view.set_layers(shown.layers, provisional=shown.provisional)
        if self.session.reading.saliency_wanted() and shown.saliency is not None:
            rgba = shown.saliency.rgba
            legend = None if rgba is None else saliency_legend(shown.saliency.top)
            box = shown.digit.box
            rect = QRectF(QPointF(box[0], box[1]), QPointF(box[2], box[3]))
            self.canvas.set_overlay(rgba, legend or (), rect)
            self.saliencyShown.emit()
        self.predictionShown.emit()

    @Slot()
    def on_session_stateChanged(self) -> None:
        session = self.session
        self.state_label.setText(session.status_text())
        self.learning_label.setVisible(session.state is ModelState.LEARNING)
        training = session.is_training()
        self.progress_bar.setVisible(training)
        self.cancel_button.setVisible(training)
        self.cancel_button.setEnabled(training and not session.is_cancelling())
        personal = session.network_name() == "personal"
        self.menu_actions["actionUsePersonal"].setChecked(personal)
        self.menu_actions["actionUseBase"].setChecked(not personal)
        self.update_actions()

    def update_actions(self) -> None:
        """Enable the actions that make sense now."""
        session, act = self.session, self.menu_actions
        ready = session.is_model_ready()
        training = session.is_training()
        # A learning-rate ladder (Experiments) is a job too: nothing else trains meanwhile.
        busy = session.is_busy()
        act["actionUndo"].setEnabled(self.canvas.can_undo())
        act["actionRedo"].setEnabled(self.canvas.can_redo())
        act["actionRetrain"].setEnabled(not busy and session.state is not ModelState.LOADING)
        act["actionCancelTraining"].setEnabled(busy)
        act["actionEvaluate"].setEnabled(session.is_predicting() and not session.is_evaluating())
        act["actionAdapt"].setEnabled(not busy and ready)
        act["actionUseBase"].setEnabled(not training and ready)
        act["actionUsePersonal"].setEnabled(not training and ready and session.has_personal())

    @Slot(float)
    def on_session_jobProgress(self, fraction: float) -> None:
        self.progress_bar.setValue(int(fraction * 100))
        self.trainingProgressed.emit(fraction)

    @Slot()
    def on_session_historyChanged(self) -> None:
        if self.training_chart is not None:
            self.training_chart.refresh()

    @Slot(str)
    def on_session_corrupt(self, message: str) -> None:
        question = translate(
            "MainWindow",
            "Train a new network now? It takes a few minutes; you can draw meanwhile.",
        )
        if dialogs.ask(
            self,
            translate("MainWindow", "The saved model is damaged"),
            translate(
                "MainWindow", "The saved network failed its integrity check and was not loaded."
            ),
            f"{message}\n\n{question}",
            yes=translate("MainWindow", "Retrain"),
        ):
            self.session.start_training()

    @Slot(str)
    def on_session_loadFailed(self, message: str) -> None:
        hint = translate("MainWindow", "Model > Retrain… trains a new one.")
        dialogs.warn(
            self,
            translate("MainWindow", "Could not load the model"),
            translate("MainWindow", "The network could not be loaded."),
            f"{message}\n\n{hint}",
        )

    @Slot(object, str)
    def on_session_trained(self, manifest: Any, save_error: str) -> None:
        accuracy = manifest.get("test_accuracy")
        if save_error:
            dialogs.warn(
                self,
                translate("MainWindow", "The model could not be saved"),
                translate(
                    "MainWindow",
                    "The new network is in use, but it could not be saved and will be "
                    "lost when digitpad closes.",
                ),
                save_error,
            )
        elif accuracy is not None:
            self.statusBar().showMessage(
                translate("MainWindow", "New network trained: {accuracy} on MNIST test").format(
                    accuracy=i18n.percent(float(accuracy), 1)
                ),
                8000,
            )

    @Slot(object, object)
    def on_session_candidateKept(self, manifest: Any, accuracy_in_use: Any) -> None:
        new = i18n.percent(float(manifest.get("test_accuracy", 0.0)), 2)
        old = "?" if accuracy_in_use is None else i18n.percent(float(accuracy_in_use), 2)
        if dialogs.ask(
            self,
            translate("MainWindow", "The new network reads worse"),
            translate(
                "MainWindow",
                "The new network reads {new} of the MNIST test digits; the one in use "
                "reads {old}.",
            ).format(new=new, old=old),
            translate(
                "MainWindow",
                "The network in use stays unless you choose otherwise; the new one is "
                "kept as 'candidate' (digitpad use candidate puts it in use later).",
            ),
            yes=translate("MainWindow", "Use the New One"),
            no=translate("MainWindow", "Keep the One in Use"),
            default_yes=False,
        ):
            self.session.use_candidate()
        else:
            self.statusBar().showMessage(
                translate("MainWindow", "Kept the network in use ({accuracy}).").format(
                    accuracy=old
                ),
                10000,
            )

    @Slot(str)
    def on_session_mnistMissing(self, message: str) -> None:
        source = dialogs.ask_mnist_location(self, message)
        if source:
            self._settings.setValue(SETTINGS_MNIST, source)
            self._settings.sync()
            self._mnist_override = source
            # The job ends just after this message: start once it has.
            QTimer.singleShot(0, self._retry_training)
        else:
            self.statusBar().showMessage(
                translate("MainWindow", "No MNIST copy: Model > Retrain… tries again."), 10000
            )

    def _retry_training(self) -> None:
        if self.session.is_training():
            QTimer.singleShot(50, self._retry_training)
        else:
            self.session.start_training()

    @Slot(object, str)
    def on_session_evaluated(self, report: Any, note: str) -> None:
        from digitpad.gui.evaluation_dialog import EvaluationDialog

        self.statusBar().clearMessage()
        if self.evaluation_dialog is None:
            self.evaluation_dialog = EvaluationDialog(self)
        self.evaluation_dialog.set_report(report, note)
        if self.evaluation_dialog.isVisible():
            self.evaluation_dialog.raise_()
        else:
            # Size constraints settle before the native window exists.
            self.evaluation_dialog.layout().activate()
            self.evaluation_dialog.show()

    @Slot(str)
    def on_session_evaluateFailed(self, message: str) -> None:
        self.statusBar().clearMessage()
        dialogs.warn(
            self,
            translate("MainWindow", "Could not evaluate"),
            translate("MainWindow", "The test-set report could not be made."),
            message,
        )

    # -- menus -----------------------------------------------------------------------

    @Slot()
    def on_actionRetrain_triggered(self) -> None:
        if self.session.is_busy():
            return
        from digitpad.gui.wording import recipe_text
        from digitpad.net.recipes import recipe_from_env
        from digitpad.storage.runs import cap_from_env

        try:
            text = recipe_text(recipe_from_env())
            cap_from_env()  # a run that could not be kept is refused now, not after training
        except ValueError as exc:
            dialogs.warn(
                self,
                translate("MainWindow", "Cannot retrain"),
                translate("MainWindow", "The training settings are invalid."),
                str(exc),
            )
            return
        recipe = translate("MainWindow", "Recipe: {recipe}.").format(recipe=text)
        meanwhile = translate(
            "MainWindow",
            "The current model keeps reading your drawings until the new one is trained, "
            "checked and saved. You can cancel at any time.",
        )
        if dialogs.ask(
            self,
            translate("MainWindow", "Retrain the network?"),
            translate("MainWindow", "Train a new network on MNIST?"),
            f"{recipe}\n\n{meanwhile}",
            yes=translate("MainWindow", "Retrain"),
        ):
            self.session.start_training()

    @Slot(bool)
    def on_networkDock_visibilityChanged(self, visible: bool) -> None:
        name_dock_tabs(self)
        self.session.reading.set_layers_wanted(visible)
        if visible:
            self._fit_dock(self.network_dock)
            shown = self.session.reading.latest_reading()
            if shown is not None and shown.layers is not None:
                self.network_view.set_layers(shown.layers, provisional=shown.provisional)
            elif shown is None:
                self.network_view.clear()

    @Slot(bool)
    def on_trainingDock_visibilityChanged(self, visible: bool) -> None:
        name_dock_tabs(self)
        if not visible:
            return
        if self.training_chart is None:
            from digitpad.gui.training_chart import TrainingChart

            self.training_chart = TrainingChart(self.session.history)
            self.training_dock.setWidget(self.training_chart)
        self._fit_dock(self.training_dock)
        self.training_chart.refresh()

    def _fit_dock(self, dock: QDockWidget) -> None:
        """Grow the window so a newly shown dock does not squeeze the canvas."""
        if not (self.isMaximized() or self.isFullScreen() or not self.isVisible()):
            wanted = self.centralWidget().minimumSizeHint().height() + DOCK_HEIGHT + 80
            if self.height() < wanted:
                screen = self.screen().availableGeometry() if self.screen() else None
                self.resize(self.width(), min(wanted, screen.height() if screen else wanted))
        # After the dock is laid out (resizing it before has no effect).
        QTimer.singleShot(0, lambda: self._size_dock(dock))

    def _size_dock(self, dock: QDockWidget) -> None:
        if dock.isVisible():
            self.resizeDocks([dock], [DOCK_HEIGHT], Qt.Orientation.Vertical)

    @Slot()
    def on_actionOpen_triggered(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self, translate("MainWindow", "Open a digit image"), "", image_filter()
        )
        if path:
            self.open_image(path)

    @Slot()
    def on_actionSave_triggered(self) -> None:
        path, _ = QFileDialog.getSaveFileName(
            self,
            translate("MainWindow", "Save the drawing"),
            "digit.png",
            "{name} (*.png)".format(name=translate("MainWindow", "PNG image")),
        )
        if not path:
            return
        if not path.lower().endswith(".png"):
            path += ".png"
        try:
            self.canvas.save_png(path)
        except OSError as exc:
            dialogs.warn(
                self,
                translate("MainWindow", "Cannot save the drawing"),
                translate("MainWindow", "Could not write {path} ({error}).").format(
                    path=path, error=exc.strerror or exc
                ),
                translate(
                    "MainWindow",
                    "Nothing on disk was changed. Check that the folder is writable and the "
                    "disk has room, then save again.",
                ),
            )

    @Slot(bool)
    def on_actionDarkInk_triggered(self, checked: bool) -> None:
        self.canvas.set_dark_ink(checked)
        self._settings.setValue(SETTINGS_DARK_INK, bool(checked))

    def _set_pen_width(self, width: float, save: bool = True) -> None:
        self.canvas.set_pen_width(width)
        width = self.canvas.pen_width()
        if self.pen_slider.value() != round(width):
            self.pen_slider.blockSignals(True)
            self.pen_slider.setValue(round(width))
            self.pen_slider.blockSignals(False)
        self.menu_actions.check_pen_width(width)
        if save:
            self._settings.setValue(SETTINGS_PEN_WIDTH, width)

    @Slot()
    def on_actionModelInfo_triggered(self) -> None:
        history = self.session.history
        if dialogs.show_model_info(
            self,
            self.session.manifest(),
            provisional=self.session.state is ModelState.LEARNING,
            training_html=history.epochs_html(),
            offer_chart=not history.is_empty(),
            memory=self.teaching.memory_state(),
        ):
            self.show_training_chart()

    @Slot()
    def on_actionAbout_triggered(self) -> None:
        text = translate(
            "MainWindow",
            "<p>Draw a digit; a LeNet convolutional network trained on MNIST reads "
            "it as you draw.</p><p>The small square shows the 28 × 28 image the "
            "network actually sees: your drawing cropped, scaled into a 20 × 20 box "
            "and centred by its centre of mass, the way MNIST was made.</p>"
            "<p>MIT licence.</p>",
        )
        QMessageBox.about(
            self,
            translate("MainWindow", "About digitpad"),
            f"<h3>digitpad {__version__}</h3>{text}",
        )

    def _warn(self, title: str, text: str) -> None:
        first, _, rest = text.partition("\n\n")
        dialogs.warn(self, title, first, rest)

    def _mnist_source(self) -> str | None:
        if self._mnist_override:
            return self._mnist_override
        env = paths.mnist_source()
        if env is not None:
            return str(env)
        saved = self._settings.value(SETTINGS_MNIST, "")
        return str(saved) if saved else None

    # -- shutdown ---------------------------------------------------------------------

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: D102
        # Its size and place, for the next start (saved by shutdown's sync).
        self._settings.setValue(SETTINGS_GEOMETRY, self.saveGeometry())
        # Hidden before the wait: the worker may be importing TensorFlow, which
        # cannot be interrupted (seconds), and a window that stays on screen
        # meanwhile looks frozen.
        self.hide()
        self.shutdown()
        super().closeEvent(event)

    def shutdown(self) -> None:
        """Stop the training process and the inference worker (waits, bounded)."""
        if self.evaluation_dialog is not None:
            self.evaluation_dialog.close()
        self._settings.sync()
        self.session.shutdown()


def _as_bool(value: Any) -> bool:
    if isinstance(value, str):
        return value.strip().lower() in ("1", "true", "yes")
    return bool(value)
