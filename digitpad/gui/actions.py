"""The window's actions, menus and toolbar, built from one table.

Every action has an ``objectName`` (the automation contract in
``shared/DESIGN.md``: ``actionRetrain``, ``actionClear``, …); the window
connects them to its slots and enables them from the session's state.

The texts of the table are marked with ``QT_TRANSLATE_NOOP`` (the table
exists before a translator is installed) and translated when an action is
made, in the context ``"Actions"``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QT_TRANSLATE_NOOP, QObject, QSize, Qt
from PySide6.QtGui import QAction, QActionGroup, QKeySequence
from PySide6.QtWidgets import QLabel, QMainWindow, QSlider, QToolBar

from digitpad.gui import i18n, icons
from digitpad.gui.canvas import MAX_PEN_WIDTH, MIN_PEN_WIDTH
from digitpad.gui.i18n import translate

#: The pen widths of View > Pen Width (English label, logical px); the
#: English label also names the action (``actionPenThin``).
PEN_PRESETS = (
    (QT_TRANSLATE_NOOP("Actions", "&Thin"), 12.0),
    (QT_TRANSLATE_NOOP("Actions", "&Medium"), 18.0),
    (QT_TRANSLATE_NOOP("Actions", "T&hick"), 26.0),
)


@dataclass(frozen=True)
class Spec:
    """One action: object name, text, shortcut(s), icon, status tip.

    ``text`` and ``tip`` are English source texts of the context
    ``"Actions"``; :func:`make_action` translates them.
    """

    name: str
    text: str
    shortcut: Any = None
    icon: str = ""
    tip: str = ""
    checkable: bool = False


SPECS = (
    Spec(
        "actionOpen",
        QT_TRANSLATE_NOOP("Actions", "&Open Image…"),
        QKeySequence.StandardKey.Open,
        "open",
        QT_TRANSLATE_NOOP("Actions", "Show a digit image and read it"),
    ),
    Spec(
        "actionSave",
        QT_TRANSLATE_NOOP("Actions", "&Save Drawing…"),
        QKeySequence.StandardKey.Save,
        "save",
        QT_TRANSLATE_NOOP("Actions", "Save the drawing as a PNG image"),
    ),
    Spec("actionQuit", QT_TRANSLATE_NOOP("Actions", "&Quit"), QKeySequence.StandardKey.Quit),
    Spec(
        "actionUndo",
        QT_TRANSLATE_NOOP("Actions", "&Undo"),
        "Ctrl+Z",
        "undo",
        QT_TRANSLATE_NOOP("Actions", "Undo the last stroke, clear or open (Ctrl+Z)"),
    ),
    Spec(
        "actionRedo",
        QT_TRANSLATE_NOOP("Actions", "&Redo"),
        ["Ctrl+Shift+Z", "Ctrl+Y"],
        "redo",
        QT_TRANSLATE_NOOP("Actions", "Redo what was undone (Ctrl+Shift+Z)"),
    ),
    Spec(
        "actionClear",
        QT_TRANSLATE_NOOP("Actions", "&Clear"),
        ["Esc", "Del"],
        "clear",
        QT_TRANSLATE_NOOP("Actions", "Clear the drawing (Esc)"),
    ),
    Spec(
        "actionDarkInk", QT_TRANSLATE_NOOP("Actions", "&Dark Ink on Light Paper"), checkable=True
    ),
    Spec(
        "actionShowSaliency",
        QT_TRANSLATE_NOOP("Actions", "&Saliency Overlay"),
        "Ctrl+3",
        "",
        QT_TRANSLATE_NOOP(
            "Actions",
            "Colour the ink by how it pushed the prediction: orange raised the "
            "digit read, blue lowered it",
        ),
        checkable=True,
    ),
    Spec(
        "actionRetrain",
        QT_TRANSLATE_NOOP("Actions", "&Retrain…"),
        tip=QT_TRANSLATE_NOOP("Actions", "Train a new network on MNIST"),
    ),
    Spec("actionCancelTraining", QT_TRANSLATE_NOOP("Actions", "&Cancel Training")),
    Spec(
        "actionAdapt",
        QT_TRANSLATE_NOOP("Actions", "&Adapt to My Handwriting…"),
        tip=QT_TRANSLATE_NOOP(
            "Actions",
            "Fine-tune the network on the drawings you corrected (keys 0-9 "
            "or a click on a bar keep them)",
        ),
    ),
    Spec(
        "actionMyDigits",
        QT_TRANSLATE_NOOP("Actions", "My &Digits…"),
        tip=QT_TRANSLATE_NOOP("Actions", "The drawings you corrected, per digit"),
    ),
    Spec(
        "actionUseBase",
        QT_TRANSLATE_NOOP("Actions", "Use &Base Network"),
        tip=QT_TRANSLATE_NOOP(
            "Actions", "Read with the network trained on MNIST and the bundled pen digits"
        ),
        checkable=True,
    ),
    Spec(
        "actionUsePersonal",
        QT_TRANSLATE_NOOP("Actions", "Use My &Personal Network"),
        tip=QT_TRANSLATE_NOOP("Actions", "Read with the network adapted to your handwriting"),
        checkable=True,
    ),
    Spec(
        "actionEvaluate",
        QT_TRANSLATE_NOOP("Actions", "&Evaluate on the Test Set…"),
        tip=QT_TRANSLATE_NOOP(
            "Actions", "Read the 10,000 MNIST test digits: accuracy, confusion matrix, mistakes"
        ),
    ),
    Spec("actionModelInfo", QT_TRANSLATE_NOOP("Actions", "Model &Info…")),
    Spec("actionAbout", QT_TRANSLATE_NOOP("Actions", "&About digitpad")),
)


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
            action = QAction(translate("Actions", label), window, checkable=True)
            action.setObjectName(f"actionPen{label.replace('&', '')}")
            action.setData(width)
            self.pen_group.addAction(action)
            self.pen_actions[width] = action
        self.language_group = QActionGroup(window)
        self.language_actions = language_actions(window, self.language_group)
        # Typing a digit says what the drawing is (window-wide, no menu).
        self.digits = []
        for digit in range(10):
            action = make_action(window, Spec(f"actionCorrect{digit}", "", str(digit)))
            action.setText(translate("Actions", "It Is a {digit}").format(digit=digit))
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


def language_actions(parent: QObject, group: QActionGroup) -> dict[str, QAction]:
    """View > Language: "" (follow the system) and each language, by code.

    Each language is named in its own language, so that a user who cannot
    read the window's language still finds theirs, with a mnemonic
    (:func:`language_text`). The one chosen before
    (:func:`i18n.chosen_language`) is checked.
    """
    actions: dict[str, QAction] = {}
    system = QAction(translate("Actions", "Follow the &System"), parent, checkable=True)
    system.setObjectName("actionLanguageSystem")
    system.setStatusTip(
        translate("Actions", "Follow the system's language from the next start of digitpad")
    )
    actions[""] = system
    for code, name in i18n.LANGUAGES.items():
        action = QAction(language_text(code, name), parent, checkable=True)
        action.setObjectName(f"actionLanguage_{code}")
        action.setStatusTip(
            translate(
                "Actions", "Show the window in {language} from the next start of digitpad"
            ).format(language=name)
        )
        actions[code] = action
    chosen = i18n.chosen_language()
    for code, action in actions.items():
        action.setData(code)
        group.addAction(action)
        action.setChecked(code == chosen)
    return actions


def language_text(code: str, name: str) -> str:
    """A language's menu text, with a mnemonic: "&English", "简体中文(&Z)".

    A name in Latin letters takes its first letter; any other name takes the
    first letter of its code in brackets, as Chinese menus mark theirs.
    """
    if name[:1].isascii() and name[:1].isalpha():
        return f"&{name}"
    return f"{name}(&{code[:1].upper()})"


def make_action(parent: QObject, spec: Spec) -> QAction:
    """A ``QAction`` from ``spec``, translated (no slot connected)."""
    action = QAction(translate("Actions", spec.text) if spec.text else "", parent)
    action.setObjectName(spec.name)
    shortcuts = spec.shortcut if isinstance(spec.shortcut, list) else [spec.shortcut]
    keys = [QKeySequence(s) for s in shortcuts if s is not None]
    if keys:
        action.setShortcuts(keys)
    if spec.icon:
        action.setIcon(icons.icon(spec.icon))
    if spec.tip:
        tip = translate("Actions", spec.tip)
        action.setStatusTip(tip)
        action.setToolTip(tip)
    action.setCheckable(spec.checkable)
    return action


def build_menus(window: QMainWindow, actions: Actions) -> None:
    """File, Edit, View, Model and Help."""
    menu = window.menuBar()
    file_menu = menu.addMenu(translate("Actions", "&File"))
    file_menu.setObjectName("menuFile")
    file_menu.addActions([actions["actionOpen"], actions["actionSave"]])
    file_menu.addSeparator()
    file_menu.addAction(actions["actionQuit"])
    edit_menu = menu.addMenu(translate("Actions", "&Edit"))
    edit_menu.setObjectName("menuEdit")
    edit_menu.addActions([actions["actionUndo"], actions["actionRedo"]])
    edit_menu.addSeparator()
    edit_menu.addAction(actions["actionClear"])
    view_menu = menu.addMenu(translate("Actions", "&View"))
    view_menu.setObjectName("menuView")
    view_menu.addActions(
        [
            actions["actionShowNetwork"],
            actions["actionShowTraining"],
            actions["actionShowSaliency"],
        ]
    )
    view_menu.addSeparator()
    view_menu.addAction(actions["actionDarkInk"])
    pen_menu = view_menu.addMenu(translate("Actions", "&Pen Width"))
    pen_menu.setObjectName("menuPenWidth")
    pen_menu.addActions(list(actions.pen_actions.values()))
    language_menu = view_menu.addMenu(translate("Actions", "&Language"))
    language_menu.setObjectName("menuLanguage")
    system = actions.language_actions[""]
    language_menu.addAction(system)
    language_menu.addSeparator()
    language_menu.addActions([a for code, a in actions.language_actions.items() if code])
    model_menu = menu.addMenu(translate("Actions", "&Model"))
    model_menu.setObjectName("menuModel")
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
    help_menu = menu.addMenu(translate("Actions", "&Help"))
    help_menu.setObjectName("menuHelp")
    help_menu.addAction(actions["actionAbout"])


def build_toolbar(window: QMainWindow, actions: Actions) -> QSlider:
    """Undo, redo, clear, the pen width slider, open and save; returns the slider."""
    toolbar = QToolBar(translate("Actions", "Drawing"))
    toolbar.setObjectName("drawingToolBar")
    toolbar.setAccessibleName(translate("Actions", "Drawing tools"))
    toolbar.setMovable(False)
    toolbar.setIconSize(QSize(20, 20))
    toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
    for name in ("actionUndo", "actionRedo", "actionClear", "actionOpen", "actionSave"):
        action = actions[name]
        action.setIconText(button_text(action.text()))
    toolbar.addActions([actions["actionUndo"], actions["actionRedo"], actions["actionClear"]])
    toolbar.addSeparator()
    label = QLabel(" {pen} ".format(pen=translate("Actions", "Pen")))
    label.setObjectName("penWidthLabel")
    label.setAccessibleName(translate("Actions", "Pen"))
    toolbar.addWidget(label)
    slider = QSlider(Qt.Orientation.Horizontal)
    slider.setObjectName("penWidth")
    slider.setAccessibleName(translate("Actions", "Pen width"))
    slider.setAccessibleDescription(
        translate("Actions", "How wide the pen draws, in pixels of the paper")
    )
    slider.setToolTip(translate("Actions", "Pen width"))
    label.setBuddy(slider)
    slider.setRange(int(MIN_PEN_WIDTH), int(MAX_PEN_WIDTH))
    slider.setFixedWidth(120)
    toolbar.addWidget(slider)
    toolbar.addSeparator()
    toolbar.addActions([actions["actionOpen"], actions["actionSave"]])
    window.addToolBar(toolbar)
    return slider


def button_text(text: str) -> str:
    """An action's text for a tool button: no mnemonic, no "…".

    Qt strips "&" itself but leaves the "(&U)" that Chinese texts put after
    the words ("撤销笔画(&U)" would show "撤销笔画(U)").
    """
    text = re.sub(r"\s*\(&[^)]\)", "", text).replace("&&", "\0").replace("&", "")
    return text.replace("\0", "&").removesuffix("…").removesuffix("...")
