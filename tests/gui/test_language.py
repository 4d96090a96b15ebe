"""View > Language, the window in Chinese, and what keyboard and screen-reader users reach.

The Chinese test needs the compiled translation
(``python -m digitpad.gui.translation_files update``); the others run on the
English source texts.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QAccessible, QAction
from PySide6.QtWidgets import QApplication, QMainWindow, QMenu, QWidget

from digitpad.gui import i18n
from digitpad.gui.actions import Actions

TIMEOUT_MS = 90_000
#: Words that stay in Latin letters in every language (names, not sentences).
NAMES = {"LeNet", "MNIST", "Keras", "English", "digitpad"}
CJK = re.compile(r"[\u3400-\u9fff]")


@pytest.fixture
def chinese(qapp):
    """The zh_CN translators installed for one test, English again afterwards."""
    assert i18n.install_translators(qapp, "zh_CN") == "zh_CN"
    yield qapp
    i18n.install_translators(qapp, "en")


def language_action(window: QWidget, code: str) -> QAction:
    name = f"actionLanguage_{code}" if code else "actionLanguageSystem"
    action = window.findChild(QAction, name)
    assert action is not None, name
    return action


def is_only_names(text: str) -> bool:
    """Whether ``text`` holds no word to translate ("LeNet", "7", "English")."""
    return all(word in NAMES for word in re.findall(r"[A-Za-z]+", text))


def untranslated(texts: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """The (where, text) pairs with words but no Chinese character."""
    return [
        (where, text)
        for where, text in texts
        if text and not CJK.search(text) and not is_only_names(text)
    ]


# -- View > Language ---------------------------------------------------------------


def test_the_language_menu_follows_the_system_at_first(qtbot):
    window = QMainWindow()
    qtbot.addWidget(window)
    actions = Actions(window)
    assert set(actions.language_actions) == {"", "en", "zh_CN"}
    assert actions.language_actions[""].isChecked()
    assert actions.language_group.isExclusive()
    # Each language is named in its own language.
    assert actions.language_actions["en"].text() == "&English"
    assert actions.language_actions["zh_CN"].text() == "简体中文(&Z)"


@pytest.mark.mnist
def test_choosing_a_language_is_remembered_and_said(qtbot, ready_window):
    window = ready_window
    chinese_action = language_action(window, "zh_CN")
    assert language_action(window, "").isChecked()
    chinese_action.trigger()
    assert i18n.chosen_language() == "zh_CN"
    assert chinese_action.isChecked()
    assert not language_action(window, "").isChecked()
    assert window.statusBar().currentMessage() == (
        "The window will be in 简体中文 from the next start of digitpad."
    )
    # The next window (the next start) shows the choice.
    later = QMainWindow()
    qtbot.addWidget(later)
    assert Actions(later).language_actions["zh_CN"].isChecked()

    language_action(window, "en").trigger()
    assert i18n.chosen_language() == "en"
    language_action(window, "").trigger()
    assert i18n.chosen_language() == ""
    assert language_action(window, "").isChecked()
    assert window.statusBar().currentMessage() == (
        "The window will follow the system's language from the next start of digitpad."
    )
    # A settings file that cannot be written: said, not "will be in".
    settings_file = Path(i18n.settings().fileName())
    settings_file.unlink()
    settings_file.mkdir()
    language_action(window, "zh_CN").trigger()
    assert window.statusBar().currentMessage() == (
        f"The language could not be saved ({settings_file} cannot be written): "
        "the next start of digitpad will not change it."
    )


def test_main_installs_the_chosen_language(qapp, monkeypatch):
    from digitpad.gui import app

    seen: list[str] = []

    class Window:
        def __init__(self, mnist=None) -> None:
            seen.append(i18n.translate("Actions", "&File"))

        def restore_geometry(self) -> bool:
            return False

        def screen(self) -> None:
            return None

        def resize(self, width: int, height: int) -> None:
            pass

        def show(self) -> None:
            pass

        def shutdown(self) -> None:
            pass

    monkeypatch.setattr("digitpad.gui.window.MainWindow", Window)
    monkeypatch.setattr(app, "set_up_application", lambda application: None)
    monkeypatch.setattr(QApplication, "exec", lambda application: 0)
    i18n.choose_language("zh_CN")
    try:
        assert app.main([]) == 0
    finally:
        i18n.install_translators(qapp, "en")
    assert seen == ["文件(&F)"]


# -- the window in Chinese -------------------------------------------------------------


@pytest.mark.mnist
def test_every_action_and_menu_is_in_chinese(qtbot, chinese, make_window, cached_model_home):
    window = make_window()
    qtbot.waitUntil(window.session.is_model_ready, timeout=TIMEOUT_MS)
    texts = [
        (action.objectName() or "(unnamed action)", action.text().replace("&", ""))
        for action in window.findChildren(QAction)
        if not action.isSeparator()
    ]
    texts += [
        (menu.objectName(), menu.title().replace("&", "")) for menu in window.findChildren(QMenu)
    ]
    assert len(texts) > 40
    missing = untranslated(texts)
    assert not missing, "untranslated:\n" + "\n".join(f"{w}: {t}" for w, t in missing)
    assert language_action(window, "en").text() == "&English"
    assert window.findChild(QMenu, "menuFile").title() == "文件(&F)"


def test_only_names_may_stay_in_latin_letters():
    assert (
        untranslated([("a", "LeNet"), ("b", "7"), ("c", "English"), ("d", "关于 digitpad")]) == []
    )
    assert untranslated([("e", "It Is a 7")]) == [("e", "It Is a 7")]


# -- keyboard and screen readers ---------------------------------------------------------


def tab_stops(window: QWidget) -> list[QWidget]:
    """The widgets Tab reaches, from the first after the window, in order."""
    stops: list[QWidget] = []
    widget = window.nextInFocusChain()
    while widget is not window and len(stops) < 200:
        if (
            widget.focusPolicy() & Qt.FocusPolicy.TabFocus
            and widget.isVisible()
            and widget.isEnabled()
        ):
            stops.append(widget)
        widget = widget.nextInFocusChain()
    return stops


@pytest.mark.mnist
def test_tab_goes_from_the_paper_to_the_reading_the_bars_and_the_pen(qtbot, ready_window):
    window = ready_window
    window.activateWindow()
    window.canvas.setFocus(Qt.FocusReason.OtherFocusReason)
    qtbot.waitUntil(lambda: QApplication.focusWidget() is window.canvas)
    reached = []
    for _ in range(3):
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
        reached.append(QApplication.focusWidget().objectName())
    assert reached == ["predictedDigit", "predictionBars", "penWidth"]
    # Cancel is hidden (nothing is training) and the docks are closed: Tab
    # comes back round to the paper, never to a widget nobody can see.
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is window.canvas
    names = [w.objectName() for w in tab_stops(window)]
    start = names.index("canvas")
    assert names[start : start + 4] == ["canvas", "predictedDigit", "predictionBars", "penWidth"]


@pytest.mark.mnist
def test_every_focusable_widget_has_an_accessible_name(ready_window):
    window = ready_window
    window.show_network_view()  # the docks' tab bar too
    focusable = [
        widget
        for widget in window.findChildren(QWidget)
        if widget.focusPolicy() & Qt.FocusPolicy.TabFocus and not isinstance(widget, QMenu)
    ]
    assert {"canvas", "predictedDigit", "predictionBars", "penWidth", "cancelTraining"} <= {
        widget.objectName() for widget in focusable
    }
    nameless = [
        f"{type(widget).__name__} {widget.objectName()!r}"
        for widget in focusable
        if not QAccessible.queryAccessibleInterface(widget).text(QAccessible.Text.Name)
    ]
    assert nameless == []


@pytest.mark.mnist
def test_the_window_s_informative_widgets_are_named(ready_window):
    window = ready_window
    for name in (
        "readCaption",
        "notSureReason",
        "stillLearning",
        "previewCaption",
        "sidePanel",
        "statusBar",
        "modelState",
        "readingStatus",
        "trainingProgress",
        "networkDock",
        "trainingDock",
        "drawingToolBar",
        "penWidthLabel",
    ):
        widget = window.findChild(QWidget, name)
        assert widget is not None, name
        interface = QAccessible.queryAccessibleInterface(widget)
        assert interface.text(QAccessible.Text.Name), name


# -- every dialog in Chinese ---------------------------------------------------------


def widget_texts(root: QWidget) -> list[tuple[str, str]]:
    """Every text ``root`` shows or tells: titles, labels, buttons, tips, names."""
    from PySide6.QtWidgets import (
        QAbstractButton,
        QDockWidget,
        QGroupBox,
        QLabel,
        QTableWidget,
        QTabWidget,
    )

    found: list[tuple[str, str]] = [("window title", root.windowTitle())]
    for widget in [root, *root.findChildren(QWidget)]:
        where = f"{type(widget).__name__} {widget.objectName()}"
        if isinstance(widget, QLabel) and not widget.pixmap().isNull():
            pass
        elif isinstance(widget, QLabel):
            found.append((where, re.sub(r"<[^>]+>", " ", widget.text())))
        if isinstance(widget, QAbstractButton):
            found.append((where, widget.text().replace("&", "")))
        if isinstance(widget, QGroupBox | QDockWidget):
            found.append((where, widget.title() if isinstance(widget, QGroupBox)
                          else widget.windowTitle()))  # fmt: skip
        if isinstance(widget, QTabWidget):
            found += [(where, widget.tabText(i).replace("&", "")) for i in range(widget.count())]
        if isinstance(widget, QTableWidget):
            for column in range(widget.columnCount()):
                item = widget.horizontalHeaderItem(column)
                found.append((where, item.text() if item else ""))
        found.append((where + " tooltip", re.sub(r"<[^>]+>", " ", widget.toolTip())))
        found.append((where + " accessible name", widget.accessibleName()))
    return found


def test_every_dialog_is_in_chinese(qtbot, chinese, make_window, cached_model_home):
    from digitpad.gui.ladder_dialog import LadderDialog
    from digitpad.gui.my_digits import MyDigitsDialog
    from digitpad.gui.retrain_dialog import RetrainDialog
    from digitpad.gui.runs_dialog import RunsDialog
    from digitpad.storage.samples import SampleStore

    window = make_window()
    qtbot.waitUntil(window.session.is_model_ready, timeout=TIMEOUT_MS)
    dialogs = [
        RetrainDialog(window),
        LadderDialog(window),
        RunsDialog(parent=window),
        MyDigitsDialog(SampleStore(), window),
    ]
    texts = widget_texts(window)
    for dialog in dialogs:
        qtbot.addWidget(dialog)
        dialog.show()
        texts += widget_texts(dialog)
    assert len(texts) > 200
    # Numbers, digits, file names and units carry no words to translate.
    missing = [
        (where, text)
        for where, text in untranslated(texts)
        if re.search(r"[A-Za-z]{2,}", text) and not re.fullmatch(r"[\w.-]+\.(png|keras)", text)
    ]
    assert not missing, "untranslated:\n" + "\n".join(f"{w}: {t!r}" for w, t in missing)


def test_a_run_s_settings_are_worded_in_the_window_s_language(chinese):
    import dataclasses

    from digitpad.gui.runs_dialog import _settings_text
    from digitpad.net.lr_ladder import LadderPlan
    from digitpad.storage.runs import RunRecord

    recipe = LadderPlan().recipe(0.003)
    run = RunRecord(id="r", created="2026-11-30T04:50:14", kind="ladder",
                    label=recipe.describe(), settings=dataclasses.asdict(recipe))  # fmt: skip
    said = _settings_text(run)
    assert CJK.search(said), said
    imported = dataclasses.replace(run, kind="import", label="imported lenet.keras", settings=None)
    assert _settings_text(imported) == "imported lenet.keras"
    i18n.install_translators(QApplication.instance(), "en")
    assert _settings_text(run) == recipe.describe()
