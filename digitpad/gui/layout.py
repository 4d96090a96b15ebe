"""The window's widgets and where they sit: paper, reading panel, status bar, docks.

Built once by :func:`build_layout`, which sets them as attributes of the
window (``window.canvas``, ``window.bars``, ``window.digit_label`` …); the
window binds them to the session.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QDockWidget,
    QHBoxLayout,
    QLabel,
    QMainWindow,
    QProgressBar,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from digitpad.gui.bars import PredictionBars
from digitpad.gui.canvas import DrawingCanvas
from digitpad.gui.network_view import NetworkView
from digitpad.gui.preview import ModelInputView
from digitpad.gui.reading_label import ReadingLabel


def build_layout(window: QMainWindow) -> None:
    """Create the window's widgets and docks and lay them out."""
    window.canvas = DrawingCanvas()
    window.bars = PredictionBars()
    window.bars.setMinimumWidth(250)

    caption = QLabel("The network reads")
    caption.setObjectName("readCaption")
    caption.setAlignment(Qt.AlignmentFlag.AlignHCenter)
    window.digit_label = ReadingLabel()
    window.digit_label.setObjectName("predictedDigit")
    window.digit_label.setAccessibleName("Reading")
    window.digit_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
    font = QFont(window.font())
    font.setPointSizeF(max(48.0, font.pointSizeF() * 6))
    font.setBold(True)
    window.digit_label.setFont(font)
    window.digit_label.setMinimumHeight(int(font.pointSizeF() * 1.6))
    window.reason_label = QLabel("")
    window.reason_label.setObjectName("notSureReason")
    window.reason_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
    window.reason_label.setWordWrap(True)
    window.reason_label.setToolTip(
        'digitpad answers "?" when the network gives its best digit less than '
        "a 90% chance (calibrated on drawings it never trained on), or when "
        "the drawing does not look like one digit."
    )
    window.learning_label = QLabel("still learning")
    window.learning_label.setObjectName("stillLearning")
    window.learning_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
    window.learning_label.setStyleSheet(
        "QLabel { color: white; background: rgb(230,145,30); border-radius: 8px;"
        " padding: 2px 10px; font-weight: bold; }"
    )
    window.learning_label.setVisible(False)

    window.preview = ModelInputView()
    preview_caption = QLabel("What the model sees (28 × 28)")
    preview_caption.setObjectName("previewCaption")
    preview_caption.setAlignment(Qt.AlignmentFlag.AlignHCenter)

    side = QVBoxLayout()
    side.setSpacing(6)
    side.addWidget(caption)
    side.addWidget(window.digit_label)
    side.addWidget(window.reason_label)
    side.addWidget(window.learning_label, 0, Qt.AlignmentFlag.AlignHCenter)
    side.addSpacing(6)
    side.addWidget(window.bars)
    side.addStretch(1)
    side.addWidget(preview_caption)
    side.addWidget(window.preview, 0, Qt.AlignmentFlag.AlignHCenter)
    panel = QWidget()
    panel.setObjectName("sidePanel")
    panel.setLayout(side)
    panel.setFixedWidth(280)

    central = QWidget()
    layout = QHBoxLayout(central)
    layout.setContentsMargins(12, 12, 12, 12)
    layout.setSpacing(16)
    layout.addWidget(window.canvas, 1)
    layout.addWidget(panel, 0)
    window.setCentralWidget(central)

    status = window.statusBar()
    status.setObjectName("statusBar")
    window.state_label = QLabel()
    window.state_label.setObjectName("modelState")
    # Long texts are elided by the status bar, never widen the window.
    window.state_label.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
    status.addWidget(window.state_label, 1)
    window.reading_status = QLabel()
    window.reading_status.setObjectName("readingStatus")
    status.addPermanentWidget(window.reading_status)
    window.progress_bar = QProgressBar()
    window.progress_bar.setObjectName("trainingProgress")
    window.progress_bar.setRange(0, 100)
    window.progress_bar.setFixedWidth(160)
    window.progress_bar.setVisible(False)
    window.cancel_button = QPushButton("Cancel")
    window.cancel_button.setObjectName("cancelTraining")
    window.cancel_button.setVisible(False)
    # Showing or hiding these must not change the window's minimum size.
    for widget in (window.progress_bar, window.cancel_button, window.learning_label):
        policy = widget.sizePolicy()
        policy.setRetainSizeWhenHidden(True)
        widget.setSizePolicy(policy)
    policy = window.reason_label.sizePolicy()
    policy.setRetainSizeWhenHidden(True)
    window.reason_label.setSizePolicy(policy)
    status.addPermanentWidget(window.progress_bar)
    status.addPermanentWidget(window.cancel_button)

    window.network_view = NetworkView()
    window.network_dock = QDockWidget("Network: what each layer computes", window)
    window.network_dock.setObjectName("networkDock")
    window.network_dock.setWidget(window.network_view)
    window.training_dock = QDockWidget("Training", window)
    window.training_dock.setObjectName("trainingDock")
    placeholder = QLabel("")
    placeholder.setObjectName("trainingChartPlaceholder")
    window.training_dock.setWidget(placeholder)
    for dock in (window.network_dock, window.training_dock):
        dock.setAllowedAreas(
            Qt.DockWidgetArea.BottomDockWidgetArea | Qt.DockWidgetArea.TopDockWidgetArea
        )
        dock.setFeatures(
            QDockWidget.DockWidgetFeature.DockWidgetClosable
            | QDockWidget.DockWidgetFeature.DockWidgetMovable
        )
        window.addDockWidget(Qt.DockWidgetArea.BottomDockWidgetArea, dock)
        dock.hide()
    window.tabifyDockWidget(window.network_dock, window.training_dock)
