"""The one-digit shape check: drawn digits pass, several digits and scribbles do not."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pytest

from digitpad.drawing.shape_check import ShapeVerdict, check_one_digit, measure
from digitpad.storage import pendigits

REPO_ROOT = Path(__file__).resolve().parents[1]
DATA = pendigits.default_dir(REPO_ROOT)

needs_data = pytest.mark.skipif(
    not (DATA / "pendigits-test.gz").is_file(),
    reason=f"pendigits not found at {DATA}: set {pendigits.PENDIGITS_ENV} to its folder",
)


# -- numpy drawing (no Qt) ------------------------------------------------------------


def draw(strokes, size: int = 280, pen: float = 18.0) -> np.ndarray:
    """Anti-aliased round-pen polylines, ink 1.0 on 0.0, like the canvas's renderer."""
    ys, xs = np.mgrid[0:size, 0:size].astype(np.float64) + 0.5
    distance = np.full((size, size), np.inf)
    for stroke in strokes:
        points = np.asarray(stroke, dtype=np.float64).reshape(-1, 2)
        if len(points) == 1:
            points = np.vstack([points, points])
        for (x0, y0), (x1, y1) in zip(points[:-1], points[1:], strict=True):
            dx, dy = x1 - x0, y1 - y0
            length = dx * dx + dy * dy
            t = 0.0 if length == 0 else np.clip(((xs - x0) * dx + (ys - y0) * dy) / length, 0, 1)
            distance = np.minimum(distance, np.hypot(xs - x0 - t * dx, ys - y0 - t * dy))
    return np.clip(pen / 2 - distance + 0.5, 0.0, 1.0).astype(np.float32)


def ellipse(cx, cy, rx, ry, turns=1.0, points=80):
    t = np.linspace(0, 2 * math.pi * turns, points)
    return np.stack([cx + rx * np.cos(t), cy + ry * np.sin(t)], axis=1)


def line(*points):
    return np.array(points, dtype=np.float64)


def assert_digit(image):
    verdict = check_one_digit(image)
    assert verdict == ShapeVerdict(True, ""), verdict


def assert_not_digit(image, reason_part=""):
    verdict = check_one_digit(image)
    assert not verdict.one_digit
    assert reason_part in verdict.reason
    return verdict


# -- single digits --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "strokes"),
    [
        ("1 as a bare line", [line((140, 50), (135, 230))]),
        ("round 0", [ellipse(140, 140, 80, 90)]),
        ("0", [ellipse(140, 140, 55, 90)]),
        (
            "7 with a crossbar",
            [line((80, 50), (200, 50), (120, 230)), line((110, 140), (190, 140))],
        ),
        (
            "4 in two strokes that do not touch",
            [line((120, 40), (80, 160), (170, 160)), line((190, 60), (190, 240))],
        ),
        (
            "5 with a detached flag",
            [
                line((110, 60), (100, 130)),
                np.vstack([line((100, 130)), ellipse(130, 180, 50, 50, 0.8)[10:]]),
                line((115, 50), (200, 50)),
            ],
        ),
        ("8", [np.vstack([ellipse(140, 90, 45, 45), ellipse(140, 180, 55, 45)])]),
        ("small 1", [line((140, 120), (140, 170))]),
        ("small slanted 1", [line((145, 115), (130, 175))]),
        ("small 1 with a flag", [line((125, 130), (140, 115), (140, 175))]),
        ("small 0", [ellipse(140, 140, 18, 25)]),
        ("wide 0", [ellipse(140, 140, 120, 60)]),
        ("2", [np.vstack([ellipse(140, 100, 50, 45, 0.6)[::-1], line((90, 220), (200, 220))])]),
    ],
)
def test_single_digits_pass(name, strokes):
    assert_digit(draw(strokes))


def test_a_stray_dot_does_not_make_two_digits():
    image = draw([line((140, 50), (135, 230)), line((230, 40))])
    assert_digit(image)


def test_pen_width_and_canvas_size_do_not_matter():
    strokes = [np.vstack([ellipse(140, 90, 45, 45), ellipse(140, 180, 55, 45)])]
    for pen in (8.0, 18.0, 30.0):
        assert_digit(draw(strokes, pen=pen))
    doubled = [s * 2 for s in strokes]
    assert_digit(draw(doubled, size=560, pen=36.0))


def test_integer_and_bool_images_are_accepted():
    image = draw([ellipse(140, 140, 55, 90)])
    assert_digit((image * 255).astype(np.uint8))
    assert_digit(image > 0.5)


# -- not one digit --------------------------------------------------------------------


def test_two_digits_side_by_side():
    image = draw([ellipse(80, 140, 40, 70), line((200, 70), (195, 210))])
    assert_not_digit(image, "two digits side by side")


def test_three_digits_side_by_side():
    image = draw(
        [line((40, 90), (40, 190)), ellipse(140, 140, 30, 50), line((240, 90), (240, 190))]
    )
    verdict = assert_not_digit(image)
    assert "digits side by side" in verdict.reason


def test_spiral_is_a_scribble():
    t = np.linspace(0, 6 * math.pi, 400)
    radius = 10 + 110 * t / t[-1]
    spiral = np.stack([140 + radius * np.cos(t), 140 + radius * np.sin(t)], axis=1)
    image = draw([spiral])
    assert_not_digit(image, "scribble")


def test_zigzag_is_a_scribble():
    xs = np.linspace(30, 250, 9)
    ys = np.where(np.arange(9) % 2 == 0, 60.0, 220.0)
    assert_not_digit(draw([np.stack([xs, ys], axis=1)]), "scribble")


def test_filled_blob():
    rows = []
    for i, y in enumerate(np.arange(60, 221, 10)):
        half = math.sqrt(max(80**2 - (y - 140) ** 2, 0))
        row = [(140 - half, y), (140 + half, y)]
        rows += row if i % 2 == 0 else row[::-1]
    assert_not_digit(draw([np.array(rows)]), "blob")
    # A small one too (its "stroke" is not wide for the canvas: too dense).
    assert_not_digit(draw([ellipse(140, 140, 20, 20), ellipse(140, 140, 10, 10)]), "blob")


def test_hatching():
    strokes = [line((40 + 25 * i, 50), (40 + 25 * i, 230)) for i in range(9)]
    assert_not_digit(draw(strokes))


def test_long_random_scribble():
    rng = np.random.default_rng(3)
    heading, curvature, point, points = 0.0, 0.0, np.array([140.0, 140.0]), []
    for _ in range(700):
        curvature = 0.93 * curvature + rng.normal(0, 0.012)
        heading += curvature * 3
        step = 3 * np.array([math.cos(heading), math.sin(heading)])
        for axis in range(2):
            if not 40 <= point[axis] + step[axis] <= 240:
                step[axis] = -step[axis]
                heading = math.atan2(step[1], step[0])
        point = point + step
        points.append(point)
    assert_not_digit(draw([np.array(points)]), "scribble")


def test_blank_canvas_is_not_a_digit():
    verdict = check_one_digit(np.zeros((280, 280), np.float32))
    assert verdict == ShapeVerdict(False, "nothing is drawn")
    assert measure(np.zeros((28, 28))) is None


def test_bad_input_is_refused():
    image = np.zeros((280, 280), np.float32)
    image[10, 10] = np.nan
    with pytest.raises(ValueError, match="NaN"):
        check_one_digit(image)
    with pytest.raises(ValueError, match="2-D"):
        check_one_digit(np.zeros((3, 28, 28)))


def test_tiny_images_do_not_crash():
    for image in (np.ones((1, 1)), np.eye(3), np.ones((2, 40))):
        assert isinstance(check_one_digit(image), ShapeVerdict)


# -- real pen digits through the canvas renderer ---------------------------------------


@pytest.fixture(scope="module")
def test_digits():
    return pendigits.read_pendigits(pendigits.split_path(DATA, "test"))


@needs_data
def test_real_digits_pass_and_their_pairs_do_not(qapp, test_digits):
    from digitpad.drawing.render import render_to_array
    from digitpad.net.pen_training_set import render_canvases

    # Every third digit of the 14 held-out writers, placed as the pen
    # benchmark places them (stream 1 is the test split's).
    sample = test_digits[::3]
    canvases = render_canvases(sample, seed=0, stream=1, start=0)
    wrong = [
        (digit.label, verdict.reason)
        for digit, canvas in zip(sample, canvases, strict=True)
        if not (verdict := check_one_digit(canvas)).one_digit
    ]
    assert len(sample) > 1100
    assert len(wrong) <= 2, wrong

    # Two of them side by side, 20-50 px of paper between their ink.
    rng = np.random.default_rng(7)
    detected = 0
    pairs = 100
    for _ in range(pairs):
        strokes, x = [], 0.0
        height = rng.uniform(80, 130)
        for digit in rng.choice(len(test_digits), 2):
            points = np.concatenate(test_digits[digit].strokes)
            low, extent = points.min(axis=0), np.ptp(points, axis=0)
            scale = height / max(extent[1], 1.0)
            strokes += [(s - low) * scale + (x + 20, 80) for s in test_digits[digit].strokes]
            x += extent[0] * scale + 18 + rng.uniform(20, 50)
        if x > 260:
            strokes = [s * (260 / x) for s in strokes]
        detected += not check_one_digit(render_to_array(strokes, (280, 280), 18)).one_digit
    assert detected >= 0.9 * pairs
