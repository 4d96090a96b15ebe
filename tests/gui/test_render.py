"""The shared stroke renderer: what the canvas, tests and benchmarks draw with."""

from __future__ import annotations

import math
import subprocess
import sys

import numpy as np
import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QImage, QPainter

from digitpad.drawing import render


@pytest.fixture(autouse=True)
def gui_app(qapp):
    """QPainter on a QImage needs a (Gui)Application; pytest-qt provides one."""
    return qapp


def test_stroke_makes_ink_along_its_path_only():
    ink = render.render_to_array([[(20.0, 50.0), (80.0, 50.0)]], (100, 100), 10.0)
    assert ink.shape == (100, 100)
    assert ink.dtype == np.float32
    assert ink[50, 20:81].min() == pytest.approx(1.0)  # the path itself
    assert ink[46:55, 50].min() == pytest.approx(1.0)  # within half the pen width
    assert ink[:40].max() == 0.0  # nothing far from it
    assert ink[60:].max() == 0.0
    # Ink area = the segment's rectangle plus two half-disc caps.
    assert ink.sum() == pytest.approx(60 * 10 + math.pi * 25, rel=0.02)


def test_single_point_is_a_round_dot():
    ink = render.render_to_array([[(50.0, 40.0)]], (100, 100), 18.0)
    assert ink.sum() == pytest.approx(math.pi * 81, rel=0.02)
    rows, cols = np.mgrid[:100, :100]
    total = ink.sum()
    # Pixel (i, j) is centred on (i + 0.5, j + 0.5).
    assert (ink * (cols + 0.5)).sum() / total == pytest.approx(50.0, abs=0.05)
    assert (ink * (rows + 0.5)).sum() / total == pytest.approx(40.0, abs=0.05)
    np.testing.assert_allclose(ink[:, :50], ink[:, 50:][:, ::-1], atol=0.02)  # round
    np.testing.assert_allclose(ink[31:49, 41:59], ink[31:49, 41:59].T, atol=0.02)


def test_repeated_point_is_a_dot_too():
    ink = render.render_to_array([[(30, 30), (30, 30), (30, 30)]], (60, 60), 8.0)
    assert ink.sum() == pytest.approx(math.pi * 16, rel=0.05)


def test_pen_width_scales_ink_area():
    stroke = [[(30.0, 100.0), (170.0, 100.0), (170.0, 160.0)]]
    areas = [render.render_to_array(stroke, (200, 200), w).sum() for w in (5.0, 10.0, 20.0)]
    # Length 200 px: area ~ 200 * width (+ caps); doubling the pen ~doubles it.
    assert areas[1] / areas[0] == pytest.approx(2.0, rel=0.1)
    assert areas[2] / areas[1] == pytest.approx(2.0, rel=0.1)


def test_render_to_array_matches_the_image():
    strokes = [np.array([[10.5, 12.25], [60.0, 70.0], [90.0, 20.0]]), [(40, 80)]]
    image = render.render_strokes(strokes, (101, 93), 7.0)
    assert image.format() == QImage.Format.Format_Grayscale8
    assert (image.width(), image.height()) == (101, 93)
    ink = render.render_to_array(strokes, (101, 93), 7.0)
    assert ink.shape == (93, 101)
    for x, y in [(10, 12), (40, 80), (35, 40), (0, 0), (100, 92), (75, 45)]:
        assert ink[y, x] == pytest.approx(image.pixelColor(x, y).red() / 255.0)


def test_numpy_points_and_numpy_widths_are_accepted():
    points = np.array([[10, 10], [50, 50]], dtype=np.int64)
    ink = render.render_to_array([points], (64, 64), np.float32(6.0))
    assert ink[30, 30] == pytest.approx(1.0)


def test_device_pixel_ratio_renders_the_same_drawing_finer():
    strokes = [[(10.0, 10.0), (50.0, 40.0)]]
    image = render.render_strokes(strokes, (64, 48), 6.0, device_pixel_ratio=2.0)
    assert (image.width(), image.height()) == (128, 96)
    assert image.devicePixelRatio() == 2.0
    fine = render.image_to_array(image)
    coarse = render.render_to_array(strokes, (64, 48), 6.0)
    # Same ink area in logical pixels.
    assert fine.sum() / 4 == pytest.approx(coarse.sum(), rel=0.03)


def test_paint_strokes_draws_like_render_strokes():
    """The canvas paints incrementally with paint_strokes: same pixels."""
    strokes = [[(5, 5), (30, 40), (60, 10)], [(70, 70)]]
    image = QImage(80, 80, QImage.Format.Format_Grayscale8)
    image.fill(Qt.GlobalColor.black)
    painter = QPainter(image)
    render.paint_strokes(painter, strokes, 9.0, Qt.GlobalColor.white)
    painter.end()
    np.testing.assert_array_equal(
        render.image_to_array(image), render.render_to_array(strokes, (80, 80), 9.0)
    )


def test_stroke_path_goes_through_the_points():
    path = render.stroke_path([(1.0, 2.0), (30.0, 40.0), (60.0, 5.0)])
    assert path.elementCount() == 3
    assert (path.elementAt(1).x, path.elementAt(1).y) == (30.0, 40.0)
    with pytest.raises(ValueError, match="at least one point"):
        render.stroke_path([])


@pytest.mark.parametrize(("size", "ratio"), [((0, 10), 1.0), ((10, 10), 0.0)])
def test_bad_sizes_are_clear_errors(size, ratio):
    with pytest.raises(ValueError, match="positive"):
        render.render_strokes([], size, 5.0, device_pixel_ratio=ratio)


def test_render_does_not_import_tensorflow():
    code = "import sys, digitpad.drawing.render; print('tensorflow' in sys.modules)"
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "False"
