"""The drawing paper with real mouse events: ink, history, geometry, preferences.

Test strokes are written in 280-unit squares (``helpers.ONE`` …) placed in
the paper's largest centred square (:meth:`DrawingCanvas.square`).
"""

from __future__ import annotations

import numpy as np
import pytest
from helpers import ONE, SEVEN, ZERO, draw_strokes
from PySide6.QtCore import QRect
from PySide6.QtGui import QImage

from digitpad.drawing import render
from digitpad.gui.canvas import CANVAS_UNITS, SETTLE_MS, DrawingCanvas
from digitpad.gui.paper_painting import DigitBox


@pytest.fixture
def canvas(qtbot):
    widget = DrawingCanvas()
    qtbot.addWidget(widget)
    widget.resize(500, 280)
    widget.show()
    assert widget.objectName() == "canvas"
    assert widget.is_blank()
    assert widget.ink_array().shape == (280, 500)
    assert widget.ink_array().max() == 0.0
    return widget


def at(canvas, row: float, col: float) -> tuple[int, int]:
    """Paper pixel of the point (row, col) of the 280-unit test square."""
    square = canvas.square()
    scale = square.width() / CANVAS_UNITS
    return round(square.y() + row * scale), round(square.x() + col * scale)


def test_a_stroke_makes_ink_where_it_was_drawn(qtbot, canvas):
    with qtbot.waitSignal(canvas.drawingFinished):
        moves = draw_strokes(qtbot, canvas, ONE)
    assert moves > 40
    ink = canvas.ink_array()
    assert not canvas.is_blank()
    assert ink[at(canvas, 140, 148)] > 0.9  # on the stroke
    assert ink[at(canvas, 140, 40)] == 0.0  # far from it
    assert len(canvas.strokes()) == 1


def test_canvas_pixels_are_the_shared_renderers(qtbot, canvas):
    draw_strokes(qtbot, canvas, ZERO)
    expected = render.render_to_array(canvas.strokes(), (500, 280), canvas.pen_width())
    np.testing.assert_array_equal(canvas.ink_array(), expected)


def test_the_screen_is_repainted_in_one_pass_soon_after_a_stroke(qtbot, canvas):
    draw_strokes(qtbot, canvas, ZERO)  # painted segment by segment while drawn
    once = DrawingCanvas()
    qtbot.addWidget(once)
    once.resize(500, 280)
    once.set_strokes(canvas.strokes())  # one pass
    once.show()
    qtbot.waitUntil(
        lambda: canvas.grab().toImage() == once.grab().toImage(), timeout=SETTLE_MS * 20
    )


def test_undo_redo_clear(qtbot, canvas):
    draw_strokes(qtbot, canvas, SEVEN + ONE)
    assert len(canvas.strokes()) == 2
    two = canvas.ink_array()
    canvas.undo()
    assert len(canvas.strokes()) == 1
    assert canvas.can_redo()
    one = canvas.ink_array()
    assert one.sum() < two.sum()
    canvas.redo()
    np.testing.assert_array_equal(canvas.ink_array(), two)
    canvas.clear()
    assert canvas.is_blank()
    assert not canvas.can_redo()
    assert canvas.ink_array().max() == 0.0
    # Undo takes the clear back: the whole drawing returns; redo clears again.
    assert canvas.can_undo()
    canvas.undo()
    np.testing.assert_array_equal(canvas.ink_array(), two)
    canvas.redo()
    assert canvas.is_blank()
    canvas.undo()
    canvas.undo()
    canvas.undo()
    assert canvas.is_blank()
    assert not canvas.can_undo()


def test_undo_takes_back_an_opened_image_and_redo_opens_it_again(qtbot, canvas):
    draw_strokes(qtbot, canvas, SEVEN)
    seven = canvas.ink_array()
    image = np.zeros((40, 40), np.float32)
    image[5:35, 18:22] = 1.0
    canvas.set_image(image)
    assert canvas.has_image()
    opened = canvas.ink_array()
    canvas.undo()
    assert not canvas.has_image()
    np.testing.assert_array_equal(canvas.ink_array(), seven)
    canvas.redo()
    assert canvas.has_image()
    np.testing.assert_array_equal(canvas.ink_array(), opened)


def test_a_new_stroke_drops_the_redo_history(qtbot, canvas):
    draw_strokes(qtbot, canvas, ONE + SEVEN)
    canvas.undo()
    draw_strokes(qtbot, canvas, ZERO)
    assert not canvas.can_redo()
    assert len(canvas.strokes()) == 2


def test_paper_takes_the_window_shape_and_the_pen_keeps_its_width(qtbot, canvas):
    assert canvas.property("paperRect") == QRect(0, 0, 500, 280)
    assert canvas.property("penWidth") == render.DEFAULT_PEN_WIDTH
    draw_strokes(qtbot, canvas, ZERO)
    before = canvas.ink_array()
    canvas.resize(900, 520)
    qtbot.waitUntil(lambda: canvas.property("paperRect") == QRect(0, 0, 900, 520))
    assert canvas.property("penWidth") == render.DEFAULT_PEN_WIDTH
    # The strokes keep their paper pixels: the old ink is where it was.
    after = canvas.ink_array()
    assert after.shape == (520, 900)
    np.testing.assert_array_equal(after[:280, :500], before)
    assert after[280:, :].max() == 0.0
    # The pen is as wide in logical pixels at the new size.
    canvas.clear()
    canvas.set_strokes([[(100.0, 100.0), (100.0, 300.0)]])
    row = canvas.ink_array()[200]
    assert abs(float(row.sum()) - render.DEFAULT_PEN_WIDTH) < 1.5


def test_shrinking_the_paper_brings_the_ink_back_onto_it(qtbot, canvas):
    canvas.resize(900, 520)
    qtbot.waitUntil(lambda: canvas.property("paperRect") == QRect(0, 0, 900, 520))
    draw_strokes(qtbot, canvas, ZERO)
    draw_strokes(qtbot, canvas, [[(270.0, 40.0), (270.0, 240.0)]])  # a 1 at the right
    ink_before = float(canvas.ink_array().sum())
    assert max(x for stroke in canvas.strokes() for x, _y in stroke) > 600
    with qtbot.waitSignal(canvas.drawingFinished):  # it is read again
        canvas.resize(420, 280)
    ink = canvas.ink_array()
    assert ink.shape == (280, 420)
    # Nothing is read that is not seen: all the ink is on the smaller paper,
    # the drawing shrunk whole (its pens too), not cut at the edge.
    strokes = canvas.strokes()
    assert all(0 <= x <= 420 and 0 <= y <= 280 for stroke in strokes for x, y in stroke)
    assert ink[:, :4].max() == 0.0
    assert ink[:, -4:].max() == 0.0
    assert 0.2 * ink_before < float(ink.sum()) < ink_before
    # Growing the window again keeps the drawing as it is now.
    canvas.resize(900, 520)
    assert canvas.strokes() == strokes


def test_a_six_digit_number_fits_the_default_paper(qtbot, canvas):
    """Digits 7 pen widths high, a pen width apart: six fit a 1000 x 640 window's paper."""
    canvas.resize(680, 560)
    height = 7 * canvas.pen_width()
    width = 0.6 * height
    assert 6 * width + 5 * canvas.pen_width() + 2 * canvas.pen_width() < 680


def test_display_colours_never_change_the_model_input(qtbot, canvas):
    draw_strokes(qtbot, canvas, ONE)
    light_on_dark = canvas.ink_array()
    shown_before = canvas.to_image(1.0)
    canvas.set_dark_ink(True)
    np.testing.assert_array_equal(canvas.ink_array(), light_on_dark)
    shown = canvas.to_image(1.0)
    # On screen the ink is now dark on light paper.
    assert QImage.Format.Format_RGB32 == shown.format()
    assert shown.pixelColor(10, 10).lightness() > 200
    assert shown_before.pixelColor(10, 10).lightness() < 50
    row, col = at(canvas, 140, 148)
    assert shown.pixelColor(col, row).lightness() < 60


def test_pen_width_applies_to_new_strokes(qtbot, canvas):
    canvas.set_pen_width(8)
    draw_strokes(qtbot, canvas, ONE)
    thin = canvas.ink_array().sum()
    canvas.clear()
    canvas.set_pen_width(30)
    draw_strokes(qtbot, canvas, ONE)
    assert canvas.ink_array().sum() > 2.5 * thin


def test_right_button_does_not_draw_but_selects_a_digit(qtbot, canvas):
    from PySide6.QtCore import QPoint, QRectF, Qt

    qtbot.mouseClick(canvas, Qt.MouseButton.RightButton, pos=QPoint(150, 150))
    assert canvas.is_blank()
    canvas.set_boxes([DigitBox(QRectF(10, 10, 100, 200)), DigitBox(QRectF(130, 10, 100, 200))])
    with qtbot.waitSignal(canvas.digitClicked) as blocker:
        qtbot.mouseClick(canvas, Qt.MouseButton.RightButton, pos=QPoint(150, 150))
    assert blocker.args == [1]
    assert canvas.is_blank()


def test_a_click_makes_a_dot(qtbot, canvas):
    from PySide6.QtCore import QPoint, Qt

    qtbot.mouseClick(canvas, Qt.MouseButton.LeftButton, pos=QPoint(150, 150))
    assert not canvas.is_blank()
    assert canvas.ink_array().sum() > 100


def test_opened_image_is_shown_and_can_be_cleared(qtbot, canvas):
    ink = np.zeros((100, 60), dtype=np.float32)
    ink[10:90, 25:35] = 1.0
    canvas.set_image(ink)
    assert not canvas.is_blank()
    model = canvas.ink_array()
    assert model[140, 250] > 0.9  # fitted into the paper, centred
    assert model[140, 20] == 0.0
    canvas.clear()
    assert canvas.is_blank()


def test_save_png_round_trip(qtbot, canvas, tmp_path):
    from digitpad.drawing.images import load_ink

    draw_strokes(qtbot, canvas, SEVEN)
    path = tmp_path / "seven.png"
    assert canvas.save_png(str(path))
    ink = load_ink(path)
    assert ink.max() > 0.9
    assert ink.mean() < 0.3


def test_hidpi_backing_store_is_sharp_and_model_input_unchanged(tmp_path):
    """At a device pixel ratio of 2 the backing store has 2x the pixels."""
    import os
    import subprocess
    import sys
    from pathlib import Path

    code = (
        "import sys\n"
        "from PySide6.QtWidgets import QApplication\n"
        "app = QApplication(sys.argv[:1])\n"
        "from digitpad.gui.canvas import DrawingCanvas\n"
        "c = DrawingCanvas(); c.resize(500, 300); c.show(); app.processEvents()\n"
        "c.set_strokes([[(50, 50), (230, 230)]]); app.processEvents()\n"
        "d = c._display\n"
        "print('HIDPI', c.devicePixelRatioF(), d.width(), d.devicePixelRatio(),"
        " c.ink_array().shape, round(float(c.ink_array().sum())))\n"
    )
    env = {
        **os.environ,
        "QT_SCALE_FACTOR": "2",
        "QT_QPA_PLATFORM": "offscreen",
        "PYTHONPATH": str(Path(__file__).resolve().parents[2]),
    }
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=60
    )
    assert out.returncode == 0, out.stderr
    line = next(x for x in out.stdout.splitlines() if x.startswith("HIDPI"))
    _, ratio, width, image_ratio, shape, *_ = line.split(" ", 4)
    assert float(ratio) == 2.0
    assert int(width) == 1000
    assert float(image_ratio) == 2.0
    expected = render.render_to_array([[(50, 50), (230, 230)]], (500, 300), canvas_pen())
    assert line.endswith(f"(300, 500) {round(float(expected.sum()))}")


def canvas_pen() -> float:
    return render.DEFAULT_PEN_WIDTH
