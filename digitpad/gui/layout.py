"""The window's widgets and where they sit: paper, reading panel, status bar, docks.

Built once by :func:`build_layout`, which sets them as attributes of the
window (``window.canvas``, ``window.bars``, ``window.digit_label`` …); the
window binds them to the session. Every widget made here has an accessible
name (texts of the context ``"MainWindow"``); :func:`set_tab_order` makes Tab
walk the paper, the reading, the bars, the pen width and Cancel in turn.
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
    QScrollArea,
    QSizePolicy,
    QTabBar,
    QVBoxLayout,
    QWidget,
)

from digitpad.gui.bars import PredictionBars
from digitpad.gui.canvas import DrawingCanvas
from digitpad.gui.i18n import translate
from digitpad.gui.network_view import NetworkView
from digitpad.gui.preview import ModelInputView
from digitpad.gui.reading_label import ReadingLabel


def build_layout(window: QMainWindow) -> None:
    """Create the window's widgets and docks and lay them out."""
    window.canvas = DrawingCanvas()
    window.bars = PredictionBars()
    window.bars.setMinimumWidth(250)

    caption = QLabel(translate("MainWindow", "The network reads"))
    caption.setObjectName("readCaption")
    caption.setAlignment(Qt.AlignmentFlag.AlignHCenter)
    window.digit_label = ReadingLabel()
    window.digit_label.setObjectName("predictedDigit")
    window.digit_label.setAccessibleName(translate("MainWindow", "Reading"))
    # Reached with Tab (not taken by a click), so that a screen reader says it.
    window.digit_label.setFocusPolicy(Qt.FocusPolicy.TabFocus)
    window.digit_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
    font = QFont(window.font())
    font.setPointSizeF(max(48.0, font.pointSizeF() * 6))
    font.setBold(True)
    window.digit_label.setFont(font)
    window.digit_label.setMinimumHeight(int(font.pointSizeF() * 1.6))
    window.reason_label = QLabel("")
    window.reason_label.setObjectName("notSureReason")
    window.reason_label.setAccessibleName(translate("MainWindow", "Why the network is not sure"))
    window.reason_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
    window.reason_label.setWordWrap(True)
    window.reason_label.setToolTip(
        translate(
            "MainWindow",
            "A digit is marked not sure when the network gives it less than a 90% "
            "chance (calibrated on drawings it never trained on); it is still the "
            'best reading. "?" stands where there is no digit at all (a scribble, '
            "a blob).",
        )
    )
    window.learning_label = QLabel(translate("MainWindow", "still learning"))
    window.learning_label.setObjectName("stillLearning")
    window.learning_label.setAccessibleName(translate("MainWindow", "still learning"))
    window.learning_label.setAccessibleDescription(
        translate(
            "MainWindow",
            "The network is being trained; it reads with what it has learnt so far.",
        )
    )
    window.learning_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
    window.learning_label.setStyleSheet(
        "QLabel { color: white; background: rgb(230,145,30); border-radius: 8px;"
        " padding: 2px 10px; font-weight: bold; }"
    )
    window.learning_label.setVisible(False)

    window.bars.setFocusPolicy(Qt.FocusPolicy.TabFocus)
    window.preview = ModelInputView()
    preview_caption = QLabel(translate("MainWindow", "What the model sees (28 × 28)"))
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
    panel.setAccessibleName(translate("MainWindow", "Reading panel"))
    panel.setLayout(side)
    panel.setMinimumWidth(240)
    # With a dock open on a short screen there may be less height than the
    # panel needs: it scrolls then, instead of crushing the bars and the
    # 28 x 28 into each other.
    scroller = QScrollArea()
    scroller.setObjectName("sidePanelScroller")
    scroller.setWidget(panel)
    scroller.setWidgetResizable(True)
    scroller.setFrameShape(QScrollArea.Shape.NoFrame)
    scroller.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    # The panel is 280 wide; a scroll bar, when one is needed, takes its room from it.
    scroller.setFixedWidth(280)
    scroller.setFocusPolicy(Qt.FocusPolicy.NoFocus)
    # The reading and its bars always show; the 28 x 28 below may scroll.
    scroller.setMinimumHeight(
        panel.minimumSizeHint().height()
        - preview_caption.sizeHint().height()
        - window.preview.sizeHint().height()
        - 2 * side.spacing()
    )

    central = QWidget()
    central.setObjectName("centralWidget")
    central.setAccessibleName(translate("MainWindow", "Paper and reading"))
    layout = QHBoxLayout(central)
    layout.setContentsMargins(12, 12, 12, 12)
    layout.setSpacing(16)
    layout.addWidget(window.canvas, 1)
    layout.addWidget(scroller, 0)
    window.setCentralWidget(central)

    status = window.statusBar()
    status.setObjectName("statusBar")
    status.setAccessibleName(translate("MainWindow", "Status bar"))
    window.state_label = QLabel()
    window.state_label.setObjectName("modelState")
    window.state_label.setAccessibleName(translate("MainWindow", "Network in use"))
    # Long texts are elided by the status bar, never widen the window.
    window.state_label.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
    status.addWidget(window.state_label, 1)
    window.reading_status = QLabel()
    window.reading_status.setObjectName("readingStatus")
    window.reading_status.setAccessibleName(translate("MainWindow", "Reading summary"))
    status.addPermanentWidget(window.reading_status)
    # A message (a correction learnt, a file saved) is shown where the
    # ordinary widgets are, left of the permanent ones: the reading summary
    # steps aside while it shows, so the sentence is not cut off (the big
    # label still shows the reading).
    status.messageChanged.connect(lambda text: window.reading_status.setHidden(bool(text)))
    window.progress_bar = QProgressBar()
    window.progress_bar.setObjectName("trainingProgress")
    window.progress_bar.setAccessibleName(translate("MainWindow", "Training progress"))
    window.progress_bar.setRange(0, 100)
    window.progress_bar.setFixedWidth(160)
    window.progress_bar.setVisible(False)
    window.cancel_button = QPushButton(translate("MainWindow", "Cancel"))
    window.cancel_button.setObjectName("cancelTraining")
    window.cancel_button.setAccessibleName(translate("MainWindow", "Cancel training"))
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
    window.network_dock = QDockWidget(
        translate("MainWindow", "Network: what each layer computes"), window
    )
    window.network_dock.setObjectName("networkDock")
    window.network_dock.setWidget(window.network_view)
    window.training_dock = QDockWidget(translate("MainWindow", "Training"), window)
    window.training_dock.setObjectName("trainingDock")
    placeholder = QLabel("")
    placeholder.setObjectName("trainingChartPlaceholder")
    placeholder.setAccessibleName(translate("MainWindow", "Training chart"))
    window.training_dock.setWidget(placeholder)
    for dock in (window.network_dock, window.training_dock):
        dock.setAccessibleName(dock.windowTitle())
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
    name_dock_tabs(window)
    for dock in (window.network_dock, window.training_dock):
        dock.visibilityChanged.connect(lambda _visible: name_dock_tabs(window))


def set_tab_order(window: QMainWindow, pen_slider: QWidget) -> None:
    """Tab goes from the paper to the reading, the bars, the pen width and Cancel.

    The reading and the bars take focus from Tab only (not from a click), so
    that keyboard and screen-reader users reach what the network read.
    """
    chain = [window.canvas, window.digit_label, window.bars, pen_slider, window.cancel_button]
    for first, second in zip(chain, chain[1:], strict=False):
        QWidget.setTabOrder(first, second)


def name_dock_tabs(window: QMainWindow) -> None:
    """Name the tab bars Qt makes for docks shown together (they have no name).

    A bar takes focus from Tab only while it has tabs to choose between:
    Qt keeps an empty one (placed off the window) when the docks are hidden.
    """
    for bar in window.findChildren(QTabBar, options=Qt.FindChildOption.FindDirectChildrenOnly):
        if not bar.accessibleName():
            bar.setAccessibleName(translate("MainWindow", "Docked views"))
        wanted = Qt.FocusPolicy.TabFocus if bar.count() > 1 else Qt.FocusPolicy.NoFocus
        bar.setFocusPolicy(wanted)
