"""Numbers on the paper: read left to right, one digit per position, corrected by typing.

Real window, real mouse and key events, the real small LeNet. Digits are the
helpers' clean strokes (ONE, ZERO, SEVEN) written side by side at a natural
size; the segmentation rules themselves are unit-tested in
tests/drawing/test_segmentation.py.
"""

from __future__ import annotations

import math

import pytest
from helpers import ONE, SEVEN, ZERO, draw_stroke
from PySide6.QtCore import QObject, QPoint, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QLabel

from digitpad.storage.samples import SampleStore

pytestmark = pytest.mark.mnist

TIMEOUT_MS = 120_000
SHAPES = {"1": ONE, "0": ZERO, "7": SEVEN}


def text(window) -> str:
    return window.findChild(QLabel, "predictedDigit").text()


def wait_reading(qtbot, window) -> None:
    qtbot.waitUntil(lambda: not window.is_prediction_pending(), timeout=TIMEOUT_MS)
    qtbot.waitUntil(
        lambda: window.session.reading.latest_reading() is not None, timeout=TIMEOUT_MS
    )


def write(
    qtbot, window, digits: str, *, height: float = 120.0, gap: float = 0.3, overlap: float = 0.0
) -> None:
    """Write ``digits`` with real mouse events, each ``height`` paper px high, side by side.

    The helpers' shapes are written in 280-unit squares; each is scaled to
    ``height`` and shifted so neighbours' ink stands ``gap`` of the height
    apart (``overlap`` > 0 makes them touch).
    """
    canvas = window.canvas
    square = canvas.square()
    unit = square.width() / 280.0  # paper px per test unit
    x_paper = 30.0
    for digit in digits:
        strokes = SHAPES[digit]
        xs = [p[0] for s in strokes for p in s]
        ys = [p[1] for s in strokes for p in s]
        k = height / (max(ys) - min(ys))  # paper px per shape unit
        for stroke in strokes:
            moved = [
                (
                    ((px - min(xs)) * k + x_paper - square.x()) / unit,
                    ((py - min(ys)) * k + 60.0 - square.y()) / unit,
                )
                for px, py in stroke
            ]
            draw_stroke(canvas, moved)
            qtbot.wait(1)
        x_paper += (max(xs) - min(xs)) * k + (gap - overlap) * height


@pytest.fixture
def wide_window(qtbot, make_window, cached_model_home):  # noqa: ARG001
    window = make_window()
    window.resize(1000, 640)
    qtbot.waitUntil(window.session.is_model_ready, timeout=TIMEOUT_MS)
    return window


@pytest.mark.parametrize("number", ["1", "10", "707", "1071", "70170", "101707"])
def test_numbers_are_read_in_order(qtbot, wide_window, number):
    write(qtbot, wide_window, number)
    wait_reading(qtbot, wide_window)
    reading = wide_window.session.reading.latest_reading()
    assert len(reading.digits) == len(number)
    assert text(wide_window) == number
    lefts = [d.box[0] for d in reading.digits]
    assert lefts == sorted(lefts)
    # The last-written digit is selected; each digit's box is drawn on the paper.
    assert reading.selected == len(number) - 1
    assert len(wide_window.canvas.boxes()) == len(number)


def test_two_touching_digits_are_split(qtbot, wide_window):
    write(qtbot, wide_window, "00", gap=0.0, overlap=0.06)
    wait_reading(qtbot, wide_window)
    assert text(wide_window) == "00"


def test_a_seven_with_a_bar_and_a_dot_stay_one_digit(qtbot, wide_window):
    canvas = wide_window.canvas
    canvas.set_strokes(
        [
            [(100, 60), (220, 60), (200, 110), (150, 240)],  # the 7
            [(140, 150), (210, 150)],  # its bar
            [(320, 230)],  # a dot: a decimal point after it stays with it
            [(400, 60), (405, 240)],  # a 1
        ]
    )
    wait_reading(qtbot, wide_window)
    reading = wide_window.session.reading.latest_reading()
    assert len(reading.digits) == 2
    assert reading.digits[0].elements[:2] == (0, 1)


def test_a_scribble_next_to_a_digit_gives_a_question_mark_at_its_place(qtbot, wide_window):
    canvas = wide_window.canvas
    turns = [6 * math.pi * i / 400 for i in range(400)]
    spiral = [
        (
            150 + (10 + 80 * t / turns[-1]) * math.cos(t),
            160 + (10 + 80 * t / turns[-1]) * math.sin(t),
        )
        for t in turns
    ]
    canvas.set_strokes([spiral, [(400, 80), (405, 240)]])
    wait_reading(qtbot, wide_window)
    assert text(wide_window) == "?1"
    reason = wide_window.findChild(QLabel, "notSureReason").text()
    assert "1st digit" in reason


def test_clicking_a_digit_selects_it(qtbot, wide_window):
    write(qtbot, wide_window, "10")
    wait_reading(qtbot, wide_window)
    reading = wide_window.session.reading.latest_reading()
    box = reading.digits[0].box
    paper = wide_window.canvas.paper_rect()
    where = QPoint(int(paper.x() + (box[0] + box[2]) / 2), int(paper.y() + (box[1] + box[3]) / 2))
    QTest.mouseClick(wide_window.canvas, Qt.MouseButton.RightButton, pos=where)
    qtbot.waitUntil(lambda: wide_window.session.reading.latest_reading().selected == 0)
    bars = wide_window.findChild(QObject, "predictionBars").property("probabilities")
    assert max(range(10), key=lambda d: bars[d]) == 1
    assert not wide_window.canvas.is_blank()  # selecting drew nothing


def test_typing_corrects_the_selected_digit_or_the_whole_number(qtbot, wide_window):
    write(qtbot, wide_window, "10")
    wait_reading(qtbot, wide_window)
    canvas = wide_window.canvas
    canvas.setFocus()
    QTest.keyClick(canvas, Qt.Key.Key_6)  # the selected digit (the last written) is a 6
    qtbot.waitUntil(lambda: len(SampleStore()) == 1, timeout=5000)
    assert [s.label for s in SampleStore().samples()] == [6]
    # The whole number typed: every digit read wrong is kept; the 0, answered
    # again, keeps only its latest answer.
    QTest.keyClicks(canvas, "47")
    qtbot.waitUntil(lambda: 7 in [s.label for s in SampleStore().samples()], timeout=5000)
    assert sorted(s.label for s in SampleStore().samples()) == [4, 7]


def test_a_number_typed_again_replaces_what_was_kept_for_each_digit(qtbot, wide_window):
    write(qtbot, wide_window, "10")
    wait_reading(qtbot, wide_window)
    canvas = wide_window.canvas
    canvas.setFocus()
    QTest.keyClicks(canvas, "47")
    qtbot.waitUntil(lambda: len(SampleStore()) == 2, timeout=5000)
    wait_reading(qtbot, wide_window)
    QTest.keyClicks(canvas, "92")
    qtbot.waitUntil(lambda: 9 in [s.label for s in SampleStore().samples()], timeout=5000)
    # One sample per drawn digit, each the latest answer (not 4, 7, 9 and 2).
    assert sorted(s.label for s in SampleStore().samples()) == [2, 9]


def type_4_for_the_selected_digit_of_10(qtbot, window):
    """Write 10 and type 4 (the key waits for more: a number); the 28 x 28 it is for."""
    write(qtbot, window, "10")
    wait_reading(qtbot, window)
    shown = window.session.reading.latest_reading()
    window.canvas.setFocus()
    QTest.keyClick(window.canvas, Qt.Key.Key_4)
    return shown.digits[shown.selected].x28


def test_a_digit_typed_then_a_new_stroke_corrects_the_reading_it_was_typed_for(qtbot, wide_window):
    typed_for = type_4_for_the_selected_digit_of_10(qtbot, wide_window)
    canvas = wide_window.canvas
    assert len(SampleStore()) == 0
    draw_stroke(canvas, [(250.0, 60.0), (250.0, 200.0)])  # a new digit, within the pause
    wait_reading(qtbot, wide_window)
    qtbot.wait(1200)  # past the pause: nothing more is kept
    samples = SampleStore().samples()
    assert [s.label for s in samples] == [4]
    assert (samples[0].x28 == typed_for).all()


def test_a_digit_typed_then_clear_keeps_the_correction(qtbot, wide_window):
    typed_for = type_4_for_the_selected_digit_of_10(qtbot, wide_window)
    canvas = wide_window.canvas
    QTest.keyClick(canvas, Qt.Key.Key_Escape)  # Clear, within the pause
    assert wide_window.canvas.is_blank()
    samples = SampleStore().samples()
    assert [s.label for s in samples] == [4]
    assert (samples[0].x28 == typed_for).all()
    # The corrected digit was not also let stand as what it was read.
    let_stand = wide_window.teaching.let_stand.store.samples()
    assert not any((s.x28 == typed_for).all() for s in let_stand)
