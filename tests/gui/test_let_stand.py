"""Readings let stand: a sure reading cleared without a correction is learnt.

Real widgets, real mouse and key events, the real small LeNet.
"""

from __future__ import annotations

import numpy as np
import pytest
from helpers import ONE, SEVEN, draw_strokes
from PySide6.QtCore import Qt
from PySide6.QtGui import QAction
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QLabel, QPushButton

from digitpad.gui import let_stand
from digitpad.storage import paths
from digitpad.storage.samples import SampleStore

pytestmark = pytest.mark.mnist

TIMEOUT_MS = 120_000


def let_stand_labels() -> list[int]:
    return sorted(s.label for s in SampleStore(paths.let_stand_dir()).samples())


def read(qtbot, window, strokes) -> object:
    draw_strokes(qtbot, window.canvas, strokes)
    qtbot.waitUntil(lambda: not window.is_prediction_pending(), timeout=TIMEOUT_MS)
    qtbot.waitUntil(
        lambda: window.session.reading.latest_reading() is not None, timeout=TIMEOUT_MS
    )
    return window.session.reading.latest_reading()


def clear(window) -> None:
    window.findChild(QAction, "actionClear").trigger()


def test_a_sure_reading_cleared_without_a_correction_is_learnt(qtbot, ready_window):
    window = ready_window
    shown = read(qtbot, window, SEVEN)
    digit = shown.digits[0]
    assert digit.sure  # the small model is sure of this 7
    clear(window)
    assert window.canvas.strokes() == []
    assert let_stand_labels() == [int(digit.text)]
    assert SampleStore().samples() == []  # not a correction: Adapt does not train on it
    qtbot.waitUntil(lambda: window.session.memory_size() == 1, timeout=TIMEOUT_MS)
    kept = SampleStore(paths.let_stand_dir()).samples()[0]
    np.testing.assert_allclose(kept.x28, digit.x28, atol=1 / 255)


def test_a_corrected_digit_is_not_also_let_stand(qtbot, ready_window):
    window = ready_window
    shown = read(qtbot, window, ONE)
    wrong = (int(shown.digits[0].text) + 1) % 10
    QTest.keyClick(window.canvas, Qt.Key(Qt.Key.Key_0 + wrong))
    assert [s.label for s in SampleStore().samples()] == [wrong]
    qtbot.waitUntil(lambda: window.session.memory_size() == 1, timeout=TIMEOUT_MS)
    clear(window)
    assert let_stand_labels() == []
    # The next drawing, cleared uncorrected, is let stand again.
    shown = read(qtbot, window, SEVEN)
    clear(window)
    assert let_stand_labels() == ([int(shown.digits[0].text)] if shown.digits[0].sure else [])


def test_a_question_mark_or_a_paper_cleared_otherwise_keeps_nothing(qtbot, ready_window):
    window = ready_window
    blob = [[(100.0 + 8 * (i % 12), 80.0 + 6 * (i // 12)) for i in range(12 * 25)]]
    shown = read(qtbot, window, blob)
    assert shown.digits[0].text == "?"
    clear(window)
    read(qtbot, window, SEVEN)
    window.canvas.clear()  # not the user's Clear (an image opened, a test): not let stand
    clear(window)  # an empty paper
    assert let_stand_labels() == []


def test_readings_let_stand_survive_a_restart_and_can_be_forgotten(
    qtbot, make_window, cached_model_home
):
    window = make_window()
    qtbot.waitUntil(window.session.is_model_ready, timeout=TIMEOUT_MS)
    read(qtbot, window, SEVEN)
    clear(window)
    assert len(let_stand_labels()) == 1
    window.close()

    again = make_window()
    qtbot.waitUntil(again.session.is_model_ready, timeout=TIMEOUT_MS)
    qtbot.waitUntil(lambda: again.session.memory_size() == 1, timeout=TIMEOUT_MS)
    again.findChild(QAction, "actionMyDigits").trigger()
    dialog = again.teaching.my_digits_dialog
    memory = dialog.findChild(QLabel, "myDigitsMemory").text()
    assert "Readings you let stand (shown sure, cleared without a correction): 1." in memory
    forget = dialog.findChild(QPushButton, "forgetLetStand")
    assert forget.isVisible()
    qtbot.mouseClick(forget, Qt.MouseButton.LeftButton)
    assert let_stand_labels() == []
    qtbot.waitUntil(lambda: again.session.memory_size() == 0, timeout=TIMEOUT_MS)
    qtbot.waitUntil(lambda: not forget.isVisible(), timeout=TIMEOUT_MS)


def test_only_the_newest_readings_let_stand_are_kept(qtbot, ready_window, monkeypatch):
    monkeypatch.setattr(let_stand, "MOST", 2)
    window = ready_window
    wide_seven = [[(60.0, 50.0), (220.0, 50.0), (200.0, 90.0), (120.0, 240.0)]]
    for strokes in (SEVEN, ONE, wide_seven):
        assert read(qtbot, window, strokes).digits[0].sure
        clear(window)
    store = SampleStore(paths.let_stand_dir())
    assert len(store.sample_ids()) == 2
    # The oldest left the store and the memory.
    qtbot.waitUntil(lambda: window.session.memory_size() == 2, timeout=TIMEOUT_MS)


def test_forgetting_a_reading_let_stand_keeps_the_correction_of_the_same_drawing(
    qtbot, ready_window
):
    window = ready_window
    shown = read(qtbot, window, ONE)
    taught = (int(shown.digits[0].text) + 1) % 10
    QTest.keyClick(window.canvas, Qt.Key(Qt.Key.Key_0 + taught))
    qtbot.waitUntil(lambda: window.session.memory_size() == 1, timeout=TIMEOUT_MS)
    clear(window)  # the corrected reading: not let stand
    assert let_stand_labels() == []
    assert read(qtbot, window, ONE).digits[0].text == str(taught)  # learnt
    clear(window)  # now let stand: the same drawing, its entry replaces the correction's
    assert let_stand_labels() == [taught]
    window.findChild(QAction, "actionMyDigits").trigger()
    forget = window.teaching.my_digits_dialog.findChild(QPushButton, "forgetLetStand")
    qtbot.mouseClick(forget, Qt.MouseButton.LeftButton)
    assert let_stand_labels() == []
    # The correction counts again: the drawing still reads as taught.
    qtbot.waitUntil(lambda: window.session.memory_size() == 1, timeout=TIMEOUT_MS)
    window.teaching.my_digits_dialog.close()
    assert read(qtbot, window, ONE).digits[0].text == str(taught)
