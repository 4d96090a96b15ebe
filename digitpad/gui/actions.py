"""The window's actions, menus and toolbar, built from one table.

Every action has an ``objectName`` (the automation contract in
``shared/DESIGN.md``: ``actionRetrain``, ``actionClear``, …); the window
connects them to its slots and enables them from the session's state.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QObject, QSize, Qt
from PySide6.QtGui import QAction, QActionGroup, QKeySequence
from PySide6.QtWidgets import QLabel, QMainWindow, QSlider, QToolBar

from digitpad.gui import icons
from digitpad.gui.canvas import MAX_PEN_WIDTH, MIN_PEN_WIDTH

#: The pen widths of View > Pen Width (label, logical px).
PEN_PRESETS = (("&Thin", 12.0), ("&Medium", 18.0), ("T&hick", 26.0))


@dataclass(frozen=True)
class Spec:
    """One action: object name, text, shortcut(s), icon, status tip."""

    name: str
    text: str
    shortcut: Any = None
    icon: str = ""
    tip: str = ""
    checkable: bool = False


SPECS = (
    Spec("actionOpen", "&Open Image…", QKeySequence.StandardKey.Open, "open",
         "Show a digit image and read it"),
    Spec("actionSave", "&Save Drawing…", QKeySequence.StandardKey.Save, "save",
         "Save the drawing as a PNG image"),
    Spec("actionQuit", "&Quit", QKeySequence.StandardKey.Quit),
    Spec("actionUndo", "&Undo Stroke", "Ctrl+Z", "undo", "Undo the last stroke (Ctrl+Z)"),
    Spec("actionRedo", "&Redo Stroke", ["Ctrl+Shift+Z", "Ctrl+Y"], "redo",
         "Redo the stroke (Ctrl+Shift+Z)"),
    Spec("actionClear", "&Clear", ["Esc", "Del"], "clear", "Clear the drawing (Esc)"),
    Spec("actionDarkInk", "&Dark Ink on Light Paper", checkable=True),
    Spec("actionShowSaliency", "&Saliency Overlay", "Ctrl+3", "",
         "Colour the ink by how it pushed the prediction: orange raised the digit "
         "read, blue lowered it", checkable=True),
    Spec("actionRetrain", "&Retrain…", tip="Train a new network on MNIST"),
    Spec("actionCancelTraining", "&Cancel Training"),
    Spec("actionAdapt", "&Adapt to My Handwriting…",
         tip="Fine-tune the network on the drawings you corrected (keys 0-9 or a click "
         "on a bar keep them)"),
    Spec("actionMyDigits", "My &Digits…", tip="The drawings you corrected, per digit"),
    Spec("actionUseBase", "Use &Base Network",
         tip="Read with the network trained on MNIST and the bundled pen digits",
         checkable=True),
    Spec("actionUsePersonal", "Use My &Personal Network",
         tip="Read with the network adapted to your handwriting", checkable=True),
    Spec("actionEvaluate", "&Evaluate on the Test Set…",
         tip="Read the 10,000 MNIST test digits: accuracy, confusion matrix, mistakes"),
    Spec("actionModelInfo", "Model &Info…"),
    Spec("actionAbout", "&About digitpad"),
)  # fmt: skip


class Actions:
    """The window's actions by object name (``actions["actionRetrain"]``)."""

    def __init__(self, window: QMainWindow) -> None:
        self._by_name: dict[str, QAction] = {}
        for spec in SPECS:
            self._by_name[spec.name] = make_action(window, spec)
        self.network_group = QActionGroup(window)
        for name in ("actionUseBase", "actionUsePersonal"):
            self.network_group.addAction(self[name])
        self["actionUseBase"].setChecked(True)
        # Shortcuts work wherever focus is (the canvas takes focus when clicked).
        for name in ("actionUndo", "actionRedo", "actionClear"):
            self[name].setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        self.pen_group = QActionGroup(window)
        self.pen_actions: dict[float, QAction] = {}
        for label, width in PEN_PRESETS:
            action = QAction(label, window, checkable=True)
            action.setObjectName(f"actionPen{label.replace('&', '')}")
            action.setData(width)
            self.pen_group.addAction(action)
            self.pen_actions[width] = action
        # Typing a digit says what the drawing is (window-wide, no menu).
        self.digits = []
        for digit in range(10):
            action = make_action(
                window, Spec(f"actionCorrect{digit}", f"It Is a {digit}", str(digit))
            )
            action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
            window.addAction(action)
            self.digits.append(action)

    def __getitem__(self, name: str) -> QAction:
        return self._by_name[name]

    def add(self, name: str, action: QAction) -> None:
        """Register an action made elsewhere (a dock's toggle) under ``name``."""
        action.setObjectName(name)
        self._by_name[name] = action

    def check_pen_width(self, width: float) -> None:
        """Check the preset of ``width``, or none when it is not a preset."""
        action = self.pen_actions.get(width)
        if action is not None:
            action.setChecked(True)
            return
        checked = self.pen_group.checkedAction()
        if checked is not None:
            self.pen_group.setExclusive(False)
            checked.setChecked(False)
            self.pen_group.setExclusive(True)


def make_action(parent: QObject, spec: Spec) -> QAction:
    """A ``QAction`` from ``spec`` (no slot connected)."""
    action = QAction(spec.text, parent)
    action.setObjectName(spec.name)
    shortcuts = spec.shortcut if isinstance(spec.shortcut, list) else [spec.shortcut]
    keys = [QKeySequence(s) for s in shortcuts if s is not None]
    if keys:
        action.setShortcuts(keys)
    if spec.icon:
        action.setIcon(icons.icon(spec.icon))
    if spec.tip:
        action.setStatusTip(spec.tip)
        action.setToolTip(spec.tip)
    action.setCheckable(spec.checkable)
    return action


def build_menus(window: QMainWindow, actions: Actions) -> None:
    """File, Edit, View, Model and Help."""
    menu = window.menuBar()
    file_menu = menu.addMenu("&File")
    file_menu.addActions([actions["actionOpen"], actions["actionSave"]])
    file_menu.addSeparator()
    file_menu.addAction(actions["actionQuit"])
    edit_menu = menu.addMenu("&Edit")
    edit_menu.addActions([actions["actionUndo"], actions["actionRedo"]])
    edit_menu.addSeparator()
    edit_menu.addAction(actions["actionClear"])
    view_menu = menu.addMenu("&View")
    view_menu.addActions(
        [
            actions["actionShowNetwork"],
            actions["actionShowTraining"],
            actions["actionShowSaliency"],
        ]
    )
    view_menu.addSeparator()
    view_menu.addAction(actions["actionDarkInk"])
    pen_menu = view_menu.addMenu("&Pen Width")
    pen_menu.addActions(list(actions.pen_actions.values()))
    model_menu = menu.addMenu("&Model")
    groups = (
        ("actionRetrain", "actionCancelTraining"),
        ("actionAdapt", "actionMyDigits"),
        ("actionUseBase", "actionUsePersonal"),
        ("actionEvaluate", "actionModelInfo"),
    )
    for index, group in enumerate(groups):
        if index:
            model_menu.addSeparator()
        model_menu.addActions([actions[name] for name in group])
    menu.addMenu("&Help").addAction(actions["actionAbout"])


def build_toolbar(window: QMainWindow, actions: Actions) -> QSlider:
    """Undo, redo, clear, the pen width slider, open and save; returns the slider."""
    toolbar = QToolBar("Drawing")
    toolbar.setObjectName("drawingToolBar")
    toolbar.setMovable(False)
    toolbar.setIconSize(QSize(20, 20))
    toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
    toolbar.addActions([actions["actionUndo"], actions["actionRedo"], actions["actionClear"]])
    toolbar.addSeparator()
    toolbar.addWidget(QLabel(" Pen "))
    slider = QSlider(Qt.Orientation.Horizontal)
    slider.setObjectName("penWidth")
    slider.setAccessibleName("Pen width")
    slider.setRange(int(MIN_PEN_WIDTH), int(MAX_PEN_WIDTH))
    slider.setFixedWidth(120)
    toolbar.addWidget(slider)
    toolbar.addSeparator()
    toolbar.addActions([actions["actionOpen"], actions["actionSave"]])
    window.addToolBar(toolbar)
    return slider
