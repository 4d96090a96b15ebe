"""The drawing canvas with real mouse events: ink, history, geometry, preferences."""

from __future__ import annotations

import numpy as np
import pytest
from helpers import ONE, SEVEN, ZERO, draw_strokes
from PySide6.QtGui import QImage

from digitpad.drawing import render
from digitpad.gui.canvas import CANVAS_UNITS, DrawingCanvas


@pytest.fixture
def canvas(qtbot):
    widget = DrawingCanvas()
    qtbot.addWidget(widget)
    widget.resize(300, 300)
    widget.show()
    assert widget.objectName() == "canvas"
    assert widget.is_blank()
    assert widget.ink_array().shape == (CANVAS_UNITS, CANVAS_UNITS)
    assert widget.ink_array().max() == 0.0
    return widget


def test_a_stroke_makes_ink_where_it_was_drawn(qtbot, canvas):
    with qtbot.waitSignal(canvas.drawingFinished):
        moves = draw_strokes(qtbot, canvas, ONE)
    assert moves > 40
    ink = canvas.ink_array()
    assert not canvas.is_blank()
    assert ink[140, 148] > 0.9  # on the stroke
    assert ink[140, 40] == 0.0  # far from it
    assert len(canvas.strokes()) == 1


def test_canvas_pixels_are_the_shared_renderers(qtbot, canvas):
    draw_strokes(qtbot, canvas, ZERO)
    expected = render.render_to_array(
        canvas.strokes(), (CANVAS_UNITS, CANVAS_UNITS), canvas.pen_width()
    )
    np.testing.assert_array_equal(canvas.ink_array(), expected)


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
    assert not canvas.can_undo()
    assert not canvas.can_redo()
    assert canvas.ink_array().max() == 0.0


def test_a_new_stroke_drops_the_redo_history(qtbot, canvas):
    draw_strokes(qtbot, canvas, ONE + SEVEN)
    canvas.undo()
    draw_strokes(qtbot, canvas, ZERO)
    assert not canvas.can_redo()
    assert len(canvas.strokes()) == 2


def test_resizing_keeps_the_drawing_and_what_the_model_sees(qtbot, canvas):
    draw_strokes(qtbot, canvas, ZERO)
    before = canvas.ink_array()
    canvas.resize(640, 520)
    qtbot.waitUntil(lambda: canvas.square().width() == 520)
    np.testing.assert_array_equal(canvas.ink_array(), before)
    # Drawing at the new size lands at the same canvas units.
    canvas.clear()
    draw_strokes(qtbot, canvas, ZERO)
    assert np.abs(canvas.ink_array() - before).mean() < 0.01


def test_display_colours_never_change_the_model_input(qtbot, canvas):
    draw_strokes(qtbot, canvas, ONE)
    light_on_dark = canvas.ink_array()
    shown_before = canvas.to_image(CANVAS_UNITS)
    canvas.set_dark_ink(True)
    np.testing.assert_array_equal(canvas.ink_array(), light_on_dark)
    shown = canvas.to_image(CANVAS_UNITS)
    # On screen the ink is now dark on light paper.
    assert QImage.Format.Format_RGB32 == shown.format()
    assert shown.pixelColor(10, 10).lightness() > 200
    assert shown_before.pixelColor(10, 10).lightness() < 50
    assert shown.pixelColor(148, 140).lightness() < 60


def test_pen_width_applies_to_new_strokes(qtbot, canvas):
    canvas.set_pen_width(8)
    draw_strokes(qtbot, canvas, ONE)
    thin = canvas.ink_array().sum()
    canvas.clear()
    canvas.set_pen_width(30)
    draw_strokes(qtbot, canvas, ONE)
    assert canvas.ink_array().sum() > 2.5 * thin


def test_right_button_does_not_draw(qtbot, canvas):
    from PySide6.QtCore import QPoint, Qt

    qtbot.mouseClick(canvas, Qt.MouseButton.RightButton, pos=QPoint(150, 150))
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
    assert model[140, 140] > 0.9
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
        "c = DrawingCanvas(); c.resize(300, 300); c.show(); app.processEvents()\n"
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
    assert int(width) == 600
    assert float(image_ratio) == 2.0
    expected = render.render_to_array([[(50, 50), (230, 230)]], (280, 280), canvas_pen())
    assert line.endswith(f"(280, 280) {round(float(expected.sum()))}")


def canvas_pen() -> float:
    return render.DEFAULT_PEN_WIDTH
