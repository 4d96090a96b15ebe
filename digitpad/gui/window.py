"""The main window: menus, layout, status bar, and the wiring between them.

Flow: the canvas reports ink changes; the window turns the canvas's model
image into the 28 x 28 input (``digitpad.drawing.mnist_format.to_mnist``, a fraction
of a millisecond on this thread), shows it in the preview and sends it to
the inference worker, at most one request in flight and the latest drawing
winning; answers fill the bars. With View > Saliency Overlay on, the same
request also carries the canvas image, and the worker answers with the
saliency map drawn over the ink as well. Training runs on its own worker; its
snapshots and its final weights are handed to the inference worker, so the
model in use is never the one being trained.

Teaching (see :mod:`digitpad.gui.corrections`): a key 0-9 or a click on a bar
keeps the drawing as an example of that digit; Model > Adapt to My
Handwriting fine-tunes on those examples on the training worker and, when
the result is adopted, installs the personal network; Model > Use Base
Network / Use My Personal Network switch between the two cached entries.
The big digit shows "?" when the calibrated network is not sure or the
drawing is not one digit.
"""

from __future__ import annotations

import logging
import os
import threading
from typing import Any

import numpy as np
from PySide6.QtCore import QSettings, QSize, Qt, QTimer, Signal, Slot
from PySide6.QtGui import QAction, QActionGroup, QCloseEvent, QColor, QFont, QKeySequence
from PySide6.QtWidgets import (
    QDockWidget,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QLayout,
    QMainWindow,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QSizePolicy,
    QSlider,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

from digitpad import __version__
from digitpad.drawing.mnist_format import to_mnist
from digitpad.drawing.shape_check import check_one_digit
from digitpad.gui import dialogs, icons
from digitpad.gui.bars import PredictionBars
from digitpad.gui.canvas import MAX_PEN_WIDTH, MIN_PEN_WIDTH, DrawingCanvas
from digitpad.gui.corrections import CorrectionRecorder
from digitpad.gui.network_view import NetworkView
from digitpad.gui.preview import ModelInputView
from digitpad.gui.training_chart import TrainingHistory
from digitpad.gui.workers import InferenceWorker, TrainingWorker, start_worker, stop_thread
from digitpad.net.adoption import MIN_SAMPLES
from digitpad.net.calibration import Calibration, reading
from digitpad.storage import paths
from digitpad.storage.model_store import ModelStore
from digitpad.storage.samples import SampleError

log = logging.getLogger(__name__)

#: While drawing, predictions are asked for at most this often.
PREDICT_INTERVAL_MS = 50
#: Height the network view and training chart docks open with.
DOCK_HEIGHT = 240
SETTINGS_MNIST = "mnist/source"
SETTINGS_DARK_INK = "view/darkInk"
SETTINGS_PEN_WIDTH = "view/penWidth"
SETTINGS_SALIENCY = "view/saliency"
#: How long status-bar hints about the saliency overlay stay (ms).
SALIENCY_HINT_MS = 10_000

IMAGE_FILTER = "Images (*.png *.jpg *.jpeg *.bmp *.gif *.webp *.tif *.tiff);;All files (*)"


class MainWindow(QMainWindow):
    """digitpad's window: draw a digit, watch the network read it.

    Signals:
        model_ready: a trained, verified model is in use and predicting.
        predictionShown: the bars were updated with a new prediction.
        saliencyShown: the saliency overlay was updated for a new prediction.
        trainingProgressed(fraction): a training run reported progress.
    """

    model_ready = Signal()
    predictionShown = Signal()
    saliencyShown = Signal()
    trainingProgressed = Signal(float)
    # Requests to the workers (queued to their threads).
    _loadRequested = Signal()
    _predictRequested = Signal(int, object)
    _predictSaliencyRequested = Signal(int, object, object)
    _saliencyRequested = Signal(bool)
    _installRequested = Signal(object, object, bool)
    _trainRequested = Signal(object, object, object)
    _adaptRequested = Signal(object, object, object)
    _switchRequested = Signal(str)
    _evaluateRequested = Signal(object, object)

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
        self._state = "loading"  # loading | ready | learning | none | failed
        self._manifest: dict[str, Any] | None = None
        self._provisional = False
        self._predicting = False  # the inference worker has weights
        self._training = False
        self._cancel: threading.Event | None = None
        self._first_launch = False
        self._request_id = 0
        self._in_flight = False
        self._pending = False
        self._latest: np.ndarray | None = None
        self._latest_ink: np.ndarray | None = None
        self._saliency_traced = False  # the worker can compute saliency
        self._closing = False
        self._progress_text = ""
        self._evaluating = False
        self._layers: dict[str, Any] | None = None
        self._job = "train"  # what the training worker is doing: train | adapt
        self._calibration = Calibration()
        self._not_one_digit = ""  # why the drawing is not one digit, if it is not
        self._has_personal = False  # a personal network is cached (see _set_model)
        self.corrections = CorrectionRecorder(parent=self)
        self.corrections.samplesChanged.connect(self.on_corrections_samplesChanged)
        self.my_digits_dialog: Any = None
        self.training_history = TrainingHistory()
        self.training_chart: Any = None  # built when first shown (pyqtgraph is slow to import)
        self.evaluation_dialog: Any = None

        self._build_ui()
        self._build_docks()
        self._build_actions()
        self._restore_settings()
        self._update_actions()
        self._show_state()

        self._throttle = QTimer(self)
        self._throttle.setSingleShot(True)
        self._throttle.setInterval(PREDICT_INTERVAL_MS)
        self._throttle.timeout.connect(self.on_throttle_timeout)

        # Size constraints settle before the native window exists (platforms
        # without size-hint support warn when they change after show()); the
        # minimum is then fixed, so showing a dock never changes it.
        self.layout().activate()
        self.setMinimumSize(self.minimumSizeHint())
        self.layout().setSizeConstraint(QLayout.SizeConstraint.SetNoConstraint)
        self._start_workers()
        # After the window is shown: the TensorFlow import competes for the GIL.
        QTimer.singleShot(0, self._start)

    @Slot()
    def _start(self) -> None:
        # Looked at before the load starts: the loader may quarantine a damaged
        # cache at once, and that must not pass for a first launch.
        first_launch = not ModelStore().has()
        if self.action_show_saliency.isChecked():
            # Queued before the load: the saliency call is traced with the
            # model, before any training can start.
            self._saliencyRequested.emit(True)
        self._loadRequested.emit()
        if first_launch:
            # First launch: load MNIST now, while the other worker imports
            # TensorFlow; the fitting itself waits for that import.
            self._first_launch = True
            self.start_training()

    # -- construction ----------------------------------------------------------

    def _build_ui(self) -> None:
        self.canvas = DrawingCanvas()
        self.canvas.inkChanged.connect(self.on_canvas_inkChanged)
        self.canvas.drawingFinished.connect(self.on_canvas_drawingFinished)
        self.canvas.historyChanged.connect(self._update_actions)

        self.bars = PredictionBars()
        self.bars.setMinimumWidth(250)
        self.bars.digitClicked.connect(self.on_bars_digitClicked)

        caption = QLabel("The network reads")
        caption.setObjectName("readCaption")
        caption.setAlignment(Qt.AlignmentFlag.AlignHCenter)
        self.digit_label = QLabel("")
        self.digit_label.setObjectName("predictedDigit")
        self.digit_label.setAccessibleName("Predicted digit")
        self.digit_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        font = QFont(self.font())
        font.setPointSizeF(max(48.0, font.pointSizeF() * 6))
        font.setBold(True)
        self.digit_label.setFont(font)
        self.digit_label.setMinimumHeight(int(font.pointSizeF() * 1.6))
        self.reason_label = QLabel("")
        self.reason_label.setObjectName("notSureReason")
        self.reason_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.reason_label.setWordWrap(True)
        self.reason_label.setToolTip(
            'digitpad answers "?" when the network gives its best digit less than '
            "a 90% chance (calibrated on drawings it never trained on), or when "
            "the drawing does not look like one digit."
        )
        self.learning_label = QLabel("still learning")
        self.learning_label.setObjectName("stillLearning")
        self.learning_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.learning_label.setStyleSheet(
            "QLabel { color: white; background: rgb(230,145,30); border-radius: 8px;"
            " padding: 2px 10px; font-weight: bold; }"
        )
        self.learning_label.setVisible(False)

        self.preview = ModelInputView()
        preview_caption = QLabel("What the model sees (28 × 28)")
        preview_caption.setObjectName("previewCaption")
        preview_caption.setAlignment(Qt.AlignmentFlag.AlignHCenter)

        side = QVBoxLayout()
        side.setSpacing(6)
        side.addWidget(caption)
        side.addWidget(self.digit_label)
        side.addWidget(self.reason_label)
        side.addWidget(self.learning_label, 0, Qt.AlignmentFlag.AlignHCenter)
        side.addSpacing(6)
        side.addWidget(self.bars)
        side.addStretch(1)
        side.addWidget(preview_caption)
        side.addWidget(self.preview, 0, Qt.AlignmentFlag.AlignHCenter)

        panel = QWidget()
        panel.setObjectName("sidePanel")
        panel.setLayout(side)
        panel.setFixedWidth(280)

        central = QWidget()
        layout = QHBoxLayout(central)
        layout.setContentsMargins(12, 12, 12, 12)
        layout.setSpacing(16)
        layout.addWidget(self.canvas, 1)
        layout.addWidget(panel, 0)
        self.setCentralWidget(central)

        status = self.statusBar()
        status.setObjectName("statusBar")
        self.state_label = QLabel()
        self.state_label.setObjectName("modelState")
        # Long texts are elided by the status bar, never widen the window.
        self.state_label.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        status.addWidget(self.state_label, 1)
        self.progress_bar = QProgressBar()
        self.progress_bar.setObjectName("trainingProgress")
        self.progress_bar.setRange(0, 100)
        self.progress_bar.setFixedWidth(160)
        self.progress_bar.setVisible(False)
        self.cancel_button = QPushButton("Cancel")
        self.cancel_button.setObjectName("cancelTraining")
        self.cancel_button.setVisible(False)
        self.cancel_button.clicked.connect(self.on_cancel_clicked)
        # Showing or hiding these must not change the window's minimum size.
        for widget in (
            self.progress_bar,
            self.cancel_button,
            self.learning_label,
            self.reason_label,
        ):
            policy = widget.sizePolicy()
            policy.setRetainSizeWhenHidden(True)
            widget.setSizePolicy(policy)
        status.addPermanentWidget(self.progress_bar)
        status.addPermanentWidget(self.cancel_button)

    def _build_docks(self) -> None:
        self.network_view = NetworkView()
        self.network_dock = QDockWidget("Network: what each layer computes", self)
        self.network_dock.setObjectName("networkDock")
        self.network_dock.setWidget(self.network_view)
        self.training_dock = QDockWidget("Training", self)
        self.training_dock.setObjectName("trainingDock")
        placeholder = QLabel("")
        placeholder.setObjectName("trainingChartPlaceholder")
        self.training_dock.setWidget(placeholder)
        for dock in (self.network_dock, self.training_dock):
            dock.setAllowedAreas(
                Qt.DockWidgetArea.BottomDockWidgetArea | Qt.DockWidgetArea.TopDockWidgetArea
            )
            dock.setFeatures(
                QDockWidget.DockWidgetFeature.DockWidgetClosable
                | QDockWidget.DockWidgetFeature.DockWidgetMovable
            )
            self.addDockWidget(Qt.DockWidgetArea.BottomDockWidgetArea, dock)
            dock.hide()
        self.tabifyDockWidget(self.network_dock, self.training_dock)
        self.network_dock.visibilityChanged.connect(self.on_networkDock_visibilityChanged)
        self.training_dock.visibilityChanged.connect(self.on_trainingDock_visibilityChanged)

    def _action(
        self,
        name: str,
        text: str,
        slot: Any,
        shortcut: Any = None,
        icon: str | None = None,
        tip: str = "",
    ) -> QAction:
        action = QAction(text, self)
        action.setObjectName(name)
        if shortcut is not None:
            if isinstance(shortcut, list):
                action.setShortcuts(shortcut)
            else:
                action.setShortcut(shortcut)
        if icon:
            action.setIcon(icons.icon(icon))
        if tip:
            action.setStatusTip(tip)
            action.setToolTip(tip)
        action.triggered.connect(slot)
        return action

    def _build_actions(self) -> None:
        key = QKeySequence
        self.action_open = self._action(
            "actionOpen",
            "&Open Image…",
            self.on_actionOpen_triggered,
            key.StandardKey.Open,
            "open",
            "Show a digit image and read it",
        )
        self.action_save = self._action(
            "actionSave",
            "&Save Drawing…",
            self.on_actionSave_triggered,
            key.StandardKey.Save,
            "save",
            "Save the drawing as a PNG image",
        )
        self.action_quit = self._action("actionQuit", "&Quit", self.close, key.StandardKey.Quit)
        self.action_undo = self._action(
            "actionUndo",
            "&Undo Stroke",
            self.canvas.undo,
            key("Ctrl+Z"),
            "undo",
            "Undo the last stroke (Ctrl+Z)",
        )
        self.action_redo = self._action(
            "actionRedo",
            "&Redo Stroke",
            self.canvas.redo,
            [key("Ctrl+Shift+Z"), key("Ctrl+Y")],
            "redo",
            "Redo the stroke (Ctrl+Shift+Z)",
        )
        self.action_clear = self._action(
            "actionClear",
            "&Clear",
            self.canvas.clear,
            [key(Qt.Key.Key_Escape), key(Qt.Key.Key_Delete)],
            "clear",
            "Clear the drawing (Esc)",
        )
        self.action_dark_ink = self._action(
            "actionDarkInk", "&Dark Ink on Light Paper", self.on_actionDarkInk_toggled
        )
        self.action_dark_ink.setCheckable(True)
        self.action_retrain = self._action(
            "actionRetrain",
            "&Retrain…",
            self.on_actionRetrain_triggered,
            None,
            None,
            "Train a new network on MNIST",
        )
        self.action_cancel = self._action(
            "actionCancelTraining", "&Cancel Training", self.on_cancel_clicked
        )
        self.action_info = self._action(
            "actionModelInfo", "Model &Info…", self.on_actionModelInfo_triggered
        )
        self.action_evaluate = self._action(
            "actionEvaluate",
            "&Evaluate on the Test Set…",
            self.on_actionEvaluate_triggered,
            None,
            None,
            "Read the 10,000 MNIST test digits: accuracy, confusion matrix, mistakes",
        )
        self.action_adapt = self._action(
            "actionAdapt",
            "&Adapt to My Handwriting…",
            self.on_actionAdapt_triggered,
            None,
            None,
            "Fine-tune the network on the drawings you corrected (keys 0-9 or a "
            "click on a bar keep them)",
        )
        self.action_my_digits = self._action(
            "actionMyDigits",
            "My &Digits…",
            self.on_actionMyDigits_triggered,
            None,
            None,
            "The drawings you corrected, per digit",
        )
        self.action_use_base = self._action(
            "actionUseBase",
            "Use &Base Network",
            lambda: self.use_network("base"),
            None,
            None,
            "Read with the network trained on MNIST and the bundled pen digits",
        )
        self.action_use_personal = self._action(
            "actionUsePersonal",
            "Use My &Personal Network",
            lambda: self.use_network("personal"),
            None,
            None,
            "Read with the network adapted to your handwriting",
        )
        self._network_group = QActionGroup(self)
        for action in (self.action_use_base, self.action_use_personal):
            action.setCheckable(True)
            self._network_group.addAction(action)
        self.action_use_base.setChecked(True)
        for digit in range(10):
            # Typing a digit says what the drawing is (window-wide, no menu).
            action = self._action(
                f"actionCorrect{digit}",
                f"It Is a {digit}",
                lambda _checked=False, d=digit: self.correct(d),
                QKeySequence(str(digit)),
            )
            action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
            self.addAction(action)
        self.action_show_network = self.network_dock.toggleViewAction()
        self.action_show_network.setObjectName("actionShowNetwork")
        self.action_show_network.setText("&Network View")
        self.action_show_network.setShortcut(QKeySequence("Ctrl+1"))
        self.action_show_network.setStatusTip("Show what each layer of the network computes")
        self.action_show_training = self.training_dock.toggleViewAction()
        self.action_show_training.setObjectName("actionShowTraining")
        self.action_show_training.setText("&Training Chart")
        self.action_show_training.setShortcut(QKeySequence("Ctrl+2"))
        self.action_show_training.setStatusTip("Show the loss and accuracy of the training run")
        self.action_show_saliency = self._action(
            "actionShowSaliency",
            "&Saliency Overlay",
            self.on_actionShowSaliency_triggered,
            QKeySequence("Ctrl+3"),
            None,
            "Colour the ink by how it pushed the prediction: orange raised the "
            "digit read, blue lowered it",
        )
        self.action_show_saliency.setCheckable(True)
        self.action_about = self._action(
            "actionAbout", "&About digitpad", self.on_actionAbout_triggered
        )

        menu = self.menuBar()
        file_menu = menu.addMenu("&File")
        file_menu.addActions([self.action_open, self.action_save])
        file_menu.addSeparator()
        file_menu.addAction(self.action_quit)
        edit_menu = menu.addMenu("&Edit")
        edit_menu.addActions([self.action_undo, self.action_redo])
        edit_menu.addSeparator()
        edit_menu.addAction(self.action_clear)
        view_menu = menu.addMenu("&View")
        view_menu.addActions(
            [self.action_show_network, self.action_show_training, self.action_show_saliency]
        )
        view_menu.addSeparator()
        view_menu.addAction(self.action_dark_ink)
        pen_menu = view_menu.addMenu("&Pen Width")
        self._pen_group = QActionGroup(self)
        self._pen_actions: dict[float, QAction] = {}
        for label, width in (("&Thin", 12.0), ("&Medium", 18.0), ("T&hick", 26.0)):
            action = QAction(label, self, checkable=True)
            action.setObjectName(f"actionPen{label.replace('&', '')}")
            action.setData(width)
            action.triggered.connect(lambda _checked=False, w=width: self._set_pen_width(w))
            self._pen_group.addAction(action)
            pen_menu.addAction(action)
            self._pen_actions[width] = action
        model_menu = menu.addMenu("&Model")
        model_menu.addActions([self.action_retrain, self.action_cancel])
        model_menu.addSeparator()
        model_menu.addActions([self.action_adapt, self.action_my_digits])
        model_menu.addSeparator()
        model_menu.addActions([self.action_use_base, self.action_use_personal])
        model_menu.addSeparator()
        model_menu.addActions([self.action_evaluate, self.action_info])
        help_menu = menu.addMenu("&Help")
        help_menu.addAction(self.action_about)

        toolbar = QToolBar("Drawing")
        toolbar.setObjectName("drawingToolBar")
        toolbar.setMovable(False)
        toolbar.setIconSize(QSize(20, 20))
        toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        toolbar.addActions([self.action_undo, self.action_redo, self.action_clear])
        toolbar.addSeparator()
        toolbar.addWidget(QLabel(" Pen "))
        self.pen_slider = QSlider(Qt.Orientation.Horizontal)
        self.pen_slider.setObjectName("penWidth")
        self.pen_slider.setAccessibleName("Pen width")
        self.pen_slider.setRange(int(MIN_PEN_WIDTH), int(MAX_PEN_WIDTH))
        self.pen_slider.setFixedWidth(120)
        self.pen_slider.valueChanged.connect(self.on_penSlider_valueChanged)
        toolbar.addWidget(self.pen_slider)
        toolbar.addSeparator()
        toolbar.addActions([self.action_open, self.action_save])
        self.addToolBar(toolbar)
        # Shortcuts work wherever focus is (the canvas takes focus when clicked).
        for action in (self.action_undo, self.action_redo, self.action_clear):
            action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)

    def _restore_settings(self) -> None:
        dark = _as_bool(self._settings.value(SETTINGS_DARK_INK, False))
        self.action_dark_ink.setChecked(dark)
        self.canvas.set_dark_ink(dark)
        try:
            width = float(self._settings.value(SETTINGS_PEN_WIDTH, self.canvas.pen_width()))
        except (TypeError, ValueError):
            width = self.canvas.pen_width()
        self._set_pen_width(width, save=False)
        self.action_show_saliency.setChecked(
            _as_bool(self._settings.value(SETTINGS_SALIENCY, False))
        )

    def _start_workers(self) -> None:
        self._inference = InferenceWorker()
        self._inference.loaded.connect(self.on_inference_loaded)
        self._inference.noModel.connect(self.on_inference_noModel)
        self._inference.corrupt.connect(self.on_inference_corrupt)
        self._inference.loadFailed.connect(self.on_inference_loadFailed)
        self._inference.installed.connect(self.on_inference_installed)
        self._inference.installFailed.connect(self.on_inference_installFailed)
        self._inference.analysed.connect(self.on_inference_analysed)
        self._inference.predicted.connect(self.on_inference_predicted)
        self._inference.predictFailed.connect(self.on_inference_predictFailed)
        self._inference.evaluated.connect(self.on_inference_evaluated)
        self._inference.evaluateFailed.connect(self.on_inference_evaluateFailed)
        self._evaluateRequested.connect(self._inference.evaluate)
        self._loadRequested.connect(self._inference.load)
        self._predictRequested.connect(self._inference.predict)
        self._predictSaliencyRequested.connect(self._inference.predict_with_saliency)
        self._saliencyRequested.connect(self._inference.set_saliency)
        self._inference.saliencyComputed.connect(self.on_inference_saliencyComputed)
        self._inference.saliencyTraced.connect(self.on_inference_saliencyTraced)
        self._inference.saliencyDeferred.connect(self.on_inference_saliencyDeferred)
        self._inference.saliencyFailed.connect(self.on_inference_saliencyFailed)
        self._installRequested.connect(self._inference.install)
        self._switchRequested.connect(self._inference.switch)
        self._inference.notice.connect(self.on_inference_notice)
        self._inference_thread = start_worker(self._inference, "digitpad-inference")

        self._trainer = TrainingWorker()
        self._trainer.phase.connect(self.on_trainer_phase)
        self._trainer.started.connect(self.on_trainer_started)
        self._trainer.progress.connect(self.on_trainer_progress)
        self._trainer.batchPoints.connect(self.on_trainer_batchPoints)
        self._trainer.epochEnded.connect(self.on_trainer_epochEnded)
        self._trainer.snapshot.connect(self.on_trainer_snapshot)
        self._trainer.finished.connect(self.on_trainer_finished)
        self._trainer.cancelled.connect(self.on_trainer_cancelled)
        self._trainer.mnistMissing.connect(self.on_trainer_mnistMissing)
        self._trainer.failed.connect(self.on_trainer_failed)
        self._trainRequested.connect(self._trainer.train)
        self._trainer.adapted.connect(self.on_trainer_adapted)
        self._adaptRequested.connect(self._trainer.adapt)
        self._training_thread = start_worker(self._trainer, "digitpad-training")

    # -- public API --------------------------------------------------------------

    def is_model_ready(self) -> bool:
        """Whether a trained, verified model is in use (not a snapshot)."""
        return self._state == "ready"

    def model_state(self) -> str:
        """``loading``, ``ready``, ``learning`` (snapshots), ``none`` or ``failed``."""
        return self._state

    def is_training(self) -> bool:
        """Whether a training run is going on."""
        return self._training

    def manifest(self) -> dict[str, Any] | None:
        """The manifest of the model in use (``None`` before one is ready)."""
        return None if self._manifest is None else dict(self._manifest)

    def is_prediction_pending(self) -> bool:
        """Whether the drawing on screen still awaits its prediction."""
        return self._in_flight or self._pending or self._throttle.isActive()

    def status_text(self) -> str:
        """The model-state text of the status bar."""
        return self.state_label.text()

    def start_training(self) -> bool:
        """Train a new network in the background (no confirmation).

        Returns:
            ``False`` if a run is already going on.
        """
        if self._training or self._closing:
            return False
        self._begin_job("train", "Preparing training…")
        self.training_history.reset("Preparing training…")
        if self.training_chart is not None:
            self.training_chart.refresh()
        self._trainRequested.emit(self._mnist_source(), self._cancel, self._inference.tf_ready)
        return True

    def start_adapting(self) -> bool:
        """Adapt to the user's corrected drawings in the background (no questions).

        Returns:
            ``False`` if a training run or adaptation is going on, or there is
            no trained base network yet.
        """
        if self._training or self._closing or self._state != "ready":
            return False
        self._begin_job("adapt", "Preparing to adapt…")
        self._adaptRequested.emit(self._mnist_source(), self._cancel, self._inference.tf_ready)
        return True

    def _begin_job(self, job: str, text: str) -> None:
        """Show progress and Cancel for a training-worker job ("train" or "adapt")."""
        self._job = job
        self._training = True
        self._cancel = threading.Event()
        self._progress_text = text
        self.progress_bar.setValue(0)
        self.progress_bar.setVisible(True)
        self.cancel_button.setVisible(True)
        self.cancel_button.setEnabled(True)
        self._update_actions()
        self._show_state()

    def is_adapting(self) -> bool:
        """Whether an adaptation is going on."""
        return self._training and self._job == "adapt"

    def use_network(self, name: str) -> None:
        """Read with the cached network ``name`` ("base" or "personal") from now on."""
        if self._manifest is not None and self._manifest.get("name", "base") == name:
            self._check_network_action()
            return
        self.statusBar().showMessage("Switching network…", 3000)
        self._switchRequested.emit(name)

    def network_name(self) -> str:
        """The cache entry in use: ``"base"`` or ``"personal"`` ("" before one is)."""
        if self._manifest is None:
            return ""
        return str(self._manifest.get("name", "base"))

    def correct(self, digit: int) -> bool:
        """Keep the drawing on the canvas as an example of ``digit``.

        Keys 0-9 and clicks on the bars call this.

        Returns:
            Whether the drawing was kept.
        """
        if self._latest is None:
            self.statusBar().showMessage(
                "Draw a digit first; then type the digit it is (or click its bar) to "
                "teach digitpad your handwriting.",
                8000,
            )
            return False
        predicted = self.bars.top_digit()
        try:
            message = self.corrections.record(
                self._latest,
                digit,
                self.canvas.strokes(),
                self.canvas.pen_width(),
                predicted=predicted,
            )
        except (SampleError, ValueError) as exc:
            dialogs.warn(self, "Could not keep the drawing", "The drawing was not kept.", str(exc))
            return False
        self.statusBar().showMessage(message, 10000)
        return True

    def reason_text(self) -> str:
        """Why the big digit shows "?" ("" when it shows a digit or nothing)."""
        return self.reason_label.text()

    def start_evaluation(self, limit: int | None = None) -> bool:
        """Evaluate the model in use on the MNIST test set (in the background).

        The report opens in its own window when done.

        Args:
            limit: only the first ``limit`` test images (tests); default all.

        Returns:
            ``False`` if there is no model yet or an evaluation is going on.
        """
        if self._evaluating or not self._predicting or self._closing:
            return False
        self._evaluating = True
        self._update_actions()
        count = f"{limit:,}" if limit is not None else "10,000"
        self.statusBar().showMessage(f"Reading the {count} MNIST test digits…")
        self._evaluateRequested.emit(self._mnist_source(), limit)
        return True

    def is_evaluating(self) -> bool:
        """Whether a test-set evaluation is going on."""
        return self._evaluating

    def show_network_view(self, visible: bool = True) -> None:
        """Show (or hide) the network view dock."""
        self.network_dock.setVisible(visible)
        if visible:
            self.network_dock.raise_()

    def show_saliency(self, visible: bool = True) -> None:
        """Turn the saliency overlay on or off (as View > Saliency Overlay does)."""
        if self.action_show_saliency.isChecked() != visible:
            self.action_show_saliency.setChecked(visible)
            self.on_actionShowSaliency_triggered(visible)

    def is_saliency_ready(self) -> bool:
        """Whether the overlay is on and the worker can compute it."""
        return self.action_show_saliency.isChecked() and self._saliency_traced

    def show_training_chart(self, visible: bool = True) -> None:
        """Show (or hide) the training chart dock."""
        self.training_dock.setVisible(visible)
        if visible:
            self.training_dock.raise_()

    def cancel_training(self) -> None:
        """Stop the training run (the model in use stays)."""
        if self._cancel is not None:
            self._cancel.set()
            self._progress_text = "Cancelling…"
            self.cancel_button.setEnabled(False)
            self._show_state()

    # -- drawing and prediction -------------------------------------------------

    @Slot()
    def on_canvas_inkChanged(self) -> None:
        """Ink changed mid-stroke: predict soon (throttled)."""
        if not self._throttle.isActive():
            self._throttle.start()

    @Slot()
    def on_throttle_timeout(self) -> None:
        """The throttle interval passed: predict the drawing as it is now."""
        self._request_prediction()

    @Slot()
    def on_canvas_drawingFinished(self) -> None:
        """A stroke ended (or undo/redo/clear/open): predict now."""
        self._throttle.stop()
        self._request_prediction()

    def _request_prediction(self) -> None:
        ink = self.canvas.ink_array()
        x28 = to_mnist(ink)
        self._latest = x28
        self._latest_ink = ink
        self.preview.set_array(x28)
        if x28 is None:
            self._pending = False
            self._show_no_prediction()
            return
        if not self._predicting:
            return
        if self._in_flight:
            self._pending = True  # sent when the answer in flight comes back
        else:
            self._send(x28)
        # Checked while the worker reads the drawing, not before asking it.
        # An opened image is not canvas strokes: only the side-by-side rule fits it.
        self._not_one_digit = check_one_digit(ink, not self.canvas.has_image()).reason

    def _send(self, x28: np.ndarray) -> None:
        self._request_id += 1
        self._in_flight = True
        self._pending = False
        if self.is_saliency_ready() and self._latest_ink is not None:
            self._predictSaliencyRequested.emit(self._request_id, x28, self._latest_ink)
        else:
            self._predictRequested.emit(self._request_id, x28)

    def _show_no_prediction(self) -> None:
        self.bars.clear()
        self.digit_label.setText("")
        self.reason_label.setText("")
        self._layers = None
        self.network_view.clear()
        self.canvas.set_overlay(None)

    @Slot(int, object)
    def on_inference_analysed(self, request_id: int, layers: Any) -> None:
        """The layers of a prediction (its probabilities follow at once)."""
        if self._latest is None:
            return
        self._layers = layers
        if self.network_dock.isVisible():
            self.network_view.set_layers(layers, provisional=self._provisional)

    @Slot(int, object)
    def on_inference_saliencyComputed(self, request_id: int, saliency: Any) -> None:
        """The saliency of a prediction (its probabilities follow at once)."""
        if self._latest is None or not self.action_show_saliency.isChecked():
            return
        if saliency is None or saliency.rgba is None:
            self.canvas.set_overlay(None)
        else:
            self.canvas.set_overlay(saliency.rgba, saliency_legend(saliency.top))
        self.saliencyShown.emit()

    @Slot(int, object)
    def on_inference_predicted(self, request_id: int, probabilities: Any) -> None:
        """An answer: show it unless the canvas has been cleared since."""
        self._in_flight = False
        if self._latest is None:
            self._show_no_prediction()
            return
        # Shown calibrated: the bars and the "?" tell the same story.
        calibrated = self._calibration.apply(np.asarray(probabilities).reshape(1, -1))[0]
        self.bars.set_probabilities([float(v) for v in calibrated], provisional=self._provisional)
        shown = reading(calibrated, self._calibration, self._not_one_digit)
        self.digit_label.setText(shown.text)
        self.reason_label.setText(shown.reason)
        self.predictionShown.emit()
        if self._pending:
            self._send(self._latest)

    @Slot(int, str)
    def on_inference_predictFailed(self, request_id: int, message: str) -> None:
        """A prediction failed: say so in the status bar, keep going."""
        self._in_flight = False
        self.statusBar().showMessage(f"Could not read the drawing: {message}", 5000)
        if self._pending and self._latest is not None and self._predicting:
            self._send(self._latest)

    # -- saliency overlay -----------------------------------------------------------

    @Slot(bool)
    def on_actionShowSaliency_triggered(self, checked: bool) -> None:
        """View > Saliency Overlay: colour the ink by how it pushed the prediction."""
        self._settings.setValue(SETTINGS_SALIENCY, bool(checked))
        if not checked:
            self.canvas.set_overlay(None)
            self._saliencyRequested.emit(False)
            return
        if self._saliency_traced:
            self._refresh_prediction()
        elif self._training:
            # Preparing it means tracing a TensorFlow function, which must not
            # happen while the training thread is inside fit (it crashed).
            self._show_saliency_deferred()
        else:
            self._saliencyRequested.emit(True)

    @Slot()
    def on_inference_saliencyTraced(self) -> None:
        """The worker can compute saliency: show it for the drawing on the canvas."""
        self._saliency_traced = True
        if self.action_show_saliency.isChecked():
            self._refresh_prediction()

    @Slot()
    def on_inference_saliencyDeferred(self) -> None:
        """Saliency could not be prepared during training: try when it ends."""
        self._saliency_traced = False
        if self.action_show_saliency.isChecked():
            self._show_saliency_deferred()

    @Slot(str)
    def on_inference_saliencyFailed(self, message: str) -> None:
        """Saliency could not be prepared: say so; predictions go on without it."""
        self._saliency_traced = False
        self.statusBar().showMessage(
            f"The saliency overlay is not available: {message}", SALIENCY_HINT_MS
        )

    def _show_saliency_deferred(self) -> None:
        self.statusBar().showMessage(
            "The saliency overlay appears when training ends.", SALIENCY_HINT_MS
        )

    def _refresh_prediction(self) -> None:
        """Ask again for the drawing on the canvas (e.g. to get its overlay)."""
        if not self._closing and (self._latest is not None or not self.canvas.is_blank()):
            self._request_prediction()

    # -- model life cycle ---------------------------------------------------------

    @Slot(object)
    def on_inference_evaluated(self, report: Any) -> None:
        """The test-set report is ready: show it."""
        self._evaluating = False
        self._update_actions()
        self.statusBar().clearMessage()
        if self._closing:
            return
        from digitpad.gui.evaluation_dialog import EvaluationDialog

        if self.evaluation_dialog is None:
            self.evaluation_dialog = EvaluationDialog(self)
        note = "a partly trained network (still learning)" if self._provisional else ""
        self.evaluation_dialog.set_report(report, note)
        if self.evaluation_dialog.isVisible():
            self.evaluation_dialog.raise_()
        else:
            # Size constraints settle before the native window exists.
            self.evaluation_dialog.layout().activate()
            self.evaluation_dialog.show()

    @Slot(str)
    def on_inference_evaluateFailed(self, message: str) -> None:
        """The evaluation failed: say why."""
        self._evaluating = False
        self._update_actions()
        self.statusBar().clearMessage()
        if not self._closing:
            dialogs.warn(
                self, "Could not evaluate", "The test-set report could not be made.", message
            )

    @Slot()
    def on_actionEvaluate_triggered(self) -> None:
        """Model > Evaluate on the Test Set…."""
        self.start_evaluation()

    @Slot(bool)
    def on_networkDock_visibilityChanged(self, visible: bool) -> None:
        """The network view was shown or hidden: catch it up with the drawing."""
        if visible:
            self._fit_dock(self.network_dock)
            # After the dock is laid out (resizing it before has no effect).
            QTimer.singleShot(0, lambda: self._size_dock(self.network_dock))
            if self._layers is not None:
                self.network_view.set_layers(self._layers, provisional=self._provisional)
            else:
                self.network_view.clear()

    @Slot(bool)
    def on_trainingDock_visibilityChanged(self, visible: bool) -> None:
        """The training chart was shown: build it the first time (imports pyqtgraph)."""
        if not visible:
            return
        if self.training_chart is None:
            from digitpad.gui.training_chart import TrainingChart

            self.training_chart = TrainingChart(self.training_history)
            self.training_dock.setWidget(self.training_chart)
        self._fit_dock(self.training_dock)
        QTimer.singleShot(0, lambda: self._size_dock(self.training_dock))
        self.training_chart.refresh()

    def _size_dock(self, dock: QDockWidget) -> None:
        if not self._closing and dock.isVisible():
            self.resizeDocks([dock], [DOCK_HEIGHT], Qt.Orientation.Vertical)

    def _fit_dock(self, dock: QDockWidget) -> None:
        """Grow the window so a newly shown dock does not squeeze the canvas."""
        if self.isMaximized() or self.isFullScreen() or not self.isVisible():
            return
        wanted = self.centralWidget().minimumSizeHint().height() + DOCK_HEIGHT + 80
        if self.height() < wanted:
            screen = self.screen().availableGeometry() if self.screen() else None
            limit = screen.height() if screen is not None else wanted
            self.resize(self.width(), min(wanted, limit))

    @Slot(object)
    def on_inference_loaded(self, manifest: dict[str, Any]) -> None:
        """The cached model is loaded and predicting."""
        self._set_model(manifest, provisional=False)

    @Slot(object, bool)
    def on_inference_installed(self, manifest: Any, provisional: bool) -> None:
        """New weights are in use (a snapshot or a finished run)."""
        if provisional and not self._training:
            return  # a late snapshot after the run ended: a final model follows
        self._set_model(manifest if not provisional else None, provisional=provisional)

    def _set_model(self, manifest: dict[str, Any] | None, provisional: bool) -> None:
        self._predicting = True
        self._provisional = provisional
        if not provisional:
            self._manifest = manifest
            self._state = "ready"
            self._calibration = Calibration.from_manifest(manifest)
            self._check_network_action()
        elif self._state != "ready":
            self._state = "learning"
            self._calibration = Calibration()  # a snapshot: not calibrated
        self.learning_label.setVisible(self._state == "learning")
        self._show_state()
        self._update_actions()
        if not provisional:
            self.model_ready.emit()
        # What is on the canvas now deserves an answer from the new model.
        if self._latest is not None or not self.canvas.is_blank():
            self._request_prediction()

    def _check_network_action(self) -> None:
        # Only a load, a switch or an adaptation changes the cache: looked at
        # here, not on every stroke (_update_actions runs on each one).
        self._has_personal = ModelStore().has("personal")
        personal = self.network_name() == "personal"
        self.action_use_personal.setChecked(personal)
        self.action_use_base.setChecked(not personal)

    @Slot(str)
    def on_inference_notice(self, message: str) -> None:
        """Something the user should know about the network in use."""
        self.statusBar().showMessage(message, 15000)
        log.warning("%s", message)

    @Slot(str)
    def on_inference_noModel(self, message: str) -> None:
        """First launch: nothing cached, so train one (maybe already started)."""
        if self._state == "loading":
            self._state = "none"
        self._first_launch = True
        self._show_state()
        self._update_actions()
        if not self._training:
            self.start_training()

    @Slot(str)
    def on_inference_corrupt(self, message: str) -> None:
        """The cache failed verification: say so and offer to retrain."""
        self._state = "none"
        self._show_state()
        self._update_actions()  # Retrain stays possible when the offer is declined
        if dialogs.ask(
            self,
            "The saved model is damaged",
            "The saved network failed its integrity check and was not loaded.",
            f"{message}\n\nTrain a new network now? It takes a few minutes; you can "
            "draw meanwhile.",
            yes="Retrain",
        ):
            self._first_launch = True
            self.start_training()
        else:
            self._show_state()

    @Slot(str)
    def on_inference_loadFailed(self, message: str) -> None:
        """Loading failed for another reason: tell the user; Retrain stays possible."""
        self._state = "failed"
        self._show_state()
        self._update_actions()
        dialogs.warn(
            self,
            "Could not load the model",
            "The network could not be loaded.",
            f"{message}\n\nModel > Retrain… trains a new one.",
        )

    @Slot(str)
    def on_inference_installFailed(self, message: str) -> None:
        """New weights could not be used: the previous model stays."""
        self._check_network_action()
        self._update_actions()
        self.statusBar().showMessage(f"Could not use the new weights: {message}", 8000)

    # -- training -----------------------------------------------------------------

    @Slot()
    def on_actionRetrain_triggered(self) -> None:
        """Model > Retrain…: confirm, then train in the background."""
        if self._training:
            return
        try:
            from digitpad.net.training import recipe_from_env

            recipe_text = recipe_from_env().describe()
        except ValueError as exc:
            dialogs.warn(self, "Cannot retrain", "The training settings are invalid.", str(exc))
            return
        if dialogs.ask(
            self,
            "Retrain the network?",
            "Train a new network on MNIST?",
            f"Recipe: {recipe_text}.\n\nThe current model keeps reading your drawings "
            "until the new one is trained, checked and saved. You can cancel at any time.",
            yes="Retrain",
        ):
            self._first_launch = False
            self.start_training()

    @Slot()
    def on_cancel_clicked(self) -> None:
        """The Cancel button or Model > Cancel Training."""
        self.cancel_training()

    @Slot(str)
    def on_trainer_phase(self, text: str) -> None:
        """The trainer says what it is doing."""
        self._progress_text = text
        self._show_state()

    @Slot(str)
    def on_trainer_started(self, recipe_text: str) -> None:
        """Fitting starts."""
        self._progress_text = f"Training ({recipe_text})…"
        self._show_state()
        self.training_history.title = f"Training {recipe_text}"
        if self.training_chart is not None:
            self.training_chart.refresh()

    @Slot(object)
    def on_trainer_batchPoints(self, points: Any) -> None:
        """Per-batch loss and accuracy for the training chart."""
        self.training_history.add_batches(points)
        if self.training_chart is not None:
            self.training_chart.refresh()

    @Slot(int, object)
    def on_trainer_epochEnded(self, epoch: int, logs: Any) -> None:
        """An epoch ended: its figures (and validation) for the training chart."""
        self.training_history.add_epoch(epoch, logs)
        if self.training_chart is not None:
            self.training_chart.refresh()

    @Slot(object)
    def on_trainer_progress(self, progress: Any) -> None:
        """Progress: percent, epoch and ETA in the status bar."""
        if self._cancel is not None and self._cancel.is_set():
            return
        percent = int(progress.fraction * 100)
        self.progress_bar.setValue(percent)
        eta = f" · ETA {_clock(progress.eta_s)}" if progress.eta_s is not None else ""
        if self._job == "adapt":
            self._progress_text = f"Adapting to your handwriting {percent}%{eta}"
        else:
            self._progress_text = (
                f"Training {percent}% · epoch {progress.epoch}/{progress.epochs}{eta}"
            )
        self._show_state()
        self.trainingProgressed.emit(float(progress.fraction))

    @Slot(object, object)
    def on_trainer_snapshot(self, weights: list[np.ndarray], progress: Any) -> None:
        """A snapshot of the network in training: predict with it if nothing better."""
        if self._state == "ready" or self._cancel is None or self._cancel.is_set():
            return  # a real model is in use: snapshots never replace it
        self._installRequested.emit(weights, None, True)

    @Slot(object, object, str)
    def on_trainer_finished(
        self, weights: list[np.ndarray], manifest: Any, save_error: str
    ) -> None:
        """Trained (and saved unless ``save_error``): swap the new model in."""
        accuracy = manifest.get("test_accuracy")
        self.training_history.finish(
            f"done: {float(accuracy):.2%} on the test set" if accuracy is not None else "done"
        )
        self._end_training()
        self._installRequested.emit(weights, manifest, False)
        accuracy = manifest.get("test_accuracy")
        if save_error:
            dialogs.warn(
                self,
                "The model could not be saved",
                "The new network is in use, but it could not be saved and will be "
                "lost when digitpad closes.",
                save_error,
            )
        elif accuracy is not None:
            self.statusBar().showMessage(
                f"New network trained: {float(accuracy) * 100:.1f}% on MNIST test", 8000
            )

    @Slot()
    def on_trainer_cancelled(self) -> None:
        """Cancelled: the model in use stays."""
        what = "Adapting" if self._job == "adapt" else "Training"
        if self._job == "train":
            self.training_history.finish("cancelled")
        self._end_training()
        self.statusBar().showMessage(f"{what} cancelled; the current model stays.", 6000)

    @Slot(object, object, object, str)
    def on_trainer_adapted(
        self, summary: Any, weights: Any, manifest: Any, save_error: str
    ) -> None:
        """An adaptation ended: install the personal network if adopted; report."""
        self._end_training()
        if weights is not None:
            self._installRequested.emit(weights, manifest, False)
        if self._closing:
            return
        from digitpad.gui.corrections import adapt_report

        title, text, informative = adapt_report(summary, save_error)
        if weights is not None and save_error:
            dialogs.warn(self, title, text, informative)
        else:
            dialogs.inform(self, title, text, informative)

    @Slot()
    def on_actionAdapt_triggered(self) -> None:
        """Model > Adapt to My Handwriting…: explain what is missing, or start."""
        if self._training:
            return
        count = self.corrections.count()
        if count < MIN_SAMPLES:
            dialogs.inform(
                self,
                "Not enough of your drawings yet",
                f"Adapting needs at least {MIN_SAMPLES} of your corrected drawings; "
                f"there {'is' if count == 1 else 'are'} {count}.",
                "When digitpad misreads a drawing, type the right digit (0-9) or "
                "click its bar: the drawing is kept. Five or more of each digit you "
                "write differently work best.",
            )
            return
        self.start_adapting()

    @Slot()
    def on_actionMyDigits_triggered(self) -> None:
        """Model > My Digits…: the stored drawings, per digit, with delete."""
        from digitpad.gui.my_digits import MyDigitsDialog

        if self.my_digits_dialog is None:
            self.my_digits_dialog = MyDigitsDialog(self.corrections.store, self)
            self.my_digits_dialog.samplesChanged.connect(self.on_myDigits_samplesChanged)
        else:
            self.my_digits_dialog.refresh()
        self.my_digits_dialog.show()
        self.my_digits_dialog.activateWindow()

    @Slot()
    def on_myDigits_samplesChanged(self) -> None:
        """Drawings were deleted in My Digits."""
        self.corrections.forget_last()
        self._update_actions()

    @Slot(int)
    def on_corrections_samplesChanged(self, count: int) -> None:
        """A drawing was kept: refresh My Digits and the menu."""
        if self.my_digits_dialog is not None and self.my_digits_dialog.isVisible():
            self.my_digits_dialog.refresh()
        self._update_actions()

    @Slot(int)
    def on_bars_digitClicked(self, digit: int) -> None:
        """A click on a bar: the drawing is that digit."""
        self.correct(digit)

    @Slot(str)
    def on_trainer_mnistMissing(self, message: str) -> None:
        """MNIST could not be loaded: let the user point at a local copy, retry."""
        self._end_training()
        if self._closing:
            return
        source = dialogs.ask_mnist_location(self, message)
        if source:
            self._settings.setValue(SETTINGS_MNIST, source)
            self._settings.sync()
            self._mnist_override = source
            self.start_training()
        else:
            self.statusBar().showMessage("No MNIST copy: Model > Retrain… tries again.", 10000)

    @Slot(str)
    def on_trainer_failed(self, message: str) -> None:
        """Training failed: the model in use stays; tell the user."""
        adapting = self._job == "adapt"
        self._end_training()
        if not self._closing:
            dialogs.warn(
                self,
                "Adapting failed" if adapting else "Training failed",
                "The network could not be adapted to your handwriting."
                if adapting
                else "The new network could not be trained.",
                f"{message}\n\nThe current model, if any, stays in use.",
            )

    def _end_training(self) -> None:
        self._training = False
        self._cancel = None
        self._progress_text = ""
        self.progress_bar.setVisible(False)
        self.cancel_button.setVisible(False)
        if self.action_show_saliency.isChecked() and not self._saliency_traced:
            self._saliencyRequested.emit(True)  # deferred while training ran
        if self._state == "learning":
            # Snapshots stop here; keep predicting with the last one until a
            # final model arrives (success) or forever (cancel: better than none).
            pass
        self._update_actions()
        self._show_state()

    def _mnist_source(self) -> str | None:
        if self._mnist_override:
            return self._mnist_override
        env = paths.mnist_source()
        if env is not None:
            return str(env)
        saved = self._settings.value(SETTINGS_MNIST, "")
        return str(saved) if saved else None

    # -- status ---------------------------------------------------------------------

    def _show_state(self) -> None:
        if self._state == "ready" and self._manifest is not None:
            text = ready_text(self._manifest)
        elif self._state == "learning" and self._training:
            text = "Still learning: predictions come from the network being trained"
        elif self._state == "learning":
            text = "Partly trained network (training stopped): Model > Retrain… to finish"
        elif self._state == "loading":
            text = "Loading the network…"
        elif self._state == "failed":
            text = "No model: Model > Retrain… trains one"
        elif self._training and self._job == "train":
            text = "No model yet: training the first one"
        else:
            text = "No model: Model > Retrain… trains one"
        if self._training and self._progress_text:
            text = f"{text} — {self._progress_text}"
        self.state_label.setText(text)

    def _update_actions(self) -> None:
        self.action_undo.setEnabled(self.canvas.can_undo())
        self.action_redo.setEnabled(self.canvas.can_redo())
        self.action_retrain.setEnabled(not self._training and self._state != "loading")
        self.action_cancel.setEnabled(self._training)
        self.action_evaluate.setEnabled(self._predicting and not self._evaluating)
        self.action_adapt.setEnabled(not self._training and self._state == "ready")
        self.action_use_personal.setEnabled(
            not self._training and self._state == "ready" and self._has_personal
        )
        self.action_use_base.setEnabled(not self._training and self._state == "ready")

    # -- file and view actions ---------------------------------------------------------

    @Slot()
    def on_actionOpen_triggered(self) -> None:
        """File > Open Image…: show a digit image and read it."""
        path, _ = QFileDialog.getOpenFileName(self, "Open a digit image", "", IMAGE_FILTER)
        if path:
            self.open_image(path)

    def open_image(self, path: str) -> bool:
        """Show the image at ``path`` on the canvas and classify it.

        Returns:
            ``False`` (after telling the user why) if it cannot be read.
        """
        from digitpad.drawing.images import ImageError, load_ink

        try:
            ink = load_ink(path)
        except ImageError as exc:
            dialogs.warn(self, "Cannot open the image", "The image could not be read.", str(exc))
            return False
        self.canvas.set_image(ink)
        if self._latest is None:  # set by the prediction request set_image made
            name = os.path.basename(path)
            self.statusBar().showMessage(f"No digit found in {name}: the image is blank.", 8000)
        return True

    @Slot()
    def on_actionSave_triggered(self) -> None:
        """File > Save Drawing…: write the drawing as a PNG."""
        path, _ = QFileDialog.getSaveFileName(
            self, "Save the drawing", "digit.png", "PNG image (*.png)"
        )
        if not path:
            return
        if not path.lower().endswith(".png"):
            path += ".png"
        if not self.canvas.save_png(path):
            dialogs.warn(
                self,
                "Cannot save the drawing",
                f"Could not write {path}.",
                "Check that the folder exists and is writable.",
            )

    @Slot(bool)
    def on_actionDarkInk_toggled(self, checked: bool) -> None:
        """View > Dark Ink on Light Paper."""
        self.canvas.set_dark_ink(checked)
        self._settings.setValue(SETTINGS_DARK_INK, bool(checked))

    @Slot(int)
    def on_penSlider_valueChanged(self, value: int) -> None:
        """The pen width slider moved."""
        self._set_pen_width(float(value))

    def _set_pen_width(self, width: float, save: bool = True) -> None:
        self.canvas.set_pen_width(width)
        width = self.canvas.pen_width()
        if self.pen_slider.value() != round(width):
            self.pen_slider.blockSignals(True)
            self.pen_slider.setValue(round(width))
            self.pen_slider.blockSignals(False)
        action = self._pen_actions.get(width)
        if action is not None:
            action.setChecked(True)
        else:
            checked = self._pen_group.checkedAction()
            if checked is not None:
                self._pen_group.setExclusive(False)
                checked.setChecked(False)
                self._pen_group.setExclusive(True)
        if save:
            self._settings.setValue(SETTINGS_PEN_WIDTH, width)

    @Slot()
    def on_actionModelInfo_triggered(self) -> None:
        """Model > Model Info…."""
        history = self.training_history
        if dialogs.show_model_info(
            self,
            self._manifest,
            provisional=self._state == "learning",
            training_html=history.epochs_html(),
            offer_chart=not history.is_empty(),
        ):
            self.show_training_chart()

    @Slot()
    def on_actionAbout_triggered(self) -> None:
        """Help > About."""
        QMessageBox.about(
            self,
            "About digitpad",
            f"<h3>digitpad {__version__}</h3>"
            "<p>Draw a digit; a LeNet convolutional network trained on MNIST reads "
            "it as you draw.</p><p>The small square shows the 28 × 28 image the "
            "network actually sees: your drawing cropped, scaled into a 20 × 20 box "
            "and centred by its centre of mass, the way MNIST was made.</p>"
            "<p>MIT licence.</p>",
        )

    # -- shutdown ---------------------------------------------------------------------

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: D102
        self.shutdown()
        super().closeEvent(event)

    def shutdown(self) -> None:
        """Cancel training and stop both worker threads (waits, bounded)."""
        if self._closing:
            return
        self._closing = True
        self._throttle.stop()
        if self.evaluation_dialog is not None:
            self.evaluation_dialog.close()
        if self._cancel is not None:
            self._cancel.set()
        self._settings.sync()
        for thread in (self._training_thread, self._inference_thread):
            stop_thread(thread)


def ready_text(manifest: dict[str, Any]) -> str:
    """The status line for a ready model: "LeNet, 99.3% on MNIST test, trained …"."""
    accuracy = manifest.get("test_accuracy")
    figure = f"{float(accuracy) * 100:.1f}%" if accuracy is not None else "?"
    when = dialogs.format_date(manifest.get("created"))
    if manifest.get("name") == "personal":
        text = f"Your personal LeNet, {figure} on MNIST test, adapted {when}"
    else:
        text = f"LeNet, {figure} on MNIST test, trained {when}"
    if manifest.get("saved") is False:
        text += " (not saved)"
    return text


def saliency_legend(top: int) -> list[tuple[QColor, str]]:
    """What the overlay's colours mean, for the digit read."""
    from digitpad.drawing.saliency import PULL_COLOUR, PUSH_COLOUR

    return [
        (QColor(*PUSH_COLOUR), f"ink that made it read {top}"),
        (QColor(*PULL_COLOUR), f"ink that argued against {top}"),
    ]


def _clock(seconds: float | None) -> str:
    if seconds is None or not np.isfinite(seconds):
        return "?"
    seconds = max(0, round(seconds))
    if seconds >= 3600:
        return f"{seconds // 3600}:{seconds % 3600 // 60:02d}:{seconds % 60:02d}"
    return f"{seconds // 60}:{seconds % 60:02d}"


def _as_bool(value: Any) -> bool:
    if isinstance(value, str):
        return value.strip().lower() in ("1", "true", "yes")
    return bool(value)
