"""What assistive technology finds: names, descriptions, the bars' rows, announcements.

Everything is read through ``QAccessible`` interfaces, the way a screen
reader's bridge reads it. Announcements are caught where the window sends
them: ``QAccessible.updateAccessibility`` (Qt's update handler cannot be
installed from Python).
"""

from __future__ import annotations

import numpy as np
import pytest
from helpers import SEVEN, draw_strokes
from PySide6.QtCore import Qt
from PySide6.QtGui import QAccessible, QAccessibleInterface, QPalette
from PySide6.QtWidgets import QApplication, QLabel

from digitpad.gui import i18n
from digitpad.gui.bars import PredictionBars
from digitpad.gui.canvas import DrawingCanvas
from digitpad.gui.network_view import NetworkView
from digitpad.gui.paper_painting import saliency_legend
from digitpad.gui.preview import ModelInputView
from digitpad.gui.reading import DigitShown, Reading
from digitpad.gui.reading_label import ReadingLabel

TIMEOUT_MS = 90_000
NAME = QAccessible.Text.Name
DESCRIPTION = QAccessible.Text.Description


def accessible(widget) -> QAccessibleInterface:
    interface = QAccessible.queryAccessibleInterface(widget)
    assert interface is not None
    assert interface.isValid()
    return interface


@pytest.fixture
def announcements(monkeypatch) -> list[str]:
    """The messages of the announcement events sent from Python, in order."""
    sent: list[str] = []
    forward = QAccessible.updateAccessibility

    def record(event) -> None:
        if event.type() == QAccessible.Event.Announcement:
            sent.append(event.message())
        forward(event)

    monkeypatch.setattr(QAccessible, "updateAccessibility", record)
    return sent


@pytest.fixture
def chinese(qapp):
    """The zh_CN translators installed for one test, English again afterwards."""
    assert i18n.install_translators(qapp, "zh_CN") == "zh_CN"
    yield qapp
    i18n.install_translators(qapp, "en")


def show(qtbot, widget):
    qtbot.addWidget(widget)
    widget.show()
    return widget


def digit(text: str, sure: bool, probabilities: list[float], reason: str = "") -> DigitShown:
    return DigitShown(
        (0.0, 0.0, 10.0, 10.0), np.zeros((28, 28), np.float32), probabilities, text, sure,
        reason, (0,),
    )  # fmt: skip


def one_hot(top: int, value: float, second: int = 0) -> list[float]:
    """``value`` on ``top``, the rest on ``second``."""
    values = [0.0] * 10
    values[top] = value
    values[second] += 1.0 - value
    return values


def test_every_widget_has_a_name_and_a_description(qtbot):
    for widget, name in (
        (DrawingCanvas(), "Drawing paper"),
        (PredictionBars(), "Prediction"),
        (ReadingLabel(), "Reading"),
        (ModelInputView(), "What the model sees"),
        (NetworkView(), "Network view"),
    ):
        interface = accessible(show(qtbot, widget))
        assert interface.text(NAME) == name
        assert interface.text(DESCRIPTION), name


def test_the_canvas_says_what_the_overlay_colours_mean(qtbot):
    canvas = show(qtbot, DrawingCanvas())
    rgba = np.zeros((20, 20, 4), np.uint8)
    canvas.set_overlay(rgba, saliency_legend(7))
    description = accessible(canvas).text(DESCRIPTION)
    assert "orange: ink that made it read 7" in description
    assert "blue: ink that argued against 7" in description
    canvas.set_overlay(None)
    assert "orange" not in accessible(canvas).text(DESCRIPTION)


def test_each_bar_is_a_child_named_by_its_probability(qtbot):
    bars = show(qtbot, PredictionBars())
    interface = accessible(bars)
    assert interface.childCount() == 10
    assert interface.child(3).text(NAME) == "3: no prediction"
    bars.set_probabilities(one_hot(3, 0.97, second=8))
    assert interface.child(3).text(NAME) == "3: 97 percent"
    assert interface.child(8).text(NAME) == "8: 3 percent"
    assert interface.child(3).text(DESCRIPTION) == "How likely the drawing is a 3"
    assert interface.text(DESCRIPTION) == "Most likely 3, 97 percent"


def test_provisional_bars_say_so_in_words(qtbot):
    bars = show(qtbot, PredictionBars())
    bars.set_probabilities(one_hot(3, 0.97), provisional=True)
    assert accessible(bars).text(DESCRIPTION) == (
        "Most likely 3, 97 percent (the network is still learning)"
    )


def test_a_new_reading_is_described_and_announced_once(qtbot, announcements):
    label = show(qtbot, ReadingLabel())
    shown = Reading(
        (digit("2", True, one_hot(2, 1.0)), digit("0", False, one_hot(0, 0.6, 6), "x"),
         digit("2", True, one_hot(2, 1.0)), digit("6", True, one_hot(6, 1.0))),
        3, None, None, False,
    )  # fmt: skip
    label.set_reading("1", [True], 0)  # superseded at once: never announced
    label.set_reading(shown.text, [d.sure for d in shown.digits], 3, shown.summary())
    assert accessible(label).text(DESCRIPTION) == "Reads 2026; not sure of the 0"
    qtbot.waitUntil(lambda: announcements == ["Reads 2026; not sure of the 0"])
    label.set_reading(shown.text, [d.sure for d in shown.digits], 0, shown.summary())
    qtbot.wait(2 * 300)
    assert announcements == ["Reads 2026; not sure of the 0"]  # the same reading: said once
    label.clear()
    assert accessible(label).text(DESCRIPTION) == "Nothing read yet"


def test_a_lone_digit_is_announced_with_its_probability(qtbot, announcements):
    label = show(qtbot, ReadingLabel())
    shown = Reading((digit("7", True, one_hot(7, 0.97)),), 0, None, None, False)
    label.set_reading(shown.text, [True], 0, shown.summary())
    qtbot.waitUntil(lambda: announcements == ["Reads 7, 97 percent"])


def test_the_not_sure_note_is_rebuilt_from_the_digits(chinese):
    unsure = digit("4", False, one_hot(4, 0.55, second=9), "not sure: 4 or 9?")
    sure = digit("1", True, one_hot(1, 1.0))
    assert Reading((unsure,), 0, None, None, False).reason == "不确定：是 4 还是 9？"
    number = Reading((unsure, sure), 0, None, None, False)
    assert number.reason == "第 1 位数字：不确定：是 4 还是 9？"
    assert number.summary() == "识别为 41；不确定其中的 4"


def test_bars_speak_chinese_with_the_locale_numbers(qtbot, chinese):
    bars = show(qtbot, PredictionBars())
    bars.set_probabilities(one_hot(3, 0.97))
    interface = accessible(bars)
    assert interface.text(NAME) == "预测"
    assert interface.child(3).text(NAME) == "3：百分之97"


@pytest.mark.mnist
def test_a_drawing_is_described_and_announced(qtbot, ready_window, announcements):
    window = ready_window
    label = window.findChild(QLabel, "predictedDigit")
    assert accessible(window.canvas).text(NAME) == "Drawing paper"
    assert accessible(label).text(NAME) == "Reading"
    draw_strokes(qtbot, window.canvas, SEVEN)
    qtbot.waitUntil(lambda: not window.is_prediction_pending(), timeout=TIMEOUT_MS)
    qtbot.waitUntil(lambda: bool(label.text()), timeout=TIMEOUT_MS)
    summary = window.findChild(QLabel, "readingStatus").text()
    assert summary.startswith(f"Reads {label.text()}")
    assert accessible(label).text(DESCRIPTION) == summary
    qtbot.waitUntil(lambda: announcements[-1:] == [summary], timeout=5_000)
    probabilities = window.bars.property("probabilities")
    top = int(np.argmax(probabilities))
    row = accessible(window.bars).child(top).text(NAME)
    assert row == f"{top}: {round(probabilities[top] * 100)} percent"


# -- the keyboard: the reading's digits, the bars, the menus -----------------------


def focus(qtbot, widget) -> None:
    """Give ``widget`` the keyboard focus as Tab does (it takes it from Tab only)."""
    widget.setFocusPolicy(Qt.FocusPolicy.TabFocus)
    widget.activateWindow()
    qtbot.waitUntil(widget.isActiveWindow)
    widget.setFocus(Qt.FocusReason.TabFocusReason)
    qtbot.waitUntil(widget.hasFocus)


@pytest.fixture
def number_label(qtbot):
    """A reading label showing 2026 (not sure of the 0), selecting what it is asked to."""
    label = show(qtbot, ReadingLabel())
    label.resize(400, 120)
    shown = Reading(
        (digit("2", True, one_hot(2, 1.0)), digit("0", False, one_hot(0, 0.6, 6), "x"),
         digit("2", True, one_hot(2, 1.0)), digit("6", True, one_hot(6, 1.0))),
        3, None, None, False,
    )  # fmt: skip
    sure = [d.sure for d in shown.digits]

    def select(index: int) -> None:  # what the window does with digitClicked
        label.set_reading(shown.text, sure, index, shown.summary())

    label.digitClicked.connect(select)
    select(3)
    return label


def highlight_on_edge(widget) -> bool:
    """Whether the focus frame (the highlight colour) is painted on the left edge."""
    image = widget.grab().toImage()
    highlight = widget.palette().color(QPalette.ColorRole.Highlight)
    color = image.pixelColor(1, widget.height() // 2)
    return color.rgb() == highlight.rgb()


def test_arrow_keys_select_another_digit_of_the_reading(qtbot, number_label):
    label = number_label
    focus(qtbot, label)
    clicked: list[int] = []
    label.digitClicked.connect(clicked.append)
    qtbot.keyClick(label, Qt.Key.Key_Left)
    qtbot.keyClick(label, Qt.Key.Key_Left)
    assert clicked == [2, 1]
    qtbot.keyClick(label, Qt.Key.Key_Home)
    qtbot.keyClick(label, Qt.Key.Key_Left)  # the first already: nothing to select
    assert clicked == [2, 1, 0]
    qtbot.keyClick(label, Qt.Key.Key_Right)
    qtbot.keyClick(label, Qt.Key.Key_End)
    qtbot.keyClick(label, Qt.Key.Key_Right)
    assert clicked == [2, 1, 0, 1, 3]


def test_the_focused_reading_is_framed_and_says_the_digit_selected(qtbot, number_label):
    label = number_label
    assert not highlight_on_edge(label)
    assert accessible(label).text(DESCRIPTION) == "Reads 2026; not sure of the 0"
    focus(qtbot, label)
    assert highlight_on_edge(label)
    assert accessible(label).text(DESCRIPTION) == (
        "Reads 2026; not sure of the 0; digit 4 of 4 selected: 6"
    )
    qtbot.keyClick(label, Qt.Key.Key_Home)
    assert accessible(label).text(DESCRIPTION) == (
        "Reads 2026; not sure of the 0; digit 1 of 4 selected: 2"
    )
    label.clearFocus()
    assert not highlight_on_edge(label)
    assert accessible(label).text(DESCRIPTION) == "Reads 2026; not sure of the 0"


def test_the_selection_is_announced_when_the_keyboard_moves_it(qtbot, number_label, announcements):
    label = number_label
    qtbot.waitUntil(lambda: announcements == ["Reads 2026; not sure of the 0"])
    focus(qtbot, label)
    qtbot.keyClick(label, Qt.Key.Key_Left)
    qtbot.waitUntil(
        lambda: announcements[-1:] == ["Reads 2026; not sure of the 0; digit 3 of 4 selected: 2"]
    )


def test_the_language_entries_have_mnemonics(qtbot):
    from PySide6.QtWidgets import QMainWindow

    from digitpad.gui.actions import Actions

    window = QMainWindow()
    qtbot.addWidget(window)
    actions = Actions(window)
    texts = [action.text() for action in actions.language_actions.values()]
    assert texts == ["Follow the &System", "&English", "简体中文(&Z)"]
    keys = [text[text.index("&") + 1].lower() for text in texts]
    assert len(set(keys)) == len(keys)


def menu_actions_without_mnemonic(window) -> list[str]:
    """The texts of the actions in the window's menus that have no ``&`` key."""
    missing = []
    menus = [action.menu() for action in window.menuBar().actions()]
    while menus:
        menu = menus.pop()
        for action in menu.actions():
            if action.isSeparator():
                continue
            if action.menu() is not None:
                menus.append(action.menu())
            if "&" not in action.text().replace("&&", ""):
                missing.append(action.text())
    return missing


@pytest.mark.mnist
def test_every_menu_action_has_a_mnemonic(ready_window):
    assert menu_actions_without_mnemonic(ready_window) == []


@pytest.mark.mnist
def test_a_keyboard_user_selects_and_corrects_a_digit_of_a_number(qtbot, ready_window):
    from helpers import ONE

    from digitpad.storage.samples import SampleStore

    window = ready_window
    seven = [[(x - 60.0, y) for x, y in stroke] for stroke in SEVEN]
    one = [[(x + 100.0, y) for x, y in stroke] for stroke in ONE]
    draw_strokes(qtbot, window.canvas, seven + one)
    reader = window.session.reading
    qtbot.waitUntil(lambda: not window.is_prediction_pending(), timeout=TIMEOUT_MS)
    qtbot.waitUntil(lambda: len(window.digit_label.text()) == 2, timeout=TIMEOUT_MS)
    assert reader.latest_reading().selected == 1
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    window.canvas.setFocus()
    qtbot.keyClick(window.canvas, Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is window.digit_label
    # Left selects the first digit, as clicking it does: the bars show it.
    qtbot.keyClick(window.digit_label, Qt.Key.Key_Left)
    qtbot.waitUntil(lambda: reader.latest_reading().selected == 0, timeout=TIMEOUT_MS)
    first = reader.latest_reading().digits[0]
    assert window.bars.property("probabilities") == pytest.approx(first.probabilities)
    assert (
        accessible(window.digit_label)
        .text(DESCRIPTION)
        .endswith(f"digit 1 of 2 selected: {first.text}")
    )
    # On the bars, Down then Space corrects that digit to the next row's class.
    qtbot.keyClick(window.digit_label, Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is window.bars
    top = window.bars.framed_digit()
    assert top == int(np.argmax(first.probabilities))
    wanted = (top + 1) % 10 if top < 9 else 8
    qtbot.keyClick(window.bars, Qt.Key.Key_Down if top < 9 else Qt.Key.Key_Up)
    qtbot.keyClick(window.bars, Qt.Key.Key_Space)
    qtbot.waitUntil(lambda: len(SampleStore().samples()) == 1, timeout=TIMEOUT_MS)
    kept = SampleStore().samples()[0]
    assert kept.label == wanted
    np.testing.assert_array_equal(kept.x28, first.x28)
